//! Waits addressed to one of several participants: met by that participant alone,
//! while a wait addressed to no one is met by anyone, and the only participant of a
//! rehearsal stands for all of them.

use super::tests::story_with_head;
use super::*;
use crate::story::*;

const FAMILY: &str = r#"participants: ["mother", "father"],"#;

/// Mother's hand first (anyone's would do), then father's, then a touch by mother.
const NODES: &str = r#""anyone": Wait(until: HandHeld(by: "nayeon"), timeout: 60.0, on_timeout: "bye"),
    "let_go": Wait(until: HandReleased, timeout: 60.0, on_timeout: "bye"),
    "his": Wait(until: HandHeld(by: "nayeon", participant: "father"), timeout: 60.0, on_timeout: "bye"),
    "her_touch": Wait(until: Touched(actor: "nayeon", zone: Head, participant: "mother"), timeout: 60.0, on_timeout: "bye"),
    "look": Wait(until: GazeHeld(on: "nayeon", seconds: 1.0, participant: "mother"), timeout: 60.0, on_timeout: "bye"),
    "near": Wait(until: Any([Near(to: "nayeon", within: 1.0, participant: "father"), OperatorCue("skip")]), timeout: 60.0, on_timeout: "bye"),"#;

fn by(name: &str, event: StoryEvent) -> Input {
    Input::EventBy {
        by: name.into(),
        event,
    }
}

fn waiting_at(d: &Director) -> Option<String> {
    matches!(d.phase(), Phase::Waiting { .. }).then(|| d.story().node(d.node()).id.clone())
}

fn tick(d: &mut Director, seconds: f32) {
    for _ in 0..(seconds * 90.0).round() as usize {
        d.handle(Input::Tick(1.0 / 90.0));
    }
}

#[test]
fn a_wait_addressed_to_one_participant_is_met_by_them_alone() {
    let s = story_with_head(FAMILY, NODES, &[]);
    assert_eq!(s.participants, ["mother", "father"]);
    let nayeon = ActorId(0);
    let mut d = Director::new(s);
    d.start();
    tick(&mut d, 3.0);
    assert_eq!(waiting_at(&d).as_deref(), Some("anyone"));
    // Anyone's hand meets a wait addressed to no one.
    d.handle(by("mother", StoryEvent::HandHeld(nayeon)));
    assert_eq!(d.hand_holder(), Some("mother"));
    tick(&mut d, 0.1);
    assert_eq!(waiting_at(&d).as_deref(), Some("let_go"));
    d.handle(by("mother", StoryEvent::HandReleased));
    tick(&mut d, 0.1);
    assert_eq!(waiting_at(&d).as_deref(), Some("his"));
    // Her hand taken by mother does not meet the wait for father's.
    d.handle(by("mother", StoryEvent::HandHeld(nayeon)));
    tick(&mut d, 0.5);
    assert_eq!(
        waiting_at(&d).as_deref(),
        Some("his"),
        "mother is not father"
    );
    d.handle(by("mother", StoryEvent::HandReleased));
    let cues = d.handle(by("father", StoryEvent::HandHeld(nayeon)));
    assert!(cues.iter().any(|c| matches!(c, Cue::WaitMet { .. })));
    tick(&mut d, 0.1);
    assert_eq!(waiting_at(&d).as_deref(), Some("her_touch"));
    // Father's touch is not mother's.
    d.handle(by(
        "father",
        StoryEvent::Touched(nayeon, crate::format::TouchZone::Head),
    ));
    tick(&mut d, 0.2);
    assert_eq!(waiting_at(&d).as_deref(), Some("her_touch"));
    d.handle(by(
        "mother",
        StoryEvent::Touched(nayeon, crate::format::TouchZone::Head),
    ));
    tick(&mut d, 0.2);
    assert_eq!(waiting_at(&d).as_deref(), Some("look"));
    // Father's long look does not count for mother; hers, held a second, does.
    d.handle(by("father", StoryEvent::GazeOn(Some(nayeon))));
    tick(&mut d, 2.0);
    assert_eq!(waiting_at(&d).as_deref(), Some("look"));
    d.handle(by("mother", StoryEvent::GazeOn(Some(nayeon))));
    tick(&mut d, 0.5);
    assert_eq!(waiting_at(&d).as_deref(), Some("look"), "half a second");
    tick(&mut d, 0.7);
    assert_eq!(waiting_at(&d).as_deref(), Some("near"));
    // Mother close by is not father close by; father stepping up is.
    d.handle(by("mother", StoryEvent::Distance(nayeon, 0.4)));
    d.handle(by("father", StoryEvent::Distance(nayeon, 2.5)));
    tick(&mut d, 0.2);
    assert_eq!(waiting_at(&d).as_deref(), Some("near"));
    d.handle(by("father", StoryEvent::Distance(nayeon, 0.8)));
    tick(&mut d, 0.2);
    assert_ne!(waiting_at(&d).as_deref(), Some("near"));
}

#[test]
fn the_only_participant_of_a_rehearsal_meets_every_wait() {
    let s = story_with_head(FAMILY, NODES, &[]);
    let nayeon = ActorId(0);
    let mut d = Director::new(s);
    d.start();
    tick(&mut d, 3.0);
    d.handle(Input::Event(StoryEvent::HandHeld(nayeon)));
    tick(&mut d, 0.1);
    d.handle(Input::Event(StoryEvent::HandReleased));
    tick(&mut d, 0.1);
    assert_eq!(waiting_at(&d).as_deref(), Some("his"));
    d.handle(Input::Event(StoryEvent::HandHeld(nayeon)));
    tick(&mut d, 0.1);
    assert_eq!(
        waiting_at(&d).as_deref(),
        Some("her_touch"),
        "one person rehearsing stands for father"
    );
    assert_eq!(d.hand_holder(), None);
}

#[test]
fn who_spoke_last_is_known_by_name() {
    let s = story_with_head(FAMILY, r#""wait": Wait(until: ParticipantSpoke),"#, &[]);
    let mut d = Director::new(s);
    d.start();
    tick(&mut d, 1.0);
    assert_eq!(d.last_speaker(), None);
    d.handle(by("father", StoryEvent::ParticipantSpoke));
    assert_eq!(d.last_speaker().map(|(who, _)| who), Some("father"));
    d.handle(by(
        "mother",
        StoryEvent::IntentsHeard {
            confidence: 0.9,
            intents: Vec::new(),
        },
    ));
    assert_eq!(d.last_speaker().map(|(who, _)| who), Some("mother"));
    // The only participant has no name.
    d.handle(Input::Event(StoryEvent::ParticipantSpoke));
    assert_eq!(d.last_speaker(), None);
}

#[test]
fn she_holds_one_hand_at_a_time_whoever_reaches_for_it() {
    let s = story_with_head(FAMILY, NODES, &[]);
    let nayeon = ActorId(0);
    let mut session = crate::session::Session::new(s);
    session.start();
    session.act_as("grandma");
    // Grandma (this machine's participant) takes her hand.
    session.event_by("grandma", StoryEvent::HandHeld(nayeon));
    assert_eq!(session.director.hand_holder(), Some("grandma"));
    // Father reaching for it too, or letting go of a hand he does not hold, is not taken.
    assert!(
        session
            .event_by("father", StoryEvent::HandHeld(nayeon))
            .is_empty()
    );
    assert_eq!(session.director.hand_holder(), Some("grandma"));
    session.event_by("father", StoryEvent::HandReleased);
    assert_eq!(session.director.hand_held_by(), Some(nayeon), "still held");
    // Once grandma lets go, father may take it.
    session.event_by("grandma", StoryEvent::HandReleased);
    assert_eq!(session.director.hand_held_by(), None);
    session.event_by("father", StoryEvent::HandHeld(nayeon));
    assert_eq!(session.director.hand_holder(), Some("father"));
    // The facilitator's act (no one in particular) is never refused.
    session.input(Input::Event(StoryEvent::HandReleased));
    assert_eq!(session.director.hand_held_by(), None);
}
