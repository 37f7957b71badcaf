//! Fetching through a source's circuit breaker: only transient failures (the source is
//! unwell) count; any other answer, a 404 included, shows the source is up and closes it.

use crate::pipeline::circuit::{Admission, CircuitBreaker};
use crate::ports::StateError;
use crate::sources::fetch::{FailureClass, FailureKind, FetchOutcome, Fetcher};
use crate::sources::request::SourceRequest;

impl CircuitBreaker {
    /// Fetches through the breaker. Only transient failures (the source is unwell) count; any
    /// other answer, a 404 included, shows the source is up and closes the breaker.
    pub async fn fetch(&self, fetcher: &Fetcher, req: &SourceRequest) -> Result<FetchOutcome, StateError> {
        if let Admission::Rejected { until } = self.admit().await? {
            return Ok(FetchOutcome::refused(
                req,
                FailureClass::CircuitOpen,
                format!(
                    "{} {}: circuit breaker for {} is open until {}; nothing was sent",
                    req.endpoint,
                    req.display_url(),
                    self.scope(),
                    until.to_rfc3339()
                ),
            ));
        }
        let outcome = fetcher.fetch(req).await;
        match outcome.failure() {
            Some(f) if f.class == FailureClass::Misconfigured => {}
            Some(f) if f.kind == FailureKind::Transient => {
                self.record_failure().await?;
            }
            _ => self.record_success().await?,
        }
        Ok(outcome)
    }
}
