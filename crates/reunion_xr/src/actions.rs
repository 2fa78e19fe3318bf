//! One action set for both hands, bound on the controllers we know.
//!
//! Created at start-up when OpenXR is available, bound in bevy_mod_openxr's
//! `OxrSendActionBindings` schedule (one suggestion per action and
//! [`ControllerProfile`]), attached when the session is created and synced every
//! frame before the spaces are located.

use bevy::prelude::*;
use bevy_mod_openxr::action_binding::{OxrSendActionBindings, OxrSuggestActionBinding};
use bevy_mod_openxr::action_set_attaching::OxrAttachActionSet;
use bevy_mod_openxr::action_set_syncing::{OxrActionSetSyncSet, OxrSyncActionSet};
use bevy_mod_openxr::resources::OxrInstance;
use bevy_mod_openxr::{openxr_session_available, openxr_session_running};
use bevy_mod_xr::session::XrSessionCreated;
use reunion_hands::model::HandSide;

use crate::mapping::ControllerProfile;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, create_actions.run_if(openxr_session_available))
        .add_systems(
            OxrSendActionBindings,
            suggest_bindings.run_if(resource_exists::<XrActions>),
        )
        .add_systems(
            XrSessionCreated,
            attach_actions.run_if(resource_exists::<XrActions>),
        )
        .add_systems(
            PreUpdate,
            sync_actions
                .before(OxrActionSetSyncSet)
                .run_if(openxr_session_running)
                .run_if(resource_exists::<XrActions>),
        );
}

/// Both hands, in the order the arrays here use.
pub const SIDES: [HandSide; 2] = [HandSide::Left, HandSide::Right];

/// Index into per-hand arrays.
pub fn index(side: HandSide) -> usize {
    match side {
        HandSide::Left => 0,
        HandSide::Right => 1,
    }
}

/// Our actions and the two hands' paths.
#[derive(Resource)]
pub struct XrActions {
    pub set: openxr::ActionSet,
    /// Where the hand holds the controller.
    pub pose: openxr::Action<openxr::Posef>,
    /// Closes the hand: the grip button or squeeze.
    pub squeeze: openxr::Action<f32>,
    /// Pinches: the trigger.
    pub trigger: openxr::Action<f32>,
    /// Held for a second, puts her back on the start mark.
    pub recenter: openxr::Action<bool>,
    pub haptic: openxr::Action<openxr::Haptic>,
    /// `/user/hand/left` and `/user/hand/right`.
    pub hands: [openxr::Path; 2],
}

fn build_actions(instance: &openxr::Instance) -> openxr::Result<XrActions> {
    let hands = [
        instance.string_to_path("/user/hand/left")?,
        instance.string_to_path("/user/hand/right")?,
    ];
    let set = instance.create_action_set("reunion", "Reunion", 0)?;
    Ok(XrActions {
        pose: set.create_action("hand_pose", "Hand pose", &hands)?,
        squeeze: set.create_action("grip", "Close the hand", &hands)?,
        trigger: set.create_action("pinch", "Pinch", &hands)?,
        recenter: set.create_action("recenter", "Recenter (hold)", &hands)?,
        haptic: set.create_action("haptic", "Vibration", &hands)?,
        set,
        hands,
    })
}

fn create_actions(instance: Res<OxrInstance>, mut commands: Commands) {
    match build_actions(&instance) {
        Ok(actions) => {
            commands.insert_resource(actions);
        }
        Err(e) => error!("xr: cannot create the hands' actions ({e}); the hands will not move"),
    }
}

fn suggest_bindings(actions: Res<XrActions>, mut bindings: MessageWriter<OxrSuggestActionBinding>) {
    for profile in ControllerProfile::ALL {
        let b = profile.bindings();
        let ours = [
            (actions.pose.as_raw(), b.pose),
            (actions.squeeze.as_raw(), b.squeeze),
            (actions.trigger.as_raw(), b.trigger),
            (actions.recenter.as_raw(), b.recenter),
            (actions.haptic.as_raw(), b.haptic),
        ];
        for (action, path) in ours {
            bindings.write(OxrSuggestActionBinding {
                action,
                interaction_profile: profile.path().into(),
                bindings: SIDES
                    .iter()
                    .map(|s| format!("/user/hand/{}/{path}", s.name()).into())
                    .collect(),
            });
        }
    }
}

fn attach_actions(actions: Res<XrActions>, mut attach: MessageWriter<OxrAttachActionSet>) {
    attach.write(OxrAttachActionSet(actions.set.clone()));
}

fn sync_actions(actions: Res<XrActions>, mut sync: MessageWriter<OxrSyncActionSet>) {
    sync.write(OxrSyncActionSet(actions.set.clone()));
}
