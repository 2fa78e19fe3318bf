//! Which tool named a skeleton, and what that tool would call each of our bones.

use super::bone::{Bone, Part, Side};
use super::names::{NameParts, Prefix, SideStyle};

/// A naming convention for humanoid skeletons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Convention {
    /// The file's own VRM humanoid map (VRM 1.0 `VRMC_vrm` or 0.x `VRM`).
    Vrm,
    /// Mixamo with its `mixamorig:` prefix.
    Mixamo,
    /// Mixamo's names without the prefix: Ready Player Me and many others
    /// (`Hips`, `LeftArm`, `LeftForeArm`, `LeftUpLeg`, `LeftLeg`).
    MixamoNames,
    /// Blender Rigify or its metarig (`spine.001`, `upper_arm.L`, `DEF-forearm.L`).
    Rigify,
    /// Blender-style names through FBX2glTF, as Quaternius's models
    /// (`UpperArm.L`, `LowerArm.L`, `UpperLeg.L`).
    Fbx2gltf,
    /// Unreal's mannequin (`pelvis`, `upperarm_l`, `calf_l`, `ball_l`).
    Unreal,
    /// Character Creator / iClone (`CC_Base_L_Upperarm`).
    CharacterCreator,
    /// VRoid Studio's bones exported without VRM (`J_Bip_L_UpperArm`).
    VRoid,
    /// Several or none of the above (each bone was still found by its name).
    Generic,
    /// Only the author's renames in the cast entry.
    Author,
}

impl Convention {
    /// How `reunion check` names it.
    pub fn label(self) -> &'static str {
        match self {
            Convention::Vrm => "VRM humanoid",
            Convention::Mixamo => "Mixamo (mixamorig:)",
            Convention::MixamoNames => "Mixamo / Ready Player Me",
            Convention::Rigify => "Blender Rigify",
            Convention::Fbx2gltf => "Blender / FBX2glTF",
            Convention::Unreal => "Unreal",
            Convention::CharacterCreator => "Character Creator",
            Convention::VRoid => "VRoid",
            Convention::Generic => "generic names",
            Convention::Author => "the cast entry's bone names",
        }
    }

    /// What a skeleton of this convention calls `bone`, when it has a usual name.
    pub fn expected_name(self, bone: Bone) -> Option<String> {
        let part = bone.part();
        let side = bone.side();
        let lr = |l: &'static str, r: &'static str| match side {
            Some(Side::Right) => r,
            _ => l,
        };
        let named = |stem: &str| -> Option<String> {
            Some(match self {
                Convention::Rigify | Convention::Fbx2gltf => {
                    format!("{stem}{}", lr(".L", ".R"))
                }
                Convention::Unreal => format!("{stem}{}", lr("_l", "_r")),
                Convention::CharacterCreator => format!("CC_Base_{}{stem}", lr("L_", "R_")),
                Convention::VRoid => format!("J_Bip_{}{stem}", lr("L_", "R_")),
                _ => format!("{}{stem}", lr("Left", "Right")),
            })
        };
        match self {
            Convention::Vrm => Some(bone.vrm_name().to_string()),
            Convention::Generic | Convention::Author => None,
            Convention::Mixamo => Convention::MixamoNames
                .expected_name(bone)
                .map(|n| format!("mixamorig:{n}")),
            Convention::MixamoNames => match part {
                Part::Hips => Some("Hips".into()),
                Part::Spine => Some("Spine".into()),
                Part::Chest => Some("Spine1".into()),
                Part::UpperChest => Some("Spine2".into()),
                Part::Neck => Some("Neck".into()),
                Part::Head => Some("Head".into()),
                Part::Jaw => None,
                Part::Eye => named("Eye"),
                Part::Shoulder => named("Shoulder"),
                Part::UpperArm => named("Arm"),
                Part::Forearm => named("ForeArm"),
                Part::Hand => named("Hand"),
                Part::UpperLeg => named("UpLeg"),
                Part::LowerLeg => named("Leg"),
                Part::Foot => named("Foot"),
                Part::Toes => named("ToeBase"),
            },
            Convention::Rigify => match part {
                Part::Hips => Some("spine".into()),
                Part::Spine => Some("spine.001".into()),
                Part::Chest => Some("spine.002".into()),
                Part::UpperChest => Some("spine.003".into()),
                Part::Neck => Some("spine.004".into()),
                Part::Head => Some("spine.006".into()),
                Part::Jaw => Some("jaw".into()),
                Part::Eye => named("eye"),
                Part::Shoulder => named("shoulder"),
                Part::UpperArm => named("upper_arm"),
                Part::Forearm => named("forearm"),
                Part::Hand => named("hand"),
                Part::UpperLeg => named("thigh"),
                Part::LowerLeg => named("shin"),
                Part::Foot => named("foot"),
                Part::Toes => named("toe"),
            },
            Convention::Fbx2gltf => match part {
                Part::Hips => Some("Hips".into()),
                Part::Spine => Some("Abdomen".into()),
                Part::Chest => Some("Torso".into()),
                Part::Neck => Some("Neck".into()),
                Part::Head => Some("Head".into()),
                Part::Shoulder => named("Shoulder"),
                Part::UpperArm => named("UpperArm"),
                Part::Forearm => named("LowerArm"),
                Part::UpperLeg => named("UpperLeg"),
                Part::LowerLeg => named("LowerLeg"),
                Part::Foot => named("Foot"),
                _ => None,
            },
            Convention::Unreal => match part {
                Part::Hips => Some("pelvis".into()),
                Part::Spine => Some("spine_01".into()),
                Part::Chest => Some("spine_02".into()),
                Part::UpperChest => Some("spine_03".into()),
                Part::Neck => Some("neck_01".into()),
                Part::Head => Some("head".into()),
                Part::Shoulder => named("clavicle"),
                Part::UpperArm => named("upperarm"),
                Part::Forearm => named("lowerarm"),
                Part::Hand => named("hand"),
                Part::UpperLeg => named("thigh"),
                Part::LowerLeg => named("calf"),
                Part::Foot => named("foot"),
                Part::Toes => named("ball"),
                _ => None,
            },
            Convention::CharacterCreator => match part {
                Part::Hips => Some("CC_Base_Hip".into()),
                Part::Spine => Some("CC_Base_Waist".into()),
                Part::Chest => Some("CC_Base_Spine01".into()),
                Part::UpperChest => Some("CC_Base_Spine02".into()),
                Part::Neck => Some("CC_Base_NeckTwist01".into()),
                Part::Head => Some("CC_Base_Head".into()),
                Part::Jaw => Some("CC_Base_JawRoot".into()),
                Part::Eye => named("Eye"),
                Part::Shoulder => named("Clavicle"),
                Part::UpperArm => named("Upperarm"),
                Part::Forearm => named("Forearm"),
                Part::Hand => named("Hand"),
                Part::UpperLeg => named("Thigh"),
                Part::LowerLeg => named("Calf"),
                Part::Foot => named("Foot"),
                Part::Toes => named("ToeBase"),
            },
            Convention::VRoid => match part {
                Part::Hips => Some("J_Bip_C_Hips".into()),
                Part::Spine => Some("J_Bip_C_Spine".into()),
                Part::Chest => Some("J_Bip_C_Chest".into()),
                Part::UpperChest => Some("J_Bip_C_UpperChest".into()),
                Part::Neck => Some("J_Bip_C_Neck".into()),
                Part::Head => Some("J_Bip_C_Head".into()),
                Part::Jaw => None,
                Part::Eye => Some(format!("J_Adj_{}FaceEye", lr("L_", "R_"))),
                Part::Shoulder => named("Shoulder"),
                Part::UpperArm => named("UpperArm"),
                Part::Forearm => named("LowerArm"),
                Part::Hand => named("Hand"),
                Part::UpperLeg => named("UpperLeg"),
                Part::LowerLeg => named("LowerLeg"),
                Part::Foot => named("Foot"),
                Part::Toes => named("ToeBase"),
            },
        }
    }
}

/// The convention one matched bone name speaks for, if it is telling: a tool's prefix,
/// or a limb named the way only one convention names it.
pub fn vote(raw: &str, parts: &NameParts) -> Option<Convention> {
    match parts.prefix {
        Prefix::Mixamo => return Some(Convention::Mixamo),
        Prefix::CharacterCreator => return Some(Convention::CharacterCreator),
        Prefix::VRoid => return Some(Convention::VRoid),
        Prefix::Deform | Prefix::Original => return Some(Convention::Rigify),
        _ => {}
    }
    let stem = parts.stem.as_str();
    match parts.side_style {
        SideStyle::Word
            if ["arm", "forearm", "upleg", "leg", "toebase"].contains(&stem)
                && (raw.starts_with("Left") || raw.starts_with("Right"))
                && raw.chars().all(char::is_alphanumeric) =>
        {
            Some(Convention::MixamoNames)
        }
        SideStyle::DotSuffix if ["thigh", "shin", "forearm", "toe"].contains(&stem) => {
            Some(Convention::Rigify)
        }
        SideStyle::DotSuffix if stem == "upperarm" => Some(if raw.contains('_') {
            Convention::Rigify
        } else {
            Convention::Fbx2gltf
        }),
        SideStyle::DotSuffix if ["lowerarm", "upperleg", "lowerleg"].contains(&stem) => {
            Some(Convention::Fbx2gltf)
        }
        SideStyle::Suffix
            if ["upperarm", "lowerarm", "thigh", "calf", "ball", "clavicle"].contains(&stem)
                && raw.chars().all(|c| !c.is_uppercase()) =>
        {
            Some(Convention::Unreal)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote_of(raw: &str) -> Option<Convention> {
        vote(raw, &NameParts::parse(raw))
    }

    #[test]
    fn telling_names_vote_for_their_convention() {
        assert_eq!(vote_of("mixamorig:LeftArm"), Some(Convention::Mixamo));
        assert_eq!(vote_of("LeftForeArm"), Some(Convention::MixamoNames));
        assert_eq!(vote_of("upper_arm.L"), Some(Convention::Rigify));
        assert_eq!(vote_of("UpperArm.L"), Some(Convention::Fbx2gltf));
        assert_eq!(vote_of("lowerarm_l"), Some(Convention::Unreal));
        assert_eq!(
            vote_of("CC_Base_L_Forearm"),
            Some(Convention::CharacterCreator)
        );
        assert_eq!(vote_of("J_Bip_L_LowerArm"), Some(Convention::VRoid));
        assert_eq!(vote_of("DEF-thigh.L"), Some(Convention::Rigify));
        // A hand or a head is called that everywhere: no vote.
        assert_eq!(vote_of("Hand.L"), None);
        assert_eq!(vote_of("left_forearm"), None);
        assert_eq!(vote_of("Head"), None);
    }

    #[test]
    fn expected_names_read_like_the_convention() {
        let f = Bone::LeftForearm;
        let name = |c: Convention| c.expected_name(f);
        assert_eq!(
            name(Convention::MixamoNames).as_deref(),
            Some("LeftForeArm")
        );
        assert_eq!(
            name(Convention::Mixamo).as_deref(),
            Some("mixamorig:LeftForeArm")
        );
        assert_eq!(name(Convention::Rigify).as_deref(), Some("forearm.L"));
        assert_eq!(name(Convention::Fbx2gltf).as_deref(), Some("LowerArm.L"));
        assert_eq!(name(Convention::Unreal).as_deref(), Some("lowerarm_l"));
        assert_eq!(
            name(Convention::CharacterCreator).as_deref(),
            Some("CC_Base_L_Forearm")
        );
        assert_eq!(name(Convention::VRoid).as_deref(), Some("J_Bip_L_LowerArm"));
        assert_eq!(name(Convention::Vrm).as_deref(), Some("leftLowerArm"));
        assert_eq!(
            Convention::Unreal
                .expected_name(Bone::RightLowerLeg)
                .as_deref(),
            Some("calf_r")
        );
        assert_eq!(Convention::Generic.expected_name(f), None);
    }
}
