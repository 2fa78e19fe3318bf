//! What the page shows, as plain data sent as JSON: the story's fixed parts (the
//! [`Catalog`]: nodes, cast, cues, languages) and where the session is now (the
//! [`Status`]), with the session's [`Happening`]s as they come. Built by pure
//! functions of the story and the director with [`crate::describe`]'s words, so the
//! page and the window say the same, and a test can check it without an App.

use std::collections::VecDeque;

use reunion_story::director::{Director, Phase};
use reunion_story::session::TranscriptLine;
use reunion_story::story::{ActorId, LangId, NodeId, PlaceId, Story};
use serde::Serialize;

use crate::describe;

/// How many happenings the page is sent (the newest).
pub const HAPPENINGS_KEPT: usize = 60;

/// The story's fixed parts: the story list, the cast, the cues, the languages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Catalog {
    pub title: String,
    /// Language codes; a [`LangId`] is an index here.
    pub languages: Vec<String>,
    /// Every node, in story order; a [`NodeId`] is an index here.
    pub nodes: Vec<NodeEntry>,
    /// The cast's ids.
    pub cast: Vec<String>,
    /// The operator cues the story waits for.
    pub cues: Vec<String>,
    /// The touches the story waits for: (actor id, zone name).
    pub touches: Vec<(String, String)>,
    /// The story's intents' ids; an [`IntentId`](reunion_story::story::IntentId) is an
    /// index here.
    pub intents: Vec<String>,
    /// The story's answers' ids; an [`AnswerId`](reunion_story::story::AnswerId) is an
    /// index here.
    pub answers: Vec<String>,
}

/// One node of the story list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeEntry {
    pub id: String,
    pub kind: String,
}

impl Catalog {
    pub fn of(story: &Story) -> Self {
        Self {
            title: story.title.clone(),
            languages: story.languages.clone(),
            nodes: story
                .nodes
                .iter()
                .map(|n| NodeEntry {
                    id: n.id.clone(),
                    kind: n.kind.name().to_owned(),
                })
                .collect(),
            cast: story.cast.iter().map(|a| a.id.clone()).collect(),
            cues: describe::operator_cues(story),
            touches: describe::touches(story)
                .into_iter()
                .map(|(a, z)| (story.actor(a).id.clone(), describe::zone_name(z).to_owned()))
                .collect(),
            intents: story.intents.iter().map(|i| i.id.clone()).collect(),
            answers: story.answers.iter().map(|a| a.id.clone()).collect(),
        }
    }
}

/// Where the session is, in the facilitator's language.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Status {
    /// The current node's index in [`Catalog::nodes`].
    pub node_index: usize,
    pub node: String,
    pub kind: String,
    /// What the director is doing, in words ([`describe::phase`]).
    pub phase: String,
    pub held: bool,
    /// In the calm place after "stop now" or the participant's exit.
    pub calm: bool,
    pub ended: bool,
    /// What the current wait waits for, while it waits.
    pub waits_for: Option<String>,
    /// Session clock, `mm:ss` (whole seconds, so the state changes at most once a
    /// second on its own).
    pub time: String,
    pub story_time: String,
    pub place: Option<String>,
    /// The line being said (or the last one said at this node).
    pub line: Option<LineNow>,
    /// The participant: whose hand is held, at whom they look, whether they spoke
    /// lately.
    pub hand: Option<String>,
    pub looking_at: Option<String>,
    pub spoke_lately: bool,
    /// The subtitle language's code.
    pub lang: String,
}

/// A line of the story as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineNow {
    pub speaker: String,
    pub text: String,
    pub speaking: bool,
}

/// Within how many story seconds of speaking the participant counts as "spoke lately".
pub const SPOKE_LATELY_SECONDS: f64 = 3.0;

/// A text of the story in `lang`, or in its first language.
pub fn in_lang(texts: &[String], lang: LangId) -> &str {
    texts
        .get(lang.index())
        .or_else(|| texts.first())
        .map_or("", String::as_str)
}

impl Status {
    pub fn of(director: &Director, lang: LangId) -> Self {
        let story = director.story();
        let node_id = director.node();
        let node = story.node(node_id);
        let line = story.line(node_id).map(|line| LineNow {
            speaker: in_lang(&story.actor(line.speaker).name, lang).to_owned(),
            text: in_lang(&line.text, lang).to_owned(),
            speaking: matches!(director.phase(), Phase::Speaking { .. }),
        });
        let waits_for = describe::wait_condition(story, node_id)
            .filter(|_| matches!(director.phase(), Phase::Waiting { .. }))
            .map(|c| describe::condition(story, c));
        Self {
            node_index: node_id.index(),
            node: node.id.clone(),
            kind: node.kind.name().to_owned(),
            phase: describe::phase(director),
            held: director.is_held(),
            calm: director.in_calm_place(),
            ended: director.is_ended(),
            waits_for,
            time: describe::clock(director.session_time()),
            story_time: describe::clock(director.story_time()),
            place: director.place().map(|p| story.place(p).id.clone()),
            line,
            hand: director.hand_held_by().map(|a| story.actor(a).id.clone()),
            looking_at: director.looking_at().map(|a| story.actor(a).id.clone()),
            spoke_lately: director
                .participant_spoke_at()
                .is_some_and(|t| director.story_time() - t <= SPOKE_LATELY_SECONDS),
            lang: story
                .languages
                .get(lang.index())
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// What the session was like at one frame, for telling what changed since the last.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    pub node: NodeId,
    pub place: Option<PlaceId>,
    pub held: bool,
    pub calm: bool,
    pub ended: bool,
    pub hand: Option<ActorId>,
    pub looking_at: Option<ActorId>,
    pub spoke_at: Option<f64>,
    /// How many lines the transcript had.
    pub lines: usize,
}

impl Observed {
    pub fn of(director: &Director, transcript: &[TranscriptLine]) -> Self {
        Self {
            node: director.node(),
            place: director.place(),
            held: director.is_held(),
            calm: director.in_calm_place(),
            ended: director.is_ended(),
            hand: director.hand_held_by(),
            looking_at: director.looking_at(),
            spoke_at: director.participant_spoke_at(),
            lines: transcript.len(),
        }
    }
}

/// One thing that happened in the session, as the page lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Happening {
    /// Counts up from 1 over the session.
    pub seq: u64,
    /// Session clock, `mm:ss`.
    pub at: String,
    pub text: String,
}

/// What changed between two frames, in words: lines said (in `lang`), places reached,
/// the hand, the look, the participant speaking, held, resumed, the calm place, the end.
pub fn changes(
    story: &Story,
    lang: LangId,
    before: &Observed,
    now: &Observed,
    transcript: &[TranscriptLine],
) -> Vec<String> {
    let actor = |a: ActorId| story.actor(a).id.clone();
    let mut out = Vec::new();
    if now.place != before.place
        && let Some(p) = now.place
    {
        out.push(format!("now in {}", story.place(p).id));
    }
    for line in transcript.iter().skip(before.lines.min(now.lines)) {
        // The aftercare (no speaker) is on the page's screen of its own.
        let (Some(said), Some(speaker)) = (story.line(line.node), line.speaker) else {
            continue;
        };
        out.push(format!(
            "{}: {}",
            in_lang(&story.actor(speaker).name, lang),
            in_lang(&said.text, lang)
        ));
    }
    if now.hand != before.hand {
        out.push(match now.hand {
            Some(a) => format!("the participant holds {}'s hand", actor(a)),
            None => "the hand let go".to_owned(),
        });
    }
    if now.looking_at != before.looking_at {
        out.push(match now.looking_at {
            Some(a) => format!("the participant looks at {}", actor(a)),
            None => "the participant looks away".to_owned(),
        });
    }
    if now.spoke_at != before.spoke_at && now.spoke_at.is_some() {
        out.push("the participant spoke".to_owned());
    }
    if now.calm && !before.calm {
        out.push("in the calm place, held".to_owned());
    } else if now.held != before.held {
        out.push(if now.held { "held" } else { "running again" }.to_owned());
    }
    if now.ended && !before.ended {
        out.push("the story ended".to_owned());
    }
    out
}

/// The session's happenings, the newest [`HAPPENINGS_KEPT`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Happenings {
    list: VecDeque<Happening>,
    next: u64,
}

impl Happenings {
    pub fn push(&mut self, at: String, text: String) {
        self.next += 1;
        self.list.push_back(Happening {
            seq: self.next,
            at,
            text,
        });
        while self.list.len() > HAPPENINGS_KEPT {
            self.list.pop_front();
        }
    }

    pub fn list(&self) -> impl Iterator<Item = &Happening> {
        self.list.iter()
    }
}

/// Everything the page is sent at each change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot<'a> {
    pub version: u64,
    pub catalog: Option<&'a Catalog>,
    pub status: Option<&'a Status>,
    pub volumes: Vec<(&'static str, f32)>,
    pub happenings: Vec<&'a Happening>,
    /// Errors of a failed load, warnings of the running story.
    pub problems: Option<String>,
    pub warnings: Option<String>,
    /// The microphone, in words.
    pub microphone: Option<String>,
    /// Whether speech is understood, and the words heard, in words.
    pub speech: Option<String>,
    /// The last utterances heard and the intents they matched
    /// ([`crate::conversation::Conversation`]).
    pub heard: Vec<String>,
    /// The answer waiting for the facilitator's confirmation, in words.
    pub pending: Option<String>,
    /// The last session stopped without an end and is offered for resuming
    /// ([`crate::ResumeOffer`]): where and when it stopped, in words.
    pub resume_offer: Option<String>,
}

/// An operator's command in words, for the happenings.
pub fn operator_words(story: &Story, cmd: &reunion_story::director::OperatorCommand) -> String {
    use reunion_story::director::OperatorCommand as C;
    match cmd {
        C::Hold => "operator: hold".to_owned(),
        C::Resume => "operator: resume".to_owned(),
        C::RepeatLine => "operator: repeat the line".to_owned(),
        C::SkipLine => "operator: skip".to_owned(),
        C::JumpTo(node) => match story.nodes.get(node.index()) {
            Some(n) => format!("operator: jump to {}", n.id),
            None => "operator: jump".to_owned(),
        },
        C::EndGently => "operator: end gently".to_owned(),
        C::StopNow => "operator: stop now".to_owned(),
        C::SayAnswer(a) => match story.answers.get(a.index()) {
            Some(a) => format!("operator: answer {}", a.id),
            None => "operator: answer".to_owned(),
        },
        C::DeclareHeard(i) => match story.intents.get(i.index()) {
            Some(i) => format!("operator: heard \"{}\"", i.id),
            None => "operator: heard".to_owned(),
        },
        C::ConfirmAnswer => "operator: confirm the answer".to_owned(),
        C::DismissAnswer => "operator: dismiss the answer".to_owned(),
    }
}

/// A participant's act in words, for the happenings: "takes nayeon's hand".
pub fn act_words(action: &reunion_story::participant::ParticipantAction) -> String {
    use reunion_story::participant::ParticipantAction as A;
    let what = match action {
        A::LookAt(who) => format!("looks at {who}"),
        A::LookAway => "looks away".to_owned(),
        A::ComeNear(who, meters) => format!("comes within {meters} m of {who}"),
        A::TakeHand(who) => format!("takes {who}'s hand"),
        A::LetGo => "lets go".to_owned(),
        A::PlaceCandle => "places a candle".to_owned(),
        A::BlowOut => "blows out the candles".to_owned(),
        A::Speak => "speaks".to_owned(),
        // Never the words: they reach the log only with consent.
        A::SayWords(_) => "says something".to_owned(),
        A::Touch(who, zone) => format!("touches {who}'s {}", describe::zone_name(*zone)),
        A::PickUp(thing) => format!("picks up the {thing}"),
        A::PlaceIn { thing, into } => format!("places the {thing} in the {into}"),
        A::TouchThing(thing) => format!("touches the {thing}"),
        A::PutDown => "puts down what the hand holds".to_owned(),
    };
    format!("act: the participant {what}")
}
