//! From console buttons to the messages the director reads.
//!
//! The console window writes [`ConsoleAction`]s and nothing else that touches the
//! story. [`ConsoleAction::effect`] says, as a pure function, what each one means;
//! [`dispatch_console_actions`] carries it out by writing the very messages the keys
//! and the tests write, so the console cannot do anything the keys could not (but one
//! thing: resuming the last session when it is offered at start-up, `resume_offer.rs`).

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use reunion_audio::Volumes;
use reunion_stage::StageSystems;
use reunion_stage::config::{ResumeFrom, StageConfig};
use reunion_stage::session::{
    NewSession, OperatorRequest, ParticipantActed, ReportStoryEvent, StorySession,
};
use reunion_story::director::{OperatorCommand, StoryEvent};
use reunion_story::participant::ParticipantAction;
use reunion_story::story::{AnswerId, IntentId, LangId, NodeId};

use crate::resume_offer::ResumeOffer;

pub(crate) fn plugin(app: &mut App) {
    // Registering a message twice is harmless; these make the dispatch work even in
    // an app without the stage (a test of the console alone).
    app.add_message::<ConsoleAction>()
        .add_message::<OperatorRequest>()
        .add_message::<ParticipantActed>()
        .add_message::<ReportStoryEvent>()
        .add_message::<NewSession>()
        .add_systems(Update, dispatch_console_actions.in_set(StageSystems::Input));
}

/// One thing the operator asked for on the console.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum ConsoleAction {
    /// Freeze the story clock.
    Hold,
    /// Let it run again.
    Resume,
    /// Say the last line again.
    Repeat,
    /// Finish what is happening now and go on.
    Skip,
    /// Go to the story's ending.
    EndGently,
    /// Fade to the calm place at once and hold.
    StopNow,
    /// Go straight to a node.
    JumpTo(NodeId),
    /// Act for the participant.
    Act(ParticipantAction),
    /// Fire the story's operator cue of this name.
    OperatorCue(String),
    /// Show subtitles in this language.
    Language(LangId),
    /// Set one of the [`Volumes`] (0..=1; anything else is clamped, NaN ignored).
    SetVolume(VolumeChannel, f32),
    /// She says this answer now (after the line she is saying, if any).
    SayAnswer(AnswerId),
    /// The participant said this intent's words, as the facilitator heard them.
    DeclareHeard(IntentId),
    /// The answer waiting for confirmation is said.
    ConfirmAnswer,
    /// The answer waiting for confirmation is not said.
    DismissAnswer,
    /// The session offered at start-up ([`ResumeOffer`]) goes on instead of this one.
    ResumeLastSession,
    /// The offer to resume the last session is put away.
    DismissResumeOffer,
}

/// One of the [`Volumes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeChannel {
    Master,
    Voice,
    Music,
    Ambience,
    Effects,
}

impl VolumeChannel {
    /// Every channel, in the order the console shows them.
    pub const ALL: [VolumeChannel; 5] = [
        VolumeChannel::Master,
        VolumeChannel::Voice,
        VolumeChannel::Music,
        VolumeChannel::Ambience,
        VolumeChannel::Effects,
    ];

    /// Its name: "master", "voice", "music", "ambience", "effects".
    pub fn name(self) -> &'static str {
        match self {
            VolumeChannel::Master => "master",
            VolumeChannel::Voice => "voice",
            VolumeChannel::Music => "music",
            VolumeChannel::Ambience => "ambience",
            VolumeChannel::Effects => "effects",
        }
    }

    /// Its level in `volumes`.
    pub fn level(self, volumes: &Volumes) -> f32 {
        match self {
            VolumeChannel::Master => volumes.master,
            VolumeChannel::Voice => volumes.voice,
            VolumeChannel::Music => volumes.music,
            VolumeChannel::Ambience => volumes.ambience,
            VolumeChannel::Effects => volumes.effects,
        }
    }

    /// Sets its level in `volumes`, clamped to 0..=1; NaN changes nothing.
    pub fn set(self, volumes: &mut Volumes, level: f32) {
        if level.is_nan() {
            return;
        }
        let level = level.clamp(0.0, 1.0);
        let slot = match self {
            VolumeChannel::Master => &mut volumes.master,
            VolumeChannel::Voice => &mut volumes.voice,
            VolumeChannel::Music => &mut volumes.music,
            VolumeChannel::Ambience => &mut volumes.ambience,
            VolumeChannel::Effects => &mut volumes.effects,
        };
        *slot = level;
    }
}

/// What a [`ConsoleAction`] becomes.
#[derive(Clone, Debug, PartialEq)]
pub enum ConsoleEffect {
    /// An [`OperatorRequest`].
    Operator(OperatorCommand),
    /// A [`ParticipantActed`].
    Participant(ParticipantAction),
    /// A [`ReportStoryEvent`].
    Story(StoryEvent),
    /// `StorySession.lang` set to this language.
    Language(LangId),
    /// One of the [`Volumes`] set.
    Volume(VolumeChannel, f32),
    /// A [`NewSession`] resuming the [`ResumeOffer`]'s session, and the offer gone.
    ResumeOffered,
    /// The [`ResumeOffer`] gone.
    DismissOffer,
}

impl ConsoleAction {
    /// What this action does: a pure translation, the same for every frame and app.
    pub fn effect(self) -> ConsoleEffect {
        match self {
            ConsoleAction::Hold => ConsoleEffect::Operator(OperatorCommand::Hold),
            ConsoleAction::Resume => ConsoleEffect::Operator(OperatorCommand::Resume),
            ConsoleAction::Repeat => ConsoleEffect::Operator(OperatorCommand::RepeatLine),
            ConsoleAction::Skip => ConsoleEffect::Operator(OperatorCommand::SkipLine),
            ConsoleAction::EndGently => ConsoleEffect::Operator(OperatorCommand::EndGently),
            ConsoleAction::StopNow => ConsoleEffect::Operator(OperatorCommand::StopNow),
            ConsoleAction::JumpTo(node) => ConsoleEffect::Operator(OperatorCommand::JumpTo(node)),
            ConsoleAction::Act(action) => ConsoleEffect::Participant(action),
            ConsoleAction::OperatorCue(name) => ConsoleEffect::Story(StoryEvent::OperatorCue(name)),
            ConsoleAction::Language(lang) => ConsoleEffect::Language(lang),
            ConsoleAction::SetVolume(channel, level) => ConsoleEffect::Volume(channel, level),
            ConsoleAction::SayAnswer(a) => ConsoleEffect::Operator(OperatorCommand::SayAnswer(a)),
            ConsoleAction::DeclareHeard(i) => {
                ConsoleEffect::Operator(OperatorCommand::DeclareHeard(i))
            }
            ConsoleAction::ConfirmAnswer => ConsoleEffect::Operator(OperatorCommand::ConfirmAnswer),
            ConsoleAction::DismissAnswer => ConsoleEffect::Operator(OperatorCommand::DismissAnswer),
            ConsoleAction::ResumeLastSession => ConsoleEffect::ResumeOffered,
            ConsoleAction::DismissResumeOffer => ConsoleEffect::DismissOffer,
        }
    }
}

/// Turns the console's actions into operator requests, participant actions, story
/// events, the subtitle language and the volumes. Runs in [`StageSystems::Input`], before the
/// director reads them in the same frame.
pub fn dispatch_console_actions(
    mut actions: MessageReader<ConsoleAction>,
    mut session: Option<ResMut<StorySession>>,
    mut operator: MessageWriter<OperatorRequest>,
    mut acted: MessageWriter<ParticipantActed>,
    mut reported: MessageWriter<ReportStoryEvent>,
    mut volumes: Option<ResMut<Volumes>>,
    mut offer: Offer,
) {
    for action in actions.read() {
        match action.clone().effect() {
            ConsoleEffect::Operator(cmd) => {
                operator.write(OperatorRequest(cmd));
            }
            ConsoleEffect::Participant(action) => {
                acted.write(ParticipantActed(action));
            }
            ConsoleEffect::Story(event) => {
                reported.write(ReportStoryEvent(event));
            }
            ConsoleEffect::Language(lang) => match session.as_mut() {
                Some(s) if lang.index() < s.story().languages.len() => {
                    if s.lang != lang {
                        s.lang = lang;
                    }
                }
                Some(s) => warn!(
                    "the console asked for language {} but the story has only {}",
                    lang.index(),
                    s.story().languages.len()
                ),
                None => warn!("the console asked for a language before the story loaded"),
            },
            ConsoleEffect::Volume(channel, level) => match volumes.as_mut() {
                Some(v) => {
                    let mut next = **v;
                    channel.set(&mut next, level);
                    v.set_if_neq(next);
                }
                None => warn!("the console set a volume but there is no sound"),
            },
            ConsoleEffect::ResumeOffered => offer.resume(),
            ConsoleEffect::DismissOffer => offer.dismiss(),
        }
    }
}

/// What resuming the offered session needs.
#[derive(SystemParam)]
pub struct Offer<'w, 's> {
    commands: Commands<'w, 's>,
    offer: Option<Res<'w, ResumeOffer>>,
    config: Option<ResMut<'w, StageConfig>>,
    new_session: MessageWriter<'w, NewSession>,
}

impl Offer<'_, '_> {
    /// The session that began at start-up ends; the offered one goes on.
    fn resume(&mut self) {
        let Some(offer) = self.offer.as_deref() else {
            warn!("the console asked to resume the last session, but none is offered");
            return;
        };
        info!("resuming the last session, {}", offer.log.display());
        if let Some(config) = self.config.as_mut() {
            config.log = Some(offer.log.clone());
            if offer.language.is_some() {
                config.lang = offer.language.clone();
            }
        }
        self.new_session.write(NewSession {
            resume: Some(ResumeFrom {
                log: offer.log.clone(),
                inputs: offer.inputs.clone(),
            }),
        });
        self.commands.remove_resource::<ResumeOffer>();
    }

    fn dismiss(&mut self) {
        self.commands.remove_resource::<ResumeOffer>();
    }
}
