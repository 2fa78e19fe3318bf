//! The face: the shape each expression asks for, easing between them, and blinks at
//! natural, seeded intervals.

use bevy::math::Vec2;
use reunion_story::story::Expression;
use reunion_story::visemes::VisemeWeights;

use super::Rng;

/// Seconds between blinks (a double blink may follow 0.35 s after one).
pub const BLINK_MIN: f32 = 2.0;
pub const BLINK_MAX: f32 = 6.0;
/// Seconds a blink takes.
pub const BLINK_SECONDS: f32 = 0.16;

/// The face, each value 0..1 unless said.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Face {
    /// -1 (sad) .. 1 (a big smile): the curve of the mouth.
    pub smile: f32,
    pub open: f32,
    /// A round "o" mouth (surprise, a yawn).
    pub round: f32,
    /// Eyelids: 0 open, 1 closed; below 0, wide open.
    pub lid: f32,
    pub brow_up: f32,
    /// Inner ends of the brows raised: sadness.
    pub brow_sad: f32,
    pub cheek: f32,
    /// Eyes within the head: yaw (left +) and pitch (up +), radians.
    pub eyes: Vec2,
    /// The mouth's shapes while she says a line with text (lip-sync); `None` when her
    /// mouth only opens and closes.
    pub visemes: Option<VisemeWeights>,
    /// How far she wears each expression, in [`Expression`] order (they ease in and
    /// out with the rest of the face): for a model whose face has an expression's
    /// own shape.
    pub moods: [f32; 6],
}

impl Face {
    pub(super) fn lerp(self, to: Face, k: f32) -> Face {
        let l = |a: f32, b: f32| a + (b - a) * k;
        Face {
            smile: l(self.smile, to.smile),
            open: l(self.open, to.open),
            round: l(self.round, to.round),
            lid: l(self.lid, to.lid),
            brow_up: l(self.brow_up, to.brow_up),
            brow_sad: l(self.brow_sad, to.brow_sad),
            cheek: l(self.cheek, to.cheek),
            eyes: self.eyes.lerp(to.eyes, k),
            visemes: to.visemes,
            moods: std::array::from_fn(|i| l(self.moods[i], to.moods[i])),
        }
    }
}

/// The face an expression asks for (the eyes are the gaze's).
pub fn expression_face(e: Expression) -> Face {
    let mut moods = [0.0; 6];
    moods[e as usize] = 1.0;
    let f = Face {
        moods,
        ..Face::default()
    };
    match e {
        Expression::Neutral => Face { smile: 0.2, ..f },
        Expression::Smile => Face {
            smile: 0.75,
            open: 0.05,
            cheek: 0.6,
            lid: 0.1,
            ..f
        },
        Expression::Laugh => Face {
            smile: 1.0,
            open: 0.55,
            lid: 0.6,
            brow_up: 0.35,
            cheek: 1.0,
            ..f
        },
        Expression::Sad => Face {
            smile: -0.7,
            lid: 0.3,
            brow_sad: 1.0,
            ..f
        },
        Expression::Surprised => Face {
            open: 0.6,
            round: 1.0,
            lid: -0.25,
            brow_up: 1.0,
            ..f
        },
        Expression::Sleepy => Face {
            smile: 0.15,
            lid: 0.7,
            brow_up: -0.3,
            ..f
        },
    }
}

/// Every expression.
pub const EXPRESSIONS: [Expression; 6] = [
    Expression::Neutral,
    Expression::Smile,
    Expression::Laugh,
    Expression::Sad,
    Expression::Surprised,
    Expression::Sleepy,
];

/// Blinks at natural, seeded intervals.
#[derive(Clone, Debug)]
pub struct Blinker {
    rng: Rng,
    next: f64,
    /// The start of the blink in progress, if one is.
    current: Option<f64>,
    /// Every blink's start time, if asked to keep them (tests).
    pub history: Option<Vec<f64>>,
}

impl Blinker {
    pub fn new(seed: u32) -> Self {
        let mut rng = Rng::new(seed);
        let first = f64::from(rng.range(0.5, BLINK_MAX));
        Self {
            rng,
            next: first,
            current: None,
            history: None,
        }
    }

    /// How closed the lids are at `now` (0..1). Call with rising times.
    pub fn lid(&mut self, now: f64) -> f32 {
        if now >= self.next {
            self.current = Some(self.next);
            if let Some(h) = &mut self.history {
                h.push(self.next);
            }
            // Now and then a second blink follows the first.
            let gap = if self.rng.unit() < 0.15 {
                0.35
            } else {
                self.rng.range(BLINK_MIN, BLINK_MAX)
            };
            self.next += f64::from(gap);
        }
        let Some(start) = self.current else {
            return 0.0;
        };
        let u = (now - start) as f32 / BLINK_SECONDS;
        if u >= 1.0 {
            self.current = None;
            return 0.0;
        }
        // Lids close fast and open a little slower.
        if u < 0.4 {
            u / 0.4
        } else {
            1.0 - (u - 0.4) / 0.6
        }
    }
}
