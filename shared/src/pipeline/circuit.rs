//! The one circuit breaker, for sources (scope `source#{host}`: DESIGN §6) and processors
//! (scope `proc#{processor}#{date}`: DESIGN §9). Kept in the state store so that every Lambda
//! instance and process sees the same state (an in-memory breaker never opened in the previous
//! system). Closed → N consecutive failures → open for a while → one probe → closed on
//! success, open again on failure.
//!
//! Item `CIRCUIT#{scope}` / `STATE`. Each decision is one conditional write: opening,
//! claiming the probe (two processes cannot both win it) and closing. While open or probing
//! the item sits on the status index (`CIRCUIT#open`) so health reports can list open breakers.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;

use crate::clock::Clock;
use crate::ports::state::attr;
use crate::ports::{Condition, Item, StateError, StateStore, Update};

const SK: &str = "STATE";
/// Status-index partition of breakers that are not closed.
pub const OPEN_INDEX: &str = "CIRCUIT#open";

const STATE: &str = "state";
const FAILURES: &str = "failures";
const OPEN_UNTIL: &str = "open_until_ms";
const PROBE_UNTIL: &str = "probe_until_ms";
const OPENED_AT: &str = "opened_at";
const LAST_FAILURE_AT: &str = "last_failure_at";

const CLOSED: &str = "closed";
const OPEN: &str = "open";
const HALF_OPEN: &str = "half_open";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BreakerConfig {
    /// Consecutive failures that open the breaker.
    pub threshold: i64,
    /// How long it stays open before a probe is allowed.
    pub open_for: Duration,
    /// How long a claimed probe may take before another process may probe instead (a prober
    /// that crashed must not keep the breaker half-open forever).
    pub probe_lease: Duration,
}

impl BreakerConfig {
    /// Sources (DESIGN §6): 5 failures, open 5 minutes.
    pub const SOURCE: BreakerConfig =
        BreakerConfig { threshold: 5, open_for: Duration::minutes(5), probe_lease: Duration::minutes(5) };
    /// Processors (DESIGN §9): 5 failures, open 30 minutes.
    pub const PROCESSOR: BreakerConfig =
        BreakerConfig { threshold: 5, open_for: Duration::minutes(30), probe_lease: Duration::minutes(30) };
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self::SOURCE
    }
}

/// What the breaker lets a caller do now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Closed: go ahead.
    Closed,
    /// This caller won the single probe after the open period.
    Probe,
    /// Open (or another caller is probing): do not call the source before `until`.
    Rejected { until: DateTime<Utc> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    Open,
    /// The open period is over and a probe has been claimed.
    HalfOpen,
}

impl BreakerState {
    fn from_attr(s: Option<&str>) -> Self {
        match s {
            Some(OPEN) => BreakerState::Open,
            Some(HALF_OPEN) => BreakerState::HalfOpen,
            _ => BreakerState::Closed,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakerStatus {
    pub name: String,
    pub state: BreakerState,
    pub failures: i64,
    pub open_until: Option<DateTime<Utc>>,
}

#[derive(Clone)]
pub struct CircuitBreaker {
    store: Arc<dyn StateStore>,
    clock: Arc<dyn Clock>,
    name: String,
    config: BreakerConfig,
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn from_ms(v: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(v).single().unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl CircuitBreaker {
    /// A breaker for `scope` (`source#nba_stats`, `proc#player_game_summary#2025-01-15`).
    pub fn new(store: Arc<dyn StateStore>, clock: Arc<dyn Clock>, scope: &str, config: BreakerConfig) -> Self {
        Self { store, clock, name: scope.to_string(), config }
    }

    pub fn for_source(store: Arc<dyn StateStore>, clock: Arc<dyn Clock>, host: &str) -> Self {
        Self::new(store, clock, &format!("source#{host}"), BreakerConfig::SOURCE)
    }

    pub fn for_processor(
        store: Arc<dyn StateStore>,
        clock: Arc<dyn Clock>,
        processor: &str,
        date: crate::GameDate,
    ) -> Self {
        Self::new(store, clock, &format!("proc#{processor}#{date}"), BreakerConfig::PROCESSOR)
    }

    pub fn scope(&self) -> &str {
        &self.name
    }

    pub fn pk(&self) -> String {
        format!("CIRCUIT#{}", self.name)
    }

    /// Closes at once: the processor's upstream-data check found its inputs (DESIGN §9).
    pub async fn force_close(&self) -> Result<(), StateError> {
        self.record_success().await
    }

    pub async fn status(&self) -> Result<BreakerStatus, StateError> {
        let item = self.store.get(&self.pk(), SK).await?;
        let get = |f: fn(&Item) -> Option<i64>| item.as_ref().and_then(f);
        Ok(BreakerStatus {
            name: self.name.clone(),
            state: BreakerState::from_attr(item.as_ref().and_then(|i| i.get_str(STATE))),
            failures: get(|i| i.get_i64(FAILURES)).unwrap_or(0),
            open_until: get(|i| i.get_i64(OPEN_UNTIL)).map(from_ms),
        })
    }

    /// May the caller contact the source now? Claims the probe when the open period is over.
    pub async fn admit(&self) -> Result<Admission, StateError> {
        let Some(item) = self.store.get(&self.pk(), SK).await? else {
            return Ok(Admission::Closed);
        };
        let now = self.clock.now();
        let (state, deadline_attr) = match item.get_str(STATE) {
            Some(OPEN) => (OPEN, OPEN_UNTIL),
            Some(HALF_OPEN) => (HALF_OPEN, PROBE_UNTIL),
            _ => return Ok(Admission::Closed),
        };
        let deadline = item.get_i64(deadline_attr).unwrap_or(0);
        if deadline > ms(now) {
            return Ok(Admission::Rejected { until: from_ms(deadline) });
        }
        let probe_until = now + self.config.probe_lease;
        let claim = Update::new().set(STATE, HALF_OPEN).set(PROBE_UNTIL, ms(probe_until));
        let cond = Condition::And(vec![Condition::eq(STATE, state), Condition::le(deadline_attr, ms(now))]);
        match self.store.update(&self.pk(), SK, claim, Some(cond)).await {
            Ok(_) => Ok(Admission::Probe),
            Err(e) if e.is_condition_failed() => Ok(Admission::Rejected { until: probe_until }),
            Err(e) => Err(e),
        }
    }

    /// A success closes the breaker and resets the count (no write when already clean).
    pub async fn record_success(&self) -> Result<(), StateError> {
        let close = Update::new()
            .set(STATE, CLOSED)
            .set(FAILURES, 0)
            .remove(OPEN_UNTIL)
            .remove(PROBE_UNTIL)
            .remove(attr::GSI1PK)
            .remove(attr::GSI1SK);
        let dirty = Condition::And(vec![
            Condition::Exists,
            Condition::Or(vec![Condition::ne(STATE, CLOSED), Condition::ne(FAILURES, 0)]),
        ]);
        match self.store.update(&self.pk(), SK, close, Some(dirty)).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_condition_failed() => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Counts a failure; returns true when this call opened (or re-opened) the breaker.
    pub async fn record_failure(&self) -> Result<bool, StateError> {
        let now = self.clock.now();
        let counted = self
            .store
            .update(&self.pk(), SK, Update::new().add(FAILURES, 1).set(LAST_FAILURE_AT, now.to_rfc3339()), None)
            .await?;
        let failures = counted.get_i64(FAILURES).unwrap_or(0);
        if failures < self.config.threshold || counted.get_str(STATE) == Some(OPEN) {
            return Ok(false);
        }
        let open = Update::new()
            .set(STATE, OPEN)
            .set(OPEN_UNTIL, ms(now + self.config.open_for))
            .set(OPENED_AT, now.to_rfc3339())
            .set(attr::GSI1PK, OPEN_INDEX)
            .set(attr::GSI1SK, Value::from(self.name.clone()))
            .set("scope", self.name.clone())
            .remove(PROBE_UNTIL);
        match self.store.update(&self.pk(), SK, open, Some(Condition::ne(STATE, OPEN))).await {
            Ok(_) => {
                tracing::warn!(breaker = %self.name, failures, "circuit breaker opened");
                Ok(true)
            }
            Err(e) if e.is_condition_failed() => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// Breaker items that are open or probing, oldest first (the index may hold a stale entry for a
/// moment; the item's own state decides).
pub async fn open_breaker_items(store: &dyn StateStore) -> Result<Vec<Item>, StateError> {
    let items = store.query_index(OPEN_INDEX, crate::ports::KeyCondition::All).await?;
    Ok(items.into_iter().filter(|i| matches!(i.get_str(STATE), Some(OPEN) | Some(HALF_OPEN))).collect())
}

/// Scopes of the breakers that are open or probing (for `props status`).
pub async fn open_breakers(store: &dyn StateStore) -> Result<Vec<String>, StateError> {
    Ok(open_breaker_items(store).await?.iter().filter_map(|i| i.get_str(attr::GSI1SK).map(str::to_string)).collect())
}
