//! Where the engine's log goes: stderr, with colour codes only when stderr is a
//! terminal, so the checker's warnings printed by `play` read cleanly in a file or a
//! pipe.

use std::io::IsTerminal;

use bevy::log::BoxedFmtLayer;
use bevy::log::tracing_subscriber::fmt;

/// Bevy's formatter layer (`LogPlugin::fmt_layer`): as Bevy's own, but plain text when
/// stderr is not a terminal.
pub fn log_layer(_: &mut bevy::app::App) -> Option<BoxedFmtLayer> {
    Some(Box::new(
        fmt::Layer::default()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal()),
    ))
}
