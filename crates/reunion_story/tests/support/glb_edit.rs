//! Editing a binary glTF in a test: its JSON as a value and its binary chunk, split
//! apart and joined again, so a test can break a good model in one known way.

use serde_json::Value;

/// A GLB taken apart.
pub struct Glb {
    pub json: Value,
    pub bin: Vec<u8>,
}

fn u32_at(bytes: &[u8], at: usize) -> usize {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
}

impl Glb {
    /// Splits a well-formed GLB (a JSON chunk, then a BIN chunk).
    pub fn split(bytes: &[u8]) -> Glb {
        assert_eq!(&bytes[..4], b"glTF", "a GLB");
        let json_len = u32_at(bytes, 12);
        let json = serde_json::from_slice(&bytes[20..20 + json_len]).expect("its JSON");
        let bin_at = 20 + json_len;
        let bin = if bin_at + 8 <= bytes.len() {
            let bin_len = u32_at(bytes, bin_at);
            bytes[bin_at + 8..bin_at + 8 + bin_len].to_vec()
        } else {
            Vec::new()
        };
        Glb { json, bin }
    }

    /// The GLB again.
    pub fn join(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec(&self.json).expect("JSON");
        while !json.len().is_multiple_of(4) {
            json.push(b' ');
        }
        let mut bin = self.bin.clone();
        while !bin.len().is_multiple_of(4) {
            bin.push(0);
        }
        let total = 12 + 8 + json.len() + if bin.is_empty() { 0 } else { 8 + bin.len() };
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(b"glTF");
        out.extend_from_slice(&2u32.to_le_bytes());
        out.extend_from_slice(&(total as u32).to_le_bytes());
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(b"JSON");
        out.extend_from_slice(&json);
        if !bin.is_empty() {
            out.extend_from_slice(&(bin.len() as u32).to_le_bytes());
            out.extend_from_slice(b"BIN\0");
            out.extend_from_slice(&bin);
        }
        out
    }

    /// The model as a `.gltf` whose buffer is the file `bin_uri` (returned with it).
    pub fn to_gltf(&self, bin_uri: &str) -> (Vec<u8>, Vec<u8>) {
        let mut json = self.json.clone();
        json["buffers"][0]["uri"] = Value::String(bin_uri.to_owned());
        (serde_json::to_vec(&json).expect("JSON"), self.bin.clone())
    }
}
