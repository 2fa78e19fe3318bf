//! The short summary the loader checks a cast member's model against today: the names
//! of its animations and morph targets and the external files it names.
//!
//! [`read_gltf`] is [`super::read_model`] without the files next to the model: any
//! bytes at all give either a summary or an error that says what is wrong; the
//! problems a whole read would find past that are left to [`super::read_model`].

use super::model::{GltfModel, read_model};

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

impl From<&GltfModel> for GltfSummary {
    fn from(model: &GltfModel) -> Self {
        GltfSummary {
            animations: model
                .animation_names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            morph_targets: model
                .morph_target_names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            external_uris: model.external_uris.clone(),
        }
    }
}

/// Reads the bytes of a `.glb` or `.gltf` file. The container is recognised by its
/// content: GLB starts with `glTF`, a `.gltf` is a JSON object.
pub fn read_gltf(bytes: &[u8]) -> Result<GltfSummary, String> {
    read_model(bytes, &|_| None)
        .map(|model| GltfSummary::from(&model))
        .map_err(|problem| problem.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gltf::container::CHUNK_JSON;

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
