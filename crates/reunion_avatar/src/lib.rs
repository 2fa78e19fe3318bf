//! # reunion_avatar
//!
//! The child the participant meets: a procedural avatar built from the cast entry's
//! look, animated in layers by the director's cues.
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`body`] | proportions of a stylised child from her height |
//! | [`ik`] | two-bone IK for arms and legs, with reach limits |
//! | [`motion`] | the pure animator: idle (breathing, weight shifts, seeded blinks), gestures, expressions, talking, walking, holding a hand, lying down, gaze with saccades |
//! | [`child`] | the built-in child: the rig (joint entities) and the soft shapes on it |
//! | [`gltf`] | a cast entry's glTF or VRM model instead of the built-in child: loaded, its scene spawned, its clips by our names played for the gestures |
//! | [`retarget`] | pure: the animator's pose onto a model's own skeleton (rest pose, rolls and proportions its own), over its clips |
//! | [`face_channels`] | pure: the animator's face as face channels, and the face map's answer as morph weights and the jaw |
//! | [`model`] | a model's bones found by name and driven each frame after its clips, its morph targets set |
//! | [`components`] | what an avatar carries: its animator, the voice's mouth opening, a look to build from |
//! | [`systems`] | Bevy systems: build avatars as actors appear, turn cues into commands, copy poses onto the rig |
//!
//! [`AvatarPlugin`] adds the systems in [`AvatarSystems`], inside
//! `StageSystems::World`, after the places are on stage. It runs headless too: the
//! rig is built without meshes, so tests see the same skeleton move.

pub mod body;
pub mod child;
pub mod components;
pub mod face_channels;
pub mod gltf;
pub mod ik;
pub mod model;
pub mod motion;
pub mod retarget;
pub mod systems;

use bevy::prelude::*;

/// Avatar systems: build, take cues, animate.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AvatarSystems;

/// Models' bones and faces set from the animator, in PostUpdate after Bevy's
/// animation and before transforms propagate.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModelSystems;

/// Avatars for every actor on stage.
pub struct AvatarPlugin;

impl Plugin for AvatarPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(systems::plugin);
    }
}

pub mod prelude {
    pub use crate::components::{AvatarAnimator, AvatarLook, AvatarModel, LipSync};
    pub use crate::model::ModelRig;
    pub use crate::motion::{Animator, Command, Senses};
    pub use crate::{AvatarPlugin, AvatarSystems, ModelSystems};
}
