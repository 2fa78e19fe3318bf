//! The URIs a glTF file writes for its buffers and images: `data:` URIs with their
//! content inline (base64, decoded here without a crate), and relative paths,
//! percent-encoded as URIs are (`my%20wall.png`).

/// What a URI in a model stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uri<'a> {
    /// A `data:` URI: its MIME type (may be empty) and its decoded bytes, or why they
    /// cannot be decoded.
    Data {
        mime_type: &'a str,
        bytes: Result<Vec<u8>, String>,
    },
    /// A file next to the model: the path, percent-decoded.
    File(String),
    /// Any other scheme (`http://`, `file://`): never read.
    Other,
}

impl<'a> Uri<'a> {
    pub fn parse(uri: &'a str) -> Self {
        if let Some(rest) = uri.strip_prefix("data:") {
            let Some((header, data)) = rest.split_once(',') else {
                return Uri::Data {
                    mime_type: "",
                    bytes: Err("the data: URI has no `,` before its data".into()),
                };
            };
            let (mime_type, base64) = match header.strip_suffix(";base64") {
                Some(mime) => (mime, true),
                None => (header, false),
            };
            let bytes = if base64 {
                decode_base64(data)
            } else {
                Ok(percent_decode(data).into_bytes())
            };
            return Uri::Data { mime_type, bytes };
        }
        // A scheme is letters (and + - .) then `:`; a Windows drive letter is not one.
        let scheme_end = uri.find(':').filter(|&i| {
            i > 1
                && uri[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        match scheme_end {
            Some(_) => Uri::Other,
            None => Uri::File(percent_decode(uri)),
        }
    }
}

/// Decodes `%XX` escapes; invalid escapes are kept as written, and so is the whole
/// string when the result would not be UTF-8.
pub fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| uri.to_owned())
}

/// The value of one base64 character (standard alphabet; `-` and `_` of the URL-safe
/// one are accepted too).
fn sextet(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    } as u32)
}

/// Decodes base64 (padding optional, whitespace ignored).
pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut padding = 0;
    for (at, c) in text.bytes().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return Err(format!(
                "the base64 data goes on after its `=` padding (at character {at})"
            ));
        }
        let Some(v) = sextet(c) else {
            return Err(format!(
                "the base64 data has `{}` at character {at}, which is not base64",
                c as char
            ));
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return Err("the base64 data ends with a lone character".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("TQ==").unwrap(), b"M");
        assert_eq!(decode_base64("TWE=").unwrap(), b"Ma");
        assert_eq!(decode_base64("TWFu").unwrap(), b"Man");
        assert_eq!(decode_base64("TWFu TWE").unwrap(), b"ManMa");
        assert_eq!(
            decode_base64("AAECAwQF/w==").unwrap(),
            [0, 1, 2, 3, 4, 5, 255]
        );
        assert!(decode_base64("TW!u").unwrap_err().contains("`!`"));
        assert!(decode_base64("TQ==TQ").is_err());
        assert!(decode_base64("TWFuT").is_err());
    }

    #[test]
    fn uris_are_data_files_or_other() {
        match Uri::parse("data:application/octet-stream;base64,AAEC") {
            Uri::Data { mime_type, bytes } => {
                assert_eq!(mime_type, "application/octet-stream");
                assert_eq!(bytes.unwrap(), [0, 1, 2]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            Uri::parse("textures/my%20wall.png"),
            Uri::File("textures/my wall.png".into())
        );
        assert_eq!(Uri::parse("https://example.com/a.bin"), Uri::Other);
        assert_eq!(
            Uri::parse("C:/models/a.bin"),
            Uri::File("C:/models/a.bin".into())
        );
        assert!(matches!(
            Uri::parse("data:image/png;base64"),
            Uri::Data { bytes: Err(_), .. }
        ));
    }
}
