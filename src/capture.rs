//! `reunion capture`: the autopilot plays the story in a window and a screenshot is
//! saved at each beat: every place once its fade-in is done, the hand offered, the
//! candles lit, a thing shown (the letter), the middle of a walk by the hand or of the
//! butterfly, and the aftercare screen. With `--headset-view`, the screen is shown as
//! a headset shows it, and the first line spoken in each place is a beat too.
//!
//! Each picture is framed on what its beat is about (`shot_framing.rs`): the cake, its
//! candles and her face when the candles are lit; her face and the held hands during
//! a walk by the hand; her offered hand. A camera of the capture's own takes it, so
//! the participant's head, which the detectors and the hands follow, never moves. The
//! participant's hint line is left out.
//!
//! Software rendering is slow, so story time runs fast between beats (about 8×) and
//! at real pace close to a beat; at a beat the story's time stops while a few frames
//! render (pipelines finish compiling) and the screenshot is taken.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use reunion_hands::candles::Lit;
use reunion_hands::hold::OfferingHand;
use reunion_hands::model::ParticipantHand;
use reunion_hands::puppet::Puppeteer;
use reunion_stage::components::{ActorBody, CakeSockets, CandleSlot, HeadHeight};
use reunion_stage::prelude::*;
use reunion_stage::presence::ParticipantHead;
use reunion_story::director::{Cue, StoryEvent};
use reunion_story::story::{ActorId, Transition, WorldCue};

use crate::shot_framing;

use crate::window::{Participant, exit_code, story_app};
use crate::{Checked, StoryLocation};

/// Story time runs this much faster than real time between beats.
const FAST: f32 = 12.0;
/// Frames rendered with time stopped before a screenshot.
const SETTLE_FRAMES: u32 = 8;
/// Frames to wait for a screenshot to be written.
const SAVE_FRAMES: u32 = 5;

pub fn run(
    location: &StoryLocation,
    checked: &Checked,
    out: PathBuf,
    lang: Option<String>,
    headset_view: bool,
) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("error: cannot create {}: {e}", out.display());
        return ExitCode::from(1);
    }
    let config = StageConfig {
        story: location.file.clone(),
        lang,
        participant: ParticipantSource::Autopilot,
        log: None,
        folder: Some(location.folder.clone()),
        preloaded: Some(checked.preloaded()),
    };
    let mut app = story_app(
        location,
        checked,
        config,
        FAST,
        Participant::Flat,
        headset_view,
    );
    app.insert_resource(reunion_stage::flat::FlatHelp::hidden())
        // Nor the participant's hint line.
        .insert_resource(reunion_hands::flat::HandHintShown(false))
        .insert_resource(Capture {
            out,
            lines: headset_view,
            ..default()
        })
        // The pictures are of what the participant sees: no operator console.
        .add_systems(
            Startup,
            |mut console: ResMut<reunion_console::ConsoleState>| console.visible = false,
        )
        .add_systems(Update, plan_beats.after(StageSystems::Director))
        // The shot's camera is spawned in Update, before the frame's lights are fitted
        // to every camera's view (a camera spawned later has no shadow cascades yet).
        .add_systems(Update, frame_shot.after(StageSystems::Director))
        .add_systems(
            Last,
            (take_shots, stop_when_stuck).before(reunion_stage::NoteExitSystems),
        );
    exit_code(app.run())
}

/// A story that cannot go on ends the capture with an error instead of waiting forever.
fn stop_when_stuck(mut finished: MessageReader<SessionFinished>, mut exit: MessageWriter<AppExit>) {
    for SessionFinished(result) in finished.read() {
        if let Err(stuck) = result {
            eprintln!("error: {stuck}");
            exit.write(AppExit::from_code(1));
        }
    }
}

/// When a beat's picture is taken.
#[derive(Clone, Debug)]
enum When {
    /// At this session time.
    At(f64),
    /// When the transition in progress reaches this progress.
    Progress(f32),
}

#[derive(Clone, Debug)]
struct Beat {
    name: String,
    when: When,
    last: bool,
    framing: Framing,
}

/// What a beat's picture is of.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Framing {
    /// What the participant sees.
    #[default]
    AsSeen,
    /// The cake, its burning candles and her face, from the participant's eyes.
    Cake(ActorId),
    /// Her face and the held hands, from in front of them as they walk.
    Lead(ActorId),
    /// Her face and the hand she holds out, from the participant's eyes.
    Offer(ActorId),
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Step {
    #[default]
    Waiting,
    Settling(u32),
    Saving(u32),
}

#[derive(Resource, Default)]
struct Capture {
    out: PathBuf,
    queue: VecDeque<Beat>,
    current: Option<(Beat, Step)>,
    taken: Vec<PathBuf>,
    /// Whether the first line in each place is a beat.
    lines: bool,
    /// The places whose first line has been planned.
    lines_planned: Vec<reunion_story::story::PlaceId>,
}

fn plan_beats(
    mut cues: MessageReader<CueIssued>,
    mut reports: MessageReader<ReportStoryEvent>,
    session: Option<Res<StorySession>>,
    time: Res<Time<Virtual>>,
    mut capture: ResMut<Capture>,
) {
    let Some(s) = session else {
        cues.clear();
        reports.clear();
        return;
    };
    let story = s.story();
    // Virtual time, not the session's: it goes on after the story has ended.
    let now = time.elapsed_secs_f64();
    let node = story.node(s.session.director.node()).id.clone();
    // A thing set where it belongs (a rose in the vase, the photo in its frame).
    for ReportStoryEvent(event) in reports.read() {
        if let StoryEvent::Placed { thing, into, .. } = event
            && !story
                .thing(*thing)
                .has_tag(reunion_story::story::CANDLE_TAG)
        {
            capture.queue.push_back(Beat {
                name: format!("{}-in-{}", story.thing(*thing).id, story.thing(*into).id),
                when: When::At(now + 1.0),
                last: false,
                framing: Framing::AsSeen,
            });
        }
    }
    for CueIssued(cue) in cues.read() {
        let beat = |name: String, when: When| Beat {
            name,
            when,
            last: false,
            framing: Framing::AsSeen,
        };
        let framed = |b: Beat, framing: Framing| Beat { framing, ..b };
        // Whose birthday it is: the first of the cast, the person the story recreates.
        let lead_actor = ActorId(0);
        if let Cue::StartTransition {
            transition: Transition::Butterfly { .. },
            ..
        } = cue
        {
            // She turns into a butterfly; then it flies up into the open sky.
            capture
                .queue
                .push_back(beat(node.clone(), When::Progress(0.2)));
            capture
                .queue
                .push_back(beat(format!("{node}-sky"), When::Progress(0.8)));
            continue;
        }
        if let Cue::Say { node, seconds, .. } = cue
            && capture.lines
            && let Some(place) = s.session.director.place()
            && !capture.lines_planned.contains(&place)
        {
            capture.lines_planned.push(place);
            let name = format!("say-{}", story.node(*node).id);
            let at = now + f64::from((seconds * 0.5).min(1.2));
            capture.queue.push_back(beat(name, When::At(at)));
            continue;
        }
        let planned = match cue {
            Cue::TransitionEnded { place } => Some(beat(
                format!("in-{}", story.place(*place).id),
                When::At(now + 2.8),
            )),
            Cue::World(WorldCue::OfferHand(a)) => Some(framed(
                beat(node.clone(), When::At(now + 0.3)),
                Framing::Offer(*a),
            )),
            Cue::World(WorldCue::LightCandles) => Some(framed(
                beat(node.clone(), When::At(now + 1.5)),
                Framing::Cake(lead_actor),
            )),
            Cue::World(WorldCue::Light(_)) => Some(beat(node.clone(), When::At(now + 1.5))),
            // A thing's own clip, a moment into it (a lid opening).
            Cue::World(WorldCue::Animate { clip, .. }) => {
                Some(beat(format!("{node}-{clip}"), When::At(now + 1.2)))
            }
            Cue::World(WorldCue::Show(thing)) => {
                Some(beat(format!("show-{thing}"), When::At(now + 1.0)))
            }
            Cue::StartTransition {
                transition: Transition::LeadByHand { actor, .. },
                ..
            } => Some(framed(
                beat(node.clone(), When::Progress(0.3)),
                Framing::Lead(*actor),
            )),
            Cue::Ended { .. } => Some(Beat {
                name: "aftercare".into(),
                when: When::At(now + 5.0),
                last: true,
                framing: Framing::AsSeen,
            }),
            _ => None,
        };
        if let Some(b) = planned {
            capture.queue.push_back(b);
        }
    }
}

fn take_shots(
    mut commands: Commands,
    mut capture: ResMut<Capture>,
    session: Option<Res<StorySession>>,
    view: Res<TransitionView>,
    mut time: ResMut<Time<Virtual>>,
    puppeteer: Option<Res<Puppeteer>>,
    mut exit: MessageWriter<AppExit>,
) {
    if session.is_none() {
        return;
    }
    let now = time.elapsed_secs_f64();
    // While the hands act something out, time runs at its real pace: at a few frames
    // a second, a hand sped up would cross the table in one frame.
    let fast = if puppeteer.is_some_and(|p| p.is_busy()) {
        1.0
    } else {
        FAST
    };
    if capture.current.is_none() {
        capture.current = capture.queue.pop_front().map(|b| (b, Step::Waiting));
    }
    let Some((beat, step)) = capture.current.clone() else {
        time.set_relative_speed(fast);
        return;
    };
    match step {
        Step::Waiting => {
            let (ready, near) = match beat.when {
                When::At(t) => (now >= t, t - now < 1.5),
                When::Progress(p) => {
                    let progress = view.active.as_ref().map_or(1.0, |a| a.progress);
                    (progress >= p, true)
                }
            };
            if ready {
                time.pause();
                capture.current = Some((beat, Step::Settling(0)));
            } else {
                time.set_relative_speed(if near { 1.0 } else { fast });
            }
        }
        Step::Settling(n) if n < SETTLE_FRAMES => {
            capture.current = Some((beat, Step::Settling(n + 1)));
        }
        Step::Settling(_) => {
            let index = capture.taken.len() + 1;
            let path = capture.out.join(format!("{index:02}-{}.png", beat.name));
            eprintln!("capture {index:02}: {} (at {now:.1} s)", beat.name);
            commands
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(path.clone()));
            capture.taken.push(path);
            capture.current = Some((beat, Step::Saving(0)));
        }
        Step::Saving(n) if n < SAVE_FRAMES => {
            capture.current = Some((beat, Step::Saving(n + 1)));
        }
        Step::Saving(_) => {
            time.unpause();
            if beat.last {
                println!(
                    "saved {} screenshots in {}",
                    capture.taken.len(),
                    capture.out.display()
                );
                for p in &capture.taken {
                    println!("  {}", p.display());
                }
                exit.write(AppExit::Success);
            }
            capture.current = None;
        }
    }
}

/// The capture's own camera, for a framed picture.
#[derive(Component)]
struct ShotCamera;

/// Points a camera of its own at what a framed beat is about while its picture is
/// taken (the participant's camera is switched off meanwhile), and gives the view back
/// after.
#[allow(clippy::too_many_arguments)]
fn frame_shot(
    mut commands: Commands,
    capture: Res<Capture>,
    mut heads: Query<(&mut Camera, &GlobalTransform, &Projection), With<ParticipantHead>>,
    shots: Query<Entity, With<ShotCamera>>,
    actors: Query<(&ActorBody, &GlobalTransform, Option<&HeadHeight>)>,
    palms: Query<(&OfferingHand, &GlobalTransform)>,
    hands: Query<&GlobalTransform, With<ParticipantHand>>,
    cakes: Query<&GlobalTransform, With<CakeSockets>>,
    flames: Query<&GlobalTransform, (With<CandleSlot>, With<Lit>)>,
    windows: Query<&Window>,
) {
    let Ok((mut camera, eye, projection)) = heads.single_mut() else {
        return;
    };
    let framing = match &capture.current {
        Some((beat, Step::Settling(_))) if shots.is_empty() => beat.framing,
        Some((_, Step::Settling(_) | Step::Saving(_))) => return,
        _ => {
            for e in &shots {
                commands.entity(e).despawn();
            }
            if !camera.is_active {
                camera.is_active = true;
            }
            return;
        }
    };
    let face = |who: ActorId| {
        actors
            .iter()
            .find(|(a, ..)| a.0 == who)
            .map(|(_, t, h)| t.translation() + Vec3::Y * h.map_or(1.1, |h| h.0))
    };
    let palm = |who: ActorId| {
        palms
            .iter()
            .find(|(o, _)| o.actor == who)
            .map(|(_, t)| t.translation())
    };
    let fov = match projection {
        Projection::Perspective(p) => p.fov,
        _ => std::f32::consts::FRAC_PI_3,
    };
    let aspect = windows
        .iter()
        .next()
        .map_or(16.0 / 9.0, |w| w.width() / w.height().max(1.0));
    let eye_at = eye.translation();
    let shot = match framing {
        Framing::AsSeen => None,
        Framing::Cake(who) => {
            let mut points: Vec<Vec3> = flames
                .iter()
                .map(|t| t.translation() + Vec3::Y * reunion_hands::candles::FLAME_HEIGHT)
                .collect();
            points.extend(cakes.iter().map(|t| t.translation()));
            points.extend(face(who));
            shot_framing::from_the_eye(eye_at, &points, fov, aspect)
        }
        Framing::Offer(who) => {
            let points: Vec<Vec3> = face(who).into_iter().chain(palm(who)).collect();
            shot_framing::from_the_eye(eye_at, &points, fov, aspect)
        }
        Framing::Lead(who) => {
            let mut points: Vec<Vec3> = face(who).into_iter().collect();
            // The held hands: hers, and the participant's hand nearest it.
            if let Some(p) = palm(who).or_else(|| points.first().map(|f| *f - Vec3::Y * 0.45)) {
                points.push(p);
                if let Some(h) = hands
                    .iter()
                    .map(|t| t.translation())
                    .min_by(|a, b| a.distance(p).total_cmp(&b.distance(p)))
                {
                    points.push(h);
                }
            }
            let front = eye.forward().as_vec3();
            shot_framing::from_in_front(&points, front, fov, aspect)
        }
    };
    let Some(at) = shot else { return };
    camera.is_active = false;
    commands.spawn((
        Name::new("capture shot camera"),
        ShotCamera,
        Camera3d::default(),
        Camera {
            order: 1,
            ..default()
        },
        projection.clone(),
        at,
        IsDefaultUiCamera,
    ));
}
