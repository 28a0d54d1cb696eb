//! What a reader sees (spec "Coverage"): the parts of the opened document
//! that must each be covered by a reference of a signature that is itself
//! VALID.
//!
//! The parts, from `DocRoot`'s `Document.xml`:
//! - `Document.xml` itself;
//! - every page (`Pages/Page@BaseLoc`) and every template page
//!   (`CommonData/TemplatePage@BaseLoc`): their `Content.xml`;
//! - the resource files: `CommonData/PublicRes`, `CommonData/DocumentRes`,
//!   and each page's and template's `PageRes`;
//! - the files those resource files name: `Font/FontFile`,
//!   `MultiMedia/MediaFile` (images, audio, video) and `ColorSpace@Profile`
//!   (ICC profiles);
//! - the annotations shown on pages: the `Annotations` list and each
//!   `Page/FileLoc` it names.
//!
//! Attachments and custom tags are not shown as page content; they are
//! reported (`attachments[].covered`) and warned about instead.
//!
//! Paths are read every way a reader might read them, and each reading that
//! names a part of the package is required: relative to the referring file,
//! relative to the document's directory and from the package root; for
//! resource data files also under the resource file's `BaseLoc`. A path
//! naming no part adds nothing (nothing is shown). Parts are found with
//! [`Package::name`], so case and `.`/`//` variants name one part only.

#[allow(unused_imports)]
use crate::prelude::*;

use super::package::{self, Package, children};
use crate::options::Limits;
use crate::xml::Node;

/// The parts a reader of the document shows, and the XML parts among them
/// this verifier could not read (what they use is then unknown).
#[derive(Debug, Default)]
pub struct Required {
    /// Part names (as in the zip), in the order found, each once.
    pub parts: Vec<String>,
    pub unreadable: Vec<String>,
}

struct Walk<'p, 'a> {
    package: &'p Package<'a>,
    limits: &'p Limits,
    doc_root: &'p str,
    out: Required,
}

impl Walk<'_, '_> {
    /// Adds the part `path` names, if any; its name when it was new.
    fn add(&mut self, path: &str) -> Option<String> {
        let name = self.package.name(path)?.to_string();
        // The names are the package's: one exact comparison finds a part
        // added before (at most one per zip entry).
        if !self.out.parts.contains(&name) {
            self.out.parts.push(name.clone());
            Some(name)
        } else {
            None
        }
    }

    /// Every part `loc`, written in the file `base`, may name.
    fn readings(&self, base: &str, loc: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let absolute = loc.trim().replace('\\', "/").starts_with('/');
        let bases: &[&str] = if absolute {
            &[""]
        } else {
            &[base, self.doc_root, ""]
        };
        for b in bases {
            if let Some(p) = package::resolve(b, loc)
                && let Some(name) = self.package.name(&p)
                && !out.iter().any(|o| o == name)
            {
                out.push(name.to_string());
            }
        }
        out
    }

    /// Adds every reading of `loc`; returns the new parts.
    fn add_loc(&mut self, base: &str, loc: &str) -> Vec<String> {
        self.readings(base, loc)
            .iter()
            .filter_map(|p| self.add(p))
            .collect()
    }

    /// Looks into an XML part; an unreadable one is noted (what it uses
    /// is then unknown).
    fn parse<R>(&mut self, name: &str, f: impl FnOnce(Node<'_, '_>) -> R) -> Option<R> {
        let parsed = self.package.read(name).ok().and_then(|bytes| {
            let doc = package::parse_xml(&bytes, name, self.limits).ok()?;
            Some(f(doc.root_element()))
        });
        if parsed.is_none() {
            self.out.unreadable.push(name.to_string());
        }
        parsed
    }

    /// A page or template page: its resource files.
    fn page(&mut self, base: &str, loc: &str) {
        for page in self.add_loc(base, loc) {
            let res: Vec<String> = self
                .parse(&page, |root| {
                    children(root, "PageRes")
                        .map(|r| r.text().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            for r in res {
                self.res(&page, &r);
            }
        }
    }

    /// A resource file: the font, media and colour profile files it names.
    fn res(&mut self, base: &str, loc: &str) {
        for res in self.add_loc(base, loc) {
            let files: Vec<(Option<String>, String)> = self
                .parse(&res, |root| {
                    let res_base = root.attribute("BaseLoc").map(str::to_string);
                    root.descendants()
                        .filter(|n| n.is_element())
                        .filter_map(|n| match n.tag_name().name() {
                            "FontFile" | "MediaFile" => n.text().map(str::to_string),
                            "ColorSpace" => n.attribute("Profile").map(str::to_string),
                            _ => None,
                        })
                        .map(|f| (res_base.clone(), f))
                        .collect()
                })
                .unwrap_or_default();
            for (res_base, file) in files {
                if file.trim().is_empty() {
                    continue;
                }
                self.add_loc(&res, &file);
                if let Some(b) = res_base.filter(|b| !b.trim().is_empty()) {
                    let under =
                        format!("{}/{}", b.trim().trim_end_matches(['/', '\\']), file.trim());
                    self.add_loc(&res, &under);
                }
            }
        }
    }

    /// The `Annotations` list and the annotation files it names.
    fn annotations(&mut self, loc: &str) {
        let doc_root = self.doc_root.to_string();
        for list in self.add_loc(&doc_root, loc) {
            let files: Vec<String> = self
                .parse(&list, |root| {
                    children(root, "Page")
                        .flat_map(|p| children(p, "FileLoc"))
                        .map(|f| f.text().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            for f in files {
                self.add_loc(&list, &f);
            }
        }
    }
}

/// The parts the document at `doc_root` shows.
pub fn required(package: &Package<'_>, doc_root: &str, limits: &Limits) -> Required {
    let mut walk = Walk {
        package,
        limits,
        doc_root,
        out: Required::default(),
    };
    let Some(doc) = walk.add(doc_root) else {
        // DocRoot names no part: structure() refuses that before.
        return walk.out;
    };
    struct Lists {
        res: Vec<String>,
        pages: Vec<String>,
        annotations: Vec<String>,
    }
    let lists = walk.parse(&doc, |root| {
        let mut l = Lists {
            res: Vec::new(),
            pages: Vec::new(),
            annotations: Vec::new(),
        };
        for common in children(root, "CommonData") {
            for name in ["PublicRes", "DocumentRes"] {
                l.res
                    .extend(children(common, name).map(|r| r.text().unwrap_or("").to_string()));
            }
            l.pages.extend(
                children(common, "TemplatePage")
                    .filter_map(|t| t.attribute("BaseLoc").map(str::to_string)),
            );
        }
        for pages in children(root, "Pages") {
            l.pages.extend(
                children(pages, "Page").filter_map(|p| p.attribute("BaseLoc").map(str::to_string)),
            );
        }
        l.annotations
            .extend(children(root, "Annotations").map(|a| a.text().unwrap_or("").to_string()));
        l
    });
    let Some(lists) = lists else {
        return walk.out;
    };
    for r in &lists.res {
        walk.res(&doc, r);
    }
    for p in &lists.pages {
        walk.page(&doc, p);
    }
    for a in &lists.annotations {
        walk.annotations(a);
    }
    walk.out
}
