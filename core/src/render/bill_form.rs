//! A fiscal e-bill XML drawn as its paper form (A5 landscape, as printed):
//! 票据名称; 票据代码, 票据号码, 校验码, 开票日期; 交款人; the 项目明细
//! table; 金额合计 in 大写 and digits; 备注; 收款单位 with its seal picture
//! when the host supplies one; 收款人, 复核人. The whole form is one
//! signed part: marked by the bill's verdict.

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::RenderError;
use super::image::Format;
use super::limits::Budget;
use super::marks::Signed;
use super::svg::{Svg, esc, num};
use super::{Page, RenderOptions};
use crate::bill::Bill;
use crate::report::{Report, SubIndication, Verdict};

const INK: &str = "#9c1c1c";
const TEXT: &str = "#1a1a1a";
const WIDTH: f64 = 210.0;
const LEFT: f64 = 10.0;
const RIGHT: f64 = 200.0;
const ROW: f64 = 6.5;
/// Table rows drawn on the form before the rest is summarised.
const MAX_ROWS: usize = 200;
const FAMILY: &str = "SimSun,'Songti SC','Noto Serif CJK SC',serif";

/// The bill's state: VALID covers the whole form; a digest or signature
/// that no longer matches means it was changed after signing.
fn state(report: &Report) -> Signed {
    match (report.verdict, report.sub_indication) {
        (Verdict::Valid, _) => Signed::Valid,
        (_, Some(SubIndication::HashFailure | SubIndication::SigCryptoFailure)) => Signed::Changed,
        _ => Signed::Uncovered,
    }
}

/// The width of text in a font of `size` (CJK a full em, others half).
fn width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// Text cut with `…` to fit `max` millimetres.
fn fit(text: &str, size: f64, max: f64) -> String {
    if width(text, size) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = size;
    for c in text.chars() {
        w += if c.is_ascii() { 0.55 } else { 1.0 } * size;
        if w > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

struct Form<'b> {
    svg: Svg,
    budget: &'b mut Budget,
}

impl Form<'_> {
    fn push(&mut self, s: &str) -> Result<(), RenderError> {
        self.svg.push(self.budget, s)
    }

    fn text(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        anchor: &str,
        color: &str,
        text: &str,
    ) -> Result<(), RenderError> {
        self.budget.object()?;
        self.push(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{color}\">{}</text>",
            num(x),
            num(y),
            num(size),
            esc(text)
        ))
    }

    /// A label in the form's ink and its value in black after it.
    fn field(
        &mut self,
        x: f64,
        y: f64,
        label: &str,
        value: &str,
        max: f64,
    ) -> Result<(), RenderError> {
        let size = 3.2;
        self.text(x, y, size, "start", INK, label)?;
        let lw = width(label, size);
        self.text(x + lw, y, size, "start", TEXT, &fit(value, size, max - lw))
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64) -> Result<(), RenderError> {
        self.budget.object()?;
        self.push(&format!(
            "<path d=\"M {} {} L {} {}\" stroke=\"{INK}\" stroke-width=\"0.3\" fill=\"none\"/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        ))
    }
}

/// `yyyyMMdd` as `yyyy-MM-dd` when it is one.
fn date(d: &str) -> String {
    if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "{}-{}-{}",
            crate::text::cut(d, 0..4),
            crate::text::cut(d, 4..6),
            crate::text::cut(d, 6..8)
        )
    } else {
        d.to_string()
    }
}

pub(crate) fn draw(
    bill: &Bill,
    report: &Report,
    options: &RenderOptions,
    budget: &mut Budget,
) -> Result<Page, RenderError> {
    let m = &bill.main;
    let signed = state(report);
    let rows = bill.items.len().clamp(4, MAX_ROWS);
    let table_top = 44.0;
    let table_bottom = table_top + ROW * (rows as f64 + 1.0);
    let height = (table_bottom + 52.0).max(140.0);
    let mut f = Form {
        svg: Svg::new(),
        budget,
    };
    f.push(&format!(
        "<rect width=\"{}\" height=\"{}\" fill=\"#fff\"/><g data-part=\"bill\" data-signed=\"{}\" font-family=\"{FAMILY}\">",
        num(WIDTH),
        num(height),
        signed.as_str()
    ))?;

    // Title and the numbers.
    f.text(
        WIDTH / 2.0,
        15.0,
        6.0,
        "middle",
        INK,
        &fit(&m.e_invoice_name, 6.0, 150.0),
    )?;
    f.line(55.0, 17.5, 155.0, 17.5)?;
    f.line(55.0, 18.3, 155.0, 18.3)?;
    f.field(LEFT, 27.0, "票据代码：", &m.e_invoice_code, 70.0)?;
    f.field(80.0, 27.0, "票据号码：", &m.e_invoice_number, 60.0)?;
    f.field(145.0, 27.0, "校验码：", &m.random_number, 55.0)?;
    let payer_code = m.payer_party.code.as_deref().unwrap_or("");
    f.field(LEFT, 34.0, "交款人统一社会信用代码：", payer_code, 100.0)?;
    f.field(145.0, 34.0, "开票日期：", &date(&m.issue_date), 55.0)?;
    f.field(LEFT, 41.0, "交款人：", &m.payer_party.name, 130.0)?;

    // The items.
    let cols: [(f64, &str); 7] = [
        (LEFT, "项目编码"),
        (34.0, "项目名称"),
        (84.0, "单位"),
        (98.0, "数量"),
        (114.0, "标准"),
        (136.0, "金额（元）"),
        (162.0, "备注"),
    ];
    let top = table_top + 1.5;
    f.line(LEFT, top, RIGHT, top)?;
    for (i, (x, label)) in cols.iter().enumerate() {
        let next = cols.get(i + 1).map_or(RIGHT, |c| c.0);
        f.text((x + next) / 2.0, top + 4.6, 3.2, "middle", INK, label)?;
    }
    f.line(LEFT, top + ROW, RIGHT, top + ROW)?;
    let shown = bill.items.len().min(MAX_ROWS);
    for (r, item) in bill.items.iter().take(shown).enumerate() {
        let y = top + ROW * (r as f64 + 1.0) + 4.6;
        let cells = [
            item.code.as_deref().unwrap_or(""),
            item.name.as_str(),
            item.unit.as_deref().unwrap_or(""),
            item.quantity.as_deref().unwrap_or(""),
            item.std.as_deref().unwrap_or(""),
            item.amount.text.as_str(),
            item.remark.as_deref().unwrap_or(""),
        ];
        for (i, value) in cells.iter().enumerate() {
            let x = cols[i].0;
            let next = cols.get(i + 1).map_or(RIGHT, |c| c.0);
            let value = fit(value, 3.0, next - x - 2.0);
            f.text((x + next) / 2.0, y, 3.0, "middle", TEXT, &value)?;
        }
    }
    if bill.items.len() > shown {
        let y = top + ROW * (shown as f64 + 1.0) - 1.5;
        let more = format!("……另有 {} 项", bill.items.len() - shown);
        f.text(WIDTH / 2.0, y, 3.0, "middle", TEXT, &more)?;
    }
    let bottom = table_bottom + 1.5;
    f.line(LEFT, bottom, RIGHT, bottom)?;
    for (x, _) in cols.iter().skip(1) {
        f.line(*x, top, *x, bottom)?;
    }
    f.line(LEFT, top, LEFT, bottom + 2.0 * ROW)?;
    f.line(RIGHT, top, RIGHT, bottom + 2.0 * ROW)?;

    // The total, in words and in digits.
    let capital = m
        .total_amount_capital
        .clone()
        .or_else(|| m.total_amount.fen.map(crate::capital::spell))
        .unwrap_or_default();
    let y = bottom + 4.6;
    f.field(LEFT + 2.0, y, "金额合计（大写）", &capital, 110.0)?;
    f.field(136.0, y, "（小写）¥", &m.total_amount.text, 62.0)?;
    f.line(LEFT, bottom + ROW, RIGHT, bottom + ROW)?;
    let remark = m.remark.as_deref().unwrap_or("");
    f.field(LEFT + 2.0, y + ROW, "备注：", remark, 185.0)?;
    f.line(LEFT, bottom + 2.0 * ROW, RIGHT, bottom + 2.0 * ROW)?;

    // The payee, its seal, the persons.
    let y = bottom + 2.0 * ROW + 8.0;
    let payee = &m.invoicing_party.name;
    f.field(LEFT, y, "收款单位（章）：", payee, 95.0)?;
    f.field(
        110.0,
        y,
        "复核人：",
        m.checker.as_deref().unwrap_or(""),
        45.0,
    )?;
    f.field(
        155.0,
        y,
        "收款人：",
        m.handling_person.as_deref().unwrap_or(""),
        45.0,
    )?;
    let (sx, sy, sw, sh) = (40.0, y - 18.0, 40.0, 27.0);
    let seal_name = m
        .invoicing_party_seal
        .as_ref()
        .and_then(|s| s.seal_name.clone())
        .unwrap_or_default();
    // The payee's picture: its size checked before it is decoded.
    let payee = match options.seal_picture.as_deref() {
        Some(p) => {
            let format = Format::sniff(p);
            if let Some((w, h)) = super::image::dimensions(format, p) {
                f.budget.image(w, h)?;
            }
            super::image::data_uri(format, p, f.budget.limits.max_image_pixels)
        }
        None => None,
    };
    match payee {
        Some(uri) => {
            f.budget.object()?;
            f.push(&format!(
                "<image data-seal=\"payee\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"xMidYMid meet\" href=\"{uri}\"/>",
                num(sx),
                num(sy),
                num(sw),
                num(sh)
            ))?;
        }
        _ if !seal_name.is_empty() => {
            // The seal the bill names, without its picture: an outline
            // with its name, not a seal.
            f.budget.object()?;
            f.push(&format!(
                "<g data-seal=\"named\"><ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"0.3\" stroke-dasharray=\"1 1\"/></g>",
                num(sx + sw / 2.0),
                num(sy + sh / 2.0),
                num(sw / 2.0),
                num(sh / 2.0)
            ))?;
            f.text(
                sx + sw / 2.0,
                sy + sh / 2.0 + 1.0,
                2.6,
                "middle",
                INK,
                &fit(&seal_name, 2.6, sw - 2.0),
            )?;
        }
        _ => {}
    }
    f.push("</g>")?;
    if signed == Signed::Changed {
        f.push(&format!(
            "<g data-mark=\"changed\"><rect x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#e00000\" stroke-width=\"1\"/><rect x=\"0.5\" y=\"0.5\" width=\"42\" height=\"8\" fill=\"#e00000\"/><text x=\"3\" y=\"6.2\" font-size=\"5\" fill=\"#fff\" font-family=\"SimHei,'Noto Sans CJK SC',sans-serif\">签名后被改动</text></g>",
            num(WIDTH - 1.0),
            num(height - 1.0)
        ))?;
    } else if signed == Signed::Uncovered && options.shade {
        f.push(&format!(
            "<rect class=\"piaoyan-shade\" data-signed=\"uncovered\" width=\"{}\" height=\"{}\" fill=\"#ffb300\" fill-opacity=\"0.12\"/>",
            num(WIDTH),
            num(height)
        ))?;
    }
    let open = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {w} {h}\" width=\"{w}mm\" height=\"{h}mm\" data-page=\"1\" data-signed=\"{}\">",
        signed.as_str(),
        w = num(WIDTH),
        h = num(height),
    );
    Ok(Page {
        svg: f.svg.finish(&open),
        width_mm: WIDTH,
        height_mm: height,
        signed,
    })
}
