//! `reunion play --console-web`: starts the facilitator's tablet server before the
//! app, prints its address, access code and QR code, and (headless) keeps simulated
//! time at the wall clock's pace so a person with a tablet can follow.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use reunion_console::WebConsoleServer;

/// Starts the server on `addr`; a taken port or a bad address is an error (exit 2).
pub fn start(addr: SocketAddr) -> Result<WebConsoleServer, ExitCode> {
    let font = std::env::var("REUNION_FONT")
        .ok()
        .into_iter()
        .chain(
            reunion_stage::screen::FONT_CANDIDATES
                .iter()
                .map(|s| (*s).to_owned()),
        )
        .find_map(|path| std::fs::read(path).ok());
    let server = WebConsoleServer::start(addr, font).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let url = server.page_url();
    // On the terminal only: the session log and Bevy's log never see the code.
    eprintln!("the facilitator's tablet: open {url}");
    eprintln!(
        "  (listening on {}; access code {})",
        server.local_addr(),
        server.code().as_str()
    );
    if let Some(qr) = reunion_console::web::access::qr_text(&url) {
        eprintln!("{qr}");
    }
    Ok(server)
}

/// Starts the server on `addr` and adds the console to `app` (see [`start`]).
pub fn serve(app: &mut App, addr: SocketAddr) -> Result<(), ExitCode> {
    let server = start(addr)?;
    app.add_plugins(reunion_console::WebConsolePlugin { server });
    Ok(())
}

/// Headless with a tablet: each frame of `1/hz` simulated seconds takes as long on the
/// wall clock (divided by `speed`), so the story runs at a person's pace.
pub fn pace(app: &mut App, hz: f32, speed: f32) {
    let frame = Duration::from_secs_f64(1.0 / f64::from(hz) / f64::from(speed.clamp(0.1, 50.0)));
    app.add_systems(
        Last,
        move |mut started: Local<Option<Instant>>, mut frames: Local<u32>| {
            let start = *started.get_or_insert_with(Instant::now);
            *frames += 1;
            let due = start + frame * *frames;
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
        },
    );
}
