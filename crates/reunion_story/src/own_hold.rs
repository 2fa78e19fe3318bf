//! A hold the world makes by itself (a headset taken off, a place still loading),
//! told apart from the operator's: only its own hold is resumed by it.

use crate::director::OperatorCommand;

/// Holds the director while the world cannot go on, and resumes when it can, but
/// only a hold it made itself.
///
/// * The world stops (`free` false) while the story runs: hold, and remember the hold
///   is ours.
/// * It stops while the operator holds: leave it; going on again does not resume.
/// * It can go on and the hold is ours: resume.
/// * The operator resumes meanwhile: our hold is gone; we do not hold again until the
///   world stops anew.
/// * The operator holds or stops (the calm place) while we hold: the hold is theirs
///   now, and going on again does not resume it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OwnHold {
    ours: bool,
    free: Option<bool>,
}

impl OwnHold {
    /// Feed one frame: whether the world can go on (a headset focused, a place's
    /// models loaded) and whether the director is held now. Returns the command to
    /// send the director, if any.
    pub fn update(&mut self, free: bool, director_held: bool) -> Option<OperatorCommand> {
        let before = self.free.replace(free);
        if self.ours && !director_held {
            // Someone resumed (the operator, or the end of the story).
            self.ours = false;
        }
        let stopped = !free && before != Some(false);
        if stopped && !director_held {
            self.ours = true;
            return Some(OperatorCommand::Hold);
        }
        if free && self.ours {
            self.ours = false;
            return Some(OperatorCommand::Resume);
        }
        None
    }

    /// The operator sent the director a command (not one of ours): a hold or a stop
    /// while we hold makes the hold the operator's.
    pub fn operator_sent(&mut self, cmd: &OperatorCommand) {
        if matches!(cmd, OperatorCommand::Hold | OperatorCommand::StopNow) {
            self.ours = false;
        }
    }

    /// Whether the director is held by this hold.
    pub fn holds(&self) -> bool {
        self.ours
    }
}
