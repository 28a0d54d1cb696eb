//! Every check id of docs/report.md, as the document names it, with what
//! the check tests, why it can fail and what to do (the test
//! `explain_covers_report_md` reads the document's tables against this).

use crate::output::Lang;

/// One text in both languages.
#[derive(Debug)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// Whether a failed check decides the verdict or is only reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Failure,
    /// With its code in `warnings`.
    Warning(&'static str),
}

/// The explanation of one check, or of a few checks that go together.
#[derive(Debug)]
pub struct Entry {
    /// As docs/report.md names them.
    pub ids: &'static [&'static str],
    pub level: Level,
    pub what: Text,
    pub fails: Text,
    pub todo: Text,
}

const fn t(en: &'static str, zh: &'static str) -> Text {
    Text { en, zh }
}

use Level::{Failure, Warning};

const REISSUE: Text = t(
    "The bill as issued is wrong: ask the issuing unit for a corrected bill and do not book this one.",
    "票据开具有误：请联系开票单位重新开具，不要用这张票据入账或报销。",
);
const NOT_THE_FILE: Text = t(
    "Check that this is the bill file the issuer sent, unchanged (not a copy saved by another program); if it is, ask the issuer for a new copy.",
    "请确认这是开票单位发来的原始票据文件（未经其他程序另存或改动）；如果是，请向开票单位重新索取。",
);
const DAMAGED: Text = t(
    "The file is damaged, cut short, or not a bill of this kind.",
    "文件已损坏、不完整，或不是这类票据。",
);
const WARNING_ONLY: Text = t(
    "Nothing, for the verdict; if it matters to you, ask the issuing unit about it.",
    "结论不受影响；如有疑问，可向开票单位核实。",
);
const CHANGED: Text = t(
    "Do not accept it: the file was changed after it was signed. Ask the issuer for the original.",
    "不要接受这份文件：它在签名之后被改动过。请向开票单位索取原件。",
);
const TRUST: Text = t(
    "Supply the issuing CA's certificates and the root (--certs, --trust) published by the fiscal authority; if they are supplied, the signer is not one you trust.",
    "请提供财政部门发布的根证书和中间证书（--trust、--certs）；如果已经提供，说明签名者不在您信任的范围内。",
);

pub static CATALOGUE: &[Entry] = &[
    // ---- The XML bill (docs/report.md, "Checks").
    Entry {
        ids: &["document.format"],
        level: Failure,
        what: t(
            "The input is a well-formed fiscal e-bill of the profile: it parsed, and every required part is there.",
            "输入是格式正确的财政电子票据：能够解析，必需的部分齐全。",
        ),
        fails: t(
            "It never fails itself: when the document does not parse, the failing document.* or limits.* check stands alone in the report.",
            "它本身不会失败：文件无法解析时，报告中只列出失败的 document.* 或 limits.* 检查。",
        ),
        todo: t(
            "Look up the failing document.* or limits.* check of the report.",
            "请查看报告中失败的 document.* 或 limits.* 检查。",
        ),
    },
    Entry {
        ids: &["header.eInvoiceTag"],
        level: Failure,
        what: t(
            "The header's EInvoiceTag has the form CZ-EI-NN.",
            "票据头的 EInvoiceTag 形如 CZ-EI-NN。",
        ),
        fails: t(
            "The tag is missing or malformed: not a fiscal e-bill, or a faulty issuing system.",
            "标识缺失或格式不对：不是财政电子票据，或开票系统有误。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["header.eInvoiceId"],
        level: Warning("EINVOICE_ID_MISMATCH"),
        what: t(
            "The header's EInvoiceID agrees with the bill's code and number.",
            "票据头的 EInvoiceID 与票据代码、票据号码一致。",
        ),
        fails: t(
            "The issuing system wrote an identifier that does not match the code and number.",
            "开票系统写入的标识与票据代码、号码不一致。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["main.eInvoiceName"],
        level: Failure,
        what: t(
            "The bill's name (EInvoiceName, e.g. 医疗门诊收费票据) is not empty.",
            "票据名称（EInvoiceName，如“医疗门诊收费票据”）不为空。",
        ),
        fails: t(
            "The issuing system left it empty.",
            "开票系统没有填写票据名称。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.eInvoiceCode.format"],
        level: Failure,
        what: t(
            "The bill code (EInvoiceCode) is 8 digits.",
            "票据代码（EInvoiceCode）为 8 位数字。",
        ),
        fails: t(
            "The code is missing, has other characters, or the wrong length.",
            "票据代码缺失、含有非数字字符或位数不对。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.eInvoiceCode.province"],
        level: Failure,
        what: t(
            "The province part of the bill code equals the first two digits of SupervisorAreaCode.",
            "票据代码中的省份部分与财政监管区划代码（SupervisorAreaCode）的前两位一致。",
        ),
        fails: t(
            "The code names another province than the supervising fiscal authority: a faulty or forged bill.",
            "票据代码所属省份与监管财政部门不符：票据有误或系伪造。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.eInvoiceCode.year"],
        level: Warning("CODE_YEAR_MISMATCH"),
        what: t(
            "The year part of the bill code matches the year of issue.",
            "票据代码中的年份与开票年份一致。",
        ),
        fails: t(
            "Bills printed from a previous year's code range, which some issuers still use early in a year.",
            "使用了往年号段的票据代码，部分单位在年初仍会这样开具。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["main.eInvoiceNumber"],
        level: Failure,
        what: t(
            "The bill number (EInvoiceNumber) is 10 digits.",
            "票据号码（EInvoiceNumber）为 10 位数字。",
        ),
        fails: t(
            "The number is missing, has other characters, or the wrong length.",
            "票据号码缺失、含有非数字字符或位数不对。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.randomNumber"],
        level: Failure,
        what: t(
            "The check code (RandomNumber) is 6 letters or digits.",
            "校验码（RandomNumber）为 6 位字母或数字。",
        ),
        fails: t(
            "The check code is missing or malformed.",
            "校验码缺失或格式不对。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.supervisorAreaCode"],
        level: Failure,
        what: t(
            "The supervising fiscal authority's area code (SupervisorAreaCode) is present and well formed.",
            "财政监管区划代码（SupervisorAreaCode）存在且格式正确。",
        ),
        fails: t(
            "The area code is missing or malformed.",
            "区划代码缺失或格式不对。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.totalAmount.format"],
        level: Failure,
        what: t(
            "The total (TotalAmount) is a decimal number with at most two fraction digits.",
            "合计金额（TotalAmount）是最多两位小数的数字。",
        ),
        fails: t(
            "The amount is missing, not a number, or has more than two decimals.",
            "金额缺失、不是数字或超过两位小数。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.totalAmountCapital"],
        level: Failure,
        what: t(
            "The total in Chinese capital numerals (TotalAmountCapital, e.g. 贰佰壹拾柒元壹角) says the same amount as TotalAmount.",
            "大写金额（TotalAmountCapital，如“贰佰壹拾柒元壹角”）与小写合计金额（TotalAmount）相同。",
        ),
        fails: t(
            "The capital amount is misspelt or states another amount: the issuing system made a mistake, or one of the two was changed.",
            "大写金额写错或与小写金额不符：开票系统出错，或其中之一被改动。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.issueDate", "main.issueTime"],
        level: Failure,
        what: t(
            "The date and time of issue are valid calendar values.",
            "开票日期和时间是有效的日期、时间。",
        ),
        fails: t(
            "A date or time is missing or impossible (say, 2025-02-30).",
            "日期或时间缺失或不存在（如 2025-02-30）。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.invoicingPartyCode.checkCharacter"],
        level: Failure,
        what: t(
            "The issuing unit's code passes its check character (GB 32100 unified social credit code, or GB 11714 organisation code).",
            "开票单位代码的校验位正确（GB 32100 统一社会信用代码或 GB 11714 组织机构代码）。",
        ),
        fails: t(
            "The unit code has a typo or was made up.",
            "单位代码有误或系编造。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.invoicingPartyCode.length"],
        level: Warning("PARTY_CODE_LENGTH"),
        what: t(
            "The issuing unit's code has the usual length (18 or 9 characters).",
            "开票单位代码长度符合常规（18 位或 9 位）。",
        ),
        fails: t(
            "The unit uses a code of another length (some old or special units do).",
            "单位使用了其他长度的代码（部分老单位或特殊单位如此）。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["main.invoicingPartyName", "main.payerPartyName"],
        level: Failure,
        what: t(
            "The names of the issuing unit and of the payer are not empty.",
            "开票单位名称和交款人名称不为空。",
        ),
        fails: t(
            "The issuing system left a name empty.",
            "开票系统没有填写名称。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["main.payerPartyCode.idCheck"],
        level: Warning("PAYER_ID_CHECK"),
        what: t(
            "A personal payer's identity number passes its GB 11643 check digit.",
            "个人交款人的身份证号码符合 GB 11643 校验位。",
        ),
        fails: t(
            "The identity number was mistyped at the counter.",
            "收费时身份证号码录入有误。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &[
            "items.itemName",
            "items.itemAmount",
            "items.itemQuantity",
            "items.itemStd",
        ],
        level: Failure,
        what: t(
            "Every item has a name, and its amount, quantity and unit price (Std) are well-formed numbers.",
            "每个项目都有名称，金额、数量和标准（单价）都是格式正确的数字。",
        ),
        fails: t(
            "An item's name is empty or one of its numbers is malformed.",
            "某个项目名称为空或数字格式不对。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["items.quantityTimesStd"],
        level: Warning("ITEM_QTY_STD_MISMATCH"),
        what: t(
            "An item's quantity times its unit price equals its amount.",
            "项目的数量乘以标准（单价）等于金额。",
        ),
        fails: t(
            "Rounding, discounts, or prices per package make them differ; common and usually harmless.",
            "四舍五入、优惠或按包计价使两者不同；这很常见，通常无害。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["items.sum"],
        level: Failure,
        what: t(
            "The item amounts add up to the total (TotalAmount).",
            "各项目金额之和等于合计金额（TotalAmount）。",
        ),
        fails: t(
            "An item or the total is wrong: a faulty issuing system, or a changed amount.",
            "项目金额或合计金额有误：开票系统出错或金额被改动。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["signature.invoicingParty", "signature.supervisor"],
        level: Failure,
        what: t(
            "The issuing unit's signature, then the fiscal supervisor's: format, algorithm, digest of the signed content, signer certificate, signature value, path to a trust anchor, validity and revocation at the signing time, and that the signer is the unit (or authority) the bill names. Its code is the sub-indication of the first step that failed.",
            "开票单位的签名和财政监管签名：格式、算法、签名内容摘要、签名证书、签名值、到信任锚的证书路径、签名时证书的有效期和吊销状态，以及签名者就是票据所写的单位（或财政部门）。代码为第一个失败步骤的子结论。",
        ),
        fails: t(
            "HASH_FAILURE: the bill was changed after signing; SIG_CRYPTO_FAILURE: the signature does not match; NO_CERTIFICATE_CHAIN_FOUND or NO_SIGNING_CERTIFICATE_FOUND: certificates missing or not trusted; REVOKED, EXPIRED, NOT_YET_VALID: the certificate's status at signing; IDENTITY_MISMATCH: signed by someone else; CRYPTO_CONSTRAINTS_FAILURE: an algorithm this verifier does not support.",
            "HASH_FAILURE：签名后票据被改动；SIG_CRYPTO_FAILURE：签名不符；NO_CERTIFICATE_CHAIN_FOUND 或 NO_SIGNING_CERTIFICATE_FOUND：缺少证书或证书不受信任；REVOKED、EXPIRED、NOT_YET_VALID：签名时证书已吊销、过期或尚未生效；IDENTITY_MISMATCH：签名者不是票据上的单位；CRYPTO_CONSTRAINTS_FAILURE：使用了本验证器不支持的算法。",
        ),
        todo: t(
            "For the certificate codes, supply the fiscal authority's certificates and CRLs (--trust, --certs, --crl) and verify again; for the others, do not accept the bill and ask the issuer.",
            "证书类的代码：请提供财政部门发布的证书和吊销列表（--trust、--certs、--crl）后重新验证；其他代码：不要接受这张票据，请联系开票单位。",
        ),
    },
    Entry {
        ids: &["signatures.order"],
        level: Warning("SIGNING_ORDER"),
        what: t(
            "The issuing unit signed before the fiscal supervisor.",
            "开票单位先签名，财政监管后签名。",
        ),
        fails: t(
            "The signing times are in the other order, usually a clock off on one side.",
            "签名时间顺序相反，通常是某一方的时钟不准。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["signatures.signedAfterIssue"],
        level: Warning("SIGNED_BEFORE_ISSUE"),
        what: t(
            "The signatures were made at or after the bill's date and time of issue.",
            "签名时间不早于票据的开票时间。",
        ),
        fails: t(
            "A signing time before the issue time, usually a clock off on one side.",
            "签名时间早于开票时间，通常是时钟不准。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["signature.<role>.derTrailingOctets"],
        level: Warning("DER_TRAILING_OCTETS"),
        what: t(
            "The signature's DER encoding has no bytes after its end.",
            "签名的 DER 编码结束后没有多余字节。",
        ),
        fails: t(
            "The issuing system appends padding; the signature itself is judged without it.",
            "开票系统在末尾附加了填充字节；签名本身的判断不受影响。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["signature.<role>.certExpiredSinceSigning"],
        level: Warning("CERT_EXPIRED_SINCE_SIGNING"),
        what: t(
            "The signer's certificate, valid when it signed, is still valid today (only when the host gives the current time).",
            "签名时有效的签名证书，今天仍然有效（仅在提供当前时间时检查）。",
        ),
        fails: t(
            "The certificate expired after the signature was made; the signature stays valid.",
            "证书在签名之后过期；签名仍然有效。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["signature.<role>.certRevokedAfterSigning"],
        level: Warning("CERT_REVOKED_AFTER_SIGNING"),
        what: t(
            "The signer's certificate was not revoked after the signing time.",
            "签名证书在签名之后没有被吊销。",
        ),
        fails: t(
            "The CRL revokes the certificate from a date after the signature; the signature stays valid.",
            "吊销列表显示证书在签名之后被吊销；签名仍然有效。",
        ),
        todo: t(
            "The bill stands; if the revocation worries you, ask the issuing unit why its certificate was revoked.",
            "票据结论不变；如有疑虑，可向开票单位询问证书被吊销的原因。",
        ),
    },
    // ---- Format failures.
    Entry {
        ids: &["document.empty"],
        level: Failure,
        what: t(
            "The input has content (not nothing, not white space only).",
            "输入有内容（不是空文件，也不只是空白）。",
        ),
        fails: t(
            "The file is empty: a failed download or save.",
            "文件是空的：下载或保存失败。",
        ),
        todo: t("Save or download the bill again.", "请重新保存或下载票据。"),
    },
    Entry {
        ids: &["document.encoding"],
        level: Failure,
        what: t(
            "The XML is UTF-8, as the profile requires, and declares no other encoding.",
            "XML 使用规范要求的 UTF-8 编码，且没有声明其他编码。",
        ),
        fails: t(
            "Another encoding is declared, or bytes are not valid UTF-8 (the file was converted or edited).",
            "声明了其他编码，或含有不符合 UTF-8 的字节（文件被转换或编辑过）。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["document.dtd"],
        level: Failure,
        what: t(
            "The XML has no document type declaration (DTD), which bills never need.",
            "XML 不含文档类型声明（DTD），票据不需要它。",
        ),
        fails: t(
            "A DOCTYPE is present: refused because entity tricks can hide or change content.",
            "文件含有 DOCTYPE：为防止借实体隐藏或改变内容而拒绝。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["document.xml"],
        level: Failure,
        what: t("The input is well-formed XML.", "输入是格式正确的 XML。"),
        fails: DAMAGED,
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["document.structure"],
        level: Failure,
        what: t(
            "The XML has the structure of a fiscal e-bill (EInvoice with Header, EInvoiceData, signatures).",
            "XML 具有财政电子票据的结构（EInvoice 下有 Header、EInvoiceData 和签名）。",
        ),
        fails: t(
            "Another kind of XML document, or a bill of another profile.",
            "这是其他类型的 XML 文件，或其他规范的票据。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["document.required"],
        level: Failure,
        what: t(
            "Every element the profile requires is present.",
            "规范要求的元素都存在。",
        ),
        fails: t(
            "A required element is missing: cut short, or a faulty issuing system.",
            "缺少必需的元素：文件不完整或开票系统有误。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["document.duplicate"],
        level: Failure,
        what: t(
            "No element that may appear once appears twice.",
            "只能出现一次的元素没有重复出现。",
        ),
        fails: t(
            "A repeated element would let a reader and a verifier see different values: refused.",
            "重复的元素可能让阅读者与验证器看到不同的值，因此拒绝。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["document.unknownElement"],
        level: Failure,
        what: t(
            "No element outside the profile appears where the profile does not allow extensions.",
            "在规范不允许扩展的位置没有出现未知元素。",
        ),
        fails: t(
            "An unknown element: another profile, or content added to the bill.",
            "出现了未知元素：其他规范的票据，或被添加了内容。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["document.signedContent"],
        level: Failure,
        what: t(
            "The signed content reads one way only: no XML namespaces, comments, processing instructions or CDATA sections inside it.",
            "被签名的内容只有一种读法：其中没有 XML 命名空间、注释、处理指令或 CDATA 段。",
        ),
        fails: t(
            "Such constructs could make a reader and the verifier see different content; issuing systems never write them.",
            "这类写法可能让阅读者与验证器看到不同的内容；开票系统不会这样写。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["document.signatures"],
        level: Failure,
        what: t(
            "The bill carries both signatures, the issuing unit's and the fiscal supervisor's, once each.",
            "票据带有开票单位签名和财政监管签名，各一个。",
        ),
        fails: t(
            "A signature is missing or repeated: an unsigned draft, or a changed file.",
            "签名缺失或重复：未签名的草稿，或文件被改动。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["signature.format"],
        level: Failure,
        what: t(
            "Each signature element is readable: its value, format and certificate information decode.",
            "每个签名元素都能读出：签名值、格式和证书信息都能解码。",
        ),
        fails: t(
            "A signature value is not valid base64 or DER, or its fields are malformed.",
            "签名值不是有效的 base64 或 DER，或字段格式不对。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["limits.inputSize"],
        level: Failure,
        what: t(
            "An XML bill is at most 4 MiB (maxInputBytes).",
            "XML 票据不超过 4 MiB（maxInputBytes）。",
        ),
        fails: t(
            "The file is far larger than any bill: not a bill, or padded.",
            "文件远大于任何票据：不是票据，或被填充过。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &[
            "limits.depth",
            "limits.elements",
            "limits.items",
            "limits.children",
            "limits.textLength",
            "limits.attributes",
        ],
        level: Failure,
        what: t(
            "The XML stays within the verifier's bounds (spec §8): nesting depth, number of elements, of items, of child elements of one element (1 024, Details and AuxDetails apart), length of one text, and at most 64 attributes on an element or namespace declarations in the document.",
            "XML 不超出验证器的上限（规范第 8 节）：嵌套深度、元素个数、项目个数、单个元素的子元素个数（1 024 个，Details 和 AuxDetails 除外）、单段文本长度，以及单个元素的属性或全文的命名空间声明不超过 64 个。",
        ),
        fails: t(
            "No real bill comes near these bounds: the file is not a bill or was built to exhaust a verifier.",
            "真实票据远达不到这些上限：文件不是票据，或是为耗尽验证器资源而构造的。",
        ),
        todo: NOT_THE_FILE,
    },
    // ---- OFD documents.
    Entry {
        ids: &["ofd.structure"],
        level: Failure,
        what: t(
            "The OFD package is readable from OFD.xml to its DocRoot and its list of signatures.",
            "OFD 文件能够从 OFD.xml 读到 DocRoot 及签名列表。",
        ),
        fails: t(
            "A required part is missing or malformed: a damaged or incomplete OFD file.",
            "缺少必需的部分或格式不对：OFD 文件损坏或不完整。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["ofd.signatures"],
        level: Failure,
        what: t(
            "The OFD document carries at least one seal or signature.",
            "OFD 文件至少带有一个电子印章或数字签名。",
        ),
        fails: t(
            "The document was never sealed or signed: there is nothing to verify.",
            "文件没有盖章或签名：没有可验证的内容。",
        ),
        todo: t(
            "Ask the issuer for the sealed document.",
            "请向开票单位索取盖章后的文件。",
        ),
    },
    Entry {
        ids: &["ofd.signature[i]"],
        level: Failure,
        what: t(
            "Seal or signature i of the list, as a whole; its code is the sub-indication of the step that decided it (the checks ofd.signature[i].* name the step).",
            "签名列表中第 i 个电子印章或数字签名的总体结果；代码为决定结论的步骤的子结论（具体步骤见 ofd.signature[i].* 检查）。",
        ),
        fails: t(
            "One of its steps failed: the document was changed (HASH_FAILURE), the seal or signature does not match (SIG_CRYPTO_FAILURE), or its certificates are missing, untrusted, expired or revoked.",
            "某个步骤失败：文件被改动（HASH_FAILURE）、印章或签名不符（SIG_CRYPTO_FAILURE），或证书缺失、不受信任、过期或被吊销。",
        ),
        todo: t(
            "Look up the failing ofd.signature[i].* check of the report with piaoyan explain.",
            "请用 piaoyan explain 查看报告中失败的 ofd.signature[i].* 检查。",
        ),
    },
    Entry {
        ids: &["ofd.signature[i].format"],
        level: Failure,
        what: t(
            "The signature's Signature.xml is readable, with its References and its SignedValue.",
            "签名的 Signature.xml 可读，且含有 References 和 SignedValue。",
        ),
        fails: DAMAGED,
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["ofd.signature[i].references"],
        level: Failure,
        what: t(
            "Every part the signature lists still has the digest (CheckValue) it had when signed.",
            "签名列出的每个部分的摘要（CheckValue）与签名时一致。",
        ),
        fails: t(
            "HASH_FAILURE: parts were changed or removed after signing (the message names them); CRYPTO_CONSTRAINTS_FAILURE: a digest method this verifier does not support.",
            "HASH_FAILURE：签名后有部分被改动或删除（消息中列出）；CRYPTO_CONSTRAINTS_FAILURE：使用了本验证器不支持的摘要算法。",
        ),
        todo: CHANGED,
    },
    Entry {
        ids: &["ofd.signature[i].references.signaturesList"],
        level: Warning("OFD_SIGNATURES_APPENDED"),
        what: t(
            "The list of signatures is the one this signature covered.",
            "签名列表与本签名所覆盖的一致。",
        ),
        fails: t(
            "Later seals or signatures were added to the list, which is how documents are sealed more than once.",
            "之后又加盖了印章或签名，多次盖章的文件都是这样。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["ofd.signature[i].seal.format"],
        level: Failure,
        what: t(
            "The electronic seal signature (SES_Signature, GB/T 38540) decodes.",
            "电子签章数据（SES_Signature，GB/T 38540）能够解码。",
        ),
        fails: DAMAGED,
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["ofd.signature[i].seal.dataHash"],
        level: Failure,
        what: t(
            "The seal's dataHash is the SM3 digest of the Signature.xml it seals.",
            "印章中的 dataHash 等于所签 Signature.xml 的 SM3 摘要。",
        ),
        fails: t(
            "Signature.xml was changed after sealing.",
            "Signature.xml 在盖章后被改动。",
        ),
        todo: CHANGED,
    },
    Entry {
        ids: &["ofd.signature[i].seal.esl"],
        level: Failure,
        what: t(
            "The seal (ESL) inside the signature is byte for byte the seal file the signature names.",
            "签章中的印章（ESL）与签名所指的印章文件逐字节相同。",
        ),
        fails: t("The seal was swapped or changed.", "印章被替换或改动。"),
        todo: CHANGED,
    },
    Entry {
        ids: &["ofd.signature[i].seal.makerSignature"],
        level: Failure,
        what: t(
            "The seal maker's signature over the seal's information (SES_SealInfo) is valid.",
            "制章者对印章信息（SES_SealInfo）的签名有效。",
        ),
        fails: t(
            "The seal's picture, name or validity was changed after the seal was made, or the seal was forged.",
            "印章的图片、名称或有效期在制章后被改动，或印章系伪造。",
        ),
        todo: CHANGED,
    },
    Entry {
        ids: &["ofd.signature[i].seal.validity"],
        level: Failure,
        what: t(
            "The seal was within its validity period at the signing time (judged once the signer is trusted).",
            "盖章时印章在有效期内（在签名者可信后判断）。",
        ),
        fails: t(
            "The seal had expired or was not yet valid when it was used.",
            "盖章时印章已过期或尚未生效。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["ofd.signature[i].cms.format"],
        level: Failure,
        what: t(
            "A digital signature's value is a readable CMS (PKCS#7) structure or a bare SM2 signature.",
            "数字签名的值是可读的 CMS（PKCS#7）结构或 SM2 签名值。",
        ),
        fails: DAMAGED,
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["ofd.signature[i].cms.messageDigest"],
        level: Failure,
        what: t(
            "What the CMS signature signs is the digest of Signature.xml.",
            "CMS 签名所签的内容就是 Signature.xml 的摘要。",
        ),
        fails: t(
            "Signature.xml was changed after signing.",
            "Signature.xml 在签名后被改动。",
        ),
        todo: CHANGED,
    },
    Entry {
        ids: &["ofd.signature[i].signatureValue"],
        level: Failure,
        what: t(
            "The SM2 (or ECDSA) signature value verifies with the signer's key, over TBS_Sign for a seal or the signed content for a digital signature.",
            "SM2（或 ECDSA）签名值能用签名者的公钥验证通过：电子印章针对 TBS_Sign，数字签名针对所签内容。",
        ),
        fails: t(
            "The signature does not match what it claims to sign: changed content or a forged signature.",
            "签名与所签内容不符：内容被改动或签名系伪造。",
        ),
        todo: CHANGED,
    },
    Entry {
        ids: &["ofd.signature[i].certificate.found"],
        level: Failure,
        what: t(
            "The signer's certificate is found (in the signature, or in the certificates supplied).",
            "找到了签名证书（在签名中，或在提供的证书中）。",
        ),
        fails: t(
            "The signature does not carry its certificate and none supplied matches.",
            "签名没有附带证书，提供的证书中也没有匹配的。",
        ),
        todo: TRUST,
    },
    Entry {
        ids: &["ofd.signature[i].certificate.chain"],
        level: Failure,
        what: t(
            "The signer's certificate leads, through issuing CAs, to a trust anchor you supplied.",
            "签名证书能经过中间证书追溯到您提供的信任锚（根证书）。",
        ),
        fails: t(
            "An issuing CA certificate is missing, or the root is not among your trust anchors.",
            "缺少中间证书，或根证书不在您的信任锚之中。",
        ),
        todo: TRUST,
    },
    Entry {
        ids: &["ofd.signature[i].certificate.validity"],
        level: Failure,
        what: t(
            "Every certificate of the path was valid at the signing time.",
            "签名时证书路径上的每张证书都在有效期内。",
        ),
        fails: t(
            "A certificate had expired or was not yet valid when the document was signed.",
            "签名时某张证书已过期或尚未生效。",
        ),
        todo: REISSUE,
    },
    Entry {
        ids: &["ofd.signature[i].certificate.revocation"],
        level: Failure,
        what: t(
            "No certificate of the path was revoked before the signing time, by the CRLs supplied.",
            "按提供的吊销列表，签名之前证书路径上没有证书被吊销。",
        ),
        fails: t(
            "The signer's certificate was revoked before it signed (lost or stolen keys, say).",
            "签名证书在签名之前已被吊销（如密钥丢失或被盗）。",
        ),
        todo: t(
            "Do not accept the document; ask the issuer to sign again with a valid certificate.",
            "不要接受这份文件；请开票单位用有效证书重新签署。",
        ),
    },
    Entry {
        ids: &["ofd.signature[i].*.trailingOctets"],
        level: Warning("DER_TRAILING_OCTETS"),
        what: t(
            "A DER object of the signature (the seal, the CMS value) has no bytes after its end.",
            "签名中的 DER 对象（印章、CMS 值）结束后没有多余字节。",
        ),
        fails: t(
            "The signing software appends padding; the signature itself is judged without it.",
            "签章软件在末尾附加了填充字节；签名本身的判断不受影响。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["ofd.signature[i].certExpiredSinceSigning"],
        level: Warning("CERT_EXPIRED_SINCE_SIGNING"),
        what: t(
            "The signer's certificate, valid when it signed, is still valid today.",
            "签名时有效的签名证书今天仍然有效。",
        ),
        fails: t(
            "The certificate expired after signing; the signature stays valid.",
            "证书在签名之后过期；签名仍然有效。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["ofd.signature[i].certRevokedAfterSigning"],
        level: Warning("CERT_REVOKED_AFTER_SIGNING"),
        what: t(
            "The signer's certificate was not revoked after the signing time.",
            "签名证书在签名之后没有被吊销。",
        ),
        fails: t(
            "The CRL revokes the certificate from a date after the signature; the signature stays valid.",
            "吊销列表显示证书在签名之后被吊销；签名仍然有效。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["ofd.zip.prefix"],
        level: Warning("OFD_ZIP_PREFIX"),
        what: t(
            "The OFD package starts with its zip data, with nothing in front.",
            "OFD 文件以 zip 数据开头，前面没有其他内容。",
        ),
        fails: t(
            "Bytes were put in front of the zip (some tools do); they are not part of what was signed.",
            "zip 数据前有多余的字节（有些工具会这样）；它们不属于签名的内容。",
        ),
        todo: WARNING_ONLY,
    },
    Entry {
        ids: &["ofd.documents"],
        level: Warning("OFD_MULTIPLE_DOCUMENTS"),
        what: t(
            "The package holds one document (one DocBody).",
            "文件只包含一个文档（一个 DocBody）。",
        ),
        fails: t(
            "Further documents are present: only the first is verified, the others are listed as uncovered.",
            "还包含其他文档：只验证第一个，其余列为未覆盖。",
        ),
        todo: t(
            "Rely only on the first document; ask the issuer about the others.",
            "只以第一个文档为准；其余文档请向开票单位核实。",
        ),
    },
    Entry {
        ids: &["ofd.coverage"],
        level: Failure,
        what: t(
            "Every part a reader of the document is shown (pages, templates, resources, annotations) is covered by a signature not proven invalid.",
            "阅读者看到的每个部分（页面、模板、资源、注释）都在某个未被证明无效的签名覆盖之内。",
        ),
        fails: t(
            "Parts were added or left unsigned (document.uncovered names them): what you see may not be what was signed.",
            "有部分是后加的或未签名（document.uncovered 中列出）：您看到的可能不是签名时的内容。",
        ),
        todo: t(
            "Do not rely on the unsigned parts; ask the issuer for a document sealed as a whole.",
            "不要依赖未签名的部分；请向开票单位索取完整盖章的文件。",
        ),
    },
    Entry {
        ids: &["ofd.partNames"],
        level: Failure,
        what: t(
            "No two parts of the package have names that a reader could take for one another (case, empty or '.' segments, trailing dots or spaces).",
            "文件中没有两个部分的名称会被阅读器混为一谈（大小写、空段或“.”段、结尾的点或空格）。",
        ),
        fails: t(
            "Look-alike names let a reader show a part other than the signed one.",
            "相似的名称可能让阅读器显示未签名的部分。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &["ofd.attachments"],
        level: Warning("OFD_ATTACHMENT_UNCOVERED"),
        what: t(
            "Every attachment and custom tag is covered by a valid signature.",
            "每个附件和自定义标签都在有效签名的覆盖之内。",
        ),
        fails: t(
            "An attachment or custom tag is not signed: it may have been added or changed.",
            "某个附件或自定义标签没有签名：可能是后加或改动过的。",
        ),
        todo: t(
            "Do not rely on that attachment's content.",
            "不要依赖该附件的内容。",
        ),
    },
    Entry {
        ids: &["ofd.ebill"],
        level: Failure,
        what: t(
            "A fiscal e-bill embedded in the document verifies on its own (its report is nested in the attachment).",
            "文件中嵌入的财政电子票据本身验证通过（其报告附在附件中）。",
        ),
        fails: t(
            "The embedded bill failed one of its own checks.",
            "嵌入的票据自身的某项检查失败。",
        ),
        todo: t(
            "Look up the failing check of the nested report with piaoyan explain.",
            "请用 piaoyan explain 查看嵌入票据报告中失败的检查。",
        ),
    },
    Entry {
        ids: &["ofd.zip", "ofd.zip.pathEscape"],
        level: Failure,
        what: t(
            "The zip container is readable, and no entry name leaves the package (../, absolute paths).",
            "zip 容器可以读取，且没有条目名称指向包外（../ 或绝对路径）。",
        ),
        fails: t(
            "A damaged zip, or entry names crafted to escape the package.",
            "zip 已损坏，或条目名称被刻意构造以逃出包外。",
        ),
        todo: NOT_THE_FILE,
    },
    Entry {
        ids: &[
            "limits.packageBytes",
            "limits.zipEntries",
            "limits.zipEntryBytes",
            "limits.zipTotalBytes",
            "limits.zipRatio",
            "limits.zipPathBytes",
            "limits.ofdSignatures",
        ],
        level: Failure,
        what: t(
            "The OFD package stays within the verifier's bounds: 64 MiB in all, 10 000 entries, 32 MiB per entry and 128 MiB unpacked, a compression ratio of 1000 above 64 KiB, entry names of 512 bytes, 64 signatures.",
            "OFD 文件不超出验证器的上限：总计 64 MiB、10 000 个条目、单个条目 32 MiB、解压后共 128 MiB、64 KiB 以上压缩比不超过 1000、条目名称 512 字节、64 个签名。",
        ),
        fails: t(
            "No real bill comes near these bounds: the file is not a bill, or was built to exhaust a verifier (a zip bomb).",
            "真实票据远达不到这些上限：文件不是票据，或是为耗尽验证器资源而构造的（如 zip 炸弹）。",
        ),
        todo: NOT_THE_FILE,
    },
];
