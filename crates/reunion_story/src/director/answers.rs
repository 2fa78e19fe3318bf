//! Answers said outside the flow of nodes: what triggers them (a touch, an intent
//! heard, the operator), when they may be said (the speaker on stage, the cooldown
//! over, no other line being said), the unsure ones waiting for the facilitator, and
//! how the flow resumes after one.

use std::sync::Arc;

use super::machine::{Answering, Director, Phase};
use super::messages::{Cue, HeardIntent};
use crate::story::*;

/// How long an answer asked for while a line is being said waits for the line to end
/// (story seconds) before it lapses.
pub const ANSWER_WAITS_FOR_LINE: f64 = 10.0;
/// How long an unsure answer waits for the facilitator's confirmation (story seconds).
pub const PENDING_ANSWER_LAPSES: f64 = 15.0;

impl Director {
    /// The node whose line she is saying now: an answer's during its line (not the
    /// silence after it), else the current node's while the director speaks. What
    /// subtitles, the headset's panel and the console show.
    pub fn line_being_said(&self) -> Option<NodeId> {
        if let Some(a) = &self.answering {
            return (self.story_time < a.until).then_some(a.node);
        }
        matches!(self.phase(), Phase::Speaking { .. }).then_some(self.node())
    }

    /// The answer being said, if any.
    pub fn answering(&self) -> Option<AnswerId> {
        self.answering.as_ref().map(|a| a.answer)
    }

    /// Story seconds before the answer being said is over (its line and the silence
    /// after it) and the story goes on.
    pub fn answer_remaining(&self) -> Option<f64> {
        self.answering
            .as_ref()
            .map(|a| (a.until + a.pause - self.story_time).max(0.0))
    }

    /// The answer waiting for the facilitator's confirmation, and the match's
    /// confidence.
    pub fn pending_answer(&self) -> Option<(AnswerId, f32)> {
        self.pending.map(|(a, _, c)| (a, c))
    }

    /// Story seconds before `answer` may be said again by itself (0 when it may).
    pub fn cooldown_left(&self, answer: AnswerId) -> f64 {
        let cooldown = f64::from(self.story.answer(answer).cooldown);
        self.answered_at
            .get(answer.index())
            .copied()
            .flatten()
            .map_or(0.0, |at| (at + cooldown - self.story_time).max(0.0))
    }

    /// Whether the flow is in a state an answer can be said in at all (not held,
    /// not ended, in a place where the speaker is).
    fn answer_possible(&self, answer: AnswerId) -> bool {
        if self.held || self.in_calm_place || matches!(self.phase, Phase::Idle | Phase::Ended) {
            return false;
        }
        let story = &self.story;
        let speaker = story
            .line(story.answer(answer).line)
            .map(|l| l.speaker)
            .expect("an answer's line is a Say");
        self.place.is_some_and(|p| story.actor_in(p, speaker))
    }

    /// Asks for `answer`: said now if nothing is being said, after the line in
    /// progress otherwise (or a transition); dropped while another answer is said.
    /// `forced` (the operator's choice) ignores the cooldown. Words heard while she
    /// speaks (`after_line` false) are not answered: they were most often said in
    /// reply to what came before, which the story's own next line answers, and the
    /// facilitator can still choose the answer.
    pub(super) fn ask_answer(
        &mut self,
        answer: AnswerId,
        forced: bool,
        after_line: bool,
        cues: &mut Vec<Cue>,
    ) {
        if self.answering.is_some()
            || !self.answer_possible(answer)
            || (!forced && self.cooldown_left(answer) > 0.0)
            || (!after_line && matches!(self.phase, Phase::Speaking { .. }))
        {
            return;
        }
        match self.phase {
            Phase::Waiting { .. } | Phase::Pausing { .. } => self.start_answer(answer, cues),
            _ => self.queued_answer = Some((answer, self.story_time)),
        }
    }

    fn start_answer(&mut self, answer: AnswerId, cues: &mut Vec<Cue>) {
        let story = Arc::clone(&self.story);
        let node = story.answer(answer).line;
        let Some(line) = story.line(node) else {
            return;
        };
        let seconds = self.say_line(node, line, cues);
        let now = self.story_time;
        self.answering = Some(Answering {
            answer,
            node,
            started: now,
            until: now + f64::from(seconds),
            pause: f64::from(line.pause),
        });
        if let Some(at) = self.answered_at.get_mut(answer.index()) {
            *at = Some(now);
        }
    }

    /// Ends the answer being said (stopping its line if `stop`), and moves the
    /// interrupted wait's or pause's timers on by the time it took.
    pub(super) fn end_answer(&mut self, stop: bool, cues: &mut Vec<Cue>) {
        let Some(a) = self.answering.take() else {
            return;
        };
        if stop {
            cues.push(Cue::StopLine { node: a.node });
        }
        let took = self.story_time - a.started;
        match &mut self.phase {
            Phase::Waiting {
                deadline: Some(d), ..
            } => *d += took,
            Phase::Pausing { until } => *until += took,
            _ => {}
        }
    }

    /// The answer's line finished playing (the world's report).
    pub(super) fn answer_line_finished(&mut self, node: NodeId) {
        let now = self.story_time;
        if let Some(a) = &mut self.answering
            && a.node == node
        {
            a.until = a.until.min(now);
        }
    }

    /// Runs the answers on time: the one being said ends, a queued one starts when
    /// the line before it is over, an unsure one lapses. True while an answer holds
    /// the flow.
    pub(super) fn advance_answers(&mut self, cues: &mut Vec<Cue>) -> bool {
        let now = self.story_time;
        if let Some((answer, since, _)) = self.pending
            && now - since >= PENDING_ANSWER_LAPSES
        {
            self.pending = None;
            cues.push(Cue::AnswerPendingEnded { answer });
        }
        if let Some(a) = &self.answering {
            if now < a.until + a.pause {
                return true;
            }
            self.end_answer(false, cues);
        }
        if let Some((answer, at)) = self.queued_answer
            && matches!(self.phase, Phase::Waiting { .. } | Phase::Pausing { .. })
        {
            self.queued_answer = None;
            if now - at <= ANSWER_WAITS_FOR_LINE && self.answer_possible(answer) {
                self.start_answer(answer, cues);
                return true;
            }
        }
        false
    }

    /// The participant touched `actor` at `zone`: an answer to that touch, unless
    /// the touch is what the story waits for now.
    pub(super) fn answer_touch(&mut self, actor: ActorId, zone: TouchZone, cues: &mut Vec<Cue>) {
        if self.wait_now_met() {
            return;
        }
        let story = Arc::clone(&self.story);
        for (i, a) in story.answers.iter().enumerate() {
            if a.trigger == AnswerTrigger::Touched(actor, zone) {
                self.ask_answer(AnswerId(i as u16), false, true, cues);
                if self.answering.is_some() || self.queued_answer.is_some() {
                    return;
                }
            }
        }
    }

    /// Words were heard (`text` only with consent): the console sees them, sure
    /// intents are facts for waits, and an answer to the most confident intent is
    /// said (or, unsure, waits for confirmation where the story asks for it).
    pub(super) fn hear(
        &mut self,
        text: Option<String>,
        confidence: f32,
        intents: Vec<HeardIntent>,
        cues: &mut Vec<Cue>,
    ) {
        let now = self.story_time;
        let valid: Vec<HeardIntent> = intents
            .into_iter()
            .filter(|h| h.intent.index() < self.story.intents.len())
            .collect();
        cues.push(Cue::Heard {
            text,
            confidence,
            intents: valid.clone(),
        });
        for h in valid.iter().filter(|h| h.is_sure()) {
            self.world.heard.push((h.intent, now));
        }
        if self.wait_now_met() {
            return;
        }
        let story = Arc::clone(&self.story);
        for h in &valid {
            for (i, a) in story.answers.iter().enumerate() {
                if a.trigger != AnswerTrigger::Heard(h.intent) {
                    continue;
                }
                let id = AnswerId(i as u16);
                if h.is_sure() {
                    self.ask_answer(id, false, false, cues);
                    if self.answering.is_some() || self.queued_answer.is_some() {
                        return;
                    }
                } else if a.confirm_unsure
                    && self.pending.is_none()
                    && self.answer_possible(id)
                    && self.cooldown_left(id) <= 0.0
                {
                    self.pending = Some((id, now, h.confidence));
                    cues.push(Cue::AnswerPending {
                        answer: id,
                        confidence: h.confidence,
                    });
                    return;
                }
            }
        }
    }

    /// The facilitator declares `intent` heard: a sure fact, and its answer.
    pub(super) fn declare_heard(&mut self, intent: IntentId, cues: &mut Vec<Cue>) {
        if intent.index() >= self.story.intents.len() {
            return;
        }
        self.hear(
            None,
            1.0,
            vec![HeardIntent {
                intent,
                confidence: 1.0,
            }],
            cues,
        );
    }

    /// The facilitator confirms (or dismisses) the answer waiting for it.
    pub(super) fn settle_pending(&mut self, confirm: bool, cues: &mut Vec<Cue>) {
        let Some((answer, _, _)) = self.pending.take() else {
            return;
        };
        cues.push(Cue::AnswerPendingEnded { answer });
        if confirm {
            self.ask_answer(answer, true, true, cues);
        }
    }

    /// Whether the current wait's condition holds now (so what just happened is the
    /// story's to answer, not an answer's).
    fn wait_now_met(&self) -> bool {
        let Phase::Waiting { since, .. } = self.phase else {
            return false;
        };
        let story = &self.story;
        match &story.node(self.node).kind {
            NodeKind::Wait { until, .. } => {
                self.world
                    .met(until, since, self.story_time, story, self.place)
            }
            _ => false,
        }
    }
}
