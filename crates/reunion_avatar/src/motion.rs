//! The avatar's motion as layers: idle, gestures, holding and offering a hand,
//! walking, lying down, gaze and the face. Pure: an [`Animator`] takes commands (from
//! the director's cues) and senses (where things are), steps on deterministic time and
//! gives a [`Pose`]. The Bevy side only copies the pose onto entities.
//!
//! Every change blends: gestures fade in and out, expressions ease towards their
//! target, the gaze turns at a natural speed. Nothing jumps from one frame to the next.

use bevy::math::{EulerRot, Quat, Vec2, Vec3};
use reunion_story::story::{Expression, Gesture};

use crate::body::Proportions;
use crate::ik::{Limb, two_bone};

/// Head limits, radians: yaw either way, pitch down and up.
pub const HEAD_YAW: f32 = 1.15;
pub const HEAD_PITCH_DOWN: f32 = 0.6;
pub const HEAD_PITCH_UP: f32 = 0.45;
/// Eye limits within the head, radians.
pub const EYE_YAW: f32 = 0.42;
pub const EYE_PITCH: f32 = 0.28;
/// Seconds between blinks (a double blink may follow 0.35 s after one).
pub const BLINK_MIN: f32 = 2.0;
pub const BLINK_MAX: f32 = 6.0;
/// The fastest a hand moves, metres per second: quick enough for a clap, never a jerk.
pub const MAX_HAND_SPEED: f32 = 2.5;
/// Seconds a blink takes.
pub const BLINK_SECONDS: f32 = 0.16;

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

/// The face, each value 0..1 unless said.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Face {
    /// -1 (sad) .. 1 (a big smile): the curve of the mouth.
    pub smile: f32,
    pub open: f32,
    /// A round "o" mouth (surprise, a yawn).
    pub round: f32,
    /// Eyelids: 0 open, 1 closed; below 0, wide open.
    pub lid: f32,
    pub brow_up: f32,
    /// Inner ends of the brows raised: sadness.
    pub brow_sad: f32,
    pub cheek: f32,
    /// Eyes within the head: yaw (left +) and pitch (up +), radians.
    pub eyes: Vec2,
}

impl Face {
    fn lerp(self, to: Face, k: f32) -> Face {
        let l = |a: f32, b: f32| a + (b - a) * k;
        Face {
            smile: l(self.smile, to.smile),
            open: l(self.open, to.open),
            round: l(self.round, to.round),
            lid: l(self.lid, to.lid),
            brow_up: l(self.brow_up, to.brow_up),
            brow_sad: l(self.brow_sad, to.brow_sad),
            cheek: l(self.cheek, to.cheek),
            eyes: self.eyes.lerp(to.eyes, k),
        }
    }
}

/// The face an expression asks for (the eyes are the gaze's).
pub fn expression_face(e: Expression) -> Face {
    let f = Face::default();
    match e {
        Expression::Neutral => Face { smile: 0.2, ..f },
        Expression::Smile => Face {
            smile: 0.75,
            open: 0.05,
            cheek: 0.6,
            lid: 0.1,
            ..f
        },
        Expression::Laugh => Face {
            smile: 1.0,
            open: 0.55,
            lid: 0.6,
            brow_up: 0.35,
            cheek: 1.0,
            ..f
        },
        Expression::Sad => Face {
            smile: -0.7,
            lid: 0.3,
            brow_sad: 1.0,
            ..f
        },
        Expression::Surprised => Face {
            open: 0.6,
            round: 1.0,
            lid: -0.25,
            brow_up: 1.0,
            ..f
        },
        Expression::Sleepy => Face {
            smile: 0.15,
            lid: 0.7,
            brow_up: -0.3,
            ..f
        },
    }
}

/// A gesture's length in seconds; `None` for one that lasts until something else
/// happens (lying down, the farewell glow).
pub fn gesture_seconds(g: Gesture) -> Option<f32> {
    Some(match g {
        Gesture::CallOut => 1.8,
        Gesture::Wave => 2.4,
        Gesture::ReachOut => 2.2,
        Gesture::Point => 2.2,
        Gesture::ArmsOpen => 2.4,
        Gesture::Clap => 2.0,
        Gesture::Nod => 1.2,
        Gesture::Yawn => 3.0,
        Gesture::LieDown | Gesture::GlowAndFade => return None,
    })
}

/// Every gesture (the story format's list).
pub use reunion_story::story::GESTURES;

/// Every expression.
pub const EXPRESSIONS: [Expression; 6] = [
    Expression::Neutral,
    Expression::Smile,
    Expression::Laugh,
    Expression::Sad,
    Expression::Surprised,
    Expression::Sleepy,
];

/// What one layer asks of the body at one moment.
#[derive(Clone, Copy, Debug, Default)]
struct Frame {
    /// Hand targets in chest space, right then left.
    hands: [Option<Vec3>; 2],
    head: Vec3,
    chest_pitch: f32,
    open: f32,
    round: f32,
    lid: f32,
}

/// Smooth 0..1 ramp of `x` between `a` and `b`.
pub fn smooth(x: f32, a: f32, b: f32) -> f32 {
    let t = ((x - a) / (b - a)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The shape of `g` at `u` seconds in, for a body of `p`.
fn gesture_frame(g: Gesture, u: f32, p: &Proportions) -> Frame {
    use std::f32::consts::{PI, TAU};
    let h = p.height;
    let v = |x: f32, y: f32, z: f32| Some(Vec3::new(x * h, y * h, z * h));
    let mut f = Frame::default();
    match g {
        Gesture::CallOut => {
            f.hands = [v(0.06, 0.29, -0.15), v(-0.06, 0.29, -0.15)];
            f.head.x = 0.15;
            f.open = 0.45;
            f.round = 0.5;
        }
        Gesture::Wave => {
            let x = 0.2 + 0.05 * (TAU * 2.2 * u).sin();
            f.hands[0] = v(x, 0.36, -0.05);
            f.head.z = -0.08;
        }
        Gesture::ReachOut => f.hands[0] = v(0.07, 0.06, -0.3),
        Gesture::Point => {
            f.hands[0] = v(0.16, 0.22, -0.34);
            f.head.y = -0.15;
        }
        Gesture::ArmsOpen => {
            f.hands = [v(0.34, 0.2, -0.12), v(-0.34, 0.2, -0.12)];
            f.chest_pitch = 0.07;
            f.head.x = 0.1;
        }
        Gesture::Clap => {
            let apart = 0.012 + 0.07 * (PI * 3.0 * u).cos().abs();
            f.hands = [v(apart, 0.13, -0.22), v(-apart, 0.13, -0.22)];
        }
        Gesture::Nod => {
            let s = (PI * u / 0.6).sin();
            f.head.x = -0.24 * s * s;
        }
        Gesture::Yawn => {
            let stretch = smooth(u, 0.2, 1.0) * (1.0 - smooth(u, 2.2, 2.9));
            f.hands = [v(0.1, 0.55, 0.03), v(-0.1, 0.55, 0.03)];
            f.head.x = 0.22 * stretch;
            f.open = 0.8 * stretch;
            f.round = 0.8 * stretch;
            f.lid = 0.8 * stretch;
            f.chest_pitch = 0.06 * stretch;
        }
        Gesture::LieDown => {
            f.hands = [v(0.07, 0.33, -0.1), v(0.0, 0.31, -0.12)];
            f.lid = 1.0;
        }
        Gesture::GlowAndFade => {
            f.hands = [v(0.2, 0.02, -0.1), v(-0.2, 0.02, -0.1)];
            f.head.x = 0.08;
        }
    }
    f
}

/// Moves a hand from `from` towards `to` by `w` (0..1) along an arc about the
/// shoulder: direction and reach blend separately, so a hand rising from her side to
/// above her head swings forward around the shoulder instead of passing through it.
pub fn arc_towards(shoulder: Vec3, from: Vec3, to: Vec3, w: f32) -> Vec3 {
    let (a, b) = (from - shoulder, to - shoulder);
    let (la, lb) = (a.length(), b.length());
    if la < 1e-5 || lb < 1e-5 {
        return from.lerp(to, w);
    }
    let (da, db) = (a / la, b / lb);
    let turn = if da.dot(db) < -0.999 {
        // Straight opposite: swing forward (about her left-right axis).
        Quat::from_axis_angle(Vec3::X, std::f32::consts::PI)
    } else {
        Quat::from_rotation_arc(da, db)
    };
    let dir = Quat::IDENTITY.slerp(turn, w) * da;
    shoulder + dir * (la + (lb - la) * w)
}

/// A gesture playing, or fading out.
#[derive(Clone, Copy, Debug)]
struct Layer {
    gesture: Gesture,
    start: f64,
    /// When a newer gesture or a command cut it short: it fades from here.
    cut: Option<f64>,
}

const FADE_IN: f32 = 0.55;
const FADE_OUT: f32 = 0.5;

impl Layer {
    fn weight(&self, now: f64) -> f32 {
        let u = (now - self.start) as f32;
        let mut w = smooth(u, 0.0, FADE_IN);
        if let Some(len) = gesture_seconds(self.gesture) {
            w *= 1.0 - smooth(u, len - FADE_OUT, len);
        }
        if let Some(cut) = self.cut {
            w *= 1.0 - smooth((now - cut) as f32, 0.0, FADE_OUT);
        }
        w
    }

    fn over(&self, now: f64) -> bool {
        let u = (now - self.start) as f32;
        gesture_seconds(self.gesture).is_some_and(|len| u >= len)
            || self.cut.is_some_and(|c| (now - c) as f32 >= FADE_OUT)
    }
}

/// A small deterministic random source (seeded per avatar).
#[derive(Clone, Debug)]
pub struct Rng(u32);

impl Rng {
    pub fn new(seed: u32) -> Self {
        Self(seed.wrapping_mul(2_654_435_761).max(1))
    }

    /// A number in 0..1.
    pub fn unit(&mut self) -> f32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        (x >> 8) as f32 / (1u32 << 24) as f32
    }

    pub fn range(&mut self, a: f32, b: f32) -> f32 {
        a + (b - a) * self.unit()
    }
}

/// Blinks at natural, seeded intervals.
#[derive(Clone, Debug)]
pub struct Blinker {
    rng: Rng,
    next: f64,
    /// The start of the blink in progress, if one is.
    current: Option<f64>,
    /// Every blink's start time, if asked to keep them (tests).
    pub history: Option<Vec<f64>>,
}

impl Blinker {
    pub fn new(seed: u32) -> Self {
        let mut rng = Rng::new(seed);
        let first = f64::from(rng.range(0.5, BLINK_MAX));
        Self {
            rng,
            next: first,
            current: None,
            history: None,
        }
    }

    /// How closed the lids are at `now` (0..1). Call with rising times.
    pub fn lid(&mut self, now: f64) -> f32 {
        if now >= self.next {
            self.current = Some(self.next);
            if let Some(h) = &mut self.history {
                h.push(self.next);
            }
            // Now and then a second blink follows the first.
            let gap = if self.rng.unit() < 0.15 {
                0.35
            } else {
                self.rng.range(BLINK_MIN, BLINK_MAX)
            };
            self.next += f64::from(gap);
        }
        let Some(start) = self.current else {
            return 0.0;
        };
        let u = (now - start) as f32 / BLINK_SECONDS;
        if u >= 1.0 {
            self.current = None;
            return 0.0;
        }
        // Lids close fast and open a little slower.
        if u < 0.4 {
            u / 0.4
        } else {
            1.0 - (u - 0.4) / 0.6
        }
    }
}

/// Where the head and eyes point: yaw (left +), pitch (up +).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Gaze {
    pub head: Vec2,
    pub eyes: Vec2,
}

/// Yaw and pitch of a direction (forward is -z).
pub fn yaw_pitch(d: Vec3) -> Vec2 {
    let d = d.normalize_or(Vec3::NEG_Z);
    Vec2::new(f32::atan2(-d.x, -d.z), d.y.clamp(-1.0, 1.0).asin())
}

/// Splits a look direction between head and eyes within their limits: the head takes
/// what it can (most of it), the eyes the rest, each clamped.
pub fn split_gaze(want: Vec2) -> Gaze {
    let head = Vec2::new(
        (want.x * 0.85).clamp(-HEAD_YAW, HEAD_YAW),
        (want.y * 0.8).clamp(-HEAD_PITCH_DOWN, HEAD_PITCH_UP),
    );
    let rest = want - head;
    Gaze {
        head,
        eyes: Vec2::new(
            rest.x.clamp(-EYE_YAW, EYE_YAW),
            rest.y.clamp(-EYE_PITCH, EYE_PITCH),
        ),
    }
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
    now: f64,
    rng: Rng,
    blinker: Blinker,
    layers: Vec<Layer>,
    expression: Expression,
    face: Face,
    talk: Option<(f64, f32)>,
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
        let body = Proportions::from_height(height);
        let mut rng = Rng::new(seed ^ 0x5eed);
        let sway_phase = rng.range(0.0, std::f32::consts::TAU);
        Self {
            body,
            now: 0.0,
            rng,
            blinker: Blinker::new(seed),
            layers: Vec::new(),
            expression: Expression::Neutral,
            face: expression_face(Expression::Neutral),
            talk: None,
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

    pub fn is_offering(&self) -> bool {
        self.offering.is_some()
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
            Command::Talk { seconds } => self.talk = Some((now, seconds.max(0.0))),
            Command::StopTalking => self.talk = None,
            Command::OfferHand => {
                self.offering.get_or_insert(now);
            }
            Command::LetGo => self.offering = None,
        }
    }

    /// Advances by `dt` seconds and gives the pose.
    pub fn step(&mut self, dt: f32, senses: &Senses) -> Pose {
        let dt = dt.max(0.0);
        self.now += f64::from(dt);
        let now = self.now;
        let t = now as f32;
        let p = self.body;
        self.layers.retain(|l| !l.over(now));

        // Walking: read from how far the root moved (turning in place counts a little),
        // so the feet keep pace with the ground whatever moves her.
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

        // Face: ease towards the expression; blink; talk.
        let target = expression_face(self.expression);
        self.face = self.face.lerp(target, (dt * 4.0).min(1.0));
        let mut face = self.face;

        // Gesture layers, blended in start order over the resting frame.
        let breath = (t * std::f32::consts::TAU * 0.35).sin();
        let rest = [
            p.hand_rest(1.0) + Vec3::Y * breath * 0.003 * p.height,
            p.hand_rest(-1.0) + Vec3::Y * breath * 0.003 * p.height,
        ];
        let mut hands = rest;
        let shoulders = [p.shoulder(1.0), p.shoulder(-1.0)];
        let mut head = Vec3::ZERO;
        let mut chest_pitch = breath * 0.012;
        for l in &self.layers {
            let w = l.weight(now);
            let f = gesture_frame(l.gesture, (now - l.start) as f32, &p);
            for (i, target) in f.hands.into_iter().enumerate() {
                if let Some(target) = target {
                    hands[i] = arc_towards(shoulders[i], hands[i], target, w);
                }
            }
            head += f.head * w;
            chest_pitch += f.chest_pitch * w;
            face.open += f.open * w;
            face.round += f.round * w;
            face.lid = face.lid.max(f.lid * w);
        }

        // Offering, then holding a hand: stronger than gestures.
        if let Some(since) = self.offering {
            let w = smooth((now - since) as f32, 0.0, 0.7);
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
            self.last_hold = target - chest_origin;
            self.hold_side = if self.last_hold.x >= 0.0 { 0 } else { 1 };
        }
        let want_hold = if senses.hold.is_some() { 1.0 } else { 0.0 };
        self.holding += (want_hold - self.holding) * (dt * 6.0).min(1.0);
        if self.holding > 1e-3 {
            let side = self.hold_side;
            hands[side] = arc_towards(shoulders[side], hands[side], self.last_hold, self.holding);
        }

        // Walking: arms swing against the legs.
        let swing = (self.walk_phase * std::f32::consts::TAU).sin() * self.walk_weight;
        for (i, hand) in hands.iter_mut().enumerate() {
            let s = if i == 0 { 1.0 } else { -1.0 };
            let free = if self.holding > 0.5 && i == self.hold_side {
                0.0
            } else {
                1.0
            };
            hand.z += s * swing * 0.06 * p.height * free;
        }

        // Talking: the voice's envelope, or a text-timed stand-in.
        let talking = self.is_talking();
        if let Some(m) = senses.mouth {
            face.open = face.open.max(m.clamp(0.0, 1.0) * 0.8);
        } else if let Some((start, len)) = self.talk {
            let u = (now - start) as f32;
            if u < len {
                let env = smooth(u, 0.0, 0.1) * (1.0 - smooth(u, len - 0.15, len));
                let syll = ((t * std::f32::consts::TAU * 3.1 + (t * 5.3).sin()).sin()).abs();
                face.open = face.open.max(env * (0.12 + 0.4 * syll));
            }
        }
        if talking {
            head.x += 0.025 * (t * 4.1).sin();
        }

        // Lying down: she curls up on her side to sleep.
        let lie = match self.lying {
            Some((since, rise)) => {
                let up = rise.map_or(0.0, |r| smooth((now - r) as f32, 0.0, 2.0));
                if up >= 1.0 {
                    self.lying = None;
                }
                smooth((now - since) as f32, 0.0, 3.0) * (1.0 - up)
            }
            None => 0.0,
        };
        if lie > 0.0 {
            face.lid = face.lid.max(lie);
            // A small, sleepy smile.
            face.smile += (face.smile.max(0.25) - face.smile) * lie;
        }

        // Gaze: saccades, then head and eyes within their limits.
        if now >= self.next_saccade {
            self.saccade = Vec2::new(self.rng.range(-0.04, 0.04), self.rng.range(-0.025, 0.025));
            self.next_saccade = now + f64::from(self.rng.range(0.4, 1.8));
        }
        let eye = Vec3::Y * p.eye_height();
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

        // Weight shifts: slow and small.
        let sway = (t * 0.21 + self.sway_phase).sin();
        let still = 1.0 - self.walk_weight;
        // Walking, the knees bend: the hips sink, and rise a little over each planted
        // foot (highest when the feet pass, lowest when they are apart).
        let bob = (self.walk_phase * std::f32::consts::TAU * 2.0).sin().abs() * 0.012 * p.height;
        let pelvis_offset = Vec3::new(
            sway * 0.008 * p.height * still,
            (bob - 0.045 * p.height) * self.walk_weight,
            0.0,
        );
        let pelvis_rot = Quat::from_rotation_z(-sway * 0.03 * still);
        let head_rot = Quat::from_euler(
            EulerRot::YXZ,
            self.gaze.head.x + head.y,
            self.gaze.head.y + head.x,
            head.z + sway * 0.02 + lie * 0.3,
        );
        let chest_rot =
            Quat::from_rotation_x(chest_pitch) * Quat::from_rotation_z(sway * 0.02 * still);

        // Legs: feet on the ground, stepping with the distance walked.
        let (legs, feet) = self.legs(pelvis_offset, pelvis_rot, lie);

        // However the layers combine, a hand never moves faster than it could.
        if let Some(before) = self.hands {
            let max = MAX_HAND_SPEED * dt;
            for i in 0..2 {
                let d = hands[i].distance(before[i]);
                if d > max {
                    hands[i] = arc_towards(shoulders[i], before[i], hands[i], max / d);
                }
            }
        }
        self.hands = Some(hands);

        // Arms: two-bone IK towards the hand targets, elbows back and out.
        let arms = [0usize, 1].map(|i| {
            let s = if i == 0 { 1.0 } else { -1.0 };
            // Elbows bend back, a little down and out, as a child's do.
            let pole = Vec3::new(s * 0.25, -0.35, 1.0);
            two_bone(p.shoulder(s), hands[i], p.upper_arm, p.forearm, pole)
        });

        Pose {
            body_rot: Quat::IDENTITY
                .slerp(Quat::from_rotation_z(-std::f32::consts::FRAC_PI_2), lie),
            body_offset: Vec3::new(0.0, 0.13 * p.height * lie, 0.0),
            pelvis_offset,
            pelvis_rot,
            chest_rot,
            head_rot,
            arms,
            legs,
            feet,
            face,
            gaze: self.gaze,
        }
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
                    cycle / 4.0 - smooth(u, 0.0, 1.0) * cycle / 2.0,
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
