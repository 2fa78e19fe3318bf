//! [`StandIn`]: the world's rules when there is no world, turning the participant's
//! actions into the story events a world would report.
//!
//! It follows the director's cues to know what the world offers (a hand held out, a
//! place entered, a thing shown, a flame lit by a cue) and keeps what the participant
//! changed (whose hand is held, which thing the free hand carries, which thing stands
//! in which socket, which flames burn). The rules are the live world's: a hand is only
//! taken when offered; only a thing that can be grabbed is picked up, only one at a
//! time; a thing goes only into a free socket that accepts it; only a thing that
//! reports touches reports one; a candle set on a cake is also a `CandlePlaced`.

use crate::director::{Cue, StoryEvent};
use crate::story::*;

use super::ParticipantAction;

/// Turns participant actions into story events, by the rules of the world.
#[derive(Clone, Debug, Default)]
pub struct StandIn {
    offered: Vec<ActorId>,
    holding: Option<ActorId>,
    sockets: u8,
    placed: u8,
    lit: bool,
    /// The current place.
    place: Option<PlaceId>,
    /// The thing the participant's free hand carries.
    carrying: Option<ThingId>,
    /// Things standing in sockets: (the thing, its holder, the socket's index).
    in_socket: Vec<(ThingId, ThingId, u16)>,
    /// Flames lit or put out since the place began.
    flames: Vec<(ThingId, bool)>,
    /// Things shown (true) or hidden by cues since the place began.
    shown: Vec<(ThingId, bool)>,
}

impl StandIn {
    /// Follows the director's cues to know what the world offers.
    pub fn observe(&mut self, story: &Story, cue: &Cue) -> Vec<StoryEvent> {
        let mut out = Vec::new();
        match cue {
            Cue::World(WorldCue::OfferHand(a)) | Cue::LeadPaused(a)
                if !self.offered.contains(a) =>
            {
                self.offered.push(*a);
            }
            Cue::World(WorldCue::LetGo(a)) => {
                self.offered.retain(|o| o != a);
                if self.holding == Some(*a) {
                    self.holding = None;
                    out.push(StoryEvent::HandReleased);
                }
            }
            Cue::World(WorldCue::LightCandles) if self.placed > 0 && !self.lit => {
                self.lit = true;
                out.push(StoryEvent::CandlesLit);
                // Every candle standing in a socket catches.
                let standing: Vec<ThingId> = self
                    .in_socket
                    .iter()
                    .map(|(t, _, _)| *t)
                    .filter(|t| story.thing(*t).has_tag(CANDLE_TAG))
                    .collect();
                for t in standing {
                    out.extend(self.set_flame(story, t, true));
                }
            }
            Cue::World(WorldCue::Light(things)) | Cue::World(WorldCue::PutOut(things)) => {
                let lit = matches!(cue, Cue::World(WorldCue::Light(_)));
                if let Some(p) = self.place {
                    for t in things.in_place(p) {
                        out.extend(self.set_flame(story, t, lit));
                    }
                }
            }
            Cue::World(WorldCue::Show(name)) | Cue::World(WorldCue::Hide(name)) => {
                let shown = matches!(cue, Cue::World(WorldCue::Show(_)));
                if let Some(t) = self.place.and_then(|p| story.thing_in(p, name)) {
                    self.shown.retain(|(x, _)| *x != t);
                    self.shown.push((t, shown));
                    if !shown && self.carrying == Some(t) {
                        self.carrying = None;
                    }
                }
            }
            Cue::EnterPlace { place } | Cue::TransitionEnded { place } => {
                self.sockets = story.candle_sockets(*place);
                self.placed = 0;
                self.lit = false;
                self.place = Some(*place);
                self.carrying = None;
                self.in_socket.clear();
                self.flames.clear();
                self.shown.clear();
            }
            // After a jump or a resume, the place entered is set as a playthrough
            // left it: the same hand, things carried, in sockets and burning.
            Cue::WorldAsRehearsed(w) => {
                self.holding = w.hand_held_by;
                self.carrying = w.holding.first().copied();
                self.in_socket = w.in_sockets.clone();
                self.flames = w.flames.clone();
                self.lit = w.candles_lit;
                let candles = w
                    .in_sockets
                    .iter()
                    .filter(|(t, _, _)| story.thing(*t).has_tag(CANDLE_TAG))
                    .count();
                self.placed = u8::try_from(candles).unwrap_or(u8::MAX);
            }
            _ => {}
        }
        out
    }

    /// What happens in the world when the participant does `action`.
    pub fn act(&mut self, story: &Story, action: &ParticipantAction) -> Vec<StoryEvent> {
        let actor = |name: &str| story.actor_id(name);
        match action {
            ParticipantAction::LookAt(name) => vec![StoryEvent::GazeOn(actor(name))],
            ParticipantAction::LookAway => vec![StoryEvent::GazeOn(None)],
            ParticipantAction::ComeNear(name, m) => actor(name)
                .map(|a| vec![StoryEvent::Distance(a, *m)])
                .unwrap_or_default(),
            ParticipantAction::TakeHand(name) => match actor(name) {
                Some(a) if self.offered.contains(&a) && self.holding != Some(a) => {
                    self.holding = Some(a);
                    vec![StoryEvent::HandHeld(a)]
                }
                _ => vec![],
            },
            ParticipantAction::LetGo => match self.holding.take() {
                Some(_) => vec![StoryEvent::HandReleased],
                None => vec![],
            },
            ParticipantAction::PlaceCandle => self.place_candle(story),
            ParticipantAction::BlowOut => {
                if !self.lit {
                    return vec![];
                }
                self.lit = false;
                let mut ev = vec![StoryEvent::CandlesBlownOut];
                if let Some(p) = self.place {
                    let candles = (0..story.place(p).things.len()).map(|i| ThingId {
                        place: p,
                        index: i as u16,
                    });
                    for t in candles.filter(|t| story.thing(*t).has_tag(CANDLE_TAG)) {
                        ev.extend(self.set_flame(story, t, false));
                    }
                }
                ev
            }
            ParticipantAction::Speak => vec![StoryEvent::ParticipantSpoke],
            ParticipantAction::SayWords(text) => vec![
                StoryEvent::ParticipantSpoke,
                StoryEvent::ParticipantSaid {
                    text: text.clone(),
                    confidence: 1.0,
                },
            ],
            ParticipantAction::Touch(name, zone) => actor(name)
                .map(|a| vec![StoryEvent::Touched(a, *zone)])
                .unwrap_or_default(),
            ParticipantAction::PickUp(name) => match self.here(story, name) {
                Some(t) if story.thing(t).grab && self.carrying != Some(t) => self.pick_up(t),
                _ => vec![],
            },
            ParticipantAction::PlaceIn { thing, into } => {
                let (Some(t), Some(holder)) = (self.here(story, thing), self.here(story, into))
                else {
                    return vec![];
                };
                self.place_in(story, t, holder)
            }
            ParticipantAction::TouchThing(name) => match self.here(story, name) {
                Some(t) if story.thing(t).touch => vec![StoryEvent::TouchedThing(t)],
                _ => vec![],
            },
            ParticipantAction::PutDown => match self.carrying.take() {
                Some(t) => vec![StoryEvent::PutDown(t)],
                None => vec![],
            },
        }
    }

    /// Keeps up with what the world reported (a live world with hands, candles and
    /// things): whose hand is held, how many candles are on the cake, whether they
    /// burn, what the hand carries, what stands in which socket, which flames burn.
    /// Events the stand-in made itself must not come back through here.
    pub fn witness(&mut self, event: &StoryEvent) {
        match event {
            StoryEvent::HandHeld(a) => self.holding = Some(*a),
            StoryEvent::HandReleased => self.holding = None,
            StoryEvent::CandlePlaced(_) => self.placed = self.placed.saturating_add(1),
            StoryEvent::CandlesLit => self.lit = true,
            StoryEvent::CandlesBlownOut => self.lit = false,
            StoryEvent::PickedUp(t) => {
                self.in_socket.retain(|(x, _, _)| x != t);
                self.carrying = Some(*t);
            }
            StoryEvent::PutDown(t) if self.carrying == Some(*t) => self.carrying = None,
            StoryEvent::Placed {
                thing,
                into,
                socket,
            } => {
                if self.carrying == Some(*thing) {
                    self.carrying = None;
                }
                self.in_socket.retain(|(x, _, _)| x != thing);
                self.in_socket.push((*thing, *into, *socket));
            }
            StoryEvent::Lit(t) | StoryEvent::PutOut(t) => {
                self.flames.retain(|(x, _)| x != t);
                self.flames.push((*t, matches!(event, StoryEvent::Lit(_))));
            }
            _ => {}
        }
    }

    /// Candles set on the current cake so far.
    pub fn candles_placed(&self) -> u8 {
        self.placed
    }

    /// Whether the candles are burning.
    pub fn candles_lit(&self) -> bool {
        self.lit
    }

    /// Whose hand the participant holds.
    pub fn holding(&self) -> Option<ActorId> {
        self.holding
    }

    /// The thing the participant's free hand carries.
    pub fn carrying(&self) -> Option<ThingId> {
        self.carrying
    }

    /// Where a thing stands, if in a socket: its holder and the socket's index.
    pub fn socket_of(&self, thing: ThingId) -> Option<(ThingId, u16)> {
        self.in_socket
            .iter()
            .find(|(t, _, _)| *t == thing)
            .map(|(_, holder, socket)| (*holder, *socket))
    }

    /// Whether a thing's flame burns.
    pub fn burns(&self, story: &Story, thing: ThingId) -> bool {
        self.flames.iter().find(|(t, _)| *t == thing).map_or_else(
            || story.thing(thing).flame.is_some_and(|f| f.lit),
            |(_, lit)| *lit,
        )
    }

    /// The thing with this id in the current place, if it is there to be seen.
    fn here(&self, story: &Story, name: &str) -> Option<ThingId> {
        let t = story.thing_in(self.place?, name)?;
        let shown = self
            .shown
            .iter()
            .find(|(x, _)| *x == t)
            .map_or(!story.thing(t).hidden, |(_, s)| *s);
        shown.then_some(t)
    }

    fn set_flame(&mut self, story: &Story, t: ThingId, lit: bool) -> Option<StoryEvent> {
        if story.thing(t).flame.is_none() || self.burns(story, t) == lit {
            return None;
        }
        self.flames.retain(|(x, _)| *x != t);
        self.flames.push((t, lit));
        Some(if lit {
            StoryEvent::Lit(t)
        } else {
            StoryEvent::PutOut(t)
        })
    }

    /// Picks `t` up, putting down what the hand carried, taking it out of its socket.
    fn pick_up(&mut self, t: ThingId) -> Vec<StoryEvent> {
        let mut out = Vec::new();
        if let Some(other) = self.carrying.take()
            && other != t
        {
            out.push(StoryEvent::PutDown(other));
        }
        self.in_socket.retain(|(x, _, _)| *x != t);
        self.carrying = Some(t);
        out.push(StoryEvent::PickedUp(t));
        out
    }

    /// The first free socket of `holder` that takes `t`.
    fn free_socket(&self, story: &Story, t: ThingId, holder: ThingId) -> Option<u16> {
        let thing = story.thing(t);
        story
            .thing(holder)
            .sockets
            .iter()
            .enumerate()
            .find(|(i, s)| {
                s.accepts(thing)
                    && !self
                        .in_socket
                        .iter()
                        .any(|(x, h, k)| *h == holder && usize::from(*k) == *i && *x != t)
            })
            .map(|(i, _)| i as u16)
    }

    /// Carries `t` (picking it up if it is not carried) into a free socket of `holder`.
    fn place_in(&mut self, story: &Story, t: ThingId, holder: ThingId) -> Vec<StoryEvent> {
        if t == holder
            || !story.thing(t).grab
            || self.socket_of(t).is_some_and(|(h, _)| h == holder)
        {
            return vec![];
        }
        let Some(socket) = self.free_socket(story, t, holder) else {
            return vec![];
        };
        let mut out = Vec::new();
        if self.carrying != Some(t) {
            out.extend(self.pick_up(t));
        }
        self.carrying = None;
        self.in_socket.push((t, holder, socket));
        out.push(StoryEvent::Placed {
            thing: t,
            into: holder,
            socket,
        });
        let on_a_cake = matches!(story.thing(holder).kind, ThingKind::Cake { .. });
        if on_a_cake && story.thing(t).has_tag(CANDLE_TAG) && self.placed < self.sockets {
            self.placed += 1;
            out.push(StoryEvent::CandlePlaced(
                u8::try_from(socket).unwrap_or(u8::MAX),
            ));
            if self.placed == self.sockets {
                out.push(StoryEvent::AllCandlesPlaced);
            }
        }
        out
    }

    /// The next candle onto a free socket of a cake: counted as always, and, when a
    /// candle of the place and a free cake socket are there, reported as that candle
    /// picked up and set into that socket too.
    fn place_candle(&mut self, story: &Story) -> Vec<StoryEvent> {
        if self.placed >= self.sockets {
            return vec![];
        }
        self.placed += 1;
        let mut ev = vec![StoryEvent::CandlePlaced(self.placed - 1)];
        if self.placed == self.sockets {
            ev.push(StoryEvent::AllCandlesPlaced);
        }
        let Some(p) = self.place else {
            return ev;
        };
        let things = &story.place(p).things;
        let id = |i: usize| ThingId {
            place: p,
            index: i as u16,
        };
        let candle = (0..things.len()).map(id).find(|t| {
            let thing = story.thing(*t);
            thing.has_tag(CANDLE_TAG)
                && thing.grab
                && self.socket_of(*t).is_none()
                && self.here(story, &thing.id) == Some(*t)
        });
        let Some(candle) = candle else {
            return ev;
        };
        let cake = (0..things.len())
            .map(id)
            .filter(|h| matches!(story.thing(*h).kind, ThingKind::Cake { .. }))
            .find_map(|h| self.free_socket(story, candle, h).map(|s| (h, s)));
        if let Some((cake, socket)) = cake {
            ev.extend(self.pick_up(candle));
            self.carrying = None;
            self.in_socket.push((candle, cake, socket));
            ev.push(StoryEvent::Placed {
                thing: candle,
                into: cake,
                socket,
            });
        }
        ev
    }
}
