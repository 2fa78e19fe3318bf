//! What can be wrong with a model file, as values: a [`Problem`] says what is wrong,
//! where in the model, how bad it is, and (when there is one) how to fix it.
//!
//! Reading a model never panics and never stops at the first problem it can read past:
//! a file that is not glTF 2.0 at all is one [`Problem`] (the `Err` of
//! [`super::read_model`]), everything else is collected in
//! [`super::GltfModel::problems`], so the checker can report all of it at once.

use std::fmt;

use crate::diagnostic::Severity;

/// What kind of problem, for code that reacts to one kind (and for tests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The bytes are not a glTF model (no `glTF` header, no JSON object, bad JSON).
    NotGltf,
    /// A glTF of another version than 2.0 (`asset.version`, or a version 1 GLB).
    Version,
    /// The file, a buffer or an image has fewer bytes than the model says it has, or a
    /// buffer view or accessor reaches past its data.
    CutShort,
    /// An external file the model names (buffer or image) is not there. The URI as
    /// written in the model.
    MissingFile(String),
    /// An image that is not PNG, JPEG or KTX2, that this build cannot decode, or whose
    /// bytes are not what its name or MIME type says.
    BadImage,
    /// An extension Bevy's loader cannot read (named), required or losing something.
    Extension(String),
    /// An index that points at nothing, a node with two parents, a cycle: a damaged
    /// file.
    Damaged,
    /// Something Bevy's loader refuses or drops although the file is valid glTF (a
    /// triangle fan, quantized positions, a texture with no core `source`).
    Unsupported,
}

/// One problem with a model file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub severity: Severity,
    /// Where in the model: a path into its JSON such as `images[2]` or
    /// `extensionsRequired[0]`, or `the file` for the container itself.
    pub at: String,
    /// What is wrong, in words an author can act on; names files as written in the model.
    pub message: String,
    /// How to fix it, when there is a known way.
    pub hint: Option<String>,
}

impl Problem {
    pub fn error(kind: ProblemKind, at: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            kind,
            severity: Severity::Error,
            at: at.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(kind: ProblemKind, at: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(kind, at, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    /// `message (at)`, and the hint on its own line when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.at)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Reports an index into the model's array `what` (`meshes`, `nodes`, ...) of `len`
/// items that is out of range; returns whether it was in range.
pub(crate) fn check_index(
    problems: &mut Vec<Problem>,
    at: impl FnOnce() -> String,
    index: usize,
    len: usize,
    what: &str,
) -> bool {
    if index < len {
        return true;
    }
    problems.push(
        Problem::error(
            ProblemKind::Damaged,
            at(),
            format!("the model refers to `{what}[{index}]`, but it has {len} {what}"),
        )
        .with_hint("the file is damaged or was written by a broken exporter: export it again"),
    );
    false
}
