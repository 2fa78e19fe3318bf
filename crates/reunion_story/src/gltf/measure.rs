//! What a model costs and how big it is, for the checker's budgets and scale sanity.
//!
//! Everything counts what the default scene shows: every node reachable from its
//! roots that has a mesh is one instance of that mesh.
//!
//! - **Bounds** are in the scene's space: each primitive's POSITION box (its
//!   accessor's `min`/`max`) carried by its node's world matrix (all 8 corners), joined.
//!   A skinned primitive is measured the same way, which places it in its **bind
//!   pose**: glTF (and Bevy) ignore a skinned mesh node's transform and place each
//!   vertex by its joints' world matrices times their inverse bind matrices, and the
//!   bind pose is where that product is the same for every joint; exporters (Blender,
//!   FBX2glTF; three.js reads them so) make it the skinned node's world matrix. The
//!   bind pose can differ from the rest pose of the node tree, which is what Bevy shows
//!   with no animation: RobotExpressive is bound in T-pose and rests with its arms down,
//!   so its bind-pose box is wider than what is seen, and as tall. Animation and morph
//!   targets are ignored.
//! - **Triangles** per primitive by its mode: TRIANGLES count/3, STRIP and FAN
//!   count − 2, of its indices when indexed, else of its vertices; points and lines
//!   none. Times instances.
//! - **Draw calls**: primitives × instances (Bevy draws one mesh per primitive).
//! - **Vertices**: POSITION counts × instances.
//! - **Texture memory**: each image a texture uses, once, by [`super::ImageSize::gpu_bytes`].

use glam::Vec3;

use super::images::Image;
use super::mesh::Mesh;
use super::scene::{Node, descendants};

/// A model's size and cost.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measurements {
    /// The box around everything drawn, in the scene's space; `None` when nothing is.
    pub bounds: Option<(Vec3, Vec3)>,
    pub triangles: u64,
    pub draw_calls: u64,
    pub vertices: u64,
    /// Nodes of the default scene that draw a mesh.
    pub mesh_instances: u64,
    /// Bytes of GPU memory for the textures (see [`super::ImageSize::gpu_bytes`]).
    pub texture_bytes: u64,
    /// Images a texture uses whose size could not be read (missing, unknown format):
    /// not in `texture_bytes`.
    pub unmeasured_images: usize,
}

impl Measurements {
    /// The size of the bounds (zero when nothing is drawn).
    pub fn size(&self) -> Vec3 {
        self.bounds.map_or(Vec3::ZERO, |(lo, hi)| hi - lo)
    }
}

fn join(a: Option<(Vec3, Vec3)>, b: (Vec3, Vec3)) -> Option<(Vec3, Vec3)> {
    Some(match a {
        Some((lo, hi)) => (lo.min(b.0), hi.max(b.1)),
        None => b,
    })
}

pub(crate) fn measure(
    nodes: &[Node],
    roots: &[usize],
    meshes: &[Mesh],
    images: &[Image],
) -> Measurements {
    let mut m = Measurements::default();
    for i in descendants(nodes, roots) {
        let node = &nodes[i];
        let Some(mesh) = node.mesh.and_then(|k| meshes.get(k)) else {
            continue;
        };
        m.mesh_instances = m.mesh_instances.saturating_add(1);
        for p in &mesh.primitives {
            m.draw_calls = m.draw_calls.saturating_add(1);
            m.triangles = m.triangles.saturating_add(p.triangles());
            m.vertices = m.vertices.saturating_add(p.vertices);
            let Some((lo, hi)) = p.bounds.filter(|(lo, hi)| lo.is_finite() && hi.is_finite())
            else {
                continue;
            };
            let mut corners = (0..8).map(|c| {
                let pick = |bit: u32, a: f32, b: f32| if c & bit == 0 { a } else { b };
                node.world.transform_point3(Vec3::new(
                    pick(1, lo.x, hi.x),
                    pick(2, lo.y, hi.y),
                    pick(4, lo.z, hi.z),
                ))
            });
            let first = corners.next().unwrap_or(Vec3::ZERO);
            let b = corners.fold((first, first), |(a, b), p| (a.min(p), b.max(p)));
            m.bounds = join(m.bounds, b);
        }
    }
    for image in images.iter().filter(|i| i.used) {
        match image.size {
            Some(size) => m.texture_bytes = m.texture_bytes.saturating_add(size.gpu_bytes),
            None => m.unmeasured_images += 1,
        }
    }
    m
}
