//! The little linear algebra the models need: vectors, rotations, rigid transforms.
//!
//! Everything is plain `f32` arithmetic, and the one transcendental the models use,
//! [`sin_cos`], is computed here from additions and multiplications rather than by the
//! platform's maths library, whose last bits may differ between systems. With that, a
//! model is the same bytes on every machine.

use std::ops::{Add, AddAssign, Mul, Neg, Sub};

/// π as an `f32`.
pub const PI: f32 = std::f32::consts::PI;
/// 2π as an `f32`.
pub const TAU: f32 = std::f32::consts::TAU;

/// The sine and cosine of `x` radians, the same on every platform (a Taylor series in
/// `f64` after reducing to an eighth of a turn).
pub fn sin_cos(x: f32) -> (f32, f32) {
    let x = f64::from(x);
    let half_pi = std::f64::consts::FRAC_PI_2;
    let quarter = (x / half_pi).round();
    let y = x - quarter * half_pi;
    let y2 = y * y;
    // Horner form up to y^17 / 17!: far below f32's precision for |y| <= π/4.
    let mut s = 0.0;
    let mut c = 0.0;
    for k in (0..9).rev() {
        let n = f64::from(2 * k + 1);
        s = 1.0 - y2 / ((n + 1.0) * (n + 2.0)) * s;
        let m = f64::from(2 * k);
        c = 1.0 - y2 / ((m + 1.0) * (m + 2.0)) * c;
    }
    let (s, c) = (y * s, c);
    let (s, c) = match (quarter as i64).rem_euclid(4) {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    };
    (s as f32, c as f32)
}

/// Degrees to radians.
pub fn rad(degrees: f32) -> f32 {
    degrees * (PI / 180.0)
}

/// Linear interpolation from `a` to `b`.
pub fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// 0 below `e0`, 1 above `e1`, a smooth S between (also when `e0 > e1`).
pub fn smoothstep(e0: f32, e1: f32, x: f32) -> f32 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// A point or direction in metres; glTF's axes (+Y up, +Z the front of a model).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Vec3 {
    pub x: f32,
    pub y: f32,
    pub z: f32,
}

/// Shorthand for [`Vec3`]'s constructor.
pub const fn v3(x: f32, y: f32, z: f32) -> Vec3 {
    Vec3 { x, y, z }
}

impl Vec3 {
    pub const ZERO: Vec3 = v3(0.0, 0.0, 0.0);
    pub const X: Vec3 = v3(1.0, 0.0, 0.0);
    pub const Y: Vec3 = v3(0.0, 1.0, 0.0);
    pub const Z: Vec3 = v3(0.0, 0.0, 1.0);

    pub fn dot(self, o: Vec3) -> f32 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }

    pub fn cross(self, o: Vec3) -> Vec3 {
        v3(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }

    pub fn length(self) -> f32 {
        self.dot(self).sqrt()
    }

    /// The unit vector along `self`, or zero for a zero vector.
    pub fn normalize(self) -> Vec3 {
        let l = self.length();
        if l > 0.0 {
            self * (1.0 / l)
        } else {
            Vec3::ZERO
        }
    }

    /// Component-wise product.
    pub fn scale(self, s: Vec3) -> Vec3 {
        v3(self.x * s.x, self.y * s.y, self.z * s.z)
    }

    pub fn lerp(self, o: Vec3, t: f32) -> Vec3 {
        self + (o - self) * t
    }

    pub fn to_array(self) -> [f32; 3] {
        [self.x, self.y, self.z]
    }
}

impl Add for Vec3 {
    type Output = Vec3;
    fn add(self, o: Vec3) -> Vec3 {
        v3(self.x + o.x, self.y + o.y, self.z + o.z)
    }
}

impl AddAssign for Vec3 {
    fn add_assign(&mut self, o: Vec3) {
        *self = *self + o;
    }
}

impl Sub for Vec3 {
    type Output = Vec3;
    fn sub(self, o: Vec3) -> Vec3 {
        v3(self.x - o.x, self.y - o.y, self.z - o.z)
    }
}

impl Mul<f32> for Vec3 {
    type Output = Vec3;
    fn mul(self, s: f32) -> Vec3 {
        v3(self.x * s, self.y * s, self.z * s)
    }
}

impl Neg for Vec3 {
    type Output = Vec3;
    fn neg(self) -> Vec3 {
        v3(-self.x, -self.y, -self.z)
    }
}

/// A rotation as a unit quaternion, `[x, y, z, w]` as glTF stores it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quat {
    pub x: f32,
    pub y: f32,
    pub z: f32,
    pub w: f32,
}

impl Quat {
    pub const IDENTITY: Quat = Quat {
        x: 0.0,
        y: 0.0,
        z: 0.0,
        w: 1.0,
    };

    /// `degrees` about `axis` (any length but zero).
    pub fn from_axis_angle(axis: Vec3, degrees: f32) -> Quat {
        let a = axis.normalize();
        let (s, c) = sin_cos(rad(degrees) / 2.0);
        Quat {
            x: a.x * s,
            y: a.y * s,
            z: a.z * s,
            w: c,
        }
    }

    /// The rotation whose columns are the unit, orthogonal axes `x`, `y`, `z`.
    pub fn from_axes(x: Vec3, y: Vec3, z: Vec3) -> Quat {
        let (m00, m11, m22) = (x.x, y.y, z.z);
        let trace = m00 + m11 + m22;
        let q = if trace > 0.0 {
            let s = (trace + 1.0).sqrt() * 2.0;
            Quat {
                w: 0.25 * s,
                x: (y.z - z.y) / s,
                y: (z.x - x.z) / s,
                z: (x.y - y.x) / s,
            }
        } else if m00 > m11 && m00 > m22 {
            let s = (1.0 + m00 - m11 - m22).sqrt() * 2.0;
            Quat {
                w: (y.z - z.y) / s,
                x: 0.25 * s,
                y: (y.x + x.y) / s,
                z: (z.x + x.z) / s,
            }
        } else if m11 > m22 {
            let s = (1.0 + m11 - m00 - m22).sqrt() * 2.0;
            Quat {
                w: (z.x - x.z) / s,
                x: (y.x + x.y) / s,
                y: 0.25 * s,
                z: (z.y + y.z) / s,
            }
        } else {
            let s = (1.0 + m22 - m00 - m11).sqrt() * 2.0;
            Quat {
                w: (x.y - y.x) / s,
                x: (z.x + x.z) / s,
                y: (z.y + y.z) / s,
                z: 0.25 * s,
            }
        };
        q.normalize()
    }

    /// The rotation that turns −Z (where glTF's lights and cameras point) towards
    /// `dir`, keeping +Y as near up as it can.
    pub fn looking(dir: Vec3) -> Quat {
        let z = -dir.normalize();
        let up = if z.y.abs() > 0.999 { Vec3::Z } else { Vec3::Y };
        let x = up.cross(z).normalize();
        Quat::from_axes(x, z.cross(x), z)
    }

    pub fn normalize(self) -> Quat {
        let l = (self.x * self.x + self.y * self.y + self.z * self.z + self.w * self.w).sqrt();
        // A canonical sign (w >= 0) so equal rotations are equal numbers.
        let l = if self.w < 0.0 { -l } else { l };
        // Rounding may leave a component a hair past 1, which glTF refuses.
        let c = |v: f32| (v / l).clamp(-1.0, 1.0);
        Quat {
            x: c(self.x),
            y: c(self.y),
            z: c(self.z),
            w: c(self.w),
        }
    }

    pub fn conjugate(self) -> Quat {
        Quat {
            x: -self.x,
            y: -self.y,
            z: -self.z,
            w: self.w,
        }
    }

    /// `self` after `o`: `self.after(o).rotate(v) == self.rotate(o.rotate(v))`.
    pub fn after(self, o: Quat) -> Quat {
        Quat {
            w: self.w * o.w - self.x * o.x - self.y * o.y - self.z * o.z,
            x: self.w * o.x + self.x * o.w + self.y * o.z - self.z * o.y,
            y: self.w * o.y - self.x * o.z + self.y * o.w + self.z * o.x,
            z: self.w * o.z + self.x * o.y - self.y * o.x + self.z * o.w,
        }
    }

    pub fn rotate(self, v: Vec3) -> Vec3 {
        let u = v3(self.x, self.y, self.z);
        let t = u.cross(v) * 2.0;
        v + t * self.w + u.cross(t)
    }

    pub fn to_array(self) -> [f32; 4] {
        [self.x, self.y, self.z, self.w]
    }
}

/// A rigid transform: rotate, then translate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rigid {
    pub rotation: Quat,
    pub translation: Vec3,
}

impl Rigid {
    pub fn apply(&self, p: Vec3) -> Vec3 {
        self.rotation.rotate(p) + self.translation
    }

    pub fn inverse(&self) -> Rigid {
        let r = self.rotation.conjugate();
        Rigid {
            rotation: r,
            translation: -r.rotate(self.translation),
        }
    }

    /// `self` after `o`.
    pub fn then_after(&self, o: &Rigid) -> Rigid {
        Rigid {
            rotation: self.rotation.after(o.rotation).normalize(),
            translation: self.apply(o.translation),
        }
    }

    /// The 4×4 matrix, column-major as glTF stores matrices.
    pub fn to_matrix(&self) -> [f32; 16] {
        let x = self.rotation.rotate(Vec3::X);
        let y = self.rotation.rotate(Vec3::Y);
        let z = self.rotation.rotate(Vec3::Z);
        let t = self.translation;
        [
            x.x, x.y, x.z, 0.0, y.x, y.y, y.z, 0.0, z.x, z.y, z.z, 0.0, t.x, t.y, t.z, 1.0,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sin_cos_agrees_with_the_library_to_f32_precision() {
        let mut x = -20.0f32;
        while x < 20.0 {
            let (s, c) = sin_cos(x);
            assert!((s - x.sin()).abs() < 2e-6, "sin {x}: {s} vs {}", x.sin());
            assert!((c - x.cos()).abs() < 2e-6, "cos {x}: {c} vs {}", x.cos());
            x += 0.037;
        }
    }

    #[test]
    fn axes_round_trip_through_a_quaternion() {
        let q = Quat::from_axis_angle(v3(0.3, -1.0, 0.5), 131.0);
        let back = Quat::from_axes(q.rotate(Vec3::X), q.rotate(Vec3::Y), q.rotate(Vec3::Z));
        for v in [Vec3::X, Vec3::Y, Vec3::Z, v3(0.2, 0.7, -0.4)] {
            assert!((q.rotate(v) - back.rotate(v)).length() < 1e-5);
        }
    }

    #[test]
    fn looking_turns_minus_z_to_the_direction() {
        for d in [v3(0.3, -1.0, 0.2), v3(0.0, 0.0, 1.0), v3(0.0, -1.0, 0.0)] {
            let q = Quat::looking(d);
            assert!(
                (q.rotate(-Vec3::Z) - d.normalize()).length() < 1e-5,
                "{d:?}"
            );
        }
    }

    #[test]
    fn a_rigid_transform_and_its_inverse_cancel() {
        let t = Rigid {
            rotation: Quat::from_axis_angle(v3(1.0, 2.0, 0.0), 40.0),
            translation: v3(0.1, 1.2, -0.3),
        };
        let p = v3(0.4, -0.2, 0.9);
        assert!((t.inverse().apply(t.apply(p)) - p).length() < 1e-5);
        let both = t.then_after(&t.inverse());
        assert!((both.apply(p) - p).length() < 1e-5);
    }
}
