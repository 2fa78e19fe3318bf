//! What the world is like, as far as a wait's conditions care, and whether a
//! condition is met: the facts the director has been told (a hand held, a candle
//! placed, words spoken, each with its story time) and nothing else.

use std::collections::HashMap;

use crate::story::*;

/// What the world is like, as far as conditions care.
#[derive(Clone, Debug, Default)]
pub(super) struct WorldState {
    pub(super) hand_held_by: Option<ActorId>,
    pub(super) gaze: Option<(ActorId, f64)>,
    pub(super) distance: HashMap<ActorId, f32>,
    pub(super) candles_placed: u32,
    pub(super) last_candle_at: Option<f64>,
    pub(super) all_placed: bool,
    pub(super) lit: bool,
    pub(super) blown_out: bool,
    pub(super) spoke_at: Option<f64>,
    pub(super) touches: Vec<(ActorId, TouchZone, f64)>,
    pub(super) operator_cues: Vec<(String, f64)>,
}

impl WorldState {
    /// Whether `c` holds now (story seconds), for a wait that began at `since`: events
    /// that come and go (a candle placed, words, a touch, an operator's cue) count
    /// only when they happened during the wait.
    pub(super) fn met(&self, c: &Condition, since: f64, now: f64) -> bool {
        match c {
            Condition::HandHeld(a) => self.hand_held_by == Some(*a),
            Condition::HandReleased => self.hand_held_by.is_none(),
            Condition::GazeHeld { on, seconds } => self
                .gaze
                .is_some_and(|(g, from)| g == *on && now - from >= f64::from(*seconds) - 1e-6),
            Condition::Near { to, within } => self.distance.get(to).is_some_and(|d| d <= within),
            Condition::CandlePlaced => self.last_candle_at.is_some_and(|t| t >= since),
            Condition::AllCandlesPlaced => self.all_placed,
            Condition::CandlesLit => self.lit,
            Condition::CandlesBlownOut => self.blown_out,
            Condition::ParticipantSpoke => self.spoke_at.is_some_and(|t| t >= since),
            Condition::Touched { actor, zone } => self
                .touches
                .iter()
                .any(|(a, z, t)| a == actor && z == zone && *t >= since),
            Condition::OperatorCue(name) => self
                .operator_cues
                .iter()
                .any(|(n, t)| n == name && *t >= since),
            Condition::Any(list) => list.iter().any(|c| self.met(c, since, now)),
            Condition::All(list) => list.iter().all(|c| self.met(c, since, now)),
        }
    }
}
