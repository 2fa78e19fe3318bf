//! A line's text as syllables and pauses, character by character, by script: Hangul
//! blocks by [`korean`](super::korean), Latin words by [`latin`](super::latin), digits
//! and other scripts one half-open beat each, spaces and punctuation as pauses.

use super::korean;
use super::latin;
use super::syllable::{Unit, generic_syllable, pause};

/// The units of `text`. `english` reads Latin words by English spelling, else as
/// written. Pauses at the end are dropped (the line is over; her voice trails off by
/// itself); pauses at the start are kept (a hesitation).
pub fn read(text: &str, english: bool) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut word = String::new();
    let mut run = String::new();
    let flush_word = |word: &mut String, units: &mut Vec<Unit>| {
        if !word.is_empty() {
            units.extend(latin::read_word(word, english));
            word.clear();
        }
    };
    let flush_run = |run: &mut String, units: &mut Vec<Unit>| {
        if !run.is_empty() {
            units.extend(pause(run));
            run.clear();
        }
    };
    for c in text.chars() {
        if latin::fold(c).is_some() {
            flush_run(&mut run, &mut units);
            word.push(c);
            continue;
        }
        if matches!(c, '\'' | '’') && !word.is_empty() {
            continue; // don't, she's: one word
        }
        flush_word(&mut word, &mut units);
        if korean::is_lone_jamo(c) {
            continue;
        }
        if let Some(unit) = korean::read(c) {
            flush_run(&mut run, &mut units);
            units.push(unit);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut units);
            units.push(generic_syllable());
        } else {
            run.push(c);
        }
    }
    flush_word(&mut word, &mut units);
    flush_run(&mut run, &mut units);
    while matches!(units.last(), Some(Unit::Pause { .. })) {
        units.pop();
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(text: &str, english: bool) -> String {
        read(text, english)
            .iter()
            .map(|u| match u {
                Unit::Syllable(_) => "S".to_string(),
                Unit::Pause { strong: false, .. } => "_".to_string(),
                Unit::Pause { beats, .. } => format!("({beats})"),
            })
            .collect()
    }

    #[test]
    fn syllables_and_pauses_come_in_the_text_s_order() {
        assert_eq!(outline("안녕… 잘 지냈어?", false), "SS(1.8)S_SSS");
        assert_eq!(outline("…엄마.", false), "(1.8)SS");
        assert_eq!(outline("Mommy, I'm home!", true), "SS(0.6)S_S");
        assert_eq!(outline("\"엄마\" ㅋㅋ", false), "SS");
        assert_eq!(outline("3월", false), "SS");
        assert_eq!(outline("", true), "");
    }
}
