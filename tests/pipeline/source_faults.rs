//! Sources under faults (DESIGN §6, §13): a simulated week of backfill scrapes against the replay
//! server of real history, 30 % of requests failing with every kind of fault it injects (429 with
//! Retry-After, 500, 503, timeout, connection reset, HTML captcha page, invalid JSON, truncated
//! JSON). Every job ends stored (or "no data", or a permanent failure with a readable reason),
//! no request is tried more than 3 times, and no payload is stored twice.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use props_core::GameDate;
use props_core::lambda::JsonHandler;
use props_core::ports::QueueName;
use props_core::retry::RetryPolicy;
use props_core::sources::FetchSettings;
use props_core::sources::raw_key::RawKey;
use props_core::tables::rows::orchestration::ScraperExecution;
use props_core::testkit::{Harness, real_data_dir, replay};
use props_scrape::{PlanScrapes, Scrape};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ctx_at, date, drain};

const KEY: &str = "faults-test-key-0123456789";

/// What a human reads in a final error: the class of failure, said plainly.
const READABLE: &[&str] = &[
    "rate-limiting",
    "server errors",
    "did not answer in time",
    "connection to the source failed",
    "a web page",
    "broken or truncated JSON",
    "refused the request",
    "no data",
];

/// 05:00 ET (EDT) the morning after `d`: every game of `d` is final, nothing later is known.
fn morning_after(d: GameDate) -> DateTime<Utc> {
    d.next().naive().and_hms_opt(9, 0, 0).unwrap().and_utc()
}

async fn get(base: &str, path: &str) -> Value {
    reqwest::get(format!("{base}{path}")).await.unwrap().json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_of_scrapes_with_thirty_percent_faults_of_every_kind() {
    if real_data_dir().is_none() {
        return;
    }
    let Some(server) = replay::start() else { return };
    let base = server.base.clone();
    let (first, last) = (date("2024-03-11"), date("2024-03-17"));
    let h = Harness::new(morning_after(first));
    let ctx = ctx_at(&h, &base, KEY);
    // Short timeouts so that the injected 1.5 s stalls cost 1 s each.
    let settings = FetchSettings {
        retry: RetryPolicy::FETCH.with_base(StdDuration::from_millis(20)),
        connect_timeout: StdDuration::from_secs(1),
        total_timeout: StdDuration::from_secs(1),
    };
    let scrape = Scrape::with_settings(settings);
    let faults = json!({"rate": 0.3, "seed": 11, "retry_after": 1, "timeout_seconds": 1.5});
    replay::control(&base, Method::POST, "/_replay/faults", faults).await;
    replay::control(&base, Method::DELETE, "/_replay/log", json!({})).await;

    let mut redelivered = 0;
    for x in first.through(last) {
        let at = morning_after(x);
        h.clock.set(at);
        replay::control(&base, Method::POST, "/_replay/clock", json!({"now": at.to_rfc3339()})).await;
        // twice: the first pass may only fetch the season's schedule that box scores need
        for _ in 0..2 {
            PlanScrapes.handle(&ctx, json!({"backfill": true, "date": x})).await.unwrap();
            redelivered += drain(&ctx, &h.clock, &scrape).await;
        }
    }

    let log = get(&base, "/_replay/log").await;
    let log = log.as_array().unwrap();
    let injected = get(&base, "/_replay/faults").await["injected"].clone();
    let rows: Vec<ScraperExecution> = ctx.tables.read(date("2023-10-01"), date("2024-06-30")).await.unwrap();
    props_core::testkit::loud(&format!(
        "source faults: {} executions, {} requests, {redelivered} redeliveries, injected {injected}",
        rows.len(),
        log.len()
    ));

    // Every kind of fault was injected, at about the configured rate.
    for kind in ["429", "500", "503", "timeout", "reset", "garbage", "truncated", "html"] {
        assert!(injected[kind].as_u64().unwrap_or(0) > 0, "no {kind} injected: {injected}");
    }
    let faulted = log.iter().filter(|e| !e["fault"].is_null()).count();
    assert!(faulted * 100 >= log.len() * 20, "{faulted} of {} requests faulted", log.len());

    // At most 3 attempts per job run, and every request the server saw is one of them.
    assert!(rows.iter().all(|r| (0..=3).contains(&r.attempts)), "more than 3 attempts");
    let attempts: i64 = rows.iter().map(|r| i64::from(r.attempts)).sum();
    assert_eq!(attempts as usize, log.len(), "attempts recorded = requests served");
    assert!(rows.iter().any(|r| r.attempts == 3), "some jobs needed every attempt");

    // Every failed run says why, in words; none is left on a dead-letter queue.
    for r in rows.iter().filter(|r| r.status == "failed" || r.status == "deferred") {
        let m = r.error_message.as_deref().unwrap_or_default();
        assert!(READABLE.iter().any(|w| m.contains(w)) || m.contains("circuit breaker"), "unreadable: {r:?}");
    }
    assert!(h.queue.dead_letters(QueueName::ScrapeJobs).is_empty(), "scrape jobs in the DLQ");
    assert!(h.queue.dead_letters(QueueName::RawPayloads).is_empty(), "payloads in the DLQ");

    // Each job's last run: stored, or no data (play-by-play is absent from the replay data), or a
    // permanent failure with its reason.
    let mut last_run: BTreeMap<(String, String), &ScraperExecution> = BTreeMap::new();
    for r in &rows {
        let k = (r.scraper.clone(), r.parameters.clone());
        if last_run.get(&k).is_none_or(|p| p.started_at <= r.started_at) {
            last_run.insert(k, r);
        }
    }
    let mut stored = 0;
    for ((scraper, params), r) in &last_run {
        match r.status.as_str() {
            "success" => {
                assert!(r.raw_key.is_some(), "{scraper} {params}");
                stored += 1;
            }
            "no_data" => {
                assert!(r.error_message.as_deref().is_some_and(|m| m.contains("no data")) || r.raw_key.is_some())
            }
            _ => panic!("{scraper} {params} ended {}: {:?}", r.status, r.error_message),
        }
    }
    let scrapers: BTreeSet<&str> = last_run.keys().map(|(s, _)| s.as_str()).collect();
    for s in ["nba/schedule", "nba/gamelog", "odds/events", "odds/event-odds"] {
        assert!(scrapers.contains(s), "{s} never ran: {scrapers:?}");
    }
    assert!(stored >= 7 * 3, "{stored} payloads stored over the week");

    // No payload stored twice: one object per distinct content in each directory.
    let keys: Vec<RawKey> =
        ctx.blobs.list("raw/").await.unwrap().iter().filter_map(|m| RawKey::parse(&m.key).ok()).collect();
    let distinct: BTreeSet<(String, String)> = keys.iter().map(|k| (k.dir(), k.sha12.clone())).collect();
    assert_eq!(distinct.len(), keys.len(), "a payload was stored twice");
    // ...and no corrupted body was stored: every stored payload parses.
    assert!(ctx.blobs.list("quarantine/").await.unwrap().is_empty(), "a faulted body reached storage");
    replay::control(&base, Method::DELETE, "/_replay/faults", json!({})).await;
}
