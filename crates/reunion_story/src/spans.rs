//! Where things are in a RON file.
//!
//! serde tells us *what* a file says; this module tells us *where* it says it. It scans
//! the RON text into a light tree of spans (structs with named fields, maps with keys,
//! lists, scalars) and answers "where is `nodes → "greet" → next`?" with a line and a
//! column. Validation uses it to point every diagnostic at the offending text, not just
//! syntax errors.
//!
//! The scanner is forgiving: it never fails. Text it cannot make sense of becomes a
//! scalar, so a location is always found, at worst the nearest enclosing value.

/// A position in a text: 1-based line and column (columns count characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A range of text, as byte offsets plus the start position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub pos: Pos,
}

/// One step of a path into a RON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A named field of a struct or struct-like enum variant: `speaker: ...`.
    Field(String),
    /// The value under a key of a map: `"greet": ...`.
    Key(String),
    /// The key itself of a map entry (to point at an id).
    KeyName(String),
    /// An item of a list or tuple.
    Index(usize),
}

/// A named field: a path such as `nodes → "greet" → next` is written
/// `[field("nodes"), key("greet"), field("next")]`.
pub fn field(name: &str) -> Seg {
    Seg::Field(name.to_owned())
}
/// The value under a map key.
pub fn key(name: &str) -> Seg {
    Seg::Key(name.to_owned())
}
/// The map key itself.
pub fn key_name(name: &str) -> Seg {
    Seg::KeyName(name.to_owned())
}
/// An item of a list.
pub fn index(i: usize) -> Seg {
    Seg::Index(i)
}

#[derive(Debug)]
enum Shape {
    Scalar,
    /// `Name(field: v, ...)` or `(field: v)`.
    Struct(Vec<(String, Node)>),
    /// `Name(a, b)` or `(a, b)` or `[a, b]`.
    Seq(Vec<Node>),
    /// `{ k: v }`.
    Map(Vec<(Node, String, Node)>),
}

#[derive(Debug)]
struct Node {
    span: Span,
    shape: Shape,
}

/// The span tree of one RON text.
#[derive(Debug)]
pub struct SpanTree {
    root: Node,
}

impl SpanTree {
    /// Scans `text`. Never fails.
    pub fn scan(text: &str) -> Self {
        let mut p = Scanner::new(text);
        p.skip_trivia();
        // `#![enable(...)]` attributes at the top.
        while p.peek() == Some('#') {
            while let Some(c) = p.bump() {
                if c == ']' {
                    break;
                }
            }
            p.skip_trivia();
        }
        let root = p.value();
        Self { root }
    }

    /// The span of the value at `path`, or of the deepest value on the way to it.
    pub fn locate(&self, path: &[Seg]) -> Span {
        let mut node = &self.root;
        for seg in path {
            match step(node, seg) {
                Some(Step::Node(next)) => node = next,
                Some(Step::Span(span)) => return span,
                None => break,
            }
        }
        node.span
    }

    /// The span of the value at `path`, only if the whole path is there (no fallback).
    pub fn find(&self, path: &[Seg]) -> Option<Span> {
        let mut node = &self.root;
        for (i, seg) in path.iter().enumerate() {
            match step(node, seg)? {
                Step::Node(next) => node = next,
                Step::Span(span) => return (i + 1 == path.len()).then_some(span),
            }
        }
        Some(node.span)
    }

    /// How many items the list or tuple at `path` has (`None` when it is not one).
    pub fn len_at(&self, path: &[Seg]) -> Option<usize> {
        let mut node = &self.root;
        for seg in path {
            match step(node, seg)? {
                Step::Node(next) => node = next,
                Step::Span(_) => return None,
            }
        }
        match &node.shape {
            Shape::Seq(items) => Some(items.len()),
            _ => None,
        }
    }
}

enum Step<'a> {
    Node(&'a Node),
    Span(Span),
}

fn step<'a>(node: &'a Node, seg: &Seg) -> Option<Step<'a>> {
    // Newtype wrappers such as `Some(x)` or `Say((...))` are looked through.
    if let Shape::Seq(items) = &node.shape
        && items.len() == 1
        && (!matches!(seg, Seg::Index(_)) || matches!(items[0].shape, Shape::Seq(_)))
    {
        return step(&items[0], seg);
    }
    match (&node.shape, seg) {
        (Shape::Struct(fields), Seg::Field(name)) => fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| Step::Node(v)),
        (Shape::Map(entries), Seg::Key(k)) => entries
            .iter()
            .find(|(_, name, _)| name == k)
            .map(|(_, _, v)| Step::Node(v)),
        (Shape::Map(entries), Seg::KeyName(k)) => entries
            .iter()
            .find(|(_, name, _)| name == k)
            .map(|(kn, _, _)| Step::Span(kn.span)),
        (Shape::Seq(items), Seg::Index(i)) => items.get(*i).map(Step::Node),
        _ => None,
    }
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    col: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            at: 0,
            line: 1,
            col: 1,
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        let mut it = self.text[self.at..].chars();
        it.next();
        it.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.peek2()) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                (Some('/'), Some('*')) => {
                    self.bump();
                    self.bump();
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.bump(), self.peek()) {
                            (None, _) => return,
                            (Some('*'), Some('/')) => {
                                self.bump();
                                depth -= 1;
                            }
                            (Some('/'), Some('*')) => {
                                self.bump();
                                depth += 1;
                            }
                            _ => {}
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn span_from(&self, start: usize, pos: Pos) -> Span {
        Span {
            start,
            end: self.at,
            pos,
        }
    }

    /// Scans a string literal and returns its contents (escapes kept simple).
    fn string(&mut self) -> String {
        let mut out = String::new();
        if self.peek() == Some('r') {
            // Raw string: r#"..."#
            self.bump();
            let mut hashes = 0;
            while self.peek() == Some('#') {
                self.bump();
                hashes += 1;
            }
            self.bump(); // opening quote
            loop {
                match self.bump() {
                    None => return out,
                    Some('"') => {
                        let mut n = 0;
                        while n < hashes && self.peek() == Some('#') {
                            self.bump();
                            n += 1;
                        }
                        if n == hashes {
                            return out;
                        }
                        out.push('"');
                        out.extend(std::iter::repeat_n('#', n));
                    }
                    Some(c) => out.push(c),
                }
            }
        }
        let quote = self.bump().unwrap_or('"');
        loop {
            match self.bump() {
                None => return out,
                Some('\\') => {
                    if let Some(c) = self.bump() {
                        out.push(match c {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                }
                Some(c) if c == quote => return out,
                Some(c) => out.push(c),
            }
        }
    }

    fn ident(&mut self) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' || c == '#' {
                out.push(c);
                self.bump();
            } else {
                break;
            }
        }
        out
    }

    fn value(&mut self) -> Node {
        self.skip_trivia();
        let start = self.at;
        let pos = self.pos();
        match self.peek() {
            None => Node {
                span: self.span_from(start, pos),
                shape: Shape::Scalar,
            },
            Some('"') | Some('\'') => {
                self.string();
                Node {
                    span: self.span_from(start, pos),
                    shape: Shape::Scalar,
                }
            }
            Some('r') if matches!(self.peek2(), Some('#') | Some('"')) => {
                self.string();
                Node {
                    span: self.span_from(start, pos),
                    shape: Shape::Scalar,
                }
            }
            Some('(') => {
                let shape = self.parens();
                Node {
                    span: self.span_from(start, pos),
                    shape,
                }
            }
            Some('[') => {
                self.bump(); // [
                let shape = self.list(']');
                Node {
                    span: self.span_from(start, pos),
                    shape,
                }
            }
            Some('{') => {
                let shape = self.map();
                Node {
                    span: self.span_from(start, pos),
                    shape,
                }
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                self.ident();
                self.skip_trivia();
                let shape = if self.peek() == Some('(') {
                    self.parens()
                } else {
                    Shape::Scalar
                };
                Node {
                    span: self.span_from(start, pos),
                    shape,
                }
            }
            Some(_) => {
                // Number or anything else: up to a delimiter.
                while let Some(c) = self.peek() {
                    if c == ',' || c == ')' || c == ']' || c == '}' || c.is_whitespace() {
                        break;
                    }
                    self.bump();
                }
                if self.at == start {
                    self.bump();
                }
                Node {
                    span: self.span_from(start, pos),
                    shape: Shape::Scalar,
                }
            }
        }
    }

    /// After `(`: either named fields or a tuple.
    fn parens(&mut self) -> Shape {
        self.bump(); // (
        self.skip_trivia();
        // Look ahead: `ident :` (not `::`) means named fields.
        let save = (self.at, self.line, self.col);
        let is_struct = if self.peek().is_some_and(|c| c.is_alphabetic() || c == '_') {
            self.ident();
            self.skip_trivia();
            let colon = self.peek() == Some(':') && self.peek2() != Some(':');
            (self.at, self.line, self.col) = save;
            colon
        } else {
            false
        };
        if !is_struct {
            return self.list(')');
        }
        let mut fields = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek() {
                None => break,
                Some(')') => {
                    self.bump();
                    break;
                }
                Some(',') => {
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let name = self.ident();
            if name.is_empty() {
                // Not a field: consume one value to make progress.
                self.value();
                continue;
            }
            self.skip_trivia();
            if self.peek() == Some(':') {
                self.bump();
            }
            let v = self.value();
            fields.push((name, v));
        }
        Shape::Struct(fields)
    }

    /// After the opening bracket: items up to `close`.
    fn list(&mut self, close: char) -> Shape {
        let mut items = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek() {
                None => break,
                Some(c) if c == close => {
                    self.bump();
                    break;
                }
                Some(',') => {
                    self.bump();
                }
                Some(')') | Some(']') | Some('}') => {
                    // Mismatched closer: stop here, the parser reports it.
                    self.bump();
                    break;
                }
                _ => items.push(self.value()),
            }
        }
        Shape::Seq(items)
    }

    fn map(&mut self) -> Shape {
        self.bump(); // {
        let mut entries = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek() {
                None => break,
                Some('}') => {
                    self.bump();
                    break;
                }
                Some(',') => {
                    self.bump();
                    continue;
                }
                Some(')') | Some(']') => {
                    self.bump();
                    break;
                }
                _ => {}
            }
            let key_start = self.at;
            let key_pos = self.pos();
            let name = match self.peek() {
                Some('"') | Some('\'') => self.string(),
                _ => {
                    let k = self.value();
                    self.text[k.span.start..k.span.end].to_owned()
                }
            };
            let key = Node {
                span: self.span_from(key_start, key_pos),
                shape: Shape::Scalar,
            };
            self.skip_trivia();
            if self.peek() == Some(':') {
                self.bump();
            }
            let v = self.value();
            entries.push((key, name, v));
        }
        Shape::Map(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"// a comment
(
    title: "A (tricky) title",
    start: "calng",
    nodes: {
        "calling": Say(
            speaker: "nayeon",
            text: { "en": "Mommy, where are you?" },
            next: "wiat",
        ),
        /* block */ "wait": Wait(until: Any([HandHeld(by: "nayeon"), ParticipantSpoke])),
    },
)
"#;

    #[test]
    fn locates_fields_keys_and_items() {
        let tree = SpanTree::scan(TEXT);
        let start = tree.locate(&[field("start")]);
        assert_eq!(start.pos, Pos { line: 4, col: 12 });
        assert_eq!(&TEXT[start.start..start.end], "\"calng\"");

        let next = tree.locate(&[field("nodes"), key("calling"), field("next")]);
        assert_eq!(next.pos, Pos { line: 9, col: 19 });

        let key_span = tree.locate(&[field("nodes"), key_name("wait")]);
        assert_eq!(key_span.pos, Pos { line: 11, col: 21 });

        let by = tree.locate(&[
            field("nodes"),
            key("wait"),
            field("until"),
            index(0),
            field("by"),
        ]);
        assert_eq!(&TEXT[by.start..by.end], "\"nayeon\"");
    }

    #[test]
    fn missing_path_falls_back_to_the_deepest_value_found() {
        let tree = SpanTree::scan(TEXT);
        let span = tree.locate(&[field("nodes"), key("calling"), field("gesture")]);
        assert_eq!(span.pos, Pos { line: 6, col: 20 });
    }

    #[test]
    fn a_list_in_parentheses_does_not_swallow_what_follows() {
        // `Any([...])` once lost its `(`: the `)` closed the node, and every node after
        // it was located at `nodes` instead of at its own key.
        let text = r#"(
    nodes: {
        "a": Wait(until: Any([GazeHeld(on: "n"), Near(to: "n")]), timeout: 20.0),
        "b": Say(speaker: "n"),
    },
)"#;
        let tree = SpanTree::scan(text);
        let b = tree.locate(&[field("nodes"), key_name("b")]);
        assert_eq!(
            (b.pos, &text[b.start..b.end]),
            (Pos { line: 4, col: 9 }, "\"b\"")
        );
        let timeout = tree.locate(&[field("nodes"), key("a"), field("timeout")]);
        assert_eq!(&text[timeout.start..timeout.end], "20.0");
        let near = tree.locate(&[
            field("nodes"),
            key("a"),
            field("until"),
            index(1),
            field("to"),
        ]);
        assert_eq!(near.pos, Pos { line: 3, col: 59 });
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "(",
            "{\"a\": [1, 2",
            ")))",
            "r#\"x",
            "(a: /* open",
            "'",
            "Some(",
        ] {
            let tree = SpanTree::scan(text);
            let _ = tree.locate(&[field("a"), key("b"), index(3)]);
        }
    }
}
