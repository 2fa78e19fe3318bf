//! `reunion bench`: hitches. In a headset the longest frame matters, not the mean: a
//! frame that runs over makes the world stutter. Every whole frame (our systems and
//! Bevy's schedule; with `--render` also extraction and the render world) is timed and
//! put in the span of the story it fell in: a beat (the node the director is at, its
//! instant nodes passed through within a frame) or a transition. Reported per span: its
//! frames, mean, 99th percentile and the longest, as a table that names the beat.
//!
//! Headless, each frame's CPU time on this thread is taken too: on a shared machine a
//! frame's wall time also holds the time the kernel gave the core to someone else (in
//! steps of its 4 ms time slice), which is the machine's load, not our code.

use std::path::Path;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use reunion_stage::prelude::*;
use reunion_stage::transition::TransitionView;

use crate::bench::ms;

/// One stretch of the story: consecutive frames with the same label.
struct Span {
    label: String,
    transition: bool,
    samples: Vec<Duration>,
    /// The same frames' CPU time on this thread, when taken.
    cpu: Vec<Duration>,
}

/// Frames gathered into spans as they come.
#[derive(Default)]
pub(crate) struct Spans {
    spans: Vec<Span>,
}

impl Spans {
    /// Adds a frame to the current span, or starts a new one when the label changed.
    pub(crate) fn push(&mut self, label: &str, transition: bool, took: Duration) {
        self.push_with_cpu(label, transition, took, None);
    }

    /// As [`Spans::push`], with the frame's CPU time on this thread.
    pub(crate) fn push_with_cpu(
        &mut self,
        label: &str,
        transition: bool,
        took: Duration,
        cpu: Option<Duration>,
    ) {
        let same = self
            .spans
            .last()
            .is_some_and(|s| s.label == label && s.transition == transition);
        if !same {
            self.spans.push(Span {
                label: label.to_owned(),
                transition,
                samples: Vec::new(),
                cpu: Vec::new(),
            });
        }
        if let Some(s) = self.spans.last_mut() {
            s.samples.push(took);
            s.cpu.extend(cpu);
        }
    }

    /// Each span's figures, in story order; transitions numbered from 1.
    pub(crate) fn stats(&self) -> Vec<SpanStats> {
        let mut transitions = 0;
        self.spans
            .iter()
            .map(|s| {
                let label = if s.transition {
                    transitions += 1;
                    format!("transition {transitions} → {}", s.label)
                } else {
                    s.label.clone()
                };
                let (mean, p99, max) = mean_p99_max(&s.samples);
                let cpu = (!s.cpu.is_empty()).then(|| mean_p99_max(&s.cpu));
                SpanStats {
                    label,
                    transition: s.transition,
                    frames: s.samples.len(),
                    mean,
                    p99,
                    max,
                    cpu_p99: cpu.map(|c| c.1),
                    cpu_max: cpu.map(|c| c.2),
                }
            })
            .collect()
    }
}

/// Mean, 99th percentile and most of some frames, ms.
fn mean_p99_max(samples: &[Duration]) -> (f64, f64, f64) {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let n = sorted.len().max(1);
    let at = |i: usize| sorted.get(i.min(n - 1)).copied().map_or(0.0, ms);
    let mean = sorted.iter().map(|d| ms(*d)).sum::<f64>() / n as f64;
    (mean, at((n as f64 * 0.99) as usize), at(n - 1))
}

/// This thread's CPU time so far (Linux: `CLOCK_THREAD_CPUTIME_ID`).
pub(crate) fn thread_cpu_time() -> Option<Duration> {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to write.
    #[expect(unsafe_code, reason = "the one libc call std does not wrap")]
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    ok.then(|| Duration::new(t.tv_sec as u64, t.tv_nsec as u32))
}

/// The frames of one beat or transition, ms.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct SpanStats {
    pub label: String,
    pub transition: bool,
    pub frames: usize,
    pub mean: f64,
    pub p99: f64,
    pub max: f64,
    /// The same frames' CPU time on the main thread, when taken (headless).
    pub cpu_p99: Option<f64>,
    pub cpu_max: Option<f64>,
}

/// A table of spans, as printed and written to the JSON.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct HitchTable {
    pub title: String,
    /// The most a frame may take (one 90 Hz frame headless).
    pub budget: Option<f64>,
    pub spans: Vec<SpanStats>,
}

impl HitchTable {
    pub(crate) fn print(&self) {
        println!();
        println!("{}", self.title);
        println!(
            "{:<44} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "beat or transition", "frames", "mean ms", "p99 ms", "max ms", "cpu p99", "cpu max"
        );
        let opt = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.3}"));
        for s in &self.spans {
            // Over a frame by our own work: the CPU time when taken, else the wall time.
            let worst = s.cpu_max.unwrap_or(s.max);
            let over = self.budget.is_some_and(|b| worst > b);
            println!(
                "{:<44} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9} {:>9}{}",
                s.label,
                s.frames,
                s.mean,
                s.p99,
                s.max,
                opt(s.cpu_p99),
                opt(s.cpu_max),
                if over { "  ✗ over a frame" } else { "" }
            );
        }
    }
}

/// What the story is doing now: the transition's place (and `true`), or the beat.
pub(crate) fn label_of(
    session: Option<&StorySession>,
    view: Option<&TransitionView>,
) -> (String, bool) {
    let Some(s) = session else {
        return ("(the story loading)".into(), false);
    };
    let story = s.story();
    if let Some(t) = view.and_then(|v| v.active.as_ref()) {
        return (story.place(t.to).id.clone(), true);
    }
    let node = story.node(s.session.director.node());
    let label = if s.session.director.is_ended() {
        "(ended: aftercare)".to_owned()
    } else {
        format!("{} ({})", node.id, node.kind.name())
    };
    (label, false)
}

/// Plays the story headless by the autopilot (as the frame cost does) and times every
/// whole `app.update()`, by beat and transition.
pub(crate) fn headless(folder: &Path, file: &Path, frames: u64) -> Vec<SpanStats> {
    let mut app = crate::bench::bench_app(folder, file);
    app.finish();
    app.cleanup();
    let mut spans = Spans::default();
    for _ in 0..frames {
        let cpu = thread_cpu_time();
        let t = Instant::now();
        app.update();
        let took = t.elapsed();
        let cpu = thread_cpu_time()
            .zip(cpu)
            .map(|(after, before)| after - before);
        let world = app.world();
        let (label, transition) = label_of(
            world.get_resource::<StorySession>(),
            world.get_resource::<TransitionView>(),
        );
        spans.push_with_cpu(&label, transition, took, cpu);
        if world
            .get_resource::<StorySession>()
            .is_some_and(|s| s.session.director.is_ended())
        {
            break;
        }
    }
    spans.stats()
}
