//! botocraft models for Amazon EC2.
//!
//! VPCs, subnets, security groups, instances, AMIs, ... are primary models
//! with managers; their sub-structures are secondary models. The types,
//! managers and requests are generated from botocore's EC2 model and
//! `definitions/ec2.toml` (see [`generated`]).

#[allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::invalid_rust_codeblocks,
    clippy::all
)]
pub mod generated;

pub use generated::*;

pub mod ext;
