//! The bounds of one drawing, and the budget that counts against them.

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::RenderError;

/// Bounds of one drawing (all pages of one input together).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderLimits {
    pub max_pages: usize,
    /// Drawn objects (text, path, image, composite, stamp), all pages.
    pub max_objects: usize,
    /// Path points (each coordinate pair), all pages.
    pub max_path_points: usize,
    /// Pixels of one image (width × height from its header).
    pub max_image_pixels: u64,
    /// SVG text, all pages.
    pub max_output_bytes: usize,
    /// Composite objects inside composite objects, seal pictures that are
    /// OFD documents inside seal pictures.
    pub max_depth: usize,
}

impl Default for RenderLimits {
    fn default() -> Self {
        RenderLimits {
            max_pages: 200,
            max_objects: 200_000,
            max_path_points: 2_000_000,
            max_image_pixels: 50_000_000,
            max_output_bytes: 64 * 1024 * 1024,
            max_depth: 4,
        }
    }
}

/// What has been spent so far.
pub(crate) struct Budget {
    pub limits: RenderLimits,
    objects: usize,
    points: usize,
    output: usize,
}

impl Budget {
    pub fn new(limits: RenderLimits) -> Budget {
        Budget {
            limits,
            objects: 0,
            points: 0,
            output: 0,
        }
    }

    pub fn object(&mut self) -> Result<(), RenderError> {
        self.objects += 1;
        if self.objects > self.limits.max_objects {
            return Err(RenderError::TooManyObjects {
                bound: self.limits.max_objects,
            });
        }
        Ok(())
    }

    pub fn points(&mut self, n: usize) -> Result<(), RenderError> {
        self.points = self.points.saturating_add(n);
        if self.points > self.limits.max_path_points {
            return Err(RenderError::TooManyPathPoints {
                bound: self.limits.max_path_points,
            });
        }
        Ok(())
    }

    pub fn image(&mut self, width: u64, height: u64) -> Result<(), RenderError> {
        let pixels = width.saturating_mul(height);
        if pixels > self.limits.max_image_pixels {
            return Err(RenderError::ImageTooLarge {
                pixels,
                bound: self.limits.max_image_pixels,
            });
        }
        Ok(())
    }

    /// Checks the text written so far plus `more` bytes.
    pub fn output(&mut self, more: usize) -> Result<(), RenderError> {
        self.output = self.output.saturating_add(more);
        if self.output > self.limits.max_output_bytes {
            return Err(RenderError::OutputTooLong {
                bound: self.limits.max_output_bytes,
            });
        }
        Ok(())
    }

    pub fn depth(&self, depth: usize) -> Result<(), RenderError> {
        if depth > self.limits.max_depth {
            return Err(RenderError::TooDeep {
                bound: self.limits.max_depth,
            });
        }
        Ok(())
    }
}
