//! Pictures: their format told by content (PNG, JPEG, GIF, BMP, TIFF,
//! JBIG2, an OFD document), their size from the header (bounded before
//! use), and a `data:` URI a browser and resvg both draw. BMP, TIFF and
//! JBIG2 are decoded and re-encoded as PNG (the `png` crate; TIFF by the
//! `tiff` crate, JBIG2 by `hayro-jbig2`), each refusing a picture of more
//! than the drawing's `max_image_pixels` before decoding it.

#[allow(unused_imports)]
use crate::prelude::*;

// The `tiff` decoder reads through `std::io` (the render module links the
// standard library; the verifying module never builds this file).
extern crate std;

/// A picture format, by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    Bmp,
    /// A zip: an OFD document (seal pictures of type `ofd`).
    Ofd,
    /// JBIG2 (`Format="GBIG2"`, fax-like bilevel images): a file with its
    /// header, or an embedded stream without one.
    Jbig2,
    Tiff,
    Unknown,
}

impl Format {
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Format::Png
        } else if bytes.starts_with(b"\xFF\xD8\xFF") {
            Format::Jpeg
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Format::Gif
        } else if bytes.starts_with(b"BM") && bytes.len() > 26 {
            Format::Bmp
        } else if bytes.starts_with(b"PK\x03\x04") {
            Format::Ofd
        } else if bytes.starts_with(b"\x97JB2\r\n\x1a\n") {
            Format::Jbig2
        } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            Format::Tiff
        } else {
            Format::Unknown
        }
    }

    /// What a declared format (`MultiMedia@Format`, the seal's picture
    /// type) names, for pictures whose content says nothing (embedded
    /// JBIG2 streams have no file header).
    pub fn declared(name: &str) -> Format {
        match name.trim().to_ascii_lowercase().as_str() {
            "png" => Format::Png,
            "jpg" | "jpeg" => Format::Jpeg,
            "gif" => Format::Gif,
            "bmp" => Format::Bmp,
            "ofd" => Format::Ofd,
            "gbig2" | "jbig2" | "jb2" => Format::Jbig2,
            "tif" | "tiff" => Format::Tiff,
            _ => Format::Unknown,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::Bmp => "BMP",
            Format::Ofd => "OFD",
            Format::Jbig2 => "JBIG2",
            Format::Tiff => "TIFF",
            Format::Unknown => "unknown",
        }
    }
}

fn be16(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?])))
}
fn le16(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u16::from_le_bytes([*b.get(i)?, *b.get(i + 1)?])))
}
fn be32(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u32::from_be_bytes(
        b.get(i..i + 4)?.try_into().ok()?,
    )))
}
fn le32(b: &[u8], i: usize) -> Option<i64> {
    Some(i64::from(i32::from_le_bytes(
        b.get(i..i + 4)?.try_into().ok()?,
    )))
}

/// Width and height in pixels from the header, if it can be read.
pub fn dimensions(format: Format, b: &[u8]) -> Option<(u64, u64)> {
    match format {
        Format::Png => Some((be32(b, 16)?, be32(b, 20)?)),
        Format::Gif => Some((le16(b, 6)?, le16(b, 8)?)),
        Format::Bmp => Some((le32(b, 18)?.unsigned_abs(), le32(b, 22)?.unsigned_abs())),
        Format::Jpeg => {
            // The first start-of-frame marker.
            let mut i = 2;
            while i + 9 < b.len() {
                if b[i] != 0xFF {
                    return None;
                }
                let marker = b[i + 1];
                if marker == 0xFF {
                    i += 1;
                    continue;
                }
                let len = be16(b, i + 2)? as usize;
                if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
                    return Some((be16(b, i + 7)?, be16(b, i + 5)?));
                }
                i += 2 + len;
            }
            None
        }
        Format::Tiff => {
            let (w, h) = tiff_decoder(b)?.dimensions().ok()?;
            Some((u64::from(w), u64::from(h)))
        }
        Format::Jbig2 => {
            let mut size = None;
            with_jbig2_page(b, |page| {
                size = Some((u64::from(page.width()), u64::from(page.height())))
            });
            size
        }
        _ => None,
    }
}

/// A `data:` URI for a picture an SVG viewer draws, or `None` for a
/// format it cannot, a picture that does not decode, or one of more than
/// `max_pixels` (the caller draws a labelled box instead; it has checked
/// [`dimensions`] against its budget first, with its error).
pub fn data_uri(format: Format, bytes: &[u8], max_pixels: u64) -> Option<String> {
    if let Some((w, h)) = dimensions(format, bytes)
        && w.saturating_mul(h) > max_pixels
    {
        return None;
    }
    let (mime, data) = match format {
        Format::Png => ("image/png", None),
        Format::Jpeg => ("image/jpeg", None),
        Format::Gif => ("image/gif", None),
        Format::Bmp => ("image/png", Some(bmp_to_png(bytes)?)),
        Format::Tiff => ("image/png", Some(tiff_to_png(bytes, max_pixels)?)),
        Format::Jbig2 => ("image/png", Some(jbig2_to_png(bytes, max_pixels)?)),
        _ => return None,
    };
    let data = data.as_deref().unwrap_or(bytes);
    Some(format!("data:{mime};base64,{}", crate::b64::encode(data)))
}

fn tiff_decoder(b: &[u8]) -> Option<tiff::decoder::Decoder<std::io::Cursor<&[u8]>>> {
    tiff::decoder::Decoder::new(std::io::Cursor::new(b)).ok()
}

/// The first image of a TIFF file as PNG: gray (1, 2, 4, 8 or 16 bits),
/// gray and alpha, RGB, RGBA or CMYK (8 or 16 bits), uncompressed or
/// PackBits, LZW, Deflate or CCITT fax; `None` for the others (palette,
/// YCbCr, floating point, JPEG inside TIFF) and for more than
/// `max_pixels`.
pub fn tiff_to_png(b: &[u8], max_pixels: u64) -> Option<Vec<u8>> {
    use tiff::ColorType as C;
    use tiff::decoder::DecodingResult;
    let mut d = tiff_decoder(b)?;
    let (w, h) = d.dimensions().ok()?;
    let pixels = u64::from(w).checked_mul(u64::from(h))?;
    if pixels == 0 || pixels > max_pixels {
        return None;
    }
    let color = d.colortype().ok()?;
    // 16-bit samples by their high byte.
    let samples: Vec<u8> = match d.read_image().ok()? {
        DecodingResult::U8(v) => v,
        DecodingResult::U16(v) => v.iter().map(|x| x.to_be_bytes()[0]).collect(),
        _ => return None,
    };
    let (wu, hu) = (w as usize, h as usize);
    let n = wu.checked_mul(hu)?;
    let mut rgba = Vec::with_capacity(n.checked_mul(4)?);
    match color {
        C::Gray(bits @ (1 | 2 | 4)) => {
            let bits = usize::from(bits);
            let stride = (wu.checked_mul(bits)?).div_ceil(8);
            let max = (1u16 << bits) - 1;
            for y in 0..hu {
                let row = samples.get(y * stride..y * stride + stride)?;
                for x in 0..wu {
                    let at = x * bits;
                    let v = (row[at / 8] >> (8 - bits - at % 8)) & (max as u8);
                    let g = (u16::from(v) * 255 / max) as u8;
                    rgba.extend_from_slice(&[g, g, g, 255]);
                }
            }
        }
        C::Gray(8 | 16) => {
            for &g in samples.get(..n)? {
                rgba.extend_from_slice(&[g, g, g, 255]);
            }
        }
        C::GrayA(8 | 16) => {
            for p in samples.get(..n * 2)?.chunks_exact(2) {
                rgba.extend_from_slice(&[p[0], p[0], p[0], p[1]]);
            }
        }
        C::RGB(8 | 16) => {
            for p in samples.get(..n * 3)?.chunks_exact(3) {
                rgba.extend_from_slice(&[p[0], p[1], p[2], 255]);
            }
        }
        C::RGBA(8 | 16) => rgba.extend_from_slice(samples.get(..n * 4)?),
        C::CMYK(8 | 16) => {
            let ink = |c: u8, k: u8| ((255 - u16::from(c)) * (255 - u16::from(k)) / 255) as u8;
            for p in samples.get(..n * 4)?.chunks_exact(4) {
                rgba.extend_from_slice(&[ink(p[0], p[3]), ink(p[1], p[3]), ink(p[2], p[3]), 255]);
            }
        }
        _ => return None,
    }
    png(w, h, png::ColorType::Rgba, png::BitDepth::Eight, &rgba)
}

/// Calls `f` with the first page of a JBIG2 picture: a file (with its
/// header), else an embedded stream (segments without a file header, as
/// PDF and some OFD writers keep them).
fn with_jbig2_page(b: &[u8], f: impl FnOnce(&hayro_jbig2::Page<'_>)) {
    let settings = hayro_jbig2::DecodeSettings::default();
    if b.starts_with(b"\x97JB2\r\n\x1a\n") {
        if let Ok(file) = hayro_jbig2::File::new(b, &settings)
            && let Some(page) = file.page(0)
        {
            f(&page);
        }
    } else if let Ok(page) = hayro_jbig2::Page::new_embedded(b, None, &settings) {
        f(&page);
    }
}

/// The first page of a JBIG2 picture as a 1-bit gray PNG (black where
/// JBIG2 says black, white elsewhere); `None` when it does not decode or
/// has more than `max_pixels`.
pub fn jbig2_to_png(b: &[u8], max_pixels: u64) -> Option<Vec<u8>> {
    let mut out = None;
    with_jbig2_page(b, |page| {
        let (w, h) = (page.width(), page.height());
        let pixels = u64::from(w) * u64::from(h);
        if pixels == 0 || pixels > max_pixels {
            return;
        }
        let mut rows = Bilevel::new(w as usize, h as usize);
        if page.decode(&mut rows).is_ok() {
            out = png(
                w,
                h,
                png::ColorType::Grayscale,
                png::BitDepth::One,
                &rows.finish(),
            );
        }
    });
    out
}

/// A JBIG2 page's pixels as PNG rows of 1 bit a pixel (1 white, 0 black),
/// never more than its width and height whatever the decoder pushes.
struct Bilevel {
    width: usize,
    height: usize,
    stride: usize,
    data: Vec<u8>,
    /// The row and column of the next pixel.
    y: usize,
    x: usize,
}

impl Bilevel {
    fn new(width: usize, height: usize) -> Bilevel {
        let stride = width.div_ceil(8);
        let mut data = Vec::with_capacity(stride.saturating_mul(height));
        data.resize(stride, 0xFF);
        Bilevel {
            width,
            height,
            stride,
            data,
            y: 0,
            x: 0,
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.data.resize(self.stride * self.height, 0xFF);
        self.data
    }
}

impl hayro_jbig2::Decoder for Bilevel {
    fn push_pixel(&mut self, black: bool) {
        if black && self.x < self.width && self.y < self.height {
            let at = self.y * self.stride + self.x / 8;
            self.data[at] &= !(0x80 >> (self.x % 8));
        }
        self.x = self.x.saturating_add(1);
    }

    fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
        let n = (chunk_count as usize).saturating_mul(8);
        let inside = n.min(self.width.saturating_sub(self.x));
        if black {
            for _ in 0..inside {
                self.push_pixel(true);
            }
            self.x = self.x.saturating_add(n - inside);
        } else {
            // White is what a row starts as.
            self.x = self.x.saturating_add(n);
        }
    }

    fn next_line(&mut self) {
        self.x = 0;
        self.y = self.y.saturating_add(1);
        if self.y < self.height {
            self.data.resize((self.y + 1) * self.stride, 0xFF);
        }
    }
}

/// A PNG of rows of pixels (no filter bytes), by the `png` crate.
fn png(
    w: u32,
    h: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    rows: &[u8],
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(color);
    encoder.set_depth(depth);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(rows).ok()?;
    writer.finish().ok()?;
    Some(out)
}

/// An uncompressed BMP (1, 4, 8, 24 or 32 bits per pixel, palette or
/// not) as an RGBA PNG; `None` for compressed or malformed ones. The size
/// has been bounded by the caller.
pub fn bmp_to_png(b: &[u8]) -> Option<Vec<u8>> {
    let offset = le32(b, 10)? as usize;
    let header = le32(b, 14)? as usize;
    let width = le32(b, 18)?;
    let height = le32(b, 22)?;
    let bpp = le16(b, 28)? as usize;
    let compression = if header >= 40 { le32(b, 30)? } else { 0 };
    if width <= 0 || height == 0 || !(compression == 0 || compression == 3 && bpp == 32) {
        return None;
    }
    let (w, h) = (width as usize, height.unsigned_abs() as usize);
    let top_down = height < 0;
    let stride = (w.checked_mul(bpp)?.div_ceil(32)) * 4;
    let palette_at = 14 + header;
    let palette = |i: usize| -> Option<[u8; 4]> {
        let p = b.get(palette_at + i * 4..palette_at + i * 4 + 4)?;
        Some([p[2], p[1], p[0], 255])
    };
    let mut raw = Vec::with_capacity(h.checked_mul(w * 4)?);
    for y in 0..h {
        let src_row = if top_down { y } else { h - 1 - y };
        let row = b.get(offset + src_row * stride..offset + src_row * stride + stride)?;
        for x in 0..w {
            let px = match bpp {
                32 => {
                    let p = row.get(x * 4..x * 4 + 4)?;
                    [p[2], p[1], p[0], 255]
                }
                24 => {
                    let p = row.get(x * 3..x * 3 + 3)?;
                    [p[2], p[1], p[0], 255]
                }
                8 => palette(usize::from(*row.get(x)?))?,
                4 => {
                    let v = row.get(x / 2)?;
                    palette(usize::from(if x % 2 == 0 { v >> 4 } else { v & 15 }))?
                }
                1 => {
                    let v = row.get(x / 8)?;
                    palette(usize::from((v >> (7 - x % 8)) & 1))?
                }
                _ => return None,
            };
            raw.extend_from_slice(&px);
        }
    }
    png(
        w as u32,
        h as u32,
        png::ColorType::Rgba,
        png::BitDepth::Eight,
        &raw,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bmp_becomes_png() {
        // 2×1, 24 bits: red, blue (bottom-up, rows padded to 4 bytes).
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 8]);
        bmp.extend_from_slice(&54u32.to_le_bytes());
        bmp.extend_from_slice(&40u32.to_le_bytes());
        bmp.extend_from_slice(&2i32.to_le_bytes());
        bmp.extend_from_slice(&1i32.to_le_bytes());
        bmp.extend_from_slice(&1u16.to_le_bytes());
        bmp.extend_from_slice(&24u16.to_le_bytes());
        bmp.extend_from_slice(&[0; 24]);
        bmp.extend_from_slice(&[0, 0, 255, 255, 0, 0, 0, 0]);
        assert_eq!(Format::sniff(&bmp), Format::Bmp);
        assert_eq!(dimensions(Format::Bmp, &bmp), Some((2, 1)));
        let png = bmp_to_png(&bmp).unwrap();
        assert_eq!(Format::sniff(&png), Format::Png);
        assert_eq!(dimensions(Format::Png, &png), Some((2, 1)));
        let mut truncated = bmp.clone();
        truncated.truncate(57);
        assert_eq!(bmp_to_png(&truncated), None);
    }
}

#[cfg(test)]
mod decoded {
    use super::*;

    /// The rows of a PNG, decoded by the `png` crate: (width, height, bytes).
    fn rows(png_bytes: &[u8]) -> (u32, u32, png::ColorType, Vec<u8>) {
        let mut reader = png::Decoder::new(png_bytes).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.width, info.height, info.color_type, buf)
    }

    /// A JBIG2 file: 8×2, one generic region coded with MMR (T.6): row 0
    /// white 2, black 4, white 2 (horizontal mode, then V0); row 1 white
    /// (pass mode, then V0).
    fn jbig2_file(mmr: &[u8]) -> Vec<u8> {
        let segment = |number: u32, kind: u8, data: &[u8]| {
            let mut s = number.to_be_bytes().to_vec();
            s.extend_from_slice(&[kind, 0, 1]);
            s.extend_from_slice(&(data.len() as u32).to_be_bytes());
            s.extend_from_slice(data);
            s
        };
        let mut page = Vec::new();
        for v in [8u32, 2, 0, 0] {
            page.extend_from_slice(&v.to_be_bytes());
        }
        page.extend_from_slice(&[0, 0, 0]);
        let mut region = Vec::new();
        for v in [8u32, 2, 0, 0] {
            region.extend_from_slice(&v.to_be_bytes());
        }
        region.extend_from_slice(&[0, 1]);
        region.extend_from_slice(mmr);
        let mut f = b"\x97JB2\r\n\x1a\n\x01".to_vec();
        f.extend_from_slice(&1u32.to_be_bytes());
        f.extend(segment(0, 48, &page));
        f.extend(segment(1, 38, &region));
        f.extend(segment(2, 49, &[]));
        f
    }

    #[test]
    fn jbig2_becomes_png() {
        let file = jbig2_file(&[0x2E, 0xE3]);
        assert_eq!(Format::sniff(&file), Format::Jbig2);
        assert_eq!(dimensions(Format::Jbig2, &file), Some((8, 2)));
        let (w, h, color, data) = rows(&jbig2_to_png(&file, 100).unwrap());
        assert_eq!((w, h, color), (8, 2, png::ColorType::Grayscale));
        assert_eq!(data, [0b1100_0011, 0xFF], "black where JBIG2 says black");
        // Past the bound: not decoded.
        assert_eq!(jbig2_to_png(&file, 15), None);
        assert_eq!(data_uri(Format::Jbig2, &file, 15), None);
        assert!(
            data_uri(Format::Jbig2, &file, 16)
                .unwrap()
                .starts_with("data:image/png;base64,")
        );
        // Cut short: no picture, no panic.
        for n in 0..file.len() {
            let _ = jbig2_to_png(&file[..n], 100);
        }
    }

    /// An uncompressed 8-bit gray TIFF, `width`×1, little-endian.
    fn tiff_gray(pixels: &[u8], photometric: u16) -> Vec<u8> {
        let entries: [(u16, u16, u32); 8] = [
            (256, 4, pixels.len() as u32), // ImageWidth
            (257, 4, 1),                   // ImageLength
            (258, 3, 8),                   // BitsPerSample
            (259, 3, 1),                   // Compression: none
            (262, 3, u32::from(photometric)),
            (273, 4, 8 + 2 + 8 * 12 + 4),  // StripOffsets: after the IFD
            (278, 4, 1),                   // RowsPerStrip
            (279, 4, pixels.len() as u32), // StripByteCounts
        ];
        let mut t = b"II*\0".to_vec();
        t.extend_from_slice(&8u32.to_le_bytes());
        t.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, kind, value) in entries {
            t.extend_from_slice(&tag.to_le_bytes());
            t.extend_from_slice(&kind.to_le_bytes());
            t.extend_from_slice(&1u32.to_le_bytes());
            if kind == 3 {
                t.extend_from_slice(&(value as u16).to_le_bytes());
                t.extend_from_slice(&[0, 0]);
            } else {
                t.extend_from_slice(&value.to_le_bytes());
            }
        }
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(pixels);
        t
    }

    #[test]
    fn tiff_becomes_png() {
        let t = tiff_gray(&[0, 128, 255], 1);
        assert_eq!(Format::sniff(&t), Format::Tiff);
        assert_eq!(dimensions(Format::Tiff, &t), Some((3, 1)));
        let (w, h, color, data) = rows(&tiff_to_png(&t, 100).unwrap());
        assert_eq!((w, h, color), (3, 1, png::ColorType::Rgba));
        assert_eq!(data, [0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
        // WhiteIsZero: inverted by the decoder.
        let (_, _, _, data) = rows(&tiff_to_png(&tiff_gray(&[0, 255], 0), 100).unwrap());
        assert_eq!(data, [255, 255, 255, 255, 0, 0, 0, 255]);
        assert_eq!(tiff_to_png(&t, 2), None, "past the bound");
        assert_eq!(data_uri(Format::Tiff, &t, 2), None);
        for n in 0..t.len() {
            let _ = tiff_to_png(&t[..n], 100);
        }
    }
}
