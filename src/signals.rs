//! Ending a session from outside, gently: Ctrl-C (Bevy's own handler), SIGTERM and
//! SIGHUP (here) ask the app to exit; the session notes it in its log, which is closed
//! when the app is dropped, and `reunion play` exits with code 130.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bevy::prelude::*;

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
            .add_systems(Update, exit_on_signal);
    }
}

fn exit_on_signal(flag: Res<Terminated>, mut exit: MessageWriter<AppExit>) {
    if flag.0.load(Ordering::Relaxed) {
        exit.write(AppExit::from_code(EXIT_CODE));
    }
}
