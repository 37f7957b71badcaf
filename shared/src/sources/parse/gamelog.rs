//! `leaguegamelog`: one row per player-game (`P`) or team-game (`T`), as `resultSets[0]`
//! headers + rowSet. Columns are read by name, never by position: the API has reordered and
//! added columns before.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::game_date::GameDate;
use crate::identity::{GameId, NbaGameId, TeamCode, player_lookup};
use crate::sources::parse::error::{ParseError, Problem, describe};
use crate::sources::parse::json::{Cursor, parse_root};
use crate::sources::parse::{NameKind, Parsed};

const PARSER: &str = "gamelog";

/// Counting stats of one player or team in one game; `None` where the feed has null.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BoxStats {
    pub points: Option<u16>,
    pub fg_made: Option<u16>,
    pub fg_attempted: Option<u16>,
    pub three_made: Option<u16>,
    pub three_attempted: Option<u16>,
    pub ft_made: Option<u16>,
    pub ft_attempted: Option<u16>,
    pub off_rebounds: Option<u16>,
    pub def_rebounds: Option<u16>,
    pub rebounds: Option<u16>,
    pub assists: Option<u16>,
    pub steals: Option<u16>,
    pub blocks: Option<u16>,
    pub turnovers: Option<u16>,
    pub fouls: Option<u16>,
    pub plus_minus: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlayerGameLog {
    pub game_id: GameId,
    pub nba_game_id: Option<NbaGameId>,
    pub game_date: GameDate,
    pub player_id: u64,
    pub player_name: String,
    pub player_lookup: String,
    pub team: TeamCode,
    pub opponent: TeamCode,
    pub home: bool,
    pub win: Option<bool>,
    /// Decimal minutes (`"34:30"` → 34.5).
    pub minutes: Option<f64>,
    pub stats: BoxStats,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamGameLog {
    pub game_id: GameId,
    pub nba_game_id: Option<NbaGameId>,
    pub game_date: GameDate,
    pub team: TeamCode,
    pub opponent: TeamCode,
    pub home: bool,
    pub win: Option<bool>,
    pub minutes: Option<f64>,
    pub stats: BoxStats,
}

/// Columns every row needs, players and teams alike.
const COMMON: &[&str] = &[
    "TEAM_ABBREVIATION",
    "GAME_ID",
    "GAME_DATE",
    "MATCHUP",
    "WL",
    "MIN",
    "FGM",
    "FGA",
    "FG3M",
    "FG3A",
    "FTM",
    "FTA",
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
];
const PLAYER: &[&str] = &["PLAYER_ID", "PLAYER_NAME"];

/// One row with its columns resolved by name.
struct Row<'a> {
    cols: &'a HashMap<&'a str, usize>,
    values: &'a [Value],
    path: String,
}

impl Row<'_> {
    fn cell(&self, col: &str) -> (&Value, ParseError) {
        let v = self.cols.get(col).and_then(|i| self.values.get(*i)).unwrap_or(&Value::Null);
        let err = ParseError { parser: PARSER, location: format!("{}.{col}", self.path), problem: Problem::Missing };
        (v, err)
    }

    fn bad(&self, col: &str, expected: &'static str) -> ParseError {
        let (v, mut e) = self.cell(col);
        e.problem = Problem::WrongType { expected, found: describe(v) };
        e
    }

    fn str(&self, col: &str) -> Result<&str, ParseError> {
        match self.cell(col) {
            (Value::String(s), _) => Ok(s),
            (Value::Null, e) => Err(e),
            _ => Err(self.bad(col, "a string")),
        }
    }

    fn opt_str(&self, col: &str) -> Result<Option<&str>, ParseError> {
        match self.cell(col).0 {
            Value::Null => Ok(None),
            Value::String(s) if s.is_empty() => Ok(None),
            Value::String(s) => Ok(Some(s)),
            _ => Err(self.bad(col, "a string")),
        }
    }

    fn opt_int(&self, col: &str) -> Result<Option<i64>, ParseError> {
        match self.cell(col).0 {
            Value::Null => Ok(None),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Ok(Some(i)),
                (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e9 => Ok(Some(f as i64)),
                _ => Err(self.bad(col, "a whole number")),
            },
            _ => Err(self.bad(col, "a whole number or null")),
        }
    }

    fn count(&self, col: &str) -> Result<Option<u16>, ParseError> {
        self.opt_int(col)?
            .map(|i| u16::try_from(i).map_err(|_| self.bad(col, "a count between 0 and 65535")))
            .transpose()
    }

    /// MIN: a number of minutes, `"MM:SS"`, or null.
    fn minutes(&self) -> Result<Option<f64>, ParseError> {
        let bad = || self.bad("MIN", "minutes as a number or \"MM:SS\"");
        match self.cell("MIN").0 {
            Value::Null => Ok(None),
            Value::Number(n) => n.as_f64().filter(|m| (0.0..=MAX_MINUTES).contains(m)).map(Some).ok_or_else(bad),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => parse_minutes(s).map(Some).ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    fn stats(&self) -> Result<BoxStats, ParseError> {
        let plus_minus = self
            .opt_int("PLUS_MINUS")?
            .map(|i| i32::try_from(i).map_err(|_| self.bad("PLUS_MINUS", "a small whole number")))
            .transpose()?;
        Ok(BoxStats {
            points: self.count("PTS")?,
            fg_made: self.count("FGM")?,
            fg_attempted: self.count("FGA")?,
            three_made: self.count("FG3M")?,
            three_attempted: self.count("FG3A")?,
            ft_made: self.count("FTM")?,
            ft_attempted: self.count("FTA")?,
            off_rebounds: self.count("OREB")?,
            def_rebounds: self.count("DREB")?,
            rebounds: self.count("REB")?,
            assists: self.count("AST")?,
            steals: self.count("STL")?,
            blocks: self.count("BLK")?,
            turnovers: self.count("TOV")?,
            fouls: self.count("PF")?,
            plus_minus,
        })
    }
}

/// Team minutes reach 340 in a five-overtime game; anything past this is corrupt.
const MAX_MINUTES: f64 = 400.0;

/// `"34:30"` → 34.5; `"34"` → 34.0; fractional seconds tolerated.
fn parse_minutes(s: &str) -> Option<f64> {
    let s = s.trim();
    let m = match s.split_once(':') {
        Some((m, sec)) => {
            let m: u32 = m.parse().ok()?;
            let sec: f64 = sec.parse().ok()?;
            if !(0.0..60.0).contains(&sec) {
                return None;
            }
            f64::from(m) + sec / 60.0
        }
        None => s.parse::<f64>().ok()?,
    };
    (m.is_finite() && (0.0..=MAX_MINUTES).contains(&m)).then_some(m)
}

/// What identifies the game in a row, shared by both row kinds.
struct GameKey {
    game_id: GameId,
    nba_game_id: Option<NbaGameId>,
    team: TeamCode,
    opponent: TeamCode,
    home: bool,
    win: Option<bool>,
}

/// `None` (and counted) when a team cannot be resolved.
fn game_key(row: &Row<'_>, unresolved: &mut super::Unresolved) -> Result<Option<GameKey>, ParseError> {
    let date_s = row.str("GAME_DATE")?;
    let game_date = date_s
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(GameDate::new)
        .ok_or_else(|| row.bad("GAME_DATE", "a date YYYY-MM-DD"))?;
    let nba_game_id = row
        .opt_str("GAME_ID")?
        .map(|s| NbaGameId::parse(s).map_err(|_| row.bad("GAME_ID", "a 10-digit NBA game id")))
        .transpose()?;
    let matchup = row.str("MATCHUP")?;
    let (home, us, them) = if let Some((a, b)) = matchup.split_once(" vs. ") {
        (true, a, b)
    } else if let Some((a, b)) = matchup.split_once(" @ ") {
        (false, a, b)
    } else {
        return Err(row.bad("MATCHUP", "\"TEAM vs. OPP\" or \"TEAM @ OPP\""));
    };
    let abbr = row.str("TEAM_ABBREVIATION")?;
    let ctx = format!("{}.MATCHUP={matchup}", row.path);
    let mut resolve = |s: &str| match TeamCode::from_tricode(s) {
        Ok(c) => Some(c),
        Err(_) => {
            unresolved.record(NameKind::Team, s.trim(), &ctx);
            None
        }
    };
    let (Some(team), Some(opponent)) = (resolve(abbr), resolve(them)) else {
        return Ok(None);
    };
    if TeamCode::from_tricode(us).ok() != Some(team) {
        return Err(row.bad("MATCHUP", "a matchup starting with the row's TEAM_ABBREVIATION"));
    }
    let (away, home_team) = if home { (opponent, team) } else { (team, opponent) };
    let game_id = GameId::new(game_date, away, home_team).ok_or_else(|| row.bad("MATCHUP", "two different teams"))?;
    let win = match row.opt_str("WL")? {
        None => None,
        Some("W") => Some(true),
        Some("L") => Some(false),
        Some(_) => return Err(row.bad("WL", "\"W\", \"L\" or null")),
    };
    Ok(Some(GameKey { game_id, nba_game_id, team, opponent, home, win }))
}

/// Resolves the wanted columns of `resultSets[0]` and hands each row to `each`.
fn rows<T>(
    raw: &[u8],
    required: &[&[&str]],
    mut each: impl FnMut(&Row<'_>, &mut Parsed<T>) -> Result<(), ParseError>,
) -> Result<Parsed<T>, ParseError> {
    let root = parse_root(PARSER, raw)?;
    let root = Cursor::root(PARSER, &root);
    let sets_c = root.get("resultSets")?;
    let sets = sets_c.items()?;
    let set = sets.first().ok_or_else(|| sets_c.invalid("expected at least one result set"))?;
    let headers_c = set.get("headers")?;
    let headers: Vec<&str> = headers_c.items()?.iter().map(|h| h.str()).collect::<Result<_, _>>()?;
    let cols: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (*h, i)).collect();
    for col in required.iter().flat_map(|c| c.iter()) {
        if !cols.contains_key(col) {
            return Err(ParseError {
                parser: PARSER,
                location: format!("{}.{col}", headers_c.path),
                problem: Problem::MissingColumn { headers: headers.join(",") },
            });
        }
    }
    let mut out = Parsed::default();
    for r in set.get("rowSet")?.items()? {
        let values = r.value.as_array().ok_or_else(|| r.wrong("an array"))?;
        if values.len() != headers.len() {
            return Err(r.err(Problem::RowLength { expected: headers.len(), found: values.len() }));
        }
        let row = Row { cols: &cols, values, path: r.path.clone() };
        each(&row, &mut out)?;
    }
    Ok(out)
}

pub fn parse_player_gamelog(raw: &[u8]) -> Result<Parsed<PlayerGameLog>, ParseError> {
    rows(raw, &[COMMON, PLAYER], |row, out| {
        let Some(k) = game_key(row, &mut out.unresolved)? else {
            return Ok(());
        };
        let player_name = row.str("PLAYER_NAME")?.trim().to_string();
        let lookup = player_lookup(&player_name);
        if lookup.is_empty() {
            out.unresolved.record(NameKind::Player, &player_name, &row.path);
            return Ok(());
        }
        let player_id = row
            .opt_int("PLAYER_ID")?
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| row.bad("PLAYER_ID", "a positive player id"))?;
        out.records.push(PlayerGameLog {
            game_id: k.game_id,
            game_date: k.game_id.date(),
            nba_game_id: k.nba_game_id,
            player_id,
            player_name,
            player_lookup: lookup,
            team: k.team,
            opponent: k.opponent,
            home: k.home,
            win: k.win,
            minutes: row.minutes()?,
            stats: row.stats()?,
        });
        Ok(())
    })
}

pub fn parse_team_gamelog(raw: &[u8]) -> Result<Parsed<TeamGameLog>, ParseError> {
    rows(raw, &[COMMON], |row, out| {
        let Some(k) = game_key(row, &mut out.unresolved)? else {
            return Ok(());
        };
        out.records.push(TeamGameLog {
            game_id: k.game_id,
            game_date: k.game_id.date(),
            nba_game_id: k.nba_game_id,
            team: k.team,
            opponent: k.opponent,
            home: k.home,
            win: k.win,
            minutes: row.minutes()?,
            stats: row.stats()?,
        });
        Ok(())
    })
}

#[cfg(test)]
mod tests;
