//! Resuming after a crash (#21): a headless session killed without warning (SIGKILL,
//! as a crash or a power cut leaves it) at random moments, and resumed from its log
//! with `reunion play --resume`, reaches the story's end saying the same lines as a
//! run that was never interrupted, from the interrupted line on.
//!
//! CI kills a few times; `REUNION_KILLS=50` (tools/kill-resume.sh) runs the full
//! version across the story and prints its figures (docs/robustness.md).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{copy_of_reference, lines};

fn reunion() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reunion"));
    c.env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json");
    c
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// A small deterministic generator (the seed is printed, to run a failure again).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// What one kill and its resume gave.
struct Outcome {
    /// Lines printed before the kill.
    before: usize,
    /// Lines the resumed run said.
    after: usize,
    /// Lines said twice (the interrupted one, said again).
    again: usize,
}

/// Plays the story headless with its log in `session/`, kills it with SIGKILL once
/// the log holds `records` records, resumes it, and checks the transcript against
/// `full` (the uninterrupted run's lines). `None` when the story ended before the
/// kill (nothing to resume).
fn kill_and_resume(
    story: &Path,
    session: &Path,
    records: usize,
    full: &[String],
) -> Option<Outcome> {
    let _ = std::fs::remove_dir_all(session);
    std::fs::create_dir_all(session).expect("session folder");
    let log = session.join("session.jsonl");
    let mut child = reunion()
        .args([
            "play",
            path(story),
            "--headless",
            "--autopilot",
            "--lang",
            "en",
        ])
        .args(["--log", path(&log)])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start reunion");
    let started = Instant::now();
    let finished = loop {
        let n = std::fs::read_to_string(&log).map_or(0, |t| t.lines().count());
        if n >= records {
            break false;
        }
        if child.try_wait().expect("poll").is_some() {
            break true;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the session never wrote {records} records"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    if !finished {
        child.kill().expect("SIGKILL");
    }
    child.wait().expect("reap");
    let mut printed = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut printed)
        .expect("read stdout");
    let before = lines(&printed);
    let written = std::fs::read_to_string(&log).expect("the log");
    if finished || written.contains("\"Ended\"") {
        return None;
    }
    let resumed = reunion()
        .args([
            "play",
            "--resume",
            path(session),
            "--headless",
            "--autopilot",
        ])
        .output()
        .expect("resume");
    let said = text(&resumed.stdout);
    assert!(
        resumed.status.success(),
        "killed at {records} records, the resume failed: {}",
        text(&resumed.stderr)
    );
    assert!(
        text(&resumed.stderr).contains("the story ended"),
        "{}",
        text(&resumed.stderr)
    );
    let after = lines(&said);
    assert!(
        !after.is_empty() && after.len() <= full.len(),
        "killed at {records} records: {} lines resumed",
        after.len()
    );
    // From the resume on, the same lines as the uninterrupted run...
    let from = full.len() - after.len();
    assert_eq!(
        after,
        full[from..],
        "killed at {records} records ({} lines said before): the resumed lines differ",
        before.len()
    );
    // ... and none lost: it goes on no later than where the killed run stopped
    // speaking, at most the interrupted line (and one the log had and the killed
    // run had not printed yet) said again.
    assert_eq!(before, full[..before.len()], "the killed run's lines");
    assert!(
        from <= before.len() && before.len() - from <= 2,
        "killed at {records} records: {} lines before the kill, resumed at line {from}",
        before.len()
    );
    // The log, gone on in the same file, replays to the story's end, its last
    // lines those of the resumed run.
    let replayed = reunion()
        .args(["replay", path(&log)])
        .output()
        .expect("replay");
    assert!(replayed.status.success(), "{}", text(&replayed.stderr));
    assert!(
        text(&replayed.stderr).contains("the story ended"),
        "{}",
        text(&replayed.stderr)
    );
    let replayed = lines(&text(&replayed.stdout));
    assert!(replayed.ends_with(&after), "the replayed log's lines");
    Some(Outcome {
        before: before.len(),
        after: after.len(),
        again: before.len() - from,
    })
}

#[test]
fn a_session_killed_at_random_moments_resumes_to_the_same_end() {
    let kills: usize = std::env::var("REUNION_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("REUNION_KILL_SEED")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(21);
    let story = copy_of_reference("resume");
    let session = story.join("sessions/killed");
    // The uninterrupted run, and how many records its log has.
    let log = story.join("whole.jsonl");
    let whole = reunion()
        .args([
            "play",
            path(&story),
            "--headless",
            "--autopilot",
            "--lang",
            "en",
        ])
        .args(["--log", path(&log)])
        .output()
        .expect("play");
    assert!(whole.status.success(), "{}", text(&whole.stderr));
    let full = lines(&text(&whole.stdout));
    let records = std::fs::read_to_string(&log).expect("log").lines().count();
    assert!(records > 100, "{records} records");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut resumed = Vec::new();
    for k in 0..kills {
        // Spread over the story: kill k in the k-th slice, somewhere random in it.
        let slice = (records - 10) / kills;
        let at = 3 + k * slice + rng.below(slice as u64) as usize;
        match kill_and_resume(&story, &session, at, &full) {
            Some(o) => {
                eprintln!(
                    "kill {k}: at record {at} of {records}: {} lines before, {} after, {} said again",
                    o.before, o.after, o.again
                );
                resumed.push(o);
            }
            None => eprintln!("kill {k}: at record {at}: the story had ended"),
        }
    }
    eprintln!(
        "{} kills (seed {seed}) of {} records, {} resumed to the same end, {} lines said again in all, {:.0} s",
        kills,
        records,
        resumed.len(),
        resumed.iter().map(|o| o.again).sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    assert!(resumed.len() * 2 >= kills, "most kills land before the end");
    let _ = std::fs::remove_dir_all(story);
}
