//! Reads an Ogg Vorbis file far enough to know how long it plays, and that it is one.
//!
//! The checker times each voice line by its clip, so it needs the clip's length
//! without decoding it (that is the audio side's work, and needs an engine). An Ogg
//! file is a chain of pages; each page starts with the capture pattern `OggS`, carries
//! a CRC of itself, and a *granule position*: for Vorbis, the number of samples (per
//! channel) decoded by the end of the page. The first page holds the Vorbis
//! identification header with the sample rate, so
//!
//! ```text
//! seconds = granule position of the stream's last page / sample rate
//! ```
//!
//! Every page is checked (capture pattern, version, CRC, that its body is all there)
//! and the stream must end with a page marked as its last, so a garbage or truncated
//! file is a clear error rather than a wrong length. Only the first logical stream is
//! read (a voice clip has one); pages of other streams are checked and skipped.
//!
//! The length is that of the samples as encoded. A stream cut out of a longer one can
//! start at a granule position above zero; encoders of fresh files (oggenc, sox,
//! ffmpeg) start at zero, and this reader does not correct for it.

use std::fmt;

/// What a clip's headers say.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClipInfo {
    pub sample_rate: u32,
    pub channels: u8,
    /// Samples per channel in the stream (the last page's granule position).
    pub samples: u64,
}

impl ClipInfo {
    /// How long the clip plays.
    pub fn seconds(&self) -> f64 {
        self.samples as f64 / f64::from(self.sample_rate)
    }
}

/// Why a file is not a usable Ogg Vorbis clip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OggError {
    /// The file does not begin with `OggS`.
    NotOgg,
    /// An Ogg file, but its first stream is not Vorbis (`kind` names it when known).
    NotVorbis { kind: Option<&'static str> },
    /// A page is damaged; `offset` is its byte offset in the file.
    BadPage { offset: usize, reason: &'static str },
    /// The file stops in the middle of a page.
    Truncated { offset: usize },
    /// The last page is not marked as the end of the stream.
    NoEnd,
    /// The Vorbis identification header is wrong.
    BadHeader(&'static str),
    /// No page says how many samples the stream has.
    NoSamples,
}

impl fmt::Display for OggError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OggError::NotOgg => f.write_str("not an Ogg file (it does not begin with `OggS`)"),
            OggError::NotVorbis { kind: Some(k) } => {
                write!(f, "an Ogg file, but {k} rather than Vorbis audio")
            }
            OggError::NotVorbis { kind: None } => f.write_str("an Ogg file, but not Vorbis audio"),
            OggError::BadPage { offset, reason } => {
                write!(f, "the Ogg page at byte {offset} is damaged: {reason}")
            }
            OggError::Truncated { offset } => write!(
                f,
                "the file ends in the middle of the page at byte {offset}: it was cut short"
            ),
            OggError::NoEnd => f.write_str(
                "the stream has no last page (none is marked as its end): the file was cut short",
            ),
            OggError::BadHeader(reason) => write!(f, "the Vorbis header is wrong: {reason}"),
            OggError::NoSamples => f.write_str("the stream holds no audio"),
        }
    }
}

impl std::error::Error for OggError {}

/// The length of the fixed part of a page header, before the segment table.
const HEADER: usize = 27;
const CONTINUED: u8 = 0x01;
const FIRST: u8 = 0x02;
const LAST: u8 = 0x04;

/// One page, borrowed from the file.
struct Page<'a> {
    flags: u8,
    granule: u64,
    serial: u32,
    body: &'a [u8],
    /// The segment table: a segment shorter than 255 ends a packet.
    segments: &'a [u8],
}

/// Reads the page at `offset`, checking it; returns it and where the next one starts.
fn page_at(bytes: &[u8], offset: usize) -> Result<(Page<'_>, usize), OggError> {
    let rest = &bytes[offset..];
    if rest.len() >= 4 && &rest[..4] != b"OggS" {
        return Err(if offset == 0 {
            OggError::NotOgg
        } else {
            OggError::BadPage {
                offset,
                reason: "no capture pattern `OggS` where a page should begin",
            }
        });
    }
    if rest.len() < HEADER {
        return Err(if offset == 0 && rest.len() < 4 {
            OggError::NotOgg
        } else {
            OggError::Truncated { offset }
        });
    }
    if rest[4] != 0 {
        return Err(OggError::BadPage {
            offset,
            reason: "an Ogg version other than 0",
        });
    }
    let flags = rest[5];
    if flags & !(CONTINUED | FIRST | LAST) != 0 {
        return Err(OggError::BadPage {
            offset,
            reason: "unknown header flags",
        });
    }
    let u32_at = |i: usize| u32::from_le_bytes([rest[i], rest[i + 1], rest[i + 2], rest[i + 3]]);
    let granule = u64::from(u32_at(6)) | (u64::from(u32_at(10)) << 32);
    let serial = u32_at(14);
    let crc = u32_at(22);
    let n = usize::from(rest[26]);
    if rest.len() < HEADER + n {
        return Err(OggError::Truncated { offset });
    }
    let segments = &rest[HEADER..HEADER + n];
    let body_len: usize = segments.iter().map(|s| usize::from(*s)).sum();
    let end = HEADER + n + body_len;
    if rest.len() < end {
        return Err(OggError::Truncated { offset });
    }
    // The CRC covers the whole page with its own field read as zero.
    let mut sum = crc32(0, &rest[..22]);
    sum = crc32(sum, &[0; 4]);
    sum = crc32(sum, &rest[26..end]);
    if sum != crc {
        return Err(OggError::BadPage {
            offset,
            reason: "its checksum does not match (the file is corrupt)",
        });
    }
    let page = Page {
        flags,
        granule,
        serial,
        body: &rest[HEADER + n..end],
        segments,
    };
    Ok((page, offset + end))
}

/// Reads an Ogg Vorbis file's length and format, checking every page.
pub fn read_ogg_vorbis(bytes: &[u8]) -> Result<ClipInfo, OggError> {
    let (first, mut offset) = page_at(bytes, 0)?;
    if first.flags & FIRST == 0 || first.flags & CONTINUED != 0 {
        return Err(OggError::BadPage {
            offset: 0,
            reason: "the first page does not begin a stream",
        });
    }
    let (sample_rate, channels) = identification(&first)?;
    let serial = first.serial;
    let mut samples = None;
    let mut ended = first.flags & LAST != 0;
    while !ended && offset < bytes.len() {
        let (page, next) = page_at(bytes, offset)?;
        if page.serial == serial {
            if page.flags & FIRST != 0 {
                return Err(OggError::BadPage {
                    offset,
                    reason: "the stream begins a second time",
                });
            }
            // All ones: no packet ends on this page.
            if page.granule != u64::MAX {
                samples = Some(page.granule);
            }
            ended = page.flags & LAST != 0;
        }
        offset = next;
    }
    if !ended {
        return Err(OggError::NoEnd);
    }
    match samples {
        Some(s) if s > 0 => Ok(ClipInfo {
            sample_rate,
            channels,
            samples: s,
        }),
        _ => Err(OggError::NoSamples),
    }
}

/// The Vorbis identification header, alone in the first packet of the first page.
fn identification(page: &Page<'_>) -> Result<(u32, u8), OggError> {
    let b = page.body;
    if !b.starts_with(b"\x01vorbis") {
        let kind = if b.starts_with(b"OpusHead") {
            Some("Opus")
        } else if b.starts_with(b"\x7fFLAC") {
            Some("FLAC")
        } else if b.starts_with(b"Speex") {
            Some("Speex")
        } else if b.starts_with(b"\x80theora") {
            Some("Theora video")
        } else {
            None
        };
        return Err(OggError::NotVorbis { kind });
    }
    // The header is exactly 30 bytes, one packet ending on this page.
    if b.len() != 30 || page.segments != [30] {
        return Err(OggError::BadHeader(
            "the identification header is not 30 bytes",
        ));
    }
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    if u32_at(7) != 0 {
        return Err(OggError::BadHeader("a Vorbis version other than 0"));
    }
    let channels = b[11];
    if channels == 0 {
        return Err(OggError::BadHeader("no audio channels"));
    }
    let rate = u32_at(12);
    if rate == 0 {
        return Err(OggError::BadHeader("a sample rate of 0"));
    }
    let (small, large) = (b[28] & 0x0f, b[28] >> 4);
    if !(6..=13).contains(&small) || !(6..=13).contains(&large) || small > large {
        return Err(OggError::BadHeader("impossible block sizes"));
    }
    if b[29] & 1 == 0 {
        return Err(OggError::BadHeader("the framing bit is not set"));
    }
    Ok((rate, channels))
}

/// Ogg's CRC-32: polynomial 0x04c11db7, not reflected, starting from 0, no final xor.
fn crc32(mut crc: u32, data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut r = (i as u32) << 24;
            let mut bit = 0;
            while bit < 8 {
                r = if r & 0x8000_0000 != 0 {
                    (r << 1) ^ 0x04c1_1db7
                } else {
                    r << 1
                };
                bit += 1;
            }
            table[i] = r;
            i += 1;
        }
        table
    };
    for &b in data {
        crc = (crc << 8) ^ TABLE[((crc >> 24) as u8 ^ b) as usize];
    }
    crc
}

/// Hand-built Ogg Vorbis files for tests: real pages with real checksums around
/// fake audio packets, enough for [`read_ogg_vorbis`].
#[cfg(test)]
pub(crate) mod fake {
    use super::*;

    /// Builds one page around `body`, with a correct checksum.
    pub(crate) fn page(flags: u8, granule: u64, serial: u32, seq: u32, body: &[u8]) -> Vec<u8> {
        assert!(body.len() < 255 * 255);
        let mut segments = vec![255u8; body.len() / 255];
        segments.push((body.len() % 255) as u8);
        let mut p = b"OggS".to_vec();
        p.push(0);
        p.push(flags);
        p.extend_from_slice(&granule.to_le_bytes());
        p.extend_from_slice(&serial.to_le_bytes());
        p.extend_from_slice(&seq.to_le_bytes());
        p.extend_from_slice(&[0; 4]);
        p.push(segments.len() as u8);
        p.extend_from_slice(&segments);
        p.extend_from_slice(body);
        let crc = crc32(0, &p);
        p[22..26].copy_from_slice(&crc.to_le_bytes());
        p
    }

    pub(crate) fn ident(rate: u32, channels: u8) -> Vec<u8> {
        let mut b = b"\x01vorbis".to_vec();
        b.extend_from_slice(&0u32.to_le_bytes());
        b.push(channels);
        b.extend_from_slice(&rate.to_le_bytes());
        b.extend_from_slice(&[0; 12]); // bitrates
        b.push(0xb8); // block sizes 256 and 2048
        b.push(1); // framing
        b
    }

    /// A stream of `rate` Hz with a last granule of `samples`, over a few pages.
    pub(crate) fn clip(rate: u32, samples: u64) -> Vec<u8> {
        let mut f = page(FIRST, 0, 7, 0, &ident(rate, 1));
        f.extend(page(0, 0, 7, 1, &[3; 300])); // comment + setup headers (fake)
        f.extend(page(0, samples / 2, 7, 2, &[9; 400]));
        f.extend(page(LAST, samples, 7, 3, &[9; 100]));
        f
    }
}

#[cfg(test)]
mod tests {
    use super::fake::*;
    use super::*;

    #[test]
    fn the_checksum_is_oggs_crc() {
        // The check value of CRC-32 with polynomial 0x04c11db7, no reflection, initial
        // value 0 and no final xor (CRC-32/CKSUM is 0x765e7680 with its final xor).
        assert_eq!(crc32(0, b"123456789"), 0x89a1_897f);
    }

    #[test]
    fn the_length_is_the_last_granule_over_the_rate() {
        let info = read_ogg_vorbis(&clip(22_050, 33_075)).expect("a clip");
        assert_eq!(info.sample_rate, 22_050);
        assert_eq!(info.channels, 1);
        assert!((info.seconds() - 1.5).abs() < 1e-9, "{}", info.seconds());
    }

    #[test]
    fn a_file_made_by_sox_reads_as_soxi_measures_it() {
        // The project's birthday song, encoded by SoX; `soxi` reports 177833 samples
        // at 22050 Hz, mono.
        let dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
        let path = dir.join("../../assets/stories/nayeon/music/birthday.ogg");
        let bytes = std::fs::read(&path).expect("the birthday song");
        let info = read_ogg_vorbis(&bytes).expect("a Vorbis clip");
        assert_eq!((info.sample_rate, info.channels), (22_050, 1));
        assert_eq!(info.samples, 177_833);
        // Any cut of it is refused, never mistimed.
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
            assert!(read_ogg_vorbis(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn pages_of_another_stream_are_skipped() {
        let mut f = clip(48_000, 96_000);
        let last = f.split_off(f.len() - (HEADER + 1 + 100));
        f.extend(page(0, 999_999_999, 8, 0, &[1; 50]));
        f.extend(last);
        let info = read_ogg_vorbis(&f).expect("a clip");
        assert!((info.seconds() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn garbage_is_not_ogg() {
        assert_eq!(read_ogg_vorbis(b""), Err(OggError::NotOgg));
        assert_eq!(read_ogg_vorbis(b"RIFF....WAVEfmt "), Err(OggError::NotOgg));
        assert_eq!(read_ogg_vorbis(&[0; 100]), Err(OggError::NotOgg));
    }

    #[test]
    fn a_cut_file_is_truncated_or_unended() {
        let f = clip(22_050, 22_050);
        // Cut inside the last page.
        let cut = &f[..f.len() - 10];
        assert!(
            matches!(read_ogg_vorbis(cut), Err(OggError::Truncated { .. })),
            "{:?}",
            read_ogg_vorbis(cut)
        );
        // Cut exactly between pages: every page is whole, but the end is missing.
        let cut = &f[..f.len() - (HEADER + 1 + 100)];
        assert_eq!(read_ogg_vorbis(cut), Err(OggError::NoEnd));
    }

    #[test]
    fn a_flipped_byte_fails_the_checksum() {
        let mut f = clip(22_050, 22_050);
        let i = f.len() - 50;
        f[i] ^= 0x10;
        let e = read_ogg_vorbis(&f).expect_err("corrupt");
        assert!(
            matches!(e, OggError::BadPage { reason, .. } if reason.contains("checksum")),
            "{e}"
        );
    }

    #[test]
    fn opus_is_named() {
        let mut head = b"OpusHead".to_vec();
        head.extend_from_slice(&[1, 1, 0, 0, 0x80, 0xbb, 0, 0, 0, 0, 0]);
        let f = page(FIRST | LAST, 0, 1, 0, &head);
        let e = read_ogg_vorbis(&f).expect_err("opus");
        assert_eq!(e, OggError::NotVorbis { kind: Some("Opus") });
        assert!(e.to_string().contains("Opus"), "{e}");
    }

    #[test]
    fn a_bad_header_is_explained() {
        let mut h = ident(0, 1);
        let f = page(FIRST | LAST, 0, 1, 0, &h);
        assert_eq!(
            read_ogg_vorbis(&f),
            Err(OggError::BadHeader("a sample rate of 0"))
        );
        h = ident(22_050, 1);
        h[29] = 0;
        let f = page(FIRST | LAST, 0, 1, 0, &h);
        assert_eq!(
            read_ogg_vorbis(&f),
            Err(OggError::BadHeader("the framing bit is not set"))
        );
    }

    #[test]
    fn a_stream_without_audio_has_no_length() {
        let mut f = page(FIRST, 0, 7, 0, &ident(22_050, 1));
        f.extend(page(LAST, 0, 7, 1, &[3; 30]));
        assert_eq!(read_ogg_vorbis(&f), Err(OggError::NoSamples));
    }
}
