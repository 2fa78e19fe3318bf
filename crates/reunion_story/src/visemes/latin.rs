//! Latin letters: English spelling read approximately, other languages' letters read
//! as written.
//!
//! English spelling is not phonetic, so this is a guess that is right for the shapes
//! more often than for the sounds: each run of vowel letters is a syllable; a few
//! common spellings are read as English says them (`oo` ou, `ee`/`ea`/`ie` ih, `ai`/
//! `ay` ee→ih, `ou` aa→ou, `ow`/`oa`/`aw`/`au` oh, `oi`/`oy` oh→ih, `ew`/`ue` ou); a
//! silent final `e` is dropped and lengthens the vowel before it (`make` ee→ih, `time`
//! aa→ih, `home` oh, `cute` ou); single letters are `a` aa, `e` ee, `i`/`y` ih, `o` oh,
//! `u` ou. m b p close the lips, f v (and ph) nearly close them, w rounds them.
//!
//! In any other language (Spanish, Italian, German …) each vowel letter is its own
//! sound, no letter is silent, and a run of vowels glides from the first to the last.

use super::mouth::{Viseme, VisemeWeights};
use super::syllable::{Lips, Unit, Vowel, generic_syllable, syllable};

/// A Latin letter without its accent, lowercase; `None` for other characters.
pub fn fold(c: char) -> Option<char> {
    let c = c.to_lowercase().next().unwrap_or(c);
    Some(match c {
        'a'..='z' => c,
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'æ' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'œ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ñ' => 'n',
        'ç' => 'c',
        'ß' => 's',
        _ => return None,
    })
}

fn is_vowel_letter(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

fn letter_vowel(c: char) -> Viseme {
    match c {
        'a' => Viseme::Aa,
        'e' => Viseme::Ee,
        'o' => Viseme::Oh,
        'u' | 'w' => Viseme::Ou,
        _ => Viseme::Ih,
    }
}

fn v(viseme: Viseme) -> VisemeWeights {
    VisemeWeights::only(viseme)
}

/// What a run of consonant letters does with the lips; `None` for none (or only h).
fn lips(cluster: &[char], onset: bool) -> Option<Lips> {
    let has = |set: &[char]| cluster.iter().any(|c| set.contains(c));
    let ph = cluster.windows(2).any(|w| w == ['p', 'h']);
    if ph || has(&['f', 'v']) {
        Some(Lips::Teeth)
    } else if has(&['m', 'b', 'p']) {
        Some(Lips::Closed)
    } else if onset && cluster.last() == Some(&'w') {
        Some(Lips::Rounded)
    } else if cluster.iter().all(|&c| c == 'h') {
        None
    } else {
        Some(Lips::Other)
    }
}

/// An English vowel spelling's mouth. `lengthened`: a silent `e` follows one consonant
/// later (`make`, `time`).
fn english_vowel(group: &[char], lengthened: bool) -> Vowel {
    use Viseme::{Aa, Ee, Ih, Oh, Ou};
    if lengthened && group.len() == 1 {
        return match group[0] {
            'a' => Vowel::glide(v(Ee), v(Ih)),
            'i' | 'y' => Vowel::glide(v(Aa), v(Ih)),
            'e' => Vowel::of(Ih),
            c => Vowel::of(letter_vowel(c)),
        };
    }
    let pair: String = group.iter().take(2).collect();
    match pair.as_str() {
        "oo" | "ew" | "ue" | "ui" | "eu" => Vowel::of(Ou),
        "ee" | "ea" | "ie" => Vowel::of(Ih),
        "ei" | "ey" => Vowel::of(Ee),
        "ai" | "ay" => Vowel::glide(v(Ee), v(Ih)),
        "ou" => Vowel::glide(v(Aa), v(Ou)),
        "ow" | "oa" | "aw" | "au" => Vowel::of(Oh),
        "oi" | "oy" => Vowel::glide(v(Oh), v(Ih)),
        _ => Vowel::of(letter_vowel(group[0])),
    }
}

/// Common one-syllable English words whose vowel the rules above would get wrong, and
/// the patterns behind them: a final `y` (`my`, `why`) and `I` are aa→ih; a final `e`
/// alone (`me`, `she`, `the`) is ih.
fn one_syllable_word(letters: &[char], (s, e): (usize, usize)) -> Option<Vowel> {
    use Viseme::{Aa, Ih, Ou};
    let word: String = letters.iter().collect();
    match word.as_str() {
        "you" | "youth" => return Some(Vowel::glide(v(Ih), v(Ou))),
        "to" | "do" | "who" | "two" | "whom" => return Some(Vowel::of(Ou)),
        "love" | "come" | "some" | "one" | "done" | "none" | "of" | "does" => {
            return Some(Vowel::of(Aa));
        }
        _ => {}
    }
    let group = &letters[s..e];
    if e == letters.len() && group == ['y'] || word == "i" {
        Some(Vowel::glide(v(Aa), v(Ih)))
    } else if e == letters.len() && group == ['e'] {
        Some(Vowel::of(Ih))
    } else {
        None
    }
}

/// A vowel run read as written: one shape, or a glide from the first letter's to the
/// last's.
fn phonetic_vowel(group: &[char]) -> Vowel {
    let first = letter_vowel(group[0]);
    let last = letter_vowel(group[group.len() - 1]);
    if first == last {
        Vowel::of(first)
    } else {
        Vowel::glide(v(first), v(last))
    }
}

/// One word (letters only) as syllables.
pub fn read_word(word: &str, english: bool) -> Vec<Unit> {
    let letters: Vec<char> = word.chars().filter_map(fold).collect();
    let n = letters.len();
    // Which letters are vowels: a e i o u; y after a consonant or at the end; in
    // English a w that ends a vowel run (ow, aw, ew).
    let vowel: Vec<bool> = (0..n)
        .map(|i| {
            let c = letters[i];
            let prev_vowel = i > 0 && is_vowel_letter(letters[i - 1]);
            let next_vowel = letters.get(i + 1).is_some_and(|&c| is_vowel_letter(c));
            match c {
                'y' => i > 0 && !next_vowel,
                'w' => english && prev_vowel && !next_vowel,
                c => is_vowel_letter(c),
            }
        })
        .collect();
    // Runs of vowels and the consonant clusters around them.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        if vowel[i] {
            let start = i;
            while i < n && vowel[i] {
                i += 1;
            }
            groups.push((start, i));
        } else {
            i += 1;
        }
    }
    if groups.is_empty() {
        // "hmm", "mm": humming lips; anything else: a short generic beat.
        return if letters.contains(&'m') {
            vec![syllable(Some(Lips::Closed), Vowel::of(Viseme::Pp), None)]
        } else {
            vec![generic_syllable()]
        };
    }
    let mut lengthened = vec![false; groups.len()];
    if english && groups.len() >= 2 {
        let &(s, e) = groups.last().unwrap_or(&(0, 0));
        let (ps, pe) = groups[groups.len() - 2];
        if e == n && s + 1 == e && letters[s] == 'e' && s > pe {
            groups.pop();
            lengthened.pop();
            if s - pe == 1 && pe - ps == 1 {
                *lengthened.last_mut().unwrap_or(&mut false) = true;
            }
        }
    }
    let mut units = Vec::with_capacity(groups.len());
    for (k, &(s, e)) in groups.iter().enumerate() {
        let before = if k == 0 { 0 } else { groups[k - 1].1 };
        let after = groups.get(k + 1).map_or(n, |g| g.0);
        let onset = lips(&letters[before..s], true);
        // Between two vowels only closing consonants end the first syllable too.
        let coda = lips(&letters[e..after], false)
            .filter(|l| k + 1 == groups.len() || matches!(l, Lips::Closed | Lips::Teeth));
        let shape = if english {
            let only = groups.len() == 1;
            one_syllable_word(&letters, (s, e))
                .filter(|_| only)
                .unwrap_or_else(|| english_vowel(&letters[s..e], lengthened[k]))
        } else {
            phonetic_vowel(&letters[s..e])
        };
        units.push(syllable(onset, shape, coda));
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dominant shape of each phase of each syllable.
    fn shapes(word: &str, english: bool) -> Vec<Vec<Viseme>> {
        read_word(word, english)
            .iter()
            .map(|u| match u {
                Unit::Syllable(p) => p.iter().map(|p| p.mouth.dominant()).collect(),
                Unit::Pause { .. } => vec![],
            })
            .collect()
    }

    #[test]
    fn english_vowel_spellings_give_their_usual_shapes() {
        use Viseme::{Aa, Ee, Ih, Oh, Ou, Pp, Sil};
        assert_eq!(shapes("mommy", true), [vec![Pp, Oh, Pp], vec![Pp, Ih]]);
        assert_eq!(shapes("moon", true), [vec![Pp, Ou, Sil]]);
        assert_eq!(shapes("see", true), [vec![Sil, Ih]]);
        assert_eq!(shapes("sea", true), [vec![Sil, Ih]]);
        assert_eq!(shapes("hat", true), [vec![Aa, Sil]]);
        assert_eq!(shapes("hot", true), [vec![Oh, Sil]]);
        assert_eq!(shapes("bed", true), [vec![Pp, Ee, Sil]]);
        assert_eq!(shapes("out", true), [vec![Aa, Ou, Sil]]);
        assert_eq!(shapes("now", true), [vec![Sil, Oh]]);
        assert_eq!(shapes("we", true), [vec![Ou, Ih]]);
        assert_eq!(shapes("my", true), [vec![Pp, Aa, Ih]]);
        assert_eq!(shapes("i", true), [vec![Aa, Ih]]);
        assert_eq!(shapes("you", true), [vec![Sil, Ih, Ou]]);
        assert_eq!(shapes("love", true), [vec![Sil, Aa, Pp]]);
        assert_eq!(shapes("hmm", true), [vec![Pp, Pp]]);
    }

    #[test]
    fn a_silent_final_e_is_dropped_and_lengthens_the_vowel_before() {
        use Viseme::{Aa, Ee, Ih, Pp, Sil};
        assert_eq!(shapes("time", true), [vec![Sil, Aa, Ih, Pp]]);
        assert_eq!(shapes("make", true), [vec![Pp, Ee, Ih, Sil]]);
        // One-syllable words keep their e; other languages keep every e.
        assert_eq!(shapes("me", true), [vec![Pp, Ih]]);
        assert_eq!(shapes("time", false).len(), 2);
    }

    #[test]
    fn f_and_v_nearly_close_the_lips_and_w_rounds_them() {
        let units = read_word("five", true);
        let Unit::Syllable(p) = &units[0] else {
            panic!("a syllable")
        };
        assert!((p[0].mouth.get(Viseme::Pp) - 0.6).abs() < 1e-6);
        assert_eq!(read_word("phone", true).len(), 1);
        let Unit::Syllable(p) = &read_word("water", true)[0] else {
            panic!("a syllable")
        };
        assert_eq!(p[0].mouth.dominant(), Viseme::Ou);
    }

    #[test]
    fn other_languages_read_each_vowel_as_written() {
        use Viseme::{Aa, Ee, Ih, Oh, Pp, Sil};
        assert_eq!(shapes("mamma", false), [vec![Pp, Aa, Pp], vec![Pp, Aa]]);
        assert_eq!(shapes("mia", false), [vec![Pp, Ih, Aa]]);
        assert_eq!(shapes("sole", false), [vec![Sil, Oh], vec![Sil, Ee]]);
        assert_eq!(shapes("Élodie", false).len(), 3);
    }
}
