//! The authored format, version 1: what `story.ron` and `*.scene.ron` files contain.
//!
//! These types mirror the files one to one, with names as strings. Loading
//! ([`crate::load`]) checks them and compiles them into the runtime [`crate::story`]
//! types, where every name has become a typed index. `docs/story-format.md` is the
//! reference for authors; keep it in step with this module.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// The format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A map that keeps the order of the file (node order matters: a node without `next`
/// flows into the one written after it). Duplicate keys are kept so validation can
/// report them.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> OrderedMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map such as { \"id\": ... }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

/// Text in every language of the story: `{ "ko": "엄마", "en": "Mommy" }`.
pub type Text = BTreeMap<String, String>;

/// A point in metres: `(x, y, z)`, y up; the participant starts facing -z.
pub type Vec3 = (f32, f32, f32);

/// `story.ron`: the whole story.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryFile {
    /// The format version; this build reads [`FORMAT_VERSION`].
    pub format: u32,
    pub title: String,
    /// Language codes; every line has text in each. The first is the default.
    pub languages: Vec<String>,
    /// Who appears: ids used by lines, scenes and conditions.
    pub cast: OrderedMap<CastEntry>,
    /// Place ids and the scene file that describes each, relative to the story folder.
    pub places: OrderedMap<String>,
    /// The node the story starts at.
    pub start: String,
    /// Where "end gently" goes: the node that begins the goodbye.
    #[serde(default)]
    pub ending: Option<String>,
    /// Variables and their starting values.
    #[serde(default)]
    pub variables: OrderedMap<Value>,
    /// The story, in order.
    pub nodes: OrderedMap<NodeDef>,
    /// How the participant is kept safe (on by default).
    #[serde(default)]
    pub safety: SafetyDef,
    /// Whose likeness and voice this is, who agreed, and until when.
    #[serde(default)]
    pub consent: Option<ConsentDef>,
}

/// Safety settings. Every field has a careful default.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SafetyDef {
    /// Whether the exit gesture (both hands above the head for 2 s) is live.
    pub exit_gesture: bool,
    /// After this many minutes the ending begins by itself; `None` for no limit.
    pub time_limit_minutes: Option<f32>,
    /// The colour of the calm place shown after an exit.
    pub calm_color: String,
}

impl Default for SafetyDef {
    fn default() -> Self {
        Self {
            exit_gesture: true,
            time_limit_minutes: Some(40.0),
            calm_color: "#f4eee8".into(),
        }
    }
}

/// Consent and provenance: required by `reunion play` to be present and current.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConsentDef {
    /// Whose likeness the avatar is.
    pub likeness_of: String,
    /// Whose voice the voice clips are.
    pub voice_of: String,
    /// Who gave consent for this recreation.
    pub consented_by: String,
    /// When, as "YYYY-MM-DD".
    pub consented_on: String,
    /// The photos, videos and recordings the recreation was made from.
    #[serde(default)]
    pub source_media: Vec<String>,
    /// After this date ("YYYY-MM-DD") the story is not played without being told to.
    #[serde(default)]
    pub retire_after: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// Someone in the story.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CastEntry {
    /// The name shown with subtitles, per language.
    pub name: Text,
    /// How the default avatar looks.
    #[serde(default)]
    pub look: Look,
    /// A glTF model to use instead of the built-in avatar.
    #[serde(default)]
    pub model: Option<ModelDef>,
}

/// A glTF model for a cast member: `model: (file: "models/nayeon.glb")`.
///
/// The same cues drive it as drive the built-in avatar, through clips and morph targets
/// found by name. By convention the clip for a gesture is its snake_case name (`wave`,
/// `call_out`), plus `idle` and `walk`; the morph targets are `mouth_open`, `blink` and
/// `smile`. `clips` and `morphs` rename: `clips: { "wave": "wave_hello" }` plays the
/// file's `wave_hello` for `Wave`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDef {
    /// The `.glb` or `.gltf` file, relative to the story folder.
    pub file: String,
    /// Our clip name (`idle`, `walk`, `wave`, or a gesture as written, `Wave`) → the
    /// animation's name in the file.
    #[serde(default)]
    pub clips: OrderedMap<String>,
    /// Our morph target name (`mouth_open`, `blink`, `smile`) → its name in the file.
    #[serde(default)]
    pub morphs: OrderedMap<String>,
}

/// Parameters of the built-in avatar. Colours are `"#rrggbb"`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Look {
    /// Height in metres.
    pub height: f32,
    pub skin: String,
    pub hair: String,
    pub hair_style: HairStyle,
    pub eyes: String,
    pub top: String,
    pub bottom: String,
}

impl Default for Look {
    fn default() -> Self {
        Self {
            height: 1.2,
            skin: "#f3d3bd".into(),
            hair: "#2a1c14".into(),
            hair_style: HairStyle::Bob,
            eyes: "#3a2618".into(),
            top: "#f7c6d9".into(),
            bottom: "#ffffff".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum HairStyle {
    Bob,
    Pigtails,
    Ponytail,
    Short,
    Long,
}

/// A value a variable can hold: `true`, `3`, `"text"`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Text(t) => write!(f, "{t:?}"),
        }
    }
}

fn default_pause() -> f32 {
    1.0
}

/// One step of the story.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum NodeDef {
    /// Someone says a line.
    Say {
        speaker: String,
        text: Text,
        /// A voice clip name: `voice/<language>/<name>.ogg` in the story folder.
        #[serde(default)]
        voice: Option<String>,
        #[serde(default)]
        gesture: Option<Gesture>,
        #[serde(default)]
        expression: Option<Expression>,
        /// Whom or what the speaker looks at: `"participant"` or a thing's id.
        #[serde(default)]
        look_at: Option<String>,
        /// Seconds of silence after the line.
        #[serde(default = "default_pause")]
        pause: f32,
        #[serde(default)]
        next: Option<String>,
    },
    /// Waits until something happens, or until the timeout.
    Wait {
        until: Condition,
        /// Seconds before giving up; a wait without one can wait forever.
        #[serde(default)]
        timeout: Option<f32>,
        /// Where to go when the timeout passes (default: `next`).
        #[serde(default)]
        on_timeout: Option<String>,
        #[serde(default)]
        next: Option<String>,
    },
    /// A moment of silence.
    Pause {
        seconds: f32,
        #[serde(default)]
        next: Option<String>,
    },
    /// Goes one way or another on a variable's value.
    Branch {
        var: String,
        equals: Value,
        then: String,
        #[serde(default)]
        otherwise: Option<String>,
    },
    /// Sets a variable.
    Set {
        var: String,
        value: Value,
        #[serde(default)]
        next: Option<String>,
    },
    /// Moves to another place.
    Go {
        place: String,
        transition: Transition,
        #[serde(default)]
        next: Option<String>,
    },
    /// Asks the world to do things: light the candles, play music, ...
    Cue {
        world: Vec<WorldCueDef>,
        #[serde(default)]
        next: Option<String>,
    },
    /// The story ends.
    End {
        /// Words for the calm screen after the story.
        #[serde(default)]
        aftercare: Option<Text>,
    },
}

/// What a `Wait` waits for.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub enum Condition {
    /// The participant holds `by`'s hand.
    HandHeld { by: String },
    /// The participant's hand is free.
    HandReleased,
    /// The participant has looked at `on` for `seconds`.
    GazeHeld { on: String, seconds: f32 },
    /// The participant's head is within `within` metres of `to`.
    Near { to: String, within: f32 },
    /// A candle was set into a socket (since the wait began).
    CandlePlaced,
    /// Every candle socket holds a candle.
    AllCandlesPlaced,
    /// The candles are burning.
    CandlesLit,
    /// The candles have been blown out.
    CandlesBlownOut,
    /// The participant said something and finished.
    ParticipantSpoke,
    /// The participant touched `actor` at `zone`.
    Touched { actor: String, zone: TouchZone },
    /// The operator fired this cue from the console.
    OperatorCue(String),
    /// Any one of these.
    Any(Vec<Condition>),
    /// All of these.
    All(Vec<Condition>),
}

/// Places on an avatar that respond to touch.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Hash)]
pub enum TouchZone {
    Head,
    Cheek,
    Shoulder,
    Hand,
}

/// How the world changes between places.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum Transition {
    /// Fades to a colour and back in.
    Fade {
        #[serde(default = "black")]
        color: String,
        seconds: f32,
    },
    /// One place dissolves into the other.
    Dissolve { seconds: f32 },
    /// `actor` leads the participant by the hand while the world fades around them.
    LeadByHand { actor: String, seconds: f32 },
    /// `actor` turns into a butterfly and flies up into the sky; fades to white.
    Butterfly { actor: String, seconds: f32 },
}

fn black() -> String {
    "#000000".into()
}

impl Transition {
    pub fn seconds(&self) -> f32 {
        match self {
            Transition::Fade { seconds, .. }
            | Transition::Dissolve { seconds }
            | Transition::LeadByHand { seconds, .. }
            | Transition::Butterfly { seconds, .. } => *seconds,
        }
    }
}

/// A request to the world, as written in a `Cue` node.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum WorldCueDef {
    /// `actor` holds out a hand for the participant to take.
    OfferHand { actor: String },
    /// `actor` lets go of the participant's hand.
    LetGo { actor: String },
    /// The candles on the cake light up.
    LightCandles,
    /// Plays a music clip from the story folder.
    PlayMusic { clip: String },
    /// Fades the music out.
    StopMusic { seconds: f32 },
    /// `actor` makes a gesture.
    Gesture { actor: String, gesture: Gesture },
    /// `actor`'s face changes.
    Expression {
        actor: String,
        expression: Expression,
    },
    /// `actor` looks at `at`: `"participant"` or a thing's id.
    LookAt { actor: String, at: String },
    /// A thing in the current place appears.
    Show { thing: String },
    /// A thing in the current place disappears.
    Hide { thing: String },
}

/// Gestures the avatar knows.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Hash)]
pub enum Gesture {
    CallOut,
    Wave,
    ReachOut,
    Point,
    ArmsOpen,
    Clap,
    Nod,
    Yawn,
    LieDown,
    GlowAndFade,
}

/// Facial expressions.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Hash, Default)]
pub enum Expression {
    #[default]
    Neutral,
    Smile,
    Laugh,
    Sad,
    Surprised,
    Sleepy,
}

/// `*.scene.ron`: one place and what is in it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneFile {
    /// The surroundings the stage builds.
    pub environment: Environment,
    /// Where the participant stands when the place begins.
    pub start: Placement,
    /// Everything placed here, by id.
    #[serde(default)]
    pub things: OrderedMap<ThingDef>,
}

/// A position and a facing (degrees about the vertical; 0 faces -z, 180 faces +z).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub at: Vec3,
    #[serde(default)]
    pub facing: f32,
    /// How the participant is expected to be here: standing, or kneeling at a low
    /// table. A headset's real head height always wins; flat mode and the autopilot
    /// put the eyes at this posture's height.
    #[serde(default)]
    pub posture: Posture,
}

/// How the participant is placed at a place's start mark: standing, or kneeling.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub enum Posture {
    #[default]
    Standing,
    /// Kneeling or sitting on the floor, as at a child's low table.
    Kneeling,
}

impl Posture {
    /// Eye height in metres for flat mode and the autopilot.
    pub fn eye_height(self) -> f32 {
        match self {
            Posture::Standing => 1.6,
            Posture::Kneeling => 1.15,
        }
    }
}

/// The surroundings of a place.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum Environment {
    /// A park: grass, trees, a path; `sky` is the colour at the horizon.
    Park {
        #[serde(default = "dusk_sky")]
        sky: String,
        #[serde(default = "default_trees")]
        trees: u32,
    },
    /// A room with pastel walls and a window full of light.
    Room {
        #[serde(default = "pastel_walls")]
        walls: String,
        #[serde(default = "default_room_size")]
        size: (f32, f32),
    },
    /// Open sky, nothing underfoot but clouds.
    Sky {
        #[serde(default = "day_sky")]
        sky: String,
    },
}

fn dusk_sky() -> String {
    "#f2b48c".into()
}
fn day_sky() -> String {
    "#bcd9f2".into()
}
fn pastel_walls() -> String {
    "#f6e4ee".into()
}
fn default_trees() -> u32 {
    6
}
fn default_room_size() -> (f32, f32) {
    (6.0, 6.0)
}

/// One thing placed in a scene: `"bench": (is: Bench, at: (1.5, 0.0, -3.0), facing: 90.0)`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ThingDef {
    pub is: ThingKind,
    pub at: Vec3,
    #[serde(default)]
    pub facing: f32,
    /// Hidden things appear on a `Show` cue.
    #[serde(default)]
    pub hidden: bool,
}

/// What a thing is, with its parameters.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum ThingKind {
    /// A member of the cast: `Actor("nayeon")`.
    Actor(String),
    /// A place mark with no body (where to walk to, where to look).
    Marker,
    Bench,
    Tree {
        #[serde(default = "tree_height")]
        height: f32,
    },
    Lamp,
    Bed {
        #[serde(default = "bed_colour")]
        color: String,
    },
    Balloon {
        color: String,
        #[serde(default = "balloon_height")]
        height: f32,
    },
    Toy {
        kind: ToyKind,
        color: String,
    },
    Table,
    /// A birthday cake with sockets for candles.
    Cake {
        candle_sockets: u8,
    },
    /// A candle the participant can pick up and put on the cake.
    Candle {
        #[serde(default = "candle_colour")]
        color: String,
    },
    Window,
    Letter,
    Flowers {
        color: String,
    },
}

fn tree_height() -> f32 {
    4.0
}
fn bed_colour() -> String {
    "#fbeff4".into()
}
fn balloon_height() -> f32 {
    1.8
}
fn candle_colour() -> String {
    "#fff4c2".into()
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum ToyKind {
    Bear,
    Rabbit,
    Ball,
    Blocks,
    Horse,
}
