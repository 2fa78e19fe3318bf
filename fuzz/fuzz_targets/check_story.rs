//! Fuzz target: arbitrary bytes through the path `reunion check` and the story asset
//! loader take (parse with `ron`, locate with the span scanner, check, compile, render
//! the diagnostics), and, when a story compiles, a short headless run of it.
//!
//! The first byte picks what the rest of the input is:
//!
//! | first byte | the rest |
//! | --- | --- |
//! | `P` | the text of every scene file of the reference story (its `story.ron` as shipped) |
//! | `B` | a `story.ron`, NUL, then NUL-separated scene texts (one per place, in order), then the bytes of every model |
//! | `X` | a participant script played against the reference story |
//! | anything else | the whole input is a `story.ron`, its scenes as shipped |
//!
//! Files are served from memory ([`MemFiles`]), filled the way the Bevy asset loader
//! fills it: the scene and model files the story names, when `story.ron` parses.
//!
//! Besides not panicking, it checks that the span scanner finds every id `ron` read
//! at its own key ([`keys_are_located`]). `FUZZ_DEBUG=1` prints the diagnostics of
//! each input, to look at a corpus entry.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use reunion_story::diagnostic::{Diagnostic, Diagnostics};
use reunion_story::format::{SceneFile, StoryFile};
use reunion_story::load::{
    MemFiles, STORY_FILE, check_relative_path, load, model_files, parse_ron,
};
use reunion_story::participant::{Autopilot, Script};
use reunion_story::session::{Session, play_headless};
use reunion_story::spans::{SpanTree, field, index, key, key_name};
use reunion_story::story::LangId;

const STORY: &str = include_str!("../../assets/stories/nayeon/story.ron");
const SCENES: [(&str, &str); 3] = [
    (
        "park.scene.ron",
        include_str!("../../assets/stories/nayeon/park.scene.ron"),
    ),
    (
        "heaven_room.scene.ron",
        include_str!("../../assets/stories/nayeon/heaven_room.scene.ron"),
    ),
    (
        "sky.scene.ron",
        include_str!("../../assets/stories/nayeon/sky.scene.ron"),
    ),
];

/// Simulated seconds a compiled story may run for.
const PLAY_SECONDS: f64 = 600.0;
/// Frames a second of those runs: coarse, to keep executions fast.
const PLAY_HZ: f32 = 2.0;

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((b'P', rest)) => check(STORY, Given::EveryScene(rest)),
        Some((b'B', rest)) => match rest.iter().position(|b| *b == 0) {
            Some(at) => check(
                &String::from_utf8_lossy(&rest[..at]),
                Given::Parts(&rest[at + 1..]),
            ),
            None => check(&String::from_utf8_lossy(rest), Given::Parts(&[])),
        },
        Some((b'X', rest)) => script(&String::from_utf8_lossy(rest)),
        _ => check(&String::from_utf8_lossy(data), Given::Shipped),
    }
});

/// Where the files a story names come from.
#[derive(Clone, Copy)]
enum Given<'a> {
    /// The reference story's scene files, by name.
    Shipped,
    /// This text for every scene.
    EveryScene(&'a [u8]),
    /// NUL-separated: one part per place in order (missing parts: as shipped), then
    /// the rest (NULs and all) is the bytes of every model.
    Parts(&'a [u8]),
}

/// Loads `story` with the files it names as `given`, renders everything, and plays
/// what compiles.
fn check(story: &str, given: Given<'_>) {
    let mut files = MemFiles::default();
    if let Ok(parsed) = parse_ron::<StoryFile>(Path::new(STORY_FILE), story) {
        keys_are_located(
            story,
            &[
                ("cast", parsed.cast.keys().collect()),
                ("places", parsed.places.keys().collect()),
                ("variables", parsed.variables.keys().collect()),
                ("nodes", parsed.nodes.keys().collect()),
            ],
        );
        let places = parsed.places.len();
        let mut parts = match given {
            Given::Parts(rest) => Some(rest.splitn(places + 1, |b| *b == 0)),
            _ => None,
        };
        for (_, scene) in parsed.places.iter() {
            let part = parts.as_mut().and_then(Iterator::next);
            let Ok(rel) = check_relative_path(scene) else {
                continue;
            };
            let text = match (given, part) {
                (Given::EveryScene(text), _) | (_, Some(text)) => Some(text),
                _ => SCENES
                    .iter()
                    .find(|(name, _)| Path::new(name) == rel)
                    .map(|(_, text)| text.as_bytes()),
            };
            if let Some(text) = text {
                files
                    .files
                    .insert(rel, String::from_utf8_lossy(text).into_owned());
            }
        }
        if let Some(model) = parts.as_mut().and_then(Iterator::next) {
            for rel in model_files(&parsed) {
                files.bytes.insert(rel, model.to_vec());
            }
        }
    }
    files
        .files
        .insert(PathBuf::from(STORY_FILE), story.to_owned());
    let loaded = load(&files, Path::new(STORY_FILE), Path::new("fuzz"));
    render(&loaded.diagnostics);
    if std::env::var_os("FUZZ_DEBUG").is_some() {
        eprintln!(
            "{}\ncompiled: {}",
            loaded.diagnostics,
            loaded.story.is_some()
        );
    }
    for text in files.files.values() {
        scan(text);
        if let Ok(scene) = parse_ron::<SceneFile>(Path::new("fuzz"), text) {
            keys_are_located(text, &[("things", scene.things.keys().collect())]);
        }
    }
    if let Some(story) = loaded.story {
        let story = Arc::new(story);
        let mut session =
            Session::new(Arc::clone(&story)).with_participant(Box::new(Autopilot::new()));
        let _ = play_headless(&mut session, PLAY_HZ, PLAY_SECONDS);
        for line in &session.transcript {
            for lang in 0..story.languages.len() {
                let _ = line.render(&story, LangId(lang as u8));
            }
        }
        let mut nobody = Session::new(story);
        let _ = play_headless(&mut nobody, PLAY_HZ, PLAY_SECONDS);
    }
}

/// A participant script, checked against the reference story and played.
fn script(text: &str) {
    let mut files = MemFiles::default();
    files
        .files
        .insert(PathBuf::from(STORY_FILE), STORY.to_owned());
    for (name, scene) in SCENES {
        files.files.insert(PathBuf::from(name), scene.to_owned());
    }
    let loaded = load(&files, Path::new(STORY_FILE), Path::new("fuzz"));
    let story = Arc::new(loaded.story.expect("the reference story compiles"));
    scan(text);
    match Script::parse(Path::new("fuzz.script.ron"), text, &story) {
        Ok(script) => {
            let mut session = Session::new(story).with_participant(Box::new(script));
            let _ = play_headless(&mut session, PLAY_HZ, PLAY_SECONDS);
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
}

/// The span scanner agrees with `ron`: every id `ron` read in a section of `text` is
/// located at its own key, so diagnostics about it point at it. Checked for plain ids
/// in text without `\u`/`\x` escapes or raw strings (where the scanner's simple reading of
/// strings is not meant to match).
fn keys_are_located(text: &str, sections: &[(&str, Vec<&str>)]) {
    if text.contains("\\u") || text.contains("\\x") || has_raw_string(text) {
        return;
    }
    let tree = SpanTree::scan(text);
    for (section, ids) in sections {
        for id in ids {
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let span = tree.locate(&[field(section), key_name(id)]);
            let written = &text[span.start..span.end];
            assert_eq!(
                written.trim_matches(['"', '\'']),
                *id,
                "`{section}` → `{id}` located at {}:{}",
                span.pos.line,
                span.pos.col
            );
        }
    }
}

/// Whether `text` may hold a raw string (`r"..."`, `r#"..."#`): an `r` that starts a
/// token, followed by `"` or `#`.
fn has_raw_string(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| {
        b[i] == b'r'
            && matches!(b.get(i + 1), Some(b'"' | b'#'))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
    })
}

/// Every way a diagnostic is shown: the console text and the JSON.
fn render(diagnostics: &Diagnostics) {
    let _ = diagnostics.to_string();
    for d in &diagnostics.0 {
        let _ = d.headline();
    }
    let _ = serde_json::to_string(diagnostics);
}

/// The span scanner on any text (the loader only scans text `ron` accepted), with a
/// diagnostic rendered at each span it finds.
fn scan(text: &str) {
    let tree = SpanTree::scan(text);
    for path in [
        vec![],
        vec![field("start")],
        vec![field("nodes"), key("calling"), field("text"), key("en")],
        vec![field("nodes"), key_name("calling")],
        vec![field("things"), key("nayeon"), field("is")],
        vec![index(0), field("do")],
        vec![index(3), index(1), key_name("")],
    ] {
        let span = tree.locate(&path);
        let _ = Diagnostic::error(Path::new("fuzz"), text, span, "here").to_string();
        let _ = Diagnostic::warning(Path::new("fuzz"), text, span, "here").to_string();
    }
}
