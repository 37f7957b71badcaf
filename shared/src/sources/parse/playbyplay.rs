//! cdn.nba.com live play-by-play: `game.actions[]`. The shots table is built from it, so the
//! shot fields (result, distance, area, coordinates, assist) are kept as the feed gives them.

use serde::Serialize;

use crate::identity::{NbaGameId, TeamCode};
use crate::sources::parse::json::{Cursor, parse_root};
use crate::sources::parse::{NameKind, ParseError, Parsed};

const PARSER: &str = "playbyplay";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlayByPlayAction {
    /// The feed has no teams at game level; the canonical game id comes from the schedule.
    pub nba_game_id: NbaGameId,
    pub action_number: u32,
    pub period: u32,
    /// ISO-8601 duration left in the period (`PT11M41.00S`).
    pub clock: String,
    pub action_type: String,
    pub sub_type: Option<String>,
    pub team: Option<TeamCode>,
    pub person_id: Option<u64>,
    pub player_name: Option<String>,
    pub is_field_goal: bool,
    /// `Some(true)` made, `Some(false)` missed; `None` for actions that are not attempts.
    pub shot_made: Option<bool>,
    pub shot_distance: Option<f64>,
    pub area: Option<String>,
    pub area_detail: Option<String>,
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub assist_person_id: Option<u64>,
    pub description: Option<String>,
}

pub fn parse_playbyplay(raw: &[u8]) -> Result<Parsed<PlayByPlayAction>, ParseError> {
    let root = parse_root(PARSER, raw)?;
    let root = Cursor::root(PARSER, &root);
    let game = root.get("game")?;
    let id_c = game.get("gameId")?;
    let nba_game_id = NbaGameId::parse(id_c.str()?).map_err(|e| id_c.invalid(e.reason))?;
    let mut out = Parsed::default();
    let Some(actions) = game.opt("actions")? else {
        return Ok(out);
    };
    for a in actions.items()? {
        let owned = |k: &str| -> Result<Option<String>, ParseError> {
            Ok(a.opt_str(k)?.filter(|s| !s.is_empty()).map(str::to_string))
        };
        let team = match a.opt_str("teamTricode")?.filter(|s| !s.is_empty()) {
            None => None,
            Some(t) => match TeamCode::from_tricode(t) {
                Ok(c) => Some(c),
                Err(_) => {
                    out.unresolved.record(NameKind::Team, t, &a.path);
                    None
                }
            },
        };
        let shot_made = match a.opt("shotResult")? {
            None => None,
            Some(c) => match c.str()? {
                "Made" => Some(true),
                "Missed" => Some(false),
                _ => return Err(c.invalid("expected \"Made\" or \"Missed\"")),
            },
        };
        let person = |k: &str| -> Result<Option<u64>, ParseError> { Ok(a.opt_u64(k)?.filter(|id| *id != 0)) };
        out.records.push(PlayByPlayAction {
            nba_game_id: nba_game_id.clone(),
            action_number: a.get("actionNumber")?.u32()?,
            period: a.get("period")?.u32()?,
            clock: owned("clock")?.unwrap_or_default(),
            action_type: a.get("actionType")?.str()?.to_string(),
            sub_type: owned("subType")?,
            team,
            person_id: person("personId")?,
            player_name: owned("playerNameI")?.or(owned("playerName")?),
            is_field_goal: a.opt("isFieldGoal")?.map(|c| c.flag()).transpose()?.unwrap_or(false),
            shot_made,
            shot_distance: a.opt_f64("shotDistance")?,
            area: owned("area")?,
            area_detail: owned("areaDetail")?,
            x: a.opt_f64("x")?,
            y: a.opt_f64("y")?,
            assist_person_id: person("assistPersonId")?,
            description: owned("description")?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::testdata::{read_real, real_data_dir};

    #[test]
    fn no_actions_yet_is_zero_records() {
        let p = parse_playbyplay(br#"{"game":{"gameId":"0022400561","actions":[]}}"#).unwrap();
        assert!(p.records.is_empty());
        let p = parse_playbyplay(br#"{"game":{"gameId":"0022400561"}}"#).unwrap();
        assert!(p.records.is_empty());
    }

    #[test]
    fn bad_values_are_named() {
        let e = parse_playbyplay(br#"{"game":{"gameId":"0022400561","actions":[{"actionNumber":1,"period":1,"actionType":"2pt","shotResult":"Blocked"}]}}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "playbyplay parser: game.actions[0].shotResult: invalid value string \"Blocked\": expected \"Made\" or \"Missed\""
        );
        let e = parse_playbyplay(br#"{"game":{"gameId":"22400561"}}"#).unwrap_err().to_string();
        assert!(e.contains("game.gameId"), "{e}");
        let e = parse_playbyplay(br#"{"game":{"gameId":"0022400561","actions":[{"actionNumber":"1"}]}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("game.actions[0].actionNumber: expected a whole number"), "{e}");
    }

    #[test]
    fn real_playbyplay_nyk_at_phi() {
        let Some(dir) = real_data_dir() else { return };
        let raw = read_real(&dir, "najicham__nba-stats-scraper/nbac_play_by_play/raw_416e8d5c.json.gz");
        let p = parse_playbyplay(&raw).unwrap();
        assert_eq!(p.records.len(), 506);
        assert!(p.unresolved.is_empty());
        let shots: Vec<_> = p.records.iter().filter(|a| a.is_field_goal).collect();
        assert_eq!(shots.len(), 178);
        assert_eq!(shots.iter().filter(|a| a.shot_made == Some(true)).count(), 92);
        assert_eq!(shots.iter().filter(|a| a.area.as_deref() == Some("Restricted Area")).count(), 59);
        assert!(shots.iter().all(|a| a.shot_distance.is_some() && a.x.is_some()));
        let first = shots[0];
        assert_eq!(first.action_number, 9);
        assert_eq!(first.team.map(|t| t.tricode()), Some("NYK"));
        assert_eq!(first.person_id, Some(1628973));
        assert_eq!(first.shot_made, Some(false));
        assert_eq!(first.shot_distance, Some(21.62));
        assert_eq!(first.area.as_deref(), Some("Mid-Range"));
        assert_eq!(first.clock, "PT11M41.00S");
        let teams: std::collections::HashSet<_> =
            p.records.iter().filter_map(|a| a.team).map(|t| t.tricode()).collect();
        assert_eq!(teams.len(), 2);
        assert!(teams.contains("PHI") && teams.contains("NYK"));
        assert_eq!(p.records.iter().filter(|a| a.assist_person_id.is_some()).count(), 55);
        assert_eq!(p.records[0].nba_game_id.as_str(), "0022400561");
    }
}
