//! Everyone in a hosted story, as a window shows them: each other participant as a
//! soft head and two hands in their colour, where the host last said they are, and
//! a strip at the top of the screen with everyone's name in their colour.
//!
//! [`Presences`] is the list (the host's own, or as the host last sent it);
//! [`OwnName`] is this machine's participant, who is not drawn here (their own hands
//! are); [`OwnPose`] is where a window's inputs put this machine's participant's head
//! and hands, for the others. Poses come a few times a second: the drawn parts glide
//! to them ([`glide`]), never jump, except the first time.

use bevy::prelude::*;
use reunion_stage::StageSystems;
use reunion_stage::look_at::OtherHeads;

use crate::protocol::{Pose, Presence};

/// Everyone in the session (this machine's participant too).
#[derive(Resource, Default, Debug, Clone)]
pub struct Presences(pub Vec<Presence>);

/// This machine's participant's name in the session, once known.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnName(pub Option<String>);

/// Where this machine's participant's head and hands are (a window's head and hands
/// write it); none on a headless machine, whose participant stands at the start.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct OwnPose(pub Option<Pose>);

/// Where a participant with no window stands in `place` (none before the story's
/// first): in their slot among the others ([`reunion_stage::presence::stand_in_place`]),
/// eyes at the mark's posture, facing the gathering point, hands at rest before them.
pub fn standing_pose(place: Option<&reunion_story::story::Place>, slot: u8) -> Pose {
    let Some(place) = place else {
        return Pose::STANDING;
    };
    let (at, facing, eye) = reunion_stage::presence::stand_in_place(place, slot);
    let turn = reunion_stage::components::facing_rotation(facing);
    let head = at + Vec3::Y * eye;
    // At rest as in `Pose::STANDING`, relative to the head, turned the way they face.
    let hand = |rest: [f32; 3]| {
        (head + turn * (Vec3::from(rest) - Vec3::from(Pose::STANDING.head))).to_array()
    };
    Pose {
        head: head.to_array(),
        hands: Pose::STANDING.hands.map(hand),
    }
}

/// Draws the others' presences and the strip of names (needs a window's renderer and
/// UI).
pub struct PresenceViewPlugin;

impl Plugin for PresenceViewPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Presences>()
            .init_resource::<OwnName>()
            .init_resource::<OwnPose>()
            .init_resource::<OtherHeads>()
            .add_systems(Startup, spawn_strip.after(reunion_stage::FontSystems))
            .add_systems(
                Update,
                (
                    (draw_presences, show_strip).in_set(StageSystems::Ui),
                    share_heads.before(StageSystems::World),
                ),
            );
    }
}

/// The others' heads, by name, for whom she looks at (`reunion_stage::look_at`).
fn share_heads(presences: Res<Presences>, own: Res<OwnName>, mut heads: ResMut<OtherHeads>) {
    if !presences.is_changed() && !own.is_changed() {
        return;
    }
    heads.own_name = own.0.clone();
    // She does not turn to someone who is away.
    heads.heads = others(&presences.0, own.0.as_deref())
        .into_iter()
        .filter(|p| !p.away)
        .map(|p| (p.name.clone(), Vec3::from_array(p.pose.head)))
        .collect();
}

/// The head's radius, metres: soft and a little smaller than a real head.
const HEAD_RADIUS: f32 = 0.11;
/// A hand's radius, metres.
const HAND_RADIUS: f32 = 0.045;
/// How quickly a drawn part closes on its pose, per second (about 95 % in 0.25 s).
const GLIDE_RATE: f32 = 12.0;

/// The others: everyone but `own`.
pub fn others<'a>(presences: &'a [Presence], own: Option<&str>) -> Vec<&'a Presence> {
    presences
        .iter()
        .filter(|p| Some(p.name.as_str()) != own)
        .collect()
}

/// Where a drawn part goes this frame: from `now` towards `target` by the share of
/// the way a glide covers in `dt` seconds; never past it.
pub fn glide(now: Vec3, target: Vec3, dt: f32) -> Vec3 {
    let share = 1.0 - (-GLIDE_RATE * dt.max(0.0)).exp();
    now.lerp(target, share)
}

/// The head and the two hands (left, right) of a pose, as points.
pub fn parts(pose: &Pose) -> [Vec3; 3] {
    [
        Vec3::from_array(pose.head),
        Vec3::from_array(pose.hands[0]),
        Vec3::from_array(pose.hands[1]),
    ]
}

/// One drawn part of a participant: whose, and which (0 head, 1 left, 2 right).
#[derive(Component, Debug, Clone)]
struct PresencePart {
    name: String,
    part: usize,
    away: bool,
}

/// How opaque a presence is: clear when they are here, faint when they were lost.
pub fn opacity(away: bool) -> f32 {
    if away { 0.3 } else { 0.8 }
}

fn material(colour: [f32; 3], away: bool) -> StandardMaterial {
    let [r, g, b] = colour;
    let glow = if away { 0.1 } else { 0.35 };
    StandardMaterial {
        base_color: Color::srgba(r, g, b, opacity(away)),
        // A glow of their own, so they show in a dim room.
        emissive: LinearRgba::from(Color::srgb(r, g, b)) * glow,
        alpha_mode: AlphaMode::Blend,
        perceptual_roughness: 0.9,
        ..default()
    }
}

fn draw_presences(
    mut commands: Commands,
    presences: Res<Presences>,
    own: Res<OwnName>,
    time: Res<Time>,
    mut drawn: Query<(Entity, &PresencePart, &mut Transform)>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let others = others(&presences.0, own.0.as_deref());
    let dt = time.delta_secs();
    let mut have: Vec<(String, usize)> = Vec::new();
    for (entity, part, mut t) in &mut drawn {
        match others.iter().find(|p| p.name == part.name) {
            // Here again, or lost: drawn anew in the other look.
            Some(p) if p.away != part.away => commands.entity(entity).despawn(),
            Some(p) => {
                t.translation = glide(t.translation, parts(&p.pose)[part.part], dt);
                have.push((part.name.clone(), part.part));
            }
            // Gone from the session: their presence goes too.
            None => commands.entity(entity).despawn(),
        }
    }
    for p in others {
        for (i, at) in parts(&p.pose).into_iter().enumerate() {
            if have.iter().any(|(n, k)| *n == p.name && *k == i) {
                continue;
            }
            let radius = if i == 0 { HEAD_RADIUS } else { HAND_RADIUS };
            commands.spawn((
                PresencePart {
                    name: p.name.clone(),
                    part: i,
                    away: p.away,
                },
                Mesh3d(meshes.add(Sphere::new(radius))),
                MeshMaterial3d(materials.add(material(p.colour, p.away))),
                Transform::from_translation(at),
                Name::new(format!("presence of {}", p.name)),
            ));
        }
    }
}

/// The strip of names at the top of the screen.
#[derive(Component)]
struct Strip;

fn spawn_strip(mut commands: Commands) {
    commands.spawn((
        Strip,
        Node {
            position_type: PositionType::Absolute,
            top: Val::Px(8.0),
            width: Val::Percent(100.0),
            justify_content: JustifyContent::Center,
            column_gap: Val::Px(14.0),
            ..default()
        },
        GlobalZIndex(14),
    ));
}

/// What the strip says for each participant: a dot and the name, "(you)" for this
/// machine's, "(away)" for one whose connection was lost.
pub fn strip_label(p: &Presence, own: Option<&str>) -> String {
    if Some(p.name.as_str()) == own {
        format!("● {} (you)", p.name)
    } else if p.away {
        format!("○ {} (away)", p.name)
    } else {
        format!("● {}", p.name)
    }
}

fn show_strip(
    mut commands: Commands,
    presences: Res<Presences>,
    own: Res<OwnName>,
    strip: Query<(Entity, Option<&Children>), With<Strip>>,
    font: Option<Res<reunion_stage::screen::SubtitleFont>>,
    mut shown: Local<Vec<(String, [u32; 3])>>,
) {
    // Rebuilt only when who is there (or their colour) changes.
    let now: Vec<(String, [u32; 3])> = presences
        .0
        .iter()
        .map(|p| {
            (
                strip_label(p, own.0.as_deref()),
                p.colour.map(|c| (c * 1000.0) as u32),
            )
        })
        .collect();
    if *shown == now {
        return;
    }
    let Ok((strip, children)) = strip.single() else {
        return;
    };
    if let Some(children) = children {
        for c in children.iter() {
            commands.entity(c).despawn();
        }
    }
    let font = font.map_or_else(TextFont::default, |f| f.text(16.0));
    commands.entity(strip).with_children(|b| {
        for p in &presences.0 {
            let [r, g, bl] = p.colour;
            b.spawn((
                Node {
                    padding: UiRect::axes(Val::Px(8.0), Val::Px(3.0)),
                    border_radius: BorderRadius::all(Val::Px(6.0)),
                    ..default()
                },
                BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.35)),
            ))
            .with_children(|b| {
                b.spawn((
                    Text::new(strip_label(p, own.0.as_deref())),
                    font.clone(),
                    TextColor(Color::srgba(r, g, bl, if p.away { 0.6 } else { 1.0 })),
                ));
            });
        }
    });
    *shown = now;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn presence(name: &str) -> Presence {
        Presence {
            name: name.into(),
            colour: [0.5, 0.5, 0.5],
            pose: Pose::STANDING,
            away: false,
        }
    }

    #[test]
    fn the_others_are_everyone_but_this_machines_participant() {
        let all = [presence("grandma"), presence("mother"), presence("father")];
        let names = |v: Vec<&Presence>| v.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(others(&all, Some("mother"))), ["grandma", "father"]);
        assert_eq!(names(others(&all, None)).len(), 3);
        assert_eq!(strip_label(&all[1], Some("mother")), "● mother (you)");
        assert_eq!(strip_label(&all[0], Some("mother")), "● grandma");
        let lost = Presence {
            away: true,
            ..presence("father")
        };
        assert_eq!(strip_label(&lost, Some("mother")), "○ father (away)");
        assert!(opacity(true) < opacity(false));
    }

    #[test]
    fn a_part_glides_to_its_pose_without_overshooting() {
        let from = Vec3::ZERO;
        let to = Vec3::new(1.0, 0.0, 0.0);
        let one_frame = glide(from, to, 1.0 / 60.0);
        assert!(one_frame.x > 0.0 && one_frame.x < 0.5, "{one_frame}");
        let mut at = from;
        for _ in 0..15 {
            at = glide(at, to, 1.0 / 60.0);
        }
        assert!(at.x > 0.9 && at.x <= 1.0, "a quarter second: {at}");
        assert_eq!(glide(from, to, 0.0), from);
        assert!(glide(from, to, 10.0).x <= 1.0);
    }

    #[test]
    fn a_participant_with_no_window_stands_in_their_slot_facing_the_others() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/stories/nayeon");
        let loaded = reunion_story::load::load_dir(&dir);
        let story = loaded
            .story
            .unwrap_or_else(|| panic!("{}", loaded.diagnostics));
        assert_eq!(standing_pose(None, 1), Pose::STANDING, "before any place");
        for place in &story.places {
            let (mark, _, eye) = reunion_stage::presence::stand_in_place(place, 0);
            let first = standing_pose(Some(place), 0);
            assert_eq!(Vec3::from(first.head), mark + Vec3::Y * eye, "{}", place.id);
            let mut heads = vec![Vec3::from(first.head)];
            for slot in 1..4 {
                let pose = standing_pose(Some(place), slot);
                let (at, _, _) = reunion_stage::presence::stand_in_place(place, slot);
                let head = Vec3::from(pose.head);
                assert_eq!(head, at + Vec3::Y * eye, "{} slot {slot}", place.id);
                assert!(
                    heads.iter().all(|h| h.distance(head) > 0.3),
                    "{} slot {slot}: a place of its own",
                    place.id
                );
                heads.push(head);
                // Hands at rest: below the head, half a metre apart, within reach.
                let [l, r] = pose.hands.map(Vec3::from);
                assert!((l.distance(r) - 0.5).abs() < 1e-4, "{l} {r}");
                for hand in [l, r] {
                    assert!(
                        hand.y < head.y && hand.distance(head) < 0.8,
                        "{hand} {head}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_parts_of_a_pose_are_head_then_hands() {
        let p = Pose::STANDING;
        let [h, l, r] = parts(&p);
        assert_eq!(h, Vec3::new(0.0, 1.6, 0.0));
        assert!(l.x < 0.0 && r.x > 0.0);
    }
}
