//! Rows ↔ Parquet bytes. The schema is traced from the row type by `serde_arrow`; dates and
//! timestamps (serialized by serde as strings) are stored as real `DATE` and `TIMESTAMP`
//! columns so that Athena and DuckDB see proper types.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::datatypes::{DataType, Field, FieldRef, TimeUnit};
use bytes::Bytes;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_arrow::schema::{SchemaLike, TracingOptions};

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("cannot derive a schema for {table}: {message}")]
    Schema { table: String, message: String },
    #[error("cannot encode rows of {table}: {message}")]
    Encode { table: String, message: String },
    #[error("unreadable Parquet object `{key}`: {message}")]
    Decode { key: String, message: String },
}

/// Whether a field serialized as a string is a calendar date (`game_date`, `*_date`).
fn is_date_field(name: &str) -> bool {
    name == "game_date" || name.ends_with("_date")
}

/// Whether a field serialized as a string is a UTC instant (`processed_at`, `*_at`, `*_time`).
fn is_timestamp_field(name: &str) -> bool {
    name.ends_with("_at") || name.ends_with("_time")
}

fn retype(field: &FieldRef) -> FieldRef {
    if !matches!(field.data_type(), DataType::Utf8 | DataType::LargeUtf8) {
        return field.clone();
    }
    let dt = if is_date_field(field.name()) {
        DataType::Date32
    } else if is_timestamp_field(field.name()) {
        // An offset, not a zone name: Arrow formats offsets without chrono-tz, and Parquet records
        // the column as UTC-adjusted either way.
        DataType::Timestamp(TimeUnit::Millisecond, Some("+00:00".into()))
    } else {
        return field.clone();
    };
    Arc::new(Field::new(field.name(), dt, field.is_nullable()).with_metadata(field.metadata().clone()))
}

thread_local! {
    static TRACING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True only while [`fields_for`] traces a row type. Schema tracing feeds placeholder strings
/// to every string-typed field, which strict date and timestamp parsers reject; during tracing
/// (and only then) they accept the placeholder, so dates stay strict everywhere else.
pub fn in_schema_tracing() -> bool {
    TRACING.with(|t| t.get())
}

/// The Arrow fields for row type `R`.
pub fn fields_for<R: Serialize + DeserializeOwned>(table: &str) -> Result<Vec<FieldRef>, CodecError> {
    let opts = TracingOptions::default().allow_null_fields(true).enums_without_data_as_strings(true);
    TRACING.with(|t| t.set(true));
    let traced = Vec::<FieldRef>::from_type::<R>(opts);
    TRACING.with(|t| t.set(false));
    let traced = traced.map_err(|e| CodecError::Schema { table: table.to_string(), message: e.to_string() })?;
    Ok(traced.iter().map(retype).collect())
}

/// Encodes rows as one Parquet file (Snappy), with `metadata` in the footer.
pub fn encode<R: Serialize + DeserializeOwned>(
    table: &str,
    rows: &[R],
    metadata: &[(&str, String)],
) -> Result<Bytes, CodecError> {
    let fields = fields_for::<R>(table)?;
    let err = |e: &dyn std::fmt::Display| CodecError::Encode { table: table.to_string(), message: e.to_string() };
    let batch = serde_arrow::to_record_batch(&fields, &rows).map_err(|e| err(&e))?;
    let kv: Vec<KeyValue> = metadata.iter().map(|(k, v)| KeyValue::new(k.to_string(), v.clone())).collect();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(kv))
        .set_created_by("nba-props".to_string())
        .build();
    let mut buf = Vec::with_capacity(4096);
    let mut w = ArrowWriter::try_new(&mut buf, batch.schema(), Some(props)).map_err(|e| err(&e))?;
    w.write(&batch).map_err(|e| err(&e))?;
    w.close().map_err(|e| err(&e))?;
    Ok(Bytes::from(buf))
}

/// A decoded Parquet object: its batches and footer metadata.
pub struct Decoded {
    pub batches: Vec<RecordBatch>,
    pub metadata: HashMap<String, String>,
}

pub fn decode(key: &str, bytes: Bytes) -> Result<Decoded, CodecError> {
    let err = |e: &dyn std::fmt::Display| CodecError::Decode { key: key.to_string(), message: e.to_string() };
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes).map_err(|e| err(&e))?;
    let metadata = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kvs| kvs.iter().map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default())).collect())
        .unwrap_or_default();
    let reader = builder.build().map_err(|e| err(&e))?;
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| err(&e))?;
    Ok(Decoded { batches, metadata })
}

/// Reads only the footer metadata (for the unchanged-hash check).
pub fn footer(key: &str, bytes: Bytes) -> Result<HashMap<String, String>, CodecError> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes)
        .map_err(|e| CodecError::Decode { key: key.to_string(), message: e.to_string() })?;
    Ok(builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kvs| kvs.iter().map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default())).collect())
        .unwrap_or_default())
}

/// The row count the footer records: counting without decoding a single column.
pub fn num_rows(key: &str, bytes: Bytes) -> Result<u64, CodecError> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes)
        .map_err(|e| CodecError::Decode { key: key.to_string(), message: e.to_string() })?;
    Ok(builder.metadata().file_metadata().num_rows().max(0) as u64)
}

/// Decodes only the named top-level columns (those the file has): a freshness check reads one
/// timestamp column, not every row in full.
pub fn decode_columns(key: &str, bytes: Bytes, columns: &[&str]) -> Result<Vec<RecordBatch>, CodecError> {
    let err = |e: &dyn std::fmt::Display| CodecError::Decode { key: key.to_string(), message: e.to_string() };
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes).map_err(|e| err(&e))?;
    let mask = parquet::arrow::ProjectionMask::columns(builder.parquet_schema(), columns.iter().copied());
    let reader = builder.with_projection(mask).build().map_err(|e| err(&e))?;
    reader.collect::<Result<Vec<_>, _>>().map_err(|e| err(&e))
}

pub fn rows_from<R: DeserializeOwned>(key: &str, batches: &[RecordBatch]) -> Result<Vec<R>, CodecError> {
    let mut out = Vec::new();
    for b in batches {
        let mut rows: Vec<R> = serde_arrow::from_record_batch(b)
            .map_err(|e| CodecError::Decode { key: key.to_string(), message: e.to_string() })?;
        out.append(&mut rows);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GameDate;
    use chrono::{DateTime, TimeZone, Utc};
    use serde::Deserialize;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct R {
        game_date: GameDate,
        player_lookup: String,
        points: Option<i32>,
        minutes: f64,
        starter: bool,
        #[serde(with = "crate::tables::ts")]
        processed_at: DateTime<Utc>,
        #[serde(with = "crate::tables::ts::option")]
        snapshot_at: Option<DateTime<Utc>>,
        data_hash: String,
    }

    fn row(p: Option<i32>) -> R {
        R {
            game_date: "2025-01-15".parse().unwrap(),
            player_lookup: "lukadoncic".into(),
            points: p,
            minutes: 36.5,
            starter: true,
            processed_at: Utc.with_ymd_and_hms(2025, 1, 16, 6, 0, 0).unwrap(),
            snapshot_at: Some(
                Utc.with_ymd_and_hms(2025, 1, 15, 23, 59, 59).unwrap() + chrono::Duration::milliseconds(250),
            ),
            data_hash: "h".into(),
        }
    }

    #[test]
    fn round_trip_with_real_date_and_timestamp_columns() {
        let mut none = row(None);
        none.snapshot_at = None;
        let rows = vec![row(Some(31)), none];
        let bytes = encode("t", &rows, &[("props.partition_hash", "abc".into())]).unwrap();
        let d = decode("k", bytes).unwrap();
        let schema = d.batches[0].schema();
        assert_eq!(schema.field_with_name("game_date").unwrap().data_type(), &DataType::Date32);
        assert!(matches!(
            schema.field_with_name("processed_at").unwrap().data_type(),
            DataType::Timestamp(TimeUnit::Millisecond, _)
        ));
        assert_eq!(d.metadata["props.partition_hash"], "abc");
        let back: Vec<R> = rows_from("k", &d.batches).unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn empty_partitions_encode() {
        let bytes = encode::<R>("t", &[], &[]).unwrap();
        let d = decode("k", bytes).unwrap();
        assert_eq!(d.batches.iter().map(|b| b.num_rows()).sum::<usize>(), 0);
    }

    #[test]
    fn garbage_is_a_clear_error_naming_the_key() {
        let e = decode("tables/raw/schedule/game_date=2025-01-15/part-0.parquet", Bytes::from_static(b"not parquet"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.starts_with("unreadable Parquet object `tables/raw/schedule/game_date=2025-01-15/part-0.parquet`"),
            "{e}"
        );
    }
}
