//! The two containers of glTF 2.0, told apart by their content: binary glTF (a 12-byte
//! header `glTF`, version 2, total length; then chunks of length, type and data, the
//! first `JSON`, the optional second `BIN\0`) and a plain JSON `.gltf`. Also the
//! version check of `asset.version`, so a glTF 1.0 file is named as one rather than
//! failing on its different layout.

use serde_json::Value;

use super::problem::{Problem, ProblemKind};

/// The magic number at the start of a GLB file: `glTF`.
const GLB_MAGIC: &[u8; 4] = b"glTF";
/// Chunk types, as little-endian `u32`s of `JSON` and `BIN\0`.
pub(crate) const CHUNK_JSON: u32 = 0x4E4F_534A;
pub(crate) const CHUNK_BIN: u32 = 0x004E_4942;

/// Which container the model came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// Binary glTF (`.glb`, `.vrm`).
    Glb,
    /// JSON glTF (`.gltf`).
    Json,
}

/// A model file split into its JSON text and, for a GLB, its binary chunk.
pub(crate) struct Split<'a> {
    pub container: Container,
    pub json: &'a [u8],
    pub bin: Option<&'a [u8]>,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn fatal(kind: ProblemKind, message: impl Into<String>) -> Problem {
    Problem::error(kind, "the file", message)
}

fn cut_short(message: impl Into<String>) -> Problem {
    fatal(ProblemKind::CutShort, message)
        .with_hint("the file was cut short while copying or exporting: copy or export it again")
}

fn version_problem(version: &str) -> Problem {
    fatal(
        ProblemKind::Version,
        format!("this is glTF version {version}; reunion reads glTF 2.0"),
    )
    .with_hint("export the model again as glTF 2.0 (.glb or .gltf)")
}

/// Recognises the container and splits it. A GLB's chunks are checked against its
/// header: any length that reaches past the end is "cut short".
pub(crate) fn split(bytes: &[u8]) -> Result<Split<'_>, Problem> {
    if bytes.starts_with(GLB_MAGIC) {
        return split_glb(bytes);
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        return Ok(Split {
            container: Container::Json,
            json: bytes,
            bin: None,
        });
    }
    if bytes.is_empty() {
        return Err(fatal(ProblemKind::NotGltf, "the file is empty"));
    }
    if bytes.starts_with(&GLB_MAGIC[..bytes.len().min(4)]) {
        return Err(cut_short(format!(
            "the GLB file is cut short: {} bytes, not even its 12-byte header",
            bytes.len()
        )));
    }
    Err(fatal(
        ProblemKind::NotGltf,
        "this is not a glTF model: it starts neither with `glTF` (binary .glb) nor with `{` (.gltf JSON)",
    )
    .with_hint("export the model as glTF 2.0 (.glb or .gltf)"))
}

fn split_glb(bytes: &[u8]) -> Result<Split<'_>, Problem> {
    let (Some(version), Some(length)) = (u32_at(bytes, 4), u32_at(bytes, 8)) else {
        return Err(cut_short(format!(
            "the GLB file is cut short: {} bytes, not even its 12-byte header",
            bytes.len()
        )));
    };
    if version != 2 {
        return Err(version_problem(&format!("{version} (binary)")));
    }
    let length = length as usize;
    if length > bytes.len() {
        return Err(cut_short(format!(
            "the GLB file is cut short: its header says {length} bytes, but it has {}",
            bytes.len()
        )));
    }
    let bytes = &bytes[..length];
    let mut json = None;
    let mut bin = None;
    let mut at = 12usize;
    let mut index = 0;
    while at < length {
        let (Some(chunk_len), Some(chunk_type)) = (u32_at(bytes, at), u32_at(bytes, at + 4)) else {
            return Err(cut_short(format!(
                "the GLB file is cut short: chunk {index} has no complete 8-byte header"
            )));
        };
        let start = at + 8;
        let Some(end) = start
            .checked_add(chunk_len as usize)
            .filter(|&end| end <= length)
        else {
            return Err(cut_short(format!(
                "the GLB file is cut short: chunk {index} says {chunk_len} bytes, past the end of the file"
            )));
        };
        match (index, chunk_type) {
            (0, CHUNK_JSON) => json = Some(&bytes[start..end]),
            (0, other) => {
                return Err(fatal(
                    ProblemKind::NotGltf,
                    format!(
                        "the GLB file's first chunk should be its JSON (type 0x4E4F534A), but it is type {other:#010X}"
                    ),
                ));
            }
            (1, CHUNK_BIN) => bin = Some(&bytes[start..end]),
            // Other chunk types are to be skipped, says the specification.
            _ => {}
        }
        // Chunks are 4-byte aligned; a last chunk may end unpadded.
        at = end.next_multiple_of(4);
        index += 1;
    }
    let Some(json) = json else {
        return Err(cut_short("the GLB file has no chunks after its header"));
    };
    Ok(Split {
        container: Container::Glb,
        json,
        bin,
    })
}

/// Parses the JSON (loosely, as a value) and checks `asset.version` (and
/// `asset.minVersion`) before the document is read to the letter, so that a glTF 1.0
/// file (objects keyed by id where 2.0 has arrays) is reported by its version.
pub(crate) fn check_version(json: &[u8]) -> Result<(), Problem> {
    let root: Value = serde_json::from_slice(json).map_err(|e| {
        fatal(
            ProblemKind::NotGltf,
            format!("the model's glTF JSON does not parse: {e}"),
        )
        .with_hint("export the model again; a hand-edited .gltf may have lost a bracket or comma")
    })?;
    let Some(root) = root.as_object() else {
        return Err(fatal(
            ProblemKind::NotGltf,
            "the model's glTF JSON is not an object",
        ));
    };
    let asset = root.get("asset");
    let version = asset.and_then(|a| a.get("version")).and_then(Value::as_str);
    match version {
        None => Err(fatal(
            ProblemKind::NotGltf,
            "the model's glTF JSON has no `asset.version`",
        )
        .with_hint("export the model as glTF 2.0 (.glb or .gltf)")),
        Some(v) if v.split('.').next() != Some("2") => Err(version_problem(v)),
        Some(_) => match asset
            .and_then(|a| a.get("minVersion"))
            .and_then(Value::as_str)
        {
            Some(min) if min != "2.0" => Err(version_problem(&format!("{min} (minVersion)"))),
            _ => Ok(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glb(chunks: &[(u32, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (kind, data) in chunks {
            let mut data = data.to_vec();
            while !data.len().is_multiple_of(4) {
                data.push(if *kind == CHUNK_JSON { b' ' } else { 0 });
            }
            body.extend_from_slice(&(data.len() as u32).to_le_bytes());
            body.extend_from_slice(&kind.to_le_bytes());
            body.extend_from_slice(&data);
        }
        let mut out = b"glTF".to_vec();
        out.extend_from_slice(&2u32.to_le_bytes());
        out.extend_from_slice(&(12 + body.len() as u32).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn a_glb_splits_into_json_and_bin() {
        let bytes = glb(&[(CHUNK_JSON, b"{}"), (CHUNK_BIN, &[1, 2, 3, 4])]);
        let split = split(&bytes).expect("split");
        assert_eq!(split.container, Container::Glb);
        assert_eq!(split.json, b"{}  ");
        assert_eq!(split.bin, Some(&[1u8, 2, 3, 4][..]));
    }

    #[test]
    fn unknown_chunks_are_skipped() {
        let bytes = glb(&[(CHUNK_JSON, b"{}"), (CHUNK_BIN, &[9; 4]), (0x1234, &[0; 8])]);
        assert_eq!(split(&bytes).expect("split").bin, Some(&[9u8; 4][..]));
    }

    #[test]
    fn every_cut_is_cut_short() {
        let bytes = glb(&[(CHUNK_JSON, b"{}"), (CHUNK_BIN, &[1, 2, 3, 4])]);
        for len in 1..bytes.len() {
            let e = split(&bytes[..len]).err().expect("an error");
            assert_eq!(e.kind, ProblemKind::CutShort, "{len}: {e}");
        }
    }

    #[test]
    fn versions_other_than_two_are_named() {
        let mut v1 = glb(&[(CHUNK_JSON, b"{}")]);
        v1[4] = 1;
        let e = split(&v1).err().expect("v1");
        assert_eq!(e.kind, ProblemKind::Version);
        assert!(e.message.contains("version 1"), "{e}");
        let e = check_version(br#"{ "asset": { "version": "1.0" }, "nodes": {} }"#).unwrap_err();
        assert!(e.message.contains("version 1.0"), "{e}");
        assert!(check_version(br#"{ "asset": { "version": "2.0" } }"#).is_ok());
        let e = check_version(br#"{ "asset": { "version": "2.0", "minVersion": "2.1" } }"#)
            .unwrap_err();
        assert!(e.message.contains("2.1"), "{e}");
    }
}
