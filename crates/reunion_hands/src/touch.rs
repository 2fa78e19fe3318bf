//! Touch: zones on the avatar (her head, cheeks, shoulders and hands) and on the
//! things that report touches (a photo, a music box: `touch: true`).
//!
//! The avatar places a [`BodyZone`] sphere on each part of her; a thing that reports
//! touches gets a [`ThingZone`] sphere around its box. A participant's hand entering
//! one reports `Touched(actor, zone)` or `TouchedThing(thing)` once; it must leave
//! (past a margin, so a hand resting on the edge does not flicker) before the same
//! hand touches there again. The story can wait on it (she giggles when her head is
//! stroked; the music box opens when it is touched).

use bevy::prelude::*;
use reunion_stage::components::{PlaceScoped, ThingRef};
use reunion_stage::session::{ReportStoryEvent, StorySession};
use reunion_story::director::StoryEvent;
use reunion_story::format::TouchZone;
use reunion_story::story::{ActorId, ThingId};

use crate::model::{ParticipantHand, Tracking};
use crate::props::thing_of;

/// A touch zone on an actor: a sphere about the entity's origin.
#[derive(Component, Debug, Clone, Copy)]
pub struct BodyZone {
    pub actor: ActorId,
    pub zone: TouchZone,
    pub radius: f32,
}

/// A touch zone around a thing that reports touches: a sphere about the entity's
/// origin (the middle of the thing's box).
#[derive(Component, Debug, Clone, Copy)]
pub struct ThingZone {
    pub thing: ThingId,
    pub radius: f32,
}

/// A hand leaves a zone once it is this much farther out than the radius.
pub const LEAVE_MARGIN: f32 = 1.3;
/// The smallest touch zone around a thing, metres: a small thing is still easy to
/// touch.
pub const THING_ZONE_MIN: f32 = 0.08;

/// Which zones each hand is in now.
#[derive(Resource, Default, Debug)]
pub struct Touching(pub Vec<(Entity, Entity)>);

/// Things that report touches get their zone: a sphere around their box.
pub(crate) fn make_thing_zones(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    things: Query<(Entity, &ThingRef, &PlaceScoped), Added<ThingRef>>,
) {
    let Some(s) = session else { return };
    for (e, id, scope) in &things {
        let Some(thing) = thing_of(s.story(), id.0).filter(|t| t.touch) else {
            continue;
        };
        let (center, radius) = thing.bounds.map_or((Vec3::ZERO, THING_ZONE_MIN), |b| {
            (b.center(), (b.largest() / 2.0).max(THING_ZONE_MIN))
        });
        commands.entity(e).with_children(|c| {
            c.spawn((
                Name::new(format!("touch: {}", thing.id)),
                ThingZone {
                    thing: id.0,
                    radius,
                },
                *scope,
                Transform::from_translation(center),
            ));
        });
    }
}

/// What a zone is of, and how far it reaches.
fn reach(body: Option<&BodyZone>, thing: Option<&ThingZone>) -> f32 {
    body.map(|z| z.radius)
        .or(thing.map(|z| z.radius))
        .unwrap_or(0.0)
}

type Zones<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        Option<&'static BodyZone>,
        Option<&'static ThingZone>,
        &'static GlobalTransform,
    ),
    Or<(With<BodyZone>, With<ThingZone>)>,
>;

pub(crate) fn detect_touches(
    hands: Query<(Entity, &ParticipantHand, &Transform)>,
    zones: Zones,
    mut touching: ResMut<Touching>,
    mut report: MessageWriter<ReportStoryEvent>,
) {
    // Forget zones that left the stage, and hands out of them.
    touching.0.retain(|(hand, zone)| {
        let (Ok((_, h, t)), Ok((_, body, thing, g))) = (hands.get(*hand), zones.get(*zone)) else {
            return false;
        };
        h.tracking != Tracking::Lost
            && t.translation.distance(g.translation()) <= reach(body, thing) * LEAVE_MARGIN
    });
    for (he, hand, t) in &hands {
        if hand.tracking == Tracking::Lost {
            continue;
        }
        for (ze, body, thing, g) in &zones {
            if t.translation.distance(g.translation()) > reach(body, thing)
                || touching.0.contains(&(he, ze))
            {
                continue;
            }
            // One touch of a hand on one part of her (or one thing), however the
            // spheres overlap.
            let same_part = touching.0.iter().any(|(h, z)| {
                *h == he
                    && zones
                        .get(*z)
                        .is_ok_and(|(_, ob, ot, _)| match (body, thing) {
                            (Some(b), _) => {
                                ob.is_some_and(|o| o.actor == b.actor && o.zone == b.zone)
                            }
                            (_, Some(th)) => ot.is_some_and(|o| o.thing == th.thing),
                            _ => false,
                        })
            });
            touching.0.push((he, ze));
            if same_part {
                continue;
            }
            match (body, thing) {
                (Some(b), _) => {
                    report.write(ReportStoryEvent(StoryEvent::Touched(b.actor, b.zone)));
                }
                (_, Some(th)) => {
                    report.write(ReportStoryEvent(StoryEvent::TouchedThing(th.thing)));
                }
                _ => {}
            }
        }
    }
}
