//! Places on stage: which places are there, spawning what a scene file describes,
//! and what changes in them while the story plays (things shown and hidden, candles
//! set and lit, balloons swaying, flames flickering).
//!
//! Everything spawned for a place carries [`PlaceScoped`]; leaving the place despawns
//! exactly that. Every thing gets a root entity with its [`ThingName`] and transform
//! even without a renderer (headless runs and tests see the same entities); with a
//! renderer, its parts are built by `scenery.rs` as children.
//!
//! Which place is on stage follows the director: during a transition the old place
//! stays until the transition is half done (the screen is then fully faded), then the
//! new one appears.

use std::sync::Arc;

use bevy::prelude::*;
use reunion_story::director::Cue;
use reunion_story::story::{PlaceId, Story, ThingId, ThingKind, Transition, WorldCue};

use crate::components::{
    ActorBody, Bounds, CakeSockets, CandleSlot, Flame, HeadHeight, OnStage, PlaceScoped, ThingName,
    ThingRef, facing_rotation,
};
use crate::look_at::turn_to_look_targets;
use crate::scenery::{build_thing, spawn_environment};
use crate::session::{CueIssued, StorySession};
use crate::shapes::{Kit, Parts, ShapeCache};
use crate::transition::{TransitionView, track_transition};
use crate::{PlaceSystems, StageSystems};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<OnStage>()
        .init_resource::<ShapeCache>()
        .init_resource::<TransitionView>()
        .add_systems(
            Update,
            (
                track_transition,
                rebuild_for_rehearsal,
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

/// Balloons sway gently.
#[derive(Component)]
struct Sway {
    phase: f32,
}

/// After a jump the place is built anew, for the world as rehearsed to be set in it
/// (see `reunion_hands::rehearsed`), whether or not it was already on stage.
fn rebuild_for_rehearsal(mut cues: MessageReader<CueIssued>, mut on_stage: ResMut<OnStage>) {
    if cues
        .read()
        .any(|CueIssued(c)| matches!(c, Cue::WorldAsRehearsed(_)))
    {
        on_stage.story = None;
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
    // A place whose models are still loading does not take the stage yet: the
    // transition's cover stays up meanwhile (see `models.rs`).
    let ready = |p: PlaceId| {
        kit.as_ref()
            .is_none_or(|k| k.gltf.is_none() || k.models.ready(&k.server, story, p))
    };
    let (place, leaving) = match &view.active {
        Some(t) if t.swaps_now() && !ready(t.to) => (on_stage.place, on_stage.leaving),
        Some(t) if t.swaps_now() => {
            let leaving = (matches!(t.transition, Transition::Dissolve { .. }) && !t.fade_in_only)
                .then_some(t.from)
                .flatten();
            (Some(t.to), leaving)
        }
        // Until the swap, the place being left stays.
        Some(t) => (t.from, None),
        None => match s.session.director.place() {
            Some(p) if !ready(p) => (on_stage.place, on_stage.leaving),
            p => (p, None),
        },
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
    for (index, thing) in p.things.iter().enumerate() {
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
                ThingRef(ThingId {
                    place,
                    index: index as u16,
                }),
                PlaceScoped(place),
                transform,
                visibility,
            ))
            .id();
        // Its box, as the checker measured it (its shapes' own box replaces it when
        // they are built): headless runs know where it is too.
        if let Some(b) = thing.bounds {
            commands.entity(root).insert(Bounds {
                min: b.min,
                max: b.max,
            });
        }
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
            ThingKind::Cake { .. } => {
                let sockets = thing.sockets.iter().map(|s| s.at * thing.scale).collect();
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
            if let ThingKind::Model { file } = &thing.kind {
                kit.spawn_model(commands, root, file, thing.scale, place);
                // A flame it carries: the catalogue's candle flame, where the story
                // puts it.
                if let Some(flame) = thing.flame {
                    let mut parts = Parts::new(kit, place);
                    parts.scale = thing.scale;
                    crate::scenery::build_flame(&mut parts, flame.at);
                    parts.spawn_parts_only(commands, root);
                }
            } else {
                let mut parts = Parts::new(kit, place);
                parts.scale = thing.scale;
                build_thing(&mut parts, &thing.kind);
                parts.spawn(commands, root);
            }
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
        // A flame is a ball stretched 1.8 times upwards; its width is its thing's scale.
        let s = tr.scale.x;
        tr.scale = Vec3::new(s, 1.8 * s * f, s);
    }
}
