//! `reunion play`: the story in a window, flat-screen or mirroring a headset.

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::asset::{AssetMetaCheck, AssetPlugin};
use bevy::prelude::*;
use bevy::render::pipelined_rendering::PipelinedRenderingPlugin;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy::window::{PresentMode, WindowResolution};
use bevy::winit::WinitSettings;
use reunion_stage::prelude::*;

use crate::cli::PlayArgs;
use crate::{Checked, StoryLocation};

/// How the participant takes part in a windowed app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Participant {
    /// Flat-screen: keys and the mouse.
    Flat,
    /// In a headset: the window mirrors the participant's view for the facilitator.
    Headset,
}

/// The story at `location` in a window, played flat-screen or in a headset, with the
/// stage, the screen, the console and the participant's input. `headset_view` shows
/// the screen as a headset does (always so in a headset).
pub fn story_app(
    location: &StoryLocation,
    checked: &Checked,
    config: StageConfig,
    speed: f32,
    participant: Participant,
    headset_view: bool,
) -> App {
    let title = format!("reunion — {}", checked.story.title);
    let mut app = App::new();
    reunion_stage::headless::story_folder_source(&mut app, &location.folder);
    let window = Window {
        title,
        resolution: WindowResolution::new(1280, 720),
        // A mirror must not wait for the monitor: the headset sets the pace.
        present_mode: match participant {
            Participant::Flat => PresentMode::default(),
            Participant::Headset => PresentMode::AutoNoVsync,
        },
        ..default()
    };
    let plugins = DefaultPlugins
        .set(WindowPlugin {
            primary_window: Some(window),
            ..default()
        })
        .set(AssetPlugin {
            file_path: location.folder.to_string_lossy().into_owned(),
            watch_for_changes_override: Some(true),
            meta_check: AssetMetaCheck::Never,
            ..default()
        })
        .set(bevy::log::LogPlugin {
            fmt_layer: crate::log_output::log_layer,
            ..default()
        });
    match participant {
        Participant::Flat => app.add_plugins(plugins),
        // OpenXR renders through bevy_mod_openxr's own render set-up; like its
        // examples, without pipelined rendering.
        Participant::Headset => app.add_plugins(bevy_mod_openxr::add_xr_plugins(
            plugins.disable::<PipelinedRenderingPlugin>(),
        )),
    };
    // Keep updating when the window is not focused (the facilitator may be elsewhere,
    // the participant is in the headset).
    app.insert_resource(WinitSettings::continuous())
        .insert_resource(config)
        // Sound through kira; with no sound device it warns once and the story runs
        // silent with subtitles (line timing never depends on the device).
        .add_plugins(reunion_audio::ReunionAudioPlugin)
        // The flat participant's camera is the head: in a headset it is the mirror.
        .add_plugins((StagePlugin, ScreenPlugin, FlatPlugin))
        .add_plugins(reunion_hands::HandsPlugin)
        .add_plugins(reunion_avatar::AvatarPlugin)
        .add_plugins(reunion_console::ConsolePlugin)
        .add_systems(Startup, move |mut time: ResMut<Time<Virtual>>| {
            time.set_relative_speed(speed);
        });
    match participant {
        Participant::Flat => app.add_plugins((
            reunion_hands::FlatHandsPlugin,
            reunion_stage::edit::EditPlugin,
        )),
        Participant::Headset => app.add_plugins(reunion_xr::XrPlugin),
    };
    if headset_view || participant == Participant::Headset {
        app.add_plugins(WorldScreenPlugin);
    }
    app
}

pub fn run(
    location: &StoryLocation,
    checked: &Checked,
    args: &PlayArgs,
    resume: Option<ResumeFrom>,
    offer: Option<reunion_console::ResumeOffer>,
) -> ExitCode {
    run_as(location, checked, args, Participant::Flat, resume, offer)
}

/// In a headset; a runtime was found (`reunion_xr::probe`).
pub fn run_xr(
    location: &StoryLocation,
    checked: &Checked,
    args: &PlayArgs,
    resume: Option<ResumeFrom>,
    offer: Option<reunion_console::ResumeOffer>,
) -> ExitCode {
    run_as(location, checked, args, Participant::Headset, resume, offer)
}

fn run_as(
    location: &StoryLocation,
    checked: &Checked,
    args: &PlayArgs,
    participant: Participant,
    resume: Option<ResumeFrom>,
    offer: Option<reunion_console::ResumeOffer>,
) -> ExitCode {
    let config = StageConfig {
        story: location.file.clone(),
        lang: args.lang.clone(),
        participant: if args.autopilot {
            ParticipantSource::Autopilot
        } else {
            ParticipantSource::Live
        },
        log: args.log.clone(),
        folder: Some(location.folder.clone()),
        preloaded: Some(checked.preloaded()),
    };
    let mut app = story_app(
        location,
        checked,
        config,
        args_speed(args),
        participant,
        args.headset_view,
    );
    if let Some(from) = &args.from {
        app.insert_resource(StartFrom(from.clone()));
    }
    if let Some(r) = resume {
        app.insert_resource(r);
    }
    if let Some(o) = offer {
        app.insert_resource(o);
    }
    // Ctrl-C, SIGTERM and SIGHUP end the session gently: its log is closed.
    app.add_plugins(crate::signals::EndOnSignals);
    if let Some(addr) = args.console_web
        && let Err(code) = crate::tablet::serve(&mut app, addr)
    {
        return code;
    }
    if let Some(path) = &args.shot.screenshot {
        screenshot_at(&mut app, path, args.shot.at);
    }
    exit_code(app.run())
}

pub fn exit_code(exit: AppExit) -> ExitCode {
    match exit {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

fn args_speed(args: &PlayArgs) -> f32 {
    args.speed.clamp(0.1, 50.0)
}

/// Saves one screenshot of the window to `path` once the session reaches `at`
/// seconds, then quits a little later.
pub fn screenshot_at(app: &mut App, path: &std::path::Path, at: f64) {
    app.insert_resource(ScreenshotPlan {
        path: path.to_path_buf(),
        at,
        taken_frame: None,
    })
    .add_systems(Last, take_screenshot.before(reunion_stage::NoteExitSystems));
}

#[derive(Resource)]
struct ScreenshotPlan {
    path: PathBuf,
    at: f64,
    taken_frame: Option<u32>,
}

/// Saves one screenshot once the session reaches `--at`, then quits a little later.
fn take_screenshot(
    mut commands: Commands,
    mut plan: ResMut<ScreenshotPlan>,
    session: Option<Res<StorySession>>,
    mut frames: Local<u32>,
    mut exit: MessageWriter<AppExit>,
) {
    *frames += 1;
    let Some(s) = session else { return };
    match plan.taken_frame {
        None if s.session.director.session_time() >= plan.at => {
            info!("screenshot to {}", plan.path.display());
            commands
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(plan.path.clone()));
            plan.taken_frame = Some(*frames);
        }
        Some(f) if *frames > f + 20 => {
            exit.write(AppExit::Success);
        }
        _ => {}
    }
}
