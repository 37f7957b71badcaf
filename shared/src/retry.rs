//! The one backoff policy: exponential delays with jitter, capped, honouring `Retry-After`.
//!
//! Sources (full jitter) and Slack (fixed delays plus jitter) both use it; nothing else in the
//! code base sleeps between attempts.

use std::time::Duration;

use rand::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    /// Uniform in `[0, delay]` ("full jitter"): spreads synchronized retries best.
    Full,
    /// `delay` plus uniform `[0, delay/4]`: keeps the documented spacing (Slack: 2 s then 4 s).
    Additive,
    /// Exactly `delay`: for tests that count time.
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, including the first.
    pub max_attempts: u32,
    pub base: Duration,
    pub factor: u32,
    pub cap: Duration,
    pub jitter: Jitter,
    /// The longest `Retry-After` honoured; a server asking for more is failed instead of waited on.
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// Source fetches (DESIGN §6): 3 attempts, 2 s base, factor 2, full jitter.
    pub const FETCH: RetryPolicy = RetryPolicy {
        max_attempts: 3,
        base: Duration::from_secs(2),
        factor: 2,
        cap: Duration::from_secs(20),
        jitter: Jitter::Full,
        max_retry_after: Duration::from_secs(60),
    };

    /// Slack (DESIGN §11): 3 attempts, 2 s then 4 s, plus jitter.
    pub const SLACK: RetryPolicy = RetryPolicy {
        max_attempts: 3,
        base: Duration::from_secs(2),
        factor: 2,
        cap: Duration::from_secs(10),
        jitter: Jitter::Additive,
        max_retry_after: Duration::from_secs(30),
    };

    /// The same shape with a different base, for tests and backfills against local servers.
    pub fn with_base(mut self, base: Duration) -> Self {
        self.base = base;
        self.cap = self.cap.max(base);
        self
    }

    /// Delay before attempt `next_attempt` (2 = the first retry). `retry_after` from the server,
    /// when present, replaces the computed delay (bounded by `max_retry_after`).
    pub fn delay(&self, next_attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            return ra.min(self.max_retry_after);
        }
        let exp = next_attempt.saturating_sub(2);
        let raw = self.base.saturating_mul(self.factor.saturating_pow(exp)).min(self.cap);
        let mut rng = rand::rng();
        match self.jitter {
            Jitter::None => raw,
            Jitter::Full => raw.mul_f64(rng.random_range(0.0..=1.0)),
            Jitter::Additive => raw + raw.mul_f64(rng.random_range(0.0..=0.25)),
        }
    }

    /// Whether attempt `attempt` (1-based) may be followed by another.
    pub fn may_retry(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }
}

/// Parses a `Retry-After` header given in seconds (the HTTP-date form is treated as absent).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exponential_without_jitter() {
        let p = RetryPolicy { jitter: Jitter::None, ..RetryPolicy::FETCH };
        assert_eq!(p.delay(2, None), Duration::from_secs(2));
        assert_eq!(p.delay(3, None), Duration::from_secs(4));
        assert_eq!(p.delay(9, None), Duration::from_secs(20), "capped");
        assert_eq!(p.delay(2, Some(Duration::from_secs(5))), Duration::from_secs(5));
        assert_eq!(p.delay(2, Some(Duration::from_secs(500))), Duration::from_secs(60));
        assert!(p.may_retry(2) && !p.may_retry(3));
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    proptest! {
        #[test]
        fn full_jitter_stays_within_bounds(attempt in 2u32..12) {
            let p = RetryPolicy::FETCH;
            let d = p.delay(attempt, None);
            let ceiling = RetryPolicy { jitter: Jitter::None, ..p }.delay(attempt, None);
            prop_assert!(d <= ceiling);
        }

        #[test]
        fn additive_jitter_never_shortens(attempt in 2u32..6) {
            let p = RetryPolicy::SLACK;
            let floor = RetryPolicy { jitter: Jitter::None, ..p }.delay(attempt, None);
            let d = p.delay(attempt, None);
            prop_assert!(d >= floor && d <= floor + floor / 4);
        }
    }
}
