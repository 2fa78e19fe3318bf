//! What the recogniser listens for: a grammar made from the story's intents, in the
//! words the model knows.
//!
//! A free reading of speech by a small model is poor (espeak-ng's "엄마도 너무 보고
//! 싶었어" came out as "엄만 오염 봉 교수의 었어") and slow (a real-time factor near 1
//! on 2 cores). Vosk's small models can instead decode against a grammar given when the
//! recogniser is made (`vosk_recognizer_new_grm`): a list of phrases, from which it
//! estimates a small bigram language model. The story already says what matters: its
//! intents' phrases in the session's language. [`build`] turns them into such a list:
//!
//! - **In the model's words.** A grammar word the model does not know is dropped by
//!   Vosk without a word to anyone, so each phrase is cut into words of the model's
//!   [`Vocabulary`]: a piece it knows stays whole, one it does not is cut at the
//!   longest known beginning, again and again (`"사랑한"` → `사랑 한`; the Korean model
//!   splits endings off, `싶었어` is `싶었 어`). A phrase that cannot be cut is left
//!   out, and said so ([`Grammar::phrases`]).
//! - **Stems stay stems.** The matcher reads `"보고 싶"` as the start of `보고 싶어`
//!   or `싶었어`; the grammar holds the phrase as written, and the ending is heard as
//!   whatever word the model takes it for. Adding the words that begin with a
//!   phrase's last word (`싶어`, `싶다`, `싶었` …) was tried and measured: it found a
//!   few more intents and many more where none was said.
//! - **Something else to hear.** With only the phrases, every sound becomes one of
//!   them, confidently: measured on espeak-ng (see docs/performance.md), a phrase-only
//!   grammar found an intent in almost every sentence that had none. So the grammar
//!   also holds the [`GrammarConfig::fillers`] most frequent words of the language
//!   (the model's own unigram counts, from its `Gr.fst`), which stand for "anything
//!   else", and the model's unknown-word token. A phrase is repeated
//!   [`GrammarConfig::phrase_weight`] times: the grammar leans towards the story's
//!   phrases without making them the only thing it can hear.
//!
//! The matcher stays the judge: the recogniser's reading (fillers and all) goes to it
//! as any reading does. Unknown-word tokens count as words heard with no confidence
//! (see [`crate::speech::parse_vosk_result`]).
//!
//! [`Vocabulary::from_openfst`] reads the words (and, for an n-gram `Gr.fst`, their
//! unigram weights) from the model's graph: small Vosk models ship no `words.txt`.

use std::collections::HashMap;

/// The grammar's shape (the defaults were measured, see docs/performance.md).
#[derive(Clone, Debug, PartialEq)]
pub struct GrammarConfig {
    /// How many of the language's most frequent words stand for "anything else".
    pub fillers: usize,
    /// How many times each phrase is repeated (its weight against one filler).
    pub phrase_weight: usize,
}

impl Default for GrammarConfig {
    fn default() -> Self {
        Self {
            fillers: 200,
            phrase_weight: 30,
        }
    }
}

/// The words a model knows, with how frequent each is where the model says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vocabulary {
    /// Each word and its rank by frequency (0: the most frequent); `u32::MAX` where
    /// the model gives no frequency.
    rank: HashMap<String, u32>,
    /// The words with a frequency, the most frequent first.
    by_frequency: Vec<String>,
}

/// The magic numbers of OpenFst's binary files.
const FST_MAGIC: i32 = 2_125_659_606;
const SYMBOLS_MAGIC: i32 = 2_125_658_996;

impl Vocabulary {
    /// A vocabulary from words, in order of frequency (the first the most frequent).
    pub fn from_ranked<S: AsRef<str>>(words: &[S]) -> Self {
        let mut v = Self::default();
        for w in words {
            let w = w.as_ref();
            if !v.rank.contains_key(w) {
                v.rank.insert(w.to_string(), v.by_frequency.len() as u32);
                v.by_frequency.push(w.to_string());
            }
        }
        v
    }

    /// A Kaldi `words.txt` (`word id` a line): words without frequencies.
    pub fn from_words_txt(text: &str) -> Self {
        let rank = text
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(|w| (w.to_string(), u32::MAX))
            .collect();
        Self {
            rank,
            by_frequency: Vec::new(),
        }
    }

    /// The output symbols of an OpenFst binary file (a Vosk model's `graph/Gr.fst`);
    /// when it is an n-gram FST (`ngram`), the words' unigram weights give their
    /// frequencies.
    pub fn from_openfst(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.i32()? != FST_MAGIC {
            return Err("not an OpenFst file".into());
        }
        let fst_type = r.string()?;
        let _arc_type = r.string()?;
        let _version = r.i32()?;
        let flags = r.i32()?;
        let _properties = r.u64()?;
        let _start = r.u64()?;
        let _states = r.u64()?;
        let _arcs = r.u64()?;
        let mut symbols = None;
        for has in [flags & 1 != 0, flags & 2 != 0] {
            if has {
                symbols = Some(r.symbols()?);
            }
        }
        let symbols = symbols.ok_or("the FST carries no symbol table")?;
        let mut vocabulary = Self {
            rank: symbols.values().map(|w| (w.clone(), u32::MAX)).collect(),
            by_frequency: Vec::new(),
        };
        if fst_type == "ngram" {
            if flags & 4 != 0 {
                r.at = r.at.div_ceil(16) * 16;
            }
            let mut unigrams = r.ngram_unigrams()?;
            unigrams.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            for (label, _) in unigrams {
                if let Some(w) = symbols.get(&label)
                    && let Some(rank) = vocabulary.rank.get_mut(w)
                    && *rank == u32::MAX
                {
                    *rank = vocabulary.by_frequency.len() as u32;
                    vocabulary.by_frequency.push(w.clone());
                }
            }
        }
        Ok(vocabulary)
    }

    pub fn contains(&self, word: &str) -> bool {
        self.rank.contains_key(word)
    }

    pub fn len(&self) -> usize {
        self.rank.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rank.is_empty()
    }

    /// Whether the model gave the words' frequencies (fillers need them).
    pub fn has_frequencies(&self) -> bool {
        !self.by_frequency.is_empty()
    }

    /// The model's token for a word it does not know (`[unk]` or `<UNK>`), if any.
    pub fn unknown_token(&self) -> Option<&'static str> {
        ["[unk]", "<UNK>", "<unk>"]
            .into_iter()
            .find(|t| self.contains(t))
    }

    /// `text` cut into words the model knows: a known piece whole, an unknown one at
    /// its longest known beginning, again and again; `None` if some part is unknown.
    pub fn words_of(&self, text: &str) -> Option<Vec<String>> {
        let mut out = Vec::new();
        for piece in text.split_whitespace() {
            let piece = if piece.chars().any(is_hangul) {
                piece.to_string()
            } else {
                piece.to_lowercase()
            };
            let chars: Vec<char> = piece.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let end = (i + 1..=chars.len())
                    .rev()
                    .find(|&j| self.contains(&chars[i..j].iter().collect::<String>()))?;
                out.push(chars[i..end].iter().collect());
                i = end;
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// A little-endian reader of OpenFst's binary layout.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or("the FST file ends too soon")?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn i32(&mut self) -> Result<i32, String> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    fn usize(&mut self) -> Result<usize, String> {
        usize::try_from(self.u64()?).map_err(|_| "a count too large".to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        let n = usize::try_from(self.i32()?).map_err(|_| "a negative length")?;
        Ok(String::from_utf8_lossy(self.take(n)?).into_owned())
    }

    /// A symbol table: label → word.
    fn symbols(&mut self) -> Result<HashMap<i64, String>, String> {
        if self.i32()? != SYMBOLS_MAGIC {
            return Err("a bad symbol table".into());
        }
        let _name = self.string()?;
        let _available = self.u64()?;
        let size = self.usize()?;
        let mut out = HashMap::with_capacity(size.min(1 << 22));
        for _ in 0..size {
            let word = self.string()?;
            let label = self.u64()? as i64;
            out.insert(label, word);
        }
        Ok(out)
    }

    /// The words that follow the n-gram model's root (its unigrams) with their weights
    /// (−log probability: smaller is more frequent). The layout is OpenFst's `NGramFst`:
    /// three counts, three LOUDS bitmaps (contexts, futures, finals), the context and
    /// future labels, then the backoff, final and future weights. The root's futures
    /// are the ones between the future bitmap's first and second zero.
    fn ngram_unigrams(&mut self) -> Result<Vec<(i64, f32)>, String> {
        let states = self.usize()?;
        let futures = self.usize()?;
        let finals = self.usize()?;
        let words64 = |bits: usize| bits.div_ceil(64);
        let context_bits = words64(states * 2 + 1);
        let future_bits = words64(futures + states + 1);
        self.take(context_bits * 8)?;
        let future_bitmap = self.take(future_bits * 8)?.to_vec();
        self.take(words64(states) * 8)?;
        self.take((states + 1) * 4)?;
        let future_labels = self.take(futures * 4)?.to_vec();
        self.take((states + 1) * 4)?;
        self.take(finals * 4)?;
        let future_weights = self.take((futures + 1) * 4)?.to_vec();
        let bit = |k: usize| {
            future_bitmap
                .get(k / 8)
                .is_some_and(|b| (b >> (k % 8)) & 1 == 1)
        };
        if bit(0) {
            return Err("the n-gram's future bitmap does not begin with its root".into());
        }
        let n = (1..).take_while(|&k| bit(k)).count().min(futures);
        Ok((0..n)
            .map(|i| {
                let l = &future_labels[i * 4..i * 4 + 4];
                let w = &future_weights[i * 4..i * 4 + 4];
                (
                    i64::from(i32::from_le_bytes([l[0], l[1], l[2], l[3]])),
                    f32::from_le_bytes([w[0], w[1], w[2], w[3]]),
                )
            })
            .collect())
    }
}

/// A grammar for Vosk, and what became of each phrase.
#[derive(Clone, Debug, PartialEq)]
pub struct Grammar {
    /// The JSON list of phrases `vosk_recognizer_new_grm` takes.
    pub json: String,
    /// Each phrase as the model's words, or why the model cannot hear it.
    pub phrases: Vec<(String, Result<Vec<String>, String>)>,
    /// How many filler words it holds.
    pub fillers: usize,
}

impl Grammar {
    /// Whether any of the story's phrases can be heard through it.
    pub fn hears_any_phrase(&self) -> bool {
        self.phrases.iter().any(|(_, p)| p.is_ok())
    }
}

/// The grammar for the story's `phrases` in one language (see the module's doc).
pub fn build(phrases: &[&str], vocabulary: &Vocabulary, config: &GrammarConfig) -> Grammar {
    let mut list: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let hangul = phrases.iter().any(|p| p.chars().any(is_hangul));
    for phrase in phrases {
        let Some(words) = vocabulary.words_of(phrase) else {
            out.push((
                phrase.to_string(),
                Err("some of its words are not in the model's vocabulary".to_string()),
            ));
            continue;
        };
        let line = words.join(" ");
        if !list.contains(&line) {
            list.extend(std::iter::repeat_n(line, config.phrase_weight.max(1)));
        }
        out.push((phrase.to_string(), Ok(words)));
    }
    // The language's most frequent words, in its own script (no numbers or marks).
    let fillers: Vec<&String> = vocabulary
        .by_frequency
        .iter()
        .filter(|w| {
            if hangul {
                w.chars().all(is_hangul)
            } else {
                w.chars().all(|c| c.is_alphabetic() || c == '\'')
            }
        })
        .take(config.fillers)
        .collect();
    let filler_count = fillers.len();
    list.extend(fillers.into_iter().cloned());
    if let Some(unk) = vocabulary.unknown_token() {
        list.push(unk.to_string());
    }
    Grammar {
        json: serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()),
        phrases: out,
        fillers: filler_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn korean() -> Vocabulary {
        Vocabulary::from_ranked(&[
            "의",
            "에",
            "이",
            "[1]",
            "도",
            "보고",
            "어",
            "너무",
            "엄마",
            "사랑",
            "한",
            "싶다",
            "싶어",
            "싶",
            "싶었",
            "미안",
            "미안해",
            "그리웠",
            "<UNK>",
        ])
    }

    fn list(g: &Grammar) -> Vec<String> {
        serde_json::from_str(&g.json).expect("a JSON list")
    }

    #[test]
    fn phrases_are_cut_into_the_models_words() {
        let v = korean();
        assert_eq!(
            v.words_of("보고 싶"),
            Some(vec!["보고".into(), "싶".into()])
        );
        assert_eq!(v.words_of("사랑한"), Some(vec!["사랑".into(), "한".into()]));
        assert_eq!(
            v.words_of("보고싶었"),
            Some(vec!["보고".into(), "싶었".into()])
        );
        assert_eq!(v.words_of("나연"), None, "a word the model does not know");
        assert_eq!(v.words_of("  "), None);
        let en = Vocabulary::from_words_txt("<eps> 0\nmiss 1\nyou 2\n[unk] 3\n");
        assert_eq!(
            en.words_of("Miss YOU"),
            Some(vec!["miss".into(), "you".into()])
        );
        assert!(!en.has_frequencies());
        assert_eq!(en.unknown_token(), Some("[unk]"));
    }

    #[test]
    fn the_grammar_holds_the_phrases_weighted_fillers_and_the_unknown_word() {
        let v = korean();
        let config = GrammarConfig {
            fillers: 4,
            phrase_weight: 3,
        };
        let g = build(&["보고 싶", "사랑한", "나연아", "보고싶"], &v, &config);
        let l = list(&g);
        // Weighted, and once however many ways the author wrote it.
        assert_eq!(l.iter().filter(|p| *p == "보고 싶").count(), 3, "{l:?}");
        assert!(l.contains(&"사랑 한".to_string()));
        // Fillers: the most frequent Hangul words ("[1]" is no word of the language).
        for f in ["의", "에", "이", "도"] {
            assert!(l.contains(&f.to_string()), "{f}: {l:?}");
        }
        assert!(!l.contains(&"[1]".to_string()));
        assert_eq!(g.fillers, 4);
        assert_eq!(l.last().map(String::as_str), Some("<UNK>"));
        assert!(g.hears_any_phrase());
        assert!(
            g.phrases[2].1.is_err(),
            "나연아 cannot be heard: {:?}",
            g.phrases
        );
    }

    #[test]
    fn a_grammar_with_no_phrase_the_model_knows_says_so() {
        let g = build(&["나연아"], &korean(), &GrammarConfig::default());
        assert!(!g.hears_any_phrase());
    }

    /// A tiny n-gram FST in OpenFst's layout: three words, the root's futures weighted.
    fn tiny_ngram_fst() -> Vec<u8> {
        let mut b = Vec::new();
        let s = |b: &mut Vec<u8>, t: &str| {
            b.extend((t.len() as i32).to_le_bytes());
            b.extend(t.as_bytes());
        };
        b.extend(FST_MAGIC.to_le_bytes());
        s(&mut b, "ngram");
        s(&mut b, "standard");
        b.extend(4i32.to_le_bytes());
        b.extend(2i32.to_le_bytes()); // output symbols only
        b.extend([0u8; 32]); // properties, start, states, arcs
        b.extend(SYMBOLS_MAGIC.to_le_bytes());
        s(&mut b, "words.txt");
        b.extend(4u64.to_le_bytes());
        b.extend(4u64.to_le_bytes());
        for (i, w) in ["<eps>", "드물다", "흔하다", "보통"].iter().enumerate() {
            s(&mut b, w);
            b.extend((i as u64).to_le_bytes());
        }
        // One state (the root) with three futures.
        let (states, futures, finals) = (1usize, 3usize, 0usize);
        for n in [states, futures, finals] {
            b.extend((n as u64).to_le_bytes());
        }
        b.extend(0u64.to_le_bytes()); // contexts: 3 bits
        b.extend(0b1110u64.to_le_bytes()); // futures: 0 then three 1s then 0
        b.extend(0u64.to_le_bytes()); // finals
        b.extend([0u8; 8]); // context labels (2)
        for l in [1i32, 2, 3] {
            b.extend(l.to_le_bytes());
        }
        b.extend([0u8; 8]); // backoffs (2)
        for w in [9.0f32, 1.0, 5.0, 0.0] {
            b.extend(w.to_le_bytes());
        }
        b
    }

    #[test]
    fn an_ngram_fsts_words_come_ranked_by_their_unigram_weight() {
        let v = Vocabulary::from_openfst(&tiny_ngram_fst()).expect("parsed");
        assert_eq!(v.by_frequency, ["흔하다", "보통", "드물다"]);
        assert!(v.contains("<eps>"));
        assert!(v.has_frequencies());
        assert_eq!(v.len(), 4);
    }

    #[test]
    fn a_truncated_or_foreign_file_is_an_error_not_a_panic() {
        let fst = tiny_ngram_fst();
        for cut in [0, 3, 10, 40, 80, fst.len() - 1] {
            assert!(
                Vocabulary::from_openfst(&fst[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        assert!(Vocabulary::from_openfst(b"not an fst at all, no").is_err());
    }
}
