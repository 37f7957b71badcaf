//! (b) The planner through a scripted day: three games on 2025-01-15 (19:00, 19:30 and
//! 22:00 ET) and one final game the day before. Every hour the planner runs, its jobs are
//! "scraped" (schedule successes recorded, box scores of final games stored) and its decisions
//! must match the table below: which workflows run when, and why the others skip.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, TimeZone, Utc};
use props_core::GameDate;
use props_core::messages::{Envelope, ScrapeJob};
use props_core::ports::QueueName;
use props_core::tables::rows::orchestration::WorkflowDecision;
use props_core::tables::rows::raw::{PlayerBoxscoreRow, ScheduleRow};
use props_core::testkit::Harness;
use props_scrape::executions::ExecStatus;
use props_scrape::planner::{plan, state};
use serde_json::{Value, json};

fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

/// `hour` ET on 2025-01-15 (EST = UTC-5); hours ≥ 24 roll into the next day.
fn et(hour: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 15, 5, 0, 0).unwrap() + Duration::hours(hour)
}

fn game(date: &str, id: &str, nba: &str, tip: DateTime<Utc>, status: i32) -> ScheduleRow {
    let parts: Vec<&str> = id.split('_').collect();
    ScheduleRow {
        game_date: d(date),
        game_id: id.into(),
        nba_game_id: Some(nba.into()),
        season: "2024-25".into(),
        season_type: "regular".into(),
        game_status: status,
        tipoff_at: Some(tip),
        home_team: parts[2].into(),
        away_team: parts[1].into(),
        home_score: None,
        away_score: None,
        processed_at: tip,
        data_hash: String::new(),
    }
}

fn schedule() -> Vec<ScheduleRow> {
    vec![
        game("2025-01-14", "20250114_DEN_CHI", "0022400550", et(-24 + 20), 3),
        game("2025-01-15", "20250115_NYK_BOS", "0022400561", et(19), 1),
        game("2025-01-15", "20250115_ORL_MIA", "0022400562", et(19) + Duration::minutes(30), 1),
        game("2025-01-15", "20250115_UTA_LAC", "0022400563", et(22), 1),
    ]
}

fn box_score(date: GameDate, game_id: &str) -> PlayerBoxscoreRow {
    serde_json::from_value(json!({
        "game_date": date, "game_id": game_id, "nba_game_id": null, "season_type": "regular",
        "player_id": 1, "player_name": "A Player", "player_lookup": "aplayer", "team": "BOS",
        "opponent": "NYK", "home": true, "dnp": false,
        "processed_at": "2025-01-15T00:00:00.000000Z", "data_hash": ""
    }))
    .unwrap()
}

/// Runs the queued jobs the way the scraper would, as far as the planner can see.
async fn scrape_all(h: &Harness) -> Vec<ScrapeJob> {
    let msgs = h.ctx.queue.receive(QueueName::ScrapeJobs, 10_000, StdDuration::from_secs(60)).await.unwrap();
    let mut jobs = Vec::new();
    for m in msgs {
        h.ctx.queue.ack(QueueName::ScrapeJobs, &m.receipt).await.unwrap();
        let env = Envelope::parse(&m.body).unwrap();
        let job: ScrapeJob = env.payload().unwrap();
        state::record_scrape(&h.ctx, &job.workflow, env.game_date, &job.source, ExecStatus::Success).await.unwrap();
        if job.source == "nba/gamelog" && job.params["player_or_team"] == "P" {
            let date = env.game_date;
            let now = h.clock_now();
            let rows: Vec<PlayerBoxscoreRow> = schedule()
                .iter()
                .filter(|g| g.game_date == date)
                .filter(|g| g.game_status == 3 || g.tipoff_at.unwrap() + Duration::hours(3) <= now)
                .map(|g| box_score(date, &g.game_id))
                .collect();
            h.ctx.tables.replace(date, rows).await.unwrap();
        }
        jobs.push(job);
    }
    jobs
}

trait Now {
    fn clock_now(&self) -> DateTime<Utc>;
}
impl Now for Harness {
    fn clock_now(&self) -> DateTime<Utc> {
        use props_core::Clock;
        self.clock.now()
    }
}

#[tokio::test]
async fn a_scripted_day_runs_each_workflow_when_it_should() {
    let h = Harness::new(et(1));
    for (date, rows) in [(d("2025-01-14"), schedule()[..1].to_vec()), (d("2025-01-15"), schedule()[1..].to_vec())] {
        h.ctx.tables.replace(date, rows).await.unwrap();
    }
    // ET hour | schedule_refresh, morning_operations, betting_lines, injury_watch, post_game | jobs | reason fragments
    let table: &[(i64, &str, usize, &[&str])] = &[
        (1, "R S S S R", 1 + 3, &["no successful schedule scrape", "2025-01-14: 1 final game(s)"]),
        (4, "S S S S S", 0, &["less than 6 h", "every final game of yesterday and today has its box scores"]),
        (6, "S R S S S", 31, &["first run today: schedule and 30 rosters", "opens at 07:00 ET"]),
        (7, "S S R S S", 1, &["already ran today at 06:00 ET", "first snapshot today"]),
        (8, "S S S S S", 0, &["last snapshot at 07:00 ET (every 2 h)", "runs 09:00-19:59 ET"]),
        (9, "S S R R S", 1 + 6, &["2-hourly snapshot (last at 07:00 ET)", "rosters of the 6 teams playing today"]),
        (10, "S S S S S", 0, &["already ran today at 06:00 ET", "ran at 09:00 ET (every 2 h)"]),
        (11, "S S R R S", 7, &[]),
        (12, "R S S S S", 1, &["last successful schedule scrape at 06:00 ET"]),
        (13, "S S R R S", 7, &[]),
        (14, "S S S S S", 0, &[]),
        (15, "S S R R S", 7, &[]),
        (16, "S S S S S", 0, &[]),
        (17, "S S R R S", 7, &[]),
        (18, "R S R S S", 2, &["pre-game snapshot for 20250115_NYK_BOS"]),
        (19, "S S R R S", 7, &["pre-game snapshot for 20250115_ORL_MIA"]),
        (20, "S S S S S", 0, &["runs 09:00-19:59 ET on game days"]),
        (21, "S S R S S", 1, &["2-hourly snapshot (last at 19:00 ET); pre-game snapshot for 20250115_UTA_LAC"]),
        (22, "S S S S R", 3, &["2025-01-15: 1 final game(s) without box scores (20250115_NYK_BOS)"]),
        (23, "S S S S S", 0, &["all 3 games have tipped off (last at 22:00 ET)"]),
        (25, "R S S S R", 1 + 4, &["no games on 2025-01-16", "2025-01-15: 2 final game(s)"]),
        (28, "S S S S S", 0, &["every final game of yesterday and today has its box scores"]),
    ];
    for (hour, want, jobs, reasons) in table {
        h.clock.set(et(*hour) + Duration::seconds(7));
        let out: Value = plan(&h.ctx, json!({})).await.unwrap();
        let decisions = out["decisions"].as_array().unwrap();
        let got: Vec<&str> = decisions.iter().map(|x| if x["decision"] == "RUN" { "R" } else { "S" }).collect();
        let all_reasons: Vec<String> = decisions
            .iter()
            .map(|x| format!("{}: {}", x["workflow"].as_str().unwrap(), x["reason"].as_str().unwrap()))
            .collect();
        assert_eq!(got.join(" "), *want, "hour {hour}: {all_reasons:#?}");
        let sent: u64 = decisions.iter().map(|x| x["jobs"].as_u64().unwrap()).sum();
        assert_eq!(sent as usize, *jobs, "hour {hour}: {all_reasons:#?}");
        for r in *reasons {
            assert!(
                all_reasons.iter().any(|x| x.contains(r)),
                "hour {hour}: no reason contains {r:?}: {all_reasons:#?}"
            );
        }
        // A second invocation in the same hour, before the schedule scrape finished, decides
        // the same but enqueues nothing new.
        if *hour == 12 {
            h.clock.set(et(12) + Duration::minutes(1));
            let again = plan(&h.ctx, json!({})).await.unwrap();
            let d0 = &again["decisions"][0];
            assert_eq!(
                (d0["decision"].as_str(), d0["jobs"].as_u64(), d0["duplicates"].as_u64()),
                (Some("RUN"), Some(0), Some(1))
            );
        }
        let scraped = scrape_all(&h).await;
        assert_eq!(scraped.len(), *jobs, "hour {hour}");
    }
    // One decisions object per invocation, five rows each.
    let rows: Vec<WorkflowDecision> = h.ctx.tables.read_date(d("2025-01-15")).await.unwrap();
    assert_eq!(rows.len(), 5 * 21, "20 hours of 2025-01-15 plus the repeated 12:00 run");
    let objects = h.ctx.blobs.list("tables/orchestration/workflow_decisions/game_date=2025-01-15/").await.unwrap();
    assert_eq!(objects.len(), 21);
}

#[tokio::test]
async fn backfill_plans_history_without_rosters() {
    let h = Harness::new(Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap());
    let out = plan(&h.ctx, json!({"backfill": true, "date": "2024-03-15"})).await.unwrap();
    let dec: Vec<(String, String)> = out["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["workflow"].as_str().unwrap().to_string(), x["decision"].as_str().unwrap().to_string()))
        .collect();
    let want = [
        ("schedule_refresh", "RUN"),
        ("morning_operations", "SKIP"),
        ("betting_lines", "RUN"),
        ("injury_watch", "SKIP"),
        ("post_game", "SKIP"),
    ];
    assert_eq!(dec, want.map(|(a, b)| (a.to_string(), b.to_string())), "{out:#}");
    assert!(out.to_string().contains("ESPN has no roster history"));
    let jobs = scrape_all(&h).await;
    let odds = jobs.iter().find(|j| j.source == "odds/events").unwrap();
    assert_eq!(odds.params["date"], "2024-03-15T14:00:00Z", "10:00 EDT");
    assert_eq!(odds.params["pretip_minutes"], 30);
    let msgs_backfill = jobs.len();
    assert_eq!(msgs_backfill, 2);

    // With the season's schedule stored, box scores by date are planned too.
    let g =
        game("2024-03-15", "20240315_NYK_BOS", "0022300961", Utc.with_ymd_and_hms(2024, 3, 15, 23, 30, 0).unwrap(), 3);
    h.ctx.tables.replace(d("2024-03-15"), vec![g]).await.unwrap();
    h.clock.set(h.clock_now() + Duration::hours(1));
    let out = plan(&h.ctx, json!({"backfill": true, "date": "2024-03-15"})).await.unwrap();
    assert_eq!(out["decisions"][0]["decision"], "SKIP");
    assert_eq!(out["decisions"][4]["decision"], "RUN", "{out:#}");
    let jobs = scrape_all(&h).await;
    let sources: Vec<&str> = jobs.iter().map(|j| j.source.as_str()).collect();
    assert_eq!(sources, ["odds/events", "nba/gamelog", "nba/gamelog", "nba/playbyplay"]);

    for (input, want) in [
        (json!({"backfill": true, "date": "2025-03-02"}), "is after today"),
        (json!({"backfill": true}), "backfill needs a `date`"),
        (json!({"date": "2024-03-15"}), "only read with \"backfill\": true"),
        (json!({"surprise": 1}), "unknown field `surprise`"),
    ] {
        let e = plan(&h.ctx, input).await.unwrap_err();
        assert!(!e.is_transient() && e.to_string().contains(want), "{e}");
    }
}
