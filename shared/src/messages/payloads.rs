//! Typed payloads, one per message kind. Unknown fields are refused: a producer and consumer
//! that disagree on a contract fail loudly instead of silently dropping data.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Phase 1: fetch one endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrapeJob {
    /// `nba/schedule`, `nba/gamelog`, `odds/event-odds`, ...
    pub source: String,
    pub workflow: String,
    /// Request parameters (never secrets: keys are added at fetch time).
    pub params: serde_json::Map<String, Value>,
}

/// Phase 1 → 2: a payload is stored in `raw/`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPayloadStored {
    pub source: String,
    pub key: String,
    pub sha256: String,
    pub bytes: u64,
}

/// A table partition changed (phase 2 → 3, and onwards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableUpdated {
    pub table: String,
    pub rows: u64,
    pub data_hash: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Success,
    Partial,
    NoData,
    Failed,
    SkippedUnchanged,
    StaleSkipped,
    CircuitOpen,
}

impl RunStatus {
    pub fn is_complete(self) -> bool {
        matches!(self, RunStatus::Success | RunStatus::Partial | RunStatus::NoData | RunStatus::SkippedUnchanged)
    }
}

/// Every processor run ends with one of these (DESIGN §9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessorCompleted {
    pub processor: String,
    pub status: RunStatus,
    pub rows: u64,
    pub output_hash: String,
    #[serde(default)]
    pub error: Option<String>,
    /// The order of this run's output among the processor's outputs for the date (1, 2, …;
    /// 0 when the run wrote nothing). Completions arrive in any order and two can carry the
    /// same `emitted_at` (a burst within a millisecond, a pinned clock): this, not the time,
    /// says which output is the table's current one.
    #[serde(default)]
    pub output_seq: u64,
}

/// Start the next phase for the envelope's game date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseTrigger {
    pub to_phase: u8,
    pub fingerprint: String,
    #[serde(default)]
    pub degraded: bool,
    #[serde(default)]
    pub processors: Vec<String>,
}

/// Phase 5 → 6.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishJob {
    pub predictions: u64,
    pub output_hash: String,
}
