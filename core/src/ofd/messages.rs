//! The words of a whole OFD document's findings: one table, Chinese and
//! English.

#[allow(unused_imports)]
use crate::prelude::*;

use super::Finding;
use crate::report::Message;

/// The most parts a coverage reason names.
const NAMED: usize = 8;

fn named(parts: &[String], sep: &str) -> String {
    let shown: Vec<String> = parts.iter().take(NAMED).map(|p| format!("/{p}")).collect();
    let mut text = crate::text::join(shown.iter().map(String::as_str), sep);
    if parts.len() > NAMED {
        text.push_str(&format!("{sep}… (+{})", parts.len() - NAMED));
    }
    text
}

/// The verdict's reason when the document itself is refused.
pub(super) fn not_a_signed_ofd(why: &Message) -> Message {
    Message::new(
        format!("不是有效的已签名 OFD 文档：{}", why.zh),
        format!("not a valid signed OFD document: {}", why.en),
    )
}

impl Finding<'_> {
    pub(super) fn message(&self) -> Message {
        let (zh, en): (String, String) = match self {
            Finding::TooLarge { size, bound } => (
                format!("文件 {size} 字节，超过上限 {bound} 字节"),
                format!("the package is {size} bytes, above the bound maxPackageBytes = {bound}"),
            ),
            Finding::Zip(e) => (format!("zip 容器：{e}"), format!("zip container: {e}")),
            Finding::ZipPrefix { n } => (
                format!("zip 之前有 {n} 个多余字节（已容忍）"),
                format!("{n} bytes precede the zip archive (tolerated)"),
            ),
            Finding::OtherDocuments { n } => (
                format!("包中另有 {n} 个文档未验证"),
                format!("{n} further documents in the package are not verified"),
            ),
            Finding::NoSignature => (
                "文档没有任何签名或签章：不是真实有效的票据".into(),
                "no signature was found in the document: it is no genuine bill".into(),
            ),
            Finding::Structure { signatures } => (
                format!("OFD 包结构完整，共 {signatures} 个签名"),
                format!("the OFD package is well-formed, with {signatures} signatures"),
            ),
            Finding::AttachmentUncovered { file } => (
                format!("附件 /{file} 不在任何有效签名的保护范围内"),
                format!("the attachment /{file} is covered by no valid signature"),
            ),
            Finding::Covered { doc_root, parts } => (
                format!("打开的文档 /{doc_root} 所显示的 {parts} 个文件全部受签名保护"),
                format!("all {parts} parts the opened document /{doc_root} shows are signed"),
            ),
            Finding::Uncovered {
                doc_root,
                uncovered,
                unreadable,
            } => {
                let mut zh = Vec::new();
                let mut en = Vec::new();
                if !uncovered.is_empty() {
                    zh.push(format!(
                        "打开的文档 /{doc_root} 所显示的以下文件不受任何有效签名保护：{}",
                        named(uncovered, "、")
                    ));
                    en.push(format!(
                        "parts the opened document /{doc_root} shows are covered by no valid signature: {}",
                        named(uncovered, ", ")
                    ));
                }
                if !unreadable.is_empty() {
                    zh.push(format!(
                        "无法读取 {}，不能确定其使用的文件是否受保护",
                        named(unreadable, "、")
                    ));
                    en.push(format!(
                        "{} cannot be read, so what it uses cannot be shown to be signed",
                        named(unreadable, ", ")
                    ));
                }
                (
                    crate::text::join(zh.iter().map(String::as_str), "；"),
                    crate::text::join(en.iter().map(String::as_str), "; "),
                )
            }
            Finding::EmbeddedBill { file, reason } => (
                format!("内嵌财政电子票据 /{file}：{}", reason.zh),
                format!("embedded fiscal e-bill /{file}: {}", reason.en),
            ),
            Finding::Valid => (
                "全部签名和签章有效，证书链到受信任的根".into(),
                "every signature and seal is valid and chains to a trusted root".into(),
            ),
        };
        Message { zh, en }
    }
}
