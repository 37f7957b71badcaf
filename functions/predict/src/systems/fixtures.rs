//! Small readable rows for the systems' tests.

use chrono::{DateTime, Utc};
use props_core::GameDate;
use props_core::tables::rows::analytics::PlayerGameSummaryRow;
use props_core::tables::rows::precompute::MlFeatureStoreRow;

pub fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

/// A feature row with the named values (nothing defaulted), a line and prices.
pub fn features(date: &str, player: &str, values: &[(&str, f64)], line: Option<f64>) -> MlFeatureStoreRow {
    MlFeatureStoreRow {
        game_date: d(date),
        game_id: format!("{}_BOS_NYK", d(date).compact()),
        player_lookup: player.into(),
        team: "NYK".into(),
        opponent: "BOS".into(),
        home: true,
        feature_version: "v1".into(),
        feature_names: values.iter().map(|(n, _)| n.to_string()).collect(),
        features: values.iter().map(|(_, v)| *v).collect(),
        defaulted: vec![],
        quality_score: 1.0,
        line,
        line_bookmaker: line.map(|_| "draftkings".into()),
        over_price: line.map(|_| -115),
        under_price: line.map(|_| -105),
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}

/// A steady 20-point scorer at home, fresh, against an average defence.
pub fn steady(date: &str, player: &str, line: Option<f64>) -> MlFeatureStoreRow {
    features(
        date,
        player,
        &[
            ("points_avg_last_5", 20.0),
            ("points_avg_last_10", 20.0),
            ("points_avg_season", 20.0),
            ("points_std_last_10", 4.0),
            ("fatigue_score", 90.0),
            ("back_to_back", 0.0),
            ("home", 1.0),
            ("days_rest", 1.0),
            ("shot_zone_mismatch", 0.0),
            ("pace_score", 0.0),
            ("usage_spike", 0.0),
            ("paint_share", 0.5),
            ("mid_share", 0.2),
            ("three_share", 0.3),
            ("opponent_def_rating", 112.0),
            ("dnp_rate", 0.0),
        ],
        line,
    )
}

/// One played game.
pub fn game(date: &str, player: &str, opponent: &str, home: bool, points: i32) -> PlayerGameSummaryRow {
    PlayerGameSummaryRow {
        game_date: d(date),
        game_id: format!("{}_{opponent}_NYK", d(date).compact()),
        season_type: "regular".into(),
        player_lookup: player.into(),
        player_id: 1,
        player_name: player.into(),
        team: "NYK".into(),
        opponent: opponent.into(),
        home,
        minutes_played: Some(32.0),
        points: Some(points),
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
        dnp: false,
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
