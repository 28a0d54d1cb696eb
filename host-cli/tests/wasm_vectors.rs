//! The signature vectors through the very module `piaoyan` embeds (issue
//! 12, item 8): the WebAssembly build runs the 32-bit field arithmetic,
//! which the native tests do not, so every Project Wycheproof ECDSA P-256 /
//! SHA-256 vector (DER and P1363) and every SM2 vector of GM/T 0003.5
//! (`shared/vectors/sm2/gmt0003-5.json`) is verified by the module's
//! `piaoyan_verify_signature` export (`docs/abi.md`), the code that
//! verifies a bill's `RAW` signatures, and each result is checked.

use piaoyan_cli::MODULE;
use piaoyan_tests::sig_vectors::{der_signature, raw_signature, shared_vector_text, unhex};
use serde_json::Value;
use wasmtime::{Engine, Instance, Linker, Memory, Module, Store, TypedFunc};

/// The export's result codes (`docs/abi.md`).
const VALID: u32 = 0;
const INVALID: u32 = 1;
const MALFORMED: u32 = 2;
const BAD_KEY: u32 = 3;
const UNSUPPORTED: u32 = 4;
const BAD_POINTER: u32 = 5;

const ALG_SM2: u32 = 1;
const ALG_P256: u32 = 2;

type VerifySignature = TypedFunc<(u32, u32, u32, u32, u32, u32, u32, u32, u32), u32>;

/// One instance of the embedded module.
struct Wasm {
    store: Store<()>,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
    verify: VerifySignature,
}

impl Wasm {
    fn new() -> Wasm {
        let engine = Engine::default();
        let module = Module::new(&engine, MODULE).expect("the embedded module compiles");
        let mut linker: Linker<()> = Linker::new(&engine);
        linker
            .define_unknown_imports_as_traps(&module)
            .expect("imports");
        let mut store = Store::new(&engine, ());
        let instance: Instance = linker.instantiate(&mut store, &module).expect("instance");
        let memory = instance
            .get_memory(&mut store, "memory")
            .expect("memory export");
        let alloc = instance
            .get_typed_func(&mut store, "piaoyan_alloc")
            .expect("piaoyan_alloc");
        let free = instance
            .get_typed_func(&mut store, "piaoyan_free")
            .expect("piaoyan_free");
        let verify = instance
            .get_typed_func(&mut store, "piaoyan_verify_signature")
            .expect("the module exports piaoyan_verify_signature");
        Wasm {
            store,
            memory,
            alloc,
            free,
            verify,
        }
    }

    fn put(&mut self, bytes: &[u8]) -> (u32, u32) {
        let len = u32::try_from(bytes.len()).unwrap();
        let ptr = self.alloc.call(&mut self.store, len).expect("alloc");
        assert!(ptr != 0, "out of memory");
        self.memory
            .write(&mut self.store, ptr as usize, bytes)
            .expect("write");
        (ptr, len)
    }

    /// `piaoyan_verify_signature` on copies of the buffers, freed after.
    fn check(&mut self, alg: u32, key: &[u8], msg: &[u8], sig: &[u8], id: &[u8]) -> u32 {
        let buffers = [key, msg, sig, id].map(|b| self.put(b));
        let [(kp, kl), (mp, ml), (sp, sl), (ip, il)] = buffers;
        let code = self
            .verify
            .call(&mut self.store, (alg, kp, kl, mp, ml, sp, sl, ip, il))
            .expect("no trap");
        for (p, l) in buffers {
            self.free.call(&mut self.store, (p, l)).expect("free");
        }
        code
    }
}

fn vectors(path: &str) -> Value {
    serde_json::from_str(&shared_vector_text(path)).expect("vector JSON")
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

/// Every case of a Wycheproof ECDSA P-256 / SHA-256 file: `valid` must give
/// VALID, `invalid` anything else; there is no `acceptable` case (a new
/// file with one fails here and asks for a decision, as
/// `core/tests/wycheproof.rs` does). Returns (valid, invalid) counts.
fn wycheproof(wasm: &mut Wasm, file: &str) -> (usize, usize) {
    let v = vectors(&format!("wycheproof/{file}"));
    let (mut valid, mut invalid) = (0, 0);
    let mut failures = Vec::new();
    for group in v["testGroups"].as_array().expect("testGroups") {
        assert_eq!(text(&group["publicKey"], "curve"), "secp256r1");
        assert_eq!(text(group, "sha"), "SHA-256");
        let key = unhex(text(&group["publicKey"], "uncompressed"));
        for case in group["tests"].as_array().expect("tests") {
            let code = wasm.check(
                ALG_P256,
                &key,
                &unhex(text(case, "msg")),
                &unhex(text(case, "sig")),
                b"",
            );
            let id = &case["tcId"];
            let ok = match text(case, "result") {
                "valid" => {
                    valid += 1;
                    code == VALID
                }
                "invalid" => {
                    invalid += 1;
                    matches!(code, INVALID | MALFORMED)
                }
                other => panic!("{file} tcId {id}: result {other} needs a decision"),
            };
            if !ok {
                failures.push(format!(
                    "tcId {id} ({}, {}): code {code}",
                    text(case, "result"),
                    text(case, "comment")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
    assert_eq!(
        valid + invalid,
        v["numberOfTests"].as_u64().unwrap() as usize,
        "{file}: every test ran"
    );
    println!("{file}: {valid} valid verified, {invalid} invalid rejected, in WebAssembly");
    (valid, invalid)
}

#[test]
fn wycheproof_ecdsa_p256_sha256_in_the_shipped_module() {
    let mut wasm = Wasm::new();
    let der = wycheproof(&mut wasm, "ecdsa_secp256r1_sha256_test.json");
    let p1363 = wycheproof(&mut wasm, "ecdsa_secp256r1_sha256_p1363_test.json");
    // The counts of core/tests/wycheproof.rs: a vector file that lost its
    // tests fails here, never passes with nothing run.
    assert_eq!(der, (174, 310));
    assert_eq!(p1363, (173, 89));
}

#[test]
fn sm2_vectors_in_the_shipped_module() {
    let mut wasm = Wasm::new();
    let v = vectors("sm2/gmt0003-5.json");
    let key = unhex(text(&v, "publicKey"));
    let id = text(&v, "id").as_bytes().to_vec();
    let (mut valid, mut invalid, mut runs) = (0, 0, 0);
    for case in v["tests"].as_array().expect("tests") {
        let (r, s, msg) = (
            unhex(text(case, "r")),
            unhex(text(case, "s")),
            unhex(text(case, "msg")),
        );
        let mut encodings = vec![("DER", der_signature(&r, &s))];
        encodings.extend(raw_signature(&r, &s).map(|rs| ("r‖s", rs)));
        let expected = text(case, "result");
        match expected {
            "valid" => valid += 1,
            "invalid" => invalid += 1,
            other => panic!("case {}: result {other}", case["id"]),
        }
        for (encoding, sig) in &encodings {
            // The default identifier, empty and spelled out.
            for sm2_id in [&b""[..], &id] {
                runs += 1;
                let code = wasm.check(ALG_SM2, &key, &msg, sig, sm2_id);
                let ok = match expected {
                    "valid" => code == VALID,
                    _ => matches!(code, INVALID | MALFORMED),
                };
                assert!(
                    ok,
                    "case {} ({}), {encoding}: code {code}",
                    case["id"],
                    text(case, "comment")
                );
            }
        }
    }
    println!("SM2: {valid} valid, {invalid} invalid cases, {runs} verifications in WebAssembly");
    assert_eq!(
        (valid, invalid),
        (1, 8),
        "every case of the vector file ran"
    );
    assert!(runs >= 2 * (valid + invalid));

    // The export's other answers.
    let first = &v["tests"][0];
    let rs = raw_signature(&unhex(text(first, "r")), &unhex(text(first, "s"))).unwrap();
    let msg = unhex(text(first, "msg"));
    assert_eq!(
        wasm.check(ALG_SM2, &key, &msg, &rs, b"ALICE123@YAHOO.COM"),
        UNSUPPORTED
    );
    assert_eq!(wasm.check(ALG_P256, &key, &msg, &rs, b""), BAD_KEY);
    assert_eq!(wasm.check(9, &key, &msg, &rs, b""), UNSUPPORTED);
    assert_eq!(wasm.check(ALG_SM2, &key, &msg, &rs[..10], b""), MALFORMED);
    // A null pointer with a length.
    let code = wasm
        .verify
        .call(&mut wasm.store, (ALG_SM2, 0, 65, 0, 0, 0, 0, 0, 0))
        .unwrap();
    assert_eq!(code, BAD_POINTER);
}

/// The per-key tables through the module (issue 18): a configured
/// instance makes a key's table on its third use and verifies with it
/// from then on. Bills of both curves in every signature format, each
/// valid and with the last octet of its unit signature changed, verified
/// three times over by one configured instance, get the very reports fresh
/// instances give (where no key is used twice in a bill).
#[test]
fn per_key_tables_change_no_report() {
    use piaoyan_cli::module::{Limits, Outcome, Runner};
    use piaoyan_tests::fixture::{
        Alg, BillSpec, CertsIn, Pki, SignSpec, build_bill, signature_value, with_signature_value,
    };
    use piaoyan_tests::hostile;

    let pki = Pki::new("TABLES");
    let options = hostile::options_json(&pki);
    let bill = BillSpec::medical();
    let time = bill.issue_plus(30);
    let mut bills = Vec::new();
    for (alg, other) in [(Alg::Sm2, Alg::P256), (Alg::P256, Alg::Sm2)] {
        let unit_leaf = pki.unit_leaf(alg, &bill);
        let supervisor = SignSpec::raw_der(other, &bill.issue_plus(600));
        let supervisor_leaf = pki.supervisor_leaf(other, &bill);
        for unit in [
            SignSpec::raw_der(alg, &time),
            SignSpec::raw_rs(alg, &time),
            SignSpec::detach(alg, &time),
            SignSpec::detach_signed_attrs(alg, &time),
            SignSpec::detach_with(alg, &time, true, true, CertsIn::Signer),
        ] {
            let valid = build_bill(&bill, (&unit, &unit_leaf), (&supervisor, &supervisor_leaf));
            let mut value = signature_value(&valid, "InvoicingParty").expect("unit signature");
            *value.last_mut().expect("octets") ^= 1;
            let forged = with_signature_value(&valid, "InvoicingParty", &value).expect("forged");
            bills.push((valid, "VALID"));
            bills.push((forged, "INVALID"));
        }
    }
    let runner = Runner::new(MODULE, Limits::default()).expect("module");
    let fields = |outcome: Outcome| match outcome {
        Outcome::Report(r) => r
            .fields()
            .map(|(k, v)| (k.to_owned(), v.get().to_owned()))
            .collect::<Vec<_>>(),
        other => panic!("no report: {other:?}"),
    };
    let fresh: Vec<_> = bills
        .iter()
        .map(|(bill, _)| fields(runner.verify_once(bill, options.as_bytes())))
        .collect();
    let mut worker = runner.worker(options.as_bytes());
    for round in 0..3 {
        for (i, ((bill, verdict), fresh)) in bills.iter().zip(&fresh).enumerate() {
            let report = fields(worker.verify(bill));
            let got = report
                .iter()
                .find(|(k, _)| k == "verdict")
                .map(|(_, v)| v.as_str());
            assert_eq!(got, Some(format!("\"{verdict}\"").as_str()), "bill {i}");
            assert_eq!(&report, fresh, "bill {i}, round {round}");
        }
    }
}
