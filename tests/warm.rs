//! The next place's render pipelines are made before it is shown (#21): the example
//! story rendered in a window under Xvfb (Mesa's lavapipe), by `reunion bench
//! --render`, with the beach given a skinned figure with a morph target (kinds of
//! surface the living room has none of). Warmed, showing the beach makes no pipeline;
//! not warmed (`--no-warm`), it does: what the participant would have seen drawn late.

use std::process::Command;

use serde_json::Value;

use crate::{copy_dir, root};

/// The example story with a skinned, morphing figure standing on the beach.
fn farewell_with_a_figure_on_the_beach() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("reunion-test-warm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("assets/stories/farewell"), &dir);
    let scene = dir.join("beach.scene.ron");
    let text = std::fs::read_to_string(&scene).expect("the beach's scene");
    let marker = r#""shore": (is: Marker, at: (0.0, 0.0, -8.0)),"#;
    assert!(text.contains(marker), "the beach's scene has its shore");
    let text = text.replace(
        marker,
        &format!(
            "{marker}\n        \"figure\": (is: Model(file: \"models/humanoid_adult.glb\"), at: (-1.2, 0.0, -3.0), facing: 20.0),"
        ),
    );
    std::fs::write(&scene, text).expect("write the beach's scene");
    dir
}

/// The render pipelines made while the transition to the beach played.
fn pipelines_made_going_to_the_beach(story: &std::path::Path, warm: bool) -> f64 {
    let json = story.join(if warm { "warm.json" } else { "cold.json" });
    let mut command = Command::new("xvfb-run");
    command
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_reunion"))
        .arg("bench")
        .arg(story)
        .args(["--render", "--json"])
        .arg(&json)
        .env("XR_RUNTIME_JSON", "/nonexistent/openxr_runtime.json");
    if !warm {
        command.arg("--no-warm");
    }
    let out = command
        .output()
        .expect("xvfb-run (the Debian package xvfb; .ci/run installs it)");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let value: Value = std::fs::read_to_string(&json)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let rows = value["rows"].as_array().cloned().unwrap_or_default();
    let made = rows.iter().find(|r| {
        r["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("render pipelines made") && n.ends_with("→ beach"))
    });
    match made.and_then(|r| r["value"].as_f64()) {
        Some(v) => v,
        None => panic!("no count of pipelines for the beach in the bench's report:\n{report}"),
    }
}

#[test]
fn a_warmed_place_makes_no_render_pipeline_when_it_is_shown() {
    let story = farewell_with_a_figure_on_the_beach();
    let cold = pipelines_made_going_to_the_beach(&story, false);
    let warm = pipelines_made_going_to_the_beach(&story, true);
    let _ = std::fs::remove_dir_all(&story);
    assert!(
        cold > 0.0,
        "not warmed, the beach's skinned figure needs pipelines of its own when shown: {cold}"
    );
    assert_eq!(warm, 0.0, "warmed, the beach needs no pipeline when shown");
}
