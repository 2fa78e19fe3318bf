//! A session: the director, the participant and the record of what happened.
//!
//! [`Session::step`] is one frame of the experience without a world: the participant's
//! due actions become story events (through the [`StandIn`]), the director takes them
//! and the time, and its cues go to the transcript, the log and back to the
//! participant. The Bevy app runs exactly this each frame and adds the world around it;
//! [`play_headless`] runs it in a loop on simulated time.

use std::sync::Arc;

use crate::director::{Cue, Director, Input, OperatorCommand, Phase, StoryEvent};
use crate::log::SessionLog;
use crate::participant::{Participant, ParticipantAction, StandIn, autopilot_can};
use crate::story::*;

/// One spoken line, as it went by.
#[derive(Clone, Debug, PartialEq)]
pub struct TranscriptLine {
    /// Session seconds when the line began.
    pub at: f64,
    pub node: NodeId,
    /// Who speaks; `None` for the aftercare shown at an `End`.
    pub speaker: Option<ActorId>,
}

impl TranscriptLine {
    /// `[  12.3] Nayeon: Mommy, where are you?` in a language; the aftercare as
    /// `[ 200.1] (aftercare) Breathe slowly...`.
    pub fn render(&self, story: &Story, lang: LangId) -> String {
        let Some(speaker) = self.speaker else {
            let text = match &story.node(self.node).kind {
                NodeKind::End {
                    aftercare: Some(text),
                } => text.get(lang.index()).map_or("", String::as_str),
                _ => "",
            };
            return format!("[{:7.1}] (aftercare) {text}", self.at);
        };
        let name = &story.actor(speaker).name[lang.index()];
        let text = story
            .line(self.node)
            .map(|l| l.text[lang.index()].as_str())
            .unwrap_or("");
        format!("[{:7.1}] {name}: {text}", self.at)
    }
}

/// Why a session could not go on.
#[derive(Clone, Debug, PartialEq)]
pub struct Stuck {
    pub node: String,
    pub reason: String,
}

impl std::fmt::Display for Stuck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stuck at node `{}`: {}", self.node, self.reason)
    }
}

/// How long a wait with no timeout may see nothing happen before a headless run
/// calls it stuck.
pub const STUCK_AFTER_SECONDS: f64 = 120.0;

/// The director plus the participant and the record.
pub struct Session {
    pub director: Director,
    pub stand_in: StandIn,
    participant: Option<Box<dyn Participant + Send + Sync>>,
    pub transcript: Vec<TranscriptLine>,
    log: Option<SessionLog>,
    stuck: Option<Stuck>,
    /// Whether the stand-in reacts to cues (off when replaying a log, whose inputs
    /// already hold those reactions).
    echo: bool,
    /// Whether a world with a body performs the participant's bodily actions
    /// (see [`Session::perform_in_world`]).
    in_world: bool,
    /// Bodily actions that came due, for the world to perform.
    for_world: Vec<ParticipantAction>,
    /// How many lines of [`Session::transcript`] were said before a resume (the
    /// replayed log's); 0 for a session that did not resume.
    pub lines_before_resume: usize,
    /// Every input taken since the last [`Session::take_shared_inputs`], for
    /// sessions on other machines that mirror this one; `None` unless
    /// [`Session::share_inputs`] was called.
    shared: Option<Vec<Input>>,
    /// The participant this machine's events are by, in a session of several
    /// ([`Session::act_as`]); `None` for the only participant.
    acting_as: Option<String>,
}

impl Session {
    pub fn new(story: Arc<Story>) -> Self {
        let mut director = Director::new(Arc::clone(&story));
        director.set_time_limit(story.safety.time_limit);
        Self {
            director,
            stand_in: StandIn::default(),
            participant: None,
            transcript: Vec::new(),
            log: None,
            stuck: None,
            echo: true,
            in_world: false,
            for_world: Vec::new(),
            lines_before_resume: 0,
            shared: None,
            acting_as: None,
        }
    }

    /// A session that replays a log's inputs: the world's reactions are in the log,
    /// so the stand-in stays quiet.
    pub fn replaying(story: Arc<Story>) -> Self {
        let mut s = Self::new(story);
        s.echo = false;
        s
    }

    /// The session a log recorded, replayed up to its last record, ready to go on
    /// with [`Session::resume`] (after a crash, a power cut, a kill: see
    /// [`crate::log`]). The stand-in follows the replayed cues and events, so it
    /// knows the hand, the candles and the things as they were.
    pub fn replayed_to_resume(
        story: Arc<Story>,
        lang: LangId,
        inputs: impl IntoIterator<Item = Input>,
    ) -> Self {
        let mut s = Self::replaying(story);
        s.director.set_language(lang);
        s.start();
        for input in inputs {
            s.input(input);
        }
        s
    }

    /// Goes on from the last beat the replayed log recorded ([`Input::Resumed`],
    /// written to this session's log if it has one): the interrupted line said again,
    /// in the same place, variables and world. From here the stand-in acts again and
    /// the participant (if any) takes part.
    pub fn resume(&mut self) -> Vec<Cue> {
        self.echo = true;
        self.lines_before_resume = self.transcript.len();
        let at = self.director.resume_point();
        if let Some(node) = at {
            let id = self.story().node(node).id.clone();
            self.note(&format!(
                "{}: at node `{id}`, {} lines said before",
                crate::log::RESUMED,
                self.lines_before_resume
            ));
        }
        self.input(Input::Resumed)
    }

    /// Who acts for the participant (autopilot or script); none for a live person.
    pub fn with_participant(mut self, p: Box<dyn Participant + Send + Sync>) -> Self {
        self.participant = Some(p);
        self
    }

    /// In a session of several, the events this session's own world and
    /// participant report ([`Session::step`]) are by `name` (the host that takes
    /// part): they meet the waits addressed to `name` or to anyone, not those
    /// addressed to someone else. The others' events come through
    /// [`Session::event_by`].
    pub fn act_as(&mut self, name: &str) {
        self.acting_as = Some(name.to_owned());
    }

    /// The participant this session's own events are by, if set.
    pub fn acting_as(&self) -> Option<&str> {
        self.acting_as.as_deref()
    }

    /// `event`, done by the participant named `by` (one of several, on another
    /// machine).
    pub fn event_by(&mut self, by: &str, event: StoryEvent) -> Vec<Cue> {
        self.input(Input::EventBy {
            by: by.to_owned(),
            event,
        })
    }

    /// Records every input and cue.
    pub fn with_log(mut self, log: SessionLog) -> Self {
        self.log = Some(log);
        self
    }

    /// From now on the participant's bodily actions (looking, stepping closer,
    /// taking a hand, placing a candle, blowing, picking a thing up, setting it in a
    /// socket, putting it down, touching it: [`ParticipantAction::is_bodily`]) are
    /// not turned into events by the stand-in but kept for the world to perform,
    /// through [`Session::take_world_actions`]; what the world reports back (through
    /// [`Session::step`]'s events) keeps the stand-in up to date. A Bevy app with
    /// hands does this, so the autopilot and scripts move the same hands and head a
    /// person does.
    pub fn perform_in_world(&mut self) {
        self.in_world = true;
    }

    /// Whether bodily actions are performed by the world.
    pub fn performs_in_world(&self) -> bool {
        self.in_world
    }

    /// The bodily actions that came due since the last call, in order.
    pub fn take_world_actions(&mut self) -> Vec<ParticipantAction> {
        std::mem::take(&mut self.for_world)
    }

    /// From now on every input this session takes is also kept for
    /// [`Session::take_shared_inputs`]: a session on another machine made with
    /// [`Session::replaying`] and fed the same inputs in the same order (after its own
    /// [`Session::start`]) says the same lines at the same times, in the same places —
    /// the director is deterministic. A host shares its session this way with the
    /// participants' windows.
    pub fn share_inputs(&mut self) {
        self.shared.get_or_insert_with(Vec::new);
    }

    /// The inputs taken since the last call, in order (none unless shared).
    pub fn take_shared_inputs(&mut self) -> Vec<Input> {
        self.shared.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Writes a note in the log (operator actions, reloads, problems).
    pub fn note(&mut self, what: &str) {
        let t = self.director.session_time();
        if let Some(log) = &mut self.log {
            log.note(t, what);
        }
    }

    pub fn story(&self) -> &Arc<Story> {
        self.director.story()
    }

    /// Why the session stopped making progress, if it did.
    pub fn stuck(&self) -> Option<&Stuck> {
        self.stuck.as_ref()
    }

    /// Starts the story.
    pub fn start(&mut self) -> Vec<Cue> {
        let mut cues = self.director.start();
        let extra = self.after(&cues);
        cues.extend(extra);
        cues
    }

    /// Feeds one input to the director, recording it and its cues.
    pub fn input(&mut self, input: Input) -> Vec<Cue> {
        // Without the participant's consent their words go no further than the
        // matcher: the director and the log see only the intents they matched, so
        // a replay of the log plays the same.
        let input = match input {
            Input::Event(e) => Input::Event(e.for_the_log(self.director.story())),
            Input::EventBy { by, event } => Input::EventBy {
                by,
                event: event.for_the_log(self.director.story()),
            },
            other => other,
        };
        if let Input::EventBy { by, event } = &input
            && let Some(holder) = self.director.hand_taken_by_another(by, event)
        {
            let note = format!(
                "participant `{by}`: {event:?} not taken (she holds one hand at a time): {holder} holds it"
            );
            self.note(&note);
            return Vec::new();
        }
        if let Some(log) = &mut self.log {
            log.input(self.director.session_time(), &input);
        }
        if let Some(shared) = &mut self.shared {
            shared.push(input.clone());
        }
        // Replaying a log: the world's reports keep the stand-in up to date (with
        // the shared world's changes, and this session's own participant's body).
        if !self.echo {
            match &input {
                Input::Event(e) => self.stand_in.witness(e),
                Input::EventBy { by, event }
                    if self.acting_as.as_deref() == Some(by.as_str()) || !event.is_personal() =>
                {
                    self.stand_in.witness(event)
                }
                _ => {}
            }
        }
        let mut cues = match input {
            Input::Operator(OperatorCommand::JumpTo(node))
                if !self.director.is_ended() && !self.story().is_answer_line(node) =>
            {
                self.rehearsed_jump(node)
            }
            input => self.director.handle(input),
        };
        let extra = self.after(&cues);
        cues.extend(extra);
        cues
    }

    /// A jump lands in the state a playthrough has at `node` ([`crate::rehearse`]):
    /// its variables, its place, and its world (hand, things held, in sockets, lit).
    /// A node no playthrough reaches is jumped to as it is, and the log says so.
    fn rehearsed_jump(&mut self, node: NodeId) -> Vec<Cue> {
        let story = Arc::clone(self.director.story());
        match crate::rehearse::rehearse(&story, node, self.director.language()) {
            Ok(r) => {
                self.stand_in = r.stand_in;
                self.director.continue_from(&r.director, node)
            }
            Err(e) => {
                self.note(&format!("{e}: jumped there without its history"));
                self.director
                    .handle(Input::Operator(OperatorCommand::JumpTo(node)))
            }
        }
    }

    /// One frame: the participant's due actions, then `events` from the world, then
    /// `dt` seconds of time.
    pub fn step(&mut self, dt: f32, events: impl IntoIterator<Item = StoryEvent>) -> Vec<Cue> {
        let mut cues = Vec::new();
        let now = self.director.session_time();
        let actions = self
            .participant
            .as_mut()
            .map(|p| p.due(now))
            .unwrap_or_default();
        let story = Arc::clone(self.director.story());
        let mut all_events: Vec<StoryEvent> = Vec::new();
        for a in actions {
            if self.in_world && a.is_bodily() {
                self.for_world.push(a);
            } else {
                all_events.extend(self.stand_in.act(&story, &a));
            }
        }
        for e in events {
            if self.in_world {
                self.stand_in.witness(&e);
            }
            all_events.push(e);
        }
        for e in all_events {
            let input = match &self.acting_as {
                Some(by) => Input::EventBy {
                    by: by.clone(),
                    event: e,
                },
                None => Input::Event(e),
            };
            cues.extend(self.input(input));
        }
        cues.extend(self.input(Input::Tick(dt)));
        self.check_stuck();
        cues
    }

    /// Records cues and lets the participant and the stand-in see them; returns the
    /// cues of whatever the stand-in's reactions caused.
    fn after(&mut self, cues: &[Cue]) -> Vec<Cue> {
        let story = Arc::clone(self.director.story());
        let now = self.director.session_time();
        let mut echo = Vec::new();
        for cue in cues {
            if let Cue::Say { node, speaker, .. } = cue {
                self.transcript.push(TranscriptLine {
                    at: now,
                    node: *node,
                    speaker: Some(*speaker),
                });
            }
            // The aftercare's words, so they can be proofread headless.
            if let Cue::Ended { node } = cue
                && matches!(story.node(*node).kind, NodeKind::End { aftercare: Some(_) })
            {
                self.transcript.push(TranscriptLine {
                    at: now,
                    node: *node,
                    speaker: None,
                });
            }
            if let Cue::Stuck { node, reason } = cue {
                self.stuck = Some(Stuck {
                    node: story.node(*node).id.clone(),
                    reason: reason.clone(),
                });
            }
            if let Some(log) = &mut self.log {
                log.cue(now, &story, cue);
            }
            // Replaying, the world's reactions are in the log: the stand-in only
            // follows what the cues offer.
            let reactions = self.stand_in.observe(&story, cue);
            if self.echo {
                echo.extend(reactions);
            }
            if let Some(p) = &mut self.participant {
                p.observe(&story, cue, now);
            }
        }
        // World reactions to cues (the candles catch fire) go straight back in.
        let mut extra = Vec::new();
        for e in echo {
            extra.extend(self.input(Input::Event(e)));
        }
        extra
    }

    fn check_stuck(&mut self) {
        if self.stuck.is_some() || self.director.is_held() {
            return;
        }
        let Phase::Waiting {
            since,
            deadline: None,
        } = *self.director.phase()
        else {
            return;
        };
        let story = self.director.story();
        let node = story.node(self.director.node());
        let NodeKind::Wait { until, .. } = &node.kind else {
            return;
        };
        let waited = self.director.story_time() - since;
        let hopeless = match &self.participant {
            Some(p) => !p.has_more() || !autopilot_can(until),
            None => false,
        };
        if hopeless && waited > STUCK_AFTER_SECONDS {
            self.stuck = Some(Stuck {
                node: node.id.clone(),
                reason: format!(
                    "a wait with no timeout that the participant did not meet in {STUCK_AFTER_SECONDS} s"
                ),
            });
        }
    }
}

/// Runs a session on simulated time at `hz` frames per second until the story ends,
/// it gets stuck, or `max_seconds` of session time pass.
pub fn play_headless(session: &mut Session, hz: f32, max_seconds: f64) -> Result<(), Stuck> {
    let dt = 1.0 / hz;
    session.start();
    while !session.director.is_ended() {
        if let Some(s) = session.stuck() {
            return Err(s.clone());
        }
        if session.director.session_time() > max_seconds {
            let node = session.story().node(session.director.node()).id.clone();
            return Err(Stuck {
                node,
                reason: format!("the story did not end within {max_seconds} s"),
            });
        }
        session.step(dt, []);
    }
    match session.stuck() {
        Some(s) => Err(s.clone()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participant::{ParticipantAction, Script, ScriptStep};

    fn story() -> Arc<Story> {
        let text = r#"(
    format: 1, title: "t", languages: ["en"],
    cast: { "nayeon": (name: { "en": "Nayeon" }) },
    places: { "park": "park.scene.ron" },
    start: "go",
    nodes: {
        "go": Go(place: "park", transition: Fade(seconds: 1.0)),
        "offer": Cue(world: [OfferHand(actor: "nayeon")]),
        "wait": Wait(until: HandHeld(by: "nayeon"), timeout: 30.0),
        "end": End(aftercare: { "en": "." }),
    },
)"#;
        let scene = r#"(environment: Park(), start: (at: (0.0, 0.0, 0.0)), things: { "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -1.0)) })"#;
        let mut files = crate::load::MemFiles::default();
        files.files.insert("story.ron".into(), text.into());
        files.files.insert("park.scene.ron".into(), scene.into());
        let loaded = crate::load::load(
            &files,
            std::path::Path::new("story.ron"),
            std::path::Path::new("s"),
        );
        Arc::new(
            loaded
                .story
                .unwrap_or_else(|| panic!("{}", loaded.diagnostics)),
        )
    }

    fn script(steps: Vec<(f64, ParticipantAction)>) -> Box<Script> {
        Box::new(Script::new(
            steps
                .into_iter()
                .map(|(at, action)| ScriptStep { at, action })
                .collect(),
        ))
    }

    #[test]
    fn in_world_bodily_actions_wait_for_the_world_and_its_report_counts() {
        let story = story();
        let nayeon = story.actor_id("nayeon").expect("cast");
        let mut s = Session::new(Arc::clone(&story)).with_participant(script(vec![
            (3.0, ParticipantAction::TakeHand("nayeon".into())),
            (3.0, ParticipantAction::Speak),
        ]));
        s.perform_in_world();
        s.start();
        for _ in 0..(4 * 90) {
            s.step(1.0 / 90.0, []);
        }
        // The hand was not taken by the stand-in: the world must do it.
        assert_eq!(s.stand_in.holding(), None);
        assert_eq!(
            s.take_world_actions(),
            vec![ParticipantAction::TakeHand("nayeon".into())]
        );
        assert!(s.take_world_actions().is_empty(), "taken once");
        assert!(!s.director.is_ended());
        // The world reports the hand held: the stand-in knows, the wait is met.
        s.step(1.0 / 90.0, [StoryEvent::HandHeld(nayeon)]);
        assert_eq!(s.stand_in.holding(), Some(nayeon));
        s.step(1.0 / 90.0, [StoryEvent::HandReleased]);
        assert_eq!(s.stand_in.holding(), None);
        for _ in 0..90 {
            s.step(1.0 / 90.0, []);
        }
        assert!(s.director.is_ended());
    }

    #[test]
    fn without_a_world_the_stand_in_takes_the_hand_itself() {
        let story = story();
        let mut s = Session::new(Arc::clone(&story)).with_participant(script(vec![(
            3.0,
            ParticipantAction::TakeHand("nayeon".into()),
        )]));
        s.start();
        for _ in 0..(5 * 90) {
            s.step(1.0 / 90.0, []);
        }
        assert!(s.take_world_actions().is_empty());
        assert!(s.director.is_ended());
    }

    /// A host's session with the varied autopilot and an operator who holds, resumes
    /// and jumps; a mirror on "another machine" fed its shared inputs in batches says
    /// every cue the host said, in order, and ends where it ends.
    #[test]
    fn a_mirror_fed_the_shared_inputs_gives_the_same_cues() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon");
        let loaded = crate::load::load_dir(&dir);
        let story = Arc::new(loaded.story.expect("the reference story loads"));
        let mut host = Session::new(Arc::clone(&story))
            .with_participant(Box::new(crate::participant::VariedAutopilot::new(7)));
        host.share_inputs();
        let mut mirror = Session::replaying(Arc::clone(&story));
        let mut host_cues = host.start();
        let mut mirror_cues = mirror.start();
        let mut frame = 0u32;
        while !host.director.is_ended() && frame < 3600 * 90 {
            frame += 1;
            match frame {
                900 => host_cues.extend(host.input(Input::Operator(OperatorCommand::Hold))),
                1200 => host_cues.extend(host.input(Input::Operator(OperatorCommand::Resume))),
                _ => {}
            }
            host_cues.extend(host.step(1.0 / 90.0, []));
            // The network delivers a few frames at a time.
            if frame.is_multiple_of(7) || host.director.is_ended() {
                for input in host.take_shared_inputs() {
                    mirror_cues.extend(mirror.input(input));
                }
            }
        }
        assert!(host.director.is_ended(), "the host's story ends");
        assert!(mirror.director.is_ended(), "and so does the mirror's");
        assert!(host_cues.len() > 100, "a whole story's cues");
        assert_eq!(mirror_cues, host_cues);
        assert_eq!(mirror.transcript, host.transcript);
        assert!(
            Session::new(Arc::clone(&story))
                .take_shared_inputs()
                .is_empty(),
            "a session that does not share keeps nothing"
        );
    }
}
