//! The body plan of the built-in avatar: where her joints are, from her height.
//!
//! Proportions are a stylised seven-year-old's: a large head (about a fifth of her
//! height with hair), short limbs, a high waist. Everything is in the avatar's own
//! space: origin on the floor between her feet, y up, facing -z, her right is +x.

use bevy::math::Vec3;
use reunion_story::story::BodyPlan;

/// Lengths and joint positions, in metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Proportions {
    pub height: f32,
    pub head_radius: f32,
    /// The head turns about this point (the top of the neck), from the floor.
    pub neck_y: f32,
    /// The chest bends about the waist, from the floor.
    pub waist_y: f32,
    /// The legs hang from the hips, from the floor.
    pub hip_y: f32,
    pub shoulder_y: f32,
    pub shoulder_half: f32,
    pub hip_half: f32,
    pub upper_arm: f32,
    pub forearm: f32,
    pub hand: f32,
    pub thigh: f32,
    pub shin: f32,
    /// Height of the ankle above the floor.
    pub ankle: f32,
    pub foot: f32,
    /// One step, heel to heel.
    pub step: f32,
}

impl Proportions {
    pub fn from_height(h: f32) -> Self {
        let h = h.clamp(0.6, 2.2);
        let head_radius = h * 0.097;
        let ankle = h * 0.045;
        let thigh = h * 0.205;
        let shin = h * 0.2;
        // Legs stand very slightly bent so the knee never locks.
        let hip_y = ankle + (thigh + shin) * 0.985;
        let neck_y = h - head_radius * 2.05;
        Self {
            height: h,
            head_radius,
            neck_y,
            waist_y: hip_y + h * 0.09,
            hip_y,
            shoulder_y: neck_y - h * 0.025,
            shoulder_half: h * 0.105,
            hip_half: h * 0.05,
            upper_arm: h * 0.155,
            forearm: h * 0.145,
            hand: h * 0.034,
            thigh,
            shin,
            ankle,
            foot: h * 0.12,
            step: h * 0.3,
        }
    }

    /// The proportions of a model's body, measured on its rest skeleton: the animator
    /// then reaches, steps and looks with her own arm and leg lengths. The step is
    /// the built-in avatar's share of her leg length.
    pub fn from_plan(b: &BodyPlan) -> Self {
        let child = Self::from_height(b.height);
        let legs = b.thigh + b.shin;
        let child_legs = child.thigh + child.shin;
        Self {
            height: b.height,
            head_radius: b.head_radius,
            neck_y: b.neck_y,
            waist_y: b.waist_y,
            // Legs stand very slightly bent, as the built-in avatar's: the pelvis sinks
            // the little a straight leg would need.
            hip_y: b.hip_y.min(b.ankle + legs * 0.985),
            shoulder_y: b.shoulder_y,
            shoulder_half: b.shoulder_half,
            hip_half: b.hip_half,
            upper_arm: b.upper_arm,
            forearm: b.forearm,
            hand: b.hand,
            thigh: b.thigh,
            shin: b.shin,
            ankle: b.ankle,
            foot: b.foot,
            step: child.step * legs / child_legs.max(1e-3),
        }
    }

    /// The centre of the head, from the floor.
    pub fn head_centre_y(&self) -> f32 {
        self.neck_y + self.head_radius * 1.0
    }

    /// Where the eyes are, above the floor (for gaze: where people look at her).
    pub fn eye_height(&self) -> f32 {
        self.head_centre_y() - self.head_radius * 0.1
    }

    /// The shoulder joint of side `s` (+1 right, -1 left) in chest space.
    pub fn shoulder(&self, s: f32) -> Vec3 {
        Vec3::new(s * self.shoulder_half, self.shoulder_y - self.waist_y, 0.0)
    }

    /// The hip joint of side `s` in pelvis space.
    pub fn hip(&self, s: f32) -> Vec3 {
        Vec3::new(s * self.hip_half, 0.0, 0.0)
    }

    /// Where the hand rests, arm hanging and relaxed, in chest space.
    pub fn hand_rest(&self, s: f32) -> Vec3 {
        let reach = (self.upper_arm + self.forearm) * 0.95;
        self.shoulder(s) + Vec3::new(s * 0.03 * self.height, -reach, -0.02 * self.height)
    }

    /// Arm length, shoulder to wrist.
    pub fn arm(&self) -> f32 {
        self.upper_arm + self.forearm
    }
}
