//! Fuzzing Piaoyan: the target bodies and their seed corpora. The
//! cargo-fuzz targets are in `fuzz_targets/`; see README.md, "Fuzzing".

pub mod bodies;
pub mod seeds;
pub mod xml_diff;
pub mod zip_diff;
