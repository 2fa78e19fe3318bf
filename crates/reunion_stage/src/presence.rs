//! Where the participant is and what she looks at, as story events.
//!
//! Any input (the flat camera, a headset, a test) moves an entity marked
//! [`ParticipantHead`]; these detectors turn its pose into `GazeOn` and `Distance`
//! events for the director. They never know which input is live.

use bevy::prelude::*;
use reunion_story::director::StoryEvent;
use reunion_story::story::ActorId;

use crate::StageSystems;
use crate::place::{ActorBody, HeadHeight};
use crate::session::ReportStoryEvent;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Presence>()
        .init_resource::<HandHeights>()
        .init_resource::<ExitDetector>()
        .add_systems(
            Update,
            (detect_gaze_and_distance, detect_exit_gesture).in_set(StageSystems::Detect),
        );
}

/// The participant's head. Its forward (-z) is where she looks.
#[derive(Component, Default)]
pub struct ParticipantHead;

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
