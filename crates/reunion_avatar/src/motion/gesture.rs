//! Gestures: what each asks of the hands, head, chest and face over its length, how
//! a playing gesture fades in and out, and how a hand travels (along an arc about the
//! shoulder, never through her).

use bevy::math::{Quat, Vec3};
use reunion_stage::ease::smoothstep;
use reunion_story::story::Gesture;

use crate::body::Proportions;

/// Every gesture (the story format's list).
pub use reunion_story::story::GESTURES;

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

/// What one layer asks of the body at one moment.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Frame {
    /// Hand targets in chest space, right then left.
    pub hands: [Option<Vec3>; 2],
    pub head: Vec3,
    pub chest_pitch: f32,
    pub open: f32,
    pub round: f32,
    pub lid: f32,
}

/// The shape of `g` at `u` seconds in, for a body of `p`.
pub(super) fn gesture_frame(g: Gesture, u: f32, p: &Proportions) -> Frame {
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
            let stretch = smoothstep(u, 0.2, 1.0) * (1.0 - smoothstep(u, 2.2, 2.9));
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
pub(super) struct Layer {
    pub gesture: Gesture,
    pub start: f64,
    /// When a newer gesture or a command cut it short: it fades from here.
    pub cut: Option<f64>,
}

pub(super) const FADE_IN: f32 = 0.55;
pub(super) const FADE_OUT: f32 = 0.5;

impl Layer {
    pub(super) fn weight(&self, now: f64) -> f32 {
        let u = (now - self.start) as f32;
        let mut w = smoothstep(u, 0.0, FADE_IN);
        if let Some(len) = gesture_seconds(self.gesture) {
            w *= 1.0 - smoothstep(u, len - FADE_OUT, len);
        }
        if let Some(cut) = self.cut {
            w *= 1.0 - smoothstep((now - cut) as f32, 0.0, FADE_OUT);
        }
        w
    }

    pub(super) fn over(&self, now: f64) -> bool {
        let u = (now - self.start) as f32;
        gesture_seconds(self.gesture).is_some_and(|len| u >= len)
            || self.cut.is_some_and(|c| (now - c) as f32 >= FADE_OUT)
    }
}
