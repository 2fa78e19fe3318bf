//! glTF models in stories: the checker reads a cast member's model and reports every
//! clip and morph target the story needs but the file lacks, at `path:line:col`.
//!
//! The models are made by `support/test_model.rs`; the committed copies under
//! `tests/models/` are checked to be what it makes (`UPDATE_GOLDEN=1` rewrites them).

mod support;

use std::path::{Path, PathBuf};

use reunion_story::load::{MemFiles, STORY_FILE, load, load_dir, model_files, parse_ron};
use reunion_story::prelude::*;
use reunion_story::story::{GESTURES, Gesture, IDLE_CLIP, MORPH_TARGETS, WALK_CLIP};
use support::test_model::{ALL_CLIPS, ALL_MORPHS, glb};

const SCENE: &str = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
    },
)"#;

/// A story whose child claps in a line; `model` is written as her `model:` field.
fn story(model: &str) -> String {
    format!(
        r#"(
    format: 1,
    title: "Models",
    languages: ["en"],
    cast: {{
        "nayeon": (
            name: {{ "en": "Nayeon" }},
            model: {model},
        ),
    }},
    places: {{ "park": "park.scene.ron" }},
    start: "arrive",
    nodes: {{
        "arrive": Go(place: "park", transition: Fade(seconds: 1.0)),
        "clapping": Say(speaker: "nayeon", text: {{ "en": "Yay!" }}, gesture: Clap),
        "wave": Cue(world: [Gesture(actor: "nayeon", gesture: Wave)]),
        "end": End(),
    }},
)"#
    )
}

const MODEL: &str = r#"(file: "models/child.glb")"#;

fn files(story: &str, models: &[(&str, Vec<u8>)]) -> MemFiles {
    let mut files = MemFiles::default();
    files.files.insert(PathBuf::from(STORY_FILE), story.into());
    files
        .files
        .insert(PathBuf::from("park.scene.ron"), SCENE.into());
    for (path, bytes) in models {
        files.bytes.insert(PathBuf::from(path), bytes.clone());
    }
    files
}

fn check(story: &str, models: &[(&str, Vec<u8>)]) -> Loaded {
    load(&files(story, models), Path::new(STORY_FILE), Path::new("s"))
}

fn full() -> Vec<u8> {
    glb(&ALL_CLIPS, &ALL_MORPHS)
}

fn without(clip: &str) -> Vec<u8> {
    let clips: Vec<&str> = ALL_CLIPS.iter().copied().filter(|c| *c != clip).collect();
    glb(&clips, &ALL_MORPHS)
}

/// The line and column of the first `needle` in `text`, 1-based.
fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle in text");
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count())
        + 1;
    (line, col)
}

fn errors(loaded: &Loaded) -> Vec<&Diagnostic> {
    loaded.diagnostics.errors().collect()
}

#[test]
fn a_story_whose_model_has_every_clip_checks_clean() {
    let loaded = check(&story(MODEL), &[("models/child.glb", full())]);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let story = loaded.story.expect("a story");
    let model = story.cast[0].model.as_ref().expect("a model");
    assert_eq!(model.file, PathBuf::from("models/child.glb"));
    assert_eq!(model.gesture_clip(Gesture::Clap), Some("clap"));
    assert_eq!(model.clip(IDLE_CLIP), Some("idle"));
    // Clips the story does not need but the file has are there too.
    assert_eq!(model.clip(WALK_CLIP), Some("walk"));
    assert_eq!(model.clips.len(), ALL_CLIPS.len());
    for m in MORPH_TARGETS {
        assert_eq!(model.morph(m), Some(m));
    }
}

#[test]
fn a_missing_clip_is_an_error_at_the_model_naming_the_clip_and_the_cue() {
    let text = story(MODEL);
    let loaded = check(&text, &[("models/child.glb", without("clap"))]);
    assert!(loaded.story.is_none());
    let errs = errors(&loaded);
    assert_eq!(errs.len(), 1, "{}", loaded.diagnostics);
    let d = errs[0];
    assert_eq!(d.file, PathBuf::from("s/story.ron"));
    assert_eq!(
        (d.line, d.col),
        line_col(&text, "(file: \"models/child.glb\")")
    );
    assert!(d.message.contains("no animation `clap`"), "{}", d.message);
    assert!(d.message.contains("gesture `Clap`"), "{}", d.message);
    assert!(d.message.contains("node `clapping`"), "{}", d.message);
    let shown = d.to_string();
    assert!(shown.starts_with("s/story.ron:"), "{shown}");
    assert!(
        shown.contains("model: (file: \"models/child.glb\"),"),
        "{shown}"
    );
    assert!(shown.contains("^^^"), "{shown}");
}

#[test]
fn only_the_gestures_the_story_uses_are_required() {
    // Nobody nods in the story, so a model without `nod` is fine.
    let loaded = check(&story(MODEL), &[("models/child.glb", without("nod"))]);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let model = loaded.story.expect("story").cast[0]
        .model
        .clone()
        .expect("model");
    assert_eq!(model.gesture_clip(Gesture::Nod), None);
    // But `idle` always is.
    let loaded = check(&story(MODEL), &[("models/child.glb", without("idle"))]);
    let all = loaded.diagnostics.to_string();
    assert!(all.contains("no animation `idle`"), "{all}");
}

#[test]
fn a_gesture_in_a_cue_and_walking_lead_are_required() {
    let loaded = check(&story(MODEL), &[("models/child.glb", without("wave"))]);
    let all = loaded.diagnostics.to_string();
    assert!(all.contains("no animation `wave`"), "{all}");
    assert!(all.contains("node `wave`"), "{all}");

    let text = story(MODEL).replace(
        "\"end\": End(),",
        "\"lead\": Go(place: \"park\", transition: LeadByHand(actor: \"nayeon\", seconds: 4.0)),\n        \"end\": End(),",
    );
    let loaded = check(&text, &[("models/child.glb", without("walk"))]);
    let all = loaded.diagnostics.to_string();
    assert!(all.contains("no animation `walk`"), "{all}");
    assert!(all.contains("leading by the hand"), "{all}");
    assert!(all.contains("node `lead`"), "{all}");
}

#[test]
fn a_missing_morph_target_is_an_error() {
    let model = glb(&ALL_CLIPS, &["blink", "smile"]);
    let loaded = check(&story(MODEL), &[("models/child.glb", model)]);
    let errs = errors(&loaded);
    assert_eq!(errs.len(), 1, "{}", loaded.diagnostics);
    assert!(
        errs[0].message.contains("no morph target `mouth_open`"),
        "{}",
        errs[0]
    );
    assert!(
        errs[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("blink, smile"),
        "{}",
        errs[0]
    );
}

#[test]
fn a_close_name_in_the_file_is_suggested() {
    let mut clips: Vec<&str> = ALL_CLIPS.iter().copied().filter(|c| *c != "clap").collect();
    clips.push("claps");
    let loaded = check(
        &story(MODEL),
        &[("models/child.glb", glb(&clips, &ALL_MORPHS))],
    );
    let d = errors(&loaded)[0];
    assert_eq!(
        d.hint.as_deref(),
        Some("did you mean `claps`? To use it, write clips: { \"clap\": \"claps\" }"),
        "{d}"
    );
}

#[test]
fn renames_are_honoured() {
    let mut clips: Vec<&str> = ALL_CLIPS
        .iter()
        .copied()
        .filter(|c| !["clap", "idle"].contains(c))
        .collect();
    clips.extend(["Clap_Hands", "Idle_Loop"]);
    let model = glb(&clips, &["MouthOpen", "blink", "smile"]);
    let written = r#"(
                file: "models/child.glb",
                clips: { "Clap": "Clap_Hands", "idle": "Idle_Loop" },
                morphs: { "mouth_open": "MouthOpen" },
            )"#;
    let loaded = check(&story(written), &[("models/child.glb", model)]);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let story = loaded.story.expect("story");
    let model = story.cast[0].model.as_ref().expect("model");
    assert_eq!(model.gesture_clip(Gesture::Clap), Some("Clap_Hands"));
    assert_eq!(model.clip("idle"), Some("Idle_Loop"));
    assert_eq!(model.morph("mouth_open"), Some("MouthOpen"));
}

#[test]
fn a_rename_to_a_name_not_in_the_file_points_at_the_rename() {
    let written = r#"(file: "models/child.glb", clips: { "clap": "clap_hands" })"#;
    let text = story(written);
    let loaded = check(&text, &[("models/child.glb", full())]);
    let errs = errors(&loaded);
    assert_eq!(errs.len(), 1, "{}", loaded.diagnostics);
    assert!(
        errs[0].message.contains("no animation `clap_hands`"),
        "{}",
        errs[0]
    );
    assert_eq!(
        (errs[0].line, errs[0].col),
        line_col(&text, "\"clap_hands\"")
    );
}

#[test]
fn unknown_rename_keys_are_errors_with_a_hint() {
    let written =
        r#"(file: "models/child.glb", clips: { "clapp": "clap" }, morphs: { "blinc": "blink" })"#;
    let loaded = check(&story(written), &[("models/child.glb", full())]);
    let all = loaded.diagnostics.to_string();
    assert!(all.contains("`clapp` is not a clip reunion plays"), "{all}");
    assert!(all.contains("did you mean `clap`?"), "{all}");
    assert!(all.contains("`blinc` is not a morph target"), "{all}");
    assert!(all.contains("did you mean `blink`?"), "{all}");
}

#[test]
fn a_missing_model_file_is_an_error_at_its_path() {
    let text = story(MODEL);
    let loaded = check(&text, &[]);
    let errs = errors(&loaded);
    assert_eq!(errs.len(), 1, "{}", loaded.diagnostics);
    assert!(errs[0].message.contains("does not exist"), "{}", errs[0]);
    assert_eq!(
        (errs[0].line, errs[0].col),
        line_col(&text, "\"models/child.glb\"")
    );
}

#[test]
fn garbage_and_cut_files_are_clear_errors() {
    let garbage: Vec<u8> = (0..200u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
        .collect();
    let loaded = check(&story(MODEL), &[("models/child.glb", garbage)]);
    let all = loaded.diagnostics.to_string();
    assert!(all.contains("not a glTF model"), "{all}");

    let whole = full();
    for len in [0, 5, 12, 19, 40, whole.len() / 2, whole.len() - 1] {
        let loaded = check(
            &story(MODEL),
            &[("models/child.glb", whole[..len].to_vec())],
        );
        assert!(loaded.story.is_none(), "cut at {len}");
        let d = errors(&loaded)[0];
        assert!(
            d.message.contains("cut short")
                || d.message.contains("empty")
                || d.message.contains("no chunks"),
            "cut at {len}: {d}"
        );
    }

    let loaded = check(
        &story(MODEL),
        &[("models/child.glb", b"{ \"asset\": [".to_vec())],
    );
    assert!(loaded.diagnostics.to_string().contains("does not parse"));
}

#[test]
fn model_paths_must_stay_in_the_story_and_be_gltf() {
    for (file, says) in [
        ("../x.glb", "leaves the story folder"),
        ("/models/x.glb", "absolute path"),
        ("models/child.fbx", "a model is a `.glb` or `.gltf` file"),
    ] {
        let loaded = check(&story(&format!("(file: \"{file}\")")), &[(file, full())]);
        let all = loaded.diagnostics.to_string();
        assert!(all.contains(says), "{file}: {all}");
        assert!(loaded.story.is_none());
    }
}

#[test]
fn a_gltf_json_model_and_its_buffer_are_checked() {
    // The JSON of the GLB as a .gltf whose buffer is a separate file.
    let bytes = full();
    let json_len = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
    let mut root: serde_json::Value =
        serde_json::from_slice(&bytes[20..20 + json_len]).expect("JSON");
    root["buffers"][0]["uri"] = "child.bin".into();
    let gltf = serde_json::to_vec(&root).expect("JSON");
    let written = r#"(file: "models/child.gltf")"#;
    let loaded = check(&story(written), &[("models/child.gltf", gltf.clone())]);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);

    // On disk, the checker can tell that the buffer is missing.
    let dir = std::env::temp_dir().join(format!("reunion-gltf-json-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("models")).expect("temp dir");
    std::fs::write(dir.join(STORY_FILE), story(written)).expect("write");
    std::fs::write(dir.join("park.scene.ron"), SCENE).expect("write");
    std::fs::write(dir.join("models/child.gltf"), &gltf).expect("write");
    let loaded = load_dir(&dir);
    let all = loaded.diagnostics.to_string();
    assert!(
        all.contains("refers to `child.bin`, which does not exist"),
        "{all}"
    );
    std::fs::write(dir.join("models/child.bin"), [0u8; 4]).expect("write");
    let loaded = load_dir(&dir);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_story_folder_on_disk_reads_its_binary_model() {
    let dir = std::env::temp_dir().join(format!("reunion-glb-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("models")).expect("temp dir");
    std::fs::write(dir.join(STORY_FILE), story(MODEL)).expect("write");
    std::fs::write(dir.join("park.scene.ron"), SCENE).expect("write");
    std::fs::copy(models_dir().join("child.glb"), dir.join("models/child.glb")).expect("copy");
    let loaded = load_dir(&dir);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);

    std::fs::copy(
        models_dir().join("child_no_clap.glb"),
        dir.join("models/child.glb"),
    )
    .expect("copy");
    let loaded = load_dir(&dir);
    let all = loaded.diagnostics.to_string();
    assert!(all.contains("no animation `clap`"), "{all}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_model_or_a_file_it_names_that_links_out_of_the_story_folder_is_refused() {
    let root = std::env::temp_dir().join(format!("reunion-model-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (dir, outside) = (root.join("story"), root.join("outside"));
    std::fs::create_dir_all(dir.join("models")).expect("temp dir");
    std::fs::create_dir_all(&outside).expect("temp dir");
    std::fs::write(dir.join(STORY_FILE), story(MODEL)).expect("write");
    std::fs::write(dir.join("park.scene.ron"), SCENE).expect("write");
    std::fs::write(outside.join("child.glb"), full()).expect("write");
    std::os::unix::fs::symlink(outside.join("child.glb"), dir.join("models/child.glb"))
        .expect("a link");
    let loaded = load_dir(&dir);
    let found = errors(&loaded);
    assert_eq!(found.len(), 1, "{}", loaded.diagnostics);
    assert_eq!(
        found[0].message,
        "`nayeon`'s model: `models/child.glb` is a link to a file outside the story folder"
    );
    assert_eq!(
        (found[0].line, found[0].col),
        line_col(&story(MODEL), "\"models/child.glb\"")
    );

    // A .gltf inside whose buffer is a link out.
    let bytes = full();
    let json_len = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
    let mut root_json: serde_json::Value =
        serde_json::from_slice(&bytes[20..20 + json_len]).expect("JSON");
    root_json["buffers"][0]["uri"] = "child.bin".into();
    let written = r#"(file: "models/child.gltf")"#;
    std::fs::write(dir.join(STORY_FILE), story(written)).expect("write");
    std::fs::write(
        dir.join("models/child.gltf"),
        serde_json::to_vec(&root_json).expect("JSON"),
    )
    .expect("write");
    std::fs::write(outside.join("child.bin"), [0u8; 4]).expect("write");
    std::os::unix::fs::symlink(outside.join("child.bin"), dir.join("models/child.bin"))
        .expect("a link");
    let loaded = load_dir(&dir);
    let found = errors(&loaded);
    assert_eq!(found.len(), 1, "{}", loaded.diagnostics);
    assert_eq!(
        found[0].message,
        "`models/child.bin` is a link to a file outside the story folder"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn an_asset_loader_knows_which_model_files_to_read() {
    let text = story(MODEL);
    let file = parse_ron(Path::new("story.ron"), &text).expect("parses");
    assert_eq!(model_files(&file), [PathBuf::from("models/child.glb")]);
}

#[test]
fn every_gesture_has_a_snake_case_clip_name() {
    let names: Vec<&str> = GESTURES.iter().map(|g| gesture_clip_name(*g)).collect();
    assert_eq!(names, ALL_CLIPS[2..]);
}

fn models_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("tests/models")
}

#[test]
fn the_committed_test_models_are_what_the_generator_makes() {
    for (name, bytes) in [
        ("child.glb", full()),
        ("child_no_clap.glb", without("clap")),
    ] {
        let path = models_dir().join(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(models_dir()).expect("models folder");
            std::fs::write(&path, &bytes).expect("write the model");
        }
        let committed = std::fs::read(&path).expect("the committed model");
        assert!(
            committed == bytes,
            "{} differs from what support/test_model.rs makes; run with UPDATE_GOLDEN=1",
            path.display()
        );
        assert!(bytes.len() < 8 * 1024, "{name} is {} bytes", bytes.len());
    }
}
