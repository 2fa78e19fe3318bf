//! The primitive shapes every model is assembled from: boxes (sharp or rounded),
//! surfaces of revolution, ellipsoids, tubes through rings, height fields, rocks.
//!
//! Each returns a [`Geometry`] with outward normals and counter-clockwise triangles;
//! texture coordinates are in metres along the surface where a shape has them, so a
//! repeating texture keeps its real size.

use crate::geometry::{Geometry, Influence};
use crate::math::{PI, TAU, Vec3, sin_cos, v3};

/// The six faces of a box: the outward normal and two axes across it with
/// `u × v = normal`.
const FACES: [(Vec3, Vec3, Vec3); 6] = [
    (v3(1.0, 0.0, 0.0), v3(0.0, 0.0, -1.0), v3(0.0, 1.0, 0.0)),
    (v3(-1.0, 0.0, 0.0), v3(0.0, 0.0, 1.0), v3(0.0, 1.0, 0.0)),
    (v3(0.0, 1.0, 0.0), v3(1.0, 0.0, 0.0), v3(0.0, 0.0, -1.0)),
    (v3(0.0, -1.0, 0.0), v3(1.0, 0.0, 0.0), v3(0.0, 0.0, 1.0)),
    (v3(0.0, 0.0, 1.0), v3(1.0, 0.0, 0.0), v3(0.0, 1.0, 0.0)),
    (v3(0.0, 0.0, -1.0), v3(-1.0, 0.0, 0.0), v3(0.0, 1.0, 0.0)),
];

/// Two triangles for the quad `a b c d` (counter-clockwise), leaving out a triangle
/// whose corners coincide (at a pole).
fn quad(g: &mut Geometry, [a, b, c, d]: [u32; 4]) {
    for t in [[a, b, c], [a, c, d]] {
        let [p, q, r] = t.map(|i| g.positions[i as usize]);
        if (q - p).cross(r - p).length() > 1e-12 {
            g.indices.extend(t);
        }
    }
}

/// A box of `size` centred on `centre`, flat faces.
pub fn cuboid(size: Vec3, centre: Vec3) -> Geometry {
    let half = size * 0.5;
    let mut g = Geometry::default();
    for (n, u, v) in FACES {
        let base = g.positions.len() as u32;
        for (su, sv) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
            let p = (n + u * su + v * sv).scale(half);
            g.positions.push(centre + p);
            g.normals.push(n);
            g.uvs.push([u.dot(p), -v.dot(p)]);
        }
        g.indices
            .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    g
}

/// A box of `size` centred on `centre` whose edges are rounded with `radius`, each
/// rounded edge in `steps` facets.
pub fn rounded_box(size: Vec3, radius: f32, steps: u32, centre: Vec3) -> Geometry {
    let half = size * 0.5;
    let radius = radius.min(half.x).min(half.y).min(half.z);
    let core = v3(half.x - radius, half.y - radius, half.z - radius);
    // Where the grid lines fall along an axis of half-length `h` and flat half `c`:
    // `steps` across each rounded edge, one across the flat middle.
    let samples = |h: f32, c: f32| -> Vec<f32> {
        let mut xs: Vec<f32> = (0..steps)
            .map(|i| -h + (h - c) * i as f32 / steps as f32)
            .collect();
        if c > 0.0 {
            xs.push(-c);
        }
        let mut up: Vec<f32> = xs.iter().rev().map(|x| -x).collect();
        if c <= 0.0 {
            xs.push(0.0);
        }
        xs.append(&mut up);
        xs
    };
    let along = |axis: Vec3| -> (f32, f32) {
        let a = v3(axis.x.abs(), axis.y.abs(), axis.z.abs());
        (half.dot(a), core.dot(a))
    };
    let mut g = Geometry::default();
    for (n, u, v) in FACES {
        let base = g.positions.len() as u32;
        let (hu, cu) = along(u);
        let (hv, cv) = along(v);
        let (hn, _) = along(n);
        let us = samples(hu, cu);
        let vs = samples(hv, cv);
        for &t in &vs {
            for &s in &us {
                let p = n * hn + u * s + v * t;
                let inner = v3(
                    p.x.clamp(-core.x, core.x),
                    p.y.clamp(-core.y, core.y),
                    p.z.clamp(-core.z, core.z),
                );
                let dir = (p - inner).normalize();
                g.positions.push(centre + inner + dir * radius);
                g.normals.push(dir);
                g.uvs.push([s, -t]);
            }
        }
        let row = us.len() as u32;
        for j in 0..vs.len() as u32 - 1 {
            for i in 0..row - 1 {
                let a = base + j * row + i;
                quad(&mut g, [a, a + 1, a + row + 1, a + row]);
            }
        }
    }
    g.smooth_normals(true)
}

/// The surface swept by turning `profile` (radius, height pairs) about the Y axis in
/// `segments` steps. A profile rising upwards faces outwards; a radius of 0 closes a
/// pole. Texture coordinates: around (metres at the widest radius), along (metres).
pub fn lathe(profile: &[(f32, f32)], segments: u32) -> Geometry {
    let mut g = Geometry::default();
    let widest = profile.iter().map(|p| p.0).fold(0.0, f32::max);
    let mut along = 0.0;
    for (i, &(r, y)) in profile.iter().enumerate() {
        if i > 0 {
            let (r0, y0) = profile[i - 1];
            along += ((r - r0) * (r - r0) + (y - y0) * (y - y0)).sqrt();
        }
        for j in 0..=segments {
            let (s, c) = sin_cos(TAU * j as f32 / segments as f32);
            g.positions.push(v3(r * s, y, r * c));
            g.uvs
                .push([widest * TAU * j as f32 / segments as f32, along]);
        }
    }
    let row = segments + 1;
    for i in 0..profile.len() as u32 - 1 {
        for j in 0..segments {
            let a = i * row + j;
            quad(&mut g, [a, a + 1, a + row + 1, a + row]);
        }
    }
    g.smooth_normals(true)
}

/// An ellipsoid with the given radii about `centre`, `rings` from pole to pole.
pub fn ellipsoid(radii: Vec3, centre: Vec3, rings: u32, segments: u32) -> Geometry {
    let profile: Vec<(f32, f32)> = (0..=rings)
        .map(|i| {
            let (s, c) = sin_cos(PI * i as f32 / rings as f32);
            // Exactly 0 at the poles, so they close.
            if i == 0 || i == rings {
                (0.0, -c)
            } else {
                (s, -c)
            }
        })
        .collect();
    lathe(&profile, segments)
        .stretched(radii)
        .shifted(centre)
        .smooth_normals(true)
}

/// A cylinder (or a cone's frustum) standing on `base`, capped at both ends.
pub fn cylinder(bottom: f32, top: f32, height: f32, segments: u32, base: Vec3) -> Geometry {
    // The caps are their own rings so the edge stays sharp.
    let sides = lathe(&[(bottom, 0.0), (top, height)], segments);
    // Built from the axis outwards the bottom disc faces down; the top, built
    // inwards, faces up.
    let mut g = lathe(&[(0.0, 0.0), (bottom, 0.0)], segments);
    g.normals = vec![-Vec3::Y; g.positions.len()];
    let mut cap = lathe(&[(top, height), (0.0, height)], segments);
    cap.normals = vec![Vec3::Y; cap.positions.len()];
    g.append(sides);
    g.append(cap);
    g.shifted(base)
}

/// One cross-section of a [`tube`]: an ellipse about `centre` spanned by the unit
/// axes `u` and `v` (the tube runs along `u × v`), with its colour and skinning.
#[derive(Clone, Copy, Debug)]
pub struct Ring {
    pub centre: Vec3,
    pub u: Vec3,
    pub v: Vec3,
    pub radius_u: f32,
    pub radius_v: f32,
    pub colour: [f32; 4],
    pub influence: Influence,
}

/// A tube through `rings`, `sides` vertices round each, closed at both ends by a fan
/// to the end rings' centres. Where two consecutive rings sit at the same place they
/// are not joined: that is how a colour changes sharply (a sleeve's hem).
pub fn tube(rings: &[Ring], sides: u32) -> Geometry {
    let mut g = Geometry::default();
    let row = sides + 1;
    for r in rings {
        for j in 0..=sides {
            let (s, c) = sin_cos(TAU * j as f32 / sides as f32);
            g.positions
                .push(r.centre + r.u * (c * r.radius_u) + r.v * (s * r.radius_v));
            g.colours.push(r.colour);
            g.influences.push(r.influence);
        }
    }
    for k in 0..rings.len() - 1 {
        let same_place = (rings[k].centre - rings[k + 1].centre).length() < 1e-6
            && (rings[k].radius_u - rings[k + 1].radius_u).abs() < 1e-6;
        if same_place {
            continue;
        }
        for j in 0..sides {
            let a = k as u32 * row + j;
            quad(&mut g, [a, a + 1, a + row + 1, a + row]);
        }
    }
    for (end, r) in [
        (0usize, rings[0]),
        (rings.len() - 1, rings[rings.len() - 1]),
    ] {
        let centre = g.positions.len() as u32;
        g.positions.push(r.centre);
        g.colours.push(r.colour);
        g.influences.push(r.influence);
        for j in 0..sides {
            let a = end as u32 * row + j;
            if end == 0 {
                g.indices.extend([centre, a + 1, a]);
            } else {
                g.indices.extend([centre, a, a + 1]);
            }
        }
    }
    g.smooth_normals(true)
}

/// A height field over `[x0, x1] × [z0, z1]` in `nx` × `nz` cells, facing up, with
/// texture coordinates in metres.
pub fn terrain(
    (x0, x1): (f32, f32),
    (z0, z1): (f32, f32),
    (nx, nz): (u32, u32),
    height: impl Fn(f32, f32) -> f32,
) -> Geometry {
    let xs: Vec<f32> = (0..=nx)
        .map(|i| x0 + (x1 - x0) * i as f32 / nx as f32)
        .collect();
    let zs: Vec<f32> = (0..=nz)
        .map(|j| z0 + (z1 - z0) * j as f32 / nz as f32)
        .collect();
    terrain_on(&xs, &zs, height)
}

/// A height field on the grid lines `xs` × `zs` (each increasing), so it can be fine
/// where it is seen close and coarse far away; facing up, texture coordinates in
/// metres.
pub fn terrain_on(xs: &[f32], zs: &[f32], height: impl Fn(f32, f32) -> f32) -> Geometry {
    let mut g = Geometry::default();
    for &z in zs {
        for &x in xs {
            g.positions.push(v3(x, height(x, z), z));
            g.uvs.push([x, z]);
        }
    }
    let row = xs.len() as u32;
    for j in 0..zs.len() as u32 - 1 {
        for i in 0..row - 1 {
            let a = j * row + i;
            // Rows run towards +z, so this order faces up.
            quad(&mut g, [a, a + row, a + row + 1, a + 1]);
        }
    }
    g.smooth_normals(false)
}

/// A small deterministic random stream (a 32-bit xorshift), for rocks and grain.
pub struct Noise(u32);

impl Noise {
    pub fn new(seed: u32) -> Noise {
        Noise(seed.wrapping_mul(2_654_435_761).max(1))
    }

    /// The next number in `[0, 1)`.
    pub fn unit(&mut self) -> f32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        (x >> 8) as f32 / (1u32 << 24) as f32
    }

    /// The next number in `[lo, hi)`.
    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
}

/// A low-poly rock: an ellipsoid of `radii` with every vertex pushed in or out a
/// little, sitting on y = 0 about `at`, faceted.
pub fn rock(radii: Vec3, at: Vec3, seed: u32) -> Geometry {
    let mut noise = Noise::new(seed);
    let mut g = ellipsoid(v3(1.0, 1.0, 1.0), Vec3::ZERO, 6, 9);
    // Vertices at one place (a seam, a pole) must move together or the rock cracks.
    let mut moved: Vec<(Vec3, Vec3)> = Vec::new();
    for p in &mut g.positions {
        let key = *p;
        let to = match moved.iter().find(|(k, _)| (*k - key).length() < 1e-5) {
            Some((_, to)) => *to,
            None => {
                let k = noise.range(0.82, 1.12);
                let to = (key * k).scale(radii);
                moved.push((key, to));
                to
            }
        };
        *p = to;
    }
    // Flattened underneath so it sits, and a little sunk.
    for p in &mut g.positions {
        if p.y < -radii.y * 0.35 {
            p.y = -radii.y * 0.35;
        }
        *p += at + v3(0.0, radii.y * 0.25, 0.0);
    }
    g.uvs.clear();
    g.faceted()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signed volume of a closed mesh: positive when its faces point outwards.
    fn volume(g: &Geometry) -> f32 {
        g.indices
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| g.positions[i as usize]);
                a.dot(b.cross(c)) / 6.0
            })
            .sum()
    }

    #[test]
    fn closed_shapes_face_outwards_and_have_their_volume() {
        let b = cuboid(v3(1.0, 2.0, 3.0), v3(0.5, 0.0, 0.0));
        assert!((volume(&b) - 6.0).abs() < 1e-4);
        let s = ellipsoid(v3(1.0, 1.0, 1.0), Vec3::ZERO, 24, 32);
        assert!((volume(&s) - 4.0 / 3.0 * PI).abs() < 0.1, "{}", volume(&s));
        let c = cylinder(0.5, 0.5, 2.0, 32, Vec3::ZERO);
        assert!((volume(&c) - PI * 0.5).abs() < 0.05, "{}", volume(&c));
        let r = rounded_box(v3(1.0, 1.0, 1.0), 0.1, 3, Vec3::ZERO);
        assert!(volume(&r) > 0.97 && volume(&r) < 0.985, "{}", volume(&r));
        let rock = rock(v3(0.5, 0.3, 0.4), Vec3::ZERO, 3);
        assert!(volume(&rock) > 0.0);
    }

    #[test]
    fn normals_point_away_from_the_centre_of_a_sphere() {
        let s = ellipsoid(v3(1.0, 1.0, 1.0), Vec3::ZERO, 8, 12);
        for (p, n) in s.positions.iter().zip(&s.normals) {
            assert!(p.normalize().dot(*n) > 0.9, "{p:?} {n:?}");
        }
    }

    #[test]
    fn a_tube_faces_outwards() {
        let ring = |y: f32| Ring {
            centre: v3(0.0, y, 0.0),
            u: Vec3::Z,
            v: Vec3::X,
            radius_u: 0.2,
            radius_v: 0.2,
            colour: [1.0; 4],
            influence: crate::geometry::only(0),
        };
        let t = tube(&[ring(0.0), ring(1.0)], 16);
        assert!(volume(&t) > 0.0, "{}", volume(&t));
    }

    #[test]
    fn terrain_faces_up() {
        let t = terrain((0.0, 1.0), (0.0, 1.0), (2, 2), |_, _| 0.0);
        assert!(t.normals.iter().all(|n| n.y > 0.99));
    }
}
