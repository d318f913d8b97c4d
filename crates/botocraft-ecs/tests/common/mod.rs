//! The fixture-test harness shared by every service crate: see
//! `botocraft_transport::testing`.

pub use botocraft_transport::testing::*;
