//! The Bevy app, headless on deterministic time.

use std::sync::Arc;

use bevy::prelude::*;
use reunion_stage::headless::{headless_app, run_headless};
use reunion_stage::prelude::*;
use reunion_stage::transition::Butterfly;
use reunion_story::director::Cue;
use reunion_story::story::ThingKind;

use crate::{copy_of_reference, golden, lines, reference, world_golden};

/// The reference story headless with the autopilot, in `lang`, at 90 Hz: the stage,
/// the participant's hands (the autopilot acts through them) and the avatar (whose
/// hand she offers).
pub fn autopilot_app(lang: &str) -> App {
    autopilot_app_in(&reference(), lang)
}

/// The story in `folder` headless with the autopilot, as [`autopilot_app`].
pub fn autopilot_app_in(folder: &std::path::Path, lang: &str) -> App {
    let mut app = headless_app(
        folder,
        StageConfig {
            lang: Some(lang.into()),
            participant: ParticipantSource::Autopilot,
            ..default()
        },
        90.0,
        false,
    );
    app.add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin));
    app
}

/// An English autopilot app, played until her first line is being said.
fn app_at_first_line() -> App {
    let mut app = autopilot_app("en");
    app.finish();
    app.cleanup();
    let speaking = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| s.session.transcript.len() == 1)
    };
    assert!(run_until(&mut app, 90 * 30, speaking), "she never spoke");
    app
}

/// Every cue, with the session time it was given at.
#[derive(Resource, Default)]
struct CueLog(Vec<(f64, Cue)>);

fn log_cues(
    mut cues: MessageReader<CueIssued>,
    session: Option<Res<StorySession>>,
    mut log: ResMut<CueLog>,
) {
    let t = session.map_or(0.0, |s| s.session.director.session_time());
    for CueIssued(c) in cues.read() {
        log.0.push((t, c.clone()));
    }
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
    assert_eq!(transcript, world_golden("en", &transcript));
    // The same path through the story as the pure director's autopilot.
    assert_eq!(lines(&transcript), lines(&golden("en")));
}

/// A new session in the same app (`NewSession`, as the soak loops and the console
/// resumes): the story is played again from its start, the same way, with the same
/// things on stage, and nothing of the first session is left over.
#[test]
fn a_new_session_in_the_same_app_plays_the_story_again_the_same_way() {
    let mut app = autopilot_app("en");
    run_headless(&mut app, 90 * 3600).unwrap_or_else(|s| panic!("{s}"));
    let said = |app: &App| {
        let s = app.world().resource::<StorySession>();
        s.session
            .transcript
            .iter()
            .map(|l| l.render(s.story(), s.lang) + "\n")
            .collect::<String>()
    };
    let first = said(&app);
    let entities = |app: &mut App| app.world_mut().query::<Entity>().iter(app.world()).count();
    let first_story = Arc::clone(app.world().resource::<StorySession>().story());
    app.world_mut().write_message(NewSession::default());
    app.world_mut()
        .resource_mut::<reunion_stage::headless::Outcome>()
        .0 = None;
    let begun = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| !s.session.director.is_ended() && s.session.transcript.len() == 1)
    };
    assert!(run_until(&mut app, 90 * 30, begun), "no new session began");
    let at_first_line = entities(&mut app);
    run_to_end(&mut app);
    assert_eq!(said(&app), first, "the second session said otherwise");
    assert!(Arc::ptr_eq(
        app.world().resource::<StorySession>().story(),
        &first_story
    ));
    // A third, to its first line: the same entities as the second had there.
    app.world_mut().write_message(NewSession::default());
    app.world_mut()
        .resource_mut::<reunion_stage::headless::Outcome>()
        .0 = None;
    assert!(
        run_until(&mut app, 90 * 30, begun),
        "no third session began"
    );
    assert_eq!(entities(&mut app), at_first_line, "entities left over");
}

/// Steps the app until `done` holds, at most `frames` updates.
pub fn run_until(app: &mut App, frames: u32, done: impl Fn(&World) -> bool) -> bool {
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
    let mut app = app_at_first_line();
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

#[test]
fn every_transition_ends_on_time_and_the_butterfly_comes_and_goes() {
    let mut app = autopilot_app("en");
    app.init_resource::<CueLog>()
        .add_systems(Update, log_cues.after(StageSystems::Director));
    app.finish();
    app.cleanup();
    let mid_butterfly = |w: &World| {
        w.resource::<TransitionView>()
            .active
            .as_ref()
            .is_some_and(|t| {
                matches!(
                    t.transition,
                    reunion_story::story::Transition::Butterfly { .. }
                ) && t.progress >= 0.3
            })
    };
    assert!(run_until(&mut app, 90 * 600, mid_butterfly), "no butterfly");
    let mut q = app.world_mut().query::<(&Butterfly, &Transform)>();
    let flying: Vec<Vec3> = q.iter(app.world()).map(|(_, t)| t.translation).collect();
    assert_eq!(flying.len(), 1, "one butterfly");
    let mut head = app
        .world_mut()
        .query_filtered::<&GlobalTransform, With<ParticipantHead>>();
    let eyes = head.single(app.world()).expect("the head").translation().y;
    assert!(
        flying[0].y > eyes - 0.35 && eyes > 1.0,
        "it flutters at head height ({eyes}), not on the floor: {flying:?}"
    );

    let ended = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| s.session.director.is_ended())
    };
    assert!(run_until(&mut app, 90 * 600, ended));
    assert_eq!(
        q.iter(app.world()).count(),
        0,
        "the butterfly is gone after the farewell"
    );
    assert!(app.world().resource::<TransitionView>().active.is_none());

    let log = &app.world().resource::<CueLog>().0;
    let mut started: Option<(f64, f32)> = None;
    let mut styles = Vec::new();
    for (t, cue) in log {
        match cue {
            Cue::StartTransition { transition, .. } => {
                assert!(started.is_none(), "transitions do not overlap");
                started = Some((*t, transition.seconds()));
                styles.push(
                    format!("{transition:?}")
                        .split(' ')
                        .next()
                        .unwrap_or("")
                        .to_owned(),
                );
            }
            Cue::TransitionEnded { .. } => {
                let (t0, secs) = started.take().expect("an end follows a start");
                let took = t - t0;
                // The autopilot holds her hand all along, so no transition pauses.
                assert!(
                    (took - f64::from(secs)).abs() < 0.05,
                    "took {took:.3} s instead of {secs} s"
                );
            }
            _ => {}
        }
    }
    assert!(started.is_none(), "the last transition ended");
    assert_eq!(styles, ["Fade", "LeadByHand", "Butterfly"], "{styles:?}");
}

/// Steps the app in real time, giving the file watcher time to see edits.
/// Steps the app in real time (the file watcher needs it) until `done` holds, at
/// most `seconds`.
pub fn run_until_real(app: &mut App, seconds: f32, done: impl Fn(&World) -> bool) -> bool {
    let until = std::time::Instant::now() + std::time::Duration::from_secs_f32(seconds);
    while std::time::Instant::now() < until {
        app.update();
        if done(app.world()) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(4));
    }
    false
}

#[test]
fn hot_reload_applies_a_valid_edit_and_survives_a_broken_one() {
    let dir = copy_of_reference("reload");
    let mut app = headless_app(
        &dir,
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            ..default()
        },
        90.0,
        true,
    );
    app.finish();
    app.cleanup();
    let started = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| !s.session.transcript.is_empty())
    };
    assert!(
        run_until_real(&mut app, 20.0, started),
        "the story never started"
    );
    let first = Arc::clone(app.world().resource::<StorySession>().story());

    // A valid edit: a line's words change; the session keeps going from where it is.
    let story_file = dir.join("story.ron");
    let src = std::fs::read_to_string(&story_file).expect("story");
    let edited = src.replace(
        "I missed you so much, Mommy.",
        "I missed you every single day, Mommy.",
    );
    assert_ne!(src, edited);
    std::fs::write(&story_file, &edited).expect("write edit");
    let reloaded = |w: &World| !Arc::ptr_eq(w.resource::<StorySession>().story(), &first);
    assert!(
        run_until_real(&mut app, 15.0, reloaded),
        "the edit was not applied"
    );
    let s = app.world().resource::<StorySession>();
    let second = Arc::clone(s.story());
    let id = second.node_id("missed_you").expect("node");
    assert_eq!(
        second.line(id).expect("line").text[1],
        "I missed you every single day, Mommy."
    );
    assert!(
        !s.session.director.is_ended(),
        "the session did not restart or end"
    );

    // A broken edit: the last good version keeps running, the error is kept for the screen.
    let broken = edited.replace("title: \"Meeting You\",", "title: \"Meeting You\"");
    std::fs::write(&story_file, &broken).expect("write broken");
    let reported = |w: &World| w.resource::<StoryProblems>().errors.is_some();
    assert!(
        run_until_real(&mut app, 15.0, reported),
        "the error was not reported"
    );
    let problems = app
        .world()
        .resource::<StoryProblems>()
        .errors
        .clone()
        .expect("errors");
    assert!(problems.contains("story.ron:"), "{problems}");
    let lines_before = app
        .world()
        .resource::<StorySession>()
        .session
        .transcript
        .len();
    for _ in 0..(90 * 30) {
        app.update();
    }
    let s = app.world().resource::<StorySession>();
    assert!(
        Arc::ptr_eq(s.story(), &second),
        "the last good story is still the one playing"
    );
    assert!(
        s.session.transcript.len() > lines_before,
        "and it keeps playing"
    );

    // Fixing the file clears the problem.
    std::fs::write(&story_file, &edited).expect("write fix");
    let cleared = |w: &World| w.resource::<StoryProblems>().errors.is_none();
    assert!(
        run_until_real(&mut app, 15.0, cleared),
        "the fix was not picked up"
    );
}

/// The command line checks a story before it opens a window; the app then takes that
/// story as it is instead of reading and checking everything again. Here the checked
/// story differs from the files (its title), so the one that plays shows which was
/// used; and the files are still watched: an edit of a scene file reloads the story
/// from disk.
#[test]
fn the_story_checked_at_start_up_is_the_one_played_and_its_files_stay_watched() {
    let dir = copy_of_reference("preloaded");
    let loaded = reunion_story::load::load_dir(&dir);
    let mut checked = loaded.story.expect("the copy checks");
    checked.title = "Checked before the window opened".into();
    let mut app = headless_app(
        &dir,
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            preloaded: Some(reunion_stage::config::PreloadedStory::new(
                Arc::new(checked),
                loaded.diagnostics,
            )),
            ..default()
        },
        90.0,
        true,
    );
    app.finish();
    app.cleanup();
    let started = |w: &World| w.get_resource::<StorySession>().is_some();
    assert!(
        run_until_real(&mut app, 20.0, started),
        "the story never started"
    );
    let first = Arc::clone(app.world().resource::<StorySession>().story());
    assert_eq!(first.title, "Checked before the window opened");

    let scene = dir.join("park.scene.ron");
    let src = std::fs::read_to_string(&scene).expect("scene");
    let edited = src.replacen("(is: Bench,", "(is: Lamp,", 1);
    assert_ne!(src, edited, "the edit changes the scene");
    std::fs::write(&scene, &edited).expect("write edit");
    let reloaded = |w: &World| !Arc::ptr_eq(w.resource::<StorySession>().story(), &first);
    assert!(
        run_until_real(&mut app, 15.0, reloaded),
        "an edit of a scene file was not picked up"
    );
    let s = app.world().resource::<StorySession>();
    assert_eq!(s.story().title, "Meeting You", "the reload read the files");
}

#[test]
fn an_operator_jump_to_another_place_fades_instead_of_cutting() {
    let mut app = app_at_first_line();
    let story = Arc::clone(app.world().resource::<StorySession>().story());
    let park = story.place_id("park").expect("park");
    let room = story.place_id("heaven_room").expect("room");
    let birthday = story.node_id("birthday").expect("node");
    app.world_mut().write_message(OperatorRequest(
        reunion_story::director::OperatorCommand::JumpTo(birthday),
    ));
    app.update();
    app.update();
    // The park is still there, under a rising cover.
    assert_eq!(app.world().resource::<OnStage>().place, Some(park));
    let cover = |w: &World| {
        w.resource::<TransitionView>()
            .active
            .as_ref()
            .map(|t| t.cover())
    };
    assert!(
        cover(app.world()).is_some_and(|c| c > 0.0 && c < 0.5),
        "{:?}",
        cover(app.world())
    );
    let in_room = move |w: &World| w.resource::<OnStage>().place == Some(room);
    assert!(
        run_until(&mut app, 90 * 2, in_room),
        "the room came on stage"
    );
    assert!(
        cover(app.world()).is_some_and(|c| c > 0.5),
        "the room appears under the cover"
    );
    let faded_in = |w: &World| w.resource::<TransitionView>().active.is_none();
    assert!(run_until(&mut app, 90 * 2, faded_in));
}

/// Puts both of the participant's hands above her head, as any input would.
fn raise_hands(app: &mut App) {
    use reunion_hands::prelude::ParticipantHand;
    let mut head = app
        .world_mut()
        .query_filtered::<&GlobalTransform, With<ParticipantHead>>();
    let eyes = head.single(app.world()).expect("the head").translation();
    let mut hands = app
        .world_mut()
        .query::<(&ParticipantHand, &mut Transform)>();
    for (hand, mut t) in hands.iter_mut(app.world_mut()) {
        t.translation = eyes + Vec3::new(hand.side.sign() * 0.2, 0.3, 0.0);
    }
}

#[test]
fn both_hands_up_for_two_seconds_takes_the_participant_to_the_calm_place() {
    let mut app = app_at_first_line();
    for _ in 0..170 {
        raise_hands(&mut app);
        app.update();
    }
    let calm = |w: &World| {
        w.resource::<StorySession>()
            .session
            .director
            .in_calm_place()
    };
    assert!(!calm(app.world()), "not before two seconds");
    for _ in 0..15 {
        raise_hands(&mut app);
        app.update();
    }
    assert!(calm(app.world()), "the exit was taken");
    assert!(
        app.world()
            .resource::<StorySession>()
            .session
            .director
            .is_held()
    );
}

#[test]
fn raising_the_hands_while_holding_hers_is_not_an_exit() {
    use reunion_stage::presence::HandHeights;
    let mut app = autopilot_app("en");
    app.finish();
    app.cleanup();
    let holding = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| s.session.stand_in.holding().is_some())
    };
    assert!(
        run_until(&mut app, 90 * 120, holding),
        "the autopilot never took her hand"
    );
    let mut up_and_holding = 0;
    for _ in 0..(90 * 4) {
        raise_hands(&mut app);
        app.update();
        if !holding(app.world()) {
            break;
        }
        let h = *app.world().resource::<HandHeights>();
        if h.left.is_some_and(|y| y > 1.8) && h.right.is_some_and(|y| y > 1.8) {
            up_and_holding += 1;
        }
    }
    assert!(
        up_and_holding > 90 * 2 + 30,
        "both hands were up while holding hers for only {up_and_holding} frames"
    );
    let s = app.world().resource::<StorySession>();
    assert!(
        !s.session.director.in_calm_place(),
        "swinging joined hands is not an exit"
    );
}

/// What the director is doing, to compare two sessions.
fn snapshot(w: &World) -> (Vec<(u32, i64)>, u32, bool, bool, u8) {
    let s = w.resource::<StorySession>();
    let d = &s.session.director;
    (
        s.session
            .transcript
            .iter()
            .map(|l| (l.node.0, (l.at * 1000.0).round() as i64))
            .collect(),
        d.node().0,
        d.is_held(),
        d.in_calm_place(),
        s.lang.0,
    )
}

#[test]
fn console_actions_drive_the_director_exactly_as_keys_do() {
    use reunion_console::ConsoleAction;
    use reunion_story::director::OperatorCommand as Op;
    use reunion_story::participant::ParticipantAction as Act;

    let mut by_console = autopilot_app("en");
    by_console.add_plugins(reunion_console::plugin_headless);
    let mut by_keys = autopilot_app("en");
    for app in [&mut by_console, &mut by_keys] {
        app.finish();
        app.cleanup();
    }
    let started = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| !s.session.transcript.is_empty())
    };
    assert!(run_until(&mut by_console, 90 * 30, started));
    assert!(run_until(&mut by_keys, 90 * 30, started));
    assert_eq!(snapshot(by_console.world()), snapshot(by_keys.world()));

    let story = Arc::clone(by_keys.world().resource::<StorySession>().story());
    let birthday = story.node_id("birthday").expect("node");
    // Each console action, and what the keys (flat.rs) write for the same thing.
    let steps: Vec<(ConsoleAction, Option<Op>, Option<Act>)> = vec![
        (ConsoleAction::Hold, Some(Op::Hold), None),
        (ConsoleAction::Resume, Some(Op::Resume), None),
        (ConsoleAction::Repeat, Some(Op::RepeatLine), None),
        (ConsoleAction::Skip, Some(Op::SkipLine), None),
        (
            ConsoleAction::JumpTo(birthday),
            Some(Op::JumpTo(birthday)),
            None,
        ),
        (
            ConsoleAction::Act(Act::PlaceCandle),
            None,
            Some(Act::PlaceCandle),
        ),
        (ConsoleAction::Act(Act::Speak), None, Some(Act::Speak)),
        (ConsoleAction::StopNow, Some(Op::StopNow), None),
        (ConsoleAction::Resume, Some(Op::Resume), None),
        (ConsoleAction::EndGently, Some(Op::EndGently), None),
    ];
    for (console, op, act) in steps {
        let name = format!("{console:?}");
        by_console.world_mut().write_message(console);
        if let Some(op) = op {
            by_keys.world_mut().write_message(OperatorRequest(op));
        }
        if let Some(act) = act {
            by_keys.world_mut().write_message(ParticipantActed(act));
        }
        for _ in 0..180 {
            by_console.update();
            by_keys.update();
        }
        assert_eq!(
            snapshot(by_console.world()),
            snapshot(by_keys.world()),
            "after {name}"
        );
    }
    let s = by_keys.world().resource::<StorySession>();
    assert!(
        s.session
            .transcript
            .iter()
            .any(|l| s.story().node(l.node).id == "tired"),
        "ending gently reached the goodbye"
    );
}

#[test]
fn a_dissolve_keeps_both_places_on_stage_until_it_ends() {
    let dir = copy_of_reference("dissolve");
    let story_file = dir.join("story.ron");
    let src = std::fs::read_to_string(&story_file).expect("story");
    let edited = src.replace(
        "transition: LeadByHand(actor: \"nayeon\", seconds: 9.0)",
        "transition: Dissolve(seconds: 6.0)",
    );
    assert_ne!(src, edited);
    std::fs::write(&story_file, edited).expect("write");
    let mut app = headless_app(
        &dir,
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            ..default()
        },
        90.0,
        false,
    );
    app.finish();
    app.cleanup();
    let dissolving = |w: &World| w.resource::<OnStage>().leaving.is_some();
    assert!(run_until(&mut app, 90 * 120, dissolving), "no dissolve");
    let on = app.world().resource::<OnStage>();
    let (place, leaving) = (on.place.expect("place"), on.leaving.expect("leaving"));
    assert_ne!(place, leaving);
    let mut q = app.world_mut().query::<&PlaceScoped>();
    let places: std::collections::HashSet<_> = q.iter(app.world()).map(|p| p.0).collect();
    assert!(
        places.contains(&place) && places.contains(&leaving),
        "both on stage"
    );
    let done = |w: &World| w.resource::<OnStage>().leaving.is_none();
    assert!(run_until(&mut app, 90 * 8, done), "the dissolve ended");
    let places: std::collections::HashSet<_> = q.iter(app.world()).map(|p| p.0).collect();
    assert_eq!(places.len(), 1, "only the new place remains");
}

#[test]
fn she_answers_i_missed_you_too_and_the_story_resumes_where_it_was() {
    use reunion_story::director::{Phase, StoryEvent};
    let log = std::env::temp_dir().join(format!("reunion-answer-{}.jsonl", std::process::id()));
    let mut app = headless_app(
        &reference(),
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            log: Some(log.clone()),
            ..default()
        },
        90.0,
        false,
    );
    app.add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin));
    app.finish();
    app.cleanup();
    // She has held out her hand, and waits for it to be taken.
    let waiting = |w: &World| {
        w.get_resource::<StorySession>().is_some_and(|s| {
            matches!(s.session.director.phase(), Phase::Waiting { .. })
                && s.story().node(s.session.director.node()).id == "wait_hand"
        })
    };
    assert!(run_until(&mut app, 90 * 90, waiting), "never waited");
    app.world_mut()
        .write_message(ReportStoryEvent(StoryEvent::ParticipantSaid {
            text: "나연아, 엄마가 보고 싶었어".into(),
            confidence: 0.9,
        }));
    app.update();
    let s = app.world().resource::<StorySession>();
    let story = Arc::clone(s.story());
    let answer = s.session.transcript.last().expect("a line");
    assert_eq!(story.node(answer.node).id, "answer:missed_you_too");
    assert!(
        answer
            .render(&story, s.lang)
            .ends_with("Nayeon: I missed you too, Mommy."),
        "{}",
        answer.render(&story, s.lang)
    );
    assert_eq!(
        story.node(s.session.director.node()).id,
        "wait_hand",
        "the story waits where it was while she answers"
    );
    // Once she has answered, the story goes on from that wait (the autopilot took
    // her hand meanwhile).
    let said = s.session.transcript.len();
    let next_line = move |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| s.session.transcript.len() > said)
    };
    assert!(run_until(&mut app, 90 * 30, next_line));
    let s = app.world().resource::<StorySession>();
    let next = s.session.transcript.last().expect("a line");
    assert_eq!(story.node(next.node).id, "afraid");
    // The log shows the intent heard and the answer said, never the words.
    app.world_mut().remove_resource::<StorySession>();
    drop(app);
    let text = std::fs::read_to_string(&log).expect("the session log");
    let _ = std::fs::remove_file(&log);
    assert!(text.contains("IntentsHeard"), "{text}");
    assert!(text.contains("\"node\":\"answer:missed_you_too\""));
    assert!(
        !text.contains("엄마가 보고"),
        "the participant's words are not kept"
    );
}

/// The reference story in a headless app with the console's dispatch, the autopilot
/// playing, up to her wait for the mother's hand.
fn at_the_wait_for_her_hand() -> App {
    use reunion_story::director::Phase;
    let mut app = headless_app(
        &reference(),
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            ..default()
        },
        90.0,
        false,
    );
    app.add_plugins((
        reunion_hands::HandsPlugin,
        reunion_avatar::AvatarPlugin,
        reunion_console::plugin_headless,
    ));
    app.finish();
    app.cleanup();
    let waiting = |w: &World| {
        w.get_resource::<StorySession>().is_some_and(|s| {
            matches!(s.session.director.phase(), Phase::Waiting { .. })
                && s.story().node(s.session.director.node()).id == "wait_hand"
        })
    };
    assert!(run_until(&mut app, 90 * 90, waiting), "never waited");
    app
}

/// How many lines were said, and the last one's node.
fn last_line(app: &App) -> (usize, String) {
    let s = app.world().resource::<StorySession>();
    let line = s.session.transcript.last().expect("a line");
    (
        s.session.transcript.len(),
        s.story().node(line.node).id.clone(),
    )
}

#[test]
fn the_facilitator_confirms_an_unsure_answer_on_the_console() {
    use reunion_console::ConsoleAction;
    use reunion_console::conversation::Conversation;
    use reunion_story::director::StoryEvent;
    let mut app = at_the_wait_for_her_hand();
    let (before, _) = last_line(&app);
    // "Sorry", heard with little confidence: the story asks the facilitator.
    app.world_mut()
        .write_message(ReportStoryEvent(StoryEvent::ParticipantSaid {
            text: "I'm sorry".into(),
            confidence: 0.4,
        }));
    app.update();
    app.update();
    let c = app.world().resource::<Conversation>().clone();
    assert_eq!(c.heard.len(), 1, "{c:?}");
    assert!(
        c.heard[0].starts_with("(words not recorded)") && c.heard[0].ends_with("sorry?"),
        "without consent the console shows the intent, unsure, not the words: {:?}",
        c.heard
    );
    let story = Arc::clone(app.world().resource::<StorySession>().story());
    let not_sorry = story.answer_id("not_sorry").expect("answer");
    assert_eq!(c.pending.map(|(a, _)| a), Some(not_sorry));
    assert_eq!(
        last_line(&app).0,
        before,
        "nothing is said before she is told"
    );
    app.world_mut().write_message(ConsoleAction::ConfirmAnswer);
    app.update();
    assert_eq!(last_line(&app), (before + 1, "answer:not_sorry".to_owned()));
    app.update();
    assert_eq!(app.world().resource::<Conversation>().pending, None);
}

#[test]
fn the_facilitators_intent_button_makes_her_answer_it() {
    use reunion_console::ConsoleAction;
    let mut app = at_the_wait_for_her_hand();
    let (before, _) = last_line(&app);
    let story = Arc::clone(app.world().resource::<StorySession>().story());
    let miss = story.intent_id("miss_you").expect("intent");
    app.world_mut()
        .write_message(ConsoleAction::DeclareHeard(miss));
    app.update();
    assert_eq!(
        last_line(&app),
        (before + 1, "answer:missed_you_too".to_owned())
    );
}

/// Steps an app already finished until its session finishes, which must be the story's
/// end.
fn run_to_end(app: &mut App) {
    let finished = |w: &World| w.resource::<reunion_stage::headless::Outcome>().0.is_some();
    assert!(run_until(app, 90 * 3600, finished), "the story did not end");
    let outcome = app.world().resource::<reunion_stage::headless::Outcome>();
    assert!(matches!(outcome.0, Some(Ok(()))), "{:?}", outcome.0);
}

/// An autopilot app in English on the reference story, logging to `log`, with the
/// console's dispatch.
fn logged_app(log: &std::path::Path) -> App {
    let mut app = headless_app(
        &reference(),
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            log: Some(log.to_path_buf()),
            ..default()
        },
        90.0,
        false,
    );
    app.add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin))
        .add_plugins(reunion_console::plugin_headless);
    app.finish();
    app.cleanup();
    app
}

/// The console's "Resume the last session": the session begun at start-up ends (its
/// log says it was ended for another, so it is not offered next time) and the one
/// that stopped goes on from its last beat, its log going on in the same file, to
/// the story's end.
#[test]
fn the_console_resumes_the_last_session_when_it_is_offered() {
    use reunion_console::{ConsoleAction, ResumeOffer};
    use reunion_story::log::read_inputs;

    let dir = std::env::temp_dir().join(format!("reunion-test-offer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    let (old, fresh) = (dir.join("old.jsonl"), dir.join("fresh.jsonl"));
    let said = |n: usize| {
        move |w: &World| {
            w.get_resource::<StorySession>()
                .is_some_and(|s| s.session.transcript.len() >= n)
        }
    };
    // A session that stops without an end after four lines (the app dropped, as a
    // crash leaves it).
    let mut first = logged_app(&old);
    assert!(run_until(&mut first, 90 * 200, said(4)), "four lines");
    drop(first);
    let logged = read_inputs(&std::fs::read_to_string(&old).expect("old log"));
    assert!(logged.stopped_without_an_end());

    let mut app = logged_app(&fresh);
    app.insert_resource(ResumeOffer {
        log: old.clone(),
        inputs: logged.inputs,
        language: logged.language,
        summary: "the test's".into(),
    });
    assert!(run_until(&mut app, 90 * 30, said(1)), "the new session");
    app.world_mut()
        .write_message(ConsoleAction::ResumeLastSession);
    let resumed = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| s.session.lines_before_resume >= 4)
    };
    assert!(run_until(&mut app, 10, resumed), "not resumed");
    assert!(
        app.world().get_resource::<ResumeOffer>().is_none(),
        "the offer stays"
    );
    let fresh_log = read_inputs(&std::fs::read_to_string(&fresh).expect("fresh log"));
    assert!(
        !fresh_log.stopped_without_an_end(),
        "the session begun at start-up would be offered next time"
    );
    run_to_end(&mut app);
    let whole = read_inputs(&std::fs::read_to_string(&old).expect("old log"));
    assert!(whole.ended, "the resumed log does not reach the end");
    assert_eq!(whole.damaged_lines, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A session that stops (a crash) just after the participant picked up a candle for
/// the cake: resumed, the candle is in the hand again and set in the cake, so all
/// seven are placed and the story goes on as it would have (not "It's perfect like
/// this", the way of a wait that ran out).
#[test]
fn a_candle_picked_up_before_a_crash_is_in_the_hand_again_and_placed() {
    use reunion_story::log::read_inputs;
    use reunion_story::story::CANDLE_TAG;

    let dir = std::env::temp_dir().join(format!("reunion-test-candle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    let log = dir.join("session.jsonl");
    let mut first = logged_app(&log);
    let carrying_the_second = |w: &World| {
        w.get_resource::<StorySession>().is_some_and(|s| {
            s.session.stand_in.candles_placed() == 1
                && s.session
                    .stand_in
                    .carrying()
                    .is_some_and(|t| s.story().thing(t).has_tag(CANDLE_TAG))
        })
    };
    assert!(
        run_until(&mut first, 90 * 600, carrying_the_second),
        "the autopilot never carried a second candle"
    );
    drop(first);
    let logged = read_inputs(&std::fs::read_to_string(&log).expect("log"));
    let mut app = headless_app(
        &reference(),
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            log: Some(log.clone()),
            ..default()
        },
        90.0,
        false,
    );
    app.insert_resource(ResumeFrom {
        log: log.clone(),
        inputs: logged.inputs,
    })
    .add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin));
    run_headless(&mut app, 90 * 3600).unwrap_or_else(|s| panic!("{s}"));
    let s = app.world().resource::<StorySession>();
    let said: Vec<String> = s
        .session
        .transcript
        .iter()
        .map(|l| l.render(s.story(), s.lang))
        .collect();
    assert!(
        !said.iter().any(|l| l.contains("perfect like this")),
        "the candle was not placed after the resume:\n{}",
        said.join("\n")
    );
    let resumed: Vec<String> = lines(&(said[s.session.lines_before_resume..].join("\n") + "\n"));
    let whole = lines(&golden("en"));
    assert_eq!(
        resumed.as_slice(),
        &whole[whole.len() - resumed.len()..],
        "the resumed lines are not the uninterrupted run's last lines"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_exit_note_says_who_ended_the_app() {
    use bevy::app::AppExit;
    use reunion_stage::session::why_the_app_exits;
    assert!(why_the_app_exits(&AppExit::Success).contains("Esc on a headset's mirror"));
    assert!(why_the_app_exits(&AppExit::from_code(130)).contains("SIGTERM"));
    assert_eq!(
        why_the_app_exits(&AppExit::from_code(3)),
        "the app ended with code 3"
    );
}
