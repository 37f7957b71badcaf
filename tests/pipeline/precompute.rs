//! Phase 4 on a real replayed day: phases 2 and 3 build the inputs from the replay server, the
//! feature store is built for 2024-03-05, and the features of named players are checked against
//! values computed here from the raw box scores with plain arithmetic (never by calling the
//! phase-4 code). Then the games are played and every feature must stay as it was.

use chrono::{TimeZone, Utc};
use props_analytics::Analytics;
use props_core::GameDate;
use props_core::messages::RunStatus;
use props_core::ports::QueueName;
use props_core::sources::nba_stats;
use props_core::sources::request::Endpoint;
use props_core::tables::rows::precompute::{FEATURE_NAMES, MlFeatureStoreRow};
use props_core::tables::rows::raw::{PlayerBoxscoreRow, PlayerPointsPropRow};
use props_core::testkit::{Harness, real_data_dir, replay};
use props_precompute::Precompute;
use serde_json::json;

use crate::analytics::{CONTEXTS, SUMMARIES, Source, drain, scheduled};

/// A player's games with minutes before `day`, newest first: (date, points, minutes).
fn played(raw: &[PlayerBoxscoreRow], lookup: &str, day: GameDate) -> Vec<(GameDate, f64, f64)> {
    let mut g: Vec<(GameDate, f64, f64)> = raw
        .iter()
        .filter(|r| r.player_lookup == lookup && r.game_date < day && r.minutes.unwrap_or(0.0) > 0.0)
        .filter_map(|r| Some((r.game_date, f64::from(r.points?), r.minutes?)))
        .collect();
    g.sort_by_key(|x| std::cmp::Reverse(x.0));
    g
}

fn avg(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn feature(r: &MlFeatureStoreRow, name: &str) -> f64 {
    r.feature(name).unwrap_or_else(|| panic!("{} has no {name}", r.player_lookup))
}

fn near(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-9, "{what}: {got} != {want}");
}

/// The features of one player from the raw box scores.
fn check_player(r: &MlFeatureStoreRow, raw: &[PlayerBoxscoreRow], day: GameDate) {
    let g = played(raw, &r.player_lookup, day);
    let who = r.player_lookup.as_str();
    let pts = |n: usize| g.iter().take(n).map(|x| x.1).collect::<Vec<_>>();
    let l10 = pts(10);
    near(feature(r, "points_avg_last_3"), avg(&pts(3)), &format!("{who} L3"));
    near(feature(r, "points_avg_last_5"), avg(&pts(5)), &format!("{who} L5"));
    near(feature(r, "points_avg_last_10"), avg(&l10), &format!("{who} L10"));
    let season: Vec<f64> = g.iter().map(|x| x.1).collect();
    near(feature(r, "points_avg_season"), avg(&season), &format!("{who} season"));
    let m = avg(&l10);
    let sd = (l10.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (l10.len() - 1) as f64).sqrt();
    near(feature(r, "points_std_last_10"), sd, &format!("{who} std"));
    let min10: Vec<f64> = g.iter().take(10).map(|x| x.2).collect();
    near(feature(r, "minutes_avg_last_10"), avg(&min10), &format!("{who} minutes"));
    near(feature(r, "points_per_minute"), l10.iter().sum::<f64>() / min10.iter().sum::<f64>(), &format!("{who} ppm"));
    let week = g.iter().filter(|x| x.0 >= day.minus_days(7)).count() as f64;
    near(feature(r, "games_last_7_days"), week, &format!("{who} games in 7 days"));
    near(feature(r, "days_rest"), (g[0].0.days_until(day) - 1) as f64, &format!("{who} rest"));
    near(feature(r, "back_to_back"), if g[0].0 == day.prev() { 1.0 } else { 0.0 }, &format!("{who} b2b"));
    near(feature(r, "recent_trend"), avg(&pts(3)) - avg(&l10), &format!("{who} trend"));
    near(feature(r, "minutes_change"), avg(&min10[..3]) - avg(&min10), &format!("{who} minutes change"));
    // Least squares through the last 10, oldest first.
    let ys: Vec<f64> = l10.iter().rev().copied().collect();
    let xm = (ys.len() - 1) as f64 / 2.0;
    let ym = avg(&ys);
    let sxy: f64 = ys.iter().enumerate().map(|(i, y)| (i as f64 - xm) * (y - ym)).sum();
    let sxx: f64 = (0..ys.len()).map(|i| (i as f64 - xm).powi(2)).sum();
    near(feature(r, "points_slope_last_10"), sxy / sxx, &format!("{who} slope"));
    let ssd = (season.iter().map(|x| (x - avg(&season)).powi(2)).sum::<f64>() / (season.len() - 1) as f64).sqrt();
    near(feature(r, "z_score_l5_vs_season"), (avg(&pts(5)) - avg(&season)) / ssd, &format!("{who} z"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_2024_03_05_features_match_the_box_scores_and_nothing_leaks() {
    if real_data_dir().is_none() {
        return;
    }
    let Some(r) = replay::start() else { return };
    replay::control(&r.base, reqwest::Method::POST, "/_replay/clock", json!({"now": "2024-03-07T12:00:00Z"})).await;
    let src = Source::new(&r.base);
    let day: GameDate = "2024-03-05".parse().unwrap();
    let history_from: GameDate = "2024-01-20".parse().unwrap();
    // The game day, after the day's line snapshots and before the first tip-off.
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 3, 5, 21, 0, 0).unwrap());
    let (a, p) = (Analytics::default(), Precompute::default());
    let mut seq = 0;
    let schedule = src.get(&nba_stats::schedule(&src.urls, "2023-24".parse().unwrap())).await;
    src.land(&h.ctx, Endpoint::Schedule, day, schedule, &mut seq).await;
    for date in history_from.through(day.prev()) {
        src.gamelogs(&h.ctx, date, &mut seq).await;
    }
    src.odds(&h.ctx, day, Utc.with_ymd_and_hms(2024, 3, 5, 20, 0, 0).unwrap(), &mut seq).await;
    drain(&h, QueueName::AnalyticsJobs).await;
    let input = json!({"processors": SUMMARIES, "start_date": history_from.to_string(), "end_date": "YESTERDAY", "backfill": true});
    scheduled(&h, &a, input).await;
    let runs = scheduled(&h, &a, json!({"processors": CONTEXTS, "start_date": "TODAY"})).await;
    assert!(runs.iter().all(|r| r.2 == "success"), "{runs:?}");

    let reports = p.run_date(&h.ctx, day, false).await.unwrap();
    let statuses: Vec<(&str, RunStatus)> = reports.iter().map(|r| (r.processor.as_str(), r.status)).collect();
    // 2023-24 has no play-by-play: the zone views are partial, nothing fails.
    assert_eq!(statuses[0], ("player_shot_zone_analysis", RunStatus::Partial), "{statuses:?}");
    assert!(statuses.iter().all(|(_, s)| s.is_complete()), "{statuses:?}");
    let rows: Vec<MlFeatureStoreRow> = h.ctx.tables.read_date(day).await.unwrap();
    let contexts = h.ctx.tables.row_count("upcoming_player_game_context", day, day).await.unwrap();
    assert_eq!(rows.len() as u64, contexts, "one row per expected player");
    let raw: Vec<PlayerBoxscoreRow> = h.ctx.tables.read(history_from, day.prev()).await.unwrap();
    let row = |lookup: &str| rows.iter().find(|r| r.player_lookup == lookup).unwrap_or_else(|| panic!("{lookup}"));

    for lookup in ["jaysontatum", "paolobanchero", "tyresehaliburton"] {
        check_player(row(lookup), &raw, day);
    }
    // By hand (the analytics test lists the games): Tatum L5 26.4, L10 27.4, line 28.5 at
    // draftkings, away at CLE; Haliburton's 0 in 23 minutes counts as a game.
    let tatum = row("jaysontatum");
    near(feature(tatum, "points_avg_last_5"), 26.4, "Tatum L5");
    near(feature(tatum, "points_avg_last_10"), 27.4, "Tatum L10");
    assert_eq!((feature(tatum, "current_line"), feature(tatum, "has_line"), feature(tatum, "home")), (28.5, 1.0, 0.0));
    assert_eq!((tatum.line, tatum.line_bookmaker.as_deref()), (Some(28.5), Some("draftkings")));
    assert!(tatum.over_price.is_some() && tatum.under_price.is_some(), "{tatum:?}");
    near(feature(row("tyresehaliburton"), "points_avg_last_5"), 11.0, "Haliburton L5");
    near(feature(row("mikalbridges"), "back_to_back"), 1.0, "Brooklyn played on 03-04");
    // No shots, no made/attempted splits, no rosters in 2023-24: those features are defaults.
    for name in
        ["paint_share", "mid_share", "three_share", "shot_zone_mismatch", "ft_share", "usage_spike", "injury_status"]
    {
        assert!(tatum.is_defaulted(name), "{name}");
    }
    assert!(!tatum.is_defaulted("points_avg_last_10") && !tatum.is_defaulted("current_line"));
    assert!(tatum.quality_score > 0.6 && tatum.quality_score < 1.0, "{}", tatum.quality_score);
    // Every row's averages against the raw box scores.
    let mut checked = 0;
    for r in &rows {
        let g = played(&raw, &r.player_lookup, day);
        if g.len() >= 10 {
            near(
                feature(r, "points_avg_last_10"),
                avg(&g.iter().take(10).map(|x| x.1).collect::<Vec<_>>()),
                &r.player_lookup,
            );
            checked += 1;
        } else if g.is_empty() {
            assert!(r.is_defaulted("points_avg_last_10"), "{}", r.player_lookup);
        }
        assert_eq!(r.features.len(), FEATURE_NAMES.len());
    }
    assert!(checked > 100, "{checked}");

    // The games are played: the game day's box scores (Tatum's changed), lines seen after
    // tip-off and the next day's games arrive, and phase 3 summarises them.
    h.clock.set(Utc.with_ymd_and_hms(2024, 3, 7, 12, 0, 0).unwrap());
    src.gamelogs(&h.ctx, day, &mut seq).await;
    src.gamelogs(&h.ctx, day.next(), &mut seq).await;
    let mut boxes: Vec<PlayerBoxscoreRow> = h.ctx.tables.read_date(day).await.unwrap();
    for b in boxes.iter_mut().filter(|b| b.player_lookup == "jaysontatum") {
        b.points = Some(60);
    }
    h.ctx.tables.replace(day, boxes).await.unwrap();
    let props: Vec<PlayerPointsPropRow> = h.ctx.tables.read_date(day).await.unwrap();
    let late: Vec<PlayerPointsPropRow> = props
        .iter()
        .map(|p| PlayerPointsPropRow {
            snapshot_at: p.tipoff_at + chrono::Duration::minutes(30),
            minutes_before_tipoff: -30,
            after_tipoff: true,
            line: p.line + 10.0,
            over_price_american: Some(400),
            ..p.clone()
        })
        .collect();
    h.ctx.tables.append(day, "late-snapshot", late).await.unwrap();
    drain(&h, QueueName::AnalyticsJobs).await;
    let later = scheduled(
        &h,
        &a,
        json!({"processors": SUMMARIES, "start_date": day.to_string(), "end_date": day.next().to_string()}),
    )
    .await;
    assert!(later.iter().all(|r| r.2 == "success"), "the played days are summarised: {later:?}");
    scheduled(&h, &a, json!({"processors": CONTEXTS, "start_date": day.to_string()})).await;
    let again = p.run_date(&h.ctx, day, false).await.unwrap();
    assert!(again.iter().all(|r| r.status == RunStatus::SkippedUnchanged), "{again:?}");
    let after: Vec<MlFeatureStoreRow> = h.ctx.tables.read_date(day).await.unwrap();
    assert_eq!(after.len(), rows.len());
    for (x, y) in rows.iter().zip(&after) {
        assert_eq!(x.player_lookup, y.player_lookup);
        for (i, name) in FEATURE_NAMES.iter().enumerate() {
            assert_eq!(x.features[i], y.features[i], "{} {name} moved", x.player_lookup);
        }
        assert_eq!((x.line, x.over_price, x.under_price), (y.line, y.over_price, y.under_price));
    }
}
