//! Parse errors that say which parser, where in the payload, and what was wrong: enough to fix
//! a quarantined payload's parser without opening the payload.

use crate::sources::parse::payload::PayloadError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{parser} parser: {location}: {problem}")]
pub struct ParseError {
    /// `schedule`, `gamelog`, `playbyplay`, `espn_roster`, `odds_events`, `odds_event_odds`.
    pub parser: &'static str,
    /// A JSON path (`leagueSchedule.gameDates[3].games[0].homeTeam.teamTricode`) or, for
    /// table-shaped payloads, row and column (`resultSets[0].rowSet[12].MIN`).
    pub location: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("{0}")]
    Payload(#[from] PayloadError),
    #[error("not valid JSON: {0}")]
    InvalidJson(String),
    #[error("missing or null")]
    Missing,
    #[error("expected {expected}, found {found}")]
    WrongType { expected: &'static str, found: String },
    #[error("column missing from the headers (headers: {headers})")]
    MissingColumn { headers: String },
    #[error("row has {found} values for {expected} headers")]
    RowLength { expected: usize, found: usize },
    #[error("invalid value {found}: {reason}")]
    Invalid { found: String, reason: String },
    #[error("the payload is an API error, not data: {0}")]
    ApiError(String),
}

/// A short rendering of an unexpected value for an error message.
pub(crate) fn describe(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::Null => return "null".into(),
        serde_json::Value::Bool(b) => format!("boolean {b}"),
        serde_json::Value::Number(n) => format!("number {n}"),
        serde_json::Value::String(s) => format!("string {s:?}"),
        serde_json::Value::Array(a) => return format!("an array of {}", a.len()),
        serde_json::Value::Object(_) => return "an object".into(),
    };
    s.chars().take(80).collect()
}
