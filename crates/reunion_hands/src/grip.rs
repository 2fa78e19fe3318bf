//! Grip with hysteresis: a hand closes past one threshold and opens below a lower
//! one, so tracking jitter around either does not flicker a hold. A hand that loses
//! tracking keeps its state for a moment's grace before it counts as open.

/// The grip value at which an open hand counts as closed.
pub const CLOSE_AT: f32 = 0.7;
/// The grip value below which a closed hand counts as open.
pub const OPEN_AT: f32 = 0.35;
/// How long a closed hand that lost tracking stays closed, seconds.
pub const LOST_GRACE: f32 = 0.5;

/// What changed this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GripChange {
    Closed,
    Opened,
}

/// The latch of one hand.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GripLatch {
    closed: bool,
    lost_for: f32,
}

impl GripLatch {
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Feeds one frame: the grip value, whether the hand is tracked, the frame's
    /// seconds. Returns the change, if any.
    pub fn update(&mut self, grip: f32, tracked: bool, dt: f32) -> Option<GripChange> {
        if !tracked {
            self.lost_for += dt;
            if self.closed && self.lost_for > LOST_GRACE {
                self.closed = false;
                return Some(GripChange::Opened);
            }
            return None;
        }
        self.lost_for = 0.0;
        if !self.closed && grip >= CLOSE_AT {
            self.closed = true;
            Some(GripChange::Closed)
        } else if self.closed && grip <= OPEN_AT {
            self.closed = false;
            Some(GripChange::Opened)
        } else {
            None
        }
    }
}
