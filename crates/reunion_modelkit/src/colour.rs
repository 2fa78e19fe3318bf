//! Colours: written as sRGB hex like a designer's swatch, stored linear as glTF asks
//! (`baseColorFactor` and `COLOR_0` are linear).

/// A colour in sRGB (what a colour picker shows), each channel 0..=1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    /// From `0xRRGGBB`.
    pub const fn hex(rgb: u32) -> Rgb {
        Rgb(
            ((rgb >> 16) & 0xff) as f32 / 255.0,
            ((rgb >> 8) & 0xff) as f32 / 255.0,
            (rgb & 0xff) as f32 / 255.0,
        )
    }

    /// Linear channels, as glTF stores colour factors and vertex colours.
    pub fn linear(self) -> [f32; 3] {
        [to_linear(self.0), to_linear(self.1), to_linear(self.2)]
    }

    /// Linear channels and an alpha of 1.
    pub fn linear4(self) -> [f32; 4] {
        let [r, g, b] = self.linear();
        [r, g, b, 1.0]
    }

    /// The mix `t` of the way from `self` to `o` (in sRGB, as a painter mixes).
    pub fn mix(self, o: Rgb, t: f32) -> Rgb {
        Rgb(
            self.0 + (o.0 - self.0) * t,
            self.1 + (o.1 - self.1) * t,
            self.2 + (o.2 - self.2) * t,
        )
    }

    /// Each channel times `k`, kept within 0..=1.
    pub fn times(self, k: f32) -> Rgb {
        Rgb(
            (self.0 * k).clamp(0.0, 1.0),
            (self.1 * k).clamp(0.0, 1.0),
            (self.2 * k).clamp(0.0, 1.0),
        )
    }

    /// 8-bit sRGB channels, for PNG pixels.
    pub fn bytes(self) -> [u8; 3] {
        let b = |c: f32| (c.clamp(0.0, 1.0) * 255.0 + 0.5) as u8;
        [b(self.0), b(self.1), b(self.2)]
    }
}

/// The sRGB transfer function, inverted. Its power is computed by repeated square
/// roots and products (exact in IEEE arithmetic), so it is the same on every machine.
fn to_linear(c: f32) -> f32 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        let x = (c + 0.055) / 1.055;
        // x^2.4 = x^2 · x^0.4, and 0.4 ≈ 1/4 + 1/8 + 1/64 + 1/128 = 0.3984: within
        // 1e-3 of the exact curve on every channel value.
        let r4 = x.sqrt().sqrt();
        let r8 = r4.sqrt();
        let r64 = r8.sqrt().sqrt().sqrt();
        let r128 = r64.sqrt();
        x * x * r4 * r8 * r64 * r128
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_matches_the_srgb_curve() {
        for i in 0..=255u32 {
            let c = i as f32 / 255.0;
            let exact = if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            };
            assert!(
                (to_linear(c) - exact).abs() < 2e-3,
                "{i}: {} vs {exact}",
                to_linear(c)
            );
        }
    }
}
