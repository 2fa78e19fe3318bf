//! The director: the story's state machine.
//!
//! `Director::handle(input) -> Vec<Cue>`. Inputs are the passing of time, story events
//! from the world (a hand taken, a candle placed, a line finished) and operator
//! commands; cues are what the world must do (say a line, start a transition, light the
//! candles, end). The director knows nothing of Bevy, audio or headsets, and given the
//! same inputs it gives the same cues: a session can be replayed from its log.
//!
//! Time: the director keeps two clocks. The session clock always runs; the story clock
//! stops while the operator holds the story, so a held line, wait or transition
//! resumes where it was. Every timer is on the story clock.
//!
//! No wait with a timeout can block forever: the timeout is checked on every tick.
//!
//! | file | what it holds |
//! | --- | --- |
//! | `messages.rs` | [`StoryEvent`], [`OperatorCommand`], [`Input`], [`Cue`] |
//! | `machine.rs` | [`Director`] and its [`Phase`]s: the state machine and its clocks |
//! | `conditions.rs` | what the world is like, and whether a wait's condition is met |
//! | `tests.rs` | its tests |
//! | `thing_tests.rs` | its tests of things: held, placed, touched, lit |

mod conditions;
mod machine;
mod messages;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod thing_tests;

pub use machine::{Director, LEAD_WAITS_FOR_HAND, Phase, line_seconds};
pub use messages::{Cue, Input, OperatorCommand, RehearsedWorld, StoryEvent};
