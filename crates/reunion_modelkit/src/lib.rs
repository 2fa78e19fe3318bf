//! The project's own glTF models, made by code: a skinned humanoid (a child and an
//! adult), furniture and keepsakes with sockets and clips, and two places with their
//! lights. Pure Rust (serde_json for the JSON, png for textures), so tests and the
//! example story never depend on a download, and every model is the same bytes on
//! every machine.
//!
//! `UPDATE_MODELS=1 cargo test -p reunion_modelkit` rewrites the committed files from
//! the code; without it, the test fails if a committed file differs from what the code
//! makes. The example story's models live in `assets/stories/farewell/models/`
//! ([`FAREWELL_MODELS`]); test-only variants in `crates/reunion_modelkit/tests/models/`
//! ([`TEST_MODELS`]).
//!
//! ## The models
//!
//! | file | what it is | nodes, sockets, clips, shapes | size (m) | triangles |
//! | --- | --- | --- | --- | --- |
//! | `humanoid_adult.glb` | a 1.7 m woman: rose cardigan, grey trousers, hair in a bun | Mixamo skeleton of 44 joints (`Hips` … `Head`, `LeftEye`/`RightEye`, `LeftShoulder`, `LeftArm`, `LeftForeArm`, `LeftHand`, `LeftHandThumb1`/`2`, `LeftHandIndex1`/`2` … `LeftHandPinky1`/`2`, `LeftUpLeg`, `LeftLeg`, `LeftFoot`, `LeftToeBase`, and `Right*`); meshes `Body`, `Head` (34 shapes: 19 ARKit, 15 visemes), `Hair`, `Eyes`; no clips | 1.8 × 1.7 × 0.32 (T-pose, fingertip to fingertip) | 8136 |
//! | `humanoid_child.glb` | a 1.2 m child: yellow T-shirt, blue shorts, red shoes, a bob; a bigger head for her height, shorter limbs | the same skeleton, meshes and shapes | 1.22 × 1.2 × 0.24 (T-pose) | 7968 |
//! | `table.glb` | a wooden table, its top textured with the floorboards' PNG | root `table` | 1.2 × 0.74 × 0.75, top at 0.74 | 748 |
//! | `chair.glb` | a dining chair | root `chair`; seat at 0.46 | 0.44 × 0.92 × 0.42 | 1064 |
//! | `sofa.glb` | a three-seat sofa in sage green | root `sofa`; seat at 0.45 | 1.9 × 0.84 × 0.85 | 3128 |
//! | `vase.glb` | a glazed blue vase, hollow at the neck | root `vase`; empties `socket_1`, `socket_2`, `socket_3` just inside the mouth, each leaning 10° out | 0.17 × 0.3 × 0.17 | 440 |
//! | `rose.glb` | a red rose: stem, two leaves, a bloom of eight petals | root `rose`; origin at the stem's cut end | 0.09 × 0.43 × 0.09 | 616 |
//! | `photo_frame.glb` | a standing wooden frame on a strut, leaning back 12° | root `photo_frame`; empty `socket_photo` mid-opening, turned so a photo lying face up stands in it facing out | 0.18 × 0.23 × 0.1 | 72 |
//! | `photo.glb` | a 10 × 15 cm print lying face up: a PNG picture (evening beach, two stick figures holding hands) on a white card | root `photo`; the picture's top towards −Z | 0.1 × 0.002 × 0.15 | 14 |
//! | `music_box.glb` | a wooden music box with a mirror in its lid and a dancer inside | root `music_box`, `lid` (hinged at the back top edge), `dancer`; clips `open` (1.5 s: lid 0 → 105°, dancer rises), `close` (1.5 s), `play` (4 s, the dancer turns once) | 0.16 × 0.09 × 0.11 shut | 1212 |
//! | `letter.glb` | a sealed cream envelope with a red wax seal | root `letter` | 0.22 × 0.005 × 0.11 | 61 |
//! | `living_room.glb` | a living room: textured wooden floor, walls, a window in the front wall, ceiling, skirting, an oval rug, a bookshelf, a picture, a door, a glowing lamp shade | root `living_room`; lights `ceiling_light` (point, 3000 cd, warm) and `reading_light` (spot, 2500 cd); the participant starts at the origin with 4 m clear ahead | 5 × 2.6 × 6 inside (x −2.5…2.5, z −4…2) | 1916 |
//! | `beach.glb` | a beach at the day's end: dry and wet sand, dunes behind, the sea to the horizon, foam, six rocks, driftwood, the sun's disc | root `beach`; light `sun` (directional, 6000 lx, 16° up, 20° right of ahead); the water's edge 8 m ahead | sand 300 × 166, sea to 900 m ahead; the sun's disc 700 m away (in the bounds) | 3984 |
//! | `chair_centimetres.glb` | (test only) the chair written in centimetres, as a wrong-unit export | root `chair` | 44 × 92 × 42 (100× too big) | 1064 |
//!
//! ## Conventions
//!
//! - Metres, +Y up. Props' origin is the centre of their base (a thing put down rests
//!   on its origin); their front faces +Z. glTF characters face +Z, so the figures do,
//!   with their left hand at +X.
//! - The humanoid: a T-pose (arms straight out along ±X, palms down), soles on y = 0,
//!   the hair's top at the height. Bones are named as Mixamo and Ready Player Me name
//!   them; each bone's local +Y runs along the bone to its tail and a roll about it sets
//!   X and Z (Blender's convention), so no rest rotation is the identity: the spine's
//!   local Z points backwards, the legs' +Y points down, the arms' and forearms' frames
//!   are rolled 20° and 45°. Inverse bind matrices are the inverses of the joints' rest
//!   transforms. Elbows, knees, wrists, shoulders, hips, the neck and the spine blend
//!   two joints over a few centimetres. No animation clips.
//! - The face: morph targets on the `Head` mesh only, POSITION deltas, sparse where
//!   that is smaller (as Blender writes them), named in the mesh's
//!   `extras.targetNames`, default `weights` all 0. ARKit names (19 shapes) and the 15
//!   Oculus visemes; `mouthClose` is, as in ARKit, measured on top of `jawOpen`.
//! - Sockets are empties named `socket_*`, children of the root; a thing snapped to one
//!   puts its origin there and takes its rotation.
//! - Places: the participant starts at the origin looking down −Z. Lights are
//!   `KHR_lights_punctual` (declared in `extensionsUsed`): point and spot intensities in
//!   candela, the sun in lux, chosen for Bevy's default exposure (the room's point light
//!   of 3000 cd is about the 40 000 lm the built-in room uses). The beach's sun disc glows
//!   2000 times its colour (`KHR_materials_emissive_strength`), enough to outshine
//!   the sky at Bevy's default exposure.
//! - Colours are written linear (`baseColorFactor`, `COLOR_0` as normalised bytes);
//!   textures are PNG images kept in the binary chunk.
//! - Validated with Khronos' glTF validator when they were made: no errors or
//!   warnings (the only infos: empties are empty, which sockets are).

pub mod beach;
pub mod colour;
pub mod furniture;
pub mod geometry;
pub mod glb;
pub mod humanoid;
pub mod json;
pub mod keepsakes;
pub mod living_room;
pub mod math;
pub mod music_box;
pub mod picture;
pub mod shapes;
pub mod textures;
pub mod vrm;

/// Where the example story's models are kept, from the workspace root.
pub const FAREWELL_MODELS: &str = "assets/stories/farewell/models";
/// Where test-only variants are kept, from the workspace root.
pub const TEST_MODELS: &str = "crates/reunion_modelkit/tests/models";

/// One model the kit makes and the repository keeps.
pub struct Model {
    /// The file's name.
    pub file: &'static str,
    /// The folder it is kept in, from the workspace root.
    pub folder: &'static str,
    /// Makes the file's bytes.
    pub make: fn() -> Vec<u8>,
}

/// The 1.7 m adult in her own clothes.
pub fn humanoid_adult() -> Vec<u8> {
    humanoid::humanoid(1.7, &humanoid::adult_outfit())
}

/// The 1.2 m child in her own clothes.
pub fn humanoid_child() -> Vec<u8> {
    humanoid::humanoid(1.2, &humanoid::child_outfit())
}

/// Every model, in the order of the table in the crate doc.
pub fn catalogue() -> Vec<Model> {
    let story = |file, make| Model {
        file,
        folder: FAREWELL_MODELS,
        make,
    };
    vec![
        story("humanoid_adult.glb", humanoid_adult),
        story("humanoid_child.glb", humanoid_child),
        story("table.glb", furniture::table),
        story("chair.glb", furniture::chair),
        story("sofa.glb", furniture::sofa),
        story("vase.glb", keepsakes::vase),
        story("rose.glb", keepsakes::rose),
        story("photo_frame.glb", keepsakes::photo_frame),
        story("photo.glb", keepsakes::photo),
        story("music_box.glb", music_box::music_box),
        story("letter.glb", keepsakes::letter),
        story("living_room.glb", living_room::living_room),
        story("beach.glb", beach::beach),
        Model {
            file: "chair_centimetres.glb",
            folder: TEST_MODELS,
            make: furniture::chair_centimetres,
        },
    ]
}
