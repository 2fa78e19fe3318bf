//! The session log: every input and every cue with its time, as JSON lines.
//!
//! One record a line, flushed as it is written, so a crash loses at most the record
//! being written. Ids are written both as the story's names (for people reading the
//! log) and as the director's typed values (for replaying it).
//!
//! ```text
//! {"t":0.0,"session":{"story":"Meeting You","language":"en","folder":"/…/nayeon"}}
//! {"t":12.4,"ticks":[[0.011111111,90]]}
//! {"t":12.4,"input":{"Event":{"HandHeld":0}}}
//! {"t":12.4,"node":"lead","cue":{"StartTransition":{...}}}
//! ```
//!
//! The frame times (`ticks`) are written in batches, before every other input and
//! every cue, and at least once a second, so a log replays exactly: [`read_inputs`] gives back every
//! input in order, and feeding them to a director of the same story gives the same
//! cues at the same times.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde_json::{Value, json};

use crate::director::{Cue, Input};
use crate::story::Story;

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
        let runs: Vec<Value> = runs
            .into_iter()
            .map(|(dt, n)| {
                let exact: f64 = dt.to_string().parse().unwrap_or(f64::from(dt));
                json!([exact, n])
            })
            .collect();
        let t = if t.is_finite() { round(t) } else { -1.0 };
        self.write(json!({ "t": t, "ticks": runs }));
    }

    /// Creates (or truncates) a log file.
    pub fn create(path: &Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        Ok(Self::new(Box::new(BufWriter::new(File::create(path)?))))
    }

    /// The first record: which story (and where), in which language.
    pub fn header(&mut self, story: &Story, language: &str, folder: Option<&Path>) {
        self.write(json!({
            "t": 0.0,
            "session": {
                "story": story.title,
                "language": language,
                "folder": folder.map(|f| f.display().to_string()),
            },
        }));
    }

    pub fn input(&mut self, t: f64, input: &Input) {
        if let Input::Tick(dt) = input {
            self.tick(t, *dt);
            return;
        }
        self.flush_ticks(t);
        self.write(json!({ "t": round(t), "input": input }));
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
        let mut record = json!({ "t": round(t), "cue": cue });
        if let Some(n) = node {
            record["node"] = Value::from(n);
        }
        if let Cue::Say { node, .. } = cue
            && let Some(line) = story.line(*node)
        {
            record["speaker"] = Value::from(story.actor(line.speaker).id.as_str());
            record["text"] = Value::from(line.text.clone());
        }
        self.write(record);
    }

    /// An operator's action or anything else worth a line.
    pub fn note(&mut self, t: f64, what: &str) {
        self.flush_ticks(t);
        self.write(json!({ "t": round(t), "note": what }));
    }

    fn write(&mut self, record: Value) {
        if self.error.is_some() {
            return;
        }
        let result = serde_json::to_writer(&mut self.out, &record)
            .map_err(io::Error::other)
            .and_then(|()| self.out.write_all(b"\n"))
            .and_then(|()| self.out.flush());
        if let Err(e) = result {
            self.error = Some(e);
        }
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
}

/// Reads a session log back.
pub fn read_inputs(text: &str) -> LoggedSession {
    let mut out = LoggedSession::default();
    for line in text.lines() {
        let Ok(record) = serde_json::from_str::<Value>(line) else {
            out.damaged_lines += 1;
            continue;
        };
        if let Some(session) = record.get("session") {
            out.language = session["language"].as_str().map(str::to_owned);
            out.folder = session["folder"].as_str().map(str::to_owned);
        } else if let Some(runs) = record.get("ticks").and_then(Value::as_array) {
            for run in runs {
                let (Some(dt), Some(n)) = (run[0].as_f64(), run[1].as_u64()) else {
                    out.damaged_lines += 1;
                    continue;
                };
                out.inputs
                    .extend(std::iter::repeat_n(Input::Tick(dt as f32), n as usize));
            }
        } else if let Some(input) = record.get("input") {
            match serde_json::from_value::<Input>(input.clone()) {
                Ok(i) => out.inputs.push(i),
                Err(_) => out.damaged_lines += 1,
            }
        }
    }
    out
}
