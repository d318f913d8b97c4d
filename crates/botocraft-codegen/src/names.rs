//! Rust names for botocore names.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// A field, argument or method name: snake case, keywords escaped.
/// Plural acronyms and binary units are words (`TargetGroupARNs` →
/// `target_group_arns`, `SizeInMiB` → `size_in_mib`), as in aws-sdk-rust,
/// not split at their last capital (`target_group_ar_ns`).
pub fn field(name: &str) -> String {
    let mut words = name.to_owned();
    for (from, to) in [
        ("ARNs", "Arns"),
        ("IDs", "Ids"),
        ("URLs", "Urls"),
        ("KiB", "Kib"),
        ("MiB", "Mib"),
        ("GiB", "Gib"),
        ("TiB", "Tib"),
    ] {
        words = words.replace(from, to);
    }
    let s = words.to_snake_case();
    match s.as_str() {
        "self" | "super" | "crate" | "Self" => format!("{s}_"),
        _ if KEYWORDS.contains(&s.as_str()) => format!("r#{s}"),
        _ => s,
    }
}

/// The bare identifier, without `r#` (for building other names).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Field identifiers as rustdoc code, comma-separated: `` `a`, `b` ``.
pub fn code_list<'a>(idents: impl IntoIterator<Item = &'a str>) -> String {
    idents
        .into_iter()
        .map(|ident| format!("`{}`", bare(ident)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A type name.
pub fn type_name(name: &str) -> String {
    let s = name.to_upper_camel_case();
    match s.as_str() {
        "Result" | "Option" | "Box" | "Vec" | "String" | "Error" | "Self" => format!("{s}Shape"),
        _ => s,
    }
}

/// An enum variant name for a wire value.
pub fn variant(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut s = cleaned.to_upper_camel_case();
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("V{s}");
    }
    if s == "Unknown" || s == "Self" {
        s.push('_');
    }
    s
}

/// The indefinite article for a type name: "an" before a vowel ("an Ami",
/// "an Instance"), "a" otherwise.
pub fn article(name: &str) -> &'static str {
    if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}
