//! A small JSON writer for the report, the bill and the summaries the
//! WebAssembly module hands out.
//!
//! It writes exactly what `serde_json::to_string` writes for the same
//! values with their serde derives (compact, fields in declaration order,
//! `null` for `None`, strings escaped as serde_json escapes them), and
//! exists so that the module links neither serde's serialisation machinery
//! nor serde_json: the tests hold the two outputs equal byte for byte.
//!
//! A type is written by its [`ToJson`] impl, a list of [`Writer::field`]
//! calls in the order of the struct's fields. Writing cannot fail.

/// A JSON text being written.
///
/// Commas are placed by looking at the last byte written: a value or key
/// follows `{`, `[` or `:` without one and anything else with one. That
/// holds because every value ends in `"`, `}`, `]`, a digit or a letter.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

/// A value that writes itself as JSON.
pub trait ToJson {
    fn write_json(&self, w: &mut Writer);
}

/// `value` as compact JSON.
pub fn to_string(value: &dyn ToJson) -> String {
    let mut w = Writer::default();
    value.write_json(&mut w);
    w.out
}

impl Writer {
    /// The text written so far.
    pub fn finish(self) -> String {
        self.out
    }

    fn separate(&mut self) {
        if !matches!(self.out.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.out.push(',');
        }
    }

    /// Writes `{`, calls `members` (which writes the fields), writes `}`.
    pub fn object(&mut self, members: impl FnOnce(&mut Writer)) {
        self.separate();
        self.out.push('{');
        members(self);
        self.out.push('}');
    }

    /// One member of an object: `"name":value`. `name` is written as is: a
    /// field name, which needs no escaping.
    pub fn field(&mut self, name: &str, value: &dyn ToJson) {
        debug_assert!(!name.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
        self.separate();
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\":");
        value.write_json(self);
    }

    /// A string value.
    pub fn string(&mut self, s: &str) {
        self.separate();
        push_string(&mut self.out, s);
    }

    /// A value written as is: `null`, `true`, a number.
    fn raw(&mut self, text: &str) {
        self.separate();
        self.out.push_str(text);
    }

    fn unsigned(&mut self, negative: bool, mut n: u64) {
        self.separate();
        if negative {
            self.out.push('-');
        }
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &d in &digits[at..] {
            self.out.push(char::from(d));
        }
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it: `"`,
/// `\` and the control characters U+0000 to U+001F (`\b`, `\f`, `\n`,
/// `\r`, `\t` in short form, the others as `\u00xx` in lower case); nothing
/// else, not `/`, DEL or any non-ASCII character.
pub fn push_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Eight bytes at a time while none of them needs escaping.
        if let Some(chunk) = bytes
            .get(i..i + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
            && !any_to_escape(u64::from_le_bytes(chunk))
        {
            i += 8;
            continue;
        }
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..=0x1f => b'u',
            _ => {
                i += 1;
                continue;
            }
        };
        // `i` is at an ASCII byte, so both slices end on char boundaries.
        out.push_str(&s[start..i]);
        out.push('\\');
        out.push(char::from(short));
        if short == b'u' {
            out.push_str("00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Whether any of the eight bytes of `w` is `"`, `\` or below 0x20 (the
/// bit tricks of "Bit Twiddling Hacks": exact as a yes or no).
const fn any_to_escape(w: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    const fn any_below(w: u64, n: u8) -> bool {
        w.wrapping_sub(ONES * n as u64) & !w & HIGH != 0
    }
    any_below(w, 0x20)
        || any_below(w ^ (ONES * b'"' as u64), 1)
        || any_below(w ^ (ONES * b'\\' as u64), 1)
}

impl ToJson for str {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, w: &mut Writer) {
        w.raw(if *self { "true" } else { "false" });
    }
}

impl ToJson for u64 {
    fn write_json(&self, w: &mut Writer) {
        w.unsigned(false, *self);
    }
}

impl ToJson for u8 {
    fn write_json(&self, w: &mut Writer) {
        w.unsigned(false, u64::from(*self));
    }
}

impl ToJson for usize {
    fn write_json(&self, w: &mut Writer) {
        // usize is at most 64 bits on every target Rust supports.
        w.unsigned(false, *self as u64);
    }
}

impl ToJson for i64 {
    fn write_json(&self, w: &mut Writer) {
        w.unsigned(*self < 0, self.unsigned_abs());
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write_json(w),
            None => w.raw("null"),
        }
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, w: &mut Writer) {
        (**self).write_json(w);
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, w: &mut Writer) {
        (**self).write_json(w);
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, w: &mut Writer) {
        w.separate();
        w.out.push('[');
        for item in self {
            item.write_json(w);
        }
        w.out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut Writer) {
        self.as_slice().write_json(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: &dyn ToJson) -> String {
        to_string(v)
    }

    #[test]
    fn every_ascii_character_and_some_others_escape_as_serde_json_escapes_them() {
        let mut all: String = (0u8..=0x7f).map(char::from).collect();
        all.push_str("é票据\u{2028}\u{2029}\u{feff}\u{10ffff}😀/");
        assert_eq!(json(&all), serde_json::to_string(&all).unwrap());
        for c in (0u32..0x300)
            .chain(0xd7f0..0xe010)
            .filter_map(char::from_u32)
        {
            let s = format!("a{c}b{c}");
            assert_eq!(json(&s), serde_json::to_string(&s).unwrap(), "{c:?}");
        }
        assert_eq!(json(&""), "\"\"");
        assert_eq!(json(&"\u{8}\u{c}\u{1f}"), "\"\\b\\f\\u001f\"");
    }

    #[test]
    fn eight_byte_test_of_what_needs_escaping_is_exact() {
        let naive = |w: [u8; 8]| w.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
        let fillers = [
            b'a', b' ', b'#', b'!', b'[', b']', 0x7f, 0x80, 0xff, 0x21, 0x5d,
        ];
        for filler in fillers {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut w = [filler; 8];
                    w[at] = b;
                    assert_eq!(any_to_escape(u64::from_le_bytes(w)), naive(w), "{w:?}");
                }
            }
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let w = x.to_le_bytes();
            assert_eq!(any_to_escape(x), naive(w), "{w:?}");
        }
    }

    #[test]
    fn integers_as_serde_json_writes_them() {
        for n in [
            0i64,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            i64::MAX,
            i64::MIN,
            1_234_567_890,
        ] {
            assert_eq!(json(&n), serde_json::to_string(&n).unwrap());
            assert_eq!(json(&Some(n)), serde_json::to_string(&Some(n)).unwrap());
        }
        for n in [0u64, 7, 10, u64::MAX, 18_446_744_073_709_551_605] {
            assert_eq!(json(&n), serde_json::to_string(&n).unwrap());
        }
        for n in [0u8, 1, 4, 99, 100, 255] {
            assert_eq!(json(&n), serde_json::to_string(&n).unwrap());
        }
        for n in [0usize, 3, usize::MAX] {
            assert_eq!(json(&n), serde_json::to_string(&n).unwrap());
        }
        assert_eq!(json(&None::<i64>), "null");
        assert_eq!(json(&true), "true");
        assert_eq!(json(&false), "false");
    }

    #[test]
    fn nested_lists_and_objects_are_separated_by_commas() {
        struct Pair(i64, Vec<Vec<Option<String>>>);
        impl ToJson for Pair {
            fn write_json(&self, w: &mut Writer) {
                w.object(|w| {
                    w.field("a", &self.0);
                    w.field("list", &self.1);
                    w.field("empty", &Vec::<u8>::new());
                    w.field("last", &Box::new(true));
                });
            }
        }
        let v = vec![
            Pair(-1, vec![vec![], vec![None, Some("x".into())], vec![]]),
            Pair(2, vec![]),
        ];
        assert_eq!(
            json(&v),
            "[{\"a\":-1,\"list\":[[],[null,\"x\"],[]],\"empty\":[],\"last\":true},\
             {\"a\":2,\"list\":[],\"empty\":[],\"last\":true}]"
        );
        assert_eq!(json(&Vec::<Pair>::new()), "[]");
    }

    /// A report with every optional part present (and absent), every
    /// variant of the enums, and text that needs escaping everywhere: the
    /// same text as serde_json's.
    #[test]
    fn a_report_with_everything_is_written_as_serde_json_writes_it() {
        use crate::bill::*;
        use crate::ofd::report::*;
        use crate::report::*;

        let odd = |n: usize| format!("t{n}\u{0}\u{8}\u{c}\n\r\t\u{1f}\"\\/\u{7f}é票\u{2028}😀");
        let some = |n: usize| Some(odd(n));
        let msg = |n: usize| Message::new(odd(n), odd(n + 1));
        let extra = |n: usize| {
            vec![ExtraField {
                name: odd(n),
                value: odd(n + 1),
            }]
        };
        let cert = |n: usize| CertificateInfo {
            subject: odd(n),
            issuer: odd(n + 1),
            serial: odd(n + 2),
            not_before: odd(n + 3),
            not_after: odd(n + 4),
            key_algorithm: odd(n + 5),
            source: odd(n + 6),
            demo: n.is_multiple_of(2),
        };
        let seal = |n: usize| Seal {
            seal_id: some(n),
            seal_name: some(n + 1),
            seal_hash: some(n + 2),
        };
        let bill = Bill {
            header: Header {
                e_invoice_tag: odd(1),
                e_invoice_id: some(2),
                version: some(3),
            },
            main: Main {
                e_invoice_name: odd(4),
                e_invoice_code: odd(5),
                e_invoice_number: odd(6),
                random_number: odd(7),
                e_invoice_specimen_code: some(8),
                supervisor_area_code: odd(9),
                total_amount: Amount {
                    text: odd(10),
                    fen: Some(i64::MIN),
                },
                total_amount_capital: some(11),
                issue_date: odd(12),
                issue_time: odd(13),
                invoicing_party: InvoicingParty {
                    code: odd(14),
                    name: odd(15),
                    rec_name: some(16),
                    rec_acct: some(17),
                    rec_op_bk: some(18),
                },
                payer_party: PayerParty {
                    party_type: some(19),
                    code: some(20),
                    name: odd(21),
                    acct: some(22),
                    op_bk: some(23),
                },
                pay_mode: some(24),
                biz_code: some(25),
                currency_type: odd(26),
                exchange_rate: some(27),
                remark: some(28),
                handling_person: some(29),
                checker: some(30),
                supervisor_remark: some(31),
                main_ext: extra(32),
                invoicing_party_seal: Some(seal(34)),
                supervisor_party_seal: Some(Seal::default()),
                extra: [extra(37), extra(39)].concat(),
            },
            items: vec![
                Item {
                    code: some(41),
                    name: odd(42),
                    quantity: some(43),
                    unit: some(44),
                    std: some(45),
                    amount: Amount {
                        text: odd(46),
                        fen: Some(i64::MAX),
                    },
                    remark: some(47),
                    item_ext: extra(48),
                    extra: extra(50),
                },
                Item {
                    code: None,
                    name: String::new(),
                    quantity: None,
                    unit: None,
                    std: None,
                    amount: Amount {
                        text: String::new(),
                        fen: None,
                    },
                    remark: None,
                    item_ext: Vec::new(),
                    extra: Vec::new(),
                },
            ],
            aux_items: vec![
                AuxItem {
                    related_code: some(52),
                    related_name: some(53),
                    code: some(54),
                    name: some(55),
                    quantity: some(56),
                    unit: some(57),
                    std: some(58),
                    amount: some(59),
                    remark: some(60),
                    extra: extra(61),
                },
                AuxItem::default(),
            ],
        };
        let checks = vec![
            Check {
                id: odd(70),
                level: Level::Failure,
                result: CheckResult::Pass,
                code: None,
                message: msg(71),
            },
            Check {
                id: odd(72),
                level: Level::Warning,
                result: CheckResult::Fail,
                code: some(73),
                message: msg(74),
            },
            Check {
                id: String::new(),
                level: Level::Warning,
                result: CheckResult::NotApplicable,
                code: Some(String::new()),
                message: Message::new("", ""),
            },
        ];
        let subs = [
            SubIndication::FormatFailure,
            SubIndication::HashFailure,
            SubIndication::SigCryptoFailure,
            SubIndication::NotYetValid,
            SubIndication::Expired,
            SubIndication::Revoked,
            SubIndication::ContentFailure,
            SubIndication::IdentityMismatch,
            SubIndication::NoSigningCertificateFound,
            SubIndication::NoCertificateChainFound,
            SubIndication::CryptoConstraintsFailure,
            SubIndication::SigConstraintsFailure,
        ];
        let signatures: Vec<SignatureReport> = subs
            .iter()
            .map(|s| Some(*s))
            .chain([None])
            .enumerate()
            .map(|(i, sub)| SignatureReport {
                role: if i % 2 == 0 {
                    Role::InvoicingParty
                } else {
                    Role::Supervisor
                },
                algorithm: some(80 + i),
                format: (i % 3 == 0).then(|| odd(i)),
                encoding: some(81),
                signing_time: some(82),
                verdict: [Verdict::Valid, Verdict::Indeterminate, Verdict::Invalid][i % 3],
                sub_indication: sub,
                message: msg(83),
                signer: (i % 2 == 1).then(|| cert(84)),
                chain: vec![cert(90); i % 3],
            })
            .collect();
        let inner = Report {
            profile: odd(100),
            verifier_version: odd(101),
            format: odd(102),
            verdict: Verdict::Invalid,
            sub_indication: None,
            reason: msg(103),
            bill_key: None,
            signatures: Vec::new(),
            checks: Vec::new(),
            warnings: Vec::new(),
            bill: None,
            document: None,
            demo_trust: false,
        };
        let ofd_signature = |n: usize, full: bool| OfdSignatureReport {
            id: odd(n),
            kind: odd(n + 1),
            base_loc: odd(n + 2),
            provider: full.then(|| odd(n + 3)),
            method: full.then(|| odd(n + 4)),
            check_method: full.then(|| odd(n + 5)),
            signing_time: full.then(|| odd(n + 6)),
            encoding: full.then(|| odd(n + 7)),
            ses_version: full.then_some(u8::MAX),
            verdict: Verdict::Indeterminate,
            sub_indication: full.then_some(SubIndication::Revoked),
            message: msg(n + 8),
            signer: full.then(|| cert(n + 9)),
            chain: if full {
                vec![cert(n + 10), cert(n + 11)]
            } else {
                Vec::new()
            },
            seal: full.then(|| SealReport {
                version: 4,
                es_id: some(n + 12),
                name: some(n + 13),
                seal_type: Some(-1),
                vid: some(n + 14),
                created: some(n + 15),
                valid_from: some(n + 16),
                valid_to: some(n + 17),
                maker: Some(cert(n + 18)),
                picture: Some(Picture {
                    kind: odd(n + 19),
                    data: odd(n + 20),
                    width: Some(40),
                    height: None,
                }),
            }),
            references: if full {
                [
                    RefResult::Match,
                    RefResult::Mismatch,
                    RefResult::Missing,
                    RefResult::Tolerated,
                    RefResult::Unchecked,
                ]
                .into_iter()
                .map(|result| ReferenceReport {
                    file_ref: odd(n + 21),
                    result,
                })
                .collect()
            } else {
                Vec::new()
            },
            failed_references: if full {
                vec![odd(n + 23), String::new()]
            } else {
                Vec::new()
            },
            checks: if full { checks.clone() } else { Vec::new() },
        };
        let report = Report {
            profile: odd(110),
            verifier_version: odd(111),
            format: odd(112),
            verdict: Verdict::Valid,
            sub_indication: Some(SubIndication::HashFailure),
            reason: msg(113),
            bill_key: some(114),
            signatures,
            checks: checks.clone(),
            warnings: vec![
                Warning {
                    code: odd(115),
                    message: msg(116)
                };
                2
            ],
            bill: Some(bill.clone()),
            document: Some(DocumentReport {
                doc_root: some(120),
                prefix_bytes: u64::MAX,
                parts: 0,
                signatures: vec![ofd_signature(130, true), ofd_signature(160, false)],
                attachments: vec![
                    AttachmentReport {
                        kind: odd(190),
                        name: some(191),
                        file: odd(192),
                        format: odd(193),
                        covered: true,
                        fields: vec![
                            Field {
                                name: odd(194),
                                value: odd(195)
                            };
                            2
                        ],
                        report: Some(Box::new(Report {
                            bill: Some(bill.clone()),
                            checks,
                            ..inner.clone()
                        })),
                    },
                    AttachmentReport {
                        kind: String::new(),
                        name: None,
                        file: String::new(),
                        format: String::new(),
                        covered: false,
                        fields: Vec::new(),
                        report: None,
                    },
                ],
                uncovered: vec![odd(196), String::new()],
            }),
            demo_trust: true,
        };
        let ours = to_string(&report);
        assert_eq!(ours, serde_json::to_string(&report).unwrap());
        assert_eq!(crate::to_json(&report), ours);
        assert_eq!(to_string(&inner), serde_json::to_string(&inner).unwrap());
        assert_eq!(to_string(&bill), serde_json::to_string(&bill).unwrap());
        // Every field above was written (a missing one would also differ).
        assert!(
            ours.contains(
                "\"code\":\"t73\\u0000\\b\\f\\n\\r\\t\\u001f\\\"\\\\/\u{7f}é票\u{2028}😀\""
            )
        );
        assert!(ours.contains("\"prefixBytes\":18446744073709551615,\"parts\":0,"));
        assert!(ours.contains("\"fen\":-9223372036854775808}"));
    }

    proptest::proptest! {
        /// Any string, as serde_json writes it.
        #[test]
        fn any_string_as_serde_json_writes_it(s in "\\PC*|[\\x00-\\x7f]*|.*") {
            proptest::prop_assert_eq!(json(&s), serde_json::to_string(&s).unwrap());
        }
    }
}
