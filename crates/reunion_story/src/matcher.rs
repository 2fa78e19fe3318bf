//! Which of the story's intents a recogniser's words express: a forgiving matcher,
//! plain Rust, no state.
//!
//! The author writes a few words per intent and language (`"보고 싶"`, `"miss you"`);
//! the participant says them in her own way and a recogniser writes down what it
//! heard. The matcher looks for each phrase *inside* the words and grades how closely
//! it is there ([`MatchQuality`]); the confidence of a match is the recogniser's own
//! confidence times that quality. Below [`SURE_AT`] a match is *unsure*: the story
//! may ask the facilitator to confirm it before she answers.
//!
//! ## Korean: compared on jamo
//!
//! A Hangul phrase is compared letter by letter (jamo), not syllable by syllable, with
//! spaces and punctuation left out. That one choice covers most of how the same words
//! are written differently:
//!
//! - spacing is optional: `"보고싶었어"` holds `"보고 싶"`;
//! - endings after a stem: `"보고 싶"` is the start of `보고 싶어`, `싶었어`, `싶다`;
//! - a final consonant carried to the next syllable, as recognisers that spell by
//!   sound write it: `싶어` and `시퍼` are both ㅅㅣㅍㅓ (the silent ㅇ that begins a
//!   syllable is no letter);
//! - a double final splits into its two consonants (`없` is ㅓㅂㅅ), so `업서` matches;
//! - colloquial and misheard variants cost less than other differences: a vowel or
//!   consonant swapped for a close one (ㅗ/ㅜ as in 보구/보고, ㅐ/ㅔ, ㅡ/ㅜ, plain,
//!   tense and aspirated consonants such as ㄱ/ㄲ/ㅋ) costs [`CLOSE_COST`]; any other
//!   letter wrong, missing or extra costs 1.
//!
//! The quality is `1 - cost / letters of the phrase` for the best place in the words
//! (an edit distance in which the phrase may start and end anywhere, Sellers' method);
//! a match needs at least [`MIN_QUALITY`].
//!
//! ## English (and other languages without Hangul): compared on words
//!
//! Case and punctuation are ignored, contractions are spelled out (`I'm` → `i am`,
//! `don't` → `do not`, `you're` → `you are`), and the phrase's words must follow each
//! other in the words heard. A word heard may carry an ending the phrase does not:
//! `-s`, `-es`, `-ed`, `-d`, `-ing` (a final `e` dropped before `-ing`), so `"miss
//! you"` is in "I missed you" and `"love you"` in "loving you", at a quality of
//! [`ENDING_QUALITY`] for each word that needed one.

/// A match at this confidence or above is sure; below it, unsure.
pub const SURE_AT: f32 = 0.6;
/// The least match quality that counts as a match at all.
pub const MIN_QUALITY: f32 = 0.75;
/// What swapping a jamo for a close one costs (a different one costs 1).
pub const CLOSE_COST: f32 = 0.3;
/// The quality of an English word heard with an ending the phrase does not have.
pub const ENDING_QUALITY: f32 = 0.95;

/// How closely a phrase is in the words, 0 to 1 (1: exactly there).
pub type MatchQuality = f32;

/// The words of one intent, in one or more languages (what the story declares).
#[derive(Clone, Debug, PartialEq)]
pub struct IntentWords<'a> {
    /// Index of the intent in the story.
    pub intent: usize,
    /// Every phrase, in any language.
    pub phrases: Vec<&'a str>,
}

/// An intent found in what was said.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IntentMatch {
    /// Index of the intent in the story.
    pub intent: usize,
    /// The recogniser's confidence times the match's quality, 0 to 1.
    pub confidence: f32,
}

impl IntentMatch {
    /// Whether the match is sure enough to act on without the facilitator.
    pub fn is_sure(&self) -> bool {
        self.confidence >= SURE_AT
    }
}

/// Every intent found in `text` (as the recogniser wrote it, with its `confidence`,
/// 0 to 1; anything outside is clamped, NaN is 0), the most confident first. Each
/// intent appears once, at its best phrase.
pub fn match_intents(text: &str, confidence: f32, intents: &[IntentWords]) -> Vec<IntentMatch> {
    let confidence = if confidence.is_nan() {
        0.0
    } else {
        confidence.clamp(0.0, 1.0)
    };
    let heard = Folded::new(text);
    let mut out: Vec<IntentMatch> = intents
        .iter()
        .filter_map(|i| {
            let q = i
                .phrases
                .iter()
                .map(|p| phrase_quality(&heard, p))
                .fold(0.0_f32, f32::max);
            (q >= MIN_QUALITY).then_some(IntentMatch {
                intent: i.intent,
                confidence: confidence * q,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.intent.cmp(&b.intent))
    });
    out
}

/// How closely `phrase` is in `text` (both as written), 0 to 1.
pub fn quality(text: &str, phrase: &str) -> MatchQuality {
    phrase_quality(&Folded::new(text), phrase)
}

fn phrase_quality(heard: &Folded, phrase: &str) -> MatchQuality {
    if phrase.chars().any(is_hangul) {
        let p = jamo(phrase);
        if p.is_empty() {
            return 0.0;
        }
        let cost = best_substring_cost(&p, &heard.jamo);
        (1.0 - cost / p.len() as f32).max(0.0)
    } else {
        let p = words(phrase);
        if p.is_empty() {
            return 0.0;
        }
        word_quality(&p, &heard.words)
    }
}

/// A text as the matcher compares it: its jamo (Hangul letters only) and its words.
struct Folded {
    jamo: Vec<char>,
    words: Vec<String>,
}

impl Folded {
    fn new(text: &str) -> Self {
        Self {
            jamo: jamo(text),
            words: words(text),
        }
    }
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3131}'..='\u{318E}')
}

/// Initial consonants in syllable order, as compatibility jamo (ㅇ is silent: none).
const INITIALS: [&str; 19] = [
    "ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ", "ㅆ", "", "ㅈ", "ㅉ", "ㅊ", "ㅋ",
    "ㅌ", "ㅍ", "ㅎ",
];
/// Vowels in syllable order.
const VOWELS: [char; 21] = [
    'ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅘ', 'ㅙ', 'ㅚ', 'ㅛ', 'ㅜ', 'ㅝ', 'ㅞ',
    'ㅟ', 'ㅠ', 'ㅡ', 'ㅢ', 'ㅣ',
];
/// Final consonants in syllable order (index 0: none); double finals split in two.
/// A final ㅇ is the sound "ng", written here as ㆁ so it never equals the silent
/// initial (which is left out).
const FINALS: [&str; 28] = [
    "", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ",
    "ㄹㅌ", "ㄹㅍ", "ㄹㅎ", "ㅁ", "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㆁ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ",
    "ㅎ",
];

/// The Hangul of `text` as a string of letters: syllables taken apart, spaces,
/// punctuation and anything not Hangul left out.
fn jamo(text: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in text.chars() {
        let u = c as u32;
        match c {
            '\u{AC00}'..='\u{D7A3}' => {
                let s = u - 0xAC00;
                let (l, v, t) = (s / (21 * 28), (s / 28) % 21, s % 28);
                out.extend(INITIALS[l as usize].chars());
                out.push(VOWELS[v as usize]);
                out.extend(FINALS[t as usize].chars());
            }
            // Conjoining jamo (a text written decomposed).
            '\u{1100}'..='\u{1112}' => out.extend(INITIALS[(u - 0x1100) as usize].chars()),
            '\u{1161}'..='\u{1175}' => out.push(VOWELS[(u - 0x1161) as usize]),
            '\u{11A8}'..='\u{11C2}' => out.extend(FINALS[(u - 0x11A8 + 1) as usize].chars()),
            // Compatibility jamo, as typed alone: ㅇ alone is silent too.
            'ㅇ' => {}
            '\u{3131}'..='\u{318E}' => out.push(c),
            _ => {}
        }
    }
    out
}

/// Groups of letters close enough that one heard for another costs [`CLOSE_COST`].
const CLOSE: [&str; 12] = [
    "ㅗㅜ",
    "ㅐㅔ",
    "ㅒㅖ",
    "ㅙㅚㅞ",
    "ㅡㅜ",
    "ㅕㅓ",
    "ㄱㄲㅋ",
    "ㄷㄸㅌ",
    "ㅂㅃㅍ",
    "ㅅㅆ",
    "ㅈㅉㅊ",
    "ㆁㄴ",
];

fn substitution(a: char, b: char) -> f32 {
    if a == b {
        0.0
    } else if CLOSE.iter().any(|g| g.contains(a) && g.contains(b)) {
        CLOSE_COST
    } else {
        1.0
    }
}

/// The least cost of turning `pattern` into some run of `text` (it may start and
/// end anywhere in `text`): an edit distance, substitutions weighed by closeness.
fn best_substring_cost(pattern: &[char], text: &[char]) -> f32 {
    // prev[j]: the cost of the pattern so far ending just before text[j].
    let mut prev = vec![0.0_f32; text.len() + 1];
    let mut cur = vec![0.0_f32; text.len() + 1];
    for (i, &p) in pattern.iter().enumerate() {
        cur[0] = (i + 1) as f32;
        for (j, &t) in text.iter().enumerate() {
            cur[j + 1] = (prev[j] + substitution(p, t))
                .min(prev[j + 1] + 1.0)
                .min(cur[j] + 1.0);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.iter().copied().fold(f32::INFINITY, f32::min)
}

/// The words of a non-Hangul text: lower case, contractions spelled out,
/// punctuation dropped (an apostrophe inside a word is kept until it is spelled out).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = text.to_lowercase().replace(['’', '‘'], "'");
    for raw in lower.split(|c: char| !(c.is_alphanumeric() || c == '\'') || is_hangul(c)) {
        let w = raw.trim_matches('\'');
        if w.is_empty() {
            continue;
        }
        out.extend(spell_out(w).into_iter().filter(|w| !w.is_empty()));
    }
    out
}

/// One word with its contraction spelled out: `i'm` → `i am`, `can't` → `can not`.
fn spell_out(w: &str) -> Vec<String> {
    match w {
        "can't" => return vec!["can".into(), "not".into()],
        "won't" => return vec!["will".into(), "not".into()],
        "ain't" => return vec!["is".into(), "not".into()],
        _ => {}
    }
    const ENDINGS: [(&str, &str); 7] = [
        ("n't", "not"),
        ("'m", "am"),
        ("'re", "are"),
        ("'ve", "have"),
        ("'ll", "will"),
        ("'d", "would"),
        ("'s", "is"),
    ];
    for (end, full) in ENDINGS {
        if let Some(stem) = w.strip_suffix(end) {
            return vec![stem.replace('\'', ""), full.into()];
        }
    }
    vec![w.replace('\'', "")]
}

/// How well `heard` stands for the phrase's word `said`: 1 the same, the ending
/// quality when it adds an ending, 0 otherwise.
fn word_match(said: &str, heard: &str) -> f32 {
    if said == heard {
        return 1.0;
    }
    let with_ending = ["s", "es", "ed", "d", "ing"]
        .iter()
        .any(|e| heard.strip_suffix(e) == Some(said))
        || said
            .strip_suffix('e')
            .is_some_and(|stem| heard.strip_suffix("ing") == Some(stem));
    if with_ending { ENDING_QUALITY } else { 0.0 }
}

/// The best quality of the phrase's words following each other somewhere in `heard`.
fn word_quality(phrase: &[String], heard: &[String]) -> f32 {
    if heard.len() < phrase.len() {
        return 0.0;
    }
    (0..=heard.len() - phrase.len())
        .map(|start| {
            phrase
                .iter()
                .zip(&heard[start..])
                .map(|(p, h)| word_match(p, h))
                .product::<f32>()
        })
        .fold(0.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str, phrase: &str) -> f32 {
        quality(text, phrase)
    }

    #[test]
    fn syllables_come_apart_into_letters_and_the_silent_initial_is_no_letter() {
        assert_eq!(jamo("싶어").iter().collect::<String>(), "ㅅㅣㅍㅓ");
        assert_eq!(jamo("시퍼"), jamo("싶어"));
        assert_eq!(jamo("없어").iter().collect::<String>(), "ㅓㅂㅅㅓ");
        assert_eq!(jamo("사랑").iter().collect::<String>(), "ㅅㅏㄹㅏㆁ");
        // Decomposed text reads the same as composed.
        assert_eq!(jamo("\u{1108}\u{1161}\u{11A8}"), jamo("빡"));
    }

    #[test]
    fn korean_spacing_is_optional_and_endings_follow_the_stem() {
        assert_eq!(q("보고싶었어", "보고 싶"), 1.0);
        assert_eq!(q("엄마 너무 보고 싶었어!", "보고 싶"), 1.0);
        assert_eq!(q("보고 싶다", "보고싶"), 1.0);
        assert_eq!(q("너무 그리웠어", "그리웠"), 1.0);
        assert_eq!(q("미안해 나연아", "미안"), 1.0);
    }

    #[test]
    fn korean_spelled_by_sound_still_matches() {
        assert_eq!(q("보고 시퍼", "보고 싶"), 1.0);
        assert_eq!(q("사랑해", "사랑해"), 1.0);
    }

    #[test]
    fn colloquial_vowels_cost_a_little() {
        let v = q("보구 싶었어", "보고 싶");
        assert!(v < 1.0 && v > 0.9, "{v}");
        // A close consonant too: ㅆ heard for ㅅ.
        let v = q("보고 씹었어", "보고 싶");
        assert!(v > 0.9, "{v}");
    }

    #[test]
    fn other_korean_words_do_not_match() {
        assert!(q("고마워", "보고 싶") < MIN_QUALITY);
        assert!(q("안녕 나연아", "미안") < MIN_QUALITY);
        assert!(q("배고파", "보고 싶") < MIN_QUALITY);
        assert!(q("", "보고 싶") < MIN_QUALITY);
        assert_eq!(q("I miss you", "보고 싶"), 0.0);
    }

    #[test]
    fn english_ignores_case_punctuation_and_contractions() {
        assert_eq!(q("I MISS YOU!!", "miss you"), 1.0);
        assert_eq!(q("Oh, Nayeon... miss you.", "miss you"), 1.0);
        assert_eq!(q("I'm sorry", "i am sorry"), 1.0);
        assert_eq!(q("I am so sorry", "I'm so sorry"), 1.0);
        assert_eq!(q("I don’t know", "do not know"), 1.0);
    }

    #[test]
    fn english_words_may_carry_an_ending() {
        assert_eq!(q("I missed you so much", "miss you"), ENDING_QUALITY);
        assert_eq!(q("always loving you", "love you"), ENDING_QUALITY);
        assert_eq!(q("I love you", "love you"), 1.0);
    }

    #[test]
    fn english_words_must_follow_each_other() {
        assert_eq!(q("you miss", "miss you"), 0.0);
        assert_eq!(q("I miss my friend, you know", "miss you"), 0.0);
        assert_eq!(q("mississippi", "miss"), 0.0);
        assert_eq!(q("anything", ""), 0.0);
    }

    fn intents() -> Vec<IntentWords<'static>> {
        vec![
            IntentWords {
                intent: 0,
                phrases: vec!["보고 싶", "그리웠", "miss you"],
            },
            IntentWords {
                intent: 1,
                phrases: vec!["미안", "sorry"],
            },
            IntentWords {
                intent: 2,
                phrases: vec!["사랑해", "love you"],
            },
        ]
    }

    #[test]
    fn the_confidence_is_the_recognisers_times_the_quality() {
        let m = match_intents("보고싶었어", 0.8, &intents());
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].intent, 0);
        assert!((m[0].confidence - 0.8).abs() < 1e-6);
        assert!(m[0].is_sure());
        let m = match_intents("보고싶었어", 0.5, &intents());
        assert!(
            !m[0].is_sure(),
            "a doubtful recogniser makes an unsure match"
        );
        let m = match_intents("I missed you", 1.0, &intents());
        assert!((m[0].confidence - ENDING_QUALITY).abs() < 1e-6);
    }

    #[test]
    fn several_intents_in_one_utterance_come_most_confident_first() {
        let m = match_intents("미안해, 보구 싶었어, 사랑해", 0.9, &intents());
        let order: Vec<usize> = m.iter().map(|m| m.intent).collect();
        assert_eq!(order, [1, 2, 0], "{m:?}");
    }

    #[test]
    fn nothing_matches_nothing_and_a_wild_confidence_is_clamped() {
        assert!(match_intents("", 1.0, &intents()).is_empty());
        assert!(match_intents("좋은 날이야", 1.0, &intents()).is_empty());
        let m = match_intents("sorry", f32::NAN, &intents());
        assert_eq!(m[0].confidence, 0.0);
        let m = match_intents("sorry", 7.0, &intents());
        assert_eq!(m[0].confidence, 1.0);
    }
}
