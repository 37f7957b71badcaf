//! Everything a handler needs, built once from configuration: the four ports, the clock, the
//! table layer. The choice between embedded and AWS adapters is made here and nowhere else, and
//! so is the request counting: every context counts its storage and queue calls.

use std::sync::Arc;

use crate::adapters::aws::{DynamoStateStore, S3BlobStore, SqsQueue, load_sdk_config, read_secure_parameter};
use crate::adapters::local::{DirBlobStore, MemoryQueue, SqliteStateStore};
use crate::clock::{Clock, SystemClock};
use crate::config::{Backend, Config, ConfigError};
use crate::metrics::{CountingBlobStore, CountingQueue, CountingStateStore, RequestCounts, RequestMetrics};
use crate::notify::{LogNotifier, QuietPeriodNotifier, SlackNotifier};
use crate::ports::{BlobError, BlobStore, Notifier, Queue, QueueError, StateError, StateStore};
use crate::retry::RetryPolicy;
use crate::tables::Tables;

#[derive(Clone)]
pub struct Context {
    pub config: Arc<Config>,
    pub blobs: Arc<dyn BlobStore>,
    pub state: Arc<dyn StateStore>,
    pub queue: Arc<dyn Queue>,
    pub notifier: Arc<dyn Notifier>,
    pub clock: Arc<dyn Clock>,
    pub tables: Tables,
    /// The counts of the calls made through `blobs`, `state` and `queue`, written once per
    /// invocation (see `events::in_invocation`).
    pub metrics: RequestMetrics,
}

#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

impl Context {
    /// From the process environment, on the wall clock (Lambda, the CLI).
    pub async fn from_env() -> Result<Self, ContextError> {
        Self::build(Config::from_env()?, Arc::new(SystemClock)).await
    }

    pub async fn build(mut config: Config, clock: Arc<dyn Clock>) -> Result<Self, ContextError> {
        let (blobs, state, queue): (Arc<dyn BlobStore>, Arc<dyn StateStore>, Arc<dyn Queue>) = match config.backend {
            Backend::Local => {
                let blobs = DirBlobStore::new(config.data_dir.join(&config.bucket));
                let state = SqliteStateStore::open(config.data_dir.join(format!("{}.sqlite", config.state_table)))?;
                (Arc::new(blobs), Arc::new(state), Arc::new(MemoryQueue::new()))
            }
            Backend::Aws => {
                let sdk = load_sdk_config().await;
                resolve_webhook_param(&sdk, &mut config).await;
                resolve_odds_key_param(&sdk, &mut config).await;
                let blobs = S3BlobStore::new(&sdk, &config.bucket, config.aws_endpoint_url.is_some());
                let state = DynamoStateStore::new(&sdk, &config.state_table);
                let queue = SqsQueue::new(&sdk, &config.queue_prefix, config.queue_urls.clone());
                if config.create_resources {
                    blobs.ensure_bucket().await?;
                    state.ensure_table().await?;
                    queue.ensure_queues().await?;
                }
                (Arc::new(blobs), Arc::new(state), Arc::new(queue))
            }
        };
        let slack: Arc<dyn Notifier> = if config.slack.is_configured() {
            Arc::new(SlackNotifier::new(config.slack.clone(), RetryPolicy::SLACK, config.redactor()))
        } else {
            Arc::new(LogNotifier)
        };
        // Bounded (a year) so that an absurd setting cannot overflow the duration.
        let quiet = chrono::Duration::minutes(config.alert_quiet_minutes.min(525_600) as i64);
        // The quiet-period items are state writes like any other: counted with the rest.
        let counts = Arc::new(RequestCounts::default());
        let counted: Arc<dyn StateStore> = Arc::new(CountingStateStore::new(state.clone(), counts.clone()));
        let notifier = Arc::new(QuietPeriodNotifier::new(slack, counted, clock.clone(), quiet));
        Ok(Self::assemble(config, blobs, state, queue, notifier, clock, counts))
    }

    /// Wraps the given ports in request counters: pass the adapters themselves, not the ports
    /// of another context (their calls would be counted twice).
    pub fn from_parts(
        config: Config,
        blobs: Arc<dyn BlobStore>,
        state: Arc<dyn StateStore>,
        queue: Arc<dyn Queue>,
        notifier: Arc<dyn Notifier>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self::assemble(config, blobs, state, queue, notifier, clock, Arc::default())
    }

    fn assemble(
        config: Config,
        blobs: Arc<dyn BlobStore>,
        state: Arc<dyn StateStore>,
        queue: Arc<dyn Queue>,
        notifier: Arc<dyn Notifier>,
        clock: Arc<dyn Clock>,
        counts: Arc<RequestCounts>,
    ) -> Self {
        let metrics = RequestMetrics::new(counts.clone(), state.clone(), clock.clone());
        let blobs: Arc<dyn BlobStore> = Arc::new(CountingBlobStore::new(blobs, counts.clone()));
        let state: Arc<dyn StateStore> = Arc::new(CountingStateStore::new(state, counts.clone()));
        let queue: Arc<dyn Queue> = Arc::new(CountingQueue::new(queue, counts));
        let tables = Tables::new(blobs.clone(), clock.clone());
        Self { config: Arc::new(config), blobs, state, queue, notifier, clock, tables, metrics }
    }
}

/// In AWS the default webhook is an SSM SecureString named by `SLACK_WEBHOOK_PARAM`, read once
/// here (once per cold start). An explicit `SLACK_WEBHOOK_URL` wins. Failure is never fatal:
/// the function still runs, alerts go to the log, and the log says why (never the value).
async fn resolve_webhook_param(sdk: &aws_config::SdkConfig, config: &mut Config) {
    let Some(name) = config.slack_webhook_param.clone() else { return };
    if config.slack.default.as_ref().is_some_and(|s| !s.is_empty()) {
        return;
    }
    match read_secure_parameter(sdk, &name).await {
        Ok(url) => config.slack.default = Some(url),
        Err(e) => tracing::error!("slack webhook unavailable, alerts go to the log: {e}"),
    }
}

/// In AWS the Odds API key is an SSM SecureString named by `ODDS_API_KEY_PARAM`, read once per
/// cold start; an explicit `ODDS_API_KEY` wins. Failure is not fatal here: Odds API jobs then
/// fail with "ODDS_API_KEY is not configured" while every other source keeps working.
async fn resolve_odds_key_param(sdk: &aws_config::SdkConfig, config: &mut Config) {
    let Some(name) = config.odds_api_key_param.clone() else { return };
    if config.odds_api_key.as_ref().is_some_and(|s| !s.is_empty()) {
        return;
    }
    match read_secure_parameter(sdk, &name).await {
        Ok(key) => config.odds_api_key = Some(key),
        Err(e) => tracing::error!("odds api key unavailable, odds jobs will fail: {e}"),
    }
}
