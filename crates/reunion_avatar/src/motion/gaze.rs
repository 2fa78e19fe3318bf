//! Gaze: a look direction split between the head and the eyes, each within its
//! limits.

use bevy::math::{Vec2, Vec3};

/// Head limits, radians: yaw either way, pitch down and up.
pub const HEAD_YAW: f32 = 1.15;
pub const HEAD_PITCH_DOWN: f32 = 0.6;
pub const HEAD_PITCH_UP: f32 = 0.45;
/// Eye limits within the head, radians.
pub const EYE_YAW: f32 = 0.42;
pub const EYE_PITCH: f32 = 0.28;

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
