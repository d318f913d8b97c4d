//! botocraft models for AWS `ec2`.
//!
//! This service is not generated yet: the crate exists so the workspace and the
//! facade's `ec2` feature have their final shape.
