//! The one circuit breaker, for sources (`source#{name}`) and processors
//! (`proc#{processor}#{date}`) alike. Its state lives in the `StateStore` — not in memory, where
//! the previous system's breaker never opened — and every transition is a conditional write.
//!
//! Closed → (N consecutive failures) → Open → (after `open_for`) → one probe (HalfOpen, claimed
//! by exactly one caller) → success closes, failure re-opens.

use chrono::{DateTime, Duration, Utc};

use crate::ports::state::{Condition, StateError, StateStore, Update};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BreakerPolicy {
    pub failures_to_open: i64,
    pub open_for: Duration,
}

impl BreakerPolicy {
    /// Sources (DESIGN §6): 5 failures, 5 minutes.
    pub const SOURCE: BreakerPolicy = BreakerPolicy { failures_to_open: 5, open_for: Duration::minutes(5) };
    /// Processors (DESIGN §9): 5 failures, 30 minutes.
    pub const PROCESSOR: BreakerPolicy = BreakerPolicy { failures_to_open: 5, open_for: Duration::minutes(30) };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Go ahead.
    Closed,
    /// The open period is over and this caller holds the single probe.
    Probe,
    /// Skip: the breaker is open (or another caller holds the probe) until then.
    Open { until: DateTime<Utc> },
}

pub const STATUS_INDEX_OPEN: &str = "STATUS#circuit_open";

fn pk(scope: &str) -> String {
    format!("CIRCUIT#{scope}")
}
const SK: &str = "CIRCUIT";

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn parse(s: Option<&str>) -> Option<DateTime<Utc>> {
    s.and_then(|s| crate::tables::ts::parse(s).ok())
}

fn swallow_condition(r: Result<crate::ports::Item, StateError>) -> Result<bool, StateError> {
    match r {
        Ok(_) => Ok(true),
        Err(e) if e.is_condition_failed() => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn admit(
    state: &dyn StateStore,
    scope: &str,
    policy: BreakerPolicy,
    now: DateTime<Utc>,
) -> Result<Admission, StateError> {
    let Some(item) = state.get(&pk(scope), SK).await? else { return Ok(Admission::Closed) };
    let opened_at = parse(item.get_str("opened_at"));
    match (item.get_str("state"), opened_at) {
        (Some("open"), Some(at)) | (Some("half_open"), Some(at)) => {
            let until = at + policy.open_for;
            if now < until {
                return Ok(Admission::Open { until });
            }
            // The open period is over (or a probe went silent for a whole period): exactly one
            // caller moves it to half-open with a fresh timestamp and probes.
            let cond = Condition::eq("opened_at", ts(at));
            let claimed = swallow_condition(
                state
                    .update(
                        &pk(scope),
                        SK,
                        Update::new().set("state", "half_open").set("opened_at", ts(now)),
                        Some(cond),
                    )
                    .await,
            )?;
            Ok(if claimed { Admission::Probe } else { Admission::Open { until: now + policy.open_for } })
        }
        _ => Ok(Admission::Closed),
    }
}

/// A success closes the breaker and resets the count.
pub async fn record_success(state: &dyn StateStore, scope: &str, now: DateTime<Utc>) -> Result<(), StateError> {
    let u = Update::new()
        .set("state", "closed")
        .set("failures", 0)
        .set("closed_at", ts(now))
        .remove("opened_at")
        .remove("gsi1pk")
        .remove("gsi1sk");
    // Only touch breakers that exist: a success on a never-failing scope writes nothing.
    swallow_condition(state.update(&pk(scope), SK, u, Some(Condition::Exists)).await).map(|_| ())
}

/// A failure counts; at the threshold (or on a failed probe) the breaker opens. Returns whether
/// this call opened it.
pub async fn record_failure(
    state: &dyn StateStore,
    scope: &str,
    policy: BreakerPolicy,
    now: DateTime<Utc>,
    reason: &str,
) -> Result<bool, StateError> {
    let after = state
        .update(
            &pk(scope),
            SK,
            Update::new().add("failures", 1).set("last_error", reason.chars().take(500).collect::<String>()),
            None,
        )
        .await?;
    let failures = after.get_i64("failures").unwrap_or(0);
    let probing = after.get_str("state") == Some("half_open");
    if failures < policy.failures_to_open && !probing {
        return Ok(false);
    }
    let open = Update::new()
        .set("state", "open")
        .set("opened_at", ts(now))
        .set("scope", scope)
        .set("gsi1pk", STATUS_INDEX_OPEN)
        .set("gsi1sk", format!("{}#{scope}", ts(now)));
    // Only one failing caller opens it (and alerts).
    let cond = Condition::ne("state", "open");
    swallow_condition(state.update(&pk(scope), SK, open, Some(cond)).await)
}

/// Closes the breaker at once: the processor's upstream-data check found its inputs (DESIGN §9).
pub async fn force_close(state: &dyn StateStore, scope: &str, now: DateTime<Utc>) -> Result<(), StateError> {
    record_success(state, scope, now).await
}

/// Open breakers (for health checks and `props status`).
pub async fn open_breakers(state: &dyn StateStore) -> Result<Vec<crate::ports::Item>, StateError> {
    state.query_index(STATUS_INDEX_OPEN, crate::ports::KeyCondition::All).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::SqliteStateStore;
    use chrono::TimeZone;

    #[tokio::test]
    async fn opens_after_five_failures_then_allows_one_probe() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        let p = BreakerPolicy::SOURCE;
        let t0 = Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0).unwrap();
        for i in 1..=4 {
            assert!(!record_failure(&s, "source#nba", p, t0, "500").await.unwrap(), "failure {i}");
            assert_eq!(admit(&s, "source#nba", p, t0).await.unwrap(), Admission::Closed);
        }
        assert!(record_failure(&s, "source#nba", p, t0, "500").await.unwrap(), "fifth failure opens");
        assert!(!record_failure(&s, "source#nba", p, t0, "500").await.unwrap(), "already open: not opened twice");
        assert_eq!(open_breakers(&s).await.unwrap().len(), 1);
        assert!(matches!(admit(&s, "source#nba", p, t0 + Duration::minutes(4)).await.unwrap(), Admission::Open { .. }));
        let later = t0 + Duration::minutes(5);
        assert_eq!(admit(&s, "source#nba", p, later).await.unwrap(), Admission::Probe);
        assert!(matches!(admit(&s, "source#nba", p, later).await.unwrap(), Admission::Open { .. }), "one probe only");
        // failed probe re-opens at once
        assert!(record_failure(&s, "source#nba", p, later, "500").await.unwrap());
        assert!(matches!(
            admit(&s, "source#nba", p, later + Duration::minutes(1)).await.unwrap(),
            Admission::Open { .. }
        ));
        let probe_time = later + Duration::minutes(5);
        assert_eq!(admit(&s, "source#nba", p, probe_time).await.unwrap(), Admission::Probe);
        record_success(&s, "source#nba", probe_time).await.unwrap();
        assert_eq!(admit(&s, "source#nba", p, probe_time).await.unwrap(), Admission::Closed);
        assert!(open_breakers(&s).await.unwrap().is_empty());
        // counting restarts from zero
        assert!(!record_failure(&s, "source#nba", p, probe_time, "500").await.unwrap());
    }

    #[tokio::test]
    async fn racing_probers_get_one_probe() {
        let dir = tempfile::tempdir().unwrap();
        let a = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        let b = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        let p = BreakerPolicy::PROCESSOR;
        let t0 = Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0).unwrap();
        for _ in 0..5 {
            record_failure(&a, "proc#x#2025-01-15", p, t0, "boom").await.unwrap();
        }
        let at = t0 + Duration::minutes(31);
        let (ra, rb) = tokio::join!(admit(&a, "proc#x#2025-01-15", p, at), admit(&b, "proc#x#2025-01-15", p, at));
        let probes = [ra.unwrap(), rb.unwrap()].iter().filter(|x| **x == Admission::Probe).count();
        assert_eq!(probes, 1);
    }
}
