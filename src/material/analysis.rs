//! Pixel statistics shared by all decoders: greyscale test and near-white border test.

/// At most this many pixels are looked at per image (on a regular grid).
pub const MAX_SAMPLES: u64 = 40_000;

/// A sampled pixel is "grey" when its largest channel difference (max − min of R, G, B) is at
/// most this. JPEG chroma noise on a greyscale scan stays well below it; any visibly tinted
/// pixel (a red seal, a blue emblem, yellowed paper) is above it.
pub const GREY_MAX_SPREAD: u8 = 16;

/// An image is greyscale when at least this fraction of its sampled pixels are grey.
pub const GREY_MIN_FRACTION: f64 = 0.98;

/// Width of the border strip, as a fraction of each side (left/right strips are this fraction
/// of the width, top/bottom strips this fraction of the height).
pub const BORDER_FRACTION: f64 = 0.08;

/// A pixel is "near white" when its luminance (Rec. 601, 0–255) is at least this…
pub const NEAR_WHITE_MIN_LUMA: u8 = 200;

/// …and its channel spread (max − min of R, G, B) is at most this (about 12 % saturation at full
/// brightness: a neutral or slightly warm/cool white, not a pale blue or yellow backdrop).
pub const NEAR_WHITE_MAX_SPREAD: u8 = 32;

/// The border strip is near white when at least this fraction of its sampled pixels are near
/// white. Not all of them: in a head-and-shoulders verification photo the subject's shoulders
/// and clothes normally fill most of the bottom strip (about a quarter of the border area) and
/// the lower ends of the side strips.
pub const BORDER_MIN_WHITE_FRACTION: f64 = 0.5;

/// Outcome of [`analyse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stats {
    pub greyscale: bool,
    pub border_near_white: bool,
}

/// Sample an image of `width` × `height` pixels through `pixel(x, y) -> [r, g, b]` (called only
/// with `x < width`, `y < height`) on a grid of at most about [`MAX_SAMPLES`] points.
///
/// `luma_only` marks single-channel images: they are greyscale without looking at the pixels.
pub(super) fn analyse(
    width: usize,
    height: usize,
    luma_only: bool,
    pixel: impl Fn(usize, usize) -> [u8; 3],
) -> Stats {
    if width == 0 || height == 0 {
        return Stats {
            greyscale: luma_only,
            border_near_white: false,
        };
    }
    let step = grid_step(width, height);
    let border_x = border_width(width);
    let border_y = border_width(height);

    let mut samples: u64 = 0;
    let mut grey: u64 = 0;
    let mut border_samples: u64 = 0;
    let mut border_white: u64 = 0;

    for y in (step / 2..height).step_by(step) {
        let in_border_row = y < border_y || y >= height - border_y;
        for x in (step / 2..width).step_by(step) {
            let [r, g, b] = pixel(x, y);
            let spread = r.max(g).max(b) - r.min(g).min(b);
            samples += 1;
            if spread <= GREY_MAX_SPREAD {
                grey += 1;
            }
            if in_border_row || x < border_x || x >= width - border_x {
                border_samples += 1;
                if spread <= NEAR_WHITE_MAX_SPREAD && luma(r, g, b) >= NEAR_WHITE_MIN_LUMA {
                    border_white += 1;
                }
            }
        }
    }

    Stats {
        greyscale: luma_only || (samples > 0 && grey as f64 >= GREY_MIN_FRACTION * samples as f64),
        border_near_white: border_samples > 0
            && border_white as f64 >= BORDER_MIN_WHITE_FRACTION * border_samples as f64,
    }
}

/// Rec. 601 luma, 0–255.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    let y = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b) + 500) / 1000;
    u8::try_from(y).unwrap_or(u8::MAX)
}

/// Distance between sampled columns/rows so that about [`MAX_SAMPLES`] pixels are looked at.
fn grid_step(width: usize, height: usize) -> usize {
    let pixels = (width as u64).saturating_mul(height as u64);
    // Start just below the ideal √(pixels / MAX_SAMPLES) and walk up to the smallest step with
    // ceil(w/step)·ceil(h/step) ≤ MAX_SAMPLES (a handful of iterations).
    let mut step = ((pixels as f64 / MAX_SAMPLES as f64).sqrt() as u64).max(1);
    while (width as u64)
        .div_ceil(step)
        .saturating_mul((height as u64).div_ceil(step))
        > MAX_SAMPLES
        && step < pixels
    {
        step += 1;
    }
    usize::try_from(step).unwrap_or(usize::MAX)
}

/// Border strip thickness along a side of `len` pixels: [`BORDER_FRACTION`] of it, at least one
/// pixel, at most half the side.
fn border_width(len: usize) -> usize {
    let w = (len as f64 * BORDER_FRACTION).round() as usize;
    w.clamp(1, len.div_ceil(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_stays_under_budget() {
        for &(w, h) in &[
            (1, 1),
            (200, 200),
            (201, 199),
            (10_000, 10_000),
            (65_535, 1525),
            (1, 65_535),
        ] {
            let step = grid_step(w, h);
            let n = (w as u64).div_ceil(step as u64) * (h as u64).div_ceil(step as u64);
            assert!(n <= MAX_SAMPLES, "{w}x{h} step {step} -> {n}");
        }
        assert_eq!(grid_step(200, 142), 1);
    }

    #[test]
    fn uniform_images() {
        let white = analyse(100, 80, false, |_, _| [255, 255, 255]);
        assert!(white.greyscale && white.border_near_white);
        let red = analyse(100, 80, false, |_, _| [200, 30, 30]);
        assert!(!red.greyscale && !red.border_near_white);
        let dark = analyse(1, 1, true, |_, _| [10, 10, 10]);
        assert!(dark.greyscale && !dark.border_near_white);
    }

    #[test]
    fn border_only_counts_the_strip() {
        // White frame, black inside: still a white border.
        let framed = analyse(400, 300, false, |x, y| {
            if !(32..368).contains(&x) || !(24..276).contains(&y) {
                [250, 250, 250]
            } else {
                [0, 0, 0]
            }
        });
        assert!(framed.border_near_white);
    }
}
