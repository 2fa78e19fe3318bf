//! `reunion graph`'s picture, as DOT: the reference story drawn whole with nothing in
//! red, and a broken copy of it (a wait with no timeout, a loop with no way out, the
//! nodes after it never reached, a place never entered, a line too long for the
//! subtitle panel) with each hidden problem in red where it is, and told by the checker.

use std::io;
use std::path::{Path, PathBuf};

use reunion_story::load::{DirFiles, Files, STORY_FILE, load, load_dir};
use reunion_story::story::{LangId, Story};
use reunion_story::story_dot::{findings, to_dot};

fn reference_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../../assets/stories/nayeon")
}

/// The reference story's folder with its `story.ron` replaced.
struct Overlay {
    base: DirFiles,
    story: String,
}

impl Files for Overlay {
    fn read(&self, path: &Path) -> io::Result<String> {
        if path == Path::new(STORY_FILE) {
            Ok(self.story.clone())
        } else {
            self.base.read(path)
        }
    }
    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        if path == Path::new(STORY_FILE) {
            Ok(self.story.clone().into_bytes())
        } else {
            self.base.read_bytes(path)
        }
    }
    fn exists(&self, path: &Path) -> Option<io::Result<()>> {
        self.base.exists(path)
    }
}

/// The edits that break the reference story in ways only warnings tell: the same as
/// `docs/images/story-graph-broken.png` shows (`tools/broken_reference_story.py`).
const BREAK: &[(&str, &str)] = &[
    // A wait with no timeout.
    (
        "until: GazeHeld(on: \"nayeon\", seconds: 1.0),\n            timeout: 20.0,\n",
        "until: GazeHeld(on: \"nayeon\", seconds: 1.0),\n",
    ),
    // A loop with no way out: blowing out the candles, or not, leads back to asking.
    (
        "on_timeout: \"blow_herself\",\n            next: \"yay\",",
        "on_timeout: \"blow\",\n            next: \"blow\",",
    ),
    // The butterfly flies into the room she is already in: the sky is never entered.
    (
        "Go(place: \"sky\", transition: Butterfly",
        "Go(place: \"heaven_room\", transition: Butterfly",
    ),
    // A line too long for the subtitle panel.
    (
        "\"en\": \"I missed you so much, Mommy.\"",
        "\"en\": \"I missed you so much, Mommy. Every single day I waited by the window for you, counting the clouds and telling my friend all about you.\"",
    ),
];

fn broken() -> (Story, String) {
    let dir = reference_dir();
    let mut text = std::fs::read_to_string(dir.join(STORY_FILE)).expect("the reference story");
    for (from, to) in BREAK {
        assert!(
            text.contains(from),
            "the reference story has changed: {from}"
        );
        text = text.replace(from, to);
    }
    let files = Overlay {
        base: DirFiles { root: dir.clone() },
        story: text,
    };
    let loaded = load(&files, Path::new(STORY_FILE), &dir);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    (
        loaded.story.expect("warnings only"),
        loaded.diagnostics.to_string(),
    )
}

/// With `STORY_GRAPH_DOT=DIR`, the DOT text is also written there, to look at the
/// layout without building the whole `reunion`.
fn keep(name: &str, dot: &str) {
    if let Some(dir) = std::env::var_os("STORY_GRAPH_DOT") {
        std::fs::write(Path::new(&dir).join(name), dot).expect("write the DOT");
    }
}

fn lang(story: &Story, code: &str) -> LangId {
    story.lang_id(code).expect("a language")
}

#[test]
fn the_reference_story_is_drawn_whole_with_nothing_in_red() {
    let loaded = load_dir(&reference_dir());
    let story = loaded.story.expect("the reference story");
    assert!(findings(&story).iter().all(Vec::is_empty));
    let dot = to_dot(&story, lang(&story, "en"));
    keep("reference.dot", &dot);
    for node in &story.nodes {
        assert!(
            dot.contains(&format!("<B>{}</B>", node.id)),
            "{} is not drawn",
            node.id
        );
    }
    for place in ["park", "heaven_room", "sky"] {
        assert!(
            dot.contains(&format!("<B>{place}</B>")),
            "no cluster {place}"
        );
    }
    assert_eq!(dot.matches("subgraph cluster_").count(), 3);
    // Only the legend speaks of warnings.
    assert_eq!(dot.matches('⚠').count(), 1, "{dot}");
    // The first words of lines, a wait's ways out, the operator's ending.
    assert!(dot.contains("“Mommy, where are you?”"));
    assert!(dot.contains("label=\"after 20 s\", style=dashed"));
    assert!(dot.contains("label=\"met\""));
    assert!(dot.contains("operator -> "));
    // The Korean lines, when asked for.
    assert!(to_dot(&story, lang(&story, "ko")).contains("“엄마, 어디 있어?”"));
}

#[test]
fn a_broken_copy_shows_each_hidden_problem_in_red() {
    let (story, said) = broken();
    let found = findings(&story);
    let of = |id: &str| found[story.node_id(id).expect("a node").index()].join("; ");
    assert_eq!(of("wait_noticed_again"), "no timeout: could wait forever");
    assert_eq!(of("blow"), "in a loop with no way on to an End");
    assert_eq!(of("wait_blow"), "in a loop with no way on to an End");
    assert_eq!(of("yay"), "never reached");
    assert_eq!(of("missed_you"), "too long for the subtitle panel (en)");
    assert_eq!(of("calling"), "");
    let dot = to_dot(&story, lang(&story, "en"));
    keep("broken.dot", &dot);
    assert!(dot.contains("⚠ never entered"), "the sky is not marked");
    assert!(dot.contains("⚠ in a loop with no way on to an End"));
    // The checker says the same.
    for message in [
        "wait `wait_noticed_again` has no timeout",
        "from node `blow` the story can never reach an `End`: it goes round `blow` → `wait_blow` with no way out",
        "node `yay` can never be reached",
        "place `sky` is never entered",
        "line `missed_you` is too long for the subtitle panel in `en`",
    ] {
        assert!(said.contains(message), "not told: {message}\n{said}");
    }
    // The loop is told once, where the story steps into it.
    assert_eq!(
        said.matches("can never reach an `End`").count(),
        1,
        "{said}"
    );
}
