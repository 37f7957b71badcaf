//! (a) A day of scrapes against the replay server with 30 % injected faults, and (c) bad
//! input: an unknown event, an empty day, a 401 from the Odds API, a captcha page from NBA.
//! Under `CI=true` a missing replay server or real data fails (the testkit helpers decide).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use chrono::{DateTime, TimeZone, Utc};
use props_core::config::SourceUrls;
use props_core::lambda::process_batch;
use props_core::messages::{Envelope, ScrapeJob};
use props_core::ports::QueueName;
use props_core::secrets::Secret;
use props_core::sources::FetchSettings;
use props_core::sources::parse::parse_schedule;
use props_core::tables::rows::orchestration::ScraperExecution;
use props_core::testkit::{Harness, replay};
use props_core::{Context, GameDate};
use props_scrape::Scrape;
use props_scrape::jobs::build;
use props_scrape::planner::workflows::et_midnight;
use reqwest::Method;
use serde_json::{Value, json};

const KEY: &str = "replay-test-key-0123456789";

fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

/// A context on the harness's backends, pointed at `base`, with or without an Odds API key.
fn ctx_at(h: &Harness, base: &str, key: Option<&str>) -> Context {
    let mut cfg = (*h.ctx.config).clone();
    cfg.sources = SourceUrls::all_at(base);
    cfg.odds_api_key = key.map(Secret::new);
    Context::from_parts(
        cfg,
        h.ctx.blobs.clone(),
        h.ctx.state.clone(),
        h.ctx.queue.clone(),
        h.ctx.notifier.clone(),
        Arc::new(h.clock.clone()),
    )
}

fn scraper() -> Scrape {
    Scrape::with_settings(FetchSettings::with_base_delay(StdDuration::from_millis(20)))
}

async fn send(ctx: &Context, date: GameDate, jobs: &[ScrapeJob]) {
    for j in jobs {
        let env = Envelope::new(j, date, 1, "test", "test", ctx.clock.now(), false).unwrap();
        ctx.queue.send(QueueName::ScrapeJobs, &env.to_json()).await.unwrap();
    }
}

/// Drains scrape-jobs like Lambda + SQS: batches of 10, failed records redelivered, the DLQ
/// after 5 receives. Returns the number of records that failed at least once.
async fn drain(ctx: &Context, scrape: &Scrape) -> usize {
    let mut failures = 0;
    loop {
        let got = ctx.queue.receive(QueueName::ScrapeJobs, 10, StdDuration::from_secs(900)).await.unwrap();
        if got.is_empty() {
            return failures;
        }
        let mut event = SqsEvent::default();
        event.records = got
            .iter()
            .map(|m| {
                let mut r = SqsMessage::default();
                r.message_id = Some(m.message_id.clone());
                r.body = Some(m.body.clone());
                r
            })
            .collect();
        let resp = process_batch(ctx, scrape, "scrape", event).await;
        let failed: BTreeSet<String> = resp.batch_item_failures.into_iter().map(|f| f.item_identifier).collect();
        for m in got {
            if failed.contains(&m.message_id) {
                failures += 1;
                ctx.queue.release(QueueName::ScrapeJobs, &m.receipt).await.unwrap();
            } else {
                ctx.queue.ack(QueueName::ScrapeJobs, &m.receipt).await.unwrap();
            }
        }
    }
}

async fn get(base: &str, path: &str) -> Value {
    reqwest::get(format!("{base}{path}")).await.unwrap().json().await.unwrap()
}

async fn set_clock(h: &Harness, base: &str, at: DateTime<Utc>) {
    h.clock.set(at);
    replay::control(base, Method::POST, "/_replay/clock", json!({"now": at.to_rfc3339()})).await;
}

async fn executions(ctx: &Context) -> Vec<ScraperExecution> {
    ctx.tables.read(d("2024-01-01"), d("2024-12-31")).await.unwrap()
}

/// (dir, sha12) of every stored raw payload.
async fn raw_objects(ctx: &Context) -> Vec<(String, String)> {
    ctx.blobs
        .list("raw/")
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| props_core::sources::raw_key::RawKey::parse(&m.key).ok())
        .map(|k| (k.dir(), k.sha12))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_of_scrapes_survives_thirty_percent_faults() {
    if props_core::testkit::real_data_dir().is_none() {
        return;
    }
    let Some(server) = replay::start() else { return };
    let base = server.base.clone();
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 3, 15, 16, 0, 0).unwrap());
    let ctx = ctx_at(&h, &base, Some(KEY));
    let scrape = scraper();
    let day = d("2024-03-15");

    replay::control(
        &base,
        Method::POST,
        "/_replay/faults",
        json!({"rate": 0.3, "kinds": ["429", "500", "reset", "garbage", "truncated", "html"], "seed": 1, "retry_after": 1}),
    )
    .await;
    replay::control(&base, Method::DELETE, "/_replay/log", json!({})).await;

    // Noon ET: schedule, every roster, tonight's events (fanning out each event's odds).
    set_clock(&h, &base, Utc.with_ymd_and_hms(2024, 3, 15, 16, 0, 0).unwrap()).await;
    let mut morning = vec![build::schedule("test", "2023-24".parse().unwrap())];
    morning.extend(props_core::identity::TeamCode::all().map(|t| build::roster("test", t)));
    morning.push(build::events_live("test", et_midnight(day), et_midnight(day.next())));
    send(&ctx, day, &morning).await;
    let mut redelivered = drain(&ctx, &scrape).await;

    // 04:00 ET the next day: box scores and play-by-play of the date's games.
    set_clock(&h, &base, Utc.with_ymd_and_hms(2024, 3, 16, 8, 0, 0).unwrap()).await;
    let schedule_key = ctx.blobs.list("raw/nba/schedule/").await.unwrap().pop().unwrap().key;
    let games = parse_schedule(&ctx.blobs.get(&schedule_key).await.unwrap().unwrap()).unwrap();
    let ids: Vec<String> =
        games.records.iter().filter(|g| g.game_date == day).map(|g| g.nba_game_id.to_string()).collect();
    assert!(ids.len() >= 5, "{ids:?}");
    let st = props_core::sources::nba_stats::SeasonType::RegularSeason;
    let mut night = vec![
        build::gamelog("test", day, st, props_core::sources::nba_stats::PlayerOrTeam::Player),
        build::gamelog("test", day, st, props_core::sources::nba_stats::PlayerOrTeam::Team),
    ];
    night.extend(ids.iter().map(|id| build::playbyplay("test", id)));
    send(&ctx, day, &night).await;
    redelivered += drain(&ctx, &scrape).await;

    let rows = executions(&ctx).await;
    let log = get(&base, "/_replay/log").await;
    let log = log.as_array().unwrap();
    let faults = get(&base, "/_replay/faults").await;
    props_core::testkit::loud(&format!(
        "replay day: {} executions, {} requests, {redelivered} redeliveries, faults {faults}",
        rows.len(),
        log.len()
    ));

    // Every job ended stored (or no data), none left in the DLQ, every request accounted for.
    assert!(h.queue.dead_letters(QueueName::ScrapeJobs).is_empty());
    let mut last: BTreeMap<(String, String), &ScraperExecution> = BTreeMap::new();
    for r in &rows {
        let k = (r.scraper.clone(), r.parameters.clone());
        if last.get(&k).is_none_or(|p| p.started_at <= r.started_at) {
            last.insert(k, r);
        }
    }
    let event_odds = last.keys().filter(|(s, _)| s == "odds/event-odds").count();
    assert!(event_odds >= 5, "the events fan out one job per event: {event_odds}");
    assert_eq!(last.len(), morning.len() + night.len() + event_odds);
    for ((scraper, params), r) in &last {
        match r.status.as_str() {
            "success" => assert!(r.raw_key.is_some(), "{scraper} {params}"),
            "no_data" => assert!(scraper == "nba/playbyplay" || r.raw_key.is_some(), "{scraper} {params}: {r:?}"),
            _ => panic!("{scraper} {params} ended {}: {:?}", r.status, r.error_message),
        }
    }
    // At most 3 attempts per fetch, and every HTTP request the server saw is one of them.
    assert!(rows.iter().all(|r| (0..=3).contains(&r.attempts)), "attempts");
    let attempts: i64 = rows.iter().map(|r| i64::from(r.attempts)).sum();
    assert_eq!(attempts as usize, log.len(), "attempts recorded = requests served");
    assert!(rows.iter().any(|r| r.attempts > 1), "the faults forced retries");
    // Retry-After (1 s) honoured: the retry of a 429 comes at least a second later.
    let time = |e: &Value| DateTime::parse_from_rfc3339(e["time"].as_str().unwrap()).unwrap();
    let mut checked_429 = 0;
    for (i, e) in log.iter().enumerate() {
        if e["fault"] == "429" {
            if let Some(next) = log[i + 1..].iter().find(|n| n["path"] == e["path"]) {
                assert!((time(next) - time(e)).num_milliseconds() >= 1000, "{e} then {next}");
                checked_429 += 1;
            }
        }
    }
    assert!(checked_429 > 0, "some 429s were injected and retried");
    // No duplicate payload objects, even when the same jobs run again.
    let objects = raw_objects(&ctx).await;
    let unique: BTreeSet<_> = objects.iter().cloned().collect();
    assert_eq!(unique.len(), objects.len(), "duplicate payloads");
    replay::control(&base, Method::DELETE, "/_replay/faults", json!({})).await;
    send(&ctx, day, &night).await;
    drain(&ctx, &scrape).await;
    assert_eq!(raw_objects(&ctx).await.len(), objects.len(), "a re-scrape of identical payloads stores nothing");
    let again = executions(&ctx).await;
    assert!(again.iter().filter(|r| r.unchanged).count() >= 2, "gamelogs recognised as unchanged");
    // The key never reaches a row.
    assert!(!serde_json::to_string(&again).unwrap().contains(KEY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_ends_in_the_right_status_with_a_clear_message() {
    if props_core::testkit::real_data_dir().is_none() {
        return;
    }
    let Some(server) = replay::start() else { return };
    let base = server.base.clone();
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 7, 16, 12, 0, 0).unwrap());
    set_clock(&h, &base, h_now(&h)).await;
    let ctx = ctx_at(&h, &base, Some(KEY));
    let scrape = scraper();
    let run = |ctx: Context, date: &'static str, job: ScrapeJob| {
        let scrape = &scrape;
        async move {
            let env = Envelope::new(&job, d(date), 1, "test", "test", ctx.clock.now(), false).unwrap();
            let result = scrape.run(&ctx, &env).await;
            props_core::lambda::EnvelopeHandler::finish(scrape, &ctx).await;
            let rows = executions(&ctx).await;
            let row = rows.into_iter().max_by_key(|r| r.started_at).unwrap();
            (result, row)
        }
    };

    // An unknown event id: the Odds API answers 404 EVENT_NOT_FOUND → no data, nothing stored.
    let (res, row) = run(ctx.clone(), "2024-03-15", build::event_odds("t", "doesnotexist0000", None)).await;
    assert!(res.is_ok());
    assert_eq!((row.status.as_str(), row.raw_key.as_deref()), ("no_data", None));
    let msg = row.error_message.unwrap();
    assert!(msg.contains("no data") && msg.contains("404") && msg.contains("EVENT_NOT_FOUND"), "{msg}");

    // An empty day (the off-season): stored, 0 records, no_data.
    h.clock.set(h_now(&h) + chrono::Duration::seconds(1));
    let st = props_core::sources::nba_stats::SeasonType::RegularSeason;
    let who = props_core::sources::nba_stats::PlayerOrTeam::Player;
    let (res, row) = run(ctx.clone(), "2024-07-15", build::gamelog("t", d("2024-07-15"), st, who)).await;
    assert!(res.is_ok());
    assert_eq!((row.status.as_str(), row.records), ("no_data", 0));
    assert!(row.raw_key.as_deref().is_some_and(|k| k.starts_with("raw/nba/gamelog/2024-07-15/")));
    assert!(row.error_message.is_none());

    // No Odds API key: nothing is sent, a permanent failure that says so.
    h.clock.set(h_now(&h) + chrono::Duration::seconds(1));
    let keyless = ctx_at(&h, &base, None);
    let (res, row) = run(keyless, "2024-03-15", build::event_odds("t", "abc123", None)).await;
    let e = res.unwrap_err();
    assert!(!e.is_transient(), "{e}");
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 0));
    assert!(row.error_message.unwrap().contains("ODDS_API_KEY is not configured; nothing was sent"));

    // A 401 from the Odds API (a rejected key): permanent, the API's reason, never the key.
    h.clock.set(h_now(&h) + chrono::Duration::seconds(1));
    let stub = stub_401().await;
    let (res, row) = run(ctx_at(&h, &stub, Some(KEY)), "2024-03-15", build::event_odds("t", "abc123", None)).await;
    assert!(!res.unwrap_err().is_transient());
    assert_eq!((row.status.as_str(), row.attempts, row.http_status), ("failed", 1, Some(401)));
    let msg = row.error_message.unwrap();
    assert!(msg.contains("the API refused the request") && msg.contains("INVALID_KEY"), "{msg}");
    assert!(!msg.contains(KEY) && !row.url.unwrap_or_default().contains(KEY));

    // A captcha page from stats.nba.com: transient, 3 attempts, then failed and redelivered.
    h.clock.set(h_now(&h) + chrono::Duration::seconds(1));
    replay::control(
        &base,
        Method::POST,
        "/_replay/faults",
        json!({"rate": 1.0, "kinds": ["html"], "seed": 1, "paths": "leaguegamelog"}),
    )
    .await;
    let (res, row) = run(ctx.clone(), "2024-03-15", build::gamelog("t", d("2024-03-15"), st, who)).await;
    assert!(res.unwrap_err().is_transient());
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 3));
    let msg = row.error_message.unwrap();
    assert!(
        msg.contains("a web page (a captcha or block page?) instead of data") && msg.contains("3 attempts"),
        "{msg}"
    );
}

fn h_now(h: &Harness) -> DateTime<Utc> {
    use props_core::Clock;
    h.clock.now()
}

/// A one-route HTTP server answering every request with the Odds API's 401.
async fn stub_401() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let body = r#"{"message":"Invalid API key. Check the key or get one at the-odds-api.com","error_code":"INVALID_KEY"}"#;
            let resp = format!(
                "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(resp.as_bytes()).await;
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn an_open_circuit_defers_the_job_without_sending() {
    let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 15, 17, 0, 0).unwrap());
    // Nothing listens on port 9: were anything sent, the job would fail, not defer.
    let ctx = ctx_at(&h, "http://127.0.0.1:9", Some(KEY));
    let breaker = props_core::sources::CircuitBreaker::for_source(ctx.state.clone(), ctx.clock.clone(), "nba_stats");
    for _ in 0..5 {
        breaker.record_failure().await.unwrap();
    }
    let scrape = scraper();
    let env = Envelope::new(
        &build::schedule("t", "2024-25".parse().unwrap()),
        d("2025-01-15"),
        1,
        "t",
        "t",
        h_now(&h),
        false,
    )
    .unwrap();
    let e = scrape.run(&ctx, &env).await.unwrap_err();
    assert!(e.is_transient(), "redelivered after the visibility timeout: {e}");
    props_core::lambda::EnvelopeHandler::finish(&scrape, &ctx).await;
    let rows: Vec<ScraperExecution> = ctx.tables.read_date(d("2025-01-15")).await.unwrap();
    assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("deferred", 0));
    assert!(rows[0].error_message.as_deref().unwrap().contains("circuit breaker"), "{rows:?}");
}
