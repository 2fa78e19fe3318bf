//! A small glTF 2.0 model the project makes itself, for tests of models in stories.
//!
//! [`glb`] writes a binary glTF: a humanoid skeleton of 21 joints named as Mixamo names
//! them ([`JOINTS`]: `Hips` … `Head`, `LeftArm`, `LeftForeArm`, `LeftHand`,
//! `LeftUpLeg`, `LeftLeg`, `LeftFoot`, `LeftToeBase` and the right side), facing +Z,
//! 1.1 m tall; one mesh (a box with flat normals) skinned wholly to `Hips`, morph
//! targets (POSITION deltas) named in `extras.targetNames`, its node with default
//! `weights`, a scene, and one named animation per clip, each a LINEAR sampler over a
//! shared time accessor with a rotation channel on `Hips` (or a weights channel on the
//! mesh for `yawn`). Everything is little-endian and 4-byte aligned, every vertex
//! accessor has its own buffer view, and POSITION accessors carry `min`/`max`, as the
//! glTF 2.0 specification asks.
//!
//! `tests/models/child.glb` (every clip) and `tests/models/child_no_clap.glb` are
//! written by this code; `UPDATE_GOLDEN=1 cargo test -p reunion_story` rewrites them.

use serde_json::{Value, json};

/// Every clip reunion can play: `idle`, `walk` and one per gesture.
pub const ALL_CLIPS: [&str; 12] = [
    "idle",
    "walk",
    "call_out",
    "wave",
    "reach_out",
    "point",
    "arms_open",
    "clap",
    "nod",
    "yawn",
    "lie_down",
    "glow_and_fade",
];

/// The morph targets reunion drives.
pub const ALL_MORPHS: [&str; 3] = ["mouth_open", "blink", "smile"];

/// The skeleton: each joint's name, parent (an index into this list) and position in
/// the scene, in metres (rest rotations are the identity).
pub const JOINTS: [(&str, Option<usize>, [f32; 3]); 21] = [
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
];

const ARRAY_BUFFER: u32 = 34962;
const UNSIGNED_BYTE: u32 = 5121;
const ELEMENT_ARRAY_BUFFER: u32 = 34963;
const FLOAT: u32 = 5126;
const UNSIGNED_SHORT: u32 = 5123;

/// Builds the binary buffer and the views and accessors into it.
#[derive(Default)]
struct Builder {
    bin: Vec<u8>,
    views: Vec<Value>,
    accessors: Vec<Value>,
}

impl Builder {
    /// Appends a buffer view holding `bytes`, returning its index.
    fn view(&mut self, bytes: &[u8], target: Option<u32>) -> usize {
        while !self.bin.len().is_multiple_of(4) {
            self.bin.push(0);
        }
        let mut view = json!({
            "buffer": 0,
            "byteOffset": self.bin.len(),
            "byteLength": bytes.len(),
        });
        if let Some(t) = target {
            view["target"] = json!(t);
        }
        self.bin.extend_from_slice(bytes);
        self.views.push(view);
        self.views.len() - 1
    }

    /// An accessor of f32 items (`kind`: SCALAR, VEC3, VEC4), with min/max when asked.
    fn floats(
        &mut self,
        items: &[Vec<f32>],
        kind: &str,
        target: Option<u32>,
        bounds: bool,
    ) -> usize {
        let bytes: Vec<u8> = items
            .iter()
            .flatten()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let view = self.view(&bytes, target);
        let mut acc = json!({
            "bufferView": view,
            "componentType": FLOAT,
            "count": items.len(),
            "type": kind,
        });
        if bounds {
            let n = items[0].len();
            let min: Vec<f32> = (0..n)
                .map(|i| items.iter().map(|v| v[i]).fold(f32::INFINITY, f32::min))
                .collect();
            let max: Vec<f32> = (0..n)
                .map(|i| items.iter().map(|v| v[i]).fold(f32::NEG_INFINITY, f32::max))
                .collect();
            acc["min"] = json!(min);
            acc["max"] = json!(max);
        }
        self.accessors.push(acc);
        self.accessors.len() - 1
    }

    /// An accessor of unsigned bytes, four per item (`JOINTS_0`).
    fn byte_quads(&mut self, items: &[[u8; 4]]) -> usize {
        let bytes: Vec<u8> = items.iter().flatten().copied().collect();
        let view = self.view(&bytes, Some(ARRAY_BUFFER));
        self.accessors.push(json!({
            "bufferView": view,
            "componentType": UNSIGNED_BYTE,
            "count": items.len(),
            "type": "VEC4",
        }));
        self.accessors.len() - 1
    }

    fn indices(&mut self, indices: &[u16]) -> usize {
        let bytes: Vec<u8> = indices.iter().flat_map(|v| v.to_le_bytes()).collect();
        let view = self.view(&bytes, Some(ELEMENT_ARRAY_BUFFER));
        self.accessors.push(json!({
            "bufferView": view,
            "componentType": UNSIGNED_SHORT,
            "count": indices.len(),
            "type": "SCALAR",
        }));
        self.accessors.len() - 1
    }
}

/// A box 0.3 × 1.1 × 0.2 m standing on the ground: 24 vertices (four per face, so
/// each face has its own normal) and 36 indices.
fn boxy() -> (Vec<Vec<f32>>, Vec<Vec<f32>>, Vec<u16>) {
    let (hx, hz, h) = (0.15, 0.1, 1.1);
    let mut positions = Vec::new();
    let mut normals = Vec::new();
    let mut indices = Vec::new();
    // Each face: its normal and two axes spanning it, chosen so that u × v = normal
    // (counter-clockwise seen from outside).
    let faces: [([f32; 3], [f32; 3], [f32; 3]); 6] = [
        ([1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]),
        ([-1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]),
        ([0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, -1.0]),
        ([0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]),
        ([0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]),
        ([0.0, 0.0, -1.0], [-1.0, 0.0, 0.0], [0.0, 1.0, 0.0]),
    ];
    let half = [hx, h / 2.0, hz];
    for (n, u, v) in faces {
        let base = positions.len() as u16;
        for (su, sv) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
            let p: Vec<f32> = (0..3)
                .map(|i| {
                    (n[i] + su * u[i] + sv * v[i]) * half[i] + if i == 1 { h / 2.0 } else { 0.0 }
                })
                .collect();
            positions.push(p);
            normals.push(n.to_vec());
        }
        indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    (positions, normals, indices)
}

/// A unit quaternion `[x, y, z, w]` for `degrees` about `axis` (a unit vector).
fn quat(axis: [f32; 3], degrees: f32) -> Vec<f32> {
    let (s, c) = (degrees.to_radians() / 2.0).sin_cos();
    vec![axis[0] * s, axis[1] * s, axis[2] * s, c]
}

/// A binary glTF with the named `clips` (our names, or any) and morph `targets`.
pub fn glb(clips: &[&str], targets: &[&str]) -> Vec<u8> {
    let mut b = Builder::default();
    let (positions, normals, indices) = boxy();
    let position = b.floats(&positions, "VEC3", Some(ARRAY_BUFFER), true);
    let normal = b.floats(&normals, "VEC3", Some(ARRAY_BUFFER), false);
    let index = b.indices(&indices);
    // Every vertex follows the hips wholly.
    let joints_0 = b.byte_quads(&vec![[0, 0, 0, 0]; positions.len()]);
    let weights_0 = b.floats(
        &vec![vec![1.0, 0.0, 0.0, 0.0]; positions.len()],
        "VEC4",
        Some(ARRAY_BUFFER),
        false,
    );
    // Each joint's inverse bind matrix: its rest position undone (column-major).
    let inverse_binds: Vec<Vec<f32>> = JOINTS
        .iter()
        .map(|(_, _, [x, y, z])| {
            vec![
                1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, -x, -y, -z, 1.0,
            ]
        })
        .collect();
    let inverse_binds = b.floats(&inverse_binds, "MAT4", None, false);
    let mut nodes: Vec<Value> = JOINTS
        .iter()
        .enumerate()
        .map(|(i, (name, parent, at))| {
            let from = parent.map_or([0.0; 3], |p| JOINTS[p].2);
            let children: Vec<usize> = (0..JOINTS.len())
                .filter(|&c| JOINTS[c].1 == Some(i))
                .collect();
            let mut node = json!({
                "name": name,
                "translation": [at[0] - from[0], at[1] - from[1], at[2] - from[2]],
            });
            if !children.is_empty() {
                node["children"] = json!(children);
            }
            node
        })
        .collect();
    let mesh_node = JOINTS.len();

    // Morph targets: each moves a different part of the box a little.
    let morph_targets: Vec<Value> = targets
        .iter()
        .enumerate()
        .map(|(t, name)| {
            let kind = ALL_MORPHS.iter().position(|m| m == name).unwrap_or(t % 3);
            let deltas: Vec<Vec<f32>> = positions
                .iter()
                .map(|p| match kind {
                    // mouth_open: the top drops a little at the front.
                    0 if p[1] > 1.0 && p[2] > 0.0 => vec![0.0, -0.03, 0.0],
                    // blink: the top narrows.
                    1 if p[1] > 1.0 => vec![-p[0] * 0.2, 0.0, 0.0],
                    // smile: the front widens.
                    2 if p[2] > 0.0 => vec![p[0] * 0.15, 0.0, 0.0],
                    _ => vec![0.0, 0.0, 0.0],
                })
                .collect();
            json!({ "POSITION": b.floats(&deltas, "VEC3", Some(ARRAY_BUFFER), true) })
        })
        .collect();
    let zeros = vec![0.0f32; targets.len()];
    let mut primitive = json!({
        "attributes": {
            "POSITION": position,
            "NORMAL": normal,
            "JOINTS_0": joints_0,
            "WEIGHTS_0": weights_0,
        },
        "indices": index,
        "mode": 4,
    });
    let mut mesh = json!({ "name": "child", "primitives": [] });
    let mut node = json!({ "name": "child", "mesh": 0, "skin": 0 });
    if !targets.is_empty() {
        primitive["targets"] = json!(morph_targets);
        mesh["extras"] = json!({ "targetNames": targets });
        node["weights"] = json!(zeros);
    }
    mesh["primitives"] = json!([primitive]);
    nodes.push(node);

    // Animations: one time accessor shared by every sampler.
    let times = b.floats(&[vec![0.0], vec![0.5], vec![1.0]], "SCALAR", None, true);
    let axes = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]];
    let animations: Vec<Value> = clips
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (target, path, output) = if *name == "yawn" && !targets.is_empty() {
                // Weights: keyframes × targets values, the first target opening.
                let frames: Vec<Vec<f32>> = [0.0, 1.0, 0.0]
                    .iter()
                    .flat_map(|w| {
                        (0..targets.len()).map(move |t| vec![if t == 0 { *w } else { 0.0 }])
                    })
                    .collect();
                (
                    mesh_node,
                    "weights",
                    b.floats(&frames, "SCALAR", None, false),
                )
            } else {
                let axis = axes[i % 3];
                let degrees = 5.0 + i as f32;
                let frames = [quat(axis, 0.0), quat(axis, degrees), quat(axis, 0.0)];
                (0, "rotation", b.floats(&frames, "VEC4", None, false))
            };
            json!({
                "name": name,
                "samplers": [{ "input": times, "output": output, "interpolation": "LINEAR" }],
                "channels": [{ "sampler": 0, "target": { "node": target, "path": path } }],
            })
        })
        .collect();

    let mut root = json!({
        "asset": { "version": "2.0", "generator": "reunion_story tests (support/test_model.rs)" },
        "scene": 0,
        "scenes": [{ "name": "child", "nodes": [0, mesh_node] }],
        "nodes": nodes,
        "skins": [{ "joints": (0..JOINTS.len()).collect::<Vec<_>>(), "inverseBindMatrices": inverse_binds, "skeleton": 0 }],
        "meshes": [mesh],
        "accessors": b.accessors,
        "bufferViews": b.views,
        "buffers": [{ "byteLength": b.bin.len() }],
    });
    if !animations.is_empty() {
        root["animations"] = json!(animations);
    }
    let mut json = serde_json::to_vec(&root).expect("JSON");
    while !json.len().is_multiple_of(4) {
        json.push(b' ');
    }
    let mut bin = b.bin;
    while !bin.len().is_multiple_of(4) {
        bin.push(0);
    }
    let total = 12 + 8 + json.len() + 8 + bin.len();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"glTF");
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(b"JSON");
    out.extend_from_slice(&json);
    out.extend_from_slice(&(bin.len() as u32).to_le_bytes());
    out.extend_from_slice(b"BIN\0");
    out.extend_from_slice(&bin);
    out
}
