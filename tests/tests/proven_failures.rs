//! A proven failure is INVALID whatever else cannot be judged (issue 12):
//! a CMS messageDigest that a supported digest algorithm shows to differ
//! from the content is HASH_FAILURE even when the bill names a
//! `SignatureAlgorithm` this verifier does not support, or the CMS a
//! signature algorithm it does not support. Before, such a bill was
//! INDETERMINATE (CRYPTO_CONSTRAINTS_FAILURE): an attacker who changed a
//! bill could turn "changed" into "cannot tell" by renaming an algorithm.
//! And the `SignatureAlgorithm` OID is read in its one canonical spelling.

use der::asn1::ObjectIdentifier;
use piaoyan_core::report::Report;
use piaoyan_core::{SubIndication, Verifier};
use piaoyan_tests::fixture::*;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

fn verify(pki: &Pki, xml: &[u8]) -> Report {
    Verifier::new(&pki.verify_options(Some(NOW)))
        .unwrap()
        .verify(xml)
}

use piaoyan_tests::expect;

/// A bill whose unit signature is DETACH with signed attributes, edited by
/// `edit`, claiming `algorithm_text` (`None`: the usual name).
fn bill(
    pki: &Pki,
    alg: Alg,
    algorithm_text: Option<&str>,
    edit: impl FnOnce(&mut DetachSpec),
) -> Vec<u8> {
    let bill = BillSpec::medical();
    let mut detach = DetachSpec {
        signed_attrs: true,
        ..DetachSpec::default()
    };
    edit(&mut detach);
    let mut unit = SignSpec {
        key_info: KeyInfoSpec::None,
        ..SignSpec::new(alg, SigFormat::Detach(detach), &bill.issue_plus(30))
    };
    if let Some(text) = algorithm_text {
        unit = unit.with_algorithm_text(text);
    }
    let supervisor = SignSpec::raw_der(alg, &bill.issue_plus(600));
    pki.sign_bill(&bill, &unit, &supervisor)
}

fn wrong_digest(d: &mut DetachSpec) {
    d.message_digest_override = Some(vec![0x5A; 32]);
}

#[test]
fn a_wrong_message_digest_is_hash_failure_whatever_is_unsupported() {
    let pki = Pki::new("PROVEN");
    for alg in Alg::ALL {
        expect(
            &verify(&pki, &bill(&pki, alg, None, |_| {})),
            None,
            "control",
        );
        expect(
            &verify(&pki, &bill(&pki, alg, None, wrong_digest)),
            Some(SubIndication::HashFailure),
            "wrong messageDigest",
        );
        // The bill's SignatureAlgorithm unknown.
        expect(
            &verify(&pki, &bill(&pki, alg, Some("RSA-SHA256"), |_| {})),
            Some(SubIndication::CryptoConstraintsFailure),
            "unknown SignatureAlgorithm, content intact",
        );
        expect(
            &verify(&pki, &bill(&pki, alg, Some("RSA-SHA256"), wrong_digest)),
            Some(SubIndication::HashFailure),
            "unknown SignatureAlgorithm, messageDigest wrong",
        );
        // The CMS signature algorithm unsupported (ecdsa-with-SHA384).
        let sha384 = |d: &mut DetachSpec| {
            d.signature_algorithm_oid = Some(ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3"));
        };
        expect(
            &verify(&pki, &bill(&pki, alg, None, sha384)),
            Some(SubIndication::CryptoConstraintsFailure),
            "unsupported CMS signature algorithm, content intact",
        );
        expect(
            &verify(
                &pki,
                &bill(&pki, alg, None, |d| {
                    sha384(d);
                    wrong_digest(d);
                }),
            ),
            Some(SubIndication::HashFailure),
            "unsupported CMS signature algorithm, messageDigest wrong",
        );
    }
}

#[test]
fn signature_algorithm_oids_have_one_spelling() {
    let pki = Pki::new("PROVEN");
    for (alg, oid) in [
        (Alg::Sm2, "1.2.156.10197.1.501"),
        (Alg::P256, "1.2.840.10045.4.3.2"),
    ] {
        expect(
            &verify(&pki, &bill(&pki, alg, Some(oid), |_| {})),
            None,
            oid,
        );
        let padded = format!("  {oid}\n");
        expect(
            &verify(&pki, &bill(&pki, alg, Some(&padded), |_| {})),
            None,
            "surrounding white space",
        );
        let (head, last) = oid.rsplit_once('.').unwrap();
        for other in [
            format!("{head}.0{last}"),
            format!("{oid}.0"),
            oid.replacen('.', "..", 1),
        ] {
            expect(
                &verify(&pki, &bill(&pki, alg, Some(&other), |_| {})),
                Some(SubIndication::CryptoConstraintsFailure),
                &other,
            );
        }
    }
}
