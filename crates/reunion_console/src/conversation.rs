//! What the participant said and what she may answer, as the facilitator follows it:
//! the last few utterances heard (their words only with the participant's consent,
//! else the intents they matched), and the answer waiting for the facilitator's
//! confirmation. [`Conversation::follow`] is pure; the plugin feeds it the director's
//! cues, and the window and the tablet show it.

use bevy::prelude::*;
use reunion_stage::StageSystems;
use reunion_stage::session::{CueIssued, StorySession};
use reunion_story::director::Cue;
use reunion_story::story::{AnswerId, Story};

/// How many utterances the console keeps.
pub const HEARD_KEPT: usize = 5;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Conversation>()
        .add_message::<CueIssued>()
        .add_systems(
            Update,
            follow_the_conversation.after(StageSystems::Director),
        );
}

/// The conversation as the console shows it.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct Conversation {
    /// The last utterances heard, oldest first, in words.
    pub heard: Vec<String>,
    /// The answer an unsure match would have her say, waiting for the facilitator,
    /// and the match's confidence.
    pub pending: Option<(AnswerId, f32)>,
}

impl Conversation {
    /// Takes in one cue of the director's; cues about anything else change nothing.
    pub fn follow(&mut self, story: &Story, cue: &Cue) {
        match cue {
            Cue::Heard {
                text,
                confidence,
                intents,
            } => {
                let words = match text {
                    Some(t) => format!("\u{201c}{t}\u{201d}"),
                    None => "(words not recorded)".to_owned(),
                };
                let matched: Vec<String> = intents
                    .iter()
                    .filter_map(|h| {
                        let intent = story.intents.get(h.intent.index())?;
                        Some(if h.is_sure() {
                            intent.id.clone()
                        } else {
                            format!("{}?", intent.id)
                        })
                    })
                    .collect();
                let matched = if matched.is_empty() {
                    "no intent".to_owned()
                } else {
                    matched.join(", ")
                };
                self.heard.push(format!(
                    "{words} {:.0}% \u{2192} {matched}",
                    confidence * 100.0
                ));
                if self.heard.len() > HEARD_KEPT {
                    self.heard.remove(0);
                }
            }
            Cue::AnswerPending { answer, confidence } => {
                self.pending = Some((*answer, *confidence));
            }
            Cue::AnswerPendingEnded { answer }
                if self.pending.is_some_and(|(a, _)| a == *answer) =>
            {
                self.pending = None;
            }
            _ => {}
        }
    }

    /// The pending answer in words: its id and what she would say, in `lang`.
    pub fn pending_words(
        &self,
        story: &Story,
        lang: reunion_story::story::LangId,
    ) -> Option<String> {
        let (answer, confidence) = self.pending?;
        let a = story.answers.get(answer.index())?;
        let said = story
            .line(a.line)
            .map(|l| crate::web::snapshot::in_lang(&l.text, lang).to_owned())
            .unwrap_or_default();
        Some(format!(
            "{} ({:.0}% sure): \u{201c}{said}\u{201d}",
            a.id,
            confidence * 100.0
        ))
    }
}

fn follow_the_conversation(
    mut cues: MessageReader<CueIssued>,
    session: Option<Res<StorySession>>,
    mut conversation: ResMut<Conversation>,
) {
    let Some(s) = session else {
        cues.clear();
        return;
    };
    for CueIssued(cue) in cues.read() {
        conversation.follow(s.story(), cue);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reunion_story::director::HeardIntent;

    fn reference() -> Story {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon");
        reunion_story::load::load_dir(&dir)
            .story
            .expect("the reference story loads")
    }

    #[test]
    fn words_are_shown_only_when_the_cue_carries_them_and_the_list_keeps_the_last_five() {
        let story = reference();
        let miss = story
            .intent_id("miss_you")
            .expect("the reference story listens for miss_you");
        let mut c = Conversation::default();
        c.follow(
            &story,
            &Cue::Heard {
                text: Some("보고 싶었어".into()),
                confidence: 0.9,
                intents: vec![HeardIntent {
                    intent: miss,
                    confidence: 0.9,
                }],
            },
        );
        assert_eq!(
            c.heard,
            vec!["\u{201c}보고 싶었어\u{201d} 90% \u{2192} miss_you"]
        );
        c.follow(
            &story,
            &Cue::Heard {
                text: None,
                confidence: 0.4,
                intents: vec![HeardIntent {
                    intent: miss,
                    confidence: 0.4,
                }],
            },
        );
        assert_eq!(c.heard[1], "(words not recorded) 40% \u{2192} miss_you?");
        for _ in 0..6 {
            c.follow(
                &story,
                &Cue::Heard {
                    text: None,
                    confidence: 0.5,
                    intents: vec![],
                },
            );
        }
        assert_eq!(c.heard.len(), HEARD_KEPT);
        assert!(c.heard.iter().all(|h| h.ends_with("no intent")));
    }

    #[test]
    fn a_pending_answer_is_shown_until_its_own_end() {
        let story = reference();
        let sorry = story
            .answers
            .iter()
            .position(|a| a.confirm_unsure)
            .expect("the reference story has an answer that asks for confirmation");
        let answer = AnswerId(sorry as u16);
        let mut c = Conversation::default();
        c.follow(
            &story,
            &Cue::AnswerPending {
                answer,
                confidence: 0.45,
            },
        );
        let words = c
            .pending_words(&story, reunion_story::story::LangId(0))
            .expect("pending");
        assert!(words.contains("45% sure"), "{words}");
        c.follow(
            &story,
            &Cue::AnswerPendingEnded {
                answer: AnswerId(answer.0 + 1),
            },
        );
        assert!(
            c.pending.is_some(),
            "another answer's end leaves it waiting"
        );
        c.follow(&story, &Cue::AnswerPendingEnded { answer });
        assert_eq!(c.pending, None);
    }
}
