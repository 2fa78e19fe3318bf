//! Ending a session from outside, gently: Ctrl-C (Bevy's own handler), SIGTERM and
//! SIGHUP (here) ask the app to exit; the session notes it in its log, which is closed
//! (and synced) when the app is dropped, and `reunion play` exits with code 130.
//!
//! In a headset (`reunion_xr`, which closes the app on [`QuitRequested`] once the
//! runtime has ended the OpenXR session), SIGTERM and SIGHUP ask for that instead,
//! as `Esc` on the mirror window does, and the app exits 0 when the session is gone;
//! a runtime that has not let go after [`XR_GRACE_SECONDS`] is left at once (130).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bevy::prelude::*;
use reunion_stage::flat::{QuitHandledElsewhere, QuitRequested};

/// Set by SIGTERM or SIGHUP.
#[derive(Resource, Clone)]
struct Terminated(Arc<AtomicBool>);

/// Ctrl-C, SIGTERM and SIGHUP end the app with [`EXIT_CODE`].
pub struct EndOnSignals;

/// The exit code of a session ended from outside (as Bevy's Ctrl-C handler's).
pub const EXIT_CODE: u8 = 130;

/// How long a headset's runtime has to end its session after a signal (real seconds).
pub const XR_GRACE_SECONDS: f32 = 5.0;

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
    mut asked_at: Local<Option<f32>>,
    mut quit: MessageWriter<QuitRequested>,
    mut exit: MessageWriter<AppExit>,
) {
    if !flag.0.load(Ordering::Relaxed) {
        return;
    }
    let now = time.elapsed_secs();
    match (headset, *asked_at) {
        (Some(_), None) => {
            info!("a signal asks to end the session: ending the headset's session first");
            *asked_at = Some(now);
            quit.write(QuitRequested);
        }
        (Some(_), Some(at)) if now - at < XR_GRACE_SECONDS => {}
        _ => {
            exit.write(AppExit::from_code(EXIT_CODE));
        }
    }
}
