//! The participant, when no person is in the headset: scripted actions and the
//! autopilot.
//!
//! A [`ParticipantAction`] is what a person does (looks at her, comes closer, takes the
//! offered hand, sets a candle on the cake, picks a rose up and puts it in the vase,
//! touches the music box). The [`StandIn`] (`stand_in.rs`) turns actions into the story
//! events the director listens for, following the same rules the live world follows:
//! a hand can only be taken when it is offered, candles only go onto a cake that is
//! there, only lit candles can be blown out, a thing goes only into a free socket that
//! accepts it. The [`Autopilot`] (`autopilot.rs`) decides what a person would do while
//! the director waits, with human delays; a [`VariedAutopilot`] (`varied.rs`) is it
//! as many different people, one per seed; a [`Script`] is a timed list of actions
//! written by hand (`--script FILE`).

mod autopilot;
mod stand_in;
mod varied;

use std::collections::VecDeque;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use autopilot::{Autopilot, autopilot_can};
pub use stand_in::StandIn;
pub use varied::VariedAutopilot;

use crate::diagnostic::Diagnostic;
use crate::director::Cue;
use crate::format::TouchZone;
use crate::load::parse_ron;
use crate::story::*;

/// Something the participant does. Actors are named by their cast id in scripts,
/// things by their id in the current place's scene.
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
    /// Says these words, as a recogniser would write them down (they reach the log
    /// only with the participant's consent).
    SayWords(String),
    /// Touches someone.
    Touch(String, TouchZone),
    /// Picks up a thing of the current place, by its id (only one that can be
    /// grabbed; what the hand held before is put down).
    PickUp(String),
    /// Sets a thing (picked up first if it is not held) into a free socket of `into`
    /// that accepts it; both by id, in the current place.
    PlaceIn { thing: String, into: String },
    /// Touches a thing of the current place, by its id (only one that reports touches).
    TouchThing(String),
    /// Puts down what the hand holds.
    PutDown,
}

impl ParticipantAction {
    /// Whether a world with a body performs this action (moves the head or a hand)
    /// rather than reporting it: everything but speaking. A Bevy app with the hands
    /// capability hands these to its puppeteer, so the autopilot and scripts use the
    /// same interactions as a person; the pure [`StandIn`] reports them directly.
    pub fn is_bodily(&self) -> bool {
        !matches!(
            self,
            ParticipantAction::Speak | ParticipantAction::SayWords(_)
        )
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

    /// Parses a script, checking that every actor and thing it names is in the story.
    pub fn parse(display: &Path, text: &str, story: &Story) -> Result<Self, Box<Diagnostic>> {
        let steps: Vec<ScriptStep> = parse_ron(display, text)?;
        let tree = crate::spans::SpanTree::scan(text);
        let thing_ids: Vec<&str> = story
            .places
            .iter()
            .flat_map(|p| p.things.iter().map(|t| t.id.as_str()))
            .collect();
        for (i, s) in steps.iter().enumerate() {
            let things: Vec<&String> = match &s.action {
                ParticipantAction::PickUp(n) | ParticipantAction::TouchThing(n) => vec![n],
                ParticipantAction::PlaceIn { thing, into } => vec![thing, into],
                _ => vec![],
            };
            if let Some(n) = things
                .into_iter()
                .find(|n| !thing_ids.contains(&n.as_str()))
            {
                let span = tree.locate(&[crate::spans::index(i), crate::spans::field("do")]);
                return Err(Box::new(
                    Diagnostic::error(
                        display,
                        text,
                        span,
                        format!("no scene has a thing called `{n}`"),
                    )
                    .with_hint_opt(crate::diagnostic::did_you_mean(
                        n,
                        thing_ids.iter().copied(),
                    )),
                ));
            }
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
