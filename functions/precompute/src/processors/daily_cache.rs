//! `player_daily_cache`: per expected player, as of the date (games strictly before it): scoring
//! form, minutes, usage and efficiency, his team's pace and offence over its last 10 games, and
//! the fatigue inputs. Read by the composite factors and the feature store, and by phase 5.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError, write_output};
use props_core::tables::rows::analytics::{
    PlayerGameSummaryRow, UpcomingPlayerGameContextRow, UpcomingTeamGameContextRow,
};
use props_core::tables::rows::precompute::PlayerDailyCacheRow;
use props_core::tables::rows::raw::RosterRow;
use props_core::{Context, GameDate};

use super::{PLAYER_HISTORY_DAYS, ROSTER_DAYS, context_dependency, contexts, read, read_if};
use crate::history::{self, History};

pub const NAME: &str = "player_daily_cache";
const TEAM_CONTEXT: &str = "upcoming_team_game_context";

pub struct DailyCache;

#[async_trait]
impl Processor for DailyCache {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Precompute
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            context_dependency(),
            Dependency::critical("player_game_summary", DateRule::DaysBefore(PLAYER_HISTORY_DAYS), 1),
            Dependency::optional(TEAM_CONTEXT, DateRule::SameDay),
            // Age only; ESPN keeps no history, so a backfill has none.
            Dependency::optional("rosters", DateRule::Through(ROSTER_DAYS)),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let players = contexts(ctx, date).await?;
        let games: Vec<PlayerGameSummaryRow> = read(ctx, DateRule::DaysBefore(PLAYER_HISTORY_DAYS), date).await?;
        let teams: Vec<UpcomingTeamGameContextRow> =
            read_if(ctx, deps.has(TEAM_CONTEXT), DateRule::SameDay, date).await?;
        let rosters: Vec<RosterRow> = read_if(ctx, deps.has("rosters"), DateRule::Through(ROSTER_DAYS), date).await?;
        let h = History::new(&games, date);
        let ages = ages(&rosters, date, ctx.clock.now());
        let rows = players.iter().map(|c| build(&h, c, teams.iter().find(|t| t.team == c.team), &ages)).collect();
        write_output(ctx, date, rows, !deps.has(TEAM_CONTEXT)).await
    }
}

/// Each player's age in his latest roster snapshot taken by `now` (never a later one).
fn ages(rosters: &[RosterRow], date: GameDate, now: DateTime<Utc>) -> HashMap<&str, i32> {
    let mut latest: HashMap<&str, (DateTime<Utc>, Option<i32>)> = HashMap::new();
    for r in rosters.iter().filter(|r| r.game_date <= date && r.snapshot_at <= now) {
        let e = latest.entry(r.player_lookup.as_str()).or_insert((r.snapshot_at, r.age));
        if r.snapshot_at >= e.0 {
            *e = (r.snapshot_at, r.age);
        }
    }
    latest.into_iter().filter_map(|(p, (_, a))| a.map(|a| (p, a))).collect()
}

pub(crate) fn build(
    h: &History,
    c: &UpcomingPlayerGameContextRow,
    team: Option<&UpcomingTeamGameContextRow>,
    ages: &HashMap<&str, i32>,
) -> PlayerDailyCacheRow {
    let played = h.played(&c.player_lookup);
    let f = history::form(&played, h.date());
    PlayerDailyCacheRow {
        game_date: h.date(),
        player_lookup: c.player_lookup.clone(),
        game_id: c.game_id.clone(),
        team: c.team.clone(),
        opponent: c.opponent.clone(),
        home: c.home,
        games_played_season: f.games_played_season,
        points_avg_last_3: f.points_avg_last_3,
        points_avg_last_5: f.points_avg_last_5,
        points_avg_last_10: f.points_avg_last_10,
        points_avg_season: f.points_avg_season,
        points_std_last_10: f.points_std_last_10,
        points_std_season: f.points_std_season,
        minutes_avg_last_3: f.minutes_avg_last_3,
        minutes_avg_last_10: f.minutes_avg_last_10,
        points_per_minute_last_10: f.points_per_minute_last_10,
        usage_avg_last_5: f.usage_avg_last_5,
        usage_avg_last_10: f.usage_avg_last_10,
        usage_avg_season: f.usage_avg_season,
        ts_pct_avg_last_10: f.ts_pct_avg_last_10,
        ft_share_last_10: f.ft_share_last_10,
        points_slope_last_10: f.points_slope_last_10,
        over_rate_last_10: f.over_rate_last_10,
        graded_games_last_10: f.graded_games_last_10,
        dnp_rate_last_10: h.dnp_rate(&c.player_lookup, &c.team),
        team_pace_last_10: team.and_then(|t| t.pace_last_10).or(c.team_pace_last_10),
        team_off_rating_last_10: team.and_then(|t| t.offensive_rating_last_10),
        days_rest: c.days_rest,
        back_to_back: c.back_to_back,
        games_last_7: c.games_last_7,
        minutes_last_7: c.minutes_last_7,
        back_to_backs_last_14: c.back_to_backs_last_14,
        age: ages.get(c.player_lookup.as_str()).copied(),
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}
