//! stats.nba.com `leaguegamelog`: one row per player-game (P) or team-game (T).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{ApiError, parse_query_date, round_to};
use crate::sim::SimLeague;
use crate::sim::boxscore::{Participation, Stats};
use crate::sim::teams::TEAMS;

/// The real player column list (checked against a capture).
pub const P_HEADERS: [&str; 32] = [
    "SEASON_ID",
    "PLAYER_ID",
    "PLAYER_NAME",
    "TEAM_ID",
    "TEAM_ABBREVIATION",
    "TEAM_NAME",
    "GAME_ID",
    "GAME_DATE",
    "MATCHUP",
    "WL",
    "MIN",
    "FGM",
    "FGA",
    "FG_PCT",
    "FG3M",
    "FG3A",
    "FG3_PCT",
    "FTM",
    "FTA",
    "FT_PCT",
    "OREB",
    "DREB",
    "REB",
    "AST",
    "STL",
    "BLK",
    "TOV",
    "PF",
    "PTS",
    "PLUS_MINUS",
    "FANTASY_PTS",
    "VIDEO_AVAILABLE",
];

/// The team list: the player list without PLAYER_ID, PLAYER_NAME and FANTASY_PTS.
pub const T_HEADERS: [&str; 29] = [
    "SEASON_ID",
    "TEAM_ID",
    "TEAM_ABBREVIATION",
    "TEAM_NAME",
    "GAME_ID",
    "GAME_DATE",
    "MATCHUP",
    "WL",
    "MIN",
    "FGM",
    "FGA",
    "FG_PCT",
    "FG3M",
    "FG3A",
    "FG3_PCT",
    "FTM",
    "FTA",
    "FT_PCT",
    "OREB",
    "DREB",
    "REB",
    "AST",
    "STL",
    "BLK",
    "TOV",
    "PF",
    "PTS",
    "PLUS_MINUS",
    "VIDEO_AVAILABLE",
];

const SORTABLE: [&str; 18] = [
    "DATE", "FGM", "FGA", "FG_PCT", "FG3M", "FG3A", "FG3_PCT", "FTM", "FTA", "FT_PCT", "OREB", "DREB", "AST", "STL",
    "BLK", "TOV", "REB", "PTS",
];

/// Renders the log for query `q` (names case-insensitive) as of `now`.
pub fn leaguegamelog(league: &SimLeague, now: DateTime<Utc>, q: &[(String, String)]) -> Result<Value, ApiError> {
    let get = |name: &str| {
        q.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let season = get("Season").unwrap_or_else(|| league.season().to_string());
    let season_type = get("SeasonType").unwrap_or_else(|| "Regular Season".into());
    let pot = get("PlayerOrTeam").unwrap_or_else(|| "T".into()).to_ascii_uppercase();
    if pot != "P" && pot != "T" {
        return Err(ApiError::new(400, format!("Invalid PlayerOrTeam '{pot}' (P or T)")));
    }
    let date = |name: &str| -> Result<Option<crate::GameDate>, ApiError> {
        match get(name) {
            None => Ok(None),
            Some(raw) => parse_query_date(&raw)
                .map(Some)
                .ok_or_else(|| ApiError::new(400, format!("Invalid {name} '{raw}' (YYYY-MM-DD or MM/DD/YYYY)"))),
        }
    };
    let (from, to) = (date("DateFrom")?, date("DateTo")?);
    let sorter = get("Sorter").unwrap_or_else(|| "DATE".into()).to_ascii_uppercase();
    if !SORTABLE.contains(&sorter.as_str()) {
        return Err(ApiError::new(400, format!("Invalid Sorter '{sorter}'")));
    }
    let direction = get("Direction").unwrap_or_else(|| "ASC".into()).to_ascii_uppercase();
    if direction != "ASC" && direction != "DESC" {
        return Err(ApiError::new(400, format!("Invalid Direction '{direction}'")));
    }
    let league_id = get("LeagueID").unwrap_or_else(|| "00".into());
    let regular = season_type.replace(['+', ' '], "").eq_ignore_ascii_case("RegularSeason");
    let mut rows: Vec<Vec<Value>> = Vec::new();
    if regular && season == league.season() && league_id == "00" {
        for (i, g) in league.schedule().iter().enumerate() {
            if from.is_some_and(|d| g.date < d) || to.is_some_and(|d| g.date > d) || !league.is_final(i, now) {
                continue;
            }
            let Some(sim) = league.game(i) else { continue };
            let season_id = format!("2{}", league.start_year());
            for home in [true, false] {
                let (team, opp) = if home { (g.home, g.away) } else { (g.away, g.home) };
                let (t, o) = (&TEAMS[team], &TEAMS[opp]);
                let matchup = if home {
                    format!("{} vs. {}", t.tricode, o.tricode)
                } else {
                    format!("{} @ {}", t.tricode, o.tricode)
                };
                let (own, other) = if home { (sim.home_pts, sim.away_pts) } else { (sim.away_pts, sim.home_pts) };
                let wl = if own > other { "W" } else { "L" };
                let head = |extra: Vec<Value>| -> Vec<Value> {
                    let mut v = vec![json!(season_id)];
                    v.extend(extra);
                    v.extend([
                        json!(t.nba_id),
                        json!(t.tricode),
                        json!(t.full_name()),
                        json!(g.nba_game_id),
                        json!(g.date.to_string()),
                        json!(matchup),
                        json!(wl),
                    ]);
                    v
                };
                if pot == "T" {
                    let s = sim.team_stats(home);
                    let mut row = head(vec![]);
                    row.extend(counts(&s));
                    row.push(json!(s.plus_minus / 5));
                    row.push(json!(1));
                    rows.push(row);
                } else {
                    for pg in sim.players.iter().filter(|p| p.home == home && p.participation == Participation::Played)
                    {
                        let p = &league.players()[pg.player];
                        let s = &pg.stats;
                        let mut row = head(vec![json!(p.id), json!(p.name.full())]);
                        row.extend(counts(s));
                        row.push(json!(s.plus_minus));
                        let fantasy = f64::from(s.pts)
                            + 1.2 * f64::from(s.reb())
                            + 1.5 * f64::from(s.ast)
                            + 3.0 * f64::from(s.stl)
                            + 3.0 * f64::from(s.blk)
                            - f64::from(s.tov);
                        row.push(json!(round_to(fantasy, 1)));
                        row.push(json!(1));
                        rows.push(row);
                    }
                }
            }
        }
    }
    let headers: Vec<&str> = if pot == "P" { P_HEADERS.to_vec() } else { T_HEADERS.to_vec() };
    sort_rows(&mut rows, &headers, &sorter, direction == "DESC");
    let params = json!({
        "LeagueID": league_id,
        "Season": season,
        "SeasonType": season_type,
        "PlayerOrTeam": pot,
        "Counter": get("Counter").and_then(|c| c.parse::<u64>().ok()).unwrap_or(0),
        "Sorter": sorter,
        "Direction": direction,
        "DateFrom": get("DateFrom"),
        "DateTo": get("DateTo"),
    });
    Ok(json!({
        "resource": "leaguegamelog",
        "parameters": params,
        "resultSets": [{"name": "LeagueGameLog", "headers": headers, "rowSet": rows}],
    }))
}

/// MIN through PTS, in header order.
fn counts(s: &Stats) -> Vec<Value> {
    let pct = |m: u32, a: u32| {
        if a == 0 { Value::Null } else { json!(round_to(f64::from(m) / f64::from(a), 3)) }
    };
    vec![
        json!(s.min),
        json!(s.fgm),
        json!(s.fga),
        pct(s.fgm, s.fga),
        json!(s.fg3m),
        json!(s.fg3a),
        pct(s.fg3m, s.fg3a),
        json!(s.ftm),
        json!(s.fta),
        pct(s.ftm, s.fta),
        json!(s.oreb),
        json!(s.dreb),
        json!(s.reb()),
        json!(s.ast),
        json!(s.stl),
        json!(s.blk),
        json!(s.tov),
        json!(s.pf),
        json!(s.pts),
    ]
}

fn sort_rows(rows: &mut [Vec<Value>], headers: &[&str], sorter: &str, desc: bool) {
    let col_name = if sorter == "DATE" { "GAME_DATE" } else { sorter };
    let col = headers.iter().position(|h| *h == col_name).unwrap_or(0);
    let gid = headers.iter().position(|h| *h == "GAME_ID").unwrap_or(0);
    let tri = headers.iter().position(|h| *h == "TEAM_ABBREVIATION").unwrap_or(0);
    let name = headers.iter().position(|h| *h == "PLAYER_NAME").unwrap_or(tri);
    let key = |r: &Vec<Value>| {
        let v = &r[col];
        let num = v.as_f64();
        (
            !v.is_null(),
            num.unwrap_or(0.0),
            v.as_str().unwrap_or("").to_string(),
            r[gid].as_str().unwrap_or("").to_string(),
            r[tri].as_str().unwrap_or("").to_string(),
            r[name].as_str().unwrap_or("").to_string(),
        )
    };
    rows.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        let ord =
            ka.0.cmp(&kb.0)
                .then(ka.1.total_cmp(&kb.1))
                .then(ka.2.cmp(&kb.2))
                .then(ka.3.cmp(&kb.3))
                .then(ka.4.cmp(&kb.4))
                .then(ka.5.cmp(&kb.5));
        if desc { ord.reverse() } else { ord }
    });
}
