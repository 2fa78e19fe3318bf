//! How a stage is set up: which story, in which language, who acts for the
//! participant, where the log goes, and the story as already loaded.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bevy::prelude::*;
use reunion_story::diagnostic::Diagnostics;
use reunion_story::story::Story;

/// How to run the story: where it is, in which language, and who the participant is.
#[derive(Resource, Clone)]
pub struct StageConfig {
    /// The asset path of `story.ron`, relative to the asset root.
    pub story: PathBuf,
    /// The subtitle language code; the story's first when `None`.
    pub lang: Option<String>,
    pub participant: ParticipantSource,
    /// Where to write the session log, if anywhere.
    pub log: Option<PathBuf>,
    /// The story folder as the author knows it, for the paths in diagnostics.
    pub folder: Option<PathBuf>,
    /// The story as the command line already loaded and checked it: the asset
    /// loader's first load takes it instead of reading and checking every file again.
    pub preloaded: Option<PreloadedStory>,
}

impl Default for StageConfig {
    fn default() -> Self {
        Self {
            story: PathBuf::from("story.ron"),
            lang: None,
            participant: ParticipantSource::Live,
            log: None,
            folder: None,
            preloaded: None,
        }
    }
}

/// Start the story at this node (by its id), in the state a playthrough has there
/// (`reunion play --from NODE`; see `reunion_story::rehearse`).
#[derive(Resource, Clone, Debug)]
pub struct StartFrom(pub String);

/// Go on with a session that stopped without an end (`reunion play --resume`): its
/// log's inputs are replayed, the session goes on from its last beat, and its log
/// goes on in the same file (see `reunion_story::session::Session::resume`).
#[derive(Resource, Clone, Debug)]
pub struct ResumeFrom {
    /// The session log to go on writing.
    pub log: std::path::PathBuf,
    /// Its inputs, in order (`reunion_story::log::read_inputs`).
    pub inputs: Vec<reunion_story::director::Input>,
}

/// Who acts for the participant.
#[derive(Clone)]
pub enum ParticipantSource {
    /// A person, through the inputs (keys, mouse, hands).
    Live,
    /// The autopilot.
    Autopilot,
    /// The autopilot as one of many people, by seed (slower, answering fewer waits,
    /// doing things unasked: `reunion_story::participant::VariedAutopilot`).
    Varied(u64),
    /// A script's text, parsed against the story once it has loaded.
    Script { path: PathBuf, text: String },
}

/// A story loaded and checked before the app started (the command line checks a story
/// before it opens a window). Taken once, by the first load of the story asset; hot
/// reloads read the files again.
#[derive(Clone)]
pub struct PreloadedStory(Arc<Mutex<Option<(Arc<Story>, Diagnostics)>>>);

impl PreloadedStory {
    pub fn new(story: Arc<Story>, warnings: Diagnostics) -> Self {
        Self(Arc::new(Mutex::new(Some((story, warnings)))))
    }

    /// The story, the first time only.
    pub fn take(&self) -> Option<(Arc<Story>, Diagnostics)> {
        self.0.lock().ok()?.take()
    }
}
