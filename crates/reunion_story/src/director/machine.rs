//! The state machine: which node the story is at, what it is doing there ([`Phase`]),
//! its two clocks, and how each input moves it on.

use std::collections::HashMap;
use std::sync::Arc;

use super::conditions::WorldState;
use super::messages::{Cue, Input, OperatorCommand, StoryEvent, heard_intents};
use crate::story::*;

/// How long a lead by the hand waits, her hand held out, for a hand that let go
/// (seconds of story time) before it goes on without it.
pub const LEAD_WAITS_FOR_HAND: f64 = 20.0;

/// What the director is doing.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Not started yet.
    Idle,
    /// A line is being said until `until`, then a pause until `pause_until`.
    Speaking { until: f64, pause: f32 },
    /// Silence after a line, or a `Pause` node, until `until`.
    Pausing { until: f64 },
    /// Waiting on the current node's condition.
    Waiting { since: f64, deadline: Option<f64> },
    /// Moving to another place; `remaining` seconds of story time left.
    Transition { remaining: f64, place: PlaceId },
    /// Over.
    Ended,
}

/// How long a line takes when no clip tells us: about a child's speaking pace.
pub fn line_seconds(text: &str) -> f32 {
    let mut s = 0.8_f32;
    for c in text.chars() {
        s += if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
            0.2 // a Hangul syllable
        } else if c.is_alphanumeric() {
            0.065
        } else if matches!(c, ',' | ';' | ':') {
            0.25
        } else if matches!(c, '.' | '!' | '?' | '…') {
            0.3
        } else {
            0.03
        };
    }
    s
}

/// An answer being said (`answers.rs`).
#[derive(Clone, Debug)]
pub(super) struct Answering {
    pub(super) answer: AnswerId,
    pub(super) node: NodeId,
    /// Story time it began.
    pub(super) started: f64,
    /// Story time its line ends.
    pub(super) until: f64,
    /// Seconds of silence after it before the story goes on.
    pub(super) pause: f64,
}

/// The story's state machine. See [the director's docs](super).
#[derive(Clone, Debug)]
pub struct Director {
    pub(super) story: Arc<Story>,
    lang: LangId,
    /// Clip lengths by (node, language) set by the audio side, over the story's own.
    clip_seconds: HashMap<(NodeId, LangId), f32>,
    pub(super) node: NodeId,
    pub(super) phase: Phase,
    pub(super) held: bool,
    session_time: f64,
    pub(super) story_time: f64,
    pub(super) place: Option<PlaceId>,
    last_line: Option<NodeId>,
    vars: Vec<Value>,
    pub(super) world: WorldState,
    /// The answer being said; the flow waits for it.
    pub(super) answering: Option<Answering>,
    /// An answer asked for during a line or a transition, and when.
    pub(super) queued_answer: Option<(AnswerId, f64)>,
    /// An unsure answer waiting for the facilitator: since when, how confident.
    pub(super) pending: Option<(AnswerId, f64, f32)>,
    /// When each answer was last said (story time), for its cooldown.
    pub(super) answered_at: Vec<Option<f64>>,
    /// During a LeadByHand transition: who leads, and whether the hand let go.
    lead: Option<(ActorId, bool)>,
    /// Story seconds the lead has waited for the hand since it let go.
    lead_paused_for: f64,
    /// In the calm place after an exit or "stop now".
    pub(super) in_calm_place: bool,
    /// A line interrupted by an exit, said again on resuming.
    resume_at: Option<NodeId>,
    /// Session seconds after which the ending begins by itself.
    time_limit: Option<f64>,
    wound_down: bool,
    /// Every node entered, in order, while tracing (a rehearsal looks for its node).
    trace: Option<Vec<NodeId>>,
    /// Hands held out by a `Cue` node's `OfferHand` and not withdrawn (`LetGo`): a
    /// resumed session holds them out again.
    offered: Vec<ActorId>,
    /// A `Cue` node's `LightCandles` in this place: a session killed before the world
    /// reported them burning lights them again when it resumes.
    candles_lit_by_cue: bool,
}

/// How many instant nodes may follow each other in one step before we call it a loop.
const MAX_INSTANT_STEPS: usize = 1000;

impl Director {
    pub fn new(story: Arc<Story>) -> Self {
        let vars = story.variables.iter().map(|v| v.initial.clone()).collect();
        let answered_at = vec![None; story.answers.len()];
        Self {
            answering: None,
            queued_answer: None,
            pending: None,
            answered_at,
            node: story.start,
            story,
            lang: LangId(0),
            clip_seconds: HashMap::new(),
            phase: Phase::Idle,
            held: false,
            session_time: 0.0,
            story_time: 0.0,
            place: None,
            last_line: None,
            vars,
            world: WorldState::default(),
            lead: None,
            lead_paused_for: 0.0,
            in_calm_place: false,
            resume_at: None,
            time_limit: None,
            wound_down: false,
            trace: None,
            offered: Vec::new(),
            candles_lit_by_cue: false,
        }
    }

    /// Begins the ending by itself once the session has lasted `seconds` (the
    /// session clock: time held counts too).
    pub fn set_time_limit(&mut self, seconds: Option<f64>) {
        self.time_limit = seconds;
    }

    pub fn story(&self) -> &Arc<Story> {
        &self.story
    }

    /// From now on, remembers every node entered (see [`Director::take_entered`]).
    pub fn trace_entered(&mut self) {
        self.trace.get_or_insert_with(Vec::new);
    }

    /// The nodes entered since the last call, in order (empty unless tracing),
    /// including those that take no time (a `Set`, a `Cue`, a `Branch`).
    pub fn take_entered(&mut self) -> Vec<NodeId> {
        self.trace.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// The lasting state of the participant's world (hand, things held, in sockets,
    /// burning), as [`Cue::WorldAsRehearsed`] carries it.
    pub fn rehearsed_world(&self) -> super::RehearsedWorld {
        self.world.rehearsed()
    }

    /// Goes to `node` in the state `rehearsed` (this story played up to it) has
    /// there: its variables, its place, and the lasting state of its world (the hand
    /// held, things held, set in sockets, lit). The place is entered anew, with
    /// [`Cue::WorldAsRehearsed`] for the world to set it as the playthrough left it.
    /// The clocks, the language and a hold stay this director's own.
    pub fn continue_from(&mut self, rehearsed: &Director, node: NodeId) -> Vec<Cue> {
        let mut cues = Vec::new();
        if node.index() >= self.story.nodes.len()
            || self.story.is_answer_line(node)
            || self.phase == Phase::Ended
        {
            return cues;
        }
        self.interrupt(&mut cues);
        self.vars = rehearsed.vars.clone();
        self.world = WorldState::continued(&rehearsed.world);
        self.place = rehearsed.place;
        self.last_line = None;
        self.lead = None;
        self.lead_paused_for = 0.0;
        self.resume_at = None;
        self.in_calm_place = false;
        if let Some(p) = self.place {
            cues.push(Cue::EnterPlace { place: p });
            cues.push(Cue::WorldAsRehearsed(self.world.rehearsed()));
            // A hand held was a hand she held out: she holds it out again to be taken.
            if let Some(a) = self.world.hand_held_by {
                cues.push(Cue::World(WorldCue::OfferHand(a)));
            }
        } else {
            // Before the first place: the world is as it starts.
            self.world = WorldState::default();
        }
        self.enter(node, &mut cues);
        cues
    }

    /// Where a session that stopped here goes on ([`Input::Resumed`]): the line an
    /// exit interrupted, else the node the story is at (a line is said again from
    /// its start, even in the pause after it; a wait begins again with its whole
    /// timeout; a transition plays again from the place it left). `None` when the
    /// story has ended.
    pub fn resume_point(&self) -> Option<NodeId> {
        match self.phase {
            Phase::Ended => None,
            _ if self.resume_at.is_some() => self.resume_at,
            // Not started (an exit mid-line leaves the phase idle, with `resume_at`).
            Phase::Idle => Some(self.story.start),
            _ => Some(self.node),
        }
    }

    /// Goes on after the session stopped without an end: the last beat entered again
    /// in this director's own state (see [`Director::resume_point`]). In the calm
    /// place it stays there, held, as it was.
    fn resume_after_stop(&mut self, cues: &mut Vec<Cue>) {
        if self.phase == Phase::Idle && self.resume_at.is_none() && !self.in_calm_place {
            self.enter(self.story.start, cues);
            return;
        }
        if self.in_calm_place {
            // The place behind the calm one, set as it was, for when the story resumes.
            if let Some(place) = self.place {
                cues.push(Cue::EnterPlace { place });
                cues.push(Cue::WorldAsRehearsed(self.world.rehearsed()));
            }
            cues.push(Cue::SafeExit);
            return;
        }
        let Some(node) = self.resume_point() else {
            return;
        };
        let before = self.clone();
        // Nothing is on stage in a new process: nothing to stop or end first.
        self.phase = Phase::Idle;
        let held = self.world.hand_held_by;
        let mut again = self.continue_from(&before, node);
        // Hands she held out are held out again (a held one already is), before the
        // beat is entered again.
        let offers = before.offered.iter().filter(|a| Some(**a) != held);
        let at = again
            .iter()
            .position(|c| matches!(c, Cue::WorldAsRehearsed(_)))
            .map_or(0, |i| i + 1);
        // Candles the story lit whose flames the world had not reported yet burn in
        // the place as it is set again (for the world and the stand-in alike).
        if before.candles_lit_by_cue && !before.world.lit && !before.world.blown_out {
            for c in &mut again {
                if let Cue::WorldAsRehearsed(w) = c {
                    w.candles_lit = true;
                }
            }
        }
        again.splice(at..at, offers.map(|a| Cue::World(WorldCue::OfferHand(*a))));
        cues.extend(again);
    }

    /// The cues that start `line` (of `node`): where the speaker looks, her face and
    /// gesture, then the line itself. Returns its length in seconds. Story nodes and
    /// answers both start their lines here.
    pub(super) fn say_line(&self, node: NodeId, line: &Line, cues: &mut Vec<Cue>) -> f32 {
        if let Some(look) = &line.look_at {
            cues.push(Cue::LookAt(line.speaker, look.clone()));
        }
        if let Some(e) = line.expression {
            cues.push(Cue::Expression(line.speaker, e));
        }
        if let Some(g) = line.gesture {
            cues.push(Cue::Gesture(line.speaker, g));
        }
        let seconds = self.line_length(node, line);
        cues.push(Cue::Say {
            node,
            speaker: line.speaker,
            seconds,
        });
        seconds
    }

    /// The language whose text sets line timing when there is no clip.
    pub fn set_language(&mut self, lang: LangId) {
        self.lang = lang;
    }

    pub fn language(&self) -> LangId {
        self.lang
    }

    /// Tells the director how long a line's clip is in a language, overriding the
    /// length the checker read from the file (the audio side may know better, e.g.
    /// from the decoded clip). Forgotten when the story is reloaded.
    pub fn set_clip_seconds(&mut self, node: NodeId, lang: LangId, seconds: f32) {
        self.clip_seconds.insert((node, lang), seconds);
    }

    /// How long the line at `node` lasts in the current language: its clip's length
    /// (as set by [`Director::set_clip_seconds`], else as the checker read it), else
    /// an estimate from its text ([`line_seconds`]).
    pub(super) fn line_length(&self, node: NodeId, line: &Line) -> f32 {
        self.clip_seconds
            .get(&(node, self.lang))
            .copied()
            .or_else(|| line.clip_seconds.get(self.lang.index()).copied().flatten())
            .unwrap_or_else(|| line_seconds(&line.text[self.lang.index()]))
    }

    pub fn node(&self) -> NodeId {
        self.node
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn is_held(&self) -> bool {
        self.held
    }

    pub fn is_ended(&self) -> bool {
        self.phase == Phase::Ended
    }

    pub fn place(&self) -> Option<PlaceId> {
        self.place
    }

    /// Seconds since the session started (runs while held).
    pub fn session_time(&self) -> f64 {
        self.session_time
    }

    /// Seconds of story played (stops while held).
    pub fn story_time(&self) -> f64 {
        self.story_time
    }

    pub fn var(&self, var: VarId) -> &Value {
        &self.vars[var.index()]
    }

    /// Whether the participant is holding someone's hand.
    pub fn hand_held_by(&self) -> Option<ActorId> {
        self.world.hand_held_by
    }

    /// Whom the participant is looking at, as the world last reported.
    pub fn looking_at(&self) -> Option<ActorId> {
        self.world.gaze.last().map(|(_, actor, _)| *actor)
    }

    /// When (story time) the participant last finished saying something.
    pub fn participant_spoke_at(&self) -> Option<f64> {
        self.world.spoke_at
    }

    /// Who spoke last, when there are several participants (`None` for the only
    /// participant, or before anyone spoke), and when (story seconds).
    pub fn last_speaker(&self) -> Option<(&str, f64)> {
        match &self.world.speaker {
            Some((Some(who), at)) => Some((who.as_str(), *at)),
            _ => None,
        }
    }

    /// Whose hand holds hers, by name, in a session of several.
    pub fn hand_holder(&self) -> Option<&str> {
        self.world.hand_holder.as_deref()
    }

    /// She holds one hand at a time: while a participant named in the session holds
    /// her hand, another's grip (or letting go) is not theirs to make. The holder's
    /// name when `by`'s `event` is such a one. Acts by no one in particular (the only
    /// participant of a rehearsal, the facilitator) are never refused.
    pub fn hand_taken_by_another(&self, by: &str, event: &StoryEvent) -> Option<&str> {
        if !matches!(event, StoryEvent::HandHeld(_) | StoryEvent::HandReleased) {
            return None;
        }
        self.world.hand_held_by?;
        self.hand_holder().filter(|holder| *holder != by)
    }

    /// Story seconds left before the current wait times out.
    pub fn wait_remaining(&self) -> Option<f64> {
        match self.phase {
            Phase::Waiting {
                deadline: Some(d), ..
            } => Some((d - self.story_time).max(0.0)),
            _ => None,
        }
    }

    /// Starts the story at its start node.
    pub fn start(&mut self) -> Vec<Cue> {
        let mut cues = Vec::new();
        if self.phase == Phase::Idle {
            self.enter(self.story.start, &mut cues);
        }
        cues
    }

    /// A lead whose hand let go waits for it, her hand held out, for
    /// [`LEAD_WAITS_FOR_HAND`] seconds of story time; then she lowers it and the lead
    /// goes on without it, so a participant who cannot take it again is never left in
    /// a story that stands still.
    fn wait_for_the_hand(&mut self, dt: f64, cues: &mut Vec<Cue>) {
        let Some((actor, true)) = self.lead else {
            return;
        };
        self.lead_paused_for += dt;
        if self.lead_paused_for >= LEAD_WAITS_FOR_HAND {
            self.lead = Some((actor, false));
            self.offered.retain(|o| *o != actor);
            cues.push(Cue::World(WorldCue::LetGo(actor)));
        }
    }

    /// Takes one input and says what the world must do.
    pub fn handle(&mut self, input: Input) -> Vec<Cue> {
        let mut cues = Vec::new();
        match input {
            Input::Tick(dt) => {
                let dt = f64::from(dt.max(0.0));
                self.session_time += dt;
                if !self.held {
                    self.story_time += dt;
                    self.wait_for_the_hand(dt, &mut cues);
                    if let Phase::Transition { remaining, .. } = &mut self.phase
                        && !matches!(self.lead, Some((_, true)))
                    {
                        *remaining -= dt;
                    }
                }
            }
            Input::Event(e) => self.observe(e, None, &mut cues),
            Input::EventBy { by, event } => self.observe(event, Some(by), &mut cues),
            Input::Operator(cmd) => self.command(cmd, &mut cues),
            Input::Resumed => self.resume_after_stop(&mut cues),
        }
        if !self.held {
            if let Some(line) = self.resume_at.take() {
                self.enter(line, &mut cues);
            }
            self.advance(&mut cues);
        }
        if let Some(limit) = self.time_limit
            && !self.wound_down
            && self.session_time >= limit
            && self.phase != Phase::Ended
            && !self.in_calm_place
        {
            self.wound_down = true;
            cues.push(Cue::WindDown);
            self.command(OperatorCommand::EndGently, &mut cues);
        }
        cues
    }

    fn observe(&mut self, e: StoryEvent, who: Option<String>, cues: &mut Vec<Cue>) {
        let now = self.story_time;
        let w = &mut self.world;
        match e {
            StoryEvent::HandHeld(a) => {
                w.hand_held_by = Some(a);
                w.hand_holder = who;
                if let Some((lead_actor, released)) = &mut self.lead
                    && *released
                    && *lead_actor == a
                {
                    *released = false;
                    cues.push(Cue::LeadResumed(a));
                }
            }
            StoryEvent::HandReleased => {
                w.hand_held_by = None;
                w.hand_holder = None;
                if let Some((a, released)) = &mut self.lead
                    && !*released
                {
                    *released = true;
                    self.lead_paused_for = 0.0;
                    cues.push(Cue::LeadPaused(*a));
                }
            }
            StoryEvent::LineFinished(node) => {
                self.answer_line_finished(node);
                if node == self.node
                    && let Phase::Speaking { until, .. } = &mut self.phase
                {
                    *until = until.min(now);
                }
            }
            StoryEvent::ParticipantExit => self.safe_exit(cues),
            StoryEvent::ParticipantSaid { text, confidence } => {
                w.speaker = Some((who, now));
                let intents = heard_intents(&self.story, &text, confidence);
                let text = self.story.record_speech().then_some(text);
                self.hear(text, confidence, intents, cues);
            }
            StoryEvent::IntentsHeard {
                confidence,
                intents,
            } => {
                w.speaker = Some((who, now));
                self.hear(None, confidence, intents, cues)
            }
            StoryEvent::Touched(actor, zone) => {
                w.record(StoryEvent::Touched(actor, zone), who, now);
                self.answer_touch(actor, zone, cues);
            }
            StoryEvent::TransitionFinished => {
                if let Phase::Transition { remaining, .. } = &mut self.phase
                    && self.lead.is_none_or(|(_, released)| !released)
                {
                    *remaining = 0.0;
                }
            }
            fact => w.record(fact, who, now),
        }
    }

    fn command(&mut self, cmd: OperatorCommand, cues: &mut Vec<Cue>) {
        if self.phase == Phase::Ended {
            return;
        }
        match cmd {
            OperatorCommand::Hold => {
                if !self.held {
                    self.held = true;
                    cues.push(Cue::Held);
                }
            }
            OperatorCommand::Resume => {
                if self.held {
                    self.held = false;
                    self.in_calm_place = false;
                    cues.push(Cue::Resumed);
                }
            }
            OperatorCommand::StopNow => self.safe_exit(cues),
            OperatorCommand::SayAnswer(a) => {
                if a.index() < self.story.answers.len() {
                    self.ask_answer(a, true, true, cues);
                }
            }
            OperatorCommand::DeclareHeard(i) => self.declare_heard(i, cues),
            OperatorCommand::ConfirmAnswer => self.settle_pending(true, cues),
            OperatorCommand::DismissAnswer => self.settle_pending(false, cues),
            OperatorCommand::SkipLine if self.answering.is_some() => {
                // Skipping an answer ends it; the story goes on where it was.
                self.end_answer(true, cues);
            }
            OperatorCommand::RepeatLine => {
                if let Some(line) = self.last_line {
                    self.interrupt(cues);
                    self.enter(line, cues);
                }
            }
            OperatorCommand::SkipLine => match self.phase.clone() {
                Phase::Speaking { .. } => {
                    cues.push(Cue::StopLine { node: self.node });
                    self.phase = Phase::Pausing {
                        until: self.story_time,
                    };
                }
                Phase::Pausing { .. } => {
                    self.phase = Phase::Pausing {
                        until: self.story_time,
                    };
                }
                Phase::Waiting { .. } => {
                    if let NodeKind::Wait { next, .. } = self.story.node(self.node).kind {
                        cues.push(Cue::WaitMet { node: self.node });
                        self.enter(next, cues);
                    }
                }
                Phase::Transition { .. } => {
                    self.phase = Phase::Transition {
                        remaining: 0.0,
                        place: self.pending_place(),
                    };
                    self.lead = None;
                }
                Phase::Idle | Phase::Ended => {}
            },
            OperatorCommand::JumpTo(node) => {
                // An answer's line is no place in the flow to go to.
                if node.index() < self.story.nodes.len() && !self.story.is_answer_line(node) {
                    self.interrupt(cues);
                    self.jump(node, cues);
                }
            }
            OperatorCommand::EndGently => {
                let Some(ending) = self.story.ending else {
                    self.interrupt(cues);
                    self.phase = Phase::Ended;
                    cues.push(Cue::Ended { node: self.node });
                    return;
                };
                if !self.is_past(ending) {
                    self.interrupt(cues);
                    self.jump(ending, cues);
                }
                if self.held {
                    self.held = false;
                    cues.push(Cue::Resumed);
                }
            }
        }
    }

    /// The participant is taken to the calm place and the story holds. Works in every
    /// phase, and more than once.
    fn safe_exit(&mut self, cues: &mut Vec<Cue>) {
        if self.phase == Phase::Ended {
            return;
        }
        self.end_answer(true, cues);
        self.queued_answer = None;
        if matches!(self.phase, Phase::Speaking { .. }) {
            cues.push(Cue::StopLine { node: self.node });
            // The line is said again from the start on resuming.
            if let Some(line) = self.last_line {
                self.phase = Phase::Idle;
                self.node = line;
                self.resume_at = Some(line);
            }
        }
        if !self.in_calm_place {
            self.in_calm_place = true;
            cues.push(Cue::SafeExit);
        }
        if !self.held {
            self.held = true;
            cues.push(Cue::Held);
        }
    }

    /// Whether the participant is in the calm place.
    pub fn in_calm_place(&self) -> bool {
        self.in_calm_place
    }

    /// Whether the story is already at `node` or beyond it in file order (so "end
    /// gently" does not start the goodbye over).
    fn is_past(&self, node: NodeId) -> bool {
        self.node >= node && self.phase != Phase::Idle
    }

    fn pending_place(&self) -> PlaceId {
        match self.phase {
            Phase::Transition { place, .. } => place,
            _ => self.place.unwrap_or(PlaceId(0)),
        }
    }

    /// Stops what is in progress before a jump.
    fn interrupt(&mut self, cues: &mut Vec<Cue>) {
        self.end_answer(true, cues);
        self.queued_answer = None;
        match self.phase {
            Phase::Speaking { .. } => cues.push(Cue::StopLine { node: self.node }),
            Phase::Transition { place, .. } => {
                self.place = Some(place);
                self.lead = None;
                self.world.clear_things();
                self.candles_lit_by_cue = false;
                cues.push(Cue::TransitionEnded { place });
            }
            _ => {}
        }
    }

    /// Goes to a node from anywhere, putting the participant in its place first.
    fn jump(&mut self, node: NodeId, cues: &mut Vec<Cue>) {
        if let Some(p) = self.story.node_place[node.index()]
            && self.place != Some(p)
            && !matches!(self.story.node(node).kind, NodeKind::Go { .. })
        {
            self.place = Some(p);
            self.world.clear_things();
            self.candles_lit_by_cue = false;
            cues.push(Cue::EnterPlace { place: p });
        }
        self.enter(node, cues);
    }

    /// Enters a node and passes through nodes that take no time.
    fn enter(&mut self, first: NodeId, cues: &mut Vec<Cue>) {
        let story = Arc::clone(&self.story);
        let mut id = first;
        for _ in 0..MAX_INSTANT_STEPS {
            self.node = id;
            if let Some(trace) = &mut self.trace {
                trace.push(id);
            }
            let now = self.story_time;
            match &story.node(id).kind {
                NodeKind::Say(line) => {
                    self.last_line = Some(id);
                    let seconds = self.say_line(id, line, cues);
                    self.phase = Phase::Speaking {
                        until: now + f64::from(seconds),
                        pause: line.pause,
                    };
                    return;
                }
                NodeKind::Wait { timeout, .. } => {
                    cues.push(Cue::Waiting {
                        node: id,
                        timeout: *timeout,
                    });
                    self.phase = Phase::Waiting {
                        since: now,
                        deadline: timeout.map(|t| now + f64::from(t)),
                    };
                    // A condition already true is met at once.
                    self.check_wait(cues);
                    return;
                }
                NodeKind::Pause { seconds, .. } => {
                    self.phase = Phase::Pausing {
                        until: now + f64::from(*seconds),
                    };
                    return;
                }
                NodeKind::Branch {
                    var,
                    equals,
                    then,
                    otherwise,
                } => {
                    id = if &self.vars[var.index()] == equals {
                        *then
                    } else {
                        *otherwise
                    };
                }
                NodeKind::Set { var, value, next } => {
                    self.vars[var.index()] = value.clone();
                    cues.push(Cue::VarSet {
                        var: *var,
                        value: value.clone(),
                    });
                    id = *next;
                }
                NodeKind::Cue { world, next } => {
                    for c in world {
                        match c {
                            WorldCue::OfferHand(a) if !self.offered.contains(a) => {
                                self.offered.push(*a);
                            }
                            WorldCue::LetGo(a) => self.offered.retain(|o| o != a),
                            WorldCue::LightCandles => self.candles_lit_by_cue = true,
                            _ => {}
                        }
                        cues.push(Cue::World(c.clone()));
                    }
                    id = *next;
                }
                NodeKind::Go {
                    place, transition, ..
                } => {
                    if self.place.is_none() && self.phase == Phase::Idle {
                        // The very first place: nothing to leave, just fade in.
                        cues.push(Cue::EnterPlace { place: *place });
                    }
                    cues.push(Cue::StartTransition {
                        place: *place,
                        transition: transition.clone(),
                    });
                    self.lead = match transition {
                        Transition::LeadByHand { actor, .. } => {
                            Some((*actor, self.world.hand_held_by != Some(*actor)))
                        }
                        _ => None,
                    };
                    if let Some((actor, true)) = self.lead {
                        self.lead_paused_for = 0.0;
                        cues.push(Cue::LeadPaused(actor));
                    }
                    self.phase = Phase::Transition {
                        remaining: f64::from(transition.seconds()),
                        place: *place,
                    };
                    return;
                }
                NodeKind::End { .. } => {
                    self.phase = Phase::Ended;
                    cues.push(Cue::Ended { node: id });
                    return;
                }
            }
        }
        self.phase = Phase::Ended;
        cues.push(Cue::Stuck {
            node: id,
            reason: "too many nodes in a row that take no time (a loop?)".into(),
        });
    }

    /// Moves on when the current phase is over.
    fn advance(&mut self, cues: &mut Vec<Cue>) {
        // A few passes, in case a phase ends exactly when the next begins.
        for _ in 0..8 {
            // An answer holds the flow until it is over.
            if self.advance_answers(cues) {
                return;
            }
            let now = self.story_time;
            match self.phase.clone() {
                Phase::Speaking { until, pause } if now >= until => {
                    self.phase = Phase::Pausing {
                        until: until + f64::from(pause),
                    };
                }
                Phase::Pausing { until } if now >= until => {
                    let next = match &self.story.node(self.node).kind {
                        NodeKind::Say(line) => line.next,
                        NodeKind::Pause { next, .. } => *next,
                        _ => return,
                    };
                    self.enter(next, cues);
                }
                Phase::Waiting { .. } => {
                    if !self.check_wait(cues) {
                        return;
                    }
                }
                Phase::Transition { remaining, place } if remaining <= 0.0 => {
                    self.place = Some(place);
                    self.lead = None;
                    self.world.clear_things();
                    self.candles_lit_by_cue = false;
                    cues.push(Cue::TransitionEnded { place });
                    let NodeKind::Go { next, .. } = self.story.node(self.node).kind else {
                        return;
                    };
                    self.enter(next, cues);
                }
                _ => return,
            }
        }
    }

    /// Ends the wait if its condition is met or it timed out; true if it did.
    fn check_wait(&mut self, cues: &mut Vec<Cue>) -> bool {
        let Phase::Waiting { since, deadline } = self.phase else {
            return false;
        };
        let story = Arc::clone(&self.story);
        let NodeKind::Wait {
            until,
            on_timeout,
            next,
            ..
        } = &story.node(self.node).kind
        else {
            return false;
        };
        if self
            .world
            .met(until, since, self.story_time, &story, self.place)
        {
            cues.push(Cue::WaitMet { node: self.node });
            self.enter(*next, cues);
            true
        } else if deadline.is_some_and(|d| self.story_time >= d) {
            cues.push(Cue::WaitTimedOut { node: self.node });
            self.enter(*on_timeout, cues);
            true
        } else {
            false
        }
    }

    /// Swaps in a new version of the story (hot reload). The director keeps its place
    /// when the current node still exists by id, and starts the node over; otherwise it
    /// stays where it is in time but goes to the new story's start. Returns the cues of
    /// re-entering.
    pub fn reload(&mut self, story: Arc<Story>) -> Vec<Cue> {
        let mut cues = Vec::new();
        let current = self.story.node(self.node).id.clone();
        let old_vars: HashMap<String, Value> = self
            .story
            .variables
            .iter()
            .zip(&self.vars)
            .map(|(v, val)| (v.id.clone(), val.clone()))
            .collect();
        let was_idle = self.phase == Phase::Idle;
        let was_ended = self.phase == Phase::Ended;
        self.interrupt(&mut cues);
        self.vars = story
            .variables
            .iter()
            .map(|v| old_vars.get(&v.id).cloned().unwrap_or(v.initial.clone()))
            .collect();
        self.clip_seconds.clear();
        self.pending = None;
        self.answered_at = vec![None; story.answers.len()];
        self.place = self
            .place
            .and_then(|p| story.place_id(&self.story.place(p).id));
        self.last_line = None;
        self.lead = None;
        let target = story.node_id(&current);
        self.story = story;
        if was_idle || was_ended {
            self.node = target.unwrap_or(self.story.start);
            return cues;
        }
        let target = target.unwrap_or(self.story.start);
        if let Some(p) = self.place {
            self.world.clear_things();
            self.candles_lit_by_cue = false;
            cues.push(Cue::EnterPlace { place: p });
        }
        self.jump(target, &mut cues);
        cues
    }
}
