//! The Odds API v4: events, event odds (player_points, spreads, totals) and the historical
//! twins, as of the clock (live) or of `date` (historical).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::{ApiError, iso_z, parse_instant};
use crate::sim::SimLeague;
use crate::sim::odds::{BOOKS, BookLines, Snapshot, decimal};
use crate::sim::teams::TEAMS;

/// Query parameters as given (names are case-sensitive in the Odds API).
pub type Query = [(String, String)];

fn get<'a>(q: &'a Query, name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

fn time_param(q: &Query, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    match get(q, name) {
        None => Ok(None),
        Some(raw) => parse_instant(raw)
            .map(Some)
            .ok_or_else(|| ApiError::coded(422, "INVALID_PARAMETER", format!("Invalid {name} '{raw}' (ISO 8601)"))),
    }
}

/// The historical `date`, required.
pub fn date_param(q: &Query) -> Result<DateTime<Utc>, ApiError> {
    time_param(q, "date")?.ok_or_else(|| {
        ApiError::coded(
            422,
            "INVALID_HISTORICAL_TIMESTAMP",
            "Missing date parameter (ISO 8601, e.g. 2025-01-15T17:00:00Z)",
        )
    })
}

fn head(league: &SimLeague, i: usize) -> Value {
    let g = &league.schedule()[i];
    let id = league.odds(i).map(|o| o.event_id.clone()).unwrap_or_default();
    json!({"id": id, "sport_key": "basketball_nba", "sport_title": "NBA", "commence_time": iso_z(g.tip_off),
        "home_team": TEAMS[g.home].odds_name, "away_team": TEAMS[g.away].odds_name})
}

/// Events that have not started at `reference`, within the commence-time window (default:
/// the next 14 days, about what the real API lists).
pub fn events(league: &SimLeague, reference: DateTime<Utc>, q: &Query) -> Result<Vec<Value>, ApiError> {
    let from = time_param(q, "commenceTimeFrom")?;
    let to = time_param(q, "commenceTimeTo")?.unwrap_or(reference + Duration::days(14));
    let ids: Option<Vec<&str>> = get(q, "eventIds").map(|v| v.split(',').map(str::trim).collect());
    Ok(league
        .schedule()
        .iter()
        .enumerate()
        .filter(|(_, g)| g.tip_off > reference && from.is_none_or(|f| g.tip_off >= f) && g.tip_off <= to)
        .filter(|(i, _)| {
            ids.as_ref().is_none_or(|ids| league.odds(*i).is_some_and(|o| ids.contains(&o.event_id.as_str())))
        })
        .map(|(i, _)| head(league, i))
        .collect())
}

/// Snapshot capture times across the league, for the historical events wrapper.
pub fn neighbours(league: &SimLeague, t: DateTime<Utc>) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let mut prev = None;
    let mut next = None;
    for i in 0..league.schedule().len() {
        for s in league.odds(i).map(|o| o.snapshots.as_slice()).unwrap_or(&[]) {
            if s.at < t && prev.is_none_or(|p| s.at > p) {
                prev = Some(s.at);
            }
            if s.at > t && next.is_none_or(|n| s.at < n) {
                next = Some(s.at);
            }
        }
    }
    (prev, next)
}

/// The event-odds object of game `i` from `snapshot` (none yet: no bookmakers), and the
/// request's quota cost (markets returned × regions).
pub fn event_odds(
    league: &SimLeague,
    i: usize,
    snapshot: Option<&Snapshot>,
    q: &Query,
) -> Result<(Value, u64), ApiError> {
    let regions: Vec<&str> = get(q, "regions").map(|v| v.split(',').map(str::trim).collect()).unwrap_or_default();
    let wanted_books: Vec<&str> =
        get(q, "bookmakers").map(|v| v.split(',').map(str::trim).collect()).unwrap_or_default();
    if regions.is_empty() && wanted_books.is_empty() {
        return Err(ApiError::coded(
            422,
            "MISSING_REGION",
            "Missing regions parameter (e.g. regions=us) or bookmakers parameter",
        ));
    }
    let markets: Vec<&str> = get(q, "markets").unwrap_or("h2h").split(',').map(str::trim).collect();
    let format = get(q, "oddsFormat").unwrap_or("decimal").to_ascii_lowercase();
    if format != "decimal" && format != "american" {
        return Err(ApiError::coded(
            422,
            "INVALID_ODDS_FORMAT",
            format!("Invalid oddsFormat '{format}' (decimal or american)"),
        ));
    }
    let american = format == "american";
    let price = |a: i32| {
        if american { json!(a) } else { json!(decimal(a)) }
    };
    let g = &league.schedule()[i];
    let (home, away) = (TEAMS[g.home].odds_name, TEAMS[g.away].odds_name);
    let us = regions.contains(&"us");
    let mut markets_returned = std::collections::BTreeSet::new();
    let books: Vec<Value> = snapshot
        .map(|s| s.books.as_slice())
        .unwrap_or(&[])
        .iter()
        .filter(|b| if wanted_books.is_empty() { us } else { wanted_books.contains(&BOOKS[b.book].0) })
        .filter_map(|b: &BookLines| {
            let updated = iso_z(b.last_update);
            let mut ms = Vec::new();
            for m in &markets {
                let outcomes = match *m {
                    "player_points" => b
                        .props
                        .iter()
                        .flat_map(|p| {
                            let pl = &league.players()[p.player];
                            // FanDuel prints names without accents, as some real books do.
                            let name = if b.book == 1 { pl.name.ascii() } else { pl.name.full() };
                            [
                                json!({"name": "Over", "description": name, "price": price(p.over), "point": p.line}),
                                json!({"name": "Under", "description": name, "price": price(p.under), "point": p.line}),
                            ]
                        })
                        .collect::<Vec<_>>(),
                    "spreads" => vec![
                        json!({"name": home, "price": price(b.spread.1), "point": b.spread.0}),
                        json!({"name": away, "price": price(b.spread.2), "point": -b.spread.0}),
                    ],
                    "totals" => vec![
                        json!({"name": "Over", "price": price(b.total.1), "point": b.total.0}),
                        json!({"name": "Under", "price": price(b.total.2), "point": b.total.0}),
                    ],
                    _ => continue,
                };
                markets_returned.insert(*m);
                ms.push(json!({"key": m, "last_update": updated, "outcomes": outcomes}));
            }
            (!ms.is_empty()).then(
                || json!({"key": BOOKS[b.book].0, "title": BOOKS[b.book].1, "last_update": updated, "markets": ms}),
            )
        })
        .collect();
    let mut obj = head(league, i);
    obj["bookmakers"] = Value::Array(books);
    let n_regions = if wanted_books.is_empty() { regions.len() } else { wanted_books.len().div_ceil(10) };
    Ok((obj, (markets_returned.len() * n_regions) as u64))
}
