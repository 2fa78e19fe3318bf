//! `reunion bench --soak`: hours of sessions in one app. The story is played in a loop
//! (a [`NewSession`] after each end), each session by another person (the autopilot
//! varied by a seed: `reunion_story::participant::VariedAutopilot`) with an operator
//! who acts at random (holds and resumes, repeats, skips, stops and resumes, declares
//! what the participant said, has her answer, ends gently). Headless on simulated time
//! until `--hours` of sessions have been played (or `--sessions`), or with `--render`
//! in a window for `--minutes` of wall time.
//!
//! At her first line of each session and at its end it counts the entities, the
//! assets of each kind and the process's resident memory, and after each session it
//! reads the session's log back (whole, and ended); the threads and open files are
//! counted too. Memory is called flat when the
//! resident memory at the end is within 5 % of the middle's, and no count at her first
//! line is higher in the second half of the sessions than the most of the first half
//! (the first session, which fills the caches the later ones reuse, left out).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use reunion_stage::headless::{headless_app, load_models_headless};
use reunion_stage::prelude::*;
use reunion_stage::world_screen::{ScreenColor, VeilColor};
use reunion_story::director::OperatorCommand;
use reunion_story::story::{AnswerId, IntentId};
use serde::Serialize;

use crate::bench::BenchArgs;
use crate::window::{Participant, story_app};
use crate::{Checked, StoryLocation};

/// What was counted at one moment.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Counts {
    pub entities: usize,
    /// Assets by kind, in a fixed order (kinds the app does not have are left out).
    pub assets: Vec<(String, usize)>,
    pub rss_kib: u64,
    /// The process's threads and open files.
    pub threads: usize,
    pub open_files: usize,
}

/// One session of the soak.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SessionRecord {
    /// The participant's seed.
    pub seed: u64,
    /// At her first line.
    pub first_line: Option<Counts>,
    /// At the story's end.
    pub end: Option<Counts>,
    /// The most entities seen during the session (sampled each second of it).
    pub peak_entities: usize,
    pub session_seconds: f64,
    pub lines: usize,
    pub ended: bool,
    /// It was still going when the window's soak ran out of time (`--minutes`): cut
    /// there, with no end in its log (not a failure).
    pub cut: bool,
    /// Why it stopped without its end, if it did.
    pub stuck: Option<String>,
    pub operator_actions: u32,
    /// Its log read back: every record whole, and the end in it.
    pub log_whole: Option<bool>,
}

/// When the soak stops.
#[derive(Clone, Copy, Debug)]
enum Limit {
    /// After this much session time in all (headless).
    SessionSeconds(f64),
    /// After this many sessions.
    Sessions(u32),
    /// After this much wall time (the window).
    Wall(Duration),
}

/// The soak's state in the app; the records are shared with the caller (a window's
/// runner does not hand its world back).
#[derive(Resource)]
struct Soak {
    rng: fastrand::Rng,
    seed: u64,
    limit: Limit,
    started: Instant,
    log_dir: PathBuf,
    current: SessionRecord,
    /// The current session's end is recorded.
    done: bool,
    /// When the operator acts next, and when a hold of theirs is resumed (session s).
    next_operator: f64,
    resume_at: Option<f64>,
    frames: u64,
    records: Arc<Mutex<Vec<SessionRecord>>>,
    /// The window's soak, on wall time: when its last reading was printed.
    printed_at: Option<Instant>,
}

/// How often a window's soak prints what it reads (its sessions are slow under a
/// software renderer, so the readings between sessions' ends show the trend too).
const WINDOW_READING_EVERY: Duration = Duration::from_secs(300);

/// The mean time between two random operator actions, seconds of session.
const OPERATOR_EVERY: f64 = 40.0;

/// A session longer than this is called stuck (the story's own limit is 40 minutes).
const SESSION_AT_MOST: f64 = 3600.0;

impl Soak {
    fn session_seed(&self, n: usize) -> u64 {
        self.seed.wrapping_mul(1_000).wrapping_add(n as u64)
    }

    fn log_path(&self, n: usize) -> PathBuf {
        self.log_dir.join(format!("session-{n}.jsonl"))
    }
}

/// A figure of the process's status (Linux's /proc/self/status), e.g. `VmRSS:` (KiB)
/// or `Threads:`.
fn status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// The whole process's resident memory, KiB.
fn rss_kib() -> u64 {
    status("VmRSS:")
}

fn count<A: Asset>(world: &World, name: &str, out: &mut Vec<(String, usize)>) {
    if let Some(assets) = world.get_resource::<Assets<A>>() {
        out.push((name.to_owned(), assets.len()));
    }
}

/// Entities, assets by kind and resident memory, now.
fn counts(world: &mut World) -> Counts {
    let entities = world.query::<Entity>().iter(world).count();
    let mut assets = Vec::new();
    count::<Mesh>(world, "meshes", &mut assets);
    count::<StandardMaterial>(world, "materials", &mut assets);
    count::<ScreenColor>(world, "screen materials", &mut assets);
    count::<VeilColor>(world, "veil materials", &mut assets);
    count::<Image>(world, "images", &mut assets);
    count::<Font>(world, "fonts", &mut assets);
    count::<bevy_kira_audio::AudioSource>(world, "audio clips", &mut assets);
    count::<bevy_kira_audio::AudioInstance>(world, "audio instances", &mut assets);
    count::<bevy::gltf::Gltf>(world, "glTF models", &mut assets);
    count::<bevy::world_serialization::WorldAsset>(world, "scenes", &mut assets);
    count::<AnimationClip>(world, "animation clips", &mut assets);
    count::<AnimationGraph>(world, "animation graphs", &mut assets);
    count::<StoryAsset>(world, "stories", &mut assets);
    Counts {
        entities,
        assets,
        rss_kib: rss_kib(),
        threads: status("Threads:") as usize,
        open_files: std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count()),
    }
}

/// The random operator: every 40 s on average, one of the console's actions.
fn operate(
    mut soak: ResMut<Soak>,
    session: Option<Res<StorySession>>,
    mut send: MessageWriter<OperatorRequest>,
) {
    let Some(s) = session else { return };
    let soak = &mut *soak;
    let now = s.session.director.session_time();
    if s.is_added() {
        soak.next_operator = now + exponential(&mut soak.rng, OPERATOR_EVERY);
        soak.resume_at = None;
    }
    if s.session.director.is_ended() {
        return;
    }
    if let Some(at) = soak.resume_at {
        if now >= at {
            soak.resume_at = None;
            send.write(OperatorRequest(OperatorCommand::Resume));
            soak.current.operator_actions += 1;
        }
        return;
    }
    if now < soak.next_operator {
        return;
    }
    soak.next_operator = now + exponential(&mut soak.rng, OPERATOR_EVERY);
    let story = s.story();
    let rng = &mut soak.rng;
    let cmd = match rng.u8(..20) {
        0..=4 => {
            let back = now + 1.0 + rng.f64() * 14.0;
            soak.resume_at = Some(back);
            OperatorCommand::Hold
        }
        5..=8 => OperatorCommand::RepeatLine,
        9..=12 => OperatorCommand::SkipLine,
        13..=14 => {
            let back = now + 2.0 + rng.f64() * 13.0;
            soak.resume_at = Some(back);
            OperatorCommand::StopNow
        }
        15..=16 if !story.intents.is_empty() => {
            OperatorCommand::DeclareHeard(IntentId(rng.usize(..story.intents.len()) as u16))
        }
        17..=18 if !story.answers.is_empty() => {
            OperatorCommand::SayAnswer(AnswerId(rng.usize(..story.answers.len()) as u16))
        }
        19 => OperatorCommand::EndGently,
        _ => OperatorCommand::RepeatLine,
    };
    send.write(OperatorRequest(cmd));
    soak.current.operator_actions += 1;
}

fn exponential(rng: &mut fastrand::Rng, mean: f64) -> f64 {
    -mean * (1.0_f64 - rng.f64()).ln()
}

/// Whether a session's log is whole (every record complete) and has the story's end.
fn log_whole(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| {
        let logged = reunion_story::log::read_inputs(&String::from_utf8_lossy(&bytes));
        logged.damaged_lines == 0 && logged.ended
    })
}

/// Counts at her first line and at the end, and begins the next session after each
/// end (or stops the app once the limit is reached).
fn observe(world: &mut World) {
    let Some((time, lines, ended, stuck)) = world.get_resource::<StorySession>().map(|s| {
        (
            s.session.director.session_time(),
            s.session.transcript.len(),
            s.session.director.is_ended(),
            s.session
                .stuck()
                .map(|x| format!("{}: {}", x.node, x.reason)),
        )
    }) else {
        return;
    };
    let mut soak = world.resource_mut::<Soak>();
    soak.frames += 1;
    if soak.done {
        if ended {
            return;
        }
        // The next session has begun.
        soak.done = false;
    }
    let sample = soak.frames.is_multiple_of(90);
    let first_line = soak.current.first_line.is_none() && lines > 0;
    if first_line || sample {
        let c = counts(world);
        let mut soak = world.resource_mut::<Soak>();
        soak.current.peak_entities = soak.current.peak_entities.max(c.entities);
        let reading_due = matches!(soak.limit, Limit::Wall(_))
            && soak
                .printed_at
                .is_none_or(|t| t.elapsed() >= WINDOW_READING_EVERY);
        if reading_due {
            soak.printed_at = Some(Instant::now());
            let n = soak.records.lock().map_or(0, |r| r.len());
            eprintln!(
                "soak: after {:.1} min of the window: {} KiB resident, {} entities, {} threads, {} open files; {n} sessions ended, the current at story second {time:.0}",
                soak.started.elapsed().as_secs_f64() / 60.0,
                c.rss_kib,
                c.entities,
                c.threads,
                c.open_files
            );
        }
        if first_line {
            soak.current.first_line = Some(c);
            // The previous session's log is closed by now: read it back.
            let records = Arc::clone(&soak.records);
            if let Ok(mut records) = records.lock()
                && let Some(n) = records.len().checked_sub(1)
                && let Some(last) = records.last_mut()
            {
                let path = soak.log_path(n);
                last.log_whole = Some(log_whole(&path));
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let too_long = time > SESSION_AT_MOST;
    // A window's soak ends on time, in the middle of a session if need be: its
    // sessions are long under a software renderer.
    let out_of_time = {
        let soak = world.resource::<Soak>();
        matches!(soak.limit, Limit::Wall(w) if soak.started.elapsed() >= w)
    };
    if !(ended || stuck.is_some() || too_long || out_of_time) {
        return;
    }
    let end = counts(world);
    let mut soak = world.resource_mut::<Soak>();
    soak.done = true;
    let mut record = std::mem::take(&mut soak.current);
    record.end = Some(end);
    record.session_seconds = time;
    record.lines = lines;
    record.ended = ended;
    record.cut = out_of_time && !ended && stuck.is_none() && !too_long;
    record.stuck = stuck.or_else(|| too_long.then(|| "longer than an hour".to_owned()));
    let at_first_line = record.first_line.clone().unwrap_or_default();
    let (played, n) = {
        let Ok(mut records) = soak.records.lock() else {
            return;
        };
        records.push(record);
        (
            records.iter().map(|r| r.session_seconds).sum::<f64>(),
            records.len(),
        )
    };
    if n.is_multiple_of(10) || n < 3 {
        let assets: Vec<String> = at_first_line
            .assets
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        eprintln!(
            "soak: {n} sessions, {:.2} h of sessions, {:.0} s on this machine; at her last first line: {} KiB resident, {} entities, {} threads, {} open files, {}",
            played / 3600.0,
            soak.started.elapsed().as_secs_f64(),
            at_first_line.rss_kib,
            at_first_line.entities,
            at_first_line.threads,
            at_first_line.open_files,
            assets.join(", ")
        );
    }
    let more = match soak.limit {
        Limit::SessionSeconds(s) => played < s,
        Limit::Sessions(k) => (n as u32) < k,
        Limit::Wall(_) => !out_of_time,
    };
    if !more {
        world.write_message(AppExit::Success);
        return;
    }
    let seed = soak.session_seed(n);
    soak.current = SessionRecord { seed, ..default() };
    let log = soak.log_path(n);
    let mut config = world.resource_mut::<StageConfig>();
    config.participant = ParticipantSource::Varied(seed);
    config.log = Some(log);
    world.write_message(NewSession::default());
}

/// What the soak adds to an app.
fn add_soak(app: &mut App, soak: Soak) {
    app.insert_resource(soak)
        .add_systems(Update, operate.before(StageSystems::Director))
        .add_systems(Last, observe);
}

fn new_soak(args: &BenchArgs, limit: Limit, records: Arc<Mutex<Vec<SessionRecord>>>) -> Soak {
    let log_dir = std::env::temp_dir().join(format!("reunion-soak-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&log_dir);
    let mut soak = Soak {
        rng: fastrand::Rng::with_seed(args.seed),
        seed: args.seed,
        limit,
        started: Instant::now(),
        log_dir,
        current: SessionRecord::default(),
        done: false,
        next_operator: 0.0,
        resume_at: None,
        frames: 0,
        records,
        printed_at: None,
    };
    soak.current.seed = soak.session_seed(0);
    soak
}

/// The stage of the soak's first session: its varied participant, its log.
fn first_session(location: &StoryLocation, checked: &Checked, soak: &Soak) -> StageConfig {
    StageConfig {
        story: location.file.clone(),
        lang: None,
        participant: ParticipantSource::Varied(soak.current.seed),
        log: Some(soak.log_path(0)),
        folder: Some(location.folder.clone()),
        preloaded: Some(checked.preloaded()),
    }
}

/// The story headless, in a loop, as `reunion play --headless` plays it (the hands,
/// the avatar, the audio without a device) with render assets, models and the
/// headset's subtitle panel, so every kind of asset is made and counted.
pub fn run_headless(location: &StoryLocation, checked: &Checked, args: &BenchArgs) -> ExitCode {
    let limit = match args.sessions {
        Some(n) => Limit::Sessions(n),
        None => Limit::SessionSeconds(args.hours * 3600.0),
    };
    let records = Arc::new(Mutex::new(Vec::new()));
    let soak = new_soak(args, limit, Arc::clone(&records));
    let log_dir = soak.log_dir.clone();
    let config = first_session(location, checked, &soak);
    let mut app = headless_app(&location.folder, config, 90.0, false);
    load_models_headless(&mut app);
    app.init_asset::<ScreenColor>()
        .init_asset::<VeilColor>()
        .init_resource::<ClearColor>()
        .init_resource::<GlobalAmbientLight>()
        .insert_resource(reunion_stage::screen::SubtitleFont(default()))
        .add_plugins((
            reunion_hands::HandsPlugin,
            reunion_avatar::AvatarPlugin,
            reunion_audio::ReunionAudioPlugin,
            WorldScreenPlugin,
        ))
        .add_plugins(bevy::log::LogPlugin {
            level: bevy::log::Level::ERROR,
            fmt_layer: crate::log_output::log_layer,
            ..default()
        });
    add_soak(&mut app, soak);
    eprintln!(
        "soak: the story in a loop, headless, until {}…",
        match limit {
            Limit::Sessions(n) => format!("{n} sessions"),
            _ => format!("{} h of sessions", args.hours),
        }
    );
    let started = Instant::now();
    app.finish();
    app.cleanup();
    while app.should_exit().is_none() {
        app.update();
    }
    drop(app);
    finish(
        &records,
        started,
        &log_dir,
        args,
        "headless",
        sound_files(&location.folder),
    )
}

/// The story in a window (under Xvfb here), in a loop at real pace, with the console.
pub fn run_window(location: &StoryLocation, checked: &Checked, args: &BenchArgs) -> ExitCode {
    let limit = Limit::Wall(Duration::from_secs_f64(args.minutes * 60.0));
    let records = Arc::new(Mutex::new(Vec::new()));
    let soak = new_soak(args, limit, Arc::clone(&records));
    let log_dir = soak.log_dir.clone();
    let config = first_session(location, checked, &soak);
    eprintln!(
        "soak: the story in a loop in a window, for {} minutes…",
        args.minutes
    );
    let started = Instant::now();
    let mut app = story_app(location, checked, config, 1.0, Participant::Flat, false);
    add_soak(&mut app, soak);
    let exit = app.run();
    drop(app);
    if exit != AppExit::Success {
        eprintln!("error: the app ended with {exit:?}");
        return ExitCode::from(1);
    }
    finish(
        &records,
        started,
        &log_dir,
        args,
        "window",
        sound_files(&location.folder),
    )
}

/// How many sound files the story folder holds (voices, music, ambience): the most
/// audio clips a session can load.
fn sound_files(folder: &Path) -> usize {
    let mut n = 0;
    let mut dirs = vec![folder.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                ["ogg", "wav", "mp3", "flac"].contains(&x.to_ascii_lowercase().as_str())
            }) {
                n += 1;
            }
        }
    }
    n
}

/// The figures, the verdict and the JSON.
fn finish(
    records: &Mutex<Vec<SessionRecord>>,
    started: Instant,
    log_dir: &Path,
    args: &BenchArgs,
    mode: &str,
    sound_files: usize,
) -> ExitCode {
    let wall = started.elapsed().as_secs_f64();
    let Ok(mut records) = records.lock().map(|r| r.clone()) else {
        eprintln!("error: the soak's records were lost");
        return ExitCode::from(1);
    };
    // The last session's log, closed with the app.
    if let Some(n) = records.len().checked_sub(1)
        && let Some(last) = records.last_mut()
        && last.log_whole.is_none()
        && !last.cut
    {
        last.log_whole = Some(log_whole(&log_dir.join(format!("session-{n}.jsonl"))));
    }
    let _ = std::fs::remove_dir_all(log_dir);
    let verdict = Verdict::of(&records, &[("audio clips", sound_files)]);
    print_report(&records, &verdict, wall, args, mode);
    if let Some(path) = &args.json {
        let json = serde_json::json!({
            "mode": mode,
            "seed": args.seed,
            "wall_seconds": wall,
            "verdict": verdict,
            "sessions": records,
        });
        if let Err(e) = std::fs::write(
            path,
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        ) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    if verdict.holds() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(5)
    }
}

/// Whether the soak went well, and why not.
#[derive(Debug, Serialize)]
struct Verdict {
    sessions: usize,
    ended: usize,
    stuck: usize,
    logs_whole: usize,
    logs_read: usize,
    /// Resident memory (KiB) at her first line of the first, middle and last session.
    rss_start: u64,
    rss_middle: u64,
    rss_end: u64,
    rss_flat: bool,
    /// Counts (at her first line) higher in the second half than the first's most.
    grew: Vec<String>,
    /// Caches that grew in the second half but stay within what the story has (its
    /// own sound files, each loaded once when first played): not a leak.
    grew_within_the_story: Vec<String>,
}

impl Verdict {
    /// `bounded`: asset kinds that are caches of the story's own files, with how many
    /// files the story has of them.
    fn of(records: &[SessionRecord], bounded: &[(&str, usize)]) -> Self {
        let firsts: Vec<&Counts> = records
            .iter()
            .filter_map(|r| r.first_line.as_ref())
            .collect();
        let rss = |i: usize| firsts.get(i).map_or(0, |c| c.rss_kib);
        let (start, middle, end) = (
            rss(0),
            rss(firsts.len() / 2),
            rss(firsts.len().saturating_sub(1)),
        );
        // The first session fills the caches the later ones reuse (the shapes of
        // every place, the clips said): it is left out of the comparison.
        let later = firsts.get(1..).unwrap_or_default();
        let half = later.len() / 2;
        let mut grew = Vec::new();
        let mut grew_within_the_story = Vec::new();
        if half > 0 {
            let (a, b) = later.split_at(half);
            let most = |side: &[&Counts], f: &dyn Fn(&Counts) -> usize| {
                side.iter().map(|c| f(c)).max().unwrap_or(0)
            };
            let fixed: [(&str, &dyn Fn(&Counts) -> usize); 3] = [
                ("entities", &|c| c.entities),
                ("threads", &|c| c.threads),
                ("open files", &|c| c.open_files),
            ];
            for (name, f) in fixed {
                if most(b, f) > most(a, f) {
                    grew.push(name.to_owned());
                }
            }
            for (kind, _) in &later[0].assets {
                let n = |c: &Counts| {
                    c.assets
                        .iter()
                        .find(|(k, _)| k == kind)
                        .map_or(0, |(_, n)| *n)
                };
                if most(b, &n) > most(a, &n) {
                    match bounded.iter().find(|(k, _)| k == kind) {
                        Some((_, files)) if most(b, &n) <= *files => {
                            grew_within_the_story.push(format!("{kind} (at most {files})"));
                        }
                        _ => grew.push(kind.clone()),
                    }
                }
            }
        }
        Verdict {
            sessions: records.len(),
            ended: records.iter().filter(|r| r.ended).count(),
            stuck: records.iter().filter(|r| r.stuck.is_some()).count(),
            logs_whole: records.iter().filter(|r| r.log_whole == Some(true)).count(),
            logs_read: records.iter().filter(|r| r.log_whole.is_some()).count(),
            rss_start: start,
            rss_middle: middle,
            rss_end: end,
            rss_flat: end as f64 <= middle as f64 * 1.05,
            grew,
            grew_within_the_story,
        }
    }

    fn holds(&self) -> bool {
        self.sessions > 0
            && self.stuck == 0
            && self.logs_whole == self.logs_read
            && self.rss_flat
            && self.grew.is_empty()
    }
}

fn print_report(
    records: &[SessionRecord],
    verdict: &Verdict,
    wall: f64,
    args: &BenchArgs,
    mode: &str,
) {
    let played: f64 = records.iter().map(|r| r.session_seconds).sum();
    let lines: usize = records.iter().map(|r| r.lines).sum();
    let operator: u32 = records.iter().map(|r| r.operator_actions).sum();
    println!(
        "soak ({mode}, seed {}): {} sessions, {:.2} h of sessions ({played:.0} s) in {wall:.0} s on this machine ({})",
        args.seed,
        records.len(),
        played / 3600.0,
        crate::bench::machine()
    );
    println!(
        "  {} ended, {} cut at the time limit, {} stuck, {lines} lines said, {operator} operator actions; logs read back whole and ended: {} of {}; no panic (the run finished)",
        verdict.ended,
        records.iter().filter(|r| r.cut).count(),
        verdict.stuck,
        verdict.logs_whole,
        verdict.logs_read
    );
    let mib = |k: u64| k as f64 / 1024.0;
    println!(
        "  resident memory at her first line: start {:.1} MiB, middle {:.1} MiB, end {:.1} MiB",
        mib(verdict.rss_start),
        mib(verdict.rss_middle),
        mib(verdict.rss_end)
    );
    let firsts: Vec<(usize, &Counts)> = records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i + 1, r.first_line.as_ref()?)))
        .collect();
    let ends: Vec<&Counts> = records.iter().filter_map(|r| r.end.as_ref()).collect();
    if let (Some((_, first)), Some(last_end)) = (firsts.first(), ends.last()) {
        let mid = firsts[firsts.len() / 2].1;
        let last = firsts[firsts.len() - 1].1;
        let span = |f: &dyn Fn(&Counts) -> usize, of: &[&Counts]| {
            let min = of.iter().map(|c| f(c)).min().unwrap_or(0);
            let max = of.iter().map(|c| f(c)).max().unwrap_or(0);
            format!("{min}–{max}")
        };
        let all_firsts: Vec<&Counts> = firsts.iter().map(|(_, c)| *c).collect();
        println!(
            "  {:<18} {:>8} {:>8} {:>8} {:>12}   {:>12} {:>8}",
            "at her first line",
            "first",
            "middle",
            "last",
            "all sessions",
            "at the ends",
            "last end"
        );
        let fixed: [(&str, &dyn Fn(&Counts) -> usize); 3] = [
            ("entities", &|c| c.entities),
            ("threads", &|c| c.threads),
            ("open files", &|c| c.open_files),
        ];
        for (name, f) in fixed {
            println!(
                "  {:<18} {:>8} {:>8} {:>8} {:>12}   {:>12} {:>8}",
                name,
                f(first),
                f(mid),
                f(last),
                span(f, &all_firsts),
                span(f, &ends),
                f(last_end)
            );
        }
        for (kind, _) in &first.assets {
            let n = |c: &Counts| {
                c.assets
                    .iter()
                    .find(|(k, _)| k == kind)
                    .map_or(0, |(_, n)| *n)
            };
            println!(
                "  {:<18} {:>8} {:>8} {:>8} {:>12}   {:>12} {:>8}",
                kind,
                n(first),
                n(mid),
                n(last),
                span(&n, &all_firsts),
                span(&n, &ends),
                n(last_end)
            );
        }
        let peak = records.iter().map(|r| r.peak_entities).max().unwrap_or(0);
        println!("  the most entities seen at once: {peak}");
    }
    println!(
        "  memory flat (criterion: resident memory at the end within 5 % of the middle's, and no count at her first line higher in the second half of the sessions after the first than the most of their first half): {}",
        if verdict.rss_flat && verdict.grew.is_empty() {
            if verdict.grew_within_the_story.is_empty() {
                "held".to_owned()
            } else {
                format!(
                    "held (grew within the story's own files, a cache: {})",
                    verdict.grew_within_the_story.join(", ")
                )
            }
        } else {
            format!(
                "NOT HELD (resident memory {}; grew: {})",
                if verdict.rss_flat { "flat" } else { "grew" },
                if verdict.grew.is_empty() {
                    "nothing".to_owned()
                } else {
                    verdict.grew.join(", ")
                }
            )
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(clips: usize) -> SessionRecord {
        SessionRecord {
            first_line: Some(Counts {
                entities: 329,
                assets: vec![("audio clips".into(), clips)],
                rss_kib: 100_000,
                threads: 7,
                open_files: 8,
            }),
            ended: true,
            ..SessionRecord::default()
        }
    }

    #[test]
    fn a_cache_of_the_storys_own_files_may_fill_but_not_pass_them() {
        let records: Vec<SessionRecord> = [1, 30, 30, 31, 32].map(session).to_vec();
        let within = Verdict::of(&records, &[("audio clips", 36)]);
        assert!(within.grew.is_empty(), "{:?}", within.grew);
        assert_eq!(within.grew_within_the_story, ["audio clips (at most 36)"]);
        assert!(within.holds());
        let past = Verdict::of(&records, &[("audio clips", 31)]);
        assert_eq!(past.grew, ["audio clips"], "32 clips from 31 files: a leak");
        assert!(!past.holds());
        let unbounded = Verdict::of(&records, &[]);
        assert_eq!(unbounded.grew, ["audio clips"]);
    }
}
