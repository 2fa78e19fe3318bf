//! What each of the participant's hands grips: its grip latch, what changed this
//! frame, and the prop in it. Every interaction (her hand, props, candles) reads it.

use bevy::prelude::*;

use crate::grip::{GripChange, GripLatch};
use crate::model::{ParticipantHand, Tracking};

/// The latch of a hand's grip and what changed this frame, for every interaction.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct HandGrip {
    pub latch: GripLatch,
    pub change: Option<GripChange>,
    /// The prop in this hand.
    pub holding: Option<Entity>,
}

/// Each hand's grip latch, before anything reads it.
pub(crate) fn update_grips(time: Res<Time>, mut hands: Query<(&ParticipantHand, &mut HandGrip)>) {
    let dt = time.delta_secs();
    for (hand, mut grip) in &mut hands {
        let tracked = hand.tracking != Tracking::Lost;
        grip.change = grip.latch.update(hand.grip, tracked, dt);
    }
}
