//! # reunion_net
//!
//! The family together: one machine hosts the story and its director, participants on
//! other machines join it (docs/network.md). Built on renet (`bevy_renet`): its
//! channels carry our messages, its netcode transport encrypts and authenticates every
//! packet with a key derived from the host's join code.
//!
//! | module | what |
//! | --- | --- |
//! | [`code`] | the join code and the transport key derived from it |
//! | [`content`] | the story folder's content hash (both machines play the same story) |
//! | [`protocol`] | the messages each way |
//! | [`roster`] | who the host let in, and what a participant may send (pure) |
//! | [`follower`] | a joined machine's view of the story: cues in, acts out (pure) |
//! | [`host`] | [`host::HostPlugin`]: hellos, acts to the director, cues out |
//! | [`join`] | [`join::JoinPlugin`]: connect, hello, follow, act |
//! | [`console`] | the facilitator's console on a machine of its own: what it may ask, how it joins |
//! | [`presences`] | everyone's presence in a window: the others' soft heads and hands, the strip of names |
//! | [`lossy_link`] | a relay that delays and drops datagrams, for tests and benches |

pub mod code;
pub mod console;
pub mod content;
pub mod follower;
pub mod host;
pub mod join;
pub mod lossy_link;
pub mod presences;
pub mod protocol;
pub mod roster;

/// Exit code of `reunion join` when the host did not answer, refused, or was lost.
pub const EXIT_NO_SESSION: u8 = 6;

/// Exit code of `reunion join` when the host ended the session before the story's end.
pub const EXIT_HOST_ENDED: u8 = 7;
