//! Hostile zip containers: every bound is a FORMAT_FAILURE naming it,
//! reached fast and without big allocations; prefix bytes are tolerated.

use std::time::{Duration, Instant};

use piaoyan_core::Report;
use piaoyan_core::report::{SubIndication as S, Verdict as V};
use piaoyan_tests::ofd::{
    Item, corpus, failed_checks, rewrite, signer_cert, verify, verify_trusting, zip,
};
use proptest::prelude::*;

fn timed(bytes: &[u8]) -> Report {
    let start = Instant::now();
    let r = verify(bytes);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    r
}

fn assert_bound(r: &Report, check: &str) {
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::FormatFailure)),
        "{}",
        r.reason.en
    );
    assert!(
        failed_checks(r).iter().any(|c| c.starts_with(check)),
        "{check}: {:?}",
        failed_checks(r)
    );
}

#[test]
fn entry_declaring_one_gigabyte_is_refused_before_inflating() {
    let bytes = zip(&[Item {
        declared_size: Some(1 << 30),
        ..Item::new("OFD.xml", b"<ofd:OFD/>".to_vec())
    }]);
    let r = timed(&bytes);
    assert_bound(&r, "limits.zipEntryBytes");
    assert!(r.reason.en.contains("maxZipEntryBytes"), "{}", r.reason.en);
}

#[test]
fn real_zip_bomb_is_refused() {
    // 40 MiB of zeros deflate to ~40 KiB: above the per-entry bound and
    // the ratio bound.
    let bomb = vec![0u8; 40 * 1024 * 1024];
    let bytes = zip(&[Item::new("OFD.xml", bomb)]);
    assert!(bytes.len() < 100 * 1024);
    let r = timed(&bytes);
    assert_bound(&r, "limits.zip");
}

#[test]
fn bomb_lying_about_its_size_stops_at_the_declared_size() {
    // Declares 1000 bytes and a plausible ratio but inflates to 8 MiB: the
    // inflater stops one byte past the declared size.
    let mut items = vec![Item {
        declared_size: Some(1000),
        ..Item::new("OFD.xml", vec![b' '; 8 * 1024 * 1024])
    }];
    items.push(Item::new("Doc_0/Document.xml", b"<a/>".to_vec()));
    let r = timed(&zip(&items));
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::FormatFailure))
    );
    assert!(
        r.reason.en.contains("more bytes than its declared size"),
        "{}",
        r.reason.en
    );
}

#[test]
fn hundred_thousand_entries_are_refused() {
    // The EOCD count field holds at most 65535; a central directory of
    // 100 000 headers is cut off by the entry bound from the count alone.
    let items: Vec<Item> = (0..100_000)
        .map(|i| Item {
            deflate: false,
            ..Item::new(&format!("f{i}"), Vec::new())
        })
        .collect();
    let r = timed(&zip(&items));
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::FormatFailure)),
        "{}",
        r.reason.en
    );
    let items: Vec<Item> = (0..20_000)
        .map(|i| Item {
            deflate: false,
            ..Item::new(&format!("f{i}"), Vec::new())
        })
        .collect();
    assert_bound(&timed(&zip(&items)), "limits.zipEntries");
}

#[test]
fn path_escapes_are_refused() {
    for name in [
        "../evil.xml",
        "Doc_0/../../evil.xml",
        "/etc/passwd",
        "C:/x.xml",
    ] {
        let bytes = zip(&[
            Item::new("OFD.xml", b"<OFD/>".to_vec()),
            Item::new(name, b"x".to_vec()),
        ]);
        assert_bound(&timed(&bytes), "ofd.zip.pathEscape");
    }
    let long = "a/".repeat(300) + "b.xml";
    assert_bound(
        &timed(&zip(&[Item::new(&long, b"x".to_vec())])),
        "limits.zipPathBytes",
    );
}

#[test]
fn prefix_bytes_are_tolerated_with_a_warning() {
    let mut bytes = b"some vendor header bytes\x00\x01\x02".to_vec();
    bytes.extend(corpus("sign-v4signed.ofd"));
    let r = timed(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Indeterminate, Some(S::NoCertificateChainFound)),
        "{}",
        r.reason.en
    );
    assert!(r.warnings.iter().any(|w| w.code == "OFD_ZIP_PREFIX"));
    assert_eq!(r.document.unwrap().prefix_bytes, 27);
}

#[test]
fn duplicate_entries_are_refused() {
    let bytes = zip(&[
        Item::new("OFD.xml", b"<OFD/>".to_vec()),
        Item::new("OFD.xml", b"<OFD/>".to_vec()),
    ]);
    assert_bound(&timed(&bytes), "ofd.zip");
}

#[test]
fn not_a_zip_and_not_xml_is_a_format_failure() {
    let r = verify(b"PK\x03\x04 garbage");
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::FormatFailure))
    );
}

#[test]
fn missing_signed_part_is_a_hash_failure() {
    let bytes = rewrite(&corpus("sign-v4signed.ofd"), |e| {
        e.retain(|(n, _)| n != "Doc_0/PublicRes.xml");
    });
    let r = verify(&bytes);
    assert_eq!(
        (r.verdict, r.sub_indication),
        (V::Invalid, Some(S::HashFailure)),
        "{}",
        r.reason.en
    );
    assert!(r.reason.en.contains("PublicRes.xml"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Random byte changes anywhere in the file never panic.
    #[test]
    fn raw_mutations_never_panic(
        file in prop::sample::select(vec!["sign-v4signed.ofd", "converter-h.ofd", "converter-testImageNotFound.ofd", "sign-DigitalSign.ofd", "converter-n.ofd"]),
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..4),
    ) {
        let mut m = corpus(file);
        for (at, x) in &flips {
            let i = at.index(m.len());
            m[i] ^= x;
        }
        let r = verify(&m);
        serde_json::to_string(&r).unwrap();
    }

    /// A changed signed part is never VALID, even with the signer trusted.
    #[test]
    fn changed_signed_part_is_never_valid(
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..4),
        pick in any::<prop::sample::Index>(),
    ) {
        let original = corpus("sign-v4signed.ofd");
        let anchor = signer_cert(&original);
        let trusted = verify_trusting(&original, anchor.clone());
        prop_assert_eq!(trusted.verdict, V::Valid);
        let doc = trusted.document.unwrap();
        let mut signed: Vec<String> = doc.signatures[0]
            .references
            .iter()
            .map(|r| r.file_ref.trim_start_matches('/').to_string())
            .collect();
        signed.push("Doc_0/Signs/Sign_0/Signature.xml".into());
        signed.push("Doc_0/Signs/Sign_0/SignedValue.dat".into());
        let target = signed[pick.index(signed.len())].clone();
        let mut changed = false;
        let mutated = rewrite(&original, |e| {
            let data = &mut e.iter_mut().find(|(n, _)| *n == target).unwrap().1;
            let before = data.clone();
            for (at, x) in &flips {
                let i = at.index(data.len());
                data[i] ^= x;
            }
            changed = *data != before;
        });
        let r = verify_trusting(&mutated, anchor);
        if changed {
            prop_assert!(r.verdict != V::Valid, "{} changed but VALID", target);
        }
    }
}
