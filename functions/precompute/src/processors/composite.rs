//! `player_composite_factors`: the fatigue score, the shot-zone mismatch against tonight's
//! opponent, the pace score and the usage spike (DESIGN §8) for each expected player. The
//! formulas live in [`crate::fatigue`] and [`crate::factors`]; this module joins their inputs.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError, write_output};
use props_core::tables::rows::analytics::UpcomingPlayerGameContextRow;
use props_core::tables::rows::precompute::{
    PlayerCompositeFactorsRow, PlayerDailyCacheRow, PlayerShotZoneAnalysisRow, TeamDefenseZoneAnalysisRow,
};
use props_core::{Context, GameDate};

use super::{by_player, context_dependency, contexts, daily_cache, read, read_if, shot_zones, team_defense_zones};
use crate::factors;
use crate::fatigue::{self, FatigueInputs};
use crate::zones;

pub const NAME: &str = "player_composite_factors";

pub struct Composite;

#[async_trait]
impl Processor for Composite {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Precompute
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            context_dependency(),
            Dependency::critical(daily_cache::NAME, DateRule::SameDay, 1),
            Dependency::optional(shot_zones::NAME, DateRule::SameDay),
            Dependency::optional(team_defense_zones::NAME, DateRule::SameDay),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let players = contexts(ctx, date).await?;
        let caches: Vec<PlayerDailyCacheRow> = read(ctx, DateRule::SameDay, date).await?;
        let zones: Vec<PlayerShotZoneAnalysisRow> =
            read_if(ctx, deps.has(shot_zones::NAME), DateRule::SameDay, date).await?;
        let defense: Vec<TeamDefenseZoneAnalysisRow> =
            read_if(ctx, deps.has(team_defense_zones::NAME), DateRule::SameDay, date).await?;
        let (caches, zone_of) = (by_player(&caches, |r| &r.player_lookup), by_player(&zones, |r| &r.player_lookup));
        let rows: Vec<PlayerCompositeFactorsRow> = players
            .iter()
            .filter_map(|c| {
                let cache = caches.get(&c.player_lookup)?;
                let opp = defense.iter().find(|d| d.team == c.opponent);
                Some(build(c, cache, zone_of.get(&c.player_lookup).copied(), opp))
            })
            .collect();
        // Without play-by-play the mismatch is missing for everyone: a partial output.
        let partial = !rows.iter().any(|r| r.source_shot_zones && r.source_team_defense_zones);
        write_output(ctx, date, rows, partial).await
    }
}

/// The opponent's field-goal percentage allowed in `zone` minus the league's.
fn vs_league(d: &TeamDefenseZoneAnalysisRow, zone: usize) -> Option<f64> {
    [d.paint_pct_vs_league, d.mid_pct_vs_league, d.three_pct_vs_league][zone]
}

fn rate_last_10(z: &PlayerShotZoneAnalysisRow, zone: usize) -> Option<f64> {
    [z.paint_rate_last_10, z.mid_rate_last_10, z.three_rate_last_10][zone]
}

pub(crate) fn build(
    c: &UpcomingPlayerGameContextRow,
    k: &PlayerDailyCacheRow,
    z: Option<&PlayerShotZoneAnalysisRow>,
    opp: Option<&TeamDefenseZoneAnalysisRow>,
) -> PlayerCompositeFactorsRow {
    let fatigue = fatigue::score(&FatigueInputs {
        back_to_back: k.back_to_back,
        days_rest: k.days_rest,
        games_last_7: k.games_last_7,
        minutes_last_7: k.minutes_last_7,
        minutes_avg: k.minutes_avg_last_10,
        back_to_backs_last_14: k.back_to_backs_last_14,
        age: k.age,
    });
    let primary = z.and_then(|z| z.primary_zone.as_deref()).and_then(zones::index);
    let opp_vs = primary.zip(opp).and_then(|(i, d)| vs_league(d, i));
    let share = primary.zip(z).and_then(|(i, z)| rate_last_10(z, i));
    PlayerCompositeFactorsRow {
        game_date: k.game_date,
        player_lookup: k.player_lookup.clone(),
        game_id: k.game_id.clone(),
        team: k.team.clone(),
        opponent: k.opponent.clone(),
        fatigue_score: fatigue,
        shot_zone_mismatch: factors::shot_zone_mismatch(share, opp_vs),
        pace_score: factors::pace_score(k.team_pace_last_10, c.opponent_pace_last_10),
        usage_spike: factors::usage_spike(k.usage_avg_last_5, k.usage_avg_season),
        primary_zone: primary.map(|i| zones::ZONES[i].to_string()),
        opponent_zone_vs_league: opp_vs,
        source_shot_zones: z.is_some_and(|z| z.source_shots),
        source_team_defense_zones: opp.is_some_and(|d| d.source_shots),
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}
