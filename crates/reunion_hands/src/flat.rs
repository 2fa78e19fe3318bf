//! Hands with a mouse: the flat-screen emulation.
//!
//! The mouse places the active hand in front of the camera, on the ray under the
//! cursor at arm's length (the wheel brings it nearer or farther). Pointing at
//! something a hand can use (her offered hand, a candle, a free socket of the cake
//! while carrying a candle) puts the hand right there, so a facilitator rehearsing
//! with a mouse need not judge depth. The left button closes the hand (grip), the
//! right one pinches; `Tab` switches hands; holding `X` raises both hands above the
//! head (the exit gesture). A line says what the hand is
//! doing and what a button would do, at the bottom of the screen.
//!
//! Whatever the puppeteer is acting out, it keeps: the mouse moves only the hands the
//! puppeteer leaves alone.

use bevy::input::mouse::{AccumulatedMouseScroll, MouseScrollUnit};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use reunion_stage::StageSystems;
use reunion_stage::components::ThingName;
use reunion_stage::config::{ParticipantSource, StageConfig};
use reunion_stage::presence::{HeadAim, ParticipantHead};
use reunion_stage::screen::SubtitleFont;

use crate::HandsSystems;
use crate::candles::Lit;
use crate::hand_grip::HandGrip;
use crate::hold::{HandHold, OfferingHand, Offers};
use crate::model::{HandInput, HandSide, ParticipantHand, REACH, rest_position};
use crate::props::{Grabbable, InHand, Socket, Socketed};
use crate::puppet::Puppeteer;

/// Mouse and keys drive the participant's hands (add with the stage's `FlatPlugin`).
pub struct FlatHandsPlugin;

impl Plugin for FlatHandsPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<FlatHands>()
            .init_resource::<HandHintShown>()
            .add_systems(Startup, spawn_hint.after(reunion_stage::FontSystems))
            .add_systems(
                Update,
                (
                    emulate_hands
                        .in_set(HandsSystems::Read)
                        .after(crate::puppet::act_out)
                        .run_if(a_person_plays)
                        // In edit mode the mouse places things instead.
                        .run_if(not(reunion_stage::edit::editing)),
                    (show_hint, show_hint_box).in_set(StageSystems::Ui),
                ),
            );
    }
}

/// The flat emulation's state.
#[derive(Resource, Debug, Clone, Copy)]
pub struct FlatHands {
    /// The hand the mouse moves.
    pub active: HandSide,
    /// How far along the ray the hand is when it points at nothing, metres.
    pub depth: f32,
    /// What the active hand points at.
    pub hover: Hover,
}

impl Default for FlatHands {
    fn default() -> Self {
        Self {
            active: HandSide::Right,
            depth: 0.7,
            hover: Hover::Nothing,
        }
    }
}

/// What the active hand points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hover {
    Nothing,
    HerHand,
    Candle,
    Socket,
}

/// The mouse is a person's hand: with the autopilot at the wheel it stays out.
fn a_person_plays(config: Option<Res<StageConfig>>) -> bool {
    config.is_some_and(|c| matches!(c.participant, ParticipantSource::Live))
}

/// How close to the ray a target must be for the hand to go to it, metres.
const ASSIST: f32 = 0.09;

/// The orientation of an emulated hand: fingers ahead, tipped a little down, the
/// palm turned a little inward.
pub fn emulated_rotation(yaw: f32, side: HandSide) -> Quat {
    Quat::from_rotation_y(yaw)
        * Quat::from_rotation_x(-0.35)
        * Quat::from_rotation_z(side.sign() * 0.35)
}

#[expect(
    clippy::too_many_arguments,
    reason = "a system: one parameter per thing it touches"
)]
fn emulate_hands(
    time: Res<Time>,
    window: Single<&Window, With<PrimaryWindow>>,
    camera: Single<(&Camera, &GlobalTransform, &HeadAim), With<ParticipantHead>>,
    mouse: Res<ButtonInput<MouseButton>>,
    keys: Res<ButtonInput<KeyCode>>,
    scroll: Res<AccumulatedMouseScroll>,
    puppeteer: Res<Puppeteer>,
    hold: Res<HandHold>,
    offers: Res<Offers>,
    mut flat: ResMut<FlatHands>,
    mut input: ResMut<HandInput>,
    mut hands: Query<(Entity, &mut ParticipantHand, &mut Transform, &HandGrip)>,
    palms: Query<(&OfferingHand, &GlobalTransform)>,
    props: Query<(&GlobalTransform, &Grabbable), (Without<Socketed>, Without<InHand>)>,
    carried: Query<&InHand>,
    sockets: Query<(&Socket, &GlobalTransform)>,
) {
    let dt = time.delta_secs();
    let (cam, cam_g, aim) = *camera;
    if keys.just_pressed(KeyCode::Tab) {
        flat.active = flat.active.other();
    }
    let scrolled = match scroll.unit {
        MouseScrollUnit::Line => scroll.delta.y * 0.05,
        MouseScrollUnit::Pixel => scroll.delta.y * 0.002,
    };
    flat.depth = (flat.depth + scrolled).clamp(0.25, REACH);
    let raise = keys.pressed(KeyCode::KeyX);
    let (_, right) = crate::model::flat_axes(cam_g);
    let ray = window
        .cursor_position()
        .and_then(|c| cam.viewport_to_world(cam_g, c).ok());
    let mut hover = Hover::Nothing;
    for (e, mut hand, mut t, grip) in &mut hands {
        if puppeteer.owns(hand.side) {
            continue;
        }
        let side = hand.side;
        let rest = rest_position(cam_g, side);
        t.rotation = emulated_rotation(aim.yaw, side);
        let target = if raise {
            hand.grip = 0.0;
            cam_g.translation() + Vec3::Y * 0.3 + right * side.sign() * 0.2
        } else if side != flat.active {
            // The other hand rests, unless it holds something.
            if hold.by(e) || grip.holding.is_some() {
                continue;
            }
            hand.grip = (hand.grip - 4.0 * dt).max(0.0);
            rest
        } else {
            let held = grip.holding.and_then(|p| carried.get(p).ok());
            let mut best: Option<(f32, Vec3, Hover)> = None;
            if let Some(ray) = ray {
                let mut consider = |point: Vec3, what: Hover| {
                    let v = point - ray.origin;
                    let along = v.dot(*ray.direction);
                    if !(0.15..=REACH).contains(&along) {
                        return;
                    }
                    let off = (v - *ray.direction * along).length();
                    if off <= ASSIST && best.is_none_or(|b| off < b.0) {
                        best = Some((off, point, what));
                    }
                };
                match held {
                    Some(held) => {
                        for (s, g) in &sockets {
                            if s.occupant.is_none() {
                                consider(g.translation() - held.offset, Hover::Socket);
                            }
                        }
                    }
                    None if !hold.by(e) => {
                        for (p, g) in &palms {
                            if offers.0.contains(&p.actor) && hold.held.is_none() {
                                consider(g.translation(), Hover::HerHand);
                            }
                        }
                        for (g, gr) in &props {
                            consider(g.translation() + Vec3::Y * gr.grip_height, Hover::Candle);
                        }
                    }
                    None => {}
                }
            }
            let grip_to = if mouse.pressed(MouseButton::Left) {
                1.0
            } else {
                0.0
            };
            hand.grip += (grip_to - hand.grip).clamp(-6.0 * dt, 6.0 * dt);
            let pinch_to = if mouse.pressed(MouseButton::Right) {
                1.0
            } else {
                0.0
            };
            hand.pinch += (pinch_to - hand.pinch).clamp(-6.0 * dt, 6.0 * dt);
            if mouse.get_pressed().next().is_some() || ray.is_some() {
                *input = HandInput::Flat;
            }
            // A hand that holds hers stays with hers; the mouse moves the others.
            if hold.by(e) {
                continue;
            }
            match (best, ray) {
                (Some((_, point, what)), _) => {
                    hover = what;
                    point
                }
                (None, Some(ray)) => ray.origin + *ray.direction * flat.depth,
                (None, None) => continue,
            }
        };
        let k = (dt * 18.0).min(1.0);
        t.translation = t.translation.lerp(target, k);
    }
    flat.hover = hover;
}

#[derive(Component)]
struct HandHint;

/// The box of the hint line.
#[derive(Component)]
struct HandHintBox;

/// Whether the hint line (what the hand does, where to look) is on screen; pictures
/// for authors leave it out.
#[derive(Resource, Clone, Copy, Debug)]
pub struct HandHintShown(pub bool);

impl Default for HandHintShown {
    fn default() -> Self {
        Self(true)
    }
}

/// Shows or hides the hint line's box as [`HandHintShown`] says.
fn show_hint_box(shown: Res<HandHintShown>, mut boxes: Query<&mut Visibility, With<HandHintBox>>) {
    for mut v in &mut boxes {
        v.set_if_neq(if shown.0 {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
    }
}

fn spawn_hint(mut commands: Commands, font: Option<Res<SubtitleFont>>) {
    let font = font.map_or_else(TextFont::default, |f| f.text(13.0));
    commands
        .spawn((
            HandHintBox,
            Node {
                position_type: PositionType::Absolute,
                bottom: Val::Px(6.0),
                width: Val::Percent(100.0),
                justify_content: JustifyContent::Center,
                ..default()
            },
            GlobalZIndex(14),
            Visibility::default(),
        ))
        .with_children(|b| {
            b.spawn((
                Node {
                    padding: UiRect::axes(Val::Px(10.0), Val::Px(3.0)),
                    border_radius: BorderRadius::all(Val::Px(6.0)),
                    ..default()
                },
                BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.35)),
            ))
            .with_children(|b| {
                b.spawn((
                    HandHint,
                    Text::new(""),
                    font,
                    TextColor(Color::srgba(1.0, 1.0, 1.0, 0.9)),
                ));
            });
        });
}

/// Where to look for something out of view, from where it is in the viewport
/// (`None` when it is in view, or behind the eyes).
pub fn look_towards(viewport: Option<Vec2>, size: Vec2) -> Option<&'static str> {
    let p = viewport?;
    let margin = size * 0.04;
    if p.y > size.y - margin.y {
        Some("look down (↓)")
    } else if p.y < margin.y {
        Some("look up (↑)")
    } else if p.x < margin.x {
        Some("look left (←)")
    } else if p.x > size.x - margin.x {
        Some("look right (→)")
    } else {
        None
    }
}

#[allow(clippy::too_many_arguments)]
fn show_hint(
    flat: Res<FlatHands>,
    hold: Res<HandHold>,
    offers: Res<Offers>,
    puppeteer: Res<Puppeteer>,
    hands: Query<(Entity, &ParticipantHand, &HandGrip)>,
    palms: Query<(&OfferingHand, &GlobalTransform)>,
    eyes: Query<(&Camera, &GlobalTransform), With<ParticipantHead>>,
    lit: Query<(), With<Lit>>,
    names: Query<&ThingName>,
    keys: Res<ButtonInput<KeyCode>>,
    mut text: Single<&mut Text, With<HandHint>>,
) {
    let Some((e, hand, grip)) = hands.iter().find(|(_, h, _)| h.side == flat.active) else {
        return;
    };
    // She holds out her hand where the view does not reach (a standing view looks
    // over a child's hand): say where to look.
    let offered_out_of_view = || {
        if hold.held.is_some() || grip.holding.is_some() {
            return None;
        }
        let (camera, eye) = eyes.iter().next()?;
        let size = camera.logical_viewport_size()?;
        palms
            .iter()
            .filter(|(o, _)| offers.0.contains(&o.actor))
            .find_map(|(_, palm)| {
                // Behind the eyes nothing projects: she is behind the participant.
                let local = eye.affine().inverse().transform_point3(palm.translation());
                if local.z > 0.0 {
                    return Some("turn around");
                }
                look_towards(camera.world_to_viewport(eye, palm.translation()).ok(), size)
            })
    };
    let state = if let Some(look) = offered_out_of_view() {
        format!("she holds out her hand · {look}")
    } else if hold.by(e) {
        "holding her hand · let go of the left button to let go".to_string()
    } else if let Some(held) = grip.holding {
        // What it is, by its id in the scene ("rose", "music_box" → "music box").
        let name = names
            .get(held)
            .map_or_else(|_| "thing".to_owned(), |n| n.0.replace('_', " "));
        match (flat.hover, name.starts_with("candle")) {
            (Hover::Socket, true) => {
                "let go of the left button to set the candle in the cake".into()
            }
            (_, true) => "carrying a candle · point at the cake".into(),
            (Hover::Socket, false) => format!("let go of the left button to set the {name} here"),
            (_, false) => format!("carrying the {name} · let go of the left button to put it down"),
        }
    } else {
        match flat.hover {
            Hover::HerHand => "her hand · press the left button to take it".into(),
            Hover::Candle => "a candle · hold the left button to pick it up".into(),
            _ if lit.iter().count() > 1 => "the candles are lit · lean in close, or press B".into(),
            _ if !lit.is_empty() => "a flame is lit · lean in close to blow, or press B".into(),
            _ if hand.grip > 0.5 => "closed".into(),
            _ => "open".into(),
        }
    };
    let who = if puppeteer.owns(hand.side) {
        " (acting for you)"
    } else {
        ""
    };
    let exit = if keys.pressed(KeyCode::KeyX) {
        " · both hands up: keep holding X to leave"
    } else {
        ""
    };
    let line = format!("{} hand{who}: {state}{exit}", hand.side.name());
    if text.0 != line {
        text.0 = line;
    }
}
