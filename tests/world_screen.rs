//! What a headset shows of the screen: the subtitle panel in the world (where it
//! stands, what it keeps clear of, how it moves) and the veil's colour.

use bevy::prelude::*;
use reunion_stage::components::{ActorBody, Bounds, PlaceScoped, ThingName};
use reunion_stage::prelude::*;
use reunion_stage::world_screen::placement::{
    GLIDE_MAX_SPEED, LOWEST_BELOW_GAZE_DEGREES, Obstacle, PANEL_FARTHEST, PANEL_NEAREST,
    PANEL_WIDTH_PER_METRE, PanelPose, Room, subtitle_pose,
};
use reunion_stage::world_screen::{PanelContent, SubtitlePanel, veil_color};

/// Points over the panel, finer than the placement's own, to check it independently.
fn fine_points(p: &PanelPose) -> Vec<Vec3> {
    let right = p.rotation * Vec3::X;
    let up = p.rotation * Vec3::Y;
    let mut out = Vec::new();
    for i in 0..=10 {
        for j in 0..=6 {
            let x = (i as f32 / 10.0 - 0.5) * p.width;
            let y = (j as f32 / 6.0 - 0.5) * p.height();
            out.push(p.center + right * x + up * y);
        }
    }
    out
}

/// Whether the panel cuts into `o` or `o` stands between it and the eyes.
fn touches(eyes: Vec3, p: &PanelPose, o: &Obstacle) -> bool {
    fine_points(p).iter().any(|q| {
        o.contains(*q, 0.0) || (1..20).any(|k| o.contains(eyes.lerp(*q, k as f32 / 20.0), 0.0))
    })
}

fn faces(eyes: Vec3, p: &PanelPose) -> f32 {
    (p.rotation * Vec3::Z).dot((eyes - p.center).normalize())
}

#[test]
fn a_subtitle_stands_between_her_and_the_speaker_below_the_speakers_face_turned_to_her() {
    let eyes = Vec3::new(0.0, 1.6, 0.0);
    let speaker = Vec3::new(0.4, 1.1, -1.8);
    let p = subtitle_pose(eyes, Vec3::NEG_Z, Some(speaker), &[], &Room::OPEN);
    assert!(p.clear);
    assert!(p.center.z < -0.5 && p.center.z > speaker.z + 0.3, "{p:?}");
    assert!(
        p.center.x > 0.0,
        "towards her, who stands to the right: {p:?}"
    );
    assert!(p.center.y < speaker.y - 0.1, "her face stays free: {p:?}");
    assert!(
        faces(eyes, &p) > 0.999,
        "turned to the eyes: {}",
        faces(eyes, &p)
    );
    let d = eyes.distance(p.center);
    assert!((p.width - d * PANEL_WIDTH_PER_METRE).abs() < 1e-4);
    // No roll: its top edge is level.
    assert!((p.rotation * Vec3::X).y.abs() < 1e-4);
    // Farther away, it is larger: the same size in her view.
    let far = subtitle_pose(
        eyes,
        Vec3::NEG_Z,
        Some(Vec3::new(0.0, 1.1, -4.0)),
        &[],
        &Room::OPEN,
    );
    assert!(far.width > p.width);
    assert!(eyes.distance(far.center) <= PANEL_FARTHEST + 1e-4);
}

#[test]
fn the_panel_keeps_clear_of_a_table_and_a_cake_between_them_and_of_her() {
    // The heaven room: the participant kneels at a low table, Nayeon across it.
    let eyes = Vec3::new(0.0, 1.15, 0.8);
    let speaker = Vec3::new(0.0, 1.05, -0.75);
    let table = Obstacle {
        min: Vec3::new(-0.55, 0.0, -0.35),
        max: Vec3::new(0.55, 0.45, 0.35),
    };
    let cake = Obstacle {
        min: Vec3::new(-0.2, 0.45, -0.2),
        max: Vec3::new(0.2, 0.65, 0.2),
    };
    let her = Obstacle {
        min: Vec3::new(-0.25, 0.0, -1.0),
        max: Vec3::new(0.25, 1.2, -0.5),
    };
    // A balloon on a string, right where the panel would go.
    let balloon = Obstacle {
        min: Vec3::new(-0.15, 0.6, -0.25),
        max: Vec3::new(0.15, 0.95, 0.05),
    };
    let obstacles = [table, cake, her, balloon];
    let open = subtitle_pose(eyes, Vec3::NEG_Z, Some(speaker), &[], &Room::OPEN);
    assert!(
        obstacles.iter().any(|o| touches(eyes, &open, o)),
        "the test's things are in the unobstructed panel's way: {open:?}"
    );
    let p = subtitle_pose(eyes, Vec3::NEG_Z, Some(speaker), &obstacles, &Room::OPEN);
    assert!(p.clear, "{p:?}");
    for o in &obstacles {
        assert!(!touches(eyes, &p, o), "{p:?} touches {o:?}");
    }
    assert!(faces(eyes, &p) > 0.999);
    let d = eyes.distance(p.center);
    assert!(
        (PANEL_NEAREST - 1e-4..=PANEL_FARTHEST + 1e-4).contains(&d),
        "{d}"
    );
}

#[test]
fn a_panel_in_a_room_stays_inside_its_walls_and_above_the_floor() {
    let room = Room {
        min: Vec3::new(-3.0, 0.0, -3.0),
        max: Vec3::new(3.0, 2.8, 3.0),
    };
    // She stands by the left wall; the speaker is ahead and to the left, near it.
    let eyes = Vec3::new(-2.6, 1.6, 0.0);
    let speaker = Vec3::new(-2.95, 1.1, -1.8);
    let p = subtitle_pose(eyes, Vec3::NEG_Z, Some(speaker), &[], &room);
    assert!(p.clear, "{p:?}");
    for q in fine_points(&p) {
        assert!(
            q.x > room.min.x && q.y > 0.0 && q.y < room.max.y,
            "{q} of {p:?}"
        );
    }
}

#[test]
fn a_room_of_any_size_is_its_walls_as_the_stage_builds_them() {
    use reunion_story::story::{Environment, Rgb};
    // The walls stand at x = ±width/2, z = 3 behind the start mark, and `depth` in
    // front of that; the ceiling at 2.8 m.
    let room = Room::of(&Environment::Room {
        walls: Rgb::WHITE,
        size: (4.0, 9.0),
    });
    assert!((room.min.x + 1.95).abs() < 1e-4 && (room.max.x - 1.95).abs() < 1e-4);
    assert!((room.min.z + 5.95).abs() < 1e-4, "{room:?}");
    assert!((room.max.z - 2.95).abs() < 1e-4, "{room:?}");
    assert!(room.min.y == 0.0 && (room.max.y - 2.75).abs() < 1e-4);
    // A speaker near the back wall of a deep room: the panel stays in front of it.
    let eyes = Vec3::new(0.0, 1.6, 0.0);
    let p = subtitle_pose(
        eyes,
        Vec3::NEG_Z,
        Some(Vec3::new(0.0, 1.1, -5.8)),
        &[],
        &room,
    );
    assert!(p.clear && fine_points(&p).iter().all(|q| q.z > room.min.z));
}

#[test]
fn with_a_short_speaker_close_by_the_whole_panel_stays_in_the_view() {
    // Monado's simulated headset in the heaven room: a child of 1.1 m a step away,
    // the participant looking straight ahead. The panel aimed below her face sat so
    // low that its second line fell off the bottom of the view.
    let eyes = Vec3::new(0.0, 1.6, 0.0);
    let child_eyes = Vec3::new(0.1, 1.0, -0.7);
    for forward in [Vec3::NEG_Z, Vec3::new(0.0, -0.3, -1.0).normalize()] {
        let p = subtitle_pose(eyes, forward, Some(child_eyes), &[], &Room::OPEN);
        let gaze_pitch = forward.y.asin().to_degrees();
        for q in fine_points(&p) {
            let below = gaze_pitch - (q - eyes).normalize().y.asin().to_degrees();
            assert!(
                below <= LOWEST_BELOW_GAZE_DEGREES + 0.01,
                "a point of the panel {below:.1}° below the gaze ({forward}): {p:?}"
            );
        }
        assert!(p.clear, "{p:?}");
        assert!(faces(eyes, &p) > 0.999);
    }
    // A tall speaker farther away is not moved by it: below her face, as before.
    let adult = Vec3::new(0.0, 1.6, -2.0);
    let p = subtitle_pose(eyes, Vec3::NEG_Z, Some(adult), &[], &Room::OPEN);
    assert!(p.center.y < adult.y - 0.1 && p.center.y > 1.0, "{p:?}");
}

#[test]
fn a_modelled_room_keeps_the_panel_inside_its_box_and_a_beach_does_not() {
    use reunion_story::story::{Ambient, Bounds as StoryBounds, Environment, Rgb};
    let model = |min: Vec3, max: Vec3| Environment::Model {
        file: "models/place.glb".into(),
        scale: 1.0,
        sky: Rgb::WHITE,
        sun: None,
        ambient: Ambient {
            color: Rgb::WHITE,
            brightness: 300.0,
        },
        environment_map: None,
        bounds: Some(StoryBounds::new(min, max)),
    };
    let living_room = Room::of(&model(Vec3::new(-3.0, 0.0, -4.0), Vec3::new(3.0, 2.6, 2.0)));
    assert_eq!(living_room.min, Vec3::new(-3.0, 0.0, -4.0));
    assert_eq!(living_room.max, Vec3::new(3.0, 2.6, 2.0));
    let beach = Room::of(&model(
        Vec3::new(-200.0, -1.0, -300.0),
        Vec3::new(200.0, 40.0, 50.0),
    ));
    assert_eq!(beach, Room::OPEN);
}

#[test]
fn a_thin_thing_cannot_slip_between_the_checks() {
    // A candle-thin post right on the line from the eyes to where the panel wants to
    // be, and a thin wire across the panel's face.
    let eyes = Vec3::new(0.0, 1.6, 0.0);
    let speaker = Vec3::new(0.0, 1.1, -2.0);
    let open = subtitle_pose(eyes, Vec3::NEG_Z, Some(speaker), &[], &Room::OPEN);
    let mid = eyes.lerp(open.center, 0.53);
    let post = Obstacle {
        min: mid - Vec3::new(0.004, 0.2, 0.004),
        max: mid + Vec3::new(0.004, 0.2, 0.004),
    };
    let wire = Obstacle {
        min: open.center - Vec3::new(0.3, 0.001, 0.001),
        max: open.center + Vec3::new(0.3, 0.001, 0.001),
    };
    for o in [post, wire] {
        assert!(!open.is_clear(eyes, &[o], &Room::OPEN), "{o:?} was missed");
        let p = subtitle_pose(eyes, Vec3::NEG_Z, Some(speaker), &[o], &Room::OPEN);
        assert!(p.clear && !touches(eyes, &p, &o), "{p:?}");
    }
}

#[test]
fn with_the_speaker_out_of_view_the_panel_waits_low_in_front_of_her_gaze() {
    let eyes = Vec3::new(0.0, 1.6, 0.0);
    // She is behind the participant.
    let behind = Vec3::new(0.0, 1.1, 2.0);
    let p = subtitle_pose(eyes, Vec3::NEG_Z, Some(behind), &[], &Room::OPEN);
    assert!(p.center.z < -0.8, "in front: {p:?}");
    assert!(p.center.y < eyes.y, "a little low: {p:?}");
    assert!(faces(eyes, &p) > 0.999);
    // Nobody on stage: the same.
    let q = subtitle_pose(eyes, Vec3::NEG_Z, None, &[], &Room::OPEN);
    assert!((q.center - p.center).length() < 1e-4);
}

#[test]
fn the_veil_layers_the_fade_the_calm_place_and_the_aftercare_as_the_screen_does() {
    let none = veil_color(Color::NONE, Color::NONE, Color::NONE);
    assert!(none.alpha() < 1e-4);
    let white_half = veil_color(Color::WHITE.with_alpha(0.5), Color::NONE, Color::NONE);
    assert!((white_half.alpha() - 0.5).abs() < 1e-4);
    assert!((white_half.to_srgba().red - 1.0).abs() < 1e-4);
    // A full calm place hides the fade under it.
    let calm = Color::srgba(0.2, 0.3, 0.4, 1.0);
    let c = veil_color(Color::WHITE.with_alpha(0.5), calm, Color::NONE).to_srgba();
    assert!((c.alpha - 1.0).abs() < 1e-4 && (c.red - 0.2).abs() < 1e-4);
    // Half a calm place over nothing is half opaque and all calm colour.
    let c = veil_color(Color::NONE, calm.with_alpha(0.5), Color::NONE).to_srgba();
    assert!((c.alpha - 0.5).abs() < 1e-4 && (c.blue - 0.4).abs() < 1e-4);
    // Two half covers make three quarters.
    let c = veil_color(
        Color::BLACK.with_alpha(0.5),
        calm.with_alpha(0.5),
        Color::NONE,
    );
    assert!((c.alpha() - 0.75).abs() < 1e-4);
}

/// The reference story headless with the autopilot, with the shapes' assets (so
/// things have their bounds, as with a renderer) and the headset's view of the screen;
/// in the heaven room a balloon floats between the participant and Nayeon, where the
/// panel would stand.
fn headset_view_app() -> App {
    let folder = crate::copy_of_reference("world-screen");
    let scene = folder.join("heaven_room.scene.ron");
    let text = std::fs::read_to_string(&scene).expect("the heaven room");
    let moved = text.replace(
        r##""balloon_blue": (is: Balloon(color: "#9ccdf2", height: 2.2), at: (2.5, 0.0, -0.4))"##,
        r##""balloon_blue": (is: Balloon(color: "#9ccdf2", height: 1.2), at: (0.1, 0.0, -0.2))"##,
    );
    assert_ne!(text, moved, "the balloon to move is in the scene");
    std::fs::write(&scene, moved).expect("write the scene");
    let mut app = reunion_stage::headless::headless_app(
        &folder,
        StageConfig {
            lang: Some("en".into()),
            participant: ParticipantSource::Autopilot,
            folder: Some(folder.clone()),
            ..default()
        },
        90.0,
        false,
    );
    app.add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin));
    app.init_asset::<Mesh>()
        .init_asset::<StandardMaterial>()
        .init_resource::<ClearColor>()
        .init_resource::<GlobalAmbientLight>()
        .add_plugins(WorldScreenPlugin);
    app
}

#[test]
fn through_the_whole_reference_story_every_line_stands_clear_turned_to_her_and_glides() {
    let mut app = headset_view_app();
    app.finish();
    app.cleanup();
    let mut lines_seen = Vec::<String>::new();
    let mut places_with_lines = Vec::<String>::new();
    let mut last: Option<Vec3> = None;
    let mut checked_frames = 0;
    let mut things_with_bounds = 0;
    let mut moved_by_things = Vec::<String>::new();
    for _ in 0..90 * 60 * 12 {
        app.update();
        let world = app.world_mut();
        if world
            .get_resource::<StorySession>()
            .is_some_and(|s| s.session.director.is_ended())
        {
            break;
        }
        things_with_bounds = things_with_bounds.max(
            world
                .query_filtered::<(), With<Bounds>>()
                .iter(world)
                .count(),
        );
        let eyes = world
            .query_filtered::<&GlobalTransform, With<ParticipantHead>>()
            .single(world)
            .expect("one head")
            .translation();
        let (panel, t) = world
            .query::<(&SubtitlePanel, &Transform)>()
            .single(world)
            .expect("one panel");
        let PanelContent::Line { text, .. } = &panel.content else {
            last = None;
            continue;
        };
        let target = panel.target.expect("a line has a place");
        let (text, t) = (text.clone(), *t);
        assert!(
            target.clear,
            "no clear place for “{text}” from the eyes at {eyes}: {target:?}"
        );
        // Checked against the place's things and cast as the test finds them.
        let place = world.resource::<OnStage>().place;
        let mut obstacles: Vec<Obstacle> = world
            .query_filtered::<(&Bounds, &GlobalTransform, &Visibility, &PlaceScoped), With<ThingName>>()
            .iter(world)
            .filter(|(_, _, v, s)| Some(s.0) == place && **v != Visibility::Hidden)
            .map(|(b, g, _, _)| b.transformed(g))
            .collect();
        obstacles.extend(
            world
                .query_filtered::<(&GlobalTransform, &PlaceScoped), With<ActorBody>>()
                .iter(world)
                .filter(|(_, s)| Some(s.0) == place)
                .map(|(g, _)| Obstacle {
                    min: g.translation() + Vec3::new(-0.2, 0.0, -0.2),
                    max: g.translation() + Vec3::new(0.2, 1.0, 0.2),
                }),
        );
        for o in &obstacles {
            assert!(
                !touches(eyes, &target, o),
                "“{text}”: {target:?} touches {o:?}"
            );
        }
        let forward = world
            .query_filtered::<&GlobalTransform, With<ParticipantHead>>()
            .single(world)
            .expect("one head")
            .forward()
            .as_vec3();
        let speaker = match &world
            .query::<&SubtitlePanel>()
            .single(world)
            .expect("one panel")
            .content
        {
            PanelContent::Line { speaker, .. } => *speaker,
            _ => None,
        };
        let unobstructed = subtitle_pose(eyes, forward, speaker, &[], &Room::OPEN);
        if obstacles.iter().any(|o| touches(eyes, &unobstructed, o))
            && !moved_by_things.contains(&text)
        {
            moved_by_things.push(text.clone());
        }
        assert!(faces(eyes, &target) > 0.99, "{target:?}");
        // Wherever it is on its way, it is turned to her and keeps its size in view.
        let facing = (t.rotation * Vec3::Z).dot((eyes - t.translation).normalize());
        assert!(facing > 0.99, "“{text}”: the panel turned away ({facing})");
        let d = eyes.distance(t.translation);
        assert!(
            (t.scale.x / d - PANEL_WIDTH_PER_METRE).abs() < 0.03,
            "“{text}”: {} m wide at {d} m",
            t.scale.x
        );
        assert!(
            (PANEL_NEAREST - 0.05..=PANEL_FARTHEST + 0.05).contains(&d),
            "“{text}” at {d} m"
        );
        if let Some(before) = last {
            let moved = before.distance(t.translation);
            assert!(
                moved <= GLIDE_MAX_SPEED / 90.0 + 1e-4,
                "“{text}”: the panel jumped {moved} m in a frame"
            );
        }
        last = Some(t.translation);
        checked_frames += 1;
        if !lines_seen.contains(&text) {
            lines_seen.push(text);
        }
        let place = world.resource::<OnStage>().place;
        let s = world.resource::<StorySession>();
        if let Some(p) = place {
            let id = s.story().place(p).id.clone();
            if !places_with_lines.contains(&id) {
                places_with_lines.push(id);
            }
        }
    }
    assert!(
        things_with_bounds >= 5,
        "{things_with_bounds} things had bounds"
    );
    assert!(
        !moved_by_things.is_empty(),
        "no line needed to keep clear of anything: the test proves nothing"
    );
    assert!(lines_seen.len() >= 20, "{} lines seen", lines_seen.len());
    assert!(checked_frames > 90 * 30, "{checked_frames} frames");
    for place in ["park", "heaven_room"] {
        assert!(
            places_with_lines.iter().any(|p| p == place),
            "no line in {place}: {places_with_lines:?}"
        );
    }
}
