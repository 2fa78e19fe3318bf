//! What the loopback tests share: the reference story, a host and participants on
//! 127.0.0.1, and how to read them.

#![allow(dead_code)]

use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};

use bevy::prelude::*;
use reunion_net::code::JoinCode;
use reunion_net::host::headless_host_on;
use reunion_net::join::{JoinStatus, headless_participant};
use reunion_stage::prelude::*;
use reunion_story::prelude::*;

pub fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon")
}

/// A socket on a free port of 127.0.0.1, for a host.
pub fn loopback_socket() -> UdpSocket {
    UdpSocket::bind("127.0.0.1:0").expect("a free port on 127.0.0.1")
}

/// A headless host of the reference story on `socket`, also answering those who
/// dial one of `also_dialled`; the story begins once `expect` are in.
pub fn host_on(
    socket: UdpSocket,
    also_dialled: &[SocketAddr],
    code: &JoinCode,
    expect: usize,
    log: Option<PathBuf>,
    hz: f32,
) -> (App, SocketAddr) {
    host_of(&reference(), socket, also_dialled, code, expect, log, hz)
}

/// [`host_on`] for the story in `folder`.
pub fn host_of(
    folder: &Path,
    socket: UdpSocket,
    also_dialled: &[SocketAddr],
    code: &JoinCode,
    expect: usize,
    log: Option<PathBuf>,
    hz: f32,
) -> (App, SocketAddr) {
    let folder = folder.to_path_buf();
    let config = StageConfig {
        story: PathBuf::from("story.ron"),
        folder: Some(folder.clone()),
        log,
        ..StageConfig::default()
    };
    let (mut app, addr) =
        headless_host_on(config, &folder, socket, also_dialled, code, expect, hz).expect("host");
    app.finish();
    app.cleanup();
    (app, addr)
}

/// A headless host of the reference story on a free port of 127.0.0.1, at 90 Hz.
pub fn host(code: &JoinCode, expect: usize, log: Option<PathBuf>) -> (App, SocketAddr) {
    host_on(loopback_socket(), &[], code, expect, log, 90.0)
}

/// A headless participant with an autopilot, dialling `addr`.
pub fn participant(addr: SocketAddr, code: &JoinCode, name: &str) -> App {
    participant_of(&reference(), addr, code, name)
}

/// [`participant`] with this machine's copy of the story in `folder`.
pub fn participant_of(folder: &Path, addr: SocketAddr, code: &JoinCode, name: &str) -> App {
    let mut app = headless_participant(addr, code, name, folder, true).expect("participant");
    app.finish();
    app.cleanup();
    app
}

pub fn lines(story: &Story, t: &[TranscriptLine]) -> Vec<String> {
    t.iter().map(|l| story.node(l.node).id.clone()).collect()
}

pub fn status(app: &App) -> JoinStatus {
    app.world().resource::<JoinStatus>().clone()
}

/// The host's story session, once it began.
pub fn session(host: &App) -> Option<&StorySession> {
    host.world().get_resource::<StorySession>()
}

/// Whether the host's story ended.
pub fn host_ended(host: &App) -> bool {
    session(host).is_some_and(|s| s.session.director.is_ended())
}

/// The reference story, loaded.
pub fn reference_story() -> std::sync::Arc<Story> {
    let loaded = load_dir(&reference());
    std::sync::Arc::new(loaded.story.expect("the reference story loads"))
}

/// The names of the nodes whose waits ran out of time, in a session log's text.
pub fn timed_out(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains("WaitTimedOut"))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("node").and_then(|n| n.as_str()).map(str::to_owned))
        .collect()
}

/// A copy of the reference story (in a fresh folder under the system's temporary
/// one, named by `tag`) in which `edit` changed `story.ron`'s text: a story written
/// for a family, as an author would change one.
pub fn reference_edited(tag: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("a folder for the copy");
        for entry in std::fs::read_dir(from).expect("the reference story's folder") {
            let entry = entry.expect("a folder entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("its type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("a copied file");
            }
        }
    }
    let folder = std::env::temp_dir().join(format!("reunion-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    copy(&reference(), &folder);
    let file = folder.join("story.ron");
    let text = std::fs::read_to_string(&file).expect("story.ron");
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed the story");
    std::fs::write(&file, edited).expect("the edited story.ron");
    folder
}

/// Whether the host's session log (`text`) has an act by the participant `name`, by
/// name.
pub fn logged_acts_by(text: &str, name: &str) -> bool {
    reunion_story::log::read_inputs(text)
        .inputs
        .iter()
        .any(|i| matches!(i.as_event(), Some((Some(by), _)) if by == name))
}
