//! A skinned, stylised human figure with no animation clips (as Ready Player Me's
//! avatars come): a Mixamo-named skeleton in a T-pose facing +Z, a body with clothes
//! in the given colours, hair, eyeballs on eye bones, and a head whose morph targets
//! carry ARKit's face shapes and the 15 Oculus visemes.
//!
//! | mesh | skinned to | material | morph targets |
//! | --- | --- | --- | --- |
//! | `Body` | spine, neck, arms, fingers, legs (two joints blended at each bend) | `Body` (vertex colours) | none |
//! | `Head` | `Head` | `Body` (vertex colours) | [`TARGET_NAMES`] |
//! | `Hair` | `Head` | `Hair` | none |
//! | `Eyes` | `LeftEye`, `RightEye` | `Eyes` (glossy, vertex colours) | none |

mod body;
mod face;
mod skeleton;

pub use body::Outfit;
pub use face::FaceParams;
pub use skeleton::{Proportions, Skeleton};

use crate::colour::Rgb;
use crate::geometry::Geometry;
use crate::glb::{Document, Material, Node, Primitive};
use crate::math::Vec3;

use face::FaceColours;

/// A young child's look: a yellow T-shirt, blue shorts, red shoes, a dark bob.
pub fn child_outfit() -> Outfit {
    Outfit {
        skin: Rgb::hex(0xf3cfb3),
        hair: Rgb::hex(0x3b2a22),
        top: Rgb::hex(0xf6d66b),
        bottom: Rgb::hex(0x5a84c8),
        shoes: Rgb::hex(0xd9534f),
        iris: Rgb::hex(0x5b3a24),
        sleeves: 0.3,
        trousers: 0.45,
        hair_length: 1.0,
        bun: false,
    }
}

/// An adult's look: a long-sleeved rose cardigan, grey trousers, dark shoes, hair
/// in a bun.
pub fn adult_outfit() -> Outfit {
    Outfit {
        skin: Rgb::hex(0xe8b896),
        hair: Rgb::hex(0x2a1d18),
        top: Rgb::hex(0xc97b84),
        bottom: Rgb::hex(0x5d6470),
        shoes: Rgb::hex(0x3a2c28),
        iris: Rgb::hex(0x4a2e1c),
        sleeves: 1.0,
        trousers: 1.0,
        hair_length: 0.3,
        bun: true,
    }
}

/// The names of the head's morph targets, in file order: 19 ARKit shapes, then the
/// 15 Oculus visemes.
pub fn target_names() -> Vec<&'static str> {
    face::targets().into_iter().map(|t| t.0).collect()
}

/// What [`humanoid_parts`] makes: the skeleton and each mesh's geometry, for tests
/// that look inside without reading the file back.
pub struct Parts {
    pub proportions: Proportions,
    pub skeleton: Skeleton,
    pub body: Geometry,
    pub head: Geometry,
    /// One list of POSITION deltas per entry of [`target_names`].
    pub head_targets: Vec<Vec<Vec3>>,
    pub hair: Geometry,
    pub eyes: Geometry,
}

/// The figure's skeleton and meshes, `height` metres tall to the top of its hair.
pub fn humanoid_parts(height: f32, outfit: &Outfit) -> Parts {
    let proportions = Proportions::new(height);
    let skeleton = Skeleton::new(&proportions);
    let colours = FaceColours {
        skin: outfit.skin,
        hair: outfit.hair,
    };
    let head_joint = skeleton.joint("Head");
    let head = face::head(&proportions, &colours, &FaceParams::default(), head_joint);
    let head_targets = face::targets()
        .iter()
        .map(|(_, params, from)| {
            let to = face::head(&proportions, &colours, params, head_joint);
            let base = face::head(&proportions, &colours, from, head_joint);
            to.positions
                .iter()
                .zip(&base.positions)
                .map(|(a, b)| {
                    let d = *a - *b;
                    // Sub-micrometre differences are rounding, not motion.
                    if d.length() < 1e-6 { Vec3::ZERO } else { d }
                })
                .collect()
        })
        .collect();
    Parts {
        body: body::body(&proportions, &skeleton, outfit),
        hair: body::hair(&proportions, &skeleton, outfit),
        eyes: body::eyes(&proportions, &skeleton, outfit),
        head,
        head_targets,
        proportions,
        skeleton,
    }
}

/// The figure as a binary glTF: `height` metres tall, dressed in `outfit`.
pub fn humanoid(height: f32, outfit: &Outfit) -> Vec<u8> {
    let parts = humanoid_parts(height, outfit);
    let s = &parts.skeleton;
    let mut doc = Document::new();
    // Joints first, so a bone's node index is its joint index.
    for (i, bone) in s.bones.iter().enumerate() {
        let local = s.local(i);
        doc.node(
            Node::empty(&bone.name)
                .at(local.translation)
                .turned(local.rotation),
        );
    }
    for (i, bone) in s.bones.iter().enumerate() {
        if let Some(parent) = bone.parent {
            doc.add_child(parent, i);
        }
    }
    let joints: Vec<usize> = (0..s.bones.len()).collect();
    let inverse_binds: Vec<[f32; 16]> = s
        .bones
        .iter()
        .map(|b| b.world().inverse().to_matrix())
        .collect();
    let skin = doc.skin("Armature", &joints, &inverse_binds, 0);

    let white = Rgb(1.0, 1.0, 1.0);
    let body_material = doc.material(Material::new("Body", white).roughness(0.75));
    let hair_material = doc.material(Material::new("Hair", outfit.hair).roughness(0.55));
    let eye_material = doc.material(Material::new("Eyes", white).roughness(0.15));
    let names = target_names();
    let meshes = [
        ("Body", &parts.body, body_material, &[][..], &[][..]),
        (
            "Head",
            &parts.head,
            body_material,
            &parts.head_targets[..],
            &names[..],
        ),
        ("Hair", &parts.hair, hair_material, &[][..], &[][..]),
        ("Eyes", &parts.eyes, eye_material, &[][..], &[][..]),
    ];
    let mut roots = vec![0];
    for (name, geometry, material, targets, target_names) in meshes {
        let mesh = doc.mesh(
            name,
            &[Primitive {
                geometry,
                material,
                targets,
            }],
            target_names,
        );
        let node = doc.node(Node::empty(name).with_mesh(mesh));
        doc.set_skin(node, skin);
        roots.push(node);
    }
    doc.finish("Humanoid", &roots)
}
