//! A picture in memory (8-bit sRGB pixels) with the few drawing operations the
//! textures need, and its PNG encoding.
//!
//! PNG compression is fdeflate's ([`png::Compression::Fast`]), which depends on no
//! optional backend, so a picture compresses to the same bytes in every build.

use crate::colour::Rgb;

/// An RGB picture, rows from the top.
#[derive(Clone, Debug)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pixels: Vec<[f32; 3]>,
}

impl Picture {
    /// A picture whose every pixel is `f(x, y)` (0..1 across, 0..1 down, at the
    /// pixel's centre).
    pub fn from_fn(width: u32, height: u32, f: impl Fn(f32, f32) -> Rgb) -> Picture {
        let mut pixels = Vec::with_capacity((width * height) as usize);
        for y in 0..height {
            for x in 0..width {
                let c = f(
                    (x as f32 + 0.5) / width as f32,
                    (y as f32 + 0.5) / height as f32,
                );
                pixels.push([c.0, c.1, c.2]);
            }
        }
        Picture {
            width,
            height,
            pixels,
        }
    }

    /// Paints `colour` over every pixel by its coverage `cover(x, y)` in 0..1 (the
    /// same coordinates as [`Picture::from_fn`]).
    pub fn paint(&mut self, colour: Rgb, cover: impl Fn(f32, f32) -> f32) {
        for y in 0..self.height {
            for x in 0..self.width {
                let a = cover(
                    (x as f32 + 0.5) / self.width as f32,
                    (y as f32 + 0.5) / self.height as f32,
                )
                .clamp(0.0, 1.0);
                if a > 0.0 {
                    let p = &mut self.pixels[(y * self.width + x) as usize];
                    let c = Rgb(p[0], p[1], p[2]).mix(colour, a);
                    *p = [c.0, c.1, c.2];
                }
            }
        }
    }

    /// The colour of pixel (`x`, `y`), counted from the top left.
    pub fn pixel(&self, x: u32, y: u32) -> Rgb {
        let p = self.pixels[(y * self.width + x) as usize];
        Rgb(p[0], p[1], p[2])
    }

    /// The PNG file.
    pub fn png(&self) -> Vec<u8> {
        let data: Vec<u8> = self
            .pixels
            .iter()
            .flat_map(|p| Rgb(p[0], p[1], p[2]).bytes())
            .collect();
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        encoder.set_filter(png::Filter::Paeth);
        let mut writer = encoder.write_header().expect("PNG header to memory");
        writer.write_image_data(&data).expect("PNG data to memory");
        writer.finish().expect("PNG end to memory");
        out
    }
}

/// How much of a pixel a line of half-width `w` from `a` to `b` covers at `p`, in the
/// picture's units (`aspect` is width over height, so round things stay round).
pub fn segment_cover(
    p: (f32, f32),
    a: (f32, f32),
    b: (f32, f32),
    w: f32,
    aspect: f32,
    px: f32,
) -> f32 {
    let (px_, py) = (p.0 * aspect, p.1);
    let (ax, ay) = (a.0 * aspect, a.1);
    let (bx, by) = (b.0 * aspect, b.1);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((px_ - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (ax + dx * t - px_, ay + dy * t - py);
    let d = (cx * cx + cy * cy).sqrt();
    (0.5 + (w - d) / px).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_encodes_to_a_png_that_decodes_to_it() {
        let pic = Picture::from_fn(16, 8, |x, y| Rgb(x, y, 0.5));
        let bytes = pic.png();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("frame");
        assert_eq!((info.width, info.height), (16, 8));
        assert_eq!(&buf[0..3], &Rgb(0.5 / 16.0, 0.5 / 8.0, 0.5).bytes());
    }
}
