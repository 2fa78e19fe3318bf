//! Places: spawning what a scene file describes, and swapping places in transitions.
//!
//! Everything spawned for a place carries [`PlaceScoped`]; leaving the place despawns
//! exactly that. Every thing gets a root entity with its [`ThingName`] and transform
//! even without a renderer (headless runs and tests see the same entities); with a
//! renderer, simple shapes are added as children. The avatar and stage issues replace
//! these shapes with the real builders.
//!
//! Which place is on stage follows the director: during a transition the old place
//! stays until the transition is half done (the screen is then fully faded), then the
//! new one appears.

use std::sync::Arc;

use bevy::prelude::*;
use reunion_story::director::{Cue, Phase};
use reunion_story::format::ToyKind;
use reunion_story::story::{
    ActorId, Environment, LookTarget, PlaceId, Rgb, Story, ThingKind, Transition, WorldCue,
};

use crate::StageSystems;
use crate::presence::ParticipantHead;
use crate::session::{CueIssued, StorySession};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<OnStage>()
        .init_resource::<ShapeCache>()
        .init_resource::<TransitionView>()
        .add_systems(
            Update,
            (
                track_transition,
                sync_place,
                apply_world_cues,
                turn_to_look_targets,
                // With hands in the world, the candles are where hands put them.
                sync_candles.run_if(not(resource_exists::<crate::session::PerformedInWorld>)),
                sway_balloons,
                flicker_flames,
            )
                .chain()
                .in_set(PlaceSystems)
                .in_set(StageSystems::World),
        );
}

/// The systems that keep places on stage, in `StageSystems::World`.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlaceSystems;

/// Marks everything spawned for a place (roots and their parts).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceScoped(pub PlaceId);

/// The id of a thing from its scene file.
#[derive(Component, Debug, Clone, PartialEq, Eq)]
pub struct ThingName(pub String);

/// A member of the cast standing in the place.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorBody(pub ActorId);

/// Where an actor's eyes are, relative to the actor's root (for gaze detection).
#[derive(Component, Debug, Clone, Copy)]
pub struct HeadHeight(pub f32);

/// The n-th candle of the place (in scene order).
#[derive(Component, Debug, Clone, Copy)]
pub struct CandleSlot(pub u8);

/// A candle's flame (shown when lit).
#[derive(Component)]
pub struct Flame;

/// The box a thing's shapes fill, relative to its root: what world-space subtitles
/// keep clear of. Made from the shapes themselves when they are built (so only with a
/// renderer's assets), never written by hand.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: Vec3,
    pub max: Vec3,
}

impl Bounds {
    /// The box around `self` moved by `t` (its eight corners).
    pub fn transformed(&self, t: &GlobalTransform) -> Bounds {
        let mut out = Bounds {
            min: Vec3::INFINITY,
            max: Vec3::NEG_INFINITY,
        };
        for i in 0..8 {
            let c = Vec3::new(
                if i & 1 == 0 { self.min.x } else { self.max.x },
                if i & 2 == 0 { self.min.y } else { self.max.y },
                if i & 4 == 0 { self.min.z } else { self.max.z },
            );
            let w = t.transform_point(c);
            out.min = out.min.min(w);
            out.max = out.max.max(w);
        }
        out
    }

    /// Whether `p` is inside, or within `margin` of it.
    pub fn contains(&self, p: Vec3, margin: f32) -> bool {
        p.cmpge(self.min - margin).all() && p.cmple(self.max + margin).all()
    }

    fn grow(&mut self, other: &Bounds) {
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

/// The cake, with the local positions of its sockets.
#[derive(Component, Debug, Clone)]
pub struct CakeSockets(pub Vec<Vec3>);

/// Balloons sway gently.
#[derive(Component)]
struct Sway {
    phase: f32,
}

/// The places on stage now.
#[derive(Resource, Default)]
pub struct OnStage {
    /// The place the participant is in (the one entered, or being entered).
    pub place: Option<PlaceId>,
    /// A place still on stage while it dissolves away.
    pub leaving: Option<PlaceId>,
    /// The story the places were built from (a reload rebuilds them).
    story: Option<Arc<Story>>,
}

/// The transition in progress, as the screen should show it.
#[derive(Resource, Default, Clone, Debug)]
pub struct TransitionView {
    pub active: Option<ActiveTransition>,
}

#[derive(Clone, Debug)]
pub struct ActiveTransition {
    /// The place on stage when the transition began.
    pub from: Option<PlaceId>,
    pub to: PlaceId,
    pub transition: Transition,
    /// Only fades in (the first place, nothing to leave).
    pub fade_in_only: bool,
    /// 0 → 1, on the director's clock.
    pub progress: f32,
    /// A fade the stage adds by itself (an operator's jump to another place), timed
    /// by the frame clock instead of the director's.
    pub own_clock: bool,
}

/// How long the stage's own fade takes when the operator jumps to another place.
pub const JUMP_FADE_SECONDS: f32 = 1.6;

impl ActiveTransition {
    /// How much of the screen the fade colour covers.
    pub fn cover(&self) -> f32 {
        let p = self.progress.clamp(0.0, 1.0);
        if self.fade_in_only {
            return 1.0 - p;
        }
        match self.transition {
            // Both places are on stage and blend into each other: no cover.
            Transition::Dissolve { .. } => 0.0,
            // She walks beside the participant a while before the light rises.
            Transition::LeadByHand { .. } => ramp(p, 0.2, 0.5) * (1.0 - ramp(p, 0.5, 0.85)),
            // The butterfly flutters first; then white, then the open sky.
            Transition::Butterfly { .. } => ramp(p, 0.3, 0.5) * (1.0 - ramp(p, 0.5, 0.75)),
            Transition::Fade { .. } => {
                if p < 0.5 {
                    p * 2.0
                } else {
                    (1.0 - p) * 2.0
                }
            }
        }
    }

    /// When the new place takes the stage.
    pub fn swaps_now(&self) -> bool {
        self.fade_in_only
            || matches!(self.transition, Transition::Dissolve { .. })
            || self.progress >= 0.5
    }

    /// The colour faded through.
    pub fn color(&self) -> Color {
        match &self.transition {
            Transition::Fade { color, .. } => rgb(*color),
            Transition::Dissolve { .. } => Color::srgb(0.98, 0.96, 0.94),
            Transition::LeadByHand { .. } => Color::srgb(1.0, 0.97, 0.92),
            Transition::Butterfly { .. } => Color::WHITE,
        }
    }
}

/// 0 before `a`, 1 after `b`, smooth in between.
pub fn ramp(x: f32, a: f32, b: f32) -> f32 {
    let t = ((x - a) / (b - a)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

fn track_transition(
    time: Res<Time>,
    mut cues: MessageReader<CueIssued>,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    mut view: ResMut<TransitionView>,
) {
    for CueIssued(cue) in cues.read() {
        match cue {
            Cue::StartTransition { place, transition } => {
                view.active = Some(ActiveTransition {
                    from: on_stage.place,
                    to: *place,
                    transition: transition.clone(),
                    fade_in_only: on_stage.place.is_none() || on_stage.place == Some(*place),
                    progress: 0.0,
                    own_clock: false,
                });
            }
            // Never a cut: a jump to another place fades through black.
            Cue::EnterPlace { place } if on_stage.place.is_some_and(|p| p != *place) => {
                view.active = Some(ActiveTransition {
                    from: on_stage.place,
                    to: *place,
                    transition: Transition::Fade {
                        color: Rgb::BLACK,
                        seconds: JUMP_FADE_SECONDS,
                    },
                    fade_in_only: false,
                    progress: 0.0,
                    own_clock: true,
                });
            }
            Cue::EnterPlace { .. } | Cue::TransitionEnded { .. } => {
                view.active = None;
            }
            _ => {}
        }
    }
    if let Some(active) = &mut view.active
        && active.own_clock
    {
        active.progress += time.delta_secs() / JUMP_FADE_SECONDS;
        if active.progress >= 1.0 {
            view.active = None;
        }
        return;
    }
    // The director's clock drives the progress, so holds and paused leads hold it too.
    if let (Some(active), Some(s)) = (&mut view.active, session)
        && let Phase::Transition { remaining, .. } = s.session.director.phase()
    {
        let total = active.transition.seconds().max(1e-3);
        active.progress = (1.0 - (*remaining as f32) / total).clamp(0.0, 1.0);
    }
}

/// Puts the right places on stage: the one the participant is in, and during a
/// dissolve the one dissolving away.
fn sync_place(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    mut on_stage: ResMut<OnStage>,
    view: Res<TransitionView>,
    roots: Query<(Entity, &PlaceScoped), Without<ChildOf>>,
    mut kit: Option<Kit>,
) {
    let Some(s) = session else { return };
    let story = s.story();
    let (place, leaving) = match &view.active {
        Some(t) if t.swaps_now() => {
            let leaving = (matches!(t.transition, Transition::Dissolve { .. }) && !t.fade_in_only)
                .then_some(t.from)
                .flatten();
            (Some(t.to), leaving)
        }
        // Until the swap, the place being left stays.
        Some(t) => (t.from, None),
        None => (s.session.director.place(), None),
    };
    let same_story = on_stage
        .story
        .as_ref()
        .is_some_and(|st| Arc::ptr_eq(st, story));
    if place == on_stage.place && leaving == on_stage.leaving && same_story {
        return;
    }
    let keep =
        |p: PlaceId| same_story && (Some(p) == on_stage.place || Some(p) == on_stage.leaving);
    let wanted = |p: PlaceId| Some(p) == place || Some(p) == leaving;
    for (e, scoped) in &roots {
        if !(wanted(scoped.0) && keep(scoped.0)) {
            commands.entity(e).despawn();
        }
    }
    for p in [place, leaving].into_iter().flatten() {
        if !keep(p) {
            spawn_place(&mut commands, story, p, kit.as_mut());
        }
    }
    on_stage.place = place;
    on_stage.leaving = leaving;
    on_stage.story = Some(Arc::clone(story));
}

/// The render assets, when there is a renderer.
#[derive(bevy::ecs::system::SystemParam)]
pub struct Kit<'w> {
    meshes: ResMut<'w, Assets<Mesh>>,
    materials: ResMut<'w, Assets<StandardMaterial>>,
    shapes: ResMut<'w, ShapeCache>,
    clear: ResMut<'w, ClearColor>,
    ambient: ResMut<'w, GlobalAmbientLight>,
}

/// Shapes and materials already made: parts that look alike share one mesh and one
/// material, so the renderer draws them as one batch (seven candles, two eyes).
/// Materials are kept per place, since a dissolve fades one place's materials only.
#[derive(Resource, Default)]
pub struct ShapeCache {
    meshes: std::collections::HashMap<u64, Handle<Mesh>>,
    materials: std::collections::HashMap<(PlaceId, [u32; 6]), Handle<StandardMaterial>>,
}

impl ShapeCache {
    /// One handle for every mesh with the same vertices and indices.
    pub fn mesh(&mut self, meshes: &mut Assets<Mesh>, mesh: Mesh) -> Handle<Mesh> {
        let key = mesh_key(&mesh);
        self.meshes
            .entry(key)
            .or_insert_with(|| meshes.add(mesh))
            .clone()
    }

    /// Forgets a place's materials (it is being built anew, at full opacity).
    pub fn forget_place(&mut self, place: PlaceId) {
        self.materials.retain(|(p, _), _| *p != place);
    }
}

/// A hash of a mesh's positions and indices.
pub fn mesh_key(mesh: &Mesh) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    if let Some(bevy::mesh::VertexAttributeValues::Float32x3(p)) =
        mesh.attribute(Mesh::ATTRIBUTE_POSITION)
    {
        for v in p {
            for c in v {
                c.to_bits().hash(&mut h);
            }
        }
    }
    if let Some(i) = mesh.indices() {
        for x in i.iter() {
            x.hash(&mut h);
        }
    }
    h.finish()
}

/// A story's colour, compiled to linear RGB by the checker.
fn rgb(c: Rgb) -> Color {
    Color::linear_rgb(c.red, c.green, c.blue)
}

/// Yaw from a scene's `facing` (degrees, clockwise seen from above; 0 faces -z).
pub fn facing_rotation(facing: f32) -> Quat {
    Quat::from_rotation_y(-facing.to_radians())
}

/// A part's shape as a mesh of unit size and the scale that gives it its size: boxes
/// and cylinders of every size then share one mesh, so the parts of one material draw
/// as one batch (a window's bars, a table's top and legs, the balloons' strings).
trait PartShape {
    fn unit(self) -> (Mesh, Vec3);
}

impl PartShape for Cuboid {
    fn unit(self) -> (Mesh, Vec3) {
        (Cuboid::from_length(1.0).into(), self.size())
    }
}

impl PartShape for Cylinder {
    fn unit(self) -> (Mesh, Vec3) {
        (
            Cylinder::new(1.0, 1.0).into(),
            Vec3::new(self.radius, self.half_height * 2.0, self.radius),
        )
    }
}

impl PartShape for Mesh {
    fn unit(self) -> (Mesh, Vec3) {
        (self, Vec3::ONE)
    }
}

impl PartShape for Plane3d {
    fn unit(self) -> (Mesh, Vec3) {
        (self.into(), Vec3::ONE)
    }
}

/// Shapes for one thing, spawned as children of its root.
struct Parts<'a, 'w> {
    kit: &'a mut Kit<'w>,
    place: PlaceId,
    parts: Vec<(Handle<Mesh>, Handle<StandardMaterial>, Transform, bool)>,
    bounds: Option<Bounds>,
}

impl<'a, 'w> Parts<'a, 'w> {
    fn new(kit: &'a mut Kit<'w>, place: PlaceId) -> Self {
        Self {
            kit,
            place,
            parts: Vec::new(),
            bounds: None,
        }
    }

    fn cached_material(&mut self, color: Color, rough: f32, glow: f32) -> Handle<StandardMaterial> {
        let c = color.to_srgba();
        let key = [c.red, c.green, c.blue, c.alpha, rough, glow].map(f32::to_bits);
        let kit = &mut *self.kit;
        kit.shapes
            .materials
            .entry((self.place, key))
            .or_insert_with(|| {
                kit.materials.add(StandardMaterial {
                    base_color: color,
                    perceptual_roughness: rough,
                    emissive: LinearRgba::from(color) * glow,
                    ..default()
                })
            })
            .clone()
    }

    fn material(&mut self, color: Color, rough: f32) -> Handle<StandardMaterial> {
        self.cached_material(color, rough, 0.0)
    }

    fn glow(&mut self, color: Color, strength: f32) -> Handle<StandardMaterial> {
        self.cached_material(color, 0.5, strength)
    }

    fn add(&mut self, shape: impl PartShape, mat: Handle<StandardMaterial>, t: Transform) {
        let (mesh, scale) = shape.unit();
        self.push(mesh, mat, t.with_scale(t.scale * scale), false);
    }

    fn add_flame(&mut self, shape: impl PartShape, mat: Handle<StandardMaterial>, t: Transform) {
        let (mesh, scale) = shape.unit();
        self.push(mesh, mat, t.with_scale(t.scale * scale), true);
    }

    fn push(&mut self, mesh: Mesh, mat: Handle<StandardMaterial>, t: Transform, flame: bool) {
        use bevy::camera::primitives::MeshAabb;
        if let Some(aabb) = mesh.compute_aabb() {
            let local = Bounds {
                min: Vec3::from(aabb.min()),
                max: Vec3::from(aabb.max()),
            }
            .transformed(&GlobalTransform::from(t));
            match &mut self.bounds {
                Some(b) => b.grow(&local),
                None => self.bounds = Some(local),
            }
        }
        let m = self.kit.shapes.mesh(&mut self.kit.meshes, mesh);
        self.parts.push((m, mat, t, flame));
    }

    fn solid(&mut self, shape: impl PartShape, color: Color, t: Transform) {
        let mat = self.material(color, 0.85);
        self.add(shape, mat, t);
    }

    /// Spawns the shapes under `root`, and gives `root` their [`Bounds`].
    fn spawn(self, commands: &mut Commands, root: Entity) {
        let place = self.place;
        if let Some(b) = self.bounds {
            commands.entity(root).insert(b);
        }
        commands.entity(root).with_children(|c| {
            for (mesh, mat, t, flame) in self.parts {
                let mut e = c.spawn((Mesh3d(mesh), MeshMaterial3d(mat), t, PlaceScoped(place)));
                if flame {
                    e.insert((Flame, Visibility::Hidden));
                }
            }
        });
    }
}

/// Numbers in 0..1 from a seed: the same layout on every run and every machine.
fn seeded(seed: u32) -> impl FnMut() -> f32 {
    let mut state = seed;
    move || {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (state >> 8) as f32 / (1u32 << 24) as f32
    }
}

/// A sphere light enough for a headset's budget: Bevy's default sphere is an
/// icosphere of 20,480 triangles; this one has 24 × 14 quads (about 650 triangles).
pub fn ball(radius: f32) -> Mesh {
    Sphere::new(radius).mesh().uv(24, 14)
}

fn at(x: f32, y: f32, z: f32) -> Transform {
    Transform::from_xyz(x, y, z)
}

/// Spawns a place: its surroundings and every thing in its scene.
pub fn spawn_place(
    commands: &mut Commands,
    story: &Story,
    place: PlaceId,
    mut kit: Option<&mut Kit>,
) {
    let p = story.place(place);
    if let Some(kit) = kit.as_deref_mut() {
        kit.shapes.forget_place(place);
        spawn_environment(commands, place, &p.environment, kit);
    }
    let mut candle = 0u8;
    for thing in &p.things {
        let transform = Transform::from_xyz(thing.at.0, thing.at.1, thing.at.2)
            .with_rotation(facing_rotation(thing.facing));
        let visibility = if thing.hidden {
            Visibility::Hidden
        } else {
            Visibility::Inherited
        };
        let root = commands
            .spawn((
                Name::new(thing.id.clone()),
                ThingName(thing.id.clone()),
                PlaceScoped(place),
                transform,
                visibility,
            ))
            .id();
        match &thing.kind {
            ThingKind::Actor(a) => {
                let look = &story.actor(*a).look;
                commands
                    .entity(root)
                    .insert((ActorBody(*a), HeadHeight(look.height * 0.92)));
            }
            ThingKind::Candle { .. } => {
                commands.entity(root).insert(CandleSlot(candle));
                // A scene may hold more candles than a cake has sockets (or than 255):
                // the extra ones stay where they are.
                candle = candle.saturating_add(1);
            }
            ThingKind::Cake { candle_sockets } => {
                let n = f32::from(*candle_sockets);
                let sockets = (0..*candle_sockets)
                    .map(|i| {
                        let a = f32::from(i) / n * std::f32::consts::TAU;
                        Vec3::new(a.cos() * 0.085, 0.18, a.sin() * 0.085)
                    })
                    .collect();
                commands.entity(root).insert(CakeSockets(sockets));
            }
            ThingKind::Balloon { .. } => {
                commands.entity(root).insert(Sway {
                    phase: thing.at.0 * 1.7 + thing.at.2,
                });
            }
            _ => {}
        }
        if let Some(kit) = kit.as_deref_mut() {
            let mut parts = Parts::new(kit, place);
            build_thing(&mut parts, &thing.kind);
            parts.spawn(commands, root);
        }
    }
}

/// How high a room's ceiling is, metres.
pub const ROOM_HEIGHT: f32 = 2.8;
/// How thick its walls, floor-to-ceiling boxes centred on the room's edges, are.
const WALL: f32 = 0.1;

/// The inside of a room of `size` (width, depth): its walls stand at x = ±width/2,
/// at z = 3 behind the start mark and `depth` in front of that.
pub fn room_inside(size: (f32, f32)) -> (Vec3, Vec3) {
    let (w, d) = size;
    let (z0, z1) = (3.0 - d, 3.0);
    (
        Vec3::new(-w / 2.0 + WALL / 2.0, 0.0, z0 + WALL / 2.0),
        Vec3::new(
            w / 2.0 - WALL / 2.0,
            ROOM_HEIGHT - WALL / 2.0,
            z1 - WALL / 2.0,
        ),
    )
}

fn spawn_environment(commands: &mut Commands, place: PlaceId, env: &Environment, kit: &mut Kit) {
    let mut parts = Parts::new(kit, place);
    match env {
        Environment::Park { sky, trees } => {
            parts.kit.clear.0 = rgb(*sky);
            parts.kit.ambient.color = Color::srgb(1.0, 0.86, 0.74);
            parts.kit.ambient.brightness = 900.0;
            parts.solid(
                Plane3d::new(Vec3::Y, Vec2::splat(40.0)),
                Color::srgb(0.42, 0.55, 0.30),
                at(0.0, 0.0, 0.0),
            );
            parts.solid(
                Plane3d::new(Vec3::Y, Vec2::new(0.8, 12.0)),
                Color::srgb(0.85, 0.76, 0.6),
                at(0.0, 0.005, -8.0),
            );
            // Distant hills, soft against the sky.
            for (x, z, r, c) in [
                (-22.0, -38.0, 16.0, Color::srgb(0.47, 0.56, 0.42)),
                (14.0, -42.0, 20.0, Color::srgb(0.52, 0.58, 0.45)),
                (40.0, -30.0, 14.0, Color::srgb(0.5, 0.6, 0.44)),
            ] {
                parts.solid(
                    ball(r),
                    c,
                    at(x, -r * 0.7, z).with_scale(Vec3::new(1.6, 1.0, 1.0)),
                );
            }
            // Trees in a loose ring, away from the path, the same every time.
            let mut rand = seeded(7);
            for i in 0..*trees {
                let side = if i % 2 == 0 { -1.0 } else { 1.0 };
                let x = side * (4.5 + rand() * 9.0);
                let z = -3.0 - rand() * 18.0;
                let h = 3.0 + rand() * 3.0;
                build_tree(&mut parts, h, at(x, 0.0, z));
            }
            parts.spawn_scoped(commands);
            commands.spawn((
                PlaceScoped(place),
                DirectionalLight {
                    color: Color::srgb(1.0, 0.78, 0.58),
                    illuminance: 6_000.0,
                    shadow_maps_enabled: true,
                    ..default()
                },
                Transform::from_xyz(-8.0, 5.0, -12.0).looking_at(Vec3::ZERO, Vec3::Y),
            ));
        }
        Environment::Room { walls, size } => {
            let (w, d) = *size;
            let wall = rgb(*walls);
            parts.kit.clear.0 = Color::srgb(1.0, 0.98, 0.95);
            parts.kit.ambient.color = Color::srgb(1.0, 0.93, 0.95);
            parts.kit.ambient.brightness = 450.0;
            let (inside_min, inside_max) = room_inside(*size);
            let (z0, z1) = (inside_min.z - WALL / 2.0, inside_max.z + WALL / 2.0);
            let h = ROOM_HEIGHT;
            let cz = (z0 + z1) / 2.0;
            parts.solid(
                Plane3d::new(Vec3::Y, Vec2::new(w / 2.0, d / 2.0)),
                Color::srgb(0.93, 0.84, 0.74),
                at(0.0, 0.0, cz),
            );
            // A soft rug in the middle.
            parts.solid(
                Cylinder::new(1.3, 0.01),
                Color::srgb(0.98, 0.85, 0.9),
                at(0.0, 0.005, -0.3),
            );
            parts.solid(Cuboid::new(w, h, WALL), wall, at(0.0, h / 2.0, z0));
            parts.solid(Cuboid::new(w, h, WALL), wall, at(0.0, h / 2.0, z1));
            parts.solid(Cuboid::new(WALL, h, d), wall, at(-w / 2.0, h / 2.0, cz));
            parts.solid(Cuboid::new(WALL, h, d), wall, at(w / 2.0, h / 2.0, cz));
            parts.solid(
                Cuboid::new(w, WALL, d),
                Color::srgb(1.0, 0.98, 0.97),
                at(0.0, h, cz),
            );
            parts.spawn_scoped(commands);
            for (x, z, i) in [(0.0, -1.0, 45_000.0), (0.0, 2.0, 25_000.0)] {
                commands.spawn((
                    PlaceScoped(place),
                    PointLight {
                        color: Color::srgb(1.0, 0.94, 0.86),
                        intensity: i,
                        range: 12.0,
                        shadow_maps_enabled: false,
                        ..default()
                    },
                    Transform::from_xyz(x, 2.4, z),
                ));
            }
            commands.spawn((
                PlaceScoped(place),
                DirectionalLight {
                    color: Color::srgb(1.0, 0.95, 0.85),
                    illuminance: 2_500.0,
                    shadow_maps_enabled: true,
                    ..default()
                },
                Transform::from_xyz(0.5, 4.0, -4.0).looking_at(Vec3::new(0.0, 0.0, 0.5), Vec3::Y),
            ));
        }
        Environment::Sky { sky } => {
            parts.kit.clear.0 = rgb(*sky);
            parts.kit.ambient.color = Color::WHITE;
            parts.kit.ambient.brightness = 2_000.0;
            let mut rand = seeded(11);
            let cloud = parts.material(Color::srgb(1.0, 1.0, 1.0), 1.0);
            // A sea of soft clouds below, and a few far ones near the horizon.
            for i in 0..18 {
                let a = rand() * std::f32::consts::TAU;
                let r = 14.0 + rand() * 30.0;
                let y = if i % 3 == 0 {
                    1.0 + rand() * 6.0
                } else {
                    -7.0 + rand() * 3.0
                };
                let s = 3.0 + rand() * 4.0;
                parts.add(
                    ball(1.0),
                    cloud.clone(),
                    at(a.cos() * r, y, a.sin() * r).with_scale(Vec3::new(s * 1.6, s * 0.45, s)),
                );
            }
            parts.spawn_scoped(commands);
            commands.spawn((
                PlaceScoped(place),
                DirectionalLight {
                    color: Color::srgb(1.0, 0.97, 0.9),
                    illuminance: 8_000.0,
                    ..default()
                },
                Transform::from_xyz(2.0, 10.0, 3.0).looking_at(Vec3::ZERO, Vec3::Y),
            ));
        }
    }
}

impl Parts<'_, '_> {
    /// Spawns the parts as one scoped group with no thing of its own (and no
    /// [`Bounds`]: the ground and the sky are not things to keep clear of).
    fn spawn_scoped(mut self, commands: &mut Commands) {
        self.bounds = None;
        let root = commands
            .spawn((
                Name::new("surroundings"),
                PlaceScoped(self.place),
                Transform::default(),
                Visibility::Inherited,
            ))
            .id();
        self.spawn(commands, root);
    }
}

fn build_tree(parts: &mut Parts, h: f32, t: Transform) {
    let trunk = Color::srgb(0.42, 0.3, 0.22);
    let leaf = Color::srgb(0.32, 0.48, 0.27);
    let base = t.translation;
    parts.solid(
        Cylinder::new(0.14 * h / 4.0, h * 0.55),
        trunk,
        at(base.x, h * 0.275, base.z),
    );
    for (dx, dy, dz, r) in [
        (0.0, 0.62, 0.0, 0.32),
        (0.18, 0.75, 0.1, 0.24),
        (-0.15, 0.8, -0.05, 0.22),
    ] {
        parts.solid(
            ball(r * h * 0.5),
            leaf,
            at(base.x + dx * h * 0.5, h * dy, base.z + dz * h * 0.5),
        );
    }
}

fn build_thing(parts: &mut Parts, kind: &ThingKind) {
    match kind {
        // The avatar crate builds actors (a rig that moves), headless or not.
        ThingKind::Actor(_) => {}
        ThingKind::Marker => {}
        ThingKind::Bench => {
            let wood = Color::srgb(0.55, 0.38, 0.25);
            let iron = Color::srgb(0.2, 0.2, 0.22);
            parts.solid(Cuboid::new(1.5, 0.06, 0.42), wood, at(0.0, 0.45, 0.0));
            parts.solid(
                Cuboid::new(1.5, 0.36, 0.05),
                wood,
                at(0.0, 0.7, 0.22).with_rotation(Quat::from_rotation_x(-0.2)),
            );
            for x in [-0.65, 0.65] {
                parts.solid(Cuboid::new(0.06, 0.45, 0.4), iron, at(x, 0.225, 0.0));
            }
        }
        ThingKind::Tree { height } => build_tree(parts, *height, Transform::IDENTITY),
        ThingKind::Lamp => {
            parts.solid(
                Cylinder::new(0.05, 3.2),
                Color::srgb(0.18, 0.2, 0.2),
                at(0.0, 1.6, 0.0),
            );
            let glow = parts.glow(Color::srgb(1.0, 0.86, 0.6), 6.0);
            parts.add(ball(0.18), glow, at(0.0, 3.3, 0.0));
        }
        ThingKind::Bed { color } => {
            parts.solid(
                Cuboid::new(1.0, 0.3, 1.9),
                Color::srgb(0.93, 0.86, 0.8),
                at(0.0, 0.15, 0.0),
            );
            parts.solid(
                Cuboid::new(0.95, 0.16, 1.85),
                rgb(*color),
                at(0.0, 0.38, 0.0),
            );
            parts.solid(
                Cuboid::new(0.96, 0.06, 1.2),
                Color::srgb(0.98, 0.8, 0.87),
                at(0.0, 0.48, 0.3),
            );
            parts.solid(
                Cuboid::new(0.6, 0.12, 0.35),
                Color::WHITE,
                at(0.0, 0.52, -0.7),
            );
            parts.solid(
                Cuboid::new(1.0, 0.8, 0.06),
                Color::srgb(0.93, 0.86, 0.8),
                at(0.0, 0.5, -0.95),
            );
        }
        ThingKind::Balloon { color, height } => {
            let mat = parts.kit.materials.add(StandardMaterial {
                base_color: rgb(*color),
                perceptual_roughness: 0.25,
                reflectance: 0.6,
                ..default()
            });
            parts.add(
                ball(0.2),
                mat,
                at(0.0, *height, 0.0).with_scale(Vec3::new(1.0, 1.2, 1.0)),
            );
            parts.solid(
                Cylinder::new(0.004, *height - 0.2),
                Color::srgb(0.9, 0.9, 0.9),
                at(0.0, (*height - 0.2) / 2.0, 0.0),
            );
        }
        ThingKind::Toy { kind, color } => build_toy(parts, *kind, rgb(*color)),
        ThingKind::Table => {
            let wood = Color::srgb(0.96, 0.9, 0.82);
            parts.solid(Cuboid::new(1.1, 0.05, 0.7), wood, at(0.0, 0.425, 0.0));
            for (x, z) in [(-0.5, -0.3), (0.5, -0.3), (-0.5, 0.3), (0.5, 0.3)] {
                parts.solid(Cylinder::new(0.025, 0.4), wood, at(x, 0.2, z));
            }
        }
        ThingKind::Cake { candle_sockets } => {
            parts.solid(
                Cylinder::new(0.2, 0.02),
                Color::srgb(0.95, 0.95, 0.97),
                at(0.0, 0.01, 0.0),
            );
            parts.solid(
                Cylinder::new(0.16, 0.1),
                Color::srgb(1.0, 0.97, 0.93),
                at(0.0, 0.07, 0.0),
            );
            parts.solid(
                Cylinder::new(0.165, 0.02),
                Color::srgb(0.98, 0.7, 0.8),
                at(0.0, 0.12, 0.0),
            );
            parts.solid(
                Cylinder::new(0.12, 0.05),
                Color::srgb(1.0, 0.85, 0.9),
                at(0.0, 0.155, 0.0),
            );
            let n = f32::from(*candle_sockets);
            for i in 0..*candle_sockets {
                let a = f32::from(i) / n * std::f32::consts::TAU;
                parts.solid(
                    ball(0.012),
                    Color::srgb(0.9, 0.3, 0.35),
                    at(a.cos() * 0.085, 0.18, a.sin() * 0.085).with_scale(Vec3::new(1.0, 0.4, 1.0)),
                );
            }
        }
        ThingKind::Candle { color } => {
            parts.solid(Cylinder::new(0.008, 0.07), rgb(*color), at(0.0, 0.035, 0.0));
            let flame = parts.glow(Color::srgb(1.0, 0.72, 0.3), 12.0);
            parts.add_flame(
                ball(0.009),
                flame,
                at(0.0, 0.082, 0.0).with_scale(Vec3::new(1.0, 1.8, 1.0)),
            );
        }
        ThingKind::Window => {
            let light = parts.glow(Color::srgb(1.0, 0.97, 0.88), 3.0);
            parts.add(Cuboid::new(1.4, 1.0, 0.02), light, at(0.0, 0.0, 0.0));
            let frame = Color::WHITE;
            parts.solid(Cuboid::new(1.5, 0.06, 0.06), frame, at(0.0, 0.53, 0.02));
            parts.solid(Cuboid::new(1.5, 0.06, 0.06), frame, at(0.0, -0.53, 0.02));
            parts.solid(Cuboid::new(0.06, 1.1, 0.06), frame, at(-0.73, 0.0, 0.02));
            parts.solid(Cuboid::new(0.06, 1.1, 0.06), frame, at(0.73, 0.0, 0.02));
            parts.solid(Cuboid::new(0.04, 1.0, 0.04), frame, at(0.0, 0.0, 0.02));
        }
        ThingKind::Letter => {
            parts.solid(
                Cuboid::new(0.21, 0.003, 0.15),
                Color::srgb(1.0, 0.98, 0.92),
                at(0.0, 0.0, 0.0).with_rotation(Quat::from_rotation_x(1.2)),
            );
            parts.solid(
                ball(0.015),
                Color::srgb(0.95, 0.4, 0.5),
                at(0.0, 0.03, -0.01),
            );
        }
        ThingKind::Flowers { color } => {
            let mut next = seeded(3);
            let mut rand = || next() - 0.5;
            for _ in 0..9 {
                let (x, z) = (rand() * 0.6, rand() * 0.6);
                parts.solid(
                    Cylinder::new(0.006, 0.25),
                    Color::srgb(0.3, 0.5, 0.25),
                    at(x, 0.125, z),
                );
                parts.solid(ball(0.04), rgb(*color), at(x, 0.27, z));
            }
        }
    }
}

fn build_toy(parts: &mut Parts, kind: ToyKind, color: Color) {
    let dark = Color::srgb(0.15, 0.1, 0.1);
    match kind {
        ToyKind::Bear | ToyKind::Rabbit => {
            parts.solid(ball(0.11), color, at(0.0, 0.11, 0.0));
            parts.solid(ball(0.08), color, at(0.0, 0.27, 0.0));
            let ears = if kind == ToyKind::Bear {
                [(-0.06, 0.33, 0.0, 0.03, 1.0), (0.06, 0.33, 0.0, 0.03, 1.0)]
            } else {
                [
                    (-0.03, 0.38, 0.0, 0.025, 3.0),
                    (0.03, 0.38, 0.0, 0.025, 3.0),
                ]
            };
            for (x, y, z, r, stretch) in ears {
                parts.solid(
                    ball(r),
                    color,
                    at(x, y, z).with_scale(Vec3::new(1.0, stretch, 1.0)),
                );
            }
            for x in [-0.028, 0.028] {
                parts.solid(ball(0.01), dark, at(x, 0.29, -0.07));
            }
        }
        ToyKind::Ball => {
            parts.solid(ball(0.12), color, at(0.0, 0.12, 0.0));
        }
        ToyKind::Blocks => {
            for (i, c) in [
                color,
                Color::srgb(0.98, 0.75, 0.4),
                Color::srgb(0.95, 0.55, 0.65),
            ]
            .into_iter()
            .enumerate()
            {
                let y = 0.05 + 0.1 * i as f32;
                parts.solid(
                    Cuboid::new(0.1, 0.1, 0.1),
                    c,
                    at(0.0, y, 0.0).with_rotation(Quat::from_rotation_y(i as f32 * 0.4)),
                );
            }
        }
        ToyKind::Horse => {
            parts.solid(Cuboid::new(0.12, 0.14, 0.34), color, at(0.0, 0.3, 0.0));
            parts.solid(Cuboid::new(0.09, 0.18, 0.1), color, at(0.0, 0.43, -0.17));
            for (x, z) in [(-0.04, -0.12), (0.04, -0.12), (-0.04, 0.12), (0.04, 0.12)] {
                parts.solid(Cylinder::new(0.015, 0.24), color, at(x, 0.12, z));
            }
            parts.solid(
                Cuboid::new(0.5, 0.03, 0.1),
                Color::srgb(0.8, 0.5, 0.3),
                at(0.0, 0.015, 0.0)
                    .with_rotation(Quat::from_rotation_y(std::f32::consts::FRAC_PI_2)),
            );
        }
    }
}

/// Carries out cues that show or hide things.
fn apply_world_cues(
    mut cues: MessageReader<CueIssued>,
    mut things: Query<(&ThingName, &mut Visibility), Without<Flame>>,
) {
    for CueIssued(cue) in cues.read() {
        let (name, show) = match cue {
            Cue::World(WorldCue::Show(name)) => (name, true),
            Cue::World(WorldCue::Hide(name)) => (name, false),
            _ => continue,
        };
        for (thing, mut vis) in &mut things {
            if &thing.0 == name {
                *vis = if show {
                    Visibility::Inherited
                } else {
                    Visibility::Hidden
                };
            }
        }
    }
}

/// Shows the candles as the world has them: set on the cake's sockets in order, and
/// burning while lit.
fn sync_candles(
    session: Option<Res<StorySession>>,
    mut candles: Query<(&CandleSlot, &mut Transform, &Children)>,
    cakes: Query<(&Transform, &CakeSockets), Without<CandleSlot>>,
    mut flames: Query<&mut Visibility, With<Flame>>,
) {
    let Some(s) = session else { return };
    let placed = s.session.stand_in.candles_placed();
    let lit = s.session.stand_in.candles_lit();
    let Some((cake, sockets)) = cakes.iter().next() else {
        return;
    };
    for (slot, mut t, children) in &mut candles {
        let on_cake = slot.0 < placed;
        if on_cake && let Some(local) = sockets.0.get(usize::from(slot.0)) {
            let target = cake.transform_point(*local);
            if t.translation != target {
                t.translation = target;
            }
        }
        for child in children.iter() {
            if let Ok(mut v) = flames.get_mut(child) {
                let want = if on_cake && lit {
                    Visibility::Inherited
                } else {
                    Visibility::Hidden
                };
                v.set_if_neq(want);
            }
        }
    }
}

/// What an actor is turned towards.
#[derive(Component, Debug, Clone)]
pub struct Facing(pub LookTarget);

/// How fast an actor turns to what she looks at, radians per second: unhurried.
pub const TURN_SPEED: f32 = 1.6;

/// Turns actors (about the vertical only) towards what the story says they look at.
/// The avatar issue adds head and eyes; this keeps the body facing the right way.
fn turn_to_look_targets(
    mut commands: Commands,
    time: Res<Time>,
    mut cues: MessageReader<CueIssued>,
    mut actors: Query<(Entity, &ActorBody, &mut Transform, Option<&Facing>)>,
    things: Query<(&ThingName, &GlobalTransform), Without<ActorBody>>,
    head: Query<&GlobalTransform, With<ParticipantHead>>,
) {
    for CueIssued(cue) in cues.read() {
        let (Cue::LookAt(actor, target) | Cue::World(WorldCue::LookAt(actor, target))) = cue else {
            continue;
        };
        for (e, body, _, _) in &actors {
            if body.0 == *actor {
                commands.entity(e).insert(Facing(target.clone()));
            }
        }
    }
    let dt = time.delta_secs();
    for (_, _, mut t, facing) in &mut actors {
        let Some(Facing(target)) = facing else {
            continue;
        };
        let goal = match target {
            LookTarget::Participant => head.iter().next().map(GlobalTransform::translation),
            LookTarget::Thing(name) => things
                .iter()
                .find(|(n, _)| &n.0 == name)
                .map(|(_, g)| g.translation()),
        };
        let Some(goal) = goal else { continue };
        let to = goal - t.translation;
        if to.xz().length() < 0.05 {
            continue;
        }
        // Forward is -z: yaw so that -z points at the goal.
        let want = Quat::from_rotation_y(f32::atan2(-to.x, -to.z));
        let angle = t.rotation.angle_between(want);
        if angle > 1e-3 {
            let step = (TURN_SPEED * dt / angle).min(1.0);
            t.rotation = t.rotation.slerp(want, step);
        }
    }
}

fn sway_balloons(time: Res<Time>, mut balloons: Query<(&Sway, &mut Transform, &ThingName)>) {
    let t = time.elapsed_secs();
    for (sway, mut tr, _) in &mut balloons {
        let a = (t * 0.7 + sway.phase).sin() * 0.05;
        let b = (t * 0.53 + sway.phase * 1.3).cos() * 0.04;
        tr.rotation = Quat::from_rotation_z(a) * Quat::from_rotation_x(b);
    }
}

fn flicker_flames(time: Res<Time>, mut flames: Query<(&mut Transform, &Visibility), With<Flame>>) {
    let t = time.elapsed_secs();
    for (i, (mut tr, vis)) in flames.iter_mut().enumerate() {
        if *vis == Visibility::Hidden {
            continue;
        }
        let f = 1.0 + 0.15 * (t * 11.0 + i as f32 * 1.7).sin() * (t * 7.3 + i as f32).cos();
        tr.scale = Vec3::new(1.0, 1.8 * f, 1.0);
    }
}
