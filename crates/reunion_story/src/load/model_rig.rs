//! A cast model's rest skeleton, measured: which of the file's nodes may be bones (for
//! [`map_humanoid`](crate::humanoid::map_humanoid)), and once our bones are found, each
//! one's path and rest transform, which way she faces, how tall she is, where her
//! feet stand and her [`BodyPlan`]. Plain functions of a [`GltfModel`] and a
//! [`HumanoidMap`]; the checker (`model.rs`) turns what goes wrong into diagnostics.
//!
//! How each figure is found is documented on [`crate::story::Model`] and
//! [`BodyPlan`]; in short:
//!
//! - **Bones** are looked for among the skins' joints and the VRM humanoid's nodes
//!   (every node when the file has neither), each given the nearest such ancestor as
//!   its parent, so a mesh node named like a bone is never taken for it.
//! - **Facing**: her right is the right upper arm and upper leg minus the left ones;
//!   forward is up × right, then the nearer of +Z and −Z.
//! - **Height**: from the floor (the lowest point drawn, or the lowest foot joint) to
//!   the top of her head (the top of what is drawn when it is above the head bone, else
//!   a `…Top…`/`…end` joint below the head, else the eyes' height × 1.06, else the head
//!   bone plus the neck's length).

use glam::{Mat4, Vec3};

use crate::gltf::GltfModel;
use crate::humanoid::{Bone, HumanoidMap, Joint, VrmBone};
use crate::story::{BodyPlan, Facing, ModelJoint, Trs};

/// The nodes a humanoid is looked for among, as `map_humanoid` takes them.
pub(super) struct SkeletonNodes {
    /// The file's node index of each entry of `joints`.
    pub nodes: Vec<usize>,
    pub joints: Vec<Joint>,
    pub vrm: Vec<VrmBone>,
}

/// A node's name as Bevy names its entity: its own, else `GltfNode{index}`.
pub(super) fn node_name(gltf: &GltfModel, node: usize) -> String {
    gltf.node_name(node)
        .map_or_else(|| format!("GltfNode{node}"), str::to_owned)
}

/// The skins' joints and the VRM humanoid's nodes (every node if the file has none),
/// in file order, each with its nearest ancestor among them as parent.
pub(super) fn skeleton_nodes(gltf: &GltfModel) -> SkeletonNodes {
    let n = gltf.nodes.len();
    let mut wanted = vec![false; n];
    for &j in gltf.skins.iter().flat_map(|s| &s.joints) {
        if let Some(w) = wanted.get_mut(j) {
            *w = true;
        }
    }
    for &node in gltf.vrm.iter().flat_map(|v| v.human_bones.values()) {
        if let Some(w) = wanted.get_mut(node) {
            *w = true;
        }
    }
    if !wanted.contains(&true) {
        wanted = vec![true; n];
    }
    let nodes: Vec<usize> = (0..n).filter(|&i| wanted[i]).collect();
    let mut index_of = vec![None; n];
    for (k, &i) in nodes.iter().enumerate() {
        index_of[i] = Some(k);
    }
    let joints = nodes
        .iter()
        .map(|&i| {
            let parent = ancestors(gltf, i).find_map(|a| index_of[a]);
            Joint::new(node_name(gltf, i), parent)
        })
        .collect();
    let vrm = gltf
        .vrm
        .iter()
        .flat_map(|v| &v.human_bones)
        .filter_map(|(bone, &node)| {
            Some(VrmBone {
                bone: bone.clone(),
                node: index_of.get(node).copied().flatten()?,
            })
        })
        .collect();
    SkeletonNodes { nodes, joints, vrm }
}

/// The node's ancestors, nearest first (at most as many as there are nodes, so a
/// damaged tree cannot loop).
fn ancestors(gltf: &GltfModel, node: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(gltf.nodes.get(node).and_then(|n| n.parent), |&p| {
        gltf.nodes.get(p).and_then(|n| n.parent)
    })
    .take(gltf.nodes.len())
}

/// The names from a root node of the default scene down to `node`, both included;
/// `None` when the node is outside the scene.
pub(super) fn node_path(gltf: &GltfModel, node: usize) -> Option<Vec<String>> {
    gltf.nodes.get(node)?;
    let mut path: Vec<usize> = ancestors(gltf, node).collect();
    path.reverse();
    path.push(node);
    path.first()
        .is_some_and(|r| gltf.roots.contains(r))
        .then(|| path.iter().map(|&i| node_name(gltf, i)).collect())
}

/// Every node below `node`, in no particular order.
fn descendants(gltf: &GltfModel, node: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = vec![false; gltf.nodes.len()];
    let mut stack: Vec<usize> = gltf
        .nodes
        .get(node)
        .map_or(Vec::new(), |n| n.children.clone());
    while let Some(i) = stack.pop() {
        if seen.get(i).copied().unwrap_or(true) {
            continue;
        }
        seen[i] = true;
        out.push(i);
        stack.extend(gltf.nodes[i].children.iter().copied());
    }
    out
}

/// Whether some node draws a mesh with a skin: whether moving the bones moves anything.
pub(super) fn has_skin(gltf: &GltfModel) -> bool {
    (0..gltf.skins.len()).any(|s| gltf.skinned_node(s).is_some())
}

fn position(gltf: &GltfModel, node: usize) -> Vec3 {
    gltf.nodes[node].world.transform_point3(Vec3::ZERO)
}

/// The rest skeleton measured, in the model's own units.
pub(super) struct Measured {
    pub joints: Vec<ModelJoint>,
    pub facing: Facing,
    /// Degrees between the forward found and the nearer of ±Z.
    pub off_axis_degrees: f32,
    /// Floor to the top of her head, in the model's units.
    pub own_height: f32,
    /// On the floor, between her feet.
    pub origin: Vec3,
    /// Her proportions in the model's units (scale 1), turned to face −Z.
    pub body: BodyPlan,
    /// Our bones whose nodes are not in the default scene: Bevy does not spawn them.
    pub outside_scene: Vec<Bone>,
}

/// Why a skeleton cannot be measured.
#[derive(Debug, PartialEq)]
pub(super) enum MeasureError {
    /// A required bone is not mapped (the map is incomplete: already reported).
    Incomplete,
    /// Her left and right bones are in the same place: no way to tell where she faces.
    NoSides,
    /// The top of her head is not above the floor, or a figure is not a finite number.
    NoHeight(f32),
}

/// Measures the rest skeleton for `map` (found among `skeleton.nodes`).
pub(super) fn measure(
    gltf: &GltfModel,
    map: &HumanoidMap,
    skeleton: &SkeletonNodes,
) -> Result<Measured, MeasureError> {
    let node_of = |bone: Bone| {
        map.node(bone)
            .and_then(|k| skeleton.nodes.get(k).copied())
            .filter(|&i| i < gltf.nodes.len())
    };
    let mut joints = Vec::new();
    let mut outside_scene = Vec::new();
    for (bone, _) in map.iter() {
        let Some(node) = node_of(bone) else { continue };
        let n = &gltf.nodes[node];
        let mut path: Vec<usize> = ancestors(gltf, node).collect();
        path.reverse();
        path.push(node);
        if !path.first().is_some_and(|r| gltf.roots.contains(r)) {
            outside_scene.push(bone);
        }
        joints.push(ModelJoint {
            bone,
            node,
            name: node_name(gltf, node),
            path: path.iter().map(|&i| node_name(gltf, i)).collect(),
            rest: Trs {
                translation: n.translation,
                rotation: n.rotation,
                scale: n.scale,
            },
            rest_world: n.world,
            bind_world: gltf.skins.iter().enumerate().find_map(|(s, skin)| {
                let k = skin.joints.iter().position(|&j| j == node)?;
                gltf.joint_bind_pose(s, k)
            }),
        });
    }
    let at = |bone: Bone| node_of(bone).map(|i| position(gltf, i));
    let required = |bone: Bone| at(bone).ok_or(MeasureError::Incomplete);
    let (l_arm, r_arm) = (
        required(Bone::LeftUpperArm)?,
        required(Bone::RightUpperArm)?,
    );
    let (l_leg, r_leg) = (
        required(Bone::LeftUpperLeg)?,
        required(Bone::RightUpperLeg)?,
    );
    let (l_foot, r_foot) = (required(Bone::LeftFoot)?, required(Bone::RightFoot)?);
    let (neck, head) = (required(Bone::Neck)?, required(Bone::Head)?);

    // Facing.
    let right = ((r_arm - l_arm) + (r_leg - l_leg)) * Vec3::new(1.0, 0.0, 1.0);
    let sides_apart = right.length() > 1e-6;
    if !sides_apart {
        return Err(MeasureError::NoSides);
    }
    let forward = Vec3::Y.cross(right).normalize();
    let facing = if forward.z >= 0.0 {
        Facing::PlusZ
    } else {
        Facing::MinusZ
    };
    let off_axis_degrees = forward.angle_between(facing.forward()).to_degrees();

    // The floor and the top of her head.
    let feet_nodes: Vec<usize> = [Bone::LeftFoot, Bone::RightFoot]
        .into_iter()
        .filter_map(node_of)
        .flat_map(|f| std::iter::once(f).chain(descendants(gltf, f)))
        .collect();
    let lowest_foot = feet_nodes
        .iter()
        .map(|&i| position(gltf, i).y)
        .fold(f32::INFINITY, f32::min);
    let bounds = gltf.measurements.bounds;
    let floor = bounds.map_or(lowest_foot, |(lo, _)| lo.y.min(lowest_foot));
    let eyes = match (at(Bone::LeftEye), at(Bone::RightEye)) {
        (Some(l), Some(r)) => Some((l + r) / 2.0),
        _ => None,
    };
    let head_end = node_of(Bone::Head).and_then(|h| {
        descendants(gltf, h)
            .into_iter()
            .filter(|&i| {
                map.iter()
                    .all(|(_, m)| skeleton.nodes.get(m.node) != Some(&i))
            })
            .filter(|&i| {
                let name = node_name(gltf, i).to_ascii_lowercase();
                name.contains("top") || name.ends_with("end")
            })
            .map(|i| position(gltf, i).y)
            .filter(|&y| y > head.y)
            .reduce(f32::max)
    });
    let top = match (bounds, head_end, eyes) {
        (Some((_, hi)), _, _) if hi.y > head.y => hi.y,
        (_, Some(y), _) => y,
        (_, _, Some(e)) => floor + (e.y - floor) * 1.06,
        _ => head.y + (head.y - neck.y),
    };
    let own_height = top - floor;
    let stands = own_height > 0.0 && own_height.is_finite();
    if !stands {
        return Err(MeasureError::NoHeight(own_height));
    }
    let between_feet = (l_foot + r_foot) / 2.0;
    let origin = Vec3::new(between_feet.x, floor, between_feet.z);

    // Her proportions, in her avatar space at the model's own scale.
    let avatar = Mat4::from_quat(facing.turn_to_avatar()) * Mat4::from_translation(-origin);
    let here = |p: Vec3| avatar.transform_point3(p);
    let mean = |a: Bone, b: Bone| Some((here(at(a)?) + here(at(b)?)) / 2.0);
    let half_across = |a: Vec3, b: Vec3| (here(a).x - here(b).x).abs() / 2.0;
    let length = |from: Bone, to: Bone| Some(at(from)?.distance(at(to)?));
    let both = |f: &dyn Fn(Bone, Bone) -> Option<f32>, pairs: [(Bone, Bone); 2]| {
        let found: Vec<f32> = pairs.iter().filter_map(|&(a, b)| f(a, b)).collect();
        (!found.is_empty()).then(|| found.iter().sum::<f32>() / found.len() as f32)
    };
    // Farthest joint below a bone: along the bone (hand) or along the floor (foot).
    let reach = |bone: Bone, flat: bool| {
        let from = at(bone)?;
        descendants(gltf, node_of(bone)?)
            .into_iter()
            .map(|i| {
                let d = position(gltf, i) - from;
                if flat {
                    d.with_y(0.0).length()
                } else {
                    d.length()
                }
            })
            .reduce(f32::max)
            .filter(|&d| d > 0.0)
    };
    let reach_both = |l: Bone, r: Bone, flat: bool| {
        let found: Vec<f32> = [reach(l, flat), reach(r, flat)]
            .into_iter()
            .flatten()
            .collect();
        (!found.is_empty()).then(|| found.iter().sum::<f32>() / found.len() as f32)
    };

    let height = own_height;
    let hip_y = (here(l_leg).y + here(r_leg).y) / 2.0;
    let neck_y = here(head).y;
    let neck_base_y = here(neck).y;
    let waist_y = at(Bone::Spine).map_or((hip_y + neck_base_y) / 2.0, |p| here(p).y);
    let chest_y = at(Bone::Chest)
        .or_else(|| at(Bone::UpperChest))
        .map_or((waist_y + neck_base_y) / 2.0, |p| here(p).y);
    let head_radius = (height - neck_y) / 2.05;
    let head_centre_y = (neck_y + height) / 2.0;
    let eye_y = eyes.map_or(head_centre_y - head_radius * 0.1, |e| here(e).y);
    let shoulder_y = (here(l_arm).y + here(r_arm).y) / 2.0;
    let forearm = both(
        &length,
        [
            (Bone::LeftForearm, Bone::LeftHand),
            (Bone::RightForearm, Bone::RightHand),
        ],
    )
    .unwrap_or(0.0);
    let body = BodyPlan {
        height,
        hip_y,
        waist_y,
        chest_y,
        neck_base_y,
        neck_y,
        head_radius,
        head_centre_y,
        eye_y,
        shoulder_y,
        shoulder_half: half_across(l_arm, r_arm),
        hip_half: half_across(l_leg, r_leg),
        upper_arm: both(
            &length,
            [
                (Bone::LeftUpperArm, Bone::LeftForearm),
                (Bone::RightUpperArm, Bone::RightForearm),
            ],
        )
        .unwrap_or(0.0),
        forearm,
        hand: reach_both(Bone::LeftHand, Bone::RightHand, false).unwrap_or(forearm * 0.75),
        thigh: both(
            &length,
            [
                (Bone::LeftUpperLeg, Bone::LeftLowerLeg),
                (Bone::RightUpperLeg, Bone::RightLowerLeg),
            ],
        )
        .unwrap_or(0.0),
        shin: both(
            &length,
            [
                (Bone::LeftLowerLeg, Bone::LeftFoot),
                (Bone::RightLowerLeg, Bone::RightFoot),
            ],
        )
        .unwrap_or(0.0),
        ankle: mean(Bone::LeftFoot, Bone::RightFoot).map_or(0.0, |p| p.y),
        foot: reach_both(Bone::LeftFoot, Bone::RightFoot, true).unwrap_or(height * 0.12),
    };
    if !body.is_finite() {
        return Err(MeasureError::NoHeight(f32::NAN));
    }
    Ok(Measured {
        joints,
        facing,
        off_axis_degrees,
        own_height,
        origin,
        body,
        outside_scene,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::gltf::read_model;
    use crate::humanoid::map_humanoid;

    /// A small Mixamo skeleton facing +Z: name, parent, position in the scene.
    const BONES: [(&str, Option<usize>, [f32; 3]); 23] = [
        ("Hips", None, [0.0, 0.55, 0.0]),
        ("Spine", Some(0), [0.0, 0.62, 0.0]),
        ("Spine1", Some(1), [0.0, 0.72, 0.0]),
        ("Neck", Some(2), [0.0, 0.88, 0.0]),
        ("Head", Some(3), [0.0, 0.95, 0.0]),
        ("LeftShoulder", Some(2), [0.03, 0.84, 0.0]),
        ("LeftArm", Some(5), [0.12, 0.84, 0.0]),
        ("LeftForeArm", Some(6), [0.3, 0.84, 0.0]),
        ("LeftHand", Some(7), [0.45, 0.84, 0.0]),
        ("RightShoulder", Some(2), [-0.03, 0.84, 0.0]),
        ("RightArm", Some(9), [-0.12, 0.84, 0.0]),
        ("RightForeArm", Some(10), [-0.3, 0.84, 0.0]),
        ("RightHand", Some(11), [-0.45, 0.84, 0.0]),
        ("LeftUpLeg", Some(0), [0.07, 0.52, 0.0]),
        ("LeftLeg", Some(13), [0.07, 0.3, 0.0]),
        ("LeftFoot", Some(14), [0.07, 0.06, 0.0]),
        ("LeftToeBase", Some(15), [0.07, 0.01, 0.08]),
        ("RightUpLeg", Some(0), [-0.07, 0.52, 0.0]),
        ("RightLeg", Some(17), [-0.07, 0.3, 0.0]),
        ("RightFoot", Some(18), [-0.07, 0.06, 0.0]),
        ("RightToeBase", Some(19), [-0.07, 0.01, 0.08]),
        ("LeftEye", Some(4), [0.03, 1.0, 0.06]),
        ("RightEye", Some(4), [-0.03, 1.0, 0.06]),
    ];

    /// What to build around the skeleton.
    #[derive(Clone, Copy, Default)]
    struct Options {
        /// Turned half a turn: facing −Z, her left at −X.
        turned: bool,
        /// A skinned box this tall (its top above her head bone).
        mesh_top: Option<f32>,
        /// A `HeadTop_End` joint this high.
        head_end: Option<f32>,
        /// Leave out the eye bones (the last two).
        no_eyes: bool,
        /// Both upper arms and legs at the middle: no left or right.
        no_sides: bool,
    }

    fn model(o: Options) -> GltfModel {
        let mut bones: Vec<(String, Option<usize>, [f32; 3])> = BONES
            .iter()
            .map(|(n, p, at)| (n.to_string(), *p, *at))
            .collect();
        if o.no_eyes {
            bones.truncate(BONES.len() - 2);
        }
        if let Some(y) = o.head_end {
            bones.push(("HeadTop_End".into(), Some(4), [0.0, y, 0.0]));
        }
        if o.no_sides {
            for (_, _, at) in &mut bones {
                at[0] = 0.0;
            }
        }
        if o.turned {
            for (_, _, at) in &mut bones {
                at[0] = -at[0];
                at[2] = -at[2];
            }
        }
        let mut nodes: Vec<Value> = bones
            .iter()
            .enumerate()
            .map(|(i, (name, parent, at))| {
                let from = parent.map_or([0.0; 3], |p| bones[p].2);
                let children: Vec<usize> = (0..bones.len())
                    .filter(|&c| bones[c].1 == Some(i))
                    .collect();
                json!({
                    "name": name,
                    "translation": [at[0] - from[0], at[1] - from[1], at[2] - from[2]],
                    "children": children,
                })
            })
            .collect();
        let mut root = json!({
            "asset": { "version": "2.0" },
            "scene": 0,
            "skins": [{ "joints": (0..bones.len()).collect::<Vec<_>>() }],
        });
        let mut roots = vec![0];
        if let Some(top) = o.mesh_top {
            roots.push(nodes.len());
            nodes.push(json!({ "name": "Body", "mesh": 0, "skin": 0 }));
            root["accessors"] = json!([{
                "componentType": 5126, "count": 3, "type": "VEC3",
                "min": [-0.2, 0.0, -0.1], "max": [0.2, top, 0.1],
            }]);
            root["meshes"] = json!([{ "primitives": [{ "attributes": { "POSITION": 0 } }] }]);
        }
        root["nodes"] = json!(nodes);
        root["scenes"] = json!([{ "nodes": roots }]);
        let bytes = serde_json::to_vec(&root).expect("JSON");
        let model = read_model(&bytes, &|_| None).expect("a glTF model");
        assert!(model.problems.is_empty(), "{:#?}", model.problems);
        model
    }

    fn measured(o: Options) -> Result<Measured, MeasureError> {
        let gltf = model(o);
        let skeleton = skeleton_nodes(&gltf);
        let map = map_humanoid(&skeleton.joints, &skeleton.vrm, &[]);
        measure(&gltf, &map, &skeleton)
    }

    #[test]
    fn the_body_plan_is_read_from_the_joints() {
        let m = measured(Options {
            mesh_top: Some(1.1),
            ..Options::default()
        })
        .expect("measured");
        assert_eq!(m.facing, Facing::PlusZ);
        assert!(m.off_axis_degrees < 1e-3);
        assert!((m.own_height - 1.1).abs() < 1e-6, "{}", m.own_height);
        assert!((m.origin - Vec3::ZERO).length() < 1e-6, "{}", m.origin);
        let b = m.body;
        let close = |a: f32, b: f32| (a - b).abs() < 1e-5;
        assert!(close(b.hip_y, 0.52) && close(b.waist_y, 0.62), "{b:?}");
        assert!(
            close(b.chest_y, 0.72) && close(b.neck_base_y, 0.88),
            "{b:?}"
        );
        assert!(close(b.neck_y, 0.95) && close(b.eye_y, 1.0), "{b:?}");
        assert!(close(b.head_centre_y, (0.95 + 1.1) / 2.0), "{b:?}");
        assert!(close(b.head_radius, (1.1 - 0.95) / 2.05), "{b:?}");
        assert!(
            close(b.shoulder_y, 0.84) && close(b.shoulder_half, 0.12),
            "{b:?}"
        );
        assert!(close(b.hip_half, 0.07), "{b:?}");
        assert!(close(b.upper_arm, 0.18) && close(b.forearm, 0.15), "{b:?}");
        assert!(close(b.thigh, 0.22) && close(b.shin, 0.24), "{b:?}");
        assert!(close(b.ankle, 0.06) && close(b.foot, 0.08), "{b:?}");
        // Nothing hangs below the hands: three quarters of the forearm.
        assert!(close(b.hand, 0.15 * 0.75), "{b:?}");
    }

    #[test]
    fn a_model_facing_minus_z_measures_the_same() {
        let o = Options {
            mesh_top: Some(1.1),
            ..Options::default()
        };
        let ahead = measured(o).expect("measured");
        let turned = measured(Options { turned: true, ..o }).expect("measured");
        assert_eq!(turned.facing, Facing::MinusZ);
        assert_eq!(turned.own_height, ahead.own_height);
        let (a, t) = (ahead.body, turned.body);
        assert!((a.shoulder_half - t.shoulder_half).abs() < 1e-6);
        assert!((a.foot - t.foot).abs() < 1e-6 && (a.eye_y - t.eye_y).abs() < 1e-6);
        // Either way, her left hand ends up at -X in her avatar space.
        for m in [&ahead, &turned] {
            let hand = m
                .joints
                .iter()
                .find(|j| j.bone == Bone::LeftHand)
                .expect("a left hand");
            let avatar =
                Mat4::from_quat(m.facing.turn_to_avatar()) * Mat4::from_translation(-m.origin);
            let x = avatar.transform_point3(hand.rest_position()).x;
            assert!((x + 0.45).abs() < 1e-5, "{x}");
        }
    }

    #[test]
    fn without_a_mesh_the_head_top_is_an_end_joint_or_above_the_eyes() {
        let m = measured(Options {
            head_end: Some(1.12),
            ..Options::default()
        })
        .expect("measured");
        // From the lowest foot joint: the toes, at 0.01.
        assert!((m.own_height - 1.11).abs() < 1e-5, "{}", m.own_height);
        let m = measured(Options::default()).expect("measured");
        assert!(
            (m.own_height - (1.0 - 0.01) * 1.06).abs() < 1e-5,
            "{}",
            m.own_height
        );
        let m = measured(Options {
            no_eyes: true,
            ..Options::default()
        })
        .expect("measured");
        assert!(
            (m.own_height - (0.95 + 0.07 - 0.01)).abs() < 1e-5,
            "{}",
            m.own_height
        );
        // A mesh below the head bone does not make her shorter.
        let m = measured(Options {
            mesh_top: Some(0.5),
            head_end: Some(1.12),
            ..Options::default()
        })
        .expect("measured");
        assert!((m.own_height - 1.12).abs() < 1e-5, "{}", m.own_height);
    }

    #[test]
    fn a_skeleton_with_no_sides_cannot_be_faced() {
        assert_eq!(
            measured(Options {
                no_sides: true,
                ..Options::default()
            })
            .err(),
            Some(MeasureError::NoSides)
        );
    }

    #[test]
    fn a_mesh_node_named_like_a_bone_is_not_taken_for_it() {
        let mut json: Value = serde_json::from_slice(
            br#"{
            "asset": { "version": "2.0" }, "scene": 0, "scenes": [{ "nodes": [0] }],
            "nodes": [
                { "name": "Armature", "children": [1] },
                { "name": "Hips", "children": [2] },
                { "children": [3] },
                { "name": "Head", "children": [4] },
                { "name": "Head", "mesh": 0 }
            ],
            "meshes": [{ "primitives": [] }],
            "skins": [{ "joints": [1, 2, 3] }]
        }"#,
        )
        .expect("JSON");
        let gltf =
            read_model(&serde_json::to_vec(&json).expect("JSON"), &|_| None).expect("a glTF model");
        let skeleton = skeleton_nodes(&gltf);
        assert_eq!(skeleton.nodes, [1, 2, 3]);
        assert_eq!(
            skeleton.joints,
            [
                Joint::new("Hips", None),
                Joint::new("GltfNode2", Some(0)),
                Joint::new("Head", Some(1)),
            ]
        );
        // With no skin, every node may be a bone.
        json.as_object_mut().expect("object").remove("skins");
        let gltf =
            read_model(&serde_json::to_vec(&json).expect("JSON"), &|_| None).expect("a glTF model");
        assert!(!has_skin(&gltf));
        assert_eq!(skeleton_nodes(&gltf).nodes, [0, 1, 2, 3, 4]);
    }
}
