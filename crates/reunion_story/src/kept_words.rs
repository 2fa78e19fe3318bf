//! The participant's own words, kept in memory for the session so the story can play
//! them back later (`ReplayWords(intent: "miss_you")`: the documentary ends with the
//! mother's words).
//!
//! Only with the participant's consent (`consent.record_speech: true`; the checker
//! refuses `ReplayWords` without it), and never written anywhere: [`KeptWords`] is
//! plain memory that goes with the session. It hears the same samples as the
//! voice-activity detector and keeps the last few seconds of them; when the detector
//! finishes an utterance, its samples are cut out; when the recogniser's reading of
//! that utterance matches an intent surely, they are kept for that intent (the
//! latest utterance of an intent replaces an earlier one). The detector's end and the
//! recogniser's reading come in either order, a moment apart: they are paired when
//! they are at most [`PAIRING_SECONDS`] apart in the audio.

use std::collections::VecDeque;

use crate::story::IntentId;

/// How far apart (seconds of audio) an utterance's end and a reading may be to be of
/// the same words.
pub const PAIRING_SECONDS: f64 = 3.0;
/// The longest utterance kept, in seconds (a longer one keeps its last seconds).
pub const LONGEST_SECONDS: f64 = 15.0;
/// Sound kept before and after the detector's bounds, so the words are not clipped.
pub const MARGIN_SECONDS: f64 = 0.2;

/// Utterances that matched intents, in memory (see the module docs).
#[derive(Clone, Debug)]
pub struct KeptWords {
    rate: u32,
    /// The last samples heard, and the index (since the start) of the first one.
    recent: VecDeque<f32>,
    recent_from: u64,
    /// The last utterance finished and not yet paired: when it ended, its samples.
    finished: Option<(f64, Vec<f32>)>,
    /// The last sure intents read and not yet paired: when (the audio's time), which.
    read: Option<(f64, Vec<IntentId>)>,
    /// The words kept for each intent.
    kept: Vec<(IntentId, Vec<f32>)>,
}

impl KeptWords {
    /// A keeper for samples at `rate` Hz.
    pub fn new(rate: u32) -> Self {
        Self {
            rate: rate.max(1),
            recent: VecDeque::new(),
            recent_from: 0,
            finished: None,
            read: None,
            kept: Vec::new(),
        }
    }

    /// A keeper that begins hearing `seconds` into the stream (when the detector,
    /// which counts from its first sample, has heard that much already).
    pub fn starting_at(rate: u32, seconds: f64) -> Self {
        let mut k = Self::new(rate);
        k.recent_from = (seconds.max(0.0) * f64::from(k.rate)) as u64;
        k
    }

    /// The sample rate of the words kept.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// Seconds of audio heard so far.
    pub fn seconds(&self) -> f64 {
        (self.recent_from + self.recent.len() as u64) as f64 / f64::from(self.rate)
    }

    /// Hears the next samples (the detector's, in the same order).
    pub fn push(&mut self, samples: &[f32]) {
        self.recent.extend(samples);
        let keep = ((LONGEST_SECONDS + 2.0 * MARGIN_SECONDS + 1.0) * f64::from(self.rate)) as usize;
        let extra = self.recent.len().saturating_sub(keep);
        self.recent.drain(..extra);
        self.recent_from += extra as u64;
    }

    /// The detector finished an utterance (`began`, `ended`: seconds of audio, as the
    /// detector counts them from the same first sample).
    pub fn utterance_finished(&mut self, began: f64, ended: f64) {
        let rate = f64::from(self.rate);
        let began = began.max(ended - LONGEST_SECONDS) - MARGIN_SECONDS;
        let ended = ended + MARGIN_SECONDS;
        let from = ((began * rate).max(0.0) as u64).max(self.recent_from);
        let to = ((ended * rate).max(0.0) as u64).min(self.recent_from + self.recent.len() as u64);
        let samples: Vec<f32> = if to > from {
            self.recent
                .range((from - self.recent_from) as usize..(to - self.recent_from) as usize)
                .copied()
                .collect()
        } else {
            Vec::new()
        };
        if samples.is_empty() {
            return;
        }
        self.finished = Some((ended - MARGIN_SECONDS, samples));
        self.pair();
    }

    /// The recogniser read an utterance whose sure intents are `intents`, now.
    pub fn read(&mut self, intents: Vec<IntentId>) {
        if intents.is_empty() {
            return;
        }
        self.read = Some((self.seconds(), intents));
        self.pair();
    }

    fn pair(&mut self) {
        let (Some((ended, _)), Some((at, _))) = (&self.finished, &self.read) else {
            return;
        };
        if (ended - at).abs() > PAIRING_SECONDS {
            // The older of the two belongs to nothing that will come.
            if ended < at {
                self.finished = None;
            } else {
                self.read = None;
            }
            return;
        }
        let (Some((_, samples)), Some((_, intents))) = (self.finished.take(), self.read.take())
        else {
            return;
        };
        for intent in intents {
            self.kept.retain(|(i, _)| *i != intent);
            self.kept.push((intent, samples.clone()));
        }
    }

    /// The participant's words kept for `intent`, if any.
    pub fn words(&self, intent: IntentId) -> Option<&[f32]> {
        self.kept
            .iter()
            .find(|(i, _)| *i == intent)
            .map(|(_, s)| s.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 1_000;

    /// `seconds` of samples whose value is the time they were heard at.
    fn timed(from: f64, seconds: f64) -> Vec<f32> {
        (0..(seconds * f64::from(RATE)) as usize)
            .map(|i| (from + i as f64 / f64::from(RATE)) as f32)
            .collect()
    }

    #[test]
    fn an_utterance_read_as_an_intent_is_kept_for_it_with_a_margin() {
        let mut k = KeptWords::new(RATE);
        k.push(&timed(0.0, 5.0));
        k.utterance_finished(1.0, 3.0);
        assert_eq!(k.words(IntentId(0)), None, "not read yet");
        k.read(vec![IntentId(0)]);
        let w = k.words(IntentId(0)).expect("kept");
        assert!((w[0] - 0.8).abs() < 1e-3, "from 0.2 s before: {}", w[0]);
        assert!((w[w.len() - 1] - 3.2).abs() < 2e-3, "to 0.2 s after");
        assert_eq!(k.words(IntentId(1)), None);
    }

    #[test]
    fn a_keeper_started_late_counts_from_the_detectors_start() {
        let mut k = KeptWords::starting_at(RATE, 100.0);
        k.push(&timed(100.0, 3.0));
        k.utterance_finished(101.0, 102.0);
        k.read(vec![IntentId(0)]);
        let w = k.words(IntentId(0)).expect("kept");
        assert!((w[0] - 100.8).abs() < 1e-3, "{}", w[0]);
    }

    #[test]
    fn the_reading_may_come_first() {
        let mut k = KeptWords::new(RATE);
        k.push(&timed(0.0, 3.0));
        k.read(vec![IntentId(2), IntentId(1)]);
        k.push(&timed(3.0, 1.0));
        k.utterance_finished(1.0, 3.0);
        assert!(k.words(IntentId(2)).is_some());
        assert!(k.words(IntentId(1)).is_some());
    }

    #[test]
    fn a_reading_long_after_an_utterance_is_not_its_words() {
        let mut k = KeptWords::new(RATE);
        k.push(&timed(0.0, 4.0));
        k.utterance_finished(1.0, 2.0);
        k.push(&timed(4.0, 6.0));
        k.read(vec![IntentId(0)]);
        assert_eq!(k.words(IntentId(0)), None);
        // The reading waits for its own utterance.
        k.push(&timed(10.0, 2.0));
        k.utterance_finished(9.0, 11.0);
        let w = k.words(IntentId(0)).expect("kept");
        assert!((w[0] - 8.8).abs() < 1e-3, "{}", w[0]);
    }

    #[test]
    fn nothing_read_as_an_intent_keeps_nothing_and_the_latest_words_win() {
        let mut k = KeptWords::new(RATE);
        k.push(&timed(0.0, 3.0));
        k.utterance_finished(0.5, 2.0);
        k.read(Vec::new());
        assert!(k.kept.is_empty());
        k.push(&timed(3.0, 4.0));
        k.utterance_finished(4.0, 6.0);
        k.read(vec![IntentId(0)]);
        let w = k.words(IntentId(0)).expect("kept");
        assert!((w[0] - 3.8).abs() < 1e-3, "the later utterance: {}", w[0]);
    }

    #[test]
    fn memory_stays_bounded_and_a_long_utterance_keeps_its_end() {
        let mut k = KeptWords::new(RATE);
        for i in 0..60 {
            k.push(&timed(f64::from(i), 1.0));
        }
        assert!(k.recent.len() <= ((LONGEST_SECONDS + 1.4) * f64::from(RATE)) as usize + 1);
        k.utterance_finished(30.0, 59.0);
        k.read(vec![IntentId(0)]);
        let w = k.words(IntentId(0)).expect("kept");
        assert!(w.len() as f64 <= (LONGEST_SECONDS + 2.0 * MARGIN_SECONDS) * f64::from(RATE) + 1.0);
        assert!((w[w.len() - 1] - 59.2).abs() < 2e-3);
    }
}
