//! Every endpoint end to end against the replay server (real 2023-24/2024-25 data served in the
//! real APIs' shapes, with fault injection): request builder → fetch policy → parser.
//!
//! The test starts `shared/tools/replay/server.py` itself when python3 and the script are
//! there, and skips loudly otherwise.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::json;

use crate::config::SourceUrls;
use crate::identity::{NbaGameId, TeamCode};
use crate::secrets::{Redactor, Secret};
use crate::sources::fetch::{FailureClass, FailureKind, FetchSettings, Fetcher};
use crate::sources::nba_stats::{PlayerOrTeam, SeasonType};
use crate::sources::odds_api::EventId;
use crate::sources::parse::*;
use crate::sources::{espn, nba_cdn, nba_stats, odds_api};

async fn control(base: &str, method: reqwest::Method, path: &str, body: serde_json::Value) {
    let r = reqwest::Client::new().request(method, format!("{base}{path}")).json(&body).send().await.unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_against_the_replay_server() {
    if crate::testkit::real_data_dir().is_none() {
        return;
    }
    let Some(replay) = crate::testkit::replay::start() else { return };
    let base = replay.base.clone();
    let urls = SourceUrls::all_at(&base);
    let f = Fetcher::new(
        FetchSettings::with_base_delay(Duration::from_millis(20)),
        Some(Secret::new("replay-key-123456")),
        Redactor::default(),
    )
    .unwrap();
    control(&base, reqwest::Method::POST, "/_replay/clock", json!({"now": "2024-03-05T17:00:00Z"})).await;
    let body = |o: crate::sources::FetchOutcome| match o.result {
        Ok(b) => b,
        Err(e) => panic!("{} {}: {e}", o.endpoint, o.url),
    };

    // Schedule, both hosts.
    let season = "2023-24".parse().unwrap();
    let sched = parse_schedule(&body(f.fetch(&nba_stats::schedule(&urls, season)).await)).unwrap();
    let rs = sched.records.iter().filter(|g| g.nba_game_id.kind() == crate::identity::GameKind::RegularSeason);
    assert_eq!(rs.count(), 1230);
    let cdn = parse_schedule(&body(f.fetch(&nba_cdn::schedule_current(&urls)).await)).unwrap();
    assert!(!cdn.records.is_empty());

    // Box scores for one day, players and teams.
    let day = "2024-03-04".parse().unwrap();
    let games: Vec<_> = sched.records.iter().filter(|g| g.game_date == day).collect();
    let p = parse_player_gamelog(&body(
        f.fetch(&nba_stats::gamelog(&urls, day, SeasonType::RegularSeason, PlayerOrTeam::Player)).await,
    ))
    .unwrap();
    let t = parse_team_gamelog(&body(
        f.fetch(&nba_stats::gamelog(&urls, day, SeasonType::RegularSeason, PlayerOrTeam::Team)).await,
    ))
    .unwrap();
    assert_eq!(t.records.len(), 2 * games.len());
    assert!(p.records.len() > 10 * games.len());
    assert!(p.unresolved.is_empty() && t.unresolved.is_empty());
    for g in &games {
        assert!(t.records.iter().any(|r| r.game_id == g.game_id), "{} in the box scores", g.game_id);
    }
    // An empty day (All-Star break) is a success with no rows.
    let empty = parse_team_gamelog(&body(
        f.fetch(&nba_stats::gamelog(
            &urls,
            "2024-02-16".parse().unwrap(),
            SeasonType::RegularSeason,
            PlayerOrTeam::Team,
        ))
        .await,
    ))
    .unwrap();
    assert!(empty.records.is_empty());

    // Play-by-play is not in the replay: a 404 after one attempt, "no data" for the caller.
    let pbp = f.fetch(&nba_cdn::playbyplay(&urls, &NbaGameId::parse("0022300001").unwrap())).await;
    assert!(pbp.is_not_found() && pbp.attempts == 1);

    // All 30 rosters, addressed by ESPN id, come back as the team asked for.
    for team in TeamCode::all() {
        let r = parse_espn_roster(&body(f.fetch(&espn::roster(&urls, team)).await)).unwrap();
        assert!(r.unresolved.is_empty());
        assert!(r.records.iter().all(|e| e.team == team), "{team}");
        assert!(!r.records.is_empty(), "{team} has players");
    }

    // Odds: live and historical events, then event odds for one of them.
    let now = Utc.with_ymd_and_hms(2024, 3, 5, 17, 0, 0).unwrap();
    let live = f.fetch(&odds_api::events(&urls, now, now + chrono::Duration::hours(24))).await;
    assert!(live.quota.and_then(|q| q.remaining).is_some());
    let live = parse_odds_events(&body(live)).unwrap();
    assert!(!live.events.records.is_empty() && live.events.unresolved.is_empty());
    // The same game gets the same canonical id from the Odds API and from NBA.com.
    let season_ids: std::collections::HashSet<_> = sched.records.iter().map(|g| g.game_id).collect();
    for ev in &live.events.records {
        assert!(season_ids.contains(&ev.game_id), "{} is in the schedule", ev.game_id);
    }
    let his = parse_odds_events(&body(f.fetch(&odds_api::historical_events(&urls, now)).await)).unwrap();
    assert!(his.snapshot.is_some());
    let ev = &live.events.records[0];
    let id = EventId::parse(&ev.odds_event_id).unwrap();
    let odds = parse_event_odds(&body(f.fetch(&odds_api::event_odds(&urls, &id)).await)).unwrap();
    assert!(!odds.props.is_empty());
    assert_eq!(odds.event.as_ref().map(|e| e.game_id), Some(ev.game_id));
    let hodds = parse_event_odds(&body(f.fetch(&odds_api::historical_event_odds(&urls, &id, now)).await)).unwrap();
    assert!(hodds.snapshot.is_some() && !hodds.props.is_empty());

    // Injected faults are classified as the policy says.
    for (kind, class) in [
        ("reset", FailureClass::Connection),
        ("garbage", FailureClass::InvalidJson),
        ("truncated", FailureClass::InvalidJson),
        ("html", FailureClass::HtmlPage),
        ("503", FailureClass::ServerError),
        ("429", FailureClass::RateLimited),
    ] {
        control(
            &base,
            reqwest::Method::POST,
            "/_replay/faults",
            json!({"rate": 1.0, "kinds": [kind], "seed": 1, "paths": "leaguegamelog", "retry_after": 0}),
        )
        .await;
        let out = f.fetch(&nba_stats::gamelog(&urls, day, SeasonType::RegularSeason, PlayerOrTeam::Team)).await;
        let fail = out.failure().unwrap_or_else(|| panic!("{kind} should fail"));
        assert_eq!(
            (fail.kind, fail.class, out.attempts),
            (FailureKind::Transient, class, 3),
            "{kind}: {}",
            fail.message
        );
    }
    control(&base, reqwest::Method::DELETE, "/_replay/faults", json!({})).await;
    drop(replay);
}
