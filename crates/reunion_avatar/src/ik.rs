//! Two-bone inverse kinematics for arms and legs.
//!
//! Pure math: given where a limb starts, where its end should go and which way the
//! middle joint should bend, find the middle joint. A limb never straightens fully
//! (that pops and looks like a locked elbow) and never folds shut; a target out of
//! reach gets the limb pointing at it, as far as it goes.

use bevy::math::Vec3;

/// The most a limb may extend, as a share of its full length.
pub const MAX_EXTENSION: f32 = 0.985;
/// The least, as a share of its full length: the joint never folds tighter.
pub const MIN_EXTENSION: f32 = 0.25;

/// A solved limb: the middle joint (elbow or knee) and where the end (wrist or
/// ankle) lands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limb {
    pub root: Vec3,
    pub mid: Vec3,
    pub end: Vec3,
    /// The end reached the target (within reach limits).
    pub reached: bool,
}

/// Solves a two-bone chain from `root` towards `target` with bone lengths `a` (upper)
/// and `b` (lower); the middle joint bends towards `pole`.
pub fn two_bone(root: Vec3, target: Vec3, a: f32, b: f32, pole: Vec3) -> Limb {
    let to = target - root;
    let raw = to.length();
    let dir = if raw > 1e-6 { to / raw } else { Vec3::NEG_Y };
    let full = a + b;
    let lo = ((a - b).abs() + 1e-4).max(full * MIN_EXTENSION);
    let d = raw.clamp(lo, full * MAX_EXTENSION);
    // The law of cosines gives the angle between the upper bone and the line to the end.
    let cos = ((a * a + d * d - b * b) / (2.0 * a * d)).clamp(-1.0, 1.0);
    let sin = (1.0 - cos * cos).max(0.0).sqrt();
    let mut bend = pole - dir * pole.dot(dir);
    if bend.length_squared() < 1e-10 {
        bend = dir.any_orthonormal_vector();
    }
    let bend = bend.normalize();
    let mid = root + (dir * cos + bend * sin) * a;
    let end = root + dir * d;
    Limb {
        root,
        mid,
        end,
        reached: (raw - d).abs() < 1e-3,
    }
}

impl Limb {
    /// The inner angle at the middle joint, in radians (π is straight).
    pub fn inner_angle(&self) -> f32 {
        (self.root - self.mid).angle_between(self.end - self.mid)
    }
}
