//! `retry-failed` (every 15 min): claims due retry items (one conditional write each, so two
//! schedulers never double-enqueue) and re-enqueues the processor's job.

use async_trait::async_trait;
use props_core::events::{EventKind, NewEvent, emit};
use props_core::lambda::{HandlerError, JsonHandler, check_input};
use props_core::pipeline::Phase;
use props_core::pipeline::retry_queue::{claim, due};
use props_core::{Context, GameDate};
use serde_json::{Value, json};

use crate::jobs;

pub const FUNCTION: &str = "retry-failed";

pub struct RetryFailed;

/// The run's events are on the day it runs (one event-log object per run); each requeue names
/// its processor and date. (The failed run itself recorded its retry on its own date.)
fn event(kind: EventKind, today: GameDate) -> NewEvent {
    NewEvent::new(kind, today)
}

pub async fn retry_due(ctx: &Context) -> Result<Value, HandlerError> {
    let today = ctx.clock.today();
    emit(event(EventKind::Start, today).processor(FUNCTION)).await;
    let result = requeue_due(ctx, today).await;
    match &result {
        Ok(out) => {
            let n = out["requeued"].as_array().map_or(0, Vec::len);
            let m = format!("{n} retr(ies) requeued, {} unreadable", out["unreadable"]);
            emit(event(EventKind::Complete, today).processor(FUNCTION).status("success").message(m)).await;
        }
        Err(e) => {
            emit(event(EventKind::Error, today).processor(FUNCTION).status("failed").message(e.to_string())).await
        }
    }
    result
}

async fn requeue_due(ctx: &Context, today: GameDate) -> Result<Value, HandlerError> {
    let transient = |e: &dyn std::fmt::Display| HandlerError::Transient(e.to_string());
    let now = ctx.clock.now();
    let mut requeued = Vec::new();
    let mut skipped = 0;
    for item in due(ctx.state.as_ref(), now).await.map_err(|e| transient(&e))? {
        let parsed = (|| {
            let phase = Phase::from_number(u8::try_from(item.get_i64("phase")?).ok()?)?;
            let processor = item.get_str("processor")?.to_string();
            let date: GameDate = item.get_str("game_date")?.parse().ok()?;
            Some((phase, processor, date))
        })();
        let Some((phase, processor, date)) = parsed else {
            tracing::error!(pk = %item.pk, "unreadable retry item skipped");
            let m = format!("unreadable retry item {} skipped", item.pk);
            emit(event(EventKind::Error, today).processor(FUNCTION).status("unreadable").message(m)).await;
            skipped += 1;
            continue;
        };
        let about = |kind| event(kind, today).phase(phase.number()).processor(processor.clone());
        if !claim(ctx.state.as_ref(), &item, now).await.map_err(|e| transient(&e))? {
            emit(about(EventKind::Skip).status("claimed_elsewhere").message(format!("{date}"))).await;
            continue; // another instance claimed it
        }
        let attempt = item.get_i64("retry_count").unwrap_or(1);
        let (queue, env) = jobs::rerun(phase, date, &[processor.as_str()], &format!("retry:{attempt}"), now)
            .map_err(|e| transient(&e))?;
        ctx.queue.send(queue, &env.to_json()).await.map_err(|e| transient(&e))?;
        let m = format!("{date}: attempt {attempt} requeued on {queue}");
        emit(about(EventKind::Retry).status("requeued").message(m)).await;
        requeued.push(json!({"processor": processor, "game_date": date, "attempt": attempt, "queue": queue.as_str()}));
    }
    Ok(json!({"requeued": requeued, "unreadable": skipped}))
}

#[async_trait]
impl JsonHandler for RetryFailed {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        check_input(FUNCTION, &input, &[])?;
        retry_due(ctx).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use props_core::Clock;
    use props_core::messages::{Envelope, PhaseTrigger};
    use props_core::pipeline::retry_queue::record_transient_failure;
    use props_core::ports::{Queue, QueueName};
    use props_core::testkit::Harness;

    #[tokio::test]
    async fn due_retries_are_requeued_once_even_with_two_schedulers() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0).unwrap());
        let d: GameDate = "2025-01-15".parse().unwrap();
        record_transient_failure(h.ctx.state.as_ref(), 3, "player_game_summary", d, "timeout", h.clock.now())
            .await
            .unwrap();
        assert_eq!(retry_due(&h.ctx).await.unwrap()["requeued"].as_array().unwrap().len(), 0, "not due yet");
        h.clock.advance(Duration::minutes(16));
        let other = h.sibling();
        let (a, b) = tokio::join!(retry_due(&h.ctx), retry_due(&other));
        let n = a.unwrap()["requeued"].as_array().unwrap().len() + b.unwrap()["requeued"].as_array().unwrap().len();
        assert_eq!(n, 1);
        let msgs = h.queue.receive(QueueName::AnalyticsJobs, 10, std::time::Duration::from_secs(60)).await.unwrap();
        assert_eq!(msgs.len(), 1);
        let t: PhaseTrigger = Envelope::parse(&msgs[0].body).unwrap().payload().unwrap();
        assert_eq!((t.to_phase, t.processors.as_slice()), (3, ["player_game_summary".to_string()].as_slice()));
    }
}
