use std::path::Path;
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use props_core::messages::RunStatus;
use props_core::pipeline::completion::{Completion, record_completion};
use props_core::tables::rows::predictions::{
    Outcome, PlayerPropPredictionRow, PredictionAccuracyRow, Recommendation, SystemDailyPerformanceRow,
};
use props_core::testkit::{Harness, skip};

use super::*;

fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 5, 16, 0, 0).unwrap()
}

fn pred(player: &str, system: &str, rec: Recommendation, predicted: f64, line: f64) -> PlayerPropPredictionRow {
    PlayerPropPredictionRow {
        game_date: d("2024-03-05"),
        prediction_id: format!("{system}:20240305_BOS_NYK:{player}"),
        system_id: system.into(),
        game_id: "20240305_BOS_NYK".into(),
        player_lookup: player.into(),
        team: "NYK".into(),
        opponent: "BOS".into(),
        home: true,
        predicted_points: Some(predicted),
        confidence: 72.0,
        recommendation: rec,
        line: Some(line),
        line_source: Some("draftkings".into()),
        over_price: Some(-110),
        under_price: Some(-110),
        line_margin: Some(predicted - line),
        is_active: true,
        inactive_reason: None,
        is_actionable: rec.is_pick(),
        filter_reason: (!rec.is_pick()).then(|| "low_edge".into()),
        feature_version: "v1".into(),
        feature_quality: 1.0,
        feature_snapshot: "{}".into(),
        model_version: "rules-v1".into(),
        processed_at: at(),
        data_hash: String::new(),
    }
}

fn graded(player: &str, outcome: Outcome) -> PredictionAccuracyRow {
    PredictionAccuracyRow {
        game_date: d("2024-03-04"),
        prediction_id: format!("moving_average:g:{player}"),
        system_id: "moving_average".into(),
        game_id: "g".into(),
        player_lookup: player.into(),
        predicted_points: Some(25.0),
        confidence: 70.0,
        recommendation: Recommendation::Over,
        line: Some(22.5),
        price: Some(-110),
        actual_points: Some(if outcome == Outcome::Correct { 30 } else { 20 }),
        minutes_played: Some(33.0),
        outcome,
        void_reason: None,
        abs_error: Some(5.0),
        signed_error: Some(-5.0),
        within_3: Some(false),
        within_5: Some(true),
        profit_units: Some(if outcome == Outcome::Correct { 0.91 } else { -1.0 }),
        processed_at: at(),
        data_hash: String::new(),
    }
}

fn perf(date: GameDate, system: &str, mae: f64) -> SystemDailyPerformanceRow {
    SystemDailyPerformanceRow {
        game_date: date,
        system_id: system.into(),
        predictions: 40,
        picks: 10,
        correct: 6,
        incorrect: 4,
        pushes: 0,
        voids: 1,
        no_line: 5,
        passes: 24,
        win_rate: Some(0.6),
        mae: Some(mae),
        bias: Some(0.2),
        roi: Some(0.145),
        over_picks: 5,
        over_correct: 3,
        under_picks: 5,
        under_correct: 3,
        high_conf_picks: 2,
        high_conf_correct: 1,
        processed_at: at(),
        data_hash: String::new(),
    }
}

async fn seeded() -> Harness {
    let h = Harness::new(at());
    let date = d("2024-03-05");
    let preds = vec![
        pred("jalenbrunson", "ensemble", Recommendation::Over, 31.2, 27.5),
        pred("joshhart", "moving_average", Recommendation::Under, 8.1, 11.5),
        pred("<script>alert(1)</script>", "similarity", Recommendation::Pass, 12.0, 12.5),
    ];
    h.ctx.tables.replace(date, preds).await.unwrap();
    h.ctx
        .tables
        .replace(d("2024-03-04"), vec![graded("a", Outcome::Correct), graded("b", Outcome::Incorrect)])
        .await
        .unwrap();
    for i in 1..=30u64 {
        let day = date.minus_days(i);
        let rows = vec![
            perf(day, "moving_average", 5.0 + (i % 5) as f64 * 0.2),
            perf(day, "ensemble", 4.6 + (i % 3) as f64 * 0.1),
        ];
        h.ctx.tables.replace(day, rows).await.unwrap();
    }
    let c = Completion {
        phase: 5,
        processor: "player_prop_predictions".into(),
        game_date: date,
        status: RunStatus::Success,
        rows: 3,
        output_hash: "h".into(),
        completed_at: at(),
        seq: 0,
    };
    record_completion(h.ctx.state.as_ref(), &c).await.unwrap();
    h
}

#[tokio::test]
async fn a_publish_job_writes_the_three_exports_and_the_page() {
    let h = seeded().await;
    let job = PublishJob { predictions: 3, output_hash: "h".into() };
    let env = Envelope::new(&job, d("2024-03-05"), 6, "player_prop_predictions", "h", at(), false).unwrap();
    EnvelopeHandler::handle(&Publish, &h.ctx, env).await.unwrap();
    let get = |f: &'static str| {
        let ctx = h.ctx.clone();
        async move { ctx.blobs.get(&export_key(d("2024-03-05"), f)).await.unwrap().unwrap() }
    };
    let preds: Value = serde_json::from_slice(&get("predictions.json").await).unwrap();
    assert_eq!(preds["predictions"], 3);
    let picks = preds["actionable"].as_array().unwrap();
    assert_eq!(picks.len(), 2, "the PASS is not listed");
    assert_eq!(picks[0]["player_lookup"], "jalenbrunson", "largest edge first");
    let results: Value = serde_json::from_slice(&get("results.json").await).unwrap();
    assert_eq!((results["game_date"].as_str(), results["outcomes"]["correct"].as_u64()), (Some("2024-03-04"), Some(1)));
    let perf: Value = serde_json::from_slice(&get("system-performance.json").await).unwrap();
    let systems = perf["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 2);
    assert_eq!(systems[0]["last_7"]["days"], 7);
    assert_eq!(systems[0]["last_30"]["days"], 30);
    let html = String::from_utf8(get("index.html").await.to_vec()).unwrap();
    assert!(html.contains("jalenbrunson") && html.contains("+3.7") && html.contains("<svg"));
    assert!(!html.contains("<script"), "names are escaped and the page has no script");
    assert!(html.contains("player_prop_predictions (success)"));
    // A redelivered job writes the same bytes.
    JsonHandler::handle(&Publish, &h.ctx, json!({"date": "2024-03-05"})).await.unwrap();
    assert_eq!(String::from_utf8(get("index.html").await.to_vec()).unwrap(), html);
}

#[tokio::test]
async fn other_messages_and_bad_input_are_permanent() {
    let h = Harness::new(at());
    let p = props_core::messages::TableUpdated { table: "x".into(), rows: 1, data_hash: "h".into() };
    let env = Envelope::new(&p, d("2024-03-05"), 5, "t", "c", at(), false).unwrap();
    assert!(!EnvelopeHandler::handle(&Publish, &h.ctx, env).await.unwrap_err().is_transient());
    assert!(!JsonHandler::handle(&Publish, &h.ctx, json!({"when": 1})).await.unwrap_err().is_transient());
    // An empty day still publishes a page that says so.
    let out = JsonHandler::handle(&Publish, &h.ctx, json!({})).await.unwrap();
    assert_eq!(out["exports"].as_array().unwrap().len(), 4);
}

/// `chromium` (Debian's package; `.ci/run` installs it), or `None`.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// Loads `page` headless and screenshots it; returns the console lines Chromium logged.
fn load(browser: &str, page: &Path, shot: &Path) -> Vec<String> {
    let profile = tempfile_dir(page);
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--enable-logging=stderr", "--v=0", "--window-size=1200,1600"])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr.lines().filter(|l| l.contains("CONSOLE") || l.contains("Uncaught")).map(str::to_string).collect()
}

fn tempfile_dir(near: &Path) -> std::path::PathBuf {
    let p = near.with_extension("profile");
    std::fs::create_dir_all(&p).unwrap();
    p
}

#[tokio::test]
async fn the_page_renders_in_headless_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        skip("SKIPPED (no chromium): install Debian's `chromium` to render the page");
        return;
    };
    let h = seeded().await;
    JsonHandler::handle(&Publish, &h.ctx, json!({"date": "2024-03-05"})).await.unwrap();
    let html = h.ctx.blobs.get(&export_key(d("2024-03-05"), "index.html")).await.unwrap().unwrap();
    let dir = h.dir.path();
    let page = dir.join("index.html");
    std::fs::write(&page, &html).unwrap();
    // The detector itself: a page that logs an error is caught.
    let bad = dir.join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><body><script>console.error('boom'); undefinedFn();</script></body></html>",
    )
    .unwrap();
    let bad_lines = load(browser, &bad, &dir.join("bad.png"));
    assert!(!bad_lines.is_empty(), "the console detector must see a page's errors");
    let shot = dir.join("page.png");
    let lines = load(browser, &page, &shot);
    assert!(lines.is_empty(), "console output: {lines:?}");
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "a real screenshot ({} bytes)", png.len());
    if let Ok(keep) = std::env::var("PROPS_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}
