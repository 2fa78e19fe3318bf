//! A cast member's model at run time: everything the avatar needs to drive a rigged
//! humanoid without reading its file again.
//!
//! The checker ([`crate::load`]) reads the file once and fills a [`Model`]: the clips
//! it plays by our names, the face map ([`FaceMap`]: our face channels onto its
//! shapes), each of our bones it found ([`ModelJoint`]: the node, its path of names
//! from the scene root, its rest transform), which way the model faces ([`Facing`]),
//! its height and the scale the cast entry's `height` asks for, and a [`BodyPlan`] of
//! her proportions for the animator.
//!
//! # Spaces
//!
//! - **The model's own space** is the glTF scene's: the file's units, its facing, its
//!   origin. [`ModelJoint::rest_world`] is in it.
//! - **Her avatar space** is the built-in avatar's: metres, origin on the floor
//!   between her feet, y up, facing −Z, her right at +X. [`Model::avatar_from_model`]
//!   takes the model's own space there (scaled to `height`, turned to face −Z);
//!   [`BodyPlan`] is measured in it.
//!
//! Bevy names a glTF node's entity after the node (an unnamed node `GltfNode{index}`)
//! and puts the default scene's root nodes under one scene entity. A joint's
//! [`ModelJoint::path`] starts at one of those root nodes, so the avatar finds the
//! joint's entity by walking down from the scene entity, even where a mesh node has
//! its bone's name (RobotExpressive's `Head` mesh under its `Head` bone).

use std::collections::BTreeMap;
use std::path::PathBuf;

use glam::{Mat4, Quat, Vec3};

use super::{GESTURES, Gesture, gesture_clip_name};
use crate::face_shapes::{FaceChannel, FaceMap, FaceTarget};
use crate::humanoid::{Bone, Convention};

/// A cast member's model, checked: a humanoid with a skin, every rename applied.
///
/// Look clips up with [`Model::gesture_clip`] and [`Model::clip`] ([`super::IDLE_CLIP`],
/// [`super::WALK_CLIP`]); a gesture with no clip is made by the animator
/// ([`Model::is_procedural`]). The face is [`Model::face`]; bones are
/// [`Model::joint`].
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// The `.glb`, `.gltf` or `.vrm` file, relative to the story folder.
    pub file: PathBuf,
    /// Our clip name (`"idle"`, `"walk"`, `"wave"`, …; see [`gesture_clip_name`]) → the
    /// animation's name in the file: each of our clips the file has (by our name in any
    /// case, or renamed under `clips`). May be empty: the animator then makes every
    /// motion.
    pub clips: BTreeMap<String, String>,
    /// Our face channels onto the model's morph targets, VRM expressions or jaw bone.
    pub face: FaceMap,
    /// Each of our bones the model has, in [`Bone::ALL`] order (all of
    /// [`Bone::REQUIRED`] are there).
    pub joints: Vec<ModelJoint>,
    /// The naming convention its skeleton follows.
    pub convention: Convention,
    /// The way she faces in the model's own space.
    pub facing: Facing,
    /// Her height in the model's own units, before `scale`: from the floor (the lowest
    /// point of what the model draws, else its lowest foot joint) to the top of her head
    /// (the top of what it draws, when that is above the head bone; else the joint at
    /// the end of the head bone, `HeadTop_End`; else the eyes' height × 1.06).
    pub own_height: f32,
    /// The uniform scale that makes her `height:` tall (1 without `height:`).
    pub scale: f32,
    /// The point of the model's own space that becomes her avatar space's origin: on
    /// the floor, between her feet.
    pub origin: Vec3,
    /// Her proportions in her avatar space, for the animator.
    pub body: BodyPlan,
    /// The file's VRM expressions that move morph targets, with the targets they move:
    /// what a face map's [`FaceTarget::Expression`] means. Empty for a plain glTF.
    pub expressions: Vec<ExpressionBinds>,
}

/// A VRM expression and the morph targets it moves.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpressionBinds {
    /// Its name in the file (`aa`, `blink`, `happy`, a custom name).
    pub name: String,
    pub binds: Vec<MorphBind>,
}

/// One morph target of a mesh node, at a weight.
#[derive(Clone, Debug, PartialEq)]
pub struct MorphBind {
    /// The mesh node's names from a root node of the default scene, as a joint's
    /// [`ModelJoint::path`].
    pub path: Vec<String>,
    /// The morph target's index in the node's mesh.
    pub index: usize,
    /// 0..1: the target's weight when the expression is fully on.
    pub weight: f32,
}

/// One of our bones in the model.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelJoint {
    pub bone: Bone,
    /// The node's index in the file.
    pub node: usize,
    /// The node's name (`GltfNode{index}` when it has none, as Bevy names it).
    pub name: String,
    /// The names from a root node of the default scene down to this node, both
    /// included: `["Armature", "Hips", "Spine"]`. Names can repeat in a file (a mesh
    /// node named like its bone); the path does not.
    pub path: Vec<String>,
    /// The rest transform, relative to the parent node (the file's TRS, or its matrix
    /// decomposed as Bevy decomposes it).
    pub rest: Trs,
    /// The rest transform in the model's own space (the parents' transforms times this
    /// one's), before `scale` and facing.
    pub rest_world: Mat4,
    /// Its transform in the skin's bind pose, in the model's own space (the pose its
    /// mesh was modelled in: `GltfModel::joint_bind_pose`), when it is a skin's
    /// joint. Exporters may leave the nodes' rest transforms in another pose (a clip's
    /// first frame); the bind pose is the one the mesh looks right in.
    pub bind_world: Option<Mat4>,
}

impl ModelJoint {
    /// The bind pose where there is one, else the rest: the pose to move her from.
    pub fn reference_world(&self) -> Mat4 {
        self.bind_world.unwrap_or(self.rest_world)
    }

    /// The joint's rest position in the model's own space.
    pub fn rest_position(&self) -> Vec3 {
        self.rest_world.transform_point3(Vec3::ZERO)
    }
}

/// A translation, rotation and scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trs {
    pub translation: Vec3,
    pub rotation: Quat,
    pub scale: Vec3,
}

impl Trs {
    pub fn matrix(&self) -> Mat4 {
        Mat4::from_scale_rotation_translation(self.scale, self.rotation, self.translation)
    }
}

/// Which way a model faces in its own space. glTF characters (and VRM 1.0) face +Z;
/// VRM 0.x and some exports face −Z. Found from the skeleton: her right (the right
/// upper arm and upper leg minus the left ones) and up give forward = up × right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facing {
    PlusZ,
    MinusZ,
}

impl Facing {
    /// The direction she faces in the model's own space.
    pub fn forward(self) -> Vec3 {
        match self {
            Facing::PlusZ => Vec3::Z,
            Facing::MinusZ => Vec3::NEG_Z,
        }
    }

    /// The turn about +Y that makes her face −Z, as the built-in avatar does.
    pub fn turn_to_avatar(self) -> Quat {
        match self {
            Facing::PlusZ => Quat::from_rotation_y(std::f32::consts::PI),
            Facing::MinusZ => Quat::IDENTITY,
        }
    }

    /// `+Z` or `-Z`.
    pub fn label(self) -> &'static str {
        match self {
            Facing::PlusZ => "+Z",
            Facing::MinusZ => "-Z",
        }
    }
}

/// Her proportions, measured on the model's rest skeleton, in her avatar space
/// (metres, after `height:`; heights from the floor). Where the two sides differ, the
/// mean of both. The fields mirror the built-in avatar's proportions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BodyPlan {
    /// Feet to the top of her head.
    pub height: f32,
    /// Where the legs hang: the upper legs' joints.
    pub hip_y: f32,
    /// Where the trunk bends: the spine bone's joint.
    pub waist_y: f32,
    /// The chest bone's joint (else the upper chest's, else midway from the waist to
    /// the neck).
    pub chest_y: f32,
    /// The bottom of the neck: the neck bone's joint.
    pub neck_base_y: f32,
    /// Where the head turns, the top of the neck: the head bone's joint (the built-in
    /// avatar's `neck_y`).
    pub neck_y: f32,
    /// Half the head's height above the neck: (height − neck_y) / 2.05, as the
    /// built-in avatar relates them.
    pub head_radius: f32,
    /// The centre of the head: midway from `neck_y` to the top of her head.
    pub head_centre_y: f32,
    /// The eye bones' joints; without eye bones, a tenth of `head_radius` below the
    /// head's centre (as the built-in avatar).
    pub eye_y: f32,
    /// The shoulder joints (where the upper arms turn).
    pub shoulder_y: f32,
    /// Half the distance between the shoulder joints, across her.
    pub shoulder_half: f32,
    /// Half the distance between the hip joints, across her.
    pub hip_half: f32,
    /// Shoulder joint to elbow joint.
    pub upper_arm: f32,
    /// Elbow joint to wrist joint.
    pub forearm: f32,
    /// Wrist joint to the farthest joint below it (the fingers' last joints); 0.75 ×
    /// `forearm` when nothing hangs below the wrist.
    pub hand: f32,
    /// Hip joint to knee joint.
    pub thigh: f32,
    /// Knee joint to ankle joint.
    pub shin: f32,
    /// The ankle (foot bone's) joint above the floor.
    pub ankle: f32,
    /// From the ankle forward to the farthest joint below the foot (the toes, or their
    /// end), along the floor; 0.12 × `height` when nothing hangs below the foot.
    pub foot: f32,
}

impl BodyPlan {
    /// Every figure, in declaration order.
    fn figures(&self) -> [f32; 19] {
        [
            self.height,
            self.hip_y,
            self.waist_y,
            self.chest_y,
            self.neck_base_y,
            self.neck_y,
            self.head_radius,
            self.head_centre_y,
            self.eye_y,
            self.shoulder_y,
            self.shoulder_half,
            self.hip_half,
            self.upper_arm,
            self.forearm,
            self.hand,
            self.thigh,
            self.shin,
            self.ankle,
            self.foot,
        ]
    }

    /// Whether every figure is a finite number.
    pub fn is_finite(&self) -> bool {
        self.figures().iter().all(|f| f.is_finite())
    }

    /// Every figure times `s` (they are all lengths, or heights above the floor).
    pub fn scaled(&self, s: f32) -> BodyPlan {
        BodyPlan {
            height: self.height * s,
            hip_y: self.hip_y * s,
            waist_y: self.waist_y * s,
            chest_y: self.chest_y * s,
            neck_base_y: self.neck_base_y * s,
            neck_y: self.neck_y * s,
            head_radius: self.head_radius * s,
            head_centre_y: self.head_centre_y * s,
            eye_y: self.eye_y * s,
            shoulder_y: self.shoulder_y * s,
            shoulder_half: self.shoulder_half * s,
            hip_half: self.hip_half * s,
            upper_arm: self.upper_arm * s,
            forearm: self.forearm * s,
            hand: self.hand * s,
            thigh: self.thigh * s,
            shin: self.shin * s,
            ankle: self.ankle * s,
            foot: self.foot * s,
        }
    }
}

impl Model {
    /// The file's name for one of our clips (`"idle"`, `"walk"`, `"wave"`, …).
    pub fn clip(&self, ours: &str) -> Option<&str> {
        self.clips.get(ours).map(String::as_str)
    }

    /// The file's name for a gesture's clip; `None` when the animator makes the gesture.
    pub fn gesture_clip(&self, gesture: Gesture) -> Option<&str> {
        self.clip(gesture_clip_name(gesture))
    }

    /// Whether the animator makes this gesture (the file has no clip for it).
    pub fn is_procedural(&self, gesture: Gesture) -> bool {
        self.gesture_clip(gesture).is_none()
    }

    /// The gestures the file has clips for, in [`GESTURES`] order.
    pub fn gestures_with_clips(&self) -> Vec<Gesture> {
        GESTURES
            .into_iter()
            .filter(|g| !self.is_procedural(*g))
            .collect()
    }

    /// The first morph target a face channel moves, by our channel name (`"blink"`,
    /// `"mouth_open"`, `"smile"`, `"aa"`, ...). A channel may move several targets at
    /// several weights (ARKit's `eyeBlinkLeft` and `eyeBlinkRight` for `blink`):
    /// [`FaceMap::apply`] drives them all.
    pub fn morph(&self, channel: &str) -> Option<&str> {
        let channel = FaceChannel::from_name(channel)?;
        self.face.get(channel).iter().find_map(|w| match &w.target {
            FaceTarget::Morph(name) => Some(name.as_str()),
            _ => None,
        })
    }

    /// A VRM expression's binds, by its name in the file.
    pub fn expression(&self, name: &str) -> Option<&ExpressionBinds> {
        self.expressions.iter().find(|e| e.name == name)
    }

    /// One of our bones in the model, if it has it.
    pub fn joint(&self, bone: Bone) -> Option<&ModelJoint> {
        self.joints.iter().find(|j| j.bone == bone)
    }

    /// Whether the skeleton has a jaw bone.
    pub fn has_jaw(&self) -> bool {
        self.joint(Bone::Jaw).is_some()
    }

    /// Whether the skeleton has both eye bones (gaze can turn the eyes).
    pub fn has_eyes(&self) -> bool {
        self.joint(Bone::LeftEye).is_some() && self.joint(Bone::RightEye).is_some()
    }

    /// Her height in metres, as shown: [`Model::own_height`] × [`Model::scale`].
    pub fn height(&self) -> f32 {
        self.own_height * self.scale
    }

    /// The model's own space into her avatar space: moves [`Model::origin`] to the
    /// origin, turns her to face −Z and scales her to her height. The transform of the
    /// model's scene under her root.
    pub fn avatar_from_model(&self) -> Mat4 {
        Mat4::from_quat(self.facing.turn_to_avatar())
            * Mat4::from_scale(Vec3::splat(self.scale))
            * Mat4::from_translation(-self.origin)
    }
}
