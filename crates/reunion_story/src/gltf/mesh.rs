//! What is drawn: meshes and their primitives (mode, counts, bounds, material, morph
//! targets), skins (joints, skeleton, inverse bind matrices), materials with the
//! textures they use, and textures with their images.
//!
//! Morph target names come from `meshes[].extras.targetNames` (the convention of
//! Blender and most exporters), failing that from the first primitive's
//! `extras.targetNames`.

use glam::{Mat4, Vec3};
use serde_json::Value;

use super::buffers::{self, BinaryData, FLOAT};
use super::document::Root;
use super::problem::{Problem, ProblemKind, check_index};

/// How a primitive's vertices make shapes (`mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrimitiveMode {
    Points,
    Lines,
    LineLoop,
    LineStrip,
    Triangles,
    TriangleStrip,
    TriangleFan,
}

impl PrimitiveMode {
    fn from_gltf(mode: u32) -> Option<Self> {
        Some(match mode {
            0 => PrimitiveMode::Points,
            1 => PrimitiveMode::Lines,
            2 => PrimitiveMode::LineLoop,
            3 => PrimitiveMode::LineStrip,
            4 => PrimitiveMode::Triangles,
            5 => PrimitiveMode::TriangleStrip,
            6 => PrimitiveMode::TriangleFan,
            _ => return None,
        })
    }

    /// Triangles made of `n` vertices (or indices).
    pub fn triangles(self, n: u64) -> u64 {
        match self {
            PrimitiveMode::Triangles => n / 3,
            PrimitiveMode::TriangleStrip | PrimitiveMode::TriangleFan => n.saturating_sub(2),
            _ => 0,
        }
    }
}

/// One primitive of a mesh: one draw call per instance.
#[derive(Clone, Debug, PartialEq)]
pub struct Primitive {
    pub mode: PrimitiveMode,
    /// The POSITION accessor's count (0 without one).
    pub vertices: u64,
    /// The index accessor's count, for an indexed primitive.
    pub indices: Option<u64>,
    pub material: Option<usize>,
    /// POSITION's box in the mesh's space, from the accessor's `min`/`max` (or, when the
    /// exporter left them out, from the data).
    pub bounds: Option<(Vec3, Vec3)>,
    /// Attribute names (`POSITION`, `NORMAL`, `TEXCOORD_0`, `JOINTS_0`, ...).
    pub attributes: Vec<String>,
    pub morph_targets: usize,
}

impl Primitive {
    pub fn triangles(&self) -> u64 {
        self.mode.triangles(self.indices.unwrap_or(self.vertices))
    }

    pub fn is_skinned(&self) -> bool {
        self.attributes.iter().any(|a| a == "JOINTS_0")
    }
}

/// One mesh.
#[derive(Clone, Debug, PartialEq)]
pub struct Mesh {
    pub name: Option<String>,
    pub primitives: Vec<Primitive>,
    /// Morph target names, in target order; empty when the file names none.
    pub morph_targets: Vec<String>,
}

/// One skin.
#[derive(Clone, Debug, PartialEq)]
pub struct Skin {
    pub name: Option<String>,
    pub joints: Vec<usize>,
    pub skeleton: Option<usize>,
    /// One per joint (the identity where the file gives none or they cannot be read).
    pub inverse_bind_matrices: Vec<Mat4>,
}

impl Skin {
    /// The joint's transform in the bind pose, in the space of the skinned mesh's
    /// vertices: the inverse of its inverse bind matrix (the `joint`-th of
    /// [`Skin::joints`]). [`super::GltfModel::joint_bind_pose`] places it in the scene.
    pub fn bind_pose(&self, joint: usize) -> Option<Mat4> {
        Some(self.inverse_bind_matrices.get(joint)?.inverse())
    }
}

/// A texture a material uses, and in which slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextureRef {
    /// The property that names it: `baseColorTexture`, `normalTexture`,
    /// `KHR_materials_clearcoat.clearcoatTexture`, `VRMC_materials_mtoon.shadeMultiplyTexture`...
    pub slot: String,
    pub texture: usize,
}

/// One material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Material {
    pub name: Option<String>,
    pub textures: Vec<TextureRef>,
}

/// One texture: the image Bevy loads for it (its core `source`), and the images its
/// extensions name (KHR_texture_basisu, EXT_texture_webp), which Bevy does not load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Texture {
    pub name: Option<String>,
    pub source: Option<usize>,
    pub extension_sources: Vec<(String, usize)>,
}

fn names_in(v: Option<&Value>) -> Vec<String> {
    v.and_then(|e| e.get("targetNames"))
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn vec3(v: &[f32]) -> Option<Vec3> {
    (v.len() >= 3).then(|| Vec3::new(v[0], v[1], v[2]))
}

/// A POSITION accessor's box: its `min`/`max`, else read from the data.
fn position_bounds(doc: &Root, data: &BinaryData<'_>, accessor: usize) -> Option<(Vec3, Vec3)> {
    let a = doc.accessors.get(accessor)?;
    if let Some((min, max)) = buffers::declared_bounds(a) {
        return Some((vec3(&min)?, vec3(&max)?));
    }
    let floats = data.read_floats(doc, accessor)?;
    let mut it = floats.chunks_exact(3).map(|p| Vec3::new(p[0], p[1], p[2]));
    let first = it.next()?;
    Some(it.fold((first, first), |(lo, hi), p| (lo.min(p), hi.max(p))))
}

pub(crate) fn read_meshes(
    doc: &Root,
    data: &BinaryData<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Mesh> {
    doc.meshes
        .iter()
        .enumerate()
        .map(|(m, mesh)| {
            let primitives = mesh
                .primitives
                .iter()
                .enumerate()
                .map(|(p, prim)| read_primitive(doc, data, m, p, prim, problems))
                .collect();
            let mut morph_targets = names_in(mesh.extras.as_ref());
            if morph_targets.is_empty() {
                morph_targets = mesh
                    .primitives
                    .iter()
                    .map(|p| names_in(p.extras.as_ref()))
                    .find(|n| !n.is_empty())
                    .unwrap_or_default();
            }
            Mesh {
                name: mesh.name.clone(),
                primitives,
                morph_targets,
            }
        })
        .collect()
}

fn read_primitive(
    doc: &Root,
    data: &BinaryData<'_>,
    m: usize,
    p: usize,
    prim: &super::document::Primitive,
    problems: &mut Vec<Problem>,
) -> Primitive {
    let at = |field: &str| format!("meshes[{m}].primitives[{p}]{field}");
    let mode_number = prim.mode.unwrap_or(4);
    let mode = PrimitiveMode::from_gltf(mode_number).unwrap_or_else(|| {
        problems.push(Problem::error(
            ProblemKind::Damaged,
            at(".mode"),
            format!("primitive mode {mode_number} is not a glTF mode (0 to 6)"),
        ));
        PrimitiveMode::Triangles
    });
    if matches!(mode, PrimitiveMode::TriangleFan | PrimitiveMode::LineLoop) {
        problems.push(
            Problem::error(
                ProblemKind::Unsupported,
                at(".mode"),
                format!("mesh {m} draws a {mode:?}, which Bevy's glTF loader refuses (the whole model fails to load)"),
            )
            .with_hint("export again with triangulated meshes (Blender: the exporter triangulates; apply a Triangulate modifier if it did not)"),
        );
    }
    let accessor = |index: usize, field: &str, problems: &mut Vec<Problem>| {
        check_index(
            problems,
            || at(field),
            index,
            doc.accessors.len(),
            "accessors",
        )
        .then(|| &doc.accessors[index])
    };
    let mut vertices = 0;
    let mut bounds = None;
    for (name, &index) in &prim.attributes {
        let Some(a) = accessor(index, &format!(".attributes.{name}"), problems) else {
            continue;
        };
        if name == "POSITION" {
            vertices = a.count;
            bounds = position_bounds(doc, data, index);
        }
        if matches!(name.as_str(), "POSITION" | "NORMAL") && a.component_type != FLOAT {
            problems.push(
                Problem::error(
                    ProblemKind::Unsupported,
                    at(&format!(".attributes.{name}")),
                    format!("mesh {m}'s {name} is quantized (integers, KHR_mesh_quantization); Bevy's glTF loader reads it only as floats and drops it"),
                )
                .with_hint("export again with float geometry: gltfpack -noq, or export straight from Blender"),
            );
        }
        if name == "POSITION"
            && a.buffer_view.is_none()
            && a.sparse.is_none()
            && prim.extensions.contains_key("KHR_draco_mesh_compression")
        {
            problems.push(
                Problem::error(
                    ProblemKind::Extension("KHR_draco_mesh_compression".into()),
                    at(""),
                    format!("mesh {m}'s geometry is only in its Draco-compressed data, which Bevy cannot read"),
                )
                .with_hint("export again without Draco: in Blender's glTF exporter untick Data → Compression"),
            );
        }
    }
    if !prim.attributes.contains_key("POSITION") {
        problems.push(Problem::warning(
            ProblemKind::Damaged,
            at(".attributes"),
            format!("mesh {m}'s primitive {p} has no POSITION, so nothing of it is drawn"),
        ));
    }
    let indices = prim
        .indices
        .and_then(|i| accessor(i, ".indices", problems))
        .map(|a| a.count);
    let material = prim.material.filter(|&i| {
        check_index(
            problems,
            || at(".material"),
            i,
            doc.materials.len(),
            "materials",
        )
    });
    for (t, target) in prim.targets.iter().enumerate() {
        for (name, &index) in target {
            accessor(index, &format!(".targets[{t}].{name}"), problems);
        }
    }
    Primitive {
        mode,
        vertices,
        indices,
        material,
        bounds,
        attributes: prim.attributes.keys().cloned().collect(),
        morph_targets: prim.targets.len(),
    }
}

pub(crate) fn read_skins(
    doc: &Root,
    data: &BinaryData<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Skin> {
    doc.skins
        .iter()
        .enumerate()
        .map(|(s, skin)| {
            let joints: Vec<usize> = skin
                .joints
                .iter()
                .enumerate()
                .filter(|&(k, &j)| {
                    check_index(problems, || format!("skins[{s}].joints[{k}]"), j, doc.nodes.len(), "nodes")
                })
                .map(|(_, &j)| j)
                .collect();
            let skeleton = skin.skeleton.filter(|&n| {
                check_index(problems, || format!("skins[{s}].skeleton"), n, doc.nodes.len(), "nodes")
            });
            let mut inverse_bind_matrices = vec![Mat4::IDENTITY; joints.len()];
            if let Some(a) = skin.inverse_bind_matrices {
                let at = || format!("skins[{s}].inverseBindMatrices");
                if check_index(problems, at, a, doc.accessors.len(), "accessors") {
                    let acc = &doc.accessors[a];
                    if acc.kind != "MAT4" || acc.count < skin.joints.len() as u64 {
                        problems.push(Problem::error(
                            ProblemKind::Damaged,
                            at(),
                            format!(
                                "skin {s}'s inverse bind matrices are {} × {}, but it has {} joints",
                                acc.count,
                                acc.kind,
                                skin.joints.len()
                            ),
                        ));
                    } else if let Some(floats) = data.read_floats(doc, a) {
                        for (m, cols) in inverse_bind_matrices.iter_mut().zip(floats.chunks_exact(16)) {
                            *m = Mat4::from_cols_slice(cols);
                        }
                    }
                }
            }
            Skin {
                name: skin.name.clone(),
                joints,
                skeleton,
                inverse_bind_matrices,
            }
        })
        .collect()
}

/// Every `{ "index": n, ... }` under a property whose name ends in `Texture`, anywhere
/// in a material (its extensions included), with the path of properties to it.
fn texture_refs(value: &Value, path: &str, out: &mut Vec<TextureRef>) {
    let Some(object) = value.as_object() else {
        return;
    };
    for (key, v) in object {
        let here = if path.is_empty() || path == "pbrMetallicRoughness" {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if key.ends_with("Texture")
            && let Some(index) = v.get("index").and_then(Value::as_u64)
        {
            out.push(TextureRef {
                slot: here,
                texture: index as usize,
            });
        } else if key == "extensions" {
            texture_refs(v, "", out);
        } else if v.is_object() && key != "extras" {
            texture_refs(v, &here, out);
        }
    }
}

pub(crate) fn read_materials(doc: &Root, problems: &mut Vec<Problem>) -> Vec<Material> {
    doc.materials
        .iter()
        .enumerate()
        .map(|(m, material)| {
            let mut textures = Vec::new();
            texture_refs(material, "", &mut textures);
            textures.retain(|t| {
                check_index(
                    problems,
                    || format!("materials[{m}].{}", t.slot),
                    t.texture,
                    doc.textures.len(),
                    "textures",
                )
            });
            Material {
                name: material
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                textures,
            }
        })
        .collect()
}

pub(crate) fn read_textures(doc: &Root, problems: &mut Vec<Problem>) -> Vec<Texture> {
    doc.textures
        .iter()
        .enumerate()
        .map(|(t, texture)| {
            let images = doc.images.len();
            let source = texture.source.filter(|&i| {
                check_index(problems, || format!("textures[{t}].source"), i, images, "images")
            });
            let extension_sources: Vec<(String, usize)> = texture
                .extensions
                .iter()
                .filter_map(|(name, e)| {
                    let i = e.get("source").and_then(Value::as_u64)? as usize;
                    check_index(problems, || format!("textures[{t}].extensions.{name}.source"), i, images, "images")
                        .then(|| (name.clone(), i))
                })
                .collect();
            if texture.source.is_none() {
                let (kind, what) = match extension_sources.first() {
                    Some((name, _)) => (
                        ProblemKind::Extension(name.clone()),
                        format!("texture {t} has its image only through {name}, and no PNG fallback `source`; Bevy's glTF loader refuses the whole model"),
                    ),
                    None => (ProblemKind::Damaged, format!("texture {t} has no `source` image; Bevy's glTF loader refuses the whole model")),
                };
                problems.push(
                    Problem::error(kind, format!("textures[{t}]"), what)
                        .with_hint("export again with PNG textures (gltfpack without -tc/-tu; Blender's exporter with Data → Material → Images: Automatic and no WebP)"),
                );
            }
            Texture {
                name: texture.name.clone(),
                source,
                extension_sources,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangles_per_mode() {
        assert_eq!(PrimitiveMode::Triangles.triangles(36), 12);
        assert_eq!(PrimitiveMode::TriangleStrip.triangles(6), 4);
        assert_eq!(PrimitiveMode::TriangleFan.triangles(5), 3);
        assert_eq!(PrimitiveMode::TriangleFan.triangles(1), 0);
        assert_eq!(PrimitiveMode::Lines.triangles(100), 0);
    }

    #[test]
    fn textures_are_found_in_any_slot_and_extension() {
        let material: Value = serde_json::from_str(
            r#"{ "name": "skin",
                 "pbrMetallicRoughness": { "baseColorTexture": { "index": 0 } },
                 "normalTexture": { "index": 1, "scale": 1 },
                 "extensions": { "VRMC_materials_mtoon": { "shadeMultiplyTexture": { "index": 2 } } },
                 "extras": { "bakedTexture": { "index": 9 } } }"#,
        )
        .expect("json");
        let mut refs = Vec::new();
        texture_refs(&material, "", &mut refs);
        let mut slots: Vec<(String, usize)> =
            refs.into_iter().map(|r| (r.slot, r.texture)).collect();
        slots.sort();
        assert_eq!(
            slots,
            [
                ("VRMC_materials_mtoon.shadeMultiplyTexture".to_owned(), 2),
                ("baseColorTexture".to_owned(), 0),
                ("normalTexture".to_owned(), 1),
            ]
        );
    }
}
