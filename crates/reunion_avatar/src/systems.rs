//! The avatar's Bevy systems: build her when an actor appears on stage, turn the
//! director's cues into animator commands, and copy each frame's pose onto the rig.

use std::collections::HashMap;

use bevy::prelude::*;
use reunion_stage::PlaceSystems;
use reunion_stage::StageSystems;
use reunion_stage::TransitionSystems;
use reunion_stage::components::{ActorBody, HeadHeight, PlaceScoped, ThingName};
use reunion_stage::look_at::Facing;
use reunion_stage::presence::ParticipantHead;
use reunion_stage::session::{CueIssued, StorySession};
use reunion_stage::shapes::ShapeCache;
use reunion_story::director::Cue;
use reunion_story::story::{ActorId, LookTarget, NodeId, WorldCue};
use reunion_story::visemes::{LipSync as LineMouth, Viseme};

use reunion_hands::prelude::{BodyZone, HandHold, OfferingHand};
use reunion_story::format::TouchZone;

use crate::body::Proportions;
use crate::child::{FaceKind, FacePart, MOUTH_SEGMENTS, Paint, Rig, build_avatar, on_face};
use crate::components::{
    AvatarAnimator, AvatarLook, AvatarModel, HeldHandNow, LineVoice, LipSync, RootNow,
};
use crate::ik::Limb;
use crate::motion::{Animator, Command, EYE_PITCH, EYE_YAW, Pose, Senses};
use crate::{AvatarSystems, ModelSystems};

pub(super) fn plugin(app: &mut App) {
    // The stage's cache, shared: alike shapes of avatars and places are one mesh.
    app.init_resource::<ShapeCache>()
        .init_resource::<HeldHandNow>()
        .configure_sets(
            Update,
            AvatarSystems
                .after(PlaceSystems)
                .after(TransitionSystems)
                // She walks up to a hand before she moves her legs to it.
                .after(reunion_hands::HandsSystems::World)
                .in_set(StageSystems::World),
        )
        .add_systems(
            Update,
            (
                build_avatars,
                take_cues,
                voice_the_mouth,
                sense_now,
                animate_avatars,
                shape_faces,
            )
                .chain()
                .in_set(AvatarSystems),
        )
        .add_systems(
            Update,
            (crate::gltf::root_model_scenes, crate::model::bind_models)
                .chain()
                .after(build_avatars)
                .before(animate_avatars)
                .in_set(AvatarSystems)
                .run_if(resource_exists::<Assets<bevy::gltf::Gltf>>),
        )
        .add_systems(
            Update,
            (crate::gltf::start_models, crate::gltf::drive_models)
                .chain()
                .after(animate_avatars)
                .in_set(AvatarSystems)
                .run_if(resource_exists::<Assets<bevy::gltf::Gltf>>)
                .run_if(resource_exists::<Assets<AnimationGraph>>),
        )
        // After the clips have played, before transforms propagate: the animator lays
        // its pose over them.
        .add_systems(
            PostUpdate,
            crate::model::pose_models
                .in_set(ModelSystems)
                .after(bevy::app::AnimationSystems)
                .before(bevy::transform::TransformSystems::Propagate),
        );
}

/// A seed per actor and place, so every run moves the same way.
fn seed(actor: ActorId, place: &PlaceScoped) -> u32 {
    (actor.index() as u32 + 1).wrapping_mul(7_919)
        ^ (place.0.index() as u32 + 1).wrapping_mul(104_729)
}

fn build_avatars(
    mut commands: Commands,
    session: Option<Res<StorySession>>,
    actors: Query<
        (
            Entity,
            &ActorBody,
            &PlaceScoped,
            Option<&AvatarLook>,
            Option<&AvatarModel>,
        ),
        Without<Rig>,
    >,
    meshes: Option<ResMut<Assets<Mesh>>>,
    materials: Option<ResMut<Assets<StandardMaterial>>>,
    mut shapes: ResMut<ShapeCache>,
    gltf: Option<(Res<AssetServer>, Res<Assets<bevy::gltf::Gltf>>)>,
) {
    if actors.is_empty() {
        return;
    }
    let mut paint = match (meshes, materials) {
        (Some(meshes), Some(materials)) => Some((meshes, materials)),
        _ => None,
    };
    for (e, body, scope, own, own_model) in &actors {
        let (look, model) = match (own, &session) {
            (Some(own), _) => (own.0.clone(), own_model.map(|m| m.0.clone())),
            (None, Some(s)) => match s.story().cast.get(body.0.index()) {
                Some(actor) => (actor.look.clone(), actor.model.clone()),
                None => continue,
            },
            (None, None) => continue,
        };
        // A glTF model, where there is a renderer to show it: the rig still runs the
        // animator, without shapes of its own.
        let shown_as_model = match (&model, &gltf) {
            (Some(model), Some((server, _))) => {
                crate::gltf::spawn_model(&mut commands, server, e, model);
                true
            }
            _ => false,
        };
        let mut p = paint
            .as_mut()
            .filter(|_| !shown_as_model)
            .map(|(m, s)| Paint {
                meshes: m.as_mut(),
                materials: s.as_mut(),
                shapes: shapes.as_mut(),
            });
        let rig = build_avatar(&mut commands, e, &look, *scope, p.as_mut());
        // A model moves with her own proportions, measured on its skeleton.
        let animator = match &model {
            Some(m) if shown_as_model => {
                Animator::with_body(Proportions::from_plan(&m.body), seed(body.0, scope))
            }
            _ => Animator::new(look.height, seed(body.0, scope)),
        };
        spawn_touch_zones(&mut commands, &rig, body.0, &animator.body, *scope);
        let eyes = animator.body.eye_height();
        commands.entity(e).insert((
            rig,
            HeadHeight(eyes),
            LipSync::default(),
            RootNow::default(),
            LineVoice::default(),
            AvatarAnimator {
                animator,
                line: None,
                listening: None,
                pose: None,
                voiced: false,
            },
        ));
    }
}

/// The places on her the participant's hands can meet: her head, cheeks, shoulders
/// and hands, and the palm of the hand she offers.
fn spawn_touch_zones(
    commands: &mut Commands,
    rig: &Rig,
    actor: ActorId,
    p: &Proportions,
    scope: PlaceScoped,
) {
    let zone = |zone, radius| BodyZone {
        actor,
        zone,
        radius,
    };
    let r = p.head_radius;
    commands.entity(rig.head).with_children(|c| {
        c.spawn((
            Name::new("touch: head"),
            zone(TouchZone::Head, r * 1.05),
            Transform::from_xyz(0.0, r * 1.35, 0.0),
            scope,
        ));
        for s in [1.0, -1.0] {
            c.spawn((
                Name::new("touch: cheek"),
                zone(TouchZone::Cheek, r * 0.45),
                Transform::from_translation(Vec3::Y * r + on_face(r, s * 0.55 * r, -0.3 * r, 0.0)),
                scope,
            ));
        }
    });
    commands.entity(rig.chest).with_children(|c| {
        for s in [1.0, -1.0] {
            c.spawn((
                Name::new("touch: shoulder"),
                zone(TouchZone::Shoulder, 0.055 * p.height),
                Transform::from_translation(p.shoulder(s) + Vec3::Y * 0.02 * p.height),
                scope,
            ));
        }
    });
    for (i, arm) in rig.arms.iter().enumerate() {
        commands.entity(arm[2]).with_children(|c| {
            let mut palm = c.spawn((
                Name::new("touch: hand"),
                zone(TouchZone::Hand, p.hand * 1.4),
                Transform::from_xyz(0.0, -p.hand * 0.8, 0.0),
                scope,
            ));
            // She offers her right hand (the animator reaches out with it).
            if i == 0 {
                palm.insert(OfferingHand { actor });
            }
        });
    }
}

/// The mouth's shapes for a line, from its text in the session's language (and its
/// voice's loudness, once known).
fn line_mouth(
    s: &StorySession,
    node: NodeId,
    seconds: f32,
    voice: Option<&reunion_story::visemes::Envelope>,
) -> Option<LineMouth> {
    let text = s.story().line(node)?.text.get(s.lang.index())?;
    let lang = s.story().languages.get(s.lang.index());
    Some(LineMouth::new(
        text,
        lang.map_or("", String::as_str),
        seconds,
        voice,
    ))
}

/// Once her line's voice clip is decoded, her mouth's shapes are laid again on its
/// voiced stretches (the line keeps its time: the clip began with it).
fn voice_the_mouth(
    session: Option<Res<StorySession>>,
    mut actors: Query<(&mut AvatarAnimator, &LineVoice)>,
) {
    let Some(s) = session else { return };
    for (mut a, voice) in &mut actors {
        let Some((node, envelope)) = &voice.0 else {
            continue;
        };
        if a.voiced || a.line != Some(*node) {
            continue;
        }
        let Some(seconds) = a.animator.talk_seconds() else {
            continue;
        };
        if let Some(mouth) = line_mouth(&s, *node, seconds, Some(envelope)) {
            a.animator.say(mouth);
            a.voiced = true;
        }
    }
}

fn take_cues(
    mut cues: MessageReader<CueIssued>,
    session: Option<Res<StorySession>>,
    mut actors: Query<(&ActorBody, &mut AvatarAnimator)>,
) {
    for CueIssued(cue) in cues.read() {
        for (body, mut a) in &mut actors {
            let me = body.0;
            let now = a.animator.now();
            match cue {
                Cue::Say {
                    node,
                    speaker,
                    seconds,
                } if *speaker == me => {
                    a.line = Some(*node);
                    a.voiced = false;
                    a.animator.command(Command::Talk { seconds: *seconds });
                    if let Some(s) = &session
                        && let Some(mouth) = line_mouth(s, *node, *seconds, None)
                    {
                        a.animator.say(mouth);
                    }
                }
                Cue::Say {
                    speaker, seconds, ..
                } => {
                    a.listening = Some((*speaker, now + f64::from(*seconds)));
                }
                Cue::StopLine { node } if a.line == Some(*node) => {
                    a.line = None;
                    a.animator.command(Command::StopTalking);
                }
                Cue::Gesture(who, g) | Cue::World(WorldCue::Gesture(who, g)) if *who == me => {
                    a.animator.command(Command::Gesture(*g));
                }
                Cue::Expression(who, e) | Cue::World(WorldCue::Expression(who, e))
                    if *who == me =>
                {
                    a.animator.command(Command::Expression(*e));
                }
                Cue::World(WorldCue::OfferHand(who)) | Cue::LeadPaused(who) if *who == me => {
                    a.animator.command(Command::OfferHand);
                }
                Cue::World(WorldCue::LetGo(who)) if *who == me => {
                    a.animator.command(Command::LetGo);
                }
                _ => {}
            }
        }
    }
}

/// Where her root and the hand holding hers are this frame: what moved them this frame
/// (a transition leading her, the participant's hands) has not propagated yet.
fn sense_now(
    helper: bevy::transform::helper::TransformHelper,
    hold: Option<Res<HandHold>>,
    mut held: ResMut<HeldHandNow>,
    mut roots: Query<(Entity, &mut RootNow)>,
) {
    held.0 = hold.and_then(|h| h.held).and_then(|h| {
        let at = helper.compute_global_transform(h.hand).ok()?;
        Some((h.actor, at.translation()))
    });
    for (e, mut now) in &mut roots {
        if let Ok(g) = helper.compute_global_transform(e) {
            now.0 = g;
        }
    }
}

fn animate_avatars(
    time: Res<Time>,
    mut avatars: Query<(
        &ActorBody,
        &mut AvatarAnimator,
        &Rig,
        &Transform,
        &RootNow,
        Option<&Facing>,
        &LipSync,
    )>,
    mut joints: Query<&mut Transform, Without<AvatarAnimator>>,
    head: Query<&GlobalTransform, With<ParticipantHead>>,
    things: Query<(&ThingName, &GlobalTransform, Option<&HeadHeight>), Without<AvatarAnimator>>,
    faces: Query<(&ActorBody, &GlobalTransform, &HeadHeight)>,
    held: Res<HeldHandNow>,
) {
    let dt = time.delta_secs();
    let head = head.iter().next();
    // The participant's hand that holds hers, where it is.
    let held = held.0;
    for (body, mut a, rig, root, now, facing, lip) in &mut avatars {
        let to_local = now.0.affine().inverse();
        let now = a.animator.now();
        if a.listening.is_some_and(|(_, until)| now > until) {
            a.listening = None;
        }
        // Whom she looks at: someone speaking, what the story directs, or the participant.
        let listening = a.listening.and_then(|(who, _)| {
            faces
                .iter()
                .find(|(b, _, _)| b.0 == who && who != body.0)
                .map(|(_, g, h)| g.translation() + Vec3::Y * h.0)
        });
        let directed = match facing.map(|f| &f.0) {
            Some(LookTarget::Thing(name)) => things
                .iter()
                .find(|(n, _, _)| &n.0 == name)
                .map(|(_, g, h)| g.translation() + Vec3::Y * h.map_or(0.0, |h| h.0)),
            _ => None,
        };
        let look = listening
            .or(directed)
            .or_else(|| head.map(GlobalTransform::translation));
        let hold = held.filter(|(who, _)| *who == body.0).map(|(_, at)| at);
        let senses = Senses {
            root: root.translation,
            yaw: root.rotation.to_euler(EulerRot::YXZ).0,
            look: look.map(|p| to_local.transform_point3(p)),
            hold: hold.map(|p| to_local.transform_point3(p)),
            mouth: lip.0,
        };
        let pose = a.animator.step(dt, &senses);
        a.pose = Some(pose);
        apply_pose(&pose, rig, &a.animator, &mut joints);
    }
}

/// A bone from `a` to `b`: placed at `a`, its -y pointing at `b`.
fn bone(a: Vec3, b: Vec3) -> Transform {
    let dir = (b - a).normalize_or(Vec3::NEG_Y);
    Transform::from_translation(a).with_rotation(Quat::from_rotation_arc(Vec3::NEG_Y, dir))
}

fn set(joints: &mut Query<&mut Transform, Without<AvatarAnimator>>, e: Entity, t: Transform) {
    if let Ok(mut tr) = joints.get_mut(e) {
        tr.set_if_neq(t);
    }
}

fn apply_pose(
    pose: &Pose,
    rig: &Rig,
    animator: &Animator,
    joints: &mut Query<&mut Transform, Without<AvatarAnimator>>,
) {
    let p = animator.body;
    set(
        joints,
        rig.body,
        Transform::from_translation(pose.body_offset).with_rotation(pose.body_rot),
    );
    set(
        joints,
        rig.pelvis,
        Transform::from_translation(Vec3::Y * p.hip_y + pose.pelvis_offset)
            .with_rotation(pose.pelvis_rot),
    );
    set(
        joints,
        rig.chest,
        Transform::from_xyz(0.0, p.waist_y - p.hip_y, 0.0).with_rotation(pose.chest_rot),
    );
    set(
        joints,
        rig.head,
        Transform::from_xyz(0.0, p.neck_y - p.waist_y, 0.0).with_rotation(pose.head_rot),
    );
    let limb = |joints: &mut Query<&mut Transform, Without<AvatarAnimator>>,
                parts: &[Entity; 3],
                l: &Limb,
                foot: Option<f32>| {
        set(joints, parts[0], bone(l.root, l.mid));
        let lower = bone(l.mid, l.end);
        set(joints, parts[1], lower);
        let end = match foot {
            // Feet stay level with the ground, tipping only as they lift.
            Some(pitch) => Transform::from_translation(l.end)
                .with_rotation(pose.pelvis_rot.inverse() * Quat::from_rotation_x(-pitch)),
            None => Transform::from_translation(l.end).with_rotation(lower.rotation),
        };
        set(joints, parts[2], end);
    };
    for i in 0..2 {
        limb(joints, &rig.arms[i], &pose.arms[i], None);
        limb(joints, &rig.legs[i], &pose.legs[i], Some(pose.feet[i]));
    }
}

/// Moves the eyes, brows, cheeks and mouth to the pose's face.
fn shape_faces(
    avatars: Query<(&AvatarAnimator, &Rig)>,
    mut parts: Query<(&FacePart, &ChildOf, &mut Transform)>,
) {
    let faces: HashMap<Entity, (crate::motion::Face, f32)> = avatars
        .iter()
        .filter_map(|(a, rig)| Some((rig.head, (a.pose?.face, a.animator.body.head_radius))))
        .collect();
    for (part, parent, mut t) in &mut parts {
        let Some(&(face, r)) = faces.get(&parent.parent()) else {
            continue;
        };
        let rest = part.rest;
        let s = part.side;
        let look = Vec3::new(
            -face.eyes.x / EYE_YAW * r * 0.07,
            face.eyes.y / EYE_PITCH * r * 0.05,
            0.0,
        );
        let open_eye = (1.0 - face.lid.max(0.0) * 0.88) * (1.0 - face.lid.min(0.0) * 0.5);
        let want = match part.kind {
            FaceKind::Eye => Transform {
                translation: rest.translation + look,
                scale: rest.scale * Vec3::new(1.0 - face.lid.min(0.0) * 0.2, open_eye, 1.0),
                ..rest
            },
            FaceKind::Glint => Transform {
                translation: rest.translation + look,
                scale: Vec3::splat(if face.lid > 0.45 { 0.0 } else { 1.0 }),
                ..rest
            },
            FaceKind::Brow => {
                let up =
                    (face.brow_up * 0.09 + face.brow_sad * 0.03 - face.lid.max(0.0) * 0.02) * r;
                // Sadness lifts the inner ends; seen from the front her right brow is on
                // the viewer's left.
                let tilt = -s * (face.brow_sad * 0.35 - face.brow_up * 0.05);
                Transform {
                    translation: rest.translation + Vec3::Y * up,
                    rotation: Quat::from_rotation_z(std::f32::consts::FRAC_PI_2 + tilt),
                    ..rest
                }
            }
            FaceKind::Cheek => Transform {
                scale: rest.scale * (0.55 + 0.65 * face.cheek),
                ..rest
            },
            FaceKind::Mouth(i) => mouth_segment(i, face, r, rest),
            FaceKind::MouthInside => {
                let w = mouth_width(face, r);
                let open = face.open;
                let centre = rest.translation
                    + Vec3::Y * (-open * r * 0.08 + face.smile.max(0.0) * r * 0.015);
                Transform {
                    translation: centre,
                    scale: Vec3::new(
                        (w / (2.0 * r * 0.14)) * (0.75 - 0.25 * face.round).max(0.3),
                        (open * 0.75).max(0.02),
                        0.35,
                    ),
                    ..rest
                }
            }
        };
        t.set_if_neq(want);
    }
}

fn mouth_width(face: crate::motion::Face, r: f32) -> f32 {
    // `ee` and `ih` spread the lips.
    let spread = face
        .visemes
        .map_or(0.0, |w| w.get(Viseme::Ee) + w.get(Viseme::Ih) * 0.7);
    r * 0.36 * (1.0 + 0.25 * face.smile.max(0.0) + 0.2 * spread) * (1.0 - 0.45 * face.round)
}

/// A point on the mouth's line, `k` of `MOUTH_SEGMENTS`, relative to its middle.
fn mouth_point(k: u8, face: crate::motion::Face, r: f32) -> Vec2 {
    let w = mouth_width(face, r);
    let u = f32::from(k) / f32::from(MOUTH_SEGMENTS) - 0.5;
    let x = u * w;
    // Smiling lifts the corners; sadness drops them.
    let y = face.smile * r * 0.09 * ((2.0 * u) * (2.0 * u) - 0.35);
    Vec2::new(x, y)
}

fn mouth_segment(i: u8, face: crate::motion::Face, r: f32, rest: Transform) -> Transform {
    let a = mouth_point(i, face, r);
    let b = mouth_point(i + 1, face, r);
    let mid = (a + b) / 2.0;
    let d = b - a;
    // The line follows the curve of the face.
    let mouth_y = rest.translation.y - r;
    let at = Vec3::Y * r + on_face(r * 1.06, mid.x, mouth_y + mid.y, 0.0);
    let len = d.length();
    Transform {
        translation: at,
        rotation: Quat::from_rotation_z(f32::atan2(d.y, d.x) - std::f32::consts::FRAC_PI_2),
        // Segments overlap a little so the line reads as one stroke.
        scale: Vec3::new(1.0, (len * 1.3 / (r * 0.132)).max(0.3), 1.0),
    }
}
