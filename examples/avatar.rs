//! The avatar on her own: every expression and every gesture in turn, seen from the
//! front, from the side and close up, flat-screen.
//!
//! Shows: the default avatar built from the reference story's cast entry (Nayeon),
//! the animator's layers (idle, blinking, gaze at the viewer, expressions, gestures,
//! talking), driven by the same cues the director gives.
//!
//! ```text
//! cargo run --release --example avatar              # cycles every 3.5 s; Space: next
//! cargo run --release --example avatar -- --shots docs/images/avatar
//! cargo run --release --example avatar -- --model path/to/her.glb [--height 1.3]
//! ```
//! With `--model FILE` (`.glb`, `.gltf` or `.vrm`) she is that model instead, checked
//! as a cast entry's model is (`reunion check` says the same about it), moved by the
//! same animator; the vowels she shapes are shown too.
//! With `--shots DIR` it runs on fixed 1/30 s steps, saves one screenshot per
//! expression and gesture into DIR (from item N with `--from N`) and quits (run it under `xvfb-run` without a
//! display).

use std::path::{Path, PathBuf};
use std::time::Duration;

use bevy::camera::Viewport;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy::time::TimeUpdateStrategy;
use bevy::window::WindowResolution;
use reunion_avatar::child::Rig;
use reunion_avatar::components::AvatarLook;
use reunion_avatar::components::AvatarModel;
use reunion_avatar::motion::{EXPRESSIONS, GESTURES};
use reunion_avatar::prelude::*;
use reunion_hands::hold::Held;
use reunion_hands::prelude::{HandHold, HandSide};
use reunion_stage::components::{ActorBody, PlaceScoped};
use reunion_stage::presence::ParticipantHead;
use reunion_stage::session::CueIssued;
use reunion_story::director::Cue;
use reunion_story::story::{ActorId, Expression, Gesture, PlaceId};

/// One thing to show.
#[derive(Clone, Copy, Debug)]
enum Item {
    Expression(Expression),
    Gesture(Gesture),
    /// A vowel held for a moment: its Hangul syllable and our name for its shape.
    Vowel(&'static str, &'static str),
    /// The participant's hand (the pale hand) holds hers, in front of her.
    HandHeld,
    /// She leads the participant by the hand, walking.
    Lead,
}

/// The vowels the contact sheet shows: ㅏ ㅣ ㅜ ㅔ ㅗ.
const VOWELS: [(&str, &str); 5] = [
    ("아", "aa"),
    ("이", "ih"),
    ("우", "ou"),
    ("에", "ee"),
    ("오", "oh"),
];

impl Item {
    fn all() -> Vec<Item> {
        EXPRESSIONS
            .into_iter()
            .map(Item::Expression)
            // The farewell glow before lying down, as in the story's ending.
            .chain(
                GESTURES
                    .into_iter()
                    .filter(|g| *g != Gesture::LieDown)
                    .map(Item::Gesture),
            )
            .chain(VOWELS.map(|(s, v)| Item::Vowel(s, v)))
            .chain([Item::HandHeld, Item::Lead])
            // Last: she stays lying down until another gesture gets her up.
            .chain([Item::Gesture(Gesture::LieDown)])
            .collect()
    }

    fn label(self) -> String {
        match self {
            Item::Expression(e) => format!("expression: {e:?}"),
            Item::Gesture(g) => format!("gesture: {g:?}"),
            // (The label's font has no Hangul: the syllable said is in `VOWELS`.)
            Item::Vowel(_, v) => format!("vowel: {v}"),
            Item::HandHeld => "hand: held".into(),
            Item::Lead => "hand: leading".into(),
        }
    }

    /// When the pose is most telling, seconds after the cue.
    fn peak(self) -> f32 {
        match self {
            Item::Expression(_) => 1.2,
            Item::Gesture(Gesture::Clap) => 1.05,
            Item::Gesture(Gesture::Nod) => 0.3,
            Item::Gesture(Gesture::Yawn) => 1.6,
            Item::Gesture(Gesture::LieDown) => 3.6,
            Item::Gesture(_) => 1.2,
            Item::Vowel(..) => VOWEL_SECONDS / 2.0,
            Item::HandHeld => 1.8,
            Item::Lead => LEAD_SECONDS * 0.7,
        }
    }
}

/// How long each vowel is said.
const VOWEL_SECONDS: f32 = 1.4;
/// How long she walks, leading, and how fast (m/s, her height's share of 1.18 m).
const LEAD_SECONDS: f32 = 2.4;
const LEAD_SPEED: f32 = 0.45;

/// The participant's hand, drawn as a pale hand in the world where it is.
#[derive(Component)]
struct TheirHand;

#[derive(Resource)]
struct Show {
    items: Vec<Item>,
    index: usize,
    /// Seconds since the current item began.
    clock: f32,
    shots: Option<PathBuf>,
    shot_taken: bool,
    /// Frames to wait at the start, so shaders are compiled before the first shot.
    warmup: u32,
    /// Her height over the built-in child's (1.18 m): distances scale with it.
    scale: f32,
}

#[derive(Component)]
struct Label;

fn main() -> AppExit {
    let mut args = std::env::args().skip(1);
    let mut shots = None;
    let mut from = 1usize;
    let mut model_file: Option<PathBuf> = None;
    let mut height: Option<f32> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--shots" => shots = args.next().map(PathBuf::from),
            "--model" => model_file = args.next().map(PathBuf::from),
            "--height" => height = args.next().and_then(|h| h.parse().ok()),
            "--from" => {
                from = args
                    .next()
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(1)
            }
            other => {
                eprintln!(
                    "unknown argument `{other}` (use [--model FILE [--height METRES]] [--shots DIR [--from N]])"
                );
                return AppExit::error();
            }
        }
    }
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    // A model is shown through a copy of the story where Nayeon is that model, so it
    // is checked exactly as a cast entry's model is.
    let folder = match &model_file {
        Some(file) => match story_with_model(&root, file, height) {
            Ok(folder) => folder,
            Err(e) => {
                eprintln!("{e}");
                return AppExit::error();
            }
        },
        None => root.join("assets/stories/nayeon"),
    };
    let loaded = reunion_story::load::load_dir(&folder);
    let Some(story) = loaded.story.filter(|_| !loaded.diagnostics.has_errors()) else {
        eprintln!("{}", loaded.diagnostics);
        return AppExit::error();
    };
    let look = story.cast[0].look.clone();
    let model = story.cast[0].model.clone();
    if let Some(dir) = &shots
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("cannot create {}: {e}", dir.display());
        return AppExit::error();
    }

    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "reunion — avatar".into(),
                    resolution: WindowResolution::new(1280, 720),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: folder.to_string_lossy().into_owned(),
                ..default()
            }),
    )
    .add_message::<CueIssued>()
    .add_plugins(AvatarPlugin)
    .insert_resource(ClearColor(Color::srgb(0.93, 0.88, 0.86)))
    .insert_resource(Show {
        items: Item::all(),
        index: from.clamp(1, Item::all().len()) - 1,
        clock: 0.0,
        warmup: if shots.is_some() { 40 } else { 0 },
        shots: shots.clone(),
        shot_taken: false,
        scale: model.as_ref().map_or(look.height, |m| m.body.height) / 1.18,
    })
    .init_resource::<HandHold>()
    .add_systems(
        Startup,
        move |mut commands: Commands,
              mut meshes: ResMut<Assets<Mesh>>,
              mut materials: ResMut<Assets<StandardMaterial>>| {
            setup(
                &mut commands,
                &mut meshes,
                &mut materials,
                look.clone(),
                model.clone(),
            );
        },
    )
    .add_systems(Update, (advance, keys).chain().after(AvatarSystems));
    if shots.is_some() {
        app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs_f64(
            1.0 / 30.0,
        )));
    }
    app.run()
}

fn setup(
    commands: &mut Commands,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
    look: reunion_story::story::Look,
    model: Option<reunion_story::story::Model>,
) {
    // Framed for her height and where her eyes are.
    let (h, eyes, head) = match &model {
        Some(m) => (m.body.height, m.body.eye_y, m.body.head_radius),
        None => {
            let p = reunion_avatar::body::Proportions::from_height(look.height);
            (p.height, p.eye_height(), p.head_radius)
        }
    };
    let k = h / 1.18;
    // Close enough to see her face, far enough to see all of a big head.
    let face = (0.62 * k).max(head * 5.0);
    // She stands at the origin facing the viewer (+z).
    let mut her = commands.spawn((
        ActorBody(ActorId(0)),
        PlaceScoped(PlaceId(0)),
        AvatarLook(look),
        Transform::from_rotation(Quat::from_rotation_y(std::f32::consts::PI)),
        Visibility::Inherited,
    ));
    if let Some(m) = model {
        her.insert(AvatarModel(m));
    }
    commands.spawn((
        Mesh3d(meshes.add(Circle::new(2.5))),
        MeshMaterial3d(materials.add(StandardMaterial {
            base_color: Color::srgb(0.86, 0.8, 0.78),
            perceptual_roughness: 1.0,
            ..default()
        })),
        Transform::from_rotation(Quat::from_rotation_x(-std::f32::consts::FRAC_PI_2)),
    ));
    commands.spawn((
        DirectionalLight {
            illuminance: 6_000.0,
            shadow_maps_enabled: true,
            ..default()
        },
        Transform::from_xyz(1.5, 3.0, 3.0).looking_at(Vec3::new(0.0, 0.6, 0.0), Vec3::Y),
    ));
    commands.insert_resource(GlobalAmbientLight {
        color: Color::srgb(1.0, 0.95, 0.92),
        brightness: 700.0,
        ..default()
    });
    // The viewer she looks at, where a mother would kneel to meet her.
    commands.spawn((ParticipantHead, Transform::from_xyz(0.0, 1.1 * k, 1.6 * k)));
    // The participant's hand: hidden until it holds hers.
    commands.spawn((
        TheirHand,
        Mesh3d(meshes.add(Capsule3d::new(0.03 * k, 0.07 * k))),
        MeshMaterial3d(materials.add(StandardMaterial {
            base_color: Color::srgb(0.93, 0.78, 0.7),
            perceptual_roughness: 0.8,
            ..default()
        })),
        Transform::from_rotation(Quat::from_rotation_x(std::f32::consts::FRAC_PI_2)),
        Visibility::Hidden,
    ));
    // Three views: the whole of her from the front, from the side, and her face.
    let views = [
        (
            UVec2::new(0, 0),
            UVec2::new(640, 720),
            Vec3::new(0.0, 0.8, 2.6) * k,
            Vec3::new(0.0, 0.62, 0.0) * k,
        ),
        (
            UVec2::new(640, 0),
            UVec2::new(640, 360),
            Vec3::new(1.7, 0.75, 0.25) * k,
            Vec3::new(0.0, 0.62, 0.0) * k,
        ),
        (
            UVec2::new(640, 360),
            UVec2::new(640, 360),
            Vec3::new(0.0, eyes + 0.03 * k, face),
            Vec3::new(0.0, eyes - 0.02 * k, 0.0),
        ),
    ];
    let mut front = None;
    for (i, (pos, size, eye, at)) in views.into_iter().enumerate() {
        let camera = commands.spawn((
            Camera3d::default(),
            Camera {
                order: i as isize,
                viewport: Some(Viewport {
                    physical_position: pos,
                    physical_size: size,
                    ..default()
                }),
                ..default()
            },
            Projection::Perspective(PerspectiveProjection {
                fov: if i == 2 { 0.5 } else { 0.75 },
                ..default()
            }),
            Transform::from_translation(eye).looking_at(at, Vec3::Y),
        ));
        front.get_or_insert(camera.id());
    }
    let Some(front) = front else { return };
    commands.spawn((
        Label,
        UiTargetCamera(front),
        Text::new(""),
        TextFont {
            font_size: FontSize::Px(26.0),
            ..default()
        },
        TextColor(Color::srgb(0.25, 0.18, 0.2)),
        Node {
            position_type: PositionType::Absolute,
            left: Val::Px(16.0),
            top: Val::Px(12.0),
            ..default()
        },
    ));
}

/// Gives the current item's cue, and moves on: on a timer, or after its screenshot.
fn advance(
    mut commands: Commands,
    time: Res<Time>,
    mut show: ResMut<Show>,
    mut cues: MessageWriter<CueIssued>,
    mut label: Query<&mut Text, With<Label>>,
    mut avatar: Query<
        (&mut Transform, Option<&mut AvatarAnimator>),
        (With<ActorBody>, Without<TheirHand>),
    >,
    mut hand: Query<(Entity, &mut Transform, &mut Visibility), With<TheirHand>>,
    mut hold: ResMut<HandHold>,
    built: Query<(), With<Rig>>,
    mut exit: MessageWriter<AppExit>,
) {
    if built.is_empty() {
        return;
    }
    if show.warmup > 0 {
        show.warmup -= 1;
        return;
    }
    let me = ActorId(0);
    let item = show.items[show.index];
    if show.clock == 0.0 {
        // Every item starts from a neutral face and a resting body.
        cues.write(CueIssued(Cue::Expression(me, Expression::Neutral)));
        match item {
            Item::Expression(e) => {
                cues.write(CueIssued(Cue::Expression(me, e)));
            }
            Item::Gesture(g) => {
                cues.write(CueIssued(Cue::Gesture(me, g)));
                if g == Gesture::Yawn || g == Gesture::LieDown {
                    cues.write(CueIssued(Cue::Expression(me, Expression::Sleepy)));
                } else {
                    cues.write(CueIssued(Cue::Expression(me, Expression::Smile)));
                }
            }
            // She says the vowel: her mouth takes its shape from the text, as in a line.
            Item::Vowel(syllable, _) => {
                for (_, a) in &mut avatar {
                    if let Some(mut a) = a {
                        a.animator.command(reunion_avatar::motion::Command::Talk {
                            seconds: VOWEL_SECONDS,
                        });
                        a.animator.say(reunion_story::visemes::LipSync::new(
                            syllable,
                            "ko",
                            VOWEL_SECONDS,
                            None,
                        ));
                    }
                }
            }
            Item::HandHeld | Item::Lead => {
                cues.write(CueIssued(Cue::Expression(me, Expression::Smile)));
            }
        }
        // Lying down she stretches out sideways: move her so all of her is in view.
        let x = match item {
            Item::Gesture(Gesture::LieDown) => 0.55,
            Item::Lead => LEAD_SECONDS * LEAD_SPEED * 0.5,
            _ => 0.0,
        };
        // Leading, she walks across the view, to the viewer's left.
        let facing = if matches!(item, Item::Lead) {
            -std::f32::consts::FRAC_PI_2
        } else {
            std::f32::consts::PI
        };
        for (mut t, _) in &mut avatar {
            t.translation.x = x;
            t.rotation = Quat::from_rotation_y(facing);
        }
        let held = matches!(item, Item::HandHeld | Item::Lead);
        for (e, _, mut v) in &mut hand {
            *v = if held {
                Visibility::Inherited
            } else {
                Visibility::Hidden
            };
            hold.held = held.then_some(Held {
                actor: me,
                hand: e,
                side: HandSide::Left,
            });
        }
        if let Ok(mut text) = label.single_mut() {
            text.0 = format!(
                "{} / {} - {}",
                show.index + 1,
                show.items.len(),
                item.label()
            );
        }
    }
    show.clock += time.delta_secs();
    // The participant's hand where it holds hers: in front of her right side, at her
    // waist; leading, beside her as she walks.
    if let Some((_, mut at, _)) = hand.iter_mut().next()
        && let Some((mut her, _)) = avatar.iter_mut().next()
    {
        let side = if matches!(item, Item::Lead) {
            her.translation.x -= LEAD_SPEED * time.delta_secs();
            Vec3::new(0.26, 0.0, 0.02)
        } else {
            Vec3::new(0.22, 0.0, -0.3)
        };
        let side = her.rotation * side * show.scale;
        at.translation = her.translation + side + Vec3::Y * 0.5 * show.scale;
    }
    let next = match &show.shots {
        Some(dir) => {
            if !show.shot_taken && show.clock >= item.peak() {
                let name = item.label().replace(": ", "-").to_lowercase();
                let path = dir.join(format!("{:02}-{name}.png", show.index + 1));
                commands
                    .spawn(Screenshot::primary_window())
                    .observe(save_to_disk(path));
                show.shot_taken = true;
            }
            show.clock >= item.peak() + 0.5
        }
        None => show.clock >= 3.5,
    };
    if next {
        show.clock = 0.0;
        show.shot_taken = false;
        show.index += 1;
        if show.index == show.items.len() {
            if show.shots.is_some() {
                exit.write(AppExit::Success);
                show.index -= 1;
                return;
            }
            show.index = 0;
        }
    }
}

fn keys(input: Res<ButtonInput<KeyCode>>, mut show: ResMut<Show>) {
    if input.just_pressed(KeyCode::Space) && show.shots.is_none() {
        show.clock = 0.0;
        show.index = (show.index + 1) % show.items.len();
    }
}

/// A copy of the humanoid story (in the temporary folder) where Nayeon is `file`, at
/// `height` metres when given.
fn story_with_model(root: &Path, file: &Path, height: Option<f32>) -> Result<PathBuf, String> {
    let name = file
        .file_name()
        .ok_or_else(|| format!("{} is not a file", file.display()))?
        .to_string_lossy()
        .into_owned();
    let dir = std::env::temp_dir().join(format!("reunion-avatar-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root.join("assets/stories/nayeon_humanoid"), &dir)
        .map_err(|e| format!("cannot copy the humanoid story: {e}"))?;
    std::fs::copy(file, dir.join("models").join(&name))
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let story = std::fs::read_to_string(dir.join("story.ron")).map_err(|e| e.to_string())?;
    let height = height.map_or(String::new(), |h| format!(", height: {h}"));
    let entry = format!(r#"model: (file: "models/{name}"{height}),"#);
    let story = story.replace(r#"model: (file: "models/humanoid_child.glb"),"#, &entry);
    std::fs::write(dir.join("story.ron"), story).map_err(|e| e.to_string())?;
    Ok(dir)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
