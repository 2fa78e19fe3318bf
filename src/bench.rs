//! `reunion bench`: the figures behind DESIGN.md's budgets, measured here and now.
//!
//! Each row is measured on this machine, in this run, and set against its budget:
//! loading and checking the story, the director's step, the reunion systems' share
//! of a headless frame (the reference story, and a stress scene of 1,000 things and
//! 10 avatars), the draw calls and triangles each place would submit, hot reload
//! latency, and how much faster than real time the autopilot plays. Nothing here is a
//! test: numbers vary with the machine and its load; the report says which.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use reunion_stage::components::{OnStage, PlaceScoped};
use reunion_stage::headless::{headless_app, run_headless};
use reunion_stage::prelude::*;
use reunion_stage::transition::TransitionView;
use reunion_story::participant::Autopilot;
use reunion_story::session::Session;
use reunion_story::story::Story;

use crate::StoryLocation;

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// The story folder, or its story.ron (default: the reference story).
    pub path: Option<PathBuf>,
    /// Also write the figures as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Fewer repetitions (a quick look; the figures are noisier).
    #[arg(long)]
    pub quick: bool,
    /// Measure the rendered app instead, in a window (under Xvfb here): every frame of
    /// the story played by the autopilot at real pace, the longest during each
    /// transition, and how long each place's models kept the story waiting.
    #[arg(long)]
    pub render: bool,
    /// With --render: load each place's models only when its turn comes (no
    /// preloading of the places that can come next), to compare.
    #[arg(long, requires = "render")]
    pub no_preload: bool,
    /// With --render: do not warm the next places' render pipelines before they are
    /// shown, to compare (see `reunion_stage::warm_places`; with --no-preload the next
    /// places are not warmed either, as their models are not loaded ahead).
    #[arg(long, requires = "render")]
    pub no_warm: bool,
    /// Also draw the frame cost over the whole story, with the places it goes to, and
    /// the stress scene's beside it, as an SVG picture to FILE.
    #[arg(long, value_name = "FILE.svg", conflicts_with = "render")]
    pub plot: Option<PathBuf>,
    /// Measure listening instead, offline on recordings made here (espeak-ng and sox):
    /// the voice-activity detector's catches, false starts and delay, and Vosk's
    /// accuracy, latency and real-time factor when it is installed.
    #[arg(long, conflicts_with = "render")]
    pub listen: bool,
    /// Measure the family together instead, on this machine's loopback: each
    /// participant's bandwidth (the heaviest beat and the mean) and an act's way from
    /// one participant through the host to another, on a perfect link and on slow,
    /// lossy ones (with --quick, the perfect link only).
    #[arg(long, conflicts_with_all = ["render", "listen", "soak", "storm"])]
    pub network: bool,
    /// Soak: the story played in a loop, each session by another person (the
    /// autopilot varied by a seed) with an operator acting at random; headless for
    /// `--hours` of sessions, or with `--render` in a window for `--minutes`. Reports
    /// resident memory, entities and assets by kind over the sessions and whether
    /// memory stayed flat (exit 5 when not). docs/robustness.md
    #[arg(long, conflicts_with_all = ["listen", "plot", "no_preload", "no_warm", "storm"])]
    pub soak: bool,
    /// With --soak, headless: hours of sessions (session time) to play.
    #[arg(long, default_value_t = 8.0, value_name = "HOURS")]
    pub hours: f64,
    /// With --soak, headless: this many sessions instead of --hours.
    #[arg(long, value_name = "N", requires = "soak")]
    pub sessions: Option<u32>,
    /// With --soak --render: minutes of wall time in the window.
    #[arg(long, default_value_t = 30.0, value_name = "MINUTES")]
    pub minutes: f64,
    /// The seed of the soak's people and operator, and of the storm's edits.
    #[arg(long, default_value_t = 21)]
    pub seed: u64,
    /// Hot-edit storm: `--edits` random edits (valid and broken) to the story and
    /// scene files of a copy of the story while a session plays it; the session must
    /// follow each (a valid story reloaded, a broken one reported while the last good
    /// one plays on) and reach the story's end with its log whole (exit 5 when not).
    #[arg(long, conflicts_with_all = ["listen", "plot", "render"])]
    pub storm: bool,
    /// With --storm: how many edits.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub edits: u32,
    /// Only the peers: the director against Yarn Spinner's runtime on the same
    /// dialogue, and a place against Bevy's `DynamicWorld` loading the same entities
    /// from its RON world format, as ratios (the whole bench measures them too).
    #[arg(long, conflicts_with_all = ["render", "listen"])]
    pub peers: bool,
}

/// One figure and its budget.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    /// The most it may be (or, for speed, the least).
    pub budget: Option<f64>,
    pub within: Option<bool>,
    pub note: String,
}

pub(crate) fn row(
    name: &str,
    value: f64,
    unit: &'static str,
    budget: Option<f64>,
    note: String,
) -> Row {
    Row {
        name: name.into(),
        value,
        unit,
        budget,
        within: budget.map(|b| value <= b),
        note,
    }
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Mean and 99th percentile, in milliseconds.
pub(crate) fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    if samples.is_empty() {
        return (0.0, 0.0);
    }
    samples.sort();
    let mean = samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64;
    let p99 = ms(samples[((samples.len() as f64 * 0.99) as usize).min(samples.len() - 1)]);
    (mean, p99)
}

pub fn run(location: &StoryLocation, args: &BenchArgs) -> ExitCode {
    let reps = if args.quick { 5 } else { 40 };
    let mut rows = Vec::new();
    let progress = |what: &str| eprintln!("bench: {what}…");

    progress("loading and checking the story");
    let mut loads = Vec::new();
    let mut story = None;
    for _ in 0..reps {
        let t = Instant::now();
        let loaded = reunion_story::load::load_dir(&location.folder);
        loads.push(t.elapsed());
        story = loaded.story;
    }
    let Some(story) = story.map(Arc::new) else {
        eprintln!("error: the story does not load; run `reunion check` first");
        return ExitCode::from(1);
    };
    let (mean, p99) = stats(loads);
    rows.push(row(
        "load + validate the story",
        mean,
        "ms",
        Some(50.0),
        format!("mean of {reps}; p99 {p99:.2} ms"),
    ));

    if args.peers {
        let rows = crate::bench_peers::rows(&story, &location.folder, &location.file, reps);
        return report(&rows, &[], args.json.as_deref());
    }

    progress("stepping the director");
    let (per_frame, per_line, per_event, lines) = director_steps(&story);
    rows.push(row(
        "director step, per 1/90 s frame",
        per_frame.0,
        "ms",
        None,
        format!("p99 {:.4} ms", per_frame.1),
    ));
    rows.push(row(
        "director step that starts a line",
        per_line.0,
        "ms",
        None,
        format!("{lines} lines; p99 {:.4} ms", per_line.1),
    ));
    rows.push(row(
        "director step with a participant event",
        per_event.0,
        "ms",
        None,
        format!("p99 {:.4} ms", per_event.1),
    ));

    progress("playing the story headless (frame cost, autopilot speed)");
    // A picture of the whole story wants all of it.
    let frames = match (&args.plot, args.quick) {
        (Some(_), _) => 90 * 3600,
        (None, true) => 90 * 60,
        (None, false) => 90 * 600,
    };
    let run = frame_cost(&location.folder, &location.file, frames);
    rows.push(row(
        "reunion systems per frame, reference story",
        run.mean,
        "ms",
        Some(0.2),
        format!(
            "p99 {:.3} ms over {} frames (Update from the first to the last reunion set, avatars included)",
            run.p99, run.frames
        ),
    ));
    rows.push(Row {
        within: Some(run.speed >= 1.0),
        ..row(
            "headless autopilot speed",
            run.speed,
            "× real time",
            None,
            format!("{:.0} s of story in {:.1} s", run.simulated, run.wall),
        )
    });

    progress("the humanoid story with two humanoid models (frame cost)");
    match two_humanoids() {
        Ok(dir) => {
            let two = frame_cost_with(&dir, Path::new("story.ron"), frames, FrameKind::Models);
            rows.push(Row {
                within: Some(two.frames > 0 && two.mean <= 0.2),
                ..row(
                    "reunion systems per frame, 2 humanoid models",
                    two.mean,
                    "ms",
                    Some(0.2),
                    format!(
                        "p99 {:.3} ms over {} frames; Nayeon and her friend as the generated humanoid (no clips), \
                         their bones and faces driven after animation ({:.1}× the reference story's frame)",
                        two.p99,
                        two.frames,
                        two.mean / run.mean.max(1e-9)
                    ),
                )
            });
            let _ = std::fs::remove_dir_all(&dir);
        }
        Err(e) => eprintln!("warning: cannot write the two-humanoid story: {e}"),
    }

    progress("every frame by beat and transition, headless (hitches)");
    let whole_story = if args.quick { 90 * 120 } else { 90 * 3600 };
    let spans = crate::bench_hitch::headless(&location.folder, &location.file, whole_story);
    let frame = 1000.0 / 90.0;
    // Against the budget: the frame's CPU time on the main thread (its wall time also
    // holds the time slices the kernel gave to other processes on a shared machine).
    let cpu_max = |s: &crate::bench_hitch::SpanStats| s.cpu_max.unwrap_or(s.max);
    for t in spans.iter().filter(|s| s.transition) {
        rows.push(row(
            &format!("longest frame, {}", t.label),
            cpu_max(t),
            "ms",
            Some(frame),
            format!(
                "CPU time of whole frames, headless; wall: longest {:.3} ms, p99 {:.3} ms, mean {:.3} ms over {} frames",
                t.max, t.p99, t.mean, t.frames
            ),
        ));
    }
    if let Some(worst) = spans
        .iter()
        .filter(|s| !s.transition)
        .max_by(|a, b| cpu_max(a).total_cmp(&cpu_max(b)))
    {
        rows.push(row(
            "longest frame of any beat",
            cpu_max(worst),
            "ms",
            Some(frame),
            format!(
                "CPU time of whole frames, headless; in {} (wall {:.3} ms)",
                worst.label, worst.max
            ),
        ));
    }
    let hitches = vec![crate::bench_hitch::HitchTable {
        title: format!(
            "hitches, headless: every whole frame (our systems and Bevy's schedule) by beat and transition; one frame at 90 Hz is {frame:.1} ms"
        ),
        budget: Some(frame),
        spans,
    }];

    progress("a stress scene: 1,000 things and 10 avatars");
    let mut stress_trace = None;
    match stress_scene() {
        Ok(dir) => {
            let stress = frame_cost(
                &dir,
                Path::new("story.ron"),
                if args.quick { 300 } else { 1800 },
            );
            // It need not end in the frames measured; it must have loaded.
            let loaded = !matches!(&stress.result, Err(stuck) if stuck.node.is_empty());
            rows.push(Row {
                within: Some(loaded && stress.mean <= 1.0),
                ..row(
                    "reunion systems per frame, 1,000 things + 10 avatars",
                    stress.mean,
                    "ms",
                    Some(1.0),
                    if loaded {
                        format!("p99 {:.3} ms over {} frames", stress.p99, stress.frames)
                    } else {
                        format!("the stress story did not load (kept in {})", dir.display())
                    },
                )
            });
            if loaded {
                let _ = std::fs::remove_dir_all(&dir);
            }
            stress_trace = Some(stress.trace);
        }
        Err(e) => eprintln!("warning: cannot write the stress scene: {e}"),
    }
    if let Some(path) = &args.plot {
        let title = format!(
            "{}: reunion systems per frame, headless ({} frames)",
            story.title, run.frames
        );
        match crate::bench_plot::plot(
            path,
            &title,
            &run.trace,
            0.2,
            &stress_trace.unwrap_or_default(),
            1.0,
        ) {
            Ok(()) => eprintln!("bench: drew {}", path.display()),
            Err(e) => {
                eprintln!("error: cannot draw {}: {e}", path.display());
                return ExitCode::from(1);
            }
        }
    }

    progress("counting what each place would draw");
    for (place, calls, triangles) in scene_budget(&location.folder, &location.file) {
        rows.push(row(
            &format!("draw calls per eye, {place}"),
            calls as f64,
            "",
            Some(100.0),
            "(mesh, material) batches in view; shadow passes not counted".into(),
        ));
        rows.push(row(
            &format!("triangles per eye, {place}"),
            triangles as f64,
            "",
            Some(300_000.0),
            String::new(),
        ));
    }

    rows.extend(crate::bench_peers::rows(
        &story,
        &location.folder,
        &location.file,
        reps,
    ));

    progress("hot reload latency");
    match hot_reload_latency(&location.folder) {
        Ok(d) => rows.push(row(
            "hot reload: save → change applied",
            ms(d),
            "ms",
            Some(250.0),
            "headless, the asset server's file watcher".into(),
        )),
        Err(e) => eprintln!("warning: hot reload not measured: {e}"),
    }

    report(&rows, &hitches, args.json.as_deref())
}

/// Prints the rows as a table, writes them as JSON when asked, and says whether all
/// are within budget (exit 5 when one is not).
pub(crate) fn report(
    rows: &[Row],
    hitches: &[crate::bench_hitch::HitchTable],
    json: Option<&Path>,
) -> ExitCode {
    print_table(rows);
    for table in hitches {
        table.print();
    }
    if let Some(path) = json {
        let report = serde_json::json!({
            "machine": machine(),
            "profile": profile(),
            "rows": rows,
            "hitches": hitches,
        });
        match std::fs::write(
            path,
            serde_json::to_string_pretty(&report).unwrap_or_default(),
        ) {
            Ok(()) => eprintln!("wrote {}", path.display()),
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(1);
            }
        }
    }
    if rows.iter().any(|r| r.within == Some(false)) {
        eprintln!("OVER BUDGET: see the rows marked ✗");
        return ExitCode::from(5);
    }
    ExitCode::SUCCESS
}

pub(crate) fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{model}, {cpus} CPUs")
}

/// The build profile of this binary.
fn profile() -> &'static str {
    if cfg!(debug_assertions) {
        "dev"
    } else {
        "release"
    }
}

fn print_table(rows: &[Row]) {
    println!("machine: {}, {} build", machine(), profile());
    println!("{:<54} {:>14}  {:>12}", "figure", "value", "budget");
    for r in rows {
        let value = if r.value >= 1000.0 {
            format!("{:.0} {}", r.value, r.unit)
        } else {
            format!("{:.3} {}", r.value, r.unit)
        };
        let budget = r.budget.map_or(String::new(), |b| {
            // Whole budgets as written (≤ 250 ms); measured ones rounded.
            let b = if b.fract() == 0.0 {
                format!("{b}")
            } else {
                format!("{b:.1}")
            };
            format!("≤ {b} {}", r.unit)
        });
        let mark = match r.within {
            Some(true) => "✓",
            Some(false) => "✗ OVER BUDGET",
            None => "",
        };
        println!(
            "{:<54} {:>14}  {:>12}  {mark} {}",
            r.name, value, budget, r.note
        );
    }
}

fn director_steps(story: &Arc<Story>) -> ((f64, f64), (f64, f64), (f64, f64), usize) {
    let mut session = Session::new(Arc::clone(story)).with_participant(Box::new(Autopilot::new()));
    session.start();
    let (mut all, mut lines, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let dt = 1.0 / 90.0;
    for _ in 0..90 * 3600 {
        if session.director.is_ended() || session.stuck().is_some() {
            break;
        }
        let said = session.transcript.len();
        let before = session.director.node();
        let t = Instant::now();
        session.step(dt, []);
        let took = t.elapsed();
        all.push(took);
        if session.transcript.len() > said {
            lines.push(took);
        } else if session.director.node() != before {
            events.push(took);
        }
    }
    let n = lines.len();
    (stats(all), stats(lines), stats(events), n)
}

/// When the reunion systems of this frame began; each frame's cost, and when in the
/// story and where it was.
#[derive(Resource, Default)]
struct FrameClock {
    start: Option<Instant>,
    samples: Vec<Duration>,
    trace: crate::bench_plot::FrameTrace,
}

fn clock_start(mut clock: ResMut<FrameClock>) {
    clock.start = Some(Instant::now());
}

fn clock_stop(
    mut clock: ResMut<FrameClock>,
    session: Option<Res<StorySession>>,
    on_stage: Option<Res<OnStage>>,
) {
    if let Some(start) = clock.start.take() {
        let took = start.elapsed();
        clock.samples.push(took);
        let t = session
            .as_ref()
            .map_or(0.0, |s| s.session.director.session_time());
        clock.trace.frames.push((t, took.as_secs_f64() * 1000.0));
        let place = session
            .zip(on_stage.and_then(|o| o.place))
            .map(|(s, p)| s.story().place(p).id.clone());
        if let Some(place) = place
            && clock
                .trace
                .marks
                .last()
                .is_none_or(|(_, last)| *last != place)
        {
            clock.trace.marks.push((t, place));
        }
    }
}

struct FrameRun {
    result: Result<(), reunion_story::session::Stuck>,
    trace: crate::bench_plot::FrameTrace,
    mean: f64,
    p99: f64,
    frames: usize,
    speed: f64,
    simulated: f64,
    wall: f64,
}

/// The story played headless by the autopilot, as the frame cost and the transition
/// frames measure it: things with their shapes (so they have bounds), the hands, the
/// avatar and the headset's subtitle panel among them.
pub(crate) fn bench_app(folder: &Path, file: &Path) -> App {
    let config = StageConfig {
        story: file.to_path_buf(),
        participant: ParticipantSource::Autopilot,
        folder: Some(folder.to_path_buf()),
        ..default()
    };
    let mut app = headless_app(folder, config, 90.0, false);
    app.init_asset::<Mesh>()
        .init_asset::<StandardMaterial>()
        .init_resource::<ClearColor>()
        .init_resource::<GlobalAmbientLight>()
        .add_plugins((
            reunion_hands::HandsPlugin,
            reunion_avatar::AvatarPlugin,
            WorldScreenPlugin,
        ));
    app
}

/// Whether a frame cost run loads models (and times their PostUpdate systems too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Plain,
    Models,
}

fn frame_cost(folder: &Path, file: &Path, frames: u64) -> FrameRun {
    frame_cost_with(folder, file, frames, FrameKind::Plain)
}

/// Adds the time of the models' PostUpdate systems to the frame's sample.
#[derive(Resource, Default)]
struct ModelClock(Option<Instant>);

fn model_clock_start(mut clock: ResMut<ModelClock>) {
    clock.0 = Some(Instant::now());
}

fn model_clock_stop(mut clock: ResMut<ModelClock>, mut frame: ResMut<FrameClock>) {
    if let (Some(start), Some(last)) = (clock.0.take(), frame.samples.last_mut()) {
        *last += start.elapsed();
    }
}

/// The humanoid story with her friend a humanoid model too, in a temporary folder.
fn two_humanoids() -> std::io::Result<PathBuf> {
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let dir = std::env::temp_dir().join(format!("reunion-bench-humanoids-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root.join("assets/stories/nayeon_humanoid"), &dir)?;
    let story = std::fs::read_to_string(dir.join("story.ron"))?;
    let friend = r#""friend": (
            name: { "ko": "친구", "en": "Friend" },"#;
    let story = story.replacen(
        friend,
        &format!(
            "{friend}\n            model: (file: \"models/humanoid_child.glb\", height: 1.12),"
        ),
        1,
    );
    std::fs::write(dir.join("story.ron"), story)?;
    Ok(dir)
}

fn frame_cost_with(folder: &Path, file: &Path, frames: u64, kind: FrameKind) -> FrameRun {
    let mut app = bench_app(folder, file);
    app.init_resource::<FrameClock>()
        .add_systems(Update, clock_start.before(StageSystems::Load))
        .add_systems(Update, clock_stop.after(StageSystems::Ui));
    if kind == FrameKind::Models {
        reunion_stage::headless::load_models_headless(&mut app);
        app.init_resource::<ModelClock>().add_systems(
            PostUpdate,
            (
                model_clock_start.before(reunion_avatar::ModelSystems),
                model_clock_stop.after(reunion_avatar::ModelSystems),
            ),
        );
    }
    let wall = Instant::now();
    let result = run_headless(&mut app, frames);
    let wall = wall.elapsed().as_secs_f64();
    let simulated = app
        .world()
        .get_resource::<StorySession>()
        .map_or(0.0, |s| s.session.director.session_time());
    let samples = std::mem::take(&mut app.world_mut().resource_mut::<FrameClock>().samples);
    let trace = std::mem::take(&mut app.world_mut().resource_mut::<FrameClock>().trace);
    let frames = samples.len();
    let (mean, p99) = stats(samples);
    FrameRun {
        result,
        trace,
        mean,
        p99,
        frames,
        speed: simulated / wall.max(1e-9),
        simulated,
        wall,
    }
}

/// A story folder with one place holding 1,000 things and 10 actors.
fn stress_scene() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("reunion-stress-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut cast = String::new();
    let mut things = String::new();
    let mut lines = String::new();
    for i in 0..10 {
        cast.push_str(&format!(
            "\"child{i}\": (name: {{ \"en\": \"Child {i}\" }}),\n"
        ));
        let (x, z) = ((i % 5) as f32 * 0.8 - 1.6, -1.0 - (i / 5) as f32 * 0.8);
        things.push_str(&format!(
            "\"child{i}\": (is: Actor(\"child{i}\"), at: ({x}, 0.0, {z}), facing: 180.0),\n"
        ));
        lines.push_str(&format!(
            "\"line{i}\": Say(speaker: \"child{i}\", text: {{ \"en\": \"Hello, I am number {i}.\" }}, gesture: Wave, expression: Smile),\n"
        ));
    }
    for i in 0..1000 {
        let (x, z) = ((i % 40) as f32 * 0.2 - 4.0, -(i / 40) as f32 * 0.2 - 3.0);
        let kind = match i % 3 {
            0 => "Candle(color: \"#fff3c4\")",
            1 => "Toy(kind: Ball, color: \"#f46e6e\")",
            _ => "Toy(kind: Blocks, color: \"#7cc7e8\")",
        };
        things.push_str(&format!(
            "\"thing{i}\": (is: {kind}, at: ({x}, 0.0, {z})),\n"
        ));
    }
    std::fs::write(
        dir.join("story.ron"),
        format!(
            "(format: 1, title: \"Stress\", languages: [\"en\"], cast: {{ {cast} }},\n\
             places: {{ \"room\": \"room.scene.ron\" }},\n\
             start: \"go\",\n\
             nodes: {{ \"go\": Go(place: \"room\", transition: Fade(seconds: 0.5)),\n{lines}\
             \"rest\": Pause(seconds: 30.0),\n\"end\": End(),\n}})"
        ),
    )?;
    std::fs::write(
        dir.join("room.scene.ron"),
        format!(
            "(environment: Room(walls: \"#f8e5ef\", size: (10.0, 10.0)), start: (at: (0.0, 0.0, 2.0), facing: 0.0), things: {{ {things} }})"
        ),
    )?;
    Ok(dir)
}

/// For each place the story visits: the most meshes in view at once and their
/// triangles, with render assets but no renderer.
fn scene_budget(folder: &Path, file: &Path) -> Vec<(String, usize, usize)> {
    let config = StageConfig {
        story: file.to_path_buf(),
        participant: ParticipantSource::Autopilot,
        folder: Some(folder.to_path_buf()),
        ..default()
    };
    let mut app = headless_app(folder, config, 30.0, false);
    // What a headset shows too: the participant's hands, the subtitle panel and the
    // veil (with a font and images, so they get their meshes).
    app.init_asset::<Mesh>()
        .init_asset::<StandardMaterial>()
        .init_asset::<Image>()
        .init_asset::<reunion_stage::world_screen::ScreenColor>()
        .init_asset::<reunion_stage::world_screen::VeilColor>()
        .init_resource::<ClearColor>()
        .init_resource::<GlobalAmbientLight>()
        .insert_resource(reunion_stage::screen::SubtitleFont(default()))
        .add_plugins((
            reunion_hands::HandsPlugin,
            reunion_avatar::AvatarPlugin,
            WorldScreenPlugin,
        ));
    app.finish();
    app.cleanup();
    let mut worst: Vec<(String, usize, usize)> = Vec::new();
    for _ in 0..30 * 600 {
        app.update();
        let world = app.world_mut();
        if world
            .resource::<reunion_stage::headless::Outcome>()
            .0
            .is_some()
        {
            break;
        }
        if world.resource::<TransitionView>().active.is_some() {
            continue;
        }
        let Some(place) = world.resource::<OnStage>().place else {
            continue;
        };
        let name = world
            .get_resource::<StorySession>()
            .map(|s| s.story().place(place).id.clone())
            .unwrap_or_default();
        let (calls, triangles) = in_view(world, place);
        match worst.iter_mut().find(|(n, _, _)| *n == name) {
            Some(w) => {
                w.1 = w.1.max(calls);
                w.2 = w.2.max(triangles);
            }
            None => worst.push((name, calls, triangles)),
        }
    }
    worst
}

/// The place's meshes and everything not of a place (the participant's hands, the
/// subtitle panel, the veil), as one eye would draw them.
fn in_view(world: &mut World, place: reunion_story::story::PlaceId) -> (usize, usize) {
    let mut q = world.query::<(Entity, &Mesh3d, Option<&PlaceScoped>)>();
    let parts: Vec<(Entity, Handle<Mesh>)> = q
        .iter(world)
        .filter(|(_, _, s)| s.is_none_or(|s| s.0 == place))
        .map(|(e, m, _)| (e, m.0.clone()))
        .collect();
    let mut materials = world.query::<&MeshMaterial3d<StandardMaterial>>();
    let meshes = world.resource::<Assets<Mesh>>();
    let (mut batches, mut triangles) = (std::collections::HashSet::new(), 0);
    for (e, mesh) in parts {
        // Hidden here or in any parent: not drawn.
        let mut at = Some(e);
        let mut hidden = false;
        while let Some(x) = at {
            if world.get::<Visibility>(x) == Some(&Visibility::Hidden) {
                hidden = true;
                break;
            }
            at = world.get::<ChildOf>(x).map(ChildOf::parent);
        }
        if hidden {
            continue;
        }
        // Parts with the same mesh and material draw as one instanced batch.
        let material = materials.get(world, e).map(|m| m.0.id()).ok();
        batches.insert((mesh.id(), material));
        if let Some(m) = meshes.get(&mesh) {
            triangles += m.indices().map_or(m.count_vertices(), |i| i.len()) / 3;
        }
    }
    (batches.len(), triangles)
}

/// Saves an edit to a copy of the story and times until the running session has it.
fn hot_reload_latency(folder: &Path) -> Result<Duration, String> {
    let copy = std::env::temp_dir().join(format!("reunion-bench-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(folder, &copy).map_err(|e| e.to_string())?;
    let file = copy.join("story.ron");
    let config = StageConfig {
        story: PathBuf::from("story.ron"),
        participant: ParticipantSource::Autopilot,
        folder: Some(copy.clone()),
        ..default()
    };
    let mut app = headless_app(&copy, config, 90.0, true);
    app.finish();
    app.cleanup();
    let started = |w: &World| w.get_resource::<StorySession>().is_some();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !started(app.world()) {
        app.update();
        if Instant::now() > deadline {
            return Err("the story did not start".into());
        }
    }
    let title = |w: &World| {
        w.get_resource::<StorySession>()
            .map(|s| s.story().title.clone())
            .unwrap_or_default()
    };
    let before = title(app.world());
    let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let edited = text.replacen(&format!("title: \"{before}\""), "title: \"Edited\"", 1);
    if edited == text {
        return Err("cannot find the title to edit".into());
    }
    // Let the watcher settle before the edit.
    let settle = Instant::now() + Duration::from_millis(500);
    while Instant::now() < settle {
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    std::fs::write(&file, edited).map_err(|e| e.to_string())?;
    let saved = Instant::now();
    while title(app.world()) != "Edited" {
        app.update();
        std::thread::sleep(Duration::from_millis(1));
        if saved.elapsed() > Duration::from_secs(10) {
            return Err("the edit was not applied within 10 s".into());
        }
    }
    let took = saved.elapsed();
    let _ = std::fs::remove_dir_all(&copy);
    Ok(took)
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
