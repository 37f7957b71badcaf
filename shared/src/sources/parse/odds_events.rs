//! Odds API events: the live list, or the historical wrapper around it.

use serde::Serialize;

use crate::sources::parse::json::{Cursor, parse_root};
use crate::sources::parse::odds::{HistoricalSnapshot, OddsEvent, event_header, unwrap_historical};
use crate::sources::parse::{ParseError, Parsed};

const PARSER: &str = "odds_events";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OddsEvents {
    /// Present for `/v4/historical/...` answers.
    pub snapshot: Option<HistoricalSnapshot>,
    pub events: Parsed<OddsEvent>,
}

pub fn parse_odds_events(raw: &[u8]) -> Result<OddsEvents, ParseError> {
    let root = parse_root(PARSER, raw)?;
    let root = Cursor::root(PARSER, &root);
    let (snapshot, data) = unwrap_historical(&root)?;
    let mut events = Parsed::default();
    for e in data.items()? {
        if let Some(ev) = event_header(&e, snapshot.as_ref(), &mut events.unresolved)? {
            events.records.push(ev);
        }
    }
    Ok(OddsEvents { snapshot, events })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::testdata::{read_real, real_data_dir};

    #[test]
    fn live_list_empty_and_errors() {
        let p = parse_odds_events(b"[]").unwrap();
        assert!(p.snapshot.is_none() && p.events.records.is_empty());
        let p = parse_odds_events(
            br#"{"timestamp":"2024-01-25T03:55:40Z","previous_timestamp":null,"next_timestamp":null,"data":[]}"#,
        )
        .unwrap();
        assert!(p.snapshot.is_some() && p.events.records.is_empty());
        let e = parse_odds_events(br#"{"message":"API key is missing","error_code":"MISSING_KEY"}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "odds_events parser: (root): the payload is an API error, not data: API key is missing"
        );
        let e = parse_odds_events(
            br#"[{"id":"a","commence_time":"tonight","home_team":"Utah Jazz","away_team":"LA Clippers"}]"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("[0].commence_time: invalid value string \"tonight\""), "{e}");
        let p = parse_odds_events(br#"[{"id":"a","commence_time":"2025-03-10T02:00:00Z","home_team":"Utah Jazz","away_team":"LA Clippers"},
            {"id":"b","commence_time":"2025-03-10T02:00:00Z","home_team":"Utah Jazz","away_team":"Vancouver Grizzlies"}]"#).unwrap();
        assert_eq!(p.events.records[0].game_id.to_string(), "20250309_LAC_UTA");
        assert_eq!(p.events.unresolved.names[0].name, "Vancouver Grizzlies");
    }

    #[test]
    fn real_historical_events() {
        let Some(dir) = real_data_dir() else { return };
        let raw = read_real(&dir, "najicham__nba-stats-scraper/oddsa_events_his/raw_4c3bc8f6.json");
        let p = parse_odds_events(&raw).unwrap();
        let snap = p.snapshot.unwrap();
        assert_eq!(snap.timestamp.to_rfc3339(), "2024-01-25T03:55:40+00:00");
        assert_eq!(snap.next_timestamp.map(|t| t.to_rfc3339()).as_deref(), Some("2024-01-25T04:00:38+00:00"));
        assert_eq!(p.events.records.len(), 10);
        assert!(p.events.unresolved.is_empty());
        let ids: Vec<String> = p.events.records.iter().map(|e| e.game_id.to_string()).collect();
        // 01:40 UTC on the 25th is 20:40 ET on the 24th.
        assert_eq!(ids[0], "20240124_PHX_DAL");
        assert_eq!(ids[2], "20240124_ATL_GSW");
        assert_eq!(ids[9], "20240125_CHI_LAL");
        assert_eq!(p.events.records[2].odds_event_id, "cd0bc7d0c238f4446ce1c03d0cea7ec4");
        assert!(p.events.records.iter().all(|e| e.snapshot_at == Some(snap.timestamp)));

        let raw = read_real(&dir, "najicham__nba-stats-scraper/oddsa_events_his/raw_aaf97612.json");
        let p = parse_odds_events(&raw).unwrap();
        assert_eq!(p.events.records.len(), 16);
        let lac = p.events.records.iter().find(|e| e.odds_event_id == "22c7a88941d89c6c0c72f68194b0cf02").unwrap();
        assert_eq!(lac.game_id.to_string(), "20250309_SAC_LAC", "Los Angeles Clippers");
    }

    #[test]
    fn real_live_event_list() {
        let Some(dir) = real_data_dir() else { return };
        let raw = read_real(&dir, "kyleair__bet-helper/mockGamesResponse.json");
        let p = parse_odds_events(&raw).unwrap();
        assert!(p.snapshot.is_none());
        assert_eq!(p.events.records.len(), 21);
        assert!(p.events.unresolved.is_empty());
        assert_eq!(p.events.records[0].game_id.to_string(), "20240222_ORL_CLE");
    }
}
