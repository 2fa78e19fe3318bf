//! Resolving the names a story writes to typed ids: nodes, the cast, variables and
//! the things a line or a cue looks at, each with a "did you mean" when it is a typo.

use super::Compiler;
use crate::diagnostic::did_you_mean;
use crate::spans::Seg;
use crate::story::*;

impl Compiler<'_> {
    pub(super) fn node_ref(&mut self, path: &[Seg], name: &str, what: &str) -> Option<NodeId> {
        match self.file.nodes.keys().position(|k| k == name) {
            Some(i) => Some(NodeId(i as u32)),
            None => {
                let hint = did_you_mean(name, self.file.nodes.keys());
                self.error(
                    path,
                    format!("{what} names node `{name}`, which does not exist"),
                )
                .hint = hint;
                None
            }
        }
    }

    pub(super) fn actor_ref(&mut self, path: &[Seg], name: &str) -> Option<ActorId> {
        match self.file.cast.keys().position(|k| k == name) {
            Some(i) => Some(ActorId(i as u16)),
            None => {
                let hint = did_you_mean(name, self.file.cast.keys())
                    .or_else(|| Some(format!("the cast is: {}", self.cast_list())));
                self.error(path, format!("`{name}` is not in the cast"))
                    .hint = hint;
                None
            }
        }
    }

    pub(super) fn cast_list(&self) -> String {
        self.file.cast.keys().collect::<Vec<_>>().join(", ")
    }

    pub(super) fn var_ref(&mut self, path: &[Seg], name: &str) -> Option<VarId> {
        match self.file.variables.keys().position(|k| k == name) {
            Some(i) => Some(VarId(i as u16)),
            None => {
                let hint = did_you_mean(name, self.file.variables.keys()).or_else(|| {
                    Some(format!(
                        "declare it under `variables`, e.g. variables: {{ \"{name}\": false }}"
                    ))
                });
                self.error(path, format!("there is no variable `{name}`"))
                    .hint = hint;
                None
            }
        }
    }

    /// Every thing id in any place: look-at targets and show/hide name these.
    pub(super) fn thing_exists(&self, name: &str) -> bool {
        self.thing_ids.iter().any(|t| t == name)
    }

    pub(super) fn look_target(&mut self, path: &[Seg], name: &str) -> Option<LookTarget> {
        if name == "participant" {
            return Some(LookTarget::Participant);
        }
        if self.file.participants.iter().any(|p| p == name) {
            return Some(LookTarget::Someone(name.to_owned()));
        }
        if self.thing_exists(name) {
            return Some(LookTarget::Thing(name.to_owned()));
        }
        let mut candidates = self.thing_ids.clone();
        candidates.push("participant".into());
        candidates.extend(self.file.participants.iter().cloned());
        let hint = did_you_mean(name, candidates.iter().map(String::as_str)).or_else(|| {
            Some(
                "look at \"participant\", at one of the story's `participants` by name, or at a thing's id in a scene"
                    .into(),
            )
        });
        self.error(path, format!("nothing called `{name}` to look at"))
            .hint = hint;
        None
    }

    /// `c` as met only by `participant` (one of the story's `participants`) when the
    /// story names one; as it is (anyone's) otherwise.
    pub(super) fn addressed(
        &mut self,
        path: &[Seg],
        participant: &Option<String>,
        c: Condition,
    ) -> Option<Condition> {
        let Some(name) = participant else {
            return Some(c);
        };
        if self.file.participants.iter().any(|p| p == name) {
            return Some(Condition::By {
                participant: name.clone(),
                condition: Box::new(c),
            });
        }
        let hint = did_you_mean(name, self.file.participants.iter().map(String::as_str)).or_else(|| {
            Some(if self.file.participants.is_empty() {
                format!(
                    "name the story's participants at its top, e.g. participants: [\"{name}\"], and each joins as one of them (`reunion join ... --as {name}`)"
                )
            } else {
                format!(
                    "the story's participants are: {}",
                    self.file.participants.join(", ")
                )
            })
        });
        self.error(
            path,
            format!("`{name}` is not one of the story's participants"),
        )
        .hint = hint;
        None
    }
}
