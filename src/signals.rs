//! Ending a session from outside, gently: Ctrl-C (Bevy's own handler), SIGTERM and
//! SIGHUP (here) ask the app to exit; the session notes it in its log, which is closed
//! (and synced) when the app is dropped, and `reunion play` exits with code 130.
//!
//! In a headset (`reunion_xr`, which closes the app on [`QuitRequested`] once the
//! runtime has ended the OpenXR session), SIGTERM and SIGHUP ask for that instead,
//! as `Esc` on the mirror window does, and the app exits 0 when the session is gone;
//! a runtime that has not let go after `reunion_xr::lifecycle::XR_GRACE_SECONDS` and
//! `XR_GRACE_FRAMES`
//! (both: a runtime ends its session over a few frames, and a slow machine's frames
//! are long) is left at once (130).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bevy::prelude::*;
use reunion_stage::flat::{QuitHandledElsewhere, QuitRequested};
use reunion_xr::lifecycle::grace_is_over;

/// Set by SIGTERM or SIGHUP.
#[derive(Resource, Clone)]
struct Terminated(Arc<AtomicBool>);

/// Ctrl-C, SIGTERM and SIGHUP end the app with [`EXIT_CODE`].
pub struct EndOnSignals;

/// The exit code of a session ended from outside (as Bevy's Ctrl-C handler's).
pub const EXIT_CODE: u8 = 130;

impl Plugin for EndOnSignals {
    fn build(&self, app: &mut App) {
        // A window's default plugins already have Bevy's Ctrl-C handler.
        if !app.is_plugin_added::<bevy::app::TerminalCtrlCHandlerPlugin>() {
            app.add_plugins(bevy::app::TerminalCtrlCHandlerPlugin);
        }
        let flag = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
            if let Err(e) = signal_hook::flag::register(signal, Arc::clone(&flag)) {
                warn!("cannot listen for signal {signal}: {e}");
            }
        }
        app.insert_resource(Terminated(flag))
            .add_message::<QuitRequested>()
            .add_systems(Update, exit_on_signal);
    }
}

fn exit_on_signal(
    flag: Res<Terminated>,
    time: Res<Time<Real>>,
    headset: Option<Res<QuitHandledElsewhere>>,
    session: Option<ResMut<reunion_stage::session::StorySession>>,
    mut asked_at: Local<Option<(f32, u32)>>,
    mut quit: MessageWriter<QuitRequested>,
    mut exit: MessageWriter<AppExit>,
) {
    if !flag.0.load(Ordering::Relaxed) {
        return;
    }
    let now = time.elapsed_secs();
    match (headset, &mut *asked_at) {
        (Some(_), None) => {
            let why = "a signal (SIGTERM or SIGHUP) asks to end the session: ending the headset's session first";
            info!("{why}");
            // The app then closes as after Esc: the log says why.
            if let Some(mut s) = session {
                s.session.note(why);
            }
            *asked_at = Some((now, 0));
            quit.write(QuitRequested);
        }
        (Some(_), Some((at, frames))) if !grace_is_over(now - *at, *frames) => {
            *frames += 1;
        }
        (Some(_), Some(_)) => {
            warn!("the headset's runtime did not end its session in time: leaving at once");
            exit.write(AppExit::from_code(EXIT_CODE));
        }
        (None, _) => {
            exit.write(AppExit::from_code(EXIT_CODE));
        }
    }
}
