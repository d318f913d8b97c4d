//! `bench-deps-floor`: links botocraft's external dependencies and does
//! nothing with them. Its cold build time is a lower bound for any program
//! using botocraft; see `benches/deps-floor/Cargo.toml`.

fn main() {
    // Touch one item of a few of them so the linker keeps something of each;
    // what is measured is the build, not this program.
    let roots = webpki_roots::TLS_SERVER_ROOTS.len();
    let id = uuid::Uuid::nil();
    let json = serde_json::json!({ "roots": roots, "id": id.to_string() });
    println!("{json}");
}
