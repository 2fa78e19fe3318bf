//! What goes over the network: the messages each way, as JSON on renet's channels.
//!
//! Participant → host ([`ToHost`]): the hello, the story events its participant caused,
//! its head and hands. Host → participant ([`ToParticipant`]): welcome or refusal, the
//! director's cues in order, the story clock, and everyone's presence. Reliable,
//! ordered messages go on [`RELIABLE`]; the clock and poses, sent often and soon
//! stale, on [`UNRELIABLE`]. A message that does not decode is dropped, never trusted.

use reunion_story::director::{Cue, Input, OperatorCommand, StoryEvent};
use serde::{Deserialize, Serialize};

/// The netcode protocol's id: a build with another protocol is refused at connect.
pub const PROTOCOL_ID: u64 = 0x7265_756e_696f_6e01;

/// renet's default reliable, ordered channel (`DefaultChannel::ReliableOrdered`).
pub const RELIABLE: u8 = 2;
/// renet's default unreliable channel (`DefaultChannel::Unreliable`).
pub const UNRELIABLE: u8 = 0;

/// A participant introduces itself.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Hello {
    /// The participant's name in the session (`--as mother`).
    pub name: String,
    /// The participant's story's content hash ([`crate::content::story_hash`]).
    pub story: [u8; 32],
    /// Whether the participant's stage mirrors the host's session (a window): it is
    /// sent the director's inputs too. A headless participant follows the cues only.
    #[serde(default)]
    pub mirrors: bool,
    /// The console code the host printed: this is the facilitator's console on a
    /// machine of its own (`reunion console`), not a participant.
    #[serde(default)]
    pub console: Option<String>,
}

/// The host lets the participant in.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Welcome {
    pub name: String,
    /// The participant's colour (sRGB, 0 to 1): its presence in the others' views.
    pub colour: [f32; 3],
    /// Where the participant stands among the others when a place begins
    /// (`reunion_stage::presence::slot_stand`): 0 on the start mark.
    pub slot: u8,
}

/// The participant's head and hands, in the place's frame (metres: x, y, z).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct Pose {
    pub head: [f32; 3],
    pub hands: [[f32; 3]; 2],
}

impl Pose {
    /// Someone standing at the place's start, hands at rest.
    pub const STANDING: Pose = Pose {
        head: [0.0, 1.6, 0.0],
        hands: [[-0.25, 1.0, -0.2], [0.25, 1.0, -0.2]],
    };

    /// Whether every coordinate is a finite number (a client's pose is not trusted).
    pub fn is_finite(&self) -> bool {
        self.head
            .iter()
            .chain(self.hands.iter().flatten())
            .all(|v| v.is_finite())
    }
}

/// One participant as the others see them: a soft head and two hands in a colour.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Presence {
    pub name: String,
    pub colour: [f32; 3],
    pub pose: Pose,
    /// Their connection was lost: held where they last were, faded, until they rejoin.
    #[serde(default)]
    pub away: bool,
}

/// From a participant to the host.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum ToHost {
    Hello(Hello),
    /// A story event the participant caused (took her hand, placed a candle, spoke).
    Act(StoryEvent),
    Pose(Pose),
    /// From the facilitator's console on a machine of its own (only a client that
    /// said hello with the console code is heard).
    Console(ConsoleInput),
}

/// What the facilitator's console on another machine asks of the host's director: a
/// command (hold, skip, jump, end gently, stop now, an answer), or an event as the
/// console's buttons cause it locally (an operator cue, an act for a participant who
/// cannot).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum ConsoleInput {
    Operator(OperatorCommand),
    Event(StoryEvent),
}

/// From the host to a participant.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum ToParticipant {
    Welcome(Welcome),
    /// Turned away, and why.
    Refused(String),
    /// The director's cues of one host frame, at the story time they were issued.
    Cues {
        at: f64,
        cues: Vec<Cue>,
    },
    /// The director's inputs of one host frame (or, catching up, of many), in order:
    /// a participant's window mirrors the host's session with them
    /// (`reunion_stage::mirror`).
    Inputs(Vec<Input>),
    /// The host's session time.
    Clock(f64),
    /// Everyone in the session, as they are now.
    Presences(Vec<Presence>),
    /// The host is ending the session before the story's end (its facilitator stopped
    /// it, or it was told to quit), and why: each participant's session ends gently.
    Goodbye(String),
}

/// The colours participants get, in the order they join: soft and far apart.
pub const COLOURS: [[f32; 3]; 6] = [
    [0.95, 0.62, 0.45],
    [0.45, 0.70, 0.95],
    [0.60, 0.85, 0.50],
    [0.85, 0.55, 0.85],
    [0.95, 0.85, 0.40],
    [0.50, 0.85, 0.85],
];

/// The colour of a host who takes part (its window): a warm white, apart from the
/// participants'.
pub const HOST_COLOUR: [f32; 3] = [0.93, 0.90, 0.82];

/// What a reliable channel may hold unacknowledged before renet drops the connection:
/// a window that joins late is sent the whole session's inputs and cues at once (a
/// 40-minute session, the longest the safety limit allows, is about 5 MB of them).
pub const RELIABLE_MEMORY: usize = 32 * 1024 * 1024;

/// renet's channels as reunion uses them (its defaults, with room on the reliable
/// one for catching up); host and participants use the same.
pub fn connection_config() -> bevy_renet::renet::ConnectionConfig {
    let mut config = bevy_renet::renet::ConnectionConfig::default();
    for channel in config
        .server_channels_config
        .iter_mut()
        .chain(config.client_channels_config.iter_mut())
    {
        if channel.channel_id == RELIABLE {
            channel.max_memory_usage_bytes = RELIABLE_MEMORY;
        }
    }
    config
}

/// A message as bytes.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    serde_json::to_vec(message).unwrap_or_default()
}

/// Bytes as a message; `None` for anything that is not one.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    serde_json::from_slice(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_go_and_come_back_the_same_and_garbage_is_dropped() {
        let to_host = ToHost::Hello(Hello {
            name: "mother".into(),
            story: [3; 32],
            mirrors: true,
            console: None,
        });
        assert_eq!(decode::<ToHost>(&encode(&to_host)), Some(to_host));
        let skip = ToHost::Console(ConsoleInput::Operator(OperatorCommand::SkipLine));
        assert_eq!(decode::<ToHost>(&encode(&skip)), Some(skip));
        let to_p = ToParticipant::Cues {
            at: 1.5,
            cues: vec![Cue::Held, Cue::Resumed],
        };
        assert_eq!(decode::<ToParticipant>(&encode(&to_p)), Some(to_p));
        let inputs = ToParticipant::Inputs(vec![
            Input::Tick(1.0 / 90.0),
            Input::Event(StoryEvent::HandReleased),
        ]);
        assert_eq!(decode::<ToParticipant>(&encode(&inputs)), Some(inputs));
        assert_eq!(decode::<ToHost>(b"\xff\x00not json"), None);
        assert_eq!(
            decode::<ToHost>(br#"{"Act":{"HandHeld":99999999999}}"#),
            None
        );
    }

    #[test]
    fn the_channels_are_renets_defaults() {
        use bevy_renet::renet::DefaultChannel;
        assert_eq!(RELIABLE, u8::from(DefaultChannel::ReliableOrdered));
        assert_eq!(UNRELIABLE, u8::from(DefaultChannel::Unreliable));
    }

    #[test]
    fn the_reliable_channel_has_room_for_a_whole_session_both_ways() {
        let c = connection_config();
        for channels in [&c.server_channels_config, &c.client_channels_config] {
            let reliable = channels
                .iter()
                .find(|ch| ch.channel_id == RELIABLE)
                .expect("the reliable ordered channel");
            assert_eq!(reliable.max_memory_usage_bytes, RELIABLE_MEMORY);
            assert_eq!(channels.len(), 3, "renet's three default channels");
        }
    }

    #[test]
    fn a_pose_with_a_nan_is_not_finite() {
        assert!(Pose::STANDING.is_finite());
        let mut p = Pose::STANDING;
        p.hands[1][2] = f32::NAN;
        assert!(!p.is_finite());
    }
}
