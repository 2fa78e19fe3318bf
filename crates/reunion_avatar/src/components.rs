//! The components an avatar carries: its animator and what it is doing, the mouth's
//! opening from the voice, and a look to build it from instead of the cast entry's.

use bevy::prelude::*;
use reunion_story::story::{ActorId, Look, NodeId};

use crate::motion::{Animator, Pose};

/// The animator of an actor on stage, and what she is doing.
#[derive(Component, Debug)]
pub struct AvatarAnimator {
    pub animator: Animator,
    /// The line she is saying.
    pub line: Option<NodeId>,
    /// Someone else speaking: she looks at them until then.
    pub listening: Option<(ActorId, f64)>,
    /// The last pose, for the face and for tests.
    pub pose: Option<Pose>,
    /// Her line's mouth is timed by its voice clip (its voiced stretches and
    /// loudness), not only by its text.
    pub voiced: bool,
}

/// Mouth openness (0..1) from the voice clip playing for this actor, written by the
/// audio each frame while a clip plays; without it she talks by the text's timing.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct LipSync(pub Option<f32>);

/// A look to build this actor from, instead of her cast entry (examples, tools).
#[derive(Component, Debug, Clone)]
pub struct AvatarLook(pub Look);

/// Her root's world transform as it is this frame (a transition may have moved her
/// since transforms last propagated), for the animator's senses and her model's palm.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct RootNow(pub GlobalTransform);

/// The participant's hand that holds an actor's hand, where it is this frame.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct HeldHandNow(pub Option<(ActorId, Vec3)>);

/// A model to show this actor as, with [`AvatarLook`], instead of her cast entry's
/// (examples, tools).
#[derive(Component, Debug, Clone)]
pub struct AvatarModel(pub reunion_story::story::Model);

/// The loudness of the voice clip of the line an actor says, from the audio once the
/// clip is decoded: her mouth's shapes are then laid on its voiced stretches.
#[derive(Component, Debug, Clone, Default)]
pub struct LineVoice(pub Option<(NodeId, std::sync::Arc<reunion_story::visemes::Envelope>)>);
