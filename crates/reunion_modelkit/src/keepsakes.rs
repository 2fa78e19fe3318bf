//! Small things that matter, in real metres with the origin at the centre of the base:
//! a vase with three sockets for flowers at its mouth, a rose to put in it, a photo
//! frame with a socket for the photo, the photo itself (a printed picture), and a
//! sealed letter.
//!
//! Sockets are empties named `socket_*`, children of the model's root node: a thing
//! snapped to one puts its own origin at the socket and turns with it.

use crate::colour::Rgb;
use crate::geometry::Geometry;
use crate::glb::{Document, Material, Node};
use crate::math::{Quat, Rigid, Vec3, rad, sin_cos, v3};
use crate::shapes::{cuboid, cylinder, ellipsoid, lathe};
use crate::textures::photo as photo_picture;

/// The height of the vase's rim.
pub const VASE_HEIGHT: f32 = 0.3;
/// The rose's length, stem end to the top of the bloom.
pub const ROSE_LENGTH: f32 = 0.43;

/// A glazed vase 0.3 m tall: a round belly, a narrow neck and a lip, hollow down the
/// neck; `socket_1`..`socket_3` stand just inside the mouth, each leaning 10° out.
pub fn vase() -> Vec<u8> {
    let mut doc = Document::new();
    let glaze = doc.material(Material::new("Glaze", Rgb::hex(0x6f9fc8)).roughness(0.22));
    let profile = [
        (0.0, 0.0),
        (0.055, 0.0),
        (0.07, 0.02),
        (0.085, 0.08),
        (0.08, 0.14),
        (0.05, 0.21),
        (0.036, 0.25),
        (0.04, 0.285),
        (0.047, VASE_HEIGHT),
        (0.04, VASE_HEIGHT),
        (0.03, 0.27),
        (0.028, 0.2),
        (0.0, 0.2),
    ];
    let body = lathe(&profile, 20).without_uvs();
    let root = doc.mesh_node("vase", &[(&body, glaze)]);
    for (i, deg) in [0.0f32, 120.0, 240.0].into_iter().enumerate() {
        let (s, c) = sin_cos(rad(deg));
        let out = v3(s, 0.0, c);
        let socket = doc.node(
            Node::empty(&format!("socket_{}", i + 1))
                .at(v3(0.0, VASE_HEIGHT - 0.02, 0.0) + out * 0.012)
                .turned(Quat::from_axis_angle(Vec3::Y.cross(out), 10.0)),
        );
        doc.add_child(root, socket);
    }
    doc.finish("vase", &[root])
}

/// A red rose: a 0.38 m stem with two leaves and a bloom of eight petals round a bud,
/// about 7 cm across. The origin is the stem's cut end.
pub fn rose() -> Vec<u8> {
    let mut doc = Document::new();
    let green = doc.material(Material::new("Stem", Rgb::hex(0x3f7a3a)).roughness(0.6));
    let red = doc.material(Material::new("Petals", Rgb::hex(0xc8283c)).roughness(0.5));
    let stem_top = 0.38;
    let mut stem = cylinder(0.0035, 0.003, stem_top, 6, Vec3::ZERO).without_uvs();
    for (y, turn) in [(0.15, 30.0), (0.24, 200.0)] {
        let leaf = ellipsoid(v3(0.012, 0.0025, 0.026), v3(0.0, 0.0, 0.026), 4, 8)
            .without_uvs()
            .moved(&Rigid {
                rotation: Quat::from_axis_angle(Vec3::Y, turn)
                    .after(Quat::from_axis_angle(Vec3::X, -35.0)),
                translation: v3(0.0, y, 0.0),
            });
        stem.append(leaf);
    }
    stem.append(cylinder(0.004, 0.014, 0.015, 8, v3(0.0, stem_top, 0.0)).without_uvs());
    let centre = v3(0.0, stem_top + 0.018, 0.0);
    let mut bloom =
        ellipsoid(v3(0.013, 0.02, 0.013), centre + v3(0.0, 0.006, 0.0), 6, 8).without_uvs();
    for (count, size, rise, out, turn0) in
        [(3, 0.018, 62.0, 0.006, 0.0), (5, 0.026, 32.0, 0.01, 36.0)]
    {
        for k in 0..count {
            let turn = turn0 + 360.0 * k as f32 / count as f32;
            let petal = ellipsoid(v3(size * 0.8, 0.003, size), v3(0.0, 0.0, size * 0.8), 4, 8)
                .without_uvs()
                .moved(&Rigid {
                    rotation: Quat::from_axis_angle(Vec3::Y, turn)
                        .after(Quat::from_axis_angle(Vec3::X, -rise)),
                    translation: centre
                        + Quat::from_axis_angle(Vec3::Y, turn).rotate(v3(0.0, 0.0, out)),
                });
            bloom.append(petal);
        }
    }
    let root = doc.mesh_node("rose", &[(&stem, green), (&bloom, red)]);
    doc.finish("rose", &[root])
}

/// The tilt of the standing frame: 12° back from upright.
fn frame_tilt() -> Quat {
    Quat::from_axis_angle(Vec3::X, -12.0)
}

/// A box from `a` to `b`, `w` wide (along X) and `t` thick.
fn beam(a: Vec3, b: Vec3, w: f32, t: f32) -> Geometry {
    let y = (b - a).normalize();
    let x = Vec3::X;
    let z = x.cross(y).normalize();
    let rotation = Quat::from_axes(y.cross(z), y, z);
    cuboid(v3(w, (b - a).length(), t), Vec3::ZERO).moved(&Rigid {
        rotation,
        translation: (a + b) * 0.5,
    })
}

/// A standing photo frame, 0.18 × 0.23 m, leaning back on a strut. `socket_photo`
/// is the middle of its opening, turned so that a photo lying face up (see [`photo`])
/// stands in the frame facing out.
pub fn photo_frame() -> Vec<u8> {
    let mut doc = Document::new();
    let wood = doc.material(Material::new("FrameWood", Rgb::hex(0x5a3a28)).roughness(0.4));
    let mat = doc.material(Material::new("Mat", Rgb::hex(0xf2ead8)).roughness(0.9));
    let (w, h, b) = (0.18, 0.23, 0.025);
    let mut frame = Geometry::default();
    for (size, at) in [
        (v3(w, b, 0.02), v3(0.0, b / 2.0, 0.0)),
        (v3(w, b, 0.02), v3(0.0, h - b / 2.0, 0.0)),
        (
            v3(b, h - 2.0 * b, 0.02),
            v3(w / 2.0 - b / 2.0, h / 2.0, 0.0),
        ),
        (
            v3(b, h - 2.0 * b, 0.02),
            v3(-w / 2.0 + b / 2.0, h / 2.0, 0.0),
        ),
    ] {
        frame.append(cuboid(size, at));
    }
    let backing = cuboid(v3(w - 0.01, h - 0.01, 0.004), v3(0.0, h / 2.0, -0.006));
    let tilt = Rigid {
        rotation: frame_tilt(),
        translation: v3(0.0, 0.0025, 0.0),
    };
    let mut frame = frame.moved(&tilt);
    frame.append(beam(
        tilt.apply(v3(0.0, 0.15, -0.01)),
        v3(0.0, 0.0, -0.085),
        0.03,
        0.006,
    ));
    let (frame, backing) = (frame.without_uvs(), backing.moved(&tilt).without_uvs());
    let root = doc.mesh_node("photo_frame", &[(&frame, wood), (&backing, mat)]);
    let socket = doc.node(
        Node::empty("socket_photo")
            .at(tilt.apply(v3(0.0, h / 2.0, -0.004)))
            .turned(frame_tilt().after(Quat::from_axis_angle(Vec3::X, 90.0))),
    );
    doc.add_child(root, socket);
    doc.finish("photo_frame", &[root])
}

/// The photo's card: 10 × 15 cm.
pub const PHOTO_SIZE: (f32, f32) = (0.1, 0.15);

/// A photograph lying face up, 10 × 15 cm and 1.5 mm thick: the picture (an embedded
/// PNG) on top, its top edge towards −Z, a plain white card under it.
pub fn photo() -> Vec<u8> {
    let mut doc = Document::new();
    let picture = doc.png_texture(
        "photo",
        &photo_picture(128, 256, PHOTO_SIZE.0 / PHOTO_SIZE.1).png(),
    );
    let print = doc.material(
        Material::new("Print", Rgb(1.0, 1.0, 1.0))
            .roughness(0.35)
            .textured(picture),
    );
    let card = doc.material(Material::new("Card", Rgb::hex(0xf7f4ee)).roughness(0.8));
    let (w, d) = PHOTO_SIZE;
    let thick = 0.0015;
    let body = cuboid(v3(w, thick, d), v3(0.0, thick / 2.0, 0.0)).without_uvs();
    let y = thick + 0.0002;
    let face = Geometry {
        positions: vec![
            v3(-w / 2.0, y, -d / 2.0),
            v3(-w / 2.0, y, d / 2.0),
            v3(w / 2.0, y, d / 2.0),
            v3(w / 2.0, y, -d / 2.0),
        ],
        normals: vec![Vec3::Y; 4],
        uvs: vec![[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]],
        indices: vec![0, 1, 2, 0, 2, 3],
        ..Geometry::default()
    };
    let root = doc.mesh_node("photo", &[(&face, print), (&body, card)]);
    doc.finish("photo", &[root])
}

/// A sealed envelope lying flat, 22 × 11 cm: cream paper, its flap and a red wax seal
/// on top.
pub fn letter() -> Vec<u8> {
    let mut doc = Document::new();
    let paper = doc.material(Material::new("Paper", Rgb::hex(0xf3ead8)).roughness(0.85));
    let flap_paper = doc.material(Material::new("Flap", Rgb::hex(0xe6dbc4)).roughness(0.85));
    let wax = doc.material(Material::new("Wax", Rgb::hex(0xa3202a)).roughness(0.3));
    let (w, d, t) = (0.22, 0.11, 0.003);
    let envelope = cuboid(v3(w, t, d), v3(0.0, t / 2.0, 0.0)).without_uvs();
    let y = t + 0.0002;
    // Counter-clockwise seen from above.
    let flap = Geometry {
        positions: vec![
            v3(-w / 2.0, y, -d / 2.0),
            v3(0.0, y, 0.012),
            v3(w / 2.0, y, -d / 2.0),
        ],
        normals: vec![Vec3::Y; 3],
        indices: vec![0, 1, 2],
        ..Geometry::default()
    };
    let seal = cylinder(0.011, 0.011, 0.002, 12, v3(0.0, y, 0.004)).without_uvs();
    let root = doc.mesh_node(
        "letter",
        &[(&envelope, paper), (&flap, flap_paper), (&seal, wax)],
    );
    doc.finish("letter", &[root])
}
