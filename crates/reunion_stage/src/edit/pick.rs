//! Edit mode's geometry, as plain functions: which box a ray from the eye hits
//! first, where a ray meets a level, what surface is under a point, and how a facing
//! turns. The systems in `mod.rs` only gather boxes and the cursor's ray for these.

use bevy::math::{Affine3A, Vec3};

/// A box in a thing's own space (`min`..`max`), placed in the world by `to_world`
/// (a thing's root: a turn and a move, no scale).
#[derive(Clone, Copy, Debug)]
pub struct PickBox {
    pub min: Vec3,
    pub max: Vec3,
    pub to_world: Affine3A,
}

/// How far along the ray (`origin` + t·`dir`, `dir` of unit length) it enters the
/// box `min`..`max`, or `None` when it misses (or the box is behind).
pub fn ray_box(origin: Vec3, dir: Vec3, min: Vec3, max: Vec3) -> Option<f32> {
    let mut near = 0.0f32;
    let mut far = f32::INFINITY;
    for axis in 0..3 {
        let (o, d, lo, hi) = (origin[axis], dir[axis], min[axis], max[axis]);
        if d.abs() < 1e-9 {
            if o < lo || o > hi {
                return None;
            }
            continue;
        }
        let (mut t0, mut t1) = ((lo - o) / d, (hi - o) / d);
        if t0 > t1 {
            std::mem::swap(&mut t0, &mut t1);
        }
        near = near.max(t0);
        far = far.min(t1);
        if near > far {
            return None;
        }
    }
    Some(near)
}

/// Like [`ray_box`] for a placed box: the distance along the world ray.
pub fn ray_pick_box(origin: Vec3, dir: Vec3, b: &PickBox) -> Option<f32> {
    let to_local = b.to_world.inverse();
    ray_box(
        to_local.transform_point3(origin),
        to_local.transform_vector3(dir),
        b.min,
        b.max,
    )
}

/// The first of `boxes` the ray hits (the nearest), with its key.
pub fn first_hit<K: Copy>(
    origin: Vec3,
    dir: Vec3,
    boxes: impl IntoIterator<Item = (K, PickBox)>,
) -> Option<K> {
    boxes
        .into_iter()
        .filter_map(|(k, b)| ray_pick_box(origin, dir, &b).map(|t| (t, k)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// How far a drag reaches, metres: a ray that meets the level farther off (nearly
/// along the horizon) stops here.
pub const DRAG_REACH: f32 = 40.0;

/// Where the ray meets the horizontal level at height `y`, if it does in front of the
/// eye (within [`DRAG_REACH`]).
pub fn on_level(origin: Vec3, dir: Vec3, y: f32) -> Option<Vec3> {
    if dir.y.abs() < 1e-6 {
        return None;
    }
    let t = (y - origin.y) / dir.y;
    (t > 0.0).then(|| origin + dir * t.min(DRAG_REACH))
}

/// The highest a surface may be for a thing to be set on it (a table, a bed, a
/// shelf; not a tree's crown nor a room's ceiling).
pub const SURFACE_MAX: f32 = 1.3;

/// What a thing dropped at `x`, `z` stands on: the highest top, up to
/// [`SURFACE_MAX`], of the world boxes (`min`, `max`) whose footprint holds the
/// point, or the floor (0).
pub fn surface_under(x: f32, z: f32, boxes: &[(Vec3, Vec3)]) -> f32 {
    boxes
        .iter()
        .filter(|(min, max)| {
            (min.x..=max.x).contains(&x) && (min.z..=max.z).contains(&z) && max.y <= SURFACE_MAX
        })
        .map(|(_, max)| max.y)
        .fold(0.0, f32::max)
}

/// How close to a surface a thing must stand to be taken as resting on it (and so
/// follow the surfaces it is dragged over); a thing farther up (a window on a wall)
/// keeps its height.
pub const RESTING: f32 = 0.03;

/// Whether a thing at height `y` over `x`, `z` rests on what is under it.
pub fn rests_on_surface(x: f32, y: f32, z: f32, boxes: &[(Vec3, Vec3)]) -> bool {
    (y - surface_under(x, z, boxes)).abs() <= RESTING
}

/// `facing` turned by `by` degrees, kept within -180..360 (as authors write them).
pub fn turned(facing: f32, by: f32) -> f32 {
    let mut f = facing + by;
    while f >= 360.0 {
        f -= 360.0;
    }
    while f < -180.0 {
        f += 360.0;
    }
    f
}
