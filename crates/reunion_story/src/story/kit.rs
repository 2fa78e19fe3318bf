//! The procedural catalogue's built-in values: how big each kind is as the stage
//! builds it, and what it can do by itself. A candle can be picked up, carries the tag
//! [`CANDLE_TAG`] and an unlit flame; a cake has sockets `1`..`n` that take candles, in
//! a ring where the stage puts them. Everything else only stands there until its scene
//! entry says more (`grab: true`, `sockets`, ...).
//!
//! The sizes are read off `reunion_stage`'s `scenery.rs` (`build_thing`), which builds
//! these shapes; keep the two in step. Each is the box in the thing's own space before
//! its `scale`, with the base at y = 0 (a window and a letter are built around their
//! origin, so their boxes reach below it).

use std::f32::consts::TAU;

use glam::{Quat, Vec3};

use super::world::{Bounds, Flame, Socket, ThingKind};
use crate::format::ToyKind;

/// The tag every candle carries, and that a cake's sockets accept.
pub const CANDLE_TAG: &str = "candle";
/// How far a cake's candle sockets are from its middle, metres.
pub const CAKE_SOCKET_RADIUS: f32 = 0.085;
/// How high a cake's candle sockets are (the top of its upper tier), metres.
pub const CAKE_SOCKET_HEIGHT: f32 = 0.18;
/// Where a candle's flame burns, above its base.
pub const CANDLE_FLAME_HEIGHT: f32 = 0.082;

/// Where the `i`-th of a cake's `n` candle sockets is, in the cake's own space: a ring
/// of radius [`CAKE_SOCKET_RADIUS`] at height [`CAKE_SOCKET_HEIGHT`], the first at +x,
/// going round by the angle `i / n` of a turn.
pub fn cake_socket_at(i: u8, n: u8) -> Vec3 {
    let a = f32::from(i) / f32::from(n.max(1)) * TAU;
    Vec3::new(
        a.cos() * CAKE_SOCKET_RADIUS,
        CAKE_SOCKET_HEIGHT,
        a.sin() * CAKE_SOCKET_RADIUS,
    )
}

fn bounds(min: [f32; 3], max: [f32; 3]) -> Bounds {
    Bounds::new(Vec3::from_array(min), Vec3::from_array(max))
}

/// The box of a procedural kind as the stage builds it, before `scale`. `None` for a
/// model (measured from its file), an actor (the avatar's body) and a marker (no
/// body).
pub fn builtin_bounds(kind: &ThingKind) -> Option<Bounds> {
    Some(match kind {
        ThingKind::Actor(_) | ThingKind::Marker | ThingKind::Model { .. } => return None,
        // Seat 1.5 × 0.42 at 0.45; the back leans to 0.88 m and 0.28 m behind.
        ThingKind::Bench => bounds([-0.75, 0.0, -0.21], [0.75, 0.88, 0.28]),
        // A trunk and three leafy balls, all proportional to the height.
        ThingKind::Tree { height: h } => {
            bounds([-0.185 * h, 0.0, -0.16 * h], [0.21 * h, 0.91 * h, 0.17 * h])
        }
        // A 3.2 m pole with a glowing ball of 0.18 m on top.
        ThingKind::Lamp => bounds([-0.18, 0.0, -0.18], [0.18, 3.48, 0.18]),
        // 1 × 1.9 m, the headboard 0.9 m high at the -z end.
        ThingKind::Bed { .. } => bounds([-0.5, 0.0, -0.98], [0.5, 0.9, 0.95]),
        // A 0.2 m balloon stretched to 0.24 m tall, floating at `height` on its string.
        ThingKind::Balloon { height, .. } => bounds([-0.2, 0.0, -0.2], [0.2, height + 0.24, 0.2]),
        ThingKind::Toy { kind, .. } => match kind {
            ToyKind::Bear => bounds([-0.11, 0.0, -0.11], [0.11, 0.36, 0.11]),
            ToyKind::Rabbit => bounds([-0.11, 0.0, -0.11], [0.11, 0.455, 0.11]),
            ToyKind::Ball => bounds([-0.12, 0.0, -0.12], [0.12, 0.24, 0.12]),
            ToyKind::Blocks => bounds([-0.071, 0.0, -0.071], [0.071, 0.3, 0.071]),
            ToyKind::Horse => bounds([-0.06, 0.0, -0.25], [0.06, 0.52, 0.25]),
        },
        // Top 1.1 × 0.7 m, its upper face at 0.45 m.
        ThingKind::Table => bounds([-0.55, 0.0, -0.35], [0.55, 0.45, 0.35]),
        // A plate of radius 0.2 m under tiers up to 0.18 m, the socket marks on top.
        ThingKind::Cake { .. } => bounds([-0.2, 0.0, -0.2], [0.2, 0.185, 0.2]),
        // A 0.07 m stick of radius 8 mm, the flame to 0.098 m.
        ThingKind::Candle { .. } => bounds([-0.009, 0.0, -0.009], [0.009, 0.098, 0.009]),
        // A pane of light 1.4 × 1.0 m in a frame, centred on its origin.
        ThingKind::Window => bounds([-0.76, -0.56, -0.01], [0.76, 0.56, 0.05]),
        // A card tilted back, centred on its origin.
        ThingKind::Letter => bounds([-0.105, -0.071, -0.029], [0.105, 0.071, 0.029]),
        // Nine stems scattered over 0.6 × 0.6 m, blooms to 0.31 m (the box the layout
        // can reach).
        ThingKind::Flowers { .. } => bounds([-0.34, 0.0, -0.34], [0.34, 0.31, 0.34]),
    })
}

/// Whether a kind can be picked up without its scene entry saying so.
pub fn builtin_grab(kind: &ThingKind) -> bool {
    matches!(kind, ThingKind::Candle { .. })
}

/// The tags a kind carries by itself.
pub fn builtin_tags(kind: &ThingKind) -> &'static [&'static str] {
    match kind {
        ThingKind::Candle { .. } => &[CANDLE_TAG],
        _ => &[],
    }
}

/// The sockets a kind has by itself: a cake's candle sockets `1`..`n`.
pub fn builtin_sockets(kind: &ThingKind) -> Vec<Socket> {
    match kind {
        ThingKind::Cake { candle_sockets } => (0..*candle_sockets)
            .map(|i| Socket {
                name: (u16::from(i) + 1).to_string(),
                at: cake_socket_at(i, *candle_sockets),
                rotation: Quat::IDENTITY,
                accepts: vec![CANDLE_TAG.to_owned()],
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The flame a kind carries by itself: a candle's, unlit.
pub fn builtin_flame(kind: &ThingKind) -> Option<Flame> {
    match kind {
        ThingKind::Candle { .. } => Some(Flame {
            at: Vec3::new(0.0, CANDLE_FLAME_HEIGHT, 0.0),
            lit: false,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cakes_sockets_ring_its_top_where_the_stage_puts_them() {
        let sockets = builtin_sockets(&ThingKind::Cake { candle_sockets: 4 });
        let names: Vec<_> = sockets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["1", "2", "3", "4"]);
        assert!((sockets[0].at - Vec3::new(0.085, 0.18, 0.0)).length() < 1e-6);
        assert!((sockets[1].at - Vec3::new(0.0, 0.18, 0.085)).length() < 1e-6);
        assert!(sockets.iter().all(|s| s.accepts == [CANDLE_TAG]));
        let top = builtin_bounds(&ThingKind::Cake { candle_sockets: 4 }).expect("a box");
        assert!(sockets.iter().all(|s| s.at.y <= top.top()));
    }

    #[test]
    fn every_procedural_kind_with_a_body_has_a_box_standing_on_or_around_its_origin() {
        let c = crate::story::Rgb::BLACK;
        for kind in [
            ThingKind::Bench,
            ThingKind::Tree { height: 4.0 },
            ThingKind::Lamp,
            ThingKind::Bed { color: c },
            ThingKind::Balloon {
                color: c,
                height: 1.8,
            },
            ThingKind::Toy {
                kind: ToyKind::Horse,
                color: c,
            },
            ThingKind::Table,
            ThingKind::Cake { candle_sockets: 7 },
            ThingKind::Candle { color: c },
            ThingKind::Window,
            ThingKind::Letter,
            ThingKind::Flowers { color: c },
        ] {
            let b = builtin_bounds(&kind).unwrap_or_else(|| panic!("{kind:?} has a box"));
            assert!(
                b.min.cmplt(Vec3::ZERO).all() || b.min.y == 0.0,
                "{kind:?}: {b:?}"
            );
            assert!(b.max.cmpgt(Vec3::ZERO).all(), "{kind:?}: {b:?}");
        }
        assert_eq!(
            builtin_bounds(&ThingKind::Table).map(|b| b.top()),
            Some(0.45)
        );
        assert!(builtin_bounds(&ThingKind::Marker).is_none());
    }
}
