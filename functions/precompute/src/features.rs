//! The feature vector of one player's game, in the order of `FEATURE_NAMES`, with the default
//! that stands in for each feature when the data to compute it is missing. A default is typical
//! of a rotation player (league-wide values for rates and ratings, 0 for adjustments), never a
//! value that looks like information; every defaulted index is recorded and lowers the quality
//! score.

use props_core::tables::rows::analytics::UpcomingPlayerGameContextRow;
use props_core::tables::rows::precompute::{
    FEATURE_NAMES, PlayerCompositeFactorsRow, PlayerDailyCacheRow, PlayerShotZoneAnalysisRow,
};

/// Points per game of a typical rotation player: the default of every points average, and of
/// the lines when he has neither a line nor a season average.
pub const DEFAULT_POINTS: f64 = 10.0;

/// The numeric injury status: 0 available, 0.25 probable, 0.5 questionable or day-to-day,
/// 0.75 doubtful, 1 out (suspended, inactive). `None` when unknown (no roster: a backfill).
pub fn injury_code(status: &str) -> Option<f64> {
    match status.trim().to_ascii_lowercase().as_str() {
        "active" | "available" | "healthy" => Some(0.0),
        "probable" => Some(0.25),
        "questionable" | "day-to-day" | "day to day" | "game time decision" => Some(0.5),
        "doubtful" => Some(0.75),
        "out" | "suspension" | "suspended" | "inactive" | "injured reserve" => Some(1.0),
        _ => None,
    }
}

/// What a feature vector is assembled from; the optional rows may be missing for a player.
pub struct FeatureInputs<'a> {
    pub context: &'a UpcomingPlayerGameContextRow,
    pub cache: &'a PlayerDailyCacheRow,
    pub factors: Option<&'a PlayerCompositeFactorsRow>,
    pub zones: Option<&'a PlayerShotZoneAnalysisRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FeatureVector {
    pub values: Vec<f64>,
    pub defaulted: Vec<u32>,
    /// Share of features computed from data, 0–1.
    pub quality: f64,
}

fn diff(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

fn flag(b: bool) -> Option<f64> {
    Some(if b { 1.0 } else { 0.0 })
}

/// Each feature as (name, computed value, default), in `FEATURE_NAMES` order.
fn table(i: &FeatureInputs) -> Vec<(&'static str, Option<f64>, f64)> {
    let (c, k) = (i.context, i.cache);
    let f = i.factors;
    let z = i.zones;
    let fallback_line = k.points_avg_season.or(k.points_avg_last_10).unwrap_or(DEFAULT_POINTS);
    let z_score = match (k.points_avg_last_5, k.points_avg_season, k.points_std_season) {
        (Some(l5), Some(season), Some(sd)) if sd > 0.0 => Some((l5 - season) / sd),
        _ => None,
    };
    vec![
        ("points_avg_last_3", k.points_avg_last_3, DEFAULT_POINTS),
        ("points_avg_last_5", k.points_avg_last_5, DEFAULT_POINTS),
        ("points_avg_last_10", k.points_avg_last_10, DEFAULT_POINTS),
        ("points_avg_season", k.points_avg_season, DEFAULT_POINTS),
        ("points_std_last_10", k.points_std_last_10, 6.0),
        ("minutes_avg_last_10", k.minutes_avg_last_10, 20.0),
        ("points_per_minute", k.points_per_minute_last_10, 0.45),
        ("games_last_7_days", Some(f64::from(k.games_last_7)), 0.0),
        ("days_rest", k.days_rest.map(f64::from), 1.0),
        ("back_to_back", flag(k.back_to_back), 0.0),
        ("home", flag(c.home), 0.0),
        ("fatigue_score", f.map(|f| f.fatigue_score), 100.0),
        ("shot_zone_mismatch", f.and_then(|f| f.shot_zone_mismatch), 0.0),
        ("pace_score", f.and_then(|f| f.pace_score), 0.0),
        ("usage_spike", f.and_then(|f| f.usage_spike), 0.0),
        ("opponent_def_rating", c.opponent_def_rating_last_10, 114.0),
        ("opponent_pace", c.opponent_pace_last_10, 99.0),
        ("team_pace", k.team_pace_last_10, 99.0),
        ("team_off_rating", k.team_off_rating_last_10, 114.0),
        ("paint_share", z.and_then(|z| z.paint_rate_last_10), 0.40),
        ("mid_share", z.and_then(|z| z.mid_rate_last_10), 0.20),
        ("three_share", z.and_then(|z| z.three_rate_last_10), 0.40),
        ("ft_share", k.ft_share_last_10, 0.15),
        ("current_line", c.current_points_line, fallback_line),
        ("opening_line", c.opening_points_line, fallback_line),
        ("line_movement", c.line_movement, 0.0),
        ("has_line", flag(c.current_points_line.is_some()), 0.0),
        ("game_total", c.game_total, 225.0),
        ("game_spread", c.game_spread, 0.0),
        ("recent_trend", diff(k.points_avg_last_3, k.points_avg_last_10), 0.0),
        ("minutes_change", diff(k.minutes_avg_last_3, k.minutes_avg_last_10), 0.0),
        ("dnp_rate", k.dnp_rate_last_10, 0.0),
        ("points_slope_last_10", k.points_slope_last_10, 0.0),
        ("z_score_l5_vs_season", z_score, 0.0),
        ("over_rate_last_10", k.over_rate_last_10, 0.5),
        ("injury_status", injury_code(&c.injury_status), 0.0),
        ("usage_rate_last_10", k.usage_avg_last_10, 20.0),
    ]
}

pub fn build(i: &FeatureInputs) -> FeatureVector {
    let t = table(i);
    debug_assert!(t.iter().map(|x| x.0).eq(FEATURE_NAMES.iter().copied()));
    let mut values = Vec::with_capacity(t.len());
    let mut defaulted = Vec::new();
    for (idx, (_, v, default)) in t.iter().enumerate() {
        match v.filter(|v| v.is_finite()) {
            Some(v) => values.push(v),
            None => {
                values.push(*default);
                defaulted.push(idx as u32);
            }
        }
    }
    let quality = 1.0 - defaulted.len() as f64 / values.len() as f64;
    FeatureVector { values, defaulted, quality }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    pub(crate) fn context() -> UpcomingPlayerGameContextRow {
        UpcomingPlayerGameContextRow {
            game_date: "2025-01-15".parse().unwrap(),
            player_lookup: "a".into(),
            player_name: None,
            game_id: "20250115_NYK_PHI".into(),
            team: "NYK".into(),
            opponent: "PHI".into(),
            home: false,
            player_source: "history".into(),
            days_rest: None,
            back_to_back: false,
            games_last_7: 0,
            games_last_14: 0,
            minutes_last_7: 0.0,
            minutes_last_14: 0.0,
            back_to_backs_last_14: 0,
            points_avg_last_5: None,
            points_avg_last_10: None,
            points_avg_season: None,
            points_std_last_10: None,
            games_played_season: 0,
            sample_quality: "none".into(),
            injury_status: "unknown".into(),
            current_points_line: None,
            current_line_source: None,
            opening_points_line: None,
            line_movement: None,
            prop_streak: 0,
            game_spread: None,
            opening_spread: None,
            game_total: None,
            opening_total: None,
            team_pace_last_10: None,
            opponent_pace_last_10: None,
            pace_differential: None,
            opponent_def_rating_last_10: None,
            source_rosters: false,
            source_props: false,
            source_game_lines: false,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    pub(crate) fn cache() -> PlayerDailyCacheRow {
        PlayerDailyCacheRow {
            game_date: "2025-01-15".parse().unwrap(),
            player_lookup: "a".into(),
            game_id: "20250115_NYK_PHI".into(),
            team: "NYK".into(),
            opponent: "PHI".into(),
            home: false,
            games_played_season: 0,
            points_avg_last_3: None,
            points_avg_last_5: None,
            points_avg_last_10: None,
            points_avg_season: None,
            points_std_last_10: None,
            points_std_season: None,
            minutes_avg_last_3: None,
            minutes_avg_last_10: None,
            points_per_minute_last_10: None,
            usage_avg_last_5: None,
            usage_avg_last_10: None,
            usage_avg_season: None,
            ts_pct_avg_last_10: None,
            ft_share_last_10: None,
            points_slope_last_10: None,
            over_rate_last_10: None,
            graded_games_last_10: 0,
            dnp_rate_last_10: None,
            team_pace_last_10: None,
            team_off_rating_last_10: None,
            days_rest: None,
            back_to_back: false,
            games_last_7: 0,
            minutes_last_7: 0.0,
            back_to_backs_last_14: 0,
            age: None,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    #[test]
    fn names_follow_the_shared_order() {
        let (c, k) = (context(), cache());
        let t = table(&FeatureInputs { context: &c, cache: &k, factors: None, zones: None });
        let names: Vec<&str> = t.iter().map(|x| x.0).collect();
        assert_eq!(names, FEATURE_NAMES);
    }

    #[test]
    fn a_player_without_history_is_all_defaults_but_what_is_known() {
        let (c, k) = (context(), cache());
        let v = build(&FeatureInputs { context: &c, cache: &k, factors: None, zones: None });
        // Known without history: games in 7 days (0), back-to-back, home, has_line (0).
        let known = ["games_last_7_days", "back_to_back", "home", "has_line"];
        for (i, name) in FEATURE_NAMES.iter().enumerate() {
            assert_eq!(v.defaulted.contains(&(i as u32)), !known.contains(name), "{name}");
        }
        assert!((v.quality - 4.0 / FEATURE_NAMES.len() as f64).abs() < 1e-12);
        let at = |n: &str| v.values[FEATURE_NAMES.iter().position(|x| *x == n).unwrap()];
        assert_eq!(at("current_line"), DEFAULT_POINTS);
        assert_eq!(at("fatigue_score"), 100.0);
        assert_eq!(at("has_line"), 0.0);
    }

    #[test]
    fn derived_features_and_the_line_fallback() {
        let mut c = context();
        c.injury_status = "Day-To-Day".into();
        let mut k = cache();
        k.points_avg_last_3 = Some(30.0);
        k.points_avg_last_5 = Some(28.0);
        k.points_avg_last_10 = Some(25.0);
        k.points_avg_season = Some(24.0);
        k.points_std_season = Some(8.0);
        k.minutes_avg_last_3 = Some(38.0);
        k.minutes_avg_last_10 = Some(35.0);
        let v = build(&FeatureInputs { context: &c, cache: &k, factors: None, zones: None });
        let at = |n: &str| v.values[FEATURE_NAMES.iter().position(|x| *x == n).unwrap()];
        assert_eq!(at("recent_trend"), 5.0);
        assert_eq!(at("minutes_change"), 3.0);
        assert_eq!(at("z_score_l5_vs_season"), 0.5);
        assert_eq!(at("injury_status"), 0.5);
        assert_eq!(at("current_line"), 24.0, "no line: the season average stands in, flagged");
        let i = FEATURE_NAMES.iter().position(|x| *x == "current_line").unwrap() as u32;
        assert!(v.defaulted.contains(&i));
    }

    #[test]
    fn injury_statuses_encode_and_unknown_is_none() {
        assert_eq!(injury_code("Active"), Some(0.0));
        assert_eq!(injury_code("Out"), Some(1.0));
        assert_eq!(injury_code("Questionable"), Some(0.5));
        assert_eq!(injury_code("Doubtful"), Some(0.75));
        assert_eq!(injury_code("unknown"), None);
    }
}
