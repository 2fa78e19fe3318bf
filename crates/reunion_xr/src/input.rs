//! The headset's head and hands, into the stage's head and the hand model.
//!
//! Every frame, while the session runs, the head is located from a VIEW reference
//! space and each hand from its tracked joints (XR_EXT_hand_tracking) or its
//! controller's grip pose, all against the primary (STAGE) space at the frame's
//! predicted display time. [`crate::mapping::read_hand`] turns each hand's
//! readings into the model's values.
//!
//! The play area is placed in the scene by the [`TrackingRoot`]: when a place comes
//! on stage, or the recenter button is held for a second (or the facilitator
//! presses Home on the mirror window), the root is turned and moved so that the
//! participant stands on the place's start mark, facing the way it faces, with the
//! play area's floor on the scene's floor. bevy_mod_openxr's eye cameras are
//! children of its `XrTrackingRoot` entity, which follows the resource.
//!
//! In a headset the participant acts herself: the puppeteer that acts out the
//! console's "do it for me" actions in flat mode turns an emulated head, which a
//! headset does not have, and the headset's readings always win the hands.

use bevy::prelude::*;
use bevy_mod_openxr::features::handtracking::OxrHandTracker;
use bevy_mod_openxr::openxr_session_running;
use bevy_mod_openxr::resources::OxrFrameState;
use bevy_mod_openxr::session::OxrSession;
use bevy_mod_xr::session::{XrPreDestroySession, XrSessionCreated, XrTrackingRoot};
use bevy_mod_xr::spaces::{XrPrimaryReferenceSpace, XrSpace};
use openxr::{HandJointEXT, SpaceLocationFlags};
use reunion_hands::HandsSystems;
use reunion_hands::hold::{OfferingHand, Offers};
use reunion_hands::model::{HandInput, ParticipantHand, Tracking};
use reunion_stage::StageSystems;
use reunion_stage::components::{OnStage, facing_rotation};
use reunion_stage::presence::{HeadAim, ParticipantHead};
use reunion_stage::session::StorySession;

use crate::actions::{SIDES, XrActions, index};
use crate::mapping::{
    ControllerProfile, ControllerReading, HandReading, HeldButton, JointsReading,
    pose_to_transform, read_hand, recentered_root, tracking_from_flags, world_pose,
};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TrackingRoot>()
        .init_resource::<Located>()
        .init_resource::<ControllerProfiles>()
        .add_message::<RecenterRequest>()
        .add_systems(
            XrSessionCreated,
            create_spaces.run_if(resource_exists::<XrActions>),
        )
        .add_systems(XrPreDestroySession, forget_spaces)
        .add_systems(
            Update,
            (
                follow_start_marks.in_set(StageSystems::Input),
                (
                    take_over_head,
                    ask_to_recenter,
                    recenter,
                    read_head_and_hands,
                    log_poses,
                )
                    .chain()
                    .in_set(HandsSystems::Read)
                    .after(follow_start_marks)
                    .run_if(openxr_session_running)
                    .run_if(resource_exists::<XrSpaces>),
            ),
        )
        .add_systems(
            PostUpdate,
            place_tracking_root.before(TransformSystems::Propagate),
        );
}

/// Where the play area (the tracking space, floor at y = 0) is in the scene.
#[derive(Resource, Debug, Clone, Default)]
pub struct TrackingRoot {
    pub transform: Transform,
    /// The start mark to stand on: its floor point and its facing.
    pub mark: Option<(Vec3, Quat)>,
    /// Recenter as soon as the head is located.
    pub pending: bool,
}

/// Put the participant back on the start mark, facing its way.
#[derive(Message, Clone, Copy, Debug, Default)]
pub struct RecenterRequest;

/// What was located last, in the tracking space.
#[derive(Resource, Debug, Clone, Default)]
pub struct Located {
    pub head: Option<Transform>,
    recenter_buttons: [HeldButton; 2],
}

/// The controller the runtime says is in each hand (left, right).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct ControllerProfiles(pub [Option<ControllerProfile>; 2]);

/// Our spaces in the session: each hand's grip and the head.
#[derive(Resource)]
pub struct XrSpaces {
    pub grips: [XrSpace; 2],
    pub view: XrSpace,
}

fn create_spaces(session: Res<OxrSession>, actions: Res<XrActions>, mut commands: Commands) {
    let grip = |i: usize| {
        session.create_action_space(&actions.pose, actions.hands[i], Isometry3d::IDENTITY)
    };
    let view =
        session.create_reference_space(openxr::ReferenceSpaceType::VIEW, Isometry3d::IDENTITY);
    match (grip(0), grip(1), view) {
        (Ok(left), Ok(right), Ok(view)) => {
            commands.insert_resource(XrSpaces {
                grips: [left, right],
                view: view.0,
            });
        }
        (l, r, v) => error!(
            "xr: cannot create the head's and hands' spaces ({:?}, {:?}, {:?})",
            l.err(),
            r.err(),
            v.err()
        ),
    }
}

/// The session owns its spaces: they go with it.
fn forget_spaces(mut commands: Commands) {
    commands.remove_resource::<XrSpaces>();
}

/// When a new place comes on stage, the participant is to stand on its start mark.
fn follow_start_marks(
    on_stage: Res<OnStage>,
    session: Option<Res<StorySession>>,
    mut root: ResMut<TrackingRoot>,
    mut placed_for: Local<Option<reunion_story::story::PlaceId>>,
) {
    if !on_stage.is_changed() {
        return;
    }
    let (Some(s), Some(place)) = (
        session,
        reunion_stage::presence::newly_entered(&on_stage, &mut placed_for),
    ) else {
        return;
    };
    let start = &s.story().place(place).start;
    root.mark = Some((
        Vec3::new(start.at.0, start.at.1, start.at.2),
        facing_rotation(start.facing),
    ));
    root.pending = true;
}

/// A headset moves the head itself: the emulated turning goes.
fn take_over_head(
    mut commands: Commands,
    heads: Query<Entity, (With<ParticipantHead>, With<HeadAim>)>,
) {
    for head in &heads {
        commands.entity(head).remove::<HeadAim>();
        info!("xr: the headset drives the participant's head");
    }
}

/// The recenter button held for a second on either controller, or Home on the
/// mirror window.
fn ask_to_recenter(
    time: Res<Time<Real>>,
    session: Res<OxrSession>,
    actions: Res<XrActions>,
    keys: Option<Res<ButtonInput<KeyCode>>>,
    mut located: ResMut<Located>,
    mut requests: MessageWriter<RecenterRequest>,
) {
    let dt = time.delta_secs();
    let mut fire = keys.is_some_and(|k| k.just_pressed(KeyCode::Home));
    for side in SIDES {
        let i = index(side);
        let pressed = actions
            .recenter
            .state(&session, actions.hands[i])
            .is_ok_and(|s| s.is_active && s.current_state);
        fire |= located.recenter_buttons[i].update(pressed, dt);
    }
    if fire {
        requests.write(RecenterRequest);
    }
}

fn recenter(
    mut requests: MessageReader<RecenterRequest>,
    located: Res<Located>,
    mut root: ResMut<TrackingRoot>,
) {
    if requests.read().count() > 0 {
        root.pending = true;
    }
    if !root.pending {
        return;
    }
    let (Some((mark, facing)), Some(head)) = (root.mark, located.head) else {
        return;
    };
    root.transform = recentered_root(mark, facing, &head);
    root.pending = false;
    info!(
        "xr: recentered: the participant stands on the start mark at {:.2} {:.2} {:.2}",
        mark.x, mark.y, mark.z
    );
}

/// The 5 fingertips, thumb to little finger.
const TIPS: [HandJointEXT; 5] = [
    HandJointEXT::THUMB_TIP,
    HandJointEXT::INDEX_TIP,
    HandJointEXT::MIDDLE_TIP,
    HandJointEXT::RING_TIP,
    HandJointEXT::LITTLE_TIP,
];

fn read_head_and_hands(
    session: Res<OxrSession>,
    actions: Res<XrActions>,
    spaces: Res<XrSpaces>,
    reference: Option<Res<XrPrimaryReferenceSpace>>,
    frame: Option<Res<OxrFrameState>>,
    profiles: Res<ControllerProfiles>,
    root: Res<TrackingRoot>,
    trackers: Query<(&OxrHandTracker, &bevy_mod_xr::hands::HandSide)>,
    mut head: Query<(&mut Transform, Option<&mut Tracking>), With<ParticipantHead>>,
    mut hands: Query<(&mut ParticipantHand, &mut Transform), Without<ParticipantHead>>,
    mut input: ResMut<HandInput>,
    mut located: ResMut<Located>,
) {
    let (Some(reference), Some(frame)) = (reference, frame) else {
        return;
    };
    let base = &reference.0.0;
    let time = frame.predicted_display_time;
    // The head.
    if let Ok(view) = session.locate_space(&spaces.view, base, time) {
        let tracking = tracking_from_flags(view.location_flags);
        if tracking != Tracking::Lost {
            located.head = Some(pose_to_transform(&view.pose));
        }
        for (mut t, state) in &mut head {
            if tracking != Tracking::Lost {
                *t = world_pose(&root.transform, &view.pose);
            }
            if let Some(mut state) = state {
                state.set_if_neq(tracking);
            }
        }
    }
    // The hands.
    let mut readings = [HandReading::default(); 2];
    for (tracker, side) in &trackers {
        let i = match side {
            bevy_mod_xr::hands::HandSide::Left => 0,
            bevy_mod_xr::hands::HandSide::Right => 1,
        };
        if let Ok(Some(joints)) = session.locate_hand_joints(tracker, base, time) {
            let palm = joints[HandJointEXT::PALM.into_raw() as usize];
            readings[i].joints = Some(JointsReading {
                palm: palm.pose,
                palm_flags: palm.location_flags,
                tips: TIPS.map(|j| {
                    let p = joints[j.into_raw() as usize].pose.position;
                    Vec3::new(p.x, p.y, p.z)
                }),
            });
        }
    }
    for side in SIDES {
        let i = index(side);
        let path = actions.hands[i];
        let active = actions.pose.is_active(&session, path).unwrap_or(false);
        if !active {
            continue;
        }
        let value = |a: &openxr::Action<f32>| {
            a.state(&session, path)
                .ok()
                .filter(|s| s.is_active)
                .map(|s| s.current_state)
        };
        let (grip, flags) = match session.locate_space(&spaces.grips[i], base, time) {
            Ok(l) => (l.pose, l.location_flags),
            Err(_) => (openxr::Posef::IDENTITY, SpaceLocationFlags::EMPTY),
        };
        readings[i].controller = Some(ControllerReading {
            grip,
            flags,
            squeeze: value(&actions.squeeze),
            trigger: value(&actions.trigger),
            profile: profiles.0[i],
        });
    }
    for (mut hand, mut t) in &mut hands {
        let i = index(hand.side);
        let state = read_hand(hand.side, &root.transform, &readings[i]);
        if let Some(palm) = state.palm {
            *t = palm;
        }
        hand.grip = state.grip;
        hand.pinch = state.pinch;
        hand.tracking = state.tracking;
    }
    input.set_if_neq(HandInput::Headset);
}

/// While debugging with a runtime: where the head and hands are, and any hand she
/// offers (also in the tracking space, where a test rig must put a controller to
/// take it), once a second (`RUST_LOG=reunion_xr=debug`).
fn log_poses(
    time: Res<Time<Real>>,
    mut next: Local<f32>,
    mut frames: Local<u32>,
    root: Res<TrackingRoot>,
    head: Query<&Transform, With<ParticipantHead>>,
    hands: Query<(&ParticipantHand, &Transform), Without<ParticipantHead>>,
    offers: Res<Offers>,
    palms: Query<(&OfferingHand, &GlobalTransform)>,
) {
    *frames += 1;
    let now = time.elapsed_secs();
    if now < *next {
        return;
    }
    *next = now + 1.0;
    let at = |p: Vec3| format!("({:.2} {:.2} {:.2})", p.x, p.y, p.z);
    let mut line = format!("xr: {} frames; head", *frames);
    *frames = 0;
    if let Some(h) = head.iter().next() {
        line += &format!(" {}", at(h.translation));
    }
    for (hand, t) in &hands {
        line += &format!(
            "  {} {} grip {:.2} pinch {:.2} {:?}",
            hand.side.name(),
            at(t.translation),
            hand.grip,
            hand.pinch,
            hand.tracking
        );
    }
    let to_tracking = root.transform.compute_affine().inverse();
    for (offer, palm) in &palms {
        if offers.0.contains(&offer.actor) {
            let p = palm.translation();
            line += &format!(
                "  her offered hand {} (tracking {})",
                at(p),
                at(to_tracking.transform_point3(p))
            );
        }
    }
    debug!("{line}");
}

/// bevy_mod_openxr's tracking root (the eye cameras' parent) follows ours.
fn place_tracking_root(
    root: Res<TrackingRoot>,
    mut roots: Query<&mut Transform, With<XrTrackingRoot>>,
) {
    if !root.is_changed() {
        return;
    }
    for mut t in &mut roots {
        *t = root.transform;
    }
}

/// Which controller is in the hand at `hand` (`/user/hand/…`), asked of the session.
pub fn current_profile(
    instance: &openxr::Instance,
    session: &OxrSession,
    hand: openxr::Path,
) -> Option<ControllerProfile> {
    let path = session.current_interaction_profile(hand).ok()?;
    if path == openxr::Path::NULL {
        return None;
    }
    ControllerProfile::from_path(&instance.path_to_string(path).ok()?)
}
