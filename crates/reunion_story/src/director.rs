//! The director: the story's state machine.
//!
//! `Director::handle(input) -> Vec<Cue>`. Inputs are the passing of time, story events
//! from the world (a hand taken, a candle placed, a line finished) and operator
//! commands; cues are what the world must do (say a line, start a transition, light the
//! candles, end). The director knows nothing of Bevy, audio or headsets, and given the
//! same inputs it gives the same cues: a session can be replayed from its log.
//!
//! Time: the director keeps two clocks. The session clock always runs; the story clock
//! stops while the operator holds the story, so a held line, wait or transition
//! resumes where it was. Every timer is on the story clock.
//!
//! No wait with a timeout can block forever: the timeout is checked on every tick.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::story::*;

/// How long a lead by the hand waits, her hand held out, for a hand that let go
/// (seconds of story time) before it goes on without it.
pub const LEAD_WAITS_FOR_HAND: f64 = 20.0;

/// Something the world tells the director.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StoryEvent {
    /// The participant took `actor`'s hand.
    HandHeld(ActorId),
    /// The participant's hand let go.
    HandReleased,
    /// The participant is now looking at `actor` (or at no one).
    GazeOn(Option<ActorId>),
    /// The participant's head is `meters` from `actor`.
    Distance(ActorId, f32),
    /// A candle went into a socket.
    CandlePlaced(u8),
    /// Every socket holds a candle.
    AllCandlesPlaced,
    /// The candles are burning.
    CandlesLit,
    /// The candles went out.
    CandlesBlownOut,
    /// The participant finished saying something.
    ParticipantSpoke,
    /// The participant touched `actor` at a zone.
    Touched(ActorId, TouchZone),
    /// The operator fired a named cue.
    OperatorCue(String),
    /// The voice clip of the line at `node` finished playing.
    LineFinished(NodeId),
    /// The transition in progress finished on screen.
    TransitionFinished,
    /// The participant asked to leave (the exit gesture, a controller button, a key).
    ParticipantExit,
}

/// What the operator asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum OperatorCommand {
    /// Freeze the story clock.
    Hold,
    /// Let it run again.
    Resume,
    /// Say the last line again.
    RepeatLine,
    /// Finish what is happening now (line, pause, wait, transition) and go on.
    SkipLine,
    /// Go straight to a node.
    JumpTo(NodeId),
    /// Go to the story's ending: she says goodbye and the ending plays.
    EndGently,
    /// Fade to the calm place at once and hold the story.
    StopNow,
}

/// An input to the director.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
    /// `seconds` of time passed.
    Tick(f32),
    Event(StoryEvent),
    Operator(OperatorCommand),
}

/// What the world must do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cue {
    /// `speaker` says the line of `node`; it takes about `seconds` (the world may
    /// report [`StoryEvent::LineFinished`] sooner).
    Say {
        node: NodeId,
        speaker: ActorId,
        seconds: f32,
    },
    /// Stop the line of `node` now (skipped or interrupted).
    StopLine {
        node: NodeId,
    },
    Gesture(ActorId, Gesture),
    Expression(ActorId, Expression),
    LookAt(ActorId, LookTarget),
    /// Start moving to `place` with `transition` (its seconds are the director's).
    StartTransition {
        place: PlaceId,
        transition: Transition,
    },
    /// Show `place` at once (the first place, or after an operator jump).
    EnterPlace {
        place: PlaceId,
    },
    /// The transition is over: `place` is the current place.
    TransitionEnded {
        place: PlaceId,
    },
    /// A lead by the hand paused because the hand let go; she offers it again.
    LeadPaused(ActorId),
    /// The hand is held again; the lead goes on.
    LeadResumed(ActorId),
    /// A request from a `Cue` node.
    World(WorldCue),
    /// Waiting at `node` (for the console and the participant stand-ins).
    Waiting {
        node: NodeId,
        timeout: Option<f32>,
    },
    /// A wait was met.
    WaitMet {
        node: NodeId,
    },
    /// A wait ran out of time.
    WaitTimedOut {
        node: NodeId,
    },
    /// A variable changed.
    VarSet {
        var: VarId,
        value: Value,
    },
    Held,
    Resumed,
    /// Fade to the calm place and stay there (the participant's exit, or "stop now");
    /// the story is held. Resuming leaves the calm place.
    SafeExit,
    /// The session's time limit is near: the ending begins.
    WindDown,
    /// The story is over.
    Ended {
        node: NodeId,
    },
    /// The story cannot go on (a loop of nodes that never wait).
    Stuck {
        node: NodeId,
        reason: String,
    },
}

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

/// What the world is like, as far as conditions care.
#[derive(Clone, Debug, Default)]
struct WorldState {
    hand_held_by: Option<ActorId>,
    gaze: Option<(ActorId, f64)>,
    distance: HashMap<ActorId, f32>,
    candles_placed: u32,
    last_candle_at: Option<f64>,
    all_placed: bool,
    lit: bool,
    blown_out: bool,
    spoke_at: Option<f64>,
    touches: Vec<(ActorId, TouchZone, f64)>,
    operator_cues: Vec<(String, f64)>,
}

/// The story's state machine. See the module docs.
#[derive(Clone, Debug)]
pub struct Director {
    story: Arc<Story>,
    lang: LangId,
    /// Clip lengths by (node, language) set by the audio side, over the story's own.
    clip_seconds: HashMap<(NodeId, LangId), f32>,
    node: NodeId,
    phase: Phase,
    held: bool,
    session_time: f64,
    story_time: f64,
    place: Option<PlaceId>,
    last_line: Option<NodeId>,
    vars: Vec<Value>,
    world: WorldState,
    /// During a LeadByHand transition: who leads, and whether the hand let go.
    lead: Option<(ActorId, bool)>,
    /// Story seconds the lead has waited for the hand since it let go.
    lead_paused_for: f64,
    /// In the calm place after an exit or "stop now".
    in_calm_place: bool,
    /// A line interrupted by an exit, said again on resuming.
    resume_at: Option<NodeId>,
    /// Session seconds after which the ending begins by itself.
    time_limit: Option<f64>,
    wound_down: bool,
}

/// How many instant nodes may follow each other in one step before we call it a loop.
const MAX_INSTANT_STEPS: usize = 1000;

impl Director {
    pub fn new(story: Arc<Story>) -> Self {
        let vars = story.variables.iter().map(|v| v.initial.clone()).collect();
        Self {
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
    fn line_length(&self, node: NodeId, line: &Line) -> f32 {
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
            Input::Event(e) => self.observe(e, &mut cues),
            Input::Operator(cmd) => self.command(cmd, &mut cues),
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

    fn observe(&mut self, e: StoryEvent, cues: &mut Vec<Cue>) {
        let now = self.story_time;
        let w = &mut self.world;
        match e {
            StoryEvent::HandHeld(a) => {
                w.hand_held_by = Some(a);
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
                if let Some((a, released)) = &mut self.lead
                    && !*released
                {
                    *released = true;
                    self.lead_paused_for = 0.0;
                    cues.push(Cue::LeadPaused(*a));
                }
            }
            StoryEvent::GazeOn(a) => {
                if w.gaze.map(|(g, _)| g) != a {
                    w.gaze = a.map(|a| (a, now));
                }
            }
            StoryEvent::Distance(a, m) => {
                w.distance.insert(a, m);
            }
            StoryEvent::CandlePlaced(_) => {
                w.candles_placed += 1;
                w.last_candle_at = Some(now);
            }
            StoryEvent::AllCandlesPlaced => w.all_placed = true,
            StoryEvent::CandlesLit => {
                w.lit = true;
                w.blown_out = false;
            }
            StoryEvent::CandlesBlownOut => {
                w.lit = false;
                w.blown_out = true;
            }
            StoryEvent::ParticipantSpoke => w.spoke_at = Some(now),
            StoryEvent::Touched(a, z) => w.touches.push((a, z, now)),
            StoryEvent::OperatorCue(name) => w.operator_cues.push((name, now)),
            StoryEvent::LineFinished(node) => {
                if node == self.node
                    && let Phase::Speaking { until, .. } = &mut self.phase
                {
                    *until = until.min(now);
                }
            }
            StoryEvent::ParticipantExit => self.safe_exit(cues),
            StoryEvent::TransitionFinished => {
                if let Phase::Transition { remaining, .. } = &mut self.phase
                    && self.lead.is_none_or(|(_, released)| !released)
                {
                    *remaining = 0.0;
                }
            }
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
                if node.index() < self.story.nodes.len() {
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
        match self.phase {
            Phase::Speaking { .. } => cues.push(Cue::StopLine { node: self.node }),
            Phase::Transition { place, .. } => {
                self.place = Some(place);
                self.lead = None;
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
            let now = self.story_time;
            match &story.node(id).kind {
                NodeKind::Say(line) => {
                    self.last_line = Some(id);
                    if let Some(look) = &line.look_at {
                        cues.push(Cue::LookAt(line.speaker, look.clone()));
                    }
                    if let Some(e) = line.expression {
                        cues.push(Cue::Expression(line.speaker, e));
                    }
                    if let Some(g) = line.gesture {
                        cues.push(Cue::Gesture(line.speaker, g));
                    }
                    let seconds = self.line_length(id, line);
                    cues.push(Cue::Say {
                        node: id,
                        speaker: line.speaker,
                        seconds,
                    });
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
        if self.met(until, since) {
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

    fn met(&self, c: &Condition, since: f64) -> bool {
        let w = &self.world;
        let now = self.story_time;
        match c {
            Condition::HandHeld(a) => w.hand_held_by == Some(*a),
            Condition::HandReleased => w.hand_held_by.is_none(),
            Condition::GazeHeld { on, seconds } => w
                .gaze
                .is_some_and(|(g, from)| g == *on && now - from >= f64::from(*seconds) - 1e-6),
            Condition::Near { to, within } => w.distance.get(to).is_some_and(|d| d <= within),
            Condition::CandlePlaced => w.last_candle_at.is_some_and(|t| t >= since),
            Condition::AllCandlesPlaced => w.all_placed,
            Condition::CandlesLit => w.lit,
            Condition::CandlesBlownOut => w.blown_out,
            Condition::ParticipantSpoke => w.spoke_at.is_some_and(|t| t >= since),
            Condition::Touched { actor, zone } => w
                .touches
                .iter()
                .any(|(a, z, t)| a == actor && z == zone && *t >= since),
            Condition::OperatorCue(name) => w
                .operator_cues
                .iter()
                .any(|(n, t)| n == name && *t >= since),
            Condition::Any(list) => list.iter().any(|c| self.met(c, since)),
            Condition::All(list) => list.iter().all(|c| self.met(c, since)),
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
            cues.push(Cue::EnterPlace { place: p });
        }
        self.jump(target, &mut cues);
        cues
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{MemFiles, STORY_FILE, load};
    use std::path::{Path, PathBuf};

    const SCENE: &str = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
        "cake": (is: Cake(candle_sockets: 3), at: (0.0, 0.5, -1.0)),
    },
)"#;

    fn story(nodes: &str) -> Arc<Story> {
        story_with_clips(nodes, &[])
    }

    /// The test story, with voice clips (path in the story folder, bytes).
    fn story_with_clips(nodes: &str, clips: &[(&str, Vec<u8>)]) -> Arc<Story> {
        let text = format!(
            r#"(
    format: 1, title: "T", languages: ["en"],
    cast: {{ "nayeon": (name: {{ "en": "Nayeon" }}) }},
    places: {{ "park": "park.scene.ron", "room": "park.scene.ron" }},
    start: "arrive",
    ending: "bye",
    variables: {{ "held": false }},
    nodes: {{
        "arrive": Go(place: "park", transition: Fade(seconds: 2.0)),
        {nodes}
        "bye": Say(speaker: "nayeon", text: {{ "en": "Bye, Mommy." }}),
        "end": End(),
    }},
)"#
        );
        let mut files = MemFiles::default();
        files.files.insert(PathBuf::from(STORY_FILE), text);
        files
            .files
            .insert(PathBuf::from("park.scene.ron"), SCENE.to_owned());
        for (path, bytes) in clips {
            files.bytes.insert(PathBuf::from(path), bytes.clone());
        }
        let loaded = load(&files, Path::new(STORY_FILE), Path::new(""));
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        Arc::new(loaded.story.expect("story"))
    }

    /// Ticks in 1/90 s steps for `seconds`, collecting cues.
    fn run(d: &mut Director, seconds: f32) -> Vec<Cue> {
        let mut out = Vec::new();
        let steps = (seconds * 90.0).round() as usize;
        for _ in 0..steps {
            out.extend(d.handle(Input::Tick(1.0 / 90.0)));
        }
        out
    }

    fn said(cues: &[Cue], story: &Story) -> Vec<String> {
        cues.iter()
            .filter_map(|c| match c {
                Cue::Say { node, .. } => Some(story.node(*node).id.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn starts_by_entering_the_first_place_then_speaks_after_the_fade() {
        let s = story(r#""hello": Say(speaker: "nayeon", text: { "en": "Mommy?" }, next: "bye"),"#);
        let mut d = Director::new(s.clone());
        let cues = d.start();
        assert!(matches!(cues[0], Cue::EnterPlace { place: PlaceId(0) }));
        assert!(matches!(cues[1], Cue::StartTransition { .. }));
        let cues = run(&mut d, 1.9);
        assert!(said(&cues, &s).is_empty());
        let cues = run(&mut d, 0.2);
        assert_eq!(said(&cues, &s), ["hello"]);
    }

    /// The story time at which each line began, by node id.
    fn line_starts(d: &mut Director, seconds: f32) -> Vec<(String, f64)> {
        let mut out = Vec::new();
        for _ in 0..(seconds * 90.0).round() as usize {
            for c in d.handle(Input::Tick(1.0 / 90.0)) {
                if let Cue::Say { node, .. } = c {
                    out.push((d.story().node(node).id.clone(), d.story_time()));
                }
            }
        }
        out
    }

    const VOICED: &str = r#""one": Say(speaker: "nayeon", text: { "en": "Hi." }, voice: "one", pause: 0.5),
            "two": Say(speaker: "nayeon", text: { "en": "Two." }),"#;

    #[test]
    fn a_line_lasts_as_long_as_its_clip_without_an_audio_device() {
        // 3.2 s of clip for a two-letter text (about 1.2 s from the text alone).
        let s = story_with_clips(
            VOICED,
            &[("voice/en/one.ogg", crate::ogg::fake::clip(22_050, 70_560))],
        );
        let one = s.node_id("one").expect("node");
        let mut d = Director::new(s.clone());
        let cues = d.start();
        let told = cues.iter().chain(&run(&mut d, 2.1)).find_map(|c| match c {
            Cue::Say { node, seconds, .. } if *node == one => Some(*seconds),
            _ => None,
        });
        assert_eq!(told, Some(3.2));
        // No device ever reports the clip finished; the next line comes anyway, after
        // the clip and the pause: 2 s of fade-in, 3.2 s, 0.5 s.
        let starts = line_starts(&mut d, 6.0);
        assert_eq!(starts[0].0, "two");
        assert!(
            (starts[0].1 - (2.0 + 3.2 + 0.5)).abs() <= 1.0 / 90.0 + 1e-6,
            "{starts:?}"
        );
        assert!(line_seconds("Hi.") < 2.0);
    }

    #[test]
    fn with_an_audio_device_the_clip_ending_keeps_the_same_timing() {
        let s = story_with_clips(
            VOICED,
            &[("voice/en/one.ogg", crate::ogg::fake::clip(22_050, 70_560))],
        );
        let one = s.node_id("one").expect("node");
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 2.0);
        // The device plays the clip a little faster than its length (a frame early).
        let mut starts = line_starts(&mut d, 3.2 - 1.0 / 90.0);
        d.handle(Input::Event(StoryEvent::LineFinished(one)));
        starts.extend(line_starts(&mut d, 1.0));
        assert_eq!(starts.len(), 1, "{starts:?}");
        assert_eq!(starts[0].0, "two");
        assert!(
            (starts[0].1 - (2.0 + 3.2 + 0.5)).abs() <= 2.0 / 90.0 + 1e-6,
            "{starts:?}"
        );
        // A report that comes late (or never) changes nothing: the line had ended.
        let mut d = Director::new(s.clone());
        d.start();
        let late = line_starts(&mut d, 2.0 + 3.2 + 0.5 + 0.1);
        d.handle(Input::Event(StoryEvent::LineFinished(one)));
        assert_eq!(late.len(), 2, "{late:?}");
        assert!(
            (late[1].1 - (2.0 + 3.2 + 0.5)).abs() <= 1.0 / 90.0 + 1e-6,
            "{late:?}"
        );
        // ... and does not cut the line now being said.
        let two = s.node_id("two").expect("node");
        assert_eq!(d.node(), two);
        assert!(matches!(d.phase(), Phase::Speaking { .. }));
    }

    #[test]
    fn the_audio_side_can_override_a_clip_length_and_text_times_the_rest() {
        let s = story_with_clips(
            VOICED,
            &[("voice/en/one.ogg", crate::ogg::fake::clip(22_050, 70_560))],
        );
        let (one, two) = (
            s.node_id("one").expect("node"),
            s.node_id("two").expect("node"),
        );
        let mut d = Director::new(s.clone());
        d.set_clip_seconds(one, LangId(0), 1.5);
        d.start();
        let cues = run(&mut d, 10.0);
        let told: Vec<(NodeId, f32)> = cues
            .iter()
            .filter_map(|c| match c {
                Cue::Say { node, seconds, .. } => Some((*node, *seconds)),
                _ => None,
            })
            .collect();
        assert_eq!(told[0], (one, 1.5));
        // `two` has no voice: its text times it.
        assert_eq!(told[1], (two, line_seconds("Two.")));
    }

    #[test]
    fn a_wait_is_met_by_its_event_and_not_by_others() {
        let s = story(
            r#""ask": Wait(until: HandHeld(by: "nayeon"), timeout: 30.0, on_timeout: "bye"),
            "yes": Set(var: "held", value: true, next: "end"),"#,
        );
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 3.0);
        assert!(matches!(d.phase(), Phase::Waiting { .. }));
        d.handle(Input::Event(StoryEvent::ParticipantSpoke));
        d.handle(Input::Event(StoryEvent::GazeOn(Some(ActorId(0)))));
        assert!(matches!(d.phase(), Phase::Waiting { .. }));
        let cues = d.handle(Input::Event(StoryEvent::HandHeld(ActorId(0))));
        assert!(cues.iter().any(|c| matches!(c, Cue::WaitMet { .. })));
        assert_eq!(d.var(VarId(0)), &Value::Bool(true));
        assert!(d.is_ended());
    }

    #[test]
    fn a_wait_times_out_to_its_fallback() {
        let s = story(r#""ask": Wait(until: CandlesBlownOut, timeout: 5.0, on_timeout: "bye"),"#);
        let mut d = Director::new(s.clone());
        d.start();
        let cues = run(&mut d, 2.0 + 4.9);
        assert!(!cues.iter().any(|c| matches!(c, Cue::WaitTimedOut { .. })));
        let cues = run(&mut d, 0.2);
        assert!(cues.iter().any(|c| matches!(c, Cue::WaitTimedOut { .. })));
        assert_eq!(said(&cues, &s), ["bye"]);
    }

    #[test]
    fn gaze_must_be_held_for_its_seconds() {
        let s =
            story(r#""look": Wait(until: GazeHeld(on: "nayeon", seconds: 1.5), timeout: 60.0),"#);
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 2.5);
        d.handle(Input::Event(StoryEvent::GazeOn(Some(ActorId(0)))));
        run(&mut d, 1.0);
        d.handle(Input::Event(StoryEvent::GazeOn(None)));
        d.handle(Input::Event(StoryEvent::GazeOn(Some(ActorId(0)))));
        let cues = run(&mut d, 1.0);
        assert!(
            said(&cues, &s).is_empty(),
            "looking away restarts the count"
        );
        let cues = run(&mut d, 0.6);
        assert_eq!(said(&cues, &s), ["bye"]);
    }

    #[test]
    fn hold_freezes_the_story_and_resume_goes_on() {
        let s =
            story(r#""hello": Say(speaker: "nayeon", text: { "en": "Mommy, where are you?" }),"#);
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 2.1);
        d.handle(Input::Operator(OperatorCommand::Hold));
        let cues = run(&mut d, 60.0);
        assert!(said(&cues, &s).is_empty());
        assert_eq!(d.node(), s.node_id("hello").expect("node"));
        d.handle(Input::Operator(OperatorCommand::Resume));
        let cues = run(&mut d, 5.0);
        assert_eq!(said(&cues, &s), ["bye"]);
        assert!(d.session_time() > d.story_time() + 59.0);
    }

    #[test]
    fn repeat_skip_and_jump() {
        let s = story(
            r#""one": Say(speaker: "nayeon", text: { "en": "One, two, three, four, five." }),
            "two": Say(speaker: "nayeon", text: { "en": "Two." }),"#,
        );
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 2.1);
        let cues = d.handle(Input::Operator(OperatorCommand::RepeatLine));
        assert!(cues.iter().any(|c| matches!(c, Cue::StopLine { .. })));
        assert_eq!(said(&cues, &s), ["one"]);
        let cues = d.handle(Input::Operator(OperatorCommand::SkipLine));
        assert!(cues.iter().any(|c| matches!(c, Cue::StopLine { .. })));
        assert_eq!(said(&cues, &s), ["two"]);
        let cues = d.handle(Input::Operator(OperatorCommand::JumpTo(
            s.node_id("bye").expect("node"),
        )));
        assert_eq!(said(&cues, &s), ["bye"]);
    }

    #[test]
    fn line_finished_ends_a_line_early() {
        let s = story(
            r#""one": Say(speaker: "nayeon", text: { "en": "A long long long long line." }, pause: 0.0),"#,
        );
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 2.1);
        let one = s.node_id("one").expect("node");
        let cues = d.handle(Input::Event(StoryEvent::LineFinished(one)));
        assert_eq!(said(&cues, &s), ["bye"]);
    }

    #[test]
    fn end_gently_goes_to_the_ending_once() {
        let s = story(r#""wait": Wait(until: OperatorCue("never")),"#);
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 10.0);
        let cues = d.handle(Input::Operator(OperatorCommand::EndGently));
        assert_eq!(said(&cues, &s), ["bye"]);
        let cues = d.handle(Input::Operator(OperatorCommand::EndGently));
        assert!(said(&cues, &s).is_empty(), "not started over");
        run(&mut d, 5.0);
        assert!(d.is_ended());
    }

    /// Her hand taken, and half of a four-second lead by the hand walked.
    fn half_way_through_a_lead() -> (Director, Arc<Story>) {
        let s = story(
            r#""offer": Cue(world: [OfferHand(actor: "nayeon")]),
            "take": Wait(until: HandHeld(by: "nayeon"), timeout: 60.0),
            "lead": Go(place: "room", transition: LeadByHand(actor: "nayeon", seconds: 4.0)),"#,
        );
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 2.5);
        d.handle(Input::Event(StoryEvent::HandHeld(ActorId(0))));
        run(&mut d, 2.0);
        (d, s)
    }

    #[test]
    fn a_lead_by_the_hand_pauses_when_the_hand_lets_go() {
        let (mut d, s) = half_way_through_a_lead();
        let cues = d.handle(Input::Event(StoryEvent::HandReleased));
        assert!(cues.contains(&Cue::LeadPaused(ActorId(0))));
        let cues = run(&mut d, 10.0);
        assert!(said(&cues, &s).is_empty(), "the lead waits for the hand");
        let cues = d.handle(Input::Event(StoryEvent::HandHeld(ActorId(0))));
        assert!(cues.contains(&Cue::LeadResumed(ActorId(0))));
        let cues = run(&mut d, 2.1);
        assert!(cues.contains(&Cue::TransitionEnded { place: PlaceId(1) }));
        assert_eq!(said(&cues, &s), ["bye"]);
    }

    #[test]
    fn a_lead_whose_hand_is_not_taken_again_goes_on_without_it_after_a_patient_wait() {
        let (mut d, s) = half_way_through_a_lead();
        d.handle(Input::Event(StoryEvent::HandReleased));
        // An operator's hold does not use up her patience.
        d.handle(Input::Operator(OperatorCommand::Hold));
        let cues = run(&mut d, 60.0);
        assert!(cues.is_empty(), "{cues:?}");
        d.handle(Input::Operator(OperatorCommand::Resume));
        let cues = run(&mut d, LEAD_WAITS_FOR_HAND as f32 - 1.0);
        assert!(!cues.contains(&Cue::World(WorldCue::LetGo(ActorId(0)))));
        assert!(said(&cues, &s).is_empty(), "still waiting for the hand");
        // Then she lowers her hand, and the lead finishes its last two seconds.
        let cues = run(&mut d, 1.1);
        assert!(
            cues.contains(&Cue::World(WorldCue::LetGo(ActorId(0)))),
            "{cues:?}"
        );
        let cues = run(&mut d, 2.1);
        assert!(cues.contains(&Cue::TransitionEnded { place: PlaceId(1) }));
        assert_eq!(said(&cues, &s), ["bye"]);
    }

    #[test]
    fn reload_keeps_the_place_when_the_node_survives() {
        let s = story(r#""wait": Wait(until: ParticipantSpoke, timeout: 100.0),"#);
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 5.0);
        let s2 = story(
            r#""intro": Say(speaker: "nayeon", text: { "en": "New line." }),
            "wait": Wait(until: ParticipantSpoke, timeout: 100.0),"#,
        );
        d.reload(s2.clone());
        assert_eq!(s2.node(d.node()).id, "wait");
        let cues = d.handle(Input::Event(StoryEvent::ParticipantSpoke));
        assert_eq!(said(&cues, &s2), ["bye"]);
    }

    #[test]
    fn stop_now_goes_to_the_calm_place_holds_and_says_the_line_again_on_resume() {
        let s = story(
            r#""one": Say(speaker: "nayeon", text: { "en": "A long line about the park at dusk." }),"#,
        );
        let mut d = Director::new(s.clone());
        d.start();
        run(&mut d, 2.5);
        let cues = d.handle(Input::Operator(OperatorCommand::StopNow));
        assert!(cues.contains(&Cue::SafeExit));
        assert!(cues.contains(&Cue::Held));
        assert!(cues.iter().any(|c| matches!(c, Cue::StopLine { .. })));
        assert!(d.in_calm_place());
        assert!(
            said(&run(&mut d, 60.0), &s).is_empty(),
            "nothing happens in the calm place"
        );
        let cues = d.handle(Input::Operator(OperatorCommand::Resume));
        assert!(!d.in_calm_place());
        assert_eq!(
            said(&cues, &s),
            ["one"],
            "the interrupted line starts again"
        );
    }

    #[test]
    fn the_participants_exit_works_in_any_phase() {
        let s = story(r#""wait": Wait(until: HandHeld(by: "nayeon"), timeout: 60.0),"#);
        for at in [0.5_f32, 1.0, 3.0, 10.0] {
            let mut d = Director::new(s.clone());
            d.start();
            run(&mut d, at);
            let cues = d.handle(Input::Event(StoryEvent::ParticipantExit));
            assert!(cues.contains(&Cue::SafeExit), "at {at} s");
            assert!(d.is_held());
        }
    }

    #[test]
    fn the_time_limit_winds_down_into_the_ending() {
        let s = story(r#""wait": Wait(until: OperatorCue("never")),"#);
        let mut d = Director::new(s.clone());
        d.set_time_limit(Some(30.0));
        d.start();
        let cues = run(&mut d, 29.9);
        assert!(!cues.contains(&Cue::WindDown));
        let cues = run(&mut d, 0.2);
        assert!(cues.contains(&Cue::WindDown));
        assert_eq!(said(&cues, &s), ["bye"]);
        assert!(!run(&mut d, 60.0).contains(&Cue::WindDown), "only once");
        assert!(d.is_ended());
    }

    #[test]
    fn the_same_inputs_give_the_same_cues() {
        let s = story(
            r#""a": Say(speaker: "nayeon", text: { "en": "Hello." }),
            "b": Wait(until: Near(to: "nayeon", within: 1.0), timeout: 8.0),"#,
        );
        let play = || {
            let mut d = Director::new(s.clone());
            let mut all = d.start();
            for i in 0..2000 {
                all.extend(d.handle(Input::Tick(1.0 / 90.0)));
                if i == 500 {
                    all.extend(d.handle(Input::Event(StoryEvent::Distance(ActorId(0), 0.8))));
                }
            }
            all
        };
        assert_eq!(play(), play());
    }
}
