//! What the Odds API parsers share: the historical wrapper, the event header and prices.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::game_date::GameDate;
use crate::identity::{GameId, TeamCode};
use crate::sources::parse::error::Problem;
use crate::sources::parse::json::Cursor;
use crate::sources::parse::{NameKind, ParseError, Unresolved};

/// The `{timestamp, previous_timestamp, next_timestamp}` of a historical answer: when the
/// snapshot was taken, and where the neighbouring ones are (for paging through a day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HistoricalSnapshot {
    pub timestamp: DateTime<Utc>,
    pub previous_timestamp: Option<DateTime<Utc>>,
    pub next_timestamp: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OddsEvent {
    pub odds_event_id: String,
    pub game_id: GameId,
    pub game_date: GameDate,
    pub commence_time: DateTime<Utc>,
    pub home_team: TeamCode,
    pub away_team: TeamCode,
    /// The historical snapshot time, when the payload came from `/v4/historical/...`.
    pub snapshot_at: Option<DateTime<Utc>>,
}

/// Splits a historical wrapper from its `data`; a live payload is its own data. A bare
/// `{"message": ...}` is an API error, not an empty answer.
pub(crate) fn unwrap_historical<'a>(root: &Cursor<'a>) -> Result<(Option<HistoricalSnapshot>, Cursor<'a>), ParseError> {
    if let Some(obj) = root.value.as_object() {
        if let (Some(msg), None) = (obj.get("message").and_then(|m| m.as_str()), obj.get("id")) {
            return Err(root.err(Problem::ApiError(msg.chars().take(300).collect())));
        }
        if obj.contains_key("data") && obj.contains_key("timestamp") {
            let snap = HistoricalSnapshot {
                timestamp: root.get("timestamp")?.instant()?,
                previous_timestamp: root.opt_instant("previous_timestamp")?,
                next_timestamp: root.opt_instant("next_timestamp")?,
            };
            let data = root.opt("data")?.unwrap_or_else(|| root.clone());
            return Ok((Some(snap), data));
        }
    }
    Ok((None, root.clone()))
}

/// The event's id, teams and tip-off. `None` (counted) when a team name is unknown.
pub(crate) fn event_header(
    e: &Cursor<'_>,
    snapshot: Option<&HistoricalSnapshot>,
    unresolved: &mut Unresolved,
) -> Result<Option<OddsEvent>, ParseError> {
    let id = e.get("id")?.str()?.to_string();
    let commence_time = e.get("commence_time")?.instant()?;
    let mut team = |k: &str| -> Result<Option<TeamCode>, ParseError> {
        let name = e.get(k)?.str()?;
        Ok(match TeamCode::from_odds_name(name) {
            Ok(c) => Some(c),
            Err(_) => {
                unresolved.record(NameKind::Team, name, &format!("event {id}"));
                None
            }
        })
    };
    let (home, away) = (team("home_team")?, team("away_team")?);
    let (Some(home_team), Some(away_team)) = (home, away) else {
        return Ok(None);
    };
    let game_id = GameId::from_tipoff(commence_time, away_team, home_team)
        .ok_or_else(|| e.invalid("home_team and away_team are the same team"))?;
    Ok(Some(OddsEvent {
        odds_event_id: id,
        game_id,
        game_date: game_id.date(),
        commence_time,
        home_team,
        away_team,
        snapshot_at: snapshot.map(|s| s.timestamp),
    }))
}

/// A price as both formats. The API answers in the format asked for; the two never overlap
/// for these markets (American is at least 100 in magnitude, decimal is between 1 and 100),
/// so the format is read from the value and payloads of either kind parse the same.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Price {
    pub american: i32,
    pub decimal: f64,
}

pub(crate) fn price(c: &Cursor<'_>) -> Result<Price, ParseError> {
    let p = c.f64()?;
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    if p.abs() >= 100.0 && p.abs() < 1_000_000.0 {
        let decimal = if p > 0.0 { 1.0 + p / 100.0 } else { 1.0 + 100.0 / -p };
        Ok(Price { american: p.round() as i32, decimal: round2(decimal) })
    } else if p > 1.0 && p < 100.0 {
        let american = if p >= 2.0 { (p - 1.0) * 100.0 } else { -100.0 / (p - 1.0) };
        Ok(Price { american: american.round() as i32, decimal: round2(p) })
    } else {
        Err(c.invalid("expected American odds (|price| >= 100) or decimal odds (> 1)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prices_in_both_formats() {
        let p = |v: serde_json::Value| price(&Cursor::root("t", &v));
        assert_eq!(p(json!(-110)).unwrap(), Price { american: -110, decimal: 1.91 });
        assert_eq!(p(json!(150)).unwrap(), Price { american: 150, decimal: 2.5 });
        assert_eq!(p(json!(1.91)).unwrap(), Price { american: -110, decimal: 1.91 });
        assert_eq!(p(json!(2.5)).unwrap(), Price { american: 150, decimal: 2.5 });
        assert_eq!(p(json!(3.3)).unwrap().american, 230);
        for bad in [json!(0.5), json!(-50.0), json!("-110"), json!(1.0)] {
            assert!(p(bad).is_err());
        }
    }
}
