//! `team_offense_game_summary`: each team's box score with possessions, ratings and pace, and a
//! win flag read from both teams' rows.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError};
use props_core::tables::rows::analytics::TeamOffenseGameSummaryRow;
use props_core::tables::rows::raw::TeamBoxscoreRow;
use props_core::{Context, GameDate};

use super::{read_err, write};
use crate::formulas as f;

pub const NAME: &str = "team_offense_game_summary";

pub struct TeamOffense;

#[async_trait]
impl Processor for TeamOffense {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Analytics
    }
    fn dependencies(&self) -> Vec<Dependency> {
        // Two rows: a game has two teams.
        vec![Dependency::critical("team_boxscores", DateRule::SameDay, 2)]
    }
    async fn run(&self, ctx: &Context, date: GameDate, _deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let boxes: Vec<TeamBoxscoreRow> = ctx.tables.read_date(date).await.map_err(read_err)?;
        write(ctx, date, summarise(&boxes)).await
    }
}

/// One row per team box score, the opponent found in the same game.
pub fn summarise(boxes: &[TeamBoxscoreRow]) -> Vec<TeamOffenseGameSummaryRow> {
    boxes
        .iter()
        .map(|b| {
            let opp = boxes.iter().find(|o| o.game_id == b.game_id && o.team == b.opponent);
            let opponent_points = opp.and_then(|o| o.points);
            let possessions = f::possessions(b.fg_attempted, b.ft_attempted, b.turnovers, b.off_rebounds);
            TeamOffenseGameSummaryRow {
                game_date: b.game_date,
                game_id: b.game_id.clone(),
                season_type: b.season_type.clone(),
                team: b.team.clone(),
                opponent: b.opponent.clone(),
                home: b.home,
                points: b.points,
                opponent_points,
                win_flag: f::win_flag(b.points, opponent_points),
                margin: b.points.zip(opponent_points).map(|(p, o)| p - o),
                minutes: b.minutes,
                overtime_periods: f::overtime_periods(b.minutes),
                fg_made: b.fg_made,
                fg_attempted: b.fg_attempted,
                three_made: b.three_made,
                three_attempted: b.three_attempted,
                ft_made: b.ft_made,
                ft_attempted: b.ft_attempted,
                off_rebounds: b.off_rebounds,
                def_rebounds: b.def_rebounds,
                rebounds: b.rebounds,
                assists: b.assists,
                steals: b.steals,
                blocks: b.blocks,
                turnovers: b.turnovers,
                possessions,
                offensive_rating: f::rating(b.points, possessions),
                pace: f::pace(possessions, b.minutes),
                ts_pct: f::true_shooting(b.points, b.fg_attempted, b.ft_attempted),
                efg_pct: f::effective_fg(b.fg_made, b.three_made, b.fg_attempted),
                processed_at: DateTime::<Utc>::MIN_UTC,
                data_hash: String::new(),
            }
        })
        .collect()
}
