//! What the participant said, understood offline by Vosk.
//!
//! Once the microphone is open and the session's language is known, a thread loads
//! the language's Vosk model (see [`crate::vosk`]) and is fed every chunk the
//! microphone gives, resampled to the model's rate. Each utterance Vosk finishes
//! becomes [`StoryEvent::ParticipantSaid`] with its words and the mean of their
//! confidences, reported to the director like `ParticipantSpoke`; the words so far are
//! kept in [`Understanding`] for the console.
//!
//! The recogniser listens for the story's intents: when the model can decode against a
//! grammar, it is made with one built from the phrases the story's intents listen for
//! in the session's language ([`reunion_story::speech_grammar`]: the phrases in the
//! model's own words, weighted, with the language's frequent words as fillers);
//! otherwise (no intents in the language, or a large model) it reads speech freely.
//!
//! Without the library or a model for the language, nothing changes but this: speech
//! is heard (voice-activity detection still ends the waits) and not understood, and
//! [`Understanding`] says why and how to install the parts.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

use bevy::prelude::*;
use reunion_stage::session::StorySession;
use reunion_story::speech::{Heard, Resampler, parse_vosk_partial, parse_vosk_result, to_i16};
use reunion_story::speech_grammar::{self, GrammarConfig};

use crate::vosk::{self, Fed, MODEL_RATE, VoskLibrary, VoskModel, VoskRecognizer};

/// Whether what the participant says is understood, for the console.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct Understanding {
    pub state: UnderstandingState,
    /// The words of the utterance in progress, as the recogniser has them so far.
    pub partial: String,
    /// The last utterance understood.
    pub last: Option<Heard>,
    /// What the recogniser listens for (the story's phrases, or free speech), once
    /// it is ready.
    pub listening_for: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum UnderstandingState {
    /// No microphone is listening.
    #[default]
    Off,
    /// The model for this language is loading.
    Loading(String),
    /// Understanding this language.
    On(String),
    /// Speech is heard but not understood, for this reason.
    NotUnderstood(String),
}

impl Understanding {
    /// For the console: [`Understanding::describe`], with the words being heard or
    /// the last ones understood; `None` with no microphone.
    pub fn console_line(&self) -> Option<String> {
        if self.state == UnderstandingState::Off {
            return None;
        }
        let mut line = self.describe();
        if !self.partial.is_empty() {
            line.push_str(&format!(" — hearing \"{}\"", self.partial));
        } else if let Some(last) = &self.last {
            line.push_str(&format!(
                " — last: \"{}\" ({:.0}% sure)",
                last.text,
                last.confidence * 100.0
            ));
        }
        Some(line)
    }

    /// One line for people.
    pub fn describe(&self) -> String {
        match &self.state {
            UnderstandingState::Off => "off (no microphone)".to_string(),
            UnderstandingState::Loading(lang) => format!("loading the `{lang}` model"),
            UnderstandingState::On(lang) if self.listening_for.is_empty() => {
                format!("understood in `{lang}` (Vosk, offline)")
            }
            UnderstandingState::On(lang) => format!(
                "understood in `{lang}` (Vosk, offline; {})",
                self.listening_for
            ),
            UnderstandingState::NotUnderstood(why) => {
                format!("speech is heard but not understood: {why}")
            }
        }
    }
}

/// What the recogniser's thread tells the app.
#[derive(Debug)]
pub(crate) enum FromRecogniser {
    /// Loaded; what it listens for.
    Ready(String),
    Failed(String),
    Partial(String),
    /// An utterance, and how long after its last sample was fed it was read.
    Said(Heard, f32),
}

/// The app's end of the recogniser's thread.
pub(crate) struct RecogniserLink {
    pub samples: Sender<Vec<f32>>,
    pub results: Receiver<FromRecogniser>,
}

/// Starts the recogniser for the session's language, once (called by the microphone
/// when a session is on), listening for `phrases` (the story's, in that language).
pub(crate) fn start(
    lang: &str,
    device_rate: u32,
    phrases: Vec<String>,
) -> (Result<RecogniserLink, String>, String) {
    let parts = vosk::find();
    if let Err(why) = parts.understands(lang) {
        return (Err(why), lang.to_string());
    }
    let library = parts.library.clone().unwrap_or_default();
    let model = parts.model(lang).map(PathBuf::from).unwrap_or_default();
    let (samples_tx, samples_rx) = channel::<Vec<f32>>();
    let (results_tx, results_rx) = channel::<FromRecogniser>();
    let spawned = std::thread::Builder::new()
        .name("reunion-vosk".into())
        .spawn(move || {
            recognise(
                &library,
                &model,
                &phrases,
                device_rate,
                &samples_rx,
                &results_tx,
            );
        });
    match spawned {
        Ok(_) => (
            Ok(RecogniserLink {
                samples: samples_tx,
                results: results_rx,
            }),
            lang.to_string(),
        ),
        Err(e) => (
            Err(format!("the recogniser's thread did not start: {e}")),
            lang.to_string(),
        ),
    }
}

/// The recogniser's thread: load, then read utterances until the app hangs up.
fn recognise(
    library: &std::path::Path,
    model: &std::path::Path,
    phrases: &[String],
    device_rate: u32,
    samples: &Receiver<Vec<f32>>,
    out: &Sender<FromRecogniser>,
) {
    let recogniser = VoskLibrary::open(library)
        .and_then(|lib| VoskModel::load(&lib, model))
        .and_then(|loaded| make_recogniser(&loaded, model, phrases));
    let (mut recogniser, listening_for) = match recogniser {
        Ok(r) => r,
        Err(why) => {
            let _ = out.send(FromRecogniser::Failed(why));
            return;
        }
    };
    // What was said while the model loaded is not waited for: start from now.
    while samples.try_recv().is_ok() {}
    let _ = out.send(FromRecogniser::Ready(listening_for));
    let mut resampler = Resampler::new(device_rate, MODEL_RATE);
    let mut last_partial = String::new();
    while let Ok(chunk) = samples.recv() {
        let pcm = to_i16(&resampler.push(&chunk));
        let fed_at = Instant::now();
        match recogniser.accept(&pcm) {
            Ok(Fed::Final(json)) => {
                last_partial.clear();
                if let Some(heard) = parse_vosk_result(&json) {
                    let latency = fed_at.elapsed().as_secs_f32();
                    if out.send(FromRecogniser::Said(heard, latency)).is_err() {
                        return;
                    }
                }
            }
            Ok(Fed::Partial(json)) => {
                let words = parse_vosk_partial(&json);
                if words != last_partial {
                    last_partial.clone_from(&words);
                    if out.send(FromRecogniser::Partial(words)).is_err() {
                        return;
                    }
                }
            }
            Err(why) => {
                let _ = out.send(FromRecogniser::Failed(why));
                return;
            }
        }
    }
}

/// A recogniser for the story's phrases when the model takes a grammar and knows
/// some of them; a free one otherwise. Also says which, for people.
fn make_recogniser(
    loaded: &std::sync::Arc<VoskModel>,
    folder: &std::path::Path,
    phrases: &[String],
) -> Result<(VoskRecognizer, String), String> {
    let free = |why: String| {
        VoskRecognizer::new(loaded, MODEL_RATE).map(|r| (r, format!("free speech: {why}")))
    };
    if phrases.is_empty() {
        return free("the story listens for no words in this language".into());
    }
    if !VoskModel::takes_grammar(folder) {
        return free("the model takes no grammar".into());
    }
    let vocabulary = match VoskModel::vocabulary(folder) {
        Ok(v) => v,
        Err(why) => return free(format!("its words could not be read ({why})")),
    };
    let phrases: Vec<&str> = phrases.iter().map(String::as_str).collect();
    let grammar = speech_grammar::build(&phrases, &vocabulary, &GrammarConfig::default());
    for (phrase, words) in &grammar.phrases {
        match words {
            Ok(words) => debug!("listening for \"{phrase}\" as {words:?}"),
            Err(why) => warn!("\"{phrase}\" cannot be heard: {why}"),
        }
    }
    if !grammar.hears_any_phrase() {
        return free("the model knows none of the story's phrases".into());
    }
    let heard = grammar.phrases.iter().filter(|(_, w)| w.is_ok()).count();
    VoskRecognizer::with_grammar(loaded, MODEL_RATE, &grammar.json).map(|r| {
        (
            r,
            format!(
                "listening for the story's {heard} of {} phrases among {} common words",
                grammar.phrases.len(),
                grammar.fillers
            ),
        )
    })
}

/// The phrases the story's intents listen for in the session's language.
pub(crate) fn session_phrases(session: &StorySession) -> Vec<String> {
    let lang = session.lang.0 as usize;
    session
        .story()
        .intents
        .iter()
        .filter_map(|i| i.words.get(lang))
        .flatten()
        .cloned()
        .collect()
}

/// The session's language code (for choosing the model).
pub(crate) fn session_lang(session: &StorySession) -> String {
    session
        .story()
        .languages
        .get(session.lang.0 as usize)
        .cloned()
        .unwrap_or_default()
}
