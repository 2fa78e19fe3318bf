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
//! Answers: a line she says in reply (to a touch, to words the story listens for, or
//! because the operator chose it) is said outside the flow of nodes, never over
//! another line (one asked for during a line waits for its end), and the story
//! resumes where it was: the timers of the interrupted wait or pause are moved on by
//! the time the answer took.
//!
//! | file | what it holds |
//! | --- | --- |
//! | `messages.rs` | [`StoryEvent`], [`OperatorCommand`], [`Input`], [`Cue`] |
//! | `machine.rs` | [`Director`] and its [`Phase`]s: the state machine and its clocks |
//! | `answers.rs` | answers said outside the flow (a touch, an intent heard, the operator), their cooldown, the unsure ones waiting for confirmation |
//! | `conditions.rs` | what the world is like, and whether a wait's condition is met |
//! | `tests.rs` | its tests |
//! | `answer_tests.rs` | its tests of answers and of what was heard |
//! | `thing_tests.rs` | its tests of things: held, placed, touched, lit |
//! | `participant_tests.rs` | its tests of waits addressed to one of several participants |

#[cfg(test)]
mod answer_tests;
mod answers;
mod conditions;
mod machine;
mod messages;
#[cfg(test)]
mod participant_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod thing_tests;

pub use answers::{ANSWER_WAITS_FOR_LINE, PENDING_ANSWER_LAPSES};
pub use machine::{Director, LEAD_WAITS_FOR_HAND, Phase, line_seconds};
pub use messages::{
    Cue, HeardIntent, Input, OperatorCommand, RehearsedWorld, StoryEvent, heard_intents,
};
