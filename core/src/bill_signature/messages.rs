//! The words of a bill signature's outcome: one table, Chinese and English,
//! the role (`who`) named as the report names it.

#[allow(unused_imports)]
use crate::prelude::*;

use super::{KeyInfoField, Reason, algorithm_name};
use crate::report::{Message, Role};

/// The role in Chinese, as the reasons name it.
pub(crate) fn role_zh(role: Role) -> &'static str {
    match role {
        Role::InvoicingParty => "开票单位签名",
        Role::Supervisor => "财政监管签名",
    }
}

/// The reason of a VALID signature.
pub(super) fn valid(role: Role) -> Message {
    Message::new(
        format!("{}有效", role_zh(role)),
        format!("the {} signature is valid", role.as_str()),
    )
}

/// Warning `derTrailingOctets`: `n` octets after the CMS.
pub(super) fn trailing_octets(role: Role, n: usize) -> Message {
    let (who_zh, who) = (role_zh(role), role.as_str());
    Message::new(
        format!("{who_zh}的 CMS 对象后有 {n} 个多余字节（已容忍）"),
        format!("{n} octets follow the CMS DER object of the {who} signature (tolerated)"),
    )
}

impl Reason<'_> {
    /// Why the signature of `role` is not VALID.
    pub fn message(&self, role: Role) -> Message {
        let (who_zh, who) = (role_zh(role), role.as_str());
        let (zh, en) = match self {
            Reason::Reference { expected, found } => (
                format!("{who_zh}的 Reference 应为“{expected}”，实为“{found}”"),
                format!("{who} Reference must be \"{expected}\", found \"{found}\""),
            ),
            Reason::SignatureTime { text } => (
                format!("{who_zh}的 SignatureTime“{text}”不是有效的 yyyyMMddHHmmss"),
                format!("{who} SignatureTime \"{text}\" is not a valid yyyyMMddHHmmss"),
            ),
            Reason::CoveredValue => (
                format!("{who_zh}覆盖的开票单位签名值不是有效的 Base64"),
                format!(
                    "the {who} signature covers an InvoicingParty SignatureValue that is not valid base64"
                ),
            ),
            Reason::Value => (
                format!("{who_zh}的 SignatureValue 不是有效的 Base64"),
                format!("{who} SignatureValue is not valid base64"),
            ),
            Reason::KeyInfoCertificate => (
                format!("{who_zh}的 KeyInfo/X509Certificate 不是有效的 X.509 证书"),
                format!("{who} KeyInfo/X509Certificate is not a valid X.509 certificate"),
            ),
            Reason::Format { text } => (
                format!("{who_zh}的 SignatureFormat“{text}”未知（应为 RAW 或 DETACH）"),
                format!("{who} SignatureFormat \"{text}\" is unknown (RAW or DETACH)"),
            ),
            Reason::RawValue(e) => (
                format!("{who_zh}的 RAW 签名值既不是 DER 也不是 64 字节 r‖s：{e}"),
                format!("{who} RAW signature value is neither DER nor 64-octet r‖s: {e}"),
            ),
            Reason::SignerInfoValue(e) => (
                format!("{who_zh}的 SignerInfo 签名值格式错误：{e}"),
                format!("{who} SignerInfo signature value is malformed: {e}"),
            ),
            Reason::CmsFormat(e) => (
                format!("{who_zh}的 CMS 结构不符合规范：{e}"),
                format!("{who} CMS structure is not as the profile requires: {e}"),
            ),
            Reason::DigestChanged => (
                format!("{who_zh}的 messageDigest 与所签内容的摘要不符：内容在签名后被改动"),
                format!(
                    "{who} messageDigest does not match the signed content: it changed after signing"
                ),
            ),
            Reason::Algorithm { text } => (
                format!("不支持{who_zh}的签名算法“{text}”"),
                format!("{who} SignatureAlgorithm \"{text}\" is not supported"),
            ),
            Reason::CmsUnsupported(e) => (
                format!("{who_zh}的 CMS 使用了不支持的算法：{e}"),
                format!("{who} CMS uses an unsupported algorithm: {e}"),
            ),
            Reason::SignerInfoAlgorithm { oid, algorithm } => (
                format!("{who_zh}的 SignerInfo 算法 {oid} 与 SignatureAlgorithm 不符"),
                format!(
                    "{who} SignerInfo algorithm {oid} contradicts SignatureAlgorithm \"{algorithm}\""
                ),
            ),
            Reason::DigestAlgorithm { alg } => (
                format!("{who_zh}的摘要算法与签名算法不配套"),
                format!(
                    "{who} digest algorithm does not go with {}",
                    algorithm_name(*alg)
                ),
            ),
            Reason::KeyUnsupported(d) => (
                format!("{who_zh}证书的公钥类型不受支持：{d}"),
                format!("{who} certificate key type is not supported: {d}"),
            ),
            Reason::KeyInvalid(d) => (
                format!("{who_zh}证书的公钥无效：{d}"),
                format!("{who} certificate public key is invalid: {d}"),
            ),
            Reason::KeyType { alg } => {
                let alg = algorithm_name(*alg);
                (
                    format!("{who_zh}证书的密钥类型与签名算法 {alg} 不符"),
                    format!("{who} certificate key type does not match SignatureAlgorithm {alg}"),
                )
            }
            Reason::ValueDoesNotVerify => (
                format!("{who_zh}的签名值验证失败：票据内容或签名在签名后被改动"),
                format!(
                    "{who} signature value does not verify: the bill or the signature changed after signing"
                ),
            ),
            Reason::KeyUsage => (
                format!("{who_zh}证书的密钥用法不允许签名"),
                format!("{who} certificate key usage does not allow digital signatures"),
            ),
            Reason::Path(failure) => return failure.message.clone(),
            Reason::Identity { found, expected } => {
                let (field, field_zh) = match role {
                    Role::InvoicingParty => ("InvoicingPartyCode", "开票单位代码"),
                    Role::Supervisor => ("SupervisorAreaCode", "监管区划代码"),
                };
                (
                    format!(
                        "{who_zh}证书属于“{found}”，而票据的{field_zh}为“{expected}”：他人的证书签署了本票据"
                    ),
                    format!(
                        "the {who} certificate identifies \"{found}\" but the bill's {field} is \"{expected}\": someone else's certificate signed this bill"
                    ),
                )
            }
            Reason::NoSigningCertificate => (
                format!("找不到{who_zh}的签名证书（CMS、KeyInfo 和主机证书库中均没有）"),
                format!(
                    "the {who} signing certificate was not found (not in the CMS, KeyInfo or the host's store)"
                ),
            ),
            Reason::KeyInfoNotCmsSigner => (
                format!("{who_zh}的 KeyInfo 证书不是 CMS SignerInfo 所指的签名者"),
                format!("{who} KeyInfo certificate is not the signer the CMS SignerInfo names"),
            ),
            Reason::KeyInfoConflict(field) => {
                let (what_zh, what) = match field {
                    KeyInfoField::X509Certificate => ("中的证书", "X509Certificate"),
                    KeyInfoField::SerialNumber => ("的序列号", "SerialNumber"),
                    KeyInfoField::X509IssuerName => ("的颁发者", "X509IssuerName"),
                };
                (
                    format!("{who_zh}的 KeyInfo {what_zh}与实际签名证书不符"),
                    format!(
                        "{who} KeyInfo {what} names a different certificate than the one that signed"
                    ),
                )
            }
        };
        Message { zh, en }
    }
}
