//! The web console's requests and answers, as a pure function: [`route`] takes a
//! request (method, path, code, body) and says what to answer, or which
//! [`ConsoleAction`] the operator asked for. No sockets and no Bevy here, so good and
//! hostile requests are tested as plain values; `server.rs` only moves bytes.
//!
//! | request | needs the code | answer |
//! | --- | --- | --- |
//! | `GET /`, `/app.js`, `/style.css` | no (they hold no session data) | the page's own files |
//! | `GET /font.ttf` | no | the system's Hangul font, if there is one |
//! | `GET /api/state?since=V` | yes | the state once its version passes `V` (long polling) |
//! | `POST /api/action` | yes | `{"ok":true}`: the action goes to the console's dispatch |
//!
//! The code comes in the `X-Reunion-Code` header. Anything else gets an error status
//! with a JSON `{"error": …}` and changes nothing.

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};

use reunion_story::format::TouchZone;
use reunion_story::participant::ParticipantAction;
use reunion_story::story::{AnswerId, IntentId, LangId, NodeId};
use serde::Deserialize;

use super::access::AccessCode;
use super::snapshot::Catalog;
use crate::dispatch::{ConsoleAction, VolumeChannel};

/// The header the page sends the access code in.
pub const CODE_HEADER: &str = "X-Reunion-Code";

/// The largest action body taken (an action is well under 200 bytes).
pub const MAX_BODY: usize = 4096;

/// The longest a long poll waits for a change before answering with the same state.
pub const LONG_POLL_SECONDS: u64 = 10;

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const STYLE_CSS: &str = include_str!("page/style.css");

/// A request, as the server read it.
#[derive(Clone, Debug, Default)]
pub struct WebRequest<'a> {
    pub method: &'a str,
    /// The path with its query.
    pub url: &'a str,
    /// The `X-Reunion-Code` header, if sent.
    pub code: Option<&'a str>,
    /// The body, at most [`MAX_BODY`] bytes of it.
    pub body: &'a [u8],
    /// Whether the body was longer than [`MAX_BODY`] (by its length or its bytes).
    pub body_too_large: bool,
}

/// An answer with its bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct WebResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Cow<'static, [u8]>,
}

impl WebResponse {
    fn file(content_type: &'static str, text: &'static str) -> Self {
        Self {
            status: 200,
            content_type,
            body: Cow::Borrowed(text.as_bytes()),
        }
    }

    /// A JSON `{"error": why}` with this status.
    pub fn error(status: u16, why: &str) -> Self {
        Self::json(status, serde_json::json!({ "error": why }).to_string())
    }

    pub fn json(status: u16, text: String) -> Self {
        Self {
            status,
            content_type: "application/json; charset=utf-8",
            body: Cow::Owned(text.into_bytes()),
        }
    }
}

/// What to do with a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Routed {
    /// Answer this.
    Respond(WebResponse),
    /// Answer with the state once its version is past `since` (or after
    /// [`LONG_POLL_SECONDS`]); at once if `since` is `None`.
    State { since: Option<u64> },
    /// Send the system's Hangul font.
    Font,
    /// The operator asked for this; `id` is the page's own id for the press, so a
    /// press sent again after a dropped connection is done once.
    Act { id: String, action: ConsoleAction },
}

/// What a request means. `catalog` is the running story's (`None` before it loads:
/// actions are refused then, nothing to act on).
pub fn route(req: &WebRequest, code: &AccessCode, catalog: Option<&Catalog>) -> Routed {
    let (path, query) = req.url.split_once('?').unwrap_or((req.url, ""));
    let page = |content_type, text| match req.method {
        "GET" | "HEAD" => Routed::Respond(WebResponse::file(content_type, text)),
        _ => Routed::Respond(WebResponse::error(405, "only GET here")),
    };
    match path {
        "/" | "/index.html" => page("text/html; charset=utf-8", INDEX_HTML),
        "/app.js" => page("text/javascript; charset=utf-8", APP_JS),
        "/style.css" => page("text/css; charset=utf-8", STYLE_CSS),
        "/font.ttf" if req.method == "GET" => Routed::Font,
        "/api/state" | "/api/action" => {
            if !req.code.is_some_and(|given| code.matches(given)) {
                return Routed::Respond(WebResponse::error(
                    401,
                    "the access code is missing or wrong: open the address printed at start, or scan its QR code",
                ));
            }
            match (path, req.method) {
                ("/api/state", "GET") => Routed::State {
                    since: since(query),
                },
                ("/api/action", "POST") => act(req, catalog),
                _ => Routed::Respond(WebResponse::error(405, "wrong method for this address")),
            }
        }
        _ => Routed::Respond(WebResponse::error(404, "no such page")),
    }
}

/// `since=V` from a query.
fn since(query: &str) -> Option<u64> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse().ok())
}

fn act(req: &WebRequest, catalog: Option<&Catalog>) -> Routed {
    if req.body_too_large {
        return Routed::Respond(WebResponse::error(413, "the request is too large"));
    }
    let wire: WireAction = match serde_json::from_slice(req.body) {
        Ok(w) => w,
        Err(e) => {
            return Routed::Respond(WebResponse::error(400, &format!("not an action: {e}")));
        }
    };
    if !valid_id(&wire.id) {
        return Routed::Respond(WebResponse::error(
            400,
            "the action's id must be 8 to 64 letters, digits, - or _",
        ));
    }
    let Some(catalog) = catalog else {
        return Routed::Respond(WebResponse::error(
            503,
            "the story has not loaded: nothing to act on yet",
        ));
    };
    match wire.to_action(catalog) {
        Ok(action) => Routed::Act {
            id: wire.id,
            action,
        },
        Err(why) => Routed::Respond(WebResponse::error(400, &why)),
    }
}

fn valid_id(id: &str) -> bool {
    (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An action as the page sends it: `{"id": "…", "do": "hold"}`,
/// `{"id": "…", "do": "jump", "node": 12}`, `{"id": "…", "do": "act", "what":
/// "take_hand", "actor": "nayeon"}`, `{"do": "cue", "name": …}`, `{"do": "answer",
/// "name": …}`, `{"do": "heard", "name": …}`, `{"do": "confirm"}`, `{"do": "resume_last"}`,
/// `{"do": "dismiss_resume"}`, `{"do": "language",
/// "lang": "ko"}`, `{"do": "volume", "channel": "music", "level": 0.5}`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct WireAction {
    id: String,
    #[serde(rename = "do")]
    what_to_do: String,
    node: Option<u32>,
    what: Option<String>,
    actor: Option<String>,
    zone: Option<String>,
    name: Option<String>,
    lang: Option<String>,
    channel: Option<String>,
    level: Option<f32>,
}

impl WireAction {
    fn to_action(&self, catalog: &Catalog) -> Result<ConsoleAction, String> {
        let simple = match self.what_to_do.as_str() {
            "hold" => Some(ConsoleAction::Hold),
            "resume" => Some(ConsoleAction::Resume),
            "repeat" => Some(ConsoleAction::Repeat),
            "skip" => Some(ConsoleAction::Skip),
            "end_gently" => Some(ConsoleAction::EndGently),
            "stop_now" => Some(ConsoleAction::StopNow),
            "confirm" => Some(ConsoleAction::ConfirmAnswer),
            "dismiss" => Some(ConsoleAction::DismissAnswer),
            "resume_last" => Some(ConsoleAction::ResumeLastSession),
            "dismiss_resume" => Some(ConsoleAction::DismissResumeOffer),
            _ => None,
        };
        if let Some(action) = simple {
            return Ok(action);
        }
        match self.what_to_do.as_str() {
            "jump" => {
                let node = self.node.ok_or("a jump needs \"node\" (its index)")?;
                if node as usize >= catalog.nodes.len() {
                    return Err(format!(
                        "no node {node}: the story has {}",
                        catalog.nodes.len()
                    ));
                }
                Ok(ConsoleAction::JumpTo(NodeId(node)))
            }
            "act" => self.participant_action(catalog).map(ConsoleAction::Act),
            "cue" => {
                let name = self.name.as_deref().ok_or("a cue needs \"name\"")?;
                if !catalog.cues.iter().any(|c| c == name) {
                    return Err(format!("the story waits for no cue \"{name}\""));
                }
                Ok(ConsoleAction::OperatorCue(name.to_owned()))
            }
            "answer" => {
                let name = self.name.as_deref().ok_or("an answer needs \"name\"")?;
                let index = catalog
                    .answers
                    .iter()
                    .position(|a| a == name)
                    .and_then(|i| u16::try_from(i).ok())
                    .ok_or_else(|| format!("the story has no answer \"{name}\""))?;
                Ok(ConsoleAction::SayAnswer(AnswerId(index)))
            }
            "heard" => {
                let name = self.name.as_deref().ok_or("an intent needs \"name\"")?;
                let index = catalog
                    .intents
                    .iter()
                    .position(|i| i == name)
                    .and_then(|i| u16::try_from(i).ok())
                    .ok_or_else(|| format!("the story listens for no \"{name}\""))?;
                Ok(ConsoleAction::DeclareHeard(IntentId(index)))
            }
            "language" => {
                let code = self.lang.as_deref().ok_or("a language needs \"lang\"")?;
                let index = catalog
                    .languages
                    .iter()
                    .position(|l| l == code)
                    .and_then(|i| u8::try_from(i).ok())
                    .ok_or_else(|| {
                        format!(
                            "the story has no language \"{code}\"; it has {}",
                            catalog.languages.join(", ")
                        )
                    })?;
                Ok(ConsoleAction::Language(LangId(index)))
            }
            "volume" => {
                let name = self
                    .channel
                    .as_deref()
                    .ok_or("a volume needs \"channel\"")?;
                let channel = VolumeChannel::ALL
                    .into_iter()
                    .find(|c| c.name() == name)
                    .ok_or_else(|| format!("no volume \"{name}\""))?;
                let level = self.level.ok_or("a volume needs \"level\"")?;
                if !(0.0..=1.0).contains(&level) {
                    return Err("a volume's level is from 0 to 1".to_owned());
                }
                Ok(ConsoleAction::SetVolume(channel, level))
            }
            other => Err(format!("no action \"{other}\"")),
        }
    }

    fn participant_action(&self, catalog: &Catalog) -> Result<ParticipantAction, String> {
        let actor = || -> Result<String, String> {
            let id = self.actor.as_deref().ok_or("this act needs \"actor\"")?;
            if catalog.cast.iter().any(|a| a == id) {
                Ok(id.to_owned())
            } else {
                Err(format!("no one called \"{id}\" in the cast"))
            }
        };
        let what = self.what.as_deref().ok_or("an act needs \"what\"")?;
        Ok(match what {
            "look_at" => ParticipantAction::LookAt(actor()?),
            "take_hand" => ParticipantAction::TakeHand(actor()?),
            "look_away" => ParticipantAction::LookAway,
            "let_go" => ParticipantAction::LetGo,
            "place_candle" => ParticipantAction::PlaceCandle,
            "blow_out" => ParticipantAction::BlowOut,
            "speak" => ParticipantAction::Speak,
            "touch" => {
                let zone = match self.zone.as_deref() {
                    Some("head") => TouchZone::Head,
                    Some("cheek") => TouchZone::Cheek,
                    Some("shoulder") => TouchZone::Shoulder,
                    Some("hand") => TouchZone::Hand,
                    Some(other) => return Err(format!("no touch zone \"{other}\"")),
                    None => return Err("a touch needs \"zone\"".to_owned()),
                };
                ParticipantAction::Touch(actor()?, zone)
            }
            other => return Err(format!("no act \"{other}\" for the participant")),
        })
    }
}

/// The ids of the presses done lately: a press the page sends again (its connection
/// dropped before the answer came) is recognised and done once.
#[derive(Debug, Default)]
pub struct SeenIds {
    order: VecDeque<String>,
    set: HashSet<String>,
}

/// How many ids are remembered; a page re-sends within seconds, far fewer presses.
pub const IDS_KEPT: usize = 1024;

impl SeenIds {
    /// Whether `id` is new (and remembers it).
    pub fn first_time(&mut self, id: &str) -> bool {
        if self.set.contains(id) {
            return false;
        }
        self.set.insert(id.to_owned());
        self.order.push_back(id.to_owned());
        while self.order.len() > IDS_KEPT {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        true
    }
}
