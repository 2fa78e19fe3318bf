//! The headset session's life and what the story does about it, as plain logic.
//!
//! OpenXR tells the app its session's state (IDLE → READY → SYNCHRONIZED → VISIBLE
//! → FOCUSED, and back down through STOPPING; LOSS_PENDING and EXITING at the end).
//! Only a FOCUSED session has the participant in the headset with input going to
//! us: a headset taken off, a system menu in front, or a runtime that has not
//! started showing us yet all mean nobody is in the story, so the director holds.
//! [`FocusHold`] remembers whether the hold is ours, so coming back resumes only
//! what we held and never an operator's hold. [`ending`] says when the app ends
//! and with what message.

use openxr::SessionState;

/// What a session state means for reunion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    /// Created, not running yet, or stopped and waiting (IDLE, READY): often a
    /// headset that is not worn.
    Waiting,
    /// Frames are shown but nobody sees them (SYNCHRONIZED).
    Hidden,
    /// Shown, but something else has the input: a system menu or overlay (VISIBLE).
    Visible,
    /// Shown with input: the participant is in the story (FOCUSED).
    Focused,
    /// The runtime asked us to stop (STOPPING); it may start us again.
    Stopping,
    /// The runtime is going away or the headset was lost (LOSS_PENDING).
    Lost,
    /// The session is over, because we asked or the user quit from the runtime
    /// (EXITING).
    Exiting,
}

impl Lifecycle {
    /// What OpenXR's state means. A state this build does not know is treated as
    /// not focused: the story waits rather than runs on with nobody in it.
    pub fn from_state(state: SessionState) -> Self {
        match state {
            SessionState::SYNCHRONIZED => Lifecycle::Hidden,
            SessionState::VISIBLE => Lifecycle::Visible,
            SessionState::FOCUSED => Lifecycle::Focused,
            SessionState::STOPPING => Lifecycle::Stopping,
            SessionState::LOSS_PENDING => Lifecycle::Lost,
            SessionState::EXITING => Lifecycle::Exiting,
            _ => Lifecycle::Waiting,
        }
    }

    pub fn is_focused(self) -> bool {
        self == Lifecycle::Focused
    }

    /// A short phrase for the facilitator's screen and the log.
    pub fn describe(self) -> &'static str {
        match self {
            Lifecycle::Waiting => "waiting for the headset",
            Lifecycle::Hidden => "headset not showing the story",
            Lifecycle::Visible => "headset showing a system menu",
            Lifecycle::Focused => "in the headset",
            Lifecycle::Stopping => "headset session stopping",
            Lifecycle::Lost => "headset session lost",
            Lifecycle::Exiting => "headset session ended",
        }
    }
}

/// Holds the director while the session is not focused, and resumes when focus
/// returns, but only a hold it made itself: the world's own hold
/// ([`reunion_story::own_hold::OwnHold`]), fed with whether the session is focused.
pub type FocusHold = reunion_story::own_hold::OwnHold;

/// Exit code when the headset session is lost.
pub const LOST_EXIT_CODE: u8 = 3;

/// How the app ends because of the session, if it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ending {
    /// Said on the terminal (and in the log).
    pub message: &'static str,
    /// The process's exit code: 0 when the session ended as asked.
    pub code: u8,
}

/// Whether this state ends the app: EXITING ends it cleanly with 0, LOSS_PENDING
/// with a message and [`LOST_EXIT_CODE`]. STOPPING does not: the runtime may start
/// the session again (a headset taken off on some runtimes), and the director is
/// already held.
pub fn ending(state: Lifecycle) -> Option<Ending> {
    match state {
        Lifecycle::Exiting => Some(Ending {
            message: "the VR session ended; closing",
            code: 0,
        }),
        Lifecycle::Lost => Some(Ending {
            message: "the VR session was lost (the headset was disconnected or the OpenXR \
                      runtime stopped); the story stops here. Start it again with \
                      `reunion play --xr` once the runtime is back",
            code: LOST_EXIT_CODE,
        }),
        _ => None,
    }
}

/// How long a headset's runtime has at least to end its session after a signal (real
/// seconds).
pub const XR_GRACE_SECONDS: f32 = 5.0;

/// How many frames a headset's runtime has at least to end its session after a signal:
/// Monado's simulated headset on a software renderer (about one frame a second) went
/// from the ask to the end in about 10 s, some ten frames.
pub const XR_GRACE_FRAMES: u32 = 20;

/// Never longer than this, however slow the frames (real seconds).
pub const XR_GRACE_MOST_SECONDS: f32 = 30.0;

/// Whether the runtime has had its time to end the session, `seconds` and `frames`
/// after the signal.
pub fn grace_is_over(seconds: f32, frames: u32) -> bool {
    seconds >= XR_GRACE_MOST_SECONDS || (seconds >= XR_GRACE_SECONDS && frames >= XR_GRACE_FRAMES)
}
