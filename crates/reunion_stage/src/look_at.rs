//! Actors turn to what the story says they look at (about the vertical only: the
//! avatar turns the head and eyes; this keeps the body facing the right way).
//!
//! With several participants (a hosted story), "the participant" is whoever spoke
//! last, for a while after they spoke, and otherwise whoever stands nearest
//! ([`whom_to_face`]); a look at a participant by name finds their head among
//! [`OtherHeads`].

use bevy::prelude::*;
use reunion_story::director::Cue;
use reunion_story::story::{LookTarget, WorldCue};

use crate::components::{ActorBody, ThingName};
use crate::presence::ParticipantHead;
use crate::session::{CueIssued, StorySession};

/// The other participants' heads, by name, where their machines last said, and this
/// machine's participant's name: filled in a hosted story of several (empty
/// otherwise, when "the participant" is this machine's head).
#[derive(Resource, Default, Debug, Clone)]
pub struct OtherHeads {
    pub own_name: Option<String>,
    pub heads: Vec<(String, Vec3)>,
}

/// For how long after someone spoke she keeps looking at them, story seconds.
pub const SPEAKER_HOLDS_HER_LOOK: f64 = 8.0;

/// Where she looks when she looks at "the participant", standing at `from`: at
/// whoever spoke within [`SPEAKER_HOLDS_HER_LOOK`] of `now` (`speaker`: their name
/// and when), if their head is among `heads`; otherwise at the nearest head.
pub fn whom_to_face(
    from: Vec3,
    heads: &[(Option<&str>, Vec3)],
    speaker: Option<(&str, f64)>,
    now: f64,
) -> Option<Vec3> {
    let spoke = speaker
        .filter(|(_, at)| now - at <= SPEAKER_HOLDS_HER_LOOK)
        .and_then(|(who, _)| heads.iter().find(|(n, _)| *n == Some(who)));
    spoke
        .or_else(|| {
            heads.iter().min_by(|a, b| {
                a.1.distance_squared(from)
                    .total_cmp(&b.1.distance_squared(from))
            })
        })
        .map(|(_, at)| *at)
}

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
    (others, session): (Option<Res<OtherHeads>>, Option<Res<StorySession>>),
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
    let own = head.iter().next().map(GlobalTransform::translation);
    let own_name = others.as_deref().and_then(|o| o.own_name.as_deref());
    let mut heads: Vec<(Option<&str>, Vec3)> = own.map(|h| (own_name, h)).into_iter().collect();
    if let Some(o) = others.as_deref() {
        heads.extend(o.heads.iter().map(|(n, h)| (Some(n.as_str()), *h)));
    }
    let (speaker, now) = session.as_deref().map_or((None, 0.0), |s| {
        (
            s.session.director.last_speaker(),
            s.session.director.story_time(),
        )
    });
    for (_, _, mut t, facing) in &mut actors {
        let Some(Facing(target)) = facing else {
            continue;
        };
        let goal = match target {
            LookTarget::Participant => whom_to_face(t.translation, &heads, speaker, now),
            LookTarget::Someone(name) => heads
                .iter()
                .find(|(n, _)| *n == Some(name.as_str()))
                .map(|(_, h)| *h)
                // Someone not in the session: she looks at whoever is.
                .or_else(|| whom_to_face(t.translation, &heads, speaker, now)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn she_faces_whoever_spoke_lately_and_otherwise_whoever_is_nearest() {
        let her = Vec3::new(0.0, 1.2, -2.0);
        let mother = Vec3::new(0.5, 1.6, -0.5);
        let father = Vec3::new(-1.5, 1.7, 1.0);
        let heads = [(Some("mother"), mother), (Some("father"), father)];
        assert_eq!(
            whom_to_face(her, &heads, None, 10.0),
            Some(mother),
            "nearest"
        );
        assert_eq!(
            whom_to_face(her, &heads, Some(("father", 9.0)), 10.0),
            Some(father),
            "he just spoke"
        );
        assert_eq!(
            whom_to_face(her, &heads, Some(("father", 1.0)), 10.0),
            Some(mother),
            "long ago: back to the nearest"
        );
        assert_eq!(
            whom_to_face(her, &heads, Some(("aunt", 9.5)), 10.0),
            Some(mother),
            "a speaker with no head here"
        );
        assert_eq!(whom_to_face(her, &[], None, 0.0), None);
        assert_eq!(
            whom_to_face(her, &[(None, father)], None, 0.0),
            Some(father)
        );
    }
}
