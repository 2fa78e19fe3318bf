//! The model's binary data: buffers (the GLB's `BIN` chunk, `data:` URIs, files next to
//! the model), buffer views into them and accessors over those, each checked to hold
//! what it says it holds; and the reading of accessors as numbers.
//!
//! A buffer that cannot be had (a missing file) is reported once, where it is named;
//! reads from it then quietly give nothing, so one missing `.bin` is one problem.

use std::borrow::Cow;

use super::document::{Accessor, Root};
use super::problem::{Problem, ProblemKind, check_index};
use super::uri::Uri;

/// Reads a file the model names, by its path relative to the model (percent-decoded);
/// `None` when there is no such file.
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

/// The bytes of each buffer, `None` where they could not be had (already reported).
/// The GLB's binary chunk is borrowed, not copied: an environment can be large.
pub(crate) struct BinaryData<'a> {
    pub buffers: Vec<Option<Cow<'a, [u8]>>>,
    /// Per accessor, whether its data is all there (false: reported, or unreadable).
    pub accessor_ok: Vec<bool>,
    /// Per buffer view, whether it lies inside data that is there.
    pub view_ok: Vec<bool>,
}

/// Component types and their sizes in bytes.
pub(crate) const BYTE: u32 = 5120;
pub(crate) const UNSIGNED_BYTE: u32 = 5121;
pub(crate) const SHORT: u32 = 5122;
pub(crate) const UNSIGNED_SHORT: u32 = 5123;
pub(crate) const UNSIGNED_INT: u32 = 5125;
pub(crate) const FLOAT: u32 = 5126;

fn component_size(component_type: u32) -> Option<u64> {
    Some(match component_type {
        BYTE | UNSIGNED_BYTE => 1,
        SHORT | UNSIGNED_SHORT => 2,
        UNSIGNED_INT | FLOAT => 4,
        _ => return None,
    })
}

/// Rows and columns of an accessor type (`VEC3` is 3 × 1, `MAT4` 4 × 4).
fn shape(kind: &str) -> Option<(u64, u64)> {
    Some(match kind {
        "SCALAR" => (1, 1),
        "VEC2" => (2, 1),
        "VEC3" => (3, 1),
        "VEC4" => (4, 1),
        "MAT2" => (2, 2),
        "MAT3" => (3, 3),
        "MAT4" => (4, 4),
        _ => return None,
    })
}

/// The layout of one element: bytes per column (padded to 4 for matrices, as the
/// specification asks), columns, and components per column.
#[derive(Clone, Copy)]
struct Layout {
    component_type: u32,
    component: u64,
    rows: u64,
    columns: u64,
    column_stride: u64,
}

impl Layout {
    fn of(accessor: &Accessor) -> Option<Layout> {
        let component = component_size(accessor.component_type)?;
        let (rows, columns) = shape(&accessor.kind)?;
        let column_stride = if columns > 1 {
            (rows * component).next_multiple_of(4)
        } else {
            rows * component
        };
        Some(Layout {
            component_type: accessor.component_type,
            component,
            rows,
            columns,
            column_stride,
        })
    }

    fn element_size(&self) -> u64 {
        self.column_stride * self.columns
    }

    fn components(&self) -> usize {
        (self.rows * self.columns) as usize
    }
}

/// Loads every buffer and checks every buffer view and accessor against them.
pub(crate) fn load<'a>(
    doc: &Root,
    bin: Option<&'a [u8]>,
    files: ReadFile<'_>,
    problems: &mut Vec<Problem>,
) -> BinaryData<'a> {
    let buffers: Vec<Option<Cow<'a, [u8]>>> = doc
        .buffers
        .iter()
        .enumerate()
        .map(|(i, buffer)| load_buffer(i, buffer, bin, files, problems))
        .collect();
    let view_ok = check_views(doc, &buffers, problems);
    let accessor_ok = doc
        .accessors
        .iter()
        .enumerate()
        .map(|(i, accessor)| check_accessor(doc, i, accessor, &view_ok, problems))
        .collect();
    BinaryData {
        buffers,
        accessor_ok,
        view_ok,
    }
}

fn load_buffer<'a>(
    i: usize,
    buffer: &super::document::Buffer,
    bin: Option<&'a [u8]>,
    files: ReadFile<'_>,
    problems: &mut Vec<Problem>,
) -> Option<Cow<'a, [u8]>> {
    let at = format!("buffers[{i}]");
    let declared = buffer.byte_length;
    let (bytes, from) = match buffer.uri.as_deref() {
        None => {
            // A buffer EXT_meshopt_compression marks as a fallback has no data by design;
            // that extension is reported on its own.
            let fallback = buffer
                .extensions
                .get("EXT_meshopt_compression")
                .and_then(|e| e.get("fallback"))
                .and_then(serde_json::Value::as_bool)
                == Some(true);
            if fallback {
                return None;
            }
            match (i, bin) {
                (0, Some(bin)) => (Cow::Borrowed(bin), "the GLB's binary chunk".to_owned()),
                _ => {
                    problems.push(Problem::error(
                        ProblemKind::CutShort,
                        at,
                        if i == 0 {
                            "buffer 0 has no `uri` and the file has no binary chunk: its data is missing".to_owned()
                        } else {
                            format!("buffer {i} has no `uri`; only buffer 0 of a .glb may use the binary chunk")
                        },
                    ).with_hint("export the model again"));
                    return None;
                }
            }
        }
        Some(uri) => match Uri::parse(uri) {
            Uri::Data { bytes: Ok(b), .. } => (Cow::Owned(b), "its data: URI".to_owned()),
            Uri::Data { bytes: Err(e), .. } => {
                problems.push(Problem::error(
                    ProblemKind::CutShort,
                    at,
                    format!("buffer {i}'s data: URI cannot be decoded: {e}"),
                ));
                return None;
            }
            Uri::File(path) => match files(&path) {
                Some(b) => (Cow::Owned(b), format!("`{uri}`")),
                None => {
                    problems.push(
                        Problem::error(
                            ProblemKind::MissingFile(uri.to_owned()),
                            at,
                            format!("the model's buffer `{uri}` is missing"),
                        )
                        .with_hint(format!(
                            "copy `{uri}` next to the model, as the exporter wrote it, or export a single .glb instead"
                        )),
                    );
                    return None;
                }
            },
            Uri::Other => {
                problems.push(
                    Problem::error(
                        ProblemKind::MissingFile(uri.to_owned()),
                        at,
                        format!("the model's buffer `{uri}` is not a file next to the model"),
                    )
                    .with_hint("download it next to the model and refer to it by a relative path"),
                );
                return None;
            }
        },
    };
    if (bytes.len() as u64) < declared {
        problems.push(
            Problem::error(
                ProblemKind::CutShort,
                at,
                format!(
                    "buffer {i} is cut short: the model says {declared} bytes, {from} has {}",
                    bytes.len()
                ),
            )
            .with_hint(
                "the data is cut short or belongs to another export: export the model again",
            ),
        );
        return None;
    }
    Some(bytes)
}

fn check_views(
    doc: &Root,
    buffers: &[Option<Cow<'_, [u8]>>],
    problems: &mut Vec<Problem>,
) -> Vec<bool> {
    doc.buffer_views
        .iter()
        .enumerate()
        .map(|(i, view)| {
            let at = || format!("bufferViews[{i}]");
            if !check_index(problems, at, view.buffer, doc.buffers.len(), "buffers") {
                return false;
            }
            let declared = doc.buffers[view.buffer].byte_length;
            let end = view.byte_offset.checked_add(view.byte_length);
            if end.is_none_or(|end| end > declared) {
                problems.push(
                    Problem::error(
                        ProblemKind::CutShort,
                        at(),
                        format!(
                            "buffer view {i} reaches past the end of buffer {}: bytes {}..{} of {declared}",
                            view.buffer,
                            view.byte_offset,
                            end.map_or("∞".to_owned(), |e| e.to_string())
                        ),
                    )
                    .with_hint("the file is damaged: export it again"),
                );
                return false;
            }
            if let Some(stride) = view.byte_stride
                && !(4..=252).contains(&stride)
            {
                problems.push(Problem::error(
                    ProblemKind::Damaged,
                    at(),
                    format!("buffer view {i} has a byteStride of {stride}; glTF allows 4 to 252"),
                ));
                return false;
            }
            buffers[view.buffer].is_some()
        })
        .collect()
}

fn check_accessor(
    doc: &Root,
    i: usize,
    accessor: &Accessor,
    view_ok: &[bool],
    problems: &mut Vec<Problem>,
) -> bool {
    let at = || format!("accessors[{i}]");
    let Some(layout) = Layout::of(accessor) else {
        problems.push(Problem::error(
            ProblemKind::Damaged,
            at(),
            format!(
                "accessor {i} has componentType {} and type `{}`, which glTF does not define",
                accessor.component_type, accessor.kind
            ),
        ));
        return false;
    };
    let mut ok = true;
    if let Some(view) = accessor.buffer_view {
        if !check_index(problems, at, view, doc.buffer_views.len(), "bufferViews") {
            return false;
        }
        let v = &doc.buffer_views[view];
        let stride = v.byte_stride.unwrap_or(layout.element_size());
        let needed = match accessor.count {
            0 => Some(0),
            n => stride
                .checked_mul(n - 1)
                .and_then(|b| b.checked_add(layout.element_size()))
                .and_then(|b| b.checked_add(accessor.byte_offset)),
        };
        if needed.is_none_or(|needed| needed > v.byte_length) {
            problems.push(
                Problem::error(
                    ProblemKind::CutShort,
                    at(),
                    format!(
                        "accessor {i} reaches past its buffer view {view}: {} items of {} bytes from byte {} need more than the view's {} bytes",
                        accessor.count,
                        layout.element_size(),
                        accessor.byte_offset,
                        v.byte_length
                    ),
                )
                .with_hint("the file is damaged: export it again"),
            );
            return false;
        }
        ok &= view_ok[view];
    }
    if let Some(sparse) = &accessor.sparse {
        let index_size = component_size(sparse.indices.component_type).unwrap_or(4);
        let parts = [
            (
                sparse.indices.buffer_view,
                sparse.indices.byte_offset,
                index_size,
                "indices",
            ),
            (
                sparse.values.buffer_view,
                sparse.values.byte_offset,
                layout.element_size(),
                "values",
            ),
        ];
        for (view, offset, size, what) in parts {
            if !check_index(problems, at, view, doc.buffer_views.len(), "bufferViews") {
                return false;
            }
            let needed = sparse
                .count
                .checked_mul(size)
                .and_then(|b| b.checked_add(offset));
            if needed.is_none_or(|n| n > doc.buffer_views[view].byte_length) {
                problems.push(Problem::error(
                    ProblemKind::CutShort,
                    at(),
                    format!("accessor {i}'s sparse {what} reach past their buffer view {view}"),
                ));
                return false;
            }
            ok &= view_ok[view];
        }
        if sparse.count > accessor.count {
            problems.push(Problem::error(
                ProblemKind::Damaged,
                at(),
                format!(
                    "accessor {i} replaces {} of its {} items",
                    sparse.count, accessor.count
                ),
            ));
            return false;
        }
    }
    ok
}

impl BinaryData<'_> {
    /// The bytes of a buffer view, when it and its buffer are there.
    pub fn view_bytes(&self, doc: &Root, view: usize) -> Option<&[u8]> {
        if !self.view_ok.get(view).copied()? {
            return None;
        }
        let v = doc.buffer_views.get(view)?;
        let buffer = self.buffers.get(v.buffer)?.as_deref()?;
        let start = usize::try_from(v.byte_offset).ok()?;
        let end = start.checked_add(usize::try_from(v.byte_length).ok()?)?;
        buffer.get(start..end)
    }

    /// An accessor's items as floats, flattened (a `VEC3` accessor of `n` items gives
    /// `3n` numbers; matrices column by column). Normalized integers are mapped to
    /// 0..1 or -1..1 as the specification says; others are converted as they are.
    /// Sparse substitutions are applied. `None` when the data is not all there.
    pub fn read_floats(&self, doc: &Root, accessor: usize) -> Option<Vec<f32>> {
        if !self.accessor_ok.get(accessor).copied()? {
            return None;
        }
        let a = doc.accessors.get(accessor)?;
        let layout = Layout::of(a)?;
        let count = usize::try_from(a.count).ok()?;
        let per_item = layout.components();
        let mut out = match a.buffer_view {
            Some(view) => {
                let bytes = self.view_bytes(doc, view)?;
                let stride = doc.buffer_views[view]
                    .byte_stride
                    .unwrap_or(layout.element_size());
                let mut out = Vec::with_capacity(count * per_item);
                for item in 0..count as u64 {
                    let start = a.byte_offset + item * stride;
                    read_element(bytes, start, &layout, a.normalized, &mut out)?;
                }
                out
            }
            // All zeros but for the sparse items; a count no data backs is capped, so a
            // damaged file cannot ask for gigabytes.
            None => vec![0.0; count.checked_mul(per_item).filter(|&n| n <= 1 << 26)?],
        };
        if let Some(sparse) = &a.sparse {
            let indices = read_unsigned(
                self.view_bytes(doc, sparse.indices.buffer_view)?,
                sparse.indices.byte_offset,
                sparse.indices.component_type,
                sparse.count,
            )?;
            let values = self.view_bytes(doc, sparse.values.buffer_view)?;
            let mut value = Vec::with_capacity(per_item);
            for (k, index) in indices.into_iter().enumerate() {
                value.clear();
                let start = sparse.values.byte_offset + k as u64 * layout.element_size();
                read_element(values, start, &layout, a.normalized, &mut value)?;
                let at = (index as usize).checked_mul(per_item)?;
                out.get_mut(at..at.checked_add(per_item)?)?
                    .copy_from_slice(&value);
            }
        }
        Some(out)
    }
}

fn read_unsigned(bytes: &[u8], offset: u64, component_type: u32, count: u64) -> Option<Vec<u32>> {
    let size = component_size(component_type)? as usize;
    let start = usize::try_from(offset).ok()?;
    let len = usize::try_from(count).ok()?.checked_mul(size)?;
    let data = bytes.get(start..start.checked_add(len)?)?;
    Some(
        data.chunks_exact(size)
            .map(|c| match component_type {
                UNSIGNED_BYTE => c[0] as u32,
                UNSIGNED_SHORT => u16::from_le_bytes([c[0], c[1]]) as u32,
                _ => u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
            })
            .collect(),
    )
}

/// Appends the components of the element at byte `start`.
fn read_element(
    bytes: &[u8],
    start: u64,
    layout: &Layout,
    normalized: bool,
    out: &mut Vec<f32>,
) -> Option<()> {
    let start = usize::try_from(start).ok()?;
    let element = bytes.get(start..start.checked_add(layout.element_size() as usize)?)?;
    for column in 0..layout.columns as usize {
        let column_start = column * layout.column_stride as usize;
        for row in 0..layout.rows as usize {
            let at = column_start + row * layout.component as usize;
            let c = &element[at..at + layout.component as usize];
            out.push(component(c, layout.component_type, normalized));
        }
    }
    Some(())
}

fn component(c: &[u8], component_type: u32, normalized: bool) -> f32 {
    let (value, scale) = match component_type {
        BYTE => (c[0] as i8 as f32, 127.0),
        UNSIGNED_BYTE => (c[0] as f32, 255.0),
        SHORT => (i16::from_le_bytes([c[0], c[1]]) as f32, 32767.0),
        UNSIGNED_SHORT => (u16::from_le_bytes([c[0], c[1]]) as f32, 65535.0),
        UNSIGNED_INT => (u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f32, 1.0),
        _ => (f32::from_le_bytes([c[0], c[1], c[2], c[3]]), 1.0),
    };
    if normalized && component_type != FLOAT {
        (value / scale).max(-1.0)
    } else {
        value
    }
}

/// An accessor's `min`/`max` as they will be read: normalized integers mapped as
/// [`BinaryData::read_floats`] maps them.
pub(crate) fn declared_bounds(a: &Accessor) -> Option<(Vec<f32>, Vec<f32>)> {
    let (min, max) = (a.min.as_ref()?, a.max.as_ref()?);
    let scale = match (a.normalized, a.component_type) {
        (true, BYTE) => 127.0,
        (true, UNSIGNED_BYTE) => 255.0,
        (true, SHORT) => 32767.0,
        (true, UNSIGNED_SHORT) => 65535.0,
        _ => 1.0,
    };
    let map = |v: &Vec<f64>| v.iter().map(|x| (*x / scale) as f32).collect();
    Some((map(min), map(max)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gltf::document::parse;

    fn no_files(_: &str) -> Option<Vec<u8>> {
        None
    }

    #[test]
    fn reads_floats_with_stride_normalization_and_sparse() {
        // Two VEC2 of unsigned bytes, normalized, 4 bytes apart; one sparse substitution.
        let doc = parse(
            br#"{
            "asset": { "version": "2.0" },
            "buffers": [ { "byteLength": 12 } ],
            "bufferViews": [
                { "buffer": 0, "byteOffset": 0, "byteLength": 8, "byteStride": 4 },
                { "buffer": 0, "byteOffset": 8, "byteLength": 1 },
                { "buffer": 0, "byteOffset": 10, "byteLength": 2 }
            ],
            "accessors": [
                { "bufferView": 0, "componentType": 5121, "normalized": true, "count": 2, "type": "VEC2",
                  "sparse": { "count": 1,
                      "indices": { "bufferView": 1, "componentType": 5121 },
                      "values": { "bufferView": 2 } } }
            ]
        }"#,
        )
        .expect("doc");
        let bin = [255, 0, 9, 9, 0, 51, 9, 9, 1, 0, 0, 255];
        let mut problems = Vec::new();
        let data = load(&doc, Some(&bin), &no_files, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            data.read_floats(&doc, 0).expect("floats"),
            [1.0, 0.0, 0.0, 1.0]
        );
    }

    #[test]
    fn out_of_range_views_and_accessors_are_cut_short() {
        let doc = parse(
            br#"{
            "asset": { "version": "2.0" },
            "buffers": [ { "byteLength": 8 } ],
            "bufferViews": [
                { "buffer": 0, "byteOffset": 4, "byteLength": 8 },
                { "buffer": 0, "byteOffset": 0, "byteLength": 8 }
            ],
            "accessors": [
                { "bufferView": 1, "componentType": 5126, "count": 3, "type": "SCALAR" }
            ]
        }"#,
        )
        .expect("doc");
        let mut problems = Vec::new();
        let data = load(&doc, Some(&[0; 8]), &no_files, &mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().all(|p| p.kind == ProblemKind::CutShort));
        assert_eq!(problems[0].at, "bufferViews[0]");
        assert_eq!(problems[1].at, "accessors[0]");
        assert!(data.read_floats(&doc, 0).is_none());
    }

    #[test]
    fn a_buffer_shorter_than_its_byte_length_is_cut_short() {
        let doc =
            parse(br#"{ "asset": { "version": "2.0" }, "buffers": [ { "byteLength": 100 } ] }"#)
                .expect("doc");
        let mut problems = Vec::new();
        load(&doc, Some(&[0; 40]), &no_files, &mut problems);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::CutShort);
        assert!(problems[0].message.contains("100"), "{}", problems[0]);
        assert!(problems[0].message.contains("40"), "{}", problems[0]);
    }
}
