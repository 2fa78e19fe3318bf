//! glTF and VRM avatars: a cast entry with a `model` is shown as that model instead of
//! the built-in child. The same animator runs (its joints stay, without shapes) and
//! drives the model's bones and face ([`crate::model`]); where the file has clips by
//! our names, it plays them for the animator's gestures (`idle` otherwise, `walk`
//! while she walks) and the animator lays gaze and the hands over them. A model with
//! no clips is moved by the animator alone.

use std::collections::HashMap;
use std::time::Duration;

use bevy::gltf::Gltf;
use bevy::prelude::*;
use reunion_story::story::{Model, gesture_clip_name};

use crate::components::AvatarAnimator;

/// A model to show for this actor; its scene is a child of the actor's root.
#[derive(Component, Debug, Clone)]
pub struct GltfAvatar {
    pub model: Model,
    pub gltf: Handle<Gltf>,
    /// The entity the model's scene is spawned under (turned and scaled into her
    /// avatar space by [`Model::avatar_from_model`]).
    pub scene: Entity,
}

/// The scene entity of a model whose file is still loading.
#[derive(Component, Debug)]
pub struct ModelScenePending(pub Handle<Gltf>);

/// A glTF avatar whose clips are ready, and what it plays.
#[derive(Component, Debug)]
pub struct GltfPlaying {
    pub player: Entity,
    pub nodes: HashMap<String, AnimationNodeIndex>,
    pub clip: String,
}

/// Loads the model and puts its scene under the actor's root. The file is loaded as
/// glTF whatever its extension (a `.vrm` is glTF too); its default scene is spawned
/// once it is loaded ([`root_model_scenes`]).
pub fn spawn_model(commands: &mut Commands, server: &AssetServer, root: Entity, model: &Model) {
    let path = model.file.to_string_lossy().into_owned();
    let gltf = server.load::<Gltf>(path);
    let scene = commands
        .spawn((
            Name::new("model"),
            ModelScenePending(gltf.clone()),
            Transform::from_matrix(model.avatar_from_model()),
            Visibility::Inherited,
        ))
        .id();
    commands.entity(root).add_child(scene).insert(GltfAvatar {
        model: model.clone(),
        gltf,
        scene,
    });
}

/// Spawns each loaded model's default scene (else its first).
pub fn root_model_scenes(
    mut commands: Commands,
    gltfs: Res<Assets<Gltf>>,
    pending: Query<(Entity, &ModelScenePending)>,
) {
    for (e, p) in &pending {
        let Some(gltf) = gltfs.get(&p.0) else {
            continue;
        };
        let Some(scene) = gltf
            .default_scene
            .clone()
            .or_else(|| gltf.scenes.first().cloned())
        else {
            continue;
        };
        commands
            .entity(e)
            .remove::<ModelScenePending>()
            .insert(WorldAssetRoot(scene));
    }
}

/// Once the file is loaded and its scene spawned: an animation graph of the clips the
/// story needs, on the model's animation player, starting with `idle`.
pub fn start_models(
    mut commands: Commands,
    gltfs: Res<Assets<Gltf>>,
    mut graphs: ResMut<Assets<AnimationGraph>>,
    avatars: Query<(Entity, &GltfAvatar), Without<GltfPlaying>>,
    children: Query<&Children>,
    mut players: Query<&mut AnimationPlayer>,
    names: Query<&Name>,
) {
    for (root, avatar) in &avatars {
        let Some(gltf) = gltfs.get(&avatar.gltf) else {
            continue;
        };
        let Some(player) = children
            .iter_descendants(root)
            .find(|e| players.contains(*e))
        else {
            continue; // the scene is not spawned yet
        };
        let mut graph = AnimationGraph::new();
        let mut nodes = HashMap::new();
        for (ours, theirs) in &avatar.model.clips {
            if let Some(clip) = gltf.named_animations.get(theirs.as_str()) {
                nodes.insert(ours.clone(), graph.add_clip(clip.clone(), 1.0, graph.root));
            }
        }
        let who = names.get(root).map_or("an actor".into(), |n| n.to_string());
        info!(
            "glTF avatar for {who}: {} with clips {:?}",
            avatar.model.file.display(),
            nodes.keys().collect::<Vec<_>>()
        );
        let mut transitions = AnimationTransitions::new();
        if let (Ok(mut p), Some(idle)) = (players.get_mut(player), nodes.get("idle")) {
            transitions.play(&mut p, *idle, Duration::ZERO).repeat();
        }
        commands
            .entity(player)
            .insert((AnimationGraphHandle(graphs.add(graph)), transitions));
        commands.entity(root).insert(GltfPlaying {
            player,
            nodes,
            clip: "idle".into(),
        });
    }
}

/// Which clip the animator's state asks for: the newest gesture still playing, else
/// walking, else idle.
pub fn wanted_clip(a: &AvatarAnimator) -> &'static str {
    match a.animator.gestures().iter().rev().find(|(_, w)| *w > 0.5) {
        Some((g, _)) => gesture_clip_name(*g),
        None if a.animator.walking() > 0.5 => "walk",
        None => "idle",
    }
}

/// Plays the clip the animator asks for (cross-faded), when the file has it.
pub fn drive_models(
    mut avatars: Query<(&mut GltfPlaying, &AvatarAnimator)>,
    mut players: Query<(&mut AnimationPlayer, &mut AnimationTransitions)>,
) {
    for (mut playing, a) in &mut avatars {
        let want = wanted_clip(a);
        if want != playing.clip
            && let Some(node) = playing.nodes.get(want)
            && let Ok((mut player, mut transitions)) = players.get_mut(playing.player)
        {
            let active = transitions.play(&mut player, *node, Duration::from_millis(350));
            if want == "idle" || want == "walk" {
                active.repeat();
            }
            playing.clip = want.to_owned();
        } else if want != playing.clip && !playing.nodes.contains_key(want) {
            // No clip for it: the animator makes it, and the body leaves the clip.
            playing.clip = want.to_owned();
        }
    }
}
