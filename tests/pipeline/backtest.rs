//! `props backtest --json` on the simulated league: the report's contract (the keys other tools
//! read, and the irreducible error only a simulated league knows) and the refusal of a reversed
//! range. The end-to-end figures on the replayed 2023-24 season live in BENCHMARKS.md.

use crate::support::*;

#[test]
fn json_report_has_the_documented_keys_three_baselines_and_the_noise_floor() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        props(dir.path(), &["backtest", "--from", "2025-01-10", "--to", "2025-01-10", "--history-days", "3", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["baselines"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["line", "last10", "ma_50_30_20"]);
    let floor = &v["irreducible"];
    assert_eq!(floor["name"], "irreducible", "the simulated league knows the true expectations: {v}");
    assert_eq!(floor["n"], v["baselines"][0]["n"], "scored on the same player-games as the line");
    assert!(floor["n"].as_u64().unwrap() > 0, "the backtest produced no feature-store rows with a line: {v}");
    assert!(floor["mae"].as_f64().is_some_and(|m| m > 0.0));
    for b in v["baselines"].as_array().unwrap() {
        let mut keys: Vec<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["mae", "n", "name"]);
    }
    for s in v["systems"].as_array().unwrap() {
        let mut keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["bias", "hit_rate", "mae", "n", "picks", "roi", "system_id"]);
    }
}

#[test]
fn a_reversed_range_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = props(dir.path(), &["backtest", "--from", "2025-01-10", "--to", "2025-01-09"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from 2025-01-10 is after --to 2025-01-09"));
}
