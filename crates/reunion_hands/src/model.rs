//! The hand model: what every input writes and every interaction reads.
//!
//! Each of the participant's hands is an entity with a [`ParticipantHand`] (its side,
//! grip and pinch from 0 to 1, and whether it is tracked) and a top-level
//! `Transform`, which is its pose in the world: the centre of the palm, fingers along
//! -z, the back of the hand towards +y. The head is the stage's `ParticipantHead`
//! entity with a [`Tracking`] of its own.
//!
//! Inputs write these in [`HandsSystems::Read`](crate::HandsSystems::Read): the flat
//! emulation (mouse and keys), the puppeteer (autopilot, scripts, the console's and
//! the keys' "do it for me" actions), a headset's controllers or hand tracking, tests.
//! Interaction code reads only these components and never knows which input is live.

use bevy::prelude::*;
use reunion_stage::presence::{HandHeights, ParticipantHead};

/// Which hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandSide {
    Left,
    Right,
}

impl HandSide {
    /// +1 for the right hand, -1 for the left: the side of the body it hangs on.
    pub fn sign(self) -> f32 {
        match self {
            HandSide::Left => -1.0,
            HandSide::Right => 1.0,
        }
    }

    pub fn other(self) -> Self {
        match self {
            HandSide::Left => HandSide::Right,
            HandSide::Right => HandSide::Left,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            HandSide::Left => "left",
            HandSide::Right => "right",
        }
    }
}

/// Whether an input knows where a hand (or the head) is.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tracking {
    /// Seen and placed: it interacts.
    #[default]
    Tracked,
    /// Placed from a guess (a controller out of view): it still holds what it held,
    /// but does not take anything new.
    Inferred,
    /// Not known: it neither shows nor interacts; what it held is let go after a
    /// moment's grace.
    Lost,
}

/// One of the participant's hands. Its `Transform` (top-level, so local is world)
/// is the palm's pose.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct ParticipantHand {
    pub side: HandSide,
    /// How closed the hand is: 0 open, 1 a fist (a controller's grip button).
    pub grip: f32,
    /// Thumb and finger together: 0 apart, 1 touching (a controller's trigger).
    pub pinch: f32,
    pub tracking: Tracking,
}

impl ParticipantHand {
    pub fn new(side: HandSide) -> Self {
        Self {
            side,
            grip: 0.0,
            pinch: 0.0,
            tracking: Tracking::Tracked,
        }
    }
}

/// Which input writes the hands now, for the screen and the log.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HandInput {
    /// Nothing yet: the hands rest at her sides.
    #[default]
    Resting,
    /// The mouse and keys of the flat-screen mode.
    Flat,
    /// The puppeteer, acting out a participant action.
    Puppeteer,
    /// A headset's controllers or hand tracking.
    Headset,
    /// A test, writing the components itself.
    Scripted,
}

/// A request to buzz a controller: written on taking and letting go of her hand and
/// on a candle snapping into the cake. The XR input plays it; flat mode logs it.
#[derive(Message, Clone, Copy, Debug, PartialEq)]
pub struct HapticRequest {
    pub side: HandSide,
    /// 0..1.
    pub amplitude: f32,
    pub seconds: f32,
}

/// How far a hand reaches from the eyes in flat mode and for the puppeteer, metres:
/// an arm at full stretch with a little lean (a desk user cannot crouch to a child's
/// hand, so a touch more than a real arm).
pub const REACH: f32 = 1.5;

/// Where a hand hangs at rest, relative to the head: at the side, a little forward.
pub fn rest_position(head: &GlobalTransform, side: HandSide) -> Vec3 {
    let (forward, right) = flat_axes(head);
    head.translation() + right * side.sign() * 0.2 + forward * 0.12 - Vec3::Y * 0.72
}

/// The head's forward and right, level with the ground.
pub fn flat_axes(head: &GlobalTransform) -> (Vec3, Vec3) {
    let forward = head
        .forward()
        .as_vec3()
        .with_y(0.0)
        .normalize_or(Vec3::NEG_Z);
    (forward, Vec3::new(-forward.z, 0.0, forward.x))
}

/// Spawns the two hands, at rest beside the head.
pub(crate) fn spawn_hands(mut commands: Commands) {
    for side in [HandSide::Left, HandSide::Right] {
        commands.spawn((
            Name::new(format!("participant {} hand", side.name())),
            ParticipantHand::new(side),
            Transform::from_xyz(side.sign() * 0.2, 0.88, -0.12),
            Visibility::default(),
        ));
    }
}

/// The head gets a tracking state of its own.
pub(crate) fn track_head(
    mut commands: Commands,
    heads: Query<Entity, (With<ParticipantHead>, Without<Tracking>)>,
) {
    for head in &heads {
        commands.entity(head).insert(Tracking::Tracked);
    }
}

/// The exit detector reads the hands' heights: whatever input moves them, raising
/// both above the head is the way out.
pub(crate) fn write_hand_heights(
    hands: Query<(&ParticipantHand, &Transform)>,
    mut heights: ResMut<HandHeights>,
) {
    let mut h = HandHeights::default();
    for (hand, t) in &hands {
        let y = (hand.tracking != Tracking::Lost).then_some(t.translation.y);
        match hand.side {
            HandSide::Left => h.left = y,
            HandSide::Right => h.right = y,
        }
    }
    if h.left != heights.left || h.right != heights.right {
        *heights = h;
    }
}

/// Flat mode and tests have no controller to buzz: haptic requests are logged.
pub(crate) fn log_haptics(mut requests: MessageReader<HapticRequest>) {
    for r in requests.read() {
        info!(
            "haptic: {} hand, {:.2} for {:.2} s",
            r.side.name(),
            r.amplitude,
            r.seconds
        );
    }
}
