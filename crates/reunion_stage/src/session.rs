//! The director inside Bevy: events in, cues out.
//!
//! [`StorySession`] wraps [`reunion_story::session::Session`]. Each frame,
//! `advance_director` takes the story events the world reported ([`ReportStoryEvent`]),
//! the participant's actions ([`ParticipantActed`]) and the operator's commands
//! ([`OperatorRequest`]), steps the session by the frame's time, and writes every cue
//! as a [`CueIssued`] message for the stage, the avatar and the UI to act on.
//!
//! The story is loaded through the asset server. When it changes on disk (hot reload)
//! the director keeps its place; when the change has errors the last good story keeps
//! running and [`StoryProblems`] holds the diagnostics for the screen and the log.

use std::sync::Arc;

use bevy::asset::AssetLoadFailedEvent;
use bevy::prelude::*;
use reunion_story::director::{Cue, Input, OperatorCommand, StoryEvent};
use reunion_story::log::SessionLog;
use reunion_story::participant::{
    Autopilot, Participant, ParticipantAction, Script, VariedAutopilot,
};
use reunion_story::session::{Session, Stuck};
use reunion_story::story::{LangId, Story};

use crate::StageSystems;
use crate::asset::StoryAsset;
use crate::config::{ParticipantSource, ResumeFrom, StageConfig, StartFrom};

pub(super) fn plugin(app: &mut App) {
    app.add_message::<ReportStoryEvent>()
        .add_message::<ParticipantReported>()
        .add_message::<ParticipantActed>()
        .add_message::<OperatorRequest>()
        .add_message::<CueIssued>()
        .add_message::<SessionFinished>()
        .add_message::<NewSession>()
        .init_resource::<StoryProblems>()
        .add_systems(Startup, load_story)
        .add_systems(
            Update,
            (
                (
                    end_for_a_new_session,
                    start_session,
                    reload_story,
                    report_load_failures,
                )
                    .chain()
                    .in_set(StageSystems::Load),
                advance_director.in_set(StageSystems::Director),
            ),
        )
        .add_systems(Last, note_exit.in_set(crate::NoteExitSystems));
}

/// The app is asked to exit before the story's end (Ctrl-C, SIGTERM, SIGHUP, the
/// window closed): the log says so once (a host lingers a second for its last packets
/// while the signal still asks to exit), and is closed when the session is dropped.
fn note_exit(
    mut exits: MessageReader<AppExit>,
    session: Option<ResMut<StorySession>>,
    mut noted: Local<bool>,
) {
    let Some(exit) = exits.read().last() else {
        return;
    };
    if let Some(mut s) = session
        && !s.session.director.is_ended()
        && !std::mem::replace(&mut *noted, true)
    {
        s.session.note(&format!(
            "{} before the story's end ({})",
            reunion_story::log::ENDED_FROM_OUTSIDE,
            why_the_app_exits(exit)
        ));
    }
}

/// What an app's exit says of who ended it, for the log's note.
pub fn why_the_app_exits(exit: &AppExit) -> String {
    match exit {
        AppExit::Success => {
            "the app was closed: its window, Esc on a headset's mirror, or the VR runtime".into()
        }
        AppExit::Error(code) if code.get() == 130 => {
            "Ctrl-C or a signal: SIGINT, SIGTERM or SIGHUP".into()
        }
        AppExit::Error(code) => format!("the app ended with code {code}"),
    }
}

/// The running session, once the story has loaded.
#[derive(Resource)]
pub struct StorySession {
    pub session: Session,
    /// The subtitle language.
    pub lang: LangId,
    /// The asset the session plays.
    pub handle: Handle<StoryAsset>,
}

impl StorySession {
    pub fn story(&self) -> &Arc<Story> {
        self.session.story()
    }
}

/// Present when a world with hands performs the participant's bodily actions (the
/// hands capability inserts it): the session leaves looking, stepping, taking a hand,
/// placing candles and blowing to it, whoever asks (keys, console, autopilot,
/// script), and follows what it reports.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct PerformedInWorld;

/// The story asset being loaded, before the session starts.
#[derive(Resource)]
pub struct StoryHandle(pub Handle<StoryAsset>);

/// Problems with the story on disk: shown on screen while the last good version runs.
#[derive(Resource, Default, Clone)]
pub struct StoryProblems {
    /// The diagnostics of the last failed load, if the latest load failed.
    pub errors: Option<String>,
    /// Warnings of the version running now.
    pub warnings: Option<String>,
    /// True when the first load failed: there is nothing to run.
    pub fatal: bool,
}

/// A story event from the world (a detector, an input, a test).
#[derive(Message, Clone, Debug)]
pub struct ReportStoryEvent(pub StoryEvent);

/// A story event done by one of several participants, named, on another machine (the
/// host hears it over the network): it meets the waits addressed to them or to
/// anyone (see `reunion_story::story::Condition::By`).
#[derive(Message, Clone, Debug)]
pub struct ParticipantReported {
    pub by: String,
    pub event: StoryEvent,
}

/// This machine's participant is one of several, by this name (a host that takes
/// part): the events its world and its autopilot report are theirs.
#[derive(Resource, Clone, Debug)]
pub struct ActingAs(pub String);

/// Something the participant did (keys in flat mode, a script, a test).
#[derive(Message, Clone, Debug)]
pub struct ParticipantActed(pub ParticipantAction);

/// A command from the operator.
#[derive(Message, Clone, Debug)]
pub struct OperatorRequest(pub OperatorCommand);

/// A cue from the director, for the world to carry out.
#[derive(Message, Clone, Debug)]
pub struct CueIssued(pub Cue);

/// The session is over: the story ended, or it got stuck.
#[derive(Message, Clone, Debug)]
pub struct SessionFinished(pub Result<(), Stuck>);

/// Ends the running session (its log is closed as it is) and begins another with the
/// same story, in the same frame: from the story's start with the [`StageConfig`] as
/// it is then (its participant, its log), or going on from a log that stopped
/// without an end (`resume`). The soak run plays the story in a loop this way; the
/// console resumes the last session with it. The places on stage follow the new
/// session as they follow any jump.
#[derive(Message, Clone, Debug, Default)]
pub struct NewSession {
    pub resume: Option<ResumeFrom>,
}

/// Takes down the running session when a [`NewSession`] is asked for; `start_session`
/// then begins the next one.
fn end_for_a_new_session(
    mut commands: Commands,
    mut asked: MessageReader<NewSession>,
    session: Option<ResMut<StorySession>>,
) {
    let Some(new) = asked.read().last() else {
        return;
    };
    if let Some(mut s) = session
        && !s.session.director.is_ended()
    {
        // In the words of an end from outside: the log is not one to offer resuming.
        s.session.note(&format!(
            "{} for a new session, before the story's end",
            reunion_story::log::ENDED_FROM_OUTSIDE
        ));
    }
    commands.remove_resource::<StorySession>();
    commands.remove_resource::<StartFrom>();
    match &new.resume {
        Some(r) => commands.insert_resource(r.clone()),
        None => commands.remove_resource::<ResumeFrom>(),
    }
}

fn load_story(mut commands: Commands, config: Res<StageConfig>, server: Res<AssetServer>) {
    let handle: Handle<StoryAsset> = server.load(config.story.clone());
    commands.insert_resource(StoryHandle(handle));
}

/// Starts the session the first time the story is loaded.
fn start_session(
    mut commands: Commands,
    config: Res<StageConfig>,
    from: Option<Res<StartFrom>>,
    resume: Option<Res<ResumeFrom>>,
    handle: Option<Res<StoryHandle>>,
    stories: Res<Assets<StoryAsset>>,
    session: Option<Res<StorySession>>,
    (in_world, share, mirror, acting_as): (
        Option<Res<PerformedInWorld>>,
        Option<Res<crate::mirror::ShareInputs>>,
        Option<Res<crate::mirror::Mirror>>,
        Option<Res<ActingAs>>,
    ),
    mut problems: ResMut<StoryProblems>,
    mut cues: MessageWriter<CueIssued>,
    mut finished: MessageWriter<SessionFinished>,
) {
    if session.is_some() {
        return;
    }
    let Some(handle) = handle else { return };
    let Some(asset) = stories.get(&handle.0) else {
        return;
    };
    let story = Arc::clone(&asset.story);
    if !asset.warnings.is_empty() {
        let w = asset.warnings.to_string();
        warn!("the story has warnings:\n{w}");
        problems.warnings = Some(w);
    }
    let lang = match &config.lang {
        Some(code) => match story.lang_id(code) {
            Some(l) => l,
            None => {
                error!(
                    "the story has no language `{code}`; it has: {}",
                    story.languages.join(", ")
                );
                finished.write(SessionFinished(Err(Stuck {
                    node: story.node(story.start).id.clone(),
                    reason: format!(
                        "no language `{code}` (the story has {})",
                        story.languages.join(", ")
                    ),
                })));
                return;
            }
        },
        None => LangId(0),
    };
    let mut session = match resume.as_deref() {
        Some(r) => Session::replayed_to_resume(Arc::clone(&story), lang, r.inputs.iter().cloned()),
        // The host's inputs will come: its world's reactions are among them.
        None if mirror.is_some() => Session::replaying(Arc::clone(&story)),
        None => Session::new(Arc::clone(&story)),
    };
    if share.is_some() {
        session.share_inputs();
    }
    if let Some(ActingAs(name)) = acting_as.as_deref() {
        session.act_as(name);
    }
    session.director.set_language(lang);
    if in_world.is_some() {
        session.perform_in_world();
    }
    let participant: Option<Box<dyn Participant + Send + Sync>> = match &config.participant {
        ParticipantSource::Live => None,
        ParticipantSource::Autopilot => Some(Box::new(match acting_as.as_deref() {
            Some(ActingAs(name)) => Autopilot::named(name),
            None => Autopilot::new(),
        })),
        ParticipantSource::Varied(seed) => Some(Box::new(VariedAutopilot::new(*seed))),
        ParticipantSource::Script { path, text } => match Script::parse(path, text, &story) {
            Ok(s) => Some(Box::new(s)),
            Err(d) => {
                error!("the participant script has an error:\n{d}");
                finished.write(SessionFinished(Err(Stuck {
                    node: story.node(story.start).id.clone(),
                    reason: format!("the script does not parse: {}", d.headline()),
                })));
                return;
            }
        },
    };
    if let Some(p) = participant {
        session = session.with_participant(p);
    }
    if let Some(r) = resume.as_deref() {
        match SessionLog::append(&r.log) {
            Ok(log) => session = session.with_log(log),
            Err(e) => warn!(
                "cannot go on writing the session log {}: {e}",
                r.log.display()
            ),
        }
    } else if let Some(path) = &config.log {
        match SessionLog::create(path) {
            Ok(mut log) => {
                log.header(
                    &story,
                    &story.languages[lang.index()],
                    config.folder.as_deref(),
                );
                session = session.with_log(log);
            }
            Err(e) => warn!("cannot write the session log {}: {e}", path.display()),
        }
    }
    let first = if resume.is_some() {
        let at = session.director.resume_point();
        info!(
            "resuming the session at node `{}`",
            at.map_or("(its end)", |n| story.node(n).id.as_str())
        );
        session.resume()
    } else {
        session.start()
    };
    for cue in first {
        cues.write(CueIssued(cue));
    }
    // Rehearsing from a node: the jump plays the story up to it in no time.
    if let Some(StartFrom(id)) = from.as_deref() {
        match story.node_id(id) {
            Some(node) => {
                info!("starting at node `{id}`, as a playthrough has it there");
                for cue in session.input(Input::Operator(OperatorCommand::JumpTo(node))) {
                    cues.write(CueIssued(cue));
                }
            }
            None => error!("the story has no node `{id}`: starting at its beginning"),
        }
    }
    commands.insert_resource(StorySession {
        session,
        lang,
        handle: handle.0.clone(),
    });
}

/// One frame of the story.
fn advance_director(
    time: Res<Time>,
    session: Option<ResMut<StorySession>>,
    (mut reported, mut by_others): (
        MessageReader<ReportStoryEvent>,
        MessageReader<ParticipantReported>,
    ),
    mut acted: MessageReader<ParticipantActed>,
    mut operator: MessageReader<OperatorRequest>,
    mut cues: MessageWriter<CueIssued>,
    mut finished: MessageWriter<SessionFinished>,
    mut done: Local<bool>,
    mirror: Option<Res<crate::mirror::Mirror>>,
) {
    // A participant's window in a hosted story: the host's inputs drive the session
    // (`crate::mirror`).
    let session = session.filter(|_| !crate::mirror::follows_a_host(mirror.as_deref()));
    let Some(mut s) = session else {
        reported.clear();
        by_others.clear();
        acted.clear();
        operator.clear();
        return;
    };
    // A new session (`NewSession`) has not finished.
    if s.is_added() {
        *done = false;
    }
    if *done {
        return;
    }
    let s = &mut *s;
    let events = events_of_the_frame(&mut s.session, &mut acted, &mut reported);
    for OperatorRequest(cmd) in operator.read() {
        for cue in s.session.input(Input::Operator(cmd.clone())) {
            cues.write(CueIssued(cue));
        }
    }
    for ParticipantReported { by, event } in by_others.read() {
        for cue in s.session.event_by(by, event.clone()) {
            cues.write(CueIssued(cue));
        }
    }
    for cue in s.session.step(time.delta_secs(), events) {
        cues.write(CueIssued(cue));
    }
    if let Some(stuck) = s.session.stuck() {
        *done = true;
        finished.write(SessionFinished(Err(stuck.clone())));
    } else if s.session.director.is_ended() {
        *done = true;
        finished.write(SessionFinished(Ok(())));
    }
}

/// The story events of this frame: the participant's actions (through the stand-in;
/// a world with hands performs the bodily ones itself and reports them) and what the
/// world reported.
pub(crate) fn events_of_the_frame(
    session: &mut Session,
    acted: &mut MessageReader<ParticipantActed>,
    reported: &mut MessageReader<ReportStoryEvent>,
) -> Vec<StoryEvent> {
    let story = Arc::clone(session.story());
    let in_world = session.performs_in_world();
    let mut events: Vec<StoryEvent> = Vec::new();
    for ParticipantActed(action) in acted.read() {
        if !(in_world && action.is_bodily()) {
            events.extend(session.stand_in.act(&story, action));
        }
    }
    events.extend(reported.read().map(|r| r.0.clone()));
    events
}

/// Applies a changed story (hot reload): the director keeps its place.
fn reload_story(
    mut events: MessageReader<AssetEvent<StoryAsset>>,
    stories: Res<Assets<StoryAsset>>,
    session: Option<ResMut<StorySession>>,
    mut problems: ResMut<StoryProblems>,
    mut cues: MessageWriter<CueIssued>,
) {
    let Some(mut s) = session else {
        events.clear();
        return;
    };
    for event in events.read() {
        let AssetEvent::Modified { id } = event else {
            continue;
        };
        if *id != s.handle.id() {
            continue;
        }
        let Some(asset) = stories.get(*id) else {
            continue;
        };
        info!("the story changed on disk: reloaded");
        s.session.note("the story changed on disk and was reloaded");
        problems.errors = None;
        problems.warnings = (!asset.warnings.is_empty()).then(|| asset.warnings.to_string());
        let story = Arc::clone(&asset.story);
        for cue in s.session.director.reload(story) {
            cues.write(CueIssued(cue));
        }
    }
}

/// Keeps the diagnostics of a failed load for the screen.
fn report_load_failures(
    mut failures: MessageReader<AssetLoadFailedEvent<StoryAsset>>,
    session: Option<ResMut<StorySession>>,
    mut problems: ResMut<StoryProblems>,
    mut finished: MessageWriter<SessionFinished>,
) {
    let mut session = session;
    for failure in failures.read() {
        let text = failure.error.to_string();
        if let Some(s) = &mut session {
            s.session.note(&format!(
                "a change on disk has errors; the last good story runs on:\n{text}"
            ));
            error!("the story on disk has errors; the last good version keeps running:\n{text}");
        } else {
            error!("the story cannot be played:\n{text}");
            problems.fatal = true;
            finished.write(SessionFinished(Err(Stuck {
                node: String::new(),
                reason: "the story did not load".into(),
            })));
        }
        problems.errors = Some(text);
    }
}
