//! The `awsQuery` and `ec2` request serialisers. (Being written.)

use serde::Serialize;

use crate::schema::Shape;
use crate::session::ServiceMetadata;
use crate::{Error, Result};

/// Builds the unsigned form-encoded request for `operation`.
pub fn build_request<I: Serialize + ?Sized>(
    service: &ServiceMetadata,
    operation: &str,
    shape: &'static Shape,
    input: &I,
) -> Result<http::Request<Vec<u8>>> {
    let _ = (service, shape, input);
    Err(Error::config(format!("{operation}: the query serialiser is not built yet")))
}
