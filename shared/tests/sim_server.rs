//! The sim server over real HTTP: every endpoint, the error cases, the clock, and
//! byte-identical answers for the same seed.
#![cfg(feature = "sim")]

use std::sync::Arc;

use props_core::ManualClock;
use props_core::sim::SimLeague;
use props_core::sim::server::{SimServer, serve};
use serde_json::Value;

const NOW: &str = "2025-01-15T17:00:00Z";

async fn start(seed: u64) -> (SimServer, Arc<SimLeague>) {
    let league = Arc::new(SimLeague::new(seed, "2024-25").unwrap());
    let clock = ManualClock::new(NOW.parse().unwrap());
    let server = serve("127.0.0.1:0".parse().unwrap(), league.clone(), clock).await.unwrap();
    (server, league)
}

async fn fetch(c: &reqwest::Client, url: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = c.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.unwrap().to_vec())
}

fn json(b: &[u8]) -> Value {
    serde_json::from_slice(b).unwrap()
}

/// A game played on the clock's previous day, and one later in the season.
fn games(l: &SimLeague) -> (usize, usize) {
    let yesterday = "2025-01-14".parse().unwrap();
    let played = l.schedule().iter().position(|g| g.date == yesterday).unwrap();
    let later = l.schedule().iter().position(|g| g.date > "2025-01-20".parse().unwrap()).unwrap();
    (played, later)
}

fn paths(l: &SimLeague) -> Vec<String> {
    let (played, later) = games(l);
    let today = l.schedule().iter().position(|g| g.date == "2025-01-15".parse().unwrap()).unwrap();
    let ev = l.odds(today).unwrap().event_id.clone();
    vec![
        "/stats/leaguegamelog?Counter=1000&DateFrom=2025-01-14&DateTo=2025-01-14&Direction=DESC&LeagueID=00&PlayerOrTeam=P&Season=2024-25&SeasonType=Regular+Season&Sorter=DATE".into(),
        "/stats/leaguegamelog?DateFrom=01/14/2025&DateTo=01/14/2025&PlayerOrTeam=T&Season=2024-25&SeasonType=Regular%20Season".into(),
        "/stats/scheduleleaguev2int?LeagueID=00&Season=2024-25".into(),
        "/static/json/staticData/scheduleLeagueV2_1.json".into(),
        format!("/static/json/liveData/playbyplay/playbyplay_{}.json", l.schedule()[played].nba_game_id),
        "/apis/site/v2/sports/basketball/nba/teams/2?enable=roster".into(),
        "/apis/site/v2/sports/basketball/nba/teams/gs?enable=roster".into(),
        "/v4/sports/basketball_nba/events?apiKey=k&commenceTimeFrom=2025-01-15T00:00:00Z&commenceTimeTo=2025-01-17T00:00:00Z".into(),
        format!("/v4/sports/basketball_nba/events/{ev}/odds?apiKey=k&regions=us&markets=player_points,spreads,totals&oddsFormat=american"),
        "/v4/historical/sports/basketball_nba/events?apiKey=k&date=2025-01-10T15:00:00Z".into(),
        format!("/v4/historical/sports/basketball_nba/events/{}/odds?apiKey=k&regions=us&markets=player_points&date=2025-01-21T23:00:00Z", l.odds(later).unwrap().event_id),
    ]
}

#[tokio::test]
async fn every_endpoint_answers_over_http() {
    let (server, league) = start(42).await;
    let c = reqwest::Client::new();
    let base = server.url();
    for p in paths(&league) {
        let (status, headers, body) = fetch(&c, &format!("{base}{p}")).await;
        assert_eq!(status, 200, "{p}: {}", String::from_utf8_lossy(&body));
        assert!(headers["content-type"].to_str().unwrap().starts_with("application/json"));
        let v = json(&body);
        if p.starts_with("/v4/") {
            assert!(headers.contains_key("x-requests-remaining") && headers.contains_key("x-requests-used"), "{p}");
        }
        assert!(!v.is_null(), "{p}");
    }
    // As of the clock: yesterday's games are final and logged; today's are scheduled.
    let (_, _, b) =
        fetch(&c, &format!("{base}/stats/leaguegamelog?PlayerOrTeam=T&DateFrom=2025-01-15&DateTo=2025-01-15")).await;
    assert!(
        json(&b)["resultSets"][0]["rowSet"].as_array().unwrap().is_empty(),
        "today's games are not final at 17:00Z"
    );
    let (_, _, b) =
        fetch(&c, &format!("{base}/stats/leaguegamelog?PlayerOrTeam=T&DateFrom=2025-01-14&DateTo=2025-01-14")).await;
    let rows = json(&b)["resultSets"][0]["rowSet"].as_array().unwrap().len();
    let played = league.schedule().iter().filter(|g| g.date == "2025-01-14".parse().unwrap()).count();
    assert_eq!(rows, 2 * played);
    let (_, _, b) = fetch(&c, &format!("{base}/static/json/staticData/scheduleLeagueV2_1.json")).await;
    let sched = json(&b);
    let statuses: Vec<i64> = sched["leagueSchedule"]["gameDates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["games"].as_array().unwrap().iter().map(|g| g["gameStatus"].as_i64().unwrap()))
        .collect();
    assert_eq!(statuses.len(), 1230);
    assert!(statuses.contains(&1) && statuses.contains(&3));
    server.shutdown().await;
}

#[tokio::test]
async fn errors_are_json_with_the_right_status() {
    let (server, league) = start(42).await;
    let c = reqwest::Client::new();
    let base = server.url();
    let (_, later) = games(&league);
    let cases = [
        ("/v4/sports/basketball_nba/events".to_string(), 401),
        ("/v4/sports/basketball_nba/events/deadbeef/odds?apiKey=k&regions=us&markets=player_points".to_string(), 404),
        (
            "/v4/historical/sports/basketball_nba/events/deadbeef/odds?apiKey=k&regions=us&date=2025-01-10T12:00:00Z"
                .to_string(),
            404,
        ),
        ("/v4/historical/sports/basketball_nba/events?apiKey=k".to_string(), 422),
        ("/v4/sports/soccer_epl/events?apiKey=k".to_string(), 404),
        (format!("/static/json/liveData/playbyplay/playbyplay_{}.json", league.schedule()[later].nba_game_id), 404),
        ("/static/json/liveData/playbyplay/playbyplay_0029999999.json".to_string(), 404),
        ("/apis/site/v2/sports/basketball/nba/teams/99?enable=roster".to_string(), 404),
        ("/stats/leaguegamelog?PlayerOrTeam=X".to_string(), 400),
        ("/nowhere".to_string(), 404),
    ];
    for (p, want) in cases {
        let (status, _, body) = fetch(&c, &format!("{base}{p}")).await;
        assert_eq!(status, want, "{p}");
        assert!(json(&body)["message"].is_string(), "{p}");
    }
    let r = c.post(format!("{base}/stats/leaguegamelog")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
    server.shutdown().await;
}

#[tokio::test]
async fn the_clock_moves_what_is_visible() {
    let (server, league) = start(42).await;
    let c = reqwest::Client::new();
    let base = server.url();
    let (_, _, b) = fetch(&c, &format!("{base}/_sim/clock")).await;
    assert_eq!(json(&b)["now"], NOW);
    let (_, later) = games(&league);
    let g = &league.schedule()[later];
    let pbp = format!("{base}/static/json/liveData/playbyplay/playbyplay_{}.json", g.nba_game_id);
    assert_eq!(fetch(&c, &pbp).await.0, 404);
    let after = (g.tip_off + chrono::Duration::hours(3)).to_rfc3339();
    let r = c.post(format!("{base}/_sim/clock")).body(format!("{{\"now\":\"{after}\"}}")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(fetch(&c, &pbp).await.0, 200);
    let r = c.post(format!("{base}/_sim/clock")).body("{\"now\":\"not a time\"}").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // Lines: before the morning snapshot there are no bookmakers; after it, three.
    let ev = league.odds(later).unwrap().event_id.clone();
    let url = format!("{base}/v4/sports/basketball_nba/events/{ev}/odds?apiKey=k&regions=us&markets=player_points");
    c.post(format!("{base}/_sim/clock")).body(format!("{{\"now\":\"{}\"}}", g.date.prev())).send().await.unwrap();
    assert_eq!(json(&fetch(&c, &url).await.2)["bookmakers"].as_array().unwrap().len(), 0);
    c.post(format!("{base}/_sim/clock")).body(format!("{{\"now\":\"{}\"}}", g.date)).send().await.unwrap();
    assert_eq!(json(&fetch(&c, &url).await.2)["bookmakers"].as_array().unwrap().len(), 3);
    server.shutdown().await;
}

#[tokio::test]
async fn same_seed_gives_byte_identical_responses() {
    let (a, league) = start(42).await;
    let (b, _) = start(42).await;
    let (c_other, _) = start(7).await;
    let c = reqwest::Client::new();
    let mut differs = 0;
    for p in paths(&league) {
        let (_, _, x) = fetch(&c, &format!("{}{p}", a.url())).await;
        let (_, _, y) = fetch(&c, &format!("{}{p}", b.url())).await;
        assert!(x == y, "{p} differs between two servers with the same seed");
        let (_, _, z) = fetch(&c, &format!("{}{p}", c_other.url())).await;
        differs += usize::from(x != z);
    }
    assert!(differs >= 8, "another seed gives another league ({differs} paths differ)");
    a.shutdown().await;
    b.shutdown().await;
    c_other.shutdown().await;
}
