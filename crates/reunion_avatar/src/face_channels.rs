//! The animator's face as our face channels, and the face map's answer as what to set
//! on a model: its morph targets by name and its jaw bone. Pure.

use std::collections::{BTreeMap, BTreeSet};

use reunion_story::face_shapes::recipes::COMPOSED;
use reunion_story::face_shapes::{Expression, FaceChannel, FaceMap, FaceTarget};
#[cfg(doc)]
use reunion_story::story::Model;
use reunion_story::visemes::Viseme;

use crate::motion::Face;

/// The channels an expression is composed of where the model has no shape of its own
/// for it (`face_shapes`' fallbacks): the ones that carry it.
fn carried_by(e: Expression) -> &'static [FaceChannel] {
    match e {
        Expression::Smile | Expression::Laugh => &[FaceChannel::Smile],
        Expression::Sad => &[FaceChannel::Frown, FaceChannel::BrowsInnerUp],
        Expression::Surprised => &[FaceChannel::EyesWide, FaceChannel::BrowsUp],
        Expression::Sleepy => &[FaceChannel::Blink],
        Expression::Neutral => &[],
    }
}

/// The expressions a model shows by their own shapes (a VRM `sad`, a VRoid
/// `Fcl_ALL_Sorrow`), where it has none of the shapes the animator's face would
/// compose them of: the animator's face says them through these instead.
pub fn own_expressions(map: &FaceMap) -> Vec<Expression> {
    Expression::ALL
        .into_iter()
        .filter(|e| {
            let own = map
                .resolved(FaceChannel::Expression(*e))
                .is_some_and(|r| r.source != COMPOSED && !r.targets.is_empty());
            let carried = carried_by(*e).iter().any(|c| !map.get(*c).is_empty());
            own && !carried && *e != Expression::Neutral
        })
        .collect()
}

/// The value of each face channel the animator's face asks for.
pub fn channel_values(face: &Face) -> Vec<(FaceChannel, f32)> {
    let mut v = vec![
        (FaceChannel::Blink, face.lid.max(0.0)),
        (FaceChannel::EyesWide, (-face.lid / 0.3).clamp(0.0, 1.0)),
        (FaceChannel::Smile, face.smile.max(0.0)),
        (FaceChannel::Frown, (-face.smile).max(0.0)),
        (FaceChannel::BrowsUp, face.brow_up),
        (FaceChannel::BrowsInnerUp, face.brow_sad),
        (FaceChannel::Cheeks, face.cheek),
    ];
    match face.visemes {
        Some(w) => {
            // The shapes say the vowels; the jaw opens only for what they leave (a
            // laugh while she speaks).
            let spoken = w.openness() * 0.75;
            v.push((FaceChannel::MouthOpen, (face.open - spoken).max(0.0)));
            for s in Viseme::ALL {
                v.push((FaceChannel::Viseme(s), w.get(s)));
            }
        }
        None => v.push((FaceChannel::MouthOpen, face.open)),
    }
    v
}

/// What the face map makes of a face: each morph target's weight by its name (every
/// target the map can drive is listed, 0 when at rest), and the jaw bone's opening.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaceSettings {
    pub morphs: BTreeMap<String, f32>,
    /// VRM expressions by their names in the file, and how far each is on.
    pub expressions: BTreeMap<String, f32>,
    pub jaw: f32,
}

/// Every morph target a face map can move, so a target no channel asks for this frame
/// goes back to rest.
pub fn driven_morphs(map: &FaceMap) -> BTreeSet<String> {
    FaceChannel::ALL
        .iter()
        .flat_map(|c| map.get(*c))
        .filter_map(|w| match &w.target {
            FaceTarget::Morph(name) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// The face map applied to the animator's face; `own`: the expressions the model
/// shows by their own shapes ([`own_expressions`]).
pub fn face_settings(
    map: &FaceMap,
    driven: &BTreeSet<String>,
    own: &[Expression],
    face: &Face,
) -> FaceSettings {
    let mut out = FaceSettings {
        morphs: driven.iter().map(|n| (n.clone(), 0.0)).collect(),
        expressions: BTreeMap::new(),
        jaw: 0.0,
    };
    let mut values = channel_values(face);
    for e in own {
        values.push((FaceChannel::Expression(*e), face.moods[*e as usize]));
    }
    for (target, weight) in map.apply(&values) {
        match target {
            FaceTarget::Morph(name) => {
                out.morphs.insert(name, weight);
            }
            FaceTarget::JawBone => out.jaw = weight,
            // What it moves is the model's ([`Model::expressions`]).
            FaceTarget::Expression(name) => {
                out.expressions.insert(name, weight);
            }
        }
    }
    out
}
