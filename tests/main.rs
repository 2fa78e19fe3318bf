//! The one integration-test harness (one link target keeps builds bearable): the
//! `reunion` binary as a user runs it, and the Bevy app headless.

mod app;
mod audio;
mod avatar;
mod cli;
mod edit;
mod family;
mod hands;
mod listen;
mod model;
mod rehearse;
mod resume;
mod soak;
mod warm;
mod web;
mod world;
mod world_screen;
mod xr;

use std::path::{Path, PathBuf};

/// The repository root. Read at run time first: `cargo test` sets it, and the build
/// cache is shared between clones (CI's fresh clone reuses it), so a path baked in at
/// compile time may be another clone's.
pub fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The reference story folder.
pub fn reference() -> PathBuf {
    root().join("assets/stories/nayeon")
}

/// A fresh copy of the reference story in a temporary folder, to break on purpose.
pub fn copy_of_reference(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reunion-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&reference(), &dir);
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy");
    for entry in std::fs::read_dir(from).expect("read story folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// `reunion` with `args` in a window under Xvfb (Mesa's lavapipe), with no headset
/// runtime: whether it succeeded, and what it printed (stdout, then stderr).
pub fn reunion_in_a_window<I, S>(args: I) -> (bool, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = std::process::Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_reunion"))
        .args(args)
        .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json")
        .output()
        .expect("xvfb-run (the Debian package xvfb; .ci/run installs it)");
    let printed = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), printed)
}

/// A JSON report the binary wrote (`--json`), or `Null` when there is none.
pub fn json_report(path: &Path) -> serde_json::Value {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// The golden transcript the pure director produces (see reunion_story's tests).
pub fn golden(lang: &str) -> String {
    std::fs::read_to_string(root().join(format!(
        "crates/reunion_story/tests/golden/nayeon.{lang}.txt"
    )))
    .expect("golden transcript")
}

/// The transcript of the reference story played by the Bevy app with the
/// autopilot acting through the hands, in `lang` (`tests/golden/`). Its lines are
/// the pure director's; its times are the world's (a hand takes a moment to reach).
/// With `UPDATE_GOLDEN=1` the file is written from `actual` instead.
pub fn world_golden(lang: &str, actual: &str) -> String {
    let path = root().join(format!("tests/golden/nayeon.world.{lang}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("folder")).expect("golden folder");
        std::fs::write(&path, actual).expect("write golden");
    }
    std::fs::read_to_string(&path).expect("the world's golden transcript")
}

/// The lines of a transcript without their times.
pub fn lines(transcript: &str) -> Vec<String> {
    transcript
        .lines()
        .filter_map(|l| l.split_once("] ").map(|(_, rest)| rest.to_string()))
        .collect()
}

/// The reference story headless in English with nobody acting: only what a test does
/// with the participant's hands or headset moves anything.
pub fn live_headless_app() -> bevy::prelude::App {
    use reunion_stage::prelude::*;
    reunion_stage::headless::headless_app(
        &reference(),
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Live,
            ..Default::default()
        },
        90.0,
        false,
    )
}
