//! The humanoid's body (torso, neck, arms, hands with fingers and a thumb, legs,
//! shoes), its hair and its eyeballs, skinned to the skeleton.
//!
//! Limbs are tubes through elliptical rings. Each ring is bound to one joint or, near
//! a joint (shoulder, elbow, wrist, hip, knee, ankle, neck, along the spine), to two
//! blended, so a bent elbow or knee rounds instead of creasing. Clothes are colours:
//! where a sleeve or a trouser leg ends, the ring is doubled and the tube changes
//! colour there.

use crate::colour::Rgb;
use crate::geometry::{Geometry, Influence, blend, only};
use crate::math::{PI, Vec3, lerp, rad, sin_cos, smoothstep, v3};
use crate::shapes::{Ring, ellipsoid, lathe, rounded_box, tube};

use super::skeleton::{Proportions, Skeleton};

/// The colours and cut of the figure's clothes and hair.
#[derive(Clone, Copy, Debug)]
pub struct Outfit {
    pub skin: Rgb,
    pub hair: Rgb,
    pub top: Rgb,
    pub bottom: Rgb,
    pub shoes: Rgb,
    pub iris: Rgb,
    /// How far the sleeves reach: 0 none, 1 to the wrist.
    pub sleeves: f32,
    /// How far the trousers reach: 0 none, 1 to the ankle.
    pub trousers: f32,
    /// 0 short hair, 1 a bob over the ears to the nape.
    pub hair_length: f32,
    /// A bun at the back of the head.
    pub bun: bool,
}

/// One cross-section of a limb, before its frame is known.
struct Section {
    at: Vec3,
    /// Radius along the limb's "up" hint, and across.
    ru: f32,
    rv: f32,
    colour: Rgb,
    influence: Influence,
}

/// A tube through `sections`, its rings square to the limb and turned so their `u`
/// axis is as near `up` as can be; a change of colour doubles the ring.
fn limb(sections: &[Section], up: Vec3, sides: u32) -> Geometry {
    let n = sections.len();
    let mut rings = Vec::new();
    for (k, s) in sections.iter().enumerate() {
        let along =
            (sections[(k + 1).min(n - 1)].at - sections[k.saturating_sub(1)].at).normalize();
        let u = (up - along * up.dot(along)).normalize();
        let ring = Ring {
            centre: s.at,
            u,
            v: along.cross(u),
            radius_u: s.ru,
            radius_v: s.rv,
            colour: s.colour.linear4(),
            influence: s.influence,
        };
        if k > 0 && sections[k - 1].colour != s.colour {
            let mut hem = ring;
            hem.colour = sections[k - 1].colour.linear4();
            rings.push(hem);
        }
        rings.push(ring);
    }
    tube(&rings, sides)
}

/// The influence at distance `d` along a chain whose joints sit at `at[i]` between
/// bones `bones[i]` and `bones[i + 1]`, each blended over `width` either side.
fn chain_influence(d: f32, at: &[f32], bones: &[u8], width: f32) -> Influence {
    for (i, &j) in at.iter().enumerate() {
        let next = at.get(i + 1).copied().unwrap_or(f32::INFINITY);
        if d < (j + next) / 2.0 {
            return blend(bones[i], bones[i + 1], smoothstep(j - width, j + width, d));
        }
    }
    only(*bones.last().unwrap_or(&0))
}

/// The body: torso, neck, arms, hands, legs and shoes, skinned.
pub fn body(p: &Proportions, s: &Skeleton, o: &Outfit) -> Geometry {
    let mut g = Geometry::default();
    g.append(torso(p, s, o));
    g.append(neck(p, s, o));
    for side in ["Left", "Right"] {
        g.append(arm(p, s, o, side));
        g.append(hand(p, s, o, side));
        g.append(leg(p, s, o, side));
        g.append(shoe(p, s, o, side));
    }
    g.smooth_normals(true)
}

fn torso(p: &Proportions, s: &Skeleton, o: &Outfit) -> Geometry {
    let h = p.height;
    let child = 1.0 - p.grown;
    let j = |n: &str| s.joint(n);
    let spine_y = |n: &str| s.bone(n).head.y;
    let joints = [
        spine_y("Spine"),
        spine_y("Spine1"),
        spine_y("Spine2"),
        spine_y("Neck"),
    ];
    let bones = [j("Hips"), j("Spine"), j("Spine1"), j("Spine2"), j("Neck")];
    let spine_z = |y: f32| {
        let f = (y - p.hips_y) / (p.neck_base - p.hips_y);
        h * (-0.03 * f + 0.025 * f * f)
    };
    let waist = lerp(p.hips_y, p.neck_base, 0.35);
    let chest = lerp(p.hips_y, p.neck_base, 0.7);
    let belt = p.hips_y + 0.05 * h;
    // (height, half-width, half-depth) from the crotch to the neck.
    let levels = [
        (p.leg_y - 0.06 * h, 0.06, 0.045),
        (p.leg_y - 0.03 * h, 0.1, 0.064),
        (p.hips_y, 0.106, 0.07),
        (belt, 0.09 + 0.005 * child, 0.061),
        (waist, 0.083 + 0.008 * child, 0.059 + 0.006 * child),
        (chest, 0.095 + 0.004 * child, 0.066 + 0.004 * child),
        (p.shoulder_y - 0.012 * h, 0.1, 0.058),
        (p.shoulder_y + 0.008 * h, 0.09, 0.052),
        (p.shoulder_y + 0.018 * h, 0.066, 0.046),
        (p.neck_base + 0.004 * h, 0.036, 0.034),
    ];
    let sections: Vec<Section> = levels
        .iter()
        .map(|&(y, hw, hd)| Section {
            at: v3(0.0, y, spine_z(y)),
            ru: hw * h,
            rv: hd * h,
            colour: if y > belt - 1e-4 { o.top } else { o.bottom },
            influence: chain_influence(y, &joints, &bones, 0.03 * h),
        })
        .collect();
    limb(&sections, Vec3::X, 20)
}

fn neck(p: &Proportions, s: &Skeleton, o: &Outfit) -> Geometry {
    let h = p.height;
    let neck = s.bone("Neck");
    let head = s.bone("Head");
    let r = h * lerp(0.036, 0.032, p.grown);
    let bottom = neck.head - v3(0.0, 0.02 * h, 0.0);
    let top = head.head + v3(0.0, 0.35 * p.skull, 0.05 * p.skull);
    let bones = [s.joint("Spine2"), s.joint("Neck"), s.joint("Head")];
    let joints = [neck.head.y, head.head.y];
    let sections: Vec<Section> = (0..=5)
        .map(|i| {
            let at = bottom.lerp(top, i as f32 / 5.0);
            Section {
                at,
                ru: r,
                rv: r * 1.05,
                colour: o.skin,
                influence: chain_influence(at.y, &joints, &bones, 0.025 * h),
            }
        })
        .collect();
    limb(&sections, Vec3::Z, 12)
}

fn arm(p: &Proportions, s: &Skeleton, o: &Outfit, side: &str) -> Geometry {
    let h = p.height;
    let bone = |n: &str| s.bone(&format!("{side}{n}"));
    let joint = |n: &str| s.joint(&format!("{side}{n}"));
    let (shoulder, elbow, wrist) = (bone("Arm").head, bone("ForeArm").head, bone("Hand").head);
    let (upper, fore) = ((elbow - shoulder).length(), (wrist - elbow).length());
    let dir_up = (elbow - shoulder).normalize();
    let dir_fore = (wrist - elbow).normalize();
    let point = |d: f32| {
        if d <= upper {
            shoulder + dir_up * d
        } else {
            elbow + dir_fore * (d - upper)
        }
    };
    let chunky = lerp(1.1, 1.0, p.grown);
    // (distance along the arm, radius as a fraction of the height).
    let profile = [
        (-0.05 * h, 0.018),
        (-0.035 * h, 0.032),
        (-0.01 * h, 0.038),
        (0.25 * upper, 0.035),
        (0.5 * upper, 0.031),
        (0.75 * upper, 0.029),
        (upper - 0.03 * h, 0.026),
        (upper, 0.025),
        (upper + 0.03 * h, 0.027),
        (upper + 0.35 * fore, 0.027),
        (upper + 0.7 * fore, 0.022),
        (upper + fore - 0.01 * h, 0.019),
        (upper + fore + 0.012 * h, 0.017),
    ];
    let sleeve = o.sleeves * (upper + fore);
    let bones = [
        joint("Shoulder"),
        joint("Arm"),
        joint("ForeArm"),
        joint("Hand"),
    ];
    let at = [-0.015 * h, upper, upper + fore];
    let mut sections: Vec<Section> = Vec::new();
    for &(d, r) in &profile {
        let cloth = d < sleeve;
        // The hem: a ring just inside the sleeve, then the arm goes on in skin.
        if !cloth && sections.last().is_some_and(|last| last.colour == o.top) {
            sections.push(Section {
                at: point(sleeve),
                ru: 0.028 * h * chunky,
                rv: 0.03 * h * chunky,
                colour: o.skin,
                influence: chain_influence(sleeve, &at, &bones, 0.03 * h),
            });
        }
        let k = if cloth { 1.12 } else { 1.0 } * chunky;
        sections.push(Section {
            at: point(d),
            ru: r * h * k * 0.92,
            rv: r * h * k,
            colour: if cloth { o.top } else { o.skin },
            influence: chain_influence(d, &at, &bones, 0.035 * h),
        });
    }
    limb(&sections, Vec3::Y, 12)
}

fn hand(p: &Proportions, s: &Skeleton, o: &Outfit, side: &str) -> Geometry {
    let sign = if side == "Left" { 1.0 } else { -1.0 };
    let hand = s.bone(&format!("{side}Hand"));
    let len = p.hand;
    let palm = rounded_box(
        v3(len * 0.5, len * 0.16, len * 0.44),
        len * 0.07,
        2,
        hand.head + v3(sign * len * 0.26, -len * 0.02, 0.0),
    )
    .without_uvs()
    .coloured(o.skin)
    .skinned(only(s.joint(&format!("{side}Hand"))));
    let mut g = palm;
    for finger in ["Thumb", "Index", "Middle", "Ring", "Pinky"] {
        let first = s.bone(&format!("{side}Hand{finger}1"));
        let second = s.bone(&format!("{side}Hand{finger}2"));
        let (j1, j2) = (
            s.joint(&format!("{side}Hand{finger}1")),
            s.joint(&format!("{side}Hand{finger}2")),
        );
        let r = len * if finger == "Thumb" { 0.06 } else { 0.047 };
        let dir = (first.tail - first.head).normalize();
        let start = first.head - dir * (len * 0.06);
        let sections = [
            (start, 1.0, only(j1)),
            (first.head, 1.0, only(j1)),
            (first.tail, 0.92, blend(j1, j2, 0.5)),
            (
                second.tail - (second.tail - second.head).normalize() * (r * 0.6),
                0.85,
                only(j2),
            ),
            (second.tail, 0.45, only(j2)),
        ];
        let sections: Vec<Section> = sections
            .iter()
            .map(|&(at, k, influence)| Section {
                at,
                ru: r * k * 0.85,
                rv: r * k,
                colour: o.skin,
                influence,
            })
            .collect();
        g.append(limb(&sections, Vec3::Y, 6));
    }
    g
}

fn leg(p: &Proportions, s: &Skeleton, o: &Outfit, side: &str) -> Geometry {
    let h = p.height;
    let bone = |n: &str| s.bone(&format!("{side}{n}"));
    let joint = |n: &str| s.joint(&format!("{side}{n}"));
    let (hip, knee, ankle) = (bone("UpLeg").head, bone("Leg").head, bone("Foot").head);
    let (upper, lower) = ((knee - hip).length(), (ankle - knee).length());
    let point = |d: f32| {
        if d <= upper {
            hip + (knee - hip).normalize() * d
        } else {
            knee + (ankle - knee).normalize() * (d - upper)
        }
    };
    let chunky = lerp(1.1, 1.0, p.grown);
    let profile = [
        (-0.04 * h, 0.035),
        (-0.01 * h, 0.05),
        (0.3 * upper, 0.049),
        (0.65 * upper, 0.045),
        (upper - 0.03 * h, 0.039),
        (upper, 0.037),
        (upper + 0.03 * h, 0.038),
        (upper + 0.3 * lower, 0.04),
        (upper + 0.65 * lower, 0.031),
        (upper + lower, 0.025),
        (upper + lower + 0.02 * h, 0.024),
    ];
    let hem = o.trousers * (upper + lower);
    let bones = [s.joint("Hips"), joint("UpLeg"), joint("Leg"), joint("Foot")];
    let at = [0.02 * h, upper, upper + lower];
    let mut sections: Vec<Section> = Vec::new();
    for &(d, r) in &profile {
        let cloth = d < hem;
        if !cloth && sections.last().is_some_and(|last| last.colour == o.bottom) {
            sections.push(Section {
                at: point(hem),
                ru: 0.04 * h * chunky,
                rv: 0.04 * h * chunky,
                colour: o.skin,
                influence: chain_influence(hem, &at, &bones, 0.04 * h),
            });
        }
        let k = if cloth { 1.1 } else { 1.0 } * chunky;
        sections.push(Section {
            at: point(d),
            ru: r * h * k,
            rv: r * h * k * 0.95,
            colour: if cloth { o.bottom } else { o.skin },
            influence: chain_influence(d, &at, &bones, 0.04 * h),
        });
    }
    limb(&sections, Vec3::Z, 12)
}

fn shoe(p: &Proportions, s: &Skeleton, o: &Outfit, side: &str) -> Geometry {
    let h = p.height;
    let foot = s.bone(&format!("{side}Foot"));
    let toe = s.bone(&format!("{side}ToeBase"));
    let (jf, jt) = (
        s.joint(&format!("{side}Foot")),
        s.joint(&format!("{side}ToeBase")),
    );
    let heel_z = foot.head.z - 0.2 * p.foot;
    let length = toe.tail.z - heel_z + 0.01 * h;
    let height = 0.065 * h;
    let mut g = rounded_box(
        v3(0.4 * p.foot, height, length),
        0.022 * h,
        3,
        v3(foot.head.x, height / 2.0, heel_z + length / 2.0 - 0.005 * h),
    )
    .without_uvs()
    .coloured(o.shoes);
    // Lower over the toes.
    for q in &mut g.positions {
        let toes = smoothstep(toe.head.z - 0.03 * h, toe.tail.z, q.z);
        if q.y > 0.02 * h {
            q.y -= (q.y - 0.02 * h) * 0.45 * toes;
        }
    }
    g.influences = g
        .positions
        .iter()
        .map(|q| {
            blend(
                jf,
                jt,
                smoothstep(toe.head.z - 0.02 * h, toe.head.z + 0.02 * h, q.z),
            )
        })
        .collect();
    g
}

/// The hair: a shell over the skull from the crown to a hairline that is high on the
/// forehead, over the ears and low at the nape (lower all round for longer hair), its
/// edge turned in to the skull; and a bun if the outfit has one. Bound to `Head`.
pub fn hair(p: &Proportions, s: &Skeleton, o: &Outfit) -> Geometry {
    const ROWS: u32 = 12;
    const COLS: u32 = 32;
    let r = p.skull_radii();
    let centre = p.head_centre;
    let mut g = Geometry::default();
    for i in 0..=ROWS + 1 {
        for j in 0..=COLS {
            // The seam runs down the back of the head, as the skull's.
            let (sp, cp) = sin_cos(2.0 * PI * j as f32 / COLS as f32 - PI);
            let front = cp.max(0.0);
            let back = (-cp).max(0.0);
            // A side parting: the fringe sweeps lower over the figure's left brow.
            let sweep = 10.0 * sp.max(0.0) * front;
            let edge = lerp(98.0, 112.0, o.hair_length)
                + (64.0 - lerp(98.0, 112.0, o.hair_length) + sweep) * front * front.sqrt()
                + (lerp(124.0, 140.0, o.hair_length) - lerp(98.0, 112.0, o.hair_length)) * back;
            let theta = rad(edge) * i.min(ROWS) as f32 / ROWS as f32;
            let (st, ct) = sin_cos(theta);
            // Below the skull's widest, hair falls rather than following it in.
            let spread = if ct < 0.0 { lerp(1.0, 0.9, -ct) } else { st };
            let lift = if i > ROWS {
                0.985
            } else {
                1.07 + 0.03 * st * back
            };
            g.positions.push(
                centre
                    + v3(
                        r.x * spread * sp * lift,
                        r.y * ct * lift.min(1.06),
                        r.z * spread * cp * lift,
                    ),
            );
        }
    }
    let row = COLS + 1;
    for i in 0..=ROWS {
        for j in 0..COLS {
            let a = i * row + j;
            g.indices.extend([a, a + row, a + row + 1]);
            // Row 0 is the crown, one point: its second triangle would be a sliver.
            if i > 0 {
                g.indices.extend([a, a + row + 1, a + 1]);
            }
        }
    }
    g.normals = vec![Vec3::Y; g.positions.len()];
    if o.bun {
        let bun = ellipsoid(
            v3(0.36, 0.33, 0.3) * p.skull,
            centre + v3(0.0, 0.42, -0.95) * p.skull,
            8,
            12,
        );
        g.append(bun.without_uvs());
    }
    g.skinned(only(s.joint("Head"))).smooth_normals(true)
}

/// The two eyeballs, each bound to its eye joint: white, an iris of the outfit's
/// colour with a darker ring, and a pupil, sharp-edged (the rings at each edge are
/// doubled), the iris facing +Z.
pub fn eyes(p: &Proportions, s: &Skeleton, o: &Outfit) -> Geometry {
    // Angles from the front of the eye, front to back, with the colour from there on.
    let pupil = Rgb::hex(0x14100e);
    let white = Rgb::hex(0xf6f3ee);
    let ring = o.iris.times(0.55);
    let rows: [(f32, Rgb); 13] = [
        (0.0, pupil),
        (10.0, pupil),
        (17.0, pupil),
        (17.0, o.iris),
        (26.0, o.iris.times(1.15)),
        (33.0, ring),
        (36.0, ring),
        (36.0, white),
        (50.0, white),
        (75.0, white),
        (105.0, white),
        (140.0, white),
        (180.0, white),
    ];
    let re = p.eye_radius();
    // The lathe turns about +Y from the bottom up; the last row is the front.
    let profile: Vec<(f32, f32)> = rows
        .iter()
        .rev()
        .map(|&(a, _)| {
            let (s, c) = sin_cos(rad(a));
            (s * re, c * re)
        })
        .collect();
    let segments = 16;
    let mut g = Geometry::default();
    for (sign, side) in [(1.0, "Left"), (-1.0, "Right")] {
        let mut eye = lathe(&profile, segments).without_uvs();
        eye.colours = rows
            .iter()
            .rev()
            .flat_map(|&(_, c)| std::iter::repeat_n(c.linear4(), segments as usize + 1))
            .collect();
        // +Y to +Z: a quarter turn about X.
        for q in &mut eye.positions {
            *q = v3(q.x, -q.z, q.y) + p.eye_centre(sign);
        }
        for n in &mut eye.normals {
            *n = v3(n.x, -n.z, n.y);
        }
        g.append(eye.skinned(only(s.joint(&format!("{side}Eye")))));
    }
    g
}
