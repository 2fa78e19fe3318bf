//! For each face channel, the ways a model can do it, best first.
//!
//! Names here are compared lowercase with everything but letters and digits removed:
//! `eyeBlinkLeft`, `Eye_Blink_L`, `Fcl_EYE_Close` become `eyeblinkleft`, `eyeblinkl`,
//! `fcleyeclose`.

use super::channel::{Expression, FaceChannel};
use crate::visemes::Viseme;

/// Where a part of a recipe comes from.
#[derive(Clone, Copy, Debug)]
pub enum Src {
    /// The first morph target of these names the model has.
    Morph(&'static [&'static str]),
    /// The first VRM expression of these names the file has (with morph binds).
    Expr(&'static [&'static str]),
    /// Whatever another channel (earlier in [`FaceChannel::ALL`]) resolved to.
    Channel(FaceChannel),
    /// The skeleton's jaw bone, rotated open by the weight.
    JawBone,
}

/// A part of a recipe: a source at a weight; a recipe with a required part missing
/// does not apply.
#[derive(Clone, Copy, Debug)]
pub struct Part {
    pub src: Src,
    pub weight: f32,
    pub required: bool,
}

/// One way to do a channel, and the name it goes by in `reunion check`.
#[derive(Clone, Copy, Debug)]
pub struct Recipe {
    pub label: &'static str,
    pub parts: &'static [Part],
}

const fn req(src: Src, weight: f32) -> Part {
    Part {
        src,
        weight,
        required: true,
    }
}

const fn opt(src: Src, weight: f32) -> Part {
    Part {
        src,
        weight,
        required: false,
    }
}

const fn m(names: &'static [&'static str]) -> Src {
    Src::Morph(names)
}

const fn x(names: &'static [&'static str]) -> Src {
    Src::Expr(names)
}

const fn ch(c: FaceChannel) -> Src {
    Src::Channel(c)
}

const fn r(label: &'static str, parts: &'static [Part]) -> Recipe {
    Recipe { label, parts }
}

pub const ARKIT: &str = "ARKit";
pub const OCULUS: &str = "Oculus";
pub const VRM: &str = "VRM";
pub const VROID: &str = "VRoid";
pub const CC: &str = "Character Creator";
pub const NAMED: &str = "named";
pub const JAW_MORPH: &str = "jaw opening only";
pub const JAW_BONE: &str = "jaw bone";
pub const COMPOSED: &str = "composed";

const BLINK: &[Recipe] = &[
    r(VRM, &[req(x(&["blink"]), 1.0)]),
    r(
        VRM,
        &[
            req(x(&["blinkleft", "blinkl"]), 1.0),
            req(x(&["blinkright", "blinkr"]), 1.0),
        ],
    ),
    r(
        ARKIT,
        &[
            req(m(&["eyeblinkleft"]), 1.0),
            req(m(&["eyeblinkright"]), 1.0),
        ],
    ),
    r(VROID, &[req(m(&["fcleyeclose"]), 1.0)]),
    r(
        VROID,
        &[
            req(m(&["fcleyeclosel"]), 1.0),
            req(m(&["fcleyecloser"]), 1.0),
        ],
    ),
    r(
        CC,
        &[req(m(&["eyeblinkl"]), 1.0), req(m(&["eyeblinkr"]), 1.0)],
    ),
    r(
        NAMED,
        &[req(
            m(&[
                "blink",
                "eyeblink",
                "eyesclosed",
                "eyesclose",
                "eyeclose",
                "eyeclosed",
            ]),
            1.0,
        )],
    ),
];

const BLINK_LEFT: &[Recipe] = &[
    r(VRM, &[req(x(&["blinkleft", "blinkl"]), 1.0)]),
    r(ARKIT, &[req(m(&["eyeblinkleft"]), 1.0)]),
    r(VROID, &[req(m(&["fcleyeclosel"]), 1.0)]),
    r(CC, &[req(m(&["eyeblinkl"]), 1.0)]),
    r(NAMED, &[req(m(&["blinkleft", "blinkl"]), 1.0)]),
];

const BLINK_RIGHT: &[Recipe] = &[
    r(VRM, &[req(x(&["blinkright", "blinkr"]), 1.0)]),
    r(ARKIT, &[req(m(&["eyeblinkright"]), 1.0)]),
    r(VROID, &[req(m(&["fcleyecloser"]), 1.0)]),
    r(CC, &[req(m(&["eyeblinkr"]), 1.0)]),
    r(NAMED, &[req(m(&["blinkright", "blinkr"]), 1.0)]),
];

const EYES_WIDE: &[Recipe] = &[
    r(
        ARKIT,
        &[
            req(m(&["eyewideleft"]), 1.0),
            req(m(&["eyewideright"]), 1.0),
        ],
    ),
    r(VROID, &[req(m(&["fcleyesurprised", "fcleyespread"]), 1.0)]),
    r(
        CC,
        &[req(m(&["eyewidel"]), 1.0), req(m(&["eyewider"]), 1.0)],
    ),
    r(NAMED, &[req(m(&["eyeswide", "eyewide", "wideeyes"]), 1.0)]),
];

const MOUTH_OPEN: &[Recipe] = &[
    r(ARKIT, &[req(m(&["jawopen"]), 1.0)]),
    r(
        NAMED,
        &[req(m(&["mouthopen", "openmouth", "jawdown"]), 1.0)],
    ),
    r(OCULUS, &[req(m(&["visemeaa"]), 1.0)]),
    r(VRM, &[req(x(&["aa", "a"]), 1.0)]),
    r(VROID, &[req(m(&["fclmtha"]), 1.0)]),
    r(CC, &[req(m(&["vopen"]), 1.0)]),
    r(NAMED, &[req(m(&["a", "aa"]), 1.0)]),
    r(JAW_BONE, &[req(Src::JawBone, 1.0)]),
];

const SMILE: &[Recipe] = &[
    r(
        ARKIT,
        &[
            req(m(&["mouthsmileleft"]), 1.0),
            req(m(&["mouthsmileright"]), 1.0),
        ],
    ),
    r(
        CC,
        &[req(m(&["mouthsmilel"]), 1.0), req(m(&["mouthsmiler"]), 1.0)],
    ),
    r(VROID, &[req(m(&["fclmthfun", "fclmthup"]), 1.0)]),
    r(
        NAMED,
        &[req(m(&["smile", "mouthsmile", "smileclosed"]), 1.0)],
    ),
    r(VRM, &[req(x(&["happy", "joy"]), 0.5)]),
];

const SMILE_LEFT: &[Recipe] = &[
    r(ARKIT, &[req(m(&["mouthsmileleft"]), 1.0)]),
    r(CC, &[req(m(&["mouthsmilel"]), 1.0)]),
    r(NAMED, &[req(m(&["smileleft", "smilel"]), 1.0)]),
];

const SMILE_RIGHT: &[Recipe] = &[
    r(ARKIT, &[req(m(&["mouthsmileright"]), 1.0)]),
    r(CC, &[req(m(&["mouthsmiler"]), 1.0)]),
    r(NAMED, &[req(m(&["smileright", "smiler"]), 1.0)]),
];

const FROWN: &[Recipe] = &[
    r(
        ARKIT,
        &[
            req(m(&["mouthfrownleft"]), 1.0),
            req(m(&["mouthfrownright"]), 1.0),
        ],
    ),
    r(
        CC,
        &[req(m(&["mouthfrownl"]), 1.0), req(m(&["mouthfrownr"]), 1.0)],
    ),
    r(VROID, &[req(m(&["fclmthsorrow", "fclmthdown"]), 1.0)]),
    r(NAMED, &[req(m(&["frown", "mouthfrown", "mouthsad"]), 1.0)]),
];

const BROWS_UP: &[Recipe] = &[
    r(
        ARKIT,
        &[
            req(m(&["browouterupleft"]), 1.0),
            req(m(&["browouterupright"]), 1.0),
            opt(m(&["browinnerup"]), 0.6),
        ],
    ),
    r(
        CC,
        &[
            req(m(&["browraiseouterl"]), 1.0),
            req(m(&["browraiseouterr"]), 1.0),
            opt(m(&["browraiseinnerl"]), 0.6),
            opt(m(&["browraiseinnerr"]), 0.6),
        ],
    ),
    r(VROID, &[req(m(&["fclbrwsurprised"]), 1.0)]),
    r(
        NAMED,
        &[req(
            m(&["browsup", "browup", "browraise", "browsraise"]),
            1.0,
        )],
    ),
];

const BROWS_INNER_UP: &[Recipe] = &[
    r(ARKIT, &[req(m(&["browinnerup"]), 1.0)]),
    r(
        CC,
        &[
            req(m(&["browraiseinnerl"]), 1.0),
            req(m(&["browraiseinnerr"]), 1.0),
        ],
    ),
    r(VROID, &[req(m(&["fclbrwsorrow"]), 1.0)]),
    r(
        NAMED,
        &[req(
            m(&["browsinnerup", "browinnerup", "browssad", "browsad"]),
            1.0,
        )],
    ),
];

const CHEEKS: &[Recipe] = &[
    r(
        ARKIT,
        &[
            req(m(&["cheeksquintleft"]), 1.0),
            req(m(&["cheeksquintright"]), 1.0),
        ],
    ),
    r(
        CC,
        &[req(m(&["cheekraisel"]), 1.0), req(m(&["cheekraiser"]), 1.0)],
    ),
    r(NAMED, &[req(m(&["cheeks", "cheekraise", "cheeksup"]), 1.0)]),
];

/// The jaw-only fallbacks of the visemes (a model with a mouth-open shape or a jaw
/// bone and nothing else) open it by how far each vowel opens the mouth.
const MOUTH: FaceChannel = FaceChannel::MouthOpen;

const SIL: &[Recipe] = &[r(OCULUS, &[req(m(&["visemesil"]), 1.0)])];

const PP: &[Recipe] = &[
    r(OCULUS, &[req(m(&["visemepp"]), 1.0)]),
    r(VROID, &[req(m(&["fclmthclose"]), 1.0)]),
    r(CC, &[req(m(&["vexplosive"]), 1.0)]),
    r(
        ARKIT,
        &[
            req(m(&["mouthpressleft"]), 0.6),
            req(m(&["mouthpressright"]), 0.6),
            opt(m(&["mouthrolllower"]), 0.3),
            opt(m(&["mouthrollupper"]), 0.3),
        ],
    ),
    r(ARKIT, &[req(m(&["mouthclose"]), 0.5)]),
    r(
        NAMED,
        &[req(m(&["pp", "mbp", "lipsclosed", "mouthclosed"]), 1.0)],
    ),
];

const AA: &[Recipe] = &[
    r(OCULUS, &[req(m(&["visemeaa"]), 1.0)]),
    r(VRM, &[req(x(&["aa", "a"]), 1.0)]),
    r(VROID, &[req(m(&["fclmtha"]), 1.0)]),
    r(CC, &[req(m(&["vopen"]), 1.0)]),
    r(
        ARKIT,
        &[
            req(m(&["jawopen"]), 0.7),
            opt(m(&["mouthlowerdownleft"]), 0.25),
            opt(m(&["mouthlowerdownright"]), 0.25),
            opt(m(&["mouthstretchleft"]), 0.1),
            opt(m(&["mouthstretchright"]), 0.1),
        ],
    ),
    r(NAMED, &[req(m(&["a", "aa", "vowela"]), 1.0)]),
    r(JAW_MORPH, &[req(ch(MOUTH), 0.8)]),
    r(JAW_BONE, &[req(Src::JawBone, 0.8)]),
];

const IH: &[Recipe] = &[
    r(OCULUS, &[req(m(&["visemei"]), 1.0)]),
    r(VRM, &[req(x(&["ih", "i"]), 1.0)]),
    r(VROID, &[req(m(&["fclmthi"]), 1.0)]),
    r(CC, &[req(m(&["vwide"]), 0.7)]),
    r(
        ARKIT,
        &[
            req(m(&["mouthsmileleft"]), 0.3),
            req(m(&["mouthsmileright"]), 0.3),
            req(m(&["jawopen"]), 0.15),
            opt(m(&["mouthstretchleft"]), 0.2),
            opt(m(&["mouthstretchright"]), 0.2),
        ],
    ),
    r(NAMED, &[req(m(&["i", "ih", "voweli"]), 1.0)]),
    r(JAW_MORPH, &[req(ch(MOUTH), 0.2)]),
    r(JAW_BONE, &[req(Src::JawBone, 0.2)]),
];

const OU: &[Recipe] = &[
    r(OCULUS, &[req(m(&["visemeu"]), 1.0)]),
    r(VRM, &[req(x(&["ou", "u"]), 1.0)]),
    r(VROID, &[req(m(&["fclmthu"]), 1.0)]),
    r(CC, &[req(m(&["vtighto"]), 1.0), opt(m(&["vtight"]), 0.3)]),
    r(
        ARKIT,
        &[
            req(m(&["mouthpucker"]), 0.9),
            opt(m(&["mouthfunnel"]), 0.2),
            opt(m(&["jawopen"]), 0.1),
        ],
    ),
    r(NAMED, &[req(m(&["u", "ou", "vowelu"]), 1.0)]),
    r(JAW_MORPH, &[req(ch(MOUTH), 0.2)]),
    r(JAW_BONE, &[req(Src::JawBone, 0.2)]),
];

const EE: &[Recipe] = &[
    r(OCULUS, &[req(m(&["visemee"]), 1.0)]),
    r(VRM, &[req(x(&["ee", "e"]), 1.0)]),
    r(VROID, &[req(m(&["fclmthe"]), 1.0)]),
    r(CC, &[req(m(&["vwide"]), 1.0), opt(m(&["vopen"]), 0.2)]),
    r(
        ARKIT,
        &[
            req(m(&["mouthstretchleft"]), 0.5),
            req(m(&["mouthstretchright"]), 0.5),
            req(m(&["jawopen"]), 0.25),
            opt(m(&["mouthsmileleft"]), 0.15),
            opt(m(&["mouthsmileright"]), 0.15),
        ],
    ),
    r(NAMED, &[req(m(&["e", "ee", "vowele"]), 1.0)]),
    r(JAW_MORPH, &[req(ch(MOUTH), 0.35)]),
    r(JAW_BONE, &[req(Src::JawBone, 0.35)]),
];

const OH: &[Recipe] = &[
    r(OCULUS, &[req(m(&["visemeo"]), 1.0)]),
    r(VRM, &[req(x(&["oh", "o"]), 1.0)]),
    r(VROID, &[req(m(&["fclmtho"]), 1.0)]),
    r(CC, &[req(m(&["vtighto"]), 0.8), opt(m(&["vopen"]), 0.3)]),
    r(
        ARKIT,
        &[req(m(&["jawopen"]), 0.4), req(m(&["mouthfunnel"]), 0.7)],
    ),
    r(NAMED, &[req(m(&["o", "oh", "vowelo"]), 1.0)]),
    r(JAW_MORPH, &[req(ch(MOUTH), 0.55)]),
    r(JAW_BONE, &[req(Src::JawBone, 0.55)]),
];

const NEUTRAL: &[Recipe] = &[
    r(VRM, &[req(x(&["neutral"]), 1.0)]),
    r(VROID, &[req(m(&["fclallneutral"]), 1.0)]),
    r(NAMED, &[req(m(&["neutral"]), 1.0)]),
];

const SMILE_EXPRESSION: &[Recipe] = &[
    r(VRM, &[req(x(&["happy", "joy"]), 0.7)]),
    r(VROID, &[req(m(&["fclallfun"]), 0.8)]),
    r(NAMED, &[req(m(&["happy", "joy", "smiling"]), 0.8)]),
    r(
        COMPOSED,
        &[
            req(ch(FaceChannel::Smile), 0.8),
            opt(ch(FaceChannel::Cheeks), 0.3),
            opt(m(&["eyesquintleft"]), 0.2),
            opt(m(&["eyesquintright"]), 0.2),
        ],
    ),
];

const LAUGH: &[Recipe] = &[
    r(NAMED, &[req(m(&["laugh", "laughing", "laughter"]), 1.0)]),
    r(
        VRM,
        &[req(x(&["happy", "joy"]), 1.0), opt(x(&["aa", "a"]), 0.4)],
    ),
    r(
        VROID,
        &[req(m(&["fclalljoy"]), 1.0), opt(m(&["fclmtha"]), 0.3)],
    ),
    r(
        COMPOSED,
        &[
            req(ch(FaceChannel::Smile), 1.0),
            opt(ch(MOUTH), 0.35),
            opt(ch(FaceChannel::Cheeks), 0.6),
            opt(m(&["eyesquintleft"]), 0.4),
            opt(m(&["eyesquintright"]), 0.4),
        ],
    ),
];

const SAD: &[Recipe] = &[
    r(VRM, &[req(x(&["sad", "sorrow"]), 0.9)]),
    r(VROID, &[req(m(&["fclallsorrow"]), 0.9)]),
    r(NAMED, &[req(m(&["sad", "sadness", "sorrow"]), 1.0)]),
    r(
        COMPOSED,
        &[
            opt(ch(FaceChannel::BrowsInnerUp), 0.8),
            opt(ch(FaceChannel::Frown), 0.6),
        ],
    ),
];

const SURPRISED: &[Recipe] = &[
    r(VRM, &[req(x(&["surprised", "surprise"]), 1.0)]),
    r(VROID, &[req(m(&["fclallsurprised"]), 1.0)]),
    r(NAMED, &[req(m(&["surprised", "surprise", "shocked"]), 1.0)]),
    r(
        COMPOSED,
        &[
            opt(ch(FaceChannel::EyesWide), 0.8),
            opt(ch(FaceChannel::BrowsUp), 0.7),
            opt(ch(MOUTH), 0.3),
        ],
    ),
];

const SLEEPY: &[Recipe] = &[
    r(NAMED, &[req(m(&["sleepy", "tired", "drowsy"]), 1.0)]),
    r(
        COMPOSED,
        &[
            req(ch(FaceChannel::Blink), 0.55),
            opt(x(&["relaxed", "fun"]), 0.3),
        ],
    ),
];

/// The ways to do `channel`, best first.
pub fn recipes(channel: FaceChannel) -> &'static [Recipe] {
    match channel {
        FaceChannel::Blink => BLINK,
        FaceChannel::BlinkLeft => BLINK_LEFT,
        FaceChannel::BlinkRight => BLINK_RIGHT,
        FaceChannel::EyesWide => EYES_WIDE,
        FaceChannel::MouthOpen => MOUTH_OPEN,
        FaceChannel::Smile => SMILE,
        FaceChannel::SmileLeft => SMILE_LEFT,
        FaceChannel::SmileRight => SMILE_RIGHT,
        FaceChannel::Frown => FROWN,
        FaceChannel::BrowsUp => BROWS_UP,
        FaceChannel::BrowsInnerUp => BROWS_INNER_UP,
        FaceChannel::Cheeks => CHEEKS,
        FaceChannel::Viseme(Viseme::Sil) => SIL,
        FaceChannel::Viseme(Viseme::Pp) => PP,
        FaceChannel::Viseme(Viseme::Aa) => AA,
        FaceChannel::Viseme(Viseme::Ih) => IH,
        FaceChannel::Viseme(Viseme::Ou) => OU,
        FaceChannel::Viseme(Viseme::Ee) => EE,
        FaceChannel::Viseme(Viseme::Oh) => OH,
        FaceChannel::Expression(Expression::Neutral) => NEUTRAL,
        FaceChannel::Expression(Expression::Smile) => SMILE_EXPRESSION,
        FaceChannel::Expression(Expression::Laugh) => LAUGH,
        FaceChannel::Expression(Expression::Sad) => SAD,
        FaceChannel::Expression(Expression::Surprised) => SURPRISED,
        FaceChannel::Expression(Expression::Sleepy) => SLEEPY,
    }
}
