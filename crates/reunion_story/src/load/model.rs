//! Checking a cast member's glTF model against the story: every clip and morph
//! target the story asks of it is in the file (by our name or a rename), and every
//! file it refers to exists and stays inside the story folder.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::Compiler;
use super::files::{check_relative_path, read_failure};
use crate::diagnostic::did_you_mean;
use crate::format::{self, ModelDef, NodeDef, StoryFile, WorldCueDef};
use crate::gltf::read_gltf;
use crate::spans::{Seg, field, key, key_name};
use crate::story::*;

/// Why a model needs a clip: the first node that asks for it, and how many more do.
pub(super) struct ClipNeed {
    /// What needs it, for the message: "the gesture `Clap`".
    what: String,
    /// The nodes that ask for it, in file order.
    nodes: Vec<String>,
}

/// Our clip names, with what each is for.
pub(super) fn our_clip_names() -> impl Iterator<Item = &'static str> {
    [IDLE_CLIP, WALK_CLIP]
        .into_iter()
        .chain(GESTURES.iter().map(|g| gesture_clip_name(*g)))
}

/// Our name for a clip key as written: `wave`, or the gesture as written in a story,
/// `Wave`.
pub(super) fn our_clip_name(written: &str) -> Option<&'static str> {
    our_clip_names().find(|c| *c == written).or_else(|| {
        GESTURES
            .iter()
            .find(|g| format!("{g:?}") == written)
            .map(|g| gesture_clip_name(*g))
    })
}

/// The clips the story needs from `actor`'s model, by our name: `idle`, each gesture
/// she makes in a line or a cue, and `walk` when she leads by the hand.
pub(super) fn clip_needs(file: &StoryFile, actor: &str) -> Vec<(&'static str, ClipNeed)> {
    let mut needs: Vec<(&'static str, ClipNeed)> = vec![(
        IDLE_CLIP,
        ClipNeed {
            what: "every model (she plays it whenever she does nothing else)".into(),
            nodes: Vec::new(),
        },
    )];
    let mut need = |ours: &'static str, what: String, node: &str| match needs
        .iter_mut()
        .find(|(c, _)| *c == ours)
    {
        Some((_, n)) => n.nodes.push(node.to_owned()),
        None => needs.push((
            ours,
            ClipNeed {
                what,
                nodes: vec![node.to_owned()],
            },
        )),
    };
    let gesture = |g: Gesture| (gesture_clip_name(g), format!("the gesture `{g:?}`"));
    for (id, def) in file.nodes.iter() {
        match def {
            NodeDef::Say {
                speaker,
                gesture: Some(g),
                ..
            } if speaker == actor => {
                let (ours, what) = gesture(*g);
                need(ours, what, id);
            }
            NodeDef::Cue { world, .. } => {
                for cue in world {
                    if let WorldCueDef::Gesture {
                        actor: a,
                        gesture: g,
                    } = cue
                        && a == actor
                    {
                        let (ours, what) = gesture(*g);
                        need(ours, what, id);
                    }
                }
            }
            NodeDef::Go {
                transition: format::Transition::LeadByHand { actor: a, .. },
                ..
            } if a == actor => need(WALK_CLIP, "leading by the hand".into(), id),
            _ => {}
        }
    }
    needs
}

/// A URI's path with `%xx` escapes decoded (`my%20skin.png` → `my skin.png`); the URI
/// as written if the escapes are not valid UTF-8.
pub(super) fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| uri.to_owned())
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

impl Compiler<'_> {
    /// Checks a cast member's glTF model against what the story asks of it.
    pub(super) fn compile_model(&mut self, actor: &str, def: &ModelDef) -> Option<Model> {
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
        if !matches!(ext.as_deref(), Some("glb" | "gltf")) {
            self.error(
                &sub(&[field("file")]),
                format!("`{file}` is not a glTF model: a model is a `.glb` or `.gltf` file"),
            );
            return None;
        }

        // Renames, keyed by our name: (the key as written, the name in the file).
        let mut clip_renames: Vec<(&'static str, &str, &str)> = Vec::new();
        for (written, in_file) in def.clips.iter() {
            let Some(ours) = our_clip_name(written) else {
                let ours: Vec<&str> = our_clip_names().collect();
                let hint = did_you_mean(written, ours.iter().copied())
                    .or_else(|| Some(format!("the clips are: {}", ours.join(", "))));
                self.error(
                    &sub(&[field("clips"), key_name(written)]),
                    format!("`{written}` is not a clip reunion plays"),
                )
                .hint = hint;
                continue;
            };
            if clip_renames.iter().any(|(o, _, _)| *o == ours) {
                self.error(
                    &sub(&[field("clips"), key_name(written)]),
                    format!("the clip `{ours}` is renamed more than once"),
                );
                continue;
            }
            clip_renames.push((ours, written, in_file));
        }
        let mut morph_renames: Vec<(&'static str, &str, &str)> = Vec::new();
        for (written, in_file) in def.morphs.iter() {
            let Some(ours) = MORPH_TARGETS.iter().find(|m| **m == written) else {
                let hint = did_you_mean(written, MORPH_TARGETS).or_else(|| {
                    Some(format!(
                        "the morph targets are: {}",
                        MORPH_TARGETS.join(", ")
                    ))
                });
                self.error(
                    &sub(&[field("morphs"), key_name(written)]),
                    format!("`{written}` is not a morph target reunion drives"),
                )
                .hint = hint;
                continue;
            };
            if morph_renames.iter().any(|(o, _, _)| o == ours) {
                self.error(
                    &sub(&[field("morphs"), key_name(written)]),
                    format!("the morph target `{ours}` is renamed more than once"),
                );
                continue;
            }
            morph_renames.push((ours, written, in_file));
        }

        let full = self.story_dir.join(&rel);
        let bytes = match self.files.read_bytes(&full) {
            Ok(b) => b,
            Err(e) => {
                let msg = if e.kind() == io::ErrorKind::NotFound {
                    format!("`{actor}`'s model `{file}` does not exist")
                } else {
                    let why = read_failure(&e, || format!("`{file}` cannot be read: {e}"));
                    format!("`{actor}`'s model: {why}")
                };
                self.error(&sub(&[field("file")]), msg);
                return None;
            }
        };
        let summary = match read_gltf(&bytes) {
            Ok(s) => s,
            Err(e) => {
                self.error(&sub(&[field("file")]), format!("`{file}`: {e}"))
                    .hint = Some("export the model as glTF 2.0 (.glb or .gltf)".into());
                return None;
            }
        };
        self.check_model_uris(&sub(&[field("file")]), &rel, &summary.external_uris);

        let mut ok = true;
        let mut clips = BTreeMap::new();
        let needs = clip_needs(self.file, actor);
        for ours in our_clip_names() {
            let rename = clip_renames.iter().find(|(o, _, _)| *o == ours);
            let in_file = rename.map_or(ours, |(_, _, f)| *f);
            if summary.has_animation(in_file) {
                clips.insert(ours.to_owned(), in_file.to_owned());
                continue;
            }
            let need = needs.iter().find(|(o, _)| *o == ours).map(|(_, n)| n);
            let (path, named) = match rename {
                Some((_, written, _)) => (
                    sub(&[field("clips"), key(written)]),
                    format!("no animation `{in_file}` (named for `{ours}` under `clips`)"),
                ),
                None => (mpath.to_vec(), format!("no animation `{ours}`")),
            };
            let hint = near_miss(in_file, &summary.animations, rename.is_none().then_some(("clips", ours)))
                .or_else(|| {
                    Some(if summary.animations.is_empty() {
                        "the file has no named animations".to_owned()
                    } else {
                        format!(
                            "its animations are: {}; to use one of them, write clips: {{ \"{ours}\": \"...\" }}",
                            summary.animations.join(", ")
                        )
                    })
                });
            match need {
                Some(need) => {
                    ok = false;
                    self.error(
                        &path,
                        format!(
                            "`{actor}`'s model `{file}` has {named}, which {} needs{}",
                            need.what,
                            used_at(&need.nodes)
                        ),
                    )
                    .hint = hint;
                }
                None if rename.is_some() => {
                    self.warn(&path, format!("`{actor}`'s model `{file}` has {named}"))
                        .hint = hint;
                }
                None => {}
            }
        }

        let mut morphs = BTreeMap::new();
        for ours in MORPH_TARGETS {
            let rename = morph_renames.iter().find(|(o, _, _)| *o == ours);
            let in_file = rename.map_or(ours, |(_, _, f)| *f);
            if summary.has_morph_target(in_file) {
                morphs.insert(ours.to_owned(), in_file.to_owned());
                continue;
            }
            ok = false;
            let (path, named) = match rename {
                Some((_, written, _)) => (
                    sub(&[field("morphs"), key(written)]),
                    format!("no morph target `{in_file}` (named for `{ours}` under `morphs`)"),
                ),
                None => (mpath.to_vec(), format!("no morph target `{ours}`")),
            };
            let hint = near_miss(in_file, &summary.morph_targets, rename.is_none().then_some(("morphs", ours)))
                .or_else(|| {
                    Some(if summary.morph_targets.is_empty() {
                        "the file names no morph targets (reunion reads `extras.targetNames` on its meshes)".to_owned()
                    } else {
                        format!(
                            "its morph targets are: {}; to use one of them, write morphs: {{ \"{ours}\": \"...\" }}",
                            summary.morph_targets.join(", ")
                        )
                    })
                });
            self.error(
                &path,
                format!("`{actor}`'s model `{file}` has {named}, which every model needs"),
            )
            .hint = hint;
        }

        ok.then_some(Model {
            file: rel,
            clips,
            morphs,
        })
    }

    /// The external files a `.gltf` refers to exist and stay inside the story folder.
    pub(super) fn check_model_uris(&mut self, path: &[Seg], model: &Path, uris: &[String]) {
        let dir = model.parent().unwrap_or(Path::new(""));
        for uri in uris {
            if uri.contains("://") {
                self.error(
                    path,
                    format!("the model refers to `{uri}`, which is not a file in the story folder"),
                );
                continue;
            }
            // Resolve `..` against the model's folder; the result must stay inside.
            let mut resolved = PathBuf::new();
            let mut inside = !Path::new(uri).is_absolute();
            for c in dir.join(percent_decode(uri)).components() {
                match c {
                    Component::Normal(part) => resolved.push(part),
                    Component::CurDir => {}
                    Component::ParentDir if inside => inside = resolved.pop(),
                    _ => inside = false,
                }
            }
            if !inside {
                self.error(
                    path,
                    format!("the model refers to `{uri}`, which is outside the story folder"),
                );
            } else if let Some(Err(e)) = self.files.exists(&self.story_dir.join(&resolved)) {
                let msg = read_failure(&e, || {
                    format!(
                        "the model refers to `{uri}`, which does not exist (looked for `{}`)",
                        resolved.display()
                    )
                });
                self.error(path, msg);
            }
        }
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
}
