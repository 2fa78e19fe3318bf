//! The model's images: where each one's bytes are (a file next to the model, a `data:`
//! URI, a buffer view of a GLB), what they are by their magic bytes (whatever their
//! name or MIME type claims), their size from their own header (PNG `IHDR`, JPEG
//! `SOFn`, KTX2 header and level index), and what they will cost on the GPU.
//!
//! What this build of reunion can decode is [`DECODED`]: Bevy 0.19's image loader
//! decodes a format only with its cargo feature, and the workspace's `bevy` features
//! (`/Cargo.toml`) enable `png` and `ktx2` (with `zstd_rust` for Zstandard
//! supercompression), not `jpeg` or `webp`. In `bevy_gltf-0.19.1/src/loader/mod.rs`
//! (`load_image`), an image embedded in the file (buffer view or `data:` URI) is decoded
//! by its MIME type while the file loads, so one undecodable embedded image fails the
//! whole model; an image in its own file is loaded by its extension afterwards, so the
//! model loads without it. Either way it is an error here.

use std::borrow::Cow;

use super::buffers::{BinaryData, ReadFile};
use super::document::Root;
use super::problem::{Problem, ProblemKind};
use super::uri::Uri;

/// An image format, told by the file's first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Ktx2,
    Webp,
    Gif,
    Bmp,
    Dds,
    Basis,
}

/// The formats Bevy decodes with the features this workspace enables (see the module
/// documentation). Add `Jpeg` here when the `bevy` dependency gains the `jpeg` feature.
pub const DECODED: &[ImageFormat] = &[ImageFormat::Png, ImageFormat::Ktx2];

impl ImageFormat {
    /// The format of `bytes` by their magic number.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        Some(if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            ImageFormat::Png
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            ImageFormat::Jpeg
        } else if bytes.starts_with(b"\xABKTX 20\xBB\r\n\x1a\n") {
            ImageFormat::Ktx2
        } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
            ImageFormat::Webp
        } else if bytes.starts_with(b"GIF8") {
            ImageFormat::Gif
        } else if bytes.starts_with(b"BM") {
            ImageFormat::Bmp
        } else if bytes.starts_with(b"DDS ") {
            ImageFormat::Dds
        } else if bytes.starts_with(b"sB") {
            ImageFormat::Basis
        } else {
            return None;
        })
    }

    /// The format a MIME type names (`image/png`), if reunion knows it.
    pub fn from_mime_type(mime: &str) -> Option<ImageFormat> {
        Some(match mime.to_ascii_lowercase().as_str() {
            "image/png" => ImageFormat::Png,
            "image/jpeg" | "image/jpg" => ImageFormat::Jpeg,
            "image/ktx2" => ImageFormat::Ktx2,
            "image/webp" => ImageFormat::Webp,
            "image/gif" => ImageFormat::Gif,
            "image/bmp" => ImageFormat::Bmp,
            "image/vnd-ms.dds" => ImageFormat::Dds,
            "image/basis" | "image/x-basis" => ImageFormat::Basis,
            _ => return None,
        })
    }

    /// The format a file name's extension names.
    pub fn from_file_name(name: &str) -> Option<ImageFormat> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "png" => ImageFormat::Png,
            "jpg" | "jpeg" => ImageFormat::Jpeg,
            "ktx2" => ImageFormat::Ktx2,
            "webp" => ImageFormat::Webp,
            "gif" => ImageFormat::Gif,
            "bmp" => ImageFormat::Bmp,
            "dds" => ImageFormat::Dds,
            "basis" => ImageFormat::Basis,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Ktx2 => "KTX2",
            ImageFormat::Webp => "WebP",
            ImageFormat::Gif => "GIF",
            ImageFormat::Bmp => "BMP",
            ImageFormat::Dds => "DDS",
            ImageFormat::Basis => "Basis",
        }
    }
}

/// Where an image's bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource {
    /// A file next to the model: the URI as written.
    File(String),
    /// A `data:` URI, with its MIME type.
    DataUri(String),
    /// A buffer view (in a GLB, the binary chunk).
    BufferView(usize),
    /// Neither a `uri` nor a `bufferView`.
    Nowhere,
}

/// An image's size, read from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
    /// Mip levels stored in the file (1 for PNG and JPEG).
    pub levels: u32,
    /// An estimate of the GPU memory it takes: for PNG and JPEG, width × height × 4
    /// bytes (RGBA8) × 4/3 for a mip chain (the budget counts it as a headset build
    /// would have it; Bevy 0.19 itself uploads PNG and JPEG without mips); for KTX2,
    /// the sum of its levels' uncompressed sizes as its level index gives them (or,
    /// for Basis data that is transcoded at load, one byte a texel per level).
    pub gpu_bytes: u64,
}

/// One image of the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub name: Option<String>,
    pub source: ImageSource,
    pub mime_type: Option<String>,
    /// What the bytes are; `None` when they could not be had or are not an image
    /// format reunion knows.
    pub format: Option<ImageFormat>,
    pub size: Option<ImageSize>,
    /// Whether a texture uses it as its (core) source, so Bevy loads it.
    pub used: bool,
}

impl Image {
    /// How messages name the image: its file as written, or its index and name.
    pub fn label(&self, index: usize) -> String {
        match (&self.source, &self.name) {
            (ImageSource::File(uri), _) => format!("`{uri}`"),
            (_, Some(name)) => format!("image {index} (`{name}`)"),
            (_, None) => format!("image {index}"),
        }
    }
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn rgba_with_mips(width: u32, height: u32) -> u64 {
    (width as u64 * height as u64).saturating_mul(16) / 3
}

/// A PNG's size from its `IHDR`, the first chunk.
fn png_size(b: &[u8]) -> Option<ImageSize> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let (width, height) = (be_u32(b, 16)?, be_u32(b, 20)?);
    Some(ImageSize {
        width,
        height,
        levels: 1,
        gpu_bytes: rgba_with_mips(width, height),
    })
}

/// A JPEG's size from its first start-of-frame segment (`SOF0`..`SOF15`, which are
/// markers C0..CF but for DHT C4, JPG C8 and DAC CC).
fn jpeg_size(b: &[u8]) -> Option<ImageSize> {
    let mut at = 2;
    loop {
        // Markers are 0xFF then a code; any number of 0xFF may pad before the code.
        if *b.get(at)? != 0xFF {
            return None;
        }
        while *b.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *b.get(at)?;
        at += 1;
        match marker {
            // Standalone markers: no length.
            0x01 | 0xD0..=0xD7 => continue,
            // End of image, or start of scan before any frame: no size to be had.
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let length = be_u16(b, at)? as usize;
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let (height, width) = (be_u16(b, at + 3)? as u32, be_u16(b, at + 5)? as u32);
            return Some(ImageSize {
                width,
                height,
                levels: 1,
                gpu_bytes: rgba_with_mips(width, height),
            });
        }
        at = at.checked_add(length)?;
    }
}

/// What a KTX2 file holds, from its header.
struct Ktx2 {
    size: ImageSize,
    vk_format: u32,
    supercompression: u32,
}

/// A KTX2's size and levels from its header and level index.
fn ktx2_header(b: &[u8]) -> Option<Ktx2> {
    let vk_format = le_u32(b, 12)?;
    let (width, height) = (le_u32(b, 20)?, le_u32(b, 24)?);
    let levels = le_u32(b, 40)?.max(1);
    let supercompression = le_u32(b, 44)?;
    let mut gpu_bytes = 0u64;
    for level in 0..levels.min(32) as usize {
        let entry = 80 + level * 24;
        let uncompressed = le_u64(b, entry + 16)?;
        gpu_bytes = gpu_bytes.saturating_add(if uncompressed > 0 {
            uncompressed
        } else {
            // BasisLZ writes 0: transcoded at load to a block format of ~1 byte a texel.
            ((width >> level).max(1) as u64) * ((height >> level).max(1) as u64)
        });
    }
    Some(Ktx2 {
        size: ImageSize {
            width,
            height,
            levels,
            gpu_bytes,
        },
        vk_format,
        supercompression,
    })
}

/// Reads every image of the model; `used[i]` says whether a texture uses image `i`.
/// Problems with an image no texture uses are warnings: Bevy never loads it.
pub(crate) fn read_images(
    doc: &Root,
    data: &BinaryData<'_>,
    files: ReadFile<'_>,
    used: &[bool],
    problems: &mut Vec<Problem>,
) -> Vec<Image> {
    doc.images
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let used = used.get(i).copied().unwrap_or(false);
            let mut image = Image {
                name: raw.name.clone(),
                source: ImageSource::Nowhere,
                mime_type: raw.mime_type.clone(),
                format: None,
                size: None,
                used,
            };
            let mut found = Vec::new();
            let bytes = image_bytes(doc, data, files, i, raw, &mut image, &mut found);
            if let Some(bytes) = bytes {
                check_image(i, &bytes, &mut image, &mut found);
            }
            if !used {
                for p in &mut found {
                    p.severity = crate::diagnostic::Severity::Warning;
                    p.message
                        .push_str(" (no texture uses it, so it does no harm)");
                }
            }
            problems.extend(found);
            image
        })
        .collect()
}

fn image_bytes<'a>(
    doc: &Root,
    data: &'a BinaryData<'_>,
    files: ReadFile<'_>,
    i: usize,
    raw: &super::document::Image,
    image: &mut Image,
    problems: &mut Vec<Problem>,
) -> Option<Cow<'a, [u8]>> {
    let at = format!("images[{i}]");
    match (&raw.uri, raw.buffer_view) {
        (Some(uri), _) => match Uri::parse(uri) {
            Uri::File(path) => {
                image.source = ImageSource::File(uri.clone());
                let bytes = files(&path);
                if bytes.is_none() {
                    problems.push(
                        Problem::error(
                            ProblemKind::MissingFile(uri.clone()),
                            at,
                            format!("the model's image `{uri}` is missing"),
                        )
                        .with_hint(format!(
                            "copy `{uri}` next to the model, where the exporter wrote it, or export a single .glb with the textures inside"
                        )),
                    );
                }
                bytes.map(Cow::Owned)
            }
            Uri::Data { mime_type, bytes } => {
                image.source = ImageSource::DataUri(mime_type.to_owned());
                if image.mime_type.is_none() && !mime_type.is_empty() {
                    image.mime_type = Some(mime_type.to_owned());
                }
                bytes
                    .map_err(|e| {
                        problems.push(Problem::error(
                            ProblemKind::BadImage,
                            at,
                            format!("image {i}'s data: URI cannot be decoded: {e}"),
                        ));
                    })
                    .ok()
                    .map(Cow::Owned)
            }
            Uri::Other => {
                image.source = ImageSource::File(uri.clone());
                problems.push(
                    Problem::error(
                        ProblemKind::MissingFile(uri.clone()),
                        at,
                        format!("the model's image `{uri}` is not a file next to the model"),
                    )
                    .with_hint("download it next to the model and refer to it by a relative path"),
                );
                None
            }
        },
        (None, Some(view)) => {
            image.source = ImageSource::BufferView(view);
            if view >= doc.buffer_views.len() {
                problems.push(Problem::error(
                    ProblemKind::Damaged,
                    at,
                    format!(
                        "image {i} refers to `bufferViews[{view}]`, but the model has {} bufferViews",
                        doc.buffer_views.len()
                    ),
                ));
            }
            // A view with no data was reported where the buffer was.
            data.view_bytes(doc, view).map(Cow::Borrowed)
        }
        (None, None) => {
            problems.push(Problem::error(
                ProblemKind::Damaged,
                at,
                format!("image {i} has neither a `uri` nor a `bufferView`"),
            ));
            None
        }
    }
}

fn check_image(i: usize, bytes: &[u8], image: &mut Image, problems: &mut Vec<Problem>) {
    let at = format!("images[{i}]");
    let label = image.label(i);
    let Some(format) = ImageFormat::sniff(bytes) else {
        let start: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02X}")).collect();
        problems.push(
            Problem::error(
                ProblemKind::BadImage,
                at,
                format!(
                    "{label} is not a PNG, JPEG or KTX2 image: its bytes begin {}",
                    if start.is_empty() {
                        "with nothing".to_owned()
                    } else {
                        start.join(" ")
                    }
                ),
            )
            .with_hint("save the texture again as PNG and export the model again"),
        );
        return;
    };
    image.format = Some(format);
    // What the model says it is: its MIME type, else its file name.
    let claimed = match &image.source {
        ImageSource::File(uri) => image
            .mime_type
            .as_deref()
            .and_then(ImageFormat::from_mime_type)
            .or_else(|| ImageFormat::from_file_name(uri)),
        _ => image
            .mime_type
            .as_deref()
            .and_then(ImageFormat::from_mime_type),
    };
    if let Some(claimed) = claimed
        && claimed != format
    {
        problems.push(
            Problem::error(
                ProblemKind::BadImage,
                at.clone(),
                format!(
                    "{label} holds {} data but the model calls it {}; Bevy picks the decoder by that name and fails",
                    format.name(),
                    claimed.name()
                ),
            )
            .with_hint("save the texture again in the format its name says, and export the model again"),
        );
    }
    if !DECODED.contains(&format) {
        problems.push(
            Problem::error(
                ProblemKind::BadImage,
                at.clone(),
                format!(
                    "{label} is a {} image; this build of reunion decodes {} only",
                    format.name(),
                    DECODED.iter().map(|f| f.name()).collect::<Vec<_>>().join(" and ")
                ),
            )
            .with_hint("convert the texture to PNG (Blender's glTF exporter: Data → Material → Images: Automatic, with the image saved as PNG)"),
        );
    }
    let size = match format {
        ImageFormat::Png => png_size(bytes),
        ImageFormat::Jpeg => jpeg_size(bytes),
        ImageFormat::Ktx2 => ktx2_header(bytes).map(|k| {
            check_ktx2(&at, &label, &k, problems);
            k.size
        }),
        _ => None,
    };
    if size.is_none()
        && matches!(
            format,
            ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Ktx2
        )
    {
        problems.push(
            Problem::error(
                ProblemKind::CutShort,
                at,
                format!(
                    "{label} is cut short: its {} header is incomplete",
                    format.name()
                ),
            )
            .with_hint("save the texture again and export the model again"),
        );
    }
    image.size = size;
}

/// What Bevy 0.19's KTX2 reader (`bevy_image-0.19.1/src/ktx2.rs`) cannot do with this
/// build's features: BasisLZ and zlib supercompression, and Basis (UASTC/ETC1S) data,
/// which needs the `basis-universal` feature to transcode.
fn check_ktx2(at: &str, label: &str, k: &Ktx2, problems: &mut Vec<Problem>) {
    let scheme = match k.supercompression {
        0 | 2 => None,
        1 => Some("BasisLZ"),
        3 => Some("zlib"),
        _ => Some("an unknown"),
    };
    if let Some(scheme) = scheme {
        problems.push(
            Problem::error(
                ProblemKind::BadImage,
                at,
                format!("{label} is a KTX2 image with {scheme} supercompression, which this build of reunion cannot read (it reads none or Zstandard)"),
            )
            .with_hint("write the KTX2 again with `toktx --zcmp` (Zstandard) and a GPU block format such as BC7 or ASTC, or use PNG"),
        );
    } else if k.vk_format == 0 {
        problems.push(
            Problem::error(
                ProblemKind::BadImage,
                at,
                format!("{label} is a Basis Universal KTX2 image, which this build of reunion cannot transcode"),
            )
            .with_hint("use PNG textures, or KTX2 in a GPU block format such as BC7 or ASTC"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&width.to_be_bytes());
        b.extend_from_slice(&height.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0]);
        b
    }

    #[test]
    fn png_size_comes_from_ihdr() {
        let size = png_size(&png(512, 256)).expect("size");
        assert_eq!((size.width, size.height, size.levels), (512, 256, 1));
        assert_eq!(size.gpu_bytes, 512 * 256 * 4 * 4 / 3);
        assert!(png_size(&png(512, 256)[..20]).is_none());
    }

    #[test]
    fn jpeg_size_comes_from_the_first_frame() {
        // SOI, an APP0 segment of 16 bytes, a DHT (C4, not a frame), then SOF0.
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        b.extend_from_slice(&[0; 14]);
        b.extend_from_slice(&[0xFF, 0xC4, 0, 4, 0, 0]);
        b.extend_from_slice(&[0xFF, 0xFF, 0xC0, 0, 17, 8, 0x01, 0xE0, 0x02, 0x80, 3]);
        let size = jpeg_size(&b).expect("size");
        assert_eq!((size.width, size.height), (640, 480));
        assert!(jpeg_size(&b[..b.len() - 6]).is_none());
    }

    #[test]
    fn ktx2_levels_sum() {
        let mut b = b"\xABKTX 20\xBB\r\n\x1a\n".to_vec();
        let header = [98u32, 1, 64, 32, 0, 0, 1, 2, 2];
        for v in header {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.resize(80, 0);
        for (offset, len) in [(200u64, 100u64), (300, 30)] {
            for v in [offset, len, len * 4] {
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
        let k = ktx2_header(&b).expect("header");
        assert_eq!((k.size.width, k.size.height, k.size.levels), (64, 32, 2));
        assert_eq!(k.size.gpu_bytes, 400 + 120);
        assert_eq!((k.vk_format, k.supercompression), (98, 2));
    }

    #[test]
    fn formats_are_told_by_their_bytes() {
        assert_eq!(ImageFormat::sniff(&png(1, 1)), Some(ImageFormat::Png));
        assert_eq!(
            ImageFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageFormat::Webp)
        );
        assert_eq!(ImageFormat::sniff(b"hello, world"), None);
        assert_eq!(
            ImageFormat::from_file_name("a/B.JPG"),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(
            ImageFormat::from_mime_type("image/ktx2"),
            Some(ImageFormat::Ktx2)
        );
    }
}
