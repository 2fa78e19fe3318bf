//! A session that mirrors another machine's: a participant's window in a hosted story
//! (docs/network.md).
//!
//! The host's director is the one source of truth. It shares every input it takes
//! ([`ShareInputs`]: the frame's time, the events, the operator's commands), and a
//! participant's machine feeds them, in order, to a session of its own made to replay
//! ([`Mirror`]). The director is deterministic, so that session says the same lines at
//! the same story times, in the same places, with the same hand held and candles lit
//! — and everything that follows a session on this machine (the places, her body and
//! voice, the subtitles, the hands, the fades) shows the host's story without knowing
//! it is a mirror. What this machine's participant does (the hands, the keys, the
//! microphone) goes the other way, to the host's director, in [`Mirror::outbox`]; it
//! comes back as the host's inputs like everyone else's.
//!
//! The facilitator is at the host: an operator's request on a mirror is not taken.
//! When the host is gone ([`Mirror::go_on_alone`]) the session runs on this machine's
//! clock, so the calm place and the fades it asks for still play.

use bevy::prelude::*;
use reunion_story::director::{Input, StoryEvent};

use crate::StageSystems;
use crate::session::{
    CueIssued, OperatorRequest, ParticipantActed, ReportStoryEvent, SessionFinished, StorySession,
    events_of_the_frame,
};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, advance_mirror.in_set(StageSystems::Director));
}

/// On a host: its session keeps every input it takes for the mirrors (see
/// `reunion_story::session::Session::share_inputs`).
#[derive(Resource, Clone, Copy, Debug, Default)]
pub struct ShareInputs;

/// This machine's session mirrors a host's.
#[derive(Resource, Debug, Default)]
pub struct Mirror {
    /// The host's inputs not taken yet, in order; they may come before the story has
    /// loaded here and wait for it.
    pub inbox: Vec<Input>,
    /// What this machine's participant did, for the host's director.
    pub outbox: Vec<StoryEvent>,
    on_its_own: bool,
    /// The facilitator's console on a machine of its own: its operator's requests go
    /// to the host another way (`reunion_net::console`), and are not warned of here.
    console: bool,
}

impl Mirror {
    /// The mirror of the facilitator's console on a machine of its own.
    pub fn for_console() -> Self {
        Self {
            console: true,
            ..Self::default()
        }
    }

    /// The host is gone: from now on the session runs on this machine's clock and
    /// takes this machine's inputs (the calm place, the aftercare).
    pub fn go_on_alone(&mut self) {
        self.on_its_own = true;
        self.inbox.clear();
        self.outbox.clear();
    }

    /// Whether the host is gone.
    pub fn is_on_its_own(&self) -> bool {
        self.on_its_own
    }
}

/// Whether the session follows a host this frame (the director's own system stands
/// aside).
pub(crate) fn follows_a_host(mirror: Option<&Mirror>) -> bool {
    mirror.is_some_and(|m| !m.on_its_own)
}

/// The host's inputs into this machine's session; this machine's participant's acts
/// out to the host.
#[allow(clippy::too_many_arguments)]
fn advance_mirror(
    mirror: Option<ResMut<Mirror>>,
    session: Option<ResMut<StorySession>>,
    mut reported: MessageReader<ReportStoryEvent>,
    mut acted: MessageReader<ParticipantActed>,
    mut operator: MessageReader<OperatorRequest>,
    mut cues: MessageWriter<CueIssued>,
    mut finished: MessageWriter<SessionFinished>,
    mut done: Local<bool>,
) {
    let Some(mut mirror) = mirror else {
        return;
    };
    if mirror.on_its_own {
        return;
    }
    let Some(mut s) = session else {
        reported.clear();
        acted.clear();
        operator.clear();
        return;
    };
    let s = &mut *s;
    let events = events_of_the_frame(&mut s.session, &mut acted, &mut reported);
    mirror.outbox.extend(events);
    for OperatorRequest(cmd) in operator.read() {
        if !mirror.console {
            warn!("the facilitator's console is at the host: {cmd:?} was not taken here");
        }
    }
    for input in std::mem::take(&mut mirror.inbox) {
        for cue in s.session.input(input) {
            cues.write(CueIssued(cue));
        }
    }
    if !*done && s.session.director.is_ended() {
        *done = true;
        finished.write(SessionFinished(Ok(())));
    }
}
