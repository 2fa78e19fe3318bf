//! Rehearsing from anywhere in the app (`reunion play --from NODE`): the story starts
//! at a node in the state a playthrough has there, the world set to match (the
//! candles in the cake and lit, the hand held), and plays on to its end, from every
//! node of the reference story.

use std::collections::HashSet;

use bevy::prelude::*;
use reunion_hands::candles::Lit;
use reunion_hands::hold::HandHold;
use reunion_hands::props::Socketed;
use reunion_stage::components::CandleSlot;
use reunion_stage::headless::{headless_app, run_headless};
use reunion_stage::prelude::*;

use crate::app::run_until;
use crate::reference;

/// The reference story headless with the autopilot at `hz`, starting at `node`.
fn app_from(node: &str, hz: f32) -> App {
    let mut app = headless_app(
        &reference(),
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            ..default()
        },
        hz,
        false,
    );
    app.add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin));
    app.insert_resource(StartFrom(node.into()));
    app.finish();
    app.cleanup();
    app
}

fn said(app: &App) -> Vec<String> {
    let s = app.world().resource::<StorySession>();
    s.session
        .transcript
        .iter()
        .map(|l| s.story().node(l.node).id.clone())
        .collect()
}

#[test]
fn from_every_node_of_the_reference_story_the_story_plays_to_its_end() {
    let story = reunion_story::load::load_dir(&reference())
        .story
        .expect("the reference story");
    let mut first_said = HashSet::new();
    for node in &story.nodes {
        let mut app = app_from(&node.id, 30.0);
        run_headless(&mut app, 30 * 3600)
            .unwrap_or_else(|stuck| panic!("from `{}`: {stuck}", node.id));
        let s = app.world().resource::<StorySession>();
        assert!(s.session.director.is_ended(), "from `{}`", node.id);
        if let Some(first) = said(&app).first() {
            first_said.insert(first.clone());
        }
    }
    // The jumps land in different beats, not all at the start.
    assert!(first_said.len() > 20, "{first_said:?}");
}

#[test]
fn from_the_blowing_the_candles_stand_lit_in_the_cake_and_are_blown_out() {
    let mut app = app_from("wait_blow", 90.0);
    let lit_in_cake = |w: &World| {
        w.try_query_filtered::<(), (With<CandleSlot>, With<Socketed>, With<Lit>)>()
            .map_or(0, |mut q| q.iter(w).count())
    };
    assert!(
        run_until(&mut app, 90 * 3, |w| lit_in_cake(w) == 7),
        "seven lit candles in the cake, found {}",
        lit_in_cake(app.world())
    );
    run_headless(&mut app, 90 * 600).unwrap_or_else(|s| panic!("{s}"));
    let lines = said(&app);
    // Blown out by the participant (`yay`), not by her after the wait ran out.
    assert_eq!(lines.first().map(String::as_str), Some("yay"), "{lines:?}");
    assert!(!lines.iter().any(|l| l == "blow_herself"), "{lines:?}");
}

#[test]
fn from_the_lead_the_hand_is_held_and_she_leads_without_waiting() {
    let mut app = app_from("lead", 90.0);
    let held = |w: &World| {
        let nayeon = w
            .get_resource::<StorySession>()
            .and_then(|s| s.story().actor_id("nayeon"));
        w.get_resource::<HandHold>()
            .and_then(|h| h.held)
            .is_some_and(|h| Some(h.actor) == nayeon)
    };
    assert!(
        run_until(&mut app, 90 * 8, held),
        "the participant's hand is in hers again"
    );
    run_headless(&mut app, 90 * 600).unwrap_or_else(|s| panic!("{s}"));
    let lines = said(&app);
    assert_eq!(lines.first().map(String::as_str), Some("room"), "{lines:?}");
}
