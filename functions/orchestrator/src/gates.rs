//! Data gates: before a trigger fires, the data it stands for must really be there. A gate that
//! blocks records why; it never marks the transition as triggered (defect 1 of the old system).

use std::collections::BTreeSet;

use props_core::tables::TableError;
use props_core::{Context, GameDate};
use serde_json::Value;

pub const GAME_COVERAGE_MIN: f64 = 0.80;
pub const MINUTES_COVERAGE_MIN: f64 = 0.80;
pub const FEATURE_COVERAGE_MIN: f64 = 0.60;

#[derive(Clone, Debug, PartialEq)]
pub enum Gate {
    Pass,
    Blocked(String),
}

async fn rows(ctx: &Context, table: &str, date: GameDate) -> Result<Vec<Value>, TableError> {
    ctx.tables.read_json(table, date, date).await
}

fn distinct(rows: &[Value], col: &str) -> BTreeSet<String> {
    rows.iter().filter_map(|r| r.get(col).and_then(Value::as_str)).map(str::to_string).collect()
}

/// Phase 3 → 4 for D: D's player context has rows; and when the previous game date P is
/// expected, P's summaries have rows, cover ≥ 80 % of P's scheduled games, and ≥ 80 % of
/// P's player rows have minutes.
pub async fn three_to_four(ctx: &Context, d: GameDate, prev: Option<GameDate>) -> Result<Gate, TableError> {
    if rows(ctx, "upcoming_player_game_context", d).await?.is_empty() {
        return Ok(Gate::Blocked(format!("upcoming_player_game_context has no rows for {d}")));
    }
    let Some(p) = prev else { return Ok(Gate::Pass) };
    let summaries = rows(ctx, "player_game_summary", p).await?;
    if summaries.is_empty() {
        return Ok(Gate::Blocked(format!("player_game_summary has no rows for {p}")));
    }
    let scheduled = distinct(&rows(ctx, "schedule", p).await?, "game_id");
    if !scheduled.is_empty() {
        let covered = distinct(&summaries, "game_id").intersection(&scheduled).count();
        let share = covered as f64 / scheduled.len() as f64;
        if share < GAME_COVERAGE_MIN {
            return Ok(Gate::Blocked(format!(
                "game coverage {covered}/{} ({:.0}%) for {p} is below {:.0}%",
                scheduled.len(),
                share * 100.0,
                GAME_COVERAGE_MIN * 100.0
            )));
        }
    }
    let with_minutes = summaries.iter().filter(|r| r.get("minutes_played").is_some_and(|m| !m.is_null())).count();
    let share = with_minutes as f64 / summaries.len() as f64;
    if share < MINUTES_COVERAGE_MIN {
        return Ok(Gate::Blocked(format!(
            "minutes coverage {with_minutes}/{} ({:.0}%) for {p} is below {:.0}%",
            summaries.len(),
            share * 100.0,
            MINUTES_COVERAGE_MIN * 100.0
        )));
    }
    Ok(Gate::Pass)
}

/// Phase 4 → 5 for D: both critical tables have rows, and the feature store covers ≥ 60 % of the
/// players in D's upcoming context.
pub async fn four_to_five(ctx: &Context, d: GameDate) -> Result<Gate, TableError> {
    for table in ["player_daily_cache", "ml_feature_store"] {
        if rows(ctx, table, d).await?.is_empty() {
            return Ok(Gate::Blocked(format!("{table} has no rows for {d}")));
        }
    }
    let players = distinct(&rows(ctx, "upcoming_player_game_context", d).await?, "player_lookup");
    let featured = distinct(&rows(ctx, "ml_feature_store", d).await?, "player_lookup");
    if players.is_empty() {
        return Ok(Gate::Blocked(format!("upcoming_player_game_context has no rows for {d}")));
    }
    let covered = featured.intersection(&players).count();
    let share = covered as f64 / players.len() as f64;
    if share < FEATURE_COVERAGE_MIN {
        return Ok(Gate::Blocked(format!(
            "ml_feature_store covers {covered}/{} players ({:.0}%) for {d}, below {:.0}%",
            players.len(),
            share * 100.0,
            FEATURE_COVERAGE_MIN * 100.0
        )));
    }
    Ok(Gate::Pass)
}
