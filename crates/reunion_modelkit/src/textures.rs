//! The pictures the models wear, drawn by code: wooden floorboards and a keepsake
//! photograph.

use crate::colour::Rgb;
use crate::math::{PI, lerp, sin_cos, smoothstep};
use crate::picture::{Picture, segment_cover};
use crate::shapes::Noise;

/// Floorboards seen from above, one metre square when mapped one texture unit per
/// metre, repeating seamlessly: four boards across, each in two staggered lengths,
/// with grain, a slightly different tint per board and dark joints.
pub fn wood(size: u32) -> Picture {
    let mut noise = Noise::new(17);
    // Per board piece: tint and grain phase.
    let pieces: Vec<(f32, f32)> = (0..8)
        .map(|_| (noise.range(0.86, 1.08), noise.range(0.0, 6.0)))
        .collect();
    let light = Rgb::hex(0xc89a6a);
    let dark = Rgb::hex(0x9a6b43);
    Picture::from_fn(size, size, |u, v| {
        let board = ((u * 4.0) as usize).min(3);
        let across = u * 4.0 - board as f32;
        // Boards are cut at a different place on each, so the joints stagger.
        let cut = [0.15, 0.65, 0.4, 0.9][board];
        let along = (v - cut).rem_euclid(1.0);
        let piece = board * 2 + usize::from(along > 0.5);
        let (tint, phase) = pieces[piece];
        let (grain, _) =
            sin_cos(2.0 * PI * (across * 3.0 + phase) + 1.2 * sin_cos(7.0 * v + phase).0);
        let (fine, _) = sin_cos(2.0 * PI * (across * 17.0 + phase * 3.0));
        let t = 0.5 + 0.3 * grain + 0.12 * fine;
        let mut c = light.mix(dark, t.clamp(0.0, 1.0)).times(tint);
        let edge = across.min(1.0 - across) * size as f32 / 4.0;
        let end = (along.min(1.0 - along).min((along - 0.5).abs())) * size as f32;
        if edge < 0.8 || end < 0.6 {
            c = c.times(0.55);
        }
        c
    })
}

/// A photograph on a white card, `width` × `height` pixels (powers of two, as GPUs
/// like) standing for a print `aspect` as wide as it is tall: a soft evening sky over
/// the sea and a beach, a low sun, and two stick figures holding hands, a grown-up
/// and a child.
pub fn photo(width: u32, height: u32, aspect: f32) -> Picture {
    let px = 1.0 / height as f32;
    let margin = 0.06;
    let sky_top = Rgb::hex(0x9fc3e6);
    let sky_low = Rgb::hex(0xf6c9a8);
    let sea = Rgb::hex(0x5d8fb8);
    let sand = Rgb::hex(0xe8d2a8);
    let horizon = 0.55;
    let shore = 0.7;
    let mut pic = Picture::from_fn(width, height, |x, y| {
        if x < margin / aspect || x > 1.0 - margin / aspect || y < margin || y > 1.0 - margin {
            return Rgb::hex(0xfbf8f2);
        }
        if y < horizon {
            sky_top.mix(sky_low, smoothstep(0.1, horizon, y))
        } else if y < shore {
            sea.mix(sky_low, 0.25 * (1.0 - smoothstep(horizon, shore, y)))
        } else {
            sand.mix(sand.times(0.9), smoothstep(shore, 1.0, y))
        }
    });
    // The sun, half set.
    let sun = (0.7, horizon - 0.02);
    pic.paint(Rgb::hex(0xfff1c9), |x, y| {
        let (dx, dy) = ((x - sun.0) * aspect, y - sun.1);
        let d = (dx * dx + dy * dy).sqrt();
        (0.5 + (0.06 - d) / px).clamp(0.0, 1.0) * f32::from(u8::from(y < horizon))
    });
    // The two figures: (x of the feet, height), the child's hand in the adult's.
    let ink = Rgb::hex(0x3a3030);
    let ground = 0.86;
    for (fx, tall) in [(0.36, 0.3), (0.58, 0.19)] {
        let head_r = tall * 0.13;
        let hip = ground - tall * 0.45;
        let neck = ground - tall * 0.8;
        let head_c = (fx, neck - head_r * 1.1);
        let lines = [
            ((fx, neck), (fx, hip)),
            ((fx, hip), (fx - tall * 0.12 / aspect, ground)),
            ((fx, hip), (fx + tall * 0.12 / aspect, ground)),
            (
                (fx, neck + tall * 0.06),
                (fx - tall * 0.14 / aspect, hip - tall * 0.05),
            ),
        ];
        for (a, b) in lines {
            pic.paint(ink, |x, y| segment_cover((x, y), a, b, 0.006, aspect, px));
        }
        pic.paint(ink, |x, y| {
            let (dx, dy) = ((x - head_c.0) * aspect, y - head_c.1);
            let d = (dx * dx + dy * dy).sqrt();
            (0.5 + (0.006 - (d - head_r).abs()) / px).clamp(0.0, 1.0)
        });
    }
    // The held hands: one line from the adult's shoulder to the child's.
    let a = (0.36, ground - 0.3 * 0.8 + 0.3 * 0.06);
    let b = (0.58, ground - 0.19 * 0.8 + 0.19 * 0.06);
    let meet = (lerp(a.0, b.0, 0.5), (a.1 + b.1) * 0.5 + 0.09);
    for (p, q) in [(a, meet), (meet, b)] {
        pic.paint(ink, |x, y| segment_cover((x, y), p, q, 0.006, aspect, px));
    }
    pic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floorboards_meet_in_a_joint_at_the_texture_edges() {
        let w = wood(128);
        let lum = |c: Rgb| c.0 + c.1 + c.2;
        for y in [5, 40, 90] {
            // The first and last columns are each half a joint, so repeats join
            // board to board; a board's middle is lighter.
            let middle = lum(w.pixel(16, y));
            assert!(lum(w.pixel(0, y)) < middle * 0.8, "row {y}");
            assert!(lum(w.pixel(127, y)) < middle * 0.8, "row {y}");
        }
    }

    #[test]
    fn the_photo_has_a_white_border_and_dark_figures() {
        let pic = photo(64, 128, 2.0 / 3.0);
        let png = pic.png();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        reader.next_frame(&mut buf).expect("frame");
        assert_eq!(&buf[0..3], &[0xfb, 0xf8, 0xf2]);
        let darkest = buf
            .chunks(3)
            .map(|c| c.iter().map(|&v| u32::from(v)).sum::<u32>())
            .min();
        assert!(darkest.is_some_and(|d| d < 300), "{darkest:?}");
    }
}
