//! `scrape`: consumes `ScrapeJob` from `scrape-jobs`. One job = one request.
//!
//! Outcomes (status in `scraper_executions`, then what the queue does):
//! - payload fetched and parsed: `success` (or `no_data` with 0 records: an empty day is not an
//!   error) → stored, announced, acknowledged;
//! - fetched but valid JSON the parser refuses: `failed`, but the payload IS stored and
//!   announced, and the record is acknowledged: re-fetching would get the same bytes, and phase
//!   2 quarantines and alerts it (DESIGN §8). Invalid or truncated JSON and HTML never get
//!   here: the fetch policy already retried them as transient;
//! - 404 for play-by-play or an event's odds: `no_data` (old games have no play-by-play; an
//!   event the Odds API no longer knows has no odds);
//! - permanent failure (4xx, an API error body, no API key): `failed` → `HandlerError::Permanent`
//!   (SQS redelivers a few times, then the DLQ keeps it);
//! - transient failure after the policy's 3 attempts: `failed` → `HandlerError::Transient`;
//! - the host's circuit is open: `deferred`, nothing sent → `HandlerError::Transient`, so SQS
//!   redelivers it after the visibility timeout (15 min, longer than the breaker's 5 min).

use async_trait::async_trait;
use bytes::Bytes;
use props_core::Context;
use props_core::GameDate;
use props_core::events::{EventKind, NewEvent, emit};
use props_core::failpoint::{self, Step};
use props_core::lambda::{EnvelopeHandler, HandlerError};
use props_core::messages::{Envelope, RawPayloadStored, ScrapeJob};
use props_core::ports::QueueName;
use props_core::sources::parse::{PayloadKind, parse_odds_events, parse_to_json};
use props_core::sources::{BreakerConfig, FailureClass, FailureKind, FetchFailure, FetchSettings, Fetcher, HttpClient};
use props_core::sources::{SourceClient, SourceRequest};
use props_core::tables::rows::orchestration::ScraperExecution;

use crate::enqueue::{hour_slot, send_jobs};
use crate::executions::{ExecStatus, ExecutionLog, clip, parameters};
use crate::fanout::event_odds_jobs;
use crate::jobs::JobSpec;
use crate::planner::state::record_scrape;
use crate::store;

pub const FUNCTION: &str = "scrape";

pub struct Scrape {
    settings: FetchSettings,
    log: ExecutionLog,
    /// Built on the first job, reused by the next ones (see [`Fetcher::http_client`]).
    http: std::sync::OnceLock<HttpClient>,
}

impl Scrape {
    /// The production fetch policy (2 s backoff base).
    pub fn production() -> Self {
        Self::with_settings(FetchSettings::DEFAULT)
    }

    /// Another policy (tests and local replays shorten the backoff).
    pub fn with_settings(settings: FetchSettings) -> Self {
        Self { settings, log: ExecutionLog::default(), http: std::sync::OnceLock::new() }
    }

    /// The sources as this context configures them. Built per job (a handler may serve several
    /// contexts: the CLI, tests) on the handler's one HTTP client.
    fn client(&self, ctx: &Context) -> Result<SourceClient, HandlerError> {
        let http = match self.http.get() {
            Some(c) => c.clone(),
            None => {
                let c = Fetcher::http_client(self.settings).map_err(|e| HandlerError::Transient(e.to_string()))?;
                self.http.get_or_init(|| c).clone()
            }
        };
        let fetcher = Fetcher::with_client(http, self.settings, ctx.config.odds_api_key.clone(), ctx.config.redactor());
        Ok(SourceClient::new(
            fetcher,
            ctx.config.sources.clone(),
            ctx.state.clone(),
            ctx.clock.clone(),
            BreakerConfig::SOURCE,
        ))
    }

    /// Runs one job and buffers its execution row.
    pub async fn run(&self, ctx: &Context, envelope: &Envelope) -> Result<ExecStatus, HandlerError> {
        let job: ScrapeJob = envelope.payload().map_err(|e| HandlerError::Permanent(e.to_string()))?;
        let redactor = ctx.config.redactor();
        let started_at = ctx.clock.now();
        let mut row = ScraperExecution {
            game_date: envelope.game_date,
            execution_id: format!(
                "{}-{}",
                envelope.idempotency_key.chars().take(12).collect::<String>(),
                started_at.format("%Y%m%dT%H%M%S%3fZ")
            ),
            scraper: job.source.chars().take(60).collect(),
            workflow: job.workflow.chars().take(60).collect(),
            status: ExecStatus::Failed.as_str().into(),
            attempts: 0,
            http_status: None,
            duration_ms: 0,
            bytes: 0,
            records: 0,
            error_message: None,
            parameters: parameters(&job.params, &redactor),
            url: None,
            raw_key: None,
            unchanged: false,
            quota_remaining: None,
            backfill: envelope.backfill,
            started_at,
            processed_at: started_at,
            data_hash: String::new(),
        };
        let scraper = row.scraper.clone();
        let event = |kind| {
            NewEvent::new(kind, envelope.game_date)
                .phase(1)
                .processor(scraper.clone())
                .correlation(envelope.correlation_id.clone())
        };
        emit(event(EventKind::Start).message(format!("{} ({})", row.scraper, row.workflow))).await;
        let result = self.execute(ctx, envelope, &job, &mut row).await;
        let status = match &result {
            Ok(s) => *s,
            Err((s, e)) => {
                row.error_message.get_or_insert_with(|| clip(&e.to_string(), &redactor));
                *s
            }
        };
        row.status = status.as_str().into();
        if let Some(m) = row.error_message.take() {
            row.error_message = Some(clip(&m, &redactor));
        }
        tracing::info!(
            scraper = %row.scraper, workflow = %row.workflow, game_date = %row.game_date, status = %row.status,
            attempts = row.attempts, records = row.records, raw_key = row.raw_key.as_deref().unwrap_or(""),
            error = row.error_message.as_deref().unwrap_or(""), "scrape finished"
        );
        if row.attempts > 1 {
            let m = format!("{} attempts (the fetch policy retried transient failures)", row.attempts);
            emit(event(EventKind::Retry).status(status.as_str()).message(m)).await;
        }
        let (kind, message) = match status {
            ExecStatus::Success | ExecStatus::NoData => {
                let what = match (&row.raw_key, row.unchanged) {
                    (Some(_), true) => "payload unchanged, not stored again".to_string(),
                    (Some(k), false) => format!("stored {k}"),
                    (None, _) => row.error_message.clone().unwrap_or_default(),
                };
                (EventKind::Complete, format!("{} records; {what}", row.records))
            }
            ExecStatus::Deferred => (EventKind::Skip, row.error_message.clone().unwrap_or_default()),
            ExecStatus::Failed => (EventKind::Error, row.error_message.clone().unwrap_or_default()),
        };
        emit(event(kind).status(status.as_str()).message(message)).await;
        if let Err(e) = record_scrape(ctx, &job.workflow, envelope.game_date, &job.source, status).await {
            tracing::warn!(error = %e, "workflow item not updated");
        }
        if self.log.push(row) {
            self.log.flush(ctx).await;
        }
        result.map_err(|(_, e)| e)
    }

    async fn execute(
        &self,
        ctx: &Context,
        envelope: &Envelope,
        job: &ScrapeJob,
        row: &mut ScraperExecution,
    ) -> Result<ExecStatus, (ExecStatus, HandlerError)> {
        let failed = ExecStatus::Failed;
        let spec =
            JobSpec::parse(job, envelope.game_date).map_err(|e| (failed, HandlerError::Permanent(e.to_string())))?;
        let date = spec.raw_date(envelope.game_date);
        row.game_date = date;
        let client = self.client(ctx).map_err(|e| (failed, e))?;
        let req = spec.request(client.urls());
        row.url = Some(ctx.config.redactor().redact(&req.display_url()));
        let outcome = client.fetch(&req).await.map_err(|e| (failed, HandlerError::Transient(e.to_string())))?;
        row.attempts = outcome.attempts as i32;
        row.http_status = outcome.status.map(i32::from);
        row.duration_ms = i64::try_from(outcome.duration.as_millis()).unwrap_or(i64::MAX);
        row.bytes = outcome.bytes as i64;
        row.quota_remaining = outcome.quota.and_then(|q| q.remaining);
        match outcome.result {
            Ok(body) => self.stored(ctx, envelope, job, &spec, &req, date, body, row).await,
            Err(f) => {
                let msg = describe_failure(&req, outcome.attempts, &f);
                if f.class == FailureClass::CircuitOpen {
                    Err((ExecStatus::Deferred, HandlerError::Transient(msg)))
                } else if outcome.status == Some(404) && spec.not_found_is_no_data() {
                    row.error_message = Some(format!("no data: {msg}"));
                    Ok(ExecStatus::NoData)
                } else if f.kind == FailureKind::Permanent {
                    Err((failed, HandlerError::Permanent(msg)))
                } else {
                    Err((failed, HandlerError::Transient(msg)))
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn stored(
        &self,
        ctx: &Context,
        envelope: &Envelope,
        job: &ScrapeJob,
        spec: &JobSpec,
        req: &SourceRequest,
        date: GameDate,
        body: Bytes,
        row: &mut ScraperExecution,
    ) -> Result<ExecStatus, (ExecStatus, HandlerError)> {
        let failed = ExecStatus::Failed;
        let transient = |e: &dyn std::fmt::Display| (failed, HandlerError::Transient(e.to_string()));
        let parsed = parse_to_json(PayloadKind::for_request(req), &body);
        let stored = store::store(ctx, req, date, &body).await.map_err(|e| transient(&e))?;
        row.raw_key = Some(stored.key.clone());
        row.unchanged = stored.unchanged;
        if !stored.unchanged {
            failpoint::hit(Step::AfterRawPayload, &req.endpoint.to_string());
            let p = RawPayloadStored {
                source: req.endpoint.to_string(),
                key: stored.key.clone(),
                sha256: stored.sha256.clone(),
                bytes: stored.bytes,
            };
            let env =
                Envelope::new(&p, date, 1, FUNCTION, &envelope.correlation_id, ctx.clock.now(), envelope.backfill)
                    .map_err(|e| transient(&e))?;
            ctx.queue.send(QueueName::RawPayloads, &env.to_json()).await.map_err(|e| transient(&e))?;
            store::remember(ctx, req, date, &stored).await.map_err(|e| transient(&e))?;
        }
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                row.error_message = Some(format!(
                    "{}: stored at {} but the {} parser refuses it: {e}; phase 2 quarantines it (not retried: a refetch returns the same payload)",
                    req.endpoint, stored.key, e.parser
                ));
                return Ok(failed);
            }
        };
        row.records = parsed.records as i64;
        if let JobSpec::Events(query) = spec {
            if let Ok(events) = parse_odds_events(&body) {
                let slot = hour_slot(ctx.clock.now());
                for (d, job) in event_odds_jobs(query, &job.workflow, envelope.game_date, &events) {
                    send_jobs(ctx, &[job], d, &slot, FUNCTION, &envelope.correlation_id, envelope.backfill)
                        .await
                        .map_err(|e| transient(&e))?;
                }
            }
        }
        Ok(if parsed.records == 0 { ExecStatus::NoData } else { ExecStatus::Success })
    }
}

/// What went wrong, for a human: which source, what that kind of failure means, how many
/// attempts, and the policy's (redacted) message.
pub fn describe_failure(req: &SourceRequest, attempts: u32, f: &FetchFailure) -> String {
    let hint = match f.class {
        FailureClass::RateLimited => "the source kept rate-limiting us",
        FailureClass::ServerError => "the source answered with server errors",
        FailureClass::Timeout => "the source did not answer in time",
        FailureClass::Connection => "the connection to the source failed",
        FailureClass::HtmlPage => "the source answered with a web page (a captcha or block page?) instead of data",
        FailureClass::InvalidJson => "the source sent broken or truncated JSON",
        FailureClass::ClientError => "the source refused the request",
        FailureClass::ApiError => "the API refused the request",
        FailureClass::Misconfigured => "the request cannot be made as configured",
        FailureClass::CircuitOpen => {
            "the source's circuit breaker is open after repeated failures; the job is deferred and comes back"
        }
    };
    let tries = match attempts {
        0 => "nothing sent".to_string(),
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    };
    format!("{} ({}): {hint} ({tries}): {}", req.endpoint, req.host, f.message)
}

#[async_trait]
impl EnvelopeHandler for Scrape {
    async fn handle(&self, ctx: &Context, envelope: Envelope) -> Result<(), HandlerError> {
        self.run(ctx, &envelope).await.map(|_| ())
    }

    async fn finish(&self, ctx: &Context) {
        self.log.flush(ctx).await;
    }
}
