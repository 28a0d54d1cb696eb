//! Why a document could not be drawn: one variant per reason, each with
//! its words in Chinese and English.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::report::Message;

/// Why drawing stopped. Every limit names its bound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderError {
    /// The input is neither an OFD package nor a fiscal bill this
    /// verifier reads; the verification's reason says why.
    Unreadable { check: String, reason: Message },
    /// The document lists no page.
    NoPages,
    /// More pages than `max_pages`.
    TooManyPages { bound: usize },
    /// More drawn objects than `max_objects`.
    TooManyObjects { bound: usize },
    /// More path points than `max_path_points`.
    TooManyPathPoints { bound: usize },
    /// An image larger than `max_image_pixels`.
    ImageTooLarge { pixels: u64, bound: u64 },
    /// More SVG text than `max_output_bytes`.
    OutputTooLong { bound: usize },
    /// Composite objects or seal pictures nested deeper than `max_depth`.
    TooDeep { bound: usize },
}

impl RenderError {
    /// A stable code for hosts.
    pub fn code(&self) -> &'static str {
        match self {
            RenderError::Unreadable { .. } => "RENDER_UNREADABLE",
            RenderError::NoPages => "RENDER_NO_PAGES",
            RenderError::TooManyPages { .. } => "RENDER_TOO_MANY_PAGES",
            RenderError::TooManyObjects { .. } => "RENDER_TOO_MANY_OBJECTS",
            RenderError::TooManyPathPoints { .. } => "RENDER_TOO_MANY_PATH_POINTS",
            RenderError::ImageTooLarge { .. } => "RENDER_IMAGE_TOO_LARGE",
            RenderError::OutputTooLong { .. } => "RENDER_OUTPUT_TOO_LONG",
            RenderError::TooDeep { .. } => "RENDER_TOO_DEEP",
        }
    }

    /// What went wrong, in both languages.
    pub fn message(&self) -> Message {
        match self {
            RenderError::Unreadable { reason, .. } => Message::new(
                format!("无法绘制：{}", reason.zh),
                format!("cannot draw: {}", reason.en),
            ),
            RenderError::NoPages => Message::new("文档中没有页面", "the document has no page"),
            RenderError::TooManyPages { bound } => Message::new(
                format!("页面超过 {bound} 页"),
                format!("more than {bound} pages (maxPages)"),
            ),
            RenderError::TooManyObjects { bound } => Message::new(
                format!("图元超过 {bound} 个"),
                format!("more than {bound} drawn objects (maxObjects)"),
            ),
            RenderError::TooManyPathPoints { bound } => Message::new(
                format!("路径点超过 {bound} 个"),
                format!("more than {bound} path points (maxPathPoints)"),
            ),
            RenderError::ImageTooLarge { pixels, bound } => Message::new(
                format!("图像有 {pixels} 像素，超过 {bound}"),
                format!("an image of {pixels} pixels exceeds maxImagePixels = {bound}"),
            ),
            RenderError::OutputTooLong { bound } => Message::new(
                format!("绘制结果超过 {bound} 字节"),
                format!("the drawing exceeds maxOutputBytes = {bound}"),
            ),
            RenderError::TooDeep { bound } => Message::new(
                format!("复合图元或印章图像嵌套超过 {bound} 层"),
                format!("composite objects or seal pictures nested deeper than {bound}"),
            ),
        }
    }
}

impl core::fmt::Display for RenderError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.code(), self.message().en)
    }
}
