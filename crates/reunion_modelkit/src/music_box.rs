//! A music box with a lid that opens and a dancer that rises and turns: the model
//! that carries animation clips.
//!
//! | node | what it is |
//! | --- | --- |
//! | `music_box` | the root: the box (0.16 × 0.07 × 0.11 m), velvet inside |
//! | `lid` | the lid, hinged along the box's back top edge |
//! | `dancer` | a small figure inside, hidden in the box when the lid is shut |
//!
//! | clip | length | channels |
//! | --- | --- | --- |
//! | `open` | 1.5 s | `lid` rotation 0 → 105° open, `dancer` translation up out of the box |
//! | `close` | 1.5 s | the reverse |
//! | `play` | 4 s | `dancer` rotation, one full turn (loops seamlessly) |

use crate::colour::Rgb;
use crate::geometry::Geometry;
use crate::glb::{Channel, Document, Material, Node, Primitive};
use crate::math::{Quat, Vec3, smoothstep, v3};
use crate::shapes::{cylinder, ellipsoid, lathe, rounded_box};

/// The box's size (width, height, depth).
pub const BOX_SIZE: (f32, f32, f32) = (0.16, 0.07, 0.11);
/// How far the lid opens, in degrees.
pub const LID_OPEN_DEGREES: f32 = 105.0;
/// How long opening and closing take.
pub const OPEN_SECONDS: f32 = 1.5;

/// The lid's rotation `t` of the way open (−X turns the front edge up).
fn lid_rotation(t: f32) -> Quat {
    Quat::from_axis_angle(Vec3::X, -LID_OPEN_DEGREES * t)
}

pub fn music_box() -> Vec<u8> {
    let (w, h, d) = BOX_SIZE;
    let mut doc = Document::new();
    let wood = doc.material(Material::new("BoxWood", Rgb::hex(0x8b4a3a)).roughness(0.35));
    let brass = doc.material(
        Material::new("Brass", Rgb::hex(0xd9b45a))
            .metallic(1.0)
            .roughness(0.3),
    );
    let velvet = doc.material(Material::new("Velvet", Rgb::hex(0x7a1f32)).roughness(1.0));
    let mirror = doc.material(
        Material::new("Mirror", Rgb::hex(0xdfe6ea))
            .metallic(1.0)
            .roughness(0.08),
    );
    let dress = doc.material(Material::new("Dress", Rgb::hex(0xf2b8c6)).roughness(0.6));

    // The box stands on four little brass feet.
    let foot = 0.003;
    let body = rounded_box(v3(w, h, d), 0.006, 2, v3(0.0, foot + h / 2.0, 0.0)).without_uvs();
    let mut trim = Geometry::default();
    for (x, z) in [
        (w / 2.0 - 0.012, d / 2.0 - 0.012),
        (-w / 2.0 + 0.012, d / 2.0 - 0.012),
        (w / 2.0 - 0.012, -d / 2.0 + 0.012),
        (-w / 2.0 + 0.012, -d / 2.0 + 0.012),
    ] {
        trim.append(cylinder(0.006, 0.006, foot + 0.001, 8, v3(x, 0.0, z)).without_uvs());
    }
    let top = foot + h;
    trim.append(
        rounded_box(
            v3(0.02, 0.012, 0.004),
            0.002,
            1,
            v3(0.0, top - 0.008, d / 2.0 + 0.001),
        )
        .without_uvs(),
    );
    let lining = rounded_box(
        v3(w - 0.02, 0.002, d - 0.02),
        0.0008,
        1,
        v3(0.0, top + 0.0005, 0.0),
    )
    .without_uvs();
    let root = doc.mesh_node(
        "music_box",
        &[(&body, wood), (&trim, brass), (&lining, velvet)],
    );

    // The lid hangs from its hinge: its node sits on the back top edge and the lid
    // reaches forwards from there.
    let lid_board = rounded_box(v3(w, 0.018, d), 0.005, 2, v3(0.0, 0.009, d / 2.0)).without_uvs();
    let glass = rounded_box(
        v3(w - 0.03, 0.001, d - 0.03),
        0.0004,
        1,
        v3(0.0, -0.0006, d / 2.0),
    )
    .without_uvs();
    let lid_mesh = doc.mesh(
        "lid",
        &[
            Primitive {
                geometry: &lid_board,
                material: wood,
                targets: &[],
            },
            Primitive {
                geometry: &glass,
                material: mirror,
                targets: &[],
            },
        ],
        &[],
    );
    let lid = doc.node(
        Node::empty("lid")
            .with_mesh(lid_mesh)
            .at(v3(0.0, top, -d / 2.0)),
    );
    doc.add_child(root, lid);

    // The dancer: a skirt, a body, a head, on a spindle. Shut in, she stands inside
    // the box; open, she rises until her feet are above the velvet.
    let mut figure = lathe(
        &[(0.0, 0.0), (0.014, 0.012), (0.004, 0.024), (0.0, 0.024)],
        12,
    )
    .without_uvs();
    figure.append(cylinder(0.004, 0.003, 0.018, 8, v3(0.0, 0.022, 0.0)).without_uvs());
    figure.append(ellipsoid(v3(0.005, 0.006, 0.005), v3(0.0, 0.045, 0.0), 6, 8).without_uvs());
    figure.append(cylinder(0.0015, 0.0015, 0.012, 6, v3(0.0, -0.012, 0.0)).without_uvs());
    let dancer_mesh = doc.mesh(
        "dancer",
        &[Primitive {
            geometry: &figure,
            material: dress,
            targets: &[],
        }],
        &[],
    );
    let down = v3(0.0, top - 0.055, 0.0);
    let up = v3(0.0, top + 0.002, 0.0);
    let dancer = doc.node(Node::empty("dancer").with_mesh(dancer_mesh).at(down));
    doc.add_child(root, dancer);

    // Eased opening, sampled so linear interpolation follows the ease.
    let steps = 8;
    let keys: Vec<f32> = (0..=steps)
        .map(|i| OPEN_SECONDS * i as f32 / steps as f32)
        .collect();
    let ease = |t: f32| smoothstep(0.0, OPEN_SECONDS, t);
    let rise = |t: f32| smoothstep(0.4 * OPEN_SECONDS, OPEN_SECONDS, t);
    doc.animation(
        "open",
        &[
            Channel::Rotation(
                lid,
                keys.iter().map(|&t| (t, lid_rotation(ease(t)))).collect(),
            ),
            Channel::Translation(
                dancer,
                keys.iter().map(|&t| (t, down.lerp(up, rise(t)))).collect(),
            ),
        ],
    );
    let fall = |t: f32| 1.0 - smoothstep(0.0, 0.6 * OPEN_SECONDS, t);
    doc.animation(
        "close",
        &[
            Channel::Rotation(
                lid,
                keys.iter()
                    .map(|&t| (t, lid_rotation(1.0 - ease(t))))
                    .collect(),
            ),
            Channel::Translation(
                dancer,
                keys.iter().map(|&t| (t, down.lerp(up, fall(t)))).collect(),
            ),
        ],
    );
    let turn: Vec<(f32, Quat)> = (0..=4)
        .map(|i| (i as f32, Quat::from_axis_angle(Vec3::Y, 90.0 * i as f32)))
        .collect();
    doc.animation("play", &[Channel::Rotation(dancer, turn)]);
    doc.finish("music_box", &[root])
}
