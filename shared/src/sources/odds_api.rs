//! The Odds API v4: events and per-event odds, live and historical (`/v4/historical/...` with
//! `date`, for backfills). The key is not part of these requests; the fetcher adds it.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::config::SourceUrls;
use crate::sources::request::{Endpoint, Host, SourceRequest};

/// The markets the pipeline buys: points props plus the game lines used as context.
pub const MARKETS: &str = "player_points,spreads,totals";

/// An Odds API event id. Checked because it becomes part of a URL path.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EventId(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid Odds API event id `{input}`: expected 1-64 letters or digits")]
pub struct EventIdError {
    pub input: String,
}

impl EventId {
    pub fn parse(s: &str) -> Result<Self, EventIdError> {
        if !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(s.to_string()))
        } else {
            Err(EventIdError { input: s.chars().take(70).collect() })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventId({})", self.0)
    }
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn base(urls: &SourceUrls, endpoint: Endpoint, path: &str) -> SourceRequest {
    SourceRequest::new(Host::OddsApi, endpoint, &urls.odds_api, path)
}

/// Upcoming events whose tip-off is within `[from, to]` (without a window the API lists
/// months ahead).
pub fn events(urls: &SourceUrls, from: DateTime<Utc>, to: DateTime<Utc>) -> SourceRequest {
    base(urls, Endpoint::Events, "/v4/sports/basketball_nba/events")
        .param("commenceTimeFrom", iso(from))
        .param("commenceTimeTo", iso(to))
}

/// The events list as it was at `at` (backfill).
pub fn historical_events(urls: &SourceUrls, at: DateTime<Utc>) -> SourceRequest {
    base(urls, Endpoint::Events, "/v4/historical/sports/basketball_nba/events").param("date", iso(at))
}

fn odds_params(r: SourceRequest) -> SourceRequest {
    r.param("regions", "us").param("markets", MARKETS).param("oddsFormat", "american")
}

/// Current odds of one event.
pub fn event_odds(urls: &SourceUrls, event: &EventId) -> SourceRequest {
    odds_params(base(urls, Endpoint::EventOdds, &format!("/v4/sports/basketball_nba/events/{event}/odds")))
}

/// The odds of one event as they were at `at` (backfill).
pub fn historical_event_odds(urls: &SourceUrls, event: &EventId, at: DateTime<Utc>) -> SourceRequest {
    odds_params(base(urls, Endpoint::EventOdds, &format!("/v4/historical/sports/basketball_nba/events/{event}/odds")))
        .param("date", iso(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn live_and_historical_variants() {
        let urls = SourceUrls::all_at("http://h");
        let t = Utc.with_ymd_and_hms(2024, 1, 25, 3, 55, 40).unwrap();
        assert_eq!(
            events(&urls, t, t + chrono::Duration::hours(36)).display_url(),
            "http://h/v4/sports/basketball_nba/events?commenceTimeFrom=2024-01-25T03%3A55%3A40Z&commenceTimeTo=2024-01-26T15%3A55%3A40Z"
        );
        assert_eq!(
            historical_events(&urls, t).display_url(),
            "http://h/v4/historical/sports/basketball_nba/events?date=2024-01-25T03%3A55%3A40Z"
        );
        let id = EventId::parse("cd0bc7d0c238f4446ce1c03d0cea7ec4").unwrap();
        let live = event_odds(&urls, &id);
        assert_eq!(
            live.display_url(),
            "http://h/v4/sports/basketball_nba/events/cd0bc7d0c238f4446ce1c03d0cea7ec4/odds?regions=us&markets=player_points%2Cspreads%2Ctotals&oddsFormat=american"
        );
        let his = historical_event_odds(&urls, &id, t);
        assert!(his.url.contains("/v4/historical/sports/basketball_nba/events/cd0bc7d0c238f4446ce1c03d0cea7ec4/odds"));
        assert_eq!(his.params()["date"], "2024-01-25T03:55:40Z");
        assert!(live.needs_api_key() && his.needs_api_key());
        assert!(EventId::parse("../x").is_err());
        assert!(EventId::parse("").is_err());
    }
}
