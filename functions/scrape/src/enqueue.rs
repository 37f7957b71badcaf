//! Sending scrape jobs, once per (workflow, scraper, parameters, slot): the planner runs hourly
//! and may be invoked twice in an hour, and an `odds/events` job may be redelivered; neither
//! may double the requests (the Odds API charges per call). The claim is the shared `MSG#`
//! dedup item; a job whose send fails gives its claim back so the next run can retry it.
//!
//! A crash between the claim and the send loses that job until the next slot (an hour): the
//! planner's next run, self-heal and `props recover` cover it; we chose this over a second
//! "pending send" mechanism.

use chrono::{DateTime, Utc};
use chrono_tz::America::New_York;
use props_core::messages::{Envelope, EnvelopeError, ScrapeJob};
use props_core::pipeline::dedup;
use props_core::ports::{QueueError, QueueName, StateError};
use props_core::tables::canonical_json;
use props_core::tables::row::sha256_hex;
use props_core::{Context, GameDate};

#[derive(Debug, thiserror::Error)]
pub enum EnqueueError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
}

/// The ET hour `YYYY-MM-DDTHH`: the planner's de-duplication slot.
pub fn hour_slot(now: DateTime<Utc>) -> String {
    now.with_timezone(&New_York).format("%Y-%m-%dT%H").to_string()
}

/// The dedup key of a job in a slot.
pub fn dedup_key(job: &ScrapeJob, slot: &str) -> String {
    let basis = format!(
        "scrape|{}|{}|{}|{}",
        job.workflow,
        job.source,
        canonical_json(&serde_json::Value::Object(job.params.clone())),
        slot
    );
    format!("scrape-{}", &sha256_hex(basis.as_bytes())[..32])
}

/// What happened to a batch of jobs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub duplicates: usize,
}

/// Sends each job not yet sent in `slot`, in order, as a phase-1 envelope for `game_date`.
pub async fn send_jobs(
    ctx: &Context,
    jobs: &[ScrapeJob],
    game_date: GameDate,
    slot: &str,
    producer: &str,
    correlation_id: &str,
    backfill: bool,
) -> Result<Sent, EnqueueError> {
    let now = ctx.clock.now();
    let mut out = Sent::default();
    for job in jobs {
        let key = dedup_key(job, slot);
        if !dedup::claim(ctx.state.as_ref(), &key, now, dedup::DEFAULT_TTL).await? {
            out.duplicates += 1;
            continue;
        }
        let env = Envelope::new(job, game_date, 1, producer, correlation_id, now, backfill)?;
        if let Err(e) = ctx.queue.send(QueueName::ScrapeJobs, &env.to_json()).await {
            dedup::release(ctx.state.as_ref(), &key).await?;
            return Err(e.into());
        }
        out.sent += 1;
    }
    Ok(out)
}
