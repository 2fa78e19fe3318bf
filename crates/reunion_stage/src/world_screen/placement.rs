//! Where the headset's subtitle panel stands: pure geometry of plain values, tested
//! without an App.
//!
//! [`subtitle_pose`] puts the panel between the participant's eyes and the speaker, a
//! little below the speaker's face, turned to the eyes and about 28° wide at any
//! distance; it tries nearer, aside and higher until the panel cuts into no obstacle
//! ([`Obstacle`]: a thing's box, a body), stays inside the [`Room`], and nothing
//! stands between it and the eyes (separating-axis tests on [`Convex`] solids).

use bevy::prelude::*;
use reunion_story::story::Environment;

use crate::components::Bounds;

/// The panel's texture, in pixels; the panel is `1 : PANEL_ASPECT` high.
pub const PANEL_PIXELS: (u32, u32) = reunion_story::subtitle_fit::PANEL_PIXELS;
/// Width over height of the panel.
pub const PANEL_ASPECT: f32 = PANEL_PIXELS.0 as f32 / PANEL_PIXELS.1 as f32;
/// The panel's width for each metre between it and the eyes: about 28° of the participant's view.
pub const PANEL_WIDTH_PER_METRE: f32 = 0.5;
/// The nearest and farthest the panel stands from the participant's eyes.
pub const PANEL_NEAREST: f32 = 0.5;
pub const PANEL_FARTHEST: f32 = 2.0;
/// How far in front of the speaker's chin the panel stands.
pub(crate) const BEFORE_SPEAKER: f32 = 0.45;
/// How far below the speaker's eyes the panel's centre aims (her face stays free).
pub(crate) const BELOW_EYES: f32 = 0.34;
/// Kept between the panel and anything solid.
pub const CLEARANCE: f32 = 0.03;
/// The veil's radius around the participant's head; the aftercare stands inside it.
pub const VEIL_RADIUS: f32 = 0.6;
/// Where the aftercare stands, in front of the participant's eyes, and how wide (about 45°: the
/// words are all there is to see).
pub(crate) const AFTERCARE_DISTANCE: f32 = 0.5;
pub(crate) const AFTERCARE_WIDTH_PER_METRE: f32 = 0.8;
/// How quickly the panel glides to where it should be (seconds to go most of the way).
pub(crate) const GLIDE_SECONDS: f32 = 0.5;
/// The fastest the panel glides, in metres per second: text that moves is hard to
/// read, and nothing in the view should move suddenly.
pub const GLIDE_MAX_SPEED: f32 = 1.0;
/// A speaker farther than this from the gaze (degrees, sideways) is out of view.
pub(crate) const IN_VIEW_DEGREES: f32 = 55.0;

/// A box the panel keeps out of, in world space.
pub type Obstacle = Bounds;

/// What the panel must stay inside: a room's walls and ceiling, or just above the
/// ground.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Room {
    pub min: Vec3,
    pub max: Vec3,
}

impl Room {
    /// Open ground: only the floor counts.
    pub const OPEN: Room = Room {
        min: Vec3::new(f32::NEG_INFINITY, 0.0, f32::NEG_INFINITY),
        max: Vec3::INFINITY,
    };

    /// The inside of a place's surroundings.
    pub fn of(env: &Environment) -> Room {
        match env {
            Environment::Room { size, .. } => {
                let (min, max) = crate::scenery::room_inside(*size);
                Room { min, max }
            }
            // A modelled place that encloses the participant (a living room, not
            // a beach): the panel stays within its box.
            Environment::Model {
                bounds: Some(b), ..
            } if encloses(b.size()) => Room {
                min: b.min,
                max: b.max,
            },
            _ => Room::OPEN,
        }
    }

    fn contains(&self, p: Vec3, margin: f32) -> bool {
        p.cmpge(self.min + margin).all() && p.cmple(self.max - margin).all()
    }
}

/// Whether a modelled place of this size is a room (walls and a ceiling within
/// reach of the panel's placement) rather than open land.
fn encloses(size: Vec3) -> bool {
    size.y <= MAX_ROOM_HEIGHT && size.x <= MAX_ROOM_SPAN && size.z <= MAX_ROOM_SPAN
}

/// A modelled place higher than this is open land (a beach under its sky dome).
const MAX_ROOM_HEIGHT: f32 = 6.0;
/// A modelled place wider or deeper than this is open land.
const MAX_ROOM_SPAN: f32 = 30.0;

/// Where the panel stands: its centre, its turn (its front, +Z, towards the eyes) and
/// its width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelPose {
    pub center: Vec3,
    pub rotation: Quat,
    pub width: f32,
    /// Whether it is clear of everything; `false` only when no place near the wanted
    /// one was (it then stands as close as allowed).
    pub clear: bool,
}

impl PanelPose {
    /// Standing at `center`, facing `eyes`, as wide as its distance asks.
    pub fn facing(eyes: Vec3, center: Vec3) -> PanelPose {
        let d = eyes.distance(center).max(1e-3);
        let rotation = Transform::from_translation(center)
            .looking_to(center - eyes, Vec3::Y)
            .rotation;
        PanelPose {
            center,
            rotation,
            width: d * PANEL_WIDTH_PER_METRE,
            clear: true,
        }
    }

    pub fn height(&self) -> f32 {
        self.width / PANEL_ASPECT
    }

    /// Its corners, in order around it.
    pub fn corners(&self) -> [Vec3; 4] {
        let (hw, hh) = (self.width / 2.0, self.height() / 2.0);
        let right = self.rotation * Vec3::X * hw;
        let up = self.rotation * Vec3::Y * hh;
        let c = self.center;
        [
            c - right - up,
            c + right - up,
            c + right + up,
            c - right + up,
        ]
    }

    /// Clear of every obstacle by [`CLEARANCE`], inside the room, and seen from the
    /// eyes with nothing in the way: neither the panel nor the pyramid from the eyes
    /// to it meets any obstacle's box (exact tests of convex shapes, so a candle's
    /// thin box cannot slip between samples).
    pub fn is_clear(&self, eyes: Vec3, obstacles: &[Obstacle], room: &Room) -> bool {
        let corners = self.corners();
        if corners.iter().any(|p| !room.contains(*p, CLEARANCE)) {
            return false;
        }
        let right = self.rotation * Vec3::X;
        let up = self.rotation * Vec3::Y;
        let normal = self.rotation * Vec3::Z;
        let panel = Convex {
            points: corners.to_vec(),
            normals: vec![normal, right, up],
            edges: vec![right, up],
        };
        let mut sight = Convex {
            points: vec![eyes],
            normals: vec![normal],
            edges: vec![right, up],
        };
        for i in 0..4 {
            let (p, q) = (corners[i], corners[(i + 1) % 4]);
            sight.points.push(p);
            sight.normals.push((p - eyes).cross(q - eyes));
            sight.edges.push(p - eyes);
        }
        !obstacles.iter().any(|o| {
            panel.meets(&Convex::of_box(o, CLEARANCE)) || sight.meets(&Convex::of_box(o, 0.0))
        })
    }
}

/// A convex shape for the separating-axis test: its points, its faces' normals and
/// its edges' directions.
struct Convex {
    points: Vec<Vec3>,
    normals: Vec<Vec3>,
    edges: Vec<Vec3>,
}

impl Convex {
    fn of_box(o: &Obstacle, margin: f32) -> Convex {
        let (min, max) = (o.min - margin, o.max + margin);
        Convex {
            points: (0..8)
                .map(|i| {
                    Vec3::new(
                        if i & 1 == 0 { min.x } else { max.x },
                        if i & 2 == 0 { min.y } else { max.y },
                        if i & 4 == 0 { min.z } else { max.z },
                    )
                })
                .collect(),
            normals: vec![Vec3::X, Vec3::Y, Vec3::Z],
            edges: vec![Vec3::X, Vec3::Y, Vec3::Z],
        }
    }

    fn span(&self, axis: Vec3) -> (f32, f32) {
        self.points
            .iter()
            .map(|p| p.dot(axis))
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), d| {
                (lo.min(d), hi.max(d))
            })
    }

    /// Whether the two overlap: no face normal and no cross of two edges separates
    /// them.
    fn meets(&self, other: &Convex) -> bool {
        let crosses = self
            .edges
            .iter()
            .flat_map(|a| other.edges.iter().map(move |b| a.cross(*b)));
        let axes = self
            .normals
            .iter()
            .chain(&other.normals)
            .copied()
            .chain(crosses);
        for axis in axes {
            if axis.length_squared() < 1e-12 {
                continue;
            }
            let (a0, a1) = self.span(axis);
            let (b0, b1) = other.span(axis);
            if a1 < b0 || b1 < a0 {
                return false;
            }
        }
        true
    }
}

/// Where the subtitle panel should stand for eyes at `eyes` looking along `forward`,
/// with the speaker's eyes at `speaker` (or nobody on stage).
///
/// It aims just below the speaker's face, a little in front of her; then tries nearer,
/// to either side, and higher, until it finds a place that [`PanelPose::is_clear`].
/// The most the panel's lower edge may lie below the gaze, degrees: well inside a
/// headset's view (Monado's simulated headset, like most, shows about 45° below the
/// gaze), so a second line is never cut off at the bottom edge.
pub const LOWEST_BELOW_GAZE_DEGREES: f32 = 30.0;

/// `dir` raised, keeping its heading, so that a panel centred along it keeps its lower
/// edge within [`LOWEST_BELOW_GAZE_DEGREES`] of the gaze (a short speaker close by
/// would otherwise pull it out of the bottom of the view).
fn within_view(dir: Vec3, forward: Vec3) -> Vec3 {
    let pitch = |v: Vec3| v.normalize_or(Vec3::NEG_Z).y.clamp(-1.0, 1.0).asin();
    // Half the panel's height as an angle at any distance.
    let half_height = (PANEL_WIDTH_PER_METRE / PANEL_ASPECT / 2.0).atan();
    let lowest = pitch(forward) - LOWEST_BELOW_GAZE_DEGREES.to_radians() + half_height;
    if pitch(dir) >= lowest {
        return dir;
    }
    let heading = Vec3::new(dir.x, 0.0, dir.z).normalize_or(Vec3::NEG_Z);
    heading * lowest.cos() + Vec3::Y * lowest.sin()
}

pub fn subtitle_pose(
    eyes: Vec3,
    forward: Vec3,
    speaker: Option<Vec3>,
    obstacles: &[Obstacle],
    room: &Room,
) -> PanelPose {
    let flat = |v: Vec3| Vec3::new(v.x, 0.0, v.z).try_normalize();
    let ahead = flat(forward).unwrap_or(Vec3::NEG_Z);
    let in_view = speaker.filter(|s| {
        flat(*s - eyes).is_some_and(|to| to.angle_between(ahead).to_degrees() <= IN_VIEW_DEGREES)
    });
    let (dir, wanted) = match in_view {
        Some(s) => {
            let aim = s - Vec3::Y * BELOW_EYES;
            let dist = eyes.distance(aim);
            let dir = (aim - eyes).try_normalize().unwrap_or(ahead);
            (dir, (dist - BEFORE_SPEAKER).clamp(0.75, PANEL_FARTHEST))
        }
        // Low in front of the participant's gaze, as a book would be held.
        None => (
            (ahead * 12f32.to_radians().cos() - Vec3::Y * 12f32.to_radians().sin()).normalize(),
            1.2,
        ),
    };
    let dir = within_view(dir, forward);
    let right = ahead.cross(Vec3::Y).normalize();
    for lift in [0.0, 0.12, 0.24, 0.4] {
        for side in [0.0, 0.3, -0.3, 0.6, -0.6, 0.9, -0.9] {
            let mut d = wanted;
            loop {
                let center = eyes + dir * d + right * side * d + Vec3::Y * lift * d;
                let pose = PanelPose::facing(eyes, center);
                if pose.is_clear(eyes, obstacles, room) {
                    return pose;
                }
                if d <= PANEL_NEAREST {
                    break;
                }
                d = (d - 0.1).max(PANEL_NEAREST);
            }
        }
    }
    // Nowhere is clear: as near as allowed on the way to the speaker.
    let mut pose = PanelPose::facing(eyes, eyes + dir * PANEL_NEAREST);
    pose.clear = false;
    pose
}
