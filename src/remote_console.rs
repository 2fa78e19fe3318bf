//! `reunion console ADDRESS`: the facilitator's console on a machine of its own, for a
//! hosted story (docs/network.md).
//!
//! A window like a participant's: its stage mirrors the host's session, so the place,
//! her, the subtitles and the others' presences show as the host has them, and the
//! console (the same egui console as at the host) shows the story's state from that
//! session. The console's buttons go to the host's director instead of this machine's
//! ([`forward_console_requests`]), and so do the operator's keys; the language and the volumes stay this machine's.
//! Joining needs the join code and the console code the host printed.

use std::process::ExitCode;
use std::sync::Arc;

use bevy::prelude::*;
use reunion_net::code::JoinCode;
use reunion_net::console::ConsoleOutbox;
use reunion_net::presences::PresenceViewPlugin;
use reunion_net::protocol::ConsoleInput;
use reunion_stage::prelude::*;

use crate::family::ConsoleArgs;
use crate::reference_story;
use crate::window::{Participant, screenshot_at, story_app};

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
    let (location, checked, config) =
        match crate::family_window::mirroring_stage(&story, args.lang.as_deref()) {
            Ok(ok) => ok,
            Err(code) => return code,
        };
    if let Err(code) = crate::need_display() {
        return code;
    }
    let mut app = story_app(&location, &checked, config, 1.0, Participant::Flat, false);
    // The console shows the host's session: made before the story loads.
    app.insert_resource(Mirror::for_console())
        .insert_resource(reunion_stage::flat::FlatHelp {
            visible: true,
            keys: reunion_stage::flat::CONSOLE_KEYS,
        });
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
                forward_console_requests
                    .after(StageSystems::Input)
                    .before(StageSystems::Director),
            ),
        )
        .add_plugins(crate::signals::EndOnSignals);
    if let Some(path) = &args.shot.screenshot {
        screenshot_at(&mut app, path, args.shot.at);
    }
    eprintln!("the facilitator's console, joining {}...", args.address);
    crate::family_window::run_joined(app)
}

/// The console's buttons and the operator's keys, for the host's director. Both end up
/// as the messages the local director would read (the console's dispatch writes them
/// for the buttons): operator commands and story events go as they are, an act for
/// the participant as the events it causes (worked out on a copy of this session's
/// stand-in, as the host's would). The language and the volumes stay this machine's
/// (the dispatch sets them here).
fn forward_console_requests(
    mut operator: MessageReader<OperatorRequest>,
    mut reported: MessageReader<ReportStoryEvent>,
    mut acted: MessageReader<ParticipantActed>,
    session: Option<Res<StorySession>>,
    mut outbox: ResMut<ConsoleOutbox>,
) {
    outbox.0.extend(
        operator
            .read()
            .map(|OperatorRequest(cmd)| ConsoleInput::Operator(cmd.clone())),
    );
    outbox.0.extend(
        reported
            .read()
            .map(|ReportStoryEvent(event)| ConsoleInput::Event(event.clone())),
    );
    let Some(s) = session.as_deref() else {
        acted.clear();
        return;
    };
    let story = Arc::clone(s.session.story());
    let mut stand_in = s.session.stand_in.clone();
    for ParticipantActed(act) in acted.read() {
        outbox.0.extend(
            stand_in
                .act(&story, act)
                .into_iter()
                .map(ConsoleInput::Event),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use reunion_story::director::{OperatorCommand, StoryEvent};
    use reunion_story::participant::ParticipantAction;
    use reunion_story::session::Session;
    use reunion_story::story::LangId;

    #[test]
    fn the_operators_keys_and_the_consoles_buttons_go_to_the_host() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/stories/nayeon");
        let story = Arc::new(
            reunion_story::load::load_dir(&folder)
                .story
                .expect("the reference story"),
        );
        let mut app = App::new();
        app.add_message::<OperatorRequest>()
            .add_message::<ReportStoryEvent>()
            .add_message::<ParticipantActed>()
            .init_resource::<ConsoleOutbox>()
            .insert_resource(StorySession {
                session: Session::replaying(story),
                lang: LangId(0),
                handle: Handle::default(),
            })
            .add_systems(Update, forward_console_requests);
        // Space on the keyboard, an operator's cue button, "act: speak" for the participant.
        let world = app.world_mut();
        world.write_message(OperatorRequest(OperatorCommand::Hold));
        world.write_message(ReportStoryEvent(StoryEvent::OperatorCue("ready".into())));
        world.write_message(ParticipantActed(ParticipantAction::Speak));
        app.update();
        assert_eq!(
            app.world().resource::<ConsoleOutbox>().0,
            vec![
                ConsoleInput::Operator(OperatorCommand::Hold),
                ConsoleInput::Event(StoryEvent::OperatorCue("ready".into())),
                ConsoleInput::Event(StoryEvent::ParticipantSpoke),
            ]
        );
        // Nothing is sent twice.
        app.world_mut().resource_mut::<ConsoleOutbox>().0.clear();
        app.update();
        assert!(app.world().resource::<ConsoleOutbox>().0.is_empty());
    }
}
