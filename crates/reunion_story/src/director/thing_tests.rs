//! The director's tests of things: picked up, put down, placed in sockets, touched,
//! lit and put out, as states or since the wait began, forgotten with the place.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::load::{MemFiles, STORY_FILE, load};
use crate::story::*;

const SCENE: &str = r##"(
    environment: Room(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
        "bowl": (is: Toy(kind: Blocks, color: "#ffffff"), at: (0.0, 0.5, -1.0),
                 sockets: { "top": (at: (0.0, 0.3, 0.0), accepts: ["ball"]) }),
        "ball": (is: Toy(kind: Ball, color: "#ff0000"), at: (0.3, 0.5, -1.0), grab: true, tags: ["ball"]),
        "lamp": (is: Lamp, at: (1.0, 0.0, -1.0), touch: true, flame: (at: (0.0, 3.3, 0.0))),
        "lit_lamp": (is: Lamp, at: (-1.0, 0.0, -1.0), flame: (at: (0.0, 3.3, 0.0), lit: true)),
    },
)"##;

fn story(nodes: &str) -> Arc<Story> {
    let text = format!(
        r#"(
    format: 1, title: "T", languages: ["en"],
    cast: {{ "nayeon": (name: {{ "en": "Nayeon" }}) }},
    places: {{ "room": "room.scene.ron", "again": "room.scene.ron" }},
    start: "arrive",
    nodes: {{
        "arrive": Go(place: "room", transition: Fade(seconds: 1.0)),
        {nodes}
        "bye": Say(speaker: "nayeon", text: {{ "en": "Bye." }}),
        "end": End(),
    }},
)"#
    );
    let mut files = MemFiles::default();
    files.files.insert(PathBuf::from(STORY_FILE), text);
    files
        .files
        .insert(PathBuf::from("room.scene.ron"), SCENE.to_owned());
    let loaded = load(&files, Path::new(STORY_FILE), Path::new(""));
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    Arc::new(loaded.story.expect("story"))
}

/// A director of `nodes`, past its fade, waiting at the first wait.
fn waiting(nodes: &str) -> (Arc<Story>, Director) {
    let s = story(nodes);
    let mut d = Director::new(s.clone());
    d.start();
    tick(&mut d, 1.1);
    assert!(
        matches!(d.phase(), Phase::Waiting { .. }),
        "{:?}",
        d.phase()
    );
    (s, d)
}

fn tick(d: &mut Director, seconds: f32) -> Vec<Cue> {
    let mut out = Vec::new();
    for _ in 0..(seconds * 90.0).round() as usize {
        out.extend(d.handle(Input::Tick(1.0 / 90.0)));
    }
    out
}

fn thing(s: &Story, place: &str, id: &str) -> ThingId {
    s.thing_in(s.place_id(place).expect("a place"), id)
        .expect("a thing")
}

fn met(cues: &[Cue]) -> bool {
    cues.iter().any(|c| matches!(c, Cue::WaitMet { .. }))
}

#[test]
fn placed_is_met_when_the_thing_stands_in_a_socket_of_the_holder() {
    let (s, mut d) =
        waiting(r#""w": Wait(until: Placed(thing: "ball", in: "bowl"), timeout: 30.0),"#);
    let (ball, bowl) = (thing(&s, "room", "ball"), thing(&s, "room", "bowl"));
    assert!(!met(&d.handle(Input::Event(StoryEvent::PickedUp(ball)))));
    // Placed somewhere else first (the lamp has no socket, but the world says so).
    let lamp = thing(&s, "room", "lamp");
    let elsewhere = StoryEvent::Placed {
        thing: ball,
        into: lamp,
        socket: 0,
    };
    assert!(!met(&d.handle(Input::Event(elsewhere))));
    let into_bowl = StoryEvent::Placed {
        thing: ball,
        into: bowl,
        socket: 0,
    };
    assert!(met(&d.handle(Input::Event(into_bowl))));
}

#[test]
fn placed_and_holding_are_states_already_true_when_the_wait_begins() {
    let s = story(
        r#""say": Say(speaker: "nayeon", text: { "en": "Put the ball in the bowl." }),
        "w": Wait(until: Placed(thing: "ball", in: "bowl"), timeout: 30.0),
        "h": Wait(until: Holding(thing: "ball"), timeout: 30.0),"#,
    );
    let (ball, bowl) = (thing(&s, "room", "ball"), thing(&s, "room", "bowl"));
    let mut d = Director::new(s.clone());
    d.start();
    tick(&mut d, 1.5);
    // During the line: picked up and placed before she asks.
    d.handle(Input::Event(StoryEvent::PickedUp(ball)));
    d.handle(Input::Event(StoryEvent::Placed {
        thing: ball,
        into: bowl,
        socket: 0,
    }));
    let cues = tick(&mut d, 5.0);
    let w = s.node_id("w").expect("node");
    assert!(cues.contains(&Cue::WaitMet { node: w }), "{cues:?}");
    // Now at `h`: the ball is in the bowl, not held. Picked up (out of the bowl), held.
    assert_eq!(d.node(), s.node_id("h").expect("node"));
    assert!(met(&d.handle(Input::Event(StoryEvent::PickedUp(ball)))));
}

#[test]
fn holding_ends_when_the_thing_is_put_down() {
    let nodes = r#""say": Say(speaker: "nayeon", text: { "en": "Hold the ball." }),
        "w": Wait(until: Holding(thing: "ball"), timeout: 30.0),"#;
    for put_down in [false, true] {
        let s = story(nodes);
        let ball = thing(&s, "room", "ball");
        let mut d = Director::new(s.clone());
        d.start();
        tick(&mut d, 1.5);
        d.handle(Input::Event(StoryEvent::PickedUp(ball)));
        if put_down {
            d.handle(Input::Event(StoryEvent::PutDown(ball)));
        }
        let cues = tick(&mut d, 5.0);
        assert_eq!(met(&cues), !put_down, "put down: {put_down}, {cues:?}");
    }
}

#[test]
fn a_touch_counts_only_since_the_wait_began() {
    let s = story(
        r#""say": Say(speaker: "nayeon", text: { "en": "Touch the lamp." }),
        "w": Wait(until: TouchedThing("lamp"), timeout: 30.0),"#,
    );
    let lamp = thing(&s, "room", "lamp");
    let mut d = Director::new(s.clone());
    d.start();
    tick(&mut d, 1.5);
    d.handle(Input::Event(StoryEvent::TouchedThing(lamp)));
    let cues = tick(&mut d, 5.0);
    assert!(!met(&cues), "touched during her line: {cues:?}");
    assert!(met(&d.handle(Input::Event(StoryEvent::TouchedThing(lamp)))));
}

#[test]
fn lit_follows_the_flame_as_written_then_as_reported() {
    let (s, mut d) = waiting(r#""w": Wait(until: Lit("lamp"), timeout: 30.0),"#);
    let lamp = thing(&s, "room", "lamp");
    assert!(!met(&tick(&mut d, 0.1)));
    assert!(met(&d.handle(Input::Event(StoryEvent::Lit(lamp)))));
    // Put out, it is no longer lit.
    d.handle(Input::Event(StoryEvent::PutOut(lamp)));
    // A lamp lit as written is met at once.
    let s = story(r#""w": Wait(until: Lit("lit_lamp"), timeout: 30.0),"#);
    let mut d = Director::new(s.clone());
    d.start();
    let cues = tick(&mut d, 1.1);
    assert!(met(&cues), "{cues:?}");
    // And one put out is not.
    let s = story(
        r#""say": Say(speaker: "nayeon", text: { "en": "Oh, the lamp." }),
        "w": Wait(until: Lit("lit_lamp"), timeout: 30.0),"#,
    );
    let mut d = Director::new(s.clone());
    d.start();
    tick(&mut d, 1.5);
    d.handle(Input::Event(StoryEvent::PutOut(thing(
        &s, "room", "lit_lamp",
    ))));
    assert!(!met(&tick(&mut d, 5.0)));
}

#[test]
fn entering_a_place_forgets_its_things() {
    let s = story(
        r#""w": Wait(until: Holding(thing: "ball"), timeout: 5.0),
        "go": Go(place: "again", transition: Fade(seconds: 1.0)),
        "h": Wait(until: Holding(thing: "ball"), timeout: 5.0),"#,
    );
    let mut d = Director::new(s.clone());
    d.start();
    tick(&mut d, 1.1);
    let ball = thing(&s, "room", "ball");
    assert!(met(&d.handle(Input::Event(StoryEvent::PickedUp(ball)))));
    let cues = tick(&mut d, 1.1);
    assert!(
        cues.iter()
            .any(|c| matches!(c, Cue::TransitionEnded { .. }))
    );
    // In the other place the ball (its own) is not held: the wait runs to its timeout.
    let h = s.node_id("h").expect("node");
    assert_eq!(d.node(), h);
    let cues = tick(&mut d, 5.1);
    assert!(cues.contains(&Cue::WaitTimedOut { node: h }), "{cues:?}");
}
