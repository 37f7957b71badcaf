//! Phase 4 on a small synthetic league with play-by-play (the replayed real data never has
//! shots): every processor through the runner, zone features computed, no leakage from the
//! game day or later, and the degraded run without shots.

use chrono::{DateTime, Duration, TimeZone, Utc};
use props_core::GameDate;
use props_core::messages::RunStatus;
use props_core::tables::rows::analytics::{TeamDefenseGameSummaryRow, UpcomingPlayerGameContextRow};
use props_core::tables::rows::precompute::{FEATURE_NAMES, MlFeatureStoreRow, PlayerCompositeFactorsRow};
use props_core::tables::rows::raw::{PlayerPointsPropRow, ShotRow};
use props_core::testkit::Harness;

use crate::Precompute;
use crate::features::tests::context;
use crate::history::tests::game;

fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

fn day() -> GameDate {
    d("2025-01-15")
}

fn tip() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 16, 0, 30, 0).unwrap()
}

fn shot(date: GameDate, game_id: &str, who: Option<&str>, team: &str, zone: &str, made: bool) -> ShotRow {
    ShotRow {
        game_date: date,
        game_id: game_id.into(),
        action_number: 0,
        period: 1,
        player_id: 1,
        player_lookup: who.map(str::to_string),
        team: team.into(),
        zone: zone.into(),
        is_three: zone == "three",
        distance_ft: None,
        made,
        assisted: made,
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}

fn defense(date: GameDate, team: &str, rating: f64) -> TeamDefenseGameSummaryRow {
    TeamDefenseGameSummaryRow {
        game_date: date,
        game_id: format!("{}_{team}_OPP", date.compact()),
        season_type: "regular_season".into(),
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
        opp_possessions: None,
        defensive_rating: Some(rating),
        opponent_pace: Some(100.0),
        turnovers_forced: None,
        steals: None,
        blocks: None,
        def_rebounds: None,
        paint_points_allowed: Some(50),
        mid_points_allowed: Some(10),
        three_points_allowed: Some(36),
        source_shots: true,
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}

fn prop(lookup: &str, line: f64, snapshot_at: DateTime<Utc>) -> PlayerPointsPropRow {
    PlayerPointsPropRow {
        game_date: day(),
        game_id: "20250115_NYK_PHI".into(),
        odds_event_id: "e".into(),
        snapshot_at,
        tipoff_at: tip(),
        bookmaker: "draftkings".into(),
        player_name: lookup.into(),
        player_lookup: lookup.into(),
        line,
        over_price_american: Some(-115),
        under_price_american: Some(-105),
        over_price_decimal: None,
        under_price_decimal: None,
        minutes_before_tipoff: (tip() - snapshot_at).num_minutes(),
        after_tipoff: snapshot_at >= tip(),
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}

/// One game's worth of a player's and his opponent's rows for `date`, with `pts` points.
async fn play(h: &Harness, date: GameDate, pts: i32, with_shots: bool) {
    let (mut players, mut defenses, mut shots) = (Vec::new(), Vec::new(), Vec::new());
    for (who, team, rating) in [("a", "NYK", 112.0), ("b", "PHI", 118.0)] {
        let mut g = game(who, team, &date.to_string(), Some(pts), Some(34.0));
        g.ft_made = Some(5);
        g.usage_rate = Some(25.0 + f64::from(pts % 4));
        g.over_under_result = Some(if pts % 2 == 0 { "OVER" } else { "UNDER" }.into());
        let id = g.game_id.clone();
        players.push(g);
        defenses.push(defense(date, team, rating));
        if with_shots {
            for i in 0..8 {
                let zone = if i < 6 { "paint" } else { "three" };
                shots.push(shot(date, &id, Some(who), team, zone, i % 2 == 0));
            }
            // What each defence allowed at the rim: PHI 7 of 10, NYK 4 of 10.
            let made = if team == "PHI" { 7 } else { 4 };
            for i in 0..10 {
                shots.push(shot(date, &id, None, "OPP", "paint", i < made));
            }
        }
    }
    h.ctx.tables.replace(date, players).await.unwrap();
    h.ctx.tables.replace(date, defenses).await.unwrap();
    if with_shots {
        h.ctx.tables.replace(date, shots).await.unwrap();
    }
}

fn contexts() -> Vec<UpcomingPlayerGameContextRow> {
    let mut a = context();
    a.current_points_line = Some(24.5);
    a.current_line_source = Some("draftkings".into());
    a.opening_points_line = Some(23.5);
    a.line_movement = Some(1.0);
    a.team_pace_last_10 = Some(98.0);
    a.opponent_pace_last_10 = Some(102.0);
    a.opponent_def_rating_last_10 = Some(118.0);
    a.days_rest = Some(1);
    a.games_last_7 = 3;
    a.minutes_last_7 = 102.0;
    a.injury_status = "Active".into();
    let b = UpcomingPlayerGameContextRow {
        player_lookup: "b".into(),
        team: "PHI".into(),
        opponent: "NYK".into(),
        home: true,
        current_points_line: None,
        current_line_source: None,
        opening_points_line: None,
        line_movement: None,
        ..a.clone()
    };
    vec![a, b]
}

/// Twelve games every other day before the game day, the day's contexts and a line.
async fn league(with_shots: bool) -> Harness {
    let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 17, 0, 0).unwrap());
    for i in 1..=12u64 {
        play(&h, day().minus_days(2 * i), 31 - i as i32, with_shots).await;
    }
    h.ctx.tables.replace(day(), contexts()).await.unwrap();
    // Both before the clock (17:00Z) and tip-off; the context chose the later one.
    let snaps = vec![prop("a", 23.5, tip() - Duration::hours(10)), prop("a", 24.5, tip() - Duration::hours(9))];
    h.ctx.tables.append(day(), "pregame", snaps).await.unwrap();
    h
}

async fn features(h: &Harness) -> Vec<MlFeatureStoreRow> {
    let mut rows: Vec<MlFeatureStoreRow> = h.ctx.tables.read_date(day()).await.unwrap();
    rows.sort_by(|x, y| x.player_lookup.cmp(&y.player_lookup));
    rows
}

fn at(r: &MlFeatureStoreRow, name: &str) -> f64 {
    r.feature(name).unwrap_or_else(|| panic!("{name}"))
}

#[tokio::test]
async fn with_shots_every_feature_of_a_full_history_is_computed() {
    let h = league(true).await;
    let reports = Precompute::default().run_date(&h.ctx, day(), false).await.unwrap();
    let statuses: Vec<(&str, RunStatus)> = reports.iter().map(|r| (r.processor.as_str(), r.status)).collect();
    assert_eq!(statuses.len(), 5);
    assert!(statuses.iter().all(|(_, s)| s.is_complete()), "{statuses:?}");
    assert_eq!(statuses[0], ("player_shot_zone_analysis", RunStatus::Success));
    let rows = features(&h).await;
    assert_eq!(rows.len(), 2);
    let a = &rows[0];
    assert_eq!(a.feature_names, FEATURE_NAMES);
    // Points 30, 29, 28, … newest first (31 − i on day − 2i).
    assert_eq!(at(a, "points_avg_last_3"), 29.0);
    assert_eq!(at(a, "points_avg_last_10"), 25.5);
    assert_eq!(at(a, "points_slope_last_10"), 1.0, "one point more each game");
    assert_eq!(at(a, "paint_share"), 0.75);
    assert_eq!(at(a, "three_share"), 0.25);
    assert_eq!(at(a, "ft_share"), 50.0 / 255.0);
    assert_eq!(at(a, "dnp_rate"), 0.0);
    assert_eq!(at(a, "over_rate_last_10"), 0.5);
    // PHI allows 70 % at the rim against a league 17/32: +16.9 points × 0.75 × 2 → capped at 10.
    assert_eq!(at(a, "shot_zone_mismatch"), 10.0);
    assert_eq!(at(a, "pace_score"), 2.0);
    assert_eq!(at(a, "current_line"), 24.5);
    assert_eq!(
        (a.line, a.line_bookmaker.as_deref(), a.over_price, a.under_price),
        (Some(24.5), Some("draftkings"), Some(-115), Some(-105))
    );
    // Without rosters (age) or team context nothing else is missing; the quality says so.
    let defaulted: Vec<&str> = a.defaulted.iter().map(|i| FEATURE_NAMES[*i as usize]).collect();
    assert_eq!(defaulted, ["team_off_rating", "game_total", "game_spread"]);
    assert!((a.quality_score - (1.0 - 3.0 / FEATURE_NAMES.len() as f64)).abs() < 1e-12);
    // NYK allows 40 % at the rim: b's mismatch is negative.
    let b = &rows[1];
    let factors: Vec<PlayerCompositeFactorsRow> = h.ctx.tables.read_date(day()).await.unwrap();
    let fb = factors.iter().find(|f| f.player_lookup == "b").unwrap();
    assert!(fb.shot_zone_mismatch.unwrap() < 0.0, "{fb:?}");
    assert_eq!(at(b, "has_line"), 0.0);
    assert_eq!(b.over_price, None);
}

#[tokio::test]
async fn the_game_day_and_later_days_do_not_move_a_feature() {
    let h = league(true).await;
    let p = Precompute::default();
    p.run_date(&h.ctx, day(), false).await.unwrap();
    let before = features(&h).await;
    // The games are played: box scores, shots and defence of the day and the next, and lines
    // seen after tip-off.
    play(&h, day(), 60, true).await;
    play(&h, day().next(), 2, true).await;
    let late = vec![
        prop("a", 45.5, tip() + Duration::minutes(30)),
        prop("a", 45.5, tip()),
        // Not flagged, but taken after tip-off all the same.
        PlayerPointsPropRow { after_tipoff: false, ..prop("a", 45.5, tip() + Duration::minutes(1)) },
    ];
    h.ctx.tables.append(day(), "late", late).await.unwrap();
    h.clock.set(Utc.with_ymd_and_hms(2025, 1, 17, 12, 0, 0).unwrap());
    let again = p.run_date(&h.ctx, day(), false).await.unwrap();
    assert!(again.iter().all(|r| r.status == RunStatus::SkippedUnchanged), "{again:?}");
    let after = features(&h).await;
    for (x, y) in before.iter().zip(&after) {
        for (i, name) in FEATURE_NAMES.iter().enumerate() {
            assert_eq!(x.features[i], y.features[i], "{} {name}", x.player_lookup);
        }
        assert_eq!((x.over_price, x.line), (y.over_price, y.line));
    }
}

#[tokio::test]
async fn without_shots_zone_features_default_and_quality_drops_but_nothing_fails() {
    let with = league(true).await;
    Precompute::default().run_date(&with.ctx, day(), false).await.unwrap();
    let h = league(false).await;
    let reports = Precompute::default().run_date(&h.ctx, day(), false).await.unwrap();
    let statuses: Vec<RunStatus> = reports.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [RunStatus::Partial, RunStatus::Partial, RunStatus::Partial, RunStatus::Partial, RunStatus::Partial]
    );
    let (full, bare) = (features(&with).await, features(&h).await);
    for name in ["paint_share", "mid_share", "three_share", "shot_zone_mismatch"] {
        assert!(bare[0].is_defaulted(name), "{name}");
        assert!(!full[0].is_defaulted(name), "{name}");
    }
    assert!(bare[0].quality_score < full[0].quality_score);
    assert_eq!(at(&bare[0], "points_avg_last_10"), at(&full[0], "points_avg_last_10"));
}
