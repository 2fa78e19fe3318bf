//! What the flat screen shows over the 3D view: subtitles, the fade of transitions,
//! the aftercare screen at the end, and story problems after a bad edit.
//!
//! All of it is derived from the director's state each frame, so it can never drift
//! from the story: a held line stays up, a held fade stays half-done.
//!
//! Subtitles need a font with Hangul for Korean: the first of [`FONT_CANDIDATES`]
//! found on the system is used (Debian: `fonts-nanum`), or `REUNION_FONT`.

use bevy::prelude::*;
use bevy::text::{FontSize, FontSource};
use reunion_story::story::NodeKind;

use crate::models::{PlaceLoading, Waiting};
use crate::session::{StoryProblems, StorySession};
use crate::transition::TransitionView;
use crate::{StageSystems, WorldScreen};

pub(super) fn plugin(app: &mut App) {
    covers_plugin(app);
    app.add_systems(
        Startup,
        (load_font.in_set(crate::FontSystems), spawn_screen).chain(),
    )
    .add_systems(
        Update,
        (
            // With the headset's view, these stand in the world instead; the
            // screen's stay as spawned: hidden and clear.
            (
                show_subtitles,
                show_fade,
                show_loading,
                show_calm_place,
                show_aftercare,
            )
                .run_if(not(resource_exists::<WorldScreen>)),
            show_problems,
        )
            .after(advance_covers)
            .in_set(StageSystems::Ui),
    );
}

/// The covers' levels, for the flat screen and the headset's veil alike. Safe to
/// call from both plugins: the levels advance once a frame.
pub(crate) fn covers_plugin(app: &mut App) {
    if app.world().contains_resource::<Covers>() {
        return;
    }
    app.init_resource::<Covers>()
        .add_systems(Update, advance_covers.in_set(StageSystems::Ui));
}

/// How far the covers that fade by themselves have come.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct Covers {
    /// The calm place after an exit or "stop now": 0 → 1 over [`CALM_FADE_SECONDS`].
    pub calm: f32,
    /// Seconds the aftercare has been shown (0 before the end).
    pub aftercare_for: f32,
}

impl Covers {
    /// The aftercare's opacity: a slow fade in, over four seconds.
    pub fn aftercare(&self) -> f32 {
        (self.aftercare_for / 4.0).clamp(0.0, 1.0)
    }
}

/// The colour of the transition's fade now, with how much it covers as alpha.
pub fn fade_color(view: &TransitionView) -> Color {
    match &view.active {
        Some(t) => t.color().with_alpha(t.cover()),
        None => Color::NONE,
    }
}

/// The calm place's colour at `level`.
pub fn calm_color(session: &StorySession, level: f32) -> Color {
    let c = session.story().safety.calm_color;
    Color::linear_rgba(c.red, c.green, c.blue, level)
}

/// The aftercare's background at opacity `a`.
pub fn aftercare_color(a: f32) -> Color {
    Color::srgba(0.97, 0.95, 0.93, a)
}

/// The aftercare's words at opacity `a`.
pub fn aftercare_text_color(a: f32) -> Color {
    Color::srgba(0.35, 0.3, 0.32, a)
}

/// The words of the aftercare, once the story has ended.
pub fn aftercare_words(session: &StorySession) -> Option<String> {
    let director = &session.session.director;
    if !director.is_ended() {
        return None;
    }
    Some(match &session.story().node(director.node()).kind {
        NodeKind::End { aftercare: Some(t) } => t[session.lang.index()].clone(),
        _ => String::new(),
    })
}

/// After an exit or "stop now", a calm colour covers everything, faded in and out
/// slowly: no flash, no sudden change. The aftercare fades in at the end.
pub fn advance_covers(
    real: Res<Time<Real>>,
    time: Res<Time>,
    session: Option<Res<StorySession>>,
    mut covers: ResMut<Covers>,
) {
    let Some(s) = session else { return };
    let director = &s.session.director;
    let want = if director.in_calm_place() { 1.0 } else { 0.0 };
    let step = real.delta_secs() / CALM_FADE_SECONDS;
    let calm = if want > covers.calm {
        (covers.calm + step).min(want)
    } else {
        (covers.calm - step).max(want)
    };
    let aftercare_for = if director.is_ended() {
        covers.aftercare_for + time.delta_secs()
    } else {
        0.0
    };
    let next = Covers {
        calm,
        aftercare_for,
    };
    if *covers != next {
        *covers = next;
    }
}

/// Fonts tried for subtitles, in order.
pub const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansKR-Regular.ttf",
];

/// The font subtitles are drawn with.
#[derive(Resource, Clone)]
pub struct SubtitleFont(pub FontSource);

impl SubtitleFont {
    pub fn text(&self, px: f32) -> TextFont {
        TextFont {
            font: self.0.clone(),
            font_size: FontSize::Px(px),
            ..default()
        }
    }
}

fn load_font(mut commands: Commands, mut fonts: ResMut<Assets<Font>>) {
    let env = std::env::var("REUNION_FONT").ok();
    let candidates = env
        .iter()
        .map(String::as_str)
        .chain(FONT_CANDIDATES.iter().copied());
    for path in candidates {
        if let Ok(bytes) = std::fs::read(path) {
            let handle = fonts.add(Font::from_bytes(bytes));
            info!("subtitles use the font {path}");
            commands.insert_resource(SubtitleFont(FontSource::Handle(handle)));
            return;
        }
    }
    warn!(
        "no font with Hangul found (install fonts-nanum, or set REUNION_FONT): Korean subtitles will not show"
    );
    commands.insert_resource(SubtitleFont(FontSource::default()));
}

#[derive(Component)]
struct SubtitleBox;
#[derive(Component)]
struct SubtitleSpeaker;
#[derive(Component)]
struct SubtitleLine;
#[derive(Component)]
struct FadeCover;
#[derive(Component)]
struct Aftercare;
#[derive(Component)]
struct CalmPlace;

/// How long the calm place takes to fade in or out: gentle, and within two seconds.
pub const CALM_FADE_SECONDS: f32 = 1.2;
#[derive(Component)]
struct AftercareText;
/// How far the place coming has loaded, over the fade.
#[derive(Component)]
struct LoadingText;
#[derive(Component)]
struct ProblemBanner;
#[derive(Component)]
struct ProblemText;

/// A node over the whole window.
fn full_screen() -> Node {
    Node {
        position_type: PositionType::Absolute,
        width: Val::Percent(100.0),
        height: Val::Percent(100.0),
        ..default()
    }
}

fn spawn_screen(mut commands: Commands, font: Res<SubtitleFont>) {
    // Subtitles, low and centred.
    commands
        .spawn((
            SubtitleBox,
            Node {
                position_type: PositionType::Absolute,
                bottom: Val::Percent(7.0),
                left: Val::Percent(15.0),
                right: Val::Percent(15.0),
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                padding: UiRect::axes(Val::Px(22.0), Val::Px(12.0)),
                border_radius: BorderRadius::all(Val::Px(14.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.05, 0.04, 0.06, 0.55)),
            Visibility::Hidden,
            GlobalZIndex(10),
        ))
        .with_children(|b| {
            b.spawn((
                SubtitleSpeaker,
                Text::new(""),
                font.text(18.0),
                TextColor(Color::srgb(1.0, 0.82, 0.88)),
            ));
            b.spawn((
                SubtitleLine,
                Text::new(""),
                font.text(30.0),
                TextColor(Color::srgb(1.0, 0.99, 0.97)),
                TextLayout::justify(Justify::Center),
            ));
        });
    // The fade of transitions covers everything but the problems banner.
    commands
        .spawn((
            FadeCover,
            Node {
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..full_screen()
            },
            BackgroundColor(Color::NONE),
            GlobalZIndex(20),
        ))
        .with_children(|b| {
            b.spawn((
                LoadingText,
                Text::new(""),
                font.text(22.0),
                TextColor(Color::srgba(1.0, 0.99, 0.97, 0.8)),
                Visibility::Hidden,
            ));
        });
    commands.spawn((
        CalmPlace,
        full_screen(),
        BackgroundColor(Color::NONE),
        GlobalZIndex(25),
    ));
    commands
        .spawn((
            Aftercare,
            Node {
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                padding: UiRect::all(Val::Percent(12.0)),
                ..full_screen()
            },
            BackgroundColor(aftercare_color(0.0)),
            Visibility::Hidden,
            GlobalZIndex(30),
        ))
        .with_children(|b| {
            b.spawn((
                AftercareText,
                Text::new(""),
                font.text(30.0),
                TextColor(aftercare_text_color(0.0)),
                TextLayout::justify(Justify::Center),
            ));
        });
    commands
        .spawn((
            ProblemBanner,
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(10.0),
                right: Val::Px(10.0),
                max_width: Val::Percent(60.0),
                padding: UiRect::all(Val::Px(10.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.45, 0.05, 0.08, 0.88)),
            Visibility::Hidden,
            GlobalZIndex(40),
        ))
        .with_children(|b| {
            b.spawn((
                ProblemText,
                Text::new(""),
                TextFont {
                    font_size: FontSize::Px(14.0),
                    ..default()
                },
                TextColor(Color::WHITE),
            ));
        });
}

fn show_subtitles(
    session: Option<Res<StorySession>>,
    mut boxes: Query<&mut Visibility, With<SubtitleBox>>,
    mut speaker: Query<&mut Text, (With<SubtitleSpeaker>, Without<SubtitleLine>)>,
    mut line: Query<&mut Text, (With<SubtitleLine>, Without<SubtitleSpeaker>)>,
) {
    let Some(s) = session else { return };
    let director = &s.session.director;
    let story = s.story();
    let current = director.line_being_said().and_then(|n| story.line(n));
    for mut vis in &mut boxes {
        vis.set_if_neq(if current.is_some() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
    }
    let Some(l) = current else { return };
    let lang = s.lang.index();
    let name = &story.actor(l.speaker).name[lang];
    let text = &l.text[lang];
    for mut t in &mut speaker {
        if &t.0 != name {
            t.0.clone_from(name);
        }
    }
    for mut t in &mut line {
        if &t.0 != text {
            t.0.clone_from(text);
        }
    }
}

fn show_fade(
    view: Res<TransitionView>,
    loading: Res<PlaceLoading>,
    mut cover: Query<&mut BackgroundColor, With<FadeCover>>,
) {
    // A place not ready is never shown half-built: the fade stays over it.
    let color = match loading.waiting {
        Some(_) => fade_color(&view).with_alpha(1.0),
        None => fade_color(&view),
    };
    for mut bg in &mut cover {
        if bg.0 != color {
            bg.0 = color;
        }
    }
}

/// While a place is being waited for, the fade covers the stage and says how far
/// loading has come (a first load starts on it too).
fn show_loading(
    loading: Res<PlaceLoading>,
    mut text: Query<(&mut Text, &mut Visibility), With<LoadingText>>,
) {
    if !loading.is_changed() {
        return;
    }
    let words = loading.waiting.as_ref().map(Waiting::words);
    for (mut t, mut vis) in &mut text {
        vis.set_if_neq(if words.is_some() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
        if let Some(w) = &words
            && t.0 != *w
        {
            t.0.clone_from(w);
        }
    }
}

fn show_calm_place(
    session: Option<Res<StorySession>>,
    covers: Res<Covers>,
    mut cover: Query<&mut BackgroundColor, With<CalmPlace>>,
) {
    let Some(s) = session else { return };
    let color = calm_color(&s, covers.calm);
    for mut bg in &mut cover {
        if bg.0 != color {
            bg.0 = color;
        }
    }
}

fn show_aftercare(
    session: Option<Res<StorySession>>,
    covers: Res<Covers>,
    mut screen: Query<(&mut Visibility, &mut BackgroundColor), With<Aftercare>>,
    mut text: Query<(&mut Text, &mut TextColor), With<AftercareText>>,
) {
    let Some(s) = session else { return };
    let Some(words) = aftercare_words(&s) else {
        return;
    };
    let a = covers.aftercare();
    for (mut vis, mut bg) in &mut screen {
        vis.set_if_neq(Visibility::Inherited);
        bg.0 = aftercare_color(a);
    }
    for (mut t, mut c) in &mut text {
        if t.0 != words {
            t.0.clone_from(&words);
        }
        c.0 = aftercare_text_color(a);
    }
}

fn show_problems(
    problems: Res<StoryProblems>,
    mut banner: Query<&mut Visibility, With<ProblemBanner>>,
    mut text: Query<&mut Text, With<ProblemText>>,
) {
    if !problems.is_changed() {
        return;
    }
    let shown = problems.errors.as_ref().map(|e| {
        let head = if problems.fatal {
            "The story cannot be played:"
        } else {
            "The story on disk has errors; the last good version keeps running:"
        };
        let body: Vec<&str> = e.lines().take(14).collect();
        format!("{head}\n{}", body.join("\n"))
    });
    for mut vis in &mut banner {
        vis.set_if_neq(if shown.is_some() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
    }
    if let Some(s) = shown {
        for mut t in &mut text {
            t.0.clone_from(&s);
        }
    }
}
