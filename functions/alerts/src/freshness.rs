//! `freshness-check` (09:00 ET): each configured table's LATEST partition must have been written
//! recently (old partitions neither hide a stale latest one nor make it look stale: that is
//! `Tables::freshness`), and every scheduled game of the last days must have reached each source.

use async_trait::async_trait;
use props_core::lambda::{HandlerError, JsonHandler};
use props_core::{Context, GameDate};
use serde_json::Value;

use crate::data::{by_date, rows, scheduled_games};
use crate::job::Job;
use crate::report::{Check, Report, Status, list};
use crate::settings::{FreshnessRule, Settings};

pub const JOB: &str = "freshness-check";

/// Tables that must hold every scheduled game, and how bad a gap is. Play-by-play (`shots`) is
/// an optional source (404 is normal for some games), so its gaps only warn.
pub const GAME_SOURCES: [(&str, Status); 4] = [
    ("player_boxscores", Status::Error),
    ("team_boxscores", Status::Error),
    ("player_game_summary", Status::Error),
    ("shots", Status::Warn),
];

pub struct FreshnessCheck {
    pub settings: Settings,
}

impl FreshnessCheck {
    pub fn from_env() -> Result<Self, props_core::config::ConfigError> {
        Ok(Self { settings: Settings::from_env()? })
    }
}

#[async_trait]
impl JsonHandler for FreshnessCheck {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let job = Job::start(ctx, JOB, &input).await?;
        let report = check(ctx, &self.settings, job.date).await;
        Ok(job.finish(ctx, report, true).await)
    }
}

pub async fn check(ctx: &Context, s: &Settings, today: GameDate) -> Report {
    let mut r = Report::new(JOB, today);
    let game_day = scheduled_games(ctx, today).await.map(|g| g.is_some_and(|g| !g.is_empty()));
    for rule in &s.freshness {
        r.push(table_fresh(ctx, s, rule, today, &game_day).await);
    }
    for c in missing_games(ctx, s, today).await {
        r.push(c);
    }
    r
}

fn hours(d: chrono::Duration) -> String {
    format!("{:.1} h", d.num_minutes() as f64 / 60.0)
}

async fn table_fresh(
    ctx: &Context,
    s: &Settings,
    rule: &FreshnessRule,
    today: GameDate,
    game_day: &Result<bool, props_core::tables::TableError>,
) -> Check {
    let name = format!("freshness {}", rule.table);
    if rule.game_days_only {
        match game_day {
            Err(e) => return Check::broken(name, e),
            Ok(false) => return Check::pass(name, "not a game day"),
            Ok(true) => {}
        }
    }
    let fail = Status::from_severity(rule.severity);
    // Tomorrow is included: upcoming-game tables are written ahead.
    let from = today.minus_days(s.lookback_days);
    match ctx.tables.freshness(&rule.table, from, today.next()).await {
        Err(e) => Check::broken(name, &e),
        Ok(None) => Check::new(name, fail, format!("no partition since {from}")),
        Ok(Some((latest, age))) if age > rule.max_age => Check::new(
            name,
            fail,
            format!("latest partition {latest} was written {} ago (max {})", hours(age), hours(rule.max_age)),
        ),
        Ok(Some((latest, age))) => Check::pass(name, format!("latest partition {latest} written {} ago", hours(age))),
    }
}

/// Per source: scheduled games of the last `lookback_days` (up to yesterday) that it lacks.
async fn missing_games(ctx: &Context, s: &Settings, today: GameDate) -> Vec<Check> {
    let (from, to) = (today.minus_days(s.lookback_days), today.prev());
    let schedule = match rows(ctx, "schedule", from, to).await {
        Ok(r) => by_date(&r, "game_id"),
        Err(e) => return vec![Check::broken("missing games", &e)],
    };
    let scheduled: usize = schedule.values().map(|g| g.len()).sum();
    let mut out = Vec::new();
    for (table, severity) in GAME_SOURCES {
        let name = format!("missing games {table}");
        let have = match rows(ctx, table, from, to).await {
            Ok(r) => by_date(&r, "game_id"),
            Err(e) => {
                out.push(Check::broken(name, &e));
                continue;
            }
        };
        let missing: Vec<String> = schedule
            .iter()
            .flat_map(|(date, games)| {
                let got = have.get(date);
                games.iter().filter(move |g| !got.is_some_and(|h| h.contains(*g))).cloned()
            })
            .collect();
        out.push(if missing.is_empty() {
            Check::pass(name, format!("all {scheduled} games since {from} present"))
        } else {
            Check::new(
                name,
                severity,
                format!("{} of {scheduled} games since {from} missing: {}", missing.len(), list(&missing, 6)),
            )
        });
    }
    out
}
