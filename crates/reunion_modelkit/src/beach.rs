//! A beach at the end of the day, for a story's place: the participant starts at the
//! origin on dry sand looking down −Z to the sea, whose edge is 8 m ahead; the water
//! reaches the horizon. Dunes rise behind.
//!
//! | node | what it is |
//! | --- | --- |
//! | `beach` | sand (dry, wet at the waterline, dunes behind), the sea to 900 m, a line of foam, six rocks, a driftwood log, the low sun's disc |
//! | `sun` | `KHR_lights_punctual` directional light (the disc glows through `KHR_materials_emissive_strength`), warm, 16° above the sea ahead and a little to the right |

use crate::colour::Rgb;
use crate::geometry::{Geometry, only};
use crate::glb::{Document, Light, Material};
use crate::math::{Quat, Vec3, lerp, rad, sin_cos, smoothstep, v3};
use crate::shapes::{Noise, Ring, ellipsoid, rock, terrain_on, tube};

/// Where the water meets the sand, on the z axis.
pub const SHORE_Z: f32 = -8.0;
/// The sun's height above the horizon and its bearing right of straight ahead, degrees.
pub const SUN: (f32, f32) = (16.0, 20.0);

/// The sand's height at (x, z): a gentle rise from the water, ripples, dunes behind.
pub fn sand_height(x: f32, z: f32) -> f32 {
    let rise = 0.02 * (z - SHORE_Z);
    let (a, _) = sin_cos(0.21 * x + 1.3);
    let (b, _) = sin_cos(0.13 * x - 0.4);
    let dunes = smoothstep(10.0, 32.0, z) * (1.2 + 0.5 * a + 0.3 * b);
    let (r1, _) = sin_cos(0.9 * x + 0.4 * z);
    let (r2, _) = sin_cos(0.7 * z);
    let ripples = 0.02 * r1 * r2 * smoothstep(SHORE_Z, SHORE_Z + 3.0, z);
    rise + dunes + ripples
}

/// The unit vector towards the sun.
pub fn sun_direction() -> Vec3 {
    let (se, ce) = sin_cos(rad(SUN.0));
    let (sa, ca) = sin_cos(rad(SUN.1));
    v3(sa * ce, se, -ca * ce)
}

pub fn beach() -> Vec<u8> {
    let mut doc = Document::new();
    let sand_material = doc.material(Material::new("Sand", Rgb(1.0, 1.0, 1.0)).roughness(0.95));
    let sea_material = doc.material(Material::new("Sea", Rgb(1.0, 1.0, 1.0)).roughness(0.3));
    let rock_material = doc.material(Material::new("Rock", Rgb(1.0, 1.0, 1.0)).roughness(0.85));
    let sun_material = doc
        .material(Material::new("SunDisc", Rgb::hex(0x000000)).glowing(Rgb::hex(0xfff2d8), 2000.0));

    let sand = sand();
    let sea = sea();
    let mut rocks = Geometry::default();
    let mut noise = Noise::new(23);
    for (i, (x, z, r)) in [
        (-6.5, -5.0, v3(0.9, 0.6, 0.8)),
        (-7.6, -4.2, v3(0.5, 0.35, 0.45)),
        (-5.6, -3.9, v3(0.3, 0.2, 0.3)),
        (9.0, -10.5, v3(1.4, 1.0, 1.2)),
        (10.6, -9.4, v3(0.7, 0.5, 0.6)),
        (6.0, 7.0, v3(0.6, 0.4, 0.5)),
    ]
    .into_iter()
    .enumerate()
    {
        let grey = Rgb::hex(0x7d766e).times(noise.range(0.8, 1.15));
        rocks.append(rock(r, v3(x, sand_height(x, z), z), i as u32 + 1).coloured(grey));
    }
    rocks.append(driftwood());
    let disc = ellipsoid(v3(14.0, 14.0, 14.0), sun_direction() * 700.0, 8, 12).without_uvs();
    let root = doc.mesh_node(
        "beach",
        &[
            (&sand, sand_material),
            (&sea, sea_material),
            (&rocks, rock_material),
            (&disc, sun_material),
        ],
    );
    let sun = doc.light(Light::Directional {
        name: "sun".into(),
        colour: Rgb::hex(0xffeedb),
        lux: 6000.0,
    });
    let sun_node = doc.light_node(
        "sun",
        sun,
        sun_direction() * 50.0,
        Quat::looking(-sun_direction()),
    );
    doc.add_child(root, sun_node);
    doc.finish("beach", &[root])
}

/// Grid lines, fine near the start and the shore, coarse towards the horizon.
fn lines(near: &[f32], far: &[f32]) -> Vec<f32> {
    let mut v: Vec<f32> = far.iter().copied().filter(|x| *x < near[0]).collect();
    v.extend_from_slice(near);
    v.extend(far.iter().copied().filter(|x| *x > near[near.len() - 1]));
    v
}

fn sand() -> Geometry {
    let near_x: Vec<f32> = (0..=24).map(|i| -24.0 + 2.0 * i as f32).collect();
    let xs = lines(
        &near_x,
        &[
            -150.0, -90.0, -60.0, -40.0, -30.0, 30.0, 40.0, 60.0, 90.0, 150.0,
        ],
    );
    let near_z: Vec<f32> = (0..=24).map(|i| -12.0 + i as f32).collect();
    let zs = lines(
        &near_z,
        &[-16.0, 14.0, 17.0, 20.0, 25.0, 30.0, 40.0, 60.0, 90.0, 150.0],
    );
    let mut g = terrain_on(&xs, &zs, sand_height).without_uvs();
    let dry = Rgb::hex(0xeee2c6);
    let wet = Rgb::hex(0xbfae8e);
    let mut noise = Noise::new(41);
    g.colours = g
        .positions
        .iter()
        .map(|p| {
            let wetness = 1.0 - smoothstep(0.0, 0.14, p.y);
            dry.mix(wet, wetness)
                .times(noise.range(0.96, 1.04))
                .linear4()
        })
        .collect();
    g
}

fn sea() -> Geometry {
    let xs = [
        -900.0, -300.0, -120.0, -40.0, -15.0, 0.0, 15.0, 40.0, 120.0, 300.0, 900.0,
    ];
    let zs = [
        -900.0, -400.0, -150.0, -60.0, -30.0, -18.0, -12.0, -9.0, -6.0,
    ];
    let mut g = terrain_on(&xs, &zs, |_, _| 0.0).without_uvs();
    let shallow = Rgb::hex(0x7cc8c2);
    let deep = Rgb::hex(0x3c86b4);
    let haze = Rgb::hex(0xa6c6da);
    g.colours = g
        .positions
        .iter()
        .map(|p| {
            let d = -p.z;
            let c = shallow.mix(deep, smoothstep(8.0, 40.0, d));
            c.mix(haze, smoothstep(150.0, 900.0, d)).linear4()
        })
        .collect();
    g.append(foam());
    g
}

/// The line of foam where the water meets the sand: white in the middle, fading to
/// the water's colour on one side and the wet sand's on the other.
fn foam() -> Geometry {
    let mut g = Geometry::default();
    let columns = 151;
    let rows = [
        (-0.35, Rgb::hex(0x7cc8c2)),
        (0.0, Rgb::hex(0xf6f3ea)),
        (0.3, Rgb::hex(0xbfae8e)),
    ];
    for &(dz, colour) in &rows {
        for i in 0..columns {
            let x = -150.0 + 300.0 * i as f32 / (columns - 1) as f32;
            let (a, _) = sin_cos(0.5 * x);
            let (b, _) = sin_cos(1.3 * x + 1.0);
            let z = SHORE_Z + 0.35 * a + 0.2 * b + dz;
            g.positions.push(v3(x, 0.012 + 0.004 * (dz + 0.35), z));
            g.colours.push(colour.linear4());
        }
    }
    let row = columns as u32;
    for j in 0..rows.len() as u32 - 1 {
        for i in 0..row - 1 {
            let a = j * row + i;
            g.indices
                .extend([a, a + row, a + row + 1, a, a + row + 1, a + 1]);
        }
    }
    g.normals = vec![Vec3::Y; g.positions.len()];
    g
}

/// A bleached log lying on the sand to the right ahead, bent a little, with a stub.
fn driftwood() -> Geometry {
    let colour = Rgb::hex(0xa89f91);
    let path = |t: f32| {
        let x = lerp(1.3, 3.6, t);
        let z = lerp(-2.0, -3.5, t) + 0.3 * t * (1.0 - t);
        v3(x, 0.0, z)
    };
    let radius = |t: f32| lerp(0.13, 0.075, t);
    let mut rings = Vec::new();
    for k in 0..=8 {
        let t = k as f32 / 8.0;
        let at = path(t);
        let along = (path((t + 0.05).min(1.0)) - path((t - 0.05).max(0.0))).normalize();
        let r = radius(t) * if k == 0 || k == 8 { 0.6 } else { 1.0 };
        let ground = sand_height(at.x, at.z);
        rings.push(Ring {
            centre: v3(at.x, ground + radius(t) * 0.75, at.z),
            u: Vec3::Y,
            v: along.cross(Vec3::Y),
            radius_u: r,
            radius_v: r,
            colour: colour.linear4(),
            influence: only(0),
        });
    }
    let mut g = tube(&rings, 9);
    let base = path(0.4);
    let stub_from = v3(base.x, sand_height(base.x, base.z) + 0.12, base.z);
    let stub_dir = v3(0.25, 0.55, 0.8).normalize();
    let stub: Vec<Ring> = (0..=2)
        .map(|k| {
            let u = (Vec3::Y - stub_dir * stub_dir.y).normalize();
            Ring {
                centre: stub_from + stub_dir * (0.22 * k as f32),
                u,
                v: stub_dir.cross(u),
                radius_u: 0.045 * (1.0 - 0.3 * k as f32),
                radius_v: 0.045 * (1.0 - 0.3 * k as f32),
                colour: colour.times(0.95).linear4(),
                influence: only(0),
            }
        })
        .collect();
    g.append(tube(&stub, 7));
    g.influences.clear();
    g
}
