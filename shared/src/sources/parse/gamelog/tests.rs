use super::*;
use crate::sources::testdata::{read_real, real_data_dir};

/// A hand-written two-row team log in the API's shape (headers in a shuffled order on purpose:
/// columns are read by name).
const TEAM_LOG: &str = r#"{"resource":"leaguegamelog","resultSets":[{"name":"LeagueGameLog",
 "headers":["SEASON_ID","TEAM_ID","TEAM_ABBREVIATION","TEAM_NAME","GAME_ID","GAME_DATE","MATCHUP","WL","MIN",
   "PTS","FGM","FGA","FG_PCT","FG3M","FG3A","FG3_PCT","FTM","FTA","FT_PCT","OREB","DREB","REB","AST","STL","BLK","TOV","PF","PLUS_MINUS","VIDEO_AVAILABLE"],
 "rowSet":[
  ["22024",1610612752,"NYK","New York Knicks","0022400561","2025-01-15","NYK @ PHI","W",265,125,47,99,0.475,13,37,0.351,18,22,0.818,13,39,52,27,7,6,14,19,6,null],
  ["22024",1610612755,"PHI","Philadelphia 76ers","0022400561","2025-01-15","PHI vs. NYK","L","265:00",119,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,-6,null]
 ]}]}"#;

fn with_cell(src: &str, from: &str, to: &str) -> Vec<u8> {
    assert!(src.contains(from), "fixture lacks {from}");
    src.replacen(from, to, 1).into_bytes()
}

#[test]
fn team_rows_by_column_name() {
    let p = parse_team_gamelog(TEAM_LOG.as_bytes()).unwrap();
    assert_eq!(p.records.len(), 2);
    let (nyk, phi) = (&p.records[0], &p.records[1]);
    assert_eq!(nyk.game_id.to_string(), "20250115_NYK_PHI");
    assert_eq!(phi.game_id, nyk.game_id);
    assert_eq!((nyk.home, phi.home), (false, true));
    assert_eq!((nyk.win, phi.win), (Some(true), Some(false)));
    assert_eq!(nyk.minutes, Some(265.0));
    assert_eq!(phi.minutes, Some(265.0), "MM:SS");
    assert_eq!(nyk.stats.points, Some(125));
    assert_eq!(nyk.stats.three_attempted, Some(37));
    assert_eq!(phi.stats.fg_made, None, "null counts stay null");
    assert_eq!(phi.stats.plus_minus, Some(-6));
    assert_eq!(nyk.opponent.tricode(), "PHI");
}

#[test]
fn empty_day_is_zero_records() {
    let raw = br#"{"resultSets":[{"name":"LeagueGameLog","headers":["PLAYER_ID","PLAYER_NAME","TEAM_ABBREVIATION","GAME_ID","GAME_DATE","MATCHUP","WL","MIN","FGM","FGA","FG3M","FG3A","FTM","FTA","OREB","DREB","REB","AST","STL","BLK","TOV","PF","PTS","PLUS_MINUS"],"rowSet":[]}]}"#;
    let p = parse_player_gamelog(raw).unwrap();
    assert!(p.records.is_empty() && p.unresolved.is_empty());
}

#[test]
fn minutes_forms() {
    assert_eq!(parse_minutes("34:30"), Some(34.5));
    assert_eq!(parse_minutes("0:00"), Some(0.0));
    assert_eq!(parse_minutes("12"), Some(12.0));
    assert_eq!(parse_minutes("34:30.000000"), Some(34.5));
    assert_eq!(parse_minutes("34:75"), None);
    assert_eq!(parse_minutes("abc"), None);
    assert_eq!(parse_minutes("-3"), None);
}

#[test]
fn bad_input_names_row_and_column() {
    let e = parse_team_gamelog(&with_cell(TEAM_LOG, "\"MATCHUP\"", "\"GAME_MATCHUP\"")).unwrap_err();
    assert!(matches!(e.problem, Problem::MissingColumn { .. }));
    assert!(e.to_string().starts_with("gamelog parser: resultSets[0].headers.MATCHUP: column missing"), "{e}");

    let e = parse_team_gamelog(&with_cell(TEAM_LOG, ",125,47,", ",\"125\",47,")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "gamelog parser: resultSets[0].rowSet[0].PTS: expected a whole number or null, found string \"125\""
    );
    let e = parse_team_gamelog(&with_cell(TEAM_LOG, "\"265:00\"", "\"long\"")).unwrap_err();
    assert!(e.to_string().contains("rowSet[1].MIN"), "{e}");
    let e = parse_team_gamelog(&with_cell(TEAM_LOG, "\"NYK @ PHI\"", "\"NYK at PHI\"")).unwrap_err();
    assert!(e.to_string().contains("rowSet[0].MATCHUP"), "{e}");
    let e = parse_team_gamelog(&with_cell(TEAM_LOG, ",\"W\",265,", ",\"W\",")).unwrap_err();
    assert!(matches!(e.problem, Problem::RowLength { .. }), "{e}");
    let e = parse_team_gamelog(&TEAM_LOG.as_bytes()[..200]).unwrap_err();
    assert!(matches!(e.problem, Problem::InvalidJson(_)), "{e}");
    assert_eq!(e.location, "payload");
}

#[test]
fn unknown_team_is_counted_not_dropped_silently() {
    let p = parse_team_gamelog(&with_cell(TEAM_LOG, "\"NYK @ PHI\"", "\"NYK @ SEA\"")).unwrap();
    assert_eq!(p.records.len(), 1);
    assert_eq!(p.unresolved.count, 1);
    assert_eq!(p.unresolved.names[0].name, "SEA");
}

#[test]
fn real_player_gamelog_2025_03_15() {
    let Some(dir) = real_data_dir() else { return };
    let raw = read_real(&dir, "najicham__nba-stats-scraper/nbac_player_boxscore/raw_2ad17718.json");
    let p = parse_player_gamelog(&raw).unwrap();
    assert_eq!(p.records.len(), 157);
    assert!(p.unresolved.is_empty(), "{:?}", p.unresolved);
    let games: std::collections::HashSet<_> = p.records.iter().map(|r| r.game_id).collect();
    assert_eq!(games.len(), 8);
    assert!(games.iter().any(|g| g.to_string() == "20250315_NYK_GSW"));
    assert!(games.iter().any(|g| g.to_string() == "20250315_IND_MIL"));
    let total: u32 = p.records.iter().map(|r| u32::from(r.stats.points.unwrap_or(0))).sum();
    assert_eq!(total, 1814);
    let curry = p.records.iter().find(|r| r.player_id == 201939).unwrap();
    assert_eq!(curry.player_lookup, "stephencurry");
    assert_eq!(curry.game_id.to_string(), "20250315_NYK_GSW");
    assert_eq!(curry.nba_game_id.as_ref().map(|g| g.as_str()), Some("0022400974"));
    assert!(curry.home && curry.win == Some(true));
    assert_eq!(curry.minutes, Some(35.0));
    let s = &curry.stats;
    assert_eq!((s.points, s.fg_made, s.fg_attempted), (Some(28), Some(8), Some(20)));
    assert_eq!((s.three_made, s.three_attempted, s.ft_made, s.ft_attempted), (Some(4), Some(13), Some(8), Some(9)));
    assert_eq!(s.plus_minus, Some(-5));
    let tj = p.records.iter().find(|r| r.player_name == "T.J. McConnell").unwrap();
    assert_eq!((tj.team.tricode(), tj.opponent.tricode(), tj.home), ("IND", "MIL", false));
    assert_eq!(tj.player_lookup, "tjmcconnell");
    let jokic = p.records.iter().find(|r| r.player_name == "Nikola Jokić").unwrap();
    assert_eq!(jokic.player_lookup, "nikolajokic");
    let holland = p.records.iter().find(|r| r.player_name == "Ronald Holland II").unwrap();
    assert_eq!(holland.player_lookup, player_lookup("Ron Holland"));
    assert_eq!(p.records.iter().filter(|r| r.minutes == Some(0.0)).count(), 2);
}
