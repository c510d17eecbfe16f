//! PNG / GIF / BMP / WebP path through the `image` crate.

use std::io::Cursor;

use image::{DynamicImage, GenericImageView, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::analysis::{Stats, analyse};
use super::{Format, ImageFacts, MAX_DECODE_BYTES, check_dimensions};

/// Decode `bytes` (whose magic says `format`) and measure them. The header is read first and
/// the dimensions and buffer size are checked before any pixel buffer is allocated.
pub(super) fn facts(format: Format, bytes: &[u8]) -> Result<ImageFacts, String> {
    let image_format = match format {
        Format::Png => ImageFormat::Png,
        Format::Gif => ImageFormat::Gif,
        Format::Bmp => ImageFormat::Bmp,
        Format::Webp => ImageFormat::WebP,
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Pdf | Format::Unknown => {
            return Err(format!("{} is not a raster image format", format.name()));
        }
    };
    let name = format.name();
    let err = |e: image::ImageError| format!("{name}: {e}");

    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(err)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height)?;
    let total = decoder.total_bytes();
    if total > MAX_DECODE_BYTES {
        return Err(format!(
            "{name}: {width}×{height} image needs {} MiB to decode, over the {} MiB limit",
            total / (1024 * 1024),
            MAX_DECODE_BYTES / (1024 * 1024)
        ));
    }
    let luma_only = !decoder.color_type().has_color();
    let _memory = super::budget::reserve(total);
    let img = DynamicImage::from_decoder(decoder).map_err(err)?;
    if img.dimensions() != (width, height) {
        return Err(format!(
            "{name}: decoded size {:?} differs from header size {width}×{height}",
            img.dimensions()
        ));
    }

    let Stats {
        greyscale,
        border_near_white,
    } = analyse(width as usize, height as usize, luma_only, |x, y| {
        // In bounds by construction (x < width, y < height), and the size was checked above.
        let [r, g, b, a] = img.get_pixel(x as u32, y as u32).0;
        over_white([r, g, b], a)
    });

    Ok(ImageFacts {
        width,
        height,
        greyscale,
        border_near_white,
    })
}

/// Composite a pixel with alpha `a` over a white background (how icons are usually shown).
fn over_white(rgb: [u8; 3], a: u8) -> [u8; 3] {
    if a == 255 {
        return rgb;
    }
    let a = u16::from(a);
    rgb.map(|c| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8)
}
