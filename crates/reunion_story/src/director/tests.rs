//! The director's tests: every phase, command and event, on small stories.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::load::{MemFiles, STORY_FILE, load};
use crate::story::*;

const SCENE: &str = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
        "cake": (is: Cake(candle_sockets: 3), at: (0.0, 0.5, -1.0)),
    },
)"#;

fn story(nodes: &str) -> Arc<Story> {
    story_with_clips(nodes, &[])
}

/// The test story, with voice clips (path in the story folder, bytes).
fn story_with_clips(nodes: &str, clips: &[(&str, Vec<u8>)]) -> Arc<Story> {
    story_with_head("", nodes, clips)
}

/// The test story with `head` among its top fields (e.g. `participants: [...],`).
pub(super) fn story_with_head(head: &str, nodes: &str, clips: &[(&str, Vec<u8>)]) -> Arc<Story> {
    let text = format!(
        r#"(
    format: 1, title: "T", languages: ["en"], {head}
    cast: {{ "nayeon": (name: {{ "en": "Nayeon" }}) }},
    places: {{ "park": "park.scene.ron", "room": "park.scene.ron" }},
    start: "arrive",
    ending: "bye",
    variables: {{ "held": false }},
    nodes: {{
        "arrive": Go(place: "park", transition: Fade(seconds: 2.0)),
        {nodes}
        "bye": Say(speaker: "nayeon", text: {{ "en": "Bye, Mommy." }}),
        "end": End(),
    }},
)"#
    );
    let mut files = MemFiles::default();
    files.files.insert(PathBuf::from(STORY_FILE), text);
    files
        .files
        .insert(PathBuf::from("park.scene.ron"), SCENE.to_owned());
    for (path, bytes) in clips {
        files.bytes.insert(PathBuf::from(path), bytes.clone());
    }
    let loaded = load(&files, Path::new(STORY_FILE), Path::new(""));
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    Arc::new(loaded.story.expect("story"))
}

/// Ticks in 1/90 s steps for `seconds`, collecting cues.
fn run(d: &mut Director, seconds: f32) -> Vec<Cue> {
    let mut out = Vec::new();
    let steps = (seconds * 90.0).round() as usize;
    for _ in 0..steps {
        out.extend(d.handle(Input::Tick(1.0 / 90.0)));
    }
    out
}

fn said(cues: &[Cue], story: &Story) -> Vec<String> {
    cues.iter()
        .filter_map(|c| match c {
            Cue::Say { node, .. } => Some(story.node(*node).id.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn starts_by_entering_the_first_place_then_speaks_after_the_fade() {
    let s = story(r#""hello": Say(speaker: "nayeon", text: { "en": "Mommy?" }, next: "bye"),"#);
    let mut d = Director::new(s.clone());
    let cues = d.start();
    assert!(matches!(cues[0], Cue::EnterPlace { place: PlaceId(0) }));
    assert!(matches!(cues[1], Cue::StartTransition { .. }));
    let cues = run(&mut d, 1.9);
    assert!(said(&cues, &s).is_empty());
    let cues = run(&mut d, 0.2);
    assert_eq!(said(&cues, &s), ["hello"]);
}

/// The story time at which each line began, by node id.
fn line_starts(d: &mut Director, seconds: f32) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for _ in 0..(seconds * 90.0).round() as usize {
        for c in d.handle(Input::Tick(1.0 / 90.0)) {
            if let Cue::Say { node, .. } = c {
                out.push((d.story().node(node).id.clone(), d.story_time()));
            }
        }
    }
    out
}

const VOICED: &str = r#""one": Say(speaker: "nayeon", text: { "en": "Hi." }, voice: "one", pause: 0.5),
            "two": Say(speaker: "nayeon", text: { "en": "Two." }),"#;

#[test]
fn a_line_lasts_as_long_as_its_clip_without_an_audio_device() {
    // 3.2 s of clip for a two-letter text (about 1.2 s from the text alone).
    let s = story_with_clips(
        VOICED,
        &[("voice/en/one.ogg", crate::ogg::fake::clip(22_050, 70_560))],
    );
    let one = s.node_id("one").expect("node");
    let mut d = Director::new(s.clone());
    let cues = d.start();
    let told = cues.iter().chain(&run(&mut d, 2.1)).find_map(|c| match c {
        Cue::Say { node, seconds, .. } if *node == one => Some(*seconds),
        _ => None,
    });
    assert_eq!(told, Some(3.2));
    // No device ever reports the clip finished; the next line comes anyway, after
    // the clip and the pause: 2 s of fade-in, 3.2 s, 0.5 s.
    let starts = line_starts(&mut d, 6.0);
    assert_eq!(starts[0].0, "two");
    assert!(
        (starts[0].1 - (2.0 + 3.2 + 0.5)).abs() <= 1.0 / 90.0 + 1e-6,
        "{starts:?}"
    );
    assert!(line_seconds("Hi.") < 2.0);
}

#[test]
fn with_an_audio_device_the_clip_ending_keeps_the_same_timing() {
    let s = story_with_clips(
        VOICED,
        &[("voice/en/one.ogg", crate::ogg::fake::clip(22_050, 70_560))],
    );
    let one = s.node_id("one").expect("node");
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 2.0);
    // The device plays the clip a little faster than its length (a frame early).
    let mut starts = line_starts(&mut d, 3.2 - 1.0 / 90.0);
    d.handle(Input::Event(StoryEvent::LineFinished(one)));
    starts.extend(line_starts(&mut d, 1.0));
    assert_eq!(starts.len(), 1, "{starts:?}");
    assert_eq!(starts[0].0, "two");
    assert!(
        (starts[0].1 - (2.0 + 3.2 + 0.5)).abs() <= 2.0 / 90.0 + 1e-6,
        "{starts:?}"
    );
    // A report that comes late (or never) changes nothing: the line had ended.
    let mut d = Director::new(s.clone());
    d.start();
    let late = line_starts(&mut d, 2.0 + 3.2 + 0.5 + 0.1);
    d.handle(Input::Event(StoryEvent::LineFinished(one)));
    assert_eq!(late.len(), 2, "{late:?}");
    assert!(
        (late[1].1 - (2.0 + 3.2 + 0.5)).abs() <= 1.0 / 90.0 + 1e-6,
        "{late:?}"
    );
    // ... and does not cut the line now being said.
    let two = s.node_id("two").expect("node");
    assert_eq!(d.node(), two);
    assert!(matches!(d.phase(), Phase::Speaking { .. }));
}

#[test]
fn the_audio_side_can_override_a_clip_length_and_text_times_the_rest() {
    let s = story_with_clips(
        VOICED,
        &[("voice/en/one.ogg", crate::ogg::fake::clip(22_050, 70_560))],
    );
    let (one, two) = (
        s.node_id("one").expect("node"),
        s.node_id("two").expect("node"),
    );
    let mut d = Director::new(s.clone());
    d.set_clip_seconds(one, LangId(0), 1.5);
    d.start();
    let cues = run(&mut d, 10.0);
    let told: Vec<(NodeId, f32)> = cues
        .iter()
        .filter_map(|c| match c {
            Cue::Say { node, seconds, .. } => Some((*node, *seconds)),
            _ => None,
        })
        .collect();
    assert_eq!(told[0], (one, 1.5));
    // `two` has no voice: its text times it.
    assert_eq!(told[1], (two, line_seconds("Two.")));
}

#[test]
fn a_wait_is_met_by_its_event_and_not_by_others() {
    let s = story(
        r#""ask": Wait(until: HandHeld(by: "nayeon"), timeout: 30.0, on_timeout: "bye"),
            "yes": Set(var: "held", value: true, next: "end"),"#,
    );
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 3.0);
    assert!(matches!(d.phase(), Phase::Waiting { .. }));
    d.handle(Input::Event(StoryEvent::ParticipantSpoke));
    d.handle(Input::Event(StoryEvent::GazeOn(Some(ActorId(0)))));
    assert!(matches!(d.phase(), Phase::Waiting { .. }));
    let cues = d.handle(Input::Event(StoryEvent::HandHeld(ActorId(0))));
    assert!(cues.iter().any(|c| matches!(c, Cue::WaitMet { .. })));
    assert_eq!(d.var(VarId(0)), &Value::Bool(true));
    assert!(d.is_ended());
}

#[test]
fn a_wait_times_out_to_its_fallback() {
    let s = story(r#""ask": Wait(until: CandlesBlownOut, timeout: 5.0, on_timeout: "bye"),"#);
    let mut d = Director::new(s.clone());
    d.start();
    let cues = run(&mut d, 2.0 + 4.9);
    assert!(!cues.iter().any(|c| matches!(c, Cue::WaitTimedOut { .. })));
    let cues = run(&mut d, 0.2);
    assert!(cues.iter().any(|c| matches!(c, Cue::WaitTimedOut { .. })));
    assert_eq!(said(&cues, &s), ["bye"]);
}

#[test]
fn gaze_must_be_held_for_its_seconds() {
    let s = story(r#""look": Wait(until: GazeHeld(on: "nayeon", seconds: 1.5), timeout: 60.0),"#);
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 2.5);
    d.handle(Input::Event(StoryEvent::GazeOn(Some(ActorId(0)))));
    run(&mut d, 1.0);
    d.handle(Input::Event(StoryEvent::GazeOn(None)));
    d.handle(Input::Event(StoryEvent::GazeOn(Some(ActorId(0)))));
    let cues = run(&mut d, 1.0);
    assert!(
        said(&cues, &s).is_empty(),
        "looking away restarts the count"
    );
    let cues = run(&mut d, 0.6);
    assert_eq!(said(&cues, &s), ["bye"]);
}

#[test]
fn hold_freezes_the_story_and_resume_goes_on() {
    let s = story(r#""hello": Say(speaker: "nayeon", text: { "en": "Mommy, where are you?" }),"#);
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 2.1);
    d.handle(Input::Operator(OperatorCommand::Hold));
    let cues = run(&mut d, 60.0);
    assert!(said(&cues, &s).is_empty());
    assert_eq!(d.node(), s.node_id("hello").expect("node"));
    d.handle(Input::Operator(OperatorCommand::Resume));
    let cues = run(&mut d, 5.0);
    assert_eq!(said(&cues, &s), ["bye"]);
    assert!(d.session_time() > d.story_time() + 59.0);
}

#[test]
fn repeat_skip_and_jump() {
    let s = story(
        r#""one": Say(speaker: "nayeon", text: { "en": "One, two, three, four, five." }),
            "two": Say(speaker: "nayeon", text: { "en": "Two." }),"#,
    );
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 2.1);
    let cues = d.handle(Input::Operator(OperatorCommand::RepeatLine));
    assert!(cues.iter().any(|c| matches!(c, Cue::StopLine { .. })));
    assert_eq!(said(&cues, &s), ["one"]);
    let cues = d.handle(Input::Operator(OperatorCommand::SkipLine));
    assert!(cues.iter().any(|c| matches!(c, Cue::StopLine { .. })));
    assert_eq!(said(&cues, &s), ["two"]);
    let cues = d.handle(Input::Operator(OperatorCommand::JumpTo(
        s.node_id("bye").expect("node"),
    )));
    assert_eq!(said(&cues, &s), ["bye"]);
}

#[test]
fn line_finished_ends_a_line_early() {
    let s = story(
        r#""one": Say(speaker: "nayeon", text: { "en": "A long long long long line." }, pause: 0.0),"#,
    );
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 2.1);
    let one = s.node_id("one").expect("node");
    let cues = d.handle(Input::Event(StoryEvent::LineFinished(one)));
    assert_eq!(said(&cues, &s), ["bye"]);
}

#[test]
fn end_gently_goes_to_the_ending_once() {
    let s = story(r#""wait": Wait(until: OperatorCue("never")),"#);
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 10.0);
    let cues = d.handle(Input::Operator(OperatorCommand::EndGently));
    assert_eq!(said(&cues, &s), ["bye"]);
    let cues = d.handle(Input::Operator(OperatorCommand::EndGently));
    assert!(said(&cues, &s).is_empty(), "not started over");
    run(&mut d, 5.0);
    assert!(d.is_ended());
}

/// Her hand taken, and half of a four-second lead by the hand walked.
fn half_way_through_a_lead() -> (Director, Arc<Story>) {
    let s = story(
        r#""offer": Cue(world: [OfferHand(actor: "nayeon")]),
            "take": Wait(until: HandHeld(by: "nayeon"), timeout: 60.0),
            "lead": Go(place: "room", transition: LeadByHand(actor: "nayeon", seconds: 4.0)),"#,
    );
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 2.5);
    d.handle(Input::Event(StoryEvent::HandHeld(ActorId(0))));
    run(&mut d, 2.0);
    (d, s)
}

#[test]
fn a_lead_by_the_hand_pauses_when_the_hand_lets_go() {
    let (mut d, s) = half_way_through_a_lead();
    let cues = d.handle(Input::Event(StoryEvent::HandReleased));
    assert!(cues.contains(&Cue::LeadPaused(ActorId(0))));
    let cues = run(&mut d, 10.0);
    assert!(said(&cues, &s).is_empty(), "the lead waits for the hand");
    let cues = d.handle(Input::Event(StoryEvent::HandHeld(ActorId(0))));
    assert!(cues.contains(&Cue::LeadResumed(ActorId(0))));
    let cues = run(&mut d, 2.1);
    assert!(cues.contains(&Cue::TransitionEnded { place: PlaceId(1) }));
    assert_eq!(said(&cues, &s), ["bye"]);
}

#[test]
fn a_lead_whose_hand_is_not_taken_again_goes_on_without_it_after_a_patient_wait() {
    let (mut d, s) = half_way_through_a_lead();
    d.handle(Input::Event(StoryEvent::HandReleased));
    // An operator's hold does not use up her patience.
    d.handle(Input::Operator(OperatorCommand::Hold));
    let cues = run(&mut d, 60.0);
    assert!(cues.is_empty(), "{cues:?}");
    d.handle(Input::Operator(OperatorCommand::Resume));
    let cues = run(&mut d, LEAD_WAITS_FOR_HAND as f32 - 1.0);
    assert!(!cues.contains(&Cue::World(WorldCue::LetGo(ActorId(0)))));
    assert!(said(&cues, &s).is_empty(), "still waiting for the hand");
    // Then she lowers her hand, and the lead finishes its last two seconds.
    let cues = run(&mut d, 1.1);
    assert!(
        cues.contains(&Cue::World(WorldCue::LetGo(ActorId(0)))),
        "{cues:?}"
    );
    let cues = run(&mut d, 2.1);
    assert!(cues.contains(&Cue::TransitionEnded { place: PlaceId(1) }));
    assert_eq!(said(&cues, &s), ["bye"]);
}

#[test]
fn reload_keeps_the_place_when_the_node_survives() {
    let s = story(r#""wait": Wait(until: ParticipantSpoke, timeout: 100.0),"#);
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 5.0);
    let s2 = story(
        r#""intro": Say(speaker: "nayeon", text: { "en": "New line." }),
            "wait": Wait(until: ParticipantSpoke, timeout: 100.0),"#,
    );
    d.reload(s2.clone());
    assert_eq!(s2.node(d.node()).id, "wait");
    let cues = d.handle(Input::Event(StoryEvent::ParticipantSpoke));
    assert_eq!(said(&cues, &s2), ["bye"]);
}

#[test]
fn stop_now_goes_to_the_calm_place_holds_and_says_the_line_again_on_resume() {
    let s = story(
        r#""one": Say(speaker: "nayeon", text: { "en": "A long line about the park at dusk." }),"#,
    );
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 2.5);
    let cues = d.handle(Input::Operator(OperatorCommand::StopNow));
    assert!(cues.contains(&Cue::SafeExit));
    assert!(cues.contains(&Cue::Held));
    assert!(cues.iter().any(|c| matches!(c, Cue::StopLine { .. })));
    assert!(d.in_calm_place());
    assert!(
        said(&run(&mut d, 60.0), &s).is_empty(),
        "nothing happens in the calm place"
    );
    let cues = d.handle(Input::Operator(OperatorCommand::Resume));
    assert!(!d.in_calm_place());
    assert_eq!(
        said(&cues, &s),
        ["one"],
        "the interrupted line starts again"
    );
}

#[test]
fn the_participants_exit_works_in_any_phase() {
    let s = story(r#""wait": Wait(until: HandHeld(by: "nayeon"), timeout: 60.0),"#);
    for at in [0.5_f32, 1.0, 3.0, 10.0] {
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, at);
        let cues = d.handle(Input::Event(StoryEvent::ParticipantExit));
        assert!(cues.contains(&Cue::SafeExit), "at {at} s");
        assert!(d.is_held());
    }
}

#[test]
fn the_time_limit_winds_down_into_the_ending() {
    let s = story(r#""wait": Wait(until: OperatorCue("never")),"#);
    let mut d = Director::new(s.clone());
    d.set_time_limit(Some(30.0));
    d.start();
    let cues = run(&mut d, 29.9);
    assert!(!cues.contains(&Cue::WindDown));
    let cues = run(&mut d, 0.2);
    assert!(cues.contains(&Cue::WindDown));
    assert_eq!(said(&cues, &s), ["bye"]);
    assert!(!run(&mut d, 60.0).contains(&Cue::WindDown), "only once");
    assert!(d.is_ended());
}

#[test]
fn the_same_inputs_give_the_same_cues() {
    let s = story(
        r#""a": Say(speaker: "nayeon", text: { "en": "Hello." }),
            "b": Wait(until: Near(to: "nayeon", within: 1.0), timeout: 8.0),"#,
    );
    let play = || {
        let mut d = Director::new(s.clone());
        let mut all = d.start();
        for i in 0..2000 {
            all.extend(d.handle(Input::Tick(1.0 / 90.0)));
            if i == 500 {
                all.extend(d.handle(Input::Event(StoryEvent::Distance(ActorId(0), 0.8))));
            }
        }
        all
    };
    assert_eq!(play(), play());
}
