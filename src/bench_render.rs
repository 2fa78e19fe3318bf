//! `reunion bench --render`: the story in a window, rendered (here under Xvfb with
//! Mesa's lavapipe, on the CPU), played by the autopilot. Software rendering is far
//! slower than real time, so the run goes from place to place: once a place has been
//! on stage for a few seconds of wall time (long enough for the next places' models to
//! load while it plays), the operator's jump takes the story to its next `Go`, whose
//! transition then plays as written. Every frame's wall time is taken; reported are
//! the median frame of the run, the longest frame during each transition against it
//! (a place coming on stage must not make a frame long), how long each place kept the
//! story waiting for its models, how many render pipelines were made while each
//! transition played (a place whose pipelines were warmed makes none), and the
//! process's memory. With `--no-preload` a place's models load only when its turn
//! comes, with `--no-warm` its pipelines are made only when it is shown, for
//! comparison with the default.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use reunion_stage::components::OnStage;
use reunion_stage::models::{PlaceLoading, Preload};
use reunion_stage::prelude::*;
use reunion_stage::transition::TransitionView;
use reunion_stage::warm_places::{PipelineWatch, WarmNextPlaces};
use reunion_story::director::OperatorCommand;
use reunion_story::story::NodeId;

use crate::bench::{BenchArgs, Row, ms, report, row, stats};
use crate::window::{Participant, story_app};
use crate::{Checked, StoryLocation};

/// Every frame's wall time, and which transition or wait it fell in. Kept outside
/// the app too (the window's runner does not hand its world back at the end).
#[derive(Resource, Default, Clone)]
struct Recorded(Arc<Mutex<Frames>>);

#[derive(Default)]
struct Frames {
    last: Option<Instant>,
    all: Vec<Duration>,
    /// Per transition: the place it went to, its frames, and the render pipelines
    /// made while it played.
    transitions: Vec<(String, Vec<Duration>, usize)>,
    /// The render world's pipelines as counted last frame.
    pipelines: usize,
    in_transition: bool,
    /// Per place waited for: its id, and the time waited.
    waits: Vec<(String, Duration)>,
    /// Frames counted after the story's end.
    after_end: u32,
    /// The most resident memory seen, bytes.
    peak_rss: u64,
    /// Every frame by beat and transition.
    spans: crate::bench_hitch::Spans,
}

/// How long a place plays (wall time) before the jump to the next `Go`.
const DWELL: Duration = Duration::from_secs(8);

/// The `Go` nodes still to jump to, and since when the stage has been still.
#[derive(Resource, Default)]
struct Tour {
    goes: Vec<NodeId>,
    still_since: Option<Instant>,
    started: bool,
}

/// Jumps to each later `Go` once the place on stage has played for [`DWELL`]; after
/// the last transition, ends the story gently.
fn tour(
    mut tour: ResMut<Tour>,
    session: Option<Res<StorySession>>,
    view: Res<TransitionView>,
    loading: Res<PlaceLoading>,
    on_stage: Res<OnStage>,
    mut send: MessageWriter<OperatorRequest>,
) {
    let Some(s) = session else { return };
    if !tour.started {
        let story = s.story();
        tour.goes = story.go_nodes().into_iter().skip(1).collect();
        tour.goes.reverse();
        tour.started = true;
    }
    let still = view.active.is_none() && loading.waiting.is_none() && on_stage.place.is_some();
    if !still {
        tour.still_since = None;
        return;
    }
    let since = *tour.still_since.get_or_insert_with(Instant::now);
    if since.elapsed() < DWELL || s.session.director.is_ended() {
        return;
    }
    tour.still_since = None;
    let cmd = match tour.goes.pop() {
        Some(go) => OperatorCommand::JumpTo(go),
        None => OperatorCommand::EndGently,
    };
    send.write(OperatorRequest(cmd));
}

/// After the story ends, frames go on this long (the aftercare fading in) before the
/// run stops.
const FRAMES_AFTER_END: u32 = 10;

fn record(
    recorded: Res<Recorded>,
    view: Res<TransitionView>,
    loading: Res<PlaceLoading>,
    session: Option<Res<StorySession>>,
    watch: Option<Res<PipelineWatch>>,
    mut exit: MessageWriter<AppExit>,
) {
    let Ok(mut frames) = recorded.0.lock() else {
        return;
    };
    // Pipelines made since last frame (the render world counts a frame behind).
    let made = watch.map_or(0, |w| w.made());
    let new_pipelines = made.saturating_sub(frames.pipelines);
    frames.pipelines = made;
    let now = Instant::now();
    let Some(took) = frames.last.replace(now).map(|last| now - last) else {
        return;
    };
    let Some(s) = session else { return };
    frames.all.push(took);
    let (label, transition) = crate::bench_hitch::label_of(Some(&*s), Some(&*view));
    frames.spans.push(&label, transition, took);
    match view.active.as_ref() {
        Some(t) => {
            if !frames.in_transition {
                let to = s.story().place(t.to).id.clone();
                frames.transitions.push((to, Vec::new(), 0));
                frames.in_transition = true;
            }
            if let Some((_, samples, pipelines)) = frames.transitions.last_mut() {
                samples.push(took);
                *pipelines += new_pipelines;
            }
        }
        None => frames.in_transition = false,
    }
    if let Some(w) = &loading.waiting {
        match frames.waits.iter_mut().find(|(p, _)| *p == w.name) {
            Some((_, waited)) => *waited += took,
            None => frames.waits.push((w.name.clone(), took)),
        }
    }
    if frames.all.len().is_multiple_of(30) {
        frames.peak_rss = frames.peak_rss.max(resident_bytes().unwrap_or(0));
    }
    if s.session.director.is_ended() {
        frames.after_end += 1;
        if frames.after_end > FRAMES_AFTER_END {
            exit.write(AppExit::Success);
        }
    }
}

/// The process's resident memory, from /proc (Linux).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb * 1024)
}

fn median(mut samples: Vec<Duration>) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort();
    ms(samples[samples.len() / 2])
}

pub fn run(location: &StoryLocation, checked: &Checked, args: &BenchArgs) -> ExitCode {
    let preload = !args.no_preload;
    let warm = !args.no_warm;
    eprintln!(
        "bench: the story rendered in a window, at real pace, {}, {}…",
        if preload {
            "with preloading"
        } else {
            "without preloading"
        },
        if warm {
            "warming the next places"
        } else {
            "not warming the next places"
        }
    );
    let config = StageConfig {
        story: location.file.clone(),
        lang: None,
        participant: ParticipantSource::Autopilot,
        log: None,
        folder: Some(location.folder.clone()),
        preloaded: Some(checked.preloaded()),
    };
    let mut app = story_app(location, checked, config, 1.0, Participant::Flat, false);
    let started = Instant::now();
    let recorded = Recorded::default();
    app.insert_resource(Preload(preload))
        .insert_resource(WarmNextPlaces(warm))
        .insert_resource(recorded.clone())
        .init_resource::<Tour>()
        .add_systems(Update, tour.before(StageSystems::Director))
        .add_systems(Last, record.before(reunion_stage::NoteExitSystems));
    let exit = app.run();
    if exit != AppExit::Success {
        eprintln!("error: the app ended with {exit:?}");
        return ExitCode::from(1);
    }
    let wall = started.elapsed();
    let frames = match recorded.0.lock() {
        Ok(mut f) => std::mem::take(&mut *f),
        Err(_) => {
            eprintln!("error: the frames' record was lost");
            return ExitCode::from(1);
        }
    };
    if frames.all.is_empty() {
        eprintln!("error: no frames were recorded");
        return ExitCode::from(1);
    }
    let how = format!(
        "{}, {}",
        if preload { "preloaded" } else { "no preload" },
        if warm { "warmed" } else { "not warmed" }
    );
    let typical = median(frames.all.clone());
    let (mean, p99) = stats(frames.all.clone());
    let mut rows = vec![row(
        "median frame, rendered",
        typical,
        "ms",
        None,
        format!(
            "mean {mean:.1} ms, p99 {p99:.1} ms over {} frames in {:.0} s ({how})",
            frames.all.len(),
            wall.as_secs_f64()
        ),
    )];
    for (n, (to, samples, pipelines)) in frames.transitions.iter().enumerate() {
        let longest = samples.iter().max().copied().map_or(0.0, ms);
        // A transition's frames may be at most twice the run's typical frame.
        rows.push(row(
            &format!("longest frame, transition {} → {to}, rendered", n + 1),
            longest,
            "ms",
            Some(typical * 2.0),
            format!(
                "{} frames ({how}); budget: twice the median frame",
                samples.len()
            ),
        ));
        rows.push(row(
            &format!("render pipelines made, transition {} → {to}", n + 1),
            *pipelines as f64,
            "",
            None,
            format!("made while the transition played ({how}); a warmed place needs none"),
        ));
    }
    for (place, waited) in &frames.waits {
        rows.push(row(
            &format!("the story waited for {place} to load"),
            ms(*waited),
            "ms",
            None,
            format!("covered by the fade, the director held ({how})"),
        ));
    }
    rows.push(row(
        "resident memory, most seen",
        frames.peak_rss as f64 / (1024.0 * 1024.0),
        "MiB",
        None,
        "the whole process: renderer (lavapipe), assets, story".into(),
    ));
    let rows: Vec<Row> = rows;
    let hitches = [crate::bench_hitch::HitchTable {
        title: format!(
            "hitches, rendered ({how}): every frame (our systems, Bevy's schedule, extraction and the render world) by beat and transition"
        ),
        budget: None,
        spans: frames.spans.stats(),
    }];
    report(&rows, &hitches, args.json.as_deref())
}
