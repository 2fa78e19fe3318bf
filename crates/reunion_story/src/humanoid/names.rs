//! Reading one bone name: its tool's prefix, its side, its stem and its number.
//!
//! `mixamorig:LeftForeArm`, `DEF-forearm.L.001`, `CC_Base_L_Forearm`, `lowerarm_l`,
//! `J_Bip_L_LowerArm` and `Bip01 L Forearm` all come apart into the same pieces: a
//! prefix the tool puts on every bone, a side (`L`), a stem (`forearm`, `lowerarm`)
//! and sometimes a number. The stem is compared with the aliases of each [`Part`].

use super::bone::{Part, Side};

/// The prefix a tool puts on every bone of its skeleton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    None,
    /// `mixamorig:` or `mixamorig1:` (any `namespace:` is dropped; this one is noted).
    Mixamo,
    /// Another `namespace:` prefix (Maya, MotionBuilder).
    Namespace,
    /// Blender Rigify's deform bones, `DEF-`.
    Deform,
    /// Rigify's original (metarig) bones, `ORG-`.
    Original,
    /// Rigify's mechanism bones, `MCH-`: never part of the humanoid.
    Mechanism,
    /// Character Creator / iClone, `CC_Base_` (and `RL_`).
    CharacterCreator,
    /// VRoid Studio's body bones, `J_Bip_` and `J_Adj_`.
    VRoid,
    /// VRoid Studio's secondary bones (hair, skirt), `J_Sec_`: never part of the humanoid.
    VRoidSecondary,
    /// 3ds Max Biped, `Bip01 `.
    Biped,
}

/// How a name says its side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideStyle {
    None,
    /// `LeftArm`, `left_arm`, `Left Arm`.
    Word,
    /// `upper_arm.L`, `UpperArm.L`.
    DotSuffix,
    /// `upperarm_l`, `Arm_L`, `arm-l`.
    Suffix,
    /// `L_Arm`, `CC_Base_L_Upperarm`, `Bip01 L UpperArm`.
    Letter,
}

/// A bone name taken apart.
#[derive(Clone, Debug, PartialEq)]
pub struct NameParts {
    pub prefix: Prefix,
    pub side: Option<Side>,
    pub side_style: SideStyle,
    /// The words that are left, lowercase and joined: `forearm`, `upleg`, `toebase`.
    pub stem: String,
    /// A trailing number: `Spine1` → 1, `spine.003` → 3, `neck_01` → 1.
    pub number: Option<u32>,
    /// The number is Blender's duplicate suffix, `.001`.
    pub blender_number: bool,
}

impl NameParts {
    /// Takes a bone name apart. Case does not matter.
    pub fn parse(raw: &str) -> NameParts {
        let (prefix, rest) = strip_prefix(raw);
        let blender_number = has_blender_number(rest);
        let mut tokens = tokens(rest);
        if prefix == Prefix::VRoid && tokens.first().is_some_and(|t| t == "c") {
            tokens.remove(0); // J_Bip_C_Hips: C is VRoid's "centre"
        }
        let mut prefix = prefix;
        if tokens.len() > 2 && tokens[0] == "bip" && is_number(&tokens[1]) {
            tokens.drain(..2);
            prefix = Prefix::Biped;
        }
        let mut side = None;
        let mut side_style = SideStyle::None;
        if tokens.len() > 1
            && let Some(i) = tokens.iter().position(|t| side_word(t).is_some())
        {
            side = side_word(&tokens[i]);
            side_style = if tokens[i].len() > 1 {
                SideStyle::Word
            } else if i == 0 || (i + 1 < tokens.len() && !is_number(&tokens[i + 1])) {
                SideStyle::Letter
            } else if separator_before_last_side(rest) == Some('.') {
                SideStyle::DotSuffix
            } else {
                SideStyle::Suffix
            };
            tokens.remove(i);
        }
        let number = tokens
            .iter()
            .rev()
            .find(|t| is_number(t))
            .and_then(|t| t.parse().ok());
        let mut stem: String = tokens.iter().filter(|t| !is_number(t)).cloned().collect();
        if side.is_none() {
            for (word, s) in [("left", Side::Left), ("right", Side::Right)] {
                if stem.len() > word.len() + 1 {
                    if let Some(rest) = stem.strip_prefix(word) {
                        stem = rest.to_string();
                    } else if let Some(rest) = stem.strip_suffix(word) {
                        stem = rest.to_string();
                    } else {
                        continue;
                    }
                    side = Some(s);
                    side_style = SideStyle::Word;
                    break;
                }
            }
        }
        NameParts {
            prefix,
            side,
            side_style,
            stem,
            number,
            blender_number,
        }
    }

    /// Whether a bone with this name may be part of the humanoid at all.
    pub fn is_eligible(&self) -> bool {
        !matches!(self.prefix, Prefix::Mechanism | Prefix::VRoidSecondary)
    }
}

/// How well a stem names a part: a strong alias is the part's usual name; a weak one
/// (`Arm` for the upper arm, `Leg` for the lower leg, `Palm` for the hand) loses to a
/// strong one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    Strong,
    Weak,
}

/// The aliases of each part, as stems (lowercase, words joined).
const ALIASES: &[(Part, Strength, &[&str])] = &[
    (Part::Hips, Strength::Strong, &["hips", "hip", "pelvis"]),
    (
        Part::Spine,
        Strength::Strong,
        &["spine", "abdomen", "waist"],
    ),
    (Part::Spine, Strength::Weak, &["lowerspine", "spinelower"]),
    (
        Part::Chest,
        Strength::Strong,
        &["chest", "torso", "ribcage"],
    ),
    (
        Part::UpperChest,
        Strength::Strong,
        &["upperchest", "chestupper"],
    ),
    (Part::Neck, Strength::Strong, &["neck", "necktwist"]),
    (Part::Head, Strength::Strong, &["head"]),
    (
        Part::Jaw,
        Strength::Strong,
        &["jaw", "jawroot", "jawbone", "lowerjaw"],
    ),
    (Part::Eye, Strength::Strong, &["eye", "eyeball", "faceeye"]),
    (
        Part::Shoulder,
        Strength::Strong,
        &["shoulder", "clavicle", "collar", "collarbone"],
    ),
    (Part::UpperArm, Strength::Strong, &["upperarm", "uparm"]),
    (Part::UpperArm, Strength::Weak, &["arm"]),
    (
        Part::Forearm,
        Strength::Strong,
        &["forearm", "lowerarm", "loarm"],
    ),
    (Part::Forearm, Strength::Weak, &["elbow"]),
    (Part::Hand, Strength::Strong, &["hand"]),
    (Part::Hand, Strength::Weak, &["wrist", "palm", "fist"]),
    (
        Part::UpperLeg,
        Strength::Strong,
        &["upleg", "upperleg", "thigh"],
    ),
    (
        Part::LowerLeg,
        Strength::Strong,
        &["lowerleg", "loleg", "calf", "shin"],
    ),
    (Part::LowerLeg, Strength::Weak, &["leg", "knee"]),
    (Part::Foot, Strength::Strong, &["foot"]),
    (Part::Foot, Strength::Weak, &["ankle"]),
    (
        Part::Toes,
        Strength::Strong,
        &["toebase", "toe", "toes", "ball"],
    ),
];

/// The part a stem names and how strongly, if it names one; the side must fit the
/// part (a sided part needs a side, a middle one has none).
pub fn part_of(parts: &NameParts) -> Option<(Part, Strength)> {
    ALIASES
        .iter()
        .find(|(_, _, names)| names.contains(&parts.stem.as_str()))
        .filter(|(part, _, _)| part.is_sided() == parts.side.is_some())
        .map(|(part, strength, _)| (*part, *strength))
}

/// The strong aliases of a part, for "did you mean" suggestions.
pub fn aliases(part: Part) -> impl Iterator<Item = &'static str> {
    ALIASES
        .iter()
        .filter(move |(p, s, _)| *p == part && *s == Strength::Strong)
        .flat_map(|(_, _, names)| names.iter().copied())
}

fn strip_prefix(raw: &str) -> (Prefix, &str) {
    let (mut prefix, rest) = match raw.rfind(':') {
        Some(i) if raw[..i].to_ascii_lowercase().starts_with("mixamorig") => {
            (Prefix::Mixamo, &raw[i + 1..])
        }
        Some(i) => (Prefix::Namespace, &raw[i + 1..]),
        None => (Prefix::None, raw),
    };
    let mut rest = rest;
    for (start, p) in [
        ("def-", Prefix::Deform),
        ("org-", Prefix::Original),
        ("mch-", Prefix::Mechanism),
        ("cc_base_", Prefix::CharacterCreator),
        ("rl_", Prefix::CharacterCreator),
        ("j_bip_", Prefix::VRoid),
        ("j_adj_", Prefix::VRoid),
        ("j_sec_", Prefix::VRoidSecondary),
    ] {
        if rest.len() > start.len() && rest[..start.len()].eq_ignore_ascii_case(start) {
            rest = &rest[start.len()..];
            prefix = p;
            break;
        }
    }
    (prefix, rest)
}

/// Splits a name into lowercase words: at separators, between a lowercase and an
/// uppercase letter (`LeftForeArm`), before the last capital of a run followed by a
/// lowercase letter (`HTMLName` → `html`, `name`), and between letters and digits.
pub fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_alphabetic() && c.is_ascii_digit())
                || (prev.is_ascii_digit() && c.is_alphabetic())
                || (prev.is_uppercase()
                    && c.is_uppercase()
                    && next.is_some_and(|n| n.is_lowercase()));
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn side_word(token: &str) -> Option<Side> {
    match token {
        "l" | "left" => Some(Side::Left),
        "r" | "right" => Some(Side::Right),
        _ => None,
    }
}

fn is_number(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

fn has_blender_number(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 4 && b[b.len() - 4] == b'.' && b[b.len() - 3..].iter().all(u8::is_ascii_digit)
}

/// The separator just before a final `L`/`R` side letter (`upper_arm.L.001` → `.`).
fn separator_before_last_side(name: &str) -> Option<char> {
    let chars: Vec<char> = name.chars().collect();
    let i = chars
        .iter()
        .rposition(|c| matches!(c.to_ascii_lowercase(), 'l' | 'r'))?;
    i.checked_sub(1).map(|j| chars[j])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(raw: &str) -> (Option<Side>, String, Option<u32>) {
        let p = NameParts::parse(raw);
        (p.side, p.stem, p.number)
    }

    #[test]
    fn every_convention_comes_apart_into_side_and_stem() {
        let left_forearm = [
            "mixamorig:LeftForeArm",
            "mixamorig1:LeftForeArm",
            "LeftForeArm",
            "forearm.L",
            "DEF-forearm.L",
            "ORG-forearm.L",
            "CC_Base_L_Forearm",
            "left_forearm",
            "LEFTFOREARM",
            "Left Forearm",
            "ForeArmLeft",
            "l_forearm",
        ];
        for raw in left_forearm {
            assert_eq!(
                parts(raw),
                (Some(Side::Left), "forearm".into(), None),
                "{raw}"
            );
        }
        for raw in [
            "LowerArm.L",
            "lowerarm_l",
            "J_Bip_L_LowerArm",
            "Bip01 L LowerArm",
        ] {
            assert_eq!(parts(raw).0, Some(Side::Left), "{raw}");
            assert_eq!(parts(raw).1, "lowerarm", "{raw}");
        }
        assert_eq!(
            parts("upperarm_r"),
            (Some(Side::Right), "upperarm".into(), None)
        );
        assert_eq!(parts("J_Bip_C_Hips"), (None, "hips".into(), None));
        assert_eq!(parts("spine.003"), (None, "spine".into(), Some(3)));
        assert_eq!(
            parts("CC_Base_NeckTwist01"),
            (None, "necktwist".into(), Some(1))
        );
        assert_eq!(parts("Spine2"), (None, "spine".into(), Some(2)));
        assert_eq!(
            parts("LeftToe_End"),
            (Some(Side::Left), "toeend".into(), None)
        );
        assert_eq!(
            parts("LeftHandIndex1"),
            (Some(Side::Left), "handindex".into(), Some(1))
        );
        assert_eq!(parts("Palm2.L"), (Some(Side::Left), "palm".into(), Some(2)));
        assert_eq!(
            parts("DEF-upper_arm.L.001"),
            (Some(Side::Left), "upperarm".into(), Some(1))
        );
    }

    #[test]
    fn side_styles_and_prefixes_are_told_apart() {
        let style = |raw| NameParts::parse(raw).side_style;
        assert_eq!(style("LeftArm"), SideStyle::Word);
        assert_eq!(style("upper_arm.L"), SideStyle::DotSuffix);
        assert_eq!(style("upper_arm.L.001"), SideStyle::DotSuffix);
        assert_eq!(style("upperarm_l"), SideStyle::Suffix);
        assert_eq!(style("CC_Base_L_Upperarm"), SideStyle::Letter);
        assert_eq!(style("Hips"), SideStyle::None);
        let prefix = |raw| NameParts::parse(raw).prefix;
        assert_eq!(prefix("mixamorig:Hips"), Prefix::Mixamo);
        assert_eq!(prefix("DEF-spine"), Prefix::Deform);
        assert_eq!(prefix("J_Sec_Hair1_01"), Prefix::VRoidSecondary);
        assert_eq!(prefix("Bip01 Pelvis"), Prefix::Biped);
        assert!(!NameParts::parse("MCH-forearm_ik.L").is_eligible());
        assert!(NameParts::parse("spine.001").blender_number);
        assert!(!NameParts::parse("Spine1").blender_number);
    }

    #[test]
    fn stems_name_parts_only_with_a_fitting_side() {
        let part = |raw| part_of(&NameParts::parse(raw));
        assert_eq!(part("LeftUpLeg"), Some((Part::UpperLeg, Strength::Strong)));
        assert_eq!(part("LeftLeg"), Some((Part::LowerLeg, Strength::Weak)));
        assert_eq!(part("ball_l"), Some((Part::Toes, Strength::Strong)));
        assert_eq!(part("Palm2.L"), Some((Part::Hand, Strength::Weak)));
        // Rigify's sided pelvis flesh bones are not the hips; a sideless arm is no arm.
        assert_eq!(part("DEF-pelvis.L"), None);
        assert_eq!(part("Arm"), None);
        assert_eq!(part("PoleTarget.L"), None);
        assert_eq!(part("HeadTop_End"), None);
    }
}
