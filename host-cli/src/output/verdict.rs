//! The verdict as a person reads it: the word in each language, its
//! colour, and the host's help for an input that is not a bill at all.

use anstyle::{AnsiColor, Style};

use super::record::Lang;

/// What the table and the summary show for one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shown {
    Valid,
    /// VALID, resting on a demo trust anchor: anyone can make such a bill.
    ValidDemo,
    Invalid,
    /// The report's `notABill` is set (the verdict is INVALID).
    NotABill(NotABill),
    /// INDETERMINATE, error records included.
    Indeterminate,
    /// A verdict this host does not know (a newer module).
    Unknown,
}

/// The report's `notABill`: what kind of file the input is instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NotABill {
    Empty,
    TooLarge,
    Pdf,
    Image,
    Archive,
    /// `unknown`, or a value this host does not know.
    Unknown,
}

impl NotABill {
    /// The report's value (`null` is `None` before this is called).
    pub fn from_value(value: &str) -> NotABill {
        match value {
            "empty" => NotABill::Empty,
            "tooLarge" => NotABill::TooLarge,
            "pdf" => NotABill::Pdf,
            "image" => NotABill::Image,
            "archive" => NotABill::Archive,
            _ => NotABill::Unknown,
        }
    }

    /// What the file is and what to do instead (the core gives no help
    /// text; the host does).
    pub fn help(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NotABill::Empty, Lang::En) => {
                "the file is empty: nothing to verify; check that it was saved or downloaded completely"
            }
            (NotABill::Empty, Lang::Zh) => {
                "文件是空的，没有可验证的内容；请确认文件已完整保存或下载"
            }
            (NotABill::TooLarge, Lang::En) => {
                "far too large for a bill (an XML bill has at most 4 MiB, an OFD document 64 MiB); check that this is the bill file itself"
            }
            (NotABill::TooLarge, Lang::Zh) => {
                "文件过大，不是一张票据（XML 票据不超过 4 MiB，OFD 文件不超过 64 MiB）；请确认选的是票据文件本身"
            }
            (NotABill::Pdf, Lang::En) => {
                "a PDF file, not an electronic bill: a PDF copy carries no signature to verify; ask the issuer for the XML or OFD file"
            }
            (NotABill::Pdf, Lang::Zh) => {
                "这是 PDF 文件，不是电子票据：PDF 副本不带可验证的签名；请向开票单位索取 XML 或 OFD 格式的电子票据"
            }
            (NotABill::Image, Lang::En) => {
                "a picture (a photo or a scan), not an electronic bill: it carries no signature to verify; ask the issuer for the XML or OFD file"
            }
            (NotABill::Image, Lang::Zh) => {
                "这是图片（照片或扫描件），不是电子票据：图片不带可验证的签名；请向开票单位索取 XML 或 OFD 格式的电子票据"
            }
            (NotABill::Archive, Lang::En) => {
                "a zip archive without OFD.xml, not an OFD document; if it packs several bills, name it .zip (piaoyan then verifies each file inside) or unzip it"
            }
            (NotABill::Archive, Lang::Zh) => {
                "这是不含 OFD.xml 的压缩包，不是 OFD 文件；如果里面是多张票据，请把文件名改为 .zip（piaoyan 会逐个验证其中的文件）或先解压"
            }
            (NotABill::Unknown, Lang::En) => {
                "neither an XML bill nor an OFD document; check that this is the bill file the issuer sent"
            }
            (NotABill::Unknown, Lang::Zh) => {
                "既不是 XML 票据，也不是 OFD 文件；请确认这是开票单位发来的票据文件"
            }
        }
    }
}

impl Shown {
    /// The word of the table and the summary.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Shown::Valid, Lang::En) => "VALID",
            (Shown::ValidDemo, Lang::En) => "VALID (DEMO)",
            (Shown::Invalid, Lang::En) => "INVALID",
            (Shown::NotABill(_), Lang::En) => "NOT A BILL",
            (Shown::Indeterminate, Lang::En) => "INDETERMINATE",
            (Shown::Unknown, Lang::En) => "?",
            (Shown::Valid, Lang::Zh) => "验证通过",
            (Shown::ValidDemo, Lang::Zh) => "验证通过（演示）",
            (Shown::Invalid, Lang::Zh) => "验证失败",
            (Shown::NotABill(_), Lang::Zh) => "无法识别",
            (Shown::Indeterminate, Lang::Zh) => "无法确定",
            (Shown::Unknown, Lang::Zh) => "？",
        }
    }

    /// Green, red or yellow on a terminal that shows colours.
    pub fn style(self) -> Style {
        let colour = match self {
            Shown::Valid => AnsiColor::Green,
            Shown::Invalid | Shown::NotABill(_) => AnsiColor::Red,
            Shown::ValidDemo | Shown::Indeterminate | Shown::Unknown => AnsiColor::Yellow,
        };
        Style::new().fg_color(Some(colour.into())).bold()
    }
}

/// `text` in `style`, or as it is when colours are off.
pub fn painted(text: &str, style: Style, colour: bool) -> String {
    if colour {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}
