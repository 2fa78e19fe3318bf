//! The avatar's motion as layers: idle, gestures, holding and offering a hand,
//! walking, lying down, gaze and the face. Pure: an [`Animator`] takes commands (from
//! the director's cues) and senses (where things are), steps on deterministic time and
//! gives a [`Pose`]. The Bevy side only copies the pose onto entities.
//!
//! Every change blends: gestures fade in and out, expressions ease towards their
//! target, the gaze turns at a natural speed. Nothing jumps from one frame to the next.
//!
//! | file | what it holds |
//! | --- | --- |
//! | `mod.rs` | the [`Animator`]: commands, senses, and `step`, the layers in order |
//! | [`gesture`] | each gesture's shape over time, its fading, hands travelling in arcs |
//! | [`face`] | expressions' faces and seeded blinks |
//! | [`gaze`] | head and eyes within their limits |

pub mod face;
pub mod gaze;
pub mod gesture;

use bevy::math::{EulerRot, Mat4, Quat, Vec2, Vec3};
use reunion_stage::ease::smoothstep;
use reunion_story::story::{Expression, Gesture};
use reunion_story::visemes::{LipSync, Viseme, VisemeWeights};

use crate::body::Proportions;
use crate::ik::{Limb, two_bone};

pub use face::{BLINK_MAX, BLINK_MIN, BLINK_SECONDS, Blinker, EXPRESSIONS, Face, expression_face};
pub use gaze::{
    EYE_PITCH, EYE_YAW, Gaze, HEAD_PITCH_DOWN, HEAD_PITCH_UP, HEAD_YAW, split_gaze, yaw_pitch,
};
pub use gesture::{GESTURES, arc_towards, gesture_seconds};
use gesture::{Layer, gesture_frame};

/// The fastest a hand moves, metres per second: quick enough for a clap, never a jerk.
pub const MAX_HAND_SPEED: f32 = 2.5;

/// A seeded random source for the small motions (blinks, saccades, weight shifts):
/// the same seed, the same motion, on every machine.
#[derive(Clone, Debug)]
pub struct Rng(fastrand::Rng);

impl Rng {
    pub fn new(seed: u32) -> Self {
        Self(fastrand::Rng::with_seed(u64::from(seed)))
    }

    /// A number in 0..1.
    pub fn unit(&mut self) -> f32 {
        self.0.f32()
    }

    pub fn range(&mut self, a: f32, b: f32) -> f32 {
        a + (b - a) * self.unit()
    }
}

/// What the story asks of her.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    Gesture(Gesture),
    Expression(Expression),
    /// She starts a line that lasts about `seconds`.
    Talk {
        seconds: f32,
    },
    /// Her line was cut short.
    StopTalking,
    /// She holds out her hand until it is taken or she lets go.
    OfferHand,
    /// She stops offering or holding her hand.
    LetGo,
}

/// What she senses this frame, in her own space (origin between her feet, facing -z).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Senses {
    /// Where her root is in the world and which way it faces (yaw, radians): walking
    /// is read from how these change.
    pub root: Vec3,
    pub yaw: f32,
    /// The point she looks at.
    pub look: Option<Vec3>,
    /// The participant's hand, while it holds hers.
    pub hold: Option<Vec3>,
    /// Mouth openness from her voice clip's envelope, while one plays (0..1).
    pub mouth: Option<f32>,
}

/// A pose of the whole avatar.
#[derive(Clone, Copy, Debug)]
pub struct Pose {
    /// The whole body about her root (lying down), and its offset.
    pub body_rot: Quat,
    pub body_offset: Vec3,
    /// The pelvis, relative to its rest place at hip height.
    pub pelvis_offset: Vec3,
    pub pelvis_rot: Quat,
    /// The chest about the waist, relative to the pelvis.
    pub chest_rot: Quat,
    /// The head about the top of the neck, relative to the chest.
    pub head_rot: Quat,
    /// Right then left; arms in chest space, legs in pelvis space.
    pub arms: [Limb; 2],
    pub legs: [Limb; 2],
    /// Foot pitch (toes down +), right then left.
    pub feet: [f32; 2],
    pub face: Face,
    pub gaze: Gaze,
}

/// The avatar's animation state. Feed it [`Command`]s and step it each frame.
#[derive(Clone, Debug)]
pub struct Animator {
    pub body: Proportions,
    /// From the wrist to the middle of the palm, the point that meets a held hand (a
    /// model's hand); 0 puts the wrist there (the built-in child's round hand).
    pub palm: f32,
    now: f64,
    rng: Rng,
    blinker: Blinker,
    layers: Vec<Layer>,
    expression: Expression,
    face: Face,
    talk: Option<(f64, f32)>,
    /// The mouth's shapes for the line she says (timed from its start).
    lips: Option<LipSync>,
    /// How far each hand is given to offering or holding (right, left), last step.
    reach_weights: [f32; 2],
    offering: Option<f64>,
    holding: f32,
    hold_side: usize,
    last_hold: Vec3,
    /// When she lay down, and when she began to get up again.
    lying: Option<(f64, Option<f64>)>,
    gaze: Gaze,
    saccade: Vec2,
    next_saccade: f64,
    walk_phase: f32,
    walk_weight: f32,
    last_root: Option<(Vec3, f32)>,
    sway_phase: f32,
    /// Where the hands were last frame (chest space), for their speed limit.
    hands: Option<[Vec3; 2]>,
}

impl Animator {
    /// An animator for a body of `height`, with its own `seed` for the small random
    /// motions (blinks, saccades, weight shifts): the same seed, the same motion.
    pub fn new(height: f32, seed: u32) -> Self {
        Self::with_body(Proportions::from_height(height), seed)
    }

    /// An animator for a body of these proportions (a model's, measured on its
    /// skeleton).
    pub fn with_body(body: Proportions, seed: u32) -> Self {
        let mut rng = Rng::new(seed ^ 0x5eed);
        let sway_phase = rng.range(0.0, std::f32::consts::TAU);
        Self {
            body,
            palm: 0.0,
            now: 0.0,
            rng,
            blinker: Blinker::new(seed),
            layers: Vec::new(),
            expression: Expression::Neutral,
            face: expression_face(Expression::Neutral),
            talk: None,
            lips: None,
            reach_weights: [0.0; 2],
            offering: None,
            holding: 0.0,
            hold_side: 0,
            last_hold: Vec3::ZERO,
            lying: None,
            gaze: Gaze::default(),
            saccade: Vec2::ZERO,
            next_saccade: 1.0,
            walk_phase: 0.0,
            walk_weight: 0.0,
            last_root: None,
            sway_phase,
            hands: None,
        }
    }

    /// Seconds this animator has run.
    pub fn now(&self) -> f64 {
        self.now
    }

    pub fn expression(&self) -> Expression {
        self.expression
    }

    /// Gestures playing now with their weights (0..1), oldest first.
    pub fn gestures(&self) -> Vec<(Gesture, f32)> {
        self.layers
            .iter()
            .map(|l| (l.gesture, l.weight(self.now)))
            .collect()
    }

    pub fn is_talking(&self) -> bool {
        self.talk
            .is_some_and(|(s, len)| self.now - s < f64::from(len))
    }

    /// How far each hand (right, left) is given to offering or holding a hand, 0..1:
    /// where a model's clip plays, this much of the arm is the animator's.
    pub fn reaching(&self) -> [f32; 2] {
        self.reach_weights
    }

    /// How long the line she says lasts, while she says one.
    pub fn talk_seconds(&self) -> Option<f32> {
        self.talk.map(|(_, len)| len)
    }

    /// The hand (0 right, 1 left) holding the participant's, once it mostly does.
    pub fn holding_side(&self) -> Option<usize> {
        (self.holding > 0.5).then_some(self.hold_side)
    }

    /// The mouth shapes of the line she has just begun (after [`Command::Talk`]).
    pub fn say(&mut self, lips: LipSync) {
        self.lips = Some(lips);
    }

    pub fn is_lying(&self) -> bool {
        self.lying.is_some()
    }

    /// How far into walking she is (0 standing .. 1 walking).
    pub fn walking(&self) -> f32 {
        self.walk_weight
    }

    /// The face as blended now (before blinks and talking).
    pub fn face(&self) -> Face {
        self.face
    }

    pub fn command(&mut self, c: Command) {
        let now = self.now;
        match c {
            Command::Gesture(g) => {
                for l in &mut self.layers {
                    if l.cut.is_none() && !(l.gesture == Gesture::GlowAndFade && g != l.gesture) {
                        l.cut = Some(now);
                    }
                }
                match (g, &mut self.lying) {
                    (Gesture::LieDown, None) => {
                        self.lying = Some((now, None));
                        self.offering = None;
                    }
                    (Gesture::LieDown, Some((_, rise))) => *rise = None,
                    // Any other gesture but the farewell: she gets up first.
                    (Gesture::GlowAndFade, _) => {}
                    (_, Some((_, rise))) => {
                        rise.get_or_insert(now);
                    }
                    _ => {}
                }
                self.layers.push(Layer {
                    gesture: g,
                    start: now,
                    cut: None,
                });
            }
            Command::Expression(e) => self.expression = e,
            Command::Talk { seconds } => {
                self.talk = Some((now, seconds.max(0.0)));
                self.lips = None;
            }
            Command::StopTalking => {
                self.talk = None;
                self.lips = None;
            }
            Command::OfferHand => {
                self.offering.get_or_insert(now);
            }
            Command::LetGo => self.offering = None,
        }
    }

    /// Advances by `dt` seconds and gives the pose: the layers, in the order they
    /// lay over each other.
    pub fn step(&mut self, dt: f32, senses: &Senses) -> Pose {
        let dt = dt.max(0.0);
        self.now += f64::from(dt);
        let now = self.now;
        self.layers.retain(|l| !l.over(now));

        self.read_walking(dt, senses);
        // Face: ease towards the expression (blinks and talking come later).
        self.face = self
            .face
            .lerp(expression_face(self.expression), (dt * 4.0).min(1.0));
        let mut face = self.face;
        let mut upper = self.play_gestures(&mut face);
        self.offer_and_hold(dt, senses, &mut upper.hands);
        self.swing_arms(&mut upper.hands);
        self.talk_layer(senses, &mut face, &mut upper.head);
        let lie = self.lie_layer(&mut face);
        self.look(dt, senses, lie, &mut face);
        let stance = self.stance(&upper, lie);
        self.keep_hold_in_chest(&stance, &mut upper.hands);
        let (legs, feet) = self.legs(stance.pelvis_offset, stance.pelvis_rot, lie);
        self.limit_hand_speed(dt, &mut upper.hands);
        let arms = self.reach(upper.hands);

        Pose {
            body_rot: Quat::IDENTITY
                .slerp(Quat::from_rotation_z(-std::f32::consts::FRAC_PI_2), lie),
            body_offset: Vec3::new(0.0, 0.13 * self.body.height * lie, 0.0),
            pelvis_offset: stance.pelvis_offset,
            pelvis_rot: stance.pelvis_rot,
            chest_rot: stance.chest_rot,
            head_rot: stance.head_rot,
            arms,
            legs,
            feet,
            face,
            gaze: self.gaze,
        }
    }

    /// Walking, read from how far the root moved (turning in place counts a little),
    /// so the feet keep pace with the ground whatever moves her.
    fn read_walking(&mut self, dt: f32, senses: &Senses) {
        let p = self.body;
        let travelled = match self.last_root {
            Some((pos, yaw)) => {
                let d = (senses.root - pos).with_y(0.0).length();
                let turn = (senses.yaw - yaw).abs().min(1.0);
                if d > 0.5 {
                    0.0
                } else {
                    d + turn * p.hip_half * 1.5
                }
            }
            None => 0.0,
        };
        self.last_root = Some((senses.root, senses.yaw));
        let speed = if dt > 0.0 { travelled / dt } else { 0.0 };
        let want_walk = if speed > 0.06 { 1.0 } else { 0.0 };
        self.walk_weight += (want_walk - self.walk_weight) * (dt * 5.0).min(1.0);
        self.walk_phase = (self.walk_phase + travelled / (2.0 * p.step)).fract();
    }

    /// The gesture layers, blended in start order over the resting, breathing body.
    fn play_gestures(&self, face: &mut Face) -> Upper {
        let p = self.body;
        let now = self.now;
        let t = now as f32;
        let breath = (t * std::f32::consts::TAU * 0.35).sin();
        let mut upper = Upper {
            hands: [
                p.hand_rest(1.0) + Vec3::Y * breath * 0.003 * p.height,
                p.hand_rest(-1.0) + Vec3::Y * breath * 0.003 * p.height,
            ],
            head: Vec3::ZERO,
            chest_pitch: breath * 0.012,
        };
        let shoulders = self.shoulders();
        for l in &self.layers {
            let w = l.weight(now);
            let f = gesture_frame(l.gesture, (now - l.start) as f32, &p);
            for (i, target) in f.hands.into_iter().enumerate() {
                if let Some(target) = target {
                    upper.hands[i] = arc_towards(shoulders[i], upper.hands[i], target, w);
                }
            }
            upper.head += f.head * w;
            upper.chest_pitch += f.chest_pitch * w;
            face.open += f.open * w;
            face.round += f.round * w;
            face.lid = face.lid.max(f.lid * w);
        }
        upper
    }

    /// Offering, then holding a hand: stronger than gestures.
    fn offer_and_hold(&mut self, dt: f32, senses: &Senses, hands: &mut [Vec3; 2]) {
        let p = self.body;
        let now = self.now;
        let shoulders = self.shoulders();
        let mut weights = [0.0f32; 2];
        if let Some(since) = self.offering {
            // Once a hand holds hers, the offered hand is no longer held out.
            let taken = if self.hold_side == 1 {
                self.holding
            } else {
                0.0
            };
            let w = smoothstep((now - since) as f32, 0.0, 0.7) * (1.0 - taken);
            weights[0] = w;
            let h = p.height;
            hands[0] = arc_towards(
                shoulders[0],
                hands[0],
                Vec3::new(0.08 * h, 0.04 * h, -0.3 * h),
                w,
            );
        }
        let chest_origin = Vec3::Y * p.waist_y;
        if let Some(target) = senses.hold {
            let target = target - chest_origin;
            // The wrist stops short of the hand by the palm, so the palm meets it.
            // The hand on the side it is on; once holding, the other hand takes over
            // only when it has gone well past her middle (no flicker between hands).
            let past = if self.holding > 0.05 {
                0.5 * p.shoulder_half
            } else {
                0.0
            };
            let side = match self.hold_side {
                0 if target.x < -past => 1,
                1 if target.x > past => 0,
                s => s,
            };
            let from = shoulders[side];
            self.last_hold = target - (target - from).normalize_or_zero() * self.palm;
            self.hold_side = side;
        }
        let want_hold = if senses.hold.is_some() { 1.0 } else { 0.0 };
        self.holding += (want_hold - self.holding) * (dt * 6.0).min(1.0);
        if self.holding > 1e-3 {
            let side = self.hold_side;
            hands[side] = arc_towards(shoulders[side], hands[side], self.last_hold, self.holding);
            weights[side] = weights[side].max(self.holding);
        }
        self.reach_weights = weights;
    }

    /// The hand held stays on the participant's hand while her chest bobs and sways
    /// (walking, weight shifts): its target is taken into this frame's chest.
    fn keep_hold_in_chest(&self, stance: &Stance, hands: &mut [Vec3; 2]) {
        if self.holding <= 1e-3 {
            return;
        }
        let p = self.body;
        let chest =
            Mat4::from_rotation_translation(
                stance.pelvis_rot,
                Vec3::Y * p.hip_y + stance.pelvis_offset,
            ) * Mat4::from_rotation_translation(stance.chest_rot, Vec3::Y * (p.waist_y - p.hip_y));
        let at = chest
            .inverse()
            .transform_point3(self.last_hold + Vec3::Y * p.waist_y);
        let side = self.hold_side;
        hands[side] = arc_towards(self.shoulders()[side], hands[side], at, self.holding);
    }

    /// Walking, the arms swing against the legs (not the one holding a hand).
    fn swing_arms(&self, hands: &mut [Vec3; 2]) {
        let swing = (self.walk_phase * std::f32::consts::TAU).sin() * self.walk_weight;
        for (i, hand) in hands.iter_mut().enumerate() {
            let s = if i == 0 { 1.0 } else { -1.0 };
            let free = if self.holding > 0.5 && i == self.hold_side {
                0.0
            } else {
                1.0
            };
            hand.z += s * swing * 0.06 * self.body.height * free;
        }
    }

    /// Talking: the mouth follows the voice's envelope, or a text-timed stand-in, and
    /// the head moves a little with the words.
    fn talk_layer(&self, senses: &Senses, face: &mut Face, head: &mut Vec3) {
        let now = self.now;
        let t = now as f32;
        let voice = senses.mouth.map(|m| m.clamp(0.0, 1.0));
        if let Some(m) = voice {
            face.open = face.open.max(m * 0.8);
        }
        let talking = self.talk.map(|(start, len)| ((now - start) as f32, len));
        match (talking, &self.lips) {
            // The line's text shapes the mouth; its voice, where one plays, says how
            // far it opens.
            (Some((u, len)), Some(lips)) if u < len => {
                let mut w = lips.at(u);
                if let Some(m) = voice {
                    let open = w.openness();
                    let k = if open > 1e-3 {
                        (m / open).min(1.0)
                    } else {
                        0.0
                    };
                    w = VisemeWeights::REST.lerp(&w, k);
                } else {
                    face.open = face.open.max(w.openness() * 0.75);
                }
                face.round = face.round.max(w.get(Viseme::Ou) + w.get(Viseme::Oh) * 0.6);
                face.visemes = Some(w);
            }
            (Some((u, len)), None) if voice.is_none() && u < len => {
                let env = smoothstep(u, 0.0, 0.1) * (1.0 - smoothstep(u, len - 0.15, len));
                let syll = ((t * std::f32::consts::TAU * 3.1 + (t * 5.3).sin()).sin()).abs();
                face.open = face.open.max(env * (0.12 + 0.4 * syll));
            }
            _ => {}
        }
        if self.is_talking() {
            head.x += 0.025 * (t * 4.1).sin();
        }
    }

    /// Lying down: she curls up on her side to sleep. How far down she is (0..1).
    fn lie_layer(&mut self, face: &mut Face) -> f32 {
        let now = self.now;
        let lie = match self.lying {
            Some((since, rise)) => {
                let up = rise.map_or(0.0, |r| smoothstep((now - r) as f32, 0.0, 2.0));
                if up >= 1.0 {
                    self.lying = None;
                }
                smoothstep((now - since) as f32, 0.0, 3.0) * (1.0 - up)
            }
            None => 0.0,
        };
        if lie > 0.0 {
            face.lid = face.lid.max(lie);
            // A small, sleepy smile.
            face.smile += (face.smile.max(0.25) - face.smile) * lie;
        }
        lie
    }

    /// Gaze: saccades, then head and eyes within their limits; blinks over all.
    fn look(&mut self, dt: f32, senses: &Senses, lie: f32, face: &mut Face) {
        let now = self.now;
        if now >= self.next_saccade {
            self.saccade = Vec2::new(self.rng.range(-0.04, 0.04), self.rng.range(-0.025, 0.025));
            self.next_saccade = now + f64::from(self.rng.range(0.4, 1.8));
        }
        let eye = Vec3::Y * self.body.eye_height();
        let want = match senses.look {
            Some(point) if lie < 0.5 => yaw_pitch(point - eye),
            _ => Vec2::ZERO,
        };
        let goal = split_gaze(want);
        let k_head = (dt * 3.0).min(1.0);
        let k_eyes = (dt * 18.0).min(1.0);
        self.gaze.head = self.gaze.head.lerp(goal.head, k_head);
        let eyes_goal = want - self.gaze.head + self.saccade;
        let eyes_goal = Vec2::new(
            eyes_goal.x.clamp(-EYE_YAW, EYE_YAW),
            eyes_goal.y.clamp(-EYE_PITCH, EYE_PITCH),
        );
        self.gaze.eyes = self.gaze.eyes.lerp(eyes_goal, k_eyes);
        face.eyes = self.gaze.eyes;
        face.lid = face.lid.max(self.blinker.lid(now));
        face.open = face.open.clamp(0.0, 1.0);
        face.lid = face.lid.clamp(-0.3, 1.0);
    }

    /// Pelvis, chest and head: slow, small weight shifts standing; walking, the knees
    /// bend, the hips sink and rise a little over each planted foot.
    fn stance(&self, upper: &Upper, lie: f32) -> Stance {
        let p = self.body;
        let t = self.now as f32;
        let sway = (t * 0.21 + self.sway_phase).sin();
        let still = 1.0 - self.walk_weight;
        // Highest when the feet pass, lowest when they are apart.
        let bob = (self.walk_phase * std::f32::consts::TAU * 2.0).sin().abs() * 0.012 * p.height;
        let head = upper.head;
        Stance {
            pelvis_offset: Vec3::new(
                sway * 0.008 * p.height * still,
                (bob - 0.045 * p.height) * self.walk_weight,
                0.0,
            ),
            pelvis_rot: Quat::from_rotation_z(-sway * 0.03 * still),
            head_rot: Quat::from_euler(
                EulerRot::YXZ,
                self.gaze.head.x + head.y,
                self.gaze.head.y + head.x,
                head.z + sway * 0.02 + lie * 0.3,
            ),
            chest_rot: Quat::from_rotation_x(upper.chest_pitch)
                * Quat::from_rotation_z(sway * 0.02 * still),
        }
    }

    /// However the layers combine, a hand never moves faster than it could.
    fn limit_hand_speed(&mut self, dt: f32, hands: &mut [Vec3; 2]) {
        let shoulders = self.shoulders();
        if let Some(before) = self.hands {
            let max = MAX_HAND_SPEED * dt;
            for i in 0..2 {
                let d = hands[i].distance(before[i]);
                if d > max {
                    hands[i] = arc_towards(shoulders[i], before[i], hands[i], max / d);
                }
            }
        }
        self.hands = Some(*hands);
    }

    /// Arms: two-bone IK towards the hand targets, elbows back and out.
    fn reach(&self, hands: [Vec3; 2]) -> [Limb; 2] {
        let p = self.body;
        [0usize, 1].map(|i| {
            let s = if i == 0 { 1.0 } else { -1.0 };
            // Elbows bend back, a little down and out, as a child's do.
            let pole = Vec3::new(s * 0.25, -0.35, 1.0);
            two_bone(p.shoulder(s), hands[i], p.upper_arm, p.forearm, pole)
        })
    }

    fn shoulders(&self) -> [Vec3; 2] {
        [self.body.shoulder(1.0), self.body.shoulder(-1.0)]
    }

    /// Foot targets in her own space, then solved in pelvis space.
    fn legs(&self, pelvis_offset: Vec3, pelvis_rot: Quat, lie: f32) -> ([Limb; 2], [f32; 2]) {
        let p = self.body;
        let cycle = 2.0 * p.step;
        let mut out = [Limb {
            root: Vec3::ZERO,
            mid: Vec3::ZERO,
            end: Vec3::ZERO,
            reached: true,
        }; 2];
        let mut feet = [0.0; 2];
        let pelvis_pos = Vec3::Y * p.hip_y + pelvis_offset;
        let inv = pelvis_rot.inverse();
        for (i, s) in [1.0f32, -1.0].into_iter().enumerate() {
            let phase = (self.walk_phase + if i == 0 { 0.0 } else { 0.5 }).fract();
            // Stance for the first half: the foot moves back under her exactly as fast
            // as she moves forward, so it stays put on the ground. Swing for the
            // second half: it lifts and comes forward again.
            let (z, lift) = if phase < 0.5 {
                (-cycle / 4.0 + phase / 0.5 * cycle / 2.0, 0.0)
            } else {
                let u = (phase - 0.5) / 0.5;
                (
                    cycle / 4.0 - smoothstep(u, 0.0, 1.0) * cycle / 2.0,
                    (u * std::f32::consts::PI).sin() * 0.06 * p.height,
                )
            };
            let w = self.walk_weight;
            let standing = Vec3::new(s * p.hip_half, p.ankle, -0.01 * p.height);
            let walking = Vec3::new(s * p.hip_half, p.ankle + lift, z);
            let curled = Vec3::new(s * p.hip_half * 0.6, p.hip_y * 0.5, -0.24 * p.height);
            let target = standing.lerp(walking, w).lerp(curled, lie);
            let local = inv * (target - pelvis_pos);
            let pole = Vec3::new(s * 0.1, 0.0, -1.0);
            out[i] = two_bone(p.hip(s), local, p.thigh, p.shin, pole);
            feet[i] = lift / (0.06 * p.height).max(1e-3) * 0.3 * w;
        }
        (out, feet)
    }
}

/// What the upper body's layers ask for: hand targets (chest space, right then
/// left), the head's nod/turn/tilt offsets and the chest's pitch.
struct Upper {
    hands: [Vec3; 2],
    head: Vec3,
    chest_pitch: f32,
}

/// The trunk and head's rotations and the pelvis's offset for one frame.
struct Stance {
    pelvis_offset: Vec3,
    pelvis_rot: Quat,
    chest_rot: Quat,
    head_rot: Quat,
}
