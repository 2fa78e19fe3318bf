//! A cast model's clips: the ones the file has by our names (`idle`, `walk`, and each
//! gesture's snake_case name, in any case: `Idle`, `CallOut`), the `clips: { ... }`
//! renames (an unknown key, a key written twice or a name the file lacks is an error
//! at the rename), and what the story would play a clip for (for the note that says
//! what the animator makes instead).

use std::collections::BTreeMap;

use super::Compiler;
use super::model::{MAX_LISTED, listed, near_miss};
use crate::diagnostic::did_you_mean;
use crate::format::{self, ModelDef, NodeDef, StoryFile, WorldCueDef};
use crate::gltf::GltfModel;
use crate::spans::{Seg, field, key, key_name};
use crate::story::{GESTURES, Gesture, IDLE_CLIP, WALK_CLIP, gesture_clip_name};

/// What the story would play a clip for, and the nodes that ask for it.
pub(super) struct ClipNeed {
    /// What it is for, for the message: "the gesture `Clap`".
    pub what: String,
    /// The nodes that ask for it, in file order.
    pub nodes: Vec<String>,
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

/// The clips the story would play on `actor`'s model, by our name: each gesture she
/// makes in a line or a cue, and `walk` when she leads by the hand.
pub(super) fn clip_needs(file: &StoryFile, actor: &str) -> Vec<(&'static str, ClipNeed)> {
    let mut needs: Vec<(&'static str, ClipNeed)> = Vec::new();
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

/// A name as compared when the file's clip is found by our name: lowercase letters and
/// digits (`Idle`, `call_out`, `CallOut` and `Call Out` are alike).
fn loose(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The file's animation for one of our clips when it is not renamed: our name exactly,
/// else alike ignoring case and separators.
fn clip_by_our_name<'a>(animations: &[&'a str], ours: &str) -> Option<&'a str> {
    animations
        .iter()
        .find(|a| **a == ours)
        .or_else(|| animations.iter().find(|a| loose(a) == loose(ours)))
        .copied()
}

impl Compiler<'_> {
    /// The `clips` renames, keyed by our name: (ours, the key as written, the name in
    /// the file). Unknown keys and keys written twice are errors at the key.
    pub(super) fn clip_renames<'d>(
        &mut self,
        mpath: &[Seg],
        def: &'d ModelDef,
    ) -> Vec<(&'static str, &'d str, &'d str)> {
        let mut out: Vec<(&'static str, &str, &str)> = Vec::new();
        for (written, in_file) in def.clips.iter() {
            let at = [mpath, &[field("clips"), key_name(written)]].concat();
            let Some(ours) = our_clip_name(written) else {
                let ours: Vec<&str> = our_clip_names().collect();
                let hint = did_you_mean(written, ours.iter().copied())
                    .or_else(|| Some(format!("the clips are: {}", ours.join(", "))));
                self.error(&at, format!("`{written}` is not a clip reunion plays"))
                    .hint = hint;
                continue;
            };
            if out.iter().any(|(o, _, _)| *o == ours) {
                self.error(&at, format!("the clip `{ours}` is renamed more than once"));
                continue;
            }
            out.push((ours, written, in_file));
        }
        out
    }

    /// Our clips the file has (by our name in any case, or renamed). A rename to an
    /// animation the file lacks is an error at the rename.
    pub(super) fn model_clips(
        &mut self,
        mpath: &[Seg],
        gltf: &GltfModel,
        renames: &[(&'static str, &str, &str)],
    ) -> BTreeMap<String, String> {
        let animations = gltf.animation_names();
        let owned: Vec<String> = animations.iter().map(|a| (*a).to_owned()).collect();
        let mut clips = BTreeMap::new();
        for ours in our_clip_names() {
            match renames.iter().find(|(o, _, _)| *o == ours) {
                Some((_, written, in_file)) => {
                    if animations.contains(in_file) {
                        clips.insert(ours.to_owned(), (*in_file).to_owned());
                        continue;
                    }
                    let hint = near_miss(in_file, &owned, None).or_else(|| {
                        Some(if owned.is_empty() {
                            "the file has no named animations".to_owned()
                        } else {
                            format!("its animations are: {}", listed(&owned, MAX_LISTED))
                        })
                    });
                    self.error(
                        &[mpath, &[field("clips"), key(written)]].concat(),
                        format!("the model has no animation `{in_file}` (named for `{ours}` under `clips`)"),
                    )
                    .hint = hint;
                }
                None => {
                    if let Some(found) = clip_by_our_name(&animations, ours) {
                        clips.insert(ours.to_owned(), found.to_owned());
                    }
                }
            }
        }
        clips
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clip_is_found_by_our_name_in_any_case() {
        let animations = ["Idle", "Walking", "CallOut", "wave", "Wave"];
        assert_eq!(clip_by_our_name(&animations, "idle"), Some("Idle"));
        assert_eq!(clip_by_our_name(&animations, "call_out"), Some("CallOut"));
        // The exact name first.
        assert_eq!(clip_by_our_name(&animations, "wave"), Some("wave"));
        assert_eq!(clip_by_our_name(&animations, "walk"), None);
    }
}
