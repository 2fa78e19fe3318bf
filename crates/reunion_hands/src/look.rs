//! How the participant's hands look on screen: a soft palm, four fingers that curl
//! with the grip and a thumb that closes with the pinch. Shown only where there is a
//! renderer, and hidden while a hand is not tracked.

use bevy::prelude::*;

use crate::model::{ParticipantHand, Tracking};

/// A finger or the thumb, curling about its knuckle.
#[derive(Component, Debug, Clone, Copy)]
pub struct Digit {
    thumb: bool,
}

/// Shapes for hands that have none yet.
pub(crate) fn dress_hands(
    mut commands: Commands,
    hands: Query<(Entity, &ParticipantHand), Without<Children>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    if hands.is_empty() {
        return;
    }
    let skin = materials.add(StandardMaterial {
        base_color: Color::srgb(0.91, 0.77, 0.66),
        perceptual_roughness: 0.8,
        ..default()
    });
    let palm = meshes.add(Sphere::new(1.0).mesh().uv(20, 12));
    let finger = meshes.add(Capsule3d::new(0.0085, 0.05));
    let thumb = meshes.add(Capsule3d::new(0.0095, 0.035));
    for (e, hand) in &hands {
        let s = hand.side.sign();
        commands.entity(e).with_children(|c| {
            c.spawn((
                Mesh3d(palm.clone()),
                MeshMaterial3d(skin.clone()),
                Transform::from_scale(Vec3::new(0.042, 0.017, 0.05)),
            ));
            for k in 0..4 {
                let x = (-0.026 + 0.0175 * k as f32) * s;
                let len = [0.9, 1.0, 0.95, 0.78][k];
                c.spawn((
                    Digit { thumb: false },
                    Transform::from_xyz(x, 0.0, -0.042),
                    Visibility::default(),
                ))
                .with_children(|f| {
                    f.spawn((
                        Mesh3d(finger.clone()),
                        MeshMaterial3d(skin.clone()),
                        Transform::from_xyz(0.0, 0.0, -0.03 * len)
                            .with_rotation(Quat::from_rotation_x(std::f32::consts::FRAC_PI_2))
                            .with_scale(Vec3::new(1.0, len, 1.0)),
                    ));
                });
            }
            // The thumb, on the inner side of a hand held palm down.
            c.spawn((
                Digit { thumb: true },
                Transform::from_xyz(-0.036 * s, -0.004, -0.005),
                Visibility::default(),
            ))
            .with_children(|k| {
                k.spawn((
                    Mesh3d(thumb.clone()),
                    MeshMaterial3d(skin.clone()),
                    Transform::from_xyz(0.0, 0.0, -0.025).with_rotation(
                        Quat::from_rotation_x(std::f32::consts::FRAC_PI_2)
                            * Quat::from_rotation_z(0.5 * s),
                    ),
                ));
            });
        });
    }
}

/// Fingers curl with the grip, the thumb with the pinch; untracked hands hide.
pub(crate) fn pose_digits(
    mut hands: Query<(&ParticipantHand, &Children, &mut Visibility)>,
    mut digits: Query<(&Digit, &mut Transform)>,
) {
    for (hand, children, mut vis) in &mut hands {
        vis.set_if_neq(if hand.tracking == Tracking::Lost {
            Visibility::Hidden
        } else {
            Visibility::Inherited
        });
        let s = hand.side.sign();
        for child in children.iter() {
            if let Ok((d, mut t)) = digits.get_mut(child) {
                let r = if d.thumb {
                    Quat::from_rotation_y(s * (0.3 + 0.9 * hand.pinch.max(hand.grip * 0.6)))
                        * Quat::from_rotation_x(-0.3 * hand.grip)
                } else {
                    Quat::from_rotation_x(-1.5 * hand.grip.max(hand.pinch * 0.3))
                };
                if t.rotation != r {
                    t.rotation = r;
                }
            }
        }
    }
}
