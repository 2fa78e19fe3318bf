//! The bones of our rig: what the animator drives, by our names and by VRM's.

/// Which side of her body a bone is on (her own left, as in every convention here).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }
}

/// A bone of the body without its side: what a name says before `Left`/`.L`/`_l`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Hips,
    Spine,
    Chest,
    UpperChest,
    Neck,
    Head,
    Jaw,
    Eye,
    /// The clavicle.
    Shoulder,
    UpperArm,
    /// The lower arm.
    Forearm,
    Hand,
    UpperLeg,
    LowerLeg,
    Foot,
    Toes,
}

impl Part {
    /// Whether the part comes in a left and a right.
    pub fn is_sided(self) -> bool {
        matches!(
            self,
            Part::Eye
                | Part::Shoulder
                | Part::UpperArm
                | Part::Forearm
                | Part::Hand
                | Part::UpperLeg
                | Part::LowerLeg
                | Part::Foot
                | Part::Toes
        )
    }
}

/// One bone of our rig.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bone {
    Hips,
    Spine,
    Chest,
    UpperChest,
    Neck,
    Head,
    Jaw,
    LeftEye,
    RightEye,
    LeftShoulder,
    RightShoulder,
    LeftUpperArm,
    RightUpperArm,
    LeftForearm,
    RightForearm,
    LeftHand,
    RightHand,
    LeftUpperLeg,
    RightUpperLeg,
    LeftLowerLeg,
    RightLowerLeg,
    LeftFoot,
    RightFoot,
    LeftToes,
    RightToes,
}

/// `(bone, our name, VRM 1.0 / 0.x humanoid name)`.
const NAMES: [(Bone, &str, &str); 25] = [
    (Bone::Hips, "hips", "hips"),
    (Bone::Spine, "spine", "spine"),
    (Bone::Chest, "chest", "chest"),
    (Bone::UpperChest, "upper_chest", "upperChest"),
    (Bone::Neck, "neck", "neck"),
    (Bone::Head, "head", "head"),
    (Bone::Jaw, "jaw", "jaw"),
    (Bone::LeftEye, "left_eye", "leftEye"),
    (Bone::RightEye, "right_eye", "rightEye"),
    (Bone::LeftShoulder, "left_shoulder", "leftShoulder"),
    (Bone::RightShoulder, "right_shoulder", "rightShoulder"),
    (Bone::LeftUpperArm, "left_upper_arm", "leftUpperArm"),
    (Bone::RightUpperArm, "right_upper_arm", "rightUpperArm"),
    (Bone::LeftForearm, "left_forearm", "leftLowerArm"),
    (Bone::RightForearm, "right_forearm", "rightLowerArm"),
    (Bone::LeftHand, "left_hand", "leftHand"),
    (Bone::RightHand, "right_hand", "rightHand"),
    (Bone::LeftUpperLeg, "left_upper_leg", "leftUpperLeg"),
    (Bone::RightUpperLeg, "right_upper_leg", "rightUpperLeg"),
    (Bone::LeftLowerLeg, "left_lower_leg", "leftLowerLeg"),
    (Bone::RightLowerLeg, "right_lower_leg", "rightLowerLeg"),
    (Bone::LeftFoot, "left_foot", "leftFoot"),
    (Bone::RightFoot, "right_foot", "rightFoot"),
    (Bone::LeftToes, "left_toes", "leftToes"),
    (Bone::RightToes, "right_toes", "rightToes"),
];

impl Bone {
    /// Every bone, parents before children.
    pub const ALL: [Bone; 25] = {
        let mut all = [Bone::Hips; 25];
        let mut i = 0;
        while i < 25 {
            all[i] = NAMES[i].0;
            i += 1;
        }
        all
    };

    /// The bones a model must have to be animated as a person (issue #17's list).
    pub const REQUIRED: [Bone; 16] = [
        Bone::Hips,
        Bone::Spine,
        Bone::Neck,
        Bone::Head,
        Bone::LeftUpperArm,
        Bone::RightUpperArm,
        Bone::LeftForearm,
        Bone::RightForearm,
        Bone::LeftHand,
        Bone::RightHand,
        Bone::LeftUpperLeg,
        Bone::RightUpperLeg,
        Bone::LeftLowerLeg,
        Bone::RightLowerLeg,
        Bone::LeftFoot,
        Bone::RightFoot,
    ];

    /// Our name, in snake_case: the key of a cast entry's `bones: { ... }`.
    pub fn name(self) -> &'static str {
        NAMES[self as usize].1
    }

    /// VRM's humanoid bone name (the same in VRM 1.0 and 0.x).
    pub fn vrm_name(self) -> &'static str {
        NAMES[self as usize].2
    }

    /// The bone with our snake_case name.
    pub fn from_name(name: &str) -> Option<Bone> {
        NAMES.iter().find(|n| n.1 == name).map(|n| n.0)
    }

    /// The bone with a VRM humanoid name, any case (`leftLowerArm`, `LeftLowerArm`).
    pub fn from_vrm_name(name: &str) -> Option<Bone> {
        NAMES
            .iter()
            .find(|n| n.2.eq_ignore_ascii_case(name))
            .map(|n| n.0)
    }

    /// Whether the model must have this bone.
    pub fn is_required(self) -> bool {
        Bone::REQUIRED.contains(&self)
    }

    /// The bone's side, if it has one.
    pub fn side(self) -> Option<Side> {
        let i = self as usize;
        if i < Bone::LeftEye as usize {
            None
        } else if (i - Bone::LeftEye as usize).is_multiple_of(2) {
            Some(Side::Left)
        } else {
            Some(Side::Right)
        }
    }

    /// The bone without its side.
    pub fn part(self) -> Part {
        match self {
            Bone::Hips => Part::Hips,
            Bone::Spine => Part::Spine,
            Bone::Chest => Part::Chest,
            Bone::UpperChest => Part::UpperChest,
            Bone::Neck => Part::Neck,
            Bone::Head => Part::Head,
            Bone::Jaw => Part::Jaw,
            Bone::LeftEye | Bone::RightEye => Part::Eye,
            Bone::LeftShoulder | Bone::RightShoulder => Part::Shoulder,
            Bone::LeftUpperArm | Bone::RightUpperArm => Part::UpperArm,
            Bone::LeftForearm | Bone::RightForearm => Part::Forearm,
            Bone::LeftHand | Bone::RightHand => Part::Hand,
            Bone::LeftUpperLeg | Bone::RightUpperLeg => Part::UpperLeg,
            Bone::LeftLowerLeg | Bone::RightLowerLeg => Part::LowerLeg,
            Bone::LeftFoot | Bone::RightFoot => Part::Foot,
            Bone::LeftToes | Bone::RightToes => Part::Toes,
        }
    }

    /// The bone made of a part and a side; `None` when they do not go together (a
    /// sided part without a side, or a middle part with one).
    pub fn of(part: Part, side: Option<Side>) -> Option<Bone> {
        Bone::ALL
            .into_iter()
            .find(|b| b.part() == part && b.side() == side)
    }

    /// The bone's parent in our rig, when the rig has it; otherwise its parent's parent
    /// (a neck hangs from the upper chest, else the chest, else the spine).
    pub fn rig_parents(self) -> &'static [Bone] {
        match self {
            Bone::Hips => &[],
            Bone::Spine => &[Bone::Hips],
            Bone::Chest => &[Bone::Spine, Bone::Hips],
            Bone::UpperChest => &[Bone::Chest, Bone::Spine],
            Bone::Neck => &[Bone::UpperChest, Bone::Chest, Bone::Spine],
            Bone::Head => &[Bone::Neck],
            Bone::Jaw | Bone::LeftEye | Bone::RightEye => &[Bone::Head],
            Bone::LeftShoulder | Bone::RightShoulder => &[Bone::UpperChest, Bone::Chest],
            Bone::LeftUpperArm => &[Bone::LeftShoulder, Bone::UpperChest, Bone::Chest],
            Bone::RightUpperArm => &[Bone::RightShoulder, Bone::UpperChest, Bone::Chest],
            Bone::LeftForearm => &[Bone::LeftUpperArm],
            Bone::RightForearm => &[Bone::RightUpperArm],
            Bone::LeftHand => &[Bone::LeftForearm],
            Bone::RightHand => &[Bone::RightForearm],
            Bone::LeftUpperLeg | Bone::RightUpperLeg => &[Bone::Hips],
            Bone::LeftLowerLeg => &[Bone::LeftUpperLeg],
            Bone::RightLowerLeg => &[Bone::RightUpperLeg],
            Bone::LeftFoot => &[Bone::LeftLowerLeg],
            Bone::RightFoot => &[Bone::RightLowerLeg],
            Bone::LeftToes => &[Bone::LeftFoot],
            Bone::RightToes => &[Bone::RightFoot],
        }
    }

    /// The bone's first child in our rig along the limb or the trunk, when it has one.
    pub fn rig_child(self) -> Option<Bone> {
        match self {
            Bone::Hips => Some(Bone::Spine),
            Bone::Spine => Some(Bone::Chest),
            Bone::Chest => Some(Bone::UpperChest),
            Bone::UpperChest => Some(Bone::Neck),
            Bone::Neck => Some(Bone::Head),
            Bone::LeftShoulder => Some(Bone::LeftUpperArm),
            Bone::RightShoulder => Some(Bone::RightUpperArm),
            Bone::LeftUpperArm => Some(Bone::LeftForearm),
            Bone::RightUpperArm => Some(Bone::RightForearm),
            Bone::LeftForearm => Some(Bone::LeftHand),
            Bone::RightForearm => Some(Bone::RightHand),
            Bone::LeftUpperLeg => Some(Bone::LeftLowerLeg),
            Bone::RightUpperLeg => Some(Bone::RightLowerLeg),
            Bone::LeftLowerLeg => Some(Bone::LeftFoot),
            Bone::RightLowerLeg => Some(Bone::RightFoot),
            Bone::LeftFoot => Some(Bone::LeftToes),
            Bone::RightFoot => Some(Bone::RightToes),
            _ => None,
        }
    }
}

impl std::fmt::Display for Bone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sides_agree_with_names() {
        for bone in Bone::ALL {
            assert_eq!(Bone::from_name(bone.name()), Some(bone));
            assert_eq!(Bone::from_vrm_name(bone.vrm_name()), Some(bone));
            assert_eq!(Bone::of(bone.part(), bone.side()), Some(bone));
            let side = bone.side();
            assert_eq!(side == Some(Side::Left), bone.name().starts_with("left_"));
            assert_eq!(side == Some(Side::Right), bone.name().starts_with("right_"));
            assert_eq!(bone.part().is_sided(), side.is_some(), "{bone}");
        }
        assert_eq!(Bone::from_vrm_name("LEFTLOWERARM"), Some(Bone::LeftForearm));
        assert_eq!(Bone::from_name("left_lower_arm"), None);
    }

    #[test]
    fn sixteen_required_bones_none_of_them_optional_ones() {
        assert_eq!(Bone::REQUIRED.len(), 16);
        for optional in [Bone::Chest, Bone::UpperChest, Bone::Jaw, Bone::LeftEye] {
            assert!(!optional.is_required());
        }
        assert!(Bone::LeftForearm.is_required());
    }
}
