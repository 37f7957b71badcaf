//! Pipeline state: one key-value table with conditional writes (DynamoDB, or SQLite on disk).
//!
//! Every decision (a completion recorded, a trigger fired, a breaker opened, a retry claimed) is
//! ONE conditional write through this port, so two racing writers can never both win.

use std::cmp::Ordering;

use async_trait::async_trait;
use serde_json::{Map, Value};

/// Attribute names with a meaning to the store itself.
pub mod attr {
    /// Epoch seconds after which the item may be deleted (DynamoDB TTL).
    pub const TTL: &str = "ttl";
    /// The status index: partition and sort key.
    pub const GSI1PK: &str = "gsi1pk";
    pub const GSI1SK: &str = "gsi1sk";
}

pub type Attrs = Map<String, Value>;

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub pk: String,
    pub sk: String,
    pub attrs: Attrs,
}

impl Item {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self { pk: pk.into(), sk: sk.into(), attrs: Map::new() }
    }

    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.attrs.insert(name.to_string(), value.into());
        self
    }

    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).and_then(Value::as_str)
    }

    pub fn get_i64(&self, name: &str) -> Option<i64> {
        self.attrs.get(name).and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
    }

    pub fn get_f64(&self, name: &str) -> Option<f64> {
        self.attrs.get(name).and_then(Value::as_f64)
    }

    pub fn get_bool(&self, name: &str) -> Option<bool> {
        self.attrs.get(name).and_then(Value::as_bool)
    }
}

/// A condition on the item as it is before the write. Missing attributes compare false,
/// as in DynamoDB.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// No item with this key exists.
    NotExists,
    /// An item with this key exists.
    Exists,
    AttrEquals(String, Value),
    AttrNotEquals(String, Value),
    AttrLessThan(String, Value),
    AttrLessOrEqual(String, Value),
    AttrMissing(String),
    And(Vec<Condition>),
    Or(Vec<Condition>),
}

impl Condition {
    pub fn eq(name: &str, v: impl Into<Value>) -> Self {
        Self::AttrEquals(name.to_string(), v.into())
    }
    pub fn ne(name: &str, v: impl Into<Value>) -> Self {
        Self::AttrNotEquals(name.to_string(), v.into())
    }
    pub fn lt(name: &str, v: impl Into<Value>) -> Self {
        Self::AttrLessThan(name.to_string(), v.into())
    }
    pub fn le(name: &str, v: impl Into<Value>) -> Self {
        Self::AttrLessOrEqual(name.to_string(), v.into())
    }
    pub fn missing(name: &str) -> Self {
        Self::AttrMissing(name.to_string())
    }

    /// Evaluates the condition against the current item (`None` = absent). The embedded store
    /// uses this; the DynamoDB adapter translates the same tree into a condition expression.
    pub fn holds(&self, current: Option<&Attrs>) -> bool {
        let get = |n: &str| current.and_then(|a| a.get(n));
        match self {
            Condition::NotExists => current.is_none(),
            Condition::Exists => current.is_some(),
            Condition::AttrEquals(n, v) => get(n).is_some_and(|x| values_equal(x, v)),
            Condition::AttrNotEquals(n, v) => !get(n).is_some_and(|x| values_equal(x, v)),
            Condition::AttrLessThan(n, v) => get(n).and_then(|x| compare(x, v)) == Some(Ordering::Less),
            Condition::AttrLessOrEqual(n, v) => {
                matches!(get(n).and_then(|x| compare(x, v)), Some(Ordering::Less | Ordering::Equal))
            }
            Condition::AttrMissing(n) => get(n).is_none(),
            Condition::And(cs) => cs.iter().all(|c| c.holds(current)),
            Condition::Or(cs) => cs.iter().any(|c| c.holds(current)),
        }
    }
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Numbers compare as numbers and strings as strings; anything else is incomparable (false).
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// An update: set attributes, add to numeric counters (created at 0), remove attributes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Update {
    pub set: Attrs,
    pub add: Vec<(String, i64)>,
    pub remove: Vec<String>,
}

impl Update {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn set(mut self, name: &str, v: impl Into<Value>) -> Self {
        self.set.insert(name.to_string(), v.into());
        self
    }
    pub fn add(mut self, name: &str, by: i64) -> Self {
        self.add.push((name.to_string(), by));
        self
    }
    pub fn remove(mut self, name: &str) -> Self {
        self.remove.push(name.to_string());
        self
    }

    /// Applies the update to attributes (the embedded store's semantics, matching DynamoDB's
    /// `SET`, `ADD` and `REMOVE`).
    pub fn apply(&self, attrs: &mut Attrs) {
        for (k, v) in &self.set {
            attrs.insert(k.clone(), v.clone());
        }
        for (k, by) in &self.add {
            let cur = attrs.get(k).and_then(Value::as_i64).unwrap_or(0);
            attrs.insert(k.clone(), Value::from(cur + by));
        }
        for k in &self.remove {
            attrs.remove(k);
        }
    }
}

/// A condition on a sort key (of the table or of the status index).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyCondition {
    All,
    BeginsWith(String),
    LessOrEqual(String),
    Between(String, String),
}

impl KeyCondition {
    pub fn matches(&self, key: &str) -> bool {
        match self {
            KeyCondition::All => true,
            KeyCondition::BeginsWith(p) => key.starts_with(p.as_str()),
            KeyCondition::LessOrEqual(b) => key <= b.as_str(),
            KeyCondition::Between(a, b) => key >= a.as_str() && key <= b.as_str(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The write's condition did not hold: someone else won, or the state moved on.
    #[error("condition failed for item {pk} / {sk}")]
    ConditionFailed { pk: String, sk: String },
    #[error("invalid item {pk} / {sk}: {reason}")]
    InvalidItem { pk: String, sk: String, reason: String },
    /// Throttling, timeouts, locks held too long: worth retrying.
    #[error("state store {op} on {key} is temporarily unavailable: {message}")]
    Transient { op: &'static str, key: String, message: String },
    #[error("state store {op} on {key} failed: {message}")]
    Backend { op: &'static str, key: String, message: String },
}

impl StateError {
    pub fn is_condition_failed(&self) -> bool {
        matches!(self, StateError::ConditionFailed { .. })
    }
}

#[async_trait]
pub trait StateStore: Send + Sync {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StateError>;

    /// Writes the whole item if `condition` holds (or unconditionally with `None`).
    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StateError>;

    /// Updates (creating if absent) if `condition` holds, returning the item as written.
    async fn update(
        &self,
        pk: &str,
        sk: &str,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<Item, StateError>;

    async fn delete(&self, pk: &str, sk: &str, condition: Option<Condition>) -> Result<(), StateError>;

    /// Items of one partition whose sort key matches, in sort-key order.
    async fn query(&self, pk: &str, sk: KeyCondition) -> Result<Vec<Item>, StateError>;

    /// Items on the status index (`gsi1pk` = `index_pk`), in `gsi1sk` order.
    async fn query_index(&self, index_pk: &str, index_sk: KeyCondition) -> Result<Vec<Item>, StateError>;
}

/// Checks that user attributes do not collide with the key attributes.
pub(crate) fn validate_item(item: &Item) -> Result<(), StateError> {
    let bad = |reason: &str| {
        Err(StateError::InvalidItem { pk: item.pk.clone(), sk: item.sk.clone(), reason: reason.to_string() })
    };
    if item.pk.is_empty() || item.sk.is_empty() {
        return bad("pk and sk must be non-empty");
    }
    if item.attrs.contains_key("pk") || item.attrs.contains_key("sk") {
        return bad("`pk` and `sk` are key attributes, not data");
    }
    for name in [attr::GSI1PK, attr::GSI1SK] {
        if item.attrs.get(name).is_some_and(|v| !v.is_string()) {
            return bad("index keys must be strings");
        }
    }
    if item.attrs.get(attr::TTL).is_some_and(|v| !v.is_i64() && !v.is_u64()) {
        return bad("ttl must be whole epoch seconds");
    }
    Ok(())
}
