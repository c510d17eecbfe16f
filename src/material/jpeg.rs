//! JPEG path: the DC-only fast path for sequential JPEGs, else `jpeg-decoder` with DCT scaling
//! (only ~1/64 of the pixels are reconstructed either way).

use jpeg_decoder::{CodingProcess, Decoder, PixelFormat};

use super::analysis::{Stats, analyse};
use super::{ImageFacts, MAX_DECODE_BYTES, check_dimensions};

/// Requested size of the scaled decode. `jpeg-decoder` picks the smallest of 1/8, 1/4, 1/2, 1/1
/// for which the output is at least this wide *or* this high, so a 1600×1130 scan decodes at
/// 200×142 and a 900×1200 photo at 113×150, like the fast path; only images under 1024 pixels
/// on both sides get a finer grid here than there.
const TARGET_SIDE: u16 = 128;

/// Decode `bytes` (which start with the JPEG magic) and measure them: through the DC-only fast
/// path when it applies, otherwise with `jpeg-decoder`.
pub(super) fn facts(bytes: &[u8]) -> Result<ImageFacts, String> {
    match super::jpeg_fast::inspect(bytes) {
        super::jpeg_fast::Fast::Facts(facts) => Ok(facts),
        super::jpeg_fast::Fast::SizeMismatch(why) => Err(format!("jpeg: {why}")),
        super::jpeg_fast::Fast::NotApplicable => scaled_decode(bytes),
    }
}

/// `jpeg-decoder` with DCT scaling: handles every JPEG it supports and words the errors.
pub(super) fn scaled_decode(bytes: &[u8]) -> Result<ImageFacts, String> {
    let err = |e: jpeg_decoder::Error| format!("jpeg: {e}");
    let mut decoder = Decoder::new(bytes);
    decoder.read_info().map_err(err)?;
    let info = decoder
        .info()
        .ok_or_else(|| "jpeg: no frame header".to_owned())?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_dimensions(width, height)?;

    let components: u64 = match info.pixel_format {
        PixelFormat::L8 | PixelFormat::L16 => 1,
        PixelFormat::RGB24 => 3,
        PixelFormat::CMYK32 => 4,
    };
    let working = working_memory(width, height, components, info.coding_process);
    if working > MAX_DECODE_BYTES {
        return Err(format!(
            "jpeg: {width}×{height} {:?} image needs about {} MiB to decode, over the {} MiB limit",
            info.coding_process,
            working / (1024 * 1024),
            MAX_DECODE_BYTES / (1024 * 1024)
        ));
    }
    decoder.set_max_decoding_buffer_size(usize::try_from(MAX_DECODE_BYTES).unwrap_or(usize::MAX));
    // Working memory plus the scaled output (at most an eighth of each side, or full size
    // for a lossless JPEG).
    let output = if info.coding_process == CodingProcess::Lossless {
        u64::from(width) * u64::from(height) * components * 2
    } else {
        (u64::from(width) / 8 + 1) * (u64::from(height) / 8 + 1) * components * 2
    };
    let _memory = super::budget::reserve(working + output);
    // Lossless JPEGs have no DCT to scale (and the decoder does not support scaling them); they
    // are decoded at full size within the working-memory budget above.
    if info.coding_process != CodingProcess::Lossless {
        decoder.scale(TARGET_SIDE, TARGET_SIDE).map_err(err)?;
    }
    let data = decoder.decode().map_err(err)?;
    let out = decoder
        .info()
        .ok_or_else(|| "jpeg: no frame header".to_owned())?;
    let (w, h) = (usize::from(out.width), usize::from(out.height));
    let bpp = out.pixel_format.pixel_bytes();
    let needed = w.saturating_mul(h).saturating_mul(bpp);
    if data.len() < needed {
        return Err(format!(
            "jpeg: decoder returned {} bytes for a {w}×{h} {:?} image (expected {needed})",
            data.len(),
            out.pixel_format
        ));
    }

    let Stats {
        greyscale,
        border_near_white,
    } = match out.pixel_format {
        PixelFormat::L8 => analyse(w, h, true, |x, y| {
            let v = data.get(y * w + x).copied().unwrap_or(0);
            [v, v, v]
        }),
        // 16-bit samples (lossless JPEG only) come out native-endian; keep the high byte.
        PixelFormat::L16 => analyse(w, h, true, |x, y| {
            let i = 2 * (y * w + x);
            let v = match data.get(i..i + 2) {
                Some(&[a, b]) => (u16::from_ne_bytes([a, b]) >> 8) as u8,
                _ => 0,
            };
            [v, v, v]
        }),
        PixelFormat::RGB24 => analyse(w, h, false, |x, y| {
            let i = 3 * (y * w + x);
            match data.get(i..i + 3) {
                Some(&[r, g, b]) => [r, g, b],
                _ => [0, 0, 0],
            }
        }),
        // The decoder hands out plain (non-inverted) CMYK.
        PixelFormat::CMYK32 => analyse(w, h, false, |x, y| {
            let i = 4 * (y * w + x);
            match data.get(i..i + 4) {
                Some(&[c, m, y, k]) => cmyk_to_rgb(c, m, y, k),
                _ => [0, 0, 0],
            }
        }),
    };

    Ok(ImageFacts {
        width,
        height,
        greyscale,
        border_near_white,
    })
}

/// Rough upper bound of what the decoder allocates beyond the (scaled) output: a progressive
/// JPEG keeps every DCT coefficient (an i16 per sample, padded to whole MCUs) until the last
/// scan, and a lossless one keeps full-size 16-bit planes plus an interleaved copy.
fn working_memory(width: u32, height: u32, components: u64, process: CodingProcess) -> u64 {
    let padded = (u64::from(width) + 31) * (u64::from(height) + 31);
    match process {
        CodingProcess::DctSequential => 0,
        CodingProcess::DctProgressive => padded * components * 2,
        CodingProcess::Lossless => u64::from(width) * u64::from(height) * components * 6,
    }
}

fn cmyk_to_rgb(c: u8, m: u8, y: u8, k: u8) -> [u8; 3] {
    let k = 255 - u16::from(k);
    let channel = |v: u8| ((255 - u16::from(v)) * k / 255) as u8;
    [channel(c), channel(m), channel(y)]
}
