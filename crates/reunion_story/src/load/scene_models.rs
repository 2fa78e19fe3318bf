//! The glTF models a scene names (its things' and its environment's), read with the
//! shared reader ([`crate::gltf::read_model`]) through [`super::Files`], with the files
//! each names (buffers, textures) read the same way. Every problem the reader finds is
//! reported at the `file:` field that names the model: a missing file, one that is not
//! glTF 2.0 or is cut short, a missing buffer or texture (named), an extension Bevy
//! cannot read (named, with how to export without it). What the rest of the checker
//! needs of a model is kept in a [`SceneModel`], read once per file.
//!
//! An asset loader that hands the checker files it has read itself
//! ([`super::MemFiles`]) reads [`scene_files`] for each scene and
//! [`model_dependencies`] for each model first.

use std::cell::RefCell;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use glam::{Quat, Vec3};

use super::Compiler;
use super::files::{check_relative_path, read_failure, resolve_beside};
use super::parse::Source;
use crate::diagnostic::{Diagnostic, Severity};
use crate::format::{Environment, SceneFile, ThingKind};
use crate::gltf::{GltfModel, ProblemKind, percent_decode, read_model};
use crate::spans::Seg;
use crate::story::Bounds;

/// The prefix of an empty that marks a socket: `socket_1` is the socket `1`.
pub const SOCKET_PREFIX: &str = "socket_";

/// What the checker keeps of a scene's model file.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct SceneModel {
    /// The box around everything it draws, in its own space, before any `scale`.
    pub bounds: Option<Bounds>,
    /// Its empties named `socket_<name>`: the name after the prefix, where the empty
    /// is and how it is turned, in the model's space.
    pub sockets: Vec<(String, Vec3, Quat)>,
    /// Its animation clips by name, in file order.
    pub clips: Vec<String>,
    /// How many KHR_lights_punctual lights its nodes place.
    pub lights: usize,
    pub cost: Cost,
}

/// What drawing a model costs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Cost {
    pub triangles: u64,
    pub draw_calls: u64,
    /// GPU bytes of its textures.
    pub texture_bytes: u64,
}

impl SceneModel {
    fn of(model: &GltfModel) -> Self {
        let m = &model.measurements;
        let sockets = model
            .empties()
            .into_iter()
            .filter_map(|(i, name)| {
                let socket = name.strip_prefix(SOCKET_PREFIX)?;
                let (_, rotation, at) = model.nodes[i].world.to_scale_rotation_translation();
                Some((socket.to_owned(), at, rotation.normalize()))
            })
            .collect();
        SceneModel {
            bounds: m.bounds.map(|(lo, hi)| Bounds::new(lo, hi)),
            sockets,
            clips: model
                .animation_names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            lights: model.lights.iter().filter(|l| !l.nodes.is_empty()).count(),
            cost: Cost {
                triangles: m.triangles,
                draw_calls: m.draw_calls,
                texture_bytes: m.texture_bytes,
            },
        }
    }
}

/// Every file a scene names that an asset loader must read before checking, relative
/// to the story folder: its environment's model and environment map, and each thing's
/// model (paths that would leave the folder are left out; the checker reports them).
/// Read each model's [`model_dependencies`] too.
pub fn scene_files(scene: &SceneFile) -> Vec<PathBuf> {
    let mut written: Vec<&str> = Vec::new();
    if let Environment::Model {
        file,
        environment_map,
        ..
    } = &scene.environment
    {
        written.push(file);
        written.extend(environment_map.as_deref());
    }
    for (_, thing) in scene.things.iter() {
        if let ThingKind::Model { file } = &thing.is {
            written.push(file);
        }
    }
    let mut out = Vec::new();
    for path in written {
        if let Ok(p) = check_relative_path(path)
            && !out.contains(&p)
        {
            out.push(p);
        }
    }
    out
}

/// The files a model names (its external buffers and images), relative to the story
/// folder, given the model's path relative to the story folder and its bytes: what an
/// asset loader reads with the model. Names that are not files (`data:`, `http:`) or
/// that would leave the story folder are left out (the checker reports them).
pub fn model_dependencies(model: &Path, bytes: &[u8]) -> Vec<PathBuf> {
    let Ok(read) = read_model(bytes, &|_| None) else {
        return Vec::new();
    };
    let dir = model.parent().unwrap_or(Path::new(""));
    read.external_uris
        .iter()
        .filter(|uri| !uri.contains(':'))
        .filter_map(|uri| resolve_beside(dir, &percent_decode(uri)))
        .collect()
}

impl Compiler<'_> {
    /// Reads the model `file` a scene names at `path` (its `file:` field), reporting
    /// into `errors` every problem with it. `None` when it is not a model reunion can
    /// show. A file named by several things is read, and reported, once.
    pub(super) fn scene_model(
        &mut self,
        file: &str,
        src: &Source,
        path: &[Seg],
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Rc<SceneModel>> {
        let rel = match check_relative_path(file) {
            Ok(p) => p,
            Err(e) => {
                errors.push(src.diag(Severity::Error, path, e));
                return None;
            }
        };
        if let Some(known) = self.scene_models.get(&rel) {
            return known.clone();
        }
        let read = self.read_scene_model(file, &rel, src, path, errors);
        self.scene_models.insert(rel, read.clone());
        read
    }

    fn read_scene_model(
        &mut self,
        file: &str,
        rel: &Path,
        src: &Source,
        path: &[Seg],
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Rc<SceneModel>> {
        let mut report = |severity: Severity, message: String, hint: Option<String>| {
            errors.push(src.diag(severity, path, message).with_hint_opt(hint));
        };
        let ext = rel
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("glb" | "gltf")) {
            report(
                Severity::Error,
                format!("`{file}` is not a glTF model: a model is a `.glb` or `.gltf` file"),
                Some("export it from Blender (or any 3D tool) as glTF 2.0".into()),
            );
            return None;
        }
        let bytes = match self.files.read_bytes(&self.story_dir.join(rel)) {
            Ok(b) => b,
            Err(e) => {
                let message = read_failure(&e, || {
                    if e.kind() == io::ErrorKind::NotFound {
                        format!("the model `{file}` does not exist")
                    } else {
                        format!("the model `{file}` cannot be read: {e}")
                    }
                });
                report(Severity::Error, message, None);
                return None;
            }
        };
        // The files the model names, read through the story's files; one that would
        // leave the story folder is not read, and said so.
        let dir = rel.parent().unwrap_or(Path::new("")).to_path_buf();
        let refused: RefCell<Vec<(String, String)>> = RefCell::new(Vec::new());
        let files = self.files;
        let story_dir = self.story_dir.clone();
        let read_file = |name: &str| -> Option<Vec<u8>> {
            let Some(resolved) = resolve_beside(&dir, name) else {
                refused.borrow_mut().push((
                    name.to_owned(),
                    format!("`{file}` names `{name}`, which is outside the story folder"),
                ));
                return None;
            };
            match files.read_bytes(&story_dir.join(&resolved)) {
                Ok(b) => Some(b),
                Err(e) => {
                    if let Some(inner) = e
                        .get_ref()
                        .and_then(|i| i.downcast_ref::<super::OutsideStoryFolder>())
                    {
                        refused
                            .borrow_mut()
                            .push((name.to_owned(), format!("`{file}` names {inner}")));
                    }
                    None
                }
            }
        };
        let model = match read_model(&bytes, &read_file) {
            Ok(m) => m,
            Err(p) => {
                let hint = p
                    .hint
                    .unwrap_or_else(|| "export the model as glTF 2.0 (.glb or .gltf)".into());
                report(
                    Severity::Error,
                    format!("`{file}`: {}", p.message),
                    Some(hint),
                );
                return None;
            }
        };
        let refused = refused.into_inner();
        for p in &model.problems {
            if let ProblemKind::MissingFile(uri) = &p.kind
                && let Some((_, why)) = refused.iter().find(|(n, _)| *n == percent_decode(uri))
            {
                report(Severity::Error, why.clone(), None);
                continue;
            }
            let at = if p.at == "the file" {
                String::new()
            } else {
                format!(" (at `{}` in the file)", p.at)
            };
            report(
                p.severity,
                format!("`{file}`: {}{at}", p.message),
                p.hint.clone(),
            );
        }
        if model.has_errors() {
            return None;
        }
        Some(Rc::new(SceneModel::of(&model)))
    }

    /// What a cast member's model costs to draw, for the place budget (its problems
    /// are the cast checker's to report).
    pub(super) fn cast_model_cost(&mut self, file: &Path) -> Option<Cost> {
        if let Some(known) = self.cast_costs.get(file) {
            return *known;
        }
        let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
        let read_file = |name: &str| {
            let resolved = resolve_beside(&dir, name)?;
            self.files.read_bytes(&self.story_dir.join(resolved)).ok()
        };
        let cost = self
            .files
            .read_bytes(&self.story_dir.join(file))
            .ok()
            .and_then(|bytes| read_model(&bytes, &read_file).ok())
            .map(|m| SceneModel::of(&m).cost);
        self.cast_costs.insert(file.to_path_buf(), cost);
        cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_a_model_resolves_against_its_folder_and_stays_in_the_story() {
        let dir = Path::new("models/room");
        assert_eq!(
            resolve_beside(dir, "tex/wood.png"),
            Some(PathBuf::from("models/room/tex/wood.png"))
        );
        assert_eq!(
            resolve_beside(dir, "../shared.bin"),
            Some(PathBuf::from("models/shared.bin"))
        );
        assert_eq!(resolve_beside(dir, "../../../etc/passwd"), None);
        assert_eq!(resolve_beside(dir, "/etc/passwd"), None);
    }
}
