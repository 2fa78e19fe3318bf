//! The facilitator's tablet (`reunion_console::web`): its request handling as a pure
//! function with good and hostile requests, what the page is told, the server in a
//! headless app over real HTTP, and the page in a real headless Chromium.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use reunion_console::web::access::{self, AccessCode};
use reunion_console::web::protocol::{MAX_BODY, Routed, SeenIds, WebRequest, route};
use reunion_console::web::snapshot::{Catalog, Observed, act_words, changes};
use reunion_console::{ConsoleAction, VolumeChannel, WebConsolePlugin, WebConsoleServer};
use reunion_stage::prelude::*;
use reunion_story::participant::ParticipantAction;
use reunion_story::story::{AnswerId, IntentId, LangId, NodeId};

use crate::app::{autopilot_app, run_until};
use crate::{reference, root};

fn code() -> AccessCode {
    AccessCode::from_random_bytes([7; access::CODE_LEN])
}

fn catalog() -> Catalog {
    let loaded = reunion_story::load::load_dir(&reference());
    Catalog::of(&loaded.story.expect("the reference story loads"))
}

/// A POST of `body` to /api/action with `given` as the code.
fn post(body: &str, given: Option<&str>) -> Routed {
    let code = code();
    let catalog = catalog();
    route(
        &WebRequest {
            method: "POST",
            url: "/api/action",
            code: given,
            body: body.as_bytes(),
            body_too_large: false,
        },
        &code,
        Some(&catalog),
    )
}

fn post_ok(body: &str) -> Routed {
    let code = code();
    post(body, Some(code.as_str()))
}

fn status(r: &Routed) -> u16 {
    match r {
        Routed::Respond(r) => r.status,
        other => panic!("expected an answer, got {other:?}"),
    }
}

fn acted(body: &str) -> ConsoleAction {
    match post_ok(body) {
        Routed::Act { action, .. } => action,
        other => panic!("{body}: expected an action, got {other:?}"),
    }
}

#[test]
fn every_button_of_the_page_becomes_its_console_action() {
    let c = catalog();
    let room = c.nodes.iter().position(|n| n.id == "room").expect("room");
    let id = r#""id": "abcdef0123""#;
    let cases: Vec<(String, ConsoleAction)> = vec![
        (format!(r#"{{{id}, "do": "hold"}}"#), ConsoleAction::Hold),
        (
            format!(r#"{{{id}, "do": "resume"}}"#),
            ConsoleAction::Resume,
        ),
        (
            format!(r#"{{{id}, "do": "repeat"}}"#),
            ConsoleAction::Repeat,
        ),
        (format!(r#"{{{id}, "do": "skip"}}"#), ConsoleAction::Skip),
        (
            format!(r#"{{{id}, "do": "end_gently"}}"#),
            ConsoleAction::EndGently,
        ),
        (
            format!(r#"{{{id}, "do": "stop_now"}}"#),
            ConsoleAction::StopNow,
        ),
        (
            format!(r#"{{{id}, "do": "jump", "node": {room}}}"#),
            ConsoleAction::JumpTo(NodeId(room as u32)),
        ),
        (
            format!(r#"{{{id}, "do": "act", "what": "take_hand", "actor": "nayeon"}}"#),
            ConsoleAction::Act(ParticipantAction::TakeHand("nayeon".into())),
        ),
        (
            format!(r#"{{{id}, "do": "act", "what": "speak"}}"#),
            ConsoleAction::Act(ParticipantAction::Speak),
        ),
        (
            format!(r#"{{{id}, "do": "language", "lang": "en"}}"#),
            ConsoleAction::Language(LangId(1)),
        ),
        (
            format!(r#"{{{id}, "do": "volume", "channel": "music", "level": 0.25}}"#),
            ConsoleAction::SetVolume(VolumeChannel::Music, 0.25),
        ),
    ];
    for (body, want) in cases {
        assert_eq!(acted(&body), want, "{body}");
    }
    for cue in &c.cues {
        let body = format!(r#"{{{id}, "do": "cue", "name": "{cue}"}}"#);
        assert_eq!(acted(&body), ConsoleAction::OperatorCue(cue.clone()));
    }
    assert!(!c.answers.is_empty() && !c.intents.is_empty());
    for (i, answer) in c.answers.iter().enumerate() {
        let body = format!(r#"{{{id}, "do": "answer", "name": "{answer}"}}"#);
        assert_eq!(acted(&body), ConsoleAction::SayAnswer(AnswerId(i as u16)));
    }
    for (i, intent) in c.intents.iter().enumerate() {
        let body = format!(r#"{{{id}, "do": "heard", "name": "{intent}"}}"#);
        assert_eq!(
            acted(&body),
            ConsoleAction::DeclareHeard(IntentId(i as u16))
        );
    }
    assert_eq!(
        acted(&format!(r#"{{{id}, "do": "confirm"}}"#)),
        ConsoleAction::ConfirmAnswer
    );
    assert_eq!(
        acted(&format!(r#"{{{id}, "do": "dismiss"}}"#)),
        ConsoleAction::DismissAnswer
    );
    assert_eq!(
        acted(&format!(r#"{{{id}, "do": "resume_last"}}"#)),
        ConsoleAction::ResumeLastSession
    );
    assert_eq!(
        acted(&format!(r#"{{{id}, "do": "dismiss_resume"}}"#)),
        ConsoleAction::DismissResumeOffer
    );
}

#[test]
fn hostile_requests_get_an_error_and_no_action() {
    let good = r#"{"id": "abcdef0123", "do": "stop_now"}"#;
    // A wrong code, no code, a code of another length.
    assert_eq!(status(&post(good, Some("WRONGWRONG"))), 401);
    assert_eq!(status(&post(good, None)), 401);
    assert_eq!(status(&post(good, Some(""))), 401);
    let c = code();
    assert_eq!(status(&post(good, Some(&format!("{}X", c.as_str())))), 401);
    // Malformed JSON, other shapes, unknown actions and fields, out-of-range values.
    for body in [
        "",
        "{",
        "null",
        "[1,2]",
        r#"{"do": "hold"}"#,
        r#"{"id": "short", "do": "hold"}"#,
        r#"{"id": "abcdef0123<script>", "do": "hold"}"#,
        r#"{"id": "abcdef0123", "do": "explode"}"#,
        r#"{"id": "abcdef0123", "do": "hold", "extra": 1}"#,
        r#"{"id": "abcdef0123", "do": "jump"}"#,
        r#"{"id": "abcdef0123", "do": "jump", "node": 999999}"#,
        r#"{"id": "abcdef0123", "do": "jump", "node": -1}"#,
        r#"{"id": "abcdef0123", "do": "act", "what": "take_hand", "actor": "stranger"}"#,
        r#"{"id": "abcdef0123", "do": "act", "what": "fly"}"#,
        r#"{"id": "abcdef0123", "do": "act", "what": "touch", "actor": "nayeon", "zone": "knee"}"#,
        r#"{"id": "abcdef0123", "do": "cue", "name": "no such cue"}"#,
        r#"{"id": "abcdef0123", "do": "answer", "name": "no such answer"}"#,
        r#"{"id": "abcdef0123", "do": "answer"}"#,
        r#"{"id": "abcdef0123", "do": "heard", "name": "no such intent"}"#,
        r#"{"id": "abcdef0123", "do": "language", "lang": "fr"}"#,
        r#"{"id": "abcdef0123", "do": "volume", "channel": "music", "level": 2}"#,
        r#"{"id": "abcdef0123", "do": "volume", "channel": "bass", "level": 0.5}"#,
    ] {
        assert_eq!(status(&post_ok(body)), 400, "{body}");
    }
    // A huge body is refused whole.
    let catalog = catalog();
    let huge = route(
        &WebRequest {
            method: "POST",
            url: "/api/action",
            code: Some(c.as_str()),
            body: b"",
            body_too_large: true,
        },
        &c,
        Some(&catalog),
    );
    assert_eq!(status(&huge), 413);
    // Wrong methods and addresses.
    let asked = |method: &'static str, url: &'static str| {
        status(&route(
            &WebRequest {
                method,
                url,
                code: Some(c.as_str()),
                ..default()
            },
            &c,
            Some(&catalog),
        ))
    };
    for (method, url) in [
        ("GET", "/api/action"),
        ("POST", "/api/state"),
        ("DELETE", "/api/state"),
        ("POST", "/"),
    ] {
        assert_eq!(asked(method, url), 405, "{method} {url}");
    }
    for url in ["/../../etc/passwd", "/api", "/api/state/x", "/index.htm"] {
        assert_eq!(asked("GET", url), 404, "{url}");
    }
    // Before the story has loaded there is nothing to act on.
    let early = route(
        &WebRequest {
            method: "POST",
            url: "/api/action",
            code: Some(c.as_str()),
            body: good.as_bytes(),
            body_too_large: false,
        },
        &c,
        None,
    );
    assert_eq!(status(&early), 503);
}

#[test]
fn the_page_is_served_without_the_code_and_the_state_only_with_it() {
    let c = code();
    let get = |url, code: Option<&str>| {
        route(
            &WebRequest {
                method: "GET",
                url,
                code,
                ..default()
            },
            &c,
            None,
        )
    };
    for url in ["/", "/index.html", "/app.js", "/style.css"] {
        let Routed::Respond(r) = get(url, None) else {
            panic!("{url}")
        };
        assert_eq!(r.status, 200, "{url}");
        assert!(!r.body.is_empty());
    }
    assert_eq!(get("/font.ttf", None), Routed::Font);
    assert_eq!(status(&get("/api/state", None)), 401);
    assert_eq!(
        get("/api/state?since=41", Some(c.as_str())),
        Routed::State { since: Some(41) }
    );
    let lower = c.as_str().to_lowercase();
    assert_eq!(
        get("/api/state", Some(&lower)),
        Routed::State { since: None }
    );
    // The page's files load nothing from elsewhere.
    for url in ["/", "/app.js", "/style.css"] {
        let Routed::Respond(r) = get(url, None) else {
            panic!("{url}")
        };
        let text = String::from_utf8_lossy(&r.body);
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{url}"
        );
    }
}

#[test]
fn access_codes_are_random_readable_and_compared_whole() {
    let a = AccessCode::generate().expect("randomness");
    let b = AccessCode::generate().expect("randomness");
    assert_ne!(a, b);
    assert_eq!(a.as_str().len(), access::CODE_LEN);
    assert!(a.as_str().bytes().all(|ch| access::ALPHABET.contains(&ch)));
    assert!(a.matches(a.as_str()));
    assert!(a.matches(&a.as_str().to_lowercase()));
    let (head, tail) = a.as_str().split_at(5);
    assert!(a.matches(&format!("{head}-{tail}")));
    assert!(!a.matches(head));
    assert!(!a.matches(b.as_str()));
    // `{:?}` never shows it.
    assert!(!format!("{a:?}").contains(a.as_str()));
    let url = access::page_url("http://10.0.0.2:8000", &a);
    assert!(url.ends_with(&format!("/#code={}", a.as_str())));
    let (width, dark) = access::qr_modules(&url).expect("a QR code");
    assert_eq!(dark.len(), width * width);
    let text = access::qr_text(&url).expect("a QR code");
    assert_eq!(text.lines().count(), (width + 8).div_ceil(2));
}

#[test]
fn a_press_sent_again_is_done_once() {
    let mut seen = SeenIds::default();
    assert!(seen.first_time("abcdef0123"));
    assert!(!seen.first_time("abcdef0123"));
    assert!(seen.first_time("abcdef0124"));
}

#[test]
fn the_happenings_say_what_changed() {
    let loaded = reunion_story::load::load_dir(&reference());
    let story = std::sync::Arc::new(loaded.story.expect("loads"));
    let nayeon = story.actor_id("nayeon").expect("nayeon");
    let before = Observed {
        node: story.start,
        place: None,
        held: false,
        calm: false,
        ended: false,
        hand: None,
        looking_at: None,
        spoke_at: None,
        lines: 0,
    };
    let now = Observed {
        hand: Some(nayeon),
        looking_at: Some(nayeon),
        spoke_at: Some(3.0),
        held: true,
        ..before.clone()
    };
    let said = changes(&story, LangId(0), &before, &now, &[]);
    assert_eq!(
        said,
        [
            "the participant holds nayeon's hand",
            "the participant looks at nayeon",
            "the participant spoke",
            "held"
        ]
    );
    let calm = Observed {
        calm: true,
        ..now.clone()
    };
    assert_eq!(
        changes(&story, LangId(0), &now, &calm, &[]),
        ["in the calm place, held"]
    );
    assert!(changes(&story, LangId(0), &now, &now, &[]).is_empty());
    assert_eq!(
        act_words(&ParticipantAction::Touch(
            "nayeon".into(),
            reunion_story::format::TouchZone::Cheek
        )),
        "act: the participant touches nayeon's cheek"
    );
}

/// One HTTP/1.1 request; the status and the body.
fn http(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

fn post_action(addr: SocketAddr, code: &str, body: &str) -> (u16, String) {
    http(
        addr,
        &format!(
            "POST /api/action HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Reunion-Code: {code}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
}

#[test]
fn over_http_a_page_holds_the_story_once_and_stop_now_reaches_the_calm_place() {
    let server = WebConsoleServer::start("127.0.0.1:0".parse().expect("addr"), None)
        .expect("the server starts");
    let addr = server.local_addr();
    let code = server.code().as_str().to_owned();
    let mut app = autopilot_app("en");
    app.add_plugins(WebConsolePlugin { server });
    app.finish();
    app.cleanup();
    let speaking = |w: &World| {
        w.get_resource::<StorySession>()
            .is_some_and(|s| !s.session.transcript.is_empty())
    };
    assert!(run_until(&mut app, 90 * 30, speaking), "she never spoke");
    app.update();
    // The state, with the code, shows her line.
    let (status, body) = http(
        addr,
        &format!(
            "GET /api/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Reunion-Code: {code}\r\n\r\n"
        ),
    );
    assert_eq!(status, 200, "{body}");
    let state: serde_json::Value = serde_json::from_str(&body).expect("JSON state");
    assert!(
        state["status"]["line"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()),
        "{state}"
    );
    // Without it, nothing.
    let (status, body) = http(
        addr,
        "GET /api/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 401);
    assert!(!body.contains("status"));
    // Hostile bodies change nothing.
    let huge = "x".repeat(MAX_BODY * 50);
    assert_eq!(post_action(addr, &code, &huge).0, 413);
    assert_eq!(post_action(addr, &code, "{not json").0, 400);
    assert_eq!(
        post_action(addr, "WRONG", r#"{"id":"abcdef0123","do":"hold"}"#).0,
        401
    );
    for _ in 0..5 {
        app.update();
    }
    assert!(
        !app.world()
            .resource::<StorySession>()
            .session
            .director
            .is_held()
    );
    // A hold sent twice with one id (its answer was lost) is done once: a second
    // hold would do nothing visible, so a resume with a repeated id shows it.
    let hold = r#"{"id":"hold-0000001","do":"hold"}"#;
    assert_eq!(post_action(addr, &code, hold).0, 200);
    assert!(run_until(&mut app, 10, |w| w
        .resource::<StorySession>()
        .session
        .director
        .is_held()));
    let resume = r#"{"id":"resume-000001","do":"resume"}"#;
    assert_eq!(post_action(addr, &code, resume).0, 200);
    assert!(run_until(&mut app, 10, |w| !w
        .resource::<StorySession>()
        .session
        .director
        .is_held()));
    assert_eq!(post_action(addr, &code, hold).0, 200);
    let (_, again) = post_action(addr, &code, hold);
    assert!(again.contains("\"duplicate\":true"), "{again}");
    for _ in 0..5 {
        app.update();
    }
    assert!(
        !app.world()
            .resource::<StorySession>()
            .session
            .director
            .is_held(),
        "a hold sent again was done again"
    );
    // Stop now, whatever else is happening: a crowd of waiting pages does not delay it.
    let waiting: Vec<_> = (0..20)
        .map(|_| {
            let code = code.clone();
            std::thread::spawn(move || {
                http(
                    addr,
                    &format!("GET /api/state?since=999999 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Reunion-Code: {code}\r\n\r\n"),
                )
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let sent = Instant::now();
    assert_eq!(
        post_action(addr, &code, r#"{"id":"stop-0000001","do":"stop_now"}"#).0,
        200
    );
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "stop now took {:?} to be taken",
        sent.elapsed()
    );
    assert!(run_until(&mut app, 3, |w| w
        .resource::<StorySession>()
        .session
        .director
        .in_calm_place()));
    // The waiting pages are told of the change.
    app.update();
    for w in waiting {
        let (status, body) = w.join().expect("a waiting page");
        assert_eq!(status, 200, "{body}");
    }
}

/// Fails (does not skip) when a tool the browser test needs is missing: CI installs
/// them (.ci/run).
fn need(what: &str, ok: bool, how: &str) {
    assert!(ok, "the tablet's browser test needs {what}: {how}");
}

#[test]
fn in_a_real_browser_the_tablet_follows_holds_and_stops_the_session() {
    let web = root().join("tests/web");
    let node = Command::new("node").arg("--version").output();
    need(
        "node",
        node.is_ok_and(|o| o.status.success()),
        "apt-get install nodejs npm",
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    need(
        "Chromium",
        std::path::Path::new(&chromium).is_file(),
        "apt-get install chromium",
    );
    need(
        "playwright-core",
        web.join("node_modules/playwright-core").is_dir(),
        "npm ci in tests/web",
    );
    let dir = std::env::temp_dir().join(format!("reunion-tablet-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log = dir.join("session.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_reunion"))
        .args([
            "play",
            reference().to_str().expect("path"),
            "--headless",
            "--autopilot",
        ])
        .args([
            "--console-web",
            "127.0.0.1:0",
            "--log",
            log.to_str().expect("path"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start reunion");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut url = None;
    let mut printed = String::new();
    for line in lines.by_ref() {
        let line = line.expect("stderr line");
        printed.push_str(&line);
        printed.push('\n');
        if let Some(u) = line.strip_prefix("the facilitator's tablet: open ") {
            url = Some(u.to_owned());
            break;
        }
    }
    let url = url.unwrap_or_else(|| panic!("no address printed:\n{printed}"));
    let code = url
        .split_once("#code=")
        .expect("code in the address")
        .1
        .to_owned();
    // The rest of stderr, in the background (the QR code, warnings).
    let rest = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
    let shots = dir.join("shots");
    std::fs::create_dir_all(&shots).expect("shots dir");
    let out = Command::new("node")
        .current_dir(&web)
        .arg("tablet.mjs")
        .arg(&url)
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let exit = child.wait().expect("reap");
    let rest = rest.join().expect("stderr").join("\n");
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "the browser test failed:\n{said}\n{}\nreunion said:\n{printed}{rest}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value =
        serde_json::from_str(said.lines().last().unwrap_or_default()).expect("a JSON line");
    println!("the browser saw: {seen}");
    assert_eq!(seen["code_left_address"], true, "{seen}");
    assert!(
        seen["first_line"].as_str().is_some_and(|t| !t.is_empty()),
        "{seen}"
    );
    assert_eq!(seen["place"], "heaven_room", "{seen}");
    assert_eq!(seen["room_line"], "여기가 내 방이야. 예쁘지?", "{seen}");
    assert_eq!(seen["hold_button"], "Resume", "{seen}");
    assert_eq!(seen["repeats_listed"], 1, "{seen}");
    assert!(
        seen["stop_ms"].as_u64().is_some_and(|ms| ms <= 2000),
        "{seen}"
    );
    assert!(
        seen["calm_phase"]
            .as_str()
            .is_some_and(|p| p.contains("calm place")),
        "{seen}"
    );
    assert_eq!(exit.code(), Some(130), "ended by SIGTERM: {rest}");
    // What the app did, from its log: held, one repeat, stop now, the calm place.
    let records = std::fs::read_to_string(&log).expect("the session log");
    let operator = |what: &str| {
        records
            .lines()
            .filter(|l| l.contains(&format!("\"Operator\":\"{what}\"")))
            .count()
    };
    assert!(operator("Hold") >= 1, "no hold in the log");
    assert_eq!(
        operator("RepeatLine"),
        1,
        "the repeat pressed offline was sent once"
    );
    assert_eq!(operator("StopNow"), 1);
    let stop_at = records.find("\"StopNow\"").expect("stop now");
    assert!(
        records[stop_at..].contains("\"SafeExit\""),
        "no calm place after stop now"
    );
    // The code is in no log.
    assert!(
        !records.contains(&code),
        "the access code is in the session log"
    );
    // Printed once at start (with the address, and to read back), then never again.
    let again: Vec<&str> = rest
        .lines()
        .filter(|l| l.contains(&code) && !l.starts_with("  (listening on"))
        .collect();
    assert!(
        again.is_empty(),
        "the access code was printed again: {again:?}"
    );
    for shot in ["tablet-tablet.png", "tablet-phone.png"] {
        let png = std::fs::read(shots.join(shot)).expect("a screenshot");
        assert!(png.starts_with(b"\x89PNG"), "{shot}");
    }
    if let Ok(keep) = std::env::var("REUNION_TABLET_SHOTS") {
        for shot in ["tablet-tablet.png", "tablet-phone.png"] {
            std::fs::copy(shots.join(shot), std::path::Path::new(&keep).join(shot))
                .expect("keep the screenshot");
        }
    }
}

#[test]
fn a_bad_or_taken_address_for_the_tablet_is_a_clear_error() {
    let run = |addr: &str| {
        Command::new(env!("CARGO_BIN_EXE_reunion"))
            .args([
                "play",
                reference().to_str().expect("path"),
                "--headless",
                "--autopilot",
            ])
            .args(["--console-web", addr])
            .output()
            .expect("run reunion")
    };
    let bad = run("tablet");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--console-web"));
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("its address").to_string();
    let out = run(&addr);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot serve the web console"), "{err}");
    assert!(!err.contains("access code"), "{err}");
}
