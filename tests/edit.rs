//! Edit mode in the window, as an author uses it: `reunion play` under Xvfb on a copy
//! of the reference story, driven by xdotool (keys, the mouse, the wheel). The bench
//! is clicked, dragged, turned and saved; park.scene.ron must then differ in exactly
//! the bench's `at` and `facing`, every comment kept, and the hot reload must bring
//! the story the new placement.
//!
//! Rendering here is slow (a software renderer on a shared machine: a frame may take
//! seconds), so every step waits for the window to say it happened, within bounds.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bevy::math::{Quat, Vec3};
use reunion_stage::components::facing_rotation;
use reunion_stage::flat::FLAT_FOV_DEGREES;
use reunion_stage::presence::START_PITCH;
use reunion_story::format::SceneFile;

const SIZE: (f32, f32) = (1280.0, 720.0);

/// `reunion play` in its own Xvfb, and what it prints.
struct Window {
    child: Child,
    out: PathBuf,
    /// `DISPLAY` and `XAUTHORITY` of its Xvfb, for xdotool.
    display: String,
    auth: String,
    pid: Option<u32>,
}

impl Window {
    fn open(story: &Path, scratch: &Path) -> Window {
        let out = scratch.join("window.out");
        let display_file = scratch.join("display");
        let pid_file = scratch.join("pid");
        let script = format!(
            "echo \"$DISPLAY $XAUTHORITY\" > '{}'; echo $$ > '{}'; exec '{}' play '{}' --no-log",
            display_file.display(),
            pid_file.display(),
            env!("CARGO_BIN_EXE_reunion"),
            story.display()
        );
        let log = std::fs::File::create(&out).expect("output file");
        let child = Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1280x720x24", "sh", "-c", &script])
            .stdout(log.try_clone().expect("output"))
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("xvfb-run (the Debian package xvfb; .ci/run installs it)");
        let mut window = Window {
            child,
            out,
            display: String::new(),
            auth: String::new(),
            pid: None,
        };
        let found = wait_until(Duration::from_secs(60), || {
            let d = std::fs::read_to_string(&display_file).ok()?;
            let p = std::fs::read_to_string(&pid_file).ok()?;
            let (display, auth) = d.trim().split_once(' ')?;
            let pid = p.trim().parse::<u32>().ok()?;
            Some((display.to_owned(), auth.to_owned(), pid))
        });
        let (display, auth, pid) = found.expect("xvfb-run started the window");
        window.display = display;
        window.auth = auth;
        window.pid = Some(pid);
        window
    }

    fn output(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }

    /// Waits for a line of the window's output containing `what`; returns it.
    fn wait_for(&self, what: &str, secs: u64) -> String {
        wait_until(Duration::from_secs(secs), || {
            self.output()
                .lines()
                .find(|l| l.contains(what))
                .map(str::to_owned)
        })
        .unwrap_or_else(|| {
            panic!(
                "the window did not say `{what}` within {secs} s; it said:\n{}",
                self.output()
            )
        })
    }

    fn xdotool(&self, args: &[&str]) {
        let status = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .env("XAUTHORITY", &self.auth)
            .status()
            .expect("xdotool (the Debian package xdotool; .ci/run installs it)");
        assert!(status.success(), "xdotool {args:?} failed");
    }

    fn window_id(&self) -> String {
        wait_until(Duration::from_secs(120), || {
            let out = Command::new("xdotool")
                .args(["search", "--name", "reunion"])
                .env("DISPLAY", &self.display)
                .env("XAUTHORITY", &self.auth)
                .output()
                .ok()?;
            let id = String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()?
                .to_owned();
            (!id.is_empty()).then_some(id)
        })
        .expect("the window appeared")
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        // Esc closed it if all went well; if not, end it by its own id.
        let ended = wait_until(Duration::from_secs(20), || {
            self.child.try_wait().ok().flatten().map(|_| ())
        });
        if ended.is_none() {
            if let Some(pid) = self.pid {
                let _ = Command::new("kill").arg(pid.to_string()).status();
            }
            let _ = wait_until(Duration::from_secs(10), || {
                self.child.try_wait().ok().flatten().map(|_| ())
            });
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn wait_until<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn pause(secs: f32) {
    std::thread::sleep(Duration::from_secs_f32(secs));
}

/// Where a point of the place shows in the window, seen from the start mark as the
/// flat camera sees it when the place begins.
fn on_screen(point: Vec3, start: Vec3, facing: f32, eye_height: f32) -> (i32, i32) {
    let eye = start + Vec3::Y * eye_height;
    let turn = facing_rotation(facing) * Quat::from_rotation_x(START_PITCH);
    let p = turn.inverse() * (point - eye);
    let half = (FLAT_FOV_DEGREES.to_radians() / 2.0).tan();
    let depth = -p.z;
    let x = p.x / (depth * half * SIZE.0 / SIZE.1);
    let y = p.y / (depth * half);
    (
        ((x + 1.0) / 2.0 * SIZE.0) as i32,
        ((1.0 - y) / 2.0 * SIZE.1) as i32,
    )
}

fn parse_scene(text: &str) -> SceneFile {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .expect("the scene parses")
}

/// The numbers of an `edit: … at (x, y, z) facing f` line.
fn numbers_after(line: &str, what: &str) -> Vec<f32> {
    let rest = &line[line.find(what).expect("the words") + what.len()..];
    rest.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|n| n.parse().ok())
        .collect()
}

#[test]
fn a_ray_picks_the_nearest_box_it_enters() {
    use bevy::math::Affine3A;
    use reunion_stage::edit::pick::{PickBox, first_hit, ray_box};
    let (min, max) = (Vec3::new(-0.5, 0.0, -0.5), Vec3::new(0.5, 1.0, 0.5));
    // From the eye straight ahead into a box 3 m off.
    let eye = Vec3::new(0.0, 0.5, 3.0);
    assert_eq!(ray_box(eye, Vec3::NEG_Z, min, max), Some(2.5));
    assert_eq!(ray_box(eye, Vec3::Z, min, max), None, "behind the eye");
    assert_eq!(
        ray_box(eye + Vec3::X, Vec3::NEG_Z, min, max),
        None,
        "beside it"
    );
    // Inside a box: hit at once.
    assert_eq!(
        ray_box(Vec3::new(0.0, 0.5, 0.0), Vec3::NEG_Z, min, max),
        Some(0.0)
    );
    let placed = |x: f32, z: f32, facing: f32| PickBox {
        min,
        max,
        to_world: Affine3A::from_rotation_translation(
            facing_rotation(facing),
            Vec3::new(x, 0.0, z),
        ),
    };
    // Two boxes on the line of sight: the nearer one; a long box turned side-on.
    let boxes = [
        ("far", placed(0.0, -4.0, 0.0)),
        ("near", placed(0.0, -1.0, 0.0)),
    ];
    assert_eq!(first_hit(eye, Vec3::NEG_Z, boxes), Some("near"));
    let long = PickBox {
        min: Vec3::new(-0.1, 0.0, -1.0),
        max: Vec3::new(0.1, 1.0, 1.0),
        to_world: Affine3A::from_rotation_translation(facing_rotation(90.0), Vec3::ZERO),
    };
    // Turned 90°, it spans x -1..1: a ray at x = 0.8 hits it.
    assert!(first_hit(eye + Vec3::X * 0.8, Vec3::NEG_Z, [((), long)]).is_some());
    assert!(first_hit(eye + Vec3::X * 1.2, Vec3::NEG_Z, [((), long)]).is_none());
}

#[test]
fn a_dragged_thing_follows_the_level_and_lands_on_what_is_under_it() {
    use reunion_stage::edit::pick::{on_level, rests_on_surface, surface_under, turned};
    let eye = Vec3::new(0.0, 1.6, 0.0);
    let down = Vec3::new(0.0, -1.0, -1.0).normalize();
    let hit = on_level(eye, down, 0.0).expect("the floor ahead");
    assert!((hit - Vec3::new(0.0, 0.0, -1.6)).length() < 1e-5);
    assert_eq!(
        on_level(eye, Vec3::NEG_Z, 0.0),
        None,
        "level with the floor"
    );
    assert_eq!(on_level(eye, Vec3::Y, 0.0), None, "looking up");
    // A table 0.45 high, a tree's crown 5 m up: the table holds things, the crown not.
    let table = (Vec3::new(-0.5, 0.0, -0.5), Vec3::new(0.5, 0.45, 0.5));
    let tree = (Vec3::new(2.0, 0.0, 2.0), Vec3::new(4.0, 5.0, 4.0));
    let boxes = [table, tree];
    assert_eq!(surface_under(0.2, 0.1, &boxes), 0.45);
    assert_eq!(surface_under(3.0, 3.0, &boxes), 0.0);
    assert_eq!(surface_under(1.0, 1.0, &boxes), 0.0);
    // The cake on the table rests; the window on the wall does not.
    assert!(rests_on_surface(0.0, 0.46, 0.0, &boxes));
    assert!(rests_on_surface(1.0, 0.0, 1.0, &boxes));
    assert!(!rests_on_surface(1.0, 1.6, 1.0, &boxes));
    // Facings stay as authors write them.
    assert_eq!(turned(150.0, 15.0), 165.0);
    assert_eq!(turned(350.0, 15.0), 5.0);
    assert_eq!(turned(-170.0, -15.0), 175.0);
}

#[test]
fn moving_the_bench_in_the_window_rewrites_only_its_numbers_and_reloads() {
    let dir = crate::copy_of_reference("edit-bench");
    let scratch = dir.with_extension("run");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch");
    let scene = dir.join("park.scene.ron");
    let before = std::fs::read_to_string(&scene).expect("park.scene.ron");

    // Where the bench shows: the middle of its box, from the park's start mark.
    let loaded = reunion_story::load::load_dir(&dir);
    let story = loaded.story.expect("the reference story loads");
    let park = story.places.iter().find(|p| p.id == "park").expect("park");
    let bench = park
        .things
        .iter()
        .find(|t| t.id == "bench")
        .expect("a bench");
    let b = bench.bounds_in_place().expect("the bench has a box");
    let middle = (b.min + b.max) / 2.0;
    let start = Vec3::from(park.start.at);
    let (x, y) = on_screen(
        middle,
        start,
        park.start.facing,
        park.start.posture.eye_height(),
    );
    assert!(
        (0..SIZE.0 as i32).contains(&x) && (0..SIZE.1 as i32).contains(&y),
        "the bench is in view ({x}, {y})"
    );

    let window = Window::open(&dir, &scratch);
    let id = window.window_id();
    window.xdotool(&["mousemove", "--window", &id, "640", "360"]);
    window.xdotool(&["windowfocus", &id]);
    window.xdotool(&["key", "F2"]);
    window.wait_for("edit mode on", 180);

    // Press on the bench; wait for the window to take it before dragging.
    window.xdotool(&["mousemove", "--window", &id, &x.to_string(), &y.to_string()]);
    pause(1.0);
    window.xdotool(&["mousedown", "1"]);
    window.wait_for("edit: selected bench", 120);
    for step in 1..=4 {
        let to = (x + 30 * step).to_string();
        window.xdotool(&["mousemove", "--window", &id, &to, &(y + 10).to_string()]);
        pause(1.5);
    }
    pause(2.0);
    window.xdotool(&["mouseup", "1"]);
    window.wait_for("edit: moved bench", 120);
    // The wheel turns it.
    window.xdotool(&["click", "4"]);
    window.wait_for("edit: turned bench", 120);
    // Ctrl+S, held long enough for a slow frame to see both keys.
    window.xdotool(&["keydown", "ctrl"]);
    pause(1.0);
    window.xdotool(&["key", "s"]);
    pause(1.0);
    window.xdotool(&["keyup", "ctrl"]);
    let saved = window.wait_for("edit: saved bench in park.scene.ron", 120);
    let reloaded = window.wait_for("edit: reloaded: bench stands at", 180);
    window.xdotool(&["key", "Escape"]);

    // The file: only the bench's line changed, and in it only its numbers.
    let after = std::fs::read_to_string(&scene).expect("park.scene.ron");
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "one line changed: {changed:?}");
    let (old_line, new_line) = changed[0];
    assert!(old_line.trim_start().starts_with("\"bench\""), "{old_line}");
    let words = |l: &str| {
        l.split(|c: char| c.is_ascii_digit() || c == '.' || c == '-')
            .collect::<Vec<_>>()
            .concat()
    };
    assert_eq!(words(old_line), words(new_line), "only numbers changed");
    let comments = |t: &str| {
        t.lines()
            .filter(|l| l.trim_start().starts_with("//"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(comments(&before), comments(&after));
    assert!(comments(&after).len() >= 4);

    // The scene is the same but for the bench's at and facing, which both changed.
    let (old, mut new) = (parse_scene(&before), parse_scene(&after));
    let bench_of = |s: &SceneFile| {
        s.things
            .0
            .iter()
            .find(|(k, _)| k == "bench")
            .map(|(_, t)| (t.at, t.facing))
            .expect("bench")
    };
    let (old_at, old_facing) = bench_of(&old);
    let (new_at, new_facing) = bench_of(&new);
    assert_ne!(old_at, new_at, "the bench moved");
    assert_ne!(old_facing, new_facing, "the bench turned");
    assert_eq!(new_at.1, 0.0, "dropped on the grass, it stands on it");
    for (k, t) in new.things.0.iter_mut() {
        if k == "bench" {
            t.at = old_at;
            t.facing = old_facing;
        }
    }
    assert_eq!(new, old, "nothing else changed");

    // What was saved is what the file says, and the reloaded story has it.
    for line in [&saved, &reloaded] {
        let n = numbers_after(line, " at ");
        assert_eq!(n.len(), 4, "{line}");
        let near = |a: f32, b: f32| (a - b).abs() < 0.006;
        assert!(
            near(n[0], new_at.0) && near(n[1], new_at.1) && near(n[2], new_at.2),
            "{line} vs {new_at:?}"
        );
        assert!((n[3] - new_facing).abs() < 0.06, "{line} vs {new_facing}");
    }
    drop(window);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&scratch);
}
