//! # reunion_stage
//!
//! The Bevy side of a story: loads it through the asset server, drives the director
//! each frame, puts places on stage, and shows what the director asks for. Events go
//! in, cues come out; the story logic itself lives in `reunion_story`.
//!
//! | plugin | adds |
//! | --- | --- |
//! | [`StagePlugin`] | the story asset and its loader, the session (director + participant), places and their things, transitions (dissolve, lead by the hand, butterfly), gaze and distance detectors. Runs headless. |
//! | [`ScreenPlugin`] | subtitles, the fade of transitions, the aftercare screen, problems after a bad edit (needs a window and `bevy_ui`) |
//! | [`WorldScreenPlugin`] | what a headset shows of the screen: subtitles on a panel in the world near the speaker, the fades and the calm place as a veil around the head, the aftercare (instead of the flat screen's) |
//! | [`FlatPlugin`] | the flat-screen participant: a camera at eye height, keys for the participant's actions, the key list on screen |
//! | [`edit::EditPlugin`] | edit mode in the flat window (`F2`): select a thing or the start mark, drag and turn it, `Ctrl+S` writes its `at`/`facing` into the scene file, `Ctrl+Z` undoes |
//!
//! Systems run in [`StageSystems`], in this order each frame:
//! `Load → Input → Detect → Director → World → Ui`.

pub mod asset;
pub mod components;
pub mod config;
pub mod ease;
pub mod edit;
pub mod flat;
pub mod headless;
pub mod look_at;
pub mod mirror;
pub mod models;
pub mod one_thread;
pub mod place;
pub mod presence;
pub mod scenery;
pub mod screen;
pub mod session;
pub mod shapes;
pub mod transition;
pub mod warm_places;
pub mod world_screen;

use bevy::prelude::*;

pub use flat::FlatPlugin;

/// The phases of a frame, in order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StageSystems {
    /// The story asset: first load, reloads, failures.
    Load,
    /// Inputs write the participant's head, hands and actions.
    Input,
    /// Detectors turn poses into story events.
    Detect,
    /// The director takes the events and the time, and gives cues.
    Director,
    /// The world carries out the cues.
    World,
    /// What the screen shows.
    Ui,
}

/// In `Last`: the session's log notes an exit asked before the story's end. A system
/// that asks the app to exit in `Last` runs before it, or the note is missed (the app
/// ends after the frame) and the log reads as a crash.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NoteExitSystems;

/// The systems that keep places on stage, in `StageSystems::World`.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlaceSystems;

/// The systems that play transitions (and move actors in them), in
/// `StageSystems::World`, after [`PlaceSystems`].
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransitionSystems;

/// The exit-gesture detector, in `StageSystems::Detect`: whatever writes the hands'
/// heights in `Detect` runs before it.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExitGestureSystems;

/// At start-up: the screen's font is loaded (UI that uses it comes after).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FontSystems;

/// The story, the director and the places. Works with or without a renderer.
pub struct StagePlugin;

impl Plugin for StagePlugin {
    fn build(&self, app: &mut App) {
        app.configure_sets(
            Update,
            (
                StageSystems::Load,
                StageSystems::Input,
                StageSystems::Detect,
                StageSystems::Director,
                StageSystems::World,
                StageSystems::Ui,
            )
                .chain(),
        );
        // `Update` runs on one thread. Its systems are many and small: handing each to
        // a worker of the multi-threaded executor cost ten times what the systems
        // themselves do (the reference story: 0.32 ms a frame against 0.03 ms; see
        // docs/performance.md). Rendering keeps its own threads.
        app.edit_schedule(Update, |schedule| {
            // `new`, not `default`: the derived default leaves the commands of the last
            // systems unapplied until the next frame.
            schedule.set_executor(bevy::ecs::schedule::SingleThreadedExecutor::new());
        });
        app.add_plugins((
            asset::plugin,
            session::plugin,
            place::plugin,
            presence::plugin,
            mirror::plugin,
            transition::plugin,
            models::plugin,
            warm_places::plugin,
        ));
    }
}

/// Subtitles, fades, aftercare and problems on the flat screen.
pub struct ScreenPlugin;

impl Plugin for ScreenPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(screen::plugin);
    }
}

/// Present when the headset's view of the screen is on ([`WorldScreenPlugin`]): the
/// flat screen then leaves subtitles and covers to it, so nothing shows twice.
#[derive(Resource, Default)]
pub struct WorldScreen;

/// Subtitles, fades and aftercare in the world, for a headset (they replace the flat
/// screen's).
pub struct WorldScreenPlugin;

impl Plugin for WorldScreenPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(world_screen::plugin);
    }
}

/// The names most users need.
pub mod prelude {
    pub use crate::asset::StoryAsset;
    pub use crate::components::{ActorBody, OnStage, PlaceScoped, ThingName};
    pub use crate::config::{ParticipantSource, ResumeFrom, StageConfig, StartFrom};
    pub use crate::mirror::{Mirror, ShareInputs};
    pub use crate::presence::{HeadAim, ParticipantHead, StandingSlot};
    pub use crate::session::{
        ActingAs, CueIssued, NewSession, OperatorRequest, ParticipantActed, ParticipantReported,
        PerformedInWorld, ReportStoryEvent, SessionFinished, StoryProblems, StorySession,
    };
    pub use crate::transition::TransitionView;
    pub use crate::{FlatPlugin, ScreenPlugin, StagePlugin, StageSystems, WorldScreenPlugin};
}
