//! Where open circuit breakers are listed. Breaker items (`CIRCUIT#{scope}`) live under their
//! own keys; daily-health must list the open ones without a table scan, so the contract is:
//! when a breaker opens, its item sets `gsi1pk` = [`CIRCUIT_OPEN_INDEX`] and `gsi1sk` =
//! `opened_at` (RFC 3339) in the same conditional write; when it closes (or half-opens and
//! succeeds) it removes both. Readers still check `state` = `open`, so a stale index entry
//! is never reported.

use crate::ports::state::{Item, KeyCondition, StateError, StateStore};

pub const CIRCUIT_OPEN_INDEX: &str = "STATUS#circuit_open";

/// Breakers currently open, oldest first.
pub async fn open_breakers(state: &dyn StateStore) -> Result<Vec<Item>, StateError> {
    let items = state.query_index(CIRCUIT_OPEN_INDEX, KeyCondition::All).await?;
    Ok(items.into_iter().filter(|i| i.get_str("state") == Some("open")).collect())
}
