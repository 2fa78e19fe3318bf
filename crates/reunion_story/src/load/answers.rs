//! Compiling what the story listens for and how she answers: `intents` (words per
//! language), `answers` (their lines become `Say` nodes after the authored ones), and
//! the checks that an intent has words in every language and that every answer can be
//! triggered at all.

use super::Compiler;
use super::files::voice_clip_path;
use crate::diagnostic::did_you_mean;
use crate::format::{self, AnswerDef};
use crate::spans::{Seg, field, key, key_name};
use crate::story::*;

/// The node id an answer's line gets (node ids of the file cannot hold a colon
/// by convention, and the log shows it as the answer's).
pub fn answer_node_id(answer: &str) -> String {
    format!("answer:{answer}")
}

impl Compiler<'_> {
    pub(super) fn compile_intents(&mut self) -> Vec<Intent> {
        self.check_duplicates("intents", self.file.intents.keys());
        let langs = self.file.languages.clone();
        let mut out = Vec::new();
        for (id, words) in self.file.intents.iter() {
            let path = [field("intents"), key(id)];
            for (lang, phrases) in words {
                if !langs.contains(lang) {
                    let hint = did_you_mean(lang, langs.iter().map(String::as_str));
                    self.warn(
                        &[&path[..], &[key_name(lang)]].concat(),
                        format!("`{lang}` is not one of the story's languages"),
                    )
                    .hint = hint;
                }
                if phrases.iter().any(|p| p.trim().is_empty()) {
                    self.error(
                        &[&path[..], &[key(lang)]].concat(),
                        format!(
                            "intent `{id}` has an empty phrase in `{lang}`: it would match anything"
                        ),
                    );
                }
            }
            for lang in &langs {
                if words.get(lang).is_none_or(|p| p.is_empty()) {
                    self.warn(
                        &path,
                        format!(
                            "intent `{id}` has no words in `{lang}`: what is said in `{lang}` never matches it"
                        ),
                    )
                    .hint = Some(format!(
                        "add \"{lang}\": [\"...\"] with a few words the participant may say"
                    ));
                }
            }
            out.push(Intent {
                id: id.to_owned(),
                words: langs
                    .iter()
                    .map(|l| words.get(l).cloned().unwrap_or_default())
                    .collect(),
            });
        }
        out
    }

    /// The intent a `Heard` or an answer names: an undeclared one is an error.
    pub(super) fn intent_ref(&mut self, path: &[Seg], name: &str) -> Option<IntentId> {
        match self.file.intents.keys().position(|k| k == name) {
            Some(i) => Some(IntentId(i as u16)),
            None => {
                let hint = did_you_mean(name, self.file.intents.keys()).or_else(|| {
                    Some(format!(
                        "declare it under `intents`, e.g. intents: {{ \"{name}\": {{ \"en\": [\"...\"] }} }}"
                    ))
                });
                self.error(path, format!("there is no intent `{name}`"))
                    .hint = hint;
                None
            }
        }
    }

    /// Compiles the answers, their lines appended to the story's nodes.
    pub(super) fn compile_answers(&mut self, story: &mut Story) {
        self.check_duplicates("answers", self.file.answers.keys());
        let file = self.file;
        for (id, def) in file.answers.iter() {
            let path = [field("answers"), key(id)];
            if let Some(answer) = self.compile_answer(story, id, def, &path) {
                story.node_place.push(None);
                story.nodes.push(Node {
                    id: answer_node_id(id),
                    kind: NodeKind::Say(answer.1),
                });
                story.answers.push(answer.0);
            }
        }
        self.check_answers_can_be_triggered(story);
        self.check_intents_used(story);
    }

    fn compile_answer(
        &mut self,
        story: &Story,
        id: &str,
        def: &AnswerDef,
        path: &[Seg],
    ) -> Option<(Answer, Line)> {
        let sub = |rest: &[Seg]| [path, rest].concat();
        let trigger = match &def.when {
            format::AnswerTrigger::Heard(name) => {
                AnswerTrigger::Heard(self.intent_ref(&sub(&[field("when")]), name)?)
            }
            format::AnswerTrigger::Touched { actor, zone } => AnswerTrigger::Touched(
                self.actor_ref(&sub(&[field("when"), field("actor")]), actor)?,
                *zone,
            ),
        };
        let speaker = self.actor_ref(&sub(&[field("speaker")]), &def.speaker);
        let text =
            self.text_per_language(&sub(&[field("text")]), &def.text, &format!("answer `{id}`"));
        if !(def.cooldown.is_finite() && def.cooldown >= 0.0) {
            self.error(
                &sub(&[field("cooldown")]),
                "a cooldown must be 0 seconds or more",
            );
        }
        let clip_seconds = match &def.voice {
            Some(v) => self
                .file
                .languages
                .clone()
                .iter()
                .map(|lang| self.voice_clip(&sub(&[field("voice")]), &voice_clip_path(lang, v)))
                .collect(),
            None => vec![None; self.file.languages.len()],
        };
        let line = NodeId(story.nodes.len() as u32);
        Some((
            Answer {
                id: id.to_owned(),
                trigger,
                line,
                cooldown: def.cooldown.max(0.0),
                confirm_unsure: def.confirm_unsure,
            },
            Line {
                speaker: speaker?,
                text,
                voice: def.voice.clone(),
                clip_seconds,
                gesture: def.gesture,
                expression: def.expression,
                look_at: Some(LookTarget::Participant),
                pause: 0.5,
                // Never followed: the director goes back to where the story was.
                next: line,
            },
        ))
    }

    /// An answer whose speaker (or the one touched) no scene places can never be
    /// said; an answer to an intent without any words only by the facilitator.
    fn check_answers_can_be_triggered(&mut self, story: &Story) {
        let placed =
            |a: ActorId| (0..story.places.len()).any(|p| story.actor_in(PlaceId(p as u16), a));
        for answer in &story.answers {
            let path = [field("answers"), key(&answer.id)];
            let line = story.line(answer.line).expect("an answer's line is a Say");
            let speaker = &story.actor(line.speaker).id;
            if !story.places.is_empty() && !placed(line.speaker) {
                self.warn(
                    &[&path[..], &[field("speaker")]].concat(),
                    format!(
                        "answer `{}` can never be said: no scene places `{speaker}`",
                        answer.id
                    ),
                );
                continue;
            }
            match answer.trigger {
                AnswerTrigger::Touched(a, _) => {
                    let together = (0..story.places.len()).any(|p| {
                        let p = PlaceId(p as u16);
                        story.actor_in(p, a) && story.actor_in(p, line.speaker)
                    });
                    if !story.places.is_empty() && !together {
                        self.warn(
                            &[&path[..], &[field("when")]].concat(),
                            format!(
                                "answer `{}` can never be triggered: no scene places `{}` with `{speaker}`",
                                answer.id,
                                story.actor(a).id
                            ),
                        );
                    }
                }
                AnswerTrigger::Heard(i) => {
                    let intent = story.intent(i);
                    if intent.words.iter().all(Vec::is_empty) {
                        self.warn(
                            &[&path[..], &[field("when")]].concat(),
                            format!(
                                "answer `{}` listens for intent `{}`, which has no words: only the facilitator can trigger it",
                                answer.id, intent.id
                            ),
                        );
                    }
                }
            }
        }
    }

    /// An intent that no `Heard` and no answer names is listened for in vain.
    fn check_intents_used(&mut self, story: &Story) {
        fn names(c: &Condition, i: IntentId) -> bool {
            match c {
                Condition::Heard(x) => *x == i,
                Condition::Any(l) | Condition::All(l) => l.iter().any(|c| names(c, i)),
                _ => false,
            }
        }
        for (k, intent) in story.intents.iter().enumerate() {
            let i = IntentId(k as u16);
            let in_wait = story
                .nodes
                .iter()
                .any(|n| matches!(&n.kind, NodeKind::Wait { until, .. } if names(until, i)));
            let answered = story
                .answers
                .iter()
                .any(|a| a.trigger == AnswerTrigger::Heard(i));
            let replayed = story.nodes.iter().any(|n| {
                matches!(&n.kind, NodeKind::Cue { world, .. } if world.contains(&WorldCue::ReplayWords(i)))
            });
            if !in_wait && !answered && !replayed {
                self.warn(
                    &[field("intents"), key_name(&intent.id)],
                    format!(
                        "intent `{}` is never listened for: no `Heard` and no answer names it",
                        intent.id
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_story::*;
    use crate::diagnostic::Severity;
    use crate::story::{IntentId, NodeKind, WorldCue};

    /// The test story (English and Korean) with `extra` sections and `node`.
    fn check(extra: &str, node: &str) -> super::super::Loaded {
        let text =
            story("arrive", node).replacen("    start:", &format!("    {extra}\n    start:"), 1);
        load_mem(&mem(&text, &[("park.scene.ron", SCENE)]))
    }

    fn messages(loaded: &super::super::Loaded, severity: Severity) -> Vec<String> {
        loaded
            .diagnostics
            .0
            .iter()
            .filter(|d| d.severity == severity)
            .map(|d| d.message.clone())
            .collect()
    }

    const ANSWER: &str = r#"answers: { "too": (when: Heard("miss_you"), speaker: "nayeon", text: { "en": "Me too.", "ko": "나도." }) },"#;

    #[test]
    fn intents_and_answers_compile_with_the_answers_line_after_the_flow() {
        let l = check(
            &format!(
                r#"intents: {{ "miss_you": {{ "en": ["miss you"], "ko": ["보고 싶"] }} }}, {ANSWER}"#
            ),
            "",
        );
        assert!(!l.diagnostics.has_errors(), "{}", l.diagnostics);
        let w = messages(&l, Severity::Warning);
        assert!(
            !w.iter()
                .any(|m| m.contains("intent") || m.contains("answer")),
            "{}",
            l.diagnostics
        );
        let s = l.story.expect("story");
        let a = &s.answers[0];
        assert_eq!(s.node(a.line).id, "answer:too");
        assert_eq!(a.line.index(), s.nodes.len() - 1);
        assert_eq!(s.node_place.len(), s.nodes.len());
        assert_eq!(a.cooldown, 30.0);
        assert!(s.is_answer_line(a.line));
        assert!(!s.record_speech());
    }

    const CONSENT: &str = r#"consent: (likeness_of: "Nayeon", voice_of: "an actor", consented_by: "her mother", consented_on: "2019-06-01", record_speech: true),"#;
    const MISS_YOU: &str = r#"intents: { "miss_you": { "en": ["miss you"], "ko": ["보고 싶"] } },"#;
    const REPLAY: &str = r#""her_words": Cue(world: [ReplayWords(intent: "miss_you")]),"#;

    #[test]
    fn replaying_the_participants_words_needs_their_consent() {
        let l = check(MISS_YOU, REPLAY);
        let e = messages(&l, Severity::Error);
        assert!(
            e.iter().any(|m| m.contains("needs their consent")),
            "{}",
            l.diagnostics
        );
    }

    #[test]
    fn with_consent_replayed_words_compile_and_the_intent_counts_as_listened_for() {
        let l = check(&format!("{MISS_YOU} {CONSENT}"), REPLAY);
        assert!(!l.diagnostics.has_errors(), "{}", l.diagnostics);
        let w = messages(&l, Severity::Warning);
        assert!(
            !w.iter().any(|m| m.contains("never listened for")),
            "{}",
            l.diagnostics
        );
        let s = l.story.expect("story");
        let node = s.node(s.node_id("her_words").expect("the node"));
        assert!(
            matches!(&node.kind, NodeKind::Cue { world, .. } if world == &[WorldCue::ReplayWords(IntentId(0))]),
            "{node:?}"
        );
    }

    #[test]
    fn replaying_an_undeclared_intent_is_an_error() {
        let l = check(
            &format!("{MISS_YOU} {CONSENT}"),
            r#""her_words": Cue(world: [ReplayWords(intent: "love_you")]),"#,
        );
        let e = messages(&l, Severity::Error);
        assert!(
            e.iter()
                .any(|m| m.contains("there is no intent `love_you`")),
            "{}",
            l.diagnostics
        );
    }

    #[test]
    fn an_intent_without_words_in_a_language_is_warned_of() {
        let l = check(
            &format!(r#"intents: {{ "miss_you": {{ "en": ["miss you"] }} }}, {ANSWER}"#),
            "",
        );
        let w = messages(&l, Severity::Warning);
        assert!(
            w.iter().any(|m| m.contains("no words in `ko`")),
            "{}",
            l.diagnostics
        );
    }

    #[test]
    fn heard_of_an_undeclared_intent_is_an_error() {
        let l = check(
            r#"intents: { "miss_you": { "en": ["miss you"], "ko": ["보고 싶"] } },"#,
            r#""listen": Wait(until: Heard("mis_you"), timeout: 5.0),"#,
        );
        let e = messages(&l, Severity::Error);
        assert!(
            e.iter().any(|m| m.contains("there is no intent `mis_you`")),
            "{}",
            l.diagnostics
        );
        let l = check("", ANSWER);
        assert!(l.diagnostics.has_errors());
    }

    #[test]
    fn answers_that_can_never_be_triggered_are_warned_of() {
        // Nobody places the friend; an intent with no words; one nobody listens for.
        let text = story("arrive", "").replace(
            r#"cast: { "nayeon""#,
            r#"cast: { "friend": (name: { "en": "F", "ko": "친구" }), "nayeon""#,
        );
        let text = text.replacen(
            "    start:",
            r#"    intents: { "silent": {}, "unused": { "en": ["x"], "ko": ["엑스"] } },
    answers: {
        "friend_says": (when: Touched(actor: "nayeon", zone: Head), speaker: "friend", text: { "en": "Hi.", "ko": "안녕." }),
        "only_by_hand": (when: Heard("silent"), speaker: "nayeon", text: { "en": "Hi.", "ko": "안녕." }),
    },
    start:"#,
            1,
        );
        let l = load_mem(&mem(&text, &[("park.scene.ron", SCENE)]));
        let w = messages(&l, Severity::Warning);
        for expected in [
            "answer `friend_says` can never be said: no scene places `friend`",
            "answer `only_by_hand` listens for intent `silent`, which has no words",
            "intent `unused` is never listened for",
        ] {
            assert!(
                w.iter().any(|m| m.contains(expected)),
                "{expected}: {}",
                l.diagnostics
            );
        }
    }
}
