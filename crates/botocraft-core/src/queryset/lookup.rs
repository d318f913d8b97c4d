//! Django-style string lookups (`"service_name__startswith"`) compiled once
//! and evaluated against serialised models.

use std::cmp::Ordering;

use regex_lite::{Regex, RegexBuilder};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::path::{get_field, is_tag_list, resolve, scalar_kind, split_path, tag_parts};
use super::value::{cmp_f64, cmp_numbers, loose_eq, parse_number, scalar_text};
use crate::schema::{Kind, Shape};
use crate::{Error, Result};

/// Every lookup name [`QuerySet::filter_by`](super::QuerySet::filter_by)
/// understands as the final segment of a lookup string.
pub const LOOKUPS: &[&str] = &[
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "isnull",
    "regex",
    "iregex",
    "has_key",
    "year",
    "iso_year",
    "month",
    "day",
    "week",
    "week_day",
    "iso_week_day",
    "quarter",
    "hour",
    "minute",
    "second",
    "date",
    "time",
];

/// A part of a timestamp (in UTC), for the date and time lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DatePart {
    Year,
    /// The ISO 8601 week-numbering year.
    IsoYear,
    Month,
    Day,
    /// The ISO 8601 week number, 1 to 53.
    Week,
    /// Monday 1 to Sunday 7, as the Python botocraft numbers it (`week_day`
    /// and `iso_week_day` alike; Django's `week_day` starts on Sunday).
    WeekDay,
    Quarter,
    Hour,
    Minute,
    Second,
    /// `YYYYMMDD`.
    Date,
    /// `HHMMSS`.
    Time,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextOp {
    Exact,
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Gt,
    Gte,
    Lt,
    Lte,
}

impl CmpOp {
    fn accepts(self, ord: Ordering) -> bool {
        match self {
            CmpOp::Gt => ord == Ordering::Greater,
            CmpOp::Gte => ord != Ordering::Less,
            CmpOp::Lt => ord == Ordering::Less,
            CmpOp::Lte => ord != Ordering::Greater,
        }
    }
}

/// A validated lookup operation with its prepared operand.
#[derive(Debug)]
enum Matcher {
    Exact(Value),
    IsNull(bool),
    Text {
        op: TextOp,
        needle: String,
        case_insensitive: bool,
    },
    In {
        choices: Vec<Value>,
        includes_null: bool,
    },
    Cmp {
        op: CmpOp,
        value: Value,
        /// The operand as a number, when it is a string holding an RFC 3339
        /// timestamp (epoch seconds) or a number.
        as_number: Option<f64>,
    },
    Regex(Regex),
    HasKey(String),
    /// The field is a timestamp whose `part` (in UTC) is `wanted`: a number
    /// for years, months and days, `YYYY-MM-DD` for dates.
    DatePart {
        part: DatePart,
        wanted: i64,
    },
}

/// A parsed lookup: a field path plus an operation.
#[derive(Debug)]
pub(crate) struct Lookup<'a> {
    pub(crate) path: Vec<&'a str>,
    /// The lookup name the string ended with, if it ended with one.
    pub(crate) named: Option<&'a str>,
    matcher: Matcher,
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `text`'s instant as epoch seconds computed as a model's [`DateTime`]
/// computes them, so that equal instants compare equal to the last bit.
///
/// [`DateTime`]: crate::DateTime
fn rfc3339_epoch(text: &str) -> Option<f64> {
    crate::DateTime::parse_rfc3339(text.trim()).map(|t| t.epoch_seconds())
}

impl<'a> Lookup<'a> {
    /// Parses `lookup` and validates `value` for its operation.
    pub(crate) fn parse(lookup: &'a str, value: Value) -> Result<Self> {
        Self::parse_with(lookup, value, true)
    }

    /// Parses `lookup` as a path compared with `exact`, even when its last
    /// segment is a lookup name (a tag key such as `date`).
    pub(crate) fn parse_as_path(lookup: &'a str, value: Value) -> Result<Self> {
        Self::parse_with(lookup, value, false)
    }

    /// The field path of `lookup` and the lookup name it ends with, if it
    /// ends with one, without reading an operand.
    pub(crate) fn split(lookup: &'a str) -> Result<(Vec<&'a str>, Option<&'a str>)> {
        Self::split_with(lookup, true)
    }

    fn split_with(
        lookup: &'a str,
        last_may_be_lookup: bool,
    ) -> Result<(Vec<&'a str>, Option<&'a str>)> {
        let mut path = split_path(lookup)?;
        let named = match path.last() {
            Some(last) if last_may_be_lookup && path.len() > 1 && LOOKUPS.contains(last) => {
                path.pop()
            }
            _ => None,
        };
        Ok((path, named))
    }

    fn parse_with(lookup: &'a str, value: Value, last_may_be_lookup: bool) -> Result<Self> {
        let (path, named) = Self::split_with(lookup, last_may_be_lookup)?;
        let op = named.unwrap_or("exact");
        let bad = |expected: &str, value: &Value| {
            Error::validation(format!(
                "QuerySet lookup {lookup:?}: `{op}` needs {expected}, got {}",
                describe(value)
            ))
        };
        let text = |value: &Value| {
            scalar_text(value).ok_or_else(|| bad("a string, number or bool", value))
        };
        let matcher = match op {
            "exact" | "iexact" if value.is_null() => Matcher::IsNull(true),
            "exact" => Matcher::Exact(value),
            "iexact" | "contains" | "icontains" | "startswith" | "istartswith" | "endswith"
            | "iendswith" => {
                let case_insensitive = op.starts_with('i');
                let text_op = match op.trim_start_matches('i') {
                    "exact" => TextOp::Exact,
                    "contains" => TextOp::Contains,
                    "startswith" => TextOp::StartsWith,
                    _ => TextOp::EndsWith,
                };
                let needle = text(&value)?;
                Matcher::Text {
                    op: text_op,
                    needle: if case_insensitive {
                        needle.to_lowercase()
                    } else {
                        needle
                    },
                    case_insensitive,
                }
            }
            "in" => match value {
                Value::Array(choices) => Matcher::In {
                    includes_null: choices.iter().any(Value::is_null),
                    choices,
                },
                other => return Err(bad("an array", &other)),
            },
            "gt" | "gte" | "lt" | "lte" => {
                let op = match op {
                    "gt" => CmpOp::Gt,
                    "gte" => CmpOp::Gte,
                    "lt" => CmpOp::Lt,
                    _ => CmpOp::Lte,
                };
                let as_number = match &value {
                    Value::String(s) => rfc3339_epoch(s).or_else(|| parse_number(s)),
                    Value::Number(_) | Value::Bool(_) => None,
                    other => return Err(bad("a string, number or bool", other)),
                };
                Matcher::Cmp {
                    op,
                    value,
                    as_number,
                }
            }
            "year" | "iso_year" | "month" | "day" | "week" | "week_day" | "iso_week_day"
            | "quarter" | "hour" | "minute" | "second" => {
                let part = match op {
                    "year" => DatePart::Year,
                    "iso_year" => DatePart::IsoYear,
                    "month" => DatePart::Month,
                    "day" => DatePart::Day,
                    "week" => DatePart::Week,
                    "week_day" | "iso_week_day" => DatePart::WeekDay,
                    "quarter" => DatePart::Quarter,
                    "hour" => DatePart::Hour,
                    "minute" => DatePart::Minute,
                    _ => DatePart::Second,
                };
                let wanted = match &value {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                }
                .ok_or_else(|| bad("a whole number", &value))?;
                Matcher::DatePart { part, wanted }
            }
            "date" => {
                let wanted = value
                    .as_str()
                    .and_then(date_number)
                    .ok_or_else(|| bad("a date as YYYY-MM-DD", &value))?;
                Matcher::DatePart {
                    part: DatePart::Date,
                    wanted,
                }
            }
            "time" => {
                let wanted = value
                    .as_str()
                    .and_then(time_number)
                    .ok_or_else(|| bad("a time as HH:MM or HH:MM:SS", &value))?;
                Matcher::DatePart {
                    part: DatePart::Time,
                    wanted,
                }
            }
            "isnull" => match value {
                Value::Bool(b) => Matcher::IsNull(b),
                other => return Err(bad("a bool", &other)),
            },
            "regex" | "iregex" => {
                let Value::String(pattern) = &value else {
                    return Err(bad("a string pattern", &value));
                };
                let regex = RegexBuilder::new(pattern)
                    .case_insensitive(op == "iregex")
                    .build()
                    .map_err(|e| {
                        Error::validation(format!(
                            "QuerySet lookup {lookup:?}: invalid regular expression: {e}"
                        ))
                    })?;
                Matcher::Regex(regex)
            }
            _ => match value {
                Value::String(key) => Matcher::HasKey(key),
                other => return Err(bad("a string key", &other)),
            },
        };
        Ok(Lookup {
            path,
            named,
            matcher,
        })
    }

    /// Fits the lookup to the field it reads, when its shape is known
    /// (`leaf`, from the path check): a timestamp's operands are read as
    /// timestamps (RFC 3339, `YYYY-MM-DD` for midnight UTC, or epoch
    /// seconds) and compared with the epoch seconds a timestamp serialises
    /// as; a date part of a number, flag or structure, and a text lookup
    /// (`contains`, `startswith`, `regex`, ...) of a timestamp, are errors
    /// rather than filters that match nothing. A date part of a text field
    /// reads the text as a date (EC2 keeps an AMI's `CreationDate` as text):
    /// RFC 3339, or `YYYY-MM-DD` for midnight UTC; text that is no date does
    /// not match.
    pub(crate) fn fit(&mut self, lookup: &str, leaf: Option<&'static Shape>) -> Result<()> {
        let Some(mut shape) = leaf else {
            return Ok(());
        };
        // A list's lookups apply to its elements.
        while let Kind::List { member, .. } = shape.kind {
            shape = member.shape;
        }
        let timestamp = matches!(shape.kind, Kind::Timestamp(_));
        // A structure never equals a text, number or flag either
        // (`filter_by("state", "running")` meant `state__name`).
        let scalar = |v: &Value| !matches!(v, Value::Null | Value::Object(_) | Value::Array(_));
        if matches!(shape.kind, Kind::Structure(_) | Kind::Map { .. })
            && match &self.matcher {
                Matcher::Text { .. }
                | Matcher::Regex(_)
                | Matcher::Cmp { .. }
                | Matcher::DatePart { .. } => true,
                Matcher::Exact(v) => scalar(v),
                Matcher::In { choices, .. } => choices.iter().any(scalar),
                Matcher::IsNull(_) | Matcher::HasKey(_) => false,
            }
        {
            let example = match shape.kind {
                Kind::Structure(members) => members
                    .first()
                    .map(|m| format!(" (`{}__{}__...`)", self.path.join("__"), m.name)),
                _ => None,
            }
            .unwrap_or_default();
            return Err(Error::validation(format!(
                "QuerySet lookup {lookup:?}: `{}` reads a structure, which has no text, number or date of its own; \
                 name one of its fields{example}",
                self.named.unwrap_or("exact")
            )));
        }
        match &mut self.matcher {
            Matcher::Text { .. } | Matcher::Regex(_) if timestamp => {
                return Err(Error::validation(format!(
                    "QuerySet lookup {lookup:?}: a text lookup cannot read a timestamp; \
                     use year, month, day or date (`created_at__year=2026`), or exact, in, gt, gte, lt or lte \
                     with an RFC 3339, YYYY-MM-DD or epoch-seconds value"
                )));
            }
            Matcher::DatePart { .. }
                if !matches!(shape.kind, Kind::Timestamp(_) | Kind::String) =>
            {
                return Err(Error::validation(format!(
                    "QuerySet lookup {lookup:?}: a date part needs a timestamp, but the field is a {}",
                    scalar_kind(&shape.kind)
                )));
            }
            Matcher::Exact(value) if timestamp => *value = timestamp_operand(lookup, value)?,
            Matcher::In { choices, .. } if timestamp => {
                for choice in choices.iter_mut().filter(|c| !c.is_null()) {
                    *choice = timestamp_operand(lookup, choice)?;
                }
            }
            Matcher::Cmp {
                value, as_number, ..
            } if timestamp => {
                *value = timestamp_operand(lookup, value)?;
                *as_number = value.as_f64();
            }
            _ => {}
        }
        Ok(())
    }

    /// True when the serialised model `item` satisfies the lookup.
    pub(crate) fn matches(&self, item: &Value) -> bool {
        let mut leaves = Vec::new();
        resolve(item, &self.path, &mut leaves);
        leaves
            .into_iter()
            .any(|leaf| self.matcher.matches_leaf(leaf))
    }
}

impl Matcher {
    /// Matches one resolved leaf (`None` when the field is missing).
    fn matches_leaf(&self, leaf: Option<&Value>) -> bool {
        let is_null = leaf.is_none_or(Value::is_null);
        match self {
            Matcher::IsNull(want) => is_null == *want,
            Matcher::In {
                includes_null: true,
                ..
            } if is_null => true,
            _ => match leaf {
                Some(value) if !value.is_null() => self.matches_deep(value),
                _ => false,
            },
        }
    }

    /// Matches `value` as a whole, or (for arrays) any element, recursively.
    fn matches_deep(&self, value: &Value) -> bool {
        self.matches_value(value)
            || value.as_array().is_some_and(|items| {
                // A tag list's keys were looked at above: its objects'
                // own `Key`/`Value` fields are no keys of the model's.
                !(matches!(self, Matcher::HasKey(_)) && is_tag_list(items))
                    && items.iter().any(|item| self.matches_deep(item))
            })
    }

    fn matches_value(&self, value: &Value) -> bool {
        match self {
            Matcher::IsNull(want) => value.is_null() == *want,
            Matcher::Exact(wanted) => loose_eq(value, wanted),
            Matcher::In { choices, .. } => choices.iter().any(|choice| loose_eq(value, choice)),
            Matcher::Text {
                op,
                needle,
                case_insensitive,
            } => {
                let Some(mut text) = scalar_text(value) else {
                    return false;
                };
                if *case_insensitive {
                    text = text.to_lowercase();
                }
                match op {
                    TextOp::Exact => text == *needle,
                    TextOp::Contains => text.contains(needle.as_str()),
                    TextOp::StartsWith => text.starts_with(needle.as_str()),
                    TextOp::EndsWith => text.ends_with(needle.as_str()),
                }
            }
            Matcher::Cmp {
                op,
                value: wanted,
                as_number,
            } => compare(value, wanted, *as_number).is_some_and(|ord| op.accepts(ord)),
            Matcher::Regex(regex) => scalar_text(value).is_some_and(|text| regex.is_match(&text)),
            Matcher::DatePart { part, wanted } => {
                let at = match value {
                    Value::Number(n) => n.as_f64().and_then(|secs| {
                        OffsetDateTime::from_unix_timestamp(secs.floor() as i64).ok()
                    }),
                    Value::String(s) => {
                        OffsetDateTime::parse(s.trim(), &Rfc3339).ok().or_else(|| {
                            let format = time::macros::format_description!("[year]-[month]-[day]");
                            let date = time::Date::parse(s.trim(), &format).ok()?;
                            Some(date.midnight().assume_utc())
                        })
                    }
                    _ => None,
                };
                at.and_then(|at| at.checked_to_offset(time::UtcOffset::UTC))
                    .is_some_and(|at| {
                        let month = i64::from(u8::from(at.month()));
                        let got = match part {
                            DatePart::Year => i64::from(at.year()),
                            DatePart::IsoYear => i64::from(at.to_iso_week_date().0),
                            DatePart::Month => month,
                            DatePart::Day => i64::from(at.day()),
                            DatePart::Week => i64::from(at.iso_week()),
                            DatePart::WeekDay => i64::from(at.weekday().number_from_monday()),
                            DatePart::Quarter => (month - 1) / 3 + 1,
                            DatePart::Hour => i64::from(at.hour()),
                            DatePart::Minute => i64::from(at.minute()),
                            DatePart::Second => i64::from(at.second()),
                            DatePart::Date => {
                                i64::from(at.year()) * 10_000 + month * 100 + i64::from(at.day())
                            }
                            DatePart::Time => {
                                i64::from(at.hour()) * 10_000
                                    + i64::from(at.minute()) * 100
                                    + i64::from(at.second())
                            }
                        };
                        got == *wanted
                    })
            }
            Matcher::HasKey(key) => match value {
                Value::Object(obj) => get_field(obj, key).is_some(),
                Value::Array(items) if is_tag_list(items) => items
                    .iter()
                    .any(|item| tag_parts(item).is_some_and(|(k, _)| k == key)),
                _ => false,
            },
        }
    }
}

/// An operand compared with a timestamp, as the epoch seconds a
/// [`DateTime`](crate::DateTime) serialises as.
fn timestamp_operand(lookup: &str, value: &Value) -> Result<Value> {
    let seconds = match value {
        Value::Number(_) => return Ok(value.clone()),
        Value::String(text) => crate::DateTime::parse_rfc3339(text)
            .map(|t| t.epoch_seconds())
            .or_else(|| {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                let date = time::Date::parse(text.trim(), &format).ok()?;
                Some(date.midnight().assume_utc().unix_timestamp() as f64)
            })
            .or_else(|| parse_number(text)),
        _ => None,
    };
    seconds
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| {
            Error::validation(format!(
                "QuerySet lookup {lookup:?}: the field is a timestamp, so the value must be one too (RFC 3339, YYYY-MM-DD or epoch seconds), got {value}"
            ))
        })
}

/// `YYYY-MM-DD` as the number `YYYYMMDD`, when it is a real date.
fn date_number(text: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text.trim(), &format).ok()?;
    Some(
        i64::from(date.year()) * 10_000
            + i64::from(u8::from(date.month())) * 100
            + i64::from(date.day()),
    )
}

/// `HH:MM` or `HH:MM:SS` (seconds 0 when left out) as `HHMMSS`.
fn time_number(text: &str) -> Option<i64> {
    let text = text.trim();
    let long = time::macros::format_description!("[hour]:[minute]:[second]");
    let short = time::macros::format_description!("[hour]:[minute]");
    let at = time::Time::parse(text, &long)
        .or_else(|_| time::Time::parse(text, &short))
        .ok()?;
    Some(i64::from(at.hour()) * 10_000 + i64::from(at.minute()) * 100 + i64::from(at.second()))
}

/// Orders a field value against a comparison operand; `None` when the kinds
/// cannot be compared.
fn compare(field: &Value, wanted: &Value, wanted_number: Option<f64>) -> Option<Ordering> {
    match (field, wanted) {
        (Value::Number(x), Value::Number(y)) => Some(cmp_numbers(x, y)),
        (Value::Number(x), Value::String(_)) => Some(cmp_f64(x.as_f64()?, wanted_number?)),
        (Value::String(x), Value::String(y)) => Some(x.as_str().cmp(y.as_str())),
        (Value::String(x), Value::Number(y)) => Some(cmp_f64(parse_number(x)?, y.as_f64()?)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
