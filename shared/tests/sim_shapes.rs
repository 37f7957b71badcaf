//! The sim server's responses against the real captures: every key path of the real first
//! record must exist in ours, and the stats column lists must be identical.
#![cfg(feature = "sim")]

mod sim_common;

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use hyper::Method;
use props_core::ManualClock;
use props_core::sim::SimLeague;
use props_core::sim::server::{Reply, SimState, parse_query, route};
use serde_json::Value;
use sim_common::{assert_covers, assert_covers_any, read_json, real_dir};

fn league() -> Arc<SimLeague> {
    static L: OnceLock<Arc<SimLeague>> = OnceLock::new();
    L.get_or_init(|| Arc::new(SimLeague::new(42, "2024-25").unwrap())).clone()
}

fn get(now: &str, path_and_query: &str) -> (u16, Value) {
    let t: DateTime<Utc> = now.parse().unwrap();
    let state = SimState::new(league(), ManualClock::new(t));
    let (path, q) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let Reply { status, body, .. } = route(&state, &Method::GET, path, &parse_query(q), b"");
    (status, serde_json::from_slice(&body).unwrap())
}

const MID_SEASON: &str = "2025-01-15T17:00:00Z";

#[test]
fn leaguegamelog_matches_the_real_capture() {
    let Some(dir) = real_dir() else { return };
    let real = read_json(&dir.join("najicham__nba-stats-scraper/nbac_player_boxscore/raw_2ad17718.json"));
    let (status, ours) = get(
        MID_SEASON,
        "/stats/leaguegamelog?Counter=1000&DateFrom=2025-01-13&DateTo=2025-01-13&Direction=DESC&LeagueID=00&PlayerOrTeam=P&Season=2024-25&SeasonType=Regular+Season&Sorter=DATE",
    );
    assert_eq!(status, 200);
    assert_covers("leaguegamelog P", &real, &ours);
    assert_eq!(real["resultSets"][0]["headers"], ours["resultSets"][0]["headers"]);
    let real_row = &real["resultSets"][0]["rowSet"][0];
    let rows = ours["resultSets"][0]["rowSet"].as_array().unwrap();
    assert!(rows.len() > 100, "{} rows", rows.len());
    for (i, cell) in rows[0].as_array().unwrap().iter().enumerate() {
        let (r, o) = (&real_row[i], cell);
        assert!(
            o.is_null() || r.is_null() || (r.is_string() == o.is_string() && r.is_number() == o.is_number()),
            "column {i}: real {r} vs ours {o}"
        );
    }
    let (_, team) =
        get(MID_SEASON, "/stats/leaguegamelog?DateFrom=2025-01-13&DateTo=2025-01-13&PlayerOrTeam=T&Season=2024-25");
    let headers = team["resultSets"][0]["headers"].as_array().unwrap();
    assert_eq!(headers.len(), 29);
    assert!(!headers.iter().any(|h| h == "FANTASY_PTS" || h == "PLAYER_ID"));
}

#[test]
fn schedule_matches_the_real_captures() {
    let Some(dir) = real_dir() else { return };
    let (status, ours) = get(MID_SEASON, "/static/json/staticData/scheduleLeagueV2_1.json");
    assert_eq!(status, 200);
    for f in ["nbac_schedule_cdn/raw_68953816.json", "nbac_schedule_api/raw_80cb1fd6.json.gz"] {
        let real = read_json(&dir.join("najicham__nba-stats-scraper").join(f));
        assert_covers(f, &real, &ours);
    }
    let (_, stats) = get(MID_SEASON, "/stats/scheduleleaguev2int?LeagueID=00&Season=2024-25");
    assert_eq!(stats["leagueSchedule"], ours["leagueSchedule"]);
}

#[test]
fn espn_roster_matches_the_real_capture() {
    let Some(dir) = real_dir() else { return };
    let real = read_json(&dir.join("najicham__nba-stats-scraper/espn_roster_api/raw_2.json"));
    // A clock at which Boston lists an injured player, so `injuries[]` is populated.
    let l = league();
    let bos = l.teams().iter().position(|t| t.tricode == "BOS").unwrap();
    let day = l
        .schedule()
        .iter()
        .map(|g| g.date)
        .find(|d| {
            *d > "2024-12-01".parse().unwrap()
                && l.roster(bos).iter().any(|p| l.injuries(*p).iter().any(|s| s.covers(*d)))
        })
        .expect("an injured Celtic");
    let now = format!("{day}T17:00:00Z");
    let (status, ours) = get(&now, "/apis/site/v2/sports/basketball/nba/teams/2?enable=roster");
    assert_eq!(status, 200);
    assert_covers("espn roster", &real, &ours);
    assert_eq!(ours["team"]["abbreviation"], "BOS");
    let athletes = ours["team"]["athletes"].as_array().unwrap();
    assert!((13..=15).contains(&athletes.len()));
    let statuses: Vec<&str> =
        athletes.iter().flat_map(|a| a["injuries"].as_array().unwrap()).filter_map(|i| i["status"].as_str()).collect();
    assert!(statuses.iter().all(|s| *s == "Out" || *s == "Day-To-Day") && !statuses.is_empty());
}

#[test]
fn playbyplay_matches_the_real_capture_per_action_type() {
    let Some(dir) = real_dir() else { return };
    let real = read_json(&dir.join("najicham__nba-stats-scraper/nbac_play_by_play/raw_416e8d5c.json.gz"));
    let l = league();
    let g = &l.schedule()[600];
    let (status, ours) =
        get("2025-04-30T12:00:00Z", &format!("/static/json/liveData/playbyplay/playbyplay_{}.json", g.nba_game_id));
    assert_eq!(status, 200);
    assert_covers("playbyplay", &real, &ours);
    let ours_actions = ours["game"]["actions"].as_array().unwrap();
    let real_actions = real["game"]["actions"].as_array().unwrap();
    let ours_types: std::collections::BTreeSet<&str> =
        ours_actions.iter().filter_map(|a| a["actionType"].as_str()).collect();
    for t in &ours_types {
        let Some(first_real) = real_actions.iter().find(|a| a["actionType"] == *t) else {
            continue;
        };
        let ours_of_type: Vec<Value> = ours_actions.iter().filter(|a| a["actionType"] == *t).cloned().collect();
        assert_covers_any(&format!("action {t}"), first_real, &ours_of_type);
    }
    for t in ["2pt", "3pt", "freethrow", "rebound", "foul", "turnover", "steal", "block", "period", "game"] {
        assert!(ours_types.contains(t), "no {t} actions");
    }
}

#[test]
fn odds_api_matches_the_real_captures() {
    let Some(dir) = real_dir() else { return };
    let l = league();
    let g = &l.schedule()[600];
    let event = l.odds(600).unwrap().event_id.clone();
    let morning = format!("{}T16:00:00Z", g.date);
    let real_events = read_json(&dir.join("najicham__nba-stats-scraper/oddsa_events_his/raw_4c3bc8f6.json"));
    let (status, ours) =
        get(MID_SEASON, &format!("/v4/historical/sports/basketball_nba/events?apiKey=k&date={morning}"));
    assert_eq!(status, 200);
    assert_covers("historical events", &real_events, &ours);
    let real_lines = read_json(&dir.join("najicham__nba-stats-scraper/oddsa_player_props_his/raw_815b3ee3.json"));
    let (status, ours) = get(
        MID_SEASON,
        &format!(
            "/v4/historical/sports/basketball_nba/events/{event}/odds?apiKey=k&regions=us&markets=spreads,totals&date={morning}"
        ),
    );
    assert_eq!(status, 200);
    assert_covers("historical game lines", &real_lines, &ours);
    assert!(ours["data"]["bookmakers"][0]["markets"][0]["outcomes"][0]["price"].is_f64(), "decimal by default");
    let real_props = read_json(&dir.join("kyleair__bet-helper/mockOrlandoVsCleveland.json"));
    let (status, ours) = get(
        &morning,
        &format!(
            "/v4/sports/basketball_nba/events/{event}/odds?apiKey=k&regions=us&markets=player_points&oddsFormat=american"
        ),
    );
    assert_eq!(status, 200);
    assert_covers("event odds player_points", &real_props, &ours);
    let price = &ours["bookmakers"][0]["markets"][0]["outcomes"][0]["price"];
    assert!(price.is_i64(), "american prices are integers: {price}");
}

#[test]
fn playbyplay_agrees_with_the_box_score() {
    use std::collections::HashMap;
    let l = league();
    for index in [0usize, 321, 1229] {
        let g = &l.schedule()[index];
        let (status, doc) =
            get("2025-06-01T12:00:00Z", &format!("/static/json/liveData/playbyplay/playbyplay_{}.json", g.nba_game_id));
        assert_eq!(status, 200);
        // person -> (fgm, fga, 3pm, 3pa, ftm, fta, pts)
        let mut agg: HashMap<u64, [u32; 7]> = HashMap::new();
        let actions = doc["game"]["actions"].as_array().unwrap();
        for a in actions {
            let Some(pid) = a["personId"].as_u64() else {
                continue;
            };
            let made = a["shotResult"] == "Made";
            let e = agg.entry(pid).or_default();
            match a["actionType"].as_str().unwrap() {
                "2pt" | "3pt" => {
                    let three = a["actionType"] == "3pt";
                    e[1] += 1;
                    if three {
                        e[3] += 1;
                    }
                    if made {
                        e[0] += 1;
                        e[6] += if three { 3 } else { 2 };
                        if three {
                            e[2] += 1;
                        }
                    }
                }
                "freethrow" => {
                    e[5] += 1;
                    if made {
                        e[4] += 1;
                        e[6] += 1;
                    }
                }
                _ => {}
            }
        }
        let sim = l.game(index).unwrap();
        for pg in &sim.players {
            let s = &pg.stats;
            let id = u64::from(l.players()[pg.player].id);
            let got = agg.get(&id).copied().unwrap_or_default();
            assert_eq!(got, [s.fgm, s.fga, s.fg3m, s.fg3a, s.ftm, s.fta, s.pts], "player {id} in game {index}");
        }
        let last = actions.last().unwrap();
        assert_eq!(last["actionType"], "game");
        assert_eq!(last["scoreHome"], sim.home_pts.to_string());
        assert_eq!(last["scoreAway"], sim.away_pts.to_string());
    }
}

#[test]
fn cached_schedule_is_the_same_document() {
    let l = league();
    let t: DateTime<Utc> = MID_SEASON.parse().unwrap();
    let state = SimState::new(l.clone(), ManualClock::new(t));
    let path = "/static/json/staticData/scheduleLeagueV2_1.json";
    let first = route(&state, &Method::GET, path, &[], b"").body;
    let again = route(&state, &Method::GET, path, &[], b"").body;
    assert_eq!(first, again);
    let direct = serde_json::to_vec(&props_core::sim::shapes::schedule::schedule(&l, t, l.season())).unwrap();
    assert_eq!(first, direct, "cache and direct rendering give the same bytes");
    state.clock.set(t + chrono::Duration::days(1));
    let later: Value = serde_json::from_slice(&route(&state, &Method::GET, path, &[], b"").body).unwrap();
    let earlier: Value = serde_json::from_slice(&first).unwrap();
    assert_ne!(later["leagueSchedule"], earlier["leagueSchedule"], "new finals invalidate the cache");
}
