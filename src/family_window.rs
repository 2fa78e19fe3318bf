//! `reunion host` and `reunion join` in a window (docs/network.md): the family
//! together, each at a screen of their own.
//!
//! The host's window is the story as `reunion play` shows it, its director the one
//! source of truth, with the facilitator's console; the host takes part too (`--as`,
//! slot 0 on the start mark). A participant's window mirrors the host's session with
//! the director's inputs (`reunion_stage::mirror`), so its places, her voice and body,
//! the subtitles and the fades are the host's beat; its hands, keys and microphone go
//! to the host's director. Each window draws the others as a soft head and two hands
//! in their colour (`reunion_net::presences`) and sends its own head and hands.
//!
//! When the host stops before the story's end, or the connection is lost, a
//! participant's window fades to the calm place on its own clock (never a frozen
//! frame); closing it then exits 7 (the host ended it) or 6 (lost), as headless.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU8, Ordering};

use bevy::prelude::*;
use reunion_hands::prelude::{HandSide, ParticipantHand};
use reunion_net::code::JoinCode;
use reunion_net::join::JoinStatus;
use reunion_net::presences::{OwnName, OwnPose, PresenceViewPlugin};
use reunion_net::protocol::Pose;
use reunion_stage::prelude::*;
use reunion_story::director::OperatorCommand;

use crate::family::{HostArgs, JoinArgs};
use crate::window::{Participant, exit_code, screenshot_at, story_app};
use crate::{Checked, StoryLocation, prepare};

/// The exit code a participant's window ends with once closed (0 until the host
/// ended the session or the connection was lost).
static JOIN_EXIT: AtomicU8 = AtomicU8::new(0);

/// The host in a window, taking part as `args.name`.
pub fn host(
    location: &StoryLocation,
    checked: &Checked,
    config: StageConfig,
    args: &HostArgs,
    code: &JoinCode,
) -> ExitCode {
    if let Err(code) = crate::need_display() {
        return code;
    }
    let mut app = story_app(
        location,
        checked,
        config,
        args.speed.clamp(0.1, 50.0),
        Participant::Flat,
        false,
    );
    let socket = match std::net::UdpSocket::bind(args.addr) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.addr);
            return ExitCode::from(2);
        }
    };
    let bound = match reunion_net::host::host_in(
        &mut app,
        &location.folder,
        socket,
        &[],
        code,
        args.participants,
    ) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    app.insert_resource(reunion_net::host::Participants::with_host(&args.name))
        .insert_resource(OwnName(Some(args.name.trim().to_owned())))
        // What the host's own participant does is theirs, by name.
        .insert_resource(ActingAs(args.name.trim().to_owned()))
        .insert_resource(StandingSlot(0))
        .add_plugins(PresenceViewPlugin)
        .add_systems(Update, note_own_pose.after(StageSystems::World))
        .add_plugins(crate::signals::EndOnSignals);
    if let Some(addr) = args.console_web
        && let Err(code) = crate::tablet::serve(&mut app, addr)
    {
        return code;
    }
    if let Some(path) = &args.shot.screenshot {
        screenshot_at(&mut app, path, args.shot.at);
    }
    eprintln!(
        "hosting \"{}\" on {bound} as `{}`; waiting for {} participant(s)",
        checked.story.title,
        args.name.trim(),
        args.participants
    );
    crate::family::print_join_hint(bound, code, &app);
    exit_code(app.run())
}

/// A participant in a window, mirroring the host's story at `args.address`.
pub fn join(story: &Path, args: &JoinArgs, code: &JoinCode) -> ExitCode {
    let (location, checked, config) = match mirroring_stage(story, args.lang.as_deref()) {
        Ok(ok) => ok,
        Err(code) => return code,
    };
    let headset = match crate::headset_wanted(args.xr) {
        Ok(true) => Participant::Headset,
        Ok(false) => Participant::Flat,
        Err(code) => return code,
    };
    if let Err(code) = crate::need_display() {
        return code;
    }
    let mut app = story_app(&location, &checked, config, 1.0, headset, false);
    // The session here follows the host's: it is made before the story loads.
    app.insert_resource(Mirror::default());
    if let Err(e) = reunion_net::join::join_in(
        &mut app,
        args.address,
        code,
        &args.name,
        &location.folder,
        false,
        reunion_net::join::WINDOW_SILENCE,
    ) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    app.add_plugins(PresenceViewPlugin)
        .add_systems(
            Startup,
            // The facilitator's console is at the host; its buttons do nothing here.
            |mut console: ResMut<reunion_console::ConsoleState>| console.visible = false,
        )
        .add_systems(
            Update,
            (
                follow_join_status.before(StageSystems::Director),
                note_own_pose.after(StageSystems::World),
            ),
        )
        .add_plugins(crate::signals::EndOnSignals);
    if let Some(path) = &args.shot.screenshot {
        screenshot_at(&mut app, path, args.shot.at);
    }
    eprintln!("joining {} as `{}`...", args.address, args.name);
    run_joined(app)
}

/// The story checked on this machine, and the stage of a window that mirrors the
/// host's session (live, with no log of its own: the host keeps the log).
pub(crate) fn mirroring_stage(
    story: &Path,
    lang: Option<&str>,
) -> Result<(StoryLocation, Checked, StageConfig), ExitCode> {
    let (location, checked): (StoryLocation, Checked) = prepare(story, lang, false)?;
    let config = StageConfig {
        story: location.file.clone(),
        lang: lang.map(str::to_owned),
        participant: ParticipantSource::Live,
        log: None,
        folder: Some(location.folder.clone()),
        preloaded: Some(checked.preloaded()),
    };
    Ok((location, checked, config))
}

/// Runs a joined window; once closed, its exit code says how the joining ended (0, or
/// the host ended the session, or the connection was lost).
pub(crate) fn run_joined(mut app: App) -> ExitCode {
    match exit_code(app.run()) {
        code if code == ExitCode::SUCCESS => match JOIN_EXIT.load(Ordering::SeqCst) {
            0 => ExitCode::SUCCESS,
            n => ExitCode::from(n),
        },
        other => other,
    }
}

/// What the joining's state means for the window: in (said once), turned away or
/// unanswered (the window closes with the reason), the host gone mid-story (the calm
/// place, on this machine's clock).
pub(crate) fn follow_join_status(
    status: Res<JoinStatus>,
    mirror: Option<ResMut<Mirror>>,
    mut operator: MessageWriter<OperatorRequest>,
    mut exit: MessageWriter<AppExit>,
    mut said: Local<Option<JoinStatus>>,
    mut was_in: Local<bool>,
) {
    if said.as_ref() == Some(&*status) {
        return;
    }
    *said = Some(status.clone());
    match &*status {
        JoinStatus::In(w) => {
            *was_in = true;
            eprintln!("in the session as `{}`", w.name);
        }
        JoinStatus::Over => eprintln!("the story ended"),
        JoinStatus::Refused(why) => {
            eprintln!("error: the host refused: {why}");
            exit.write(AppExit::from_code(reunion_net::EXIT_NO_SESSION));
        }
        // Never in: nothing to fade from.
        JoinStatus::Lost(why) if !*was_in => {
            eprintln!("error: {why}");
            exit.write(AppExit::from_code(reunion_net::EXIT_NO_SESSION));
        }
        JoinStatus::Lost(why) => {
            eprintln!("error: {why}");
            end_alone(mirror, &mut operator, reunion_net::EXIT_NO_SESSION);
        }
        JoinStatus::HostEnded(why) => {
            eprintln!("the session ended before the story's end: {why}");
            end_alone(mirror, &mut operator, reunion_net::EXIT_HOST_ENDED);
        }
        JoinStatus::Connecting(_) | JoinStatus::Introduced => {}
    }
}

/// The host is gone: the story here fades to the calm place and holds, on this
/// machine's clock, and the window keeps it until closed (exit `code`).
fn end_alone(
    mirror: Option<ResMut<Mirror>>,
    operator: &mut MessageWriter<OperatorRequest>,
    code: u8,
) {
    JOIN_EXIT.store(code, Ordering::SeqCst);
    if let Some(mut m) = mirror {
        m.go_on_alone();
    }
    operator.write(OperatorRequest(OperatorCommand::StopNow));
}

/// This machine's participant's head and hands, for the others.
fn note_own_pose(
    head: Query<&GlobalTransform, With<ParticipantHead>>,
    hands: Query<(&ParticipantHand, &GlobalTransform)>,
    mut pose: ResMut<OwnPose>,
) {
    let Ok(head) = head.single() else {
        return;
    };
    let mut p = Pose {
        head: head.translation().to_array(),
        ..Pose::STANDING
    };
    for (hand, at) in &hands {
        let i = match hand.side {
            HandSide::Left => 0,
            HandSide::Right => 1,
        };
        p.hands[i] = at.translation().to_array();
    }
    if p.is_finite() {
        pose.0 = Some(p);
    }
}
