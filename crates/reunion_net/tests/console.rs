//! The facilitator's console on a machine of its own, on loopback (127.0.0.1 only),
//! bounded in time: its buttons run the host's director; a participant's join code
//! alone does not.

mod support;

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy_renet::RenetClient;
use reunion_net::code::JoinCode;
use reunion_net::console::{ConsoleOutbox, console_in};
use reunion_net::host::HostSetup;
use reunion_net::join::{ANSWER_WITHIN, Following, JoinStatus};
use reunion_net::protocol::{ConsoleInput, RELIABLE, ToHost, encode};
use reunion_story::prelude::*;
use support::{host, participant, reference, session, status};

fn console(addr: std::net::SocketAddr, code: &JoinCode, console_code: &str) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins);
    console_in(
        &mut app,
        addr,
        code,
        console_code,
        &reference(),
        ANSWER_WITHIN,
    )
    .expect("console");
    app.finish();
    app.cleanup();
    app
}

/// Updates everyone until `done` says so, within a bound.
fn until(apps: &mut [&mut App], what: &str, done: impl Fn(&[&mut App]) -> bool) {
    let started = Instant::now();
    while !done(apps) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{what}: not in time"
        );
        for app in apps.iter_mut() {
            app.update();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn director(host: &App) -> &Director {
    &session(host).expect("the story began").session.director
}

#[test]
fn the_console_on_another_machine_runs_the_hosts_story_and_a_participant_cannot() {
    let code = JoinCode::generate().expect("randomness");
    let (mut host, addr) = host(&code, 1, None);
    let console_code = host
        .world()
        .resource::<HostSetup>()
        .console_code
        .as_str()
        .to_owned();
    let mut mother = participant(addr, &code, "mother");
    let mut desk = console(addr, &code, &console_code);
    until(
        &mut [&mut host, &mut mother, &mut desk],
        "everyone in",
        |a| {
            session(a[0]).is_some()
                && matches!(status(a[1]), JoinStatus::In(_))
                && matches!(status(a[2]), JoinStatus::In(_))
        },
    );
    // The console is nobody in the story: no presence, not counted as a participant.
    let roster = &host
        .world()
        .resource::<reunion_net::host::Participants>()
        .roster;
    assert_eq!(roster.len(), 1, "only mother takes part");

    let send = |desk: &mut App, input: ConsoleInput| {
        desk.world_mut()
            .resource_mut::<ConsoleOutbox>()
            .0
            .push(input);
    };
    send(&mut desk, ConsoleInput::Operator(OperatorCommand::Hold));
    until(&mut [&mut host, &mut mother, &mut desk], "held", |a| {
        director(a[0]).is_held()
    });
    send(&mut desk, ConsoleInput::Operator(OperatorCommand::Resume));
    until(&mut [&mut host, &mut mother, &mut desk], "resumed", |a| {
        !director(a[0]).is_held()
    });

    // A participant's machine sending as if it were the console is not heard.
    let story = director(&host).story().clone();
    let ending = story.ending.expect("the reference story has an ending");
    mother
        .world_mut()
        .resource_mut::<RenetClient>()
        .send_message(
            RELIABLE,
            encode(&ToHost::Console(ConsoleInput::Operator(
                OperatorCommand::JumpTo(ending),
            ))),
        );
    for _ in 0..60 {
        for app in [&mut host, &mut mother, &mut desk] {
            app.update();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        !director(&host).is_ended() && director(&host).node() != ending,
        "the participant's request did not move the story"
    );

    // The console's jump does, and the story ends from there.
    send(
        &mut desk,
        ConsoleInput::Operator(OperatorCommand::JumpTo(ending)),
    );
    until(
        &mut [&mut host, &mut mother, &mut desk],
        "the story ended",
        |a| director(a[0]).is_ended(),
    );
    let said: Vec<&str> = session(&host)
        .expect("session")
        .session
        .transcript
        .iter()
        .map(|l| story.node(l.node).id.as_str())
        .collect();
    assert!(
        said.contains(&story.node(ending).id.as_str()),
        "the ending was said after the console's jump: {said:?}"
    );
    // The console follows the story as the host has it, to its end.
    until(
        &mut [&mut host, &mut mother, &mut desk],
        "the console saw the end",
        |a| status(a[2]) == JoinStatus::Over,
    );
    let followed: Vec<&str> = desk
        .world()
        .resource::<Following>()
        .0
        .transcript
        .iter()
        .map(|l| story.node(l.node).id.as_str())
        .collect();
    assert_eq!(followed, said, "the console shows the host's lines");
}

#[test]
fn a_console_with_the_wrong_console_code_is_refused() {
    let code = JoinCode::generate().expect("randomness");
    let (mut host, addr) = host(&code, 1, None);
    let wrong = JoinCode::generate().expect("randomness");
    let mut desk = console(addr, &code, wrong.as_str());
    until(&mut [&mut host, &mut desk], "refused", |a| {
        matches!(status(a[1]), JoinStatus::Refused(_))
    });
    let JoinStatus::Refused(why) = status(&desk) else {
        unreachable!()
    };
    assert!(why.contains("console code"), "{why}");
}
