//! Electronic seal structures: `SES_Signature` and `SESeal` of GB/T 38540
//! (v4) and GM/T 0031 (v1), decoded with the strict DER reader so that the
//! exact signed octets (`TBS_Sign`, `SES_SealInfo`) are kept.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::pki::tlv::{
    self, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, Tlv,
};
use crate::time::{BEIJING_OFFSET_SECONDS, Date, TimeOfDay, beijing_to_unix};

const TAG_UTF8: u8 = 0x0C;
const TAG_IA5: u8 = 0x16;
const TAG_UTC_TIME: u8 = 0x17;
const TAG_GENERALIZED_TIME: u8 = 0x18;

/// A decoded seal (`SESeal`).
#[derive(Clone, Debug)]
pub struct Seal<'a> {
    /// The whole `SESeal` DER (what a `.esl` file holds).
    pub der: &'a [u8],
    /// 4 (GB/T 38540) or 1 (GM/T 0031), from the shape.
    pub version: u8,
    /// `SES_Header.version` as written.
    pub header_version: Option<i64>,
    pub vid: Option<String>,
    pub es_id: Option<String>,
    pub seal_type: Option<i64>,
    pub name: Option<String>,
    pub created: Option<i64>,
    pub valid_start: Option<i64>,
    pub valid_end: Option<i64>,
    pub picture_type: Option<String>,
    pub picture: Option<&'a [u8]>,
    pub picture_width: Option<i64>,
    pub picture_height: Option<i64>,
    /// The DER of `SES_SealInfo`: what the maker signed.
    pub seal_info_der: &'a [u8],
    /// The maker's certificate (DER).
    pub maker_cert: &'a [u8],
    pub maker_alg: String,
    /// The maker's signature (BIT STRING contents without the unused-bits
    /// octet).
    pub maker_signature: &'a [u8],
}

/// A decoded `SES_Signature`.
#[derive(Clone, Debug)]
pub struct SesSignature<'a> {
    pub version: u8,
    /// The DER of `TBS_Sign`: what the signer signed.
    pub tbs_der: &'a [u8],
    pub seal: Seal<'a>,
    /// `timeInfo`, Unix seconds, when readable.
    pub time: Option<i64>,
    pub data_hash: &'a [u8],
    pub property_info: Option<String>,
    /// The signer's certificate (DER).
    pub cert: &'a [u8],
    pub alg: String,
    pub signature: &'a [u8],
    pub has_timestamp: bool,
    /// Octets after the outer DER object.
    pub trailing: usize,
}

type R<T> = Result<T, String>;

fn e(what: &str) -> impl Fn(&'static str) -> String + '_ {
    move |why| format!("{what}: {why}")
}

fn seq_items<'a>(t: &Tlv<'a>, what: &str) -> R<Vec<Tlv<'a>>> {
    if t.tag != TAG_SEQUENCE {
        return Err(format!("{what} is not a SEQUENCE"));
    }
    tlv::elements(t.value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(e(what))
}

fn take<'a>(items: &[Tlv<'a>], i: usize, tag: u8, what: &str) -> R<Tlv<'a>> {
    match items.get(i) {
        Some(t) if t.tag == tag => Ok(*t),
        Some(_) => Err(format!("{what} has an unexpected type")),
        None => Err(format!("{what} is missing")),
    }
}

fn int(t: &Tlv<'_>) -> Option<i64> {
    if t.tag != TAG_INTEGER || t.value.is_empty() || t.value.len() > 8 {
        return None;
    }
    let mut v: i64 = if t.value[0] & 0x80 != 0 { -1 } else { 0 };
    for &b in t.value {
        v = (v << 8) | i64::from(b);
    }
    Some(v)
}

fn text(t: &Tlv<'_>) -> Option<String> {
    core::str::from_utf8(t.value).ok().map(str::to_string)
}

fn bits<'a>(t: &Tlv<'a>, what: &str) -> R<&'a [u8]> {
    match t.value.split_first() {
        Some((0, rest)) => Ok(rest),
        Some(_) => Err(format!("{what} BIT STRING has unused bits")),
        None => Err(format!("{what} BIT STRING is empty")),
    }
}

/// Dotted text of an OID's contents octets.
pub(crate) fn oid_text(t: &Tlv<'_>) -> String {
    crate::pki::Oid::from_der(t.value)
        .map(|o| o.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// UTCTime / GeneralizedTime (UTC, `Z`; fractions ignored), or the
/// `yyyyMMddHHmmss` text some v1 writers put in a BIT STRING (taken as UTC
/// when it ends in `Z`, Beijing time otherwise).
pub fn asn1_time(tag: u8, value: &[u8]) -> Option<i64> {
    let s = core::str::from_utf8(value).ok()?;
    let full = match tag {
        TAG_UTC_TIME => {
            let yy: u32 = s.get(0..2)?.parse().ok()?;
            format!("{}{s}", if yy >= 50 { "19" } else { "20" })
        }
        _ => s.to_string(),
    };
    let digits: String = full.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 14 {
        return None;
    }
    let date = Date::parse_compact(crate::text::cut(&digits, 0..8))?;
    let time = TimeOfDay::parse_colon(&format!(
        "{}:{}:{}",
        crate::text::cut(&digits, 8..10),
        crate::text::cut(&digits, 10..12),
        crate::text::cut(&digits, 12..14)
    ))?;
    let beijing = beijing_to_unix(date, time);
    if full.ends_with('Z') || tag == TAG_UTC_TIME || tag == TAG_GENERALIZED_TIME {
        Some(beijing + BEIJING_OFFSET_SECONDS)
    } else {
        Some(beijing)
    }
}

fn time_of(t: &Tlv<'_>) -> Option<i64> {
    match t.tag {
        TAG_UTC_TIME | TAG_GENERALIZED_TIME => asn1_time(t.tag, t.value),
        TAG_BIT_STRING => asn1_time(0, t.value.get(1..)?),
        _ => None,
    }
}

/// Decodes `SESeal` (v4 or v1).
pub(crate) fn parse_seal<'a>(t: &Tlv<'a>) -> R<Seal<'a>> {
    let items = seq_items(t, "SESeal")?;
    let info = take(&items, 0, TAG_SEQUENCE, "SESeal.esealInfo")?;
    let (version, maker_cert, alg, sig) = match items.get(1).map(|x| x.tag) {
        Some(TAG_OCTET_STRING) => {
            let cert = take(&items, 1, TAG_OCTET_STRING, "SESeal.cert")?;
            let alg = take(&items, 2, TAG_OID, "SESeal.signAlgID")?;
            let sig = take(&items, 3, TAG_BIT_STRING, "SESeal.signedValue")?;
            (
                4,
                cert.value,
                oid_text(&alg),
                bits(&sig, "SESeal.signedValue")?,
            )
        }
        Some(TAG_SEQUENCE) => {
            let sign_info = seq_items(&items[1], "SES_SignInfo")?;
            let cert = take(&sign_info, 0, TAG_OCTET_STRING, "SES_SignInfo.cert")?;
            let alg = take(&sign_info, 1, TAG_OID, "SES_SignInfo.signatureAlgorithm")?;
            let sig = take(&sign_info, 2, TAG_BIT_STRING, "SES_SignInfo.signData")?;
            (
                1,
                cert.value,
                oid_text(&alg),
                bits(&sig, "SES_SignInfo.signData")?,
            )
        }
        _ => return Err("SESeal is neither v4 nor v1".into()),
    };
    let info_items = seq_items(&info, "SES_SealInfo")?;
    let header = seq_items(
        &take(&info_items, 0, TAG_SEQUENCE, "SES_Header")?,
        "SES_Header",
    )?;
    let es_id = info_items.get(1).and_then(text);
    let prop = seq_items(
        &take(&info_items, 2, TAG_SEQUENCE, "SES_ESPropertyInfo")?,
        "SES_ESPropertyInfo",
    )?;
    let pic = seq_items(
        &take(&info_items, 3, TAG_SEQUENCE, "SES_ESPictrueInfo")?,
        "SES_ESPictrueInfo",
    )?;
    let times: Vec<i64> = prop
        .iter()
        .filter(|p| matches!(p.tag, TAG_UTC_TIME | TAG_GENERALIZED_TIME))
        .filter_map(time_of)
        .collect();
    let pick = |i: usize| {
        if times.len() >= 3 {
            times.get(times.len() - 3 + i).copied()
        } else {
            None
        }
    };
    Ok(Seal {
        der: t.raw,
        version,
        header_version: header.get(1).and_then(int),
        vid: header.get(2).and_then(text),
        es_id,
        seal_type: prop.first().and_then(int),
        name: prop
            .get(1)
            .filter(|p| matches!(p.tag, TAG_UTF8 | TAG_IA5))
            .and_then(text),
        created: pick(0),
        valid_start: pick(1),
        valid_end: pick(2),
        picture_type: pic.first().and_then(text),
        picture: pic
            .get(1)
            .filter(|p| p.tag == TAG_OCTET_STRING)
            .map(|p| p.value),
        picture_width: pic.get(2).and_then(int),
        picture_height: pic.get(3).and_then(int),
        seal_info_der: info.raw,
        maker_cert,
        maker_alg: alg,
        maker_signature: sig,
    })
}

/// Decodes a `SESeal` on its own (the content of a `.esl` file): exactly
/// one DER object, v4 or v1. The same decoder `parse_signature` applies to
/// the seal inside `TBS_Sign`; public so that tools (and the fuzz target
/// `ses_decode`) can reach it without a `SES_Signature` around it.
pub fn parse_seal_der(bytes: &[u8]) -> R<Seal<'_>> {
    let t = tlv::read_all(bytes).map_err(e("SESeal"))?;
    parse_seal(&t)
}

/// Decodes `SES_Signature` (v4 or v1). Trailing octets after the DER
/// object are counted, not refused.
pub fn parse_signature(bytes: &[u8]) -> R<SesSignature<'_>> {
    let (outer, rest) = tlv::read(bytes).map_err(e("SES_Signature"))?;
    let items = seq_items(&outer, "SES_Signature")?;
    let tbs = take(&items, 0, TAG_SEQUENCE, "TBS_Sign")?;
    let tbs_items = seq_items(&tbs, "TBS_Sign")?;
    let version = tbs_items.first().and_then(int);
    let seal = parse_seal(&take(&tbs_items, 1, TAG_SEQUENCE, "TBS_Sign.eseal")?)?;
    let time = tbs_items.get(2).and_then(time_of);
    let data_hash = bits(
        &take(&tbs_items, 3, TAG_BIT_STRING, "TBS_Sign.dataHash")?,
        "dataHash",
    )?;
    let property_info = tbs_items.get(4).filter(|t| t.tag == TAG_IA5).and_then(text);
    // Where the certificate, algorithm and signature sit tells the version.
    let (ses_version, cert, alg, signature, has_timestamp) = match items.get(1).map(|t| t.tag) {
        Some(TAG_OCTET_STRING) => {
            // v4: toSign, cert, signatureAlgID, signature, [0] timeStamp
            let cert = take(&items, 1, TAG_OCTET_STRING, "SES_Signature.cert")?;
            let alg = take(&items, 2, TAG_OID, "SES_Signature.signatureAlgID")?;
            let sig = take(&items, 3, TAG_BIT_STRING, "SES_Signature.signature")?;
            (
                4,
                cert,
                alg,
                bits(&sig, "SES_Signature.signature")?,
                items.len() > 4,
            )
        }
        Some(TAG_BIT_STRING) => {
            // v1: toSign { version, eseal, timeInfo, dataHash,
            // propertyInfo, cert, signatureAlgorithm }, signature
            (
                1,
                take(&tbs_items, 5, TAG_OCTET_STRING, "TBS_Sign.cert")?,
                take(&tbs_items, 6, TAG_OID, "TBS_Sign.signatureAlgorithm")?,
                bits(&items[1], "SES_Signature.signature")?,
                false,
            )
        }
        _ => {
            return Err(format!(
                "SES_Signature (TBS_Sign version {}) is neither v4 nor v1",
                version.unwrap_or(-1)
            ));
        }
    };
    Ok(SesSignature {
        version: ses_version,
        tbs_der: tbs.raw,
        seal,
        time,
        data_hash,
        property_info,
        cert: cert.value,
        alg: oid_text(&alg),
        signature,
        has_timestamp,
        trailing: rest.len(),
    })
}
