//! The shape kit: the render assets a place is built with, and the parts a thing is
//! made of.
//!
//! A part is a box, cylinder, sphere, plane or plain mesh with a material. Boxes and
//! cylinders are one unit mesh each, scaled per part, and alike meshes and materials
//! are shared through [`ShapeCache`], so parts of one material draw as one batch (seven
//! candles, a window's bars). [`Parts`] collects one thing's parts, grows its
//! [`Bounds`] from them and spawns them under the thing's root.

use bevy::prelude::*;
use reunion_story::story::{PlaceId, Rgb};

use crate::components::{Bounds, Flame, PlaceScoped};

/// The render assets, when there is a renderer.
#[derive(bevy::ecs::system::SystemParam)]
pub struct Kit<'w> {
    pub(crate) meshes: ResMut<'w, Assets<Mesh>>,
    pub(crate) materials: ResMut<'w, Assets<StandardMaterial>>,
    pub(crate) shapes: ResMut<'w, ShapeCache>,
    pub(crate) clear: ResMut<'w, ClearColor>,
    pub(crate) ambient: ResMut<'w, GlobalAmbientLight>,
    pub(crate) server: Res<'w, AssetServer>,
    pub(crate) models: ResMut<'w, crate::models::ModelLibrary>,
    /// Present when glTF files can be loaded (a renderer's app).
    pub(crate) gltf: Option<Res<'w, Assets<bevy::gltf::Gltf>>>,
}

impl Kit<'_> {
    /// Puts a model's scene under `root`, when models can be shown here.
    pub(crate) fn spawn_model(
        &mut self,
        commands: &mut Commands,
        root: Entity,
        file: &std::path::Path,
        scale: f32,
        place: PlaceId,
    ) {
        if self.gltf.is_some() {
            crate::models::spawn_model(
                commands,
                &mut self.models,
                &self.server,
                root,
                file,
                scale,
                place,
            );
        }
    }
}

/// Shapes and materials already made: parts that look alike share one mesh and one
/// material, so the renderer draws them as one batch (seven candles, two eyes).
/// Materials are kept per place, since a dissolve fades one place's materials only.
#[derive(Resource, Default)]
pub struct ShapeCache {
    meshes: std::collections::HashMap<u64, Handle<Mesh>>,
    /// Meshes by what their shape is (a unit box, a ball of a radius), with their box:
    /// a place built again does not build, bound and hash the same meshes again (a
    /// place's parts cost 8 ms to build in the frame it appears, most of it that).
    by_shape: std::collections::HashMap<ShapeKey, (Handle<Mesh>, Option<Bounds>)>,
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
pub(crate) fn rgb(c: Rgb) -> Color {
    Color::linear_rgb(c.red, c.green, c.blue)
}

/// What a part's unit mesh is, when the shape can say so without building it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ShapeKey {
    UnitCuboid,
    UnitCylinder,
    /// A [`ball`] of this radius (its bits).
    Ball(u32),
}

/// A part's shape as a mesh of unit size and the scale that gives it its size: boxes
/// and cylinders of every size then share one mesh, so the parts of one material draw
/// as one batch (a window's bars, a table's top and legs, the balloons' strings).
pub(crate) trait PartShape {
    fn unit(self) -> (Mesh, Vec3);

    /// What its unit mesh is and the scale, when known without building it.
    fn key(&self) -> Option<(ShapeKey, Vec3)> {
        None
    }
}

impl PartShape for Cuboid {
    fn unit(self) -> (Mesh, Vec3) {
        (Cuboid::from_length(1.0).into(), self.size())
    }

    fn key(&self) -> Option<(ShapeKey, Vec3)> {
        Some((ShapeKey::UnitCuboid, self.size()))
    }
}

impl PartShape for Cylinder {
    fn unit(self) -> (Mesh, Vec3) {
        (
            Cylinder::new(1.0, 1.0).into(),
            Vec3::new(self.radius, self.half_height * 2.0, self.radius),
        )
    }

    fn key(&self) -> Option<(ShapeKey, Vec3)> {
        Some((
            ShapeKey::UnitCylinder,
            Vec3::new(self.radius, self.half_height * 2.0, self.radius),
        ))
    }
}

/// A [`ball`] as a part's shape, known by its radius.
pub(crate) struct Ball(pub f32);

impl PartShape for Ball {
    fn unit(self) -> (Mesh, Vec3) {
        (ball(self.0), Vec3::ONE)
    }

    fn key(&self) -> Option<(ShapeKey, Vec3)> {
        Some((ShapeKey::Ball(self.0.to_bits()), Vec3::ONE))
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
pub(crate) struct Parts<'a, 'w> {
    pub(crate) kit: &'a mut Kit<'w>,
    pub(crate) place: PlaceId,
    pub(crate) parts: Vec<(Handle<Mesh>, Handle<StandardMaterial>, Transform, bool)>,
    /// The thing's scale: each part is scaled about the thing's origin.
    pub(crate) scale: f32,
    pub(crate) bounds: Option<Bounds>,
}

impl<'a, 'w> Parts<'a, 'w> {
    pub(crate) fn new(kit: &'a mut Kit<'w>, place: PlaceId) -> Self {
        Self {
            kit,
            place,
            parts: Vec::new(),
            scale: 1.0,
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

    pub(crate) fn material(&mut self, color: Color, rough: f32) -> Handle<StandardMaterial> {
        self.cached_material(color, rough, 0.0)
    }

    pub(crate) fn glow(&mut self, color: Color, strength: f32) -> Handle<StandardMaterial> {
        self.cached_material(color, 0.5, strength)
    }

    pub(crate) fn add(
        &mut self,
        shape: impl PartShape,
        mat: Handle<StandardMaterial>,
        t: Transform,
    ) {
        self.push_shape(shape, mat, t, false);
    }

    /// A shape's mesh from the cache when the shape says what it is; built otherwise.
    fn push_shape(
        &mut self,
        shape: impl PartShape,
        mat: Handle<StandardMaterial>,
        t: Transform,
        flame: bool,
    ) {
        if let Some((key, scale)) = shape.key()
            && let Some((mesh, bounds)) = self.kit.shapes.by_shape.get(&key).cloned()
        {
            self.push_built(mesh, bounds, mat, t.with_scale(t.scale * scale), flame);
            return;
        }
        let key = shape.key().map(|(k, _)| k);
        let (mesh, scale) = shape.unit();
        let (handle, bounds) = self.build(mesh);
        if let Some(key) = key {
            self.kit
                .shapes
                .by_shape
                .insert(key, (handle.clone(), bounds));
        }
        self.push_built(handle, bounds, mat, t.with_scale(t.scale * scale), flame);
    }

    pub(crate) fn add_flame(
        &mut self,
        shape: impl PartShape,
        mat: Handle<StandardMaterial>,
        t: Transform,
    ) {
        self.push_shape(shape, mat, t, true);
    }

    /// The mesh's handle (shared with alike meshes) and its own box.
    fn build(&mut self, mesh: Mesh) -> (Handle<Mesh>, Option<Bounds>) {
        use bevy::camera::primitives::MeshAabb;
        let bounds = mesh.compute_aabb().map(|aabb| Bounds {
            min: Vec3::from(aabb.min()),
            max: Vec3::from(aabb.max()),
        });
        (self.kit.shapes.mesh(&mut self.kit.meshes, mesh), bounds)
    }

    fn push_built(
        &mut self,
        m: Handle<Mesh>,
        mesh_bounds: Option<Bounds>,
        mat: Handle<StandardMaterial>,
        t: Transform,
        flame: bool,
    ) {
        let t = Transform {
            translation: t.translation * self.scale,
            rotation: t.rotation,
            scale: t.scale * self.scale,
        };
        if let Some(b) = mesh_bounds {
            let local = b.transformed(&GlobalTransform::from(t));
            match &mut self.bounds {
                Some(b) => b.grow(&local),
                None => self.bounds = Some(local),
            }
        }
        self.parts.push((m, mat, t, flame));
    }

    pub(crate) fn solid(&mut self, shape: impl PartShape, color: Color, t: Transform) {
        let mat = self.material(color, 0.85);
        self.add(shape, mat, t);
    }

    /// Spawns the shapes under `root`, and gives `root` their [`Bounds`].
    pub(crate) fn spawn(self, commands: &mut Commands, root: Entity) {
        if let Some(b) = self.bounds {
            commands.entity(root).insert(b);
        }
        self.spawn_parts_only(commands, root);
    }

    /// Spawns the shapes under `root`, leaving its [`Bounds`] as they are (a model's
    /// flame: the model's box stays the thing's).
    pub(crate) fn spawn_parts_only(self, commands: &mut Commands, root: Entity) {
        let place = self.place;
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

/// A sphere light enough for a headset's budget: Bevy's default sphere is an
/// icosphere of 20,480 triangles; this one has 24 × 14 quads (about 650 triangles).
pub fn ball(radius: f32) -> Mesh {
    Sphere::new(radius).mesh().uv(24, 14)
}

pub(crate) fn at(x: f32, y: f32, z: f32) -> Transform {
    Transform::from_xyz(x, y, z)
}

impl Parts<'_, '_> {
    /// Spawns the parts as one scoped group with no thing of its own (and no
    /// [`Bounds`]: the ground and the sky are not things to keep clear of).
    pub(crate) fn spawn_scoped(mut self, commands: &mut Commands) {
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
