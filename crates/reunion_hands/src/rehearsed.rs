//! A place set as a playthrough left it, after a jump (`reunion play --from NODE`, the
//! console's jump): the director's [`Cue::WorldAsRehearsed`] says which things stand
//! in which sockets, which flames burn, whose hand the participant holds and what they
//! carry; the stage rebuilds the place, and once its things and sockets are there
//! this sets them so, without reporting anything (the director already knows), and
//! asks the hands to take the hand and the things again as the participant's own
//! actions (the puppeteer performs them, and what it reports keeps everyone in step).

use bevy::prelude::*;
use reunion_stage::components::{CandleSlot, OnStage, PlaceScoped, ThingRef};
use reunion_stage::session::{CueIssued, ParticipantActed, StorySession};
use reunion_story::director::{Cue, RehearsedWorld};
use reunion_story::participant::ParticipantAction;
use reunion_story::story::PlaceId;

use crate::candles::Lit;
use crate::props::{Falling, Grabbable, Socket, Socketed};

/// How many frames a rehearsed world waits for its place to be built before it is
/// given up (with a warning): a place whose models load slowly is worth waiting for.
const GIVE_UP_AFTER_FRAMES: u32 = 1200;

/// A rehearsed world waiting for its place.
#[derive(Resource, Default, Debug)]
pub struct PendingRehearsal {
    /// The world, and the place it is for.
    pub world: Option<(RehearsedWorld, PlaceId)>,
    frames: u32,
}

/// Keeps the latest rehearsed world until it can be set.
pub(crate) fn note_rehearsed_world(
    mut cues: MessageReader<CueIssued>,
    mut pending: ResMut<PendingRehearsal>,
) {
    let mut entered = None;
    for CueIssued(cue) in cues.read() {
        match cue {
            Cue::EnterPlace { place } => entered = Some(*place),
            Cue::WorldAsRehearsed(w) => {
                pending.world = entered.map(|p| (w.clone(), p));
                pending.frames = 0;
            }
            // Another place reached before this one was set: its world is moot.
            Cue::TransitionEnded { place }
                if pending.world.as_ref().is_some_and(|(_, p)| p != place) =>
            {
                pending.world = None;
            }
            _ => {}
        }
    }
}

/// Sets the place as rehearsed once its sockets are in the world (after transforms
/// are propagated, so a socket's place is known).
pub(crate) fn set_rehearsed_world(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    on_stage: Res<OnStage>,
    mut pending: ResMut<PendingRehearsal>,
    mut sockets: Query<(Entity, &mut Socket, &GlobalTransform, &PlaceScoped)>,
    mut props: Query<(Entity, &ThingRef, &mut Transform, Has<CandleSlot>), With<Grabbable>>,
    carriers: Query<(Entity, &ThingRef, &PlaceScoped)>,
    mut acted: MessageWriter<ParticipantActed>,
) {
    let Some(s) = session else { return };
    let Some((world, place)) = pending.world.clone() else {
        return;
    };
    let story = s.story();
    let place = Some(place);
    let here = |scope: &PlaceScoped| Some(scope.0) == place;
    pending.frames += 1;
    // Every socket and prop named must be on stage, in the place entered.
    let socket_of =
        |sockets: &Query<(Entity, &mut Socket, &GlobalTransform, &PlaceScoped)>, holder, index| {
            sockets
                .iter()
                .find(|(_, s, _, scope)| s.owner == holder && s.index == index && here(scope))
                .map(|(e, ..)| e)
        };
    let ready = on_stage.place == place
        && carriers.iter().any(|(.., scope)| here(scope))
        && world.in_sockets.iter().all(|(thing, holder, index)| {
            socket_of(&sockets, *holder, *index).is_some()
                && props.iter().any(|(_, r, ..)| r.0 == *thing)
        });
    if !ready {
        if pending.frames > GIVE_UP_AFTER_FRAMES {
            warn!("the place was not built in time: it is shown as written, not as rehearsed");
            pending.world = None;
        }
        return;
    }
    pending.world = None;
    let mut candles = Vec::new();
    for (thing, holder, index) in &world.in_sockets {
        let Some(socket) = socket_of(&sockets, *holder, *index) else {
            continue;
        };
        let Some((prop, _, mut t, candle)) = props.iter_mut().find(|(_, r, ..)| r.0 == *thing)
        else {
            continue;
        };
        let Ok((_, mut s, at, _)) = sockets.get_mut(socket) else {
            continue;
        };
        s.occupant = Some(prop);
        t.translation = at.translation();
        t.rotation = Quat::IDENTITY;
        commands
            .entity(prop)
            .insert(Socketed { socket })
            .remove::<Falling>();
        if candle {
            candles.push(prop);
        }
    }
    if world.candles_lit {
        for c in candles {
            commands.entity(c).insert(Lit);
        }
    }
    for (thing, lit) in &world.flames {
        if let Some((e, ..)) = carriers.iter().find(|(_, r, _)| r.0 == *thing) {
            if *lit {
                commands.entity(e).insert(Lit);
            } else {
                commands.entity(e).remove::<Lit>();
            }
        }
    }
    if let Some(actor) = world.hand_held_by {
        acted.write(ParticipantActed(ParticipantAction::TakeHand(
            story.actor(actor).id.clone(),
        )));
    }
    for thing in &world.holding {
        acted.write(ParticipantActed(ParticipantAction::PickUp(
            story.thing(*thing).id.clone(),
        )));
    }
}
