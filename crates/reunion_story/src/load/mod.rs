//! Reading a story folder: parse, check everything, compile.
//!
//! [`load_dir`] reads a folder from disk; [`load`] works on any [`Files`] (the Bevy
//! asset loader hands it files it has read itself). Both return every diagnostic found,
//! and a [`Story`] when there were no errors.
//!
//! Checking goes in passes so one mistake does not hide the next: each file is parsed
//! on its own (a syntax error stops only that file), then every reference is checked
//! against every id, then the graph as a whole (where does the story run off the end,
//! which nodes can never be reached, which waits could hold the participant forever).
//! A cast member's model is read too ([`Files::read_bytes`], [`crate::gltf`]), checked
//! as a rigged humanoid ([`crate::humanoid`], [`crate::face_shapes`]) and measured for
//! the animator; every voice clip ([`crate::ogg`]) is read for its length, which times
//! the line. The models of scenes (things and environments) are read whole, with the
//! files they name, for their problems, size, sockets, clips and cost.
//!
//! | file | what it holds |
//! | --- | --- |
//! | `files.rs` | [`Files`], [`DirFiles`], [`MemFiles`]; paths kept inside the story folder |
//! | `parse.rs` | [`parse_ron`] and its syntax errors; a parsed text with its spans; colours |
//! | `compile.rs` | the story's sections: languages, safety, consent, cast, places and things |
//! | `refs.rs` | names resolved to ids: nodes, cast, variables, look targets |
//! | `nodes.rs` | nodes, conditions, transitions and world cues |
//! | `answers.rs` | intents (words per language) and answers (lines outside the flow, appended as `Say` nodes); intents without words in a language, answers that can never be triggered |
//! | `audio.rs` | voice clips (timed) and music |
//! | `graph.rs` | reachability, endings, loops that never wait or have no way out, lines before any place, places never entered, speakers in their places, lines too long for the subtitle panel |
//! | `unused.rs` | things a scene gives an ability only the story can use (hidden, touch) that no node names; candles against a cake's sockets |
//! | `scene.rs` | places: scene files, environments (a model place's light) |
//! | `things.rs` | a scene's things: kind, grab, touch, tags, sockets, flame, bounds, scale sanity |
//! | `scene_models.rs` | glTF models of things and environments: read whole, every problem at `file:`; [`scene_files`], [`model_dependencies`] |
//! | `cost.rs` | each place's models against the headset's draw budget |
//! | `world_refs.rs` | things named by conditions and cues, checked where their node is reached |
//! | `model.rs` | cast models: the file read whole, the files it names, `height`; builds the runtime model |
//! | `model_body.rs` | a cast model's skeleton and face told to the author; the notes on what will move |
//! | `model_clips.rs` | a cast model's clips: by our names, renamed, and what the story would play |
//! | `model_rig.rs` | a cast model's rest skeleton measured: bone paths, rest transforms, facing, height, body plan |

mod answers;
mod audio;
mod compile;
mod cost;
mod files;
mod graph;
#[cfg(test)]
mod lint_tests;
mod model;
mod model_body;
mod model_clips;
mod model_rig;
mod nodes;
mod parse;
mod refs;
mod scene;
mod scene_models;
#[cfg(test)]
mod test_story;
mod things;
mod unused;
mod world_refs;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

pub use answers::answer_node_id;
pub use compile::MAX_PARTICIPANT_NAME;
pub use cost::{DRAW_CALL_BUDGET, TEXTURE_BUDGET_BYTES, TRIANGLE_BUDGET};
pub use files::{
    DirFiles, Files, MemFiles, OutsideStoryFolder, ambience_clip_path, ambience_files,
    check_relative_path, model_files, music_files, voice_clip_path, voice_files,
};
pub use parse::parse_ron;
pub use scene_models::{SOCKET_PREFIX, model_dependencies, scene_files};

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::format::StoryFile;
use crate::spans::{Seg, field, key};
use crate::story::{PlaceId, Story};
use parse::Source;
use scene_models::{Cost, SceneModel};
use world_refs::ThingUse;

/// The outcome of loading: the story if it has no errors, and every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    pub story: Option<Story>,
    pub diagnostics: Diagnostics,
}

/// The file name of a story's main file.
pub const STORY_FILE: &str = "story.ron";

/// Loads a story from a folder, or from the path of its `story.ron`.
pub fn load_dir(path: &Path) -> Loaded {
    let (root, file) = if path.is_dir() {
        (path.to_path_buf(), PathBuf::from(STORY_FILE))
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let file = PathBuf::from(path.file_name().unwrap_or_default());
        (root, file)
    };
    let files = DirFiles { root: root.clone() };
    load(&files, &file, &root)
}

/// Loads a story through `files`: `story_file` is relative to the story folder, and
/// `display_root` is prefixed to paths in diagnostics.
pub fn load(files: &dyn Files, story_file: &Path, display_root: &Path) -> Loaded {
    let mut diags = Diagnostics::default();
    let display = display_root.join(story_file);
    let text = match files.read(story_file) {
        Ok(t) => t,
        Err(e) => {
            let why = files::read_failure(&e, || format!("cannot read the story: {e}"));
            diags.push(Diagnostic::file_error(&display, why));
            return Loaded {
                story: None,
                diagnostics: diags,
            };
        }
    };
    let file: StoryFile = match parse_ron(&display, &text) {
        Ok(f) => f,
        Err(d) => {
            diags.push(*d);
            return Loaded {
                story: None,
                diagnostics: diags,
            };
        }
    };
    let src = Source::new(display, text);
    let story_dir = story_file.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut c = Compiler {
        files,
        src: &src,
        file: &file,
        diags: &mut diags,
        story_dir,
        display_root: display_root.to_path_buf(),
        thing_ids: Vec::new(),
        thing_tags: Vec::new(),
        ambience_checked: Vec::new(),
        scene_models: HashMap::new(),
        cast_costs: HashMap::new(),
        place_things: Vec::new(),
        thing_uses: Vec::new(),
        scene_sources: Vec::new(),
        nodes_failed: false,
    };
    let story = c.compile();
    diags.sort();
    let story = if diags.has_errors() { None } else { story };
    Loaded {
        story,
        diagnostics: diags,
    }
}

struct Compiler<'a> {
    files: &'a dyn Files,
    src: &'a Source,
    file: &'a StoryFile,
    diags: &'a mut Diagnostics,
    story_dir: PathBuf,
    display_root: PathBuf,
    /// The ids of the things in every scene that parsed (read once).
    thing_ids: Vec<String>,
    /// Every tag of a thing in a scene that parsed (written, or a kind's own), once.
    thing_tags: Vec<String>,
    /// The ambiences checked so far (each is checked for the first place it plays in).
    ambience_checked: Vec<&'static str>,
    /// Each model file a scene names, read once (`None`: unusable, reported).
    scene_models: HashMap<PathBuf, Option<Rc<SceneModel>>>,
    /// What each cast model costs to draw, read once (`None`: unreadable).
    cast_costs: HashMap<PathBuf, Option<Cost>>,
    /// The things of each place that compiled, in order: id and tags.
    place_things: Vec<(PlaceId, Vec<(String, Vec<String>)>)>,
    /// Things named by conditions and cues, checked once the graph is known.
    thing_uses: Vec<ThingUse>,
    /// The text of each place's scene that compiled, to point at its things.
    scene_sources: Vec<(PlaceId, Source)>,
    /// Whether some node did not compile (reported): what the graph checks would say
    /// about the nodes after it follows from that mistake, so they say nothing.
    nodes_failed: bool,
}

/// Shorthand for building paths into story.ron.
fn node_path(id: &str, rest: &[Seg]) -> Vec<Seg> {
    let mut p = vec![field("nodes"), key(id)];
    p.extend_from_slice(rest);
    p
}

impl Compiler<'_> {
    fn error(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        let d = self.src.diag(Severity::Error, path, message);
        self.diags.push(d);
        self.diags.0.last_mut().expect("just pushed")
    }

    fn warn(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        let d = self.src.diag(Severity::Warning, path, message);
        self.diags.push(d);
        self.diags.0.last_mut().expect("just pushed")
    }
}
