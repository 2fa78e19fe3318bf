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
    mut head: Query<(&mut Transform, Option<&mut HeadAim>), With<ParticipantHead>>,
    mut placed_for: Local<Option<reunion_story::story::PlaceId>>,
) {
    if !on_stage.is_changed() {
        return;
    }
    let (Some(s), Some(place)) = (session, newly_entered(&on_stage, &mut placed_for)) else {
        return;
    };
    let start = &s.story().place(place).start;
    for (mut t, aim) in &mut head {
        let eye = start.posture.eye_height();
        t.translation = Vec3::new(start.at.0, start.at.1 + eye, start.at.2);
        let a = HeadAim {
            yaw: -start.facing.to_radians(),
            pitch: START_PITCH,
        };
        t.rotation = facing_rotation(start.facing) * Quat::from_rotation_x(a.pitch);
        if let Some(mut aim) = aim {
            *aim = a;
        }
    }
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
