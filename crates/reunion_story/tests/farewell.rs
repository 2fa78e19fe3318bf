//! The second shipped story, `assets/stories/farewell`: built only from the project's
//! own models, it checks clean and plays to its end with the autopilot, every
//! interaction (the music box touched, the rose placed in the vase, the photo picked
//! up and set in its frame, the letter picked up, the hand taken) met by the
//! participant's acts, not by a timeout; the candle lit, then put out.

use std::path::PathBuf;
use std::sync::Arc;

use reunion_story::director::Cue;
use reunion_story::load::load_dir;
use reunion_story::prelude::*;
use reunion_story::story::{Environment, NodeKind, ThingKind, WorldCue};

fn farewell_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../../assets/stories/farewell")
}

fn farewell() -> Arc<Story> {
    let loaded = load_dir(&farewell_dir());
    assert!(
        loaded.diagnostics.is_empty(),
        "the farewell story must check clean, without warnings:\n{}",
        loaded.diagnostics
    );
    Arc::new(loaded.story.expect("a story"))
}

#[test]
fn the_farewell_checks_clean_and_knows_its_models() {
    let story = farewell();
    let room = &story.places[story.place_id("living_room").expect("a room").index()];
    assert!(matches!(room.environment, Environment::Model { .. }));
    // Every model the room shows, once: the room itself and its things.
    assert_eq!(room.models.len(), 9, "{:?}", room.models);
    let Environment::Model { sun, .. } = &room.environment else {
        panic!("a model room")
    };
    assert!(sun.is_some(), "the room writes its sun");
    assert!(
        room.models
            .contains(&PathBuf::from("models/living_room.glb"))
    );
    let thing = |id: &str| {
        let t = story.thing_in(story.place_id("living_room").expect("room"), id);
        story.thing(t.unwrap_or_else(|| panic!("`{id}` in the room")))
    };
    // The vase's sockets come from its model's empties, refined by the scene.
    let vase = thing("vase");
    let names: Vec<&str> = vase.sockets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["1", "2", "3"]);
    assert!(vase.sockets.iter().all(|s| s.accepts == ["rose"]));
    assert_eq!(thing("frame").sockets[0].name, "photo");
    assert!(thing("music_box").clips.iter().any(|c| c == "open"));
    assert!(thing("music_box").touch && thing("rose").grab && thing("photo").grab);
    assert_eq!(thing("candle").flame.map(|f| f.lit), Some(false));
    // The table's top is where the things on it stand.
    let table = thing("table").bounds.expect("measured");
    assert!((table.top() - 0.74).abs() < 0.01, "{table:?}");
    assert!(matches!(thing("table").kind, ThingKind::Model { .. }));
    // From the room the story can go to the beach next (and to the goodbye's place).
    let beach = story.place_id("beach").expect("a beach");
    assert!(
        story
            .places_after(story.node_id("sea_ask").expect("node"))
            .contains(&beach)
    );
}

#[test]
fn the_farewell_plays_to_its_end_with_every_interaction_met_by_an_act() {
    let story = farewell();
    for lang in ["ko", "en"] {
        let mut session =
            Session::new(Arc::clone(&story)).with_participant(Box::new(Autopilot::new()));
        session
            .director
            .set_language(story.lang_id(lang).expect("a language"));
        // Keep every cue, to see which waits were met and which timed out.
        session.start();
        let mut cues: Vec<Cue> = Vec::new();
        while !session.director.is_ended() && session.director.session_time() < 900.0 {
            cues.extend(session.step(1.0 / 90.0, []));
        }
        assert!(session.director.is_ended(), "{lang}: did not end");
        assert!(session.stuck().is_none(), "{:?}", session.stuck());
        let node = |c: &Cue| match c {
            Cue::WaitMet { node } | Cue::WaitTimedOut { node } => {
                Some(story.node(*node).id.clone())
            }
            _ => None,
        };
        let met: Vec<String> = cues
            .iter()
            .filter(|c| matches!(c, Cue::WaitMet { .. }))
            .filter_map(node)
            .collect();
        let timed_out: Vec<String> = cues
            .iter()
            .filter(|c| matches!(c, Cue::WaitTimedOut { .. }))
            .filter_map(node)
            .collect();
        assert_eq!(
            met,
            [
                "wait_box",
                "wait_rose",
                "wait_photo",
                "wait_frame",
                "wait_letter",
                "wait_hand",
                "wait_words"
            ],
            "{lang}: timed out: {timed_out:?}"
        );
        assert!(timed_out.is_empty(), "{lang}: {timed_out:?}");
        // The box opened by its clip; the lines of the kept paths were said.
        for clip in ["open", "play"] {
            assert!(cues.iter().any(|c| matches!(
                c,
                Cue::World(WorldCue::Animate { clip: played, .. }) if played == clip
            )));
        }
        assert!(
            cues.iter()
                .any(|c| matches!(c, Cue::World(WorldCue::Light(_))))
        );
        assert!(
            cues.iter()
                .any(|c| matches!(c, Cue::World(WorldCue::PutOut(_))))
        );
        let said: Vec<&str> = session
            .transcript
            .iter()
            .map(|l| story.node(l.node).id.as_str())
            .collect();
        for line in [
            "box_song",
            "rose_thanks",
            "frame_ask",
            "photo_thanks",
            "sea",
            "letter_thanks",
            "warm",
            "love",
        ] {
            assert!(said.contains(&line), "{lang}: `{line}` not said: {said:?}");
        }
        for fallback in [
            "open_for_you",
            "rose_later",
            "photo_later",
            "letter_later",
            "no_hand",
        ] {
            assert!(
                !said.contains(&fallback),
                "{lang}: `{fallback}` said: {said:?}"
            );
        }
        // The room's things were met by the waits above; on the beach the participant
        // still carries her letter at the end.
        let beach = story.place_id("beach").expect("a beach");
        assert_eq!(
            session.stand_in.carrying(),
            story.thing_in(beach, "letter"),
            "{lang}"
        );
    }
}

#[test]
fn with_nobody_acting_the_farewell_still_ends_gently() {
    let story = farewell();
    let mut session = Session::new(Arc::clone(&story));
    play_headless(&mut session, 90.0, 900.0).unwrap_or_else(|s| panic!("{s}"));
    let said: Vec<&str> = session
        .transcript
        .iter()
        .map(|l| story.node(l.node).id.as_str())
        .collect();
    for fallback in [
        "open_for_you",
        "rose_later",
        "photo_later",
        "letter_later",
        "no_hand",
        "goodbye",
        "love",
    ] {
        assert!(said.contains(&fallback), "`{fallback}` missing: {said:?}");
    }
    // Every wait of the story has a timeout.
    assert!(story.nodes.iter().all(|n| match &n.kind {
        NodeKind::Wait { timeout, .. } => timeout.is_some(),
        _ => true,
    }));
}

/// Every `.ron` file shipped under `assets/stories`: each folder's story checks without
/// errors, and each `.ron` in it is its `story.ron` or a scene one of its places names
/// (so none is left unparsed).
#[test]
fn every_shipped_ron_file_is_parsed_and_checks_without_errors() {
    let stories = farewell_dir().join("..");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&stories)
        .expect("the stories folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 2, "{folders:?}");
    for folder in folders {
        let loaded = load_dir(&folder);
        assert!(
            !loaded.diagnostics.has_errors(),
            "{}:\n{}",
            folder.display(),
            loaded.diagnostics
        );
        let story = loaded.story.expect("a story");
        let mut rons: Vec<String> = std::fs::read_dir(&folder)
            .expect("a story folder")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|n| n.ends_with(".ron"))
            .collect();
        rons.sort();
        for ron in rons {
            let named = ron == "story.ron" || story.places.iter().any(|p| p.file == ron);
            assert!(named, "{}: `{ron}` is read by no story", folder.display());
        }
    }
}
