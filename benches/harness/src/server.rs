//! A canned-response HTTP/1.1 server on 127.0.0.1.
//!
//! Every body is rendered once before the first request; a request only
//! costs header parsing, a route lookup (X-Amz-Target, or the `Action` form
//! field) and a `write_all` of ready bytes. The one dynamic response,
//! `DescribeServices`, is the concatenation of pre-rendered service objects.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::data;

pub struct Sizes {
    pub ec2_instances: usize,
    pub ecs_services: usize,
    pub asg_groups: usize,
}

pub struct Canned {
    ec2: Vec<Vec<u8>>,
    ecs_list: Vec<Vec<u8>>,
    ecs_services: Vec<Vec<u8>>,
    asg: Vec<Vec<u8>>,
    pub requests: AtomicU64,
    pub bytes: AtomicU64,
}

impl Canned {
    pub fn render(sizes: &Sizes) -> Canned {
        Canned {
            ec2: data::ec2_pages(sizes.ec2_instances, 1000),
            ecs_list: data::ecs_list_pages(sizes.ecs_services, 100),
            ecs_services: data::ecs_services(sizes.ecs_services),
            asg: data::asg_pages(sizes.asg_groups, 100),
            requests: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Total bytes of one full listing, per workload (for the report).
    pub fn body_bytes(&self) -> [(&'static str, usize); 3] {
        let ecs = self.ecs_list.iter().map(Vec::len).sum::<usize>()
            + self.ecs_services.iter().map(Vec::len).sum::<usize>();
        [
            ("ec2", self.ec2.iter().map(Vec::len).sum()),
            ("ecs", ecs),
            ("asg", self.asg.iter().map(Vec::len).sum()),
        ]
    }
}

/// Binds 127.0.0.1:`port` (0 = any free port) and serves in background
/// threads, one per connection. Returns the bound port.
pub fn start(canned: Arc<Canned>, port: u16) -> std::io::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let port = listener.local_addr()?.port();
    std::thread::Builder::new()
        .name("accept".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let canned = canned.clone();
                let _ = std::thread::Builder::new()
                    .name("conn".into())
                    .spawn(move || {
                        let _ = serve_conn(stream, &canned);
                    });
            }
        })?;
    Ok(port)
}

fn serve_conn(stream: TcpStream, canned: &Canned) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        // Request line.
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line.trim().is_empty() {
            continue;
        }
        let mut target = None::<String>;
        let mut content_length = 0usize;
        let mut chunked = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((name, value)) = l.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("x-amz-target") {
                    target = Some(value.to_owned());
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.eq_ignore_ascii_case("chunked");
                }
            }
        }
        body.clear();
        if chunked {
            read_chunked(&mut reader, &mut body)?;
        } else {
            body.resize(content_length, 0);
            reader.read_exact(&mut body)?;
        }
        canned.requests.fetch_add(1, Ordering::Relaxed);
        let n = respond(canned, target.as_deref(), &body, &mut writer)?;
        canned.bytes.fetch_add(n as u64, Ordering::Relaxed);
    }
}

fn read_chunked(reader: &mut BufReader<TcpStream>, body: &mut Vec<u8>) -> std::io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
        if size == 0 {
            // Trailers up to the empty line.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                    return Ok(());
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        line.clear();
        reader.read_line(&mut line)?; // CRLF after the chunk
    }
}

const XML: &str = "text/xml;charset=UTF-8";
const JSON: &str = "application/x-amz-json-1.1";

fn write_response(w: &mut TcpStream, status: &str, ctype: &str, parts: &[&[u8]]) -> std::io::Result<usize> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len}\r\n\
x-amzn-RequestId: 00000000-0000-4000-8000-000000000000\r\nDate: Mon, 01 Jan 2026 00:00:00 GMT\r\n\r\n"
    );
    w.write_all(head.as_bytes())?;
    for p in parts {
        w.write_all(p)?;
    }
    Ok(len)
}

/// The page index from a token "pN" (absent = 0).
fn page_of(token: Option<&str>) -> usize {
    token.and_then(|t| t.strip_prefix('p')).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// The value of `"key":"value"` in a compact-or-spaced JSON body.
fn json_str<'a>(body: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!("\"{key}\"");
    let at = body.find(&pat)? + pat.len();
    let rest = body[at..].trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(&rest[..rest.find('"')?])
}

fn form_field<'a>(body: &'a str, key: &str) -> Option<&'a str> {
    body.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then_some(v)
    })
}

fn respond(c: &Canned, target: Option<&str>, body: &[u8], w: &mut TcpStream) -> std::io::Result<usize> {
    let body = std::str::from_utf8(body).unwrap_or("");
    if let Some(target) = target {
        let op = target.rsplit('.').next().unwrap_or("");
        match op {
            "ListServices" => {
                let p = page_of(json_str(body, "nextToken"));
                if let Some(page) = c.ecs_list.get(p) {
                    return write_response(w, "200 OK", JSON, &[page]);
                }
            }
            "DescribeServices" => {
                // Service ARNs end in "svc-NNNNN".
                let mut parts: Vec<&[u8]> = Vec::with_capacity(24);
                parts.push(b"{\"services\":[");
                let mut first = true;
                let mut rest = body;
                while let Some(at) = rest.find("svc-") {
                    let digits: &str = &rest[at + 4..];
                    let end = digits.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(digits.len());
                    if let Some(svc) = digits[..end].parse::<usize>().ok().and_then(|i| c.ecs_services.get(i)) {
                        if !first {
                            parts.push(b",");
                        }
                        first = false;
                        parts.push(svc);
                    }
                    rest = &digits[end..];
                }
                parts.push(b"],\"failures\":[]}");
                let joined: Vec<u8> = parts.concat();
                return write_response(w, "200 OK", JSON, &[&joined]);
            }
            _ => {}
        }
        let err = format!("{{\"__type\":\"InvalidParameterException\",\"message\":\"bench server: no canned response for {op}\"}}");
        return write_response(w, "400 Bad Request", JSON, &[err.as_bytes()]);
    }
    let action = form_field(body, "Action").unwrap_or("");
    match action {
        "DescribeInstances" => {
            if let Some(page) = c.ec2.get(page_of(form_field(body, "NextToken"))) {
                return write_response(w, "200 OK", XML, &[page]);
            }
        }
        "DescribeAutoScalingGroups" => {
            if let Some(page) = c.asg.get(page_of(form_field(body, "NextToken"))) {
                return write_response(w, "200 OK", XML, &[page]);
            }
        }
        _ => {}
    }
    let err = format!(
        "<Response><Errors><Error><Code>InvalidAction</Code><Message>bench server: no canned response for {action:?}</Message></Error></Errors><RequestID>0</RequestID></Response>"
    );
    write_response(w, "400 Bad Request", XML, &[err.as_bytes()])
}
