//! Inspection of uploaded filing materials (licence scans, ID scans, verification photos, app
//! icons, …) from their **bytes**.
//!
//! The declared media type or file extension of a material is never trusted: the format is
//! decided by magic number ([`detect_format`]), and raster images are decoded to measure their
//! pixel dimensions, whether they are greyscale and whether their border is close to white
//! ([`ImageFacts`]).
//!
//! Every input is treated as hostile:
//!
//! * nothing in this module panics on malformed input (decoders are additionally run under
//!   [`std::panic::catch_unwind`] as a second line of defence);
//! * images whose header claims more than [`MAX_PIXELS`] pixels are rejected before any pixel
//!   buffer is allocated, and decoder working memory is bounded by [`MAX_DECODE_BYTES`] per
//!   image and [`DECODE_BUDGET_BYTES`] for all decodes running at once in the process (a
//!   decode waits for its share);
//! * a JPEG whose header claims another size than its scan data holds is a decode error;
//! * files larger than [`MAX_FILE_BYTES`] are refused before they are read.
//!
//! JPEGs are looked at at 1/8 scale (one value per 8×8 block): baseline and extended sequential
//! JPEGs — nearly every scan and photo — through a DC-only decoder of their own (`jpeg_fast`),
//! anything else (progressive, lossless, CMYK, …) through `jpeg-decoder` with DCT scaling. A
//! 1600×1130 colour scan is inspected in about 5 ms. The other raster formats are decoded with
//! the `image` crate and subsampled on a grid of at most [`MAX_SAMPLES`] pixels.

mod analysis;
mod budget;
pub mod confine;
mod jpeg;
mod jpeg_fast;
pub mod preview;
mod raster;

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use analysis::{
    BORDER_FRACTION, BORDER_MIN_WHITE_FRACTION, GREY_MAX_SPREAD, GREY_MIN_FRACTION, MAX_SAMPLES,
    NEAR_WHITE_MAX_SPREAD, NEAR_WHITE_MIN_LUMA,
};

/// Largest material file [`inspect_file`] will read: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest image, in pixels (width × height as declared by its header), that will be decoded:
/// 100 megapixels. Larger images get a [`Inspection::decode_error`] without being decoded.
pub const MAX_PIXELS: u64 = 100_000_000;

/// Upper bound on the memory a decoder may need for one image (decoded pixel buffer, or the
/// coefficient planes of a progressive or lossless JPEG): 128 MiB — a 33-megapixel RGBA
/// PNG, a 44-megapixel RGB one. Larger images get a [`Inspection::decode_error`] before any
/// buffer is allocated. (JPEGs are decoded at 1/8 scale and rarely come near it.)
pub const MAX_DECODE_BYTES: u64 = 128 * 1024 * 1024;

pub use budget::{DECODE_BUDGET_BYTES, in_use as decode_memory_in_use};

/// File format of a material, decided by magic number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JPEG/JFIF/Exif (`FF D8 FF`).
    Jpeg,
    /// PNG (`89 50 4E 47 0D 0A 1A 0A`).
    Png,
    /// PDF (`%PDF-`).
    Pdf,
    /// GIF (`GIF87a` / `GIF89a`).
    Gif,
    /// Windows bitmap (`BM` followed by a known DIB header size).
    Bmp,
    /// WebP (`RIFF` … `WEBP`).
    Webp,
    /// Anything else, including empty input.
    Unknown,
}

impl Format {
    /// Short lower-case name: `"jpeg"`, `"png"`, `"pdf"`, `"gif"`, `"bmp"`, `"webp"` or
    /// `"unknown"` (the same spelling as the serde representation).
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Pdf => "pdf",
            Format::Gif => "gif",
            Format::Bmp => "bmp",
            Format::Webp => "webp",
            Format::Unknown => "unknown",
        }
    }

    /// The IANA media type of the format (`application/octet-stream` for [`Format::Unknown`]),
    /// handy for comparing with the uploader's declared `media_type`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Pdf => "application/pdf",
            Format::Gif => "image/gif",
            Format::Bmp => "image/bmp",
            Format::Webp => "image/webp",
            Format::Unknown => "application/octet-stream",
        }
    }

    /// Whether the format is a raster image this module decodes (everything but PDF and
    /// unknown).
    pub fn is_raster(self) -> bool {
        !matches!(self, Format::Pdf | Format::Unknown)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What was measured on a decoded raster image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageFacts {
    /// Full pixel width, from the header (as stored: an EXIF orientation is not applied).
    pub width: u32,
    /// Full pixel height, from the header (as stored).
    pub height: u32,
    /// True for greyscale images: single-channel (luma) images outright, and colour-encoded
    /// images whose sampled pixels are at least [`GREY_MIN_FRACTION`] grey (largest channel
    /// difference at most [`GREY_MAX_SPREAD`]), which catches a greyscale scan saved as RGB
    /// despite JPEG chroma noise. Transparent pixels are composited over white first.
    pub greyscale: bool,
    /// True when the outer border strip ([`BORDER_FRACTION`] of each side) is close to white:
    /// at least [`BORDER_MIN_WHITE_FRACTION`] of its sampled pixels are bright (luminance at
    /// least [`NEAR_WHITE_MIN_LUMA`]) and unsaturated (channel spread at most
    /// [`NEAR_WHITE_MAX_SPREAD`]), so a subject whose shoulders reach the bottom edge does not
    /// spoil a white backdrop. Used for verification photos.
    pub border_near_white: bool,
}

impl ImageFacts {
    /// The shorter of width and height, in pixels.
    pub fn short_side(&self) -> u32 {
        self.width.min(self.height)
    }

    /// The longer of width and height, in pixels.
    pub fn long_side(&self) -> u32 {
        self.width.max(self.height)
    }
}

/// The result of inspecting a material's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// Length of the material in bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 digest of the bytes.
    pub sha256: String,
    /// Format by magic number.
    pub format: Format,
    /// Facts about the image, for raster formats that decoded successfully; `None` for PDF,
    /// unknown formats and images that failed to decode.
    pub image: Option<ImageFacts>,
    /// Why the bytes could not be decoded although the magic number says raster image
    /// (truncated, corrupt, unsupported, or too large); `None` otherwise.
    pub decode_error: Option<String>,
}

/// Why a material file could not be inspected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaterialError {
    /// The file does not exist.
    #[error("material file not found: {}", .0.display())]
    Missing(PathBuf),
    /// The file exists but could not be read (permissions, a directory, too large, …).
    #[error("material file {} could not be read: {reason}", .path.display())]
    Unreadable {
        /// The path that was asked for.
        path: PathBuf,
        /// Human-readable cause.
        reason: String,
    },
}

/// Decide the format of `bytes` by magic number. Never looks at a file name or declared type.
///
/// BMP needs more than its two-byte `BM` signature: the DIB header size at offset 14 must be one
/// of the sizes in use (12, 16, 40, 52, 56, 64, 108, 124), so text starting with "BM" is not
/// mistaken for a bitmap. PDF needs `%PDF-` at offset 0.
pub fn detect_format(bytes: &[u8]) -> Format {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if bytes.starts_with(PNG) {
        Format::Png
    } else if bytes.starts_with(b"%PDF-") {
        Format::Pdf
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Format::Gif
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        Format::Webp
    } else if is_bmp(bytes) {
        Format::Bmp
    } else {
        Format::Unknown
    }
}

fn is_bmp(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"BM") {
        return false;
    }
    match bytes.get(14..18) {
        Some(&[a, b, c, d]) => matches!(
            u32::from_le_bytes([a, b, c, d]),
            12 | 16 | 40 | 52 | 56 | 64 | 108 | 124
        ),
        _ => false,
    }
}

/// Inspect a material held in memory: size, SHA-256, format and, for raster images, the
/// [`ImageFacts`]. Never panics and never allocates more than [`MAX_DECODE_BYTES`] (plus small
/// overheads) however hostile the bytes are.
pub fn inspect_bytes(bytes: &[u8]) -> Inspection {
    let format = detect_format(bytes);
    let (image, decode_error) = if format.is_raster() {
        match decode_facts(format, bytes) {
            Ok(facts) => (Some(facts), None),
            Err(reason) => (None, Some(reason)),
        }
    } else {
        (None, None)
    };
    Inspection {
        size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        format,
        image,
        decode_error,
    }
}

/// Lower-case hex SHA-256 digest of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Read and inspect a material file.
///
/// Errors: [`MaterialError::Missing`] when the path does not exist (or a component of it is not
/// a directory); [`MaterialError::Unreadable`] for every other I/O failure, for directories and
/// other non-regular files, and for files over [`MAX_FILE_BYTES`] (checked from metadata before
/// reading, and enforced again while reading).
pub fn inspect_file(path: &Path) -> Result<Inspection, MaterialError> {
    let bytes = read_material(path)?;
    Ok(inspect_bytes(&bytes))
}

/// Read a material file's bytes with the same checks as [`inspect_file`].
pub fn read_material(path: &Path) -> Result<Vec<u8>, MaterialError> {
    let unreadable = |reason: String| MaterialError::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        return Err(unreadable("is a directory".to_owned()));
    }
    if !meta.is_file() {
        return Err(unreadable("not a regular file".to_owned()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(unreadable(too_big(meta.len())));
    }
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    // The file may have grown since the metadata call: never read more than the limit + 1.
    let capacity = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(unreadable(too_big(bytes.len() as u64)));
    }
    Ok(bytes)
}

fn too_big(len: u64) -> String {
    format!(
        "file is {len} bytes, over the {} MiB limit",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

fn io_error(path: &Path, e: &io::Error) -> MaterialError {
    match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => {
            MaterialError::Missing(path.to_path_buf())
        }
        io::ErrorKind::IsADirectory => MaterialError::Unreadable {
            path: path.to_path_buf(),
            reason: "is a directory".to_owned(),
        },
        _ => MaterialError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    }
}

/// Decode a raster image and measure it. Decoders are third-party code fed hostile input, so a
/// panic inside one is caught and reported as a decode error rather than taking the caller down.
fn decode_facts(format: Format, bytes: &[u8]) -> Result<ImageFacts, String> {
    let run = AssertUnwindSafe(|| match format {
        Format::Jpeg => jpeg::facts(bytes),
        _ => raster::facts(format, bytes),
    });
    catch_unwind(run).unwrap_or_else(|_| Err(format!("{} decoder panicked", format.name())))
}

/// Entry points for the fuzzing harness (`fuzz/`): not part of the application's API.
#[doc(hidden)]
pub mod fuzzing {
    /// The DC-only JPEG fast path against `jpeg-decoder` on the same bytes: `Ok(true)` when
    /// both decoded the same 1/8-scale samples, `Ok(false)` when there was nothing to
    /// compare, `Err` with the first difference.
    pub fn jpeg_differential(bytes: &[u8]) -> Result<bool, String> {
        super::jpeg_fast::differential(bytes)
    }
}

/// Reject images whose header claims zero or more than [`MAX_PIXELS`] pixels.
fn check_dimensions(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!("image has no pixels ({width}×{height})"));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "image too large: {width}×{height} is {pixels} pixels, over the {} megapixel limit",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}
