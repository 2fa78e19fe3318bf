//! [`Autopilot`]: a person who meets each wait as a person would, after a human
//! pause: takes the hand held out, looks at her, comes closer, sets the candles, picks
//! up and places the thing a wait asks for, touches what it asks to be touched, says
//! the words it listens for.

use std::collections::VecDeque;

use crate::director::Cue;
use crate::story::*;

use super::{Participant, ParticipantAction};

/// A person who satisfies each wait as a person would, after a human pause.
#[derive(Clone, Debug, Default)]
pub struct Autopilot {
    plan: VecDeque<(f64, ParticipantAction)>,
    candles_left: u8,
    /// The current place, whose things the participant can reach.
    place: Option<PlaceId>,
    /// Who this is in a session of several (`None`: the only participant, who meets
    /// every wait, those addressed to someone by name too).
    name: Option<String>,
}

impl Autopilot {
    pub fn new() -> Self {
        Self::default()
    }

    /// One of several participants, `name`: meets the waits addressed to them or to
    /// anyone, and leaves those addressed to someone else to them (letting go of her
    /// hand when it is someone else's turn to take it).
    pub fn named(name: &str) -> Self {
        Self {
            name: Some(name.to_owned()),
            ..Self::default()
        }
    }

    fn schedule(&mut self, at: f64, action: ParticipantAction) {
        self.plan.push_back((at, action));
    }

    /// The things of `set` in the current place, those shown from the start first.
    fn reachable<'s>(&self, story: &'s Story, set: &ThingSet) -> Vec<(ThingId, &'s Thing)> {
        let Some(p) = self.place else {
            return Vec::new();
        };
        let mut found: Vec<(ThingId, &Thing)> =
            set.in_place(p).map(|t| (t, story.thing(t))).collect();
        found.sort_by_key(|(_, t)| t.hidden);
        found
    }

    fn respond(&mut self, story: &Story, c: &Condition, now: f64) {
        let name = |a: &ActorId| story.actor(*a).id.clone();
        match c {
            Condition::HandHeld(a) => {
                self.schedule(now + 2.0, ParticipantAction::TakeHand(name(a)))
            }
            Condition::HandReleased => self.schedule(now + 1.0, ParticipantAction::LetGo),
            Condition::GazeHeld { on, .. } => {
                self.schedule(now + 0.8, ParticipantAction::LookAt(name(on)))
            }
            Condition::Near { to, within } => self.schedule(
                now + 2.5,
                ParticipantAction::ComeNear(name(to), (within * 0.7).max(0.3)),
            ),
            Condition::CandlePlaced => self.schedule(now + 2.5, ParticipantAction::PlaceCandle),
            Condition::AllCandlesPlaced => {
                for i in 0..self.candles_left {
                    self.schedule(
                        now + 2.5 + 2.5 * f64::from(i),
                        ParticipantAction::PlaceCandle,
                    );
                }
            }
            Condition::CandlesLit => {}
            Condition::CandlesBlownOut => self.schedule(now + 2.0, ParticipantAction::BlowOut),
            Condition::ParticipantSpoke => self.schedule(now + 4.0, ParticipantAction::Speak),
            Condition::Touched { actor, zone } => {
                self.schedule(now + 1.5, ParticipantAction::Touch(name(actor), *zone))
            }
            Condition::OperatorCue(_) => {}
            Condition::Heard(i) => {
                // The intent's first words, in the first language that has any.
                if let Some(words) = story.intent(*i).words.iter().flatten().next() {
                    self.schedule(now + 4.0, ParticipantAction::SayWords(words.clone()));
                }
            }
            Condition::Any(list) => {
                if let Some(first) = list.iter().find(|c| autopilot_can(c)) {
                    self.respond(story, first, now);
                }
            }
            Condition::All(list) => {
                for c in list {
                    self.respond(story, c, now);
                }
            }
            Condition::Placed { thing, into } => {
                let holders = self.reachable(story, into);
                let pair = self
                    .reachable(story, thing)
                    .into_iter()
                    .filter(|(_, t)| t.grab)
                    .find_map(|(_, t)| {
                        holders
                            .iter()
                            .find(|(_, h)| h.sockets.iter().any(|s| s.accepts(t)))
                            .map(|(_, h)| (t.id.clone(), h.id.clone()))
                    });
                if let Some((thing, into)) = pair {
                    self.schedule(now + 2.0, ParticipantAction::PickUp(thing.clone()));
                    self.schedule(now + 4.5, ParticipantAction::PlaceIn { thing, into });
                }
            }
            Condition::Holding(set) => {
                if let Some((_, t)) = self.reachable(story, set).into_iter().find(|(_, t)| t.grab) {
                    self.schedule(now + 2.0, ParticipantAction::PickUp(t.id.clone()));
                }
            }
            Condition::TouchedThing(set) => {
                if let Some((_, t)) = self
                    .reachable(story, set)
                    .into_iter()
                    .find(|(_, t)| t.touch)
                {
                    self.schedule(now + 1.5, ParticipantAction::TouchThing(t.id.clone()));
                }
            }
            // A flame is lit by the story's cue, not by the participant.
            Condition::Lit(_) => {}
            Condition::By {
                participant,
                condition,
            } => match &self.name {
                Some(me) if me != participant => {
                    if matches!(**condition, Condition::HandHeld(_)) {
                        self.schedule(now + 1.0, ParticipantAction::LetGo);
                    }
                }
                _ => self.respond(story, condition, now),
            },
        }
    }
}

/// Whether the autopilot knows how to meet a condition by itself.
pub fn autopilot_can(c: &Condition) -> bool {
    match c {
        Condition::CandlesLit | Condition::OperatorCue(_) | Condition::Lit(_) => false,
        Condition::Any(list) => list.iter().any(autopilot_can),
        Condition::All(list) => list.iter().all(autopilot_can),
        Condition::By { condition, .. } => autopilot_can(condition),
        _ => true,
    }
}

impl Participant for Autopilot {
    fn observe(&mut self, story: &Story, cue: &Cue, now: f64) {
        match cue {
            Cue::Waiting { node, .. } => {
                if let NodeKind::Wait { until, .. } = &story.node(*node).kind {
                    self.plan.clear();
                    self.respond(story, until, now);
                }
            }
            Cue::EnterPlace { place } | Cue::TransitionEnded { place } => {
                self.candles_left = story.candle_sockets(*place);
                self.place = Some(*place);
            }
            Cue::LeadPaused(a) => {
                // She offers the hand again: take it.
                self.schedule(
                    now + 1.5,
                    ParticipantAction::TakeHand(story.actor(*a).id.clone()),
                );
            }
            _ => {}
        }
    }

    fn due(&mut self, now: f64) -> Vec<ParticipantAction> {
        let mut out = Vec::new();
        while let Some((at, _)) = self.plan.front() {
            if *at > now {
                break;
            }
            let (_, a) = self.plan.pop_front().expect("front exists");
            if a == ParticipantAction::PlaceCandle {
                self.candles_left = self.candles_left.saturating_sub(1);
            }
            out.push(a);
        }
        out
    }

    fn has_more(&self) -> bool {
        true
    }
}
