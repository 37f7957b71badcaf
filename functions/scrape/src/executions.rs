//! `scraper_executions`: one row per job, buffered for the invocation and written as ONE
//! object per game date when the batch ends (or every 500 rows), so a burst of jobs is not a
//! burst of writes (DESIGN §8, defect 9).

use std::collections::BTreeMap;
use std::sync::Mutex;

use props_core::Context;
use props_core::secrets::{Redactor, SECRET_PARAMS};
use props_core::sources::fetch::MAX_MESSAGE_CHARS;
use props_core::tables::canonical_json;
use props_core::tables::row::sha256_hex;
use props_core::tables::rows::orchestration::ScraperExecution;
use serde_json::{Map, Value};

/// Rows buffered before an early write.
pub const FLUSH_EVERY: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecStatus {
    Success,
    NoData,
    Failed,
    /// The host's circuit is open: nothing was sent, the job comes back later.
    Deferred,
}

impl ExecStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecStatus::Success => "success",
            ExecStatus::NoData => "no_data",
            ExecStatus::Failed => "failed",
            ExecStatus::Deferred => "deferred",
        }
    }
}

/// The job's parameters as recorded: secret-looking names dropped, values redacted.
pub fn parameters(params: &Map<String, Value>, redactor: &Redactor) -> String {
    let kept: Map<String, Value> = params
        .iter()
        .filter(|(k, _)| !SECRET_PARAMS.contains(&k.to_ascii_lowercase().as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    redactor.redact(&canonical_json(&Value::Object(kept)))
}

/// A message as recorded: redacted and at most 1,000 characters.
pub fn clip(text: &str, redactor: &Redactor) -> String {
    redactor.redact(text).chars().take(MAX_MESSAGE_CHARS).collect()
}

/// The invocation's buffer.
#[derive(Default)]
pub struct ExecutionLog {
    rows: Mutex<Vec<ScraperExecution>>,
}

impl ExecutionLog {
    /// Buffers a row; `true` when the buffer is due for an early write.
    pub fn push(&self, row: ScraperExecution) -> bool {
        let mut rows = self.rows.lock().unwrap_or_else(|p| p.into_inner());
        rows.push(row);
        rows.len() >= FLUSH_EVERY
    }

    /// Writes the buffered rows, one object per game date. Rows that cannot be written are
    /// logged with the error (the job's outcome is already decided; a lost telemetry row must
    /// not fail or retry a scrape).
    pub async fn flush(&self, ctx: &Context) -> usize {
        let rows = std::mem::take(&mut *self.rows.lock().unwrap_or_else(|p| p.into_inner()));
        let mut by_date: BTreeMap<_, Vec<ScraperExecution>> = BTreeMap::new();
        for r in rows {
            by_date.entry(r.game_date).or_default().push(r);
        }
        let mut written = 0;
        for (date, rows) in by_date {
            let ids: Vec<&str> = rows.iter().map(|r| r.execution_id.as_str()).collect();
            let snapshot = format!(
                "exec-{}-{}",
                ctx.clock.now().format("%Y%m%dT%H%M%SZ"),
                &sha256_hex(ids.join("\n").as_bytes())[..12]
            );
            let n = rows.len();
            match ctx.tables.append(date, &snapshot, rows).await {
                Ok(_) => written += n,
                Err(e) => tracing::error!(game_date = %date, rows = n, error = %e, "scraper_executions not written"),
            }
        }
        written
    }
}
