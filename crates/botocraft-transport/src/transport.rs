//! One HTTP exchange: the [`Transport`] trait and its hyper implementation.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use botocraft_core::{Error, Result, TimeoutKind};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::{capture_connection, HttpConnector};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::proxy::{Connector, ProxyConfig};

/// Sends one HTTP request and returns its response.
///
/// The request has an absolute URI and is already signed; a transport does
/// not sign, retry or interpret the response. Failures are
/// [`Error::Transport`] (I/O), [`Error::Timeout`] (`Connect`, `Read` or
/// `Attempt`), or, for a body past [`HyperTransport`]'s size limit,
/// [`Error::Deserialize`].
///
/// A transport implements [`send`](Self::send). A session with an attempt
/// timeout calls [`send_with_timeout`](Self::send_with_timeout), whose
/// default runs `send` under that limit; a transport that queues requests
/// (for a connection slot, a rate limit) overrides it to start the clock
/// once the request leaves its queue, because the time spent waiting there
/// is not the attempt's: counting it would time out, and send again, calls
/// the server has not even seen, or is still working on.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core::{Result}; pub(crate) use ::botocraft_transport as transport; }
/// use async_trait::async_trait;
/// use botocraft::Result;
/// use botocraft::transport::Transport;
///
/// /// Answers every request with an empty 200.
/// #[derive(Debug)]
/// struct Empty;
///
/// #[async_trait]
/// impl Transport for Empty {
///     async fn send(&self, _request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
///         Ok(http::Response::new(Vec::new()))
///     }
/// }
/// # let response = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap()
/// #     .block_on(Empty.send_with_timeout(http::Request::new(Vec::new()), Some(std::time::Duration::from_secs(1))))?;
/// # assert_eq!(response.status(), 200);
/// # Ok::<(), botocraft_core::Error>(())
/// ```
#[async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Performs the exchange.
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>>;

    /// Performs the exchange within `timeout` (none: no limit), failing
    /// with [`Error::Timeout`] of kind [`TimeoutKind::Attempt`] when it runs
    /// out. Time spent waiting for the transport's own capacity should not
    /// count (see the [trait docs](Transport)); the default counts from the
    /// call, which is right for a transport that does not queue.
    async fn send_with_timeout(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<http::Response<Vec<u8>>> {
        let Some(limit) = timeout else {
            return self.send(request).await;
        };
        let operation = operation_name(&request).unwrap_or_default();
        within_attempt(limit, operation, self.send(request)).await
    }
}

#[async_trait]
impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        (**self).send(request).await
    }

    async fn send_with_timeout(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<http::Response<Vec<u8>>> {
        (**self).send_with_timeout(request, timeout).await
    }
}

/// Runs `exchange` under the attempt timeout `limit`.
async fn within_attempt<F>(limit: Duration, operation: String, exchange: F) -> F::Output
where
    F: std::future::Future<Output = Result<http::Response<Vec<u8>>>>,
{
    match tokio::time::timeout(limit, exchange).await {
        Ok(result) => result,
        Err(_) => Err(Error::Timeout {
            operation,
            waited_on: None,
            kind: TimeoutKind::Attempt,
            after: limit,
            last_failure: None,
        }),
    }
}

/// The default connect timeout, as in the AWS SDKs.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// The default read timeout, as in botocore: how long the server may stay
/// silent before the response head, and between pieces of the body.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a connection stays idle before the OS starts TCP keepalive
/// probes on it.
const TCP_KEEPALIVE: Duration = Duration::from_secs(30);

/// The operation name of a request, for error messages: the text after the
/// last `.` of `x-amz-target`, else the `Action` field of a form body.
pub fn operation_name(request: &http::Request<Vec<u8>>) -> Option<String> {
    if let Some(target) = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
    {
        return Some(target.rsplit('.').next().unwrap_or(target).to_owned());
    }
    form_urlencoded::parse(request.body())
        .find(|(k, _)| k == "Action")
        .map(|(_, v)| v.into_owned())
}

/// True for `localhost`, `127.0.0.0/8` and `::1`.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// HTTP/1.1 over hyper with a pooled keep-alive client and rustls.
///
/// TLS uses rustls with the `ring` provider and the Mozilla root store from
/// `webpki-roots`, compiled in. We chose it over `rustls-native-certs`
/// because it behaves the same everywhere, including minimal container images
/// (scratch, distroless) that ship no CA bundle, which is where ECS workloads
/// typically run, and it needs no file-system access at start-up. Certificate
/// verification is on unless `danger_accept_invalid_certs` turns it off
/// (for tests).
///
/// Plain `http://` is only allowed to loopback hosts (`localhost`,
/// `127.0.0.0/8`, `::1`, e.g. LocalStack or moto) unless
/// [`HyperTransportBuilder::allow_insecure_http`] is set; anything else is an
/// [`Error::Config`].
///
/// A server that stops sending (a stalled load balancer, a half-open
/// connection) fails the attempt after the
/// [read timeout](HyperTransportBuilder::read_timeout) with
/// [`Error::Timeout`] of kind [`TimeoutKind::Read`], which the session
/// retries, instead of holding the call, and its connection slot, forever.
///
/// A connection that answered with a 5xx status is closed, not pooled, so
/// the retry that follows goes out on a new one.
///
/// Requests go through an HTTP proxy when [`HyperTransportBuilder::proxy`]
/// says so (see [`ProxyConfig`]; a session passes the environment's
/// `HTTPS_PROXY`/`NO_PROXY` here); a transport built with
/// [`HyperTransport::new`] connects directly.
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<HttpsConnector<Connector>, Full<Bytes>>,
    allow_insecure_http: bool,
    connect_timeout: Duration,
    read_timeout: Duration,
    max_response_bytes: usize,
    /// Requests in flight at once, and so connections open at once.
    in_flight: std::sync::Arc<tokio::sync::Semaphore>,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

/// Configures a [`HyperTransport`].
#[derive(Debug, Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    read_timeout: Duration,
    allow_insecure_http: bool,
    pool_idle_timeout: Duration,
    max_connections: usize,
    danger_accept_invalid_certs: bool,
    /// PEM certificates trusted besides the Mozilla roots.
    extra_roots_pem: Option<Vec<u8>>,
    proxy: ProxyConfig,
    max_response_bytes: usize,
}

/// The default limit on requests in flight (and so on open connections).
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;

/// The default limit on a response body: 1 GiB, far above any answer of
/// the services botocraft covers (a 1,000-instance `DescribeInstances` page
/// is ~5 MB), and below what a server sending without end would make a
/// process hold before it is killed.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1 << 30;

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        HyperTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            allow_insecure_http: false,
            pool_idle_timeout: Duration::from_secs(60),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            danger_accept_invalid_certs: false,
            extra_roots_pem: None,
            proxy: ProxyConfig::none(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl HyperTransportBuilder {
    /// Time allowed to open a TCP connection (default 3.1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long the server may stay silent (default 60 s, as in botocore):
    /// the limit on the wait for the response head once the request is
    /// handed to the connection pool (connecting included), and on the wait
    /// for each further piece of the body. When it fires the attempt fails
    /// with [`Error::Timeout`] of kind [`TimeoutKind::Read`], which sessions
    /// retry. A large body that keeps arriving is never cut off: the limit
    /// is on silence, not on the whole response (that is the session's
    /// [attempt timeout](crate::AwsSessionBuilder::attempt_timeout)).
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_transport as transport; }
    /// use std::time::Duration;
    /// use botocraft::transport::HyperTransport;
    ///
    /// let transport = HyperTransport::builder()
    ///     .read_timeout(Duration::from_secs(10))
    ///     .build()?;
    /// # drop(transport);
    /// # Ok::<(), botocraft_core::Error>(())
    /// ```
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Allows plain `http://` to non-loopback hosts (default: refused).
    pub fn allow_insecure_http(mut self, yes: bool) -> Self {
        self.allow_insecure_http = yes;
        self
    }

    /// How long an idle pooled connection is kept (default 60 s).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// The largest response body accepted (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 1 GiB): a larger one, announced by its
    /// Content-Length or found while reading, fails the call with
    /// [`Error::Deserialize`] (not retried) instead of growing memory
    /// without bound. 0 is treated as 1.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit.max(1);
        self
    }

    /// At most this many requests in flight at once (default 64): callers
    /// beyond it wait their turn, so a burst of concurrent calls cannot open
    /// an unbounded number of connections. 0 is treated as 1.
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// Also trusts the certificates of this PEM bundle (what
    /// `AWS_CA_BUNDLE` or a profile's `ca_bundle` names): a TLS-inspecting
    /// corporate proxy's, or a private endpoint's. The Mozilla roots stay
    /// trusted, and verification stays on. A bundle with no certificate, or
    /// one that does not parse, makes [`build`](Self::build) fail.
    pub fn extra_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.extra_roots_pem = Some(pem.into());
        self
    }

    /// DANGER: accepts any TLS certificate, for any host — expired,
    /// self-signed or issued to someone else. Only for test endpoints you
    /// control (a local emulator behind TLS); never against AWS. Building a
    /// transport with this set logs a warning.
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.danger_accept_invalid_certs = yes;
        self
    }

    /// Sends requests through an HTTP proxy as `proxy` says (default: none;
    /// loopback and link-local hosts are always reached directly). A proxy
    /// URL that is not a usable `http://` URL makes [`build`](Self::build)
    /// fail.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// Builds the transport. Needs no runtime; the first request does.
    pub fn build(self) -> Result<HyperTransport> {
        let proxies = self.proxy.matcher()?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(self.connect_timeout));
        http.set_nodelay(true);
        // A pooled connection whose peer vanished without a FIN (a NAT or
        // load balancer dropped the flow) is found out by the OS instead of
        // failing the next request sent on it.
        http.set_keepalive(Some(TCP_KEEPALIVE));
        // One TLS configuration path for every case. The provider is named,
        // not taken from the process default: a program that also links
        // rustls with aws-lc-rs (aws-sdk-rust does) would otherwise have two
        // and panic on the first request.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::config(format!("TLS configuration: {e}")))?;
        let config = if self.danger_accept_invalid_certs {
            tracing::warn!("TLS certificate verification is OFF for this transport (danger_accept_invalid_certs)");
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
                .with_no_client_auth()
        } else {
            builder
                .with_root_certificates(root_store_with(self.extra_roots_pem.as_deref())?)
                .with_no_client_auth()
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .wrap_connector(Connector::new(http, proxies, self.connect_timeout));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.max_connections)
            .http1_read_buf_exact_size(READ_BUFFER_SIZE)
            .build(https);
        Ok(HyperTransport {
            client,
            allow_insecure_http: self.allow_insecure_http,
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            max_response_bytes: self.max_response_bytes,
            in_flight: std::sync::Arc::new(tokio::sync::Semaphore::new(self.max_connections)),
        })
    }
}

/// The Mozilla roots, plus the certificates of the PEM bundle `pem` if any.
fn root_store_with(pem: Option<&[u8]>) -> Result<rustls::RootCertStore> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let Some(pem) = pem else {
        return Ok(roots);
    };
    let mut added = 0;
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| Error::config(format!("CA bundle: {e}")))?;
        roots
            .add(cert)
            .map_err(|e| Error::config(format!("CA bundle: a certificate is not usable: {e}")))?;
        added += 1;
    }
    if added == 0 {
        return Err(Error::config(
            "CA bundle: no `-----BEGIN CERTIFICATE-----` block in it",
        ));
    }
    Ok(roots)
}

impl HyperTransport {
    /// A transport with the defaults.
    pub fn new() -> Result<Self> {
        HyperTransportBuilder::default().build()
    }

    /// Starts configuring a transport.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    fn check_uri(&self, uri: &http::Uri, operation: &str) -> Result<()> {
        match uri.scheme_str() {
            Some("https") => Ok(()),
            Some("http") => {
                let host = uri.host().unwrap_or_default();
                if self.allow_insecure_http || is_loopback_host(host) {
                    Ok(())
                } else {
                    Err(Error::config(format!(
                        "refusing plain http:// to {host:?} for {operation}: only loopback hosts may use http \
                         unless the transport allows it: the session's allow_insecure_http(true) or \
                         BOTOCRAFT_ALLOW_INSECURE_HTTP=true configures the transport the session builds; \
                         a HyperTransport given to .transport(..) needs HyperTransport::builder().allow_insecure_http(true) \
                         (or wrap the session's own with .wrap_transport(..))"
                    )))
                }
            }
            _ => Err(Error::config(format!(
                "{operation}: the request URI {uri} is not absolute http(s)"
            ))),
        }
    }
}

/// The verifier behind `danger_accept_invalid_certs`: any certificate is
/// accepted, but handshake signatures are still checked (a broken handshake
/// still fails).
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn find_io_timeout(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        current = e.source();
    }
    false
}

fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut current = err.source();
    while let Some(e) = current {
        text.push_str(": ");
        text.push_str(&e.to_string());
        current = e.source();
    }
    text
}

#[async_trait]
impl Transport for HyperTransport {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        self.send_with_timeout(request, None).await
    }

    /// The attempt timeout starts once the request has a connection slot
    /// ([`max_connections`](HyperTransportBuilder::max_connections)): a call
    /// queued behind others is not timed out, and sent again, for their
    /// slowness.
    async fn send_with_timeout(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<http::Response<Vec<u8>>> {
        let operation = operation_name(&request).unwrap_or_default();
        self.check_uri(request.uri(), &operation)?;
        // Held until the body is read: one permit, one connection in use.
        let _permit = self
            .in_flight
            .acquire()
            .await
            .map_err(|_| Error::transport(&operation, "the transport is shut down", None))?;
        match timeout {
            Some(limit) => {
                let exchange = self.exchange(request, operation.clone());
                within_attempt(limit, operation, exchange).await
            }
            None => self.exchange(request, operation).await,
        }
    }
}

impl HyperTransport {
    /// Sends `request` and reads the whole response, each wait on the server
    /// bounded by the read timeout.
    async fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
        operation: String,
    ) -> Result<http::Response<Vec<u8>>> {
        let read_timeout = || Error::Timeout {
            operation: operation.clone(),
            waited_on: None,
            kind: TimeoutKind::Read,
            after: self.read_timeout,
            last_failure: None,
        };
        let (parts, body) = request.into_parts();
        // Named in connection errors: with endpoints from code, environment
        // and profile, which one was tried is the first question.
        let endpoint = match (parts.uri.scheme_str(), parts.uri.authority()) {
            (Some(scheme), Some(authority)) => format!("{scheme}://{authority}"),
            _ => parts.uri.to_string(),
        };
        let mut request = http::Request::from_parts(parts, Full::new(Bytes::from(body)));
        let connection = capture_connection(&mut request);
        let response =
            match tokio::time::timeout(self.read_timeout, self.client.request(request)).await {
                Err(_) => return Err(read_timeout()),
                Ok(Ok(r)) => r,
                Ok(Err(err)) => {
                    if err.is_connect() && find_io_timeout(&err) {
                        return Err(Error::Timeout {
                            operation,
                            waited_on: None,
                            kind: TimeoutKind::Connect,
                            after: self.connect_timeout,
                            last_failure: None,
                        });
                    }
                    let message = format!("{endpoint}: {}", describe(&err));
                    return Err(Error::transport(operation, message, Some(Box::new(err))));
                }
            };
        let (parts, mut body) = response.into_parts();
        if parts.status.is_server_error() {
            // The retry goes out on a fresh connection, as aws-sdk-rust's
            // does: a 5xx may come from one unhealthy host behind the
            // endpoint or a proxy in a bad state, and a pooled connection
            // would take the retry straight back to it.
            if let Some(connected) = connection.connection_metadata().as_ref() {
                connected.poison();
            }
        }
        // One copy, into a buffer sized from Content-Length (bounded: the
        // header is the peer's word), not chunks joined and then copied again.
        let expected = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
            .unwrap_or(0);
        let limit = self.max_response_bytes;
        let too_large = || {
            Error::deserialize(
                operation.clone(),
                format!(
                    "the response body is larger than the {limit} bytes this transport accepts (HyperTransportBuilder::max_response_bytes)"
                ),
                b"",
            )
        };
        if expected > limit {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(expected.min(MAX_BODY_PREALLOCATION));
        loop {
            let frame = match tokio::time::timeout(self.read_timeout, body.frame()).await {
                Err(_) => return Err(read_timeout()),
                Ok(None) => break,
                Ok(Some(frame)) => frame,
            };
            let frame = frame.map_err(|err| {
                let message = format!("reading the response body: {}", describe(&err));
                Error::transport(operation.clone(), message, Some(Box::new(err)))
            })?;
            if let Some(data) = frame.data_ref() {
                if data.len() > limit - bytes.len() {
                    return Err(too_large());
                }
                bytes.extend_from_slice(data);
            }
        }
        Ok(http::Response::from_parts(parts, bytes))
    }
}

/// hyper's socket read buffer. Its adaptive default grows towards 400 KB on
/// a fast link, and the copy we keep of the body makes a larger one pure
/// overhead: 0.8 MB of a 500-group Auto Scaling listing's peak memory. 64 KB
/// is four TLS records per read, and far above any response head AWS sends.
const READ_BUFFER_SIZE: usize = 64 << 10;

/// The most a response's Content-Length may make us allocate up front.
const MAX_BODY_PREALLOCATION: usize = 64 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "example.com",
            "10.0.0.1",
            "localhost.evil.com",
            "128.0.0.1",
            "[::2]",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn the_default_read_timeout_is_botocores() {
        let transport = HyperTransport::new().unwrap();
        assert_eq!(transport.read_timeout, Duration::from_secs(60));
        let transport = HyperTransport::builder()
            .read_timeout(Duration::from_millis(250))
            .build()
            .unwrap();
        assert_eq!(transport.read_timeout, Duration::from_millis(250));
    }

    #[test]
    fn operation_from_target_or_action() {
        let req = http::Request::post("/")
            .header("x-amz-target", "Prefix_V1.DescribeServices")
            .body(Vec::new())
            .unwrap();
        assert_eq!(operation_name(&req).as_deref(), Some("DescribeServices"));
        let req = http::Request::post("/")
            .body(b"Version=1&Action=DescribeInstances".to_vec())
            .unwrap();
        assert_eq!(operation_name(&req).as_deref(), Some("DescribeInstances"));
        let req = http::Request::post("/").body(b"{}".to_vec()).unwrap();
        assert_eq!(operation_name(&req), None);
    }
}
