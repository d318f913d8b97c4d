//! Helpers of the botocore protocol conformance runner
//! (`tests/protocol_conformance.rs`).

pub mod shapes;
pub mod values;
