//! Core reads XML with its own reader (`piaoyan_core::xml::reader`); it used
//! `roxmltree` 0.21 before. On every XML of the shared vectors and of the
//! OFD corpus, and on thousands of deterministic variations of them
//! (characters replaced or deleted, markup inserted, truncations), both
//! refuse the same documents, and where both accept they build the same
//! tree: node kinds, names, namespaces, attributes, decoded texts, byte
//! ranges. The reader refuses more only by the deliberate rules its module
//! documentation lists, and the input shows the construct each names.
//! The comparison itself is `fuzz/src/xml_diff.rs`, shared with the fuzz
//! target `xml_differential`.

#[path = "../../fuzz/src/xml_diff.rs"]
mod xml_diff;

use std::collections::BTreeMap;

use piaoyan_tests::ofd::{corpus, unzip};
use piaoyan_tests::vectors::{bills_dir, shared_dir};
use xml_diff::{Agreement, compare, mutations};

/// Bills larger than this (the vectors' size-bound cases) are compared
/// whole but not mutated.
const MAX_MUTATED: usize = 64 * 1024;

/// Every XML document of the vectors and the OFD corpus, as the core reads
/// it: after an optional byte-order mark, UTF-8 only.
fn documents() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |name: String, bytes: &[u8]| {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if let Ok(text) = std::str::from_utf8(body) {
            out.push((name, text.to_string()));
        }
    };
    let mut bills: Vec<_> = std::fs::read_dir(bills_dir())
        .expect("bills")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    bills.sort();
    for path in bills {
        let bytes = std::fs::read(&path).expect("bill");
        add(path.display().to_string(), &bytes);
    }
    let mut packages: Vec<_> = std::fs::read_dir(shared_dir().join("corpus/ofdrw"))
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".ofd"))
        .collect();
    packages.sort();
    for name in packages {
        for (part, bytes) in unzip(&corpus(&name)) {
            if part.to_ascii_lowercase().ends_with(".xml") {
                add(format!("{name}/{part}"), &bytes);
            }
        }
    }
    out
}

#[test]
fn the_reader_agrees_with_roxmltree_on_the_vectors_the_corpus_and_their_variations() {
    let docs = documents();
    assert!(docs.len() > 200, "only {} documents", docs.len());
    let mut accepted = 0;
    let mut refused = 0;
    let mut stricter: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut tally = |name: &str, text: &str| match compare(text) {
        Ok(Agreement::SameTree) => accepted += 1,
        Ok(Agreement::BothRefuse) => refused += 1,
        Ok(Agreement::Stricter(kind)) => *stricter.entry(format!("{kind:?}")).or_default() += 1,
        Err(e) => failures.push(format!("{name}: {e}\n  input: {:?}", truncate(text))),
    };
    let mut variations = 0;
    for (i, (name, text)) in docs.iter().enumerate() {
        tally(name, text);
        if text.len() > MAX_MUTATED {
            continue;
        }
        // Many small OFD parts, fewer large bills: about 60 000 in all.
        let count = if text.len() < 4096 { 120 } else { 200 };
        for (k, m) in mutations(text, i as u64 + 1, count).iter().enumerate() {
            variations += 1;
            tally(&format!("{name} variation {k}"), m);
        }
    }
    println!(
        "{} documents, {variations} variations: {accepted} accepted alike, {refused} refused alike, stricter: {stricter:?}",
        docs.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements, the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The variations reach both sides and the deliberate rules.
    assert!(
        accepted > 5_000 && refused > 5_000,
        "{accepted} / {refused}"
    );
    assert!(!stricter.is_empty());
}

fn truncate(text: &str) -> String {
    text.chars().take(300).collect()
}

/// Hand-made documents at the edges of the rules, where the two readers
/// must agree exactly.
#[test]
fn edge_cases_agree() {
    let cases = [
        "<a>t<![CDATA[c]]>u<!--x-->v</a>",
        "<a><![CDATA[]]></a>",
        "<a>x&#13;\ny</a>",
        "<a>x\r&#65;</a>",
        "<a>&#13;\r\nb</a>",
        "<a>a\r</a>",
        "<a>a\r\r\nb\r</a>",
        "<a><![CDATA[a\r\nb\rc]]>\r</a>",
        "<a b=\"a\r\nb\rc\nd&#13;&#10;e\t&#9;\"/>",
        "<a xmlns=\"\"/>",
        "<a xmlns=\"u\"><b xmlns=\"\"/></a>",
        "<a xmlns:p=\"u\"><p:b xmlns:p=\"v\" p:c=\"1\"/></a>",
        "<a xmlns:p=\"u\" xmlns:q=\"u\" p:c=\"1\" q:c=\"2\"/>",
        "<a xmlns:p=\"\"><p:b/></a>",
        "<a xmlns:xmlns=\"u\"/>",
        "<xmlns:a xmlns:xmlns=\"u\"/>",
        "<xml:a/>",
        "<a xml:lang=\"x\" lang=\"y\"/>",
        "<a xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"/>",
        "<a xmlns:xml=\"u\"/>",
        "<a xmlns:p=\"http://www.w3.org/XML/1998/namespace\"/>",
        "<a xmlns=\"http://www.w3.org/2000/xmlns/\"/>",
        "<a b=\"1\" b=\"2\"/>",
        "<a>&#0000000000065;&#x4e2d;&#X41;</a>",
        "<a>&#65</a>",
        "<a>&#x;</a>",
        "<a>&#0;</a>",
        "<a>&#xFFFE;</a>",
        "<a>]]&gt;</a>",
        "<a>]]></a>",
        "<a b=\"]]>\"/>",
        "<!-- a - b --><a/>",
        "<!-- a --><a/><!-- b --->",
        "<!--->--><a/>",
        "<?pi?><a/><?pi x ?>",
        "<?xml-stylesheet href=\"x\"?><a/>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\" ?><a/>",
        "<?xml version='1.0'?>\n<!DOCTYPE a><a/>",
        "<a/><?xml version=\"1.0\"?>",
        " <?xml version=\"1.0\"?><a/>",
        "<a></a >",
        "<a></a  b>",
        "<a/ >",
        "<a b=\"1\"c=\"2\"/>",
        "<a  b = \"1\" />",
        "<a b=1/>",
        "<a b='x\"y'/>",
        "<a><!DOCTYPE a></a>",
        "<a/>x",
        "<a/><b/>",
        "x<a/>",
        "<a>",
        "<a",
        "<",
        "<a><b></a></b>",
        "<p:a xmlns:p=\"u\"></a>",
        "<a>\u{1}</a>",
        "<a>\u{FFFF}</a>",
        "<a b=\"\u{FFFE}\"/>",
        "<\u{4E2D}\u{00B7}/>",
        "<\u{00B7}/>",
        "<a-b.c_d:e xmlns:a-b.c_d=\"u\"/>",
        "<a:b:c/>",
        "<1a/>",
        "<!-- only a comment -->",
        "",
    ];
    for text in cases {
        let r = compare(text);
        assert!(
            matches!(r, Ok(Agreement::SameTree | Agreement::BothRefuse)),
            "{text:?}: {r:?}"
        );
    }
    // The deliberate rules, each shown once.
    for text in [
        "<:a/>",
        "<a :b=\"1\"/>",
        "<a>&#xD800;</a>",
        "<a b=\"&#x110000;\"/>",
        "<?xml?><a/>",
        "<?XML x?><a/>",
        "<?xml\tversion=\"1.0\"?><a/>",
        "<?pi\"x\"?><a/>",
        "<?xml version=\"2.0\"?><a/>",
        "<?xml versionx=\"1.0\"?><a/>",
        "<?xml version=\"1.0\" standalone=\"maybe\"?><a/>",
        "<a xmlns=\"u\" xmlns=\"v\"/>",
        "\u{FEFF}<a/>",
    ] {
        let r = compare(text);
        assert!(matches!(r, Ok(Agreement::Stricter(_))), "{text:?}: {r:?}");
    }
}
