//! The Bevy app, headless on deterministic time.

use std::sync::Arc;

use bevy::prelude::*;
use reunion_stage::headless::{headless_app, run_headless};
use reunion_stage::prelude::*;
use reunion_story::story::ThingKind;

use crate::{golden, reference};

fn autopilot_app(lang: &str) -> App {
    headless_app(
        &reference(),
        StageConfig {
            lang: Some(lang.into()),
            participant: ParticipantSource::Autopilot,
            ..default()
        },
        90.0,
    )
}

#[test]
fn the_reference_story_loads_through_the_asset_pipeline_and_plays_to_the_end() {
    let mut app = autopilot_app("en");
    run_headless(&mut app, 90 * 3600).unwrap_or_else(|s| panic!("{s}"));
    let s = app.world().resource::<StorySession>();
    assert!(s.session.director.is_ended());
    let transcript: String = s
        .session
        .transcript
        .iter()
        .map(|l| l.render(s.story(), s.lang) + "\n")
        .collect();
    assert_eq!(transcript, golden("en"));
}

/// Steps the app until `done` holds, at most `frames` updates.
fn run_until(app: &mut App, frames: u32, done: impl Fn(&World) -> bool) -> bool {
    for _ in 0..frames {
        app.update();
        if done(app.world()) {
            return true;
        }
    }
    false
}

fn things_on_stage(world: &mut World) -> Vec<String> {
    let mut q = world.query_filtered::<&ThingName, With<PlaceScoped>>();
    let mut names: Vec<String> = q.iter(world).map(|t| t.0.clone()).collect();
    names.sort();
    names
}

#[test]
fn a_place_on_stage_matches_its_scene_file_and_leaves_nothing_behind() {
    let mut app = autopilot_app("en");
    app.finish();
    app.cleanup();
    let in_park = |w: &World| {
        w.get_resource::<StorySession>().is_some() && w.resource::<OnStage>().place.is_some()
    };
    assert!(
        run_until(&mut app, 600, in_park),
        "the park never came on stage"
    );
    let story = Arc::clone(app.world().resource::<StorySession>().story());
    let park = story.place_id("park").expect("park");
    assert_eq!(app.world().resource::<OnStage>().place, Some(park));
    let mut expected: Vec<String> = story
        .place(park)
        .things
        .iter()
        .map(|t| t.id.clone())
        .collect();
    expected.sort();
    assert_eq!(things_on_stage(app.world_mut()), expected);

    // Positions and facings come from the file.
    let mut q = app.world_mut().query::<(&ThingName, &Transform)>();
    let nayeon_file = story
        .place(park)
        .things
        .iter()
        .find(|t| t.id == "nayeon")
        .expect("nayeon in the park");
    let (_, t) = q
        .iter(app.world())
        .find(|(n, _)| n.0 == "nayeon")
        .expect("nayeon spawned");
    assert_eq!(
        t.translation,
        Vec3::new(nayeon_file.at.0, nayeon_file.at.1, nayeon_file.at.2)
    );

    // Into the heaven room: nothing of the park remains.
    let room = story.place_id("heaven_room").expect("room");
    let in_room = move |w: &World| w.resource::<OnStage>().place == Some(room);
    assert!(
        run_until(&mut app, 90 * 120, in_room),
        "never reached the heaven room"
    );
    let mut expected: Vec<String> = story
        .place(room)
        .things
        .iter()
        .map(|t| t.id.clone())
        .collect();
    expected.sort();
    assert_eq!(things_on_stage(app.world_mut()), expected);
    let candles = story
        .place(room)
        .things
        .iter()
        .filter(|t| matches!(t.kind, ThingKind::Candle { .. }))
        .count();
    assert_eq!(candles, 7);
}

#[test]
fn the_same_run_twice_gives_the_same_transcript() {
    let play = || {
        let mut app = autopilot_app("ko");
        run_headless(&mut app, 90 * 3600).unwrap_or_else(|s| panic!("{s}"));
        let s = app.world().resource::<StorySession>();
        s.session
            .transcript
            .iter()
            .map(|l| (l.node, (l.at * 1000.0).round() as i64))
            .collect::<Vec<_>>()
    };
    assert_eq!(play(), play());
}

#[test]
fn operator_commands_reach_the_director() {
    let mut app = autopilot_app("en");
    app.finish();
    app.cleanup();
    let speaking = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| s.session.transcript.len() == 1)
    };
    assert!(run_until(&mut app, 90 * 30, speaking));
    app.world_mut().write_message(OperatorRequest(
        reunion_story::director::OperatorCommand::Hold,
    ));
    for _ in 0..900 {
        app.update();
    }
    let s = app.world().resource::<StorySession>();
    assert!(s.session.director.is_held());
    assert_eq!(s.session.transcript.len(), 1, "nothing is said while held");
    app.world_mut().write_message(OperatorRequest(
        reunion_story::director::OperatorCommand::EndGently,
    ));
    app.update();
    let s = app.world().resource::<StorySession>();
    assert!(
        !s.session.director.is_held(),
        "ending gently lets the story run"
    );
    let last = s.session.transcript.last().expect("a line");
    assert_eq!(s.story().node(last.node).id, "tired");
}
