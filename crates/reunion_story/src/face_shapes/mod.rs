//! The face map: which of a model's morph targets (or VRM expressions, or its jaw bone)
//! make her blink, smile, shape her vowels and wear each expression.
//!
//! [`map_face`] takes plain data — the morph target names the model has (every mesh's
//! `extras.targetNames`, duplicates welcome: Ready Player Me repeats them on head, teeth
//! and eyes), the file's VRM expressions, whether the skeleton has a jaw bone, and the
//! cast entry's `morphs: { ... }` renames — and returns a [`FaceMap`]: for each
//! [`FaceChannel`] a weighted list of [`FaceTarget`]s, which convention supplied it,
//! and a [`FaceReport`] of what the face can and cannot do, for `reunion check`.
//!
//! # Channels
//!
//! `blink` (both eyes), `blink_left`, `blink_right`, `eyes_wide`, `mouth_open` (the
//! jaw), `smile`, `smile_left`, `smile_right`, `frown`, `brows_up`, `brows_inner_up`,
//! `cheeks`; the visemes `sil` `pp` `aa` `ih` `ou` `ee` `oh`
//! ([`visemes`](crate::visemes)); the expressions `expression_neutral`, `_smile`,
//! `_laugh`, `_sad`, `_surprised`, `_sleepy`. Those are also the keys of `morphs`.
//!
//! # Who wins
//!
//! 1. The cast entry's renames (`morphs: { "aa": "MouthA", "blink": "Blink_Both" }`):
//!    the value is a morph target's name (exact, else ignoring case and separators) or
//!    a VRM expression's. A key that is not a channel, or a name the model does not
//!    have, is a [`RenameProblem`].
//! 2. Otherwise each channel's recipes, best first ([`recipes`](mod@recipes) holds them): a recipe
//!    applies when the model has all its required shapes. Names are compared in
//!    lowercase with separators dropped; a mesh prefix is ignored (`blendShape1.jawOpen`,
//!    VRoid's `Face.M_F00_000_00_Fcl_EYE_Close`). The conventions, in the order tried:
//!
//! | convention | names | used for |
//! | --- | --- | --- |
//! | VRM expressions (1.0 presets and 0.x names) | `blink` `blinkLeft` `aa` `ih` `ou` `ee` `oh` `happy` `sad` `relaxed` `surprised` `neutral`; 0.x `Blink` `Blink_L` `A` `I` `U` `E` `O` `Joy` `Sorrow` `Fun` | blinks, visemes, expressions (only expressions that bind morph targets: ones that only change materials are listed as not shown) |
//! | Oculus / Meta visemes | `viseme_sil` `viseme_PP` `viseme_aa` `viseme_I` `viseme_U` `viseme_E` `viseme_O` (the consonant visemes are not used) | visemes |
//! | ARKit's 52 | `eyeBlinkLeft` `eyeWideLeft` `jawOpen` `mouthSmileLeft` `mouthFrownLeft` `browInnerUp` `browOuterUpLeft` `cheekSquintLeft` `mouthFunnel` `mouthPucker` `mouthPressLeft` `mouthClose` `mouthStretchLeft` … | everything; visemes composed (below) |
//! | VRoid Studio | `Fcl_EYE_Close(_L/_R)` `Fcl_EYE_Surprised` `Fcl_MTH_A/I/U/E/O` `Fcl_MTH_Close` `Fcl_MTH_Fun` `Fcl_MTH_Sorrow` `Fcl_BRW_Surprised` `Fcl_BRW_Sorrow` `Fcl_ALL_Fun/Joy/Sorrow/Surprised/Neutral` | everything |
//! | Character Creator (CC3/CC4 names checked against published lists) | `Eye_Blink_L/R` `Eye_Wide_L/R` `Mouth_Smile_L/R` `Mouth_Frown_L/R` `Brow_Raise_Inner_L/R` `Brow_Raise_Outer_L/R` `Cheek_Raise_L/R` `Mouth_Open` `Jaw_Open`; visemes `V_Open` `V_Wide` `V_Tight_O` `V_Tight` `V_Explosive` | everything |
//! | plain names, today's reunion names | `blink` `mouth_open` `smile` `sad` `surprised` `happy` `laugh` `sleepy` `neutral`; single-letter vowels `A` `I` `U` `E` `O` when at least three are there | what they say |
//!
//! # Fallbacks
//!
//! - **Visemes from ARKit shapes**: `aa` = `jawOpen` 0.7 (+ `mouthLowerDown` 0.25,
//!   `mouthStretch` 0.1); `oh` = `jawOpen` 0.4 + `mouthFunnel` 0.7; `ou` = `mouthPucker`
//!   0.9 (+ `mouthFunnel` 0.2, `jawOpen` 0.1); `ee` = `mouthStretch` 0.5 + `jawOpen`
//!   0.25 (+ `mouthSmile` 0.15); `ih` = `mouthSmile` 0.3 + `jawOpen` 0.15 (+
//!   `mouthStretch` 0.2); `pp` = `mouthPress` 0.6 (+ `mouthRoll` 0.3), else
//!   `mouthClose` 0.5.
//! - **Only a mouth-open shape** (`jawOpen`, `mouth_open`, an `aa`): every vowel opens
//!   the jaw by how open it is (`aa` 0.8, `oh` 0.55, `ee` 0.35, `ih` 0.2, `ou` 0.2);
//!   the lips open and close, with no vowel shapes.
//! - **Only a jaw bone**: the same, as [`FaceTarget::JawBone`] weights (the avatar
//!   turns the bone; the weight is the share of its full opening).
//! - **Nothing**: the mouth does not move, and the report says so.
//! - `pp` and `sil` with no shape of their own are the rest pose (lips together): an
//!   empty list. `expression_neutral` with none is rest as well.
//! - **Expressions** without a dedicated shape are composed of the channels: smile =
//!   `smile` 0.8 + `cheeks` 0.3 (+ ARKit `eyeSquint` 0.2); laugh = `smile` 1 +
//!   `mouth_open` 0.35 + `cheeks` 0.6 (+ `eyeSquint` 0.4); sad = `brows_inner_up` 0.8 +
//!   `frown` 0.6; surprised = `eyes_wide` 0.8 + `brows_up` 0.7 + `mouth_open` 0.3;
//!   sleepy = `blink` 0.55 (+ VRM `relaxed` 0.3). `smile` with no mouth shape of its
//!   own falls back to half of VRM `happy`.
//!
//! # Using it
//!
//! Each frame the avatar gathers its channel values (blinks, the expression, the
//! [`LipSync`](crate::visemes::LipSync) weights) and calls [`FaceMap::apply`], which
//! sums each target's weight × value over the channels and clamps it to 0..1; what a
//! VRM expression target means (its binds) is the avatar's to apply.

mod channel;
pub mod recipes;

use std::collections::BTreeMap;

pub use channel::{Expression, FaceChannel};

use crate::visemes::Viseme;
use recipes::{COMPOSED, JAW_BONE, JAW_MORPH, Src, recipes};

/// What a channel moves.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FaceTarget {
    /// A morph target, by its name in the file.
    Morph(String),
    /// A VRM expression, by its name in the file.
    Expression(String),
    /// The skeleton's jaw bone: the weight is the share of its full opening.
    JawBone,
}

impl FaceTarget {
    fn label(&self) -> String {
        match self {
            FaceTarget::Morph(n) | FaceTarget::Expression(n) => n.clone(),
            FaceTarget::JawBone => "the jaw bone".to_string(),
        }
    }
}

/// A target at a weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Weighted {
    pub target: FaceTarget,
    pub weight: f32,
}

/// A VRM expression as the file declares it: its name (preset or custom) and how many
/// binds of each kind it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VrmExpression {
    pub name: String,
    /// Morph target binds: what reunion shows.
    pub morph_binds: usize,
    /// Material colour and texture transform binds: not shown by reunion.
    pub material_binds: usize,
}

/// A cast entry's `morphs` rename that cannot be followed; `index` is the entry's
/// position in the renames given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameProblem {
    UnknownChannel {
        index: usize,
        key: String,
        hint: Option<String>,
    },
    NoSuchShape {
        index: usize,
        channel: FaceChannel,
        name: String,
        hint: Option<String>,
    },
}

impl RenameProblem {
    pub fn index(&self) -> usize {
        match self {
            RenameProblem::UnknownChannel { index, .. }
            | RenameProblem::NoSuchShape { index, .. } => *index,
        }
    }

    pub fn message(&self) -> String {
        match self {
            RenameProblem::UnknownChannel { key, .. } => format!(
                "`{key}` is not a face channel of ours (`blink`, `mouth_open`, `aa`, `expression_sad`, ...)"
            ),
            RenameProblem::NoSuchShape { channel, name, .. } => format!(
                "the model has no morph target or expression `{name}` for `{}`",
                channel.name()
            ),
        }
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            RenameProblem::UnknownChannel { hint, .. }
            | RenameProblem::NoSuchShape { hint, .. } => hint.as_deref(),
        }
    }
}

/// How a channel is done.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub targets: Vec<Weighted>,
    /// The convention or fallback that supplied it (`"ARKit"`, `"jaw bone"`,
    /// `"cast entry"`, ...).
    pub source: &'static str,
}

/// How the mouth moves while she speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MouthSupport {
    /// Vowel shapes, from this convention.
    Visemes(&'static str),
    /// A mouth-open shape only.
    JawMorph,
    /// The jaw bone only.
    JawBone,
    /// Nothing: her lips do not move.
    None,
}

/// The face map of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct FaceMap {
    channels: BTreeMap<FaceChannel, Resolved>,
    pub rename_problems: Vec<RenameProblem>,
    /// The model's shapes no channel uses (`Angry`), in the file's order.
    pub unused: Vec<String>,
    /// VRM expressions that only change materials: not shown.
    pub material_only: Vec<String>,
}

/// The model's shape and expression names, looked up forgivingly.
struct Shapes {
    /// Normalised name → the file's name, first seen first.
    morphs: BTreeMap<String, String>,
    expressions: BTreeMap<String, String>,
    jaw_bone: bool,
}

/// Lowercase letters and digits only.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The keys a morph name answers to: itself, after a mesh prefix (`Head.jawOpen`), and
/// from VRoid's `Fcl_` on (`Face.M_F00_000_00_Fcl_EYE_Close`).
fn keys(name: &str) -> Vec<String> {
    let mut keys = vec![normalise(name)];
    if let Some(i) = name.rfind(['.', ':', '|']) {
        keys.push(normalise(&name[i + 1..]));
    }
    if let Some(i) = name.to_ascii_lowercase().find("fcl_") {
        keys.push(normalise(&name[i..]));
    }
    keys
}

impl Shapes {
    fn new(morphs: &[String], expressions: &[VrmExpression], jaw_bone: bool) -> Shapes {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        for name in morphs {
            for key in keys(name) {
                map.entry(key).or_insert_with(|| name.clone());
            }
        }
        // A lone `A` or `O` is a vowel only among its fellows.
        let vowels = ["a", "i", "u", "e", "o"];
        if vowels.iter().filter(|v| map.contains_key(**v)).count() < 3 {
            for v in vowels {
                map.remove(v);
            }
        }
        let expressions = expressions
            .iter()
            .filter(|e| e.morph_binds > 0)
            .map(|e| (normalise(&e.name), e.name.clone()))
            .collect();
        Shapes {
            morphs: map,
            expressions,
            jaw_bone,
        }
    }
}

/// Maps our face channels onto a model's shapes. `morphs`: its morph target names;
/// `expressions`: its VRM expressions (empty when it has none); `jaw_bone`: whether
/// its skeleton has a jaw bone; `renames`: the cast entry's `morphs`, our channel name
/// → the file's name, in the order written.
pub fn map_face(
    morphs: &[String],
    expressions: &[VrmExpression],
    jaw_bone: bool,
    renames: &[(String, String)],
) -> FaceMap {
    let shapes = Shapes::new(morphs, expressions, jaw_bone);
    let mut channels: BTreeMap<FaceChannel, Resolved> = BTreeMap::new();
    let mut rename_problems = Vec::new();
    for (index, (key, name)) in renames.iter().enumerate() {
        let Some(channel) = FaceChannel::from_name(key) else {
            let names: Vec<String> = FaceChannel::ALL.iter().map(|c| c.name()).collect();
            rename_problems.push(RenameProblem::UnknownChannel {
                index,
                key: key.clone(),
                hint: crate::diagnostic::did_you_mean(key, names.iter().map(String::as_str)),
            });
            continue;
        };
        let exact = morphs.iter().find(|m| *m == name).cloned();
        let target = exact
            .or_else(|| shapes.morphs.get(&normalise(name)).cloned())
            .map(FaceTarget::Morph)
            .or_else(|| {
                expressions
                    .iter()
                    .find(|e| normalise(&e.name) == normalise(name))
                    .map(|e| FaceTarget::Expression(e.name.clone()))
            });
        match target {
            Some(target) => {
                channels.insert(
                    channel,
                    Resolved {
                        targets: vec![Weighted {
                            target,
                            weight: 1.0,
                        }],
                        source: "cast entry",
                    },
                );
            }
            None => {
                let all = morphs.iter().chain(expressions.iter().map(|e| &e.name));
                rename_problems.push(RenameProblem::NoSuchShape {
                    index,
                    channel,
                    name: name.clone(),
                    hint: crate::diagnostic::did_you_mean(name, all.map(String::as_str)),
                });
            }
        }
    }
    for channel in FaceChannel::ALL {
        if channels.contains_key(&channel) {
            continue;
        }
        if let Some(resolved) = resolve(channel, &shapes, &channels) {
            channels.insert(channel, resolved);
        }
    }
    let used: Vec<&str> = channels
        .values()
        .flat_map(|r| r.targets.iter())
        .filter_map(|w| match &w.target {
            FaceTarget::Morph(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    let mut unused: Vec<String> = Vec::new();
    for name in morphs {
        if !used.contains(&name.as_str()) && !unused.contains(name) {
            unused.push(name.clone());
        }
    }
    let material_only = expressions
        .iter()
        .filter(|e| e.morph_binds == 0)
        .map(|e| e.name.clone())
        .collect();
    FaceMap {
        channels,
        rename_problems,
        unused,
        material_only,
    }
}

/// The first recipe for `channel` the model can follow.
fn resolve(
    channel: FaceChannel,
    shapes: &Shapes,
    done: &BTreeMap<FaceChannel, Resolved>,
) -> Option<Resolved> {
    'recipes: for recipe in recipes(channel) {
        let mut targets: Vec<Weighted> = Vec::new();
        for part in recipe.parts {
            let found: Option<Vec<Weighted>> = match part.src {
                Src::Morph(names) => names.iter().find_map(|n| shapes.morphs.get(*n)).map(|n| {
                    vec![Weighted {
                        target: FaceTarget::Morph(n.clone()),
                        weight: 1.0,
                    }]
                }),
                Src::Expr(names) => {
                    names
                        .iter()
                        .find_map(|n| shapes.expressions.get(*n))
                        .map(|n| {
                            vec![Weighted {
                                target: FaceTarget::Expression(n.clone()),
                                weight: 1.0,
                            }]
                        })
                }
                Src::Channel(c) => done
                    .get(&c)
                    .filter(|r| !r.targets.is_empty())
                    .map(|r| r.targets.clone()),
                Src::JawBone => shapes.jaw_bone.then(|| {
                    vec![Weighted {
                        target: FaceTarget::JawBone,
                        weight: 1.0,
                    }]
                }),
            };
            match found {
                Some(found) => {
                    for w in found {
                        add(&mut targets, w.target, w.weight * part.weight);
                    }
                }
                None if part.required => continue 'recipes,
                None => {}
            }
        }
        if targets.is_empty() {
            continue;
        }
        let only_jaw = targets.iter().all(|w| w.target == FaceTarget::JawBone);
        let source = if only_jaw && recipe.label == JAW_MORPH {
            JAW_BONE
        } else {
            recipe.label
        };
        return Some(Resolved { targets, source });
    }
    None
}

/// Adds `weight` to `target` in `list`, at most 1.
fn add(list: &mut Vec<Weighted>, target: FaceTarget, weight: f32) {
    match list.iter_mut().find(|w| w.target == target) {
        Some(w) => w.weight = (w.weight + weight).min(1.0),
        None => list.push(Weighted {
            target,
            weight: weight.min(1.0),
        }),
    }
}

/// At most this many unused shape names in the report.
pub const MAX_LISTED: usize = 12;

/// What `reunion check` says about a face.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaceReport {
    /// One line per feature: "blinks: yes (eyeBlinkLeft, eyeBlinkRight)".
    pub lines: Vec<String>,
    /// What will not move and should worry an author.
    pub warnings: Vec<String>,
}

impl FaceMap {
    /// The targets of a channel, empty when the face cannot do it (or, for `pp`, `sil`
    /// and `expression_neutral`, when rest is how it does it).
    pub fn get(&self, channel: FaceChannel) -> &[Weighted] {
        self.channels
            .get(&channel)
            .map_or(&[], |r| r.targets.as_slice())
    }

    /// How a channel is done, if it is.
    pub fn resolved(&self, channel: FaceChannel) -> Option<&Resolved> {
        self.channels.get(&channel)
    }

    /// Whether the face moves for this channel.
    pub fn can(&self, channel: FaceChannel) -> bool {
        !self.get(channel).is_empty()
    }

    /// How the mouth shapes speech.
    pub fn mouth(&self) -> MouthSupport {
        match self
            .resolved(FaceChannel::Viseme(Viseme::Aa))
            .map(|r| r.source)
        {
            None => MouthSupport::None,
            Some(JAW_BONE) => MouthSupport::JawBone,
            Some(JAW_MORPH) => MouthSupport::JawMorph,
            Some(label) => MouthSupport::Visemes(label),
        }
    }

    /// Each target's weight for these channel values: the sum over the channels of
    /// weight × value, clamped to 0..1, in a stable order.
    pub fn apply(&self, values: &[(FaceChannel, f32)]) -> Vec<(FaceTarget, f32)> {
        let mut out: BTreeMap<FaceTarget, f32> = BTreeMap::new();
        for &(channel, value) in values {
            for w in self.get(channel) {
                *out.entry(w.target.clone()).or_default() += w.weight * value;
            }
        }
        out.into_iter()
            .map(|(t, w)| (t, w.clamp(0.0, 1.0)))
            .collect()
    }

    fn names(&self, channels: &[FaceChannel]) -> String {
        let mut names: Vec<String> = Vec::new();
        for c in channels {
            for w in self.get(*c) {
                let n = w.target.label();
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        names.join(", ")
    }

    /// What the face can and cannot do, in words.
    pub fn report(&self) -> FaceReport {
        let mut lines = Vec::new();
        let mut warnings = Vec::new();
        if self.can(FaceChannel::Blink) {
            lines.push(format!(
                "blinks: yes ({})",
                self.names(&[FaceChannel::Blink])
            ));
        } else {
            lines.push("blinks: no".to_string());
            warnings.push("the model has no blink shape: her eyes will not close".to_string());
        }
        let vowels: Vec<FaceChannel> = Viseme::VOWELS.iter().map(|&v| v.into()).collect();
        match self.mouth() {
            MouthSupport::Visemes(label) => lines.push(format!(
                "mouth shapes: visemes ({label}: {})",
                self.names(&vowels)
            )),
            MouthSupport::JawMorph => lines.push(format!(
                "mouth shapes: the jaw opens only (`{}`): no vowel shapes",
                self.names(&[FaceChannel::MouthOpen])
            )),
            MouthSupport::JawBone => {
                lines.push("mouth shapes: the jaw bone opens only: no vowel shapes".to_string())
            }
            MouthSupport::None => {
                lines.push("mouth shapes: none".to_string());
                warnings.push(
                    "the model has no mouth shape and no jaw bone: she will not move her lips"
                        .to_string(),
                );
            }
        }
        let smile = FaceChannel::Smile;
        lines.push(if self.can(smile) {
            format!("smile: yes ({})", self.names(&[smile]))
        } else {
            "smile: no".to_string()
        });
        let (mut can, mut cannot) = (Vec::new(), Vec::new());
        for e in Expression::ALL
            .into_iter()
            .filter(|e| *e != Expression::Neutral)
        {
            match self.resolved(e.into()) {
                Some(r) if r.source == COMPOSED => can.push(format!("{} (composed)", e.name())),
                Some(_) => can.push(format!("{} ({})", e.name(), self.names(&[e.into()]))),
                None => cannot.push(e.name()),
            }
        }
        let mut line = format!(
            "expressions: {}",
            if can.is_empty() {
                "none".into()
            } else {
                can.join("; ")
            }
        );
        if !cannot.is_empty() {
            line.push_str(&format!("; not: {}", cannot.join(", ")));
        }
        lines.push(line);
        if !self.unused.is_empty() {
            let shown: Vec<&str> = self
                .unused
                .iter()
                .take(MAX_LISTED)
                .map(String::as_str)
                .collect();
            let mut line = format!("shapes not used: {}", shown.join(", "));
            if self.unused.len() > MAX_LISTED {
                line.push_str(&format!(" … and {} more", self.unused.len() - MAX_LISTED));
            }
            lines.push(line);
        }
        if !self.material_only.is_empty() {
            lines.push(format!(
                "VRM expressions that only change materials (not shown): {}",
                self.material_only.join(", ")
            ));
        }
        FaceReport { lines, warnings }
    }
}

#[cfg(test)]
mod tests;
