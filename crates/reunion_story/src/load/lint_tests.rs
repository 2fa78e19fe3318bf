//! The checker against the mistakes a new author made writing a second story from
//! the docs alone (issue #20), and the lints found while drawing the story as a graph:
//! each a test that fails if the checker goes quiet again.

use super::test_story::*;
use crate::diagnostic::{Diagnostic, Severity};

/// A story in a park and a room: the test story with a second place and actor.
fn two_places(park_things: &str, room_things: &str, nodes: &str) -> super::MemFiles {
    let story = format!(
        r#"(
    format: 1,
    title: "Two places",
    languages: ["en"],
    cast: {{ "nayeon": (name: {{ "en": "Nayeon" }}), "friend": (name: {{ "en": "Friend" }}) }},
    places: {{ "park": "park.scene.ron", "room": "room.scene.ron" }},
    start: "arrive",
    nodes: {{
        "arrive": Go(place: "park", transition: Fade(seconds: 1.0)),
        "hello": Say(speaker: "nayeon", text: {{ "en": "Hello." }}),
        {nodes}
        "to_room": Go(place: "room", transition: Fade(seconds: 1.0)),
        "here": Say(speaker: "nayeon", text: {{ "en": "Here we are." }}),
        "end": End(),
    }},
)"#
    );
    let scene = |things: &str| {
        format!(
            r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {{
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
        {things}
    }},
)"#
        )
    };
    mem(
        &story,
        &[
            ("park.scene.ron", &scene(park_things)),
            ("room.scene.ron", &scene(room_things)),
        ],
    )
}

fn said(files: &super::MemFiles) -> (Vec<Diagnostic>, String) {
    let loaded = load_mem(files);
    let all = loaded.diagnostics.to_string();
    (loaded.diagnostics.0, all)
}

fn one_with<'a>(diags: &'a [Diagnostic], needle: &str, all: &str) -> &'a Diagnostic {
    let found: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "`{needle}` once in:\n{all}");
    found[0]
}

const CAKE: &str = r##""cake": (is: Cake(candle_sockets: 3), at: (0.0, 0.7, -1.0)),"##;

fn candles(n: usize) -> String {
    (1..=n)
        .map(|i| {
            format!(r##""candle_{i}": (is: Candle(color: "#ffffff"), at: (0.{i}, 0.7, -0.5)),"##)
        })
        .collect()
}

#[test]
fn a_cake_with_fewer_candles_than_sockets_is_warned_at_the_cake() {
    let nodes = r#""place": Wait(until: AllCandlesPlaced, timeout: 30.0),"#;
    let files = two_places(&format!("{CAKE}{}", candles(2)), "", nodes);
    let (d, all) = said(&files);
    let w = one_with(&d, "has 3 candle sockets but `park` has 2 candles", &all);
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.file.ends_with("park.scene.ron"), "{w}");
    assert!(w.message.contains("never met"), "{w}");
    assert!(
        w.hint.as_deref().unwrap_or("").contains("1 more candle"),
        "{w}"
    );
}

#[test]
fn a_cake_with_more_candles_than_sockets_is_warned_too() {
    let files = two_places(&format!("{CAKE}{}", candles(4)), "", "");
    let (d, all) = said(&files);
    one_with(
        &d,
        "has 3 candle sockets but `park` has 4 candles: 1 will have nowhere to go",
        &all,
    );
    let files = two_places(&format!("{CAKE}{}", candles(3)), "", "");
    let (_, all) = said(&files);
    assert!(!all.contains("candle sockets"), "{all}");
}

#[test]
fn cues_and_waits_about_someone_not_in_the_place_are_warned() {
    let nodes = r#""offer": Cue(world: [OfferHand(actor: "friend")]),
        "wait": Wait(until: HandHeld(by: "friend"), timeout: 10.0),
        "fly": Go(place: "park", transition: Butterfly(actor: "friend", seconds: 2.0)),"#;
    let (d, all) = said(&two_places("", "", nodes));
    for node in ["offer", "wait", "fly"] {
        let w = one_with(
            &d,
            &format!("node `{node}` is about `friend`, but `park`, where it plays, does not place"),
            &all,
        );
        assert_eq!(w.severity, Severity::Warning);
    }
}

#[test]
fn showing_a_thing_of_another_place_is_warned() {
    let room = r#""letter": (is: Letter, at: (0.0, 0.8, -0.5), hidden: true),"#;
    let nodes = r#""show": Cue(world: [Show(thing: "letter")]),"#;
    let (d, all) = said(&two_places("", room, nodes));
    let w = one_with(
        &d,
        "`letter` is not in `park`, where node `show` plays",
        &all,
    );
    assert!(
        w.hint.as_deref().unwrap_or("").contains("another place"),
        "{w}"
    );
}

#[test]
fn candles_asked_for_where_there_is_no_cake_are_warned() {
    let nodes = r#""place": Wait(until: AllCandlesPlaced, timeout: 30.0),
        "light": Cue(world: [LightCandles]),"#;
    let room = format!("{CAKE}{}", candles(3));
    let (d, all) = said(&two_places("", &room, nodes));
    one_with(
        &d,
        "node `place` is about candles, but `park`, where it plays, has no cake and no candles",
        &all,
    );
    one_with(&d, "node `light` is about candles", &all);
}

#[test]
fn a_misspelt_speaker_is_one_error_and_nothing_follows_from_it() {
    let nodes = r#""a": Say(speaker: "nayoen", text: { "en": "One." }),
        "b": Say(speaker: "nayeon", text: { "en": "Two." }),
        "c": Say(speaker: "nayeon", text: { "en": "Three." }),"#;
    let (d, all) = said(&two_places("", "", nodes));
    let e = one_with(&d, "nayoen", &all);
    assert_eq!(e.severity, Severity::Error);
    assert_eq!(e.hint.as_deref(), Some("did you mean `nayeon`?"), "{e}");
    assert_eq!(
        d.iter().filter(|d| d.severity == Severity::Error).count(),
        1,
        "only the cause:\n{all}"
    );
    assert!(!all.contains("never be reached"), "{all}");
}

#[test]
fn a_misspelt_look_at_gets_a_did_you_mean() {
    let park = r#""bench": (is: Bench, at: (1.0, 0.0, -1.0)),"#;
    let nodes = r#""look": Say(speaker: "nayeon", text: { "en": "Look." }, look_at: "bnech"),"#;
    let (d, all) = said(&two_places(park, "", nodes));
    let e = one_with(&d, "bnech", &all);
    assert_eq!(e.hint.as_deref(), Some("did you mean `bench`?"), "{e}");
}

#[test]
fn looking_at_a_thing_of_another_place_is_warned() {
    let room = r#""bench": (is: Bench, at: (1.0, 0.0, -1.0)),"#;
    let nodes = r#""look": Say(speaker: "nayeon", text: { "en": "Look." }, look_at: "bench"),"#;
    let (d, all) = said(&two_places("", room, nodes));
    one_with(
        &d,
        "`bench` is not in `park`, where node `look` plays",
        &all,
    );
}

#[test]
fn end_without_parentheses_says_what_to_write() {
    let text = story("arrive", "").replace("\"end\": End(),", "\"end\": End,");
    let (d, all) = said(&mem(&text, &[("park.scene.ron", SCENE)]));
    let e = one_with(&d, "`End` needs parentheses", &all);
    assert_eq!(e.hint.as_deref(), Some("write `End()`"));
    assert_eq!((e.line, e.col), position_of(&text, "End,"));
}

#[test]
fn a_line_before_any_go_is_an_error() {
    let text = story("calling", "");
    let (d, all) = said(&mem(&text, &[("park.scene.ron", SCENE)]));
    let e = one_with(&d, "before the story goes to any place", &all);
    assert_eq!(e.severity, Severity::Error);
    assert!(e.message.contains("`calling` is spoken"), "{e}");
    assert!(
        e.hint
            .as_deref()
            .unwrap_or("")
            .contains("Go(place: \"park\""),
        "{e}"
    );
}

#[test]
fn a_story_with_no_places_is_an_error() {
    let text = story("arrive", "").replace(r#"places: { "park": "park.scene.ron" }"#, "places: {}");
    let (d, all) = said(&mem(&text, &[]));
    let e = one_with(&d, "the story has no places", &all);
    assert_eq!(e.severity, Severity::Error);
}

#[test]
fn a_loop_with_no_way_out_is_warned_once_where_it_is_entered() {
    let nodes = r#""ask": Say(speaker: "nayeon", text: { "en": "Again?" }),
        "wait": Wait(until: ParticipantSpoke, timeout: 5.0, on_timeout: "ask", next: "ask"),"#;
    let (d, all) = said(&two_places("", "", nodes));
    let w = one_with(&d, "can never reach an `End`", &all);
    assert!(
        w.message.contains(
            "from node `ask` the story can never reach an `End`: it goes round `ask` → `wait`"
        ),
        "{w}"
    );
    // What follows the loop is never reached: that is said too, as before.
    assert!(all.contains("node `to_room` can never be reached"), "{all}");
}

#[test]
fn a_place_never_entered_is_warned() {
    let text = story("arrive", "").replace(
        r#"places: { "park": "park.scene.ron" }"#,
        r#"places: { "park": "park.scene.ron", "attic": "attic.scene.ron" }"#,
    );
    let files = mem(
        &text,
        &[("park.scene.ron", SCENE), ("attic.scene.ron", SCENE)],
    );
    let (d, all) = said(&files);
    let w = one_with(&d, "place `attic` is never entered", &all);
    assert_eq!(w.severity, Severity::Warning);
}

#[test]
fn a_thing_never_used_is_warned_in_its_scene() {
    let park = r#""letter": (is: Letter, at: (0.0, 0.8, -0.5), hidden: true),
        "bell": (is: Bench, at: (1.0, 0.0, -1.0), touch: true),
        "bench": (is: Bench, at: (2.0, 0.0, -1.0)),"#;
    let (d, all) = said(&two_places(park, "", ""));
    let w = one_with(&d, "`letter` is hidden and no `Show` ever shows it", &all);
    assert!(w.file.ends_with("park.scene.ron"), "{w}");
    one_with(&d, "`bell` reports a touch, but no wait asks for it", &all);
    // Scenery is not a thing to use.
    assert!(!all.contains("`bench`"), "{all}");
    // Shown and waited for, they are used.
    let nodes = r#""show": Cue(world: [Show(thing: "letter")]),
        "ring": Wait(until: TouchedThing("bell"), timeout: 5.0),"#;
    let (_, all) = said(&two_places(park, "", nodes));
    assert!(
        !all.contains("no `Show`") && !all.contains("no wait asks"),
        "{all}"
    );
}

#[test]
fn a_line_too_long_for_the_panel_is_warned_in_its_language() {
    let long = "Mommy, do you know what? I wrote you a letter at school, with my friend, \
                and the teacher helped me with the hard words. Shall I read it to you now?";
    let nodes = format!(r#""long": Say(speaker: "nayeon", text: {{ "en": "{long}" }}),"#);
    let (d, all) = said(&two_places("", "", &nodes));
    let w = one_with(
        &d,
        "line `long` is too long for the subtitle panel in `en`",
        &all,
    );
    assert!(
        w.hint.as_deref().unwrap_or("").contains("characters"),
        "{w}"
    );
}

/// The test story with `participants` among its top fields and `node` in its flow.
fn with_participants(participants: &str, node: &str) -> (Vec<Diagnostic>, String) {
    let text = story("arrive", node).replacen(
        "start: \"arrive\",",
        &format!("start: \"arrive\", participants: {participants},"),
        1,
    );
    said(&mem(&text, &[("park.scene.ron", SCENE)]))
}

#[test]
fn a_wait_or_a_look_for_someone_not_among_the_participants_is_an_error_with_the_names() {
    let wait =
        r#""his": Wait(until: HandHeld(by: "nayeon", participant: "fahter"), timeout: 9.0),"#;
    let (d, all) = with_participants(r#"["mother", "father"]"#, wait);
    let e = one_with(&d, "`fahter` is not one of the story's participants", &all);
    assert_eq!(e.severity, Severity::Error);
    assert!(all.contains("did you mean `father`"), "{all}");
    // A story that names no participants says how to name them.
    let (d, all) = with_participants("[]", wait);
    one_with(&d, "`fahter` is not one of the story's participants", &all);
    assert!(all.contains("participants: [\"fahter\"]"), "{all}");
    // Named, it loads; a look at a participant by name too.
    let fine = r#""his": Wait(until: Near(to: "nayeon", within: 1.0, participant: "father"), timeout: 9.0),
        "turn": Cue(world: [LookAt(actor: "nayeon", at: "mother")]),"#;
    let (d, all) = with_participants(r#"["mother", "father"]"#, fine);
    assert!(d.iter().all(|d| d.severity != Severity::Error), "{all}");
    let look = r#""turn": Cue(world: [LookAt(actor: "nayeon", at: "mohter")]),"#;
    let (d, all) = with_participants(r#"["mother"]"#, look);
    one_with(&d, "nothing called `mohter` to look at", &all);
    assert!(all.contains("did you mean `mother`"), "{all}");
}

#[test]
fn participants_need_plain_names_of_their_own() {
    for (names, says) in [
        (
            r#"["mother", "mother"]"#,
            "`mother` is defined more than once",
        ),
        (r#"["nayeon"]"#, "`nayeon` is in the cast"),
        (
            r#"["participant"]"#,
            "`participant` means whoever takes part",
        ),
        (r#"[" mother"]"#, "a participant's name is 1 to 32"),
        (r#"[""]"#, "a participant's name is 1 to 32"),
    ] {
        let (d, all) = with_participants(names, "");
        let e = one_with(&d, says, &all);
        assert_eq!(e.severity, Severity::Error, "{names}");
    }
}
