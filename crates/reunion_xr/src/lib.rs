//! # reunion_xr
//!
//! The story in a headset, through OpenXR (bevy_mod_openxr, Vulkan). The
//! participant's head drives the eye cameras and the stage's `ParticipantHead`;
//! the participant's hands come from hand tracking where the runtime offers it and from the
//! controllers otherwise, into the same hand model the flat emulation writes
//! (`reunion_hands::model`). Haptic requests play on the controllers. While the
//! headset is off or something else has its focus, the director holds, and it
//! resumes when she is back.
//!
//! The logic lives in plain functions that are tested without a runtime
//! ([`mapping`], [`lifecycle`]); the systems only gather what OpenXR reports and
//! hand it over.
//!
//! | part | what it does |
//! | --- | --- |
//! | [`XrPlugin`] | everything below; add it to an app built with `bevy_mod_openxr::add_xr_plugins` |
//! | [`actions`] | one action set: grip pose, squeeze, trigger, haptics and a recenter button per hand; bindings for the simple controller, Touch, Index and Vive; attached at session start, synced each frame |
//! | [`input`] | the head from a VIEW space, each hand from its tracked joints or its controller, into the model in `HandsSystems::Read`; the tracking root on the place's start mark, recentering |
//! | [`session`] | session states from OpenXR's events; the director held while unfocused (and only our hold resumed); the app ended on exit or loss; the headset's state on the mirror window |
//! | [`haptics`] | `HapticRequest`s played with `apply_feedback` |
//! | [`mapping`] | values, poses, flags and fingers → the hand model; recentering; haptic limits (pure) |
//! | [`lifecycle`] | session state → hold, resume, end (pure) |
//! | [`probe`] | is there a loader, a runtime and a headset, and what to say if not (no session) |
//!
//! Systems run in the stage's order: reading in `StageSystems::Input` (inside
//! `HandsSystems::Read`), haptics in `PostUpdate` after every request of the frame.
//! Everything that needs a session is gated on bevy_mod_openxr's
//! `openxr_session_available` / `openxr_session_running`.

pub mod actions;
pub mod haptics;
pub mod input;
pub mod lifecycle;
pub mod mapping;
pub mod probe;
pub mod session;

use bevy::prelude::*;

/// The headset: head, hands, haptics, the session's life.
pub struct XrPlugin;

impl Plugin for XrPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins((
            actions::plugin,
            input::plugin,
            session::plugin,
            haptics::plugin,
        ));
    }
}

/// The names most users need.
pub mod prelude {
    pub use crate::XrPlugin;
    pub use crate::input::{RecenterRequest, TrackingRoot};
    pub use crate::lifecycle::Lifecycle;
    pub use crate::session::HeadsetStatus;
}
