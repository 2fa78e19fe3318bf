//! From what OpenXR reports to the hand model, as plain functions.
//!
//! Nothing here needs a runtime: the Bevy systems in [`crate::input`] gather one
//! frame's readings (a controller's grip pose, squeeze and trigger values, the
//! joints of a tracked hand, location flags) into a [`HandReading`] and
//! [`read_hand`] turns it into what `reunion_hands` wants: the palm's pose in the
//! world, a grip and a pinch from 0 to 1, and a [`Tracking`] state.
//!
//! Poses arrive in the tracking space (the play area, floor at y = 0). The
//! *tracking root* places that space in the scene: [`world_pose`] is the root's
//! transform applied to the tracked pose, and [`recentered_root`] finds the root
//! that stands the participant on a start mark, facing the way it faces.

use bevy::prelude::*;
use openxr::{Posef, SpaceLocationFlags};
use reunion_hands::model::{HandSide, Tracking};

/// The bottom of a trigger's or a grip's travel that counts as released: resting
/// fingers and worn springs read a little above zero.
pub const DEAD_ZONE: f32 = 0.1;

/// `value` (0..1) with the bottom `zone` ignored and the rest stretched back over
/// 0..1. Anything that is not a number reads as released.
pub fn dead_zone(value: f32, zone: f32) -> f32 {
    if !value.is_finite() {
        return 0.0;
    }
    ((value - zone) / (1.0 - zone)).clamp(0.0, 1.0)
}

/// An OpenXR pose as a Bevy transform (same axes: right-handed, y up, -z ahead).
/// A zero or non-finite orientation (some runtimes send one for a pose they do not
/// know) becomes the identity rather than a transform that poisons everything.
pub fn pose_to_transform(pose: &Posef) -> Transform {
    let p = pose.position;
    let q = pose.orientation;
    let rotation = Quat::from_xyzw(q.x, q.y, q.z, q.w);
    let rotation = if rotation.is_finite() && rotation.length_squared() > 1e-6 {
        rotation.normalize()
    } else {
        Quat::IDENTITY
    };
    let translation = Vec3::new(p.x, p.y, p.z);
    Transform {
        translation: if translation.is_finite() {
            translation
        } else {
            Vec3::ZERO
        },
        rotation,
        scale: Vec3::ONE,
    }
}

/// A pose in the tracking space, placed in the world by the tracking root.
pub fn world_pose(root: &Transform, pose: &Posef) -> Transform {
    root.mul_transform(pose_to_transform(pose))
}

/// How sure the runtime is of a located space: both parts valid and tracked is
/// [`Tracking::Tracked`]; valid but (partly) not tracked, a guess from the last
/// known pose or an arm model, is [`Tracking::Inferred`]; anything not valid is
/// [`Tracking::Lost`].
pub fn tracking_from_flags(flags: SpaceLocationFlags) -> Tracking {
    let valid = flags.contains(SpaceLocationFlags::POSITION_VALID)
        && flags.contains(SpaceLocationFlags::ORIENTATION_VALID);
    let tracked = flags.contains(SpaceLocationFlags::POSITION_TRACKED)
        && flags.contains(SpaceLocationFlags::ORIENTATION_TRACKED);
    match (valid, tracked) {
        (false, _) => Tracking::Lost,
        (true, true) => Tracking::Tracked,
        (true, false) => Tracking::Inferred,
    }
}

/// The controllers reunion suggests bindings for. The runtime picks one of these
/// for the controller in each hand (or rebinds another controller to one of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ControllerProfile {
    /// The Khronos simple controller: a pose, a select button, a menu button,
    /// haptics. What every runtime can offer (Monado's simulated controllers too).
    Simple,
    /// Meta Quest / Rift Touch controllers.
    OculusTouch,
    /// Valve Index "knuckles".
    ValveIndex,
    /// HTC Vive wands.
    HtcVive,
}

/// Where an action of ours is bound on one controller, as paths under
/// `/user/hand/<side>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileBindings {
    /// The grip pose: where the hand holds the controller.
    pub pose: &'static str,
    /// What closes the hand (the grip button or squeeze).
    pub squeeze: &'static str,
    /// What pinches (the trigger).
    pub trigger: &'static str,
    /// The vibration motor.
    pub haptic: &'static str,
    /// The button that, held, recenters.
    pub recenter: &'static str,
}

impl ControllerProfile {
    pub const ALL: [ControllerProfile; 4] = [
        ControllerProfile::Simple,
        ControllerProfile::OculusTouch,
        ControllerProfile::ValveIndex,
        ControllerProfile::HtcVive,
    ];

    /// The interaction profile's path.
    pub fn path(self) -> &'static str {
        match self {
            ControllerProfile::Simple => "/interaction_profiles/khr/simple_controller",
            ControllerProfile::OculusTouch => "/interaction_profiles/oculus/touch_controller",
            ControllerProfile::ValveIndex => "/interaction_profiles/valve/index_controller",
            ControllerProfile::HtcVive => "/interaction_profiles/htc/vive_controller",
        }
    }

    /// The profile the runtime says is in use, if it is one of ours.
    pub fn from_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.path() == path)
    }

    /// Input paths for each of our actions (see the profiles in the OpenXR spec,
    /// §6.4). The simple controller has one button: it both closes the hand and
    /// pinches, so everything in the story can still be done with it.
    pub fn bindings(self) -> ProfileBindings {
        match self {
            ControllerProfile::Simple => ProfileBindings {
                pose: "input/grip/pose",
                squeeze: "input/select/click",
                trigger: "input/select/click",
                haptic: "output/haptic",
                recenter: "input/menu/click",
            },
            ControllerProfile::OculusTouch => ProfileBindings {
                pose: "input/grip/pose",
                squeeze: "input/squeeze/value",
                trigger: "input/trigger/value",
                haptic: "output/haptic",
                recenter: "input/thumbstick/click",
            },
            ControllerProfile::ValveIndex => ProfileBindings {
                pose: "input/grip/pose",
                squeeze: "input/squeeze/value",
                trigger: "input/trigger/value",
                haptic: "output/haptic",
                recenter: "input/thumbstick/click",
            },
            ControllerProfile::HtcVive => ProfileBindings {
                pose: "input/grip/pose",
                squeeze: "input/squeeze/click",
                trigger: "input/trigger/value",
                haptic: "output/haptic",
                recenter: "input/menu/click",
            },
        }
    }

    /// Where the palm is in the controller's grip space, for the hand model (palm
    /// centre, fingers along -z, back of the hand +y).
    ///
    /// The grip pose (OpenXR §6.3) sits in the middle of the closed fist with -z
    /// along the handle from the little finger to the thumb and +x to the right for
    /// either hand, so +y points back along the forearm. A fist's knuckles point
    /// away from the wrist (-y), the back of the hand faces out (+x for the right
    /// hand, -x for the left), and the palm's centre lies a little towards the back
    /// of the hand and the wrist from the handle's axis. The distances are
    /// estimates from the controllers' shapes, never measured on a headset.
    pub fn palm_in_grip(self, side: HandSide) -> Transform {
        let (across, wristward) = match self {
            ControllerProfile::Simple | ControllerProfile::HtcVive => (0.025, 0.03),
            ControllerProfile::OculusTouch => (0.03, 0.03),
            // The Index strap holds the palm against a thicker handle.
            ControllerProfile::ValveIndex => (0.035, 0.03),
        };
        let s = side.sign();
        // The model's axes in grip space: back of the hand +y, fingers -z.
        let back = Vec3::X * s;
        let behind = Vec3::Y;
        let x = back.cross(behind);
        Transform {
            translation: Vec3::new(s * across, wristward, 0.0),
            rotation: Quat::from_mat3(&Mat3::from_cols(x, back, behind)),
            scale: Vec3::ONE,
        }
    }
}

/// What one controller said this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ControllerReading {
    /// The grip pose in the tracking space and how sure the runtime is of it.
    pub grip: Posef,
    pub flags: SpaceLocationFlags,
    /// The squeeze and trigger values (0..1; a button reads 0 or 1), `None` when
    /// the action is not bound or not active on this controller.
    pub squeeze: Option<f32>,
    pub trigger: Option<f32>,
    /// Which controller it is; `None` for one we have no bindings for (then the
    /// simple controller's palm offset is used).
    pub profile: Option<ControllerProfile>,
}

/// What hand tracking (XR_EXT_hand_tracking) said this frame, for the joints we
/// use, in the tracking space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JointsReading {
    /// The palm joint (its axes are the hand model's: fingers -z, back +y).
    pub palm: Posef,
    pub palm_flags: SpaceLocationFlags,
    /// Fingertips: thumb, index, middle, ring, little.
    pub tips: [Vec3; 5],
}

/// One hand's readings; either or both may be missing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HandReading {
    pub joints: Option<JointsReading>,
    pub controller: Option<ControllerReading>,
}

/// What the hand model gets for one hand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandState {
    /// The palm in the world; `None` when nothing knows where the hand is (the
    /// hand keeps its last pose and is marked lost).
    pub palm: Option<Transform>,
    pub grip: f32,
    pub pinch: f32,
    pub tracking: Tracking,
}

/// A fingertip this far from the palm centre (average over the four fingers) is an
/// open hand, metres; this near, a fist.
pub const CURL_OPEN: f32 = 0.085;
pub const CURL_CLOSED: f32 = 0.035;
/// Thumb and index tips this far apart are not pinching; this near, pinching.
pub const PINCH_APART: f32 = 0.06;
pub const PINCH_TOUCH: f32 = 0.015;

/// How closed a tracked hand is, from how near its four fingertips come to the
/// palm (0 open, 1 a fist).
pub fn grip_from_curl(palm: Vec3, tips: &[Vec3; 5]) -> f32 {
    let mean = tips[1..].iter().map(|t| t.distance(palm)).sum::<f32>() / 4.0;
    ((CURL_OPEN - mean) / (CURL_OPEN - CURL_CLOSED)).clamp(0.0, 1.0)
}

/// How much a tracked hand pinches, from the distance between thumb and index tips.
pub fn pinch_from_tips(tips: &[Vec3; 5]) -> f32 {
    let d = tips[0].distance(tips[1]);
    ((PINCH_APART - d) / (PINCH_APART - PINCH_TOUCH)).clamp(0.0, 1.0)
}

/// One hand for the model. The pose comes from hand tracking when the palm is
/// located, else from the controller's grip pose and its palm offset; with neither
/// the hand is lost and keeps its last pose. Grip and
/// pinch are the larger of what the fingers show and what the buttons say, so a
/// runtime that offers both (SteamVR emulating joints for a controller) still
/// closes the hand on the grip button.
pub fn read_hand(side: HandSide, root: &Transform, reading: &HandReading) -> HandState {
    let from_joints = reading
        .joints
        .filter(|j| tracking_from_flags(j.palm_flags) != Tracking::Lost);
    let from_controller = reading
        .controller
        .filter(|c| tracking_from_flags(c.flags) != Tracking::Lost);
    let buttons = |c: &ControllerReading| {
        (
            c.squeeze.map_or(0.0, |v| dead_zone(v, DEAD_ZONE)),
            c.trigger.map_or(0.0, |v| dead_zone(v, DEAD_ZONE)),
        )
    };
    let (b_grip, b_pinch) = reading.controller.as_ref().map_or((0.0, 0.0), buttons);
    if let Some(j) = from_joints {
        let palm = pose_to_transform(&j.palm).translation;
        return HandState {
            palm: Some(world_pose(root, &j.palm)),
            grip: grip_from_curl(palm, &j.tips).max(b_grip),
            pinch: pinch_from_tips(&j.tips).max(b_pinch),
            tracking: tracking_from_flags(j.palm_flags),
        };
    }
    if let Some(c) = from_controller {
        let profile = c.profile.unwrap_or(ControllerProfile::Simple);
        let grip = world_pose(root, &c.grip);
        return HandState {
            palm: Some(grip.mul_transform(profile.palm_in_grip(side))),
            grip: b_grip,
            pinch: b_pinch,
            tracking: tracking_from_flags(c.flags),
        };
    }
    // Nothing knows where the hand is. The buttons still say what they say; the
    // grip latch decides how long a lost hand keeps holding.
    HandState {
        palm: None,
        grip: b_grip,
        pinch: b_pinch,
        tracking: Tracking::Lost,
    }
}

/// The yaw of a rotation: the angle about +y of where its -z points, flattened
/// (0 looks down -z, positive turns left). Looking straight up or down, the yaw is
/// read from where the top of the head points instead.
pub fn yaw_of(rotation: Quat) -> f32 {
    let f = rotation * Vec3::NEG_Z;
    let flat = Vec2::new(f.x, f.z);
    if flat.length_squared() > 1e-4 {
        return f32::atan2(-f.x, -f.z);
    }
    // Looking down, the top of the head points ahead; looking up, behind.
    let up = rotation * Vec3::Y * -f.y.signum();
    f32::atan2(-up.x, -up.z)
}

/// The tracking root that stands the participant's head (located at `head` in the
/// tracking space) right above `mark` and turns her to face `facing` (a rotation
/// about +y), with the tracking space's floor on the mark's floor. Only yaw and
/// the floor position change: her own height and tilt stay hers.
pub fn recentered_root(mark: Vec3, facing: Quat, head: &Transform) -> Transform {
    let turn = Quat::from_rotation_y(yaw_of(facing) - yaw_of(head.rotation));
    let level = Vec3::new(head.translation.x, 0.0, head.translation.z);
    Transform {
        translation: mark - turn * level,
        rotation: turn,
        scale: Vec3::ONE,
    }
}

/// How long the recenter button must be held, seconds: a brush of the thumbstick
/// must not move the world.
pub const RECENTER_HOLD: f32 = 1.0;

/// A button that fires once it has been held for [`RECENTER_HOLD`], and not again
/// until it is let go.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HeldButton {
    held: f32,
    fired: bool,
}

impl HeldButton {
    /// Feed one frame; true on the frame the hold completes.
    pub fn update(&mut self, pressed: bool, dt: f32) -> bool {
        if !pressed {
            *self = Self::default();
            return false;
        }
        self.held += dt;
        if !self.fired && self.held >= RECENTER_HOLD {
            self.fired = true;
            return true;
        }
        false
    }
}

/// The strongest and longest buzz we send, so a bad request cannot rattle a
/// controller for a minute.
pub const HAPTIC_MAX_SECONDS: f32 = 2.0;

/// A haptic request as OpenXR wants it: amplitude 0..1 and a duration in
/// nanoseconds (at least a millisecond, at most [`HAPTIC_MAX_SECONDS`]); `None`
/// for a request that asks for nothing.
pub fn vibration(amplitude: f32, seconds: f32) -> Option<(f32, i64)> {
    let amplitude = if amplitude.is_finite() {
        amplitude.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let seconds = if seconds.is_finite() { seconds } else { 0.0 };
    if amplitude <= 0.0 || seconds <= 0.0 {
        return None;
    }
    let nanos = (seconds.min(HAPTIC_MAX_SECONDS) * 1e9) as i64;
    Some((amplitude, nanos.max(1_000_000)))
}
