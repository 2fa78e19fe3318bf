//! Resuming after a crash (#21), without a world: the reference story played by the
//! autopilot, its log cut off at a moment every few seconds across the story (and
//! its last record torn, as a kill mid-write leaves it), replayed and resumed,
//! reaches the story's end with the lines of a run that was never interrupted, from
//! the interrupted line on; and the log, gone on in the same file, replays to the
//! same transcript. `tests/resume.rs` of the binary does the same with real kills.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use reunion_story::director::{Cue, Input, OperatorCommand, Phase};
use reunion_story::load::load_dir;
use reunion_story::log::{SessionLog, read_inputs};
use reunion_story::participant::Autopilot;
use reunion_story::prelude::*;
use reunion_story::session::Session;
use reunion_story::story::{Condition, NodeKind, WorldCue};

fn reference() -> Arc<Story> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../../assets/stories/nayeon");
    let loaded = load_dir(&dir);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
    Arc::new(loaded.story.expect("the reference story compiles"))
}

/// A log in memory, readable while it is written.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Shared {
    fn bytes(&self) -> Vec<u8> {
        self.0.lock().expect("not poisoned").clone()
    }
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

const DT: f32 = 1.0 / 90.0;

fn logged_session(story: &Arc<Story>, out: &Shared) -> Session {
    let mut log = SessionLog::new(Box::new(out.clone()));
    log.header(story, "en", None);
    Session::new(Arc::clone(story))
        .with_participant(Box::new(Autopilot::new()))
        .with_log(log)
}

fn said(session: &Session, story: &Story, from: usize) -> Vec<String> {
    session.transcript[from..]
        .iter()
        .map(|l| {
            let line = l.render(story, LangId(0));
            line.split_once("] ")
                .map(|(_, s)| s.to_owned())
                .unwrap_or(line)
        })
        .collect()
}

fn play_to_end(session: &mut Session) {
    while !session.director.is_ended() {
        assert!(session.stuck().is_none(), "{:?}", session.stuck());
        assert!(session.director.session_time() < 3600.0, "no end");
        session.step(DT, []);
    }
}

#[test]
fn a_log_cut_off_anywhere_resumes_to_the_lines_of_an_uninterrupted_run() {
    let story = reference();
    let mut whole = logged_session(&story, &Shared::default());
    whole.start();
    play_to_end(&mut whole);
    let full = said(&whole, &story, 0);
    let length = whole.director.session_time();
    let mut at = 0.5;
    let mut kills = 0;
    let mut seed: u64 = 21;
    while at < length - 1.0 {
        // Played up to `at`, then the process is gone: what reached the log stays.
        let out = Shared::default();
        let mut first = logged_session(&story, &out);
        first.start();
        while first.director.session_time() < at {
            first.step(DT, []);
        }
        let before = said(&first, &story, 0);
        let mut bytes = out.bytes();
        std::mem::forget(first); // no Drop: a kill writes nothing more
        // The last record torn somewhere (a kill mid-write).
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let last = bytes[..bytes.len() - 1]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        let cut = last + (seed >> 33) as usize % (bytes.len() - last);
        bytes.truncate(cut);
        // Torn mid-character too: the reader takes what is whole.
        let logged = read_inputs(&String::from_utf8_lossy(&bytes));
        assert!(logged.stopped_without_an_end());
        let mut resumed = Session::replayed_to_resume(Arc::clone(&story), LangId(0), logged.inputs);
        let more = Shared::default();
        resumed = resumed
            .with_participant(Box::new(Autopilot::new()))
            .with_log(SessionLog::new(Box::new(more.clone())));
        let in_a_place = resumed.director.place().is_some();
        // A wait for a hand she held out: she holds it out again (the world that
        // rebuilds the place forgets the offer).
        let hand_waited_for = match &story.node(resumed.director.node()).kind {
            NodeKind::Wait {
                until: Condition::HandHeld(a),
                ..
            } if resumed.director.phase() != &Phase::Idle => Some(*a),
            _ => None,
        };
        let cues = resumed.resume();
        if let Some(a) = hand_waited_for {
            assert!(
                cues.contains(&Cue::World(WorldCue::OfferHand(a))),
                "at {at} s her hand is held out again: {cues:?}"
            );
        }
        assert_eq!(
            cues.iter().any(|c| matches!(c, Cue::WorldAsRehearsed(_))),
            in_a_place,
            "at {at} s the world is set as it was: {cues:?}"
        );
        assert!(
            !cues
                .iter()
                .any(|c| matches!(c, Cue::StopLine { .. } | Cue::TransitionEnded { .. })),
            "nothing to stop in a new process: {cues:?}"
        );
        play_to_end(&mut resumed);
        let after = said(&resumed, &story, resumed.lines_before_resume);
        let from = full.len() - after.len();
        assert_eq!(after, full[from..], "killed at {at} s");
        assert!(
            from <= before.len() && before.len() - from <= 1,
            "killed at {at} s: {} lines before, resumed at line {from}",
            before.len()
        );
        // The log goes on in the same file: replayed whole, it says the same.
        drop(resumed);
        if bytes.last().is_some_and(|b| *b != b'\n') {
            bytes.push(b'\n');
        }
        bytes.extend(more.bytes());
        let again = read_inputs(&String::from_utf8_lossy(&bytes));
        assert!(again.damaged_lines <= 1);
        assert!(again.inputs.contains(&Input::Resumed));
        let mut replay = Session::replaying(Arc::clone(&story));
        replay.start();
        for input in again.inputs {
            replay.input(input);
        }
        assert!(
            replay.director.is_ended(),
            "killed at {at} s: the replay ends"
        );
        assert!(said(&replay, &story, 0).ends_with(&after));
        kills += 1;
        at += 1.7;
    }
    assert!(kills > 100, "{kills} kills");
}

#[test]
fn resumed_in_the_calm_place_it_stays_there_held_until_the_operator_resumes() {
    let story = reference();
    let out = Shared::default();
    let mut first = logged_session(&story, &out);
    first.start();
    while first.transcript.len() < 3 {
        first.step(DT, []);
    }
    first.input(Input::Operator(OperatorCommand::StopNow));
    for _ in 0..90 {
        first.step(DT, []);
    }
    let line = first.director.resume_point().expect("a line to go back to");
    std::mem::forget(first);
    let logged = read_inputs(std::str::from_utf8(&out.bytes()).expect("UTF-8"));
    let mut resumed = Session::replayed_to_resume(Arc::clone(&story), LangId(0), logged.inputs)
        .with_participant(Box::new(Autopilot::new()));
    let cues = resumed.resume();
    assert!(cues.contains(&Cue::SafeExit), "{cues:?}");
    assert!(resumed.director.is_held() && resumed.director.in_calm_place());
    assert!(cues.iter().any(|c| matches!(c, Cue::EnterPlace { .. })));
    let cues = resumed.input(Input::Operator(OperatorCommand::Resume));
    assert!(
        cues.iter()
            .any(|c| matches!(c, Cue::Say { node, .. } if *node == line)),
        "the interrupted line is said again: {cues:?}"
    );
    play_to_end(&mut resumed);
}
