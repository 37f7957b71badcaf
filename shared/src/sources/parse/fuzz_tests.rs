//! Every parser on garbage, truncation and mutations of valid payloads: always an `Ok` or a
//! `ParseError`, never a panic.

use proptest::prelude::*;
use serde_json::Value;

use super::*;

const SCHEDULE: &str = r#"{"leagueSchedule":{"gameDates":[{"gameDate":"01/15/2025 00:00:00","games":[{"gameId":"0022400561","gameStatus":3,"gameStatusText":"Final/OT","gameDateEst":"2025-01-15T00:00:00Z","gameDateTimeUTC":"2025-01-16T00:00:00Z","isNeutral":false,"postponedStatus":"N","gameLabel":"","homeTeam":{"teamId":1610612755,"teamTricode":"PHI","teamName":"76ers","score":119},"awayTeam":{"teamId":1610612752,"teamTricode":"NYK","teamName":"Knicks","score":125}}]}]}}"#;
const GAMELOG: &str = r#"{"resultSets":[{"headers":["PLAYER_ID","PLAYER_NAME","TEAM_ABBREVIATION","GAME_ID","GAME_DATE","MATCHUP","WL","MIN","FGM","FGA","FG3M","FG3A","FTM","FTA","OREB","DREB","REB","AST","STL","BLK","TOV","PF","PTS","PLUS_MINUS"],"rowSet":[[201939,"Stephen Curry","GSW","0022400974","2025-03-15","GSW vs. NYK","W","35:00",8,20,4,13,8,9,0,7,7,5,0,1,3,2,28,-5]]}]}"#;
const PBP: &str = r#"{"game":{"gameId":"0022400561","actions":[{"actionNumber":9,"clock":"PT11M41.00S","period":1,"teamTricode":"NYK","actionType":"2pt","subType":"Jump Shot","personId":1628973,"x":76.0,"y":24.0,"area":"Mid-Range","shotDistance":21.62,"isFieldGoal":1,"shotResult":"Missed","playerNameI":"J. Brunson","assistPersonId":null}]}}"#;
const ROSTER: &str = r#"{"team":{"id":"2","abbreviation":"BOS","athletes":[{"id":"4065648","displayName":"Jayson Tatum","age":27,"jersey":"0","position":{"abbreviation":"SF"},"status":{"name":"Active"},"injuries":[{"status":"Out","date":"2025-05-13T20:52Z","type":{"name":"INJURY_STATUS_OUT"},"details":{"type":"Achilles","returnDate":"2026-02-01"}}]}]}}"#;
const EVENTS: &str = r#"{"timestamp":"2024-01-25T03:55:40Z","previous_timestamp":"2024-01-25T03:50:38Z","next_timestamp":null,"data":[{"id":"cd0bc7d0","sport_key":"basketball_nba","commence_time":"2024-01-25T03:20:30Z","home_team":"Golden State Warriors","away_team":"Atlanta Hawks"}]}"#;
const EVENT_ODDS: &str = r#"{"timestamp":"2024-01-25T03:55:40Z","previous_timestamp":null,"next_timestamp":null,"data":{"id":"cd0bc7d0","commence_time":"2024-01-25T03:20:30Z","home_team":"Golden State Warriors","away_team":"Atlanta Hawks","bookmakers":[{"key":"draftkings","title":"DraftKings","last_update":"2024-01-25T03:55:22Z","markets":[{"key":"player_points","outcomes":[{"name":"Over","description":"Trae Young","price":-115,"point":27.5},{"name":"Under","description":"Trae Young","price":-105,"point":27.5}]},{"key":"spreads","outcomes":[{"name":"Atlanta Hawks","price":1.91,"point":6.5},{"name":"Golden State Warriors","price":1.83,"point":-6.5}]},{"key":"totals","outcomes":[{"name":"Over","price":1.87,"point":248.5},{"name":"Under","price":1.87,"point":248.5}]}]}]}}"#;

/// Runs every parser; the result is only checked for "no panic" and, on error, a message
/// that names its parser.
fn run_all(raw: &[u8]) {
    fn check<T>(name: &str, r: Result<T, ParseError>) {
        if let Err(e) = r {
            let msg = e.to_string();
            assert!(msg.starts_with(e.parser) && msg.contains("parser"), "{name}: {msg}");
        }
    }
    check("schedule", parse_schedule(raw));
    check("player gamelog", parse_player_gamelog(raw));
    check("team gamelog", parse_team_gamelog(raw));
    check("playbyplay", parse_playbyplay(raw));
    check("roster", parse_espn_roster(raw));
    check("events", parse_odds_events(raw));
    check("event odds", parse_event_odds(raw));
}

const SAMPLES: [&str; 6] = [SCHEDULE, GAMELOG, PBP, ROSTER, EVENTS, EVENT_ODDS];

#[test]
fn samples_are_valid_for_their_parser() {
    assert_eq!(parse_schedule(SCHEDULE.as_bytes()).unwrap().records.len(), 1);
    assert_eq!(parse_player_gamelog(GAMELOG.as_bytes()).unwrap().records.len(), 1);
    assert_eq!(parse_playbyplay(PBP.as_bytes()).unwrap().records.len(), 1);
    assert_eq!(parse_espn_roster(ROSTER.as_bytes()).unwrap().records.len(), 1);
    assert_eq!(parse_odds_events(EVENTS.as_bytes()).unwrap().events.records.len(), 1);
    let o = parse_event_odds(EVENT_ODDS.as_bytes()).unwrap();
    assert_eq!((o.props.len(), o.lines.len()), (1, 2));
}

#[test]
fn garbage_and_truncation_are_parse_errors() {
    for raw in [&b""[..], b"null", b"<html>captcha</html>", b"\x1f\x8b\x08garbage", b"\xff\xfe{}", b"{}", b"[]", b"42"]
    {
        run_all(raw);
    }
    for s in SAMPLES {
        for cut in (0..s.len()).step_by(7) {
            run_all(&s.as_bytes()[..cut]);
        }
    }
    let e = parse_schedule(&SCHEDULE.as_bytes()[..SCHEDULE.len() / 2]).unwrap_err();
    assert_eq!((e.parser, e.location.as_str()), ("schedule", "payload"));
    assert!(matches!(e.problem, Problem::InvalidJson(_)));
}

fn node_count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(node_count).sum(),
        Value::Object(o) => o.values().map(node_count).sum(),
        _ => 0,
    }
}

/// Replaces the `n`-th node (pre-order) with `with`; `rename` renames an object key instead.
fn mutate(v: &mut Value, n: &mut usize, with: &Value, rename: bool) -> bool {
    if *n == 0 {
        if rename {
            if let Value::Object(o) = v
                && let Some(k) = o.keys().next().cloned()
                && let Some(x) = o.remove(&k)
            {
                o.insert(format!("{k}_renamed"), x);
            }
        } else {
            *v = with.clone();
        }
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|c| mutate(c, n, with, rename)),
        Value::Object(o) => o.values_mut().any(|c| mutate(c, n, with, rename)),
        _ => false,
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("12:34".into())),
        Just(Value::String("2025-01-15T00:00:00Z".into())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(raw in prop::collection::vec(any::<u8>(), 0..256)) {
        run_all(&raw);
    }

    #[test]
    fn random_json_never_panics(v in any_json()) {
        run_all(&serde_json::to_vec(&v).unwrap());
    }

    #[test]
    fn mutated_samples_never_panic(which in 0usize..6, pick in any::<usize>(), with in any_json(), rename in any::<bool>()) {
        let mut v: Value = serde_json::from_str(SAMPLES[which]).unwrap();
        let mut n = pick % node_count(&v);
        mutate(&mut v, &mut n, &with, rename);
        run_all(&serde_json::to_vec(&v).unwrap());
    }
}
