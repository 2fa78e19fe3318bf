//! The facilitator's tablet: the operator console as a web page, served by the
//! running app to any browser on the local network that has the access code.
//!
//! | part | does |
//! | --- | --- |
//! | [`WebConsoleServer`] (`server.rs`) | a small HTTP server (`tiny_http`) on its own threads; started before the app so a taken port is a clear error |
//! | [`protocol`] | the requests and answers as a pure function ([`protocol::route`]) |
//! | [`snapshot`] | what the page shows, as plain data from the story and the director |
//! | [`access`] | the one-time access code and its QR code |
//! | [`WebConsolePlugin`] | thin: each frame, the actions from the page become [`ConsoleAction`] messages for the one dispatch ([`WebConsoleSystems::Receive`], before it in `StageSystems::Input`), and the state is published when it changed ([`WebConsoleSystems::Publish`], after the director) |
//!
//! Why a server of our own rather than `bevy_remote`: the page needs a few fixed
//! answers (its files, the state, an action), an access code on every request, a cap
//! on body sizes and long polling; `bevy_remote` exposes the whole world by JSON-RPC
//! to anyone who can reach the port, which is the opposite of what a session with a
//! grieving participant may allow, and would make the page learn our components'
//! reflection paths. docs/tablet.md has the rest.

pub mod access;
pub mod protocol;
mod server;
pub mod snapshot;
mod window;

use std::sync::Arc;

use bevy::prelude::*;
use reunion_audio::microphone::Listening;
use reunion_audio::understanding::Understanding;
use reunion_stage::StageSystems;
use reunion_stage::session::{OperatorRequest, ParticipantActed, StoryProblems, StorySession};
use reunion_story::story::Story;

pub use server::WebConsoleServer;

use crate::conversation::Conversation;
use crate::dispatch::{ConsoleAction, VolumeChannel, dispatch_console_actions};
use crate::{Volumes, describe};
use snapshot::{Catalog, Happenings, Observed, Snapshot, Status};

/// The web console: serves `server`'s page from this app. See the module docs.
pub struct WebConsolePlugin {
    pub server: WebConsoleServer,
}

/// The web console's systems.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebConsoleSystems {
    /// The page's actions become [`ConsoleAction`]s (in `StageSystems::Input`).
    Receive,
    /// The state goes to the pages when it changed (after `StageSystems::Director`).
    Publish,
}

/// The running web console, for the window's QR code.
#[derive(Resource, Clone)]
pub struct WebConsole(pub WebConsoleServer);

impl Plugin for WebConsolePlugin {
    fn build(&self, app: &mut App) {
        crate::plugin_headless(app);
        app.insert_resource(WebConsole(self.server.clone()))
            .init_resource::<Published>()
            .configure_sets(
                Update,
                (
                    WebConsoleSystems::Receive
                        .in_set(StageSystems::Input)
                        .before(dispatch_console_actions),
                    WebConsoleSystems::Publish.after(StageSystems::Director),
                ),
            )
            .add_systems(
                Update,
                (
                    receive_web_actions.in_set(WebConsoleSystems::Receive),
                    publish_web_state.in_set(WebConsoleSystems::Publish),
                ),
            );
        if app.is_plugin_added::<bevy_egui::EguiPlugin>() {
            window::plugin(app);
        }
    }
}

/// Writes the page's actions as console actions, for the one dispatch.
fn receive_web_actions(web: Res<WebConsole>, mut actions: MessageWriter<ConsoleAction>) {
    for action in web.0.shared.take_actions() {
        actions.write(action);
    }
}

/// What was last sent to the pages.
#[derive(Resource, Default)]
struct Published {
    version: u64,
    story: Option<Arc<Story>>,
    catalog: Option<Arc<Catalog>>,
    status: Option<Status>,
    observed: Option<Observed>,
    happenings: Happenings,
    rest: Option<Rest>,
}

/// The parts of the state besides the story's.
#[derive(Clone, PartialEq)]
struct Rest {
    volumes: Vec<(&'static str, f32)>,
    problems: Option<String>,
    warnings: Option<String>,
    microphone: Option<String>,
    speech: Option<String>,
    heard: Vec<String>,
    pending: Option<String>,
    resume_offer: Option<String>,
}

/// Sends the state to the pages when anything they show changed.
fn publish_web_state(
    web: Res<WebConsole>,
    mut published: ResMut<Published>,
    session: Option<Res<StorySession>>,
    volumes: Option<Res<Volumes>>,
    problems: Option<Res<StoryProblems>>,
    listening: Option<Res<Listening>>,
    understanding: Option<Res<Understanding>>,
    conversation: Option<Res<Conversation>>,
    offer: Option<Res<crate::ResumeOffer>>,
    mut operator: MessageReader<OperatorRequest>,
    mut acted: MessageReader<ParticipantActed>,
) {
    let published = &mut *published;
    let mut changed = false;
    let mut told: Vec<String> = Vec::new();
    if let Some(s) = session.as_deref() {
        let story = s.story();
        if published
            .story
            .as_ref()
            .is_none_or(|old| !Arc::ptr_eq(old, story))
        {
            published.story = Some(Arc::clone(story));
            published.catalog = Some(Arc::new(Catalog::of(story)));
            changed = true;
        }
        let director = &s.session.director;
        for OperatorRequest(cmd) in operator.read() {
            told.push(snapshot::operator_words(story, cmd));
        }
        for ParticipantActed(action) in acted.read() {
            told.push(snapshot::act_words(action));
        }
        let now = Observed::of(director, &s.session.transcript);
        if let Some(before) = &published.observed
            && *before != now
        {
            told.extend(snapshot::changes(
                story,
                s.lang,
                before,
                &now,
                &s.session.transcript,
            ));
        }
        published.observed = Some(now);
        let status = Status::of(director, s.lang);
        if published.status.as_ref() != Some(&status) {
            published.status = Some(status);
            changed = true;
        }
        let at = describe::clock(director.session_time());
        for text in told.drain(..) {
            published.happenings.push(at.clone(), text);
            changed = true;
        }
    }
    let rest = Rest {
        volumes: volumes.as_deref().map_or_else(Vec::new, |v| {
            VolumeChannel::ALL
                .into_iter()
                .map(|c| (c.name(), c.level(v)))
                .collect()
        }),
        problems: problems.as_deref().and_then(|p| p.errors.clone()),
        warnings: problems.as_deref().and_then(|p| p.warnings.clone()),
        microphone: listening.as_deref().map(|l| match l {
            Listening::Off => "off (the participant is played for)".to_owned(),
            Listening::On(device) => format!("listening through {device}"),
            Listening::Unavailable(why) => format!("none: {why}"),
        }),
        speech: understanding
            .as_deref()
            .and_then(Understanding::console_line),
        heard: conversation
            .as_deref()
            .map_or_else(Vec::new, |c| c.heard.clone()),
        pending: conversation
            .as_deref()
            .zip(session.as_deref())
            .and_then(|(c, s)| c.pending_words(s.story(), s.lang)),
        resume_offer: offer.as_deref().map(|o| o.summary.clone()),
    };
    if published.rest.as_ref() != Some(&rest) {
        published.rest = Some(rest);
        changed = true;
    }
    if !changed {
        return;
    }
    published.version += 1;
    let rest = published.rest.as_ref();
    let snapshot = Snapshot {
        version: published.version,
        catalog: published.catalog.as_deref(),
        status: published.status.as_ref(),
        volumes: rest.map_or_else(Vec::new, |r| r.volumes.clone()),
        happenings: published.happenings.list().collect(),
        problems: rest.and_then(|r| r.problems.clone()),
        warnings: rest.and_then(|r| r.warnings.clone()),
        microphone: rest.and_then(|r| r.microphone.clone()),
        speech: rest.and_then(|r| r.speech.clone()),
        heard: rest.map_or_else(Vec::new, |r| r.heard.clone()),
        pending: rest.and_then(|r| r.pending.clone()),
        resume_offer: rest.and_then(|r| r.resume_offer.clone()),
    };
    match serde_json::to_string(&snapshot) {
        Ok(json) => web
            .0
            .shared
            .publish(published.version, json, published.catalog.clone()),
        Err(e) => error!("the web console's state could not be written: {e}"),
    }
}
