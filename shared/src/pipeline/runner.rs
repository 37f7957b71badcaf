//! Running one processor for one date, the same way in every phase: breaker admission (with
//! auto-reset when the inputs are back), run history, dependency check, the run, the retry
//! queue, and ONE `ProcessorCompleted` to `phase-events` whatever happened.

use async_trait::async_trait;
use rand::Rng;

use super::circuit::{Admission, CircuitBreaker};
use super::completion;
use super::dependencies::{self, Dependency, DependencyReport};
use super::processors::Phase;
use super::retry_queue::{self, RetryScheduled};
use super::runs;
use crate::context::Context;
use crate::events::{EventKind, NewEvent, emit};
use crate::failpoint::{self, Step};
use crate::game_date::GameDate;
use crate::messages::{Envelope, ProcessorCompleted, RunStatus};
use crate::ports::{Alert, QueueName, Severity};

/// What a processor produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// `Success`, `Partial` (some inputs missing) or `NoData` (nothing to compute for the date).
    pub status: RunStatus,
    pub rows: u64,
    pub output_hash: String,
    /// `false` when the partition already held exactly this output.
    pub written: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ProcessorError {
    /// Upstream not ready, throttling, timeouts: retried later.
    #[error("{0}")]
    Transient(String),
    /// Schema, parse, configuration: retrying cannot help.
    #[error("{0}")]
    Permanent(String),
}

impl ProcessorError {
    /// A table read or write failed: storage trouble is transient; a row that does not decode
    /// (or a schema mistake) is not.
    pub fn from_table(e: crate::tables::TableError) -> Self {
        match e {
            crate::tables::TableError::Blob(_) => ProcessorError::Transient(e.to_string()),
            _ => ProcessorError::Permanent(e.to_string()),
        }
    }
}

/// Replaces the date's partition with a processor's rows. An unchanged hash is reported by
/// [`execute`] as `skipped_unchanged`; an empty output is `no_data`; `partial` says an optional
/// input was missing.
pub async fn write_output<R: crate::tables::TableRow>(
    ctx: &Context,
    date: GameDate,
    rows: Vec<R>,
    partial: bool,
) -> Result<Output, ProcessorError> {
    let status = match (rows.is_empty(), partial) {
        (true, _) => RunStatus::NoData,
        (false, true) => RunStatus::Partial,
        (false, false) => RunStatus::Success,
    };
    let w = ctx.tables.replace(date, rows).await.map_err(ProcessorError::from_table)?;
    Ok(Output { status, rows: w.rows as u64, output_hash: w.partition_hash, written: w.written })
}

#[async_trait]
pub trait Processor: Send + Sync {
    fn name(&self) -> &'static str;
    fn phase(&self) -> Phase;
    fn dependencies(&self) -> Vec<Dependency>;
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError>;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunReport {
    pub processor: String,
    pub game_date: GameDate,
    pub status: RunStatus,
    pub rows: u64,
    pub output_hash: String,
    pub error: Option<String>,
    /// The output's number among the processor's outputs for the date (0: no output).
    pub output_seq: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error(transparent)]
    State(#[from] crate::ports::StateError),
    #[error(transparent)]
    Queue(#[from] crate::ports::QueueError),
    #[error(transparent)]
    Envelope(#[from] crate::messages::EnvelopeError),
}

/// Runs `p` for `date`. Infrastructure failures (state, queue) are returned as errors so the
/// message is redelivered; processor failures are recorded and reported, not raised.
pub async fn execute(
    ctx: &Context,
    p: &dyn Processor,
    date: GameDate,
    backfill: bool,
) -> Result<RunReport, RunnerError> {
    let name = p.name();
    let now = ctx.clock.now();
    let redactor = ctx.config.redactor();

    let breaker = CircuitBreaker::for_processor(ctx.state.clone(), ctx.clock.clone(), name, date);
    if let Admission::Rejected { until } = breaker.admit().await? {
        // Auto-reset: if the inputs that kept failing are there now, close at once and run.
        let inputs_back =
            dependencies::check(ctx, &p.dependencies(), date).await.is_ok_and(|r| r.missing_critical.is_none());
        if !inputs_back {
            let report = report(name, date, RunStatus::CircuitOpen, 0, "", Some(format!("circuit_open until {until}")));
            emit(NewEvent::new(EventKind::Skip, date).phase(p.phase().number()).processor(name).status("circuit_open"))
                .await;
            send_completion(ctx, p.phase(), &report, backfill).await?;
            return Ok(report);
        }
        breaker.force_close().await?;
        tracing::info!(processor = name, game_date = %date, "breaker auto-reset: inputs present");
    }

    let run_id = format!("{:016x}", rand::rng().random::<u64>());
    let run = runs::start_run(ctx.state.as_ref(), name, date, &run_id, now).await?;
    emit(NewEvent::new(EventKind::Start, date).phase(p.phase().number()).processor(name)).await;
    let result = match dependencies::check(ctx, &p.dependencies(), date).await {
        Err(e) => Err(ProcessorError::Transient(format!("dependency check failed: {e}"))),
        Ok(deps) => match &deps.missing_critical {
            Some(reason) => Err(ProcessorError::Transient(format!("missing dependency: {reason}"))),
            None => {
                for w in &deps.warnings {
                    tracing::warn!(processor = name, game_date = %date, "{w}");
                }
                p.run(ctx, date, &deps).await
            }
        },
    };
    let end = ctx.clock.now();
    if result.is_ok() {
        failpoint::hit(Step::AfterTableWrite, name);
    }
    let report = match result {
        Ok(out) => {
            let status =
                if out.written || out.status == RunStatus::NoData { out.status } else { RunStatus::SkippedUnchanged };
            run.finish(ctx.state.as_ref(), status_str(status), None, end).await?;
            breaker.record_success().await?;
            retry_queue::mark_succeeded(ctx.state.as_ref(), p.phase().number(), name, date, end).await?;
            let seq = completion::next_output_seq(ctx.state.as_ref(), name, date).await?;
            RunReport { output_seq: seq, ..report(name, date, status, out.rows, &out.output_hash, None) }
        }
        Err(e) => {
            let msg = redactor.redact(&e.to_string());
            run.finish(ctx.state.as_ref(), "failed", Some(&msg), end).await?;
            let opened = breaker.record_failure().await?;
            if opened {
                tracing::warn!(processor = name, game_date = %date, "breaker opened");
            }
            if matches!(e, ProcessorError::Transient(_)) && !backfill {
                let scheduled = retry_queue::record_transient_failure(
                    ctx.state.as_ref(),
                    p.phase().number(),
                    name,
                    date,
                    &msg,
                    end,
                )
                .await?;
                if let RetryScheduled::Scheduled { attempt, due } = &scheduled {
                    let m = format!("retry {attempt} due {due}");
                    emit(NewEvent::new(EventKind::Retry, date).phase(p.phase().number()).processor(name).message(m))
                        .await;
                }
                if let RetryScheduled::FailedPermanent { attempts } = scheduled {
                    let alert = Alert::new(Severity::Error, name, format!("{name} failed permanently for {date}"))
                        .line(format!("{attempts} retries exhausted. Last error: {msg}"))
                        .field("game date", date.to_string());
                    ctx.notifier.notify(&alert).await;
                }
            } else if !backfill {
                let alert = Alert::new(Severity::Error, name, format!("{name} failed for {date} (not retried)"))
                    .line(msg.clone())
                    .field("game date", date.to_string());
                ctx.notifier.notify(&alert).await;
            }
            report(name, date, RunStatus::Failed, 0, "", Some(msg))
        }
    };
    let kind = if report.status == RunStatus::Failed { EventKind::Error } else { EventKind::Complete };
    let mut event =
        NewEvent::new(kind, date).phase(p.phase().number()).processor(name).status(status_str(report.status));
    if let Some(e) = &report.error {
        event = event.message(e.clone());
    }
    emit(event).await;
    send_completion(ctx, p.phase(), &report, backfill).await?;
    failpoint::hit(Step::AfterCompletion, name);
    Ok(report)
}

/// Runs `ps` for `date` one after the other (callers pass them in dependency order). An
/// infrastructure error stops the batch: the message that asked for it comes back.
pub async fn execute_all(
    ctx: &Context,
    ps: &[std::sync::Arc<dyn Processor>],
    date: GameDate,
    backfill: bool,
) -> Result<Vec<RunReport>, (String, RunnerError)> {
    let mut reports = Vec::new();
    for p in ps {
        let r = execute(ctx, p.as_ref(), date, backfill).await.map_err(|e| (p.name().to_string(), e))?;
        tracing::info!(processor = p.name(), game_date = %date, status = ?r.status, rows = r.rows, "processor run");
        reports.push(r);
    }
    Ok(reports)
}

fn status_str(s: RunStatus) -> &'static str {
    match s {
        RunStatus::Success => "success",
        RunStatus::Partial => "partial",
        RunStatus::NoData => "no_data",
        RunStatus::Failed => "failed",
        RunStatus::SkippedUnchanged => "skipped_unchanged",
        RunStatus::StaleSkipped => "stale_skipped",
        RunStatus::CircuitOpen => "circuit_open",
    }
}

fn report(name: &str, date: GameDate, status: RunStatus, rows: u64, hash: &str, error: Option<String>) -> RunReport {
    RunReport {
        processor: name.to_string(),
        game_date: date,
        status,
        rows,
        output_hash: hash.to_string(),
        error,
        output_seq: 0,
    }
}

async fn send_completion(ctx: &Context, phase: Phase, r: &RunReport, backfill: bool) -> Result<(), RunnerError> {
    let payload = ProcessorCompleted {
        processor: r.processor.clone(),
        status: r.status,
        rows: r.rows,
        output_hash: r.output_hash.clone(),
        error: r.error.clone(),
        output_seq: r.output_seq,
    };
    let env =
        Envelope::new(&payload, r.game_date, phase.number(), &r.processor, &r.output_hash, ctx.clock.now(), backfill)?;
    ctx.queue.send(QueueName::PhaseEvents, &env.to_json()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::clock::Clock;
    use crate::pipeline::dependencies::DateRule;
    use crate::ports::{Queue, QueueName};
    use crate::testkit::Harness;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct TeamBox {
        game_date: GameDate,
        team: String,
        points: i64,
        #[serde(with = "crate::tables::ts")]
        processed_at: DateTime<Utc>,
        data_hash: String,
    }
    crate::table_row!(TeamBox, "team_boxscores", game_date);

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Summary {
        game_date: GameDate,
        team: String,
        doubled: i64,
        #[serde(with = "crate::tables::ts")]
        processed_at: DateTime<Utc>,
        data_hash: String,
    }
    crate::table_row!(Summary, "team_offense_game_summary", game_date);

    /// Doubles every team's points: a stand-in for a real phase-3 processor.
    struct Doubler;

    #[async_trait]
    impl Processor for Doubler {
        fn name(&self) -> &'static str {
            "team_offense_game_summary"
        }
        fn phase(&self) -> Phase {
            Phase::Analytics
        }
        fn dependencies(&self) -> Vec<Dependency> {
            vec![Dependency::critical("team_boxscores", DateRule::SameDay, 2)]
        }
        async fn run(&self, ctx: &Context, date: GameDate, _deps: &DependencyReport) -> Result<Output, ProcessorError> {
            let boxes: Vec<TeamBox> =
                ctx.tables.read_date(date).await.map_err(|e| ProcessorError::Transient(e.to_string()))?;
            let rows: Vec<Summary> = boxes
                .iter()
                .map(|b| Summary {
                    game_date: date,
                    team: b.team.clone(),
                    doubled: b.points * 2,
                    processed_at: b.processed_at,
                    data_hash: String::new(),
                })
                .collect();
            let w = ctx.tables.replace(date, rows).await.map_err(|e| ProcessorError::Permanent(e.to_string()))?;
            Ok(Output {
                status: RunStatus::Success,
                rows: w.rows as u64,
                output_hash: w.partition_hash,
                written: w.written,
            })
        }
    }

    fn d() -> GameDate {
        "2025-01-15".parse().unwrap()
    }

    async fn seed_boxes(h: &Harness) {
        let b = |t: &str, p| TeamBox {
            game_date: d(),
            team: t.into(),
            points: p,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        };
        h.ctx.tables.replace(d(), vec![b("BOS", 110), b("NYK", 101)]).await.unwrap();
    }

    async fn completions(h: &Harness) -> Vec<ProcessorCompleted> {
        let mut out = Vec::new();
        for m in h.queue.receive(QueueName::PhaseEvents, 100, std::time::Duration::from_secs(60)).await.unwrap() {
            out.push(Envelope::parse(&m.body).unwrap().payload().unwrap());
            h.queue.ack(QueueName::PhaseEvents, &m.receipt).await.unwrap();
        }
        out
    }

    #[tokio::test]
    async fn missing_input_fails_naming_the_table_then_the_breaker_auto_resets() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 16, 7, 0, 0).unwrap());
        for i in 0..5 {
            let r = execute(&h.ctx, &Doubler, d(), false).await.unwrap();
            assert_eq!(r.status, RunStatus::Failed, "run {i}");
            assert!(r.error.as_deref().unwrap().contains("team_boxscores has 0 rows"), "{r:?}");
            h.clock.advance(Duration::minutes(1));
        }
        let sent = completions(&h).await;
        assert_eq!(sent.len(), 5, "every run emits a completion");
        assert!(sent.iter().all(|c| c.status == RunStatus::Failed));
        let retry =
            h.ctx.state.get(&retry_queue::key(3, "team_offense_game_summary", d()), "RETRY").await.unwrap().unwrap();
        assert_eq!(
            retry.get_str("status"),
            Some("failed_permanent"),
            "transient failures went through the retry queue"
        );
        // open: skipped without running
        let r = execute(&h.ctx, &Doubler, d(), false).await.unwrap();
        assert_eq!(r.status, RunStatus::CircuitOpen);
        assert_eq!(runs::runs_for(h.ctx.state.as_ref(), "team_offense_game_summary", d()).await.unwrap().len(), 5);
        // the data arrives: the upstream check closes the breaker at once and the run succeeds
        seed_boxes(&h).await;
        let r = execute(&h.ctx, &Doubler, d(), false).await.unwrap();
        assert_eq!(r.status, RunStatus::Success);
        assert_eq!(r.rows, 2);
        let breaker =
            CircuitBreaker::for_processor(h.ctx.state.clone(), h.ctx.clock.clone(), "team_offense_game_summary", d());
        assert_eq!(breaker.admit().await.unwrap(), Admission::Closed);
        let retry =
            h.ctx.state.get(&retry_queue::key(3, "team_offense_game_summary", d()), "RETRY").await.unwrap().unwrap();
        assert_eq!(retry.get_str("status"), Some("succeeded"));
    }

    #[tokio::test]
    async fn an_invocation_records_its_runs_in_one_event_log_object() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 16, 7, 0, 0).unwrap());
        seed_boxes(&h).await;
        let runs = async {
            execute(&h.ctx, &Doubler, d(), false).await.unwrap();
            execute(&h.ctx, &Doubler, d(), false).await.unwrap();
        };
        crate::events::in_invocation(&h.ctx, "analytics", "req-1".into(), runs).await;
        let events = h.ctx.tables.read_json("pipeline_event_log", d(), d()).await.unwrap();
        let kinds: Vec<(&str, &str)> = events
            .iter()
            .map(|e| (e["event_type"].as_str().unwrap_or(""), e["status"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(
            kinds,
            [("start", ""), ("complete", "success"), ("start", ""), ("complete", "skipped_unchanged")],
            "{events:?}"
        );
        let objects = h.ctx.blobs.list("tables/orchestration/pipeline_event_log/").await.unwrap();
        assert_eq!(objects.len(), 1, "one object per invocation");
    }

    #[tokio::test]
    async fn rerun_is_skipped_unchanged_and_a_changed_input_rewrites() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 16, 7, 0, 0).unwrap());
        seed_boxes(&h).await;
        let first = execute(&h.ctx, &Doubler, d(), false).await.unwrap();
        let again = execute(&h.ctx, &Doubler, d(), false).await.unwrap();
        assert_eq!((first.status, again.status), (RunStatus::Success, RunStatus::SkippedUnchanged));
        assert_eq!(first.output_hash, again.output_hash);
        let b = TeamBox {
            game_date: d(),
            team: "BOS".into(),
            points: 111,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        };
        let n = TeamBox { team: "NYK".into(), points: 101, ..b.clone() };
        h.ctx.tables.replace(d(), vec![b, n]).await.unwrap();
        let changed = execute(&h.ctx, &Doubler, d(), false).await.unwrap();
        assert_eq!(changed.status, RunStatus::Success);
        assert_ne!(changed.output_hash, first.output_hash);
    }

    #[tokio::test]
    async fn a_crash_after_the_write_converges_when_the_message_is_redelivered() {
        let h = Harness::new(Utc.with_ymd_and_hms(2025, 1, 16, 7, 0, 0).unwrap());
        seed_boxes(&h).await;
        // The process wrote the table and died before finishing the run or emitting.
        runs::start_run(h.ctx.state.as_ref(), "team_offense_game_summary", d(), "crashed", h.clock.now())
            .await
            .unwrap();
        let crashed = Doubler.run(&h.ctx, d(), &DependencyReport::default()).await.unwrap();
        assert!(completions(&h).await.is_empty());
        // SQS redelivers the job: same tables, and the completion is emitted this time.
        h.clock.advance(Duration::minutes(15));
        let r = execute(&h.ctx, &Doubler, d(), false).await.unwrap();
        assert_eq!(r.status, RunStatus::SkippedUnchanged);
        assert_eq!(r.output_hash, crashed.output_hash);
        let sent = completions(&h).await;
        assert_eq!(sent.len(), 1);
        assert!(sent[0].status.is_complete());
        // the crashed run is what stale-run cleanup will find after 4 h
        let stale = runs::stale_runs(h.ctx.state.as_ref(), h.clock.now() + Duration::hours(4), Duration::hours(4))
            .await
            .unwrap();
        assert_eq!(stale.len(), 1);
        assert!(stale[0].sk.ends_with("#crashed"));
    }
}
