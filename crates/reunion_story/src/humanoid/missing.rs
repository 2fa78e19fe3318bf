//! What to tell an author about a bone the map did not find: the name the file's
//! convention would give it, the file's names closest to it, and where it should sit.

use std::collections::BTreeMap;

use super::bone::Bone;
use super::convention::Convention;
use super::names::{aliases, tokens};
use super::skeleton::Skeleton;
use crate::diagnostic::edit_distance;

/// At most this many "did you mean" names per missing bone.
pub const MAX_SUGGESTIONS: usize = 3;
/// At most this many of the file's bone names in a hint.
pub const MAX_LISTED_BONES: usize = 60;

/// A required bone the model does not have, ready for a diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct MissingBone {
    pub bone: Bone,
    /// The convention the skeleton follows, and what it would call the bone.
    pub expected: Option<(Convention, String)>,
    /// The file's names most like it, best first: nodes that sit where the bone
    /// should (between its found neighbours), then names close in spelling on the
    /// same side (`LeftForArm`, `forearm_L_twist`).
    pub suggestions: Vec<String>,
    /// The found bones it should sit between, when nothing sits between them
    /// (`LeftHand` hangs straight from `LeftArm`).
    pub gap: Option<(String, String)>,
}

impl MissingBone {
    /// "the model has no `left_forearm` bone (Mixamo / Ready Player Me name:
    /// `LeftForeArm`)".
    pub fn message(&self) -> String {
        let mut m = format!("the model has no `{}` bone", self.bone);
        if let Some((convention, name)) = &self.expected {
            m.push_str(&format!(" ({} name: `{name}`)", convention.label()));
        }
        m
    }

    /// What to do about it: the suggestions, where it should be, how to name it in the
    /// cast entry, and the file's bone names (`file_bones`, at most
    /// [`MAX_LISTED_BONES`]).
    pub fn hint(&self, file_bones: &[String]) -> String {
        let mut h = String::new();
        if !self.suggestions.is_empty() {
            let names: Vec<String> = self.suggestions.iter().map(|s| format!("`{s}`")).collect();
            h.push_str(&format!("did you mean {}? ", names.join(" or ")));
        }
        if let Some((above, below)) = &self.gap {
            h.push_str(&format!("`{below}` hangs straight from `{above}`; "));
        }
        h.push_str(&format!(
            "name it in the cast entry: `bones: {{ \"{}\": \"...\" }}`",
            self.bone
        ));
        if !file_bones.is_empty() {
            let shown: Vec<&str> = file_bones
                .iter()
                .take(MAX_LISTED_BONES)
                .map(String::as_str)
                .collect();
            h.push_str(&format!("; the file's bones: {}", shown.join(", ")));
            if file_bones.len() > MAX_LISTED_BONES {
                h.push_str(&format!(
                    " … and {} more",
                    file_bones.len() - MAX_LISTED_BONES
                ));
            }
        }
        h
    }
}

/// Describes a missing `bone`, given the bones found (`found`: bone → node) and the
/// nodes already used (`taken`).
pub fn describe(
    sk: &Skeleton,
    bone: Bone,
    found: &BTreeMap<Bone, usize>,
    taken: &[bool],
    convention: Convention,
) -> MissingBone {
    let expected = convention
        .expected_name(bone)
        .map(|name| (convention, name));
    let free = |i: usize| sk.eligible[i] && !taken[i];
    let mut suggestions = Vec::new();
    let mut gap = None;

    // Where it should sit: between the nearest found bone above it and the one below.
    let above = bone
        .rig_parents()
        .iter()
        .find_map(|b| found.get(b))
        .copied();
    let below = bone.rig_child().and_then(|b| found.get(&b)).copied();
    if let (Some(a), Some(b)) = (above, below)
        && let Some(path) = sk.between(a, b)
    {
        let path: Vec<usize> = path.into_iter().filter(|&i| free(i)).collect();
        if path.is_empty() {
            gap = Some((sk.names[a].clone(), sk.names[b].clone()));
        }
        suggestions.extend(path.into_iter().map(|i| sk.names[i].clone()));
    }

    // Names spelled like it, on its side.
    let expected_words: Option<String> = expected.as_ref().map(|(_, e)| {
        let bare = e.rsplit(':').next().unwrap_or(e);
        tokens(bare).concat()
    });
    let mut close: Vec<(usize, usize, usize)> = (0..sk.len())
        .filter(|&i| free(i) && sk.parts[i].side == bone.side())
        .filter_map(|i| {
            let stem = &sk.parts[i].stem;
            let mut best = usize::MAX;
            let mut accepted = false;
            for alias in aliases(bone.part()) {
                let d = edit_distance(stem, alias);
                best = best.min(d);
                let contains = (alias.len() >= 4 && stem.contains(alias))
                    || (stem.len() >= 4 && alias.contains(stem.as_str()));
                accepted |= contains || d <= (alias.len() / 3).max(1);
            }
            if let Some(words) = &expected_words {
                let bare = sk.names[i].rsplit(':').next().unwrap_or_default();
                let d = edit_distance(&tokens(bare).concat(), words);
                best = best.min(d);
                accepted |= d <= (words.len() / 4).max(1);
            }
            accepted.then_some((best, sk.depth(i), i))
        })
        .collect();
    close.sort_unstable();
    for (_, _, i) in close {
        let name = &sk.names[i];
        if !suggestions.contains(name) {
            suggestions.push(name.clone());
        }
    }
    suggestions.truncate(MAX_SUGGESTIONS);
    MissingBone {
        bone,
        expected,
        suggestions,
        gap,
    }
}
