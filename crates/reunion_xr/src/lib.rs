//! # reunion_xr
//!
//! The story in a headset, through OpenXR. This first part is the logic, as plain
//! functions tested without a runtime:
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`mapping`] | values, poses, flags and fingers → the hand model; recentering; haptic limits |
//! | [`lifecycle`] | session state → hold, resume, end |
//! | [`probe`] | is there a loader, a runtime and a headset, and what to say if not (no session) |

pub mod lifecycle;
pub mod mapping;
pub mod probe;
