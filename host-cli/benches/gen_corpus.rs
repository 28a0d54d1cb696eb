//! Writes a corpus of signed bills for `scripts/bench-bulk`.
//!
//! ```sh
//! cargo bench -p piaoyan-cli --bench gen_corpus -- OUT_DIR COUNT [varied|fresh]
//! ```
//!
//! `OUT_DIR/trust/{roots,intermediates,crls}.pem` and
//! `OUT_DIR/bills/NNN/bill-NNNNNN.xml` (1000 bills per directory): COUNT
//! VALID bills made by the fixture generator of `piaoyan-tests`, each with
//! its own `EInvoiceNumber`.
//!
//! - `varied` (the default): [`UNITS`] issuing units in turn (three kinds
//!   of bill: a hospital's, a college's, a foundation's; each unit its own
//!   name, code and key) under [`AREAS`] supervising areas (each its own
//!   supervisor key), both curves and every signature format the generator
//!   makes (RAW DER and r‖s, DETACH with and without signed attributes,
//!   with PKCS #7 or GB/T OIDs, carrying the signer and its CA or the
//!   signer only) for the unit and for the supervisor: the keys repeat as
//!   in a real bulk check, one per unit and one per area.
//! - `fresh`: the same mix, but every bill its own unit and its own area:
//!   no key is ever seen twice (the worst case for per-key caches).
//!
//! Deterministic: the same COUNT and mode give the same bytes. Signing
//! runs on every core.

use std::path::{Path, PathBuf};

use piaoyan_tests::fixture::{Alg, BillSpec, CertsIn, Leaf, Pki, SignSpec, build_bill, codes};

/// Issuing units of the varied corpus.
const UNITS: usize = 60;
/// Supervising areas of the varied corpus.
const AREAS: usize = 12;

/// One signer: its algorithm and format.
struct Signer {
    alg: Alg,
    format: usize,
}

/// The signature formats the generator makes, by number.
const FORMATS: usize = 6;

fn sign_spec(signer: &Signer, time: &str) -> SignSpec {
    let alg = signer.alg;
    match signer.format % FORMATS {
        0 => SignSpec::raw_der(alg, time),
        1 => SignSpec::raw_rs(alg, time),
        2 => SignSpec::detach(alg, time),
        3 => SignSpec::detach_signed_attrs(alg, time),
        4 => SignSpec::detach_with(alg, time, true, true, CertsIn::SignerAndIntermediate),
        _ => SignSpec::detach_with(alg, time, false, true, CertsIn::Signer),
    }
}

/// The curves in turn: SM2, P-256.
fn alg(i: usize) -> Alg {
    if i.is_multiple_of(2) {
        Alg::Sm2
    } else {
        Alg::P256
    }
}

/// Unit `u`'s signer: every curve with every format over 12 units.
fn unit_signer(u: usize) -> Signer {
    Signer {
        alg: alg(u),
        format: u / 2,
    }
}

/// Area `a`'s signer, shifted from the units' so that pairs vary.
fn area_signer(a: usize) -> Signer {
    Signer {
        alg: alg(a / FORMATS),
        format: a + 1,
    }
}

/// The bill of unit `u` under area `a`: kind `u % 3`, the unit's own name
/// and code, the area's code (same province) and supervisor.
fn unit_bill(u: usize, a: usize) -> BillSpec {
    let mut bill = match u % 3 {
        0 => BillSpec::medical(),
        1 => BillSpec::education(),
        _ => BillSpec::donation(),
    };
    let name = format!("{}第{u}分部", bill.invoicing_party.name);
    bill.invoicing_party.name = name.clone();
    bill.invoicing_party.rec_name = Some(name);
    bill.invoicing_party.code = codes::uscc_for("330108", &format!("{:08}", 41_000_000 + u));
    // Province 33 as the bill codes; 4 digits for the area.
    bill.supervisor_area_code = format!("33{:04}", 100 + a % 9900);
    bill.supervisor_name = format!("示范财政局{:04}", a);
    bill
}

/// One (unit, supervisor) pair and its certificates.
struct Issuer {
    bill: BillSpec,
    unit: Signer,
    supervisor: Signer,
    unit_leaf: Leaf,
    supervisor_leaf: Leaf,
}

fn issuer(pki: &Pki, u: usize, a: usize) -> Issuer {
    let bill = unit_bill(u, a);
    let (unit, supervisor) = (unit_signer(u), area_signer(a));
    Issuer {
        unit_leaf: pki.unit_leaf(unit.alg, &bill),
        supervisor_leaf: pki.supervisor_leaf(supervisor.alg, &bill),
        bill,
        unit,
        supervisor,
    }
}

/// Bill `i` of an issuer, signed.
fn write_bill(out: &Path, i: usize, who: &Issuer) -> std::io::Result<()> {
    let mut bill = who.bill.clone();
    bill.einvoice_number = format!("{:010}", 1_000_000 + i);
    let unit = sign_spec(&who.unit, &bill.issue_plus(25 + (i % 40) as u64));
    let supervisor = sign_spec(&who.supervisor, &bill.issue_plus(7 * 60 + (i % 600) as u64));
    let xml = build_bill(
        &bill,
        (&unit, &who.unit_leaf),
        (&supervisor, &who.supervisor_leaf),
    );
    std::fs::write(bill_path(out, i), xml)
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
        eprintln!(
            "usage: cargo bench -p piaoyan-cli --bench gen_corpus -- OUT_DIR COUNT [varied|fresh]"
        );
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    let count: usize = count.parse().unwrap_or_else(|_| {
        eprintln!("COUNT must be a number, not {count:?}");
        std::process::exit(2);
    });
    let fresh = match args.get(2).map(String::as_str) {
        None | Some("varied") => false,
        Some("fresh") => true,
        Some(other) => {
            eprintln!("the mode is varied or fresh, not {other:?}");
            std::process::exit(2);
        }
    };
    let pki = Pki::new("BENCH");
    std::fs::create_dir_all(out.join("trust"))?;
    std::fs::write(out.join("trust/roots.pem"), pki.roots_pem())?;
    std::fs::write(out.join("trust/intermediates.pem"), pki.intermediates_pem())?;
    std::fs::write(out.join("trust/crls.pem"), pki.crls_pem())?;
    for d in 0..count.div_ceil(1000) {
        std::fs::create_dir_all(out.join("bills").join(format!("{d:03}")))?;
    }
    // Varied: unit i % UNITS, its area (u % AREAS), certificates made
    // once. Fresh: bill i is unit i under area i.
    let issuers: Vec<Issuer> = if fresh {
        Vec::new()
    } else {
        (0..UNITS).map(|u| issuer(&pki, u, u % AREAS)).collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let results: Vec<std::io::Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (issuers, out, pki) = (&issuers, &out, &pki);
                scope.spawn(move || -> std::io::Result<()> {
                    for i in (t..count).step_by(threads) {
                        match issuers.get(i % UNITS) {
                            Some(who) if !fresh => write_bill(out, i, who)?,
                            _ => write_bill(out, i, &issuer(pki, i, i))?,
                        }
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
    let units = if fresh { count } else { UNITS.min(count) };
    println!(
        "wrote {count} bills of {units} issuing units and their trust material to {}",
        out.display()
    );
    Ok(())
}
