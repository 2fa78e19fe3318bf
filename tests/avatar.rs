//! The avatar: the pure animator (IK, gaze, blinks, blending, walking, holding a hand)
//! and the Bevy avatar driven by the reference story, headless.

use std::collections::BTreeSet;

use bevy::math::{Quat, Vec2, Vec3};
use bevy::prelude::*;
use reunion_avatar::child::Rig;
use reunion_avatar::ik::{MAX_EXTENSION, two_bone};
use reunion_avatar::motion::{
    Animator, BLINK_MAX, BLINK_MIN, Blinker, Command, EYE_PITCH, EYE_YAW, HEAD_PITCH_DOWN,
    HEAD_PITCH_UP, HEAD_YAW, Rng, Senses, expression_face,
};
use reunion_avatar::prelude::*;
use reunion_stage::headless::run_headless;
use reunion_stage::prelude::*;
use reunion_story::story::{Expression, Gesture, NodeKind, WorldCue};

use crate::reference;

const DT: f32 = 1.0 / 90.0;

#[test]
fn ik_reaches_a_reachable_target_within_a_millimetre() {
    let mut rng = Rng::new(7);
    let (a, b) = (0.18, 0.17);
    for _ in 0..2_000 {
        let dir = Vec3::new(
            rng.range(-1.0, 1.0),
            rng.range(-1.0, 1.0),
            rng.range(-1.0, 1.0),
        )
        .normalize_or(Vec3::X);
        let d = rng.range(0.3, 0.95) * (a + b) * MAX_EXTENSION;
        let root = Vec3::new(0.1, 0.3, 0.0);
        let target = root + dir * d;
        let limb = two_bone(root, target, a, b, Vec3::new(0.5, -0.3, 1.0));
        assert!(limb.reached);
        assert!(
            limb.end.distance(target) < 1e-3,
            "missed {target} by {}",
            limb.end.distance(target)
        );
        assert!(
            ((limb.mid - limb.root).length() - a).abs() < 1e-4,
            "upper bone changed length"
        );
        assert!(
            ((limb.end - limb.mid).length() - b).abs() < 1e-4,
            "lower bone changed length"
        );
    }
}

#[test]
fn ik_never_hyperextends_for_an_unreachable_target() {
    let mut rng = Rng::new(11);
    let (a, b) = (0.18, 0.17);
    let straightest = {
        // The inner angle of a limb at its largest allowed extension.
        let d = (a + b) * MAX_EXTENSION;
        ((a * a + b * b - d * d) / (2.0 * a * b)).acos()
    };
    for _ in 0..2_000 {
        let dir = Vec3::new(
            rng.range(-1.0, 1.0),
            rng.range(-1.0, 1.0),
            rng.range(-1.0, 1.0),
        )
        .normalize_or(Vec3::X);
        let target = dir * rng.range(0.4, 5.0);
        let limb = two_bone(Vec3::ZERO, target, a, b, Vec3::Z);
        assert!(!limb.reached);
        assert!(
            limb.inner_angle() <= straightest + 1e-3,
            "elbow locked straight or bent backwards"
        );
        assert!(((limb.mid - limb.root).length() - a).abs() < 1e-4);
        assert!(((limb.end - limb.mid).length() - b).abs() < 1e-4);
        // It points at what it cannot reach.
        assert!(limb.end.normalize().dot(dir) > 0.9999);
    }
    // Too close: the limb folds no tighter than its limit.
    let limb = two_bone(Vec3::ZERO, Vec3::new(0.0, -0.01, 0.0), a, b, Vec3::Z);
    assert!(limb.inner_angle() > 0.2);
}

#[test]
fn gaze_stays_within_neck_and_eye_limits_wherever_the_target_is() {
    let mut anim = Animator::new(1.18, 3);
    let mut rng = Rng::new(5);
    let eye = Vec3::Y * anim.body.eye_height();
    for _ in 0..200 {
        let target = eye
            + Vec3::new(
                rng.range(-3.0, 3.0),
                rng.range(-2.0, 2.0),
                rng.range(-3.0, 3.0),
            );
        let senses = Senses {
            look: Some(target),
            ..default()
        };
        for _ in 0..30 {
            let pose = anim.step(DT, &senses);
            let g = pose.gaze;
            assert!(g.head.x.abs() <= HEAD_YAW + 1e-4, "head yaw {}", g.head.x);
            assert!((-HEAD_PITCH_DOWN - 1e-4..=HEAD_PITCH_UP + 1e-4).contains(&g.head.y));
            assert!(g.eyes.x.abs() <= EYE_YAW + 1e-4, "eye yaw {}", g.eyes.x);
            assert!(g.eyes.y.abs() <= EYE_PITCH + 1e-4, "eye pitch {}", g.eyes.y);
        }
    }
    // In front of her, head and eyes together land on the target.
    let target = eye + Vec3::new(0.4, -0.2, -1.5);
    let senses = Senses {
        look: Some(target),
        ..default()
    };
    let mut pose = anim.step(DT, &senses);
    for _ in 0..(3.0 / DT) as usize {
        pose = anim.step(DT, &senses);
    }
    let want = reunion_avatar::motion::yaw_pitch(target - eye);
    let got = pose.gaze.head + pose.gaze.eyes;
    assert!(
        (want - got).length() < 0.08,
        "looks at {got} instead of {want}"
    );
}

#[test]
fn blinks_come_at_natural_intervals_over_ten_minutes() {
    let mut blinker = Blinker::new(42);
    blinker.history = Some(Vec::new());
    let mut closed_frames = 0;
    let frames = (600.0 / DT) as usize;
    for i in 0..frames {
        if blinker.lid(i as f64 * f64::from(DT)) > 0.5 {
            closed_frames += 1;
        }
    }
    let starts = blinker.history.expect("history");
    assert!(
        (100..=320).contains(&starts.len()),
        "{} blinks in ten minutes",
        starts.len()
    );
    for w in starts.windows(2) {
        let gap = (w[1] - w[0]) as f32;
        let double = (gap - 0.35).abs() < 1e-3;
        assert!(
            double || (BLINK_MIN - 1e-3..=BLINK_MAX + 1e-3).contains(&gap),
            "gap {gap}"
        );
    }
    // Eyes are closed only a small share of the time.
    assert!(closed_frames < frames / 20);
    // The same seed, the same blinks; another seed, others.
    let run = |seed| {
        let mut b = Blinker::new(seed);
        (0..9000)
            .map(|i| b.lid(f64::from(i) / 90.0))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn gestures_and_expressions_blend_in_and_out_without_pops() {
    let mut anim = Animator::new(1.18, 1);
    let senses = Senses::default();
    let mut last = anim.step(DT, &senses);
    let mut max_hand_step = 0.0f32;
    let mut max_smile_step = 0.0f32;
    let mut step = |anim: &mut Animator, seconds: f32| {
        for _ in 0..(seconds / DT) as usize {
            let pose = anim.step(DT, &senses);
            for i in 0..2 {
                max_hand_step = max_hand_step.max(pose.arms[i].end.distance(last.arms[i].end));
            }
            max_smile_step = max_smile_step.max((pose.face.smile - last.face.smile).abs());
            last = pose;
        }
    };
    anim.command(Command::Gesture(Gesture::Wave));
    step(&mut anim, 1.0);
    assert!(
        anim.gestures()
            .iter()
            .any(|&(g, w)| g == Gesture::Wave && w > 0.99)
    );
    // A new gesture mid-way: the wave fades while the clap comes in.
    anim.command(Command::Gesture(Gesture::Clap));
    step(&mut anim, 0.2);
    let g = anim.gestures();
    assert!(
        g.iter()
            .any(|&(g, w)| g == Gesture::Wave && w > 0.0 && w < 1.0),
        "{g:?}"
    );
    assert!(g.iter().any(|&(g, w)| g == Gesture::Clap && w > 0.0));
    step(&mut anim, 3.0);
    assert!(
        anim.gestures().is_empty(),
        "gestures end by themselves: {:?}",
        anim.gestures()
    );
    anim.command(Command::Expression(Expression::Laugh));
    step(&mut anim, 0.1);
    assert!(
        anim.face().smile < expression_face(Expression::Laugh).smile,
        "expressions ease in"
    );
    step(&mut anim, 1.5);
    assert!((anim.face().smile - 1.0).abs() < 0.02);
    anim.command(Command::Expression(Expression::Sad));
    step(&mut anim, 1.5);
    assert!(anim.face().smile < -0.6);
    for g in reunion_avatar::motion::GESTURES {
        anim.command(Command::Gesture(g));
        step(&mut anim, 1.0);
    }
    // At 90 Hz a hand moves at most a few centimetres a frame, under 3.6 m/s even in
    // a quick wave; a pop (a pose switched without blending) moves ten or more.
    assert!(
        max_hand_step < 0.04,
        "a hand jumped {max_hand_step} m in one frame"
    );
    assert!(
        max_smile_step < 0.1,
        "the mouth jumped {max_smile_step} in one frame"
    );
}

#[test]
fn lying_down_lasts_until_another_gesture_gets_her_up() {
    let mut anim = Animator::new(1.18, 1);
    anim.command(Command::Gesture(Gesture::LieDown));
    let mut pose = anim.step(DT, &Senses::default());
    for _ in 0..(5.0 / DT) as usize {
        pose = anim.step(DT, &Senses::default());
    }
    assert!(anim.is_lying());
    assert!(
        pose.body_rot.angle_between(Quat::IDENTITY) > 1.5,
        "she lies on her side"
    );
    assert!(pose.face.lid > 0.95, "eyes closed to sleep");
    anim.command(Command::Gesture(Gesture::GlowAndFade));
    for _ in 0..(3.0 / DT) as usize {
        anim.step(DT, &Senses::default());
    }
    assert!(anim.is_lying(), "the farewell glow keeps her lying");
    anim.command(Command::Gesture(Gesture::Wave));
    for _ in 0..(3.0 / DT) as usize {
        pose = anim.step(DT, &Senses::default());
    }
    assert!(!anim.is_lying());
    assert!(pose.body_rot.angle_between(Quat::IDENTITY) < 1e-3);
}

#[test]
fn walking_keeps_the_standing_foot_still_on_the_ground() {
    let mut anim = Animator::new(1.18, 9);
    let speed = 0.7;
    let mut root = Vec3::ZERO;
    // Foot world positions per side while the foot is planted.
    let mut planted: [Vec<Vec3>; 2] = [Vec::new(), Vec::new()];
    let mut slide = 0.0f32;
    let mut steps = 0;
    for frame in 0..(8.0 / DT) as usize {
        root += Vec3::NEG_Z * speed * DT;
        let pose = anim.step(DT, &Senses { root, ..default() });
        if frame < (2.0 / DT) as usize {
            continue; // let her get into her stride
        }
        assert!(anim.walking() > 0.99);
        let p = anim.body;
        let pelvis = Vec3::Y * p.hip_y + pose.pelvis_offset;
        for (leg, planted) in pose.legs.iter().zip(&mut planted) {
            let foot = root + pelvis + pose.pelvis_rot * leg.end;
            let on_ground = foot.y < p.ankle + 1e-3;
            if on_ground {
                if let Some(first) = planted.first() {
                    slide = slide.max(first.with_y(0.0).distance(foot.with_y(0.0)));
                }
                planted.push(foot);
            } else if !planted.is_empty() {
                planted.clear();
                steps += 1;
            }
        }
    }
    assert!(steps >= 6, "only {steps} steps in six seconds of walking");
    assert!(slide < 0.01, "a planted foot slid {slide} m");
    // Standing still again, she stops stepping.
    for _ in 0..(2.0 / DT) as usize {
        anim.step(DT, &Senses { root, ..default() });
    }
    assert!(anim.walking() < 0.01);
}

#[test]
fn a_held_hand_follows_the_participants_hand_within_reach() {
    let mut anim = Animator::new(1.18, 2);
    let chest = Vec3::Y * anim.body.waist_y;
    // The participant's hand, in front of her and to her left, within reach.
    let hand = chest + Vec3::new(-0.2, 0.05, -0.2);
    let mut pose = anim.step(DT, &Senses::default());
    for _ in 0..(2.0 / DT) as usize {
        pose = anim.step(
            DT,
            &Senses {
                hold: Some(hand),
                ..default()
            },
        );
    }
    // Her left hand (index 1) holds it, where it is: her chest sways and breathes, and
    // the hand stays on the participant's.
    let wrist =
        reunion_avatar::retarget::RigFrames::of(&pose, &anim.body, [0.0; 2], 0.0).arms[1][2];
    assert!(
        wrist.distance(hand) < 0.005,
        "her hand is {} m off",
        wrist.distance(hand)
    );
    // A hand out of reach: her arm goes towards it without locking straight.
    let far = chest + Vec3::new(-1.5, 0.0, -0.5);
    for _ in 0..(2.0 / DT) as usize {
        pose = anim.step(
            DT,
            &Senses {
                hold: Some(far),
                ..default()
            },
        );
    }
    let arm = pose.arms[1];
    assert!(!arm.reached);
    assert!(arm.inner_angle() < std::f32::consts::PI - 0.05);
    // Let go: the arm returns to rest.
    for _ in 0..(2.0 / DT) as usize {
        pose = anim.step(DT, &Senses::default());
    }
    assert!(pose.arms[1].end.distance(anim.body.hand_rest(-1.0)) < 0.02);
}

#[test]
fn her_mouth_follows_the_voice_envelope_and_falls_back_to_the_text() {
    let mut anim = Animator::new(1.18, 4);
    let closed = anim
        .step(
            DT,
            &Senses {
                mouth: Some(0.0),
                ..default()
            },
        )
        .face
        .open;
    let open = anim
        .step(
            DT,
            &Senses {
                mouth: Some(1.0),
                ..default()
            },
        )
        .face
        .open;
    assert!(closed < 0.1 && open > 0.7, "closed {closed}, open {open}");
    // No clip: the mouth moves while the line lasts, and rests after.
    anim.command(Command::Talk { seconds: 2.0 });
    let opens: Vec<f32> = (0..(2.0 / DT) as usize)
        .map(|_| anim.step(DT, &Senses::default()).face.open)
        .collect();
    let moving = opens
        .windows(2)
        .filter(|w| (w[0] - w[1]).abs() > 1e-3)
        .count();
    assert!(
        moving > opens.len() / 2,
        "the mouth hardly moved while talking"
    );
    assert!(opens.iter().cloned().fold(0.0, f32::max) > 0.3);
    for _ in 0..30 {
        anim.step(DT, &Senses::default());
    }
    assert!(!anim.is_talking());
    assert!(anim.step(DT, &Senses::default()).face.open < 0.1);
}

/// Gestures and expressions that played at full weight in a headless run.
#[derive(Resource, Default)]
struct Seen {
    gestures: BTreeSet<String>,
    expressions: BTreeSet<String>,
    frames_with_rig: u32,
}

fn watch_avatars(avatars: Query<(&AvatarAnimator, &Rig)>, mut seen: ResMut<Seen>) {
    for (a, _) in &avatars {
        seen.frames_with_rig += 1;
        for (g, w) in a.animator.gestures() {
            if w > 0.9 {
                seen.gestures.insert(format!("{g:?}"));
            }
        }
        let e = a.animator.expression();
        if let Some(pose) = a.pose
            && (pose.face.smile - expression_face(e).smile).abs() < 0.05
        {
            seen.expressions.insert(format!("{e:?}"));
        }
    }
}

#[test]
fn the_autopilot_playthrough_drives_every_gesture_and_expression_the_story_names() {
    let mut app = crate::app::autopilot_app("en");
    app.init_resource::<Seen>()
        .add_systems(Update, watch_avatars.after(AvatarSystems));
    run_headless(&mut app, 90 * 600).expect("the story ends");
    let story = reunion_story::load::load_dir(&reference())
        .story
        .expect("story");
    let mut named = BTreeSet::new();
    let mut expressions = BTreeSet::new();
    for node in &story.nodes {
        match &node.kind {
            NodeKind::Say(line) => {
                named.extend(line.gesture.map(|g| format!("{g:?}")));
                expressions.extend(line.expression.map(|e| format!("{e:?}")));
            }
            NodeKind::Cue { world, .. } => {
                for w in world {
                    if let WorldCue::Gesture(_, g) = w {
                        named.insert(format!("{g:?}"));
                    }
                }
            }
            _ => {}
        }
    }
    // The butterfly's farewell is a transition the stage plays, not a gesture cue.
    let seen = app.world().resource::<Seen>();
    assert!(
        seen.frames_with_rig > 1000,
        "the avatar was not built headless"
    );
    assert!(named.len() >= 8, "the reference story names {named:?}");
    let missing: Vec<_> = named.difference(&seen.gestures).collect();
    assert!(
        missing.is_empty(),
        "never played at full weight: {missing:?} (played {:?})",
        seen.gestures
    );
    let missing: Vec<_> = expressions.difference(&seen.expressions).collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
}

#[test]
fn two_headless_runs_move_her_identically() {
    let run = || {
        let mut app = crate::app::autopilot_app("en");
        app.finish();
        app.cleanup();
        // Loading takes a varying number of frames; compare at the same story time.
        let at = |w: &World| {
            w.get_resource::<StorySession>()
                .is_some_and(|s| s.session.director.session_time() >= 40.0)
        };
        for _ in 0..90 * 60 {
            app.update();
            if at(app.world()) {
                break;
            }
        }
        let mut q = app.world_mut().query::<&AvatarAnimator>();
        let a = q.iter(app.world()).next().expect("an avatar on stage");
        let pose = a.pose.expect("a pose");
        (
            pose.arms[0].end,
            pose.legs[1].end,
            pose.face.lid,
            pose.gaze.eyes,
        )
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    let _: (Vec3, Vec3, f32, Vec2) = a;
}

#[test]
fn a_gltf_avatar_plays_the_clip_of_the_newest_gesture_then_idle_or_walk() {
    use reunion_avatar::gltf::wanted_clip;
    let mut a = AvatarAnimator {
        animator: Animator::new(1.18, 1),
        line: None,
        listening: None,
        pose: None,
        voiced: false,
    };
    let step = |a: &mut AvatarAnimator, seconds: f32, root: Vec3| {
        for _ in 0..(seconds / DT) as usize {
            a.animator.step(DT, &Senses { root, ..default() });
        }
    };
    assert_eq!(wanted_clip(&a), "idle");
    a.animator.command(Command::Gesture(Gesture::Wave));
    step(&mut a, 1.0, Vec3::ZERO);
    assert_eq!(wanted_clip(&a), "wave");
    a.animator.command(Command::Gesture(Gesture::Clap));
    step(&mut a, 1.0, Vec3::ZERO);
    assert_eq!(wanted_clip(&a), "clap");
    step(&mut a, 3.0, Vec3::ZERO);
    assert_eq!(
        wanted_clip(&a),
        "idle",
        "back to idle when the gesture ends"
    );
    let mut root = Vec3::ZERO;
    for _ in 0..90 {
        root += Vec3::NEG_Z * 0.8 * DT;
        a.animator.step(DT, &Senses { root, ..default() });
    }
    assert_eq!(wanted_clip(&a), "walk");
}
