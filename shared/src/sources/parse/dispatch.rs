//! Parsing by payload kind, for code that holds a stored payload rather than a typed call:
//! `process-raw` (routing by the stored request) and `props parse SOURCE FILE`.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use serde_json::Value;

use crate::sources::parse::*;
use crate::sources::request::{Endpoint, SourceRequest};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayloadKind {
    Schedule,
    PlayerGamelog,
    TeamGamelog,
    PlayByPlay,
    EspnRoster,
    OddsEvents,
    EventOdds,
}

impl PayloadKind {
    pub const ALL: [PayloadKind; 7] = [
        PayloadKind::Schedule,
        PayloadKind::PlayerGamelog,
        PayloadKind::TeamGamelog,
        PayloadKind::PlayByPlay,
        PayloadKind::EspnRoster,
        PayloadKind::OddsEvents,
        PayloadKind::EventOdds,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PayloadKind::Schedule => "schedule",
            PayloadKind::PlayerGamelog => "gamelog-p",
            PayloadKind::TeamGamelog => "gamelog-t",
            PayloadKind::PlayByPlay => "playbyplay",
            PayloadKind::EspnRoster => "roster",
            PayloadKind::OddsEvents => "events",
            PayloadKind::EventOdds => "event-odds",
        }
    }

    /// The parser for what `req` fetched (the game log's `PlayerOrTeam` decides between two).
    pub fn for_request(req: &SourceRequest) -> Self {
        match req.endpoint {
            Endpoint::Schedule => PayloadKind::Schedule,
            Endpoint::Gamelog => {
                let team = req.query.iter().any(|(k, v)| *k == "PlayerOrTeam" && v == "T");
                if team { PayloadKind::TeamGamelog } else { PayloadKind::PlayerGamelog }
            }
            Endpoint::PlayByPlay => PayloadKind::PlayByPlay,
            Endpoint::Roster => PayloadKind::EspnRoster,
            Endpoint::Events => PayloadKind::OddsEvents,
            Endpoint::EventOdds => PayloadKind::EventOdds,
        }
    }

    /// The parser for a stored payload of `endpoint`, when the request is no longer known:
    /// player and team game logs share a directory, and only the player log has `PLAYER_ID`.
    pub fn for_payload(endpoint: Endpoint, raw: &[u8]) -> Self {
        match endpoint {
            Endpoint::Gamelog => {
                let player = crate::sources::parse::payload::decode(raw)
                    .map(|b| b.windows(11).any(|w| w == b"\"PLAYER_ID\""))
                    .unwrap_or(false);
                if player { PayloadKind::PlayerGamelog } else { PayloadKind::TeamGamelog }
            }
            Endpoint::Schedule => PayloadKind::Schedule,
            Endpoint::PlayByPlay => PayloadKind::PlayByPlay,
            Endpoint::Roster => PayloadKind::EspnRoster,
            Endpoint::Events => PayloadKind::OddsEvents,
            Endpoint::EventOdds => PayloadKind::EventOdds,
        }
    }
}

impl fmt::Display for PayloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown payload kind `{input}` (expected one of: schedule, gamelog-p, gamelog-t, playbyplay, roster, events, event-odds)"
)]
pub struct UnknownPayloadKind {
    pub input: String,
}

impl FromStr for PayloadKind {
    type Err = UnknownPayloadKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        PayloadKind::ALL
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| UnknownPayloadKind { input: s.chars().take(40).collect() })
    }
}

/// A parse result as JSON, with how many records it holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParsedJson {
    pub kind: &'static str,
    pub records: usize,
    pub unresolved: usize,
    pub output: Value,
}

fn to_json<T: Serialize>(
    kind: PayloadKind,
    records: usize,
    unresolved: usize,
    v: &T,
) -> Result<ParsedJson, ParseError> {
    let output = serde_json::to_value(v).map_err(|e| ParseError {
        parser: kind.as_str(),
        location: "output".into(),
        problem: Problem::Invalid { found: "records".into(), reason: e.to_string() },
    })?;
    Ok(ParsedJson { kind: kind.as_str(), records, unresolved, output })
}

/// Parses `raw` as `kind` and renders the normalized records as JSON.
pub fn parse_to_json(kind: PayloadKind, raw: &[u8]) -> Result<ParsedJson, ParseError> {
    match kind {
        PayloadKind::Schedule => {
            parse_schedule(raw).and_then(|p| to_json(kind, p.records.len(), p.unresolved.count, &p))
        }
        PayloadKind::PlayerGamelog => {
            parse_player_gamelog(raw).and_then(|p| to_json(kind, p.records.len(), p.unresolved.count, &p))
        }
        PayloadKind::TeamGamelog => {
            parse_team_gamelog(raw).and_then(|p| to_json(kind, p.records.len(), p.unresolved.count, &p))
        }
        PayloadKind::PlayByPlay => {
            parse_playbyplay(raw).and_then(|p| to_json(kind, p.records.len(), p.unresolved.count, &p))
        }
        PayloadKind::EspnRoster => {
            parse_espn_roster(raw).and_then(|p| to_json(kind, p.records.len(), p.unresolved.count, &p))
        }
        PayloadKind::OddsEvents => {
            parse_odds_events(raw).and_then(|p| to_json(kind, p.events.records.len(), p.events.unresolved.count, &p))
        }
        PayloadKind::EventOdds => {
            parse_event_odds(raw).and_then(|p| to_json(kind, p.props.len() + p.lines.len(), p.unresolved.count, &p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SourceUrls;
    use crate::sources::nba_stats::{self, PlayerOrTeam, SeasonType};

    #[test]
    fn kinds_round_trip_and_follow_the_request() {
        for k in PayloadKind::ALL {
            assert_eq!(k.as_str().parse::<PayloadKind>(), Ok(k));
        }
        assert!("box".parse::<PayloadKind>().unwrap_err().to_string().contains("`box`"));
        let urls = SourceUrls::all_at("http://h");
        let d = "2025-03-15".parse().unwrap();
        let t = nba_stats::gamelog(&urls, d, SeasonType::Playoffs, PlayerOrTeam::Team);
        assert_eq!(PayloadKind::for_request(&t), PayloadKind::TeamGamelog);
        let p = nba_stats::gamelog(&urls, d, SeasonType::Playoffs, PlayerOrTeam::Player);
        assert_eq!(PayloadKind::for_request(&p), PayloadKind::PlayerGamelog);
    }

    #[test]
    fn renders_records_as_json() {
        let out = parse_to_json(
            PayloadKind::OddsEvents,
            br#"[{"id":"a","commence_time":"2025-03-10T02:00:00Z","home_team":"Utah Jazz","away_team":"LA Clippers"}]"#,
        )
        .unwrap();
        assert_eq!((out.records, out.unresolved), (1, 0));
        assert_eq!(out.output["events"]["records"][0]["game_id"], "20250309_LAC_UTA");
        assert_eq!(out.output["events"]["records"][0]["home_team"], "UTA");
        let e = parse_to_json(PayloadKind::Schedule, b"{").unwrap_err();
        assert_eq!(e.parser, "schedule");
    }
}
