//! Suppressing repeats: the same alert (same source and title) raised again within a quiet
//! period is not sent again. Jobs that run every 15–30 minutes would otherwise page a human
//! with the same finding all night.
//!
//! The quiet period lives in the state store, not in memory (Lambda instances come and go):
//! ONE conditional write claims the right to send — it succeeds when no mark exists or the
//! previous one has expired — so two instances racing on the same alert send it once. The mark
//! carries a `ttl` so the store cleans it up. A delivery that fails releases its mark: a lost
//! alert must not silence the next attempt.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Duration;

use crate::clock::Clock;
use crate::ports::notifier::{Alert, Delivery, Notifier};
use crate::ports::state::{Condition, Item, StateStore, attr};
use crate::tables::row::sha256_hex;

/// The sort key of quiet-period marks.
pub const QUIET_SK: &str = "QUIET";

/// The state item key of an alert's quiet period: a hash, so that titles (which may carry
/// free text) never become keys.
pub fn quiet_key(alert: &Alert) -> String {
    let digest = sha256_hex(format!("{}\n{}", alert.source, alert.title).as_bytes());
    format!("ALERT#{}", &digest[..24])
}

pub struct QuietPeriodNotifier {
    inner: Arc<dyn Notifier>,
    state: Arc<dyn StateStore>,
    clock: Arc<dyn Clock>,
    quiet: Duration,
}

impl QuietPeriodNotifier {
    pub fn new(inner: Arc<dyn Notifier>, state: Arc<dyn StateStore>, clock: Arc<dyn Clock>, quiet: Duration) -> Self {
        Self { inner, state, clock, quiet }
    }
}

#[async_trait]
impl Notifier for QuietPeriodNotifier {
    async fn notify(&self, alert: &Alert) -> Delivery {
        if self.quiet <= Duration::zero() {
            return self.inner.notify(alert).await;
        }
        let now = self.clock.now();
        let until = (now + self.quiet).timestamp();
        let pk = quiet_key(alert);
        let mark = Item::new(&pk, QUIET_SK)
            .with("quiet_until", until)
            .with("source", alert.source.as_str())
            .with("severity", alert.severity.as_str())
            .with(attr::TTL, until);
        let free = Condition::Or(vec![Condition::NotExists, Condition::le("quiet_until", now.timestamp())]);
        match self.state.put(mark, Some(free)).await {
            Ok(()) => {}
            Err(e) if e.is_condition_failed() => {
                tracing::info!(source = %alert.source, severity = alert.severity.as_str(), "alert suppressed: repeat within the quiet period");
                return Delivery::Suppressed;
            }
            // Better a duplicate than a lost alert: without the store, send anyway.
            Err(e) => tracing::warn!(source = %alert.source, "quiet-period check unavailable, sending: {e}"),
        }
        let delivery = self.inner.notify(alert).await;
        if matches!(delivery, Delivery::Failed { .. }) {
            let ours = Condition::eq("quiet_until", until);
            if let Err(e) = self.state.delete(&pk, QUIET_SK, Some(ours)).await {
                if !e.is_condition_failed() {
                    tracing::warn!(source = %alert.source, "cannot release the quiet-period mark: {e}");
                }
            }
        }
        delivery
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::SqliteStateStore;
    use crate::clock::ManualClock;
    use crate::notify::RecordingNotifier;
    use crate::ports::Severity;
    use chrono::{TimeZone, Utc};

    struct Failing;
    #[async_trait]
    impl Notifier for Failing {
        async fn notify(&self, _: &Alert) -> Delivery {
            Delivery::Failed { attempts: 3, reason: "HTTP 500".into() }
        }
    }

    fn setup() -> (tempfile::TempDir, Arc<SqliteStateStore>, ManualClock) {
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(SqliteStateStore::open(dir.path().join("s.db")).unwrap());
        (dir, state, ManualClock::new(Utc.with_ymd_and_hms(2025, 1, 15, 13, 0, 0).unwrap()))
    }

    #[tokio::test]
    async fn repeats_within_the_quiet_period_are_suppressed() {
        let (_dir, state, clock) = setup();
        let rec = RecordingNotifier::default();
        let n = QuietPeriodNotifier::new(Arc::new(rec.clone()), state, Arc::new(clock.clone()), Duration::minutes(60));
        let a = Alert::new(Severity::Warning, "freshness-check", "rosters stale");
        let other = Alert::new(Severity::Warning, "freshness-check", "props stale");
        assert_eq!(n.notify(&a).await, Delivery::Logged);
        assert_eq!(n.notify(&other).await, Delivery::Logged, "another cause is not suppressed");
        clock.advance(Duration::minutes(59));
        assert_eq!(n.notify(&a).await, Delivery::Suppressed);
        clock.advance(Duration::minutes(2));
        assert_eq!(n.notify(&a).await, Delivery::Logged, "after the quiet period it is sent again");
        assert_eq!(rec.alerts().len(), 3);
    }

    #[tokio::test]
    async fn a_failed_delivery_does_not_silence_the_next_attempt() {
        let (_dir, state, clock) = setup();
        let failing =
            QuietPeriodNotifier::new(Arc::new(Failing), state.clone(), Arc::new(clock.clone()), Duration::minutes(60));
        let a = Alert::new(Severity::Error, "daily-health", "2 checks failing");
        assert!(matches!(failing.notify(&a).await, Delivery::Failed { .. }));
        let rec = RecordingNotifier::default();
        let n = QuietPeriodNotifier::new(Arc::new(rec.clone()), state, Arc::new(clock), Duration::minutes(60));
        assert_eq!(n.notify(&a).await, Delivery::Logged);
        assert_eq!(rec.alerts().len(), 1);
    }
}
