//! Building the default avatar from a cast entry's look: a rig of joint entities
//! (always, so headless runs animate the same skeleton) and, with a renderer, soft
//! shapes on it: a round head with a bob or pigtails and a fringe, big dark eyes with
//! glints and lids, brows, a mouth that curves and opens, rosy cheeks, a dress with
//! puffed sleeves and a collar, arms with mitten hands and a thumb, socks and shoes.

use bevy::prelude::*;
use reunion_stage::components::PlaceScoped;
use reunion_stage::shapes::{ShapeCache, ball};
use reunion_story::format::HairStyle;
use reunion_story::story::{Look, Rgb};

use crate::body::Proportions;

/// The joints of a built avatar, on the actor's root entity.
#[derive(Component, Debug, Clone)]
pub struct Rig {
    pub body: Entity,
    pub pelvis: Entity,
    pub chest: Entity,
    pub head: Entity,
    /// Upper arm, forearm, hand; right then left.
    pub arms: [[Entity; 3]; 2],
    /// Thigh, shin, foot; right then left.
    pub legs: [[Entity; 3]; 2],
}

/// A moving part of the face, placed from its rest transform each frame.
#[derive(Component, Debug, Clone, Copy)]
pub struct FacePart {
    pub kind: FaceKind,
    /// +1 her right, -1 her left, 0 the middle.
    pub side: f32,
    pub rest: Transform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceKind {
    Eye,
    Glint,
    Brow,
    Cheek,
    /// One of the segments of the mouth's line, `0..MOUTH_SEGMENTS`.
    Mouth(u8),
    MouthInside,
}

/// The mouth's line is drawn with this many short segments.
pub const MOUTH_SEGMENTS: u8 = 4;

fn rgb(c: Rgb) -> Color {
    Color::linear_rgb(c.red, c.green, c.blue)
}

/// Render assets, when there is a renderer.
pub struct Paint<'a> {
    pub meshes: &'a mut Assets<Mesh>,
    pub materials: &'a mut Assets<StandardMaterial>,
    /// Alike shapes share a mesh (the two eyes, the mouth's segments), so they draw
    /// as one batch.
    pub shapes: &'a mut ShapeCache,
}

impl Paint<'_> {
    fn mat(&mut self, color: Color, rough: f32) -> Handle<StandardMaterial> {
        self.materials.add(StandardMaterial {
            base_color: color,
            perceptual_roughness: rough,
            reflectance: 0.3,
            ..default()
        })
    }
}

/// One avatar's palette.
struct Palette {
    skin: Handle<StandardMaterial>,
    hair: Handle<StandardMaterial>,
    top: Handle<StandardMaterial>,
    trim: Handle<StandardMaterial>,
    shoe: Handle<StandardMaterial>,
    eye: Handle<StandardMaterial>,
    glint: Handle<StandardMaterial>,
    blush: Handle<StandardMaterial>,
    lip: Handle<StandardMaterial>,
    inside: Handle<StandardMaterial>,
}

/// Spawns shapes as children of joints.
struct Shaper<'p, 'a> {
    paint: Option<&'p mut Paint<'a>>,
    palette: Option<Palette>,
    scope: PlaceScoped,
    /// Parts that never move on their joint, merged into one mesh per joint and
    /// material at the end: fewer draw calls.
    fixed: Vec<(Entity, Handle<StandardMaterial>, Mesh)>,
}

impl Shaper<'_, '_> {
    /// A part that stays put on its joint (merged with its neighbours of the same
    /// material).
    fn shape(
        &mut self,
        parent: Entity,
        mesh: impl Into<Mesh>,
        pick: fn(&Palette) -> &Handle<StandardMaterial>,
        t: Transform,
    ) {
        let Some(palette) = self.palette.as_ref() else {
            return;
        };
        let material = pick(palette).clone();
        self.fixed
            .push((parent, material, mesh.into().transformed_by(t)));
    }

    /// Spawns the merged fixed parts.
    fn finish(mut self, commands: &mut Commands) {
        let Some(paint) = self.paint.as_deref_mut() else {
            return;
        };
        let mut merged: Vec<(Entity, Handle<StandardMaterial>, Mesh)> = Vec::new();
        for (parent, material, mesh) in self.fixed.drain(..) {
            let into = merged
                .iter_mut()
                .find(|(p, m, _)| *p == parent && *m == material);
            let done = match into {
                Some((_, _, whole)) => whole.merge(&mesh).is_ok(),
                None => false,
            };
            if !done {
                merged.push((parent, material, mesh));
            }
        }
        for (parent, material, mesh) in merged {
            let mesh = paint.shapes.mesh(paint.meshes, mesh);
            let e = commands
                .spawn((
                    Mesh3d(mesh),
                    MeshMaterial3d(material),
                    Transform::IDENTITY,
                    self.scope,
                ))
                .id();
            commands.entity(parent).add_child(e);
        }
    }

    /// A part that moves by itself.
    fn part(
        &mut self,
        commands: &mut Commands,
        parent: Entity,
        mesh: impl Into<Mesh>,
        pick: fn(&Palette) -> &Handle<StandardMaterial>,
        t: Transform,
    ) -> Option<Entity> {
        let paint = self.paint.as_deref_mut()?;
        let palette = self.palette.as_ref()?;
        let mesh = paint.shapes.mesh(paint.meshes, mesh.into());
        let e = commands
            .spawn((
                Mesh3d(mesh),
                MeshMaterial3d(pick(palette).clone()),
                t,
                self.scope,
            ))
            .id();
        commands.entity(parent).add_child(e);
        Some(e)
    }

    fn face(
        &mut self,
        commands: &mut Commands,
        head: Entity,
        mesh: impl Into<Mesh>,
        pick: fn(&Palette) -> &Handle<StandardMaterial>,
        part: FacePart,
    ) {
        if let Some(e) = self.part(commands, head, mesh, pick, part.rest) {
            commands.entity(e).insert(part);
        }
    }
}

fn joint(
    commands: &mut Commands,
    parent: Entity,
    name: &str,
    t: Transform,
    scope: PlaceScoped,
) -> Entity {
    let e = commands
        .spawn((Name::new(name.to_owned()), t, Visibility::Inherited, scope))
        .id();
    commands.entity(parent).add_child(e);
    e
}

/// Where a point on the face sits on a head of radius `r`: `(x, y)` across the face,
/// pushed out by `out`.
pub fn on_face(r: f32, x: f32, y: f32, out: f32) -> Vec3 {
    let z = (r * r - x * x - y * y).max(0.0).sqrt();
    Vec3::new(x, y, -(z + out))
}

/// Builds the avatar under `root` and returns its rig.
pub fn build_avatar(
    commands: &mut Commands,
    root: Entity,
    look: &Look,
    scope: PlaceScoped,
    paint: Option<&mut Paint>,
) -> Rig {
    let p = Proportions::from_height(look.height);
    let h = p.height;
    let palette = paint.as_ref().map(|_| ());
    let mut shaper = Shaper {
        fixed: Vec::new(),
        palette: None,
        paint,
        scope,
    };
    if palette.is_some()
        && let Some(paint) = shaper.paint.as_deref_mut()
    {
        let glint = paint.materials.add(StandardMaterial {
            base_color: Color::WHITE,
            emissive: LinearRgba::rgb(1.5, 1.5, 1.5),
            ..default()
        });
        shaper.palette = Some(Palette {
            skin: paint.mat(rgb(look.skin), 0.75),
            hair: paint.mat(rgb(look.hair), 0.45),
            top: paint.mat(rgb(look.top), 0.9),
            trim: paint.mat(rgb(look.bottom), 0.9),
            shoe: paint.mat(Color::srgb(0.93, 0.45, 0.55), 0.5),
            eye: paint.mat(rgb(look.eyes).darker(0.05), 0.2),
            glint,
            blush: paint.mat(Color::srgb(0.98, 0.62, 0.64), 0.9),
            lip: paint.mat(Color::srgb(0.72, 0.3, 0.33), 0.6),
            inside: paint.mat(Color::srgb(0.45, 0.12, 0.16), 0.9),
        });
    }

    let body = joint(commands, root, "body", Transform::IDENTITY, scope);
    let pelvis = joint(
        commands,
        body,
        "pelvis",
        Transform::from_xyz(0.0, p.hip_y, 0.0),
        scope,
    );
    let chest = joint(
        commands,
        pelvis,
        "chest",
        Transform::from_xyz(0.0, p.waist_y - p.hip_y, 0.0),
        scope,
    );
    let head = joint(
        commands,
        chest,
        "head",
        Transform::from_xyz(0.0, p.neck_y - p.waist_y, 0.0),
        scope,
    );
    let bone = |commands: &mut Commands, parent, name: &str| {
        joint(commands, parent, name, Transform::IDENTITY, scope)
    };
    let arms = [("right", 1.0f32), ("left", -1.0)].map(|(side, _)| {
        [
            bone(commands, chest, &format!("{side} upper arm")),
            bone(commands, chest, &format!("{side} forearm")),
            bone(commands, chest, &format!("{side} hand")),
        ]
    });
    let legs = [("right", 1.0f32), ("left", -1.0)].map(|(side, _)| {
        [
            bone(commands, pelvis, &format!("{side} thigh")),
            bone(commands, pelvis, &format!("{side} shin")),
            bone(commands, pelvis, &format!("{side} foot")),
        ]
    });

    // ── Legs: skin, white socks, shoes with a strap.
    for leg in &legs {
        let r = 0.034 * h;
        shaper.shape(
            leg[0],
            Capsule3d::new(r, p.thigh - r),
            |c| &c.skin,
            Transform::from_xyz(0.0, -p.thigh / 2.0, 0.0),
        );
        shaper.shape(
            leg[1],
            Capsule3d::new(r * 0.9, p.shin * 0.45),
            |c| &c.skin,
            Transform::from_xyz(0.0, -p.shin * 0.3, 0.0),
        );
        shaper.shape(
            leg[1],
            Capsule3d::new(r * 0.95, p.shin * 0.35),
            |c| &c.trim,
            Transform::from_xyz(0.0, -p.shin * 0.72, 0.0),
        );
        shaper.shape(
            leg[2],
            ball(0.045 * h),
            |c| &c.shoe,
            Transform::from_xyz(0.0, -p.ankle * 0.35, -0.025 * h)
                .with_scale(Vec3::new(0.85, 0.6, 1.55)),
        );
        shaper.shape(
            leg[2],
            Torus::new(0.004 * h, 0.036 * h),
            |c| &c.shoe,
            Transform::from_xyz(0.0, p.ankle * 0.1, 0.0),
        );
    }

    // ── Dress: a flared skirt on the pelvis, a bodice on the chest, a collar.
    let skirt_len = p.waist_y - p.hip_y + 0.14 * h;
    shaper.shape(
        pelvis,
        ConicalFrustum {
            radius_top: 0.105 * h,
            radius_bottom: 0.19 * h,
            height: skirt_len,
        },
        |c| &c.top,
        Transform::from_xyz(0.0, (p.waist_y - p.hip_y) - skirt_len / 2.0, 0.0)
            .with_scale(Vec3::new(1.0, 1.0, 0.85)),
    );
    shaper.shape(
        pelvis,
        Torus::new(0.008 * h, 0.185 * h),
        |c| &c.trim,
        Transform::from_xyz(0.0, (p.waist_y - p.hip_y) - skirt_len + 0.01 * h, 0.0)
            .with_scale(Vec3::new(1.0, 1.0, 0.85)),
    );
    let chest_h = p.shoulder_y - p.waist_y;
    shaper.shape(
        chest,
        Capsule3d::new(0.1 * h, chest_h * 0.6),
        |c| &c.top,
        Transform::from_xyz(0.0, chest_h * 0.45, 0.0).with_scale(Vec3::new(1.05, 1.0, 0.75)),
    );
    shaper.shape(
        chest,
        Cylinder::new(0.06 * h, 0.012 * h),
        |c| &c.trim,
        Transform::from_xyz(0.0, chest_h + 0.012 * h, -0.004 * h)
            .with_scale(Vec3::new(1.25, 1.0, 0.95)),
    );
    for s in [1.0, -1.0] {
        // A bow-like collar point on each side of the neck.
        shaper.shape(
            chest,
            ball(0.03 * h),
            |c| &c.trim,
            Transform::from_xyz(s * 0.035 * h, chest_h - 0.01 * h, -0.06 * h)
                .with_rotation(Quat::from_rotation_z(s * 0.5))
                .with_scale(Vec3::new(1.4, 0.6, 0.5)),
        );
    }

    // ── Arms: a puffed sleeve, a slim arm, a mitten hand with a thumb.
    for (i, arm) in arms.iter().enumerate() {
        let s = if i == 0 { 1.0 } else { -1.0 };
        let r = 0.025 * h;
        shaper.shape(
            arm[0],
            ball(0.05 * h),
            |c| &c.top,
            Transform::from_xyz(0.0, -0.035 * h, 0.0).with_scale(Vec3::new(1.0, 1.15, 1.0)),
        );
        shaper.shape(
            arm[0],
            Capsule3d::new(r, p.upper_arm - r),
            |c| &c.skin,
            Transform::from_xyz(0.0, -p.upper_arm / 2.0, 0.0),
        );
        shaper.shape(
            arm[1],
            Capsule3d::new(r * 0.9, p.forearm - r),
            |c| &c.skin,
            Transform::from_xyz(0.0, -p.forearm / 2.0, 0.0),
        );
        shaper.shape(
            arm[2],
            ball(p.hand),
            |c| &c.skin,
            Transform::from_xyz(0.0, -p.hand * 0.8, 0.0).with_scale(Vec3::new(0.75, 1.15, 0.5)),
        );
        shaper.shape(
            arm[2],
            Capsule3d::new(p.hand * 0.28, p.hand * 0.5),
            |c| &c.skin,
            Transform::from_xyz(-s * p.hand * 0.55, -p.hand * 0.5, -p.hand * 0.25)
                .with_rotation(Quat::from_rotation_z(s * 0.6)),
        );
    }

    // ── Head: neck, a round head, ears peeking out, hair.
    let r = p.head_radius;
    let c = Vec3::new(0.0, r, 0.0); // head centre from the neck pivot
    shaper.shape(
        head,
        Cylinder::new(0.028 * h, 0.07 * h),
        |c| &c.skin,
        Transform::from_xyz(0.0, -0.01 * h, 0.0),
    );
    shaper.shape(head, ball(r), |c| &c.skin, Transform::from_translation(c));
    for s in [1.0, -1.0] {
        shaper.shape(
            head,
            ball(r * 0.2),
            |c| &c.skin,
            Transform::from_translation(c + Vec3::new(s * r * 0.98, -r * 0.1, 0.0))
                .with_scale(Vec3::new(0.5, 1.0, 0.8)),
        );
    }
    // Hair: a cap over the top and back, a fringe across the forehead.
    shaper.shape(
        head,
        ball(r * 1.08),
        |c| &c.hair,
        Transform::from_translation(c + Vec3::new(0.0, r * 0.08, r * 0.1)),
    );
    // The fringe: a soft band across the forehead, a little uneven.
    for (x, y, tilt) in [
        (-0.42f32, 0.5f32, 0.3f32),
        (0.0, 0.56, 0.0),
        (0.42, 0.5, -0.3),
    ] {
        shaper.shape(
            head,
            ball(r * 0.42),
            |c| &c.hair,
            Transform::from_translation(c + on_face(r, x * r, y * r, -r * 0.2))
                .with_rotation(Quat::from_rotation_z(tilt))
                .with_scale(Vec3::new(1.25, 0.62, 0.7)),
        );
    }
    match look.hair_style {
        HairStyle::Bob | HairStyle::Short | HairStyle::Long => {
            // The bob's sides, falling to the jaw (further for long hair).
            let long = if look.hair_style == HairStyle::Long {
                1.8
            } else {
                1.0
            };
            for s in [1.0, -1.0] {
                shaper.shape(
                    head,
                    ball(r * 0.62),
                    |c| &c.hair,
                    Transform::from_translation(
                        c + Vec3::new(s * r * 0.72, -r * 0.3 * long, r * 0.12),
                    )
                    .with_scale(Vec3::new(0.6, 1.25 * long, 1.25)),
                );
            }
            shaper.shape(
                head,
                ball(r * 0.95),
                |c| &c.hair,
                Transform::from_translation(c + Vec3::new(0.0, -r * 0.32 * long, r * 0.42))
                    .with_scale(Vec3::new(1.12, 1.0 * long, 0.75)),
            );
        }
        HairStyle::Pigtails => {
            for s in [1.0, -1.0] {
                shaper.shape(
                    head,
                    ball(r * 0.42),
                    |c| &c.hair,
                    Transform::from_translation(c + Vec3::new(s * r * 1.12, -r * 0.25, r * 0.35))
                        .with_scale(Vec3::new(0.75, 1.5, 0.75)),
                );
                shaper.shape(
                    head,
                    ball(r * 0.12),
                    |c| &c.top,
                    Transform::from_translation(c + Vec3::new(s * r * 0.98, r * 0.22, r * 0.35)),
                );
            }
        }
        HairStyle::Ponytail => {
            shaper.shape(
                head,
                ball(r * 0.45),
                |c| &c.hair,
                Transform::from_translation(c + Vec3::new(0.0, -r * 0.2, r * 1.1))
                    .with_scale(Vec3::new(0.8, 1.7, 0.7)),
            );
        }
    }
    // A hair clip in her dress colour.
    shaper.shape(
        head,
        ball(r * 0.14),
        |c| &c.top,
        Transform::from_translation(c + Vec3::new(r * 0.62, r * 0.62, -r * 0.45))
            .with_scale(Vec3::new(1.4, 0.8, 0.8)),
    );

    // ── Face: big eyes set low, as a child's are; a small nose; brows; cheeks; mouth.
    let eye_y = -r * 0.08;
    for s in [1.0f32, -1.0] {
        let x = s * r * 0.36;
        let at = |dx: f32, dy: f32, out: f32| {
            Transform::from_translation(c + on_face(r, x + dx, eye_y + dy, out))
        };
        shaper.face(
            commands,
            head,
            ball(r * 0.15),
            |c| &c.eye,
            FacePart {
                kind: FaceKind::Eye,
                side: s,
                rest: at(0.0, 0.0, -r * 0.06).with_scale(Vec3::new(0.95, 1.3, 0.55)),
            },
        );
        shaper.face(
            commands,
            head,
            ball(r * 0.05),
            |c| &c.glint,
            FacePart {
                kind: FaceKind::Glint,
                side: s,
                rest: at(s * r * 0.04, r * 0.07, r * 0.005),
            },
        );
        shaper.face(
            commands,
            head,
            Capsule3d::new(r * 0.028, r * 0.2),
            |c| &c.hair,
            FacePart {
                kind: FaceKind::Brow,
                side: s,
                rest: at(0.0, r * 0.27, r * 0.005)
                    .with_rotation(Quat::from_rotation_z(std::f32::consts::FRAC_PI_2)),
            },
        );
        shaper.face(
            commands,
            head,
            ball(r * 0.15),
            |c| &c.blush,
            FacePart {
                kind: FaceKind::Cheek,
                side: s,
                rest: Transform::from_translation(
                    c + on_face(r * 1.02, s * r * 0.58, -r * 0.36, 0.0),
                )
                .with_scale(Vec3::new(1.0, 0.55, 0.35)),
            },
        );
    }
    shaper.shape(
        head,
        ball(r * 0.06),
        |c| &c.skin,
        Transform::from_translation(c + on_face(r * 1.05, 0.0, -r * 0.27, 0.0)),
    );
    let mouth_y = -r * 0.5;
    for i in 0..MOUTH_SEGMENTS {
        shaper.face(
            commands,
            head,
            Capsule3d::new(r * 0.026, r * 0.08),
            |c| &c.lip,
            FacePart {
                kind: FaceKind::Mouth(i),
                side: 0.0,
                rest: Transform::from_translation(c + on_face(r * 1.06, 0.0, mouth_y, 0.0)),
            },
        );
    }
    shaper.face(
        commands,
        head,
        ball(r * 0.14),
        |c| &c.inside,
        FacePart {
            kind: FaceKind::MouthInside,
            side: 0.0,
            rest: Transform::from_translation(c + on_face(r * 1.04, 0.0, mouth_y, 0.0)),
        },
    );

    shaper.finish(commands);
    Rig {
        body,
        pelvis,
        chest,
        head,
        arms,
        legs,
    }
}
