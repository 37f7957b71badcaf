//! A request to a source, as data: built by the per-source modules, executed by the
//! [`Fetcher`](super::Fetcher), and recorded (URL and parameters) with the raw payload.
//!
//! A request never holds a secret. The Odds API key is added by the fetcher at send time, so
//! nothing that records or prints a request can leak it.

use std::collections::BTreeMap;
use std::fmt;

/// A server the pipeline talks to. Breakers and base URLs are per host: stats.nba.com can be
/// down while cdn.nba.com answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    NbaStats,
    NbaCdn,
    Espn,
    OddsApi,
}

impl Host {
    pub const ALL: [Host; 4] = [Host::NbaStats, Host::NbaCdn, Host::Espn, Host::OddsApi];

    pub fn as_str(self) -> &'static str {
        match self {
            Host::NbaStats => "nba_stats",
            Host::NbaCdn => "nba_cdn",
            Host::Espn => "espn",
            Host::OddsApi => "odds_api",
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The six logical endpoints of DESIGN §6; `source()`/`as_str()` name the raw payload prefix
/// `raw/{source}/{endpoint}/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    Schedule,
    Gamelog,
    PlayByPlay,
    Roster,
    Events,
    EventOdds,
}

impl Endpoint {
    pub const ALL: [Endpoint; 6] = [
        Endpoint::Schedule,
        Endpoint::Gamelog,
        Endpoint::PlayByPlay,
        Endpoint::Roster,
        Endpoint::Events,
        Endpoint::EventOdds,
    ];

    pub fn source(self) -> &'static str {
        match self {
            Endpoint::Schedule | Endpoint::Gamelog | Endpoint::PlayByPlay => "nba",
            Endpoint::Roster => "espn",
            Endpoint::Events | Endpoint::EventOdds => "odds",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Schedule => "schedule",
            Endpoint::Gamelog => "gamelog",
            Endpoint::PlayByPlay => "playbyplay",
            Endpoint::Roster => "roster",
            Endpoint::Events => "events",
            Endpoint::EventOdds => "event-odds",
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.source(), self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown source `{input}` (expected one of: nba/schedule, nba/gamelog, nba/playbyplay, espn/roster, odds/events, odds/event-odds)"
)]
pub struct UnknownEndpoint {
    pub input: String,
}

/// `nba/gamelog` → [`Endpoint::Gamelog`]: the names scrape jobs and `props parse` use.
impl std::str::FromStr for Endpoint {
    type Err = UnknownEndpoint;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Endpoint::ALL
            .into_iter()
            .find(|e| e.to_string() == t)
            .ok_or_else(|| UnknownEndpoint { input: s.chars().take(60).collect() })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceRequest {
    pub host: Host,
    pub endpoint: Endpoint,
    /// Base URL plus path, without a query string.
    pub url: String,
    /// Query parameters in the order sent. Never a secret.
    pub query: Vec<(&'static str, String)>,
    pub headers: Vec<(&'static str, &'static str)>,
}

impl SourceRequest {
    pub(crate) fn new(host: Host, endpoint: Endpoint, base: &str, path: &str) -> Self {
        Self {
            host,
            endpoint,
            url: format!("{}{}", base.trim_end_matches('/'), path),
            query: Vec::new(),
            headers: vec![("Accept", "application/json")],
        }
    }

    pub(crate) fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name, value));
        self
    }

    /// The Odds API authenticates with an `apiKey` query parameter, added at send time.
    pub fn needs_api_key(&self) -> bool {
        self.host == Host::OddsApi
    }

    /// The parameters as recorded with the payload (secrets are never among them).
    pub fn params(&self) -> BTreeMap<String, String> {
        self.query.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect()
    }

    /// The URL as it may be logged: encoded query, no key.
    pub fn display_url(&self) -> String {
        let mut url = self.url.clone();
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode(k));
            url.push('=');
            url.push_str(&encode(v));
        }
        url
    }
}

/// Percent-encoding for query components (RFC 3986 unreserved characters pass through).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_url_encodes_and_never_has_a_key() {
        let r = SourceRequest::new(Host::OddsApi, Endpoint::Events, "http://x/", "/v4/a")
            .param("date", "2024-01-25T03:55:40Z")
            .param("SeasonType", "Regular Season");
        assert_eq!(r.display_url(), "http://x/v4/a?date=2024-01-25T03%3A55%3A40Z&SeasonType=Regular+Season");
        assert!(r.needs_api_key());
        assert!(!r.display_url().to_ascii_lowercase().contains("apikey"));
        assert_eq!(Endpoint::EventOdds.to_string(), "odds/event-odds");
        for e in Endpoint::ALL {
            assert_eq!(e.to_string().parse::<Endpoint>(), Ok(e));
        }
        assert!("nba/boxscore".parse::<Endpoint>().unwrap_err().to_string().contains("`nba/boxscore`"));
    }
}
