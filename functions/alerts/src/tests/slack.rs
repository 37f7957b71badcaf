//! The real Slack notifier against a local webhook: retries, non-retried 4xx, the quiet
//! period, and no secret anywhere.

use std::io::Write;
use std::sync::{Arc, Mutex};

use props_core::Clock;
use props_core::lambda::JsonHandler;
use props_core::ports::{KeyCondition, StateStore};
use props_core::tables::rows::orchestration::PipelineEvent;
use props_core::testkit::Harness;
use props_core::webhook_stub::{CANARY, SlackStub};
use serde_json::json;

use super::fixtures::*;
use super::health::seed_healthy;
use crate::health::DailyHealth;
use crate::settings::Settings;

/// Captures every log line of this test binary. Global, not per-thread: tracing caches callsite
/// interest process-wide, so a thread-local subscriber can miss events; and a canary must not
/// appear in ANY test's logs anyway.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).to_string()
    }
}

fn capture() -> Logs {
    static LOGS: std::sync::OnceLock<Logs> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Logs::default();
        let writer = logs.clone();
        let sub = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(sub).unwrap();
        logs
    })
    .clone()
}

async fn run_health(h: &Harness, url: &str) -> serde_json::Value {
    let ctx = slack_ctx(h, url);
    DailyHealth { settings: Settings::default() }.handle(&ctx, json!({})).await.unwrap()
}

#[tokio::test]
async fn server_errors_are_retried_three_attempts_in_all() {
    let stub = SlackStub::start(&[500, 500, 200]).await;
    let h = Harness::new(morning());
    seed_healthy(&h.ctx).await;
    let out = run_health(&h, &stub.url()).await;
    assert_eq!(stub.requests().len(), 3);
    assert_eq!(stub.requests()[0].path, "/hook/sk-canary-123", "posted to the configured webhook");
    assert_eq!(out["alert"]["delivery"], "sent after 3 attempt(s)", "{out:#}");
    let body: serde_json::Value = serde_json::from_str(&stub.requests()[2].body).unwrap();
    assert_eq!(body["attachments"][0]["color"], "#2eb886", "an INFO summary");
}

#[tokio::test]
async fn a_404_is_not_retried_and_not_fatal() {
    let stub = SlackStub::start(&[404]).await;
    let h = Harness::new(morning());
    seed_healthy(&h.ctx).await;
    let out = run_health(&h, &stub.url()).await;
    assert_eq!(stub.requests().len(), 1);
    assert_eq!(out["alert"]["delivery"], "failed after 1 attempt(s): HTTP 404", "{out:#}");
    assert_eq!(out["status"], "pass", "the job itself still reports");
}

#[tokio::test]
async fn the_quiet_period_suppresses_a_repeat() {
    let stub = SlackStub::start(&[]).await;
    let h = Harness::new(morning());
    seed_healthy(&h.ctx).await;
    run_health(&h, &stub.url()).await;
    h.clock.advance(chrono::Duration::minutes(30));
    let again = run_health(&h, &stub.url()).await;
    assert_eq!(stub.requests().len(), 1, "the repeat was not sent");
    assert_eq!(again["alert"]["delivery"], "suppressed (quiet period)");
    h.clock.advance(chrono::Duration::minutes(31));
    run_health(&h, &stub.url()).await;
    assert_eq!(stub.requests().len(), 2, "sent again after the quiet period");
}

#[tokio::test]
async fn a_failed_send_does_not_start_a_quiet_period() {
    let stub = SlackStub::start(&[404]).await;
    let h = Harness::new(morning());
    seed_healthy(&h.ctx).await;
    run_health(&h, &stub.url()).await;
    let out = run_health(&h, &stub.url()).await;
    assert_eq!(stub.requests().len(), 2);
    assert_eq!(out["alert"]["delivery"], "sent after 1 attempt(s)");
}

#[tokio::test]
async fn no_secret_in_any_log_line_table_state_item_message_or_summary() {
    let logs = capture();
    let stub = SlackStub::start(&[500, 500, 500, 404]).await;
    let h = Harness::new(morning());
    // A stored error that quotes the webhook must not leak through the report either.
    for _ in 0..4 {
        props_core::pipeline::retry_queue::record_transient_failure(
            h.ctx.state.as_ref(),
            3,
            "player_game_summary",
            d(YESTERDAY),
            &format!("POST {} failed", stub.url()),
            h.clock.now(),
        )
        .await
        .unwrap();
    }
    let mut outputs = vec![run_health(&h, &stub.url()).await];
    h.clock.advance(chrono::Duration::hours(2));
    outputs.push(run_health(&h, &stub.url()).await);
    // An unreachable webhook: the transport error must not carry the URL either.
    let h2 = Harness::new(morning());
    outputs.push(run_health(&h2, &format!("http://127.0.0.1:1/hook/{CANARY}")).await);

    assert_eq!(stub.requests().len(), 4, "3 attempts, then 1 for the 404");
    assert!(
        outputs[2]["alert"]["delivery"].as_str().unwrap().starts_with("failed after 3 attempt(s)"),
        "{:#}",
        outputs[2]
    );
    let log_text = logs.text();
    assert!(log_text.contains("slack alert not delivered"), "the failures are logged: {log_text}");
    assert!(!log_text.contains(CANARY), "log: {log_text}");
    for o in &outputs {
        assert!(!o.to_string().contains(CANARY), "summary: {o}");
    }
    for r in stub.requests() {
        assert!(!r.body.contains(CANARY), "message: {}", r.body);
    }
    let events: Vec<PipelineEvent> = h.ctx.tables.read_date(d(TODAY)).await.unwrap();
    let failed = events.iter().filter(|e| e.event_type == "alert" && e.status.as_deref() == Some("failed")).count();
    assert_eq!(failed, 2, "failed alerts are counted in the event log: {events:?}");
    assert!(!format!("{events:?}").contains(CANARY));
    for m in h.ctx.blobs.list("").await.unwrap() {
        assert!(!m.key.contains(CANARY));
        let bytes = h.ctx.blobs.get(&m.key).await.unwrap().unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(CANARY), "{}", m.key);
    }
    assert!(outputs[0].to_string().contains("POST *** failed"), "the quoted webhook is redacted: {:#}", outputs[0]);
    let quiet = quiet_items(h.ctx.state.as_ref()).await;
    assert!(!quiet.contains(CANARY), "{quiet}");
}

/// Quiet-period marks are keyed by a hash, never by free text.
async fn quiet_items(state: &dyn StateStore) -> String {
    let alert = props_core::ports::Alert::new(props_core::ports::Severity::Error, "daily-health", "x");
    let key = props_core::notify::dedup::quiet_key(&alert);
    assert!(key.starts_with("ALERT#") && key.len() == 30, "{key}");
    format!("{:?}", state.query(&key, KeyCondition::All).await.unwrap())
}
