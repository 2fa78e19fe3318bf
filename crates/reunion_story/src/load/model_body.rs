//! A cast model's skeleton and face, told to the author: each `bones` rename that
//! cannot be followed (at the rename), a model that is not a humanoid, each missing
//! bone and a skeleton with no skin (at `file:`), the face map's renames (at the
//! rename) and what the face cannot do (warnings at `model:`), a size that is not a
//! person's, a facing off the Z axis; and the notes that say what will move.

use std::collections::BTreeMap;

use super::Compiler;
use super::model::{MAX_LISTED, PLAUSIBLE_HEIGHT, listed, near_miss, used_at};
use super::model_clips::clip_needs;
use super::model_rig::{self, MeasureError};
use crate::face_shapes::{self, FaceMap, VrmExpression, map_face};
use crate::gltf::GltfModel;
use crate::humanoid::{self, Bone, HumanoidMap, MAX_LISTED_BONES, Verdict};
use crate::spans::{Seg, field, key, key_name};

/// Degrees a model may face away from ±Z before the checker says so.
const MAX_OFF_AXIS_DEGREES: f32 = 30.0;

impl Compiler<'_> {
    /// Each `bones` rename the map could not follow, at the rename.
    pub(super) fn report_bone_renames(
        &mut self,
        mpath: &[Seg],
        gltf: &GltfModel,
        map: &HumanoidMap,
        renames: &[(String, String)],
    ) {
        for problem in &map.rename_problems {
            let Some((written, _)) = renames.get(problem.index()) else {
                continue;
            };
            let (seg, hint) = match problem {
                humanoid::RenameProblem::UnknownBone { .. } => {
                    (key_name(written), problem.hint().map(str::to_owned))
                }
                humanoid::RenameProblem::NoSuchNode { name, .. } => {
                    let not_a_joint = gltf.node_by_name(name).is_some();
                    let hint = if not_a_joint {
                        Some(format!(
                            "`{name}` is a node of the file but not a joint of its skin: moving it would not move her mesh"
                        ))
                    } else {
                        problem.hint().map(str::to_owned)
                    };
                    (key(written), hint)
                }
            };
            self.error(&[mpath, &[field("bones"), seg]].concat(), problem.message())
                .hint = hint;
        }
    }

    /// The skeleton at `file:`: not a humanoid, required bones missing, no skin.
    /// Whether it is a humanoid the animator can measure (every required bone found).
    pub(super) fn report_skeleton(
        &mut self,
        who: &str,
        mpath: &[Seg],
        gltf: &GltfModel,
        map: &HumanoidMap,
    ) -> bool {
        let at = [mpath, &[field("file")]].concat();
        let skinned = model_rig::has_skin(gltf);
        let bones_hint = || {
            if map.file_bones.is_empty() {
                String::new()
            } else {
                format!(
                    "; the file's bones: {}",
                    listed(&map.file_bones, MAX_LISTED_BONES)
                )
            }
        };
        if map.verdict() == Verdict::NotHumanoid {
            let skin = if skinned { "" } else { ", and no skin" };
            self.error(
                &at,
                format!(
                    "{who}: {}{skin}; a cast member's model must be a rigged person",
                    map.summary()
                ),
            )
            .hint = Some(format!(
                "export the person with her armature (hips, spine, neck, head, arms, legs); if its bones are named unusually, name them in the cast entry: `bones: {{ \"hips\": \"...\" }}`{}",
                bones_hint()
            ));
            return false;
        }
        for missing in &map.missing {
            self.error(&at, format!("{who}: {}", missing.message()))
                .hint = Some(missing.hint(&map.file_bones));
        }
        if !skinned {
            self.error(
                &at,
                format!(
                    "{who} has a humanoid skeleton but no skin: its bones are plain nodes, so nothing would move her mesh with them"
                ),
            )
            .hint = Some(
                "export the mesh skinned to its armature (in Blender: parent it to the armature with automatic weights, and export with skinning on)".into(),
            );
        }
        map.verdict() == Verdict::Complete
    }

    /// The face map: renames at the rename, what the face cannot do as warnings at
    /// `model:`, what it can as a note.
    pub(super) fn model_face(
        &mut self,
        actor: &str,
        who: &str,
        mpath: &[Seg],
        gltf: &GltfModel,
        map: &HumanoidMap,
        renames: &[(String, String)],
    ) -> FaceMap {
        let morphs: Vec<String> = gltf
            .morph_target_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let expressions: Vec<VrmExpression> = gltf
            .vrm
            .iter()
            .flat_map(|v| &v.expressions)
            .map(|e| VrmExpression {
                name: e.name.clone(),
                morph_binds: e.morph_target_binds.len(),
                material_binds: e.material_binds,
            })
            .collect();
        let face = map_face(&morphs, &expressions, map.get(Bone::Jaw).is_some(), renames);
        for problem in &face.rename_problems {
            let Some((written, _)) = renames.get(problem.index()) else {
                continue;
            };
            let seg = match problem {
                face_shapes::RenameProblem::UnknownChannel { .. } => key_name(written),
                face_shapes::RenameProblem::NoSuchShape { .. } => key(written),
            };
            self.error(
                &[mpath, &[field("morphs"), seg]].concat(),
                problem.message(),
            )
            .hint = problem.hint().map(str::to_owned);
        }
        let report = face.report();
        for w in &report.warnings {
            self.warn(mpath, format!("{who}: {w}")).hint = Some(
                "reunion reads ARKit, Oculus viseme, VRM, VRoid and Character Creator shapes; name others under `morphs: { ... }`".into(),
            );
        }
        self.note(
            mpath,
            format!("`{actor}`'s face: {}", report.lines.join("; ")),
        );
        face
    }

    /// Why a complete skeleton could not be measured, at `file:`.
    pub(super) fn report_unmeasured(&mut self, who: &str, mpath: &[Seg], e: MeasureError) {
        let at = [mpath, &[field("file")]].concat();
        match e {
            MeasureError::Incomplete => {}
            MeasureError::NoSides => {
                self.error(
                    &at,
                    format!(
                        "{who}: cannot tell which way she faces: her left and right upper arms and legs are in the same place"
                    ),
                );
            }
            MeasureError::NoHeight(h) => {
                self.error(
                    &at,
                    format!("{who}: cannot tell her height: the top of her head is not above her feet ({h})"),
                );
            }
        }
    }

    /// Her size without `height:`, her facing, and bones Bevy would not spawn.
    pub(super) fn check_measured(
        &mut self,
        who: &str,
        mpath: &[Seg],
        m: &model_rig::Measured,
        height_given: bool,
    ) {
        if !height_given && !PLAUSIBLE_HEIGHT.contains(&m.own_height) {
            self.warn(
                mpath,
                format!(
                    "{who} stands {:.2} m tall as the file is (a person is {} to {} m): it may be in centimetres, or scaled in its file",
                    m.own_height,
                    PLAUSIBLE_HEIGHT.start(),
                    PLAUSIBLE_HEIGHT.end()
                ),
            )
            .hint = Some("give her height in metres in the cast entry, such as `height: 1.2`".into());
        }
        if m.off_axis_degrees > MAX_OFF_AXIS_DEGREES {
            self.warn(
                mpath,
                format!(
                    "{who} faces {:.0}° away from {}: reunion turns models to face along Z only",
                    m.off_axis_degrees,
                    m.facing.label()
                ),
            )
            .hint = Some("export the model facing +Z (glTF's convention for characters)".into());
        }
        for bone in &m.outside_scene {
            self.error(
                &[mpath, &[field("file")]].concat(),
                format!("{who}: its `{bone}` is not in the file's default scene, so it would not be shown"),
            );
        }
    }

    /// The note that says how she will move: her skeleton, size and facing, what plays
    /// from clips and what the animator makes; and one for the skeleton's oddities.
    pub(super) fn note_body(
        &mut self,
        actor: &str,
        mpath: &[Seg],
        map: &HumanoidMap,
        m: &model_rig::Measured,
        scale: f32,
        clips: &BTreeMap<String, String>,
        gltf: &GltfModel,
    ) {
        let animations: Vec<String> = gltf
            .animation_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let size = if (scale - 1.0).abs() > 1e-4 {
            format!(
                "{:.2} m tall (×{scale:.3} from {:.2})",
                m.own_height * scale,
                m.own_height
            )
        } else {
            format!("{:.2} m tall", m.own_height)
        };
        let found = |b: Bone| map.get(b).is_some();
        let eyes = if found(Bone::LeftEye) && found(Bone::RightEye) {
            "eye bones"
        } else {
            "no eye bones"
        };
        let jaw = if found(Bone::Jaw) {
            "a jaw bone"
        } else {
            "no jaw bone"
        };
        let played: Vec<String> = clips
            .iter()
            .map(|(ours, theirs)| format!("{ours} (`{theirs}`)"))
            .collect();
        let needs = clip_needs(self.file, actor);
        let made: Vec<String> = needs
            .iter()
            .filter(|(ours, _)| !clips.contains_key(*ours))
            .map(|(ours, n)| {
                let mut s = format!("{}{}", n.what, used_at(&n.nodes));
                if let Some(hint) = near_miss(ours, &animations, Some(("clips", ours))) {
                    s.push_str(&format!(" ({hint})"));
                }
                s
            })
            .collect();
        let motion = if played.is_empty() {
            "no clips: the animator makes idle, walking and every gesture".to_owned()
        } else {
            let mut s = format!("clips: {}", listed(&played, MAX_LISTED));
            if !made.is_empty() {
                s.push_str(&format!("; the animator makes {}", made.join(", ")));
            }
            s
        };
        self.note(
            mpath,
            format!(
                "`{actor}`'s model: {}; {size}, facing {}; {eyes}, {jaw}; {motion}",
                map.summary(),
                m.facing.label()
            ),
        );
        if !map.notes.is_empty() {
            self.note(
                mpath,
                format!("`{actor}`'s skeleton: {}", map.notes.join("; ")),
            );
        }
    }
}
