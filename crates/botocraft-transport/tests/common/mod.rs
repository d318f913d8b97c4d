//! What the transport's integration tests share.

use botocraft_core::{Protocol, ServiceMetadata};

/// A JSON-protocol service to sign and send calls for (ECS as botocore
/// describes it).
pub static ECS: ServiceMetadata = ServiceMetadata {
    name: "ecs",
    signing_name: "ecs",
    endpoint_prefix: "ecs",
    env_id: "ECS",
    api_version: "2014-11-13",
    target_prefix: Some("AmazonEC2ContainerServiceV20141113"),
    protocol: Protocol::AwsJson1_1,
    endpoint_rules: None,
};

/// A TLS server on 127.0.0.1 with a freshly generated self-signed
/// certificate for `names`, answering each request with the body `respond`
/// returns for the request's first read (its head, and the body of these
/// small requests).
#[allow(dead_code)] // not every test binary uses it
pub struct TlsServer {
    pub addr: std::net::SocketAddr,
    pub cert: tokio_rustls::rustls::pki_types::CertificateDer<'static>,
    /// The certificate as PEM, for a CA bundle.
    pub pem: String,
    /// The first read of each request (its head, for these small requests).
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

#[allow(dead_code)]
pub async fn tls_server(names: &[&str], respond: fn(&str) -> &'static str) -> TlsServer {
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;
    let generated =
        rcgen::generate_simple_self_signed(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .unwrap();
    let cert = generated.cert.der().clone();
    let pem = {
        use base64::Engine as _;
        let text = base64::engine::general_purpose::STANDARD.encode(cert.as_ref());
        let lines: Vec<&str> = text
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    };
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(generated.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert.clone()], key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 16 * 1024];
                let n = tls.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).into_owned();
                let body = respond(&request);
                seen.lock().unwrap().push(request);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsServer {
        addr,
        cert,
        pem,
        requests,
    }
}
