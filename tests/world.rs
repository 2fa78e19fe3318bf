//! Their world, headless: the example story made of the project's own glTF models
//! (`assets/stories/farewell`) played by the Bevy app — the autopilot picking up,
//! placing and touching its things through the hands, a model prop dropped on a
//! model table, and a model re-exported while the story runs.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;
use reunion_hands::prelude::*;
use reunion_hands::props::{Falling, InHand};
use reunion_stage::components::ThingName;
use reunion_stage::headless::{headless_app, run_headless};
use reunion_stage::prelude::*;
use reunion_story::director::StoryEvent;

use crate::app::{run_until, run_until_real};
use crate::root;

fn farewell() -> PathBuf {
    root().join("assets/stories/farewell")
}

/// What the world reported to the director, in order.
#[derive(Resource, Default)]
struct Reported(Vec<StoryEvent>);

fn record(mut reports: MessageReader<ReportStoryEvent>, mut seen: ResMut<Reported>) {
    seen.0.extend(reports.read().map(|r| r.0.clone()));
}

fn farewell_app(folder: &std::path::Path, participant: ParticipantSource, watch: bool) -> App {
    let mut app = headless_app(
        folder,
        StageConfig {
            lang: Some("en".into()),
            participant,
            ..default()
        },
        90.0,
        watch,
    );
    app.add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin))
        .init_resource::<Reported>()
        .add_systems(
            Update,
            record
                .after(HandsSystems::Interact)
                .before(StageSystems::Director),
        );
    app
}

fn said(app: &App) -> String {
    let s = app.world().resource::<StorySession>();
    s.session
        .transcript
        .iter()
        .map(|l| l.render(s.story(), s.lang) + "\n")
        .collect()
}

#[test]
fn the_farewell_plays_to_its_end_with_the_autopilot_acting_on_its_things() {
    let mut app = farewell_app(&farewell(), ParticipantSource::Autopilot, false);
    run_headless(&mut app, 90 * 3600).unwrap_or_else(|s| panic!("{s}"));
    let s = app.world().resource::<StorySession>();
    assert!(s.session.director.is_ended());
    let transcript = said(&app);
    // Every wait was met by the hands, none by its timeout.
    for met in [
        "You loved this song when you were little.",
        "How pretty. Thank you.",
        "Will you put it in the frame?",
        "The sea was so warm that day.",
        "Read it later, slowly.",
        "Your hand is still warm.",
    ] {
        assert!(transcript.contains(met), "missing {met:?}:\n{transcript}");
    }
    for timed_out in [
        "Then I'll open it for you.",
        "the rose can wait",
        "Let's leave the photo.",
        "Leave the letter there.",
    ] {
        assert!(
            !transcript.contains(timed_out),
            "a wait timed out ({timed_out:?}):\n{transcript}"
        );
    }
    // And the hands did it: the world reported each act, not the stand-in.
    let story = Arc::clone(s.story());
    let reported = &app.world().resource::<Reported>().0;
    let named = |t: reunion_story::story::ThingId| story.thing(t).id.clone();
    assert!(reported.iter().any(|e| matches!(e,
        StoryEvent::Placed { thing, into, .. } if named(*thing) == "rose" && named(*into) == "vase")));
    assert!(reported.iter().any(|e| matches!(e,
        StoryEvent::Placed { thing, into, .. } if named(*thing) == "photo" && named(*into) == "frame")));
    assert!(reported.iter().any(|e| matches!(e,
        StoryEvent::TouchedThing(t) if named(*t) == "music_box")));
    assert!(reported.iter().any(|e| matches!(e,
        StoryEvent::PickedUp(t) if named(*t) == "letter")));
}

/// The live farewell, nobody acting but the test's hands, in the living room.
fn live_in_the_living_room() -> App {
    let mut app = farewell_app(&farewell(), ParticipantSource::Live, false);
    app.insert_resource(HandInput::Scripted);
    app.finish();
    app.cleanup();
    assert!(
        run_until(&mut app, 90 * 20, |w| w
            .get_resource::<OnStage>()
            .is_some_and(|o| o.place.is_some())),
        "the living room never came on stage"
    );
    app.update();
    app
}

fn thing(app: &mut App, name: &str) -> Entity {
    let mut q = app.world_mut().query::<(Entity, &ThingName)>();
    q.iter(app.world())
        .find(|(_, n)| n.0 == name)
        .map(|(e, _)| e)
        .unwrap_or_else(|| panic!("no {name} on stage"))
}

fn set_right_hand(app: &mut App, at: Vec3, grip: f32) {
    let mut q = app.world_mut().query::<(Entity, &ParticipantHand)>();
    let e = q
        .iter(app.world())
        .find(|(_, h)| h.side == HandSide::Right)
        .map(|(e, _)| e)
        .expect("the right hand");
    let mut entity = app.world_mut().entity_mut(e);
    entity.get_mut::<Transform>().expect("pose").translation = at;
    let mut h = entity.get_mut::<ParticipantHand>().expect("hand");
    h.grip = grip;
    h.tracking = Tracking::Tracked;
}

fn hold_right_hand(app: &mut App, at: Vec3, grip: f32, frames: u32) {
    for _ in 0..frames {
        set_right_hand(app, at, grip);
        app.update();
    }
}

#[test]
fn a_rose_dropped_over_the_model_table_rests_on_its_top() {
    let mut app = live_in_the_living_room();
    let story = Arc::clone(app.world().resource::<StorySession>().story());
    let place = story.place_id("living_room").expect("the living room");
    let table = story
        .place(place)
        .things
        .iter()
        .find(|t| t.id == "table")
        .expect("a table");
    // The table's box is the model's, measured from the file by the checker.
    let top = table.bounds_in_place().expect("the table's box").max.y;
    assert!(
        (top - 0.74).abs() < 0.01,
        "the table model is 74 cm high: {top}"
    );

    let rose = thing(&mut app, "rose");
    let base = app
        .world()
        .get::<Transform>(rose)
        .expect("pose")
        .translation;
    let grip = app
        .world()
        .get::<reunion_hands::props::Grabbable>(rose)
        .expect("the rose can be picked up")
        .grip_height;
    let at = base + Vec3::Y * grip;
    hold_right_hand(&mut app, at, 0.0, 3);
    hold_right_hand(&mut app, at, 1.0, 5);
    assert!(
        app.world().get::<InHand>(rose).is_some(),
        "the rose was not picked up"
    );
    // Carried 30 cm above the table, to a bare spot, and let go.
    let over = Vec3::new(0.05, top + 0.3, -1.3);
    for k in 1..=20 {
        hold_right_hand(
            &mut app,
            at.lerp(over + Vec3::Y * grip, k as f32 / 20.0),
            1.0,
            1,
        );
    }
    hold_right_hand(&mut app, over + Vec3::Y * grip, 0.0, 5);
    hold_right_hand(&mut app, over + Vec3::new(0.0, 0.4, 0.3), 0.0, 90);
    let rests = app
        .world()
        .get::<Transform>(rose)
        .expect("pose")
        .translation;
    assert!(app.world().get::<Falling>(rose).is_none(), "still falling");
    assert!(
        (rests.y - top).abs() < 1e-3,
        "on the table's top ({top}): {rests}"
    );
    assert!((rests.with_y(0.0) - over.with_y(0.0)).length() < 1e-3);
    let reported = &app.world().resource::<Reported>().0;
    assert!(
        reported
            .iter()
            .any(|e| matches!(e, StoryEvent::PickedUp(_)))
    );
    assert!(reported.iter().any(|e| matches!(e, StoryEvent::PutDown(_))));
}

#[test]
fn a_broken_re_export_of_a_model_keeps_the_last_good_one_and_says_why() {
    let dir = std::env::temp_dir().join(format!("reunion-test-reexport-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    crate::copy_dir(&farewell(), &dir);
    let mut app = farewell_app(&dir, ParticipantSource::Autopilot, true);
    app.finish();
    app.cleanup();
    assert!(
        run_until_real(&mut app, 20.0, |w| w
            .get_resource::<StorySession>()
            .is_some_and(|s| !s.session.transcript.is_empty())),
        "the story never started"
    );
    let good = Arc::clone(app.world().resource::<StorySession>().story());

    // The table re-exported and cut short (an export that died half-way).
    let table = dir.join("models/table.glb");
    let bytes = std::fs::read(&table).expect("table.glb");
    std::fs::write(&table, &bytes[..bytes.len() / 2]).expect("write broken");
    assert!(
        run_until_real(&mut app, 15.0, |w| w
            .resource::<StoryProblems>()
            .errors
            .is_some()),
        "the broken model was not reported"
    );
    let problems = app.world().resource::<StoryProblems>().errors.clone();
    let problems = problems.expect("errors");
    assert!(problems.contains("table.glb"), "{problems}");
    for _ in 0..90 {
        app.update();
    }
    let s = app.world().resource::<StorySession>();
    assert!(
        Arc::ptr_eq(s.story(), &good),
        "the last good story (and its table) keeps playing"
    );

    // Exported again, whole: the problem clears and the story is read anew.
    std::fs::write(&table, &bytes).expect("write fixed");
    assert!(
        run_until_real(&mut app, 15.0, |w| w
            .resource::<StoryProblems>()
            .errors
            .is_none()),
        "the fixed model was not picked up"
    );
    let s = app.world().resource::<StorySession>();
    assert!(!Arc::ptr_eq(s.story(), &good), "the story was read again");
    assert!(!s.session.director.is_ended());
    let _ = std::fs::remove_dir_all(&dir);
}
