//! Resource files (`PublicRes`, `DocumentRes`, `PageRes`): fonts,
//! pictures (`MultiMedia`), drawing parameters and composite units, by ID.
//! Each resource remembers the part it is defined in and the data file it
//! names, so a drawn object is marked by every part it shows.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::collections::BTreeMap;

use super::image::Format;
use super::params::Params;
use crate::ofd::package::{self, Package, children};
use crate::options::Limits;

/// What a resource ID names.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Font {
        name: String,
        bold: bool,
        italic: bool,
        /// The embedded font file as a `data:` URI, when one is embedded
        /// in a format browsers load (TrueType, OpenType, WOFF).
        data: Option<String>,
    },
    Image {
        /// The declared format (`MultiMedia@Format`).
        declared: String,
    },
    DrawParam {
        params: Params,
        relative: Option<String>,
    },
    /// A `CompositeGraphicUnit`, read again from its part when drawn.
    Composite,
}

#[derive(Clone, Debug)]
pub(crate) struct Resource {
    pub kind: Kind,
    /// The resource file (name in the zip) defining it.
    pub part: String,
    /// The data file it names (font file, picture), if found.
    pub file: Option<String>,
}

/// Resources by ID.
#[derive(Clone, Debug, Default)]
pub(crate) struct Resources {
    pub map: BTreeMap<String, Resource>,
}

/// The part a location names, found as a reader would: relative to the
/// referring file, then to the document's directory, then from the root.
pub(crate) fn locate(pkg: &Package<'_>, base: &str, doc_root: &str, loc: &str) -> Option<String> {
    if loc.trim().is_empty() {
        return None;
    }
    [base, doc_root, ""]
        .iter()
        .filter_map(|b| package::resolve(b, loc))
        .find_map(|p| pkg.name(&p).map(str::to_string))
}

impl Resources {
    /// Adds the resources of the resource file `loc` (written in `base`).
    pub fn load(
        &mut self,
        pkg: &Package<'_>,
        limits: &Limits,
        base: &str,
        doc_root: &str,
        loc: &str,
    ) {
        let Some(part) = locate(pkg, base, doc_root, loc) else {
            return;
        };
        let Ok(bytes) = pkg.read(&part) else {
            return;
        };
        let Ok(doc) = package::parse_xml(&bytes, &part, limits) else {
            return;
        };
        let root = doc.root_element();
        let res_base = root.attribute("BaseLoc").unwrap_or("").trim();
        let file = |name: &str| -> Option<String> {
            let name = name.trim();
            if !res_base.is_empty() {
                let under = format!("{}/{}", res_base.trim_end_matches(['/', '\\']), name);
                if let Some(p) = locate(pkg, &part, doc_root, &under) {
                    return Some(p);
                }
            }
            locate(pkg, &part, doc_root, name)
        };
        for node in root.descendants().filter(|n| n.is_element()) {
            let Some(id) = node.attribute("ID").map(|i| i.trim().to_string()) else {
                continue;
            };
            let (kind, data_file) = match node.tag_name().name() {
                "Font" => {
                    let font_file = package::child_text(node, "FontFile").and_then(|f| file(&f));
                    let data = font_file.as_deref().and_then(|f| font_uri(pkg, f));
                    let name = node
                        .attribute("FontName")
                        .or(node.attribute("FamilyName"))
                        .unwrap_or("")
                        .to_string();
                    let yes = |a: &str| node.attribute(a) == Some("true");
                    (
                        Kind::Font {
                            name,
                            bold: yes("Bold"),
                            italic: yes("Italic"),
                            data,
                        },
                        font_file,
                    )
                }
                "MultiMedia" if node.attribute("Type").is_none_or(|t| t == "Image") => (
                    Kind::Image {
                        declared: node.attribute("Format").unwrap_or("").to_string(),
                    },
                    package::child_text(node, "MediaFile").and_then(|f| file(&f)),
                ),
                "DrawParam" => (
                    Kind::DrawParam {
                        params: Params::from_node(node),
                        relative: node.attribute("Relative").map(|r| r.trim().to_string()),
                    },
                    None,
                ),
                "CompositeGraphicUnit" => (Kind::Composite, None),
                _ => continue,
            };
            self.map.insert(
                id,
                Resource {
                    kind,
                    part: part.clone(),
                    file: data_file,
                },
            );
        }
    }

    pub fn get(&self, id: &str) -> Option<&Resource> {
        self.map.get(id.trim())
    }

    /// A `DrawParam` with its `Relative` chain applied (a cycle ends it),
    /// and the resource parts it was read from.
    pub fn draw_param(&self, id: &str) -> (Params, Vec<String>) {
        let mut out = Params::default();
        let mut parts = Vec::new();
        let mut next = Some(id.trim().to_string());
        let mut seen: Vec<String> = Vec::new();
        while let Some(id) = next.take() {
            if seen.contains(&id) || seen.len() > 16 {
                break;
            }
            let Some(Resource {
                kind: Kind::DrawParam { params, relative },
                part,
                ..
            }) = self.map.get(&id)
            else {
                break;
            };
            out = out.over(params);
            parts.push(part.clone());
            seen.push(id);
            next = relative.clone();
        }
        (out, parts)
    }
}

/// An embedded font as a `data:` URI, for the formats a browser loads.
fn font_uri(pkg: &Package<'_>, part: &str) -> Option<String> {
    let bytes = pkg.read(part).ok()?;
    let mime = match bytes.get(..4)? {
        [0, 1, 0, 0] | b"true" => "font/ttf",
        b"OTTO" => "font/otf",
        b"wOFF" => "font/woff",
        b"wOF2" => "font/woff2",
        _ => return None,
    };
    Some(format!("data:{mime};base64,{}", crate::b64::encode(&bytes)))
}

/// The fallback families for a font name: the usual system fonts for the
/// Chinese families (宋体, 楷体, 黑体, 仿宋) and common Latin ones, then a
/// generic family.
pub fn fallback(name: &str) -> &'static str {
    let n = name.to_ascii_lowercase();
    let has = |keys: &[&str]| keys.iter().any(|k| n.contains(k));
    if has(&["仿宋", "fangsong"]) {
        "FangSong,STFangsong,'Noto Serif CJK SC',serif"
    } else if has(&["楷", "kai"]) {
        "KaiTi,STKaiti,'Noto Serif CJK SC',serif"
    } else if has(&["黑", "hei", "yahei", "雅黑"]) {
        "SimHei,'Microsoft YaHei','Noto Sans CJK SC',sans-serif"
    } else if has(&["宋", "song"]) {
        "SimSun,'Songti SC','Noto Serif CJK SC',serif"
    } else if has(&["courier", "mono"]) {
        "'Courier New',Courier,'Noto Sans Mono',monospace"
    } else if has(&["arial", "helvetica", "sans"]) {
        "Arial,Helvetica,'Noto Sans CJK SC',sans-serif"
    } else if has(&["times"]) {
        "'Times New Roman',Times,'Noto Serif CJK SC',serif"
    } else {
        "SimSun,'Noto Serif CJK SC',serif"
    }
}

/// The format of a picture resource: by content, else as declared.
pub fn picture_format(bytes: &[u8], declared: &str) -> Format {
    match Format::sniff(bytes) {
        Format::Unknown => Format::declared(declared),
        f => f,
    }
}

/// The composite unit `id` in resource part `part`: re-read when drawn.
pub(crate) fn composite_children<R>(
    pkg: &Package<'_>,
    limits: &Limits,
    part: &str,
    id: &str,
    f: impl FnOnce(Option<(f64, f64)>, Option<crate::xml::Node<'_, '_>>) -> R,
) -> Option<R> {
    let bytes = pkg.read(part).ok()?;
    let doc = package::parse_xml(&bytes, part, limits).ok()?;
    let unit = doc.root_element().descendants().find(|n| {
        n.is_element()
            && n.tag_name().name() == "CompositeGraphicUnit"
            && n.attribute("ID").map(str::trim) == Some(id.trim())
    })?;
    let size = match (
        unit.attribute("Width")
            .and_then(|w| w.trim().parse::<f64>().ok()),
        unit.attribute("Height")
            .and_then(|h| h.trim().parse::<f64>().ok()),
    ) {
        (Some(w), Some(h)) => Some((w, h)),
        _ => None,
    };
    let content = children(unit, "Content").next();
    Some(f(size, content))
}
