//! The session log: every input and every cue with its time, as JSON lines.
//!
//! One record a line, flushed as it is written, so a crash loses at most the record
//! being written. Ids are written both as the story's names (for people reading the
//! log) and as the director's typed values (for replaying it).
//!
//! ```text
//! {"session":{"folder":"/…/nayeon","language":"en","story":"Meeting You"},"t":0.0}
//! {"t":12.4,"ticks":[[0.011111111,90]]}
//! {"input":{"Event":{"HandHeld":0}},"t":12.4}
//! {"cue":{"Say":{"node":5,"seconds":2.1,"speaker":0}},"node":"talk","speaker":"nayeon","t":12.4,"text":[…]}
//! {"note":"the story changed on disk and was reloaded","t":30.2}
//! ```
//!
//! The frame times (`ticks`) are written in batches, before every other input and
//! every cue, and at least once a second, so a log replays exactly: [`read_inputs`]
//! gives back every input in order, and feeding them to a director of the same story
//! gives the same cues at the same times.
//!
//! # Durability
//!
//! A file log ([`SessionLog::create`], [`SessionLog::append`]) hands every record to
//! the kernel in one `write` as it is made (a kill -9 loses only the frame times not
//! yet written, under a second, and at most a record being written), and a
//! background thread `fdatasync`s the file after each write, so a power cut loses at
//! most the records written while the last sync ran (in practice the last record).
//! The frame that writes pays for the `write` only; the sync never blocks it.
//! `docs/robustness.md` has the measured cost. A session that stopped without an
//! end is resumed from its log ([`crate::session::Session::replayed_to_resume`]);
//! its log goes on in the same file, after an [`Input::Resumed`].
//!
//! Every line is one [`Record`], written and read by that one type, so the writer and
//! `reunion replay` cannot drift apart. A line is written as the JSON value of its
//! record: keys in alphabetical order and `f32`s widened to `f64`, byte for byte as
//! logs were written before the records were typed, so old logs and new ones look
//! alike and both replay.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::director::{Cue, Input};
use crate::story::{NodeKind, Story};

/// One line of a session log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Record {
    /// The first record: which story, in which language, from which folder.
    Session { t: f64, session: SessionHeader },
    /// Frame times that passed, as runs of equal ones; `t` is -1 for the frames
    /// written when the log closed.
    Ticks { t: f64, ticks: Vec<TickRun> },
    /// A story event or an operator's command.
    Input { t: f64, input: Input },
    /// A cue the director gave; for people reading the log, the story's names of its
    /// node and, for a line, its speaker and its text in every language (for the
    /// `Ended` of an `End` with aftercare, the aftercare's text).
    Cue {
        t: f64,
        cue: Cue,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        node: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        speaker: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Vec<String>>,
    },
    /// An operator's action, a reload, a problem: anything else worth a line.
    Note { t: f64, note: String },
}

impl Record {
    /// The record as one line of JSON (without the newline). Through a JSON value, as
    /// the log was always written: keys sorted, `f32`s widened (see the module docs).
    pub fn to_line(&self) -> serde_json::Result<String> {
        serde_json::to_value(self).and_then(|value| serde_json::to_string(&value))
    }
}

/// Which story a session played.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionHeader {
    /// The story's title.
    pub story: String,
    /// The language code it was played in.
    pub language: String,
    /// Where its folder was, if known.
    pub folder: Option<String>,
}

/// `count` frames of `dt` seconds each: `[dt, count]`. `dt` is the shortest decimal
/// that reads back as the frame's `f32`, so a replay is exact.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TickRun(pub f64, pub u32);

/// Ticks are written at least this often (frames), so a crash loses about a second.
const TICKS_PER_RECORD: usize = 90;

/// Writes a session log.
pub struct SessionLog {
    out: Box<dyn Write + Send + Sync>,
    /// Frame times not written yet.
    ticks: Vec<f32>,
    /// The first write error, if any: logging never stops a session.
    pub error: Option<io::Error>,
}

impl Drop for SessionLog {
    fn drop(&mut self) {
        self.flush_ticks(f64::NAN);
    }
}

impl SessionLog {
    /// Logs to a writer.
    pub fn new(out: Box<dyn Write + Send + Sync>) -> Self {
        Self {
            out,
            ticks: Vec::new(),
            error: None,
        }
    }

    /// A frame's time passed.
    pub fn tick(&mut self, t: f64, dt: f32) {
        self.ticks.push(dt);
        if self.ticks.len() >= TICKS_PER_RECORD {
            self.flush_ticks(t);
        }
    }

    fn flush_ticks(&mut self, t: f64) {
        if self.ticks.is_empty() {
            return;
        }
        let ticks = std::mem::take(&mut self.ticks);
        // Runs of equal frame times: [[dt, count], …]. Each dt is written as the
        // shortest text that reads back as the same f32, so a replay is exact.
        let mut runs: Vec<(f32, u32)> = Vec::new();
        for dt in ticks {
            match runs.last_mut() {
                Some((last, n)) if last.to_bits() == dt.to_bits() => *n += 1,
                _ => runs.push((dt, 1)),
            }
        }
        let ticks = runs
            .into_iter()
            .map(|(dt, n)| TickRun(dt.to_string().parse().unwrap_or(f64::from(dt)), n))
            .collect();
        let t = if t.is_finite() { round(t) } else { -1.0 };
        self.write(&Record::Ticks { t, ticks });
    }

    /// Creates (or truncates) a log file, synced to disk as it is written (see
    /// the module's docs).
    pub fn create(path: &Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        Ok(Self::new(Box::new(BufWriter::new(Synced::new(
            File::create(path)?,
        )?))))
    }

    /// Opens an existing log to go on writing after its last record (a resumed
    /// session). A last line cut off mid-write is ended first, so it stays one
    /// damaged line and the next record starts on its own.
    pub fn append(path: &Path) -> io::Result<Self> {
        let torn = std::fs::read(path)?.last().is_some_and(|b| *b != b'\n');
        let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
        if torn {
            file.write_all(b"\n")?;
        }
        Ok(Self::new(Box::new(BufWriter::new(Synced::new(file)?))))
    }

    /// The first record: which story (and where), in which language.
    pub fn header(&mut self, story: &Story, language: &str, folder: Option<&Path>) {
        self.write(&Record::Session {
            t: 0.0,
            session: SessionHeader {
                story: story.title.clone(),
                language: language.to_owned(),
                folder: folder.map(|f| f.display().to_string()),
            },
        });
    }

    pub fn input(&mut self, t: f64, input: &Input) {
        if let Input::Tick(dt) = input {
            self.tick(t, *dt);
            return;
        }
        self.flush_ticks(t);
        self.write(&Record::Input {
            t: round(t),
            input: input.clone(),
        });
    }

    pub fn cue(&mut self, t: f64, story: &Story, cue: &Cue) {
        // The frames that led to this cue are written first, so everything up to any
        // cue in the log can be replayed.
        self.flush_ticks(t);
        let node = match cue {
            Cue::Say { node, .. }
            | Cue::StopLine { node }
            | Cue::Waiting { node, .. }
            | Cue::WaitMet { node }
            | Cue::WaitTimedOut { node }
            | Cue::Ended { node }
            | Cue::Stuck { node, .. } => Some(story.node(*node).id.as_str()),
            _ => None,
        };
        let line = match cue {
            Cue::Say { node, .. } => story.line(*node),
            _ => None,
        };
        self.write(&Record::Cue {
            t: round(t),
            cue: cue.clone(),
            node: node.map(str::to_owned),
            speaker: line.map(|l| story.actor(l.speaker).id.clone()),
            text: match (line, cue) {
                (Some(l), _) => Some(l.text.clone()),
                (None, Cue::Ended { node }) => match &story.node(*node).kind {
                    NodeKind::End { aftercare } => aftercare.clone(),
                    _ => None,
                },
                _ => None,
            },
        });
    }

    /// An operator's action or anything else worth a line.
    pub fn note(&mut self, t: f64, what: &str) {
        self.flush_ticks(t);
        self.write(&Record::Note {
            t: round(t),
            note: what.to_owned(),
        });
    }

    fn write(&mut self, record: &Record) {
        if self.error.is_some() {
            return;
        }
        let result = record
            .to_line()
            .map_err(io::Error::other)
            .and_then(|line| self.out.write_all(line.as_bytes()))
            .and_then(|()| self.out.write_all(b"\n"))
            .and_then(|()| self.out.flush());
        if let Err(e) = result {
            self.error = Some(e);
        }
    }
}

/// A log file whose writes a background thread syncs to disk (`fdatasync`), so the
/// frame that writes never waits for the disk.
struct Synced {
    file: File,
    /// Asks the syncer for a sync; a request already waiting covers a later write.
    wake: Option<std::sync::mpsc::SyncSender<()>>,
    syncer: Option<std::thread::JoinHandle<()>>,
}

impl Synced {
    fn new(file: File) -> io::Result<Self> {
        let to_sync = file.try_clone()?;
        let (wake, asked) = std::sync::mpsc::sync_channel::<()>(1);
        let syncer = std::thread::Builder::new()
            .name("session-log-sync".into())
            .spawn(move || {
                while asked.recv().is_ok() {
                    // A failed sync (a full or removed disk) leaves the records
                    // written; the next write reports what is wrong.
                    let _ = to_sync.sync_data();
                }
            })?;
        Ok(Self {
            file,
            wake: Some(wake),
            syncer: Some(syncer),
        })
    }
}

impl Write for Synced {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(wake) = &self.wake {
            // Full: a sync is already asked for and will run after this write.
            let _ = wake.try_send(());
        }
        Ok(())
    }
}

impl Drop for Synced {
    fn drop(&mut self) {
        self.wake = None;
        if let Some(syncer) = self.syncer.take() {
            let _ = syncer.join();
        }
        let _ = self.file.sync_data();
    }
}

fn round(t: f64) -> f64 {
    (t * 1000.0).round() / 1000.0
}

/// What a log says about its session, and every input in order.
#[derive(Debug, Default)]
pub struct LoggedSession {
    pub language: Option<String>,
    pub folder: Option<String>,
    pub inputs: Vec<Input>,
    /// Lines that were not complete records (a crash mid-write loses the last one).
    pub damaged_lines: usize,
    /// Whether the story reached its end (an `Ended` cue).
    pub ended: bool,
    /// Whether the session was ended from outside (a signal, the window closed):
    /// the note such an end writes.
    pub ended_from_outside: bool,
}

impl LoggedSession {
    /// Whether the session stopped without an end: neither the story's end nor an
    /// end asked from outside is in the log (a crash, a power cut, a kill -9).
    pub fn stopped_without_an_end(&self) -> bool {
        !self.ended && !self.ended_from_outside
    }
}

/// The words of the note a session ended from outside writes (see the stage).
pub const ENDED_FROM_OUTSIDE: &str = "the session was ended from outside";

/// The words that begin the note of a resume.
pub const RESUMED: &str = "resumed after the session stopped";

/// Reads a session log back: its header and every input in order.
pub fn read_inputs(text: &str) -> LoggedSession {
    let mut out = LoggedSession::default();
    for line in text.lines() {
        match serde_json::from_str::<Record>(line) {
            Ok(Record::Session { session, .. }) => {
                out.language = Some(session.language);
                out.folder = session.folder;
            }
            Ok(Record::Ticks { ticks, .. }) => {
                for TickRun(dt, n) in ticks {
                    out.inputs
                        .extend(std::iter::repeat_n(Input::Tick(dt as f32), n as usize));
                }
            }
            Ok(Record::Input { input, .. }) => out.inputs.push(input),
            Ok(Record::Cue {
                cue: Cue::Ended { .. },
                ..
            }) => out.ended = true,
            Ok(Record::Note { note, .. }) => {
                if note.starts_with(ENDED_FROM_OUTSIDE) {
                    out.ended_from_outside = true;
                }
                // A session resumed after this note was not ended after all.
                if note.starts_with(RESUMED) {
                    out.ended_from_outside = false;
                }
            }
            Ok(Record::Cue { .. }) => {}
            // A record this version cannot read that replay does not need (a cue of
            // another version of reunion) is passed over, as before records were typed.
            Err(_) if !needed_for_replay(line) => {}
            Err(_) => out.damaged_lines += 1,
        }
    }
    out
}

/// The newest session in `sessions` (its folders are `<date>T<time>`, each with a
/// `session.jsonl`; the newest is the last by name), with its log read back, if it
/// stopped without an end (a crash, a power cut, a kill -9): the window's console
/// offers to resume it. `None` when the newest session ended, or there is none.
pub fn last_session_without_an_end(sessions: &Path) -> Option<(std::path::PathBuf, LoggedSession)> {
    let mut logs: Vec<std::path::PathBuf> = std::fs::read_dir(sessions)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("session.jsonl"))
        .filter(|log| log.is_file())
        .collect();
    logs.sort();
    let log = logs.pop()?;
    // A record torn mid-write may end inside a character: read what is whole.
    let text = std::fs::read(&log).ok()?;
    let logged = read_inputs(&String::from_utf8_lossy(&text));
    let something = logged.language.is_some() && !logged.inputs.is_empty();
    (something && logged.stopped_without_an_end()).then_some((log, logged))
}

/// Whether a line that is no [`Record`] claims to hold what replay needs (a header,
/// ticks or an input), or is no JSON object at all: then it is damaged.
fn needed_for_replay(line: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line)
        .ok()
        .is_none_or(|r| {
            ["session", "ticks", "input"]
                .iter()
                .any(|k| r.contains_key(*k))
        })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::director::{OperatorCommand, StoryEvent};
    use crate::load::load_dir;
    use crate::session::Session;
    use crate::story::{ActorId, LangId};

    #[test]
    fn the_last_session_is_offered_only_when_it_stopped_without_an_end() {
        let dir = std::env::temp_dir().join(format!("reunion-sessions-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |name: &str, lines: &[&str]| {
            let folder = dir.join(name);
            std::fs::create_dir_all(&folder).expect("folder");
            std::fs::write(folder.join("session.jsonl"), lines.join("\n") + "\n").expect("log");
        };
        let header = r#"{"session":{"folder":"/s","language":"en","story":"S"},"t":0.0}"#;
        let ticks = r#"{"t":1.0,"ticks":[[0.011111111,90]]}"#;
        let ended = r#"{"cue":{"Ended":{"node":3}},"t":9.0}"#;
        let outside =
            r#"{"note":"the session was ended from outside before the story's end","t":9.0}"#;
        assert!(last_session_without_an_end(&dir).is_none(), "no folder");
        write("2026-12-01T10-00-00", &[header, ticks]);
        write("2026-12-02T10-00-00", &[header, ticks, ended]);
        assert!(
            last_session_without_an_end(&dir).is_none(),
            "the newest ended (an older one did not: not offered)"
        );
        write("2026-12-03T09-00-00", &[header, ticks, outside]);
        assert!(
            last_session_without_an_end(&dir).is_none(),
            "ended from outside"
        );
        write("2026-12-03T10-00-00", &[header, ticks, r#"{"t":1.2,"inp"#]);
        let (log, logged) = last_session_without_an_end(&dir).expect("offered");
        assert!(log.ends_with("2026-12-03T10-00-00/session.jsonl"));
        assert_eq!(logged.inputs.len(), 90);
        assert_eq!(logged.language.as_deref(), Some("en"));
        write("2026-12-03T11-00-00", &[]);
        assert!(last_session_without_an_end(&dir).is_none(), "an empty log");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A log written before the records were typed, with the story it played.
    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/session_v1")
            .join(name)
    }

    fn read(name: &str) -> String {
        std::fs::read_to_string(fixture(name)).expect("the fixture is there")
    }

    #[test]
    fn a_log_written_before_records_were_typed_replays_to_the_same_inputs() {
        let logged = read_inputs(&read("session.jsonl"));
        assert_eq!(logged.damaged_lines, 0);
        assert_eq!(logged.language.as_deref(), Some("en"));
        assert_eq!(logged.folder.as_deref(), Some("session_v1"));
        // The inputs that reader gave back, as runs: [input, how many].
        let mut expected = Vec::new();
        for line in read("inputs.jsonl").lines() {
            let (input, n): (Input, usize) = serde_json::from_str(line).expect("a run");
            expected.extend(std::iter::repeat_n(input, n));
        }
        assert_eq!(expected.len(), 906, "the fixture's frames and events");
        assert_eq!(logged.inputs, expected);
        // And they play the same story to the same transcript.
        let loaded = load_dir(&fixture(""));
        let story = Arc::new(loaded.story.expect("the fixture's story"));
        let mut session = Session::replaying(Arc::clone(&story));
        session.start();
        for input in logged.inputs {
            session.input(input);
        }
        let transcript: Vec<String> = session
            .transcript
            .iter()
            .map(|l| l.render(&story, LangId(0)))
            .collect();
        assert_eq!(transcript.join("\n") + "\n", read("transcript.en.txt"));
        assert!(session.director.is_ended());
    }

    #[test]
    fn every_record_is_written_byte_for_byte_as_before() {
        let text = read("session.jsonl");
        let mut kinds = Vec::new();
        for line in text.lines() {
            let record: Record = serde_json::from_str(line).expect("a record");
            kinds.push(match &record {
                Record::Session { .. } => "session",
                Record::Ticks { .. } => "ticks",
                Record::Input { .. } => "input",
                Record::Cue { .. } => "cue",
                Record::Note { .. } => "note",
            });
            assert_eq!(record.to_line().expect("written"), line);
        }
        for kind in ["session", "ticks", "input", "cue", "note"] {
            assert!(kinds.contains(&kind), "the fixture has no {kind} record");
        }
    }

    /// A writer whose bytes the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().expect("not poisoned").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn what_the_log_writes_its_reader_gives_back() {
        let story = Arc::new(load_dir(&fixture("")).story.expect("story"));
        let out = Shared::default();
        let mut log = SessionLog::new(Box::new(out.clone()));
        log.header(&story, "ko", None);
        let fed = vec![
            Input::Tick(1.0 / 90.0),
            Input::Tick(1.0 / 90.0),
            Input::Tick(0.013),
            Input::Event(StoryEvent::HandHeld(ActorId(0))),
            Input::Operator(OperatorCommand::Hold),
            Input::Tick(1.0 / 90.0),
            Input::Operator(OperatorCommand::Resume),
            Input::Event(StoryEvent::ParticipantSpoke),
            Input::Tick(1.0 / 90.0),
        ];
        let mut session = Session::new(Arc::clone(&story)).with_log(log);
        session.start();
        for input in &fed {
            session.input(input.clone());
            if matches!(input, Input::Operator(OperatorCommand::Hold)) {
                session.note("held by the operator");
            }
        }
        drop(session);
        let text = String::from_utf8(out.0.lock().expect("not poisoned").clone()).expect("UTF-8");
        let logged = read_inputs(&text);
        assert_eq!(logged.inputs, fed);
        assert_eq!(logged.language.as_deref(), Some("ko"));
        assert_eq!(logged.folder, None);
        assert_eq!(logged.damaged_lines, 0);
        assert!(text.contains("{\"note\":\"held by the operator\",\"t\":0.035}\n"));
        // The last tick was written when the log closed, at t = -1.
        assert!(
            text.ends_with("{\"t\":-1.0,\"ticks\":[[0.011111111,1]]}\n"),
            "{text}"
        );
    }

    #[test]
    fn a_torn_line_is_damaged_and_another_version_s_cue_is_passed_over() {
        let text = "{\"session\":{\"folder\":null,\"language\":\"en\",\"story\":\"s\"},\"t\":0.0}\n\
                    {\"cue\":{\"SomethingNew\":1},\"t\":0.5}\n\
                    {\"t\":1.0,\"ticks\":[[0.011111111,2]]}\n\
                    {\"input\":{\"Event\":{\"HandHeld\":0}},\"t\":1.0}\n\
                    {\"input\":{\"Event\":{\"Hand";
        let logged = read_inputs(text);
        assert_eq!(logged.damaged_lines, 1);
        assert_eq!(
            logged.inputs,
            [
                Input::Tick(0.011111111),
                Input::Tick(0.011111111),
                Input::Event(StoryEvent::HandHeld(ActorId(0)))
            ]
        );
    }

    /// The reference story played to its first wait, where the participant says
    /// "I missed you" in Korean; then on for a minute. Returns the log's text and
    /// the transcript.
    fn missed_you_session(story: &Arc<crate::story::Story>) -> (String, Vec<String>) {
        let out = Shared::default();
        let mut log = SessionLog::new(Box::new(out.clone()));
        log.header(story, "ko", None);
        let mut session = Session::new(Arc::clone(story)).with_log(log);
        session.start();
        let wait = story.node_id("wait_noticed").expect("the first wait");
        for _ in 0..(30 * 90) {
            if session.director.node() == wait {
                break;
            }
            session.step(1.0 / 90.0, []);
        }
        assert_eq!(session.director.node(), wait);
        session.step(
            1.0 / 90.0,
            [StoryEvent::ParticipantSaid {
                text: "나연아, 엄마가 너무 보고 싶었어".into(),
                confidence: 0.9,
            }],
        );
        for _ in 0..(60 * 90) {
            session.step(1.0 / 90.0, []);
        }
        let transcript = session
            .transcript
            .iter()
            .map(|l| l.render(story, LangId(1)))
            .collect();
        drop(session);
        let text = String::from_utf8(out.0.lock().expect("not poisoned").clone()).expect("UTF-8");
        (text, transcript)
    }

    fn replayed(story: &Arc<crate::story::Story>, text: &str) -> Vec<String> {
        let mut session = Session::replaying(Arc::clone(story));
        session.start();
        for input in read_inputs(text).inputs {
            session.input(input);
        }
        session
            .transcript
            .iter()
            .map(|l| l.render(story, LangId(1)))
            .collect()
    }

    fn reference() -> Arc<crate::story::Story> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon");
        Arc::new(load_dir(&dir).story.expect("the reference story"))
    }

    #[test]
    fn without_consent_the_log_keeps_the_intent_not_the_words_and_replays_the_same() {
        let story = reference();
        assert!(!story.record_speech());
        let (text, transcript) = missed_you_session(&story);
        assert!(
            transcript
                .iter()
                .any(|l| l.ends_with("Nayeon: I missed you too, Mommy.")),
            "{transcript:#?}"
        );
        assert!(
            !text.contains("엄마가 너무"),
            "the words are not in the log"
        );
        assert!(!text.contains("ParticipantSaid"));
        assert!(text.contains("IntentsHeard"), "{text}");
        assert!(text.contains("\"node\":\"answer:missed_you_too\""));
        assert_eq!(replayed(&story, &text), transcript);
    }

    #[test]
    fn with_consent_the_log_keeps_the_words_and_replays_the_same() {
        let mut story = (*reference()).clone();
        story.consent.as_mut().expect("consent").record_speech = true;
        let story = Arc::new(story);
        let (text, transcript) = missed_you_session(&story);
        assert!(text.contains("나연아, 엄마가 너무 보고 싶었어"), "{text}");
        assert!(text.contains("ParticipantSaid"));
        assert_eq!(replayed(&story, &text), transcript);
        assert!(
            transcript
                .iter()
                .any(|l| l.ends_with("Nayeon: I missed you too, Mommy."))
        );
    }
}
