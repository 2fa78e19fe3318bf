//! RobotExpressive.glb (FBX2glTF, CC0, from three.js's examples): meshes named like
//! bones, IK feet hanging from the root, palms instead of a hand.

use super::{assert_bones, complete};
use crate::humanoid::*;

/// The node list of `../shared/models/RobotExpressive.glb` (FBX2glTF), in file order
/// with each node's parent, as extracted from the file; checked against it below.
const ROBOT_EXPRESSIVE: &[(&str, Option<usize>)] = &[
    ("RootNode", None),
    ("RobotArmature", Some(0)),
    ("Bone", Some(1)),
    ("Foot.L", Some(2)),
    ("Foot.L", Some(3)),
    ("Foot.L_end", Some(3)),
    ("Body", Some(2)),
    ("Torso", Some(6)),
    ("Hips", Some(6)),
    ("Abdomen", Some(8)),
    ("Torso", Some(9)),
    ("Neck", Some(10)),
    ("Head", Some(11)),
    ("Head", Some(12)),
    ("Head_end", Some(12)),
    ("Shoulder.L", Some(10)),
    ("Shoulder.L", Some(15)),
    ("UpperArm.L", Some(15)),
    ("Arm.L", Some(17)),
    ("LowerArm.L", Some(17)),
    ("Palm2.L", Some(19)),
    ("Middle1.L", Some(20)),
    ("Middle2.L", Some(21)),
    ("Middle2.L_end", Some(22)),
    ("Thumb.L", Some(19)),
    ("Thumb2.L", Some(24)),
    ("Thumb2.L_end", Some(25)),
    ("Palm1.L", Some(19)),
    ("Index.L", Some(27)),
    ("Index2.L", Some(28)),
    ("Index2.L_end", Some(29)),
    ("Palm3.L", Some(19)),
    ("Ring1.L", Some(31)),
    ("Ring2.L", Some(32)),
    ("Ring2.L_end", Some(33)),
    ("Shoulder.R", Some(10)),
    ("Shoulder.R", Some(35)),
    ("UpperArm.R", Some(35)),
    ("Arm.R", Some(37)),
    ("LowerArm.R", Some(37)),
    ("Palm2.R", Some(39)),
    ("Middle1.R", Some(40)),
    ("Middle2.R", Some(41)),
    ("Middle2.R_end", Some(42)),
    ("Thumb.R", Some(39)),
    ("Thumb2.R", Some(44)),
    ("Thumb2.R_end", Some(45)),
    ("Palm1.R", Some(39)),
    ("Index.R", Some(47)),
    ("Index2.R", Some(48)),
    ("Index2.R_end", Some(49)),
    ("Palm3.R", Some(39)),
    ("Ring1.R", Some(51)),
    ("Ring2.R", Some(52)),
    ("Ring2.R_end", Some(53)),
    ("UpperLeg.L", Some(6)),
    ("Leg.L", Some(55)),
    ("LowerLeg.L", Some(55)),
    ("LowerLeg.L", Some(57)),
    ("LowerLeg.L_end", Some(57)),
    ("UpperLeg.R", Some(6)),
    ("Leg.R", Some(60)),
    ("LowerLeg.R", Some(60)),
    ("LowerLeg.R", Some(62)),
    ("LowerLeg.R_end", Some(62)),
    ("PoleTarget.L", Some(2)),
    ("PoleTarget.L_end", Some(65)),
    ("Foot.R", Some(2)),
    ("Foot.R", Some(67)),
    ("Foot.R_end", Some(67)),
    ("PoleTarget.R", Some(2)),
    ("PoleTarget.R_end", Some(70)),
    ("Hand.R", Some(0)),
    ("Hand.L", Some(0)),
];

fn robot_joints() -> Vec<Joint> {
    ROBOT_EXPRESSIVE
        .iter()
        .map(|(n, p)| Joint::new(*n, *p))
        .collect()
}

#[test]
fn robot_expressive_is_complete_with_its_palm_as_hand_and_ik_feet_noted() {
    let joints = robot_joints();
    let map = complete(&joints);
    assert_bones(
        &map,
        &[
            ("hips", "Hips"),
            ("spine", "Abdomen"),
            ("chest", "Torso"),
            ("neck", "Neck"),
            ("head", "Head"),
            ("left_shoulder", "Shoulder.L"),
            ("left_upper_arm", "UpperArm.L"),
            ("left_forearm", "LowerArm.L"),
            ("left_hand", "Palm2.L"),
            ("right_hand", "Palm2.R"),
            ("left_upper_leg", "UpperLeg.L"),
            ("left_lower_leg", "LowerLeg.L"),
            ("left_foot", "Foot.L"),
            ("right_foot", "Foot.R"),
        ],
    );
    // The bones, not the meshes that share their names, nor the root-level hand meshes.
    assert_eq!(map.node(Bone::Chest), Some(10));
    assert_eq!(map.node(Bone::Head), Some(12));
    assert_eq!(map.node(Bone::LeftShoulder), Some(15));
    assert_eq!(map.node(Bone::LeftLowerLeg), Some(57));
    assert_eq!(map.node(Bone::LeftFoot), Some(3));
    assert_eq!(map.convention, Convention::Fbx2gltf);
    let notes = map.notes.join("\n");
    assert!(notes.contains("`Hips` do not carry the legs"), "{notes}");
    assert!(notes.contains("hangs from `Body`"), "{notes}");
    assert!(
        notes.contains("`Foot.L` does not hang from `LowerLeg.L`"),
        "{notes}"
    );
    assert!(notes.contains("no left_hand bone: `Palm2.L`"), "{notes}");
}

/// The node names and parents of a `.glb` file's JSON chunk.
pub(super) fn glb_nodes(bytes: &[u8]) -> Vec<(String, Option<usize>)> {
    let len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let json: serde_json::Value = serde_json::from_slice(&bytes[20..20 + len]).expect("JSON chunk");
    let nodes = json["nodes"].as_array().expect("nodes");
    let mut parents = vec![None; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        for c in n["children"].as_array().into_iter().flatten() {
            parents[c.as_u64().expect("child index") as usize] = Some(i);
        }
    }
    nodes
        .iter()
        .zip(parents)
        .map(|(n, p)| (n["name"].as_str().unwrap_or("").to_string(), p))
        .collect()
}

#[test]
fn robot_expressive_list_is_the_real_files() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/models/RobotExpressive.glb"
    );
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("SKIPPED: {path} is absent; the embedded node list was not re-checked");
        return;
    };
    let real = glb_nodes(&bytes);
    let ours: Vec<(String, Option<usize>)> = ROBOT_EXPRESSIVE
        .iter()
        .map(|(n, p)| (n.to_string(), *p))
        .collect();
    assert_eq!(real, ours);
}
