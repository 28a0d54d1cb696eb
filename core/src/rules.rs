//! Content rules of spec §2–§4 and §7: every rule becomes a [`Check`] with a
//! stable id and its level (failure or warning) exactly as the spec gives it.
//! The logic computes, per rule, whether it holds, does not apply, or is
//! broken and how ([`Broken`]); the words are in `rules/messages.rs`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::bill::{Bill, Item};
use crate::capital::{self, CapitalError};
use crate::codes;
use crate::money::{parse_decimal, product_in_fen};
use crate::report::{Check, CheckResult, Level};
use crate::time::{Date, TimeOfDay};

mod messages;

/// A content rule of the spec (and the two signing-time rules of §5.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    EInvoiceTag,
    EInvoiceId,
    EInvoiceName,
    CodeFormat,
    CodeProvince,
    CodeYear,
    EInvoiceNumber,
    RandomNumber,
    SupervisorAreaCode,
    TotalAmountFormat,
    TotalAmountCapital,
    IssueDate,
    IssueTime,
    PartyCodeCheckCharacter,
    PartyCodeLength,
    InvoicingPartyName,
    PayerPartyName,
    PayerIdCheck,
    ItemName,
    ItemAmount,
    ItemQuantity,
    ItemStd,
    QuantityTimesStd,
    ItemsSum,
    SigningOrder,
    SignedAfterIssue,
}

impl Rule {
    /// The check id of the report.
    pub fn id(self) -> &'static str {
        match self {
            Rule::EInvoiceTag => "header.eInvoiceTag",
            Rule::EInvoiceId => "header.eInvoiceId",
            Rule::EInvoiceName => "main.eInvoiceName",
            Rule::CodeFormat => "main.eInvoiceCode.format",
            Rule::CodeProvince => "main.eInvoiceCode.province",
            Rule::CodeYear => "main.eInvoiceCode.year",
            Rule::EInvoiceNumber => "main.eInvoiceNumber",
            Rule::RandomNumber => "main.randomNumber",
            Rule::SupervisorAreaCode => "main.supervisorAreaCode",
            Rule::TotalAmountFormat => "main.totalAmount.format",
            Rule::TotalAmountCapital => "main.totalAmountCapital",
            Rule::IssueDate => "main.issueDate",
            Rule::IssueTime => "main.issueTime",
            Rule::PartyCodeCheckCharacter => "main.invoicingPartyCode.checkCharacter",
            Rule::PartyCodeLength => "main.invoicingPartyCode.length",
            Rule::InvoicingPartyName => "main.invoicingPartyName",
            Rule::PayerPartyName => "main.payerPartyName",
            Rule::PayerIdCheck => "main.payerPartyCode.idCheck",
            Rule::ItemName => "items.itemName",
            Rule::ItemAmount => "items.itemAmount",
            Rule::ItemQuantity => "items.itemQuantity",
            Rule::ItemStd => "items.itemStd",
            Rule::QuantityTimesStd => "items.quantityTimesStd",
            Rule::ItemsSum => "items.sum",
            Rule::SigningOrder => "signatures.order",
            Rule::SignedAfterIssue => "signatures.signedAfterIssue",
        }
    }

    /// The warning code of a warning-level rule; `None`: a failure-level
    /// rule, which decides the verdict (CONTENT_FAILURE).
    pub fn warning_code(self) -> Option<&'static str> {
        match self {
            Rule::EInvoiceId => Some("EINVOICE_ID_MISMATCH"),
            Rule::CodeYear => Some("CODE_YEAR_MISMATCH"),
            Rule::PartyCodeLength => Some("PARTY_CODE_LENGTH"),
            Rule::PayerIdCheck => Some("PAYER_ID_CHECK"),
            Rule::QuantityTimesStd => Some("ITEM_QTY_STD_MISMATCH"),
            Rule::SigningOrder => Some("SIGNING_ORDER"),
            Rule::SignedAfterIssue => Some("SIGNED_BEFORE_ISSUE"),
            _ => None,
        }
    }

    pub fn level(self) -> Level {
        match self.warning_code() {
            Some(_) => Level::Warning,
            None => Level::Failure,
        }
    }
}

/// How a rule is broken, with what the reason names.
pub(crate) enum Broken<'a> {
    TagMismatch {
        tag: &'a str,
        expected: &'a str,
    },
    TagUncheckable {
        tag: &'a str,
        area: &'a str,
    },
    IdNotReversed {
        id: &'a str,
        key: &'a str,
    },
    NameEmpty,
    CodeFormat {
        code: &'a str,
    },
    ProvinceMismatch {
        part: &'a str,
        province: &'a str,
    },
    ProvinceUncheckable {
        code: &'a str,
        area: &'a str,
    },
    YearMismatch {
        part: &'a str,
        issue_date: &'a str,
    },
    NumberFormat {
        number: &'a str,
    },
    RandomFormat {
        random: &'a str,
    },
    AreaInvalid {
        area: &'a str,
    },
    TotalFormat {
        total: &'a str,
    },
    CapitalUncheckable {
        capital: &'a str,
        total: &'a str,
    },
    CapitalReads {
        capital: &'a str,
        value: i64,
        total: &'a str,
    },
    CapitalSpelling {
        capital: &'a str,
        error: CapitalError,
    },
    IssueDate {
        text: &'a str,
    },
    IssueTime {
        text: &'a str,
    },
    PartyCodeCheck {
        code: &'a str,
        kind: PartyCode,
    },
    PartyCodeLength {
        code: &'a str,
        len: usize,
    },
    PartyNameEmpty,
    PayerNameEmpty,
    PayerId {
        masked: &'a str,
    },
    /// Items break the rule: their numbers and how the first one does.
    Items(&'a ItemRule<'a>),
    SumDiffers {
        sum: i128,
        total: i64,
    },
    SumItemUnreadable,
    SumTotalUnreadable,
    SupervisorFirst,
    SignedBeforeIssue,
}

/// The kind of an `InvoicingPartyCode`, by its length.
#[derive(Clone, Copy)]
pub(crate) enum PartyCode {
    /// 统一社会信用代码, 18 characters.
    Uscc,
    /// 组织机构代码, 9 characters.
    Org,
}

/// How one item breaks an item rule.
pub(crate) enum ItemBroken<'a> {
    NameEmpty,
    Amount {
        text: &'a str,
    },
    /// `ItemQuantity` or `ItemStd` (`field`) not a decimal.
    Decimal6 {
        field: &'static str,
        text: &'a str,
    },
    Product {
        product: i64,
        amount: &'a str,
    },
    ProductTooLarge {
        q: &'a str,
        s: &'a str,
        amount: &'a str,
    },
    ProductUnreadable {
        q: &'a str,
        s: &'a str,
        amount: &'a str,
    },
}

/// A rule's outcome: `None` not applicable, `Some(Ok(()))` holds.
pub(crate) type Outcome<'a> = Option<Result<(), Broken<'a>>>;

/// `Ok(())` when `holds`, else the reason.
fn unless(holds: bool, broken: Broken<'_>) -> Result<(), Broken<'_>> {
    if holds { Ok(()) } else { Err(broken) }
}

/// Collects checks in a fixed order.
#[derive(Default)]
pub struct RuleChecks(pub Vec<Check>);

impl RuleChecks {
    /// Records one rule with its outcome.
    pub(crate) fn rule(&mut self, rule: Rule, outcome: Outcome<'_>) {
        let (result, message, code) = match outcome {
            Some(Ok(())) => (CheckResult::Pass, rule.holds(), None),
            Some(Err(broken)) => (
                CheckResult::Fail,
                broken.message(),
                rule.warning_code().map(str::to_string),
            ),
            None => (CheckResult::NotApplicable, rule.holds(), None),
        };
        self.0.push(Check {
            id: rule.id().to_string(),
            level: rule.level(),
            result,
            code,
            message,
        });
    }

    pub fn push(&mut self, check: Check) {
        self.0.push(check);
    }
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// Province-level administrative codes (first two digits), spec §3.
fn is_province(code: &str) -> bool {
    let Ok(n) = code.parse::<u32>() else {
        return false;
    };
    matches!(n, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
}

/// Applies every content rule to the bill.
pub fn check_content(bill: &Bill, payer_code: Option<&str>, checks: &mut RuleChecks) {
    let main = &bill.main;
    let area = main.supervisor_area_code.as_str();
    let area_ok = all_digits(area, 6) && (area == "000000" || is_province(crate::text::cut(area, 0..2)));
    let province = if area == "000000" {
        "00"
    } else {
        area.get(0..2).unwrap_or("")
    };

    // §2 Header
    let tag = bill.header.e_invoice_tag.as_str();
    let expected = format!("CZ-EI-{province}");
    // Every bill claims a tag: with no valid area code to compare it
    // with, the rule cannot hold (it is never "not applicable").
    checks.rule(
        Rule::EInvoiceTag,
        Some(if !area_ok {
            Err(Broken::TagUncheckable { tag, area })
        } else {
            unless(
                tag == expected,
                Broken::TagMismatch {
                    tag,
                    expected: &expected,
                },
            )
        }),
    );
    let key = bill.key();
    let reversed: String = key.chars().rev().collect();
    checks.rule(
        Rule::EInvoiceId,
        bill.header
            .e_invoice_id
            .as_deref()
            .map(|id| unless(id == reversed, Broken::IdNotReversed { id, key: &key })),
    );

    // §3 Main
    checks.rule(
        Rule::EInvoiceName,
        Some(unless(!main.e_invoice_name.is_empty(), Broken::NameEmpty)),
    );
    let code = main.e_invoice_code.as_str();
    let code_ok = all_digits(code, 8);
    checks.rule(
        Rule::CodeFormat,
        Some(unless(code_ok, Broken::CodeFormat { code })),
    );
    checks.rule(
        Rule::CodeProvince,
        Some(if code_ok && area_ok {
            let part = crate::text::cut(code, 0..2);
            unless(
                part == province,
                Broken::ProvinceMismatch { part, province },
            )
        } else {
            Err(Broken::ProvinceUncheckable { code, area })
        }),
    );
    let issue_date = Date::parse_compact(&main.issue_date);
    checks.rule(
        Rule::CodeYear,
        match (code_ok, issue_date) {
            (true, Some(d)) => {
                let part = crate::text::cut(code, 6..8);
                Some(unless(
                    part == format!("{:02}", i64::from(d.year % 100)),
                    Broken::YearMismatch {
                        part,
                        issue_date: &main.issue_date,
                    },
                ))
            }
            _ => None,
        },
    );
    let number = main.e_invoice_number.as_str();
    checks.rule(
        Rule::EInvoiceNumber,
        Some(unless(
            all_digits(number, 10),
            Broken::NumberFormat { number },
        )),
    );
    let random = main.random_number.as_str();
    checks.rule(
        Rule::RandomNumber,
        Some(unless(
            random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric()),
            Broken::RandomFormat { random },
        )),
    );
    checks.rule(
        Rule::SupervisorAreaCode,
        Some(unless(area_ok, Broken::AreaInvalid { area })),
    );
    let total = main.total_amount.fen;
    let total_text = main.total_amount.text.as_str();
    checks.rule(
        Rule::TotalAmountFormat,
        Some(unless(
            total.is_some(),
            Broken::TotalFormat { total: total_text },
        )),
    );
    checks.rule(
        Rule::TotalAmountCapital,
        // Present, the capital amount is a claim: with no readable
        // TotalAmount it cannot be confirmed, so it fails.
        main.total_amount_capital.as_deref().map(|capital| {
            let Some(fen) = total else {
                return Err(Broken::CapitalUncheckable {
                    capital,
                    total: total_text,
                });
            };
            match capital::parse(capital) {
                Ok(value) if value == fen => Ok(()),
                Ok(value) => Err(Broken::CapitalReads {
                    capital,
                    value,
                    total: total_text,
                }),
                Err(error) => Err(Broken::CapitalSpelling { capital, error }),
            }
        }),
    );
    checks.rule(
        Rule::IssueDate,
        Some(unless(
            issue_date.is_some(),
            Broken::IssueDate {
                text: &main.issue_date,
            },
        )),
    );
    checks.rule(
        Rule::IssueTime,
        Some(unless(
            TimeOfDay::parse_colon(&main.issue_time).is_some(),
            Broken::IssueTime {
                text: &main.issue_time,
            },
        )),
    );
    check_invoicing_party_code(&main.invoicing_party.code, checks);
    checks.rule(
        Rule::InvoicingPartyName,
        Some(unless(
            !main.invoicing_party.name.is_empty(),
            Broken::PartyNameEmpty,
        )),
    );
    checks.rule(
        Rule::PayerPartyName,
        Some(unless(
            !main.payer_party.name.is_empty(),
            Broken::PayerNameEmpty,
        )),
    );
    let personal_id = match (main.payer_party.party_type.as_deref(), payer_code) {
        (Some("1"), Some(c)) if c.chars().count() == 18 => Some(c),
        _ => None,
    };
    let masked = main.payer_party.code.as_deref().unwrap_or_default();
    checks.rule(
        Rule::PayerIdCheck,
        personal_id.map(|id| unless(codes::resident_id_is_valid(id), Broken::PayerId { masked })),
    );

    // §4 Details
    check_items(&bill.items, total, checks);
}

fn check_invoicing_party_code(code: &str, checks: &mut RuleChecks) {
    let len = code.chars().count();
    let (valid, kind) = match len {
        18 => (codes::uscc_is_valid(code), PartyCode::Uscc),
        9 => (codes::org_code_is_valid(code), PartyCode::Org),
        _ => {
            checks.rule(Rule::PartyCodeCheckCharacter, None);
            checks.rule(
                Rule::PartyCodeLength,
                Some(Err(Broken::PartyCodeLength { code, len })),
            );
            return;
        }
    };
    checks.rule(
        Rule::PartyCodeCheckCharacter,
        Some(unless(valid, Broken::PartyCodeCheck { code, kind })),
    );
    checks.rule(Rule::PartyCodeLength, Some(Ok(())));
}

/// One rule over every item: the numbers (1-based) of the items that break
/// it, `None` when it applies to no item.
pub(crate) struct ItemRule<'a> {
    applies: usize,
    broken: Vec<usize>,
    /// How the first broken item breaks it.
    first: Option<ItemBroken<'a>>,
}

impl<'a> ItemRule<'a> {
    fn new() -> ItemRule<'a> {
        ItemRule {
            applies: 0,
            broken: Vec::new(),
            first: None,
        }
    }

    fn record(&mut self, n: usize, outcome: Option<Result<(), ItemBroken<'a>>>) {
        match outcome {
            Some(Ok(())) => self.applies += 1,
            Some(Err(why)) => {
                self.applies += 1;
                self.broken.push(n);
                if self.first.is_none() {
                    self.first = Some(why);
                }
            }
            None => {}
        }
    }

    fn outcome(&self) -> Outcome<'_> {
        (self.applies > 0).then(|| unless(self.broken.is_empty(), Broken::Items(self)))
    }
}

fn item_unless(holds: bool, broken: ItemBroken<'_>) -> Option<Result<(), ItemBroken<'_>>> {
    Some(if holds { Ok(()) } else { Err(broken) })
}

fn check_items(items: &[Item], total: Option<i64>, checks: &mut RuleChecks) {
    let mut names = ItemRule::new();
    let mut amounts = ItemRule::new();
    let mut quantities = ItemRule::new();
    let mut prices = ItemRule::new();
    let mut products = ItemRule::new();
    // Exact: i128 holds the sum of any number of i64 amounts the item bound
    // allows; `None` only when an amount is unreadable (§4: a sum is exact
    // or the rule fails, it is never skipped).
    let mut sum: Option<i128> = Some(0);
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        names.record(n, item_unless(!item.name.is_empty(), ItemBroken::NameEmpty));
        let amount = item.amount.text.as_str();
        amounts.record(
            n,
            item_unless(
                item.amount.fen.is_some(),
                ItemBroken::Amount { text: amount },
            ),
        );
        sum = match (sum, item.amount.fen) {
            (Some(s), Some(a)) => s.checked_add(i128::from(a)),
            _ => None,
        };
        let qty = item.quantity.as_deref().map(|q| (q, parse_decimal(q, 6)));
        let std = item.std.as_deref().map(|s| (s, parse_decimal(s, 6)));
        for (rule, field, value) in [
            (&mut quantities, "ItemQuantity", &qty),
            (&mut prices, "ItemStd", &std),
        ] {
            rule.record(
                n,
                value.as_ref().map(|(text, d)| match d {
                    Some(_) => Ok(()),
                    None => Err(ItemBroken::Decimal6 { field, text }),
                }),
            );
        }
        // With both ItemQuantity and ItemStd present the bill claims the
        // product: it holds only when it is computed and equals the amount.
        // A product past i64 fen cannot equal an amount that fits; an
        // unreadable quantity, price or amount leaves nothing to equal.
        let Some(((q, q_value), (s, s_value))) = qty.zip(std) else {
            continue;
        };
        let outcome = match ((q_value, s_value), item.amount.fen) {
            ((Some(qv), Some(sv)), amount_fen) => match (product_in_fen(qv, sv), amount_fen) {
                (Some(p), Some(a)) if p == a => Ok(()),
                (Some(product), Some(_)) => Err(ItemBroken::Product { product, amount }),
                (None, _) => Err(ItemBroken::ProductTooLarge { q, s, amount }),
                (Some(_), None) => Err(ItemBroken::ProductUnreadable { q, s, amount }),
            },
            _ => Err(ItemBroken::ProductUnreadable { q, s, amount }),
        };
        products.record(n, Some(outcome));
    }
    for (rule, items) in [
        (Rule::ItemName, &names),
        (Rule::ItemAmount, &amounts),
        (Rule::ItemQuantity, &quantities),
        (Rule::ItemStd, &prices),
        (Rule::QuantityTimesStd, &products),
    ] {
        checks.rule(rule, items.outcome());
    }
    checks.rule(
        Rule::ItemsSum,
        Some(match (sum, total) {
            (Some(s), Some(t)) => {
                unless(s == i128::from(t), Broken::SumDiffers { sum: s, total: t })
            }
            (None, _) => Err(Broken::SumItemUnreadable),
            (Some(_), None) => Err(Broken::SumTotalUnreadable),
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Limits;

    /// A bill of two items (0.60 + 0.40) with `edit` applied to its XML.
    fn checks_of(edit: impl Fn(String) -> String) -> Vec<Check> {
        let xml = edit(
            "<EInvoice><Header><EInvoiceTag>CZ-EI-44</EInvoiceTag></Header><EInvoiceData><Main>\
             <EInvoiceName>n</EInvoiceName><EInvoiceCode>44060225</EInvoiceCode>\
             <EInvoiceNumber>0845945805</EInvoiceNumber><RandomNumber>5bjAr0</RandomNumber>\
             <SupervisorAreaCode>440300</SupervisorAreaCode><TotalAmount>1.00</TotalAmount>\
             <TotalAmountCapital>壹元整</TotalAmountCapital>\
             <IssueDate>20250101</IssueDate><IssueTime>11:59:00</IssueTime>\
             <InvoicingParty><InvoicingPartyCode>812415869</InvoicingPartyCode><InvoicingPartyName>u</InvoicingPartyName></InvoicingParty>\
             <PayerParty><PayerPartyName>p</PayerPartyName></PayerParty></Main><Details>\
             <Item><ItemName>a</ItemName><ItemQuantity>2</ItemQuantity><ItemStd>0.30</ItemStd><ItemAmount>0.60</ItemAmount></Item>\
             <Item><ItemName>b</ItemName><ItemAmount>0.40</ItemAmount></Item></Details></EInvoiceData>\
             <EInvoiceSignature><Signature Id=\"InvoicingParty\"><SignedInfo><Reference>Header EInvoiceData</Reference>\
             <SignatureAlgorithm>SM2</SignatureAlgorithm><SignatureFormat>RAW</SignatureFormat></SignedInfo>\
             <SignatureTime>20250101120000</SignatureTime><SignatureValue>AA==</SignatureValue></Signature>\
             <Signature Id=\"Supervisor\"><SignedInfo><Reference>Header EInvoiceData InvoicingParty</Reference>\
             <SignatureAlgorithm>SM2</SignatureAlgorithm><SignatureFormat>RAW</SignatureFormat></SignedInfo>\
             <SignatureTime>20250101120100</SignatureTime><SignatureValue>AA==</SignatureValue></Signature>\
             </EInvoiceSignature></EInvoice>"
                .to_string(),
        );
        let parsed = crate::parse::parse(xml.as_bytes(), &Limits::default()).expect("parses");
        let mut checks = RuleChecks::default();
        check_content(&parsed.bill, parsed.payer_code.as_deref(), &mut checks);
        checks.0
    }

    fn result(checks: &[Check], id: &str) -> CheckResult {
        checks
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no check {id}"))
            .result
    }

    #[test]
    fn the_base_bill_passes_every_rule() {
        let checks = checks_of(|x| x);
        for c in &checks {
            assert_ne!(c.result, CheckResult::Fail, "{c:?}");
        }
        for id in [
            "header.eInvoiceTag",
            "main.eInvoiceCode.province",
            "main.totalAmountCapital",
            "items.sum",
            "items.quantityTimesStd",
        ] {
            assert_eq!(result(&checks, id), CheckResult::Pass, "{id}");
        }
    }

    /// A rule whose subject the bill carries but which cannot be decided
    /// fails; it is never "not applicable" (spec §4).
    #[test]
    fn rules_that_cannot_be_decided_fail() {
        let cases: [(&str, (&str, &str), &[&str]); 9] = [
            (
                "TotalAmount too large for a capital spelling",
                ("<TotalAmount>1.00<", "<TotalAmount>1000000000000.00<"),
                &["main.totalAmountCapital", "items.sum"],
            ),
            (
                "TotalAmount unreadable",
                ("<TotalAmount>1.00<", "<TotalAmount>1.001<"),
                &["items.sum", "main.totalAmountCapital"],
            ),
            (
                "an ItemAmount unreadable",
                ("<ItemAmount>0.40<", "<ItemAmount>0.4O<"),
                &["items.sum"],
            ),
            (
                "an ItemAmount past i64",
                ("<ItemAmount>0.40<", "<ItemAmount>99999999999999999.40<"),
                &["items.sum"],
            ),
            (
                "SupervisorAreaCode not a province",
                ("<SupervisorAreaCode>440300", "<SupervisorAreaCode>990300"),
                &["header.eInvoiceTag", "main.eInvoiceCode.province"],
            ),
            (
                "SupervisorAreaCode not 6 digits",
                ("<SupervisorAreaCode>440300", "<SupervisorAreaCode>44"),
                &["header.eInvoiceTag", "main.eInvoiceCode.province"],
            ),
            (
                "EInvoiceCode not 8 digits",
                ("<EInvoiceCode>44060225", "<EInvoiceCode>4406022X"),
                &["main.eInvoiceCode.province"],
            ),
            (
                "ItemQuantity unreadable",
                ("<ItemQuantity>2<", "<ItemQuantity>two<"),
                &["items.quantityTimesStd"],
            ),
            (
                "quantity × price past i64 fen",
                ("<ItemQuantity>2<", "<ItemQuantity>999999999999999999<"),
                &["items.quantityTimesStd"],
            ),
        ];
        for (what, (from, to), ids) in cases {
            let checks = checks_of(|x| x.replace(from, to));
            for id in ids {
                assert_eq!(result(&checks, id), CheckResult::Fail, "{what}: {id}");
            }
        }
    }

    /// Not applicable stays for what the bill does not claim.
    #[test]
    fn rules_on_absent_optional_fields_are_not_applicable() {
        let checks = checks_of(|x| {
            x.replace("<TotalAmountCapital>壹元整</TotalAmountCapital>", "")
                .replace("<ItemQuantity>2</ItemQuantity>", "")
        });
        for id in [
            "main.totalAmountCapital",
            "items.quantityTimesStd",
            "header.eInvoiceId",
            "items.itemQuantity",
        ] {
            assert_eq!(result(&checks, id), CheckResult::NotApplicable, "{id}");
        }
    }
}
