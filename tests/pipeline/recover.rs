use crate::support::*;

#[tokio::test]
async fn recover_names_what_is_missing_and_what_it_reruns() {
    let dir = tempfile::tempdir().unwrap();
    let d = date("2025-01-14");
    tables_at(dir.path())
        .replace(d, vec![schedule_row(d, "20250114_NYK_BOS"), schedule_row(d, "20250114_LAL_DEN")])
        .await
        .unwrap();

    let dry = props(dir.path(), &["recover", "--date", "2025-01-14", "--dry-run"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(text.contains("2 scheduled games"), "{text}");
    assert!(text.contains("phase 2 MISSING player_boxscores: 0 rows"), "{text}");
    assert!(text.contains("phase 3 MISSING player_game_summary: 0 rows"), "{text}");
    assert!(text.contains("would re-scrape box scores → scrape-jobs"), "{text}");
    assert!(text.contains("would re-run game summaries → analytics-jobs"), "{text}");

    let healthy = date("2025-01-10");
    let out = props(dir.path(), &["recover", "--date", &healthy.to_string()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to re-run"));
}
