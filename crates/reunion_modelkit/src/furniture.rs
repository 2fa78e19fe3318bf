//! Furniture, in real metres with the origin at the centre of the base and the front
//! facing +Z: a table whose top is at 0.74 m, a chair, a sofa, and the same chair
//! exported a hundred times too big (a centimetre export, for the checker's scale
//! warning).

use crate::colour::Rgb;
use crate::geometry::Geometry;
use crate::glb::{Document, Material};
use crate::math::{Vec3, v3};
use crate::shapes::{cuboid, cylinder, lathe, rounded_box};
use crate::textures::wood;

/// The height of the table's top surface, where things put on it rest.
pub const TABLE_TOP: f32 = 0.74;
/// The height of the chair's seat.
pub const CHAIR_SEAT: f32 = 0.46;

/// A legged table, 1.2 × 0.75 m, its top at [`TABLE_TOP`]: a wooden top (the
/// floorboards' texture, darker) on an apron and four turned legs.
pub fn table() -> Vec<u8> {
    let mut doc = Document::new();
    let grain = doc.png_texture("wood", &wood(128).png());
    let top_wood = doc.material(
        Material::new("TableTop", Rgb::hex(0xb07850))
            .roughness(0.45)
            .textured(grain),
    );
    let frame_wood = doc.material(Material::new("TableFrame", Rgb::hex(0x7a4e30)).roughness(0.6));
    let top = rounded_box(
        v3(1.2, 0.04, 0.75),
        0.012,
        2,
        v3(0.0, TABLE_TOP - 0.02, 0.0),
    );
    let mut frame = Geometry::default();
    for (size, at) in [
        (v3(1.04, 0.08, 0.02), v3(0.0, 0.66, 0.29)),
        (v3(1.04, 0.08, 0.02), v3(0.0, 0.66, -0.29)),
        (v3(0.02, 0.08, 0.56), v3(0.51, 0.66, 0.0)),
        (v3(0.02, 0.08, 0.56), v3(-0.51, 0.66, 0.0)),
    ] {
        frame.append(cuboid(size, at));
    }
    for (x, z) in [(0.52, 0.3), (-0.52, 0.3), (0.52, -0.3), (-0.52, -0.3)] {
        let leg = lathe(
            &[
                (0.0, 0.0),
                (0.018, 0.0),
                (0.022, 0.04),
                (0.026, 0.45),
                (0.03, 0.6),
                (0.03, 0.7),
                (0.0, 0.7),
            ],
            10,
        );
        frame.append(leg.shifted(v3(x, 0.0, z)));
    }
    let frame = frame.without_uvs();
    let root = doc.mesh_node("table", &[(&top, top_wood), (&frame, frame_wood)]);
    doc.finish("table", &[root])
}

/// The chair's parts, in metres, multiplied by `scale`.
fn chair_geometry(scale: f32) -> Geometry {
    let mut g = Geometry::default();
    g.append(rounded_box(
        v3(0.44, 0.04, 0.42),
        0.01,
        2,
        v3(0.0, CHAIR_SEAT - 0.02, 0.0),
    ));
    for (x, z) in [(0.19, 0.18), (-0.19, 0.18)] {
        g.append(cylinder(0.017, 0.019, CHAIR_SEAT - 0.04, 8, v3(x, 0.0, z)));
    }
    // The back legs run on up as the back's posts.
    for x in [0.19, -0.19] {
        g.append(cylinder(0.017, 0.017, 0.92, 8, v3(x, 0.0, -0.18)));
    }
    g.append(rounded_box(
        v3(0.42, 0.07, 0.025),
        0.008,
        2,
        v3(0.0, 0.86, -0.18),
    ));
    g.append(rounded_box(
        v3(0.42, 0.05, 0.02),
        0.006,
        2,
        v3(0.0, 0.66, -0.18),
    ));
    for x in [-0.08, 0.0, 0.08] {
        g.append(cuboid(v3(0.025, 0.16, 0.015), v3(x, 0.76, -0.18)));
    }
    for p in &mut g.positions {
        *p = *p * scale;
    }
    g
}

/// A wooden dining chair, its seat at [`CHAIR_SEAT`], its back 0.92 m high.
pub fn chair() -> Vec<u8> {
    chair_at_scale(1.0)
}

/// The same chair with every coordinate in centimetres (92 "metres" tall), as an
/// exporter set to the wrong unit writes it.
pub fn chair_centimetres() -> Vec<u8> {
    chair_at_scale(100.0)
}

fn chair_at_scale(scale: f32) -> Vec<u8> {
    let mut doc = Document::new();
    let wood = doc.material(Material::new("ChairWood", Rgb::hex(0x8a5a3a)).roughness(0.55));
    let g = chair_geometry(scale).without_uvs();
    let root = doc.mesh_node("chair", &[(&g, wood)]);
    doc.finish("chair", &[root])
}

/// A three-seat sofa, 1.9 × 0.85 m, seat 0.44 m, back 0.86 m: a base, three seat and
/// three back cushions, two arms, and short dark feet.
pub fn sofa() -> Vec<u8> {
    let mut doc = Document::new();
    let fabric = doc.material(Material::new("SofaFabric", Rgb::hex(0x7f9c86)).roughness(0.95));
    let cushion = doc.material(Material::new("SofaCushion", Rgb::hex(0x91ad97)).roughness(0.95));
    let feet = doc.material(Material::new("SofaFeet", Rgb::hex(0x3b2a22)).roughness(0.5));
    let mut body = Geometry::default();
    body.append(rounded_box(
        v3(1.9, 0.26, 0.85),
        0.05,
        2,
        v3(0.0, 0.21, 0.0),
    ));
    body.append(rounded_box(
        v3(1.9, 0.5, 0.2),
        0.06,
        2,
        v3(0.0, 0.55, -0.325),
    ));
    for x in [0.86, -0.86] {
        body.append(rounded_box(v3(0.18, 0.3, 0.85), 0.07, 2, v3(x, 0.47, 0.0)));
    }
    let mut cushions = Geometry::default();
    for x in [-0.51, 0.0, 0.51] {
        cushions.append(rounded_box(v3(0.5, 0.12, 0.62), 0.05, 2, v3(x, 0.39, 0.08)));
        cushions.append(
            rounded_box(v3(0.5, 0.42, 0.14), 0.06, 2, v3(x, 0.63, -0.18)).moved(&tilt_back(x)),
        );
    }
    let mut legs = Geometry::default();
    for (x, z) in [(0.88, 0.36), (-0.88, 0.36), (0.88, -0.36), (-0.88, -0.36)] {
        legs.append(cylinder(0.022, 0.028, 0.08, 8, v3(x, 0.0, z)));
    }
    let (body, cushions, legs) = (
        body.without_uvs(),
        cushions.without_uvs(),
        legs.without_uvs(),
    );
    let root = doc.mesh_node(
        "sofa",
        &[(&body, fabric), (&cushions, cushion), (&legs, feet)],
    );
    doc.finish("sofa", &[root])
}

/// A back cushion leans back 10° about its own bottom edge at `x`.
fn tilt_back(x: f32) -> crate::math::Rigid {
    let pivot = v3(x, 0.42, -0.18);
    let rotation = crate::math::Quat::from_axis_angle(Vec3::X, -10.0);
    crate::math::Rigid {
        rotation,
        translation: pivot - rotation.rotate(pivot),
    }
}
