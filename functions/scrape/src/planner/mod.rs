//! `plan-scrapes` (hourly 06:00-23:00 ET, and 01:00 and 04:00 ET): reads the stored schedule
//! and the workflow items, decides each workflow RUN or SKIP ([`workflows`]), enqueues the
//! jobs once per workflow, scraper, parameters and hour ([`crate::enqueue`]), updates the
//! workflow items ([`state`]) and writes every decision to `workflow_decisions`
//! ([`decisions`]).
//!
//! Input: `{}` (the schedule) or `{"backfill": true, "date": "YYYY-MM-DD"}` for a past date
//! (not after the clock's today: a backfill driver may set the clock to that morning).

pub mod backfill;
pub mod decisions;
pub mod state;
pub mod workflows;

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use props_core::identity::Season;
use props_core::lambda::{HandlerError, JsonHandler, check_input};
use props_core::tables::rows::raw::{PlayerBoxscoreRow, ScheduleRow};
use props_core::{Context, GameDate};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::enqueue::{hour_slot, send_jobs};
use workflows::{Plan, Situation, WorkflowState};

pub const FUNCTION: &str = "plan-scrapes";

pub struct PlanScrapes;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    #[serde(default)]
    backfill: bool,
    #[serde(default)]
    date: Option<GameDate>,
}

fn transient(e: &dyn std::fmt::Display) -> HandlerError {
    HandlerError::Transient(e.to_string())
}

/// What the live planner decides from, read from the tables and the state store.
pub async fn situation(ctx: &Context) -> Result<Situation, HandlerError> {
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let mut schedule = BTreeMap::new();
    let mut collected = BTreeMap::new();
    for d in [today.prev(), today] {
        let rows: Vec<ScheduleRow> = ctx.tables.read_date(d).await.map_err(|e| transient(&e))?;
        schedule.insert(d, rows);
        let box_scores: Vec<PlayerBoxscoreRow> = ctx.tables.read_date(d).await.map_err(|e| transient(&e))?;
        collected.insert(d, box_scores.into_iter().map(|r| r.game_id).collect::<BTreeSet<_>>());
    }
    let last_schedule_success = state::last_success(
        ctx,
        &[workflows::SCHEDULE_REFRESH, workflows::MORNING_OPERATIONS],
        &[today.prev(), today],
        "nba/schedule",
    )
    .await
    .map_err(|e| transient(&e))?;
    let mut st = BTreeMap::new();
    for w in [workflows::MORNING_OPERATIONS, workflows::BETTING_LINES, workflows::INJURY_WATCH] {
        st.insert(w, state::load(ctx, w, today).await.map_err(|e| transient(&e))?);
    }
    Ok(Situation { now, today, schedule, last_schedule_success, state: st, collected })
}

/// The date's schedule rows, or `None` when the schedule table has nothing of its season yet.
async fn backfill_games(ctx: &Context, date: GameDate) -> Result<Option<Vec<ScheduleRow>>, HandlerError> {
    let season = Season::containing(date);
    let known = ctx
        .tables
        .partitions("schedule")
        .await
        .map_err(|e| transient(&e))?
        .into_iter()
        .any(|d| Season::containing(d) == season);
    if !known {
        return Ok(None);
    }
    Ok(Some(ctx.tables.read_date(date).await.map_err(|e| transient(&e))?))
}

/// Decides, enqueues, records. Returns a summary of the decisions.
pub async fn plan(ctx: &Context, input: Value) -> Result<Value, HandlerError> {
    // An array would deserialize into the struct field by field: only an object is an input.
    check_input(FUNCTION, &input, &["backfill", "date"])?;
    let input: Input = if input.is_null() {
        Input::default()
    } else {
        serde_json::from_value(input).map_err(|e| HandlerError::Permanent(format!("plan-scrapes input: {e}")))?
    };
    let today = ctx.clock.today();
    if let Some(d) = input.date {
        d.plausible(today).map_err(|e| HandlerError::Permanent(format!("plan-scrapes: {e}")))?;
    }
    let (date, plans, live_state) = match (input.backfill, input.date) {
        (true, Some(d)) if d > today => {
            return Err(HandlerError::Permanent(format!(
                "plan-scrapes: backfill date {d} is after today ({today}); backfill is for past dates"
            )));
        }
        (true, Some(d)) => (d, backfill::backfill(d, backfill_games(ctx, d).await?.as_deref()), None),
        (true, None) => return Err(HandlerError::Permanent("plan-scrapes: backfill needs a `date`".into())),
        (false, Some(_)) => {
            return Err(HandlerError::Permanent(
                "plan-scrapes: `date` is only read with \"backfill\": true (live planning is always for today)".into(),
            ));
        }
        (false, None) => {
            let s = situation(ctx).await?;
            let plans = s.decide();
            (today, plans, Some(s.state))
        }
    };
    let slot = hour_slot(ctx.clock.now());
    let correlation = format!("plan-{slot}");
    let mut rows = Vec::new();
    let mut summary = Vec::new();
    for p in &plans {
        let (sent, duplicates) =
            if p.run { enqueue(ctx, p, &slot, &correlation, input.backfill).await? } else { (0, 0) };
        if p.run {
            let mut pregame: BTreeSet<String> = live_state
                .as_ref()
                .and_then(|s| s.get(p.workflow))
                .map(|s: &WorkflowState| s.pregame_games.clone())
                .unwrap_or_default();
            pregame.extend(p.pregame.iter().cloned());
            state::record_run(ctx, p.workflow, date, sent, &p.reason, &pregame).await.map_err(|e| transient(&e))?;
        }
        let decision = if p.run { "RUN" } else { "SKIP" };
        tracing::info!(workflow = p.workflow, decision, reason = %p.reason, jobs = sent, duplicates, game_date = %date, "workflow decision");
        summary.push(json!({"workflow": p.workflow, "decision": decision, "reason": p.reason, "jobs": sent, "duplicates": duplicates}));
        rows.push(decisions::row(ctx, date, p, sent, duplicates, input.backfill));
    }
    decisions::write(ctx, date, rows).await.map_err(|e| transient(&e))?;
    Ok(json!({
        "game_date": date,
        "mode": if input.backfill { "backfill" } else { "live" },
        "decisions": summary,
    }))
}

async fn enqueue(
    ctx: &Context,
    p: &Plan,
    slot: &str,
    correlation: &str,
    backfill: bool,
) -> Result<(usize, usize), HandlerError> {
    let (mut sent, mut dup) = (0, 0);
    for (date, job) in &p.jobs {
        let s = send_jobs(ctx, std::slice::from_ref(job), *date, slot, FUNCTION, correlation, backfill)
            .await
            .map_err(|e| transient(&e))?;
        sent += s.sent;
        dup += s.duplicates;
    }
    Ok((sent, dup))
}

#[async_trait]
impl JsonHandler for PlanScrapes {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        plan(ctx, input).await
    }
}
