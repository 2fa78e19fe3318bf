//! Reading glTF models whole (`reunion_story::gltf::read_model`): the project's own test
//! model (`support/test_model.rs`), the same model as a `.gltf` with its buffer inline or
//! beside it, and byte-level broken variants of it, each of which must give the problem
//! an author needs to see, where it is, with the file named as the model writes it.

mod support;

use std::cell::RefCell;

use glam::Vec3;
use reunion_story::diagnostic::Severity;
use reunion_story::gltf::{
    ChannelPath, Container, GltfModel, LightKind, PrimitiveMode, Problem, ProblemKind, read_model,
};
use serde_json::{Value, json};
use support::test_model::{ALL_CLIPS, ALL_MORPHS, JOINTS, glb};

fn model_bytes() -> Vec<u8> {
    glb(&ALL_CLIPS, &ALL_MORPHS)
}

/// The test model's JSON with `nodes` in place of its skeleton and skinned box: one
/// scene of node 0, no skin, no animation.
fn with_nodes(json: &mut Value, nodes: Value) {
    json["nodes"] = nodes;
    json["scenes"] = json!([{ "nodes": [0] }]);
    json.as_object_mut().expect("an object").remove("skins");
    json["animations"] = json!([]);
}

/// The JSON and binary chunk of a GLB written by `support/test_model.rs`.
fn unpack(glb: &[u8]) -> (Value, Vec<u8>) {
    let u32_at =
        |at: usize| u32::from_le_bytes(glb[at..at + 4].try_into().expect("4 bytes")) as usize;
    let json_len = u32_at(12);
    let json = serde_json::from_slice(&glb[20..20 + json_len]).expect("JSON");
    let bin_len = u32_at(20 + json_len);
    let bin = glb[28 + json_len..28 + json_len + bin_len].to_vec();
    (json, bin)
}

/// A GLB of `json` and `bin`, padded as the specification asks.
fn pack(json: &Value, bin: &[u8]) -> Vec<u8> {
    let mut json = serde_json::to_vec(json).expect("JSON");
    while !json.len().is_multiple_of(4) {
        json.push(b' ');
    }
    let mut bin = bin.to_vec();
    while !bin.len().is_multiple_of(4) {
        bin.push(0);
    }
    let total = 12 + 8 + json.len() + 8 + bin.len();
    let mut out = b"glTF".to_vec();
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(b"JSON");
    out.extend_from_slice(&json);
    out.extend_from_slice(&(bin.len() as u32).to_le_bytes());
    out.extend_from_slice(b"BIN\0");
    out.extend_from_slice(&bin);
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn no_files(_: &str) -> Option<Vec<u8>> {
    None
}

fn read(bytes: &[u8]) -> GltfModel {
    read_model(bytes, &no_files).expect("a glTF 2.0 model")
}

/// The PNG signature and an `IHDR` chunk: all the checker reads of a PNG.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

/// The test model with one textured material whose image is the file `uri`.
fn with_image(uri: &str) -> Vec<u8> {
    let (mut json, bin) = unpack(&model_bytes());
    json["images"] = json!([{ "uri": uri }]);
    json["textures"] = json!([{ "source": 0 }]);
    json["materials"] = json!([{ "pbrMetallicRoughness": { "baseColorTexture": { "index": 0 } } }]);
    json["meshes"][0]["primitives"][0]["material"] = json!(0);
    pack(&json, &bin)
}

fn only<'a>(problems: &'a [Problem], kind: &ProblemKind) -> &'a Problem {
    let found: Vec<&Problem> = problems.iter().filter(|p| &p.kind == kind).collect();
    assert_eq!(found.len(), 1, "one {kind:?} among {problems:#?}");
    found[0]
}

#[test]
fn the_test_model_reads_whole() {
    let model = read(&model_bytes());
    assert!(model.problems.is_empty(), "{:#?}", model.problems);
    assert_eq!(model.container, Container::Glb);
    assert!(model.extensions.is_empty());
    assert!(model.vrm.is_none());
    // The skeleton's root and the skinned box.
    let mesh_node = JOINTS.len();
    assert_eq!(model.roots, [0, mesh_node]);
    assert_eq!(model.node_name(0), Some("Hips"));
    assert_eq!(model.node_name(mesh_node), Some("child"));
    assert_eq!(model.skins[0].joints, (0..JOINTS.len()).collect::<Vec<_>>());
    assert_eq!(model.skinned_node(0), Some(mesh_node));
    let hand = model.joint_by_name("LeftHand").expect("a left hand");
    let at = model.nodes[hand].world.transform_point3(Vec3::ZERO);
    assert!((at - Vec3::new(0.45, 0.84, 0.0)).length() < 1e-6, "{at}");
    assert_eq!(model.animation_names(), ALL_CLIPS);
    for clip in &model.animations {
        assert_eq!(clip.duration, 1.0, "{:?}", clip.name);
        assert_eq!(clip.channels.len(), 1);
        let (node, path) = if clip.name.as_deref() == Some("yawn") {
            (mesh_node, ChannelPath::Weights)
        } else {
            (0, ChannelPath::Rotation)
        };
        assert_eq!(clip.channels[0].node, Some(node), "{:?}", clip.name);
        assert_eq!(clip.channels[0].path, path, "{:?}", clip.name);
    }
    assert_eq!(model.morph_target_names(), ALL_MORPHS);
    let primitive = &model.meshes[0].primitives[0];
    assert_eq!(primitive.mode, PrimitiveMode::Triangles);
    assert_eq!((primitive.vertices, primitive.indices), (24, Some(36)));
    let m = model.measurements;
    assert_eq!(
        (m.triangles, m.draw_calls, m.vertices, m.mesh_instances),
        (12, 1, 24, 1)
    );
    let (lo, hi) = m.bounds.expect("bounds");
    assert!((lo - Vec3::new(-0.15, 0.0, -0.1)).length() < 1e-6, "{lo}");
    assert!((hi - Vec3::new(0.15, 1.1, 0.1)).length() < 1e-6, "{hi}");
    assert_eq!(m.texture_bytes, 0);
    assert!(model.empties().is_empty(), "the only node draws a mesh");
}

#[test]
fn the_same_model_as_gltf_reads_the_same_with_its_buffer_inline_or_beside_it() {
    let bytes = model_bytes();
    let from_glb = read(&bytes);
    let (mut json, bin) = unpack(&bytes);

    json["buffers"][0]["uri"] = json!(format!(
        "data:application/octet-stream;base64,{}",
        base64(&bin)
    ));
    let inline = read(&serde_json::to_vec(&json).expect("JSON"));
    assert!(inline.problems.is_empty(), "{:#?}", inline.problems);
    assert_eq!(inline.container, Container::Json);
    assert_eq!(inline.measurements, from_glb.measurements);
    assert_eq!(inline.animations, from_glb.animations);
    assert!(inline.external_uris.is_empty());

    json["buffers"][0]["uri"] = json!("child%20model.bin");
    let asked = RefCell::new(Vec::new());
    let files = |path: &str| {
        asked.borrow_mut().push(path.to_owned());
        (path == "child model.bin").then(|| bin.clone())
    };
    let beside = read_model(&serde_json::to_vec(&json).expect("JSON"), &files).expect("model");
    assert!(beside.problems.is_empty(), "{:#?}", beside.problems);
    assert_eq!(beside.measurements, from_glb.measurements);
    assert_eq!(beside.external_uris, ["child%20model.bin"]);
    assert_eq!(
        *asked.borrow(),
        ["child model.bin"],
        "the path is percent-decoded"
    );
}

#[test]
fn a_cut_glb_is_cut_short() {
    let bytes = model_bytes();
    for len in [0, 3, 11, 12, 40, bytes.len() / 2, bytes.len() - 1] {
        let e = read_model(&bytes[..len], &no_files).expect_err("a cut file");
        let expected = if len == 0 {
            ProblemKind::NotGltf
        } else {
            ProblemKind::CutShort
        };
        assert_eq!(e.kind, expected, "{len}: {e}");
        assert!(e.hint.is_some() || len == 0, "{e}");
    }
    let e = read_model(&bytes[..bytes.len() / 2], &no_files).expect_err("cut");
    assert!(e.message.contains(&bytes.len().to_string()), "{e}");
}

#[test]
fn a_binary_chunk_shorter_than_its_buffer_is_cut_short() {
    let (mut json, bin) = unpack(&model_bytes());
    let declared = bin.len() + 400;
    json["buffers"][0]["byteLength"] = json!(declared);
    let model = read(&pack(&json, &bin));
    let p = only(&model.problems, &ProblemKind::CutShort);
    assert_eq!(p.at, "buffers[0]");
    assert!(p.message.contains(&declared.to_string()), "{p}");
    assert!(p.message.contains(&bin.len().to_string()), "{p}");
    assert!(model.has_errors());
}

#[test]
fn an_external_buffer_missing_or_too_short_names_its_file() {
    let (mut json, bin) = unpack(&model_bytes());
    json["buffers"][0]["uri"] = json!("child.bin");
    let text = serde_json::to_vec(&json).expect("JSON");

    let model = read_model(&text, &no_files).expect("model");
    let p = only(
        &model.problems,
        &ProblemKind::MissingFile("child.bin".into()),
    );
    assert!(p.is_error() && p.message.contains("`child.bin`"), "{p}");
    // Nothing more is said of the data that is not there.
    assert_eq!(model.problems.len(), 1, "{:#?}", model.problems);

    let half = |_: &str| Some(bin[..bin.len() / 2].to_vec());
    let model = read_model(&text, &half).expect("model");
    let p = only(&model.problems, &ProblemKind::CutShort);
    assert_eq!(p.at, "buffers[0]");
    assert!(p.message.contains("`child.bin`"), "{p}");
}

#[test]
fn an_accessor_reaching_past_its_buffer_view_is_cut_short() {
    let (mut json, bin) = unpack(&model_bytes());
    let count = json["accessors"][0]["count"].as_u64().expect("count");
    json["accessors"][0]["count"] = json!(count + 100);
    let model = read(&pack(&json, &bin));
    let p = only(&model.problems, &ProblemKind::CutShort);
    assert_eq!(p.at, "accessors[0]");
}

#[test]
fn a_missing_image_names_its_file_as_written() {
    let asked = RefCell::new(Vec::new());
    let files = |path: &str| {
        asked.borrow_mut().push(path.to_owned());
        None
    };
    let model = read_model(&with_image("textures/wall%20paper.png"), &files).expect("model");
    let p = only(
        &model.problems,
        &ProblemKind::MissingFile("textures/wall%20paper.png".into()),
    );
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.at, "images[0]");
    assert!(p.message.contains("`textures/wall%20paper.png`"), "{p}");
    assert_eq!(*asked.borrow(), ["textures/wall paper.png"]);
    assert_eq!(model.measurements.unmeasured_images, 1);
}

#[test]
fn an_image_no_texture_uses_is_only_a_warning() {
    let (mut json, bin) = unpack(&model_bytes());
    json["images"] = json!([{ "uri": "unused.png" }]);
    let model = read(&pack(&json, &bin));
    let p = only(
        &model.problems,
        &ProblemKind::MissingFile("unused.png".into()),
    );
    assert_eq!(p.severity, Severity::Warning);
    assert!(!model.has_errors());
}

#[test]
fn a_garbage_image_is_a_bad_image() {
    let model = read_model(&with_image("wall.png"), &|_| {
        Some(b"<html>404 Not Found</html>".to_vec())
    })
    .expect("model");
    let p = only(&model.problems, &ProblemKind::BadImage);
    assert!(
        p.message
            .contains("`wall.png` is not a PNG, JPEG or KTX2 image"),
        "{p}"
    );
    assert!(
        p.message.contains("3C 68 74 6D"),
        "the bytes it begins with: {p}"
    );
}

#[test]
fn an_image_whose_bytes_are_not_what_its_name_says_is_a_bad_image() {
    let model = read_model(&with_image("wall.jpg"), &|_| Some(png(64, 64))).expect("model");
    let p = only(&model.problems, &ProblemKind::BadImage);
    assert!(
        p.message
            .contains("holds PNG data but the model calls it JPEG"),
        "{p}"
    );
}

#[test]
fn a_jpeg_is_one_this_build_cannot_decode() {
    // SOI, then a baseline frame of 320 × 200.
    let jpeg = vec![0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0, 200, 1, 64, 3];
    let model = read_model(&with_image("photo.jpg"), &|_| Some(jpeg.clone())).expect("model");
    let p = only(&model.problems, &ProblemKind::BadImage);
    assert!(p.message.contains("is a JPEG image"), "{p}");
    assert!(p.hint.as_deref().is_some_and(|h| h.contains("PNG")), "{p}");
    let size = model.images[0].size.expect("its size is still read");
    assert_eq!((size.width, size.height), (320, 200));
}

#[test]
fn a_png_counts_its_texture_memory() {
    let model = read_model(&with_image("wall.png"), &|_| Some(png(256, 128))).expect("model");
    assert!(model.problems.is_empty(), "{:#?}", model.problems);
    assert_eq!(model.measurements.texture_bytes, 256 * 128 * 4 * 4 / 3);
    assert_eq!(model.materials[0].textures[0].slot, "baseColorTexture");
    assert_eq!(model.textures[0].source, Some(0));
}

#[test]
fn a_required_meshopt_compression_is_an_error_that_says_how_to_export_without_it() {
    let (mut json, bin) = unpack(&model_bytes());
    json["extensionsUsed"] = json!(["KHR_materials_unlit", "EXT_meshopt_compression"]);
    json["extensionsRequired"] = json!(["EXT_meshopt_compression"]);
    let model = read(&pack(&json, &bin));
    let p = only(
        &model.problems,
        &ProblemKind::Extension("EXT_meshopt_compression".into()),
    );
    assert!(p.is_error());
    assert_eq!(p.at, "extensionsRequired[0]");
    assert!(p.message.contains("refuses the whole file"), "{p}");
    assert!(
        p.hint
            .as_deref()
            .is_some_and(|h| h.contains("gltfpack without -c")),
        "{p}"
    );
    assert_eq!(model.extensions.len(), 2);
}

#[test]
fn a_gltf_1_asset_is_refused_by_its_version() {
    let (mut json, bin) = unpack(&model_bytes());
    json["asset"]["version"] = json!("1.0");
    let e = read_model(&pack(&json, &bin), &no_files).expect_err("glTF 1.0");
    assert_eq!(e.kind, ProblemKind::Version);
    assert!(e.message.contains("glTF version 1.0"), "{e}");

    let mut v1 = model_bytes();
    v1[4] = 1;
    let e = read_model(&v1, &no_files).expect_err("a version 1 GLB");
    assert_eq!(e.kind, ProblemKind::Version);
}

#[test]
fn every_problem_is_reported_at_once() {
    let (mut json, bin) = unpack(&model_bytes());
    json["images"] = json!([{ "uri": "skin.png" }]);
    json["textures"] = json!([{ "source": 0 }]);
    json["materials"] = json!([{ "normalTexture": { "index": 0 } }]);
    json["extensionsUsed"] = json!(["KHR_draco_mesh_compression"]);
    json["extensionsRequired"] = json!(["KHR_draco_mesh_compression"]);
    let count = json["accessors"][1]["count"].as_u64().expect("count");
    json["accessors"][1]["count"] = json!(count * 10);
    json["nodes"][0]["mesh"] = json!(7);
    let model = read(&pack(&json, &bin));
    let kinds: Vec<&ProblemKind> = model.problems.iter().map(|p| &p.kind).collect();
    for expected in [
        ProblemKind::Extension("KHR_draco_mesh_compression".into()),
        ProblemKind::CutShort,
        ProblemKind::MissingFile("skin.png".into()),
        ProblemKind::Damaged,
    ] {
        assert!(
            kinds.contains(&&expected),
            "{expected:?} among {:#?}",
            model.problems
        );
    }
    let damaged = only(&model.problems, &ProblemKind::Damaged);
    assert_eq!(damaged.at, "nodes[0].mesh");
    assert!(
        damaged.message.contains("`meshes[7]`, but it has 1 meshes"),
        "{damaged}"
    );
}

#[test]
fn a_triangle_fan_is_counted_and_refused() {
    let (mut json, bin) = unpack(&model_bytes());
    let primitive = &mut json["meshes"][0]["primitives"][0];
    primitive["mode"] = json!(6);
    primitive.as_object_mut().expect("object").remove("indices");
    let model = read(&pack(&json, &bin));
    assert_eq!(model.measurements.triangles, 24 - 2);
    let p = only(&model.problems, &ProblemKind::Unsupported);
    assert_eq!(p.at, "meshes[0].primitives[0].mode");
}

#[test]
fn instances_multiply_the_cost_and_move_the_bounds() {
    let (mut json, bin) = unpack(&model_bytes());
    with_nodes(
        &mut json,
        json!([
            { "name": "table", "children": [1, 2] },
            { "name": "left", "mesh": 0 },
            { "name": "right", "mesh": 0, "translation": [2.0, 0.0, 0.0], "scale": [1.0, 2.0, 1.0] }
        ]),
    );
    let model = read(&pack(&json, &bin));
    assert!(model.problems.is_empty(), "{:#?}", model.problems);
    let m = model.measurements;
    assert_eq!(
        (m.triangles, m.draw_calls, m.vertices, m.mesh_instances),
        (24, 2, 48, 2)
    );
    let (lo, hi) = m.bounds.expect("bounds");
    assert!((lo - Vec3::new(-0.15, 0.0, -0.1)).length() < 1e-6, "{lo}");
    assert!((hi - Vec3::new(2.15, 2.2, 0.1)).length() < 1e-6, "{hi}");
    assert_eq!(model.empties(), [(0, "table")]);
}

#[test]
fn sockets_are_named_empties_and_lights_are_read() {
    let (mut json, bin) = unpack(&model_bytes());
    with_nodes(
        &mut json,
        json!([
            { "name": "cake", "mesh": 0, "children": [1, 2, 3], "translation": [0.0, 1.0, 0.0] },
            { "name": "socket_1", "translation": [0.05, 1.1, 0.0] },
            { "name": "socket_2", "translation": [-0.05, 1.1, 0.0] },
            { "name": "glow", "extensions": { "KHR_lights_punctual": { "light": 0 } } }
        ]),
    );
    json["extensionsUsed"] = json!(["KHR_lights_punctual"]);
    json["extensions"] = json!({ "KHR_lights_punctual": { "lights": [
        { "type": "spot", "color": [1.0, 0.8, 0.6], "intensity": 12.0, "range": 3.0,
          "spot": { "outerConeAngle": 0.5 } }
    ] } });
    let model = read(&pack(&json, &bin));
    assert!(model.problems.is_empty(), "{:#?}", model.problems);
    assert_eq!(model.empties(), [(1, "socket_1"), (2, "socket_2")]);
    let socket = model.nodes[1].world.transform_point3(Vec3::ZERO);
    assert!(
        (socket - Vec3::new(0.05, 2.1, 0.0)).length() < 1e-6,
        "{socket}"
    );
    let light = &model.lights[0];
    assert_eq!(
        light.kind,
        LightKind::Spot {
            inner_cone: 0.0,
            outer_cone: 0.5
        }
    );
    assert_eq!(
        (light.color, light.intensity, light.range),
        ([1.0, 0.8, 0.6], 12.0, Some(3.0))
    );
    assert_eq!(light.nodes, [3]);
}

#[test]
fn damaged_bytes_never_panic() {
    // A small generator, so the test is the same on every run.
    let mut x: u32 = 0x9e37_79b9;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    let whole = model_bytes();
    let (json, _) = unpack(&whole);
    let json_end = 20 + serde_json::to_vec(&json).expect("JSON").len();
    for round in 0..3000 {
        let mut bytes = whole.clone();
        for _ in 0..1 + round % 4 {
            // Mostly the JSON's digits (indices, counts, offsets), sometimes anywhere.
            let at = if round % 3 == 0 {
                next() as usize % bytes.len()
            } else {
                20 + next() as usize % (json_end - 20)
            };
            bytes[at] = match bytes[at] {
                b'0'..=b'9' => b"0123456789"[next() as usize % 10],
                _ if round % 3 == 0 => next() as u8,
                same => same,
            };
        }
        if let Ok(model) = read_model(&bytes, &|_| Some(png(4, 4))) {
            // Whatever it reads, it can say so.
            for p in &model.problems {
                assert!(!p.to_string().is_empty());
            }
        }
    }
}
