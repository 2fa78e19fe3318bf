//! Real humanoids as cast models: the project's own generated child and adult
//! (`assets/stories/farewell/models/`, made by `reunion_modelkit`: Mixamo skeletons,
//! ARKit and Oculus viseme shapes, no clips), variants of the child broken on purpose,
//! props that are not people, and the third-party files in `../shared/models/`
//! (RobotExpressive.glb and two VRM 1.0 samples, checked where that folder exists: each
//! test says so when it is absent). The reference story with Nayeon as a humanoid is
//! in `cast_stories.rs`.
//!
//! The body plan's expected figures were read from the generator's skeleton (its
//! joints' positions), not from the measuring code.

use std::io::Write;
use std::path::{Path, PathBuf};

use glam::Vec3;
use reunion_story::face_shapes::{FaceChannel, MouthSupport};
use reunion_story::humanoid::Bone;
use reunion_story::load::{MemFiles, STORY_FILE, load};
use reunion_story::prelude::*;
use reunion_story::story::{BodyPlan, Facing, Gesture};

fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn generated(name: &str) -> Vec<u8> {
    let path = manifest_dir()
        .join("../../assets/stories/farewell/models")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `../shared/models/NAME` beside the workspace, or `None` (said on the terminal).
fn shared(name: &str) -> Option<Vec<u8>> {
    let path = manifest_dir().join("../../../shared/models").join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {} is absent, so it was not checked as a cast model",
                path.display()
            );
            None
        }
    }
}

const SCENE: &str = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
    },
)"#;

/// A story in which she waves, claps and leads by the hand; `model` is her `model:`.
fn story(model: &str) -> String {
    format!(
        r#"(
    format: 1,
    title: "Cast models",
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
        "hello": Say(speaker: "nayeon", text: {{ "en": "Hello!" }}, gesture: Wave),
        "clapping": Say(speaker: "nayeon", text: {{ "en": "Yay!" }}, gesture: Clap),
        "lead": Go(place: "park", transition: LeadByHand(actor: "nayeon", seconds: 4.0)),
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

fn check(text: &str, file: &str, bytes: Vec<u8>) -> Loaded {
    let mut files = MemFiles::default();
    files.files.insert(PathBuf::from(STORY_FILE), text.into());
    files
        .files
        .insert(PathBuf::from("park.scene.ron"), SCENE.into());
    files.bytes.insert(PathBuf::from(file), bytes);
    load(&files, Path::new(STORY_FILE), Path::new("s"))
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

fn model_of(loaded: &Loaded) -> Model {
    loaded
        .story
        .as_ref()
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics))
        .cast[0]
        .model
        .clone()
        .expect("a model")
}

fn notes_of(loaded: &Loaded) -> String {
    let notes: Vec<String> = loaded.diagnostics.notes().map(|d| d.headline()).collect();
    notes.join("\n")
}

fn warnings_of(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .warnings()
        .map(|d| d.message.clone())
        .collect()
}

fn within(what: &str, value: f32, lo: f32, hi: f32, body: &BodyPlan) {
    assert!(
        (lo..=hi).contains(&value),
        "{what} = {value}, not in {lo}..={hi}: {body:#?}"
    );
}

/// What holds for any standing person: the heights in order, the legs reaching the
/// hips, the arms longer than the shoulders are apart.
fn a_standing_person(b: &BodyPlan) {
    let heights = [
        b.ankle,
        b.hip_y,
        b.waist_y,
        b.chest_y,
        b.shoulder_y,
        b.neck_base_y,
        b.neck_y,
        b.eye_y,
        b.height,
    ];
    assert!(
        heights.windows(2).all(|w| w[0] < w[1]),
        "heights out of order: {b:#?}"
    );
    let legs = b.ankle + b.thigh + b.shin;
    assert!((legs - b.hip_y).abs() < 0.05 * b.height, "{b:#?}");
    assert!(b.upper_arm + b.forearm > b.shoulder_half, "{b:#?}");
    assert!(
        b.head_centre_y > b.neck_y && b.head_centre_y < b.height,
        "{b:#?}"
    );
}

const CHILD: &str = r#"(file: "models/humanoid_child.glb")"#;

#[test]
fn the_generated_child_with_no_clips_checks_clean_and_measures_as_a_child() {
    let text = story(CHILD);
    let loaded = check(
        &text,
        "models/humanoid_child.glb",
        generated("humanoid_child.glb"),
    );
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let model = model_of(&loaded);
    assert!(model.clips.is_empty());
    assert!(model.is_procedural(Gesture::Wave));
    assert_eq!(model.facing, Facing::PlusZ);
    assert_eq!(model.scale, 1.0);
    assert!((model.height() - 1.2).abs() < 0.01, "{}", model.height());
    assert!(model.has_eyes() && !model.has_jaw());
    assert_eq!(model.joints.len(), 24);

    let b = model.body;
    a_standing_person(&b);
    within("height", b.height, 1.19, 1.21, &b);
    within("hip_y", b.hip_y, 0.5, 0.6, &b);
    within("waist_y", b.waist_y, 0.58, 0.68, &b);
    within("chest_y", b.chest_y, 0.68, 0.78, &b);
    within("neck_base_y", b.neck_base_y, 0.9, 0.98, &b);
    within("neck_y", b.neck_y, 0.98, 1.05, &b);
    within("head_centre_y", b.head_centre_y, 1.05, 1.15, &b);
    within("eye_y", b.eye_y, 1.04, 1.11, &b);
    within("head_radius", b.head_radius, 0.07, 0.12, &b);
    within("shoulder_y", b.shoulder_y, 0.88, 0.95, &b);
    within("shoulder_half", b.shoulder_half, 0.1, 0.16, &b);
    within("hip_half", b.hip_half, 0.05, 0.08, &b);
    within("upper_arm", b.upper_arm, 0.17, 0.23, &b);
    within("forearm", b.forearm, 0.14, 0.2, &b);
    within("hand", b.hand, 0.06, 0.12, &b);
    within("thigh", b.thigh, 0.2, 0.26, &b);
    within("shin", b.shin, 0.22, 0.28, &b);
    within("ankle", b.ankle, 0.03, 0.08, &b);
    within("foot", b.foot, 0.07, 0.15, &b);

    // Her joints by name and path, at rest where the generator put them.
    let forearm = model.joint(Bone::LeftForearm).expect("a left forearm");
    assert_eq!(forearm.name, "LeftForeArm");
    assert_eq!(
        forearm.path,
        [
            "Hips",
            "Spine",
            "Spine1",
            "Spine2",
            "LeftShoulder",
            "LeftArm",
            "LeftForeArm"
        ]
    );
    let at = forearm.rest_position();
    assert!(
        (at - Vec3::new(0.327, 0.918, -0.022)).length() < 0.002,
        "{at}"
    );
    assert!(
        (forearm.rest.matrix()
            - (model
                .joint(Bone::LeftUpperArm)
                .expect("arm")
                .rest_world
                .inverse()
                * forearm.rest_world))
            .abs_diff_eq(glam::Mat4::ZERO, 1e-4),
        "the rest transform is the joint's own, relative to its parent"
    );
    // In her avatar space she faces -Z: her left hand is at -X, her right at +X, and
    // her head bone is at the body plan's neck height.
    let avatar = model.avatar_from_model();
    let hand = |bone| avatar.transform_point3(model.joint(bone).expect("hand").rest_position());
    assert!(hand(Bone::LeftHand).x < -0.3 && hand(Bone::RightHand).x > 0.3);
    let head = avatar.transform_point3(model.joint(Bone::Head).expect("head").rest_position());
    assert!((head.y - b.neck_y).abs() < 1e-4);
    let nose_side =
        avatar.transform_point3(model.joint(Bone::LeftEye).expect("eye").rest_position());
    assert!(
        nose_side.z < head.z,
        "her eyes are in front of her head, towards -Z"
    );

    // The face: ARKit blinks, Oculus visemes.
    assert!(model.face.can(FaceChannel::Blink));
    assert_eq!(model.face.mouth(), MouthSupport::Visemes("Oculus"));
    let notes = notes_of(&loaded);
    assert!(notes.contains("humanoid (Mixamo / Ready Player Me): 24 bones, 16 of 16 required; 1.20 m tall, facing +Z; eye bones, no jaw bone; no clips"), "{notes}");
    assert!(
        notes.contains("`nayeon`'s face: blinks: yes (eyeBlinkLeft, eyeBlinkRight)"),
        "{notes}"
    );
}

#[test]
fn the_generated_adult_measures_as_an_adult_and_height_scales_her() {
    let loaded = check(
        &story(r#"(file: "models/humanoid_adult.glb")"#),
        "models/humanoid_adult.glb",
        generated("humanoid_adult.glb"),
    );
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let model = model_of(&loaded);
    let b = model.body;
    a_standing_person(&b);
    within("height", b.height, 1.69, 1.71, &b);
    within("hip_y", b.hip_y, 0.78, 0.88, &b);
    within("neck_y", b.neck_y, 1.45, 1.55, &b);
    within("eye_y", b.eye_y, 1.54, 1.62, &b);
    within("shoulder_y", b.shoulder_y, 1.33, 1.42, &b);
    within("shoulder_half", b.shoulder_half, 0.14, 0.2, &b);
    within("upper_arm", b.upper_arm, 0.27, 0.34, &b);
    within("forearm", b.forearm, 0.22, 0.28, &b);
    within("thigh", b.thigh, 0.32, 0.4, &b);
    within("shin", b.shin, 0.35, 0.42, &b);
    within("foot", b.foot, 0.1, 0.2, &b);

    // `height:` scales her and every figure with her.
    let loaded = check(
        &story(r#"(file: "models/humanoid_adult.glb", height: 1.55)"#),
        "models/humanoid_adult.glb",
        generated("humanoid_adult.glb"),
    );
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let scaled = model_of(&loaded);
    assert!((scaled.height() - 1.55).abs() < 1e-4);
    assert!((scaled.scale - 1.55 / model.own_height).abs() < 1e-6);
    assert_eq!(scaled.own_height, model.own_height);
    assert!((scaled.body.upper_arm - b.upper_arm * scaled.scale).abs() < 1e-5);
    let head = scaled
        .avatar_from_model()
        .transform_point3(scaled.joint(Bone::Head).expect("head").rest_position());
    assert!((head.y - scaled.body.neck_y).abs() < 1e-4);
}

/// A GLB with its JSON chunk edited by `edit` (lengths in the header recomputed).
fn edit_glb(bytes: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    reunion_modelkit::glb::edit_json(bytes, edit).expect("a GLB")
}

/// The child with her `LeftForeArm` node renamed `LeftForeArmX`.
fn child_without_left_forearm() -> Vec<u8> {
    edit_glb(&generated("humanoid_child.glb"), |json| {
        let nodes = json["nodes"].as_array_mut().expect("nodes");
        let node = nodes
            .iter_mut()
            .find(|n| n["name"] == "LeftForeArm")
            .expect("the child has a LeftForeArm");
        node["name"] = "LeftForeArmX".into();
    })
}

#[test]
fn a_missing_forearm_is_an_error_at_the_file_naming_the_bone_and_what_is_there() {
    let text = story(CHILD);
    let loaded = check(
        &text,
        "models/humanoid_child.glb",
        child_without_left_forearm(),
    );
    assert!(loaded.story.is_none());
    let errors: Vec<&Diagnostic> = loaded.diagnostics.errors().collect();
    assert_eq!(errors.len(), 1, "{}", loaded.diagnostics);
    let d = errors[0];
    assert_eq!(
        d.message,
        "`nayeon`'s model `models/humanoid_child.glb`: the model has no `left_forearm` bone (Mixamo / Ready Player Me name: `LeftForeArm`)"
    );
    let hint = d.hint.as_deref().unwrap_or("");
    assert!(hint.contains("did you mean `LeftForeArmX`?"), "{d}");
    assert!(hint.contains(r#"bones: { "left_forearm": "..." }"#), "{d}");
    assert!(hint.contains("the file's bones: Hips, Spine"), "{d}");
    assert_eq!(
        (d.line, d.col),
        line_col(&text, "\"models/humanoid_child.glb\"")
    );
    // Every other problem at once: the other bones are found.
    assert!(
        d.to_string()
            .contains("file: \"models/humanoid_child.glb\""),
        "{d}"
    );

    // Named in the cast entry, it is found.
    let loaded = check(
        &story(r#"(file: "models/humanoid_child.glb", bones: { "left_forearm": "LeftForeArmX" })"#),
        "models/humanoid_child.glb",
        child_without_left_forearm(),
    );
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let model = model_of(&loaded);
    assert_eq!(
        model.joint(Bone::LeftForearm).expect("found").name,
        "LeftForeArmX"
    );
}

#[test]
fn a_rename_to_a_node_the_file_lacks_is_an_error_at_the_rename() {
    let text = story(
        r#"(
                file: "models/humanoid_child.glb",
                bones: { "left_forearm": "LeftForArm", "left_lower_arm": "LeftForeArm", "head": "Body" },
            )"#,
    );
    let loaded = check(
        &text,
        "models/humanoid_child.glb",
        generated("humanoid_child.glb"),
    );
    let errors: Vec<&Diagnostic> = loaded.diagnostics.errors().collect();
    assert_eq!(errors.len(), 3, "{}", loaded.diagnostics);
    let missing = errors
        .iter()
        .find(|d| d.message.contains("`LeftForArm`"))
        .expect("the missing node");
    assert_eq!(
        missing.message,
        "the model has no node `LeftForArm` for `left_forearm`"
    );
    assert_eq!(missing.hint.as_deref(), Some("did you mean `LeftForeArm`?"));
    assert_eq!(
        (missing.line, missing.col),
        line_col(&text, "\"LeftForArm\"")
    );
    let key = errors
        .iter()
        .find(|d| d.message.contains("`left_lower_arm`"))
        .expect("the unknown key");
    assert_eq!(key.hint.as_deref(), Some("did you mean `left_forearm`?"));
    assert_eq!((key.line, key.col), line_col(&text, "\"left_lower_arm\""));
    let mesh = errors
        .iter()
        .find(|d| d.message.contains("`Body`"))
        .expect("a mesh node is not a bone");
    assert!(
        mesh.hint
            .as_deref()
            .unwrap_or("")
            .contains("not a joint of its skin"),
        "{mesh}"
    );
}

#[test]
fn a_prop_is_not_a_humanoid() {
    for prop in ["vase.glb", "chair.glb"] {
        let file = format!("models/{prop}");
        let text = story(&format!("(file: \"{file}\")"));
        let loaded = check(&text, &file, generated(prop));
        assert!(loaded.story.is_none(), "{prop}");
        let errors: Vec<&Diagnostic> = loaded.diagnostics.errors().collect();
        assert_eq!(errors.len(), 1, "{prop}: {}", loaded.diagnostics);
        let d = errors[0];
        assert!(d.message.contains("not a humanoid"), "{d}");
        assert!(d.message.contains("and no skin"), "{d}");
        assert!(d.message.contains("must be a rigged person"), "{d}");
        assert!(
            d.hint
                .as_deref()
                .unwrap_or("")
                .contains("export the person with her armature"),
            "{d}"
        );
        assert_eq!((d.line, d.col), line_col(&text, &format!("\"{file}\"")));
    }
}

/// The child with every mouth, jaw and viseme shape renamed to something no convention
/// knows (`Shape_4`): she keeps her blinks, eye and brow shapes.
fn child_without_mouth_shapes() -> Vec<u8> {
    edit_glb(&generated("humanoid_child.glb"), |json| {
        let head = json["meshes"]
            .as_array_mut()
            .expect("meshes")
            .iter_mut()
            .find(|m| m["name"] == "Head")
            .expect("the child has a head mesh");
        let names = head["extras"]["targetNames"]
            .as_array_mut()
            .expect("the head's shapes are named");
        let mut renamed = 0;
        for (i, name) in names.iter_mut().enumerate() {
            let n = name.as_str().expect("a name").to_owned();
            if ["jaw", "mouth", "viseme"].iter().any(|p| n.starts_with(p)) {
                *name = format!("Shape_{i}").into();
                renamed += 1;
            }
        }
        assert!(renamed >= 15, "only {renamed} mouth shapes renamed");
    })
}

#[test]
fn a_model_without_mouth_shapes_is_a_warning_that_her_lips_will_not_move() {
    let text = story(CHILD);
    let loaded = check(
        &text,
        "models/humanoid_child.glb",
        child_without_mouth_shapes(),
    );
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let warnings: Vec<&Diagnostic> = loaded.diagnostics.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", loaded.diagnostics);
    let w = warnings[0];
    assert!(w.message.contains("no mouth shape and no jaw bone"), "{w}");
    assert!(w.message.contains("she will not move her lips"), "{w}");
    assert!(
        w.hint
            .as_deref()
            .unwrap_or("")
            .contains("name others under `morphs: { ... }`"),
        "{w}"
    );
    assert_eq!((w.line, w.col), line_col(&text, CHILD));
    let model = model_of(&loaded);
    assert_eq!(model.face.mouth(), MouthSupport::None);
    assert!(model.face.can(FaceChannel::Blink));
    // What the face can still do, and what it cannot, in the note.
    let notes = notes_of(&loaded);
    assert!(
        notes.contains("blinks: yes (eyeBlinkLeft, eyeBlinkRight)"),
        "{notes}"
    );
    assert!(notes.contains("mouth shapes: none"), "{notes}");
    assert!(notes.contains("smile: no"), "{notes}");
    assert!(notes.contains("shapes not used: Shape_4"), "{notes}");

    // Named in the cast entry, a shape of the file opens her mouth again.
    let loaded = check(
        &story(r#"(file: "models/humanoid_child.glb", morphs: { "mouth_open": "Shape_4" })"#),
        "models/humanoid_child.glb",
        child_without_mouth_shapes(),
    );
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    assert_eq!(model_of(&loaded).face.mouth(), MouthSupport::JawMorph);
}

#[test]
fn what_the_generated_childs_face_can_do_is_said_in_a_note() {
    let loaded = check(
        &story(CHILD),
        "models/humanoid_child.glb",
        generated("humanoid_child.glb"),
    );
    assert!(loaded.diagnostics.is_clean(), "{}", loaded.diagnostics);
    let face: Vec<String> = loaded
        .diagnostics
        .notes()
        .map(|d| d.message.clone())
        .filter(|m| m.starts_with("`nayeon`'s face: "))
        .collect();
    assert_eq!(face.len(), 1, "{}", loaded.diagnostics);
    let face = &face[0];
    for said in [
        "blinks: yes (eyeBlinkLeft, eyeBlinkRight)",
        "mouth shapes: visemes (Oculus: viseme_aa",
        "smile: yes (mouthSmileLeft, mouthSmileRight)",
        "expressions: ",
    ] {
        assert!(face.contains(said), "`{said}` not in {face}");
    }
}

const ROBOT: &str = "models/RobotExpressive.glb";

#[test]
fn robot_expressive_is_a_humanoid_with_clips_no_mouth_no_blink_and_too_tall() {
    let Some(bytes) = shared("RobotExpressive.glb") else {
        return;
    };
    let text = story(r#"(file: "models/RobotExpressive.glb", clips: { "walk": "Walking" })"#);
    let loaded = check(&text, ROBOT, bytes.clone());
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let model = model_of(&loaded);
    assert_eq!(model.clip("idle"), Some("Idle"));
    assert_eq!(model.gesture_clip(Gesture::Wave), Some("Wave"));
    assert_eq!(model.clip("walk"), Some("Walking"));
    assert!(model.is_procedural(Gesture::Clap));
    assert_eq!(model.facing, Facing::PlusZ);
    assert!(
        (model.own_height - 4.6).abs() < 0.02,
        "{}",
        model.own_height
    );
    assert_eq!(model.face.mouth(), MouthSupport::None);
    // The bones, not the meshes named like them: the path tells them apart.
    let head = model.joint(Bone::Head).expect("a head");
    assert_eq!(
        head.path,
        [
            "RootNode",
            "RobotArmature",
            "Bone",
            "Body",
            "Hips",
            "Abdomen",
            "Torso",
            "Neck",
            "Head"
        ]
    );
    assert_eq!(model.joint(Bone::LeftHand).expect("a hand").name, "Palm2.L");
    // Its nodes rest in another pose than its skin's bind pose (a clip's first frame):
    // each bone keeps its bind pose, the one the animator moves her from.
    let turn = |m: glam::Mat4| m.to_scale_rotation_translation().1;
    let arm = model.joint(Bone::RightUpperArm).expect("an arm");
    let bind = arm.bind_world.expect("the arm is a joint of the skin");
    let off = turn(bind).angle_between(turn(arm.rest_world)).to_degrees();
    assert!(off > 30.0, "the arm's rest is {off:.0}° from its bind pose");

    let warnings = warnings_of(&loaded);
    assert_eq!(warnings.len(), 3, "{}", loaded.diagnostics);
    assert!(
        warnings.iter().any(|w| w.contains("no mouth shape")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("no blink shape")),
        "{warnings:?}"
    );
    let tall = warnings
        .iter()
        .find(|w| w.contains("stands 4.60 m tall"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(tall.contains("as the file is"), "{tall}");
    let d = loaded
        .diagnostics
        .warnings()
        .find(|d| d.message.contains("tall"))
        .expect("the height warning");
    assert_eq!(
        d.hint.as_deref(),
        Some("give her height in metres in the cast entry, such as `height: 1.2`")
    );
    let notes = notes_of(&loaded);
    assert!(notes.contains("clips: idle (`Idle`), walk (`Walking`), wave (`Wave`); the animator makes the gesture `Clap` (node `clapping`)"), "{notes}");
    assert!(notes.contains("`nayeon`'s skeleton: "), "{notes}");
    assert!(notes.contains("shapes not used: Angry"), "{notes}");

    // With her height given, she is scaled and nothing else is said of her size.
    let text = story(r#"(file: "models/RobotExpressive.glb", height: 1.3)"#);
    let loaded = check(&text, ROBOT, bytes);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let warnings = warnings_of(&loaded);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|w| !w.contains("tall")), "{warnings:?}");
    let model = model_of(&loaded);
    assert!((model.height() - 1.3).abs() < 1e-4);
    assert!((model.body.height - 1.3).abs() < 1e-4);
    a_standing_person(&model.body);
    assert!(
        notes_of(&loaded).contains("1.30 m tall (×0.283 from 4.60)"),
        "{}",
        notes_of(&loaded)
    );
}

#[test]
fn the_vrm_samples_are_read_and_have_no_skin() {
    let Some(mtoon) = shared("VRMC_materials_mtoon_UV_Animation_Test.vrm") else {
        return;
    };
    let Some(expressions) = shared("VRMC_vrm_expressions_isBinary_Overridden.vrm") else {
        return;
    };
    for (bytes, expect_material_only) in [(mtoon, false), (expressions, true)] {
        let text = story(r#"(file: "models/avatar.vrm")"#);
        let loaded = check(&text, "models/avatar.vrm", bytes);
        let errors: Vec<&Diagnostic> = loaded.diagnostics.errors().collect();
        assert_eq!(errors.len(), 1, "{}", loaded.diagnostics);
        assert!(
            errors[0]
                .message
                .contains("has a humanoid skeleton but no skin"),
            "{}",
            errors[0]
        );
        assert_eq!(
            (errors[0].line, errors[0].col),
            line_col(&text, "\"models/avatar.vrm\"")
        );
        let notes = notes_of(&loaded);
        assert!(
            notes.contains("VRMC_vrm: reunion reads the humanoid, expressions and look-at itself"),
            "{notes}"
        );
        assert_eq!(
            notes.contains("VRMC_materials_mtoon: shown with Bevy's standard material"),
            !expect_material_only,
            "{notes}"
        );
        assert_eq!(
            notes.contains("VRM expressions that only change materials (not shown): happy, blink")
                || notes.contains(
                    "VRM expressions that only change materials (not shown): blink, happy"
                ),
            expect_material_only,
            "{notes}"
        );
    }
}

#[test]
fn the_generated_child_as_a_vrm_avatar_is_read_by_its_vrm_map_and_expressions() {
    let bytes = reunion_modelkit::vrm::humanoid_child_vrm();
    let text = story(r#"(file: "models/child.vrm")"#);
    let loaded = check(&text, "models/child.vrm", bytes);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    let model = model_of(&loaded);
    assert_eq!(model.convention, reunion_story::humanoid::Convention::Vrm);
    // Its morph targets are meaningless names: the face is done by its expressions.
    for (channel, expression) in [
        ("aa", "aa"),
        ("ih", "ih"),
        ("ou", "ou"),
        ("ee", "ee"),
        ("oh", "oh"),
        ("blink", "blink"),
    ] {
        let c = reunion_story::face_shapes::FaceChannel::from_name(channel).expect("channel");
        let targets = model.face.get(c);
        assert!(
            targets.iter().any(|w| w.target
                == reunion_story::face_shapes::FaceTarget::Expression(expression.into())),
            "{channel} is not done by the `{expression}` expression: {targets:?}"
        );
    }
    // Each expression's binds name the head mesh's node by its path and the target
    // the generated head has for it.
    let names = reunion_modelkit::humanoid::target_names();
    for (expression, target) in [
        ("aa", "viseme_aa"),
        ("oh", "viseme_O"),
        ("blink", "eyeBlinkLeft"),
    ] {
        let binds = &model.expression(expression).expect("the expression").binds;
        let index = names.iter().position(|n| *n == target).expect("target");
        let bind = binds
            .iter()
            .find(|b| b.index == index)
            .unwrap_or_else(|| panic!("`{expression}` does not bind {target}: {binds:?}"));
        assert_eq!(bind.weight, 1.0);
        assert!(
            bind.path.last().is_some_and(|n| n == "Head"),
            "the bind's node is not the head mesh: {:?}",
            bind.path
        );
    }
    assert!(
        model
            .expression("happy")
            .is_some_and(|e| e.binds.len() == 4)
    );
}

#[test]
fn the_generated_childs_nodes_rest_in_her_bind_pose() {
    let text = story(r#"(file: "models/child.glb")"#);
    let loaded = check(&text, "models/child.glb", generated("humanoid_child.glb"));
    let model = model_of(&loaded);
    for j in &model.joints {
        let bind = j
            .bind_world
            .unwrap_or_else(|| panic!("{} is not a skin joint", j.name));
        assert!(
            bind.abs_diff_eq(j.rest_world, 1e-4),
            "{}: bind {bind:?} rest {:?}",
            j.name,
            j.rest_world
        );
    }
}
