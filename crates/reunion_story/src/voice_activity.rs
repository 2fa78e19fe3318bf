//! Hears when the participant has finished speaking, from microphone samples.
//!
//! A `Wait(until: ParticipantSpoke)` ends when the participant has said something and
//! stopped. [`VoiceActivity`] turns a stream of samples into that moment: feed it
//! every sample the microphone gives, in order, and it reports
//! [`VoiceEvent::Finished`] once an utterance is over. That is when the world should
//! send [`StoryEvent::ParticipantSpoke`](crate::director::StoryEvent::ParticipantSpoke).
//! With no microphone nothing is fed, nothing is reported, and the wait ends by its
//! timeout (the autopilot and scripts send `ParticipantSpoke` themselves).
//!
//! # Feeding it
//!
//! ```
//! use reunion_story::voice_activity::{VoiceActivity, VoiceEvent};
//!
//! let rate = 48_000; // the input device's sample rate
//! let mut vad = VoiceActivity::new(rate);
//! # let chunk_from_the_microphone = vec![0.0f32; 480];
//! // For every buffer the device delivers: mono samples in -1..1 (average the
//! // channels of a stereo device; convert i16 with `s as f32 / 32768.0`).
//! for event in vad.push(&chunk_from_the_microphone) {
//!     if let VoiceEvent::Finished { .. } = event {
//!         // report StoryEvent::ParticipantSpoke
//!     }
//! }
//! ```
//!
//! Chunks may be any size; the result does not depend on how the stream is cut. A
//! capture callback runs on the audio thread: send its samples over a channel and
//! call [`VoiceActivity::push`] from a system each frame (the delay is one frame), or
//! run the detector in the callback and send only the events. Times in the events are
//! seconds of audio since the detector was made.
//!
//! # How it decides
//!
//! The stream is cut into 20 ms hops, each looked at through the last 40 ms. A hop is
//! *speech* when it is both
//!
//! - **loud**: its level is at least [`VoiceActivityConfig::margin_db`] above the noise
//!   floor and above an absolute minimum; and
//! - **voiced**: it repeats itself at a pitch between 70 and 400 Hz (the peak of its
//!   normalised autocorrelation, after pre-emphasis and decimation to about 8 kHz,
//!   reaches [`VoiceActivityConfig::voicing`]). Noise of any colour (fans,
//!   air conditioning, traffic, breath) does not, however loud, so it never passes
//!   for speech. This does the work that a zero-crossing rate or a spectral flatness
//!   measure does in simpler detectors, and better: both tell noise from vowels only
//!   roughly.
//!
//! The **noise floor** adapts: it follows a quieter level at once and rises towards a
//! louder one slowly (a time constant of [`VoiceActivityConfig::floor_rise_seconds`]),
//! so the pauses between words keep it at the room's level while a sound that stays
//! (a hum) is learned within seconds.
//!
//! An utterance **begins** once speech hops add up to
//! [`VoiceActivityConfig::onset_seconds`] (100 ms) within 300 ms, so a click or a
//! single hop of a voice on the radio does not start one. It is **finished** after
//! [`VoiceActivityConfig::end_silence_seconds`] (700 ms) without speech: shorter
//! pauses, between words or to take a breath, stay inside it.
//!
//! A steady tone (a mains hum, a whistle) is voiced, so if it starts suddenly and
//! loudly it may count as speech until the floor has learned it, a few seconds.
//!
//! # While the story's own music plays
//!
//! A melody is voiced and loud, and its notes rise out of the pauses between them
//! like syllables: to the test above, music is speech. The app knows when it plays
//! music and says so ([`VoiceActivity::set_music`]); while it plays, a hop must also
//! be [`VoiceActivityConfig::music_margin_db`] louder than the loudest the music was
//! over the last [`VoiceActivityConfig::music_hold_seconds`] (not counting the last
//! [`VoiceActivityConfig::onset_window_seconds`], nor hops inside an utterance, so a
//! voice does not raise the bar it is measured against). For the first
//! [`VoiceActivityConfig::music_learn_seconds`] of the music (its fade-in) nothing can
//! begin while that level is learned. The participant is still heard over the music when her
//! voice at the microphone is louder than it (as with a headset's microphone); a
//! voice no louder than the music is not (see docs/performance.md for both).

use std::collections::VecDeque;

/// The detector's settings. The defaults suit a headset's microphone in a quiet room.
#[derive(Clone, Debug, PartialEq)]
pub struct VoiceActivityConfig {
    /// How far above the noise floor a hop must be to be speech, in dB.
    pub margin_db: f32,
    /// The quietest level that can be speech, in dB of full scale (RMS).
    pub min_level_db: f32,
    /// The normalised autocorrelation a voiced hop reaches (0..1).
    pub voicing: f32,
    /// The time constant with which the noise floor rises towards a louder level.
    pub floor_rise_seconds: f32,
    /// Speech needed (within [`VoiceActivityConfig::onset_window_seconds`]) to begin
    /// an utterance.
    pub onset_seconds: f32,
    /// The span within which [`VoiceActivityConfig::onset_seconds`] of speech begins
    /// an utterance (the pauses between syllables are allowed for).
    pub onset_window_seconds: f32,
    /// Silence that ends an utterance.
    pub end_silence_seconds: f32,
    /// While music plays: how much louder than the music's recent peak a hop must be.
    pub music_margin_db: f32,
    /// While music plays: how far back its peak is looked for.
    pub music_hold_seconds: f32,
    /// While music plays: how long after it starts nothing can begin.
    pub music_learn_seconds: f32,
}

impl Default for VoiceActivityConfig {
    fn default() -> Self {
        Self {
            margin_db: 9.0,
            min_level_db: -60.0,
            voicing: 0.6,
            floor_rise_seconds: 4.0,
            onset_seconds: 0.1,
            onset_window_seconds: 0.3,
            end_silence_seconds: 0.7,
            music_margin_db: 6.0,
            music_hold_seconds: 3.0,
            music_learn_seconds: 2.0,
        }
    }
}

/// What the detector heard.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum VoiceEvent {
    /// Someone began speaking at `at` seconds (reported about 0.1 s later).
    Began { at: f64 },
    /// The utterance that began at `began` ended at `ended`; this is reported at
    /// `at`, once the silence after it was long enough to be sure.
    Finished { began: f64, ended: f64, at: f64 },
}

/// The hop and the window the detector looks through, in seconds.
const HOP_SECONDS: f64 = 0.02;
const WINDOW_HOPS: usize = 2;
/// The pitch range of voices, in Hz.
const PITCH_LOW: f64 = 70.0;
const PITCH_HIGH: f64 = 400.0;

/// Voice activity detection on a stream of mono samples. See the module docs.
#[derive(Clone, Debug)]
pub struct VoiceActivity {
    config: VoiceActivityConfig,
    rate: u32,
    hop: usize,
    /// Samples per decimated sample (to about 8 kHz).
    decimate: usize,
    /// The samples of the hop being filled.
    pending: Vec<f32>,
    /// The last [`WINDOW_HOPS`] hops.
    window: VecDeque<f32>,
    hops: u64,
    floor_db: Option<f32>,
    /// Whether each of the recent hops was speech (the onset window).
    recent: VecDeque<bool>,
    /// The utterance in progress: when it began, and when its last speech ended.
    utterance: Option<(f64, f64)>,
    /// Scratch space for the decimated window.
    scratch: Vec<f32>,
    /// While the app's music plays: when it began (seconds of audio), and the levels
    /// of the recent hops outside utterances (hop index, dB).
    music: Option<(f64, VecDeque<(u64, f32)>)>,
}

impl VoiceActivity {
    /// A detector for samples at `sample_rate` Hz, with the default settings.
    pub fn new(sample_rate: u32) -> Self {
        Self::with_config(sample_rate, VoiceActivityConfig::default())
    }

    pub fn with_config(sample_rate: u32, config: VoiceActivityConfig) -> Self {
        let rate = sample_rate.max(1);
        let hop = ((f64::from(rate) * HOP_SECONDS).round() as usize).max(1);
        Self {
            config,
            rate,
            hop,
            decimate: (rate as usize / 8_000).max(1),
            pending: Vec::with_capacity(hop),
            window: VecDeque::with_capacity(hop * WINDOW_HOPS),
            hops: 0,
            floor_db: None,
            recent: VecDeque::new(),
            utterance: None,
            scratch: Vec::new(),
            music: None,
        }
    }

    /// Whether the app's own music is playing (see the module docs); tell it when this
    /// changes (telling it again changes nothing).
    pub fn set_music(&mut self, playing: bool) {
        match (playing, self.music.is_some()) {
            (true, false) => self.music = Some((self.seconds(), VecDeque::new())),
            (false, true) => self.music = None,
            _ => {}
        }
    }

    /// Whether the detector is hearing against the music.
    pub fn music_playing(&self) -> bool {
        self.music.is_some()
    }

    /// Feeds the next samples (mono, -1..1); returns what was heard in them.
    pub fn push(&mut self, samples: &[f32]) -> Vec<VoiceEvent> {
        let mut events = Vec::new();
        let mut rest = samples;
        while !rest.is_empty() {
            let take = (self.hop - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == self.hop {
                self.window.extend(self.pending.drain(..));
                while self.window.len() > self.hop * WINDOW_HOPS {
                    self.window.pop_front();
                }
                self.hops += 1;
                self.step(&mut events);
            }
        }
        events
    }

    /// Whether an utterance is in progress.
    pub fn is_speaking(&self) -> bool {
        self.utterance.is_some()
    }

    /// The noise floor now, in dB of full scale (`None` before the first hop).
    pub fn noise_floor_db(&self) -> Option<f32> {
        self.floor_db
    }

    /// Seconds of audio fed so far (whole hops).
    pub fn seconds(&self) -> f64 {
        self.hops as f64 * self.hop as f64 / f64::from(self.rate)
    }

    /// One hop more: classify it, track the floor, begin or finish an utterance.
    fn step(&mut self, events: &mut Vec<VoiceEvent>) {
        let c = self.config.clone();
        let now = self.seconds();
        let hop_seconds = self.hop as f64 / f64::from(self.rate);
        // A broken sample (NaN, infinity) must not poison the floor for good.
        let level = Some(level_db(self.window.iter().rev().take(self.hop)))
            .filter(|l| l.is_finite())
            .unwrap_or(-120.0);
        let floor = *self.floor_db.get_or_insert(level);
        let mut loud = level >= floor + c.margin_db && level >= c.min_level_db;
        let in_utterance = self.utterance.is_some();
        if let Some((since, levels)) = &mut self.music {
            let hold = (f64::from(c.music_hold_seconds) / hop_seconds).round() as u64;
            let recent = (f64::from(c.onset_window_seconds) / hop_seconds).round() as u64;
            while levels.front().is_some_and(|(h, _)| h + hold < self.hops) {
                levels.pop_front();
            }
            let music_peak = levels
                .iter()
                .filter(|(h, _)| h + recent <= self.hops)
                .map(|(_, l)| *l)
                .fold(f32::NEG_INFINITY, f32::max);
            let learning = now - *since < f64::from(c.music_learn_seconds);
            loud &= !learning && level >= music_peak + c.music_margin_db;
            if !in_utterance {
                levels.push_back((self.hops, level));
            }
        }
        let speech = loud && self.voicing() >= c.voicing;

        // The floor follows a quieter level at once, a louder one slowly.
        let new_floor = if level < floor {
            floor + (level - floor) * 0.5
        } else {
            floor + (level - floor) * (hop_seconds as f32 / c.floor_rise_seconds).min(1.0)
        };
        self.floor_db = Some(new_floor);

        let window_hops =
            ((f64::from(c.onset_window_seconds) / hop_seconds).round() as usize).max(1);
        self.recent.push_back(speech);
        while self.recent.len() > window_hops {
            self.recent.pop_front();
        }

        match &mut self.utterance {
            Some((_, last)) if speech => *last = now,
            Some((began, last)) => {
                if now - *last >= f64::from(c.end_silence_seconds) - 1e-9 {
                    events.push(VoiceEvent::Finished {
                        began: *began,
                        ended: *last,
                        at: now,
                    });
                    self.utterance = None;
                    self.recent.clear();
                }
            }
            None => {
                let heard = self.recent.iter().filter(|s| **s).count() as f64 * hop_seconds;
                if speech && heard >= f64::from(c.onset_seconds) - 1e-9 {
                    // It began with the first speech hop in the window.
                    let first = self.recent.iter().position(|s| *s).unwrap_or(0);
                    let hops_ago = self.recent.len() - first;
                    let began = now - hops_ago as f64 * hop_seconds;
                    events.push(VoiceEvent::Began { at: began });
                    self.utterance = Some((began, now));
                }
            }
        }
    }

    /// The peak normalised autocorrelation of the window at voice pitches.
    fn voicing(&mut self) -> f32 {
        // Decimate by averaging (a crude low-pass), then pre-emphasise, which whitens
        // low rumble so only a real pitch shows a peak.
        let d = self.decimate;
        self.scratch.clear();
        self.scratch.extend(
            self.window
                .make_contiguous()
                .chunks_exact(d)
                .map(|c| c.iter().sum::<f32>() / d as f32),
        );
        for i in (1..self.scratch.len()).rev() {
            self.scratch[i] -= 0.95 * self.scratch[i - 1];
        }
        let x = &self.scratch[1.min(self.scratch.len())..];
        let rate = f64::from(self.rate) / d as f64;
        let low = (rate / PITCH_HIGH).floor() as usize;
        let high = ((rate / PITCH_LOW).ceil() as usize).min(x.len() / 2);
        let mut best = 0.0f32;
        for lag in low.max(1)..=high {
            let (a, b) = (&x[..x.len() - lag], &x[lag..]);
            let (mut ab, mut aa, mut bb) = (0.0f32, 0.0f32, 0.0f32);
            for (p, q) in a.iter().zip(b) {
                ab += p * q;
                aa += p * p;
                bb += q * q;
            }
            if aa > 0.0 && bb > 0.0 {
                best = best.max(ab / (aa * bb).sqrt());
            }
        }
        best
    }
}

/// The RMS level of samples in dB of full scale (-120 for silence).
fn level_db<'a>(samples: impl IntoIterator<Item = &'a f32>) -> f32 {
    let (sum, n) = samples
        .into_iter()
        .fold((0.0f32, 0usize), |(sum, n), s| (sum + s * s, n + 1));
    10.0 * (sum / n.max(1) as f32 + 1e-12).log10()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::TAU;

    /// A small deterministic noise source (xorshift), uniform in -1..1.
    struct Noise(u64);

    impl Noise {
        fn next(&mut self) -> f32 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        }
    }

    /// `seconds` of white noise at an RMS level in dB of full scale.
    fn white(rate: u32, seconds: f64, db: f32, seed: u64) -> Vec<f32> {
        let mut n = Noise(seed);
        // Uniform noise in -1..1 has an RMS of 1/sqrt(3).
        let gain = 10f32.powf(db / 20.0) * 3f32.sqrt();
        (0..(seconds * f64::from(rate)) as usize)
            .map(|_| n.next() * gain)
            .collect()
    }

    /// Brown noise (white noise through a leaky integrator): a low rumble.
    fn rumble(rate: u32, seconds: f64, db: f32, seed: u64) -> Vec<f32> {
        let mut n = Noise(seed);
        let mut y = 0.0f32;
        let mut out: Vec<f32> = (0..(seconds * f64::from(rate)) as usize)
            .map(|_| {
                y = 0.995 * y + n.next();
                y
            })
            .collect();
        let now = level_db(&out);
        let gain = 10f32.powf((db - now) / 20.0);
        out.iter_mut().for_each(|s| *s *= gain);
        out
    }

    /// Something like a voice: twelve harmonics of a pitch wandering about 230 Hz,
    /// shaped into syllables of 250 ms (a 180 ms vowel, then near silence), at an RMS
    /// level of about `db` while sounding.
    fn speech_like(rate: u32, seconds: f64, db: f32) -> Vec<f32> {
        let mut phase = 0.0f64;
        let peak = 10f64.powf(f64::from(db) / 20.0) * 2f64.sqrt() / 1.8;
        (0..(seconds * f64::from(rate)) as usize)
            .map(|i| {
                let t = i as f64 / f64::from(rate);
                let f0 = 230.0 + 40.0 * (TAU * 1.7 * t).sin();
                phase += TAU * f0 / f64::from(rate);
                let voice: f64 = (1..=12).map(|k| (phase * k as f64).sin() / k as f64).sum();
                let s = (t * 4.0).fract() / 0.72; // 0..1 over the vowel
                let env = if s < 1.0 {
                    (std::f64::consts::PI * s).sin()
                } else {
                    0.0
                };
                (voice * env * peak) as f32
            })
            .collect()
    }

    fn mix(a: &mut [f32], b: &[f32], from: usize) {
        for (x, y) in a[from..].iter_mut().zip(b) {
            *x += y;
        }
    }

    fn finished(events: &[VoiceEvent]) -> Vec<(f64, f64, f64)> {
        events
            .iter()
            .filter_map(|e| match e {
                VoiceEvent::Finished { began, ended, at } => Some((*began, *ended, *at)),
                VoiceEvent::Began { .. } => None,
            })
            .collect()
    }

    #[test]
    fn silence_is_never_speech() {
        let mut vad = VoiceActivity::new(16_000);
        assert!(vad.push(&vec![0.0; 16_000 * 10]).is_empty());
        assert!(!vad.is_speaking());
        assert!((vad.seconds() - 10.0).abs() < 1e-9);
    }

    #[test]
    fn a_broken_sample_does_not_deafen_it() {
        let rate = 16_000;
        let mut buffer = white(rate, 1.0, -50.0, 13);
        buffer[100] = f32::NAN;
        buffer[5_000] = f32::INFINITY;
        buffer.extend(speech_like(rate, 1.5, -20.0));
        buffer.extend(white(rate, 2.0, -50.0, 14));
        let mut vad = VoiceActivity::new(rate);
        let events = vad.push(&buffer);
        assert_eq!(finished(&events).len(), 1, "{events:?}");
        assert!(vad.noise_floor_db().is_some_and(f32::is_finite));
    }

    #[test]
    fn steady_noise_is_never_speech() {
        let rate = 22_050;
        // A quiet room, then a fan switching on loud, then a rumble.
        let mut buffer = white(rate, 4.0, -55.0, 1);
        buffer.extend(white(rate, 4.0, -20.0, 2));
        buffer.extend(rumble(rate, 10.0, -25.0, 3));
        let mut vad = VoiceActivity::new(rate);
        let events = vad.push(&buffer);
        assert!(events.is_empty(), "{events:?}");
        // The floor learned the fan.
        let floor = vad.noise_floor_db().expect("a floor");
        assert!(floor > -40.0, "floor {floor} dB");
    }

    #[test]
    fn one_utterance_is_heard_once_and_ends_where_the_voice_stops() {
        for rate in [16_000, 22_050, 48_000] {
            let mut buffer = white(rate, 5.0, -50.0, 7);
            let start = rate as usize / 2;
            mix(&mut buffer, &speech_like(rate, 1.5, -20.0), start);
            let mut vad = VoiceActivity::new(rate);
            let events = vad.push(&buffer);
            let done = finished(&events);
            assert_eq!(done.len(), 1, "{rate} Hz: {events:?}");
            let (began, ended, at) = done[0];
            // The last syllable's vowel ends at 0.5 + 1.25 + 0.18 s.
            let last_vowel = 0.5 + 1.25 + 0.18;
            assert!((began - 0.5).abs() < 0.2, "{rate} Hz: began at {began}");
            assert!(
                (ended - last_vowel).abs() < 0.2,
                "{rate} Hz: ended at {ended}"
            );
            assert!(
                (at - ended - 0.7).abs() < 0.05,
                "{rate} Hz: reported at {at}"
            );
            assert!(matches!(events[0], VoiceEvent::Began { .. }), "{events:?}");
            assert!(!vad.is_speaking());
        }
    }

    #[test]
    fn two_utterances_a_second_and_a_half_apart_are_two() {
        let rate = 16_000;
        let mut buffer = white(rate, 7.0, -50.0, 11);
        mix(
            &mut buffer,
            &speech_like(rate, 1.5, -22.0),
            rate as usize / 2,
        );
        mix(
            &mut buffer,
            &speech_like(rate, 1.5, -22.0),
            rate as usize * 7 / 2,
        );
        let events = VoiceActivity::new(rate).push(&buffer);
        let done = finished(&events);
        assert_eq!(done.len(), 2, "{events:?}");
        assert!(
            done[1].0 > done[0].2,
            "the second began after the first was reported"
        );
        assert!((done[1].0 - 3.5).abs() < 0.2, "{done:?}");
    }

    #[test]
    fn a_pause_for_breath_stays_inside_the_utterance() {
        let rate = 16_000;
        let mut buffer = white(rate, 6.0, -50.0, 5);
        mix(
            &mut buffer,
            &speech_like(rate, 1.0, -20.0),
            rate as usize / 2,
        );
        // The second part begins 0.57 s after the first part's last vowel.
        mix(
            &mut buffer,
            &speech_like(rate, 1.0, -20.0),
            rate as usize * 2,
        );
        let events = VoiceActivity::new(rate).push(&buffer);
        assert_eq!(finished(&events).len(), 1, "{events:?}");
    }

    #[test]
    fn speech_over_a_noisy_room_is_heard() {
        let rate = 22_050;
        let mut buffer = white(rate, 3.0, -45.0, 9);
        buffer.extend(rumble(rate, 4.0, -38.0, 4));
        mix(
            &mut buffer,
            &speech_like(rate, 1.5, -24.0),
            rate as usize * 4,
        );
        let events = VoiceActivity::new(rate).push(&buffer);
        assert_eq!(finished(&events).len(), 1, "{events:?}");
    }

    /// A melody of plucked notes (a pitch with harmonics, struck and decaying), two to
    /// three a second, with rests: voiced and loud, as the story's music is.
    fn melody(rate: u32, seconds: f64, db: f32) -> Vec<f32> {
        let notes = [262.0, 262.0, 294.0, 262.0, 349.0, 330.0, 262.0, 294.0];
        let lengths = [0.3, 0.3, 0.6, 0.6, 0.6, 1.2, 0.4, 0.5];
        let peak = 10f64.powf(f64::from(db) / 20.0) * 2.0;
        let mut out = Vec::new();
        let mut k = 0;
        while (out.len() as f64) < seconds * f64::from(rate) {
            let (f, len) = (notes[k % notes.len()], lengths[k % lengths.len()]);
            k += 1;
            for i in 0..(len * f64::from(rate)) as usize {
                let t = i as f64 / f64::from(rate);
                let tone: f64 = (1..=8)
                    .map(|h| (TAU * f * h as f64 * t).sin() / h as f64)
                    .sum();
                out.push((tone * peak * (-t * 3.0).exp()) as f32);
            }
        }
        out.truncate((seconds * f64::from(rate)) as usize);
        out
    }

    #[test]
    fn a_melody_is_taken_for_speech_unless_the_detector_knows_the_music_plays() {
        let rate = 16_000;
        let mut buffer = white(rate, 12.0, -55.0, 21);
        mix(&mut buffer, &melody(rate, 10.0, -20.0), rate as usize / 2);
        let told = |music: bool| {
            let mut vad = VoiceActivity::new(rate);
            vad.set_music(music);
            finished(&vad.push(&buffer)).len()
        };
        assert!(told(false) > 0, "the melody passes for speech");
        assert_eq!(told(true), 0, "not while the detector knows it is music");
    }

    #[test]
    fn a_voice_louder_than_the_music_is_heard_over_it_and_one_as_loud_is_not() {
        let rate = 16_000;
        let heard_over = |voice_db: f32| {
            let mut buffer = white(rate, 12.0, -55.0, 22);
            mix(&mut buffer, &melody(rate, 11.0, -32.0), rate as usize / 2);
            mix(
                &mut buffer,
                &speech_like(rate, 1.5, voice_db),
                rate as usize * 6,
            );
            let mut vad = VoiceActivity::new(rate);
            vad.set_music(true);
            let events = vad.push(&buffer);
            finished(&events)
                .iter()
                .filter(|(began, ..)| (began - 6.0).abs() < 0.5)
                .count()
        };
        // The melody's notes are about -27 dB (RMS) as they strike; the voice's vowels
        // a few dB under its nominal level.
        assert_eq!(heard_over(-10.0), 1, "a voice well above the music");
        assert_eq!(heard_over(-32.0), 0, "a voice no louder than the music");
    }

    #[test]
    fn the_music_stopping_gives_the_room_back() {
        let rate = 16_000;
        let mut vad = VoiceActivity::new(rate);
        vad.set_music(true);
        assert!(vad.music_playing());
        let mut buffer = white(rate, 4.0, -55.0, 23);
        mix(&mut buffer, &melody(rate, 3.0, -20.0), 0);
        assert!(finished(&vad.push(&buffer)).is_empty());
        vad.set_music(false);
        assert!(!vad.music_playing());
        let mut quiet = white(rate, 4.0, -55.0, 24);
        mix(
            &mut quiet,
            &speech_like(rate, 1.5, -30.0),
            rate as usize / 2,
        );
        assert_eq!(finished(&vad.push(&quiet)).len(), 1);
    }

    #[test]
    fn how_the_stream_is_cut_does_not_matter() {
        let rate = 22_050;
        let mut buffer = white(rate, 4.0, -50.0, 3);
        mix(&mut buffer, &speech_like(rate, 1.5, -20.0), 7_000);
        let whole = VoiceActivity::new(rate).push(&buffer);
        let mut vad = VoiceActivity::new(rate);
        let pieces: Vec<VoiceEvent> = buffer.chunks(137).flat_map(|c| vad.push(c)).collect();
        assert_eq!(whole, pieces);
        assert_eq!(finished(&whole).len(), 1);
    }
}
