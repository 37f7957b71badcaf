//! The day's request counts in the state store: `METRICS#{date}` / `REQUESTS`, one numeric
//! attribute per [`Op`], added to with ONE `ADD` update per invocation.

use std::sync::Arc;

use chrono::Duration;

use super::counts::{Op, RequestCounts, RequestTally};
use crate::clock::Clock;
use crate::game_date::GameDate;
use crate::ports::state::attr;
use crate::ports::{StateError, StateStore, Update};

const SK: &str = "REQUESTS";

/// Kept for a season and a bit, then expired by the table's TTL.
const KEEP_DAYS: i64 = 400;

pub fn pk(date: GameDate) -> String {
    format!("METRICS#{date}")
}

/// A context's counters and where they go. The write goes to the UNcounted store and counts
/// itself, so the figures are exact and the write is not carried into the next invocation.
#[derive(Clone)]
pub struct RequestMetrics {
    counts: Arc<RequestCounts>,
    state: Arc<dyn StateStore>,
    clock: Arc<dyn Clock>,
}

impl RequestMetrics {
    /// `state` must be the store underneath the counting decorator.
    pub fn new(counts: Arc<RequestCounts>, state: Arc<dyn StateStore>, clock: Arc<dyn Clock>) -> Self {
        Self { counts, state, clock }
    }

    pub fn counts(&self) -> &Arc<RequestCounts> {
        &self.counts
    }

    /// Adds the requests counted since the last flush to today's (US-Eastern) item, with one
    /// update; nothing is written when there were none. On failure the counts are kept for the
    /// next flush. Returns what was added (including the update itself).
    pub async fn flush(&self) -> Result<Option<RequestTally>, StateError> {
        let taken = self.counts.take();
        if taken.is_empty() {
            return Ok(None);
        }
        let tally = taken.with(Op::DynamoUpdate, 1);
        let date = self.clock.today();
        let expires = (self.clock.now() + Duration::days(KEEP_DAYS)).timestamp();
        let update =
            Op::ALL.iter().filter(|&&op| tally.get(op) > 0).fold(Update::new().set(attr::TTL, expires), |u, &op| {
                u.add(op.as_str(), i64::try_from(tally.get(op)).unwrap_or(i64::MAX))
            });
        match self.state.update(&pk(date), SK, update, None).await {
            Ok(_) => Ok(Some(tally)),
            Err(e) => {
                self.counts.restore(&taken);
                Err(e)
            }
        }
    }
}

/// The requests recorded for `date` (all zero when none were).
pub async fn read_day(state: &dyn StateStore, date: GameDate) -> Result<RequestTally, StateError> {
    Ok(state.get(&pk(date), SK).await?.map(|i| RequestTally::from_attrs(&i.attrs)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::SqliteStateStore;
    use crate::clock::ManualClock;
    use chrono::{TimeZone, Utc};

    #[tokio::test]
    async fn one_update_per_flush_added_into_the_eastern_day() {
        let dir = tempfile::tempdir().unwrap();
        let state: Arc<dyn StateStore> = Arc::new(SqliteStateStore::open(dir.path().join("s.db")).unwrap());
        // 03:00 UTC on the 16th is still the 15th in New York.
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2025, 1, 16, 3, 0, 0).unwrap());
        let m = RequestMetrics::new(Arc::default(), state.clone(), Arc::new(clock));
        assert_eq!(m.flush().await.unwrap(), None, "nothing counted, nothing written");
        m.counts().add(Op::S3Get, 5);
        m.counts().record(Op::DynamoUpdate);
        let first = m.flush().await.unwrap().unwrap();
        assert_eq!((first.get(Op::S3Get), first.get(Op::DynamoUpdate)), (5, 2));
        m.counts().add(Op::S3Get, 2);
        m.flush().await.unwrap();
        let day = read_day(state.as_ref(), "2025-01-15".parse().unwrap()).await.unwrap();
        assert_eq!((day.get(Op::S3Get), day.get(Op::DynamoUpdate)), (7, 3));
        assert!(read_day(state.as_ref(), "2025-01-16".parse().unwrap()).await.unwrap().is_empty());
    }
}
