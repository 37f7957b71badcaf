//! The main job on a fresh data directory, offline: the simulated league in-process.

use crate::support::*;

/// The number just before `label` on the line that holds it.
fn number_before(text: &str, label: &str) -> u64 {
    let line = text.lines().find(|l| l.contains(label)).unwrap_or_else(|| panic!("no `{label}` in:\n{text}"));
    let before = &line[..line.find(label).unwrap()];
    before
        .split_whitespace()
        .last()
        .and_then(|w| w.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
        .unwrap_or_else(|| panic!("{line}"))
}

fn run(dir: &std::path::Path, date: &str) -> String {
    let out = props(dir, &["run", "--date", date, "--history-days", "2"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    text
}

fn export(dir: &std::path::Path, date: &str, file: &str) -> serde_json::Value {
    let path = dir.join("nba-props/exports").join(date).join(file);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

#[test]
fn props_run_takes_a_game_day_from_planner_to_page_offline() {
    let dir = tempfile::tempdir().unwrap();
    let text = run(dir.path(), "2025-01-15");
    assert!(number_before(&text, "games scheduled") > 0, "{text}");
    assert!(number_before(&text, "prop lines") > 0, "{text}");
    assert!(number_before(&text, "upcoming players") > 0, "{text}");
    assert!(number_before(&text, "player summaries") > 0, "{text}");
    assert!(text.contains("3→4 trigger: sent"), "{text}");
    assert_eq!(number_before(&text, "feature rows"), number_before(&text, "upcoming players"), "{text}");
    assert!(number_before(&text, "with a line)") > 0, "{text}");
    // Phase 5: the 4→5 trigger fired on the game day and every player with a line has a prediction.
    assert!(text.contains("4→5 trigger: sent"), "{text}");
    let with_line = number_before(&text, "players with a line predicted");
    let line = text.lines().find(|l| l.contains("players with a line predicted")).unwrap();
    let predicted: u64 = line.split(" of ").next().unwrap().split_whitespace().last().unwrap().parse().unwrap();
    assert!(with_line > 0, "{text}");
    assert_eq!(predicted, with_line, "a prediction for every player with a line: {text}");
    assert!(number_before(&text, "with points") > 0, "{text}");
    assert!(text.contains("gbm abstains"), "a fresh directory has no champion and too little history: {text}");
    // The picks table is the ensemble's actionable picks, as published.
    let published = export(dir.path(), "2025-01-15", "predictions.json");
    let ensemble_picks =
        published["actionable"].as_array().unwrap().iter().filter(|p| p["system_id"] == "ensemble").count() as u64;
    let table = text.lines().find(|l| l.starts_with("actionable picks for 2025-01-15 (ensemble system): ")).unwrap();
    assert_eq!(table.rsplit(' ').next().unwrap().parse::<u64>().unwrap(), ensemble_picks, "{text}");
    let rows =
        text.lines().skip_while(|l| !l.starts_with("actionable picks")).skip(2).take_while(|l| l.starts_with("  "));
    if ensemble_picks > 0 {
        assert!(text.contains("player") && text.contains("edge") && text.contains("conf"), "{text}");
        assert_eq!(rows.count() as u64, ensemble_picks, "{text}");
    }
    // The page: its path is printed, and it is there.
    let page = text.lines().find_map(|l| l.strip_prefix("page: ")).unwrap_or_else(|| panic!("no page in {text}"));
    let html = std::fs::read_to_string(page).unwrap_or_else(|e| panic!("{page}: {e}"));
    assert!(html.contains("Tonight's picks"), "{html}");
    // The history is backfilled as of each next morning: 2025-01-13's was at 05:00 ET on
    // 2025-01-14, when that day's games were upcoming, so they were predicted then (as a
    // deployment would have) and are graded now from 2025-01-14's box scores.
    assert!(number_before(&text, "graded predictions)") > 0, "{text}");
    assert!(text.contains("grade     2025-01-14: success"), "{text}");

    // The next day on the same directory: the history already held is not fetched again, and
    // yesterday (predicted by the first run) is graded before the new predictions.
    let next = run(dir.path(), "2025-01-16");
    assert!(next.contains("(1 already held)"), "{next}");
    assert!(number_before(&next, "graded predictions") > 0, "{next}");
    let results = export(dir.path(), "2025-01-16", "results.json");
    assert_eq!(results["game_date"], "2025-01-15");
    assert!(results["graded"].as_u64().unwrap() > 0, "{results}");
}

#[test]
fn backfill_is_resumable_and_skips_finished_days() {
    let dir = tempfile::tempdir().unwrap();
    let first = props(dir.path(), &["backfill", "--from", "2025-01-10", "--to", "2025-01-11"]);
    let text = String::from_utf8_lossy(&first.stdout).to_string();
    assert!(first.status.success(), "{text}\n{}", String::from_utf8_lossy(&first.stderr));
    assert!(text.contains("2 days processed"), "{text}");
    let partitions = |table: &str| {
        let p = dir.path().join("nba-props/tables/raw").join(table);
        std::fs::read_dir(&p).map(|d| d.count()).unwrap_or(0)
    };
    assert_eq!(partitions("player_boxscores"), 2);
    // A longer range later: the two finished days are skipped, only the new one is fetched.
    let second = props(dir.path(), &["backfill", "--from", "2025-01-10", "--to", "2025-01-12"]);
    let text = String::from_utf8_lossy(&second.stdout).to_string();
    assert!(second.status.success(), "{text}");
    assert!(text.contains("2 day(s) already done, skipped"), "{text}");
    assert!(text.contains("1 days processed"), "{text}");
    assert_eq!(partitions("player_boxscores"), 3);
    let bad = props(dir.path(), &["backfill", "--from", "2025-01-12", "--to", "2025-01-10"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--from 2025-01-12 is after --to 2025-01-10"));
}
