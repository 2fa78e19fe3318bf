//! `reunion play`: the story flat-screen in a window.

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::asset::{AssetMetaCheck, AssetPlugin};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy::window::WindowResolution;
use bevy::winit::WinitSettings;
use reunion_stage::prelude::*;

use crate::StoryLocation;
use crate::cli::PlayArgs;

/// A window that plays the story at `location` with the stage, the screen and the
/// flat-screen participant.
pub fn windowed_app(location: &StoryLocation, config: StageConfig, speed: f32) -> App {
    let title = reunion_story::load::load_dir(&location.folder.join(&location.file))
        .story
        .map_or_else(
            || "reunion".to_string(),
            |s| format!("reunion — {}", s.title),
        );
    let mut app = App::new();
    reunion_stage::headless::story_folder_source(&mut app, &location.folder);
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title,
                    resolution: WindowResolution::new(1280, 720),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: location.folder.to_string_lossy().into_owned(),
                watch_for_changes_override: Some(true),
                meta_check: AssetMetaCheck::Never,
                ..default()
            }),
    )
    // Keep updating when the window is not focused (the facilitator may be elsewhere).
    .insert_resource(WinitSettings::continuous())
    .insert_resource(config)
    // Sound through kira; with no sound device it warns once and the story runs silent
    // with subtitles (line timing never depends on the device).
    .add_plugins(reunion_audio::ReunionAudioPlugin)
    .add_plugins((StagePlugin, ScreenPlugin, FlatPlugin))
    .add_plugins((reunion_hands::HandsPlugin, reunion_hands::FlatHandsPlugin))
    .add_plugins(reunion_avatar::AvatarPlugin)
    .add_plugins(reunion_console::ConsolePlugin)
    .add_systems(Startup, move |mut time: ResMut<Time<Virtual>>| {
        time.set_relative_speed(speed);
    });
    app
}

pub fn run(location: &StoryLocation, args: &PlayArgs) -> ExitCode {
    let config = StageConfig {
        story: location.file.clone(),
        lang: args.lang.clone(),
        participant: if args.autopilot {
            ParticipantSource::Autopilot
        } else {
            ParticipantSource::Live
        },
        log: args.log.clone(),
        folder: Some(location.folder.clone()),
    };
    let mut app = windowed_app(location, config, args_speed(args));
    if let Some(path) = &args.screenshot {
        app.insert_resource(ScreenshotPlan {
            path: path.clone(),
            at: args.at,
            taken_frame: None,
        })
        .add_systems(Last, take_screenshot);
    }
    exit_code(app.run())
}

pub fn exit_code(exit: AppExit) -> ExitCode {
    match exit {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

fn args_speed(args: &PlayArgs) -> f32 {
    args.speed.clamp(0.1, 50.0)
}

#[derive(Resource)]
struct ScreenshotPlan {
    path: PathBuf,
    at: f64,
    taken_frame: Option<u32>,
}

/// Saves one screenshot once the session reaches `--at`, then quits a little later.
fn take_screenshot(
    mut commands: Commands,
    mut plan: ResMut<ScreenshotPlan>,
    session: Option<Res<StorySession>>,
    mut frames: Local<u32>,
    mut exit: MessageWriter<AppExit>,
) {
    *frames += 1;
    let Some(s) = session else { return };
    match plan.taken_frame {
        None if s.session.director.session_time() >= plan.at => {
            info!("screenshot to {}", plan.path.display());
            commands
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(plan.path.clone()));
            plan.taken_frame = Some(*frames);
        }
        Some(f) if *frames > f + 20 => {
            exit.write(AppExit::Success);
        }
        _ => {}
    }
}
