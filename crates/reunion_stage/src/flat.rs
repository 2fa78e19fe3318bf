//! Flat-screen mode: a window, a camera at standing eye height, and keys for the
//! participant's actions until the hands capability lands. The keys are listed on
//! screen.
//!
//! The camera is the participant's head ([`ParticipantHead`]): the gaze and distance
//! detectors in [`crate::presence`] read it exactly as they will read a headset.

use bevy::app::AppExit;
use bevy::input::ButtonInput;
use bevy::prelude::*;
use reunion_story::director::{OperatorCommand, Phase};
use reunion_story::format::TouchZone;
use reunion_story::participant::ParticipantAction;
use reunion_story::story::LangId;

use crate::StageSystems;
use crate::place::{ActorBody, OnStage, facing_rotation};
use crate::presence::{HandHeights, ParticipantHead};
use crate::session::{OperatorRequest, ParticipantActed, StorySession};

/// Eye height of a standing adult, metres.
pub const EYE_HEIGHT: f32 = 1.6;
/// Vertical field of view of the flat camera.
pub const FLAT_FOV_DEGREES: f32 = 60.0;
/// How far the flat camera looks down at the start of a place: towards a child.
pub const START_PITCH: f32 = -0.22;

/// Adds the flat-screen participant: camera, keys, help.
pub struct FlatPlugin;

impl Plugin for FlatPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<FlatHelp>()
            .add_systems(
                Startup,
                (spawn_head, spawn_help.after(crate::screen::load_font)),
            )
            .add_systems(
                Update,
                (
                    (place_head_at_start, move_head, act_on_keys)
                        .chain()
                        .in_set(StageSystems::Input),
                    show_help.in_set(StageSystems::Ui),
                ),
            );
    }
}

#[derive(Component, Default)]
struct HeadAngles {
    yaw: f32,
    pitch: f32,
}

fn spawn_head(mut commands: Commands) {
    commands.spawn((
        Name::new("participant head (flat)"),
        Camera3d::default(),
        // A flat screen shows less than a headset: a wider view than the default
        // keeps both her face and the table in sight.
        Projection::Perspective(PerspectiveProjection {
            fov: FLAT_FOV_DEGREES.to_radians(),
            ..default()
        }),
        ParticipantHead,
        HeadAngles::default(),
        Transform::from_xyz(0.0, EYE_HEIGHT, 0.0),
    ));
}

/// When a new place is on stage, stand at its start mark.
fn place_head_at_start(
    on_stage: Res<OnStage>,
    session: Option<Res<StorySession>>,
    mut head: Query<(&mut Transform, &mut HeadAngles), With<ParticipantHead>>,
) {
    if !on_stage.is_changed() {
        return;
    }
    let (Some(s), Some(place)) = (session, on_stage.place) else {
        return;
    };
    let start = &s.story().place(place).start;
    for (mut t, mut angles) in &mut head {
        t.translation = Vec3::new(start.at.0, start.at.1 + EYE_HEIGHT, start.at.2);
        angles.yaw = -start.facing.to_radians();
        angles.pitch = START_PITCH;
        t.rotation = facing_rotation(start.facing) * Quat::from_rotation_x(angles.pitch);
    }
}

fn move_head(
    time: Res<Time>,
    keys: Res<ButtonInput<KeyCode>>,
    mut head: Query<(&mut Transform, &mut HeadAngles), With<ParticipantHead>>,
) {
    let dt = time.delta_secs();
    for (mut t, mut a) in &mut head {
        let turn = 1.2 * dt;
        if keys.pressed(KeyCode::ArrowLeft) {
            a.yaw += turn;
        }
        if keys.pressed(KeyCode::ArrowRight) {
            a.yaw -= turn;
        }
        if keys.pressed(KeyCode::ArrowUp) {
            a.pitch = (a.pitch + turn).min(1.2);
        }
        if keys.pressed(KeyCode::ArrowDown) {
            a.pitch = (a.pitch - turn).max(-1.2);
        }
        t.rotation = Quat::from_rotation_y(a.yaw) * Quat::from_rotation_x(a.pitch);
        let forward = Vec3::new(-a.yaw.sin(), 0.0, -a.yaw.cos());
        let right = Vec3::new(-forward.z, 0.0, forward.x);
        let mut step = Vec3::ZERO;
        if keys.pressed(KeyCode::KeyW) {
            step += forward;
        }
        if keys.pressed(KeyCode::KeyS) {
            step -= forward;
        }
        if keys.pressed(KeyCode::KeyD) {
            step += right;
        }
        if keys.pressed(KeyCode::KeyA) {
            step -= right;
        }
        // A slow walk: no sudden motion.
        t.translation += step.normalize_or_zero() * 0.9 * dt;
    }
}

fn act_on_keys(
    keys: Res<ButtonInput<KeyCode>>,
    session: Option<ResMut<StorySession>>,
    actors: Query<(&ActorBody, &GlobalTransform)>,
    head: Query<&GlobalTransform, With<ParticipantHead>>,
    mut acted: MessageWriter<ParticipantActed>,
    mut operator: MessageWriter<OperatorRequest>,
    mut exit: MessageWriter<AppExit>,
    mut hands: ResMut<HandHeights>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        exit.write(AppExit::Success);
    }
    // Holding X raises both emulated hands above the head: the exit gesture.
    let head_y = head.iter().next().map_or(EYE_HEIGHT, |h| h.translation().y);
    *hands = if keys.pressed(KeyCode::KeyX) {
        HandHeights {
            left: Some(head_y + 0.3),
            right: Some(head_y + 0.3),
        }
    } else {
        HandHeights {
            left: Some(head_y - 0.7),
            right: Some(head_y - 0.7),
        }
    };
    let Some(mut s) = session else { return };
    let story = std::sync::Arc::clone(s.story());
    // The nearest member of the cast: the one whose hand to take or head to stroke.
    let nearest = || {
        let h = head.iter().next()?;
        actors
            .iter()
            .min_by(|a, b| {
                let da = a.1.translation().distance(h.translation());
                let db = b.1.translation().distance(h.translation());
                da.total_cmp(&db)
            })
            .map(|(a, _)| story.actor(a.0).id.clone())
    };
    if keys.just_pressed(KeyCode::KeyH) {
        if s.session.stand_in.holding().is_some() {
            acted.write(ParticipantActed(ParticipantAction::LetGo));
        } else if let Some(n) = nearest() {
            acted.write(ParticipantActed(ParticipantAction::TakeHand(n)));
        }
    }
    if keys.just_pressed(KeyCode::KeyC) {
        acted.write(ParticipantActed(ParticipantAction::PlaceCandle));
    }
    if keys.just_pressed(KeyCode::KeyB) {
        acted.write(ParticipantActed(ParticipantAction::BlowOut));
    }
    if keys.just_pressed(KeyCode::KeyV) {
        acted.write(ParticipantActed(ParticipantAction::Speak));
    }
    if keys.just_pressed(KeyCode::KeyT)
        && let Some(n) = nearest()
    {
        acted.write(ParticipantActed(ParticipantAction::Touch(
            n,
            TouchZone::Head,
        )));
    }
    if keys.just_pressed(KeyCode::Space) {
        let cmd = if s.session.director.is_held() {
            OperatorCommand::Resume
        } else {
            OperatorCommand::Hold
        };
        operator.write(OperatorRequest(cmd));
    }
    if keys.just_pressed(KeyCode::KeyR) {
        operator.write(OperatorRequest(OperatorCommand::RepeatLine));
    }
    if keys.just_pressed(KeyCode::KeyN) {
        operator.write(OperatorRequest(OperatorCommand::SkipLine));
    }
    if keys.just_pressed(KeyCode::KeyE) {
        operator.write(OperatorRequest(OperatorCommand::EndGently));
    }
    if keys.just_pressed(KeyCode::KeyQ) {
        operator.write(OperatorRequest(OperatorCommand::StopNow));
    }
    if keys.just_pressed(KeyCode::KeyL) {
        let n = story.languages.len() as u8;
        s.lang = LangId((s.lang.0 + 1) % n.max(1));
    }
}

#[derive(Component)]
struct HelpText;

#[derive(Component)]
struct HelpPanel;

/// Whether the key list is on screen (F1 toggles it).
#[derive(Resource, Clone, Copy, Debug)]
pub struct FlatHelp {
    pub visible: bool,
}

impl Default for FlatHelp {
    fn default() -> Self {
        Self { visible: true }
    }
}

const KEYS: &str = "Participant:  arrows look  ·  W A S D walk\n\
                    H take / let go of her hand  ·  C place a candle\n\
                    B blow out the candles  ·  V speak  ·  T stroke her head\n\
                    hold X two seconds to leave (both hands up)\n\
                    Operator:  Space hold / resume  ·  R repeat  ·  N skip\n\
                    E end gently  ·  Q stop now  ·  L language  ·  F1 hide this  ·  Esc quit";

fn spawn_help(mut commands: Commands, font: Option<Res<crate::screen::SubtitleFont>>) {
    let font = font.map_or_else(TextFont::default, |f| f.text(14.0));
    commands
        .spawn((
            HelpPanel,
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(10.0),
                left: Val::Px(10.0),
                padding: UiRect::all(Val::Px(8.0)),
                border_radius: BorderRadius::all(Val::Px(6.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.35)),
            GlobalZIndex(15),
        ))
        .with_children(|b| {
            b.spawn((
                HelpText,
                Text::new(KEYS),
                font,
                TextColor(Color::srgba(1.0, 1.0, 1.0, 0.85)),
            ));
        });
}

fn show_help(
    keys: Res<ButtonInput<KeyCode>>,
    mut help: ResMut<FlatHelp>,
    mut panel: Query<&mut Visibility, With<HelpPanel>>,
    session: Option<Res<StorySession>>,
    mut text: Query<&mut Text, With<HelpText>>,
) {
    if keys.just_pressed(KeyCode::F1) {
        help.visible = !help.visible;
    }
    for mut v in &mut panel {
        v.set_if_neq(if help.visible {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
    }
    let Some(s) = session else { return };
    let d = &s.session.director;
    let story = s.story();
    let node = &story.node(d.node());
    let phase = match d.phase() {
        Phase::Idle => "starting".to_string(),
        Phase::Speaking { .. } => "speaking".to_string(),
        Phase::Pausing { .. } => "pause".to_string(),
        Phase::Waiting { .. } => match d.wait_remaining() {
            Some(r) => format!("waiting ({r:.0} s left)"),
            None => "waiting".to_string(),
        },
        Phase::Transition { .. } => "moving to another place".to_string(),
        Phase::Ended => "ended".to_string(),
    };
    let held = if d.is_held() { " · HELD" } else { "" };
    let hand = match s.session.stand_in.holding() {
        Some(a) => format!(" · holding {}'s hand", story.actor(a).id),
        None => String::new(),
    };
    let status = format!(
        "{KEYS}\n\nnode `{}` ({}) · {phase}{held}{hand} · {:.0} s · subtitles {}",
        node.id,
        node.kind.name(),
        d.session_time(),
        story.languages[s.lang.index()]
    );
    for mut t in &mut text {
        if t.0 != status {
            t.0 = status.clone();
        }
    }
}
