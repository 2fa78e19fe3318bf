//! VRM avatars: a VRM file is a GLB whose root `extensions` describe a humanoid.
//!
//! - **VRM 1.0** (`VRMC_vrm`): `humanoid.humanBones` (bone name → `{ node }`),
//!   `expressions.preset` and `.custom` (name → morph target binds on *nodes*, material
//!   binds, `isBinary`, `override{Blink,LookAt,Mouth}`), `lookAt` (bone or expression,
//!   offset from the head bone, four range maps) and `meta` (name, authors, licence).
//!   A VRM 1.0 avatar faces +Z, in T-pose.
//! - **VRM 0.x** (`VRM`): `humanoid.humanBones` is a list of `{ bone, node }`,
//!   `blendShapeMaster.blendShapeGroups` binds morph targets on *meshes* with weights
//!   0..100, `firstPerson` holds the look-at, `meta` has other field names. It is read
//!   into the same types, spelled as 1.0 spells them: the thumb bones move one place
//!   (0.x `ThumbProximal`, `Intermediate`, `Distal` are 1.0 `ThumbMetacarpal`,
//!   `Proximal`, `Distal`), presets are renamed (`a i u e o` → `aa ih ou ee oh`,
//!   `joy` → `happy`, `sorrow` → `sad`, `fun` → `relaxed`, `blink_l` → `blinkLeft`,
//!   `lookup` → `lookUp`...; `unknown` groups are custom expressions by their name),
//!   weights become 0..1 and a mesh bind names the first node that draws the mesh.
//!   A VRM 0.x avatar faces −Z.

use std::collections::BTreeMap;

use glam::Vec3;
use serde_json::{Map, Value};

use super::mesh::Mesh;
use super::problem::{Problem, ProblemKind, check_index};
use super::scene::Node;

/// Which VRM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VrmVersion {
    /// `VRM` (0.x).
    V0,
    /// `VRMC_vrm` (1.0).
    V1,
}

/// What a VRM says of its avatar and its licence. Absent fields are `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VrmMeta {
    pub name: Option<String>,
    pub version: Option<String>,
    pub authors: Vec<String>,
    /// 1.0 `licenseUrl`; 0.x `otherLicenseUrl`.
    pub license_url: Option<String>,
    /// 0.x `licenseName` (`CC_BY`, `Other`...).
    pub license_name: Option<String>,
    /// 1.0 `onlyAuthor`, `onlySeparatelyLicensedPerson`, `everyone`; 0.x
    /// `allowedUserName` (`OnlyAuthor`, `ExplicitlyLicensedPerson`, `Everyone`).
    pub avatar_permission: Option<String>,
    /// 1.0 `personalNonProfit`, `personalProfit`, `corporation`; 0.x
    /// `commercialUssageName` (`Disallow`, `Allow`).
    pub commercial_usage: Option<String>,
    pub allow_excessively_violent_usage: Option<bool>,
    pub allow_excessively_sexual_usage: Option<bool>,
    pub allow_political_or_religious_usage: Option<bool>,
    pub allow_antisocial_or_hate_usage: Option<bool>,
    pub allow_redistribution: Option<bool>,
    pub credit_notation: Option<String>,
    pub modification: Option<String>,
}

/// How an expression treats blinking, look-at or the mouth while it is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Override {
    #[default]
    None,
    Block,
    Blend,
}

/// One morph target an expression moves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorphTargetBind {
    /// The node whose mesh has the target (1.0 names it; for 0.x, the first node that
    /// draws the mesh).
    pub node: Option<usize>,
    pub mesh: Option<usize>,
    /// The morph target's index in the mesh.
    pub index: usize,
    /// 0..1.
    pub weight: f32,
}

/// One expression (a VRM 0.x blend shape group).
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    /// The preset's 1.0 name (`happy`, `aa`, `blink`...) or the custom name.
    pub name: String,
    pub preset: bool,
    pub morph_target_binds: Vec<MorphTargetBind>,
    /// Material colour and texture transform binds (0.x material values): reunion
    /// does not apply them, so only their number is kept.
    pub material_binds: usize,
    pub is_binary: bool,
    pub override_blink: Override,
    pub override_look_at: Override,
    pub override_mouth: Override,
}

/// How the eyes are turned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookAtKind {
    /// By the eye bones.
    Bone,
    /// By the `lookUp`, `lookDown`, `lookLeft`, `lookRight` expressions.
    Expression,
}

/// Maps a gaze angle (degrees, up to `input_max_value`) to a bone angle or an
/// expression weight (up to `output_scale`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeMap {
    pub input_max_value: f32,
    pub output_scale: f32,
}

/// The avatar's look-at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LookAt {
    pub kind: LookAtKind,
    /// From the head bone to between the eyes, in the head bone's space.
    pub offset_from_head_bone: Vec3,
    pub horizontal_inner: Option<RangeMap>,
    pub horizontal_outer: Option<RangeMap>,
    pub vertical_down: Option<RangeMap>,
    pub vertical_up: Option<RangeMap>,
}

/// A VRM avatar's description.
#[derive(Clone, Debug, PartialEq)]
pub struct Vrm {
    pub version: VrmVersion,
    /// `specVersion` (1.0) or `specVersion`/`exporterVersion` (0.x) as written.
    pub spec_version: Option<String>,
    pub meta: VrmMeta,
    /// VRM 1.0 bone name (`hips`, `leftUpperArm`...) → node.
    pub human_bones: BTreeMap<String, usize>,
    /// Presets, then custom expressions (1.0), each by name; a 0.x file's groups in
    /// file order.
    pub expressions: Vec<Expression>,
    pub look_at: Option<LookAt>,
}

impl Vrm {
    /// The direction the avatar faces in its file: +Z for 1.0, −Z for 0.x.
    pub fn facing(&self) -> Vec3 {
        match self.version {
            VrmVersion::V1 => Vec3::Z,
            VrmVersion::V0 => Vec3::NEG_Z,
        }
    }

    pub fn expression(&self, name: &str) -> Option<&Expression> {
        self.expressions.iter().find(|e| e.name == name)
    }
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn float(v: &Value, key: &str) -> Option<f32> {
    v.get(key).and_then(Value::as_f64).map(|f| f as f32)
}

fn index(v: &Value, key: &str) -> Option<usize> {
    v.get(key).and_then(Value::as_u64).map(|i| i as usize)
}

/// Reads the model's VRM extension, if it has one (1.0 wins over 0.x when both are).
pub(crate) fn read(
    extensions: &Map<String, Value>,
    nodes: &[Node],
    meshes: &[Mesh],
    problems: &mut Vec<Problem>,
) -> Option<Vrm> {
    let vrm = if let Some(v1) = extensions.get("VRMC_vrm") {
        read_v1(v1, nodes)
    } else {
        read_v0(extensions.get("VRM")?, nodes)
    };
    check(&vrm, nodes, meshes, problems);
    Some(vrm)
}

fn read_meta_v1(m: &Value) -> VrmMeta {
    let flag = |key: &str| m.get(key).and_then(Value::as_bool);
    VrmMeta {
        name: string(m, "name"),
        version: string(m, "version"),
        authors: m
            .get("authors")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        license_url: string(m, "licenseUrl"),
        license_name: None,
        avatar_permission: string(m, "avatarPermission"),
        commercial_usage: string(m, "commercialUsage"),
        allow_excessively_violent_usage: flag("allowExcessivelyViolentUsage"),
        allow_excessively_sexual_usage: flag("allowExcessivelySexualUsage"),
        allow_political_or_religious_usage: flag("allowPoliticalOrReligiousUsage"),
        allow_antisocial_or_hate_usage: flag("allowAntisocialOrHateUsage"),
        allow_redistribution: flag("allowRedistribution"),
        credit_notation: string(m, "creditNotation"),
        modification: string(m, "modification"),
    }
}

fn read_override(e: &Value, key: &str) -> Override {
    match e.get(key).and_then(Value::as_str) {
        Some("block") => Override::Block,
        Some("blend") => Override::Blend,
        _ => Override::None,
    }
}

fn read_expression_v1(name: &str, preset: bool, e: &Value, nodes: &[Node]) -> Expression {
    let list = |key: &str| {
        e.get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    Expression {
        name: name.to_owned(),
        preset,
        morph_target_binds: list("morphTargetBinds")
            .iter()
            .map(|b| {
                let node = index(b, "node");
                MorphTargetBind {
                    node,
                    mesh: node.and_then(|n| nodes.get(n)).and_then(|n| n.mesh),
                    index: index(b, "index").unwrap_or(0),
                    weight: float(b, "weight").unwrap_or(0.0),
                }
            })
            .collect(),
        material_binds: list("materialColorBinds").len() + list("textureTransformBinds").len(),
        is_binary: e.get("isBinary").and_then(Value::as_bool).unwrap_or(false),
        override_blink: read_override(e, "overrideBlink"),
        override_look_at: read_override(e, "overrideLookAt"),
        override_mouth: read_override(e, "overrideMouth"),
    }
}

fn read_range_map(r: Option<&Value>, input: &str, output: &str) -> Option<RangeMap> {
    let r = r?;
    Some(RangeMap {
        input_max_value: float(r, input)?,
        output_scale: float(r, output)?,
    })
}

fn read_v1(v: &Value, nodes: &[Node]) -> Vrm {
    let human_bones = v
        .get("humanoid")
        .and_then(|h| h.get("humanBones"))
        .and_then(Value::as_object)
        .map(|bones| {
            bones
                .iter()
                .filter_map(|(name, b)| Some((name.clone(), index(b, "node")?)))
                .collect()
        })
        .unwrap_or_default();
    let mut expressions = Vec::new();
    let groups = v.get("expressions");
    for (key, preset) in [("preset", true), ("custom", false)] {
        if let Some(group) = groups.and_then(|g| g.get(key)).and_then(Value::as_object) {
            let start = expressions.len();
            for (name, e) in group {
                expressions.push(read_expression_v1(name, preset, e, nodes));
            }
            // By name, whatever order the JSON map keeps.
            expressions[start..].sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    let look_at = v.get("lookAt").map(|l| {
        let map = |key: &str| read_range_map(l.get(key), "inputMaxValue", "outputScale");
        LookAt {
            kind: match l.get("type").and_then(Value::as_str) {
                Some("expression") => LookAtKind::Expression,
                _ => LookAtKind::Bone,
            },
            offset_from_head_bone: l
                .get("offsetFromHeadBone")
                .and_then(Value::as_array)
                .filter(|a| a.len() == 3)
                .map_or(Vec3::ZERO, |a| {
                    Vec3::from_array([0, 1, 2].map(|k| a[k].as_f64().unwrap_or(0.0) as f32))
                }),
            horizontal_inner: map("rangeMapHorizontalInner"),
            horizontal_outer: map("rangeMapHorizontalOuter"),
            vertical_down: map("rangeMapVerticalDown"),
            vertical_up: map("rangeMapVerticalUp"),
        }
    });
    Vrm {
        version: VrmVersion::V1,
        spec_version: string(v, "specVersion"),
        meta: v.get("meta").map(read_meta_v1).unwrap_or_default(),
        human_bones,
        expressions,
        look_at,
    }
}

/// A VRM 0.x bone name in 1.0 spelling: the thumbs move one place.
fn bone_name_v0_to_v1(name: &str) -> String {
    for side in ["left", "right"] {
        let thumb = |part: &str| format!("{side}Thumb{part}");
        if name == thumb("Proximal") {
            return thumb("Metacarpal");
        }
        if name == thumb("Intermediate") {
            return thumb("Proximal");
        }
    }
    name.to_owned()
}

/// A VRM 0.x preset name in 1.0 spelling; `None` for `unknown` (a custom group).
fn preset_v0_to_v1(preset: &str) -> Option<&'static str> {
    Some(match preset.to_ascii_lowercase().as_str() {
        "neutral" => "neutral",
        "a" => "aa",
        "i" => "ih",
        "u" => "ou",
        "e" => "ee",
        "o" => "oh",
        "blink" => "blink",
        "blink_l" => "blinkLeft",
        "blink_r" => "blinkRight",
        "joy" => "happy",
        "angry" => "angry",
        "sorrow" => "sad",
        "fun" => "relaxed",
        "lookup" => "lookUp",
        "lookdown" => "lookDown",
        "lookleft" => "lookLeft",
        "lookright" => "lookRight",
        _ => return None,
    })
}

fn read_meta_v0(m: &Value) -> VrmMeta {
    let allowed = |key: &str| string(m, key).map(|v| v.eq_ignore_ascii_case("Allow"));
    VrmMeta {
        name: string(m, "title"),
        version: string(m, "version"),
        authors: string(m, "author")
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect(),
        license_url: string(m, "otherLicenseUrl").filter(|u| !u.is_empty()),
        license_name: string(m, "licenseName"),
        avatar_permission: string(m, "allowedUserName"),
        commercial_usage: string(m, "commercialUssageName"),
        allow_excessively_violent_usage: allowed("violentUssageName"),
        allow_excessively_sexual_usage: allowed("sexualUssageName"),
        ..VrmMeta::default()
    }
}

fn read_v0(v: &Value, nodes: &[Node]) -> Vrm {
    let human_bones = v
        .get("humanoid")
        .and_then(|h| h.get("humanBones"))
        .and_then(Value::as_array)
        .map(|bones| {
            bones
                .iter()
                .filter_map(|b| {
                    Some((
                        bone_name_v0_to_v1(b.get("bone")?.as_str()?),
                        index(b, "node")?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let groups = v
        .get("blendShapeMaster")
        .and_then(|b| b.get("blendShapeGroups"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let expressions = groups
        .iter()
        .map(|g| {
            let preset = string(g, "presetName").as_deref().and_then(preset_v0_to_v1);
            let binds = g
                .get("binds")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            Expression {
                name: preset.map_or_else(|| string(g, "name").unwrap_or_default(), str::to_owned),
                preset: preset.is_some(),
                morph_target_binds: binds
                    .iter()
                    .map(|b| {
                        let mesh = index(b, "mesh");
                        MorphTargetBind {
                            node: mesh.and_then(|m| nodes.iter().position(|n| n.mesh == Some(m))),
                            mesh,
                            index: index(b, "index").unwrap_or(0),
                            weight: float(b, "weight").unwrap_or(0.0) / 100.0,
                        }
                    })
                    .collect(),
                material_binds: g
                    .get("materialValues")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len),
                is_binary: g.get("isBinary").and_then(Value::as_bool).unwrap_or(false),
                override_blink: Override::None,
                override_look_at: Override::None,
                override_mouth: Override::None,
            }
        })
        .collect();
    let look_at = v.get("firstPerson").map(|f| {
        let map = |key: &str| read_range_map(f.get(key), "xRange", "yRange");
        let offset = f.get("firstPersonBoneOffset");
        let axis = |k: &str| offset.and_then(|o| float(o, k)).unwrap_or(0.0);
        LookAt {
            kind: match f.get("lookAtTypeName").and_then(Value::as_str) {
                Some("BlendShape") => LookAtKind::Expression,
                _ => LookAtKind::Bone,
            },
            offset_from_head_bone: Vec3::new(axis("x"), axis("y"), axis("z")),
            horizontal_inner: map("lookAtHorizontalInner"),
            horizontal_outer: map("lookAtHorizontalOuter"),
            vertical_down: map("lookAtVerticalDown"),
            vertical_up: map("lookAtVerticalUp"),
        }
    });
    Vrm {
        version: VrmVersion::V0,
        spec_version: string(v, "specVersion").or_else(|| string(v, "exporterVersion")),
        meta: v.get("meta").map(read_meta_v0).unwrap_or_default(),
        human_bones,
        expressions,
        look_at,
    }
}

/// Bones and binds that point at nothing are errors: the avatar cannot be driven.
fn check(vrm: &Vrm, nodes: &[Node], meshes: &[Mesh], problems: &mut Vec<Problem>) {
    let ext = match vrm.version {
        VrmVersion::V1 => "VRMC_vrm",
        VrmVersion::V0 => "VRM",
    };
    for (bone, &node) in &vrm.human_bones {
        check_index(
            problems,
            || format!("extensions.{ext}.humanoid.humanBones.{bone}"),
            node,
            nodes.len(),
            "nodes",
        );
    }
    for e in &vrm.expressions {
        for b in &e.morph_target_binds {
            let at = || format!("extensions.{ext}.expressions.{}", e.name);
            let targets = b.mesh.and_then(|m| meshes.get(m)).map(|m| {
                m.primitives
                    .iter()
                    .map(|p| p.morph_targets)
                    .max()
                    .unwrap_or(0)
            });
            match targets {
                Some(n) if b.index < n => {}
                Some(n) => problems.push(Problem::error(
                    ProblemKind::Damaged,
                    at(),
                    format!(
                        "expression `{}` moves morph target {} of a mesh with {n}",
                        e.name, b.index
                    ),
                )),
                None => problems.push(Problem::error(
                    ProblemKind::Damaged,
                    at(),
                    format!(
                        "expression `{}` moves a morph target of a node or mesh that has none",
                        e.name
                    ),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vrm0_names_are_spelled_as_vrm1() {
        assert_eq!(
            bone_name_v0_to_v1("leftThumbProximal"),
            "leftThumbMetacarpal"
        );
        assert_eq!(
            bone_name_v0_to_v1("rightThumbIntermediate"),
            "rightThumbProximal"
        );
        assert_eq!(bone_name_v0_to_v1("leftThumbDistal"), "leftThumbDistal");
        assert_eq!(bone_name_v0_to_v1("hips"), "hips");
        assert_eq!(preset_v0_to_v1("Joy"), Some("happy"));
        assert_eq!(preset_v0_to_v1("A"), Some("aa"));
        assert_eq!(preset_v0_to_v1("unknown"), None);
    }

    #[test]
    fn a_vrm0_extension_reads_into_vrm1_terms() {
        let ext: Value = serde_json::from_str(
            r#"{
            "exporterVersion": "UniVRM-0.99",
            "meta": { "title": "Kid", "author": "Studio", "allowedUserName": "OnlyAuthor",
                      "violentUssageName": "Disallow", "commercialUssageName": "Allow",
                      "licenseName": "CC_BY" },
            "humanoid": { "humanBones": [
                { "bone": "hips", "node": 0 }, { "bone": "leftThumbIntermediate", "node": 1 } ] },
            "blendShapeMaster": { "blendShapeGroups": [
                { "name": "Joy", "presetName": "joy", "binds": [ { "mesh": 0, "index": 1, "weight": 100 } ] },
                { "name": "Wink", "presetName": "unknown", "binds": [], "isBinary": true } ] },
            "firstPerson": { "lookAtTypeName": "BlendShape", "firstPersonBoneOffset": { "x": 0, "y": 0.06, "z": 0 },
                             "lookAtHorizontalOuter": { "xRange": 90, "yRange": 1 } }
        }"#,
        )
        .expect("json");
        let node = |mesh| Node {
            name: None,
            parent: None,
            children: vec![],
            translation: Vec3::ZERO,
            rotation: glam::Quat::IDENTITY,
            scale: Vec3::ONE,
            local: glam::Mat4::IDENTITY,
            world: glam::Mat4::IDENTITY,
            mesh,
            skin: None,
            camera: None,
            light: None,
            weights: vec![],
        };
        let nodes = [node(None), node(None), node(Some(0))];
        let vrm = read_v0(&ext, &nodes);
        assert_eq!(vrm.meta.name.as_deref(), Some("Kid"));
        assert_eq!(vrm.meta.allow_excessively_violent_usage, Some(false));
        assert_eq!(vrm.human_bones.get("leftThumbProximal"), Some(&1));
        let joy = vrm.expression("happy").expect("happy");
        assert!(joy.preset);
        assert_eq!(joy.morph_target_binds[0].node, Some(2));
        assert_eq!(joy.morph_target_binds[0].weight, 1.0);
        let wink = vrm.expression("Wink").expect("custom");
        assert!(!wink.preset && wink.is_binary);
        let look = vrm.look_at.expect("look at");
        assert_eq!(look.kind, LookAtKind::Expression);
        assert_eq!(
            look.horizontal_outer,
            Some(RangeMap {
                input_max_value: 90.0,
                output_scale: 1.0
            })
        );
        assert_eq!(vrm.facing(), Vec3::NEG_Z);
    }
}
