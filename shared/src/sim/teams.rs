//! The 30 franchises with every identifier the sources use for them.
//!
//! One static table, so that the simulated APIs spell a team exactly as the real ones do: NBA
//! tricode and numeric id (stats/cdn), ESPN numeric id and code (site API), and the Odds API's
//! full name (which says "Los Angeles Clippers" where stats.nba.com says "LA Clippers").

/// One franchise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Team {
    pub tricode: &'static str,
    pub nba_id: u32,
    pub city: &'static str,
    pub nickname: &'static str,
    pub slug: &'static str,
    pub odds_name: &'static str,
    pub espn_id: u32,
    pub espn_abbr: &'static str,
    pub east: bool,
    /// IANA zone of the arena: west-coast homes tip later in Eastern time.
    pub tz: &'static str,
}

impl Team {
    /// "Golden State Warriors", "LA Clippers": the stats.nba.com `TEAM_NAME`.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.city, self.nickname)
    }

    /// ESPN says "Los Angeles" for the Clippers, like the Odds API.
    pub fn espn_display(&self) -> &'static str {
        self.odds_name
    }

    /// Hours the arena's evening is behind Eastern, used to place tip-offs.
    pub fn hours_behind_eastern(&self) -> u32 {
        match self.tz {
            "America/Chicago" => 1,
            "America/Denver" | "America/Phoenix" => 2,
            "America/Los_Angeles" => 3,
            _ => 0,
        }
    }
}

macro_rules! team {
    ($tri:literal, $id:literal, $city:literal, $nick:literal, $slug:literal, $odds:literal, $espn:literal, $eabbr:literal, $east:literal, $tz:literal) => {
        Team {
            tricode: $tri,
            nba_id: $id,
            city: $city,
            nickname: $nick,
            slug: $slug,
            odds_name: $odds,
            espn_id: $espn,
            espn_abbr: $eabbr,
            east: $east,
            tz: $tz,
        }
    };
}

/// Ordered by NBA team id, as the league orders them.
#[rustfmt::skip]
pub const TEAMS: [Team; 30] = [
    team!("ATL", 1610612737, "Atlanta", "Hawks", "hawks", "Atlanta Hawks", 1, "ATL", true, "America/New_York"),
    team!("BOS", 1610612738, "Boston", "Celtics", "celtics", "Boston Celtics", 2, "BOS", true, "America/New_York"),
    team!("CLE", 1610612739, "Cleveland", "Cavaliers", "cavaliers", "Cleveland Cavaliers", 5, "CLE", true, "America/New_York"),
    team!("NOP", 1610612740, "New Orleans", "Pelicans", "pelicans", "New Orleans Pelicans", 3, "NO", false, "America/Chicago"),
    team!("CHI", 1610612741, "Chicago", "Bulls", "bulls", "Chicago Bulls", 4, "CHI", true, "America/Chicago"),
    team!("DAL", 1610612742, "Dallas", "Mavericks", "mavericks", "Dallas Mavericks", 6, "DAL", false, "America/Chicago"),
    team!("DEN", 1610612743, "Denver", "Nuggets", "nuggets", "Denver Nuggets", 7, "DEN", false, "America/Denver"),
    team!("GSW", 1610612744, "Golden State", "Warriors", "warriors", "Golden State Warriors", 9, "GS", false, "America/Los_Angeles"),
    team!("HOU", 1610612745, "Houston", "Rockets", "rockets", "Houston Rockets", 10, "HOU", false, "America/Chicago"),
    team!("LAC", 1610612746, "LA", "Clippers", "clippers", "Los Angeles Clippers", 12, "LAC", false, "America/Los_Angeles"),
    team!("LAL", 1610612747, "Los Angeles", "Lakers", "lakers", "Los Angeles Lakers", 13, "LAL", false, "America/Los_Angeles"),
    team!("MIA", 1610612748, "Miami", "Heat", "heat", "Miami Heat", 14, "MIA", true, "America/New_York"),
    team!("MIL", 1610612749, "Milwaukee", "Bucks", "bucks", "Milwaukee Bucks", 15, "MIL", true, "America/Chicago"),
    team!("MIN", 1610612750, "Minnesota", "Timberwolves", "timberwolves", "Minnesota Timberwolves", 16, "MIN", false, "America/Chicago"),
    team!("BKN", 1610612751, "Brooklyn", "Nets", "nets", "Brooklyn Nets", 17, "BKN", true, "America/New_York"),
    team!("NYK", 1610612752, "New York", "Knicks", "knicks", "New York Knicks", 18, "NY", true, "America/New_York"),
    team!("ORL", 1610612753, "Orlando", "Magic", "magic", "Orlando Magic", 19, "ORL", true, "America/New_York"),
    team!("IND", 1610612754, "Indiana", "Pacers", "pacers", "Indiana Pacers", 11, "IND", true, "America/Indiana/Indianapolis"),
    team!("PHI", 1610612755, "Philadelphia", "76ers", "sixers", "Philadelphia 76ers", 20, "PHI", true, "America/New_York"),
    team!("PHX", 1610612756, "Phoenix", "Suns", "suns", "Phoenix Suns", 21, "PHX", false, "America/Phoenix"),
    team!("POR", 1610612757, "Portland", "Trail Blazers", "blazers", "Portland Trail Blazers", 22, "POR", false, "America/Los_Angeles"),
    team!("SAC", 1610612758, "Sacramento", "Kings", "kings", "Sacramento Kings", 23, "SAC", false, "America/Los_Angeles"),
    team!("SAS", 1610612759, "San Antonio", "Spurs", "spurs", "San Antonio Spurs", 24, "SA", false, "America/Chicago"),
    team!("OKC", 1610612760, "Oklahoma City", "Thunder", "thunder", "Oklahoma City Thunder", 25, "OKC", false, "America/Chicago"),
    team!("TOR", 1610612761, "Toronto", "Raptors", "raptors", "Toronto Raptors", 28, "TOR", true, "America/Toronto"),
    team!("UTA", 1610612762, "Utah", "Jazz", "jazz", "Utah Jazz", 26, "UTAH", false, "America/Denver"),
    team!("MEM", 1610612763, "Memphis", "Grizzlies", "grizzlies", "Memphis Grizzlies", 29, "MEM", false, "America/Chicago"),
    team!("WAS", 1610612764, "Washington", "Wizards", "wizards", "Washington Wizards", 27, "WSH", true, "America/New_York"),
    team!("DET", 1610612765, "Detroit", "Pistons", "pistons", "Detroit Pistons", 8, "DET", true, "America/New_York"),
    team!("CHA", 1610612766, "Charlotte", "Hornets", "hornets", "Charlotte Hornets", 30, "CHA", true, "America/New_York"),
];

/// Index into [`TEAMS`] from an ESPN id, ESPN code or NBA tricode (case-insensitive), as the
/// ESPN site API accepts them.
pub fn find_espn(key: &str) -> Option<usize> {
    if let Ok(id) = key.parse::<u32>() {
        return TEAMS.iter().position(|t| t.espn_id == id);
    }
    TEAMS.iter().position(|t| t.espn_abbr.eq_ignore_ascii_case(key) || t.tricode.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_conferences_balanced() {
        let mut espn: Vec<u32> = TEAMS.iter().map(|t| t.espn_id).collect();
        espn.sort_unstable();
        assert_eq!(espn, (1..=30).collect::<Vec<_>>());
        assert_eq!(TEAMS.iter().filter(|t| t.east).count(), 15);
        assert_eq!(find_espn("gs"), find_espn("GSW"));
        assert_eq!(find_espn("2").map(|i| TEAMS[i].tricode), Some("BOS"));
        assert_eq!(find_espn("99"), None);
    }
}
