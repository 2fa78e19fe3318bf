//! `reunion bench --listen`: the listening figures, measured offline on recordings
//! made here: speech synthesised by espeak-ng (Korean and English) over a room's
//! noise, and ten minutes each of a fan, a room and the story's music, made by sox.
//!
//! The voice-activity detector is fed the recordings as a microphone would give them
//! (10 ms chunks at 48 kHz): how many utterances it catches, how many times noise
//! starts one (per 10 minutes), and how long after the end of speech it reports
//! `ParticipantSpoke`. With Vosk installed, the recogniser is fed the same utterances
//! (resampled to 16 kHz, in 100 ms chunks): what it gets right, how long after the
//! last sample the result comes, and its real-time factor, reading freely and against
//! the grammar made from the reference story's intents (as a session does): which of
//! the story's intents the matcher then finds, sure or not, where they were said and
//! where they were not. espeak-ng is a poor speaker; these figures say what is
//! recognised of it, nothing more.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use reunion_audio::vosk::{self, Fed, MODEL_RATE, VoskLibrary, VoskModel, VoskRecognizer};
use reunion_story::speech::{Resampler, parse_vosk_result, to_i16};
use reunion_story::speech_grammar::{self, GrammarConfig};
use reunion_story::voice_activity::{VoiceActivity, VoiceEvent};

/// The rate recordings are fed at, as a typical input device gives them.
const RATE: u32 = 48_000;

/// What the participant might say, and the reference story's intent it expresses
/// (`""`: none of them). Korean is spoken by three of espeak-ng's voices.
const PHRASES: &[(&str, &str, &str)] = &[
    ("ko", "엄마도 너무 보고 싶었어", "miss_you"),
    ("ko", "보고 싶었어", "miss_you"),
    ("ko", "나연아 보고 싶어", "miss_you"),
    ("ko", "우리 딸 너무 그리웠어", "miss_you"),
    ("ko", "사랑해", "love_you"),
    ("ko", "엄마가 많이 사랑해", "love_you"),
    ("ko", "사랑한다 나연아", "love_you"),
    ("ko", "미안해", "sorry"),
    ("ko", "엄마가 미안해", "sorry"),
    ("ko", "정말 미안해", "sorry"),
    ("ko", "잘 지냈어", ""),
    ("ko", "엄마 여기 있어", ""),
    ("ko", "나연아 생일 축하해", ""),
    ("ko", "응 잘 지내", ""),
    ("ko", "오늘 날씨가 좋네요", ""),
    ("ko", "고마워", ""),
    ("ko", "배고파", ""),
    ("ko", "이게 뭐야", ""),
    ("ko", "예쁘다 우리 나연이", ""),
    ("ko", "엄마 손 잡아", ""),
    ("ko", "케이크 맛있겠다", ""),
    ("ko", "어디 가는 거야", ""),
    ("en", "I missed you so much", "miss_you"),
    ("en", "I love you", "love_you"),
    ("en", "I'm sorry", "sorry"),
    ("en", "Are you doing well", ""),
    ("en", "Mommy is here", ""),
    ("en", "Happy birthday Nayeon", ""),
];

/// espeak-ng's voices for a language (its variants change pitch and timbre).
fn voices(lang: &str) -> &'static [&'static str] {
    match lang {
        "ko" => &["ko", "ko+f2", "ko+m3"],
        _ => &["en"],
    }
}

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
    /// The intent it expresses (`""`: none).
    intent: &'static str,
    samples: Vec<f32>,
    speech_ends: f64,
}

const LEAD: f64 = 1.0;
const TAIL: f64 = 2.0;

fn make_utterances(dir: &Path) -> Result<Vec<Utterance>, String> {
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let mut out = Vec::new();
    let spoken = PHRASES.iter().flat_map(|(lang, text, intent)| {
        voices(lang)
            .iter()
            .map(move |v| (*lang, *text, *intent, *v))
    });
    for (i, (lang, text, intent, voice)) in spoken.enumerate() {
        let raw = p(&format!("u{i}-raw.wav"));
        sh("espeak-ng", &["-v", voice, "-s", "140", "-w", &raw, text])?;
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
            intent,
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
    detect_with(samples, false)
}

/// [`detect`], the detector told whether the story's music plays.
fn detect_with(samples: &[f32], music: bool) -> Vec<VoiceEvent> {
    let mut vad = VoiceActivity::new(RATE);
    vad.set_music(music);
    samples
        .chunks(RATE as usize / 100)
        .flat_map(|c| vad.push(c))
        .collect()
}

/// The RMS level of samples in dB of full scale.
fn level_db(samples: &[f32]) -> f64 {
    let sum: f64 = samples.iter().map(|s| f64::from(*s).powi(2)).sum();
    10.0 * (sum / samples.len().max(1) as f64 + 1e-12).log10()
}

/// Each utterance said while the story's music plays (the detector told so), the voice
/// louder than the music by 0, 6, 12 and 20 dB (RMS of the voice against RMS of the
/// song): how many are caught, and how many times the music alone began one.
fn speech_over_music(utterances: &[Utterance], song: &[f32]) {
    // Music alone first, for as long as the detector needs to learn its level.
    let before = 4.0;
    let song_db = level_db(&song[..song.len().min(8 * RATE as usize)]);
    for louder in [0.0, 6.0, 12.0, 20.0] {
        let (mut caught, mut false_starts) = (0, 0);
        for u in utterances {
            let start = (LEAD * f64::from(RATE)) as usize;
            let end = (u.speech_ends * f64::from(RATE)) as usize;
            let voice_db = level_db(&u.samples[start..end.min(u.samples.len())]);
            let gain = 10f64.powf((voice_db - louder - song_db) / 20.0) as f32;
            let lead = (before * f64::from(RATE)) as usize;
            let mut mixed: Vec<f32> = song
                .iter()
                .take(lead + u.samples.len())
                .map(|s| s * gain)
                .collect();
            for (m, v) in mixed[lead..].iter_mut().zip(&u.samples) {
                *m += v;
            }
            let spoke_from = before + LEAD - 0.3;
            let finished: Vec<f64> = detect_with(&mixed, true)
                .into_iter()
                .filter_map(|e| match e {
                    VoiceEvent::Finished { began, .. } => Some(began),
                    VoiceEvent::Began { .. } => None,
                })
                .collect();
            if finished
                .iter()
                .any(|b| *b >= spoke_from && *b <= before + u.speech_ends)
            {
                caught += 1;
            }
            false_starts += finished.iter().filter(|b| **b < spoke_from).count();
        }
        println!(
            "- speech over the story's music, the voice {louder:.0} dB louder: {caught}/{} utterances caught ({false_starts} begun by the music before the voice)",
            utterances.len()
        );
    }
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
    if let Some((_, song)) = noises.iter().find(|(n, _)| *n == "the story's music") {
        let minutes = song.len() as f64 / f64::from(RATE) / 60.0;
        let events = detect_with(song, true);
        let count = |f: fn(&VoiceEvent) -> bool| events.iter().filter(|e| f(e)).count();
        let starts = count(|e| matches!(e, VoiceEvent::Began { .. }));
        let spoke = count(|e| matches!(e, VoiceEvent::Finished { .. }));
        println!(
            "- the story's music, the detector told it plays: {:.1} false starts per 10 minutes ({starts} in {minutes:.0} min; {spoke} ParticipantSpoke)",
            starts as f64 * 10.0 / minutes
        );
        speech_over_music(&utterances, song);
    }
    println!();

    let parts = vosk::find();
    let story = reunion_story::load::load_dir(&crate::reference_story())
        .story
        .ok_or("the reference story does not load")?;
    println!("## Recognition (Vosk): free speech, and the story's grammar");
    println!();
    for lang in ["ko", "en"] {
        if let Err(why) = parts.understands(lang) {
            println!("- {lang}: not measured: {why}");
            continue;
        }
        let (Some(library), Some(folder)) = (parts.library.as_ref(), parts.model(lang)) else {
            continue;
        };
        let t = Instant::now();
        let lib = VoskLibrary::open(library)?;
        let model = VoskModel::load(&lib, folder)?;
        println!(
            "- {lang}: model loaded in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let lang_index = story.lang_id(lang).map_or(0, |l| l.0 as usize);
        let phrases: Vec<&str> = story
            .intents
            .iter()
            .filter_map(|i| i.words.get(lang_index))
            .flatten()
            .map(String::as_str)
            .collect();
        let grammar = if VoskModel::takes_grammar(folder) && !phrases.is_empty() {
            let t = Instant::now();
            let vocabulary = VoskModel::vocabulary(folder)?;
            let g = speech_grammar::build(&phrases, &vocabulary, &GrammarConfig::default());
            println!(
                "- {lang}: the story's grammar: {} phrases as {:?}, {} fillers (vocabulary of {} words read in {:.1} s)",
                g.phrases.len(),
                g.phrases
                    .iter()
                    .map(|(_, w)| w.clone().unwrap_or_default().join(" "))
                    .collect::<Vec<_>>(),
                g.fillers,
                vocabulary.len(),
                t.elapsed().as_secs_f64()
            );
            Some(g.json)
        } else {
            None
        };
        let utterances: Vec<&Utterance> = utterances.iter().filter(|u| u.lang == lang).collect();
        recognise_all(&model, &story, &utterances, None)?;
        if let Some(json) = &grammar {
            recognise_all(&model, &story, &utterances, Some(json))?;
        }
    }
    Ok(())
}

/// Feeds every utterance to a fresh recogniser (free, or with `grammar`) and prints
/// what it got right: words, and the story's intents as the matcher judges its
/// readings (sure at the matcher's threshold).
fn recognise_all(
    model: &std::sync::Arc<VoskModel>,
    story: &reunion_story::story::Story,
    utterances: &[&Utterance],
    grammar: Option<&str>,
) -> Result<(), String> {
    let mode = if grammar.is_some() { "grammar" } else { "free" };
    let (mut words_right, mut words_total) = (0, 0);
    let (mut intents, mut found, mut sure, mut wrong, mut wrong_sure) = (0, 0, 0, 0, 0);
    let (mut busy, mut audio, mut latencies, mut unended) = (0.0f64, 0.0f64, Vec::new(), 0);
    for u in utterances {
        let mut rec = match grammar {
            Some(json) => VoskRecognizer::with_grammar(model, MODEL_RATE, json)?,
            None => VoskRecognizer::new(model, MODEL_RATE)?,
        };
        let mut resampler = Resampler::new(RATE, MODEL_RATE);
        let mut heard = Vec::new();
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
                heard.push(h);
                let fed_up_to = ((k * chunk_len + chunk.len()) as f64) / f64::from(RATE);
                done_at.get_or_insert(fed_up_to - u.speech_ends + took);
            }
        }
        let t = Instant::now();
        heard.extend(parse_vosk_result(&rec.finish()));
        busy += t.elapsed().as_secs_f64();
        audio += u.samples.len() as f64 / f64::from(RATE);
        match done_at {
            Some(d) => latencies.push(d),
            None => unended += 1,
        }
        let text = heard
            .iter()
            .map(|h| h.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
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
        // The matcher's judgement of each reading: the intents found, sure or not.
        let mut matched: Vec<(String, bool)> = Vec::new();
        for h in &heard {
            for (id, m) in story.match_words(&h.text, h.confidence) {
                matched.push((story.intent(id).id.clone(), m.is_sure()));
            }
        }
        if !u.intent.is_empty() {
            intents += 1;
            if matched.iter().any(|(i, _)| i == u.intent) {
                found += 1;
            }
            if matched.iter().any(|(i, s)| i == u.intent && *s) {
                sure += 1;
            }
        }
        wrong += matched.iter().filter(|(i, _)| i != u.intent).count();
        wrong_sure += matched.iter().filter(|(i, s)| i != u.intent && *s).count();
        let judged = matched
            .iter()
            .map(|(i, s)| format!("{i}{}", if *s { "" } else { "?" }))
            .collect::<Vec<_>>()
            .join(",");
        println!(
            "  - {mode}: \"{}\" was read as \"{text}\" ({:.2}) [{judged}]",
            u.text,
            heard.first().map_or(0.0, |h| h.confidence)
        );
    }
    let latency = latencies.iter().sum::<f64>() / latencies.len().max(1) as f64;
    println!(
        "- {mode}: words right {words_right}/{words_total}; intents found {found}/{intents} (sure {sure}); intents found where not said {wrong} (sure {wrong_sure}) in {} utterances; real-time factor {:.3} (busy {busy:.1} s for {audio:.1} s of audio); ParticipantSaid {latency:.2} s after the end of speech (mean of {}; {unended} not ended by Vosk within {TAIL} s)",
        utterances.len(),
        busy / audio.max(1e-9),
        latencies.len()
    );
    Ok(())
}
