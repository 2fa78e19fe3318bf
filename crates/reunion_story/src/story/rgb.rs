//! Colours as the runtime story holds them: linear RGB, compiled once from the sRGB a
//! story writes.

use serde::{Deserialize, Serialize};

/// A colour as the renderer takes it: linear RGB, each channel 0 to 1. Stories write
/// colours as sRGB (`"#rrggbb"`); the checker converts them once, with the sRGB
/// transfer function, so `Rgb::from_srgb([r, g, b])` is the linear colour that
/// Bevy's `Color::srgb(r, g, b)` is, and the stage makes it `Color::linear_rgb`.
///
/// Written (in a session log's cues) as `[red, green, blue]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "[f32; 3]", into = "[f32; 3]")]
pub struct Rgb {
    pub red: f32,
    pub green: f32,
    pub blue: f32,
}

impl Rgb {
    pub const BLACK: Rgb = Rgb::new(0.0, 0.0, 0.0);
    pub const WHITE: Rgb = Rgb::new(1.0, 1.0, 1.0);

    /// A colour from linear components.
    pub const fn new(red: f32, green: f32, blue: f32) -> Rgb {
        Rgb { red, green, blue }
    }

    /// The linear colour of sRGB components in 0..1 (`#rrggbb` is `[rr, gg, bb] / 255`).
    pub fn from_srgb([red, green, blue]: [f32; 3]) -> Rgb {
        Rgb::new(
            srgb_to_linear(red),
            srgb_to_linear(green),
            srgb_to_linear(blue),
        )
    }
}

impl From<[f32; 3]> for Rgb {
    fn from([red, green, blue]: [f32; 3]) -> Rgb {
        Rgb::new(red, green, blue)
    }
}

impl From<Rgb> for [f32; 3] {
    fn from(c: Rgb) -> [f32; 3] {
        [c.red, c.green, c.blue]
    }
}

/// The sRGB transfer function, from an encoded component to a linear one (IEC
/// 61966-2-1, as Bevy's `Srgba::gamma_function` computes it).
fn srgb_to_linear(v: f32) -> f32 {
    if v <= 0.0 {
        v
    } else if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srgb_becomes_linear_by_the_srgb_transfer_function() {
        // Reference values of the sRGB curve (IEC 61966-2-1), as Bevy converts them.
        let close = |a: f32, b: f32| (a - b).abs() < 1e-7;
        let c = Rgb::from_srgb([0.5, 128.0 / 255.0, 0.02]);
        assert!(close(c.red, 0.214_041_14), "{c:?}");
        assert!(close(c.green, 0.215_860_5), "{c:?}");
        // Below 0.04045 the curve is a straight line.
        assert!(close(c.blue, 0.02 / 12.92), "{c:?}");
        assert_eq!(Rgb::from_srgb([0.0, 1.0, 1.0]), Rgb::new(0.0, 1.0, 1.0));
        // Written as an array, as colours always were in a log's cues.
        assert_eq!(
            serde_json::to_string(&Rgb::WHITE).expect("json"),
            "[1.0,1.0,1.0]"
        );
    }
}
