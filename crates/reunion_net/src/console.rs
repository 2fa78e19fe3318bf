//! The facilitator's console on a machine of its own (`reunion console ADDRESS`).
//!
//! The console joins like a participant's window, with the join code, and also gives
//! the console code the host printed (a second secret, so that a participant who has
//! the join code cannot run the story). It is not a participant: it has no presence,
//! it meets no wait, and the story does not wait for it. Its stage mirrors the host's
//! session (`reunion_stage::mirror`), so the console shows the story's state as the
//! host has it; its buttons go to the host's director as [`ConsoleInput`]s, which the
//! host takes as its own console's ([`console_may_send`] checks them).

use std::net::SocketAddr;
use std::time::Duration;

use bevy::prelude::*;
use reunion_story::director::{OperatorCommand, StoryEvent};
use reunion_story::story::Story;

use crate::code::JoinCode;
use crate::protocol::ConsoleInput;
use crate::roster::participant_may_send;

/// The name a remote console goes by in the host's terminal and log.
pub const CONSOLE_NAME: &str = "console";

/// What this machine's console asked for, to go to the host this frame.
#[derive(Resource, Default, Debug)]
pub struct ConsoleOutbox(pub Vec<ConsoleInput>);

/// Whether the host takes `input` from a remote console for `story`: every operator
/// command naming a node, answer or intent the story has, and the events the console
/// causes locally (an operator cue; an act for a participant, as a participant may
/// send it). The console code is a secret, but what comes over the network is still
/// not trusted with an id out of range.
pub fn console_may_send(story: &Story, input: &ConsoleInput) -> bool {
    match input {
        ConsoleInput::Operator(cmd) => match cmd {
            OperatorCommand::JumpTo(node) => node.index() < story.nodes.len(),
            OperatorCommand::SayAnswer(a) => a.index() < story.answers.len(),
            OperatorCommand::DeclareHeard(i) => i.index() < story.intents.len(),
            OperatorCommand::Hold
            | OperatorCommand::Resume
            | OperatorCommand::RepeatLine
            | OperatorCommand::SkipLine
            | OperatorCommand::EndGently
            | OperatorCommand::StopNow
            | OperatorCommand::ConfirmAnswer
            | OperatorCommand::DismissAnswer => true,
        },
        ConsoleInput::Event(StoryEvent::OperatorCue(name)) => !name.is_empty() && name.len() <= 200,
        ConsoleInput::Event(e) => participant_may_send(story, e),
    }
}

/// Makes `app` the facilitator's console of the host's story at `host`: it joins with
/// the join `code` and the `console_code` the host printed. Insert a
/// `reunion_stage::prelude::Mirror` before, for the console to show the host's session;
/// whatever goes into [`ConsoleOutbox`] is sent to the host.
pub fn console_in(
    app: &mut App,
    host: SocketAddr,
    code: &JoinCode,
    console_code: &str,
    story: &std::path::Path,
    silence: Duration,
) -> Result<(), String> {
    crate::join::join_as(
        app,
        host,
        code,
        CONSOLE_NAME,
        story,
        false,
        silence,
        Some(console_code.trim().to_owned()),
    )?;
    app.init_resource::<ConsoleOutbox>();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reunion_story::story::{NodeId, PlaceId, ThingId};

    #[test]
    fn the_console_may_run_the_story_but_not_name_what_it_does_not_have() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon");
        let story = reunion_story::load::load_dir(&dir)
            .story
            .expect("the reference story");
        let op = |c| console_may_send(&story, &ConsoleInput::Operator(c));
        assert!(op(OperatorCommand::Hold));
        assert!(op(OperatorCommand::StopNow));
        assert!(op(OperatorCommand::JumpTo(NodeId(3))));
        assert!(!op(OperatorCommand::JumpTo(NodeId(60_000))));
        let ev = |e| console_may_send(&story, &ConsoleInput::Event(e));
        assert!(ev(StoryEvent::OperatorCue("ready".into())));
        assert!(!ev(StoryEvent::OperatorCue(String::new())));
        assert!(ev(StoryEvent::ParticipantSpoke));
        assert!(!ev(StoryEvent::TransitionFinished), "the host's world's");
        let nowhere = ThingId {
            place: PlaceId(400),
            index: 0,
        };
        assert!(!ev(StoryEvent::PickedUp(nowhere)));
    }
}
