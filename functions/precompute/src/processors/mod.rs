//! The five phase-4 processors, one module each, and the order they run in for one date.
//!
//! Every processor describes the players of `upcoming_player_game_context` for the date (the
//! players expected to play) or their teams. Outcome tables (`player_game_summary`,
//! `team_defense_game_summary`, `shots`) are read for the days BEFORE the date only; the
//! phase-4 tables each reads for the date itself were built the same way.

pub mod composite;
pub mod daily_cache;
pub mod feature_store;
#[cfg(test)]
mod league_tests;
pub mod shot_zones;
pub mod team_defense_zones;

use std::collections::HashMap;
use std::sync::Arc;

use props_core::pipeline::dependencies::{DateRule, Dependency};
use props_core::pipeline::runner::{Processor, ProcessorError};
use props_core::tables::TableRow;
use props_core::tables::rows::analytics::UpcomingPlayerGameContextRow;
use props_core::{Context, GameDate};

/// The phase-3 table naming who plays on the date.
pub const CONTEXT: &str = "upcoming_player_game_context";
/// Player history: the season (season averages) plus the offseason before it, as phase 3.
pub const PLAYER_HISTORY_DAYS: u64 = 250;
/// Team defence history: long enough for 15 games after any break.
pub const TEAM_HISTORY_DAYS: u64 = 200;
/// Play-by-play shots: enough for a player's last 20 games and a team's last 15 in-season.
pub const SHOT_DAYS: u64 = 60;
/// Roster snapshots (age) older than this are not current.
pub const ROSTER_DAYS: u64 = 7;

/// Every processor, in dependency order: the zone views and the cache first, the composite
/// factors from them, the feature store from everything.
pub fn all() -> Vec<Arc<dyn Processor>> {
    vec![
        Arc::new(shot_zones::ShotZones),
        Arc::new(team_defense_zones::TeamDefenseZones),
        Arc::new(daily_cache::DailyCache),
        Arc::new(composite::Composite),
        Arc::new(feature_store::FeatureStore),
    ]
}

pub(crate) fn context_dependency() -> Dependency {
    Dependency::critical(CONTEXT, DateRule::SameDay, 1)
}

pub(crate) async fn read<R: TableRow>(ctx: &Context, rule: DateRule, date: GameDate) -> Result<Vec<R>, ProcessorError> {
    let (from, to) = rule.range(date);
    ctx.tables.read(from, to).await.map_err(ProcessorError::from_table)
}

/// Reads an optional dependency only when the check found it.
pub(crate) async fn read_if<R: TableRow>(
    ctx: &Context,
    present: bool,
    rule: DateRule,
    date: GameDate,
) -> Result<Vec<R>, ProcessorError> {
    if present { read(ctx, rule, date).await } else { Ok(Vec::new()) }
}

pub(crate) async fn contexts(
    ctx: &Context,
    date: GameDate,
) -> Result<Vec<UpcomingPlayerGameContextRow>, ProcessorError> {
    read(ctx, DateRule::SameDay, date).await
}

/// Rows keyed by player.
pub(crate) fn by_player<R>(rows: &[R], key: impl Fn(&R) -> &str) -> HashMap<String, &R> {
    rows.iter().map(|r| (key(r).to_string(), r)).collect()
}

#[cfg(test)]
mod tests {
    use props_core::pipeline::Phase;
    use props_core::pipeline::processors::PRECOMPUTE;

    use super::*;

    /// Tables that know how games ended: phase 4 may read them for earlier dates only.
    const OUTCOMES: [&str; 6] = [
        "player_boxscores",
        "team_boxscores",
        "shots",
        "team_offense_game_summary",
        "team_defense_game_summary",
        "player_game_summary",
    ];

    #[test]
    fn outcomes_are_read_only_from_days_before() {
        for p in all() {
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
    fn names_and_order_match_the_shared_list() {
        let names: Vec<&str> = all().iter().map(|p| p.name()).collect();
        assert_eq!(names, PRECOMPUTE);
        for p in all() {
            assert_eq!(p.phase(), Phase::Precompute);
            assert!(props_core::tables::catalog::lookup(p.name()).is_ok(), "{} writes a catalogued table", p.name());
            // A processor reads phase-4 tables only of those that run before it.
            let pos = PRECOMPUTE.iter().position(|n| *n == p.name()).unwrap();
            for d in p.dependencies() {
                if let Some(i) = PRECOMPUTE.iter().position(|n| *n == d.table) {
                    assert!(i < pos, "{} reads {} which runs later", p.name(), d.table);
                }
            }
        }
    }
}
