//! How passages between places look: the dissolve, the walk by the hand, the
//! butterfly. (The fade of every transition is drawn by the screen's fade cover.)
//!
//! All of it follows [`TransitionView::active`]'s progress, which follows the
//! director's clock: a held story holds the picture, and a lead whose hand was let go
//! stands still until the hand is taken again. The participant's head is never moved:
//! places fade and the child walks, the camera does not.
//!
//! | style | what happens |
//! | --- | --- |
//! | `Fade` | the screen fades to a colour, the place changes, it fades back |
//! | `Dissolve` | both places are on stage; one fades out as the other fades in |
//! | `LeadByHand` | she walks to the participant's side, the world brightens into light, the new place appears |
//! | `Butterfly` | she glows and fades; a butterfly rises from her, flutters around the participant, the world turns white, and it flies up into the open sky |

use std::collections::HashMap;

use bevy::prelude::*;
use reunion_story::director::{Cue, Phase};
use reunion_story::story::{PlaceId, Rgb, Transition};

use crate::components::{ActorBody, OnStage, PlaceScoped};
use crate::ease::smoothstep;
use crate::presence::ParticipantHead;
use crate::session::{CueIssued, StorySession};
use crate::{PlaceSystems, StageSystems, TransitionSystems};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (
            walk_beside_participant,
            (spawn_butterfly, fly_butterfly).chain(),
            (dissolve_places, glow_and_fade_actor)
                .run_if(resource_exists::<Assets<StandardMaterial>>),
        )
            .after(PlaceSystems)
            .in_set(TransitionSystems)
            .in_set(StageSystems::World),
    );
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
            Transition::LeadByHand { .. } => {
                smoothstep(p, 0.2, 0.5) * (1.0 - smoothstep(p, 0.5, 0.85))
            }
            // The butterfly flutters first; then white, then the open sky.
            Transition::Butterfly { .. } => {
                smoothstep(p, 0.3, 0.5) * (1.0 - smoothstep(p, 0.5, 0.75))
            }
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
            Transition::Fade { color, .. } => Color::linear_rgb(color.red, color.green, color.blue),
            Transition::Dissolve { .. } => Color::srgb(0.98, 0.96, 0.94),
            Transition::LeadByHand { .. } => Color::srgb(1.0, 0.97, 0.92),
            Transition::Butterfly { .. } => Color::WHITE,
        }
    }
}

/// Follows the director's transitions (and the operator's jumps, which the stage fades
/// by itself) into [`TransitionView`].
pub(crate) fn track_transition(
    time: Res<Time>,
    mut cues: MessageReader<CueIssued>,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    mut view: ResMut<TransitionView>,
) {
    // The place on stage as these cues leave it: a jump may enter a place and start
    // a transition from it in one frame (`--from` a `Go` node).
    let mut staged = on_stage.place;
    for CueIssued(cue) in cues.read() {
        match cue {
            Cue::StartTransition { place, transition } => {
                view.active = Some(ActiveTransition {
                    from: staged,
                    to: *place,
                    transition: transition.clone(),
                    fade_in_only: staged.is_none() || staged == Some(*place),
                    progress: 0.0,
                    own_clock: false,
                });
            }
            // Never a cut: a jump to another place fades through black.
            Cue::EnterPlace { place } if staged.is_some_and(|p| p != *place) => {
                view.active = Some(ActiveTransition {
                    from: staged,
                    to: *place,
                    transition: Transition::Fade {
                        color: Rgb::BLACK,
                        seconds: JUMP_FADE_SECONDS,
                    },
                    fade_in_only: false,
                    progress: 0.0,
                    own_clock: true,
                });
                staged = Some(*place);
            }
            // A session that begins in a place (resumed, or `--from`) fades in.
            Cue::EnterPlace { place } if staged.is_none() => {
                view.active = Some(ActiveTransition {
                    from: None,
                    to: *place,
                    transition: Transition::Fade {
                        color: Rgb::BLACK,
                        seconds: JUMP_FADE_SECONDS,
                    },
                    fade_in_only: true,
                    progress: 0.0,
                    own_clock: true,
                });
                staged = Some(*place);
            }
            Cue::EnterPlace { place } => {
                view.active = None;
                staged = Some(*place);
            }
            Cue::TransitionEnded { .. } => {
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

/// The butterfly of the farewell.
#[derive(Component)]
pub struct Butterfly {
    /// Where it came from: the actor's chest.
    pub origin: Vec3,
}

/// A wing of the butterfly, flapping about its body's long axis.
#[derive(Component)]
struct Wing {
    side: f32,
}

/// Where the leading actor started walking from.
#[derive(Component)]
struct WalkFrom(Vec3);

/// During a lead by the hand she walks, unhurried, to the participant's side and
/// stands facing the way they go.
fn walk_beside_participant(
    mut commands: Commands,
    view: Res<TransitionView>,
    head: Query<&GlobalTransform, With<ParticipantHead>>,
    mut actors: Query<(
        Entity,
        &ActorBody,
        &PlaceScoped,
        &mut Transform,
        Option<&WalkFrom>,
    )>,
) {
    let Some(t) = &view.active else { return };
    let Transition::LeadByHand { actor, .. } = t.transition else {
        return;
    };
    if t.swaps_now() {
        return;
    }
    let Some(head) = head.iter().next() else {
        return;
    };
    let forward = head
        .forward()
        .as_vec3()
        .with_y(0.0)
        .normalize_or(Vec3::NEG_Z);
    let right = Vec3::new(-forward.z, 0.0, forward.x);
    let feet = head.translation().with_y(0.0);
    // Half a step ahead and to the side: leading, within reach of the hand.
    let beside = feet + right * 0.4 + forward * 0.8;
    for (e, body, scoped, mut tr, from) in &mut actors {
        if body.0 != actor || Some(scoped.0) != t.from {
            continue;
        }
        let Some(WalkFrom(start)) = from else {
            commands.entity(e).insert(WalkFrom(tr.translation));
            continue;
        };
        let k = smoothstep(t.progress, 0.0, 0.3);
        // The avatar steps with the distance she covers; this only moves her.
        tr.translation = start.lerp(beside, k);
        let walking = k > 0.0 && k < 1.0;
        let heading = if walking { beside - *start } else { forward };
        if heading.length_squared() > 1e-4 {
            let want = Quat::from_rotation_y(f32::atan2(-heading.x, -heading.z));
            tr.rotation = tr.rotation.slerp(want, 0.1);
        }
    }
}

fn spawn_butterfly(
    mut commands: Commands,
    mut cues: MessageReader<CueIssued>,
    view: Res<TransitionView>,
    actors: Query<(&ActorBody, &GlobalTransform, &PlaceScoped)>,
    existing: Query<Entity, With<Butterfly>>,
    meshes: Option<ResMut<Assets<Mesh>>>,
    materials: Option<ResMut<Assets<StandardMaterial>>>,
) {
    let mut ended = false;
    for CueIssued(cue) in cues.read() {
        if matches!(cue, Cue::TransitionEnded { .. } | Cue::EnterPlace { .. }) {
            ended = true;
        }
    }
    if ended {
        for e in &existing {
            commands.entity(e).despawn();
        }
        return;
    }
    let Some(t) = &view.active else { return };
    let Transition::Butterfly { actor, .. } = t.transition else {
        return;
    };
    if !existing.is_empty() || t.progress < 0.1 {
        return;
    }
    let Some((_, at, _)) = actors
        .iter()
        .find(|(a, _, p)| a.0 == actor && Some(p.0) == t.from)
    else {
        return;
    };
    let origin = at.translation() + Vec3::Y * 0.8;
    let mut e = commands.spawn((
        Name::new("butterfly"),
        Butterfly { origin },
        Transform::from_translation(origin).with_scale(Vec3::splat(1.6)),
        Visibility::Inherited,
    ));
    let (Some(mut meshes), Some(mut materials)) = (meshes, materials) else {
        return;
    };
    let [(body, body_mat), (wing, wing_mat)] = butterfly_surfaces(&mut meshes, &mut materials);
    e.with_children(|c| {
        c.spawn((
            Mesh3d(body),
            MeshMaterial3d(body_mat),
            Transform::from_rotation(Quat::from_rotation_x(std::f32::consts::FRAC_PI_2)),
        ));
        for side in [-1.0f32, 1.0] {
            c.spawn((Wing { side }, Transform::default(), Visibility::Inherited))
                .with_children(|w| {
                    for (dz, sx, sz) in [(-0.012, 1.0, 0.8), (0.018, 0.7, 0.6)] {
                        w.spawn((
                            Mesh3d(wing.clone()),
                            MeshMaterial3d(wing_mat.clone()),
                            Transform::from_xyz(side * 0.028, 0.0, dz)
                                .with_scale(Vec3::new(sx, 0.08, sz)),
                        ));
                    }
                });
        }
    });
}

/// The butterfly's body and wing: each mesh with its material (the wings glow and
/// are seen from both sides). Also what `warm_places` warms ahead of a farewell.
pub fn butterfly_surfaces(
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
) -> [(Handle<Mesh>, Handle<StandardMaterial>); 2] {
    let body_mat = materials.add(StandardMaterial {
        base_color: Color::srgb(0.25, 0.2, 0.3),
        ..default()
    });
    let wing_color = Color::srgb(1.0, 0.88, 0.55);
    let wing_mat = materials.add(StandardMaterial {
        base_color: wing_color,
        emissive: LinearRgba::from(wing_color) * 2.5,
        double_sided: true,
        cull_mode: None,
        ..default()
    });
    let body = meshes.add(Capsule3d::new(0.006, 0.03));
    let wing = meshes.add(crate::shapes::ball(0.03));
    [(body, body_mat), (wing, wing_mat)]
}

/// Where the butterfly is at a point of the transition: out of her chest, around the
/// participant's head, then up into the sky.
pub fn butterfly_position(origin: Vec3, head: Vec3, progress: f32) -> Vec3 {
    let p = progress;
    // A lazy figure of eight in front of the participant, at arm's length.
    let flutter = |a: f32| {
        head + Vec3::new(
            a.sin() * 0.55,
            -0.12 + (a * 2.0).sin() * 0.12,
            -0.75 + (a * 2.0).cos() * 0.15,
        )
    };
    if p < 0.22 {
        // Out of her chest, towards the participant.
        let k = smoothstep(p, 0.1, 0.22);
        origin.lerp(flutter(0.0), k)
    } else if p < 0.5 {
        flutter((p - 0.22) / 0.28 * std::f32::consts::TAU * 1.5)
    } else {
        // In the open sky: rising and drifting away ahead.
        let k = (p - 0.5) / 0.5;
        head + Vec3::new(0.3 * (k * 6.0).sin(), 0.1 + k * k * 3.5, -1.2 - k * 8.0)
    }
}

fn fly_butterfly(
    time: Res<Time>,
    view: Res<TransitionView>,
    head: Query<&GlobalTransform, With<ParticipantHead>>,
    mut butterflies: Query<(&Butterfly, &mut Transform), Without<Wing>>,
    mut wings: Query<(&Wing, &mut Transform), Without<Butterfly>>,
) {
    let Some(t) = &view.active else { return };
    let head = head
        .iter()
        .next()
        .map_or(Vec3::new(0.0, 1.6, 0.0), GlobalTransform::translation);
    for (b, mut tr) in &mut butterflies {
        let pos = butterfly_position(b.origin, head, t.progress);
        // It grows as it flies off, so it stays a butterfly and not a speck.
        tr.scale = Vec3::splat(1.6 + smoothstep(t.progress, 0.5, 1.0) * 4.0);
        let ahead = butterfly_position(b.origin, head, (t.progress + 0.01).min(1.0)) - pos;
        tr.translation = pos;
        if ahead.length_squared() > 1e-6 {
            tr.look_to(ahead, Vec3::Y);
        }
    }
    let beat = (time.elapsed_secs() * 13.0).sin();
    for (w, mut tr) in &mut wings {
        tr.rotation = Quat::from_rotation_z(w.side * (0.2 + 0.9 * beat));
    }
}

/// The alpha each place's materials should have now.
fn place_alphas(view: &TransitionView, on_stage: &OnStage) -> Vec<(PlaceId, f32)> {
    let mut out = Vec::new();
    let dissolve = view
        .active
        .as_ref()
        .filter(|t| matches!(t.transition, Transition::Dissolve { .. }) && !t.fade_in_only);
    if let Some(p) = on_stage.place {
        out.push((
            p,
            dissolve.map_or(1.0, |t| smoothstep(t.progress, 0.0, 1.0)),
        ));
    }
    if let Some(p) = on_stage.leaving {
        out.push((
            p,
            dissolve.map_or(0.0, |t| 1.0 - smoothstep(t.progress, 0.0, 1.0)),
        ));
    }
    out
}

pub(crate) fn set_alpha(m: &mut StandardMaterial, alpha: f32) {
    m.base_color.set_alpha(alpha);
    m.alpha_mode = if alpha >= 0.999 {
        AlphaMode::Opaque
    } else {
        AlphaMode::Blend
    };
}

/// During a dissolve, the place being left fades out as the new one fades in.
fn dissolve_places(
    view: Res<TransitionView>,
    on_stage: Res<OnStage>,
    parts: Query<(&PlaceScoped, &MeshMaterial3d<StandardMaterial>)>,
    added: Query<&PlaceScoped, Added<PlaceScoped>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut applied: Local<HashMap<PlaceId, f32>>,
) {
    for p in &added {
        applied.remove(&p.0);
    }
    for (place, alpha) in place_alphas(&view, &on_stage) {
        if applied
            .get(&place)
            .is_some_and(|a| (a - alpha).abs() < 0.01)
        {
            continue;
        }
        if !applied.contains_key(&place) && alpha >= 0.999 {
            // Freshly spawned and fully shown: nothing to change.
            applied.insert(place, alpha);
            continue;
        }
        for (scoped, mat) in &parts {
            if scoped.0 == place
                && let Some(mut m) = materials.get_mut(&mat.0)
            {
                set_alpha(&mut m, alpha);
            }
        }
        applied.insert(place, alpha);
    }
}

/// In the farewell she glows softly and fades as the butterfly leaves her.
fn glow_and_fade_actor(
    view: Res<TransitionView>,
    actors: Query<(Entity, &ActorBody, &PlaceScoped)>,
    children: Query<&Children>,
    parts: Query<&MeshMaterial3d<StandardMaterial>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut base: Local<HashMap<AssetId<StandardMaterial>, (Color, LinearRgba)>>,
) {
    let Some(t) = &view.active else {
        base.clear();
        return;
    };
    let Transition::Butterfly { actor, .. } = t.transition else {
        return;
    };
    let glow = smoothstep(t.progress, 0.0, 0.12);
    let alpha = 1.0 - smoothstep(t.progress, 0.12, 0.3);
    for (root, body, scoped) in &actors {
        if body.0 != actor || Some(scoped.0) != t.from {
            continue;
        }
        for child in children.iter_descendants(root) {
            let Ok(mat) = parts.get(child) else { continue };
            let Some(mut m) = materials.get_mut(&mat.0) else {
                continue;
            };
            let (color, emissive) = *base.entry(mat.0.id()).or_insert((m.base_color, m.emissive));
            let warm = LinearRgba::from(color) * 1.5 + LinearRgba::rgb(0.6, 0.5, 0.3);
            m.emissive = emissive + warm * glow;
            m.base_color = color;
            set_alpha(&mut m, alpha);
        }
    }
}
