//! What a speech recogniser needs and gives, in plain Rust: the microphone's samples
//! brought to the recogniser's rate, and its reading of an utterance turned into the
//! words and the confidence that [`StoryEvent::ParticipantSaid`] carries.
//!
//! The recogniser itself (Vosk, loaded at run time) lives in `reunion_audio`; this is
//! the part that can be tested without it.
//!
//! [`StoryEvent::ParticipantSaid`]: crate::director::StoryEvent::ParticipantSaid

use serde::Deserialize;

/// Brings a stream of mono samples from one rate to another, chunk by chunk (linear
/// interpolation after a box low-pass as wide as the step, enough for speech going
/// down from 44.1 or 48 kHz to 16 kHz). How the stream is cut does not change the
/// output.
#[derive(Clone, Debug)]
pub struct Resampler {
    /// Input samples per output sample.
    step: f64,
    /// Where the next output sample falls, in input samples after `previous`.
    position: f64,
    /// The last (smoothed) input sample of the previous chunk.
    previous: f32,
    /// The low-pass: a running sum over the last `width` input samples.
    width: usize,
    history: std::collections::VecDeque<f32>,
    sum: f32,
}

impl Resampler {
    /// From `from` Hz to `to` Hz.
    pub fn new(from: u32, to: u32) -> Self {
        let step = f64::from(from.max(1)) / f64::from(to.max(1));
        let width = (step.round() as usize).max(1);
        Self {
            step,
            position: step,
            previous: 0.0,
            width,
            history: std::collections::VecDeque::with_capacity(width),
            sum: 0.0,
        }
    }

    /// The next samples in; the samples at the new rate out.
    pub fn push(&mut self, samples: &[f32]) -> Vec<f32> {
        let mut out = Vec::with_capacity((samples.len() as f64 / self.step) as usize + 1);
        for &raw in samples {
            let raw = if raw.is_finite() { raw } else { 0.0 };
            self.history.push_back(raw);
            self.sum += raw;
            if self.history.len() > self.width {
                self.sum -= self.history.pop_front().unwrap_or(0.0);
            }
            let current = self.sum / self.history.len() as f32;
            // Output samples falling between `previous` (at 0) and `current` (at 1).
            while self.position <= 1.0 {
                let t = self.position as f32;
                out.push(self.previous + (current - self.previous) * t);
                self.position += self.step;
            }
            self.position -= 1.0;
            self.previous = current;
        }
        out
    }
}

/// Samples in -1..1 as the 16-bit integers recognisers take.
pub fn to_i16(samples: &[f32]) -> Vec<i16> {
    samples
        .iter()
        .map(|s| (s.clamp(-1.0, 1.0) * 32767.0).round() as i16)
        .collect()
}

/// One utterance as the recogniser read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Heard {
    /// The words, separated by spaces (no fillers or unknown-word marks).
    pub text: String,
    /// How sure the recogniser is, 0 to 1: the mean of its words' confidences, where
    /// an unknown-word or noise token (`[unk]`, `<UNK>`) counts as a word heard with
    /// no confidence (a reading that is mostly unknown is not a sure one).
    pub confidence: f32,
}

#[derive(Deserialize)]
struct VoskResult {
    #[serde(default)]
    text: String,
    #[serde(default)]
    result: Vec<VoskWord>,
}

#[derive(Deserialize)]
struct VoskWord {
    word: String,
    conf: f32,
}

#[derive(Deserialize)]
struct VoskPartial {
    #[serde(default)]
    partial: String,
}

/// Whether a recogniser's token is a word (not `[unk]`, `<UNK>`, `[noise]` or the like).
fn is_word(w: &str) -> bool {
    !(w.is_empty() || w.starts_with('[') || w.starts_with('<'))
}

/// A Vosk final result (its JSON, with word confidences) as what was heard; `None`
/// when nothing was (an empty result, only noise marks, or text that is not JSON).
pub fn parse_vosk_result(json: &str) -> Option<Heard> {
    let result: VoskResult = serde_json::from_str(json).ok()?;
    let words: Vec<&VoskWord> = result.result.iter().filter(|w| is_word(&w.word)).collect();
    if words.is_empty() {
        // Without word details (confidences off), the text alone, fully trusted is wrong:
        // say nothing was heard rather than invent a confidence.
        let text = clean(&result.text);
        return (!text.is_empty() && result.result.is_empty()).then_some(Heard {
            text,
            confidence: 0.0,
        });
    }
    let text = words
        .iter()
        .map(|w| w.word.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // Unknown-word and noise tokens count, at no confidence.
    let confidence =
        words.iter().map(|w| w.conf.clamp(0.0, 1.0)).sum::<f32>() / result.result.len() as f32;
    Some(Heard { text, confidence })
}

/// A Vosk partial result's words so far (for the console), cleaned; may be empty.
pub fn parse_vosk_partial(json: &str) -> String {
    serde_json::from_str::<VoskPartial>(json)
        .map(|p| clean(&p.partial))
        .unwrap_or_default()
}

fn clean(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| is_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_with_confidences_becomes_words_and_their_mean() {
        let json = r#"{
          "result" : [{ "conf" : 0.5, "end" : 0.84, "start" : 0.51, "word" : "보고" },
                      { "conf" : 0.7, "end" : 1.23, "start" : 0.9, "word" : "싶었어" }],
          "text" : "보고 싶었어"
        }"#;
        let heard = parse_vosk_result(json).expect("heard");
        assert_eq!(heard.text, "보고 싶었어");
        assert!(
            (heard.confidence - 0.6).abs() < 1e-6,
            "{}",
            heard.confidence
        );
    }

    #[test]
    fn an_unknown_word_counts_as_a_word_heard_with_no_confidence() {
        // A grammar's reading: the phrase sure, the rest unknown. The words are the
        // phrase; the confidence is not the phrase's alone.
        let json = r#"{
          "result" : [{ "conf" : 1.0, "end" : 0.27, "start" : 0.0, "word" : "<UNK>" },
                      { "conf" : 0.9, "end" : 0.84, "start" : 0.51, "word" : "보고" },
                      { "conf" : 0.9, "end" : 1.23, "start" : 0.9, "word" : "싶" },
                      { "conf" : 1.0, "end" : 1.5, "start" : 1.3, "word" : "[unk]" }],
          "text" : "<UNK> 보고 싶 [unk]"
        }"#;
        let heard = parse_vosk_result(json).expect("heard");
        assert_eq!(heard.text, "보고 싶");
        assert!(
            (heard.confidence - 0.45).abs() < 1e-6,
            "{}",
            heard.confidence
        );
    }

    #[test]
    fn nothing_heard_is_none() {
        assert_eq!(parse_vosk_result(r#"{"text" : ""}"#), None);
        assert_eq!(
            parse_vosk_result(
                r#"{"result":[{"conf":1.0,"end":1.0,"start":0.0,"word":"[unk]"}],"text":"[unk]"}"#
            ),
            None
        );
        assert_eq!(parse_vosk_result("not json"), None);
        assert_eq!(parse_vosk_partial(r#"{"partial" : "보고 [unk]"}"#), "보고");
        assert_eq!(parse_vosk_partial("{"), "");
    }

    #[test]
    fn text_without_word_details_is_heard_with_no_confidence() {
        let heard = parse_vosk_result(r#"{"text" : "보고 싶었어"}"#).expect("heard");
        assert_eq!(heard.text, "보고 싶었어");
        assert_eq!(heard.confidence, 0.0);
    }

    #[test]
    fn resampling_keeps_a_tone_and_its_length_whatever_the_cut() {
        let from = 48_000;
        let tone: Vec<f32> = (0..from)
            .map(|i| (i as f32 * 300.0 * std::f32::consts::TAU / from as f32).sin() * 0.5)
            .collect();
        let mut whole = Resampler::new(from, 16_000);
        let a = whole.push(&tone);
        let mut cut = Resampler::new(from, 16_000);
        let b: Vec<f32> = tone.chunks(333).flat_map(|c| cut.push(c)).collect();
        assert_eq!(a, b);
        assert!((a.len() as i64 - 16_000).abs() <= 2, "{}", a.len());
        // The tone survives at its level (RMS of a 0.5 sine is about 0.354).
        let rms = (a[100..].iter().map(|s| s * s).sum::<f32>() / (a.len() - 100) as f32).sqrt();
        assert!((rms - 0.354).abs() < 0.02, "{rms}");
        // 44.1 kHz, and a rate that is already right.
        assert!(
            (Resampler::new(44_100, 16_000)
                .push(&vec![0.1; 44_100])
                .len() as i64
                - 16_000)
                .abs()
                <= 2
        );
        let same = Resampler::new(16_000, 16_000).push(&[0.25, -0.5, 0.75]);
        assert_eq!(same, vec![0.25, -0.5, 0.75]);
    }

    #[test]
    fn samples_become_16_bit_and_are_clamped() {
        assert_eq!(
            to_i16(&[0.0, 1.0, -1.0, 2.0, 0.5]),
            vec![0, 32767, -32767, 32767, 16384]
        );
    }
}
