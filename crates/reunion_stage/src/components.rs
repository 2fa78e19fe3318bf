//! What places, the participant's presence, transitions and the other crates share:
//! the markers on what a place spawns, who is who on stage, the boxes things fill,
//! and which places are on stage now.
//!
//! These are plain components and one resource; the systems that write them live in
//! `place.rs` (spawning), `scenery.rs` and `shapes.rs` (building), `presence.rs`
//! (the participant) and `transition.rs` (passages between places).

use std::sync::Arc;

use bevy::prelude::*;
use reunion_story::story::{ActorId, PlaceId, Story, ThingId};

/// Marks everything spawned for a place (roots and their parts).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceScoped(pub PlaceId);

/// The id of a thing from its scene file.
#[derive(Component, Debug, Clone, PartialEq, Eq)]
pub struct ThingName(pub String);

/// Which thing of the story a thing on stage is (conditions and cues name it so).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThingRef(pub ThingId);

/// A member of the cast standing in the place.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorBody(pub ActorId);

/// Where an actor's eyes are, relative to the actor's root (for gaze detection).
#[derive(Component, Debug, Clone, Copy)]
pub struct HeadHeight(pub f32);

/// The n-th candle of the place (in scene order).
#[derive(Component, Debug, Clone, Copy)]
pub struct CandleSlot(pub u8);

/// A candle's flame (shown when lit).
#[derive(Component)]
pub struct Flame;

/// The box a thing's shapes fill, relative to its root: what world-space subtitles
/// keep clear of. Made from the shapes themselves when they are built (so only with a
/// renderer's assets), never written by hand.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: Vec3,
    pub max: Vec3,
}

impl Bounds {
    /// The box around `self` moved by `t` (its eight corners).
    pub fn transformed(&self, t: &GlobalTransform) -> Bounds {
        let mut out = Bounds {
            min: Vec3::INFINITY,
            max: Vec3::NEG_INFINITY,
        };
        for i in 0..8 {
            let c = Vec3::new(
                if i & 1 == 0 { self.min.x } else { self.max.x },
                if i & 2 == 0 { self.min.y } else { self.max.y },
                if i & 4 == 0 { self.min.z } else { self.max.z },
            );
            let w = t.transform_point(c);
            out.min = out.min.min(w);
            out.max = out.max.max(w);
        }
        out
    }

    /// Whether `p` is inside, or within `margin` of it.
    pub fn contains(&self, p: Vec3, margin: f32) -> bool {
        p.cmpge(self.min - margin).all() && p.cmple(self.max + margin).all()
    }

    pub(crate) fn grow(&mut self, other: &Bounds) {
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

/// The cake, with the local positions of its sockets.
#[derive(Component, Debug, Clone)]
pub struct CakeSockets(pub Vec<Vec3>);

/// The places on stage now.
#[derive(Resource, Default)]
pub struct OnStage {
    /// The place the participant is in (the one entered, or being entered).
    pub place: Option<PlaceId>,
    /// A place still on stage while it dissolves away.
    pub leaving: Option<PlaceId>,
    /// The story the places were built from (a reload rebuilds them).
    pub(crate) story: Option<Arc<Story>>,
}

/// Yaw from a scene's `facing` (degrees, clockwise seen from above; 0 faces -z).
pub fn facing_rotation(facing: f32) -> Quat {
    Quat::from_rotation_y(-facing.to_radians())
}
