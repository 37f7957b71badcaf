//! Rows of `dataset=orchestration`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::game_date::GameDate;

/// One start, completion, error, retry, skip, trigger, gate decision or alert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineEvent {
    pub game_date: GameDate,
    pub event_id: String,
    #[serde(with = "crate::tables::ts")]
    pub event_at: DateTime<Utc>,
    pub function: String,
    pub event_type: String,
    pub phase: Option<u8>,
    pub processor: Option<String>,
    pub status: Option<String>,
    pub message: Option<String>,
    pub correlation_id: Option<String>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}

crate::table_row!(PipelineEvent, "pipeline_event_log", game_date);

/// One scrape job's outcome (phase 1): written by `scrape`, buffered and flushed as ONE object
/// per invocation, so a burst of jobs is not a burst of writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScraperExecution {
    pub game_date: GameDate,
    pub execution_id: String,
    /// `nba/gamelog`, `odds/event-odds`, ...
    pub scraper: String,
    pub workflow: String,
    /// `success`, `no_data`, `failed` or `deferred` (circuit open; the job comes back).
    pub status: String,
    /// HTTP attempts made (0 when nothing was sent).
    pub attempts: i32,
    pub http_status: Option<i32>,
    pub duration_ms: i64,
    pub bytes: i64,
    pub records: i64,
    /// Redacted, at most 1,000 characters.
    pub error_message: Option<String>,
    /// The job's parameters as canonical JSON, secrets removed.
    pub parameters: String,
    /// The request URL as sent, without any key.
    pub url: Option<String>,
    pub raw_key: Option<String>,
    /// The payload equalled the last one stored for the same request: nothing new was written.
    pub unchanged: bool,
    /// The Odds API's `x-requests-remaining` after this call.
    pub quota_remaining: Option<f64>,
    pub backfill: bool,
    #[serde(with = "crate::tables::ts")]
    pub started_at: DateTime<Utc>,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}

crate::table_row!(ScraperExecution, "scraper_executions", game_date);

/// One planner decision: a workflow RUN (with the jobs it enqueued) or SKIP, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkflowDecision {
    pub game_date: GameDate,
    pub decision_id: String,
    #[serde(with = "crate::tables::ts")]
    pub decided_at: DateTime<Utc>,
    pub workflow: String,
    /// `RUN` or `SKIP`.
    pub decision: String,
    pub reason: String,
    /// Jobs enqueued (after de-duplication).
    pub jobs: i32,
    /// Jobs already enqueued this hour by an earlier invocation.
    pub duplicates: i32,
    /// `live` or `backfill`.
    pub mode: String,
    #[serde(with = "crate::tables::ts")]
    pub processed_at: DateTime<Utc>,
    pub data_hash: String,
}

crate::table_row!(WorkflowDecision, "workflow_decisions", game_date);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::codec;

    #[test]
    fn orchestration_rows_have_schemas() {
        codec::fields_for::<PipelineEvent>("pipeline_event_log").unwrap();
        codec::fields_for::<ScraperExecution>("scraper_executions").unwrap();
        codec::fields_for::<WorkflowDecision>("workflow_decisions").unwrap();
    }
}
