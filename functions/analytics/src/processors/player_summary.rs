//! `player_game_summary`: each player's box score with shooting rates, usage (against his
//! team's totals from `team_offense_game_summary`), and how he did against his pre-game line.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError};
use props_core::tables::rows::analytics::{PlayerGameSummaryRow, TeamOffenseGameSummaryRow};
use props_core::tables::rows::raw::{PlayerBoxscoreRow, PlayerPointsPropRow};
use props_core::{Context, GameDate};

use super::{read_err, team_offense, write};
use crate::formulas::{self as f, UsageInputs};
use crate::lines::{self, BookPreference};

pub const NAME: &str = "player_game_summary";

pub struct PlayerSummary {
    pub prefs: BookPreference,
}

#[async_trait]
impl Processor for PlayerSummary {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Analytics
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            Dependency::critical("player_boxscores", DateRule::SameDay, 1),
            Dependency::critical(team_offense::NAME, DateRule::SameDay, 2),
            // Lines are a bonus: a date without props still has box scores to summarise.
            Dependency::optional("player_points_props", DateRule::SameDay),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let boxes: Vec<PlayerBoxscoreRow> = ctx.tables.read_date(date).await.map_err(read_err)?;
        let teams: Vec<TeamOffenseGameSummaryRow> = ctx.tables.read_date(date).await.map_err(read_err)?;
        let props: Vec<PlayerPointsPropRow> = if deps.has("player_points_props") {
            ctx.tables.read_date(date).await.map_err(read_err)?
        } else {
            Vec::new()
        };
        write(ctx, date, summarise(&boxes, &teams, &props, &self.prefs)).await
    }
}

pub fn summarise(
    boxes: &[PlayerBoxscoreRow],
    teams: &[TeamOffenseGameSummaryRow],
    props: &[PlayerPointsPropRow],
    prefs: &BookPreference,
) -> Vec<PlayerGameSummaryRow> {
    // Pre-game snapshots only, by (game, player).
    let mut by_player: BTreeMap<(&str, &str), Vec<&PlayerPointsPropRow>> = BTreeMap::new();
    for p in props.iter().filter(|p| lines::usable(p, None)) {
        by_player.entry((p.game_id.as_str(), p.player_lookup.as_str())).or_default().push(p);
    }
    boxes
        .iter()
        .map(|b| {
            let team = teams.iter().find(|t| t.game_id == b.game_id && t.team == b.team);
            let team_usage = team
                .map(|t| UsageInputs { fga: t.fg_attempted, fta: t.ft_attempted, tov: t.turnovers, minutes: t.minutes })
                .unwrap_or_default();
            let usage = f::usage_rate(
                UsageInputs { fga: b.fg_attempted, fta: b.ft_attempted, tov: b.turnovers, minutes: b.minutes },
                team_usage,
            );
            let snaps = by_player.get(&(b.game_id.as_str(), b.player_lookup.as_str()));
            let choice = snaps.and_then(|s| lines::choose_line(s, prefs));
            let played = !b.dnp && b.minutes.is_some_and(|m| m > 0.0);
            let graded = choice.as_ref().zip(b.points).filter(|_| played);
            PlayerGameSummaryRow {
                game_date: b.game_date,
                game_id: b.game_id.clone(),
                season_type: b.season_type.clone(),
                player_lookup: b.player_lookup.clone(),
                player_id: b.player_id,
                player_name: b.player_name.clone(),
                team: b.team.clone(),
                opponent: b.opponent.clone(),
                home: b.home,
                minutes_played: b.minutes,
                points: b.points,
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
                fouls: b.fouls,
                plus_minus: b.plus_minus,
                efg_pct: f::effective_fg(b.fg_made, b.three_made, b.fg_attempted),
                ts_pct: f::true_shooting(b.points, b.fg_attempted, b.ft_attempted),
                usage_rate: usage.filter(|_| played),
                starter: b.starter,
                dnp: b.dnp,
                points_line: choice.as_ref().map(|c| c.line),
                line_source: choice.as_ref().map(|c| c.source.clone()),
                line_bookmakers: choice.as_ref().map_or(0, |c| c.bookmakers as i32),
                opening_line: choice.as_ref().map(|c| c.opening),
                line_movement: choice.as_ref().map(|c| c.movement()),
                over_under_result: graded
                    .map(|(c, pts)| lines::over_under(f64::from(pts), c.line).as_str().to_string()),
                margin_vs_line: graded.map(|(c, pts)| f64::from(pts) - c.line),
                source_team_summary: team.is_some(),
                source_props: snaps.is_some(),
                processed_at: DateTime::<Utc>::MIN_UTC,
                data_hash: String::new(),
            }
        })
        .collect()
}
