use async_trait::async_trait;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};

use super::HandlerError;
use crate::context::Context;
use crate::events::{EventKind, NewEvent, emit};
use crate::messages::Envelope;
use crate::pipeline::dedup;
use crate::ports::queue::MAX_MESSAGE_BYTES;

#[async_trait]
pub trait EnvelopeHandler: Send + Sync {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError>;

    /// Called once after a batch (an invocation): handlers that buffer table rows write them
    /// here as ONE object (DESIGN §8), instead of one write per record.
    async fn finish(&self, _ctx: &Context) {}

    /// Records of one batch with the same key do the same work: only the last of them is
    /// handled, and the others share its outcome. For handlers whose work depends on what the
    /// tables hold when it runs, not on the message (a processor re-run for a date): ten line
    /// snapshots arriving together need one context run, not ten. `None` (the default): every
    /// record is handled.
    fn coalesce_key(&self, _envelope: &Envelope) -> Option<String> {
        None
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordOutcome {
    Handled,
    /// Unreadable: logged with its body, dropped (acknowledged), never retried.
    Malformed(String),
    /// For a game date older than the stale limit: acknowledged, no work done.
    StaleSkipped,
    /// The last message handled in its slot, again ([`Envelope::handled_slot`]): acknowledged, no work done.
    Duplicate,
    /// The handler failed: the record is reported as a batch item failure.
    Failed(String),
}

impl RecordOutcome {
    /// Whether the queue should redeliver the record.
    pub fn redeliver(&self) -> bool {
        matches!(self, RecordOutcome::Failed(_))
    }
}

/// Runs one message body through the handler (shared by Lambda and the local runner).
pub async fn process_record<H: EnvelopeHandler + ?Sized>(
    ctx: &Context,
    handler: &H,
    function: &str,
    body: &str,
) -> RecordOutcome {
    let redactor = ctx.config.redactor();
    if body.len() > MAX_MESSAGE_BYTES {
        let e = format!("message is {} bytes, over the {MAX_MESSAGE_BYTES}-byte queue limit", body.len());
        tracing::error!(function, error = %e, "dropping oversized message");
        return RecordOutcome::Malformed(e);
    }
    let envelope = match Envelope::parse(body) {
        Ok(e) => e,
        Err(e) => {
            let shown: String = redactor.redact(body).chars().take(2_000).collect();
            tracing::error!(function, error = %e, body = %shown, "dropping malformed message");
            return RecordOutcome::Malformed(e.to_string());
        }
    };
    if let Err(e) = envelope.game_date.plausible(ctx.clock.today()) {
        tracing::error!(function, error = %e, kind = envelope.kind.as_str(), "dropping message for an impossible date");
        return RecordOutcome::Malformed(e.to_string());
    }
    if envelope.is_stale(ctx.clock.today(), ctx.config.stale_limit_days) {
        let e = NewEvent::new(EventKind::Skip, envelope.game_date)
            .processor(function)
            .status("stale_skipped")
            .message(format!("{} older than {} days", envelope.kind.as_str(), ctx.config.stale_limit_days))
            .correlation(envelope.correlation_id.clone());
        emit(e).await;
        return RecordOutcome::StaleSkipped;
    }
    let span = tracing::info_span!("message", function, game_date = %envelope.game_date, kind = envelope.kind.as_str(), correlation_id = %envelope.correlation_id);
    let _enter = span.enter();
    let slot = envelope.handled_slot().map(|s| format!("{function}#{s}"));
    let content = envelope.idempotency_key.clone();
    if let Some(slot) = &slot {
        match dedup::handled(ctx.state.as_ref(), slot, &content, ctx.clock.now()).await {
            Ok(true) => return RecordOutcome::Duplicate,
            Ok(false) => {}
            // Unsure: handle it again (harmless for these kinds) rather than lose it.
            Err(e) => tracing::warn!(function, error = %e, "duplicate check failed; handling the message"),
        }
    }
    match handler.handle(ctx, envelope).await {
        Ok(()) => {
            if let Some(slot) = &slot
                && let Err(e) =
                    dedup::mark_handled(ctx.state.as_ref(), slot, &content, ctx.clock.now(), dedup::DEFAULT_TTL).await
            {
                tracing::warn!(function, error = %e, "could not record the message as handled");
            }
            RecordOutcome::Handled
        }
        Err(e) => {
            let msg = redactor.redact(&e.to_string());
            tracing::warn!(function, error = %msg, "record failed");
            RecordOutcome::Failed(msg)
        }
    }
}

/// The records of one invocation, in order, then `finish`: one outcome per body. Records with
/// the same [`EnvelopeHandler::coalesce_key`] are handled once, at the last one's place (shared
/// by Lambda and the local runner).
pub async fn process_bodies<H: EnvelopeHandler + ?Sized>(
    ctx: &Context,
    handler: &H,
    function: &str,
    bodies: &[&str],
) -> Vec<RecordOutcome> {
    let keys: Vec<Option<String>> =
        bodies.iter().map(|b| Envelope::parse(b).ok().and_then(|e| handler.coalesce_key(&e))).collect();
    let mut outcomes: Vec<Option<RecordOutcome>> = bodies.iter().map(|_| None).collect();
    for (i, body) in bodies.iter().enumerate() {
        let later = keys[i].is_some() && keys[i + 1..].contains(&keys[i]);
        if later {
            continue;
        }
        let outcome = process_record(ctx, handler, function, body).await;
        if keys[i].is_some() {
            for (j, k) in keys[..i].iter().enumerate() {
                if *k == keys[i] {
                    outcomes[j] = Some(outcome.clone());
                }
            }
        }
        outcomes[i] = Some(outcome);
    }
    handler.finish(ctx).await;
    outcomes.into_iter().map(|o| o.unwrap_or(RecordOutcome::Handled)).collect()
}

/// An SQS batch → the partial-failure response: only failed records are redelivered.
pub async fn process_batch<H: EnvelopeHandler + ?Sized>(
    ctx: &Context,
    handler: &H,
    function: &str,
    event: SqsEvent,
) -> SqsBatchResponse {
    let bodies: Vec<&str> = event.records.iter().map(|r| r.body.as_deref().unwrap_or("")).collect();
    let outcomes = process_bodies(ctx, handler, function, &bodies).await;
    let mut response = SqsBatchResponse::default();
    for (record, outcome) in event.records.iter().zip(outcomes) {
        if outcome.redeliver() {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = record.message_id.clone().unwrap_or_default();
            response.batch_item_failures.push(failure);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use aws_lambda_events::event::sqs::SqsMessage;
    use chrono::TimeZone;

    use super::*;
    use crate::adapters::local::{DirBlobStore, MemoryQueue, SqliteStateStore};
    use crate::clock::ManualClock;
    use crate::config::Config;
    use crate::messages::{PublishJob, TableUpdated};
    use crate::notify::LogNotifier;

    struct FailOnTable {
        calls: AtomicUsize,
    }

    #[async_trait]
    impl EnvelopeHandler for FailOnTable {
        async fn handle(&self, _ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let p: TableUpdated = envelope.payload().map_err(|e| HandlerError::Permanent(e.to_string()))?;
            if p.table == "boom" { Err(HandlerError::Transient("upstream not ready".into())) } else { Ok(()) }
        }
    }

    fn ctx(dir: &std::path::Path) -> Context {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2025, 1, 20, 15, 0, 0).unwrap());
        Context::from_parts(
            Config::from_lookup(|_| None).unwrap(),
            Arc::new(DirBlobStore::new(dir.join("b"))),
            Arc::new(SqliteStateStore::open(dir.join("s.db")).unwrap()),
            Arc::new(MemoryQueue::new()),
            Arc::new(LogNotifier),
            Arc::new(clock),
        )
    }

    fn record(id: &str, body: String) -> SqsMessage {
        let mut m = SqsMessage::default();
        m.message_id = Some(id.to_string());
        m.body = Some(body);
        m
    }

    fn updated(table: &str, date: &str) -> String {
        updated_to(table, date, "h")
    }

    fn updated_to(table: &str, date: &str, hash: &str) -> String {
        let p = TableUpdated { table: table.into(), rows: 1, data_hash: hash.into() };
        Envelope::new(&p, date.parse().unwrap(), 2, "test", "c", Utc::now(), false).unwrap().to_json()
    }

    use chrono::Utc;

    #[tokio::test]
    async fn a_batch_reports_only_failed_records() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx(dir.path());
        let handler = FailOnTable { calls: AtomicUsize::new(0) };
        let mut event = SqsEvent::default();
        event.records = vec![
            record("ok", updated("schedule", "2025-01-19")),
            record("fails", updated("boom", "2025-01-19")),
            record("malformed", "{\"kind\":\"Nope\"}".into()),
            record("stale", updated("schedule", "2025-01-02")),
            record("wrong-payload", {
                let p = PublishJob { predictions: 1, output_hash: "h".into() };
                Envelope::new(&p, "2025-01-19".parse().unwrap(), 5, "t", "c", Utc::now(), false).unwrap().to_json()
            }),
        ];
        let resp = process_batch(&ctx, &handler, "test", event).await;
        let failed: Vec<_> = resp.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
        assert_eq!(failed, ["fails", "wrong-payload"]);
        assert_eq!(handler.calls.load(Ordering::SeqCst), 3, "malformed and stale records never reach the handler");
    }

    #[tokio::test]
    async fn a_thousand_stale_messages_do_no_work() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx(dir.path());
        let handler = FailOnTable { calls: AtomicUsize::new(0) };
        let mut event = SqsEvent::default();
        event.records = (0..1000).map(|i| record(&i.to_string(), updated("boom", "2024-12-01"))).collect();
        let resp = process_batch(&ctx, &handler, "test", event).await;
        assert!(resp.batch_item_failures.is_empty());
        assert_eq!(handler.calls.load(Ordering::SeqCst), 0);
    }

    /// Coalesces by table: records the order tables were handled in.
    struct ByTable {
        handled: std::sync::Mutex<Vec<String>>,
    }

    #[async_trait]
    impl EnvelopeHandler for ByTable {
        async fn handle(&self, _ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
            let p: TableUpdated = envelope.payload().map_err(|e| HandlerError::Permanent(e.to_string()))?;
            self.handled.lock().unwrap().push(p.table.clone());
            if p.table == "boom" { Err(HandlerError::Transient("upstream not ready".into())) } else { Ok(()) }
        }
        fn coalesce_key(&self, envelope: &Envelope) -> Option<String> {
            envelope.payload::<TableUpdated>().ok().map(|p| format!("{}|{}", envelope.game_date, p.table))
        }
    }

    #[tokio::test]
    async fn records_with_one_key_are_handled_once_at_the_last_place_and_share_its_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx(dir.path());
        let handler = ByTable { handled: Default::default() };
        let mut event = SqsEvent::default();
        event.records = vec![
            record("a1", updated("a", "2025-01-19")),
            record("boom1", updated("boom", "2025-01-19")),
            record("b", updated("b", "2025-01-19")),
            record("a2", updated("a", "2025-01-19")),
            record("a-other-day", updated("a", "2025-01-18")),
            record("boom2", updated("boom", "2025-01-19")),
            record("malformed", "{}".into()),
        ];
        let resp = process_batch(&ctx, &handler, "test", event).await;
        assert_eq!(*handler.handled.lock().unwrap(), ["b", "a", "a", "boom"]);
        let failed: Vec<_> = resp.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
        assert_eq!(failed, ["boom1", "boom2"], "a failure is every coalesced record's, so SQS redelivers them all");
    }

    #[tokio::test]
    async fn a_redelivery_of_the_last_handled_message_is_a_duplicate_but_a_failed_one_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ctx(dir.path());
        let handler = FailOnTable { calls: AtomicUsize::new(0) };
        let ok = updated("schedule", "2025-01-19");
        assert_eq!(process_record(&ctx, &handler, "test", &ok).await, RecordOutcome::Handled);
        assert_eq!(process_record(&ctx, &handler, "test", &ok).await, RecordOutcome::Duplicate);
        assert_eq!(process_record(&ctx, &handler, "other-function", &ok).await, RecordOutcome::Handled);
        let changed = updated_to("schedule", "2025-01-19", "h2");
        assert_eq!(process_record(&ctx, &handler, "test", &changed).await, RecordOutcome::Handled);
        assert_eq!(
            process_record(&ctx, &handler, "test", &ok).await,
            RecordOutcome::Handled,
            "the partition went back to its first content: its readers must run again"
        );
        let boom = updated("boom", "2025-01-19");
        assert!(process_record(&ctx, &handler, "test", &boom).await.redeliver());
        assert!(process_record(&ctx, &handler, "test", &boom).await.redeliver(), "not handled: tried again");
        assert_eq!(handler.calls.load(Ordering::SeqCst), 6);
        let publish = Envelope::new(
            &PublishJob { predictions: 1, output_hash: "h".into() },
            "2025-01-19".parse().unwrap(),
            5,
            "t",
            "c",
            Utc::now(),
            false,
        )
        .unwrap()
        .to_json();
        process_record(&ctx, &handler, "test", &publish).await;
        process_record(&ctx, &handler, "test", &publish).await;
        assert_eq!(handler.calls.load(Ordering::SeqCst), 8, "other kinds are handled every time");
    }
}
