//! botocraft models for AWS `autoscaling`.
//!
//! This service is not generated yet: the crate exists so the workspace and the
//! facade's `autoscaling` feature have their final shape.
