//! Holding her hand.
//!
//! She offers a hand when the story cues it (`OfferHand`, or again when a lead by
//! the hand was let go). If she stands farther than arm's length, she first walks up
//! to the participant, unhurried. When one of the participant's hands closes (its grip
//! latch, with hysteresis) within [`HOLD_REACH`] of her offered palm, the hands are
//! held: `HandHeld` goes to the director, the controller buzzes, and her hand follows
//! the participant's (the avatar's IK reads [`HandHold`]). Opening that hand, or
//! losing its tracking for longer than the grace, lets go: `HandReleased`. A lead by
//! the hand then pauses; she stops, turns and offers her hand again (the director's
//! `LeadPaused`).

use bevy::prelude::*;
use reunion_stage::components::ActorBody;
use reunion_stage::presence::ParticipantHead;
use reunion_stage::session::{CueIssued, ReportStoryEvent};
use reunion_story::director::{Cue, StoryEvent};
use reunion_story::story::{ActorId, WorldCue};

use crate::grip::GripChange;
use crate::hand_grip::HandGrip;
use crate::model::{HandSide, HapticRequest, ParticipantHand, Tracking};

/// How near her palm a closing hand must be to take it, metres.
pub const HOLD_REACH: f32 = 0.14;
/// She walks up to her mother when offering a hand from farther than this (metres,
/// along the ground from the participant's head)…
pub const APPROACH_FROM: f32 = 1.45;
/// …and stops this far away, within reach.
pub const APPROACH_TO: f32 = 1.2;
/// Her walking speed when she comes closer, m/s: a child's unhurried steps.
pub const APPROACH_SPEED: f32 = 0.55;

/// The palm of the hand she offers, placed on her hand by the avatar.
#[derive(Component, Debug, Clone, Copy)]
pub struct OfferingHand {
    pub actor: ActorId,
}

/// Who holds out a hand now.
#[derive(Resource, Default, Debug, Clone)]
pub struct Offers(pub Vec<ActorId>);

/// Whose hand the participant holds, and with which of hers.
#[derive(Resource, Default, Debug, Clone, Copy)]
pub struct HandHold {
    pub held: Option<Held>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Held {
    pub actor: ActorId,
    /// The participant's hand entity.
    pub hand: Entity,
    pub side: HandSide,
}

impl HandHold {
    /// Whether this participant hand holds someone's.
    pub fn by(&self, hand: Entity) -> bool {
        self.held.is_some_and(|h| h.hand == hand)
    }
}

/// She is walking up to the participant.
#[derive(Component, Debug, Clone, Copy)]
pub struct Approaching;

/// Offers come and go with the story's cues; she walks up when she offers from afar.
pub(crate) fn follow_offers(
    mut commands: Commands,
    mut cues: MessageReader<CueIssued>,
    mut offers: ResMut<Offers>,
    mut hold: ResMut<HandHold>,
    actors: Query<(Entity, &ActorBody, &GlobalTransform)>,
    head: Single<&GlobalTransform, With<ParticipantHead>>,
) {
    for CueIssued(cue) in cues.read() {
        match cue {
            Cue::World(WorldCue::OfferHand(a)) | Cue::LeadPaused(a) => {
                if !offers.0.contains(a) {
                    offers.0.push(*a);
                }
                let far = actors.iter().find(|(_, b, g)| {
                    b.0 == *a
                        && g.translation()
                            .with_y(0.0)
                            .distance(head.translation().with_y(0.0))
                            > APPROACH_FROM
                });
                if let (Some((e, ..)), Cue::World(_)) = (far, cue) {
                    commands.entity(e).insert(Approaching);
                }
            }
            Cue::World(WorldCue::LetGo(a)) => {
                offers.0.retain(|o| o != a);
                // She let go: the stand-in tells the director (it saw the same cue).
                if hold.held.is_some_and(|h| h.actor == *a) {
                    hold.held = None;
                }
            }
            _ => {}
        }
    }
}

/// She walks up to her mother, to arm's length.
pub(crate) fn walk_up(
    mut commands: Commands,
    time: Res<Time>,
    head: Single<&GlobalTransform, With<ParticipantHead>>,
    mut walking: Query<(Entity, &mut Transform), (With<Approaching>, With<ActorBody>)>,
) {
    let goal_of = |from: Vec3| {
        let feet = head.translation().with_y(from.y);
        let away = (from - feet).with_y(0.0).normalize_or(Vec3::NEG_Z);
        feet + away * APPROACH_TO
    };
    for (e, mut t) in &mut walking {
        let goal = goal_of(t.translation);
        let to = goal - t.translation;
        let step = APPROACH_SPEED * time.delta_secs();
        if to.length() <= step {
            t.translation = goal;
            commands.entity(e).remove::<Approaching>();
        } else {
            t.translation += to.normalize() * step;
        }
    }
}

/// Closing a hand at her palm takes it; opening it lets go.
pub(crate) fn hold_hands(
    offers: Res<Offers>,
    mut hold: ResMut<HandHold>,
    palms: Query<(&OfferingHand, &GlobalTransform)>,
    hands: Query<(Entity, &ParticipantHand, &Transform, &HandGrip)>,
    mut report: MessageWriter<ReportStoryEvent>,
    mut haptics: MessageWriter<HapticRequest>,
) {
    for (e, hand, t, grip) in &hands {
        match grip.change {
            Some(GripChange::Opened) if hold.by(e) => {
                hold.held = None;
                report.write(ReportStoryEvent(StoryEvent::HandReleased));
                haptics.write(HapticRequest {
                    side: hand.side,
                    amplitude: 0.2,
                    seconds: 0.06,
                });
            }
            Some(GripChange::Closed)
                if hold.held.is_none() && hand.tracking == Tracking::Tracked =>
            {
                let taken = palms
                    .iter()
                    .filter(|(p, _)| offers.0.contains(&p.actor))
                    .map(|(p, g)| (p.actor, g.translation().distance(t.translation)))
                    .filter(|(_, d)| *d <= HOLD_REACH)
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((actor, _)) = taken {
                    hold.held = Some(Held {
                        actor,
                        hand: e,
                        side: hand.side,
                    });
                    report.write(ReportStoryEvent(StoryEvent::HandHeld(actor)));
                    haptics.write(HapticRequest {
                        side: hand.side,
                        amplitude: 0.45,
                        seconds: 0.12,
                    });
                }
            }
            _ => {}
        }
    }
}
