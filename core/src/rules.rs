//! Content rules of spec §2–§4 and §7: every rule becomes a [`Check`] with a
//! stable id and its level (failure or warning) exactly as the spec gives it.

use crate::bill::{Bill, Item};
use crate::capital;
use crate::codes;
use crate::money::{self, parse_decimal, product_in_fen};
use crate::report::{Check, CheckResult, Level, Message};
use crate::time::{Date, TimeOfDay};

/// Collects checks in a fixed order.
#[derive(Default)]
pub struct RuleChecks(pub Vec<Check>);

impl RuleChecks {
    /// Records one rule: `Some(true)` pass, `Some(false)` fail,
    /// `None` not applicable. `what` describes the rule, `why` the failure.
    #[allow(clippy::too_many_arguments)]
    pub fn rule(
        &mut self,
        id: &str,
        level: Level,
        code: Option<&str>,
        outcome: Option<bool>,
        what: (&str, &str),
        why: impl FnOnce() -> (String, String),
    ) {
        let (result, message, code) = match outcome {
            Some(true) => (CheckResult::Pass, Message::new(what.0, what.1), None),
            Some(false) => {
                let (zh, en) = why();
                (
                    CheckResult::Fail,
                    Message::new(zh, en),
                    code.map(str::to_string),
                )
            }
            None => (
                CheckResult::NotApplicable,
                Message::new(what.0, what.1),
                None,
            ),
        };
        self.0.push(Check {
            id: id.to_string(),
            level,
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
    use Level::{Failure, Warning};
    let main = &bill.main;
    let area = main.supervisor_area_code.as_str();
    let area_ok = all_digits(area, 6) && (area == "000000" || is_province(&area[0..2]));
    let province = if area == "000000" {
        "00"
    } else {
        area.get(0..2).unwrap_or("")
    };

    // §2 Header
    let tag = bill.header.e_invoice_tag.as_str();
    let expected_tag = format!("CZ-EI-{province}");
    // Every bill claims a tag: with no valid area code to compare it
    // with, the rule cannot hold (it is never "not applicable").
    checks.rule(
        "header.eInvoiceTag",
        Failure,
        None,
        Some(area_ok && tag == expected_tag),
        (
            "EInvoiceTag 与监管区划一致",
            "EInvoiceTag matches the supervisor area",
        ),
        || {
            if area_ok {
                (
                    format!("EInvoiceTag“{tag}”应为“{expected_tag}”"),
                    format!("EInvoiceTag \"{tag}\" should be \"{expected_tag}\""),
                )
            } else {
                (
                    format!("监管区划代码“{area}”无效，无法核对 EInvoiceTag“{tag}”"),
                    format!(
                        "EInvoiceTag \"{tag}\" cannot be checked: SupervisorAreaCode \"{area}\" is not a valid area code"
                    ),
                )
            }
        },
    );
    let key = bill.key();
    let reversed: String = key.chars().rev().collect();
    let id = bill.header.e_invoice_id.as_deref();
    checks.rule(
        "header.eInvoiceId",
        Warning,
        Some("EINVOICE_ID_MISMATCH"),
        id.map(|id| id == reversed),
        (
            "EInvoiceID 是票据代码-号码的倒序",
            "EInvoiceID is the reverse of code-number",
        ),
        || {
            (
                format!("EInvoiceID“{}”不是“{key}”的倒序", id.unwrap_or("")),
                format!(
                    "EInvoiceID \"{}\" is not the reverse of \"{key}\"",
                    id.unwrap_or("")
                ),
            )
        },
    );

    // §3 Main
    checks.rule(
        "main.eInvoiceName",
        Failure,
        None,
        Some(!main.e_invoice_name.is_empty()),
        ("票据名称不为空", "EInvoiceName is not empty"),
        || ("票据名称为空".into(), "EInvoiceName is empty".into()),
    );
    let code = main.e_invoice_code.as_str();
    let code_ok = all_digits(code, 8);
    checks.rule(
        "main.eInvoiceCode.format",
        Failure,
        None,
        Some(code_ok),
        ("票据代码为 8 位数字", "EInvoiceCode has 8 digits"),
        || {
            (
                format!("票据代码“{code}”不是 8 位数字"),
                format!("EInvoiceCode \"{code}\" is not 8 digits"),
            )
        },
    );
    checks.rule(
        "main.eInvoiceCode.province",
        Failure,
        None,
        Some(code_ok && area_ok && code[0..2] == *province),
        ("票据代码的省份部分与监管区划一致", "EInvoiceCode province part matches SupervisorAreaCode"),
        || {
            if code_ok && area_ok {
                (
                    format!("票据代码省份部分“{}”与监管区划“{province}”不符", &code[0..2]),
                    format!(
                        "EInvoiceCode province part \"{}\" differs from SupervisorAreaCode \"{province}\"",
                        &code[0..2]
                    ),
                )
            } else {
                (
                    format!("票据代码“{code}”或监管区划代码“{area}”无效，无法核对省份部分"),
                    format!(
                        "the province part cannot be checked: EInvoiceCode \"{code}\" or SupervisorAreaCode \"{area}\" is not valid"
                    ),
                )
            }
        },
    );
    let issue_date = Date::parse_compact(&main.issue_date);
    checks.rule(
        "main.eInvoiceCode.year",
        Warning,
        Some("CODE_YEAR_MISMATCH"),
        match (code_ok, issue_date) {
            (true, Some(d)) => Some(code[6..8] == format!("{:02}", d.year % 100)),
            _ => None,
        },
        (
            "票据代码的年份部分与开票日期一致",
            "EInvoiceCode year part matches IssueDate",
        ),
        || {
            (
                format!(
                    "票据代码年份部分“{}”与开票日期 {} 不符",
                    &code[6..8],
                    main.issue_date
                ),
                format!(
                    "EInvoiceCode year part \"{}\" differs from IssueDate {}",
                    &code[6..8],
                    main.issue_date
                ),
            )
        },
    );
    let number = main.e_invoice_number.as_str();
    checks.rule(
        "main.eInvoiceNumber",
        Failure,
        None,
        Some(all_digits(number, 10)),
        ("票据号码为 10 位数字", "EInvoiceNumber has 10 digits"),
        || {
            (
                format!("票据号码“{number}”不是 10 位数字"),
                format!("EInvoiceNumber \"{number}\" is not 10 digits"),
            )
        },
    );
    let random = main.random_number.as_str();
    checks.rule(
        "main.randomNumber",
        Failure,
        None,
        Some(random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric())),
        (
            "校验码为 6 位字母或数字",
            "RandomNumber is 6 letters or digits",
        ),
        || {
            (
                format!("校验码“{random}”不是 6 位字母或数字"),
                format!("RandomNumber \"{random}\" is not 6 letters or digits"),
            )
        },
    );
    checks.rule(
        "main.supervisorAreaCode",
        Failure,
        None,
        Some(area_ok),
        (
            "监管区划代码为 6 位有效区划",
            "SupervisorAreaCode is a valid 6-digit area code",
        ),
        || {
            (
                format!("监管区划代码“{area}”无效"),
                format!("SupervisorAreaCode \"{area}\" is not a valid area code"),
            )
        },
    );
    let total = main.total_amount.fen;
    let total_text = main.total_amount.text.as_str();
    checks.rule(
        "main.totalAmount.format",
        Failure,
        None,
        Some(total.is_some()),
        (
            "金额合计为最多两位小数的数值",
            "TotalAmount is a decimal with at most 2 fraction digits",
        ),
        || {
            (
                format!("金额合计“{total_text}”不是最多两位小数的数值"),
                format!(
                    "TotalAmount \"{total_text}\" is not a decimal with at most 2 fraction digits"
                ),
            )
        },
    );
    let capital_text = main.total_amount_capital.as_deref();
    checks.rule(
        "main.totalAmountCapital",
        Failure,
        None,
        // Present, the capital amount is a claim: with no readable
        // TotalAmount it cannot be confirmed, so it fails.
        match (capital_text, total) {
            (Some(c), Some(fen)) => Some(capital::spells(c, fen)),
            (Some(_), None) => Some(false),
            (None, _) => None,
        },
        (
            "大写金额与金额合计一致",
            "TotalAmountCapital spells TotalAmount",
        ),
        || {
            let c = capital_text.unwrap_or("");
            if total.is_none() {
                return (
                    format!("金额合计“{total_text}”无效，无法核对大写金额“{c}”"),
                    format!(
                        "TotalAmountCapital \"{c}\" cannot be checked: TotalAmount \"{total_text}\" is not a valid amount"
                    ),
                );
            }
            match capital::parse(c) {
                Ok(v) => (
                    format!(
                        "大写金额“{c}”表示 {}，而金额合计为 {total_text}",
                        money::format_fen(v)
                    ),
                    format!(
                        "TotalAmountCapital \"{c}\" reads {}, but TotalAmount is {total_text}",
                        money::format_fen(v)
                    ),
                ),
                Err(e) => (
                    format!("大写金额“{c}”写法有误：{}", e.message().zh),
                    format!(
                        "TotalAmountCapital \"{c}\" is not a correct spelling: {}",
                        e.message().en
                    ),
                ),
            }
        },
    );
    checks.rule(
        "main.issueDate",
        Failure,
        None,
        Some(issue_date.is_some()),
        (
            "开票日期为有效日期 yyyyMMdd",
            "IssueDate is a real date yyyyMMdd",
        ),
        || {
            (
                format!("开票日期“{}”不是有效日期", main.issue_date),
                format!(
                    "IssueDate \"{}\" is not a real yyyyMMdd date",
                    main.issue_date
                ),
            )
        },
    );
    checks.rule(
        "main.issueTime",
        Failure,
        None,
        Some(TimeOfDay::parse_colon(&main.issue_time).is_some()),
        ("开票时间为 HH:mm:ss", "IssueTime is HH:mm:ss"),
        || {
            (
                format!("开票时间“{}”不是 HH:mm:ss", main.issue_time),
                format!("IssueTime \"{}\" is not HH:mm:ss", main.issue_time),
            )
        },
    );
    check_invoicing_party_code(&main.invoicing_party.code, checks);
    checks.rule(
        "main.invoicingPartyName",
        Failure,
        None,
        Some(!main.invoicing_party.name.is_empty()),
        ("开票单位名称不为空", "InvoicingPartyName is not empty"),
        || {
            (
                "开票单位名称为空".into(),
                "InvoicingPartyName is empty".into(),
            )
        },
    );
    checks.rule(
        "main.payerPartyName",
        Failure,
        None,
        Some(!main.payer_party.name.is_empty()),
        ("交款人名称不为空", "PayerPartyName is not empty"),
        || ("交款人名称为空".into(), "PayerPartyName is empty".into()),
    );
    let personal_id = match (main.payer_party.party_type.as_deref(), payer_code) {
        (Some("1"), Some(c)) if c.chars().count() == 18 => Some(c),
        _ => None,
    };
    let masked = main.payer_party.code.clone().unwrap_or_default();
    checks.rule(
        "main.payerPartyCode.idCheck",
        Warning,
        Some("PAYER_ID_CHECK"),
        personal_id.map(codes::resident_id_is_valid),
        (
            "交款人身份证号码校验位正确",
            "the payer's identity number has a right check character",
        ),
        || {
            (
                format!("交款人身份证号码 {masked} 校验位不正确"),
                format!("the payer's identity number {masked} has a wrong check character"),
            )
        },
    );

    // §4 Details
    check_items(&bill.items, total, checks);
}

fn check_invoicing_party_code(code: &str, checks: &mut RuleChecks) {
    let len = code.chars().count();
    let (valid, kind_zh, kind_en) = match len {
        18 => (
            Some(codes::uscc_is_valid(code)),
            "统一社会信用代码",
            "unified social credit code",
        ),
        9 => (
            Some(codes::org_code_is_valid(code)),
            "组织机构代码",
            "organisation code",
        ),
        _ => (None, "", ""),
    };
    checks.rule(
        "main.invoicingPartyCode.checkCharacter",
        Level::Failure,
        None,
        valid,
        (
            "开票单位代码校验位正确",
            "InvoicingPartyCode has a right check character",
        ),
        || {
            (
                format!("开票单位{kind_zh}“{code}”校验位不正确"),
                format!(
                    "InvoicingPartyCode \"{code}\" is a {kind_en} with a wrong check character"
                ),
            )
        },
    );
    checks.rule(
        "main.invoicingPartyCode.length",
        Level::Warning,
        Some("PARTY_CODE_LENGTH"),
        Some(valid.is_some()),
        (
            "开票单位代码为 18 位或 9 位",
            "InvoicingPartyCode has 18 or 9 characters",
        ),
        || {
            (
                format!("开票单位代码“{code}”有 {len} 位，既非 18 位也非 9 位"),
                format!("InvoicingPartyCode \"{code}\" has {len} characters, neither 18 nor 9"),
            )
        },
    );
}

/// One rule over every item: the numbers (1-based) of the items that break
/// it, `None` when it applies to no item.
struct ItemRule {
    applies: usize,
    broken: Vec<usize>,
    /// Detail of the first broken item.
    first: Option<(String, String)>,
}

impl ItemRule {
    fn new() -> ItemRule {
        ItemRule {
            applies: 0,
            broken: Vec::new(),
            first: None,
        }
    }

    fn record(&mut self, n: usize, outcome: Option<bool>, why: impl FnOnce() -> (String, String)) {
        match outcome {
            Some(true) => self.applies += 1,
            Some(false) => {
                self.applies += 1;
                self.broken.push(n);
                if self.first.is_none() {
                    self.first = Some(why());
                }
            }
            None => {}
        }
    }

    fn outcome(&self) -> Option<bool> {
        (self.applies > 0).then_some(self.broken.is_empty())
    }

    /// "items 3, 7, 9 and 2 more" plus the first item's detail.
    fn message(&self) -> (String, String) {
        const SHOWN: usize = 5;
        let list: Vec<String> = self
            .broken
            .iter()
            .take(SHOWN)
            .map(usize::to_string)
            .collect();
        let more = self.broken.len().saturating_sub(SHOWN);
        let (zh_more, en_more) = if more > 0 {
            (format!(" 等，另有 {more} 项"), format!(" and {more} more"))
        } else {
            (String::new(), String::new())
        };
        let (zh, en) = self.first.clone().unwrap_or_default();
        (
            format!("第 {}{zh_more} 项不符：{zh}", list.join("、")),
            format!("item {}{en_more} broken: {en}", list.join(", ")),
        )
    }
}

fn check_items(items: &[Item], total: Option<i64>, checks: &mut RuleChecks) {
    use Level::{Failure, Warning};
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
        names.record(n, Some(!item.name.is_empty()), || {
            ("项目名称为空".into(), "ItemName is empty".into())
        });
        let text = item.amount.text.as_str();
        amounts.record(n, Some(item.amount.fen.is_some()), || {
            (
                format!("金额“{text}”不是最多两位小数的数值"),
                format!("ItemAmount \"{text}\" is not a decimal with at most 2 fraction digits"),
            )
        });
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
            rule.record(n, value.as_ref().map(|(_, d)| d.is_some()), || {
                let t = value.as_ref().map(|(t, _)| *t).unwrap_or("");
                (
                    format!("{field}“{t}”不是最多六位小数的数值"),
                    format!("{field} \"{t}\" is not a decimal with at most 6 fraction digits"),
                )
            });
        }
        // With both ItemQuantity and ItemStd present the bill claims the
        // product: it holds only when it is computed and equals the amount.
        // A product past i64 fen cannot equal an amount that fits; an
        // unreadable quantity, price or amount leaves nothing to equal.
        let Some(((q_text, q), (s_text, s))) = qty.zip(std) else {
            continue;
        };
        let product = match (q, s) {
            (Some(q), Some(s)) => Product::Computed(product_in_fen(q, s)),
            _ => Product::Unreadable,
        };
        let outcome = match (&product, item.amount.fen) {
            (Product::Computed(Some(p)), Some(a)) => *p == a,
            _ => false,
        };
        products.record(n, Some(outcome), || match product {
            Product::Computed(Some(p)) if item.amount.fen.is_some() => {
                let p = money::format_fen(p);
                (
                    format!("数量 × 单价 = {p}，而金额为 {text}"),
                    format!("quantity × unit price = {p}, but ItemAmount is {text}"),
                )
            }
            Product::Computed(None) => (
                format!("数量 {q_text} × 单价 {s_text} 超出可表示的金额范围，不可能等于金额 {text}"),
                format!(
                    "quantity {q_text} × unit price {s_text} is past the largest amount, so it cannot equal ItemAmount {text}"
                ),
            ),
            _ => (
                format!("数量“{q_text}”、单价“{s_text}”或金额“{text}”无效，无法核对"),
                format!(
                    "quantity \"{q_text}\" × unit price \"{s_text}\" cannot be checked against ItemAmount \"{text}\": one of them is not a valid number"
                ),
            ),
        });
    }
    let rules = [
        (
            "items.itemName",
            Failure,
            None,
            &names,
            ("每项的项目名称不为空", "every ItemName is not empty"),
        ),
        (
            "items.itemAmount",
            Failure,
            None,
            &amounts,
            (
                "每项金额为最多两位小数的数值",
                "every ItemAmount is a decimal with at most 2 fraction digits",
            ),
        ),
        (
            "items.itemQuantity",
            Failure,
            None,
            &quantities,
            (
                "数量为最多六位小数的数值",
                "every ItemQuantity is a decimal with at most 6 fraction digits",
            ),
        ),
        (
            "items.itemStd",
            Failure,
            None,
            &prices,
            (
                "单价为最多六位小数的数值",
                "every ItemStd is a decimal with at most 6 fraction digits",
            ),
        ),
        (
            "items.quantityTimesStd",
            Warning,
            Some("ITEM_QTY_STD_MISMATCH"),
            &products,
            (
                "数量 × 单价（四舍五入到分）等于金额",
                "quantity × unit price, rounded half-up to fen, equals ItemAmount",
            ),
        ),
    ];
    for (id, level, code, rule, what) in rules {
        checks.rule(id, level, code, rule.outcome(), what, || rule.message());
    }
    checks.rule(
        "items.sum",
        Failure,
        None,
        Some(matches!((sum, total), (Some(s), Some(t)) if s == i128::from(t))),
        (
            "各项金额之和等于金额合计",
            "the item amounts add up to TotalAmount",
        ),
        || match (sum, total) {
            (Some(s), Some(t)) => {
                let (s, t) = (money::format_fen(s), money::format_fen(t));
                (
                    format!("各项金额之和为 {s}，而金额合计为 {t}"),
                    format!("the item amounts add up to {s}, but TotalAmount is {t}"),
                )
            }
            (None, _) => (
                "有项目金额无效，无法核对各项金额之和".into(),
                "the item sum cannot be checked: an ItemAmount is not a valid amount".into(),
            ),
            (Some(_), None) => (
                "金额合计无效，无法核对各项金额之和".into(),
                "the item sum cannot be checked: TotalAmount is not a valid amount".into(),
            ),
        },
    );
}

/// `ItemQuantity × ItemStd` of one item: computed (`None` past i64 fen) or
/// not, when one of them is not a decimal.
enum Product {
    Computed(Option<i64>),
    Unreadable,
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
