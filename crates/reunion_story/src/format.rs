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

mod scene;

pub use scene::*;

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

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
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
    /// The names of the participants the story addresses one by one, for a
    /// reunion of several (`["mother", "father"]`): a wait or a look may name one
    /// (`HandHeld(by: "nayeon", participant: "father")`), and each joins the hosted
    /// session under that name (`reunion join ... --as father`). Empty for a story
    /// written for anyone: then whoever takes part meets its waits.
    #[serde(default)]
    pub participants: Vec<String>,
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
    /// What the story listens for in the participant's words: an intent's id → its
    /// words in each language, `{ "miss_you": { "ko": ["보고 싶"], "en": ["miss you"] } }`.
    #[serde(default)]
    pub intents: OrderedMap<BTreeMap<String, Vec<String>>>,
    /// Lines she may say at any moment in reply to an intent heard or a touch,
    /// outside the flow of nodes.
    #[serde(default)]
    pub answers: OrderedMap<AnswerDef>,
}

fn default_cooldown() -> f32 {
    30.0
}

/// A line she may say at any moment, in reply to what the participant says or does.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerDef {
    /// What she answers: `Heard("miss_you")` or `Touched(actor: "nayeon", zone: Head)`.
    pub when: AnswerTrigger,
    pub speaker: String,
    pub text: Text,
    /// A voice clip name: `voice/<language>/<name>.ogg` in the story folder.
    #[serde(default)]
    pub voice: Option<String>,
    #[serde(default)]
    pub gesture: Option<Gesture>,
    #[serde(default)]
    pub expression: Option<Expression>,
    /// Seconds of story time before she says this answer again.
    #[serde(default = "default_cooldown")]
    pub cooldown: f32,
    /// Whether a match the matcher is unsure of waits for the facilitator's
    /// confirmation (otherwise an unsure match is not answered).
    #[serde(default)]
    pub confirm_unsure: bool,
}

/// What an answer replies to.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum AnswerTrigger {
    /// The participant said the words of this intent.
    Heard(String),
    /// The participant touched `actor` at `zone`.
    Touched { actor: String, zone: TouchZone },
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
    /// Whether the participant agreed that what they say is written to the session
    /// log (off by default: the log then keeps only which intent was heard), and that
    /// their words may be kept in memory for the session and played back
    /// (`ReplayWords`).
    #[serde(default)]
    pub record_speech: bool,
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
    /// A rigged humanoid (glTF or VRM) to use instead of the built-in avatar.
    #[serde(default)]
    pub model: Option<ModelDef>,
}

/// A rigged humanoid model for a cast member: `model: (file: "models/nayeon.glb")`.
///
/// The same cues drive it as drive the built-in avatar: the animator's procedural
/// layers (breathing, gaze, the offered and held hand, walking, gestures) move the
/// model's own bones, found by name in any usual convention (Mixamo, Ready Player Me,
/// Rigify, FBX2glTF, Unreal, Character Creator, VRoid, VRM's humanoid map); its face
/// follows through the shapes it has (ARKit, Oculus visemes, VRM expressions, VRoid,
/// Character Creator, plain names). Clips are optional: by convention the clip for a
/// gesture is its snake_case name (`wave`, `call_out`; any case), plus `idle` and `walk`,
/// and a gesture the file has no clip for is made procedurally. Every field but `file`
/// renames or adjusts: `clips: { "wave": "wave_hello" }` plays the file's `wave_hello`
/// for `Wave`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDef {
    /// The `.glb`, `.gltf` or `.vrm` file, relative to the story folder.
    pub file: String,
    /// Our clip name (`idle`, `walk`, `wave`, or a gesture as written, `Wave`) → the
    /// animation's name in the file.
    #[serde(default)]
    pub clips: OrderedMap<String>,
    /// Our face channel (`blink`, `mouth_open`, `smile`, a viseme `aa`, an expression
    /// `expression_sad`, ...; see [`crate::face_shapes::FaceChannel`]) → the morph
    /// target's or VRM expression's name in the file.
    #[serde(default)]
    pub morphs: OrderedMap<String>,
    /// Our bone (`hips`, `left_upper_arm`, ...; see [`crate::humanoid::Bone::name`]) →
    /// the joint's node name in the file, for a skeleton named unusually.
    #[serde(default)]
    pub bones: OrderedMap<String>,
    /// How tall she stands, in metres: the model is scaled to this height (feet to the
    /// top of her head). Without it the model keeps its own size.
    #[serde(default)]
    pub height: Option<f32>,
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
    /// The participant holds `by`'s hand. With `participant`, that participant (a
    /// name from the story's `participants`); without, anyone in the session.
    HandHeld {
        by: String,
        #[serde(default)]
        participant: Option<String>,
    },
    /// The participant's hand is free.
    HandReleased,
    /// The participant has looked at `on` for `seconds` (`participant` as in
    /// `HandHeld`).
    GazeHeld {
        on: String,
        seconds: f32,
        #[serde(default)]
        participant: Option<String>,
    },
    /// The participant's head is within `within` metres of `to` (`participant` as
    /// in `HandHeld`).
    Near {
        to: String,
        within: f32,
        #[serde(default)]
        participant: Option<String>,
    },
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
    /// The participant said the words of this intent (since the wait began), as the
    /// matcher is sure of or the facilitator declared.
    Heard(String),
    /// The participant touched `actor` at `zone` (`participant` as in `HandHeld`).
    Touched {
        actor: String,
        zone: TouchZone,
        #[serde(default)]
        participant: Option<String>,
    },
    /// The operator fired this cue from the console.
    OperatorCue(String),
    /// Any one of these.
    Any(Vec<Condition>),
    /// All of these.
    All(Vec<Condition>),
    /// A thing (id or tag) stands in a socket of the thing `in` (an id), now.
    Placed {
        thing: String,
        #[serde(rename = "in")]
        into: String,
    },
    /// The participant holds the thing (id or tag), now.
    Holding { thing: String },
    /// The participant touched the thing (id or tag) since the wait began.
    TouchedThing(String),
    /// The thing's flame (id or tag) is burning, now.
    Lit(String),
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
    /// `actor` looks at `at`: `"participant"` (whoever speaks, or is nearest), one
    /// of the story's `participants` by name, or a thing's id.
    LookAt { actor: String, at: String },
    /// A thing in the current place appears.
    Show { thing: String },
    /// A thing in the current place disappears.
    Hide { thing: String },
    /// A model thing plays one of its clips: `Animate(thing: "music_box", clip: "open")`.
    Animate { thing: String, clip: String },
    /// A thing's flame (id or tag) lights.
    Light { thing: String },
    /// A thing's flame (id or tag) goes out.
    PutOut { thing: String },
    /// Plays back the participant's own words that matched `intent` earlier in the
    /// session (kept in memory only, and only with `consent.record_speech: true`).
    ReplayWords { intent: String },
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
