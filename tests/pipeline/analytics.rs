//! Phase 3 on real replayed days: payloads fetched from the replay server, turned into raw
//! tables by phase 2, then summarised and put in context by `analytics`. Expected values are
//! computed here from the raw rows with plain arithmetic (and a few are literal numbers checked
//! by hand against the game logs), never by calling the analytics code.

use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use bytes::Bytes;
use chrono::{DateTime, TimeZone, Utc};
use props_analytics::Analytics;
use props_analytics::entry::dispatch;
use props_core::config::SourceUrls;
use props_core::lambda::JsonHandler;
use props_core::messages::{MessageKind, RunStatus};
use props_core::pipeline::circuit::{Admission, CircuitBreaker};
use props_core::pipeline::runner::execute;
use props_core::ports::{Queue, QueueName};
use props_core::secrets::{Redactor, Secret};
use props_core::sources::fetch::{FetchSettings, Fetcher};
use props_core::sources::nba_stats::{PlayerOrTeam, SeasonType};
use props_core::sources::odds_api::EventId;
use props_core::sources::parse::parse_odds_events;
use props_core::sources::raw_key::RawKey;
use props_core::sources::request::{Endpoint, SourceRequest};
use props_core::sources::{nba_stats, odds_api};
use props_core::tables::rows::analytics::{
    PlayerGameSummaryRow, TeamDefenseGameSummaryRow, TeamOffenseGameSummaryRow, UpcomingPlayerGameContextRow,
    UpcomingTeamGameContextRow,
};
use props_core::tables::rows::raw::{PlayerBoxscoreRow, PlayerPointsPropRow, TeamBoxscoreRow};
use props_core::testkit::{Harness, real_data_dir, replay};
use props_core::{Context, GameDate};
use serde_json::{Value, json};

fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

fn close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what}: missing, expected {b}"));
    assert!((a - b).abs() < 1e-6, "{what}: {a} != {b}");
}

pub(crate) struct Source {
    pub(crate) urls: SourceUrls,
    fetcher: Fetcher,
}

impl Source {
    pub(crate) fn new(base: &str) -> Self {
        let fetcher = Fetcher::new(
            FetchSettings::with_base_delay(Duration::from_millis(10)),
            Some(Secret::new("replay-key-123456")),
            Redactor::default(),
        )
        .unwrap();
        Self { urls: SourceUrls::all_at(base), fetcher }
    }

    pub(crate) async fn get(&self, r: &SourceRequest) -> Vec<u8> {
        match self.fetcher.fetch(r).await.result {
            Ok(b) => b.to_vec(),
            Err(e) => panic!("{}: {e}", r.display_url()),
        }
    }

    /// Stores a payload as the scraper would and runs phase 2 on it.
    pub(crate) async fn land(&self, ctx: &Context, endpoint: Endpoint, date: GameDate, bytes: Vec<u8>, seq: &mut i64) {
        *seq += 1;
        let k = RawKey::new(endpoint, date, ctx.clock.now() + chrono::Duration::seconds(*seq), &bytes);
        ctx.blobs.put(&k.key, Bytes::from(bytes)).await.unwrap();
        let done = props_raw::process_key(ctx, &k.key).await.unwrap();
        assert!(done.quarantined.is_none(), "{}: {:?}", k.key, done.quarantined);
    }

    pub(crate) async fn gamelogs(&self, ctx: &Context, date: GameDate, seq: &mut i64) {
        for who in [PlayerOrTeam::Team, PlayerOrTeam::Player] {
            let bytes = self.get(&nba_stats::gamelog(&self.urls, date, SeasonType::RegularSeason, who)).await;
            self.land(ctx, Endpoint::Gamelog, date, bytes, seq).await;
        }
    }

    /// The date's events and every event's odds as of `at`.
    pub(crate) async fn odds(&self, ctx: &Context, date: GameDate, at: DateTime<Utc>, seq: &mut i64) {
        let events = parse_odds_events(&self.get(&odds_api::historical_events(&self.urls, at)).await).unwrap();
        for ev in events.events.records.iter().filter(|e| e.game_date == date) {
            let req = odds_api::historical_event_odds(&self.urls, &EventId::parse(&ev.odds_event_id).unwrap(), at);
            let bytes = self.get(&req).await;
            self.land(ctx, Endpoint::EventOdds, date, bytes, seq).await;
        }
    }
}

/// Acknowledges everything phase 2 announced (tests that drive phase 3 by schedule).
pub(crate) async fn drain(h: &Harness, q: QueueName) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let got = h.queue.receive(q, 100, Duration::from_secs(60)).await.unwrap();
        if got.is_empty() {
            return out;
        }
        for m in got {
            h.queue.ack(q, &m.receipt).await.unwrap();
            out.push(m.body);
        }
    }
}

pub(crate) async fn scheduled(h: &Harness, a: &Analytics, input: Value) -> Vec<(String, String, String)> {
    let out = JsonHandler::handle(a, &h.ctx, input).await.unwrap();
    out["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["processor"].as_str().unwrap().to_string(),
                r["game_date"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub(crate) const SUMMARIES: [&str; 3] =
    ["team_offense_game_summary", "team_defense_game_summary", "player_game_summary"];
pub(crate) const CONTEXTS: [&str; 2] = ["upcoming_player_game_context", "upcoming_team_game_context"];

/// Independent L-n average: the player's last n games with minutes before `date`, from the raw
/// box scores.
fn last_n_avg(raw: &[PlayerBoxscoreRow], lookup: &str, date: GameDate, n: usize) -> Option<f64> {
    let mut games: Vec<&PlayerBoxscoreRow> = raw
        .iter()
        .filter(|r| r.player_lookup == lookup && r.game_date < date && r.minutes.unwrap_or(0.0) > 0.0)
        .filter(|r| r.points.is_some())
        .collect();
    games.sort_by_key(|g| std::cmp::Reverse(g.game_date));
    let pts: Vec<f64> = games.iter().take(n).map(|r| f64::from(r.points.unwrap())).collect();
    (!pts.is_empty()).then(|| pts.iter().sum::<f64>() / pts.len() as f64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_2024_03_05_summaries_contexts_reruns_and_no_leakage() {
    if real_data_dir().is_none() {
        return;
    }
    let Some(r) = replay::start() else { return };
    replay::control(&r.base, reqwest::Method::POST, "/_replay/clock", json!({"now": "2024-03-07T12:00:00Z"})).await;
    let src = Source::new(&r.base);
    let day = d("2024-03-05");
    let history_from = d("2024-01-20");
    // The morning of the game day, after the day's line snapshots (19:31Z) and before the
    // first tip-off (00:10Z on the 6th).
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 3, 5, 21, 0, 0).unwrap());
    let a = Analytics::default();
    let mut seq = 0;

    let schedule = src.get(&nba_stats::schedule(&src.urls, "2023-24".parse().unwrap())).await;
    src.land(&h.ctx, Endpoint::Schedule, day, schedule, &mut seq).await;
    for date in history_from.through(day.prev()) {
        src.gamelogs(&h.ctx, date, &mut seq).await;
    }
    src.odds(&h.ctx, day, Utc.with_ymd_and_hms(2024, 3, 5, 20, 0, 0).unwrap(), &mut seq).await;
    drain(&h, QueueName::AnalyticsJobs).await;

    // History, by the scheduled path (a backfill of the game summaries).
    let runs = scheduled(
        &h,
        &a,
        json!({"processors": SUMMARIES, "start_date": history_from.to_string(), "end_date": "YESTERDAY", "backfill": true}),
    )
    .await;
    // Dates without games (the All-Star break) are skipped, not failed.
    assert!(runs.iter().all(|(_, _, s)| s == "success"), "{runs:?}");
    let played = runs.len() / 3;
    assert!(played >= 35 && played < history_from.days_until(day) as usize, "{played}");

    // Contexts for the game day, before the games.
    let runs = scheduled(&h, &a, json!({"processors": CONTEXTS, "start_date": "TODAY"})).await;
    assert!(runs.iter().all(|(_, date, s)| s == "success" && date == "2024-03-05"), "{runs:?}");
    let ctx_rows: Vec<UpcomingPlayerGameContextRow> = h.ctx.tables.read_date(day).await.unwrap();
    let team_ctx: Vec<UpcomingTeamGameContextRow> = h.ctx.tables.read_date(day).await.unwrap();
    assert_eq!(team_ctx.len(), 18, "nine games, two teams each");
    let raw: Vec<PlayerBoxscoreRow> = h.ctx.tables.read(history_from, day.prev()).await.unwrap();
    let player =
        |lookup: &str| ctx_rows.iter().find(|r| r.player_lookup == lookup).unwrap_or_else(|| panic!("{lookup}"));

    // Hand-checked from the 2023-24 game logs (points of the last games before 2024-03-05):
    // Tatum 27, 32, 29, 19, 25 | 20, 41, 26, 35, 20; last game 03-03.
    let tatum = player("jaysontatum");
    close(tatum.points_avg_last_5, 26.4, "Tatum L5");
    close(tatum.points_avg_last_10, 27.4, "Tatum L10");
    assert_eq!((tatum.days_rest, tatum.back_to_back, tatum.games_last_7), (Some(1), false, 3));
    close(tatum.current_points_line, 28.5, "Tatum line");
    assert_eq!(tatum.current_line_source.as_deref(), Some("draftkings"));
    assert_eq!((tatum.team.as_str(), tatum.opponent.as_str(), tatum.home), ("BOS", "CLE", false));
    // Banchero 29, 29, 15, 12, 36 | 23, 19, 16, 23, 20.
    let banchero = player("paolobanchero");
    close(banchero.points_avg_last_5, 24.2, "Banchero L5");
    close(banchero.points_avg_last_10, 22.2, "Banchero L10");
    close(banchero.current_points_line, 21.5, "Banchero line");
    // Haliburton 12, 0 (23 minutes), 17, 9, 17 | 25, 21, 13, 22, 5: a zero is a game played.
    let hali = player("tyresehaliburton");
    close(hali.points_avg_last_5, 11.0, "Haliburton L5");
    close(hali.points_avg_last_10, 14.1, "Haliburton L10");
    close(hali.current_points_line, 18.5, "Haliburton line");
    // Brunson played one minute on 03-03 (0 points) and missed 03-05: still expected (he
    // appeared in the Knicks' last 10 games), from history, injury status unknown.
    let brunson = player("jalenbrunson");
    close(brunson.points_avg_last_5, 23.4, "Brunson L5");
    assert_eq!((brunson.player_source.as_str(), brunson.injury_status.as_str()), ("history", "unknown"));
    // Brooklyn played on 03-04: a back-to-back.
    let bridges = player("mikalbridges");
    assert_eq!((bridges.days_rest, bridges.back_to_back), (Some(0), true));
    let bkn = team_ctx.iter().find(|t| t.team == "BKN").unwrap();
    assert_eq!((bkn.back_to_back, bkn.days_rest, bkn.players_out), (true, Some(0), None));
    // Every context row against the raw box scores.
    for c in &ctx_rows {
        for n in [5, 10] {
            let got = if n == 5 { c.points_avg_last_5 } else { c.points_avg_last_10 };
            let want = last_n_avg(&raw, &c.player_lookup, day, n);
            assert_eq!(got.is_some(), want.is_some(), "{} L{n}", c.player_lookup);
            assert!(got.zip(want).is_none_or(|(x, y)| (x - y).abs() < 1e-9), "{} L{n}", c.player_lookup);
        }
        assert_eq!(c.injury_status, "unknown", "no roster history in a backfill");
    }

    // The games are played; the clock moves to the next morning and the box scores arrive.
    h.clock.set(Utc.with_ymd_and_hms(2024, 3, 6, 12, 0, 0).unwrap());
    src.gamelogs(&h.ctx, day, &mut seq).await;
    drain(&h, QueueName::AnalyticsJobs).await;
    let runs = scheduled(&h, &a, json!({"processors": SUMMARIES, "start_date": "YESTERDAY"})).await;
    assert!(runs.iter().all(|r| r.2 == "success"), "{runs:?}");
    check_2024_03_05_summaries(&h, day).await;

    // (b) Re-running changes nothing.
    let again =
        scheduled(&h, &a, json!({"processors": SUMMARIES, "start_date": "2024-03-01", "end_date": "YESTERDAY"})).await;
    assert!(again.iter().all(|r| r.2 == "skipped_unchanged"), "{again:?}");
    // A changed input changes only its date.
    let mut teams: Vec<TeamBoxscoreRow> = h.ctx.tables.read_date(d("2024-03-04")).await.unwrap();
    teams[0].turnovers = teams[0].turnovers.map(|t| t + 1);
    h.ctx.tables.replace(d("2024-03-04"), teams).await.unwrap();
    let changed =
        scheduled(&h, &a, json!({"processors": SUMMARIES, "start_date": "2024-03-03", "end_date": "YESTERDAY"})).await;
    for (p, date, s) in &changed {
        if date == "2024-03-04" {
            // The offence and its mirror change; the 2023-24 player rows have no splits, so
            // usage (the only reader of team turnovers) stays null and the summary is unchanged.
            let expect = if p == "player_game_summary" { "skipped_unchanged" } else { "success" };
            assert_eq!(s, expect, "{p} {date}");
        } else {
            assert_eq!(s, "skipped_unchanged", "{p} {date}");
        }
    }

    // (d) No leakage: the game day's box scores, lines seen after tip-off, and later days do not
    // move a context. Rebuilt now (after the games), it must equal the morning's.
    let before = scheduled(&h, &a, json!({"processors": CONTEXTS, "start_date": "2024-03-05"})).await;
    assert!(before.iter().all(|r| r.2 == "skipped_unchanged"), "{before:?}");
    let mut boxes: Vec<PlayerBoxscoreRow> = h.ctx.tables.read_date(day).await.unwrap();
    for b in boxes.iter_mut().filter(|b| b.player_lookup == "jaysontatum") {
        b.points = Some(60);
    }
    h.ctx.tables.replace(day, boxes).await.unwrap();
    let props: Vec<PlayerPointsPropRow> = h.ctx.tables.read_date(day).await.unwrap();
    let late: Vec<PlayerPointsPropRow> = props
        .iter()
        .filter(|p| p.player_lookup == "jaysontatum")
        .map(|p| PlayerPointsPropRow {
            snapshot_at: p.tipoff_at + chrono::Duration::minutes(30),
            minutes_before_tipoff: -30,
            after_tipoff: true,
            line: 45.5,
            ..p.clone()
        })
        .collect();
    assert!(!late.is_empty());
    h.ctx.tables.append(day, "late-snapshot", late).await.unwrap();
    src.gamelogs(&h.ctx, day.next(), &mut seq).await;
    drain(&h, QueueName::AnalyticsJobs).await;
    let later =
        scheduled(&h, &a, json!({"processors": SUMMARIES, "start_date": "2024-03-05", "end_date": "2024-03-06"})).await;
    assert!(
        later.iter().any(|r| r.1 == "2024-03-05" && r.2 == "success"),
        "the game day's summary did change: {later:?}"
    );
    let after = scheduled(&h, &a, json!({"processors": CONTEXTS, "start_date": "2024-03-05"})).await;
    assert!(after.iter().all(|r| r.2 == "skipped_unchanged"), "contexts moved: {after:?}");
    let rows_after: Vec<UpcomingPlayerGameContextRow> = h.ctx.tables.read_date(day).await.unwrap();
    let strip = |rows: &[UpcomingPlayerGameContextRow]| -> Vec<String> {
        let mut v: Vec<String> = rows.iter().map(|r| r.data_hash.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(strip(&rows_after), strip(&ctx_rows));
}

/// Team and player summaries of 2024-03-05 against the raw box scores and by hand.
async fn check_2024_03_05_summaries(h: &Harness, day: GameDate) {
    let raw_teams: Vec<TeamBoxscoreRow> = h.ctx.tables.read_date(day).await.unwrap();
    let off: Vec<TeamOffenseGameSummaryRow> = h.ctx.tables.read_date(day).await.unwrap();
    let def: Vec<TeamDefenseGameSummaryRow> = h.ctx.tables.read_date(day).await.unwrap();
    assert_eq!((off.len(), def.len()), (18, 18));
    for t in &raw_teams {
        let o = off.iter().find(|o| o.team == t.team).unwrap();
        let opp = raw_teams.iter().find(|x| x.game_id == t.game_id && x.team != t.team).unwrap();
        let poss = f64::from(t.fg_attempted.unwrap())
            + 0.44 * f64::from(t.ft_attempted.unwrap())
            + f64::from(t.turnovers.unwrap())
            - f64::from(t.off_rebounds.unwrap());
        close(o.possessions, poss, "possessions");
        close(o.offensive_rating, 100.0 * f64::from(t.points.unwrap()) / poss, "offensive rating");
        close(o.pace, poss * 48.0 / (t.minutes.unwrap() / 5.0), "pace");
        assert_eq!(o.win_flag, Some(t.points.unwrap() > opp.points.unwrap()), "{}", t.team);
        let dr = def.iter().find(|x| x.team == opp.team).unwrap();
        close(dr.defensive_rating, 100.0 * f64::from(t.points.unwrap()) / poss, "defensive rating of the opponent");
        assert_eq!(dr.turnovers_forced, t.turnovers);
    }
    assert_eq!(off.iter().filter(|o| o.win_flag == Some(true)).count(), 9, "one winner per game");
    // By hand: BOS @ CLE, 104-105. FGA 93, FTA 12, TOV 13, OREB 14, MIN 241.
    let bos = off.iter().find(|o| o.team == "BOS").unwrap();
    close(bos.possessions, 97.28, "BOS possessions");
    close(bos.offensive_rating, 106.907_894_736_842_1, "BOS ORtg = 10400/97.28");
    close(bos.pace, 96.876_348_547_717_84, "BOS pace = 97.28*48/48.2");
    close(bos.ts_pct, 104.0 / 196.56, "BOS TS%");
    assert_eq!((bos.win_flag, bos.margin, bos.overtime_periods), (Some(false), Some(-1), Some(0)));
    let den = off.iter().find(|o| o.team == "DEN").unwrap();
    assert_eq!(den.overtime_periods, Some(1), "DEN-PHX went to overtime (265 team minutes)");

    let players: Vec<PlayerGameSummaryRow> = h.ctx.tables.read_date(day).await.unwrap();
    let p = |lookup: &str| players.iter().find(|r| r.player_lookup == lookup).unwrap();
    // 2023-24 has no made/attempted splits: rates are null, never computed from zeros.
    let tatum = p("jaysontatum");
    assert_eq!((tatum.points, tatum.fg_attempted, tatum.usage_rate, tatum.ts_pct), (Some(26), None, None, None));
    assert_eq!((tatum.points_line, tatum.line_source.as_deref()), (Some(28.5), Some("draftkings")));
    assert_eq!((tatum.over_under_result.as_deref(), tatum.margin_vs_line), (Some("UNDER"), Some(-2.5)));
    let banchero = p("paolobanchero");
    assert_eq!(
        (banchero.points, banchero.points_line, banchero.over_under_result.as_deref()),
        (Some(22), Some(21.5), Some("OVER"))
    );
    assert_eq!(p("tyresehaliburton").over_under_result.as_deref(), Some("OVER"));
    for r in &players {
        assert_eq!(r.starter, None, "the game log has no starter flag: never inferred from minutes");
        match (r.points, r.points_line, r.over_under_result.as_deref()) {
            (Some(pts), Some(line), Some(res)) => {
                let expect = if f64::from(pts) > line {
                    "OVER"
                } else if f64::from(pts) < line {
                    "UNDER"
                } else {
                    "PUSH"
                };
                assert_eq!(res, expect, "{}", r.player_lookup);
            }
            (_, None, res) => assert_eq!(res, None, "{}", r.player_lookup),
            _ => {}
        }
    }
    assert!(players.iter().filter(|r| r.points_line.is_some()).count() > 50);
}

fn sqs(bodies: &[String]) -> Value {
    let mut e = SqsEvent::default();
    e.records = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut m = SqsMessage::default();
            m.message_id = Some(format!("m{i}"));
            m.body = Some(b.clone());
            m
        })
        .collect();
    serde_json::to_value(e).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_2025_01_15_usage_and_a_missing_box_score_trips_then_resets_the_breaker() {
    if real_data_dir().is_none() {
        return;
    }
    let Some(r) = replay::start() else { return };
    replay::control(&r.base, reqwest::Method::POST, "/_replay/clock", json!({"now": "2025-01-17T12:00:00Z"})).await;
    let src = Source::new(&r.base);
    let day = d("2025-01-15");
    let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 16, 12, 0, 0).unwrap());
    let a = Analytics::default();
    let mut seq = 0;

    // Only the team game log arrives; phase 2 announces it and the queue path routes it.
    let bytes = src.get(&nba_stats::gamelog(&src.urls, day, SeasonType::RegularSeason, PlayerOrTeam::Team)).await;
    src.land(&h.ctx, Endpoint::Gamelog, day, bytes, &mut seq).await;
    let msgs = drain(&h, QueueName::AnalyticsJobs).await;
    let out = dispatch(&h.ctx, &a, "analytics", sqs(&msgs)).await.unwrap();
    assert_eq!(out["batchItemFailures"], json!([]), "failed runs are the retry queue's, not SQS's");
    let completions = drain(&h, QueueName::PhaseEvents).await;
    let (statuses, later): (Vec<_>, Vec<_>) = completions
        .iter()
        .map(|b| {
            let env = props_core::messages::Envelope::parse(b).unwrap();
            assert_eq!(env.kind, MessageKind::ProcessorCompleted);
            let p: props_core::messages::ProcessorCompleted = env.payload().unwrap();
            (env.game_date, p.processor, serde_json::to_value(p.status).unwrap().as_str().unwrap().to_string())
        })
        .partition(|(date, _, _)| *date == day);
    // Yesterday's team box scores change today's and tomorrow's upcoming contexts (rest, form):
    // they are re-run too, after the day's own summaries (here without a schedule: failed).
    let later: Vec<(GameDate, String)> = later.into_iter().map(|(d, p, _)| (d, p)).collect();
    let contexts = ["upcoming_player_game_context", "upcoming_team_game_context"];
    assert_eq!(
        later,
        [day.next(), day.next(), day.next().next(), day.next().next()]
            .into_iter()
            .zip(contexts.iter().chain(contexts.iter()).map(|p| p.to_string()))
            .collect::<Vec<_>>(),
        "the later dates' contexts"
    );
    let statuses: Vec<(String, String)> = statuses.into_iter().map(|(_, p, s)| (p, s)).collect();
    assert_eq!(
        statuses,
        [
            ("team_offense_game_summary".to_string(), "success".to_string()),
            ("team_defense_game_summary".to_string(), "success".to_string()),
            ("player_game_summary".to_string(), "failed".to_string()),
        ],
        "routed in dependency order, one completion each"
    );

    // (c) Without player box scores the player summary fails, naming the table, until the
    // breaker opens.
    let ps = a.processors().iter().find(|p| p.name() == "player_game_summary").unwrap().clone();
    for _ in 0..4 {
        let rep = execute(&h.ctx, ps.as_ref(), day, false).await.unwrap();
        assert_eq!(rep.status, RunStatus::Failed);
        assert!(rep.error.as_deref().unwrap().contains("player_boxscores has 0 rows"), "{rep:?}");
        h.clock.advance(chrono::Duration::minutes(1));
    }
    assert_eq!(execute(&h.ctx, ps.as_ref(), day, false).await.unwrap().status, RunStatus::CircuitOpen);
    drain(&h, QueueName::PhaseEvents).await;

    // The player game log arrives: its TableUpdated wakes the player summary, the breaker
    // auto-resets because the inputs are there, and the run succeeds.
    let bytes = src.get(&nba_stats::gamelog(&src.urls, day, SeasonType::RegularSeason, PlayerOrTeam::Player)).await;
    src.land(&h.ctx, Endpoint::Gamelog, day, bytes, &mut seq).await;
    let msgs = drain(&h, QueueName::AnalyticsJobs).await;
    dispatch(&h.ctx, &a, "analytics", sqs(&msgs)).await.unwrap();
    let breaker = CircuitBreaker::for_processor(h.ctx.state.clone(), h.ctx.clock.clone(), "player_game_summary", day);
    assert_eq!(breaker.admit().await.unwrap(), Admission::Closed);
    let players: Vec<PlayerGameSummaryRow> = h.ctx.tables.read_date(day).await.unwrap();
    assert!(players.len() > 200, "{}", players.len());

    // Usage and TS% against the raw rows, and by hand for named players.
    let teams: Vec<TeamBoxscoreRow> = h.ctx.tables.read_date(day).await.unwrap();
    let raw: Vec<PlayerBoxscoreRow> = h.ctx.tables.read_date(day).await.unwrap();
    let mut checked = 0;
    for b in &raw {
        let s = players.iter().find(|p| p.player_lookup == b.player_lookup).unwrap();
        let t = teams.iter().find(|t| t.team == b.team).unwrap();
        let (Some(fga), Some(fta), Some(tov), Some(min)) = (b.fg_attempted, b.ft_attempted, b.turnovers, b.minutes)
        else {
            assert_eq!(s.usage_rate, None, "{}: a missing count gives null", b.player_lookup);
            continue;
        };
        if min <= 0.0 {
            assert_eq!(s.usage_rate, None);
            continue;
        }
        let team_used = f64::from(t.fg_attempted.unwrap())
            + 0.44 * f64::from(t.ft_attempted.unwrap())
            + f64::from(t.turnovers.unwrap());
        let usage = 100.0 * (f64::from(fga) + 0.44 * f64::from(fta) + f64::from(tov)) * (t.minutes.unwrap() / 5.0)
            / (min * team_used);
        close(s.usage_rate, usage.min(100.0), &format!("{} usage", b.player_lookup));
        assert!(s.usage_rate.unwrap() <= 100.0);
        checked += 1;
    }
    assert!(checked > 150, "{checked}");
    // By hand: Brunson 38 pts, 22 FGA, 9 FTA, 5 TOV in 45 min; NYK 86 FGA, 24 FTA, 16 TOV in 264
    // team minutes (overtime). Maxey 33 pts, 32 FGA, 5 FTA, 4 TOV in 46 min; PHI 92/14/12, 264.
    let p = |lookup: &str| players.iter().find(|r| r.player_lookup == lookup).unwrap();
    close(p("jalenbrunson").usage_rate, 32.272_921_108_742, "Brunson usage");
    close(p("jalenbrunson").ts_pct, 38.0 / (2.0 * 25.96), "Brunson TS%");
    close(p("tyresemaxey").usage_rate, 39.802_974_329_828_55, "Maxey usage");
    close(p("tyresemaxey").ts_pct, 33.0 / (2.0 * 34.2), "Maxey TS%");
    let off: Vec<TeamOffenseGameSummaryRow> = h.ctx.tables.read_date(day).await.unwrap();
    let nyk = off.iter().find(|o| o.team == "NYK").unwrap();
    close(nyk.possessions, 97.56, "NYK possessions = 86 + 10.56 + 16 - 15");
    close(nyk.pace, 97.56 * 48.0 / 52.8, "NYK pace");
    assert_eq!((nyk.overtime_periods, nyk.win_flag, nyk.margin), (Some(1), Some(true), Some(6)));

    // The spot check recomputes a sample from the raw tables by its own code path: all agree...
    let sc = props_alerts::spot_check::run(&h.ctx, day, 1000).await.unwrap();
    assert!(sc.compared > 500, "{}", sc.compared);
    assert_eq!(sc.agreed, sc.compared, "{:?}", sc.disagreements);
    // ... and a wrong stored value is caught and named.
    let mut corrupted = players.clone();
    let i = corrupted.iter().position(|r| r.player_lookup == "jalenbrunson").unwrap();
    corrupted[i].points = Some(37);
    h.ctx.tables.replace(day, corrupted).await.unwrap();
    let sc = props_alerts::spot_check::run(&h.ctx, day, 1000).await.unwrap();
    assert_eq!(sc.compared - sc.agreed, 1);
    assert_eq!(sc.disagreements[0].what, "jalenbrunson points");
    assert_eq!((sc.disagreements[0].stored.as_str(), sc.disagreements[0].recomputed.as_str()), ("37.00", "38.00"));
}
