//! A participant's side: connects to the host with the join code, says hello, follows
//! the host's cues ([`Follower`]) and sends the participant's acts.
//!
//! [`JoinStatus`] says where the joining is (connecting, in, refused, lost, over); the
//! runner ends on it. A host that does not answer within [`ANSWER_WITHIN`] (a wrong
//! address, a host not running, or a wrong code: netcode answers none of them) ends the
//! joining with a clear message.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant, SystemTime};

use bevy::prelude::*;
use bevy_renet::netcode::{
    ClientAuthentication, ConnectToken, NetcodeClientPlugin, NetcodeClientTransport,
    NetcodeDisconnectReason,
};
use bevy_renet::{RenetClient, RenetClientPlugin, RenetReceive};

use crate::code::JoinCode;
use crate::follower::Follower;
pub use crate::presences::Presences;
use crate::presences::{OwnName, OwnPose};
use crate::protocol::{
    Hello, PROTOCOL_ID, RELIABLE, ToHost, ToParticipant, UNRELIABLE, Welcome, decode, encode,
};
use reunion_stage::prelude::{Mirror, StandingSlot};

/// How long a participant waits for the host to answer, and how long either side
/// hears nothing before it counts the connection lost (headless).
pub const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// How long a window's connection may hear nothing before it counts as lost: a
/// window's frame can stall for seconds (shaders compiled on first sight of a place,
/// a software renderer), and a stall is not a lost participant.
pub const WINDOW_SILENCE: Duration = Duration::from_secs(20);

/// Where the joining is.
#[derive(Resource, Debug, Clone, PartialEq)]
pub enum JoinStatus {
    /// Trying to reach the host since then.
    Connecting(Instant),
    /// Connected; the hello is sent, no answer yet.
    Introduced,
    /// Let in under this name.
    In(Welcome),
    /// Turned away by the host.
    Refused(String),
    /// No answer, or the connection was lost.
    Lost(String),
    /// The story ended.
    Over,
    /// The host ended the session before the story's end, and why.
    HostEnded(String),
}

impl JoinStatus {
    /// Whether the joining is over, one way or another.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Refused(_) | Self::Lost(_) | Self::Over | Self::HostEnded(_)
        )
    }
}

/// Who joins, and with which story.
#[derive(Resource, Clone, Debug)]
pub struct JoinSetup {
    pub name: String,
    pub story: [u8; 32],
    /// This machine's stage mirrors the host's session (`reunion_stage::mirror`).
    pub mirrors: bool,
    /// The console code, when this machine is the facilitator's console
    /// ([`crate::console`]), not a participant.
    pub console: Option<String>,
}

/// The joined participant's story (see [`Follower`]).
#[derive(Resource)]
pub struct Following(pub Follower);

/// A story event this participant's machine sent to the host (for what shows the
/// participant that their act went out, and for measuring its way).
#[derive(Message, Debug, Clone, PartialEq)]
pub struct ActSent(pub reunion_story::director::StoryEvent);

/// The participant's systems.
pub struct JoinPlugin;

impl Plugin for JoinPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins((RenetClientPlugin, NetcodeClientPlugin))
            .insert_resource(JoinStatus::Connecting(Instant::now()))
            .init_resource::<Presences>()
            .init_resource::<OwnName>()
            .init_resource::<OwnPose>()
            .add_message::<ActSent>()
            .add_systems(
                PreUpdate,
                (hear_host, notice_no_answer).chain().after(RenetReceive),
            )
            .add_systems(Update, act);
    }
}

/// Opens a socket to `host` with a connect token made from `code`: only a host with
/// the same code can read it, and only it can answer.
pub fn connect(host: SocketAddr, code: &JoinCode) -> Result<NetcodeClientTransport, String> {
    connect_tolerating(host, code, ANSWER_WITHIN)
}

/// [`connect`], counting the connection lost (on both sides) only after `silence`
/// with nothing heard.
pub fn connect_tolerating(
    host: SocketAddr,
    code: &JoinCode,
    silence: Duration,
) -> Result<NetcodeClientTransport, String> {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let mut id = [0u8; 8];
    getrandom::fill(&mut id).map_err(|e| format!("no randomness for a client id: {e}"))?;
    let token = ConnectToken::generate(
        now,
        PROTOCOL_ID,
        300,
        u64::from_le_bytes(id),
        silence.as_secs().max(1) as i32,
        vec![host],
        None,
        &code.key(),
    )
    .map_err(|e| format!("cannot make a connect token: {e}"))?;
    let local = if host.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let socket = UdpSocket::bind(local).map_err(|e| format!("cannot open a socket: {e}"))?;
    NetcodeClientTransport::new(
        now,
        ClientAuthentication::Secure {
            connect_token: token,
        },
        socket,
    )
    .map_err(|e| format!("cannot start the connection: {e}"))
}

/// Reads what the host sent (also in the frame the connection ended: a goodbye and
/// the disconnection may come together); says hello once connected.
fn hear_host(
    mut commands: Commands,
    mut client: ResMut<RenetClient>,
    setup: Res<JoinSetup>,
    mut following: ResMut<Following>,
    mut presences: ResMut<Presences>,
    mut status: ResMut<JoinStatus>,
    mut own: ResMut<OwnName>,
    mut mirror: Option<ResMut<Mirror>>,
) {
    if client.is_connected() && matches!(*status, JoinStatus::Connecting(_)) {
        let hello = ToHost::Hello(Hello {
            name: setup.name.clone(),
            story: setup.story,
            mirrors: setup.mirrors,
            console: setup.console.clone(),
        });
        client.send_message(RELIABLE, encode(&hello));
        *status = JoinStatus::Introduced;
    }
    for channel in [RELIABLE, UNRELIABLE] {
        while let Some(bytes) = client.receive_message(channel) {
            let Some(message) = decode::<ToParticipant>(&bytes) else {
                warn!("a message from the host that does not decode was dropped");
                continue;
            };
            match message {
                ToParticipant::Welcome(w) => {
                    own.0 = Some(w.name.clone());
                    // A window stands its participant in their place among the others.
                    commands.insert_resource(StandingSlot(w.slot));
                    *status = JoinStatus::In(w);
                }
                ToParticipant::Refused(why) => *status = JoinStatus::Refused(why),
                ToParticipant::Cues { at, cues } => following.0.cues(at, &cues),
                ToParticipant::Inputs(inputs) => {
                    if let Some(m) = mirror.as_deref_mut()
                        && !m.is_on_its_own()
                    {
                        m.inbox.extend(inputs);
                    }
                }
                ToParticipant::Clock(t) => following.0.clock(t),
                ToParticipant::Presences(p) => presences.0 = p,
                ToParticipant::Goodbye(why) => *status = JoinStatus::HostEnded(why),
            }
        }
    }
    if following.0.is_ended() && !status.is_final() {
        *status = JoinStatus::Over;
    }
}

fn notice_no_answer(
    client: Res<RenetClient>,
    transport: Res<NetcodeClientTransport>,
    mut status: ResMut<JoinStatus>,
) {
    if status.is_final() {
        return;
    }
    if let JoinStatus::Connecting(since) = *status {
        if since.elapsed() > ANSWER_WITHIN + Duration::from_millis(500) || client.is_disconnected()
        {
            *status = JoinStatus::Lost(no_answer());
        }
        return;
    }
    if client.is_disconnected() {
        // The host lets go of a participant only on purpose (a refusal says why first,
        // the story's end comes as its cues): a host stopped before the end whose
        // goodbye was lost on the way.
        if matches!(*status, JoinStatus::In(_))
            && transport.disconnect_reason() == Some(NetcodeDisconnectReason::DisconnectedByServer)
        {
            *status = JoinStatus::HostEnded("the host ended the session".into());
            return;
        }
        let why = transport
            .disconnect_reason()
            .map(|r| r.to_string())
            .or_else(|| client.disconnect_reason().map(|r| r.to_string()))
            .unwrap_or_else(|| "no reason given".into());
        *status = JoinStatus::Lost(format!("the connection to the host was lost ({why})"));
    }
}

fn no_answer() -> String {
    format!(
        "the host did not answer within {} s: check the address (the one the host printed), that the host is running, and the join code",
        ANSWER_WITHIN.as_secs()
    )
}

/// The participant's acts, and now and then where they stand; a console's requests.
#[allow(clippy::too_many_arguments)]
fn act(
    mut following: ResMut<Following>,
    (status, setup): (Res<JoinStatus>, Res<JoinSetup>),
    mut client: ResMut<RenetClient>,
    mut sent: MessageWriter<ActSent>,
    mirror: Option<ResMut<Mirror>>,
    console: Option<ResMut<crate::console::ConsoleOutbox>>,
    pose: Res<OwnPose>,
    mut frames: Local<u32>,
) {
    let JoinStatus::In(welcome) = &*status else {
        return;
    };
    // The facilitator's console is nobody in the story: its buttons go, its stage's
    // own doings (a view that looks around) do not.
    if setup.console.is_some() {
        if let Some(mut m) = mirror {
            m.outbox.clear();
        }
        for input in console
            .map(|mut c| std::mem::take(&mut c.0))
            .unwrap_or_default()
        {
            client.send_message(RELIABLE, encode(&ToHost::Console(input)));
        }
        return;
    }
    let mut events = following.0.due();
    // A window's participant: what its hands, keys and microphone did. Only what a
    // participant causes goes (a line's end here is this machine's sound, not news).
    if let Some(mut m) = mirror {
        let story = std::sync::Arc::clone(following.0.story());
        events.extend(
            m.outbox
                .drain(..)
                .filter(|e| crate::roster::participant_may_send(&story, e)),
        );
    }
    for event in events {
        client.send_message(RELIABLE, encode(&ToHost::Act(event.clone())));
        sent.write(ActSent(event));
    }
    *frames += 1;
    // A headless participant stands still in their slot of the place, hands at rest;
    // a window's moves. A few times a second is enough.
    if *frames % 10 == 1 {
        let pose = pose.0.unwrap_or_else(|| {
            let story = following.0.story();
            let place = following.0.place().map(|p| story.place(p));
            crate::presences::standing_pose(place, welcome.slot)
        });
        client.send_message(UNRELIABLE, encode(&ToHost::Pose(pose)));
    }
}

/// A headless participant: no window, the host's cues followed, the autopilot acting
/// if `autopilot`. `story` is this machine's copy of the host's story folder.
pub fn headless_participant(
    host: SocketAddr,
    code: &JoinCode,
    name: &str,
    story: &std::path::Path,
    autopilot: bool,
) -> Result<App, String> {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins);
    join_in(&mut app, host, code, name, story, autopilot, ANSWER_WITHIN)?;
    Ok(app)
}

/// Makes `app` a participant of the host's story at `host` (headless, or a window
/// whose stage mirrors the host's session: see `reunion_stage::mirror`; insert its
/// [`Mirror`] before, so the host sends it the director's inputs). `story` is
/// this machine's copy of the host's story folder; `autopilot` acts for the
/// participant on the host's cues; `silence` is how long nothing heard counts as a
/// lost connection ([`ANSWER_WITHIN`] headless, [`WINDOW_SILENCE`] in a window).
pub fn join_in(
    app: &mut App,
    host: SocketAddr,
    code: &JoinCode,
    name: &str,
    story: &std::path::Path,
    autopilot: bool,
    silence: Duration,
) -> Result<(), String> {
    join_as(app, host, code, name, story, autopilot, silence, None)
}

/// [`join_in`], as the facilitator's console when `console` holds the console code
/// ([`crate::console::console_in`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn join_as(
    app: &mut App,
    host: SocketAddr,
    code: &JoinCode,
    name: &str,
    story: &std::path::Path,
    autopilot: bool,
    silence: Duration,
    console: Option<String>,
) -> Result<(), String> {
    let hash = crate::content::story_hash(story)
        .map_err(|e| format!("cannot read the story folder {}: {e}", story.display()))?;
    let loaded = reunion_story::load::load_dir(story);
    let Some(parsed) = loaded.story.filter(|_| !loaded.diagnostics.has_errors()) else {
        return Err(loaded.diagnostics.to_string());
    };
    if console.is_none()
        && let Some(note) = not_addressed(&parsed.participants, name)
    {
        eprintln!("note: {note}");
    }
    let transport = connect_tolerating(host, code, silence)?;
    let mirrors = app.world().contains_resource::<Mirror>();
    app.add_plugins(JoinPlugin)
        .insert_resource(JoinSetup {
            name: name.to_owned(),
            story: hash,
            mirrors,
            console,
        })
        .insert_resource(Following(
            Follower::new(std::sync::Arc::new(parsed), autopilot).named(name),
        ))
        .insert_resource(RenetClient::new(crate::protocol::connection_config()))
        .insert_resource(transport);
    Ok(())
}

/// What a participant joining as `name` should know when the story addresses its
/// participants by name (`addressed`) and `name` is not one of them: they take part,
/// but only the waits addressed to anyone are theirs to meet.
pub fn not_addressed(addressed: &[String], name: &str) -> Option<String> {
    let name = name.trim();
    (!addressed.is_empty() && !addressed.iter().any(|a| a == name)).then(|| {
        format!(
            "the story addresses {} by name; `{name}` takes part and meets the waits meant for anyone, not those meant for them",
            addressed.join(", ")
        )
    })
}

#[cfg(test)]
mod addressed_tests {
    use super::not_addressed;

    #[test]
    fn joining_under_a_name_the_story_does_not_address_is_said() {
        let family = ["mother".to_owned(), "father".to_owned()];
        assert_eq!(not_addressed(&family, "father"), None);
        assert_eq!(not_addressed(&family, " mother "), None);
        let note = not_addressed(&family, "aunt").expect("a note");
        assert!(
            note.contains("mother, father") && note.contains("`aunt`"),
            "{note}"
        );
        assert_eq!(not_addressed(&[], "aunt"), None, "a story for anyone");
    }
}
