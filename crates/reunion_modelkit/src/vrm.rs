//! The generated humanoid as a VRM 1.0 avatar (`.vrm`: glTF with `VRMC_vrm`), made
//! from her `.glb`: her humanoid bones named in the VRM map, her morph targets renamed
//! to meaningless names (`Shape.00`, ...) so that only the VRM expressions can say
//! what they do, and the expressions a VRoid or VRM export carries bound to them —
//! the five vowels, blinks, `happy`, `sad`, `surprised`, `relaxed` — with look-at by
//! the eye bones. Tests read it as an author's VRM avatar would be read.

use serde_json::{Value, json};

/// VRM 1.0 bone names onto the generated humanoid's (Mixamo) node names.
const HUMAN_BONES: [(&str, &str); 22] = [
    ("hips", "Hips"),
    ("spine", "Spine"),
    ("chest", "Spine1"),
    ("upperChest", "Spine2"),
    ("neck", "Neck"),
    ("head", "Head"),
    ("leftEye", "LeftEye"),
    ("rightEye", "RightEye"),
    ("leftShoulder", "LeftShoulder"),
    ("leftUpperArm", "LeftArm"),
    ("leftLowerArm", "LeftForeArm"),
    ("leftHand", "LeftHand"),
    ("rightShoulder", "RightShoulder"),
    ("rightUpperArm", "RightArm"),
    ("rightLowerArm", "RightForeArm"),
    ("rightHand", "RightHand"),
    ("leftUpperLeg", "LeftUpLeg"),
    ("leftLowerLeg", "LeftLeg"),
    ("leftFoot", "LeftFoot"),
    ("rightUpperLeg", "RightUpLeg"),
    ("rightLowerLeg", "RightLeg"),
    ("rightFoot", "RightFoot"),
];

/// Each VRM preset expression and the head's morph targets (by their names in the
/// `.glb`) it moves, with weights.
const EXPRESSIONS: [(&str, &[(&str, f32)]); 10] = [
    ("aa", &[("viseme_aa", 1.0)]),
    ("ih", &[("viseme_I", 1.0)]),
    ("ou", &[("viseme_U", 1.0)]),
    ("ee", &[("viseme_E", 1.0)]),
    ("oh", &[("viseme_O", 1.0)]),
    ("blink", &[("eyeBlinkLeft", 1.0), ("eyeBlinkRight", 1.0)]),
    (
        "happy",
        &[
            ("mouthSmileLeft", 1.0),
            ("mouthSmileRight", 1.0),
            ("cheekSquintLeft", 0.6),
            ("cheekSquintRight", 0.6),
        ],
    ),
    (
        "sad",
        &[
            ("mouthFrownLeft", 0.8),
            ("mouthFrownRight", 0.8),
            ("browInnerUp", 1.0),
        ],
    ),
    (
        "surprised",
        &[
            ("eyeWideLeft", 1.0),
            ("eyeWideRight", 1.0),
            ("jawOpen", 0.3),
        ],
    ),
    (
        "relaxed",
        &[
            ("eyeBlinkLeft", 0.3),
            ("eyeBlinkRight", 0.3),
            ("mouthSmileLeft", 0.3),
            ("mouthSmileRight", 0.3),
        ],
    ),
];

/// `glb` (a generated humanoid) as a VRM 1.0 file. Panics on a GLB that is not one
/// of ours (it is only given ours).
pub fn as_vrm(glb: &[u8]) -> Vec<u8> {
    crate::glb::edit_json(glb, add_vrm).expect("a generated GLB")
}

/// The VRM extension, on a generated humanoid's glTF JSON.
fn add_vrm(json: &mut Value) {
    let node_index = |json: &Value, name: &str| -> usize {
        json["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .position(|n| n["name"] == name && n.get("mesh").is_none())
            .unwrap_or_else(|| panic!("the humanoid has a `{name}` node"))
    };
    // The node drawing the mesh with morph targets, and their names.
    let (face_node, face_mesh) = json["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .enumerate()
        .find_map(|(i, n)| {
            let mesh = n.get("mesh")?.as_u64()? as usize;
            json["meshes"][mesh]["extras"]["targetNames"]
                .is_array()
                .then_some((i, mesh))
        })
        .expect("a mesh with morph targets");
    let names: Vec<String> = json["meshes"][face_mesh]["extras"]["targetNames"]
        .as_array()
        .expect("target names")
        .iter()
        .map(|n| n.as_str().unwrap_or_default().to_string())
        .collect();
    let mut human_bones = serde_json::Map::new();
    for (vrm, ours) in HUMAN_BONES {
        human_bones.insert(vrm.into(), json!({ "node": node_index(json, ours) }));
    }
    let mut preset = serde_json::Map::new();
    for (name, binds) in EXPRESSIONS {
        let binds: Vec<Value> = binds
            .iter()
            .filter_map(|(target, weight)| {
                let index = names.iter().position(|n| n == target)?;
                Some(json!({ "node": face_node, "index": index, "weight": weight }))
            })
            .collect();
        preset.insert(
            name.into(),
            json!({ "morphTargetBinds": binds, "isBinary": false }),
        );
    }
    // Meaningless names: only the expressions say what each target does.
    let neutral: Vec<Value> = (0..names.len())
        .map(|i| Value::from(format!("Shape.{i:02}")))
        .collect();
    json["meshes"][face_mesh]["extras"]["targetNames"] = Value::Array(neutral);
    json["extensionsUsed"] = json!(["VRMC_vrm"]);
    json["extensions"] = json!({
        "VRMC_vrm": {
            "specVersion": "1.0",
            "meta": {
                "name": "reunion's generated child",
                "version": "1",
                "authors": ["reunion"],
                "licenseUrl": "https://vrm.dev/licenses/1.0/",
                "avatarPermission": "everyone",
                "commercialUsage": "corporation",
                "allowExcessivelyViolentUsage": false,
                "allowExcessivelySexualUsage": false,
                "allowPoliticalOrReligiousUsage": false,
                "allowAntisocialOrHateUsage": false,
                "creditNotation": "unnecessary",
                "allowRedistribution": true,
                "modification": "allowModificationRedistribution"
            },
            "humanoid": { "humanBones": human_bones },
            "expressions": { "preset": preset },
            "lookAt": { "type": "bone", "offsetFromHeadBone": [0.0, 0.06, 0.0] }
        }
    });
}

/// The generated child as a VRM 1.0 avatar.
pub fn humanoid_child_vrm() -> Vec<u8> {
    as_vrm(&crate::humanoid_child())
}
