//! The puppeteer's actions on things: pick one up, set it into a socket of another
//! (a rose into the vase, a candle into the cake), put it down, touch it. The hand
//! goes where a person's would and closes or opens; the props and touch systems see
//! an ordinary hand and report what happened.

use bevy::prelude::*;
use reunion_story::story::CANDLE_TAG;

use super::job::{Asks, HAND_SPEED, nearest};
use super::steps::Step;
use crate::props::{Surface, takes, thing_of};

/// The phases of carrying a thing into a socket: above it, down to it, close the
/// hand; above the socket, down into it, open; back to rest.
const ABOVE: u8 = 0;
const DOWN: u8 = 1;
const CLOSE: u8 = 2;
const OVER: u8 = 3;
const INTO: u8 = 4;
const OPEN: u8 = 5;
/// How long a closed hand waits to feel the thing in it, seconds.
const FEEL: f32 = 0.5;
/// A hand lowers what it puts down onto a top at most this far below it, metres;
/// farther down (the floor, from standing) it lets go where it is.
const LOWER_AT_MOST: f32 = 0.5;

impl Step<'_, '_, '_> {
    /// Reach the thing and close on it; the hand keeps it.
    pub(super) fn pick_up(&mut self, name: &str) -> Asks {
        if self.starting() {
            self.job.thing = self.world.thing(self.story, name);
            if self.holds(self.job.thing) {
                self.job.phase = OVER;
            }
        }
        let mut asks = Asks::default();
        match self.job.phase {
            ABOVE | DOWN | CLOSE => self.grasp(&mut asks),
            OVER => asks.finished = true,
            _ => return self.open_and_rest(),
        }
        asks
    }

    /// The thing (picked up first unless the hand has it) into a free socket of
    /// `into` that takes it.
    pub(super) fn place_in(&mut self, thing: &str, into: &str) -> Asks {
        if self.starting() {
            self.job.thing = self.world.thing(self.story, thing);
            self.job.socket = self.free_socket(Some(into));
            if self.holds(self.job.thing) {
                self.job.phase = OVER;
            }
        }
        self.carry_into()
    }

    /// The candle nearest the hand into the first free socket that takes it.
    pub(super) fn place_candle(&mut self) -> Asks {
        if self.starting() && self.grip.holding.is_some_and(|e| self.is_candle(e)) {
            // A candle already in the hand (picked up again after a resume): that one.
            self.job.thing = self.grip.holding;
            self.job.socket = self.free_socket(None);
            self.job.phase = OVER;
        } else if self.starting() {
            let candles = self
                .world
                .props
                .iter()
                .filter(|(e, ..)| self.is_candle(*e))
                .map(|(e, g, _)| (e, g));
            self.job.thing = nearest(*self.at, candles);
            self.job.socket = self.free_socket(None);
        }
        self.carry_into()
    }

    /// Lower what the hand holds onto the top under it (when one is near) and open.
    pub(super) fn put_down(&mut self) -> Asks {
        if self.starting() {
            self.job.thing = self.grip.holding;
        }
        let offset = self
            .job
            .thing
            .and_then(|e| self.world.held.get(e).ok())
            .map(|h| h.offset);
        match (self.job.phase, offset) {
            (0, Some(offset)) => {
                let base = *self.at + offset;
                let top = Surface::rest_height(&self.world.surfaces.0, base);
                let lowered = base.y - top <= LOWER_AT_MOST;
                let to = base.with_y(top + 0.01) - offset;
                if !lowered || self.approach(to, HAND_SPEED * 0.6) || self.timed_out {
                    self.job.next();
                }
                Asks::default()
            }
            (0 | 1, _) => {
                if self.grip_towards(0.0) {
                    self.job.phase = 2;
                }
                Asks::default()
            }
            _ => self.open_and_rest(),
        }
    }

    /// Reach the thing's touch zone, stay a moment, and rest.
    pub(super) fn touch_thing(&mut self, name: &str) -> Asks {
        let at = self.world.thing_zone(self.story, name);
        let mut asks = Asks::default();
        match (self.job.phase, at) {
            (0, Some(at)) => {
                asks.reach_for(self.eye, at);
                if self.approach(at, HAND_SPEED * 0.7) || self.timed_out {
                    self.job.next();
                }
            }
            (1, Some(at)) => {
                asks.look = Some(at);
                if self.job.t > 0.6 {
                    self.job.next();
                }
            }
            _ => asks.finished = self.approach(self.rest, HAND_SPEED),
        }
        asks
    }

    /// Carries the job's thing into its socket: grasp it (unless held), above the
    /// socket, down, open, rest. With no thing or no socket the hand opens and rests.
    fn carry_into(&mut self) -> Asks {
        let mut asks = Asks::default();
        match self.job.phase {
            ABOVE | DOWN | CLOSE => self.grasp(&mut asks),
            OVER | INTO => {
                let socket = self
                    .job
                    .socket
                    .and_then(|e| self.world.sockets.get(e).ok())
                    .map(|(_, _, g)| g.translation());
                let offset = self
                    .job
                    .thing
                    .and_then(|e| self.world.held.get(e).ok())
                    .map(|h| h.offset);
                match (socket, offset) {
                    (Some(at), Some(offset)) if self.holds(self.job.thing) => {
                        asks.reach_for(self.eye, at);
                        let above = if self.job.phase == OVER { 0.1 } else { 0.002 };
                        let to = at - offset + Vec3::Y * above;
                        if self.approach(to, HAND_SPEED) || self.timed_out {
                            self.job.next();
                        }
                    }
                    _ => self.job.phase = OPEN,
                }
            }
            OPEN => {
                if self.grip_towards(0.0) {
                    self.job.next();
                }
            }
            _ => return self.open_and_rest(),
        }
        asks
    }

    /// Above the job's thing, down to where it is held, close; on to [`OVER`] once
    /// the hand has it, to [`OPEN`] when it is gone or did not come.
    fn grasp(&mut self, asks: &mut Asks) {
        let grip_at = self
            .job
            .thing
            .and_then(|e| self.world.props.get(e).ok())
            .map(|(_, g, gr)| g.translation() + Vec3::Y * gr.grip_height);
        match (self.job.phase, grip_at) {
            (ABOVE | DOWN, Some(at)) => {
                asks.reach_for(self.eye, at);
                let above = if self.job.phase == ABOVE { 0.1 } else { 0.0 };
                if self.approach(at + Vec3::Y * above, HAND_SPEED) || self.timed_out {
                    self.job.next();
                }
            }
            // Closed all the way, and then the thing is felt in the hand (or not).
            (CLOSE, _) => {
                if self.grip_towards(1.0) {
                    if self.holds(self.job.thing) {
                        self.job.next();
                    } else if self.job.t > FEEL {
                        self.job.phase = OPEN;
                    }
                }
            }
            _ => self.job.phase = OPEN,
        }
    }

    /// Whether the hand holds `thing`.
    fn holds(&self, thing: Option<Entity>) -> bool {
        thing.is_some() && self.grip.holding == thing
    }

    pub(super) fn is_candle(&self, e: Entity) -> bool {
        self.world
            .things
            .get(e)
            .ok()
            .and_then(|(_, id)| thing_of(self.story, id.0))
            .is_some_and(|t| t.has_tag(CANDLE_TAG))
    }

    /// The first free socket (of `into`, when named) that takes the job's thing.
    fn free_socket(&self, into: Option<&str>) -> Option<Entity> {
        let id = self
            .job
            .thing
            .and_then(|e| self.world.things.get(e).ok())
            .map(|(_, r)| r.0)?;
        self.world
            .sockets
            .iter()
            .filter(|(_, s, _)| s.occupant.is_none() && takes(Some(self.story), s, Some(id)))
            .filter(|(_, s, _)| {
                into.is_none_or(|name| thing_of(self.story, s.owner).is_some_and(|o| o.id == name))
            })
            .min_by_key(|(_, s, _)| (s.owner.index, s.index))
            .map(|(e, ..)| e)
    }
}
