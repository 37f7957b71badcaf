//! Reading and writing partitions through the `BlobStore`.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::catalog::{self, TableDef, UnknownTable, WriteMode};
use super::codec::{self, CodecError};
use super::json::batches_to_json;
use super::row::{TableRow, partition_hash, row_hash};
use crate::clock::Clock;
use crate::game_date::GameDate;
use crate::ports::{BlobError, BlobStore};

pub const META_PARTITION_HASH: &str = "props.partition_hash";
pub const META_ROWS: &str = "props.rows";
pub const META_TABLE: &str = "props.table";

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error(transparent)]
    UnknownTable(#[from] UnknownTable),
    #[error(transparent)]
    Codec(#[from] CodecError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error("table `{table}` is written in {mode:?} mode, not {attempted:?}")]
    WrongMode {
        table: &'static str,
        mode: WriteMode,
        attempted: WriteMode,
    },
    #[error("row for {row_date} cannot be written to partition {table}/game_date={partition}")]
    WrongPartition {
        table: &'static str,
        partition: GameDate,
        row_date: GameDate,
    },
    #[error("invalid snapshot id `{id}` for table `{table}`: use [A-Za-z0-9_-]")]
    InvalidSnapshotId { table: &'static str, id: String },
    #[error("cannot hash a row of `{table}`: {message}")]
    Hash {
        table: &'static str,
        message: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteOutcome {
    pub key: String,
    pub rows: usize,
    pub partition_hash: String,
    /// `false` when the stored partition already had this hash (`skipped_unchanged`).
    pub written: bool,
}

/// The table layer over one bucket.
#[derive(Clone)]
pub struct Tables {
    blobs: Arc<dyn BlobStore>,
    clock: Arc<dyn Clock>,
}

fn partition_prefix(def: &TableDef, date: GameDate) -> String {
    format!("{}{}={}/", def.prefix(), def.partition, date)
}

/// Parses the game date out of `tables/{ds}/{t}/game_date=YYYY-MM-DD/file`.
fn date_of_key(def: &TableDef, key: &str) -> Option<GameDate> {
    let rest = key.strip_prefix(&def.prefix())?;
    let (part, _file) = rest.split_once('/')?;
    part.strip_prefix(def.partition)?
        .strip_prefix('=')?
        .parse()
        .ok()
}

impl Tables {
    pub fn new(blobs: Arc<dyn BlobStore>, clock: Arc<dyn Clock>) -> Self {
        Self { blobs, clock }
    }

    pub fn blobs(&self) -> &Arc<dyn BlobStore> {
        &self.blobs
    }

    fn def<R: TableRow>() -> Result<&'static TableDef, TableError> {
        Ok(catalog::lookup(R::TABLE)?)
    }

    /// Replaces the partition of `date` with `rows` in one PUT, unless it already holds exactly
    /// these rows (same business hash), in which case nothing is written.
    pub async fn replace<R: TableRow>(
        &self,
        date: GameDate,
        rows: Vec<R>,
    ) -> Result<WriteOutcome, TableError> {
        let def = Self::def::<R>()?;
        if def.mode != WriteMode::Replace {
            return Err(TableError::WrongMode {
                table: def.name,
                mode: def.mode,
                attempted: WriteMode::Replace,
            });
        }
        let key = format!("{}part-0.parquet", partition_prefix(def, date));
        self.write(def, date, key, rows).await
    }

    /// Writes the snapshot `snapshot_id` (the input payload's hash) of the partition of `date`.
    /// Reprocessing the same payload rewrites the same object, or skips it when unchanged.
    pub async fn append<R: TableRow>(
        &self,
        date: GameDate,
        snapshot_id: &str,
        rows: Vec<R>,
    ) -> Result<WriteOutcome, TableError> {
        let def = Self::def::<R>()?;
        if def.mode != WriteMode::Append {
            return Err(TableError::WrongMode {
                table: def.name,
                mode: def.mode,
                attempted: WriteMode::Append,
            });
        }
        let valid = !snapshot_id.is_empty()
            && snapshot_id.len() <= 128
            && snapshot_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(TableError::InvalidSnapshotId {
                table: def.name,
                id: snapshot_id.chars().take(80).collect(),
            });
        }
        let key = format!("{}{snapshot_id}.parquet", partition_prefix(def, date));
        self.write(def, date, key, rows).await
    }

    async fn write<R: TableRow>(
        &self,
        def: &'static TableDef,
        date: GameDate,
        key: String,
        mut rows: Vec<R>,
    ) -> Result<WriteOutcome, TableError> {
        let mut hashes = Vec::with_capacity(rows.len());
        for r in &rows {
            if r.game_date() != date {
                return Err(TableError::WrongPartition {
                    table: def.name,
                    partition: date,
                    row_date: r.game_date(),
                });
            }
            hashes.push(row_hash(r).map_err(|e| TableError::Hash {
                table: def.name,
                message: e.to_string(),
            })?);
        }
        let phash = partition_hash(&hashes);
        if let Some(existing) = self.blobs.get(&key).await? {
            // An unreadable existing object is simply replaced: that is the repair.
            if let Ok(meta) = codec::footer(&key, existing) {
                if meta.get(META_PARTITION_HASH) == Some(&phash) {
                    return Ok(WriteOutcome {
                        key,
                        rows: rows.len(),
                        partition_hash: phash,
                        written: false,
                    });
                }
            }
        }
        let now = self.clock.now();
        for (r, h) in rows.iter_mut().zip(hashes) {
            r.set_lineage(now, h);
        }
        let bytes = codec::encode(
            def.name,
            &rows,
            &[
                (META_PARTITION_HASH, phash.clone()),
                (META_ROWS, rows.len().to_string()),
                (META_TABLE, def.name.to_string()),
            ],
        )?;
        self.blobs.put(&key, bytes).await?;
        Ok(WriteOutcome {
            key,
            rows: rows.len(),
            partition_hash: phash,
            written: true,
        })
    }

    /// Keys of the table's objects whose partition lies in `[from, to]` (pruned by key: no
    /// object outside the range is read).
    pub async fn object_keys(
        &self,
        def: &TableDef,
        from: GameDate,
        to: GameDate,
    ) -> Result<Vec<(GameDate, String)>, TableError> {
        let prefix = if from == to {
            partition_prefix(def, from)
        } else {
            def.prefix()
        };
        let mut keys: Vec<(GameDate, String)> = self
            .blobs
            .list(&prefix)
            .await?
            .into_iter()
            .filter(|m| m.key.ends_with(".parquet"))
            .filter_map(|m| date_of_key(def, &m.key).map(|d| (d, m.key)))
            .filter(|(d, _)| *d >= from && *d <= to)
            .collect();
        keys.sort();
        Ok(keys)
    }

    /// The game dates that have a partition.
    pub async fn partitions(&self, table: &str) -> Result<Vec<GameDate>, TableError> {
        let def = catalog::lookup(table)?;
        let mut dates: Vec<GameDate> = self
            .blobs
            .list(&def.prefix())
            .await?
            .into_iter()
            .filter_map(|m| date_of_key(def, &m.key))
            .collect();
        dates.dedup();
        Ok(dates)
    }

    /// Typed rows of `[from, to]`, in partition then file order.
    pub async fn read<R: TableRow>(
        &self,
        from: GameDate,
        to: GameDate,
    ) -> Result<Vec<R>, TableError> {
        let def = Self::def::<R>()?;
        let mut out = Vec::new();
        for (_, key) in self.object_keys(def, from, to).await? {
            if let Some(bytes) = self.blobs.get(&key).await? {
                let decoded = codec::decode(&key, bytes)?;
                out.extend(codec::rows_from::<R>(&key, &decoded.batches)?);
            }
        }
        Ok(out)
    }

    pub async fn read_date<R: TableRow>(&self, date: GameDate) -> Result<Vec<R>, TableError> {
        self.read(date, date).await
    }

    /// Any table's rows as JSON (no row type needed).
    pub async fn read_json(
        &self,
        table: &str,
        from: GameDate,
        to: GameDate,
    ) -> Result<Vec<Value>, TableError> {
        let def = catalog::lookup(table)?;
        let mut out = Vec::new();
        for (_, key) in self.object_keys(def, from, to).await? {
            if let Some(bytes) = self.blobs.get(&key).await? {
                let decoded = codec::decode(&key, bytes)?;
                let rows = batches_to_json(&decoded.batches).map_err(|e| CodecError::Decode {
                    key: key.clone(),
                    message: e.to_string(),
                })?;
                out.extend(rows);
            }
        }
        Ok(out)
    }

    /// Row count per object of `[from, to]`, from footers.
    pub async fn row_count(
        &self,
        table: &str,
        from: GameDate,
        to: GameDate,
    ) -> Result<u64, TableError> {
        let def = catalog::lookup(table)?;
        let mut n = 0u64;
        for (_, key) in self.object_keys(def, from, to).await? {
            if let Some(bytes) = self.blobs.get(&key).await? {
                let decoded = codec::decode(&key, bytes)?;
                n += decoded
                    .batches
                    .iter()
                    .map(|b| b.num_rows() as u64)
                    .sum::<u64>();
            }
        }
        Ok(n)
    }

    /// Age of the table over `[from, to]`: now − max(`processed_at`) on the LATEST game date
    /// that has a partition in the range (old partitions must not make fresh data look stale,
    /// nor fresh old partitions make a stale latest one look fresh). `None` when no partition.
    pub async fn freshness(
        &self,
        table: &str,
        from: GameDate,
        to: GameDate,
    ) -> Result<Option<(GameDate, Duration)>, TableError> {
        let def = catalog::lookup(table)?;
        let keys = self.object_keys(def, from, to).await?;
        let Some(latest) = keys.iter().map(|(d, _)| *d).max() else {
            return Ok(None);
        };
        let mut newest: Option<DateTime<Utc>> = None;
        for (_, key) in keys.iter().filter(|(d, _)| *d == latest) {
            let Some(bytes) = self.blobs.get(key).await? else {
                continue;
            };
            let decoded = codec::decode(key, bytes)?;
            for row in batches_to_json(&decoded.batches).map_err(|e| CodecError::Decode {
                key: key.clone(),
                message: e.to_string(),
            })? {
                let at = row
                    .get("processed_at")
                    .and_then(Value::as_str)
                    .and_then(parse_ts);
                newest = newest.max(at);
            }
        }
        Ok(newest.map(|t| (latest, self.clock.now() - t)))
    }
}

/// Parses the timestamps Arrow prints (`2025-01-15T12:00:00Z`, `2025-01-15T12:00:00.123+00:00`).
fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}
