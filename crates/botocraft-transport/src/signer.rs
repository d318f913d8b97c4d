//! SigV4 signing as its own layer, on top of `aws-sigv4`.

use std::time::SystemTime;

use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use botocraft_core::{Error, Result};

use crate::credentials::Credentials;

/// Signs requests with AWS Signature Version 4 for one region and service.
///
/// Adds `x-amz-date` and `authorization`, plus `x-amz-security-token` when the
/// credentials carry a session token, and `x-amz-content-sha256` only when
/// [`Signer::with_content_sha256`] asks for it (S3-style services; none of
/// ECS, EC2, ECR or Auto Scaling need it). The request URI must be absolute
/// and should carry a `host` header (it is derived from the URI otherwise).
///
/// ```
/// # mod botocraft {  }
/// use botocraft_transport::{Credentials, Signer};
/// let signer = Signer::new("us-east-1", "ecs");
/// let mut req = http::Request::post("https://ecs.us-east-1.amazonaws.com/")
///     .header("host", "ecs.us-east-1.amazonaws.com")
///     .body(b"{}".to_vec())
///     .unwrap();
/// signer.sign(&mut req, &Credentials::new("AKIDEXAMPLE", "secret", None)).unwrap();
/// assert!(req.headers().contains_key("authorization"));
/// ```
#[derive(Debug, Clone)]
pub struct Signer {
    region: String,
    signing_name: String,
    content_sha256: bool,
}

impl Signer {
    /// A signer for `region` and the service's SigV4 `signing_name`.
    pub fn new(region: impl Into<String>, signing_name: impl Into<String>) -> Self {
        Signer {
            region: region.into(),
            signing_name: signing_name.into(),
            content_sha256: false,
        }
    }

    /// Also send the `x-amz-content-sha256` header (default: no).
    pub fn with_content_sha256(mut self, yes: bool) -> Self {
        self.content_sha256 = yes;
        self
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Signs `request` in place with the current time.
    pub fn sign(
        &self,
        request: &mut http::Request<Vec<u8>>,
        credentials: &Credentials,
    ) -> Result<()> {
        self.sign_at(request, credentials, SystemTime::now())
    }

    /// Signs `request` in place as if at `time` (deterministic; for tests).
    pub fn sign_at(
        &self,
        request: &mut http::Request<Vec<u8>>,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<()> {
        // The key id goes into the Authorization header as it stands: a
        // line break or control character in it (a credential_process that
        // printed a key file's newline) would make no header value. Never
        // quoted: it names the account's key.
        let key_id = &credentials.access_key_id;
        if key_id.is_empty() || !key_id.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Credentials {
                message: "the credentials' access key id is empty or holds whitespace or control characters (a line break from the file or program it came from?), so no request can be signed with it".into(),
            });
        }
        let identity = aws_credential_types::Credentials::new(
            credentials.access_key_id.clone(),
            credentials.secret_access_key.clone(),
            credentials.session_token.clone(),
            credentials.expiry,
            "botocraft",
        )
        .into();
        let mut settings = SigningSettings::default();
        settings.payload_checksum_kind = if self.content_sha256 {
            PayloadChecksumKind::XAmzSha256
        } else {
            PayloadChecksumKind::NoHeader
        };
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.signing_name)
            .time(time)
            .settings(settings)
            .build()
            .map_err(|e| Error::config(format!("cannot build SigV4 parameters: {e}")))?
            .into();
        let mut headers = Vec::with_capacity(request.headers().len());
        for (name, value) in request.headers() {
            let value = value.to_str().map_err(|_| {
                Error::validation(format!(
                    "header {name} is not valid UTF-8 and cannot be signed"
                ))
            })?;
            headers.push((name.as_str(), value));
        }
        let uri = request.uri().to_string();
        let signable = SignableRequest::new(
            request.method().as_str(),
            uri,
            headers.into_iter(),
            SignableBody::Bytes(request.body()),
        )
        .map_err(|e| Error::validation(format!("request cannot be signed: {e}")))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| Error::validation(format!("request cannot be signed: {e}")))?
            .into_parts();
        // Inserted here rather than by `apply_to_request_http1x`, which
        // panics on a value that is no header value. The signature goes in
        // headers (the default settings), so there are no query parameters.
        let (headers, params) = instructions.into_parts();
        debug_assert!(params.is_empty(), "query-string signing is not used");
        for header in headers {
            let mut value = http::HeaderValue::from_str(header.value()).map_err(|_| {
                Error::validation(format!(
                    "the signature's {} header is not a valid header value",
                    header.name()
                ))
            })?;
            value.set_sensitive(header.sensitive());
            request.headers_mut().insert(header.name(), value);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// 2015-08-30T12:36:00Z, the time of the public SigV4 test suite.
    fn suite_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    /// A key id with a line break (a credential_process that printed its
    /// key file's newline) is a credentials error, never a panic, and the
    /// error does not quote the key.
    #[test]
    fn a_key_id_that_makes_no_header_is_refused() {
        let signer = Signer::new("us-east-1", "ecs");
        for key_id in ["AKIDEXAMPLE\n", "AKID EXAMPLE", "", "AKID\u{7f}"] {
            let mut request = http::Request::post("https://ecs.us-east-1.amazonaws.com/")
                .body(b"{}".to_vec())
                .unwrap();
            let credentials = Credentials::new(key_id, "secret", None);
            let err = signer
                .sign_at(&mut request, &credentials, suite_time())
                .unwrap_err();
            assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
            if !key_id.is_empty() {
                assert!(!err.to_string().contains("AKID"), "{err}");
            }
            assert!(request.headers().get("authorization").is_none());
        }
    }

    fn suite_creds(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token.map(str::to_owned),
        )
    }

    fn get_vanilla() -> http::Request<Vec<u8>> {
        http::Request::get("https://example.amazonaws.com/")
            .header("host", "example.amazonaws.com")
            .body(Vec::new())
            .unwrap()
    }

    fn header(req: &http::Request<Vec<u8>>, name: &str) -> Option<String> {
        req.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[test]
    fn matches_the_get_vanilla_vector() {
        let mut req = get_vanilla();
        Signer::new("us-east-1", "service")
            .sign_at(&mut req, &suite_creds(None), suite_time())
            .unwrap();
        assert_eq!(
            header(&req, "x-amz-date").as_deref(),
            Some("20150830T123600Z")
        );
        assert_eq!(
            header(&req, "authorization").as_deref(),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
        assert!(header(&req, "x-amz-content-sha256").is_none());
        assert!(header(&req, "x-amz-security-token").is_none());
    }

    #[test]
    fn matches_the_session_token_vector() {
        let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        let mut req = get_vanilla();
        Signer::new("us-east-1", "service")
            .sign_at(&mut req, &suite_creds(Some(token)), suite_time())
            .unwrap();
        assert_eq!(header(&req, "x-amz-security-token").as_deref(), Some(token));
        let auth = header(&req, "authorization").unwrap();
        assert!(
            auth.contains("SignedHeaders=host;x-amz-date;x-amz-security-token"),
            "{auth}"
        );
        assert!(
            auth.ends_with(
                "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
            ),
            "{auth}"
        );
    }

    #[test]
    fn deterministic_and_secret_dependent() {
        let signer = Signer::new("eu-west-1", "ecs");
        let sign = |creds: &Credentials| {
            let mut req = http::Request::post("https://ecs.eu-west-1.amazonaws.com/")
                .header("host", "ecs.eu-west-1.amazonaws.com")
                .header(
                    "x-amz-target",
                    "AmazonEC2ContainerServiceV20141113.ListClusters",
                )
                .body(b"{}".to_vec())
                .unwrap();
            signer.sign_at(&mut req, creds, suite_time()).unwrap();
            header(&req, "authorization").unwrap()
        };
        let a = sign(&Credentials::new("AKID", "one", None));
        assert_eq!(a, sign(&Credentials::new("AKID", "one", None)));
        assert_ne!(a, sign(&Credentials::new("AKID", "two", None)));
        assert!(a.contains("/eu-west-1/ecs/aws4_request"));
        assert!(a.contains("x-amz-target"));
    }

    #[test]
    fn content_sha256_on_request() {
        let mut req = get_vanilla();
        Signer::new("us-east-1", "s3")
            .with_content_sha256(true)
            .sign_at(&mut req, &suite_creds(None), suite_time())
            .unwrap();
        // SHA-256 of the empty body.
        assert_eq!(
            header(&req, "x-amz-content-sha256").as_deref(),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
    }
}
