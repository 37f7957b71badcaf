//! What a game date is missing, phase by phase, and what to enqueue about it. Reads tables by
//! column name, so it works whatever phases are deployed.

use props_core::messages::{Envelope, EnvelopeError};
use props_core::pipeline::Phase;
use props_core::pipeline::processors::{GAME_SUMMARIES, PRECOMPUTE, UPCOMING_CONTEXTS};
use props_core::ports::QueueName;
use props_core::tables::TableError;
use props_core::{Context, GameDate};
use serde_json::Value;

use crate::jobs;

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub phase: u8,
    pub what: String,
    pub ok: bool,
}

#[derive(Debug)]
pub struct Diagnosis {
    pub date: GameDate,
    pub games: usize,
    pub checks: Vec<Check>,
    /// Messages that would repair the date, in phase order.
    pub actions: Vec<(String, QueueName, Envelope)>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiagnoseError {
    #[error(transparent)]
    Table(#[from] TableError),
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
}

async fn count(ctx: &Context, table: &str, d: GameDate) -> Result<u64, TableError> {
    ctx.tables.row_count(table, d, d).await
}

async fn active_predictions(ctx: &Context, d: GameDate) -> Result<usize, TableError> {
    let rows = ctx.tables.read_json("player_prop_predictions", d, d).await?;
    Ok(rows.iter().filter(|r| r.get("is_active").and_then(Value::as_bool).unwrap_or(false)).count())
}

/// A played date (yesterday and before): games scheduled → box scores → summaries.
pub async fn played(ctx: &Context, d: GameDate) -> Result<Diagnosis, DiagnoseError> {
    let now = ctx.clock.now();
    let games = count(ctx, "schedule", d).await? as usize;
    let boxes = count(ctx, "player_boxscores", d).await?;
    let summaries = count(ctx, "player_game_summary", d).await?;
    let mut checks = vec![Check { phase: 2, what: format!("schedule: {games} games"), ok: games > 0 }];
    let mut actions = Vec::new();
    if games > 0 {
        checks.push(Check { phase: 2, what: format!("player_boxscores: {boxes} rows"), ok: boxes > 0 });
        checks.push(Check { phase: 3, what: format!("player_game_summary: {summaries} rows"), ok: summaries > 0 });
        if boxes == 0 {
            for (q, e) in jobs::boxscore_scrapes(d, now)? {
                actions.push(("re-scrape box scores".to_string(), q, e));
            }
        }
        if summaries == 0 {
            let (q, e) = jobs::rerun(Phase::Analytics, d, &GAME_SUMMARIES, "self_heal:summaries", now)?;
            actions.push(("re-run game summaries".to_string(), q, e));
        }
    }
    Ok(Diagnosis { date: d, games, checks, actions })
}

/// An upcoming date (today, tomorrow): games scheduled → contexts → features → active predictions.
/// Repairs start at the earliest phase whose output is missing, and the orchestrator carries
/// the rest.
pub async fn upcoming(ctx: &Context, d: GameDate) -> Result<Diagnosis, DiagnoseError> {
    let now = ctx.clock.now();
    let games = count(ctx, "schedule", d).await? as usize;
    let contexts = count(ctx, "upcoming_player_game_context", d).await?;
    let features = count(ctx, "ml_feature_store", d).await?;
    let active = active_predictions(ctx, d).await?;
    let mut checks = vec![Check { phase: 2, what: format!("schedule: {games} games"), ok: games > 0 }];
    let mut actions = Vec::new();
    if games > 0 {
        checks.push(Check {
            phase: 3,
            what: format!("upcoming_player_game_context: {contexts} rows"),
            ok: contexts > 0,
        });
        checks.push(Check { phase: 4, what: format!("ml_feature_store: {features} rows"), ok: features > 0 });
        checks.push(Check { phase: 5, what: format!("active predictions: {active}"), ok: active > 0 });
        if active == 0 {
            let (label, phase, procs): (&str, Phase, &[&str]) = if contexts == 0 {
                ("re-run upcoming contexts", Phase::Analytics, &UPCOMING_CONTEXTS)
            } else if features == 0 {
                ("force phase 4", Phase::Precompute, &PRECOMPUTE)
            } else {
                ("force phase 5", Phase::Predict, &[])
            };
            let (q, e) = jobs::rerun(phase, d, procs, "self_heal:predictions", now)?;
            actions.push((label.to_string(), q, e));
        }
    }
    Ok(Diagnosis { date: d, games, checks, actions })
}
