//! Decoded partitions kept between reads, keyed by object key and the version the listing
//! reports (S3's ETag, the file's identity on disk). A context for each date of a season reads
//! the same history partitions again and again; the listing that every read makes anyway tells
//! whether a kept copy is still the stored one, so the cache never serves a stale partition and
//! costs no request. Bounded by the decoded size, least recently used out first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use arrow::record_batch::RecordBatch;

/// What a Lambda instance or the CLI may hold in decoded partitions (the functions run in
/// 256 MB or more; the whole game day peaks near 150 MB without it).
pub const DEFAULT_BUDGET_BYTES: usize = 48 * 1024 * 1024;

struct Entry {
    version: String,
    rows: u64,
    /// `None` when only the row count is known (a footer read).
    batches: Option<Arc<Vec<RecordBatch>>>,
    bytes: usize,
    used: u64,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    bytes: usize,
    tick: u64,
}

#[derive(Clone)]
pub struct PartitionCache {
    inner: Arc<Mutex<Inner>>,
    budget: usize,
}

impl Default for PartitionCache {
    fn default() -> Self {
        Self::with_budget(DEFAULT_BUDGET_BYTES)
    }
}

impl PartitionCache {
    pub fn with_budget(budget: usize) -> Self {
        Self { inner: Arc::default(), budget }
    }

    /// A poisoned lock only means another reader panicked mid-update: the map is still a
    /// valid cache (entries are inserted whole), so it is used as it is.
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The decoded batches of `key` if the kept copy is of `version`.
    pub fn batches(&self, key: &str, version: &str) -> Option<Arc<Vec<RecordBatch>>> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let e = inner.entries.get_mut(key).filter(|e| e.version == version)?;
        e.used = tick;
        e.batches.clone()
    }

    /// The row count of `key` at `version`, if known.
    pub fn rows(&self, key: &str, version: &str) -> Option<u64> {
        let inner = self.lock();
        inner.entries.get(key).filter(|e| e.version == version).map(|e| e.rows)
    }

    /// Keeps `batches` of `key` at `version` (replacing any other version), then evicts the
    /// least recently used partitions until the cache fits its budget again. A partition
    /// larger than the budget is not kept.
    pub fn put_batches(&self, key: &str, version: &str, batches: Arc<Vec<RecordBatch>>) {
        let bytes: usize = batches.iter().map(RecordBatch::get_array_memory_size).sum();
        let rows = batches.iter().map(|b| b.num_rows() as u64).sum();
        if bytes > self.budget {
            self.put_rows(key, version, rows);
            return;
        }
        self.insert(key, Entry { version: version.to_string(), rows, batches: Some(batches), bytes, used: 0 });
    }

    /// Keeps only the row count of `key` at `version` (a few bytes: not counted in the budget).
    pub fn put_rows(&self, key: &str, version: &str, rows: u64) {
        self.insert(key, Entry { version: version.to_string(), rows, batches: None, bytes: 0, used: 0 });
    }

    fn insert(&self, key: &str, mut entry: Entry) {
        let mut inner = self.lock();
        inner.tick += 1;
        entry.used = inner.tick;
        inner.bytes += entry.bytes;
        if let Some(old) = inner.entries.insert(key.to_string(), entry) {
            inner.bytes -= old.bytes;
        }
        while inner.bytes > self.budget {
            let Some(victim) = inner
                .entries
                .iter()
                .filter(|(_, e)| e.batches.is_some())
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(e) = inner.entries.get_mut(&victim) {
                let freed = e.bytes;
                e.batches = None;
                e.bytes = 0;
                inner.bytes -= freed;
            }
        }
    }

    /// Decoded bytes held (for tests and figures).
    pub fn held_bytes(&self) -> usize {
        self.lock().bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::Int64Array;
    use arrow::datatypes::{DataType, Field, Schema};

    fn batch(n: i64) -> Arc<Vec<RecordBatch>> {
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int64, false)]));
        let col = Arc::new(Int64Array::from_iter_values(0..n));
        Arc::new(vec![RecordBatch::try_new(schema, vec![col]).unwrap()])
    }

    #[test]
    fn a_kept_partition_is_served_only_at_its_version() {
        let c = PartitionCache::default();
        c.put_batches("k", "v1", batch(3));
        assert_eq!(c.batches("k", "v1").unwrap()[0].num_rows(), 3);
        assert!(c.batches("k", "v2").is_none(), "another version is another object");
        assert_eq!(c.rows("k", "v1"), Some(3));
        assert_eq!(c.rows("k", "v2"), None);
        c.put_batches("k", "v2", batch(5));
        assert!(c.batches("k", "v1").is_none(), "the old version is gone");
        assert_eq!(c.rows("k", "v2"), Some(5));
    }

    #[test]
    fn the_least_recently_used_partition_goes_first_and_its_row_count_stays() {
        let one = batch(1000);
        let size: usize = one.iter().map(RecordBatch::get_array_memory_size).sum();
        let c = PartitionCache::with_budget(size * 2 + size / 2);
        c.put_batches("a", "1", one.clone());
        c.put_batches("b", "1", one.clone());
        assert!(c.batches("a", "1").is_some(), "a is now the most recently used");
        c.put_batches("c", "1", one.clone());
        assert!(c.batches("b", "1").is_none(), "b was the least recently used");
        assert!(c.batches("a", "1").is_some() && c.batches("c", "1").is_some());
        assert_eq!(c.rows("b", "1"), Some(1000), "an evicted partition's row count is still known");
        assert!(c.held_bytes() <= size * 2 + size / 2);
        let tiny = PartitionCache::with_budget(size / 2);
        tiny.put_batches("big", "1", one);
        assert!(tiny.batches("big", "1").is_none() && tiny.held_bytes() == 0, "over the budget: not kept");
        assert_eq!(tiny.rows("big", "1"), Some(1000));
    }
}
