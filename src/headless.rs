//! `reunion play --headless`: the whole story on simulated time, the transcript on
//! stdout, problems on stderr, and an exit code that says how it went.

use std::process::ExitCode;

use bevy::prelude::*;
use reunion_stage::headless::{headless_app, run_headless};
use reunion_stage::prelude::*;

use crate::cli::PlayArgs;
use crate::{Checked, StoryLocation};

pub fn run(
    location: &StoryLocation,
    checked: &Checked,
    args: &PlayArgs,
    resume: Option<ResumeFrom>,
) -> ExitCode {
    let participant = match &args.script {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => ParticipantSource::Script {
                path: path.clone(),
                text,
            },
            Err(e) => {
                eprintln!("error: cannot read the script {}: {e}", path.display());
                return ExitCode::from(1);
            }
        },
        None => ParticipantSource::Autopilot,
    };
    let config = StageConfig {
        story: location.file.clone(),
        lang: args.lang.clone(),
        participant,
        log: args.log.clone(),
        folder: Some(location.folder.clone()),
        preloaded: Some(checked.preloaded()),
    };
    let mut app = headless_app(&location.folder, config, args.hz, false);
    if let Some(from) = &args.from {
        app.insert_resource(StartFrom(from.clone()));
    }
    if let Some(r) = resume {
        app.insert_resource(r);
    }
    app.add_plugins((
        reunion_hands::HandsPlugin,
        reunion_avatar::AvatarPlugin,
        reunion_audio::ReunionAudioPlugin,
    ));
    on_the_terminal(&mut app);
    app.add_systems(Update, print_transcript.after(StageSystems::Director));
    if let Some(addr) = args.console_web {
        if let Err(code) = crate::tablet::serve(&mut app, addr) {
            return code;
        }
        crate::tablet::pace(&mut app, args.hz, args.speed);
    }
    let max_frames = (args.max_seconds * f64::from(args.hz)) as u64 + 10_000;
    let started = std::time::Instant::now();
    let result = run_headless(&mut app, max_frames);
    let wall = started.elapsed().as_secs_f64();
    let simulated = app
        .world()
        .get_resource::<StorySession>()
        .map_or(0.0, |s| s.session.director.session_time());
    match result {
        Ok(()) => {
            eprintln!(
                "the story ended after {simulated:.1} s of story time ({wall:.2} s on this machine)"
            );
            ExitCode::SUCCESS
        }
        Err(_) if app.should_exit().is_some() => {
            eprintln!(
                "the session was ended from outside after {simulated:.1} s of story time (Ctrl-C, SIGTERM or SIGHUP); its log is closed"
            );
            ExitCode::from(crate::signals::EXIT_CODE)
        }
        Err(stuck) => {
            eprintln!("error: {stuck} (after {simulated:.1} s of story time)");
            ExitCode::from(1)
        }
    }
}

/// Prints each line as it is spoken.
/// A session run from a terminal: warnings and errors to stderr (stdout stays for the
/// transcript), and Ctrl-C, SIGTERM and SIGHUP end it gently (its log is closed).
pub(crate) fn on_the_terminal(app: &mut App) {
    app.add_plugins(bevy::log::LogPlugin {
        level: bevy::log::Level::WARN,
        fmt_layer: crate::log_output::log_layer,
        ..default()
    });
    app.add_plugins(crate::signals::EndOnSignals);
}

/// Prints each line on stdout as it is said.
pub(crate) fn print_transcript(session: Option<Res<StorySession>>, mut printed: Local<usize>) {
    let Some(s) = session else { return };
    let lines = &s.session.transcript;
    // A resumed session prints what it says from the resume on.
    let from = (*printed)
        .max(s.session.lines_before_resume)
        .min(lines.len());
    for line in &lines[from..] {
        println!("{}", line.render(s.story(), s.lang));
    }
    *printed = lines.len();
}
