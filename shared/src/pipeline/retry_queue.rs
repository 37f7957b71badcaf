//! The failed-processor retry queue (DESIGN §9): one item per (phase, processor, date).
//! A transient failure schedules a retry 15 min · 2^n later, at most 3 times; then the item is
//! `failed_permanent` and a human is told. `retry-failed` claims due items with a conditional
//! write, so two schedulers never re-enqueue the same retry.

use chrono::{DateTime, Duration, Utc};

use crate::game_date::GameDate;
use crate::ports::state::{Condition, Item, KeyCondition, StateError, StateStore, Update};

pub const PENDING_INDEX: &str = "RETRY#pending";
/// Exhausted retries, by when they gave up: daily-health lists them without a scan.
pub const FAILED_PERMANENT_INDEX: &str = "RETRY#failed_permanent";
pub const MAX_RETRIES: i64 = 3;

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn key(phase: u8, processor: &str, date: GameDate) -> String {
    format!("RETRY#{phase}#{processor}#{date}")
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryScheduled {
    /// Retry `n` (1-based) is due at the given time.
    Scheduled { attempt: i64, due: DateTime<Utc> },
    /// Retries are exhausted: alert a human.
    FailedPermanent { attempts: i64 },
}

pub fn backoff(retry_count: i64) -> Duration {
    Duration::minutes(15) * 2i32.saturating_pow(retry_count.clamp(0, 16) as u32)
}

/// Records a transient failure of (phase, processor, date).
pub async fn record_transient_failure(
    state: &dyn StateStore,
    phase: u8,
    processor: &str,
    date: GameDate,
    error: &str,
    now: DateTime<Utc>,
) -> Result<RetryScheduled, StateError> {
    let pk = key(phase, processor, date);
    let current = state.get(&pk, "RETRY").await?;
    let count = current.as_ref().and_then(|i| i.get_i64("retry_count")).unwrap_or(0);
    let version = current.as_ref().and_then(|i| i.get_i64("version")).unwrap_or(0);
    // Optimistic concurrency: the write only lands on the version read above.
    let cond = if current.is_some() { Condition::eq("version", version) } else { Condition::NotExists };
    let base = Update::new()
        .set("phase", phase)
        .set("processor", processor)
        .set("game_date", date.to_string())
        .set("last_error", error.chars().take(1_000).collect::<String>())
        .set("updated_at", ts(now))
        .set("version", version + 1);
    if count >= MAX_RETRIES {
        let u = base
            .set("status", "failed_permanent")
            .set("gsi1pk", FAILED_PERMANENT_INDEX)
            .set("gsi1sk", format!("{}#{pk}", ts(now)));
        state.update(&pk, "RETRY", u, Some(cond)).await?;
        return Ok(RetryScheduled::FailedPermanent { attempts: count });
    }
    let due = now + backoff(count);
    let u = base
        .set("status", "pending")
        .set("retry_count", count + 1)
        .set("next_retry_at", ts(due))
        .set("gsi1pk", PENDING_INDEX)
        .set("gsi1sk", format!("{}#{pk}", ts(due)));
    state.update(&pk, "RETRY", u, Some(cond)).await?;
    Ok(RetryScheduled::Scheduled { attempt: count + 1, due })
}

/// Due retries, oldest first.
pub async fn due(state: &dyn StateStore, now: DateTime<Utc>) -> Result<Vec<Item>, StateError> {
    state.query_index(PENDING_INDEX, KeyCondition::LessOrEqual(format!("{}#~", ts(now)))).await
}

/// Retries that gave up at or after `since`, oldest first.
pub async fn failed_permanent_since(state: &dyn StateStore, since: DateTime<Utc>) -> Result<Vec<Item>, StateError> {
    state.query_index(FAILED_PERMANENT_INDEX, KeyCondition::Between(ts(since), "~".to_string())).await
}

/// Claims a due retry: exactly one claimer wins.
pub async fn claim(state: &dyn StateStore, item: &Item, now: DateTime<Utc>) -> Result<bool, StateError> {
    let u = Update::new().set("status", "claimed").set("claimed_at", ts(now)).remove("gsi1pk").remove("gsi1sk");
    let cond = Condition::And(vec![Condition::eq("status", "pending"), Condition::le("next_retry_at", ts(now))]);
    match state.update(&item.pk, &item.sk, u, Some(cond)).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_condition_failed() => Ok(false),
        Err(e) => Err(e),
    }
}

/// A later success closes the retry item.
pub async fn mark_succeeded(
    state: &dyn StateStore,
    phase: u8,
    processor: &str,
    date: GameDate,
    now: DateTime<Utc>,
) -> Result<(), StateError> {
    let u = Update::new().set("status", "succeeded").set("updated_at", ts(now)).remove("gsi1pk").remove("gsi1sk");
    match state.update(&key(phase, processor, date), "RETRY", u, Some(Condition::Exists)).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_condition_failed() => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::SqliteStateStore;
    use chrono::TimeZone;

    #[tokio::test]
    async fn backs_off_then_fails_permanently_and_claims_once() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        let d: GameDate = "2025-01-15".parse().unwrap();
        let mut now = Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0).unwrap();
        let mut dues = Vec::new();
        for _ in 0..3 {
            match record_transient_failure(&s, 3, "player_game_summary", d, "timeout", now).await.unwrap() {
                RetryScheduled::Scheduled { due, .. } => dues.push((due - now).num_minutes()),
                other => panic!("{other:?}"),
            }
            assert!(due(&s, now).await.unwrap().is_empty(), "not due yet");
            now += Duration::hours(3);
            let items = due(&s, now).await.unwrap();
            assert_eq!(items.len(), 1);
            assert!(claim(&s, &items[0], now).await.unwrap());
            assert!(!claim(&s, &items[0], now).await.unwrap(), "second claimer loses");
        }
        assert_eq!(dues, [15, 30, 60]);
        let last = record_transient_failure(&s, 3, "player_game_summary", d, "timeout", now).await.unwrap();
        assert_eq!(last, RetryScheduled::FailedPermanent { attempts: 3 });
        assert!(due(&s, now + Duration::days(1)).await.unwrap().is_empty());
        assert_eq!(failed_permanent_since(&s, now - Duration::hours(1)).await.unwrap().len(), 1);
        assert!(failed_permanent_since(&s, now + Duration::hours(1)).await.unwrap().is_empty());
    }
}
