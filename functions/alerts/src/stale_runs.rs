//! `stale-run-cleanup` (every 30 min): a run still `running` after the limit (default 4 h) has
//! lost its process (timeout, crash, OOM); it is marked `failed` with the reason so that status
//! and recovery see the truth, and one message lists them all.
//!
//! A clean pass posts nothing: a message every 30 minutes saying "nothing stale" would train
//! people to ignore the channel, and daily-health already reports that the pipeline is alive.

use async_trait::async_trait;
use props_core::Context;
use props_core::events::{EventKind, NewEvent};
use props_core::lambda::{HandlerError, JsonHandler};
use props_core::pipeline::runs::{fail_stale, stale_runs};
use serde_json::Value;

use crate::job::Job;
use crate::report::{Check, Report, Status, list};
use crate::settings::Settings;

pub const JOB: &str = "stale-run-cleanup";

pub struct StaleRunCleanup {
    pub settings: Settings,
}

impl StaleRunCleanup {
    pub fn from_env() -> Result<Self, props_core::config::ConfigError> {
        Ok(Self { settings: Settings::from_env()? })
    }
}

#[async_trait]
impl JsonHandler for StaleRunCleanup {
    async fn handle(&self, ctx: &Context, input: Value) -> Result<Value, HandlerError> {
        let job = Job::start(ctx, JOB, &input).await?;
        let report = cleanup(ctx, &self.settings, &job).await?;
        let send = report.worst() != Status::Pass;
        Ok(job.finish(ctx, report, send).await)
    }
}

/// Fails every stale run. A store error here is transient for the whole job (nothing was
/// decided yet); the schedule runs it again in 30 minutes.
pub async fn cleanup(ctx: &Context, s: &Settings, job: &Job) -> Result<Report, HandlerError> {
    let now = ctx.clock.now();
    let hours = s.stale_run_after.num_minutes() as f64 / 60.0;
    let runs = stale_runs(ctx.state.as_ref(), now, s.stale_run_after)
        .await
        .map_err(|e| HandlerError::Transient(e.to_string()))?;
    let mut r = Report::new(JOB, job.date);
    for run in &runs {
        let processor = run.get_str("processor").unwrap_or("?").to_string();
        let date = run.get_str("game_date").unwrap_or("?").to_string();
        let started = run.get_str("started_at").unwrap_or("?").to_string();
        let reason = format!("still running after {hours} h (started {started}); marked failed by stale-run-cleanup");
        let name = format!("{processor} {date}");
        match fail_stale(ctx.state.as_ref(), run, &reason, now).await {
            Ok(true) => {
                let mut e = NewEvent::new(EventKind::Error, job.date)
                    .processor(processor.as_str())
                    .status("failed")
                    .message(reason);
                if let Ok(d) = date.parse() {
                    e.game_date = d;
                }
                job.event(e).await;
                r.push(Check::new(name, Status::Warn, format!("started {started}, marked failed")));
            }
            // It finished on its own between the query and the write: nothing to report.
            Ok(false) => {}
            Err(e) => r.push(Check::broken(name, &e)),
        }
    }
    let failed: Vec<&str> = r.failing().map(|c| c.name.as_str()).collect();
    if !failed.is_empty() {
        r.headline = Some(format!("{} stale run(s) marked failed: {}", failed.len(), list(&failed, 3)));
    }
    r.fields.push(("stale after".into(), format!("{hours} h")));
    Ok(r)
}
