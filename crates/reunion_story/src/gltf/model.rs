//! [`read_model`]: a whole model file read into a [`GltfModel`], everything wrong with
//! it collected on the way.

use super::animation::{self, Animation};
use super::buffers::{self, ReadFile};
use super::container::{self, Container};
use super::document;
use super::extensions::{self, ExtensionUse};
use super::images::{self, Image};
use super::measure::{self, Measurements};
use super::mesh::{self, Material, Mesh, Skin, Texture};
use super::problem::{Problem, ProblemKind};
use super::scene::{self, Light, Node};
use super::uri::Uri;
use super::vrm::{self, Vrm};

/// What reunion knows of a model file.
#[derive(Clone, Debug, PartialEq)]
pub struct GltfModel {
    pub container: Container,
    /// `asset.generator`: which tool wrote the file.
    pub generator: Option<String>,
    /// Every extension the file uses or requires, judged.
    pub extensions: Vec<ExtensionUse>,
    pub nodes: Vec<Node>,
    /// The default scene (`scene`, else the first), and its root nodes.
    pub scene: Option<usize>,
    pub scene_name: Option<String>,
    pub roots: Vec<usize>,
    pub meshes: Vec<Mesh>,
    pub skins: Vec<Skin>,
    pub animations: Vec<Animation>,
    pub lights: Vec<Light>,
    /// How many cameras the file has.
    pub cameras: usize,
    pub materials: Vec<Material>,
    pub textures: Vec<Texture>,
    pub images: Vec<Image>,
    /// The VRM humanoid, when the file is a VRM (0.x or 1.0).
    pub vrm: Option<Vrm>,
    pub measurements: Measurements,
    /// URIs of the external files the model names (buffers and images, not `data:`),
    /// as written, relative to the model file.
    pub external_uris: Vec<String>,
    /// Everything wrong with the file, errors and warnings, in the order found.
    pub problems: Vec<Problem>,
}

/// Reads a model from the bytes of its `.glb`, `.vrm` or `.gltf` file. `read_file`
/// reads the files it names (buffers, images) by their paths relative to the model's
/// folder, percent-decoded; give `&|_| None` to read none (each one named is then
/// reported missing).
///
/// `Err` only when the bytes are not a glTF 2.0 model at all (not glTF, another
/// version, JSON that does not parse or does not follow glTF, a GLB cut short);
/// everything else is in [`GltfModel::problems`].
pub fn read_model(bytes: &[u8], read_file: ReadFile<'_>) -> Result<GltfModel, Problem> {
    let split = container::split(bytes)?;
    container::check_version(split.json)?;
    let doc = document::parse(split.json).map_err(|e| {
        Problem::error(
            ProblemKind::NotGltf,
            "the file",
            format!("the model's glTF JSON does not follow glTF 2.0: {e}"),
        )
        .with_hint("export the model again; a hand-edited .gltf may have a value of the wrong kind")
    })?;
    let mut problems = Vec::new();
    let extensions = extensions::judge(
        &doc.extensions_used,
        &doc.extensions_required,
        &mut problems,
    );
    let data = buffers::load(&doc, split.bin, read_file, &mut problems);
    let graph = scene::read(&doc, &mut problems);
    let meshes = mesh::read_meshes(&doc, &data, &mut problems);
    let skins = mesh::read_skins(&doc, &data, &mut problems);
    let materials = mesh::read_materials(&doc, &mut problems);
    let textures = mesh::read_textures(&doc, &mut problems);
    let mut used = vec![false; doc.images.len()];
    for source in textures.iter().filter_map(|t| t.source) {
        used[source] = true;
    }
    let images = images::read_images(&doc, &data, read_file, &used, &mut problems);
    let animations = animation::read_animations(&doc, &data, &mut problems);
    let vrm = vrm::read(&doc.extensions, &graph.nodes, &meshes, &mut problems);
    let measurements = measure::measure(&graph.nodes, &graph.roots, &meshes, &images);
    let external_uris = doc
        .buffers
        .iter()
        .filter_map(|b| b.uri.as_deref())
        .chain(doc.images.iter().filter_map(|i| i.uri.as_deref()))
        .filter(|uri| !matches!(Uri::parse(uri), Uri::Data { .. }))
        .map(str::to_owned)
        .collect();
    Ok(GltfModel {
        container: split.container,
        generator: doc.asset.generator.clone(),
        extensions,
        nodes: graph.nodes,
        scene: graph.scene,
        scene_name: graph.scene_name,
        roots: graph.roots,
        meshes,
        skins,
        animations,
        lights: graph.lights,
        cameras: graph.cameras,
        materials,
        textures,
        images,
        vrm,
        measurements,
        external_uris,
        problems,
    })
}

impl GltfModel {
    /// Whether any problem is an error (the model would not load, or load wrong).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// The first node with this name.
    pub fn node_by_name(&self, name: &str) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| n.name.as_deref() == Some(name))
    }

    /// The name of a node, if it has one.
    pub fn node_name(&self, node: usize) -> Option<&str> {
        self.nodes.get(node)?.name.as_deref()
    }

    /// Whether the node is a joint of any skin.
    pub fn is_joint(&self, node: usize) -> bool {
        self.skins.iter().any(|s| s.joints.contains(&node))
    }

    /// The first joint of any skin with this name. Exporters give a bone and the mesh
    /// node it carries the same name (RobotExpressive's `Torso`), so a skeleton is
    /// looked up here rather than by [`GltfModel::node_by_name`].
    pub fn joint_by_name(&self, name: &str) -> Option<usize> {
        (0..self.nodes.len()).find(|&i| self.node_name(i) == Some(name) && self.is_joint(i))
    }

    /// Whether the node is one of the VRM humanoid's bones.
    pub fn is_human_bone(&self, node: usize) -> bool {
        self.vrm
            .as_ref()
            .is_some_and(|v| v.human_bones.values().any(|&n| n == node))
    }

    /// Named empties of the default scene, in file order: nodes that carry no mesh,
    /// camera or light and are not a skeleton's bones (a skin's joints, a VRM's human
    /// bones): the places an author marks, such as sockets (`socket_1`).
    pub fn empties(&self) -> Vec<(usize, &str)> {
        let in_scene = scene::descendants(&self.nodes, &self.roots);
        let mut out: Vec<(usize, &str)> = in_scene
            .into_iter()
            .filter(|&i| self.nodes[i].is_empty() && !self.is_joint(i) && !self.is_human_bone(i))
            .filter_map(|i| Some((i, self.nodes[i].name.as_deref()?)))
            .collect();
        out.sort_by_key(|(i, _)| *i);
        out
    }

    /// The first node of the default scene (else of the file) that draws a mesh with
    /// this skin.
    pub fn skinned_node(&self, skin: usize) -> Option<usize> {
        let in_scene = scene::descendants(&self.nodes, &self.roots);
        in_scene
            .into_iter()
            .chain(0..self.nodes.len())
            .find(|&i| self.nodes[i].skin == Some(skin) && self.nodes[i].mesh.is_some())
    }

    /// A joint's transform in the bind pose, in the scene's space: the skinned mesh
    /// node's world matrix times the inverse of the joint's inverse bind matrix (the
    /// convention Blender and FBX2glTF write and three.js reads; see
    /// [`Measurements`]). `joint` indexes [`Skin::joints`]. Without a skinned node, the
    /// inverse alone.
    pub fn joint_bind_pose(&self, skin: usize, joint: usize) -> Option<glam::Mat4> {
        let bind = self.skins.get(skin)?.bind_pose(joint)?;
        Some(match self.skinned_node(skin) {
            Some(node) => self.nodes[node].world * bind,
            None => bind,
        })
    }

    /// The animation with this name.
    pub fn animation(&self, name: &str) -> Option<&Animation> {
        self.animations
            .iter()
            .find(|a| a.name.as_deref() == Some(name))
    }

    /// The names of the animations, in file order (unnamed ones left out).
    pub fn animation_names(&self) -> Vec<&str> {
        self.animations
            .iter()
            .filter_map(|a| a.name.as_deref())
            .collect()
    }

    /// Every morph target name of every mesh, each once, in file order.
    pub fn morph_target_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for name in self.meshes.iter().flat_map(|m| &m.morph_targets) {
            if !out.contains(&name.as_str()) {
                out.push(name);
            }
        }
        out
    }
}
