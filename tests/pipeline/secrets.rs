//! Secrets (DESIGN §2): with a canary Odds API key and a canary Slack webhook, a backfill day
//! of scrapes (some failing, so errors quote request URLs), phase 2, an unreachable Odds API
//! and a daily-health alert leave the canaries in no table, object key, object, state item,
//! log line, Slack message, summary or error.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{TimeZone, Utc};
use props_core::config::{Config, SourceUrls};
use props_core::events::in_invocation;
use props_core::lambda::{JsonHandler, process_record};
use props_core::messages::Envelope;
use props_core::retry::RetryPolicy;
use props_core::sources::FetchSettings;
use props_core::tables::catalog;
use props_core::testkit::{real_data_dir, replay};
use props_core::webhook_stub::SlackStub;
use props_core::{Clock, Context, ManualClock};
use props_scrape::jobs::build;
use props_scrape::{PlanScrapes, Scrape};
use reqwest::Method;
use serde_json::json;

use crate::support::{date, drain};

const ODDS_CANARY: &str = "sk-canary-123";
const SLACK_CANARY: &str = "canary-slack-7f3e9d";

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every text the run left on disk: file names, file bytes (the SQLite state store keeps text
/// as is) and, since Parquet pages are compressed, every table's rows as JSON.
async fn everything_on_disk(ctx: &Context, dir: &Path) -> String {
    let mut out = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            out.push_str(&p.display().to_string());
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    for def in catalog::TABLES {
        let rows = ctx.tables.read_json(def.name, date("2023-10-01"), date("2024-06-30")).await.unwrap();
        out.push_str(&serde_json::to_string(&rows).unwrap());
    }
    out
}

#[test]
fn no_canary_reaches_a_table_key_state_item_log_line_alert_or_error() {
    if real_data_dir().is_none() {
        return;
    }
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    // This thread only, and a runtime on this thread: other tests' logs stay out.
    let _guard = tracing::subscriber::set_default(subscriber);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let Some(server) = replay::start() else { return };
        let base = server.base.clone();
        let stub = SlackStub::start(&[200, 200, 200, 200]).await;
        let webhook = format!("http://127.0.0.1:{}/services/{SLACK_CANARY}", stub.port);
        let dir = tempfile::tempdir().unwrap();
        let env = |k: &str| match k {
            "ODDS_API_KEY" => Some(ODDS_CANARY.to_string()),
            "SLACK_WEBHOOK_URL" => Some(webhook.clone()),
            _ => None,
        };
        let mut config = Config::from_lookup(env).unwrap();
        config.data_dir = dir.path().to_path_buf();
        config.sources = SourceUrls::all_at(&base);
        let day = date("2024-03-11");
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap());
        let ctx = Context::build(config.clone(), Arc::new(clock.clone())).await.unwrap();
        replay::control(&base, Method::POST, "/_replay/clock", json!({"now": "2024-03-12T09:00:00Z"})).await;
        let settings = FetchSettings {
            retry: RetryPolicy::FETCH.with_base(StdDuration::from_millis(10)),
            ..FetchSettings::DEFAULT
        };
        let scrape = Scrape::with_settings(settings);
        let mut texts: Vec<String> = Vec::new();

        // A backfill day with every Odds API request failing half the time (errors quote URLs).
        let faults = json!({"rate": 0.5, "kinds": ["500", "html"], "seed": 3, "paths": "v4/"});
        replay::control(&base, Method::POST, "/_replay/faults", faults).await;
        for _ in 0..2 {
            let out = PlanScrapes.handle(&ctx, json!({"backfill": true, "date": day})).await.unwrap();
            texts.push(out.to_string());
            drain(&ctx, &clock, &scrape).await;
        }
        // An Odds API that cannot be reached: the transport error names the URL.
        let mut dead = config.clone();
        dead.sources.odds_api = "http://127.0.0.1:9".into();
        let dead = Context::build(dead, Arc::new(clock.clone())).await.unwrap();
        let job = build::event_odds("secrets", "abc123", None);
        let body = Envelope::new(&job, day, 1, "test", "c", clock.now(), true).unwrap().to_json();
        let outcome =
            in_invocation(&dead, "scrape", "dead-1".into(), process_record(&dead, &scrape, "scrape", &body)).await;
        texts.push(format!("{outcome:?}"));
        assert!(format!("{outcome:?}").contains("connection"), "{outcome:?}");
        // A health report, sent to Slack.
        clock.set(Utc.with_ymd_and_hms(2024, 3, 12, 13, 0, 0).unwrap());
        let health = props_alerts::DailyHealth::from_env().unwrap();
        let summary = in_invocation(&ctx, "daily-health", "health-1".into(), health.handle(&ctx, json!({}))).await;
        texts.push(format!("{summary:?}"));

        // The run did what it should: odds fetched with the key, errors recorded, Slack reached.
        let disk = everything_on_disk(&ctx, dir.path()).await;
        assert!(disk.contains("/v4/historical/sports/basketball_nba/events"), "Odds API URLs are recorded");
        assert!(disk.contains("odds/event-odds"), "the Odds API was scraped");
        assert!(!stub.requests().is_empty(), "the alert went to the webhook");
        for r in stub.requests() {
            texts.push(r.body.clone());
        }
        let log = String::from_utf8_lossy(&logs.0.lock().unwrap()).to_string();
        assert!(log.contains("scrape"), "logs were captured");
        for canary in [ODDS_CANARY, SLACK_CANARY] {
            assert!(!disk.contains(canary), "{canary} on disk");
            assert!(!log.contains(canary), "{canary} in a log line");
            for t in &texts {
                assert!(!t.contains(canary), "{canary} in {t:.300}");
            }
        }
        replay::control(&base, Method::DELETE, "/_replay/faults", json!({})).await;
        drop(server);
    });
}
