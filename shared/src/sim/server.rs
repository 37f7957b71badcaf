//! The simulated league over HTTP: one base URL serving the paths of stats.nba.com, cdn.nba.com,
//! the ESPN site API and The Odds API (the same ones the replay server serves), as of a clock
//! that `GET/POST /_sim/clock` reads and moves (`{"now": "RFC 3339"}`; a bare date means noon
//! Eastern).
//!
//! What "as of the clock" means, so that a pipeline cannot see the future:
//! - a game is final three hours after tip-off; before that it is absent from
//!   `leaguegamelog`, scheduled (status 1, score 0) in the schedule, and its play-by-play is 404;
//! - ESPN injuries are those covering the clock's Eastern date;
//! - event odds are the latest snapshot at or before the clock (07:00, 12:00, 17:00 ET and
//!   tip − 30 min); before the morning open an event has no bookmakers; the live endpoints list
//!   events that have not started (next 14 days unless `commenceTimeTo` says otherwise) and drop
//!   an event once it is final, while the `/v4/historical/...` twins answer for any `date`.
//!
//! Differences from the replay server worth knowing: spreads and totals exist alongside
//! player points; ESPN athlete ids are ESPN-style numbers, not NBA person ids (join by name, as
//! with the real feeds); FanDuel prints names without accents.
//!
//! Built on bare `hyper` (already in the dependency tree) rather than a framework: a dozen
//! routes do not need one, and routing stays a pure function ([`route`]) that tests call
//! without sockets.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chrono::Duration;
use chrono_tz::America::New_York;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use super::shapes::{self, ApiError, iso_z, parse_instant};
use super::{SimError, SimLeague, teams};
use crate::clock::{Clock, ManualClock};
use crate::game_date::GameDate;

/// The notional Odds API quota; counted, never enforced.
const ODDS_QUOTA: u64 = 100_000;

/// (season, final games, serialised `leagueSchedule`).
type CachedSchedule = (String, usize, Arc<Vec<u8>>);

/// Shared by every request.
pub struct SimState {
    pub league: Arc<SimLeague>,
    pub clock: ManualClock,
    odds_used: AtomicU64,
    /// The serialised `leagueSchedule` for (season, final games): rendering the whole season
    /// takes long enough in debug builds that an hourly planner would feel it.
    schedule_cache: Mutex<Option<CachedSchedule>>,
}

impl SimState {
    pub fn new(league: Arc<SimLeague>, clock: ManualClock) -> Self {
        Self { league, clock, odds_used: AtomicU64::new(0), schedule_cache: Mutex::new(None) }
    }
}

/// An answer before it meets the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn json(status: u16, v: &Value) -> Self {
        Self { status, headers: Vec::new(), body: serde_json::to_vec(v).unwrap_or_default() }
    }

    fn error(e: &ApiError) -> Self {
        let mut body = json!({"message": e.message});
        if let Some(code) = e.code {
            body["error_code"] = json!(code);
        }
        Self::json(e.status, &body)
    }
}

/// A running server; dropping it stops it too.
pub struct SimServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SimServer {
    /// `http://127.0.0.1:PORT`, the one base URL for every source.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes open connections and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Binds `addr` (port 0 picks one) and serves `league` as of `clock` until shut down.
pub async fn serve(addr: SocketAddr, league: Arc<SimLeague>, clock: ManualClock) -> Result<SimServer, SimError> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let state = Arc::new(SimState::new(league, clock));
    let (stop, mut stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let mut conns = JoinSet::new();
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let state = state.clone();
                    conns.spawn(async move {
                        let svc = service_fn(move |req| handle(state.clone(), req));
                        if let Err(e) = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), svc)
                            .await
                        {
                            tracing::debug!(error = %e, "sim server connection ended with an error");
                        }
                    });
                }
                Some(_) = conns.join_next(), if !conns.is_empty() => {}
            }
        }
        conns.shutdown().await;
    });
    Ok(SimServer { addr, stop: Some(stop), task: Some(task) })
}

async fn handle(state: Arc<SimState>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = parse_query(req.uri().query().unwrap_or(""));
    let body = match Limited::new(req.into_body(), 64 * 1024).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let reply = route(&state, &method, &path, &query, &body);
    let mut resp = Response::new(Full::new(Bytes::from(reply.body)));
    *resp.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("application/json; charset=utf-8"));
    for (k, v) in reply.headers {
        if let Ok(v) = hyper::header::HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    }
    Ok(resp)
}

/// Answers one request. Pure apart from the clock and the quota counter.
pub fn route(state: &SimState, method: &Method, path: &str, q: &[(String, String)], body: &[u8]) -> Reply {
    let lp = path.trim_end_matches('/');
    let low = lp.to_ascii_lowercase();
    if low == "/_sim/clock" {
        return clock(state, method, body);
    }
    if method != Method::GET && method != Method::HEAD {
        return Reply::error(&ApiError::new(405, format!("{method} not allowed on {path}")));
    }
    let league = &state.league;
    let now = state.clock.now();
    let result = if low == "/stats/leaguegamelog" {
        shapes::gamelog::leaguegamelog(league, now, q).map(|v| Reply::json(200, &v))
    } else if low == "/stats/scheduleleaguev2int" || low == "/stats/scheduleleaguev2" {
        let season = q
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Season"))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| league.season().to_string());
        let season = match season.parse::<i32>() {
            Ok(y) if season.len() == 4 => format!("{y}-{:02}", (y + 1) % 100),
            _ => season,
        };
        Ok(schedule(state, &season))
    } else if low == "/static/json/staticdata/scheduleleaguev2_1.json"
        || low == "/static/json/staticdata/scheduleleaguev2.json"
    {
        Ok(schedule(state, league.season()))
    } else if let Some(id) =
        low.strip_prefix("/static/json/livedata/playbyplay/playbyplay_").and_then(|s| s.strip_suffix(".json"))
    {
        playbyplay(state, id)
    } else if let Some(key) = lp.strip_prefix("/apis/site/v2/sports/basketball/nba/teams/") {
        match teams::find_espn(key) {
            Some(t) => {
                let roster = q
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case("enable"))
                    .any(|(_, v)| v.split(',').any(|e| e.trim().eq_ignore_ascii_case("roster")));
                Ok(Reply::json(200, &shapes::espn::team(league, now, t, roster)))
            }
            None => Err(ApiError::new(404, format!("Failed to get team '{key}'"))),
        }
    } else if lp.starts_with("/v4/") {
        odds(state, lp, q)
    } else {
        Ok(Reply::json(404, &json!({"message": "Not found (not served by the sim server)", "path": path})))
    };
    let mut reply = result.unwrap_or_else(|e| Reply::error(&e));
    if method == Method::HEAD {
        reply.body.clear();
    }
    reply
}

/// The schedule document, with `leagueSchedule` from the cache when no game has become final
/// since it was rendered.
fn schedule(state: &SimState, season: &str) -> Reply {
    use shapes::schedule as s;
    let now = state.clock.now();
    let finals = s::finals(&state.league, now);
    let mut cache = state.schedule_cache.lock().unwrap_or_else(|p| p.into_inner());
    let body = match cache.as_ref() {
        Some((cs, cf, body)) if cs == season && *cf == finals => body.clone(),
        _ => {
            let v = s::league_schedule(&state.league, now, season);
            let body = Arc::new(serde_json::to_vec(&v).unwrap_or_default());
            *cache = Some((season.to_string(), finals, body.clone()));
            body
        }
    };
    drop(cache);
    let meta = serde_json::to_vec(&s::meta(now, season)).unwrap_or_default();
    // Keys in the order serde_json writes them elsewhere (sorted), so both paths give the same bytes.
    let mut out = Vec::with_capacity(body.len() + meta.len() + 40);
    out.extend_from_slice(b"{\"leagueSchedule\":");
    out.extend_from_slice(&body);
    out.extend_from_slice(b",\"meta\":");
    out.extend_from_slice(&meta);
    out.push(b'}');
    Reply { status: 200, headers: Vec::new(), body: out }
}

fn playbyplay(state: &SimState, id: &str) -> Result<Reply, ApiError> {
    let league = &state.league;
    let not_found = || {
        Reply::json(404, &json!({"message": "No play-by-play for this game (unknown or not played yet)", "gameId": id}))
    };
    let Some(i) = league.game_index(id) else {
        return Ok(not_found());
    };
    if !league.is_final(i, state.clock.now()) {
        return Ok(not_found());
    }
    Ok(shapes::pbp::playbyplay(league, i).map(|v| Reply::json(200, &v)).unwrap_or_else(not_found))
}

fn odds(state: &SimState, lp: &str, q: &[(String, String)]) -> Result<Reply, ApiError> {
    use shapes::odds as o;
    let has_key = q.iter().any(|(k, v)| k == "apiKey" && !v.trim().is_empty());
    if !has_key {
        return Err(ApiError::coded(
            401,
            "MISSING_KEY",
            "API key is missing or invalid. Pass apiKey=... in the query string.",
        ));
    }
    let parts: Vec<&str> = lp.trim_start_matches("/v4/").split('/').collect();
    let (historical, rest) = match parts.split_first() {
        Some((&"historical", rest)) => (true, rest),
        _ => (false, parts.as_slice()),
    };
    let (sport, event) = match rest {
        ["sports", sport, "events"] => (*sport, None),
        ["sports", sport, "events", id, "odds"] => (*sport, Some(*id)),
        _ => return Err(ApiError::new(404, format!("Not found: {lp}"))),
    };
    if sport != "basketball_nba" {
        return Err(ApiError::coded(404, "UNKNOWN_SPORT", format!("Unknown sport '{sport}'")));
    }
    let league = &state.league;
    let now = state.clock.now();
    let charge = |cost: u64| {
        let used = state.odds_used.fetch_add(cost, Ordering::SeqCst) + cost;
        vec![
            ("x-requests-remaining", ODDS_QUOTA.saturating_sub(used).to_string()),
            ("x-requests-used", used.to_string()),
            ("x-requests-last", cost.to_string()),
        ]
    };
    let ts = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(iso_z).map_or(Value::Null, Value::from);
    let reply = match (historical, event) {
        (false, None) => {
            let list = o::events(league, now, q)?;
            let mut r = Reply::json(200, &Value::Array(list));
            r.headers = charge(0);
            r
        }
        (true, None) => {
            let date = o::date_param(q)?;
            let list = o::events(league, date, q)?;
            let (prev, next) = o::neighbours(league, date);
            let cost = u64::from(!list.is_empty());
            let mut r = Reply::json(
                200,
                &json!({"timestamp": iso_z(date), "previous_timestamp": ts(prev),
                "next_timestamp": ts(next), "data": list}),
            );
            r.headers = charge(cost);
            r
        }
        (hist, Some(id)) => {
            let reference = if hist { o::date_param(q)? } else { now };
            let missing = || {
                ApiError::coded(
                    404,
                    "EVENT_NOT_FOUND",
                    format!("Event not found. The event may have expired or the event id '{id}' is invalid."),
                )
            };
            let i = league.game_index_by_event(id).ok_or_else(missing)?;
            let game_odds = league.odds(i).ok_or_else(missing)?;
            // The live endpoint drops an event once it is over, as the real API does.
            if !hist && league.schedule()[i].tip_off + Duration::hours(3) <= now {
                return Err(missing());
            }
            let at = game_odds.at(reference);
            let (obj, cost) = o::event_odds(league, i, at.map(|(_, s)| s), q)?;
            if hist {
                let snaps = &game_odds.snapshots;
                let (stamp, prev, next) = match at {
                    Some((k, s)) => (s.at, k.checked_sub(1).map(|p| snaps[p].at), snaps.get(k + 1).map(|s| s.at)),
                    None => (reference, None, snaps.first().map(|s| s.at)),
                };
                let mut r = Reply::json(
                    200,
                    &json!({"timestamp": iso_z(stamp), "previous_timestamp": ts(prev),
                    "next_timestamp": ts(next), "data": obj}),
                );
                r.headers = charge(10 * cost);
                r
            } else {
                let mut r = Reply::json(200, &obj);
                r.headers = charge(cost);
                r
            }
        }
    };
    Ok(reply)
}

fn clock(state: &SimState, method: &Method, body: &[u8]) -> Reply {
    if method == Method::POST {
        let parsed: Option<String> = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| v.get("now").and_then(Value::as_str).map(str::to_string));
        match parsed.as_deref().and_then(parse_instant) {
            Some(t) => state.clock.set(t),
            None => {
                return Reply::error(&ApiError::new(
                    400,
                    "expected a JSON body {\"now\": \"RFC 3339 timestamp or YYYY-MM-DD\"}",
                ));
            }
        }
    } else if method != Method::GET {
        return Reply::error(&ApiError::new(405, format!("{method} not allowed on /_sim/clock")));
    }
    let now = state.clock.now();
    Reply::json(
        200,
        &json!({"now": iso_z(now), "now_et": now.with_timezone(&New_York).to_rfc3339(),
            "et_date": GameDate::eastern_of(now).to_string(), "season": state.league.season()}),
    )
}

/// `a=1&b=x+y` → pairs, percent-decoded.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_decoding() {
        let q = parse_query("SeasonType=Regular+Season&date=2025-01-15T17%3A00%3A00Z&x=%ZZ&flag");
        assert_eq!(q[0], ("SeasonType".into(), "Regular Season".into()));
        assert_eq!(q[1].1, "2025-01-15T17:00:00Z");
        assert_eq!(q[2].1, "%ZZ");
        assert_eq!(q[3], ("flag".into(), String::new()));
    }
}
