//! The edits of the hot-edit storm (`reunion bench --storm`), as an author's hands
//! and tools might make them: a line's words changed, a thing moved, a node or a thing
//! removed, a file cut short (a save interrupted), a name that points nowhere, a
//! bracket, comma or quote lost or one too many. Each is made from the file's
//! original text, by a seeded generator, so a seed always gives the same edits.
//! Whether one leaves the story valid is for the checker to say, not for the kind.

/// What an edit did, for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum EditKind {
    /// A line's words changed.
    LineText,
    /// A thing moved in its scene.
    ThingMoved,
    /// A one-line node or thing removed.
    Removed,
    /// The file cut short at a random byte.
    Truncated,
    /// A name changed to one that is nowhere.
    BadReference,
    /// A bracket, comma, colon or quote removed, or a stray bracket added.
    Syntax,
}

impl EditKind {
    pub fn describe(self) -> &'static str {
        match self {
            EditKind::LineText => "a line's words changed",
            EditKind::ThingMoved => "a thing moved",
            EditKind::Removed => "a node or thing removed",
            EditKind::Truncated => "the file cut short",
            EditKind::BadReference => "a name that points nowhere",
            EditKind::Syntax => "a syntax error",
        }
    }
}

/// One edit: its kind and the file's new text.
pub struct Edit {
    pub kind: EditKind,
    pub text: String,
}

/// The byte ranges of the quoted strings that follow `key` (e.g. `"en": "`), their
/// contents only.
fn quoted_after(text: &str, key: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(key) {
        let start = from + at + key.len();
        let Some(len) = text[start..].find('"') else {
            break;
        };
        out.push((start, start + len));
        from = start + len;
    }
    out
}

/// The lines that hold one whole entry of a map: `"id": Kind(...),` on one line.
fn one_line_entries(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let balanced = t.matches('(').count() == t.matches(')').count();
        if t.starts_with('"') && t.ends_with("),") && t.contains("\": ") && balanced {
            out.push((at, at + line.len()));
        }
        at += line.len();
    }
    out
}

/// Where a character boundary is at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, of: &[T]) -> Option<T> {
    (!of.is_empty()).then(|| of[rng.usize(..of.len())])
}

/// A random edit of `original` (a `story.ron` when `is_story`, else a scene file);
/// `n` makes changed words unique.
pub fn edit(rng: &mut fastrand::Rng, original: &str, is_story: bool, n: u32) -> Edit {
    // Valid and broken edits about equally often.
    let kinds: &[EditKind] = if is_story {
        &[
            EditKind::LineText,
            EditKind::LineText,
            EditKind::LineText,
            EditKind::Removed,
            EditKind::Truncated,
            EditKind::BadReference,
            EditKind::Syntax,
        ]
    } else {
        &[
            EditKind::ThingMoved,
            EditKind::ThingMoved,
            EditKind::Removed,
            EditKind::Truncated,
            EditKind::BadReference,
            EditKind::Syntax,
        ]
    };
    let kind = kinds[rng.usize(..kinds.len())];
    let mut text = original.to_owned();
    let made = match kind {
        EditKind::LineText => {
            let key = if rng.bool() {
                "\"en\": \""
            } else {
                "\"ko\": \""
            };
            pick(rng, &quoted_after(original, key)).map(|(a, b)| {
                text.replace_range(a..b, &format!("An edited line, number {n}."));
            })
        }
        EditKind::ThingMoved => {
            // `at: (x, y, z)`: the first number after a random `at: (` changes.
            let starts: Vec<usize> = original
                .match_indices("at: (")
                .map(|(i, _)| i + 5)
                .collect();
            pick(rng, &starts).map(|s| {
                let end = s + original[s..].find(',').unwrap_or(0);
                let moved = format!("{:.2}", rng.f32() * 4.0 - 2.0);
                text.replace_range(s..end, &moved);
            })
        }
        EditKind::Removed => pick(rng, &one_line_entries(original)).map(|(a, b)| {
            text.replace_range(a..b, "");
        }),
        EditKind::Truncated => {
            let cut = boundary(original, rng.usize(..original.len().max(1)));
            text.truncate(cut);
            Some(())
        }
        EditKind::BadReference => {
            let keys = [
                "next: \"",
                "speaker: \"",
                "place: \"",
                "Actor(\"",
                "on: \"",
                "to: \"",
                "start: \"",
                "ending: \"",
            ];
            let mut spots = Vec::new();
            for key in keys {
                spots.extend(quoted_after(original, key));
            }
            pick(rng, &spots).map(|(a, b)| {
                text.replace_range(a..b, &format!("nowhere_{n}"));
            })
        }
        EditKind::Syntax => {
            let marks: Vec<usize> = original
                .char_indices()
                .filter(|(_, c)| matches!(c, '(' | ')' | ',' | ':' | '"' | '{' | '}'))
                .map(|(i, _)| i)
                .collect();
            if rng.bool() {
                pick(rng, &marks).map(|i| {
                    text.remove(i);
                })
            } else {
                let at = boundary(original, rng.usize(..original.len().max(1)));
                text.insert(at, ')');
                Some(())
            }
        }
    };
    if made.is_none() || text == original {
        // Nothing of that kind in this file: cut it short instead.
        let cut = boundary(original, rng.usize(..original.len().max(1)));
        text = original[..cut].to_owned();
        return Edit {
            kind: EditKind::Truncated,
            text,
        };
    }
    Edit { kind, text }
}
