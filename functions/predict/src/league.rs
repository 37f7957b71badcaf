//! What the league's recent games say about each defence before the game date: defensive
//! rating, points allowed by zone, and a tier. Built from `team_defense_game_summary` rows of
//! dates before the game date only.

use std::collections::BTreeMap;

use props_core::tables::rows::analytics::TeamDefenseGameSummaryRow;

/// Games per team behind the zone and rating averages (DESIGN §8: last 15 games).
pub const DEFENCE_GAMES: usize = 15;

/// A defence's strength: `Strong` allows the fewest points per possession.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    Strong,
    Average,
    Weak,
}

/// Points allowed per game by zone.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Zones {
    pub paint: f64,
    pub mid: f64,
    pub three: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Defence {
    pub games: usize,
    pub def_rating: Option<f64>,
    /// `None` when none of its recent games had play-by-play shots.
    pub zones: Option<Zones>,
}

#[derive(Clone, Debug, Default)]
pub struct League {
    pub teams: BTreeMap<String, Defence>,
    pub avg_def_rating: Option<f64>,
    pub avg_zones: Option<Zones>,
    tiers: BTreeMap<String, Tier>,
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| s / n as f64)
}

impl League {
    /// `rows`: defence rows of dates before the game date, any order.
    pub fn from_rows(rows: &[TeamDefenseGameSummaryRow]) -> League {
        let mut by_team: BTreeMap<&str, Vec<&TeamDefenseGameSummaryRow>> = BTreeMap::new();
        for r in rows {
            by_team.entry(r.team.as_str()).or_default().push(r);
        }
        let mut teams = BTreeMap::new();
        for (team, mut games) in by_team {
            games.sort_by_key(|g| std::cmp::Reverse(g.game_date));
            games.truncate(DEFENCE_GAMES);
            let with_shots: Vec<_> = games.iter().filter(|g| g.source_shots).collect();
            let zone = |f: fn(&TeamDefenseGameSummaryRow) -> Option<i32>| {
                mean(with_shots.iter().filter_map(|g| f(g)).map(f64::from))
            };
            let zones = match (
                zone(|g| g.paint_points_allowed),
                zone(|g| g.mid_points_allowed),
                zone(|g| g.three_points_allowed),
            ) {
                (Some(paint), Some(mid), Some(three)) => Some(Zones { paint, mid, three }),
                _ => None,
            };
            let def_rating = mean(games.iter().filter_map(|g| g.defensive_rating));
            teams.insert(team.to_string(), Defence { games: games.len(), def_rating, zones });
        }
        let avg_def_rating = mean(teams.values().filter_map(|d| d.def_rating));
        let zoned: Vec<Zones> = teams.values().filter_map(|d| d.zones).collect();
        let avg_zones = (!zoned.is_empty()).then(|| Zones {
            paint: mean(zoned.iter().map(|z| z.paint)).unwrap_or_default(),
            mid: mean(zoned.iter().map(|z| z.mid)).unwrap_or_default(),
            three: mean(zoned.iter().map(|z| z.three)).unwrap_or_default(),
        });
        // Terciles of defensive rating: the lowest third is strong.
        let mut rated: Vec<(&String, f64)> = teams.iter().filter_map(|(t, d)| d.def_rating.map(|r| (t, r))).collect();
        rated.sort_by(|a, b| a.1.total_cmp(&b.1));
        let n = rated.len();
        let tiers = rated
            .iter()
            .enumerate()
            .map(|(i, (t, _))| {
                let tier = if i * 3 < n {
                    Tier::Strong
                } else if i * 3 < 2 * n {
                    Tier::Average
                } else {
                    Tier::Weak
                };
                ((*t).clone(), tier)
            })
            .collect();
        League { teams, avg_def_rating, avg_zones, tiers }
    }

    /// The team's tier; `Average` for a team without rated games.
    pub fn tier(&self, team: &str) -> Tier {
        self.tiers.get(team).copied().unwrap_or(Tier::Average)
    }

    pub fn defence(&self, team: &str) -> Option<&Defence> {
        self.teams.get(team)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::{DateTime, Utc};
    use props_core::GameDate;

    use super::*;

    pub fn defence_row(
        date: &str,
        team: &str,
        rating: f64,
        zones: Option<(i32, i32, i32)>,
    ) -> TeamDefenseGameSummaryRow {
        TeamDefenseGameSummaryRow {
            game_date: date.parse::<GameDate>().unwrap(),
            game_id: format!("{date}_{team}"),
            season_type: "regular".into(),
            team: team.into(),
            opponent: "OPP".into(),
            home: true,
            points_allowed: Some(110),
            opp_fg_made: None,
            opp_fg_attempted: None,
            opp_fg_pct: None,
            opp_three_made: None,
            opp_three_attempted: None,
            opp_three_pct: None,
            opp_ft_made: None,
            opp_ft_attempted: None,
            opp_ft_pct: None,
            opp_possessions: Some(100.0),
            defensive_rating: Some(rating),
            opponent_pace: Some(100.0),
            turnovers_forced: None,
            steals: None,
            blocks: None,
            def_rebounds: None,
            paint_points_allowed: zones.map(|z| z.0),
            mid_points_allowed: zones.map(|z| z.1),
            three_points_allowed: zones.map(|z| z.2),
            source_shots: zones.is_some(),
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    #[test]
    fn tiers_are_terciles_of_defensive_rating_and_zones_need_shots() {
        let rows = vec![
            defence_row("2024-03-01", "BOS", 105.0, Some((40, 10, 30))),
            defence_row("2024-03-02", "BOS", 107.0, None),
            defence_row("2024-03-01", "MIN", 108.0, Some((44, 12, 36))),
            defence_row("2024-03-01", "WAS", 120.0, None),
        ];
        let l = League::from_rows(&rows);
        assert_eq!(l.tier("BOS"), Tier::Strong);
        assert_eq!(l.tier("MIN"), Tier::Average);
        assert_eq!(l.tier("WAS"), Tier::Weak);
        assert_eq!(l.tier("XXX"), Tier::Average);
        assert_eq!(l.defence("BOS").unwrap().def_rating, Some(106.0));
        assert_eq!(l.defence("BOS").unwrap().zones, Some(Zones { paint: 40.0, mid: 10.0, three: 30.0 }));
        assert_eq!(l.defence("WAS").unwrap().zones, None);
        assert_eq!(l.avg_zones.unwrap().paint, 42.0);
    }

    #[test]
    fn only_the_last_fifteen_games_count() {
        let mut rows: Vec<_> = (1..=20).map(|d| defence_row(&format!("2024-01-{d:02}"), "BOS", 100.0, None)).collect();
        rows.push(defence_row("2023-12-01", "BOS", 200.0, None));
        let l = League::from_rows(&rows);
        assert_eq!(l.defence("BOS").unwrap().games, DEFENCE_GAMES);
        assert_eq!(l.defence("BOS").unwrap().def_rating, Some(100.0));
    }
}
