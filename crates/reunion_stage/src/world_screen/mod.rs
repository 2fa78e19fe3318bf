//! What a headset shows of the screen. A flat overlay cannot be seen in a headset, so
//! the subtitles, the transitions' fade, the calm place and the aftercare move into
//! the world:
//!
//! * **Subtitles** stand on a panel between the participant and whoever speaks, a
//!   little below the speaker's face, turned to the participant's eyes, sized to
//!   stay the same in the participant's view. The panel keeps clear of the things in the place, of
//!   the cast, the walls and the floor, and nothing stands between it and the participant's eyes: it
//!   comes closer, moves aside or rises until it is clear ([`subtitle_pose`]). When
//!   the speaker is out of view, the panel waits low in front of the participant's gaze. It glides
//!   to each new place, never jumps.
//! * **The veil**: a sphere around the participant's head in the colour of the fade, the calm place
//!   or the aftercare, as opaque as the flat screen's cover would be.
//! * **The aftercare**'s words stand on the same panel, close in front of the participant, inside
//!   the veil.
//!
//! In a headset this replaces the flat screen's subtitles and covers (the mirror
//! window shows what she sees, the panel and veil included). `reunion play
//! --headset-view` turns it on in a window, to see it without a headset.

mod materials;
pub mod placement;

use bevy::asset::RenderAssetUsages;
use bevy::camera::RenderTarget;
use bevy::pbr::ExtendedMaterial;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat, TextureUsages};

use crate::components::{ActorBody, Bounds, HeadHeight, OnStage, PlaceScoped, ThingName};
use crate::models::{PlaceLoading, Waiting};
use crate::presence::ParticipantHead;
use crate::screen::{
    Covers, SubtitleFont, aftercare_color, aftercare_text_color, aftercare_words, calm_color,
    covers_plugin, fade_color,
};
use crate::session::StorySession;
use crate::transition::TransitionView;
use crate::{StageSystems, WorldScreen};

use materials::screen_color;
pub use materials::{OverEverything, ScreenColor, Untonemapped, VeilColor};
use placement::{
    AFTERCARE_DISTANCE, AFTERCARE_WIDTH_PER_METRE, GLIDE_MAX_SPEED, GLIDE_SECONDS, Obstacle,
    PANEL_ASPECT, PANEL_PIXELS, PanelPose, Room, VEIL_RADIUS, subtitle_pose,
};

pub(super) fn plugin(app: &mut App) {
    covers_plugin(app);
    if app.is_plugin_added::<MaterialPlugin<StandardMaterial>>() {
        app.add_plugins((
            MaterialPlugin::<ScreenColor>::default(),
            MaterialPlugin::<VeilColor>::default(),
        ));
    }
    app.init_resource::<WorldScreen>().add_systems(
        Update,
        (
            spawn_world_screen,
            choose_panel_content,
            place_panel,
            draw_panel,
            draw_veil,
        )
            .chain()
            .after(crate::screen::advance_covers)
            .in_set(StageSystems::Ui),
    );
}

/// What the panel shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum PanelContent {
    #[default]
    Nothing,
    /// A line: who speaks, and what; the panel stands near `speaker`'s eyes.
    Line {
        name: String,
        text: String,
        speaker: Option<Vec3>,
    },
    /// The aftercare's words, close in front of the participant.
    Aftercare(String),
    /// A notice inside the veil, close in front of the participant: how far the
    /// place coming has loaded.
    Notice(String),
}

/// The panel that shows subtitles (and the aftercare) in the world.
#[derive(Component, Debug, Default)]
pub struct SubtitlePanel {
    pub content: PanelContent,
    /// Where it is going.
    pub target: Option<PanelPose>,
}

/// The sphere around the participant's head that fades the world out.
#[derive(Component)]
pub struct Veil;

/// The panel's look: its texture's camera and the texts on it.
#[derive(Component)]
struct PanelCamera;
#[derive(Component)]
struct PanelBox;
#[derive(Component)]
struct PanelName;
#[derive(Component)]
struct PanelText;

/// The veil's colour now: the fade, with the calm place over it, with the aftercare
/// over both, as the flat screen layers them.
pub fn veil_color(fade: Color, calm: Color, aftercare: Color) -> Color {
    let over = |top: Srgba, under: Srgba| {
        let a = top.alpha + under.alpha * (1.0 - top.alpha);
        if a <= 1e-4 {
            return Srgba::NONE;
        }
        let mix = |t: f32, u: f32| (t * top.alpha + u * under.alpha * (1.0 - top.alpha)) / a;
        Srgba::new(
            mix(top.red, under.red),
            mix(top.green, under.green),
            mix(top.blue, under.blue),
            a,
        )
    };
    Color::from(over(
        aftercare.to_srgba(),
        over(calm.to_srgba(), fade.to_srgba()),
    ))
}

/// The veil's colour for the covers as they are now.
fn veil_now(view: &TransitionView, covers: &Covers, session: &StorySession) -> Color {
    veil_color(
        fade_color(view),
        calm_color(session, covers.calm),
        aftercare_color(covers.aftercare()),
    )
}

/// Spawns the panel once the head exists; its look too, when there is a renderer (the
/// camera is made after the window's own, so the console keeps that one).
#[allow(clippy::too_many_arguments)]
fn spawn_world_screen(
    mut commands: Commands,
    panels: Query<(), With<SubtitlePanel>>,
    heads: Query<Entity, With<ParticipantHead>>,
    font: Option<Res<SubtitleFont>>,
    images: Option<ResMut<Assets<Image>>>,
    meshes: Option<ResMut<Assets<Mesh>>>,
    materials: Option<ResMut<Assets<ScreenColor>>>,
    veil_materials: Option<ResMut<Assets<VeilColor>>>,
) {
    if !panels.is_empty() {
        return;
    }
    let Some(head) = heads.iter().next() else {
        return;
    };
    let panel = commands
        .spawn((
            Name::new("subtitle panel"),
            SubtitlePanel::default(),
            Transform::default(),
            Visibility::Hidden,
        ))
        .id();
    let (
        Some(mut images),
        Some(mut meshes),
        Some(mut materials),
        Some(mut veil_materials),
        Some(font),
    ) = (images, meshes, materials, veil_materials, font)
    else {
        return;
    };
    let mut image = Image::new_fill(
        Extent3d {
            width: PANEL_PIXELS.0,
            height: PANEL_PIXELS.1,
            ..default()
        },
        TextureDimension::D2,
        &[0, 0, 0, 0],
        TextureFormat::Bgra8UnormSrgb,
        RenderAssetUsages::default(),
    );
    image.texture_descriptor.usage =
        TextureUsages::TEXTURE_BINDING | TextureUsages::COPY_DST | TextureUsages::RENDER_ATTACHMENT;
    let image = images.add(image);
    let camera = commands
        .spawn((
            Name::new("subtitle panel camera"),
            PanelCamera,
            Camera2d,
            Camera {
                order: -1,
                clear_color: ClearColorConfig::Custom(Color::NONE),
                is_active: false,
                ..default()
            },
            RenderTarget::Image(image.clone().into()),
        ))
        .id();
    commands
        .spawn((
            Node {
                width: Val::Percent(100.0),
                height: Val::Percent(100.0),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..default()
            },
            UiTargetCamera(camera),
        ))
        .with_children(|root| {
            root.spawn((
                PanelBox,
                Node {
                    max_width: Val::Percent(96.0),
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    padding: UiRect::axes(Val::Px(36.0), Val::Px(18.0)),
                    border_radius: BorderRadius::all(Val::Px(28.0)),
                    ..default()
                },
                BackgroundColor(Color::srgba(0.05, 0.04, 0.06, 0.72)),
            ))
            .with_children(|b| {
                b.spawn((
                    PanelName,
                    Text::new(""),
                    font.text(reunion_story::subtitle_fit::NAME_PX),
                    TextColor(Color::srgb(1.0, 0.82, 0.88)),
                ));
                b.spawn((
                    PanelText,
                    Text::new(""),
                    // The checker warns of a line longer than this panel shows.
                    font.text(reunion_story::subtitle_fit::TEXT_PX),
                    TextColor(Color::srgb(1.0, 0.99, 0.97)),
                    TextLayout::justify(Justify::Center),
                ));
            });
        });
    commands.entity(panel).insert((
        Mesh3d(meshes.add(Rectangle::new(1.0, 1.0 / PANEL_ASPECT))),
        MeshMaterial3d(materials.add(screen_color(StandardMaterial {
            base_color: Color::WHITE.with_alpha(0.0),
            base_color_texture: Some(image),
            unlit: true,
            alpha_mode: AlphaMode::Blend,
            cull_mode: None,
            fog_enabled: false,
            ..default()
        }))),
    ));
    // The veil: a sphere centred on the head, drawn from inside. Transparent things
    // are drawn far to near by their centres; the veil's is the eye itself, so a
    // depth bias sorts it as if it stood at its surface: over the world and the
    // subtitles, under the aftercare standing inside it.
    commands.entity(head).with_child((
        Name::new("veil"),
        Veil,
        Mesh3d(meshes.add(Sphere::new(VEIL_RADIUS).mesh().uv(32, 16))),
        MeshMaterial3d(veil_materials.add(ExtendedMaterial {
            base: StandardMaterial {
                base_color: Color::NONE,
                unlit: true,
                alpha_mode: AlphaMode::Blend,
                cull_mode: None,
                fog_enabled: false,
                depth_bias: -VEIL_RADIUS,
                ..default()
            },
            extension: OverEverything {},
        })),
        Transform::default(),
        Visibility::Hidden,
    ));
}

/// What the panel should show: the aftercare at the end, the line being spoken, or
/// nothing; and where the speaker's eyes are.
fn choose_panel_content(
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    loading: Res<PlaceLoading>,
    actors: Query<(&ActorBody, &HeadHeight, &GlobalTransform, &PlaceScoped)>,
    mut panels: Query<&mut SubtitlePanel>,
) {
    let Some(s) = session else { return };
    let notice = loading.waiting.as_ref().map(Waiting::words);
    let director = &s.session.director;
    let story = s.story();
    let aftercare = aftercare_words(&s);
    let line = director
        .line_being_said()
        .and_then(|n| story.line(n))
        .map(|l| {
            let lang = s.lang.index();
            let speaker = actors
                .iter()
                .find(|(a, _, _, p)| a.0 == l.speaker && Some(p.0) == on_stage.place)
                .map(|(_, h, t, _)| t.translation() + Vec3::Y * h.0);
            (
                story.actor(l.speaker).name[lang].as_str(),
                l.text[lang].as_str(),
                speaker,
            )
        });
    // The texts are copied only when they change; the speaker moves every frame.
    for mut panel in &mut panels {
        let content = &mut panel.content;
        match (&aftercare, line, content) {
            (Some(words), _, PanelContent::Aftercare(w)) if w == words => {}
            (Some(words), _, c) => *c = PanelContent::Aftercare(words.clone()),
            (None, _, PanelContent::Notice(w)) if notice.as_ref() == Some(w) => {}
            (None, _, c) if notice.is_some() => {
                *c = PanelContent::Notice(notice.clone().unwrap_or_default());
            }
            (
                None,
                Some((n, t, at)),
                PanelContent::Line {
                    name,
                    text,
                    speaker,
                },
            ) if name == n && text == t => *speaker = at,
            (None, Some((n, t, at)), c) => {
                *c = PanelContent::Line {
                    name: n.to_string(),
                    text: t.to_string(),
                    speaker: at,
                }
            }
            (None, None, PanelContent::Nothing) => {}
            (None, None, c) => *c = PanelContent::Nothing,
        }
    }
}

/// The obstacles of the place she is in: its things (not hidden ones) and its cast.
pub fn obstacles_in(
    place: Option<reunion_story::story::PlaceId>,
    things: &Query<(&Bounds, &GlobalTransform, &Visibility, &PlaceScoped), With<ThingName>>,
    cast: &Query<(&HeadHeight, &GlobalTransform, &PlaceScoped), With<ActorBody>>,
) -> Vec<Obstacle> {
    let mut out: Vec<Obstacle> = things
        .iter()
        .filter(|(_, _, v, p)| Some(p.0) == place && **v != Visibility::Hidden)
        .map(|(b, t, _, _)| b.transformed(t))
        .collect();
    for (h, t, p) in cast {
        if Some(p.0) != place {
            continue;
        }
        // A body: shoulders' width, from the floor to above the head.
        let at = t.translation();
        out.push(Obstacle {
            min: Vec3::new(at.x - 0.25, at.y, at.z - 0.25),
            max: Vec3::new(at.x + 0.25, at.y + h.0 / 0.92 + 0.05, at.z + 0.25),
        });
    }
    out
}

/// Where the panel was last placed, and for what: it is placed again when the line,
/// the eyes or the speaker have moved, or a quarter of a second has passed (things
/// move too, a candle carried).
pub struct Placed {
    text: String,
    eyes: Vec3,
    forward: Vec3,
    speaker: Option<Vec3>,
    age: f32,
    pose: Option<PanelPose>,
}

impl Placed {
    fn still_fits(&self, text: &str, eyes: Vec3, forward: Vec3, speaker: Option<Vec3>) -> bool {
        let near = |a: Vec3, b: Vec3| a.distance(b) < 0.03;
        self.text == text
            && self.age < 0.25
            && near(self.eyes, eyes)
            && self.forward.angle_between(forward) < 0.05
            && match (self.speaker, speaker) {
                (Some(a), Some(b)) => near(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// Moves the panel towards where it should stand; it appears where it belongs, and
/// glides from there.
fn place_panel(
    time: Res<Time<Real>>,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    heads: Query<&GlobalTransform, With<ParticipantHead>>,
    things: Query<(&Bounds, &GlobalTransform, &Visibility, &PlaceScoped), With<ThingName>>,
    cast: Query<(&HeadHeight, &GlobalTransform, &PlaceScoped), With<ActorBody>>,
    mut panels: Query<(&mut SubtitlePanel, &mut Transform)>,
    mut placed: Local<Option<Placed>>,
    mut was_aftercare: Local<bool>,
) {
    let (Some(s), Some(head)) = (session, heads.iter().next()) else {
        return;
    };
    let eyes = head.translation();
    let forward = head.forward().as_vec3();
    for (mut panel, mut t) in &mut panels {
        let target = match &panel.content {
            PanelContent::Nothing => None,
            PanelContent::Line { speaker, text, .. } => {
                match placed
                    .as_mut()
                    .filter(|p| p.still_fits(text, eyes, forward, *speaker))
                {
                    Some(p) => {
                        p.age += time.delta_secs();
                        p.pose
                    }
                    None => {
                        let room = on_stage
                            .place
                            .map_or(Room::OPEN, |p| Room::of(&s.story().place(p).environment));
                        let obstacles = obstacles_in(on_stage.place, &things, &cast);
                        let pose = subtitle_pose(eyes, forward, *speaker, &obstacles, &room);
                        *placed = Some(Placed {
                            text: text.clone(),
                            eyes,
                            forward,
                            speaker: *speaker,
                            age: 0.0,
                            pose: Some(pose),
                        });
                        Some(pose)
                    }
                }
            }
            PanelContent::Aftercare(_) | PanelContent::Notice(_) => {
                let mut pose = PanelPose::facing(eyes, eyes + forward * AFTERCARE_DISTANCE);
                pose.width = AFTERCARE_DISTANCE * AFTERCARE_WIDTH_PER_METRE;
                Some(pose)
            }
        };
        // It appears where it belongs: when a line starts after nothing, and when the
        // aftercare takes the place of a line.
        let aftercare = matches!(
            panel.content,
            PanelContent::Aftercare(_) | PanelContent::Notice(_)
        );
        let appearing = panel.target.is_none() || aftercare != *was_aftercare;
        *was_aftercare = aftercare;
        panel.target = target;
        let Some(target) = target else { continue };
        if appearing {
            *t = Transform::from_translation(target.center)
                .with_rotation(target.rotation)
                .with_scale(Vec3::splat(target.width));
            continue;
        }
        // It glides to the place, and wherever it is on the way it is turned to the
        // eyes and keeps its size in the participant's view.
        let dt = time.delta_secs();
        let k = 1.0 - (-dt / GLIDE_SECONDS).exp();
        let step = (target.center - t.translation) * k;
        t.translation += step.clamp_length_max(GLIDE_MAX_SPEED * dt);
        let per_metre = target.width / eyes.distance(target.center).max(1e-3);
        let now = PanelPose::facing(eyes, t.translation);
        t.rotation = now.rotation;
        t.scale = Vec3::splat(eyes.distance(t.translation) * per_metre);
    }
}

/// The panel's texts, its camera (only on while something shows) and its opacity:
/// a subtitle fades under a rising veil; the aftercare fades in with it.
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
fn draw_panel(
    view: Res<TransitionView>,
    covers: Res<Covers>,
    session: Option<Res<StorySession>>,
    mut panels: Query<(
        &SubtitlePanel,
        &mut Visibility,
        Option<&MeshMaterial3d<ScreenColor>>,
    )>,
    mut cameras: Query<&mut Camera, With<PanelCamera>>,
    mut boxes: Query<&mut BackgroundColor, With<PanelBox>>,
    mut names: Query<(&mut Text, &mut Node), (With<PanelName>, Without<PanelText>)>,
    mut texts: Query<(&mut Text, &mut TextColor), (With<PanelText>, Without<PanelName>)>,
    mut materials: Option<ResMut<Assets<ScreenColor>>>,
) {
    let Some(s) = session else { return };
    for (panel, mut vis, material) in &mut panels {
        // A line fades as the veil rises over it (the aftercare stands inside it).
        let cover = veil_now(&view, &covers, &s).alpha();
        let alpha = match &panel.content {
            PanelContent::Nothing => 0.0,
            PanelContent::Line { .. } => 1.0 - cover,
            PanelContent::Aftercare(_) => covers.aftercare(),
            PanelContent::Notice(_) => 1.0,
        };
        let (name, text, aftercare) = match &panel.content {
            PanelContent::Nothing => ("", "", false),
            PanelContent::Line { name, text, .. } => (name.as_str(), text.as_str(), false),
            PanelContent::Aftercare(words) | PanelContent::Notice(words) => {
                ("", words.as_str(), true)
            }
        };
        let shown = alpha > 0.01;
        vis.set_if_neq(if shown {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
        for mut c in &mut cameras {
            if c.is_active != shown {
                c.is_active = shown;
            }
        }
        if let (Some(m), Some(materials)) = (material, materials.as_deref_mut())
            && materials
                .get(&m.0)
                .is_some_and(|mat| (mat.base.base_color.alpha() - alpha).abs() > 1e-3)
            && let Some(mut mat) = materials.get_mut(&m.0)
        {
            mat.base.base_color = Color::WHITE.with_alpha(alpha);
        }
        for mut bg in &mut boxes {
            let want = if aftercare {
                aftercare_color(1.0)
            } else {
                Color::srgba(0.05, 0.04, 0.06, 0.72)
            };
            bg.set_if_neq(BackgroundColor(want));
        }
        for (mut t, mut node) in &mut names {
            if t.0 != name {
                t.0 = name.to_string();
            }
            let display = if name.is_empty() {
                Display::None
            } else {
                Display::Flex
            };
            if node.display != display {
                node.display = display;
            }
        }
        for (mut t, mut color) in &mut texts {
            if t.0 != text {
                t.0 = text.to_string();
            }
            let want = if aftercare {
                aftercare_text_color(1.0)
            } else {
                Color::srgb(1.0, 0.99, 0.97)
            };
            color.set_if_neq(TextColor(want));
        }
    }
}

/// The veil takes the colour the flat screen's covers would show.
fn draw_veil(
    view: Res<TransitionView>,
    covers: Res<Covers>,
    loading: Res<PlaceLoading>,
    session: Option<Res<StorySession>>,
    mut veils: Query<(&mut Visibility, &MeshMaterial3d<VeilColor>), With<Veil>>,
    mut materials: Option<ResMut<Assets<VeilColor>>>,
) {
    let (Some(s), Some(materials)) = (session, materials.as_deref_mut()) else {
        return;
    };
    let mut color = veil_now(&view, &covers, &s);
    // A place not ready is never shown half-built: the veil stays closed over it.
    if loading.waiting.is_some() {
        color.set_alpha(1.0);
    }
    for (mut vis, m) in &mut veils {
        vis.set_if_neq(if color.alpha() > 0.002 {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
        if materials
            .get(&m.0)
            .is_some_and(|mat| mat.base.base_color != color)
            && let Some(mut mat) = materials.get_mut(&m.0)
        {
            mat.base.base_color = color;
        }
    }
}
