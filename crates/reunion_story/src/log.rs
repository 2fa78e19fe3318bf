//! The session log: every input and every cue with its time, as JSON lines.
//!
//! One record a line, flushed as it is written, so a crash loses at most the record
//! being written. Ids are written both as the story's names (for people reading the
//! log) and as the director's typed values (for replaying it).
//!
//! ```text
//! {"t":0.0,"session":{"story":"Meeting You","language":"en"}}
//! {"t":12.4,"input":{"Event":{"HandHeld":0}}}
//! {"t":12.4,"node":"lead","cue":{"StartTransition":{...}}}
//! ```

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde_json::{Value, json};

use crate::director::{Cue, Input};
use crate::story::Story;

/// Writes a session log.
pub struct SessionLog {
    out: Box<dyn Write + Send + Sync>,
    /// The first write error, if any: logging never stops a session.
    pub error: Option<io::Error>,
}

impl SessionLog {
    /// Logs to a writer.
    pub fn new(out: Box<dyn Write + Send + Sync>) -> Self {
        Self { out, error: None }
    }

    /// Creates (or truncates) a log file.
    pub fn create(path: &Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        Ok(Self::new(Box::new(BufWriter::new(File::create(path)?))))
    }

    /// The first record: which story, in which language.
    pub fn header(&mut self, story: &Story, language: &str) {
        self.write(json!({
            "t": 0.0,
            "session": { "story": story.title, "language": language },
        }));
    }

    pub fn input(&mut self, t: f64, input: &Input) {
        self.write(json!({ "t": round(t), "input": input }));
    }

    pub fn cue(&mut self, t: f64, story: &Story, cue: &Cue) {
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
