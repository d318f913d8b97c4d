//! botocraft models for AWS `ecr`.
//!
//! This service is not generated yet: the crate exists so the workspace and the
//! facade's `ecr` feature have their final shape.
