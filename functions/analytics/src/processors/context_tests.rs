//! The parts of the contexts the replayed data cannot show (the replay has no injuries, no
//! spreads or totals): rosters with injury statuses, game lines, snapshots after tip-off.

use chrono::{DateTime, Duration, TimeZone, Utc};
use props_core::GameDate;
use props_core::tables::rows::analytics::{PlayerGameSummaryRow, TeamOffenseGameSummaryRow};
use props_core::tables::rows::raw::{GameLineRow, RosterRow, ScheduleRow};

use super::player_context::{self, Inputs};
use super::team_context::{self, TeamInputs};
use crate::lines::BookPreference;

fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

fn tip() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 16, 0, 30, 0).unwrap()
}

fn game() -> ScheduleRow {
    ScheduleRow {
        game_date: d("2025-01-15"),
        game_id: "20250115_NYK_PHI".into(),
        nba_game_id: None,
        season: "2024-25".into(),
        season_type: "regular".into(),
        game_status: 1,
        tipoff_at: Some(tip()),
        home_team: "PHI".into(),
        away_team: "NYK".into(),
        home_score: None,
        away_score: None,
        processed_at: tip(),
        data_hash: String::new(),
    }
}

fn offense(date: &str, team: &str, win: bool, margin: i32, pace: f64) -> TeamOffenseGameSummaryRow {
    TeamOffenseGameSummaryRow {
        game_date: d(date),
        game_id: format!("{}_{team}_XXX", d(date).compact()),
        season_type: "regular".into(),
        team: team.into(),
        opponent: "XXX".into(),
        home: false,
        points: Some(100),
        opponent_points: Some(100 - margin),
        win_flag: Some(win),
        margin: Some(margin),
        minutes: Some(240.0),
        overtime_periods: Some(0),
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
        possessions: None,
        offensive_rating: Some(110.0),
        pace: Some(pace),
        ts_pct: None,
        efg_pct: None,
        processed_at: tip(),
        data_hash: String::new(),
    }
}

fn roster(player: &str, status: Option<&str>, at: DateTime<Utc>) -> RosterRow {
    RosterRow {
        game_date: GameDate::eastern_of(at),
        snapshot_at: at,
        team: "PHI".into(),
        athlete_id: player.into(),
        player_name: player.into(),
        player_lookup: player.into(),
        position: None,
        age: None,
        injury_status: status.map(str::to_string),
        injury_type: None,
        injury_detail: None,
        injury_return: None,
        processed_at: at,
        data_hash: String::new(),
    }
}

fn line(book: &str, market: &str, point: f64, minutes_before: i64) -> GameLineRow {
    GameLineRow {
        game_date: d("2025-01-15"),
        game_id: "20250115_NYK_PHI".into(),
        odds_event_id: "e".into(),
        snapshot_at: tip() - Duration::minutes(minutes_before),
        tipoff_at: tip(),
        bookmaker: book.into(),
        market: market.into(),
        home_point: (market == "spreads").then_some(point),
        away_point: (market == "spreads").then_some(-point),
        total: (market == "totals").then_some(point),
        home_price_american: None,
        away_price_american: None,
        over_price_american: None,
        under_price_american: None,
        minutes_before_tipoff: minutes_before,
        after_tipoff: minutes_before < 0,
        processed_at: tip(),
        data_hash: String::new(),
    }
}

fn inputs() -> TeamInputs {
    let morning = Utc.with_ymd_and_hms(2025, 1, 15, 15, 0, 0).unwrap();
    TeamInputs {
        schedule: vec![game()],
        offense: vec![
            offense("2025-01-10", "NYK", true, 4, 98.0),
            offense("2025-01-13", "NYK", true, 8, 100.0),
            offense("2025-01-14", "NYK", false, -5, 96.0),
            offense("2025-01-12", "PHI", true, 3, 94.0),
            offense("2025-01-13", "PHI", true, 1, 96.0),
            // The game itself and a later one must never be read.
            offense("2025-01-15", "PHI", false, -30, 150.0),
            offense("2025-01-17", "PHI", false, -30, 150.0),
        ],
        defense: vec![],
        game_lines: vec![
            line("draftkings", "spreads", -3.0, 600),
            line("draftkings", "spreads", -3.5, 60),
            line("fanduel", "spreads", -4.5, 60),
            line("draftkings", "spreads", -12.0, -10),
            line("draftkings", "totals", 220.5, 60),
            line("fanduel", "totals", 221.5, 60),
        ],
        rosters: vec![
            roster("joelembiid", Some("Out"), morning),
            roster("tyresemaxey", None, morning),
            roster("paulgeorge", Some("Day-To-Day"), morning),
            // Taken after tip-off: everyone healthy, and a name that must not appear.
            roster("joelembiid", None, tip() + Duration::minutes(5)),
            roster("latesigning", None, tip() + Duration::minutes(5)),
        ],
    }
}

/// The clock of a run at the scrape's own instant (a scheduled run, a pinned clock) sees the
/// roster it stored, as it sees the lines of that instant: otherwise the player list depends on
/// whether the run came at that instant or later, and a redelivered run disagrees with the first.
#[test]
fn a_roster_snapshot_taken_at_the_clock_is_known_and_one_taken_after_it_is_not() {
    let morning = Utc.with_ymd_and_hms(2025, 1, 15, 15, 0, 0).unwrap();
    let phi = |now| team_context::build(&inputs(), d("2025-01-15"), now).into_iter().find(|r| r.team == "PHI").unwrap();
    assert!(phi(morning).source_rosters, "taken at the clock's instant");
    assert!(!phi(morning - Duration::seconds(1)).source_rosters, "taken after the clock");
}

#[test]
fn team_context_reads_rest_streaks_lines_and_injuries_from_before_the_game() {
    let now = tip() - Duration::minutes(30);
    let rows = team_context::build(&inputs(), d("2025-01-15"), now);
    assert_eq!(rows.len(), 2);
    let nyk = rows.iter().find(|r| r.team == "NYK").unwrap();
    assert_eq!((nyk.back_to_back, nyk.days_rest, nyk.games_last_7), (true, Some(0), 3));
    assert_eq!((nyk.win_streak, nyk.last_game_margin), (-1, Some(-5)));
    assert_eq!((nyk.game_spread, nyk.opening_spread), (Some(4.0), Some(3.75)), "away side of the median home spread");
    assert_eq!(nyk.game_total, Some(221.0));
    assert_eq!((nyk.players_out, nyk.source_rosters), (None, false));
    let phi = rows.iter().find(|r| r.team == "PHI").unwrap();
    assert_eq!((phi.win_streak, phi.days_rest, phi.back_to_back), (2, Some(1), false));
    assert_eq!(phi.pace_last_10, Some(95.0), "the game day's and later rows are not history");
    assert_eq!((phi.game_spread, phi.spread_movement), (Some(-4.0), Some(-0.25)));
    assert_eq!((phi.players_out, phi.players_questionable), (Some(1), Some(1)));
}

#[test]
fn player_context_lists_the_roster_with_injury_status_and_history_players_otherwise() {
    let now = tip() - Duration::minutes(30);
    let history = |player: &str, team: &str, date: &str, pts: i32| PlayerGameSummaryRow {
        game_date: d(date),
        game_id: format!("{}_{team}_XXX", d(date).compact()),
        season_type: "regular".into(),
        player_lookup: player.into(),
        player_id: 1,
        player_name: player.into(),
        team: team.into(),
        opponent: "XXX".into(),
        home: false,
        minutes_played: Some(30.0),
        points: Some(pts),
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
        points_line: Some(20.5),
        line_source: Some("draftkings".into()),
        line_bookmakers: 1,
        opening_line: Some(20.5),
        line_movement: Some(0.0),
        over_under_result: Some(if f64::from(pts) > 20.5 { "OVER" } else { "UNDER" }.into()),
        margin_vs_line: Some(f64::from(pts) - 20.5),
        source_team_summary: true,
        source_props: true,
        processed_at: tip(),
        data_hash: String::new(),
    };
    let players = vec![
        history("jalenbrunson", "NYK", "2025-01-13", 30),
        history("jalenbrunson", "NYK", "2025-01-14", 25),
        // A player traded from NYK: his latest game is for another team.
        history("traded", "NYK", "2025-01-10", 10),
        history("traded", "BKN", "2025-01-13", 10),
        // The game day itself: never history.
        history("jalenbrunson", "NYK", "2025-01-15", 60),
        history("tyresemaxey", "PHI", "2025-01-13", 33),
    ];
    let inputs = Inputs { team: inputs(), players, props: vec![] };
    let rows = player_context::build(&inputs, d("2025-01-15"), now, &BookPreference::default());
    let names: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r.player_lookup.as_str(), r.player_source.as_str(), r.injury_status.as_str())).collect();
    assert_eq!(
        names,
        [
            ("joelembiid", "roster", "Out"),
            ("paulgeorge", "roster", "Day-To-Day"),
            ("tyresemaxey", "roster", "Active"),
            ("jalenbrunson", "history", "unknown"),
        ]
    );
    let brunson = rows.iter().find(|r| r.player_lookup == "jalenbrunson").unwrap();
    assert_eq!((brunson.points_avg_last_5, brunson.prop_streak), (Some(27.5), 2));
    assert_eq!((brunson.back_to_back, brunson.minutes_last_7), (true, 60.0));
    assert_eq!(brunson.game_spread, Some(4.0));
}
