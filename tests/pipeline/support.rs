use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use props_core::adapters::local::DirBlobStore;
use props_core::config::Config;
use props_core::events::in_invocation;
use props_core::lambda::{EnvelopeHandler, RecordOutcome, process_record};
use props_core::ports::QueueName;
use props_core::tables::Tables;
use props_core::{GameDate, SystemClock};
use serde::{Deserialize, Serialize};

/// A replace-mode row used to exercise the table layer from outside the crate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamRow {
    pub game_date: GameDate,
    pub team: String,
    pub points: i32,
    pub pace: Option<f64>,
    pub note: String,
    #[serde(with = "props_core::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
props_core::table_row!(TeamRow, "team_boxscores", game_date);

pub fn team_row(date: GameDate, team: &str, points: i32, note: &str) -> TeamRow {
    TeamRow {
        game_date: date,
        team: team.into(),
        points,
        pace: Some(98.25),
        note: note.into(),
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}

/// Tables over the embedded blob store exactly where `props --data-dir DIR` looks.
pub fn tables_at(data_dir: &Path) -> Tables {
    let config = Config::from_lookup(|_| None).expect("default config");
    Tables::new(Arc::new(DirBlobStore::new(data_dir.join(&config.bucket))), Arc::new(SystemClock))
}

/// Every row of every data table (not the orchestration tables) from `from` to `to`, without
/// `processed_at`, sorted: what two runs that must agree are compared by.
pub async fn data_rows(
    tables: &Tables,
    from: GameDate,
    to: GameDate,
) -> std::collections::BTreeMap<&'static str, Vec<String>> {
    use props_core::tables::catalog::{Dataset, TABLES};
    let mut out = std::collections::BTreeMap::new();
    for def in TABLES.iter().filter(|t| t.dataset != Dataset::Orchestration) {
        let mut rows: Vec<String> = tables
            .read_json(def.name, from, to)
            .await
            .unwrap()
            .into_iter()
            .map(|mut r| {
                if let Some(o) = r.as_object_mut() {
                    o.remove("processed_at");
                }
                r.to_string()
            })
            .collect();
        rows.sort();
        out.insert(def.name, rows);
    }
    out
}

pub fn props(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_props"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("PROPS_BACKEND")
        .output()
        .expect("run props")
}

pub fn date(s: &str) -> GameDate {
    s.parse().unwrap()
}

/// A schedule row (only the columns recovery reads).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleRow {
    pub game_date: GameDate,
    pub game_id: String,
    #[serde(with = "props_core::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}
props_core::table_row!(ScheduleRow, "schedule", game_date);

pub fn schedule_row(date: GameDate, game_id: &str) -> ScheduleRow {
    ScheduleRow {
        game_date: date,
        game_id: game_id.into(),
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}

/// A context on the harness's directory (its own adapters, so calls are counted once) with
/// every source at `base` and an Odds API key.
pub fn ctx_at(h: &props_core::testkit::Harness, base: &str, key: &str) -> props_core::Context {
    use props_core::adapters::local::SqliteStateStore;
    let mut cfg = (*h.ctx.config).clone();
    cfg.sources = props_core::config::SourceUrls::all_at(base);
    cfg.odds_api_key = Some(props_core::secrets::Secret::new(key));
    props_core::Context::from_parts(
        cfg,
        Arc::new(DirBlobStore::new(h.dir.path().join("bucket"))),
        Arc::new(SqliteStateStore::open(h.dir.path().join("state.sqlite")).expect("state store")),
        Arc::new(h.queue.clone()),
        Arc::new(h.alerts.clone()),
        Arc::new(h.clock.clone()),
    )
}

/// Drains scrape-jobs and raw-payloads like SQS + Lambda: batches of 10, each record one
/// invocation (its own event-log object and request-count write), failed records redelivered.
/// When a pass had failures the visibility timeout (15 min) passes on the clock, which also
/// lets a source's open circuit breaker (5 min) probe again.
pub async fn drain(ctx: &props_core::Context, clock: &props_core::ManualClock, scrape: &props_scrape::Scrape) -> usize {
    let mut redelivered = 0;
    for _ in 0..200 {
        let mut any = false;
        let mut failed = false;
        let consumers: [(QueueName, &dyn EnvelopeHandler, &str); 2] = [
            (QueueName::ScrapeJobs, scrape, "scrape"),
            (QueueName::RawPayloads, &props_raw::ProcessRaw, "process-raw"),
        ];
        for (q, handler, name) in consumers {
            let got = ctx.queue.receive(q, 10, std::time::Duration::from_secs(900)).await.unwrap();
            for m in &got {
                any = true;
                let run = process_record(ctx, handler, name, &m.body);
                let id = format!("test-{}", m.message_id);
                if let RecordOutcome::Failed(_) = in_invocation(ctx, name, id, run).await {
                    failed = true;
                    redelivered += 1;
                    ctx.queue.release(q, &m.receipt).await.unwrap();
                } else {
                    ctx.queue.ack(q, &m.receipt).await.unwrap();
                }
            }
            if !got.is_empty() {
                handler.finish(ctx).await;
            }
        }
        if !any {
            return redelivered;
        }
        if failed {
            clock.advance(chrono::Duration::minutes(16));
        }
    }
    panic!("the queues never drained");
}
