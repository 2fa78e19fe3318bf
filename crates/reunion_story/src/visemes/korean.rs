//! Hangul: each syllable block's vowel gives the mouth, its consonants close the lips
//! or not. Hangul is written as it is said, so this is close to exact for the vowels.

use super::mouth::{Viseme, VisemeWeights};
use super::syllable::{Lips, Unit, Vowel, syllable};

/// The first and last precomposed Hangul syllables.
const FIRST: u32 = 0xAC00;
const LAST: u32 = 0xD7A3;

/// ㅓ ㅕ: half open and a little rounded, between `oh` and `aa`.
fn eo() -> VisemeWeights {
    VisemeWeights::blend(&[(Viseme::Oh, 0.6), (Viseme::Aa, 0.4)])
}

/// ㅡ: unrounded, small, lips a little spread: a small `ih`.
fn eu() -> VisemeWeights {
    VisemeWeights::blend(&[(Viseme::Ih, 0.6)])
}

fn v(viseme: Viseme) -> VisemeWeights {
    VisemeWeights::only(viseme)
}

/// The mouth of each of the 21 medial vowels, in Unicode order.
fn vowel(medial: u32) -> Vowel {
    use Viseme::{Aa, Ee, Ih, Oh, Ou};
    match medial {
        0 | 2 => Vowel::of(Aa),                // ㅏ ㅑ
        1 | 3 | 5 | 7 => Vowel::of(Ee),        // ㅐ ㅒ ㅔ ㅖ
        4 | 6 => Vowel::plain(eo()),           // ㅓ ㅕ
        8 | 12 => Vowel::of(Oh),               // ㅗ ㅛ
        9 => Vowel::glide(v(Oh), v(Aa)),       // ㅘ
        10 | 11 => Vowel::glide(v(Oh), v(Ee)), // ㅙ ㅚ (said [we] today)
        13 | 17 => Vowel::of(Ou),              // ㅜ ㅠ
        14 => Vowel::glide(v(Ou), eo()),       // ㅝ
        15 => Vowel::glide(v(Ou), v(Ee)),      // ㅞ
        16 => Vowel::glide(v(Ou), v(Ih)),      // ㅟ
        18 => Vowel::plain(eu()),              // ㅡ
        19 => Vowel::glide(eu(), v(Ih)),       // ㅢ
        _ => Vowel::of(Ih),                    // ㅣ
    }
}

/// The initial consonant (19, in Unicode order): ㅁ ㅂ ㅃ ㅍ close the lips; ㅇ is
/// silent and ㅎ a breath through the vowel's mouth.
fn onset(initial: u32) -> Option<Lips> {
    match initial {
        6 | 7 | 8 | 17 => Some(Lips::Closed),
        11 | 18 => None,
        _ => Some(Lips::Other),
    }
}

/// The final consonant (27 and none, in Unicode order): ㅁ ㅂ ㅄ ㅍ, and ㄻ ㄿ said
/// as ㅁ ㅂ, close the lips; ㅇ (ng) and ㅎ leave them.
fn coda(fin: u32) -> Option<Lips> {
    match fin {
        0 | 21 | 27 => None,
        10 | 14 | 16 | 17 | 18 | 26 => Some(Lips::Closed),
        _ => Some(Lips::Other),
    }
}

/// A Hangul syllable block's mouth, or `None` for any other character.
pub fn read(c: char) -> Option<Unit> {
    let code = u32::from(c);
    if !(FIRST..=LAST).contains(&code) {
        return None;
    }
    let index = code - FIRST;
    let (initial, medial, fin) = (index / 588, (index % 588) / 28, index % 28);
    Some(syllable(onset(initial), vowel(medial), coda(fin)))
}

/// Hangul compatibility jamo written alone (ㅋㅋ, ㅠㅠ): not said; no mouth.
pub fn is_lone_jamo(c: char) -> bool {
    ('\u{3131}'..='\u{318E}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visemes::syllable::Phase;

    fn phases(c: char) -> Vec<Phase> {
        match read(c) {
            Some(Unit::Syllable(p)) => p,
            other => panic!("{c}: {other:?}"),
        }
    }

    fn shapes(c: char) -> Vec<Viseme> {
        phases(c).iter().map(|p| p.mouth.dominant()).collect()
    }

    #[test]
    fn the_vowel_gives_the_shape() {
        use Viseme::{Aa, Ee, Ih, Oh, Ou};
        for (c, shape) in [
            ('아', Aa),
            ('야', Aa),
            ('이', Ih),
            ('우', Ou),
            ('유', Ou),
            ('에', Ee),
            ('애', Ee),
            ('예', Ee),
            ('오', Oh),
            ('요', Oh),
            ('어', Oh),
            ('여', Oh),
            ('으', Ih),
        ] {
            assert_eq!(shapes(c), [shape], "{c}");
        }
        // ㅓ leans to oh with some aa; ㅡ is a small ih.
        let eo = phases('어')[0].mouth;
        assert!(eo.get(Viseme::Aa) > 0.3 && eo.get(Viseme::Oh) > eo.get(Viseme::Aa));
        assert!(phases('으')[0].mouth.openness() < 0.7);
    }

    #[test]
    fn diphthongs_glide_from_their_first_shape_to_their_second() {
        use Viseme::{Aa, Ee, Ih, Oh, Ou};
        assert_eq!(shapes('와'), [Oh, Aa]);
        assert_eq!(shapes('왜'), [Oh, Ee]);
        assert_eq!(shapes('외'), [Oh, Ee]);
        assert_eq!(shapes('워'), [Ou, Oh]);
        assert_eq!(shapes('웨'), [Ou, Ee]);
        assert_eq!(shapes('위'), [Ou, Ih]);
        assert_eq!(shapes('의'), [Ih, Ih]);
        let ui = phases('의');
        assert!(
            ui[0].mouth.openness() < ui[1].mouth.openness(),
            "ㅡ then ㅣ"
        );
    }

    #[test]
    fn lip_consonants_close_the_lips_before_or_after_the_vowel() {
        use Viseme::{Aa, Oh, Pp};
        assert_eq!(shapes('마'), [Pp, Aa]);
        assert_eq!(shapes('바'), [Pp, Aa]);
        assert_eq!(shapes('빠'), [Pp, Aa]);
        assert_eq!(shapes('파'), [Pp, Aa]);
        assert_eq!(shapes('엄'), [Oh, Pp]);
        assert_eq!(shapes('밥'), [Pp, Aa, Pp]);
        assert_eq!(shapes('앞'), [Aa, Pp]);
        assert_eq!(shapes('삶'), [Viseme::Sil, Aa, Pp], "ㅅ narrows, ㄻ closes");
        // ㅇ and ㅎ leave the vowel alone; ㄴ narrows after it without closing.
        assert_eq!(shapes('앙'), [Aa]);
        assert_eq!(shapes('하'), [Aa]);
        let an = phases('안');
        assert_eq!(an.len(), 2);
        assert!(an[1].mouth.openness() < an[0].mouth.openness());
        assert!(an[1].mouth.get(Pp) == 0.0);
    }

    #[test]
    fn only_syllable_blocks_are_read() {
        assert!(read('A').is_none());
        assert!(read('ㅋ').is_none());
        assert!(is_lone_jamo('ㅋ') && is_lone_jamo('ㅠ'));
        assert!(read('가').is_some() && read('힣').is_some());
    }
}
