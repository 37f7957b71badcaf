//! Time as a port. Logic never reads the system clock: backfills and tests travel in time.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::game_date::GameDate;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// The Eastern game day at this instant.
    fn today(&self) -> GameDate {
        GameDate::eastern_of(self.now())
    }
}

/// The wall clock, for production.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move: backfills set it to each morning, tests
/// advance it through timeouts.
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self { now: Arc::new(Mutex::new(at)) }
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.lock() = at;
    }

    pub fn advance(&self, by: Duration) {
        let mut guard = self.lock();
        *guard += by;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // A poisoned lock only means another thread panicked mid-`set`; the value is still a time.
        self.now.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn manual_clock_travels() {
        let c = ManualClock::new(Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0).unwrap());
        let shared = c.clone();
        c.advance(Duration::minutes(90));
        assert_eq!(shared.now(), Utc.with_ymd_and_hms(2025, 1, 15, 13, 30, 0).unwrap());
        c.set(Utc.with_ymd_and_hms(2025, 1, 16, 4, 0, 0).unwrap());
        assert_eq!(shared.today().to_string(), "2025-01-15");
    }
}
