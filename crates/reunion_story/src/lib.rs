//! # reunion_story
//!
//! The heart of reunion, with no engine in it: the authored story format, its checker,
//! the director that plays it, the participant stand-ins that let it run without a
//! person, and the session log. Everything here is deterministic and tests in seconds.
//!
//! | module | what it does |
//! | --- | --- |
//! | [`format`](mod@format) | the RON files as written: `story.ron`, `*.scene.ron` (format 1) |
//! | [`load`] | parse, check everything, compile to a [`story::Story`]; `file:line:col` diagnostics. A folder: `files` (sources, paths kept in the story folder, links refused), `parse`, `compile` (sections, cast, places), `refs`, `nodes`, `audio` (voice, music, ambience clips), `graph`, `model` |
//! | [`spans`] | finds where a value sits in a RON text, so every diagnostic can point at it |
//! | [`diagnostic`] | problems with snippets (the caret placed by display width) and "did you mean" hints |
//! | [`gltf`] | reads `.glb`/`.gltf`/`.vrm` models whole: integrity, extensions against Bevy's loader, nodes, skins, clips, lights, VRM humanoid, budgets |
//! | [`humanoid`] | finds our rig's bones in any humanoid skeleton (Mixamo, Rigify, Unreal, CC, VRoid, VRM, renames) |
//! | [`face_shapes`] | maps our face channels (blink, smile, visemes, expressions) onto the shapes a model has |
//! | [`visemes`] | lip-sync: the mouth's shape over a line, from its text (Korean, English) and its voice's loudness |
//! | [`ogg`] | reads an Ogg Vorbis clip far enough to know its length (and that it is one) |
//! | [`story`] | the runtime story: typed ids instead of names. A folder: `mod.rs`, `rgb` (colours, linear [`story::Rgb`]), `date` (calendar days; today where the story is played) |
//! | [`director`] | the state machine: `handle(input) -> Vec<Cue>`. A folder: `messages` (inputs and cues), `machine`, `conditions`, `tests` |
//! | [`own_hold`] | a hold the world makes by itself (headset off, a place loading), resumed only by itself |
//! | [`participant`] | scripted actions, the autopilot, and the stand-in world that turns actions into events |
//! | [`rehearse`] | the state a playthrough has at any node (for `--from` and the console's jump), by playing up to it in no time |
//! | [`placement_edit`] | a thing or the start mark moved in a scene file: only its `at` and `facing` numbers rewritten, the rest of the text kept |
//! | [`safety`] | the participant's exit gesture, for every input |
//! | [`voice_activity`] | hears when the participant has finished speaking, from microphone samples |
//! | [`session`] | one frame of a session without a world, and a headless runner |
//! | [`story_dot`] | the story as a DOT graph for Graphviz: nodes by kind, places as clusters, the checker's findings in colour (`reunion graph`) |
//! | [`subtitle_fit`] | whether a line fits the headset's subtitle panel in one view |
//! | [`matcher`] | which of the story's intents a recogniser's words express: Korean compared on jamo (spacing, endings, close variants), English on words (case, contractions, endings) |
//! | [`speech_grammar`] | what the recogniser listens for: a Vosk grammar from the story's intents, in the model's own words (read from its `Gr.fst`), with the language's frequent words as fillers |
//! | [`kept_words`] | the participant's own words kept in memory for `ReplayWords`, only with consent: utterances paired with the intents they matched |
//! | [`log`] | the session log as JSON lines, one typed [`log::Record`] a line |

pub mod diagnostic;
pub mod director;
pub mod face_shapes;
pub mod format;
pub mod gltf;
pub mod humanoid;
pub mod kept_words;
pub mod load;
pub mod log;
pub mod matcher;
pub mod ogg;
pub mod own_hold;
pub mod participant;
pub mod placement_edit;
pub mod rehearse;
pub mod safety;
pub mod session;
pub mod spans;
pub mod speech;
pub mod speech_grammar;
pub mod story;
pub mod story_dot;
pub mod subtitle_fit;
pub mod visemes;
pub mod voice_activity;

/// The names most users need.
pub mod prelude {
    pub use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
    pub use crate::director::{Cue, Director, Input, OperatorCommand, Phase, StoryEvent};
    pub use crate::load::{Files, Loaded, MemFiles, load, load_dir};
    pub use crate::participant::{Autopilot, Participant, ParticipantAction, Script, StandIn};
    pub use crate::session::{Session, Stuck, TranscriptLine, play_headless};
    pub use crate::story::{ActorId, LangId, Model, NodeId, PlaceId, Story, gesture_clip_name};
}
