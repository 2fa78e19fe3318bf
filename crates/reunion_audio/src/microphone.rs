//! The participant's voice: the microphone, heard by voice-activity detection.
//!
//! A `Wait(until: ParticipantSpoke)` ends when she has said something and stopped
//! ("you're doing well, aren't you?" — then the child answers). In a window with a
//! live participant, the default input device is opened through cpal; its samples
//! (mixed to mono) cross to the app over a channel, and each frame
//! [`reunion_story::voice_activity::VoiceActivity`] hears them: when an utterance is
//! finished, `ParticipantSpoke` goes to the director.
//!
//! While the story's own music plays ([`crate::Soundscape`]) and for a few seconds
//! after, the detector is told so: a melody is voiced and loud, and would otherwise
//! end a wait for her words (see `reunion_story::voice_activity`).
//!
//! No microphone (as on a server, or a machine with no sound card): nothing is heard,
//! and the waits end by their timeouts, as the story's checker requires. The
//! autopilot and scripts speak for themselves; the facilitator has `V` and the
//! console's "speak" button.

use std::sync::mpsc::{Receiver, Sender, channel};

use bevy::prelude::*;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use reunion_stage::config::{ParticipantSource, StageConfig};
use reunion_stage::session::{ReportStoryEvent, StorySession};
use reunion_story::director::{StoryEvent, heard_intents};
use reunion_story::kept_words::KeptWords;
use reunion_story::voice_activity::{VoiceActivity, VoiceEvent};

use crate::own_words::ParticipantWords;
use crate::understanding::{
    self, FromRecogniser, RecogniserLink, Understanding, UnderstandingState,
};

/// The open microphone: its stream (kept alive here; cpal streams stay on the thread
/// that made them), the samples it sends, and the detector.
pub struct Microphone {
    _stream: cpal::Stream,
    samples: Receiver<Vec<f32>>,
    detector: VoiceActivity,
    /// The device's sample rate.
    rate: u32,
    /// The recogniser's thread, once started (see [`crate::understanding`]).
    recogniser: Option<RecogniserLink>,
    /// Whether starting the recogniser was tried (it is tried once per session).
    recogniser_tried: bool,
    /// When the story's music was last known to play (real seconds).
    music_heard_at: Option<f32>,
    /// What the device is called, for the console.
    pub name: String,
}

/// Whether a microphone is listening: the console shows it.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub enum Listening {
    /// Not tried (the autopilot or a script speaks).
    #[default]
    Off,
    /// Hearing this device.
    On(String),
    /// None could be opened, and why.
    Unavailable(String),
}

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Listening>()
        .init_resource::<Understanding>()
        .add_systems(Startup, open_microphone)
        .add_systems(
            Update,
            (start_understanding, hear_the_participant)
                .chain()
                .in_set(reunion_stage::StageSystems::Detect)
                .run_if(|mic: Option<NonSend<Microphone>>| mic.is_some()),
        );
}

/// Opens the default input device, for a live participant in a window.
fn open_microphone(world: &mut World) {
    let live = world
        .get_resource::<StageConfig>()
        .is_some_and(|c| matches!(c.participant, ParticipantSource::Live));
    if !live {
        return;
    }
    match open_default_input() {
        Ok(mic) => {
            info!("listening to the participant through {}", mic.name);
            world.insert_resource(Listening::On(mic.name.clone()));
            world.insert_non_send(mic);
        }
        Err(why) => {
            info!("no microphone ({why}): waits for the participant's words end by their timeouts");
            world.insert_resource(Listening::Unavailable(why));
        }
    }
}

fn open_default_input() -> Result<Microphone, String> {
    let host = cpal::default_host();
    let device = host
        .default_input_device()
        .ok_or_else(|| "the system has no input device".to_string())?;
    let name = device
        .description()
        .map(|d| d.to_string())
        .unwrap_or_else(|_| "the default input".into());
    let supported = device
        .default_input_config()
        .map_err(|e| format!("the input device has no usable format: {e}"))?;
    let channels = usize::from(supported.channels()).max(1);
    let rate = supported.sample_rate();
    let config = supported.config();
    let (tx, rx) = channel::<Vec<f32>>();
    let on_error = |e: cpal::Error| warn!("the microphone stopped: {e}");
    let stream = match supported.sample_format() {
        cpal::SampleFormat::F32 => device.build_input_stream(
            config,
            move |data: &[f32], _: &cpal::InputCallbackInfo| send_mono(&tx, data, channels, |s| s),
            on_error,
            None,
        ),
        cpal::SampleFormat::I16 => device.build_input_stream(
            config,
            move |data: &[i16], _: &cpal::InputCallbackInfo| {
                send_mono(&tx, data, channels, |s| f32::from(s) / 32768.0);
            },
            on_error,
            None,
        ),
        cpal::SampleFormat::U16 => device.build_input_stream(
            config,
            move |data: &[u16], _: &cpal::InputCallbackInfo| {
                send_mono(&tx, data, channels, |s| (f32::from(s) - 32768.0) / 32768.0);
            },
            on_error,
            None,
        ),
        other => return Err(format!("the input device gives {other:?} samples")),
    }
    .map_err(|e| format!("the input device did not open: {e}"))?;
    stream
        .play()
        .map_err(|e| format!("the input device did not start: {e}"))?;
    Ok(Microphone {
        _stream: stream,
        samples: rx,
        detector: VoiceActivity::new(rate),
        rate,
        recogniser: None,
        recogniser_tried: false,
        music_heard_at: None,
        name,
    })
}

/// Mixes interleaved frames to mono and sends them to the app.
fn send_mono<T: Copy>(tx: &Sender<Vec<f32>>, data: &[T], channels: usize, f: impl Fn(T) -> f32) {
    let mono = data
        .chunks(channels)
        .map(|frame| frame.iter().map(|s| f(*s)).sum::<f32>() / channels as f32)
        .collect();
    // The app has gone: nothing to tell.
    let _ = tx.send(mono);
}

/// Once the session's language is known: starts understanding it, if Vosk can.
fn start_understanding(
    mut mic: NonSendMut<Microphone>,
    session: Option<Res<StorySession>>,
    mut understanding: ResMut<Understanding>,
) {
    let Some(session) = session else {
        return;
    };
    if mic.recogniser_tried {
        return;
    }
    mic.recogniser_tried = true;
    let lang = understanding::session_lang(&session);
    let phrases = understanding::session_phrases(&session);
    match understanding::start(&lang, mic.rate, phrases) {
        (Ok(link), lang) => {
            info!("loading the Vosk model for `{lang}`");
            mic.recogniser = Some(link);
            understanding.state = UnderstandingState::Loading(lang);
        }
        (Err(why), _) => {
            info!("speech is heard but not understood: {why}");
            understanding.state = UnderstandingState::NotUnderstood(why);
        }
    }
}

/// How long after the story's music stops (it fades out) the detector still hears
/// against it.
const MUSIC_TAIL_SECONDS: f32 = 3.0;

/// Hears the samples of the last frame; a finished utterance is `ParticipantSpoke`,
/// and what the recogniser understood of it is `ParticipantSaid`. While the story's
/// own music plays (and for its fade after), the detector knows it.
fn hear_the_participant(
    mut mic: NonSendMut<Microphone>,
    session: Option<Res<StorySession>>,
    scape: Option<Res<crate::Soundscape>>,
    time: Res<Time<Real>>,
    mut understanding: ResMut<Understanding>,
    mut report: MessageWriter<ReportStoryEvent>,
    mut kept: Option<ResMut<ParticipantWords>>,
    mut commands: Commands,
) {
    let mic = &mut *mic;
    let now = time.elapsed_secs();
    if scape.is_some_and(|s| s.music.is_some()) {
        mic.music_heard_at = Some(now);
    }
    let music = mic
        .music_heard_at
        .is_some_and(|at| now - at < MUSIC_TAIL_SECONDS);
    if music != mic.detector.music_playing() {
        info!(
            "the microphone hears {} the story's music",
            if music {
                "against"
            } else {
                "no longer against"
            }
        );
        mic.detector.set_music(music);
    }
    while let Ok(chunk) = mic.samples.try_recv() {
        if let Some(k) = kept.as_mut() {
            k.0.push(&chunk);
        }
        for event in mic.detector.push(&chunk) {
            if let VoiceEvent::Finished { began, ended, .. } = event
                && session.is_some()
            {
                report.write(ReportStoryEvent(StoryEvent::ParticipantSpoke));
                if let Some(k) = kept.as_mut() {
                    k.0.utterance_finished(began, ended);
                }
            }
        }
        if let Some(link) = &mic.recogniser {
            // The thread may have ended: its last message says why.
            let _ = link.samples.send(chunk);
        }
    }
    // With the participant's consent, her words are kept (in memory) from now on.
    if kept.is_none() && session.as_ref().is_some_and(|s| s.story().record_speech()) {
        commands.insert_resource(ParticipantWords(KeptWords::starting_at(
            mic.rate,
            mic.detector.seconds(),
        )));
    }
    let Some(link) = &mic.recogniser else {
        return;
    };
    let mut ended = false;
    while let Ok(message) = link.results.try_recv() {
        match message {
            FromRecogniser::Ready(listening_for) => {
                if let UnderstandingState::Loading(lang) = &understanding.state {
                    info!("understanding the participant in `{lang}` (Vosk, {listening_for})");
                    understanding.state = UnderstandingState::On(lang.clone());
                    understanding.listening_for = listening_for;
                }
            }
            FromRecogniser::Failed(why) => {
                warn!("speech is heard but not understood: {why}");
                understanding.state = UnderstandingState::NotUnderstood(why);
                ended = true;
            }
            FromRecogniser::Partial(words) => understanding.partial = words,
            FromRecogniser::Said(heard, latency) => {
                debug!(
                    "heard \"{}\" ({:.2}), read {latency:.2} s after its last sample",
                    heard.text, heard.confidence
                );
                understanding.partial.clear();
                if let (Some(k), Some(session)) = (kept.as_mut(), session.as_ref()) {
                    let sure = heard_intents(session.story(), &heard.text, heard.confidence)
                        .into_iter()
                        .filter(|h| h.is_sure())
                        .map(|h| h.intent)
                        .collect();
                    k.0.read(sure);
                }
                if session.is_some() {
                    report.write(ReportStoryEvent(StoryEvent::ParticipantSaid {
                        text: heard.text.clone(),
                        confidence: heard.confidence,
                    }));
                }
                understanding.last = Some(heard);
            }
        }
    }
    if ended {
        mic.recogniser = None;
    }
}
