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

mod job;
mod steps;
mod things;

use std::collections::VecDeque;
use std::sync::Arc;

use bevy::prelude::*;
use reunion_stage::presence::{HeadAim, ParticipantHead};
use reunion_stage::session::{ParticipantActed, StorySession};
use reunion_story::participant::ParticipantAction;
use reunion_story::story::ActorId;

use crate::hand_grip::HandGrip;
use crate::model::{HandInput, HandSide, ParticipantHand, REACH, rest_position};
use job::{Asks, Job, STEP_TIMEOUT, Surroundings, actor_id, approach, grip_towards};
pub use job::{HAND_SPEED, LEAN_SPEED, TURN_SPEED, WALK_SPEED};
use steps::Step;

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
    /// A job turned the head to what the hand worked on (a letter on the sand);
    /// with nobody to look at afterwards, the head comes back up to level.
    looked: bool,
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
        let holding = |thing: Option<Entity>| {
            hands
                .iter()
                .find(|(_, _, g)| thing.is_some() && g.holding == thing)
                .map(|(h, ..)| h.side)
        };
        // A hand that holds neither her hand nor a thing, the one asked for first.
        let free = |first: HandSide| {
            let busy = |side: HandSide| {
                world.hold.held.is_some_and(|h| h.side == side)
                    || hands
                        .iter()
                        .any(|(h, _, g)| h.side == side && g.holding.is_some())
            };
            [first, first.other()]
                .into_iter()
                .find(|s| !busy(*s))
                .unwrap_or(first)
        };
        let hand = match &action {
            // The free hand strokes her; the other may be holding hers.
            ParticipantAction::Touch(..) => HandSide::Left,
            ParticipantAction::LetGo => world.hold.held.map_or(HandSide::Right, |h| h.side),
            ParticipantAction::PickUp(name) | ParticipantAction::PlaceIn { thing: name, .. } => {
                holding(world.thing(&story, name)).unwrap_or_else(|| free(HandSide::Right))
            }
            ParticipantAction::PutDown => hands
                .iter()
                .find(|(_, _, g)| g.holding.is_some())
                .map_or(HandSide::Right, |(h, ..)| h.side),
            ParticipantAction::TouchThing(_) => free(HandSide::Left),
            // A candle already in a hand (taken again after a resume) is placed by it.
            ParticipantAction::PlaceCandle => hands
                .iter()
                .find(|(_, _, g)| {
                    g.holding
                        .and_then(|e| world.things.get(e).ok())
                        .and_then(|(_, r)| crate::props::thing_of(&story, r.0))
                        .is_some_and(|t| t.has_tag(reunion_story::story::CANDLE_TAG))
                })
                .map_or_else(|| free(HandSide::Right), |(h, ..)| h.side),
            // Her hand, or a candle, with a hand that is not holding something.
            _ => free(HandSide::Right),
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
                    ParticipantAction::PickUp(name) => step.pick_up(&name),
                    ParticipantAction::PlaceIn { thing, into } => step.place_in(&thing, &into),
                    ParticipantAction::TouchThing(name) => step.touch_thing(&name),
                    ParticipantAction::PutDown => step.put_down(),
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
    for (mut hand, mut ht, grip) in &mut hands {
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
            // A thing picked up stays in the hand, carried at rest.
            None if grip.holding.is_some() => {
                grip_towards(&mut hand, 1.0, dt);
                approach(&mut ht.translation, rest, HAND_SPEED, dt);
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
    if look.is_some() {
        p.looked = true;
    }
    let look = look
        .map(|target| HeadAim::towards(eye, target))
        .or(match p.gaze {
            Some(Gaze::At(a)) => world.face(a).map(|f| HeadAim::towards(eye, f)),
            Some(Gaze::Away(want)) => want,
            None => None,
        });
    match look {
        Some(want) => aim_towards(aim, want, dt),
        None if p.looked && p.job.is_none() => {
            let level = HeadAim {
                yaw: aim.yaw,
                pitch: 0.0,
            };
            aim_towards(aim, level, dt);
            if aim.pitch.abs() < 0.01 {
                p.looked = false;
            }
        }
        None => {}
    }
}
