//! `self-heal` (12:45 ET): yesterday without summaries, today and tomorrow without active
//! predictions → re-enqueue what is missing; one Slack report of what it did.

use async_trait::async_trait;
use props_core::events::{EventKind, NewEvent, emit};
use props_core::lambda::{HandlerError, JsonHandler, check_input};
use props_core::ports::{Alert, Severity};
use props_core::{Context, GameDate};
use serde_json::{Value, json};

use crate::diagnose::{self, Diagnosis};

pub const FUNCTION: &str = "self-heal";

pub struct SelfHeal;

/// Self-heal's events are on the day it runs (one event-log object per run); each names the
/// date it is about.
fn event(kind: EventKind, today: GameDate) -> NewEvent {
    NewEvent::new(kind, today).processor(FUNCTION)
}

pub async fn heal(ctx: &Context) -> Result<Value, HandlerError> {
    let today = ctx.clock.today();
    emit(event(EventKind::Start, today)).await;
    let result = heal_dates(ctx, today).await;
    match &result {
        Ok(out) => {
            let n = out["actions"].as_array().map_or(0, Vec::len);
            let status = if n == 0 { "nothing_to_heal" } else { "healed" };
            emit(event(EventKind::Complete, today).status(status).message(format!("{n} job(s) re-enqueued"))).await;
        }
        Err(e) => emit(event(EventKind::Error, today).status("failed").message(e.to_string())).await,
    }
    result
}

async fn heal_dates(ctx: &Context, today: GameDate) -> Result<Value, HandlerError> {
    let transient = |e: &dyn std::fmt::Display| HandlerError::Transient(e.to_string());
    let mut diagnoses: Vec<Diagnosis> = vec![diagnose::played(ctx, today.prev()).await.map_err(|e| transient(&e))?];
    for d in [today, today.next()] {
        diagnoses.push(diagnose::upcoming(ctx, d).await.map_err(|e| transient(&e))?);
    }
    let mut done = Vec::new();
    for diag in &diagnoses {
        if diag.actions.is_empty() {
            let checks: Vec<&str> = diag.checks.iter().map(|c| c.what.as_str()).collect();
            let m = format!("{}: nothing to do ({})", diag.date, checks.join("; "));
            emit(event(EventKind::Skip, today).status("healthy").message(m)).await;
        }
        for (label, queue, env) in &diag.actions {
            ctx.queue.send(*queue, &env.to_json()).await.map_err(|e| transient(&e))?;
            tracing::info!(game_date = %diag.date, action = %label, queue = %queue, "self-heal action");
            let line = format!("{}: {label} ({queue})", diag.date);
            emit(event(EventKind::Trigger, today).status("enqueued").message(line.clone())).await;
            done.push(line);
        }
    }
    if !done.is_empty() {
        let mut alert = Alert::new(Severity::Warning, FUNCTION, format!("Self-heal re-enqueued {} job(s)", done.len()));
        for line in &done {
            alert = alert.line(line.clone());
        }
        ctx.notifier.notify(&alert).await;
        emit(event(EventKind::Alert, today).status(alert.severity.as_str()).message(alert.title.clone())).await;
    }
    Ok(json!({
        "actions": done,
        "dates": diagnoses.iter().map(|d| json!({
            "game_date": d.date, "games": d.games,
            "checks": d.checks.iter().map(|c| json!({"phase": c.phase, "what": c.what, "ok": c.ok})).collect::<Vec<_>>()
        })).collect::<Vec<_>>(),
    }))
}

#[async_trait]
impl JsonHandler for SelfHeal {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        check_input(FUNCTION, &input, &[])?;
        heal(ctx).await
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};
    use props_core::GameDate;
    use props_core::ports::{Queue, QueueName};
    use props_core::testkit::Harness;
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Clone, Debug, Serialize, Deserialize)]
    struct Sched {
        game_date: GameDate,
        game_id: String,
        #[serde(with = "props_core::tables::ts")]
        processed_at: DateTime<Utc>,
        data_hash: String,
    }
    props_core::table_row!(Sched, "schedule", game_date);

    #[derive(Clone, Debug, Serialize, Deserialize)]
    struct Ctx {
        game_date: GameDate,
        player_lookup: String,
        #[serde(with = "props_core::tables::ts")]
        processed_at: DateTime<Utc>,
        data_hash: String,
    }
    props_core::table_row!(Ctx, "upcoming_player_game_context", game_date);

    fn sched(d: GameDate, g: &str) -> Sched {
        Sched { game_date: d, game_id: g.into(), processed_at: DateTime::<Utc>::MIN_UTC, data_hash: String::new() }
    }

    #[tokio::test]
    async fn heals_missing_summaries_and_predictions_and_reports_once() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 17, 45, 0).unwrap()); // 12:45 ET
        let today: GameDate = "2025-01-15".parse().unwrap();
        let t = &h.ctx.tables;
        t.replace(today.prev(), vec![sched(today.prev(), "a"), sched(today.prev(), "b")]).await.unwrap();
        t.replace(today, vec![sched(today, "c")]).await.unwrap();
        t.replace(
            today,
            vec![Ctx {
                game_date: today,
                player_lookup: "x".into(),
                processed_at: DateTime::<Utc>::MIN_UTC,
                data_hash: String::new(),
            }],
        )
        .await
        .unwrap();
        let out = heal(&h.ctx).await.unwrap();
        let actions: Vec<String> =
            out["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
        assert_eq!(
            actions,
            [
                "2025-01-14: re-scrape box scores (scrape-jobs)",
                "2025-01-14: re-scrape box scores (scrape-jobs)",
                "2025-01-14: re-run game summaries (analytics-jobs)",
                "2025-01-15: force phase 4 (precompute-jobs)",
            ]
        );
        assert_eq!(h.queue.depth(QueueName::ScrapeJobs).await.unwrap().visible, 2);
        assert_eq!(h.queue.depth(QueueName::PrecomputeJobs).await.unwrap().visible, 1);
        assert_eq!(h.alerts.alerts().len(), 1, "one report per run");
        assert_eq!(h.alerts.alerts()[0].lines.len(), 4);
    }

    #[tokio::test]
    async fn a_healthy_or_empty_calendar_does_nothing() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 7, 15, 17, 45, 0).unwrap());
        let out = heal(&h.ctx).await.unwrap();
        assert!(out["actions"].as_array().unwrap().is_empty());
        assert!(h.alerts.alerts().is_empty());
    }
}
