//! S3-backed columnar tables (DESIGN §3): typed rows ↔ Parquet, Hive-style partitions by game
//! date, idempotent `replace` and `append` writes, freshness on the latest partition.

pub mod cache;
pub mod catalog;
pub mod codec;
pub mod json;
pub mod row;
pub mod rows;
pub mod store;
pub mod ts;

pub use catalog::{Dataset, TableDef, WriteMode};
pub use row::{TableRow, canonical_json};
pub use store::{TableError, Tables, WriteOutcome};
