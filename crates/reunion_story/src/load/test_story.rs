//! The small story the loader's tests are written against, held in memory.

use std::path::{Path, PathBuf};

use super::{Loaded, MemFiles, STORY_FILE, load};

pub(super) fn mem(story: &str, scenes: &[(&str, &str)]) -> MemFiles {
    let mut files = MemFiles::default();
    files
        .files
        .insert(PathBuf::from(STORY_FILE), story.to_owned());
    for (name, text) in scenes {
        files.files.insert(PathBuf::from(name), (*text).to_owned());
    }
    files
}

pub(super) const SCENE: &str = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
    },
)"#;

pub(super) fn story(start: &str, extra_node: &str) -> String {
    format!(
        r#"(
    format: 1,
    title: "Test",
    languages: ["en", "ko"],
    cast: {{ "nayeon": (name: {{ "en": "Nayeon", "ko": "나연" }}) }},
    places: {{ "park": "park.scene.ron" }},
    start: "{start}",
    nodes: {{
        "arrive": Go(place: "park", transition: Fade(seconds: 1.0)),
        "calling": Say(speaker: "nayeon", text: {{ "en": "Mommy, where are you?", "ko": "엄마, 어디 있어?" }}),
        {extra_node}
        "end": End(),
    }},
)"#
    )
}

pub(super) fn load_mem(files: &MemFiles) -> Loaded {
    load(files, Path::new(STORY_FILE), Path::new("s"))
}

/// The test story with a voice on `calling`, and clips in `clips` (language, bytes).
pub(super) fn voiced(clips: &[(&str, Vec<u8>)]) -> MemFiles {
    let text = story("arrive", "").replace(
        r#"text: { "en": "Mommy, where are you?", "ko": "엄마, 어디 있어?" }"#,
        r#"text: { "en": "Mommy, where are you?", "ko": "엄마, 어디 있어?" },
            voice: "calling""#,
    );
    let mut files = mem(&text, &[("park.scene.ron", SCENE)]);
    for (lang, bytes) in clips {
        files.bytes.insert(
            PathBuf::from(format!("voice/{lang}/calling.ogg")),
            bytes.clone(),
        );
    }
    files
}
