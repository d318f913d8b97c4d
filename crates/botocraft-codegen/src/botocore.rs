//! The parts of botocore's service model format the generator reads.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ServiceModel {
    pub metadata: Metadata,
    pub operations: BTreeMap<String, Operation>,
    pub shapes: BTreeMap<String, Shape>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub api_version: String,
    pub endpoint_prefix: String,
    pub protocol: String,
    pub service_id: String,
    pub signing_name: Option<String>,
    pub target_prefix: Option<String>,
    pub json_version: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub documentation: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct ShapeRef {
    pub shape: String,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default, rename = "idempotencyToken")]
    pub idempotency_token: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default, rename = "locationName")]
    pub location_name: Option<String>,
    #[serde(default, rename = "queryName")]
    pub query_name: Option<String>,
    #[serde(default)]
    pub flattened: bool,
    #[serde(default, rename = "xmlAttribute")]
    pub xml_attribute: bool,
    #[serde(default, rename = "timestampFormat")]
    pub timestamp_format: Option<String>,
    /// On operation outputs of the query protocol: the `<OpResult>` element.
    #[serde(default, rename = "resultWrapper")]
    pub result_wrapper: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub members: Ordered<ShapeRef>,
    #[serde(default)]
    pub required: Vec<String>,
    pub member: Option<ShapeRef>,
    pub key: Option<ShapeRef>,
    pub value: Option<ShapeRef>,
    #[serde(default, rename = "enum")]
    pub enum_values: Vec<String>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub flattened: bool,
    #[serde(default, rename = "timestampFormat")]
    pub timestamp_format: Option<String>,
    #[serde(default, rename = "xmlNamespace")]
    pub xml_namespace: Option<XmlNamespace>,
    /// The lowest value (numbers) or length (strings, lists) AWS accepts.
    #[serde(default)]
    pub min: Option<f64>,
    /// The highest value (numbers) or length (strings, lists) AWS accepts.
    #[serde(default)]
    pub max: Option<f64>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct XmlNamespace {
    pub uri: Option<String>,
}

impl ServiceModel {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read {}: {e} (run scripts/fetch-botocore.py)",
                path.display()
            )
        })?;
        serde_json::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
    }

    pub fn shape(&self, name: &str) -> Result<&Shape, String> {
        self.shapes
            .get(name)
            .ok_or_else(|| format!("unknown shape {name}"))
    }

    pub fn operation(&self, name: &str) -> Result<&Operation, String> {
        self.operations
            .get(name)
            .ok_or_else(|| format!("unknown operation {name}"))
    }
}

/// A JSON object kept in file order, so generated fields follow the model.
#[derive(Debug)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<V> Ordered<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered<V>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct Paginators {
    #[serde(default)]
    pub pagination: BTreeMap<String, Paginator>,
}

#[derive(Debug, Deserialize)]
pub struct Paginator {
    pub input_token: serde_json::Value,
    pub output_token: serde_json::Value,
    pub limit_key: Option<String>,
}

impl Paginator {
    pub fn input_token(&self) -> Option<&str> {
        self.input_token.as_str()
    }
    pub fn output_token(&self) -> Option<&str> {
        self.output_token.as_str()
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct Waiters {
    #[serde(default)]
    pub waiters: BTreeMap<String, Waiter>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Waiter {
    pub operation: String,
    pub delay: u64,
    #[serde(rename = "maxAttempts")]
    pub max_attempts: u32,
    pub acceptors: Vec<Acceptor>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Acceptor {
    pub matcher: String,
    #[serde(default)]
    pub argument: Option<String>,
    pub state: String,
    pub expected: serde_json::Value,
}
