//! The canonical game key `YYYYMMDD_AWAY_HOME` (DESIGN §7).
//!
//! Every source can produce it: NBA.com from the Eastern game date and its two tricodes, the
//! Odds API from `commence_time` (converted to the Eastern date) and its full team names, ESPN
//! from its abbreviations. NBA game ids and Odds API event ids are attributes, never join keys:
//! joining on three id formats is how the previous system lost games.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::game_date::GameDate;
use crate::identity::teams::TeamCode;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GameId {
    date: GameDate,
    away: TeamCode,
    home: TeamCode,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid game id `{input}`: {reason} (expected YYYYMMDD_AWAY_HOME, e.g. 20250115_NYK_PHI)")]
pub struct GameIdError {
    pub input: String,
    pub reason: String,
}

impl GameId {
    /// `None` when a team would play itself: no real game looks like that, so it is a parse bug.
    pub fn new(date: GameDate, away: TeamCode, home: TeamCode) -> Option<Self> {
        (away != home).then_some(Self { date, away, home })
    }

    /// From a tip-off instant: the game belongs to the Eastern date it starts on.
    pub fn from_tipoff(tipoff: DateTime<Utc>, away: TeamCode, home: TeamCode) -> Option<Self> {
        Self::new(GameDate::eastern_of(tipoff), away, home)
    }

    pub fn date(self) -> GameDate {
        self.date
    }

    pub fn away(self) -> TeamCode {
        self.away
    }

    pub fn home(self) -> TeamCode {
        self.home
    }

    /// The other team, when `team` plays in this game.
    pub fn opponent_of(self, team: TeamCode) -> Option<TeamCode> {
        if team == self.home {
            Some(self.away)
        } else if team == self.away {
            Some(self.home)
        } else {
            None
        }
    }
}

impl fmt::Display for GameId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}_{}", self.date.compact(), self.away, self.home)
    }
}

impl fmt::Debug for GameId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GameId({self})")
    }
}

impl FromStr for GameId {
    type Err = GameIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| GameIdError { input: s.chars().take(40).collect(), reason: reason.to_string() };
        let mut parts = s.split('_');
        let (Some(date), Some(away_s), Some(home_s), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err("expected three parts separated by `_`"));
        };
        if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("the date must be 8 digits"));
        }
        let date =
            NaiveDate::parse_from_str(date, "%Y%m%d").map(GameDate::new).map_err(|_| err("not a calendar date"))?;
        let away = TeamCode::from_tricode(away_s).map_err(|e| err(&e.to_string()))?;
        let home = TeamCode::from_tricode(home_s).map_err(|e| err(&e.to_string()))?;
        if away.tricode() != away_s || home.tricode() != home_s {
            return Err(err("tricodes must be upper case"));
        }
        Self::new(date, away, home).ok_or_else(|| err("a team cannot play itself"))
    }
}

impl Serialize for GameId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for GameId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() && crate::tables::codec::in_schema_tracing() {
            let t = TeamCode::all().collect::<Vec<_>>();
            return Ok(Self { date: GameDate::new(NaiveDate::MIN), away: t[0], home: t[1] });
        }
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// NBA.com's own game id (`0022400561`): ten digits, the third giving the kind of game. An
/// attribute of a game, used to ask NBA.com about it, never to join on.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct NbaGameId(String);

/// The kind of game, from the third digit of the NBA game id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GameKind {
    Preseason,
    RegularSeason,
    AllStar,
    Playoffs,
    PlayIn,
    CupFinal,
    Other,
}

impl NbaGameId {
    pub fn parse(s: &str) -> Result<Self, GameIdError> {
        if s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_string()))
        } else {
            Err(GameIdError { input: s.chars().take(40).collect(), reason: "an NBA game id is 10 digits".into() })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> GameKind {
        match self.0.as_bytes().get(2) {
            Some(b'1') => GameKind::Preseason,
            Some(b'2') => GameKind::RegularSeason,
            Some(b'3') => GameKind::AllStar,
            Some(b'4') => GameKind::Playoffs,
            Some(b'5') => GameKind::PlayIn,
            Some(b'6') => GameKind::CupFinal,
            _ => GameKind::Other,
        }
    }
}

impl fmt::Display for NbaGameId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NbaGameId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NbaGameId({})", self.0)
    }
}

impl<'de> Deserialize<'de> for NbaGameId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() && crate::tables::codec::in_schema_tracing() {
            return Ok(Self(s));
        }
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn team(s: &str) -> TeamCode {
        TeamCode::resolve(s).unwrap()
    }

    #[test]
    fn derivable_from_each_source() {
        let d: GameDate = "2025-01-15".parse().unwrap();
        let nba = GameId::new(d, team("NYK"), team("PHI")).unwrap();
        assert_eq!(nba.to_string(), "20250115_NYK_PHI");
        // The Odds API gives full names and a UTC tip-off after midnight UTC.
        let tip = Utc.with_ymd_and_hms(2025, 1, 16, 0, 10, 0).unwrap();
        let odds = GameId::from_tipoff(
            tip,
            TeamCode::from_odds_name("New York Knicks").unwrap(),
            TeamCode::from_odds_name("Philadelphia 76ers").unwrap(),
        )
        .unwrap();
        assert_eq!(odds, nba);
        let espn = GameId::new(d, TeamCode::from_espn_abbr("NY").unwrap(), TeamCode::from_espn_abbr("PHI").unwrap());
        assert_eq!(espn, Some(nba));
        assert_eq!(nba.opponent_of(team("PHI")), Some(team("NYK")));
        assert_eq!(nba.opponent_of(team("BOS")), None);
    }

    #[test]
    fn parse_is_strict() {
        let g: GameId = "20250115_NYK_PHI".parse().unwrap();
        assert_eq!(g.date().to_string(), "2025-01-15");
        for bad in [
            "20250115_NY_PHI",
            "20250115_nyk_PHI",
            "2025-01-15_NYK_PHI",
            "20250230_NYK_PHI",
            "20250115_NYK_NYK",
            "20250115_NYK_PHI_X",
            "0022400561",
        ] {
            let e = bad.parse::<GameId>().unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
        }
        assert!(GameId::new(g.date(), team("NYK"), team("NYK")).is_none());
    }

    #[test]
    fn nba_game_ids() {
        let id = NbaGameId::parse("0022400561").unwrap();
        assert_eq!(id.kind(), GameKind::RegularSeason);
        assert_eq!(NbaGameId::parse("0042400101").unwrap().kind(), GameKind::Playoffs);
        assert_eq!(NbaGameId::parse("0052400101").unwrap().kind(), GameKind::PlayIn);
        for bad in ["002240056", "00224005611", "002240056a", "../../etc"] {
            assert!(NbaGameId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_round_trip() {
        let g: GameId = "20240222_ORL_CLE".parse().unwrap();
        let j = serde_json::to_string(&g).unwrap();
        assert_eq!(j, "\"20240222_ORL_CLE\"");
        assert_eq!(serde_json::from_str::<GameId>(&j).unwrap(), g);
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(days in 0u64..40_000, a in 0usize..30, b in 0usize..30) {
            prop_assume!(a != b);
            let t: Vec<TeamCode> = TeamCode::all().collect();
            let date = GameDate::new(NaiveDate::from_ymd_opt(1950, 1, 1).unwrap()).plus_days(days);
            let g = GameId::new(date, t[a], t[b]).unwrap();
            prop_assert_eq!(g.to_string().parse::<GameId>().unwrap(), g);
        }
    }
}
