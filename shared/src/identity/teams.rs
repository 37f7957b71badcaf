//! The 30 teams and every spelling a source uses for them. NBA tricodes are canonical; ESPN
//! abbreviations and Odds API full names are mapped explicitly (no fuzzy matching), so an
//! unexpected spelling fails loudly instead of joining to the wrong team.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One franchise as each source spells it.
#[derive(Debug, PartialEq, Eq)]
pub struct TeamInfo {
    pub tricode: &'static str,
    pub nba_id: u64,
    pub espn_abbr: &'static str,
    pub espn_id: u32,
    /// The Odds API name; `odds_aliases` holds other names it has used for the same team.
    pub odds_name: &'static str,
    pub odds_aliases: &'static [&'static str],
}

const fn team(
    tricode: &'static str,
    nba_id: u64,
    espn_abbr: &'static str,
    espn_id: u32,
    odds_name: &'static str,
) -> TeamInfo {
    TeamInfo { tricode, nba_id, espn_abbr, espn_id, odds_name, odds_aliases: &[] }
}

/// Sorted by tricode; `TeamCode` is an index into this table.
pub static TEAMS: [TeamInfo; 30] = [
    team("ATL", 1610612737, "ATL", 1, "Atlanta Hawks"),
    team("BKN", 1610612751, "BKN", 17, "Brooklyn Nets"),
    team("BOS", 1610612738, "BOS", 2, "Boston Celtics"),
    team("CHA", 1610612766, "CHA", 30, "Charlotte Hornets"),
    team("CHI", 1610612741, "CHI", 4, "Chicago Bulls"),
    team("CLE", 1610612739, "CLE", 5, "Cleveland Cavaliers"),
    team("DAL", 1610612742, "DAL", 6, "Dallas Mavericks"),
    team("DEN", 1610612743, "DEN", 7, "Denver Nuggets"),
    team("DET", 1610612765, "DET", 8, "Detroit Pistons"),
    team("GSW", 1610612744, "GS", 9, "Golden State Warriors"),
    team("HOU", 1610612745, "HOU", 10, "Houston Rockets"),
    team("IND", 1610612754, "IND", 11, "Indiana Pacers"),
    TeamInfo {
        tricode: "LAC",
        nba_id: 1610612746,
        espn_abbr: "LAC",
        espn_id: 12,
        odds_name: "Los Angeles Clippers",
        odds_aliases: &["LA Clippers"],
    },
    team("LAL", 1610612747, "LAL", 13, "Los Angeles Lakers"),
    team("MEM", 1610612763, "MEM", 29, "Memphis Grizzlies"),
    team("MIA", 1610612748, "MIA", 14, "Miami Heat"),
    team("MIL", 1610612749, "MIL", 15, "Milwaukee Bucks"),
    team("MIN", 1610612750, "MIN", 16, "Minnesota Timberwolves"),
    team("NOP", 1610612740, "NO", 3, "New Orleans Pelicans"),
    team("NYK", 1610612752, "NY", 18, "New York Knicks"),
    team("OKC", 1610612760, "OKC", 25, "Oklahoma City Thunder"),
    team("ORL", 1610612753, "ORL", 19, "Orlando Magic"),
    team("PHI", 1610612755, "PHI", 20, "Philadelphia 76ers"),
    team("PHX", 1610612756, "PHX", 21, "Phoenix Suns"),
    team("POR", 1610612757, "POR", 22, "Portland Trail Blazers"),
    team("SAC", 1610612758, "SAC", 23, "Sacramento Kings"),
    team("SAS", 1610612759, "SA", 24, "San Antonio Spurs"),
    team("TOR", 1610612761, "TOR", 28, "Toronto Raptors"),
    team("UTA", 1610612762, "UTAH", 26, "Utah Jazz"),
    team("WAS", 1610612764, "WSH", 27, "Washington Wizards"),
];

/// A canonical team. It can only be obtained through a lookup, so holding one proves the team
/// exists; it serializes as the NBA tricode.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TeamCode(u8);

/// Which spelling a lookup was asked to understand (named in errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamForm {
    Tricode,
    NbaId,
    EspnAbbr,
    EspnId,
    OddsName,
    Any,
}

impl fmt::Display for TeamForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TeamForm::Tricode => "NBA tricode",
            TeamForm::NbaId => "NBA team id",
            TeamForm::EspnAbbr => "ESPN abbreviation",
            TeamForm::EspnId => "ESPN team id",
            TeamForm::OddsName => "Odds API team name",
            TeamForm::Any => "team",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {form} `{input}`")]
pub struct UnknownTeam {
    pub form: TeamForm,
    pub input: String,
}

impl UnknownTeam {
    fn new(form: TeamForm, input: impl fmt::Display) -> Self {
        Self { form, input: input.to_string().chars().take(60).collect() }
    }
}

impl TeamCode {
    pub fn all() -> impl Iterator<Item = TeamCode> {
        (0..TEAMS.len() as u8).map(TeamCode)
    }

    pub fn info(self) -> &'static TeamInfo {
        &TEAMS[usize::from(self.0)]
    }

    pub fn tricode(self) -> &'static str {
        self.info().tricode
    }

    fn find(form: TeamForm, input: &str, pred: impl Fn(&TeamInfo) -> bool) -> Result<Self, UnknownTeam> {
        TEAMS.iter().position(pred).map(|i| TeamCode(i as u8)).ok_or_else(|| UnknownTeam::new(form, input))
    }

    /// `NYK`, `nyk`: the NBA's own three letters.
    pub fn from_tricode(s: &str) -> Result<Self, UnknownTeam> {
        let t = s.trim();
        Self::find(TeamForm::Tricode, s, |i| i.tricode.eq_ignore_ascii_case(t))
    }

    pub fn from_nba_id(id: u64) -> Result<Self, UnknownTeam> {
        Self::find(TeamForm::NbaId, &id.to_string(), |i| i.nba_id == id)
    }

    /// `NY`, `GS`, `UTAH`, `WSH`...
    pub fn from_espn_abbr(s: &str) -> Result<Self, UnknownTeam> {
        let t = s.trim();
        Self::find(TeamForm::EspnAbbr, s, |i| i.espn_abbr.eq_ignore_ascii_case(t))
    }

    pub fn from_espn_id(id: u32) -> Result<Self, UnknownTeam> {
        Self::find(TeamForm::EspnId, &id.to_string(), |i| i.espn_id == id)
    }

    /// `Los Angeles Clippers`, `LA Clippers`, ... (case and spacing insensitive).
    pub fn from_odds_name(s: &str) -> Result<Self, UnknownTeam> {
        let t = squash(s);
        Self::find(TeamForm::OddsName, s, |i| squash(i.odds_name) == t || i.odds_aliases.iter().any(|a| squash(a) == t))
    }

    /// Any known spelling: tricode, ESPN abbreviation, full name, or a numeric id.
    pub fn resolve(s: &str) -> Result<Self, UnknownTeam> {
        let t = s.trim();
        if let Ok(n) = t.parse::<u64>() {
            let espn = u32::try_from(n).ok().and_then(|n| Self::from_espn_id(n).ok());
            return Self::from_nba_id(n).ok().or(espn).ok_or_else(|| UnknownTeam::new(TeamForm::Any, s));
        }
        Self::from_tricode(t)
            .or_else(|_| Self::from_espn_abbr(t))
            .or_else(|_| Self::from_odds_name(t))
            .map_err(|_| UnknownTeam::new(TeamForm::Any, s))
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase()
}

impl fmt::Display for TeamCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tricode())
    }
}

impl fmt::Debug for TeamCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TeamCode({})", self.tricode())
    }
}

impl FromStr for TeamCode {
    type Err = UnknownTeam;
    /// Strict: only the canonical tricode (wire and table form).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_tricode(s)
    }
}

impl Serialize for TeamCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.tricode())
    }
}

impl<'de> Deserialize<'de> for TeamCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() && crate::tables::codec::in_schema_tracing() {
            return Ok(TeamCode(0));
        }
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn table_is_consistent() {
        assert_eq!(TeamCode::all().count(), 30);
        let uniq = |f: fn(&TeamInfo) -> String| TEAMS.iter().map(f).collect::<HashSet<_>>().len();
        assert_eq!(uniq(|t| t.tricode.to_string()), 30);
        assert_eq!(uniq(|t| t.nba_id.to_string()), 30);
        assert_eq!(uniq(|t| t.espn_abbr.to_string()), 30);
        assert_eq!(uniq(|t| t.espn_id.to_string()), 30);
        assert_eq!(uniq(|t| t.odds_name.to_string()), 30);
        let mut ids: Vec<u32> = TEAMS.iter().map(|t| t.espn_id).collect();
        ids.sort_unstable();
        assert_eq!(ids, (1..=30).collect::<Vec<_>>());
        for c in TeamCode::all() {
            let i = c.info();
            assert_eq!(TeamCode::from_tricode(i.tricode), Ok(c));
            assert_eq!(TeamCode::from_nba_id(i.nba_id), Ok(c));
            assert_eq!(TeamCode::from_espn_abbr(i.espn_abbr), Ok(c));
            assert_eq!(TeamCode::from_espn_id(i.espn_id), Ok(c));
            assert_eq!(TeamCode::from_odds_name(i.odds_name), Ok(c));
            assert_eq!(TeamCode::resolve(i.odds_name), Ok(c));
        }
    }

    #[test]
    fn source_spellings_map_to_tricodes() {
        let t = |s: &str| TeamCode::resolve(s).map(|c| c.to_string());
        for (espn, nba) in [
            ("GS", "GSW"),
            ("NY", "NYK"),
            ("NO", "NOP"),
            ("SA", "SAS"),
            ("UTAH", "UTA"),
            ("WSH", "WAS"),
            ("utah", "UTA"),
        ] {
            assert_eq!(t(espn).as_deref(), Ok(nba), "{espn}");
        }
        assert_eq!(t("LA Clippers").as_deref(), Ok("LAC"));
        assert_eq!(t("Los Angeles Clippers").as_deref(), Ok("LAC"));
        assert_eq!(t("  los angeles   lakers ").as_deref(), Ok("LAL"));
        assert_eq!(TeamCode::from_espn_id(3).map(|c| c.to_string()).as_deref(), Ok("NOP"));
        assert_eq!(TeamCode::from_espn_id(30).map(|c| c.to_string()).as_deref(), Ok("CHA"));
        assert_eq!(t("1610612752").as_deref(), Ok("NYK"));
        assert_eq!(t("2").as_deref(), Ok("BOS"), "small numbers are ESPN ids");
    }

    #[test]
    fn unknown_names_are_named_in_the_error() {
        let e = TeamCode::from_odds_name("Seattle SuperSonics").unwrap_err();
        assert_eq!(e.to_string(), "unknown Odds API team name `Seattle SuperSonics`");
        let e = TeamCode::from_tricode("NZB").unwrap_err();
        assert_eq!(e.to_string(), "unknown NBA tricode `NZB`");
        assert!(TeamCode::from_espn_id(31).is_err());
        assert!("GS".parse::<TeamCode>().is_err(), "FromStr is strict");
    }

    #[test]
    fn serde_is_the_tricode() {
        let c = TeamCode::from_espn_abbr("WSH").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"WAS\"");
        assert_eq!(serde_json::from_str::<TeamCode>("\"WAS\"").unwrap(), c);
        assert!(serde_json::from_str::<TeamCode>("\"WSH\"").is_err());
    }
}
