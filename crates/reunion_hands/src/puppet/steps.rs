//! The puppeteer's actions with her, one function each: take her hand, let go, lean
//! in and blow, touch her. Each is one frame of a job's phases; what it asks of the
//! head comes back as [`Asks`].

use bevy::prelude::*;
use reunion_story::format::TouchZone;
use reunion_story::story::Story;

use super::job::{
    Asks, HAND_SPEED, Job, LEAN_SPEED, STEP_TIMEOUT, Surroundings, actor_id, approach,
    grip_towards, nearest,
};
use crate::hand_grip::HandGrip;
use crate::model::ParticipantHand;

/// One frame of the job's hand.
pub(super) struct Step<'a, 'w, 's> {
    pub(super) job: &'a mut Job,
    pub(super) hand: &'a mut ParticipantHand,
    /// The hand's position.
    pub(super) at: &'a mut Vec3,
    pub(super) grip: &'a HandGrip,
    /// Where the hand rests.
    pub(super) rest: Vec3,
    pub(super) eye: Vec3,
    pub(super) dt: f32,
    /// The phase has gone on for too long (its target moved away).
    pub(super) timed_out: bool,
    pub(super) world: &'a Surroundings<'w, 's>,
    pub(super) story: &'a Story,
}

impl Step<'_, '_, '_> {
    /// Whether this is the job's first frame.
    pub(super) fn starting(&self) -> bool {
        self.job.phase == 0 && self.job.t <= self.dt
    }

    pub(super) fn approach(&mut self, target: Vec3, speed: f32) -> bool {
        approach(self.at, target, speed, self.dt)
    }

    pub(super) fn grip_towards(&mut self, target: f32) -> bool {
        grip_towards(self.hand, target, self.dt)
    }

    /// Opens the hand and brings it back to rest; done when both are.
    pub(super) fn open_and_rest(&mut self) -> Asks {
        let open = self.grip_towards(0.0);
        let rested = self.approach(self.rest, HAND_SPEED);
        Asks {
            finished: open && rested,
            ..default()
        }
    }

    /// Reach her offered palm, close on it, and see that it was taken.
    pub(super) fn take_hand(&mut self, name: &str) -> Asks {
        let palm = actor_id(self.story, name).and_then(|a| self.world.palm(a));
        let mut asks = Asks::default();
        match (self.job.phase, palm) {
            (0, Some(palm)) => {
                asks.reach_for(self.eye, palm);
                if self.approach(palm, HAND_SPEED) || self.timed_out {
                    self.job.next();
                }
            }
            (1, Some(palm)) => {
                asks.look = Some(palm);
                *self.at = palm;
                if self.grip_towards(1.0) {
                    self.job.next();
                }
            }
            (2, _) => {
                if self.job.t > 0.3 {
                    if self
                        .world
                        .hold
                        .held
                        .is_some_and(|h| h.side == self.job.hand)
                    {
                        asks.finished = true;
                    } else {
                        self.job.next();
                    }
                }
            }
            // Not taken (not offered, or she is not here): open and rest.
            _ => return self.open_and_rest(),
        }
        asks
    }

    pub(super) fn let_go(&mut self) -> Asks {
        let open = self.grip_towards(0.0);
        if self.job.phase == 0 && open {
            self.job.next();
        }
        Asks {
            finished: self.job.phase >= 1 && self.approach(self.rest, HAND_SPEED),
            ..default()
        }
    }

    /// Lean in to the flames, stay a moment, and lean back.
    pub(super) fn blow_out(&mut self) -> Asks {
        let eye = self.eye;
        let back = *self.job.back.get_or_insert(eye);
        let mut asks = Asks::default();
        match (self.job.phase, self.world.flames()) {
            (0, Some(f)) => {
                asks.look = Some(f);
                let near = f + (eye - f).normalize_or(Vec3::Z) * (crate::candles::BLOW_REACH * 0.6);
                asks.head_to = Some((near, LEAN_SPEED, false));
                if eye.distance(near) < 0.01 || self.timed_out {
                    self.job.next();
                }
            }
            (1, Some(f)) => {
                asks.look = Some(f);
                if self.job.t > 1.2 {
                    self.job.next();
                }
            }
            _ => {
                asks.head_to = Some((back, LEAN_SPEED, false));
                if eye.distance(back) < 0.01 || self.job.t > STEP_TIMEOUT {
                    asks.finished = true;
                }
            }
        }
        asks
    }

    /// Reach the zone gently, stroke it for a second, and rest.
    pub(super) fn touch(&mut self, name: &str, zone: TouchZone) -> Asks {
        let world = self.world;
        if self.job.phase == 0 && self.job.t <= self.dt {
            let actor = actor_id(self.story, name);
            let zones = world.zones.iter();
            self.job.thing = nearest(
                *self.at,
                zones
                    .filter(|(_, z, _)| Some(z.actor) == actor && z.zone == zone)
                    .map(|(e, _, g)| (e, g)),
            );
        }
        let at = self
            .job
            .thing
            .and_then(|e| world.zones.get(e).ok())
            .map(|(_, _, g)| g.translation());
        let mut asks = Asks::default();
        match (self.job.phase, at) {
            (0, Some(at)) => {
                asks.look = Some(at);
                // A stroke comes from above the head, the side of a cheek.
                let lift = if zone == TouchZone::Head { 0.04 } else { 0.0 };
                if self.approach(at + Vec3::Y * lift, HAND_SPEED * 0.7) || self.timed_out {
                    self.job.next();
                }
            }
            (1, Some(at)) => {
                asks.look = Some(at);
                // A gentle stroke.
                *self.at = at + Vec3::new((self.job.t * 6.0).sin() * 0.02, 0.02, 0.0);
                if self.job.t > 1.0 {
                    self.job.next();
                }
            }
            _ => {
                asks.finished = self.approach(self.rest, HAND_SPEED);
            }
        }
        asks
    }
}
