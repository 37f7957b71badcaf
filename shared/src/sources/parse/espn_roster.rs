//! ESPN team + roster (`teams/{id}?enable=roster`): `team.athletes[]` with `injuries[]`. The
//! pipeline's rosters and injury statuses come from here.

use serde::Serialize;

use crate::identity::{TeamCode, player_lookup};
use crate::sources::parse::json::{Cursor, parse_root};
use crate::sources::parse::{NameKind, ParseError, Parsed};

const PARSER: &str = "espn_roster";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RosterEntry {
    pub team: TeamCode,
    pub athlete_id: String,
    pub name: String,
    pub player_lookup: String,
    pub position: Option<String>,
    pub age: Option<u32>,
    pub jersey: Option<String>,
    /// ESPN's athlete status (`Active`...), not the injury status.
    pub status: Option<String>,
    /// The most recent injury's status: `Out`, `Day-To-Day`, `Questionable`... `None` = healthy.
    pub injury_status: Option<String>,
    /// `INJURY_STATUS_OUT`...
    pub injury_type: Option<String>,
    /// The body part (`Knee`...).
    pub injury_detail: Option<String>,
    pub injury_date: Option<String>,
    pub injury_return_date: Option<String>,
}

struct Injury {
    status: Option<String>,
    kind: Option<String>,
    detail: Option<String>,
    date: Option<String>,
    return_date: Option<String>,
}

fn injury(c: &Cursor<'_>) -> Result<Injury, ParseError> {
    let s = |c: &Cursor<'_>, k: &str| -> Result<Option<String>, ParseError> {
        Ok(c.opt_str(k)?.filter(|s| !s.is_empty()).map(str::to_string))
    };
    let details = c.opt("details")?;
    Ok(Injury {
        status: s(c, "status")?,
        kind: c.opt("type")?.map(|t| s(&t, "name")).transpose()?.flatten(),
        detail: details.as_ref().map(|d| s(d, "type")).transpose()?.flatten(),
        date: s(c, "date")?,
        return_date: details.as_ref().map(|d| s(d, "returnDate")).transpose()?.flatten(),
    })
}

/// The team, by abbreviation or by ESPN id.
fn team(t: &Cursor<'_>) -> Result<Option<TeamCode>, ParseError> {
    if let Some(abbr) = t.opt_str("abbreviation")?
        && let Ok(c) = TeamCode::from_espn_abbr(abbr)
    {
        return Ok(Some(c));
    }
    Ok(t.opt_str("id")?.and_then(|id| id.parse::<u32>().ok()).and_then(|id| TeamCode::from_espn_id(id).ok()))
}

pub fn parse_espn_roster(raw: &[u8]) -> Result<Parsed<RosterEntry>, ParseError> {
    let root = parse_root(PARSER, raw)?;
    let root = Cursor::root(PARSER, &root);
    let t = root.get("team")?;
    let mut out = Parsed::default();
    let athletes = t.get("athletes")?.items()?;
    let Some(team) = team(&t)? else {
        let name = t.opt_str("displayName")?.or(t.opt_str("abbreviation")?).unwrap_or("(unnamed team)");
        out.unresolved.record(NameKind::Team, name, &t.path);
        return Ok(out);
    };
    for a in athletes {
        let name = a.opt_str("displayName")?.or(a.opt_str("fullName")?).map(str::trim).unwrap_or_default().to_string();
        let lookup = player_lookup(&name);
        if lookup.is_empty() {
            out.unresolved.record(NameKind::Player, &name, &a.path);
            continue;
        }
        // The latest injury is the current one; ISO dates order as strings.
        let mut current: Option<Injury> = None;
        if let Some(list) = a.opt("injuries")? {
            for i in list.items()? {
                let i = injury(&i)?;
                if current.as_ref().is_none_or(|c| i.date > c.date) {
                    current = Some(i);
                }
            }
        }
        let current =
            current.unwrap_or(Injury { status: None, kind: None, detail: None, date: None, return_date: None });
        let position = match a.opt("position")? {
            Some(p) => p.opt_str("abbreviation")?.filter(|s| !s.is_empty()).map(str::to_string),
            None => None,
        };
        let status = match a.opt("status")? {
            Some(s) if s.value.is_string() => Some(s.str()?.to_string()),
            Some(s) => s.opt_str("name")?.map(str::to_string),
            None => None,
        };
        let id_c = a.get("id")?;
        let athlete_id = match id_c.value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(_) => id_c.u64()?.to_string(),
            _ => return Err(id_c.wrong("an athlete id")),
        };
        out.records.push(RosterEntry {
            team,
            athlete_id,
            name,
            player_lookup: lookup,
            position,
            age: a.opt("age")?.map(|c| c.u32()).transpose()?,
            jersey: a.opt_str("jersey")?.map(str::to_string),
            status,
            injury_status: current.status,
            injury_type: current.kind,
            injury_detail: current.detail,
            injury_date: current.date,
            injury_return_date: current.return_date,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::testdata::{read_real, real_data_dir};

    #[test]
    fn replay_shape_with_nulls_and_empty_roster() {
        let raw = r#"{"team":{"id":"26","abbreviation":"UTAH","athletes":[
            {"id":"1629029","displayName":"Luka Dončić","jersey":null,"position":{"name":null,"displayName":null,"abbreviation":null},"injuries":[],"status":"Active"}]}}"#;
        let p = parse_espn_roster(raw.as_bytes()).unwrap();
        let r = &p.records[0];
        assert_eq!((r.team.tricode(), r.player_lookup.as_str()), ("UTA", "lukadoncic"));
        assert_eq!((r.position.clone(), r.jersey.clone(), r.injury_status.clone()), (None, None, None));
        assert_eq!(r.status.as_deref(), Some("Active"));
        let p = parse_espn_roster(br#"{"team":{"id":"9","abbreviation":"GS","athletes":[]}}"#).unwrap();
        assert!(p.records.is_empty() && p.unresolved.is_empty());
    }

    #[test]
    fn latest_injury_wins_and_errors_are_named() {
        let raw = br#"{"team":{"abbreviation":"NY","athletes":[{"id":"1","displayName":"A B","injuries":[
            {"status":"Out","date":"2025-01-01T00:00Z","type":{"name":"INJURY_STATUS_OUT"}},
            {"status":"Day-To-Day","date":"2025-01-09T00:00Z","details":{"type":"Ankle","returnDate":"2025-01-12"}}]}]}}"#;
        let r = &parse_espn_roster(raw).unwrap().records[0];
        assert_eq!(r.team.tricode(), "NYK");
        assert_eq!(r.injury_status.as_deref(), Some("Day-To-Day"));
        assert_eq!(r.injury_detail.as_deref(), Some("Ankle"));
        assert_eq!(r.injury_return_date.as_deref(), Some("2025-01-12"));
        let e = parse_espn_roster(br#"{"team":{"abbreviation":"NY"}}"#).unwrap_err().to_string();
        assert_eq!(e, "espn_roster parser: team.athletes: missing or null");
        let e = parse_espn_roster(
            br#"{"team":{"abbreviation":"NY","athletes":[{"id":"1","displayName":"A B","age":"30"}]}}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("team.athletes[0].age: expected a whole number"), "{e}");
        let p =
            parse_espn_roster(br#"{"team":{"abbreviation":"SEA","displayName":"Seattle SuperSonics","athletes":[]}}"#)
                .unwrap();
        assert_eq!(p.unresolved.names[0].name, "Seattle SuperSonics");
    }

    #[test]
    fn real_boston_roster_with_injuries() {
        let Some(dir) = real_data_dir() else { return };
        let raw = read_real(&dir, "najicham__nba-stats-scraper/espn_roster_api/raw_2.json");
        let p = parse_espn_roster(&raw).unwrap();
        assert_eq!(p.records.len(), 17);
        assert!(p.unresolved.is_empty());
        assert!(p.records.iter().all(|r| r.team.tricode() == "BOS"));
        let out: Vec<_> = p
            .records
            .iter()
            .filter(|r| r.injury_status.as_deref() == Some("Out"))
            .map(|r| r.player_lookup.as_str())
            .collect();
        assert_eq!(out, ["jaylenbrown", "jaysontatum"]);
        let tatum = p.records.iter().find(|r| r.player_lookup == "jaysontatum").unwrap();
        assert_eq!(tatum.injury_type.as_deref(), Some("INJURY_STATUS_OUT"));
        assert_eq!(tatum.injury_return_date.as_deref(), Some("2026-02-01"));
        assert_eq!(tatum.athlete_id, "4065648");
        assert_eq!(tatum.position.as_deref(), Some("SF"));
        assert_eq!(tatum.age, Some(27));
        let holiday = p.records.iter().find(|r| r.name == "Jrue Holiday").unwrap();
        assert_eq!((holiday.age, holiday.injury_status.as_deref()), (Some(35), None));
    }
}
