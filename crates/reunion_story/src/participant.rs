//! The participant, when no person is in the headset: scripted actions and the
//! autopilot.
//!
//! A [`ParticipantAction`] is what a person does (looks at her, comes closer, takes the
//! offered hand, sets a candle on the cake). The [`StandIn`] turns actions into the
//! story events the director listens for, following the same rules the live world
//! follows: a hand can only be taken when it is offered, candles only go onto a cake
//! that is there, only lit candles can be blown out. The [`Autopilot`] decides what a
//! person would do while the director waits, with human delays; a [`Script`] is a
//! timed list of actions written by hand (`--script FILE`).

use std::collections::VecDeque;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::director::{Cue, StoryEvent};
use crate::format::TouchZone;
use crate::load::parse_ron;
use crate::story::*;

/// Something the participant does. Actors are named by their cast id in scripts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ParticipantAction {
    /// Looks at someone, and keeps looking.
    LookAt(String),
    /// Looks elsewhere.
    LookAway,
    /// Steps up to `meters` from someone.
    ComeNear(String, f32),
    /// Takes someone's hand (only if it is offered, or already held).
    TakeHand(String),
    /// Opens the hand.
    LetGo,
    /// Sets the next candle into a free socket.
    PlaceCandle,
    /// Leans in and blows the candles out.
    BlowOut,
    /// Says something (the words are not recorded).
    Speak,
    /// Touches someone.
    Touch(String, TouchZone),
}

impl ParticipantAction {
    /// Whether a world with a body performs this action (moves the head or a hand)
    /// rather than reporting it: everything but speaking. A Bevy app with the hands
    /// capability hands these to its puppeteer, so the autopilot and scripts use the
    /// same interactions as a person; the pure [`StandIn`] reports them directly.
    pub fn is_bodily(&self) -> bool {
        !matches!(self, ParticipantAction::Speak)
    }
}

/// Turns participant actions into story events, by the rules of the world.
#[derive(Clone, Debug, Default)]
pub struct StandIn {
    offered: Vec<ActorId>,
    holding: Option<ActorId>,
    sockets: u8,
    placed: u8,
    lit: bool,
}

impl StandIn {
    /// Follows the director's cues to know what the world offers.
    pub fn observe(&mut self, story: &Story, cue: &Cue) -> Vec<StoryEvent> {
        let mut out = Vec::new();
        match cue {
            Cue::World(WorldCue::OfferHand(a)) | Cue::LeadPaused(a)
                if !self.offered.contains(a) =>
            {
                self.offered.push(*a);
            }
            Cue::World(WorldCue::LetGo(a)) => {
                self.offered.retain(|o| o != a);
                if self.holding == Some(*a) {
                    self.holding = None;
                    out.push(StoryEvent::HandReleased);
                }
            }
            Cue::World(WorldCue::LightCandles) if self.placed > 0 && !self.lit => {
                self.lit = true;
                out.push(StoryEvent::CandlesLit);
            }
            Cue::EnterPlace { place } | Cue::TransitionEnded { place } => {
                self.sockets = story.candle_sockets(*place);
                self.placed = 0;
                self.lit = false;
            }
            _ => {}
        }
        out
    }

    /// What happens in the world when the participant does `action`.
    pub fn act(&mut self, story: &Story, action: &ParticipantAction) -> Vec<StoryEvent> {
        let actor = |name: &str| story.actor_id(name);
        match action {
            ParticipantAction::LookAt(name) => vec![StoryEvent::GazeOn(actor(name))],
            ParticipantAction::LookAway => vec![StoryEvent::GazeOn(None)],
            ParticipantAction::ComeNear(name, m) => actor(name)
                .map(|a| vec![StoryEvent::Distance(a, *m)])
                .unwrap_or_default(),
            ParticipantAction::TakeHand(name) => match actor(name) {
                Some(a) if self.offered.contains(&a) && self.holding != Some(a) => {
                    self.holding = Some(a);
                    vec![StoryEvent::HandHeld(a)]
                }
                _ => vec![],
            },
            ParticipantAction::LetGo => match self.holding.take() {
                Some(_) => vec![StoryEvent::HandReleased],
                None => vec![],
            },
            ParticipantAction::PlaceCandle => {
                if self.placed < self.sockets {
                    self.placed += 1;
                    let mut ev = vec![StoryEvent::CandlePlaced(self.placed - 1)];
                    if self.placed == self.sockets {
                        ev.push(StoryEvent::AllCandlesPlaced);
                    }
                    ev
                } else {
                    vec![]
                }
            }
            ParticipantAction::BlowOut => {
                if self.lit {
                    self.lit = false;
                    vec![StoryEvent::CandlesBlownOut]
                } else {
                    vec![]
                }
            }
            ParticipantAction::Speak => vec![StoryEvent::ParticipantSpoke],
            ParticipantAction::Touch(name, zone) => actor(name)
                .map(|a| vec![StoryEvent::Touched(a, *zone)])
                .unwrap_or_default(),
        }
    }

    /// Keeps up with what the world reported (a live world with hands and candles):
    /// whose hand is held, how many candles are on the cake, whether they burn.
    /// Events the stand-in made itself must not come back through here.
    pub fn witness(&mut self, event: &StoryEvent) {
        match event {
            StoryEvent::HandHeld(a) => self.holding = Some(*a),
            StoryEvent::HandReleased => self.holding = None,
            StoryEvent::CandlePlaced(_) => self.placed = self.placed.saturating_add(1),
            StoryEvent::CandlesLit => self.lit = true,
            StoryEvent::CandlesBlownOut => self.lit = false,
            _ => {}
        }
    }

    /// Candles set on the current cake so far.
    pub fn candles_placed(&self) -> u8 {
        self.placed
    }

    /// Whether the candles are burning.
    pub fn candles_lit(&self) -> bool {
        self.lit
    }

    pub fn holding(&self) -> Option<ActorId> {
        self.holding
    }
}

/// Any source of participant actions over time.
pub trait Participant {
    /// Sees every cue the director gives.
    fn observe(&mut self, story: &Story, cue: &Cue, now: f64);
    /// The actions due at `now` (session seconds).
    fn due(&mut self, now: f64) -> Vec<ParticipantAction>;
    /// Whether it could still do something (false: nothing more will ever come).
    fn has_more(&self) -> bool;
}

/// A person who satisfies each wait as a person would, after a human pause.
#[derive(Clone, Debug, Default)]
pub struct Autopilot {
    plan: VecDeque<(f64, ParticipantAction)>,
    candles_left: u8,
}

impl Autopilot {
    pub fn new() -> Self {
        Self::default()
    }

    fn schedule(&mut self, at: f64, action: ParticipantAction) {
        self.plan.push_back((at, action));
    }

    fn respond(&mut self, story: &Story, c: &Condition, now: f64) {
        let name = |a: &ActorId| story.actor(*a).id.clone();
        match c {
            Condition::HandHeld(a) => {
                self.schedule(now + 2.0, ParticipantAction::TakeHand(name(a)))
            }
            Condition::HandReleased => self.schedule(now + 1.0, ParticipantAction::LetGo),
            Condition::GazeHeld { on, .. } => {
                self.schedule(now + 0.8, ParticipantAction::LookAt(name(on)))
            }
            Condition::Near { to, within } => self.schedule(
                now + 2.5,
                ParticipantAction::ComeNear(name(to), (within * 0.7).max(0.3)),
            ),
            Condition::CandlePlaced => self.schedule(now + 2.5, ParticipantAction::PlaceCandle),
            Condition::AllCandlesPlaced => {
                for i in 0..self.candles_left {
                    self.schedule(
                        now + 2.5 + 2.5 * f64::from(i),
                        ParticipantAction::PlaceCandle,
                    );
                }
            }
            Condition::CandlesLit => {}
            Condition::CandlesBlownOut => self.schedule(now + 2.0, ParticipantAction::BlowOut),
            Condition::ParticipantSpoke => self.schedule(now + 4.0, ParticipantAction::Speak),
            Condition::Touched { actor, zone } => {
                self.schedule(now + 1.5, ParticipantAction::Touch(name(actor), *zone))
            }
            Condition::OperatorCue(_) => {}
            Condition::Any(list) => {
                if let Some(first) = list.iter().find(|c| autopilot_can(c)) {
                    self.respond(story, first, now);
                }
            }
            Condition::All(list) => {
                for c in list {
                    self.respond(story, c, now);
                }
            }
        }
    }
}

/// Whether the autopilot knows how to meet a condition by itself.
pub fn autopilot_can(c: &Condition) -> bool {
    match c {
        Condition::CandlesLit | Condition::OperatorCue(_) => false,
        Condition::Any(list) => list.iter().any(autopilot_can),
        Condition::All(list) => list.iter().all(autopilot_can),
        _ => true,
    }
}

impl Participant for Autopilot {
    fn observe(&mut self, story: &Story, cue: &Cue, now: f64) {
        match cue {
            Cue::Waiting { node, .. } => {
                if let NodeKind::Wait { until, .. } = &story.node(*node).kind {
                    self.plan.clear();
                    self.respond(story, until, now);
                }
            }
            Cue::EnterPlace { place } | Cue::TransitionEnded { place } => {
                self.candles_left = story.candle_sockets(*place);
            }
            Cue::LeadPaused(a) => {
                // She offers the hand again: take it.
                self.schedule(
                    now + 1.5,
                    ParticipantAction::TakeHand(story.actor(*a).id.clone()),
                );
            }
            _ => {}
        }
    }

    fn due(&mut self, now: f64) -> Vec<ParticipantAction> {
        let mut out = Vec::new();
        while let Some((at, _)) = self.plan.front() {
            if *at > now {
                break;
            }
            let (_, a) = self.plan.pop_front().expect("front exists");
            if a == ParticipantAction::PlaceCandle {
                self.candles_left = self.candles_left.saturating_sub(1);
            }
            out.push(a);
        }
        out
    }

    fn has_more(&self) -> bool {
        true
    }
}

/// One step of a script: `(at: 12.5, do: TakeHand("nayeon"))`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptStep {
    /// Session seconds.
    pub at: f64,
    #[serde(rename = "do")]
    pub action: ParticipantAction,
}

/// A timed list of participant actions, from a RON file.
#[derive(Clone, Debug, Default)]
pub struct Script {
    steps: VecDeque<ScriptStep>,
}

impl Script {
    pub fn new(mut steps: Vec<ScriptStep>) -> Self {
        steps.sort_by(|a, b| a.at.total_cmp(&b.at));
        Self {
            steps: steps.into(),
        }
    }

    /// Parses a script, checking that every actor it names is in the story.
    pub fn parse(display: &Path, text: &str, story: &Story) -> Result<Self, Box<Diagnostic>> {
        let steps: Vec<ScriptStep> = parse_ron(display, text)?;
        let tree = crate::spans::SpanTree::scan(text);
        for (i, s) in steps.iter().enumerate() {
            let name = match &s.action {
                ParticipantAction::LookAt(n)
                | ParticipantAction::ComeNear(n, _)
                | ParticipantAction::TakeHand(n)
                | ParticipantAction::Touch(n, _) => Some(n),
                _ => None,
            };
            if let Some(n) = name
                && story.actor_id(n).is_none()
            {
                let span = tree.locate(&[crate::spans::index(i), crate::spans::field("do")]);
                return Err(Box::new(
                    Diagnostic::error(display, text, span, format!("`{n}` is not in the cast"))
                        .with_hint_opt(crate::diagnostic::did_you_mean(
                            n,
                            story.cast.iter().map(|a| a.id.as_str()),
                        )),
                ));
            }
            if !s.at.is_finite() || s.at < 0.0 {
                let span = tree.locate(&[crate::spans::index(i), crate::spans::field("at")]);
                return Err(Box::new(Diagnostic::error(
                    display,
                    text,
                    span,
                    "`at` must be a time in seconds, 0 or more",
                )));
            }
        }
        Ok(Self::new(steps))
    }
}

impl Participant for Script {
    fn observe(&mut self, _story: &Story, _cue: &Cue, _now: f64) {}

    fn due(&mut self, now: f64) -> Vec<ParticipantAction> {
        let mut out = Vec::new();
        while self.steps.front().is_some_and(|s| s.at <= now) {
            out.push(self.steps.pop_front().expect("front exists").action);
        }
        out
    }

    fn has_more(&self) -> bool {
        !self.steps.is_empty()
    }
}
