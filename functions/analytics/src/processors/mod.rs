//! The five phase-3 processors, one module each, and the order they run in for one date.

#[cfg(test)]
mod context_tests;
pub mod player_context;
pub mod player_summary;
pub mod team_context;
pub mod team_defense;
pub mod team_offense;

use std::sync::Arc;

use props_core::pipeline::runner::{self, Output, Processor, ProcessorError};
use props_core::tables::{TableError, TableRow};
use props_core::{Context, GameDate};

use crate::lines::BookPreference;

/// How far back the contexts read player history: the whole season (season averages) plus the
/// offseason before it, so that opening night still sees last season's games.
pub const PLAYER_HISTORY_DAYS: u64 = 250;
/// Team history for rest, streaks and last-10 rates (long enough for any win streak).
pub const TEAM_HISTORY_DAYS: u64 = 200;
/// Roster snapshots older than this are not a team's current roster.
pub const ROSTER_DAYS: u64 = 7;

/// Every processor, in dependency order: the team offence first (the defence is its mirror,
/// the player summary reads its team totals), the summaries before the contexts.
pub fn all(prefs: &BookPreference) -> Vec<Arc<dyn Processor>> {
    vec![
        Arc::new(team_offense::TeamOffense),
        Arc::new(team_defense::TeamDefense),
        Arc::new(player_summary::PlayerSummary { prefs: prefs.clone() }),
        Arc::new(player_context::PlayerContext { prefs: prefs.clone() }),
        Arc::new(team_context::TeamContext),
    ]
}

/// A read failed: storage trouble is transient; a row that does not decode is not.
pub(crate) fn read_err(e: TableError) -> ProcessorError {
    ProcessorError::from_table(e)
}

/// Replaces the date's partition; an unchanged hash is reported by the runner as
/// `skipped_unchanged`. An empty output is `no_data`.
pub(crate) async fn write<R: TableRow>(ctx: &Context, date: GameDate, rows: Vec<R>) -> Result<Output, ProcessorError> {
    runner::write_output(ctx, date, rows, false).await
}

#[cfg(test)]
mod tests {
    use props_core::pipeline::dependencies::DateRule;
    use props_core::pipeline::processors::{GAME_SUMMARIES, UPCOMING_CONTEXTS};

    use super::*;

    /// Tables that know how games ended: a context may read them for earlier dates only.
    const OUTCOMES: [&str; 7] = [
        "player_boxscores",
        "team_boxscores",
        "shots",
        "team_offense_game_summary",
        "team_defense_game_summary",
        "player_game_summary",
        "player_daily_cache",
    ];

    #[test]
    fn contexts_read_outcomes_only_from_days_before() {
        for p in all(&BookPreference::default()).iter().filter(|p| UPCOMING_CONTEXTS.contains(&p.name())) {
            for d in p.dependencies() {
                if OUTCOMES.contains(&d.table) {
                    assert!(
                        matches!(d.rule, DateRule::DaysBefore(_)),
                        "{} reads {} with {:?}",
                        p.name(),
                        d.table,
                        d.rule
                    );
                }
            }
        }
    }

    #[test]
    fn names_and_order_match_the_shared_lists() {
        let names: Vec<&str> = all(&BookPreference::default()).iter().map(|p| p.name()).collect();
        assert_eq!(names[..3], GAME_SUMMARIES);
        assert_eq!(names[3..], UPCOMING_CONTEXTS);
        for p in all(&BookPreference::default()) {
            assert_eq!(p.phase(), props_core::pipeline::Phase::Analytics);
            assert!(props_core::tables::catalog::lookup(p.name()).is_ok(), "{} writes a catalogued table", p.name());
        }
    }
}
