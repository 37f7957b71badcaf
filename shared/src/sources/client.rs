//! The sources as a handler sees them: base URLs from configuration, the one fetcher, and each
//! host's breaker in the state store, so a scraper cannot forget the breaker or the policy.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::SourceUrls;
use crate::context::Context;
use crate::pipeline::circuit::{BreakerConfig, CircuitBreaker};
use crate::ports::{StateError, StateStore};
use crate::sources::fetch::{FetchOutcome, FetchSetupError, Fetcher};
use crate::sources::request::{Host, SourceRequest};

#[derive(Clone)]
pub struct SourceClient {
    fetcher: Fetcher,
    urls: SourceUrls,
    state: Arc<dyn StateStore>,
    clock: Arc<dyn Clock>,
    breaker: BreakerConfig,
}

impl SourceClient {
    pub fn new(
        fetcher: Fetcher,
        urls: SourceUrls,
        state: Arc<dyn StateStore>,
        clock: Arc<dyn Clock>,
        breaker: BreakerConfig,
    ) -> Self {
        Self { fetcher, urls, state, clock, breaker }
    }

    /// Production policy, configured base URLs and key, breakers in the context's state store.
    pub fn from_context(ctx: &Context) -> Result<Self, FetchSetupError> {
        Ok(Self::new(
            Fetcher::from_config(&ctx.config)?,
            ctx.config.sources.clone(),
            ctx.state.clone(),
            ctx.clock.clone(),
            BreakerConfig::default(),
        ))
    }

    pub fn urls(&self) -> &SourceUrls {
        &self.urls
    }

    pub fn breaker(&self, host: Host) -> CircuitBreaker {
        CircuitBreaker::new(self.state.clone(), self.clock.clone(), &format!("source#{}", host.as_str()), self.breaker)
    }

    /// Fetches through the request's host breaker. `Err` only when the state store fails.
    pub async fn fetch(&self, req: &SourceRequest) -> Result<FetchOutcome, StateError> {
        self.breaker(req.host).fetch(&self.fetcher, req).await
    }
}
