//! cdn.nba.com: the current season's schedule file and per-game play-by-play.

use crate::config::SourceUrls;
use crate::identity::NbaGameId;
use crate::sources::nba_stats::with_nba_headers;
use crate::sources::request::{Endpoint, Host, SourceRequest};

/// The current season's schedule (the CDN serves only that one).
pub fn schedule_current(urls: &SourceUrls) -> SourceRequest {
    with_nba_headers(SourceRequest::new(
        Host::NbaCdn,
        Endpoint::Schedule,
        &urls.nba_cdn,
        "/static/json/staticData/scheduleLeagueV2_1.json",
    ))
}

/// Play-by-play of one game. Optional: a 404 is normal for old games.
pub fn playbyplay(urls: &SourceUrls, game: &NbaGameId) -> SourceRequest {
    with_nba_headers(SourceRequest::new(
        Host::NbaCdn,
        Endpoint::PlayByPlay,
        &urls.nba_cdn,
        &format!("/static/json/liveData/playbyplay/playbyplay_{game}.json"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdn_paths() {
        let urls = SourceUrls::all_at("http://h");
        assert_eq!(schedule_current(&urls).display_url(), "http://h/static/json/staticData/scheduleLeagueV2_1.json");
        let id = NbaGameId::parse("0022400561").unwrap();
        let r = playbyplay(&urls, &id);
        assert_eq!(r.display_url(), "http://h/static/json/liveData/playbyplay/playbyplay_0022400561.json");
        assert_eq!(r.endpoint, Endpoint::PlayByPlay);
        assert_eq!(r.host, Host::NbaCdn);
    }
}
