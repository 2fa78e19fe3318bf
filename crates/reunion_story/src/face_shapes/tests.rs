//! The face map on the shape sets real avatars carry.

use super::*;

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn targets(map: &FaceMap, channel: impl Into<FaceChannel>) -> Vec<(String, f32)> {
    map.get(channel.into())
        .iter()
        .map(|w| {
            let name = match &w.target {
                FaceTarget::Morph(n) => n.clone(),
                FaceTarget::Expression(n) => format!("expr:{n}"),
                FaceTarget::JawBone => "jaw".to_string(),
            };
            (name, (w.weight * 100.0).round() / 100.0)
        })
        .collect()
}

fn t(name: &str, w: f32) -> (String, f32) {
    (name.to_string(), w)
}

/// ARKit's 52 blendshapes, as Ready Player Me and many others name them.
const ARKIT_52: [&str; 52] = [
    "browDownLeft",
    "browDownRight",
    "browInnerUp",
    "browOuterUpLeft",
    "browOuterUpRight",
    "cheekPuff",
    "cheekSquintLeft",
    "cheekSquintRight",
    "eyeBlinkLeft",
    "eyeBlinkRight",
    "eyeLookDownLeft",
    "eyeLookDownRight",
    "eyeLookInLeft",
    "eyeLookInRight",
    "eyeLookOutLeft",
    "eyeLookOutRight",
    "eyeLookUpLeft",
    "eyeLookUpRight",
    "eyeSquintLeft",
    "eyeSquintRight",
    "eyeWideLeft",
    "eyeWideRight",
    "jawForward",
    "jawLeft",
    "jawOpen",
    "jawRight",
    "mouthClose",
    "mouthDimpleLeft",
    "mouthDimpleRight",
    "mouthFrownLeft",
    "mouthFrownRight",
    "mouthFunnel",
    "mouthLeft",
    "mouthLowerDownLeft",
    "mouthLowerDownRight",
    "mouthPressLeft",
    "mouthPressRight",
    "mouthPucker",
    "mouthRight",
    "mouthRollLower",
    "mouthRollUpper",
    "mouthShrugLower",
    "mouthShrugUpper",
    "mouthSmileLeft",
    "mouthSmileRight",
    "mouthStretchLeft",
    "mouthStretchRight",
    "mouthUpperUpLeft",
    "mouthUpperUpRight",
    "noseSneerLeft",
    "noseSneerRight",
    "tongueOut",
];

const OCULUS_15: [&str; 15] = [
    "viseme_sil",
    "viseme_PP",
    "viseme_FF",
    "viseme_TH",
    "viseme_DD",
    "viseme_kk",
    "viseme_CH",
    "viseme_SS",
    "viseme_nn",
    "viseme_RR",
    "viseme_aa",
    "viseme_E",
    "viseme_I",
    "viseme_O",
    "viseme_U",
];

/// Ready Player Me: ARKit and Oculus visemes, repeated on the head, teeth and eyes.
fn ready_player_me() -> Vec<String> {
    let mut names = strings(&ARKIT_52);
    names.extend(strings(&OCULUS_15));
    names.extend(strings(&[
        "jawOpen",
        "viseme_aa",
        "eyeBlinkLeft",
        "mouthOpen",
        "mouthSmile",
    ]));
    names
}

#[test]
fn ready_player_me_speaks_in_oculus_visemes_and_blinks_with_arkit() {
    let map = map_face(&ready_player_me(), &[], false, &[]);
    assert_eq!(map.mouth(), MouthSupport::Visemes("Oculus"));
    assert_eq!(targets(&map, Viseme::Aa), [t("viseme_aa", 1.0)]);
    assert_eq!(targets(&map, Viseme::Ou), [t("viseme_U", 1.0)]);
    assert_eq!(targets(&map, Viseme::Pp), [t("viseme_PP", 1.0)]);
    assert_eq!(targets(&map, Viseme::Sil), [t("viseme_sil", 1.0)]);
    assert_eq!(
        targets(&map, FaceChannel::Blink),
        [t("eyeBlinkLeft", 1.0), t("eyeBlinkRight", 1.0)]
    );
    assert_eq!(
        targets(&map, FaceChannel::BlinkLeft),
        [t("eyeBlinkLeft", 1.0)]
    );
    assert_eq!(targets(&map, FaceChannel::MouthOpen), [t("jawOpen", 1.0)]);
    assert_eq!(
        targets(&map, Expression::Surprised),
        [
            t("eyeWideLeft", 0.8),
            t("eyeWideRight", 0.8),
            t("browOuterUpLeft", 0.7),
            t("browOuterUpRight", 0.7),
            t("browInnerUp", 0.42),
            t("jawOpen", 0.3),
        ]
    );
    assert_eq!(
        map.resolved(Expression::Sad.into()).map(|r| r.source),
        Some("composed")
    );
    let report = map.report();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(report.lines[0], "blinks: yes (eyeBlinkLeft, eyeBlinkRight)");
    assert!(report.lines[1].starts_with("mouth shapes: visemes (Oculus: viseme_aa, viseme_I"));
    assert_eq!(
        report.lines[2],
        "smile: yes (mouthSmileLeft, mouthSmileRight)"
    );
    assert!(report.lines[3].starts_with("expressions: smile (composed); laugh (composed)"));
    // Each name once, though the file repeats them; the consonant visemes are unused.
    assert!(map.unused.contains(&"viseme_FF".to_string()));
    assert_eq!(map.unused.iter().filter(|n| *n == "viseme_FF").count(), 1);
    let unused_line = report.lines.last().map(String::as_str).unwrap_or("");
    assert!(unused_line.starts_with("shapes not used: browDownLeft, browDownRight, cheekPuff"));
    assert!(unused_line.ends_with(&format!("… and {} more", map.unused.len() - MAX_LISTED)));
}

#[test]
fn arkit_alone_composes_the_visemes() {
    let map = map_face(&strings(&ARKIT_52), &[], false, &[]);
    assert_eq!(map.mouth(), MouthSupport::Visemes("ARKit"));
    assert_eq!(
        targets(&map, Viseme::Oh),
        [t("jawOpen", 0.4), t("mouthFunnel", 0.7)]
    );
    assert_eq!(targets(&map, Viseme::Aa)[0], t("jawOpen", 0.7));
    assert_eq!(targets(&map, Viseme::Ou)[0], t("mouthPucker", 0.9));
    assert_eq!(
        targets(&map, Viseme::Pp)[..2],
        [t("mouthPressLeft", 0.6), t("mouthPressRight", 0.6)]
    );
    let ee = targets(&map, Viseme::Ee);
    assert!(ee.contains(&t("mouthStretchLeft", 0.5)) && ee.contains(&t("jawOpen", 0.25)));
    let ih = targets(&map, Viseme::Ih);
    assert!(ih.contains(&t("mouthSmileLeft", 0.3)) && ih.contains(&t("jawOpen", 0.15)));
    // No ARKit shape means rest, so sil has nothing to move.
    assert!(map.get(Viseme::Sil.into()).is_empty());
}

#[test]
fn robot_expressive_has_sad_and_surprised_but_no_mouth() {
    let shapes = strings(&["Angry", "Surprised", "Sad"]);
    let map = map_face(&shapes, &[], false, &[]);
    assert_eq!(map.mouth(), MouthSupport::None);
    assert_eq!(targets(&map, Expression::Sad), [t("Sad", 1.0)]);
    assert_eq!(targets(&map, Expression::Surprised), [t("Surprised", 1.0)]);
    assert!(!map.can(FaceChannel::Blink));
    assert!(!map.can(Expression::Smile.into()));
    assert_eq!(map.unused, ["Angry"]);
    let report = map.report();
    assert_eq!(
        report.warnings,
        [
            "the model has no blink shape: her eyes will not close",
            "the model has no mouth shape and no jaw bone: she will not move her lips"
        ]
    );
    assert!(report.lines.contains(
        &"expressions: sad (Sad); surprised (Surprised); not: smile, laugh, sleepy".to_string()
    ));
    assert!(report.lines.contains(&"shapes not used: Angry".to_string()));

    // With a jaw bone, the vowels open it by how open they are.
    let map = map_face(&shapes, &[], true, &[]);
    assert_eq!(map.mouth(), MouthSupport::JawBone);
    let open = |v: Viseme| targets(&map, v);
    assert_eq!(open(Viseme::Aa), [t("jaw", 0.8)]);
    assert_eq!(open(Viseme::Oh), [t("jaw", 0.55)]);
    assert_eq!(open(Viseme::Ih), [t("jaw", 0.2)]);
    assert!(map.get(Viseme::Pp.into()).is_empty(), "closed is rest");
    assert!(map.report().warnings.iter().all(|w| !w.contains("lips")));
    assert_eq!(targets(&map, Expression::Surprised), [t("Surprised", 1.0)]);
}

#[test]
fn todays_three_names_still_work_with_a_jaw_only_mouth() {
    let map = map_face(&strings(&["mouth_open", "blink", "smile"]), &[], true, &[]);
    assert_eq!(
        map.mouth(),
        MouthSupport::JawMorph,
        "a shape beats the bone"
    );
    assert_eq!(targets(&map, Viseme::Aa), [t("mouth_open", 0.8)]);
    assert_eq!(targets(&map, Viseme::Ou), [t("mouth_open", 0.2)]);
    assert_eq!(targets(&map, FaceChannel::Blink), [t("blink", 1.0)]);
    assert_eq!(targets(&map, Expression::Smile), [t("smile", 0.8)]);
    assert_eq!(
        targets(&map, Expression::Laugh),
        [t("smile", 1.0), t("mouth_open", 0.35)]
    );
    assert_eq!(targets(&map, Expression::Sleepy), [t("blink", 0.55)]);
    assert!(map.report().lines[1].starts_with("mouth shapes: the jaw opens only (`mouth_open`)"));
}

fn vrm(names: &[&str], morph_binds: usize) -> Vec<VrmExpression> {
    names
        .iter()
        .map(|n| VrmExpression {
            name: n.to_string(),
            morph_binds,
            material_binds: 0,
        })
        .collect()
}

#[test]
fn vrm_presets_drive_visemes_blinks_and_expressions() {
    let presets = vrm(
        &[
            "aa",
            "ih",
            "ou",
            "ee",
            "oh",
            "blink",
            "blinkLeft",
            "blinkRight",
            "happy",
            "angry",
            "sad",
            "relaxed",
            "surprised",
            "neutral",
            "lookUp",
        ],
        2,
    );
    // A VRoid-made VRM also carries the raw shapes; the presets win.
    let morphs = strings(&[
        "Face.M_F00_000_00_Fcl_MTH_A",
        "Face.M_F00_000_00_Fcl_EYE_Close",
    ]);
    let map = map_face(&morphs, &presets, false, &[]);
    assert_eq!(map.mouth(), MouthSupport::Visemes("VRM"));
    assert_eq!(targets(&map, Viseme::Oh), [t("expr:oh", 1.0)]);
    assert_eq!(targets(&map, FaceChannel::Blink), [t("expr:blink", 1.0)]);
    assert_eq!(targets(&map, Expression::Smile), [t("expr:happy", 0.7)]);
    assert_eq!(
        targets(&map, Expression::Laugh),
        [t("expr:happy", 1.0), t("expr:aa", 0.4)]
    );
    assert_eq!(targets(&map, Expression::Sad), [t("expr:sad", 0.9)]);
    assert_eq!(targets(&map, Expression::Neutral), [t("expr:neutral", 1.0)]);
    assert_eq!(
        targets(&map, Expression::Sleepy),
        [t("expr:blink", 0.55), t("expr:relaxed", 0.3)]
    );
}

#[test]
fn vrm_0_names_and_material_only_expressions() {
    let presets = vrm(
        &[
            "A", "I", "U", "E", "O", "Blink", "Blink_L", "Blink_R", "Joy", "Sorrow", "Fun",
        ],
        1,
    );
    let map = map_face(&[], &presets, false, &[]);
    assert_eq!(targets(&map, Viseme::Ee), [t("expr:E", 1.0)]);
    assert_eq!(
        targets(&map, FaceChannel::BlinkRight),
        [t("expr:Blink_R", 1.0)]
    );
    assert_eq!(targets(&map, Expression::Smile), [t("expr:Joy", 0.7)]);
    assert_eq!(targets(&map, Expression::Sad), [t("expr:Sorrow", 0.9)]);

    // The VRM 1.0 sample VRMC_vrm_expressions_isBinary_Overridden.vrm: its `happy` and
    // `blink` only move textures.
    let sample = [
        VrmExpression {
            name: "happy".into(),
            morph_binds: 0,
            material_binds: 2,
        },
        VrmExpression {
            name: "blink".into(),
            morph_binds: 0,
            material_binds: 2,
        },
    ];
    let map = map_face(&[], &sample, false, &[]);
    assert!(!map.can(FaceChannel::Blink));
    assert_eq!(map.material_only, ["happy", "blink"]);
    let report = map.report();
    assert!(
        report
            .lines
            .iter()
            .any(|l| l == "VRM expressions that only change materials (not shown): happy, blink")
    );
    assert_eq!(report.warnings.len(), 2);
}

#[test]
fn vroid_shapes_with_their_mesh_prefix() {
    let names: Vec<String> = [
        "Fcl_ALL_Neutral",
        "Fcl_ALL_Angry",
        "Fcl_ALL_Fun",
        "Fcl_ALL_Joy",
        "Fcl_ALL_Sorrow",
        "Fcl_ALL_Surprised",
        "Fcl_BRW_Angry",
        "Fcl_BRW_Fun",
        "Fcl_BRW_Joy",
        "Fcl_BRW_Sorrow",
        "Fcl_BRW_Surprised",
        "Fcl_EYE_Natural",
        "Fcl_EYE_Close",
        "Fcl_EYE_Close_R",
        "Fcl_EYE_Close_L",
        "Fcl_EYE_Joy",
        "Fcl_EYE_Surprised",
        "Fcl_EYE_Spread",
        "Fcl_MTH_Close",
        "Fcl_MTH_Up",
        "Fcl_MTH_Down",
        "Fcl_MTH_Fun",
        "Fcl_MTH_Joy",
        "Fcl_MTH_Sorrow",
        "Fcl_MTH_Surprised",
        "Fcl_MTH_A",
        "Fcl_MTH_I",
        "Fcl_MTH_U",
        "Fcl_MTH_E",
        "Fcl_MTH_O",
    ]
    .iter()
    .map(|n| format!("Face.M_F00_000_00_{n}"))
    .collect();
    let map = map_face(&names, &[], false, &[]);
    let p = |n: &str| format!("Face.M_F00_000_00_{n}");
    assert_eq!(map.mouth(), MouthSupport::Visemes("VRoid"));
    assert_eq!(targets(&map, Viseme::Ih), [(p("Fcl_MTH_I"), 1.0)]);
    assert_eq!(targets(&map, Viseme::Pp), [(p("Fcl_MTH_Close"), 1.0)]);
    assert_eq!(
        targets(&map, FaceChannel::Blink),
        [(p("Fcl_EYE_Close"), 1.0)]
    );
    assert_eq!(
        targets(&map, FaceChannel::BlinkLeft),
        [(p("Fcl_EYE_Close_L"), 1.0)]
    );
    assert_eq!(
        targets(&map, FaceChannel::BrowsInnerUp),
        [(p("Fcl_BRW_Sorrow"), 1.0)]
    );
    assert_eq!(
        targets(&map, Expression::Surprised),
        [(p("Fcl_ALL_Surprised"), 1.0)]
    );
    assert_eq!(targets(&map, Expression::Laugh)[0], (p("Fcl_ALL_Joy"), 1.0));
    assert_eq!(
        targets(&map, Expression::Neutral),
        [(p("Fcl_ALL_Neutral"), 1.0)]
    );
}

#[test]
fn character_creator_names() {
    let names = strings(&[
        "Eye_Blink_L",
        "Eye_Blink_R",
        "Eye_Wide_L",
        "Eye_Wide_R",
        "Mouth_Smile_L",
        "Mouth_Smile_R",
        "Mouth_Frown_L",
        "Mouth_Frown_R",
        "Brow_Raise_Inner_L",
        "Brow_Raise_Inner_R",
        "Brow_Raise_Outer_L",
        "Brow_Raise_Outer_R",
        "Cheek_Raise_L",
        "Cheek_Raise_R",
        "Jaw_Open",
        "V_Open",
        "V_Explosive",
        "V_Dental_Lip",
        "V_Tight_O",
        "V_Tight",
        "V_Wide",
        "V_Affricate",
        "V_Lip_Open",
    ]);
    let map = map_face(&names, &[], true, &[]);
    assert_eq!(map.mouth(), MouthSupport::Visemes("Character Creator"));
    assert_eq!(targets(&map, Viseme::Pp), [t("V_Explosive", 1.0)]);
    assert_eq!(
        targets(&map, Viseme::Ou),
        [t("V_Tight_O", 1.0), t("V_Tight", 0.3)]
    );
    assert_eq!(
        targets(&map, FaceChannel::Blink),
        [t("Eye_Blink_L", 1.0), t("Eye_Blink_R", 1.0)]
    );
    assert_eq!(targets(&map, FaceChannel::MouthOpen), [t("Jaw_Open", 1.0)]);
    assert_eq!(
        targets(&map, FaceChannel::Cheeks),
        [t("Cheek_Raise_L", 1.0), t("Cheek_Raise_R", 1.0)]
    );
    assert_eq!(
        targets(&map, Expression::Sad),
        [
            t("Brow_Raise_Inner_L", 0.8),
            t("Brow_Raise_Inner_R", 0.8),
            t("Mouth_Frown_L", 0.6),
            t("Mouth_Frown_R", 0.6)
        ]
    );
}

#[test]
fn single_letter_vowels_count_only_as_a_set() {
    let map = map_face(&strings(&["A", "I", "U", "E", "O"]), &[], false, &[]);
    assert_eq!(map.mouth(), MouthSupport::Visemes("named"));
    assert_eq!(targets(&map, Viseme::Ou), [t("U", 1.0)]);
    // A lone "O" (a ring, a logo) is not a mouth.
    let map = map_face(&strings(&["O", "Blink"]), &[], false, &[]);
    assert_eq!(map.mouth(), MouthSupport::None);
    assert_eq!(map.unused, ["O"]);
}

#[test]
fn the_cast_entry_renames_win_and_bad_ones_are_reported() {
    let names = strings(&["MouthA", "MouthO", "EyesShut", "jawOpen"]);
    let renames = vec![
        ("aa".to_string(), "MouthA".to_string()),
        ("oh".to_string(), "mouth_o".to_string()),
        ("blink".to_string(), "EyesShut".to_string()),
        ("blinkk".to_string(), "EyesShut".to_string()),
        ("ou".to_string(), "MouthU".to_string()),
    ];
    let map = map_face(&names, &[], false, &renames);
    assert_eq!(targets(&map, Viseme::Aa), [t("MouthA", 1.0)]);
    assert_eq!(
        map.resolved(Viseme::Aa.into()).map(|r| r.source),
        Some("cast entry")
    );
    assert_eq!(
        targets(&map, Viseme::Oh),
        [t("MouthO", 1.0)],
        "case and separators forgiven"
    );
    assert_eq!(targets(&map, FaceChannel::Blink), [t("EyesShut", 1.0)]);
    assert_eq!(map.rename_problems.len(), 2, "{:?}", map.rename_problems);
    let unknown = &map.rename_problems[0];
    assert_eq!(unknown.index(), 3);
    assert!(
        unknown
            .message()
            .starts_with("`blinkk` is not a face channel")
    );
    assert_eq!(unknown.hint(), Some("did you mean `blink`?"));
    let missing = &map.rename_problems[1];
    assert_eq!(
        missing.message(),
        "the model has no morph target or expression `MouthU` for `ou`"
    );
    assert_eq!(missing.hint(), Some("did you mean `MouthA`?"));
    // Channels not renamed still fall back: ou from the jaw.
    assert_eq!(targets(&map, Viseme::Ou), [t("jawOpen", 0.2)]);
}

#[test]
fn apply_sums_channels_per_target_and_clamps() {
    let map = map_face(&strings(&ARKIT_52), &[], false, &[]);
    let out = map.apply(&[
        (FaceChannel::Blink, 1.0),
        (Expression::Sleepy.into(), 1.0),
        (Viseme::Oh.into(), 0.5),
        (Viseme::Aa.into(), 0.5),
    ]);
    let get = |n: &str| {
        out.iter()
            .find(|(t, _)| *t == FaceTarget::Morph(n.to_string()))
            .map(|(_, w)| *w)
    };
    assert_eq!(get("eyeBlinkLeft"), Some(1.0), "1 + 0.55 clamps to 1");
    assert_eq!(get("mouthFunnel"), Some(0.35));
    assert!(
        (get("jawOpen").unwrap_or(0.0) - 0.55).abs() < 1e-6,
        "0.5 × 0.4 + 0.5 × 0.7"
    );
    assert_eq!(get("mouthSmileLeft"), None);
    assert!(map.apply(&[]).is_empty());
}
