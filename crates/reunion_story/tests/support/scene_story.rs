//! The story the scene-model tests are written against: a room of the project's own
//! models, then a beach; and helpers to check it and find where a diagnostic points.

use std::path::{Path, PathBuf};

use reunion_story::load::{MemFiles, STORY_FILE, load};
use reunion_story::prelude::*;

pub fn repo() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../..")
}

/// A model the project made, by file name.
pub fn model(name: &str) -> Vec<u8> {
    let farewell = repo().join("assets/stories/farewell/models").join(name);
    let test_only = repo()
        .join("crates/reunion_modelkit/tests/models")
        .join(name);
    std::fs::read(&farewell)
        .or_else(|_| std::fs::read(&test_only))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub const ROOM: &str = r#"(
    environment: Model(file: "models/living_room.glb"),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "grandma": (is: Actor("grandma"), at: (0.9, 0.0, -2.3), facing: 200.0),
        "table": (is: Model(file: "models/table.glb"), at: (0.0, 0.0, -1.5)),
        "vase": (is: Model(file: "models/vase.glb"), at: (0.35, 0.74, -1.7), sockets: { "1": (accepts: ["rose"]) }),
        "rose": (is: Model(file: "models/rose.glb"), at: (-0.4, 0.74, -1.3), grab: true, tags: ["rose"]),
        "frame": (is: Model(file: "models/photo_frame.glb"), at: (-0.25, 0.74, -1.75)),
        "photo": (is: Model(file: "models/photo.glb"), at: (-0.05, 0.74, -1.3), grab: true),
        "music_box": (is: Model(file: "models/music_box.glb"), at: (0.3, 0.74, -1.35), touch: true),
    },
)"#;

pub const BEACH: &str = r##"(
    environment: Model(file: "models/beach.glb", sky: "#f3b58c"),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "grandma": (is: Actor("grandma"), at: (0.7, 0.0, -1.6), facing: 200.0),
        "shore": (is: Marker, at: (0.0, 0.0, -8.0)),
    },
)"##;

/// A story in the room then on the beach; `room_nodes` are played in the room,
/// `beach_nodes` on the beach.
pub fn story(room_nodes: &str, beach_nodes: &str) -> String {
    format!(
        r#"(
    format: 1,
    title: "Things",
    languages: ["en"],
    cast: {{ "grandma": (name: {{ "en": "Grandma" }}) }},
    places: {{ "room": "room.scene.ron", "beach": "beach.scene.ron" }},
    start: "arrive",
    nodes: {{
        "arrive": Go(place: "room", transition: Fade(seconds: 1.0)),
        "hello": Say(speaker: "grandma", text: {{ "en": "Hello." }}),
        "music": Wait(until: TouchedThing("music_box"), timeout: 6.0),
        {room_nodes}
        "to_beach": Go(place: "beach", transition: Fade(seconds: 1.0)),
        {beach_nodes}
        "bye": Say(speaker: "grandma", text: {{ "en": "Bye." }}),
        "end": End(),
    }},
    consent: (
        likeness_of: "no one", voice_of: "no one", consented_by: "no one",
        consented_on: "2025-06-01", retire_after: "2035-12-31",
    ),
)"#
    )
}

/// The files of a story, every model the scenes name in `models/`.
pub fn files(story: &str, room: &str, beach: &str) -> MemFiles {
    let mut files = MemFiles::default();
    files.files.insert(STORY_FILE.into(), story.into());
    files.files.insert("room.scene.ron".into(), room.into());
    files.files.insert("beach.scene.ron".into(), beach.into());
    for name in [
        "living_room.glb",
        "beach.glb",
        "table.glb",
        "vase.glb",
        "rose.glb",
        "photo_frame.glb",
        "photo.glb",
        "music_box.glb",
        "sofa.glb",
        "chair.glb",
        "chair_centimetres.glb",
    ] {
        files
            .bytes
            .insert(Path::new("models").join(name), model(name));
    }
    files
}

pub fn check(files: &MemFiles) -> Loaded {
    load(files, Path::new(STORY_FILE), Path::new("s"))
}

/// The 1-based line and column of the first `needle` in `text`.
pub fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` in the text"));
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at].rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// The one diagnostic whose message contains `what`.
pub fn the<'a>(loaded: &'a Loaded, what: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = loaded
        .diagnostics
        .0
        .iter()
        .filter(|d| d.message.contains(what))
        .collect();
    assert_eq!(found.len(), 1, "one `{what}` in:\n{}", loaded.diagnostics);
    found[0]
}

pub fn at(d: &Diagnostic, file: &str, pos: (usize, usize)) {
    assert_eq!(
        (d.file.as_path(), d.line, d.col),
        (Path::new(file), pos.0, pos.1),
        "{d}"
    );
}
