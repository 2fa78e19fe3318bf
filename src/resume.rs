//! `reunion play --resume SESSION`: a session that stopped without an end (a crash,
//! a power cut, a kill -9) goes on from its log. The log is read here; the stage
//! replays it and continues (`reunion_stage::config::ResumeFrom`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reunion_stage::prelude::ResumeFrom;
use reunion_story::log::{LoggedSession, read_inputs};

use crate::cli::PlayArgs;

/// The log file of a session: the folder's `session.jsonl`, or the file itself.
pub fn log_file(session: &Path) -> PathBuf {
    if session.is_dir() {
        session.join("session.jsonl")
    } else {
        session.to_path_buf()
    }
}

/// Reads the session to resume and fits `args` to it: its story (unless one is
/// given), its language (unless `--lang`), and its log as the log to write.
/// Errors are printed and become the exit code.
pub fn prepare(args: &mut PlayArgs) -> Result<Option<ResumeFrom>, ExitCode> {
    let Some(session) = &args.resume else {
        return Ok(None);
    };
    let log = log_file(session);
    // A record torn mid-write may end inside a character: read what is whole.
    let text = std::fs::read(&log).map_err(|e| {
        eprintln!(
            "error: --resume: cannot read the session log {}: {e}",
            log.display()
        );
        ExitCode::from(1)
    })?;
    let logged: LoggedSession = read_inputs(&String::from_utf8_lossy(&text));
    if logged.inputs.is_empty() && logged.language.is_none() {
        eprintln!(
            "error: --resume: {} holds no session to resume (no header, no input)",
            log.display()
        );
        return Err(ExitCode::from(1));
    }
    if logged.ended {
        eprintln!(
            "error: --resume: the story of {} reached its end; there is nothing to resume",
            log.display()
        );
        return Err(ExitCode::from(2));
    }
    if logged.damaged_lines > 0 {
        eprintln!(
            "notice: {} incomplete record(s) at the log's end were passed over (the session stopped mid-write)",
            logged.damaged_lines
        );
    }
    if args.path.is_none() {
        args.path = logged.folder.as_ref().map(PathBuf::from);
    }
    if args.lang.is_none() {
        args.lang = logged.language.clone();
    }
    args.log = Some(log.clone());
    Ok(Some(ResumeFrom {
        log,
        inputs: logged.inputs,
    }))
}
