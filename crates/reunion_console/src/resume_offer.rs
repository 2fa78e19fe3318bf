//! "Resume the last session": when the newest session in `sessions/` stopped without
//! an end (a crash, a power cut, a kill), the window offers at start-up to go on with
//! it. The binary finds it (`reunion_story::log::last_session_without_an_end`) and
//! inserts a [`ResumeOffer`]; the console shows it with two buttons,
//! [`ConsoleAction::ResumeLastSession`] and [`ConsoleAction::DismissResumeOffer`]. To
//! resume, the dispatch ends the session that began at start-up (its log says it was
//! ended for another) and begins the resumed one (`reunion_stage`'s `NewSession`),
//! its log going on in the old file, as `reunion play --resume` does.
//!
//! [`ConsoleAction::ResumeLastSession`]: crate::ConsoleAction::ResumeLastSession
//! [`ConsoleAction::DismissResumeOffer`]: crate::ConsoleAction::DismissResumeOffer

use std::path::PathBuf;

use bevy::prelude::*;
use reunion_story::director::Input;

/// A session that stopped without an end, offered for resuming.
#[derive(Resource, Clone, Debug)]
pub struct ResumeOffer {
    /// Its log (`sessions/<id>/session.jsonl`), which goes on if it is resumed.
    pub log: PathBuf,
    /// The log's inputs, in order (`reunion_story::log::read_inputs`).
    pub inputs: Vec<Input>,
    /// Its subtitle language's code.
    pub language: Option<String>,
    /// Where and when it stopped, in words, for the console.
    pub summary: String,
}
