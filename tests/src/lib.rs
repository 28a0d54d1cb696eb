//! Cross-crate tests and the fixture generator.

pub mod fixture;
pub mod hostile;
pub mod ofd;
pub mod samples;
pub mod vectors;
