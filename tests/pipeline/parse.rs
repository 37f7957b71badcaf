//! `props parse SOURCE/ENDPOINT FILE`: the production parser on one payload file.

use crate::support::*;

#[test]
fn parses_a_real_capture_and_names_a_malformed_file() {
    let dir = tempfile::tempdir().unwrap();
    if let Some(real) = props_core::testkit::real_data_dir() {
        let file = real.join("najicham__nba-stats-scraper/oddsa_events_his/raw_4c3bc8f6.json");
        let out = props(dir.path(), &["parse", "odds/events", file.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.starts_with("odds/events (events): 10 records, 0 unresolved names"), "{stdout}");
        assert!(stdout.contains("20240124_PHX_DAL"), "{stdout}");
        let out = props(dir.path(), &["parse", "odds/events", file.to_str().unwrap(), "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["records"], 10);
    }
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, br#"{"resultSets": [{"headers": ["GAME_ID"], "rowSet": [[1, 2]]}]}"#).unwrap();
    let out = props(dir.path(), &["parse", "nba/gamelog", bad.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("does not parse as nba/gamelog: gamelog parser"), "{err}");
    let out = props(dir.path(), &["parse", "nba/boxscore", bad.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown source `nba/boxscore`"));
}
