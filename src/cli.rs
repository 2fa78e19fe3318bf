//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "reunion",
    version,
    about = "Check, play and rehearse VR reunion stories",
    long_about = "Check, play and rehearse VR reunion stories.\n\nWith no command, plays the reference story (assets/stories/nayeon) flat-screen."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a story folder (or its story.ron): every problem as file:line:col.
    /// Exits 0 when clean, 1 when there are errors.
    Check(CheckArgs),
    /// Play a story: flat-screen in a window, or headless on simulated time.
    Play(PlayArgs),
    /// Replay a session log headless and print its transcript.
    Replay(ReplayArgs),
    /// Play a story with the autopilot in a window and save a screenshot at each beat
    /// (needs a display; on a server, run it under `xvfb-run`).
    Capture(CaptureArgs),
    /// Measure the figures behind the budgets (load, director, frame cost, draw calls,
    /// triangles, hot reload, autopilot speed) and print them against their budgets.
    /// Exits 5 when a figure is over budget.
    Bench(crate::bench::BenchArgs),
    /// The session on one page for the facilitator or counsellor, from its log: places,
    /// her lines, the participant's acts, waits met or run out, operator and safety
    /// (HTML, self-contained, prints on A4).
    Report(crate::report::ReportArgs),
    /// Draw the story as a graph (Graphviz's `dot`): nodes by kind with the first
    /// words of each line, waits' ways out, places as clusters, warnings in red.
    Graph(crate::graph::GraphArgs),
    /// Make a new story folder from a small commented template that checks clean and
    /// plays: one place, a line, a wait with a timeout, an end.
    New(crate::new_story::NewArgs),
    /// Host a story for participants on other machines (docs/network.md): prints a
    /// join code and waits for them.
    Host(crate::family::HostArgs),
    /// Join a hosted story as a participant, with the host's join code. Exits 6 when
    /// the host does not answer, refuses, or is lost.
    Join(crate::family::JoinArgs),
    /// The facilitator's console on a machine of its own, for a hosted story: the
    /// story's state as the host has it, and every button working on the host's
    /// director. Needs the join code and the console code the host printed.
    Console(crate::family::ConsoleArgs),
}

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// The session log (JSON lines).
    pub log: PathBuf,
    /// The story folder, if it is not where the log says.
    #[arg(long, value_name = "PATH")]
    pub story: Option<PathBuf>,
    /// The transcript's language (default: the session's).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CaptureArgs {
    /// The story folder, or its story.ron (default: the reference story).
    pub path: Option<PathBuf>,
    /// The folder for the screenshots.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The subtitle language (default: the story's first).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Show the screen as a headset does (subtitles on a panel in the world, fades as
    /// a veil), and add a shot of the first line spoken in each place.
    #[arg(long)]
    pub headset_view: bool,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The story folder, or its story.ron.
    pub path: PathBuf,
    /// Print nothing when the story is clean.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug, Default, Clone)]
pub struct PlayArgs {
    /// The story folder, or its story.ron (default: the reference story).
    pub path: Option<PathBuf>,
    /// Run with no window, GPU, audio device or headset, on simulated time, as fast as
    /// the CPU allows; prints the transcript. Needs --autopilot or --script.
    #[arg(long)]
    pub headless: bool,
    /// An automatic participant who meets each wait as a person would.
    #[arg(long)]
    pub autopilot: bool,
    /// A RON list of timed participant actions, e.g. [(at: 9.0, do: LookAt("nayeon"))].
    #[arg(long, value_name = "FILE", conflicts_with = "autopilot")]
    pub script: Option<PathBuf>,
    /// The subtitle language (default: the story's first).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Play in VR through OpenXR; `--xr=auto` falls back to flat-screen without a runtime.
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "on")]
    pub xr: Option<XrMode>,
    /// Write the session log (JSON lines) to this file. In a window the log goes to
    /// sessions/<date>T<time>/session.jsonl unless --no-log.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// In a window: keep no session log.
    #[arg(long, conflicts_with = "log")]
    pub no_log: bool,
    /// Play a story past its consent's `retire_after` date.
    #[arg(long)]
    pub allow_retired: bool,
    /// Headless: frames per simulated second.
    #[arg(long, default_value_t = 90.0, value_name = "HZ")]
    pub hz: f32,
    /// Headless: give up after this much simulated time.
    #[arg(long, default_value_t = 3600.0, value_name = "SECONDS")]
    pub max_seconds: f64,
    #[command(flatten)]
    pub shot: ShotArgs,
    /// Window: show subtitles, fades and the aftercare as a headset shows them (a
    /// panel in the world near the speaker, a veil around the head) instead of over
    /// the screen; always on with --xr.
    #[arg(long)]
    pub headset_view: bool,
    /// Start at this node (its id in story.ron), in the state a playthrough has there:
    /// the story is played up to it in no time (by the autopilot, or by nobody acting
    /// where only a timeout leads there), so its variables, its place, the hand held
    /// and the candles placed or lit are as they would be. For rehearsing one beat.
    #[arg(long, value_name = "NODE")]
    pub from: Option<String>,
    /// Go on with a session that stopped without an end (a crash, a power cut, a
    /// kill): its log (`sessions/<id>/`, or the session.jsonl in it) is replayed and
    /// the session continues from the last beat it recorded, in the same place with
    /// the same variables and world, the interrupted line said again, behind a fade
    /// in. The log goes on in the same file. PATH defaults to the log's story.
    #[arg(long, value_name = "SESSION", conflicts_with = "from")]
    pub resume: Option<PathBuf>,
    /// Window: how fast story time runs (1 = real time); for rehearsing.
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    pub speed: f32,
    /// Serve the operator console as a web page for a tablet or phone on the local
    /// network (default address: every interface, a free port). The address, a
    /// one-time access code and a QR code are printed at start (docs/tablet.md).
    /// Headless, story time then runs at real time (times --speed).
    #[arg(
        long,
        value_name = "ADDR",
        num_args = 0..=1,
        default_missing_value = "0.0.0.0:0",
        value_parser = clap::value_parser!(std::net::SocketAddr)
    )]
    pub console_web: Option<std::net::SocketAddr>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum XrMode {
    /// VR or nothing.
    On,
    /// VR if a runtime is there, flat-screen otherwise.
    Auto,
}

/// One screenshot of the window at a moment of the session, then quit (for checking
/// what the screen shows): `play`, `host` and `join` in a window.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct ShotArgs {
    /// Window: save a screenshot to FILE once --at seconds of the session have passed,
    /// then quit.
    #[arg(long, value_name = "FILE")]
    pub screenshot: Option<PathBuf>,
    /// Window: session seconds before the screenshot.
    #[arg(
        long,
        default_value_t = 10.0,
        value_name = "SECONDS",
        requires = "screenshot"
    )]
    pub at: f64,
}
