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
    let folder = reference();
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
    let mut app = headless_participant(addr, code, name, &reference(), true).expect("participant");
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
