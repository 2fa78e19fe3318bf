//! Reading a GLB back, independently of the writer: the JSON, the binary chunk, and
//! the numbers an accessor holds (dense or sparse), with the checks a glTF validator
//! makes on the container and the accessors.

use reunion_modelkit::math::{Quat, Rigid, Vec3, v3};
use serde_json::Value;

pub struct Glb {
    pub json: Value,
    pub bin: Vec<u8>,
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

/// Reads a GLB, asserting its container is well formed.
pub fn read(bytes: &[u8]) -> Glb {
    assert_eq!(&bytes[0..4], b"glTF");
    assert_eq!(u32_at(bytes, 4), 2, "version");
    assert_eq!(u32_at(bytes, 8), bytes.len(), "total length");
    let json_len = u32_at(bytes, 12);
    assert_eq!(&bytes[16..20], b"JSON");
    assert_eq!(json_len % 4, 0, "JSON chunk padded");
    let json: Value = serde_json::from_slice(&bytes[20..20 + json_len]).expect("JSON chunk");
    let at = 20 + json_len;
    let bin_len = u32_at(bytes, at);
    assert_eq!(&bytes[at + 4..at + 8], b"BIN\0");
    assert_eq!(bin_len % 4, 0, "BIN chunk padded");
    let bin = bytes[at + 8..at + 8 + bin_len].to_vec();
    assert_eq!(at + 8 + bin_len, bytes.len());
    assert_eq!(
        json["buffers"][0]["byteLength"].as_u64(),
        Some(bin_len as u64)
    );
    Glb { json, bin }
}

impl Glb {
    pub fn list(&self, key: &str) -> Vec<Value> {
        self.json[key].as_array().cloned().unwrap_or_default()
    }

    fn view(&self, i: usize) -> &[u8] {
        let v = &self.json["bufferViews"][i];
        let off = v["byteOffset"].as_u64().unwrap_or(0) as usize;
        let len = v["byteLength"].as_u64().expect("byteLength") as usize;
        assert_eq!(off % 4, 0, "view {i} starts on a 4-byte boundary");
        &self.bin[off..off + len]
    }

    fn components(kind: &str) -> usize {
        match kind {
            "SCALAR" => 1,
            "VEC2" => 2,
            "VEC3" => 3,
            "VEC4" => 4,
            "MAT4" => 16,
            other => panic!("accessor type {other}"),
        }
    }

    /// Every value of accessor `i` as f32 (normalised integers scaled to 0..1),
    /// sparse substitutions applied.
    pub fn values(&self, i: usize) -> Vec<f32> {
        let a = &self.json["accessors"][i];
        let n = a["count"].as_u64().expect("count") as usize;
        let width = Self::components(a["type"].as_str().expect("type"));
        let ty = a["componentType"].as_u64().expect("componentType");
        let normalized = a["normalized"].as_bool().unwrap_or(false);
        let read = |bytes: &[u8], k: usize| -> f32 {
            match ty {
                5126 => f32::from_le_bytes(bytes[4 * k..4 * k + 4].try_into().expect("4 bytes")),
                5121 => {
                    let v = f32::from(bytes[k]);
                    if normalized { v / 255.0 } else { v }
                }
                5123 => f32::from(u16::from_le_bytes([bytes[2 * k], bytes[2 * k + 1]])),
                5125 => u32_at(bytes, 4 * k) as f32,
                other => panic!("component type {other}"),
            }
        };
        let mut out = match a["bufferView"].as_u64() {
            Some(v) => {
                let bytes = self.view(v as usize);
                (0..n * width).map(|k| read(bytes, k)).collect()
            }
            None => vec![0.0; n * width],
        };
        if let Some(sparse) = a.get("sparse") {
            let count = sparse["count"].as_u64().expect("sparse count") as usize;
            let index_bytes =
                self.view(sparse["indices"]["bufferView"].as_u64().expect("view") as usize);
            let index_type = sparse["indices"]["componentType"].as_u64().expect("type");
            let value_bytes =
                self.view(sparse["values"]["bufferView"].as_u64().expect("view") as usize);
            let mut last = None;
            for k in 0..count {
                let index = match index_type {
                    5121 => usize::from(index_bytes[k]),
                    5123 => usize::from(u16::from_le_bytes([
                        index_bytes[2 * k],
                        index_bytes[2 * k + 1],
                    ])),
                    _ => u32_at(index_bytes, 4 * k),
                };
                assert!(last.is_none_or(|l| index > l), "sparse indices increase");
                last = Some(index);
                for c in 0..width {
                    out[index * width + c] = read(value_bytes, k * width + c);
                }
            }
        }
        out
    }

    /// Accessor `i` as 3-vectors.
    pub fn vec3s(&self, i: usize) -> Vec<Vec3> {
        self.values(i)
            .chunks(3)
            .map(|c| v3(c[0], c[1], c[2]))
            .collect()
    }

    /// The index of the node called `name`.
    pub fn node(&self, name: &str) -> Option<usize> {
        self.list("nodes").iter().position(|n| n["name"] == name)
    }

    pub fn parent(&self, node: usize) -> Option<usize> {
        self.list("nodes").iter().position(|n| {
            n["children"]
                .as_array()
                .is_some_and(|c| c.iter().any(|x| x.as_u64() == Some(node as u64)))
        })
    }

    pub fn local(&self, node: usize) -> Rigid {
        let n = &self.json["nodes"][node];
        let f =
            |v: &Value, i: usize, d: f32| v.get(i).and_then(Value::as_f64).map_or(d, |x| x as f32);
        let t = &n["translation"];
        let r = &n["rotation"];
        assert!(n.get("scale").is_none(), "the kit's nodes are unscaled");
        Rigid {
            translation: v3(f(t, 0, 0.0), f(t, 1, 0.0), f(t, 2, 0.0)),
            rotation: Quat {
                x: f(r, 0, 0.0),
                y: f(r, 1, 0.0),
                z: f(r, 2, 0.0),
                w: f(r, 3, 1.0),
            },
        }
    }

    /// A node's transform in model space.
    pub fn world(&self, node: usize) -> Rigid {
        let mut t = self.local(node);
        let mut at = self.parent(node);
        while let Some(p) = at {
            t = self.local(p).then_after(&t);
            at = self.parent(p);
        }
        t
    }

    pub fn triangles(&self) -> usize {
        self.list("meshes")
            .iter()
            .flat_map(|m| m["primitives"].as_array().cloned().unwrap_or_default())
            .map(|p| {
                self.json["accessors"][p["indices"].as_u64().expect("indices") as usize]["count"]
                    .as_u64()
                    .expect("count") as usize
                    / 3
            })
            .sum()
    }

    /// The bounds of every mesh's positions, each moved by its node's transform.
    pub fn bounds(&self) -> (Vec3, Vec3) {
        let mut lo = v3(f32::INFINITY, f32::INFINITY, f32::INFINITY);
        let mut hi = -lo;
        for (i, n) in self.list("nodes").iter().enumerate() {
            let Some(mesh) = n["mesh"].as_u64() else {
                continue;
            };
            // Skinned meshes are in model space already.
            let t = if n.get("skin").is_some() {
                Rigid {
                    rotation: Quat::IDENTITY,
                    translation: Vec3::ZERO,
                }
            } else {
                self.world(i)
            };
            for p in self.json["meshes"][mesh as usize]["primitives"]
                .as_array()
                .expect("primitives")
            {
                for q in
                    self.vec3s(p["attributes"]["POSITION"].as_u64().expect("POSITION") as usize)
                {
                    let q = t.apply(q);
                    lo = v3(lo.x.min(q.x), lo.y.min(q.y), lo.z.min(q.z));
                    hi = v3(hi.x.max(q.x), hi.y.max(q.y), hi.z.max(q.z));
                }
            }
        }
        (lo, hi)
    }

    /// What a validator checks of each accessor and primitive: every accessor inside
    /// its view, POSITION and animation-input bounds equal to the data, unit normals,
    /// weights summing to 1, joints inside the skin, indices inside the vertices,
    /// morph targets named and counted alike. Returns the problems found.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let bounds_ok = |i: usize, out: &mut Vec<String>| {
            let a = &self.json["accessors"][i];
            let width = Self::components(a["type"].as_str().unwrap_or("SCALAR"));
            let data = self.values(i);
            for c in 0..width {
                let lo = data
                    .iter()
                    .skip(c)
                    .step_by(width)
                    .copied()
                    .fold(f32::INFINITY, f32::min);
                let hi = data
                    .iter()
                    .skip(c)
                    .step_by(width)
                    .copied()
                    .fold(f32::NEG_INFINITY, f32::max);
                // The JSON holds each bound as the shortest text of its f32.
                let (min, max) = (
                    a["min"][c].as_f64().map(|x| x as f32),
                    a["max"][c].as_f64().map(|x| x as f32),
                );
                if min != Some(lo) || max != Some(hi) {
                    out.push(format!(
                        "accessor {i}: min/max {min:?}/{max:?}, data {lo}/{hi}"
                    ));
                }
            }
        };
        for (mi, m) in self.list("meshes").iter().enumerate() {
            let names = m["extras"]["targetNames"].as_array().map_or(0, Vec::len);
            for p in m["primitives"].as_array().cloned().unwrap_or_default() {
                let attrs = &p["attributes"];
                let position = attrs["POSITION"].as_u64().expect("POSITION") as usize;
                let n = self.json["accessors"][position]["count"]
                    .as_u64()
                    .unwrap_or(0) as usize;
                bounds_ok(position, &mut out);
                for normal in self.vec3s(attrs["NORMAL"].as_u64().expect("NORMAL") as usize) {
                    if (normal.length() - 1.0).abs() > 1e-3 {
                        out.push(format!("mesh {mi}: a normal of length {}", normal.length()));
                        break;
                    }
                }
                if let Some(w) = attrs["WEIGHTS_0"].as_u64() {
                    for (k, ws) in self.values(w as usize).chunks(4).enumerate() {
                        if (ws.iter().sum::<f32>() - 1.0).abs() > 1e-5 {
                            out.push(format!(
                                "mesh {mi}: weights of vertex {k} sum to {}",
                                ws.iter().sum::<f32>()
                            ));
                            break;
                        }
                    }
                    let joints = self.list("skins")[0]["joints"]
                        .as_array()
                        .map_or(0, Vec::len);
                    let j = self.values(attrs["JOINTS_0"].as_u64().expect("JOINTS_0") as usize);
                    if j.iter().any(|&x| x as usize >= joints) {
                        out.push(format!("mesh {mi}: a joint index past the skin's {joints}"));
                    }
                }
                let indices = self.values(p["indices"].as_u64().expect("indices") as usize);
                if indices.iter().any(|&i| i as usize >= n) || !indices.len().is_multiple_of(3) {
                    out.push(format!("mesh {mi}: indices outside {n} vertices"));
                }
                let targets = p["targets"].as_array().cloned().unwrap_or_default();
                if targets.len() != names {
                    out.push(format!(
                        "mesh {mi}: {} targets, {names} names",
                        targets.len()
                    ));
                }
                for t in targets {
                    bounds_ok(
                        t["POSITION"].as_u64().expect("target POSITION") as usize,
                        &mut out,
                    );
                }
            }
        }
        for anim in self.list("animations") {
            for s in anim["samplers"].as_array().cloned().unwrap_or_default() {
                bounds_ok(s["input"].as_u64().expect("input") as usize, &mut out);
            }
        }
        out
    }
}
