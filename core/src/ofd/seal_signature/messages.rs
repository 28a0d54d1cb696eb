//! The words of an OFD signature's findings: one table, Chinese and
//! English.

#[allow(unused_imports)]
use crate::prelude::*;

use super::{Finding, KeyProblem, SignedValue};
use crate::ofd::package::SignatureEntry;
use crate::report::Message;
use crate::time::rfc3339;

/// Who signed, as the certificate path's reasons name it.
pub(super) const SIGNER: (&str, &str) = ("签名", "the signer");

/// The signature as its verdict's reason names it.
fn who(entry: &SignatureEntry) -> (String, String) {
    let kind = entry.kind.as_str();
    (
        format!("签名 {}（{kind}）", entry.id),
        format!("signature {} ({kind})", entry.id),
    )
}

/// The reason of a signature that is not VALID: its decisive failure.
pub(super) fn decided(entry: &SignatureEntry, why: &Message) -> Message {
    let (who_zh, who) = who(entry);
    Message::new(
        format!("{who_zh}：{}", why.zh),
        format!("{who}: {}", why.en),
    )
}

/// The reason of a VALID signature.
pub(super) fn valid(entry: &SignatureEntry) -> Message {
    let (who_zh, who) = who(entry);
    Message::new(
        format!("{who_zh}有效：引用摘要、签名值和证书链均已验证"),
        format!("{who} is valid: references, signature value and certificate path verified"),
    )
}

impl SignedValue {
    fn name(self) -> (&'static str, &'static str) {
        match self {
            SignedValue::SealMaker => (
                "制章人对印章的签名",
                "the seal maker's signature over SES_SealInfo",
            ),
            SignedValue::Signer => (
                "签章人对 TBS_Sign 的签名",
                "the signer's signature over TBS_Sign",
            ),
            SignedValue::Cms => ("CMS 签名", "the CMS signature"),
        }
    }
}

impl KeyProblem {
    /// Why the key cannot verify (in English in both languages, as the
    /// detail of a library error).
    fn detail(&self) -> String {
        match self {
            KeyProblem::Unusable(e) => format!("certificate key is not usable: {e}"),
            KeyProblem::Mismatch(alg) => {
                format!("certificate key type does not match the algorithm {alg}")
            }
            KeyProblem::Unsupported(alg) => format!("signature algorithm {alg} is not supported"),
        }
    }
}

impl Finding<'_> {
    pub(super) fn message(&self) -> Message {
        let (zh, en): (String, String) = match self {
            Finding::BaseLoc { base_loc } => (
                format!("BaseLoc“{base_loc}”无效"),
                format!("BaseLoc \"{base_loc}\" is not a usable path"),
            ),
            Finding::UnknownType { kind } => (
                format!("签名类型“{kind}”不是 Seal 或 Sign"),
                format!("signature Type \"{kind}\" is neither Seal nor Sign"),
            ),
            Finding::Package(e) => (e.zh.clone(), e.en.clone()),
            Finding::Incomplete { path } => (
                format!("/{path} 缺少 SignedInfo、References 或 SignedValue"),
                format!("/{path} lacks SignedInfo, References or SignedValue"),
            ),
            Finding::WellFormed => (
                "签名文件结构完整".into(),
                "the signature parts are well-formed".into(),
            ),
            Finding::NoReferences => (
                "签名没有引用任何文件".into(),
                "the signature references no part".into(),
            ),
            Finding::ReferencesChanged { failed } => (
                format!(
                    "签名后被改动或缺失的文件：{}",
                    crate::text::join(failed.iter().map(String::as_str), "、")
                ),
                format!(
                    "parts changed or missing since signing: {}",
                    crate::text::join(failed.iter().map(String::as_str), ", ")
                ),
            ),
            Finding::CheckMethod { text } => (
                format!("不支持的摘要算法 CheckMethod“{text}”，无法核对引用"),
                format!("CheckMethod \"{text}\" is not supported: the references cannot be checked"),
            ),
            Finding::ReferencesMatch { n } => (
                format!("{n} 个引用的摘要全部相符"),
                format!("all {n} reference digests match"),
            ),
            Finding::SignaturesAppended { file_ref } => (
                format!("{file_ref} 的摘要不符仅因为其后追加了签名（已容忍）"),
                format!(
                    "{file_ref} no longer matches only because later signatures were appended to it (tolerated)"
                ),
            ),
            Finding::SesFormat(e) => (
                format!("SignedValue 不是有效的 SES_Signature：{e}"),
                format!("SignedValue is not a valid SES_Signature: {e}"),
            ),
            Finding::SesTrailing { n } => (
                format!("SES_Signature 之后有 {n} 个多余字节（已容忍）"),
                format!("{n} octets follow the SES_Signature DER object (tolerated)"),
            ),
            Finding::SesWellFormed { version } => (
                format!("SES_Signature v{version} 结构正确"),
                format!("SES_Signature v{version} is well-formed"),
            ),
            Finding::DataHashMatches => (
                "dataHash 与 Signature.xml 相符".into(),
                "dataHash matches Signature.xml".into(),
            ),
            Finding::DataHashDiffers { path } => (
                format!("印章签名的 dataHash 与 /{path} 不符：签名描述文件被改动或替换"),
                format!(
                    "the seal's dataHash does not match /{path}: the signature file was changed or swapped"
                ),
            ),
            Finding::EslEqual { loc } => (
                format!("/{loc} 与签名中的印章逐字节相同"),
                format!("/{loc} is byte-equal to the seal in the signature"),
            ),
            Finding::EslDiffers { loc } => (
                format!("/{loc} 与签名中的印章不同"),
                format!("/{loc} differs from the seal inside SES_Signature"),
            ),
            Finding::MakerCertificate(e) => (
                format!("制章人证书无效：{e}"),
                format!("the seal maker certificate is not valid: {e}"),
            ),
            Finding::SignerCertificate(e) => (
                format!("签章人证书无效：{e}"),
                format!("the signer certificate is not valid: {e}"),
            ),
            Finding::KeyUnusable { value, why } => {
                let (what_zh, what) = value.name();
                let why = why.detail();
                (
                    format!("{what_zh}无法验证：{why}"),
                    format!("{what} cannot be verified: {why}"),
                )
            }
            Finding::ValueUndecodable { value, detail } => {
                let (what_zh, what) = value.name();
                (
                    format!("{what_zh}的值既不是 DER 也不是 r‖s：{detail}"),
                    format!("{what}: the value is neither DER nor r‖s: {detail}"),
                )
            }
            Finding::ValueTrailing { value, n } => {
                let (what_zh, what) = value.name();
                (
                    format!("{what_zh}的 DER 之后有 {n} 个多余字节（已容忍）"),
                    format!("{n} octets follow the DER of {what} (tolerated)"),
                )
            }
            Finding::ValueVerifies { value } => {
                let (what_zh, what) = value.name();
                (format!("{what_zh}验证通过"), format!("{what} verifies"))
            }
            Finding::ValueDoesNotVerify { value } => {
                let (what_zh, what) = value.name();
                (
                    format!("{what_zh}验证失败：内容在签名后被改动"),
                    format!("{what} does not verify: the signed data changed after signing"),
                )
            }
            Finding::SealNotYetValid { at } => {
                let at = rfc3339(*at, 0);
                (
                    format!("签章时间 {at} 时印章尚未生效"),
                    format!("the seal was not yet valid at the signing time {at}"),
                )
            }
            Finding::SealExpired { at } => {
                let at = rfc3339(*at, 0);
                (
                    format!("签章时间 {at} 时印章已过有效期"),
                    format!("the seal had expired at the signing time {at}"),
                )
            }
            Finding::SealValid => (
                "签章时印章在有效期内".into(),
                "the seal was valid at the signing time".into(),
            ),
            Finding::CmsTrailing { n } => (
                format!("CMS 之后有 {n} 个多余字节（已容忍）"),
                format!("{n} octets follow the CMS DER object (tolerated)"),
            ),
            Finding::CmsContentMatches => (
                "CMS 所签内容与 Signature.xml 相符".into(),
                "what the CMS signs matches Signature.xml".into(),
            ),
            Finding::CmsContentDiffers => (
                "CMS 所签内容与 Signature.xml 不符：签名描述文件被改动或替换".into(),
                "what the CMS signs does not match Signature.xml: the signature file was changed or swapped".into(),
            ),
            Finding::CmsNoCertificate { signer_id } => (
                format!("找不到签名证书（{signer_id}）"),
                format!(
                    "the signing certificate ({signer_id}) is neither in the CMS nor in the host's store"
                ),
            ),
            Finding::CmsUnsupported(e) => (
                format!("CMS 使用了不支持的算法：{e}"),
                format!("the CMS uses an unsupported algorithm: {e}"),
            ),
            Finding::BareVerifies => (
                "签名值用主机提供的证书验证通过".into(),
                "the signature verifies with a certificate the host supplied".into(),
            ),
            Finding::BareNoCertificate => (
                "裸签名值不含证书，主机提供的证书中也没有能验证它的".into(),
                "a bare signature value carries no certificate, and none the host supplied verifies it".into(),
            ),
            Finding::NeitherCmsNorBare(e) => (
                format!("SignedValue 既不是 CMS 也不是裸签名：{e}"),
                format!("SignedValue is neither CMS nor a bare signature: {e}"),
            ),
        };
        Message { zh, en }
    }
}
