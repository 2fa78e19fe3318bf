//! Models in stories: the checker reads a cast member's model (a small skinned humanoid,
//! `support/test_model.rs`), reports what is wrong at `path:line:col`, and notes what
//! plays from clips and what the animator makes. No clip is needed; a rename to a clip
//! the file lacks is an error.
//!
//! The committed copies under `tests/models/` are checked to be what the generator makes
//! (`UPDATE_GOLDEN=1` rewrites them). The project's generated humanoids and third-party
//! files are checked in `cast_models.rs`.

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
    consent: (
        likeness_of: "a test child",
        voice_of: "nobody",
        consented_by: "not applicable to a test",
        consented_on: "2026-01-01",
        retire_after: "2999-01-01",
    ),
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
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    // The skeleton the generator wrote, found and measured.
    assert_eq!(model.facing, reunion_story::story::Facing::PlusZ);
    assert!(
        (model.own_height - 1.1).abs() < 1e-4,
        "{}",
        model.own_height
    );
    assert_eq!(model.scale, 1.0);
    assert!(
        (model.body.upper_arm - 0.18).abs() < 1e-4,
        "{:?}",
        model.body
    );
    assert!(
        (model.body.shoulder_half - 0.12).abs() < 1e-4,
        "{:?}",
        model.body
    );
    let notes: Vec<&Diagnostic> = loaded.diagnostics.notes().collect();
    assert_eq!(notes.len(), 2, "{}", loaded.diagnostics);
    assert!(
        notes[0]
            .message
            .starts_with("`nayeon`'s face: blinks: yes (blink); "),
        "{}",
        notes[0]
    );
    assert!(
        notes[1]
            .message
            .contains("16 of 16 required; 1.10 m tall, facing +Z"),
        "{}",
        notes[1]
    );
}

/// The notes the check made, as text.
fn notes(loaded: &Loaded) -> String {
    loaded
        .diagnostics
        .notes()
        .map(|d| d.headline())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_gesture_with_no_clip_is_made_by_the_animator_and_the_note_says_so() {
    let text = story(MODEL);
    let loaded = check(&text, &[("models/child.glb", without("clap"))]);
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let model = loaded.story.as_ref().expect("a story").cast[0]
        .model
        .clone()
        .expect("a model");
    assert!(model.is_procedural(Gesture::Clap));
    assert!(!model.is_procedural(Gesture::Wave));
    assert_eq!(model.gesture_clip(Gesture::Nod), Some("nod"));
    let note = loaded
        .diagnostics
        .notes()
        .find(|d| d.message.contains("the animator makes"))
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics));
    assert!(
        note.message
            .ends_with("; the animator makes the gesture `Clap` (node `clapping`)"),
        "{note}"
    );
    // At the model, on one line.
    assert_eq!(
        (note.line, note.col),
        line_col(&text, "(file: \"models/child.glb\")")
    );
    assert_eq!(note.to_string().lines().count(), 1, "{note}");
}

#[test]
fn a_model_with_no_clips_at_all_checks_clean() {
    let loaded = check(
        &story(MODEL),
        &[("models/child.glb", glb(&[], &ALL_MORPHS))],
    );
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let notes = notes(&loaded);
    let model = loaded.story.expect("a story").cast[0]
        .model
        .clone()
        .expect("a model");
    assert!(model.clips.is_empty());
    assert_eq!(model.clip(IDLE_CLIP), None);
    assert!(model.gestures_with_clips().is_empty());
    assert!(
        notes.contains("no clips: the animator makes idle, walking and every gesture"),
        "{notes}"
    );
}

#[test]
fn the_note_names_the_nodes_whose_motion_the_animator_makes() {
    let text = story(MODEL).replace(
        "\"end\": End(),",
        "\"lead\": Go(place: \"park\", transition: LeadByHand(actor: \"nayeon\", seconds: 4.0)),\n        \"end\": End(),",
    );
    let clips: Vec<&str> = ALL_CLIPS
        .iter()
        .copied()
        .filter(|c| !["walk", "wave"].contains(c))
        .collect();
    let loaded = check(&text, &[("models/child.glb", glb(&clips, &ALL_MORPHS))]);
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let notes = notes(&loaded);
    assert!(
        notes.contains(
            "the animator makes the gesture `Wave` (node `wave`), leading by the hand (node `lead`)"
        ),
        "{notes}"
    );
    // Clap has its clip: it is not in the list.
    assert!(!notes.contains("`Clap`"), "{notes}");
}

#[test]
fn a_model_with_no_mouth_shape_is_a_warning_at_the_model() {
    let text = story(MODEL);
    let model = glb(&ALL_CLIPS, &["blink", "smile"]);
    let loaded = check(&text, &[("models/child.glb", model)]);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    assert!(loaded.story.is_some());
    let warnings: Vec<&Diagnostic> = loaded.diagnostics.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", loaded.diagnostics);
    assert!(
        warnings[0]
            .message
            .contains("no mouth shape and no jaw bone"),
        "{}",
        warnings[0]
    );
    assert_eq!(
        (warnings[0].line, warnings[0].col),
        line_col(&text, "(file: \"models/child.glb\")")
    );
    assert!(
        notes(&loaded).contains("mouth shapes: none"),
        "{}",
        notes(&loaded)
    );
}

#[test]
fn a_close_name_in_the_file_is_suggested() {
    let mut clips: Vec<&str> = ALL_CLIPS.iter().copied().filter(|c| *c != "clap").collect();
    clips.push("claps");
    let model = glb(&clips, &ALL_MORPHS);
    // Not renamed: the animator claps, and the note says what the file may mean.
    let loaded = check(&story(MODEL), &[("models/child.glb", model.clone())]);
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    assert!(
        notes(&loaded).contains(
            "the gesture `Clap` (node `clapping`) (did you mean `claps`? To use it, write clips: { \"clap\": \"claps\" })"
        ),
        "{}",
        notes(&loaded)
    );
    // Renamed to a name the file lacks: an error with the name it has.
    let written = r#"(file: "models/child.glb", clips: { "clap": "clapz" })"#;
    let loaded = check(&story(written), &[("models/child.glb", model)]);
    let d = errors(&loaded)[0];
    assert_eq!(d.hint.as_deref(), Some("did you mean `claps`?"), "{d}");
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
    assert!(
        all.contains("`blinc` is not a face channel of ours"),
        "{all}"
    );
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
        (
            "models/child.fbx",
            "a model is a `.glb`, `.gltf` or `.vrm` file",
        ),
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
    // The GLB's binary chunk, after the JSON chunk and its 8-byte header.
    let bin = &bytes[20 + json_len + 8..];
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
    // A buffer shorter than the model says is read, and found cut short.
    std::fs::write(dir.join("models/child.bin"), [0u8; 4]).expect("write");
    let loaded = load_dir(&dir);
    let all = loaded.diagnostics.to_string();
    assert!(all.contains("buffer 0 is cut short"), "{all}");
    std::fs::write(dir.join("models/child.bin"), bin).expect("write");
    let loaded = load_dir(&dir);
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
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
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    assert!(
        notes(&loaded).contains("the animator makes the gesture `Clap`"),
        "{}",
        notes(&loaded)
    );
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
        assert!(bytes.len() < 12 * 1024, "{name} is {} bytes", bytes.len());
    }
}
