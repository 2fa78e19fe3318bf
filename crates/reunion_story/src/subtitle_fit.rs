//! Whether a line fits the subtitle panel in one view.
//!
//! In a headset a line stands on one panel (`reunion_stage::world_screen`): a texture
//! [`PANEL_PIXELS`] wide and high, its box at most 96 % of the width with 36 px of
//! padding each side and 18 px above and below, the speaker's name at 40 px over the
//! text at [`TEXT_PX`]. So the text is [`TEXT_WIDTH_PX`] wide and [`PANEL_LINES`]
//! lines of it fit under the name (a line is 1.2 × the font size high). A line longer
//! than that is cut off at the panel's edge, whatever language it is in.
//!
//! The width of the text is estimated from its characters (the subtitle font's glyphs:
//! a Hangul syllable or a CJK character is one em wide, a Latin letter about half),
//! and it is wrapped at spaces as the panel wraps it. The estimate errs a little on the
//! wide side, so a warned line is one worth shortening.

/// The subtitle panel's texture in pixels (`reunion_stage`'s `PANEL_PIXELS` is this).
pub const PANEL_PIXELS: (u32, u32) = (1024, 320);
/// The size of a line's text on the panel, in pixels (`reunion_stage` draws it so).
pub const TEXT_PX: f32 = 60.0;
/// The size of the speaker's name above it (`reunion_stage` draws it so).
pub const NAME_PX: f32 = 40.0;
/// The width the text can take: 96 % of the panel less 36 px of padding each side.
pub const TEXT_WIDTH_PX: f32 = PANEL_PIXELS.0 as f32 * 0.96 - 2.0 * 36.0;
/// How many lines of text the panel shows under the name.
pub const PANEL_LINES: usize =
    ((PANEL_PIXELS.1 as f32 - 2.0 * 18.0 - 1.2 * NAME_PX) / (1.2 * TEXT_PX)) as usize;

/// The estimated width of one character, in ems of the font.
fn char_em(c: char) -> f32 {
    match c {
        // Hangul, CJK, kana and full-width forms.
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}' => 1.0,
        ' ' | '.' | ',' | '\'' | '!' | 'i' | 'l' | 'j' | 'I' | ':' | ';' | '|' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '-' | '"' | '?' => 0.4,
        'm' | 'w' | 'M' | 'W' => 0.85,
        c if c.is_uppercase() => 0.65,
        _ => 0.55,
    }
}

/// The estimated width of `text` on the panel, in pixels.
pub fn width_px(text: &str) -> f32 {
    text.chars().map(char_em).sum::<f32>() * TEXT_PX
}

/// How many panel lines `text` takes, wrapped at spaces (a word wider than a line
/// is broken where it reaches the edge).
pub fn panel_lines(text: &str) -> usize {
    let space = char_em(' ') * TEXT_PX;
    let mut lines = 0;
    for paragraph in text.split('\n') {
        lines += 1;
        let mut used = 0.0_f32;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let w = width_px(word);
            let need = if used == 0.0 { w } else { used + space + w };
            if need <= TEXT_WIDTH_PX {
                used = need;
            } else {
                if used > 0.0 {
                    lines += 1;
                }
                // A word wider than the line breaks over as many lines as it needs.
                let extra = (w / TEXT_WIDTH_PX).ceil().max(1.0) as usize - 1;
                lines += extra;
                used = w - extra as f32 * TEXT_WIDTH_PX;
            }
        }
    }
    lines
}

/// Whether `text` shows whole on the panel.
pub fn fits(text: &str) -> bool {
    panel_lines(text) <= PANEL_LINES
}

/// About how many characters like these the panel shows at most: what to tell an
/// author whose line is too long (Korean about half of English).
pub fn capacity_chars(text: &str) -> usize {
    let n = text.chars().count().max(1);
    let per_char = width_px(text) / n as f32;
    ((TEXT_WIDTH_PX / per_char).floor() as usize) * PANEL_LINES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_shows_three_lines() {
        assert_eq!(PANEL_LINES, 3);
    }

    #[test]
    fn a_short_line_takes_one_panel_line() {
        assert_eq!(panel_lines("Mommy, where are you?"), 1);
        assert_eq!(panel_lines("엄마, 어디 있어?"), 1);
    }

    #[test]
    fn the_longest_reference_lines_fit() {
        let en = "Mommy, do you know what? I wrote you a letter. Shall I read it to you?";
        assert!(fits(en), "{} lines", panel_lines(en));
        let ko = "엄마, 그거 알아? 내가 엄마한테 편지 썼어. 읽어 줄까?";
        assert!(fits(ko), "{} lines", panel_lines(ko));
    }

    #[test]
    fn a_paragraph_does_not_fit() {
        let en = "Mommy, do you know what? I wrote you a letter at school, with my friend, \
                  and the teacher helped me with the hard words. Shall I read it to you now?";
        assert!(!fits(en), "{} lines", panel_lines(en));
        let ko = "엄마, 그거 알아? 내가 학교에서 친구랑 같이 엄마한테 편지를 썼어. 선생님이 어려운 글자를 도와주셨어.";
        assert!(!fits(ko), "{} lines", panel_lines(ko));
    }

    #[test]
    fn korean_holds_about_half_as_many_characters() {
        let en = capacity_chars("Mommy, where are you?");
        let ko = capacity_chars("엄마어디있어");
        assert!(ko * 3 / 2 < en && ko > 30, "ko {ko}, en {en}");
    }

    #[test]
    fn a_word_wider_than_the_panel_breaks() {
        assert_eq!(panel_lines(&"가".repeat(40)), 3);
    }
}
