//! The zip container: one package, one reading (spec ofd-seals.md,
//! "Container").
//!
//! Part one: packages that two zip readers can read two different ways (a
//! second package in the prefix, a local header that disagrees with its
//! central-directory record, hidden entries between or inside others, names
//! that collide once normalised, a second end record, ...) are INVALID,
//! FORMAT_FAILURE through the public API, while the same package written
//! plainly is VALID. Each attack is built from a genuine corpus OFD.
//!
//! Part two: the core's own zip reader (`piaoyan_core::ofd::zip`) against
//! the `zip` crate on the corpus OFDs, on packages the test builds, and on
//! thousands of deterministic mutations of them: where both accept they list
//! the same entries with the same bytes; where only one accepts, the reason
//! is one of the deliberate differences of `zip_diff` (each checked on the
//! input). The comparison is `fuzz/src/zip_diff.rs`, shared with the fuzz
//! target `zip_differential`.

#[path = "../../fuzz/src/zip_diff.rs"]
mod zip_diff;

use std::collections::BTreeMap;

use piaoyan_core::Report;
use piaoyan_core::report::{SubIndication as S, Verdict as V};
use piaoyan_tests::ofd::{corpus, failed_checks, signer_cert, unzip, verify_trusting};
use zip_diff::{Agreement, RawEntry, RawZip, compare, mutations};

/// The genuine package every attack starts from: its signer trusted, it is
/// VALID.
const BASE: &str = "sign-v4signed.ofd";

fn trusted(bytes: &[u8]) -> Report {
    verify_trusting(bytes, signer_cert(&corpus(BASE)))
}

/// The base package rewritten by the raw writer, every entry deflated, in
/// its original order.
fn base() -> RawZip {
    RawZip {
        entries: unzip(&corpus(BASE))
            .into_iter()
            .map(|(name, data)| RawEntry::deflated(&name, &data))
            .collect(),
        ..RawZip::default()
    }
}

fn index(z: &RawZip, name: &str) -> usize {
    z.entries
        .iter()
        .position(|e| e.name == name.as_bytes())
        .unwrap_or_else(|| panic!("no entry {name}"))
}

fn assert_valid(bytes: &[u8], what: &str) {
    let r = trusted(bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Valid, None),
        "{what}: {}",
        r.reason.en
    );
}

fn assert_format_failure(bytes: &[u8], what: &str) -> Report {
    let r = trusted(bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::FormatFailure)),
        "{what}: {}",
        r.reason.en
    );
    assert!(
        failed_checks(&r).iter().any(|c| c.starts_with("ofd.zip")),
        "{what}: {:?}",
        failed_checks(&r)
    );
    r
}

#[test]
fn the_base_package_is_valid_as_the_corpus_file_and_as_rewritten() {
    assert_valid(&corpus(BASE), "the corpus file");
    assert_valid(&base().bytes(), "rewritten");
}

#[test]
fn a_plain_prefix_stays_tolerated() {
    let z = RawZip {
        prefix: b"vendor header \x00\x01\x02 PK no signature".to_vec(),
        ..base()
    };
    let r = trusted(&z.bytes());
    assert_eq!(r.verdict, V::Valid, "{}", r.reason.en);
    assert!(r.warnings.iter().any(|w| w.code == "OFD_ZIP_PREFIX"));
}

#[test]
fn a_prefix_holding_a_zip_signature_is_a_format_failure() {
    // A whole other package in front: a viewer reading from the start
    // shows it.
    let mut bytes = corpus("reader-helloworld.ofd");
    bytes.extend(corpus(BASE));
    let r = assert_format_failure(&bytes, "a package in front");
    assert!(r.reason.en.contains("prefix"), "{}", r.reason.en);
    // Any one of the three signatures is enough.
    for sig in [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"] {
        let mut prefix = b"vendor header ".to_vec();
        prefix.extend(sig);
        let z = RawZip { prefix, ..base() };
        assert_format_failure(&z.bytes(), &format!("{sig:?} in the prefix"));
    }
}

#[test]
fn a_local_header_naming_another_part_is_a_format_failure() {
    let mut z = base();
    let i = index(&z, "Doc_0/Pages/Page_0/Content.xml");
    z.entries[i].local_name = b"Doc_0/Pages/Page_0/Content.xmm".to_vec();
    let r = assert_format_failure(&z.bytes(), "local name differs");
    assert!(r.reason.en.contains("another name"), "{}", r.reason.en);
    // The same on the corpus file itself, one byte of one local name.
    let bytes = corpus(BASE);
    let at = zip_diff::local_headers(&bytes)[0] + 30;
    let mut m = bytes.clone();
    m[at] ^= 0x20;
    assert_format_failure(&m, "local name of the corpus file changed");
}

#[test]
fn local_sizes_crc_method_or_flags_that_differ_are_a_format_failure() {
    let name = "Doc_0/Document.xml";
    type Edit = fn(&mut RawEntry);
    let cases: [(&str, Edit); 6] = [
        ("uncompressed size", |e| e.local_size += 1),
        ("compressed size", |e| e.local_compressed += 1),
        ("crc", |e| e.local_crc ^= 1),
        ("method", |e| e.local_method = 0),
        ("encryption flag", |e| e.local_flags |= 1),
        ("deferred sizes flag", |e| e.local_flags |= 8),
    ];
    for (what, edit) in cases {
        let mut z = base();
        let i = index(&z, name);
        edit(&mut z.entries[i]);
        assert_format_failure(&z.bytes(), what);
    }
}

#[test]
fn a_data_descriptor_that_differs_is_a_format_failure() {
    // The corpus file defers every size to a data descriptor: spoil the
    // CRC in the first one (a streaming reader checks that one).
    let bytes = corpus(BASE);
    let at = zip_diff::data_descriptors(&bytes)[0];
    let mut m = bytes.clone();
    m[at + 4] ^= 1;
    let r = assert_format_failure(&m, "data descriptor CRC");
    assert!(r.reason.en.contains("data descriptor"), "{}", r.reason.en);
    // Sizes in the raw writer: deferred, then a descriptor that lies.
    let mut z = base();
    for e in &mut z.entries {
        e.defer_to_descriptor();
    }
    assert_valid(&z.bytes(), "every entry with a data descriptor");
    let i = index(&z, "OFD.xml");
    z.entries[i].descriptor[8] ^= 1;
    assert_format_failure(&z.bytes(), "data descriptor compressed size");
}

#[test]
fn bytes_inside_a_deflate_stream_after_its_end_are_a_format_failure() {
    // A streaming reader finds the next header where the deflate stream
    // ends: hide a whole entry there.
    let mut z = base();
    let i = index(&z, "Doc_0/Signs/Signatures.xml");
    let hidden = RawEntry::stored("OFD.xml", b"<ofd:OFD/>");
    let hidden = RawZip {
        entries: vec![hidden],
        ..RawZip::default()
    }
    .local_part();
    z.entries[i].body.extend(&hidden);
    let n = z.entries[i].body.len() as u32;
    z.entries[i].set_compressed(n);
    let r = assert_format_failure(&z.bytes(), "entry hidden after a deflate stream");
    assert!(
        r.reason.en.contains("deflate stream ends before"),
        "{}",
        r.reason.en
    );
}

#[test]
fn a_crc_mismatch_is_a_format_failure_even_in_a_part_never_read() {
    let mut z = base();
    let mut junk = RawEntry::stored("Doc_0/junk.bin", b"never referenced");
    junk.crc ^= 1;
    junk.local_crc ^= 1;
    z.entries.push(junk);
    let r = assert_format_failure(&z.bytes(), "bad CRC");
    assert!(r.reason.en.contains("CRC-32"), "{}", r.reason.en);
}

#[test]
fn bytes_between_entries_or_after_the_central_directory_are_a_format_failure() {
    // A complete local entry hidden between two listed ones.
    let hidden = RawZip {
        entries: vec![RawEntry::stored("OFD.xml", b"<ofd:OFD/>")],
        ..RawZip::default()
    }
    .local_part();
    let mut z = base();
    z.entries[2].after = hidden;
    let r = assert_format_failure(&z.bytes(), "hidden entry between entries");
    assert!(r.reason.en.contains("between entries"), "{}", r.reason.en);
    let mut z = base();
    z.entries[2].after = b"padding".to_vec();
    assert_format_failure(&z.bytes(), "plain bytes between entries");
    // One more central header than the end record counts.
    let mut z = base();
    z.extra_central = true;
    assert_format_failure(&z.bytes(), "uncounted central header");
    // Bytes between the central directory and its end record.
    let mut z = base();
    z.before_end = b"gap".to_vec();
    assert_format_failure(&z.bytes(), "gap before the end record");
    // Bytes after the end record that its comment length does not cover.
    let mut bytes = base().bytes();
    bytes.extend(b"trailer");
    assert_format_failure(&bytes, "trailing bytes");
}

#[test]
fn a_second_end_record_is_a_format_failure() {
    // The real end record's comment holds a second one describing the same
    // central directory (and the real end record after it as if part of
    // it), whose own empty comment also ends the file: a reader that
    // walks the central directory to its declared size meets the real end
    // record where it expects a header.
    let plain = base().bytes();
    let e = plain.len() - 22;
    let cd_size = u32::from_le_bytes(plain[e + 12..e + 16].try_into().unwrap());
    let fake = |extra: u32, comment: u16| {
        let mut f = plain[e..].to_vec();
        f[12..16].copy_from_slice(&(cd_size + extra).to_le_bytes());
        f[20..22].copy_from_slice(&comment.to_le_bytes());
        f
    };
    let z = RawZip {
        comment: fake(22, 0),
        ..base()
    };
    assert_format_failure(&z.bytes(), "an end record in the comment");
    // The last end record's comment runs past the end of the file: a
    // reader that demands that it end the file takes the earlier one.
    let z = RawZip {
        comment: [&b"x"[..], &fake(23, 9)].concat(),
        ..base()
    };
    assert_format_failure(&z.bytes(), "end record with a comment past the end");
}

#[test]
fn names_that_collide_once_normalised_are_a_format_failure() {
    for evil in [
        "ofd.xml",
        "Doc_0//Document.xml",
        "./OFD.xml",
        "Doc_0/./Document.xml",
        "Doc_0\\Document.xml",
        "DOC_0/document.XML",
    ] {
        let mut z = base();
        z.entries
            .push(RawEntry::stored(evil, b"<ofd:OFD>attacker</ofd:OFD>"));
        assert_format_failure(&z.bytes(), evil);
    }
    // Non-canonical names are refused even without a twin.
    for odd in ["Doc_0//x.xml", "./x.xml", "Doc_0/./x.xml", "x.xml/"] {
        let mut z = base();
        z.entries.push(RawEntry::stored(odd, b"attacker"));
        assert_format_failure(&z.bytes(), odd);
    }
}

#[test]
fn names_readable_in_two_encodings_are_a_format_failure() {
    // GBK bytes of a name without the UTF-8 flag: CP437 for one reader,
    // GBK for another.
    let mut z = base();
    z.entries
        .push(RawEntry::stored_raw(b"Doc_0/\xB8\xBD\xBC\xFE.xml", b"x"));
    assert_format_failure(&z.bytes(), "non-ASCII name without the UTF-8 flag");
    // Flagged UTF-8 that is not UTF-8.
    let mut e = RawEntry::stored_raw(b"Doc_0/\xB8\xBD.xml", b"x");
    e.flags |= 0x800;
    e.local_flags |= 0x800;
    let mut z = base();
    z.entries.push(e);
    assert_format_failure(&z.bytes(), "invalid UTF-8 under the UTF-8 flag");
    // Flagged UTF-8 in the central record only.
    let mut e = RawEntry::stored("Doc_0/附件.xml", b"x");
    e.local_flags &= !0x800;
    let mut z = base();
    z.entries.push(e);
    assert_format_failure(&z.bytes(), "UTF-8 flag in one header only");
    // Properly flagged UTF-8 stays readable.
    let mut z = base();
    z.entries.push(RawEntry::stored("Doc_0/附件.xml", b"x"));
    assert_valid(&z.bytes(), "a flagged UTF-8 name");
    // An Info-ZIP Unicode Path field renames the entry for readers that
    // honour it (the zip crate does): here to OFD.xml.
    let mut e = RawEntry::stored("junk.xml", b"<ofd:OFD>attacker</ofd:OFD>");
    e.central_extra = zip_diff::unicode_path_field(b"junk.xml", "OFD.xml");
    let mut z = base();
    z.entries.push(e);
    let r = assert_format_failure(&z.bytes(), "unicode path field");
    assert!(r.reason.en.contains("Unicode Path"), "{}", r.reason.en);
}

#[test]
fn entries_overlapping_each_other_are_a_format_failure() {
    // A stored entry whose data holds a complete local entry; a second
    // central record points into it.
    let inner = RawZip {
        entries: vec![RawEntry::stored("Doc_0/inner.xml", b"inner")],
        ..RawZip::default()
    };
    let inner_local = inner.local_part();
    let mut z = base();
    z.entries
        .push(RawEntry::stored("Doc_0/outer.bin", &inner_local));
    let mut inner_entry = inner.entries[0].clone();
    inner_entry.overlap_into = Some((z.entries.len() - 1, 30 + "Doc_0/outer.bin".len()));
    z.entries.push(inner_entry);
    let r = assert_format_failure(&z.bytes(), "an entry inside another");
    assert!(r.reason.en.contains("overlap"), "{}", r.reason.en);
}

#[test]
fn zip64_and_multi_disk_end_records_are_a_format_failure() {
    let mut z = base();
    z.zip64_locator = true;
    assert_format_failure(&z.bytes(), "zip64 locator before the end record");
    let mut z = base();
    z.entries[0].disk = 1;
    assert_format_failure(&z.bytes(), "entry on another disk");
}

// ---------------------------------------------------------------------
// Part two: the differential.

/// Packages larger than this are compared whole but not mutated.
const MAX_MUTATED: usize = 64 * 1024;

/// Every package the comparison runs on: the corpus, the test crate's own
/// writers, and the attacks above.
fn packages() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let dir = piaoyan_tests::vectors::shared_dir().join("corpus/ofdrw");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".ofd"))
        .collect();
    names.sort();
    for name in names {
        out.push((name.clone(), corpus(&name)));
    }
    let small = RawZip {
        entries: unzip(&corpus("reader-helloworld.ofd"))
            .into_iter()
            .map(|(n, d)| RawEntry::deflated(&n, &d))
            .collect(),
        ..RawZip::default()
    };
    out.push(("raw helloworld".into(), small.bytes()));
    let mut dd = small.clone();
    for e in &mut dd.entries {
        e.defer_to_descriptor();
    }
    out.push(("raw helloworld, descriptors".into(), dd.bytes()));
    let mut stored = small.clone();
    for e in &mut stored.entries {
        *e = RawEntry::stored_raw(&e.name, &unzip(&small.bytes())[0].1);
    }
    out.push(("raw helloworld, stored".into(), stored.bytes()));
    out.push((
        "raw helloworld, comment and prefix".into(),
        RawZip {
            prefix: b"#!header\n".to_vec(),
            comment: b"a comment".to_vec(),
            ..small.clone()
        }
        .bytes(),
    ));
    out.push((
        "tests::ofd::zip".into(),
        piaoyan_tests::ofd::rewrite(&corpus("reader-helloworld.ofd"), |_| {}),
    ));
    out.push(("zip crate writer".into(), zip_diff::written_by_zip_crate()));
    out
}

#[test]
fn the_reader_agrees_with_the_zip_crate_on_the_corpus_fixtures_and_their_mutations() {
    let packages = packages();
    let mut same = 0usize;
    let mut both_refuse = 0usize;
    let mut stricter: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut tally = |name: &str, bytes: &[u8]| match compare(bytes) {
        Ok(Agreement::Same) => same += 1,
        Ok(Agreement::BothRefuse) => both_refuse += 1,
        Ok(Agreement::Stricter(why)) => *stricter.entry(format!("{why:?}")).or_default() += 1,
        Err(e) => {
            if failures.len() < 20 {
                failures.push(format!("{name}: {e}"));
            }
        }
    };
    let mut variations = 0usize;
    for (i, (name, bytes)) in packages.iter().enumerate() {
        tally(name, bytes);
        if bytes.len() > MAX_MUTATED {
            continue;
        }
        for (j, m) in mutations(bytes, i as u64).iter().enumerate() {
            variations += 1;
            tally(&format!("{name} mutation {j}"), m);
        }
    }
    eprintln!(
        "{} packages, {variations} variations: {same} same, {both_refuse} both refuse, stricter {stricter:?}",
        packages.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(variations > 5_000, "only {variations} variations");
    assert!(same > 1_000, "only {same} agreements");
    // The mutations reach the deliberate differences.
    for why in ["Prefix", "HeaderMismatch", "Layout"] {
        assert!(
            stricter.keys().any(|k| k.starts_with(why)),
            "no mutation reached {why}: {stricter:?}"
        );
    }
}

#[test]
fn the_attacks_are_deliberate_differences_or_refused_by_both() {
    // Each attack above, through the comparison: never "both accept with
    // different contents", and never accepted by the reader.
    let mut z = base();
    let i = index(&z, "Doc_0/Document.xml");
    z.entries[i].local_size += 1;
    let mut prefixed = corpus("reader-helloworld.ofd");
    prefixed.extend(corpus(BASE));
    for (what, bytes) in [("local size", z.bytes()), ("prefix", prefixed)] {
        match compare(&bytes) {
            Ok(Agreement::Stricter(_) | Agreement::BothRefuse) => {}
            other => panic!("{what}: {other:?}"),
        }
    }
}
