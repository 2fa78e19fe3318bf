//! The whole experience with no window, GPU, audio device or headset.
//!
//! [`headless_app`] builds an app on `MinimalPlugins` with the asset server and the
//! [`StagePlugin`](crate::StagePlugin), on deterministic time: every update advances
//! exactly one frame of simulated time. [`run_headless`] updates it until the session
//! finishes. The CLI's `play --headless`, the tests and the benchmarks all use this.

use std::path::Path;
use std::time::Duration;

use bevy::asset::{AssetMetaCheck, AssetPlugin};
use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use reunion_story::session::Stuck;

use crate::StagePlugin;
use crate::config::StageConfig;
use crate::session::SessionFinished;

/// The outcome of a headless run, once known.
#[derive(Resource, Default, Debug, Clone)]
pub struct Outcome(pub Option<Result<(), Stuck>>);

/// An app that plays the story in `folder` (the asset root) headless, one frame of
/// `1/hz` seconds per update. With `watch`, edits to the story's files on disk are
/// reloaded while it runs.
pub fn headless_app(folder: &Path, config: StageConfig, hz: f32, watch: bool) -> App {
    let mut app = App::new();
    story_folder_source(&mut app, folder);
    app.add_plugins((
        MinimalPlugins.set(crate::one_thread::task_pools()),
        crate::one_thread::OneThreadPlugin,
        // Parts of things and avatars are children: their world poses matter headless
        // too (her palm, the cake's sockets, the head).
        bevy::transform::TransformPlugin,
        AssetPlugin {
            file_path: folder.to_string_lossy().into_owned(),
            watch_for_changes_override: Some(watch),
            meta_check: AssetMetaCheck::Never,
            ..default()
        },
    ))
    .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs_f64(
        1.0 / f64::from(hz),
    )))
    .insert_resource(config)
    .init_resource::<Outcome>()
    .add_plugins(StagePlugin)
    .add_systems(Last, (record_outcome, wait_for_loading));
    app
}

/// While the story or a due place is still loading, each frame also waits a little in
/// real time. Frames cost a few microseconds on one thread while the loading runs on
/// the I/O thread in real time: without the wait a busy machine would run through
/// thousands of frames (and a test's or a run's frame budget) before the first line.
fn wait_for_loading(
    handle: Option<Res<crate::session::StoryHandle>>,
    session: Option<Res<crate::session::StorySession>>,
    places: Option<Res<crate::models::PlaceLoading>>,
    server: Res<AssetServer>,
) {
    let story_loading = session.is_none()
        && handle.is_some_and(|h| {
            matches!(
                server.get_load_state(&h.0),
                Some(bevy::asset::LoadState::Loading)
            )
        });
    let place_loading = places.is_some_and(|p| p.waiting.is_some());
    if story_loading || place_loading {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// What a headless app needs to load glTF and VRM models and spawn their scenes
/// (meshes, skins, materials, images, clips, scenes) without a renderer: the models
/// of places and the cast are then on stage headless as in a window, their bones and
/// morph targets moving (nothing is drawn). Add before the app finishes.
pub fn load_models_headless(app: &mut App) {
    app.add_plugins((
        bevy::mesh::MeshPlugin,
        bevy::animation::AnimationPlugin,
        bevy::world_serialization::WorldSerializationPlugin,
        bevy::gltf::GltfPlugin::default(),
    ))
    .init_asset::<bevy::image::Image>()
    .init_asset::<StandardMaterial>();
}

/// How long the file watcher waits for a burst of writes to settle. Bevy's default is
/// 300 ms, over the 250 ms hot reload budget on its own; editors write a file in a few
/// milliseconds, so 60 ms keeps reloads whole and quick.
pub const WATCH_DEBOUNCE: Duration = Duration::from_millis(60);

/// Registers the story folder as the default asset source, with a quicker file watcher
/// than Bevy's. Call before adding the `AssetPlugin`.
pub fn story_folder_source(app: &mut App, folder: &Path) {
    use bevy::asset::io::{AssetSource, AssetSourceBuilder, AssetSourceId};
    let path = folder.to_string_lossy().into_owned();
    app.register_asset_source(
        AssetSourceId::Default,
        AssetSourceBuilder::new(AssetSource::get_default_reader(path.clone()))
            .with_watcher(AssetSource::get_default_watcher(path, WATCH_DEBOUNCE)),
    );
}

fn record_outcome(mut finished: MessageReader<SessionFinished>, mut outcome: ResMut<Outcome>) {
    if let Some(f) = finished.read().last() {
        outcome.0 = Some(f.0.clone());
    }
}

/// Updates the app until the session finishes, or `max_frames` pass.
pub fn run_headless(app: &mut App, max_frames: u64) -> Result<(), Stuck> {
    app.finish();
    app.cleanup();
    for _ in 0..max_frames {
        app.update();
        if let Some(result) = &app.world().resource::<Outcome>().0 {
            return result.clone();
        }
        // Asked to exit (a signal): stop here; the caller sees `App::should_exit`.
        if app.should_exit().is_some() {
            break;
        }
    }
    Err(Stuck {
        node: app
            .world()
            .get_resource::<crate::session::StorySession>()
            .map(|s| s.story().node(s.session.director.node()).id.clone())
            .unwrap_or_default(),
        reason: if app.should_exit().is_some() {
            "the app was asked to exit before the story ended".to_string()
        } else {
            format!("the story did not end within {max_frames} frames")
        },
    })
}
