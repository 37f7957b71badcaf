//! Bad input to the CLI: one clear line naming the thing, a non-zero exit, no panic.

use crate::support::*;

fn one_line_error(out: &std::process::Output) -> String {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn unknown_table_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = one_line_error(&props(dir.path(), &["query", "player_gme_summary"]));
    assert!(err.contains("unknown table `player_gme_summary`"), "{err}");
}

#[test]
fn bad_date_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = one_line_error(&props(dir.path(), &["query", "schedule", "--date", "2025-02-30"]));
    assert!(err.contains("invalid game date `2025-02-30`"), "{err}");
}

#[tokio::test]
async fn unreadable_parquet_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let key = "tables/raw/team_boxscores/game_date=2025-01-15/part-0.parquet";
    let path = dir.path().join("nba-props").join(key);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"definitely not parquet").unwrap();
    let err = one_line_error(&props(dir.path(), &["query", "team_boxscores", "--date", "2025-01-15"]));
    assert!(err.contains(&format!("unreadable Parquet object `{key}`")), "{err}");
}
