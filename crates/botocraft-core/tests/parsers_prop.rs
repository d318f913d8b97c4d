//! Property tests of the response parsers and the query serialiser: whatever
//! bytes a server (or a man in the middle) sends, `json::parse_response`,
//! `json::parse_error`, `xml::parse_response` and `xml::parse_error` return a
//! value or a typed [`Error`], never panic, never overflow the stack and never
//! allocate in proportion to a number found in the body.
//!
//! Case counts are CI-sized (proptest's default, 256 per property);
//! `PROPTEST_CASES=100000 cargo test -p botocraft-core --test parsers_prop
//! --release` runs the same properties for longer. The `fuzz/` directory at
//! the repository root runs the same checks under libFuzzer.

use botocraft_core::protocol::{json, query, xml};
use botocraft_core::schema::scalars;
use botocraft_core::{Blob, DateTime, Error, Result};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

#[path = "support/parser_fixtures.rs"]
mod fixtures;

use fixtures::*;

// --- helpers ----------------------------------------------------------------

fn config() -> Config {
    // `Config::default()` honours PROPTEST_CASES (default 256). No
    // regression files are written into the source tree.
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

fn response(status: u16, body: &[u8]) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("x-amzn-requestid", "rid-1")
        .body(body.to_vec())
        .unwrap()
}

/// A parse result is a value (2xx), a `Deserialize` error (2xx) or a
/// `Service` error (non-2xx); its `Display` and `Debug` are bounded.
fn check<T>(what: &str, status: u16, result: Result<T>, body_len: usize) {
    match result {
        Ok(_) => assert!(status < 300, "{what}: HTTP {status} parsed as success"),
        Err(err) => {
            match &err {
                Error::Deserialize { .. } => {
                    assert!(status < 300, "{what}: {err:?} for HTTP {status}")
                }
                Error::Service { .. } => {
                    assert!(status >= 300, "{what}: {err:?} for HTTP {status}")
                }
                other => panic!("{what}: unexpected error kind {other:?}"),
            }
            check_error_text(what, &err, body_len);
        }
    }
}

/// An error renders, and its text is bounded by the body it came from (the
/// parsers quote at most a short snippet of the body, not all of it).
fn check_error_text(what: &str, err: &Error, body_len: usize) {
    let display = err.to_string();
    let debug = format!("{err:?}");
    // Worst case: every byte quoted, escaped as `\u{fffd}` (8 chars) and the
    // parser's message quoting a value; generous, but linear in a small body.
    let bound = 4096 + 16 * body_len.min(1024);
    assert!(
        display.len() <= bound && debug.len() <= 2 * bound,
        "{what}: error text of {} bytes for a {body_len}-byte body",
        display.len()
    );
}

/// Runs every JSON entry point over `body`.
fn json_all(body: &[u8]) {
    for status in [200, 400, 503] {
        let r = response(status, body);
        check(
            "json Out",
            status,
            json::parse_response::<Out>(&ECS, "Op", &OUT, &r),
            body.len(),
        );
        check(
            "json Value/OUT",
            status,
            json::parse_response::<Value>(&ECS, "Op", &OUT, &r),
            body.len(),
        );
        check(
            "json Value/DOCUMENT",
            status,
            json::parse_response::<Value>(&ECS, "Op", &scalars::DOCUMENT, &r),
            body.len(),
        );
        let err = json::parse_error(&ECS, "Op", &r);
        assert!(matches!(err, Error::Service { .. }), "{err:?}");
        check_error_text("json parse_error", &err, body.len());
    }
    let _ = json::from_slice::<Out>(&OUT, body);
    let _ = json::from_slice::<Node>(&NODE, body);
    let _ = json::from_slice::<Value>(&scalars::DOCUMENT, body);
}

/// Runs every XML entry point over `body`, for both query protocols.
fn xml_all(body: &[u8]) {
    for service in [&EC2, &AUTOSCALING] {
        for status in [200, 400, 503] {
            let r = response(status, body);
            check(
                "xml Out",
                status,
                xml::parse_response::<Out>(service, "Op", &OUT, None, &r),
                body.len(),
            );
            check(
                "xml Value/OUT",
                status,
                xml::parse_response::<Value>(service, "Op", &OUT, Some("OpResult"), &r),
                body.len(),
            );
            check(
                "xml Value/DOC_OUT",
                status,
                xml::parse_response::<Value>(service, "Op", &DOC_OUT, None, &r),
                body.len(),
            );
            let err = xml::parse_error(service, "Op", &r);
            assert!(matches!(err, Error::Service { .. }), "{err:?}");
            check_error_text("xml parse_error", &err, body.len());
        }
    }
}

fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

fn node_xml(node: &Node, out: &mut String) {
    if let Some(child) = &node.child {
        out.push_str("<Child>");
        node_xml(child, out);
        out.push_str("</Child>");
    }
    if let Some(label) = &node.label {
        out.push_str(&format!("<Label>{}</Label>", escape_xml(label)));
    }
}

/// The XML wire form of `out`: an `<OpResponse>` (with an `<OpResult>`
/// wrapper for awsQuery) the way the services write it.
fn to_xml(out: &Out, wrapped: bool) -> String {
    use base64::Engine as _;
    let mut s = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><OpResponse xmlns="x">"#);
    if wrapped {
        s.push_str("<OpResult>");
    } else {
        s.push_str("<requestId>r-1</requestId>");
    }
    if let Some(v) = &out.name {
        s.push_str(&format!("<Name>{}</Name>", escape_xml(v)));
    }
    if let Some(v) = out.count {
        s.push_str(&format!("<Count>{v}</Count>"));
    }
    if let Some(v) = out.big {
        s.push_str(&format!("<Big>{v}</Big>"));
    }
    if let Some(v) = out.ratio {
        s.push_str(&format!("<Ratio>{v}</Ratio>"));
    }
    if let Some(v) = out.flag {
        s.push_str(&format!("<Flag>{v}</Flag>"));
    }
    if let Some(v) = &out.when {
        s.push_str(&format!("<When>{}</When>", v.to_rfc3339()));
    }
    if let Some(v) = &out.data {
        let text = base64::engine::general_purpose::STANDARD.encode(&v.0);
        s.push_str(&format!("<Data>{text}</Data>"));
    }
    if let Some(tags) = &out.tags {
        s.push_str("<Tags>");
        for t in tags {
            s.push_str("<item>");
            if let Some(k) = &t.key {
                s.push_str(&format!("<key>{}</key>", escape_xml(k)));
            }
            if let Some(v) = &t.value {
                s.push_str(&format!("<value>{}</value>", escape_xml(v)));
            }
            s.push_str("</item>");
        }
        s.push_str("</Tags>");
    }
    if let Some(attrs) = &out.attrs {
        s.push_str("<Attrs>");
        for (k, v) in attrs {
            s.push_str(&format!(
                "<entry><key>{}</key><value>{}</value></entry>",
                escape_xml(k),
                escape_xml(v)
            ));
        }
        s.push_str("</Attrs>");
    }
    if let Some(names) = &out.names {
        for n in names {
            s.push_str(&format!("<Names>{}</Names>", escape_xml(n)));
        }
    }
    if let Some(node) = &out.node {
        s.push_str("<Node>");
        node_xml(node, &mut s);
        s.push_str("</Node>");
    }
    if wrapped {
        s.push_str("</OpResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>");
    }
    s.push_str("</OpResponse>");
    s
}

// --- strategies -------------------------------------------------------------

/// Text including markup and JSON metacharacters, escapes and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _./:-]{0,12}",
        "[<>&\"'\\\\{}\\[\\]#;]{0,6}",
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ]
    .prop_map(|s: String| {
        // XML 1.0 cannot carry most control characters, nor a bare CR
        // (normalised to LF); keep the generated documents well formed.
        s.chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect()
    })
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = proptest::option::of(text()).prop_map(|label| Node { child: None, label });
    leaf.prop_recursive(6, 12, 1, |inner| {
        (proptest::option::of(inner), proptest::option::of(text())).prop_map(|(child, label)| {
            Node {
                child: child.map(Box::new),
                label,
            }
        })
    })
}

fn out() -> impl Strategy<Value = Out> {
    let tag = (proptest::option::of(text()), proptest::option::of(text()))
        .prop_map(|(key, value)| Tag { key, value });
    (
        (
            proptest::option::of(text()),
            proptest::option::of(any::<i32>()),
            proptest::option::of(any::<i64>()),
            // Dyadic fractions print and parse back exactly.
            proptest::option::of(
                (any::<i32>(), 0u32..8).prop_map(|(m, e)| f64::from(m) / f64::from(1u32 << e)),
            ),
            proptest::option::of(any::<bool>()),
            proptest::option::of(
                (-2_000_000_000i64..4_000_000_000)
                    .prop_map(|s| DateTime::from_epoch_seconds(s as f64).expect("in range")),
            ),
        ),
        (
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..48).prop_map(Blob)),
            proptest::option::of(proptest::collection::vec(tag, 0..4)),
            proptest::option::of(proptest::collection::btree_map("[a-z]{1,6}", text(), 0..4)),
            proptest::option::of(proptest::collection::vec(text(), 1..4)),
            proptest::option::of(node().prop_map(Box::new)),
        ),
    )
        .prop_map(
            |((name, count, big, ratio, flag, when), (data, tags, attrs, names, node))| Out {
                name,
                count,
                big,
                ratio,
                flag,
                when,
                data,
                tags,
                attrs,
                names,
                node,
            },
        )
}

/// Fragments that steer a mutation towards the parsers' interesting paths.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<a>",
    "</a>",
    "<Child>",
    "</Child>",
    "<item>",
    "<entry>",
    "<key>",
    "<value>",
    "<Names>",
    "&",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&#99999999999999999999;",
    "&lol;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE r [<!ENTITY lol \"lol\">]>",
    " a=\"1\"",
    "xmlns:p=\"u\"",
    "<p:Name>",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "\\uDFFF\\uD800",
    "null",
    "true",
    "NaN",
    "\"NaN\"",
    "\"-Infinity\"",
    "1e999999",
    "-0",
    "18446744073709551616",
    "-9223372036854775809",
    "1.7976931348623157e309",
    "\"Tue, 29 Apr 2014 18:30:38 GMT\"",
    "\"2014-04-29T18:30:38Z\"",
    "\"Mon, 99 Foo 99999 99:99:99 GMT\"",
    "\"__type\"",
    "\"message\"",
    "<Error>",
    "<Code>",
    "</Code>",
    "<Errors>",
    "<RequestID>",
    "====",
    "\u{feff}",
    "\u{fffd}",
    "\u{0}",
    "\r\n",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(prop::sample::Index, u8),
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, Vec<u8>),
    Token(prop::sample::Index, &'static str),
    Duplicate(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let idx = any::<prop::sample::Index>;
    prop_oneof![
        (idx(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (idx(), 1usize..16).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (idx(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (idx(), prop::sample::select(TOKENS)).prop_map(|(i, t)| Mutation::Token(i, t)),
        (idx(), 1usize..64).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        idx().prop_map(Mutation::Truncate),
    ]
}

fn apply(body: &mut Vec<u8>, m: &Mutation) {
    // Positions index `0..=len`, so an empty body can still grow.
    let at = |i: &prop::sample::Index, len: usize| i.index(len + 1);
    match m {
        Mutation::Flip(i, b) => {
            if !body.is_empty() {
                let p = i.index(body.len());
                body[p] ^= b | 1;
            }
        }
        Mutation::Delete(i, n) => {
            let p = at(i, body.len());
            let end = (p + n).min(body.len());
            body.drain(p..end);
        }
        Mutation::Insert(i, bytes) => {
            let p = at(i, body.len());
            body.splice(p..p, bytes.iter().copied());
        }
        Mutation::Token(i, t) => {
            let p = at(i, body.len());
            body.splice(p..p, t.bytes());
        }
        Mutation::Duplicate(i, n) => {
            let p = at(i, body.len());
            let end = (p + n).min(body.len());
            let piece = body[p..end].to_vec();
            body.splice(end..end, piece);
        }
        Mutation::Truncate(i) => {
            let p = at(i, body.len());
            body.truncate(p);
        }
    }
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec(mutation(), 1..8)
}

/// Token soup: mostly-plausible markup in random order.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            3 => prop::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec()),
            1 => "[a-zA-Z0-9 ]{0,8}".prop_map(String::into_bytes),
        ],
        0..64,
    )
    .prop_map(|parts| parts.concat())
}

/// Arbitrary JSON values, keys drawn mostly from the `OUT` members.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        4 => prop::sample::select(&[
            "Name", "Count", "Big", "Ratio", "Flag", "When", "Data", "Tags", "Attrs", "Names",
            "Node", "Extra", "Key", "Value", "Child", "Label",
        ][..])
        .prop_map(str::to_owned),
        1 => text(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::from),
        prop::sample::select(&["NaN", "Infinity", "-Infinity", "2014-04-29T18:30:38Z"][..])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

// --- properties -------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_parsers_survive_arbitrary_bytes(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        json_all(&body);
    }

    #[test]
    fn xml_parsers_survive_arbitrary_bytes(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        xml_all(&body);
    }

    #[test]
    fn parsers_survive_token_soup(body in soup()) {
        json_all(&body);
        xml_all(&body);
    }

    #[test]
    fn valid_json_round_trips(value in out()) {
        let body = json::to_vec(&OUT, &value).unwrap();
        let r = response(200, &body);
        let back: Out = json::parse_response(&ECS, "Op", &OUT, &r).unwrap();
        prop_assert_eq!(back, value);
        let _: Value = json::parse_response(&ECS, "Op", &OUT, &r).unwrap();
    }

    #[test]
    fn valid_xml_round_trips(value in out()) {
        for (service, wrapped) in [(&EC2, false), (&AUTOSCALING, true)] {
            let body = to_xml(&value, wrapped);
            let r = response(200, body.as_bytes());
            let back: Out = xml::parse_response(service, "Op", &OUT, None, &r)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{body}")))?;
            prop_assert_eq!(&back, &value, "{}", body);
            let _: Value = xml::parse_response(service, "Op", &OUT, None, &r).unwrap();
        }
    }

    #[test]
    fn mutated_json_never_panics(value in out(), muts in mutations()) {
        let mut body = json::to_vec(&OUT, &value).unwrap();
        for m in &muts {
            apply(&mut body, m);
        }
        json_all(&body);
    }

    #[test]
    fn mutated_xml_never_panics(value in out(), muts in mutations(), wrapped in any::<bool>()) {
        let mut body = to_xml(&value, wrapped).into_bytes();
        for m in &muts {
            apply(&mut body, m);
        }
        xml_all(&body);
    }

    #[test]
    fn mutated_error_bodies_never_panic(
        code in text(),
        message in text(),
        muts in mutations(),
    ) {
        let json_body = serde_json::to_vec(&serde_json::json!({
            "__type": format!("com.amazon#{code}:http://x"),
            "message": message,
        }))
        .unwrap();
        let xml_body = format!(
            "<Response><Errors><Error><Code>{}</Code><Message>{}</Message></Error></Errors>\
             <RequestID>r-1</RequestID></Response>",
            escape_xml(&code),
            escape_xml(&message)
        );
        for mut body in [json_body, xml_body.into_bytes()] {
            for m in &muts {
                apply(&mut body, m);
            }
            json_all(&body);
            xml_all(&body);
        }
    }

    /// The `query_request` fuzz target's logic: any JSON value through the
    /// query serialiser gives a request or a `Validation` error.
    #[test]
    fn query_build_request_never_panics(value in json_value()) {
        for service in [&EC2, &AUTOSCALING] {
            match query::build_request(service, "Op", &OUT, &value) {
                Ok(req) => {
                    let body = std::str::from_utf8(req.body()).unwrap();
                    prop_assert!(body.starts_with("Action=Op&Version="), "{}", body);
                    // Percent-encoded: nothing outside the unreserved set
                    // and the separators.
                    prop_assert!(body.bytes().all(|b| b.is_ascii_alphanumeric()
                        || b"-_.~%&=".contains(&b)), "{}", body);
                }
                Err(Error::Validation { .. }) => {}
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }
    }
}

// --- hostile inputs ---------------------------------------------------------

/// What a deep document must give: `Err(needle)` is a `Deserialize` error
/// whose text contains `needle`; `Skipped` is `Ok` because nothing the target
/// reads is deep (the parser skips unknown elements iteratively, without
/// recursion) or a `Deserialize` error.
#[derive(Clone, Copy, Debug)]
enum Deep {
    Err(&'static str),
    Skipped,
}

fn expect_deep(label: &str, result: Result<()>, expect: Deep) {
    match (result, expect) {
        (Err(Error::Deserialize { message, .. }), Deep::Err(needle)) => {
            assert!(message.contains(needle), "{label}: {message}")
        }
        (Ok(()), Deep::Skipped) | (Err(Error::Deserialize { .. }), Deep::Skipped) => {}
        (other, _) => panic!("{label}: expected {expect:?}, got {other:?}"),
    }
}

#[test]
fn deeply_nested_xml_is_a_deserialize_error_not_a_stack_overflow() {
    const LEVELS: usize = 10_000;
    let open = |tag: &str| format!("<{tag}>").repeat(LEVELS);
    let close = |tag: &str| format!("</{tag}>").repeat(LEVELS);
    let deep = Deep::Err("nested deeper than 128");
    let cases = [
        // Through a recursive member: read, so refused at MAX_DEPTH.
        (
            "recursive",
            format!(
                "<OpResponse><Node>{}{}</Node></OpResponse>",
                open("Child"),
                close("Child")
            ),
            [deep, deep, Deep::Skipped],
        ),
        // Through a document member.
        (
            "document",
            format!(
                "<OpResponse><Doc>{}{}</Doc></OpResponse>",
                open("a"),
                close("a")
            ),
            [Deep::Skipped, Deep::Skipped, Deep::Skipped],
        ),
        // Through a list of structures.
        (
            "list",
            format!(
                "<OpResponse><Tags>{}</Tags></OpResponse>",
                "<item><key>k</key><value>v</value></item>".repeat(LEVELS)
            ),
            [Deep::Skipped, Deep::Skipped, Deep::Skipped],
        ),
        // Unknown elements: skipped without recursion.
        (
            "unknown",
            format!("<OpResponse>{}{}</OpResponse>", open("a"), close("a")),
            [Deep::Skipped, Deep::Skipped, Deep::Skipped],
        ),
        // Inside a scalar: child elements of text are skipped.
        (
            "scalar",
            format!(
                "<OpResponse><Name>{}{}</Name></OpResponse>",
                open("a"),
                close("a")
            ),
            [Deep::Skipped, Deep::Skipped, Deep::Skipped],
        ),
        // Never closed.
        (
            "unclosed",
            format!("<OpResponse><Node>{}", open("Child")),
            [deep, deep, Deep::Err("end of document")],
        ),
    ];
    for (label, body, expect) in &cases {
        for service in [&EC2, &AUTOSCALING] {
            let r = response(200, body.as_bytes());
            let results = [
                xml::parse_response::<Out>(service, "Op", &OUT, None, &r).map(|_| ()),
                xml::parse_response::<Value>(service, "Op", &OUT, None, &r).map(|_| ()),
                xml::parse_response::<Value>(service, "Op", &DOC_OUT, None, &r).map(|_| ()),
            ];
            for (i, (result, expect)) in results.into_iter().zip(expect).enumerate() {
                expect_deep(&format!("{label} #{i} {}", service.name), result, *expect);
            }
            // The error scanner stops quietly at the same depth.
            let err = xml::parse_error(service, "Op", &response(400, body.as_bytes()));
            assert!(matches!(err, Error::Service { status: 400, .. }), "{err:?}");
        }
    }
}

#[test]
fn deeply_nested_json_is_a_deserialize_error_not_a_stack_overflow() {
    const LEVELS: usize = 10_000;
    let limit = Deep::Err("recursion limit exceeded");
    let arrays = format!("{}{}", "[".repeat(LEVELS), "]".repeat(LEVELS));
    let cases = [
        ("arrays", arrays.clone(), [Deep::Skipped, limit, limit]),
        (
            "objects",
            format!("{}1{}", "{\"a\":".repeat(LEVELS), "}".repeat(LEVELS)),
            // serde_json skips an unknown member iteratively.
            [Deep::Skipped, limit, limit],
        ),
        (
            "recursive",
            format!(
                "{{\"Node\":{}{{}}{}}}",
                "{\"Child\":".repeat(LEVELS),
                "}".repeat(LEVELS)
            ),
            [limit, limit, limit],
        ),
        (
            "document",
            format!("{{\"Extra\":{arrays}}}"),
            // `Out` has no field for the document member: skipped.
            [Deep::Skipped, limit, limit],
        ),
    ];
    for (label, body, expect) in &cases {
        let r = response(200, body.as_bytes());
        let results = [
            json::parse_response::<Out>(&ECS, "Op", &OUT, &r).map(|_| ()),
            json::parse_response::<Value>(&ECS, "Op", &OUT, &r).map(|_| ()),
            json::parse_response::<Value>(&ECS, "Op", &scalars::DOCUMENT, &r).map(|_| ()),
        ];
        for (i, (result, expect)) in results.into_iter().zip(expect).enumerate() {
            expect_deep(&format!("{label} #{i}"), result, *expect);
        }
        let err = json::parse_error(&ECS, "Op", &response(400, body.as_bytes()));
        assert!(matches!(err, Error::Service { .. }), "{err:?}");
    }
}

#[test]
fn entity_expansion_is_refused() {
    // "Billion laughs": custom entities are never expanded.
    let mut body = String::from("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY l0 \"ha\">");
    for i in 1..10 {
        let prev = format!("&l{};", i - 1);
        body.push_str(&format!("<!ENTITY l{i} \"{}\">", prev.repeat(10)));
    }
    body.push_str("]><OpResponse><Name>&l9;</Name></OpResponse>");
    let r = response(200, body.as_bytes());
    let err = xml::parse_response::<Out>(&EC2, "Op", &OUT, None, &r).unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(err.to_string().contains("unknown entity"), "{err}");
    // A Value target, and the error scanner, do not expand it either: read
    // into a Value the member is refused the same way; `DocOut` has no
    // member for it, so it is skipped and nothing of it is kept.
    let err = xml::parse_response::<Value>(&EC2, "Op", &OUT, None, &r).unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(err.to_string().contains("unknown entity"), "{err}");
    match xml::parse_response::<Value>(&EC2, "Op", &DOC_OUT, None, &r) {
        Ok(value) => {
            let text = value.to_string();
            assert!(text.len() < 64 && !text.contains("haha"), "{text:.80}");
        }
        Err(err) => assert!(matches!(err, Error::Deserialize { .. }), "{err:?}"),
    }
    let body = body.replace("<OpResponse><Name>&l9;</Name></OpResponse>", "<Response><Errors><Error><Code>X</Code><Message>&l9;</Message></Error></Errors></Response>");
    let err = xml::parse_error(&EC2, "Op", &response(400, body.as_bytes()));
    assert_eq!(err.code(), Some("X"));
    assert!(err.message().unwrap_or_default().len() < 64, "{err}");
}
