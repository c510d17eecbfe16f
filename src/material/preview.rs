//! A small picture of a material for the screen: decoded within a pixel budget and
//! scaled down, so showing a scan costs a bounded amount of memory whatever the file says.

use image::DynamicImage;

/// The longest side of a preview, in pixels (a terminal cell is ~10×20 pixels; no pane
/// shows more than this).
pub const PREVIEW_MAX_SIDE: u32 = 800;

/// Decode `bytes` and scale the picture so its longest side is at most `max_side`.
/// Images whose header claims more than [`super::MAX_PIXELS`] pixels are refused before
/// any pixel is decoded.
pub fn preview(bytes: &[u8], max_side: u32) -> Result<DynamicImage, String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(super::MAX_DECODE_BYTES);
    let mut reader = reader;
    reader.limits(limits);
    let (w, h) = reader.into_dimensions().map_err(|e| e.to_string())?;
    if u64::from(w) * u64::from(h) > super::MAX_PIXELS || w == 0 || h == 0 {
        return Err(format!("{w}×{h} pixels is beyond what is shown"));
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(super::MAX_DECODE_BYTES);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| e.to_string())?;
    Ok(if img.width().max(img.height()) > max_side {
        img.thumbnail(max_side, max_side)
    } else {
        img
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_down_and_refuses_junk() {
        let img = image::RgbImage::from_pixel(1600, 400, image::Rgb([200, 10, 10]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let p = preview(&png, 800).unwrap();
        assert_eq!((p.width(), p.height()), (800, 200));
        assert!(preview(b"not an image", 800).is_err());
        assert!(preview(&png[..40], 800).is_err());
    }
}
