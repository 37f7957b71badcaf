//! `team_defense_game_summary`: the opponent's offence seen from the defender, read from
//! `team_offense_game_summary` (so the two can never disagree), plus zone points allowed from
//! play-by-play shots when there are any.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError};
use props_core::tables::rows::analytics::{TeamDefenseGameSummaryRow, TeamOffenseGameSummaryRow};
use props_core::tables::rows::raw::ShotRow;
use props_core::{Context, GameDate};

use super::{read_err, team_offense, write};
use crate::formulas as f;

pub const NAME: &str = "team_defense_game_summary";

pub struct TeamDefense;

#[async_trait]
impl Processor for TeamDefense {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Analytics
    }
    fn dependencies(&self) -> Vec<Dependency> {
        vec![
            Dependency::critical(team_offense::NAME, DateRule::SameDay, 2),
            // Play-by-play is optional at the source (404 for old games).
            Dependency::optional("shots", DateRule::SameDay),
        ]
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let offense: Vec<TeamOffenseGameSummaryRow> = ctx.tables.read_date(date).await.map_err(read_err)?;
        let shots: Vec<ShotRow> =
            if deps.has("shots") { ctx.tables.read_date(date).await.map_err(read_err)? } else { Vec::new() };
        write(ctx, date, summarise(&offense, &shots)).await
    }
}

/// Points the shooting team scored from made field goals in each zone of one game.
fn zone_points(shots: &[ShotRow], game_id: &str, shooting_team: &str) -> Option<(i32, i32, i32)> {
    let mine: Vec<&ShotRow> = shots.iter().filter(|s| s.game_id == game_id && s.team == shooting_team).collect();
    if mine.is_empty() {
        return None;
    }
    let pts = |zone: &str| -> i32 {
        mine.iter().filter(|s| s.made && s.zone == zone).map(|s| if s.is_three { 3 } else { 2 }).sum()
    };
    Some((pts("paint"), pts("mid"), pts("three")))
}

/// One defence row per offence row: the defender is the offence's opponent.
pub fn summarise(offense: &[TeamOffenseGameSummaryRow], shots: &[ShotRow]) -> Vec<TeamDefenseGameSummaryRow> {
    offense
        .iter()
        .map(|o| {
            let zones = zone_points(shots, &o.game_id, &o.team);
            TeamDefenseGameSummaryRow {
                game_date: o.game_date,
                game_id: o.game_id.clone(),
                season_type: o.season_type.clone(),
                team: o.opponent.clone(),
                opponent: o.team.clone(),
                home: !o.home,
                points_allowed: o.points,
                opp_fg_made: o.fg_made,
                opp_fg_attempted: o.fg_attempted,
                opp_fg_pct: f::pct(o.fg_made, o.fg_attempted),
                opp_three_made: o.three_made,
                opp_three_attempted: o.three_attempted,
                opp_three_pct: f::pct(o.three_made, o.three_attempted),
                opp_ft_made: o.ft_made,
                opp_ft_attempted: o.ft_attempted,
                opp_ft_pct: f::pct(o.ft_made, o.ft_attempted),
                opp_possessions: o.possessions,
                defensive_rating: o.offensive_rating,
                opponent_pace: o.pace,
                turnovers_forced: o.turnovers,
                // The defender's own counts come from its own offence row.
                steals: own(offense, o, |r| r.steals),
                blocks: own(offense, o, |r| r.blocks),
                def_rebounds: own(offense, o, |r| r.def_rebounds),
                paint_points_allowed: zones.map(|z| z.0),
                mid_points_allowed: zones.map(|z| z.1),
                three_points_allowed: zones.map(|z| z.2),
                source_shots: zones.is_some(),
                processed_at: DateTime::<Utc>::MIN_UTC,
                data_hash: String::new(),
            }
        })
        .collect()
}

fn own(
    offense: &[TeamOffenseGameSummaryRow],
    opp_row: &TeamOffenseGameSummaryRow,
    get: impl Fn(&TeamOffenseGameSummaryRow) -> Option<i32>,
) -> Option<i32> {
    offense.iter().find(|r| r.game_id == opp_row.game_id && r.team == opp_row.opponent).and_then(get)
}

#[cfg(test)]
mod tests {
    use super::*;
    use props_core::tables::rows::raw::TeamBoxscoreRow;

    fn team_box(team: &str, opp: &str, home: bool, pts: i32, tov: i32) -> TeamBoxscoreRow {
        TeamBoxscoreRow {
            game_date: "2025-01-15".parse().unwrap(),
            game_id: "20250115_NYK_PHI".into(),
            nba_game_id: None,
            season_type: "regular".into(),
            team: team.into(),
            opponent: opp.into(),
            home,
            win: None,
            minutes: Some(240.0),
            points: Some(pts),
            fg_made: Some(40),
            fg_attempted: Some(88),
            three_made: Some(12),
            three_attempted: Some(35),
            ft_made: Some(15),
            ft_attempted: Some(20),
            off_rebounds: Some(10),
            def_rebounds: Some(33),
            rebounds: Some(43),
            assists: Some(25),
            steals: Some(7),
            blocks: Some(5),
            turnovers: Some(tov),
            fouls: Some(18),
            plus_minus: None,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    fn shot(team: &str, zone: &str, made: bool) -> ShotRow {
        ShotRow {
            game_date: "2025-01-15".parse().unwrap(),
            game_id: "20250115_NYK_PHI".into(),
            action_number: 1,
            period: 1,
            player_id: 1,
            player_lookup: None,
            team: team.into(),
            zone: zone.into(),
            is_three: zone == "three",
            distance_ft: None,
            made,
            assisted: false,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    #[test]
    fn the_defence_mirrors_the_opponents_offence_with_zone_points_from_shots() {
        let off =
            team_offense::summarise(&[team_box("NYK", "PHI", false, 125, 16), team_box("PHI", "NYK", true, 119, 12)]);
        assert_eq!(off.iter().map(|o| o.win_flag).collect::<Vec<_>>(), [Some(true), Some(false)]);
        let shots = [
            shot("NYK", "paint", true),
            shot("NYK", "paint", false),
            shot("NYK", "three", true),
            shot("NYK", "mid", true),
        ];
        let def = summarise(&off, &shots);
        let phi = def.iter().find(|d| d.team == "PHI").unwrap();
        assert_eq!((phi.opponent.as_str(), phi.home, phi.points_allowed), ("NYK", true, Some(125)));
        assert_eq!((phi.turnovers_forced, phi.steals), (Some(16), Some(7)));
        assert_eq!(phi.defensive_rating, off.iter().find(|o| o.team == "NYK").unwrap().offensive_rating);
        assert_eq!(
            (phi.paint_points_allowed, phi.mid_points_allowed, phi.three_points_allowed, phi.source_shots),
            (Some(2), Some(2), Some(3), true)
        );
        let nyk = def.iter().find(|d| d.team == "NYK").unwrap();
        assert_eq!((nyk.paint_points_allowed, nyk.source_shots), (None, false), "no PHI shots: null, not zero");
        // One team's row alone: no winner can be named.
        let lone = team_offense::summarise(&[team_box("NYK", "PHI", false, 125, 16)]);
        assert_eq!((lone[0].win_flag, lone[0].margin), (None, None));
    }
}
