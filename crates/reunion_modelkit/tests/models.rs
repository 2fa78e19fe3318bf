//! The kit's models: each committed file is what the code makes today (byte for
//! byte; `UPDATE_MODELS=1 cargo test -p reunion_modelkit` rewrites them), every model
//! passes the checks a glTF validator makes, and each has what stories rely on: the
//! table's top at 0.74 m, the vase's and the frame's sockets, the music box's clips,
//! the humanoid's bones, pose and face, the places' lights.

mod support;

use std::path::PathBuf;

use reunion_modelkit::humanoid::{adult_outfit, child_outfit, humanoid_parts, target_names};
use reunion_modelkit::math::{Vec3, v3};
use reunion_modelkit::{catalogue, furniture};
use support::read_glb::{Glb, read};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn model(file: &str) -> Glb {
    let m = catalogue()
        .into_iter()
        .find(|m| m.file == file)
        .expect("in the catalogue");
    read(&(m.make)())
}

#[test]
fn every_committed_model_is_what_the_code_makes() {
    let update = std::env::var_os("UPDATE_MODELS").is_some();
    let mut stale = Vec::new();
    for m in catalogue() {
        let path = workspace().join(m.folder).join(m.file);
        let bytes = (m.make)();
        if update {
            std::fs::create_dir_all(path.parent().expect("folder")).expect("create the folder");
            std::fs::write(&path, &bytes).expect("write the model");
        } else if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
            stale.push(format!("{}/{}", m.folder, m.file));
        }
    }
    assert!(
        stale.is_empty(),
        "these models differ from what the code makes (rewrite them with \
         `UPDATE_MODELS=1 cargo test -p reunion_modelkit`): {stale:?}"
    );
}

#[test]
fn a_model_made_twice_is_the_same_bytes() {
    for m in catalogue() {
        assert_eq!((m.make)(), (m.make)(), "{}", m.file);
    }
}

#[test]
fn every_model_passes_the_validators_checks() {
    for m in catalogue() {
        let glb = read(&(m.make)());
        let problems = glb.problems();
        assert!(problems.is_empty(), "{}: {problems:#?}", m.file);
        assert_eq!(glb.json["asset"]["version"], "2.0");
    }
}

#[test]
fn the_crate_doc_states_each_models_triangle_count() {
    let doc = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("lib.rs");
    for m in catalogue() {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("//! | `{}`", m.file)))
            .unwrap_or_else(|| panic!("no row for {} in the crate doc's table", m.file));
        let stated: usize = row
            .trim_end_matches('|')
            .rsplit('|')
            .next()
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or_else(|| panic!("no triangle count at the end of `{row}`"));
        assert_eq!(stated, read(&(m.make)()).triangles(), "{}", m.file);
    }
}

#[test]
fn props_stand_on_the_ground_at_their_origin_in_real_sizes() {
    // (file, largest extent in metres, within)
    for (file, size) in [
        ("table.glb", 1.2),
        ("chair.glb", 0.92),
        ("sofa.glb", 1.9),
        ("vase.glb", 0.3),
        ("rose.glb", 0.43),
        ("photo_frame.glb", 0.23),
        ("photo.glb", 0.15),
        ("music_box.glb", 0.16),
        ("letter.glb", 0.22),
    ] {
        let (lo, hi) = model(file).bounds();
        let extent = (hi - lo).x.max((hi - lo).y).max((hi - lo).z);
        assert!(
            (extent - size).abs() < 0.02 * size + 0.005,
            "{file}: {extent} m, not {size}"
        );
        assert!(lo.y.abs() < 0.003, "{file} starts at y = {}", lo.y);
        let centre = (lo + hi) * 0.5;
        assert!(
            centre.x.abs() < 0.02 && centre.z.abs() < 0.1,
            "{file}: centred at {centre:?}"
        );
    }
}

#[test]
fn the_table_top_is_at_74_centimetres() {
    let (_, hi) = model("table.glb").bounds();
    assert!((hi.y - furniture::TABLE_TOP).abs() < 1e-4, "{}", hi.y);
    assert!((furniture::TABLE_TOP - 0.74).abs() < 1e-6);
}

#[test]
fn the_centimetre_chair_is_a_hundred_times_the_chair() {
    let (lo, hi) = model("chair.glb").bounds();
    let (clo, chi) = model("chair_centimetres.glb").bounds();
    assert!(((chi.y - clo.y) / (hi.y - lo.y) - 100.0).abs() < 0.01);
    assert!(chi.y > 90.0, "{}", chi.y);
}

#[test]
fn the_vase_and_the_frame_have_their_sockets() {
    let vase = model("vase.glb");
    let root = vase.node("vase").expect("root");
    for name in ["socket_1", "socket_2", "socket_3"] {
        let s = vase.node(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(vase.parent(s), Some(root), "{name} hangs on the vase");
        assert!(
            vase.json["nodes"][s].get("mesh").is_none(),
            "{name} is an empty"
        );
        let at = vase.world(s).translation;
        assert!(
            at.y > 0.25 && at.y <= 0.3 && at.x.hypot(at.z) < 0.03,
            "{name} at {at:?}"
        );
        // Leaning out a little, mostly up.
        assert!(vase.world(s).rotation.rotate(Vec3::Y).y > 0.95);
    }
    let frame = model("photo_frame.glb");
    let s = frame.node("socket_photo").expect("socket_photo");
    let at = frame.world(s);
    // A photo lying face up, put at the socket, faces out of the frame (+Z, tilted).
    let face = at.rotation.rotate(Vec3::Y);
    assert!(face.z > 0.95, "{face:?}");
    assert!(
        at.rotation.rotate(-Vec3::Z).y > 0.95,
        "the photo's top is up"
    );
    assert!(at.translation.y > 0.08 && at.translation.y < 0.15);
}

#[test]
fn the_music_box_opens_and_closes_in_a_second_and_a_half() {
    let glb = model("music_box.glb");
    let lid = glb.node("lid").expect("lid");
    let dancer = glb.node("dancer").expect("dancer");
    let clips = glb.list("animations");
    let names: Vec<&str> = clips.iter().filter_map(|a| a["name"].as_str()).collect();
    assert_eq!(names, ["open", "close", "play"]);
    for clip in &clips[..2] {
        let sampler = &clip["samplers"][0];
        let times = glb.values(sampler["input"].as_u64().expect("input") as usize);
        assert_eq!(times.last(), Some(&1.5));
        assert_eq!(clip["channels"][0]["target"]["node"], lid);
        assert_eq!(clip["channels"][0]["target"]["path"], "rotation");
        assert_eq!(clip["channels"][1]["target"]["node"], dancer);
        assert_eq!(clip["channels"][1]["target"]["path"], "translation");
    }
    // Open, the lid's front edge is up: its far end is above the box.
    let open = glb.values(clips[0]["samplers"][0]["output"].as_u64().expect("output") as usize);
    let q = reunion_modelkit::math::Quat {
        x: open[open.len() - 4],
        y: open[open.len() - 3],
        z: open[open.len() - 2],
        w: open[open.len() - 1],
    };
    assert!(q.rotate(v3(0.0, 0.0, 0.11)).y > 0.1);
}

#[test]
fn the_places_carry_their_lights() {
    let kinds = |file: &str| -> Vec<String> {
        let glb = model(file);
        assert_eq!(glb.json["extensionsUsed"][0], "KHR_lights_punctual");
        glb.json["extensions"]["KHR_lights_punctual"]["lights"]
            .as_array()
            .expect("lights")
            .iter()
            .map(|l| l["type"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(kinds("living_room.glb"), ["point", "spot"]);
    assert_eq!(kinds("beach.glb"), ["directional"]);
    // The sun shines down towards the participant from over the sea.
    let beach = model("beach.glb");
    let sun = beach.world(beach.node("sun").expect("sun"));
    let shine = sun.rotation.rotate(-Vec3::Z);
    assert!(shine.y < -0.2 && shine.z > 0.8, "{shine:?}");
}

#[test]
fn the_living_room_leaves_the_way_ahead_clear() {
    let (lo, hi) = model("living_room.glb").bounds();
    assert!(lo.z < -3.9 && hi.z > 1.9 && hi.y > 2.5, "{lo:?} {hi:?}");
}

#[test]
fn every_place_and_the_figures_fit_the_headset_budget() {
    for m in catalogue() {
        let tris = read(&(m.make)()).triangles();
        assert!(tris < 20_000, "{}: {tris} triangles", m.file);
    }
    for file in ["humanoid_adult.glb", "humanoid_child.glb"] {
        let tris = model(file).triangles();
        assert!((5_000..=10_000).contains(&tris), "{file}: {tris}");
    }
}

const BONES: [&str; 16] = [
    "Hips",
    "Spine",
    "Spine1",
    "Spine2",
    "Neck",
    "Head",
    "LeftEye",
    "LeftShoulder",
    "LeftArm",
    "LeftForeArm",
    "LeftHand",
    "LeftHandThumb1",
    "LeftUpLeg",
    "LeftLeg",
    "LeftFoot",
    "LeftToeBase",
];

#[test]
fn the_humanoid_has_a_mixamo_skeleton_in_a_t_pose_facing_plus_z() {
    for (file, height) in [("humanoid_adult.glb", 1.7), ("humanoid_child.glb", 1.2)] {
        let glb = model(file);
        assert!(glb.list("animations").is_empty(), "no clips at all");
        let skin = &glb.list("skins")[0];
        let joints: Vec<usize> = skin["joints"]
            .as_array()
            .expect("joints")
            .iter()
            .filter_map(|j| j.as_u64().map(|j| j as usize))
            .collect();
        for bone in BONES
            .iter()
            .flat_map(|b| [b.to_string(), b.replace("Left", "Right")])
        {
            let node = glb
                .node(&bone)
                .unwrap_or_else(|| panic!("{file}: no {bone}"));
            assert!(joints.contains(&node), "{bone} is a joint");
        }
        // The inverse bind matrices undo each joint's rest transform.
        let ibm = glb.values(skin["inverseBindMatrices"].as_u64().expect("ibm") as usize);
        for (k, &j) in joints.iter().enumerate() {
            let world = glb.world(j);
            let m = &ibm[16 * k..16 * k + 16];
            let p = v3(0.1, 0.5, -0.2);
            let q = world.apply(p);
            let back = v3(
                m[0] * q.x + m[4] * q.y + m[8] * q.z + m[12],
                m[1] * q.x + m[5] * q.y + m[9] * q.z + m[13],
                m[2] * q.x + m[6] * q.y + m[10] * q.z + m[14],
            );
            assert!((back - p).length() < 1e-4, "{file}: joint {k}");
            assert!(
                world.rotation.w.abs() < 0.9999,
                "{file}: joint {k} rests unrotated"
            );
        }
        let at = |n: &str| glb.world(glb.node(n).expect("bone")).translation;
        // T-pose: arms straight out sideways at shoulder height, the left arm at +X.
        let (arm, hand) = (at("LeftArm"), at("LeftHand"));
        assert!(
            hand.x > arm.x + 0.2 * height && (hand.y - arm.y).abs() < 0.01,
            "{hand:?}"
        );
        assert!(at("RightHand").x < -0.2 * height);
        // Facing +Z: the eyes are in front of the head's joint, the toes ahead of the heels.
        assert!(at("LeftEye").z > at("Head").z + 0.05);
        assert!(at("LeftToeBase").z > at("LeftFoot").z);
        // Feet on the ground, the hair's top at the height.
        let (lo, hi) = glb.bounds();
        assert!(lo.y.abs() < 1e-3, "{file}: feet at {}", lo.y);
        assert!((hi.y - height).abs() < 0.01, "{file}: {} tall", hi.y);
    }
}

#[test]
fn the_humanoid_face_has_every_arkit_shape_and_viseme() {
    let names = target_names();
    for name in [
        "eyeBlinkLeft",
        "eyeBlinkRight",
        "eyeWideLeft",
        "eyeWideRight",
        "jawOpen",
        "mouthClose",
        "mouthFunnel",
        "mouthPucker",
        "mouthSmileLeft",
        "mouthSmileRight",
        "mouthFrownLeft",
        "mouthFrownRight",
        "mouthStretchLeft",
        "mouthStretchRight",
        "browInnerUp",
        "browDownLeft",
        "browDownRight",
        "cheekSquintLeft",
        "cheekSquintRight",
        "viseme_sil",
        "viseme_PP",
        "viseme_FF",
        "viseme_TH",
        "viseme_DD",
        "viseme_kk",
        "viseme_CH",
        "viseme_SS",
        "viseme_nn",
        "viseme_RR",
        "viseme_aa",
        "viseme_E",
        "viseme_I",
        "viseme_O",
        "viseme_U",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    let glb = model("humanoid_adult.glb");
    let head = glb
        .list("meshes")
        .into_iter()
        .find(|m| m["name"] == "Head")
        .expect("Head");
    let stored: Vec<&str> = head["extras"]["targetNames"]
        .as_array()
        .expect("targetNames")
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert_eq!(stored, names);
    assert_eq!(head["weights"].as_array().map(Vec::len), Some(names.len()));
}

#[test]
fn face_targets_move_what_they_name() {
    let parts = humanoid_parts(1.7, &adult_outfit());
    let names = target_names();
    let target = |n: &str| &parts.head_targets[names.iter().position(|x| *x == n).expect(n)];
    let largest = |d: &[Vec3]| d.iter().map(|v| v.length()).fold(0.0, f32::max);
    // Every shape moves something you can see (a millimetre or more).
    for (name, deltas) in names.iter().zip(&parts.head_targets) {
        assert!(
            largest(deltas) > 0.001,
            "{name} hardly moves: {}",
            largest(deltas)
        );
    }
    // The jaw drops the chin by centimetres; blinking moves only that eye's lids.
    assert!(largest(target("jawOpen")) > 0.02);
    let head_x = parts.proportions.head_centre.x;
    for (name, side) in [("eyeBlinkLeft", 1.0), ("eyeBlinkRight", -1.0)] {
        let d = target(name);
        for (p, v) in parts.head.positions.iter().zip(d) {
            if v.length() > 0.0 {
                assert!((p.x - head_x) * side > 0.0, "{name} moves the other side");
            }
        }
        // The lids travel about an eye's height to close.
        assert!(largest(d) > parts.proportions.eye_radius() * 0.8, "{name}");
    }
    // aa opens wider than E, E wider than I; O is rounder (narrower) than aa.
    let open = |n: &str| {
        let d = target(n);
        let lowest = parts
            .head
            .positions
            .iter()
            .zip(d)
            .map(|(p, v)| v.y.min(0.0) * f32::from(u8::from(p.z > 0.0)))
            .fold(0.0, f32::min);
        -lowest
    };
    assert!(open("viseme_aa") > open("viseme_E") && open("viseme_E") > open("viseme_I"));
    let narrowing = |n: &str| {
        target(n)
            .iter()
            .zip(&parts.head.positions)
            .map(|(v, p)| -v.x * p.x.signum())
            .fold(0.0, f32::max)
    };
    assert!(narrowing("viseme_O") > 0.005 && narrowing("viseme_U") > narrowing("viseme_O"));
}

#[test]
fn the_child_has_a_bigger_head_for_her_height_than_the_adult() {
    let child = humanoid_parts(1.2, &child_outfit()).proportions;
    let adult = humanoid_parts(1.7, &adult_outfit()).proportions;
    assert!(child.skull / child.height > 1.2 * adult.skull / adult.height);
    assert!(child.leg_y / child.height < adult.leg_y / adult.height);
}
