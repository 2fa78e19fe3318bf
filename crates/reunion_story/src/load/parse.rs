//! Parsing one RON file, and telling its syntax errors the way an author can act on
//! them; the parsed text kept with its spans ([`Source`]) so later checks can point
//! into it; colours as written (`"#rrggbb"`).

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;

use crate::diagnostic::{Diagnostic, Severity, did_you_mean};
use crate::spans::{Seg, SpanTree};
use crate::story::Rgb;

/// Parses RON text the way every reunion file is parsed (`Some` may be left out).
pub fn parse_ron<T: serde::de::DeserializeOwned>(
    display: &Path,
    text: &str,
) -> Result<T, Box<Diagnostic>> {
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    use ron::Error as E;
    options.from_str::<T>(text).map_err(|e| {
        let mut pos = crate::spans::Pos {
            line: e.span.start.line,
            col: e.span.start.col,
        };
        let (message, hint) = if text.trim().is_empty() {
            ("the file is empty".into(), None)
        } else if let (E::ExpectedStructLike | E::ExpectedNamedStructLike(_), Some((word, at))) =
            (&e.code, word_before(text, pos))
        {
            pos = at;
            (
                format!("`{word}` needs parentheses, even with nothing in them"),
                Some(format!("write `{word}()`")),
            )
        } else {
            describe_ron_error(&e.code)
        };
        Box::new(
            Diagnostic::at_pos(Severity::Error, display, text, pos, message).with_hint_opt(hint),
        )
    })
}

/// The identifier just before `pos` (spaces and line breaks between), and where it
/// begins, if there is one: the kind an author wrote without its parentheses, as `End`.
fn word_before(text: &str, pos: crate::spans::Pos) -> Option<(String, crate::spans::Pos)> {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == pos.line {
            offset += line
                .char_indices()
                .nth(pos.col.saturating_sub(1))
                .map_or(line.len(), |(b, _)| b);
            break;
        }
        offset += line.len();
    }
    let before = text.get(..offset)?.trim_end();
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map(|(b, _)| b)?;
    let word = &before[start..];
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let head = &text[..start];
    let line = head.matches('\n').count() + 1;
    let col = head.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some((word.to_owned(), crate::spans::Pos { line, col }))
}

fn describe_ron_error(code: &ron::Error) -> (String, Option<String>) {
    use ron::Error as E;
    match code {
        E::NoSuchStructField {
            expected, found, ..
        } => (
            format!("unknown field `{found}`"),
            did_you_mean(found, expected.iter().copied())
                .or_else(|| Some(format!("expected one of: {}", expected.join(", ")))),
        ),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => (
            format!("unknown kind `{found}`"),
            did_you_mean(found, expected.iter().copied())
                .or_else(|| Some(format!("expected one of: {}", expected.join(", ")))),
        ),
        E::MissingStructField { field, outer } => (
            match outer {
                Some(o) => format!("`{o}` is missing the field `{field}`"),
                None => format!("missing the field `{field}`"),
            },
            None,
        ),
        E::Eof => (
            "the file ends too early".into(),
            Some("a bracket or parenthesis may not be closed".into()),
        ),
        other => (other.to_string(), None),
    }
}

/// Parses a colour as written, `#rrggbb` (sRGB), into the linear colour the runtime
/// story holds.
pub(super) fn parse_color(s: &str) -> Option<Rgb> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some(Rgb::from_srgb([
        ((v >> 16) & 0xff) as f32 / 255.0,
        ((v >> 8) & 0xff) as f32 / 255.0,
        (v & 0xff) as f32 / 255.0,
    ]))
}

/// One parsed file and where its text is, for locating diagnostics.
pub(super) struct Source {
    display: PathBuf,
    text: String,
    tree: SpanTree,
}

impl Source {
    pub(super) fn new(display: PathBuf, text: String) -> Self {
        let tree = SpanTree::scan(&text);
        Self {
            display,
            text,
            tree,
        }
    }

    pub(super) fn diag(
        &self,
        severity: Severity,
        path: &[Seg],
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = self.tree.locate(path);
        match severity {
            Severity::Error => Diagnostic::error(&self.display, &self.text, span, message),
            Severity::Warning => Diagnostic::warning(&self.display, &self.text, span, message),
            Severity::Note => Diagnostic::note(&self.display, &self.text, span, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load::test_story::*;

    #[test]
    fn a_syntax_error_names_its_line() {
        let text = story("arrive", "").replace("title: \"Test\",", "title: \"Test\"");
        let files = mem(&text, &[("park.scene.ron", SCENE)]);
        let loaded = load_mem(&files);
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert_eq!(d.line, 4, "{d}");
    }
}
