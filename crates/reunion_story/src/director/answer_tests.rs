//! The director's tests of answers: said outside the flow, never over a line, the
//! story resuming where it was; cooldowns; `Heard` waits; unsure matches waiting for
//! the facilitator; the words kept from the console without consent.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::load::{MemFiles, STORY_FILE, load};
use crate::story::*;

const SCENE: &str = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: { "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0) },
)"#;

/// A story in Korean and English that listens for "miss you" and "sorry", with the
/// flow nodes `nodes` after a 1 s fade into the park, and `consent` written.
fn story_with(nodes: &str, record_speech: Option<bool>) -> Arc<Story> {
    let consent = match record_speech {
        Some(r) => format!(
            r#"consent: (likeness_of: "a", voice_of: "b", consented_by: "c", consented_on: "2026-01-01", record_speech: {r}),"#
        ),
        None => String::new(),
    };
    let text = format!(
        r#"(
    format: 1, title: "T", languages: ["ko", "en"],
    cast: {{ "nayeon": (name: {{ "ko": "나연", "en": "Nayeon" }}) }},
    places: {{ "park": "park.scene.ron" }},
    start: "arrive",
    {consent}
    intents: {{
        "miss_you": {{ "ko": ["보고 싶", "그리웠"], "en": ["miss you"] }},
        "sorry": {{ "ko": ["미안"], "en": ["sorry"] }},
    }},
    answers: {{
        "missed_too": (
            when: Heard("miss_you"), speaker: "nayeon",
            text: {{ "ko": "나도 보고 싶었어, 엄마.", "en": "I missed you too, Mommy." }},
            cooldown: 20.0,
        ),
        "not_sorry": (
            when: Heard("sorry"), speaker: "nayeon",
            text: {{ "ko": "괜찮아, 엄마.", "en": "It's okay, Mommy." }},
            confirm_unsure: true,
        ),
        "giggle": (
            when: Touched(actor: "nayeon", zone: Head), speaker: "nayeon",
            text: {{ "ko": "히히, 간지러워!", "en": "Hee hee, that tickles!" }},
            cooldown: 5.0,
        ),
    }},
    nodes: {{
        "arrive": Go(place: "park", transition: Fade(seconds: 1.0)),
        {nodes}
        "bye": Say(speaker: "nayeon", text: {{ "ko": "안녕.", "en": "Bye." }}),
        "end": End(),
    }},
)"#
    );
    let mut files = MemFiles::default();
    files.files.insert(PathBuf::from(STORY_FILE), text);
    files
        .files
        .insert(PathBuf::from("park.scene.ron"), SCENE.to_owned());
    let loaded = load(&files, Path::new(STORY_FILE), Path::new(""));
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    Arc::new(loaded.story.expect("story"))
}

fn story(nodes: &str) -> Arc<Story> {
    story_with(nodes, None)
}

const LISTEN: &str = r#""listen": Wait(until: ParticipantSpoke, timeout: 10.0, on_timeout: "after", next: "after"),
        "after": Say(speaker: "nayeon", text: { "ko": "좋아.", "en": "Good." }, next: "bye"),"#;

fn run(d: &mut Director, seconds: f32) -> Vec<Cue> {
    let mut out = Vec::new();
    for _ in 0..(seconds * 90.0).round() as usize {
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

fn line_of(s: &Story, answer: &str) -> NodeId {
    s.answer(s.answer_id(answer).expect("answer")).line
}

fn say(d: &mut Director, text: &str, confidence: f32) -> Vec<Cue> {
    d.handle(Input::Event(StoryEvent::ParticipantSaid {
        text: text.into(),
        confidence,
    }))
}

/// A director at the `listen` wait, 2 s into it.
fn at_listen(s: &Arc<Story>) -> Director {
    let mut d = Director::new(s.clone());
    d.start();
    run(&mut d, 3.0);
    assert!(
        matches!(d.phase(), Phase::Waiting { .. }),
        "{:?}",
        d.phase()
    );
    d
}

#[test]
fn words_heard_during_a_wait_are_answered_and_the_wait_goes_on() {
    let s = story(LISTEN);
    let mut d = at_listen(&s);
    let listen = d.node();
    let left = d.wait_remaining().expect("a timeout");
    assert_eq!(d.line_being_said(), None, "a wait says nothing");
    let cues = say(&mut d, "보고싶었어", 0.9);
    assert_eq!(said(&cues, &s), ["answer:missed_too"]);
    assert_eq!(d.answering(), s.answer_id("missed_too"));
    // Her answer is the line the subtitles show, not the wait's node.
    let answer_line = s.answer(s.answer_id("missed_too").expect("answer")).line;
    assert_eq!(d.line_being_said(), Some(answer_line));
    // The wait does not move while she answers, and its time is not used up.
    let during = run(&mut d, 2.0);
    assert!(said(&during, &s).is_empty());
    assert_eq!(d.node(), listen);
    let answer_len = f64::from(line_seconds("나도 보고 싶었어, 엄마.")) + 0.5;
    run(&mut d, answer_len as f32 - 2.0 + 0.05);
    assert_eq!(d.answering(), None);
    assert_eq!(d.line_being_said(), None);
    assert_eq!(d.node(), listen, "back in the same wait");
    let remaining = d.wait_remaining().expect("still waiting");
    assert!((remaining - left).abs() < 0.1, "{remaining} vs {left}");
    // The wait then ends as it would have.
    let cues = run(&mut d, left as f32 + 0.1);
    assert!(cues.contains(&Cue::WaitTimedOut { node: listen }));
    assert_eq!(said(&cues, &s), ["after"]);
}

#[test]
fn an_answer_never_cuts_a_line_it_waits_for_its_end() {
    let s = story(
        r#""long": Say(speaker: "nayeon", text: { "ko": "엄마, 오늘 정말 즐거웠어. 고마워.", "en": "Mommy, today was so much fun. Thank you." }),"#,
    );
    let mut d = Director::new(s.clone());
    d.start();
    let cues = run(&mut d, 1.5);
    assert_eq!(said(&cues, &s), ["long"]);
    // Words heard over her line are left to the facilitator.
    let cues = say(&mut d, "I missed you", 1.0);
    assert!(said(&cues, &s).is_empty(), "not over her line");
    // A touch, or the facilitator's choice, is answered once the line is over.
    let nayeon = s.actor_id("nayeon").unwrap();
    let cues = d.handle(Input::Event(StoryEvent::Touched(nayeon, TouchZone::Head)));
    assert!(said(&cues, &s).is_empty(), "not over her line");
    assert!(!cues.iter().any(|c| matches!(c, Cue::StopLine { .. })));
    let cues = run(&mut d, 12.0);
    let lines = said(&cues, &s);
    assert_eq!(
        lines[0], "answer:giggle",
        "said once the line ended: {lines:?}"
    );
    assert!(!cues.iter().any(|c| matches!(c, Cue::StopLine { .. })));
    // And the story goes on to its next line afterwards.
    assert_eq!(lines.get(1).map(String::as_str), Some("bye"));
}

#[test]
fn an_answer_waits_out_its_cooldown_unless_the_operator_asks() {
    let s = story(LISTEN);
    let mut d = at_listen(&s);
    let first = say(&mut d, "그리웠어", 0.9);
    assert_eq!(said(&first, &s), ["answer:missed_too"]);
    run(&mut d, 4.0);
    let again = say(&mut d, "보고 싶어", 0.9);
    assert!(said(&again, &s).is_empty(), "in its cooldown");
    assert!(d.cooldown_left(s.answer_id("missed_too").unwrap()) > 0.0);
    let asked = d.handle(Input::Operator(OperatorCommand::SayAnswer(
        s.answer_id("missed_too").unwrap(),
    )));
    assert_eq!(said(&asked, &s), ["answer:missed_too"]);
}

#[test]
fn a_touch_on_her_head_makes_her_giggle() {
    let s = story(LISTEN);
    let mut d = at_listen(&s);
    let nayeon = s.actor_id("nayeon").unwrap();
    let cues = d.handle(Input::Event(StoryEvent::Touched(nayeon, TouchZone::Head)));
    assert_eq!(said(&cues, &s), ["answer:giggle"]);
    let cheek = d.handle(Input::Event(StoryEvent::Touched(nayeon, TouchZone::Cheek)));
    assert!(said(&cheek, &s).is_empty());
}

#[test]
fn what_the_wait_is_for_is_the_storys_to_answer() {
    let s = story(
        r#""listen": Wait(until: Heard("miss_you"), timeout: 10.0, on_timeout: "after", next: "heard"),
        "heard": Say(speaker: "nayeon", text: { "ko": "정말?", "en": "Really?" }, next: "bye"),
        "after": Say(speaker: "nayeon", text: { "ko": "좋아.", "en": "Good." }, next: "bye"),"#,
    );
    let mut d = at_listen(&s);
    let cues = say(&mut d, "엄마가 많이 보고 싶었어", 0.9);
    assert_eq!(
        said(&cues, &s),
        ["heard"],
        "the wait is met; no answer over it"
    );
}

#[test]
fn a_heard_wait_needs_a_sure_match_or_the_facilitator() {
    let s = story(
        r#""listen": Wait(until: Any([Heard("sorry"), Heard("miss_you")]), timeout: 10.0, on_timeout: "after", next: "heard"),
        "heard": Say(speaker: "nayeon", text: { "ko": "정말?", "en": "Really?" }, next: "bye"),
        "after": Say(speaker: "nayeon", text: { "ko": "좋아.", "en": "Good." }, next: "bye"),"#,
    );
    let mut d = at_listen(&s);
    let cues = say(&mut d, "보고 싶어", 0.3);
    assert!(!said(&cues, &s).contains(&"heard".to_owned()), "unsure");
    let cues = d.handle(Input::Operator(OperatorCommand::DeclareHeard(
        s.intent_id("miss_you").unwrap(),
    )));
    assert_eq!(said(&cues, &s), ["heard"]);
}

#[test]
fn an_unsure_answer_waits_for_the_facilitator() {
    let s = story(LISTEN);
    let sorry = s.answer_id("not_sorry").unwrap();
    // Confirmed: said.
    let mut d = at_listen(&s);
    let cues = say(&mut d, "미안해", 0.4);
    assert!(said(&cues, &s).is_empty());
    assert!(cues.contains(&Cue::AnswerPending {
        answer: sorry,
        confidence: 0.4
    }));
    assert_eq!(d.pending_answer(), Some((sorry, 0.4)));
    let cues = d.handle(Input::Operator(OperatorCommand::ConfirmAnswer));
    assert_eq!(said(&cues, &s), ["answer:not_sorry"]);
    assert_eq!(d.pending_answer(), None);
    // Dismissed: not said.
    let mut d = at_listen(&s);
    say(&mut d, "sorry", 0.4);
    let cues = d.handle(Input::Operator(OperatorCommand::DismissAnswer));
    assert!(said(&cues, &s).is_empty());
    assert!(cues.contains(&Cue::AnswerPendingEnded { answer: sorry }));
    // Left alone: it lapses.
    let mut d = at_listen(&s);
    say(&mut d, "sorry", 0.4);
    run(&mut d, PENDING_ANSWER_LAPSES as f32 - 1.0);
    assert!(d.pending_answer().is_some());
    let cues = run(&mut d, 1.1);
    assert!(cues.contains(&Cue::AnswerPendingEnded { answer: sorry }));
    assert!(
        d.handle(Input::Operator(OperatorCommand::ConfirmAnswer))
            .is_empty()
    );
    // An unsure match of an answer that does not ask is simply not answered.
    let mut d = at_listen(&s);
    let cues = say(&mut d, "보고 싶어", 0.3);
    assert!(said(&cues, &s).is_empty());
    assert!(!cues.iter().any(|c| matches!(c, Cue::AnswerPending { .. })));
}

fn heard_text(cues: &[Cue]) -> Option<Option<String>> {
    cues.iter().find_map(|c| match c {
        Cue::Heard { text, .. } => Some(text.clone()),
        _ => None,
    })
}

#[test]
fn the_words_reach_the_console_only_with_consent() {
    for (consent, shown) in [
        (None, None),
        (Some(false), None),
        (Some(true), Some("미안해".to_owned())),
    ] {
        let s = story_with(LISTEN, consent);
        let mut d = at_listen(&s);
        let cues = say(&mut d, "미안해", 0.9);
        assert_eq!(heard_text(&cues), Some(shown), "consent {consent:?}");
        let intents: Vec<_> = cues
            .iter()
            .find_map(|c| match c {
                Cue::Heard { intents, .. } => Some(intents.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(intents[0].intent, s.intent_id("sorry").unwrap());
    }
}

#[test]
fn the_words_or_only_their_intents_play_the_same() {
    let s = story(LISTEN);
    let words = StoryEvent::ParticipantSaid {
        text: "보구 싶었어".into(),
        confidence: 0.8,
    };
    let redacted = words.clone().for_the_log(&s);
    assert!(
        matches!(&redacted, StoryEvent::IntentsHeard { intents, .. } if intents.len() == 1),
        "{redacted:?}"
    );
    let mut a = at_listen(&s);
    let mut b = at_listen(&s);
    assert_eq!(
        a.handle(Input::Event(words)),
        b.handle(Input::Event(redacted))
    );
    // With consent the words are kept.
    let s = story_with(LISTEN, Some(true));
    let words = StoryEvent::ParticipantSaid {
        text: "보구 싶었어".into(),
        confidence: 0.8,
    };
    assert_eq!(words.clone().for_the_log(&s), words);
}

#[test]
fn leaving_during_an_answer_stops_it_and_the_story_resumes_where_it_was() {
    let s = story(LISTEN);
    let mut d = at_listen(&s);
    let listen = d.node();
    say(&mut d, "miss you", 1.0);
    let answer = line_of(&s, "missed_too");
    let cues = d.handle(Input::Event(StoryEvent::ParticipantExit));
    assert!(cues.contains(&Cue::StopLine { node: answer }));
    assert_eq!(d.answering(), None);
    let cues = d.handle(Input::Operator(OperatorCommand::Resume));
    assert!(said(&cues, &s).is_empty(), "the answer is not said again");
    assert_eq!(d.node(), listen);
    // Skipping an answer ends it and the wait goes on.
    let mut d = at_listen(&s);
    let nayeon = s.actor_id("nayeon").unwrap();
    d.handle(Input::Event(StoryEvent::Touched(nayeon, TouchZone::Head)));
    let cues = d.handle(Input::Operator(OperatorCommand::SkipLine));
    assert!(cues.contains(&Cue::StopLine {
        node: line_of(&s, "giggle")
    }));
    assert_eq!(d.node(), listen);
    assert!(matches!(d.phase(), Phase::Waiting { .. }));
}

#[test]
fn the_autopilot_says_the_words_a_heard_wait_listens_for() {
    let s = story(
        r#""listen": Wait(until: Heard("miss_you"), timeout: 30.0, on_timeout: "after", next: "heard"),
        "heard": Say(speaker: "nayeon", text: { "ko": "정말?", "en": "Really?" }, next: "bye"),
        "after": Say(speaker: "nayeon", text: { "ko": "좋아.", "en": "Good." }, next: "bye"),"#,
    );
    let mut session = crate::session::Session::new(s.clone())
        .with_participant(Box::new(crate::participant::Autopilot::new()));
    crate::session::play_headless(&mut session, 90.0, 120.0).expect("ends");
    let lines: Vec<String> = session
        .transcript
        .iter()
        .map(|l| s.node(l.node).id.clone())
        .collect();
    assert_eq!(lines, ["heard", "bye"]);
}
