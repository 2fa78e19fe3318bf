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
use crate::components::ActorBody;
use crate::presence::{HeadAim, MAX_PITCH, ParticipantHead};
use crate::session::{OperatorRequest, ParticipantActed, StorySession};

/// Vertical field of view of the flat camera.
pub const FLAT_FOV_DEGREES: f32 = 60.0;

/// Adds the flat-screen participant: camera, keys, help.
pub struct FlatPlugin;

impl Plugin for FlatPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<FlatHelp>()
            .add_message::<QuitRequested>()
            .add_systems(Startup, spawn_help.after(crate::FontSystems))
            .add_systems(PostStartup, attach_camera)
            .add_systems(
                Update,
                (
                    (move_head, act_on_keys).chain().in_set(StageSystems::Input),
                    show_help.in_set(StageSystems::Ui),
                    quit.run_if(not(resource_exists::<QuitHandledElsewhere>)),
                ),
            );
    }
}

/// The facilitator asked to close the app (`Esc`). Flat-screen it closes at once;
/// in a headset the XR session is ended first ([`QuitHandledElsewhere`]).
#[derive(Message, Debug, Default, Clone, Copy)]
pub struct QuitRequested;

/// Present when something else closes the app on a [`QuitRequested`] (`reunion_xr`,
/// which ends the headset's session first).
#[derive(Resource, Default)]
pub struct QuitHandledElsewhere;

fn quit(mut asked: MessageReader<QuitRequested>, mut exit: MessageWriter<AppExit>) {
    if asked.read().count() > 0 {
        exit.write(AppExit::Success);
    }
}

/// The head becomes the flat camera.
fn attach_camera(
    mut commands: Commands,
    heads: Query<Entity, (With<ParticipantHead>, Without<Camera3d>)>,
) {
    for head in &heads {
        commands.entity(head).insert((
            Camera3d::default(),
            // A flat screen shows less than a headset: a wider view than the default
            // keeps both her face and the table in sight.
            Projection::Perspective(PerspectiveProjection {
                fov: FLAT_FOV_DEGREES.to_radians(),
                ..default()
            }),
        ));
    }
}

fn move_head(
    time: Res<Time>,
    keys: Res<ButtonInput<KeyCode>>,
    mut head: Query<(&mut Transform, &mut HeadAim), With<ParticipantHead>>,
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
            a.pitch = (a.pitch + turn).min(MAX_PITCH);
        }
        if keys.pressed(KeyCode::ArrowDown) {
            a.pitch = (a.pitch - turn).max(-MAX_PITCH);
        }
        let forward = Vec3::new(-a.yaw.sin(), 0.0, -a.yaw.cos());
        let right = Vec3::new(-forward.z, 0.0, forward.x);
        let mut step = Vec3::ZERO;
        // Ctrl+S saves in edit mode: no step back with it.
        if keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]) {
            continue;
        }
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
    mut quit: MessageWriter<QuitRequested>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        quit.write(QuitRequested);
    }
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
    if keys.just_pressed(KeyCode::KeyY) {
        operator.write(OperatorRequest(OperatorCommand::ConfirmAnswer));
    }
    if keys.just_pressed(KeyCode::KeyU) {
        operator.write(OperatorRequest(OperatorCommand::DismissAnswer));
    }
    for (i, key) in INTENT_KEYS.into_iter().enumerate() {
        if keys.just_pressed(key) && i < story.intents.len() {
            let intent = reunion_story::story::IntentId(i as u16);
            operator.write(OperatorRequest(OperatorCommand::DeclareHeard(intent)));
        }
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

/// Whether the key list is on screen (F1 toggles it), and which list.
#[derive(Resource, Clone, Copy, Debug)]
pub struct FlatHelp {
    pub visible: bool,
    /// The keys listed: the participant's, the operator's and the author's, or
    /// [`CONSOLE_KEYS`] at a console of its own.
    pub keys: &'static str,
}

impl FlatHelp {
    /// No key list on screen (pictures of what the participant sees).
    pub fn hidden() -> Self {
        Self {
            visible: false,
            ..Self::default()
        }
    }
}

impl Default for FlatHelp {
    fn default() -> Self {
        Self {
            visible: true,
            keys: KEYS,
        }
    }
}

/// 1 to 9: the participant said the story's first to ninth intent (as the
/// facilitator heard it).
const INTENT_KEYS: [KeyCode; 9] = [
    KeyCode::Digit1,
    KeyCode::Digit2,
    KeyCode::Digit3,
    KeyCode::Digit4,
    KeyCode::Digit5,
    KeyCode::Digit6,
    KeyCode::Digit7,
    KeyCode::Digit8,
    KeyCode::Digit9,
];

const KEYS: &str = "Participant:  arrows look  ·  W A S D walk\n\
                    mouse: your hand  ·  left button grip  ·  right button pinch\n\
                    wheel nearer / farther  ·  Tab the other hand\n\
                    your hand does it:  H take / let go of her hand  ·  C place a candle\n\
                    B lean in and blow  ·  T stroke her head  ·  V speak\n\
                    hold X two seconds to leave (both hands up)\n\
                    Operator:  Space hold / resume  ·  R repeat  ·  N skip\n\
                    E end gently  ·  Q stop now  ·  L language  ·  F1 hide this  ·  Esc quit\n\
                    1-9 the participant said the story's intent  ·  Y say the unsure answer  ·  U don't\n\
                    Author:  F2 edit mode (place things, save to the scene file)";

/// The keys at the facilitator's console on a machine of its own
/// (`reunion console`): the operator's first; the participant's acts are the console's
/// "act for the participant", and the view is only this screen's.
pub const CONSOLE_KEYS: &str = "Operator:  Space hold / resume  ·  R repeat  ·  N skip\n\
                    E end gently  ·  Q stop now  ·  L language  ·  F1 hide this  ·  Esc quit\n\
                    1-9 the participant said the story's intent  ·  Y say the unsure answer  ·  U don't\n\
                    Act for the participant:  H her hand  ·  C a candle  ·  B blow  ·  T touch  ·  V speak\n\
                    This screen's view:  arrows look  ·  W A S D walk";

fn spawn_help(
    mut commands: Commands,
    font: Option<Res<crate::screen::SubtitleFont>>,
    help: Res<FlatHelp>,
) {
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
                Text::new(help.keys),
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
    editing: Option<Res<crate::edit::Editing>>,
    mut text: Query<&mut Text, With<HelpText>>,
) {
    if keys.just_pressed(KeyCode::F1) {
        help.visible = !help.visible;
    }
    // Edit mode lists its own keys where this list was.
    let editing = editing.is_some_and(|e| e.on);
    for mut v in &mut panel {
        v.set_if_neq(if help.visible && !editing {
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
        "{}\n\nnode `{}` ({}) · {phase}{held}{hand} · {:.0} s · subtitles {}",
        help.keys,
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
