//! VR without a headset: the mapping from OpenXR's readings to the hand model, the
//! session's life and the director, bindings, and what `--xr` says with no runtime.

use bevy::prelude::*;
use openxr::{Posef, Quaternionf, SessionState, SpaceLocationFlags, Vector3f};
use reunion_hands::model::{HandSide, Tracking};
use reunion_story::director::OperatorCommand;
use reunion_xr::lifecycle::{self, FocusHold, Lifecycle};
use reunion_xr::mapping::*;

/// Valid and tracked, as a controller in view.
fn tracked() -> SpaceLocationFlags {
    SpaceLocationFlags::POSITION_VALID
        | SpaceLocationFlags::ORIENTATION_VALID
        | SpaceLocationFlags::POSITION_TRACKED
        | SpaceLocationFlags::ORIENTATION_TRACKED
}

/// Valid but not tracked: a guess.
fn valid() -> SpaceLocationFlags {
    SpaceLocationFlags::POSITION_VALID | SpaceLocationFlags::ORIENTATION_VALID
}

fn pose(at: Vec3, rotation: Quat) -> Posef {
    Posef {
        orientation: Quaternionf {
            x: rotation.x,
            y: rotation.y,
            z: rotation.z,
            w: rotation.w,
        },
        position: Vector3f {
            x: at.x,
            y: at.y,
            z: at.z,
        },
    }
}

fn close(a: Vec3, b: Vec3) -> bool {
    a.distance(b) < 1e-4
}

fn controller(at: Vec3, squeeze: f32, trigger: f32) -> ControllerReading {
    ControllerReading {
        grip: pose(at, Quat::IDENTITY),
        flags: tracked(),
        squeeze: Some(squeeze),
        trigger: Some(trigger),
        profile: Some(ControllerProfile::OculusTouch),
    }
}

// --- values -------------------------------------------------------------------

#[test]
fn a_resting_finger_on_the_trigger_does_not_pinch() {
    assert_eq!(dead_zone(0.05, DEAD_ZONE), 0.0);
    assert_eq!(dead_zone(DEAD_ZONE, DEAD_ZONE), 0.0);
    assert_eq!(dead_zone(1.0, DEAD_ZONE), 1.0);
    let half = dead_zone(0.55, DEAD_ZONE);
    assert!((half - 0.5).abs() < 1e-5, "{half}");
    assert_eq!(dead_zone(f32::NAN, DEAD_ZONE), 0.0);
    assert_eq!(dead_zone(1.7, DEAD_ZONE), 1.0);
}

#[test]
fn the_grip_button_closes_the_hand_and_the_trigger_pinches() {
    let reading = HandReading {
        joints: None,
        controller: Some(controller(Vec3::new(0.2, 1.0, -0.3), 1.0, 0.0)),
    };
    let hand = read_hand(HandSide::Right, &Transform::IDENTITY, &reading);
    assert_eq!((hand.grip, hand.pinch), (1.0, 0.0));
    assert_eq!(hand.tracking, Tracking::Tracked);
    let reading = HandReading {
        joints: None,
        controller: Some(controller(Vec3::new(0.2, 1.0, -0.3), 0.05, 0.8)),
    };
    let hand = read_hand(HandSide::Right, &Transform::IDENTITY, &reading);
    assert_eq!(hand.grip, 0.0);
    assert!(hand.pinch > 0.7 && hand.pinch < 0.8, "{}", hand.pinch);
}

#[test]
fn an_inactive_button_reads_as_released() {
    let mut c = controller(Vec3::ZERO, 0.0, 0.0);
    c.squeeze = None;
    c.trigger = None;
    let hand = read_hand(
        HandSide::Left,
        &Transform::IDENTITY,
        &HandReading {
            joints: None,
            controller: Some(c),
        },
    );
    assert_eq!((hand.grip, hand.pinch), (0.0, 0.0));
    assert_eq!(hand.tracking, Tracking::Tracked);
}

// --- tracking -------------------------------------------------------------------

#[test]
fn location_flags_become_tracked_inferred_or_lost() {
    assert_eq!(tracking_from_flags(tracked()), Tracking::Tracked);
    assert_eq!(tracking_from_flags(valid()), Tracking::Inferred);
    // Orientation tracked, position only guessed (a 3-dof controller, or one out of
    // the cameras' view): still a guess.
    let rot_only = valid() | SpaceLocationFlags::ORIENTATION_TRACKED;
    assert_eq!(tracking_from_flags(rot_only), Tracking::Inferred);
    assert_eq!(
        tracking_from_flags(SpaceLocationFlags::ORIENTATION_VALID),
        Tracking::Lost
    );
    assert_eq!(
        tracking_from_flags(SpaceLocationFlags::EMPTY),
        Tracking::Lost
    );
}

#[test]
fn a_hand_nothing_can_locate_is_lost_and_has_no_pose() {
    let mut c = controller(Vec3::ONE, 1.0, 1.0);
    c.flags = SpaceLocationFlags::EMPTY;
    let hand = read_hand(
        HandSide::Left,
        &Transform::IDENTITY,
        &HandReading {
            joints: None,
            controller: Some(c),
        },
    );
    assert_eq!(hand.tracking, Tracking::Lost);
    assert_eq!(hand.palm, None);
    // The button is still pressed; the grip latch's grace decides about letting go.
    assert_eq!(hand.grip, 1.0);
    let none = read_hand(
        HandSide::Left,
        &Transform::IDENTITY,
        &HandReading::default(),
    );
    assert_eq!(none.tracking, Tracking::Lost);
    assert_eq!((none.grip, none.pinch), (0.0, 0.0));
}

// --- poses ----------------------------------------------------------------------

#[test]
fn poses_move_with_the_tracking_root() {
    // The root stands on a start mark 2 m ahead, turned to face +x.
    let root = Transform::from_xyz(0.0, 0.1, -2.0)
        .with_rotation(Quat::from_rotation_y(-90f32.to_radians()));
    // A point half a metre ahead of the play area's centre, at 1 m.
    let p = world_pose(&root, &pose(Vec3::new(0.0, 1.0, -0.5), Quat::IDENTITY));
    assert!(close(p.translation, Vec3::new(0.5, 1.1, -2.0)), "{p:?}");
    // Ahead in the play area is ahead of the mark: +x.
    assert!(close(p.forward().as_vec3(), Vec3::X), "{:?}", p.forward());
}

#[test]
fn a_broken_orientation_becomes_the_identity() {
    let mut p = pose(Vec3::new(1.0, 2.0, 3.0), Quat::IDENTITY);
    p.orientation = Quaternionf {
        x: 0.0,
        y: 0.0,
        z: 0.0,
        w: 0.0,
    };
    let t = pose_to_transform(&p);
    assert_eq!(t.rotation, Quat::IDENTITY);
    assert!(close(t.translation, Vec3::new(1.0, 2.0, 3.0)));
    p.orientation = Quaternionf {
        x: 0.0,
        y: 0.0,
        z: 0.0,
        w: 2.0,
    };
    assert!(pose_to_transform(&p).rotation.is_normalized());
    p.position.x = f32::NAN;
    assert_eq!(pose_to_transform(&p).translation, Vec3::ZERO);
}

#[test]
fn a_controller_held_upright_puts_the_palm_beside_it_facing_in() {
    // Grip pose of a controller held in front, handle upright: -z up the handle.
    let upright = Quat::from_rotation_x(90f32.to_radians());
    for side in [HandSide::Left, HandSide::Right] {
        for profile in ControllerProfile::ALL {
            let reading = HandReading {
                joints: None,
                controller: Some(ControllerReading {
                    grip: pose(Vec3::new(0.0, 1.2, -0.4), upright),
                    profile: Some(profile),
                    ..controller(Vec3::ZERO, 0.0, 0.0)
                }),
            };
            let palm = read_hand(side, &Transform::IDENTITY, &reading)
                .palm
                .expect("a located controller places the palm");
            // The back of the hand faces out, to the hand's own side.
            let back = palm.up().as_vec3();
            assert!(
                back.x * side.sign() > 0.99,
                "{side:?} {profile:?}: back {back:?}"
            );
            // The knuckles point away from the participant.
            let fingers = palm.forward().as_vec3();
            assert!(
                fingers.z < -0.99,
                "{side:?} {profile:?}: fingers {fingers:?}"
            );
            // The palm is within a few centimetres of the grip, on the back's side.
            let off = palm.translation - Vec3::new(0.0, 1.2, -0.4);
            assert!(off.length() < 0.06 && off.x * side.sign() > 0.0, "{off:?}");
        }
    }
}

#[test]
fn every_profile_has_a_path_and_binds_every_action() {
    for profile in ControllerProfile::ALL {
        assert_eq!(ControllerProfile::from_path(profile.path()), Some(profile));
        let b = profile.bindings();
        for path in [b.pose, b.squeeze, b.trigger, b.haptic, b.recenter] {
            assert!(
                path.starts_with("input/") || path.starts_with("output/"),
                "{path}"
            );
        }
        assert!(b.pose.ends_with("/pose") && b.haptic == "output/haptic");
    }
    assert_eq!(
        ControllerProfile::from_path("/interaction_profiles/unknown/wand"),
        None
    );
}

// --- hand tracking --------------------------------------------------------------

fn tracked_hand(curl: f32, pinch_gap: f32) -> JointsReading {
    // A palm at 1 m, fingertips `curl` metres ahead of it, the thumb `pinch_gap`
    // from the index tip.
    let palm = Vec3::new(0.0, 1.0, -0.3);
    let tip = |dx: f32| palm + Vec3::new(dx, 0.0, -curl);
    let index = tip(0.02);
    JointsReading {
        palm: pose(palm, Quat::IDENTITY),
        palm_flags: tracked(),
        tips: [
            index + Vec3::new(-pinch_gap, 0.0, 0.0),
            index,
            tip(0.0),
            tip(-0.02),
            tip(-0.04),
        ],
    }
}

#[test]
fn a_tracked_hand_grips_by_curling_and_pinches_thumb_to_finger() {
    let open = read_hand(
        HandSide::Right,
        &Transform::IDENTITY,
        &HandReading {
            joints: Some(tracked_hand(0.10, 0.08)),
            controller: None,
        },
    );
    assert_eq!((open.grip, open.pinch), (0.0, 0.0));
    let fist = read_hand(
        HandSide::Right,
        &Transform::IDENTITY,
        &HandReading {
            joints: Some(tracked_hand(0.02, 0.01)),
            controller: None,
        },
    );
    assert!(fist.grip > 0.9, "{}", fist.grip);
    assert_eq!(fist.pinch, 1.0);
    assert_eq!(fist.tracking, Tracking::Tracked);
    // The palm joint is the model's palm already.
    assert!(close(
        fist.palm.expect("palm").translation,
        Vec3::new(0.0, 1.0, -0.3)
    ));
}

#[test]
fn tracked_joints_win_the_pose_and_buttons_still_close_the_hand() {
    let reading = HandReading {
        joints: Some(tracked_hand(0.10, 0.08)),
        controller: Some(controller(Vec3::new(5.0, 5.0, 5.0), 1.0, 0.0)),
    };
    let hand = read_hand(HandSide::Left, &Transform::IDENTITY, &reading);
    assert!(close(
        hand.palm.expect("palm").translation,
        Vec3::new(0.0, 1.0, -0.3)
    ));
    assert_eq!(hand.grip, 1.0);
    // Joints the runtime lost hand over to the controller.
    let mut joints = tracked_hand(0.10, 0.08);
    joints.palm_flags = SpaceLocationFlags::EMPTY;
    let hand = read_hand(
        HandSide::Left,
        &Transform::IDENTITY,
        &HandReading {
            joints: Some(joints),
            ..reading
        },
    );
    let at = hand.palm.expect("palm").translation;
    assert!(at.distance(Vec3::splat(5.0)) < 0.06, "{at:?}");
}

// --- recentering ----------------------------------------------------------------

#[test]
fn recentering_stands_the_head_on_the_mark_facing_its_way() {
    // She stands 1 m right of the play area's centre, looking left (+90° yaw),
    // head tilted down a little.
    let head = Transform::from_xyz(1.0, 1.55, 0.3)
        .with_rotation(Quat::from_rotation_y(90f32.to_radians()) * Quat::from_rotation_x(-0.3));
    let mark = Vec3::new(-2.0, 0.2, 4.0);
    let facing = Quat::from_rotation_y(-30f32.to_radians());
    let root = recentered_root(mark, facing, &head);
    let world = root.mul_transform(head);
    // Above the mark, her own height above its floor.
    assert!(
        close(world.translation, Vec3::new(-2.0, 1.75, 4.0)),
        "{world:?}"
    );
    // Facing the mark's way, still looking down as she was.
    assert!((yaw_of(world.rotation) - yaw_of(facing)).abs() < 1e-4);
    let pitch = world.forward().y.asin();
    assert!((pitch + 0.3).abs() < 1e-4, "{pitch}");
    // The root only turns about the vertical.
    assert!(close(root.rotation * Vec3::Y, Vec3::Y));
}

#[test]
fn yaw_survives_looking_straight_down() {
    let down = Quat::from_rotation_y(0.7) * Quat::from_rotation_x(-std::f32::consts::FRAC_PI_2);
    assert!((yaw_of(down) - 0.7).abs() < 1e-3, "{}", yaw_of(down));
    let up = Quat::from_rotation_y(-1.2) * Quat::from_rotation_x(std::f32::consts::FRAC_PI_2);
    assert!((yaw_of(up) + 1.2).abs() < 1e-3, "{}", yaw_of(up));
}

#[test]
fn the_recenter_button_must_be_held_and_fires_once() {
    let mut b = HeldButton::default();
    let dt = 1.0 / 90.0;
    // A brush of the thumbstick does nothing.
    for _ in 0..30 {
        assert!(!b.update(true, dt));
    }
    assert!(!b.update(false, dt));
    let fired: Vec<bool> = (0..200).map(|_| b.update(true, dt)).collect();
    assert_eq!(fired.iter().filter(|f| **f).count(), 1);
    let at = fired.iter().position(|f| *f).expect("fires");
    assert!((88..=92).contains(&at), "{at}");
}

// --- haptics --------------------------------------------------------------------

#[test]
fn haptic_requests_are_clamped_to_what_a_controller_should_do() {
    assert_eq!(vibration(0.5, 0.05), Some((0.5, 50_000_000)));
    assert_eq!(vibration(3.0, 60.0), Some((1.0, 2_000_000_000)));
    assert_eq!(vibration(0.4, 0.0001), Some((0.4, 1_000_000)));
    assert_eq!(vibration(0.0, 1.0), None);
    assert_eq!(vibration(0.5, -1.0), None);
    assert_eq!(vibration(f32::NAN, 1.0), None);
}

// --- the session's life ----------------------------------------------------------

#[test]
fn every_session_state_has_a_meaning() {
    use Lifecycle::*;
    let cases = [
        (SessionState::IDLE, Waiting),
        (SessionState::READY, Waiting),
        (SessionState::SYNCHRONIZED, Hidden),
        (SessionState::VISIBLE, Visible),
        (SessionState::FOCUSED, Focused),
        (SessionState::STOPPING, Stopping),
        (SessionState::LOSS_PENDING, Lost),
        (SessionState::EXITING, Exiting),
        (SessionState::UNKNOWN, Waiting),
    ];
    for (state, want) in cases {
        assert_eq!(Lifecycle::from_state(state), want, "{state:?}");
        assert_eq!(want.is_focused(), state == SessionState::FOCUSED);
    }
}

#[test]
fn the_story_holds_while_the_headset_is_off_and_resumes_when_it_is_back() {
    let mut f = FocusHold::default();
    // The story runs; the participant is in.
    assert_eq!(f.update(true, false), None);
    // Headset off: hold, once.
    assert_eq!(f.update(false, false), Some(OperatorCommand::Hold));
    assert!(f.holds());
    assert_eq!(f.update(false, true), None);
    assert_eq!(f.update(false, true), None);
    // Back on: resume, once.
    assert_eq!(f.update(true, true), Some(OperatorCommand::Resume));
    assert!(!f.holds());
    assert_eq!(f.update(true, false), None);
}

#[test]
fn the_headset_never_resumes_an_operators_hold() {
    let mut f = FocusHold::default();
    assert_eq!(f.update(true, false), None);
    // The operator holds, then the headset comes off and back on.
    assert_eq!(f.update(true, true), None);
    assert_eq!(f.update(false, true), None);
    assert!(!f.holds());
    assert_eq!(f.update(true, true), None);
}

#[test]
fn an_operator_who_resumes_while_the_headset_is_off_is_not_overruled() {
    let mut f = FocusHold::default();
    assert_eq!(f.update(false, false), Some(OperatorCommand::Hold));
    // The operator resumes; the headset is still off: no hold again.
    assert_eq!(f.update(false, false), None);
    assert!(!f.holds());
    assert_eq!(f.update(false, false), None);
    // Focus back: nothing of ours to resume.
    assert_eq!(f.update(true, false), None);
    // The next time it goes, it holds again.
    assert_eq!(f.update(false, false), Some(OperatorCommand::Hold));
}

#[test]
fn before_the_first_focus_the_story_waits() {
    let mut f = FocusHold::default();
    assert_eq!(f.update(false, false), Some(OperatorCommand::Hold));
    assert_eq!(f.update(false, true), None);
    assert_eq!(f.update(true, true), Some(OperatorCommand::Resume));
}

/// After SIGTERM or SIGHUP the runtime has both its seconds and its frames to end the
/// session (Monado on a software renderer needed about 10 s, some ten frames), but
/// never more than the most.
#[test]
fn a_runtime_has_both_its_seconds_and_its_frames_but_never_more_than_the_most() {
    use lifecycle::{XR_GRACE_FRAMES, XR_GRACE_MOST_SECONDS, XR_GRACE_SECONDS, grace_is_over};
    // A GPU: many frames in a few seconds; the seconds count.
    assert!(!grace_is_over(1.0, 90));
    assert!(grace_is_over(XR_GRACE_SECONDS, 450));
    // A slow machine: the seconds pass in a few frames; the frames count.
    assert!(!grace_is_over(XR_GRACE_SECONDS + 5.0, 8));
    assert!(grace_is_over(XR_GRACE_SECONDS + 5.0, XR_GRACE_FRAMES));
    // Frozen: left after the most.
    assert!(grace_is_over(XR_GRACE_MOST_SECONDS, 0));
}

#[test]
fn exiting_ends_cleanly_and_a_lost_session_ends_with_a_message() {
    let exit = lifecycle::ending(Lifecycle::Exiting).expect("ends");
    assert_eq!(exit.code, 0);
    let lost = lifecycle::ending(Lifecycle::Lost).expect("ends");
    assert_eq!(lost.code, lifecycle::LOST_EXIT_CODE);
    assert_ne!(lost.code, 0);
    assert!(lost.message.contains("lost"), "{}", lost.message);
    for state in [
        Lifecycle::Waiting,
        Lifecycle::Hidden,
        Lifecycle::Visible,
        Lifecycle::Focused,
        Lifecycle::Stopping,
    ] {
        assert_eq!(lifecycle::ending(state), None, "{state:?}");
    }
}

#[test]
fn an_operators_stop_while_the_headset_is_off_stays_when_she_is_back() {
    let mut f = FocusHold::default();
    assert_eq!(f.update(true, false), None);
    assert_eq!(f.update(false, false), Some(OperatorCommand::Hold));
    // The facilitator stops the story (the calm place) while the headset is off.
    f.operator_sent(&OperatorCommand::StopNow);
    assert!(!f.holds());
    assert_eq!(f.update(false, true), None);
    // Back in: the calm place is not left.
    assert_eq!(f.update(true, true), None);
    // Other commands leave our hold ours.
    let mut f = FocusHold::default();
    assert_eq!(f.update(false, false), Some(OperatorCommand::Hold));
    f.operator_sent(&OperatorCommand::RepeatLine);
    assert_eq!(f.update(true, true), Some(OperatorCommand::Resume));
}

// --- no runtime: what the probe says ------------------------------------------------

#[test]
fn what_is_missing_is_said_in_words_a_facilitator_can_act_on() {
    use reunion_xr::probe::Missing;
    let loader = Missing::Loader("dlopen failed".into()).to_string();
    assert!(loader.contains("libopenxr_loader.so"), "{loader}");
    assert!(loader.contains("libopenxr-dev"), "{loader}");
    assert!(loader.contains("dlopen failed"), "{loader}");
    let runtime = Missing::Runtime("ERROR_RUNTIME_UNAVAILABLE".into()).to_string();
    for name in ["SteamVR", "Monado", "WiVRn", "XR_RUNTIME_JSON"] {
        assert!(runtime.contains(name), "{runtime}");
    }
    let headset = Missing::Headset {
        runtime: "SteamVR/OpenXR".into(),
        error: "ERROR_FORM_FACTOR_UNAVAILABLE".into(),
    }
    .to_string();
    assert!(
        headset.contains("\"SteamVR/OpenXR\"") && headset.contains("headset"),
        "{headset}"
    );
}

// --- the session's life, in the app --------------------------------------------------

mod app {
    use bevy::prelude::*;
    use bevy_mod_xr::session::XrState;
    use reunion_stage::prelude::*;
    use reunion_story::director::OperatorCommand;
    use reunion_xr::lifecycle::Lifecycle;
    use reunion_xr::session::{AFTER_THE_STORY, HeadsetStatus, follow_the_headset};

    use crate::app::run_until;

    /// The reference story with nobody acting and the story following a headset whose
    /// state the test sets.
    fn headset_app() -> App {
        let mut app = crate::live_headless_app();
        app.add_plugins((reunion_hands::HandsPlugin, follow_the_headset));
        app.finish();
        app.cleanup();
        app
    }

    fn headset(app: &mut App, l: Lifecycle) {
        app.world_mut().resource_mut::<HeadsetStatus>().lifecycle = Some(l);
    }

    fn held(app: &App) -> bool {
        app.world()
            .resource::<StorySession>()
            .session
            .director
            .is_held()
    }

    fn story_time(app: &App) -> f64 {
        app.world()
            .resource::<StorySession>()
            .session
            .director
            .story_time()
    }

    fn steps(app: &mut App, n: u32) {
        for _ in 0..n {
            app.update();
        }
    }

    /// The runtime takes the session down (`l`: exiting or lost): the app must not
    /// end while it is going; then it is gone.
    fn taken_down_then_gone(app: &mut App, l: Lifecycle) {
        app.insert_resource(XrState::Exiting {
            should_restart: l == Lifecycle::Lost,
        });
        headset(app, l);
        steps(app, 3);
        assert_eq!(
            app.should_exit(),
            None,
            "{l:?}: ended while the session existed"
        );
        app.insert_resource(XrState::Available);
        app.update();
    }

    fn started(app: &mut App) {
        assert!(
            run_until(app, 90 * 10, |w| w.get_resource::<StorySession>().is_some()),
            "the story did not start"
        );
    }

    #[test]
    fn the_story_waits_for_the_headset_then_holds_while_it_is_off() {
        let mut app = headset_app();
        // The runtime has not shown the story yet: it waits.
        started(&mut app);
        steps(&mut app, 2);
        assert!(held(&app), "the story ran before anyone was in the headset");
        headset(&mut app, Lifecycle::Focused);
        steps(&mut app, 2);
        assert!(!held(&app));
        let before = story_time(&app);
        steps(&mut app, 90);
        assert!(story_time(&app) > before + 0.9);
        // Headset off (the runtime shows a system menu or nothing): held, the clock
        // stops.
        for away in [Lifecycle::Visible, Lifecycle::Waiting] {
            headset(&mut app, away);
            steps(&mut app, 2);
            assert!(held(&app), "{away:?}");
            let t = story_time(&app);
            steps(&mut app, 90);
            assert_eq!(story_time(&app), t, "{away:?}");
            assert!(app.world().resource::<HeadsetStatus>().holding);
            headset(&mut app, Lifecycle::Focused);
            steps(&mut app, 2);
            assert!(!held(&app), "{away:?}: not resumed");
        }
    }

    /// Joined to a host's story (`reunion join --xr`), the story is the host's: a
    /// headset coming off asks nothing of it (before, it asked the host's story to hold,
    /// which the mirror refused with a warning, and the log said "the story holds").
    #[test]
    fn joined_to_a_host_a_headset_coming_off_does_not_ask_the_story_to_hold() {
        let mut app = crate::live_headless_app();
        app.insert_resource(Mirror::default());
        app.add_plugins((reunion_hands::HandsPlugin, follow_the_headset));
        app.finish();
        app.cleanup();
        started(&mut app);
        let asked_to_hold = |app: &App| {
            app.world()
                .resource::<Messages<OperatorRequest>>()
                .iter_current_update_messages()
                .any(|OperatorRequest(c)| *c == OperatorCommand::Hold)
        };
        for l in [
            Lifecycle::Waiting,
            Lifecycle::Focused,
            Lifecycle::Visible,
            Lifecycle::Focused,
            Lifecycle::Hidden,
        ] {
            headset(&mut app, l);
            for _ in 0..3 {
                app.update();
                assert!(
                    !asked_to_hold(&app),
                    "{l:?}: the host's story was asked to hold"
                );
                assert!(!app.world().resource::<HeadsetStatus>().holding, "{l:?}");
            }
        }
        // On its own (the host lost), the headset holds the story it plays again.
        app.world_mut().resource_mut::<Mirror>().go_on_alone();
        headset(&mut app, Lifecycle::Focused);
        steps(&mut app, 2);
        headset(&mut app, Lifecycle::Visible);
        app.update();
        assert!(
            asked_to_hold(&app),
            "on its own, a headset off holds the story"
        );
    }

    #[test]
    fn the_headset_coming_back_never_resumes_the_operators_hold() {
        let mut app = headset_app();
        headset(&mut app, Lifecycle::Focused);
        started(&mut app);
        steps(&mut app, 2);
        app.world_mut()
            .write_message(OperatorRequest(OperatorCommand::Hold));
        steps(&mut app, 2);
        assert!(held(&app));
        headset(&mut app, Lifecycle::Waiting);
        steps(&mut app, 10);
        headset(&mut app, Lifecycle::Focused);
        steps(&mut app, 10);
        assert!(held(&app), "the operator's hold was resumed");
        // And a stop to the calm place while the headset is off stays.
        app.world_mut()
            .write_message(OperatorRequest(OperatorCommand::Resume));
        steps(&mut app, 2);
        assert!(!held(&app));
        headset(&mut app, Lifecycle::Hidden);
        steps(&mut app, 2);
        assert!(held(&app));
        app.world_mut()
            .write_message(OperatorRequest(OperatorCommand::StopNow));
        steps(&mut app, 5);
        headset(&mut app, Lifecycle::Focused);
        steps(&mut app, 10);
        assert!(held(&app), "the stop was undone");
    }

    #[test]
    fn a_lost_session_ends_the_app_with_exit_code_3_and_an_exit_with_0() {
        for (l, code) in [
            (Lifecycle::Lost, AppExit::from_code(3)),
            (Lifecycle::Exiting, AppExit::Success),
        ] {
            let mut app = headset_app();
            headset(&mut app, Lifecycle::Focused);
            started(&mut app);
            taken_down_then_gone(&mut app, l);
            assert_eq!(app.should_exit(), Some(code), "{l:?}");
        }
    }

    #[test]
    fn esc_ends_the_running_session_first_and_a_second_esc_closes_at_once() {
        use bevy_mod_xr::session::XrRequestExitMessage;
        use reunion_stage::flat::QuitRequested;
        let requests = |app: &mut App| {
            let world = app.world_mut();
            let messages = world.resource::<Messages<XrRequestExitMessage>>();
            messages.get_cursor().read(messages).count()
        };
        // The mirror window's keys, as the facilitator presses them.
        let mut app = crate::live_headless_app();
        app.add_plugins((
            bevy::input::InputPlugin,
            reunion_stage::FlatPlugin,
            reunion_hands::HandsPlugin,
            follow_the_headset,
        ));
        app.finish();
        app.cleanup();
        headset(&mut app, Lifecycle::Focused);
        started(&mut app);
        app.insert_resource(XrState::Running);
        let window = app.world_mut().spawn_empty().id();
        app.world_mut()
            .write_message(bevy::input::keyboard::KeyboardInput {
                key_code: KeyCode::Escape,
                logical_key: bevy::input::keyboard::Key::Escape,
                state: bevy::input::ButtonState::Pressed,
                text: None,
                repeat: false,
                window,
            });
        app.update();
        assert_eq!(
            app.should_exit(),
            None,
            "Esc closed the app with the session running"
        );
        assert_eq!(requests(&mut app), 1, "the runtime was not asked to end it");
        // The runtime takes it down: then the app closes, with 0.
        taken_down_then_gone(&mut app, Lifecycle::Exiting);
        assert_eq!(app.should_exit(), Some(AppExit::Success));

        // A runtime that never ends the session: Esc again closes.
        let mut app = headset_app();
        headset(&mut app, Lifecycle::Focused);
        started(&mut app);
        app.insert_resource(XrState::Running);
        app.world_mut().write_message(QuitRequested);
        steps(&mut app, 30);
        assert_eq!(app.should_exit(), None);
        app.world_mut().write_message(QuitRequested);
        app.update();
        assert_eq!(app.should_exit(), Some(AppExit::Success));
    }

    #[test]
    fn the_app_ends_after_the_story_and_its_aftercare() {
        let mut app = headset_app();
        headset(&mut app, Lifecycle::Focused);
        started(&mut app);
        app.world_mut()
            .write_message(OperatorRequest(OperatorCommand::EndGently));
        assert!(
            run_until(&mut app, 90 * 120, |w| w
                .resource::<StorySession>()
                .session
                .director
                .is_ended()),
            "the story did not end"
        );
        // The aftercare shows for a while…
        let aftercare = (AFTER_THE_STORY * 90.0) as u32;
        for _ in 0..aftercare - 10 {
            app.update();
            assert_eq!(app.should_exit(), None);
        }
        // …then, with no running session to end, the app closes.
        let closed = (0..20).find_map(|_| {
            app.update();
            app.should_exit()
        });
        assert_eq!(closed, Some(AppExit::Success));
    }
}

// --- the command line -------------------------------------------------------------

/// `reunion ARGS` with no runtime and no display.
fn reunion_without_vr(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_reunion"))
        .args(args)
        .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run reunion")
}

#[test]
fn xr_without_a_runtime_exits_3_naming_the_loader_or_the_runtimes() {
    let out = reunion_without_vr(&["play", "--xr"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: cannot start VR"), "{err}");
    // Whichever is missing on this machine, the message names what to install, or the
    // manifest the tests' XR_RUNTIME_JSON names, which is not there.
    assert!(
        err.contains("libopenxr_loader.so")
            || err.contains("XR_RUNTIME_JSON names the runtime manifest /nonexistent/"),
        "{err}"
    );
    assert!(!err.contains("playing flat-screen"), "{err}");
}

#[test]
fn xr_auto_without_a_runtime_goes_on_flat_screen_with_a_notice() {
    let out = reunion_without_vr(&["play", "--xr=auto"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("notice: no VR"), "{err}");
    assert!(err.contains("playing flat-screen"), "{err}");
    // It went on to open the flat window (and, with no display here, said so).
    assert!(err.contains("no display"), "{err}");
    assert_eq!(out.status.code(), Some(2), "{err}");
}

#[test]
fn xr_and_the_autopilot_do_not_mix() {
    let out = reunion_without_vr(&["play", "--xr", "--autopilot"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be combined with --xr"));
}
