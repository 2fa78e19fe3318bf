//! A syllable as the mouth makes it: the consonant before, the vowel, the consonant
//! after, each a phase with a shape and a relative length; and the pauses between.

use super::mouth::{Viseme, VisemeWeights};

/// What a consonant does with the lips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lips {
    /// Closes them: p b m; ㅁ ㅂ ㅃ ㅍ.
    Closed,
    /// Lower lip to the upper teeth: f v. Shown as lips nearly closed (`pp` at 0.6);
    /// our shapes have no `FF`.
    Teeth,
    /// Rounds them: w.
    Rounded,
    /// Leaves them to the tongue (t d n s k g l r, ㄴ ㄷ ㄱ ㅅ …): the mouth narrows
    /// a little towards rest between vowels.
    Other,
}

/// A vowel's mouth: one shape, or a glide from one to another (ㅘ: oh → aa).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Vowel {
    pub start: VisemeWeights,
    pub end: Option<VisemeWeights>,
}

impl Vowel {
    pub fn plain(v: VisemeWeights) -> Vowel {
        Vowel {
            start: v,
            end: None,
        }
    }

    pub fn glide(from: VisemeWeights, to: VisemeWeights) -> Vowel {
        Vowel {
            start: from,
            end: Some(to),
        }
    }

    pub fn of(v: Viseme) -> Vowel {
        Vowel::plain(VisemeWeights::only(v))
    }

    fn last(&self) -> VisemeWeights {
        self.end.unwrap_or(self.start)
    }
}

/// One stretch of a syllable: a shape held for a relative length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Phase {
    pub mouth: VisemeWeights,
    pub length: f32,
}

/// What a line's text becomes: syllables and pauses, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Unit {
    /// One syllable; its phases' lengths are relative (the syllable gets one beat).
    Syllable(Vec<Phase>),
    /// A rest of `beats` syllables' time. `strong` pauses (punctuation) end a phrase;
    /// weak ones are the gaps between words.
    Pause { beats: f32, strong: bool },
}

/// Relative length of a glide's first shape.
const GLIDE_START: f32 = 0.35;

/// A consonant's phase: its relative length and its mouth next to `vowel`.
fn consonant(lips: Lips, vowel: VisemeWeights, onset: bool) -> Option<Phase> {
    let (mouth, length) = match lips {
        Lips::Closed => (VisemeWeights::only(Viseme::Pp), 0.4),
        Lips::Teeth => (VisemeWeights::blend(&[(Viseme::Pp, 0.6)]), 0.3),
        Lips::Rounded if onset => (VisemeWeights::only(Viseme::Ou), 0.3),
        Lips::Rounded => return None,
        Lips::Other => (VisemeWeights::REST.lerp(&vowel, 0.4), 0.2),
    };
    Some(Phase { mouth, length })
}

/// A syllable's phases: the onset consonant's, the vowel's (two for a glide), the
/// final consonant's.
pub fn syllable(onset: Option<Lips>, vowel: Vowel, coda: Option<Lips>) -> Unit {
    let mut phases = Vec::with_capacity(4);
    if let Some(p) = onset.and_then(|l| consonant(l, vowel.start, true)) {
        phases.push(p);
    }
    match vowel.end {
        None => phases.push(Phase {
            mouth: vowel.start,
            length: 1.0,
        }),
        Some(end) => {
            phases.push(Phase {
                mouth: vowel.start,
                length: GLIDE_START,
            });
            phases.push(Phase {
                mouth: end,
                length: 1.0 - GLIDE_START,
            });
        }
    }
    if let Some(p) = coda.and_then(|l| consonant(l, vowel.last(), false)) {
        phases.push(p);
    }
    Unit::Syllable(phases)
}

/// A syllable with no vowel of ours: a digit, a letter of another script. The mouth
/// half opens for one beat.
pub fn generic_syllable() -> Unit {
    syllable(
        None,
        Vowel::plain(VisemeWeights::blend(&[(Viseme::Aa, 0.5)])),
        None,
    )
}

/// The pause a run of spaces and punctuation makes, in beats, and whether it ends a
/// phrase. `None` for characters that make none (quotes, brackets).
pub fn pause(run: &str) -> Option<Unit> {
    let dots = run.chars().filter(|&c| c == '.').count();
    let mut beats: f32 = 0.0;
    let mut strong = false;
    for c in run.chars() {
        let b = match c {
            '…' | '⋯' => 1.8,
            '.' if dots >= 2 => 1.8,
            '.' | '!' | '?' | '。' | '！' | '？' => 0.9,
            '—' | '–' | ';' | ':' => 0.8,
            ',' | '、' | '，' => 0.6,
            '~' | '～' => 0.4,
            c if c.is_whitespace() => {
                beats = beats.max(0.15);
                continue;
            }
            _ => continue,
        };
        beats = beats.max(b);
        strong = true;
    }
    (beats > 0.0).then_some(Unit::Pause { beats, strong })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_onset_and_coda_frame_the_vowel() {
        let Unit::Syllable(phases) = syllable(
            Some(Lips::Closed),
            Vowel::of(Viseme::Aa),
            Some(Lips::Closed),
        ) else {
            panic!("a syllable");
        };
        let shapes: Vec<Viseme> = phases.iter().map(|p| p.mouth.dominant()).collect();
        assert_eq!(shapes, [Viseme::Pp, Viseme::Aa, Viseme::Pp]);
        let Unit::Syllable(phases) = syllable(
            None,
            Vowel::glide(
                VisemeWeights::only(Viseme::Oh),
                VisemeWeights::only(Viseme::Aa),
            ),
            Some(Lips::Other),
        ) else {
            panic!("a syllable");
        };
        assert_eq!(phases.len(), 3);
        assert_eq!(phases[0].mouth.dominant(), Viseme::Oh);
        assert_eq!(phases[1].mouth.dominant(), Viseme::Aa);
        // A tongue consonant narrows towards rest from the vowel it follows.
        assert!((phases[2].mouth.get(Viseme::Aa) - 0.4).abs() < 1e-6);
    }

    #[test]
    fn punctuation_pauses_are_longer_than_word_gaps_and_ellipses_longest() {
        let beats = |s| match pause(s) {
            Some(Unit::Pause { beats, strong }) => (beats, strong),
            _ => (0.0, false),
        };
        assert_eq!(beats(" "), (0.15, false));
        assert_eq!(beats(", "), (0.6, true));
        assert_eq!(beats(". "), (0.9, true));
        assert_eq!(beats("…"), (1.8, true));
        assert_eq!(beats("..."), (1.8, true));
        assert_eq!(beats("\""), (0.0, false));
    }
}
