//! Places and the things in them, as the stage and the hands work from them.
//!
//! A [`Thing`] says what it can do rather than what it is: whether the participant can
//! pick it up ([`Thing::grab`]), whether it reports a touch ([`Thing::touch`]), where
//! other things snap onto it ([`Thing::sockets`]), whether it carries a flame
//! ([`Thing::flame`]), and how big it is ([`Thing::bounds`]). A glTF model gets these
//! from its scene entry and its file (its empties named `socket_<name>` become
//! sockets, its box is measured); a procedural kind gets them from the built-in
//! catalogue ([`super::kit`]) and its scene entry. Conditions, cues and events name
//! things by [`ThingId`] (a place and an index), resolved when the story is checked.
//!
//! Positions of sockets and flames are in the thing's own space before its `scale`
//! (where a child of the thing's root stands, as a glTF empty does); its bounds are
//! in its own space after its `scale` (how big it is in the place, before `facing`
//! turns it and `at` moves it). Points here are glam's (Bevy's own) `Vec3` and `Quat`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{ActorId, PlaceId, Rgb};
use crate::format::{Placement, ToyKind, Vec3};

/// One thing of one place: the `index`-th thing of [`Place::things`] of `place`.
/// Resolved from names when the story is checked, so nothing at run time looks a
/// thing up by its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ThingId {
    pub place: PlaceId,
    pub index: u16,
}

/// The things a name in a condition or a cue stands for: every thing, in every place,
/// whose id is that name (or, where a tag may be written, that carries it as a tag),
/// in place order. At run time the ones in the current place are meant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ThingSet(pub Vec<ThingId>);

impl ThingSet {
    pub fn contains(&self, thing: ThingId) -> bool {
        self.0.contains(&thing)
    }

    /// The ones in `place`.
    pub fn in_place(&self, place: PlaceId) -> impl Iterator<Item = ThingId> + '_ {
        self.0.iter().copied().filter(move |t| t.place == place)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = ThingId> + '_ {
        self.0.iter().copied()
    }
}

/// A place, from its scene file.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub id: String,
    /// The scene file, relative to the story folder.
    pub file: String,
    pub environment: Environment,
    pub start: Placement,
    /// Everything placed here; [`ThingId::index`] indexes this.
    pub things: Vec<Thing>,
    /// Every glTF file the place shows, relative to the story folder, each once: its
    /// environment's, its things', and the models of the actors it places. What a
    /// stage loads before the place is needed (see [`super::Story::places_after`]).
    pub models: Vec<PathBuf>,
}

/// The surroundings of a place, its colours compiled.
#[derive(Clone, Debug, PartialEq)]
pub enum Environment {
    /// A park: grass, trees, a path; `sky` is the colour at the horizon.
    Park { sky: Rgb, trees: u32 },
    /// A room with walls of a colour, `size` metres wide and deep.
    Room { walls: Rgb, size: (f32, f32) },
    /// Open sky, nothing underfoot but clouds.
    Sky { sky: Rgb },
    /// A glTF model of the place, placed with its origin at the place's origin. The
    /// model's own KHR_lights_punctual lights are part of it; `sun` and `ambient` add
    /// to them.
    Model {
        /// The `.glb` or `.gltf` file, relative to the story folder.
        file: PathBuf,
        /// Uniform scale of the model (1.0 as modelled, in metres).
        scale: f32,
        /// The clear colour behind everything (the sky where the model leaves it open).
        sky: Rgb,
        /// A directional light added to the place; `None`: none (the file's lights only).
        sun: Option<Sun>,
        /// The light that reaches everywhere.
        ambient: Ambient,
        /// An image-based light (a KTX2 cube map file, relative to the story folder).
        environment_map: Option<PathBuf>,
        /// The model's box in the place's space, after `scale` (`None` when it draws
        /// nothing).
        bounds: Option<Bounds>,
    },
}

/// Sunlight: a directional light.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sun {
    /// The way the light travels (from the sun towards the ground), unit length:
    /// `(0.0, -1.0, 0.0)` is noon.
    pub direction: glam::Vec3,
    pub color: Rgb,
    /// Lux, as Bevy's `DirectionalLight::illuminance`.
    pub illuminance: f32,
}

/// The light that reaches every surface, as Bevy's ambient light.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ambient {
    pub color: Rgb,
    /// As Bevy's `AmbientLight::brightness` (cd/m²).
    pub brightness: f32,
}

impl Environment {
    /// The ambience these surroundings play, looped (`ambience/<name>.ogg` in the story
    /// folder), if any: the open sky and a model place are silent.
    pub fn ambience(&self) -> Option<&'static str> {
        match self {
            Environment::Park { .. } => Some("park"),
            Environment::Room { .. } => Some("room"),
            Environment::Sky { .. } | Environment::Model { .. } => None,
        }
    }

    /// The model file, for a model place.
    pub fn model_file(&self) -> Option<&PathBuf> {
        match self {
            Environment::Model { file, .. } => Some(file),
            _ => None,
        }
    }
}

/// Every ambience an environment can play ([`Environment::ambience`]).
pub const AMBIENCES: [&str; 2] = ["park", "room"];

/// Something placed in a scene.
#[derive(Clone, Debug, PartialEq)]
pub struct Thing {
    /// Its id in the scene file.
    pub id: String,
    pub kind: ThingKind,
    /// Where its origin stands in the place, metres (`y` is its base).
    pub at: Vec3,
    /// Degrees about the vertical; 0 faces -z.
    pub facing: f32,
    /// Hidden until a `Show` cue.
    pub hidden: bool,
    /// Uniform scale of its body (1.0 as modelled or as the catalogue builds it).
    pub scale: f32,
    /// Whether the participant can pick it up; dropped, it falls and rests on what is
    /// under it, by its bounds.
    pub grab: bool,
    /// Whether it reports the participant's touch (`TouchedThing`).
    pub touch: bool,
    /// Names that sockets' `accepts` and conditions may use instead of its id
    /// (candles carry [`super::CANDLE_TAG`]).
    pub tags: Vec<String>,
    /// Named places on it where things snap, in order: the `socket` of a `Placed`
    /// event indexes this.
    pub sockets: Vec<Socket>,
    /// The flame it carries, if it carries one.
    pub flame: Option<Flame>,
    /// Its box in its own space, after `scale` (before `facing` and `at`): measured
    /// from the model, or the catalogue's size for a procedural kind. `None` for actors
    /// (their body is the avatar's) and markers (no body).
    pub bounds: Option<Bounds>,
    /// The animation clips its model has, by their names in the file, in file order
    /// (empty for the procedural kinds). `Animate` cues name these.
    pub clips: Vec<String>,
}

impl Thing {
    /// Whether `name` is its id or one of its tags.
    pub fn answers_to(&self, name: &str) -> bool {
        self.id == name || self.has_tag(name)
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// The model file, for a model thing.
    pub fn model_file(&self) -> Option<&PathBuf> {
        match &self.kind {
            ThingKind::Model { file } => Some(file),
            _ => None,
        }
    }

    /// Its box in the place: its bounds turned by `facing` and moved to `at` (the box
    /// around the turned box).
    pub fn bounds_in_place(&self) -> Option<Bounds> {
        let b = self.bounds?;
        let turn = glam::Quat::from_rotation_y(-self.facing.to_radians());
        Some(b.transformed(turn, glam::Vec3::from(self.at)))
    }
}

/// A named place on a thing where another thing snaps.
#[derive(Clone, Debug, PartialEq)]
pub struct Socket {
    pub name: String,
    /// Where a thing set into it puts its origin: in its owner's own space, before the
    /// owner's scale.
    pub at: glam::Vec3,
    /// How a thing set into it is turned, in its owner's own space: the rotation of
    /// the model's empty, or none for a socket written in the scene.
    pub rotation: glam::Quat,
    /// The thing ids and tags it takes; empty: any thing that can be picked up.
    pub accepts: Vec<String>,
}

impl Socket {
    /// Whether it takes `thing` (which must also be one that can be picked up).
    pub fn accepts(&self, thing: &Thing) -> bool {
        thing.grab && (self.accepts.is_empty() || self.accepts.iter().any(|a| thing.answers_to(a)))
    }
}

/// A flame a thing carries (a candle, a lantern): lit and put out by cues and the
/// participant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flame {
    /// Where it burns, in its thing's own space before the thing's scale.
    pub at: glam::Vec3,
    /// Whether it burns when the place begins.
    pub lit: bool,
}

/// A box, aligned with the axes of the space it is in; metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub min: glam::Vec3,
    pub max: glam::Vec3,
}

impl Bounds {
    pub fn new(min: glam::Vec3, max: glam::Vec3) -> Self {
        Self { min, max }
    }

    /// Width, height and depth.
    pub fn size(&self) -> glam::Vec3 {
        self.max - self.min
    }

    /// The largest of width, height and depth.
    pub fn largest(&self) -> f32 {
        self.size().max_element()
    }

    pub fn center(&self) -> glam::Vec3 {
        (self.min + self.max) / 2.0
    }

    /// The height of its top.
    pub fn top(&self) -> f32 {
        self.max.y
    }

    /// The box scaled about the origin of its space.
    pub fn scaled(&self, scale: f32) -> Bounds {
        let (a, b) = (self.min * scale, self.max * scale);
        Bounds::new(a.min(b), a.max(b))
    }

    /// The box around this box turned by `rotation` and moved by `translation`.
    pub fn transformed(&self, rotation: glam::Quat, translation: glam::Vec3) -> Bounds {
        let mut min = glam::Vec3::splat(f32::INFINITY);
        let mut max = glam::Vec3::splat(f32::NEG_INFINITY);
        for corner in 0..8 {
            let pick = |bit: u32, lo: f32, hi: f32| if corner & bit == 0 { lo } else { hi };
            let p = rotation
                * glam::Vec3::new(
                    pick(1, self.min.x, self.max.x),
                    pick(2, self.min.y, self.max.y),
                    pick(4, self.min.z, self.max.z),
                )
                + translation;
            min = min.min(p);
            max = max.max(p);
        }
        Bounds::new(min, max)
    }
}

/// What a thing is, with names resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum ThingKind {
    Actor(ActorId),
    Marker,
    Bench,
    Tree {
        height: f32,
    },
    Lamp,
    Bed {
        color: Rgb,
    },
    Balloon {
        color: Rgb,
        height: f32,
    },
    Toy {
        kind: ToyKind,
        color: Rgb,
    },
    Table,
    Cake {
        candle_sockets: u8,
    },
    Candle {
        color: Rgb,
    },
    Window,
    Letter,
    Flowers {
        color: Rgb,
    },
    /// A glTF model: its file, relative to the story folder.
    Model {
        file: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_turned_a_quarter_swaps_width_and_depth() {
        let b = Bounds::new(
            glam::Vec3::new(-1.0, 0.0, -0.5),
            glam::Vec3::new(1.0, 2.0, 0.5),
        );
        let turned = b.transformed(
            glam::Quat::from_rotation_y(std::f32::consts::FRAC_PI_2),
            glam::Vec3::new(10.0, 0.0, 0.0),
        );
        assert!(
            (turned.size() - glam::Vec3::new(1.0, 2.0, 2.0))
                .abs()
                .max_element()
                < 1e-5
        );
        assert!(
            (turned.center() - glam::Vec3::new(10.0, 1.0, 0.0))
                .abs()
                .max_element()
                < 1e-5
        );
        assert_eq!(b.scaled(0.5).size(), glam::Vec3::new(1.0, 1.0, 0.5));
    }
}
