//! Cross-crate tests and the fixture generator.
