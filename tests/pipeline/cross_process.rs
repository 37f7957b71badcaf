use crate::support::*;

#[tokio::test]
async fn a_table_written_here_reads_back_identically_in_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let tables = tables_at(dir.path());
    let d = date("2025-01-15");
    let rows = vec![team_row(d, "BOS", 112, "Dončić 💥 \"quoted\""), team_row(d, "NYK", 108, "")];
    tables.replace(d, rows.clone()).await.unwrap();
    let written: Vec<TeamRow> = tables.read_date(d).await.unwrap();

    let out = props(dir.path(), &["query", "team_boxscores", "--date", "2025-01-15", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.len(), 2);
    for (j, w) in json.iter().zip(&written) {
        assert_eq!(j["team"], w.team.as_str());
        assert_eq!(j["points"], w.points);
        assert_eq!(j["pace"], 98.25);
        assert_eq!(j["note"], w.note.as_str());
        assert_eq!(j["data_hash"], w.data_hash.as_str());
        assert_eq!(j["game_date"], "2025-01-15");
        let at = chrono::DateTime::parse_from_rfc3339(j["processed_at"].as_str().unwrap()).unwrap();
        assert_eq!(at, w.processed_at);
    }

    // and the other way round: a second process's rewrite with the same rows is skipped
    let again = tables.replace(d, rows).await.unwrap();
    assert!(!again.written);
}

#[tokio::test]
async fn status_lists_the_partition() {
    let dir = tempfile::tempdir().unwrap();
    let d = date("2025-01-15");
    tables_at(dir.path()).replace(d, vec![team_row(d, "BOS", 1, "")]).await.unwrap();
    let out = props(dir.path(), &["status", "--date", "2025-01-15"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("raw.team_boxscores"), "{text}");
    let line = text.lines().find(|l| l.contains("raw.team_boxscores")).unwrap();
    assert_eq!(line.split_whitespace().nth(1), Some("1"), "{line}");
}
