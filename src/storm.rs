//! `reunion bench --storm`: a storm of edits to the story and scene files of a copy of
//! the story while a session plays it (headless, the autopilot acting, the files
//! watched). `--edits` edits (200 by default; `storm_edits.rs`: valid and broken), one
//! every 0.3–2 s of session time, each made from a file's original text; switching to
//! another file first puts the last one back as it was (a restore, counted apart).
//!
//! After each write the checker says what the story on disk now is, and the session
//! must follow: a valid story is reloaded and played (the director keeps its place),
//! a broken one is reported and the last good story plays on. Then the storm stops
//! (the files left as the last edit left them) and the session must reach the story's
//! end, its log whole: every record complete, a note for each reload and each broken
//! change, and the end. The session's time runs at twice real time during the storm
//! (the file watcher works in real time) and as fast as it can after it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::asset::AssetLoadFailedEvent;
use bevy::prelude::*;
use reunion_stage::headless::{Outcome, headless_app};
use reunion_stage::prelude::*;
use reunion_story::story::Story;

use crate::bench::{BenchArgs, copy_dir};
use crate::storm_edits::{EditKind, edit};

/// How many times the story asset was reloaded, and failed to load, so far.
#[derive(Resource, Default, Clone, Copy, PartialEq, Eq, Debug)]
struct Seen {
    reloads: u32,
    failures: u32,
}

fn see(
    mut changed: MessageReader<AssetEvent<StoryAsset>>,
    mut failed: MessageReader<AssetLoadFailedEvent<StoryAsset>>,
    mut seen: ResMut<Seen>,
) {
    for event in changed.read() {
        if matches!(event, AssetEvent::Modified { .. }) {
            seen.reloads += 1;
        }
    }
    seen.failures += failed.read().count() as u32;
}

/// The story's session time runs this many times real time during the storm.
const PACE: f64 = 2.0;

/// The most an edit may take to be seen, real time.
const SEEN_WITHIN: Duration = Duration::from_secs(10);

/// What the checker says of the files on disk, as the session should then play it.
fn same_story(a: &Story, b: &Story) -> bool {
    a.nodes == b.nodes
        && a.places.len() == b.places.len()
        && a.places
            .iter()
            .zip(&b.places)
            .all(|(p, q)| p.things == q.things)
}

/// How one write went.
#[derive(Default, Debug, serde::Serialize)]
struct Tally {
    /// Valid edits: reloaded and played.
    applied: u32,
    /// Broken edits: reported, the last good story playing on.
    held: u32,
    /// Writes the session did not follow as it should (each described).
    wrong: Vec<String>,
}

struct Storm {
    app: App,
    copy: PathBuf,
    last_good: Arc<Story>,
    tally: Tally,
}

impl Storm {
    fn session(&self) -> Option<&StorySession> {
        self.app.world().get_resource::<StorySession>()
    }

    fn time(&self) -> f64 {
        self.session()
            .map_or(0.0, |s| s.session.director.session_time())
    }

    fn seen(&self) -> Seen {
        *self.app.world().resource::<Seen>()
    }

    /// One frame, at the storm's pace.
    fn frame(&mut self) {
        self.app.update();
        std::thread::sleep(Duration::from_secs_f64(1.0 / 90.0 / PACE));
    }

    /// Writes `text` to `file` and checks that the session follows it.
    fn write(&mut self, file: &Path, text: &str, what: &str) -> bool {
        let before = self.seen();
        if let Err(e) = std::fs::write(self.copy.join(file), text) {
            self.tally.wrong.push(format!("{what}: cannot write: {e}"));
            return false;
        }
        let loaded = reunion_story::load::load_dir(&self.copy);
        let expected = loaded
            .story
            .filter(|_| !loaded.diagnostics.has_errors())
            .map(Arc::new);
        let valid = expected.is_some();
        let until = Instant::now() + SEEN_WITHIN;
        // A watcher may report one save twice: wait for the reaction that matches.
        loop {
            let seen = self.seen();
            let reacted = if valid {
                seen.reloads > before.reloads
            } else {
                seen.failures > before.failures
            };
            let problems = self
                .app
                .world()
                .resource::<StoryProblems>()
                .errors
                .is_some();
            let playing = self.session().map(|s| Arc::clone(s.story()));
            let followed = match (&expected, &playing) {
                (Some(story), Some(p)) => same_story(p, story) && !problems,
                (None, Some(p)) => same_story(p, &self.last_good) && problems,
                (_, None) => false,
            };
            if reacted && followed {
                match expected {
                    Some(story) => {
                        self.tally.applied += 1;
                        self.last_good = story;
                    }
                    None => self.tally.held += 1,
                }
                return valid;
            }
            if Instant::now() > until || self.app.should_exit().is_some() {
                let why = match (reacted, valid, playing.is_some(), problems) {
                    (false, _, _, _) => "not seen",
                    (_, _, false, _) => "the session is gone",
                    (_, true, _, true) => "reloaded, but a problem is still shown",
                    (_, true, _, false) => "reloaded, but another story plays",
                    (_, false, _, false) => "no problem shown",
                    (_, false, _, true) => "the story playing is not the last good one",
                };
                self.tally.wrong.push(format!(
                    "{what} ({}): {why} within {} s",
                    if valid { "valid" } else { "broken" },
                    SEEN_WITHIN.as_secs()
                ));
                return valid;
            }
            self.frame();
        }
    }
}

/// The story files of the copy: `story.ron` and the scene files beside it.
fn story_files(copy: &Path) -> Vec<(PathBuf, String)> {
    let mut files = vec![PathBuf::from(reunion_story::load::STORY_FILE)];
    let mut scenes: Vec<PathBuf> = std::fs::read_dir(copy)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| PathBuf::from(e.file_name()))
                .filter(|p| p.to_string_lossy().ends_with(".scene.ron"))
                .collect()
        })
        .unwrap_or_default();
    scenes.sort();
    files.extend(scenes);
    files
        .into_iter()
        .filter_map(|f| Some((f.clone(), std::fs::read_to_string(copy.join(&f)).ok()?)))
        .collect()
}

pub fn run(folder: &Path, args: &BenchArgs) -> ExitCode {
    let copy = std::env::temp_dir().join(format!("reunion-storm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    if let Err(e) = copy_dir(folder, &copy) {
        eprintln!("error: cannot copy the story to {}: {e}", copy.display());
        return ExitCode::from(1);
    }
    let log = std::env::temp_dir().join(format!(
        "reunion-storm-{}-session.jsonl",
        std::process::id()
    ));
    let originals = story_files(&copy);
    let config = StageConfig {
        story: PathBuf::from(reunion_story::load::STORY_FILE),
        lang: None,
        participant: ParticipantSource::Autopilot,
        log: Some(log.clone()),
        folder: Some(copy.clone()),
        preloaded: None,
    };
    let mut app = headless_app(&copy, config, 90.0, true);
    app.add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin))
        .init_resource::<Seen>()
        .add_systems(Update, see.after(StageSystems::Load));
    app.finish();
    app.cleanup();
    let started = Instant::now();
    let until = started + Duration::from_secs(30);
    while app.world().get_resource::<StorySession>().is_none() {
        app.update();
        std::thread::sleep(Duration::from_millis(2));
        if Instant::now() > until {
            eprintln!("error: the story did not start");
            return ExitCode::from(1);
        }
    }
    let last_good = Arc::clone(app.world().resource::<StorySession>().story());
    let mut storm = Storm {
        app,
        copy: copy.clone(),
        last_good,
        tally: Tally::default(),
    };
    eprintln!(
        "storm: {} edits to {} files of a copy of the story ({}), seed {}…",
        args.edits,
        originals.len(),
        copy.display(),
        args.seed
    );
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let mut kinds: BTreeMap<(EditKind, bool), u32> = BTreeMap::new();
    let mut edited: Option<usize> = None;
    let mut restores = 0;
    let mut next = storm.time() + 0.5;
    for n in 0..args.edits {
        while storm.time() < next && storm.app.should_exit().is_none() {
            storm.frame();
        }
        let file = match edited {
            Some(f) if rng.f64() < 0.7 => f,
            _ => rng.usize(..originals.len()),
        };
        if let Some(last) = edited
            && last != file
        {
            let (path, text) = &originals[last];
            storm.write(path, text, &format!("restore {}", path.display()));
            restores += 1;
        }
        edited = Some(file);
        let (path, original) = &originals[file];
        let e = edit(&mut rng, original, file == 0, n);
        let valid = storm.write(
            path,
            &e.text,
            &format!("edit {} ({}, {})", n + 1, e.kind.describe(), path.display()),
        );
        *kinds.entry((e.kind, valid)).or_default() += 1;
        next = storm.time() + 0.3 + rng.f64() * 1.7;
    }
    let storm_seconds = storm.time();
    // The storm is over: the session plays on to the story's end, as fast as it can.
    let mut app = storm.app;
    for _ in 0..90 * 3600 * 2 {
        if app.world().resource::<Outcome>().0.is_some() || app.should_exit().is_some() {
            break;
        }
        app.update();
    }
    let outcome = app.world().resource::<Outcome>().0.clone();
    let seen = *app.world().resource::<Seen>();
    let (time, lines) = app
        .world()
        .get_resource::<StorySession>()
        .map_or((0.0, 0), |s| {
            (
                s.session.director.session_time(),
                s.session.transcript.len(),
            )
        });
    drop(app);
    let wall = started.elapsed().as_secs_f64();

    // The log, read back.
    let text = std::fs::read(&log)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let logged = reunion_story::log::read_inputs(&text);
    let notes = |what: &str| text.lines().filter(|l| l.contains(what)).count() as u32;
    let reload_notes = notes("the story changed on disk and was reloaded");
    let failure_notes = notes("a change on disk has errors");
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_dir_all(&copy);

    let ended = matches!(outcome, Some(Ok(())));
    let log_whole = logged.damaged_lines == 0
        && logged.ended
        && reload_notes == seen.reloads
        && failure_notes == seen.failures;
    let tally = storm.tally;
    let valid: u32 = kinds.iter().filter(|((_, v), _)| *v).map(|(_, n)| n).sum();
    println!(
        "storm (seed {}): {} edits ({valid} valid, {} broken) and {restores} restores to {} files, over {storm_seconds:.0} s of the session ({wall:.0} s on this machine, {})",
        args.seed,
        args.edits,
        args.edits - valid,
        originals.len(),
        crate::bench::machine()
    );
    for ((kind, valid), n) in &kinds {
        println!(
            "  {n:>4} × {} ({})",
            kind.describe(),
            if *valid {
                "valid: reloaded"
            } else {
                "broken: reported"
            }
        );
    }
    println!(
        "  followed by the session: {} valid writes reloaded and played, {} broken ones reported with the last good story playing on; {} not as they should",
        tally.applied,
        tally.held,
        tally.wrong.len()
    );
    for w in &tally.wrong {
        println!("    {w}");
    }
    println!(
        "  the story {} after {time:.0} s of session, {lines} lines said; {} reloads and {} failed loads seen",
        match &outcome {
            Some(Ok(())) => "reached its end".to_owned(),
            Some(Err(s)) => format!("got stuck at `{}` ({})", s.node, s.reason),
            None => "did not end".to_owned(),
        },
        seen.reloads,
        seen.failures
    );
    println!(
        "  the log: {} damaged records, the end {}, {reload_notes} reload notes, {failure_notes} error notes: {}",
        logged.damaged_lines,
        if logged.ended { "in it" } else { "MISSING" },
        if log_whole { "whole" } else { "NOT WHOLE" }
    );
    if let Some(path) = &args.json {
        let json = serde_json::json!({
            "seed": args.seed,
            "edits": args.edits,
            "valid": valid,
            "restores": restores,
            "applied": tally.applied,
            "held": tally.held,
            "wrong": tally.wrong,
            "ended": ended,
            "session_seconds": time,
            "lines": lines,
            "reloads": seen.reloads,
            "failures": seen.failures,
            "log_damaged": logged.damaged_lines,
            "log_ended": logged.ended,
            "log_reload_notes": reload_notes,
            "log_failure_notes": failure_notes,
            "wall_seconds": wall,
        });
        if let Err(e) = std::fs::write(
            path,
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        ) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    if ended && log_whole && tally.wrong.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(5)
    }
}
