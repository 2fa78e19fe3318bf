//! Checking a cast member's model: a rigged humanoid (`.glb`, `.gltf` or `.vrm`) the
//! animator can drive. Every problem is reported at once, each at the field at fault:
//!
//! - `file:` — the path (inside the story folder, a glTF or VRM file), the file itself
//!   read whole by [`read_model`] (not glTF 2.0, cut short, a missing buffer or texture,
//!   an extension Bevy cannot read), the files it names, and the skeleton: a model
//!   that is not a humanoid, each required bone missing (with the humanoid map's
//!   message, hint and the file's bones), a skeleton with no skin;
//! - `bones:`, `morphs:`, `clips:` — each rename that cannot be followed, at the rename;
//! - `height:` — a height that is not a sensible number of metres;
//! - `model:` — what the face cannot do that an author should hear (no mouth shape, no
//!   blink: warnings), and a humanoid whose own size is not a person's without
//!   `height:` (a warning that suggests one).
//!
//! No clip is needed: the animator makes every motion the file has no clip for. What
//! the model will move and what it won't is said in notes at `model:` (the skeleton,
//! size, facing and clips; the face). The rest skeleton is measured in `model_rig.rs`.

use std::io;
use std::path::{Path, PathBuf};

use super::Compiler;
use super::files::{check_relative_path, read_failure, resolve_beside};
use super::model_rig;
use crate::diagnostic::{Severity, did_you_mean};
use crate::format::{ModelDef, OrderedMap};
use crate::gltf::{GltfModel, ProblemKind, Support, percent_decode, read_model};
use crate::humanoid::map_humanoid;
use crate::spans::{Seg, field, key, key_name};
use crate::story::*;

/// How tall a person may stand in a model's own units before the checker asks for
/// `height:` (metres).
pub const PLAUSIBLE_HEIGHT: std::ops::RangeInclusive<f32> = 0.5..=2.5;

/// The path of a file a model names (`uri_path`, percent-decoded), relative to the
/// story folder; `None` when it would leave the folder (an absolute path, or `..` past
/// its root).
pub(super) fn resolve_in_story(model: &Path, uri_path: &str) -> Option<PathBuf> {
    resolve_beside(model.parent().unwrap_or(Path::new("")), uri_path)
}

/// "did you mean `claps`?" when the file has a name close to `name`; when `rename` is
/// `Some((section, ours))`, with the rename that would use it.
pub(super) fn near_miss(
    name: &str,
    in_file: &[String],
    rename: Option<(&str, &str)>,
) -> Option<String> {
    let hint = did_you_mean(name, in_file.iter().map(String::as_str))?;
    let found = in_file
        .iter()
        .find(|c| hint == format!("did you mean `{c}`?"));
    Some(match (rename, found) {
        (Some((section, ours)), Some(c)) => {
            format!("{hint} To use it, write {section}: {{ \"{ours}\": \"{c}\" }}")
        }
        _ => hint,
    })
}

/// ` (node `a`)`, ` (node `a` and 2 more)`, or nothing.
pub(super) fn used_at(nodes: &[String]) -> String {
    match nodes {
        [] => String::new(),
        [one] => format!(" (node `{one}`)"),
        [first, rest @ ..] => format!(" (node `{first}` and {} more)", rest.len()),
    }
}

/// At most this many names in a list inside a message.
pub(super) const MAX_LISTED: usize = 12;

/// `a, b, c … and 4 more`: at most `max` of `names`.
pub(super) fn listed(names: &[String], max: usize) -> String {
    let mut s = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        s.push_str(&format!(" … and {} more", names.len() - max));
    }
    s
}

/// The renames of one section (`bones`, `morphs`) as the maps take them, each key once:
/// a key written twice is an error at its second writing.
fn once_each(
    c: &mut Compiler<'_>,
    at: &[Seg],
    section: &str,
    renames: &OrderedMap<String>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (written, in_file) in renames.iter() {
        if out.iter().any(|(k, _)| k == written) {
            c.error(
                &[at, &[field(section), key_name(written)]].concat(),
                format!("`{written}` is renamed more than once under `{section}`"),
            );
            continue;
        }
        out.push((written.to_owned(), in_file.to_owned()));
    }
    out
}

/// The file's VRM expressions that move morph targets, each bind's node found by its
/// path of names (a bind on a node outside the scene, or naming no node, is dropped).
fn expression_binds(gltf: &GltfModel) -> Vec<ExpressionBinds> {
    let Some(vrm) = &gltf.vrm else {
        return Vec::new();
    };
    vrm.expressions
        .iter()
        .map(|e| ExpressionBinds {
            name: e.name.clone(),
            binds: e
                .morph_target_binds
                .iter()
                .filter_map(|b| {
                    Some(MorphBind {
                        path: model_rig::node_path(gltf, b.node?)?,
                        index: b.index,
                        weight: b.weight,
                    })
                })
                .collect(),
        })
        .filter(|e| !e.binds.is_empty())
        .collect()
}

impl Compiler<'_> {
    /// Checks a cast member's model and measures it for the animator.
    pub(super) fn compile_model(&mut self, actor: &str, def: &ModelDef) -> Option<Model> {
        let errors_before = self.diags.errors().count();
        let mpath = [field("cast"), key(actor), field("model")];
        let sub = |rest: &[Seg]| [&mpath[..], rest].concat();
        let file = &def.file;
        let rel = match check_relative_path(file) {
            Ok(p) => p,
            Err(e) => {
                self.error(&sub(&[field("file")]), e);
                return None;
            }
        };
        let ext = rel
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("glb" | "gltf" | "vrm")) {
            self.error(
                &sub(&[field("file")]),
                format!(
                    "`{file}` is not a glTF model: a model is a `.glb`, `.gltf` or `.vrm` file"
                ),
            );
            return None;
        }

        let clip_renames = self.clip_renames(&mpath, def);
        let bone_renames = once_each(self, &mpath, "bones", &def.bones);
        let morph_renames = once_each(self, &mpath, "morphs", &def.morphs);
        let height = self.model_height(&mpath, def.height);

        let gltf = self.read_model_file(actor, &mpath, &rel)?;
        let who = format!("`{actor}`'s model `{file}`");
        self.note_extensions(actor, &mpath, &gltf);

        // The skeleton.
        let skeleton = model_rig::skeleton_nodes(&gltf);
        let map = map_humanoid(&skeleton.joints, &skeleton.vrm, &bone_renames);
        self.report_bone_renames(&mpath, &gltf, &map, &bone_renames);
        let humanoid = self.report_skeleton(&who, &mpath, &gltf, &map);

        // The face.
        let face = self.model_face(actor, &who, &mpath, &gltf, &map, &morph_renames);

        // The clips.
        let clips = self.model_clips(&mpath, &gltf, &clip_renames);

        // The size, the facing, the body plan.
        let measured = if humanoid {
            match model_rig::measure(&gltf, &map, &skeleton) {
                Ok(m) => Some(m),
                Err(e) => {
                    self.report_unmeasured(&who, &mpath, e);
                    None
                }
            }
        } else {
            None
        };
        if let Some(m) = &measured {
            self.check_measured(&who, &mpath, m, def.height.is_some());
            let scale = height.map_or(1.0, |h| h / m.own_height);
            self.note_body(actor, &mpath, &map, m, scale, &clips, &gltf);
        }

        if self.diags.errors().count() > errors_before {
            return None;
        }
        let m = measured?;
        let scale = height.map_or(1.0, |h| h / m.own_height);
        let expressions = expression_binds(&gltf);
        Some(Model {
            file: rel,
            clips,
            face,
            joints: m.joints,
            convention: map.convention,
            facing: m.facing,
            own_height: m.own_height,
            scale,
            origin: m.origin,
            body: m.body.scaled(scale),
            expressions,
        })
    }

    /// A note at `model:`: one line, no snippet.
    pub(super) fn note(&mut self, path: &[Seg], message: impl Into<String>) {
        let d = self.src.diag(Severity::Note, path, message);
        self.diags.push(d);
    }

    /// A note of the extensions Bevy does not read in full, and what is lost (MToon
    /// materials drawn with the standard material, springs that do not sway); the
    /// ones that break the model are problems of the file, reported at `file:`.
    fn note_extensions(&mut self, actor: &str, mpath: &[Seg], gltf: &GltfModel) {
        let told: Vec<String> = gltf
            .extensions
            .iter()
            .filter_map(|e| match e.support {
                Support::Harmless(what) | Support::Partly(what) => {
                    Some(format!("{}: {what}", e.name))
                }
                Support::ReadWhenOnlyUsed(what) if !e.required => {
                    Some(format!("{}: {what}", e.name))
                }
                _ => None,
            })
            .collect();
        if !told.is_empty() {
            self.note(
                mpath,
                format!("`{actor}`'s model's extensions: {}", told.join("; ")),
            );
        }
    }

    /// `height:` checked: a positive number of metres; an unusual one is a warning.
    fn model_height(&mut self, mpath: &[Seg], height: Option<f32>) -> Option<f32> {
        let h = height?;
        let at = [mpath, &[field("height")]].concat();
        if !(h.is_finite() && h > 0.0) {
            self.error(&at, "`height` must be a positive number of metres")
                .hint = Some("write how tall she stands, such as `height: 1.2`".into());
            return None;
        }
        if !PLAUSIBLE_HEIGHT.contains(&h) {
            self.warn(
                &at,
                format!(
                    "`height: {h}` is not a person's height in metres ({} to {} m)",
                    PLAUSIBLE_HEIGHT.start(),
                    PLAUSIBLE_HEIGHT.end()
                ),
            );
        }
        Some(h)
    }

    /// Reads the model file whole, reporting at `file:` what keeps it from loading or
    /// loading right. `None` when it is not a glTF 2.0 model at all.
    fn read_model_file(&mut self, actor: &str, mpath: &[Seg], rel: &Path) -> Option<GltfModel> {
        let at = [mpath, &[field("file")]].concat();
        let file = rel.display().to_string();
        let full = self.story_dir.join(rel);
        let bytes = match self.files.read_bytes(&full) {
            Ok(b) => b,
            Err(e) => {
                let msg = if e.kind() == io::ErrorKind::NotFound {
                    format!("`{actor}`'s model `{file}` does not exist")
                } else {
                    let why = read_failure(&e, || format!("`{file}` cannot be read: {e}"));
                    format!("`{actor}`'s model: {why}")
                };
                self.error(&at, msg);
                return None;
            }
        };
        let gltf = {
            let (files, story_dir) = (self.files, &self.story_dir);
            let read = |uri_path: &str| {
                let inside = resolve_in_story(rel, uri_path)?;
                files.read_bytes(&story_dir.join(inside)).ok()
            };
            read_model(&bytes, &read)
        };
        let gltf = match gltf {
            Ok(g) => g,
            Err(p) => {
                self.error(&at, format!("`{file}`: {}", p.message)).hint = p
                    .hint
                    .or_else(|| Some("export the model as glTF 2.0 (.glb, .gltf or .vrm)".into()));
                return None;
            }
        };
        let told = self.check_model_uris(&at, rel, &gltf.external_uris);
        for p in &gltf.problems {
            if let ProblemKind::MissingFile(uri) = &p.kind
                && told.contains(uri)
            {
                continue;
            }
            let place = if p.at == "the file" {
                String::new()
            } else {
                format!(" (at `{}`)", p.at)
            };
            let message = format!("`{file}`: {}{place}", p.message);
            let d = match p.severity {
                Severity::Error => self.error(&at, message),
                _ => self.warn(&at, message),
            };
            d.hint = p.hint.clone();
        }
        Some(gltf)
    }

    /// The external files a `.gltf` refers to exist and stay inside the story folder.
    /// Returns the URIs already told about, or that cannot be known (files read by an
    /// asset loader cannot tell a missing file): the reader's own "missing" problems
    /// for them are left out.
    pub(super) fn check_model_uris(
        &mut self,
        path: &[Seg],
        model: &Path,
        uris: &[String],
    ) -> Vec<String> {
        let mut told = Vec::new();
        for uri in uris {
            if uri.contains("://") {
                self.error(
                    path,
                    format!("the model refers to `{uri}`, which is not a file in the story folder"),
                );
                told.push(uri.clone());
                continue;
            }
            let Some(resolved) = resolve_in_story(model, &percent_decode(uri)) else {
                self.error(
                    path,
                    format!("the model refers to `{uri}`, which is outside the story folder"),
                );
                told.push(uri.clone());
                continue;
            };
            match self.files.exists(&self.story_dir.join(&resolved)) {
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    let msg = read_failure(&e, || {
                        format!(
                            "the model refers to `{uri}`, which does not exist (looked for `{}`)",
                            resolved.display()
                        )
                    });
                    self.error(path, msg);
                    told.push(uri.clone());
                }
                None => told.push(uri.clone()),
            }
        }
        told
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_in_models_are_percent_decoded() {
        assert_eq!(percent_decode("my%20skin.png"), "my skin.png");
        assert_eq!(percent_decode("%E3%81%82.bin"), "あ.bin");
        assert_eq!(percent_decode("100%.bin"), "100%.bin");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF.bin"), "%FF.bin");
    }

    #[test]
    fn files_a_model_names_are_resolved_inside_the_story_folder() {
        let model = Path::new("models/child.gltf");
        assert_eq!(
            resolve_in_story(model, "child.bin"),
            Some(PathBuf::from("models/child.bin"))
        );
        assert_eq!(
            resolve_in_story(model, "../textures/skin.png"),
            Some(PathBuf::from("textures/skin.png"))
        );
        assert_eq!(resolve_in_story(model, "../../etc/passwd"), None);
        assert_eq!(resolve_in_story(model, "/etc/passwd"), None);
    }
}
