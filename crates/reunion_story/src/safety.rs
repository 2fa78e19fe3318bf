//! The participant's exit: both hands raised above the head, held for two seconds.
//!
//! The detector sees only heights (the head's and each tracked hand's) and whether
//! the hands are busy (holding her hand, holding a candle), so every input can feed
//! it: a headset's hands, the flat-screen emulation, a test. It fires once per
//! gesture; the hands must come down before it can fire again.

/// How long both hands must stay up.
pub const EXIT_HOLD_SECONDS: f32 = 2.0;
/// How far above the head a hand must be, metres.
pub const ABOVE_HEAD: f32 = 0.08;

/// Where the hands are this frame.
#[derive(Clone, Copy, Debug, Default)]
pub struct HandsPose {
    pub head_y: f32,
    /// The left hand's height, when tracked.
    pub left_y: Option<f32>,
    /// The right hand's height, when tracked.
    pub right_y: Option<f32>,
    /// Holding someone's hand or an object: never an exit.
    pub busy: bool,
}

/// Detects the exit gesture over time.
#[derive(Clone, Debug, Default)]
pub struct ExitGesture {
    raised_for: f32,
    fired: bool,
}

impl ExitGesture {
    /// Takes one frame; true on the frame the gesture completes.
    pub fn update(&mut self, dt: f32, pose: HandsPose) -> bool {
        let up = |y: Option<f32>| y.is_some_and(|y| y > pose.head_y + ABOVE_HEAD);
        let raised = !pose.busy && up(pose.left_y) && up(pose.right_y);
        if !raised {
            self.raised_for = 0.0;
            self.fired = false;
            return false;
        }
        self.raised_for += dt.max(0.0);
        if !self.fired && self.raised_for >= EXIT_HOLD_SECONDS {
            self.fired = true;
            return true;
        }
        false
    }

    /// How far along the gesture is, 0..1 (for a progress ring).
    pub fn progress(&self) -> f32 {
        (self.raised_for / EXIT_HOLD_SECONDS).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pose(left: Option<f32>, right: Option<f32>, busy: bool) -> HandsPose {
        HandsPose {
            head_y: 1.6,
            left_y: left,
            right_y: right,
            busy,
        }
    }

    /// Frames at 90 Hz for `seconds`; how many times the gesture fired.
    fn run(g: &mut ExitGesture, seconds: f32, p: HandsPose) -> usize {
        (0..(seconds * 90.0).round() as usize)
            .filter(|_| g.update(1.0 / 90.0, p))
            .count()
    }

    #[test]
    fn both_hands_up_for_two_seconds_fires_once() {
        let mut g = ExitGesture::default();
        let up = pose(Some(1.9), Some(1.85), false);
        assert_eq!(run(&mut g, 1.9, up), 0);
        assert_eq!(run(&mut g, 0.2, up), 1);
        assert_eq!(run(&mut g, 5.0, up), 0, "once per gesture");
        assert_eq!(run(&mut g, 0.5, pose(Some(1.0), Some(1.0), false)), 0);
        assert_eq!(run(&mut g, 2.1, up), 1, "again after lowering the hands");
    }

    #[test]
    fn one_hand_or_an_untracked_hand_is_not_an_exit() {
        let mut g = ExitGesture::default();
        assert_eq!(run(&mut g, 5.0, pose(Some(1.9), Some(1.2), false)), 0);
        assert_eq!(run(&mut g, 5.0, pose(Some(1.9), None, false)), 0);
        assert_eq!(
            run(&mut g, 5.0, pose(Some(1.65), Some(1.65), false)),
            0,
            "at the head is not above it"
        );
    }

    #[test]
    fn no_false_exit_while_holding_her_hand_or_a_candle() {
        let mut g = ExitGesture::default();
        // Lifting a candle high, or swinging joined hands: busy hands never exit.
        assert_eq!(run(&mut g, 10.0, pose(Some(1.95), Some(1.95), true)), 0);
    }

    #[test]
    fn lowering_the_hands_starts_the_count_again() {
        let mut g = ExitGesture::default();
        let up = pose(Some(1.9), Some(1.9), false);
        assert_eq!(run(&mut g, 1.5, up), 0);
        assert_eq!(run(&mut g, 0.1, pose(Some(1.9), Some(1.3), false)), 0);
        assert_eq!(run(&mut g, 1.5, up), 0);
        assert!(g.progress() < 1.0);
    }
}
