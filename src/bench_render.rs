//! `reunion bench --render`: the story in a window, rendered (here under Xvfb with
//! Mesa's lavapipe, on the CPU), played by the autopilot at real pace. Every frame's
//! wall time is taken; reported are the median frame of the run, the longest frame
//! during each transition against it (a place coming on stage must not make a frame
//! long), how long each place kept the story waiting for its models, and the
//! process's memory. With `--no-preload` a place's models load only when its turn
//! comes, for comparison with the default (the places that can come next are loaded
//! while the current one plays).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use reunion_stage::models::{PlaceLoading, Preload};
use reunion_stage::prelude::*;
use reunion_stage::transition::TransitionView;

use crate::bench::{BenchArgs, Row, ms, report, row, stats};
use crate::window::{Participant, story_app};
use crate::{Checked, StoryLocation};

/// Every frame's wall time, and which transition or wait it fell in.
#[derive(Resource, Default)]
struct Frames {
    last: Option<Instant>,
    all: Vec<Duration>,
    /// Per transition: the place it went to, and its frames.
    transitions: Vec<(String, Vec<Duration>)>,
    in_transition: bool,
    /// Per place waited for: its id, and the time waited.
    waits: Vec<(String, Duration)>,
    /// Frames counted after the story's end.
    after_end: u32,
    /// The most resident memory seen, bytes.
    peak_rss: u64,
}

/// After the story ends, frames go on this long (the aftercare fading in) before the
/// run stops.
const FRAMES_AFTER_END: u32 = 10;

fn record(
    mut frames: ResMut<Frames>,
    view: Res<TransitionView>,
    loading: Res<PlaceLoading>,
    session: Option<Res<StorySession>>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = Instant::now();
    let Some(took) = frames.last.replace(now).map(|last| now - last) else {
        return;
    };
    let Some(s) = session else { return };
    frames.all.push(took);
    match view.active.as_ref() {
        Some(t) => {
            if !frames.in_transition {
                let to = s.story().place(t.to).id.clone();
                frames.transitions.push((to, Vec::new()));
                frames.in_transition = true;
            }
            if let Some((_, samples)) = frames.transitions.last_mut() {
                samples.push(took);
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
    eprintln!(
        "bench: the story rendered in a window, at real pace, {} preloading…",
        if preload { "with" } else { "without" }
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
    app.insert_resource(Preload(preload))
        .init_resource::<Frames>()
        .add_systems(Last, record);
    let exit = app.run();
    if exit != AppExit::Success {
        eprintln!("error: the app ended with {exit:?}");
        return ExitCode::from(1);
    }
    let wall = started.elapsed();
    let Some(frames) = app.world_mut().remove_resource::<Frames>() else {
        eprintln!("error: no frames were recorded");
        return ExitCode::from(1);
    };
    let how = if preload { "preloaded" } else { "no preload" };
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
    for (n, (to, samples)) in frames.transitions.iter().enumerate() {
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
    report(&rows, args.json.as_deref())
}
