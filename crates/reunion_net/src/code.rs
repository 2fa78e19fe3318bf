//! The join code: the secret a host prints and a participant types.
//!
//! Twenty letters and digits from an alphabet without look-alikes (no `0`/`o`,
//! `1`/`l`/`i`), in four groups: `k7dm2-x9qpa-...` (about 99 bits). Both sides derive
//! the transport's 32-byte key from it ([`JoinCode::key`]); renet's netcode encrypts
//! and authenticates every packet with that key, so without the code nobody can join,
//! read or send.

use std::fmt;

/// The letters a code is made of.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Letters in a code (without dashes).
const LENGTH: usize = 20;
/// Letters per group when printed.
const GROUP: usize = 5;

/// A join code, normalised (lowercase, no dashes).
#[derive(Clone, PartialEq, Eq)]
pub struct JoinCode(String);

/// Why a typed code is not a join code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadCode {
    Length(usize),
    Letter(char),
}

impl fmt::Display for BadCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadCode::Length(n) => write!(
                f,
                "a join code has {LENGTH} letters and digits (dashes and spaces do not count); this one has {n}"
            ),
            BadCode::Letter(c) => write!(
                f,
                "`{c}` is never in a join code (codes leave out 0, 1, i, l and o, which look alike)"
            ),
        }
    }
}

impl std::error::Error for BadCode {}

impl JoinCode {
    /// A new code from the operating system's randomness.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; LENGTH];
        getrandom::fill(&mut bytes)?;
        Ok(Self::from_random(&bytes))
    }

    /// A code from random bytes (one letter per byte; the small bias of `% 31` costs
    /// less than a tenth of a bit per letter).
    fn from_random(bytes: &[u8; LENGTH]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
                .collect(),
        )
    }

    /// Reads a typed code: case, dashes and spaces do not matter.
    pub fn parse(typed: &str) -> Result<Self, BadCode> {
        let mut code = String::with_capacity(LENGTH);
        for c in typed.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = c.to_ascii_lowercase();
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(BadCode::Letter(c));
            }
            code.push(c);
        }
        if code.len() != LENGTH {
            return Err(BadCode::Length(code.len()));
        }
        Ok(Self(code))
    }

    /// The normalised code (lowercase, no dashes), as a console sends it in its hello.
    /// A secret: never log it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The transport's key: derived from the code, the same on both sides.
    pub fn key(&self) -> [u8; 32] {
        blake3::derive_key(
            "reunion 2026-12 join code -> netcode key",
            self.0.as_bytes(),
        )
    }
}

impl fmt::Display for JoinCode {
    /// In groups of five: `k7dm2-x9qpa-3hrtw-bcz4e`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.0.as_bytes().chunks(GROUP).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl fmt::Debug for JoinCode {
    /// Never the code itself (it would end up in logs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JoinCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_code_reads_back_the_same_however_it_is_typed() {
        let code = JoinCode::generate().expect("randomness");
        let printed = code.to_string();
        assert_eq!(printed.len(), LENGTH + LENGTH / GROUP - 1);
        assert_eq!(JoinCode::parse(&printed), Ok(code.clone()));
        let shouted = printed.to_uppercase().replace('-', " ");
        assert_eq!(JoinCode::parse(&shouted), Ok(code.clone()));
        assert_eq!(JoinCode::parse(&shouted).map(|c| c.key()), Ok(code.key()));
    }

    #[test]
    fn codes_differ_and_so_do_their_keys() {
        let a = JoinCode::from_random(&[0; LENGTH]);
        let mut bytes = [0; LENGTH];
        bytes[7] = 1;
        let b = JoinCode::from_random(&bytes);
        assert_ne!(a, b);
        assert_ne!(a.key(), b.key());
        let c = JoinCode::generate().expect("randomness");
        let d = JoinCode::generate().expect("randomness");
        assert_ne!(c, d, "two fresh codes");
    }

    #[test]
    fn mistyped_codes_say_what_is_wrong() {
        assert_eq!(JoinCode::parse("abcde"), Err(BadCode::Length(5)));
        assert_eq!(
            JoinCode::parse("abcde-fghjk-mnpqr-stuv0"),
            Err(BadCode::Letter('0'))
        );
        let message = BadCode::Letter('0').to_string();
        assert!(message.contains("look alike"), "{message}");
    }

    #[test]
    fn the_debug_form_hides_the_code() {
        let code = JoinCode::generate().expect("randomness");
        assert!(!format!("{code:?}").contains(&code.0));
    }
}
