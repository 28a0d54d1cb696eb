//! Writes a corpus of signed bills for `scripts/bench-bulk`.
//!
//! ```sh
//! cargo bench -p piaoyan-cli --bench gen_corpus -- OUT_DIR COUNT
//! ```
//!
//! `OUT_DIR/trust/{roots,intermediates,crls}.pem` and
//! `OUT_DIR/bills/NNN/bill-NNNNNN.xml` (1000 bills per directory): COUNT
//! VALID bills made by the fixture generator of `piaoyan-tests`, three
//! kinds in turn (a hospital's SM2 bill with a detached CMS signature, a
//! college's P-256 RAW bill, a foundation's mixed SM2 / P-256 bill), each
//! with its own `EInvoiceNumber`. Deterministic: the same COUNT gives the
//! same bytes. Signing runs on every core.

use std::path::{Path, PathBuf};

use piaoyan_tests::fixture::{Alg, BillSpec, Leaf, Pki, SignSpec, build_bill};

struct Kind {
    bill: BillSpec,
    unit: SignSpec,
    supervisor: SignSpec,
    unit_leaf: Leaf,
    supervisor_leaf: Leaf,
}

fn kinds(pki: &Pki) -> Vec<Kind> {
    let make = |bill: BillSpec, unit: SignSpec, supervisor: SignSpec| Kind {
        unit_leaf: pki.unit_leaf(unit.alg, &bill),
        supervisor_leaf: pki.supervisor_leaf(supervisor.alg, &bill),
        bill,
        unit,
        supervisor,
    };
    let medical = BillSpec::medical();
    let education = BillSpec::education();
    let donation = BillSpec::donation();
    vec![
        make(
            medical.clone(),
            SignSpec::detach_signed_attrs(Alg::Sm2, &medical.issue_plus(25)),
            SignSpec::raw_der(Alg::Sm2, &medical.issue_plus(7 * 60 + 12)),
        ),
        make(
            education.clone(),
            SignSpec::raw_der(Alg::P256, &education.issue_plus(40)),
            SignSpec::raw_rs(Alg::P256, &education.issue_plus(15 * 60 + 3)),
        ),
        make(
            donation.clone(),
            SignSpec::raw_rs(Alg::Sm2, &donation.issue_plus(18)),
            SignSpec::detach(Alg::P256, &donation.issue_plus(42 * 60)),
        ),
    ]
}

fn bill_path(out: &Path, i: usize) -> PathBuf {
    out.join("bills")
        .join(format!("{:03}", i / 1000))
        .join(format!("bill-{i:06}.xml"))
}

fn main() -> std::io::Result<()> {
    // `cargo bench` passes `--bench`; anything starting with `-` is its own.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let (Some(out), Some(count)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench -p piaoyan-cli --bench gen_corpus -- OUT_DIR COUNT");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    let count: usize = count.parse().unwrap_or_else(|_| {
        eprintln!("COUNT must be a number, not {count:?}");
        std::process::exit(2);
    });
    let pki = Pki::new("BENCH");
    std::fs::create_dir_all(out.join("trust"))?;
    std::fs::write(out.join("trust/roots.pem"), pki.roots_pem())?;
    std::fs::write(out.join("trust/intermediates.pem"), pki.intermediates_pem())?;
    std::fs::write(out.join("trust/crls.pem"), pki.crls_pem())?;
    for d in 0..count.div_ceil(1000) {
        std::fs::create_dir_all(out.join("bills").join(format!("{d:03}")))?;
    }
    let kinds = kinds(&pki);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let results: Vec<std::io::Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (kinds, out) = (&kinds, &out);
                scope.spawn(move || -> std::io::Result<()> {
                    for i in (t..count).step_by(threads) {
                        let kind = &kinds[i % kinds.len()];
                        let mut bill = kind.bill.clone();
                        bill.einvoice_number = format!("{:010}", 1_000_000 + i);
                        let xml = build_bill(
                            &bill,
                            (&kind.unit, &kind.unit_leaf),
                            (&kind.supervisor, &kind.supervisor_leaf),
                        );
                        std::fs::write(bill_path(out, i), xml)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("panicked")))
            })
            .collect()
    });
    for r in results {
        r?;
    }
    println!(
        "wrote {count} bills and their trust material to {}",
        out.display()
    );
    Ok(())
}
