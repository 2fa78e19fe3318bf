//! Models in scenes: the checker reads every thing's and environment's glTF file with
//! the files it names, and reports at the field at fault, `file:line:col`: a file
//! missing, not glTF 2.0 or cut short, a buffer or texture missing (named), an
//! extension Bevy cannot read (named, with how to export without it); a model far
//! too big or small (with the scale to write); a place over the headset's budget (with
//! the numbers). The models are the project's own (`assets/stories/farewell/models`),
//! broken in one known way by each test.

#[path = "support/glb_edit.rs"]
mod glb_edit;
#[path = "support/scene_story.rs"]
mod scene_story;

use std::path::{Path, PathBuf};

use glb_edit::Glb;
use reunion_story::load::{DRAW_CALL_BUDGET, TRIANGLE_BUDGET, model_dependencies, scene_files};
use reunion_story::prelude::*;
use reunion_story::story::Environment;
use scene_story::{BEACH, ROOM, at, check, files, model, position_of, story, the};

#[test]
fn a_story_of_models_checks_clean() {
    let loaded = check(&files(&story("", ""), ROOM, BEACH));
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    let story = loaded.story.expect("a story");
    let room = &story.places[0];
    assert_eq!(room.models.len(), 7, "{:?}", room.models);
    let Environment::Model { bounds, .. } = &room.environment else {
        panic!("a model place");
    };
    // The room is 5 m wide, 2.6 m high inside.
    let size = bounds.expect("measured").size();
    assert!(size.x >= 5.0 && size.y >= 2.6, "{size:?}");
}

// --- The file itself -----------------------------------------------------------

#[test]
fn a_missing_model_is_an_error_at_its_file() {
    let mut f = files(&story("", ""), ROOM, BEACH);
    f.bytes.remove(Path::new("models/vase.glb"));
    let loaded = check(&f);
    assert!(loaded.story.is_none());
    let d = the(&loaded, "the model `models/vase.glb` does not exist");
    // One problem, not one for each socket it cannot look up.
    assert_eq!(loaded.diagnostics.len(), 1, "{}", loaded.diagnostics);
    at(
        d,
        "s/room.scene.ron",
        position_of(ROOM, "\"models/vase.glb\""),
    );
}

#[test]
fn a_file_that_is_no_gltf_is_an_error_at_its_file() {
    let mut f = files(&story("", ""), ROOM, BEACH);
    f.bytes
        .insert("models/table.glb".into(), b"PK\x03\x04 a zip".to_vec());
    let loaded = check(&f);
    let d = the(&loaded, "`models/table.glb`: this is not a glTF model");
    at(
        d,
        "s/room.scene.ron",
        position_of(ROOM, "\"models/table.glb\""),
    );
    assert!(d.hint.as_deref().unwrap_or("").contains("glTF 2.0"), "{d}");
}

#[test]
fn a_gltf_of_another_version_is_an_error_naming_it() {
    let mut glb = Glb::split(&model("table.glb"));
    glb.json["asset"]["version"] = "1.0".into();
    let mut f = files(&story("", ""), ROOM, BEACH);
    f.bytes.insert("models/table.glb".into(), glb.join());
    let loaded = check(&f);
    let d = the(&loaded, "this is glTF version 1.0; reunion reads glTF 2.0");
    at(
        d,
        "s/room.scene.ron",
        position_of(ROOM, "\"models/table.glb\""),
    );
}

#[test]
fn a_model_cut_short_is_an_error_saying_so() {
    let whole = model("sofa.glb");
    let room = ROOM.replace(
        "\"table\": (",
        "\"sofa\": (is: Model(file: \"models/sofa.glb\"), at: (1.1, 0.0, -3.5)),\n        \"table\": (",
    );
    let mut f = files(&story("", ""), &room, BEACH);
    f.bytes
        .insert("models/sofa.glb".into(), whole[..whole.len() / 2].to_vec());
    let loaded = check(&f);
    let d = the(&loaded, "`models/sofa.glb`: the GLB file is cut short");
    at(
        d,
        "s/room.scene.ron",
        position_of(&room, "\"models/sofa.glb\""),
    );
}

#[test]
fn a_missing_buffer_is_named_and_a_gltf_with_its_files_reads_clean() {
    let (gltf, bin) = Glb::split(&model("vase.glb")).to_gltf("vase%20data.bin");
    let room = ROOM.replace("models/vase.glb", "models/vase.gltf");
    let mut f = files(&story("", ""), &room, BEACH);
    f.bytes.insert("models/vase.gltf".into(), gltf.clone());
    let loaded = check(&f);
    let d = the(&loaded, "the model's buffer `vase%20data.bin` is missing");
    assert!(d.message.starts_with("`models/vase.gltf`: "), "{d}");
    at(
        d,
        "s/room.scene.ron",
        position_of(&room, "\"models/vase.gltf\""),
    );

    // An asset loader reads what the scene names, then what each model names.
    let scene: reunion_story::format::SceneFile =
        reunion_story::load::parse_ron(Path::new("room"), &room).expect("a scene");
    let named = scene_files(&scene);
    assert!(
        named.contains(&PathBuf::from("models/vase.gltf")),
        "{named:?}"
    );
    assert!(named.contains(&PathBuf::from("models/living_room.glb")));
    assert_eq!(
        model_dependencies(Path::new("models/vase.gltf"), &gltf),
        [PathBuf::from("models/vase data.bin")]
    );
    f.bytes.insert("models/vase data.bin".into(), bin);
    let loaded = check(&f);
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
}

#[test]
fn a_missing_texture_is_named() {
    let mut glb = Glb::split(&model("table.glb"));
    glb.json["images"][0] = serde_json::json!({ "uri": "textures/wood.png" });
    let mut f = files(&story("", ""), ROOM, BEACH);
    f.bytes.insert("models/table.glb".into(), glb.join());
    let loaded = check(&f);
    let d = the(&loaded, "the model's image `textures/wood.png` is missing");
    at(
        d,
        "s/room.scene.ron",
        position_of(ROOM, "\"models/table.glb\""),
    );
    assert!(loaded.story.is_none());
}

#[test]
fn a_file_a_model_names_outside_the_story_folder_is_refused() {
    let (gltf, _) = Glb::split(&model("vase.glb")).to_gltf("../../secret.bin");
    let room = ROOM.replace("models/vase.glb", "models/vase.gltf");
    let mut f = files(&story("", ""), &room, BEACH);
    f.bytes.insert("models/vase.gltf".into(), gltf.clone());
    let loaded = check(&f);
    the(
        &loaded,
        "`models/vase.gltf` names `../../secret.bin`, which is outside the story folder",
    );
    assert!(model_dependencies(Path::new("models/vase.gltf"), &gltf).is_empty());
}

#[test]
fn an_extension_bevy_cannot_read_is_named_with_how_to_export_without_it() {
    let mut glb = Glb::split(&model("table.glb"));
    glb.json["extensionsUsed"] = serde_json::json!(["KHR_draco_mesh_compression"]);
    glb.json["extensionsRequired"] = serde_json::json!(["KHR_draco_mesh_compression"]);
    let mut f = files(&story("", ""), ROOM, BEACH);
    f.bytes.insert("models/table.glb".into(), glb.join());
    let loaded = check(&f);
    let d = the(&loaded, "KHR_draco_mesh_compression");
    assert_eq!(d.severity, Severity::Error);
    at(
        d,
        "s/room.scene.ron",
        position_of(ROOM, "\"models/table.glb\""),
    );
    assert!(
        d.hint.as_deref().unwrap_or("").contains("Compression"),
        "how to export without it: {d}"
    );
    // The other compressions and texture formats the loader refuses, each named with
    // its own way out.
    for (extension, how) in [
        ("EXT_meshopt_compression", "gltfpack without -c"),
        ("KHR_mesh_quantization", "gltfpack -noq"),
        ("EXT_texture_webp", "PNG"),
        ("KHR_texture_basisu", "PNG"),
    ] {
        let mut glb = Glb::split(&model("table.glb"));
        glb.json["extensionsUsed"] = serde_json::json!([extension]);
        glb.json["extensionsRequired"] = serde_json::json!([extension]);
        let mut f = files(&story("", ""), ROOM, BEACH);
        f.bytes.insert("models/table.glb".into(), glb.join());
        let loaded = check(&f);
        let d = the(&loaded, extension);
        assert_eq!(d.severity, Severity::Error, "{d}");
        assert!(loaded.story.is_none());
        assert!(d.hint.as_deref().unwrap_or("").contains(how), "{d}");
    }
}

// --- Scale ---------------------------------------------------------------------

#[test]
fn a_thing_exported_in_centimetres_is_warned_with_the_factor() {
    let room = ROOM.replace(
        "\"table\": (",
        "\"chair\": (is: Model(file: \"models/chair_centimetres.glb\"), at: (-1.0, 0.0, -1.5)),\n        \"table\": (",
    );
    let loaded = check(&files(&story("", ""), &room, BEACH));
    let d = the(&loaded, "`models/chair_centimetres.glb` is 92 m tall");
    assert_eq!(d.severity, Severity::Warning);
    at(
        d,
        "s/room.scene.ron",
        position_of(&room, "\"models/chair_centimetres.glb\""),
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("if it was exported in centimetres, write `scale: 0.01`")
    );
    // Written so, it is a chair again.
    let room = room.replace(
        "at: (-1.0, 0.0, -1.5)),",
        "at: (-1.0, 0.0, -1.5), scale: 0.01),",
    );
    let loaded = check(&files(&story("", ""), &room, BEACH));
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    let story = loaded.story.expect("a story");
    let room = story.place_id("room").expect("the room");
    let chair = story.thing(story.thing_in(room, "chair").expect("a chair"));
    let height = chair.bounds.expect("measured").size().y;
    assert!((height - 0.92).abs() < 0.01, "{height}");
}

#[test]
fn a_thing_too_small_and_places_out_of_scale_are_warned_too() {
    let room = ROOM.replace(
        "at: (-0.4, 0.74, -1.3), grab: true",
        "at: (-0.4, 0.74, -1.3), scale: 0.01, grab: true",
    );
    let loaded = check(&files(&story("", ""), &room, BEACH));
    let d = the(
        &loaded,
        "`models/rose.glb` is 0.0043 m across at most, too small",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("with `scale: 0.01` it is out of size; write `scale: 0.1`")
    );

    let room = ROOM.replace(
        "Model(file: \"models/living_room.glb\")",
        "Model(file: \"models/living_room.glb\", scale: 0.001)",
    );
    let beach = BEACH.replace("sky: \"#f3b58c\"", "sky: \"#f3b58c\", scale: 100.0");
    let loaded = check(&files(&story("", ""), &room, &beach));
    let d = the(&loaded, "too small for a place");
    at(
        d,
        "s/room.scene.ron",
        position_of(&room, "\"models/living_room.glb\""),
    );
    assert!(
        d.hint.as_deref().unwrap_or("").contains("write `scale: "),
        "{d}"
    );
    let d = the(&loaded, "too big for a place");
    at(
        d,
        "s/beach.scene.ron",
        position_of(&beach, "\"models/beach.glb\""),
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("with `scale: 100.0` it is out of size; write `scale: 1.0`")
    );
}

// --- Cost ----------------------------------------------------------------------

#[test]
fn a_place_over_the_headset_budget_is_warned_with_its_numbers() {
    let sofa = reunion_story::gltf::read_model(&model("sofa.glb"), &|_| None)
        .expect("a model")
        .measurements;
    // Enough sofas to pass the triangle budget.
    let n = TRIANGLE_BUDGET / sofa.triangles + 1;
    let sofas: String = (0..n)
        .map(|i| {
            format!(
                "\"sofa_{i}\": (is: Model(file: \"models/sofa.glb\"), at: ({}.0, 0.0, -20.0)),\n",
                i * 2
            )
        })
        .collect();
    let beach = BEACH.replace("things: {", &format!("things: {{\n{sofas}"));
    let text = story("", "");
    let loaded = check(&files(&text, ROOM, &beach));
    let d = the(
        &loaded,
        "place `beach` costs more than a standalone headset can draw",
    );
    assert_eq!(d.severity, Severity::Warning);
    at(d, "s/story.ron", position_of(&text, "\"beach.scene.ron\""));
    let beach_model = reunion_story::gltf::read_model(&model("beach.glb"), &|_| None)
        .expect("a model")
        .measurements;
    let triangles = beach_model.triangles + n * sofa.triangles;
    let draws = beach_model.draw_calls + n * sofa.draw_calls;
    assert!(draws > DRAW_CALL_BUDGET);
    let grouped = |v: u64| {
        let s = v.to_string();
        let (head, tail) = s.split_at(s.len() - 3);
        format!("{head},{tail}")
    };
    assert!(
        d.message.contains(&format!(
            "{} triangles (budget 300,000 per eye, over), {draws} draw calls (budget 100, over)",
            grouped(triangles)
        )),
        "{d}"
    );
    // The room, a few models, is well within it.
    assert!(
        !loaded
            .diagnostics
            .to_string()
            .contains("place `room` costs")
    );
}

#[test]
fn a_place_whose_textures_fill_too_much_memory_is_warned() {
    // The table's texture made to say it is 16384 px square: a gigabyte with its mips.
    let mut glb = Glb::split(&model("table.glb"));
    let view = glb.json["images"][0]["bufferView"]
        .as_u64()
        .expect("a view") as usize;
    let offset = glb.json["bufferViews"][view]["byteOffset"]
        .as_u64()
        .unwrap_or(0) as usize;
    let png = &mut glb.bin[offset..];
    assert_eq!(&png[12..16], b"IHDR");
    png[16..20].copy_from_slice(&16384u32.to_be_bytes());
    png[20..24].copy_from_slice(&16384u32.to_be_bytes());
    let mut f = files(&story("", ""), ROOM, BEACH);
    f.bytes.insert("models/table.glb".into(), glb.join());
    let loaded = check(&f);
    let d = the(
        &loaded,
        "place `room` costs more than a standalone headset can draw",
    );
    assert!(
        d.message.contains("of textures (budget 256 MB, over)"),
        "{d}"
    );
    assert!(d.message.contains("(budget 100)"), "draw calls within: {d}");
}
