//! `reunion console ADDRESS`: the facilitator's console on a machine of its own, for a
//! hosted story (docs/network.md).
//!
//! A window like a participant's: its stage mirrors the host's session, so the place,
//! her, the subtitles and the others' presences show as the host has them, and the
//! console (the same egui console as at the host) shows the story's state from that
//! session. The console's buttons go to the host's director instead of this machine's
//! ([`forward_console_actions`]); the language and the volumes stay this machine's.
//! Joining needs the join code and the console code the host printed.

use std::process::ExitCode;
use std::sync::Arc;

use bevy::prelude::*;
use reunion_console::{ConsoleAction, ConsoleEffect};
use reunion_net::code::JoinCode;
use reunion_net::console::ConsoleOutbox;
use reunion_net::presences::PresenceViewPlugin;
use reunion_net::protocol::ConsoleInput;
use reunion_stage::prelude::*;

use crate::family::ConsoleArgs;
use crate::window::{Participant, screenshot_at, story_app};
use crate::{StoryLocation, prepare, reference_story};

pub fn console(args: &ConsoleArgs) -> ExitCode {
    let code = match JoinCode::parse(&args.code) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: --code: {e}");
            return ExitCode::from(2);
        }
    };
    let console_code = match JoinCode::parse(&args.console_code) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: --console-code: {e}");
            return ExitCode::from(2);
        }
    };
    let story = args.story.clone().unwrap_or_else(reference_story);
    let (location, checked): (StoryLocation, _) = match prepare(&story, args.lang.as_deref(), false)
    {
        Ok(ok) => ok,
        Err(code) => return code,
    };
    let config = StageConfig {
        story: location.file.clone(),
        lang: args.lang.clone(),
        participant: ParticipantSource::Live,
        log: None,
        folder: Some(location.folder.clone()),
        preloaded: Some(checked.preloaded()),
    };
    if let Err(code) = crate::need_display() {
        return code;
    }
    let mut app = story_app(&location, &checked, config, 1.0, Participant::Flat, false);
    // The console shows the host's session: made before the story loads.
    app.insert_resource(Mirror::for_console());
    if let Err(e) = reunion_net::console::console_in(
        &mut app,
        args.address,
        &code,
        console_code.as_str(),
        &location.folder,
        reunion_net::join::WINDOW_SILENCE,
    ) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    app.add_plugins(PresenceViewPlugin)
        .add_systems(
            Update,
            (
                crate::family_window::follow_join_status.before(StageSystems::Director),
                forward_console_actions.after(StageSystems::Input),
            ),
        )
        .add_plugins(crate::signals::EndOnSignals);
    if let Some(path) = &args.shot.screenshot {
        screenshot_at(&mut app, path, args.shot.at);
    }
    eprintln!("the facilitator's console, joining {}...", args.address);
    crate::family_window::run_joined(app)
}

/// The console's buttons, for the host's director: commands and events as they are,
/// an act for the participant as the events it causes (worked out on a copy of this
/// session's stand-in, as the host's would). The language and the volumes are this
/// machine's own (the local dispatch sets them).
fn forward_console_actions(
    mut actions: MessageReader<ConsoleAction>,
    session: Option<Res<StorySession>>,
    mut outbox: ResMut<ConsoleOutbox>,
) {
    for action in actions.read() {
        match action.clone().effect() {
            ConsoleEffect::Operator(cmd) => outbox.0.push(ConsoleInput::Operator(cmd)),
            ConsoleEffect::Story(event) => outbox.0.push(ConsoleInput::Event(event)),
            ConsoleEffect::Participant(act) => {
                let Some(s) = session.as_deref() else {
                    continue;
                };
                let story = Arc::clone(s.session.story());
                let mut stand_in = s.session.stand_in.clone();
                outbox.0.extend(
                    stand_in
                        .act(&story, &act)
                        .into_iter()
                        .map(ConsoleInput::Event),
                );
            }
            ConsoleEffect::Language(_)
            | ConsoleEffect::Volume(..)
            | ConsoleEffect::ResumeOffered
            | ConsoleEffect::DismissOffer => {}
        }
    }
}
