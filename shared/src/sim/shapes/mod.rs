//! The simulated league rendered in the real sources' JSON shapes, as of a clock.
//!
//! Each module mirrors one real endpoint's response closely enough that a parser written
//! against the real captures reads it unchanged (the tests compare key paths with the
//! captures). Everything takes `now`: what a client sees depends on when it asks.

pub mod court;
pub mod espn;
pub mod gamelog;
pub mod odds;
pub mod pbp;
pub mod schedule;

use chrono::{DateTime, Utc};
use chrono_tz::America::New_York;

use crate::game_date::GameDate;

/// `2025-01-15T17:00:00Z`, the form every source uses for instants.
pub fn iso_z(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `7:30 pm ET`, as the schedule prints a game that has not finished.
pub fn eastern_time_text(t: DateTime<Utc>) -> String {
    let et = t.with_timezone(&New_York);
    let text = et.format("%-I:%M %P").to_string();
    format!("{text} ET")
}

/// A request-level failure rendered by the server as `{"message": ...}` with a status.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    /// The Odds API's `error_code`, when the route is an Odds API one.
    pub code: Option<&'static str>,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), code: None }
    }

    pub fn coded(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), code: Some(code) }
    }
}

/// Parses `YYYY-MM-DD` or `MM/DD/YYYY` (both appear in stats.nba.com requests).
pub fn parse_query_date(s: &str) -> Option<GameDate> {
    let s = s.trim();
    s.parse().ok().or_else(|| chrono::NaiveDate::parse_from_str(s, "%m/%d/%Y").ok().map(GameDate::new))
}

/// An instant from RFC 3339, or a bare date meaning 12:00 US-Eastern that day (as the replay
/// server's clock accepts), or a zone-less timestamp taken as UTC.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(n) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(Utc.from_utc_datetime(&n));
    }
    let d: GameDate = s.parse().ok()?;
    let noon = d.naive().and_hms_opt(12, 0, 0)?;
    New_York.from_local_datetime(&noon).single().map(|t| t.with_timezone(&Utc))
}

fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_render_like_the_feeds() {
        let t = parse_instant("2025-01-16T00:30:00Z").unwrap();
        assert_eq!(eastern_time_text(t), "7:30 pm ET");
        assert_eq!(iso_z(t), "2025-01-16T00:30:00Z");
        assert_eq!(iso_z(parse_instant("2025-01-15").unwrap()), "2025-01-15T17:00:00Z");
        assert_eq!(parse_query_date("01/15/2025"), parse_query_date("2025-01-15"));
    }
}
