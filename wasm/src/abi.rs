//! The C-style ABI (`docs/abi.md`): raw exports over linear memory.
//!
//! Every export takes and returns plain integers. Buffers are passed as
//! `(ptr, len)` pairs of offsets into the module's exported `memory`; the
//! result of [`piaoyan_verify`] is packed into one `u64` as
//! `(ptr << 32) | len`.
//!
//! The result is always one JSON object with exactly one key:
//! `{"report": {...}}` or `{"error": {"code": "...", "message": "..."}}`
//! (`{"ok": {...}}` or an error from [`piaoyan_configure`]); an options
//! error adds `"field"` and `"index"` where it has them
//! ([`options_error_envelope`]).
//!
//! Two ways to verify: [`piaoyan_verify`] takes the options with every bill;
//! [`piaoyan_configure`] parses them once into the instance and
//! [`piaoyan_verify_configured`] then takes only the bill, reusing the
//! parsed trust material and what it remembers from earlier bills
//! (certificate paths, CRL signatures). Both give the same reports.
//!
//! [`piaoyan_verify`]: exports::piaoyan_verify
//! [`piaoyan_configure`]: exports::piaoyan_configure
//! [`piaoyan_verify_configured`]: exports::piaoyan_verify_configured

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Version of this ABI. Bumped on any incompatible change of an export, of
/// the packing, or of the envelopes.
pub const ABI_VERSION: u32 = 1;

/// The verifier version, as `piaoyan_version` returns it.
pub const VERSION: &str = piaoyan_core::VERSION;

/// Error code of a `(ptr, len)` pair the module cannot read: a null pointer
/// with a non-zero length.
pub const ERR_BAD_POINTER: &str = "ABI_BAD_POINTER";

/// Error code of `piaoyan_verify_configured` before a successful
/// `piaoyan_configure`.
pub const ERR_NOT_CONFIGURED: &str = "NOT_CONFIGURED";

/// The verifier of one instance, set by `piaoyan_configure`.
#[derive(Default)]
pub struct Session {
    verifier: Option<piaoyan_core::Verifier>,
}

impl Session {
    /// Parses the options JSON and keeps the verifier. The result is
    /// `{"ok":{"trustAnchors":N,"certificates":N,"crls":N}}` (DER objects
    /// after PEM strings are split into blocks) or the error envelope
    /// `piaoyan_verify` gives for the same options. A failed call leaves
    /// the session unconfigured, so no bill is verified with stale trust.
    pub fn configure(&mut self, options_json: &[u8]) -> String {
        self.verifier = None;
        let options = match piaoyan_core::VerifyOptions::from_json(options_json) {
            Ok(o) => o,
            Err(e) => return options_error_envelope(&e),
        };
        match piaoyan_core::Verifier::new(&options) {
            Ok(v) => {
                self.verifier = Some(v);
                format!(
                    "{{\"ok\":{{\"trustAnchors\":{},\"certificates\":{},\"crls\":{}}}}}",
                    options.trust_anchors.len(),
                    options.certificates.len(),
                    options.crls.len()
                )
            }
            Err(e) => options_error_envelope(&e),
        }
    }

    /// Verifies one bill with the configured verifier: the envelope
    /// `piaoyan_verify` gives for the same bill and options.
    pub fn verify(&self, bill: &[u8]) -> String {
        let Some(verifier) = &self.verifier else {
            return error_envelope(
                ERR_NOT_CONFIGURED,
                "piaoyan_verify_configured was called before a successful piaoyan_configure",
            );
        };
        report_envelope(&piaoyan_core::to_json(&verifier.verify(bill)))
    }
}

/// `alg` of [`verify_signature`]: SM2 with SM3 (GB/T 32918.2).
pub const ALG_SM2_SM3: u32 = 1;
/// `alg` of [`verify_signature`]: ECDSA over P-256 with SHA-256.
pub const ALG_ECDSA_P256_SHA256: u32 = 2;

/// The outcome of [`verify_signature`] (`piaoyan_verify_signature`), as the
/// `u32` the export returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SignatureCheck {
    /// The signature verifies.
    Valid = 0,
    /// It decodes but does not verify (r or s out of range included).
    Invalid = 1,
    /// It is neither strict DER `SEQUENCE { r, s }` nor 64 octets r ‖ s.
    Malformed = 2,
    /// The public key is not a point of the curve (SEC1).
    BadKey = 3,
    /// An unknown `alg`, or an SM2 distinguishing identifier other than
    /// `1234567812345678` (the one the verifier uses).
    Unsupported = 4,
    /// A null pointer with a non-zero length.
    BadPointer = 5,
}

/// Verifies one bare signature by the code that verifies a bill's `RAW`
/// signatures: the key from a SEC1 point (`04‖x‖y` or `02/03‖x`), the
/// value decoded as strict DER or r ‖ s, SM2 with e = SM3(Z_A ‖ msg) or
/// ECDSA with SHA-256. `sm2_id` empty means the default identifier; for
/// ECDSA it must be empty. For hosts that test the very module they ship
/// against published vectors.
pub fn verify_signature(
    alg: u32,
    key: &[u8],
    msg: &[u8],
    sig: &[u8],
    sm2_id: &[u8],
) -> SignatureCheck {
    use piaoyan_core::inspect::{RawAlgorithm, RawSignatureCheck, check_raw_signature};
    let alg = match alg {
        ALG_SM2_SM3 => RawAlgorithm::Sm2Sm3,
        ALG_ECDSA_P256_SHA256 => RawAlgorithm::EcdsaP256Sha256,
        _ => return SignatureCheck::Unsupported,
    };
    match check_raw_signature(alg, key, msg, sig, sm2_id) {
        RawSignatureCheck::Valid => SignatureCheck::Valid,
        RawSignatureCheck::Invalid => SignatureCheck::Invalid,
        RawSignatureCheck::Malformed => SignatureCheck::Malformed,
        RawSignatureCheck::BadKey => SignatureCheck::BadKey,
        RawSignatureCheck::Unsupported => SignatureCheck::Unsupported,
    }
}

/// Verifies one bill and wraps the outcome in the result envelope.
///
/// This is the whole behaviour of `piaoyan_verify` once the host's buffers
/// are in hand; it allocates nothing the caller must free.
pub fn verify_envelope(bill: &[u8], options_json: &[u8]) -> String {
    match piaoyan_core::verify_json(bill, options_json) {
        Ok(report) => report_envelope(&report),
        Err(e) => options_error_envelope(&e),
    }
}

/// `{"report":<report JSON>}`.
fn report_envelope(report: &str) -> String {
    let mut out = String::with_capacity(report.len() + 12);
    out.push_str("{\"report\":");
    out.push_str(report);
    out.push('}');
    out
}

/// `{"error":{"code":...,"message":...}}`.
pub fn error_envelope(code: &str, message: &str) -> String {
    envelope_at(code, message, None, None)
}

/// The error envelope of bad options: `code` and `message`, then
/// `"field"` (`"trustAnchors"`, `"limits.maxDepth"`, …) and `"index"` (the
/// entry of that field), each only when the error has it.
pub fn options_error_envelope(e: &piaoyan_core::OptionsError) -> String {
    envelope_at(e.code, &e.message, e.field.as_deref(), e.index)
}

fn envelope_at(code: &str, message: &str, field: Option<&str>, index: Option<usize>) -> String {
    #[derive(serde::Serialize)]
    struct Envelope<'a> {
        error: ErrorBody<'a>,
    }
    #[derive(serde::Serialize)]
    struct ErrorBody<'a> {
        code: &'a str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    }
    piaoyan_core::to_json(&Envelope {
        error: ErrorBody {
            code,
            message,
            field,
            index,
        },
    })
}

/// Error code of `piaoyan_pem_blocks` on text that is not PEM as the
/// options read it.
pub const ERR_PEM: &str = "PEM";

/// The PEM blocks of `text` labelled `label` (every block when `label` is
/// empty), read and checked by the very code that reads the options'
/// entries: `[{"label":"CERTIFICATE","der":"<base64>"},…]`, the DER as the
/// block's base64 without its whitespace (a string the options take as
/// it is), or a message for the `PEM` error.
pub fn pem_blocks_json(text: &[u8], label: &[u8]) -> Result<String, String> {
    #[derive(serde::Serialize)]
    struct Block<'a> {
        label: &'a str,
        der: String,
    }
    let text = core::str::from_utf8(text).map_err(|_| "the PEM text is not UTF-8".to_string())?;
    let mut blocks = Vec::new();
    for block in piaoyan_core::options::pem_armour(text)? {
        if !label.is_empty() && block.label.as_bytes() != label {
            continue;
        }
        // Checked as the options will read it; handed over as its base64.
        block.der()?;
        let der = block
            .body
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        blocks.push(Block {
            label: block.label,
            der,
        });
    }
    Ok(piaoyan_core::to_json(&blocks))
}

/// The envelope of `piaoyan_pem_blocks`: `{"ok":[…]}` (see
/// [`pem_blocks_json`]) or the `PEM` error envelope.
pub fn pem_blocks_envelope(text: &[u8], label: &[u8]) -> String {
    match pem_blocks_json(text, label) {
        Ok(blocks) => {
            let mut out = String::from("{\"ok\":");
            out.push_str(&blocks);
            out.push('}');
            out
        }
        Err(message) => error_envelope(ERR_PEM, &message),
    }
}

/// Packs a buffer address and length into the `u64` the ABI returns.
pub const fn pack(ptr: u32, len: u32) -> u64 {
    ((ptr as u64) << 32) | len as u64
}

/// Splits a packed `u64` into `(ptr, len)`.
pub const fn unpack(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

#[cfg(target_arch = "wasm32")]
mod exports {
    //! The raw exports. Linear-memory offsets are `u32` and equal to
    //! pointers on `wasm32`.

    use alloc::alloc::{Layout, alloc, dealloc};
    use core::cell::RefCell;

    use super::{
        ABI_VERSION, ERR_BAD_POINTER, Session, VERSION, error_envelope, pack, pem_blocks_envelope,
        verify_envelope,
    };

    /// The instance's configured verifier: one per instance.
    static SESSION: Instance = Instance(RefCell::new(Session { verifier: None }));

    struct Instance(RefCell<Session>);

    // SAFETY: the module is built without the `atomics` target feature, so
    // an instance has exactly one thread and `SESSION` is never shared.
    unsafe impl Sync for Instance {}

    /// Every buffer is byte-aligned and at least one byte long, so that a
    /// zero-length request still gets a distinct, freeable address.
    fn layout(len: u32) -> Option<Layout> {
        Layout::from_size_align(len.max(1) as usize, 1).ok()
    }

    /// Allocates `len` bytes for the host. Returns 0 when memory is
    /// exhausted (the module never traps for that here).
    #[unsafe(no_mangle)]
    pub extern "C" fn piaoyan_alloc(len: u32) -> u32 {
        let Some(layout) = layout(len) else {
            return 0;
        };
        // SAFETY: the layout has a non-zero size.
        let ptr = unsafe { alloc(layout) };
        ptr as usize as u32
    }

    /// Frees a buffer from `piaoyan_alloc` or a result of `piaoyan_verify`,
    /// with the length it was allocated with. `ptr == 0` is a no-op.
    ///
    /// # Safety
    ///
    /// `ptr` must come from `piaoyan_alloc(len)` or be the packed pointer of
    /// a `piaoyan_verify` result of length `len`, and not be freed twice.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn piaoyan_free(ptr: u32, len: u32) {
        if ptr == 0 {
            return;
        }
        let Some(layout) = layout(len) else {
            return;
        };
        // SAFETY: by the caller's contract, `ptr` was allocated with this
        // very layout (see `layout`).
        unsafe { dealloc(ptr as usize as *mut u8, layout) }
    }

    /// # Safety
    ///
    /// `ptr..ptr+len` must be initialised bytes the host owns (from
    /// `piaoyan_alloc`), not freed during the call.
    unsafe fn host_bytes<'a>(ptr: u32, len: u32) -> Result<&'a [u8], ()> {
        match (ptr, len) {
            (_, 0) => Ok(&[]),
            (0, _) => Err(()),
            // SAFETY: upheld by the caller.
            (p, n) => {
                Ok(unsafe { core::slice::from_raw_parts(p as usize as *const u8, n as usize) })
            }
        }
    }

    /// Copies `text` into a fresh buffer the host frees with
    /// `piaoyan_free(ptr, len)`; 0 when memory is exhausted.
    fn hand_over(text: &str) -> u64 {
        let Ok(len) = u32::try_from(text.len()) else {
            return 0;
        };
        let ptr = piaoyan_alloc(len);
        if ptr == 0 {
            return 0;
        }
        // SAFETY: `ptr` is a fresh allocation of at least `len` bytes that
        // does not overlap `text`.
        unsafe {
            core::ptr::copy_nonoverlapping(text.as_ptr(), ptr as usize as *mut u8, text.len());
        }
        pack(ptr, len)
    }

    /// Verifies the bill at `bill_ptr..+bill_len` with the options JSON at
    /// `opts_ptr..+opts_len` (empty: defaults). Returns `(ptr << 32) | len`
    /// of a UTF-8 JSON envelope the host must free, or 0 when the module ran
    /// out of memory. The input buffers stay the host's.
    ///
    /// # Safety
    ///
    /// Each `(ptr, len)` with `len > 0` must be a live buffer from
    /// `piaoyan_alloc` holding at least `len` bytes.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn piaoyan_verify(
        bill_ptr: u32,
        bill_len: u32,
        opts_ptr: u32,
        opts_len: u32,
    ) -> u64 {
        // SAFETY: upheld by the caller.
        let bill = unsafe { host_bytes(bill_ptr, bill_len) };
        // SAFETY: upheld by the caller.
        let opts = unsafe { host_bytes(opts_ptr, opts_len) };
        let envelope = match (bill, opts) {
            (Ok(bill), Ok(opts)) => verify_envelope(bill, opts),
            (Err(()), _) => error_envelope(ERR_BAD_POINTER, "bill_ptr is 0 but bill_len is not"),
            (_, Err(())) => error_envelope(ERR_BAD_POINTER, "opts_ptr is 0 but opts_len is not"),
        };
        hand_over(&envelope)
    }

    /// The render module only (`docs/render.md`): verifies and draws the
    /// input at `bill_ptr..+bill_len` with the options JSON at
    /// `opts_ptr..+opts_len`. Returns `(ptr << 32) | len` of
    /// `{"render":{"pages":[…],"report":{…}}}` or an error envelope, as
    /// `piaoyan_verify` does.
    ///
    /// # Safety
    ///
    /// As for `piaoyan_verify`.
    #[cfg(feature = "render")]
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn piaoyan_render(
        bill_ptr: u32,
        bill_len: u32,
        opts_ptr: u32,
        opts_len: u32,
    ) -> u64 {
        // SAFETY: upheld by the caller.
        let bill = unsafe { host_bytes(bill_ptr, bill_len) };
        // SAFETY: upheld by the caller.
        let opts = unsafe { host_bytes(opts_ptr, opts_len) };
        let envelope = match (bill, opts) {
            (Ok(bill), Ok(opts)) => crate::render::render_envelope(bill, opts),
            (Err(()), _) => error_envelope(ERR_BAD_POINTER, "bill_ptr is 0 but bill_len is not"),
            (_, Err(())) => error_envelope(ERR_BAD_POINTER, "opts_ptr is 0 but opts_len is not"),
        };
        hand_over(&envelope)
    }

    /// Parses the options JSON at `opts_ptr..+opts_len` (empty: defaults)
    /// once and keeps the verifier in this instance for
    /// `piaoyan_verify_configured`. Returns `(ptr << 32) | len` of
    /// `{"ok":{"trustAnchors":N,"certificates":N,"crls":N}}` or of an error
    /// envelope (then the instance is unconfigured); the host frees it. 0
    /// when out of memory.
    ///
    /// # Safety
    ///
    /// As for `piaoyan_verify`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn piaoyan_configure(opts_ptr: u32, opts_len: u32) -> u64 {
        // SAFETY: upheld by the caller.
        let envelope = match unsafe { host_bytes(opts_ptr, opts_len) } {
            Ok(opts) => match SESSION.0.try_borrow_mut() {
                Ok(mut session) => session.configure(opts),
                Err(_) => error_envelope("ABI_REENTRANT", "piaoyan_configure reentered"),
            },
            Err(()) => error_envelope(ERR_BAD_POINTER, "opts_ptr is 0 but opts_len is not"),
        };
        hand_over(&envelope)
    }

    /// Verifies the bill at `bill_ptr..+bill_len` with the verifier of the
    /// last successful `piaoyan_configure`. Returns what `piaoyan_verify`
    /// returns for that bill and those options; `NOT_CONFIGURED` error
    /// envelope before any successful `piaoyan_configure`.
    ///
    /// # Safety
    ///
    /// As for `piaoyan_verify`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn piaoyan_verify_configured(bill_ptr: u32, bill_len: u32) -> u64 {
        // SAFETY: upheld by the caller.
        let envelope = match unsafe { host_bytes(bill_ptr, bill_len) } {
            Ok(bill) => match SESSION.0.try_borrow() {
                Ok(session) => session.verify(bill),
                Err(_) => error_envelope("ABI_REENTRANT", "piaoyan_verify_configured reentered"),
            },
            Err(()) => error_envelope(ERR_BAD_POINTER, "bill_ptr is 0 but bill_len is not"),
        };
        hand_over(&envelope)
    }

    /// The PEM blocks of the UTF-8 text at `text_ptr..+text_len` labelled
    /// by `label_ptr..+label_len` (empty: every label), checked as the
    /// options check them (see [`super::pem_blocks_json`]). Returns
    /// `(ptr << 32) | len` of `{"ok":[{"label":…,"der":…},…]}` or a `PEM`
    /// error envelope, which the host frees; 0 when out of memory.
    ///
    /// # Safety
    ///
    /// As for `piaoyan_verify`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn piaoyan_pem_blocks(
        text_ptr: u32,
        text_len: u32,
        label_ptr: u32,
        label_len: u32,
    ) -> u64 {
        // SAFETY: upheld by the caller, for each buffer.
        let buffers = unsafe {
            (
                host_bytes(text_ptr, text_len),
                host_bytes(label_ptr, label_len),
            )
        };
        let envelope = match buffers {
            (Ok(text), Ok(label)) => pem_blocks_envelope(text, label),
            _ => error_envelope(ERR_BAD_POINTER, "a pointer is 0 but its length is not"),
        };
        hand_over(&envelope)
    }

    /// Verifies one bare signature (see [`super::verify_signature`]):
    /// `alg` 1 (SM2-SM3) or 2 (ECDSA-P256-SHA256), the SEC1 public key,
    /// the message, the signature value (DER or r ‖ s) and the SM2
    /// distinguishing identifier (empty: the default). Returns a
    /// [`super::SignatureCheck`] code: 0 valid, 1 invalid, 2 malformed
    /// signature, 3 bad key, 4 unsupported, 5 bad pointer. Allocates
    /// nothing the host must free.
    ///
    /// # Safety
    ///
    /// As for `piaoyan_verify`.
    #[unsafe(no_mangle)]
    #[allow(clippy::too_many_arguments)]
    pub unsafe extern "C" fn piaoyan_verify_signature(
        alg: u32,
        key_ptr: u32,
        key_len: u32,
        msg_ptr: u32,
        msg_len: u32,
        sig_ptr: u32,
        sig_len: u32,
        id_ptr: u32,
        id_len: u32,
    ) -> u32 {
        // SAFETY: upheld by the caller, for each buffer.
        let buffers = unsafe {
            (
                host_bytes(key_ptr, key_len),
                host_bytes(msg_ptr, msg_len),
                host_bytes(sig_ptr, sig_len),
                host_bytes(id_ptr, id_len),
            )
        };
        let check = match buffers {
            (Ok(key), Ok(msg), Ok(sig), Ok(id)) => super::verify_signature(alg, key, msg, sig, id),
            _ => super::SignatureCheck::BadPointer,
        };
        check as u32
    }

    /// The ABI version: 1.
    #[unsafe(no_mangle)]
    pub extern "C" fn piaoyan_abi_version() -> u32 {
        ABI_VERSION
    }

    /// `(ptr << 32) | len` of the verifier version (UTF-8, e.g. `0.1.0`),
    /// in static memory: the host must NOT free it.
    #[unsafe(no_mangle)]
    pub extern "C" fn piaoyan_version() -> u64 {
        pack(VERSION.as_ptr() as usize as u32, VERSION.len() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_round_trips() {
        assert_eq!(pack(0x1234_5678, 0x9abc_def0), 0x1234_5678_9abc_def0);
        assert_eq!(unpack(0x1234_5678_9abc_def0), (0x1234_5678, 0x9abc_def0));
        assert_eq!(unpack(pack(u32::MAX, 0)), (u32::MAX, 0));
    }

    #[test]
    fn error_envelope_escapes() {
        let e = error_envelope("X", "a\"b\\c\nd\u{1}é票");
        assert_eq!(
            e,
            "{\"error\":{\"code\":\"X\",\"message\":\"a\\\"b\\\\c\\nd\\u0001é票\"}}"
        );
    }

    #[test]
    fn options_errors_say_where() {
        let e = verify_envelope(b"", b"{\"crls\":[\"AQID\",\"!!\"]}");
        assert!(
            e.starts_with("{\"error\":{\"code\":\"OPTIONS_PEM\",\"message\":\"crls[1]: "),
            "{e}"
        );
        assert!(e.ends_with("\",\"field\":\"crls\",\"index\":1}}"), "{e}");
        let e = verify_envelope(b"", b"{\"limits\":{\"maxDepth\":-1}}");
        assert!(e.ends_with("\",\"field\":\"limits.maxDepth\"}}"), "{e}");
        let e = verify_envelope(b"", b"{\"bogus\":1}");
        assert!(!e.contains("\"field\"") && !e.contains("\"index\""), "{e}");
        let mut session = Session::default();
        let e = session.configure(b"{\"certificates\":[\"AQID\"]}");
        assert!(
            e.starts_with("{\"error\":{\"code\":\"OPTIONS_CERTIFICATE\""),
            "{e}"
        );
        assert!(
            e.ends_with(",\"field\":\"certificates\",\"index\":0}}"),
            "{e}"
        );
    }

    #[test]
    fn pem_blocks_are_read_by_the_options_reader() {
        let text = "x\n-----BEGIN CERTIFICATE-----\nAQ\r\nID\n-----END CERTIFICATE-----\n\
                    -----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            pem_blocks_envelope(text.as_bytes(), b"CERTIFICATE"),
            "{\"ok\":[{\"label\":\"CERTIFICATE\",\"der\":\"AQID\"}]}"
        );
        assert_eq!(pem_blocks_envelope(b"no pem", b""), "{\"ok\":[]}");
        // Every label: the bad key is read too.
        let e = pem_blocks_envelope(text.as_bytes(), b"");
        assert!(
            e.starts_with(
                "{\"error\":{\"code\":\"PEM\",\"message\":\"PEM block PRIVATE KEY: not PEM and not base64 DER: "
            ),
            "{e}"
        );
        assert_eq!(
            pem_blocks_envelope(b"-----BEGIN CERTIFICATE-----\nAQID\n", b"CERTIFICATE"),
            "{\"error\":{\"code\":\"PEM\",\"message\":\"PEM block CERTIFICATE has no END line\"}}"
        );
        assert!(pem_blocks_envelope(b"\xff", b"").contains("not UTF-8"));
        // What it gives, the options take.
        let der = "AQID";
        let opts = format!("{{\"trustAnchors\":[\"{der}\"]}}");
        let o = piaoyan_core::VerifyOptions::from_json(opts.as_bytes()).unwrap();
        assert_eq!(o.trust_anchors, vec![vec![1, 2, 3]]);
    }

    #[test]
    fn configured_session_gives_the_same_envelopes() {
        let mut session = Session::default();
        let e = session.verify(b"<x/>");
        assert!(
            e.starts_with("{\"error\":{\"code\":\"NOT_CONFIGURED\""),
            "{e}"
        );
        assert_eq!(
            session.configure(b""),
            "{\"ok\":{\"trustAnchors\":0,\"certificates\":0,\"crls\":0}}"
        );
        for bill in [&b"<x/>"[..], b"", b"\xff\xfe"] {
            assert_eq!(session.verify(bill), verify_envelope(bill, b""));
        }
        // A failed configure unconfigures.
        let bad = session.configure(b"{\"trustAnchors\":[\"!!\"]}");
        assert_eq!(bad, verify_envelope(b"", b"{\"trustAnchors\":[\"!!\"]}"));
        assert!(session.verify(b"<x/>").contains("NOT_CONFIGURED"));
        let bad = session.configure(b"{\"bogus\":1}");
        assert!(bad.contains("OPTIONS_JSON"), "{bad}");
    }

    #[test]
    fn verify_signature_checks_one_signature() {
        // GB/T 32918.5 Annex A (ID 1234567812345678).
        let unhex = |t: &str| -> Vec<u8> {
            (0..t.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&t[i..i + 2], 16).unwrap())
                .collect()
        };
        let key = unhex(
            "0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13",
        );
        let rs = unhex(concat!(
            "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3",
            "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
        ));
        let msg = b"message digest";
        let check = |alg, key: &[u8], msg: &[u8], sig: &[u8], id: &[u8]| {
            verify_signature(alg, key, msg, sig, id)
        };
        assert_eq!(check(1, &key, msg, &rs, b""), SignatureCheck::Valid);
        assert_eq!(
            check(1, &key, msg, &rs, b"1234567812345678"),
            SignatureCheck::Valid
        );
        assert_eq!(
            check(1, &key, b"message digesT", &rs, b""),
            SignatureCheck::Invalid
        );
        assert_eq!(
            check(1, &key, msg, &rs[..63], b""),
            SignatureCheck::Malformed
        );
        assert_eq!(check(1, &key[..64], msg, &rs, b""), SignatureCheck::BadKey);
        assert_eq!(check(2, &key, msg, &rs, b""), SignatureCheck::BadKey);
        assert_eq!(
            check(1, &key, msg, &rs, b"ALICE123@YAHOO.COM"),
            SignatureCheck::Unsupported
        );
        assert_eq!(check(2, &key, msg, &rs, b"x"), SignatureCheck::Unsupported);
        assert_eq!(check(0, &key, msg, &rs, b""), SignatureCheck::Unsupported);
        assert_eq!(check(3, &key, msg, &rs, b""), SignatureCheck::Unsupported);
    }

    #[test]
    fn bad_options_give_an_error_envelope() {
        let e = verify_envelope(b"<x/>", b"{\"bogus\":1}");
        assert!(
            e.starts_with("{\"error\":{\"code\":\"OPTIONS_JSON\""),
            "{e}"
        );
        let e = verify_envelope(b"", b"{\"trustAnchors\":[\"!!\"]}");
        assert!(e.starts_with("{\"error\":{\"code\":\"OPTIONS_PEM\""), "{e}");
        let e = verify_envelope(b"", b"not json");
        assert!(
            e.starts_with("{\"error\":{\"code\":\"OPTIONS_JSON\""),
            "{e}"
        );
    }
}
