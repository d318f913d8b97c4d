//! Comparing and stringifying JSON values.

use std::cmp::Ordering;

use serde_json::{Number, Value};

/// Compares two JSON numbers exactly where both are integers.
pub(crate) fn cmp_numbers(a: &Number, b: &Number) -> Ordering {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x.cmp(&y);
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x.cmp(&y);
    }
    cmp_f64(a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0))
}

/// Compares two floats, treating incomparable values as equal.
pub(crate) fn cmp_f64(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b).unwrap_or(Ordering::Equal)
}

/// The rank of a value's kind when kinds differ.
fn kind_rank(value: &Value) -> u8 {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// A total order over JSON values, used by `order_by_path`.
///
/// Values of the same kind compare naturally (numbers numerically, strings
/// lexicographically, `false < true`, arrays and objects element by element);
/// different kinds compare by kind: null < bool < number < string < array <
/// object.
pub(crate) fn cmp_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => cmp_numbers(x, y),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            for (l, r) in x.iter().zip(y) {
                let ord = cmp_values(l, r);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            for ((lk, lv), (rk, rv)) in x.iter().zip(y) {
                let ord = lk.cmp(rk).then_with(|| cmp_values(lv, rv));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => kind_rank(a).cmp(&kind_rank(b)),
    }
}

/// The text of a scalar: strings as-is, numbers and bools printed.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses a finite number out of a string.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Equality for the `exact`/`in` lookups: JSON equality, numbers compared
/// numerically, and a string compared with a number or bool textually.
pub(crate) fn loose_eq(field: &Value, wanted: &Value) -> bool {
    match (field, wanted) {
        (Value::Number(x), Value::Number(y)) => cmp_numbers(x, y) == Ordering::Equal,
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            n.to_string() == *s
                || match (n.as_f64(), parse_number(s)) {
                    (Some(x), Some(y)) => x == y,
                    _ => false,
                }
        }
        (Value::Bool(b), Value::String(s)) | (Value::String(s), Value::Bool(b)) => {
            b.to_string() == *s
        }
        _ => field == wanted,
    }
}
