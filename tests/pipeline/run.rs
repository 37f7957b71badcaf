//! The main job on a fresh data directory, offline: the simulated league in-process.

use crate::support::*;

#[test]
fn props_run_takes_a_game_day_through_phase_four_offline() {
    let dir = tempfile::tempdir().unwrap();
    let out = props(dir.path(), &["run", "--date", "2025-01-15", "--history-days", "2"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    let number_after = |label: &str| -> u64 {
        let line = text.lines().find(|l| l.contains(label)).unwrap_or_else(|| panic!("no `{label}` in:\n{text}"));
        let before = &line[..line.find(label).unwrap()];
        before
            .split_whitespace()
            .last()
            .and_then(|w| w.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
            .unwrap_or_else(|| panic!("{line}"))
    };
    assert!(number_after("games scheduled") > 0, "{text}");
    assert!(number_after("prop lines") > 0, "{text}");
    assert!(number_after("upcoming players") > 0, "{text}");
    assert!(number_after("player summaries") > 0, "{text}");
    assert!(text.contains("3→4 trigger: sent"), "{text}");
    assert_eq!(
        number_after("feature rows"),
        number_after("upcoming players"),
        "a feature row per expected player: {text}"
    );
    assert!(number_after("with a line") > 0, "{text}");
    assert!(text.contains("phase 5-6 not built yet"), "the run says what it did not do: {text}");
    // A second run over the same data directory converges (idempotent writes, no duplicates).
    let again = props(dir.path(), &["run", "--date", "2025-01-15", "--history-days", "2"]);
    assert!(again.status.success());
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
