//! The map on skeletons named the way real tools name them.

mod conventions;
mod robot_expressive;

use super::*;

/// Nodes from an indented outline: two spaces per level.
pub fn outline(text: &str) -> Vec<Joint> {
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let depth = (line.len() - line.trim_start().len()) / 2;
        stack.truncate(depth);
        out.push(Joint::new(line.trim(), stack.last().copied()));
        stack.push(out.len() - 1);
    }
    out
}

pub fn names_of(map: &HumanoidMap) -> BTreeMap<&'static str, String> {
    map.iter()
        .map(|(b, m)| (b.name(), m.name.clone()))
        .collect()
}

pub fn assert_bones(map: &HumanoidMap, expected: &[(&str, &str)]) {
    let got = names_of(map);
    for (ours, theirs) in expected {
        assert_eq!(
            got.get(ours).map(String::as_str),
            Some(*theirs),
            "{ours}: {got:#?}"
        );
    }
}

pub fn complete(joints: &[Joint]) -> HumanoidMap {
    let map = map_humanoid(joints, &[], &[]);
    assert_eq!(map.verdict(), Verdict::Complete, "{:#?}", map.missing);
    map
}

/// Mixamo's skeleton as Ready Player Me exports it: an `Armature` holding `Hips`, with
/// the eye meshes `EyeLeft`/`EyeRight` beside it (not bones).
pub const READY_PLAYER_ME: &str = "
Scene
  Armature
    Hips
      Spine
        Spine1
          Spine2
            Neck
              Head
                HeadTop_End
                LeftEye
                RightEye
            LeftShoulder
              LeftArm
                LeftForeArm
                  LeftHand
                    LeftHandThumb1
                      LeftHandThumb2
                    LeftHandIndex1
                      LeftHandIndex2
            RightShoulder
              RightArm
                RightForeArm
                  RightHand
                    RightHandIndex1
      LeftUpLeg
        LeftLeg
          LeftFoot
            LeftToeBase
              LeftToe_End
      RightUpLeg
        RightLeg
          RightFoot
            RightToeBase
  Wolf3D_Body
  EyeLeft
  EyeRight
";

#[test]
fn ready_player_me_names_map_to_every_bone_and_eyes_are_bones_not_meshes() {
    let map = complete(&outline(READY_PLAYER_ME));
    assert_bones(
        &map,
        &[
            ("hips", "Hips"),
            ("spine", "Spine"),
            ("chest", "Spine1"),
            ("upper_chest", "Spine2"),
            ("neck", "Neck"),
            ("head", "Head"),
            ("left_eye", "LeftEye"),
            ("right_eye", "RightEye"),
            ("left_shoulder", "LeftShoulder"),
            ("left_upper_arm", "LeftArm"),
            ("left_forearm", "LeftForeArm"),
            ("left_hand", "LeftHand"),
            ("right_forearm", "RightForeArm"),
            ("left_upper_leg", "LeftUpLeg"),
            ("left_lower_leg", "LeftLeg"),
            ("left_foot", "LeftFoot"),
            ("left_toes", "LeftToeBase"),
            ("right_toes", "RightToeBase"),
        ],
    );
    assert_eq!(map.convention, Convention::MixamoNames);
    assert!(map.notes.is_empty(), "{:?}", map.notes);
    assert!(map.get(Bone::Jaw).is_none());
}

#[test]
fn mixamo_prefixes_are_dropped_and_recognised() {
    for prefix in ["mixamorig:", "mixamorig1:"] {
        let text: String = READY_PLAYER_ME
            .lines()
            .map(|l| {
                let name = l.trim_start();
                let indent = &l[..l.len() - name.len()];
                let keep = name.is_empty() || ["Scene", "Armature"].contains(&name);
                if keep || name.starts_with("Wolf3D") || name.starts_with("Eye") {
                    format!("{l}\n")
                } else {
                    format!("{indent}{prefix}{name}\n")
                }
            })
            .collect();
        let map = complete(&outline(&text));
        assert_eq!(map.convention, Convention::Mixamo);
        assert_eq!(
            map.get(Bone::LeftForearm).map(|m| m.name.clone()),
            Some(format!("{prefix}LeftForeArm"))
        );
    }
}

/// Ready Player Me's names with one node taken out; its children hang from its parent.
fn without(text: &str, name: &str) -> Vec<Joint> {
    let joints = outline(text);
    let gone = joints
        .iter()
        .position(|j| j.name == name)
        .expect("node to remove");
    let up = joints[gone].parent;
    joints
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != gone)
        .map(|(_, mut j)| {
            j.parent = match j.parent {
                Some(p) if p == gone => up,
                p => p,
            };
            j.parent = j.parent.map(|p| if p > gone { p - 1 } else { p });
            j
        })
        .collect()
}

#[test]
fn a_missing_forearm_is_named_with_its_convention_and_the_gap_it_leaves() {
    let map = map_humanoid(&without(READY_PLAYER_ME, "LeftForeArm"), &[], &[]);
    assert_eq!(map.verdict(), Verdict::Incomplete);
    assert_eq!(map.missing.len(), 1, "{:#?}", map.missing);
    let m = &map.missing[0];
    assert_eq!(m.bone, Bone::LeftForearm);
    assert_eq!(
        m.message(),
        "the model has no `left_forearm` bone (Mixamo / Ready Player Me name: `LeftForeArm`)"
    );
    assert_eq!(m.gap, Some(("LeftArm".into(), "LeftHand".into())));
    let hint = m.hint(&map.file_bones);
    assert!(
        hint.contains("`LeftHand` hangs straight from `LeftArm`"),
        "{hint}"
    );
    assert!(
        hint.contains("bones: { \"left_forearm\": \"...\" }"),
        "{hint}"
    );
    assert!(
        hint.contains("the file's bones: Scene, Armature, Hips, Spine"),
        "{hint}"
    );
    // The other side is untouched.
    assert_eq!(
        map.get(Bone::RightForearm).map(|m| m.name.as_str()),
        Some("RightForeArm")
    );
}

#[test]
fn a_misspelt_forearm_is_suggested_and_a_twist_bone_too() {
    let text = READY_PLAYER_ME.replace("LeftForeArm", "LeftForArm");
    let map = map_humanoid(&outline(&text), &[], &[]);
    let m = &map.missing[0];
    assert_eq!(m.bone, Bone::LeftForearm);
    assert_eq!(m.suggestions, ["LeftForArm"]);
    assert_eq!(m.gap, None);
    assert!(
        m.hint(&[]).starts_with("did you mean `LeftForArm`?"),
        "{}",
        m.hint(&[])
    );

    let text = "
hips
  spine
    neck
      head
    upper_arm.L
      forearm_twist.L
        hand.L
    upper_arm.R
      forearm.R
        hand.R
    forearm_tweak.R
  thigh.L
    shin.L
      foot.L
  thigh.R
    shin.R
      foot.R
";
    let map = map_humanoid(&outline(text), &[], &[]);
    assert_eq!(map.missing.len(), 1, "{:#?}", map.missing);
    let m = &map.missing[0];
    assert_eq!(m.bone, Bone::LeftForearm);
    assert_eq!(m.suggestions, ["forearm_twist.L"], "only the left side's");
    assert_eq!(
        m.expected,
        Some((Convention::Rigify, "forearm.L".to_string()))
    );
}

#[test]
fn a_prop_is_not_a_humanoid() {
    let text = "
Lamp
  Base
  Arm
    Shade
      Bulb
  Switch
";
    let map = map_humanoid(&outline(text), &[], &[]);
    assert_eq!(map.verdict(), Verdict::NotHumanoid);
    assert_eq!(map.required_found(), 0);
    assert_eq!(map.missing.len(), 16);
    assert!(
        map.summary().starts_with("not a humanoid"),
        "{}",
        map.summary()
    );
}

#[test]
fn the_vrm_map_wins_over_names_and_renames_win_over_both() {
    // Nodes as in the VRM 1.0 sample VRMC_vrm_expressions_isBinary_Overridden.vrm.
    let names = [
        "Head",
        "Neck",
        "Hand.R",
        "LowerArm.R",
        "UpperArm.R",
        "Shoulder.R",
        "Hand.L",
        "LowerArm.L",
        "UpperArm.L",
        "Shoulder.L",
        "UpperChest",
        "Chest",
        "Spine",
        "Toes.R",
        "Foot.R",
        "LowerLeg.R",
        "UpperLeg.R",
        "Toes.L",
        "Foot.L",
        "LowerLeg.L",
        "UpperLeg.L",
        "Hips",
    ];
    let parents = [
        1, 10, 3, 4, 5, 10, 7, 8, 9, 10, 11, 12, 21, 14, 15, 16, 21, 18, 19, 20, 21,
    ];
    let mut joints: Vec<Joint> = names
        .iter()
        .enumerate()
        .map(|(i, n)| Joint::new(*n, parents.get(i).copied()))
        .collect();
    joints.push(Joint::new("Palm.L", Some(6)));
    let vrm_pairs = [
        ("hips", 21),
        ("spine", 12),
        ("chest", 11),
        ("upperChest", 10),
        ("neck", 1),
        ("head", 0),
        ("leftUpperLeg", 20),
        ("leftLowerLeg", 19),
        ("leftFoot", 18),
        ("leftToes", 17),
        ("rightUpperLeg", 16),
        ("rightLowerLeg", 15),
        ("rightFoot", 14),
        ("rightToes", 13),
        ("leftShoulder", 9),
        ("leftUpperArm", 8),
        ("leftLowerArm", 7),
        ("leftHand", 22), // points at Palm.L, not the Hand.L a name search would pick
        ("rightShoulder", 5),
        ("rightUpperArm", 4),
        ("rightLowerArm", 3),
        ("rightHand", 2),
        ("leftThumbProximal", 6),
        ("jaw", 99),
    ];
    let vrm: Vec<VrmBone> = vrm_pairs
        .iter()
        .map(|(b, n)| VrmBone {
            bone: b.to_string(),
            node: *n,
        })
        .collect();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/models/VRMC_vrm_expressions_isBinary_Overridden.vrm"
    );
    match std::fs::read(path) {
        Ok(bytes) => {
            let real = robot_expressive::glb_nodes(&bytes);
            let ours: Vec<(String, Option<usize>)> = joints[..22]
                .iter()
                .map(|j| (j.name.clone(), j.parent))
                .collect();
            assert_eq!(real[..22], ours[..], "the sample's first 22 nodes");
        }
        Err(_) => eprintln!("SKIPPED: {path} is absent; the node list was not re-checked"),
    }
    let map = map_humanoid(&joints, &vrm, &[]);
    assert_eq!(map.verdict(), Verdict::Complete);
    assert_eq!(map.convention, Convention::Vrm);
    let hand = map.get(Bone::LeftHand).expect("left hand");
    assert_eq!((hand.name.as_str(), hand.source), ("Palm.L", Source::Vrm));
    assert!(
        map.notes
            .iter()
            .any(|n| n.contains("`jaw` points at node 99"))
    );

    let renames = [("left_hand".to_string(), "hand.l".to_string())];
    let map = map_humanoid(&joints, &vrm, &renames);
    let hand = map.get(Bone::LeftHand).expect("left hand");
    assert_eq!(
        (hand.name.as_str(), hand.source),
        ("Hand.L", Source::Author)
    );
    assert!(map.rename_problems.is_empty());
}

#[test]
fn renames_name_bones_no_convention_knows_and_bad_ones_are_reported() {
    let text = "
Root_01
  Body_01
    Body_02
      Body_03
        Head_01
      Arm_L_01
        Arm_L_02
          Arm_L_03
      Arm_R_01
        Arm_R_02
          Arm_R_03
    Leg_L_01
      Leg_L_02
        Leg_L_03
    Leg_R_01
      Leg_R_02
        Leg_R_03
";
    let ours = [
        ("hips", "Body_01"),
        ("spine", "Body_02"),
        ("neck", "Body_03"),
        ("head", "Head_01"),
        ("left_upper_arm", "Arm_L_01"),
        ("left_forearm", "Arm_L_02"),
        ("left_hand", "Arm_L_03"),
        ("right_upper_arm", "Arm_R_01"),
        ("right_forearm", "Arm_R_02"),
        ("right_hand", "Arm_R_03"),
        ("left_upper_leg", "Leg_L_01"),
        ("left_lower_leg", "Leg_L_02"),
        ("left_foot", "Leg_L_03"),
        ("right_upper_leg", "Leg_R_01"),
        ("right_lower_leg", "Leg_R_02"),
        ("right_foot", "Leg_R_03"),
    ];
    let renames: Vec<(String, String)> = ours
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let map = map_humanoid(&outline(text), &[], &renames);
    assert_eq!(map.verdict(), Verdict::Complete, "{:#?}", map.missing);
    assert_eq!(map.convention, Convention::Author);
    assert_bones(&map, &ours);

    let bad = [
        ("left_lower_arm".to_string(), "Arm_L_02".to_string()),
        ("left_hand".to_string(), "Arm_L_3".to_string()),
    ];
    let map = map_humanoid(&outline(text), &[], &bad);
    assert_eq!(map.rename_problems.len(), 2);
    let p0 = &map.rename_problems[0];
    assert_eq!(p0.index(), 0);
    assert!(
        p0.message().contains("`left_lower_arm` is not a bone"),
        "{}",
        p0.message()
    );
    assert_eq!(p0.hint(), Some("did you mean `left_forearm`?"));
    let p1 = &map.rename_problems[1];
    assert_eq!(
        p1.message(),
        "the model has no node `Arm_L_3` for `left_hand`"
    );
    assert_eq!(p1.hint(), Some("did you mean `Arm_L_03`?"));
}

#[test]
fn the_summary_says_convention_and_counts() {
    let map = complete(&outline(READY_PLAYER_ME));
    assert_eq!(
        map.summary(),
        "humanoid (Mixamo / Ready Player Me): 24 bones, 16 of 16 required"
    );
}
