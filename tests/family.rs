//! `reunion host` and `reunion join` as a family runs them, on 127.0.0.1: the host
//! stopped before the end, and an address nobody answers.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

fn reunion(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_reunion"))
        .args(args)
        .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run reunion")
}

/// Each line a child writes (stdout and stderr together), as it comes.
fn lines_of(child: &mut Child) -> Receiver<String> {
    let (tx, rx) = channel();
    let out = child.stdout.take().expect("stdout");
    let err = child.stderr.take().expect("stderr");
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx2.send(line);
        }
    });
    rx
}

/// Lines until one satisfies `want` (returned), within `within`.
fn until(rx: &Receiver<String>, within: Duration, want: impl Fn(&str) -> bool) -> String {
    let end = Instant::now() + within;
    let mut seen = Vec::new();
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if want(&line) => return line,
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    panic!("not seen within {within:?}; saw:\n{}", seen.join("\n"))
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<i32> {
    let end = Instant::now() + within;
    while Instant::now() < end {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("did not exit within {within:?}")
}

/// `reunion join ADDR --code CODE --as mother --headless --autopilot`.
fn headless_mother(addr: &str, code: &str) -> Child {
    reunion(&[
        "join",
        addr,
        "--code",
        code,
        "--as",
        "mother",
        "--headless",
        "--autopilot",
    ])
}

/// The address and join code a starting host prints.
fn hosting(host_lines: &Receiver<String>) -> (String, String) {
    let hosting = until(host_lines, Duration::from_secs(60), |l| {
        l.starts_with("hosting ")
    });
    let addr = hosting
        .split(" on ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("the address in: hosting \"…\" on ADDR; …")
        .to_owned();
    let code = until(host_lines, Duration::from_secs(5), |l| {
        l.starts_with("join code: ")
    })
    .trim_start_matches("join code: ")
    .to_owned();
    (addr, code)
}

#[test]
fn a_host_stopped_before_the_end_ends_its_participants_session_gently() {
    let log = std::env::temp_dir().join(format!(
        "reunion-family-stopped-{}.jsonl",
        std::process::id()
    ));
    let log_arg = log.to_string_lossy().into_owned();
    let mut host = reunion(&[
        "host",
        "--headless",
        "--addr",
        "127.0.0.1:0",
        "--speed",
        "4",
        "--log",
        &log_arg,
    ]);
    let host_lines = lines_of(&mut host);
    let (addr, code) = hosting(&host_lines);
    let mut mother = headless_mother(&addr, &code);
    let mother_lines = lines_of(&mut mother);
    until(&mother_lines, Duration::from_secs(30), |l| {
        l.contains("in the session as `mother`")
    });
    // The story is under way: her first line reached the participant.
    until(&mother_lines, Duration::from_secs(60), |l| {
        l.starts_with('[')
    });
    let sent = Command::new("kill")
        .args(["-TERM", &host.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    assert_eq!(
        wait_exit(&mut host, Duration::from_secs(30)),
        Some(130),
        "the host ends as a session ended from outside"
    );
    // Its log says so once (it lingers a second for its last packets).
    let text = std::fs::read_to_string(&log).expect("the host's log");
    let _ = std::fs::remove_file(&log);
    assert_eq!(
        text.matches(reunion_story::log::ENDED_FROM_OUTSIDE).count(),
        1,
        "one note of the end from outside"
    );
    until(&mother_lines, Duration::from_secs(10), |l| {
        l.contains("the session ended before the story's end: the host")
    });
    assert_eq!(
        wait_exit(&mut mother, Duration::from_secs(10)),
        Some(7),
        "exit 7: the host ended the session"
    );
}

#[test]
fn joining_an_address_nobody_answers_says_what_to_check_and_exits_6() {
    // A port that was free a moment ago: nobody listens there.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
        .port();
    let code = reunion_net::code::JoinCode::generate()
        .expect("randomness")
        .to_string();
    let addr = format!("127.0.0.1:{port}");
    let started = Instant::now();
    let mut child = reunion(&[
        "join",
        &addr,
        "--code",
        &code,
        "--as",
        "mother",
        "--headless",
    ]);
    let lines = lines_of(&mut child);
    let said = until(&lines, Duration::from_secs(20), |l| {
        l.starts_with("error: ")
    });
    assert!(said.contains("did not answer"), "{said}");
    assert!(
        said.contains("address") && said.contains("join code"),
        "{said}"
    );
    assert_eq!(wait_exit(&mut child, Duration::from_secs(10)), Some(6));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "said within seconds"
    );
}

#[test]
fn the_facilitators_console_on_another_machine_holds_the_hosted_story() {
    let log = std::env::temp_dir().join(format!(
        "reunion-family-console-{}.jsonl",
        std::process::id()
    ));
    let log_arg = log.to_str().expect("path").to_owned();
    let mut host = reunion(&[
        "host",
        "--headless",
        "--addr",
        "127.0.0.1:0",
        "--speed",
        "2",
        "--console-web",
        "127.0.0.1:0",
        "--log",
        &log_arg,
    ]);
    let host_lines = lines_of(&mut host);
    let tablet = until(&host_lines, Duration::from_secs(60), |l| {
        l.starts_with("the facilitator's tablet: open ")
    });
    let url = tablet
        .trim_start_matches("the facilitator's tablet: open ")
        .to_owned();
    let code = url
        .split_once("#code=")
        .expect("the code in the address")
        .1
        .to_owned();
    let console: std::net::SocketAddr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .and_then(|a| a.parse().ok())
        .expect("the console's address");
    let (addr, join_code) = hosting(&host_lines);
    let mut mother = headless_mother(&addr, &join_code);
    let mother_lines = lines_of(&mut mother);
    until(&mother_lines, Duration::from_secs(60), |l| {
        l.starts_with('[')
    });
    // The facilitator, at another machine's browser, holds the story.
    let body = r#"{"id":"family-hold-1","do":"hold"}"#;
    let request = format!(
        "POST /api/action HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Reunion-Code: {code}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(console).expect("the console answers");
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .expect("timeout");
        stream.write_all(request.as_bytes()).expect("send");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    };
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // The host's director holds: its log says so.
    let held = |text: &str| text.lines().any(|l| l.contains(r#""cue":"Held""#));
    let end = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&log).is_ok_and(|t| held(&t)) {
        assert!(Instant::now() < end, "the host's story was not held");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill")
        .args(["-TERM", &host.id().to_string()])
        .status();
    assert_eq!(wait_exit(&mut host, Duration::from_secs(30)), Some(130));
    assert_eq!(wait_exit(&mut mother, Duration::from_secs(15)), Some(7));
    let _ = std::fs::remove_file(&log);
}

/// A participant in a window (under Xvfb, as a user's screen): it joins the host,
/// its stage follows the host's story (its clock moves only by the host's inputs),
/// and its screenshot at story second 6 is taken while still in the session.
#[test]
fn a_participant_in_a_window_follows_the_hosts_story() {
    let mut host = reunion(&["host", "--headless", "--addr", "127.0.0.1:0"]);
    let host_lines = lines_of(&mut host);
    let (addr, code) = hosting(&host_lines);
    let shot = std::env::temp_dir().join(format!("reunion-join-{}.png", std::process::id()));
    let _ = std::fs::remove_file(&shot);
    let mut mother = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_reunion"))
        .args([
            "join", &addr, "--code", &code, "--as", "mother", "--at", "6",
        ])
        .arg("--screenshot")
        .arg(&shot)
        .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xvfb-run (the Debian package xvfb; .ci/run installs it)");
    let mother_lines = lines_of(&mut mother);
    until(&mother_lines, Duration::from_secs(120), |l| {
        l.contains("in the session as `mother`")
    });
    until(&host_lines, Duration::from_secs(10), |l| {
        l.contains("`mother` joined the session")
    });
    // The screenshot is taken once the mirrored session reaches second 6, and the
    // window then closes: exit 0 means the connection held all the while (a lost one
    // would have gone on alone to the calm place and exited 6).
    assert_eq!(
        wait_exit(&mut mother, Duration::from_secs(300)),
        Some(0),
        "the joined window"
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "a screenshot of the place ({size} bytes)");
    until(&host_lines, Duration::from_secs(30), |l| {
        l.contains("`mother` left the session")
    });
    let _ = Command::new("kill")
        .args(["-TERM", &host.id().to_string()])
        .status();
    assert_eq!(wait_exit(&mut host, Duration::from_secs(30)), Some(130));
    let _ = std::fs::remove_file(&shot);
}

/// `reunion join --xr` with no OpenXR runtime says so and exits 3, as `play --xr`
/// does, before it dials anyone.
#[test]
fn joining_in_a_headset_without_a_runtime_says_so() {
    let code = reunion_net::code::JoinCode::generate()
        .expect("randomness")
        .to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_reunion"))
        .args([
            "join",
            "127.0.0.1:9",
            "--code",
            &code,
            "--as",
            "mother",
            "--xr",
        ])
        .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json")
        .output()
        .expect("run reunion");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("cannot start VR"), "{err}");
    assert!(!err.contains("joining"), "nobody was dialled: {err}");
}
