//! One skeleton per convention, each found whole.

use super::{assert_bones, complete, outline};
use crate::humanoid::*;

/// Blender Rigify's generated rig exported whole: deform bones, controls, mechanism
/// and original bones, all with the metarig's names somewhere in them.
const RIGIFY: &str = "
rig
  root
    torso
      hips
      chest
    MCH-spine
    ORG-spine
      ORG-spine.001
    DEF-spine
      DEF-spine.001
        DEF-spine.002
          DEF-spine.003
            DEF-spine.004
              DEF-spine.005
                DEF-spine.006
                  DEF-jaw
            DEF-shoulder.L
              DEF-upper_arm.L
                DEF-upper_arm.L.001
                  DEF-forearm.L
                    DEF-forearm.L.001
                      DEF-hand.L
            DEF-shoulder.R
              DEF-upper_arm.R
                DEF-upper_arm.R.001
                  DEF-forearm.R
                    DEF-forearm.R.001
                      DEF-hand.R
      DEF-pelvis.L
      DEF-pelvis.R
      DEF-thigh.L
        DEF-thigh.L.001
          DEF-shin.L
            DEF-shin.L.001
              DEF-foot.L
                DEF-toe.L
      DEF-thigh.R
        DEF-thigh.R.001
          DEF-shin.R
            DEF-shin.R.001
              DEF-foot.R
                DEF-toe.R
    upper_arm_fk.L
      forearm_fk.L
        hand_fk.L
    MCH-forearm_ik.L
    head
    neck
";

#[test]
fn rigify_numbers_its_trunk_and_only_deform_bones_count() {
    let map = complete(&outline(RIGIFY));
    assert_bones(
        &map,
        &[
            ("hips", "DEF-spine"),
            ("spine", "DEF-spine.001"),
            ("chest", "DEF-spine.002"),
            ("upper_chest", "DEF-spine.003"),
            ("neck", "DEF-spine.004"),
            ("head", "DEF-spine.006"),
            ("jaw", "DEF-jaw"),
            ("left_shoulder", "DEF-shoulder.L"),
            ("left_upper_arm", "DEF-upper_arm.L"),
            ("left_forearm", "DEF-forearm.L"),
            ("left_hand", "DEF-hand.L"),
            ("right_forearm", "DEF-forearm.R"),
            ("left_upper_leg", "DEF-thigh.L"),
            ("left_lower_leg", "DEF-shin.L"),
            ("left_foot", "DEF-foot.L"),
            ("left_toes", "DEF-toe.L"),
        ],
    );
    assert_eq!(map.convention, Convention::Rigify);
    assert!(
        !map.file_bones
            .iter()
            .any(|b| b.starts_with("MCH-") || b == "hips")
    );
}

#[test]
fn the_blender_metarig_reads_like_rigify() {
    let text = "
spine
  spine.001
    spine.002
      spine.003
        spine.004
          spine.005
            spine.006
              face
        shoulder.L
          upper_arm.L
            forearm.L
              hand.L
        shoulder.R
          upper_arm.R
            forearm.R
              hand.R
        breast.L
  pelvis.L
  thigh.L
    shin.L
      foot.L
        toe.L
      heel.02.L
  thigh.R
    shin.R
      foot.R
        toe.R
";
    let map = complete(&outline(text));
    assert_bones(
        &map,
        &[
            ("hips", "spine"),
            ("neck", "spine.004"),
            ("head", "spine.006"),
            ("left_lower_leg", "shin.L"),
        ],
    );
    assert_eq!(map.convention, Convention::Rigify);
}

#[test]
fn unreal_mannequin_ignores_twist_and_ik_bones() {
    let text = "
root
  pelvis
    spine_01
      spine_02
        spine_03
          clavicle_l
            upperarm_l
              lowerarm_l
                hand_l
                  index_01_l
                lowerarm_twist_01_l
              upperarm_twist_01_l
          clavicle_r
            upperarm_r
              lowerarm_r
                hand_r
          neck_01
            head
    thigh_l
      calf_l
        foot_l
          ball_l
        calf_twist_01_l
      thigh_twist_01_l
    thigh_r
      calf_r
        foot_r
          ball_r
  ik_foot_root
    ik_foot_l
  ik_hand_root
    ik_hand_gun
      ik_hand_l
      ik_hand_r
";
    let map = complete(&outline(text));
    assert_bones(
        &map,
        &[
            ("hips", "pelvis"),
            ("spine", "spine_01"),
            ("chest", "spine_02"),
            ("upper_chest", "spine_03"),
            ("neck", "neck_01"),
            ("left_shoulder", "clavicle_l"),
            ("left_upper_arm", "upperarm_l"),
            ("left_forearm", "lowerarm_l"),
            ("left_hand", "hand_l"),
            ("right_hand", "hand_r"),
            ("left_upper_leg", "thigh_l"),
            ("left_lower_leg", "calf_l"),
            ("left_foot", "foot_l"),
            ("left_toes", "ball_l"),
        ],
    );
    assert_eq!(map.convention, Convention::Unreal);
}

#[test]
fn character_creator_hips_are_the_hip_above_the_pelvis() {
    let text = "
RL_BoneRoot
  CC_Base_BoneRoot
    CC_Base_Hip
      CC_Base_Pelvis
        CC_Base_L_Thigh
          CC_Base_L_Calf
            CC_Base_L_Foot
              CC_Base_L_ToeBase
            CC_Base_L_CalfTwist01
          CC_Base_L_ThighTwist01
        CC_Base_R_Thigh
          CC_Base_R_Calf
            CC_Base_R_Foot
      CC_Base_Waist
        CC_Base_Spine01
          CC_Base_Spine02
            CC_Base_NeckTwist01
              CC_Base_NeckTwist02
                CC_Base_Head
                  CC_Base_FacialBone
                    CC_Base_JawRoot
                    CC_Base_L_Eye
                    CC_Base_R_Eye
            CC_Base_L_Clavicle
              CC_Base_L_Upperarm
                CC_Base_L_Forearm
                  CC_Base_L_Hand
                  CC_Base_L_ForearmTwist01
                  CC_Base_L_ElbowShareBone
                CC_Base_L_UpperarmTwist01
            CC_Base_R_Clavicle
              CC_Base_R_Upperarm
                CC_Base_R_Forearm
                  CC_Base_R_Hand
";
    let map = complete(&outline(text));
    assert_bones(
        &map,
        &[
            ("hips", "CC_Base_Hip"),
            ("spine", "CC_Base_Waist"),
            ("chest", "CC_Base_Spine01"),
            ("upper_chest", "CC_Base_Spine02"),
            ("neck", "CC_Base_NeckTwist01"),
            ("head", "CC_Base_Head"),
            ("jaw", "CC_Base_JawRoot"),
            ("left_eye", "CC_Base_L_Eye"),
            ("left_shoulder", "CC_Base_L_Clavicle"),
            ("left_upper_arm", "CC_Base_L_Upperarm"),
            ("left_forearm", "CC_Base_L_Forearm"),
            ("left_hand", "CC_Base_L_Hand"),
            ("left_upper_leg", "CC_Base_L_Thigh"),
            ("left_lower_leg", "CC_Base_L_Calf"),
            ("right_foot", "CC_Base_R_Foot"),
        ],
    );
    assert_eq!(map.convention, Convention::CharacterCreator);
    // The legs hang from the pelvis, which the hip carries: nothing odd.
    assert!(map.notes.is_empty(), "{:?}", map.notes);
}

#[test]
fn vroid_names_without_vrm_and_secondary_bones_left_out() {
    let text = "
Root
  J_Bip_C_Hips
    J_Bip_C_Spine
      J_Bip_C_Chest
        J_Bip_C_UpperChest
          J_Bip_C_Neck
            J_Bip_C_Head
              J_Adj_L_FaceEye
              J_Adj_R_FaceEye
              J_Sec_Hair1_01
          J_Bip_L_Shoulder
            J_Bip_L_UpperArm
              J_Bip_L_LowerArm
                J_Bip_L_Hand
          J_Bip_R_Shoulder
            J_Bip_R_UpperArm
              J_Bip_R_LowerArm
                J_Bip_R_Hand
          J_Sec_L_Bust1
    J_Bip_L_UpperLeg
      J_Bip_L_LowerLeg
        J_Bip_L_Foot
          J_Bip_L_ToeBase
    J_Bip_R_UpperLeg
      J_Bip_R_LowerLeg
        J_Bip_R_Foot
          J_Bip_R_ToeBase
";
    let map = complete(&outline(text));
    assert_bones(
        &map,
        &[
            ("hips", "J_Bip_C_Hips"),
            ("chest", "J_Bip_C_Chest"),
            ("upper_chest", "J_Bip_C_UpperChest"),
            ("left_eye", "J_Adj_L_FaceEye"),
            ("left_forearm", "J_Bip_L_LowerArm"),
            ("right_lower_leg", "J_Bip_R_LowerLeg"),
        ],
    );
    assert_eq!(map.convention, Convention::VRoid);
    assert!(!map.file_bones.iter().any(|b| b.starts_with("J_Sec")));
}

#[test]
fn biped_and_generic_sides_are_read_too() {
    let text = "
Bip01
  Bip01 Pelvis
    Bip01 Spine
      Bip01 Spine1
        Bip01 Neck
          Bip01 Head
          Bip01 L Clavicle
            Bip01 L UpperArm
              Bip01 L Forearm
                Bip01 L Hand
          Bip01 R Clavicle
            Bip01 R UpperArm
              Bip01 R Forearm
                Bip01 R Hand
    Bip01 L Thigh
      Bip01 L Calf
        Bip01 L Foot
          Bip01 L Toe0
    Bip01 R Thigh
      Bip01 R Calf
        Bip01 R Foot
";
    let map = complete(&outline(text));
    assert_bones(
        &map,
        &[
            ("hips", "Bip01 Pelvis"),
            ("neck", "Bip01 Neck"),
            ("left_forearm", "Bip01 L Forearm"),
            ("left_toes", "Bip01 L Toe0"),
        ],
    );
    let text = "
hips
  spine
    neck
      head
    left_upperarm
      left_forearm
        left_hand
    R_UpperArm
      R_LowerArm
        R_Hand
  Thigh_L
    Shin_L
      Foot_L
  RIGHTUPPERLEG
    RIGHTLOWERLEG
      RIGHTFOOT
";
    let map = complete(&outline(text));
    assert_bones(
        &map,
        &[
            ("right_forearm", "R_LowerArm"),
            ("left_lower_leg", "Shin_L"),
            ("right_lower_leg", "RIGHTLOWERLEG"),
        ],
    );
    assert_eq!(map.convention, Convention::Generic);
}
