//! `team_defense_zone_analysis`: how each team playing on the date defended over its last 15
//! games: ratings and pace from the phase-3 defence summaries, and field-goal percentage allowed
//! per zone (from play-by-play) against the league's over the same dates. Without shots the zone
//! values are `None` and the run is `partial`.

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError, write_output};
use props_core::stats::mean;
use props_core::tables::rows::analytics::TeamDefenseGameSummaryRow;
use props_core::tables::rows::precompute::TeamDefenseZoneAnalysisRow;
use props_core::tables::rows::raw::ShotRow;
use props_core::{Context, GameDate};

use super::{SHOT_DAYS, TEAM_HISTORY_DAYS, context_dependency, contexts, read, read_if};
use crate::zones::{ZONES, ZoneSplit};

pub const NAME: &str = "team_defense_zone_analysis";
pub const GAMES: usize = 15;

pub struct TeamDefenseZones;

#[async_trait]
impl Processor for TeamDefenseZones {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Precompute
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            context_dependency(),
            Dependency::critical("team_defense_game_summary", DateRule::DaysBefore(TEAM_HISTORY_DAYS), 1),
            Dependency::optional("shots", DateRule::DaysBefore(SHOT_DAYS)),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let players = contexts(ctx, date).await?;
        let defense: Vec<TeamDefenseGameSummaryRow> = read(ctx, DateRule::DaysBefore(TEAM_HISTORY_DAYS), date).await?;
        let shots: Vec<ShotRow> = read_if(ctx, deps.has("shots"), DateRule::DaysBefore(SHOT_DAYS), date).await?;
        let teams: BTreeSet<&str> = players.iter().flat_map(|c| [c.team.as_str(), c.opponent.as_str()]).collect();
        let rows = teams.into_iter().map(|t| build(&defense, &shots, t, date)).collect();
        write_output(ctx, date, rows, !deps.has("shots")).await
    }
}

pub(crate) fn build(
    defense: &[TeamDefenseGameSummaryRow],
    shots: &[ShotRow],
    team: &str,
    date: GameDate,
) -> TeamDefenseZoneAnalysisRow {
    let mut games: Vec<&TeamDefenseGameSummaryRow> =
        defense.iter().filter(|r| r.team == team && r.game_date < date).collect();
    games.sort_by(|a, b| b.game_date.cmp(&a.game_date).then(b.game_id.cmp(&a.game_id)));
    games.truncate(GAMES);
    let ids: BTreeSet<&str> = games.iter().map(|g| g.game_id.as_str()).collect();
    let since = games.last().map(|g| g.game_date).unwrap_or(date);
    let window: Vec<&ShotRow> = shots.iter().filter(|s| s.game_date >= since && s.game_date < date).collect();
    let against: Vec<&ShotRow> =
        window.iter().copied().filter(|s| ids.contains(s.game_id.as_str()) && s.team != team).collect();
    let shot_games: BTreeSet<&str> = against.iter().map(|s| s.game_id.as_str()).collect();
    let allowed = ZoneSplit::of(against);
    let league = ZoneSplit::of(window);
    let vs: Vec<Option<f64>> = (0..3).map(|i| Some(allowed.pct(i)? - league.pct(i)?)).collect();
    let weakest = (0..3)
        .filter_map(|i| vs[i].map(|v| (i, v)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| ZONES[i].to_string());
    let avg = |f: &dyn Fn(&TeamDefenseGameSummaryRow) -> Option<f64>| -> Option<f64> {
        mean(&games.iter().filter_map(|g| f(g)).collect::<Vec<_>>())
    };
    let zone_points = |f: &dyn Fn(&TeamDefenseGameSummaryRow) -> Option<i32>| -> Option<f64> {
        mean(&games.iter().filter(|g| g.source_shots).filter_map(|g| f(g)).map(f64::from).collect::<Vec<_>>())
    };
    TeamDefenseZoneAnalysisRow {
        game_date: date,
        team: team.to_string(),
        games: games.len() as i32,
        defensive_rating_last_15: avg(&|g| g.defensive_rating),
        opponent_pace_last_15: avg(&|g| g.opponent_pace),
        points_allowed_last_15: avg(&|g| g.points_allowed.map(f64::from)),
        shot_games: shot_games.len() as i32,
        paint_pct_allowed: allowed.pct(0),
        mid_pct_allowed: allowed.pct(1),
        three_pct_allowed: allowed.pct(2),
        league_paint_pct: league.pct(0),
        league_mid_pct: league.pct(1),
        league_three_pct: league.pct(2),
        paint_pct_vs_league: vs[0],
        mid_pct_vs_league: vs[1],
        three_pct_vs_league: vs[2],
        paint_points_allowed_avg: zone_points(&|g| g.paint_points_allowed),
        mid_points_allowed_avg: zone_points(&|g| g.mid_points_allowed),
        three_points_allowed_avg: zone_points(&|g| g.three_points_allowed),
        weakest_zone: weakest,
        source_shots: !shot_games.is_empty(),
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}
