//! One easing for everything that fades, rises or blends: Bevy's smoothstep between
//! two edges. The stage's transitions and the avatar's layers both use it, so a fade
//! and a gesture ease the same way.

use bevy::math::curve::{Curve, EaseFunction};

/// 0 up to `a`, 1 from `b` on, and Bevy's smoothstep (3t² − 2t³) in between.
pub fn smoothstep(x: f32, a: f32, b: f32) -> f32 {
    EaseFunction::SmoothStep.sample_clamped((x - a) / (b - a))
}
