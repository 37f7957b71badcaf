//! The work a phase function is asked to do, whichever way it arrives: a trigger or scheduler
//! input names processors (none = all) and a date range. Shared by every phase function so
//! that "all", "TODAY" and a range mean the same thing everywhere.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::runner::Processor;
use crate::game_date::GameDate;

/// The longest range one scheduled input may ask for (a season and then some): a typo in a
/// date must not start years of work.
pub const MAX_RANGE_DAYS: i64 = 400;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RoutingError {
    #[error("unknown processor `{0}` for this function")]
    UnknownProcessor(String),
    #[error("bad date `{0}`: use TODAY, YESTERDAY, TOMORROW or a YYYY-MM-DD game day (1946-11-01 to 400 days ahead)")]
    BadDate(String),
    #[error("end_date {end} is before start_date {start}")]
    Reversed { start: GameDate, end: GameDate },
    #[error("range {start}..{end} is longer than {MAX_RANGE_DAYS} days")]
    TooLong { start: GameDate, end: GameDate },
    #[error("invalid scheduled input: {0}")]
    Input(String),
}

/// The named processors (all when empty), in dependency order whatever order they were named in.
pub fn by_names(all: &[Arc<dyn Processor>], names: &[String]) -> Result<Vec<Arc<dyn Processor>>, RoutingError> {
    if let Some(unknown) = names.iter().find(|n| !all.iter().any(|p| p.name() == n.as_str())) {
        return Err(RoutingError::UnknownProcessor(unknown.chars().take(80).collect()));
    }
    Ok(all.iter().filter(|p| names.is_empty() || names.iter().any(|n| n == p.name())).cloned().collect())
}

/// The scheduler's input: `{"processors":[...],"start_date":"TODAY|YESTERDAY|YYYY-MM-DD","end_date":...,"backfill":bool}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledRun {
    #[serde(default)]
    pub processors: Vec<String>,
    pub start_date: String,
    /// Defaults to `start_date`.
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub backfill: bool,
}

impl ScheduledRun {
    pub fn parse(input: serde_json::Value) -> Result<Self, RoutingError> {
        serde_json::from_value(input).map_err(|e| RoutingError::Input(e.to_string()))
    }

    /// The dates, with tokens resolved in America/New_York at `now`.
    pub fn dates(&self, now: DateTime<Utc>) -> Result<Vec<GameDate>, RoutingError> {
        let today = GameDate::eastern_of(now);
        let resolve = |t: &str| {
            GameDate::resolve(t, now)
                .ok()
                .and_then(|d| d.plausible(today).ok())
                .ok_or_else(|| RoutingError::BadDate(t.chars().take(40).collect()))
        };
        let start = resolve(&self.start_date)?;
        let end = match &self.end_date {
            Some(e) => resolve(e)?,
            None => start,
        };
        if end < start {
            return Err(RoutingError::Reversed { start, end });
        }
        if start.days_until(end) > MAX_RANGE_DAYS {
            return Err(RoutingError::TooLong { start, end });
        }
        Ok(start.through(end).collect())
    }
}

/// Whether the schedule shows no game on `date` although it is loaded for that season (the
/// All-Star break, a day off): a phase that summarises or prepares nothing there is not
/// failing. Without the season's schedule this cannot be told, and the answer is `false`
/// (the processors run and their dependency checks speak).
pub async fn no_games_scheduled(ctx: &crate::Context, date: GameDate) -> Result<bool, crate::tables::TableError> {
    let dates = ctx.tables.partitions("schedule").await?;
    let season_loaded = dates.iter().any(|d| d.season() == date.season());
    Ok(season_loaded && !dates.contains(&date))
}
