//! The one-time access code and the QR code that carries it.
//!
//! A code is drawn from the operating system's randomness each time the web console
//! starts: ten letters and digits from an alphabet without look-alikes (no 0/O, 1/I/L),
//! about 50 bits. It travels in the address's fragment (`#code=…`), which a browser
//! never sends to a server, and then in a request header: so it is in no request line,
//! no history entry after the page has read it, and no log of ours.

use std::fmt;

/// Letters and digits a person can read back from a screen without confusing them.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// How many characters a code has.
pub const CODE_LEN: usize = 10;

/// The access code of one run of the web console.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessCode(String);

impl AccessCode {
    /// A fresh random code from the operating system's randomness.
    pub fn generate() -> Result<Self, String> {
        let mut bytes = [0u8; CODE_LEN];
        getrandom::fill(&mut bytes)
            .map_err(|e| format!("no randomness for the access code: {e}"))?;
        Ok(Self::from_random_bytes(bytes))
    }

    /// A code from these random bytes (a test's fixed code; `generate` for real ones).
    /// Each byte picks a character; the small bias of `% 31` costs well under a bit.
    pub fn from_random_bytes(bytes: [u8; CODE_LEN]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
                .collect(),
        )
    }

    /// The code as the facilitator types it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this code: case and spaces or dashes a person may add are
    /// forgiven, and the comparison takes the same time wherever they differ.
    pub fn matches(&self, given: &str) -> bool {
        let cleaned: Vec<u8> = given
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'-'))
            .map(|b| b.to_ascii_uppercase())
            .collect();
        if cleaned.len() != self.0.len() {
            return false;
        }
        cleaned
            .iter()
            .zip(self.0.as_bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
    }
}

/// Never printed by accident: `{:?}` hides it (a log line of a struct holding it must
/// not show it).
impl fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessCode(…)")
    }
}

/// The address a tablet opens: the page, with the code in the fragment.
pub fn page_url(base: &str, code: &AccessCode) -> String {
    format!("{base}/#code={}", code.as_str())
}

/// A QR code of `text` as rows of dark (`true`) and light modules, without the quiet
/// zone; `None` if it is too long for a QR code.
pub fn qr_modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, dark))
}

/// A QR code of `text` for a terminal: two rows of modules per line with half blocks,
/// dark on light with a quiet zone, so a phone's camera reads it off a dark terminal.
pub fn qr_text(text: &str) -> Option<String> {
    let (width, dark) = qr_modules(text)?;
    // The four modules of light around it the standard asks for.
    const QUIET: usize = 4;
    let size = width + 2 * QUIET;
    let at = |x: usize, y: usize| -> bool {
        x >= QUIET && y >= QUIET && x < width + QUIET && y < width + QUIET && {
            dark[(y - QUIET) * width + (x - QUIET)]
        }
    };
    let mut out = String::new();
    for row in (0..size).step_by(2) {
        for x in 0..size {
            // Light modules are drawn (the terminal's background is usually dark).
            let top = !at(x, row);
            let bottom = row + 1 < size && !at(x, row + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Some(out)
}
