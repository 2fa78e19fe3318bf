//! The next place's render pipelines are made before it is shown (#21): the example
//! story rendered in a window under Xvfb (Mesa's lavapipe), by `reunion bench
//! --render`, with the beach given a skinned figure with a morph target (kinds of
//! surface the living room has none of). Warmed, showing the beach makes no pipeline;
//! not warmed (`--no-warm`), it does: what the participant would have seen drawn late.

use std::ffi::OsString;

use crate::{copy_dir, json_report, reunion_in_a_window, root};

// The pure parts of warming, without a renderer: which places and which effects are
// warmed, and where the speck stands.

use bevy::prelude::{EulerRot, GlobalTransform, Quat, Transform};
use reunion_stage::warm_places::{behind, effects_ahead, places_to_warm};
use reunion_story::story::{NodeId, PlaceId};

/// The example story with a skinned, morphing figure standing on the beach.
fn farewell_with_a_figure_on_the_beach() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("reunion-test-warm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("assets/stories/farewell"), &dir);
    let scene = dir.join("beach.scene.ron");
    let text = std::fs::read_to_string(&scene).expect("the beach's scene");
    let marker = r#""shore": (is: Marker, at: (0.0, 0.0, -8.0)),"#;
    assert!(text.contains(marker), "the beach's scene has its shore");
    let text = text.replace(
        marker,
        &format!(
            "{marker}\n        \"figure\": (is: Model(file: \"models/humanoid_adult.glb\"), at: (-1.2, 0.0, -3.0), facing: 20.0),"
        ),
    );
    std::fs::write(&scene, text).expect("write the beach's scene");
    dir
}

/// The render pipelines made while the transition to the beach played.
fn pipelines_made_going_to_the_beach(story: &std::path::Path, warm: bool) -> f64 {
    let json = story.join(if warm { "warm.json" } else { "cold.json" });
    let mut args = vec![OsString::from("bench"), story.into()];
    args.extend(["--render", "--json"].map(OsString::from));
    args.push(json.clone().into());
    if !warm {
        args.push("--no-warm".into());
    }
    let (_, report) = reunion_in_a_window(&args);
    let rows = json_report(&json)["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let made = rows.iter().find(|r| {
        r["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("render pipelines made") && n.ends_with("→ beach"))
    });
    match made.and_then(|r| r["value"].as_f64()) {
        Some(v) => v,
        None => panic!("no count of pipelines for the beach in the bench's report:\n{report}"),
    }
}

#[test]
fn a_warmed_place_makes_no_render_pipeline_when_it_is_shown() {
    let story = farewell_with_a_figure_on_the_beach();
    let cold = pipelines_made_going_to_the_beach(&story, false);
    let warm = pipelines_made_going_to_the_beach(&story, true);
    let _ = std::fs::remove_dir_all(&story);
    assert!(
        cold > 0.0,
        "not warmed, the beach's skinned figure needs pipelines of its own when shown: {cold}"
    );
    assert_eq!(warm, 0.0, "warmed, the beach needs no pipeline when shown");
}

fn place(i: u16) -> PlaceId {
    PlaceId(i)
}

#[test]
fn the_places_on_stage_are_not_warmed_and_each_is_warmed_once() {
    let on_stage = [Some(place(1)), Some(place(0))];
    let next = [place(0), place(1), place(2), place(3), place(2)];
    assert_eq!(places_to_warm(&next, on_stage), vec![place(2), place(3)]);
    assert!(places_to_warm(&[], on_stage).is_empty());
}

#[test]
fn the_farewells_butterfly_is_warmed_before_it_comes_and_nothing_before_a_fade() {
    let dir = crate::reference();
    let loaded = reunion_story::load::load_dir(&dir);
    let story = loaded
        .story
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics));
    let id = |n: &str| story.node_id(n).expect(n);
    let nayeon = story.actor_id("nayeon").expect("nayeon");
    let room = story.place_id("heaven_room").expect("the heaven room");
    let park = story.place_id("park").expect("the park");
    // From the park the story goes on by a fade or by the hand: nothing to warm
    // but places.
    let mut goes = story.goes_after(story.start);
    goes.sort();
    let mut by_fade_or_hand = vec![id("walk_over"), id("lead")];
    by_fade_or_hand.sort();
    assert_eq!(goes, by_fade_or_hand);
    assert_eq!(effects_ahead(&story, &goes, park), None);
    // Every node from which the butterfly is next warms her and it.
    let before: Vec<NodeId> = (0..story.nodes.len())
        .map(|i| NodeId(i as u32))
        .filter(|n| story.goes_after(*n).contains(&id("butterfly")))
        .collect();
    assert!(!before.is_empty());
    for n in before {
        let ahead = effects_ahead(&story, &story.goes_after(n), room).expect("effects");
        assert_eq!(ahead.butterfly_of, Some(nayeon));
        assert!(!ahead.dissolve);
    }
    // The whole story's transitions, as the stage warms them from the first place.
    let all = story.go_nodes();
    assert_eq!(all.len(), 4, "arrive, walk_over, lead, butterfly");
    let from_the_start = effects_ahead(&story, &all, park).expect("effects");
    assert_eq!(from_the_start.butterfly_of, Some(nayeon));
}

#[test]
fn a_speck_stands_behind_the_eye_whichever_way_it_looks() {
    for (yaw, pitch) in [(0.0f32, 0.0f32), (1.2, 0.3), (-2.5, -1.1), (3.1, 1.5)] {
        let eye = Transform::from_xyz(0.3, 1.6, -2.0).with_rotation(Quat::from_euler(
            EulerRot::YXZ,
            yaw,
            pitch,
            0.0,
        ));
        let g = GlobalTransform::from(eye);
        let at = behind(&g);
        let to_speck = at - g.translation();
        assert!((to_speck.length() - 2.0).abs() < 1e-4);
        // Straight behind: the view direction and the speck are opposite.
        assert!(to_speck.normalize().dot(*g.forward()) < -0.999);
    }
}
