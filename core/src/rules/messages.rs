//! The words of the content rules: what each rule checks (the message of a
//! rule that holds or does not apply) and why a broken one fails.

#[allow(unused_imports)]
use crate::prelude::*;

use super::{Broken, ItemBroken, ItemRule, PartyCode, Rule};
use crate::money;
use crate::report::Message;

impl Rule {
    /// The message of a rule that holds or does not apply.
    pub fn holds(self) -> Message {
        let (zh, en) = match self {
            Rule::EInvoiceTag => (
                "EInvoiceTag 与监管区划一致",
                "EInvoiceTag matches the supervisor area",
            ),
            Rule::EInvoiceId => (
                "EInvoiceID 是票据代码-号码的倒序",
                "EInvoiceID is the reverse of code-number",
            ),
            Rule::EInvoiceName => ("票据名称不为空", "EInvoiceName is not empty"),
            Rule::CodeFormat => ("票据代码为 8 位数字", "EInvoiceCode has 8 digits"),
            Rule::CodeProvince => (
                "票据代码的省份部分与监管区划一致",
                "EInvoiceCode province part matches SupervisorAreaCode",
            ),
            Rule::CodeYear => (
                "票据代码的年份部分与开票日期一致",
                "EInvoiceCode year part matches IssueDate",
            ),
            Rule::EInvoiceNumber => ("票据号码为 10 位数字", "EInvoiceNumber has 10 digits"),
            Rule::RandomNumber => (
                "校验码为 6 位字母或数字",
                "RandomNumber is 6 letters or digits",
            ),
            Rule::SupervisorAreaCode => (
                "监管区划代码为 6 位有效区划",
                "SupervisorAreaCode is a valid 6-digit area code",
            ),
            Rule::TotalAmountFormat => (
                "金额合计为最多两位小数的数值",
                "TotalAmount is a decimal with at most 2 fraction digits",
            ),
            Rule::TotalAmountCapital => (
                "大写金额与金额合计一致",
                "TotalAmountCapital spells TotalAmount",
            ),
            Rule::IssueDate => (
                "开票日期为有效日期 yyyyMMdd",
                "IssueDate is a real date yyyyMMdd",
            ),
            Rule::IssueTime => ("开票时间为 HH:mm:ss", "IssueTime is HH:mm:ss"),
            Rule::PartyCodeCheckCharacter => (
                "开票单位代码校验位正确",
                "InvoicingPartyCode has a right check character",
            ),
            Rule::PartyCodeLength => (
                "开票单位代码为 18 位或 9 位",
                "InvoicingPartyCode has 18 or 9 characters",
            ),
            Rule::InvoicingPartyName => ("开票单位名称不为空", "InvoicingPartyName is not empty"),
            Rule::PayerPartyName => ("交款人名称不为空", "PayerPartyName is not empty"),
            Rule::PayerIdCheck => (
                "交款人身份证号码校验位正确",
                "the payer's identity number has a right check character",
            ),
            Rule::ItemName => ("每项的项目名称不为空", "every ItemName is not empty"),
            Rule::ItemAmount => (
                "每项金额为最多两位小数的数值",
                "every ItemAmount is a decimal with at most 2 fraction digits",
            ),
            Rule::ItemQuantity => (
                "数量为最多六位小数的数值",
                "every ItemQuantity is a decimal with at most 6 fraction digits",
            ),
            Rule::ItemStd => (
                "单价为最多六位小数的数值",
                "every ItemStd is a decimal with at most 6 fraction digits",
            ),
            Rule::QuantityTimesStd => (
                "数量 × 单价（四舍五入到分）等于金额",
                "quantity × unit price, rounded half-up to fen, equals ItemAmount",
            ),
            Rule::ItemsSum => (
                "各项金额之和等于金额合计",
                "the item amounts add up to TotalAmount",
            ),
            Rule::SigningOrder => (
                "财政监管在开票单位之后签名",
                "the Supervisor signed after the InvoicingParty",
            ),
            Rule::SignedAfterIssue => (
                "开票单位在开票时间之后签名（容差 5 分钟）",
                "the InvoicingParty signed after the issue time (5 minutes tolerance)",
            ),
        };
        Message::new(zh, en)
    }
}

impl Broken<'_> {
    /// Why the rule fails.
    pub fn message(&self) -> Message {
        let (zh, en) = match self {
            Broken::TagMismatch { tag, expected } => (
                format!("EInvoiceTag“{tag}”应为“{expected}”"),
                format!("EInvoiceTag \"{tag}\" should be \"{expected}\""),
            ),
            Broken::TagUncheckable { tag, area } => (
                format!("监管区划代码“{area}”无效，无法核对 EInvoiceTag“{tag}”"),
                format!(
                    "EInvoiceTag \"{tag}\" cannot be checked: SupervisorAreaCode \"{area}\" is not a valid area code"
                ),
            ),
            Broken::IdNotReversed { id, key } => (
                format!("EInvoiceID“{id}”不是“{key}”的倒序"),
                format!("EInvoiceID \"{id}\" is not the reverse of \"{key}\""),
            ),
            Broken::NameEmpty => ("票据名称为空".into(), "EInvoiceName is empty".into()),
            Broken::CodeFormat { code } => (
                format!("票据代码“{code}”不是 8 位数字"),
                format!("EInvoiceCode \"{code}\" is not 8 digits"),
            ),
            Broken::ProvinceMismatch { part, province } => (
                format!("票据代码省份部分“{part}”与监管区划“{province}”不符"),
                format!(
                    "EInvoiceCode province part \"{part}\" differs from SupervisorAreaCode \"{province}\""
                ),
            ),
            Broken::ProvinceUncheckable { code, area } => (
                format!("票据代码“{code}”或监管区划代码“{area}”无效，无法核对省份部分"),
                format!(
                    "the province part cannot be checked: EInvoiceCode \"{code}\" or SupervisorAreaCode \"{area}\" is not valid"
                ),
            ),
            Broken::YearMismatch { part, issue_date } => (
                format!("票据代码年份部分“{part}”与开票日期 {issue_date} 不符"),
                format!("EInvoiceCode year part \"{part}\" differs from IssueDate {issue_date}"),
            ),
            Broken::NumberFormat { number } => (
                format!("票据号码“{number}”不是 10 位数字"),
                format!("EInvoiceNumber \"{number}\" is not 10 digits"),
            ),
            Broken::RandomFormat { random } => (
                format!("校验码“{random}”不是 6 位字母或数字"),
                format!("RandomNumber \"{random}\" is not 6 letters or digits"),
            ),
            Broken::AreaInvalid { area } => (
                format!("监管区划代码“{area}”无效"),
                format!("SupervisorAreaCode \"{area}\" is not a valid area code"),
            ),
            Broken::TotalFormat { total } => (
                format!("金额合计“{total}”不是最多两位小数的数值"),
                format!("TotalAmount \"{total}\" is not a decimal with at most 2 fraction digits"),
            ),
            Broken::CapitalUncheckable { capital, total } => (
                format!("金额合计“{total}”无效，无法核对大写金额“{capital}”"),
                format!(
                    "TotalAmountCapital \"{capital}\" cannot be checked: TotalAmount \"{total}\" is not a valid amount"
                ),
            ),
            Broken::CapitalReads {
                capital,
                value,
                total,
            } => {
                let value = money::format_fen(*value);
                (
                    format!("大写金额“{capital}”表示 {value}，而金额合计为 {total}"),
                    format!(
                        "TotalAmountCapital \"{capital}\" reads {value}, but TotalAmount is {total}"
                    ),
                )
            }
            Broken::CapitalSpelling { capital, error } => {
                let why = error.message();
                (
                    format!("大写金额“{capital}”写法有误：{}", why.zh),
                    format!(
                        "TotalAmountCapital \"{capital}\" is not a correct spelling: {}",
                        why.en
                    ),
                )
            }
            Broken::IssueDate { text } => (
                format!("开票日期“{text}”不是有效日期"),
                format!("IssueDate \"{text}\" is not a real yyyyMMdd date"),
            ),
            Broken::IssueTime { text } => (
                format!("开票时间“{text}”不是 HH:mm:ss"),
                format!("IssueTime \"{text}\" is not HH:mm:ss"),
            ),
            Broken::PartyCodeCheck { code, kind } => {
                let (kind_zh, kind_en) = match kind {
                    PartyCode::Uscc => ("统一社会信用代码", "unified social credit code"),
                    PartyCode::Org => ("组织机构代码", "organisation code"),
                };
                (
                    format!("开票单位{kind_zh}“{code}”校验位不正确"),
                    format!(
                        "InvoicingPartyCode \"{code}\" is a {kind_en} with a wrong check character"
                    ),
                )
            }
            Broken::PartyCodeLength { code, len } => (
                format!("开票单位代码“{code}”有 {len} 位，既非 18 位也非 9 位"),
                format!("InvoicingPartyCode \"{code}\" has {len} characters, neither 18 nor 9"),
            ),
            Broken::PartyNameEmpty => (
                "开票单位名称为空".into(),
                "InvoicingPartyName is empty".into(),
            ),
            Broken::PayerNameEmpty => ("交款人名称为空".into(), "PayerPartyName is empty".into()),
            Broken::PayerId { masked } => (
                format!("交款人身份证号码 {masked} 校验位不正确"),
                format!("the payer's identity number {masked} has a wrong check character"),
            ),
            Broken::Items(rule) => return rule.message(),
            Broken::SumDiffers { sum, total } => {
                let (s, t) = (money::format_fen(*sum), money::format_fen(*total));
                (
                    format!("各项金额之和为 {s}，而金额合计为 {t}"),
                    format!("the item amounts add up to {s}, but TotalAmount is {t}"),
                )
            }
            Broken::SumItemUnreadable => (
                "有项目金额无效，无法核对各项金额之和".into(),
                "the item sum cannot be checked: an ItemAmount is not a valid amount".into(),
            ),
            Broken::SumTotalUnreadable => (
                "金额合计无效，无法核对各项金额之和".into(),
                "the item sum cannot be checked: TotalAmount is not a valid amount".into(),
            ),
            Broken::SupervisorFirst => (
                "财政监管的签名时间早于开票单位".into(),
                "the Supervisor SignatureTime is earlier than the InvoicingParty one".into(),
            ),
            Broken::SignedBeforeIssue => (
                "开票单位的签名时间比开票时间早 5 分钟以上".into(),
                "the InvoicingParty signed more than 5 minutes before the issue time".into(),
            ),
        };
        Message { zh, en }
    }
}

impl ItemBroken<'_> {
    fn message(&self) -> (String, String) {
        match self {
            ItemBroken::NameEmpty => ("项目名称为空".into(), "ItemName is empty".into()),
            ItemBroken::Amount { text } => (
                format!("金额“{text}”不是最多两位小数的数值"),
                format!("ItemAmount \"{text}\" is not a decimal with at most 2 fraction digits"),
            ),
            ItemBroken::Decimal6 { field, text } => (
                format!("{field}“{text}”不是最多六位小数的数值"),
                format!("{field} \"{text}\" is not a decimal with at most 6 fraction digits"),
            ),
            ItemBroken::Product { product, amount } => {
                let p = money::format_fen(*product);
                (
                    format!("数量 × 单价 = {p}，而金额为 {amount}"),
                    format!("quantity × unit price = {p}, but ItemAmount is {amount}"),
                )
            }
            ItemBroken::ProductTooLarge { q, s, amount } => (
                format!("数量 {q} × 单价 {s} 超出可表示的金额范围，不可能等于金额 {amount}"),
                format!(
                    "quantity {q} × unit price {s} is past the largest amount, so it cannot equal ItemAmount {amount}"
                ),
            ),
            ItemBroken::ProductUnreadable { q, s, amount } => (
                format!("数量“{q}”、单价“{s}”或金额“{amount}”无效，无法核对"),
                format!(
                    "quantity \"{q}\" × unit price \"{s}\" cannot be checked against ItemAmount \"{amount}\": one of them is not a valid number"
                ),
            ),
        }
    }
}

impl ItemRule<'_> {
    /// "items 3, 7, 9 and 2 more" plus the first item's detail.
    fn message(&self) -> Message {
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
        let (zh, en) = self
            .first
            .as_ref()
            .map(ItemBroken::message)
            .unwrap_or_default();
        Message::new(
            format!(
                "第 {}{zh_more} 项不符：{zh}",
                crate::text::join(list.iter().map(String::as_str), "、")
            ),
            format!(
                "item {}{en_more} broken: {en}",
                crate::text::join(list.iter().map(String::as_str), ", ")
            ),
        )
    }
}
