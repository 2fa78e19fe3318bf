//! glTF avatars: a cast entry with a `model` is shown as that model instead of the
//! built-in child. The same animator runs (its joints stay, without shapes); the
//! model plays its named clips for the animator's gestures (`idle` otherwise, `walk`
//! while she walks) and its morph targets follow the face: `mouth_open` the mouth
//! (voice envelope or text timing), `blink` the lids, `smile` the smile. The checker
//! has already made sure every clip and target the story needs is in the file.

use std::collections::HashMap;
use std::time::Duration;

use bevy::gltf::{Gltf, GltfAssetLabel};
use bevy::prelude::*;
use reunion_story::story::{Model, gesture_clip_name};

use crate::components::AvatarAnimator;

/// A model to show for this actor; its scene is a child of the actor's root.
#[derive(Component, Debug, Clone)]
pub struct GltfAvatar {
    pub model: Model,
    pub gltf: Handle<Gltf>,
}

/// A glTF avatar whose clips are ready, and what it plays.
#[derive(Component, Debug)]
pub struct GltfPlaying {
    pub player: Entity,
    pub nodes: HashMap<String, AnimationNodeIndex>,
    pub clip: String,
}

/// Loads the model and puts its scene under the actor's root.
pub fn spawn_model(commands: &mut Commands, server: &AssetServer, root: Entity, model: &Model) {
    let path = model.file.to_string_lossy().into_owned();
    let gltf = server.load::<Gltf>(path.clone());
    let scene = server.load(GltfAssetLabel::Scene(0).from_asset(path));
    let child = commands
        .spawn((
            WorldAssetRoot(scene),
            Transform::IDENTITY,
            Visibility::Inherited,
        ))
        .id();
    commands.entity(root).add_child(child).insert(GltfAvatar {
        model: model.clone(),
        gltf,
    });
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

/// Plays the clip the animator asks for (cross-faded), and sets the morph targets from
/// the face.
pub fn drive_models(
    mut avatars: Query<(Entity, &GltfAvatar, &mut GltfPlaying, &AvatarAnimator)>,
    mut players: Query<(&mut AnimationPlayer, &mut AnimationTransitions)>,
    children: Query<&Children>,
    mut weights: Query<&mut MorphWeights>,
    meshes: Res<Assets<Mesh>>,
) {
    for (root, avatar, mut playing, a) in &mut avatars {
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
        }
        let Some(pose) = a.pose else { continue };
        let face = pose.face;
        let values = [
            ("mouth_open", face.open),
            ("blink", face.lid.max(0.0)),
            ("smile", face.smile.max(0.0)),
        ];
        for e in children.iter_descendants(root) {
            let Ok(mut w) = weights.get_mut(e) else {
                continue;
            };
            let Some(names) = w
                .first_mesh()
                .and_then(|m| meshes.get(m))
                .and_then(|m| m.morph_target_names().map(<[String]>::to_vec))
            else {
                continue;
            };
            for (ours, value) in values {
                let Some(theirs) = avatar.model.morph(ours) else {
                    continue;
                };
                if let Some(i) = names.iter().position(|n| n == theirs)
                    && let Some(slot) = w.weights_mut().get_mut(i)
                {
                    *slot = value;
                }
            }
        }
    }
}
