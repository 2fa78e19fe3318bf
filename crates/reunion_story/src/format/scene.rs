//! The scene files (`*.scene.ron`) as written: a place's surroundings, where the
//! participant starts, and the things placed there with what each can do.

use serde::{Deserialize, Serialize};

use super::{OrderedMap, Vec3};

/// `*.scene.ron`: one place and what is in it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
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
    /// A glTF model of the place: `Model(file: "models/living_room.glb", sky: "#bcd9f2")`.
    /// The file's KHR_lights_punctual lights light it; `sun` and `ambient` add to them.
    Model {
        /// The `.glb` or `.gltf` file, relative to the story folder.
        file: String,
        /// Uniform scale (a model exported in centimetres wants `0.01`).
        #[serde(default = "one")]
        scale: f32,
        /// The colour behind everything, where the model leaves the sky open.
        #[serde(default = "day_sky")]
        sky: String,
        /// A directional light added to the place (none: the file's lights only).
        #[serde(default)]
        sun: Option<SunDef>,
        /// The light that reaches everywhere.
        #[serde(default)]
        ambient: AmbientDef,
        /// An image-based light: a KTX2 cube map file, relative to the story folder.
        #[serde(default)]
        environment_map: Option<String>,
    },
}

/// Sunlight: `(direction: (0.3, -1.0, -0.4), color: "#fff1dc", illuminance: 6000.0)`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SunDef {
    /// The way the light travels, from the sun towards the ground (any length).
    pub direction: Vec3,
    #[serde(default = "sunlight")]
    pub color: String,
    /// Lux.
    #[serde(default = "sun_illuminance")]
    pub illuminance: f32,
}

/// The light that reaches everywhere: `(color: "#ffffff", brightness: 300.0)`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AmbientDef {
    pub color: String,
    /// As Bevy's ambient brightness (cd/m²).
    pub brightness: f32,
}

impl Default for AmbientDef {
    fn default() -> Self {
        Self {
            color: "#ffffff".into(),
            brightness: 300.0,
        }
    }
}

fn sunlight() -> String {
    "#fff1dc".into()
}
fn sun_illuminance() -> f32 {
    6000.0
}
fn one() -> f32 {
    1.0
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
    /// Uniform scale of its body (a model exported in centimetres wants `0.01`).
    #[serde(default = "one")]
    pub scale: f32,
    /// Whether the participant can pick it up (default: only candles can).
    #[serde(default)]
    pub grab: Option<bool>,
    /// Whether it reports the participant's touch (`TouchedThing`).
    #[serde(default)]
    pub touch: Option<bool>,
    /// Names that sockets and conditions may use instead of its id.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Places on it where things snap: `{ "1": (accepts: ["rose"]) }`. A model's
    /// empties named `socket_<name>` are sockets by themselves; written here, a socket
    /// of the same name is refined (what it accepts, where it is), another is added.
    #[serde(default)]
    pub sockets: OrderedMap<SocketDef>,
    /// A flame it carries: `(at: (0.0, 0.25, 0.0), lit: false)`.
    #[serde(default)]
    pub flame: Option<FlameDef>,
}

/// A socket as written in a scene.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SocketDef {
    /// Where it is in the thing's own space (metres, before `scale`); may be left out
    /// when the model has an empty `socket_<name>`.
    pub at: Option<Vec3>,
    /// Thing ids and tags it takes; empty: any thing that can be picked up.
    pub accepts: Vec<String>,
}

/// A flame as written in a scene.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FlameDef {
    /// Where it burns in the thing's own space (metres, before `scale`).
    pub at: Vec3,
    /// Whether it burns when the place begins.
    #[serde(default)]
    pub lit: bool,
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
    /// A glTF model: `Model(file: "models/vase.glb")`, relative to the story folder.
    Model {
        file: String,
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
