//! freshness-check, stale-run-cleanup and performance-alert.

use chrono::Duration;
use props_core::Clock;
use props_core::lambda::JsonHandler;
use props_core::pipeline::runs::{runs_for, start_run};
use props_core::ports::{Item, Severity};
use props_core::testkit::Harness;
use serde_json::json;

use super::fixtures::*;
use crate::report::Status;
use crate::settings::Settings;
use crate::{FreshnessCheck, PerformanceAlert, StaleRunCleanup};

fn status_of(report: &crate::report::Report, name: &str) -> Status {
    report.checks.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no check {name}: {report:?}")).status
}

#[tokio::test]
async fn freshness_flags_a_stale_latest_partition_but_not_old_partitions_under_a_fresh_one() {
    let h = Harness::new(morning());
    let ctx = &h.ctx;
    // rosters: the latest snapshot was written 30 h ago → CRITICAL.
    h.clock.advance(Duration::hours(-30));
    put(ctx, "rosters", "2025-01-15", vec![Row::new("2025-01-15")]).await;
    // player_game_summary: an old partition written 5 days ago ...
    h.clock.advance(Duration::hours(-90));
    put(ctx, "player_game_summary", "2025-01-11", games("2025-01-11", &["20250111_A_B"])).await;
    put(ctx, "player_composite_factors", "2025-01-11", vec![Row::new("2025-01-11")]).await;
    h.clock.set(morning() - Duration::hours(2));
    // ... and a fresh latest one → pass.
    put(ctx, "player_game_summary", YESTERDAY, games(YESTERDAY, &["20250115_C_D"])).await;
    h.clock.set(morning());
    // No games today: the props rule (game days only) is not checked.
    put(ctx, "schedule", TODAY, vec![]).await;

    let r = crate::freshness::check(ctx, &Settings::default(), d(TODAY)).await;
    assert_eq!(status_of(&r, "freshness rosters"), Status::Critical);
    let rosters = r.checks.iter().find(|c| c.name == "freshness rosters").unwrap();
    assert_eq!(rosters.detail, "latest partition 2025-01-15 was written 30.0 h ago (max 24.0 h)");
    assert_eq!(status_of(&r, "freshness player_game_summary"), Status::Pass, "{r:?}");
    assert_eq!(status_of(&r, "freshness player_composite_factors"), Status::Error, "old latest partition");
    assert_eq!(status_of(&r, "freshness player_points_props"), Status::Pass, "not a game day");

    // On a game day the props rule applies, and a missing table is a failing check.
    put(ctx, "schedule", TODAY, games(TODAY, &["20250116_LAL_DEN"])).await;
    let r = crate::freshness::check(ctx, &Settings::default(), d(TODAY)).await;
    assert_eq!(status_of(&r, "freshness player_points_props"), Status::Warn);
}

#[tokio::test]
async fn freshness_lists_missing_games_per_source_and_sends_one_message() {
    let h = Harness::new(morning());
    let ctx = &h.ctx;
    for (date, ids) in [("2025-01-13", vec!["20250113_A_B", "20250113_C_D"]), (YESTERDAY, vec!["20250115_E_F"])] {
        put(ctx, "schedule", date, games(date, &ids)).await;
        put(ctx, "team_boxscores", date, games(date, &ids)).await;
        put(ctx, "player_game_summary", date, games(date, &ids)).await;
        put(ctx, "shots", date, games(date, &ids[..1])).await;
        put(ctx, "player_boxscores", date, games(date, &ids[..1])).await;
    }
    let out = FreshnessCheck { settings: Settings::default() }.handle(ctx, json!({})).await.unwrap();
    let r = crate::freshness::check(ctx, &Settings::default(), d(TODAY)).await;
    assert_eq!(status_of(&r, "missing games team_boxscores"), Status::Pass);
    assert_eq!(status_of(&r, "missing games player_boxscores"), Status::Error);
    assert_eq!(status_of(&r, "missing games shots"), Status::Warn, "play-by-play is optional");
    let pb = r.checks.iter().find(|c| c.name == "missing games player_boxscores").unwrap();
    assert_eq!(pb.detail, "1 of 3 games since 2025-01-09 missing: 20250113_C_D");
    let alerts = h.alerts.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].severity, Severity::Critical, "rosters are missing altogether");
    assert!(alerts[0].lines.iter().any(|l| l.contains("missing games player_boxscores")));
    assert_eq!(out["job"], "freshness-check");
}

#[tokio::test]
async fn stale_runs_are_failed_with_the_reason_and_listed_once() {
    let h = Harness::new(morning() - Duration::hours(5));
    let state = h.ctx.state.as_ref();
    start_run(state, "player_game_summary", d(YESTERDAY), "r1", h.clock.now()).await.unwrap();
    start_run(state, "ml_feature_store", d(TODAY), "r2", h.clock.now()).await.unwrap();
    h.clock.advance(Duration::hours(3));
    start_run(state, "player_daily_cache", d(TODAY), "r3", h.clock.now()).await.unwrap();
    h.clock.set(morning());

    let out = StaleRunCleanup { settings: Settings::default() }.handle(&h.ctx, json!({})).await.unwrap();
    assert_eq!(out["failing"].as_array().unwrap().len(), 2, "{out:#}");
    let run = &runs_for(state, "player_game_summary", d(YESTERDAY)).await.unwrap()[0];
    assert_eq!(run.get_str("status"), Some("failed"));
    assert!(run.get_str("reason").unwrap().starts_with("still running after 4 h"), "{run:?}");
    assert_eq!(runs_for(state, "player_daily_cache", d(TODAY)).await.unwrap()[0].get_str("status"), Some("running"));
    let alerts = h.alerts.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].severity, Severity::Warning);
    assert!(
        alerts[0].title.starts_with("stale-run-cleanup 2025-01-16: 2 stale run(s) marked failed: "),
        "{}",
        alerts[0].title
    );
    let text = alerts[0].lines.join("\n");
    assert!(text.contains("player_game_summary 2025-01-15") && text.contains("ml_feature_store 2025-01-16"), "{text}");

    // Nothing stale any more: a summary, no message.
    let out = StaleRunCleanup { settings: Settings::default() }.handle(&h.ctx, json!({})).await.unwrap();
    assert_eq!(out["status"], "pass");
    assert!(out["alert"].is_null());
    assert_eq!(h.alerts.alerts().len(), 1);
}

#[tokio::test]
async fn performance_flags_a_degrading_champion_and_better_challengers() {
    let h = Harness::new(morning());
    let ctx = &h.ctx;
    for back in 1..=30u64 {
        let date = d(TODAY).minus_days(back).to_string();
        let recent = back <= 7;
        let rows = vec![
            Row::perf(&date, "moving_average", if recent { 6.0 } else { 5.0 }, if recent { 0.48 } else { 0.56 }, 20),
            Row::perf(&date, "zone_matchup", 5.2, 0.55, 20),
            Row::perf(&date, "similarity", 6.5, 0.50, 10),
        ];
        put(ctx, "system_daily_performance", &date, rows).await;
    }
    let out = PerformanceAlert { settings: Settings::default() }.handle(ctx, json!({})).await.unwrap();
    let failing: Vec<&str> = out["failing"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(failing, ["champion moving_average MAE", "champion moving_average win rate", "challengers"], "{out:#}");
    let text = h.alerts.alerts()[0].lines.join("\n");
    assert!(text.contains("zone_matchup MAE 5.20") && !text.contains("similarity MAE"), "{text}");

    // The registry names another champion: it is judged instead.
    ctx.state.put(Item::new("MODEL#zone_matchup", "v3").with("champion", true), None).await.unwrap();
    let r = crate::performance::check(ctx, &Settings::default(), d(TODAY)).await;
    assert_eq!(r.worst(), Status::Pass, "{r:?}");
}

#[tokio::test]
async fn performance_without_data_is_an_error_not_a_crash() {
    let h = Harness::new(morning());
    let r = crate::performance::check(&h.ctx, &Settings::default(), d(TODAY)).await;
    assert_eq!(r.worst(), Status::Error);
    assert!(r.checks[0].detail.starts_with("no graded results since 2025-01-09"), "{r:?}");
}

#[tokio::test]
async fn each_run_writes_one_event_log_object() {
    let h = Harness::new(morning());
    StaleRunCleanup { settings: Settings::default() }.handle(&h.ctx, json!({})).await.unwrap();
    crate::DailyHealth { settings: Settings::default() }
        .handle(&h.ctx, json!({"invocation_id": "req-7"}))
        .await
        .unwrap();
    let keys: Vec<String> = h
        .ctx
        .blobs
        .list("tables/orchestration/pipeline_event_log/")
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.key)
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.iter().any(|k| k.ends_with("/req-7-0000.parquet")), "{keys:?}");
}
