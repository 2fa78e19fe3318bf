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
//! | [`build`] | the rig (joint entities) and the soft shapes of the default avatar |
//! | [`gltf`] | a cast entry's glTF model instead of the built-in child: its named clips play for the gestures, its morph targets follow the face |
//! | [`drive`] | Bevy systems: build avatars as actors appear, turn cues into commands, copy poses onto the rig |
//!
//! [`AvatarPlugin`] adds the systems in [`AvatarSystems`], inside
//! `StageSystems::World`, after the places are on stage. It runs headless too: the
//! rig is built without meshes, so tests see the same skeleton move.

pub mod body;
pub mod build;
pub mod drive;
pub mod gltf;
pub mod ik;
pub mod motion;

use bevy::prelude::*;

/// Avatar systems: build, take cues, animate.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AvatarSystems;

/// Avatars for every actor on stage.
pub struct AvatarPlugin;

impl Plugin for AvatarPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(drive::plugin);
    }
}

pub mod prelude {
    pub use crate::drive::{AvatarAnimator, AvatarLook, LipSync};
    pub use crate::motion::{Animator, Command, Senses};
    pub use crate::{AvatarPlugin, AvatarSystems};
}
