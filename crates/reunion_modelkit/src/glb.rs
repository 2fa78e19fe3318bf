//! A binary glTF 2.0 writer: a [`Document`] collects materials, PNG textures, meshes
//! (with skins and morph targets), nodes, animations and `KHR_lights_punctual` lights,
//! and [`Document::finish`] packs them into one `.glb`.
//!
//! What the glTF 2.0 specification asks, and this writer does:
//! - every buffer view starts on a 4-byte boundary, vertex attributes are tightly
//!   packed (one view each, no stride), views of vertex data carry target 34962 and
//!   views of indices 34963, and views of images, inverse bind matrices, animation
//!   data and sparse morph data carry none;
//! - POSITION accessors (morph targets' too) and animation inputs carry `min`/`max`
//!   computed from the very numbers written;
//! - JOINTS_0 is unsigned bytes, WEIGHTS_0 floats summing to 1, COLOR_0 normalised
//!   unsigned bytes (linear), indices 16-bit when they fit;
//! - morph targets are POSITION deltas, sparse where that is smaller (as Blender
//!   writes them), named in the mesh's `extras.targetNames`, with default `weights`;
//! - extensions (`KHR_lights_punctual`, `KHR_materials_emissive_strength`) are
//!   declared in
//!   `extensionsUsed`, never required;
//! - the JSON chunk is padded with spaces and the binary chunk with zeros to 4 bytes.
//!
//! The JSON text comes from [`crate::json`], so the same model is the same bytes.

use serde_json::{Value, json};

use crate::colour::Rgb;
use crate::geometry::Geometry;
use crate::json::to_text;
use crate::math::{Quat, Vec3};

const ARRAY_BUFFER: u32 = 34962;
const ELEMENT_ARRAY_BUFFER: u32 = 34963;
const UNSIGNED_BYTE: u32 = 5121;
const UNSIGNED_SHORT: u32 = 5123;
const UNSIGNED_INT: u32 = 5125;
const FLOAT: u32 = 5126;

/// A PBR metallic-roughness material.
#[derive(Clone, Debug)]
pub struct Material {
    pub name: String,
    /// Linear RGBA.
    pub base_colour: [f32; 4],
    pub metallic: f32,
    pub roughness: f32,
    /// Linear RGB.
    pub emissive: [f32; 3],
    /// A texture from [`Document::png_texture`], multiplied by `base_colour`.
    pub texture: Option<usize>,
    pub double_sided: bool,
    /// How many times brighter than 1 the emissive colour is
    /// (`KHR_materials_emissive_strength` when above 1): the sun's disc, which has to
    /// outshine the sky.
    pub emissive_strength: f32,
}

impl Material {
    /// A rough, non-metallic material of colour `c`.
    pub fn new(name: &str, c: Rgb) -> Material {
        Material {
            name: name.into(),
            base_colour: c.linear4(),
            metallic: 0.0,
            roughness: 0.8,
            emissive: [0.0; 3],
            texture: None,
            double_sided: false,
            emissive_strength: 1.0,
        }
    }

    pub fn roughness(mut self, r: f32) -> Material {
        self.roughness = r;
        self
    }

    pub fn metallic(mut self, m: f32) -> Material {
        self.metallic = m;
        self
    }

    /// Glowing with colour `c`, `strength` times its full colour (above 1 through
    /// `KHR_materials_emissive_strength`).
    pub fn glowing(mut self, c: Rgb, strength: f32) -> Material {
        let k = strength.min(1.0);
        let [r, g, b] = c.linear();
        self.emissive = [r * k, g * k, b * k];
        self.emissive_strength = strength.max(1.0);
        self
    }

    pub fn textured(mut self, texture: usize) -> Material {
        self.texture = Some(texture);
        self
    }

    pub fn double_sided(mut self) -> Material {
        self.double_sided = true;
        self
    }
}

/// A node: a name, a local transform (translation, rotation, scale), and what hangs
/// on it.
#[derive(Clone, Debug)]
pub struct Node {
    pub name: String,
    pub translation: Vec3,
    pub rotation: Quat,
    pub scale: Vec3,
    pub mesh: Option<usize>,
    pub skin: Option<usize>,
    pub light: Option<usize>,
    pub children: Vec<usize>,
}

impl Node {
    /// An empty at the origin of its parent.
    pub fn empty(name: &str) -> Node {
        Node {
            name: name.into(),
            translation: Vec3::ZERO,
            rotation: Quat::IDENTITY,
            scale: Vec3 {
                x: 1.0,
                y: 1.0,
                z: 1.0,
            },
            mesh: None,
            skin: None,
            light: None,
            children: Vec::new(),
        }
    }

    pub fn at(mut self, t: Vec3) -> Node {
        self.translation = t;
        self
    }

    pub fn turned(mut self, r: Quat) -> Node {
        self.rotation = r;
        self
    }

    pub fn with_mesh(mut self, mesh: usize) -> Node {
        self.mesh = Some(mesh);
        self
    }
}

/// One of `KHR_lights_punctual`'s lights. Each shines along its node's −Z.
#[derive(Clone, Debug)]
pub enum Light {
    /// Intensity in candela; range in metres (`None`: unbounded).
    Point {
        name: String,
        colour: Rgb,
        candela: f32,
        range: Option<f32>,
    },
    /// Intensity in candela; cone angles in radians.
    Spot {
        name: String,
        colour: Rgb,
        candela: f32,
        inner: f32,
        outer: f32,
    },
    /// Illuminance in lux.
    Directional { name: String, colour: Rgb, lux: f32 },
}

/// A primitive of a mesh: its geometry, its material, and its morph targets'
/// POSITION deltas (one per target, one delta per vertex).
pub struct Primitive<'a> {
    pub geometry: &'a Geometry,
    pub material: usize,
    pub targets: &'a [Vec<Vec3>],
}

/// An animation channel: keyframes (seconds, value) for one node's rotation or
/// translation, interpolated linearly.
pub enum Channel {
    Rotation(usize, Vec<(f32, Quat)>),
    Translation(usize, Vec<(f32, Vec3)>),
}

/// A glTF document being written.
#[derive(Default)]
pub struct Document {
    bin: Vec<u8>,
    views: Vec<Value>,
    accessors: Vec<Value>,
    materials: Vec<Value>,
    images: Vec<Value>,
    textures: Vec<Value>,
    meshes: Vec<Value>,
    nodes: Vec<Node>,
    skins: Vec<Value>,
    animations: Vec<Value>,
    lights: Vec<Value>,
    /// Whether a material glows brighter than 1 (`KHR_materials_emissive_strength`
    /// is then used).
    emissive_strength: bool,
}

impl Document {
    pub fn new() -> Document {
        Document::default()
    }

    /// Appends a buffer view of `bytes`, starting on a 4-byte boundary.
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

    fn accessor(&mut self, a: Value) -> usize {
        self.accessors.push(a);
        self.accessors.len() - 1
    }

    /// An accessor of float items of `width` components (`kind` SCALAR, VEC2, ...),
    /// with `min`/`max` when `bounds`.
    fn floats(
        &mut self,
        items: &[f32],
        width: usize,
        kind: &str,
        target: Option<u32>,
        bounds: bool,
    ) -> usize {
        let bytes: Vec<u8> = items.iter().flat_map(|v| v.to_le_bytes()).collect();
        let view = self.view(&bytes, target);
        let mut a = json!({
            "bufferView": view,
            "componentType": FLOAT,
            "count": items.len() / width,
            "type": kind,
        });
        if bounds {
            let (min, max) = min_max(items, width);
            a["min"] = json!(min);
            a["max"] = json!(max);
        }
        self.accessor(a)
    }

    fn vec3s(&mut self, items: &[Vec3], target: Option<u32>, bounds: bool) -> usize {
        let flat: Vec<f32> = items.iter().flat_map(|v| v.to_array()).collect();
        self.floats(&flat, 3, "VEC3", target, bounds)
    }

    fn indices(&mut self, indices: &[u32], vertex_count: usize) -> usize {
        let (bytes, component): (Vec<u8>, u32) = if vertex_count <= 65_535 {
            let b = indices
                .iter()
                .flat_map(|&i| (i as u16).to_le_bytes())
                .collect();
            (b, UNSIGNED_SHORT)
        } else {
            (
                indices.iter().flat_map(|i| i.to_le_bytes()).collect(),
                UNSIGNED_INT,
            )
        };
        let view = self.view(&bytes, Some(ELEMENT_ARRAY_BUFFER));
        self.accessor(json!({
            "bufferView": view,
            "componentType": component,
            "count": indices.len(),
            "type": "SCALAR",
        }))
    }

    /// A morph target's POSITION deltas: sparse (only the vertices that move, over an
    /// implied zero base) when that is smaller than writing every delta.
    fn deltas(&mut self, deltas: &[Vec3]) -> usize {
        let flat: Vec<f32> = deltas.iter().flat_map(|v| v.to_array()).collect();
        let (min, max) = min_max(&flat, 3);
        let moved: Vec<usize> = (0..deltas.len())
            .filter(|&i| deltas[i] != Vec3::ZERO)
            .collect();
        let index_size = if deltas.len() <= 256 {
            1
        } else if deltas.len() <= 65_536 {
            2
        } else {
            4
        };
        if moved.len() * (12 + index_size) >= deltas.len() * 12 {
            return self.vec3s(deltas, Some(ARRAY_BUFFER), true);
        }
        // A target that moves nothing still needs one entry: sparse.count is at least 1.
        let moved = if moved.is_empty() { vec![0] } else { moved };
        let index_bytes: Vec<u8> = match index_size {
            1 => moved.iter().map(|&i| i as u8).collect(),
            2 => moved
                .iter()
                .flat_map(|&i| (i as u16).to_le_bytes())
                .collect(),
            _ => moved
                .iter()
                .flat_map(|&i| (i as u32).to_le_bytes())
                .collect(),
        };
        let index_type = match index_size {
            1 => UNSIGNED_BYTE,
            2 => UNSIGNED_SHORT,
            _ => UNSIGNED_INT,
        };
        let value_bytes: Vec<u8> = moved
            .iter()
            .flat_map(|&i| deltas[i].to_array())
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let index_view = self.view(&index_bytes, None);
        let value_view = self.view(&value_bytes, None);
        self.accessor(json!({
            "componentType": FLOAT,
            "count": deltas.len(),
            "type": "VEC3",
            "min": min,
            "max": max,
            "sparse": {
                "count": moved.len(),
                "indices": { "bufferView": index_view, "componentType": index_type },
                "values": { "bufferView": value_view },
            },
        }))
    }

    /// Adds a material, returning its index.
    pub fn material(&mut self, m: Material) -> usize {
        let mut pbr = json!({
            "baseColorFactor": m.base_colour,
            "metallicFactor": m.metallic,
            "roughnessFactor": m.roughness,
        });
        if let Some(t) = m.texture {
            pbr["baseColorTexture"] = json!({ "index": t });
        }
        let mut v = json!({ "name": m.name, "pbrMetallicRoughness": pbr });
        if m.emissive != [0.0; 3] {
            v["emissiveFactor"] = json!(m.emissive);
        }
        if m.double_sided {
            v["doubleSided"] = json!(true);
        }
        if m.emissive_strength > 1.0 {
            v["extensions"] = json!({
                "KHR_materials_emissive_strength": { "emissiveStrength": m.emissive_strength },
            });
            self.emissive_strength = true;
        }
        self.materials.push(v);
        self.materials.len() - 1
    }

    /// Adds a PNG image (kept in the binary chunk) and a texture sampling it with
    /// linear filtering, repeating in both directions.
    pub fn png_texture(&mut self, name: &str, png: &[u8]) -> usize {
        let view = self.view(png, None);
        self.images
            .push(json!({ "name": name, "bufferView": view, "mimeType": "image/png" }));
        self.textures
            .push(json!({ "sampler": 0, "source": self.images.len() - 1 }));
        self.textures.len() - 1
    }

    /// Adds a mesh of `primitives`, whose morph targets (the same number in each
    /// primitive) are called `target_names`.
    pub fn mesh(&mut self, name: &str, primitives: &[Primitive], target_names: &[&str]) -> usize {
        let mut prims = Vec::new();
        for p in primitives {
            assert_eq!(p.targets.len(), target_names.len(), "{name}: targets");
            prims.push(self.primitive(p));
        }
        let mut mesh = json!({ "name": name, "primitives": prims });
        if !target_names.is_empty() {
            mesh["extras"] = json!({ "targetNames": target_names });
            mesh["weights"] = json!(vec![0.0f32; target_names.len()]);
        }
        self.meshes.push(mesh);
        self.meshes.len() - 1
    }

    /// A node called `name` showing one mesh of the same name, one primitive per
    /// (geometry, material) part, none with morph targets.
    pub fn mesh_node(&mut self, name: &str, parts: &[(&Geometry, usize)]) -> usize {
        let primitives: Vec<Primitive> = parts
            .iter()
            .map(|&(geometry, material)| Primitive {
                geometry,
                material,
                targets: &[],
            })
            .collect();
        let mesh = self.mesh(name, &primitives, &[]);
        self.node(Node::empty(name).with_mesh(mesh))
    }

    fn primitive(&mut self, p: &Primitive) -> Value {
        let g = p.geometry;
        let n = g.vertex_count();
        assert_eq!(g.normals.len(), n, "normals");
        let mut attributes = json!({
            "POSITION": self.vec3s(&g.positions, Some(ARRAY_BUFFER), true),
            "NORMAL": self.vec3s(&g.normals, Some(ARRAY_BUFFER), false),
        });
        if !g.uvs.is_empty() {
            let flat: Vec<f32> = g.uvs.iter().flatten().copied().collect();
            attributes["TEXCOORD_0"] =
                json!(self.floats(&flat, 2, "VEC2", Some(ARRAY_BUFFER), false));
        }
        if !g.colours.is_empty() {
            let bytes: Vec<u8> = g
                .colours
                .iter()
                .flatten()
                .map(|c| (c.clamp(0.0, 1.0) * 255.0 + 0.5) as u8)
                .collect();
            let view = self.view(&bytes, Some(ARRAY_BUFFER));
            attributes["COLOR_0"] = json!(self.accessor(json!({
                "bufferView": view,
                "componentType": UNSIGNED_BYTE,
                "normalized": true,
                "count": n,
                "type": "VEC4",
            })));
        }
        if !g.influences.is_empty() {
            let joints: Vec<u8> = g.influences.iter().flat_map(|(j, _)| *j).collect();
            let view = self.view(&joints, Some(ARRAY_BUFFER));
            attributes["JOINTS_0"] = json!(self.accessor(json!({
                "bufferView": view,
                "componentType": UNSIGNED_BYTE,
                "count": n,
                "type": "VEC4",
            })));
            let weights: Vec<f32> = g.influences.iter().flat_map(|(_, w)| *w).collect();
            attributes["WEIGHTS_0"] =
                json!(self.floats(&weights, 4, "VEC4", Some(ARRAY_BUFFER), false));
        }
        let indices = self.indices(&g.indices, n);
        let mut prim = json!({
            "attributes": attributes,
            "indices": indices,
            "material": p.material,
            "mode": 4,
        });
        if !p.targets.is_empty() {
            let targets: Vec<Value> = p
                .targets
                .iter()
                .map(|t| {
                    assert_eq!(t.len(), n, "a morph target needs a delta for each vertex");
                    json!({ "POSITION": self.deltas(t) })
                })
                .collect();
            prim["targets"] = json!(targets);
        }
        prim
    }

    /// Adds a node, returning its index.
    pub fn node(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Hangs `child` under `parent`.
    pub fn add_child(&mut self, parent: usize, child: usize) {
        self.nodes[parent].children.push(child);
    }

    /// Sets the skin of the node showing a skinned mesh.
    pub fn set_skin(&mut self, node: usize, skin: usize) {
        self.nodes[node].skin = Some(skin);
    }

    /// Adds a skin over `joints` (node indices) with their inverse bind matrices
    /// (column-major), rooted at `skeleton`.
    pub fn skin(
        &mut self,
        name: &str,
        joints: &[usize],
        inverse_binds: &[[f32; 16]],
        skeleton: usize,
    ) -> usize {
        let flat: Vec<f32> = inverse_binds.iter().flatten().copied().collect();
        let ibm = self.floats(&flat, 16, "MAT4", None, false);
        self.skins.push(json!({
            "name": name,
            "joints": joints,
            "inverseBindMatrices": ibm,
            "skeleton": skeleton,
        }));
        self.skins.len() - 1
    }

    /// Adds an animation clip of linearly interpolated channels.
    pub fn animation(&mut self, name: &str, channels: &[Channel]) {
        let mut samplers = Vec::new();
        let mut chans = Vec::new();
        for (i, c) in channels.iter().enumerate() {
            let (node, path, times, values, width, kind) = match c {
                Channel::Rotation(node, keys) => (
                    *node,
                    "rotation",
                    keys.iter().map(|k| k.0).collect::<Vec<_>>(),
                    keys.iter().flat_map(|k| k.1.to_array()).collect::<Vec<_>>(),
                    4,
                    "VEC4",
                ),
                Channel::Translation(node, keys) => (
                    *node,
                    "translation",
                    keys.iter().map(|k| k.0).collect(),
                    keys.iter().flat_map(|k| k.1.to_array()).collect(),
                    3,
                    "VEC3",
                ),
            };
            let input = self.floats(&times, 1, "SCALAR", None, true);
            let output = self.floats(&values, width, kind, None, false);
            samplers.push(json!({ "input": input, "output": output, "interpolation": "LINEAR" }));
            chans.push(json!({ "sampler": i, "target": { "node": node, "path": path } }));
        }
        self.animations
            .push(json!({ "name": name, "samplers": samplers, "channels": chans }));
    }

    /// Adds a punctual light, returning its index (hang it on a node with
    /// [`Document::light_node`]).
    pub fn light(&mut self, light: Light) -> usize {
        let (name, colour, intensity, kind) = match &light {
            Light::Point {
                name,
                colour,
                candela,
                ..
            } => (name, colour, *candela, "point"),
            Light::Spot {
                name,
                colour,
                candela,
                ..
            } => (name, colour, *candela, "spot"),
            Light::Directional { name, colour, lux } => (name, colour, *lux, "directional"),
        };
        let mut v = json!({
            "name": name,
            "type": kind,
            "color": colour.linear(),
            "intensity": intensity,
        });
        match light {
            Light::Point { range: Some(r), .. } => v["range"] = json!(r),
            Light::Spot { inner, outer, .. } => {
                v["spot"] = json!({ "innerConeAngle": inner, "outerConeAngle": outer });
            }
            _ => {}
        }
        self.lights.push(v);
        self.lights.len() - 1
    }

    /// A node holding light `light`.
    pub fn light_node(&mut self, name: &str, light: usize, at: Vec3, rotation: Quat) -> usize {
        let mut n = Node::empty(name).at(at).turned(rotation);
        n.light = Some(light);
        self.node(n)
    }

    /// The binary glTF: one scene named `scene` whose roots are `roots`.
    pub fn finish(self, scene: &str, roots: &[usize]) -> Vec<u8> {
        let mut bin = self.bin;
        while !bin.len().is_multiple_of(4) {
            bin.push(0);
        }
        let nodes: Vec<Value> = self.nodes.iter().map(node_json).collect();
        let mut root = json!({
            "asset": { "version": "2.0", "generator": "reunion_modelkit" },
            "scene": 0,
            "scenes": [{ "name": scene, "nodes": roots }],
            "nodes": nodes,
            "buffers": [{ "byteLength": bin.len() }],
            "bufferViews": self.views,
            "accessors": self.accessors,
        });
        for (key, list) in [
            ("materials", self.materials),
            ("meshes", self.meshes),
            ("skins", self.skins),
            ("animations", self.animations),
            ("images", self.images),
            ("textures", self.textures.clone()),
        ] {
            if !list.is_empty() {
                root[key] = json!(list);
            }
        }
        if !self.textures.is_empty() {
            // LINEAR, LINEAR_MIPMAP_LINEAR, REPEAT, REPEAT.
            root["samplers"] =
                json!([{ "magFilter": 9729, "minFilter": 9987, "wrapS": 10497, "wrapT": 10497 }]);
        }
        let mut used = Vec::new();
        if !self.lights.is_empty() {
            used.push("KHR_lights_punctual");
            root["extensions"] = json!({ "KHR_lights_punctual": { "lights": self.lights } });
        }
        if self.emissive_strength {
            used.push("KHR_materials_emissive_strength");
        }
        if !used.is_empty() {
            root["extensionsUsed"] = json!(used);
        }
        let mut text = to_text(&root).into_bytes();
        while !text.len().is_multiple_of(4) {
            text.push(b' ');
        }
        let total = 12 + 8 + text.len() + 8 + bin.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(b"glTF");
        out.extend_from_slice(&2u32.to_le_bytes());
        out.extend_from_slice(&(total as u32).to_le_bytes());
        out.extend_from_slice(&(text.len() as u32).to_le_bytes());
        out.extend_from_slice(b"JSON");
        out.extend_from_slice(&text);
        out.extend_from_slice(&(bin.len() as u32).to_le_bytes());
        out.extend_from_slice(b"BIN\0");
        out.extend_from_slice(&bin);
        out
    }
}

/// A node's JSON, leaving out what is at its default.
fn node_json(n: &Node) -> Value {
    let mut v = json!({ "name": n.name });
    if n.translation != Vec3::ZERO {
        v["translation"] = json!(n.translation.to_array());
    }
    if n.rotation != Quat::IDENTITY {
        v["rotation"] = json!(n.rotation.to_array());
    }
    if n.scale.to_array() != [1.0; 3] {
        v["scale"] = json!(n.scale.to_array());
    }
    if let Some(m) = n.mesh {
        v["mesh"] = json!(m);
    }
    if let Some(s) = n.skin {
        v["skin"] = json!(s);
    }
    if let Some(l) = n.light {
        v["extensions"] = json!({ "KHR_lights_punctual": { "light": l } });
    }
    if !n.children.is_empty() {
        v["children"] = json!(n.children);
    }
    v
}

/// The smallest and largest value of each of `width` components.
fn min_max(items: &[f32], width: usize) -> (Vec<f32>, Vec<f32>) {
    let mut min = vec![f32::INFINITY; width];
    let mut max = vec![f32::NEG_INFINITY; width];
    for item in items.chunks(width) {
        for (i, &x) in item.iter().enumerate() {
            min[i] = min[i].min(x);
            max[i] = max[i].max(x);
        }
    }
    (min, max)
}

/// A GLB with its JSON chunk edited by `edit` (the header's lengths recomputed, the
/// binary chunk kept); `None` when `glb` is not a GLB with a JSON chunk.
pub fn edit_json(glb: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Option<Vec<u8>> {
    let u32_at = |at: usize| -> Option<usize> {
        Some(u32::from_le_bytes(glb.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    let json_len = u32_at(12)?;
    let mut json: serde_json::Value = serde_json::from_slice(glb.get(20..20 + json_len)?).ok()?;
    edit(&mut json);
    let rest = &glb[20 + json_len..];
    let mut text = serde_json::to_vec(&json).ok()?;
    while !text.len().is_multiple_of(4) {
        text.push(b' ');
    }
    let mut out = b"glTF".to_vec();
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&((12 + 8 + text.len() + rest.len()) as u32).to_le_bytes());
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(b"JSON");
    out.extend_from_slice(&text);
    out.extend_from_slice(rest);
    Some(out)
}
