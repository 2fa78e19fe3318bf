//! The puppeteer: the participant's actions, acted out with the head and hands.
//!
//! The autopilot, a script, the console's "act for her" buttons and the flat keys
//! (`H`, `C`, `B`, `T`) say what the participant does ("take her hand", "place a
//! candle"); the session leaves those bodily actions to the world
//! ([`Session::perform_in_world`](reunion_story::session::Session::perform_in_world)).
//! The puppeteer moves the same head and hand entities a person would, unhurried,
//! and the interactions (holding, picking up, sockets, blowing, touch) see an
//! ordinary hand: no shortcut reaches the director.
//!
//! Looking and stepping closer change where the head goes; hand actions run one
//! after another. A hand that took her hand stays closed and follows hers until it
//! is told to let go or she lets go.

use std::collections::VecDeque;
use std::sync::Arc;

use bevy::prelude::*;
use reunion_stage::components::{ActorBody, CakeSockets, HeadHeight};
use reunion_stage::presence::{HeadAim, ParticipantHead};
use reunion_stage::session::{ParticipantActed, StorySession};
use reunion_story::format::TouchZone;
use reunion_story::participant::ParticipantAction;
use reunion_story::story::{ActorId, Story};

use crate::candles::{FLAME_HEIGHT, Lit};
use crate::hand_grip::HandGrip;
use crate::hold::{HandHold, OfferingHand};
use crate::model::{HandInput, HandSide, ParticipantHand, REACH, rest_position};
use crate::props::{Grabbable, InHand, Socket, Socketed};
use crate::touch::BodyZone;

/// How fast a puppet hand moves at most, m/s.
pub const HAND_SPEED: f32 = 0.9;
/// How fast the puppet head walks, m/s.
pub const WALK_SPEED: f32 = 0.6;
/// How fast the puppet head leans in and back, m/s.
pub const LEAN_SPEED: f32 = 0.35;
/// How fast the puppet head turns at most, rad/s.
pub const TURN_SPEED: f32 = 1.4;
/// How fast a puppet hand closes or opens, per second.
const GRIP_SPEED: f32 = 4.0;
/// A step of a job gives up after this long, seconds (a target that moved away).
const STEP_TIMEOUT: f32 = 5.0;

/// What the puppeteer is doing.
#[derive(Resource, Default, Debug)]
pub struct Puppeteer {
    queue: VecDeque<ParticipantAction>,
    job: Option<Job>,
    /// Whom the head looks at between jobs.
    gaze: Option<Gaze>,
    /// Where the head walks to.
    walk: Option<Walk>,
    /// Hands the puppeteer moves now (the flat mouse leaves them alone).
    owns: Vec<HandSide>,
}

impl Puppeteer {
    /// Whether it is acting something out.
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || !self.queue.is_empty()
    }

    /// Whether the puppeteer moves this hand now.
    pub fn owns(&self, side: HandSide) -> bool {
        self.owns.contains(&side)
    }

    fn own(&mut self, side: HandSide) {
        if !self.owns.contains(&side) {
            self.owns.push(side);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Gaze {
    At(ActorId),
    /// Elsewhere: turned aside from where the head looked (set on the first frame).
    Away(Option<HeadAim>),
}

#[derive(Debug, Clone, Copy)]
struct Walk {
    to: ActorId,
    within: f32,
}

#[derive(Debug, Clone)]
struct Job {
    action: ParticipantAction,
    phase: u8,
    /// Seconds in this phase.
    t: f32,
    hand: HandSide,
    /// The prop or zone the job works with.
    thing: Option<Entity>,
    socket: Option<Entity>,
    /// Where the head was before it leaned in.
    back: Option<Vec3>,
}

impl Job {
    fn next(&mut self) {
        self.phase += 1;
        self.t = 0.0;
    }
}

/// Everything the puppeteer looks at in the world.
#[derive(bevy::ecs::system::SystemParam)]
pub(crate) struct Surroundings<'w, 's> {
    palms: Query<'w, 's, (&'static OfferingHand, &'static GlobalTransform)>,
    actors: Query<
        'w,
        's,
        (
            &'static ActorBody,
            &'static GlobalTransform,
            &'static HeadHeight,
        ),
    >,
    props: Query<
        'w,
        's,
        (Entity, &'static GlobalTransform, &'static Grabbable),
        (Without<Socketed>, Without<InHand>),
    >,
    sockets: Query<'w, 's, (Entity, &'static Socket, &'static GlobalTransform)>,
    cakes: Query<'w, 's, &'static GlobalTransform, With<CakeSockets>>,
    lit: Query<'w, 's, &'static GlobalTransform, With<Lit>>,
    zones: Query<'w, 's, (Entity, &'static BodyZone, &'static GlobalTransform)>,
    hold: Res<'w, HandHold>,
}

impl Surroundings<'_, '_> {
    fn palm(&self, actor: ActorId) -> Option<Vec3> {
        self.palms
            .iter()
            .find(|(p, _)| p.actor == actor)
            .map(|(_, g)| g.translation())
    }

    fn face(&self, actor: ActorId) -> Option<Vec3> {
        self.actors
            .iter()
            .find(|(a, ..)| a.0 == actor)
            .map(|(_, g, h)| g.translation() + Vec3::Y * h.0)
    }

    /// Where she stands, and a point between her and the participant at her hand's
    /// height: where joined hands hang.
    fn joined_hands(&self, actor: ActorId, head: Vec3) -> Option<Vec3> {
        let (_, g, h) = self.actors.iter().find(|(a, ..)| a.0 == actor)?;
        let root = g.translation();
        let toward = (head - root).with_y(0.0).normalize_or(Vec3::Z);
        Some(root + toward * 0.2 + Vec3::Y * (h.0 * 0.55))
    }

    fn flames(&self) -> Option<Vec3> {
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

fn actor_id(story: &Story, name: &str) -> Option<ActorId> {
    story.actor_id(name)
}

/// Takes new actions from the session and from the keys and console.
pub(crate) fn take_actions(
    session: Option<ResMut<StorySession>>,
    mut acted: MessageReader<ParticipantActed>,
    mut puppeteer: ResMut<Puppeteer>,
) {
    let Some(mut s) = session else {
        acted.clear();
        return;
    };
    if !s.session.performs_in_world() {
        acted.clear();
        return;
    }
    let story = Arc::clone(s.story());
    let mut actions: Vec<ParticipantAction> = acted
        .read()
        .map(|a| a.0.clone())
        .filter(ParticipantAction::is_bodily)
        .collect();
    actions.extend(s.session.take_world_actions());
    for action in actions {
        match &action {
            ParticipantAction::LookAt(name) => {
                puppeteer.gaze = actor_id(&story, name).map(Gaze::At);
            }
            ParticipantAction::LookAway => puppeteer.gaze = Some(Gaze::Away(None)),
            ParticipantAction::ComeNear(name, m) => {
                puppeteer.walk = actor_id(&story, name).map(|to| Walk {
                    to,
                    within: m.max(0.5),
                });
                if let Some(to) = actor_id(&story, name) {
                    puppeteer.gaze = Some(Gaze::At(to));
                }
            }
            _ => puppeteer.queue.push_back(action),
        }
    }
}

/// The entity nearest `to`.
fn nearest<'a>(
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
fn approach(p: &mut Vec3, target: Vec3, speed: f32, dt: f32) -> bool {
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

fn grip_towards(hand: &mut ParticipantHand, target: f32, dt: f32) -> bool {
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

/// The shortest signed turn from `a` to `b`, radians.
fn turn(a: f32, b: f32) -> f32 {
    let mut d = (b - a) % std::f32::consts::TAU;
    if d > std::f32::consts::PI {
        d -= std::f32::consts::TAU;
    } else if d < -std::f32::consts::PI {
        d += std::f32::consts::TAU;
    }
    d
}

fn aim_towards(aim: &mut HeadAim, want: HeadAim, dt: f32) {
    let max = TURN_SPEED * dt;
    let dy = turn(aim.yaw, want.yaw);
    aim.yaw += (dy * (dt * 4.0).min(1.0)).clamp(-max, max);
    let dp = want.pitch - aim.pitch;
    aim.pitch += (dp * (dt * 4.0).min(1.0)).clamp(-max, max);
}

/// What one frame of a job asks for besides the hand: where the head looks, where
/// it goes (to, speed, level: walking keeps the eyes' height), and whether the job
/// is done.
#[derive(Default)]
struct Asks {
    look: Option<Vec3>,
    head_to: Option<(Vec3, f32, bool)>,
    finished: bool,
}

impl Asks {
    fn done() -> Self {
        Asks {
            finished: true,
            ..default()
        }
    }

    /// Looks at `at`, and walks up first when it is out of reach.
    fn reach_for(&mut self, eye: Vec3, at: Vec3) {
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

/// One frame of the job's hand.
struct Step<'a, 'w, 's> {
    job: &'a mut Job,
    hand: &'a mut ParticipantHand,
    /// The hand's position.
    at: &'a mut Vec3,
    grip: &'a HandGrip,
    /// Where the hand rests.
    rest: Vec3,
    eye: Vec3,
    dt: f32,
    /// The phase has gone on for too long (its target moved away).
    timed_out: bool,
    world: &'a Surroundings<'w, 's>,
    story: &'a Story,
}

impl Step<'_, '_, '_> {
    fn approach(&mut self, target: Vec3, speed: f32) -> bool {
        approach(self.at, target, speed, self.dt)
    }

    fn grip_towards(&mut self, target: f32) -> bool {
        grip_towards(self.hand, target, self.dt)
    }

    /// Opens the hand and brings it back to rest; done when both are.
    fn open_and_rest(&mut self) -> Asks {
        let open = self.grip_towards(0.0);
        let rested = self.approach(self.rest, HAND_SPEED);
        Asks {
            finished: open && rested,
            ..default()
        }
    }

    /// Reach her offered palm, close on it, and see that it was taken.
    fn take_hand(&mut self, name: &str) -> Asks {
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

    fn let_go(&mut self) -> Asks {
        let open = self.grip_towards(0.0);
        if self.job.phase == 0 && open {
            self.job.next();
        }
        Asks {
            finished: self.job.phase >= 1 && self.approach(self.rest, HAND_SPEED),
            ..default()
        }
    }

    /// The candle nearest the hand, into the first free socket: reach above it, down,
    /// close, carry it above the socket, down, open, rest.
    fn place_candle(&mut self) -> Asks {
        let world = self.world;
        if self.job.phase == 0 && self.job.t <= self.dt {
            self.job.thing = nearest(*self.at, world.props.iter().map(|(e, g, _)| (e, g)));
            self.job.socket = world
                .sockets
                .iter()
                .filter(|(_, s, _)| s.occupant.is_none())
                .min_by_key(|(_, s, _)| s.index)
                .map(|(e, ..)| e);
        }
        let prop = self.job.thing.and_then(|e| {
            world
                .props
                .get(e)
                .ok()
                .map(|(_, g, gr)| g.translation() + Vec3::Y * gr.grip_height)
        });
        let socket = self
            .job
            .socket
            .and_then(|e| world.sockets.get(e).ok())
            .map(|(_, _, g)| g.translation());
        let carried = self.job.thing.is_some() && self.grip.holding == self.job.thing;
        // The candle's base hangs this far under the palm.
        let under = Vec3::Y * -crate::props::CANDLE_GRIP_HEIGHT;
        let mut asks = Asks::default();
        match self.job.phase {
            0 | 1 => match prop {
                Some(at) => {
                    asks.reach_for(self.eye, at);
                    let above = if self.job.phase == 0 { 0.1 } else { 0.0 };
                    if self.approach(at + Vec3::Y * above, HAND_SPEED) || self.timed_out {
                        self.job.next();
                    }
                }
                None => self.job.phase = 6,
            },
            2 => {
                if self.grip_towards(1.0) {
                    self.job.next();
                }
            }
            3 | 4 => match (socket, carried) {
                (Some(at), true) => {
                    asks.look = Some(at);
                    let above = if self.job.phase == 3 { 0.1 } else { 0.002 };
                    if self.approach(at - under + Vec3::Y * above, HAND_SPEED) || self.timed_out {
                        self.job.next();
                    }
                }
                _ => self.job.phase = 5,
            },
            5 => {
                if self.grip_towards(0.0) {
                    self.job.next();
                }
            }
            _ => return self.open_and_rest(),
        }
        asks
    }

    /// Lean in to the flames, stay a moment, and lean back.
    fn blow_out(&mut self) -> Asks {
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
    fn touch(&mut self, name: &str, zone: TouchZone) -> Asks {
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

/// Acts out the current job, the gaze and the walk.
pub(crate) fn act_out(
    time: Res<Time>,
    mut puppeteer: ResMut<Puppeteer>,
    session: Option<Res<StorySession>>,
    world: Surroundings,
    mut head: Single<(&mut Transform, &mut HeadAim), With<ParticipantHead>>,
    mut hands: Query<(&mut ParticipantHand, &mut Transform, &HandGrip), Without<ParticipantHead>>,
    mut input: ResMut<HandInput>,
) {
    let Some(s) = session else { return };
    let story = Arc::clone(s.story());
    let dt = time.delta_secs();
    let p = &mut *puppeteer;
    let (head_t, aim) = &mut *head;
    let eye = head_t.translation;
    let head_g = GlobalTransform::from(**head_t);

    if p.job.is_none()
        && let Some(action) = p.queue.pop_front()
    {
        let hand = match &action {
            // The free hand strokes her; the other may be holding hers.
            ParticipantAction::Touch(..) => HandSide::Left,
            ParticipantAction::LetGo => world.hold.held.map_or(HandSide::Right, |h| h.side),
            _ => HandSide::Right,
        };
        p.own(hand);
        p.job = Some(Job {
            action,
            phase: 0,
            t: 0.0,
            hand,
            thing: None,
            socket: None,
            back: None,
        });
    }

    // The job's hand, and what it asks of the head.
    let mut asks = Asks::default();
    if let Some(job) = &mut p.job {
        job.t += dt;
        asks = match hands.iter_mut().find(|(h, ..)| h.side == job.hand) {
            Some((mut hand, mut ht, grip)) => {
                *input = HandInput::Puppeteer;
                let action = job.action.clone();
                let mut step = Step {
                    rest: rest_position(&head_g, job.hand),
                    timed_out: job.t > STEP_TIMEOUT,
                    job,
                    hand: &mut hand,
                    at: &mut ht.translation,
                    grip,
                    eye,
                    dt,
                    world: &world,
                    story: &story,
                };
                match action {
                    ParticipantAction::TakeHand(name) => step.take_hand(&name),
                    ParticipantAction::LetGo => step.let_go(),
                    ParticipantAction::PlaceCandle => step.place_candle(),
                    ParticipantAction::BlowOut => step.blow_out(),
                    ParticipantAction::Touch(name, zone) => step.touch(&name, zone),
                    _ => Asks::done(),
                }
            }
            None => Asks::done(),
        };
    }
    let Asks {
        look,
        mut head_to,
        finished,
    } = asks;
    if finished {
        p.job = None;
    }

    // A hand that holds hers goes with her; when she lets go it opens and rests.
    // Hands nobody moves (no mouse, no headset: the autopilot, a script, a window
    // before the cursor comes in) hang at her sides and go where she goes.
    let idle_rest = matches!(*input, HandInput::Resting | HandInput::Puppeteer);
    for (mut hand, mut ht, _) in &mut hands {
        let busy = p.job.as_ref().is_some_and(|j| j.hand == hand.side);
        let rest = rest_position(&head_g, hand.side);
        if !busy
            && !p.owns(hand.side)
            && idle_rest
            && !world.hold.held.is_some_and(|h| h.side == hand.side)
        {
            grip_towards(&mut hand, 0.0, dt);
            approach(&mut ht.translation, rest, HAND_SPEED, dt);
            continue;
        }
        if busy || !p.owns(hand.side) {
            continue;
        }
        match world.hold.held.filter(|h| h.side == hand.side) {
            Some(h) => {
                hand.grip = 1.0;
                if let Some(to) = world.joined_hands(h.actor, eye) {
                    let to = eye + (to - eye).clamp_length_max(REACH - 0.05);
                    approach(&mut ht.translation, to, HAND_SPEED * 0.6, dt);
                }
            }
            None => {
                let open = grip_towards(&mut hand, 0.0, dt);
                if approach(&mut ht.translation, rest, HAND_SPEED, dt) && open {
                    let side = hand.side;
                    p.owns.retain(|s| *s != side);
                }
            }
        }
    }
    if !p.is_busy() && p.owns.is_empty() && *input == HandInput::Puppeteer {
        *input = HandInput::Resting;
    }

    // Walking closer to someone, between jobs.
    if head_to.is_none()
        && let Some(w) = p.walk
    {
        match world.face(w.to) {
            Some(face) if eye.distance(face) > w.within => {
                let flat = (face - eye).with_y(0.0);
                let want = flat.length()
                    - (w.within * w.within - (face.y - eye.y).powi(2))
                        .max(0.0)
                        .sqrt();
                head_to = Some((
                    eye + flat.normalize_or_zero() * want.max(0.0),
                    WALK_SPEED,
                    true,
                ));
            }
            _ => p.walk = None,
        }
    }
    if let Some((to, speed, level)) = head_to {
        // Walking keeps the eyes at their height; leaning in does not.
        let to = if level { to.with_y(eye.y) } else { to };
        let mut at = head_t.translation;
        approach(&mut at, to, speed, dt);
        head_t.translation = at;
    }
    if let Some(Gaze::Away(None)) = p.gaze {
        p.gaze = Some(Gaze::Away(Some(HeadAim {
            yaw: aim.yaw + 0.9,
            pitch: aim.pitch,
        })));
    }
    let look = look
        .map(|target| HeadAim::towards(eye, target))
        .or(match p.gaze {
            Some(Gaze::At(a)) => world.face(a).map(|f| HeadAim::towards(eye, f)),
            Some(Gaze::Away(want)) => want,
            None => None,
        });
    if let Some(want) = look {
        aim_towards(aim, want, dt);
    }
}
