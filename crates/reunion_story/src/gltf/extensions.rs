//! The model's glTF extensions (`extensionsUsed`, `extensionsRequired`), each judged
//! against what Bevy 0.19.1's glTF loader does with it in this workspace's build.
//!
//! # What Bevy's source says
//!
//! Read in `~/.cargo/registry/src/*/bevy_gltf-0.19.1/` and the crates it uses:
//!
//! - **Required extensions are checked by the `gltf` crate, not by Bevy.**
//!   `src/loader/mod.rs` (`GltfLoader::load_gltf`) calls `gltf::Gltf::from_slice`, which
//!   validates (`GltfLoaderSettings::validate` is `true` by default, and reunion does not
//!   change it). In `gltf-json-1.4.1/src/root.rs` (`root_validate_hook`) every entry of
//!   `extensionsRequired` that is not in `ENABLED_EXTENSIONS`
//!   (`gltf-json-1.4.1/src/extensions/mod.rs`) is an `Unsupported extension` error, so
//!   **the whole model fails to load**: no grey model, no partial scene. The list holds
//!   only the extensions whose cargo features are on; `bevy_gltf`'s `Cargo.toml` turns on
//!   `KHR_lights_punctual`, `KHR_materials_transmission`, `KHR_materials_ior`,
//!   `KHR_materials_volume`, `KHR_materials_unlit`, `KHR_materials_emissive_strength` and
//!   `KHR_texture_transform` (checked with `cargo tree -e features -i gltf-json`). The
//!   `KHR_materials_volume` feature adds nothing to that list in gltf-json 1.4.1, so a
//!   file that *requires* it fails although Bevy reads it when it is merely used; the
//!   same holds for the three Bevy reads from raw JSON (below).
//! - **Used extensions that Bevy reads** (`src/loader/mod.rs`, `load_material`, the
//!   light spawning in `load_node`): `KHR_lights_punctual` (directional, point, spot;
//!   point and spot intensity × 4π, range default 20 m), `KHR_materials_unlit`,
//!   `KHR_materials_emissive_strength`, `KHR_materials_ior`,
//!   `KHR_materials_transmission`, `KHR_materials_volume`, and, from the raw extension
//!   JSON in `src/loader/extensions/khr_materials_{clearcoat,anisotropy,specular}.rs`,
//!   the factors of `KHR_materials_clearcoat`, `KHR_materials_anisotropy` and
//!   `KHR_materials_specular`. Their *textures* need `bevy_gltf` features this build
//!   does not enable (`pbr_transmission_textures`, `pbr_multi_layer_material_textures`,
//!   `pbr_anisotropy_texture`, `pbr_specular_textures`). `KHR_texture_transform` is
//!   applied to the base colour texture only (the `lib.rs` table; other textures with a
//!   different transform get a `warn!` in `src/loader/gltf_ext/material.rs`).
//! - **Not read at all** (the table in `src/lib.rs`): `KHR_animation_pointer`,
//!   `KHR_draco_mesh_compression`, `KHR_materials_dispersion`,
//!   `KHR_materials_iridescence`, `KHR_materials_sheen`, `KHR_materials_variants`,
//!   `KHR_mesh_quantization`, `KHR_texture_basisu`, `KHR_xmp_json_ld`,
//!   `EXT_mesh_gpu_instancing`, `EXT_meshopt_compression`, `EXT_texture_webp`. Bevy
//!   loads a texture's core `source` only (`load_image`); a texture with no core
//!   `source` fails validation (`gltf-json-1.4.1/src/texture.rs`, without the
//!   `allow_empty_texture` feature). Vertex attributes go through
//!   `src/vertex_attributes.rs`, which takes POSITION and NORMAL only as floats, so
//!   quantized geometry loses them (a `warn!`, and no mesh). A primitive in
//!   TRIANGLE_FAN or LINE_LOOP mode fails the whole load
//!   (`src/loader/gltf_ext/mesh.rs`, `primitive_topology`).
//! - Anything else (VRM's `VRMC_*` and `VRM`, vendor extensions) is ignored: the
//!   `extensions` objects are only handed to registered `GltfExtensionHandler`s
//!   (`src/loader/extensions/mod.rs`), and reunion registers none.
//!
//! The hints name real options: Blender's glTF exporter (`Data → Compression`,
//! `Data → Material → Images`, `Data → Scene Graph → GPU Instances`) and gltfpack (`-c`/`-cc`
//! meshopt compression, `-noq` to write no `KHR_mesh_quantization`, `-mi` instancing,
//! `-tc`/`-tu` KTX2 textures).

use super::problem::{Problem, ProblemKind};

/// What Bevy's loader, in this build, does with an extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Read, whether used or required.
    Read,
    /// Read in part, whether used or required; the note says what is left out.
    Partly(&'static str),
    /// Read when used, but a file that *requires* it fails to load (see the module
    /// documentation); the note says what is read.
    ReadWhenOnlyUsed(&'static str),
    /// Not read, and nothing an author would miss depends on it (or reunion reads it
    /// itself); the note says what is lost.
    Harmless(&'static str),
    /// Not read, and the model is wrong without it: what is lost, and how to export the
    /// model again without it.
    Unsupported {
        lost: &'static str,
        reexport: &'static str,
    },
    /// An extension reunion does not know.
    Unknown,
}

/// One extension the model names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtensionUse {
    pub name: String,
    /// Listed in `extensionsRequired` (a loader that cannot read it must refuse the file).
    pub required: bool,
    pub support: Support,
}

/// How this build's Bevy treats the extension `name`.
pub fn support(name: &str) -> Support {
    use Support::*;
    match name {
        "KHR_lights_punctual"
        | "KHR_materials_unlit"
        | "KHR_materials_emissive_strength"
        | "KHR_materials_ior" => Read,
        "KHR_materials_transmission" => Partly(
            "the transmission factor only; its texture needs a Bevy feature this build lacks",
        ),
        "KHR_texture_transform" => Partly("on the base colour texture only"),
        "KHR_materials_volume" => ReadWhenOnlyUsed(
            "thickness and attenuation; its thickness texture needs a Bevy feature this build lacks",
        ),
        "KHR_materials_clearcoat" | "KHR_materials_anisotropy" | "KHR_materials_specular" => {
            ReadWhenOnlyUsed("its factors; its textures need a Bevy feature this build lacks")
        }
        "KHR_materials_variants" => Harmless("only the default material is shown"),
        "KHR_materials_sheen" | "KHR_materials_iridescence" | "KHR_materials_dispersion" => {
            Harmless("the material looks a little plainer")
        }
        "KHR_materials_pbrSpecularGlossiness" => {
            Harmless("the metallic-roughness values exporters write beside it are used")
        }
        "KHR_xmp_json_ld" | "KHR_xmp" => Harmless("metadata only"),
        "VRMC_vrm" | "VRM" => {
            Harmless("reunion reads the humanoid, expressions and look-at itself")
        }
        "VRMC_materials_mtoon" | "VRMC_materials_hdr_emissiveMultiplier" => Harmless(
            "shown with Bevy's standard material from the core PBR values, not toon-shaded",
        ),
        "VRMC_springBone" | "VRMC_springBone_extended_collider" => {
            Harmless("hair and clothes do not sway")
        }
        "VRMC_node_constraint" => Harmless("constrained nodes do not follow their sources"),
        "VRMC_vrm_animation" => Harmless("not an avatar extension; ignored"),
        "KHR_animation_pointer" => Unsupported {
            lost: "animations of materials, lights and cameras do not play (node movements still do)",
            reexport: "bake those animations into node or morph-target animation before export",
        },
        "KHR_draco_mesh_compression" => Unsupported {
            lost: "Draco-compressed geometry cannot be read",
            reexport: "export again without Draco: in Blender's glTF exporter untick Data → Compression",
        },
        "EXT_meshopt_compression" => Unsupported {
            lost: "meshopt-compressed geometry and animation cannot be read",
            reexport: "export again without meshopt compression: run gltfpack without -c or -cc (and with -noq), or export straight from Blender",
        },
        "KHR_mesh_quantization" => Unsupported {
            lost: "quantized (integer) positions and normals are dropped",
            reexport: "export again with float geometry: gltfpack -noq, or export straight from Blender",
        },
        "KHR_texture_basisu" => Unsupported {
            lost: "Basis Universal textures are not read (only a texture's PNG fallback source is)",
            reexport: "export PNG textures: gltfpack without -tc or -tu, or Blender's exporter with Data → Material → Images: Automatic",
        },
        "EXT_texture_webp" => Unsupported {
            lost: "WebP textures are not read (only a texture's PNG fallback source is)",
            reexport: "export PNG textures: in Blender's glTF exporter set Data → Material → Images to Automatic and untick Create WebP",
        },
        "EXT_texture_avif" | "MSFT_texture_dds" => Unsupported {
            lost: "these textures are not read (only a texture's PNG fallback source is)",
            reexport: "export the textures as PNG",
        },
        "EXT_mesh_gpu_instancing" => Unsupported {
            lost: "an instanced mesh is drawn once, at its node, instead of at each instance",
            reexport: "export again without GPU instancing: in Blender's glTF exporter untick Data → Scene Graph → GPU Instances; gltfpack without -mi",
        },
        _ => Unknown,
    }
}

/// The extensions of a model, judged, with the problems they bring: an error for each
/// required one Bevy refuses, a warning for each used one that loses something.
pub(crate) fn judge(
    used: &[String],
    required: &[String],
    problems: &mut Vec<Problem>,
) -> Vec<ExtensionUse> {
    let mut names: Vec<&String> = used.iter().collect();
    for r in required {
        if !names.contains(&r) {
            names.push(r);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let required_at = required.iter().position(|r| r == name);
            let support = support(name);
            if let Some(i) = required_at {
                judge_required(name, i, support, problems);
            } else {
                let at = format!(
                    "extensionsUsed[{}]",
                    used.iter().position(|u| u == name).unwrap_or(0)
                );
                match support {
                    Support::Unsupported { lost, reexport } => problems.push(
                        Problem::warning(
                            ProblemKind::Extension(name.clone()),
                            at,
                            format!("the model uses {name}, which Bevy's glTF loader does not read: {lost}"),
                        )
                        .with_hint(reexport),
                    ),
                    Support::Unknown => problems.push(Problem::warning(
                        ProblemKind::Extension(name.clone()),
                        at,
                        format!("the model uses {name}, which reunion does not know; Bevy ignores it"),
                    )),
                    _ => {}
                }
            }
            ExtensionUse {
                name: name.clone(),
                required: required_at.is_some(),
                support,
            }
        })
        .collect()
}

fn judge_required(name: &str, i: usize, support: Support, problems: &mut Vec<Problem>) {
    let at = format!("extensionsRequired[{i}]");
    let refused = |why: String| {
        Problem::error(
            ProblemKind::Extension(name.to_owned()),
            at.clone(),
            format!(
                "the model requires {name}, so Bevy's glTF loader refuses the whole file: {why}"
            ),
        )
    };
    let problem = match support {
        Support::Read | Support::Partly(_) => return,
        Support::ReadWhenOnlyUsed(read) => refused(format!(
            "it reads {read} when the extension is only used, but not when it is required"
        ))
        .with_hint(format!(
            "export again so that {name} is listed under extensionsUsed only, not extensionsRequired"
        )),
        Support::Unsupported { lost, reexport } => refused(lost.to_owned()).with_hint(reexport),
        Support::Harmless(_) | Support::Unknown => refused(format!("Bevy does not read {name}"))
            .with_hint(format!("export again without {name}")),
    };
    problems.push(problem);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_required_compression_is_an_error_with_a_hint() {
        let mut problems = Vec::new();
        let uses = judge(
            &names(&["EXT_meshopt_compression", "KHR_lights_punctual"]),
            &names(&["EXT_meshopt_compression"]),
            &mut problems,
        );
        assert_eq!(uses.len(), 2);
        assert!(uses[0].required && !uses[1].required);
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert!(p.is_error());
        assert_eq!(p.at, "extensionsRequired[0]");
        assert_eq!(
            p.kind,
            ProblemKind::Extension("EXT_meshopt_compression".into())
        );
        assert!(
            p.hint.as_deref().is_some_and(|h| h.contains("gltfpack")),
            "{p}"
        );
    }

    #[test]
    fn required_volume_is_refused_though_used_volume_is_read() {
        let mut problems = Vec::new();
        judge(&names(&["KHR_materials_volume"]), &[], &mut problems);
        assert!(problems.is_empty());
        judge(
            &names(&["KHR_materials_volume"]),
            &names(&["KHR_materials_volume"]),
            &mut problems,
        );
        assert_eq!(problems.len(), 1);
        assert!(problems[0].is_error());
    }

    #[test]
    fn harmless_ones_bring_no_problem_and_unknown_ones_a_warning() {
        let mut problems = Vec::new();
        let uses = judge(
            &names(&["VRMC_vrm", "VRMC_springBone", "FOO_bar"]),
            &[],
            &mut problems,
        );
        assert!(matches!(uses[0].support, Support::Harmless(_)));
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].is_error());
        assert!(problems[0].message.contains("FOO_bar"));
    }
}
