//! Lip-sync: the shape of her mouth at every moment of a line, from the line's text
//! and, when there is one, the loudness of its voice clip.
//!
//! [`LipSync::new`] reads a line once; [`LipSync::at`] then gives, for any time on the
//! story clock since the line began, the [`VisemeWeights`] of our seven shapes: `sil`
//! (rest), `pp` (closed lips) and the vowels `aa`, `ih`, `ou`, `ee`, `oh`. It needs no
//! sound device and is deterministic: the same line gives the same mouth, headless or
//! in the headset. The face map ([`face_shapes`](crate::face_shapes)) turns the
//! shapes into the model's morph targets.
//!
//! ```
//! use reunion_story::visemes::{LipSync, Viseme};
//!
//! let mouth = LipSync::new("아이우에오", "ko", 2.5, None);
//! assert_eq!(mouth.at(0.25).dominant(), Viseme::Aa);
//! assert_eq!(mouth.at(1.25).dominant(), Viseme::Ou);
//! assert_eq!(mouth.at(2.5).dominant(), Viseme::Sil); // the line is over
//! ```
//!
//! # Reading the text
//!
//! Each character is read by its script, whatever the line's language:
//!
//! - **Hangul** (exact for the vowels: Hangul is written as it is said). A syllable
//!   block U+AC00–U+D7A3 splits arithmetically (index = code − 0xAC00; initial =
//!   index / 588, vowel = index % 588 / 28, final = index % 28). The vowel gives the
//!   shape: ㅏ ㅑ `aa`; ㅐ ㅒ ㅔ ㅖ `ee`; ㅗ ㅛ `oh`; ㅜ ㅠ `ou`; ㅣ `ih`; ㅓ ㅕ
//!   (half open, a little rounded) a blend of `oh` 0.6 and `aa` 0.4; ㅡ (unrounded,
//!   small, lips a little spread) `ih` at 0.6, as `HUMANOID_NOTES.md` has it, not `ou`.
//!   Diphthongs glide from their first shape to their second over the vowel: ㅘ oh→aa,
//!   ㅙ ㅚ oh→ee (ㅚ is said /we/ today), ㅝ ou→ㅓ, ㅞ ou→ee, ㅟ ou→ih, ㅢ ㅡ→ih.
//!   Initials ㅁ ㅂ ㅃ ㅍ and finals ㅁ ㅂ ㅄ ㅍ ㄻ ㄿ close the lips (`pp`); ㅇ and ㅎ
//!   leave the vowel's mouth; every other consonant narrows it a little towards rest.
//!   Lone jamo (ㅋㅋ, ㅠㅠ) are not said.
//! - **Latin letters**: English spelling, approximately, when the language is `en`
//!   (`en-US` …): each run of vowel letters is a syllable; `oo` `ew` `ue` ou, `ee`
//!   `ea` `ie` ih, `ai` `ay` ee→ih, `ou` aa→ou, `ow` `oa` `aw` `au` oh, `oi` `oy`
//!   oh→ih; a silent final `e` is dropped and lengthens the vowel before it (`make`
//!   ee→ih, `time` aa→ih); single letters `a` aa, `e` ee, `i` `y` ih, `o` oh, `u` ou; a
//!   few common words are listed (`you`, `to`, `love`, `my`, `me`). In other languages
//!   each vowel letter is its own sound and nothing is silent. `m` `b` `p` close the
//!   lips; `f` `v` `ph` show as lips nearly closed (`pp` at 0.6: our shapes have no
//!   `FF`); `w` rounds them (`ou`).
//! - **Digits and other scripts**: one half-open beat each (digits are not spelled
//!   out).
//! - **Spaces and punctuation** are rests: a word gap 0.15 of a syllable's time, `,`
//!   0.6, `.` `!` `?` 0.9, `—` `;` `:` 0.8, `…` or `...` 1.8. Rests at the end of the
//!   line are dropped; one at its start (a hesitation) is kept.
//!
//! A syllable is its onset consonant, its vowel and its final consonant, in relative
//! lengths: a closing consonant 0.4, `f`/`v` 0.3, another 0.2, the vowel 1 (a glide's
//! first shape 0.35 of it). "엄마" is ㅓ then closed lips across the syllable boundary,
//! then ㅏ; "Mommy" closes on each `m`.
//!
//! # Timing
//!
//! Without an [`Envelope`] every syllable gets the same time (Korean is syllable-timed;
//! for English it is an approximation) and the rests their share, over the whole line.
//!
//! With one, only the voice's voiced segments carry syllables and the mouth rests in
//! the silences between them. When the text has as many phrases (stretches between
//! punctuation) as the voice has segments, each phrase takes its segment; otherwise the
//! syllables are shared out in proportion to the segments' lengths. The mouth's
//! opening (the vowel shapes) is scaled by the loudness: each frame's RMS over the
//! clip's 95th percentile of voiced RMS, clamped to 1, square-rooted (quiet syllables
//! stay visible); silent frames close it. Closed lips are not scaled: a `p` is silent
//! and still closes the lips.
//!
//! # Never popping
//!
//! The planned shapes are a step function; [`LipSync::at`] returns its mean over a
//! window of [`COARTICULATION_SECONDS`] (70 ms) around `t` — the co-articulation ramp
//! between shapes — and the loudness likewise. So no weight changes faster than
//! [`MAX_CHANGE_PER_SECOND`] (2 / 70 ms: at most 0.32 between two frames at 90 Hz).
//! The text is laid from half a window after the line's start to half a window before
//! its end, so the mouth is exactly at rest at `t ≤ 0` and `t ≥` the duration.
//!
//! # What is approximate
//!
//! English spelling, the even timing of syllables without an envelope, the sharing of
//! syllables between voiced segments when phrases and segments do not match, and
//! consonants other than the lip ones (shown only as a narrowing). Korean vowels and
//! lip closures are read exactly from the text; their timing is as good as the
//! envelope.

mod korean;
mod latin;
mod mouth;
mod reading;
mod syllable;
mod timing;

pub use mouth::{Viseme, VisemeWeights};
pub use timing::Span;

use timing::Steps;

/// The co-articulation window: every shape and the loudness are averaged over this.
pub const COARTICULATION_SECONDS: f32 = 0.07;

/// No weight changes faster than this (shape and loudness ramps together).
pub const MAX_CHANGE_PER_SECOND: f32 = 2.0 / COARTICULATION_SECONDS;

/// A voice clip's loudness: RMS per frame, and where it is voiced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Envelope {
    /// Seconds per RMS frame (e.g. 1/60).
    pub frame_seconds: f32,
    /// RMS of each frame, from the clip's start. May be empty when only the voiced
    /// segments are known (the mouth then opens fully in them).
    pub rms: Vec<f32>,
    /// Voiced segments `(start, end)` in seconds from the clip's start.
    pub voiced: Vec<(f32, f32)>,
}

/// Frames quieter than this share of the clip's loud level are silence.
const SILENCE_SHARE: f32 = 0.15;
/// Silences shorter than this inside speech are kept voiced (stops, breaths).
const MIN_GAP_SECONDS: f32 = 0.15;
/// Voiced stretches shorter than this are dropped (clicks).
const MIN_VOICED_SECONDS: f32 = 0.05;

impl Envelope {
    /// An envelope whose voiced segments are found from the loudness alone: frames at
    /// least 15 % of the clip's 95th-percentile RMS, gaps under 150 ms bridged,
    /// stretches under 50 ms dropped.
    pub fn from_rms(frame_seconds: f32, rms: Vec<f32>) -> Envelope {
        let loud = percentile95(rms.iter().copied());
        let mut voiced: Vec<(f32, f32)> = Vec::new();
        if loud > 0.0 && frame_seconds > 0.0 {
            let mut start = None;
            for (i, &r) in rms.iter().chain([&0.0]).enumerate() {
                let t = i as f32 * frame_seconds;
                match (start, r >= SILENCE_SHARE * loud) {
                    (None, true) => start = Some(t),
                    (Some(s), false) => {
                        match voiced.last_mut() {
                            Some(last) if s - last.1 < MIN_GAP_SECONDS => last.1 = t,
                            _ => voiced.push((s, t)),
                        }
                        start = None;
                    }
                    _ => {}
                }
            }
            voiced.retain(|(a, b)| b - a >= MIN_VOICED_SECONDS);
        }
        Envelope {
            frame_seconds,
            rms,
            voiced,
        }
    }

    /// How open the mouth may be in each frame, as pieces of time.
    fn openness(&self) -> Vec<(f32, f32, [f32; 1])> {
        let inside = |t: f32| self.voiced.iter().any(|&(a, b)| a <= t && t < b);
        let voiced_rms = self
            .rms
            .iter()
            .enumerate()
            .filter(|(i, _)| inside((*i as f32 + 0.5) * self.frame_seconds))
            .map(|(_, &r)| r);
        let loud = percentile95(voiced_rms);
        if self.rms.is_empty() || loud <= 0.0 || self.frame_seconds <= 0.0 {
            return self.voiced.iter().map(|&(a, b)| (a, b, [1.0])).collect();
        }
        let fs = self.frame_seconds;
        self.rms
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                let (a, b) = (i as f32 * fs, (i + 1) as f32 * fs);
                let open = if inside(a + fs / 2.0) {
                    (r / loud).clamp(0.0, 1.0).sqrt()
                } else {
                    0.0
                };
                (a, b, [open])
            })
            .collect()
    }
}

/// The 95th percentile of the positive values; 0 for none.
fn percentile95(values: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = values.filter(|r| *r > 0.0 && r.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[((v.len() - 1) as f32 * 0.95).round() as usize]
}

/// The mouth over one line: read once, asked every frame.
#[derive(Clone, Debug)]
pub struct LipSync {
    seconds: f32,
    spans: Vec<Span>,
    mouth: Steps<7>,
    /// `None` without an envelope: the mouth opens fully.
    openness: Option<Steps<1>>,
}

impl LipSync {
    /// Reads a line: its `text`, its language (`"ko"`, `"en"`, …), how long it lasts
    /// (`seconds`: its voice clip's length, or its text timing) and its voice clip's
    /// loudness when there is one.
    pub fn new(text: &str, lang: &str, seconds: f32, envelope: Option<&Envelope>) -> LipSync {
        let english = lang == "en" || lang.starts_with("en-") || lang.starts_with("en_");
        let units = reading::read(text, english);
        let margin = COARTICULATION_SECONDS / 2.0;
        let seconds = seconds.max(0.0);
        let (start, end) = (margin, seconds - margin);
        let spans = if end > start {
            timing::plan(&units, start, end, envelope.map(|e| e.voiced.as_slice()))
        } else {
            Vec::new()
        };
        let mouth = Steps::new(
            spans.iter().map(|s| (s.start, s.end, s.mouth.0)),
            VisemeWeights::REST.0,
        );
        let openness = envelope.map(|e| Steps::new(e.openness(), [0.0]));
        LipSync {
            seconds,
            spans,
            mouth,
            openness,
        }
    }

    /// The line's length in seconds.
    pub fn seconds(&self) -> f32 {
        self.seconds
    }

    /// The planned shapes before smoothing, in order (rests included).
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The mouth `t` seconds after the line began: at rest before and after it.
    pub fn at(&self, t: f32) -> VisemeWeights {
        let mut w = self.mouth.mean(t, COARTICULATION_SECONDS);
        let open = self
            .openness
            .as_ref()
            .map_or(1.0, |o| o.mean(t, COARTICULATION_SECONDS)[0]);
        for v in Viseme::VOWELS {
            w[v as usize] *= open;
        }
        for x in &mut w {
            *x = x.clamp(0.0, 1.0);
        }
        let others: f32 = w[1..].iter().sum();
        w[Viseme::Sil as usize] = (1.0 - others).max(0.0);
        VisemeWeights(w)
    }
}

#[cfg(test)]
mod tests;
