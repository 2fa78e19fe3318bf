//! Our face channels: what the animator asks of a face, by name.

use crate::visemes::Viseme;

/// One of the six expressions a line or a scene can give her.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expression {
    Neutral,
    Smile,
    Laugh,
    Sad,
    Surprised,
    Sleepy,
}

impl Expression {
    pub const ALL: [Expression; 6] = [
        Expression::Neutral,
        Expression::Smile,
        Expression::Laugh,
        Expression::Sad,
        Expression::Surprised,
        Expression::Sleepy,
    ];

    pub fn name(self) -> &'static str {
        ["neutral", "smile", "laugh", "sad", "surprised", "sleepy"][self as usize]
    }
}

/// One thing the animator can ask the face to do, from 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FaceChannel {
    /// Both eyes closed.
    Blink,
    BlinkLeft,
    BlinkRight,
    EyesWide,
    /// The jaw open (today's `mouth_open`).
    MouthOpen,
    /// Both mouth corners up.
    Smile,
    SmileLeft,
    SmileRight,
    /// Mouth corners down (sad).
    Frown,
    /// Whole brows raised (surprise).
    BrowsUp,
    /// Inner brows raised (sadness, worry).
    BrowsInnerUp,
    /// Cheeks raised, as in a real smile.
    Cheeks,
    /// A mouth shape for speech.
    Viseme(Viseme),
    /// A whole expression.
    Expression(Expression),
}

impl FaceChannel {
    /// Every channel, in the order they are resolved: a channel's fallbacks only use
    /// channels before it.
    pub const ALL: [FaceChannel; 25] = [
        FaceChannel::Blink,
        FaceChannel::BlinkLeft,
        FaceChannel::BlinkRight,
        FaceChannel::EyesWide,
        FaceChannel::MouthOpen,
        FaceChannel::Smile,
        FaceChannel::SmileLeft,
        FaceChannel::SmileRight,
        FaceChannel::Frown,
        FaceChannel::BrowsUp,
        FaceChannel::BrowsInnerUp,
        FaceChannel::Cheeks,
        FaceChannel::Viseme(Viseme::Sil),
        FaceChannel::Viseme(Viseme::Pp),
        FaceChannel::Viseme(Viseme::Aa),
        FaceChannel::Viseme(Viseme::Ih),
        FaceChannel::Viseme(Viseme::Ou),
        FaceChannel::Viseme(Viseme::Ee),
        FaceChannel::Viseme(Viseme::Oh),
        FaceChannel::Expression(Expression::Neutral),
        FaceChannel::Expression(Expression::Smile),
        FaceChannel::Expression(Expression::Laugh),
        FaceChannel::Expression(Expression::Sad),
        FaceChannel::Expression(Expression::Surprised),
        FaceChannel::Expression(Expression::Sleepy),
    ];

    /// Our name: the key of a cast entry's `morphs: { ... }`. Visemes are `sil`, `pp`,
    /// `aa`, `ih`, `ou`, `ee`, `oh`; expressions `expression_smile` and so on.
    pub fn name(self) -> String {
        match self {
            FaceChannel::Viseme(v) => v.name().to_string(),
            FaceChannel::Expression(e) => format!("expression_{}", e.name()),
            other => [
                "blink",
                "blink_left",
                "blink_right",
                "eyes_wide",
                "mouth_open",
                "smile",
                "smile_left",
                "smile_right",
                "frown",
                "brows_up",
                "brows_inner_up",
                "cheeks",
            ][FaceChannel::ALL
                .iter()
                .position(|c| *c == other)
                .unwrap_or_default()]
            .to_string(),
        }
    }

    /// The channel with our name.
    pub fn from_name(name: &str) -> Option<FaceChannel> {
        FaceChannel::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl From<Viseme> for FaceChannel {
    fn from(v: Viseme) -> FaceChannel {
        FaceChannel::Viseme(v)
    }
}

impl From<Expression> for FaceChannel {
    fn from(e: Expression) -> FaceChannel {
        FaceChannel::Expression(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let names: Vec<String> = FaceChannel::ALL.iter().map(|c| c.name()).collect();
        for (i, c) in FaceChannel::ALL.iter().enumerate() {
            assert_eq!(FaceChannel::from_name(&names[i]), Some(*c));
            assert_eq!(names.iter().filter(|n| **n == names[i]).count(), 1);
        }
        assert_eq!(FaceChannel::MouthOpen.name(), "mouth_open");
        assert_eq!(FaceChannel::Viseme(Viseme::Pp).name(), "pp");
        assert_eq!(
            FaceChannel::Expression(Expression::Sleepy).name(),
            "expression_sleepy"
        );
        assert_eq!(FaceChannel::from_name("viseme_aa"), None);
    }
}
