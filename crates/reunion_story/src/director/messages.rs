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
    /// What a [`StoryEvent::ParticipantSaid`] meant, without its words: the
    /// recogniser's confidence and the intents the story's matcher found. The session
    /// log keeps this instead of the words when the participant did not agree to them
    /// being recorded; the director handles both alike.
    IntentsHeard {
        confidence: f32,
        intents: Vec<HeardIntent>,
    },
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

/// An intent found in what the participant said.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeardIntent {
    pub intent: IntentId,
    /// The recogniser's confidence times the match's quality, 0 to 1.
    pub confidence: f32,
}

impl HeardIntent {
    /// Whether the match is sure enough to act on without the facilitator.
    pub fn is_sure(&self) -> bool {
        self.confidence >= crate::matcher::SURE_AT
    }
}

impl StoryEvent {
    /// Whether this is about one participant's own body (a hand, a gaze, nearness, a
    /// touch) rather than the shared world (candles, things, words, time): another
    /// participant's personal events say nothing of this one's body.
    pub fn is_personal(&self) -> bool {
        matches!(
            self,
            StoryEvent::HandHeld(_)
                | StoryEvent::HandReleased
                | StoryEvent::GazeOn(_)
                | StoryEvent::Distance(..)
                | StoryEvent::Touched(..)
        )
    }

    /// The event as the session log may keep it: words the participant said become
    /// only the intents they matched unless the story's consent says
    /// `record_speech: true`. Every other event is kept as it is.
    pub fn for_the_log(self, story: &Story) -> StoryEvent {
        match self {
            StoryEvent::ParticipantSaid { text, confidence } if !story.record_speech() => {
                StoryEvent::IntentsHeard {
                    confidence,
                    intents: heard_intents(story, &text, confidence),
                }
            }
            e => e,
        }
    }
}

/// The intents `text` matches in `story`, most confident first.
pub fn heard_intents(story: &Story, text: &str, confidence: f32) -> Vec<HeardIntent> {
    story
        .match_words(text, confidence)
        .into_iter()
        .map(|(intent, m)| HeardIntent {
            intent,
            confidence: m.confidence,
        })
        .collect()
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
    /// She says this answer now (after the line she is saying, if any), whatever
    /// its cooldown.
    SayAnswer(AnswerId),
    /// The participant said the words of this intent, as the facilitator heard it:
    /// a sure match (a `Heard` wait is met, an answer to it is said).
    DeclareHeard(IntentId),
    /// The answer waiting for confirmation is said.
    ConfirmAnswer,
    /// The answer waiting for confirmation is not said.
    DismissAnswer,
}

/// An input to the director.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
    /// `seconds` of time passed.
    Tick(f32),
    /// What the participant did (the only one, or the one the session acts as).
    Event(StoryEvent),
    /// What one of several participants did, by their name in the session (a wait
    /// addressed to them is met by them alone, [`Condition::By`]).
    EventBy {
        by: String,
        event: StoryEvent,
    },
    Operator(OperatorCommand),
    /// The session goes on after it stopped without an end (a crash, a power cut, a
    /// kill), its log replayed up to here: the director enters its last beat again
    /// in the state it had (variables, place, world) and the world sets the place
    /// as it was ([`Cue::WorldAsRehearsed`]). See [`super::Director::handle`].
    Resumed,
}

impl Input {
    /// The event this input carries, and who did it (a participant of several by
    /// name, or `None` for the only one); `None` for time, the operator, a resume.
    pub fn as_event(&self) -> Option<(Option<&str>, &StoryEvent)> {
        match self {
            Input::Event(e) => Some((None, e)),
            Input::EventBy { by, event } => Some((Some(by.as_str()), event)),
            Input::Tick(_) | Input::Operator(_) | Input::Resumed => None,
        }
    }
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
    /// What the participant said, as it was heard: the words (only with the
    /// participant's consent to record them), the recogniser's confidence, and the
    /// intents found (sure or not), for the console.
    Heard {
        text: Option<String>,
        confidence: f32,
        intents: Vec<HeardIntent>,
    },
    /// She would say `answer`, but the match was unsure: it waits for the
    /// facilitator's confirmation (and lapses after a while).
    AnswerPending {
        answer: AnswerId,
        confidence: f32,
    },
    /// The answer that waited for confirmation no longer does (confirmed,
    /// dismissed or lapsed).
    AnswerPendingEnded {
        answer: AnswerId,
    },
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
