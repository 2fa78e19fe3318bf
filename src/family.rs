//! `reunion host` and `reunion join`: the family together on several machines
//! (docs/network.md). The host runs the story and its director; participants join
//! with the join code the host prints.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use reunion_net::code::JoinCode;
use reunion_net::join::{Following, JoinStatus};
use reunion_stage::headless::Outcome;
use reunion_stage::prelude::*;

use crate::{StoryLocation, prepare, reference_story};

#[derive(clap::Args, Debug)]
pub struct HostArgs {
    /// The story folder, or its story.ron (default: the reference story).
    pub path: Option<PathBuf>,
    /// Where to listen: participants join this address (default: this machine only;
    /// give the machine's address on the local network to be joined from others).
    #[arg(long, default_value = "127.0.0.1:7770", value_name = "ADDR")]
    pub addr: SocketAddr,
    /// How many participants the story waits for before it begins.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub participants: usize,
    /// Run with no window: nobody takes part on this machine. In a window (the
    /// default) the host is also a participant, flat-screen, named by --as.
    #[arg(long)]
    pub headless: bool,
    /// The host's own participant's name in the session, in a window.
    #[arg(long = "as", value_name = "NAME", default_value = "host")]
    pub name: String,
    #[command(flatten)]
    pub shot: crate::cli::ShotArgs,
    /// Write the session log (JSON lines) to this file.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// The subtitle language (default: the story's first).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Frames per story second.
    #[arg(long, default_value_t = 90.0, value_name = "HZ")]
    pub hz: f32,
    /// How fast story time runs (1 = real time); for rehearsing and tests.
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    pub speed: f32,
    /// Serve the facilitator's console on this address (e.g. 0.0.0.0:8080), for a
    /// tablet or another machine's browser: every button works on the host's story
    /// (docs/tablet.md).
    #[arg(long, value_name = "ADDR")]
    pub console_web: Option<SocketAddr>,
}

#[derive(clap::Args, Debug)]
pub struct ConsoleArgs {
    /// The host's address, as the host printed it (e.g. 127.0.0.1:7770).
    pub address: SocketAddr,
    /// The join code the host printed.
    #[arg(long, value_name = "CODE")]
    pub code: String,
    /// The console code the host printed (only the facilitator has it).
    #[arg(long, value_name = "CODE")]
    pub console_code: String,
    /// This machine's copy of the host's story folder (default: the reference story).
    #[arg(long, value_name = "PATH")]
    pub story: Option<PathBuf>,
    /// The subtitle language (default: the story's first).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    #[command(flatten)]
    pub shot: crate::cli::ShotArgs,
}

#[derive(clap::Args, Debug)]
pub struct JoinArgs {
    /// The host's address, as the host printed it (e.g. 127.0.0.1:7770).
    pub address: SocketAddr,
    /// The join code the host printed.
    #[arg(long, value_name = "CODE")]
    pub code: String,
    /// The participant's name in the session (e.g. mother).
    #[arg(long = "as", value_name = "NAME")]
    pub name: String,
    /// This machine's copy of the host's story folder (default: the reference story).
    #[arg(long, value_name = "PATH")]
    pub story: Option<PathBuf>,
    /// Run with no window: the transcript on stdout (with --autopilot, an automatic
    /// participant). In a window (the default) the participant takes part
    /// flat-screen, seeing the host's story and the others' presence.
    #[arg(long)]
    pub headless: bool,
    /// Headless: an automatic participant who meets each wait as a person would.
    #[arg(long, requires = "headless")]
    pub autopilot: bool,
    /// Window: the subtitle language (default: the story's first).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Take part in VR through OpenXR (the window mirrors the headset); `--xr=auto`
    /// falls back to flat-screen without a runtime.
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "on", conflicts_with = "headless")]
    pub xr: Option<crate::cli::XrMode>,
    #[command(flatten)]
    pub shot: crate::cli::ShotArgs,
}

pub fn host(args: &HostArgs) -> ExitCode {
    if args.participants == 0 || args.participants > reunion_net::host::MAX_PARTICIPANTS {
        eprintln!(
            "error: --participants is 1 to {}",
            reunion_net::host::MAX_PARTICIPANTS
        );
        return ExitCode::from(2);
    }
    let path = args.path.clone().unwrap_or_else(reference_story);
    let (location, checked): (StoryLocation, _) = match prepare(&path, args.lang.as_deref(), false)
    {
        Ok(ok) => ok,
        Err(code) => return code,
    };
    let code = match JoinCode::generate() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: no randomness for a join code: {e}");
            return ExitCode::from(1);
        }
    };
    let config = StageConfig {
        story: location.file.clone(),
        lang: args.lang.clone(),
        participant: ParticipantSource::Live,
        log: args.log.clone(),
        folder: Some(location.folder.clone()),
        preloaded: Some(checked.preloaded()),
    };
    if !args.headless {
        return crate::family_window::host(&location, &checked, config, args, &code);
    }
    let (mut app, bound) = match reunion_net::host::headless_host(
        config,
        &location.folder,
        args.addr,
        &code,
        args.participants,
        args.hz,
    ) {
        Ok(ok) => ok,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    crate::headless::on_the_terminal(&mut app);
    app.add_systems(
        Update,
        crate::headless::print_transcript.after(StageSystems::Director),
    );
    if let Some(addr) = args.console_web
        && let Err(code) = crate::tablet::serve(&mut app, addr)
    {
        return code;
    }
    crate::tablet::pace(&mut app, args.hz, args.speed);
    // On the terminal only: the session log never sees the code.
    eprintln!(
        "hosting \"{}\" on {bound}; waiting for {} participant(s)",
        checked.story.title, args.participants
    );
    print_join_hint(bound, &code, &app);
    app.finish();
    app.cleanup();
    let outcome = loop {
        app.update();
        if let Some(result) = &app.world().resource::<Outcome>().0 {
            break Some(result.clone());
        }
        if app.should_exit().is_some() {
            break None;
        }
    };
    // Stopped from outside, every participant was told in the frame that ended it
    // (reunion_net's host says goodbye on the app's exit). The last cues reach
    // everyone before the host goes.
    let until = Instant::now() + Duration::from_secs(1);
    while Instant::now() < until {
        app.update();
    }
    if let (Some(mut transport), Some(mut server)) = (
        app.world_mut()
            .remove_resource::<bevy_renet::netcode::NetcodeServerTransport>(),
        app.world_mut().remove_resource::<bevy_renet::RenetServer>(),
    ) {
        transport.disconnect_all(&mut server.0);
    }
    match outcome {
        Some(Ok(())) => {
            eprintln!("the story ended");
            ExitCode::SUCCESS
        }
        Some(Err(stuck)) => {
            eprintln!("error: {stuck}");
            ExitCode::from(1)
        }
        None => {
            eprintln!("the session was ended from outside (Ctrl-C, SIGTERM or SIGHUP)");
            ExitCode::from(crate::signals::EXIT_CODE)
        }
    }
}

pub fn join(args: &JoinArgs) -> ExitCode {
    let code = match JoinCode::parse(&args.code) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: --code: {e}");
            return ExitCode::from(2);
        }
    };
    let story = args.story.clone().unwrap_or_else(reference_story);
    if !args.headless {
        return crate::family_window::join(&story, args, &code);
    }
    let mut app = match reunion_net::join::headless_participant(
        args.address,
        &code,
        &args.name,
        &story,
        args.autopilot,
    ) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    crate::headless::on_the_terminal(&mut app);
    app.finish();
    app.cleanup();
    eprintln!("joining {} as `{}`...", args.address, args.name);
    let mut printed = 0;
    let mut welcomed = false;
    loop {
        app.update();
        let status = app.world().resource::<JoinStatus>().clone();
        if !welcomed && let JoinStatus::In(w) = &status {
            eprintln!("in the session as `{}`", w.name);
            welcomed = true;
        }
        let following = &app.world().resource::<Following>().0;
        let story = following.story();
        for line in &following.transcript[printed..] {
            println!("{}", line.render(story, reunion_story::story::LangId(0)));
        }
        printed = following.transcript.len();
        match status {
            JoinStatus::Over => {
                eprintln!("the story ended");
                return ExitCode::SUCCESS;
            }
            JoinStatus::Refused(why) => {
                eprintln!("error: the host refused: {why}");
                return ExitCode::from(reunion_net::EXIT_NO_SESSION);
            }
            JoinStatus::Lost(why) => {
                eprintln!("error: {why}");
                return ExitCode::from(reunion_net::EXIT_NO_SESSION);
            }
            JoinStatus::HostEnded(why) => {
                eprintln!("the session ended before the story's end: {why}");
                return ExitCode::from(reunion_net::EXIT_HOST_ENDED);
            }
            _ => {}
        }
        if app.should_exit().is_some() {
            return ExitCode::from(crate::signals::EXIT_CODE);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The host's address and join code on the terminal (never in the session log), and
/// the command a participant types.
pub fn print_join_hint(bound: SocketAddr, code: &JoinCode, host: &App) {
    eprintln!("join code: {code}");
    eprintln!("  reunion join {bound} --code {code} --as NAME");
    eprintln!("  (add --headless --autopilot for an automatic participant with no window)");
    if let Some(setup) = host.world().get_resource::<reunion_net::host::HostSetup>() {
        // A second secret: a participant's join code does not run the story.
        eprintln!(
            "the facilitator's console on another machine (keep this code to the facilitator):"
        );
        eprintln!(
            "  reunion console {bound} --code {code} --console-code {}",
            setup.console_code
        );
    }
}
