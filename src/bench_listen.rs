//! `reunion bench --listen`: the listening figures, measured offline on recordings
//! made here: speech synthesised by espeak-ng (Korean and English) over a room's
//! noise, and ten minutes each of a fan, a room and the story's music, made by sox.
//!
//! The voice-activity detector is fed the recordings as a microphone would give them
//! (10 ms chunks at 48 kHz): how many utterances it catches, how many times noise
//! starts one (per 10 minutes), and how long after the end of speech it reports
//! `ParticipantSpoke`. With Vosk installed, the recogniser is fed the same utterances
//! (resampled to 16 kHz, in 100 ms chunks): what it gets right, how long after the
//! last sample the result comes, and its real-time factor. espeak-ng is a poor
//! speaker; these figures say what is recognised of it, nothing more.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use reunion_audio::vosk::{self, Fed, MODEL_RATE, VoskLibrary, VoskModel, VoskRecognizer};
use reunion_story::speech::{Resampler, parse_vosk_result, to_i16};
use reunion_story::voice_activity::{VoiceActivity, VoiceEvent};

/// The rate recordings are fed at, as a typical input device gives them.
const RATE: u32 = 48_000;

/// What the participant might say (the reference story's moments to answer), with the
/// stem a matcher would look for.
const PHRASES: &[(&str, &str, &str)] = &[
    ("ko", "엄마도 너무 보고 싶었어", "보고 싶"),
    ("ko", "보고 싶었어", "보고 싶"),
    ("ko", "사랑해", "사랑"),
    ("ko", "미안해", "미안"),
    ("ko", "잘 지냈어", "잘 지냈"),
    ("ko", "엄마 여기 있어", "엄마"),
    ("ko", "나연아 생일 축하해", "생일"),
    ("ko", "응 잘 지내", "잘 지내"),
    ("en", "I missed you so much", "missed you"),
    ("en", "I love you", "love you"),
    ("en", "I'm sorry", "sorry"),
    ("en", "Are you doing well", "doing well"),
    ("en", "Mommy is here", "here"),
    ("en", "Happy birthday Nayeon", "birthday"),
];

fn sh(program: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("{program} did not run ({e}): install it"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A sound file as mono f32 samples at `rate` (sox converts it, into a file of its
/// own in the temporary directory: never beside the story's own files).
fn samples(file: &Path, rate: u32) -> Result<Vec<f32>, String> {
    let stem = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let raw = std::env::temp_dir().join(format!(
        "reunion-samples-{}-{stem}.{rate}.f32",
        std::process::id()
    ));
    sh(
        "sox",
        &[
            &file.to_string_lossy(),
            "-t",
            "f32",
            "-e",
            "floating-point",
            "-c",
            "1",
            "-r",
            &rate.to_string(),
            &raw.to_string_lossy(),
        ],
    )?;
    let bytes = std::fs::read(&raw).map_err(|e| e.to_string());
    let _ = std::fs::remove_file(&raw);
    Ok(bytes?
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}

/// An utterance: its samples at [`RATE`] and where its speech ends, in seconds.
struct Utterance {
    lang: &'static str,
    text: &'static str,
    stem: &'static str,
    samples: Vec<f32>,
    speech_ends: f64,
}

const LEAD: f64 = 1.0;
const TAIL: f64 = 2.0;

fn make_utterances(dir: &Path) -> Result<Vec<Utterance>, String> {
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let mut out = Vec::new();
    for (i, (lang, text, stem)) in PHRASES.iter().enumerate() {
        let raw = p(&format!("u{i}-raw.wav"));
        sh("espeak-ng", &["-v", lang, "-s", "140", "-w", &raw, text])?;
        // The voice's own length, trimmed of espeak's silence at the ends.
        let trimmed = p(&format!("u{i}-trim.wav"));
        sh(
            "sox",
            &[
                &raw, &trimmed, "silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01",
                "0.5%", "reverse",
            ],
        )?;
        let voice = samples(Path::new(&trimmed), RATE)?;
        let seconds = voice.len() as f64 / f64::from(RATE);
        // Over a room's noise, 30 dB or so below the voice.
        let total = LEAD + seconds + TAIL;
        let room = p(&format!("u{i}-room.wav"));
        sh(
            "sox",
            &[
                "-n",
                "-r",
                "48000",
                "-c",
                "1",
                &room,
                "synth",
                &format!("{total}"),
                "pinknoise",
                "vol",
                "0.01",
            ],
        )?;
        let room = samples(Path::new(&room), RATE)?;
        let mut mixed = room;
        let start = (LEAD * f64::from(RATE)) as usize;
        for (m, v) in mixed[start..].iter_mut().zip(&voice) {
            *m += v * 0.5;
        }
        out.push(Utterance {
            lang,
            text,
            stem,
            samples: mixed,
            speech_ends: LEAD + seconds,
        });
    }
    Ok(out)
}

/// Ten minutes each of noises that are not speech.
fn make_noises(dir: &Path, music: &Path) -> Result<Vec<(&'static str, Vec<f32>)>, String> {
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let minutes = "600";
    sh(
        "sox",
        &[
            "-n",
            "-r",
            "48000",
            "-c",
            "1",
            &p("fan.wav"),
            "synth",
            minutes,
            "brownnoise",
            "tremolo",
            "12",
            "30",
            "vol",
            "0.4",
        ],
    )?;
    sh(
        "sox",
        &[
            "-n",
            "-r",
            "48000",
            "-c",
            "1",
            &p("room.wav"),
            "synth",
            minutes,
            "pinknoise",
            "vol",
            "0.01",
        ],
    )?;
    let mut noises = vec![
        ("a fan", samples(&dir.join("fan.wav"), RATE)?),
        ("a quiet room", samples(&dir.join("room.wav"), RATE)?),
    ];
    if music.is_file() {
        let song = samples(music, RATE)?;
        if !song.is_empty() {
            let n = 600 * RATE as usize;
            noises.push((
                "the story's music",
                song.iter().copied().cycle().take(n).collect(),
            ));
        }
    }
    Ok(noises)
}

/// Feeds a detector 10 ms at a time; its events.
fn detect(samples: &[f32]) -> Vec<VoiceEvent> {
    let mut vad = VoiceActivity::new(RATE);
    samples
        .chunks(RATE as usize / 100)
        .flat_map(|c| vad.push(c))
        .collect()
}

pub fn run() -> ExitCode {
    match measure() {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::from(1)
        }
    }
}

fn measure() -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("reunion-bench-listen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = measure_in(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure_in(dir: &Path) -> Result<(), String> {
    eprintln!("bench: making the recordings (espeak-ng, sox)…");
    let utterances = make_utterances(dir)?;
    let music = crate::reference_story().join("music/birthday.ogg");
    let noises = make_noises(dir, &music)?;

    println!("## Voice-activity detection (48 kHz, fed 10 ms at a time)");
    println!();
    for lang in ["ko", "en"] {
        let mut caught = 0;
        let mut extra = 0;
        let mut delays = Vec::new();
        let mut total = 0;
        for u in utterances.iter().filter(|u| u.lang == lang) {
            total += 1;
            let finished: Vec<f64> = detect(&u.samples)
                .into_iter()
                .filter_map(|e| match e {
                    VoiceEvent::Finished { at, .. } => Some(at),
                    VoiceEvent::Began { .. } => None,
                })
                .collect();
            if let Some(at) = finished.first() {
                caught += 1;
                delays.push(at - u.speech_ends);
            }
            extra += finished.len().saturating_sub(1);
        }
        let mean = delays.iter().sum::<f64>() / delays.len().max(1) as f64;
        let max = delays.iter().copied().fold(0.0f64, f64::max);
        println!(
            "- {lang}: {caught}/{total} utterances caught ({extra} split in two); ParticipantSpoke {mean:.2} s after the end of speech (mean; at most {max:.2} s)"
        );
    }
    for (name, noise) in &noises {
        let minutes = noise.len() as f64 / f64::from(RATE) / 60.0;
        let starts = detect(noise)
            .iter()
            .filter(|e| matches!(e, VoiceEvent::Began { .. }))
            .count();
        println!(
            "- {name}: {:.1} false starts per 10 minutes ({starts} in {minutes:.0} min)",
            starts as f64 * 10.0 / minutes
        );
    }
    println!();

    let parts = vosk::find();
    println!("## Recognition (Vosk)");
    println!();
    for lang in ["ko", "en"] {
        if let Err(why) = parts.understands(lang) {
            println!("- {lang}: not measured: {why}");
            continue;
        }
        let (Some(library), Some(model)) = (parts.library.as_ref(), parts.model(lang)) else {
            continue;
        };
        let t = Instant::now();
        let lib = VoskLibrary::open(library)?;
        let model = VoskModel::load(&lib, model)?;
        println!(
            "- {lang}: model loaded in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let (mut words_right, mut words_total, mut phrases_right, mut phrases) = (0, 0, 0, 0);
        let (mut busy, mut audio, mut latencies, mut unended) = (0.0f64, 0.0f64, Vec::new(), 0);
        for u in utterances.iter().filter(|u| u.lang == lang) {
            let mut rec = VoskRecognizer::new(&model, MODEL_RATE)?;
            let mut resampler = Resampler::new(RATE, MODEL_RATE);
            let mut text = String::new();
            // When Vosk's own end-pointing gave the result, after the end of speech.
            let mut done_at = None;
            let chunk_len = RATE as usize / 10;
            for (k, chunk) in u.samples.chunks(chunk_len).enumerate() {
                let pcm = to_i16(&resampler.push(chunk));
                let t = Instant::now();
                let fed = rec.accept(&pcm)?;
                let took = t.elapsed().as_secs_f64();
                busy += took;
                if let Fed::Final(json) = fed
                    && let Some(h) = parse_vosk_result(&json)
                {
                    text.push_str(&h.text);
                    text.push(' ');
                    let fed_up_to = ((k * chunk_len + chunk.len()) as f64) / f64::from(RATE);
                    done_at.get_or_insert(fed_up_to - u.speech_ends + took);
                }
            }
            let t = Instant::now();
            if let Some(h) = parse_vosk_result(&rec.finish()) {
                text.push_str(&h.text);
            }
            busy += t.elapsed().as_secs_f64();
            audio += u.samples.len() as f64 / f64::from(RATE);
            match done_at {
                Some(d) => latencies.push(d),
                None => unended += 1,
            }
            let said = text.to_lowercase();
            let expected: Vec<String> = u
                .text
                .to_lowercase()
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
                .collect();
            words_total += expected.len();
            words_right += expected
                .iter()
                .filter(|w| said.contains(w.as_str()))
                .count();
            phrases += 1;
            if said.contains(&u.stem.to_lowercase()) {
                phrases_right += 1;
            }
            println!("  - \"{}\" was read as \"{}\"", u.text, text.trim());
        }
        let latency = latencies.iter().sum::<f64>() / latencies.len().max(1) as f64;
        println!(
            "- {lang}: words right {words_right}/{words_total}; stems found {phrases_right}/{phrases}; real-time factor {:.2} (busy {busy:.1} s for {audio:.1} s of audio); ParticipantSaid {latency:.2} s after the end of speech (mean of {}; {unended} not ended by Vosk within {TAIL} s)",
            busy / audio.max(1e-9),
            latencies.len()
        );
    }
    Ok(())
}
