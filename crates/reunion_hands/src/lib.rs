//! # reunion_hands
//!
//! The participant's hands, from whichever input is live, and what they can do in the
//! story: hold her hand, touch her, pick up the candles and set them in the cake,
//! and blow them out by leaning in.
//!
//! One model serves every input ([`model`]): each hand is an entity with a pose, a
//! grip and a pinch (0..1) and a tracking state; the head is the stage's
//! `ParticipantHead`. The flat emulation ([`flat`]), the puppeteer that acts out the
//! autopilot's, scripts' and the console's actions ([`puppet`]), a headset, and tests
//! all write the same components; the interactions read only those.
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`model`] | the hand components, the input in use, haptic requests, the hands' heights for the exit gesture |
//! | [`grip`] | the grip latch: hysteresis and a grace for lost tracking (pure) |
//! | [`hand_grip`] | what each hand grips: its latch, this frame's change, the prop in it |
//! | [`hold`] | her offered hand, taking it, letting go; she walks up when she offers from afar |
//! | [`props`] | grabbing and carrying, sockets that snap, falling onto tables |
//! | [`candles`] | lighting on cue, flames and their glow, blowing out, smoke |
//! | [`touch`] | touch zones on her body, once per touch |
//! | [`puppet`] | participant actions acted out with the head and hands |
//! | [`rehearsed`] | a place set as a playthrough left it, after a jump (`--from`, the console) |
//! | [`flat`] | the mouse and keys ([`FlatHandsPlugin`]) |
//! | [`look`] | hands on screen, fingers that curl |
//!
//! [`HandsPlugin`] adds the model, the interactions and the puppeteer, and tells the
//! session that bodily actions are performed in the world
//! (`reunion_stage::session::PerformedInWorld`). Its systems run in [`HandsSystems`]:
//! `Read` inside `StageSystems::Input`, `Interact` inside `StageSystems::Detect`
//! (their reports reach the director the same frame), `World` inside
//! `StageSystems::World` after the places.

pub mod candles;
pub mod flat;
pub mod grip;
pub mod hand_grip;
pub mod hold;
pub mod look;
pub mod model;
pub mod props;
pub mod puppet;
pub mod rehearsed;
pub mod touch;

use bevy::prelude::*;
use reunion_stage::PlaceSystems;
use reunion_stage::StageSystems;
use reunion_stage::session::PerformedInWorld;

pub use flat::FlatHandsPlugin;

/// The phases of the hands in a frame.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HandsSystems {
    /// Inputs write the hands and the head (in `StageSystems::Input`).
    Read,
    /// Grips, holding, grabbing, sockets, touch, blowing (in `StageSystems::Detect`).
    Interact,
    /// Cues, falling props, flames, smoke, the hands' shapes (in `StageSystems::World`).
    World,
}

/// The participant's hands and what they do.
pub struct HandsPlugin;

impl Plugin for HandsPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(PerformedInWorld)
            .init_resource::<model::HandInput>()
            .init_resource::<hold::Offers>()
            .init_resource::<hold::HandHold>()
            .init_resource::<props::Surfaces>()
            .init_resource::<candles::BlowDetector>()
            .init_resource::<touch::Touching>()
            .init_resource::<puppet::Puppeteer>()
            .init_resource::<rehearsed::PendingRehearsal>()
            .add_message::<model::HapticRequest>()
            .configure_sets(
                Update,
                (
                    HandsSystems::Read.in_set(StageSystems::Input),
                    HandsSystems::Interact.in_set(StageSystems::Detect),
                    HandsSystems::World
                        .in_set(StageSystems::World)
                        .after(PlaceSystems),
                ),
            )
            .add_systems(Startup, model::spawn_hands)
            .add_systems(
                Update,
                (
                    model::track_head,
                    (puppet::take_actions, puppet::act_out).chain(),
                )
                    .in_set(HandsSystems::Read),
            )
            .add_systems(
                Update,
                (
                    model::write_hand_heights,
                    hand_grip::update_grips,
                    hold::hold_hands,
                    props::pick_up,
                    props::carry,
                    props::let_go,
                    touch::detect_touches,
                    candles::detect_blowing,
                )
                    .chain()
                    .in_set(HandsSystems::Interact)
                    .before(reunion_stage::ExitGestureSystems),
            )
            .add_systems(
                Update,
                (
                    (
                        hold::follow_offers,
                        hold::walk_up,
                        props::make_props,
                        rehearsed::note_rehearsed_world,
                        touch::make_thing_zones,
                        props::find_surfaces,
                        candles::light_on_cue,
                        props::fall,
                        model::log_haptics,
                    )
                        .chain(),
                    (
                        candles::show_flames,
                        candles::drift_smoke,
                        look::dress_hands,
                        look::pose_digits,
                    )
                        .chain()
                        .run_if(resource_exists::<Assets<StandardMaterial>>),
                )
                    .chain()
                    .in_set(HandsSystems::World),
            );
        app.add_systems(
            PostUpdate,
            rehearsed::set_rehearsed_world.after(bevy::transform::TransformSystems::Propagate),
        );
        // Every hand entity carries its grip latch.
        app.register_required_components::<model::ParticipantHand, hand_grip::HandGrip>();
    }
}

/// The names most users need.
pub mod prelude {
    pub use crate::hand_grip::HandGrip;
    pub use crate::hold::{HandHold, OfferingHand, Offers};
    pub use crate::model::{HandInput, HandSide, HapticRequest, ParticipantHand, Tracking};
    pub use crate::props::{Grabbable, Socket, Socketed};
    pub use crate::touch::{BodyZone, ThingZone};
    pub use crate::{FlatHandsPlugin, HandsPlugin, HandsSystems};
}
