//! What edit mode shows: a box of yellow edges around the selected thing (white
//! around the one under the cursor), a disc with a pointer for the place's start mark
//! (green) and for each marker (blue), and the hint at the top left with the keys and what the
//! last action did.

use std::sync::Arc;

use bevy::prelude::*;

use super::{Editing, START_BOX, Target, target_name, vec};
use crate::components::{Bounds, HeadHeight, OnStage, ThingRef, facing_rotation};
use crate::screen::SubtitleFont;
use crate::session::StorySession;

/// The keys, on the hint line.
pub const EDIT_KEYS: &str = "EDIT MODE (F2 leaves)\nclick a thing or the start mark · drag it\n\
     wheel or [ ] turns it (Shift: 1°)\nCtrl+S saves to the scene file · Ctrl+Z undoes";

/// Meshes and materials edit mode draws with.
#[derive(Resource)]
pub(super) struct EditLook {
    bar: Handle<Mesh>,
    disc: Handle<Mesh>,
    selected: Handle<StandardMaterial>,
    hovered: Handle<StandardMaterial>,
    start: Handle<StandardMaterial>,
    marker: Handle<StandardMaterial>,
}

/// A box of edges around a thing; `selected` or under the cursor.
#[derive(Component)]
pub(super) struct Highlight {
    selected: bool,
    /// The size its edges were built for.
    size: Vec3,
}

/// A disc showing a start mark or a marker.
#[derive(Component)]
pub(super) struct MarkDisc;

#[derive(Component)]
pub(super) struct HintPanel;

#[derive(Component)]
pub(super) struct HintStatus;

fn unlit(color: Color, materials: &mut Assets<StandardMaterial>) -> Handle<StandardMaterial> {
    materials.add(StandardMaterial {
        base_color: color,
        unlit: true,
        alpha_mode: AlphaMode::Blend,
        ..default()
    })
}

pub(super) fn spawn_view(
    mut commands: Commands,
    meshes: Option<ResMut<Assets<Mesh>>>,
    materials: Option<ResMut<Assets<StandardMaterial>>>,
    font: Option<Res<SubtitleFont>>,
) {
    let (Some(mut meshes), Some(mut materials)) = (meshes, materials) else {
        return;
    };
    let look = EditLook {
        bar: meshes.add(Cuboid::new(1.0, 1.0, 1.0)),
        disc: meshes.add(Cylinder::new(0.3, 0.02)),
        selected: unlit(Color::srgba(1.0, 0.85, 0.2, 0.95), &mut materials),
        hovered: unlit(Color::srgba(1.0, 1.0, 1.0, 0.6), &mut materials),
        start: unlit(Color::srgba(0.35, 0.95, 0.55, 0.75), &mut materials),
        marker: unlit(Color::srgba(0.45, 0.7, 1.0, 0.75), &mut materials),
    };
    for selected in [true, false] {
        commands.spawn((
            Name::new("edit highlight"),
            Highlight {
                selected,
                size: Vec3::ZERO,
            },
            Transform::default(),
            Visibility::Hidden,
        ));
    }
    commands.insert_resource(look);
    let font = font.map_or_else(TextFont::default, |f| f.text(14.0));
    commands
        .spawn((
            HintPanel,
            // Where the key list was (it steps aside in edit mode), clear of subtitles.
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(10.0),
                left: Val::Px(10.0),
                ..default()
            },
            GlobalZIndex(16),
            Visibility::Hidden,
        ))
        .with_children(|b| {
            b.spawn((
                Node {
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    max_width: Val::Px(460.0),
                    padding: UiRect::axes(Val::Px(12.0), Val::Px(5.0)),
                    border_radius: BorderRadius::all(Val::Px(6.0)),
                    ..default()
                },
                BackgroundColor(Color::srgba(0.12, 0.09, 0.0, 0.72)),
            ))
            .with_children(|b| {
                b.spawn((
                    Text::new(EDIT_KEYS),
                    TextLayout::justify(Justify::Center),
                    font.clone(),
                    TextColor(Color::srgb(1.0, 0.87, 0.4)),
                ));
                b.spawn((
                    HintStatus,
                    Text::new(""),
                    TextLayout::justify(Justify::Center),
                    font,
                    TextColor(Color::srgba(1.0, 1.0, 1.0, 0.92)),
                ));
            });
        });
}

/// The box to outline for `target` and where it stands.
fn outline_of(
    editing: &Editing,
    story: &reunion_story::story::Story,
    target: Target,
    things: &Query<
        (
            &ThingRef,
            &GlobalTransform,
            Option<&Bounds>,
            Option<&HeadHeight>,
        ),
        Without<ChildOf>,
    >,
) -> Option<(Vec3, Vec3, Transform)> {
    let Some(index) = target.thing else {
        let pose = editing.pose(story, target);
        return Some((
            START_BOX.0,
            START_BOX.1,
            Transform::from_translation(vec(pose.at)).with_rotation(facing_rotation(pose.facing)),
        ));
    };
    let (_, g, b, h) = things
        .iter()
        .find(|(r, ..)| r.0.place == target.place && r.0.index == index)?;
    let (min, max) = match (b, h) {
        (Some(b), _) => (b.min, b.max),
        (None, Some(h)) => (
            Vec3::new(-0.25, 0.0, -0.25),
            Vec3::new(0.25, h.0 + 0.12, 0.25),
        ),
        (None, None) => (Vec3::new(-0.3, 0.0, -0.3), Vec3::new(0.3, 0.08, 0.3)),
    };
    // Where it was just put (its transform follows a frame later).
    let root = editing.shown(target).map_or_else(
        || g.compute_transform(),
        |p| Transform::from_translation(vec(p.at)).with_rotation(facing_rotation(p.facing)),
    );
    Some((min, max, root))
}

/// The twelve edges of a box of `size` centred on the origin, as (centre, size).
fn edges(size: Vec3, thickness: f32) -> Vec<(Vec3, Vec3)> {
    let h = size / 2.0;
    let mut out = Vec::with_capacity(12);
    for a in [-1.0, 1.0] {
        for b in [-1.0, 1.0] {
            out.push((
                Vec3::new(0.0, a * h.y, b * h.z),
                Vec3::new(size.x + thickness, thickness, thickness),
            ));
            out.push((
                Vec3::new(a * h.x, 0.0, b * h.z),
                Vec3::new(thickness, size.y + thickness, thickness),
            ));
            out.push((
                Vec3::new(a * h.x, b * h.y, 0.0),
                Vec3::new(thickness, thickness, size.z + thickness),
            ));
        }
    }
    out
}

pub(super) fn show_highlights(
    mut commands: Commands,
    editing: Res<Editing>,
    look: Option<Res<EditLook>>,
    session: Option<Res<StorySession>>,
    things: Query<
        (
            &ThingRef,
            &GlobalTransform,
            Option<&Bounds>,
            Option<&HeadHeight>,
        ),
        Without<ChildOf>,
    >,
    mut highlights: Query<
        (Entity, &mut Highlight, &mut Transform, &mut Visibility),
        Without<ThingRef>,
    >,
) {
    let (Some(look), Some(s)) = (look, session) else {
        return;
    };
    let story = Arc::clone(s.story());
    for (e, mut h, mut t, mut v) in &mut highlights {
        let target = if h.selected {
            editing.selected
        } else {
            editing.hovered.filter(|t| Some(*t) != editing.selected)
        };
        let outline = target
            .filter(|_| editing.on)
            .and_then(|target| outline_of(&editing, &story, target, &things));
        let Some((min, max, root)) = outline else {
            v.set_if_neq(Visibility::Hidden);
            continue;
        };
        v.set_if_neq(Visibility::Inherited);
        let size = max - min;
        let centre = root.transform_point((min + max) / 2.0);
        *t = Transform::from_translation(centre).with_rotation(root.rotation);
        if (size - h.size).abs().max_element() > 1e-3 {
            h.size = size;
            let material = if h.selected {
                look.selected.clone()
            } else {
                look.hovered.clone()
            };
            let thickness = if h.selected { 0.025 } else { 0.012 };
            commands.entity(e).despawn_children().with_children(|b| {
                for (at, scale) in edges(size, thickness) {
                    b.spawn((
                        Mesh3d(look.bar.clone()),
                        MeshMaterial3d(material.clone()),
                        Transform::from_translation(at).with_scale(scale),
                    ));
                }
            });
        }
    }
}

/// The start mark of the place on stage, and its markers, as discs with a pointer
/// (the way they face), while edit mode is on.
pub(super) fn show_marks(
    mut commands: Commands,
    editing: Res<Editing>,
    look: Option<Res<EditLook>>,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    things: Query<(&ThingRef, &GlobalTransform), Without<ChildOf>>,
    mut discs: Query<(&mut Transform, &mut Visibility), With<MarkDisc>>,
    mut pool: Local<Vec<(Entity, bool)>>,
) {
    let (Some(look), Some(s)) = (look, session) else {
        return;
    };
    let story = s.story();
    let mut wanted: Vec<(Transform, bool)> = Vec::new();
    if editing.on
        && let Some(place) = on_stage.place
    {
        let start = editing.pose(story, Target { place, thing: None });
        wanted.push((
            Transform::from_translation(vec(start.at)).with_rotation(facing_rotation(start.facing)),
            true,
        ));
        for (r, g) in &things {
            let target = Target {
                place,
                thing: Some(r.0.index),
            };
            if r.0.place == place && super::is_marker(story, target) {
                wanted.push((g.compute_transform(), false));
            }
        }
    }
    for (i, (t, start)) in wanted.iter().enumerate() {
        if pool.len() <= i || pool[i].1 != *start {
            let material = if *start {
                look.start.clone()
            } else {
                look.marker.clone()
            };
            let e = commands
                .spawn((
                    Name::new("edit mark"),
                    MarkDisc,
                    lifted(*t),
                    Visibility::Inherited,
                    Mesh3d(look.disc.clone()),
                    MeshMaterial3d(material.clone()),
                ))
                .with_children(|b| {
                    // A pointer the way it faces (-z in its own space).
                    b.spawn((
                        Mesh3d(look.bar.clone()),
                        MeshMaterial3d(material),
                        Transform::from_xyz(0.0, 0.0, -0.35)
                            .with_scale(Vec3::new(0.06, 0.025, 0.4)),
                    ));
                })
                .id();
            if pool.len() <= i {
                pool.push((e, *start));
            } else {
                commands.entity(pool[i].0).despawn();
                pool[i] = (e, *start);
            }
            continue;
        }
        if let Ok((mut tr, mut v)) = discs.get_mut(pool[i].0) {
            *tr = lifted(*t);
            v.set_if_neq(Visibility::Inherited);
        }
    }
    for (e, _) in pool.iter().skip(wanted.len()) {
        if let Ok((_, mut v)) = discs.get_mut(*e) {
            v.set_if_neq(Visibility::Hidden);
        }
    }
}

/// A disc a little above where it marks, over a path or a rug.
fn lifted(t: Transform) -> Transform {
    t.with_translation(t.translation + Vec3::Y * 0.04)
}

pub(super) fn show_hint(
    editing: Res<Editing>,
    session: Option<Res<StorySession>>,
    mut panel: Query<&mut Visibility, With<HintPanel>>,
    mut status: Query<(&mut Text, &mut TextColor), With<HintStatus>>,
) {
    for mut v in &mut panel {
        v.set_if_neq(if editing.on {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
    }
    if !editing.on {
        return;
    }
    let Some(s) = session else { return };
    let story = s.story();
    let mut parts = Vec::new();
    if let Some(t) = editing.selected {
        let p = editing.pose(story, t);
        parts.push(format!(
            "{} · at ({:.2}, {:.2}, {:.2}) · facing {:.0}°",
            target_name(story, t),
            p.at.0,
            p.at.1,
            p.at.2,
            p.facing
        ));
    }
    let error = editing.message.as_ref().is_some_and(|m| m.1);
    if let Some((m, _)) = &editing.message {
        parts.push(m.clone());
    }
    let unsaved = editing.unsaved();
    if unsaved > 0 {
        parts.push(format!("{unsaved} not saved"));
    }
    if parts.is_empty() {
        parts.push("nothing selected".into());
    }
    let line = parts.join(" · ");
    for (mut text, mut color) in &mut status {
        if text.0 != line {
            text.0 = line.clone();
        }
        let c = if error {
            Color::srgb(1.0, 0.45, 0.4)
        } else {
            Color::srgba(1.0, 1.0, 1.0, 0.92)
        };
        if color.0 != c {
            color.0 = c;
        }
    }
}
