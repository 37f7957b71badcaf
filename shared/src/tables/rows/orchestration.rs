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
