//! Queues between phases: SQS, or in-process queues drained by the local runner.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;

/// Every queue of the system (DESIGN §1). Each has a dead-letter twin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueueName {
    ScrapeJobs,
    RawPayloads,
    AnalyticsJobs,
    PrecomputeJobs,
    PredictJobs,
    PublishJobs,
    PhaseEvents,
}

impl QueueName {
    pub const ALL: [QueueName; 7] = [
        QueueName::ScrapeJobs,
        QueueName::RawPayloads,
        QueueName::AnalyticsJobs,
        QueueName::PrecomputeJobs,
        QueueName::PredictJobs,
        QueueName::PublishJobs,
        QueueName::PhaseEvents,
    ];

    /// The queue's name as deployed (`scrape-jobs`), without stage prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueName::ScrapeJobs => "scrape-jobs",
            QueueName::RawPayloads => "raw-payloads",
            QueueName::AnalyticsJobs => "analytics-jobs",
            QueueName::PrecomputeJobs => "precompute-jobs",
            QueueName::PredictJobs => "predict-jobs",
            QueueName::PublishJobs => "publish-jobs",
            QueueName::PhaseEvents => "phase-events",
        }
    }

    /// `SCRAPE_JOBS`, for environment variable names.
    pub fn env_stem(self) -> String {
        self.as_str().replace('-', "_").to_ascii_uppercase()
    }
}

impl fmt::Display for QueueName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for QueueName {
    type Err = QueueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        QueueName::ALL
            .into_iter()
            .find(|q| q.as_str() == s)
            .ok_or_else(|| QueueError::UnknownQueue(s.chars().take(60).collect()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub message_id: String,
    pub body: String,
    /// Opaque handle for `ack` / `release`.
    pub receipt: String,
    /// 1 on first delivery.
    pub receive_count: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueDepth {
    pub visible: u64,
    pub in_flight: u64,
    pub dead_letters: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("unknown queue `{0}`")]
    UnknownQueue(String),
    #[error("queue `{queue}` has no URL configured (set {env} or PROPS_QUEUE_PREFIX)")]
    NotConfigured { queue: QueueName, env: String },
    #[error("message for queue `{queue}` is {size} bytes, over the 256 KiB limit")]
    TooLarge { queue: QueueName, size: usize },
    #[error("queue `{queue}` {op} failed: {message}")]
    Backend { queue: QueueName, op: &'static str, message: String },
}

/// SQS's limit on a message body.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

/// After this many receives without an ack a message goes to the dead-letter queue.
pub const MAX_RECEIVES: u32 = 5;

#[async_trait]
pub trait Queue: Send + Sync {
    async fn send(&self, queue: QueueName, body: &str) -> Result<(), QueueError>;

    async fn send_batch(&self, queue: QueueName, bodies: &[String]) -> Result<(), QueueError> {
        for b in bodies {
            self.send(queue, b).await?;
        }
        Ok(())
    }

    /// Up to `max` visible messages, hidden from other receivers for `visibility`.
    async fn receive(&self, queue: QueueName, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError>;

    /// Done with the message: it is deleted.
    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError>;

    /// Not done: make it visible again now (a failed attempt). It counts toward the DLQ limit.
    async fn release(&self, queue: QueueName, receipt: &str) -> Result<(), QueueError>;

    async fn depth(&self, queue: QueueName) -> Result<QueueDepth, QueueError>;
}

pub(crate) fn check_size(queue: QueueName, body: &str) -> Result<(), QueueError> {
    if body.len() > MAX_MESSAGE_BYTES {
        return Err(QueueError::TooLarge { queue, size: body.len() });
    }
    Ok(())
}
