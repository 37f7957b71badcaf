//! `performance-alert` (07:00 ET): is the champion model getting worse (7-day vs 30-day MAE and
//! win rate), and does a challenger beat it? Read from `system_daily_performance` by column name.

use std::collections::BTreeMap;

use async_trait::async_trait;
use props_core::lambda::{HandlerError, JsonHandler};
use props_core::ports::KeyCondition;
use props_core::{Context, GameDate};
use serde_json::Value;

use crate::data::rows;
use crate::job::Job;
use crate::report::{Check, Report, Status, list};
use crate::settings::Settings;

pub const JOB: &str = "performance-alert";

pub struct PerformanceAlert {
    pub settings: Settings,
}

impl PerformanceAlert {
    pub fn from_env() -> Result<Self, props_core::config::ConfigError> {
        Ok(Self { settings: Settings::from_env()? })
    }
}

#[async_trait]
impl JsonHandler for PerformanceAlert {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let job = Job::start(ctx, JOB, &input).await?;
        let report = check(ctx, &self.settings, job.date).await;
        Ok(job.finish(ctx, report, true).await)
    }
}

/// Pick-weighted MAE and win rate of one system over a window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Window {
    pub days: usize,
    pub picks: f64,
    pub mae: Option<f64>,
    pub win_rate: Option<f64>,
}

fn window(rows: &[&Value], from: &str) -> Window {
    let (mut w_mae, mut s_mae, mut w_wr, mut s_wr, mut days, mut picks) = (0.0, 0.0, 0.0, 0.0, 0, 0.0);
    for r in rows.iter().filter(|r| r.get("game_date").and_then(Value::as_str).is_some_and(|d| d >= from)) {
        let p = r.get("picks").and_then(Value::as_f64).unwrap_or(0.0).max(0.0);
        // A day without picks still has predictions with an error: weight it as one.
        let w = p.max(1.0);
        days += 1;
        picks += p;
        if let Some(m) = r.get("mae").and_then(Value::as_f64) {
            w_mae += w;
            s_mae += w * m;
        }
        if let Some(x) = r.get("win_rate").and_then(Value::as_f64).filter(|_| p > 0.0) {
            w_wr += p;
            s_wr += p * x;
        }
    }
    Window { days, picks, mae: (w_mae > 0.0).then(|| s_mae / w_mae), win_rate: (w_wr > 0.0).then(|| s_wr / w_wr) }
}

/// The champion named by the model registry (`MODEL#{system}` items with `champion` = true),
/// looked up for the systems that have results — no scan — else the configured default.
async fn champion(ctx: &Context, systems: &[String], default: &str) -> String {
    for sys in systems {
        if let Ok(items) = ctx.state.query(&format!("MODEL#{sys}"), KeyCondition::All).await {
            if items.iter().any(|i| i.get_bool("champion") == Some(true)) {
                return sys.clone();
            }
        }
    }
    default.to_string()
}

fn fmt(x: Option<f64>, pct: bool) -> String {
    match x {
        Some(v) if pct => format!("{:.1}%", v * 100.0),
        Some(v) => format!("{v:.2}"),
        None => "n/a".into(),
    }
}

pub async fn check(ctx: &Context, s: &Settings, today: GameDate) -> Report {
    let mut r = Report::new(JOB, today);
    let y = today.prev();
    let (from30, from7) = (y.minus_days(29), y.minus_days(6));
    let all = match rows(ctx, "system_daily_performance", from30, y).await {
        Ok(rows) => rows,
        Err(e) => {
            r.push(Check::broken("performance data", &e));
            return r;
        }
    };
    let mut by_system: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for row in &all {
        if let Some(sys) = row.get("system_id").and_then(Value::as_str) {
            by_system.entry(sys.to_string()).or_default().push(row);
        }
    }
    let systems: Vec<String> = by_system.keys().cloned().collect();
    let champ = champion(ctx, &systems, &s.champion).await;
    r.fields.push(("champion".into(), champ.clone()));
    let (f7, f30) = (from7.to_string(), from30.to_string());
    let stats: BTreeMap<&String, (Window, Window)> =
        by_system.iter().map(|(k, v)| (k, (window(v, &f7), window(v, &f30)))).collect();
    let Some((c7, c30)) = stats.get(&champ).copied().filter(|(w7, _)| w7.mae.is_some()) else {
        r.push(Check::new(
            format!("champion {champ}"),
            Status::Error,
            format!(
                "no graded results since {from7} (systems with results: {})",
                if systems.is_empty() { "none".into() } else { systems.join(", ") }
            ),
        ));
        return r;
    };
    let mae_name = format!("champion {champ} MAE");
    let mae_detail = format!("7-day {} vs 30-day {}", fmt(c7.mae, false), fmt(c30.mae, false));
    r.push(match (c7.mae, c30.mae) {
        (Some(a), Some(b)) if a > b * (1.0 + s.mae_degrade) => {
            Check::new(mae_name, Status::Warn, format!("{mae_detail}: worse by {:.0}%", (a / b - 1.0) * 100.0))
        }
        _ => Check::pass(mae_name, mae_detail),
    });
    let wr_name = format!("champion {champ} win rate");
    let wr_detail = format!(
        "7-day {} vs 30-day {} ({} picks in 7 days)",
        fmt(c7.win_rate, true),
        fmt(c30.win_rate, true),
        c7.picks
    );
    r.push(match (c7.win_rate, c30.win_rate) {
        (Some(a), Some(b)) if a < b - s.win_rate_drop => Check::new(wr_name, Status::Warn, wr_detail),
        _ => Check::pass(wr_name, wr_detail),
    });
    let better: Vec<String> = stats
        .iter()
        .filter(|(sys, _)| ***sys != champ)
        .filter_map(|(sys, (w7, _))| match (w7.mae, c7.mae) {
            (Some(m), Some(cm)) if m < cm => Some(format!("{sys} MAE {m:.2} (win rate {})", fmt(w7.win_rate, true))),
            _ => None,
        })
        .collect();
    r.push(if better.is_empty() {
        Check::pass("challengers", format!("none beats {champ} over 7 days"))
    } else {
        Check::new(
            "challengers",
            Status::Warn,
            format!("beat {champ} ({}) over 7 days: {}", fmt(c7.mae, false), list(&better, 5)),
        )
    });
    r
}
