//! Problems found in authored content, told the way an author can act on them.
//!
//! Every diagnostic names a file, a line and a column, shows the offending line with a
//! caret under it, and often carries a hint ("did you mean `calling`?"). Validation
//! collects all of them rather than stopping at the first.
//!
//! ```text
//! story.ron:2:12: error: `start` names node `calng`, which does not exist
//!  2 |     start: "calng",
//!    |            ^^^^^^^
//!    = hint: did you mean `calling`?
//! ```
//!
//! Line and column count characters (the column of `"calng"` is 12 whatever the
//! characters before it). The snippet is drawn by `codespan-reporting`, which places
//! the caret by display width, so it stands under the fault in a terminal after
//! Korean text too (a Hangul syllable is two columns wide), and expands tabs.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{LabelStyle, Severity as Level};
use codespan_reporting::term::{Chars, Config, GeneralWriteResult, Renderer, WriteStyle};

use crate::spans::{Pos, Span};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Not a problem: what the checker found, for the author to know (what a cast
    /// member's model will move and what it won't). Printed as `note:` on one line,
    /// without a snippet; [`Diagnostics::has_errors`], [`Diagnostics::errors`] and
    /// [`Diagnostics::warnings`] leave notes out.
    Note,
    /// The story can still run, but an author should look.
    Warning,
    /// The story cannot run as written.
    Error,
}

/// One problem, located in a file.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub line: usize,
    /// The column, counted in characters from 1 (not in bytes, nor in display
    /// columns).
    pub col: usize,
    /// How many characters to underline (at least 1).
    pub width: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The text of the offending line, for display.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error at a span of `text` (the content of `file`).
    pub fn error(file: &Path, text: &str, span: Span, message: impl Into<String>) -> Self {
        Self::at(Severity::Error, file, text, span, message)
    }

    /// A warning at a span of `text`.
    pub fn warning(file: &Path, text: &str, span: Span, message: impl Into<String>) -> Self {
        Self::at(Severity::Warning, file, text, span, message)
    }

    /// A note at a span of `text`: its headline only (no snippet is shown for it).
    pub fn note(file: &Path, text: &str, span: Span, message: impl Into<String>) -> Self {
        Self {
            source_line: None,
            ..Self::at(Severity::Note, file, text, span, message)
        }
    }

    /// A problem with a file as a whole (it is missing or unreadable).
    pub fn file_error(file: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: 1,
            col: 1,
            width: 1,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    fn at(
        severity: Severity,
        file: &Path,
        text: &str,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let line_text = text.lines().nth(span.pos.line.saturating_sub(1));
        let first_line_end = text[span.start.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |i| span.start + i);
        let end = span.end.min(first_line_end).max(span.start);
        let width = text
            .get(span.start..end)
            .map_or(1, |s| s.chars().count().max(1));
        Self {
            severity,
            file: file.to_path_buf(),
            line: span.pos.line.max(1),
            col: span.pos.col.max(1),
            width,
            message: message.into(),
            hint: None,
            source_line: line_text.map(str::to_owned),
        }
    }

    /// A problem at a line and column given by a parser.
    pub fn at_pos(
        severity: Severity,
        file: &Path,
        text: &str,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        let line_text = text.lines().nth(pos.line.saturating_sub(1));
        Self {
            severity,
            file: file.to_path_buf(),
            line: pos.line.max(1),
            col: pos.col.max(1),
            width: 1,
            message: message.into(),
            hint: None,
            source_line: line_text.map(str::to_owned),
        }
    }

    /// Adds a hint shown under the snippet.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint if there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// `path:line:col: error: message`, the first line of the display.
    pub fn headline(&self) -> String {
        format!(
            "{}:{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.col,
            match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            },
            self.message
        )
    }
}

impl Diagnostic {
    /// The bytes of `line` to underline: from the column, `width` characters (at the
    /// end of the line, the place just after it).
    fn underlined(&self, line: &str) -> Range<usize> {
        let byte_of = |chars: usize| {
            line.char_indices()
                .nth(chars)
                .map_or(line.len(), |(b, _)| b)
        };
        let start = byte_of(self.col.saturating_sub(1));
        let end = byte_of(self.col.saturating_sub(1) + self.width.max(1));
        start..end.max(start + 1)
    }

    /// The offending line, numbered, with a caret under the fault, then the hint: as
    /// a terminal shows them.
    fn snippet(&self) -> Result<String, codespan_reporting::files::Error> {
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let mut out = Plain(Vec::new());
        let mut renderer = Renderer::new(&mut out, &config);
        if let Some(line) = &self.source_line {
            let level = match self.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
                Severity::Note => Level::Note,
            };
            // A space before the number: ` 12 | ...`.
            let gutter = self.line.to_string().len() + 1;
            let label = (LabelStyle::Primary, self.underlined(line), "");
            renderer.render_snippet_source(gutter, self.line, line, level, &[label], 0, &[])?;
        }
        if let Some(hint) = &self.hint {
            // Three spaces before the `=`, whatever the line number.
            renderer.render_snippet_note(2, &format!("hint: {hint}"))?;
        }
        Ok(String::from_utf8_lossy(&out.0).into_owned())
    }
}

/// Text without colours, for the renderer to write into.
struct Plain(Vec<u8>);

impl std::io::Write for Plain {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl WriteStyle for Plain {
    fn set_header(&mut self, _: Level) -> GeneralWriteResult {
        Ok(())
    }
    fn set_header_message(&mut self) -> GeneralWriteResult {
        Ok(())
    }
    fn set_line_number(&mut self) -> GeneralWriteResult {
        Ok(())
    }
    fn set_note_bullet(&mut self) -> GeneralWriteResult {
        Ok(())
    }
    fn set_source_border(&mut self) -> GeneralWriteResult {
        Ok(())
    }
    fn set_label(&mut self, _: Level, _: LabelStyle) -> GeneralWriteResult {
        Ok(())
    }
    fn reset(&mut self) -> GeneralWriteResult {
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline())?;
        f.write_str(&self.snippet().map_err(|_| fmt::Error)?)
    }
}

/// All diagnostics of a check, in file order: errors, warnings and notes.
/// [`Diagnostics::is_empty`] and [`Diagnostics::len`] count notes too;
/// [`Diagnostics::is_clean`] asks for no error and no warning.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }

    /// What the checker found that is not a problem ([`Severity::Note`]).
    pub fn notes(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Note)
    }

    /// Whether there is no error and no warning (notes may remain).
    pub fn is_clean(&self) -> bool {
        self.0.iter().all(|d| d.severity == Severity::Note)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorts by file, then position, keeping the order of equal ones.
    pub fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        write!(
            f,
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        )
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let word_l = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&word_l, &c.to_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
    (d <= limit || c.to_lowercase().contains(&word_l) && !word_l.is_empty())
        .then(|| format!("did you mean `{c}`?"))
}

/// Edit distance over characters, two neighbours swapped counting as one edit
/// (`bnech` is one edit from `bench`): the optimal string alignment distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: two back, one back, this one.
    let mut back2: Vec<usize> = vec![0; b.len() + 1];
    let mut back1: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut d = (back1[j] + cost).min(back1[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(back2[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        std::mem::swap(&mut back2, &mut back1);
        std::mem::swap(&mut back1, &mut cur);
    }
    back1[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["calling", "greeting", "hold_hand"];
        assert_eq!(
            did_you_mean("calng", ids).as_deref(),
            Some("did you mean `calling`?")
        );
        assert_eq!(did_you_mean("zebra_crossing", ids), None);
    }

    #[test]
    fn display_shows_line_and_caret() {
        let text = "(\n    start: \"calng\",\n)\n";
        let span = Span {
            start: 13,
            end: 20,
            pos: Pos { line: 2, col: 12 },
        };
        let d = Diagnostic::error(Path::new("story.ron"), text, span, "no node `calng`")
            .with_hint("did you mean `calling`?");
        let shown = d.to_string();
        assert!(
            shown.starts_with("story.ron:2:12: error: no node `calng`\n"),
            "{shown}"
        );
        assert!(shown.contains(" 2 |     start: \"calng\",\n"), "{shown}");
        assert!(shown.contains("   |            ^^^^^^^\n"), "{shown}");
        assert!(shown.contains("hint: did you mean `calling`?"), "{shown}");
    }

    /// Columns a terminal gives `text`, for the text of this test only: a Hangul
    /// syllable is two wide, and everything else in it one.
    fn terminal_columns(text: &str) -> usize {
        text.chars()
            .map(|c| {
                if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                    2
                } else {
                    assert!(c.is_ascii(), "the test only counts Hangul and ASCII: {c}");
                    1
                }
            })
            .sum()
    }

    #[test]
    fn the_caret_stands_under_the_fault_after_korean_text() {
        let say = r#""calling": Say(speaker: "nayeon", text: { "ko": "엄마 어디 있어?", "en": "Mommy, where are you?" }, next: "nowhere"),"#;
        let story = format!(
            r#"(
    format: 1,
    title: "Test",
    languages: ["ko", "en"],
    cast: {{ "nayeon": (name: {{ "ko": "나연", "en": "Nayeon" }}) }},
    places: {{}},
    start: "calling",
    nodes: {{
        {say}
        "end": End(),
    }},
)"#
        );
        let mut files = crate::load::MemFiles::default();
        files.files.insert("story.ron".into(), story);
        let loaded = crate::load::load(&files, Path::new("story.ron"), Path::new("s"));
        let d = loaded
            .diagnostics
            .errors()
            .find(|d| d.message.contains("`nowhere`"))
            .unwrap_or_else(|| panic!("{}", loaded.diagnostics));
        let line = format!("        {say}");
        let before = &line[..line.find(r#""nowhere""#).expect("in the line")];
        // The headline counts characters: 엄 is one.
        assert_eq!((d.line, d.col), (9, before.chars().count() + 1), "{d}");
        assert_ne!(before.chars().count(), terminal_columns(before));
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[1], format!(" 9 | {line}"), "{shown}");
        // In a terminal the carets begin where `"nowhere"` does, and cover it.
        let carets = lines[2].strip_prefix("   | ").expect("the caret line");
        let lead = carets.len() - carets.trim_start().len();
        assert_eq!(lead, terminal_columns(before), "{shown}");
        assert_eq!(
            carets.trim_start(),
            "^".repeat(r#""nowhere""#.len()),
            "{shown}"
        );
        assert_eq!(lines.len(), 3, "{shown}");
    }
}
