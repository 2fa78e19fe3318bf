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

/// The window's offer at start-up: the newest session in `sessions/`, when it stopped
/// without an end and played this story (`reunion_story::log::last_session_without_an_end`),
/// with where and when it stopped in words.
pub fn offer(
    location: &crate::StoryLocation,
    checked: &crate::Checked,
) -> Option<reunion_console::ResumeOffer> {
    let (log, logged) = reunion_story::log::last_session_without_an_end(Path::new("sessions"))?;
    let same_story = logged
        .folder
        .as_deref()
        .and_then(|f| std::fs::canonicalize(f).ok())
        .is_some_and(|f| f == location.folder);
    if !same_story {
        return None;
    }
    let story = std::sync::Arc::clone(&checked.story);
    let lang = logged
        .language
        .as_deref()
        .and_then(|l| story.lang_id(l))
        .unwrap_or(reunion_story::story::LangId(0));
    let replayed = reunion_story::session::Session::replayed_to_resume(
        std::sync::Arc::clone(&story),
        lang,
        logged.inputs.iter().cloned(),
    );
    let at = replayed
        .director
        .resume_point()
        .map_or("its end", |n| story.node(n).id.as_str());
    let seconds = replayed.director.session_time();
    let name = log
        .parent()
        .and_then(|p| p.file_name())
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    eprintln!(
        "notice: the last session ({name}) stopped without an end; the console offers to resume it"
    );
    Some(reunion_console::ResumeOffer {
        summary: format!(
            "{name}: stopped {} min {:02} s in, at `{at}` ({} lines said)",
            (seconds / 60.0) as u64,
            (seconds % 60.0) as u64,
            replayed.transcript.len()
        ),
        log,
        inputs: logged.inputs,
        language: logged.language,
    })
}
