//! The family's own places and things as glTF models: loaded before they are needed,
//! never shown half-built, played (`Animate`), and reloaded when re-exported.
//!
//! * **Spawning.** A model thing's root gets the model's scene as a child, scaled; a
//!   model environment is the place's surroundings, with the scene's sky, ambient
//!   light and sun (the file's own `KHR_lights_punctual` lights come with its scene).
//!   Its box ([`Bounds`]) comes from the story, measured by the checker, so headless
//!   runs know it too.
//! * **Preloading.** [`ModelLibrary`] keeps the scenes of the place on stage and of
//!   every place the story can go to next ([`Story::places_after`]) loading or loaded,
//!   so a transition never waits on disk. Places further away are let go.
//! * **Never half-built.** A place whose models are not all loaded when its turn
//!   comes does not take the stage: the old place stays, the transition's cover stays
//!   up and the director is held ([`OwnHold`]) until it is ready; the cover shows how
//!   far loading has come ([`PlaceLoading`]).
//! * **Clips.** Once a model thing's scene is spawned, its clips form an animation
//!   graph on its animation player; `Animate(thing, clip)` plays one.
//! * **Re-exports.** The asset server watches the files: a re-exported model is
//!   spawned anew; a broken one leaves the last good one on stage, and the error
//!   is shown (the story's checker, which reads the model too, names what is wrong).

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Duration;

use bevy::asset::{AssetLoadFailedEvent, LoadState};
use bevy::gltf::{Gltf, GltfAssetLabel};
use bevy::prelude::*;
use reunion_story::director::{Cue, OperatorCommand};
use reunion_story::own_hold::OwnHold;
use reunion_story::story::{Environment, PlaceId, Story, WorldCue};

use crate::components::{OnStage, PlaceScoped, ThingRef};
use crate::session::{CueIssued, OperatorRequest, StoryProblems, StorySession};
use crate::{PlaceSystems, StageSystems};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ModelLibrary>()
        .init_resource::<Preload>()
        .init_resource::<PlaceLoading>()
        .init_resource::<LoadingHold>()
        .add_systems(
            Update,
            (
                keep_models_near.in_set(StageSystems::Load),
                hold_while_loading.in_set(StageSystems::Input),
                (set_up_clips, play_clips, report_model_failures)
                    .chain()
                    .after(PlaceSystems)
                    .in_set(StageSystems::World),
            )
                .run_if(resource_exists::<Assets<Gltf>>),
        );
}

/// The scenes of the models the story may show soon, by file (relative to the story
/// folder), kept loading or loaded.
#[derive(Resource, Default)]
pub struct ModelLibrary {
    scenes: HashMap<PathBuf, Handle<WorldAsset>>,
    files: HashMap<PathBuf, Handle<Gltf>>,
    /// The places whose models are kept now.
    near: Vec<PlaceId>,
    /// The story those places are of (a reload may move everything).
    story: Option<std::sync::Arc<Story>>,
}

impl ModelLibrary {
    /// The scene of `file`, loading it if it is not yet.
    pub fn scene(&mut self, server: &AssetServer, file: &Path) -> Handle<WorldAsset> {
        self.load(server, file);
        self.scenes[file].clone()
    }

    fn load(&mut self, server: &AssetServer, file: &Path) {
        if !self.scenes.contains_key(file) {
            let path = asset_path(file);
            self.scenes.insert(
                file.to_path_buf(),
                server.load(GltfAssetLabel::Scene(0).from_asset(path.clone())),
            );
            self.files.insert(file.to_path_buf(), server.load(path));
        }
    }

    /// The glTF file of `file`, if it is kept.
    pub fn gltf(&self, file: &Path) -> Option<&Handle<Gltf>> {
        self.files.get(file)
    }

    /// How many of `place`'s models are done loading (loaded, or failed: a failed one
    /// is reported, not waited for), and how many it has.
    pub fn progress(&self, server: &AssetServer, story: &Story, place: PlaceId) -> (usize, usize) {
        let models = &story.place(place).models;
        let done = models
            .iter()
            .filter(|f| match self.scenes.get(f.as_path()) {
                Some(h) => {
                    server.is_loaded_with_dependencies(h)
                        || matches!(server.load_state(h), LoadState::Failed(_))
                }
                None => false,
            })
            .count();
        (done, models.len())
    }

    /// The places whose models are kept now: the place on stage, the one coming, and
    /// (preloading) every place the story can go to next.
    pub fn near(&self) -> &[PlaceId] {
        &self.near
    }

    /// Whether every model of `place` is done loading.
    pub fn ready(&self, server: &AssetServer, story: &Story, place: PlaceId) -> bool {
        let (done, all) = self.progress(server, story, place);
        done == all
    }
}

/// A path in the story folder as the asset server takes it (forward slashes).
fn asset_path(file: &Path) -> String {
    file.to_string_lossy().replace('\\', "/")
}

/// Whether the places the story can go to next are loaded ahead (the default). Off,
/// a place's models load only when its turn comes (the bench compares the two).
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preload(pub bool);

impl Default for Preload {
    fn default() -> Self {
        Preload(true)
    }
}

/// How far the place that must take the stage next has loaded, for the screen and the
/// headset's veil: `None` when nothing is waited for.
#[derive(Resource, Default, Debug, Clone, PartialEq)]
pub struct PlaceLoading {
    pub waiting: Option<Waiting>,
}

/// A place being waited for.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub place: PlaceId,
    /// Its id in the story, for the screen.
    pub name: String,
    pub done: usize,
    pub of: usize,
}

impl Waiting {
    /// What the screen and the headset's veil say: "Preparing beach… 2 of 5".
    pub fn words(&self) -> String {
        format!("Preparing {}… {} of {}", self.name, self.done, self.of)
    }
}

/// The director held while a place loads (only the hold this made is resumed).
#[derive(Resource, Default)]
struct LoadingHold(OwnHold);

/// Keeps the models of the place on stage, the place coming, and every place the
/// story can go to next loading or loaded; lets go of the rest.
fn keep_models_near(
    server: Res<AssetServer>,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    view: Res<crate::transition::TransitionView>,
    preload: Res<Preload>,
    mut library: ResMut<ModelLibrary>,
) {
    let Some(s) = session else { return };
    let story = s.story();
    let director = &s.session.director;
    let mut near: Vec<PlaceId> = Vec::new();
    let add = |p: PlaceId, near: &mut Vec<PlaceId>| {
        if !near.contains(&p) {
            near.push(p);
        }
    };
    for p in [on_stage.place, on_stage.leaving, director.place()]
        .into_iter()
        .flatten()
    {
        add(p, &mut near);
    }
    if let Some(t) = &view.active {
        add(t.to, &mut near);
    }
    if preload.0 {
        for p in story.places_after(director.node()) {
            add(p, &mut near);
        }
    }
    let same_story = library
        .story
        .as_ref()
        .is_some_and(|st| std::sync::Arc::ptr_eq(st, story));
    if same_story && near == library.near {
        return;
    }
    let wanted: HashSet<PathBuf> = near
        .iter()
        .flat_map(|p| story.place(*p).models.iter().cloned())
        .collect();
    for file in &wanted {
        library.load(&server, file);
    }
    library.scenes.retain(|f, _| wanted.contains(f));
    library.files.retain(|f, _| wanted.contains(f));
    library.near = near;
    library.story = Some(std::sync::Arc::clone(story));
}

/// While the place that must be on stage (or the one a transition goes to, once its
/// turn has come) is still loading, the director holds and the screen says how far it
/// has come; when it is ready, the story goes on.
fn hold_while_loading(
    server: Res<AssetServer>,
    session: Option<Res<StorySession>>,
    view: Res<crate::transition::TransitionView>,
    library: Res<ModelLibrary>,
    mut loading: ResMut<PlaceLoading>,
    mut hold: ResMut<LoadingHold>,
    mut requests: ParamSet<(
        MessageReader<OperatorRequest>,
        MessageWriter<OperatorRequest>,
    )>,
    mut ours: Local<VecDeque<OperatorCommand>>,
) {
    // The operator's commands since last frame (ours come back too: skip them).
    for OperatorRequest(cmd) in requests.p0().read() {
        if ours.front() == Some(cmd) {
            ours.pop_front();
        } else {
            hold.0.operator_sent(cmd);
        }
    }
    let Some(s) = session else { return };
    let story = s.story();
    let due = match &view.active {
        Some(t) if t.swaps_now() => Some(t.to),
        Some(_) => None,
        None => s.session.director.place(),
    };
    let waiting = due.and_then(|place| {
        let (done, of) = library.progress(&server, story, place);
        (done < of).then(|| Waiting {
            place,
            name: story.place(place).id.clone(),
            done,
            of,
        })
    });
    loading.set_if_neq(PlaceLoading {
        waiting: waiting.clone(),
    });
    let held = s.session.director.is_held();
    if let Some(cmd) = hold.0.update(waiting.is_none(), held) {
        if cmd == OperatorCommand::Hold
            && let Some(w) = &waiting
        {
            info!(
                "holding the story while {} loads ({} of {} models)",
                w.name, w.done, w.of
            );
        }
        ours.push_back(cmd.clone());
        requests.p1().write(OperatorRequest(cmd));
    }
}

/// A model thing's clips, once its scene has spawned: the player that plays them and
/// each clip's node in its graph.
#[derive(Component, Debug)]
pub struct ModelClips {
    pub player: Entity,
    pub nodes: HashMap<String, AnimationNodeIndex>,
}

/// The model file a thing (or the surroundings) shows.
#[derive(Component, Debug, Clone)]
pub struct ModelOf(pub PathBuf);

/// Puts a model's scene under `root`, scaled.
pub fn spawn_model(
    commands: &mut Commands,
    library: &mut ModelLibrary,
    server: &AssetServer,
    root: Entity,
    file: &Path,
    scale: f32,
    place: PlaceId,
) {
    let scene = library.scene(server, file);
    let child = commands
        .spawn((
            Name::new(format!("model {}", file.display())),
            WorldAssetRoot(scene),
            Transform::from_scale(Vec3::splat(scale)),
            Visibility::Inherited,
            PlaceScoped(place),
        ))
        .id();
    commands
        .entity(root)
        .add_child(child)
        .insert(ModelOf(file.to_path_buf()));
}

/// A model environment's light and sky: the clear colour, the ambient light, and a
/// sun when the scene file asks for one. The model itself is spawned by the caller.
pub fn light_model_environment(
    commands: &mut Commands,
    env: &Environment,
    place: PlaceId,
    clear: &mut ClearColor,
    ambient: &mut GlobalAmbientLight,
) {
    let Environment::Model {
        sky,
        sun,
        ambient: a,
        ..
    } = env
    else {
        return;
    };
    let rgb = |c: reunion_story::story::Rgb| Color::linear_rgb(c.red, c.green, c.blue);
    clear.0 = rgb(*sky);
    ambient.color = rgb(a.color);
    ambient.brightness = a.brightness;
    if let Some(sun) = sun {
        let dir = sun.direction.normalize_or(Vec3::NEG_Y);
        commands.spawn((
            Name::new("sun"),
            PlaceScoped(place),
            DirectionalLight {
                color: rgb(sun.color),
                illuminance: sun.illuminance,
                shadow_maps_enabled: true,
                ..default()
            },
            Transform::default()
                .looking_to(dir, if dir.y.abs() > 0.99 { Vec3::Z } else { Vec3::Y }),
        ));
    }
}

/// Once a model thing's file is loaded and its scene spawned: an animation graph of
/// the file's clips on the scene's animation player.
fn set_up_clips(
    mut commands: Commands,
    gltfs: Res<Assets<Gltf>>,
    library: Res<ModelLibrary>,
    mut graphs: ResMut<Assets<AnimationGraph>>,
    things: Query<(Entity, &ModelOf), (With<ThingRef>, Without<ModelClips>)>,
    children: Query<&Children>,
    players: Query<(), With<AnimationPlayer>>,
) {
    for (root, model) in &things {
        let Some(gltf) = library.gltf(&model.0).and_then(|h| gltfs.get(h)) else {
            continue;
        };
        if gltf.named_animations.is_empty() {
            continue;
        }
        let Some(player) = children
            .iter_descendants(root)
            .find(|e| players.contains(*e))
        else {
            continue; // the scene is not spawned yet
        };
        let mut graph = AnimationGraph::new();
        let nodes = gltf
            .named_animations
            .iter()
            .map(|(name, clip)| {
                (
                    name.to_string(),
                    graph.add_clip(clip.clone(), 1.0, graph.root),
                )
            })
            .collect();
        commands.entity(player).insert((
            AnimationGraphHandle(graphs.add(graph)),
            AnimationTransitions::new(),
        ));
        commands.entity(root).insert(ModelClips { player, nodes });
    }
}

/// `Animate(thing, clip)`: the clip plays once on each of those things on stage.
fn play_clips(
    mut cues: MessageReader<CueIssued>,
    things: Query<(&ThingRef, &ModelClips)>,
    mut players: Query<(&mut AnimationPlayer, &mut AnimationTransitions)>,
) {
    for CueIssued(cue) in cues.read() {
        let Cue::World(WorldCue::Animate { thing, clip }) = cue else {
            continue;
        };
        for (id, clips) in &things {
            if !thing.contains(id.0) {
                continue;
            }
            let Some(node) = clips.nodes.get(clip) else {
                warn!("{:?} has no clip `{clip}`", id.0);
                continue;
            };
            if let Ok((mut player, mut transitions)) = players.get_mut(clips.player) {
                transitions.play(&mut player, *node, Duration::from_millis(250));
            }
        }
    }
}

/// A model that fails to load (a broken re-export) is reported; the last good one
/// stays on stage.
fn report_model_failures(
    mut failed: MessageReader<AssetLoadFailedEvent<Gltf>>,
    mut problems: ResMut<StoryProblems>,
) {
    for e in failed.read() {
        let message = format!("{}: {}", e.path, e.error);
        error!("a model did not load: {message}");
        let errors = problems.errors.get_or_insert_with(String::new);
        if !errors.contains(&message) {
            if !errors.is_empty() {
                errors.push('\n');
            }
            errors.push_str(&message);
        }
    }
}
