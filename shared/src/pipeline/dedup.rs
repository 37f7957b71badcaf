//! Duplicate suppression (`MSG#{key}` items with a TTL, DESIGN §4): the first caller to claim
//! a key wins with one conditional write; any later caller within the TTL sees a duplicate.
//! An expired item that the store has not yet deleted (DynamoDB deletes lazily) counts as free.

use chrono::{DateTime, Duration, Utc};

use crate::ports::state::attr;
use crate::ports::{Condition, Item, StateError, StateStore};

const SK: &str = "MSG";

/// How long a claim holds (DESIGN §4: 7 days).
pub const DEFAULT_TTL: Duration = Duration::days(7);

pub fn pk(key: &str) -> String {
    format!("MSG#{key}")
}

/// `Ok(true)` when this call claimed `key` (do the work), `Ok(false)` for a duplicate.
pub async fn claim(state: &dyn StateStore, key: &str, now: DateTime<Utc>, ttl: Duration) -> Result<bool, StateError> {
    let item = Item::new(pk(key), SK).with(attr::TTL, (now + ttl).timestamp()).with("claimed_at", now.to_rfc3339());
    let free = Condition::Or(vec![Condition::NotExists, Condition::lt(attr::TTL, now.timestamp())]);
    match state.put(item, Some(free)).await {
        Ok(()) => Ok(true),
        Err(e) if e.is_condition_failed() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Gives a claim back (the work it guarded could not be done), so a later caller may retry.
pub async fn release(state: &dyn StateStore, key: &str) -> Result<(), StateError> {
    state.delete(&pk(key), SK, None).await
}

const HANDLED: &str = "HANDLED";

/// Whether the last message handled in `slot` (within the TTL) was `content`.
pub async fn handled(
    state: &dyn StateStore,
    slot: &str,
    content: &str,
    now: DateTime<Utc>,
) -> Result<bool, StateError> {
    let item = state.get(&pk(slot), HANDLED).await?;
    Ok(item.is_some_and(|i| {
        i.get_str("handled") == Some(content) && i.get_i64(attr::TTL).is_some_and(|ttl| ttl >= now.timestamp())
    }))
}

/// Records `content` as the last message handled in `slot`: a later delivery of it is a
/// duplicate, anything else in the slot is not. Written after the work, so a crash in
/// between means one more delivery, never a lost one.
pub async fn mark_handled(
    state: &dyn StateStore,
    slot: &str,
    content: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<(), StateError> {
    let item = Item::new(pk(slot), HANDLED).with("handled", content).with(attr::TTL, (now + ttl).timestamp());
    state.put(item, None).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::SqliteStateStore;
    use chrono::TimeZone;

    #[tokio::test]
    async fn first_claim_wins_until_the_ttl_passes() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        let t = Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0).unwrap();
        assert!(claim(&s, "a", t, Duration::hours(1)).await.unwrap());
        assert!(!claim(&s, "a", t + Duration::minutes(59), Duration::hours(1)).await.unwrap());
        assert!(claim(&s, "a", t + Duration::minutes(61), Duration::hours(1)).await.unwrap(), "expired");
        release(&s, "a").await.unwrap();
        assert!(claim(&s, "a", t, Duration::hours(1)).await.unwrap(), "released");
    }

    #[tokio::test]
    async fn a_slot_remembers_its_last_message_until_the_ttl_and_is_apart_from_claims() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        let t = Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0).unwrap();
        assert!(!handled(&s, "k", "A", t).await.unwrap());
        mark_handled(&s, "k", "A", t, Duration::hours(1)).await.unwrap();
        assert!(handled(&s, "k", "A", t + Duration::minutes(59)).await.unwrap());
        assert!(!handled(&s, "k", "A", t + Duration::minutes(61)).await.unwrap(), "expired");
        mark_handled(&s, "k", "B", t, Duration::hours(1)).await.unwrap();
        assert!(!handled(&s, "k", "A", t).await.unwrap(), "A → B → A: the second A is new work");
        assert!(handled(&s, "k", "B", t).await.unwrap());
        assert!(claim(&s, "k", t, Duration::hours(1)).await.unwrap(), "a claim of the same key is another item");
    }
}
