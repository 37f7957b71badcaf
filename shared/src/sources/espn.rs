//! ESPN's site API: a team with its roster and injuries (the pipeline's injury source).

use crate::config::SourceUrls;
use crate::identity::TeamCode;
use crate::sources::request::{Endpoint, Host, SourceRequest};

/// The team page with `enable=roster`, addressed by ESPN's numeric team id.
pub fn roster(urls: &SourceUrls, team: TeamCode) -> SourceRequest {
    SourceRequest::new(
        Host::Espn,
        Endpoint::Roster,
        &urls.espn,
        &format!("/apis/site/v2/sports/basketball/nba/teams/{}", team.info().espn_id),
    )
    .param("enable", "roster")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addressed_by_espn_id() {
        let urls = SourceUrls::all_at("http://h");
        let r = roster(&urls, TeamCode::from_tricode("NOP").unwrap());
        assert_eq!(r.display_url(), "http://h/apis/site/v2/sports/basketball/nba/teams/3?enable=roster");
    }
}
