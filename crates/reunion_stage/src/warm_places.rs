//! Warming the next places' render pipelines before they are shown.
//!
//! The first time the renderer meets a kind of surface (a textured model, a skinned
//! body with morph targets, a material with a normal map, a shadow of one) it builds a
//! pipeline for it: a shader compile, tens to hundreds of milliseconds on a GPU's
//! driver, off the main thread, and until it is done that surface is not drawn. A place
//! coming on stage with kinds of surfaces not seen before would show with parts
//! missing for a moment, just as the cover lifts.
//!
//! So while a place plays, every place the story can go to next (the places whose
//! models are kept loaded, [`crate::models::ModelLibrary::near`]) is *warmed*: a speck of it — its
//! models' scenes and one of each of its shapes, at a ten-thousandth of their size —
//! stands two metres behind the participant's head and is never frustum-culled, so
//! every camera (the headset's eyes, the window) and every shadow-casting light queues
//! its surfaces, and their pipelines are built while the participant looks at the place
//! they are in. Behind the head and far smaller than a pixel, it is never seen; its
//! models' own lights and cameras are taken out. When the place comes, its pipelines
//! are made. The transitions' own surfaces are warmed the same way, from the first
//! place on: the butterfly, and see-through copies of each kind of surface of the
//! actor who glows and fades in a farewell, or of the place a dissolve fades
//! ([`effects_ahead`]). Not warmed: the see-through variants of a model actor's
//! skinned surfaces (a copy would need her skeleton, and be drawn where she stands).
//!
//! [`PipelineWatch`] counts the pipelines the renderer has been asked for
//! (`reunion bench --render` reports those made while each transition plays).
//! Only with a renderer: headless apps have no render world and warm nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bevy::camera::visibility::NoFrustumCulling;
use bevy::mesh::skinning::SkinnedMesh;
use bevy::prelude::*;
use bevy::render::render_resource::PipelineCache;
use bevy::render::{Render, RenderApp, RenderSystems};
use bevy::world_serialization::WorldInstanceReady;
use reunion_story::story::{ActorId, NodeId, NodeKind, PlaceId, Story, ThingKind, Transition};

use crate::components::{ActorBody, OnStage, PlaceScoped};
use crate::scenery::build_thing;
use crate::session::StorySession;
use crate::shapes::{Kit, Parts};
use crate::{PlaceSystems, StageSystems};

pub(super) fn plugin(app: &mut App) {
    let Some(render_app) = app.get_sub_app_mut(RenderApp) else {
        return;
    };
    let watch = PipelineWatch::default();
    render_app
        .insert_resource(watch.clone())
        .add_systems(Render, tally_pipelines.in_set(RenderSystems::Cleanup));
    app.insert_resource(watch)
        .init_resource::<WarmNextPlaces>()
        .add_observer(quiet_warm_scene)
        .add_systems(
            Update,
            (
                keep_next_places_warm,
                keep_effects_warm.run_if(resource_exists::<Assets<StandardMaterial>>),
                stand_behind_the_head,
            )
                .chain()
                .after(PlaceSystems)
                .in_set(StageSystems::World),
        );
}

/// Whether the next places are warmed (the default). Off only to measure what warming
/// saves (`reunion bench --render --no-warm`).
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarmNextPlaces(pub bool);

impl Default for WarmNextPlaces {
    fn default() -> Self {
        WarmNextPlaces(true)
    }
}

/// How many pipelines (render and compute) the renderer has been asked for so far,
/// counted after each rendered frame and shared with the main world. Present only
/// when there is a renderer.
#[derive(Resource, Clone, Default)]
pub struct PipelineWatch(Arc<AtomicUsize>);

impl PipelineWatch {
    /// The count after the last rendered frame.
    pub fn made(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

fn tally_pipelines(
    cache: Option<Res<PipelineCache>>,
    watch: Res<PipelineWatch>,
    mut counted: Local<usize>,
) {
    let Some(cache) = cache else { return };
    // Each new pipeline, by name and shader definitions (`RUST_LOG=reunion_stage::
    // warm_places=debug`): what a place brought that the renderer had not seen.
    for p in cache.pipelines().skip(*counted) {
        if let bevy::render::render_resource::PipelineDescriptor::RenderPipelineDescriptor(d) =
            &p.descriptor
        {
            let defs = d.fragment.as_ref().map(|f| &f.shader_defs);
            debug!("render pipeline made: {:?} {defs:?}", d.label);
        }
        *counted += 1;
    }
    watch.0.store(*counted, Ordering::Relaxed);
}

/// The speck of a place being warmed.
#[derive(Component, Debug)]
pub struct WarmSpeck(pub PlaceId);

/// The speck of what the story's transitions do to surfaces: the butterfly, and the
/// see-through variants of her (a farewell) or of the place on stage (a dissolve).
#[derive(Component, Debug)]
pub struct WarmEffects(EffectsAhead);

/// The effects the transitions after a node bring, in the place on stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectsAhead {
    pub place: PlaceId,
    /// A farewell's butterfly leaves this actor, who glows and fades.
    pub butterfly_of: Option<ActorId>,
    /// A dissolve fades the place on stage out.
    pub dissolve: bool,
}

/// The effects the transitions `goes` (`Go` nodes) bring to `place`, if any.
pub fn effects_ahead(story: &Story, goes: &[NodeId], place: PlaceId) -> Option<EffectsAhead> {
    let mut ahead = EffectsAhead {
        place,
        butterfly_of: None,
        dissolve: false,
    };
    for go in goes {
        if let NodeKind::Go { transition, .. } = &story.node(*go).kind {
            match transition {
                Transition::Butterfly { actor, .. } => ahead.butterfly_of = Some(*actor),
                Transition::Dissolve { .. } => ahead.dissolve = true,
                _ => {}
            }
        }
    }
    (ahead.butterfly_of.is_some() || ahead.dissolve).then_some(ahead)
}

/// What sets a material's pipeline apart (beyond its mesh): its textures, sides and
/// lighting. Alike materials of different colours need one pipeline.
fn material_kind(m: &StandardMaterial) -> impl std::hash::Hash + Eq + use<> {
    (
        [
            m.base_color_texture.is_some(),
            m.emissive_texture.is_some(),
            m.normal_map_texture.is_some(),
            m.metallic_roughness_texture.is_some(),
            m.occlusion_texture.is_some(),
            m.double_sided,
            m.unlit,
        ],
        m.cull_mode,
    )
}

/// Keeps a speck of the effects the next transitions bring: the butterfly's surfaces,
/// and a see-through copy of each kind of surface of the actor who will glow and fade
/// (or of the place a dissolve will fade). Not her skinned surfaces (a model's): a
/// copy would need her skeleton, and would be drawn where she stands.
#[allow(clippy::too_many_arguments)]
fn keep_effects_warm(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    warm: Res<WarmNextPlaces>,
    watch: Option<Res<PipelineWatch>>,
    specks: Query<(Entity, &WarmEffects)>,
    actors: Query<(Entity, &ActorBody, &PlaceScoped)>,
    place_parts: Query<(&PlaceScoped, &Mesh3d, &MeshMaterial3d<StandardMaterial>)>,
    children: Query<&Children>,
    surfaces: Query<(&Mesh3d, &MeshMaterial3d<StandardMaterial>), Without<SkinnedMesh>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut goes: Local<Option<(Arc<Story>, Vec<NodeId>)>>,
) {
    let Some(s) = session else { return };
    let story = s.story();
    // Every transition of the story, not only the next: they are few and small, and
    // so their pipelines are made under the first place's fade, with everything else
    // the renderer meets for the first time.
    if goes.as_ref().is_none_or(|(st, _)| !Arc::ptr_eq(st, story)) {
        *goes = Some((Arc::clone(story), story.go_nodes()));
    }
    let all = goes.as_ref().map_or(&[][..], |(_, g)| g.as_slice());
    let want = match (watch, warm.0, on_stage.place) {
        (Some(_), true, Some(place)) => effects_ahead(story, all, place),
        _ => None,
    };
    let have = specks.iter().next().map(|(_, w)| w.0);
    if have == want {
        return;
    }
    for (e, _) in &specks {
        commands.entity(e).despawn();
    }
    let Some(ahead) = want else { return };
    // The surfaces to see through: hers, or the whole place's.
    let mut sources: Vec<(Handle<Mesh>, Handle<StandardMaterial>)> = Vec::new();
    if let Some(actor) = ahead.butterfly_of {
        let root = actors
            .iter()
            .find(|(_, a, p)| a.0 == actor && p.0 == ahead.place)
            .map(|(e, _, _)| e);
        if let Some(root) = root {
            sources.extend(
                children
                    .iter_descendants(root)
                    .filter_map(|c| surfaces.get(c).ok())
                    .map(|(m, mat)| (m.0.clone(), mat.0.clone())),
            );
            // Her body is not built yet (a frame after the place): next frame.
            if sources.is_empty() {
                return;
            }
        }
    }
    if ahead.dissolve {
        sources.extend(
            place_parts
                .iter()
                .filter(|(p, _, _)| p.0 == ahead.place)
                .map(|(_, m, mat)| (m.0.clone(), mat.0.clone())),
        );
    }
    let mut seen = std::collections::HashSet::new();
    let mut shown: Vec<(Handle<Mesh>, Handle<StandardMaterial>)> = Vec::new();
    for (mesh, mat) in sources {
        let Some(m) = materials.get(&mat) else {
            continue;
        };
        if !seen.insert((mesh.id(), material_kind(m))) {
            continue;
        }
        let mut faded = m.clone();
        crate::transition::set_alpha(&mut faded, 0.5);
        shown.push((mesh, materials.add(faded)));
    }
    if ahead.butterfly_of.is_some() {
        shown.extend(crate::transition::butterfly_surfaces(
            &mut meshes,
            &mut materials,
        ));
    }
    commands
        .spawn((
            Name::new("warming the next transitions"),
            WarmEffects(ahead),
            Transform::from_scale(Vec3::splat(SPECK_SCALE)),
            Visibility::Visible,
        ))
        .with_children(|c| {
            for (mesh, mat) in shown {
                c.spawn((
                    Mesh3d(mesh),
                    MeshMaterial3d(mat),
                    Transform::default(),
                    NoFrustumCulling,
                ));
            }
        });
}

/// A model's scene in a speck: its lights and cameras are taken out when it spawns.
#[derive(Component)]
struct WarmScene;

/// How small a speck is: a 20 m photogrammetry scan becomes 2 mm, two metres behind
/// the head.
pub const SPECK_SCALE: f32 = 1e-4;

/// Which places to warm: those the story can go to next that are not on stage now
/// (the place, and one dissolving away).
pub fn places_to_warm(next: &[PlaceId], on_stage: [Option<PlaceId>; 2]) -> Vec<PlaceId> {
    let mut out: Vec<PlaceId> = Vec::new();
    for p in next {
        if !on_stage.contains(&Some(*p)) && !out.contains(p) {
            out.push(*p);
        }
    }
    out
}

/// Keeps a speck of each place to warm, made once its models are loaded; lets go of
/// the others.
fn keep_next_places_warm(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    warm: Res<WarmNextPlaces>,
    specks: Query<(Entity, &WarmSpeck)>,
    mut kit: Option<Kit>,
    mut story_seen: Local<Option<Arc<Story>>>,
) {
    let Some(s) = session else { return };
    let story = s.story();
    // A reloaded story may have moved everything: its specks are made anew.
    let same_story = story_seen.as_ref().is_some_and(|st| Arc::ptr_eq(st, story));
    if !same_story {
        for (e, _) in &specks {
            commands.entity(e).despawn();
        }
        *story_seen = Some(Arc::clone(story));
    }
    // The places whose models the library keeps near (it finds them for loading).
    let wanted = match (&kit, warm.0) {
        (Some(k), true) if k.gltf.is_some() => {
            places_to_warm(k.models.near(), [on_stage.place, on_stage.leaving])
        }
        _ => Vec::new(),
    };
    for (e, speck) in &specks {
        if same_story && !wanted.contains(&speck.0) {
            commands.entity(e).despawn();
        }
    }
    let Some(kit) = kit.as_mut() else { return };
    for place in wanted {
        let has = same_story && specks.iter().any(|(_, w)| w.0 == place);
        if has || !kit.models.ready(&kit.server, story, place) {
            continue;
        }
        spawn_speck(&mut commands, story, place, kit);
    }
}

/// A speck of `place`: its models' scenes and one of each of its shapes.
fn spawn_speck(commands: &mut Commands, story: &Story, place: PlaceId, kit: &mut Kit) {
    let p = story.place(place);
    let root = commands
        .spawn((
            Name::new(format!("warming {}", p.id)),
            WarmSpeck(place),
            Transform::from_scale(Vec3::splat(SPECK_SCALE)),
            Visibility::Visible,
        ))
        .id();
    for file in &p.models {
        let scene = kit.models.scene(&kit.server, file);
        let child = commands
            .spawn((
                Name::new(format!("warming {}", file.display())),
                WarmScene,
                bevy::world_serialization::WorldAssetRoot(scene),
                Transform::default(),
                Visibility::Inherited,
            ))
            .id();
        commands.entity(root).add_child(child);
    }
    let mut parts = Parts::new(kit, place);
    for thing in &p.things {
        if !matches!(thing.kind, ThingKind::Model { .. }) {
            build_thing(&mut parts, &thing.kind);
        }
        if let Some(flame) = thing.flame {
            crate::scenery::build_flame(&mut parts, flame.at);
        }
    }
    // Surroundings built of shapes (a park, a room) are made of the same kinds of
    // surface as things are; a model's surroundings are among `models`.
    let mut seen = std::collections::HashSet::new();
    let shapes: Vec<_> = std::mem::take(&mut parts.parts)
        .into_iter()
        .filter(|(mesh, mat, _, _)| seen.insert((mesh.id(), mat.id())))
        .collect();
    commands.entity(root).with_children(|c| {
        for (mesh, mat, _, _) in shapes {
            c.spawn((
                Mesh3d(mesh),
                MeshMaterial3d(mat),
                Transform::default(),
                NoFrustumCulling,
            ));
        }
    });
}

/// A speck's model scene, once spawned: its lights would light the place on stage and
/// its cameras would render, so they go; its meshes are never frustum-culled.
fn quiet_warm_scene(
    ready: On<WorldInstanceReady>,
    mut commands: Commands,
    scenes: Query<(), With<WarmScene>>,
    children: Query<&Children>,
    meshes: Query<(), With<Mesh3d>>,
) {
    if scenes.get(ready.entity).is_err() {
        return;
    }
    for e in children.iter_descendants(ready.entity) {
        let mut entity = commands.entity(e);
        entity
            .remove::<PointLight>()
            .remove::<SpotLight>()
            .remove::<DirectionalLight>()
            .remove::<Camera3d>()
            .remove::<Camera>();
        if meshes.get(e).is_ok() {
            entity.insert(NoFrustumCulling);
        }
    }
}

/// Where a speck stands: two metres behind a camera's eye, along its view.
pub fn behind(eye: &GlobalTransform) -> Vec3 {
    eye.translation() - eye.forward() * 2.0
}

/// Keeps the specks behind the participant's eyes (the first camera's: a headset's two
/// eyes are a few centimetres apart and look the same way).
fn stand_behind_the_head(
    cameras: Query<(&Camera, &GlobalTransform), With<Camera3d>>,
    mut specks: Query<&mut Transform, Or<(With<WarmSpeck>, With<WarmEffects>)>>,
) {
    let Some((_, eye)) = cameras.iter().find(|(c, _)| c.is_active) else {
        return;
    };
    let at = behind(eye);
    for mut t in &mut specks {
        if t.translation != at {
            t.translation = at;
        }
    }
}
