//! Scenery: the procedural surroundings (park, room, sky) and the procedural things
//! of the catalogue (bench, tree, lamp, bed, balloon, toy, table, cake, candle,
//! window, letter, flowers), built from the shape kit's parts.
//!
//! Layouts that look scattered (trees, clouds, flowers) come from a seeded generator,
//! so every run and every machine builds the same place.

use bevy::prelude::*;
use reunion_story::format::ToyKind;
use reunion_story::story::{Environment, PlaceId, ThingKind};

use crate::components::PlaceScoped;
use crate::shapes::{Ball, Kit, Parts, at, rgb};

/// Numbers in 0..1 from a seed: the same layout on every run and every machine.
fn seeded(seed: u64) -> impl FnMut() -> f32 {
    let mut rng = fastrand::Rng::with_seed(seed);
    move || rng.f32()
}

/// How high a room's ceiling is, metres.
pub const ROOM_HEIGHT: f32 = 2.8;
/// How thick its walls, floor-to-ceiling boxes centred on the room's edges, are.
const WALL: f32 = 0.1;

/// The inside of a room of `size` (width, depth): its walls stand at x = ±width/2,
/// at z = 3 behind the start mark and `depth` in front of that.
pub fn room_inside(size: (f32, f32)) -> (Vec3, Vec3) {
    let (w, d) = size;
    let (z0, z1) = (3.0 - d, 3.0);
    (
        Vec3::new(-w / 2.0 + WALL / 2.0, 0.0, z0 + WALL / 2.0),
        Vec3::new(
            w / 2.0 - WALL / 2.0,
            ROOM_HEIGHT - WALL / 2.0,
            z1 - WALL / 2.0,
        ),
    )
}

pub(crate) fn spawn_environment(
    commands: &mut Commands,
    place: PlaceId,
    env: &Environment,
    kit: &mut Kit,
) {
    let mut parts = Parts::new(kit, place);
    match env {
        Environment::Park { sky, trees } => {
            parts.kit.clear.0 = rgb(*sky);
            parts.kit.ambient.color = Color::srgb(1.0, 0.86, 0.74);
            parts.kit.ambient.brightness = 900.0;
            parts.solid(
                Plane3d::new(Vec3::Y, Vec2::splat(40.0)),
                Color::srgb(0.42, 0.55, 0.30),
                at(0.0, 0.0, 0.0),
            );
            parts.solid(
                Plane3d::new(Vec3::Y, Vec2::new(0.8, 12.0)),
                Color::srgb(0.85, 0.76, 0.6),
                at(0.0, 0.005, -8.0),
            );
            // Distant hills, soft against the sky.
            for (x, z, r, c) in [
                (-22.0, -38.0, 16.0, Color::srgb(0.47, 0.56, 0.42)),
                (14.0, -42.0, 20.0, Color::srgb(0.52, 0.58, 0.45)),
                (40.0, -30.0, 14.0, Color::srgb(0.5, 0.6, 0.44)),
            ] {
                parts.solid(
                    Ball(r),
                    c,
                    at(x, -r * 0.7, z).with_scale(Vec3::new(1.6, 1.0, 1.0)),
                );
            }
            // Trees in a loose ring, away from the path, the same every time.
            let mut rand = seeded(7);
            for i in 0..*trees {
                let side = if i % 2 == 0 { -1.0 } else { 1.0 };
                let x = side * (4.5 + rand() * 9.0);
                let z = -3.0 - rand() * 18.0;
                let h = 3.0 + rand() * 3.0;
                build_tree(&mut parts, h, at(x, 0.0, z));
            }
            parts.spawn_scoped(commands);
            commands.spawn((
                PlaceScoped(place),
                DirectionalLight {
                    color: Color::srgb(1.0, 0.78, 0.58),
                    illuminance: 6_000.0,
                    shadow_maps_enabled: true,
                    ..default()
                },
                Transform::from_xyz(-8.0, 5.0, -12.0).looking_at(Vec3::ZERO, Vec3::Y),
            ));
        }
        Environment::Room { walls, size } => {
            let (w, d) = *size;
            let wall = rgb(*walls);
            parts.kit.clear.0 = Color::srgb(1.0, 0.98, 0.95);
            parts.kit.ambient.color = Color::srgb(1.0, 0.93, 0.95);
            parts.kit.ambient.brightness = 450.0;
            let (inside_min, inside_max) = room_inside(*size);
            let (z0, z1) = (inside_min.z - WALL / 2.0, inside_max.z + WALL / 2.0);
            let h = ROOM_HEIGHT;
            let cz = (z0 + z1) / 2.0;
            parts.solid(
                Plane3d::new(Vec3::Y, Vec2::new(w / 2.0, d / 2.0)),
                Color::srgb(0.93, 0.84, 0.74),
                at(0.0, 0.0, cz),
            );
            // A soft rug in the middle.
            parts.solid(
                Cylinder::new(1.3, 0.01),
                Color::srgb(0.98, 0.85, 0.9),
                at(0.0, 0.005, -0.3),
            );
            parts.solid(Cuboid::new(w, h, WALL), wall, at(0.0, h / 2.0, z0));
            parts.solid(Cuboid::new(w, h, WALL), wall, at(0.0, h / 2.0, z1));
            parts.solid(Cuboid::new(WALL, h, d), wall, at(-w / 2.0, h / 2.0, cz));
            parts.solid(Cuboid::new(WALL, h, d), wall, at(w / 2.0, h / 2.0, cz));
            parts.solid(
                Cuboid::new(w, WALL, d),
                Color::srgb(1.0, 0.98, 0.97),
                at(0.0, h, cz),
            );
            parts.spawn_scoped(commands);
            for (x, z, i) in [(0.0, -1.0, 45_000.0), (0.0, 2.0, 25_000.0)] {
                commands.spawn((
                    PlaceScoped(place),
                    PointLight {
                        color: Color::srgb(1.0, 0.94, 0.86),
                        intensity: i,
                        range: 12.0,
                        shadow_maps_enabled: false,
                        ..default()
                    },
                    Transform::from_xyz(x, 2.4, z),
                ));
            }
            commands.spawn((
                PlaceScoped(place),
                DirectionalLight {
                    color: Color::srgb(1.0, 0.95, 0.85),
                    illuminance: 2_500.0,
                    shadow_maps_enabled: true,
                    ..default()
                },
                Transform::from_xyz(0.5, 4.0, -4.0).looking_at(Vec3::new(0.0, 0.0, 0.5), Vec3::Y),
            ));
        }
        Environment::Model { file, scale, .. } => {
            crate::models::light_model_environment(
                commands,
                env,
                place,
                &mut parts.kit.clear,
                &mut parts.kit.ambient,
            );
            let root = commands
                .spawn((
                    Name::new("surroundings"),
                    PlaceScoped(place),
                    Transform::default(),
                    Visibility::Inherited,
                ))
                .id();
            parts.kit.spawn_model(commands, root, file, *scale, place);
        }
        Environment::Sky { sky } => {
            parts.kit.clear.0 = rgb(*sky);
            parts.kit.ambient.color = Color::WHITE;
            parts.kit.ambient.brightness = 2_000.0;
            let mut rand = seeded(11);
            let cloud = parts.material(Color::srgb(1.0, 1.0, 1.0), 1.0);
            // A sea of soft clouds below, and a few far ones near the horizon.
            for i in 0..18 {
                let a = rand() * std::f32::consts::TAU;
                let r = 14.0 + rand() * 30.0;
                let y = if i % 3 == 0 {
                    1.0 + rand() * 6.0
                } else {
                    -7.0 + rand() * 3.0
                };
                let s = 3.0 + rand() * 4.0;
                parts.add(
                    Ball(1.0),
                    cloud.clone(),
                    at(a.cos() * r, y, a.sin() * r).with_scale(Vec3::new(s * 1.6, s * 0.45, s)),
                );
            }
            parts.spawn_scoped(commands);
            commands.spawn((
                PlaceScoped(place),
                DirectionalLight {
                    color: Color::srgb(1.0, 0.97, 0.9),
                    illuminance: 8_000.0,
                    ..default()
                },
                Transform::from_xyz(2.0, 10.0, 3.0).looking_at(Vec3::ZERO, Vec3::Y),
            ));
        }
    }
}

fn build_tree(parts: &mut Parts, h: f32, t: Transform) {
    let trunk = Color::srgb(0.42, 0.3, 0.22);
    let leaf = Color::srgb(0.32, 0.48, 0.27);
    let base = t.translation;
    parts.solid(
        Cylinder::new(0.14 * h / 4.0, h * 0.55),
        trunk,
        at(base.x, h * 0.275, base.z),
    );
    for (dx, dy, dz, r) in [
        (0.0, 0.62, 0.0, 0.32),
        (0.18, 0.75, 0.1, 0.24),
        (-0.15, 0.8, -0.05, 0.22),
    ] {
        parts.solid(
            Ball(r * h * 0.5),
            leaf,
            at(base.x + dx * h * 0.5, h * dy, base.z + dz * h * 0.5),
        );
    }
}

pub(crate) fn build_thing(parts: &mut Parts, kind: &ThingKind) {
    match kind {
        // The avatar crate builds actors (a rig that moves), headless or not.
        ThingKind::Actor(_) => {}
        ThingKind::Marker => {}
        // A model's scene is put under the thing by `place.rs`.
        ThingKind::Model { .. } => {}
        ThingKind::Bench => {
            let wood = Color::srgb(0.55, 0.38, 0.25);
            let iron = Color::srgb(0.2, 0.2, 0.22);
            parts.solid(Cuboid::new(1.5, 0.06, 0.42), wood, at(0.0, 0.45, 0.0));
            parts.solid(
                Cuboid::new(1.5, 0.36, 0.05),
                wood,
                at(0.0, 0.7, 0.22).with_rotation(Quat::from_rotation_x(-0.2)),
            );
            for x in [-0.65, 0.65] {
                parts.solid(Cuboid::new(0.06, 0.45, 0.4), iron, at(x, 0.225, 0.0));
            }
        }
        ThingKind::Tree { height } => build_tree(parts, *height, Transform::IDENTITY),
        ThingKind::Lamp => {
            parts.solid(
                Cylinder::new(0.05, 3.2),
                Color::srgb(0.18, 0.2, 0.2),
                at(0.0, 1.6, 0.0),
            );
            let glow = parts.glow(Color::srgb(1.0, 0.86, 0.6), 6.0);
            parts.add(Ball(0.18), glow, at(0.0, 3.3, 0.0));
        }
        ThingKind::Bed { color } => {
            parts.solid(
                Cuboid::new(1.0, 0.3, 1.9),
                Color::srgb(0.93, 0.86, 0.8),
                at(0.0, 0.15, 0.0),
            );
            parts.solid(
                Cuboid::new(0.95, 0.16, 1.85),
                rgb(*color),
                at(0.0, 0.38, 0.0),
            );
            parts.solid(
                Cuboid::new(0.96, 0.06, 1.2),
                Color::srgb(0.98, 0.8, 0.87),
                at(0.0, 0.48, 0.3),
            );
            parts.solid(
                Cuboid::new(0.6, 0.12, 0.35),
                Color::WHITE,
                at(0.0, 0.52, -0.7),
            );
            parts.solid(
                Cuboid::new(1.0, 0.8, 0.06),
                Color::srgb(0.93, 0.86, 0.8),
                at(0.0, 0.5, -0.95),
            );
        }
        ThingKind::Balloon { color, height } => {
            let mat = parts.kit.materials.add(StandardMaterial {
                base_color: rgb(*color),
                perceptual_roughness: 0.25,
                reflectance: 0.6,
                ..default()
            });
            parts.add(
                Ball(0.2),
                mat,
                at(0.0, *height, 0.0).with_scale(Vec3::new(1.0, 1.2, 1.0)),
            );
            parts.solid(
                Cylinder::new(0.004, *height - 0.2),
                Color::srgb(0.9, 0.9, 0.9),
                at(0.0, (*height - 0.2) / 2.0, 0.0),
            );
        }
        ThingKind::Toy { kind, color } => build_toy(parts, *kind, rgb(*color)),
        ThingKind::Table => {
            let wood = Color::srgb(0.96, 0.9, 0.82);
            parts.solid(Cuboid::new(1.1, 0.05, 0.7), wood, at(0.0, 0.425, 0.0));
            for (x, z) in [(-0.5, -0.3), (0.5, -0.3), (-0.5, 0.3), (0.5, 0.3)] {
                parts.solid(Cylinder::new(0.025, 0.4), wood, at(x, 0.2, z));
            }
        }
        ThingKind::Cake { candle_sockets } => {
            parts.solid(
                Cylinder::new(0.2, 0.02),
                Color::srgb(0.95, 0.95, 0.97),
                at(0.0, 0.01, 0.0),
            );
            parts.solid(
                Cylinder::new(0.16, 0.1),
                Color::srgb(1.0, 0.97, 0.93),
                at(0.0, 0.07, 0.0),
            );
            parts.solid(
                Cylinder::new(0.165, 0.02),
                Color::srgb(0.98, 0.7, 0.8),
                at(0.0, 0.12, 0.0),
            );
            parts.solid(
                Cylinder::new(0.12, 0.05),
                Color::srgb(1.0, 0.85, 0.9),
                at(0.0, 0.155, 0.0),
            );
            let n = f32::from(*candle_sockets);
            for i in 0..*candle_sockets {
                let a = f32::from(i) / n * std::f32::consts::TAU;
                parts.solid(
                    Ball(0.012),
                    Color::srgb(0.9, 0.3, 0.35),
                    at(a.cos() * 0.085, 0.18, a.sin() * 0.085).with_scale(Vec3::new(1.0, 0.4, 1.0)),
                );
            }
        }
        ThingKind::Candle { color } => {
            parts.solid(Cylinder::new(0.008, 0.07), rgb(*color), at(0.0, 0.035, 0.0));
            build_flame(parts, Vec3::new(0.0, 0.082, 0.0));
        }
        ThingKind::Window => {
            let light = parts.glow(Color::srgb(1.0, 0.97, 0.88), 3.0);
            parts.add(Cuboid::new(1.4, 1.0, 0.02), light, at(0.0, 0.0, 0.0));
            let frame = Color::WHITE;
            parts.solid(Cuboid::new(1.5, 0.06, 0.06), frame, at(0.0, 0.53, 0.02));
            parts.solid(Cuboid::new(1.5, 0.06, 0.06), frame, at(0.0, -0.53, 0.02));
            parts.solid(Cuboid::new(0.06, 1.1, 0.06), frame, at(-0.73, 0.0, 0.02));
            parts.solid(Cuboid::new(0.06, 1.1, 0.06), frame, at(0.73, 0.0, 0.02));
            parts.solid(Cuboid::new(0.04, 1.0, 0.04), frame, at(0.0, 0.0, 0.02));
        }
        ThingKind::Letter => {
            parts.solid(
                Cuboid::new(0.21, 0.003, 0.15),
                Color::srgb(1.0, 0.98, 0.92),
                at(0.0, 0.0, 0.0).with_rotation(Quat::from_rotation_x(1.2)),
            );
            parts.solid(
                Ball(0.015),
                Color::srgb(0.95, 0.4, 0.5),
                at(0.0, 0.03, -0.01),
            );
        }
        ThingKind::Flowers { color } => {
            let mut next = seeded(3);
            let mut rand = || next() - 0.5;
            for _ in 0..9 {
                let (x, z) = (rand() * 0.6, rand() * 0.6);
                parts.solid(
                    Cylinder::new(0.006, 0.25),
                    Color::srgb(0.3, 0.5, 0.25),
                    at(x, 0.125, z),
                );
                parts.solid(Ball(0.04), rgb(*color), at(x, 0.27, z));
            }
        }
    }
}

/// A small flame at `at` (hidden until lit): a candle's, or any thing's that carries
/// one.
pub(crate) fn build_flame(parts: &mut Parts, at: Vec3) {
    let flame = parts.glow(Color::srgb(1.0, 0.72, 0.3), 12.0);
    parts.add_flame(
        Ball(0.009),
        flame,
        Transform::from_translation(at).with_scale(Vec3::new(1.0, 1.8, 1.0)),
    );
}

fn build_toy(parts: &mut Parts, kind: ToyKind, color: Color) {
    let dark = Color::srgb(0.15, 0.1, 0.1);
    match kind {
        ToyKind::Bear | ToyKind::Rabbit => {
            parts.solid(Ball(0.11), color, at(0.0, 0.11, 0.0));
            parts.solid(Ball(0.08), color, at(0.0, 0.27, 0.0));
            let ears = if kind == ToyKind::Bear {
                [(-0.06, 0.33, 0.0, 0.03, 1.0), (0.06, 0.33, 0.0, 0.03, 1.0)]
            } else {
                [
                    (-0.03, 0.38, 0.0, 0.025, 3.0),
                    (0.03, 0.38, 0.0, 0.025, 3.0),
                ]
            };
            for (x, y, z, r, stretch) in ears {
                parts.solid(
                    Ball(r),
                    color,
                    at(x, y, z).with_scale(Vec3::new(1.0, stretch, 1.0)),
                );
            }
            for x in [-0.028, 0.028] {
                parts.solid(Ball(0.01), dark, at(x, 0.29, -0.07));
            }
        }
        ToyKind::Ball => {
            parts.solid(Ball(0.12), color, at(0.0, 0.12, 0.0));
        }
        ToyKind::Blocks => {
            for (i, c) in [
                color,
                Color::srgb(0.98, 0.75, 0.4),
                Color::srgb(0.95, 0.55, 0.65),
            ]
            .into_iter()
            .enumerate()
            {
                let y = 0.05 + 0.1 * i as f32;
                parts.solid(
                    Cuboid::new(0.1, 0.1, 0.1),
                    c,
                    at(0.0, y, 0.0).with_rotation(Quat::from_rotation_y(i as f32 * 0.4)),
                );
            }
        }
        ToyKind::Horse => {
            parts.solid(Cuboid::new(0.12, 0.14, 0.34), color, at(0.0, 0.3, 0.0));
            parts.solid(Cuboid::new(0.09, 0.18, 0.1), color, at(0.0, 0.43, -0.17));
            for (x, z) in [(-0.04, -0.12), (0.04, -0.12), (-0.04, 0.12), (0.04, 0.12)] {
                parts.solid(Cylinder::new(0.015, 0.24), color, at(x, 0.12, z));
            }
            parts.solid(
                Cuboid::new(0.5, 0.03, 0.1),
                Color::srgb(0.8, 0.5, 0.3),
                at(0.0, 0.015, 0.0)
                    .with_rotation(Quat::from_rotation_y(std::f32::consts::FRAC_PI_2)),
            );
        }
    }
}
