//! The participant's hands, flat-screen: taking her hand, then the seven candles.
//!
//! Shows: a short practice story on the reference story's places (the park, then her
//! room), her offered hand taken with the mouse (point at it, hold the left button),
//! the candles picked up and set in the cake (point, hold, carry, let go over a
//! socket), lit by the story, and blown out by leaning in (`B`, or walk close with
//! the arrows and `W`). The line at the bottom says what the hand can do. `P` saves
//! a screenshot as `hands-N.png` in the current folder.
//!
//! ```text
//! cargo run --release --example hands                       # you are the hands
//! cargo run --release --example hands -- --autopilot        # watch the puppeteer
//! xvfb-run -s "-screen 0 1280x720x24" cargo run --release --example hands -- --shots docs/images/hands
//! ```
//! With `--shots DIR` the autopilot plays it and a screenshot is saved at each moment
//! (her hand held, a candle carried, candles in the cake, lit, leaning in, the smoke);
//! then it quits.

use std::path::{Path, PathBuf};

use bevy::asset::{AssetMetaCheck, AssetPlugin};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy::window::WindowResolution;
use bevy::winit::WinitSettings;
use reunion_hands::candles::{Lit, Smoke};
use reunion_hands::prelude::*;
use reunion_hands::props::InHand;
use reunion_stage::prelude::*;

/// The practice story: her hand, then the cake.
const STORY: &str = r##"// Practice for the hands: take her hand, then set and blow out the candles.
(
    format: 1,
    title: "Practice: hands",
    languages: ["en", "ko"],
    cast: {
        "nayeon": (
            name: { "en": "Nayeon", "ko": "나연" },
            look: (height: 1.18, skin: "#f3d5c0", hair: "#24170f", hair_style: Bob,
                   eyes: "#3a2416", top: "#f4b6cf", bottom: "#fff7fb"),
        ),
        "friend": (
            name: { "en": "Friend", "ko": "친구" },
            look: (height: 1.12, skin: "#eecdb4", hair: "#3b2414", hair_style: Pigtails,
                   eyes: "#2f1f12", top: "#b8dcf5", bottom: "#fff9e6"),
        ),
    },
    places: { "park": "park.scene.ron", "heaven_room": "heaven_room.scene.ron" },
    consent: (
        likeness_of: "no one: a stylised figure", voice_of: "no one",
        consented_by: "not applicable to a practice story", consented_on: "2026-12-01",
        source_media: [], retire_after: "2036-12-01",
    ),
    start: "arrive",
    nodes: {
        "arrive": Go(place: "park", transition: Fade(seconds: 2.0)),
        "ask": Say(speaker: "nayeon",
            text: { "en": "Mom, will you hold my hand?", "ko": "엄마, 내 손 잡아 줄래?" },
            gesture: ReachOut, look_at: "participant"),
        "offer": Cue(world: [OfferHand(actor: "nayeon")]),
        "wait_hand": Wait(until: HandHeld(by: "nayeon"), timeout: 90.0),
        "thanks": Say(speaker: "nayeon",
            text: { "en": "Let's go to my room.", "ko": "내 방에 가자." }, expression: Smile, pause: 1.0),
        "let_go": Cue(world: [LetGo(actor: "nayeon")]),
        "room": Go(place: "heaven_room", transition: Fade(color: "#fff4e6", seconds: 3.0)),
        "candles": Say(speaker: "nayeon",
            text: { "en": "Will you put the candles on my cake?", "ko": "엄마가 케이크에 초 꽂아 줘." },
            gesture: Point, look_at: "cake"),
        "wait_candles": Wait(until: AllCandlesPlaced, timeout: 300.0),
        "seven": Say(speaker: "nayeon",
            text: { "en": "Seven candles! I'm seven.", "ko": "초 일곱 개! 나 일곱 살이야." },
            expression: Laugh, look_at: "cake", pause: 1.0),
        "light": Cue(world: [LightCandles, LookAt(actor: "nayeon", at: "cake")]),
        "blow": Say(speaker: "nayeon",
            text: { "en": "Now blow, Mommy!", "ko": "엄마, 후~ 불어!" }, expression: Laugh, pause: 2.0),
        "wait_blow": Wait(until: CandlesBlownOut, timeout: 120.0),
        "yay": Say(speaker: "nayeon",
            text: { "en": "Yay! Thank you, Mommy.", "ko": "와! 고마워, 엄마." }, gesture: Clap, pause: 2.0),
        "end": End(aftercare: { "en": "That was the practice.", "ko": "연습이 끝났습니다." }),
    },
)
"##;

/// Moments worth a picture, in order.
const MOMENTS: [&str; 6] = [
    "01-her-hand-held",
    "02-carrying-a-candle",
    "03-candles-in-the-cake",
    "04-candles-lit",
    "05-leaning-in",
    "06-blown-out",
];

#[derive(Resource)]
struct Shots {
    dir: PathBuf,
    next: usize,
    /// Frames since the last moment was seen, so a shot shows it settled.
    wait: u32,
    done_at: Option<u32>,
}

fn main() -> AppExit {
    let mut args = std::env::args().skip(1);
    let mut autopilot = false;
    let mut shots = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--autopilot" => autopilot = true,
            "--shots" => {
                shots = args.next().map(PathBuf::from);
                autopilot = true;
            }
            other => {
                eprintln!("unknown argument `{other}` (use --autopilot or --shots DIR)");
                return AppExit::error();
            }
        }
    }
    let folder = match practice_folder() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot write the practice story: {e}");
            return AppExit::error();
        }
    };
    if let Some(dir) = &shots
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("cannot create {}: {e}", dir.display());
        return AppExit::error();
    }
    let mut app = App::new();
    reunion_stage::headless::story_folder_source(&mut app, &folder);
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "reunion — hands".into(),
                    resolution: WindowResolution::new(1280, 720),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: folder.to_string_lossy().into_owned(),
                meta_check: AssetMetaCheck::Never,
                ..default()
            }),
    )
    .insert_resource(WinitSettings::continuous())
    .insert_resource(StageConfig {
        lang: Some("en".into()),
        participant: if autopilot {
            ParticipantSource::Autopilot
        } else {
            ParticipantSource::Live
        },
        ..default()
    })
    .add_plugins((StagePlugin, ScreenPlugin, FlatPlugin))
    .add_plugins((reunion_hands::HandsPlugin, reunion_hands::FlatHandsPlugin))
    .add_plugins(reunion_avatar::AvatarPlugin);
    app.add_systems(Update, screenshot_on_p);
    if let Some(dir) = shots {
        app.insert_resource(Shots {
            dir,
            next: 0,
            wait: 0,
            done_at: None,
        })
        .insert_resource(reunion_stage::flat::FlatHelp::hidden())
        .add_systems(Last, take_shots);
    }
    app.run()
}

/// `P` saves what the window shows.
fn screenshot_on_p(mut commands: Commands, keys: Res<ButtonInput<KeyCode>>, mut n: Local<u32>) {
    if keys.just_pressed(KeyCode::KeyP) {
        *n += 1;
        let path = PathBuf::from(format!("hands-{}.png", *n));
        info!("screenshot: {}", path.display());
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path));
    }
}

/// The practice story beside the reference story's places, in a temporary folder.
fn practice_folder() -> std::io::Result<PathBuf> {
    let reference = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("assets/stories/nayeon");
    let dir = std::env::temp_dir().join(format!("reunion-hands-practice-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for scene in ["park.scene.ron", "heaven_room.scene.ron"] {
        std::fs::copy(reference.join(scene), dir.join(scene))?;
    }
    std::fs::write(dir.join("story.ron"), STORY)?;
    Ok(dir)
}

/// Whether moment `i` is happening now.
fn happening(i: usize, w: &mut World) -> bool {
    let held = w.resource::<HandHold>().held.is_some();
    let carried = w.query::<&InHand>().iter(w).count();
    let socketed = w.query::<&Socketed>().iter(w).count();
    let lit = w.query::<&Lit>().iter(w).count();
    let smoke = w.query::<&Smoke>().iter(w).count();
    let leaning = w
        .resource::<reunion_hands::candles::BlowDetector>()
        .near_for
        > 0.3;
    match i {
        0 => held,
        1 => carried > 0 && socketed >= 2,
        2 => socketed == 7 && lit == 0,
        3 => lit == 7,
        4 => leaning,
        _ => smoke > 0,
    }
}

fn take_shots(world: &mut World) {
    if world.resource::<StoryProblems>().fatal {
        error!("the practice story did not load");
        world.write_message(AppExit::error());
        return;
    }
    let frame = world.resource::<bevy::diagnostic::FrameCount>().0;
    let (next, wait, done_at) = {
        let s = world.resource::<Shots>();
        (s.next, s.wait, s.done_at)
    };
    if let Some(at) = done_at {
        if frame > at + 30 {
            world.write_message(AppExit::Success);
        }
        return;
    }
    if next >= MOMENTS.len() {
        world.resource_mut::<Shots>().done_at = Some(frame);
        return;
    }
    if !happening(next, world) {
        world.resource_mut::<Shots>().wait = 0;
        return;
    }
    // Let the moment show for a few frames; leaning in and the smoke are quick (a
    // software renderer draws a few frames a second), so those are taken at once.
    let settle = if next >= 4 { 0 } else { 6 };
    if wait < settle {
        world.resource_mut::<Shots>().wait += 1;
        return;
    }
    let path = Path::new(&world.resource::<Shots>().dir).join(format!("{}.png", MOMENTS[next]));
    info!("screenshot: {}", path.display());
    world
        .commands()
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path));
    let mut s = world.resource_mut::<Shots>();
    s.next += 1;
    s.wait = 0;
}
