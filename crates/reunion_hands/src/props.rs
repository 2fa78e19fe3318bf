//! Things a hand can pick up, and sockets that take them: any thing, by what it can
//! do (`grab`, `sockets`), the candles and the cake being one use of it.
//!
//! A thing the story says can be picked up is [`Grabbable`]. A hand that closes
//! within [`GRAB_REACH`] of its grip point (and is not taking her hand) picks it up
//! (`PickedUp`); it follows the hand, upright, until the hand opens. Let go within
//! [`SNAP_REACH`] of a free [`Socket`] that accepts it (a vase's for a rose, the
//! cake's for a candle), it snaps in: `Placed(thing, into, socket)` goes to the
//! director, the controller buzzes; a candle in a cake is also `CandlePlaced(socket)`,
//! and `AllCandlesPlaced` follows when every candle socket is full. A thing in a
//! socket stays there. Let go anywhere else (`PutDown`), it falls and rests on the
//! highest top under it (a table, a cake, any thing's box) or the floor.

use bevy::prelude::*;
use reunion_stage::components::{OnStage, PlaceScoped, ThingRef};
use reunion_stage::session::{ReportStoryEvent, StorySession};
use reunion_story::director::StoryEvent;
use reunion_story::story::{CANDLE_TAG, Story, Thing, ThingId, ThingKind};

use crate::grip::GripChange;
use crate::hand_grip::HandGrip;
use crate::hold::HandHold;
use crate::model::{HapticRequest, ParticipantHand, Tracking};

/// How near a prop's grip point a closing hand must be to pick it up, metres.
pub const GRAB_REACH: f32 = 0.08;
/// How near a free socket a released candle's base must be to snap in, metres.
pub const SNAP_REACH: f32 = 0.06;
/// Where a candle is held: this far above its base.
pub const CANDLE_GRIP_HEIGHT: f32 = 0.04;
/// Gravity for falling props, m/s².
const GRAVITY: f32 = 9.81;

/// Something a hand can pick up. Its `Transform` is top-level (world); its origin is
/// its base.
#[derive(Component, Debug, Clone, Copy)]
pub struct Grabbable {
    /// Where it is held, above its base.
    pub grip_height: f32,
}

/// A prop in a hand: it keeps this offset from the palm.
#[derive(Component, Debug, Clone, Copy)]
pub struct InHand {
    pub hand: Entity,
    pub offset: Vec3,
}

/// A prop falling after it was let go.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Falling {
    pub speed: f32,
}

/// A place on a thing that takes a prop (a cake's candle socket, a vase's for
/// flowers). A child of its owner; its origin is where the prop's base sits.
#[derive(Component, Debug, Clone, Copy)]
pub struct Socket {
    /// The thing it is on.
    pub owner: ThingId,
    /// Its index among the owner's sockets ([`reunion_story::story::Thing::sockets`]).
    pub index: u16,
    pub occupant: Option<Entity>,
}

/// A prop in a socket.
#[derive(Component, Debug, Clone, Copy)]
pub struct Socketed {
    pub socket: Entity,
}

/// Flat tops things can rest on, in the world, for the place on stage.
#[derive(Resource, Default, Debug, Clone)]
pub struct Surfaces(pub Vec<Surface>);

/// A level rectangle (or disc) at a height.
#[derive(Debug, Clone, Copy)]
pub struct Surface {
    pub center: Vec3,
    /// Half sizes along the thing's own x and z.
    pub half: Vec2,
    pub yaw: f32,
    pub round: bool,
}

impl Surface {
    fn covers(&self, p: Vec3) -> bool {
        let local = Quat::from_rotation_y(-self.yaw) * (p - self.center);
        if self.round {
            Vec2::new(local.x, local.z).length() <= self.half.x
        } else {
            local.x.abs() <= self.half.x && local.z.abs() <= self.half.y
        }
    }

    /// The height a prop at `p` comes to rest on: the highest top under it, or the floor.
    pub fn rest_height(surfaces: &[Surface], p: Vec3) -> f32 {
        surfaces
            .iter()
            .filter(|s| s.center.y <= p.y + 1e-3 && s.covers(p))
            .map(|s| s.center.y)
            .fold(0.0, f32::max)
    }
}

/// Things become what their story entry says they can be: picked up (held this far
/// above the base: a candle near its foot, anything else at half its height), and
/// given their sockets, as children where the story puts them.
pub(crate) fn make_props(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    things: Query<(Entity, &ThingRef, &PlaceScoped), Added<ThingRef>>,
) {
    let Some(s) = session else { return };
    let story = s.story();
    for (e, id, scope) in &things {
        let Some(thing) = thing_of(story, id.0) else {
            continue;
        };
        if thing.grab {
            let grip_height = if matches!(thing.kind, ThingKind::Candle { .. }) {
                CANDLE_GRIP_HEIGHT
            } else {
                thing.bounds.map_or(0.05, |b| (b.min.y + b.max.y) / 2.0)
            };
            commands.entity(e).insert(Grabbable { grip_height });
        }
        if thing.sockets.is_empty() {
            continue;
        }
        commands.entity(e).with_children(|c| {
            for (i, socket) in thing.sockets.iter().enumerate() {
                c.spawn((
                    Name::new(format!("socket {}", socket.name)),
                    Socket {
                        owner: id.0,
                        index: i as u16,
                        occupant: None,
                    },
                    *scope,
                    Transform::from_translation(socket.at * thing.scale)
                        .with_rotation(socket.rotation),
                    Visibility::default(),
                ));
            }
        });
    }
}

/// The tops things can rest on in the place on stage: the table's and the cake's as
/// the stage builds them, and every other thing's box (but what can be picked up,
/// the cast and marks).
pub(crate) fn find_surfaces(
    on_stage: Res<OnStage>,
    session: Option<Res<StorySession>>,
    mut surfaces: ResMut<Surfaces>,
) {
    if !on_stage.is_changed() {
        return;
    }
    let (Some(s), Some(place)) = (session, on_stage.place) else {
        return;
    };
    surfaces.0.clear();
    for thing in &s.story().place(place).things {
        let center = Vec3::new(thing.at.0, thing.at.1, thing.at.2);
        let yaw = -thing.facing.to_radians();
        let (top, half, round) = match thing.kind {
            // Sizes as the stage builds them (crates/reunion_stage/src/scenery.rs).
            ThingKind::Table => (0.45, Vec2::new(0.55, 0.35), false),
            ThingKind::Cake { .. } => (0.13, Vec2::splat(0.16), true),
            _ if thing.grab => continue,
            _ => {
                let Some(b) = thing.bounds_in_place() else {
                    continue;
                };
                let c = b.center();
                surfaces.0.push(Surface {
                    center: Vec3::new(c.x, b.top(), c.z),
                    half: Vec2::new(b.size().x / 2.0, b.size().z / 2.0),
                    yaw: 0.0,
                    round: false,
                });
                continue;
            }
        };
        surfaces.0.push(Surface {
            center: center + Vec3::Y * top * thing.scale,
            half: half * thing.scale,
            yaw,
            round,
        });
    }
}

/// A closing hand picks up the nearest prop within reach.
pub(crate) fn pick_up(
    mut commands: Commands,
    hold: Res<HandHold>,
    mut hands: Query<(Entity, &ParticipantHand, &Transform, &mut HandGrip)>,
    props: Query<
        (Entity, &Transform, &Grabbable),
        (Without<InHand>, Without<Socketed>, Without<ParticipantHand>),
    >,
    ids: Query<&ThingRef>,
    mut report: MessageWriter<ReportStoryEvent>,
) {
    for (e, hand, t, mut grip) in &mut hands {
        if grip.change != Some(GripChange::Closed)
            || hand.tracking != Tracking::Tracked
            || hold.by(e)
            || grip.holding.is_some()
        {
            continue;
        }
        let nearest = props
            .iter()
            .map(|(p, pt, g)| {
                let at = pt.translation + Vec3::Y * g.grip_height;
                (p, pt.translation, at.distance(t.translation))
            })
            .filter(|(.., d)| *d <= GRAB_REACH)
            .min_by(|a, b| a.2.total_cmp(&b.2));
        if let Some((p, base, _)) = nearest {
            grip.holding = Some(p);
            commands.entity(p).remove::<Falling>().insert(InHand {
                hand: e,
                offset: base - t.translation,
            });
            if let Ok(id) = ids.get(p) {
                report.write(ReportStoryEvent(StoryEvent::PickedUp(id.0)));
            }
        }
    }
}

/// Held props follow their hand.
pub(crate) fn carry(
    hands: Query<&Transform, With<ParticipantHand>>,
    mut props: Query<(&InHand, &mut Transform), Without<ParticipantHand>>,
) {
    for (held, mut t) in &mut props {
        if let Ok(hand) = hands.get(held.hand) {
            t.translation = hand.translation + held.offset;
        }
    }
}

/// An opening hand lets its prop go: into a free socket near it that takes it, or
/// to fall.
pub(crate) fn let_go(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    mut hands: Query<(&ParticipantHand, &mut HandGrip)>,
    mut props: Query<(&mut Transform, Option<&ThingRef>), (With<Grabbable>, Without<Socket>)>,
    mut sockets: Query<(Entity, &mut Socket, &GlobalTransform)>,
    mut report: MessageWriter<ReportStoryEvent>,
    mut haptics: MessageWriter<HapticRequest>,
) {
    let story = session.as_ref().map(|s| std::sync::Arc::clone(s.story()));
    for (hand, mut grip) in &mut hands {
        if grip.change != Some(GripChange::Opened) {
            continue;
        }
        let Some(p) = grip.holding.take() else {
            continue;
        };
        let Ok((mut t, id)) = props.get_mut(p) else {
            continue;
        };
        let id = id.map(|i| i.0);
        commands.entity(p).remove::<InHand>();
        let free = sockets
            .iter()
            .filter(|(_, s, _)| s.occupant.is_none())
            .filter(|(_, s, _)| takes(story.as_deref(), s, id))
            .map(|(e, _, g)| (e, g.translation(), g.translation().distance(t.translation)))
            .filter(|(.., d)| *d <= SNAP_REACH)
            .min_by(|a, b| a.2.total_cmp(&b.2));
        let Some((socket, at, _)) = free else {
            commands.entity(p).insert(Falling::default());
            if let Some(id) = id {
                report.write(ReportStoryEvent(StoryEvent::PutDown(id)));
            }
            continue;
        };
        t.translation = at;
        t.rotation = Quat::IDENTITY;
        commands.entity(p).insert(Socketed { socket });
        let (owner, index) = {
            let Ok((_, mut s, _)) = sockets.get_mut(socket) else {
                continue;
            };
            s.occupant = Some(p);
            (s.owner, s.index)
        };
        if let Some(id) = id {
            report.write(ReportStoryEvent(StoryEvent::Placed {
                thing: id,
                into: owner,
                socket: index,
            }));
        }
        // A candle set in a cake is also the birthday's own event.
        if let Some(story) = story.as_deref()
            && is_cake(story, owner)
            && id
                .and_then(|i| thing_of(story, i))
                .is_some_and(|t| t.has_tag(CANDLE_TAG))
        {
            report.write(ReportStoryEvent(StoryEvent::CandlePlaced(
                u8::try_from(index).unwrap_or(u8::MAX),
            )));
            if sockets
                .iter()
                .filter(|(_, s, _)| is_cake(story, s.owner))
                .all(|(_, s, _)| s.occupant.is_some())
            {
                report.write(ReportStoryEvent(StoryEvent::AllCandlesPlaced));
            }
        }
        haptics.write(HapticRequest {
            side: hand.side,
            amplitude: 0.3,
            seconds: 0.05,
        });
    }
}

/// Whether the thing `id` (a prop of the story, or none) fits `socket`.
pub(crate) fn takes(story: Option<&Story>, socket: &Socket, id: Option<ThingId>) -> bool {
    let (Some(story), Some(id)) = (story, id) else {
        return false;
    };
    let place = thing_of(story, socket.owner)
        .and_then(|owner| owner.sockets.get(usize::from(socket.index)));
    match (place, thing_of(story, id)) {
        (Some(place), Some(prop)) => place.accepts(prop),
        _ => false,
    }
}

fn is_cake(story: &Story, thing: ThingId) -> bool {
    thing_of(story, thing).is_some_and(|t| matches!(t.kind, ThingKind::Cake { .. }))
}

/// A thing of the story, if the story (maybe reloaded since) still has it.
pub fn thing_of(story: &Story, id: ThingId) -> Option<&Thing> {
    story
        .places
        .get(id.place.index())
        .and_then(|p| p.things.get(usize::from(id.index)))
}

/// Dropped props fall and rest on the first top under them.
pub(crate) fn fall(
    mut commands: Commands,
    time: Res<Time>,
    surfaces: Res<Surfaces>,
    mut props: Query<(Entity, &mut Transform, &mut Falling)>,
) {
    let dt = time.delta_secs();
    for (e, mut t, mut f) in &mut props {
        let floor = Surface::rest_height(&surfaces.0, t.translation);
        f.speed += GRAVITY * dt;
        let y = t.translation.y - f.speed * dt;
        if y <= floor {
            t.translation.y = floor;
            commands.entity(e).remove::<Falling>();
        } else {
            t.translation.y = y;
        }
    }
}
