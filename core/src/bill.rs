//! The parsed bill (spec §2–§4): what a person reads on the printed bill.
//!
//! Text values are trimmed; amounts keep their original text beside the
//! integer value in fen.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::{Deserialize, Serialize};

/// An amount of money: the text as written and its value in fen (分).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    pub text: String,
    /// `None` when the text is not a decimal with at most two fraction digits.
    pub fen: Option<i64>,
}

/// An unknown element carried through from `Main`, `Item`, `MainExt`, ...
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraField {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub e_invoice_tag: String,
    pub e_invoice_id: Option<String>,
    pub version: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoicingParty {
    pub code: String,
    pub name: String,
    pub rec_name: Option<String>,
    pub rec_acct: Option<String>,
    pub rec_op_bk: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayerParty {
    /// `1` person, `2` organisation.
    pub party_type: Option<String>,
    /// A personal identity number is masked: first 6 and last 4 characters.
    pub code: Option<String>,
    pub name: String,
    pub acct: Option<String>,
    pub op_bk: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Seal {
    pub seal_id: Option<String>,
    pub seal_name: Option<String>,
    pub seal_hash: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Main {
    pub e_invoice_name: String,
    pub e_invoice_code: String,
    pub e_invoice_number: String,
    pub random_number: String,
    pub e_invoice_specimen_code: Option<String>,
    pub supervisor_area_code: String,
    pub total_amount: Amount,
    pub total_amount_capital: Option<String>,
    /// `yyyyMMdd` as written.
    pub issue_date: String,
    /// `HH:mm:ss` as written.
    pub issue_time: String,
    pub invoicing_party: InvoicingParty,
    pub payer_party: PayerParty,
    pub pay_mode: Option<String>,
    pub biz_code: Option<String>,
    /// Defaults to `CNY`.
    pub currency_type: String,
    pub exchange_rate: Option<String>,
    pub remark: Option<String>,
    pub handling_person: Option<String>,
    pub checker: Option<String>,
    pub supervisor_remark: Option<String>,
    pub main_ext: Vec<ExtraField>,
    pub invoicing_party_seal: Option<Seal>,
    pub supervisor_party_seal: Option<Seal>,
    /// Unknown elements of `Main`, in document order.
    pub extra: Vec<ExtraField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub code: Option<String>,
    pub name: String,
    pub quantity: Option<String>,
    pub unit: Option<String>,
    /// Unit price.
    pub std: Option<String>,
    pub amount: Amount,
    pub remark: Option<String>,
    pub item_ext: Vec<ExtraField>,
    pub extra: Vec<ExtraField>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuxItem {
    pub related_code: Option<String>,
    pub related_name: Option<String>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub quantity: Option<String>,
    pub unit: Option<String>,
    pub std: Option<String>,
    pub amount: Option<String>,
    pub remark: Option<String>,
    pub extra: Vec<ExtraField>,
}

/// The bill as a person reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bill {
    pub header: Header,
    pub main: Main,
    pub items: Vec<Item>,
    pub aux_items: Vec<AuxItem>,
}

impl Bill {
    /// `EInvoiceCode-EInvoiceNumber`.
    pub fn key(&self) -> String {
        format!(
            "{}-{}",
            self.main.e_invoice_code, self.main.e_invoice_number
        )
    }
}
