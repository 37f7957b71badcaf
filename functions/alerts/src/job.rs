//! What every monitoring job does around its checks: resolve the date, log start and end to the
//! pipeline event log, send the report as ONE message, and return the JSON summary.

use props_core::events::{EventKind, EventLog, NewEvent};
use props_core::lambda::{HandlerError, check_input};
use props_core::ports::notifier::Delivery;
use props_core::{Context, GameDate};
use serde_json::{Value, json};

use crate::report::Report;

/// The game date a job looks at: `game_date` in the input (a date or TODAY/YESTERDAY/TOMORROW),
/// else today (US-Eastern).
pub fn target_date(ctx: &Context, input: &Value) -> Result<GameDate, HandlerError> {
    let permanent = |e: &dyn std::fmt::Display| HandlerError::Permanent(e.to_string());
    match input.get("game_date") {
        None | Some(Value::Null) => Ok(ctx.clock.today()),
        Some(Value::String(token)) => {
            { GameDate::resolve(token, ctx.clock.now()).map_err(|e| permanent(&e))?.plausible(ctx.clock.today()) }
                .map_err(|e| permanent(&e))
        }
        Some(other) => Err(HandlerError::Permanent(format!("`game_date` must be a string, got {other}"))),
    }
}

pub struct Job {
    pub name: &'static str,
    pub date: GameDate,
    pub log: EventLog,
}

impl Job {
    pub async fn start(ctx: &Context, name: &'static str, input: &Value) -> Result<Job, HandlerError> {
        check_input(name, input, &["game_date", "invocation_id"])?;
        let date = target_date(ctx, input)?;
        let invocation = match input.get("invocation_id").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => EventLog::invocation_id(name, ctx.clock.now()),
        };
        let log = EventLog::new(ctx, name, &invocation);
        let job = Job { name, date, log };
        job.event(NewEvent::new(EventKind::Start, date)).await;
        Ok(job)
    }

    /// Records an event; the event log is best effort for a monitoring job (its report must
    /// still go out), so a failed write is logged, not raised.
    pub async fn event(&self, e: NewEvent) {
        if let Err(err) = self.log.record(e).await {
            tracing::warn!(job = self.name, "event log write failed: {err}");
        }
    }

    /// Sends the report (when `send`), records the outcome and returns the summary.
    pub async fn finish(self, ctx: &Context, report: Report, send: bool) -> Value {
        let report = report.redacted(&ctx.config.redactor());
        let mut summary = report.summary();
        if send {
            let alert = report.alert();
            let delivery = ctx.notifier.notify(&alert).await;
            // The event's status is the delivery outcome, so failed and suppressed alerts can be
            // counted from the event log.
            let (status, outcome) = match &delivery {
                Delivery::Sent { attempts } => ("sent", format!("sent after {attempts} attempt(s)")),
                Delivery::Logged => ("logged", "logged".to_string()),
                Delivery::Suppressed => ("suppressed", "suppressed (quiet period)".to_string()),
                Delivery::Failed { attempts, reason } => {
                    ("failed", format!("failed after {attempts} attempt(s): {reason}"))
                }
            };
            let message = format!("[{}] {}: {outcome}", alert.severity.as_str(), alert.title);
            self.event(NewEvent::new(EventKind::Alert, self.date).status(status).message(message)).await;
            summary["alert"] = json!({"severity": alert.severity, "title": alert.title, "delivery": outcome});
        } else {
            summary["alert"] = Value::Null;
        }
        let status = serde_json::to_value(report.worst()).ok().and_then(|v| v.as_str().map(str::to_string));
        self.event(NewEvent::new(EventKind::Complete, self.date).status(status.unwrap_or_default())).await;
        if let Err(e) = self.log.flush().await {
            tracing::warn!(job = self.name, "event log flush failed: {e}");
        }
        summary
    }
}
