//! What the world is like, as far as a wait's conditions care, and whether a
//! condition is met: the facts the director has been told (a hand held, a candle
//! placed, words spoken, a thing picked up or set in a socket, each with its story
//! time) and nothing else.
//!
//! In a session of several, the facts about a participant's body (a hand held, a
//! gaze, how near, a touch) keep who it was ([`Who`]), so that a wait addressed to
//! one participant ([`Condition::By`]) is met by them alone; a wait addressed to no
//! one is met by anyone.
//!
//! The things' facts (held, in a socket, touched, lit) are about the current place:
//! they are forgotten whenever a place is entered ([`WorldState::clear_things`]), as
//! the world builds the place anew.

use std::collections::HashMap;

use super::messages::{RehearsedWorld, StoryEvent};
use crate::story::*;

/// Who did something: a participant by their name in a session of several, or
/// `None` for the only participant (of `reunion play`), who stands for everyone.
pub(super) type Who = Option<String>;

/// Whether what `who` did counts for a condition addressed to `wanted` (`None`:
/// addressed to no one).
pub(super) fn counts_for(wanted: Option<&str>, who: &Who) -> bool {
    match (wanted, who) {
        (None, _) | (Some(_), None) => true,
        (Some(w), Some(x)) => w == x,
    }
}

/// What the world is like, as far as conditions care.
#[derive(Clone, Debug, Default)]
pub(super) struct WorldState {
    pub(super) hand_held_by: Option<ActorId>,
    /// Whose hand holds hers (she holds one at a time).
    pub(super) hand_holder: Who,
    /// Each participant's gaze: on whom, since when.
    pub(super) gaze: Vec<(Who, ActorId, f64)>,
    pub(super) distance: HashMap<(Who, ActorId), f32>,
    pub(super) candles_placed: u32,
    pub(super) last_candle_at: Option<f64>,
    pub(super) all_placed: bool,
    pub(super) lit: bool,
    pub(super) blown_out: bool,
    pub(super) spoke_at: Option<f64>,
    /// Who last said something, and when (a `ParticipantSpoke`, or words heard).
    pub(super) speaker: Option<(Who, f64)>,
    pub(super) touches: Vec<(Who, ActorId, TouchZone, f64)>,
    pub(super) operator_cues: Vec<(String, f64)>,
    /// Intents heard for sure (or declared by the facilitator), and when.
    pub(super) heard: Vec<(IntentId, f64)>,
    /// The things the participant holds.
    pub(super) held: Vec<ThingId>,
    /// Things standing in sockets: (the thing, its holder, the socket's index).
    pub(super) in_socket: Vec<(ThingId, ThingId, u16)>,
    /// Things touched, and when.
    pub(super) touched_things: Vec<(ThingId, f64)>,
    /// Flames lit or put out since the place began (otherwise as the scene has them).
    pub(super) flames: HashMap<ThingId, bool>,
}

impl WorldState {
    /// Takes in a fact the world reported, done by `who` (events the machine
    /// handles itself, such as a finished line, are not facts and change nothing
    /// here).
    pub(super) fn record(&mut self, e: StoryEvent, who: Who, now: f64) {
        match e {
            StoryEvent::GazeOn(a) => {
                let same = self
                    .gaze
                    .iter()
                    .find(|(w, _, _)| *w == who)
                    .map(|(_, g, _)| *g);
                if same != a {
                    self.gaze.retain(|(w, _, _)| *w != who);
                    if let Some(a) = a {
                        self.gaze.push((who, a, now));
                    }
                }
            }
            StoryEvent::Distance(a, m) => {
                self.distance.insert((who, a), m);
            }
            StoryEvent::CandlePlaced(_) => {
                self.candles_placed += 1;
                self.last_candle_at = Some(now);
            }
            StoryEvent::AllCandlesPlaced => self.all_placed = true,
            StoryEvent::CandlesLit => {
                self.lit = true;
                self.blown_out = false;
            }
            StoryEvent::CandlesBlownOut => {
                self.lit = false;
                self.blown_out = true;
            }
            StoryEvent::ParticipantSpoke => {
                self.spoke_at = Some(now);
                self.speaker = Some((who, now));
            }
            StoryEvent::Touched(a, z) => self.touches.push((who, a, z, now)),
            StoryEvent::OperatorCue(name) => self.operator_cues.push((name, now)),
            StoryEvent::PickedUp(t) => {
                self.in_socket.retain(|(x, _, _)| *x != t);
                if !self.held.contains(&t) {
                    self.held.push(t);
                }
            }
            StoryEvent::PutDown(t) => self.held.retain(|x| *x != t),
            StoryEvent::Placed {
                thing,
                into,
                socket,
            } => {
                self.held.retain(|x| *x != thing);
                self.in_socket.retain(|(x, _, _)| *x != thing);
                self.in_socket.push((thing, into, socket));
            }
            StoryEvent::TouchedThing(t) => self.touched_things.push((t, now)),
            StoryEvent::Lit(t) => {
                self.flames.insert(t, true);
            }
            StoryEvent::PutOut(t) => {
                self.flames.insert(t, false);
            }
            StoryEvent::HandHeld(_)
            | StoryEvent::HandReleased
            | StoryEvent::LineFinished(_)
            | StoryEvent::TransitionFinished
            | StoryEvent::ParticipantExit
            | StoryEvent::ParticipantSaid { .. }
            | StoryEvent::IntentsHeard { .. } => {}
        }
    }

    /// Forgets what was known of the things of the place left: a place entered is
    /// built anew, nothing held, nothing in its sockets, its flames as written.
    pub(super) fn clear_things(&mut self) {
        self.held.clear();
        self.in_socket.clear();
        self.touched_things.clear();
        self.flames.clear();
    }

    /// What lasts of this world when the story jumps elsewhere in the same state:
    /// the hand, what is held, in sockets and burning (not the moments, such as words
    /// spoken or a touch, which count only during the wait they happened in).
    pub(super) fn rehearsed(&self) -> RehearsedWorld {
        let mut flames: Vec<(ThingId, bool)> = self.flames.iter().map(|(t, l)| (*t, *l)).collect();
        flames.sort_by_key(|(t, _)| *t);
        RehearsedWorld {
            hand_held_by: self.hand_held_by,
            holding: self.held.clone(),
            in_sockets: self.in_socket.clone(),
            flames,
            candles_lit: self.lit && !self.blown_out,
        }
    }

    /// A world as `rehearsed` left it, the moments forgotten; `like` carries the
    /// birthday's counts (candles placed, all placed, blown out).
    pub(super) fn continued(like: &WorldState) -> WorldState {
        WorldState {
            hand_held_by: like.hand_held_by,
            hand_holder: like.hand_holder.clone(),
            candles_placed: like.candles_placed,
            all_placed: like.all_placed,
            lit: like.lit,
            blown_out: like.blown_out,
            held: like.held.clone(),
            in_socket: like.in_socket.clone(),
            flames: like.flames.clone(),
            ..WorldState::default()
        }
    }

    /// Whether `thing`'s flame burns.
    fn burns(&self, story: &Story, thing: ThingId) -> bool {
        self.flames
            .get(&thing)
            .copied()
            .unwrap_or_else(|| story.thing(thing).flame.is_some_and(|f| f.lit))
    }

    /// Whether `c` holds now (story seconds), for a wait that began at `since`, in
    /// `place`: events that come and go (a candle placed, words, a touch, an
    /// operator's cue) count only when they happened during the wait.
    pub(super) fn met(
        &self,
        c: &Condition,
        since: f64,
        now: f64,
        story: &Story,
        place: Option<PlaceId>,
    ) -> bool {
        self.met_by(c, None, since, now, story, place)
    }

    /// [`Self::met`] for a condition addressed to `wanted` (`None`: to anyone).
    fn met_by(
        &self,
        c: &Condition,
        wanted: Option<&str>,
        since: f64,
        now: f64,
        story: &Story,
        place: Option<PlaceId>,
    ) -> bool {
        let by = |who: &Who| counts_for(wanted, who);
        match c {
            Condition::HandHeld(a) => self.hand_held_by == Some(*a) && by(&self.hand_holder),
            Condition::HandReleased => self.hand_held_by.is_none(),
            Condition::GazeHeld { on, seconds } => self.gaze.iter().any(|(who, g, from)| {
                by(who) && g == on && now - from >= f64::from(*seconds) - 1e-6
            }),
            Condition::Near { to, within } => self
                .distance
                .iter()
                .any(|((who, a), d)| by(who) && a == to && d <= within),
            Condition::CandlePlaced => self.last_candle_at.is_some_and(|t| t >= since),
            Condition::AllCandlesPlaced => self.all_placed,
            Condition::CandlesLit => self.lit,
            Condition::CandlesBlownOut => self.blown_out,
            Condition::ParticipantSpoke => self.spoke_at.is_some_and(|t| t >= since),
            Condition::Touched { actor, zone } => self
                .touches
                .iter()
                .any(|(who, a, z, t)| by(who) && a == actor && z == zone && *t >= since),
            Condition::OperatorCue(name) => self
                .operator_cues
                .iter()
                .any(|(n, t)| n == name && *t >= since),
            Condition::Heard(intent) => self.heard.iter().any(|(i, t)| i == intent && *t >= since),
            Condition::Any(list) => list
                .iter()
                .any(|c| self.met_by(c, wanted, since, now, story, place)),
            Condition::All(list) => list
                .iter()
                .all(|c| self.met_by(c, wanted, since, now, story, place)),
            Condition::By {
                participant,
                condition,
            } => self.met_by(condition, Some(participant), since, now, story, place),
            Condition::Placed { thing, into } => self
                .in_socket
                .iter()
                .any(|(t, holder, _)| thing.contains(*t) && into.contains(*holder)),
            Condition::Holding(things) => self.held.iter().any(|t| things.contains(*t)),
            Condition::TouchedThing(things) => self
                .touched_things
                .iter()
                .any(|(t, at)| things.contains(*t) && *at >= since),
            Condition::Lit(things) => {
                place.is_some_and(|p| things.in_place(p).any(|t| self.burns(story, t)))
            }
        }
    }
}
