//! Problems found in authored content, told the way an author can act on them.
//!
//! Every diagnostic names a file, a line and a column, shows the offending line with a
//! caret under it, and often carries a hint ("did you mean `calling`?"). Validation
//! collects all of them rather than stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::spans::{Pos, Span};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
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
            },
            self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline())?;
        if let Some(line) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f, " {num} | {line}")?;
            // Columns count characters; tabs keep their width in the caret line.
            let lead: String = line
                .chars()
                .take(self.col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, " {pad} | {lead}{}", "^".repeat(self.width.max(1)))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "   = hint: {hint}")?;
        }
        Ok(())
    }
}

/// All diagnostics of a check, in file order.
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

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
}
