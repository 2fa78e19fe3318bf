//! Where `reunion capture` puts its camera for a beat, so the picture is about what
//! the beat is about: the cake and its candles with her face behind them during the
//! song, her face and the held hands during a walk by the hand, her offered hand.
//! Pure geometry, tested without an App; `capture.rs` gathers the points and moves a
//! camera of its own (the participant's head, which the detectors and the hands
//! follow, never moves for a picture).

use bevy::math::{Vec3, Vec3Swizzles};
use bevy::transform::components::Transform;

/// The share of the view's height the subject may fill.
const FILL: f32 = 0.62;
/// The subject's middle sits this share of the view's height above the centre, so
/// the subtitles at the bottom leave it clear.
const ABOVE_CENTRE: f32 = 0.10;
/// Nearer than this a camera would be inside the subject, metres.
const NEAREST: f32 = 0.6;

/// The middle of `points` and the radius of the sphere around it that holds them all.
fn bounds(points: &[Vec3]) -> Option<(Vec3, f32)> {
    let first = *points.first()?;
    let (lo, hi) = points
        .iter()
        .fold((first, first), |(lo, hi), p| (lo.min(*p), hi.max(*p)));
    let centre = (lo + hi) / 2.0;
    let radius = points
        .iter()
        .map(|p| p.distance(centre))
        .fold(0.0, f32::max);
    Some((centre, radius.max(0.05)))
}

/// How far from the subject's middle a camera with vertical field of view `fov_y`
/// (radians) and `aspect` (width / height) must stand for a sphere of `radius` to
/// fill [`FILL`] of the view's smaller side.
fn distance_to_fit(radius: f32, fov_y: f32, aspect: f32) -> f32 {
    let half_y = fov_y / 2.0;
    let half_x = (half_y.tan() * aspect).atan();
    let half = half_y.min(half_x) * FILL;
    (radius / half.sin()).max(NEAREST)
}

/// A camera at `from` turned to `centre`, aimed a little low so the subject sits above
/// the subtitle band.
fn aim(from: Vec3, centre: Vec3, fov_y: f32) -> Transform {
    let d = from.distance(centre);
    let drop = (fov_y / 2.0).tan() * 2.0 * ABOVE_CENTRE * d;
    let target = centre - Vec3::Y * drop;
    Transform::from_translation(from).looking_at(target, Vec3::Y)
}

/// The participant's own point of view on `points`, from `eye`: turned to them, and
/// stepped back along the line of sight if they do not fit.
pub fn from_the_eye(eye: Vec3, points: &[Vec3], fov_y: f32, aspect: f32) -> Option<Transform> {
    let (centre, radius) = bounds(points)?;
    let need = distance_to_fit(radius, fov_y, aspect);
    let along = (eye - centre).normalize_or(Vec3::Z);
    let from = if eye.distance(centre) < need {
        centre + along * need
    } else {
        eye
    };
    Some(aim(from, centre, fov_y))
}

/// A view of `points` from the side `front` points to (a direction on the floor), at
/// the height of their middle and a little above, near enough to fill the view: the
/// face of someone walking that way, and the hands between them.
pub fn from_in_front(points: &[Vec3], front: Vec3, fov_y: f32, aspect: f32) -> Option<Transform> {
    let (centre, radius) = bounds(points)?;
    let front = front.xz().normalize_or(bevy::math::Vec2::NEG_Y);
    let front = Vec3::new(front.x, 0.0, front.y);
    let need = distance_to_fit(radius, fov_y, aspect);
    let from = centre + front * need + Vec3::Y * (0.15 * need);
    Some(aim(from, centre, fov_y))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOV: f32 = std::f32::consts::FRAC_PI_3;
    const ASPECT: f32 = 16.0 / 9.0;

    /// Where `p` lands in the view of a camera at `t`: x and y from -1 to 1 (up is +y),
    /// and whether it is in front.
    fn on_screen(t: &Transform, p: Vec3) -> (f32, f32, bool) {
        let local = t.compute_affine().inverse().transform_point3(p);
        let depth = -local.z;
        let half_y = (FOV / 2.0).tan();
        let half_x = half_y * ASPECT;
        (
            local.x / depth / half_x,
            local.y / depth / half_y,
            depth > 0.0,
        )
    }

    #[test]
    fn a_cake_below_the_eye_is_brought_into_the_middle_above_the_subtitles() {
        let eye = Vec3::new(0.0, 1.6, 0.0);
        // The cake on a low table a metre ahead, seven flames around its top, her head
        // behind it.
        let mut points: Vec<Vec3> = (0..7)
            .map(|i| {
                let a = i as f32 / 7.0 * std::f32::consts::TAU;
                Vec3::new(0.1 * a.cos(), 0.62, -1.0 + 0.1 * a.sin())
            })
            .collect();
        points.push(Vec3::new(0.0, 1.1, -1.5));
        let t = from_the_eye(eye, &points, FOV, ASPECT).expect("framed");
        for p in &points {
            let (x, y, ahead) = on_screen(&t, *p);
            assert!(ahead && x.abs() < 0.9, "{p} at {x},{y}");
            // Clear of the subtitle band (the lowest fifth of the view).
            assert!(y > -0.6 && y < 0.9, "{p} at {x},{y}");
        }
        // From where the participant stands.
        assert!(t.translation.distance(eye) < 1e-4);
    }

    #[test]
    fn a_subject_too_near_to_fit_is_seen_from_further_back() {
        let eye = Vec3::new(0.0, 1.6, 0.0);
        let points = [Vec3::new(-0.6, 1.0, -0.3), Vec3::new(0.6, 1.4, -0.3)];
        let t = from_the_eye(eye, &points, FOV, ASPECT).expect("framed");
        assert!(t.translation.z > 0.1, "stepped back: {}", t.translation);
        for p in points {
            let (x, y, ahead) = on_screen(&t, p);
            assert!(ahead && x.abs() < 1.0 && y.abs() < 1.0, "{p} at {x},{y}");
        }
    }

    #[test]
    fn a_walk_by_the_hand_is_seen_from_in_front_at_face_height_not_from_above() {
        // She walks towards -z beside the participant; her head at 1.15 m, the held
        // hands between them at 0.7 m.
        let points = [
            Vec3::new(0.4, 1.15, -0.8),
            Vec3::new(0.2, 0.7, -0.6),
            Vec3::new(0.25, 0.72, -0.55),
        ];
        let t = from_in_front(&points, Vec3::NEG_Z, FOV, ASPECT).expect("framed");
        assert!(
            t.translation.z < -1.5,
            "in front of them: {}",
            t.translation
        );
        assert!(
            t.translation.y < 1.5,
            "not looking down on her head: {}",
            t.translation
        );
        for p in points {
            let (x, y, ahead) = on_screen(&t, p);
            assert!(
                ahead && x.abs() < 0.9 && y > -0.6 && y < 0.9,
                "{p} at {x},{y}"
            );
        }
    }

    #[test]
    fn nothing_to_frame_is_no_shot() {
        assert!(from_the_eye(Vec3::ZERO, &[], FOV, ASPECT).is_none());
    }
}
