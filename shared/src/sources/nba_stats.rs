//! stats.nba.com: the season schedule and the league game log. The site refuses clients that do
//! not look like its own web pages, hence the browser-like headers.

use crate::config::SourceUrls;
use crate::game_date::GameDate;
use crate::identity::Season;
use crate::sources::request::{Endpoint, Host, SourceRequest};

/// Headers stats.nba.com (and, harmlessly, cdn.nba.com) expects from a browser on nba.com.
pub(crate) const NBA_HEADERS: &[(&str, &str)] = &[
    (
        "User-Agent",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    ),
    ("Referer", "https://www.nba.com/"),
    ("Origin", "https://www.nba.com"),
    ("Accept", "application/json, text/plain, */*"),
    ("Accept-Language", "en-US,en;q=0.9"),
    ("x-nba-stats-origin", "stats"),
    ("x-nba-stats-token", "true"),
];

pub(crate) fn with_nba_headers(mut r: SourceRequest) -> SourceRequest {
    for (k, v) in NBA_HEADERS {
        r = r.header(k, v);
    }
    r
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeasonType {
    RegularSeason,
    Playoffs,
    PlayIn,
}

impl SeasonType {
    pub fn as_param(self) -> &'static str {
        match self {
            SeasonType::RegularSeason => "Regular Season",
            SeasonType::Playoffs => "Playoffs",
            SeasonType::PlayIn => "PlayIn",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayerOrTeam {
    Player,
    Team,
}

impl PlayerOrTeam {
    pub fn as_param(self) -> &'static str {
        match self {
            PlayerOrTeam::Player => "P",
            PlayerOrTeam::Team => "T",
        }
    }
}

/// The whole season's schedule (any season, past or current).
pub fn schedule(urls: &SourceUrls, season: Season) -> SourceRequest {
    with_nba_headers(
        SourceRequest::new(Host::NbaStats, Endpoint::Schedule, &urls.nba_stats, "/stats/scheduleleaguev2int")
            .param("LeagueID", "00")
            .param("Season", season.to_string()),
    )
}

/// One day's box scores, players (`P`) or teams (`T`).
pub fn gamelog(urls: &SourceUrls, date: GameDate, season_type: SeasonType, who: PlayerOrTeam) -> SourceRequest {
    let d = date.to_string();
    with_nba_headers(
        SourceRequest::new(Host::NbaStats, Endpoint::Gamelog, &urls.nba_stats, "/stats/leaguegamelog")
            .param("Counter", "1000")
            .param("DateFrom", d.clone())
            .param("DateTo", d)
            .param("Direction", "DESC")
            .param("LeagueID", "00")
            .param("PlayerOrTeam", who.as_param())
            .param("Season", Season::containing(date).to_string())
            .param("SeasonType", season_type.as_param())
            .param("Sorter", "DATE"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_have_the_documented_shape() {
        let urls = SourceUrls::all_at("http://127.0.0.1:9/");
        let r = schedule(&urls, "2024-25".parse().unwrap());
        assert_eq!(r.display_url(), "http://127.0.0.1:9/stats/scheduleleaguev2int?LeagueID=00&Season=2024-25");
        let r = gamelog(&urls, "2025-03-15".parse().unwrap(), SeasonType::RegularSeason, PlayerOrTeam::Player);
        assert_eq!(
            r.display_url(),
            "http://127.0.0.1:9/stats/leaguegamelog?Counter=1000&DateFrom=2025-03-15&DateTo=2025-03-15&Direction=DESC&LeagueID=00&PlayerOrTeam=P&Season=2024-25&SeasonType=Regular+Season&Sorter=DATE"
        );
        let h = |n: &str| r.headers.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        assert_eq!(h("Referer"), Some("https://www.nba.com/"));
        assert_eq!(h("Origin"), Some("https://www.nba.com"));
        assert!(h("User-Agent").is_some_and(|u| u.starts_with("Mozilla/5.0")));
        assert!(h("Accept").is_some_and(|a| a.contains("application/json")));
        assert_eq!(r.headers.iter().filter(|(k, _)| *k == "Accept").count(), 1);
        assert!(!r.needs_api_key());
    }
}
