//! Which processors run for which dates, for each of the three ways work arrives:
//! - `TableUpdated` (phase 2 wrote a raw partition for date D): the processors that read that
//!   table FOR date D itself (a `SameDay` or `Through` dependency), and the readers of what
//!   those rewrite, in dependency order. A
//!   `DaysBefore` reader (a context reading yesterday's box scores) is not woken: the next
//!   date's context runs from its own lines, schedule or the 10:30 ET schedule.
//!   Contexts describe upcoming games, so they are routed only for today and tomorrow (the
//!   season schedule announces every date it rewrites); game summaries only for played dates.
//! - `PhaseTrigger { to_phase: 3 }`: the listed processors (all when empty) for its date.
//! - Scheduled JSON: the listed processors (all when empty) for each date of a range.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use props_core::GameDate;
use props_core::pipeline::dependencies::DateRule;
use props_core::pipeline::processors::UPCOMING_CONTEXTS;
use props_core::pipeline::runner::Processor;
use serde::Deserialize;

/// Snapshot tables taken before games: their updates for today concern upcoming games.
const PREGAME_TABLES: [&str; 4] = ["player_points_props", "game_lines", "rosters", "schedule"];

/// The longest range one scheduled input may ask for (a season and then some): a typo in a
/// date must not start years of work.
pub const MAX_RANGE_DAYS: i64 = 400;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RoutingError {
    #[error("unknown phase-3 processor `{0}`")]
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

/// Processors woken by an update of `table` for `date`, in dependency order: its same-day
/// readers, then (transitively) the readers of what they rewrite — new team box scores rebuild
/// the team offence, then the defence and the player summaries that read it.
pub fn for_table(all: &[Arc<dyn Processor>], table: &str, date: GameDate, today: GameDate) -> Vec<Arc<dyn Processor>> {
    let mut changed: Vec<&str> = vec![table];
    let mut out = Vec::new();
    // `all` is in dependency order, so one pass sees every writer before its readers.
    for p in all {
        let reads_changed = p
            .dependencies()
            .iter()
            .any(|d| changed.contains(&d.table) && matches!(d.rule, DateRule::SameDay | DateRule::Through(_)));
        let due = if UPCOMING_CONTEXTS.contains(&p.name()) {
            date >= today && date <= today.next()
        } else {
            // A game summary needs the game played: not for a future date, and a pre-game
            // snapshot of today's games (their lines) must not start a run bound to fail.
            date < today || (date == today && !PREGAME_TABLES.contains(&table))
        };
        if reads_changed && due {
            changed.push(p.name());
            out.push(p.clone());
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::BookPreference;
    use crate::processors::all;
    use chrono::TimeZone;
    use serde_json::json;

    fn names(ps: &[Arc<dyn Processor>]) -> Vec<&'static str> {
        ps.iter().map(|p| p.name()).collect()
    }

    fn d(s: &str) -> GameDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_raw_table_wakes_its_same_day_readers_in_dependency_order() {
        let all = all(&BookPreference::default());
        let today = d("2025-01-15");
        assert_eq!(
            names(&for_table(&all, "team_boxscores", d("2025-01-14"), today)),
            ["team_offense_game_summary", "team_defense_game_summary", "player_game_summary"]
        );
        assert_eq!(names(&for_table(&all, "player_boxscores", d("2025-01-14"), today)), ["player_game_summary"]);
        assert_eq!(names(&for_table(&all, "shots", d("2025-01-14"), today)), ["team_defense_game_summary"]);
        assert_eq!(names(&for_table(&all, "player_points_props", today, today)), ["upcoming_player_game_context"]);
        assert_eq!(
            names(&for_table(&all, "player_points_props", today.prev(), today)),
            ["player_game_summary"],
            "a late snapshot of yesterday's lines re-grades yesterday; yesterday is no longer upcoming"
        );
        assert!(for_table(&all, "team_boxscores", today.next(), today).is_empty(), "not played yet");
        assert_eq!(
            names(&for_table(&all, "schedule", today.next(), today)),
            ["upcoming_player_game_context", "upcoming_team_game_context"]
        );
        assert!(for_table(&all, "schedule", d("2025-03-01"), today).is_empty(), "not upcoming yet");
        assert!(for_table(&all, "nothing_reads_this", today, today).is_empty());
    }

    #[test]
    fn triggers_name_processors_or_mean_all() {
        let all = all(&BookPreference::default());
        assert_eq!(by_names(&all, &[]).unwrap().len(), 5);
        let named = by_names(&all, &["player_game_summary".into(), "team_offense_game_summary".into()]).unwrap();
        assert_eq!(names(&named), ["team_offense_game_summary", "player_game_summary"]);
        assert_eq!(
            by_names(&all, &["player_gme_summary".into()]).err(),
            Some(RoutingError::UnknownProcessor("player_gme_summary".into()))
        );
    }

    #[test]
    fn scheduled_tokens_resolve_in_new_york() {
        // 03:30 UTC on Jan 16 is still Jan 15 in New York.
        let now = Utc.with_ymd_and_hms(2025, 1, 16, 3, 30, 0).unwrap();
        let run = ScheduledRun::parse(json!({"start_date": "YESTERDAY", "end_date": "TODAY"})).unwrap();
        assert_eq!(run.dates(now).unwrap(), [d("2025-01-14"), d("2025-01-15")]);
        let run = ScheduledRun::parse(json!({"start_date": "2025-01-10"})).unwrap();
        assert_eq!(run.dates(now).unwrap(), [d("2025-01-10")]);
        let bad = ScheduledRun::parse(json!({"start_date": "TODAY", "end_date": "YESTERDAY"})).unwrap();
        assert!(matches!(bad.dates(now), Err(RoutingError::Reversed { .. })));
        let long = ScheduledRun::parse(json!({"start_date": "2020-01-01", "end_date": "TODAY"})).unwrap();
        assert!(matches!(long.dates(now), Err(RoutingError::TooLong { .. })));
        assert!(ScheduledRun::parse(json!({"start_date": "TODAY", "extra": 1})).is_err());
        let typo = ScheduledRun::parse(json!({"start_date": "TOMORROWW"})).unwrap();
        assert!(matches!(typo.dates(now), Err(RoutingError::BadDate(_))));
    }
}
