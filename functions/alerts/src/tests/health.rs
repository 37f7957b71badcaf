//! daily-health: one message naming every failing check, or one INFO summary.

use std::time::Duration as StdDuration;

use props_core::Context;
use props_core::lambda::JsonHandler;
use props_core::pipeline::processors::{GAME_SUMMARIES, UPCOMING_CONTEXTS};
use props_core::pipeline::retry_queue::record_transient_failure;
use props_core::ports::{Queue, QueueName, Severity};
use props_core::testkit::Harness;
use serde_json::{Value, json};

use super::fixtures::*;
use crate::health::DailyHealth;
use crate::settings::Settings;

/// Everything in order for yesterday and today.
pub async fn seed_healthy(ctx: &Context) {
    put(ctx, "schedule", YESTERDAY, games(YESTERDAY, &["20250115_NYK_PHI", "20250115_BOS_MIA"])).await;
    for t in ["player_boxscores", "team_boxscores"] {
        put(ctx, t, YESTERDAY, games(YESTERDAY, &["20250115_NYK_PHI", "20250115_BOS_MIA"])).await;
    }
    put(ctx, "schedule", TODAY, games(TODAY, &["20250116_LAL_DEN"])).await;
    for p in GAME_SUMMARIES {
        complete(ctx, 3, p, YESTERDAY).await;
    }
    for p in UPCOMING_CONTEXTS {
        complete(ctx, 3, p, TODAY).await;
    }
    for date in [YESTERDAY, TODAY] {
        trigger_sent(ctx, "3to4", date).await;
        trigger_sent(ctx, "4to5", date).await;
    }
    let preds = |date: &str| {
        vec![
            Row::prediction(date, "lebronjames", Some(25.5), true),
            Row::prediction(date, "nikolajokic", Some(27.5), true),
            Row::prediction(date, "benchguy", None, true),
        ]
    };
    put(ctx, "player_prop_predictions", TODAY, preds(TODAY)).await;
    put(ctx, "player_prop_predictions", YESTERDAY, preds(YESTERDAY)).await;
    put(ctx, "prediction_accuracy", YESTERDAY, preds(YESTERDAY)).await;
}

/// Yesterday 4/10 games with box scores, nothing downstream, an open breaker, a retry that gave
/// up, and a dead letter.
async fn seed_unhealthy(h: &Harness) {
    let ctx = &h.ctx;
    let ids: Vec<String> = (0..10).map(|i| format!("20250115_G{i}_H{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    put(ctx, "schedule", YESTERDAY, games(YESTERDAY, &ids)).await;
    put(ctx, "player_boxscores", YESTERDAY, games(YESTERDAY, &ids[..4])).await;
    put(ctx, "team_boxscores", YESTERDAY, games(YESTERDAY, &ids[..6])).await;
    put(ctx, "schedule", TODAY, games(TODAY, &["20250116_LAL_DEN"])).await;
    put(ctx, "player_prop_predictions", YESTERDAY, vec![Row::prediction(YESTERDAY, "a", Some(10.5), true)]).await;
    let breaker =
        props_core::pipeline::circuit::CircuitBreaker::for_source(ctx.state.clone(), ctx.clock.clone(), "nba_stats");
    for _ in 0..5 {
        breaker.record_failure().await.unwrap();
    }
    for _ in 0..4 {
        record_transient_failure(
            ctx.state.as_ref(),
            3,
            "player_game_summary",
            d(YESTERDAY),
            "upstream not ready",
            ctx.clock.now(),
        )
        .await
        .unwrap();
    }
    h.queue.send(QueueName::RawPayloads, "{}").await.unwrap();
    for _ in 0..5 {
        let got = h.queue.receive(QueueName::RawPayloads, 1, StdDuration::from_secs(30)).await.unwrap();
        h.queue.release(QueueName::RawPayloads, &got[0].receipt).await.unwrap();
    }
    assert_eq!(h.queue.depth(QueueName::RawPayloads).await.unwrap().dead_letters, 1);
}

fn failing(summary: &Value) -> Vec<String> {
    summary["failing"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn healthy_day_sends_one_info_summary() {
    let h = Harness::new(morning());
    seed_healthy(&h.ctx).await;
    let out = DailyHealth { settings: Settings::default() }.handle(&h.ctx, json!({})).await.unwrap();
    assert_eq!(out["status"], "pass", "{out:#}");
    assert!(failing(&out).is_empty(), "{out:#}");
    let alerts = h.alerts.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].severity, Severity::Info);
    assert_eq!(alerts[0].title, "daily-health 2025-01-16: all 11 checks pass");
    let text = alerts[0].lines.join("\n");
    assert!(text.contains("2/2 (100%) games have player and team box scores"), "{text}");
    assert!(text.contains("2/2 (100%) players with a line have an active prediction"), "{text}");
}

#[tokio::test]
async fn yesterdays_request_counts_are_in_the_summary_and_the_message() {
    let h = Harness::new(morning());
    seed_healthy(&h.ctx).await;
    h.ctx.metrics.counts().take(); // the seeding is not part of the day under test
    h.clock.set(morning() - chrono::Duration::days(1));
    let work = async {
        for i in 0..3 {
            h.ctx.blobs.put(&format!("x/{i}"), "1".into()).await.unwrap();
        }
        h.ctx.state.get("A", "B").await.unwrap();
        h.ctx.state.get("A", "C").await.unwrap();
        h.ctx.queue.send(QueueName::ScrapeJobs, "{}").await.unwrap();
    };
    props_core::events::in_invocation(&h.ctx, "scrape", "req-1".into(), work).await;
    h.clock.set(morning());
    let out = DailyHealth { settings: Settings::default() }.handle(&h.ctx, json!({})).await.unwrap();
    let y = &out["requests"][YESTERDAY];
    assert_eq!(y["s3_put"], 3, "{out:#}");
    assert_eq!(y["dynamodb_get"], 2, "{out:#}");
    assert_eq!(y["dynamodb_update"], 1, "the invocation's one metrics write: {out:#}");
    assert_eq!(y["sqs_send"], 1, "{out:#}");
    assert_eq!(y["s3_total"], 3, "{out:#}");
    assert!(out["requests"][TODAY].is_object(), "{out:#}");
    let text = h.alerts.alerts()[0].lines.join("\n");
    assert!(
        text.contains(
            "requests 2025-01-15: S3 3 (get 0, put 3, list 0, delete 0); DynamoDB 2 reads, 1 writes; SQS 1 (1 sends)"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn unhealthy_day_sends_one_critical_message_naming_every_failing_check() {
    let h = Harness::new(morning());
    seed_unhealthy(&h).await;
    let out = DailyHealth { settings: Settings::default() }.handle(&h.ctx, json!({})).await.unwrap();
    let names = failing(&out);
    let expected = [
        "box scores 2025-01-15",
        "pipeline 2025-01-15",
        "pipeline 2025-01-16",
        "predictions 2025-01-16",
        "grading 2025-01-15",
        "circuit breakers",
        "retry queue",
        "dead-letter queues",
    ];
    for e in expected {
        assert!(names.iter().any(|n| n == e), "{e} not failing: {out:#}");
    }
    let alerts = h.alerts.alerts();
    assert_eq!(alerts.len(), 1, "one message per run");
    let a = &alerts[0];
    assert_eq!(a.severity, Severity::Critical);
    let text = a.lines.join("\n");
    for e in expected {
        assert!(text.contains(e), "message does not name {e}: {text}");
    }
    assert!(text.contains("4/10 (40%) games"), "{text}");
    assert!(text.contains("source#nba_stats"), "{text}");
    assert!(text.contains("raw-payloads: 1"), "{text}");
    assert!(text.contains("failed permanently"), "{text}");
}

#[tokio::test]
async fn box_score_bands_follow_the_thresholds() {
    for (covered, status) in [(20, "pass"), (19, "pass"), (18, "warn"), (12, "error"), (9, "critical")] {
        let h = Harness::new(morning());
        let ids: Vec<String> = (0..20).map(|i| format!("20250115_A{i}_B{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        put(&h.ctx, "schedule", YESTERDAY, games(YESTERDAY, &ids)).await;
        let n = covered;
        for t in ["player_boxscores", "team_boxscores"] {
            put(&h.ctx, t, YESTERDAY, games(YESTERDAY, &ids[..n])).await;
        }
        let report = crate::health::check(&h.ctx, &Settings::default(), d(TODAY)).await;
        let c = report.checks.iter().find(|c| c.name == "box scores 2025-01-15").unwrap();
        assert_eq!(serde_json::to_value(c.status).unwrap(), status, "{n}/20: {c:?}");
    }
}

#[tokio::test]
async fn missing_tables_are_failing_checks_not_crashes() {
    let h = Harness::new(morning());
    let report = crate::health::check(&h.ctx, &Settings::default(), d(TODAY)).await;
    let c = report.checks.iter().find(|c| c.name == "box scores 2025-01-15").unwrap();
    assert_eq!(c.detail, "the schedule has no partition for 2025-01-15");
    assert!(report.failing().count() >= 1);
}

mod quota {
    use chrono::{DateTime, TimeZone, Utc};
    use props_core::tables::rows::orchestration::ScraperExecution;

    use super::*;
    use crate::health::check;

    fn execution(remaining: f64, minute: u32) -> ScraperExecution {
        ScraperExecution {
            game_date: d(TODAY),
            execution_id: format!("e{minute}"),
            scraper: "odds/event-odds".into(),
            workflow: "betting_lines".into(),
            status: "success".into(),
            attempts: 1,
            http_status: Some(200),
            duration_ms: 40,
            bytes: 1000,
            records: 20,
            error_message: None,
            parameters: "{}".into(),
            url: None,
            raw_key: None,
            unchanged: false,
            quota_remaining: Some(remaining),
            backfill: false,
            started_at: Utc.with_ymd_and_hms(2025, 1, 16, 12, minute, 0).unwrap(),
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    #[tokio::test]
    async fn less_than_a_fifth_of_the_plan_left_warns_and_names_the_figures() {
        let h = Harness::new(morning());
        let s = Settings::default();
        // the newest reading counts: 3,000 earlier, 1,500 now (7.5 % of 20,000)
        h.ctx.tables.append(d(TODAY), "snap1", vec![execution(3000.0, 1), execution(1500.0, 5)]).await.unwrap();
        let r = check(&h.ctx, &s, d(TODAY)).await;
        let c = r.failing().find(|c| c.name == "Odds API quota").expect("quota check fails");
        assert_eq!(c.status, crate::report::Status::Warn);
        assert!(c.detail.starts_with("1500 of 20000 requests left (8%)"), "{}", c.detail);

        let h = Harness::new(morning());
        h.ctx.tables.append(d(TODAY), "snap1", vec![execution(15000.0, 1)]).await.unwrap();
        let r = check(&h.ctx, &s, d(TODAY)).await;
        assert!(r.failing().all(|c| c.name != "Odds API quota"), "75 % left passes");
    }
}
