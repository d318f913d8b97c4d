//! botocraft models for Amazon EC2.
//!
//! VPCs, subnets, security groups, instances, AMIs, ... are primary models
//! with managers; their sub-structures are secondary models. The types,
//! managers and requests are generated from botocore's EC2 model and
//! `definitions/ec2.toml` (see [`generated`]).
//!
//! Every key parses from the text its `Display` writes, so an id given on a
//! command line is one `.parse()` away; a key of several parts joins them
//! with `/`, and blank text is an `Error::Validation`:
//!
//! ```
//! # mod botocraft { pub(crate) use ::botocraft_ec2 as ec2; }
//! use botocraft::ec2::{InstanceKey, LaunchTemplateVersionKey};
//!
//! let instance: InstanceKey = "i-0abc".parse()?;
//! assert_eq!(instance, InstanceKey("i-0abc".into()));
//! let version: LaunchTemplateVersionKey = "lt-0abc/3".parse()?;
//! assert_eq!(version.version_number, "3");
//! assert_eq!(version.to_string().parse::<LaunchTemplateVersionKey>()?, version);
//! assert!("".parse::<InstanceKey>().is_err());
//! # Ok::<(), botocraft_core::Error>(())
//! ```

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
