//! What the story listens for and how she answers: [`Intent`]s (words per language)
//! and [`Answer`]s (lines outside the flow of nodes, said in reply to an intent heard
//! or a touch). An answer's line is a `Say` node kept after the authored nodes, so
//! everything that plays a line (voice, subtitles, lip-sync, the log) plays it as one;
//! the flow of the story never leads to it.

use serde::{Deserialize, Serialize};

use super::{ActorId, AnswerId, IntentId, NodeId, PlaceId, Story, ThingKind, TouchZone};
use crate::matcher::{IntentMatch, IntentWords, match_intents};

/// Something the participant may say, in the words the author expects.
#[derive(Clone, Debug, PartialEq)]
pub struct Intent {
    pub id: String,
    /// The phrases in each language ([`super::LangId`] order); empty where the author
    /// wrote none.
    pub words: Vec<Vec<String>>,
}

/// A line she may say at any moment in reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub id: String,
    pub trigger: AnswerTrigger,
    /// Its line: a `Say` node after the authored ones.
    pub line: NodeId,
    /// Story seconds before she says it again.
    pub cooldown: f32,
    /// Whether an unsure match waits for the facilitator's confirmation.
    pub confirm_unsure: bool,
}

/// What an answer replies to, with names resolved.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum AnswerTrigger {
    Heard(IntentId),
    Touched(ActorId, TouchZone),
}

impl Story {
    pub fn intent(&self, id: IntentId) -> &Intent {
        &self.intents[id.index()]
    }

    pub fn answer(&self, id: AnswerId) -> &Answer {
        &self.answers[id.index()]
    }

    pub fn intent_id(&self, name: &str) -> Option<IntentId> {
        self.intents
            .iter()
            .position(|i| i.id == name)
            .map(|i| IntentId(i as u16))
    }

    pub fn answer_id(&self, name: &str) -> Option<AnswerId> {
        self.answers
            .iter()
            .position(|a| a.id == name)
            .map(|i| AnswerId(i as u16))
    }

    /// The answer whose line is `node`, if it is one.
    pub fn answer_of_line(&self, node: NodeId) -> Option<AnswerId> {
        self.answers
            .iter()
            .position(|a| a.line == node)
            .map(|i| AnswerId(i as u16))
    }

    /// Whether `node` is an answer's line rather than a node of the story's flow.
    pub fn is_answer_line(&self, node: NodeId) -> bool {
        self.answer_of_line(node).is_some()
    }

    /// Whether the place shows `actor`.
    pub fn actor_in(&self, place: PlaceId, actor: ActorId) -> bool {
        self.place(place)
            .things
            .iter()
            .any(|t| t.kind == ThingKind::Actor(actor))
    }

    /// Whether the participant agreed that their words are written to the log.
    pub fn record_speech(&self) -> bool {
        self.consent.as_ref().is_some_and(|c| c.record_speech)
    }

    /// The intents a recogniser's words express (any language), most confident
    /// first (see [`crate::matcher`]).
    pub fn match_words(&self, text: &str, confidence: f32) -> Vec<(IntentId, IntentMatch)> {
        let words: Vec<IntentWords> = self
            .intents
            .iter()
            .enumerate()
            .map(|(i, intent)| IntentWords {
                intent: i,
                phrases: intent.words.iter().flatten().map(String::as_str).collect(),
            })
            .collect();
        match_intents(text, confidence, &words)
            .into_iter()
            .map(|m| (IntentId(m.intent as u16), m))
            .collect()
    }
}
