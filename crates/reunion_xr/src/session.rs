//! The headset session's life, seen by the story and the facilitator.
//!
//! OpenXR's raw session states arrive through an `OxrEventHandler` (bevy_mod_xr's
//! own `XrState` folds SYNCHRONIZED, VISIBLE and FOCUSED into one `Running`, so it
//! cannot tell a worn headset from one on the table). They become a
//! [`Lifecycle`] in [`HeadsetStatus`]; [`FocusHold`] turns focus into the
//! director's `Hold` and `Resume`. EXITING ends the app with 0 once the session
//! is gone, LOSS_PENDING with a message and exit code 3; the story's end asks the
//! runtime to end the session after a few seconds of aftercare on screen. The
//! mirror window shows the headset's state in a corner for the facilitator, and
//! starts with the flat mode's key list hidden.

use std::collections::VecDeque;

use bevy::prelude::*;
use bevy_mod_openxr::poll_events::{OxrEventHandlerExt as _, OxrEventIn};
use bevy_mod_openxr::resources::OxrInstance;
use bevy_mod_openxr::session::OxrSession;
use bevy_mod_xr::session::{XrRequestExitMessage, XrState};
use reunion_stage::StageSystems;
use reunion_stage::flat::{QuitHandledElsewhere, QuitRequested};
use reunion_stage::session::{OperatorRequest, SessionFinished, StorySession};
use reunion_story::director::OperatorCommand;

use crate::actions::{SIDES, XrActions, index};
use crate::input::{ControllerProfiles, current_profile};
use crate::lifecycle::{FocusHold, Lifecycle, ending};

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(follow_the_headset)
        .add_oxr_event_handler(watch_session)
        .add_systems(
            Startup,
            (require_a_runtime, spawn_status_line, hide_flat_help),
        )
        .add_systems(Update, show_status.in_set(StageSystems::Ui));
}

/// The story follows the headset's [`HeadsetStatus`]: held while nobody is in,
/// resumed when she is back, the app ended with the session, the session ended
/// after the story. Needs no runtime: whatever writes the status drives it (OpenXR's
/// events in [`crate::XrPlugin`], a test).
pub fn follow_the_headset(app: &mut App) {
    app.init_resource::<HeadsetStatus>()
        .init_resource::<Leaving>()
        .init_resource::<QuitHandledElsewhere>()
        .add_message::<XrRequestExitMessage>()
        .add_message::<QuitRequested>()
        .add_systems(
            Update,
            (
                hold_while_away.in_set(StageSystems::Input),
                (
                    leave_after_the_story,
                    leave_when_asked,
                    end_with_the_session,
                )
                    .chain()
                    .after(StageSystems::Director),
            ),
        );
}

/// How long the aftercare screen stays after the story's end before the session
/// is ended, seconds of story time.
pub const AFTER_THE_STORY: f32 = 8.0;

/// The headset's session as reunion sees it.
#[derive(Resource, Debug, Clone, Default)]
pub struct HeadsetStatus {
    /// The latest session state; `None` before the runtime has said anything.
    pub lifecycle: Option<Lifecycle>,
    /// Whether the director is held because nobody is in the headset.
    pub holding: bool,
    hold: FocusHold,
}

impl HeadsetStatus {
    fn lifecycle(&self) -> Lifecycle {
        self.lifecycle.unwrap_or(Lifecycle::Waiting)
    }
}

/// The end of the story, and when to end the session for it.
#[derive(Resource, Debug, Clone, Default)]
pub struct Leaving {
    at: Option<f32>,
    asked: bool,
    done: bool,
}

/// OpenXR's events: session states, a new controller in a hand, the instance going.
fn watch_session(
    event: OxrEventIn,
    mut status: ResMut<HeadsetStatus>,
    instance: Option<Res<OxrInstance>>,
    session: Option<Res<OxrSession>>,
    actions: Option<Res<XrActions>>,
    mut profiles: ResMut<ControllerProfiles>,
) {
    match *event {
        openxr::Event::SessionStateChanged(e) => {
            let l = Lifecycle::from_state(e.state());
            info!("xr: session {:?}: {}", e.state(), l.describe());
            status.lifecycle = Some(l);
        }
        openxr::Event::InstanceLossPending(_) => {
            warn!("xr: the OpenXR instance is going away");
            status.lifecycle = Some(Lifecycle::Lost);
        }
        openxr::Event::InteractionProfileChanged(_) => {
            let (Some(instance), Some(session), Some(actions)) = (instance, session, actions)
            else {
                return;
            };
            for side in SIDES {
                let i = index(side);
                let now = current_profile(&instance, &session, actions.hands[i]);
                if now != profiles.0[i] {
                    info!(
                        "xr: {} hand: {}",
                        side.name(),
                        now.map_or("no controller we know".to_string(), |p| p
                            .path()
                            .to_string())
                    );
                    profiles.0[i] = now;
                }
            }
        }
        _ => {}
    }
}

/// `--xr` was asked for and a runtime was found, but bevy_mod_openxr could not
/// start OpenXR (its error is in the log just before): say so and stop.
fn require_a_runtime(state: Option<Res<XrState>>, mut exit: MessageWriter<AppExit>) {
    if state.is_none_or(|s| *s == XrState::Unavailable) {
        eprintln!(
            "error: cannot start VR: OpenXR did not start (see the error above); play \
             flat-screen without --xr"
        );
        exit.write(AppExit::from_code(crate::lifecycle::LOST_EXIT_CODE));
    }
}

/// Nobody in the headset: the story holds; back in: it resumes, if the hold was ours.
/// Joined to a host's story (`reunion join --xr`), the story is the host's: one
/// participant's headset coming off does not hold it for everyone (the facilitator
/// can), and the log says so.
fn hold_while_away(
    mut status: ResMut<HeadsetStatus>,
    session: Option<Res<StorySession>>,
    mirror: Option<Res<reunion_stage::prelude::Mirror>>,
    mut requests: ParamSet<(
        MessageReader<OperatorRequest>,
        MessageWriter<OperatorRequest>,
    )>,
    mut ours: Local<VecDeque<OperatorCommand>>,
    mut told_focused: Local<Option<bool>>,
) {
    if mirror.is_some_and(|m| !m.is_on_its_own()) {
        let focused = status.lifecycle().is_focused();
        if told_focused.replace(focused) != Some(focused) && session.is_some() {
            info!(
                "xr: {}: the host's story goes on (its facilitator can hold it)",
                status.lifecycle().describe()
            );
        }
        return;
    }
    // The operator's commands since last frame (ours come back too: skip them).
    for OperatorRequest(cmd) in requests.p0().read() {
        if ours.front() == Some(cmd) {
            ours.pop_front();
        } else {
            status.hold.operator_sent(cmd);
        }
    }
    let Some(s) = session else { return };
    let focused = status.lifecycle().is_focused();
    let held = s.session.director.is_held();
    if let Some(cmd) = status.hold.update(focused, held) {
        info!(
            "xr: {}: {}",
            status.lifecycle().describe(),
            match cmd {
                OperatorCommand::Hold => "the story holds",
                _ => "the story resumes",
            }
        );
        ours.push_back(cmd.clone());
        requests.p1().write(OperatorRequest(cmd));
    }
    let holding = status.hold.holds();
    if status.holding != holding {
        status.holding = holding;
    }
}

/// A few seconds after the story's end, ask the runtime to end the session.
fn leave_after_the_story(
    time: Res<Time>,
    state: Option<Res<XrState>>,
    mut finished: MessageReader<SessionFinished>,
    mut leaving: ResMut<Leaving>,
    mut request: MessageWriter<XrRequestExitMessage>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = time.elapsed_secs();
    if finished.read().count() > 0 && leaving.at.is_none() {
        info!("xr: the story has ended; the session ends in {AFTER_THE_STORY} s");
        leaving.at = Some(now + AFTER_THE_STORY);
    }
    let Some(at) = leaving.at else { return };
    if leaving.asked || now < at {
        return;
    }
    leaving.asked = true;
    match state.as_deref() {
        // The runtime takes the session down (STOPPING … EXITING) and
        // `end_with_the_session` closes the app when it is gone.
        Some(XrState::Running) => {
            request.write_default();
        }
        // No running session to end (the headset is off): just close.
        _ => {
            info!("xr: the story has ended; closing");
            leaving.done = true;
            exit.write(AppExit::Success);
        }
    }
}

/// `Esc` on the mirror window: the runtime is asked to end the session, and the app
/// closes when it has (as after the story); with no running session, or on a second
/// `Esc` (a runtime that never lets go), at once.
fn leave_when_asked(
    state: Option<Res<XrState>>,
    mut asked: MessageReader<QuitRequested>,
    mut leaving: ResMut<Leaving>,
    mut request: MessageWriter<XrRequestExitMessage>,
    mut exit: MessageWriter<AppExit>,
) {
    if asked.read().count() == 0 || leaving.done {
        return;
    }
    match state.as_deref() {
        Some(XrState::Running) if !leaving.asked => {
            info!("xr: asked to quit; ending the session first (Esc again closes at once)");
            leaving.asked = true;
            request.write_default();
        }
        _ => {
            info!("xr: asked to quit; closing");
            leaving.done = true;
            exit.write(AppExit::Success);
        }
    }
}

/// EXITING or LOSS_PENDING: once bevy_mod_openxr has destroyed the session (an
/// exit while it exists would ask the runtime to end it twice), end the app.
fn end_with_the_session(
    status: Res<HeadsetStatus>,
    state: Option<Res<XrState>>,
    mut leaving: ResMut<Leaving>,
    mut exit: MessageWriter<AppExit>,
) {
    if leaving.done {
        return;
    }
    let Some(end) = status.lifecycle.and_then(ending) else {
        return;
    };
    if !state.is_some_and(|s| matches!(*s, XrState::Available | XrState::Unavailable)) {
        return;
    }
    leaving.done = true;
    if end.code == 0 {
        info!("xr: {}", end.message);
        exit.write(AppExit::Success);
    } else {
        error!("xr: {}", end.message);
        eprintln!("error: {}", end.message);
        exit.write(AppExit::from_code(end.code));
    }
}

/// The flat mode's key list speaks of a mouse hand and walking keys: in VR it starts
/// hidden (F1 shows it; the facilitator's keys still work).
fn hide_flat_help(help: Option<ResMut<reunion_stage::flat::FlatHelp>>) {
    if let Some(mut help) = help {
        help.visible = false;
    }
}

/// The headset's state, bottom right of the mirror window (the console is top right).
#[derive(Component)]
struct StatusLine;

fn spawn_status_line(mut commands: Commands) {
    commands.spawn((
        Name::new("headset status"),
        StatusLine,
        Text::new("headset: starting"),
        TextFont {
            font_size: FontSize::Px(16.0),
            ..default()
        },
        TextColor(Color::srgba(1.0, 1.0, 1.0, 0.8)),
        Node {
            position_type: PositionType::Absolute,
            bottom: Val::Px(8.0),
            right: Val::Px(12.0),
            ..default()
        },
    ));
}

fn show_status(status: Res<HeadsetStatus>, mut line: Query<&mut Text, With<StatusLine>>) {
    if !status.is_changed() {
        return;
    }
    let text = match (status.lifecycle, status.holding) {
        (None, _) => "headset: starting".to_string(),
        (Some(l), true) => format!("headset: {} — story held", l.describe()),
        (Some(l), false) => format!("headset: {}", l.describe()),
    };
    for mut t in &mut line {
        if t.0 != text {
            t.0.clone_from(&text);
        }
    }
}
