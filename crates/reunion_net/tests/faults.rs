//! What the network does to a session, on loopback (127.0.0.1 only), bounded in time:
//! a slow, lossy link; a participant lost in the middle of the lead by the hand who
//! rejoins; a beat addressed to a participant who is away, which waits for him; a host
//! that stops before the story's end.

mod support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bevy::prelude::App;
use reunion_net::code::JoinCode;
use reunion_net::host::{Participants, SentCues};
use reunion_net::join::{Following, JoinStatus, Presences};
use reunion_net::lossy_link::{Impairment, LossyLink};
use reunion_story::director::Cue;
use reunion_story::log::SessionLog;
use reunion_story::prelude::*;
use reunion_story::story::Transition;
use support::*;

/// Frames per story second of the paced hosts, and how much faster than real time
/// their story runs: delays are real (wall-clock) milliseconds, so the host must keep
/// to the clock for them to mean what they would in a session.
const HZ: f32 = 60.0;
const SPEED: f64 = 4.0;

/// Updates `host` as many frames as are due at `SPEED` times real time since
/// `started` (at most a few at once), and the participants once; a millisecond's
/// rest when nothing was due.
fn step_paced(host: &mut App, frames: &mut u64, started: Instant, others: &mut [&mut App]) {
    let due = (started.elapsed().as_secs_f64() * SPEED * f64::from(HZ)) as u64;
    let mut ran = 0;
    while *frames < due && ran < 4 {
        host.update();
        *frames += 1;
        ran += 1;
    }
    for app in others.iter_mut() {
        app.update();
    }
    if ran == 0 {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The single-participant playthrough: its lines and the waits that ran out of time.
fn alone() -> (Vec<String>, Vec<String>) {
    let story = reference_story();
    let log = std::env::temp_dir().join(format!("reunion-net-alone-{}.jsonl", std::process::id()));
    let mut alone = Session::new(Arc::clone(&story))
        .with_participant(Box::new(Autopilot::new()))
        .with_log(SessionLog::create(&log).expect("a log"));
    play_headless(&mut alone, HZ, 3600.0).expect("the story ends alone");
    let lines = lines(&story, &alone.transcript);
    drop(alone);
    let text = std::fs::read_to_string(&log).expect("the log");
    let _ = std::fs::remove_file(&log);
    (lines, timed_out(&text))
}

#[test]
fn over_a_slow_lossy_link_the_story_ends_and_its_waits_are_met_by_the_participants() {
    let (expected, expected_timeouts) = alone();
    let story = reference_story();
    let code = JoinCode::generate().expect("randomness");
    let socket = loopback_socket();
    let host_addr = socket.local_addr().expect("addr");
    // 100 to 300 ms each way, one datagram in ten lost each way.
    let link = LossyLink::start(
        host_addr,
        Impairment {
            delay: Duration::from_millis(100)..Duration::from_millis(300),
            loss: 0.10,
            seed: 19,
        },
    )
    .expect("the lossy link");
    let log = std::env::temp_dir().join(format!("reunion-net-lossy-{}.jsonl", std::process::id()));
    let (mut host, _) = host_on(socket, &[link.addr()], &code, 2, Some(log.clone()), HZ);
    let mut mother = participant(link.addr(), &code, "mother");
    let mut father = participant(link.addr(), &code, "father");
    let started = Instant::now();
    let mut frames = 0;
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the story did not end in time: mother {:?}, father {:?}",
            status(&mother),
            status(&father)
        );
        step_paced(
            &mut host,
            &mut frames,
            started,
            &mut [&mut mother, &mut father],
        );
        for app in [&mother, &father] {
            let s = status(app);
            assert!(
                !matches!(s, JoinStatus::Refused(_) | JoinStatus::Lost(_)),
                "{s:?}"
            );
        }
        let over = |app: &App| status(app) == JoinStatus::Over;
        if host_ended(&host) && over(&mother) && over(&father) {
            break;
        }
    }
    let session = session(&host).expect("the story ran");
    assert_eq!(lines(&story, &session.session.transcript), expected);
    for app in [&mother, &father] {
        let heard = &app.world().resource::<Following>().0.transcript;
        assert_eq!(lines(&story, heard), expected, "each heard every line");
    }
    drop(host);
    let text = std::fs::read_to_string(&log).expect("the host's log");
    let _ = std::fs::remove_file(&log);
    // Every wait the single participant met was met here too, by a participant's act
    // that crossed the link, not by its timeout.
    assert_eq!(
        timed_out(&text),
        expected_timeouts,
        "waits that ran out of time"
    );
    for name in ["mother", "father"] {
        assert!(
            logged_acts_by(&text, name),
            "`{name}`'s acts reached the host, by name"
        );
    }
    let counts = link.counts();
    let dropped = counts.dropped.load(Ordering::Relaxed);
    assert!(dropped > 0, "the link dropped datagrams");
    eprintln!(
        "lossy link: {} datagrams up ({} B), {} down ({} B), {dropped} dropped, {:.1} s",
        counts.up_packets.load(Ordering::Relaxed),
        counts.up_bytes.load(Ordering::Relaxed),
        counts.down_packets.load(Ordering::Relaxed),
        counts.down_bytes.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
}

/// Whether the host's story is in the lead by the hand.
fn leading(host: &App) -> bool {
    host.world()
        .resource::<SentCues>()
        .0
        .iter()
        .any(|(_, cues)| {
            cues.iter().any(|c| {
                matches!(
                    c,
                    Cue::StartTransition {
                        transition: Transition::LeadByHand { .. },
                        ..
                    }
                )
            })
        })
}

#[test]
fn a_participant_lost_in_the_lead_rejoins_into_the_current_place_and_line() {
    let story = reference_story();
    let code = JoinCode::generate().expect("randomness");
    let (mut host, addr) = host_on(loopback_socket(), &[], &code, 2, None, HZ);
    let mut mother = participant(addr, &code, "mother");
    let mut father = Some(participant(addr, &code, "father"));
    let started = Instant::now();
    let mut frames = 0;
    // Until the lead begins; then the father's machine is gone, without a word.
    while !leading(&host) {
        assert!(started.elapsed() < Duration::from_secs(200), "no lead");
        let f = father.as_mut().expect("still here");
        step_paced(&mut host, &mut frames, started, &mut [&mut mother, f]);
    }
    father = None;
    // The host notices (the transport's timeout), and the story goes on with the mother.
    while host
        .world()
        .resource::<Participants>()
        .roster
        .is_in("father")
    {
        assert!(
            started.elapsed() < Duration::from_secs(200),
            "the host never noticed the father was gone"
        );
        step_paced(&mut host, &mut frames, started, &mut [&mut mother]);
    }
    assert!(!host_ended(&host), "the story went on without him");
    assert!(father.is_none());
    // Mother sees him held where he was, away (presences go out a few times a second).
    let away = |mother: &App| {
        mother
            .world()
            .resource::<Presences>()
            .0
            .iter()
            .any(|p| p.name == "father" && p.away)
    };
    while !away(&mother) {
        assert!(
            started.elapsed() < Duration::from_secs(210),
            "mother never saw father away"
        );
        step_paced(&mut host, &mut frames, started, &mut [&mut mother]);
    }
    // He comes back under his name and catches up with the story so far.
    let mut back = participant(addr, &code, "father");
    let caught_up = |host: &App, back: &App| {
        let s = session(host).expect("the story runs");
        let f = &back.world().resource::<Following>().0;
        f.transcript.len() == s.session.transcript.len() && f.place() == s.session.director.place()
    };
    while !caught_up(&host, &back) {
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "never caught up"
        );
        let s = status(&back);
        assert!(!s.is_final(), "{s:?}");
        step_paced(
            &mut host,
            &mut frames,
            started,
            &mut [&mut mother, &mut back],
        );
    }
    let JoinStatus::In(welcome) = status(&back) else {
        panic!("not in: {:?}", status(&back))
    };
    assert_eq!(welcome.name, "father");
    let s = session(&host).expect("the story runs");
    let f = &back.world().resource::<Following>().0;
    assert!(f.place().is_some());
    assert_eq!(
        f.place(),
        s.session.director.place(),
        "he stands where the others stand"
    );
    eprintln!(
        "rejoined at story time {:.1} s in `{}`, after the line `{}`",
        s.session.director.session_time(),
        story.place(f.place().expect("a place")).id,
        f.transcript
            .last()
            .map_or("-", |l| story.node(l.node).id.as_str())
    );
    assert_eq!(
        f.transcript.last().map(|l| l.node),
        s.session.transcript.last().map(|l| l.node),
        "he hears the line the others hear"
    );
    let here_again = |mother: &App| {
        mother
            .world()
            .resource::<Presences>()
            .0
            .iter()
            .any(|p| p.name == "father" && !p.away)
    };
    while !here_again(&mother) {
        assert!(
            started.elapsed() < Duration::from_secs(260),
            "mother never saw father back"
        );
        step_paced(
            &mut host,
            &mut frames,
            started,
            &mut [&mut mother, &mut back],
        );
    }
    // And the story goes on to its end with both.
    while !(host_ended(&host) && status(&back) == JoinStatus::Over) {
        assert!(started.elapsed() < Duration::from_secs(400), "no end");
        step_paced(
            &mut host,
            &mut frames,
            started,
            &mut [&mut mother, &mut back],
        );
    }
    let log_lines = lines(&story, &session(&host).expect("ran").session.transcript);
    assert_eq!(
        lines(&story, &back.world().resource::<Following>().0.transcript),
        log_lines
    );
}

/// Where the host's director is waiting, by node id (none between waits).
fn waiting_at(host: &App) -> Option<String> {
    let d = &session(host)?.session.director;
    matches!(d.phase(), reunion_story::director::Phase::Waiting { .. })
        .then(|| d.story().node(d.node()).id.clone())
}

/// The beat the story addresses to father waits for him while his connection is
/// lost: the others go on up to it, mother's grip does not meet it, and when he is
/// back it is his.
#[test]
fn a_beat_addressed_to_a_participant_who_is_away_waits_for_him() {
    let folder = reference_edited("father-away", |text| {
        text.replacen(
            "    start: \"arrive\",",
            "    start: \"arrive\",\n    participants: [\"mother\", \"father\"],",
            1,
        )
        .replacen(
            "\"wait_hand\": Wait(\n            until: HandHeld(by: \"nayeon\"),\n            timeout: 25.0,",
            "\"wait_hand\": Wait(\n            until: HandHeld(by: \"nayeon\", participant: \"father\"),\n            timeout: 900.0,",
            1,
        )
    });
    let code = JoinCode::generate().expect("randomness");
    let (mut host, addr) = host_of(&folder, loopback_socket(), &[], &code, 2, None, 90.0);
    let mut mother = participant_of(&folder, addr, &code, "mother");
    let mut father = Some(participant_of(&folder, addr, &code, "father"));
    let started = Instant::now();
    let bound = |what: &str| {
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "{what}: not in time"
        );
    };
    // The story begins with both; then father's machine is gone, without a word.
    while session(&host).is_none() {
        bound("the story's start");
        host.update();
        mother.update();
        father.as_mut().expect("here").update();
    }
    father = None;
    assert!(father.is_none());
    // The others go on, up to his beat, and the host notices he is away.
    let away = |host: &App| {
        !host
            .world()
            .resource::<Participants>()
            .roster
            .is_in("father")
    };
    while waiting_at(&host).as_deref() != Some("wait_hand") || !away(&host) {
        bound("his beat");
        host.update();
        mother.update();
    }
    // Mother's grip is taken (she is the one holding it) but does not meet his wait.
    let grip = |app: &mut App, e: StoryEvent| {
        app.world_mut()
            .resource_mut::<bevy_renet::RenetClient>()
            .send_message(
                reunion_net::protocol::RELIABLE,
                reunion_net::protocol::encode(&reunion_net::protocol::ToHost::Act(e)),
            );
    };
    grip(&mut mother, StoryEvent::HandHeld(ActorId(0)));
    for _ in 0..900 {
        host.update();
        mother.update();
    }
    let d = &session(&host).expect("runs").session.director;
    assert_eq!(
        d.hand_holder(),
        Some("mother"),
        "her grip reached the director"
    );
    assert_eq!(
        waiting_at(&host).as_deref(),
        Some("wait_hand"),
        "ten seconds on, the story still waits for him"
    );
    grip(&mut mother, StoryEvent::HandReleased);
    // He comes back, catches up, and takes her hand: the story goes on.
    let mut back = participant_of(&folder, addr, &code, "father");
    while waiting_at(&host).as_deref() == Some("wait_hand") {
        bound("his grip");
        let s = status(&back);
        assert!(!s.is_final(), "{s:?}");
        host.update();
        mother.update();
        back.update();
    }
    let d = &session(&host).expect("runs").session.director;
    assert_eq!(d.hand_holder(), Some("father"), "his hand met his wait");
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn a_host_stopped_before_the_end_ends_each_participants_session_gently() {
    let code = JoinCode::generate().expect("randomness");
    let (mut host, addr) = host(&code, 1, None);
    let mut mother = participant(addr, &code, "mother");
    let started = Instant::now();
    while session(&host).is_none_or(|s| s.session.transcript.is_empty()) {
        assert!(started.elapsed() < Duration::from_secs(30), "no first line");
        host.update();
        mother.update();
        std::thread::sleep(Duration::from_millis(2));
    }
    // As a signal or the facilitator's stop does: the app is asked to exit.
    host.world_mut()
        .write_message(bevy::app::AppExit::from_code(130));
    while !status(&mother).is_final() {
        assert!(started.elapsed() < Duration::from_secs(40), "no goodbye");
        host.update();
        mother.update();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(
        status(&mother),
        JoinStatus::HostEnded("the host stopped the session".into())
    );
    // The host gone after that changes nothing: the session ended, it was not lost.
    drop(host);
    for _ in 0..20 {
        mother.update();
    }
    assert!(matches!(status(&mother), JoinStatus::HostEnded(_)));
}
