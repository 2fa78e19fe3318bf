//! Things a hand can pick up, and sockets that take them.
//!
//! A candle of the scene is [`Grabbable`]. A hand that closes within [`GRAB_REACH`]
//! of its grip point (and is not taking her hand) picks it up; it follows the hand,
//! upright, until the hand opens. Let go within [`SNAP_REACH`] of a free
//! [`Socket`] of the cake, it snaps in: `CandlePlaced(socket)` goes to the director,
//! the controller buzzes, and when every socket is full `AllCandlesPlaced` follows. A
//! candle in a socket stays there. Let go anywhere else, it falls and rests where it
//! lands: on the cake, the table, or the floor. It does not count.

use bevy::prelude::*;
use reunion_stage::components::{CakeSockets, CandleSlot, OnStage, PlaceScoped};
use reunion_stage::session::{ReportStoryEvent, StorySession};
use reunion_story::director::StoryEvent;
use reunion_story::story::ThingKind;

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

/// A place on a thing that takes a prop: the candle sockets of the cake. A child of
/// the cake; its origin is where a candle's base sits.
#[derive(Component, Debug, Clone, Copy)]
pub struct Socket {
    pub index: u8,
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

/// Candles become grabbable; cakes get their sockets.
pub(crate) fn make_props(
    mut commands: Commands,
    candles: Query<Entity, Added<CandleSlot>>,
    cakes: Query<(Entity, &CakeSockets, &PlaceScoped), Added<CakeSockets>>,
) {
    for e in &candles {
        commands.entity(e).insert(Grabbable {
            grip_height: CANDLE_GRIP_HEIGHT,
        });
    }
    for (cake, sockets, scope) in &cakes {
        commands.entity(cake).with_children(|c| {
            for (i, at) in sockets.0.iter().enumerate() {
                c.spawn((
                    Name::new(format!("socket {i}")),
                    Socket {
                        index: i as u8,
                        occupant: None,
                    },
                    *scope,
                    Transform::from_translation(*at),
                    Visibility::default(),
                ));
            }
        });
    }
}

/// The tops of the tables and cakes of the place on stage, read from its scene.
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
            // Sizes as the stage builds them (crates/reunion_stage/src/place.rs).
            ThingKind::Table => (0.45, Vec2::new(0.55, 0.35), false),
            ThingKind::Cake { .. } => (0.13, Vec2::splat(0.16), true),
            _ => continue,
        };
        surfaces.0.push(Surface {
            center: center + Vec3::Y * top,
            half,
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

/// An opening hand lets its prop go: into a free socket near it, or to fall.
pub(crate) fn let_go(
    mut commands: Commands,
    mut hands: Query<(&ParticipantHand, &mut HandGrip)>,
    mut props: Query<&mut Transform, (With<Grabbable>, Without<Socket>)>,
    mut sockets: Query<(Entity, &mut Socket, &GlobalTransform)>,
    candles: Query<(), With<CandleSlot>>,
    mut report: MessageWriter<ReportStoryEvent>,
    mut haptics: MessageWriter<HapticRequest>,
) {
    for (hand, mut grip) in &mut hands {
        if grip.change != Some(GripChange::Opened) {
            continue;
        }
        let Some(p) = grip.holding.take() else {
            continue;
        };
        let Ok(mut t) = props.get_mut(p) else {
            continue;
        };
        commands.entity(p).remove::<InHand>();
        let free = sockets
            .iter()
            .filter(|(_, s, _)| s.occupant.is_none())
            .map(|(e, _, g)| (e, g.translation(), g.translation().distance(t.translation)))
            .filter(|(.., d)| *d <= SNAP_REACH)
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .filter(|_| candles.contains(p));
        let Some((socket, at, _)) = free else {
            commands.entity(p).insert(Falling::default());
            continue;
        };
        t.translation = at;
        t.rotation = Quat::IDENTITY;
        commands.entity(p).insert(Socketed { socket });
        let index = {
            let Ok((_, mut s, _)) = sockets.get_mut(socket) else {
                continue;
            };
            s.occupant = Some(p);
            s.index
        };
        report.write(ReportStoryEvent(StoryEvent::CandlePlaced(index)));
        if sockets.iter().all(|(_, s, _)| s.occupant.is_some()) {
            report.write(ReportStoryEvent(StoryEvent::AllCandlesPlaced));
        }
        haptics.write(HapticRequest {
            side: hand.side,
            amplitude: 0.3,
            seconds: 0.05,
        });
    }
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
