//! botocore's protocol test suites, run through botocraft's real codecs.
//!
//! ```text
//! python3 scripts/fetch-botocore.py --sdist     # once: unpacks the suites
//! cargo test -p botocraft-tests --test protocol_conformance -- --nocapture
//! ```
//!
//! The suites land in `.cache/botocore/<version>/protocols/{input,output}/*.json`
//! and `.../protocols/legacy/{input,output}/*.json`. Every case of every suite
//! whose `metadata.protocol` is `json` (awsJson 1.0 and 1.1), `query` or
//! `ec2` is run; the other protocols (rest-json, rest-xml, rpc-v2-cbor) are
//! not ones botocraft speaks and are not counted. Without the cache the test
//! prints a note and passes, so a plain offline `cargo test` works.
//!
//! Shapes: each suite's `shapes` become `&'static Shape` descriptors at run
//! time (`conformance::shapes`), the same descriptors generated code has.
//!
//! Input cases: the request is built by `protocol::json::build_request`
//! (params first turned into the values a generated input type would hold,
//! see `conformance::values`, described by the input shape) or
//! `protocol::query::build_request` (params as JSON in document order,
//! described by the input shape; awsQuery vs ec2 by `ServiceMetadata::protocol`).
//! Compared: method, URI, body (JSON bodies as JSON values; form bodies as
//! multisets of decoded `key=value` pairs), the headers the case lists
//! (`Content-Type` by media type, i.e. ignoring `; charset=...`), the headers
//! it requires or forbids (`Content-Length` counts as present: the transport
//! sets it from the body) and, when a case names a `host`, that host
//! (codec requests carry a path only, so such cases fail unless skipped).
//!
//! Output cases: `response` becomes an `http::Response`, parsed by
//! `protocol::json::parse_response` (with the output shape) or
//! `protocol::xml::parse_response` (with the output shape and
//! `resultWrapper`) into `Ordered`, then read the way a generated output type would read it
//! (`conformance::values::wire_to_result`) and compared with `result`
//! (absent = `null`, numbers numerically, `f32` to single precision).
//! Error cases (`errorCode`) must produce an error whose code is `errorCode`
//! and, when the case gives `errorMessage`, whose message is that. Modeled
//! error members (`error`) are not compared: `botocraft_core::Error` does not
//! carry them.
//!
//! A case is skipped only when `tests/conformance-skips.toml` lists its id
//! with a reason. Skipped cases still run, and one that passes is reported
//! so the entry can go.

mod conformance;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use botocraft_core::protocol::{json, query, xml};
use botocraft_core::schema::Shape;
use botocraft_core::{Protocol, ServiceMetadata};
use serde_json::Value;

use conformance::shapes::{leak, Builder, EMPTY};
use conformance::values::{self, Ordered};

const FETCH_HINT: &str =
    "skipping protocol conformance: run python3 scripts/fetch-botocore.py --sdist";

/// The pinned botocore's `protocols` directory, if it holds suites.
fn protocols_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BOTOCRAFT_PROTOCOL_TESTS") {
        return Some(PathBuf::from(dir));
    }
    Some(botocraft_tests::pinned_botocore_cache().join("protocols"))
        .filter(|p| p.join("input").is_dir() || p.join("legacy").is_dir())
}

fn json_files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, base, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            let rel = p
                .strip_prefix(base)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p));
        }
    }
}

/// `id → reason` from `tests/conformance-skips.toml`.
fn load_skips() -> BTreeMap<String, String> {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        skip: Vec<Skip>,
    }
    #[derive(serde::Deserialize)]
    struct Skip {
        id: String,
        reason: String,
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance-skips.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for s in file.skip {
        assert!(
            !s.reason.trim().is_empty(),
            "skip {:?} needs a reason",
            s.id
        );
        assert!(
            out.insert(s.id.clone(), s.reason).is_none(),
            "skip {:?} is listed twice",
            s.id
        );
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Proto {
    Json,
    Query,
    Ec2,
}

impl Proto {
    fn name(self) -> &'static str {
        match self {
            Proto::Json => "json",
            Proto::Query => "query",
            Proto::Ec2 => "ec2",
        }
    }
}

/// One suite, ready to run.
struct Suite<'a> {
    proto: Proto,
    service: &'static ServiceMetadata,
    shapes: &'a serde_json::Map<String, Value>,
}

impl Suite<'_> {
    fn shape(&self, given: &Value, which: &str) -> Result<&'static Shape, String> {
        match given
            .get(which)
            .and_then(|s| s.get("shape"))
            .and_then(Value::as_str)
        {
            Some(name) => Builder::new(self.shapes).shape(name, 0),
            None => Ok(&EMPTY),
        }
    }
}

fn service_for(metadata: &Value, proto: Proto) -> &'static ServiceMetadata {
    let text = |k: &str| metadata.get(k).and_then(Value::as_str).map(leak);
    let protocol = match proto {
        Proto::Json if text("jsonVersion") == Some("1.0") => Protocol::AwsJson1_0,
        Proto::Json => Protocol::AwsJson1_1,
        Proto::Query => Protocol::AwsQuery,
        Proto::Ec2 => Protocol::Ec2Query,
    };
    Box::leak(Box::new(ServiceMetadata {
        name: "conformance",
        signing_name: text("signingName").unwrap_or("conformance"),
        endpoint_prefix: text("endpointPrefix").unwrap_or("conformance"),
        env_id: "CONFORMANCE",
        api_version: text("apiVersion").unwrap_or(""),
        target_prefix: text("targetPrefix"),
        protocol,
        endpoint_rules: None,
    }))
}

// --- input cases ---------------------------------------------------------------

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn form_pairs(body: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = body
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

fn compare_form(expected: &str, got: &str) -> Option<String> {
    let want = form_pairs(expected);
    let have = form_pairs(got);
    if want == have {
        return None;
    }
    let mut missing = want.clone();
    let mut extra = Vec::new();
    for p in &have {
        match missing.iter().position(|q| q == p) {
            Some(i) => {
                missing.remove(i);
            }
            None => extra.push(p.clone()),
        }
    }
    let show = |v: &[(String, String)]| {
        v.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    };
    Some(format!(
        "body: missing [{}], unexpected [{}]",
        show(&missing),
        show(&extra)
    ))
}

fn compare_json_body(expected: &str, got: &str) -> Option<String> {
    let blank = |s: &str| s.trim().is_empty();
    if blank(expected) && blank(got) {
        return None;
    }
    let want: Value = match serde_json::from_str(expected) {
        Ok(v) => v,
        Err(_) => {
            return (expected != got).then(|| format!("body: expected {expected:?}, got {got:?}"));
        }
    };
    let have: Value = match serde_json::from_str(got) {
        Ok(v) => v,
        Err(e) => return Some(format!("body: not JSON ({e}): {got:?}")),
    };
    values::diff(&want, &have, "body").map(|d| format!("{d} (whole body {got})"))
}

fn media_type(v: &str) -> String {
    v.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn run_input(suite: &Suite<'_>, case: &Value, params: &Ordered) -> Result<(), String> {
    let given = &case["given"];
    let operation = leak(given["name"].as_str().ok_or("case has no operation name")?);
    let shape = suite.shape(given, "input")?;
    // Typed as a generated input holds them (an f64 NaN, a DateTime), so
    // the serializers see what they see in use, not the case's JSON text.
    let typed = values::to_typed(params, shape, "params")?;
    let request = match suite.proto {
        Proto::Json => json::build_request(suite.service, operation, shape, &typed)
            .map_err(|e| format!("json::build_request failed: {e}"))?,
        Proto::Query | Proto::Ec2 => query::build_request(suite.service, operation, shape, &typed)
            .map_err(|e| format!("query::build_request failed: {e}"))?,
    };
    let ser = &case["serialized"];
    let mut problems = Vec::new();
    if let Some(m) = ser.get("method").and_then(Value::as_str) {
        if request.method().as_str() != m {
            problems.push(format!("method: expected {m}, got {}", request.method()));
        }
    }
    if let Some(u) = ser.get("uri").and_then(Value::as_str) {
        if *request.uri() != *u {
            problems.push(format!("uri: expected {u}, got {}", request.uri()));
        }
    }
    let body = String::from_utf8_lossy(request.body()).into_owned();
    if let Some(b) = ser.get("body").and_then(Value::as_str) {
        let d = match suite.proto {
            Proto::Json => compare_json_body(b, &body),
            Proto::Query | Proto::Ec2 => compare_form(b, &body),
        };
        problems.extend(d);
    }
    if let Some(headers) = ser.get("headers").and_then(Value::as_object) {
        for (name, want) in headers {
            let want = want.as_str().unwrap_or_default();
            let got = request
                .headers()
                .get(name.as_str())
                .and_then(|v| v.to_str().ok());
            let same = match got {
                Some(g) if name.eq_ignore_ascii_case("content-type") => {
                    media_type(g) == media_type(want)
                }
                Some(g) => g == want,
                None => false,
            };
            if !same {
                problems.push(format!("header {name}: expected {want:?}, got {got:?}"));
            }
        }
    }
    for name in ser
        .get("requireHeaders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap_or_default();
        if !name.eq_ignore_ascii_case("content-length") && !request.headers().contains_key(name) {
            problems.push(format!("header {name}: required but absent"));
        }
    }
    for name in ser
        .get("forbidHeaders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap_or_default();
        if request.headers().contains_key(name) {
            problems.push(format!("header {name}: forbidden but present"));
        }
    }
    if let Some(host) = ser.get("host").and_then(Value::as_str) {
        problems.push(format!(
            "host: expected {host}; codec requests carry a path only (no host prefix / endpoint path)"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

// --- output cases --------------------------------------------------------------

fn response_of(case: &Value) -> Result<http::Response<Vec<u8>>, String> {
    let r = &case["response"];
    let status = r.get("status_code").and_then(Value::as_u64).unwrap_or(200);
    let mut b = http::Response::builder().status(status as u16);
    for (k, v) in r
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        b = b.header(k.as_str(), v.as_str().unwrap_or_default());
    }
    let body = r.get("body").and_then(Value::as_str).unwrap_or("");
    b.body(body.as_bytes().to_vec())
        .map_err(|e| format!("bad response in case: {e}"))
}

fn run_output(suite: &Suite<'_>, case: &Value) -> Result<(), String> {
    let given = &case["given"];
    let operation = given["name"].as_str().ok_or("case has no operation name")?;
    let shape = suite.shape(given, "output")?;
    let wrapper = given
        .get("output")
        .and_then(|o| o.get("resultWrapper"))
        .and_then(Value::as_str);
    let response = response_of(case)?;
    let parsed: Result<Value, botocraft_core::Error> = match suite.proto {
        Proto::Json => json::parse_response::<Ordered>(suite.service, operation, shape, &response)
            .map(|o| o.to_value()),
        Proto::Query | Proto::Ec2 => {
            xml::parse_response::<Ordered>(suite.service, operation, shape, wrapper, &response)
                .map(|o| o.to_value())
        }
    };
    let (parse, parse_error) = match suite.proto {
        Proto::Json => ("json::parse_response", "json::parse_error"),
        Proto::Query | Proto::Ec2 => ("xml::parse_response", "xml::parse_error"),
    };
    if let Some(code) = case.get("errorCode").and_then(Value::as_str) {
        let err = match parsed {
            Ok(v) => return Err(format!("expected error {code}, {parse} returned Ok({v})")),
            Err(e) => e,
        };
        let mut problems = Vec::new();
        if err.code() != Some(code) {
            problems.push(format!(
                "{parse_error}: code expected {code:?}, got {:?}",
                err.code()
            ));
        }
        if let Some(msg) = case.get("errorMessage").and_then(Value::as_str) {
            if err.message() != Some(msg) {
                problems.push(format!(
                    "{parse_error}: message expected {msg:?}, got {:?}",
                    err.message()
                ));
            }
        }
        return if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        };
    }
    let wire = parsed.map_err(|e| format!("{parse} failed: {e}"))?;
    let got = values::wire_to_result(&wire, shape, "result", true)
        .map_err(|e| format!("{parse} gave {wire}, but {e}"))?;
    let got = if got.is_null() {
        Value::Object(Default::default())
    } else {
        got
    };
    let expected = values::expected_result(
        case.get("result")
            .unwrap_or(&Value::Object(Default::default())),
    );
    match values::diff(&expected, &got, "result") {
        None => Ok(()),
        Some(d) => Err(format!("{parse}: {d}")),
    }
}

// --- the runner ------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "panic".to_owned())
}

#[test]
fn botocore_protocol_conformance() {
    // Offline `cargo test` without the fetched suites passes with a hint;
    // the suite as CI runs it (scripts/test.sh) must find them.
    let required = botocraft_tests::full_suite();
    let Some(dir) = protocols_dir() else {
        assert!(!required, "{FETCH_HINT}");
        println!("{FETCH_HINT}");
        return;
    };
    let mut files = Vec::new();
    json_files(&dir, &dir, &mut files);
    files.sort();
    if !files.iter().any(|(rel, _)| rel.ends_with("json.json")) {
        assert!(!required, "{FETCH_HINT}");
        println!("{FETCH_HINT}");
        return;
    }
    let skips = load_skips();
    let mut seen_skips = HashSet::new();
    let mut tallies: BTreeMap<Proto, Tally> = BTreeMap::new();
    let mut per_file: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut skipped_but_passing = Vec::new();
    let mut ids_seen: HashMap<String, usize> = HashMap::new();

    for (rel, path) in &files {
        let input = rel.split('/').any(|p| p == "input");
        let output = rel.split('/').any(|p| p == "output");
        if input == output {
            continue; // the ignore list, or something unknown
        }
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let suites: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        // The params again, keeping their key order (query map entries are
        // numbered in it).
        #[derive(serde::Deserialize)]
        struct OrderedCase {
            #[serde(default)]
            params: Option<Ordered>,
        }
        #[derive(serde::Deserialize)]
        struct OrderedSuite {
            cases: Vec<OrderedCase>,
        }
        let ordered: Vec<OrderedSuite> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        for (si, suite_json) in suites.iter().enumerate() {
            let metadata = &suite_json["metadata"];
            let proto = match metadata.get("protocol").and_then(Value::as_str) {
                Some("json") => Proto::Json,
                Some("query") => Proto::Query,
                Some("ec2") => Proto::Ec2,
                _ => continue,
            };
            let empty = serde_json::Map::new();
            let suite = Suite {
                proto,
                service: service_for(metadata, proto),
                shapes: suite_json
                    .get("shapes")
                    .and_then(Value::as_object)
                    .unwrap_or(&empty),
            };
            let cases = suite_json["cases"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (ci, case) in cases.iter().enumerate() {
                let (key, label) = match case.get("id").and_then(Value::as_str) {
                    Some(id) => (id.to_owned(), format!("{id} [{rel}]")),
                    None => {
                        let key = format!("{}/{rel}#{si}/{ci}", proto.name());
                        let description = case
                            .get("description")
                            .or_else(|| suite_json.get("description"))
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        let label = format!("{key} {description}");
                        (key, label)
                    }
                };
                *ids_seen.entry(key.clone()).or_default() += 1;
                let no_params = Ordered::Object(Vec::new());
                let params = ordered[si].cases[ci].params.as_ref().unwrap_or(&no_params);
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    if input {
                        run_input(&suite, case, params)
                    } else {
                        run_output(&suite, case)
                    }
                }))
                .unwrap_or_else(|p| Err(format!("panicked: {}", panic_text(p))));
                let tally = tallies.entry(proto).or_default();
                let file_tally = per_file.entry(rel.clone()).or_default();
                if let Some(reason) = skips.get(&key) {
                    seen_skips.insert(key.clone());
                    tally.skipped += 1;
                    file_tally.skipped += 1;
                    if outcome.is_ok() {
                        skipped_but_passing.push(format!("{label} (skipped: {reason})"));
                    }
                    continue;
                }
                match outcome {
                    Ok(()) => {
                        tally.passed += 1;
                        file_tally.passed += 1;
                    }
                    Err(why) => {
                        tally.failed += 1;
                        file_tally.failed += 1;
                        let why: String = if why.chars().count() > 600 {
                            format!("{}…", why.chars().take(600).collect::<String>())
                        } else {
                            why
                        };
                        failures.push(format!("FAIL {label}: {why}"));
                    }
                }
            }
        }
    }

    for f in &failures {
        println!("{f}");
    }
    // A stale skip hides nothing today but would hide a regression later:
    // both fail the test.
    let mut stale = Vec::new();
    for s in &skipped_but_passing {
        stale.push(format!(
            "passes although skipped, remove it from conformance-skips.toml: {s}"
        ));
    }
    for id in skips.keys().filter(|k| !seen_skips.contains(*k)) {
        stale.push(format!(
            "conformance-skips.toml lists {id:?}, which matches no case"
        ));
    }
    for s in &stale {
        println!("STALE {s}");
    }
    for (id, n) in ids_seen
        .iter()
        .filter(|(k, n)| **n > 1 && skips.contains_key(*k))
    {
        println!("note: skip id {id:?} matches {n} cases (input and output share it)");
    }
    for (rel, t) in &per_file {
        println!(
            "  {rel}: {} passed, {} failed, {} skipped",
            t.passed, t.failed, t.skipped
        );
    }
    let mut total = Tally::default();
    for (proto, t) in &tallies {
        println!(
            "protocol conformance ({}): {} passed, {} failed, {} skipped",
            proto.name(),
            t.passed,
            t.failed,
            t.skipped
        );
        total.passed += t.passed;
        total.failed += t.failed;
        total.skipped += t.skipped;
    }
    println!(
        "protocol conformance: {} passed, {} failed, {} skipped",
        total.passed, total.failed, total.skipped
    );
    assert!(
        total.failed == 0,
        "{} protocol conformance case(s) failed (see the FAIL lines above)",
        total.failed
    );
    assert!(
        stale.is_empty(),
        "{} stale skip(s) (see the STALE lines above)",
        stale.len()
    );
    // Botocore 1.44.8's suites give 379 passing cases; far fewer means
    // files were not found or not read, not that the code got better.
    for (proto, floor) in [(Proto::Json, 150), (Proto::Query, 80), (Proto::Ec2, 50)] {
        let passed = tallies.get(&proto).map_or(0, |t| t.passed);
        assert!(
            passed >= floor,
            "only {passed} {} protocol case(s) ran and passed (at least {floor} expected): are the botocore suites complete?",
            proto.name()
        );
    }
}
