//! Rehearsing from anywhere (`reunion play --from NODE`, the console's jump): a jump
//! lands in the state a playthrough has at the node, and the story plays on from
//! there to its end, from every node of the reference story and of the farewell.

use std::path::PathBuf;
use std::sync::Arc;

use reunion_story::director::RehearsedWorld;
use reunion_story::load::load_dir;
use reunion_story::prelude::*;
use reunion_story::rehearse::{RehearsedBy, rehearse};
use reunion_story::story::{Value, VarId};

fn story(name: &str) -> Arc<Story> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../../assets/stories")
        .join(name);
    let loaded = load_dir(&dir);
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    Arc::new(loaded.story.expect("story"))
}

fn node(story: &Story, id: &str) -> NodeId {
    story.node_id(id).unwrap_or_else(|| panic!("no node {id}"))
}

/// A session with the autopilot that starts and jumps to `id` at once, as
/// `--from` does; returns the cues of the jump.
fn jumped(story: &Arc<Story>, id: &str) -> (Session, Vec<Cue>) {
    let mut s = Session::new(Arc::clone(story)).with_participant(Box::new(Autopilot::new()));
    s.start();
    let cues = s.input(Input::Operator(OperatorCommand::JumpTo(node(story, id))));
    (s, cues)
}

fn world_of(cues: &[Cue]) -> Option<&RehearsedWorld> {
    cues.iter().find_map(|c| match c {
        Cue::WorldAsRehearsed(w) => Some(w),
        _ => None,
    })
}

#[test]
fn every_node_of_the_reference_story_plays_on_to_the_end_after_a_jump() {
    for name in ["nayeon", "farewell"] {
        let story = story(name);
        for n in &story.nodes {
            let (mut s, _) = jumped(&story, &n.id);
            let played = play_headless(&mut s, 30.0, 3600.0);
            assert!(played.is_ok(), "{name}: from `{}`: {played:?}", n.id);
            assert!(s.director.is_ended(), "{name}: from `{}`", n.id);
        }
    }
}

#[test]
fn a_jump_lands_where_the_playthrough_is_with_its_lines_after_it() {
    let story = story("nayeon");
    // The whole story's transcript, uninterrupted.
    let mut whole = Session::new(Arc::clone(&story)).with_participant(Box::new(Autopilot::new()));
    play_headless(&mut whole, 30.0, 3600.0).expect("plays");
    let lines = |s: &Session| -> Vec<String> {
        s.transcript
            .iter()
            .map(|l| story.node(l.node).id.clone())
            .collect()
    };
    let all = lines(&whole);
    let from = all.iter().position(|l| l == "room").expect("room is said");
    let (mut s, cues) = jumped(&story, "room");
    play_headless(&mut s, 30.0, 3600.0).expect("plays");
    assert_eq!(lines(&s), all[from..].to_vec());
    assert!(
        cues.contains(&Cue::EnterPlace {
            place: story.place_id("heaven_room").expect("heaven room")
        }),
        "{cues:?}"
    );
}

#[test]
fn a_jump_after_the_hand_was_taken_keeps_the_variable_and_the_hand() {
    let story = story("nayeon");
    let (s, cues) = jumped(&story, "afraid");
    let took = story
        .variables
        .iter()
        .position(|v| v.id == "took_hand")
        .expect("took_hand");
    assert_eq!(s.director.var(VarId(took as u16)), &Value::Bool(true));
    let nayeon = story.actor_id("nayeon").expect("nayeon");
    assert_eq!(s.director.hand_held_by(), Some(nayeon));
    assert_eq!(
        world_of(&cues).and_then(|w| w.hand_held_by),
        Some(nayeon),
        "{cues:?}"
    );
}

#[test]
fn a_jump_to_the_blowing_finds_the_candles_in_the_cake_and_lit() {
    let story = story("nayeon");
    let (_, cues) = jumped(&story, "wait_blow");
    let w = world_of(&cues).expect("the world as rehearsed");
    assert!(w.candles_lit, "{w:?}");
    let room = story.place_id("heaven_room").expect("heaven room");
    let cake = story.thing_in(room, "cake").expect("cake");
    let in_cake = w
        .in_sockets
        .iter()
        .filter(|(_, into, _)| *into == cake)
        .count();
    assert_eq!(in_cake, 7, "{w:?}");
    // Before the candles were asked for, the cake is bare.
    let (_, cues) = jumped(&story, "birthday");
    let w = world_of(&cues).expect("the world as rehearsed");
    assert!(w.in_sockets.is_empty() && !w.candles_lit, "{w:?}");
}

#[test]
fn a_node_on_a_timeouts_path_is_rehearsed_by_nobody_acting() {
    let story = story("nayeon");
    let r = rehearse(&story, node(&story, "walk_ahead"), LangId(0)).expect("reached");
    assert_eq!(r.by, RehearsedBy::Nobody);
    let r = rehearse(&story, node(&story, "afraid"), LangId(0)).expect("reached");
    assert_eq!(r.by, RehearsedBy::Autopilot);
    assert!(r.seconds > 30.0, "played, not jumped: {}", r.seconds);
}
