//! The host's side: the story and the director run here (the one source of truth);
//! participants' acts come in, the director's cues and the clock go out.
//!
//! Each frame: what arrived is read in `PreUpdate` after renet receives (hellos
//! answered, acts become [`ParticipantReported`]s for this frame's director, which
//! takes and logs them by the participant's name, poses kept); right after
//! [`StageSystems::Director`] the frame's cues and the clock go to everyone let in,
//! and renet sends in `PostUpdate`. Nothing waits for the network: what has not
//! arrived this frame is read the next.

use std::net::{SocketAddr, UdpSocket};
use std::time::SystemTime;

use bevy::prelude::*;
use bevy_renet::netcode::{
    NetcodeServerPlugin, NetcodeServerTransport, ServerAuthentication, ServerConfig,
};
use bevy_renet::renet::{ClientId, ServerEvent};
use bevy_renet::{RenetReceive, RenetSend, RenetServer, RenetServerEvent, RenetServerPlugin};
use reunion_stage::prelude::*;

use crate::code::JoinCode;
use crate::presences::{OwnPose, Presences};
use crate::protocol::{
    ConsoleInput, HOST_COLOUR, PROTOCOL_ID, Pose, Presence, RELIABLE, ToHost, ToParticipant,
    UNRELIABLE, Welcome, decode, encode,
};
use crate::roster::{Roster, participant_may_send};

/// The most participants a host lets in.
pub const MAX_PARTICIPANTS: usize = 8;

/// Frames a refused client is given to read why before it is disconnected.
const REFUSE_AFTER_FRAMES: u32 = 30;

/// What the host needs: the story's content hash and how many participants the
/// story waits for before it begins.
#[derive(Resource, Clone, Debug)]
pub struct HostSetup {
    pub story: [u8; 32],
    pub expect: usize,
    /// The participants the story addresses by name (`Story::participants`).
    pub addressed: Vec<String>,
    /// The code a facilitator's console on another machine gives to be let in
    /// (`reunion console`, [`crate::console`]); printed on the host's terminal only.
    pub console_code: JoinCode,
}

/// The participants let in (by renet client id), their poses, and the refused on
/// their way out.
#[derive(Resource, Default, Debug)]
pub struct Participants {
    pub roster: Roster<ClientId>,
    poses: Vec<(ClientId, Pose)>,
    refused: Vec<(ClientId, u32)>,
    /// Notes for the session log from before the story began (who joined).
    notes: Vec<String>,
    /// The participants whose stage mirrors the session (windows): they are sent the
    /// director's inputs.
    mirrors: Vec<ClientId>,
    /// The facilitator's consoles on other machines (they gave the console code).
    consoles: Vec<ClientId>,
    /// Where those who were lost last were, by name: they are held there until they
    /// rejoin.
    away_poses: Vec<(String, Pose)>,
}

impl Participants {
    /// The host takes part too, as `name` (its window): see [`Roster::with_host`].
    pub fn with_host(name: &str) -> Self {
        Self {
            roster: Roster::default().with_host(name),
            ..default()
        }
    }

    /// `client`'s connection is gone. A console just leaves; a participant is held
    /// where they last were, away, until they rejoin under their name (returned).
    fn lost(&mut self, client: ClientId) -> Option<String> {
        let last_pose = self
            .poses
            .iter()
            .find(|(c, _)| *c == client)
            .map(|(_, p)| *p);
        self.poses.retain(|(c, _)| *c != client);
        self.mirrors.retain(|c| *c != client);
        self.consoles.retain(|c| *c != client);
        let name = self.roster.leave(client)?;
        self.away_poses.retain(|(n, _)| *n != name);
        if let Some(pose) = last_pose {
            self.away_poses.push((name.clone(), pose));
        }
        Some(name)
    }

    /// A note for the session log: now, or when the story begins.
    fn note(&mut self, session: Option<&mut StorySession>, note: String) {
        match session {
            Some(s) => s.session.note(&note),
            None => self.notes.push(note),
        }
    }

    /// Every client let in: the participants and the facilitator's consoles on other
    /// machines (both are sent the story as it goes).
    fn clients_in(&self) -> Vec<ClientId> {
        self.roster
            .keys()
            .chain(self.consoles.iter().copied())
            .collect()
    }

    /// Everyone in the session, as the others see them; the host's own participant
    /// (if it takes part) first, where `host_pose` says; those who were lost last,
    /// away, where they last were.
    pub fn presences(&self, host_pose: Option<Pose>) -> Vec<Presence> {
        let host = self.roster.host().map(|h| Presence {
            name: h.name.clone(),
            colour: h.colour,
            pose: host_pose.unwrap_or(Pose::STANDING),
            away: false,
        });
        let away = self.roster.away().map(|w| Presence {
            name: w.name.clone(),
            colour: w.colour,
            pose: self
                .away_poses
                .iter()
                .find(|(n, _)| *n == w.name)
                .map_or(Pose::STANDING, |(_, p)| *p),
            away: true,
        });
        host.into_iter()
            .chain(self.roster.members().map(|(id, w)| {
                Presence {
                    name: w.name.clone(),
                    colour: w.colour,
                    pose: self
                        .poses
                        .iter()
                        .find(|(c, _)| *c == id)
                        .map_or(Pose::STANDING, |(_, p)| *p),
                    away: false,
                }
            }))
            .chain(away)
            .collect()
    }
}

/// Every batch of cues the host sent, in order, with its story time: a participant
/// who joins after the story began (or rejoins after a lost connection) gets them all
/// first, and so stands where the others stand (the place, the line, what is held
/// and lit).
#[derive(Resource, Default, Debug)]
pub struct SentCues(pub Vec<(f64, Vec<reunion_story::director::Cue>)>);

/// Every input the host's director took, in order: a window that joins after the
/// story began (or rejoins) mirrors the session from its start with them
/// (`reunion_stage::mirror`).
#[derive(Resource, Default, Debug)]
pub struct SentInputs(pub Vec<reunion_story::director::Input>);

/// The most inputs in one catching-up message (a frame's are a handful).
const INPUTS_PER_MESSAGE: usize = 2048;

/// The host's systems (the stage's plugins must be there too).
pub struct HostPlugin;

impl Plugin for HostPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins((RenetServerPlugin, NetcodeServerPlugin))
            .init_resource::<Participants>()
            .init_resource::<SentCues>()
            .init_resource::<SentInputs>()
            .init_resource::<Presences>()
            .init_resource::<OwnPose>()
            // Participants' windows mirror the host's session with its inputs.
            .insert_resource(ShareInputs)
            // The story begins once everyone expected is in.
            .configure_sets(Update, StageSystems::Load.run_if(everyone_in))
            .add_systems(PreUpdate, receive.after(RenetReceive))
            // Before renet sends the frame's packets, and before its own exit system
            // (in `Last`) lets everyone go.
            .add_systems(PostUpdate, goodbye_on_exit.before(RenetSend))
            .add_systems(
                Update,
                send.after(StageSystems::Director)
                    .before(StageSystems::World),
            )
            .add_observer(connections);
    }
}

/// Opens the host's socket on `addr`, encrypted with the key of `code`.
pub fn listen(addr: SocketAddr, code: &JoinCode) -> std::io::Result<NetcodeServerTransport> {
    listen_on(UdpSocket::bind(addr)?, &[], code)
}

/// The host's transport on a socket already bound, encrypted with the key of `code`.
/// Participants dial the socket's address or one of `also_dialled` (a relay or a
/// forwarded port in front of the host): a connect token naming any other address is
/// not answered.
pub fn listen_on(
    socket: UdpSocket,
    also_dialled: &[SocketAddr],
    code: &JoinCode,
) -> std::io::Result<NetcodeServerTransport> {
    let mut public = vec![socket.local_addr()?];
    public.extend_from_slice(also_dialled);
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let config = ServerConfig {
        current_time: now,
        max_clients: MAX_PARTICIPANTS,
        protocol_id: PROTOCOL_ID,
        public_addresses: public,
        authentication: ServerAuthentication::Secure {
            private_key: code.key(),
        },
    };
    NetcodeServerTransport::new(config, socket)
}

/// Whether the story may go on: once it began it never waits for the roster again
/// (a participant who drops out is held in place; the others go on).
fn everyone_in(
    setup: Option<Res<HostSetup>>,
    participants: Res<Participants>,
    session: Option<Res<StorySession>>,
) -> bool {
    session.is_some() || setup.is_none_or(|s| participants.roster.len() >= s.expect)
}

fn send_to(server: &mut RenetServer, client: ClientId, channel: u8, message: &ToParticipant) {
    server.send_message(client, channel, encode(message));
}

/// Hellos, acts and poses from every connected client.
fn receive(
    mut server: ResMut<RenetServer>,
    setup: Res<HostSetup>,
    mut participants: ResMut<Participants>,
    mut session: Option<ResMut<StorySession>>,
    (sent, sent_inputs): (Res<SentCues>, Res<SentInputs>),
    mut reports: MessageWriter<ParticipantReported>,
    (mut operator, mut console_events): (
        MessageWriter<OperatorRequest>,
        MessageWriter<ReportStoryEvent>,
    ),
) {
    let participants = &mut *participants;
    if let Some(s) = session.as_deref_mut() {
        for note in participants.notes.drain(..) {
            s.session.note(&note);
        }
    }
    // The refused are let go once they could read why.
    participants.refused.retain_mut(|(client, frames)| {
        *frames = frames.saturating_sub(1);
        if *frames == 0 {
            server.disconnect(*client);
        }
        *frames > 0
    });
    for client in server.clients_id() {
        for channel in [RELIABLE, UNRELIABLE] {
            while let Some(bytes) = server.receive_message(client, channel) {
                let Some(message) = decode::<ToHost>(&bytes) else {
                    warn!("a message that does not decode was dropped");
                    continue;
                };
                match message {
                    ToHost::Hello(hello) if hello.console.is_some() => {
                        let given = JoinCode::parse(hello.console.as_deref().unwrap_or_default());
                        if given.as_ref() != Ok(&setup.console_code) || hello.story != setup.story {
                            let reason = if hello.story != setup.story {
                                "your story is not the host's: give the same story folder with --story"
                            } else {
                                "the console code is not this session's: give the one the host printed"
                            };
                            eprintln!("a console was refused: {reason}");
                            send_to(
                                &mut server,
                                client,
                                RELIABLE,
                                &ToParticipant::Refused(reason.into()),
                            );
                            participants.refused.push((client, REFUSE_AFTER_FRAMES));
                            continue;
                        }
                        eprintln!("the facilitator's console joined");
                        participants.note(
                            session.as_deref_mut(),
                            "the facilitator's console joined from another machine".into(),
                        );
                        let welcome = Welcome {
                            name: hello.name.trim().to_owned(),
                            colour: HOST_COLOUR,
                            slot: u8::MAX,
                        };
                        participants.consoles.push(client);
                        let in_now = (client, welcome, hello.mirrors);
                        welcome_in(&mut server, in_now, (&sent, &sent_inputs), participants);
                    }
                    ToHost::Hello(hello) => {
                        let back = participants.roster.was_away(&hello.name);
                        match participants.roster.hello(client, &hello, &setup.story) {
                            Ok(welcome) => {
                                participants.away_poses.retain(|(n, _)| *n != welcome.name);
                                let joined = if back { "rejoined" } else { "joined" };
                                eprintln!("`{}` {joined} the session", welcome.name);
                                if let Some(note) =
                                    crate::join::not_addressed(&setup.addressed, &welcome.name)
                                {
                                    eprintln!("note: {note}");
                                }
                                participants.note(
                                    session.as_deref_mut(),
                                    format!("participant `{}` {joined}", welcome.name),
                                );
                                let in_now = (client, welcome, hello.mirrors);
                                welcome_in(
                                    &mut server,
                                    in_now,
                                    (&sent, &sent_inputs),
                                    participants,
                                );
                            }
                            Err(reason) => {
                                eprintln!("a participant was refused: {reason}");
                                send_to(
                                    &mut server,
                                    client,
                                    RELIABLE,
                                    &ToParticipant::Refused(reason),
                                );
                                participants.refused.push((client, REFUSE_AFTER_FRAMES));
                            }
                        }
                    }
                    ToHost::Act(event) => {
                        let Some(name) = participants.roster.name_of(client) else {
                            warn!("an act from a client that was not let in was dropped");
                            continue;
                        };
                        let Some(s) = session.as_deref_mut() else {
                            continue;
                        };
                        if !participant_may_send(s.story(), &event) {
                            warn!("`{name}` sent an event a participant cannot cause: dropped");
                            continue;
                        }
                        reports.write(ParticipantReported {
                            by: name.to_owned(),
                            event,
                        });
                    }
                    ToHost::Console(input) => {
                        if !participants.consoles.contains(&client) {
                            warn!(
                                "a console's request from a client that is not the console was dropped"
                            );
                            continue;
                        }
                        let Some(s) = session.as_deref_mut() else {
                            continue;
                        };
                        if !crate::console::console_may_send(s.story(), &input) {
                            warn!(
                                "the console asked for something the story does not have: dropped"
                            );
                            continue;
                        }
                        match input {
                            ConsoleInput::Operator(cmd) => {
                                operator.write(OperatorRequest(cmd));
                            }
                            ConsoleInput::Event(event) => {
                                console_events.write(ReportStoryEvent(event));
                            }
                        }
                    }
                    ToHost::Pose(pose) => {
                        if participants.roster.name_of(client).is_some() && pose.is_finite() {
                            participants.poses.retain(|(c, _)| *c != client);
                            participants.poses.push((client, pose));
                        }
                    }
                }
            }
        }
    }
}

/// `client` is in (a participant or a console): welcomed, then sent the story so far,
/// in order, before this frame's cues: every batch of cues, and (to a stage that
/// mirrors) every input.
fn welcome_in(
    server: &mut RenetServer,
    (client, welcome, mirrors): (ClientId, Welcome, bool),
    (sent, sent_inputs): (&SentCues, &SentInputs),
    participants: &mut Participants,
) {
    send_to(server, client, RELIABLE, &ToParticipant::Welcome(welcome));
    for (at, cues) in &sent.0 {
        let batch = ToParticipant::Cues {
            at: *at,
            cues: cues.clone(),
        };
        send_to(server, client, RELIABLE, &batch);
    }
    if mirrors {
        participants.mirrors.push(client);
        for chunk in sent_inputs.0.chunks(INPUTS_PER_MESSAGE) {
            let batch = ToParticipant::Inputs(chunk.to_vec());
            send_to(server, client, RELIABLE, &batch);
        }
    }
}

/// The frame's cues (in order), the clock and everyone's presence, to everyone in.
#[allow(clippy::too_many_arguments)]
fn send(
    mut issued: MessageReader<CueIssued>,
    mut session: Option<ResMut<StorySession>>,
    participants: Res<Participants>,
    mut server: ResMut<RenetServer>,
    (mut sent, mut sent_inputs): (ResMut<SentCues>, ResMut<SentInputs>),
    (mut here, own_pose): (ResMut<Presences>, Res<OwnPose>),
    mut frames: Local<u32>,
) {
    let batch: Vec<_> = issued.read().map(|c| c.0.clone()).collect();
    let at = session
        .as_ref()
        .map_or(0.0, |s| s.session.director.session_time());
    if !batch.is_empty() {
        sent.0.push((at, batch.clone()));
    }
    let inputs = session
        .as_deref_mut()
        .map(|s| s.session.take_shared_inputs())
        .unwrap_or_default();
    sent_inputs.0.extend(inputs.iter().cloned());
    // The host's window shows everyone too.
    here.0 = participants.presences(own_pose.0);
    *frames += 1;
    // Presences a few times a second: people move slowly.
    let presences = frames
        .is_multiple_of(9)
        .then(|| ToParticipant::Presences(here.0.clone()));
    for client in participants.clients_in() {
        if !batch.is_empty() {
            let cues = ToParticipant::Cues {
                at,
                cues: batch.clone(),
            };
            send_to(&mut server, client, RELIABLE, &cues);
        }
        if !inputs.is_empty() && participants.mirrors.contains(&client) {
            send_to(
                &mut server,
                client,
                RELIABLE,
                &ToParticipant::Inputs(inputs.clone()),
            );
        }
        if session.is_some() {
            send_to(&mut server, client, UNRELIABLE, &ToParticipant::Clock(at));
        }
        if let Some(p) = &presences {
            send_to(&mut server, client, UNRELIABLE, p);
        }
    }
}

/// The app is exiting (a signal, the console's stop) before the story's end: every
/// participant is told, in the packets of this very frame.
fn goodbye_on_exit(
    exit: MessageReader<AppExit>,
    participants: Res<Participants>,
    session: Option<Res<StorySession>>,
    mut server: ResMut<RenetServer>,
    mut said: Local<bool>,
) {
    if exit.is_empty() || *said {
        return;
    }
    *said = true;
    if session.is_some_and(|s| s.session.director.is_ended()) {
        return;
    }
    for client in participants.clients_in() {
        send_to(
            &mut server,
            client,
            RELIABLE,
            &ToParticipant::Goodbye("the host stopped the session".into()),
        );
    }
}

/// A participant who leaves is noted; the others go on. They may rejoin under
/// their name (see [`SentCues`]).
fn connections(
    event: On<RenetServerEvent>,
    mut participants: ResMut<Participants>,
    mut session: Option<ResMut<StorySession>>,
    mut reports: MessageWriter<ParticipantReported>,
) {
    let ServerEvent::ClientDisconnected { client_id, reason } = &event.0 else {
        return;
    };
    if participants.consoles.contains(client_id) {
        eprintln!("the facilitator's console left ({reason})");
    }
    if let Some(name) = participants.lost(*client_id) {
        // Who leaves holding her hand lets go of it.
        let held = session
            .as_deref()
            .is_some_and(|s| s.session.director.hand_holder() == Some(name.as_str()));
        if held {
            reports.write(ParticipantReported {
                by: name.clone(),
                event: reunion_story::director::StoryEvent::HandReleased,
            });
        }
        eprintln!("`{name}` left the session ({reason})");
        if let Some(s) = session.as_deref_mut() {
            s.session
                .note(&format!("participant `{name}` left ({reason})"));
        }
    }
}

/// A headless host: the stage on simulated time (`1/hz` per update, as
/// `reunion play --headless`), with nobody acting on this machine; the story begins
/// once `expect` participants are in. Returns the app and the address it listens on.
pub fn headless_host(
    config: StageConfig,
    folder: &std::path::Path,
    addr: SocketAddr,
    code: &JoinCode,
    expect: usize,
    hz: f32,
) -> Result<(App, SocketAddr), String> {
    let socket = UdpSocket::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    headless_host_on(config, folder, socket, &[], code, expect, hz)
}

/// [`headless_host`] on a socket already bound, also answering participants who dial
/// one of `also_dialled` (see [`listen_on`]).
pub fn headless_host_on(
    config: StageConfig,
    folder: &std::path::Path,
    socket: UdpSocket,
    also_dialled: &[SocketAddr],
    code: &JoinCode,
    expect: usize,
    hz: f32,
) -> Result<(App, SocketAddr), String> {
    let mut app = reunion_stage::headless::headless_app(folder, config, hz, false);
    let bound = host_in(&mut app, folder, socket, also_dialled, code, expect)?;
    Ok((app, bound))
}

/// Makes `app` (a stage: headless, or a window) the host of its story, listening on
/// `socket` (and answering who dials one of `also_dialled`, see [`listen_on`]); the
/// story begins once `expect` participants are in. Returns the address participants
/// dial.
pub fn host_in(
    app: &mut App,
    folder: &std::path::Path,
    socket: UdpSocket,
    also_dialled: &[SocketAddr],
    code: &JoinCode,
    expect: usize,
) -> Result<SocketAddr, String> {
    let story = crate::content::story_hash(folder)
        .map_err(|e| format!("cannot read the story folder {}: {e}", folder.display()))?;
    let addressed = reunion_story::load::load_dir(folder)
        .story
        .map(|s| s.participants)
        .unwrap_or_default();
    if !addressed.is_empty() {
        eprintln!(
            "the story addresses {} by name: each joins with --as and their name",
            addressed.join(", ")
        );
    }
    let addr = socket
        .local_addr()
        .map_err(|e| format!("the host's socket has no address: {e}"))?;
    let console_code =
        JoinCode::generate().map_err(|e| format!("no randomness for a console code: {e}"))?;
    let transport = listen_on(socket, also_dialled, code)
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = transport.addresses().first().copied().unwrap_or(addr);
    app.add_plugins(HostPlugin)
        .insert_resource(HostSetup {
            story,
            expect,
            addressed,
            console_code,
        })
        .insert_resource(RenetServer::new(crate::protocol::connection_config()))
        .insert_resource(transport);
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Hello;

    fn hello(name: &str) -> Hello {
        Hello {
            name: name.into(),
            story: [7; 32],
            mirrors: true,
            console: None,
        }
    }

    #[test]
    fn a_participant_who_is_lost_is_held_where_they_were_until_they_rejoin() {
        let mut p = Participants::with_host("grandma");
        p.roster.hello(1, &hello("mother"), &[7; 32]).expect("in");
        p.roster.hello(2, &hello("father"), &[7; 32]).expect("in");
        let by_the_tree = Pose {
            head: [2.0, 1.6, -1.0],
            ..Pose::STANDING
        };
        p.poses.push((2, by_the_tree));
        let away = |p: &Participants| {
            p.presences(None)
                .into_iter()
                .map(|x| (x.name, x.away))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            away(&p),
            [
                ("grandma".into(), false),
                ("mother".into(), false),
                ("father".into(), false)
            ]
        );
        assert_eq!(p.lost(2), Some("father".into()));
        assert_eq!(
            away(&p),
            [
                ("grandma".into(), false),
                ("mother".into(), false),
                ("father".into(), true)
            ]
        );
        let father = p.presences(None).pop().expect("father");
        assert_eq!(father.pose, by_the_tree, "where he last was");
        // A console leaving is nobody's absence.
        p.consoles.push(9);
        assert_eq!(p.lost(9), None);
        assert_eq!(p.presences(None).len(), 3);
        // Back on a new connection: here again, once.
        p.roster.hello(3, &hello("father"), &[7; 32]).expect("back");
        assert_eq!(
            away(&p),
            [
                ("grandma".into(), false),
                ("mother".into(), false),
                ("father".into(), false)
            ]
        );
    }
}
