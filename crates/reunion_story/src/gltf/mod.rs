//! Reading glTF 2.0 models (`.glb`, `.gltf`, `.vrm`) without an engine: what the
//! checker needs to say everything wrong with a model before a session, and what the
//! engine needs to know of it (its nodes and empties, skins, clips, lights, VRM
//! humanoid) before Bevy loads it.
//!
//! [`read_model`] takes the bytes of the model file and a way to read the files it
//! names, and gives a [`GltfModel`] with every [`Problem`] found on the way, or one
//! `Problem` when the bytes are not a glTF 2.0 model at all. Nothing here panics, on any
//! bytes. [`read_gltf`] is the short summary the loader checks cast models with today.
//!
//! | module | what it holds |
//! | --- | --- |
//! | `container` | GLB header and chunks, or JSON; the `asset.version` check |
//! | `document` | the glTF JSON as written (serde), unchecked |
//! | `uri` | `data:` URIs (a base64 decoder), percent-decoding of file URIs |
//! | `buffers` | buffers (binary chunk, `data:`, files), buffer views and accessors checked against them; reading accessors |
//! | `images` | image bytes, format by magic bytes, size from PNG/JPEG/KTX2 headers, GPU cost; what this build decodes |
//! | `extensions` | `extensionsUsed`/`Required` judged against Bevy 0.19.1's loader, with re-export hints; what Bevy's source says |
//! | `scene` | nodes, local and world transforms, the default scene's roots, punctual lights |
//! | `mesh` | meshes and primitives, morph target names, skins, materials and their textures, textures |
//! | `animation` | clips: channels and duration |
//! | `measure` | bounds in the scene's space, triangles, draw calls, vertices, texture memory |
//! | `vrm` | VRM 1.0 (`VRMC_vrm`) and 0.x (`VRM`): humanoid bones, expressions, look-at, meta |
//! | `model` | [`read_model`] and [`GltfModel`] |
//! | `problem` | [`Problem`]: what is wrong, where, how bad, how to fix it |
//! | `summary` | [`GltfSummary`] and [`read_gltf`] |

mod animation;
mod buffers;
mod container;
mod document;
mod extensions;
mod images;
mod measure;
mod mesh;
mod model;
mod problem;
mod scene;
mod summary;
mod uri;
mod vrm;

pub use animation::{Animation, Channel, ChannelPath};
pub use buffers::ReadFile;
pub use container::Container;
pub use extensions::{ExtensionUse, Support, support};
pub use images::{DECODED, Image, ImageFormat, ImageSize, ImageSource};
pub use measure::Measurements;
pub use mesh::{Material, Mesh, Primitive, PrimitiveMode, Skin, Texture, TextureRef};
pub use model::{GltfModel, read_model};
pub use problem::{Problem, ProblemKind};
pub use scene::{Light, LightKind, Node};
pub use summary::{GltfSummary, read_gltf};
pub use uri::{decode_base64, percent_decode};
pub use vrm::{
    Expression, LookAt, LookAtKind, MorphTargetBind, Override, RangeMap, Vrm, VrmMeta, VrmVersion,
};
