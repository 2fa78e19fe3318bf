//! Actors turn to what the story says they look at (about the vertical only: the
//! avatar turns the head and eyes; this keeps the body facing the right way).

use bevy::prelude::*;
use reunion_story::director::Cue;
use reunion_story::story::{LookTarget, WorldCue};

use crate::components::{ActorBody, ThingName};
use crate::presence::ParticipantHead;
use crate::session::CueIssued;

/// What an actor is turned towards.
#[derive(Component, Debug, Clone)]
pub struct Facing(pub LookTarget);

/// How fast an actor turns to what she looks at, radians per second: unhurried.
pub const TURN_SPEED: f32 = 1.6;

/// Turns actors (about the vertical only) towards what the story says they look at.
pub(crate) fn turn_to_look_targets(
    mut commands: Commands,
    time: Res<Time>,
    mut cues: MessageReader<CueIssued>,
    mut actors: Query<(Entity, &ActorBody, &mut Transform, Option<&Facing>)>,
    things: Query<(&ThingName, &GlobalTransform), Without<ActorBody>>,
    head: Query<&GlobalTransform, With<ParticipantHead>>,
) {
    for CueIssued(cue) in cues.read() {
        let (Cue::LookAt(actor, target) | Cue::World(WorldCue::LookAt(actor, target))) = cue else {
            continue;
        };
        for (e, body, _, _) in &actors {
            if body.0 == *actor {
                commands.entity(e).insert(Facing(target.clone()));
            }
        }
    }
    let dt = time.delta_secs();
    for (_, _, mut t, facing) in &mut actors {
        let Some(Facing(target)) = facing else {
            continue;
        };
        let goal = match target {
            LookTarget::Participant => head.iter().next().map(GlobalTransform::translation),
            LookTarget::Thing(name) => things
                .iter()
                .find(|(n, _)| &n.0 == name)
                .map(|(_, g)| g.translation()),
        };
        let Some(goal) = goal else { continue };
        let to = goal - t.translation;
        if to.xz().length() < 0.05 {
            continue;
        }
        // Forward is -z: yaw so that -z points at the goal.
        let want = Quat::from_rotation_y(f32::atan2(-to.x, -to.z));
        let angle = t.rotation.angle_between(want);
        if angle > 1e-3 {
            let step = (TURN_SPEED * dt / angle).min(1.0);
            t.rotation = t.rotation.slerp(want, step);
        }
    }
}
