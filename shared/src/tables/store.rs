//! Reading and writing partitions through the `BlobStore`.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::cache::PartitionCache;
use super::catalog::{self, TableDef, UnknownTable, WriteMode};
use super::codec::{self, CodecError};
use super::json::batches_to_json;
use super::row::{TableRow, partition_hash, row_hash};
use crate::clock::Clock;
use crate::game_date::GameDate;
use crate::ports::{BlobError, BlobStore, ObjectMeta};
use arrow::record_batch::RecordBatch;

pub const META_PARTITION_HASH: &str = "props.partition_hash";
pub const META_ROWS: &str = "props.rows";
pub const META_TABLE: &str = "props.table";
/// The version (fetch time) of the input the partition was built from.
pub const META_SOURCE_VERSION: &str = "props.source_version";

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error(transparent)]
    UnknownTable(#[from] UnknownTable),
    #[error(transparent)]
    Codec(#[from] CodecError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error("table `{table}` is written in {mode:?} mode, not {attempted:?}")]
    WrongMode { table: &'static str, mode: WriteMode, attempted: WriteMode },
    #[error("row for {row_date} cannot be written to partition {table}/game_date={partition}")]
    WrongPartition { table: &'static str, partition: GameDate, row_date: GameDate },
    #[error("invalid snapshot id `{id}` for table `{table}`: use [A-Za-z0-9_-]")]
    InvalidSnapshotId { table: &'static str, id: String },
    #[error("cannot hash a row of `{table}`: {message}")]
    Hash { table: &'static str, message: String },
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
    cache: PartitionCache,
}

fn partition_prefix(def: &TableDef, date: GameDate) -> String {
    format!("{}{}={}/", def.prefix(), def.partition, date)
}

/// Parses the game date out of `tables/{ds}/{t}/game_date=YYYY-MM-DD/file`.
fn date_of_key(def: &TableDef, key: &str) -> Option<GameDate> {
    let rest = key.strip_prefix(&def.prefix())?;
    let (part, _file) = rest.split_once('/')?;
    part.strip_prefix(def.partition)?.strip_prefix('=')?.parse().ok()
}

impl Tables {
    pub fn new(blobs: Arc<dyn BlobStore>, clock: Arc<dyn Clock>) -> Self {
        Self { blobs, clock, cache: PartitionCache::default() }
    }

    /// The decoded partitions this table layer keeps between reads.
    pub fn cache(&self) -> &PartitionCache {
        &self.cache
    }

    pub fn blobs(&self) -> &Arc<dyn BlobStore> {
        &self.blobs
    }

    fn def<R: TableRow>() -> Result<&'static TableDef, TableError> {
        Ok(catalog::lookup(R::TABLE)?)
    }

    /// Replaces the partition of `date` with `rows` in one PUT, unless it already holds exactly
    /// these rows (same business hash), in which case nothing is written.
    pub async fn replace<R: TableRow>(&self, date: GameDate, rows: Vec<R>) -> Result<WriteOutcome, TableError> {
        let def = Self::def::<R>()?;
        if def.mode != WriteMode::Replace {
            return Err(TableError::WrongMode { table: def.name, mode: def.mode, attempted: WriteMode::Replace });
        }
        let key = format!("{}part-0.parquet", partition_prefix(def, date));
        self.write(def, date, key, rows, None).await
    }

    /// Like [`Tables::replace`], but only if the stored partition was not built from a newer
    /// input (`source_version` compares as a string: use sortable timestamps). `Ok(None)` when
    /// superseded. This is what makes processing inputs out of order converge to the newest.
    pub async fn replace_if_newer<R: TableRow>(
        &self,
        date: GameDate,
        rows: Vec<R>,
        source_version: &str,
    ) -> Result<Option<WriteOutcome>, TableError> {
        let def = Self::def::<R>()?;
        if def.mode != WriteMode::Replace {
            return Err(TableError::WrongMode { table: def.name, mode: def.mode, attempted: WriteMode::Replace });
        }
        let key = format!("{}part-0.parquet", partition_prefix(def, date));
        if let Some(existing) = self.blobs.get(&key).await? {
            if let Ok(meta) = codec::footer(&key, existing) {
                if meta.get(META_SOURCE_VERSION).is_some_and(|v| v.as_str() > source_version) {
                    return Ok(None);
                }
            }
        }
        self.write(def, date, key, rows, Some(source_version)).await.map(Some)
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
            return Err(TableError::WrongMode { table: def.name, mode: def.mode, attempted: WriteMode::Append });
        }
        let valid = !snapshot_id.is_empty()
            && snapshot_id.len() <= 128
            && snapshot_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(TableError::InvalidSnapshotId { table: def.name, id: snapshot_id.chars().take(80).collect() });
        }
        let key = format!("{}{snapshot_id}.parquet", partition_prefix(def, date));
        self.write(def, date, key, rows, None).await
    }

    async fn write<R: TableRow>(
        &self,
        def: &'static TableDef,
        date: GameDate,
        key: String,
        mut rows: Vec<R>,
        source_version: Option<&str>,
    ) -> Result<WriteOutcome, TableError> {
        let mut hashes = Vec::with_capacity(rows.len());
        for r in &rows {
            if r.game_date() != date {
                return Err(TableError::WrongPartition { table: def.name, partition: date, row_date: r.game_date() });
            }
            hashes.push(row_hash(r).map_err(|e| TableError::Hash { table: def.name, message: e.to_string() })?);
        }
        let phash = partition_hash(&hashes);
        if let Some(existing) = self.blobs.get(&key).await? {
            // An unreadable existing object is simply replaced: that is the repair.
            if let Ok(meta) = codec::footer(&key, existing) {
                let same_version =
                    source_version.is_none_or(|v| meta.get(META_SOURCE_VERSION).map(String::as_str) == Some(v));
                if meta.get(META_PARTITION_HASH) == Some(&phash) && same_version {
                    return Ok(WriteOutcome { key, rows: rows.len(), partition_hash: phash, written: false });
                }
            }
        }
        let now = self.clock.now();
        for (r, h) in rows.iter_mut().zip(hashes) {
            r.set_lineage(now, h);
        }
        let mut meta = vec![
            (META_PARTITION_HASH, phash.clone()),
            (META_ROWS, rows.len().to_string()),
            (META_TABLE, def.name.to_string()),
        ];
        if let Some(v) = source_version {
            meta.push((META_SOURCE_VERSION, v.to_string()));
        }
        let bytes = codec::encode(def.name, &rows, &meta)?;
        self.blobs.put(&key, bytes).await?;
        Ok(WriteOutcome { key, rows: rows.len(), partition_hash: phash, written: true })
    }

    /// Keys of the table's objects whose partition lies in `[from, to]` (pruned by key: no
    /// object outside the range is read).
    pub async fn object_keys(
        &self,
        def: &TableDef,
        from: GameDate,
        to: GameDate,
    ) -> Result<Vec<(GameDate, String)>, TableError> {
        Ok(self.objects(def, from, to).await?.into_iter().map(|(d, m)| (d, m.key)).collect())
    }

    /// The listed objects of `[from, to]`, with their versions, in partition then key order.
    async fn objects(
        &self,
        def: &TableDef,
        from: GameDate,
        to: GameDate,
    ) -> Result<Vec<(GameDate, ObjectMeta)>, TableError> {
        let prefix = if from == to { partition_prefix(def, from) } else { def.prefix() };
        let mut objects: Vec<(GameDate, ObjectMeta)> = self
            .blobs
            .list(&prefix)
            .await?
            .into_iter()
            .filter(|m| m.key.ends_with(".parquet"))
            .filter_map(|m| date_of_key(def, &m.key).map(|d| (d, m)))
            .filter(|(d, _)| *d >= from && *d <= to)
            .collect();
        objects.sort_by(|a, b| (a.0, &a.1.key).cmp(&(b.0, &b.1.key)));
        Ok(objects)
    }

    /// The object's decoded batches: the kept copy while the listing shows its version, else
    /// one GET and a decode. `None` when it vanished since the listing.
    async fn decoded(&self, object: &ObjectMeta) -> Result<Option<Arc<Vec<RecordBatch>>>, TableError> {
        if let Some(b) = self.cache.batches(&object.key, &object.version) {
            return Ok(Some(b));
        }
        let Some(bytes) = self.blobs.get(&object.key).await? else {
            return Ok(None);
        };
        let batches = Arc::new(codec::decode(&object.key, bytes)?.batches);
        self.cache.put_batches(&object.key, &object.version, batches.clone());
        Ok(Some(batches))
    }

    /// The game dates that have a partition.
    pub async fn partitions(&self, table: &str) -> Result<Vec<GameDate>, TableError> {
        let def = catalog::lookup(table)?;
        let mut dates: Vec<GameDate> =
            self.blobs.list(&def.prefix()).await?.into_iter().filter_map(|m| date_of_key(def, &m.key)).collect();
        dates.dedup();
        Ok(dates)
    }

    /// Typed rows of `[from, to]`, in partition then file order.
    pub async fn read<R: TableRow>(&self, from: GameDate, to: GameDate) -> Result<Vec<R>, TableError> {
        let def = Self::def::<R>()?;
        let mut out = Vec::new();
        for (_, object) in self.objects(def, from, to).await? {
            if let Some(batches) = self.decoded(&object).await? {
                out.extend(codec::rows_from::<R>(&object.key, &batches)?);
            }
        }
        Ok(out)
    }

    pub async fn read_date<R: TableRow>(&self, date: GameDate) -> Result<Vec<R>, TableError> {
        self.read(date, date).await
    }

    /// Any table's rows as JSON (no row type needed).
    pub async fn read_json(&self, table: &str, from: GameDate, to: GameDate) -> Result<Vec<Value>, TableError> {
        let def = catalog::lookup(table)?;
        let mut out = Vec::new();
        for (_, object) in self.objects(def, from, to).await? {
            if let Some(batches) = self.decoded(&object).await? {
                let rows = batches_to_json(&batches)
                    .map_err(|e| CodecError::Decode { key: object.key.clone(), message: e.to_string() })?;
                out.extend(rows);
            }
        }
        Ok(out)
    }

    /// Row count per object of `[from, to]`, from footers.
    pub async fn row_count(&self, table: &str, from: GameDate, to: GameDate) -> Result<u64, TableError> {
        let def = catalog::lookup(table)?;
        let mut n = 0u64;
        for (_, object) in self.objects(def, from, to).await? {
            if let Some(rows) = self.cache.rows(&object.key, &object.version) {
                n += rows;
            } else if let Some(bytes) = self.blobs.get(&object.key).await? {
                let rows = codec::num_rows(&object.key, bytes)?;
                self.cache.put_rows(&object.key, &object.version, rows);
                n += rows;
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
            let batches = codec::decode_columns(key, bytes, &["processed_at"])?;
            for row in batches_to_json(&batches)
                .map_err(|e| CodecError::Decode { key: key.clone(), message: e.to_string() })?
            {
                let at = row.get("processed_at").and_then(Value::as_str).and_then(parse_ts);
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
        .or_else(|| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|n| n.and_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::DirBlobStore;
    use crate::clock::ManualClock;
    use bytes::Bytes;
    use chrono::TimeZone;
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct TeamRow {
        game_date: GameDate,
        team: String,
        points: i32,
        pace: Option<f64>,
        #[serde(with = "crate::tables::ts")]
        processed_at: DateTime<Utc>,
        data_hash: String,
    }
    crate::table_row!(TeamRow, "team_boxscores", game_date);

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct RosterRow {
        game_date: GameDate,
        player_lookup: String,
        injury_status: Option<String>,
        #[serde(with = "crate::tables::ts")]
        processed_at: DateTime<Utc>,
        data_hash: String,
    }
    crate::table_row!(RosterRow, "rosters", game_date);

    fn d(s: &str) -> GameDate {
        s.parse().unwrap()
    }

    fn team(date: &str, t: &str, pts: i32) -> TeamRow {
        TeamRow {
            game_date: d(date),
            team: t.into(),
            points: pts,
            pace: Some(99.5),
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    fn setup() -> (tempfile::TempDir, Tables, ManualClock) {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2025, 1, 16, 6, 0, 0).unwrap());
        let tables = Tables::new(Arc::new(DirBlobStore::new(dir.path())), Arc::new(clock.clone()));
        (dir, tables, clock)
    }

    #[tokio::test]
    async fn replace_round_trips_and_skips_unchanged() {
        let (_dir, t, clock) = setup();
        let rows = vec![team("2025-01-15", "BOS", 112), team("2025-01-15", "NYK", 108)];
        let w1 = t.replace(d("2025-01-15"), rows.clone()).await.unwrap();
        assert!(w1.written);
        assert_eq!(w1.key, "tables/raw/team_boxscores/game_date=2025-01-15/part-0.parquet");
        let back: Vec<TeamRow> = t.read_date(d("2025-01-15")).await.unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].points, 112);
        assert_eq!(back[0].processed_at, clock.now());
        assert_eq!(back[0].data_hash.len(), 16);

        // same rows in another order: unchanged, nothing written, processed_at kept
        clock.advance(Duration::hours(1));
        let w2 = t.replace(d("2025-01-15"), rows.iter().rev().cloned().collect()).await.unwrap();
        assert!(!w2.written);
        assert_eq!(w2.partition_hash, w1.partition_hash);
        let again: Vec<TeamRow> = t.read_date(d("2025-01-15")).await.unwrap();
        assert_eq!(again[0].processed_at, back[0].processed_at);

        // a changed value rewrites the partition
        let w3 = t
            .replace(d("2025-01-15"), vec![team("2025-01-15", "BOS", 113), team("2025-01-15", "NYK", 108)])
            .await
            .unwrap();
        assert!(w3.written);
        assert_ne!(w3.partition_hash, w1.partition_hash);
        assert_eq!(t.row_count("team_boxscores", d("2025-01-15"), d("2025-01-15")).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn an_older_input_never_replaces_a_newer_one() {
        let (_dir, t, _clock) = setup();
        let day = d("2025-01-15");
        let newer = t.replace_if_newer(day, vec![team("2025-01-15", "BOS", 2)], "20250116T060000Z").await.unwrap();
        assert!(newer.unwrap().written);
        let older = t.replace_if_newer(day, vec![team("2025-01-15", "BOS", 1)], "20250116T010000Z").await.unwrap();
        assert!(older.is_none(), "superseded");
        let again = t.replace_if_newer(day, vec![team("2025-01-15", "BOS", 2)], "20250116T060000Z").await.unwrap();
        assert!(!again.unwrap().written, "same input again: unchanged");
        assert_eq!(t.read_date::<TeamRow>(day).await.unwrap()[0].points, 2);
    }

    #[tokio::test]
    async fn append_snapshots_are_idempotent_per_payload() {
        let (_dir, t, _clock) = setup();
        let r = |p: &str, s: Option<&str>| RosterRow {
            game_date: d("2025-01-15"),
            player_lookup: p.into(),
            injury_status: s.map(String::from),
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        };
        assert!(t.append(d("2025-01-15"), "aaaa1111", vec![r("lukadoncic", None)]).await.unwrap().written);
        assert!(!t.append(d("2025-01-15"), "aaaa1111", vec![r("lukadoncic", None)]).await.unwrap().written);
        assert!(t.append(d("2025-01-15"), "bbbb2222", vec![r("lukadoncic", Some("Out"))]).await.unwrap().written);
        let rows: Vec<RosterRow> = t.read_date(d("2025-01-15")).await.unwrap();
        assert_eq!(rows.len(), 2);
        let e = t.append(d("2025-01-15"), "../evil", vec![r("x", None)]).await.unwrap_err().to_string();
        assert!(e.contains("invalid snapshot id `../evil`"), "{e}");
        let e = t.replace(d("2025-01-15"), vec![r("x", None)]).await.unwrap_err().to_string();
        assert!(e.contains("`rosters` is written in Append mode"), "{e}");
    }

    #[tokio::test]
    async fn reads_prune_by_partition_and_reject_foreign_rows() {
        let (_dir, t, _clock) = setup();
        for (day, pts) in [("2025-01-13", 100), ("2025-01-14", 101), ("2025-01-15", 102)] {
            t.replace(d(day), vec![team(day, "BOS", pts)]).await.unwrap();
        }
        let mid: Vec<TeamRow> = t.read(d("2025-01-14"), d("2025-01-15")).await.unwrap();
        assert_eq!(mid.iter().map(|r| r.points).collect::<Vec<_>>(), [101, 102]);
        assert_eq!(t.partitions("team_boxscores").await.unwrap().len(), 3);
        let e = t.replace(d("2025-01-15"), vec![team("2025-01-14", "BOS", 1)]).await.unwrap_err().to_string();
        assert!(
            e.contains("row for 2025-01-14 cannot be written to partition team_boxscores/game_date=2025-01-15"),
            "{e}"
        );
        let json = t.read_json("team_boxscores", d("2025-01-15"), d("2025-01-15")).await.unwrap();
        assert_eq!(json[0]["points"], 102);
        assert_eq!(json[0]["game_date"], "2025-01-15");
        assert!(
            t.read_json("nope", d("2025-01-15"), d("2025-01-15"))
                .await
                .unwrap_err()
                .to_string()
                .starts_with("unknown table `nope`")
        );
    }

    #[tokio::test]
    async fn freshness_is_measured_on_the_latest_partition_only() {
        let (_dir, t, clock) = setup();
        // an old partition written recently (a backfill) ...
        t.replace(d("2025-01-10"), vec![team("2025-01-10", "BOS", 1)]).await.unwrap();
        // ... and the latest partition written 30 h ago
        clock.advance(Duration::hours(-30));
        t.replace(d("2025-01-15"), vec![team("2025-01-15", "BOS", 2)]).await.unwrap();
        clock.advance(Duration::hours(30));
        let (latest, age) = t.freshness("team_boxscores", d("2025-01-01"), d("2025-01-20")).await.unwrap().unwrap();
        assert_eq!(latest, d("2025-01-15"));
        assert_eq!(age, Duration::hours(30), "the fresh old partition must not hide a stale latest one");
        let (latest, age) = t.freshness("team_boxscores", d("2025-01-01"), d("2025-01-12")).await.unwrap().unwrap();
        assert_eq!((latest, age), (d("2025-01-10"), Duration::zero()));
        assert!(t.freshness("team_boxscores", d("2024-01-01"), d("2024-01-02")).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn unreadable_objects_are_named_and_repaired_by_rewrite() {
        let (_dir, t, _clock) = setup();
        let key = "tables/raw/team_boxscores/game_date=2025-01-15/part-0.parquet";
        t.blobs().put(key, Bytes::from_static(b"PAR1 garbage")).await.unwrap();
        let e = t.read_date::<TeamRow>(d("2025-01-15")).await.unwrap_err().to_string();
        assert!(e.starts_with(&format!("unreadable Parquet object `{key}`")), "{e}");
        assert!(!e.contains('\n'));
        assert!(t.replace(d("2025-01-15"), vec![team("2025-01-15", "BOS", 3)]).await.unwrap().written);
        assert_eq!(t.read_date::<TeamRow>(d("2025-01-15")).await.unwrap()[0].points, 3);
    }
}
