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
/// (one object per date touched). A failed flush is logged, never fatal: table data is written
/// before events, so losing events never loses data.
pub async fn in_invocation<F: Future>(ctx: &Context, function: &str, id: String, fut: F) -> F::Output {
    let log = Arc::new(EventLog::new(ctx, function, &id));
    let out = LOG.scope(log.clone(), with_invocation(id, fut)).await;
    if let Err(e) = log.flush().await {
        tracing::error!(function, "event log not written: {e}");
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
