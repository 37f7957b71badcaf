//! A player's games before the game date, and what they say: scoring form, minutes, usage,
//! efficiency, results against his lines, and how often he sat out. Pure functions of
//! `player_game_summary` rows strictly before the date (callers read only `DaysBefore` data,
//! and [`History::new`] drops anything else as well).

use std::collections::{BTreeSet, HashMap};

use props_core::GameDate;
use props_core::stats::{mean, share, slope, std_dev};
use props_core::tables::rows::analytics::PlayerGameSummaryRow;

/// Player and team game rows before one date, indexed.
pub struct History<'a> {
    by_player: HashMap<&'a str, Vec<&'a PlayerGameSummaryRow>>,
    by_team: HashMap<&'a str, Vec<(GameDate, &'a str)>>,
    date: GameDate,
}

impl<'a> History<'a> {
    pub fn new(rows: &'a [PlayerGameSummaryRow], date: GameDate) -> Self {
        let mut by_player: HashMap<&str, Vec<&PlayerGameSummaryRow>> = HashMap::new();
        let mut team_games: HashMap<&str, BTreeSet<(GameDate, &str)>> = HashMap::new();
        for r in rows.iter().filter(|r| r.game_date < date) {
            by_player.entry(r.player_lookup.as_str()).or_default().push(r);
            team_games.entry(r.team.as_str()).or_default().insert((r.game_date, r.game_id.as_str()));
        }
        for v in by_player.values_mut() {
            v.sort_by(|a, b| b.game_date.cmp(&a.game_date).then(b.game_id.cmp(&a.game_id)));
        }
        let by_team = team_games.into_iter().map(|(t, g)| (t, g.into_iter().rev().collect())).collect();
        Self { by_player, by_team, date }
    }

    /// His games with minutes and points, newest first. A zero-point game with minutes is a
    /// game played; a DNP is not.
    pub fn played(&self, lookup: &str) -> Vec<&'a PlayerGameSummaryRow> {
        self.by_player.get(lookup).map(|v| v.iter().copied().filter(|r| is_played(r)).collect()).unwrap_or_default()
    }

    /// Share of his team's last 10 games (before the date) in which he did not play; `None`
    /// when the team has no games yet.
    pub fn dnp_rate(&self, lookup: &str, team: &str) -> Option<f64> {
        let games: Vec<&(GameDate, &str)> = self.by_team.get(team)?.iter().take(10).collect();
        let played: BTreeSet<(GameDate, &str)> =
            self.played(lookup).iter().map(|r| (r.game_date, r.game_id.as_str())).collect();
        let sat = games.iter().filter(|g| !played.contains(g)).count();
        share(sat as f64, games.len() as f64)
    }

    pub fn date(&self) -> GameDate {
        self.date
    }
}

pub fn is_played(r: &PlayerGameSummaryRow) -> bool {
    !r.dnp && r.minutes_played.is_some_and(|m| m > 0.0) && r.points.is_some()
}

/// His form before the date, from his played games (newest first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form {
    pub games_played_season: i32,
    pub points_avg_last_3: Option<f64>,
    pub points_avg_last_5: Option<f64>,
    pub points_avg_last_10: Option<f64>,
    pub points_avg_season: Option<f64>,
    pub points_std_last_10: Option<f64>,
    pub points_std_season: Option<f64>,
    pub minutes_avg_last_3: Option<f64>,
    pub minutes_avg_last_10: Option<f64>,
    pub points_per_minute_last_10: Option<f64>,
    pub usage_avg_last_5: Option<f64>,
    pub usage_avg_last_10: Option<f64>,
    pub usage_avg_season: Option<f64>,
    pub ts_pct_avg_last_10: Option<f64>,
    pub ft_share_last_10: Option<f64>,
    pub points_slope_last_10: Option<f64>,
    pub over_rate_last_10: Option<f64>,
    pub graded_games_last_10: i32,
}

pub fn form(played: &[&PlayerGameSummaryRow], date: GameDate) -> Form {
    let points =
        |rows: &[&PlayerGameSummaryRow]| -> Vec<f64> { rows.iter().filter_map(|r| r.points).map(f64::from).collect() };
    let minutes =
        |rows: &[&PlayerGameSummaryRow]| -> Vec<f64> { rows.iter().filter_map(|r| r.minutes_played).collect() };
    let usage = |rows: &[&PlayerGameSummaryRow]| -> Vec<f64> { rows.iter().filter_map(|r| r.usage_rate).collect() };
    let last = |n: usize| &played[..played.len().min(n)];
    let season: Vec<&PlayerGameSummaryRow> =
        played.iter().copied().filter(|r| r.game_date.season() == date.season()).collect();
    let l10 = last(10);
    let (pts10, min10) = (points(l10), minutes(l10));
    let mut oldest_first = pts10.clone();
    oldest_first.reverse();
    // Free throws need the made count; the share is over the games that have it.
    let with_ft: Vec<(f64, f64)> =
        l10.iter().filter_map(|r| Some((f64::from(r.ft_made?), f64::from(r.points?)))).collect();
    let graded: Vec<bool> = l10
        .iter()
        .filter_map(|r| match r.over_under_result.as_deref() {
            Some("OVER") => Some(true),
            Some("UNDER") => Some(false),
            _ => None,
        })
        .collect();
    Form {
        games_played_season: season.len() as i32,
        points_avg_last_3: mean(&points(last(3))),
        points_avg_last_5: mean(&points(last(5))),
        points_avg_last_10: mean(&pts10),
        points_avg_season: mean(&points(&season)),
        points_std_last_10: std_dev(&pts10),
        points_std_season: std_dev(&points(&season)),
        minutes_avg_last_3: mean(&minutes(last(3))),
        minutes_avg_last_10: mean(&min10),
        points_per_minute_last_10: share(pts10.iter().sum(), min10.iter().sum()),
        usage_avg_last_5: mean(&usage(last(5))),
        usage_avg_last_10: mean(&usage(l10)),
        usage_avg_season: mean(&usage(&season)),
        ts_pct_avg_last_10: mean(&l10.iter().filter_map(|r| r.ts_pct).collect::<Vec<_>>()),
        ft_share_last_10: share(with_ft.iter().map(|x| x.0).sum(), with_ft.iter().map(|x| x.1).sum()),
        points_slope_last_10: slope(&oldest_first),
        over_rate_last_10: share(graded.iter().filter(|o| **o).count() as f64, graded.len() as f64),
        graded_games_last_10: graded.len() as i32,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    pub(crate) fn game(
        lookup: &str,
        team: &str,
        date: &str,
        points: Option<i32>,
        minutes: Option<f64>,
    ) -> PlayerGameSummaryRow {
        PlayerGameSummaryRow {
            game_date: date.parse().unwrap(),
            game_id: format!("{}_{team}_OPP", date.replace('-', "")),
            season_type: "regular_season".into(),
            player_lookup: lookup.into(),
            player_id: 1,
            player_name: lookup.into(),
            team: team.into(),
            opponent: "OPP".into(),
            home: true,
            minutes_played: minutes,
            points,
            fg_made: None,
            fg_attempted: None,
            three_made: None,
            three_attempted: None,
            ft_made: None,
            ft_attempted: None,
            off_rebounds: None,
            def_rebounds: None,
            rebounds: None,
            assists: None,
            steals: None,
            blocks: None,
            turnovers: None,
            fouls: None,
            plus_minus: None,
            efg_pct: None,
            ts_pct: None,
            usage_rate: None,
            starter: None,
            dnp: minutes.is_none(),
            points_line: None,
            line_source: None,
            line_bookmakers: 0,
            opening_line: None,
            line_movement: None,
            over_under_result: None,
            margin_vs_line: None,
            source_team_summary: true,
            source_props: false,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    #[test]
    fn form_by_hand() {
        let d: GameDate = "2025-01-15".parse().unwrap();
        let mut rows = vec![
            game("a", "NYK", "2025-01-14", Some(30), Some(36.0)),
            game("a", "NYK", "2025-01-12", Some(20), Some(30.0)),
            game("a", "NYK", "2025-01-10", None, None),
            game("a", "NYK", "2025-01-08", Some(10), Some(34.0)),
            game("a", "NYK", "2024-04-10", Some(40), Some(40.0)),
            // the game day and later never count
            game("a", "NYK", "2025-01-15", Some(99), Some(48.0)),
        ];
        rows[0].over_under_result = Some("OVER".into());
        rows[1].over_under_result = Some("PUSH".into());
        rows[3].over_under_result = Some("UNDER".into());
        rows[0].ft_made = Some(6);
        rows[1].ft_made = Some(4);
        let h = History::new(&rows, d);
        let played = h.played("a");
        assert_eq!(played.len(), 4, "DNP and the game day left out");
        let f = form(&played, d);
        assert_eq!(f.points_avg_last_3, Some(20.0));
        assert_eq!(f.points_avg_last_10, Some(25.0));
        assert_eq!(f.points_avg_season, Some(20.0), "last season's game is not this season");
        assert_eq!(f.games_played_season, 3);
        assert_eq!(f.points_per_minute_last_10, Some(100.0 / 140.0));
        assert_eq!(f.ft_share_last_10, Some(10.0 / 50.0), "over the games with free-throw counts");
        assert_eq!(f.over_rate_last_10, Some(0.5), "the push is left out");
        assert_eq!(f.graded_games_last_10, 2);
        // Oldest first 40, 10, 20, 30: x̄ 1.5, ȳ 25, Sxy = −22.5 + 7.5 − 2.5 + 7.5 = −10, Sxx = 5.
        assert_eq!(f.points_slope_last_10, Some(-2.0));
        assert_eq!(f.usage_avg_last_10, None, "no usage in the feed: none, never zero");
        // NYK played 5 dates before the day; he sat one (the DNP row).
        assert_eq!(h.dnp_rate("a", "NYK"), Some(0.2));
        assert_eq!(h.dnp_rate("a", "BOS"), None);
    }
}
