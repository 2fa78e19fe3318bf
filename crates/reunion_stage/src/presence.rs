//! Where the participant is and what the participant looks at, as story events.
//!
//! Any input (the flat camera, a headset, the autopilot's puppeteer, a test) moves
//! the one entity marked [`ParticipantHead`]; these detectors turn its pose into
//! `GazeOn` and `Distance` events for the director. They never know which input is
//! live.
//!
//! The head exists headless too: it is spawned at start-up and stands at each
//! place's start mark, eyes at the mark's posture height. An emulated head (flat
//! mode, the puppeteer) is turned through its [`HeadAim`]; a headset writes the
//! transform itself and has none.

use bevy::prelude::*;
use reunion_story::director::StoryEvent;
use reunion_story::story::ActorId;

use crate::StageSystems;
use crate::components::{ActorBody, HeadHeight, OnStage, facing_rotation};
use crate::session::{ReportStoryEvent, StorySession};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Presence>()
        .init_resource::<HandHeights>()
        .init_resource::<ExitDetector>()
        .add_systems(Startup, spawn_head)
        .add_systems(Update, place_head_at_start.in_set(StageSystems::Load))
        .add_systems(
            Update,
            aim_head
                .after(StageSystems::Input)
                .before(StageSystems::Detect),
        )
        .add_systems(
            Update,
            (
                detect_gaze_and_distance,
                detect_exit_gesture.in_set(crate::ExitGestureSystems),
            )
                .in_set(StageSystems::Detect),
        );
}

/// The participant's head. Its forward (-z) is where the participant looks.
#[derive(Component, Default)]
pub struct ParticipantHead;

/// How an emulated head is turned: yaw about the vertical (0 looks down -z) and
/// pitch (up +), radians. Inputs change these; the rotation follows each frame.
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct HeadAim {
    pub yaw: f32,
    pub pitch: f32,
}

impl HeadAim {
    /// The aim that looks from `eye` at `target`.
    pub fn towards(eye: Vec3, target: Vec3) -> Self {
        let d = target - eye;
        let flat = Vec2::new(d.x, d.z).length();
        Self {
            yaw: f32::atan2(-d.x, -d.z),
            pitch: f32::atan2(d.y, flat).clamp(-MAX_PITCH, MAX_PITCH),
        }
    }

    pub fn rotation(self) -> Quat {
        Quat::from_rotation_y(self.yaw) * Quat::from_rotation_x(self.pitch)
    }
}

/// How far an emulated head looks up or down.
pub const MAX_PITCH: f32 = 1.2;
/// How far an emulated head looks down at the start of a place: towards a child.
pub const START_PITCH: f32 = -0.22;

fn spawn_head(mut commands: Commands) {
    commands.spawn((
        Name::new("participant head"),
        ParticipantHead,
        HeadAim::default(),
        Transform::from_xyz(
            0.0,
            reunion_story::format::Posture::Standing.eye_height(),
            0.0,
        ),
        Visibility::default(),
    ));
}

/// When a new place is on stage, the head stands at its start mark, at the height of
/// its posture, looking the way the mark faces.
fn place_head_at_start(
    on_stage: Res<OnStage>,
    session: Option<Res<StorySession>>,
    slot: Option<Res<StandingSlot>>,
    mut head: Query<(&mut Transform, Option<&mut HeadAim>), With<ParticipantHead>>,
    mut placed_for: Local<Option<reunion_story::story::PlaceId>>,
    mut placed_in_slot: Local<u8>,
) {
    let slot = slot.map_or(0, |s| s.0);
    // A participant told their slot after the place began (a hosted story's welcome
    // may come after the first place) goes to it.
    let new_slot = slot != *placed_in_slot;
    if !on_stage.is_changed() && !new_slot {
        return;
    }
    let entered = newly_entered(&on_stage, &mut placed_for);
    let place = if new_slot { on_stage.place } else { entered };
    let (Some(s), Some(place)) = (session, place) else {
        return;
    };
    *placed_in_slot = slot;
    let (at, facing, eye) = stand_in_place(s.story().place(place), slot);
    for (mut t, aim) in &mut head {
        t.translation = at + Vec3::Y * eye;
        let a = HeadAim {
            yaw: -facing.to_radians(),
            pitch: START_PITCH,
        };
        t.rotation = facing_rotation(facing) * Quat::from_rotation_x(a.pitch);
        if let Some(mut aim) = aim {
            *aim = a;
        }
    }
}

/// Which of several participants this machine's is (a hosted story, docs/network.md):
/// they gather around the place, each in a slot of their own. Absent, or 0, the
/// participant stands on the start mark.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StandingSlot(pub u8);

/// How far ahead of the start mark the people of a hosted story gather around when
/// the place has nobody of the cast in it, metres.
pub const GATHER_AHEAD: f32 = 1.5;

/// The turn around the gathering point of each slot, degrees: the first on the mark,
/// the next two across from it on either side (so each sees the others near her),
/// then between.
const SLOT_TURNS: [f32; 9] = [0.0, 135.0, -135.0, 90.0, -90.0, 160.0, -160.0, 45.0, -45.0];

/// Where the participant in `slot` stands, and which way they face (degrees, as a
/// start mark's `facing`), in a place whose start mark is at `mark` facing `facing`:
/// on the circle through the mark around `centre` (where she stands; without one,
/// [`GATHER_AHEAD`] ahead of the mark), facing it. Slot 0 is the mark itself, as the
/// author set it.
pub fn slot_stand(mark: Vec3, facing: f32, centre: Option<Vec3>, slot: u8) -> (Vec3, f32) {
    let turn = SLOT_TURNS[usize::from(slot) % SLOT_TURNS.len()];
    if turn == 0.0 {
        return (mark, facing);
    }
    let ahead = facing_rotation(facing) * Vec3::NEG_Z;
    let centre = centre
        .map(|c| Vec3::new(c.x, mark.y, c.z))
        .filter(|c| c.distance(mark) > 0.3)
        .unwrap_or(mark + ahead * GATHER_AHEAD);
    let at = centre + Quat::from_rotation_y(-turn.to_radians()) * (mark - centre);
    let to = centre - at;
    // Facing 0 looks down -z; facing grows clockwise seen from above.
    let towards = (-to.x).atan2(-to.z).to_degrees();
    (at, -towards)
}

/// Where the participant in `slot` stands in `place` (on the floor), which way they
/// face (degrees, as a start mark's `facing`) and the height of their eyes by the
/// mark's posture: the start mark for slot 0, else around her (see [`slot_stand`]).
pub fn stand_in_place(place: &reunion_story::story::Place, slot: u8) -> (Vec3, f32, f32) {
    let start = &place.start;
    let mark = Vec3::new(start.at.0, start.at.1, start.at.2);
    let centre = nearest_cast(place, mark);
    let (at, facing) = slot_stand(mark, start.facing, centre, slot);
    (at, facing, start.posture.eye_height())
}

/// Where the cast member nearest the start mark stands in `place` (shown from the
/// start), if anyone of the cast is there.
fn nearest_cast(place: &reunion_story::story::Place, mark: Vec3) -> Option<Vec3> {
    place
        .things
        .iter()
        .filter(|t| !t.hidden && matches!(t.kind, reunion_story::story::ThingKind::Actor(_)))
        .map(|t| Vec3::new(t.at.0, t.at.1, t.at.2))
        .min_by(|a, b| a.distance(mark).total_cmp(&b.distance(mark)))
}

/// The place the participant has just entered, once per place; `seen` is the caller's
/// memory of the last one. A reload or the end of a dissolve changes what is on stage,
/// not where she is, so neither counts.
pub fn newly_entered(
    on_stage: &OnStage,
    seen: &mut Option<reunion_story::story::PlaceId>,
) -> Option<reunion_story::story::PlaceId> {
    let place = on_stage.place?;
    if *seen == Some(place) {
        return None;
    }
    *seen = Some(place);
    Some(place)
}

fn aim_head(mut head: Query<(&mut Transform, &HeadAim), With<ParticipantHead>>) {
    for (mut t, aim) in &mut head {
        let r = aim.rotation();
        if t.rotation != r {
            t.rotation = r;
        }
    }
}

/// Looking within this angle of someone's face counts as looking at them.
pub const GAZE_CONE_DEGREES: f32 = 14.0;
/// Distances are reported when they change by more than this.
pub const DISTANCE_STEP: f32 = 0.05;

/// What the detectors last reported.
#[derive(Resource, Default, Debug)]
pub struct Presence {
    pub gaze: Option<ActorId>,
    pub distances: Vec<(ActorId, f32)>,
}

/// The actor whose face is nearest the centre of the view, within the gaze cone.
pub fn gaze_target(
    head: &GlobalTransform,
    actors: impl IntoIterator<Item = (ActorId, Vec3)>,
) -> Option<ActorId> {
    let eye = head.translation();
    let forward = head.forward().as_vec3();
    let limit = GAZE_CONE_DEGREES.to_radians();
    actors
        .into_iter()
        .filter_map(|(a, face)| {
            let to = face - eye;
            let d = to.length();
            if !(0.05..=12.0).contains(&d) {
                return None;
            }
            let angle = forward.angle_between(to / d);
            (angle <= limit).then_some((a, angle))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(a, _)| a)
}

fn detect_gaze_and_distance(
    heads: Query<&GlobalTransform, With<ParticipantHead>>,
    actors: Query<(&ActorBody, &GlobalTransform, &HeadHeight)>,
    mut presence: ResMut<Presence>,
    mut report: MessageWriter<ReportStoryEvent>,
) {
    let Some(head) = heads.iter().next() else {
        return;
    };
    let faces: Vec<(ActorId, Vec3)> = actors
        .iter()
        .map(|(a, t, h)| (a.0, t.translation() + Vec3::Y * h.0))
        .collect();
    let gaze = gaze_target(head, faces.iter().copied());
    if gaze != presence.gaze {
        presence.gaze = gaze;
        report.write(ReportStoryEvent(StoryEvent::GazeOn(gaze)));
    }
    for (a, face) in faces {
        let d = face.distance(head.translation());
        match presence.distances.iter_mut().find(|(x, _)| *x == a) {
            Some((_, last)) if (*last - d).abs() <= DISTANCE_STEP => {}
            Some((_, last)) => {
                *last = d;
                report.write(ReportStoryEvent(StoryEvent::Distance(a, d)));
            }
            None => {
                presence.distances.push((a, d));
                report.write(ReportStoryEvent(StoryEvent::Distance(a, d)));
            }
        }
    }
}

/// Where the participant's hands are, as heights, written each frame by whichever
/// input is live (the flat emulation, a headset). The exit detector reads it.
#[derive(Resource, Default, Debug, Clone, Copy)]
pub struct HandHeights {
    pub left: Option<f32>,
    pub right: Option<f32>,
}

/// The exit gesture detector, fed from [`HandHeights`] and the head.
#[derive(Resource, Default)]
pub struct ExitDetector(pub reunion_story::safety::ExitGesture);

/// Both hands above the head for two seconds: the participant leaves for the calm
/// place. Never while holding her hand.
pub fn detect_exit_gesture(
    time: Res<Time>,
    hands: Res<HandHeights>,
    heads: Query<&GlobalTransform, With<ParticipantHead>>,
    session: Option<Res<crate::session::StorySession>>,
    mut detector: ResMut<ExitDetector>,
    mut report: MessageWriter<ReportStoryEvent>,
) {
    let Some(s) = session else { return };
    if !s.story().safety.exit_gesture {
        return;
    }
    let head_y = heads.iter().next().map_or(1.6, |h| h.translation().y);
    let pose = reunion_story::safety::HandsPose {
        head_y,
        left_y: hands.left,
        right_y: hands.right,
        busy: s.session.stand_in.holding().is_some(),
    };
    if detector.0.update(time.delta_secs(), pose) {
        report.write(ReportStoryEvent(StoryEvent::ParticipantExit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forward(facing: f32) -> Vec3 {
        facing_rotation(facing) * Vec3::NEG_Z
    }

    #[test]
    fn slot_zero_is_the_mark_and_every_slot_faces_the_gathering_point() {
        let mark = Vec3::new(2.0, 0.0, 1.0);
        let facing = 30.0;
        for centre in [None, Some(Vec3::new(0.5, 0.3, -2.0))] {
            assert_eq!(slot_stand(mark, facing, centre, 0), (mark, facing));
            let middle = centre
                .map(|c| Vec3::new(c.x, 0.0, c.z))
                .unwrap_or(mark + forward(facing) * GATHER_AHEAD);
            let radius = middle.distance(mark);
            let mut seen = vec![mark];
            for slot in 1..9u8 {
                let (at, f) = slot_stand(mark, facing, centre, slot);
                assert!((at.distance(middle) - radius).abs() < 1e-4, "on the circle");
                assert!((at.y - mark.y).abs() < 1e-5, "on the mark's floor");
                let to_middle = (middle - at).normalize();
                assert!(
                    forward(f).dot(to_middle) > 0.999,
                    "slot {slot} faces the middle: {f}"
                );
                assert!(
                    seen.iter().all(|p: &Vec3| p.distance(at) > 0.3),
                    "slot {slot} is a place of its own"
                );
                seen.push(at);
            }
        }
    }

    #[test]
    fn the_second_participant_is_in_view_of_the_first_and_the_first_of_the_second() {
        // A flat camera sees about 37 degrees either side of where it faces.
        for centre in [None, Some(Vec3::new(0.4, 0.0, -3.0))] {
            let (a, fa) = slot_stand(Vec3::ZERO, 0.0, centre, 0);
            let (b, fb) = slot_stand(Vec3::ZERO, 0.0, centre, 1);
            let off = |from: Vec3, facing: f32, to: Vec3| {
                forward(facing)
                    .angle_between((to - from).normalize())
                    .to_degrees()
            };
            assert!(off(a, fa, b) < 33.0, "{}", off(a, fa, b));
            assert!(off(b, fb, a) < 33.0, "{}", off(b, fb, a));
        }
    }
}
