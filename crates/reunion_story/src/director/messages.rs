//! What goes into the director and what comes out: story events from the world,
//! the operator's commands, the [`Input`] that carries either (or the passing of
//! time), and the [`Cue`]s the world must act on.

use serde::{Deserialize, Serialize};

use crate::story::*;

/// Something the world tells the director.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StoryEvent {
    /// The participant took `actor`'s hand.
    HandHeld(ActorId),
    /// The participant's hand let go.
    HandReleased,
    /// The participant is now looking at `actor` (or at no one).
    GazeOn(Option<ActorId>),
    /// The participant's head is `meters` from `actor`.
    Distance(ActorId, f32),
    /// A candle went into a socket.
    CandlePlaced(u8),
    /// Every socket holds a candle.
    AllCandlesPlaced,
    /// The candles are burning.
    CandlesLit,
    /// The candles went out.
    CandlesBlownOut,
    /// The participant finished saying something.
    ParticipantSpoke,
    /// A speech recogniser's reading of what the participant just said: its words
    /// and how sure it is (0 to 1). It never makes her say anything by itself: the
    /// story's intents and answers decide (the words reach the session log only with
    /// the participant's consent).
    ParticipantSaid { text: String, confidence: f32 },
    /// The participant touched `actor` at a zone.
    Touched(ActorId, TouchZone),
    /// The operator fired a named cue.
    OperatorCue(String),
    /// The voice clip of the line at `node` finished playing.
    LineFinished(NodeId),
    /// The transition in progress finished on screen.
    TransitionFinished,
    /// The participant asked to leave (the exit gesture, a controller button, a key).
    ParticipantExit,
    /// The participant picked a thing up (from wherever it was, a socket too).
    PickedUp(ThingId),
    /// The participant let go of a thing they held, not into a socket.
    PutDown(ThingId),
    /// A thing snapped into the socket of index `socket` (in [`Thing::sockets`]) of
    /// `into`; it is no longer held. A candle set on a cake is reported as this and as
    /// [`StoryEvent::CandlePlaced`].
    Placed {
        thing: ThingId,
        into: ThingId,
        socket: u16,
    },
    /// The participant touched a thing that reports touches ([`Thing::touch`]).
    TouchedThing(ThingId),
    /// A thing's flame caught (a `Light` cue, or candles lit, which also report
    /// [`StoryEvent::CandlesLit`]).
    Lit(ThingId),
    /// A thing's flame went out.
    PutOut(ThingId),
}

/// What the operator asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum OperatorCommand {
    /// Freeze the story clock.
    Hold,
    /// Let it run again.
    Resume,
    /// Say the last line again.
    RepeatLine,
    /// Finish what is happening now (line, pause, wait, transition) and go on.
    SkipLine,
    /// Go straight to a node.
    JumpTo(NodeId),
    /// Go to the story's ending: she says goodbye and the ending plays.
    EndGently,
    /// Fade to the calm place at once and hold the story.
    StopNow,
}

/// An input to the director.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
    /// `seconds` of time passed.
    Tick(f32),
    Event(StoryEvent),
    Operator(OperatorCommand),
    /// The session goes on after it stopped without an end (a crash, a power cut, a
    /// kill), its log replayed up to here: the director enters its last beat again
    /// in the state it had (variables, place, world) and the world sets the place
    /// as it was ([`Cue::WorldAsRehearsed`]). See [`super::Director::handle`].
    Resumed,
}

/// What the world must do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cue {
    /// `speaker` says the line of `node`; it takes about `seconds` (the world may
    /// report [`StoryEvent::LineFinished`] sooner).
    Say {
        node: NodeId,
        speaker: ActorId,
        seconds: f32,
    },
    /// Stop the line of `node` now (skipped or interrupted).
    StopLine {
        node: NodeId,
    },
    Gesture(ActorId, Gesture),
    Expression(ActorId, Expression),
    LookAt(ActorId, LookTarget),
    /// Start moving to `place` with `transition` (its seconds are the director's).
    StartTransition {
        place: PlaceId,
        transition: Transition,
    },
    /// Show `place` at once (the first place, or after an operator jump).
    EnterPlace {
        place: PlaceId,
    },
    /// The transition is over: `place` is the current place.
    TransitionEnded {
        place: PlaceId,
    },
    /// A lead by the hand paused because the hand let go; she offers it again.
    LeadPaused(ActorId),
    /// The hand is held again; the lead goes on.
    LeadResumed(ActorId),
    /// A request from a `Cue` node.
    World(WorldCue),
    /// Waiting at `node` (for the console and the participant stand-ins).
    Waiting {
        node: NodeId,
        timeout: Option<f32>,
    },
    /// A wait was met.
    WaitMet {
        node: NodeId,
    },
    /// A wait ran out of time.
    WaitTimedOut {
        node: NodeId,
    },
    /// A variable changed.
    VarSet {
        var: VarId,
        value: Value,
    },
    Held,
    Resumed,
    /// Fade to the calm place and stay there (the participant's exit, or "stop now");
    /// the story is held. Resuming leaves the calm place.
    SafeExit,
    /// The session's time limit is near: the ending begins.
    WindDown,
    /// The story is over.
    Ended {
        node: NodeId,
    },
    /// After a jump (the console's, or `--from`): the world as a playthrough would
    /// have left it at that node, for the place just entered to be set like that.
    WorldAsRehearsed(RehearsedWorld),
    /// The story cannot go on (a loop of nodes that never wait).
    Stuck {
        node: NodeId,
        reason: String,
    },
}

/// What the participant's world looks like at a node when the story is played up to
/// it (see [`crate::rehearse`]): what the place entered must show and what the
/// participant holds, so a jump lands in the state a real playthrough would have.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RehearsedWorld {
    /// Whose hand the participant holds.
    pub hand_held_by: Option<ActorId>,
    /// The things the participant holds.
    pub holding: Vec<ThingId>,
    /// Things standing in sockets: (the thing, its holder, the socket's index).
    pub in_sockets: Vec<(ThingId, ThingId, u16)>,
    /// Flames lit (true) or put out (false) since the place began.
    pub flames: Vec<(ThingId, bool)>,
    /// Whether the birthday candles in the cake burn.
    pub candles_lit: bool,
}
