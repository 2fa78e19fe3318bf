//! The runtime story: what the director and the stage work from.
//!
//! Built once by [`crate::load`] from the authored files. Every name is resolved to a
//! typed index here, so nothing at run time looks things up by string, and a story
//! that compiled cannot point at a node, actor or place that does not exist. Its
//! colours ([`Rgb`], `rgb.rs`) are linear, and its dates ([`Date`], `date.rs`)
//! calendar days. Places and their things are in `world.rs` ([`Place`], [`Thing`],
//! [`ThingId`]); the procedural catalogue's sizes and built-in abilities in [`kit`].
//! A cast member's model ([`Model`], `model.rs`) carries what the avatar needs to
//! drive its bones and face. Which nodes can be reached, and which can still reach an
//! `End`, is in `reach.rs`. What the story listens for and how she answers
//! ([`Intent`], [`Answer`]) is in `answers.rs`.

mod answers;
mod date;
pub mod kit;
mod model;
mod reach;
mod rgb;
mod world;

use serde::{Deserialize, Serialize};

pub use crate::format::{Expression, Gesture, HairStyle, Placement, TouchZone, Value, Vec3};
pub use answers::{Answer, AnswerTrigger, Intent};
pub use date::Date;
pub use kit::CANDLE_TAG;
pub use model::{BodyPlan, ExpressionBinds, Facing, Model, ModelJoint, MorphBind, Trs};
pub use rgb::Rgb;
pub use world::{
    AMBIENCES, Ambient, Bounds, Environment, Flame, Place, Socket, Sun, Thing, ThingId, ThingKind,
    ThingSet,
};

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident($inner:ty)) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A node of the story.
    NodeId(u32)
);
id_type!(
    /// A member of the cast.
    ActorId(u16)
);
id_type!(
    /// A place (one scene file).
    PlaceId(u16)
);
id_type!(
    /// A story variable.
    VarId(u16)
);
id_type!(
    /// An intent the story listens for.
    IntentId(u16)
);
id_type!(
    /// An answer the story may say at any moment.
    AnswerId(u16)
);
id_type!(
    /// A language of the story, in the order `languages` lists them.
    LangId(u8)
);

/// A whole story, checked and resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Story {
    pub title: String,
    /// Language codes; [`LangId`] indexes this.
    pub languages: Vec<String>,
    pub cast: Vec<Actor>,
    pub places: Vec<Place>,
    pub nodes: Vec<Node>,
    pub variables: Vec<Variable>,
    pub start: NodeId,
    /// Where "end gently" goes.
    pub ending: Option<NodeId>,
    /// The participants the story addresses by name (empty: whoever takes part).
    pub participants: Vec<String>,
    /// The place each node is reached in, following the story from its start
    /// (`None` before the first `Go`, or for nodes never reached).
    pub node_place: Vec<Option<PlaceId>>,
    pub safety: Safety,
    pub consent: Option<Consent>,
    /// What the story listens for in the participant's words (`answers.rs`).
    pub intents: Vec<Intent>,
    /// Lines she may say at any moment in reply; their lines are `Say` nodes after
    /// the authored ones.
    pub answers: Vec<Answer>,
}

/// Safety settings, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Safety {
    pub exit_gesture: bool,
    /// Seconds of session after which the ending begins by itself.
    pub time_limit: Option<f64>,
    /// The colour of the calm place.
    pub calm_color: Rgb,
}

/// Consent and provenance, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Consent {
    pub likeness_of: String,
    pub voice_of: String,
    pub consented_by: String,
    pub consented_on: Date,
    pub source_media: Vec<String>,
    pub retire_after: Option<Date>,
    pub notes: Option<String>,
    /// Whether the participant's words may be written to the session log.
    pub record_speech: bool,
}

/// A member of the cast.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub id: String,
    /// The display name per language ([`LangId`] order).
    pub name: Vec<String>,
    /// How the built-in avatar looks (used when there is no `model`).
    pub look: Look,
    /// A rigged humanoid model to show instead of the built-in avatar, checked and
    /// measured (`model.rs`).
    pub model: Option<Model>,
}

/// How the built-in avatar looks, its colours compiled.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    /// Height in metres.
    pub height: f32,
    pub skin: Rgb,
    pub hair: Rgb,
    pub hair_style: HairStyle,
    pub eyes: Rgb,
    pub top: Rgb,
    pub bottom: Rgb,
}

/// The clip played when an actor with a model does nothing else, if the file has one
/// (otherwise the animator's idle moves her).
pub const IDLE_CLIP: &str = "idle";
/// The clip played while an actor walks (leading by the hand), if the file has one
/// (otherwise the animator's walk moves her legs).
pub const WALK_CLIP: &str = "walk";
/// The face channel that opens the mouth while speaking (weight 0 to 1).
pub const MOUTH_OPEN: &str = "mouth_open";
/// The face channel that closes the eyes.
pub const BLINK: &str = "blink";
/// The face channel for a smile.
pub const SMILE: &str = "smile";
/// The three face channels the first models were written for (any face channel can be
/// renamed under `morphs`: [`crate::face_shapes::FaceChannel`]).
pub const MORPH_TARGETS: [&str; 3] = [MOUTH_OPEN, BLINK, SMILE];

/// Every gesture, in the order the format lists them.
pub const GESTURES: [Gesture; 10] = [
    Gesture::CallOut,
    Gesture::Wave,
    Gesture::ReachOut,
    Gesture::Point,
    Gesture::ArmsOpen,
    Gesture::Clap,
    Gesture::Nod,
    Gesture::Yawn,
    Gesture::LieDown,
    Gesture::GlowAndFade,
];

/// The conventional clip name of a gesture in a model: its snake_case name.
pub fn gesture_clip_name(gesture: Gesture) -> &'static str {
    match gesture {
        Gesture::CallOut => "call_out",
        Gesture::Wave => "wave",
        Gesture::ReachOut => "reach_out",
        Gesture::Point => "point",
        Gesture::ArmsOpen => "arms_open",
        Gesture::Clap => "clap",
        Gesture::Nod => "nod",
        Gesture::Yawn => "yawn",
        Gesture::LieDown => "lie_down",
        Gesture::GlowAndFade => "glow_and_fade",
    }
}

/// A story variable and its starting value.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub id: String,
    pub initial: Value,
}

/// One node.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
}

/// What a node does.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Say(Line),
    Wait {
        until: Condition,
        timeout: Option<f32>,
        on_timeout: NodeId,
        next: NodeId,
    },
    Pause {
        seconds: f32,
        next: NodeId,
    },
    Branch {
        var: VarId,
        equals: Value,
        then: NodeId,
        otherwise: NodeId,
    },
    Set {
        var: VarId,
        value: Value,
        next: NodeId,
    },
    Go {
        place: PlaceId,
        transition: Transition,
        next: NodeId,
    },
    Cue {
        world: Vec<WorldCue>,
        next: NodeId,
    },
    End {
        /// Per language, if given.
        aftercare: Option<Vec<String>>,
    },
}

impl NodeKind {
    /// Nodes that take no time: the director passes through them at once.
    pub fn is_instant(&self) -> bool {
        matches!(
            self,
            NodeKind::Branch { .. } | NodeKind::Set { .. } | NodeKind::Cue { .. }
        )
    }

    /// Every node this one can lead to.
    pub fn successors(&self) -> Vec<NodeId> {
        match self {
            NodeKind::Say(line) => vec![line.next],
            NodeKind::Wait {
                on_timeout, next, ..
            } => {
                if on_timeout == next {
                    vec![*next]
                } else {
                    vec![*next, *on_timeout]
                }
            }
            NodeKind::Pause { next, .. }
            | NodeKind::Set { next, .. }
            | NodeKind::Go { next, .. }
            | NodeKind::Cue { next, .. } => vec![*next],
            NodeKind::Branch {
                then, otherwise, ..
            } => vec![*then, *otherwise],
            NodeKind::End { .. } => vec![],
        }
    }

    /// A short name of the kind, for consoles and logs.
    pub fn name(&self) -> &'static str {
        match self {
            NodeKind::Say(_) => "Say",
            NodeKind::Wait { .. } => "Wait",
            NodeKind::Pause { .. } => "Pause",
            NodeKind::Branch { .. } => "Branch",
            NodeKind::Set { .. } => "Set",
            NodeKind::Go { .. } => "Go",
            NodeKind::Cue { .. } => "Cue",
            NodeKind::End { .. } => "End",
        }
    }
}

/// A spoken line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub speaker: ActorId,
    /// Per language ([`LangId`] order).
    pub text: Vec<String>,
    /// Voice clip name (`voice/<lang>/<name>.ogg`).
    pub voice: Option<String>,
    /// The length of the voice clip in each language ([`LangId`] order), read by the
    /// checker; `None` where there is no clip (the line is timed from its text).
    pub clip_seconds: Vec<Option<f32>>,
    pub gesture: Option<Gesture>,
    pub expression: Option<Expression>,
    pub look_at: Option<LookTarget>,
    /// Seconds of silence after the line.
    pub pause: f32,
    pub next: NodeId,
}

/// What someone looks at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LookTarget {
    /// The participant: whoever spoke last, or is nearest, when there are several.
    Participant,
    /// One of the story's participants, by name ([`Story::participants`]).
    Someone(String),
    /// A thing's id in the current place.
    Thing(String),
}

/// A condition, with names resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    HandHeld(ActorId),
    HandReleased,
    GazeHeld {
        on: ActorId,
        seconds: f32,
    },
    Near {
        to: ActorId,
        within: f32,
    },
    CandlePlaced,
    AllCandlesPlaced,
    CandlesLit,
    CandlesBlownOut,
    ParticipantSpoke,
    Touched {
        actor: ActorId,
        zone: TouchZone,
    },
    OperatorCue(String),
    /// The participant said the words of this intent since the wait began (a sure
    /// match, or declared by the facilitator).
    Heard(IntentId),
    Any(Vec<Condition>),
    All(Vec<Condition>),
    /// One of `thing` (ids or tags) stands in a socket of one of `into`, now.
    Placed {
        thing: ThingSet,
        into: ThingSet,
    },
    /// The participant holds one of these, now.
    Holding(ThingSet),
    /// The participant touched one of these since the wait began.
    TouchedThing(ThingSet),
    /// One of these (in the current place) is burning, now.
    Lit(ThingSet),
    /// `condition` (a hand held, a gaze, nearness or a touch), met by this
    /// participant (one of [`Story::participants`]) and not by the others.
    By {
        participant: String,
        condition: Box<Condition>,
    },
}

/// A transition, with names resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Transition {
    Fade { color: Rgb, seconds: f32 },
    Dissolve { seconds: f32 },
    LeadByHand { actor: ActorId, seconds: f32 },
    Butterfly { actor: ActorId, seconds: f32 },
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

/// A request to the world, with names resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WorldCue {
    OfferHand(ActorId),
    LetGo(ActorId),
    LightCandles,
    PlayMusic(String),
    StopMusic(f32),
    Gesture(ActorId, Gesture),
    Expression(ActorId, Expression),
    LookAt(ActorId, LookTarget),
    Show(String),
    Hide(String),
    /// Plays the clip of that name (as the model file names it) on each of these
    /// things in the current place.
    Animate {
        thing: ThingSet,
        clip: String,
    },
    /// Lights the flame of each of these things in the current place.
    Light(ThingSet),
    /// Puts out the flame of each of these things in the current place.
    PutOut(ThingSet),
    /// Plays back the participant's own words that matched this intent earlier in
    /// the session, if any were kept (only with `consent.record_speech`).
    ReplayWords(IntentId),
}

impl Story {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.cast[id.index()]
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.index()]
    }

    pub fn node_id(&self, name: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.id == name)
            .map(|i| NodeId(i as u32))
    }

    pub fn actor_id(&self, name: &str) -> Option<ActorId> {
        self.cast
            .iter()
            .position(|a| a.id == name)
            .map(|i| ActorId(i as u16))
    }

    pub fn place_id(&self, name: &str) -> Option<PlaceId> {
        self.places
            .iter()
            .position(|p| p.id == name)
            .map(|i| PlaceId(i as u16))
    }

    pub fn lang_id(&self, code: &str) -> Option<LangId> {
        self.languages
            .iter()
            .position(|l| l == code)
            .map(|i| LangId(i as u8))
    }

    /// The line spoken at `node`, if it is a `Say`.
    pub fn line(&self, node: NodeId) -> Option<&Line> {
        match &self.node(node).kind {
            NodeKind::Say(line) => Some(line),
            _ => None,
        }
    }

    /// The number of candle sockets on the cakes of a place (at most 255: a place
    /// may have many cakes).
    pub fn candle_sockets(&self, place: PlaceId) -> u8 {
        self.place(place)
            .things
            .iter()
            .map(|t| match t.kind {
                ThingKind::Cake { candle_sockets } => candle_sockets,
                _ => 0,
            })
            .fold(0, u8::saturating_add)
    }

    pub fn thing(&self, id: ThingId) -> &Thing {
        &self.place(id.place).things[usize::from(id.index)]
    }

    /// The thing with this id in `place`.
    pub fn thing_in(&self, place: PlaceId, id: &str) -> Option<ThingId> {
        self.place(place)
            .things
            .iter()
            .position(|t| t.id == id)
            .map(|i| ThingId {
                place,
                index: i as u16,
            })
    }

    /// Every `Go` node of the story, in node order: all its transitions.
    pub fn go_nodes(&self) -> Vec<NodeId> {
        (0..self.nodes.len())
            .map(|i| NodeId(i as u32))
            .filter(|n| matches!(self.node(*n).kind, NodeKind::Go { .. }))
            .collect()
    }

    /// The `Go` nodes the story can reach from `node` without passing another `Go`, in
    /// the order found: the transitions that may come next.
    pub fn goes_after(&self, node: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        let mut queue: std::collections::VecDeque<NodeId> =
            self.node(node).kind.successors().into();
        while let Some(id) = queue.pop_front() {
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            match &self.node(id).kind {
                NodeKind::Go { .. } => out.push(id),
                kind => queue.extend(kind.successors()),
            }
        }
        out
    }

    /// The places the story can move to next from `node`: the place of every `Go` it
    /// can reach without passing another `Go` (in the order found), and the place of
    /// the `ending`, where the operator's "end gently" goes. What a stage prepares
    /// while `node` plays, so a transition never waits on loading.
    pub fn places_after(&self, node: NodeId) -> Vec<PlaceId> {
        let mut out = Vec::new();
        for go in self.goes_after(node) {
            if let NodeKind::Go { place, .. } = &self.node(go).kind
                && !out.contains(place)
            {
                out.push(*place);
            }
        }
        if let Some(p) = self.ending.and_then(|e| self.node_place[e.index()])
            && !out.contains(&p)
        {
            out.push(p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ambience_an_environment_plays_is_listed() {
        let c = Rgb::BLACK;
        let played: Vec<_> = [
            Environment::Park { sky: c, trees: 1 },
            Environment::Room {
                walls: c,
                size: (3.0, 3.0),
            },
            Environment::Sky { sky: c },
        ]
        .iter()
        .filter_map(Environment::ambience)
        .collect();
        assert_eq!(played, AMBIENCES);
    }
}
