//! Touch zones on the avatar: her head, cheeks, shoulders and hands.
//!
//! The avatar places a [`BodyZone`] sphere on each. A participant's hand entering one
//! reports `Touched(actor, zone)` once; it must leave (past a margin, so a hand
//! resting on the edge does not flicker) before the same hand touches there again.
//! The story can wait on it (she giggles when her head is stroked).

use bevy::prelude::*;
use reunion_stage::session::ReportStoryEvent;
use reunion_story::director::StoryEvent;
use reunion_story::format::TouchZone;
use reunion_story::story::ActorId;

use crate::model::{ParticipantHand, Tracking};

/// A touch zone on an actor: a sphere about the entity's origin.
#[derive(Component, Debug, Clone, Copy)]
pub struct BodyZone {
    pub actor: ActorId,
    pub zone: TouchZone,
    pub radius: f32,
}

/// A hand leaves a zone once it is this much farther out than the radius.
pub const LEAVE_MARGIN: f32 = 1.3;

/// Which zones each hand is in now.
#[derive(Resource, Default, Debug)]
pub struct Touching(pub Vec<(Entity, Entity)>);

pub(crate) fn detect_touches(
    hands: Query<(Entity, &ParticipantHand, &Transform)>,
    zones: Query<(Entity, &BodyZone, &GlobalTransform)>,
    mut touching: ResMut<Touching>,
    mut report: MessageWriter<ReportStoryEvent>,
) {
    // Forget zones that left the stage, and hands out of them.
    touching.0.retain(|(hand, zone)| {
        let (Ok((_, h, t)), Ok((_, z, g))) = (hands.get(*hand), zones.get(*zone)) else {
            return false;
        };
        h.tracking != Tracking::Lost
            && t.translation.distance(g.translation()) <= z.radius * LEAVE_MARGIN
    });
    for (he, hand, t) in &hands {
        if hand.tracking == Tracking::Lost {
            continue;
        }
        for (ze, zone, g) in &zones {
            if t.translation.distance(g.translation()) > zone.radius
                || touching.0.contains(&(he, ze))
            {
                continue;
            }
            // One touch of a hand on one part of her, however the spheres overlap.
            let same_part = touching.0.iter().any(|(h, z)| {
                *h == he
                    && zones.get(*z).is_ok_and(|(_, other, _)| {
                        other.actor == zone.actor && other.zone == zone.zone
                    })
            });
            touching.0.push((he, ze));
            if !same_part {
                report.write(ReportStoryEvent(StoryEvent::Touched(zone.actor, zone.zone)));
            }
        }
    }
}
