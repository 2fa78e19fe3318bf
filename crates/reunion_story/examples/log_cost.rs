//! What the session log's durability costs a frame (docs/robustness.md, "Resume
//! after a crash"): the reference story played headless by the autopilot at 90 Hz
//! with no log, with the log as `reunion play` writes it (each record one `write`,
//! synced to disk by a background thread), and with each record synced on the
//! frame that writes it (the policy we did not choose), timed per frame.
//!
//! ```sh
//! cargo run -p reunion_story --example log_cost [--release] [STORY_DIR] [RUNS]
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use reunion_story::load::load_dir;
use reunion_story::log::SessionLog;
use reunion_story::participant::Autopilot;
use reunion_story::session::{Session, play_headless};
use reunion_story::story::Story;

/// A file synced to disk after every record, on the writing thread.
struct SyncEach(std::fs::File);

impl Write for SyncEach {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.sync_data()
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon"),
        PathBuf::from,
    );
    let runs: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let loaded = load_dir(&dir);
    let Some(story) = loaded.story else {
        eprintln!("{}", loaded.diagnostics);
        std::process::exit(1);
    };
    let story = Arc::new(story);
    let tmp = std::env::temp_dir().join(format!("reunion-log-cost-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("a temporary folder");
    let file = tmp.join("session.jsonl");
    let hz = 90.0;
    let frames = (play(&story, None, hz).0 * f64::from(hz)).round();
    let mut best = [f64::MAX; 3];
    let mut records = 0;
    for _ in 0..runs {
        best[0] = best[0].min(play(&story, None, hz).1);
        let log = SessionLog::create(&file).expect("the log");
        best[1] = best[1].min(play(&story, Some(log), hz).1);
        records = std::fs::read_to_string(&file).map_or(0, |t| t.lines().count());
        let each = std::fs::File::create(&file).expect("the log");
        let log = SessionLog::new(Box::new(std::io::BufWriter::new(SyncEach(each))));
        best[2] = best[2].min(play(&story, Some(log), hz).1);
    }
    let per_frame = |s: f64| s / frames * 1e6;
    println!(
        "{frames} frames, {records} records, best of {runs} runs, microseconds a frame (all the director's work included):"
    );
    println!(
        "  no log:                                 {:8.2}",
        per_frame(best[0])
    );
    println!(
        "  log, synced by a background thread:     {:8.2}  (+{:.2})",
        per_frame(best[1]),
        per_frame(best[1] - best[0])
    );
    println!(
        "  log, synced on the frame that writes:   {:8.2}  (+{:.2})",
        per_frame(best[2]),
        per_frame(best[2] - best[0])
    );
    // What one synced record costs the frame that writes it, on this disk.
    let mut f = std::fs::File::create(&file).expect("a file");
    let mut worst: f64 = 0.0;
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        let one = Instant::now();
        f.write_all(b"{\"t\":1.0,\"ticks\":[[0.011111111,90]]}\n")
            .expect("write");
        f.sync_data().expect("sync");
        worst = worst.max(one.elapsed().as_secs_f64());
    }
    println!(
        "  one record written and synced: {:.3} ms on average, {:.3} ms at worst ({n} records)",
        t.elapsed().as_secs_f64() / f64::from(n) * 1e3,
        worst * 1e3
    );
    let _ = std::fs::remove_dir_all(tmp);
}

/// Plays the story to its end; its session seconds and the wall seconds it took
/// (the log is closed, and so synced, inside the time).
fn play(story: &Arc<Story>, log: Option<SessionLog>, hz: f32) -> (f64, f64) {
    let started = Instant::now();
    let mut session = Session::new(Arc::clone(story)).with_participant(Box::new(Autopilot::new()));
    if let Some(log) = log {
        session = session.with_log(log);
    }
    play_headless(&mut session, hz, 3600.0).expect("the story ends");
    let seconds = session.director.session_time();
    drop(session);
    (seconds, started.elapsed().as_secs_f64())
}
