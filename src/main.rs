//! `reunion`: check, play and rehearse VR reunion stories.
//!
//! ```text
//! reunion                                   play the reference story flat-screen
//! reunion check PATH                        check a story folder: file:line:col diagnostics
//! reunion play [PATH]                       play a story in a window
//! reunion play PATH --headless --autopilot  run it on simulated time, print the transcript
//! reunion graph PATH --out story.svg        draw the story as a graph (Graphviz)
//! reunion new NAME                         a new story folder from a small template
//! reunion play PATH --xr                    play it in a headset (OpenXR); --xr=auto falls back to flat
//! reunion play PATH --console-web           and serve the console to a tablet (docs/tablet.md)
//! reunion bench --soak [--hours 8]          the story in a loop for hours: memory, entities, assets
//! reunion bench --storm [--edits 200]       random edits to a copy of the story while it plays
//! reunion host PATH --headless              host it for participants on other machines
//! reunion join ADDR --code CODE --as NAME   join a hosted story (docs/network.md)
//! ```

mod bench;
mod bench_hitch;
mod bench_listen;
mod bench_network;
mod bench_peers;
mod bench_plot;
mod bench_render;
mod capture;
mod cli;
mod family;
mod family_window;
mod graph;
mod headless;
mod log_output;
mod new_story;
mod remote_console;
mod report;
mod resume;
mod shot_framing;
mod signals;
mod soak;
mod storm;
mod storm_edits;
mod tablet;
mod window;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, PlayArgs, XrMode};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Play(PlayArgs::default())) {
        Command::Check(args) => check(&args.path, args.quiet),
        Command::Play(args) => play(args),
        Command::Replay(args) => replay(args),
        Command::Report(args) => report::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::New(args) => new_story::run(&args),
        Command::Host(args) => family::host(&args),
        Command::Join(args) => family::join(&args),
        Command::Console(args) => remote_console::console(&args),
        Command::Bench(args) if args.listen => bench_listen::run(),
        Command::Bench(args) if args.network => {
            let path = args.path.clone().unwrap_or_else(reference_story);
            match prepare(&path, None, true) {
                Ok((location, _)) => {
                    bench_network::run(&location.folder, &location.file, args.quick)
                }
                Err(code) => code,
            }
        }
        Command::Bench(args) => {
            let path = args.path.clone().unwrap_or_else(reference_story);
            match prepare(&path, None, true) {
                Ok((location, _)) if args.storm => storm::run(&location.folder, &args),
                Ok((location, checked)) if args.soak && args.render => match need_display() {
                    Ok(()) => soak::run_window(&location, &checked, &args),
                    Err(code) => code,
                },
                Ok((location, checked)) if args.soak => {
                    soak::run_headless(&location, &checked, &args)
                }
                Ok((location, checked)) if args.render => match need_display() {
                    Ok(()) => bench_render::run(&location, &checked, &args),
                    Err(code) => code,
                },
                Ok((location, _)) => bench::run(&location, &args),
                Err(code) => code,
            }
        }
        Command::Capture(args) => {
            let path = args.path.clone().unwrap_or_else(reference_story);
            match prepare(&path, args.lang.as_deref(), false) {
                Ok((location, checked)) => match need_display() {
                    Ok(()) => {
                        capture::run(&location, &checked, args.out, args.lang, args.headset_view)
                    }
                    Err(code) => code,
                },
                Err(code) => code,
            }
        }
    }
}

/// A window needs a display; say so instead of letting the window system panic.
fn need_display() -> Result<(), ExitCode> {
    let has = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        Ok(())
    } else {
        eprintln!(
            "error: no display to open a window on (DISPLAY is not set); on a server run under \
             xvfb-run -s \"-screen 0 1280x720x24\", or use --headless"
        );
        Err(ExitCode::from(2))
    }
}

/// A story checked before anything opens: the app takes it as it is (its first load
/// does not read and check everything again).
pub struct Checked {
    pub story: std::sync::Arc<reunion_story::story::Story>,
    pub warnings: reunion_story::diagnostic::Diagnostics,
}

impl Checked {
    /// For the stage's configuration: the story as checked, taken by its first load.
    pub fn preloaded(&self) -> reunion_stage::config::PreloadedStory {
        reunion_stage::config::PreloadedStory::new(
            std::sync::Arc::clone(&self.story),
            self.warnings.clone(),
        )
    }
}

/// Finds the story and checks it; errors are printed and become the exit code.
fn prepare(
    path: &Path,
    lang: Option<&str>,
    allow_retired: bool,
) -> Result<(StoryLocation, Checked), ExitCode> {
    let location = locate(path).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(1)
    })?;
    let loaded = reunion_story::load::load_dir(path);
    let Some(story) = loaded.story.filter(|_| !loaded.diagnostics.has_errors()) else {
        eprintln!("{}", loaded.diagnostics);
        return Err(ExitCode::from(1));
    };
    if let Some(lang) = lang
        && story.lang_id(lang).is_none()
    {
        eprintln!(
            "error: the story has no language `{lang}`; it has: {}",
            story.languages.join(", ")
        );
        return Err(ExitCode::from(2));
    }
    if let Some(retired) = story.consent.as_ref().and_then(|c| c.retire_after)
        && retired < reunion_story::story::Date::today()
    {
        if allow_retired {
            eprintln!("notice: playing a story retired on {retired}, as asked (--allow-retired)");
        } else {
            eprintln!(
                "error: this story was retired on {retired} (consent: retire_after); it is not played \
                 after that date unless you say so with --allow-retired"
            );
            return Err(ExitCode::from(4));
        }
    }
    Ok((
        location,
        Checked {
            story: std::sync::Arc::new(story),
            warnings: loaded.diagnostics,
        },
    ))
}

fn replay(args: cli::ReplayArgs) -> ExitCode {
    // A record torn mid-write may end inside a character: read what is whole.
    let text = match std::fs::read(&args.log) {
        Ok(t) => String::from_utf8_lossy(&t).into_owned(),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.log.display());
            return ExitCode::from(1);
        }
    };
    let logged = reunion_story::log::read_inputs(&text);
    let Some(folder) = args
        .story
        .clone()
        .or_else(|| logged.folder.as_ref().map(PathBuf::from))
    else {
        eprintln!("error: the log does not say where its story is: give it with --story PATH");
        return ExitCode::from(1);
    };
    let loaded = reunion_story::load::load_dir(&folder);
    let Some(story) = loaded.story.filter(|_| !loaded.diagnostics.has_errors()) else {
        eprintln!("{}", loaded.diagnostics);
        return ExitCode::from(1);
    };
    let story = std::sync::Arc::new(story);
    let code = args.lang.clone().or(logged.language.clone());
    let lang = match code.as_deref().map(|c| story.lang_id(c)) {
        Some(Some(l)) => l,
        Some(None) => {
            eprintln!(
                "error: the story has no language `{}`",
                code.unwrap_or_default()
            );
            return ExitCode::from(2);
        }
        None => reunion_story::story::LangId(0),
    };
    let mut session = reunion_story::session::Session::replaying(std::sync::Arc::clone(&story));
    session.director.set_language(lang);
    session.start();
    for input in logged.inputs {
        session.input(input);
    }
    for line in &session.transcript {
        println!("{}", line.render(&story, lang));
    }
    if logged.damaged_lines > 0 {
        eprintln!(
            "notice: {} incomplete record(s) in the log were skipped (a session that stopped mid-write)",
            logged.damaged_lines
        );
    }
    let end = if session.director.is_ended() {
        "the story ended"
    } else {
        "the log stops before the story's end"
    };
    eprintln!("{end} after {:.1} s", session.director.session_time());
    ExitCode::SUCCESS
}

/// Where a windowed session's log goes by default: sessions/<date>T<time>/session.jsonl.
fn default_log_path() -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = reunion_story::story::Date::from_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    PathBuf::from("sessions")
        .join(format!(
            "{day}T{:02}-{:02}-{:02}",
            s / 3600,
            s / 60 % 60,
            s % 60
        ))
        .join("session.jsonl")
}

/// The reference story, found from the working directory or from the source tree.
pub fn reference_story() -> PathBuf {
    let local = Path::new("assets/stories/nayeon");
    if local.join("story.ron").is_file() {
        return local.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/stories/nayeon")
}

fn check(path: &Path, quiet: bool) -> ExitCode {
    if !path.exists() {
        eprintln!("error: {} does not exist", path.display());
        return ExitCode::from(1);
    }
    let loaded = reunion_story::load::load_dir(path);
    let d = &loaded.diagnostics;
    if !d.is_empty() {
        eprintln!("{d}");
    }
    match &loaded.story {
        Some(story) if !d.has_errors() => {
            if !quiet {
                let lines = story
                    .nodes
                    .iter()
                    .filter(|n| matches!(n.kind, reunion_story::story::NodeKind::Say(_)))
                    .count();
                println!(
                    "{}: \"{}\" is ready: {} nodes ({lines} lines), {} places, {} in the cast, languages {}",
                    path.display(),
                    story.title,
                    story.nodes.len(),
                    story.places.len(),
                    story.cast.len(),
                    story.languages.join(", ")
                );
                // What a live participant's words will be: heard, and understood or not.
                println!("{}", reunion_audio::vosk::find().describe(&story.languages));
            }
            ExitCode::SUCCESS
        }
        _ => ExitCode::from(1),
    }
}

/// Where a story lives: the folder (the asset root) and the story file's name in it.
pub struct StoryLocation {
    pub folder: PathBuf,
    pub file: PathBuf,
}

fn locate(path: &Path) -> Result<StoryLocation, String> {
    let path = if path.is_dir() {
        path.join(reunion_story::load::STORY_FILE)
    } else {
        path.to_path_buf()
    };
    if !path.is_file() {
        return Err(format!("no story at {}", path.display()));
    }
    let abs = std::fs::canonicalize(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let folder = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let file = PathBuf::from(abs.file_name().unwrap_or_default());
    Ok(StoryLocation { folder, file })
}

fn play(mut args: PlayArgs) -> ExitCode {
    let resume = match resume::prepare(&mut args) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let path = args.path.clone().unwrap_or_else(reference_story);
    // Check before opening anything: a story with errors is reported, not played.
    let (location, checked) = match prepare(&path, args.lang.as_deref(), args.allow_retired) {
        Ok(ok) => ok,
        Err(code) => return code,
    };
    if let Some(script) = &args.script {
        let parsed = std::fs::read_to_string(script)
            .map_err(|e| format!("error: cannot read the script {}: {e}", script.display()))
            .and_then(|text| {
                reunion_story::participant::Script::parse(script, &text, &checked.story)
                    .map_err(|d| d.to_string())
            });
        if let Err(e) = parsed {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    }
    if let Some(from) = &args.from
        && checked.story.node_id(from).is_none()
    {
        let hint = reunion_story::diagnostic::did_you_mean(
            from,
            checked.story.nodes.iter().map(|n| n.id.as_str()),
        );
        eprintln!(
            "error: --from: the story has no node `{from}`{}",
            hint.map(|h| format!(" ({h})")).unwrap_or_default()
        );
        return ExitCode::from(2);
    }
    if args.headless {
        if !args.autopilot && args.script.is_none() {
            eprintln!(
                "error: --headless needs a participant: --autopilot, or --script FILE with timed actions"
            );
            return ExitCode::from(2);
        }
        return headless::run(&location, &checked, &args, resume);
    }
    // In a headset the participant acts herself; the autopilot acts through an
    // emulated head and hands a headset replaces.
    if args.xr.is_some() && args.autopilot {
        eprintln!(
            "error: --autopilot plays without a participant; it cannot be combined with --xr"
        );
        return ExitCode::from(2);
    }
    let vr = match headset_wanted(args.xr) {
        Ok(vr) => vr,
        Err(code) => return code,
    };
    if let Err(code) = need_display() {
        return code;
    }
    // The last session stopped without an end: the console offers to resume it.
    let offer = (resume.is_none() && args.log.is_none() && !args.no_log && args.from.is_none())
        .then(|| resume::offer(&location, &checked))
        .flatten();
    if args.log.is_none() && !args.no_log {
        let path = default_log_path();
        eprintln!("the session log goes to {}", path.display());
        args.log = Some(path);
    }
    if vr {
        window::run_xr(&location, &checked, &args, resume, offer)
    } else {
        window::run(&location, &checked, &args, resume, offer)
    }
}

/// Whether to play in a headset for `--xr` (`None`: not asked): a runtime and a
/// headset found (said on the terminal); none with `--xr` is exit 3, with
/// `--xr=auto` flat-screen.
pub fn headset_wanted(mode: Option<XrMode>) -> Result<bool, ExitCode> {
    let Some(mode) = mode else {
        return Ok(false);
    };
    match reunion_xr::probe::probe() {
        Ok(found) => {
            eprintln!(
                "VR: OpenXR runtime \"{}\", headset \"{}\"",
                found.runtime, found.headset
            );
            Ok(true)
        }
        Err(missing) if mode == XrMode::On => {
            eprintln!("error: cannot start VR: {missing}");
            Err(ExitCode::from(3))
        }
        Err(missing) => {
            eprintln!("notice: no VR ({missing}); playing flat-screen");
            Ok(false)
        }
    }
}
