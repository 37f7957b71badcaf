//! What every table row carries: its game date, `processed_at`, and a `data_hash` of its
//! business fields (everything except those two), so unchanged rewrites can be skipped.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::game_date::GameDate;

pub trait TableRow: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// The catalogue name of the table this row belongs to.
    const TABLE: &'static str;

    fn game_date(&self) -> GameDate;
    fn processed_at(&self) -> DateTime<Utc>;
    fn set_lineage(&mut self, processed_at: DateTime<Utc>, data_hash: String);
}

/// Implements [`TableRow`] for a struct with `processed_at: DateTime<Utc>` and
/// `data_hash: String` fields and a `GameDate` field.
#[macro_export]
macro_rules! table_row {
    ($ty:ty, $table:literal, $date_field:ident) => {
        impl $crate::tables::TableRow for $ty {
            const TABLE: &'static str = $table;
            fn game_date(&self) -> $crate::GameDate {
                self.$date_field
            }
            fn processed_at(&self) -> ::chrono::DateTime<::chrono::Utc> {
                self.processed_at
            }
            fn set_lineage(&mut self, processed_at: ::chrono::DateTime<::chrono::Utc>, data_hash: String) {
                self.processed_at = processed_at;
                self.data_hash = data_hash;
            }
        }
    };
}

/// JSON with object keys sorted at every level: the same value always hashes the same,
/// whatever order fields were built in.
pub fn canonical_json(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<_> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> =
                keys.into_iter().map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&m[k]))).collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(canonical_json).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hash of a row's business fields (16 hex chars: change detection, not security).
pub fn row_hash<R: Serialize>(row: &R) -> Result<String, serde_json::Error> {
    let mut v = serde_json::to_value(row)?;
    if let Value::Object(m) = &mut v {
        m.remove("processed_at");
        m.remove("data_hash");
    }
    Ok(sha256_hex(canonical_json(&v).as_bytes())[..16].to_string())
}

/// The hash of a partition: independent of row order, so reprocessing inputs in another order
/// is recognised as unchanged.
pub fn partition_hash(row_hashes: &[String]) -> String {
    let mut sorted: Vec<&str> = row_hashes.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sha256_hex(sorted.join("\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_deeply() {
        let a = json!({"b": 1, "a": {"y": [1, {"d": 2, "c": 3}], "x": null}});
        assert_eq!(canonical_json(&a), r#"{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}"#);
    }

    #[test]
    fn row_hash_ignores_lineage_and_partition_hash_ignores_order() {
        let r1 = json!({"points": 31, "processed_at": "2025-01-01T00:00:00Z", "data_hash": "x"});
        let r2 = json!({"processed_at": "2026-05-05T00:00:00Z", "points": 31, "data_hash": "y"});
        assert_eq!(row_hash(&r1).unwrap(), row_hash(&r2).unwrap());
        assert_ne!(row_hash(&r1).unwrap(), row_hash(&json!({"points": 30})).unwrap());
        let h = ["b".to_string(), "a".to_string()];
        assert_eq!(partition_hash(&h), partition_hash(&["a".to_string(), "b".to_string()]));
    }
}
