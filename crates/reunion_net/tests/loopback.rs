//! Host and participants on loopback (127.0.0.1 only), in one process, bounded in
//! time: the reference story played together, and strangers kept out.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::prelude::App;
use reunion_net::code::JoinCode;
use reunion_net::host::Participants;
use reunion_net::join::{Following, JoinStatus, Presences};
use reunion_stage::prelude::*;
use reunion_story::prelude::*;
use support::{
    host, host_of, lines, logged_acts_by, loopback_socket, participant, participant_of, reference,
    reference_edited, status,
};

#[test]
fn two_participants_play_the_reference_story_to_its_end_as_one_does() {
    let story = {
        let loaded = load_dir(&reference());
        Arc::new(loaded.story.expect("the reference story loads"))
    };
    let mut alone = Session::new(Arc::clone(&story)).with_participant(Box::new(Autopilot::new()));
    play_headless(&mut alone, 90.0, 3600.0).expect("the story ends alone");
    let expected = lines(&story, &alone.transcript);

    let code = JoinCode::generate().expect("randomness");
    let log = std::env::temp_dir().join(format!("reunion-net-family-{}.jsonl", std::process::id()));
    let (mut host, addr) = host(&code, 2, Some(log.clone()));
    let mut mother = participant(addr, &code, "mother");
    let mut father = participant(addr, &code, "father");
    let started = Instant::now();
    let mut saw_each_other = false;
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the story did not end in time: mother {:?}, father {:?}",
            status(&mother),
            status(&father)
        );
        host.update();
        mother.update();
        father.update();
        for app in [&mut mother, &mut father] {
            let s = status(app);
            assert!(
                !matches!(s, JoinStatus::Refused(_) | JoinStatus::Lost(_)),
                "{s:?}"
            );
        }
        // Each sees both presences, in different colours.
        if !saw_each_other {
            let mut seen: Vec<(String, [f32; 3])> = mother
                .world()
                .resource::<Presences>()
                .0
                .iter()
                .map(|p| (p.name.clone(), p.colour))
                .collect();
            seen.sort_by(|a, b| a.0.cmp(&b.0));
            if seen.len() == 2 {
                assert_eq!(seen[0].0, "father");
                assert_eq!(seen[1].0, "mother");
                assert_ne!(seen[0].1, seen[1].1);
                saw_each_other = true;
            }
        }
        let over = |app: &App| status(app) == JoinStatus::Over;
        let ended = host
            .world()
            .get_resource::<StorySession>()
            .is_some_and(|s| s.session.director.is_ended());
        if ended && over(&mother) && over(&father) {
            break;
        }
    }
    assert!(saw_each_other, "the participants saw each other's presence");
    let session = host.world().resource::<StorySession>();
    assert_eq!(lines(&story, &session.session.transcript), expected);
    let hosted: Vec<(String, f64)> = session
        .session
        .transcript
        .iter()
        .map(|l| (story.node(l.node).id.clone(), l.at))
        .collect();
    for app in [&mother, &father] {
        let heard = &app.world().resource::<Following>().0.transcript;
        assert_eq!(lines(&story, heard), expected);
    }
    // The host's log says who did what.
    drop(host);
    let text = std::fs::read_to_string(&log).expect("the host's log");
    assert!(text.contains("participant `mother` joined"), "{text}");
    assert!(text.contains("participant `father` joined"));
    let logged = reunion_story::log::read_inputs(&text);
    for name in ["mother", "father"] {
        assert!(
            logged_acts_by(&text, name),
            "`{name}`'s acts are in the log, by name"
        );
    }
    // Both reached for her hand: one held it, the other's grip was not taken.
    assert!(
        text.contains("not taken (she holds one hand at a time)"),
        "one hand at a time"
    );
    // The host's log replays to the same lines at the same times, as `reunion replay`
    // does: every participant's acts are in it as the director took them.
    assert_eq!(logged.damaged_lines, 0);
    let mut replayed = Session::replaying(Arc::clone(&story));
    replayed.start();
    for input in logged.inputs {
        replayed.input(input);
    }
    let again: Vec<(String, f64)> = replayed
        .transcript
        .iter()
        .map(|l| (story.node(l.node).id.clone(), l.at))
        .collect();
    assert_eq!(
        again, hosted,
        "the multi-participant session replays the same"
    );
    let _ = std::fs::remove_file(log);
}

/// The reference story as a family's: mother and father take part, and the first
/// wait for her hand is father's to meet.
fn fathers_hand() -> std::path::PathBuf {
    reference_edited("fathers-hand", |text| {
        text.replacen(
            "    start: \"arrive\",",
            "    start: \"arrive\",\n    participants: [\"mother\", \"father\"],",
            1,
        )
        .replacen(
            "\"wait_hand\": Wait(\n            until: HandHeld(by: \"nayeon\"),",
            "\"wait_hand\": Wait(\n            until: HandHeld(by: \"nayeon\", participant: \"father\"),",
            1,
        )
    })
}

#[test]
fn a_wait_addressed_to_father_is_met_by_father_and_the_story_plays_as_written() {
    let folder = fathers_hand();
    let story = {
        let loaded = load_dir(&folder);
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        Arc::new(loaded.story.expect("the family's story loads"))
    };
    assert!(
        format!(
            "{:?}",
            story
                .node(story.node_id("wait_hand").expect("wait_hand"))
                .kind
        )
        .contains("father"),
        "the edit addressed the wait"
    );
    // One person rehearsing it alone stands for both.
    let mut alone = Session::new(Arc::clone(&story)).with_participant(Box::new(Autopilot::new()));
    play_headless(&mut alone, 90.0, 3600.0).expect("the story ends alone");
    let expected = lines(&story, &alone.transcript);
    // Her hand was taken at once (`afraid` follows `holding`), not after asking again.
    assert!(
        expected.iter().any(|l| l == "afraid") && !expected.iter().any(|l| l == "hand_again"),
        "{expected:?}"
    );

    let code = JoinCode::generate().expect("randomness");
    let log = std::env::temp_dir().join(format!("reunion-net-father-{}.jsonl", std::process::id()));
    let (mut host, addr) = host_of(
        &folder,
        loopback_socket(),
        &[],
        &code,
        2,
        Some(log.clone()),
        90.0,
    );
    // Mother joins first: she would take the hand first if the wait were anyone's.
    let mut mother = participant_of(&folder, addr, &code, "mother");
    let mut father = participant_of(&folder, addr, &code, "father");
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the story did not end in time: mother {:?}, father {:?}",
            status(&mother),
            status(&father)
        );
        host.update();
        mother.update();
        father.update();
        let ended = host
            .world()
            .get_resource::<StorySession>()
            .is_some_and(|s| s.session.director.is_ended());
        let over = |app: &App| status(app) == JoinStatus::Over;
        if ended && over(&mother) && over(&father) {
            break;
        }
    }
    let session = host.world().resource::<StorySession>();
    assert_eq!(
        lines(&story, &session.session.transcript),
        expected,
        "the same lines as one participant, the hand wait met (not timed out)"
    );
    drop(host);
    let text = std::fs::read_to_string(&log).expect("the host's log");
    let _ = std::fs::remove_file(&log);
    // Replayed, the input that met `wait_hand` is father's grip.
    let wait_hand = story.node_id("wait_hand").expect("wait_hand");
    let mut replayed = Session::replaying(Arc::clone(&story));
    replayed.start();
    let mut met_by = None;
    for input in reunion_story::log::read_inputs(&text).inputs {
        let cues = replayed.input(input.clone());
        if cues
            .iter()
            .any(|c| matches!(c, Cue::WaitMet { node } if *node == wait_hand))
        {
            met_by = Some(input);
        }
    }
    assert_eq!(
        met_by,
        Some(Input::EventBy {
            by: "father".into(),
            event: StoryEvent::HandHeld(ActorId(0)),
        }),
        "father's grip met the wait addressed to him"
    );
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn strangers_without_the_code_are_not_let_in_and_the_story_does_not_hear_them() {
    let code = JoinCode::generate().expect("randomness");
    let wrong = JoinCode::generate().expect("randomness");
    let (mut host, addr) = host(&code, 1, None);
    let mut stranger = participant(addr, &wrong, "stranger");
    // No code at all: an unencrypted netcode client.
    let mut plain = participant(addr, &wrong, "plain");
    {
        use bevy_renet::netcode::{ClientAuthentication, NetcodeClientTransport};
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("socket");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("time");
        let unsecure = ClientAuthentication::Unsecure {
            protocol_id: reunion_net::protocol::PROTOCOL_ID,
            client_id: 7,
            server_addr: addr,
            user_data: None,
        };
        let transport = NetcodeClientTransport::new(now, unsecure, socket).expect("transport");
        plain.insert_resource(transport);
    }
    let started = Instant::now();
    while !(status(&stranger).is_final() && status(&plain).is_final()) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no answer in time"
        );
        host.update();
        stranger.update();
        plain.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    for app in [&stranger, &plain] {
        let s = status(app);
        let JoinStatus::Lost(why) = &s else {
            panic!("a stranger got {s:?}")
        };
        assert!(why.contains("did not answer"), "{why}");
        assert!(app.world().resource::<Following>().0.transcript.is_empty());
    }
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "a clear answer within seconds"
    );
    assert!(host.world().resource::<Participants>().roster.is_empty());
    // Nobody was let in: the story waits for its participant and heard nothing.
    assert!(host.world().get_resource::<StorySession>().is_none());
}
