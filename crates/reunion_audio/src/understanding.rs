//! What the participant said, understood offline by Vosk.
//!
//! Once the microphone is open and the session's language is known, a thread loads
//! the language's Vosk model (see [`crate::vosk`]) and is fed every chunk the
//! microphone gives, resampled to the model's rate. Each utterance Vosk finishes
//! becomes [`StoryEvent::ParticipantSaid`] with its words and the mean of their
//! confidences, reported to the director like `ParticipantSpoke`; the words so far are
//! kept in [`Understanding`] for the console.
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

use crate::vosk::{self, Fed, MODEL_RATE, VoskLibrary, VoskModel, VoskRecognizer};

/// Whether what the participant says is understood, for the console.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct Understanding {
    pub state: UnderstandingState,
    /// The words of the utterance in progress, as the recogniser has them so far.
    pub partial: String,
    /// The last utterance understood.
    pub last: Option<Heard>,
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
            UnderstandingState::On(lang) => format!("understood in `{lang}` (Vosk, offline)"),
            UnderstandingState::NotUnderstood(why) => {
                format!("speech is heard but not understood: {why}")
            }
        }
    }
}

/// What the recogniser's thread tells the app.
#[derive(Debug)]
pub(crate) enum FromRecogniser {
    Ready,
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
/// when a session is on).
pub(crate) fn start(lang: &str, device_rate: u32) -> (Result<RecogniserLink, String>, String) {
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
        .spawn(move || recognise(&library, &model, device_rate, &samples_rx, &results_tx));
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
    device_rate: u32,
    samples: &Receiver<Vec<f32>>,
    out: &Sender<FromRecogniser>,
) {
    let recogniser = VoskLibrary::open(library)
        .and_then(|lib| VoskModel::load(&lib, model))
        .and_then(|model| VoskRecognizer::new(&model, MODEL_RATE));
    let mut recogniser = match recogniser {
        Ok(r) => r,
        Err(why) => {
            let _ = out.send(FromRecogniser::Failed(why));
            return;
        }
    };
    // What was said while the model loaded is not waited for: start from now.
    while samples.try_recv().is_ok() {}
    let _ = out.send(FromRecogniser::Ready);
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

/// The session's language code (for choosing the model).
pub(crate) fn session_lang(session: &StorySession) -> String {
    session
        .story()
        .languages
        .get(session.lang.0 as usize)
        .cloned()
        .unwrap_or_default()
}
