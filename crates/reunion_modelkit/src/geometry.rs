//! A triangle mesh under construction: positions, normals and the optional vertex
//! attributes glTF knows (texture coordinates, colours, joints and weights), with the
//! operations the models are built from (append, move, colour, skin, normals).

use std::collections::BTreeMap;

use crate::colour::Rgb;
use crate::math::{Rigid, Vec3, v3};

/// One skinning influence set: four joints (indices into the skin's joint list) and
/// their weights, which sum to 1.
pub type Influence = ([u8; 4], [f32; 4]);

/// An influence of one joint only.
pub fn only(joint: u8) -> Influence {
    ([joint, 0, 0, 0], [1.0, 0.0, 0.0, 0.0])
}

/// An influence blending joint `a` into joint `b`: `t` = 0 is all `a`, 1 all `b`.
pub fn blend(a: u8, b: u8, t: f32) -> Influence {
    let t = t.clamp(0.0, 1.0);
    if t <= 0.0 {
        only(a)
    } else if t >= 1.0 {
        only(b)
    } else {
        ([a, b, 0, 0], [1.0 - t, t, 0.0, 0.0])
    }
}

/// A mesh being built. Each optional attribute is either empty or has one entry per
/// vertex.
#[derive(Clone, Debug, Default)]
pub struct Geometry {
    pub positions: Vec<Vec3>,
    pub normals: Vec<Vec3>,
    pub uvs: Vec<[f32; 2]>,
    /// Linear RGBA.
    pub colours: Vec<[f32; 4]>,
    pub influences: Vec<Influence>,
    /// Triangles, counter-clockwise seen from outside.
    pub indices: Vec<u32>,
}

impl Geometry {
    pub fn vertex_count(&self) -> usize {
        self.positions.len()
    }

    pub fn triangle_count(&self) -> usize {
        self.indices.len() / 3
    }

    /// Adds `other`'s vertices and triangles. Both must carry the same attributes
    /// (an empty geometry takes on `other`'s).
    pub fn append(&mut self, other: Geometry) {
        if self.positions.is_empty() {
            *self = other;
            return;
        }
        assert_eq!(self.uvs.is_empty(), other.uvs.is_empty(), "uv mismatch");
        assert_eq!(
            self.colours.is_empty(),
            other.colours.is_empty(),
            "colour mismatch"
        );
        assert_eq!(
            self.influences.is_empty(),
            other.influences.is_empty(),
            "skin mismatch"
        );
        let base = self.positions.len() as u32;
        self.positions.extend(other.positions);
        self.normals.extend(other.normals);
        self.uvs.extend(other.uvs);
        self.colours.extend(other.colours);
        self.influences.extend(other.influences);
        self.indices
            .extend(other.indices.into_iter().map(|i| i + base));
    }

    /// The same shape moved by a rigid transform.
    pub fn moved(mut self, t: &Rigid) -> Geometry {
        for p in &mut self.positions {
            *p = t.apply(*p);
        }
        for n in &mut self.normals {
            *n = t.rotation.rotate(*n);
        }
        self
    }

    /// The same shape moved by `offset`.
    pub fn shifted(mut self, offset: Vec3) -> Geometry {
        for p in &mut self.positions {
            *p += offset;
        }
        self
    }

    /// The same shape stretched along each axis (normals follow).
    pub fn stretched(mut self, s: Vec3) -> Geometry {
        for p in &mut self.positions {
            *p = p.scale(s);
        }
        let inv = v3(1.0 / s.x, 1.0 / s.y, 1.0 / s.z);
        for n in &mut self.normals {
            *n = n.scale(inv).normalize();
        }
        self
    }

    /// Every vertex coloured `c`.
    pub fn coloured(mut self, c: Rgb) -> Geometry {
        self.colours = vec![c.linear4(); self.positions.len()];
        self
    }

    /// Every vertex bound to one influence.
    pub fn skinned(mut self, influence: Influence) -> Geometry {
        self.influences = vec![influence; self.positions.len()];
        self
    }

    /// Texture coordinates dropped (to append to shapes without them).
    pub fn without_uvs(mut self) -> Geometry {
        self.uvs.clear();
        self
    }

    /// Each triangle turned over (its winding reversed, normals negated).
    pub fn flipped(mut self) -> Geometry {
        for t in self.indices.chunks_mut(3) {
            t.swap(1, 2);
        }
        for n in &mut self.normals {
            *n = -*n;
        }
        self
    }

    /// The smallest and largest coordinates of the vertices.
    pub fn bounds(&self) -> (Vec3, Vec3) {
        let mut lo = v3(f32::INFINITY, f32::INFINITY, f32::INFINITY);
        let mut hi = -lo;
        for p in &self.positions {
            lo = v3(lo.x.min(p.x), lo.y.min(p.y), lo.z.min(p.z));
            hi = v3(hi.x.max(p.x), hi.y.max(p.y), hi.z.max(p.z));
        }
        (lo, hi)
    }

    /// Normals from the triangles, each the area-weighted mean of the faces around
    /// it. With `weld`, vertices at the same place share one normal (a seam where the
    /// colour changes stays smooth); without, each vertex sees only its own faces.
    pub fn smooth_normals(mut self, weld: bool) -> Geometry {
        let n = self.positions.len();
        let mut sums = vec![Vec3::ZERO; n];
        for t in self.indices.chunks(3) {
            let (a, b, c) = (t[0] as usize, t[1] as usize, t[2] as usize);
            let face = (self.positions[b] - self.positions[a])
                .cross(self.positions[c] - self.positions[a]);
            for i in [a, b, c] {
                sums[i] += face;
            }
        }
        if weld {
            let key = |p: Vec3| {
                let q = |x: f32| (x * 1.0e5).round() as i64;
                (q(p.x), q(p.y), q(p.z))
            };
            let mut welded: BTreeMap<(i64, i64, i64), Vec3> = BTreeMap::new();
            for (p, s) in self.positions.iter().zip(&sums) {
                *welded.entry(key(*p)).or_default() += *s;
            }
            for (p, s) in self.positions.iter().zip(sums.iter_mut()) {
                *s = welded[&key(*p)];
            }
        }
        self.normals = sums.into_iter().map(Vec3::normalize).collect();
        // A vertex used by no triangle (or only by degenerate ones) still needs a unit
        // normal: glTF requires NORMAL to be unit length.
        for n in &mut self.normals {
            if n.length() < 0.5 {
                *n = Vec3::Y;
            }
        }
        self
    }

    /// Every triangle given its own three vertices and its face normal: the faceted
    /// look of a low-poly rock.
    pub fn faceted(self) -> Geometry {
        let mut out = Geometry::default();
        for t in self.indices.chunks(3) {
            let idx = [t[0] as usize, t[1] as usize, t[2] as usize];
            let [a, b, c] = idx.map(|i| self.positions[i]);
            let normal = (b - a).cross(c - a).normalize();
            let base = out.positions.len() as u32;
            for i in idx {
                out.positions.push(self.positions[i]);
                out.normals.push(normal);
                if !self.uvs.is_empty() {
                    out.uvs.push(self.uvs[i]);
                }
                if !self.colours.is_empty() {
                    out.colours.push(self.colours[i]);
                }
                if !self.influences.is_empty() {
                    out.influences.push(self.influences[i]);
                }
            }
            out.indices.extend([base, base + 1, base + 2]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blended_influences_sum_to_one_and_never_weigh_a_joint_twice() {
        for (a, b) in [(0u8, 1u8), (3, 0), (5, 6), (1, 0)] {
            for t in [0.0, 0.2, 0.5, 0.9, 1.0] {
                let (j, w) = blend(a, b, t);
                assert!((w.iter().sum::<f32>() - 1.0).abs() < 1e-6);
                let mut weighed: Vec<u8> = (0..4).filter(|&i| w[i] > 0.0).map(|i| j[i]).collect();
                let n = weighed.len();
                weighed.sort_unstable();
                weighed.dedup();
                assert_eq!(weighed.len(), n, "{j:?} {w:?}");
                assert_eq!(n, if t > 0.0 && t < 1.0 { 2 } else { 1 });
            }
        }
    }
}
