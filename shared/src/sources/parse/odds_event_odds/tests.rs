use super::*;
use crate::sources::parse::Problem;
use crate::sources::testdata::{read_real, real_data_dir};

const SMALL: &str = r#"{"id":"e1","sport_key":"basketball_nba","commence_time":"2024-02-23T00:00:00Z",
 "home_team":"Cleveland Cavaliers","away_team":"Orlando Magic","bookmakers":[
  {"key":"draftkings","title":"DraftKings","markets":[
   {"key":"player_points","last_update":"2024-02-22T23:55:07Z","outcomes":[
     {"name":"Over","description":"Moe Wagner","price":-130,"point":9.5},
     {"name":"Under","description":"Moe Wagner","price":100,"point":9.5},
     {"name":"Over","description":"Wendell Carter Jr.","price":-115,"point":11.5}]},
   {"key":"spreads","outcomes":[
     {"name":"Orlando Magic","price":-110,"point":4.5},{"name":"Cleveland Cavaliers","price":-110,"point":-4.5}]},
   {"key":"player_rebounds","outcomes":[]}]}]}"#;

#[test]
fn pairs_over_and_under_and_maps_names() {
    let p = parse_event_odds(SMALL.as_bytes()).unwrap();
    let ev = p.event.as_ref().unwrap();
    assert_eq!(ev.game_id.to_string(), "20240222_ORL_CLE");
    assert_eq!(p.props.len(), 2);
    let moe = &p.props[0];
    assert_eq!(moe.player_lookup, "moritzwagner");
    assert_eq!((moe.line, moe.over_price_american, moe.under_price_american), (9.5, Some(-130), Some(100)));
    assert_eq!(moe.under_price_decimal, Some(2.0));
    assert_eq!(p.props[1].under_price_american, None, "a one-sided line is kept as is");
    assert_eq!(p.lines.len(), 1);
    let s = &p.lines[0];
    assert_eq!((s.market, s.home_point, s.away_point), (LineMarket::Spread, Some(-4.5), Some(4.5)));
}

#[test]
fn no_bookmakers_is_zero_rows() {
    let raw = r#"{"id":"e1","commence_time":"2024-02-23T00:00:00Z","home_team":"Cleveland Cavaliers","away_team":"Orlando Magic","bookmakers":[]}"#;
    let p = parse_event_odds(raw.as_bytes()).unwrap();
    assert!(p.event.is_some() && p.props.is_empty() && p.lines.is_empty());
}

#[test]
fn malformed_outcomes_are_named() {
    let bad = SMALL.replacen("\"price\":-130", "\"price\":\"-130\"", 1);
    let e = parse_event_odds(bad.as_bytes()).unwrap_err().to_string();
    assert_eq!(
        e,
        "odds_event_odds parser: bookmakers[0].markets[0].outcomes[0].price: expected a number, found string \"-130\""
    );
    let bad = SMALL.replacen("\"name\":\"Over\"", "\"name\":\"Yes\"", 1);
    assert!(parse_event_odds(bad.as_bytes()).unwrap_err().to_string().contains("outcomes[0].name"));
    let bad = SMALL.replacen(",\"point\":9.5", "", 1);
    let e = parse_event_odds(bad.as_bytes()).unwrap_err();
    assert_eq!((e.location.as_str(), &e.problem), ("bookmakers[0].markets[0].outcomes[0].point", &Problem::Missing));
    let e = parse_event_odds(br#"{"message":"Event not found","error_code":"EVENT_NOT_FOUND"}"#).unwrap_err();
    assert!(matches!(e.problem, Problem::ApiError(_)));
}

#[test]
fn real_player_points_orl_at_cle() {
    let Some(dir) = real_data_dir() else { return };
    let raw = read_real(&dir, "kyleair__bet-helper/mockOrlandoVsCleveland.json");
    let p = parse_event_odds(&raw).unwrap();
    assert!(p.snapshot.is_none());
    let ev = p.event.as_ref().unwrap();
    assert_eq!(ev.game_id.to_string(), "20240222_ORL_CLE");
    assert_eq!(ev.odds_event_id, "f54c4a22568ce9dc33fb410d1b0e75e9");
    assert_eq!(p.props.len(), 241, "482 outcomes, every one paired");
    assert!(p.props.iter().all(|r| r.over_price_american.is_some() && r.under_price_american.is_some()));
    assert!(p.unresolved.is_empty());
    assert!(p.lines.is_empty());
    let books = |k: &str| p.props.iter().filter(|r| r.bookmaker == k).count();
    assert_eq!((books("betrivers"), books("draftkings"), books("betmgm")), (66, 16, 18));
    let dk = p.props.iter().find(|r| r.bookmaker == "draftkings" && r.player_lookup == "paolobanchero").unwrap();
    assert_eq!((dk.line, dk.over_price_american, dk.under_price_american), (20.5, Some(-140), Some(110)));
    assert_eq!(dk.market_last_update.map(|t| t.to_rfc3339()).as_deref(), Some("2024-02-22T23:55:07+00:00"));
    // "J. Isaac" (BetMGM) and "Jonathan Isaac" (the others) are the same player.
    let isaac: Vec<_> =
        p.props.iter().filter(|r| r.player_lookup == "jonathanisaac").map(|r| r.bookmaker.as_str()).collect();
    assert_eq!(isaac.len(), 7);
    assert!(isaac.contains(&"betmgm"));
    assert!(p.props.iter().any(|r| r.player_lookup == "wendellcarter"));
}

#[test]
fn real_historical_spreads_totals_and_h2h() {
    let Some(dir) = real_data_dir() else { return };
    let raw = read_real(&dir, "najicham__nba-stats-scraper/oddsa_player_props_his/raw_815b3ee3.json");
    let p = parse_event_odds(&raw).unwrap();
    assert_eq!(p.snapshot.map(|s| s.timestamp.to_rfc3339()).as_deref(), Some("2024-01-25T03:55:40+00:00"));
    assert_eq!(p.event.as_ref().map(|e| e.game_id.to_string()).as_deref(), Some("20240124_ATL_GSW"));
    assert!(p.props.is_empty());
    assert_eq!(p.lines.len(), 4);
    let dk_spread = p.lines.iter().find(|l| l.bookmaker == "draftkings" && l.market == LineMarket::Spread).unwrap();
    assert_eq!((dk_spread.home_point, dk_spread.away_point), (Some(-6.5), Some(6.5)));
    // Decimal prices in the capture (1.83 / 1.91) read as American -120 / -110.
    assert_eq!((dk_spread.home_price_american, dk_spread.away_price_american), (Some(-120), Some(-110)));
    let fd_total = p.lines.iter().find(|l| l.bookmaker == "fanduel" && l.market == LineMarket::Total).unwrap();
    assert_eq!(fd_total.total_point, Some(247.5));
    assert!(p.lines.iter().all(|l| l.snapshot_at == p.snapshot.map(|s| s.timestamp)));

    let raw = read_real(&dir, "najicham__nba-stats-scraper/odds_api_historical_game_lines/raw_9221b91f.json");
    let p = parse_event_odds(&raw).unwrap();
    assert_eq!(p.lines.len(), 2);
    let fd = p.lines.iter().find(|l| l.bookmaker == "fanduel").unwrap();
    assert_eq!(
        (fd.market, fd.away_price_american, fd.home_price_american),
        (LineMarket::Moneyline, Some(280), Some(-385))
    );
}
