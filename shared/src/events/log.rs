//! A per-invocation buffer of pipeline events, written as ONE Parquet object when the
//! invocation ends and every [`FLUSH_EVERY`] events on the way.
//!
//! Why a buffer: one write per event is the streaming-insert pattern that exhausted a write
//! quota in the old system (defect 9). Why flush every 500 as well: a crash then loses at most
//! the events since the last flush of that invocation, and memory stays bounded on long runs.
//! Objects are named `{invocation_id}-{sequence}`: unique per flush, so flushes never overwrite
//! each other, and a rerun of the same invocation id rewrites (or skips) the same objects.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use chrono::{DateTime, Utc};

use crate::context::Context;
use crate::game_date::GameDate;
use crate::secrets::Redactor;
use crate::tables::rows::orchestration::PipelineEvent;
use crate::tables::{TableError, Tables};

tokio::task_local! {
    static INVOCATION: String;
}

/// Runs `fut` with `id` as the current invocation id: the Lambda glue wraps every invocation
/// with its request id, so handlers name their event-log objects after it without plumbing.
pub async fn with_invocation<F: std::future::Future>(id: String, fut: F) -> F::Output {
    INVOCATION.scope(id, fut).await
}

/// The id set by [`with_invocation`], if any.
pub fn current_invocation() -> Option<String> {
    INVOCATION.try_with(String::clone).ok()
}

/// Events buffered before an intermediate flush.
pub const FLUSH_EVERY: usize = 500;

/// What happened (the `event_type` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    Start,
    Complete,
    Error,
    Retry,
    Skip,
    Trigger,
    Gate,
    Alert,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Start => "start",
            EventKind::Complete => "complete",
            EventKind::Error => "error",
            EventKind::Retry => "retry",
            EventKind::Skip => "skip",
            EventKind::Trigger => "trigger",
            EventKind::Gate => "gate",
            EventKind::Alert => "alert",
        }
    }
}

/// An event to record; the log fills in ids, time and function.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    pub game_date: GameDate,
    pub kind: EventKind,
    pub phase: Option<u8>,
    pub processor: Option<String>,
    pub status: Option<String>,
    pub message: Option<String>,
    pub correlation_id: Option<String>,
}

impl NewEvent {
    pub fn new(kind: EventKind, game_date: GameDate) -> Self {
        Self { game_date, kind, phase: None, processor: None, status: None, message: None, correlation_id: None }
    }
    pub fn phase(mut self, phase: u8) -> Self {
        self.phase = Some(phase);
        self
    }
    pub fn processor(mut self, p: impl Into<String>) -> Self {
        self.processor = Some(p.into());
        self
    }
    pub fn status(mut self, s: impl Into<String>) -> Self {
        self.status = Some(s.into());
        self
    }
    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.message = Some(m.into());
        self
    }
    pub fn correlation(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }
}

/// The longest message kept per event.
const MAX_MESSAGE: usize = 1_000;

pub struct EventLog {
    tables: Tables,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    redactor: Redactor,
    function: String,
    invocation: String,
    buffer: Mutex<Vec<PipelineEvent>>,
    /// Flushes attempted so far: the object sequence number.
    flushes: AtomicU32,
    /// Events recorded so far: the event id sequence number.
    recorded: AtomicU64,
}

/// Keeps an id usable in an object key (`[A-Za-z0-9_-]`, bounded).
fn key_safe(id: &str) -> String {
    let s: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '-' }).take(96).collect();
    if s.is_empty() { "invocation".to_string() } else { s }
}

impl EventLog {
    /// A log for one invocation of `function`. `invocation_id` is the Lambda request id (or any
    /// id unique to the invocation).
    pub fn new(ctx: &Context, function: &str, invocation_id: &str) -> Self {
        Self {
            tables: ctx.tables.clone(),
            clock: ctx.clock.clone(),
            redactor: ctx.config.redactor(),
            function: function.to_string(),
            invocation: key_safe(invocation_id),
            buffer: Mutex::new(Vec::new()),
            flushes: AtomicU32::new(0),
            recorded: AtomicU64::new(0),
        }
    }

    /// The current invocation's id (the Lambda request id), or, outside Lambda (the CLI, tests),
    /// the function and the clock's instant.
    pub fn invocation_id(function: &str, now: DateTime<Utc>) -> String {
        current_invocation().unwrap_or_else(|| format!("{}-{}", key_safe(function), now.format("%Y%m%dT%H%M%S%3fZ")))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<PipelineEvent>> {
        // A poisoned buffer still holds valid events.
        self.buffer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Buffers an event; writes the buffer once it holds [`FLUSH_EVERY`] events. A failed
    /// intermediate write keeps the events for the next flush and is returned.
    pub async fn record(&self, e: NewEvent) -> Result<(), TableError> {
        let n = self.recorded.fetch_add(1, Ordering::Relaxed);
        let now = self.clock.now();
        let row = PipelineEvent {
            game_date: e.game_date,
            event_id: format!("{}-{n:06}", self.invocation),
            event_at: now,
            function: self.function.clone(),
            event_type: e.kind.as_str().to_string(),
            phase: e.phase,
            processor: e.processor,
            status: e.status,
            message: e.message.map(|m| self.redactor.redact(&m).chars().take(MAX_MESSAGE).collect()),
            correlation_id: e.correlation_id,
            processed_at: now,
            data_hash: String::new(),
        };
        let full = {
            let mut b = self.lock();
            b.push(row);
            b.len() >= FLUSH_EVERY
        };
        if full { self.flush().await.map(|_| ()) } else { Ok(()) }
    }

    /// Events buffered and not yet written.
    pub fn pending(&self) -> usize {
        self.lock().len()
    }

    /// Writes the buffered events: one object per game date present (normally one). Returns
    /// the number of events written. On failure the unwritten events stay buffered.
    pub async fn flush(&self) -> Result<usize, TableError> {
        let rows = std::mem::take(&mut *self.lock());
        if rows.is_empty() {
            return Ok(0);
        }
        let seq = self.flushes.fetch_add(1, Ordering::Relaxed);
        let snapshot = format!("{}-{seq:04}", self.invocation);
        let mut by_date: BTreeMap<GameDate, Vec<PipelineEvent>> = BTreeMap::new();
        for r in rows {
            by_date.entry(r.game_date).or_default().push(r);
        }
        let mut written = 0;
        let mut groups = by_date.into_iter();
        while let Some((date, rows)) = groups.next() {
            let n = rows.len();
            if let Err(e) = self.tables.append(date, &snapshot, rows.clone()).await {
                let mut b = self.lock();
                let mut unwritten: Vec<PipelineEvent> = rows;
                unwritten.extend(groups.flat_map(|(_, r)| r));
                unwritten.append(&mut b);
                *b = unwritten;
                return Err(e);
            }
            written += n;
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::Harness;
    use chrono::TimeZone;

    fn d(s: &str) -> GameDate {
        s.parse().unwrap()
    }

    async fn objects(h: &Harness) -> usize {
        h.ctx.blobs.list("tables/orchestration/pipeline_event_log/").await.unwrap().len()
    }

    #[tokio::test]
    async fn ten_thousand_events_make_at_most_21_objects() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 13, 0, 0).unwrap());
        let log = EventLog::new(&h.ctx, "analytics", "req-1");
        for i in 0..10_000 {
            log.record(NewEvent::new(EventKind::Skip, d("2025-01-15")).processor(format!("p{}", i % 7))).await.unwrap();
            assert!(log.pending() < FLUSH_EVERY);
        }
        log.flush().await.unwrap();
        let n = objects(&h).await;
        assert!(n <= 21, "{n} objects");
        let rows: Vec<PipelineEvent> = h.ctx.tables.read_date(d("2025-01-15")).await.unwrap();
        assert_eq!(rows.len(), 10_000);
        let mut ids: Vec<&str> = rows.iter().map(|r| r.event_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 10_000, "event ids are unique");
    }

    #[tokio::test]
    async fn the_lambda_request_id_names_the_objects() {
        let now = Utc.with_ymd_and_hms(2025, 1, 15, 13, 0, 0).unwrap();
        assert_eq!(EventLog::invocation_id("daily-health", now), "daily-health-20250115T130000000Z");
        let id = with_invocation("8f2c-11".into(), async { EventLog::invocation_id("daily-health", now) }).await;
        assert_eq!(id, "8f2c-11");
    }

    #[tokio::test]
    async fn one_object_per_invocation_and_date_and_no_secrets() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 13, 0, 0).unwrap());
        let log = EventLog::new(&h.ctx, "scrape", "req/2");
        log.record(NewEvent::new(EventKind::Start, d("2025-01-15")).phase(1)).await.unwrap();
        log.record(
            NewEvent::new(EventKind::Error, d("2025-01-15")).message("GET /v4/events?apiKey=sk-canary-123 failed"),
        )
        .await
        .unwrap();
        log.record(NewEvent::new(EventKind::Complete, d("2025-01-14")).status("success")).await.unwrap();
        assert_eq!(objects(&h).await, 0, "nothing is written before the end");
        assert_eq!(log.flush().await.unwrap(), 3);
        assert_eq!(log.flush().await.unwrap(), 0, "an empty buffer writes nothing");
        let keys: Vec<String> = h
            .ctx
            .blobs
            .list("tables/orchestration/pipeline_event_log/")
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.key)
            .collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(keys.iter().all(|k| k.ends_with("req-2-0000.parquet")), "{keys:?}");
        let rows: Vec<PipelineEvent> = h.ctx.tables.read_date(d("2025-01-15")).await.unwrap();
        assert_eq!(rows[1].event_type, "error");
        assert!(!rows[1].message.as_deref().unwrap().contains("sk-canary-123"));
    }
}
