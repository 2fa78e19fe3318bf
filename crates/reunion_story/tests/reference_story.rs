//! The shipped content: every `.ron` under `assets/` parses and checks clean, every
//! clip a story names is a whole Ogg Vorbis file, and the reference story plays to its
//! end with the autopilot, line for line as the golden transcripts say, each line
//! lasting as long as its clip (`UPDATE_GOLDEN=1 cargo test` rewrites the transcripts
//! after a deliberate change to the story or its clips).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use reunion_story::format::SceneFile;
use reunion_story::load::{load_dir, parse_ron};
use reunion_story::prelude::*;

/// This crate's folder. Read at run time first: `cargo test` sets it, and the build
/// cache is shared between clones, so a path baked in at compile time may be another
/// clone's.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn assets() -> PathBuf {
    manifest_dir().join("../../assets")
}

fn reference() -> Arc<Story> {
    let loaded = load_dir(&assets().join("stories/nayeon"));
    assert!(
        loaded.diagnostics.is_empty(),
        "the reference story must check clean:\n{}",
        loaded.diagnostics
    );
    Arc::new(loaded.story.expect("story"))
}

fn ron_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("assets folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            ron_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
}

#[test]
fn every_shipped_ron_file_parses_and_checks() {
    let mut files = Vec::new();
    ron_files(&assets(), &mut files);
    assert!(files.len() >= 4, "found {files:?}");
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let text = std::fs::read_to_string(&path).expect("readable");
        if name == "story.ron" {
            // No error and no warning; notes (what a cast model will move) are not
            // problems.
            let loaded = load_dir(&path);
            assert!(
                loaded.diagnostics.is_clean(),
                "{}:\n{}",
                path.display(),
                loaded.diagnostics
            );
        } else if name.ends_with(".scene.ron") {
            parse_ron::<SceneFile>(&path, &text).unwrap_or_else(|d| panic!("{d}"));
        } else if name.ends_with(".script.ron") {
            // Participant scripts are checked against their story in the CLI tests.
            parse_ron::<Vec<reunion_story::participant::ScriptStep>>(&path, &text)
                .unwrap_or_else(|d| panic!("{d}"));
        } else {
            panic!("{}: no test knows this kind of .ron file", path.display());
        }
    }
}

fn transcript(lang: &str) -> (String, Session) {
    let story = reference();
    let lang_id = story.lang_id(lang).expect("language");
    let mut session = Session::new(story.clone()).with_participant(Box::new(Autopilot::new()));
    session.director.set_language(lang_id);
    play_headless(&mut session, 90.0, 3600.0).unwrap_or_else(|s| panic!("{s}"));
    let text: String = session
        .transcript
        .iter()
        .map(|l| l.render(&story, lang_id) + "\n")
        .collect();
    (text, session)
}

fn check_golden(lang: &str) {
    let (text, _) = transcript(lang);
    let golden = manifest_dir().join(format!("tests/golden/nayeon.{lang}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &text).expect("write golden");
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(
        text, expected,
        "the {lang} transcript changed; if that is intended, run with UPDATE_GOLDEN=1"
    );
}

#[test]
fn golden_transcript_en() {
    check_golden("en");
}

#[test]
fn golden_transcript_ko() {
    check_golden("ko");
}

#[test]
fn the_autopilot_takes_every_beat_of_the_story() {
    let (_, session) = transcript("en");
    let story = session.story().clone();
    let said: Vec<&str> = session
        .transcript
        .iter()
        .map(|l| story.node(l.node).id.as_str())
        .collect();
    // The participant met every wait, so no fallback line was needed.
    for beat in [
        "calling",
        "found",
        "hold_hand",
        "afraid",
        "room",
        "birthday",
        "seven",
        "song_1",
        "wish_mommy",
        "yay",
        "not_sick",
        "letter_miss",
        "tired",
        "goodbye",
    ] {
        assert!(said.contains(&beat), "`{beat}` was never said: {said:?}");
    }
    for fallback in [
        "calling_again",
        "hand_again",
        "walk_ahead",
        "any_candles",
        "blow_herself",
    ] {
        assert!(
            !said.contains(&fallback),
            "`{fallback}` means a wait timed out: {said:?}"
        );
    }
    assert_eq!(
        session.director.var(reunion_story::story::VarId(0)),
        &reunion_story::format::Value::Bool(true)
    );
}

#[test]
fn with_nobody_acting_every_wait_times_out_and_the_story_still_ends() {
    let story = reference();
    let mut session = Session::new(story.clone());
    play_headless(&mut session, 90.0, 3600.0).unwrap_or_else(|s| panic!("{s}"));
    let said: Vec<&str> = session
        .transcript
        .iter()
        .map(|l| story.node(l.node).id.as_str())
        .collect();
    for fallback in [
        "calling_again",
        "hand_again",
        "walk_ahead",
        "any_candles",
        "blow_herself",
        "goodbye",
    ] {
        assert!(said.contains(&fallback), "`{fallback}` missing: {said:?}");
    }
}

/// Every story folder under `assets/stories`.
fn story_folders() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(assets().join("stories"))
        .expect("stories folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("story.ron").is_file())
        .collect();
    out.sort();
    out
}

#[test]
fn every_clip_a_shipped_story_names_exists_and_is_whole() {
    use reunion_story::ogg::read_ogg_vorbis;
    use reunion_story::story::{NodeKind, WorldCue};
    let mut checked = 0;
    for folder in story_folders() {
        let loaded = load_dir(&folder);
        let story = loaded
            .story
            .unwrap_or_else(|| panic!("{}:\n{}", folder.display(), loaded.diagnostics));
        let mut clips = Vec::new();
        for node in &story.nodes {
            match &node.kind {
                NodeKind::Say(line) => {
                    let Some(voice) = &line.voice else { continue };
                    for (i, lang) in story.languages.iter().enumerate() {
                        clips.push((format!("voice/{lang}/{voice}.ogg"), line.clip_seconds[i]));
                    }
                }
                NodeKind::Cue { world, .. } => {
                    for cue in world {
                        if let WorldCue::PlayMusic(clip) = cue {
                            clips.push((clip.clone(), None));
                        }
                    }
                }
                _ => {}
            }
        }
        for (clip, timed) in clips {
            let path = folder.join(&clip);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let info =
                read_ogg_vorbis(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let seconds = info.seconds();
            assert!(
                (0.3..30.0).contains(&seconds),
                "{}: {seconds} s",
                path.display()
            );
            if let Some(timed) = timed {
                assert!(
                    (f64::from(timed) - seconds).abs() < 1e-3,
                    "{}: the line is timed {timed} s, the clip is {seconds} s",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    // The reference story voices its 36 lines in two languages, and plays one song.
    assert!(checked >= 73, "only {checked} clips checked");
}

#[test]
fn the_reference_storys_ambience_loops_are_there_and_short() {
    for name in ["park", "room"] {
        let path = assets().join(format!("stories/nayeon/ambience/{name}.ogg"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let info = reunion_story::ogg::read_ogg_vorbis(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(info.channels, 1, "{name}");
        assert!(
            (4.0..=20.0).contains(&info.seconds()),
            "{name}: {} s",
            info.seconds()
        );
        assert!(bytes.len() < 100_000, "{name}: {} bytes", bytes.len());
    }
}

#[test]
fn each_line_lasts_as_long_as_its_clip_then_its_pause() {
    use reunion_story::story::NodeKind;
    let frame = 1.0 / 90.0;
    for lang in ["en", "ko"] {
        let (_, session) = transcript(lang);
        let story = session.story().clone();
        let mut pairs = 0;
        for w in session.transcript.windows(2) {
            let NodeKind::Say(line) = &story.node(w[0].node).kind else {
                unreachable!("the transcript holds lines")
            };
            // Only a line followed straight by another: nothing else takes time between.
            if line.next != w[1].node {
                continue;
            }
            // The clip's length, read from the file itself.
            let voice = line.voice.as_ref().expect("every reference line is voiced");
            let path = assets().join(format!("stories/nayeon/voice/{lang}/{voice}.ogg"));
            let clip = reunion_story::ogg::read_ogg_vorbis(&std::fs::read(&path).expect("clip"))
                .expect("a clip")
                .seconds();
            let gap = w[1].at - w[0].at;
            let expected = clip + f64::from(line.pause);
            assert!(
                gap >= expected - 1e-6 && gap <= expected + frame + 1e-6,
                "{lang}: `{}` began {gap:.3} s after `{}`, whose clip is {clip:.3} s and pause {} s",
                story.node(w[1].node).id,
                story.node(w[0].node).id,
                line.pause
            );
            pairs += 1;
        }
        assert!(
            pairs >= 15,
            "{lang}: only {pairs} lines follow each other directly"
        );
    }
}
