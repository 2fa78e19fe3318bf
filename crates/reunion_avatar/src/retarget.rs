//! Retargeting: the animator's pose onto a model's own skeleton.
//!
//! Pure: a [`Retarget`] is made once from the checked [`Model`] (its bones, their rest
//! and bind transforms, its facing and scale), and each frame [`Retarget::solve`] turns
//! the animator's pose, as [`RigFrames`] in her avatar space, into a local transform for
//! each of the model's bones. No particular pose is assumed: a T-pose, an A-pose, any
//! bone roll and any proportions work, because each bone is driven by what it must
//! *do*, measured on its own reference pose (the skin's bind pose, the one her mesh was
//! modelled in; else the nodes' rest):
//!
//! - the trunk and head turn by the rig's turn from its rest (the rig's rest is
//!   upright and facing −Z, as every model is once in her avatar space): hips by the
//!   pelvis, the spine bones by shares of the chest, the neck by a share of the head;
//! - arms and legs reach by two-bone IK on the model's own bones, from the model's own
//!   shoulder or hip, to where the rig's wrist or ankle is, bending towards the rig's
//!   elbow or knee; each bone swings (the shortest turn) from where its reference pose
//!   would point it to where the IK puts it, so its roll stays the model's; a hand
//!   reaching for the participant's bends at the wrist so its palm is there;
//! - feet turn as the rig's feet (level, tipping as they lift; a foot that does not
//!   hang from its leg is put at the leg's end), eyes by the gaze within the head, the
//!   jaw by how open the face map asks it to be; bones we do not drive keep their
//!   reference turn relative to their parent bone.
//!
//! Where the model plays a clip, the clip's local transforms come in and each bone is
//! blended: the head, neck, eyes and jaw are always the animator's (gaze over the
//! clip); an arm is the animator's as far as it offers or holds a hand; the legs as far
//! as the caller says (a procedural walk under a model with no walk clip); the rest is
//! the clip's. The whole body's turn and lift (lying down) are left to the caller, who
//! turns the model as a whole ([`RigFrames::in_body`]).

use bevy::math::{EulerRot, Mat4, Quat, Vec2, Vec3};
use reunion_story::humanoid::{Bone, Part, Side};
use reunion_story::story::{Model, Trs};

use crate::body::Proportions;
use crate::ik::two_bone;
use crate::motion::Pose;

/// How far the jaw bone turns when the mouth is fully open, radians.
pub const JAW_OPEN: f32 = 0.35;

/// The rig's pose in her avatar space (metres, origin between her feet, facing −Z).
#[derive(Clone, Copy, Debug)]
pub struct RigFrames {
    pub body: Mat4,
    pub pelvis: Mat4,
    pub chest: Mat4,
    pub head: Mat4,
    /// Shoulder, elbow, wrist: right then left.
    pub arms: [[Vec3; 3]; 2],
    /// Hip, knee, ankle: right then left.
    pub legs: [[Vec3; 3]; 2],
    /// Each foot's turn from its rest (level, toes tipped as it lifts).
    pub feet: [Quat; 2],
    /// How far each hand (right, left) reaches for the participant's hand: the
    /// model's hand then bends at the wrist so its palm is where the rig's wrist
    /// was pulled back from ([`crate::motion::Animator::palm`]).
    pub reach: [f32; 2],
    /// From the wrist to the palm's middle (the animator's `palm`).
    pub palm: f32,
}

impl RigFrames {
    /// The same pose with the whole body's turn and lift taken out (what
    /// [`RigFrames::body`] does is then done to the model as a whole: lying down
    /// turns every part of her, even parts that do not hang from her hips).
    pub fn in_body(&self) -> RigFrames {
        let inv = self.body.inverse();
        let body_turn = turn(&self.body).inverse();
        let points = |l: [Vec3; 3]| l.map(|p| inv.transform_point3(p));
        RigFrames {
            body: Mat4::IDENTITY,
            pelvis: inv * self.pelvis,
            chest: inv * self.chest,
            head: inv * self.head,
            arms: self.arms.map(points),
            legs: self.legs.map(points),
            feet: self.feet.map(|f| body_turn * f),
            reach: self.reach,
            palm: self.palm,
        }
    }

    /// Where the animator's pose puts the rig, as the built-in child's joints are
    /// placed (`systems::apply_pose`).
    pub fn of(pose: &Pose, p: &Proportions, reach: [f32; 2], palm: f32) -> RigFrames {
        let body = Mat4::from_rotation_translation(pose.body_rot, pose.body_offset);
        let pelvis = body
            * Mat4::from_rotation_translation(
                pose.pelvis_rot,
                Vec3::Y * p.hip_y + pose.pelvis_offset,
            );
        let chest = pelvis
            * Mat4::from_rotation_translation(pose.chest_rot, Vec3::Y * (p.waist_y - p.hip_y));
        let head = chest
            * Mat4::from_rotation_translation(pose.head_rot, Vec3::Y * (p.neck_y - p.waist_y));
        let limb = |m: &Mat4, l: &crate::ik::Limb| {
            [
                m.transform_point3(l.root),
                m.transform_point3(l.mid),
                m.transform_point3(l.end),
            ]
        };
        RigFrames {
            body,
            pelvis,
            chest,
            head,
            arms: [limb(&chest, &pose.arms[0]), limb(&chest, &pose.arms[1])],
            legs: [limb(&pelvis, &pose.legs[0]), limb(&pelvis, &pose.legs[1])],
            feet: pose
                .feet
                .map(|pitch| pose.body_rot * Quat::from_rotation_x(-pitch)),
            reach,
            palm,
        }
    }
}

/// The face's part in the skeleton: the eyes' turn (yaw left +, pitch up +) and the
/// jaw's opening (0..1).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FaceBones {
    pub eyes: Vec2,
    pub jaw: f32,
}

/// How much of each part is the animator's where a clip plays (0 all clip, 1 all
/// animator). Without a clip everything is the animator's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Blend {
    /// The body as a whole: 1 − how far a clip plays.
    pub body: f32,
    /// Each arm, right then left.
    pub arms: [f32; 2],
    pub legs: f32,
}

impl Blend {
    /// Everything the animator's.
    pub const PROCEDURAL: Blend = Blend {
        body: 1.0,
        arms: [1.0; 2],
        legs: 1.0,
    };
}

/// What drives one bone.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Drive {
    Hips,
    /// A spine bone, turning by this share of the chest's turn.
    Spine(f32),
    Neck,
    Head,
    Eye,
    Jaw,
    /// The upper bone of a limb (arm if `arm`), side 0 right, 1 left.
    Upper {
        arm: bool,
        side: usize,
    },
    /// The lower bone of a limb.
    Lower {
        arm: bool,
        side: usize,
    },
    /// A foot, level; `placed`: it does not hang from its lower leg and is put at the
    /// leg's end.
    Foot {
        side: usize,
        placed: bool,
    },
    /// A hand: at rest on its forearm, bending at the wrist towards the palm's target
    /// as far as it reaches for the participant's hand.
    Hand(usize),
    /// Keeps its rest turn relative to its parent (clavicles, hands, toes).
    Rest {
        arm: Option<usize>,
        leg: bool,
    },
}

#[derive(Clone, Debug)]
struct Joint {
    bone: Bone,
    /// Its index in [`Model::joints`].
    model_index: usize,
    /// The nearest of our bones above it, in `joints`.
    parent: Option<usize>,
    /// How many names of its path that parent's path has (0 for a top joint): the
    /// nodes between are `path[above..len - 1]`.
    above: usize,
    /// Avatar space: from the parent joint's frame to this joint's direct parent's
    /// frame (nodes between them stay at rest); or, for a top joint, the direct
    /// parent's rest frame in avatar space.
    fixed: Mat4,
    rest: Trs,
    /// Its turn in avatar space in the pose she is moved from (the bind pose where
    /// the file has one, else the rest).
    rest_turn: Quat,
    /// That turn relative to its parent bone's in the same pose (for a top bone, in
    /// avatar space): a bone left to follow keeps it.
    ref_rel: Quat,
    /// Its position in avatar space in that pose.
    ref_pos: Vec3,
    /// Where the limb's next joint lies in this bone's own frame (unit), and how far
    /// (avatar metres).
    aim: Option<(Vec3, f32)>,
    drive: Drive,
}

/// A model's skeleton, ready to follow the animator.
#[derive(Clone, Debug)]
pub struct Retarget {
    joints: Vec<Joint>,
    /// The rig's pelvis height at rest, where the model's hips stand (her plan's).
    hip_y: f32,
    /// From the wrist to the middle of the palm (avatar metres).
    palm: f32,
}

/// Turn of a matrix with a uniform, positive scale.
fn turn(m: &Mat4) -> Quat {
    m.to_scale_rotation_translation().1
}

fn side_index(bone: Bone) -> usize {
    match bone.side() {
        Some(Side::Left) => 1,
        _ => 0,
    }
}

impl Retarget {
    /// Prepares a checked model. Bones come out parents first.
    pub fn new(model: &Model) -> Retarget {
        let avatar = model.avatar_from_model();
        let mut order: Vec<usize> = (0..model.joints.len()).collect();
        // A foot that does not hang from its lower leg (an IK-style rig) is placed at
        // the leg's end: it and what hangs from it come after the legs.
        let detached_feet: Vec<&[String]> = [Side::Left, Side::Right]
            .into_iter()
            .filter_map(|s| {
                let foot = model.joint(Bone::of(Part::Foot, Some(s))?)?;
                let shin = model.joint(Bone::of(Part::LowerLeg, Some(s))?)?;
                (!foot.path.starts_with(&shin.path)).then_some(foot.path.as_slice())
            })
            .collect();
        let under_detached_foot = |i: usize| {
            detached_feet
                .iter()
                .any(|f| model.joints[i].path.starts_with(f))
        };
        order.sort_by_key(|&i| (under_detached_foot(i), model.joints[i].path.len()));
        let spine: Vec<Bone> = [Bone::Spine, Bone::Chest, Bone::UpperChest]
            .into_iter()
            .filter(|b| model.joint(*b).is_some())
            .collect();
        let position = |b: Bone| {
            model
                .joint(b)
                .map(|j| (avatar * j.reference_world()).transform_point3(Vec3::ZERO))
        };
        let mut joints: Vec<Joint> = Vec::with_capacity(order.len());
        for &i in &order {
            let j = &model.joints[i];
            let parent = joints
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    let pp = &model.joints[p.model_index].path;
                    pp.len() < j.path.len() && j.path.starts_with(pp)
                })
                .max_by_key(|(_, p)| model.joints[p.model_index].path.len())
                .map(|(k, _)| k);
            let direct_parent_rest = avatar * j.rest_world * j.rest.matrix().inverse();
            let fixed = match parent {
                Some(k) => {
                    let anc = &model.joints[joints[k].model_index];
                    (avatar * anc.rest_world).inverse() * direct_parent_rest
                }
                None => direct_parent_rest,
            };
            let world = avatar * j.reference_world();
            let ref_rel = match parent {
                Some(k) => {
                    let anc = &model.joints[joints[k].model_index];
                    turn(&(avatar * anc.reference_world())).inverse() * turn(&world)
                }
                None => turn(&world),
            };
            let side = side_index(j.bone);
            let next = match j.bone.part() {
                Part::UpperArm => Bone::of(Part::Forearm, j.bone.side()),
                Part::Forearm => Bone::of(Part::Hand, j.bone.side()),
                Part::UpperLeg => Bone::of(Part::LowerLeg, j.bone.side()),
                Part::LowerLeg => Bone::of(Part::Foot, j.bone.side()),
                _ => None,
            };
            let here = world.transform_point3(Vec3::ZERO);
            let towards = |d: Vec3| {
                let len = d.length();
                (len > 1e-5).then(|| ((turn(&world).inverse() * d) / len, len))
            };
            let aim = match j.bone.part() {
                // A hand points on along its forearm.
                Part::Hand => Bone::of(Part::Forearm, j.bone.side())
                    .and_then(position)
                    .and_then(|elbow| towards(here - elbow)),
                _ => next.and_then(position).and_then(|to| towards(to - here)),
            };
            let drive = match j.bone.part() {
                Part::Hips => Drive::Hips,
                Part::Spine | Part::Chest | Part::UpperChest => {
                    let k = spine.iter().position(|b| *b == j.bone).unwrap_or(0);
                    Drive::Spine((k + 1) as f32 / spine.len().max(1) as f32)
                }
                Part::Neck => Drive::Neck,
                Part::Head => Drive::Head,
                Part::Eye => Drive::Eye,
                Part::Jaw => Drive::Jaw,
                Part::UpperArm if aim.is_some() => Drive::Upper { arm: true, side },
                Part::Forearm if aim.is_some() => Drive::Lower { arm: true, side },
                Part::UpperLeg if aim.is_some() => Drive::Upper { arm: false, side },
                Part::LowerLeg if aim.is_some() => Drive::Lower { arm: false, side },
                Part::Foot => Drive::Foot {
                    side,
                    placed: under_detached_foot(i),
                },
                Part::Hand if aim.is_some() => Drive::Hand(side),
                Part::Hand | Part::UpperArm | Part::Forearm => Drive::Rest {
                    arm: Some(side),
                    leg: false,
                },
                Part::UpperLeg | Part::LowerLeg | Part::Toes => Drive::Rest {
                    arm: None,
                    leg: true,
                },
                Part::Shoulder => Drive::Rest {
                    arm: None,
                    leg: false,
                },
            };
            let above = parent.map_or(0, |k| model.joints[joints[k].model_index].path.len());
            joints.push(Joint {
                bone: j.bone,
                model_index: i,
                parent,
                above,
                fixed,
                rest: j.rest,
                rest_turn: turn(&world),
                ref_rel,
                ref_pos: world.transform_point3(Vec3::ZERO),
                aim,
                drive,
            });
        }
        Retarget {
            joints,
            hip_y: model.body.hip_y,
            palm: model.body.hand * 0.5,
        }
    }

    /// The bones, parents first: each one's index in [`Model::joints`].
    pub fn model_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.joints.iter().map(|j| j.model_index)
    }

    /// For each bone (parents first), how many names of its path lie at or above its
    /// parent bone: the nodes after those and before the bone itself carry it, and
    /// their transforms now (a clip may move them) make its `between` frame for
    /// [`Retarget::solve`]. 0 for a top bone, whose `between` starts at the scene.
    pub fn above(&self) -> impl Iterator<Item = usize> + '_ {
        self.joints.iter().map(|j| j.above)
    }

    /// The bones, parents first.
    pub fn bones(&self) -> impl Iterator<Item = Bone> + '_ {
        self.joints.iter().map(|j| j.bone)
    }

    /// The way she faces (−Z in her avatar space) in one bone's own frame at rest: that
    /// bone's world rotation times this is where it faces now.
    pub fn forward_in(&self, bone: Bone) -> Option<Vec3> {
        self.joints
            .iter()
            .find(|j| j.bone == bone)
            .map(|j| j.rest_turn.inverse() * Vec3::NEG_Z)
    }

    /// From the wrist to the middle of the palm, in her avatar space's metres.
    pub fn palm(&self) -> f32 {
        self.palm
    }

    /// The local transform of each bone (in [`Retarget::bones`] order) for the rig's
    /// pose. `clip`: the clip's local transforms of the same bones, with how much of
    /// each part is the animator's. `between`: for each bone, the nodes between its
    /// parent bone and it as they are now (for a top bone, from her avatar space to
    /// its parent node), where a clip moves them; empty to take them at rest. Also
    /// gives each bone's frame in avatar space.
    pub fn solve(
        &self,
        rig: &RigFrames,
        face: FaceBones,
        clip: Option<(&[Trs], Blend)>,
        between: &[Mat4],
    ) -> (Vec<Trs>, Vec<Mat4>) {
        let n = self.joints.len();
        let mut locals = Vec::with_capacity(n);
        let mut worlds: Vec<Mat4> = Vec::with_capacity(n);
        // Where each limb's IK puts its middle and end joints: arms 0..2, legs 2..4.
        let mut ik_end = [Vec3::ZERO; 4];
        let pelvis = turn(&rig.pelvis);
        let chest = turn(&rig.chest);
        let head = turn(&rig.head);
        for (index, j) in self.joints.iter().enumerate() {
            let fixed = between.get(index).copied().unwrap_or(j.fixed);
            let parent = match j.parent {
                Some(k) => worlds[k] * fixed,
                None => fixed,
            };
            let parent_turn = turn(&parent);
            let here = parent.transform_point3(j.rest.translation);
            // Where the bone turns with its parent bone, as in the reference pose.
            let followed = match j.parent {
                Some(k) => turn(&worlds[k]) * j.ref_rel,
                None => j.ref_rel,
            };
            let swing = |to: Vec3| -> Quat {
                let (axis, _) = j.aim.unwrap_or((Vec3::NEG_Y, 0.0));
                let w0 = followed;
                let now = w0 * axis;
                let to = to.normalize_or(now);
                Quat::from_rotation_arc(now, to) * w0
            };
            let mut translation = j.rest.translation;
            let world_turn = match j.drive {
                Drive::Hips => {
                    let rest_hips = Mat4::from_translation(Vec3::Y * self.hip_y).inverse();
                    let at = (rig.pelvis * rest_hips).transform_point3(j.ref_pos);
                    translation = parent.inverse().transform_point3(at);
                    pelvis * j.rest_turn
                }
                Drive::Spine(share) => pelvis.slerp(chest, share) * j.rest_turn,
                Drive::Neck => chest.slerp(head, 0.4) * j.rest_turn,
                Drive::Head => head * j.rest_turn,
                Drive::Eye => {
                    head * Quat::from_euler(EulerRot::YXZ, face.eyes.x, face.eyes.y, 0.0)
                        * j.rest_turn
                }
                Drive::Jaw => head * Quat::from_rotation_x(-face.jaw * JAW_OPEN) * j.rest_turn,
                Drive::Upper { arm, side } => {
                    let [_, mid, end] = if arm { rig.arms[side] } else { rig.legs[side] };
                    let lower = self.lower_length(arm, side);
                    let upper = j.aim.map_or(0.0, |a| a.1);
                    let rig_root = if arm {
                        rig.arms[side][0]
                    } else {
                        rig.legs[side][0]
                    };
                    let pole = mid - (rig_root + end) * 0.5;
                    let limb = two_bone(here, end, upper, lower, pole);
                    let slot = side + if arm { 0 } else { 2 };
                    ik_end[slot] = limb.end;
                    swing(limb.mid - here)
                }
                Drive::Lower { arm, side } => {
                    let slot = side + if arm { 0 } else { 2 };
                    swing(ik_end[slot] - here)
                }
                Drive::Foot { side, placed } => {
                    if placed {
                        translation = parent.inverse().transform_point3(ik_end[side + 2]);
                    }
                    rig.feet[side] * j.rest_turn
                }
                Drive::Hand(side) => {
                    let [shoulder, _, wrist] = rig.arms[side];
                    let target = wrist + (wrist - shoulder).normalize_or_zero() * rig.palm;
                    followed.slerp(swing(target - here), rig.reach[side].clamp(0.0, 1.0))
                }
                Drive::Rest { .. } => followed,
            };
            let mut rotation = parent_turn.inverse() * world_turn;
            if let Some((clip, blend)) = clip
                && let Some(c) = clip.get(locals.len())
            {
                let own = match j.drive {
                    Drive::Neck | Drive::Head | Drive::Eye | Drive::Jaw => 1.0,
                    Drive::Upper { arm: true, side }
                    | Drive::Lower { arm: true, side }
                    | Drive::Hand(side)
                    | Drive::Rest {
                        arm: Some(side), ..
                    } => blend.arms[side],
                    Drive::Upper { arm: false, .. }
                    | Drive::Lower { arm: false, .. }
                    | Drive::Foot { .. }
                    | Drive::Rest { leg: true, .. } => blend.legs,
                    _ => blend.body,
                };
                rotation = c.rotation.slerp(rotation, own.clamp(0.0, 1.0));
                translation = c.translation.lerp(translation, own.clamp(0.0, 1.0));
            }
            let local = Trs {
                translation,
                rotation: rotation.normalize(),
                scale: j.rest.scale,
            };
            worlds.push(parent * local.matrix());
            locals.push(local);
        }
        (locals, worlds)
    }

    fn lower_length(&self, arm: bool, side: usize) -> f32 {
        self.joints
            .iter()
            .find(|j| j.drive == Drive::Lower { arm, side })
            .and_then(|j| j.aim)
            .map_or(0.0, |a| a.1)
    }

    /// Where each palm is (right, left) in avatar space, from the solved frames: from
    /// the wrist, [`Retarget::palm`] along the hand.
    pub fn palms(&self, worlds: &[Mat4]) -> [Option<Vec3>; 2] {
        [Side::Right, Side::Left].map(|s| {
            let bone = Bone::of(Part::Hand, Some(s))?;
            let k = self.joints.iter().position(|j| j.bone == bone)?;
            let (axis, _) = self.joints[k].aim?;
            let m = worlds.get(k)?;
            let wrist = m.transform_point3(Vec3::ZERO);
            Some(wrist + (turn(m) * axis).normalize_or_zero() * self.palm)
        })
    }
}
