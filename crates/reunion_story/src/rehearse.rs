//! Rehearsing from anywhere: the state a real playthrough has at a node, found by
//! playing the story up to it, in no time, without a world.
//!
//! `reunion play --from NODE` and the console's jump land at a node as if the story
//! had been played to it: its variables set, in its place, the hand held if it was,
//! the candles in the cake and lit if they were. [`rehearse`] finds that state by
//! running a [`Session`] on simulated time with the [`Autopilot`] (a participant who
//! meets every wait); a node only a participant who does nothing reaches (the path
//! of a timeout) is tried again with nobody acting. [`Session`]'s jumps use it
//! through [`Director::continue_from`].

use std::sync::Arc;

use crate::director::Director;
use crate::participant::{Autopilot, Participant, Script, StandIn};
use crate::session::Session;
use crate::story::*;

/// Frames per simulated second of a rehearsal: fine enough for every wait's timing.
const REHEARSAL_HZ: f32 = 30.0;
/// The longest playthrough a rehearsal tries, in session seconds.
const REHEARSAL_MAX_SECONDS: f64 = 4.0 * 3600.0;

/// Who played the story up to the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RehearsedBy {
    /// The autopilot, who meets every wait.
    Autopilot,
    /// Nobody: every wait ran out (the node lies on a timeout's path).
    Nobody,
}

/// The story played up to a node.
#[derive(Clone, Debug)]
pub struct Rehearsal {
    /// The director just after entering the node.
    pub director: Director,
    /// The stand-in world as the playthrough left it.
    pub stand_in: StandIn,
    /// Who played it.
    pub by: RehearsedBy,
    /// Session seconds the playthrough took to get there.
    pub seconds: f64,
}

/// No playthrough we try reaches the node.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreached {
    pub node: String,
}

impl std::fmt::Display for Unreached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no playthrough reaches node `{}` (neither one that meets every wait nor one where nobody acts)",
            self.node
        )
    }
}

impl std::error::Error for Unreached {}

/// Plays `story` up to `node` in language `lang`: first with the autopilot, then with
/// nobody acting.
pub fn rehearse(story: &Arc<Story>, node: NodeId, lang: LangId) -> Result<Rehearsal, Unreached> {
    let tries: [(RehearsedBy, fn() -> Box<dyn Participant + Send + Sync>); 2] = [
        (RehearsedBy::Autopilot, || Box::new(Autopilot::new())),
        (RehearsedBy::Nobody, || Box::new(Script::new(Vec::new()))),
    ];
    for (by, participant) in tries {
        if let Some(r) = play_up_to(story, node, lang, participant(), by) {
            return Ok(r);
        }
    }
    Err(Unreached {
        node: story
            .nodes
            .get(node.index())
            .map_or_else(|| format!("#{}", node.index()), |n| n.id.clone()),
    })
}

fn play_up_to(
    story: &Arc<Story>,
    node: NodeId,
    lang: LangId,
    participant: Box<dyn Participant + Send + Sync>,
    by: RehearsedBy,
) -> Option<Rehearsal> {
    let mut session = Session::new(Arc::clone(story)).with_participant(participant);
    session.director.set_language(lang);
    session.director.trace_entered();
    session.start();
    let dt = 1.0 / REHEARSAL_HZ;
    loop {
        if session.director.take_entered().contains(&node) {
            return Some(Rehearsal {
                seconds: session.director.session_time(),
                director: session.director.clone(),
                stand_in: session.stand_in.clone(),
                by,
            });
        }
        if session.director.is_ended()
            || session.stuck().is_some()
            || session.director.session_time() > REHEARSAL_MAX_SECONDS
        {
            return None;
        }
        session.step(dt, []);
    }
}
