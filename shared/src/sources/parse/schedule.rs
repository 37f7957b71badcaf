//! The season schedule (`scheduleleaguev2int` and the CDN's `scheduleLeagueV2_1.json`, same
//! shape): `leagueSchedule.gameDates[].games[]`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::game_date::GameDate;
use crate::identity::{GameId, GameKind, NbaGameId, TeamCode};
use crate::sources::parse::json::{Cursor, parse_root};
use crate::sources::parse::{NameKind, ParseError, Parsed};

const PARSER: &str = "schedule";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GameStatus {
    Scheduled,
    Live,
    Final,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScheduleGame {
    pub game_id: GameId,
    pub nba_game_id: NbaGameId,
    pub game_date: GameDate,
    pub kind: GameKind,
    pub status: GameStatus,
    pub status_text: String,
    pub tipoff_utc: DateTime<Utc>,
    pub away_team: TeamCode,
    pub home_team: TeamCode,
    /// `None` until the game has started (the feed writes 0 for unplayed games).
    pub away_score: Option<u32>,
    pub home_score: Option<u32>,
    pub is_neutral: bool,
    pub postponed: bool,
    /// `Preseason`, `East First Round`, `Emirates NBA Cup`... (empty for ordinary games).
    pub label: String,
}

pub fn parse_schedule(raw: &[u8]) -> Result<Parsed<ScheduleGame>, ParseError> {
    let root = parse_root(PARSER, raw)?;
    let root = Cursor::root(PARSER, &root);
    let mut out = Parsed::default();
    let dates = root.get("leagueSchedule")?.get("gameDates")?;
    for day in dates.items()? {
        for g in day.get("games")?.items()? {
            if let Some(game) = game(&g, &mut out)? {
                out.records.push(game);
            }
        }
    }
    Ok(out)
}

/// The team's tricode, or its NBA id for feeds whose tricodes drift; `None` (counted) for
/// teams outside the league (international exhibitions, All-Star teams).
fn team(t: &Cursor<'_>, ctx: &str, out: &mut Parsed<ScheduleGame>) -> Result<Option<TeamCode>, ParseError> {
    let tricode = t.get("teamTricode")?.str()?;
    if let Ok(c) = TeamCode::from_tricode(tricode) {
        return Ok(Some(c));
    }
    if let Some(id) = t.opt_u64("teamId")?
        && let Ok(c) = TeamCode::from_nba_id(id)
    {
        return Ok(Some(c));
    }
    let name = match t.opt_str("teamName")? {
        Some(n) if !n.is_empty() => format!("{tricode} ({n})"),
        _ => tricode.to_string(),
    };
    out.unresolved.record(NameKind::Team, &name, ctx);
    Ok(None)
}

fn game(g: &Cursor<'_>, out: &mut Parsed<ScheduleGame>) -> Result<Option<ScheduleGame>, ParseError> {
    let id_c = g.get("gameId")?;
    let nba_game_id = NbaGameId::parse(id_c.str()?).map_err(|e| id_c.invalid(e.reason))?;
    let status_c = g.get("gameStatus")?;
    let status = match status_c.i64()? {
        1 => GameStatus::Scheduled,
        2 => GameStatus::Live,
        3 => GameStatus::Final,
        _ => return Err(status_c.invalid("expected 1 (scheduled), 2 (live) or 3 (final)")),
    };
    let date_c = g.get("gameDateEst")?;
    let game_date = date_c
        .str()?
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(GameDate::new)
        .ok_or_else(|| date_c.invalid("expected an Eastern date YYYY-MM-DD..."))?;
    let tipoff_utc = g.get("gameDateTimeUTC")?.instant()?;
    let home_c = g.get("homeTeam")?;
    let away_c = g.get("awayTeam")?;
    let ctx = format!("{}.gameId={nba_game_id}", g.path);
    let (Some(home_team), Some(away_team)) = (team(&home_c, &ctx, out)?, team(&away_c, &ctx, out)?) else {
        return Ok(None);
    };
    let game_id = GameId::new(game_date, away_team, home_team)
        .ok_or_else(|| home_c.invalid("the home team is also the away team"))?;
    let score = |t: &Cursor<'_>| -> Result<Option<u32>, ParseError> {
        match status {
            GameStatus::Scheduled => Ok(None),
            _ => t.opt("score")?.map(|s| s.u32()).transpose(),
        }
    };
    Ok(Some(ScheduleGame {
        game_id,
        kind: nba_game_id.kind(),
        nba_game_id,
        game_date,
        status,
        status_text: g.opt_str("gameStatusText")?.unwrap_or_default().trim().to_string(),
        tipoff_utc,
        away_team,
        home_team,
        away_score: score(&away_c)?,
        home_score: score(&home_c)?,
        is_neutral: g.opt("isNeutral")?.map(|c| c.flag()).transpose()?.unwrap_or(false),
        postponed: g.opt_str("postponedStatus")?.is_some_and(|s| s == "Y" || s == "P"),
        label: g.opt_str("gameLabel")?.unwrap_or_default().to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::testdata::{read_real, real_data_dir};

    #[test]
    fn empty_season_is_zero_records() {
        let p = parse_schedule(br#"{"leagueSchedule":{"seasonYear":"2030-31","gameDates":[]}}"#).unwrap();
        assert!(p.records.is_empty() && p.unresolved.is_empty());
    }

    #[test]
    fn scheduled_games_have_no_score() {
        let raw = br#"{"leagueSchedule":{"gameDates":[{"gameDate":"01/15/2025 00:00:00","games":[
            {"gameId":"0022400561","gameStatus":1,"gameStatusText":"7:00 pm ET ",
             "gameDateEst":"2025-01-15T00:00:00Z","gameDateTimeUTC":"2025-01-16T00:00:00Z",
             "homeTeam":{"teamId":1610612755,"teamTricode":"PHI","score":0},
             "awayTeam":{"teamId":1610612752,"teamTricode":"NYK","score":0}}]}]}}"#;
        let p = parse_schedule(raw).unwrap();
        let g = &p.records[0];
        assert_eq!(g.game_id.to_string(), "20250115_NYK_PHI");
        assert_eq!((g.status, g.home_score, g.status_text.as_str()), (GameStatus::Scheduled, None, "7:00 pm ET"));
    }

    #[test]
    fn bad_status_names_the_field() {
        let raw = br#"{"leagueSchedule":{"gameDates":[{"games":[{"gameId":"0022400561","gameStatus":"3"}]}]}}"#;
        let e = parse_schedule(raw).unwrap_err().to_string();
        assert_eq!(
            e,
            "schedule parser: leagueSchedule.gameDates[0].games[0].gameStatus: expected a whole number, found string \"3\""
        );
    }

    #[test]
    fn real_full_season_2024_25() {
        let Some(dir) = real_data_dir() else { return };
        let raw = read_real(&dir, "najicham__nba-stats-scraper/nbac_schedule_api/raw_80cb1fd6.json.gz");
        let p = parse_schedule(&raw).unwrap();
        // 1,400 games in the feed; the exhibitions against non-NBA clubs and the All-Star
        // games cannot have a canonical id and are counted instead.
        assert_eq!(p.records.len(), 1390);
        assert_eq!(p.unresolved.count, 16, "ten clubs, some in two games");
        assert_eq!(p.unresolved.names.len(), 10);
        let kinds = |k| p.records.iter().filter(|g| g.kind == k).count();
        assert_eq!(kinds(GameKind::RegularSeason), 1230);
        assert_eq!(kinds(GameKind::Playoffs), 84);
        assert_eq!(kinds(GameKind::PlayIn), 6);
        assert_eq!(kinds(GameKind::CupFinal), 1);
        assert_eq!(kinds(GameKind::Preseason), 69);
        assert!(p.records.iter().all(|g| g.status == GameStatus::Final));
        assert!(p.unresolved.names.iter().any(|n| n.name.starts_with("NZB")), "{:?}", p.unresolved);
        assert!(p.unresolved.names.iter().all(|n| n.kind == NameKind::Team));
        let g = p.records.iter().find(|g| g.nba_game_id.as_str() == "0022400561").unwrap();
        assert_eq!(g.game_id.to_string(), "20250115_NYK_PHI");
        assert_eq!((g.away_score, g.home_score), (Some(125), Some(119)));
        assert_eq!(g.status_text, "Final/OT");
        assert_eq!(g.tipoff_utc.to_rfc3339(), "2025-01-16T00:00:00+00:00");
        // The Eastern date of tip-off is the game date for every NBA game.
        let mismatched: Vec<_> = p
            .records
            .iter()
            .filter(|g| GameDate::eastern_of(g.tipoff_utc) != g.game_date)
            .map(|g| g.nba_game_id.to_string())
            .collect();
        assert!(mismatched.is_empty(), "{mismatched:?}");
        let ids: std::collections::HashSet<_> = p.records.iter().map(|g| g.game_id).collect();
        assert_eq!(ids.len(), p.records.len(), "canonical ids are unique");
    }

    #[test]
    fn real_cdn_schedule_2025_26() {
        let Some(dir) = real_data_dir() else { return };
        let raw = read_real(&dir, "najicham__nba-stats-scraper/nbac_schedule_cdn/raw_68953816.json");
        let p = parse_schedule(&raw).unwrap();
        assert_eq!((p.records.len(), p.unresolved.count), (11, 2));
        assert!(p.records.iter().all(|g| g.status == GameStatus::Scheduled && g.home_score.is_none()));
        assert_eq!(p.records[0].game_id.to_string(), "20251002_PHI_NYK");
        assert_eq!(p.unresolved.names[0].name, "MEL (United)");
    }
}
