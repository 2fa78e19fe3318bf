//! The humanoid's proportions and skeleton: where each bone starts and ends for a
//! figure of a given height, and each bone's rest frame.
//!
//! Bones are named as Mixamo and Ready Player Me name them (`Hips`, `Spine`, `Spine1`,
//! `Spine2`, `Neck`, `Head`, `LeftEye`, `LeftShoulder`, `LeftArm`, `LeftForeArm`,
//! `LeftHand`, `LeftHandThumb1`, ..., `LeftUpLeg`, `LeftLeg`, `LeftFoot`,
//! `LeftToeBase`, and the `Right*` ones). The rest pose is a T-pose facing +Z with the
//! soles on y = 0; the figure's left is +X.
//!
//! Each bone's frame is Blender's: local +Y runs from the bone's head to its tail, and
//! a roll about it fixes local X and Z. So no bone's rest rotation is the identity (the
//! spine's local Z points backwards, the legs' Y points down, the arms' Y along them),
//! and whoever retargets onto this skeleton has to take rest rotations and rolls into
//! account, as with a real export.

use crate::math::{Quat, Rigid, Vec3, lerp, v3};

/// Measures of the figure, in metres, derived from its height.
#[derive(Clone, Copy, Debug)]
pub struct Proportions {
    pub height: f32,
    /// 0 for a small child's proportions, 1 for an adult's.
    pub grown: f32,
    /// The skull's half-height; the face is laid out in units of it.
    pub skull: f32,
    /// The centre of the skull.
    pub head_centre: Vec3,
    pub neck_base: f32,
    pub shoulder_y: f32,
    pub shoulder_x: f32,
    pub hips_y: f32,
    pub leg_y: f32,
    pub leg_x: f32,
    pub knee_y: f32,
    pub ankle_y: f32,
    pub upper_arm: f32,
    pub forearm: f32,
    pub hand: f32,
    pub foot: f32,
}

impl Proportions {
    /// A figure `height` metres tall (to the top of the hair). 1.2 m reads as a young
    /// child (a big head, about 5 heads tall, short limbs), 1.7 m as an adult (about
    /// 7 heads).
    pub fn new(height: f32) -> Proportions {
        let h = height;
        let grown = ((height - 1.0) / 0.7).clamp(0.0, 1.0);
        let heads = lerp(4.4, 6.9, grown);
        let head_height = h / heads;
        let skull = head_height * 0.47;
        // The hair's shell is 6 % over the skull: its top is the figure's height.
        let head_centre = v3(0.0, h - skull * 1.06, 0.012 * h);
        let chin = head_centre.y - skull;
        let neck_base = chin - head_height * lerp(0.1, 0.17, grown);
        let leg_y = h * lerp(0.43, 0.485, grown);
        let ankle_y = h * 0.045;
        Proportions {
            height: h,
            grown,
            skull,
            head_centre,
            neck_base,
            shoulder_y: neck_base - h * 0.022,
            shoulder_x: h * lerp(0.108, 0.1, grown),
            hips_y: leg_y + h * 0.035,
            leg_y,
            leg_x: h * lerp(0.056, 0.052, grown),
            knee_y: (leg_y + ankle_y) * 0.5 + h * 0.01,
            ankle_y,
            upper_arm: h * lerp(0.16, 0.183, grown),
            forearm: h * lerp(0.135, 0.148, grown),
            hand: h * lerp(0.1, 0.106, grown),
            foot: h * lerp(0.155, 0.148, grown),
        }
    }
}

/// The skull and the eyes, in head-local coordinates: origin at the skull's centre,
/// +X the figure's left, +Y up, +Z the way the face looks. The skull is an ellipsoid
/// narrowed towards the chin.
impl Proportions {
    /// The skull's radii across, up and front to back.
    pub fn skull_radii(&self) -> Vec3 {
        let r = self.skull;
        v3(r * lerp(0.88, 0.84, self.grown), r, r * 0.9)
    }

    /// How much narrower (across, front to back) the skull is at height `y`.
    pub fn taper(&self, y: f32) -> (f32, f32) {
        let k = (-y / self.skull).max(0.0);
        (
            1.0 - lerp(0.18, 0.26, self.grown) * k * k,
            1.0 - 0.06 * k * k,
        )
    }

    /// The skull's surface seen from the front: its z at (x, y), or 0 beyond its edge.
    pub fn front_z(&self, x: f32, y: f32) -> f32 {
        let r = self.skull_radii();
        let (tx, tz) = self.taper(y);
        let (a, b) = (x / (r.x * tx), y / r.y);
        let q = 1.0 - a * a - b * b;
        r.z * tz * q.max(0.0).sqrt()
    }

    pub fn eye_radius(&self) -> f32 {
        self.skull * lerp(0.2, 0.16, self.grown)
    }

    /// The centre of an eyeball (`sign` 1 for the left eye, -1 for the right),
    /// head-local. The eyeball stands out of the skull by a little over half its radius.
    pub fn eye_local(&self, sign: f32) -> Vec3 {
        let r = self.skull;
        let x = sign * r * lerp(0.37, 0.35, self.grown);
        let y = r * lerp(-0.1, -0.02, self.grown);
        v3(x, y, self.front_z(x, y) - self.eye_radius() * 0.42)
    }

    /// The centre of an eyeball in model space.
    pub fn eye_centre(&self, sign: f32) -> Vec3 {
        self.head_centre + self.eye_local(sign)
    }
}

/// One bone at rest: its parent, where it starts and ends, and its frame.
#[derive(Clone, Debug)]
pub struct Bone {
    pub name: String,
    pub parent: Option<usize>,
    pub head: Vec3,
    pub tail: Vec3,
    /// The rest rotation in model space: local +Y along the bone.
    pub frame: Quat,
}

impl Bone {
    /// The bone's rest transform in model space.
    pub fn world(&self) -> Rigid {
        Rigid {
            rotation: self.frame,
            translation: self.head,
        }
    }
}

/// The skeleton at rest.
#[derive(Clone, Debug)]
pub struct Skeleton {
    pub bones: Vec<Bone>,
}

/// A Blender-style frame: +Y from `head` to `tail`, +Z as near `z_hint` as it can be
/// while square to Y.
fn frame(head: Vec3, tail: Vec3, z_hint: Vec3) -> Quat {
    let y = (tail - head).normalize();
    let z = (z_hint - y * z_hint.dot(y)).normalize();
    let x = y.cross(z);
    Quat::from_axes(x, y, z)
}

impl Skeleton {
    pub fn new(p: &Proportions) -> Skeleton {
        let h = p.height;
        let mut s = Skeleton { bones: Vec::new() };
        let back = v3(0.0, 0.0, -1.0);
        let up = Vec3::Y;
        let fwd = Vec3::Z;

        // The spine curves a little: the small of the back forwards, the chest back.
        let spine_at = |f: f32| {
            let y = lerp(p.hips_y, p.neck_base, f);
            v3(0.0, y, h * (-0.03 * f + 0.025 * f * f))
        };
        let hips = spine_at(0.0);
        let spine = spine_at(0.12);
        let spine1 = spine_at(0.4);
        let spine2 = spine_at(0.68);
        let neck = spine_at(1.0);
        let head = p.head_centre + v3(0.0, -0.6 * p.skull, -0.15 * p.skull);
        let head_top = p.head_centre + v3(0.0, p.skull, -0.05 * p.skull);
        let hips_i = s.add("Hips", None, hips, spine, back);
        let spine_i = s.add("Spine", Some(hips_i), spine, spine1, back);
        let spine1_i = s.add("Spine1", Some(spine_i), spine1, spine2, back);
        let spine2_i = s.add("Spine2", Some(spine1_i), spine2, neck, back);
        let neck_i = s.add("Neck", Some(spine2_i), neck, head, back);
        let head_i = s.add("Head", Some(neck_i), head, head_top, back);
        for (side, sign) in [("Left", 1.0), ("Right", -1.0)] {
            let out = v3(sign, 0.0, 0.0);
            let eye = p.eye_centre(sign);
            s.add(
                &format!("{side}Eye"),
                Some(head_i),
                eye,
                eye + fwd * (0.3 * p.skull),
                up,
            );

            // Shoulder, arm, forearm, hand, along ±X in the T-pose. The arm rolls
            // 20° from "Z up" and the forearm another 25°, as a twisted rig would.
            let collar = v3(sign * 0.012 * h, p.neck_base - 0.03 * h, -0.012 * h);
            let shoulder = v3(sign * p.shoulder_x, p.shoulder_y, -0.014 * h);
            let elbow = shoulder + out * p.upper_arm + v3(0.0, 0.0, -0.004 * h);
            let wrist = elbow + out * p.forearm;
            let knuckles = wrist + out * (p.hand * 0.5);
            let roll = |deg: f32| Quat::from_axis_angle(out, sign * deg).rotate(up);
            let sh = s.add(
                &format!("{side}Shoulder"),
                Some(spine2_i),
                collar,
                shoulder,
                up,
            );
            let arm = s.add(&format!("{side}Arm"), Some(sh), shoulder, elbow, roll(20.0));
            let fore = s.add(
                &format!("{side}ForeArm"),
                Some(arm),
                elbow,
                wrist,
                roll(45.0),
            );
            let hand = s.add(&format!("{side}Hand"), Some(fore), wrist, knuckles, up);
            for (finger, at, dir) in finger_layout(p, sign, wrist, knuckles) {
                let len = if finger == "Thumb" { 0.2 } else { 0.23 } * p.hand;
                let mid = at + dir * len;
                let tip = mid + dir * (len * 0.9);
                let f1 = s.add(&format!("{side}Hand{finger}1"), Some(hand), at, mid, up);
                s.add(&format!("{side}Hand{finger}2"), Some(f1), mid, tip, up);
            }

            // Leg, shin, foot, toes: the leg bones point down, the knee forwards.
            let hip = v3(sign * p.leg_x, p.leg_y, 0.0);
            let knee = v3(sign * p.leg_x, p.knee_y, 0.006 * h);
            let ankle = v3(sign * p.leg_x * 0.96, p.ankle_y, -0.008 * h);
            let heel_z = ankle.z - 0.2 * p.foot;
            let ball = v3(ankle.x, 0.02 * h, heel_z + 0.72 * p.foot);
            let toe = v3(ankle.x, 0.018 * h, heel_z + p.foot);
            let up_leg = s.add(&format!("{side}UpLeg"), Some(hips_i), hip, knee, fwd);
            let leg = s.add(&format!("{side}Leg"), Some(up_leg), knee, ankle, fwd);
            let foot = s.add(&format!("{side}Foot"), Some(leg), ankle, ball, up);
            s.add(&format!("{side}ToeBase"), Some(foot), ball, toe, up);
        }
        s
    }

    fn add(
        &mut self,
        name: &str,
        parent: Option<usize>,
        head: Vec3,
        tail: Vec3,
        z_hint: Vec3,
    ) -> usize {
        self.bones.push(Bone {
            name: name.into(),
            parent,
            head,
            tail,
            frame: frame(head, tail, z_hint),
        });
        self.bones.len() - 1
    }

    /// The index of the bone called `name` (as a skin's joint index).
    pub fn joint(&self, name: &str) -> u8 {
        let i = self
            .bones
            .iter()
            .position(|b| b.name == name)
            .unwrap_or_else(|| panic!("no bone {name}"));
        i as u8
    }

    pub fn bone(&self, name: &str) -> &Bone {
        &self.bones[self.joint(name) as usize]
    }

    /// A bone's rest transform relative to its parent: a glTF node's translation and
    /// rotation.
    pub fn local(&self, i: usize) -> Rigid {
        let world = self.bones[i].world();
        match self.bones[i].parent {
            Some(parent) => self.bones[parent].world().inverse().then_after(&world),
            None => world,
        }
    }
}

/// Where each finger starts on the hand and the way it points: the thumb from the
/// front of the palm near the wrist, angled forwards and out; the four fingers from
/// the knuckles, index at the front (+Z, palms down in the T-pose), little finger at
/// the back.
pub fn finger_layout(
    p: &Proportions,
    sign: f32,
    wrist: Vec3,
    knuckles: Vec3,
) -> Vec<(&'static str, Vec3, Vec3)> {
    let width = p.hand * 0.42;
    let out = v3(sign, 0.0, 0.0);
    let mut fingers = vec![(
        "Thumb",
        wrist + out * (p.hand * 0.16) + v3(0.0, -0.012 * p.hand, width * 0.42),
        (out * 0.55 + v3(0.0, -0.25, 0.8)).normalize(),
    )];
    for (i, name) in ["Index", "Middle", "Ring", "Pinky"].into_iter().enumerate() {
        let z = width * (0.36 - 0.24 * i as f32);
        let back = if i == 3 { -0.06 } else { 0.0 } * p.hand;
        fingers.push((
            name,
            knuckles + out * back + v3(0.0, 0.0, z),
            (out + v3(0.0, 0.0, 0.04 * (1.5 - i as f32))).normalize(),
        ));
    }
    fingers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bone_points_its_local_y_along_itself_and_no_frame_is_the_identity() {
        for height in [1.2, 1.7] {
            let s = Skeleton::new(&Proportions::new(height));
            for b in &s.bones {
                let along = (b.tail - b.head).normalize();
                assert!(b.frame.rotate(Vec3::Y).dot(along) > 0.9999, "{}", b.name);
                assert!(
                    b.frame.w < 0.9999,
                    "{} has an identity rest rotation",
                    b.name
                );
            }
        }
    }

    #[test]
    fn local_transforms_rebuild_the_world_ones() {
        let s = Skeleton::new(&Proportions::new(1.7));
        for (i, b) in s.bones.iter().enumerate() {
            let mut world = s.local(i);
            let mut at = b.parent;
            while let Some(p) = at {
                world = s.local(p).then_after(&world);
                at = s.bones[p].parent;
            }
            let p = v3(0.1, 0.2, 0.3);
            assert!(
                (world.apply(p) - b.world().apply(p)).length() < 1e-4,
                "{}",
                b.name
            );
        }
    }
}
