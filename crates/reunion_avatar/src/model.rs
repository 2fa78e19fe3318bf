//! A model's skeleton and face driven by the animator: once its scene is spawned, each
//! of our bones is found by its path of names ([`ModelRig`]); after the clips have
//! played each frame (PostUpdate, after Bevy's animation, before transforms
//! propagate), the animator's pose is retargeted onto its bones
//! ([`crate::retarget`]) and its face map sets its morph targets
//! ([`crate::face_channels`]).

use std::collections::{BTreeMap, BTreeSet};

use bevy::prelude::*;
use reunion_story::story::Trs;

use crate::components::{AvatarAnimator, RootNow};
use crate::face_channels::{driven_morphs, face_settings, own_expressions};
use crate::gltf::{GltfAvatar, GltfPlaying};
use crate::retarget::{Blend, FaceBones, Retarget, RigFrames};

/// How fast the body goes over to a clip and back, per second.
const CLIP_BLEND_RATE: f32 = 4.0;

/// A model whose bones the animator drives.
#[derive(Component, Debug)]
pub struct ModelRig {
    pub retarget: Retarget,
    /// Each bone's entity, in [`Retarget::bones`] order.
    pub entities: Vec<Entity>,
    /// For each bone, the entities between its parent bone and it (for a top bone,
    /// from the model's scene entity down), whose transforms make its `between`.
    pub between: Vec<Vec<Entity>>,
    /// The morph targets the face map moves.
    pub driven: BTreeSet<String>,
    /// The expressions the model shows by their own shapes.
    pub own_expressions: Vec<reunion_story::face_shapes::Expression>,
    /// Each VRM expression's morph targets: the mesh node's entity, the target's
    /// index, its weight; by the expression's name.
    pub expressions: BTreeMap<String, Vec<(Entity, usize, f32)>>,
    /// How far the body is the clip's (0..1).
    pub clip_share: f32,
    /// Where her palms were put last frame (right, left), in the world.
    pub palms: [Option<Vec3>; 2],
}

impl ModelRig {
    /// The entity of one of our bones.
    pub fn entity(&self, bone: reunion_story::humanoid::Bone) -> Option<Entity> {
        self.retarget
            .bones()
            .position(|b| b == bone)
            .and_then(|k| self.entities.get(k).copied())
    }
}

/// The entities along a path of names below the scene's root entity (Bevy spawns a
/// glTF scene as one entity, named after the scene, over the scene's root nodes):
/// that root entity, then one per name.
fn entities_along(
    scene: Entity,
    path: &[String],
    children: &Query<&Children>,
    names: &Query<&Name>,
) -> Option<Vec<Entity>> {
    let walk = |from: Entity| {
        let mut along = vec![from];
        let mut at = from;
        for name in path {
            at = children
                .get(at)
                .ok()?
                .iter()
                .find(|c| names.get(*c).is_ok_and(|n| n.as_str() == name))?;
            along.push(at);
        }
        Some(along)
    };
    children.get(scene).ok()?.iter().find_map(walk)
}

/// Finds each of our bones in a spawned model and hands the animator her palm.
pub fn bind_models(
    mut commands: Commands,
    mut avatars: Query<(Entity, &GltfAvatar, &mut AvatarAnimator), Without<ModelRig>>,
    children: Query<&Children>,
    names: Query<&Name>,
) {
    for (root, avatar, mut a) in &mut avatars {
        let retarget = Retarget::new(&avatar.model);
        let found: Option<Vec<Vec<Entity>>> = retarget
            .model_indices()
            .map(|i| {
                entities_along(
                    avatar.scene,
                    &avatar.model.joints[i].path,
                    &children,
                    &names,
                )
            })
            .collect();
        let Some(along) = found else {
            continue; // not spawned yet
        };
        // `along` is [scene root, path[0], .., the bone]: the bone is last; the nodes
        // between its parent bone (path[above - 1], at along[above]) and it carry it.
        let entities = along.iter().map(|a| a[a.len() - 1]).collect();
        let between = along
            .iter()
            .zip(retarget.above())
            .map(|(a, above)| match above {
                0 => a[..a.len() - 1].to_vec(),
                n => a[n + 1..a.len() - 1].to_vec(),
            })
            .collect();
        // A VRM expression's binds: the mesh nodes by their paths (one that cannot be
        // found is left out; the checker has read them from the file).
        let expressions = avatar
            .model
            .expressions
            .iter()
            .map(|e| {
                let binds = e
                    .binds
                    .iter()
                    .filter_map(|b| {
                        let along = entities_along(avatar.scene, &b.path, &children, &names)?;
                        Some((*along.last()?, b.index, b.weight))
                    })
                    .collect();
                (e.name.clone(), binds)
            })
            .collect();
        a.animator.palm = retarget.palm();
        let driven = driven_morphs(&avatar.model.face);
        let own_expressions = own_expressions(&avatar.model.face);
        commands.entity(root).insert(ModelRig {
            retarget,
            entities,
            between,
            driven,
            own_expressions,
            expressions,
            clip_share: 0.0,
            palms: [None; 2],
        });
    }
}

/// The animator's pose onto each model's bones, over its clip, and its face onto its
/// morph targets.
#[allow(clippy::type_complexity)]
pub fn pose_models(
    mut commands: Commands,
    time: Res<Time>,
    mut avatars: Query<(
        Entity,
        &GltfAvatar,
        &AvatarAnimator,
        &mut ModelRig,
        Option<&GltfPlaying>,
        &RootNow,
    )>,
    mut bones: Query<&mut Transform>,
    children: Query<&Children>,
    mut weights: Query<&mut MorphWeights>,
    meshes: Option<Res<Assets<Mesh>>>,
) {
    let dt = time.delta_secs();
    for (root, avatar, a, mut rig, playing, global) in &mut avatars {
        // A scene spawned again (its file reloaded) has new bones: find them again.
        if rig
            .entities
            .iter()
            .chain(rig.between.iter().flatten())
            .any(|e| !bones.contains(*e))
        {
            commands.entity(root).remove::<ModelRig>();
            continue;
        }
        let Some(pose) = a.pose else { continue };
        let frames = RigFrames::of(
            &pose,
            &a.animator.body,
            a.animator.reaching(),
            a.animator.palm,
        );
        let settings = face_settings(
            &avatar.model.face,
            &rig.driven,
            &rig.own_expressions,
            &pose.face,
        );
        let face = FaceBones {
            eyes: pose.face.eyes,
            jaw: settings.jaw,
        };
        // The body goes over to a clip while one the story asked for plays.
        let clip_playing = playing.is_some_and(|p| p.nodes.contains_key(&p.clip));
        let want = if clip_playing { 1.0 } else { 0.0 };
        rig.clip_share += (want - rig.clip_share) * (dt * CLIP_BLEND_RATE).min(1.0);
        let clip_locals: Option<Vec<Trs>> = (rig.clip_share > 1e-3).then(|| {
            rig.entities
                .iter()
                .map(|e| {
                    let t = bones.get(*e).copied().unwrap_or_default();
                    Trs {
                        translation: t.translation,
                        rotation: t.rotation,
                        scale: t.scale,
                    }
                })
                .collect()
        });
        let own = 1.0 - rig.clip_share;
        let reaching = a.animator.reaching();
        let walk_clip = playing.is_some_and(|p| p.nodes.contains_key("walk"));
        let blend = Blend {
            body: own,
            arms: reaching.map(|r| r.max(own)),
            legs: if walk_clip {
                own
            } else {
                own.max(a.animator.walking())
            },
        };
        // The whole body's turn and lift (lying down) move the model's scene as one;
        // her bones follow the rest of the pose inside it.
        let model_space = avatar.model.avatar_from_model();
        if let Ok(mut scene) = bones.get_mut(avatar.scene) {
            scene.set_if_neq(Transform::from_matrix(frames.body * model_space));
        }
        // The nodes between bones as they are now (a clip may move them); a top bone's
        // from her avatar space.
        let between: Vec<Mat4> = rig
            .between
            .iter()
            .zip(rig.retarget.above())
            .map(|(chain, above)| {
                let start = if above == 0 {
                    model_space
                } else {
                    Mat4::IDENTITY
                };
                chain.iter().fold(start, |m, e| {
                    m * bones.get(*e).map_or(Mat4::IDENTITY, Transform::to_matrix)
                })
            })
            .collect();
        let (locals, worlds) = rig.retarget.solve(
            &frames.in_body(),
            face,
            clip_locals.as_deref().map(|c| (c, blend)),
            &between,
        );
        for (e, l) in rig.entities.iter().zip(&locals) {
            if let Ok(mut t) = bones.get_mut(*e) {
                t.set_if_neq(Transform {
                    translation: l.translation,
                    rotation: l.rotation,
                    scale: l.scale,
                });
            }
        }
        // The model's scene sits under her root by `avatar_from_model`: the frames are
        // in her avatar space, so her root's transform takes them into the world.
        let palms = rig.retarget.palms(&worlds);
        let to_world = global.0.to_matrix() * frames.body;
        rig.palms = palms.map(|p| p.map(|p| to_world.transform_point3(p)));
        // The face: VRM expressions by their binds (each target at the sum of what the
        // expressions on ask of it, at most 1; at rest, 0)...
        let mut bound: BTreeMap<(Entity, usize), f32> = BTreeMap::new();
        for (name, binds) in &rig.expressions {
            let on = settings.expressions.get(name).copied().unwrap_or(0.0);
            for &(e, index, weight) in binds {
                *bound.entry((e, index)).or_default() += on * weight;
            }
        }
        for ((e, index), value) in bound {
            if let Ok(mut w) = weights.get_mut(e)
                && let Some(slot) = w.weights_mut().get_mut(index)
            {
                *slot = value.min(1.0);
            }
        }
        // ...then morph targets by their names.
        let Some(meshes) = &meshes else { continue };
        for e in children.iter_descendants(root) {
            let Ok(mut w) = weights.get_mut(e) else {
                continue;
            };
            let Some(names) = w
                .first_mesh()
                .map(|m| m.id())
                .and_then(|m| meshes.get(m))
                .and_then(|m| m.morph_target_names())
            else {
                continue;
            };
            // Written only when a weight changes (Bevy uploads changed weights).
            let changes = names.iter().enumerate().any(|(i, name)| {
                settings
                    .morphs
                    .get(name)
                    .is_some_and(|v| w.weights().get(i).is_some_and(|now| now != v))
            });
            if !changes {
                continue;
            }
            let weights = w.weights_mut();
            for (i, name) in names.iter().enumerate() {
                if let Some(value) = settings.morphs.get(name)
                    && let Some(slot) = weights.get_mut(i)
                    && *slot != *value
                {
                    *slot = *value;
                }
            }
        }
    }
}
