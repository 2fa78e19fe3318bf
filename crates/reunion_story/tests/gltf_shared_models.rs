//! Real models made by other people's tools (`../shared/models/`, outside the
//! repository: its README says what each is), read by `reunion_story::gltf::read_model`.
//! The facts asserted here were first read from the files themselves (their JSON, with
//! a script), not from this reader.
//!
//! Where the folder does not exist, each test says on the terminal that it was skipped
//! (written straight to stderr, which the test harness does not capture) and passes.

use std::io::Write;
use std::path::PathBuf;

use glam::Vec3;
use reunion_story::gltf::{
    Container, GltfModel, ImageFormat, LookAtKind, Override, Support, VrmVersion, read_model,
};

/// `../shared/models` beside the workspace, when it is there.
fn shared_models() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/models");
    if dir.is_dir() {
        return Some(dir);
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {} does not exist, so the third-party models were not checked",
        dir.display()
    );
    None
}

fn read(dir: &std::path::Path, file: &str) -> GltfModel {
    let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let model = read_model(&bytes, &|_| None).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert!(model.problems.is_empty(), "{file}: {:#?}", model.problems);
    model
}

fn position(model: &GltfModel, node: usize) -> Vec3 {
    model.nodes[node].world.transform_point3(Vec3::ZERO)
}

/// Degrees below the horizontal of the way from one point to another.
fn degrees_below_horizontal(from: Vec3, to: Vec3) -> f32 {
    let d = to - from;
    (-d.y).atan2(d.x.hypot(d.z)).to_degrees()
}

#[test]
fn robot_expressive_reads_its_skeleton_clips_and_shapes() {
    let Some(dir) = shared_models() else { return };
    let model = read(&dir, "RobotExpressive.glb");
    assert_eq!(model.container, Container::Glb);
    assert_eq!(model.generator.as_deref(), Some("FBX2glTF"));
    assert!(model.extensions.is_empty() && model.images.is_empty() && model.vrm.is_none());

    assert_eq!(
        model.animation_names(),
        [
            "Dance", "Death", "Idle", "Jump", "No", "Punch", "Running", "Sitting", "Standing",
            "ThumbsUp", "Walking", "WalkJump", "Wave", "Yes"
        ]
    );
    let duration = |name| model.animation(name).expect(name).duration;
    assert!((duration("Idle") - 3.3333).abs() < 1e-3);
    assert!((duration("Walking") - 0.9583).abs() < 1e-3);
    assert!((duration("Wave") - 1.8333).abs() < 1e-3);
    assert_eq!(
        model.animation("Walking").expect("Walking").channels.len(),
        20
    );
    assert_eq!(model.morph_target_names(), ["Angry", "Surprised", "Sad"]);
    let head_mesh = model
        .meshes
        .iter()
        .find(|m| m.name.as_deref() == Some("Head"))
        .expect("Head mesh");
    assert_eq!(head_mesh.morph_targets, ["Angry", "Surprised", "Sad"]);

    // Two skins (the meshes `Hand.R` and `Hand.L`) over the same 43 joints from `Bone`.
    assert_eq!(model.skins.len(), 2);
    let skin = &model.skins[0];
    assert_eq!(skin.joints, model.skins[1].joints);
    assert_eq!(skin.joints.len(), 43);
    assert_eq!(skin.skeleton.and_then(|s| model.node_name(s)), Some("Bone"));
    let joint = |name: &str| {
        model
            .joint_by_name(name)
            .unwrap_or_else(|| panic!("joint {name}"))
    };
    let parent = |name: &str| {
        model.nodes[joint(name)]
            .parent
            .and_then(|p| model.node_name(p))
    };
    for (child, expected) in [
        ("Bone", "RobotArmature"),
        ("Body", "Bone"),
        ("Hips", "Body"),
        ("Abdomen", "Hips"),
        ("Torso", "Abdomen"),
        ("Neck", "Torso"),
        ("Head", "Neck"),
        ("Shoulder.L", "Torso"),
        ("UpperArm.L", "Shoulder.L"),
        ("LowerArm.L", "UpperArm.L"),
        ("Palm2.L", "LowerArm.L"),
        ("Middle1.L", "Palm2.L"),
        ("UpperLeg.R", "Body"),
        ("LowerLeg.R", "UpperLeg.R"),
        ("Foot.R", "Bone"),
    ] {
        assert_eq!(parent(child), Some(expected), "{child}'s parent");
    }
    // `Torso` names both a mesh node (a child of Body) and the joint (a child of Abdomen).
    assert_ne!(model.node_by_name("Torso"), Some(joint("Torso")));

    // The armature is scaled 100 and turned −90° about x; the robot stands about 4.6 m.
    let armature = &model.nodes[model.node_by_name("RobotArmature").expect("armature")];
    assert!(
        (armature.scale - Vec3::splat(100.0)).length() < 1e-3,
        "{}",
        armature.scale
    );
    let m = model.measurements;
    assert_eq!(
        (m.triangles, m.draw_calls, m.vertices, m.mesh_instances),
        (3237, 19, 7214, 14)
    );
    let (lo, hi) = m.bounds.expect("bounds");
    assert!(lo.y.abs() < 0.05 && (hi.y - 4.58).abs() < 0.05, "{lo} {hi}");

    // At rest the upper arms hang some 63° below the horizontal; bound, they are level.
    let rest = degrees_below_horizontal(
        position(&model, joint("UpperArm.L")),
        position(&model, joint("LowerArm.L")),
    );
    assert!((rest - 62.6).abs() < 1.0, "{rest}");
    let k = |name: &str| {
        skin.joints
            .iter()
            .position(|&j| j == joint(name))
            .expect("in the skin")
    };
    let bind = |name: &str| {
        model
            .joint_bind_pose(0, k(name))
            .expect("bind")
            .transform_point3(Vec3::ZERO)
    };
    let bound = degrees_below_horizontal(bind("UpperArm.L"), bind("LowerArm.L"));
    assert!(bound.abs() < 2.0, "{bound}");
    assert!(
        bind("LowerArm.L").x > bind("UpperArm.L").x + 0.5,
        "the left arm reaches along +x"
    );
}

#[test]
fn the_vrm_mtoon_sample_reads_its_humanoid_and_meta() {
    let Some(dir) = shared_models() else { return };
    let model = read(&dir, "VRMC_materials_mtoon_UV_Animation_Test.vrm");
    let vrm = model.vrm.as_ref().expect("a VRM");
    assert_eq!(vrm.version, VrmVersion::V1);
    assert_eq!(vrm.spec_version.as_deref(), Some("1.0"));
    assert_eq!(vrm.human_bones.len(), 53);
    for (bone, node) in [
        ("hips", "hips"),
        ("leftUpperArm", "upper_arm.L"),
        ("rightHand", "hand.R"),
        ("leftEye", "eye.L"),
        ("leftThumbMetacarpal", "thumb.proximal.L"),
    ] {
        assert_eq!(model.node_name(vrm.human_bones[bone]), Some(node), "{bone}");
    }
    assert!(vrm.expressions.is_empty() && vrm.look_at.is_none());
    assert_eq!(
        vrm.meta.name.as_deref(),
        Some("VRMC_materials_mtoon UV Animation Test")
    );
    assert_eq!(vrm.meta.authors, ["pixiv Inc."]);
    assert_eq!(vrm.meta.avatar_permission.as_deref(), Some("everyone"));
    assert_eq!(vrm.meta.commercial_usage.as_deref(), Some("corporation"));
    assert_eq!(vrm.meta.allow_antisocial_or_hate_usage, Some(false));
    assert_eq!(vrm.facing(), Vec3::Z);

    // T-pose: the left arm straight along +x at 1.417 m, hips at 0.85 m.
    let at = |bone: &str| position(&model, vrm.human_bones[bone]);
    assert!(degrees_below_horizontal(at("leftUpperArm"), at("leftHand")).abs() < 0.1);
    assert!(
        (at("leftHand") - Vec3::new(0.679, 1.417, 0.0)).length() < 1e-3,
        "{}",
        at("leftHand")
    );
    assert!((at("hips").y - 0.85).abs() < 1e-4);
    // Its bones are plain nodes, not joints, and not taken for empties.
    assert!(model.skins.is_empty());
    assert!(
        model
            .empties()
            .iter()
            .all(|(_, name)| ["root", "Armature"].contains(name))
    );

    let support = |name: &str| {
        model
            .extensions
            .iter()
            .find(|e| e.name == name)
            .expect(name)
            .support
    };
    assert_eq!(support("KHR_materials_unlit"), Support::Read);
    assert!(matches!(
        support("VRMC_materials_mtoon"),
        Support::Harmless(_)
    ));
    assert_eq!(model.images.len(), 3);
    for image in &model.images {
        assert_eq!(image.format, Some(ImageFormat::Png));
        let size = image.size.expect("size");
        assert_eq!((size.width, size.height), (512, 512));
    }
    assert_eq!(model.measurements.texture_bytes, 3 * (512 * 512 * 16 / 3));
}

#[test]
fn the_vrm_expressions_sample_reads_its_expressions_and_look_at() {
    let Some(dir) = shared_models() else { return };
    let model = read(&dir, "VRMC_vrm_expressions_isBinary_Overridden.vrm");
    let vrm = model.vrm.as_ref().expect("a VRM");
    assert_eq!(vrm.human_bones.len(), 22);
    assert_eq!(
        model.node_name(vrm.human_bones["upperChest"]),
        Some("UpperChest")
    );
    assert_eq!(
        model.node_name(vrm.human_bones["leftUpperArm"]),
        Some("UpperArm.L")
    );
    assert!(!vrm.human_bones.contains_key("leftEye"));

    let names: Vec<&str> = vrm.expressions.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["blink", "happy"]);
    let blink = vrm.expression("blink").expect("blink");
    assert!(blink.preset && blink.is_binary);
    assert_eq!(blink.override_blink, Override::None);
    let happy = vrm.expression("happy").expect("happy");
    assert!(!happy.is_binary);
    assert_eq!(happy.override_blink, Override::Blend);
    // Both work by texture transforms, not morph targets.
    assert!(happy.morph_target_binds.is_empty() && blink.morph_target_binds.is_empty());
    assert_eq!((happy.material_binds, blink.material_binds), (2, 2));

    let look = vrm.look_at.expect("look-at");
    assert_eq!(look.kind, LookAtKind::Expression);
    assert_eq!(look.offset_from_head_bone, Vec3::new(0.0, 0.06, 0.0));
    let outer = look.horizontal_outer.expect("range map");
    assert_eq!((outer.input_max_value, outer.output_scale), (90.0, 1.0));
    assert_eq!(vrm.meta.name.as_deref(), Some("isBinary overridden"));

    let at = |bone: &str| position(&model, vrm.human_bones[bone]);
    assert!(
        (at("leftHand") - Vec3::new(0.6, 1.0, 0.0)).length() < 1e-4,
        "{}",
        at("leftHand")
    );
    assert!(matches!(
        model
            .extensions
            .iter()
            .find(|e| e.name == "KHR_texture_transform")
            .expect("used")
            .support,
        Support::Partly(_)
    ));
    let sizes: Vec<(u32, u32)> = model
        .images
        .iter()
        .filter_map(|i| i.size)
        .map(|s| (s.width, s.height))
        .collect();
    assert_eq!(sizes, [(512, 512), (256, 128), (512, 4)]);
}
