//! # reunion_console
//!
//! The operator console: the window a facilitator uses on the desktop to run the
//! whole story. It shows where the story is (node, phase, the line being said, what a
//! wait waits for, session time, place), and gives the controls to hold, repeat, skip,
//! jump, end gently or stop now, to act for a participant who cannot, to fire the
//! story's operator cues, to change the subtitle language and to set the volumes.
//!
//! The console never changes the director itself. Every button writes a
//! [`ConsoleAction`]; [`dispatch_console_actions`] turns each into the same messages the
//! keys and the tests write ([`OperatorRequest`], [`ParticipantActed`],
//! [`ReportStoryEvent`]) or, for the language, into `StorySession.lang` as the language
//! key does. So console actions drive the director exactly as keys do, and a test can
//! check that without a window.
//!
//! | plugin / item | adds |
//! | --- | --- |
//! | [`ConsolePlugin`] | `bevy_egui`'s `EguiPlugin` (unless already added), [`ConsoleState`], [`Volumes`], the console window (`show_console` in `EguiPrimaryContextPass`), and everything [`ConsoleDispatchPlugin`] adds. Needs a window and a camera. |
//! | [`ConsoleDispatchPlugin`] / [`plugin_headless`] | the [`ConsoleAction`] message and [`dispatch_console_actions`] in `Update`, in [`StageSystems::Input`]. No egui: runs headless. |
//! | [`WebConsolePlugin`] | the facilitator's tablet: the console as a web page served from the app ([`web`]); its actions go through the same dispatch. With egui, the page's address and QR code in the window. |
//! | [`ConsoleAction`] | a message: one thing the operator asked for |
//! | [`conversation::Conversation`] | a resource: what the participant was heard to say and the answer waiting for the facilitator's confirmation (from the director's cues; [`ConsoleDispatchPlugin`] adds it) |
//! | [`ResumeOffer`] | a resource the binary inserts at start-up when the last session in `sessions/` stopped without an end: the console offers to resume it ([`resume_offer`]) |
//! | [`Volumes`] | a resource (from `reunion_audio`): master, voice, music, ambience and effects volumes (0..=1) |
//! | [`ConsoleState`] | a resource: whether the console is shown, whether the story list follows the story |
//!
//! [`OperatorRequest`]: reunion_stage::session::OperatorRequest
//! [`ParticipantActed`]: reunion_stage::session::ParticipantActed
//! [`ReportStoryEvent`]: reunion_stage::session::ReportStoryEvent
//! [`StageSystems::Input`]: reunion_stage::StageSystems::Input

pub mod conversation;
pub mod describe;
pub mod dispatch;
pub mod resume_offer;
mod ui;
pub mod web;

use bevy::prelude::*;
use bevy_egui::{EguiPlugin, EguiPrimaryContextPass};

pub use dispatch::{ConsoleAction, ConsoleEffect, VolumeChannel, dispatch_console_actions};
pub use resume_offer::ResumeOffer;
pub use web::{WebConsolePlugin, WebConsoleServer};

/// The operator console in the desktop window, with its dispatch. See the crate docs.
pub struct ConsolePlugin;

impl Plugin for ConsolePlugin {
    fn build(&self, app: &mut App) {
        if !app.is_plugin_added::<EguiPlugin>() {
            app.add_plugins(EguiPlugin::default());
        }
        if !app.is_plugin_added::<ConsoleDispatchPlugin>() {
            app.add_plugins(ConsoleDispatchPlugin);
        }
        app.init_resource::<ConsoleState>()
            .init_resource::<Volumes>()
            .add_systems(
                EguiPrimaryContextPass,
                (install_hangul_font, ui::show_console).chain(),
            );
    }
}

/// Only the [`ConsoleAction`] message and its dispatch: no egui, no window. For
/// headless apps and tests; [`ConsolePlugin`] adds it too.
pub struct ConsoleDispatchPlugin;

impl Plugin for ConsoleDispatchPlugin {
    fn build(&self, app: &mut App) {
        dispatch::plugin(app);
        conversation::plugin(app);
    }
}

/// Adds [`ConsoleDispatchPlugin`] (the message and its dispatch, no egui) unless it is
/// there already: `app.add_plugins(reunion_console::plugin_headless)`.
pub fn plugin_headless(app: &mut App) {
    if !app.is_plugin_added::<ConsoleDispatchPlugin>() {
        app.add_plugins(ConsoleDispatchPlugin);
    }
}

/// The console's own state (not the story's).
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct ConsoleState {
    /// Whether the console window is on screen.
    pub visible: bool,
    /// Whether the story list scrolls to the current node when it changes.
    pub follow_story: bool,
    /// The node the story list last scrolled to.
    scrolled_to: Option<reunion_story::story::NodeId>,
}

impl Default for ConsoleState {
    fn default() -> Self {
        Self {
            visible: true,
            follow_story: true,
            scrolled_to: None,
        }
    }
}

/// The volumes the console sets; the audio crate applies them.
pub use reunion_audio::Volumes;

/// egui's own fonts have no Hangul: add the system font the subtitles use (see
/// `reunion_stage::screen::FONT_CANDIDATES`) as a fallback, once.
fn install_hangul_font(mut contexts: bevy_egui::EguiContexts, mut done: Local<bool>) -> Result {
    if *done {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    *done = true;
    let env = std::env::var("REUNION_FONT").ok();
    let candidates = env
        .iter()
        .map(String::as_str)
        .chain(reunion_stage::screen::FONT_CANDIDATES.iter().copied());
    for path in candidates {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let mut fonts = bevy_egui::egui::FontDefinitions::default();
        fonts.font_data.insert(
            "hangul".into(),
            std::sync::Arc::new(bevy_egui::egui::FontData::from_owned(bytes)),
        );
        for family in [
            bevy_egui::egui::FontFamily::Proportional,
            bevy_egui::egui::FontFamily::Monospace,
        ] {
            if let Some(list) = fonts.families.get_mut(&family) {
                list.push("hangul".into());
            }
        }
        ctx.set_fonts(fonts);
        break;
    }
    Ok(())
}
