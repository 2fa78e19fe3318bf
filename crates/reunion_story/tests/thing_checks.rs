//! What a story asks of its things, checked at the field that asks: sockets a scene
//! writes that the model lacks, tags no thing carries, clips a model does not have
//! (each with a "did you mean"), a `Placed` into a thing with no socket or none that
//! accepts the thing, `Holding`/`TouchedThing`/`Lit` of things that cannot be held,
//! touched or lit, and things asked for in a place that does not have them.

#[path = "support/scene_story.rs"]
mod scene_story;

use reunion_story::prelude::*;
use reunion_story::story::{CANDLE_TAG, Condition, NodeKind, WorldCue};
use scene_story::{BEACH, ROOM, at, check, files, model, position_of, story, the};

/// The error whose message is `message`, located at `needle` in `text` (`file`).
fn error_at(loaded: &Loaded, message: &str, file: &str, text: &str, needle: &str) -> Diagnostic {
    let d = the(loaded, message).clone();
    assert_eq!(d.severity, Severity::Error, "{d}");
    at(&d, file, position_of(text, needle));
    assert!(loaded.story.is_none());
    d
}

#[test]
fn conditions_and_cues_on_things_compile_to_typed_ids() {
    let room_nodes = r#""open": Cue(world: [Animate(thing: "music_box", clip: "open")]),
        "touch": Wait(until: TouchedThing("music_box"), timeout: 10.0),
        "rose": Wait(until: Placed(thing: "rose", in: "vase"), timeout: 10.0),
        "photo": Wait(until: Holding(thing: "photo"), timeout: 10.0),"#;
    let loaded = check(&files(&story(room_nodes, ""), ROOM, BEACH));
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    let story = loaded.story.expect("a story");
    let room = story.place_id("room").expect("room");
    let id = |name: &str| story.thing_in(room, name).expect("a thing");
    let NodeKind::Wait { until, .. } = &story.node(story.node_id("rose").expect("node")).kind
    else {
        panic!("a wait")
    };
    let Condition::Placed { thing, into } = until else {
        panic!("{until:?}")
    };
    assert_eq!(thing.0, [id("rose")]);
    assert_eq!(into.0, [id("vase")]);
    let NodeKind::Cue { world, .. } = &story.node(story.node_id("open").expect("node")).kind else {
        panic!("a cue")
    };
    assert_eq!(
        world[0],
        WorldCue::Animate {
            thing: reunion_story::story::ThingSet(vec![id("music_box")]),
            clip: "open".into()
        }
    );
}

#[test]
fn a_socket_the_model_lacks_is_an_error_with_did_you_mean() {
    let room = ROOM.replace(
        r#""frame": (is: Model(file: "models/photo_frame.glb"), at: (-0.25, 0.74, -1.75)),"#,
        r#""frame": (is: Model(file: "models/photo_frame.glb"), at: (-0.25, 0.74, -1.75), sockets: { "phot": (accepts: ["photo"]) }),"#,
    );
    let loaded = check(&files(&story("", ""), &room, BEACH));
    let d = error_at(
        &loaded,
        "`frame`'s model `models/photo_frame.glb` has no empty `socket_phot`, and the socket gives no `at`",
        "s/room.scene.ron",
        &room,
        "(accepts: [\"photo\"])",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `photo`?"));
    // Written with `at`, it is a socket of its own.
    let room = room.replace(
        "(accepts: [\"photo\"])",
        "(at: (0.0, 0.1, 0.0), accepts: [\"photo\"])",
    );
    let loaded = check(&files(&story("", ""), &room, BEACH));
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    let story = loaded.story.expect("a story");
    let frame = story.thing(
        story
            .thing_in(story.place_id("room").expect("room"), "frame")
            .expect("frame"),
    );
    let names: Vec<&str> = frame.sockets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["photo", "phot"]);
}

#[test]
fn a_socket_accepting_a_tag_no_thing_carries_is_an_error_with_did_you_mean() {
    let room = ROOM.replace("(accepts: [\"rose\"])", "(accepts: [\"roses\"])");
    let loaded = check(&files(&story("", ""), &room, BEACH));
    let d = error_at(
        &loaded,
        "no scene has a thing or tag called `roses`",
        "s/room.scene.ron",
        &room,
        "\"roses\"",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `rose`?"));
}

#[test]
fn a_clip_the_model_lacks_is_an_error_at_the_clip_with_did_you_mean() {
    let nodes = r#""open": Cue(world: [Animate(thing: "music_box", clip: "oppen")]),"#;
    let text = story(nodes, "");
    let loaded = check(&files(&text, ROOM, BEACH));
    let d = error_at(
        &loaded,
        "`music_box`'s model `models/music_box.glb` has no clip `oppen`",
        "s/story.ron",
        &text,
        "\"oppen\"",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `open`?"));
    // With nothing close, the hint lists the clips the file has.
    let clips = reunion_story::gltf::read_model(&model("music_box.glb"), &|_| None)
        .expect("a model")
        .animation_names()
        .join(", ");
    let text = story(&nodes.replace("oppen", "spin"), "");
    let loaded = check(&files(&text, ROOM, BEACH));
    let d = the(&loaded, "has no clip `spin`");
    assert_eq!(
        d.hint.as_deref(),
        Some(format!("its clips are: {clips}").as_str())
    );
    // Only a model has clips.
    let text = story(
        "",
        r#""spin": Cue(world: [Animate(thing: "shore", clip: "open")]),"#,
    );
    let loaded = check(&files(&text, ROOM, BEACH));
    error_at(
        &loaded,
        "`shore` is not a model: only a model's clips can be played",
        "s/story.ron",
        &text,
        "\"shore\", clip",
    );
}

#[test]
fn a_thing_no_scene_has_is_an_error_with_did_you_mean() {
    let text = story(
        r#""w": Wait(until: Placed(thing: "roze", in: "vase"), timeout: 5.0),"#,
        "",
    );
    let loaded = check(&files(&text, ROOM, BEACH));
    let d = error_at(
        &loaded,
        "no scene has a thing or tag called `roze`",
        "s/story.ron",
        &text,
        "\"roze\"",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `rose`?"));
    // `in` names a thing, not a tag.
    let text = story(
        r#""w": Wait(until: Placed(thing: "rose", in: "vace"), timeout: 5.0),"#,
        "",
    );
    let loaded = check(&files(&text, ROOM, BEACH));
    let d = the(&loaded, "no scene has a thing called `vace`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `vase`?"));
}

#[test]
fn placing_into_a_thing_without_a_fitting_socket_is_an_error() {
    let text = story(
        r#""w": Wait(until: Placed(thing: "rose", in: "table"), timeout: 5.0),"#,
        "",
    );
    let loaded = check(&files(&text, ROOM, BEACH));
    let d = error_at(
        &loaded,
        "`table` has no sockets",
        "s/story.ron",
        &text,
        "\"table\"",
    );
    assert!(d.hint.as_deref().unwrap_or("").contains("socket_1"), "{d}");

    // The vase's empty sockets take anything that can be picked up, unless refined.
    let text = story(
        r#""w": Wait(until: Placed(thing: "photo", in: "vase"), timeout: 5.0),"#,
        "",
    );
    let loaded = check(&files(&text, ROOM, BEACH));
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    let room = ROOM.replace(
        r#"sockets: { "1": (accepts: ["rose"]) }"#,
        r#"sockets: { "1": (accepts: ["rose"]), "2": (accepts: ["rose"]), "3": (accepts: ["rose"]) }"#,
    );
    let loaded = check(&files(&text, &room, BEACH));
    let d = error_at(
        &loaded,
        "no socket of `vase` accepts `photo`",
        "s/story.ron",
        &text,
        "\"vase\"",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "`1` takes rose; `2` takes rose; `3` takes rose; write `accepts: [\"photo\"]` on a socket of `vase` (and `photo` must have `grab: true`)"
        )
    );
}

#[test]
fn holding_touching_and_lighting_things_that_cannot_are_errors_with_a_hint() {
    let cases = [
        (
            r#""w": Wait(until: Holding(thing: "vase"), timeout: 5.0),"#,
            "`vase` cannot be picked up",
            "give `vase` `grab: true` in `room.scene.ron`",
        ),
        (
            r#""w": Wait(until: TouchedThing("vase"), timeout: 5.0),"#,
            "`vase` does not report a touch",
            "give `vase` `touch: true` in `room.scene.ron`",
        ),
        (
            r#""w": Wait(until: Lit("vase"), timeout: 5.0),"#,
            "`vase` carries no flame to light",
            "give `vase` a flame in `room.scene.ron`: `flame: (at: (0.0, 0.2, 0.0))`, where it burns",
        ),
        (
            r#""w": Cue(world: [Light(thing: "vase")]),"#,
            "`vase` carries no flame to light",
            "give `vase` a flame in `room.scene.ron`: `flame: (at: (0.0, 0.2, 0.0))`, where it burns",
        ),
    ];
    for (node, message, hint) in cases {
        let text = story(node, "");
        let loaded = check(&files(&text, ROOM, BEACH));
        let d = error_at(&loaded, message, "s/story.ron", &text, "\"vase\"");
        assert_eq!(d.hint.as_deref(), Some(hint));
    }
    // Given the abilities, the same story checks clean.
    let room = ROOM.replace(
        r#"at: (0.35, 0.74, -1.7),"#,
        r#"at: (0.35, 0.74, -1.7), grab: true, touch: true, flame: (at: (0.0, 0.3, 0.0)),"#,
    );
    for (node, _, _) in cases {
        let loaded = check(&files(&story(node, ""), &room, BEACH));
        assert!(
            loaded.diagnostics.is_empty(),
            "{node}: {}",
            loaded.diagnostics
        );
    }
}

#[test]
fn a_thing_asked_for_where_it_is_not_is_an_error() {
    let text = story(
        "",
        r#""w": Wait(until: TouchedThing("music_box"), timeout: 5.0),"#,
    );
    let loaded = check(&files(&text, ROOM, BEACH));
    error_at(
        &loaded,
        "`music_box` is not in `beach`, where node `w` is reached",
        "s/story.ron",
        &text,
        "\"music_box\"), timeout: 5.0",
    );
}

#[test]
fn actors_and_markers_have_no_abilities_of_things() {
    let room = ROOM.replace(
        r#""grandma": (is: Actor("grandma"), at: (0.9, 0.0, -2.3), facing: 200.0),"#,
        r#""grandma": (is: Actor("grandma"), at: (0.9, 0.0, -2.3), facing: 200.0, grab: true),"#,
    );
    let loaded = check(&files(&story("", ""), &room, BEACH));
    let d = error_at(
        &loaded,
        "`grab` is for things; `grandma` is an actor",
        "s/room.scene.ron",
        &room,
        "true),",
    );
    assert!(
        d.hint.as_deref().unwrap_or("").contains("Touched(actor"),
        "{d}"
    );
}

#[test]
fn candles_and_cakes_are_the_same_mechanism_with_built_in_values() {
    let room = ROOM.replace(
        "things: {",
        r##"things: {
        "cake": (is: Cake(candle_sockets: 3), at: (0.0, 0.74, -1.5)),
        "candle_1": (is: Candle(color: "#fff3c4"), at: (0.3, 0.74, -1.2)),
        "candle_2": (is: Candle(color: "#fff3c4"), at: (0.35, 0.74, -1.2)),
        "candle_3": (is: Candle(color: "#fff3c4"), at: (0.4, 0.74, -1.2)),
        "lantern": (is: Model(file: "models/vase.glb"), at: (-0.5, 0.74, -1.2), flame: (at: (0.0, 0.25, 0.0), lit: true)),"##,
    );
    let nodes = r#""place": Wait(until: Placed(thing: "candle", in: "cake"), timeout: 5.0),
        "light": Cue(world: [LightCandles, Light(thing: "candle"), PutOut(thing: "lantern")]),
        "lit": Wait(until: Lit("candle"), timeout: 5.0),"#;
    let loaded = check(&files(&story(nodes, ""), &room, BEACH));
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    let story = loaded.story.expect("a story");
    let room = story.place_id("room").expect("room");
    let thing = |id: &str| story.thing(story.thing_in(room, id).expect("a thing"));
    let candle = thing("candle_1");
    assert!(candle.grab && candle.has_tag(CANDLE_TAG));
    assert_eq!(candle.flame.map(|f| f.lit), Some(false));
    let cake = thing("cake");
    assert_eq!(cake.sockets.len(), 3);
    assert!(cake.sockets.iter().all(|s| s.accepts(candle)));
    assert_eq!(cake.bounds.map(|b| b.top()), Some(0.185));
    assert_eq!(thing("lantern").flame.map(|f| f.lit), Some(true));
}
