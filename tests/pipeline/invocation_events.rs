//! `scrape`, `process-raw`, `self-heal` and `retry-failed` record their starts, completions,
//! errors, retries and skips in the invocation's event log: one object per invocation.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, TimeZone, Utc};
use props_core::events::in_invocation;
use props_core::lambda::{JsonHandler, RecordOutcome, process_record};
use props_core::messages::{Envelope, ScrapeJob};
use props_core::pipeline::retry_queue::record_transient_failure;
use props_core::ports::{Queue, QueueName};
use props_core::sim::{SimLeague, server};
use props_core::sources::FetchSettings;
use props_core::tables::rows::orchestration::PipelineEvent;
use props_core::testkit::Harness;
use props_core::{Clock, Context, GameDate};
use props_raw::ProcessRaw;
use props_scrape::Scrape;
use props_scrape::jobs::build;
use props_self_heal::{RetryFailed, SelfHeal};
use serde_json::json;

use crate::support::ctx_at;

const KEY: &str = "events-test-key-0123";
const LOG_PREFIX: &str = "tables/orchestration/pipeline_event_log/";

async fn log_objects(ctx: &Context) -> Vec<String> {
    ctx.blobs.list(LOG_PREFIX).await.unwrap().into_iter().map(|m| m.key).collect()
}

/// Runs `fut` as invocation `id` and returns its events, asserting it wrote ONE object.
async fn invocation<F: std::future::Future>(ctx: &Context, function: &str, id: &str, fut: F) -> Vec<PipelineEvent> {
    let before = log_objects(ctx).await;
    in_invocation(ctx, function, id.to_string(), fut).await;
    let new: Vec<String> = log_objects(ctx).await.into_iter().filter(|k| !before.contains(k)).collect();
    assert_eq!(new.len(), 1, "{function}: one event-log object per invocation, got {new:?}");
    assert!(new[0].ends_with(&format!("{id}-0000.parquet")), "{new:?}");
    let from: GameDate = "2024-12-01".parse().unwrap();
    let rows: Vec<PipelineEvent> = ctx.tables.read(from, from.plus_days(90)).await.unwrap();
    rows.into_iter().filter(|e| e.event_id.starts_with(&format!("{id}-"))).collect()
}

fn kinds(events: &[PipelineEvent]) -> Vec<(String, String)> {
    events.iter().map(|e| (e.event_type.clone(), e.status.clone().unwrap_or_default())).collect()
}

fn envelope(job: &ScrapeJob, date: GameDate, now: chrono::DateTime<Utc>) -> String {
    Envelope::new(job, date, 1, "test", "corr-1", now, false).unwrap().to_json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_handler_logs_its_events_in_one_object_per_invocation() {
    let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 17, 0, 0).unwrap());
    let today = h.clock.today();
    let league = Arc::new(SimLeague::new(42, "2024-25").unwrap());
    let sim = server::serve(([127, 0, 0, 1], 0).into(), league, h.clock.clone()).await.unwrap();
    let ctx = ctx_at(&h, &sim.url(), KEY);
    let scrape = Scrape::with_settings(FetchSettings::with_base_delay(StdDuration::from_millis(5)));

    // scrape, success: start, complete.
    let body = envelope(&build::schedule("test", "2024-25".parse().unwrap()), today, h.clock.now());
    let ev = invocation(&ctx, "scrape", "inv-scrape-1", process_record(&ctx, &scrape, "scrape", &body)).await;
    assert_eq!(kinds(&ev), [("start".into(), String::new()), ("complete".into(), "success".into())], "{ev:?}");
    assert!(ev.iter().all(|e| e.function == "scrape" && e.phase == Some(1)));
    assert_eq!(ev[0].processor.as_deref(), Some("nba/schedule"));
    assert_eq!(ev[1].correlation_id.as_deref(), Some("corr-1"));
    assert!(ev[1].message.as_deref().unwrap().contains("stored raw/nba/schedule/"), "{ev:?}");

    // scrape, nothing listening: start, retry (3 attempts), error.
    let dead = ctx_at(&h, "http://127.0.0.1:9", KEY);
    let st = props_core::sources::nba_stats::SeasonType::RegularSeason;
    let who = props_core::sources::nba_stats::PlayerOrTeam::Team;
    let body = envelope(&build::gamelog("test", today.prev(), st, who), today, h.clock.now());
    let run = async {
        let out = process_record(&dead, &scrape, "scrape", &body).await;
        assert!(matches!(out, RecordOutcome::Failed(_)), "{out:?}");
    };
    let ev = invocation(&dead, "scrape", "inv-scrape-2", run).await;
    let k = kinds(&ev);
    assert_eq!(k[0].0, "start");
    assert_eq!(k[1], ("retry".into(), "failed".into()), "{ev:?}");
    assert!(ev[1].message.as_deref().unwrap().starts_with("3 attempts"), "{ev:?}");
    assert_eq!(k[2], ("error".into(), "failed".into()));
    assert!(ev[2].message.as_deref().unwrap().contains("connection"), "{ev:?}");

    // process-raw on the stored schedule: start, complete.
    let got = h.queue.receive(QueueName::RawPayloads, 10, StdDuration::from_secs(60)).await.unwrap();
    assert_eq!(got.len(), 1);
    let ev =
        invocation(&ctx, "process-raw", "inv-raw-1", process_record(&ctx, &ProcessRaw, "process-raw", &got[0].body))
            .await;
    assert_eq!(kinds(&ev), [("start".into(), String::new()), ("complete".into(), "success".into())], "{ev:?}");
    assert!(ev.iter().all(|e| e.phase == Some(2) && e.processor.as_deref() == Some("nba/schedule")));
    // The same payload again: every partition is unchanged, a skip.
    let ev =
        invocation(&ctx, "process-raw", "inv-raw-2", process_record(&ctx, &ProcessRaw, "process-raw", &got[0].body))
            .await;
    assert_eq!(kinds(&ev)[1], ("skip".into(), "skipped_unchanged".into()), "{ev:?}");
    // A message for a long-gone date: acknowledged without work, a skip.
    let old = envelope(&build::schedule("test", "2024-25".parse().unwrap()), today.minus_days(30), h.clock.now());
    let ev = invocation(&ctx, "process-raw", "inv-raw-3", async {
        assert_eq!(process_record(&ctx, &ProcessRaw, "process-raw", &old).await, RecordOutcome::StaleSkipped);
    })
    .await;
    assert_eq!(kinds(&ev), [("skip".into(), "stale_skipped".into())]);

    // self-heal: start, what it decided per date, complete.
    let ev = invocation(&ctx, "self-heal", "inv-heal-1", async {
        SelfHeal.handle(&ctx, json!({})).await.unwrap();
    })
    .await;
    let k = kinds(&ev);
    assert_eq!(k.first().map(|k| k.0.as_str()), Some("start"), "{ev:?}");
    assert_eq!(k.last().map(|k| k.0.as_str()), Some("complete"), "{ev:?}");
    assert!(k.len() >= 5, "a decision per date checked: {ev:?}");
    assert!(ev.iter().all(|e| e.game_date == today && e.function == "self-heal"));

    // retry-failed: start, the requeue, complete.
    record_transient_failure(ctx.state.as_ref(), 3, "player_game_summary", today, "timeout", h.clock.now())
        .await
        .unwrap();
    h.clock.advance(Duration::minutes(16));
    let ev = invocation(&ctx, "retry-failed", "inv-retry-1", async {
        RetryFailed.handle(&ctx, json!({})).await.unwrap();
    })
    .await;
    assert_eq!(
        kinds(&ev),
        [("start".into(), String::new()), ("retry".into(), "requeued".into()), ("complete".into(), "success".into())],
        "{ev:?}"
    );
    assert_eq!(ev[1].processor.as_deref(), Some("player_game_summary"));
    assert_eq!(ev[1].phase, Some(3));
    sim.shutdown().await;
}
