//! What the puppeteer's jobs share: their state, what they see of the world, what a
//! frame asks of the head, and how a hand moves and closes.

use bevy::prelude::*;
use reunion_stage::components::{ActorBody, CakeSockets, HeadHeight, ThingRef};
use reunion_story::participant::ParticipantAction;
use reunion_story::story::{ActorId, Story};

use crate::candles::{FLAME_HEIGHT, Lit};
use crate::hold::{HandHold, OfferingHand};
use crate::model::{HandSide, ParticipantHand, REACH};
use crate::props::{Grabbable, InHand, Socket, Socketed, Surfaces, thing_of};
use crate::touch::{BodyZone, ThingZone};

/// How fast a puppet hand moves at most, m/s.
pub const HAND_SPEED: f32 = 0.9;
/// How fast the puppet head walks, m/s.
pub const WALK_SPEED: f32 = 0.6;
/// How fast the puppet head leans in and back, m/s.
pub const LEAN_SPEED: f32 = 0.35;
/// How fast the puppet head turns at most, rad/s.
pub const TURN_SPEED: f32 = 1.4;
/// How fast a puppet hand closes or opens, per second.
pub(super) const GRIP_SPEED: f32 = 4.0;
/// A step of a job gives up after this long, seconds (a target that moved away).
pub(super) const STEP_TIMEOUT: f32 = 5.0;

#[derive(Debug, Clone)]
pub(super) struct Job {
    pub(super) action: ParticipantAction,
    pub(super) phase: u8,
    /// Seconds in this phase.
    pub(super) t: f32,
    pub(super) hand: HandSide,
    /// The prop or zone the job works with.
    pub(super) thing: Option<Entity>,
    pub(super) socket: Option<Entity>,
    /// Where the head was before it leaned in.
    pub(super) back: Option<Vec3>,
}

impl Job {
    pub(super) fn next(&mut self) {
        self.phase += 1;
        self.t = 0.0;
    }
}

/// Everything the puppeteer looks at in the world.
#[derive(bevy::ecs::system::SystemParam)]
pub(crate) struct Surroundings<'w, 's> {
    pub(super) palms: Query<'w, 's, (&'static OfferingHand, &'static GlobalTransform)>,
    pub(super) actors: Query<
        'w,
        's,
        (
            &'static ActorBody,
            &'static GlobalTransform,
            &'static HeadHeight,
        ),
    >,
    pub(super) props: Query<
        'w,
        's,
        (Entity, &'static GlobalTransform, &'static Grabbable),
        (Without<Socketed>, Without<InHand>),
    >,
    pub(super) sockets: Query<'w, 's, (Entity, &'static Socket, &'static GlobalTransform)>,
    pub(super) cakes: Query<'w, 's, &'static GlobalTransform, With<CakeSockets>>,
    pub(super) lit: Query<'w, 's, &'static GlobalTransform, With<Lit>>,
    pub(super) zones: Query<'w, 's, (Entity, &'static BodyZone, &'static GlobalTransform)>,
    pub(super) thing_zones: Query<'w, 's, (&'static ThingZone, &'static GlobalTransform)>,
    /// Props in a hand, and how their base hangs from the palm.
    pub(super) held: Query<'w, 's, &'static InHand>,
    pub(super) surfaces: Res<'w, Surfaces>,
    /// Every thing of the place on stage, by its story id.
    pub(super) things: Query<'w, 's, (Entity, &'static ThingRef)>,
    pub(super) hold: Res<'w, HandHold>,
}

impl Surroundings<'_, '_> {
    pub(super) fn palm(&self, actor: ActorId) -> Option<Vec3> {
        self.palms
            .iter()
            .find(|(p, _)| p.actor == actor)
            .map(|(_, g)| g.translation())
    }

    pub(super) fn face(&self, actor: ActorId) -> Option<Vec3> {
        self.actors
            .iter()
            .find(|(a, ..)| a.0 == actor)
            .map(|(_, g, h)| g.translation() + Vec3::Y * h.0)
    }

    /// Where she stands, and a point between her and the participant at her hand's
    /// height: where joined hands hang.
    pub(super) fn joined_hands(&self, actor: ActorId, head: Vec3) -> Option<Vec3> {
        let (_, g, h) = self.actors.iter().find(|(a, ..)| a.0 == actor)?;
        let root = g.translation();
        let toward = (head - root).with_y(0.0).normalize_or(Vec3::Z);
        Some(root + toward * 0.2 + Vec3::Y * (h.0 * 0.55))
    }

    pub(super) fn flames(&self) -> Option<Vec3> {
        let n = self.lit.iter().count();
        if n > 0 {
            let sum: Vec3 = self.lit.iter().map(GlobalTransform::translation).sum();
            return Some(sum / n as f32 + Vec3::Y * FLAME_HEIGHT);
        }
        self.cakes
            .iter()
            .next()
            .map(|g| g.translation() + Vec3::Y * 0.25)
    }
}

impl Surroundings<'_, '_> {
    /// The entity of the place's thing called `name`.
    pub(super) fn thing(&self, story: &Story, name: &str) -> Option<Entity> {
        self.things
            .iter()
            .find(|(_, id)| thing_of(story, id.0).is_some_and(|t| t.id == name))
            .map(|(e, _)| e)
    }

    /// Where the touch zone of the thing called `name` is.
    pub(super) fn thing_zone(&self, story: &Story, name: &str) -> Option<Vec3> {
        self.thing_zones
            .iter()
            .find(|(z, _)| thing_of(story, z.thing).is_some_and(|t| t.id == name))
            .map(|(_, g)| g.translation())
    }
}

pub(super) fn actor_id(story: &Story, name: &str) -> Option<ActorId> {
    story.actor_id(name)
}

/// The entity nearest `to`.
pub(super) fn nearest<'a>(
    to: Vec3,
    candidates: impl Iterator<Item = (Entity, &'a GlobalTransform)>,
) -> Option<Entity> {
    candidates
        .min_by(|a, b| {
            let da = a.1.translation().distance(to);
            let db = b.1.translation().distance(to);
            da.total_cmp(&db)
        })
        .map(|(e, _)| e)
}

/// Moves `p` towards `target`, easing in, at most `speed` m/s. True once there.
pub(super) fn approach(p: &mut Vec3, target: Vec3, speed: f32, dt: f32) -> bool {
    let to = target - *p;
    let d = to.length();
    if d < 0.006 {
        *p = target;
        return true;
    }
    let step = (d * 8.0).min(speed) * dt;
    *p += to / d * step.min(d);
    false
}

pub(super) fn grip_towards(hand: &mut ParticipantHand, target: f32, dt: f32) -> bool {
    let d = target - hand.grip;
    let step = GRIP_SPEED * dt;
    if d.abs() <= step {
        hand.grip = target;
        true
    } else {
        hand.grip += step * d.signum();
        false
    }
}

/// What one frame of a job asks for besides the hand: where the head looks, where
/// it goes (to, speed, level: walking keeps the eyes' height), and whether the job
/// is done.
#[derive(Default)]
pub(super) struct Asks {
    pub(super) look: Option<Vec3>,
    pub(super) head_to: Option<(Vec3, f32, bool)>,
    pub(super) finished: bool,
}

impl Asks {
    pub(super) fn done() -> Self {
        Asks {
            finished: true,
            ..default()
        }
    }

    /// Looks at `at`, and walks up first when it is out of reach.
    pub(super) fn reach_for(&mut self, eye: Vec3, at: Vec3) {
        self.look = Some(at);
        if eye.distance(at) > REACH - 0.1 {
            self.head_to = Some((
                at + (eye - at).normalize() * (REACH - 0.3),
                WALK_SPEED,
                true,
            ));
        }
    }
}
