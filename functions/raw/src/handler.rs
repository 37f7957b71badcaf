//! `process-raw`: consumes `RawPayloadStored` from `raw-payloads`.

use async_trait::async_trait;
use props_core::Context;
use props_core::events::{EventKind, NewEvent, emit};
use props_core::lambda::{EnvelopeHandler, HandlerError};
use props_core::messages::{Envelope, RawPayloadStored};

use crate::process::process_key;

pub struct ProcessRaw;

#[async_trait]
impl EnvelopeHandler for ProcessRaw {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
        let p: RawPayloadStored = envelope.payload().map_err(|e| HandlerError::Permanent(e.to_string()))?;
        let event = |kind| {
            NewEvent::new(kind, envelope.game_date)
                .phase(2)
                .processor(p.source.chars().take(60).collect::<String>())
                .correlation(envelope.correlation_id.clone())
        };
        emit(event(EventKind::Start).message(p.key.clone())).await;
        match process_key(ctx, &p.key).await {
            Ok(done) => {
                if let Some(q) = &done.quarantined {
                    // Acknowledged on purpose: the payload is kept in quarantine and alerted.
                    tracing::error!(key = %p.key, error = %q, "payload quarantined");
                    emit(event(EventKind::Error).status("quarantined").message(format!("{}: {q}", p.key))).await;
                    return Ok(());
                }
                tracing::info!(key = %p.key, partitions = done.partitions.len(), "processed");
                let written = done.partitions.iter().filter(|w| w.written).count();
                let (kind, status) = if written == 0 && !done.partitions.is_empty() {
                    (EventKind::Skip, "skipped_unchanged")
                } else {
                    (EventKind::Complete, "success")
                };
                let tables: Vec<String> =
                    done.partitions.iter().map(|w| format!("{} {} ({} rows)", w.table, w.game_date, w.rows)).collect();
                let m = format!("{written} of {} partitions written: {}", done.partitions.len(), tables.join(", "));
                emit(event(kind).status(status).message(m)).await;
                Ok(())
            }
            Err(e) => {
                let transient = e.is_transient();
                let status = if transient { "failed_transient" } else { "failed_permanent" };
                emit(event(EventKind::Error).status(status).message(e.to_string())).await;
                if transient {
                    Err(HandlerError::Transient(e.to_string()))
                } else {
                    Err(HandlerError::Permanent(e.to_string()))
                }
            }
        }
    }
}
