//! The node tree: each node's name, parent, children, local transform (from its TRS
//! or its matrix), what it carries (mesh, skin, camera, light), its world transform in
//! the scene's space, and the default scene's roots; and the KHR_lights_punctual lights.
//!
//! The tree is checked as it is built: a child index past the nodes, a node with two
//! parents or a node that is its own ancestor is an error (Bevy would follow the cycle
//! for ever), and such links are left out so the rest can still be read.

use glam::{Mat4, Quat, Vec3};
use serde_json::Value;

use super::document::Root;
use super::problem::{Problem, ProblemKind, check_index};

/// One node.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub name: Option<String>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// The local transform, decomposed (as Bevy decomposes a node's matrix).
    pub translation: Vec3,
    pub rotation: Quat,
    pub scale: Vec3,
    /// The local transform as a matrix (the node's `matrix` as written, when it has one).
    pub local: Mat4,
    /// The transform into the scene's space: the parents' locals times this one's.
    pub world: Mat4,
    pub mesh: Option<usize>,
    pub skin: Option<usize>,
    pub camera: Option<usize>,
    /// The index of its KHR_lights_punctual light.
    pub light: Option<usize>,
    /// Default morph weights.
    pub weights: Vec<f32>,
}

impl Node {
    /// An empty: a node that carries nothing (no mesh, camera or light). Skeleton
    /// joints are empties too; [`super::GltfModel::empties`] leaves them out.
    pub fn is_empty(&self) -> bool {
        self.mesh.is_none() && self.camera.is_none() && self.light.is_none()
    }
}

/// The kind of a punctual light.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LightKind {
    Directional,
    Point,
    /// Cone angles in radians (defaults 0 and π/4).
    Spot {
        inner_cone: f32,
        outer_cone: f32,
    },
}

/// A KHR_lights_punctual light and the nodes that place it.
#[derive(Clone, Debug, PartialEq)]
pub struct Light {
    pub name: Option<String>,
    pub kind: LightKind,
    /// Linear RGB (default white).
    pub color: [f32; 3],
    /// Lux for directional lights, candela for point and spot lights (default 1).
    pub intensity: f32,
    /// Metres; `None` is infinite (Bevy then uses 20 m).
    pub range: Option<f32>,
    pub nodes: Vec<usize>,
}

/// The node tree and the default scene.
pub(crate) struct SceneGraph {
    pub nodes: Vec<Node>,
    /// The default scene (`scene`, else the first), if the file has any scene.
    pub scene: Option<usize>,
    pub scene_name: Option<String>,
    /// The default scene's root nodes.
    pub roots: Vec<usize>,
    pub lights: Vec<Light>,
    pub cameras: usize,
}

fn local_transform(n: &super::document::Node) -> (Mat4, Vec3, Quat, Vec3) {
    if let Some(m) = n.matrix {
        let local = Mat4::from_cols_array(&m);
        let (scale, rotation, translation) = local.to_scale_rotation_translation();
        return (local, translation, rotation, scale);
    }
    let translation = n.translation.map_or(Vec3::ZERO, Vec3::from_array);
    let rotation = n
        .rotation
        .map_or(Quat::IDENTITY, Quat::from_array)
        .normalize();
    let scale = n.scale.map_or(Vec3::ONE, Vec3::from_array);
    let rotation = if rotation.is_finite() {
        rotation
    } else {
        Quat::IDENTITY
    };
    (
        Mat4::from_scale_rotation_translation(scale, rotation, translation),
        translation,
        rotation,
        scale,
    )
}

/// Builds the node tree, world transforms and the default scene's roots.
pub(crate) fn read(doc: &Root, problems: &mut Vec<Problem>) -> SceneGraph {
    let lights_json = doc
        .extensions
        .get("KHR_lights_punctual")
        .and_then(|l| l.get("lights"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut nodes: Vec<Node> = doc
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (local, translation, rotation, scale) = local_transform(n);
            let at = |field: &'static str| move || format!("nodes[{i}].{field}");
            let mesh = n
                .mesh
                .filter(|&m| check_index(problems, at("mesh"), m, doc.meshes.len(), "meshes"));
            let skin = n
                .skin
                .filter(|&s| check_index(problems, at("skin"), s, doc.skins.len(), "skins"));
            let camera = n
                .camera
                .filter(|&c| check_index(problems, at("camera"), c, doc.cameras.len(), "cameras"));
            let light = n
                .extensions
                .get("KHR_lights_punctual")
                .and_then(|l| l.get("light"))
                .and_then(Value::as_u64)
                .map(|l| l as usize)
                .filter(|&l| {
                    check_index(
                        problems,
                        at("extensions.KHR_lights_punctual.light"),
                        l,
                        lights_json.len(),
                        "KHR_lights_punctual lights",
                    )
                });
            Node {
                name: n.name.clone(),
                parent: None,
                children: Vec::new(),
                translation,
                rotation,
                scale,
                local,
                world: local,
                mesh,
                skin,
                camera,
                light,
                weights: n.weights.clone(),
            }
        })
        .collect();

    link_children(doc, &mut nodes, problems);
    compute_world(&mut nodes);

    let scene = doc.scene.or((!doc.scenes.is_empty()).then_some(0));
    let scene =
        scene.filter(|&s| check_index(problems, || "scene".into(), s, doc.scenes.len(), "scenes"));
    let mut roots = Vec::new();
    if let Some(s) = scene {
        for (k, &root) in doc.scenes[s].nodes.iter().enumerate() {
            let at = || format!("scenes[{s}].nodes[{k}]");
            if !check_index(problems, at, root, nodes.len(), "nodes") {
                continue;
            }
            if nodes[root].parent.is_some() {
                problems.push(Problem::error(
                    ProblemKind::Damaged,
                    at(),
                    format!(
                        "scene {s} lists node {root} as a root, but it is another node's child"
                    ),
                ));
            } else if !roots.contains(&root) {
                roots.push(root);
            }
        }
    } else if !nodes.is_empty() {
        problems.push(
            Problem::warning(
                ProblemKind::Damaged,
                "scenes",
                "the model has nodes but no scene, so nothing of it would be shown",
            )
            .with_hint("export again with the objects in a scene"),
        );
    }

    let lights = lights_json
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let f = |key: &str| l.get(key).and_then(Value::as_f64).map(|v| v as f32);
            let kind = match l.get("type").and_then(Value::as_str) {
                Some("directional") => LightKind::Directional,
                Some("spot") => {
                    let spot = l.get("spot");
                    let cone = |key: &str, default: f32| {
                        spot.and_then(|s| s.get(key))
                            .and_then(Value::as_f64)
                            .map_or(default, |v| v as f32)
                    };
                    LightKind::Spot {
                        inner_cone: cone("innerConeAngle", 0.0),
                        outer_cone: cone("outerConeAngle", std::f32::consts::FRAC_PI_4),
                    }
                }
                Some("point") => LightKind::Point,
                other => {
                    problems.push(Problem::error(
                        ProblemKind::Damaged,
                        format!("extensions.KHR_lights_punctual.lights[{i}].type"),
                        format!("light {i} has type {other:?}; KHR_lights_punctual knows directional, point and spot"),
                    ));
                    LightKind::Point
                }
            };
            let color = l
                .get("color")
                .and_then(Value::as_array)
                .filter(|c| c.len() == 3)
                .map_or([1.0; 3], |c| {
                    [0, 1, 2].map(|k| c[k].as_f64().unwrap_or(1.0) as f32)
                });
            Light {
                name: l.get("name").and_then(Value::as_str).map(str::to_owned),
                kind,
                color,
                intensity: f("intensity").unwrap_or(1.0),
                range: f("range"),
                nodes: nodes
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.light == Some(i))
                    .map(|(k, _)| k)
                    .collect(),
            }
        })
        .collect();

    SceneGraph {
        nodes,
        scene,
        scene_name: scene.and_then(|s| doc.scenes[s].name.clone()),
        roots,
        lights,
        cameras: doc.cameras.len(),
    }
}

/// Sets parents and children, leaving out (and reporting) links that would break the
/// tree: indices past the end, second parents, and links that close a cycle.
fn link_children(doc: &Root, nodes: &mut [Node], problems: &mut Vec<Problem>) {
    for (i, n) in doc.nodes.iter().enumerate() {
        for (k, &child) in n.children.iter().enumerate() {
            let at = || format!("nodes[{i}].children[{k}]");
            if !check_index(problems, at, child, nodes.len(), "nodes") {
                continue;
            }
            if let Some(parent) = nodes[child].parent {
                problems.push(Problem::error(
                    ProblemKind::Damaged,
                    at(),
                    format!("node {child} is a child of both node {parent} and node {i}; a node has one parent"),
                ).with_hint("the file is damaged or was written by a broken exporter: export it again"));
                continue;
            }
            // Would the link make `child` its own ancestor?
            let mut up = Some(i);
            let mut steps = 0;
            while let Some(a) = up {
                if a == child || steps > nodes.len() {
                    break;
                }
                up = nodes[a].parent;
                steps += 1;
            }
            if up.is_some() {
                problems.push(Problem::error(
                    ProblemKind::Damaged,
                    at(),
                    format!("node {child} would be its own ancestor through node {i}: the node tree has a cycle"),
                ).with_hint("the file is damaged or was written by a broken exporter: export it again"));
                continue;
            }
            nodes[child].parent = Some(i);
            nodes[i].children.push(child);
        }
    }
}

/// World transforms, from each root down (the tree has no cycles by now).
fn compute_world(nodes: &mut [Node]) {
    let mut stack: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].parent.is_none())
        .collect();
    while let Some(i) = stack.pop() {
        let world = match nodes[i].parent {
            Some(p) => nodes[p].world * nodes[i].local,
            None => nodes[i].local,
        };
        nodes[i].world = world;
        stack.extend(nodes[i].children.iter().copied());
    }
}

/// The nodes of the tree under `roots`, each once, parents before children.
pub(crate) fn descendants(nodes: &[Node], roots: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = vec![false; nodes.len()];
    let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        stack.extend(nodes[i].children.iter().rev().copied());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gltf::document::parse;

    #[test]
    fn world_transforms_compose_trs_and_matrices() {
        let doc = parse(
            br#"{
            "asset": { "version": "2.0" },
            "scenes": [ { "nodes": [0] } ],
            "nodes": [
                { "name": "root", "children": [1], "scale": [2, 2, 2] },
                { "name": "arm", "children": [2], "translation": [1, 0, 0],
                  "rotation": [0, 0, 0.7071068, 0.7071068] },
                { "name": "hand", "matrix": [1,0,0,0, 0,1,0,0, 0,0,1,0, 1,0,0,1] }
            ]
        }"#,
        )
        .expect("doc");
        let mut problems = Vec::new();
        let g = read(&doc, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(g.roots, [0]);
        assert_eq!(g.nodes[2].parent, Some(1));
        // The hand is 1 m along the arm's x, which the arm's 90° about z turns to +y,
        // all scaled by 2: (2, 0, 0) + (0, 2, 0).
        let hand = g.nodes[2].world.transform_point3(Vec3::ZERO);
        assert!((hand - Vec3::new(2.0, 2.0, 0.0)).length() < 1e-5, "{hand}");
        assert_eq!(g.nodes[2].translation, Vec3::X);
    }

    #[test]
    fn cycles_and_second_parents_are_reported_and_cut() {
        let doc = parse(
            br#"{
            "asset": { "version": "2.0" },
            "scenes": [ { "nodes": [0] } ],
            "nodes": [ { "children": [1] }, { "children": [0, 2] }, { }, { "children": [2, 9] } ]
        }"#,
        )
        .expect("doc");
        let mut problems = Vec::new();
        let g = read(&doc, &mut problems);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().all(|p| p.kind == ProblemKind::Damaged));
        assert_eq!(g.nodes[2].parent, Some(1));
        assert_eq!(descendants(&g.nodes, &g.roots), [0, 1, 2]);
    }
}
