//! The reference story with Nayeon as a real humanoid. The shipped copy,
//! `assets/stories/nayeon_humanoid/`, makes her the project's generated child (no
//! clips): it must check clean, play to its end headless in both languages with the
//! reference's own transcript, and differ from the reference only in her `model:`.
//! A variant with RobotExpressive.glb (a third-party file, not shipped) is built in a
//! temporary folder from `../shared/models/` where that folder exists, and must check
//! with only the warnings that file deserves (no mouth shape, no blink shape).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reunion_story::face_shapes::MouthSupport;
use reunion_story::load::{STORY_FILE, load_dir};
use reunion_story::prelude::*;

fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn stories() -> PathBuf {
    manifest_dir().join("../../assets/stories")
}

/// The comment and `model:` entry the humanoid copy adds to the reference's cast.
const MODEL_ENTRY: &str = r#"            // This copy of the reference story differs from it only here: she is the
            // project's generated humanoid (a skinned Mixamo skeleton with ARKit and
            // viseme shapes and no clips), moved wholly by the animator.
            model: (file: "models/humanoid_child.glb"),
"#;

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a story folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).expect("inside").to_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Plays `story` to its end with the autopilot in each language and compares the
/// transcript with the reference story's golden one.
fn plays_to_the_reference_transcript(story: &Arc<Story>) {
    for lang in ["en", "ko"] {
        let lang_id = story.lang_id(lang).expect("language");
        let mut session = Session::new(story.clone()).with_participant(Box::new(Autopilot::new()));
        session.director.set_language(lang_id);
        play_headless(&mut session, 90.0, 3600.0).unwrap_or_else(|s| panic!("{s}"));
        assert!(session.director.is_ended(), "{lang}");
        let text: String = session
            .transcript
            .iter()
            .map(|l| l.render(story, lang_id) + "\n")
            .collect();
        let golden =
            std::fs::read_to_string(manifest_dir().join(format!("tests/golden/nayeon.{lang}.txt")))
                .expect("the golden transcript");
        assert_eq!(text, golden, "{lang}");
    }
}

#[test]
fn the_humanoid_copy_differs_from_the_reference_only_in_her_model() {
    let reference = stories().join("nayeon");
    let copy = stories().join("nayeon_humanoid");
    let mut expected = files_under(&reference);
    expected.push(PathBuf::from("models/humanoid_child.glb"));
    expected.sort();
    assert_eq!(files_under(&copy), expected);
    for file in files_under(&reference) {
        let (a, b) = (reference.join(&file), copy.join(&file));
        let (a, b) = (
            std::fs::read(&a).expect("reference"),
            std::fs::read(&b).expect("copy"),
        );
        if file == Path::new(STORY_FILE) {
            let b = String::from_utf8(b).expect("UTF-8");
            assert_eq!(b.matches(MODEL_ENTRY).count(), 1, "her model entry");
            assert_eq!(
                b.replacen(MODEL_ENTRY, "", 1).as_bytes(),
                a,
                "the copy's story.ron is the reference's with her model added; copy it again"
            );
        } else {
            assert!(
                a == b,
                "{}: the copy differs from the reference; copy it again",
                file.display()
            );
        }
    }
    assert_eq!(
        std::fs::read(copy.join("models/humanoid_child.glb")).expect("her model"),
        std::fs::read(stories().join("farewell/models/humanoid_child.glb")).expect("generated"),
        "her model is the generated child"
    );
}

#[test]
fn the_reference_story_with_nayeon_as_the_generated_child_checks_clean_and_plays_to_its_end() {
    let loaded = load_dir(&stories().join("nayeon_humanoid"));
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let notes: Vec<String> = loaded
        .diagnostics
        .notes()
        .map(|d| d.message.clone())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("no clips: the animator makes idle, walking and every gesture")),
        "{notes:#?}"
    );
    let story = Arc::new(loaded.story.expect("a story"));
    let nayeon = story.actor(story.actor_id("nayeon").expect("nayeon"));
    let model = nayeon.model.as_ref().expect("her model");
    assert!((model.height() - 1.2).abs() < 0.01, "{}", model.height());
    assert!(model.clips.is_empty());
    assert!(matches!(model.face.mouth(), MouthSupport::Visemes(_)));
    plays_to_the_reference_transcript(&story);
}

/// `../shared/models/RobotExpressive.glb`, or `None` (said on the terminal).
fn robot_expressive() -> Option<Vec<u8>> {
    let path = manifest_dir().join("../../../shared/models/RobotExpressive.glb");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {} cannot be read ({e}), so the reference story was not checked with it",
                path.display()
            );
            None
        }
    }
}

#[test]
fn the_reference_story_with_robot_expressive_checks_with_only_its_faces_warnings() {
    let Some(robot) = robot_expressive() else {
        return;
    };
    let copy = stories().join("nayeon_humanoid");
    let dir = std::env::temp_dir().join(format!("reunion-nayeon-robot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for file in files_under(&copy) {
        if file.starts_with("models") {
            continue;
        }
        let to = dir.join(&file);
        std::fs::create_dir_all(to.parent().expect("a folder")).expect("mkdir");
        std::fs::copy(copy.join(&file), to).expect("copy");
    }
    std::fs::create_dir_all(dir.join("models")).expect("models");
    std::fs::write(dir.join("models/RobotExpressive.glb"), robot).expect("write the robot");
    let text = std::fs::read_to_string(dir.join(STORY_FILE)).expect("story.ron");
    let text = text.replacen(
        MODEL_ENTRY,
        r#"            model: (file: "models/RobotExpressive.glb", height: 1.2, clips: { "walk": "Walking" }),
"#,
        1,
    );
    std::fs::write(dir.join(STORY_FILE), text).expect("write story.ron");

    let loaded = load_dir(&dir);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let mut warnings: Vec<String> = loaded
        .diagnostics
        .warnings()
        .map(|d| d.message.clone())
        .collect();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            "`nayeon`'s model `models/RobotExpressive.glb`: the model has no blink shape: her eyes will not close",
            "`nayeon`'s model `models/RobotExpressive.glb`: the model has no mouth shape and no jaw bone: she will not move her lips",
        ],
        "{}",
        loaded.diagnostics
    );
    let story = Arc::new(loaded.story.expect("a story"));
    let nayeon = story.actor(story.actor_id("nayeon").expect("nayeon"));
    let model = nayeon.model.as_ref().expect("her model");
    assert!((model.height() - 1.2).abs() < 1e-4);
    assert_eq!(model.clip("idle"), Some("Idle"));
    assert_eq!(model.clip("walk"), Some("Walking"));
    assert_eq!(model.face.mouth(), MouthSupport::None);
    plays_to_the_reference_transcript(&story);
    let _ = std::fs::remove_dir_all(&dir);
}
