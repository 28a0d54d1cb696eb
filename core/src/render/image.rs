//! Pictures: their format told by content (PNG, JPEG, GIF, BMP, an OFD
//! document; JBIG2 and TIFF are known but not decoded), their size from
//! the header (bounded before use), and a `data:` URI a browser and resvg
//! both draw. BMP is converted to PNG (resvg draws no BMP).

#[allow(unused_imports)]
use crate::prelude::*;

/// A picture format, by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    Bmp,
    /// A zip: an OFD document (seal pictures of type `ofd`).
    Ofd,
    /// JBIG2 (`Format="GBIG2"`, fax-like bilevel images): not decoded.
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
        _ => None,
    }
}

/// A `data:` URI for a picture an SVG viewer draws, or `None` for a
/// format it cannot (the caller draws a labelled box instead).
pub fn data_uri(format: Format, bytes: &[u8]) -> Option<String> {
    let (mime, data) = match format {
        Format::Png => ("image/png", None),
        Format::Jpeg => ("image/jpeg", None),
        Format::Gif => ("image/gif", None),
        Format::Bmp => ("image/png", Some(bmp_to_png(bytes)?)),
        _ => return None,
    };
    let data = data.as_deref().unwrap_or(bytes);
    Some(format!("data:{mime};base64,{}", crate::b64::encode(data)))
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
    let mut raw = Vec::with_capacity(h.checked_mul(w * 4 + 1)?);
    for y in 0..h {
        let src_row = if top_down { y } else { h - 1 - y };
        let row = b.get(offset + src_row * stride..offset + src_row * stride + stride)?;
        raw.push(0u8);
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
    Some(png_rgba(w as u32, h as u32, &raw))
}

/// An RGBA PNG of filtered scanlines (filter byte 0 before each row).
pub fn png_rgba(w: u32, h: u32, raw: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(raw, 6),
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc_input);
    out.extend_from_slice(&crate::ofd::zip::crc32(&crc_input).to_be_bytes());
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
