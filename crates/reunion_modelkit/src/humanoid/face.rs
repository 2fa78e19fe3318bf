//! The head: skull, nose, ears, lips and mouth, eyelids and brows, as one mesh whose
//! every vertex is a function of a few face controls ([`FaceParams`]).
//!
//! The morph targets are differences of that function: `jawOpen` is the head built
//! with the jaw open minus the head built at rest, and so on for every ARKit shape and
//! viseme in [`TARGETS`]. So each target moves exactly what it should (the chin and
//! lower lip about a hinge near the ears, the lid edges over the eyeballs, the lip
//! corners), and visemes are combinations of the same controls.
//!
//! The mouth is real geometry: a ring of lips round a dark interior with upper teeth
//! and a tongue, collapsed to a line between the lips at rest, so its shape shows in
//! a picture. The eyelids are spherical shells just larger than the eyeballs; closing
//! moves their edges past each other.

use crate::colour::Rgb;
use crate::geometry::{Geometry, only};
use crate::math::{PI, Vec3, lerp, rad, sin_cos, smoothstep, v3};
use crate::shapes::{Ring, ellipsoid, tube};

use super::skeleton::Proportions;

/// The face's controls, each 0 (rest) to 1. `[left, right]` pairs are the figure's
/// own left (+X) and right.
#[derive(Clone, Copy, Debug, Default)]
pub struct FaceParams {
    /// The jaw swings open (chin and lower lip down).
    pub jaw: f32,
    /// The lips stay sealed while the jaw opens (ARKit's `mouthClose`).
    pub close: f32,
    /// Lips flared forwards round an open O.
    pub funnel: f32,
    /// Lips pushed forwards and gathered narrow.
    pub pucker: f32,
    /// Lips pressed together and thinned.
    pub press: f32,
    /// The upper lip raised off the teeth.
    pub upper_up: f32,
    /// The lower lip tucked up and back under the upper teeth (an F).
    pub lower_in: f32,
    pub smile: [f32; 2],
    pub frown: [f32; 2],
    pub stretch: [f32; 2],
    pub blink: [f32; 2],
    pub wide: [f32; 2],
    pub squint: [f32; 2],
    pub brow_inner_up: f32,
    pub brow_down: [f32; 2],
}

/// The head's colours.
#[derive(Clone, Copy, Debug)]
pub struct FaceColours {
    pub skin: Rgb,
    pub hair: Rgb,
}

/// Every morph target of the head, in file order: the name, the controls, and (for
/// `mouthClose`, which ARKit defines on top of an open jaw) the controls it is
/// measured from.
pub fn targets() -> Vec<(&'static str, FaceParams, FaceParams)> {
    let rest = FaceParams::default();
    let p = |f: &dyn Fn(&mut FaceParams)| {
        let mut x = FaceParams::default();
        f(&mut x);
        x
    };
    let jaw_open = p(&|x| x.jaw = 1.0);
    let mut list = vec![
        ("eyeBlinkLeft", p(&|x| x.blink[0] = 1.0), rest),
        ("eyeBlinkRight", p(&|x| x.blink[1] = 1.0), rest),
        ("eyeWideLeft", p(&|x| x.wide[0] = 1.0), rest),
        ("eyeWideRight", p(&|x| x.wide[1] = 1.0), rest),
        ("jawOpen", jaw_open, rest),
        (
            "mouthClose",
            p(&|x| {
                x.jaw = 1.0;
                x.close = 1.0;
            }),
            jaw_open,
        ),
        ("mouthFunnel", p(&|x| x.funnel = 1.0), rest),
        ("mouthPucker", p(&|x| x.pucker = 1.0), rest),
        ("mouthSmileLeft", p(&|x| x.smile[0] = 1.0), rest),
        ("mouthSmileRight", p(&|x| x.smile[1] = 1.0), rest),
        ("mouthFrownLeft", p(&|x| x.frown[0] = 1.0), rest),
        ("mouthFrownRight", p(&|x| x.frown[1] = 1.0), rest),
        ("mouthStretchLeft", p(&|x| x.stretch[0] = 1.0), rest),
        ("mouthStretchRight", p(&|x| x.stretch[1] = 1.0), rest),
        ("browInnerUp", p(&|x| x.brow_inner_up = 1.0), rest),
        ("browDownLeft", p(&|x| x.brow_down[0] = 1.0), rest),
        ("browDownRight", p(&|x| x.brow_down[1] = 1.0), rest),
        ("cheekSquintLeft", p(&|x| x.squint[0] = 1.0), rest),
        ("cheekSquintRight", p(&|x| x.squint[1] = 1.0), rest),
    ];
    // Oculus visemes, each a mouth made of the same controls.
    let visemes: [(&str, [f32; 7]); 15] = [
        // jaw, stretch, funnel, pucker, press, upper_up, lower_in
        ("viseme_sil", [0.0, 0.0, 0.0, 0.0, 0.3, 0.0, 0.0]),
        ("viseme_PP", [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
        ("viseme_FF", [0.1, 0.1, 0.0, 0.0, 0.0, 0.3, 1.0]),
        ("viseme_TH", [0.22, 0.1, 0.0, 0.0, 0.0, 0.2, 0.0]),
        ("viseme_DD", [0.3, 0.15, 0.0, 0.0, 0.0, 0.1, 0.0]),
        ("viseme_kk", [0.4, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0]),
        ("viseme_CH", [0.25, 0.0, 0.3, 0.5, 0.0, 0.1, 0.0]),
        ("viseme_SS", [0.12, 0.45, 0.0, 0.0, 0.0, 0.25, 0.0]),
        ("viseme_nn", [0.25, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0]),
        ("viseme_RR", [0.25, 0.0, 0.15, 0.45, 0.0, 0.0, 0.0]),
        ("viseme_aa", [1.0, 0.1, 0.0, 0.0, 0.0, 0.1, 0.0]),
        ("viseme_E", [0.45, 0.6, 0.0, 0.0, 0.0, 0.3, 0.0]),
        ("viseme_I", [0.18, 0.8, 0.0, 0.0, 0.0, 0.2, 0.0]),
        ("viseme_O", [0.6, 0.0, 0.8, 0.2, 0.0, 0.0, 0.0]),
        ("viseme_U", [0.18, 0.0, 0.1, 1.0, 0.0, 0.0, 0.0]),
    ];
    for (name, [jaw, stretch, funnel, pucker, press, upper_up, lower_in]) in visemes {
        let params = FaceParams {
            jaw,
            stretch: [stretch; 2],
            funnel,
            pucker,
            press,
            upper_up,
            lower_in,
            ..FaceParams::default()
        };
        list.push((name, params, rest));
    }
    list
}

/// The whole head in model space for the controls `f`, every vertex bound to the
/// `Head` joint (`head_joint`). Its topology never depends on `f`.
pub fn head(p: &Proportions, colours: &FaceColours, f: &FaceParams, head_joint: u8) -> Geometry {
    let mut g = Geometry::default();
    g.append(skull(p, colours, f));
    let r = p.skull;
    let eye_y = p.eye_local(1.0).y;
    let nose_y = eye_y - r * lerp(0.3, 0.34, p.grown);
    let nose_size = r * lerp(0.08, 0.085, p.grown);
    g.append(
        ellipsoid(
            v3(nose_size, nose_size * 1.15, nose_size),
            v3(0.0, nose_y, p.front_z(0.0, nose_y) - nose_size * 0.25),
            6,
            10,
        )
        .without_uvs()
        .coloured(colours.skin.times(0.97)),
    );
    for sign in [1.0, -1.0] {
        let ear_y = eye_y - r * 0.12;
        let (tx, _) = p.taper(ear_y);
        let ear = ellipsoid(
            v3(r * 0.07, r * 0.21, r * 0.14),
            v3(sign * (p.skull_radii().x * tx - r * 0.02), ear_y, -r * 0.05),
            6,
            10,
        );
        g.append(ear.without_uvs().coloured(colours.skin.times(0.95)));
    }
    g.append(mouth(p, colours, f));
    for (side, sign) in [(0, 1.0), (1, -1.0)] {
        g.append(lid(p, colours, f, side, sign, true));
        g.append(lid(p, colours, f, side, sign, false));
        g.append(brow(p, colours, f, side, sign));
    }
    let g = g.shifted(p.head_centre);
    g.skinned(only(head_joint)).smooth_normals(true)
}

/// Rotates `q` about the X axis through `hinge` by `angle` radians (positive: the
/// front goes down).
fn swing(q: Vec3, hinge: Vec3, angle: f32) -> Vec3 {
    let d = q - hinge;
    let (s, c) = sin_cos(angle);
    hinge + v3(d.x, d.y * c - d.z * s, d.y * s + d.z * c)
}

/// Where the jaw turns, and how far it turns at `jaw = 1`.
fn jaw_hinge(p: &Proportions) -> (Vec3, f32) {
    let eye_y = p.eye_local(1.0).y;
    (v3(0.0, eye_y - 0.2 * p.skull, -0.15 * p.skull), rad(15.0))
}

/// The mouth's centre height and half-width at rest.
fn mouth_layout(p: &Proportions) -> (f32, f32) {
    let eye_y = p.eye_local(1.0).y;
    (
        eye_y - p.skull * lerp(0.5, 0.53, p.grown),
        p.skull * lerp(0.19, 0.2, p.grown),
    )
}

/// The skull: an ellipsoid narrowing to the chin, with the lower face swinging with
/// the jaw, cheeks rising, a dent behind the lips (never seen; it keeps the skin out
/// of an open mouth) and a blush.
fn skull(p: &Proportions, colours: &FaceColours, f: &FaceParams) -> Geometry {
    const ROWS: u32 = 22;
    const COLS: u32 = 30;
    let r = p.skull;
    let radii = p.skull_radii();
    let (mouth_y, mouth_w) = mouth_layout(p);
    let (hinge, jaw_angle) = jaw_hinge(p);
    let eye_y = p.eye_local(1.0).y;
    let blush = colours
        .skin
        .mix(Rgb::hex(0xf08a8a), lerp(0.35, 0.15, p.grown));
    let mut g = Geometry::default();
    for i in 0..=ROWS {
        let (st, ct) = sin_cos(PI * i as f32 / ROWS as f32);
        for j in 0..=COLS {
            // The seam runs down the back of the head.
            let (sp, cp) = sin_cos(2.0 * PI * j as f32 / COLS as f32 - PI);
            let y = radii.y * ct;
            let (tx, tz) = p.taper(y);
            let mut q = v3(radii.x * tx * st * sp, y, radii.z * tz * st * cp);
            // The dent behind the lips.
            let dent = (1.0 - smoothstep(0.5 * mouth_w, 0.95 * mouth_w, q.x.abs()))
                * (1.0 - smoothstep(0.03 * r, 0.09 * r, (q.y - mouth_y).abs()));
            q.z -= 0.06 * r * dent * smoothstep(0.0, 0.3 * r, q.z);
            let mut colour = colours.skin;
            for (side, sign) in [(0, 1.0), (1, -1.0)] {
                let cheek = v3(sign * 0.42 * r, eye_y - 0.33 * r, q.z);
                let near = 1.0 - smoothstep(0.0, 0.28 * r, (q - cheek).length());
                let front = smoothstep(0.1 * r, 0.4 * r, q.z);
                colour = colour.mix(blush, near * front);
                let lift = r * (0.07 * f.squint[side] + 0.035 * f.smile[side]) * near * front;
                q.y += lift;
                q.z += r * 0.02 * f.squint[side] * near * front;
            }
            let jaw = smoothstep(mouth_y + 0.06 * r, mouth_y - 0.06 * r, q.y)
                * smoothstep(0.05 * r, 0.45 * r, q.z)
                * (1.0 - smoothstep(0.45 * r, 0.7 * r, q.x.abs()));
            q = swing(q, hinge, jaw_angle * f.jaw * jaw);
            g.positions.push(q);
            g.colours.push(colour.linear4());
        }
    }
    let row = COLS + 1;
    for i in 0..ROWS {
        for j in 0..COLS {
            let a = i * row + j;
            for t in [[a, a + row, a + row + 1], [a, a + row + 1, a + 1]] {
                // Leave out the slivers at the poles.
                let crown = i == 0 && t.contains(&a) && t.contains(&(a + 1));
                let chin = i == ROWS - 1 && t.contains(&(a + row)) && t.contains(&(a + row + 1));
                if !(crown || chin) {
                    g.indices.extend(t);
                }
            }
        }
    }
    g.normals = vec![Vec3::Y; g.positions.len()];
    g
}

/// The lips round the mouth's opening and the interior behind it.
fn mouth(p: &Proportions, colours: &FaceColours, f: &FaceParams) -> Geometry {
    const AROUND: usize = 32;
    const ROWS: [f32; 4] = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0];
    let r = p.skull;
    let (mouth_y, mouth_w) = mouth_layout(p);
    let (hinge, jaw_angle) = jaw_hinge(p);
    let lip = colours.skin.mix(Rgb::hex(0xc0605a), 0.5);
    let teeth = Rgb::hex(0xf4efe4);
    let dark = Rgb::hex(0x3e1216);
    let tongue = Rgb::hex(0xb85a5e);
    let half_width = |k: usize| {
        mouth_w * (1.0 + 0.3 * f.stretch[k] + 0.1 * f.smile[k] - 0.45 * f.pucker - 0.3 * f.funnel)
    };
    let corner_lift = |k: usize| r * (0.13 * f.smile[k] - 0.11 * f.frown[k] - 0.02 * f.stretch[k]);
    let up_open = r * (0.012 + 0.09 * f.funnel + 0.07 * f.upper_up);
    let low_open = r * (0.012 + 0.1 * f.funnel);

    let mut g = Geometry::default();
    let mut inner_edge = Vec::with_capacity(AROUND);
    for j in 0..AROUND {
        let (s, c) = sin_cos(2.0 * PI * j as f32 / AROUND as f32);
        let k = if c >= 0.0 { 0 } else { 1 };
        let inner = (
            c * half_width(k),
            mouth_y
                + c * c * corner_lift(k)
                + if s >= 0.0 { s * up_open } else { s * low_open }
                + if s < 0.0 {
                    0.05 * r * f.lower_in * -s
                } else {
                    0.0
                },
        );
        let thick = if s >= 0.0 { 0.065 } else { 0.08 }
            * r
            * (0.3 + 0.7 * s.abs().sqrt())
            * (1.0 - 0.5 * f.press)
            * (1.0 + 0.25 * f.pucker);
        let dir = v3(c * 0.4, s, 0.0).normalize();
        let outer = (inner.0 + dir.x * thick, inner.1 + dir.y * thick);
        // How far this part of the mouth swings with the jaw: the upper lip hardly,
        // the lower lip fully, the corners half; sealed lips move together.
        let sealed = 0.5 * (1.0 - s.abs());
        let swing_by = if s >= 0.0 {
            0.5 * (1.0 - s)
        } else {
            lerp(0.5 * (1.0 + -s), sealed, f.close)
        };
        for (row, &t) in ROWS.iter().enumerate() {
            let x = lerp(inner.0, outer.0, t);
            let y = lerp(inner.1, outer.1, t);
            let (bulge, _) = sin_cos(PI * (0.15 + 0.85 * t));
            let z = p.front_z(x, y)
                + r * (0.01 + 0.028 * bulge * (0.55 + 0.45 * s.abs()))
                + r * (0.16 * f.pucker + 0.1 * f.funnel) * (1.0 - 0.6 * t)
                - r * 0.02 * f.press
                - if s < 0.0 { r * 0.04 * f.lower_in } else { 0.0 };
            let q = swing(v3(x, y, z), hinge, jaw_angle * f.jaw * swing_by);
            g.positions.push(q);
            let colour = match row {
                0 => lip.times(0.85),
                3 => lip.mix(colours.skin, 0.7),
                _ => lip,
            };
            g.colours.push(colour.linear4());
            if row == 0 {
                inner_edge.push((q, s));
            }
        }
    }
    let n = ROWS.len() as u32;
    for j in 0..AROUND as u32 {
        let next = (j + 1) % AROUND as u32;
        for row in 0..n - 1 {
            let (a, b) = (j * n + row, next * n + row);
            // Outwards across the lip, then along it: faces the front.
            g.indices.extend([a, a + 1, b + 1, a, b + 1, b]);
        }
    }

    // The interior: the inner edge again (dark, set back), a ring halfway in, and a
    // centre, with the upper teeth along the top and the tongue at the bottom.
    let base = g.positions.len() as u32;
    let upper_mid = inner_edge[AROUND / 4].0;
    let lower_mid = inner_edge[3 * AROUND / 4].0;
    let centre = (upper_mid + lower_mid) * 0.5 - v3(0.0, 0.0, 0.02 * r);
    for &(q, s) in &inner_edge {
        let edge = q - v3(0.0, 0.0, 0.012 * r);
        let half = centre.lerp(edge, 0.55);
        g.positions.push(edge);
        g.colours
            .push(if s > 0.25 { teeth } else { dark }.linear4());
        g.positions.push(half);
        g.colours.push(
            if s > 0.45 {
                teeth
            } else if s < -0.3 {
                tongue
            } else {
                dark
            }
            .linear4(),
        );
    }
    g.positions.push(centre);
    g.colours.push(dark.linear4());
    let centre_i = g.positions.len() as u32 - 1;
    for j in 0..AROUND as u32 {
        let next = (j + 1) % AROUND as u32;
        let (edge_a, half_a) = (base + 2 * j, base + 2 * j + 1);
        let (edge_b, half_b) = (base + 2 * next, base + 2 * next + 1);
        g.indices
            .extend([half_a, edge_a, edge_b, half_a, edge_b, half_b]);
        g.indices.extend([centre_i, half_a, half_b]);
    }
    g.normals = vec![Vec3::Z; g.positions.len()];
    g
}

/// One eyelid of the eye on side `side` (`sign` +1 left): a shell over the eyeball
/// from behind the brow (upper) or under the eye (lower) to its edge, and a rim
/// turning in to the eyeball, dark along the upper lid's lashes.
fn lid(
    p: &Proportions,
    colours: &FaceColours,
    f: &FaceParams,
    side: usize,
    sign: f32,
    upper: bool,
) -> Geometry {
    const ROWS: u32 = 4;
    const COLS: u32 = 10;
    let centre = p.eye_local(sign);
    let re = p.eye_radius();
    let lashes = Rgb::hex(0x2a1a14);
    let (from, mid, corner) = if upper {
        (
            20.0,
            56.0 + 54.0 * f.blink[side] - 12.0 * f.wide[side],
            92.0 + 8.0 * f.blink[side] - 4.0 * f.wide[side],
        )
    } else {
        (
            165.0,
            124.0 - 16.0 * f.blink[side] - 12.0 * f.squint[side] + 4.0 * f.wide[side],
            98.0 - 2.0 * f.squint[side],
        )
    };
    let mut g = Geometry::default();
    for i in 0..=ROWS + 1 {
        for j in 0..=COLS {
            // Wide enough to wrap the eyeball where it stands out of the skull.
            let b = -95.0 + 190.0 * j as f32 / COLS as f32;
            let edge = lerp(mid, corner, (b / 95.0) * (b / 95.0));
            let t = (i.min(ROWS)) as f32 / ROWS as f32;
            let theta = rad(lerp(from, edge, t));
            let (st, ct) = sin_cos(theta);
            let (sb, cb) = sin_cos(rad(b));
            let radius = if i > ROWS { 1.01 } else { 1.1 } * re;
            g.positions.push(centre + v3(st * sb, ct, st * cb) * radius);
            let colour = if upper && i >= ROWS {
                lashes
            } else if i > ROWS {
                colours.skin.times(0.93)
            } else {
                colours.skin
            };
            g.colours.push(colour.linear4());
        }
    }
    let row = COLS + 1;
    for i in 0..=ROWS {
        for j in 0..COLS {
            let a = i * row + j;
            g.indices
                .extend([a, a + row, a + row + 1, a, a + row + 1, a + 1]);
        }
    }
    // Built top-down the upper lid faces outwards; the lower lid, built bottom-up,
    // is turned over.
    g.normals = vec![Vec3::Z; g.positions.len()];
    if upper { g } else { g.flipped() }
}

/// A brow above the eye on side `side`: a flattened tube arching from the inner end
/// outwards, lifted or lowered by the brow controls.
fn brow(
    p: &Proportions,
    colours: &FaceColours,
    f: &FaceParams,
    side: usize,
    sign: f32,
) -> Geometry {
    const STEPS: usize = 6;
    let r = p.skull;
    let eye = p.eye_local(sign);
    let colour = colours.hair.times(0.8).linear4();
    let mut points = Vec::with_capacity(STEPS);
    for k in 0..STEPS {
        let t = k as f32 / (STEPS - 1) as f32;
        let (arch, _) = sin_cos(PI * t);
        let mut x = sign * (0.13 * r + 0.42 * r * t);
        let mut y = eye.y + p.eye_radius() + 0.1 * r + 0.05 * r * arch - 0.03 * r * t;
        y += 0.12 * r * (1.0 - t) * (1.0 - t) * f.brow_inner_up;
        y -= 0.07 * r * f.brow_down[side] * (1.0 - 0.4 * t);
        x -= sign * 0.03 * r * f.brow_down[side] * (1.0 - t);
        points.push(v3(x, y, p.front_z(x, y) + 0.02 * r));
    }
    let rings: Vec<Ring> = (0..STEPS)
        .map(|k| {
            let t = k as f32 / (STEPS - 1) as f32;
            let along = points[(k + 1).min(STEPS - 1)] - points[k.saturating_sub(1)];
            let along = along.normalize();
            let u = (Vec3::Z - along * Vec3::Z.dot(along)).normalize();
            Ring {
                centre: points[k],
                u,
                v: along.cross(u),
                radius_u: 0.02 * r,
                radius_v: 0.045 * r * (1.0 - 0.45 * t),
                colour,
                influence: only(0),
            }
        })
        .collect();
    let mut g = tube(&rings, 6);
    g.influences.clear();
    g
}
