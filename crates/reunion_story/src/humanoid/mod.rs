//! The humanoid skeleton map: which of a model's nodes is her hips, her left forearm,
//! her head, whatever tool made the model.
//!
//! [`map_humanoid`] takes plain data (each node's name and parent index, the file's VRM
//! humanoid map if it has one, and the cast entry's `bones: { ... }` renames) and
//! returns a [`HumanoidMap`]: our [`Bone`] → node, the [`Convention`] it recognised,
//! and for each missing required bone a [`MissingBone`] ready for `reunion check`.
//! It does not read glTF; give it the nodes under the skin's joints, or all nodes.
//!
//! # Our rig
//!
//! hips, spine, chest, upper chest, neck, head, jaw, left/right eye, left/right
//! shoulder (the clavicle), upper arm, forearm (lower arm), hand, upper leg, lower leg,
//! foot, toes. [`Bone::REQUIRED`] are the sixteen a model must have: hips, spine, neck,
//! head, and both upper arms, forearms, hands, upper legs, lower legs and feet.
//!
//! # Who wins
//!
//! 1. **The author's renames** (`bones: { "left_upper_arm": "Arm_L_01" }`, our
//!    snake_case names as keys: [`Bone::name`]). A key that is not one of our bones,
//!    or a name the file does not have, is a [`RenameProblem`] with a hint.
//! 2. **The file's VRM humanoid map** (VRM 1.0 `VRMC_vrm.humanoid.humanBones`, VRM 0.x
//!    `VRM.humanoid.humanBones`; the same bone names, [`Bone::vrm_name`], any case).
//!    Fingers and other bones we do not drive are ignored.
//! 3. **The names**, for every bone still unknown.
//!
//! # Recognising names
//!
//! Each name is taken apart (case does not matter): a tool's prefix is dropped
//! (`mixamorig:`, `mixamorig1:`, any `namespace:`, Rigify's `DEF-`/`ORG-`, Character
//! Creator's `CC_Base_`/`RL_`, VRoid's `J_Bip_`/`J_Adj_` and its `C_` for centre,
//! 3ds Max's `Bip01 `), the side is read (`Left…`/`Right…`, `…Left`, `.L`/`.R`,
//! `_l`/`_r`, `L_`/`R_`, ` L `), and the words left are joined into a stem that is
//! looked up among each part's aliases:
//!
//! | part | strong aliases (weak ones lose to strong ones) | conventions |
//! | --- | --- | --- |
//! | hips | `hips`, `hip`, `pelvis` | Mixamo, RPM, FBX2glTF, VRoid; CC `Hip`; Unreal `pelvis` |
//! | spine / chest / upper chest | `spine`, `abdomen`, `waist` / `chest`, `torso` / `upperchest` | see *The trunk* |
//! | neck, head | `neck`, `necktwist`; `head` | all; CC `NeckTwist01` |
//! | jaw, eye | `jaw`, `jawroot`; `eye`, `eyeball`, `faceeye` | CC `JawRoot`; VRoid `J_Adj_L_FaceEye` |
//! | shoulder | `shoulder`, `clavicle`, `collar` | Mixamo `LeftShoulder`; Unreal, CC `clavicle` |
//! | upper arm | `upperarm`, `uparm` (weak: `arm`) | Mixamo `LeftArm`; Rigify `upper_arm.L`; FBX2glTF `UpperArm.L`; Unreal `upperarm_l` |
//! | forearm | `forearm`, `lowerarm` (weak: `elbow`) | Mixamo `LeftForeArm`; Rigify `forearm.L`; FBX2glTF, VRoid, Unreal `lowerarm` |
//! | hand | `hand` (weak: `wrist`, `palm`, `fist`) | a palm with the middle finger below it wins over the others (RobotExpressive's `Palm2.L`) |
//! | upper leg | `upleg`, `upperleg`, `thigh` | Mixamo `LeftUpLeg`; Rigify, Unreal, CC `thigh` |
//! | lower leg | `lowerleg`, `calf`, `shin` (weak: `leg`, `knee`) | Mixamo `LeftLeg`; Unreal, CC `calf`; Rigify `shin` |
//! | foot, toes | `foot` (weak: `ankle`); `toebase`, `toe`, `toes`, `ball` | Mixamo `LeftToeBase`; Unreal `ball_l` |
//!
//! A trailing number is allowed but loses to none (`DEF-forearm.L` before
//! `DEF-forearm.L.001`, Rigify's bendy second segment). Rigify's `MCH-` bones and
//! VRoid's `J_Sec_` (hair, skirt) are never bones of ours; when the skeleton has `DEF-`
//! bones only they are considered (Rigify's controls share the metarig's names).
//! Leaves and helpers (`HeadTop_End`, `PoleTarget.L`, `forearm_twist.L`) have stems
//! of their own and match nothing.
//!
//! # The hierarchy decides between candidates
//!
//! Names alone are not enough: exporters give a mesh node its bone's name
//! (RobotExpressive's `Foot.L` mesh under the `Foot.L` bone), IK targets sit at the root
//! (its `Hand.L`), Character Creator has both `Hip` and `Pelvis`, Ready Player Me has
//! `EyeLeft` meshes beside the `LeftEye` bones. So:
//!
//! - a forearm must hang below the upper arm of its side, a hand below the forearm, a
//!   lower leg below the upper leg, toes below the foot, eyes and jaw below the head;
//!   the neck above the head and the hips above the neck (all when those are found);
//! - softer preferences: the head below a hips-like node, the hips above the legs, the
//!   upper arm below the shoulder, the foot below the lower leg (not required: IK-style
//!   rigs such as RobotExpressive hang the feet from the root);
//! - then strong before weak aliases, no number before a number, the node nearest the
//!   root first (a bone before its same-named mesh), the file's order last.
//!
//! # The trunk
//!
//! Once hips and neck are known, the nodes between them are the spine bones, whatever
//! their names: one is the spine; two are spine and chest; three or more are the spine
//! (the first above the hips), the chest (the middle one) and the upper chest (the last
//! below the neck). Mixamo's `Spine`/`Spine1`/`Spine2`, VRoid's `Spine`/`Chest`/
//! `UpperChest`, CC's `Waist`/`Spine01`/`Spine02`, Unreal's `spine_01..03` and
//! FBX2glTF's `Abdomen`/`Torso` all come out as their VRM maps say. A Rigify
//! skeleton with no hips-, neck- or head-named bone numbers its trunk instead:
//! `spine` is the hips, `spine.001`–`.003` spine, chest and upper chest, `spine.004` the
//! neck and the last `spine.00N` the head.
//!
//! # What it tells
//!
//! [`HumanoidMap::convention`] is the convention most found names follow (a vote;
//! [`Convention::Vrm`] when the VRM map gave bones). [`HumanoidMap::missing`] holds each
//! missing required bone with the name its convention would use, the closest names the
//! file has on that side (edit distance on the stems, and nodes that sit where the
//! bone should), and [`HumanoidMap::file_bones`] lists the file's names for the hint.
//! [`HumanoidMap::verdict`] says [`Verdict::NotHumanoid`] below
//! [`MIN_REQUIRED_FOR_HUMANOID`] required bones (a prop, a lamp). [`HumanoidMap::notes`]
//! says what is odd but usable: hips that do not carry the legs, feet not below the
//! legs, a hand that is a palm bone.

mod bone;
mod convention;
mod missing;
mod names;
mod skeleton;

use std::collections::BTreeMap;

pub use bone::{Bone, Part, Side};
pub use convention::Convention;
pub use missing::{MAX_LISTED_BONES, MAX_SUGGESTIONS, MissingBone};

use names::{Strength, part_of};
use skeleton::Skeleton;

/// Fewer required bones than this and the model is not a humanoid at all.
pub const MIN_REQUIRED_FOR_HUMANOID: usize = 8;

/// A convention is named only when at least this many bones speak for it.
const MIN_VOTES: usize = 2;

/// One node of the file: its name and its parent's index in the same list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joint {
    pub name: String,
    pub parent: Option<usize>,
}

impl Joint {
    pub fn new(name: impl Into<String>, parent: Option<usize>) -> Joint {
        Joint {
            name: name.into(),
            parent,
        }
    }
}

/// One entry of a VRM humanoid map: its bone name (`leftUpperArm`) and the index of
/// its node in the list given to [`map_humanoid`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VrmBone {
    pub bone: String,
    pub node: usize,
}

/// Who said which node a bone is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The cast entry's `bones: { ... }`.
    Author,
    /// The file's VRM humanoid map.
    Vrm,
    /// Its name and place in the hierarchy.
    Name,
}

/// A bone found: its node (index into the list given) and that node's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapped {
    pub node: usize,
    pub name: String,
    pub source: Source,
}

/// A cast entry's `bones` rename that cannot be followed. `index` is the entry's
/// position in the renames given, for the checker to point at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameProblem {
    /// The key is not one of our bones.
    UnknownBone {
        index: usize,
        key: String,
        hint: Option<String>,
    },
    /// The file has no node of that name.
    NoSuchNode {
        index: usize,
        bone: Bone,
        name: String,
        hint: Option<String>,
    },
}

impl RenameProblem {
    pub fn index(&self) -> usize {
        match self {
            RenameProblem::UnknownBone { index, .. } | RenameProblem::NoSuchNode { index, .. } => {
                *index
            }
        }
    }

    pub fn message(&self) -> String {
        match self {
            RenameProblem::UnknownBone { key, .. } => {
                format!("`{key}` is not a bone of ours (`hips`, `left_forearm`, ...)")
            }
            RenameProblem::NoSuchNode { bone, name, .. } => {
                format!("the model has no node `{name}` for `{bone}`")
            }
        }
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            RenameProblem::UnknownBone { hint, .. } | RenameProblem::NoSuchNode { hint, .. } => {
                hint.as_deref()
            }
        }
    }
}

/// How much of a person the skeleton is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every required bone was found.
    Complete,
    /// A humanoid with required bones missing: [`HumanoidMap::missing`].
    Incomplete,
    /// Fewer than [`MIN_REQUIRED_FOR_HUMANOID`] required bones: not a humanoid.
    NotHumanoid,
}

/// The skeleton map of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct HumanoidMap {
    bones: BTreeMap<Bone, Mapped>,
    /// The naming convention recognised.
    pub convention: Convention,
    /// Each required bone not found, in [`Bone::ALL`] order.
    pub missing: Vec<MissingBone>,
    /// Renames that could not be followed.
    pub rename_problems: Vec<RenameProblem>,
    /// Oddities that do not stop the map from working.
    pub notes: Vec<String>,
    /// The names of the nodes that could be bones, once each, in the file's order.
    pub file_bones: Vec<String>,
}

impl HumanoidMap {
    /// The bone's node, if found.
    pub fn get(&self, bone: Bone) -> Option<&Mapped> {
        self.bones.get(&bone)
    }

    /// The bone's node index, if found.
    pub fn node(&self, bone: Bone) -> Option<usize> {
        self.bones.get(&bone).map(|m| m.node)
    }

    /// Every bone found, in [`Bone::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Bone, &Mapped)> {
        self.bones.iter().map(|(b, m)| (*b, m))
    }

    /// How many of the sixteen required bones were found.
    pub fn required_found(&self) -> usize {
        Bone::REQUIRED
            .iter()
            .filter(|b| self.bones.contains_key(b))
            .count()
    }

    pub fn verdict(&self) -> Verdict {
        match self.required_found() {
            n if n == Bone::REQUIRED.len() => Verdict::Complete,
            n if n >= MIN_REQUIRED_FOR_HUMANOID => Verdict::Incomplete,
            _ => Verdict::NotHumanoid,
        }
    }

    /// One line for `reunion check`: "humanoid (Mixamo / Ready Player Me): 22 bones,
    /// 16 of 16 required".
    pub fn summary(&self) -> String {
        let counts = format!(
            "{} bones, {} of {} required",
            self.bones.len(),
            self.required_found(),
            Bone::REQUIRED.len()
        );
        match self.verdict() {
            Verdict::NotHumanoid => format!("not a humanoid: {counts}"),
            _ => format!("humanoid ({}): {counts}", self.convention.label()),
        }
    }
}

/// Finds our bones among `joints`. `vrm` is the file's VRM humanoid map (empty when it
/// has none); `renames` the cast entry's `bones`, our name → the file's name, in the
/// order written.
pub fn map_humanoid(
    joints: &[Joint],
    vrm: &[VrmBone],
    renames: &[(String, String)],
) -> HumanoidMap {
    let sk = Skeleton::new(joints.iter().map(|j| (j.name.as_str(), j.parent)));
    let mut f = Finder {
        taken: vec![false; sk.len()],
        sk: &sk,
        found: BTreeMap::new(),
    };
    let mut rename_problems = Vec::new();
    for (index, (key, name)) in renames.iter().enumerate() {
        let Some(bone) = Bone::from_name(key) else {
            rename_problems.push(RenameProblem::UnknownBone {
                index,
                key: key.clone(),
                hint: bone_like(key),
            });
            continue;
        };
        match sk.find(name) {
            Some(node) => f.set(bone, node, Source::Author),
            None => rename_problems.push(RenameProblem::NoSuchNode {
                index,
                bone,
                name: name.clone(),
                hint: crate::diagnostic::did_you_mean(name, sk.names.iter().map(String::as_str)),
            }),
        }
    }
    let mut notes = Vec::new();
    for entry in vrm {
        // Fingers and the other bones we do not drive are skipped.
        let Some(bone) = Bone::from_vrm_name(&entry.bone) else {
            continue;
        };
        if entry.node >= sk.len() {
            notes.push(format!(
                "the VRM map's `{}` points at node {}, which is not in the skeleton",
                entry.bone, entry.node
            ));
        } else if !f.found.contains_key(&bone) {
            f.set(bone, entry.node, Source::Vrm);
        }
    }
    f.find_by_names();
    notes.extend(f.notes());
    let convention = f.convention();
    let nodes: BTreeMap<Bone, usize> = f.found.iter().map(|(b, m)| (*b, m.node)).collect();
    let missing = Bone::REQUIRED
        .iter()
        .filter(|b| !nodes.contains_key(b))
        .map(|&b| missing::describe(&sk, b, &nodes, &f.taken, convention))
        .collect();
    let mut file_bones: Vec<String> = Vec::new();
    for (i, name) in sk.names.iter().enumerate() {
        if sk.eligible[i] && !file_bones.contains(name) {
            file_bones.push(name.clone());
        }
    }
    HumanoidMap {
        bones: f.found,
        convention,
        missing,
        rename_problems,
        notes,
        file_bones,
    }
}

/// "did you mean `left_forearm`?" for a key that names one of our bones another way
/// (`left_lower_arm`, `leftLowerArm`), else for the closest spelling.
fn bone_like(key: &str) -> Option<String> {
    let parts = names::NameParts::parse(key);
    part_of(&parts)
        .and_then(|(part, _)| Bone::of(part, parts.side))
        .map(|b| format!("did you mean `{b}`?"))
        .or_else(|| crate::diagnostic::did_you_mean(key, Bone::ALL.iter().map(|b| b.name())))
}

/// A relation a candidate node should have with a bone already found.
#[derive(Clone, Copy)]
enum Rel {
    /// Hangs (anywhere) below it.
    Below(Bone),
    /// Is an ancestor of it.
    Above(Bone),
}

struct Finder<'a> {
    sk: &'a Skeleton,
    found: BTreeMap<Bone, Mapped>,
    taken: Vec<bool>,
}

impl Finder<'_> {
    fn set(&mut self, bone: Bone, node: usize, source: Source) {
        self.taken[node] = true;
        self.found.insert(
            bone,
            Mapped {
                node,
                name: self.sk.names[node].clone(),
                source,
            },
        );
    }

    fn node(&self, bone: Bone) -> Option<usize> {
        self.found.get(&bone).map(|m| m.node)
    }

    /// `None` when the relation's bone is not found (it then says nothing).
    fn holds(&self, node: usize, rel: Rel) -> Option<bool> {
        match rel {
            Rel::Below(b) => self.node(b).map(|a| self.sk.is_ancestor(a, node)),
            Rel::Above(b) => self.node(b).map(|d| self.sk.is_ancestor(node, d)),
        }
    }

    /// Free nodes whose names name the bone's part on its side, with their rank
    /// (lower is better).
    fn candidates(&self, bone: Bone) -> Vec<(usize, u32)> {
        let sk = self.sk;
        (0..sk.len())
            .filter(|&i| sk.eligible[i] && !self.taken[i] && sk.parts[i].side == bone.side())
            .filter_map(|i| {
                let (part, strength) = part_of(&sk.parts[i])?;
                (part == bone.part()).then(|| {
                    let p = &sk.parts[i];
                    let mut rank = if strength == Strength::Weak { 2 } else { 0 };
                    rank += u32::from(p.number.is_some());
                    rank += u32::from(p.prefix == names::Prefix::Original);
                    if p.stem == "palm"
                        && !sk.any_descendant(i, |d| sk.parts[d].stem.contains("middle"))
                    {
                        rank += 1;
                    }
                    (i, rank)
                })
            })
            .collect()
    }

    /// Free nodes whose names name `part` on any side: for soft preferences.
    fn named_like(&self, part: Part) -> Vec<usize> {
        (0..self.sk.len())
            .filter(|&i| part_of(&self.sk.parts[i]).is_some_and(|(p, _)| p == part))
            .collect()
    }

    /// Picks the best candidate for `bone` that keeps every `hard` relation, preferring
    /// those that keep the `soft` ones and `prefer` (a node-wise soft test).
    fn pick(&mut self, bone: Bone, hard: &[Rel], soft: &[Rel], prefer: impl Fn(usize) -> bool) {
        if self.found.contains_key(&bone) {
            return;
        }
        let best = self
            .candidates(bone)
            .into_iter()
            .filter(|&(i, _)| hard.iter().all(|&r| self.holds(i, r) != Some(false)))
            .min_by_key(|&(i, rank)| {
                let broken = soft
                    .iter()
                    .filter(|&&r| self.holds(i, r) == Some(false))
                    .count()
                    + usize::from(!prefer(i));
                (broken, rank, self.sk.depth(i), i)
            });
        if let Some((node, _)) = best {
            self.set(bone, node, Source::Name);
        }
    }

    fn find_by_names(&mut self) {
        use Rel::{Above, Below};
        self.number_rigify_trunk();
        let sk = self.sk;
        let hips_like = self.named_like(Part::Hips);
        let legs_like = self.named_like(Part::UpperLeg);
        self.pick(
            Bone::Head,
            &[Below(Bone::Neck), Below(Bone::Hips)],
            &[],
            |i| hips_like.iter().any(|&h| sk.is_ancestor(h, i)),
        );
        self.pick(
            Bone::Neck,
            &[Above(Bone::Head), Below(Bone::Hips)],
            &[],
            |_| true,
        );
        self.pick(
            Bone::Hips,
            &[Above(Bone::Neck), Above(Bone::Head)],
            &[],
            |i| legs_like.iter().any(|&l| sk.is_ancestor(i, l)),
        );
        self.fill_trunk();
        for bone in [Bone::Spine, Bone::Chest, Bone::UpperChest] {
            self.pick(bone, &[Below(Bone::Hips), Above(Bone::Neck)], &[], |_| true);
        }
        self.pick(Bone::Jaw, &[Below(Bone::Head)], &[], |_| true);
        for side in [Side::Left, Side::Right] {
            let b = |part| Bone::of(part, Some(side)).unwrap_or(Bone::Hips);
            let (shoulder, upper_arm, forearm, hand) = (
                b(Part::Shoulder),
                b(Part::UpperArm),
                b(Part::Forearm),
                b(Part::Hand),
            );
            let (upper_leg, lower_leg, foot, toes) = (
                b(Part::UpperLeg),
                b(Part::LowerLeg),
                b(Part::Foot),
                b(Part::Toes),
            );
            self.pick(b(Part::Eye), &[Below(Bone::Head)], &[], |_| true);
            let arms_like = self.named_like(Part::UpperArm);
            self.pick(shoulder, &[Above(upper_arm)], &[Below(Bone::Hips)], |i| {
                arms_like
                    .iter()
                    .any(|&a| sk.parts[a].side == Some(side) && sk.is_ancestor(i, a))
            });
            self.pick(
                upper_arm,
                &[],
                &[Below(shoulder), Below(Bone::Hips)],
                |_| true,
            );
            self.pick(forearm, &[Below(upper_arm)], &[], |_| true);
            self.pick(hand, &[Below(forearm)], &[], |_| true);
            self.pick(upper_leg, &[], &[Below(Bone::Hips)], |_| true);
            self.pick(lower_leg, &[Below(upper_leg)], &[], |_| true);
            self.pick(foot, &[], &[Below(lower_leg)], |_| true);
            self.pick(toes, &[Below(foot)], &[], |_| true);
        }
    }

    /// Rigify numbers its trunk `spine`, `spine.001`, … `spine.006` and names no hips,
    /// neck or head: read the numbers when that is so.
    fn number_rigify_trunk(&mut self) {
        let sk = self.sk;
        let named = |part| {
            (0..sk.len())
                .any(|i| sk.eligible[i] && part_of(&sk.parts[i]).is_some_and(|(p, _)| p == part))
        };
        if named(Part::Hips) || named(Part::Neck) {
            return;
        }
        let spines: Vec<(usize, u32)> = (0..sk.len())
            .filter(|&i| sk.eligible[i] && !self.taken[i] && sk.parts[i].stem == "spine")
            .filter(|&i| sk.parts[i].side.is_none())
            .filter(|&i| sk.parts[i].number.is_none() || sk.parts[i].blender_number)
            .map(|i| (i, sk.parts[i].number.unwrap_or(0)))
            .collect();
        let Some(&(_, last)) = spines.iter().max_by_key(|s| s.1) else {
            return;
        };
        if last < 4 || !spines.iter().any(|s| s.1 == 0) {
            return;
        }
        let head_named = named(Part::Head);
        for (node, n) in spines {
            let bone = match n {
                0 => Bone::Hips,
                1 => Bone::Spine,
                2 => Bone::Chest,
                3 if last >= 5 => Bone::UpperChest,
                4 if last >= 5 => Bone::Neck,
                n if n == last && !head_named => Bone::Head,
                _ => continue,
            };
            if !self.found.contains_key(&bone) {
                self.set(bone, node, Source::Name);
            }
        }
    }

    /// The nodes between the hips and the neck are the spine bones.
    fn fill_trunk(&mut self) {
        let (Some(hips), Some(neck)) = (self.node(Bone::Hips), self.node(Bone::Neck)) else {
            return;
        };
        let Some(chain) = self.sk.between(hips, neck) else {
            return;
        };
        let chain: Vec<usize> = chain
            .into_iter()
            .filter(|&i| self.sk.eligible[i] && !self.taken[i])
            .collect();
        let n = chain.len();
        let mut slots = Vec::new();
        if n >= 1 {
            slots.push((Bone::Spine, chain[0]));
        }
        if n >= 2 {
            slots.push((Bone::Chest, chain[n / 2]));
        }
        if n >= 3 {
            slots.push((Bone::UpperChest, chain[n - 1]));
        }
        for (bone, node) in slots {
            if !self.found.contains_key(&bone) && !self.taken[node] {
                self.set(bone, node, Source::Name);
            }
        }
    }

    /// What is odd about the map found.
    fn notes(&self) -> Vec<String> {
        let sk = self.sk;
        let mut notes = Vec::new();
        let name = |b: Bone| self.found.get(&b).map(|m| m.name.as_str()).unwrap_or("");
        if let Some(hips) = self.node(Bone::Hips) {
            let legs: Vec<usize> = [Bone::LeftUpperLeg, Bone::RightUpperLeg]
                .into_iter()
                .filter_map(|b| self.node(b))
                .collect();
            if let Some(&leg) = legs.iter().find(|&&l| !sk.is_ancestor(hips, l)) {
                let from = sk.parent(leg).map_or("the root", |p| sk.names[p].as_str());
                notes.push(format!(
                    "the hips `{}` do not carry the legs (`{}` hangs from `{from}`)",
                    name(Bone::Hips),
                    sk.names[leg]
                ));
            }
        }
        for (foot, leg) in [
            (Bone::LeftFoot, Bone::LeftLowerLeg),
            (Bone::RightFoot, Bone::RightLowerLeg),
        ] {
            if let (Some(f), Some(l)) = (self.node(foot), self.node(leg))
                && !sk.is_ancestor(l, f)
            {
                notes.push(format!(
                    "`{}` does not hang from `{}` (an IK-style rig): the foot is placed by itself",
                    name(foot),
                    name(leg)
                ));
            }
        }
        for hand in [Bone::LeftHand, Bone::RightHand] {
            if let Some(h) = self.node(hand)
                && part_of(&sk.parts[h]).is_some_and(|(_, s)| s == Strength::Weak)
            {
                notes.push(format!(
                    "the file has no {hand} bone: `{}` stands for it",
                    name(hand)
                ));
            }
        }
        notes
    }

    /// The convention most bones found by their names follow.
    fn convention(&self) -> Convention {
        if self.found.values().any(|m| m.source == Source::Vrm) {
            return Convention::Vrm;
        }
        if !self.found.is_empty() && self.found.values().all(|m| m.source == Source::Author) {
            return Convention::Author;
        }
        let mut votes: BTreeMap<Convention, usize> = BTreeMap::new();
        for m in self.found.values().filter(|m| m.source == Source::Name) {
            if let Some(c) = convention::vote(&m.name, &self.sk.parts[m.node]) {
                *votes.entry(c).or_default() += 1;
            }
        }
        let best = votes.values().copied().max().unwrap_or(0);
        let mut winners = votes.iter().filter(|(_, n)| **n == best);
        match (winners.next(), winners.next()) {
            (Some((c, _)), None) if best >= MIN_VOTES => *c,
            _ => Convention::Generic,
        }
    }
}

#[cfg(test)]
mod tests;
