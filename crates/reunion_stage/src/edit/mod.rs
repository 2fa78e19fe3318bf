//! Edit mode in the flat window: place things with the mouse and have the scene file
//! follow.
//!
//! `F2` toggles it (its keys and what it did show at the top left meanwhile, where the
//! participant's key list was). A click selects the
//! thing under the cursor (a yellow box shows it) or the place's start mark (the
//! green disc where the participant starts); dragging moves it over the floor, onto a
//! table or a bed when dropped over one ([`pick::surface_under`]); the wheel or `[`
//! `]` turn it (15° a step, 1° with Shift). `Ctrl+S` saves every move into its scene
//! file, `Ctrl+Z` undoes the last move (saved or not: undone, it waits for the next
//! `Ctrl+S`). The hot reload then rebuilds the place from the file.
//!
//! The rewriting is `reunion_story::placement_edit` (pure, tested on tricky
//! formatting); saving refuses a file changed on disk since the first move in it and
//! writes atomically. Errors show on the hint line, and the story keeps playing.
//!
//! While edit mode is on, the mouse is the author's, not the participant's hands
//! (`reunion_hands` leaves it alone; see [`editing`]).

pub mod pick;
mod view;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use bevy::input::mouse::{AccumulatedMouseScroll, MouseScrollUnit};
use bevy::math::Affine3A;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use reunion_story::placement_edit::{self, Mark, Pose, SaveError};
use reunion_story::story::{PlaceId, Story, ThingKind};

use crate::components::{ActorBody, Bounds, HeadHeight, OnStage, ThingRef, facing_rotation};
use crate::config::StageConfig;
use crate::presence::ParticipantHead;
use crate::session::StorySession;
use crate::{PlaceSystems, StageSystems};
use pick::PickBox;

/// The key that turns edit mode on and off.
pub const EDIT_KEY: KeyCode = KeyCode::F2;

/// Degrees a wheel step or `[` `]` turns (with Shift: one degree).
pub const TURN_STEP: f32 = 15.0;

/// Edit mode for the flat window (see the module docs).
pub struct EditPlugin;

impl Plugin for EditPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Editing>()
            .add_systems(Startup, view::spawn_view.after(crate::FontSystems))
            .add_systems(
                Update,
                (
                    (
                        toggle_edit_mode,
                        (pick_and_drag, turn_selected, save_or_undo)
                            .chain()
                            .run_if(editing),
                    )
                        .chain()
                        .in_set(StageSystems::Input),
                    (show_moves, note_reloaded_moves)
                        .chain()
                        .after(PlaceSystems)
                        .in_set(StageSystems::World),
                    (view::show_highlights, view::show_marks, view::show_hint)
                        .in_set(StageSystems::Ui),
                ),
            );
    }
}

/// A run condition: edit mode is on (the participant's mouse hands stay still).
pub fn editing(editing: Option<Res<Editing>>) -> bool {
    editing.is_some_and(|e| e.on)
}

/// What can be moved: a thing of a place, or the place's start mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    pub place: PlaceId,
    /// The thing's index in its place; `None`: the start mark.
    pub thing: Option<u16>,
}

/// A move made in edit mode, for undo.
#[derive(Clone, Copy, Debug)]
struct Move {
    target: Target,
    before: Pose,
    turn: bool,
}

/// A drag under way.
#[derive(Clone, Copy, Debug)]
struct Drag {
    target: Target,
    /// The level the cursor's ray is followed on.
    level: f32,
    /// From the point grabbed to the thing's origin, on that level.
    offset: Vec3,
    before: Pose,
    now: Pose,
    /// It rested on a surface when picked up: it follows the surfaces it crosses.
    rests: bool,
}

/// Edit mode's state.
#[derive(Resource, Default)]
pub struct Editing {
    pub on: bool,
    pub selected: Option<Target>,
    /// Under the cursor.
    pub hovered: Option<Target>,
    drag: Option<Drag>,
    /// Placements moved in the window and not saved yet.
    pending: HashMap<Target, Pose>,
    /// Placements saved, until the reload brings them back in the story.
    saved: HashMap<Target, Pose>,
    /// The story that was running when they were saved.
    saved_over: Option<Arc<Story>>,
    history: Vec<Move>,
    /// Each scene file's text when the first move in it was made.
    loaded: HashMap<PathBuf, String>,
    /// What the hint line says besides the keys: (text, is an error).
    pub message: Option<(String, bool)>,
}

impl Editing {
    /// Moves not saved yet.
    pub fn unsaved(&self) -> usize {
        self.pending.len()
    }

    /// Where `target` stands now in the window: dragged, moved, saved, or as the
    /// story has it.
    pub fn pose(&self, story: &Story, target: Target) -> Pose {
        if let Some(d) = self.drag.filter(|d| d.target == target) {
            return d.now;
        }
        if let Some(p) = self.pending.get(&target).or(self.saved.get(&target)) {
            return *p;
        }
        file_pose(story, target)
    }

    /// A placement moved in the window, other than the story's.
    fn shown(&self, target: Target) -> Option<Pose> {
        if let Some(d) = self.drag.filter(|d| d.target == target) {
            return Some(d.now);
        }
        self.pending
            .get(&target)
            .or(self.saved.get(&target))
            .copied()
    }

    fn record(&mut self, story: &Story, folder: &std::path::Path, m: Move, after: Pose) {
        let merge = m.turn
            && self
                .history
                .last()
                .is_some_and(|last| last.turn && last.target == m.target);
        if !merge {
            self.history.push(m);
        }
        self.pending.insert(m.target, after);
        let path = folder.join(&story.place(m.target.place).file);
        if let std::collections::hash_map::Entry::Vacant(slot) = self.loaded.entry(path) {
            match std::fs::read_to_string(slot.key()) {
                Ok(text) => {
                    slot.insert(text);
                }
                Err(e) => {
                    self.message =
                        Some((format!("cannot read {}: {e}", slot.key().display()), true));
                }
            }
        }
    }
}

/// The placement the story has for `target`.
pub fn file_pose(story: &Story, target: Target) -> Pose {
    let place = story.place(target.place);
    match target.thing.and_then(|i| place.things.get(usize::from(i))) {
        Some(t) => Pose {
            at: t.at,
            facing: t.facing,
        },
        None => Pose {
            at: place.start.at,
            facing: place.start.facing,
        },
    }
}

/// What `target` is called on the hint line and in messages.
pub fn target_name(story: &Story, target: Target) -> String {
    match target.thing {
        Some(i) => story
            .place(target.place)
            .things
            .get(usize::from(i))
            .map_or_else(|| "a thing".into(), |t| t.id.replace('_', " ")),
        None => "the start mark".into(),
    }
}

fn vec(at: (f32, f32, f32)) -> Vec3 {
    Vec3::new(at.0, at.1, at.2)
}

/// The box a start mark is picked by, in its own space.
const START_BOX: (Vec3, Vec3) = (Vec3::new(-0.35, 0.0, -0.35), Vec3::new(0.35, 0.08, 0.35));
/// The box of a marker (no body), in its own space.
const MARKER_BOX: (Vec3, Vec3) = (Vec3::new(-0.3, 0.0, -0.3), Vec3::new(0.3, 0.08, 0.3));

fn toggle_edit_mode(keys: Res<ButtonInput<KeyCode>>, mut editing: ResMut<Editing>) {
    if !keys.just_pressed(EDIT_KEY) {
        return;
    }
    editing.on = !editing.on;
    editing.drag = None;
    editing.hovered = None;
    if !editing.on {
        editing.selected = None;
    }
    let unsaved = editing.unsaved();
    info!(
        "edit mode {}{}",
        if editing.on { "on" } else { "off" },
        if unsaved > 0 {
            format!(" ({unsaved} moves not saved)")
        } else {
            String::new()
        }
    );
}

/// The things of the place on stage the cursor can pick: thing roots.
type Pickable<'a> = (
    &'a ThingRef,
    &'a GlobalTransform,
    Option<&'a Bounds>,
    Option<&'a HeadHeight>,
    &'a InheritedVisibility,
    Has<ActorBody>,
);

/// Every box the cursor may pick in `place`, the start mark's too.
fn pick_boxes(
    story: &Story,
    editing: &Editing,
    place: PlaceId,
    things: &Query<Pickable, Without<ChildOf>>,
) -> Vec<(Target, PickBox)> {
    let mut boxes = Vec::new();
    for (r, g, bounds, head, visible, _) in things {
        if r.0.place != place || !visible.get() {
            continue;
        }
        let (min, max) = match (bounds, head) {
            (Some(b), _) => (b.min, b.max),
            // A member of the cast: a column up to the eyes.
            (None, Some(h)) => (
                Vec3::new(-0.25, 0.0, -0.25),
                Vec3::new(0.25, h.0 + 0.12, 0.25),
            ),
            (None, None) => MARKER_BOX,
        };
        let target = Target {
            place,
            thing: Some(r.0.index),
        };
        boxes.push((
            target,
            PickBox {
                min,
                max,
                to_world: g.affine(),
            },
        ));
    }
    let start = Target { place, thing: None };
    let pose = editing.pose(story, start);
    boxes.push((
        start,
        PickBox {
            min: START_BOX.0,
            max: START_BOX.1,
            to_world: Affine3A::from_rotation_translation(
                facing_rotation(pose.facing),
                vec(pose.at),
            ),
        },
    ));
    boxes
}

/// World boxes of the things of `place` something may be set on (not `except`, not
/// the cast).
fn surfaces(
    place: PlaceId,
    except: Target,
    things: &Query<Pickable, Without<ChildOf>>,
) -> Vec<(Vec3, Vec3)> {
    things
        .iter()
        .filter(|(r, _, _, _, visible, actor)| {
            r.0.place == place && !actor && visible.get() && Some(r.0.index) != except.thing
        })
        .filter_map(|(_, g, b, _, _, _)| b.map(|b| b.transformed(g)))
        .map(|b| (b.min, b.max))
        .collect()
}

fn pick_and_drag(
    window: Single<&Window, With<PrimaryWindow>>,
    camera: Single<(&Camera, &GlobalTransform), With<ParticipantHead>>,
    mouse: Res<ButtonInput<MouseButton>>,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    config: Res<StageConfig>,
    mut editing: ResMut<Editing>,
    things: Query<Pickable, Without<ChildOf>>,
) {
    let (Some(s), Some(place)) = (session, on_stage.place) else {
        return;
    };
    let story = Arc::clone(s.story());
    let (cam, cam_g) = *camera;
    let ray = window
        .cursor_position()
        .and_then(|c| cam.viewport_to_world(cam_g, c).ok());
    let Some(ray) = ray else {
        editing.hovered = None;
        return;
    };
    let (origin, dir) = (ray.origin, *ray.direction);
    let boxes = pick_boxes(&story, &editing, place, &things);
    let under = pick::first_hit(origin, dir, boxes.iter().copied());
    editing.hovered = under;
    if mouse.just_pressed(MouseButton::Left) {
        editing.selected = under;
        editing.drag = None;
        if let Some(target) = under {
            let pose = editing.pose(&story, target);
            let at = vec(pose.at);
            let ground = surfaces(place, target, &things);
            let rests = pick::rests_on_surface(at.x, at.y, at.z, &ground);
            if let Some(hit) = pick::on_level(origin, dir, at.y) {
                editing.drag = Some(Drag {
                    target,
                    level: at.y,
                    offset: at - hit,
                    before: pose,
                    now: pose,
                    rests,
                });
            }
            let name = target_name(&story, target);
            info!("edit: selected {name}");
            editing.message = Some((format!("{name} selected"), false));
        }
    }
    let Some(mut drag) = editing.drag else {
        return;
    };
    if let Some(hit) = pick::on_level(origin, dir, drag.level) {
        let p = hit + drag.offset;
        let y = if drag.rests {
            pick::surface_under(p.x, p.z, &surfaces(place, drag.target, &things))
        } else {
            drag.before.at.1
        };
        drag.now.at = (p.x, y, p.z);
    }
    editing.drag = Some(drag);
    if !mouse.pressed(MouseButton::Left) {
        editing.drag = None;
        if drag.now != drag.before {
            let Some(folder) = config.folder.clone() else {
                return;
            };
            let name = target_name(&story, drag.target);
            editing.record(
                &story,
                &folder,
                Move {
                    target: drag.target,
                    before: drag.before,
                    turn: false,
                },
                drag.now,
            );
            let at = drag.now.at;
            info!(
                "edit: moved {name} to ({:.2}, {:.2}, {:.2})",
                at.0, at.1, at.2
            );
            if editing.message.as_ref().is_none_or(|m| !m.1) {
                editing.message = Some((
                    format!("moved {name} · Ctrl+S saves · Ctrl+Z undoes"),
                    false,
                ));
            }
        }
    }
}

fn turn_selected(
    keys: Res<ButtonInput<KeyCode>>,
    scroll: Res<AccumulatedMouseScroll>,
    session: Option<Res<StorySession>>,
    config: Res<StageConfig>,
    mut editing: ResMut<Editing>,
    mut wheel: Local<f32>,
) {
    let notches = match scroll.unit {
        MouseScrollUnit::Line => scroll.delta.y,
        MouseScrollUnit::Pixel => scroll.delta.y / 40.0,
    };
    *wheel += notches;
    let steps = wheel.trunc();
    *wheel -= steps;
    let fine = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let step = if fine { 1.0 } else { TURN_STEP };
    let mut by = steps * step;
    if keys.just_pressed(KeyCode::BracketRight) {
        by += step;
    }
    if keys.just_pressed(KeyCode::BracketLeft) {
        by -= step;
    }
    let (Some(s), Some(target)) = (session, editing.selected) else {
        return;
    };
    if by == 0.0 {
        return;
    }
    let story = Arc::clone(s.story());
    if let Some(d) = editing.drag.as_mut().filter(|d| d.target == target) {
        d.now.facing = pick::turned(d.now.facing, by);
        return;
    }
    let Some(folder) = config.folder.clone() else {
        return;
    };
    let before = editing.pose(&story, target);
    let after = Pose {
        facing: pick::turned(before.facing, by),
        ..before
    };
    editing.record(
        &story,
        &folder,
        Move {
            target,
            before,
            turn: true,
        },
        after,
    );
    let name = target_name(&story, target);
    info!("edit: turned {name} to face {:.0}°", after.facing);
    editing.message = Some((
        format!("turned {name} · Ctrl+S saves · Ctrl+Z undoes"),
        false,
    ));
}

fn save_or_undo(
    keys: Res<ButtonInput<KeyCode>>,
    session: Option<ResMut<StorySession>>,
    config: Res<StageConfig>,
    mut editing: ResMut<Editing>,
) {
    // At a few frames a second Ctrl may be down and up within one frame.
    let controls = [KeyCode::ControlLeft, KeyCode::ControlRight];
    let ctrl = keys.any_pressed(controls)
        || keys.any_just_pressed(controls)
        || keys.any_just_released(controls);
    if !ctrl {
        return;
    }
    let (Some(mut s), Some(folder)) = (session, config.folder.clone()) else {
        return;
    };
    let story = Arc::clone(s.story());
    if keys.just_pressed(KeyCode::KeyZ) && editing.drag.is_none() {
        match editing.history.pop() {
            Some(m) => {
                editing.record(&story, &folder, Move { turn: false, ..m }, m.before);
                // Recording pushed it again: an undo is not itself undone.
                editing.history.pop();
                let name = target_name(&story, m.target);
                info!("edit: undid the last move of {name}");
                editing.message = Some((format!("undone: {name} is back · Ctrl+S saves"), false));
            }
            None => editing.message = Some(("nothing to undo".into(), false)),
        }
    }
    if keys.just_pressed(KeyCode::KeyS) {
        let report = save(&mut editing, &story, &folder);
        for line in &report.notes {
            s.session.note(line);
        }
        editing.message = Some(report.message);
    }
}

/// What a save did.
struct SaveReport {
    message: (String, bool),
    /// For the session log.
    notes: Vec<String>,
}

/// Writes every unsaved move into its scene file.
fn save(editing: &mut Editing, story: &Arc<Story>, folder: &std::path::Path) -> SaveReport {
    if editing.pending.is_empty() {
        return SaveReport {
            message: ("nothing to save".into(), false),
            notes: Vec::new(),
        };
    }
    let mut by_file: HashMap<PathBuf, Vec<(Target, Pose)>> = HashMap::new();
    for (t, p) in &editing.pending {
        by_file
            .entry(folder.join(&story.place(t.place).file))
            .or_default()
            .push((*t, *p));
    }
    let mut saved = Vec::new();
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    for (path, moves) in by_file {
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let Some(loaded) = editing.loaded.get(&path).cloned() else {
            errors.push(format!("{file}: it could not be read"));
            continue;
        };
        let place = |t: &Target| story.place(t.place);
        let marks: Vec<(Mark<'_>, Pose)> = moves
            .iter()
            .map(|(t, p)| {
                let mark = match t.thing {
                    Some(i) => Mark::Thing(&place(t).things[usize::from(i)].id),
                    None => Mark::Start,
                };
                (mark, *p)
            })
            .collect();
        match placement_edit::save_moves(&path, &loaded, &marks) {
            Ok(text) => {
                let changed = text != loaded;
                editing.loaded.remove(&path);
                for (t, p) in &moves {
                    editing.pending.remove(t);
                    if changed {
                        editing.saved.insert(*t, *p);
                    }
                    let name = target_name(story, *t);
                    let line = format!(
                        "edit: saved {name} in {file}: at ({:.2}, {:.2}, {:.2}) facing {:.1}",
                        p.at.0, p.at.1, p.at.2, p.facing
                    );
                    info!("{line}");
                    notes.push(line);
                    saved.push(name);
                }
                if changed {
                    editing.saved_over = Some(Arc::clone(story));
                }
            }
            Err(SaveError::ChangedOnDisk) => {
                // The next Ctrl+S writes the moves into the file as it is now.
                match std::fs::read_to_string(&path) {
                    Ok(now) => {
                        editing.loaded.insert(path.clone(), now);
                    }
                    Err(e) => errors.push(format!("{file}: cannot read it: {e}")),
                }
                let e = format!(
                    "{file} changed on disk since you began moving things in it: nothing written (Ctrl+S again writes your moves into it as it is now)"
                );
                warn!("edit: {e}");
                errors.push(e);
            }
            Err(e) => {
                let e = format!("{file}: not saved: {e}");
                warn!("edit: {e}");
                errors.push(e);
            }
        }
    }
    let message = if errors.is_empty() {
        (
            format!(
                "saved {} · the place reloads from its file",
                saved.join(", ")
            ),
            false,
        )
    } else {
        (errors.join(" · "), true)
    };
    SaveReport { message, notes }
}

/// Things moved in the window stand where they were put (over what the place was
/// built with, and again after a rebuild) until the story has them there.
fn show_moves(
    editing: Res<Editing>,
    mut things: Query<(&ThingRef, &mut Transform), Without<ChildOf>>,
) {
    if editing.drag.is_none() && editing.pending.is_empty() && editing.saved.is_empty() {
        return;
    }
    for (r, mut t) in &mut things {
        let target = Target {
            place: r.0.place,
            thing: Some(r.0.index),
        };
        if let Some(p) = editing.shown(target) {
            t.translation = vec(p.at);
            t.rotation = facing_rotation(p.facing);
        }
    }
}

/// Once the hot reload brings the saved moves back in the story, says so (with where
/// the story now has them) and lets the story place them again.
fn note_reloaded_moves(session: Option<Res<StorySession>>, mut editing: ResMut<Editing>) {
    let Some(s) = session else { return };
    let story = s.story();
    let Some(over) = &editing.saved_over else {
        return;
    };
    if Arc::ptr_eq(over, story) {
        return;
    }
    let saved: Vec<Target> = editing.saved.keys().copied().collect();
    for t in saved {
        let p = file_pose(story, t);
        let name = target_name(story, t);
        info!(
            "edit: reloaded: {name} stands at ({:.2}, {:.2}, {:.2}) facing {:.1}",
            p.at.0, p.at.1, p.at.2, p.facing
        );
        if editing.message.as_ref().is_none_or(|m| !m.1) {
            editing.message = Some((format!("reloaded: {name} stands where you put it"), false));
        }
    }
    editing.saved.clear();
    editing.saved_over = None;
}

/// Whether a thing has a body to show (a marker is shown by edit mode's disc).
pub fn is_marker(story: &Story, target: Target) -> bool {
    target.thing.is_some_and(|i| {
        matches!(
            story
                .place(target.place)
                .things
                .get(usize::from(i))
                .map(|t| &t.kind),
            Some(ThingKind::Marker)
        )
    })
}
