//! A living room, 5 m wide, 6 m deep and 2.6 m high, for a story's place: the
//! participant starts at the origin looking down −Z, with 4 m of room in front (the
//! floor there left clear for the story's own furniture) and the back wall 2 m behind.
//!
//! | node | what it is |
//! | --- | --- |
//! | `living_room` | floor (wood, a PNG texture), walls with a window in the front wall, ceiling, skirting, a rug, a bookshelf, a picture, a door, the ceiling lamp's shade |
//! | `ceiling_light` | `KHR_lights_punctual` point light, warm, under the ceiling above the rug |
//! | `reading_light` | `KHR_lights_punctual` spot light from the front left corner onto the floor by the bookshelf |

use crate::colour::Rgb;
use crate::geometry::Geometry;
use crate::glb::{Document, Light, Material};
use crate::math::{PI, Quat, rad, sin_cos, v3};
use crate::shapes::{Noise, cuboid, lathe, terrain};
use crate::textures::wood;

/// The room's inside: x from −2.5 to 2.5, z from −4 to 2, y from 0 to 2.6.
pub const ROOM_MIN: (f32, f32, f32) = (-2.5, 0.0, -4.0);
pub const ROOM_MAX: (f32, f32, f32) = (2.5, 2.6, 2.0);
/// The window opening in the front wall (x from, x to, y from, y to).
pub const WINDOW: (f32, f32, f32, f32) = (-0.8, 0.8, 0.9, 2.1);

const WALL: f32 = 0.12;

pub fn living_room() -> Vec<u8> {
    let (x0, _, z0) = ROOM_MIN;
    let (x1, h, z1) = ROOM_MAX;
    let mut doc = Document::new();
    let boards = doc.png_texture("floorboards", &wood(128).png());
    let floor_material = doc.material(
        Material::new("Floor", Rgb(1.0, 1.0, 1.0))
            .roughness(0.6)
            .textured(boards),
    );
    let paint = doc.material(Material::new("Walls", Rgb::hex(0xefe3d3)).roughness(0.95));
    let painted = doc.material(Material::new("Painted", Rgb(1.0, 1.0, 1.0)).roughness(0.7));
    let glow = doc.material(
        Material::new("LampShade", Rgb::hex(0xfff1dc))
            .roughness(0.9)
            .glowing(Rgb::hex(0xffe2b8), 1.0),
    );

    let floor = terrain((x0, x1), (z0, z1), (5, 6), |_, _| 0.0);

    // Walls: the back and sides whole, the front in four pieces round the window.
    let (wx0, wx1, wy0, wy1) = WINDOW;
    let mut walls = Geometry::default();
    let t = WALL;
    for (size, at) in [
        (v3(x1 - x0 + 2.0 * t, h, t), v3(0.0, h / 2.0, z1 + t / 2.0)),
        (
            v3(t, h, z1 - z0),
            v3(x0 - t / 2.0, h / 2.0, (z0 + z1) / 2.0),
        ),
        (
            v3(t, h, z1 - z0),
            v3(x1 + t / 2.0, h / 2.0, (z0 + z1) / 2.0),
        ),
        (
            v3(wx0 - x0 + t, h, t),
            v3((x0 - t + wx0) / 2.0, h / 2.0, z0 - t / 2.0),
        ),
        (
            v3(x1 + t - wx1, h, t),
            v3((wx1 + x1 + t) / 2.0, h / 2.0, z0 - t / 2.0),
        ),
        (v3(wx1 - wx0, wy0, t), v3(0.0, wy0 / 2.0, z0 - t / 2.0)),
        (
            v3(wx1 - wx0, h - wy1, t),
            v3(0.0, (wy1 + h) / 2.0, z0 - t / 2.0),
        ),
        (
            v3(x1 - x0 + 2.0 * t, t, z1 - z0 + 2.0 * t),
            v3(0.0, h + t / 2.0, (z0 + z1) / 2.0),
        ),
    ] {
        walls.append(cuboid(size, at));
    }

    let mut things = Geometry::default();
    let white = Rgb::hex(0xfaf7f2);
    // Skirting boards.
    for (size, at) in [
        (v3(x1 - x0, 0.1, 0.02), v3(0.0, 0.05, z1 - 0.01)),
        (v3(x1 - x0, 0.1, 0.02), v3(0.0, 0.05, z0 + 0.01)),
        (v3(0.02, 0.1, z1 - z0), v3(x0 + 0.01, 0.05, (z0 + z1) / 2.0)),
        (v3(0.02, 0.1, z1 - z0), v3(x1 - 0.01, 0.05, (z0 + z1) / 2.0)),
    ] {
        things.append(cuboid(size, at).without_uvs().coloured(white));
    }
    // The window's frame, sill and cross bars.
    let zf = z0 - t / 2.0;
    for (size, at) in [
        (
            v3(wx1 - wx0 + 0.12, 0.06, 0.16),
            v3(0.0, wy0 - 0.03, zf + 0.02),
        ),
        (
            v3(wx1 - wx0 + 0.12, 0.06, t + 0.02),
            v3(0.0, wy1 + 0.03, zf),
        ),
        (
            v3(0.06, wy1 - wy0, t + 0.02),
            v3(wx0 - 0.03, (wy0 + wy1) / 2.0, zf),
        ),
        (
            v3(0.06, wy1 - wy0, t + 0.02),
            v3(wx1 + 0.03, (wy0 + wy1) / 2.0, zf),
        ),
        (v3(0.04, wy1 - wy0, 0.04), v3(0.0, (wy0 + wy1) / 2.0, zf)),
        (
            v3(wx1 - wx0, 0.04, 0.04),
            v3(0.0, (wy0 + wy1) / 2.0 + 0.15, zf),
        ),
    ] {
        things.append(cuboid(size, at).without_uvs().coloured(white));
    }
    // A door in the right wall.
    things.append(
        cuboid(v3(0.04, 2.05, 0.9), v3(x1 - 0.02, 1.025, 0.9))
            .without_uvs()
            .coloured(Rgb::hex(0xb89a7c)),
    );
    things.append(
        cuboid(v3(0.05, 0.03, 0.12), v3(x1 - 0.05, 1.0, 0.55))
            .without_uvs()
            .coloured(Rgb::hex(0xc9a94f)),
    );
    things.append(bookshelf(v3(x0 + 0.2, 0.0, -2.6)));
    // A picture on the left wall: a frame and a soft landscape in two bands.
    let px = x0 + 0.015;
    things.append(
        cuboid(v3(0.03, 0.62, 0.82), v3(px, 1.6, -0.6))
            .without_uvs()
            .coloured(Rgb::hex(0x5a3a28)),
    );
    things.append(
        cuboid(v3(0.032, 0.26, 0.72), v3(px, 1.72, -0.6))
            .without_uvs()
            .coloured(Rgb::hex(0x9ec5e0)),
    );
    things.append(
        cuboid(v3(0.032, 0.26, 0.72), v3(px, 1.46, -0.6))
            .without_uvs()
            .coloured(Rgb::hex(0x8db37a)),
    );
    things.append(rug(v3(0.0, 0.0, -1.6)));

    // Bottom up, so the shade faces outwards.
    let shade = lathe(
        &[(0.0, -0.24), (0.2, -0.24), (0.22, -0.22), (0.05, 0.0)],
        16,
    )
    .without_uvs()
    .shifted(v3(0.0, h, -1.2));

    let (floor, walls) = (floor, walls.without_uvs());
    let root = doc.mesh_node(
        "living_room",
        &[
            (&floor, floor_material),
            (&walls, paint),
            (&things, painted),
            (&shade, glow),
        ],
    );
    let warm = Rgb::hex(0xffd9b0);
    let ceiling = doc.light(Light::Point {
        name: "ceiling_light".into(),
        colour: warm,
        candela: 3000.0,
        range: Some(12.0),
    });
    let ceiling_node = doc.light_node(
        "ceiling_light",
        ceiling,
        v3(0.0, h - 0.3, -1.2),
        Quat::IDENTITY,
    );
    let spot = doc.light(Light::Spot {
        name: "reading_light".into(),
        colour: Rgb::hex(0xfff0d8),
        candela: 2500.0,
        inner: rad(20.0),
        outer: rad(35.0),
    });
    let from = v3(x0 + 0.6, h - 0.1, z0 + 0.5);
    let onto = v3(x0 + 1.2, 0.0, -2.4);
    let spot_node = doc.light_node("reading_light", spot, from, Quat::looking(onto - from));
    doc.add_child(root, ceiling_node);
    doc.add_child(root, spot_node);
    doc.finish("living_room", &[root])
}

/// A low bookshelf against the left wall at `at` (its back-left-bottom corner side):
/// a frame of three shelves with rows of books in many colours.
fn bookshelf(at: crate::math::Vec3) -> Geometry {
    let wood = Rgb::hex(0x7a5236);
    let (depth, width, height) = (0.32, 1.2, 1.1);
    let centre_x = at.x + depth / 2.0;
    let mut g = Geometry::default();
    for (size, c) in [
        (
            v3(depth, height, 0.03),
            v3(centre_x, height / 2.0, at.z - width / 2.0),
        ),
        (
            v3(depth, height, 0.03),
            v3(centre_x, height / 2.0, at.z + width / 2.0),
        ),
        (v3(0.02, height, width), v3(at.x + 0.01, height / 2.0, at.z)),
    ] {
        g.append(cuboid(size, c).without_uvs().coloured(wood));
    }
    let shelves = [0.05, 0.4, 0.75, 1.08];
    for y in shelves {
        g.append(
            cuboid(v3(depth, 0.03, width), v3(centre_x, y, at.z))
                .without_uvs()
                .coloured(wood),
        );
    }
    let colours = [
        0x9c3d3d, 0x3d5c9c, 0xd8b04a, 0x4a7d5c, 0xe8dcc8, 0x6b4a7a, 0xc8704a,
    ];
    let mut noise = Noise::new(5);
    for y in &shelves[..3] {
        let mut z = at.z - width / 2.0 + 0.05;
        let mut k = 0;
        while z < at.z + width / 2.0 - 0.08 {
            let thick = noise.range(0.025, 0.05);
            let tall = noise.range(0.2, 0.29);
            let deep = noise.range(0.18, 0.24);
            let colour = Rgb::hex(colours[k % colours.len()]).times(noise.range(0.85, 1.1));
            g.append(
                cuboid(
                    v3(deep, tall, thick),
                    v3(
                        at.x + 0.03 + deep / 2.0,
                        y + 0.015 + tall / 2.0,
                        z + thick / 2.0,
                    ),
                )
                .without_uvs()
                .coloured(colour),
            );
            z += thick + 0.004;
            k += 1;
        }
    }
    g
}

/// An oval rug 2.8 × 2 m centred on `centre`, in soft concentric bands.
fn rug(centre: crate::math::Vec3) -> Geometry {
    let bands = [
        (0.0, 0xe9c9a8),
        (0.3, 0xe9c9a8),
        (0.42, 0xc7705a),
        (0.5, 0xe9c9a8),
        (0.78, 0xe9c9a8),
        (0.86, 0xa65a48),
        (0.96, 0xa65a48),
        (1.0, 0xd9b89a),
    ];
    let segments = 36;
    let mut g = Geometry::default();
    for &(r, colour) in &bands {
        for j in 0..=segments {
            let (s, c) = sin_cos(2.0 * PI * j as f32 / segments as f32);
            g.positions
                .push(centre + v3(1.4 * r * s, 0.006, 1.0 * r * c));
            g.colours.push(Rgb::hex(colour).linear4());
        }
    }
    let row = segments + 1;
    for i in 0..bands.len() as u32 - 1 {
        for j in 0..segments {
            let a = i * row + j;
            // Outwards then round: faces up.
            for t in [[a, a + row, a + row + 1], [a, a + row + 1, a + 1]] {
                let [p, q, r] = t.map(|k| g.positions[k as usize]);
                if (q - p).cross(r - p).length() > 1e-9 {
                    g.indices.extend(t);
                }
            }
        }
    }
    g.normals = vec![crate::math::Vec3::Y; g.positions.len()];
    g
}
