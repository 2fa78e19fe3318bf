//! Haptic requests from the hands, played on the controllers.
//!
//! `reunion_hands` writes a `HapticRequest` when she takes or lets go of a hand
//! and when a candle snaps into the cake; here each becomes an OpenXR vibration on
//! that hand's controller (amplitude and duration clamped by
//! [`crate::mapping::vibration`], frequency left to the runtime). The facilitator
//! can buzz both controllers from the mirror window with F7, to check them before
//! the session.

use bevy::prelude::*;
use bevy_mod_openxr::openxr_session_running;
use bevy_mod_openxr::session::OxrSession;
use reunion_hands::model::HapticRequest;

use crate::actions::{SIDES, XrActions, index};
use crate::mapping::vibration;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        buzz_on_request.in_set(reunion_stage::StageSystems::Input),
    )
    .add_systems(
        PostUpdate,
        play_haptics
            .run_if(openxr_session_running)
            .run_if(resource_exists::<XrActions>),
    );
}

/// F7 on the mirror window: a short buzz on both controllers.
fn buzz_on_request(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    mut requests: MessageWriter<HapticRequest>,
) {
    if keys.is_some_and(|k| k.just_pressed(KeyCode::F7)) {
        for side in SIDES {
            requests.write(HapticRequest {
                side,
                amplitude: 0.6,
                seconds: 0.25,
            });
        }
    }
}

fn play_haptics(
    session: Res<OxrSession>,
    actions: Res<XrActions>,
    mut requests: MessageReader<HapticRequest>,
) {
    for r in requests.read() {
        let Some((amplitude, nanos)) = vibration(r.amplitude, r.seconds) else {
            continue;
        };
        let buzz = openxr::HapticVibration::new()
            .amplitude(amplitude)
            .frequency(openxr::FREQUENCY_UNSPECIFIED)
            .duration(openxr::Duration::from_nanos(nanos));
        match actions
            .haptic
            .apply_feedback(&session, actions.hands[index(r.side)], &buzz)
        {
            Ok(()) => info!(
                "xr: haptic played on the {} controller: {amplitude:.2} for {:.3} s",
                r.side.name(),
                nanos as f64 / 1e9
            ),
            Err(e) => warn!("xr: the {} controller's haptic failed: {e}", r.side.name()),
        }
    }
}
