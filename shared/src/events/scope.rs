//! The invocation's event log, held in a task-local so that any code on the invocation's path
//! records into the ONE buffer of that invocation without passing it around. The serving loop
//! (and the local runner) open the scope and flush once at the end; outside a scope events go
//! to the log only.

use std::future::Future;
use std::sync::Arc;

use super::log::{EventLog, NewEvent, with_invocation};
use crate::context::Context;

tokio::task_local! {
    static LOG: Arc<EventLog>;
}

/// Runs `fut` as invocation `id` of `function` with its own event log, then flushes the log
/// (one object per date touched) and adds the invocation's request counts to the day's metrics
/// item (one update). A failed flush is logged, never fatal: table data is written before
/// events, so losing events never loses data, and unwritten counts wait for the next flush.
pub async fn in_invocation<F: Future>(ctx: &Context, function: &str, id: String, fut: F) -> F::Output {
    let log = Arc::new(EventLog::new(ctx, function, &id));
    let out = LOG.scope(log.clone(), with_invocation(id, fut)).await;
    if let Err(e) = log.flush().await {
        tracing::error!(function, "event log not written: {e}");
    }
    if let Err(e) = ctx.metrics.flush().await {
        tracing::warn!(function, "request counts not written: {e}");
    }
    out
}

/// Records an event in the current invocation's log (tracing only outside one).
pub async fn emit(event: NewEvent) {
    let log = LOG.try_with(Arc::clone).ok();
    tracing::info!(
        event = event.kind.as_str(),
        game_date = %event.game_date,
        processor = event.processor.as_deref().unwrap_or(""),
        status = event.status.as_deref().unwrap_or(""),
        "{}",
        event.message.as_deref().unwrap_or("")
    );
    if let Some(log) = log {
        if let Err(e) = log.record(event).await {
            tracing::error!("event log flush failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bytes::Bytes;
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::adapters::local::{DirBlobStore, MemoryQueue, SqliteStateStore};
    use crate::clock::ManualClock;
    use crate::config::Config;
    use crate::events::{EventKind, NewEvent};
    use crate::metrics::{CountingStateStore, Op, RequestCounts, read_day};
    use crate::notify::LogNotifier;
    use crate::ports::{StateStore, Update};

    #[tokio::test]
    async fn an_invocation_adds_its_request_counts_with_one_write() {
        let dir = tempfile::tempdir().unwrap();
        // Counts every call reaching the store, the metrics write included.
        let underneath = Arc::new(RequestCounts::default());
        let sqlite: Arc<dyn StateStore> = Arc::new(SqliteStateStore::open(dir.path().join("s.db")).unwrap());
        let state = Arc::new(CountingStateStore::new(sqlite.clone(), underneath.clone()));
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2025, 1, 15, 17, 0, 0).unwrap());
        let ctx = Context::from_parts(
            Config::from_lookup(|_| None).unwrap(),
            Arc::new(DirBlobStore::new(dir.path().join("b"))),
            state,
            Arc::new(MemoryQueue::new()),
            Arc::new(LogNotifier),
            Arc::new(clock),
        );
        let date = "2025-01-15".parse().unwrap();
        let work = async {
            for i in 0..3 {
                ctx.state.update("X", &i.to_string(), Update::new().add("n", 1), None).await.unwrap();
            }
            ctx.blobs.put("a/b", Bytes::from_static(b"x")).await.unwrap();
            ctx.blobs.get("a/b").await.unwrap();
            emit(NewEvent::new(EventKind::Start, date)).await;
        };
        in_invocation(&ctx, "test", "req-1".into(), work).await;
        assert_eq!(underneath.take().get(Op::DynamoUpdate), 3 + 1, "three updates of the work, one metrics write");

        let day = read_day(sqlite.as_ref(), date).await.unwrap();
        assert_eq!(day.get(Op::DynamoUpdate), 4, "the metrics write counts itself");
        // The work's put and get, and the event-log object: a read of the object's old hash
        // (an unchanged rewrite is skipped) and its put.
        assert_eq!((day.get(Op::S3Put), day.get(Op::S3Get)), (2, 2));
        assert_eq!(day.dynamo_reads(), 0);

        in_invocation(&ctx, "test", "req-2".into(), async {
            ctx.blobs.list("a/").await.unwrap();
        })
        .await;
        in_invocation(&ctx, "test", "req-3".into(), async {}).await;
        assert_eq!(underneath.take().get(Op::DynamoUpdate), 1, "one write for the second, none for the idle third");
        let day = read_day(sqlite.as_ref(), date).await.unwrap();
        assert_eq!((day.get(Op::S3List), day.get(Op::DynamoUpdate), day.s3()), (1, 5, 5));
    }
}
