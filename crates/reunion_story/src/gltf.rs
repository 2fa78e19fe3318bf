//! Reading a glTF model just far enough to check it: the names of its animations and
//! of its morph targets.
//!
//! A cast entry may point at a `.glb` or `.gltf` file instead of the built-in avatar
//! ([`crate::format::ModelDef`]). The engine loads it with a real glTF loader; the
//! checker only needs to know which clips and morph targets the file offers, so that a
//! missing one is reported by `reunion check` rather than discovered in a session.
//!
//! Both containers are read: binary glTF (a 12-byte header `glTF`, version 2, then
//! chunks, the first of which is the JSON) and plain JSON `.gltf`. Any bytes at all
//! give either a summary or an error that says what is wrong; nothing here panics.

use serde_json::Value;

/// The magic number at the start of a GLB file: `glTF`.
const GLB_MAGIC: &[u8; 4] = b"glTF";
/// The chunk type of the JSON chunk: `JSON` as a little-endian `u32`.
const CHUNK_JSON: u32 = 0x4E4F_534A;

/// What the checker needs to know of a model file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GltfSummary {
    /// The names of the animations (`animations[].name`), in file order. Unnamed
    /// animations are left out: nothing can ask for them by name.
    pub animations: Vec<String>,
    /// The names of the morph targets, from `meshes[].extras.targetNames` (the
    /// convention of Blender and most exporters) and, failing that, from
    /// `meshes[].primitives[].extras.targetNames`. Each name once, in file order.
    pub morph_targets: Vec<String>,
    /// URIs of external files the model refers to (buffers and images), not `data:`
    /// URIs. Relative to the model file.
    pub external_uris: Vec<String>,
}

impl GltfSummary {
    pub fn has_animation(&self, name: &str) -> bool {
        self.animations.iter().any(|a| a == name)
    }

    pub fn has_morph_target(&self, name: &str) -> bool {
        self.morph_targets.iter().any(|m| m == name)
    }
}

/// Reads the bytes of a `.glb` or `.gltf` file. The container is recognised by its
/// content: GLB starts with `glTF`, a `.gltf` is a JSON object.
pub fn read_gltf(bytes: &[u8]) -> Result<GltfSummary, String> {
    let json = if bytes.starts_with(GLB_MAGIC) {
        glb_json_chunk(bytes)?
    } else if bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
    {
        bytes
    } else if bytes.is_empty() {
        return Err("the file is empty".into());
    } else {
        return Err(
            "this is not a glTF model: it starts neither with `glTF` (binary .glb) nor with `{` (.gltf JSON)"
                .into(),
        );
    };
    let root: Value = serde_json::from_slice(json)
        .map_err(|e| format!("the model's glTF JSON does not parse: {e}"))?;
    summarize(&root)
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The JSON chunk of a GLB file, checked against the header's lengths.
fn glb_json_chunk(bytes: &[u8]) -> Result<&[u8], String> {
    let (Some(version), Some(length)) = (u32_at(bytes, 4), u32_at(bytes, 8)) else {
        return Err(format!(
            "the GLB file is cut short: {} bytes, not even its 12-byte header",
            bytes.len()
        ));
    };
    if version != 2 {
        return Err(format!(
            "this is glTF version {version}; reunion reads glTF 2.0"
        ));
    }
    let length = length as usize;
    if length > bytes.len() {
        return Err(format!(
            "the GLB file is cut short: its header says {length} bytes, but it has {}",
            bytes.len()
        ));
    }
    let (Some(chunk_len), Some(chunk_type)) = (u32_at(bytes, 12), u32_at(bytes, 16)) else {
        return Err("the GLB file has no chunks after its header".into());
    };
    if chunk_type != CHUNK_JSON {
        return Err(format!(
            "the GLB file's first chunk should be its JSON (type 0x4E4F534A), but it is type {chunk_type:#010X}"
        ));
    }
    let start = 20usize;
    let end = start
        .checked_add(chunk_len as usize)
        .filter(|&end| end <= length)
        .ok_or_else(|| {
            format!(
                "the GLB file is cut short: its JSON chunk says {chunk_len} bytes, past the end of the file"
            )
        })?;
    Ok(&bytes[start..end])
}

fn summarize(root: &Value) -> Result<GltfSummary, String> {
    let Some(root) = root.as_object() else {
        return Err("the model's glTF JSON is not an object".into());
    };
    let version = root
        .get("asset")
        .and_then(|a| a.get("version"))
        .and_then(Value::as_str);
    match version {
        None => return Err("the model's glTF JSON has no `asset.version`".into()),
        Some(v) if v.split('.').next() != Some("2") => {
            return Err(format!("this is glTF version {v}; reunion reads glTF 2.0"));
        }
        Some(_) => {}
    }
    let list = |name: &str| {
        root.get(name)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let name_of = |v: &Value| v.get("name").and_then(Value::as_str).map(str::to_owned);
    let animations = list("animations").iter().filter_map(name_of).collect();

    let mut morph_targets: Vec<String> = Vec::new();
    let target_names = |v: &Value| -> Vec<String> {
        v.get("extras")
            .and_then(|e| e.get("targetNames"))
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    for mesh in list("meshes") {
        let mut names = target_names(mesh);
        if names.is_empty() {
            let primitives = mesh.get("primitives").and_then(Value::as_array);
            names = primitives
                .into_iter()
                .flatten()
                .flat_map(target_names)
                .collect();
        }
        for n in names {
            if !morph_targets.contains(&n) {
                morph_targets.push(n);
            }
        }
    }

    let external_uris = list("buffers")
        .iter()
        .chain(list("images"))
        .filter_map(|v| v.get("uri").and_then(Value::as_str))
        .filter(|uri| !uri.starts_with("data:"))
        .map(str::to_owned)
        .collect();
    Ok(GltfSummary {
        animations,
        morph_targets,
        external_uris,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{
        "asset": { "version": "2.0" },
        "animations": [ { "name": "idle" }, { "channels": [] }, { "name": "wave" } ],
        "meshes": [
            { "extras": { "targetNames": ["mouth_open", "blink"] }, "primitives": [] },
            { "primitives": [ { "extras": { "targetNames": ["smile", "blink"] } } ] }
        ],
        "buffers": [ { "uri": "child.bin", "byteLength": 4 }, { "uri": "data:application/octet-stream;base64,AAAA", "byteLength": 3 } ]
    }"#;

    fn glb(json: &[u8]) -> Vec<u8> {
        let mut json = json.to_vec();
        while !json.len().is_multiple_of(4) {
            json.push(b' ');
        }
        let mut out = Vec::new();
        out.extend_from_slice(b"glTF");
        out.extend_from_slice(&2u32.to_le_bytes());
        out.extend_from_slice(&(20 + json.len() as u32).to_le_bytes());
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&CHUNK_JSON.to_le_bytes());
        out.extend_from_slice(&json);
        out
    }

    #[test]
    fn reads_names_from_gltf_json() {
        let s = read_gltf(JSON.as_bytes()).expect("a summary");
        assert_eq!(s.animations, ["idle", "wave"]);
        assert_eq!(s.morph_targets, ["mouth_open", "blink", "smile"]);
        assert_eq!(s.external_uris, ["child.bin"]);
    }

    #[test]
    fn reads_names_from_glb() {
        let s = read_gltf(&glb(JSON.as_bytes())).expect("a summary");
        assert_eq!(s.animations, ["idle", "wave"]);
    }

    #[test]
    fn every_cut_of_a_glb_is_an_error_not_a_panic() {
        let whole = glb(JSON.as_bytes());
        for len in 0..whole.len() {
            let e = read_gltf(&whole[..len]).expect_err("a cut file is an error");
            assert!(!e.is_empty());
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        // A small generator, so the test is the same on every run.
        let mut x: u32 = 0x2545_f491;
        for len in 0..300 {
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect();
            assert!(read_gltf(&bytes).is_err());
            // The same garbage behind a valid-looking header.
            let mut with_header = glb(b"{}");
            with_header.truncate(12);
            with_header.append(&mut bytes);
            let _ = read_gltf(&with_header);
        }
        let e = read_gltf(b"PNG\x89 not a model").expect_err("an error");
        assert!(e.contains("not a glTF model"), "{e}");
        let e = read_gltf(b"{ \"asset\": ").expect_err("an error");
        assert!(e.contains("does not parse"), "{e}");
    }

    #[test]
    fn other_versions_are_refused() {
        let mut v1 = glb(JSON.as_bytes());
        v1[4] = 1;
        assert!(read_gltf(&v1).expect_err("v1").contains("version 1"));
        let e = read_gltf(br#"{ "asset": { "version": "1.0" } }"#).expect_err("v1");
        assert!(e.contains("version 1.0"), "{e}");
    }
}
