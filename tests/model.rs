//! Their person, headless: the reference story with Nayeon as a real rigged model —
//! the project's generated humanoid (no clips, ARKit and viseme shapes) and
//! RobotExpressive (another tool's skeleton, with clips) — played to its end by the
//! autopilot, her bones and face driven by the animator. While she plays, the test
//! watches what a participant would see: her palm in the participant's hand, her head
//! turned to the participant, her feet on the ground as she leads, her mouth shaping
//! the vowels of her lines.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use reunion_avatar::ik::MIN_EXTENSION;
use reunion_avatar::prelude::*;
use reunion_hands::prelude::*;
use reunion_stage::headless::load_models_headless;
use reunion_stage::prelude::*;
use reunion_story::humanoid::Bone;
use reunion_story::visemes::Viseme;

use crate::{copy_dir, root};

/// A temporary folder of its own for each call (tests run in parallel).
fn fresh_dir(what: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("reunion-test-{what}-{}-{n}", std::process::id()))
}

fn humanoid_story() -> PathBuf {
    root().join("assets/stories/nayeon_humanoid")
}

/// A copy of the humanoid story (in a folder of its own) with Nayeon as the model
/// `bytes`, written as `models/<file>`; `extra`: more of her `model:` entry.
fn humanoid_story_as(what: &str, file: &str, bytes: &[u8], extra: &str) -> PathBuf {
    let dir = fresh_dir(what);
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&humanoid_story(), &dir);
    std::fs::write(dir.join("models").join(file), bytes).expect("write the model");
    let story = std::fs::read_to_string(dir.join("story.ron")).expect("story");
    let story = story.replace(
        r#"model: (file: "models/humanoid_child.glb"),"#,
        &format!(r#"model: (file: "models/{file}"{extra}),"#),
    );
    std::fs::write(dir.join("story.ron"), story).expect("write story");
    dir
}

/// The humanoid story with Nayeon as `../shared/models/RobotExpressive.glb` (its
/// README says where it is from), or `None` where that folder is not beside the
/// workspace (said on the terminal).
fn robot_story() -> Option<PathBuf> {
    let robot = root().join("../shared/models/RobotExpressive.glb");
    let Ok(bytes) = std::fs::read(&robot) else {
        eprintln!(
            "{} is not here: RobotExpressive is not tried",
            robot.display()
        );
        return None;
    };
    Some(humanoid_story_as(
        "robot",
        "RobotExpressive.glb",
        &bytes,
        ", height: 1.3",
    ))
}

/// The humanoid story with Nayeon as the generated child made a VRM 1.0 avatar
/// (`reunion_modelkit::vrm`: her morph targets known only by its expressions).
fn vrm_story() -> PathBuf {
    humanoid_story_as(
        "vrm",
        "child.vrm",
        &reunion_modelkit::vrm::humanoid_child_vrm(),
        "",
    )
}

/// The story in `folder` headless with the autopilot, its models loaded.
pub fn model_app(folder: &Path, lang: &str) -> App {
    let mut app = crate::app::autopilot_app_in(folder, lang);
    load_models_headless(&mut app);
    app
}

/// What the test saw over a whole run.
#[derive(Default)]
struct Watched {
    frames_bound: u32,
    /// Frames her hand was held with the participant's hand within her reach, and
    /// the farthest her palm was from it then.
    held_in_reach: u32,
    palm_miss: f32,
    /// The same while she walks (leading).
    palm_miss_walking: f32,
    /// Frames she stood talking with the participant in front of her, and the largest
    /// angle between where her head faced and the participant's eyes.
    facing: u32,
    facing_angles: Vec<f32>,
    /// Frames she walked, and how far her lower foot was from the floor at worst.
    walking: u32,
    foot_off_floor: f32,
    /// Frames a vowel led her line's mouth, and those where the model's own shape for
    /// it was the strongest of its vowel shapes.
    vowels: u32,
    vowels_shown: u32,
    /// Frames any bone of hers moved from its rest.
    moved: u32,
    /// Lying down, the lowest her head came, as a share of her height above her root.
    head_lying: Option<f32>,
}

/// The Oculus viseme the test humanoid has for one of our shapes.
fn viseme_morph(model_names: &[String], weights: &[f32], v: Viseme) -> f32 {
    let want = match v {
        Viseme::Sil => "viseme_sil",
        Viseme::Pp => "viseme_pp",
        Viseme::Aa => "viseme_aa",
        Viseme::Ih => "viseme_i",
        Viseme::Ou => "viseme_u",
        Viseme::Ee => "viseme_e",
        Viseme::Oh => "viseme_o",
    };
    model_names
        .iter()
        .zip(weights)
        .filter(|(n, _)| n.to_lowercase() == want)
        .map(|(_, w)| *w)
        .fold(0.0, f32::max)
}

/// Plays `folder` to its end, watching her.
fn play_and_watch(folder: &Path, lang: &str) -> Watched {
    let mut app = model_app(folder, lang);
    app.finish();
    app.cleanup();
    let mut seen = Watched::default();
    let mut rest: Option<Vec<Transform>> = None;
    // The hand she holds with, and for how many frames it has been that one: a hand
    // handed over is on its way for a moment.
    let mut same_side = (None, 0u32);
    for _ in 0..90 * 1800 {
        app.update();
        if let Some(result) = &app.world().resource::<reunion_stage::headless::Outcome>().0 {
            result.clone().unwrap_or_else(|s| panic!("{s}"));
            break;
        }
        let world = app.world_mut();
        let mut q = world.query::<(&ModelRig, &AvatarAnimator, &GlobalTransform)>();
        let Some((rig, a, root)) = q.iter(world).next() else {
            continue;
        };
        seen.frames_bound += 1;
        let (rig_entities, palms) = (rig.entities.clone(), rig.palms);
        let head_e = rig.entity(Bone::Head);
        // A VRM's vowel expressions: the targets each binds.
        let vowel_binds: Vec<Vec<(Entity, usize)>> = Viseme::VOWELS
            .map(|v| {
                rig.expressions
                    .get(v.name())
                    .map(|b| b.iter().map(|&(e, i, _)| (e, i)).collect())
                    .unwrap_or_default()
            })
            .to_vec();
        // Her arms' joints: upper arm, forearm, hand (right, left).
        let arms = [
            [Bone::RightUpperArm, Bone::RightForearm, Bone::RightHand],
            [Bone::LeftUpperArm, Bone::LeftForearm, Bone::LeftHand],
        ]
        .map(|bones| bones.map(|b| rig.entity(b).expect("an arm bone")));
        let head_forward = rig.retarget.forward_in(Bone::Head);
        let feet = [Bone::RightFoot, Bone::LeftFoot].map(|b| rig.entity(b));
        let root = *root;
        let pose = a.pose;
        let walking = a.animator.walking();
        let talking = a.animator.is_talking();
        let lying = a.animator.is_lying();
        let reaching = a.animator.reaching();
        let holding = a.animator.holding_side();
        same_side = if same_side.0 == holding {
            (holding, same_side.1 + 1)
        } else {
            (holding, 0)
        };
        let settled = same_side.1 > 45;
        let palm_length = rig.retarget.palm();
        let ankle = a.animator.body.ankle;
        let height = a.animator.body.height;
        let Some(now) = rig_entities
            .iter()
            .map(|e| world.get::<Transform>(*e).copied())
            .collect::<Option<Vec<Transform>>>()
        else {
            continue; // her scene was spawned again: the rig finds it next frame
        };
        match &rest {
            None => rest = Some(now),
            Some(r) => {
                if r.iter()
                    .zip(&now)
                    .any(|(a, b)| a.rotation.angle_between(b.rotation) > 0.02)
                {
                    seen.moved += 1;
                }
            }
        }
        // Held: her palm in the participant's hand, where it is within her reach.
        let held = world.resource::<HandHold>().held;
        if let Some(h) = held {
            let hand = world
                .get::<GlobalTransform>(h.hand)
                .expect("hand")
                .translation();
            let i = holding.unwrap_or(0);
            // Within the reach of her own arm: not beyond it, and not so near her
            // shoulder that the arm cannot fold that tight (a long forearm on a short
            // upper arm cannot bring the hand near the shoulder).
            let [shoulder, elbow, wrist] =
                arms[i].map(|e| world.get::<GlobalTransform>(e).expect("bone").translation());
            let (upper, lower) = (
                shoulder.distance(elbow),
                elbow.distance(wrist) + palm_length,
            );
            let nearest = ((upper - lower).abs()).max(MIN_EXTENSION * (upper + lower));
            let d = hand.distance(shoulder);
            let in_reach = d > nearest * 1.1 && d < (upper + lower) * 0.9;
            if reaching[i] > 0.99
                && holding.is_some()
                && settled
                && in_reach
                && let Some(palm) = palms[i]
            {
                seen.held_in_reach += 1;
                seen.palm_miss = seen.palm_miss.max(palm.distance(hand));
                if walking > 0.5 {
                    seen.palm_miss_walking = seen.palm_miss_walking.max(palm.distance(hand));
                }
            }
        }
        let world = app.world_mut();
        // Facing: while she talks standing, her head turns to the participant's eyes.
        if talking && walking < 0.05 && !lying {
            let mut heads = world.query_filtered::<&GlobalTransform, With<ParticipantHead>>();
            let eyes = heads.iter(world).next().map(GlobalTransform::translation);
            if let (Some(eyes), Some(e), Some(fwd)) = (eyes, head_e, head_forward)
                && let Some(g) = world.get::<GlobalTransform>(e)
            {
                let forward = g.rotation() * fwd;
                let to = eyes - g.translation();
                seen.facing += 1;
                seen.facing_angles
                    .push(forward.angle_between(to).to_degrees());
            }
        }
        if lying && let Some(g) = head_e.and_then(|e| world.get::<GlobalTransform>(e)) {
            let low = (g.translation().y - root.translation().y) / height;
            seen.head_lying = Some(seen.head_lying.map_or(low, |h: f32| h.min(low)));
        }
        if walking > 0.95 {
            let heights: Vec<f32> = feet
                .iter()
                .flatten()
                .filter_map(|e| world.get::<GlobalTransform>(*e))
                .map(|g| g.translation().y)
                .collect();
            if let Some(low) = heights.iter().copied().reduce(f32::min) {
                seen.walking += 1;
                seen.foot_off_floor = seen
                    .foot_off_floor
                    .max((low - root.translation().y - ankle).abs());
            }
        }
        // The mouth: the model's shape for the leading vowel is its strongest.
        if let Some(w) = pose.and_then(|p| p.face.visemes) {
            let lead = w.dominant();
            if Viseme::VOWELS.contains(&lead) && w.get(lead) > 0.6 {
                let world = app.world_mut();
                let mut meshes = world.query::<&MorphWeights>();
                let mesh_assets = world.resource::<Assets<Mesh>>();
                // Each vowel's shape as the file names it (Oculus visemes), or as a
                // VRM expression binds it.
                let mut shown = [0.0f32; 5];
                let mut any = false;
                for mw in meshes.iter(world) {
                    let Some(names) = mw
                        .first_mesh()
                        .and_then(|m| mesh_assets.get(m))
                        .and_then(|m| m.morph_target_names())
                    else {
                        continue;
                    };
                    for (k, v) in Viseme::VOWELS.into_iter().enumerate() {
                        shown[k] = shown[k].max(viseme_morph(names, mw.weights(), v));
                    }
                    any |= names
                        .iter()
                        .any(|n| n.to_lowercase().starts_with("viseme_"));
                }
                for (k, binds) in vowel_binds.iter().enumerate() {
                    for &(e, index) in binds {
                        any = true;
                        let w = world
                            .get::<MorphWeights>(e)
                            .and_then(|w| w.weights().get(index).copied())
                            .unwrap_or(0.0);
                        shown[k] = shown[k].max(w);
                    }
                }
                let best = Viseme::VOWELS
                    .into_iter()
                    .zip(shown)
                    .max_by(|a, b| a.1.total_cmp(&b.1));
                if any {
                    seen.vowels += 1;
                    if best.is_some_and(|(v, x)| v == lead && x > 0.3) {
                        seen.vowels_shown += 1;
                    }
                }
            }
        }
    }
    let s = app.world().resource::<StorySession>();
    assert!(s.session.director.is_ended(), "the story did not end");
    seen
}

fn report(name: &str, w: &Watched) {
    let mut angles = w.facing_angles.clone();
    angles.sort_by(f32::total_cmp);
    let pct = |p: f32| {
        angles
            .get(((angles.len() as f32 - 1.0) * p) as usize)
            .copied()
    };
    eprintln!(
        "{name}: bound {} frames, moved {}; held in reach {} frames, palm off by at most {:.1} cm ({:.1} cm walking); \
         facing {} frames, head to the participant's eyes median {:?}° p90 {:?}°; walking {} frames, \
         lower foot off the floor at most {:.1} cm; vowels {} frames, shown {}; lying, head at {:?} of her height",
        w.frames_bound,
        w.moved,
        w.held_in_reach,
        w.palm_miss * 100.0,
        w.palm_miss_walking * 100.0,
        w.facing,
        pct(0.5),
        pct(0.9),
        w.walking,
        w.foot_off_floor * 100.0,
        w.vowels,
        w.vowels_shown,
        w.head_lying,
    );
}

/// What every model must show: bound, moving, her palm in the participant's hand, her
/// head turned to the participant, her feet on the floor as she leads.
fn assert_alive(w: &Watched) {
    assert!(w.frames_bound > 90 * 60, "her bones were never found");
    assert!(w.moved > w.frames_bound / 2, "her bones hardly moved");
    // A third of a second at least: the autopilot's hand is often nearer her shoulder
    // than RobotExpressive's long forearm can fold.
    assert!(
        w.held_in_reach > 30,
        "her hand was hardly held within her reach"
    );
    assert!(
        w.palm_miss < 0.02,
        "her palm missed the participant's hand by {:.1} cm",
        w.palm_miss * 100.0
    );
    let mut angles = w.facing_angles.clone();
    angles.sort_by(f32::total_cmp);
    let median = angles[angles.len() / 2];
    assert!(
        median < 12.0,
        "her head faced {median:.0}° away from the participant's eyes"
    );
    assert!(w.walking > 90, "she never walked");
    // Lying down at the end, all of her lies down: her head near the floor.
    let head = w.head_lying.expect("she never lay down");
    assert!(
        head < 0.35,
        "lying down, her head stayed at {head:.2} of her height"
    );
    assert!(
        w.foot_off_floor < 0.03,
        "her lower foot left the floor by {:.1} cm",
        w.foot_off_floor * 100.0
    );
}

/// The model's own shape for the vowel leading her line (a viseme shape, or a VRM
/// expression's binds) is the strongest of its vowel shapes, nearly always.
fn assert_vowels_shown(w: &Watched) {
    assert!(w.vowels > 90 * 10, "her lines hardly had a vowel");
    assert!(
        w.vowels_shown as f32 >= 0.95 * w.vowels as f32,
        "the model's vowel shapes followed the text in {} of {} frames",
        w.vowels_shown,
        w.vowels
    );
}

#[test]
fn nayeon_as_the_test_humanoid_plays_to_its_end_alive_hand_in_hand() {
    let w = play_and_watch(&humanoid_story(), "ko");
    report("humanoid", &w);
    assert_alive(&w);
    // Her mouth shapes the vowels of her Korean lines with the model's own shapes.
    assert_vowels_shown(&w);
}

#[test]
fn nayeon_as_robot_expressive_plays_to_its_end_alive_hand_in_hand() {
    let Some(story) = robot_story() else { return };
    let w = play_and_watch(&story, "en");
    report("RobotExpressive", &w);
    assert_alive(&w);
}

#[test]
fn nayeon_as_a_vrm_avatar_plays_to_its_end_her_expressions_shaping_the_vowels() {
    let w = play_and_watch(&vrm_story(), "ko");
    report("VRM", &w);
    assert_alive(&w);
    assert_vowels_shown(&w);
}

/// The retargeting alone, without an app: the generated humanoid's own arm puts her
/// palm on a hand she holds anywhere within her reach, and her head bone turns to
/// what she looks at as the animator's head does.
#[test]
fn retargeted_her_palm_meets_a_held_hand_and_her_head_follows_the_gaze() {
    use reunion_avatar::body::Proportions;
    use reunion_avatar::motion::{Animator, Senses};
    use reunion_avatar::retarget::{FaceBones, Retarget, RigFrames};
    let loaded = reunion_story::load::load_dir(&humanoid_story());
    let model = loaded.story.expect("the humanoid story").cast[0]
        .model
        .clone()
        .expect("her model");
    let retarget = Retarget::new(&model);
    let body = Proportions::from_plan(&model.body);
    let head_forward = retarget.forward_in(Bone::Head).expect("a head");
    let head_index = retarget
        .bones()
        .position(|b| b == Bone::Head)
        .expect("head");
    // Hands within her reach (seven tenths of her arm and palm from her shoulder), in
    // front of her, to each side, high and low.
    let reach = 0.7 * (body.arm() + retarget.palm());
    for (s, dir) in [
        (1.0, Vec3::new(0.2, -0.6, -0.8)),
        (-1.0, Vec3::new(-0.3, -0.4, -0.85)),
        (1.0, Vec3::new(0.6, -0.2, -0.7)),
        (-1.0, Vec3::new(0.1, -0.8, -0.6)),
    ] {
        let shoulder = body.shoulder(s) + Vec3::Y * body.waist_y;
        let hand = shoulder + dir.normalize() * reach;
        let mut anim = Animator::with_body(body, 3);
        anim.palm = retarget.palm();
        let look = Vec3::new(0.4, 1.5, -1.2);
        let mut pose = None;
        for _ in 0..180 {
            pose = Some(anim.step(
                1.0 / 90.0,
                &Senses {
                    hold: Some(hand),
                    look: Some(look),
                    ..Default::default()
                },
            ));
        }
        let pose = pose.expect("a pose");
        let frames = RigFrames::of(&pose, &anim.body, anim.reaching(), anim.palm);
        let (_, worlds) = retarget.solve(&frames.in_body(), FaceBones::default(), None, &[]);
        let side = anim.holding_side().expect("she holds it");
        let palm = retarget.palms(&worlds)[side].expect("a palm");
        assert!(
            palm.distance(hand) < 0.01,
            "a hand at {hand}: her palm is {:.1} cm off",
            palm.distance(hand) * 100.0
        );
        // Her head bone faces as the rig's head does.
        let head = worlds[head_index].to_scale_rotation_translation().1 * head_forward;
        let rig_head = frames.head.to_scale_rotation_translation().1 * Vec3::NEG_Z;
        assert!(
            head.angle_between(rig_head) < 0.01,
            "her head faces {:.1}° off the rig's",
            head.angle_between(rig_head).to_degrees()
        );
    }
}

/// A model with an expression's own shape and none of the shapes the animator would
/// compose it of (the VRM test avatar has `sad` and `surprised`, no frown, no wide
/// eyes) shows it by that shape; a model with the parts (the humanoid's ARKit
/// shapes) composes it.
#[test]
fn an_expression_with_only_its_own_shape_is_shown_by_it() {
    use reunion_avatar::face_channels::{driven_morphs, face_settings, own_expressions};
    use reunion_avatar::motion::expression_face;
    use reunion_story::face_shapes::Expression as Mood;
    use reunion_story::story::Expression;
    let model_of = |dir: &Path| {
        reunion_story::load::load_dir(dir)
            .story
            .expect("the story")
            .cast[0]
            .model
            .clone()
            .expect("her model")
    };
    let vrm = model_of(&vrm_story());
    let own = own_expressions(&vrm.face);
    assert_eq!(own, vec![Mood::Sad, Mood::Surprised]);
    let driven = driven_morphs(&vrm.face);
    let sad = face_settings(&vrm.face, &driven, &own, &expression_face(Expression::Sad));
    assert!(
        sad.expressions.get("sad").is_some_and(|w| *w > 0.85),
        "{sad:?}"
    );
    assert!(
        sad.expressions.get("surprised").is_none_or(|w| *w < 0.01),
        "{sad:?}"
    );
    let calm = face_settings(
        &vrm.face,
        &driven,
        &own,
        &expression_face(Expression::Neutral),
    );
    assert!(
        calm.expressions.get("sad").is_none_or(|w| *w < 0.01),
        "{calm:?}"
    );
    assert!(own_expressions(&model_of(&humanoid_story()).face).is_empty());
}
