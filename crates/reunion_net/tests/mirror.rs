//! A participant's stage that mirrors the host's session with the director's inputs
//! (what a joined window does, here without the window), on loopback: the reference
//! story line for line and place for place, from the start or joining late.

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bevy::prelude::App;
use reunion_net::code::JoinCode;
use reunion_net::join::{ANSWER_WITHIN, JoinStatus, join_in};
use reunion_stage::prelude::*;
use reunion_story::prelude::*;
use reunion_story::story::PlaceId;
use support::{host, lines, participant, reference, session, status};

/// A headless stage whose session mirrors the host's at `addr`, its participant's
/// acts made by an autopilot on the host's cues when `acts`.
fn mirroring_stage(addr: std::net::SocketAddr, code: &JoinCode, name: &str, acts: bool) -> App {
    let folder = reference();
    let config = StageConfig {
        story: PathBuf::from("story.ron"),
        folder: Some(folder.clone()),
        ..StageConfig::default()
    };
    let mut app = reunion_stage::headless::headless_app(&folder, config, 90.0, false);
    app.insert_resource(Mirror::default());
    join_in(&mut app, addr, code, name, &folder, acts, ANSWER_WITHIN).expect("join");
    app.finish();
    app.cleanup();
    app
}

fn place(app: &App) -> Option<PlaceId> {
    app.world().resource::<OnStage>().place
}

/// Notes `now` at the end of `seen` when it differs from the last.
fn note_change(seen: &mut Vec<PlaceId>, now: Option<PlaceId>) {
    if let Some(p) = now
        && seen.last() != Some(&p)
    {
        seen.push(p);
    }
}

fn ended(app: &App) -> bool {
    session(app).is_some_and(|s| s.session.director.is_ended())
}

/// Host and mirror side by side until both stories ended; the places each had on
/// stage, in order. `others` are updated too (headless participants).
fn play_to_the_end(host: &mut App, mirror: &mut App, others: &mut [App]) -> [Vec<PlaceId>; 2] {
    let started = Instant::now();
    let mut places = [Vec::new(), Vec::new()];
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the story did not end in time: mirror {:?}",
            status(mirror)
        );
        host.update();
        mirror.update();
        for o in others.iter_mut() {
            o.update();
        }
        let s = status(mirror);
        assert!(
            !matches!(s, JoinStatus::Refused(_) | JoinStatus::Lost(_)),
            "{s:?}"
        );
        note_change(&mut places[0], place(host));
        note_change(&mut places[1], place(mirror));
        if ended(host) && ended(mirror) {
            return places;
        }
    }
}

#[test]
fn a_joined_stage_says_the_hosts_lines_at_the_hosts_times_in_the_hosts_places() {
    let code = JoinCode::generate().expect("randomness");
    let (mut host, addr) = host(&code, 1, None);
    let mut mother = mirroring_stage(addr, &code, "mother", true);
    let [host_places, mirror_places] = play_to_the_end(&mut host, &mut mother, &mut []);

    let hosted = &session(&host).expect("hosted").session;
    let mirrored = &session(&mother).expect("mirrored").session;
    let story = hosted.story();
    assert!(hosted.transcript.len() > 20, "a whole story");
    assert_eq!(
        lines(story, &mirrored.transcript),
        lines(story, &hosted.transcript)
    );
    // At the very same story times: the same director took the same inputs.
    let times = |s: &reunion_story::session::Session| -> Vec<f64> {
        s.transcript.iter().map(|l| l.at).collect()
    };
    assert_eq!(times(mirrored), times(hosted));
    assert!(host_places.len() >= 3, "{host_places:?}");
    assert_eq!(mirror_places, host_places);
    // What the mirror's participant did reached the host's director: the host, with
    // nobody of its own, said the lines of one participant playing alone (waits met
    // by acts, not run out).
    let mut alone =
        Session::new(std::sync::Arc::clone(story)).with_participant(Box::new(Autopilot::new()));
    play_headless(&mut alone, 90.0, 3600.0).expect("the story ends alone");
    assert_eq!(
        lines(story, &hosted.transcript),
        lines(story, &alone.transcript)
    );
    assert_eq!(
        mother.world().resource::<StandingSlot>().0,
        0,
        "the first participant of a host who does not take part stands on the mark"
    );
}

#[test]
fn a_stage_that_joins_late_catches_up_and_ends_with_every_line() {
    let code = JoinCode::generate().expect("randomness");
    let (mut host, addr) = host(&code, 1, None);
    let mut father = participant(addr, &code, "father");
    // The story runs with the father alone for a while.
    let started = Instant::now();
    while session(&host).is_none_or(|s| s.session.director.session_time() < 45.0) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the story began"
        );
        host.update();
        father.update();
    }
    let mut aunt = mirroring_stage(addr, &code, "aunt", false);
    let [host_places, aunt_places] =
        play_to_the_end(&mut host, &mut aunt, std::slice::from_mut(&mut father));
    let hosted = &session(&host).expect("hosted").session;
    let mirrored = &session(&aunt).expect("mirrored").session;
    let story = hosted.story();
    assert_eq!(
        lines(story, &mirrored.transcript),
        lines(story, &hosted.transcript),
        "the late joiner's session holds the lines said before it came too"
    );
    // The aunt's stage went through the places from the start, catching up, and
    // ended in the host's last place.
    assert_eq!(aunt_places.last(), host_places.last());
    assert_eq!(aunt.world().resource::<StandingSlot>().0, 1);
}
