//! Stories as Bevy assets.
//!
//! The loader reads `story.ron`, then every scene file, model, voice, music and
//! ambience clip it names (so editing a scene file reloads the story too), and hands
//! them to [`reunion_story::load`], which times each line by its clip. A story
//! with errors fails to load with every diagnostic in the error, `file:line:col` first;
//! Bevy keeps the last good version of an asset that fails to reload.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy::asset::io::Reader;
use bevy::asset::{AssetLoader, LoadContext};
use bevy::prelude::*;
use reunion_story::diagnostic::Diagnostics;
use reunion_story::format::{SceneFile, StoryFile};
use reunion_story::load::{
    MemFiles, STORY_FILE, check_relative_path, load, model_dependencies, parse_ron, scene_files,
};
use reunion_story::story::Story;

use crate::config::{PreloadedStory, StageConfig};

pub(super) fn plugin(app: &mut App) {
    app.init_asset::<StoryAsset>()
        .init_asset_loader::<StoryLoader>();
}

/// A checked story.
#[derive(Asset, TypePath, Debug)]
pub struct StoryAsset {
    pub story: Arc<Story>,
    /// Warnings found while checking (errors make the load fail).
    pub warnings: Diagnostics,
}

/// Loads `story.ron` files (and the scenes they name).
#[derive(TypePath)]
pub struct StoryLoader {
    /// Where the asset root is on disk, so diagnostics name real paths.
    display_root: Option<PathBuf>,
    /// The story's asset path and the story as already loaded, for the first load.
    preloaded: Option<(PathBuf, PreloadedStory)>,
}

impl FromWorld for StoryLoader {
    fn from_world(world: &mut World) -> Self {
        let config = world.get_resource::<StageConfig>();
        Self {
            display_root: config.and_then(|c| c.folder.clone()),
            preloaded: config.and_then(|c| Some((c.story.clone(), c.preloaded.clone()?))),
        }
    }
}

/// Why a story did not load: every diagnostic, ready to print.
#[derive(Debug)]
pub struct StoryLoadError(pub String);

impl std::fmt::Display for StoryLoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoryLoadError {}

impl AssetLoader for StoryLoader {
    type Asset = StoryAsset;
    type Settings = ();
    type Error = StoryLoadError;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        ctx: &mut LoadContext<'_>,
    ) -> Result<StoryAsset, StoryLoadError> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .await
            .map_err(|e| StoryLoadError(format!("cannot read the story: {e}")))?;
        let asset_path: PathBuf = ctx.path().path().to_path_buf();
        let folder = asset_path.parent().unwrap_or(Path::new("")).to_path_buf();
        let text = String::from_utf8(bytes).map_err(|_| {
            StoryLoadError(format!(
                "{}: the file is not UTF-8 text",
                asset_path.display()
            ))
        })?;

        let mut files = MemFiles::default();
        // Read the scene files first (when story.ron parses), so the checker sees them.
        if let Ok(file) = parse_ron::<StoryFile>(&asset_path, &text) {
            for (_, scene) in file.places.iter() {
                let Ok(rel) = check_relative_path(scene) else {
                    continue; // the checker reports it
                };
                let path = folder.join(&rel);
                if let Ok(bytes) = ctx.read_asset_bytes(path.clone()).await
                    && let Ok(t) = String::from_utf8(bytes)
                {
                    // The scene's models (and what they name), so the checker
                    // measures them and a re-export reloads the story.
                    if let Ok(scene) = parse_ron::<SceneFile>(&path, &t) {
                        for model in scene_files(&scene) {
                            read_with_dependencies(ctx, &folder, model, &mut files).await;
                        }
                    }
                    files.files.insert(rel, t);
                }
            }
            // glTF models too, so the checker sees their clips and morph targets.
            for rel in reunion_story::load::model_files(&file) {
                if let Ok(bytes) = ctx.read_asset_bytes(folder.join(&rel)).await {
                    files.bytes.insert(rel, bytes);
                }
            }
            // And voice clips, so the checker times each line by its clip (one it
            // cannot read is reported missing, and the line is timed from its text);
            // music and ambience, so it checks that each is a clip.
            let clips = reunion_story::load::voice_files(&file)
                .into_iter()
                .chain(reunion_story::load::music_files(&file))
                .chain(reunion_story::load::ambience_files());
            for rel in clips {
                if let Ok(bytes) = ctx.read_asset_bytes(folder.join(&rel)).await {
                    files.bytes.insert(rel, bytes);
                }
            }
        }
        files.files.insert(PathBuf::from(STORY_FILE), text);
        // The command line loaded and checked this story before start-up: the first
        // load takes that story instead of checking it again. (The files were still
        // read above: reading them is what makes the asset server watch them for hot
        // reload.)
        if let Some((path, preloaded)) = &self.preloaded
            && *path == asset_path
            && let Some((story, warnings)) = preloaded.take()
        {
            info!(
                "story {}: the one checked at start-up",
                asset_path.display()
            );
            return Ok(StoryAsset { story, warnings });
        }
        let display = match &self.display_root {
            Some(root) => root.join(&folder),
            None => folder.clone(),
        };
        let loaded = load(&files, Path::new(STORY_FILE), &display);
        match loaded.story {
            Some(story) => Ok(StoryAsset {
                story: Arc::new(story),
                warnings: loaded.diagnostics,
            }),
            None => Err(StoryLoadError(loaded.diagnostics.to_string())),
        }
    }

    fn extensions(&self) -> &[&str] {
        &["story.ron"]
    }
}

/// Reads a model of a scene, and the buffers and images it names, into `files` (once
/// each; one it cannot read is left out, and the checker reports it missing).
async fn read_with_dependencies(
    ctx: &mut LoadContext<'_>,
    folder: &Path,
    model: PathBuf,
    files: &mut MemFiles,
) {
    if files.bytes.contains_key(&model) {
        return;
    }
    let Ok(bytes) = ctx.read_asset_bytes(folder.join(&model)).await else {
        return;
    };
    for dependency in model_dependencies(&model, &bytes) {
        if files.bytes.contains_key(&dependency) {
            continue;
        }
        if let Ok(b) = ctx.read_asset_bytes(folder.join(&dependency)).await {
            files.bytes.insert(dependency, b);
        }
    }
    files.bytes.insert(model, bytes);
}
