//! Workflow items (`WORKFLOW#{name}#{game_date}`, DESIGN §4): the planner's last run, status and
//! attempts (sk `STATE`), and each scraper's last outcome for the workflow (sk
//! `SCRAPER#{source}`), written by `scrape` — "no successful schedule scrape in 6 h" is read
//! from the latter.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use props_core::ports::{StateError, Update};
use props_core::{Context, GameDate};
use serde_json::Value;

use super::workflows::WorkflowState;
use crate::executions::ExecStatus;

const STATE: &str = "STATE";

pub fn pk(workflow: &str, date: GameDate) -> String {
    format!("WORKFLOW#{workflow}#{date}")
}

fn parse_time(s: Option<&str>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|t| t.with_timezone(&Utc))
}

pub async fn load(ctx: &Context, workflow: &str, date: GameDate) -> Result<WorkflowState, StateError> {
    let Some(item) = ctx.state.get(&pk(workflow, date), STATE).await? else {
        return Ok(WorkflowState::default());
    };
    let pregame_games = item
        .attrs
        .get("pregame_games")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    Ok(WorkflowState {
        last_run_at: parse_time(item.get_str("last_run_at")),
        attempts: item.get_i64("attempts").unwrap_or(0),
        pregame_games,
    })
}

/// The planner enqueued a run of `workflow` for `date`.
pub async fn record_run(
    ctx: &Context,
    workflow: &str,
    date: GameDate,
    jobs: usize,
    reason: &str,
    pregame: &BTreeSet<String>,
) -> Result<(), StateError> {
    let now = ctx.clock.now();
    let mut u = Update::new()
        .set("last_run_at", now.to_rfc3339())
        .set("status", "enqueued")
        .set("jobs", jobs as i64)
        .set("reason", reason.chars().take(1_000).collect::<String>())
        .add("attempts", 1);
    if !pregame.is_empty() {
        u = u.set("pregame_games", pregame.iter().cloned().map(Value::from).collect::<Vec<_>>());
    }
    ctx.state.update(&pk(workflow, date), STATE, u, None).await.map(|_| ())
}

/// A job of `workflow` for `date` finished with `status`.
pub async fn record_scrape(
    ctx: &Context,
    workflow: &str,
    date: GameDate,
    source: &str,
    status: ExecStatus,
) -> Result<(), StateError> {
    let now = ctx.clock.now().to_rfc3339();
    let mut u = Update::new().set("last_status", status.as_str()).set("last_finished_at", now.clone()).add("runs", 1);
    if matches!(status, ExecStatus::Success | ExecStatus::NoData) {
        u = u.set("last_success_at", now);
    }
    let sk = format!("SCRAPER#{}", source.chars().take(60).collect::<String>());
    ctx.state.update(&pk(workflow, date), &sk, u, None).await.map(|_| ())
}

/// The newest successful `source` scrape among `workflows` on `dates`.
pub async fn last_success(
    ctx: &Context,
    workflows: &[&str],
    dates: &[GameDate],
    source: &str,
) -> Result<Option<DateTime<Utc>>, StateError> {
    let mut best = None;
    for w in workflows {
        for d in dates {
            if let Some(item) = ctx.state.get(&pk(w, *d), &format!("SCRAPER#{source}")).await? {
                best = best.max(parse_time(item.get_str("last_success_at")));
            }
        }
    }
    Ok(best)
}
