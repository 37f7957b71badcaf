//! Which processors run for which dates, for each of the three ways work arrives:
//! - `TableUpdated` (phase 2 wrote a raw partition for date D): the processors that read that
//!   table FOR date D itself (a `SameDay` or `Through` dependency), and the readers of what
//!   those rewrite, in dependency order. Then the upcoming contexts of LATER dates (today,
//!   tomorrow) that read what changed through a longer window ([`later_readers`]): yesterday's
//!   box scores change today's rest and form, today's rosters tomorrow's. Without that, whether
//!   a context saw them would depend on which message happened to arrive last.
//!   Contexts describe upcoming games, so they are routed only for today and tomorrow (the
//!   season schedule announces every date it rewrites); game summaries only for played dates.
//! - `PhaseTrigger { to_phase: 3 }`: the listed processors (all when empty) for its date.
//! - Scheduled JSON: the listed processors (all when empty) for each date of a range.

use std::sync::Arc;

use props_core::GameDate;
use props_core::pipeline::dependencies::DateRule;
use props_core::pipeline::processors::UPCOMING_CONTEXTS;
use props_core::pipeline::runner::Processor;
pub use props_core::pipeline::schedule::{MAX_RANGE_DAYS, RoutingError, ScheduledRun, by_names};

/// Snapshot tables taken before games: their updates for today concern upcoming games.
const PREGAME_TABLES: [&str; 4] = ["player_points_props", "game_lines", "rosters", "schedule"];

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

/// The upcoming contexts of dates after `date` (today and tomorrow only) whose read window
/// covers `date` for one of the `changed` tables, and (transitively) their same-day readers.
pub fn later_readers(
    all: &[Arc<dyn Processor>],
    changed: &[&str],
    date: GameDate,
    today: GameDate,
) -> Vec<(GameDate, Vec<Arc<dyn Processor>>)> {
    let mut out = Vec::new();
    for d in [today, today.next()].into_iter().filter(|d| *d > date) {
        let mut woken: Vec<&str> = Vec::new();
        let mut ps = Vec::new();
        for p in all.iter().filter(|p| UPCOMING_CONTEXTS.contains(&p.name())) {
            let reads = p.dependencies().iter().any(|dep| {
                let (from, to) = dep.rule.range(d);
                (changed.contains(&dep.table) && from <= date && date <= to)
                    || (woken.contains(&dep.table) && dep.rule == DateRule::SameDay)
            });
            if reads {
                woken.push(p.name());
                ps.push(p.clone());
            }
        }
        if !ps.is_empty() {
            out.push((d, ps));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::BookPreference;
    use crate::processors::all;
    use chrono::{TimeZone, Utc};
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
    fn what_a_later_context_reads_through_its_window_wakes_it() {
        let all = all(&BookPreference::default());
        let today = d("2025-01-15");
        let dates_and_names = |changed: &[&str], date| -> Vec<(GameDate, Vec<&'static str>)> {
            later_readers(&all, changed, date, today).into_iter().map(|(d, ps)| (d, names(&ps))).collect()
        };
        let contexts = vec!["upcoming_player_game_context", "upcoming_team_game_context"];
        assert_eq!(
            dates_and_names(&["team_boxscores", "team_offense_game_summary"], today.prev()),
            [(today, contexts.clone()), (today.next(), contexts.clone())],
            "yesterday's games change the rest and form of today's and tomorrow's"
        );
        assert_eq!(
            dates_and_names(&["player_boxscores", "player_game_summary"], today.prev()),
            [(today, vec!["upcoming_player_game_context"]), (today.next(), vec!["upcoming_player_game_context"])]
        );
        assert_eq!(dates_and_names(&["rosters"], today), [(today.next(), contexts.clone())], "tomorrow's rosters");
        assert!(dates_and_names(&["player_points_props"], today).is_empty(), "lines are read for their own day");
        assert!(dates_and_names(&["player_game_summary"], today.next()).is_empty(), "nothing later is upcoming");
        assert!(dates_and_names(&["player_game_summary"], d("2024-01-01")).is_empty(), "older than every window");
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
