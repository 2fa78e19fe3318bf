//! The participant's own words played back when the story says
//! (`ReplayWords(intent: "miss_you")`), only with their consent.
//!
//! When the story's consent says `record_speech: true`, the microphone keeps the
//! utterances that matched an intent in [`ParticipantWords`] (memory only, gone with
//! the session; see [`reunion_story::kept_words`]). A `ReplayWords` cue plays the
//! words kept for its intent on the effects channel; none kept (she never said them,
//! no microphone, no recogniser) is skipped and logged, and the story goes on.

use std::sync::Arc;

use bevy::prelude::*;
use bevy_kira_audio::prelude::*;
use reunion_stage::session::{CueIssued, StorySession};
use reunion_story::director::Cue;
use reunion_story::kept_words::KeptWords;
use reunion_story::story::WorldCue;

use crate::EffectsChannel;

/// The participant's words kept for the story to play back (present only when the
/// story has the participant's consent and a microphone is open).
#[derive(Resource, Debug, Clone)]
pub struct ParticipantWords(pub KeptWords);

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        replay_words
            .after(crate::play_cues)
            .in_set(crate::AudioSystems),
    );
}

fn replay_words(
    mut cues: MessageReader<CueIssued>,
    session: Option<Res<StorySession>>,
    kept: Option<Res<ParticipantWords>>,
    mut sources: ResMut<Assets<AudioSource>>,
    effects: Res<AudioChannel<EffectsChannel>>,
) {
    for CueIssued(cue) in cues.read() {
        let Cue::World(WorldCue::ReplayWords(intent)) = cue else {
            continue;
        };
        let name = session
            .as_ref()
            .map_or_else(String::new, |s| s.story().intent(*intent).id.clone());
        let Some(words) = kept.as_ref().and_then(|k| k.0.words(*intent)) else {
            info!("no words of the participant are kept for `{name}`: ReplayWords skipped");
            continue;
        };
        let rate = kept.as_ref().map_or(48_000, |k| k.0.rate());
        info!(
            "playing back the participant's words for `{name}` ({:.1} s)",
            words.len() as f64 / f64::from(rate)
        );
        let frames: Arc<[Frame]> = words.iter().map(|s| Frame::from_mono(*s)).collect();
        let sound = StaticSoundData {
            sample_rate: rate,
            frames,
            settings: StaticSoundSettings::default(),
            slice: None,
        };
        effects.play(sources.add(AudioSource { sound }));
    }
}
