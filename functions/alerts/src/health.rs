//! `daily-health` (08:00 ET, DESIGN §11): is yesterday complete and is today ready? One message
//! naming every failing check, or one INFO summary when all pass.

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::Duration;
use props_core::lambda::{HandlerError, JsonHandler};
use props_core::messages::RunStatus;
use props_core::metrics::read_day;
use props_core::pipeline::circuit::open_breaker_items as open_breakers;
use props_core::pipeline::completion::completions;
use props_core::pipeline::processors::{GAME_SUMMARIES, UPCOMING_CONTEXTS};
use props_core::pipeline::retry_queue::{self, PENDING_INDEX};
use props_core::ports::{KeyCondition, QueueName};
use props_core::{Context, GameDate};
use serde_json::Value;

use crate::data::{distinct, rows, scheduled_games};
use crate::job::Job;
use crate::report::{Check, Report, Status, list, share};
use crate::settings::Settings;

pub const JOB: &str = "daily-health";

pub struct DailyHealth {
    pub settings: Settings,
}

impl DailyHealth {
    pub fn from_env() -> Result<Self, props_core::config::ConfigError> {
        Ok(Self { settings: Settings::from_env()? })
    }
}

#[async_trait]
impl JsonHandler for DailyHealth {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let job = Job::start(ctx, JOB, &input).await?;
        let report = check(ctx, &self.settings, job.date).await;
        Ok(job.finish(ctx, report, true).await)
    }
}

/// Every check for `today` (and its yesterday). Never fails: a check that cannot be evaluated
/// is itself a failing check.
pub async fn check(ctx: &Context, s: &Settings, today: GameDate) -> Report {
    let yesterday = today.prev();
    let mut r = Report::new(JOB, today);
    let games_y = scheduled_games(ctx, yesterday).await;
    let games_t = scheduled_games(ctx, today).await;
    r.push(boxscores(ctx, s, yesterday, &games_y).await);
    for (date, games) in [(yesterday, &games_y), (today, &games_t)] {
        r.push(pipeline_state(ctx, date, date == today, games).await);
    }
    r.push(predictions(ctx, s, today, &games_t).await);
    r.push(grading(ctx, yesterday).await);
    r.push(breakers(ctx).await);
    r.push(retries(ctx).await);
    r.push(dead_letters(ctx, s).await);
    r.push(odds_quota(ctx, s, today).await);
    r.push(spot_check(ctx, s, yesterday, &games_y).await);
    let (check, counts) = requests(ctx, yesterday, today).await;
    r.push(check);
    r.data.insert("requests".into(), counts);
    r
}

/// Storage and queue requests per day (the `METRICS#{date}` items every invocation adds to):
/// yesterday's whole day in the message, and today's so far in the JSON summary. Informational:
/// it fails only when the counts cannot be read.
async fn requests(ctx: &Context, yesterday: GameDate, today: GameDate) -> (Check, Value) {
    let name = format!("requests {yesterday}");
    let (y, t) = match (read_day(ctx.state.as_ref(), yesterday).await, read_day(ctx.state.as_ref(), today).await) {
        (Ok(y), Ok(t)) => (y, t),
        (Err(e), _) | (_, Err(e)) => return (Check::broken(name, &e), Value::Null),
    };
    let counts = serde_json::json!({ yesterday.to_string(): y.to_json(), today.to_string(): t.to_json() });
    let detail = if y.is_empty() { "none recorded".to_string() } else { y.describe() };
    (Check::pass(name, detail), counts)
}

/// Yesterday's derived rows recomputed from the raw tables by an independent code path.
async fn spot_check(ctx: &Context, s: &Settings, y: GameDate, games: &Games) -> Check {
    let name = format!("spot check {y}");
    if !matches!(games, Ok(Some(g)) if !g.is_empty()) {
        return Check::pass(name, "no games to check");
    }
    match crate::spot_check::run(ctx, y, s.spot_check_samples as usize).await {
        Err(e) => Check::broken(name, &e),
        // Missing derived rows are the pipeline-state check's finding; nothing to compare is not a mismatch.
        Ok(sc) if sc.compared == 0 => Check::pass(name, "no derived rows to compare yet"),
        Ok(sc) => {
            let detail = format!("{} of {} values agree ({:.0}%)", sc.agreed, sc.compared, sc.share() * 100.0);
            if sc.share() >= s.spot_check_pass {
                Check::pass(name, detail)
            } else {
                let wrong: Vec<String> = sc
                    .disagreements
                    .iter()
                    .map(|d| format!("{}: stored {} vs {}", d.what, d.stored, d.recomputed))
                    .collect();
                Check::new(name, Status::Warn, format!("{detail}; {}", list(&wrong, 5)))
            }
        }
    }
}

/// The Odds API's remaining requests (its `x-requests-remaining`, recorded on every scrape)
/// against the plan: running out silently would stop every line from arriving.
async fn odds_quota(ctx: &Context, s: &Settings, today: GameDate) -> Check {
    let name = "Odds API quota";
    let executions = match rows(ctx, "scraper_executions", today.minus_days(2), today).await {
        Ok(r) => r,
        Err(e) => return Check::broken(name, &e),
    };
    let latest = executions
        .iter()
        .filter(|r| r.get("scraper").and_then(Value::as_str).is_some_and(|x| x.starts_with("odds/")))
        .filter_map(|r| Some((r.get("started_at")?.as_str()?.to_string(), r.get("quota_remaining")?.as_f64()?)))
        .max_by(|a, b| a.0.cmp(&b.0));
    let Some((at, remaining)) = latest else {
        return Check::pass(name, "no Odds API call recorded in the last 3 days");
    };
    let left = remaining / s.odds_quota_plan as f64;
    let detail = format!("{remaining:.0} of {} requests left ({:.0}%) as of {at}", s.odds_quota_plan, left * 100.0);
    if left < s.odds_quota_warn { Check::new(name, Status::Warn, detail) } else { Check::pass(name, detail) }
}

/// A completion that delivered the processor's output (or proved there was none to deliver).
fn finished(s: RunStatus) -> bool {
    matches!(s, RunStatus::Success | RunStatus::Partial | RunStatus::NoData | RunStatus::SkippedUnchanged)
}

type Games = Result<Option<BTreeSet<String>>, props_core::tables::TableError>;

async fn boxscores(ctx: &Context, s: &Settings, y: GameDate, games: &Games) -> Check {
    let name = format!("box scores {y}");
    let scheduled = match games {
        Err(e) => return Check::broken(name, e),
        Ok(None) => return Check::new(name, Status::Error, format!("the schedule has no partition for {y}")),
        Ok(Some(g)) if g.is_empty() => return Check::pass(name, "no games scheduled"),
        Ok(Some(g)) => g,
    };
    let (players, teams) = match (rows(ctx, "player_boxscores", y, y).await, rows(ctx, "team_boxscores", y, y).await) {
        (Ok(p), Ok(t)) => (distinct(&p, "game_id"), distinct(&t, "game_id")),
        (Err(e), _) | (_, Err(e)) => return Check::broken(name, &e),
    };
    let missing: Vec<&String> = scheduled.iter().filter(|g| !players.contains(*g) || !teams.contains(*g)).collect();
    let covered = scheduled.len() - missing.len();
    let ratio = covered as f64 / scheduled.len() as f64;
    let status = if ratio >= s.boxscore_pass {
        Status::Pass
    } else if ratio >= s.boxscore_warn {
        Status::Warn
    } else if ratio >= s.boxscore_critical {
        Status::Error
    } else {
        Status::Critical
    };
    let mut detail = format!("{} games have player and team box scores", share(covered, scheduled.len()));
    if !missing.is_empty() {
        detail.push_str(&format!("; missing: {}", list(&missing.iter().map(|g| g.as_str()).collect::<Vec<_>>(), 5)));
    }
    Check::new(name, status, detail)
}

/// Phase 3 completions and the 3→4 / 4→5 triggers of a date. Yesterday's must be done;
/// today's may still be on their way (a warning, not an error).
async fn pipeline_state(ctx: &Context, date: GameDate, is_today: bool, games: &Games) -> Check {
    let name = format!("pipeline {date}");
    let has_games = match games {
        Err(e) => return Check::broken(name, e),
        Ok(g) => g.as_ref().is_some_and(|g| !g.is_empty()),
    };
    if !has_games {
        return Check::pass(name, "no games scheduled");
    }
    let late = if is_today { Status::Warn } else { Status::Error };
    let mut status = Status::Pass;
    let mut parts = Vec::new();
    let expected: &[&str] = if is_today { &UPCOMING_CONTEXTS } else { &GAME_SUMMARIES };
    match completions(ctx.state.as_ref(), 3, date).await {
        Err(e) => return Check::broken(name, &e),
        Ok(done) => {
            let ok: Vec<&str> = expected
                .iter()
                .copied()
                .filter(|p| done.iter().any(|c| c.processor == *p && finished(c.status)))
                .collect();
            let missing: Vec<&str> = expected.iter().copied().filter(|p| !ok.contains(p)).collect();
            if !missing.is_empty() {
                status = status.max(late);
                parts.push(format!("phase 3 missing {}", missing.join(", ")));
            } else {
                parts.push(format!("phase 3 {}/{} done", ok.len(), expected.len()));
            }
        }
    }
    for t in ["3to4", "4to5"] {
        let items = match ctx.state.query(&format!("TRIGGER#{t}#{date}"), KeyCondition::All).await {
            Ok(i) => i,
            Err(e) => return Check::broken(name, &e),
        };
        let sent =
            items.iter().filter(|i| !i.sk.starts_with("BLOCKED#") && i.get_str("status") == Some("sent")).count();
        let blocked: Vec<String> = items
            .iter()
            .filter(|i| i.sk.starts_with("BLOCKED#"))
            .map(|i| i.get_str("reason").unwrap_or("no reason recorded").chars().take(160).collect())
            .collect();
        if sent > 0 {
            parts.push(format!("{t} triggered"));
        } else if let Some(reason) = blocked.last() {
            status = status.max(late);
            parts.push(format!("{t} blocked: {reason}"));
        } else {
            status = status.max(late);
            parts.push(format!("{t} not triggered"));
        }
    }
    Check::new(name, status, parts.join("; "))
}

async fn predictions(ctx: &Context, s: &Settings, today: GameDate, games: &Games) -> Check {
    let name = format!("predictions {today}");
    let n_games = match games {
        Err(e) => return Check::broken(name, e),
        Ok(g) => g.as_ref().map_or(0, BTreeSet::len),
    };
    let preds = match rows(ctx, "player_prop_predictions", today, today).await {
        Ok(p) => p,
        Err(e) => return Check::broken(name, &e),
    };
    if preds.is_empty() {
        return if n_games == 0 {
            Check::pass(name, "no games today")
        } else {
            Check::new(name, Status::Critical, format!("no predictions for {n_games} scheduled games"))
        };
    }
    let has_line = |r: &Value| r.get("line").is_some_and(|l| !l.is_null());
    let with_line: BTreeSet<String> =
        distinct(&preds.iter().filter(|r| has_line(r)).cloned().collect::<Vec<_>>(), "player_lookup");
    let predicted: BTreeSet<String> = distinct(
        &preds
            .iter()
            .filter(|r| has_line(r) && r.get("is_active").and_then(Value::as_bool) == Some(true))
            .cloned()
            .collect::<Vec<_>>(),
        "player_lookup",
    );
    if with_line.is_empty() {
        return Check::new(name, Status::Warn, format!("{} rows but no player has a line", preds.len()));
    }
    let ratio = predicted.len() as f64 / with_line.len() as f64;
    let status = if ratio >= s.coverage_pass {
        Status::Pass
    } else if ratio >= s.coverage_warn {
        Status::Warn
    } else {
        Status::Error
    };
    let unpredicted: Vec<&str> = with_line.difference(&predicted).map(String::as_str).collect();
    let mut detail =
        format!("{} players with a line have an active prediction", share(predicted.len(), with_line.len()));
    if !unpredicted.is_empty() {
        detail.push_str(&format!("; without: {}", list(&unpredicted, 5)));
    }
    Check::new(name, status, detail)
}

async fn grading(ctx: &Context, y: GameDate) -> Check {
    let name = format!("grading {y}");
    let counts = (
        ctx.tables.row_count("player_prop_predictions", y, y).await,
        ctx.tables.row_count("prediction_accuracy", y, y).await,
    );
    match counts {
        (Err(e), _) | (_, Err(e)) => Check::broken(name, &e),
        (Ok(0), _) => Check::pass(name, "nothing to grade"),
        (Ok(p), Ok(0)) => {
            Check::new(name, Status::Error, format!("{p} predictions not graded (no prediction_accuracy rows)"))
        }
        (Ok(p), Ok(g)) => Check::pass(name, format!("{g} graded rows for {p} predictions")),
    }
}

async fn breakers(ctx: &Context) -> Check {
    let name = "circuit breakers";
    match open_breakers(ctx.state.as_ref()).await {
        Err(e) => Check::broken(name, &e),
        Ok(open) if open.is_empty() => Check::pass(name, "none open"),
        Ok(open) => {
            let scopes: Vec<String> = open
                .iter()
                .map(|i| {
                    let scope = i.pk.strip_prefix("CIRCUIT#").unwrap_or(&i.pk);
                    match i.get_str("opened_at") {
                        Some(at) => format!("{scope} (since {at})"),
                        None => scope.to_string(),
                    }
                })
                .collect();
            Check::new(name, Status::Warn, format!("{} open: {}", open.len(), list(&scopes, 5)))
        }
    }
}

async fn retries(ctx: &Context) -> Check {
    let name = "retry queue";
    let now = ctx.clock.now();
    let pending = match ctx.state.query_index(PENDING_INDEX, KeyCondition::All).await {
        Ok(p) => p,
        Err(e) => return Check::broken(name, &e),
    };
    let failed = match retry_queue::failed_permanent_since(ctx.state.as_ref(), now - Duration::hours(24)).await {
        Ok(f) => f,
        Err(e) => return Check::broken(name, &e),
    };
    // A pending retry long past due means `retry-failed` is not running.
    let cutoff = (now - Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let overdue = pending.iter().filter(|i| i.get_str("next_retry_at").is_some_and(|t| t < cutoff.as_str())).count();
    let describe = |i: &props_core::ports::Item| {
        format!(
            "{} {} ({})",
            i.get_str("processor").unwrap_or("?"),
            i.get_str("game_date").unwrap_or("?"),
            i.get_str("last_error").unwrap_or("no error recorded").chars().take(120).collect::<String>()
        )
    };
    let detail = format!("{} pending ({overdue} overdue), {} failed permanently in 24 h", pending.len(), failed.len());
    if !failed.is_empty() {
        let which: Vec<String> = failed.iter().map(describe).collect();
        Check::new(name, Status::Error, format!("{detail}: {}", list(&which, 5)))
    } else if overdue > 0 {
        Check::new(name, Status::Warn, detail)
    } else {
        Check::pass(name, detail)
    }
}

async fn dead_letters(ctx: &Context, s: &Settings) -> Check {
    let name = "dead-letter queues";
    let mut worst = Status::Pass;
    let mut parts = Vec::new();
    for q in QueueName::ALL {
        match ctx.queue.depth(q).await {
            Ok(d) if d.dead_letters > 0 => {
                worst = worst.max(if d.dead_letters >= s.dlq_error { Status::Error } else { Status::Warn });
                parts.push(format!("{q}: {}", d.dead_letters));
            }
            Ok(_) => {}
            Err(e) => {
                worst = worst.max(Status::Error);
                parts.push(format!("{q}: depth unavailable ({e})"));
            }
        }
    }
    if parts.is_empty() { Check::pass(name, "all empty") } else { Check::new(name, worst, parts.join(", ")) }
}
