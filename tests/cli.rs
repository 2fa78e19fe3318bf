//! The `reunion` binary, run the way an author or a facilitator runs it.

use std::process::{Command, Output};

use crate::{copy_of_reference, golden, reference};

fn reunion(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reunion"))
        .args(args)
        // No OpenXR runtime may leak in from the machine running the tests.
        .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json")
        .output()
        .expect("run reunion")
}

/// `reunion play DIR --headless --autopilot [--lang L] --log LOG`.
fn play_logged(dir: &std::path::Path, log: &std::path::Path, lang: Option<&str>) -> Output {
    let (dir, log) = (dir.to_str().expect("path"), log.to_str().expect("path"));
    let mut args = vec!["play", dir, "--headless", "--autopilot", "--log", log];
    if let Some(l) = lang {
        args.extend(["--lang", l]);
    }
    reunion(&args)
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[test]
fn check_passes_the_reference_story() {
    let out = reunion(&["check", reference().to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"Meeting You\" is ready"));
}

#[test]
fn check_names_file_line_col_and_the_right_id_for_a_typo_in_start() {
    let dir = copy_of_reference("typo");
    let story = dir.join("story.ron");
    let src = std::fs::read_to_string(&story).expect("story");
    std::fs::write(&story, src.replace("start: \"arrive\"", "start: \"arive\"")).expect("write");
    let line = src
        .lines()
        .position(|l| l.contains("start: \"arrive\""))
        .expect("start line")
        + 1;
    let out = reunion(&["check", dir.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let expected = format!("{}:{line}:12: error:", story.display());
    assert!(err.contains(&expected), "wanted `{expected}` in:\n{err}");
    assert!(err.contains("did you mean `arrive`?"), "{err}");
    assert!(
        err.contains("    start: \"arive\","),
        "the line is shown:\n{err}"
    );
}

#[test]
fn check_names_the_line_of_a_syntax_error() {
    let dir = copy_of_reference("syntax");
    let scene = dir.join("heaven_room.scene.ron");
    let src = std::fs::read_to_string(&scene).expect("scene");
    let broken = src.replacen(
        "(is: Bed(color: \"#fdf1f6\"), ",
        "(is: Bed(color: \"#fdf1f6\" ",
        1,
    );
    assert_ne!(src, broken);
    std::fs::write(&scene, broken).expect("write");
    let line = src
        .lines()
        .position(|l| l.contains("\"bed\""))
        .expect("bed")
        + 1;
    let out = reunion(&["check", dir.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("{}:{line}:", scene.display())),
        "wanted line {line}:\n{err}"
    );
}

#[test]
fn check_reports_a_missing_story_clearly() {
    let out = reunion(&["check", "/nonexistent/story"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("does not exist"));
}

#[test]
fn headless_autopilot_plays_the_whole_story_in_english() {
    let out = reunion(&[
        "play",
        reference().to_str().expect("path"),
        "--headless",
        "--autopilot",
        "--lang",
        "en",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}\n{}", stdout, text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines
            .first()
            .is_some_and(|l| l.ends_with("Nayeon: Mommy, where are you?")),
        "{stdout}"
    );
    assert!(
        lines
            .iter()
            .rev()
            .nth(1)
            .is_some_and(|l| l.ends_with("Nayeon: Bye, Mommy. I love you.")),
        "{stdout}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|l| l.contains("(aftercare) Breathe slowly.")),
        "{stdout}"
    );
    // The app plays the world's transcript, to the line and the tenth of a second,
    // and takes the pure director's path through the story.
    assert_eq!(stdout, crate::world_golden("en", &stdout));
    assert_eq!(crate::lines(&stdout), crate::lines(&golden("en")));
}

#[test]
fn headless_autopilot_in_korean_matches_its_golden_transcript() {
    let out = reunion(&[
        "play",
        reference().to_str().expect("path"),
        "--headless",
        "--autopilot",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout, crate::world_golden("ko", &stdout));
    assert_eq!(crate::lines(&stdout), crate::lines(&golden("ko")));
}

#[test]
fn headless_script_drives_the_participant() {
    let dir = copy_of_reference("script");
    let script = dir.join("quiet.script.ron");
    // A participant who only looks at her, once; every other wait times out gently.
    std::fs::write(&script, "[(at: 8.0, do: LookAt(\"nayeon\"))]").expect("write script");
    let out = reunion(&[
        "play",
        dir.to_str().expect("path"),
        "--headless",
        "--script",
        script.to_str().expect("path"),
        "--lang",
        "en",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(
        stdout.contains("Mommy! You came!"),
        "the look was seen:\n{stdout}"
    );
    assert!(
        !stdout.contains("I'm over here!"),
        "no need to call again:\n{stdout}"
    );
    assert!(
        stdout.contains("Then I'll go first."),
        "the hand was never taken:\n{stdout}"
    );
    assert!(stdout.contains("Bye, Mommy. I love you."), "{stdout}");
}

#[test]
fn a_script_naming_someone_not_in_the_cast_is_refused() {
    let dir = copy_of_reference("badscript");
    let script = dir.join("bad.script.ron");
    std::fs::write(&script, "[\n  (at: 2.0, do: TakeHand(\"nayoen\")),\n]").expect("write");
    let out = reunion(&[
        "play",
        dir.to_str().expect("path"),
        "--headless",
        "--script",
        script.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("did you mean `nayeon`?"), "{err}");
}

#[test]
fn headless_needs_a_participant() {
    let out = reunion(&["play", reference().to_str().expect("path"), "--headless"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--autopilot"));
}

#[test]
fn an_unknown_language_is_refused() {
    let out = reunion(&[
        "play",
        reference().to_str().expect("path"),
        "--headless",
        "--autopilot",
        "--lang",
        "fr",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("ko, en"));
}

#[test]
fn playing_a_broken_story_reports_instead_of_crashing() {
    let dir = copy_of_reference("broken");
    let story = dir.join("story.ron");
    let src = std::fs::read_to_string(&story).expect("story");
    std::fs::write(
        &story,
        src.replace("speaker: \"friend\"", "speaker: \"freind\""),
    )
    .expect("write");
    let out = reunion(&[
        "play",
        dir.to_str().expect("path"),
        "--headless",
        "--autopilot",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("did you mean `friend`?"));
}

#[test]
fn the_session_log_records_lines_and_events_as_json() {
    let dir = copy_of_reference("log");
    let log = dir.join("session.jsonl");
    let out = play_logged(&dir, &log, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let records = std::fs::read_to_string(&log).expect("log written");
    let mut says = 0;
    let mut hand = false;
    for line in records.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v["t"].is_number(), "{line}");
        if v["cue"]["Say"].is_object() {
            says += 1;
        }
        if v["input"]["Event"]["HandHeld"].is_number() {
            hand = true;
        }
    }
    let stdout = text(&out.stdout);
    let transcript_lines = stdout
        .lines()
        .filter(|l| !l.contains("(aftercare)"))
        .count();
    assert_eq!(says, transcript_lines);
    assert!(hand, "taking her hand is in the log");
}

#[test]
fn a_replayed_log_prints_the_same_transcript() {
    let dir = copy_of_reference("replay");
    let log = dir.join("session.jsonl");
    let out = play_logged(&dir, &log, Some("en"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let replayed = reunion(&["replay", log.to_str().expect("path")]);
    assert!(replayed.status.success(), "{}", text(&replayed.stderr));
    assert_eq!(text(&replayed.stdout), text(&out.stdout));
    assert!(text(&replayed.stdout).lines().count() > 25);
}

#[test]
fn play_from_a_node_starts_there_and_its_log_replays_the_same() {
    let dir = copy_of_reference("from");
    let log = dir.join("session.jsonl");
    let (d, l) = (dir.to_str().expect("path"), log.to_str().expect("path"));
    let out = reunion(&[
        "play",
        d,
        "--headless",
        "--autopilot",
        "--lang",
        "en",
        "--from",
        "wait_blow",
        "--log",
        l,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let transcript = text(&out.stdout);
    // The candles stood lit in the cake, and the participant blew them out.
    assert!(
        transcript.lines().next().is_some_and(|l| l.contains("Yay")),
        "{transcript}"
    );
    let replayed = reunion(&["replay", l]);
    assert!(replayed.status.success(), "{}", text(&replayed.stderr));
    assert_eq!(text(&replayed.stdout), transcript);
    // A misspelt node is named, with the right one.
    let out = reunion(&[
        "play",
        d,
        "--headless",
        "--autopilot",
        "--from",
        "wait_blwo",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `wait_blow`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_log_cut_short_by_a_kill_still_reads_and_replays() {
    let dir = copy_of_reference("kill");
    let log = dir.join("session.jsonl");
    // Slow the run down (many small frames) so it is still going when killed.
    let mut child = Command::new(env!("CARGO_BIN_EXE_reunion"))
        .args([
            "play",
            dir.to_str().expect("path"),
            "--headless",
            "--autopilot",
            "--lang",
            "en",
            "--hz",
            "2000",
            "--log",
            log.to_str().expect("path"),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start");
    // Wait until she has spoken, then kill without warning.
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(&log).is_ok_and(|t| t.contains("\"Say\""))
        && start.elapsed().as_secs() < 60
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    let records = std::fs::read_to_string(&log).expect("log");
    let lines: Vec<&str> = records.lines().collect();
    assert!(lines.len() >= 40, "{} records", lines.len());
    // Every record but possibly the last is whole JSON.
    for line in &lines[..lines.len() - 1] {
        serde_json::from_str::<serde_json::Value>(line).expect("a whole record");
    }
    let replayed = reunion(&["replay", log.to_str().expect("path")]);
    assert!(replayed.status.success(), "{}", text(&replayed.stderr));
    assert!(text(&replayed.stdout).contains("Mommy, where are you?"));
}

#[test]
fn a_story_past_its_retire_after_date_is_refused_unless_told() {
    let dir = copy_of_reference("retired");
    let story = dir.join("story.ron");
    let src = std::fs::read_to_string(&story).expect("story");
    std::fs::write(
        &story,
        src.replace(
            "retire_after: \"2036-11-23\"",
            "retire_after: \"2021-01-01\"",
        ),
    )
    .expect("write");
    let path = dir.to_str().expect("path");
    let out = reunion(&["play", path, "--headless", "--autopilot"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        text(&out.stderr).contains("retired on 2021-01-01"),
        "{}",
        text(&out.stderr)
    );
    let out = reunion(&["play", path, "--headless", "--autopilot", "--allow-retired"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn check_warns_when_consent_is_missing() {
    let dir = copy_of_reference("consent");
    let story = dir.join("story.ron");
    let src = std::fs::read_to_string(&story).expect("story");
    let start = src.find("    consent: (").expect("consent");
    let end = start + src[start..].find("\n    ),\n").expect("end") + "\n    ),\n".len();
    std::fs::write(&story, format!("{}{}", &src[..start], &src[end..])).expect("write");
    let out = reunion(&["check", dir.to_str().expect("path")]);
    assert!(out.status.success(), "a warning, not an error");
    assert!(
        text(&out.stderr).contains("says nothing of consent"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bench_reports_every_figure_against_its_budget_as_a_table_and_json() {
    let json = std::env::temp_dir().join(format!("reunion-bench-{}.json", std::process::id()));
    let svg = json.with_extension("svg");
    let out = reunion(&[
        "bench",
        "--quick",
        "--json",
        json.to_str().expect("path"),
        "--plot",
        svg.to_str().expect("path"),
    ]);
    // Over budget is exit 5 (these machines are shared and noisy); anything else fails.
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(5),
        "exit {code:?}: {}",
        text(&out.stderr)
    );
    let table = text(&out.stdout);
    for figure in [
        "load + validate the story",
        "director step",
        "reunion systems per frame, reference story",
        "1,000 things + 10 avatars",
        "draw calls per eye, park",
        "triangles per eye, heaven_room",
        "hot reload",
        "headless autopilot speed",
        "longest frame, transition 1 → park",
        "reunion systems per frame, 2 humanoid models",
        "longest frame of any beat",
        "peer: place heaven_room, ours ÷ Bevy's DynamicWorld",
        "peer: spawning, ours ÷ Bevy's",
        "hitches, headless",
    ] {
        assert!(table.contains(figure), "no `{figure}` in:\n{table}");
    }
    // The dialogue peer is built with the `yarn-peer` feature only.
    if cfg!(feature = "yarn-peer") {
        for figure in [
            "peer: a line, director ÷ Yarn Spinner",
            "peer: whole dialogue per line, director ÷ Yarn",
            "peer: steps per second, director ÷ Yarn",
        ] {
            assert!(table.contains(figure), "no `{figure}` in:\n{table}");
        }
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("json");
    let rows = report["rows"].as_array().expect("rows");
    assert!(rows.len() >= 12);
    for r in rows {
        let v = r["value"].as_f64().expect("a number");
        assert!(v.is_finite() && v >= 0.0, "{r}");
        if r["budget"].is_number() {
            assert_eq!(
                r["within"].as_bool(),
                Some(v <= r["budget"].as_f64().expect("budget"))
            );
        }
    }
    // Hitches: every beat and transition of the story played, each named, its longest
    // frame at least its p99.
    let spans = report["hitches"][0]["spans"]
        .as_array()
        .expect("hitch spans");
    for beat in ["transition 1 → park", "(Say)", "(Wait)"] {
        assert!(
            spans
                .iter()
                .any(|s| s["label"].as_str().expect("label").contains(beat)),
            "no span `{beat}` in {spans:?}"
        );
    }
    for s in spans {
        let (p99, max) = (
            s["p99"].as_f64().expect("p99"),
            s["max"].as_f64().expect("max"),
        );
        assert!(
            s["frames"].as_u64().expect("frames") >= 1 && max >= p99,
            "{s}"
        );
    }
    // Every place of the reference story is counted, and the scenes have shapes.
    for place in ["park", "heaven_room", "sky"] {
        let calls = rows
            .iter()
            .find(|r| r["name"] == format!("draw calls per eye, {place}"))
            .unwrap_or_else(|| panic!("no draw calls for {place}"));
        assert!(calls["value"].as_f64().expect("n") >= 1.0);
    }
    // The picture: the whole story's frames, each place it goes to marked, the stress
    // scene beside it.
    let picture = std::fs::read_to_string(&svg).expect("the plot is written");
    assert!(picture.starts_with("<svg"), "not an SVG");
    for label in [
        "Meeting You: reunion systems per frame",
        "park",
        "heaven_room",
        "sky",
        "stress scene",
        "budget 0.2 ms",
    ] {
        assert!(picture.contains(label), "no `{label}` in the plot");
    }
    // One point per frame: the whole story (four minutes) is there, not the quick one.
    let points = picture
        .split("points=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap_or("").matches(',').count())
        .max()
        .unwrap_or(0);
    assert!(points > 90 * 200, "the plot's line has {points} points");
    let _ = std::fs::remove_file(json);
    let _ = std::fs::remove_file(svg);
}

/// `reunion report`: the page of a session's log, its facts counted from the log itself.
fn report_of(log: &std::path::Path) -> String {
    let page = log.with_extension("html");
    let out = reunion(&[
        "report",
        log.to_str().expect("path"),
        "--out",
        page.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::read_to_string(&page).expect("the page is written")
}

/// How many records of the log hold `needle`.
fn records_with(log: &str, needle: &str) -> usize {
    log.lines().filter(|l| l.contains(needle)).count()
}

#[test]
fn report_shows_a_session_its_lines_its_waits_met_or_run_out_and_its_length() {
    let dir = std::env::temp_dir().join(format!("reunion-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    // The autopilot: every wait met.
    let auto = dir.join("auto.jsonl");
    let out = play_logged(&crate::reference(), &auto, Some("en"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log = std::fs::read_to_string(&auto).expect("log");
    let page = report_of(&auto);
    let says = records_with(&log, r#"{"cue":{"Say""#);
    assert!(says > 20);
    assert_eq!(page.matches("<tr class=\"line\">").count(), says);
    assert!(page.contains("Mommy, where are you?"));
    let waits = records_with(&log, r#"{"cue":{"Waiting""#);
    assert_eq!(page.matches("<tr class=\"wait\">").count(), waits);
    assert_eq!(page.matches(">met</td>").count(), waits);
    assert!(!page.contains("ran out of time</td>"));
    // Its whole length is the log's last time, as minutes and seconds.
    let last = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["t"].as_f64())
        .fold(0.0, f64::max);
    let total = format!("{}:{:04.1}", (last / 60.0).floor() as u64, last % 60.0);
    assert!(
        page.contains(&format!("<b>{total}</b>")),
        "no total {total}"
    );
    assert!(page.contains("likeness of"), "no consent at the top");
    assert!(page.contains("to the end of the story"));

    // Nobody acts (an empty script): the waits run out, and say so.
    let script = dir.join("nobody.script.ron");
    std::fs::write(&script, "[]").expect("script");
    let nobody = dir.join("nobody.jsonl");
    let out = reunion(&[
        "play",
        crate::reference().to_str().expect("path"),
        "--headless",
        "--script",
        script.to_str().expect("path"),
        "--log",
        nobody.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log = std::fs::read_to_string(&nobody).expect("log");
    let page = report_of(&nobody);
    let ran_out = records_with(&log, r#"{"cue":{"WaitTimedOut""#);
    assert!(ran_out >= 5);
    assert_eq!(page.matches("ran out of time</td>").count(), ran_out);
    assert!(page.contains("nothing the story heard"));
    assert!(page.contains("엄마, 어디 있어?"), "the Korean lines");
    // The facilitator reads it in English.
    let english = nobody.with_file_name("english.html");
    let out = reunion(&[
        "report",
        nobody.to_str().expect("path"),
        "--lang",
        "en",
        "--out",
        english.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let english = std::fs::read_to_string(english).expect("page");
    assert!(english.contains("Mommy, where are you?"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_session_ended_from_outside_closes_its_log_and_says_so() {
    for signal in ["TERM", "HUP", "INT"] {
        let log = std::env::temp_dir().join(format!(
            "reunion-signal-{signal}-{}.jsonl",
            std::process::id()
        ));
        let child = Command::new(env!("CARGO_BIN_EXE_reunion"))
            .args(["play", reference().to_str().expect("path"), "--headless"])
            .args(["--autopilot", "--log", log.to_str().expect("path")])
            // Headless play runs the whole story in a few seconds on a quiet machine:
            // with the tablet's console it keeps to real time (times 10), so the
            // signal comes in the middle of the story, never after its end.
            .args(["--console-web", "127.0.0.1:0", "--speed", "10"])
            .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run reunion");
        // Into the story, then the signal.
        let started = std::time::Instant::now();
        while std::fs::read_to_string(&log).map_or(0, |l| l.lines().count()) < 50 {
            assert!(started.elapsed().as_secs() < 60, "the session never began");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let sent = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(130),
            "SIG{signal}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("ended from outside"),
            "{}",
            text(&out.stderr)
        );
        let written = std::fs::read_to_string(&log).expect("log");
        let last = written.lines().last().expect("a record");
        assert!(
            last.contains("the session was ended from outside"),
            "SIG{signal}: the log ends with {last}"
        );
        // Every line is whole.
        for line in written.lines() {
            serde_json::from_str::<serde_json::Value>(line).expect("a whole record");
        }
        let _ = std::fs::remove_file(log);
    }
}

/// A story folder of the reference story with `edits` made to its story.ron.
fn edited_reference(name: &str, edits: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = copy_of_reference(name);
    let story = dir.join("story.ron");
    let mut src = std::fs::read_to_string(&story).expect("story");
    for (from, to) in edits {
        assert!(src.contains(from), "{from}");
        src = src.replace(from, to);
    }
    std::fs::write(&story, src).expect("write");
    dir
}

#[test]
fn graph_draws_the_reference_story_as_svg_and_writes_its_dot() {
    let dir = copy_of_reference("graph");
    let svg = dir.join("story.svg");
    let dot = dir.join("story.dot");
    let out = reunion(&[
        "graph",
        dir.to_str().expect("path"),
        "--lang",
        "en",
        "--out",
        svg.to_str().expect("path"),
        "--dot",
        dot.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("nodes drawn"),
        "{}",
        text(&out.stdout)
    );
    let drawn = std::fs::read_to_string(&svg).expect("an SVG");
    assert!(drawn.contains("<svg"), "not an SVG");
    // What dot laid out: the places and the first words of lines.
    for words in [
        "park",
        "heaven_room",
        "sky",
        "Mommy, where are you?",
        "after 20 s",
    ] {
        assert!(drawn.contains(words), "the picture lacks `{words}`");
    }
    assert!(
        std::fs::read_to_string(&dot)
            .expect("DOT")
            .starts_with("digraph story {")
    );
}

#[test]
fn graph_says_clearly_when_graphviz_is_missing() {
    let out = Command::new(env!("CARGO_BIN_EXE_reunion"))
        .args([
            "graph",
            reference().to_str().expect("path"),
            "--out",
            "/tmp/never.svg",
        ])
        .env("REUNION_DOT", "/nonexistent/dot")
        .output()
        .expect("run reunion");
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(
        err.contains("is not installed") && err.contains("apt-get install graphviz"),
        "{err}"
    );
    assert!(err.contains("--dot FILE"), "{err}");
}

#[test]
fn graph_of_a_story_with_hidden_problems_draws_them_in_red() {
    let dir = edited_reference(
        "graph-broken",
        &[(
            "on_timeout: \"blow_herself\",\n            next: \"yay\",",
            "on_timeout: \"blow\",\n            next: \"blow\",",
        )],
    );
    let out = reunion(&["graph", dir.to_str().expect("path"), "--dot", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dot = text(&out.stdout);
    assert!(dot.contains("in a loop with no way on to an End"), "{dot}");
    assert!(dot.contains("never reached"), "{dot}");
}

#[test]
fn play_prints_the_checkers_warnings_without_colour_codes_into_a_file() {
    // A wait with no timeout: a warning, printed as the story starts.
    let dir = edited_reference(
        "plain",
        &[(
            "until: GazeHeld(on: \"nayeon\", seconds: 1.0),\n            timeout: 20.0,\n",
            "until: GazeHeld(on: \"nayeon\", seconds: 1.0),\n",
        )],
    );
    let out = play_logged(&dir, &dir.join("session.jsonl"), Some("en"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("has no timeout"), "{err}");
    assert!(!err.contains('\u{1b}'), "colour codes in a file: {err:?}");
}

#[test]
fn the_aftercare_is_in_the_headless_transcript_and_the_session_log() {
    let dir = copy_of_reference("aftercare");
    let log = dir.join("session.jsonl");
    let out = play_logged(&dir, &log, Some("en"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let aftercare =
        "Breathe slowly. Take off the headset whenever you are ready. Someone is here with you.";
    let last = text(&out.stdout).lines().last().unwrap_or("").to_owned();
    assert!(
        last.ends_with(&format!("(aftercare) {aftercare}")),
        "{last}"
    );
    let records = std::fs::read_to_string(&log).expect("log written");
    let ended = records
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .find(|v| v["cue"]["Ended"].is_object())
        .expect("the end is logged");
    let texts = ended["text"]
        .as_array()
        .expect("the aftercare's text in every language");
    assert!(texts.iter().any(|t| t == aftercare), "{ended}");
}

#[test]
fn new_makes_a_story_that_checks_clean_and_plays_to_its_end() {
    let root = std::env::temp_dir().join(format!("reunion-test-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("a folder");
    let dir = root.join("grandma_visit");
    let made = reunion(&["new", dir.to_str().expect("path")]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let story = std::fs::read_to_string(dir.join("story.ron")).expect("story.ron");
    assert!(story.contains("title: \"grandma visit\""), "{story}");
    assert!(story.contains("// "), "the template teaches with comments");
    let today = reunion_story::story::Date::today();
    assert!(
        story.contains(&format!("consented_on: \"{today}\"")),
        "{story}"
    );
    assert!(
        story.contains(&format!("retire_after: \"{}-", today.year + 10)),
        "{story}"
    );
    let checked = reunion(&["check", dir.to_str().expect("path")]);
    assert!(checked.status.success(), "{}", text(&checked.stderr));
    assert_eq!(text(&checked.stderr), "", "not clean");
    let played = reunion(&[
        "play",
        dir.to_str().expect("path"),
        "--headless",
        "--autopilot",
    ]);
    assert!(played.status.success(), "{}", text(&played.stderr));
    let transcript = text(&played.stdout);
    assert!(
        transcript.contains("Her: Hello. I'm glad you came."),
        "{transcript}"
    );
    assert!(
        transcript.contains("(aftercare) Take your time."),
        "{transcript}"
    );
    // Never over an author's work.
    let again = reunion(&["new", dir.to_str().expect("path")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("not empty"),
        "{}",
        text(&again.stderr)
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// `play --screenshot` in a window (under Xvfb) quits after its picture; the session's
/// log says it was ended from outside, so the next start does not offer to resume it
/// as a crash. (Before, the quit was asked in the last schedule after the note was
/// looked for, and the log read as a session that stopped without an end.)
#[test]
fn a_screenshot_run_ends_its_session_log_with_the_note_of_an_end_from_outside() {
    let dir = std::env::temp_dir().join(format!("reunion-shot-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    let (shot, log) = (dir.join("shot.png"), dir.join("session.jsonl"));
    let args: [std::ffi::OsString; 8] = [
        "play".into(),
        reference().into(),
        "--at".into(),
        "2".into(),
        "--screenshot".into(),
        shot.clone().into(),
        "--log".into(),
        log.clone().into(),
    ];
    let (succeeded, report) = crate::reunion_in_a_window(&args);
    assert!(succeeded, "{report}");
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 20_000),
        "{report}"
    );
    let logged = reunion_story::log::read_inputs(&std::fs::read_to_string(&log).expect("the log"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        logged.ended_from_outside,
        "the log has no note of the end: {report}"
    );
    assert!(!logged.stopped_without_an_end());
}
