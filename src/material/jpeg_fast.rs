//! Fast path for sequential (baseline or extended) Huffman-coded 8-bit JPEGs with one or three
//! components — what scanners, phones and cameras write.
//!
//! The entropy-coded data is walked once and only the DC coefficient of every 8×8 block is kept.
//! The DC coefficient is the block's mean, so the result is the 1/8-scale image that
//! `jpeg-decoder` produces with `scale()` (its 1×1 IDCT gives identical samples; only subsampled
//! chroma differs, replicated here where `jpeg-decoder` interpolates), but without storing AC
//! coefficients, without upsampling, and without helper threads. Entropy decoding is then the
//! whole cost, and a lookup table that swallows an AC code together with its coefficient bits
//! keeps it low: about 2.5× faster than `jpeg-decoder` on a noisy 1600×1130 scan.
//!
//! Anything unusual (progressive, lossless, arithmetic coding, 12-bit, CMYK, odd sampling
//! ratios, a missing or misplaced restart marker, data running out, a bad Huffman code, …) makes
//! [`facts`] return `None`, and the caller falls back to `jpeg-decoder`, which then decides
//! between decoding the file and reporting the error. So this module can afford to be strict.

use super::analysis::{Stats, analyse};
use super::{ImageFacts, check_dimensions};

/// Bits looked up at once when decoding a Huffman code.
const LUT_BITS: u32 = 10;

/// Entropy-coded bytes tolerated after a scan's last block before the header's size is
/// taken to understate the image.
const MAX_TRAILING_SCAN_BYTES: usize = 64;

/// At most this many blocks per MCU in an interleaved scan (JPEG B.2.3).
const MAX_BLOCKS_PER_MCU: u32 = 10;

/// What the fast path made of a JPEG.
#[derive(Debug)]
pub(super) enum Fast {
    /// Decoded and measured.
    Facts(ImageFacts),
    /// The header claims another size than the scan data holds: the data ends before the
    /// header's last block, or goes on well past it. A format finding, whatever a lenient
    /// decoder would make of it (`jpeg-decoder` pads a short scan with grey).
    SizeMismatch(String),
    /// Not for the fast path (or broken in another way): ask the full decoder.
    NotApplicable,
}

/// Measure `bytes` through the DC-only decoder.
pub(super) fn inspect(bytes: &[u8]) -> Fast {
    let mut mismatch = None;
    match decode_checked(bytes, &mut mismatch) {
        Some(dc) => match measure(&dc) {
            Some(f) => Fast::Facts(f),
            None => Fast::NotApplicable,
        },
        None => mismatch.map_or(Fast::NotApplicable, Fast::SizeMismatch),
    }
}

/// Measure `bytes` through the DC-only decoder, or `None` to ask for the full decoder.
#[cfg(test)]
pub(super) fn facts(bytes: &[u8]) -> Option<ImageFacts> {
    measure(&decode(bytes)?)
}

fn measure(dc: &DcImage) -> Option<ImageFacts> {
    let (w, h) = (dc.grid_w, dc.grid_h);
    let planes = dc.planes();
    let at = |plane: &Vec<u8>, x: usize, y: usize| plane.get(y * w + x).copied().unwrap_or(0);
    let Stats {
        greyscale,
        border_near_white,
    } = match (dc.colour, planes.as_slice()) {
        (Colour::Grey, [l]) => analyse(w, h, true, |x, y| {
            let v = at(l, x, y);
            [v, v, v]
        }),
        (Colour::YCbCr, [y_, cb, cr]) => analyse(w, h, false, |x, y| {
            ycbcr_to_rgb(at(y_, x, y), at(cb, x, y), at(cr, x, y))
        }),
        (Colour::Rgb, [r, g, b]) => {
            analyse(w, h, false, |x, y| [at(r, x, y), at(g, x, y), at(b, x, y)])
        }
        _ => return None,
    };
    Some(ImageFacts {
        width: dc.width,
        height: dc.height,
        greyscale,
        border_near_white,
    })
}

/// How the components map to colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Colour {
    Grey,
    YCbCr,
    Rgb,
}

/// The 1/8-scale image: one sample per block and component.
#[derive(Debug)]
struct DcImage {
    width: u32,
    height: u32,
    /// ceil(width / 8) × ceil(height / 8): one output pixel per 8×8 pixel area.
    grid_w: usize,
    grid_h: usize,
    colour: Colour,
    h_max: usize,
    v_max: usize,
    components: Vec<Component>,
}

impl DcImage {
    /// One `grid_w` × `grid_h` plane per component, chroma replicated (nearest neighbour) to
    /// the full grid.
    fn planes(&self) -> Vec<Vec<u8>> {
        self.components
            .iter()
            .map(|comp| {
                let cols: Vec<usize> = (0..self.grid_w).map(|x| x * comp.h / self.h_max).collect();
                let mut plane = Vec::with_capacity(self.grid_w * self.grid_h);
                for y in 0..self.grid_h {
                    let row = (y * comp.v / self.v_max) * comp.blocks_w;
                    plane.extend(
                        cols.iter()
                            .map(|&bx| comp.samples.get(row + bx).copied().unwrap_or(128)),
                    );
                }
                plane
            })
            .collect()
    }

    /// The 1/8-scale grid as interleaved 8-bit samples (1 or 3 per pixel, in the JPEG's own
    /// colour space), for comparison with `jpeg-decoder` in tests and the fuzzing harness.
    fn raw(&self) -> (usize, usize, Vec<u8>) {
        let planes = self.planes();
        let mut out = Vec::new();
        for i in 0..self.grid_w * self.grid_h {
            out.extend(planes.iter().map(|p| p[i]));
        }
        (self.grid_w, self.grid_h, out)
    }
}

#[derive(Debug, Clone)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    quant: usize,
    /// Width and height of the block grid stored for this component (MCU-padded).
    blocks_w: usize,
    blocks_h: usize,
    /// Mean value (0–255) of each block, row-major.
    samples: Vec<u8>,
    decoded: bool,
}

/// The fast path against `jpeg-decoder` on the same bytes (the fuzzing harness's
/// differential target). Where the fast path decodes an image without chroma subsampling,
/// `jpeg-decoder` at 1/8 scale without colour conversion must give the same samples.
/// `Ok(true)` when both decoded and agree, `Ok(false)` when there was nothing to compare
/// (the fast path declined, the image is subsampled, or `jpeg-decoder` panicked on it),
/// `Err` with what differs.
pub(super) fn differential(bytes: &[u8]) -> Result<bool, String> {
    use jpeg_decoder::{ColorTransform, Decoder};
    let Some(dc) = decode(bytes) else {
        return Ok(false);
    };
    if dc
        .components
        .iter()
        .any(|c| c.h != dc.h_max || c.v != dc.v_max)
    {
        return Ok(false);
    }
    let reference = std::panic::catch_unwind(|| {
        let mut d = Decoder::new(bytes);
        d.set_color_transform(ColorTransform::None);
        d.read_info().map_err(|e| e.to_string())?;
        d.scale(1, 1).map_err(|e| e.to_string())?;
        let data = d.decode().map_err(|e| e.to_string())?;
        let info = d.info().ok_or("no frame header")?;
        Ok::<_, String>((usize::from(info.width), usize::from(info.height), data))
    });
    let (w, h, data) = match reference {
        Err(_) => return Ok(false),
        Ok(Err(e)) => {
            return Err(format!(
                "the fast path decoded an image jpeg-decoder refuses: {e}"
            ));
        }
        Ok(Ok(r)) => r,
    };
    let (fw, fh, fast) = dc.raw();
    if (fw, fh) != (w, h) {
        return Err(format!("grid {fw}×{fh} against jpeg-decoder's {w}×{h}"));
    }
    // jpeg-decoder's unconverted output is planar per row: component 0's samples, then 1's, ….
    let n = dc.components.len();
    if data.len() != w * h * n || fast.len() != w * h * n {
        return Err(format!(
            "{} samples against jpeg-decoder's {} for {w}×{h}×{n}",
            fast.len(),
            data.len()
        ));
    }
    for y in 0..h {
        for x in 0..w {
            for c in 0..n {
                let theirs = data[y * w * n + c * w + x];
                let ours = fast[(y * w + x) * n + c];
                if theirs != ours {
                    return Err(format!(
                        "sample ({x}, {y}) component {c}: {ours} against jpeg-decoder's {theirs}"
                    ));
                }
            }
        }
    }
    Ok(true)
}

/// Parse and decode `bytes`; `None` when the fast path does not apply or anything is off.
fn decode(bytes: &[u8]) -> Option<DcImage> {
    decode_checked(bytes, &mut None)
}

/// [`decode`], noting in `mismatch` when a scan's data does not fit the header's size.
fn decode_checked(bytes: &[u8], mismatch: &mut Option<String>) -> Option<DcImage> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut pos = 2;
    let mut image: Option<DcImage> = None;
    let mut quant_dc: [Option<u16>; 4] = [None; 4];
    let mut dc_tables: [Option<Huffman>; 4] = [None, None, None, None];
    let mut ac_tables: [Option<Huffman>; 4] = [None, None, None, None];
    let mut restart_interval: u16 = 0;
    let mut jfif = false;
    let mut adobe_transform: Option<u8> = None;
    // Whether the last thing read was a scan's data (a stray RSTn may follow it).
    let mut after_scan = false;

    loop {
        // Markers: 0xFF, optional 0xFF fill bytes, marker code.
        if *bytes.get(pos)? != 0xFF {
            return None;
        }
        while *bytes.get(pos)? == 0xFF {
            pos += 1;
        }
        let marker = *bytes.get(pos)?;
        pos += 1;
        match marker {
            0xD9 => break, // EOI
            // A stray RSTn after a scan's last MCU; anywhere else `jpeg-decoder` refuses
            // it (found by the differential fuzzer).
            0xD0..=0xD7 if after_scan => continue,
            0xD0..=0xD7 => return None,
            // Second SOI, not a marker, TEM, reserved markers (JPGn, RES), hierarchical
            // (DHP, EXP): `jpeg-decoder` refuses them, so the fast path does not skip them
            // as segments (found by the differential fuzzer).
            // DNL (a height given after the scan) and DAC (arithmetic coding) are left to
            // it too.
            0xD8 | 0x00 | 0x01 | 0x02..=0xBF | 0xC8 | 0xCC | 0xDC | 0xDE | 0xDF | 0xF0..=0xFD => {
                return None;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*bytes.get(pos)?, *bytes.get(pos + 1)?]));
        if len < 2 {
            return None;
        }
        let segment = bytes.get(pos + 2..pos + len)?;
        pos += len;
        after_scan = marker == 0xDA;
        match marker {
            0xC0 | 0xC1 => {
                if image.is_some() {
                    return None;
                }
                image = Some(parse_sof(segment)?);
            }
            // Progressive, lossless, hierarchical, arithmetic: not for the fast path.
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            0xC4 => parse_dht(segment, &mut dc_tables, &mut ac_tables)?,
            0xDB => parse_dqt(segment, &mut quant_dc)?,
            // DRI is exactly two bytes long (`jpeg-decoder` refuses any other length).
            0xDD => match segment {
                [a, b] => restart_interval = u16::from_be_bytes([*a, *b]),
                _ => return None,
            },
            0xE0 => jfif = jfif || segment.starts_with(b"JFIF\0"),
            0xEE if segment.starts_with(b"Adobe") => {
                adobe_transform = Some(*segment.get(11)?);
            }
            0xDA => {
                let img = image.as_mut()?;
                let scan = parse_sos(segment, img)?;
                let tables = ScanTables {
                    dc: &dc_tables,
                    ac: &ac_tables,
                    quant_dc: &quant_dc,
                };
                pos = decode_scan(bytes, pos, img, &scan, &tables, restart_interval, mismatch)?;
            }
            _ => {} // other APPn, COM, DNL, …: skip
        }
    }

    let mut img = image?;
    if img.components.iter().any(|c| !c.decoded) {
        return None;
    }
    img.colour = colour_of(&img.components, jfif, adobe_transform)?;
    Some(img)
}

/// Decide the colour transform the way `jpeg-decoder` does, and refuse what it would treat
/// specially.
fn colour_of(components: &[Component], jfif: bool, adobe: Option<u8>) -> Option<Colour> {
    match components {
        [_] => Some(Colour::Grey),
        [a, b, c] => match (a.id, b.id, c.id) {
            (1, 2, 3) => Some(Colour::YCbCr),
            (b'R', b'G', b'B') => Some(Colour::Rgb),
            (1, 34, 35) | (b'r', b'g', b'b') => None, // big-gamut variants
            _ if jfif => Some(Colour::YCbCr),
            _ => match adobe {
                Some(0) => Some(Colour::Rgb),
                Some(1) | None => Some(Colour::YCbCr),
                Some(_) => None,
            },
        },
        _ => None,
    }
}

fn parse_sof(seg: &[u8]) -> Option<DcImage> {
    let (&precision, rest) = seg.split_first()?;
    if precision != 8 || rest.len() < 5 {
        return None;
    }
    let height = u32::from(u16::from_be_bytes([rest[0], rest[1]]));
    let width = u32::from(u16::from_be_bytes([rest[2], rest[3]]));
    let count = usize::from(rest[4]);
    // height 0 means "defined by a DNL marker later": leave that to the full decoder.
    check_dimensions(width, height).ok()?;
    if !(count == 1 || count == 3) || rest.len() != 5 + 3 * count {
        return None;
    }
    let mut components: Vec<Component> = Vec::with_capacity(count);
    for spec in rest[5..].chunks_exact(3) {
        let (id, hv, quant) = (spec[0], spec[1], spec[2]);
        let (h, v) = (usize::from(hv >> 4), usize::from(hv & 0x0F));
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || quant > 3 {
            return None;
        }
        if components.iter().any(|c| c.id == id) {
            return None;
        }
        components.push(Component {
            id,
            h,
            v,
            quant: usize::from(quant),
            blocks_w: 0,
            blocks_h: 0,
            samples: Vec::new(),
            decoded: false,
        });
    }
    let h_max = components.iter().map(|c| c.h).max()?;
    let v_max = components.iter().map(|c| c.v).max()?;
    let (w, h) = (width as usize, height as usize);
    let (grid_w, grid_h) = (w.div_ceil(8), h.div_ceil(8));
    if count == 1 {
        // A single component is never interleaved: one block per MCU whatever its factors.
        let c = &mut components[0];
        (c.h, c.v) = (1, 1);
        (c.blocks_w, c.blocks_h) = (grid_w, grid_h);
    } else {
        let (mcus_x, mcus_y) = (w.div_ceil(8 * h_max), h.div_ceil(8 * v_max));
        for c in &mut components {
            // Only integral upsampling ratios (as in every real encoder and `jpeg-decoder`).
            if h_max % c.h != 0 || v_max % c.v != 0 {
                return None;
            }
            (c.blocks_w, c.blocks_h) = (mcus_x * c.h, mcus_y * c.v);
        }
    }
    let (h_max, v_max) = if count == 1 { (1, 1) } else { (h_max, v_max) };
    for c in &mut components {
        // Bounded: at most ~1.6 million blocks for the largest accepted image.
        c.samples = vec![128; c.blocks_w * c.blocks_h];
    }
    Some(DcImage {
        width,
        height,
        grid_w,
        grid_h,
        colour: Colour::Grey,
        h_max,
        v_max,
        components,
    })
}

fn parse_dqt(mut seg: &[u8], quant_dc: &mut [Option<u16>; 4]) -> Option<()> {
    while let Some((&pq_tq, rest)) = seg.split_first() {
        let (precision, id) = (pq_tq >> 4, usize::from(pq_tq & 0x0F));
        // 16-bit tables are not allowed with 8-bit samples; leave oddities to the full decoder.
        if precision != 0 || id > 3 {
            return None;
        }
        let table = rest.get(..64)?;
        if table.contains(&0) {
            return None;
        }
        *quant_dc.get_mut(id)? = Some(u16::from(table[0]));
        seg = &rest[64..];
    }
    Some(())
}

fn parse_dht(
    mut seg: &[u8],
    dc: &mut [Option<Huffman>; 4],
    ac: &mut [Option<Huffman>; 4],
) -> Option<()> {
    while let Some((&tc_th, rest)) = seg.split_first() {
        let (class, id) = (tc_th >> 4, usize::from(tc_th & 0x0F));
        let counts: &[u8; 16] = rest.get(..16)?.try_into().ok()?;
        let total: usize = counts.iter().map(|&n| usize::from(n)).sum();
        let values = rest.get(16..16 + total)?;
        let table = Huffman::new(counts, values)?;
        match class {
            0 => *dc.get_mut(id)? = Some(table),
            1 => *ac.get_mut(id)? = Some(table),
            _ => return None,
        }
        seg = &rest[16 + total..];
    }
    Some(())
}

/// One component of a scan: index into the frame's components and its table selectors.
struct ScanComponent {
    index: usize,
    dc: usize,
    ac: usize,
}

fn parse_sos(seg: &[u8], img: &DcImage) -> Option<Vec<ScanComponent>> {
    let (&count, rest) = seg.split_first()?;
    let count = usize::from(count);
    if count == 0 || count > img.components.len() || rest.len() != 2 * count + 3 {
        return None;
    }
    let mut scan: Vec<ScanComponent> = Vec::with_capacity(count);
    for pair in rest[..2 * count].chunks_exact(2) {
        let index = img.components.iter().position(|c| c.id == pair[0])?;
        if scan.iter().any(|s| s.index == index) || img.components[index].decoded {
            return None;
        }
        let (dc, ac) = (usize::from(pair[1] >> 4), usize::from(pair[1] & 0x0F));
        if dc > 3 || ac > 3 {
            return None;
        }
        scan.push(ScanComponent { index, dc, ac });
    }
    // Sequential scans cover the whole spectrum without successive approximation.
    if rest[2 * count..] != [0, 63, 0] {
        return None;
    }
    if count > 1 {
        let blocks: usize = scan
            .iter()
            .map(|s| img.components[s.index].h * img.components[s.index].v)
            .sum();
        if blocks > MAX_BLOCKS_PER_MCU as usize {
            return None;
        }
    }
    Some(scan)
}

struct ScanTables<'a> {
    dc: &'a [Option<Huffman>; 4],
    ac: &'a [Option<Huffman>; 4],
    quant_dc: &'a [Option<u16>; 4],
}

/// Decode one scan starting at `pos` (just after the SOS segment); returns the position of the
/// marker that follows the entropy-coded data.
fn decode_scan(
    bytes: &[u8],
    pos: usize,
    img: &mut DcImage,
    scan: &[ScanComponent],
    tables: &ScanTables<'_>,
    restart_interval: u16,
    mismatch: &mut Option<String>,
) -> Option<usize> {
    struct Plan<'t> {
        index: usize,
        dc: &'t Huffman,
        ac: &'t Huffman,
        q0: i32,
        h: usize,
        v: usize,
    }
    let interleaved = scan.len() > 1;
    let mut plans: Vec<Plan<'_>> = Vec::with_capacity(scan.len());
    for s in scan {
        let comp = img.components.get(s.index)?;
        let (h, v) = if interleaved {
            (comp.h, comp.v)
        } else {
            (1, 1)
        };
        plans.push(Plan {
            index: s.index,
            dc: tables.dc.get(s.dc)?.as_ref()?,
            ac: tables.ac.get(s.ac)?.as_ref()?,
            q0: i32::from(tables.quant_dc.get(comp.quant).copied().flatten()?),
            h,
            v,
        });
    }
    // MCU grid: interleaved scans use the frame's MCU; a single-component scan walks that
    // component's own blocks (not padded to whole MCUs).
    let (mcus_x, mcus_y) = if interleaved {
        let (w, h) = (img.width as usize, img.height as usize);
        (w.div_ceil(8 * img.h_max), h.div_ceil(8 * img.v_max))
    } else {
        let comp = img.components.get(plans.first()?.index)?;
        let w = (img.width as usize * comp.h).div_ceil(img.h_max);
        let h = (img.height as usize * comp.v).div_ceil(img.v_max);
        (w.div_ceil(8), h.div_ceil(8))
    };

    let mut bits = BitReader::new(bytes, pos);
    let mut predictors = vec![0i16; plans.len()];
    let mut restarts_seen: u8 = 0;
    let total = mcus_x.checked_mul(mcus_y)?;
    let interval = usize::from(restart_interval);
    let (width, height) = (img.width, img.height);
    let short = |mcu: usize, mismatch: &mut Option<String>| {
        *mismatch = Some(format!(
            "the header claims {width}×{height} pixels but the scan data ends after {} of its {mcus_y} block rows",
            mcu / mcus_x.max(1)
        ));
    };
    for mcu in 0..total {
        if interval > 0 && mcu > 0 && mcu % interval == 0 {
            if bits.overran() {
                short(mcu, mismatch);
                return None;
            }
            let marker = 0xD0 + (restarts_seen & 7);
            // Data left before the restart marker: `jpeg-decoder` refuses it (found by
            // the differential fuzzer).
            if bits.left_whole_bytes() {
                return None;
            }
            let at = bits.pos;
            let found = bytes.get(at..at + 2)?;
            if found != [0xFF, marker] {
                if found == [0xFF, 0xD9] {
                    short(mcu, mismatch);
                }
                return None;
            }
            bits = BitReader::new(bytes, at + 2);
            restarts_seen = restarts_seen.wrapping_add(1);
            predictors.iter_mut().for_each(|p| *p = 0);
        }
        let (mx, my) = (mcu % mcus_x, mcu / mcus_x);
        for (plan, predictor) in plans.iter().zip(predictors.iter_mut()) {
            for v in 0..plan.v {
                for h in 0..plan.h {
                    let dc = bits.block_dc(plan.dc, plan.ac, predictor)?;
                    let comp = img.components.get_mut(plan.index)?;
                    let (bx, by) = (mx * plan.h + h, my * plan.v + v);
                    if bx < comp.blocks_w && by < comp.blocks_h {
                        // The dequantised DC term is 8× the block mean minus the level shift
                        // of 128 (rounded exactly as `jpeg-decoder`'s 1×1 IDCT does).
                        let mean = (i32::from(dc) * plan.q0 + 128 * 8) / 8;
                        if let Some(s) = comp.samples.get_mut(by * comp.blocks_w + bx) {
                            *s = mean.clamp(0, 255) as u8;
                        }
                    }
                }
            }
        }
        if bits.overran() {
            short(mcu, mismatch);
            return None;
        }
    }
    for plan in &plans {
        img.components.get_mut(plan.index)?.decoded = true;
    }
    // The next marker must follow immediately (the reader stops at it), with no whole
    // byte of data left unread before it.
    let at = bits.pos;
    if bytes.get(at) == Some(&0xFF) && !bits.left_whole_bytes() {
        return Some(at);
    }
    // Entropy-coded data going on past the header's last block: more image than the
    // header declares (a few stray bytes are tolerated).
    let rest = bytes.get(at..).unwrap_or(&[]);
    let extra = rest
        .windows(2)
        .position(|w| w[0] == 0xFF && w[1] != 0x00 && !(0xD0..=0xD7).contains(&w[1]))
        .unwrap_or(rest.len());
    if extra > MAX_TRAILING_SCAN_BYTES {
        *mismatch = Some(format!(
            "the header claims {width}×{height} pixels but the scan data goes on for {extra} bytes past its last block"
        ));
    }
    None
}

/// A canonical Huffman table (JPEG Annex C / F.2.2.3) with lookup tables for short codes.
#[derive(Debug, Clone)]
struct Huffman {
    /// `(length << 8) | symbol` for codes of at most `LUT_BITS` bits, 0 for longer ones.
    lut: Box<[u16; LUT_SIZE]>,
    /// For AC use: what to do with a short code *and* the coefficient bits that follow it,
    /// 0 when the code plus its coefficient bits are longer than `LUT_BITS` (see [`ac_entry`]).
    ac_lut: Box<[u16; LUT_SIZE]>,
    /// Per code length 1..=16 (index 0 unused): largest code, or -1 when there is none.
    max_code: [i32; 17],
    /// Per code length: index into `values` of the first code, and that code.
    val_ptr: [i32; 17],
    min_code: [i32; 17],
    values: Vec<u8>,
}

const LUT_SIZE: usize = 1 << LUT_BITS;

/// An `ac_lut` entry: bits 0–4 are how many bits to consume (code plus coefficient bits),
/// bits 5–11 how far the coefficient index advances (`run + 1` for a coefficient, 16 for a
/// zero run, 64 for end of block, which ends the block whatever the index).
fn ac_entry(total_bits: u32, symbol: u8) -> u16 {
    match ac_advance(symbol) {
        Some(advance) => (advance << 5) | total_bits as u16,
        None => 0,
    }
}

/// How far an AC symbol advances the coefficient index; `None` for the end-of-band runs that
/// only progressive scans use.
fn ac_advance(symbol: u8) -> Option<u16> {
    let (run, size) = (u16::from(symbol >> 4), symbol & 0x0F);
    match (run, size) {
        (0, 0) => Some(64),
        (15, 0) => Some(16),
        (_, 0) => None,
        _ => Some(run + 1),
    }
}

impl Huffman {
    /// Build from the DHT counts per length and symbol values; `None` for an over-subscribed or
    /// empty table.
    fn new(counts: &[u8; 16], values: &[u8]) -> Option<Huffman> {
        if values.is_empty() || values.len() > 256 {
            return None;
        }
        let mut table = Huffman {
            lut: Box::new([0; LUT_SIZE]),
            ac_lut: Box::new([0; LUT_SIZE]),
            max_code: [-1; 17],
            val_ptr: [0; 17],
            min_code: [0; 17],
            values: values.to_vec(),
        };
        let mut code: u32 = 0;
        let mut k = 0usize;
        for len in 1..=16u32 {
            let n = usize::from(counts[len as usize - 1]);
            if n > 0 {
                table.val_ptr[len as usize] = k as i32;
                table.min_code[len as usize] = code as i32;
                for _ in 0..n {
                    if code >= 1 << len {
                        return None;
                    }
                    if len <= LUT_BITS {
                        let symbol = *values.get(k)?;
                        let shift = LUT_BITS - len;
                        let start = (code << shift) as usize;
                        let entry = ((len as u16) << 8) | u16::from(symbol);
                        table.lut.get_mut(start..start + (1 << shift))?.fill(entry);
                        // Entries whose lookup bits also hold the whole coefficient.
                        let total = len + u32::from(symbol & 0x0F);
                        if total <= LUT_BITS {
                            let ac = ac_entry(total, symbol);
                            table.ac_lut.get_mut(start..start + (1 << shift))?.fill(ac);
                        }
                    }
                    code += 1;
                    k += 1;
                }
                table.max_code[len as usize] = code as i32 - 1;
            }
            code <<= 1;
        }
        Some(table)
    }
}

/// MSB-first bit reader over entropy-coded data: removes stuffed zero bytes and stops at the
/// next marker (or the end of input), after which it supplies zero bits and counts them so
/// that reading past the real data is detected.
struct BitReader<'a> {
    data: &'a [u8],
    /// Next byte to load; at a marker this points at its 0xFF.
    pos: usize,
    acc: u64,
    /// Valid bits in `acc` (from the top).
    count: u32,
    /// Zero bits appended after the data ended; consuming any of them is an overrun.
    padding: u32,
    stopped: bool,
}

impl<'a> BitReader<'a> {
    fn new(data: &'a [u8], pos: usize) -> Self {
        BitReader {
            data,
            pos,
            acc: 0,
            count: 0,
            padding: 0,
            stopped: false,
        }
    }

    /// Fill `acc` to at least 57 bits.
    #[inline]
    fn refill(&mut self) {
        // Fast path: the next 8 bytes contain no 0xFF (so no stuffing and no marker).
        if let Some(chunk) = self.data.get(self.pos..self.pos + 8)
            && let Ok(chunk) = <[u8; 8]>::try_from(chunk)
        {
            let word = u64::from_be_bytes(chunk);
            let inverted = !word;
            let has_ff =
                inverted.wrapping_sub(0x0101_0101_0101_0101) & word & 0x8080_8080_8080_8080;
            if has_ff == 0 && self.count <= 56 {
                let n = (64 - self.count) / 8; // whole bytes that fit: 1..=8
                self.acc |= (word >> (64 - 8 * n)) << (64 - self.count - 8 * n);
                self.pos += n as usize;
                self.count += 8 * n;
                return;
            }
        }
        self.refill_slow();
    }

    fn refill_slow(&mut self) {
        while self.count <= 56 {
            let byte = if self.stopped {
                self.padding += 8;
                0
            } else {
                match self.data.get(self.pos) {
                    Some(&0xFF) => match self.data.get(self.pos + 1) {
                        Some(0x00) => {
                            self.pos += 2;
                            0xFF
                        }
                        // Anything else, fill bytes (`FF FF`) included, starts a marker:
                        // the data stops here, as in `jpeg-decoder` (found by the
                        // differential fuzzer).
                        _ => {
                            self.stopped = true;
                            continue;
                        }
                    },
                    Some(&b) => {
                        self.pos += 1;
                        b
                    }
                    None => {
                        self.stopped = true;
                        continue;
                    }
                }
            };
            self.acc |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    /// Whether any of the zero bits supplied after the end of the data were consumed.
    fn overran(&self) -> bool {
        self.count < self.padding
    }

    /// Whether a whole byte of real data was read ahead and not consumed: entropy-coded
    /// data going on past what the blocks needed (a valid scan leaves only the padding
    /// bits of its last byte).
    fn left_whole_bytes(&self) -> bool {
        self.count.saturating_sub(self.padding) >= 8
    }

    /// Top `n` bits (1..=32) without consuming them; needs `count >= n`.
    #[inline]
    fn peek(&self, n: u32) -> u32 {
        (self.acc >> (64 - n)) as u32
    }

    /// Index into the lookup tables: the top `LUT_BITS` bits.
    #[inline]
    fn lut_index(&self) -> usize {
        (self.acc >> (64 - LUT_BITS)) as usize & (LUT_SIZE - 1)
    }

    /// Drop `n` (at most 31) bits.
    #[inline]
    fn consume(&mut self, n: u32) {
        self.acc = self.acc.wrapping_shl(n);
        self.count = self.count.saturating_sub(n);
    }

    #[inline]
    fn symbol(&mut self, table: &Huffman) -> Option<u8> {
        let entry = table.lut[self.lut_index()];
        if entry != 0 {
            self.consume(u32::from(entry >> 8));
            return Some(entry as u8);
        }
        self.symbol_slow(table)
    }

    fn symbol_slow(&mut self, table: &Huffman) -> Option<u8> {
        for len in LUT_BITS + 1..=16 {
            let code = self.peek(len) as i32;
            let l = len as usize;
            if code <= table.max_code[l] {
                self.consume(len);
                let index = table.val_ptr[l] + code - table.min_code[l];
                return table.values.get(usize::try_from(index).ok()?).copied();
            }
        }
        None
    }

    /// Decode one block, skipping the AC coefficients; returns the (quantised) DC value.
    #[inline]
    fn block_dc(&mut self, dc: &Huffman, ac: &Huffman, predictor: &mut i16) -> Option<i16> {
        if self.count < 32 {
            self.refill();
        }
        let size = u32::from(self.symbol(dc)?);
        if size > 11 {
            return None;
        }
        let diff = self.extend(size);
        *predictor = predictor.wrapping_add(diff as i16);
        let mut k: u16 = 1;
        while k < 64 {
            if self.count < 32 {
                self.refill();
            }
            let entry = ac.ac_lut[self.lut_index()];
            let advance = if entry != 0 {
                self.consume(u32::from(entry & 0x1F));
                entry >> 5
            } else {
                // Long code, or short code with many coefficient bits.
                let symbol = self.symbol(ac)?;
                self.consume(u32::from(symbol & 0x0F));
                ac_advance(symbol)?
            };
            k += advance;
            // A coefficient (or zero run) past the block's 64th: corrupt data, which
            // `jpeg-decoder` reads its own way; leave it to it (found by the differential
            // fuzzer).
            if k > 64 && advance != 64 {
                return None;
            }
        }
        Some(*predictor)
    }

    /// Read `size` (0..=15) bits as a JPEG "extended" signed value (F.2.2.1).
    #[inline]
    fn extend(&mut self, size: u32) -> i32 {
        if size == 0 {
            return 0;
        }
        let v = self.peek(size) as i32;
        self.consume(size);
        if v < 1 << (size - 1) {
            v - (1 << size) + 1
        } else {
            v
        }
    }
}

/// JFIF YCbCr → RGB (fixed point, 16 fractional bits).
fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let y = i32::from(y) << 16;
    let cb = i32::from(cb) - 128;
    let cr = i32::from(cr) - 128;
    let r = y + 91_881 * cr;
    let g = y - 22_554 * cb - 46_802 * cr;
    let b = y + 116_130 * cb;
    [r, g, b].map(|v| ((v + (1 << 15)) >> 16).clamp(0, 255) as u8)
}

#[cfg(test)]
mod tests {
    //! The fast path is checked against hand-built JPEGs whose block means are known exactly
    //! (covering chroma subsampling, partial MCUs, restart intervals, non-interleaved scans and
    //! the colour-space markers that the `image` encoder never writes), and against
    //! `jpeg-decoder`'s 1/8-scale output for encoder-made JPEGs.

    use super::*;
    use jpeg_decoder::{ColorTransform, Decoder};

    /// Standard luminance DC table (JPEG K.3): code lengths for categories 0..=11.
    const DC_COUNTS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const Q: i32 = 8;

    struct BitWriter {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }

    impl BitWriter {
        fn put(&mut self, value: u32, len: u32) {
            for i in (0..len).rev() {
                self.acc = (self.acc << 1) | ((value >> i) & 1);
                self.n += 1;
                if self.n == 8 {
                    let byte = self.acc as u8;
                    self.out.push(byte);
                    if byte == 0xFF {
                        self.out.push(0x00);
                    }
                    self.acc = 0;
                    self.n = 0;
                }
            }
        }

        /// Pad the last byte with one bits.
        fn flush(&mut self) {
            while self.n != 0 {
                self.put(1, 1);
            }
        }
    }

    /// Canonical codes for the DC table: (code, length) per category.
    fn dc_codes() -> Vec<(u32, u32)> {
        let mut codes = Vec::new();
        let mut code = 0;
        for (i, &n) in DC_COUNTS.iter().enumerate() {
            for _ in 0..n {
                codes.push((code, i as u32 + 1));
                code += 1;
            }
            code <<= 1;
        }
        codes
    }

    struct Spec {
        width: u16,
        height: u16,
        /// (id, h, v)
        components: Vec<(u8, u8, u8)>,
        restart: u16,
        interleaved: bool,
        jfif: bool,
        adobe: Option<u8>,
    }

    /// Quantised DC value of block (`bx`, `by`) of component `c`.
    fn level(c: usize, bx: usize, by: usize) -> i16 {
        ((bx * 7 + by * 13 + c * 50) % 200) as i16 - 100
    }

    /// Block mean (0–255) the decoder must report for `level`.
    fn mean(level: i16) -> u8 {
        ((i32::from(level) * Q + 1024) / 8).clamp(0, 255) as u8
    }

    /// Write a baseline JPEG whose blocks are flat (DC only, every AC run is an immediate EOB).
    fn build(spec: &Spec) -> Vec<u8> {
        build_with(spec, false)
    }

    /// Like [`build`]; `progressive` writes a progressive JPEG made of DC-first scans only (a
    /// valid image whose AC coefficients are all zero).
    fn build_with(spec: &Spec, progressive: bool) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        let segment = |out: &mut Vec<u8>, marker: u8, body: &[u8]| {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
            out.extend_from_slice(body);
        };
        if spec.jfif {
            segment(&mut out, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        }
        if let Some(t) = spec.adobe {
            segment(
                &mut out,
                0xEE,
                &[b'A', b'd', b'o', b'b', b'e', 0, 100, 0, 0, 0, 0, t],
            );
        }
        let mut dqt = vec![0u8];
        dqt.extend_from_slice(&[Q as u8; 64]);
        segment(&mut out, 0xDB, &dqt);
        let mut sof = vec![8];
        sof.extend_from_slice(&spec.height.to_be_bytes());
        sof.extend_from_slice(&spec.width.to_be_bytes());
        sof.push(spec.components.len() as u8);
        for &(id, h, v) in &spec.components {
            sof.extend_from_slice(&[id, (h << 4) | v, 0]);
        }
        segment(&mut out, if progressive { 0xC2 } else { 0xC0 }, &sof);
        let mut dht = vec![0x00];
        dht.extend_from_slice(&DC_COUNTS);
        dht.extend(0..=11u8);
        // AC table 0: a single one-bit code for EOB.
        dht.push(0x10);
        dht.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        dht.push(0x00);
        segment(&mut out, 0xC4, &dht);
        if spec.restart > 0 {
            segment(&mut out, 0xDD, &spec.restart.to_be_bytes());
        }

        let n = spec.components.len();
        let h_max = spec.components.iter().map(|c| c.1 as usize).max().unwrap();
        let v_max = spec.components.iter().map(|c| c.2 as usize).max().unwrap();
        let (w, h) = (spec.width as usize, spec.height as usize);
        let scans: Vec<Vec<usize>> = if spec.interleaved && n > 1 {
            vec![(0..n).collect()]
        } else {
            (0..n).map(|c| vec![c]).collect()
        };
        let codes = dc_codes();
        for scan in scans {
            let mut sos = vec![scan.len() as u8];
            for &c in &scan {
                sos.extend_from_slice(&[spec.components[c].0, 0x00]);
            }
            sos.extend_from_slice(if progressive { &[0, 0, 0] } else { &[0, 63, 0] });
            segment(&mut out, 0xDA, &sos);
            let mut bits = BitWriter {
                out: Vec::new(),
                acc: 0,
                n: 0,
            };
            let mut preds = vec![0i16; n];
            let emit = |bits: &mut BitWriter, preds: &mut Vec<i16>, c: usize, bx, by| {
                let value = level(c, bx, by);
                let diff = i32::from(value - preds[c]);
                preds[c] = value;
                let size = 32 - diff.unsigned_abs().leading_zeros();
                let (code, len) = codes[size as usize];
                bits.put(code, len);
                let extra = if diff < 0 { diff - 1 } else { diff };
                bits.put(extra as u32 & ((1 << size) - 1), size);
                if !progressive {
                    bits.put(0, 1); // EOB
                }
            };
            let units: Vec<Vec<(usize, usize, usize)>> = if scan.len() > 1 {
                let (mx, my) = (w.div_ceil(8 * h_max), h.div_ceil(8 * v_max));
                (0..mx * my)
                    .map(|m| {
                        let (x, y) = (m % mx, m / mx);
                        let mut blocks = Vec::new();
                        for &c in &scan {
                            let (_, ch, cv) = spec.components[c];
                            for v in 0..cv as usize {
                                for hh in 0..ch as usize {
                                    blocks.push((c, x * ch as usize + hh, y * cv as usize + v));
                                }
                            }
                        }
                        blocks
                    })
                    .collect()
            } else {
                let c = scan[0];
                let (_, ch, cv) = spec.components[c];
                let (ch, cv) = if n == 1 {
                    (1, 1)
                } else {
                    (ch as usize, cv as usize)
                };
                let (bw, bh) = (
                    (w * ch)
                        .div_ceil(h_max.max(1) * if n == 1 { ch } else { 1 })
                        .div_ceil(8),
                    (h * cv)
                        .div_ceil(v_max.max(1) * if n == 1 { cv } else { 1 })
                        .div_ceil(8),
                );
                let (bw, bh) = if n == 1 {
                    (w.div_ceil(8), h.div_ceil(8))
                } else {
                    (bw, bh)
                };
                (0..bw * bh).map(|m| vec![(c, m % bw, m / bw)]).collect()
            };
            let mut rst = 0u8;
            for (i, unit) in units.iter().enumerate() {
                if spec.restart > 0 && i > 0 && i % spec.restart as usize == 0 {
                    bits.flush();
                    bits.out.extend_from_slice(&[0xFF, 0xD0 + (rst & 7)]);
                    rst = rst.wrapping_add(1);
                    preds.iter_mut().for_each(|p| *p = 0);
                }
                for &(c, bx, by) in unit {
                    emit(&mut bits, &mut preds, c, bx, by);
                }
            }
            bits.flush();
            out.extend_from_slice(&bits.out);
        }
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }

    /// Expected raw grid: component `c` at grid (x, y) is the mean of block
    /// (x·h/h_max, y·v/v_max).
    fn expected(spec: &Spec) -> Vec<u8> {
        let n = spec.components.len();
        let h_max = spec.components.iter().map(|c| c.1 as usize).max().unwrap();
        let v_max = spec.components.iter().map(|c| c.2 as usize).max().unwrap();
        let (gw, gh) = (
            (spec.width as usize).div_ceil(8),
            (spec.height as usize).div_ceil(8),
        );
        let mut out = Vec::new();
        for y in 0..gh {
            for x in 0..gw {
                for (c, &(_, h, v)) in spec.components.iter().enumerate() {
                    let (bx, by) = if n == 1 {
                        (x, y)
                    } else {
                        (x * h as usize / h_max, y * v as usize / v_max)
                    };
                    out.push(mean(level(c, bx, by)));
                }
            }
        }
        out
    }

    /// `jpeg-decoder` at 1/8 scale without colour conversion, for images without chroma
    /// subsampling. (Its "no conversion" output is planar per row — each row holds component
    /// 0's samples, then component 1's, … — and it panics on subsampled images.)
    fn reference(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
        let mut d = Decoder::new(bytes);
        d.set_color_transform(ColorTransform::None);
        d.read_info().unwrap();
        d.scale(1, 1).unwrap();
        let data = d.decode().unwrap();
        let info = d.info().unwrap();
        let (w, h) = (usize::from(info.width), usize::from(info.height));
        let n = data.len() / (w * h);
        let mut interleaved = Vec::with_capacity(data.len());
        for row in data.chunks_exact(w * n) {
            for x in 0..w {
                interleaved.extend((0..n).map(|c| row[c * w + x]));
            }
        }
        (w, h, interleaved)
    }

    fn ycc(id: [u8; 3], sampling: [(u8, u8); 3]) -> Vec<(u8, u8, u8)> {
        (0..3)
            .map(|i| (id[i], sampling[i].0, sampling[i].1))
            .collect()
    }

    #[test]
    fn hand_built_jpegs_decode_to_their_block_means() {
        let sizes = [(8, 8), (1, 1), (37, 23), (64, 48), (100, 7), (129, 257)];
        let samplings = [
            [(1, 1), (1, 1), (1, 1)],
            [(2, 2), (1, 1), (1, 1)],
            [(2, 1), (1, 1), (1, 1)],
            [(1, 2), (1, 1), (1, 1)],
            [(4, 1), (1, 1), (1, 1)],
            [(2, 2), (2, 1), (1, 2)],
        ];
        let mut checked = 0;
        for &(width, height) in &sizes {
            for restart in [0, 1, 3, 7] {
                for interleaved in [true, false] {
                    for sampling in samplings {
                        let spec = Spec {
                            width,
                            height,
                            components: ycc([1, 2, 3], sampling),
                            restart,
                            interleaved,
                            jfif: true,
                            adobe: None,
                        };
                        let bytes = build(&spec);
                        let dc = decode(&bytes).unwrap_or_else(|| {
                            panic!("{width}x{height} rst {restart} il {interleaved} {sampling:?}")
                        });
                        assert_eq!(dc.colour, Colour::YCbCr);
                        let (gw, gh, raw) = dc.raw();
                        assert_eq!(
                            (gw, gh),
                            (
                                usize::from(width).div_ceil(8),
                                usize::from(height).div_ceil(8)
                            )
                        );
                        assert_eq!(
                            raw,
                            expected(&spec),
                            "{width}x{height} rst {restart} il {interleaved} {sampling:?}"
                        );
                        if sampling == [(1, 1); 3] {
                            assert_eq!(reference(&bytes), (gw, gh, raw));
                        }
                        checked += 1;
                    }
                }
            }
            // Greyscale, with and without restarts; sampling factors of a lone component are
            // ignored.
            for (restart, hv) in [(0, 1), (2, 2), (5, 1)] {
                let spec = Spec {
                    width,
                    height,
                    components: vec![(1, hv, hv)],
                    restart,
                    interleaved: true,
                    jfif: false,
                    adobe: None,
                };
                let bytes = build(&spec);
                let dc = decode(&bytes).expect("grey decodes");
                assert_eq!(dc.colour, Colour::Grey);
                assert_eq!(dc.raw().2, expected(&spec));
                assert_eq!(dc.raw().2, reference(&bytes).2);
                checked += 1;
            }
        }
        assert!(checked > 200);
    }

    #[test]
    fn colour_space_markers() {
        let spec = |ids: [u8; 3], jfif, adobe| Spec {
            width: 16,
            height: 16,
            components: ycc(ids, [(1, 1); 3]),
            restart: 0,
            interleaved: true,
            jfif,
            adobe,
        };
        let colour = |s: Spec| decode(&build(&s)).map(|d| d.colour);
        assert_eq!(colour(spec([1, 2, 3], false, None)), Some(Colour::YCbCr));
        assert_eq!(colour(spec(*b"RGB", false, None)), Some(Colour::Rgb));
        assert_eq!(colour(spec([0, 1, 2], false, Some(0))), Some(Colour::Rgb));
        assert_eq!(colour(spec([0, 1, 2], false, Some(1))), Some(Colour::YCbCr));
        assert_eq!(colour(spec([0, 1, 2], true, Some(0))), Some(Colour::YCbCr));
        assert_eq!(colour(spec([0, 1, 2], false, None)), Some(Colour::YCbCr));
        // Left to jpeg-decoder.
        assert_eq!(colour(spec([0, 1, 2], false, Some(2))), None);
        assert_eq!(colour(spec([1, 34, 35], false, None)), None);
    }

    #[test]
    fn rejects_what_it_does_not_handle() {
        let good = build(&Spec {
            width: 40,
            height: 24,
            components: ycc([1, 2, 3], [(2, 2), (1, 1), (1, 1)]),
            restart: 2,
            interleaved: true,
            jfif: true,
            adobe: None,
        });
        assert!(decode(&good).is_some());
        // Every truncation is refused (the full decoder then reports it).
        for len in 0..good.len() - 2 {
            assert!(decode(&good[..len]).is_none(), "truncated at {len}");
        }
        // Progressive SOF2 instead of SOF0.
        let sof = good.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        let mut progressive = good.clone();
        progressive[sof + 1] = 0xC2;
        assert!(decode(&progressive).is_none());
        // A wrong restart marker number.
        let rst = good.windows(2).position(|w| w == [0xFF, 0xD0]).unwrap();
        let mut bad_rst = good.clone();
        bad_rst[rst + 1] = 0xD3;
        assert!(decode(&bad_rst).is_none());
        // A DC category above 11.
        let mut counts = [0u8; 16];
        counts[0] = 1;
        let table = Huffman::new(&counts, &[12]).unwrap();
        let ac = Huffman::new(&counts, &[0]).unwrap();
        let data = [0u8; 16];
        let mut bits = BitReader::new(&data, 0);
        assert_eq!(bits.block_dc(&table, &ac, &mut 0), None);
    }

    fn encoder_jpeg(w: u32, h: u32, seed: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            let v = x.wrapping_mul(31) ^ y.wrapping_mul(17) ^ seed;
            image::Rgb([
                (v % 251) as u8,
                (v / 3 % 241) as u8,
                (x * 255 / w.max(1)) as u8,
            ])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn matches_jpeg_decoder_on_encoder_output() {
        for (i, (w, h)) in [(1, 1), (9, 9), (200, 100), (333, 77), (640, 480)]
            .into_iter()
            .enumerate()
        {
            let bytes = encoder_jpeg(w, h, i as u32);
            let dc = decode(&bytes).expect("fast path applies");
            assert_eq!(dc.raw(), reference(&bytes), "{w}x{h}");
            // And the facts agree with the full decoder's.
            let fast = facts(&bytes).unwrap();
            let slow = crate::material::jpeg::scaled_decode(&bytes).unwrap();
            assert_eq!(fast, slow, "{w}x{h}");
        }
    }

    #[test]
    fn huffman_tables() {
        // Over-subscribed: three one-bit codes.
        let mut counts = [0u8; 16];
        counts[0] = 3;
        assert!(Huffman::new(&counts, &[0, 1, 2]).is_none());
        // Empty.
        assert!(Huffman::new(&[0; 16], &[]).is_none());
        // Longest codes go through the slow path.
        let mut counts = [0u8; 16];
        counts[15] = 1;
        counts[0] = 1;
        let table = Huffman::new(&counts, &[7, 9]).unwrap();
        // The codes are "0" (symbol 7) and "1000000000000000" (symbol 9); "11…" is no code.
        let data = [0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        let mut bits = BitReader::new(&data, 0);
        bits.refill();
        assert_eq!(bits.symbol(&table), Some(7));
        assert_eq!(bits.symbol(&table), Some(9));
        let data = [0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        let mut bits = BitReader::new(&data, 0);
        bits.refill();
        assert_eq!(bits.symbol(&table), None);
    }

    #[test]
    fn agrees_with_jpeg_decoder_on_sample_materials() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/spec/examples/materials"
        );
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                continue;
            }
            let fast = facts(&bytes).expect("samples are baseline JPEGs");
            let slow = crate::material::jpeg::scaled_decode(&bytes).unwrap();
            assert_eq!(fast, slow);
            seen += 1;
        }
        assert!(seen >= 10);
    }

    #[test]
    fn progressive_jpegs_fall_back_to_jpeg_decoder() {
        for sampling in [[(1, 1); 3], [(2, 2), (1, 1), (1, 1)]] {
            let spec = Spec {
                width: 77,
                height: 50,
                components: ycc([1, 2, 3], sampling),
                restart: 0,
                interleaved: true,
                jfif: true,
                adobe: None,
            };
            let progressive = build_with(&spec, true);
            assert!(decode(&progressive).is_none());
            let slow = crate::material::jpeg::facts(&progressive).expect("jpeg-decoder decodes it");
            let fast = facts(&build(&spec)).expect("baseline twin");
            assert_eq!((slow.width, slow.height), (77, 50));
            if sampling == [(1, 1); 3] {
                assert_eq!(slow, fast);
                // Same samples as the baseline twin.
                assert_eq!(
                    reference(&progressive),
                    decode(&build(&spec)).unwrap().raw()
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Corrupted subsampled, restart-interval JPEGs never panic the fast path, and whatever
        /// it accepts has the declared dimensions.
        #[test]
        fn corrupted_input_never_panics(
            edits in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 1..12),
            cut in 0usize..4096,
        ) {
            let mut bytes = build(&Spec {
                width: 61,
                height: 45,
                components: ycc([1, 2, 3], [(2, 2), (1, 1), (1, 1)]),
                restart: 3,
                interleaved: true,
                jfif: true,
                adobe: None,
            });
            for (at, value) in edits {
                let i = at % bytes.len();
                bytes[i] = value;
            }
            if cut < bytes.len() && cut % 3 == 0 {
                bytes.truncate(cut);
            }
            if let Some(dc) = decode(&bytes) {
                let (gw, gh, raw) = dc.raw();
                proptest::prop_assert_eq!(raw.len(), gw * gh * dc.components.len());
            }
            let _ = facts(&bytes);
        }
    }
}
