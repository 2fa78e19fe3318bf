//! Flames: the birthday candles lit, flickering and blown out, and any thing that
//! carries a flame (a lantern), lit and put out by cues.
//!
//! The story's `LightCandles` cue lights every candle standing in a socket; `Light`
//! and `PutOut` light and put out the flames of the things they name; a thing whose
//! flame starts lit burns from the start. Lit flames show and flicker, and a warm
//! light glows over a cake with burning candles.
//! When the participant leans in, the head within [`BLOW_REACH`] of the flames for
//! [`BLOW_SECONDS`], they go out with a small puff of smoke and `CandlesBlownOut`
//! goes to the director. (In flat mode `B` leans in for her: the puppeteer moves the
//! head, and the same detector sees it.)

use bevy::prelude::*;
use reunion_stage::components::{CakeSockets, CandleSlot, Flame, PlaceScoped, ThingRef};
use reunion_stage::presence::ParticipantHead;
use reunion_stage::session::{CueIssued, ReportStoryEvent, StorySession};
use reunion_story::director::{Cue, StoryEvent};
use reunion_story::story::WorldCue;

use crate::props::{Socketed, thing_of};

/// How near the flames the head must come to blow them out, metres.
pub const BLOW_REACH: f32 = 0.4;
/// How long the head must stay that near, seconds: a breath, not a glance.
pub const BLOW_SECONDS: f32 = 0.6;
/// The flame's height above a candle's base.
pub const FLAME_HEIGHT: f32 = 0.082;

/// A burning flame (a candle, a lantern), on the thing that carries it.
#[derive(Component, Debug, Clone, Copy)]
pub struct Lit;

/// How long the head has been near the flames.
#[derive(Resource, Default, Debug)]
pub struct BlowDetector {
    pub near_for: f32,
}

/// The warm light over a cake with burning candles.
#[derive(Component)]
pub struct CakeGlow;

/// A puff of smoke rising from a candle that went out.
#[derive(Component)]
pub struct Smoke {
    age: f32,
    material: Handle<StandardMaterial>,
}

const SMOKE_SECONDS: f32 = 2.5;

/// `LightCandles` lights the candles in a socket; `Light` and `PutOut` light and put
/// out the things they name; a flame that starts lit burns when its thing appears.
pub(crate) fn light_on_cue(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    mut cues: MessageReader<CueIssued>,
    candles: Query<Entity, (With<CandleSlot>, With<Socketed>, Without<Lit>)>,
    things: Query<(Entity, &ThingRef, Has<Lit>)>,
    added: Query<(Entity, &ThingRef), Added<ThingRef>>,
) {
    let Some(s) = session else {
        cues.clear();
        return;
    };
    let story = s.story();
    let carries_flame = |id: &ThingRef| thing_of(story, id.0).and_then(|t| t.flame);
    for (e, id) in &added {
        if carries_flame(id).is_some_and(|f| f.lit) {
            commands.entity(e).insert(Lit);
        }
    }
    for CueIssued(cue) in cues.read() {
        match cue {
            Cue::World(WorldCue::LightCandles) => {
                for c in &candles {
                    commands.entity(c).insert(Lit);
                }
            }
            Cue::World(WorldCue::Light(set)) => {
                for (e, id, lit) in &things {
                    if set.contains(id.0) && !lit && carries_flame(id).is_some() {
                        commands.entity(e).insert(Lit);
                    }
                }
            }
            Cue::World(WorldCue::PutOut(set)) => {
                for (e, id, lit) in &things {
                    if set.contains(id.0) && lit {
                        commands.entity(e).remove::<Lit>();
                    }
                }
            }
            _ => {}
        }
    }
}

/// Leaning in close blows the candles out.
pub(crate) fn detect_blowing(
    mut commands: Commands,
    time: Res<Time>,
    head: Single<&GlobalTransform, With<ParticipantHead>>,
    lit: Query<(Entity, &Transform, &PlaceScoped), (With<CandleSlot>, With<Lit>)>,
    mut detector: ResMut<BlowDetector>,
    mut report: MessageWriter<ReportStoryEvent>,
    mut puffs: Option<ResMut<Assets<StandardMaterial>>>,
    meshes: Option<ResMut<Assets<Mesh>>>,
) {
    if lit.is_empty() {
        detector.near_for = 0.0;
        return;
    }
    let n = lit.iter().count() as f32;
    let flames = lit
        .iter()
        .map(|(_, t, _)| t.translation + Vec3::Y * FLAME_HEIGHT)
        .sum::<Vec3>()
        / n;
    if head.translation().distance(flames) > BLOW_REACH {
        detector.near_for = 0.0;
        return;
    }
    detector.near_for += time.delta_secs();
    if detector.near_for < BLOW_SECONDS {
        return;
    }
    detector.near_for = 0.0;
    report.write(ReportStoryEvent(StoryEvent::CandlesBlownOut));
    let mut meshes = meshes;
    for (c, t, scope) in &lit {
        commands.entity(c).remove::<Lit>();
        if let (Some(materials), Some(meshes)) = (puffs.as_deref_mut(), meshes.as_deref_mut()) {
            let material = materials.add(StandardMaterial {
                base_color: Color::srgba(0.92, 0.92, 0.95, 0.7),
                alpha_mode: AlphaMode::Blend,
                perceptual_roughness: 1.0,
                ..default()
            });
            commands.spawn((
                Name::new("smoke"),
                Smoke {
                    age: 0.0,
                    material: material.clone(),
                },
                *scope,
                Mesh3d(meshes.add(Sphere::new(0.018).mesh().uv(10, 8))),
                MeshMaterial3d(material),
                Transform::from_translation(t.translation + Vec3::Y * (FLAME_HEIGHT + 0.01)),
            ));
        }
    }
}

/// Smoke rises, spreads and fades.
pub(crate) fn drift_smoke(
    mut commands: Commands,
    time: Res<Time>,
    mut smoke: Query<(Entity, &mut Smoke, &mut Transform)>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let dt = time.delta_secs();
    for (e, mut s, mut t) in &mut smoke {
        s.age += dt;
        let k = s.age / SMOKE_SECONDS;
        if k >= 1.0 {
            commands.entity(e).despawn();
            continue;
        }
        t.translation.y += 0.12 * dt;
        t.translation.x += 0.02 * (s.age * 5.0).sin() * dt;
        t.scale = Vec3::splat(1.0 + 3.0 * k);
        if let Some(mut m) = materials.get_mut(&s.material) {
            m.base_color.set_alpha(0.7 * (1.0 - k) * (1.0 - k));
        }
    }
}

/// Flames show on burning things; a warm light glows over the cake while candles
/// burn.
pub(crate) fn show_flames(
    mut commands: Commands,
    time: Res<Time>,
    carriers: Query<(Has<Lit>, Has<CandleSlot>, &Children), With<ThingRef>>,
    mut flames: Query<&mut Visibility, With<Flame>>,
    cakes: Query<(Entity, &PlaceScoped), With<CakeSockets>>,
    mut glow: Query<(Entity, &mut PointLight), With<CakeGlow>>,
) {
    let mut any = false;
    for (lit, candle, children) in &carriers {
        any |= lit && candle;
        for child in children.iter() {
            if let Ok(mut v) = flames.get_mut(child) {
                v.set_if_neq(if lit {
                    Visibility::Inherited
                } else {
                    Visibility::Hidden
                });
            }
        }
    }
    if !any {
        for (e, _) in &glow {
            commands.entity(e).despawn();
        }
        return;
    }
    match glow.iter_mut().next() {
        Some((_, mut light)) => {
            let t = time.elapsed_secs();
            let f = 1.0 + 0.12 * (t * 9.0).sin() * (t * 5.3).cos() + 0.05 * (t * 17.0).sin();
            light.intensity = 9_000.0 * f;
        }
        None => {
            for (cake, scope) in &cakes {
                commands.entity(cake).with_children(|c| {
                    c.spawn((
                        Name::new("candle glow"),
                        CakeGlow,
                        *scope,
                        PointLight {
                            color: Color::srgb(1.0, 0.75, 0.45),
                            intensity: 9_000.0,
                            range: 3.0,
                            shadow_maps_enabled: false,
                            ..default()
                        },
                        Transform::from_xyz(0.0, 0.35, 0.0),
                    ));
                });
            }
        }
    }
}
