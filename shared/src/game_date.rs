//! The game day: the US-Eastern calendar date of tip-off, the only "date" the pipeline knows.
//!
//! Keeping it a distinct type (not a `String`, not a bare `NaiveDate`) makes it impossible to
//! pass a UTC date where an Eastern one is meant — a defect the previous system shipped.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::America::New_York;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A US-Eastern calendar date, `YYYY-MM-DD` on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GameDate(NaiveDate);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid game date `{input}`: expected YYYY-MM-DD, TODAY, YESTERDAY or TOMORROW")]
pub struct GameDateError {
    pub input: String,
}

/// A date no game can be on: before the league's first game day, or further ahead than any
/// schedule is published. Refused at the edges so that a typo ("2205-01-15") cannot start
/// fetches, writes or alerts for a season that does not exist.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("game date {date} is outside the plausible range {first} ..= {last}")]
pub struct ImplausibleDate {
    pub date: GameDate,
    pub first: GameDate,
    pub last: GameDate,
}

/// Days ahead of today a game date may be: schedules come out months ahead, never years.
pub const MAX_DAYS_AHEAD: u64 = 400;

impl GameDate {
    /// The league's first game day (1946-11-01).
    pub const FIRST: GameDate = match NaiveDate::from_ymd_opt(1946, 11, 1) {
        Some(d) => GameDate(d),
        None => GameDate(NaiveDate::MIN),
    };

    /// `self` if it can be a game day seen from `today` (between [`GameDate::FIRST`] and
    /// [`MAX_DAYS_AHEAD`] days after `today`).
    pub fn plausible(self, today: GameDate) -> Result<Self, ImplausibleDate> {
        let last = today.plus_days(MAX_DAYS_AHEAD);
        if self < Self::FIRST || self > last {
            return Err(ImplausibleDate { date: self, first: Self::FIRST, last });
        }
        Ok(self)
    }

    pub fn new(date: NaiveDate) -> Self {
        Self(date)
    }

    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(y, m, d).map(Self)
    }

    /// The Eastern date of an instant: what "today" means at that moment.
    pub fn eastern_of(instant: DateTime<Utc>) -> Self {
        Self(instant.with_timezone(&New_York).date_naive())
    }

    /// Resolves `TODAY`, `YESTERDAY`, `TOMORROW` (in America/New_York at `now`) or a literal date.
    pub fn resolve(token: &str, now: DateTime<Utc>) -> Result<Self, GameDateError> {
        let today = Self::eastern_of(now);
        match token.trim().to_ascii_uppercase().as_str() {
            "TODAY" => Ok(today),
            "YESTERDAY" => Ok(today.prev()),
            "TOMORROW" => Ok(today.next()),
            _ => token.parse(),
        }
    }

    pub fn naive(self) -> NaiveDate {
        self.0
    }

    pub fn next(self) -> Self {
        self.plus_days(1)
    }

    pub fn prev(self) -> Self {
        self.minus_days(1)
    }

    pub fn plus_days(self, n: u64) -> Self {
        Self(self.0.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX))
    }

    pub fn minus_days(self, n: u64) -> Self {
        Self(self.0.checked_sub_days(Days::new(n)).unwrap_or(NaiveDate::MIN))
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: GameDate) -> i64 {
        (later.0 - self.0).num_days()
    }

    /// Inclusive iterator over `self..=end`.
    pub fn through(self, end: GameDate) -> impl Iterator<Item = GameDate> {
        let mut cur = self;
        std::iter::from_fn(move || {
            if cur > end {
                return None;
            }
            let out = cur;
            cur = cur.next();
            Some(out)
        })
    }

    /// `YYYYMMDD`, as used in canonical game ids.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.0.year(), self.0.month(), self.0.day())
    }

    /// The NBA season label (`2024-25`) containing this date; seasons turn over on Aug 1.
    pub fn season(self) -> String {
        let start = if self.0.month() >= 8 { self.0.year() } else { self.0.year() - 1 };
        format!("{}-{:02}", start, (start + 1) % 100)
    }
}

impl fmt::Display for GameDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl FromStr for GameDate {
    type Err = GameDateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Self)
            .map_err(|_| GameDateError { input: s.chars().take(40).collect() })
    }
}

impl Serialize for GameDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for GameDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() && crate::tables::codec::in_schema_tracing() {
            return Ok(Self(NaiveDate::MIN));
        }
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn eastern_date_differs_from_utc_late_evening() {
        // 02:30 UTC on Jan 16 is 21:30 ET on Jan 15: a late game belongs to the 15th.
        let t = Utc.with_ymd_and_hms(2025, 1, 16, 2, 30, 0).unwrap();
        assert_eq!(GameDate::eastern_of(t).to_string(), "2025-01-15");
    }

    #[test]
    fn tokens_resolve_in_new_york() {
        let t = Utc.with_ymd_and_hms(2025, 3, 10, 3, 0, 0).unwrap(); // 23:00 ET Mar 9
        assert_eq!(GameDate::resolve("TODAY", t).unwrap().to_string(), "2025-03-09");
        assert_eq!(GameDate::resolve("yesterday", t).unwrap().to_string(), "2025-03-08");
        assert_eq!(GameDate::resolve("TOMORROW", t).unwrap().to_string(), "2025-03-10");
        assert_eq!(GameDate::resolve("2024-02-29", t).unwrap().to_string(), "2024-02-29");
        let err = GameDate::resolve("2024-02-30", t).unwrap_err();
        assert!(err.to_string().contains("2024-02-30"));
    }

    #[test]
    fn dates_no_game_can_be_on_are_refused() {
        let today: GameDate = "2025-01-15".parse().unwrap();
        let d = |s: &str| s.parse::<GameDate>().unwrap();
        assert_eq!(d("2025-06-01").plausible(today), Ok(d("2025-06-01")));
        assert_eq!(d("1946-11-01").plausible(today), Ok(GameDate::FIRST));
        let e = d("1900-01-01").plausible(today).unwrap_err();
        assert_eq!(e.to_string(), "game date 1900-01-01 is outside the plausible range 1946-11-01 ..= 2026-02-19");
        assert!(d("2205-01-15").plausible(today).is_err());
        assert!(d("9999-12-31").plausible(today).is_err());
    }

    #[test]
    fn season_and_compact() {
        let d: GameDate = "2025-01-15".parse().unwrap();
        assert_eq!(d.season(), "2024-25");
        assert_eq!(d.compact(), "20250115");
        let d: GameDate = "2023-10-24".parse().unwrap();
        assert_eq!(d.season(), "2023-24");
    }

    #[test]
    fn serde_round_trip_and_strict() {
        let d: GameDate = serde_json::from_str("\"2024-03-05\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-03-05\"");
        assert!(serde_json::from_str::<GameDate>("\"03/05/2024\"").is_err());
        assert!(serde_json::from_str::<GameDate>("20240305").is_err());
    }

    #[test]
    fn through_is_inclusive() {
        let a: GameDate = "2024-02-27".parse().unwrap();
        let b: GameDate = "2024-03-01".parse().unwrap();
        let v: Vec<String> = a.through(b).map(|d| d.to_string()).collect();
        assert_eq!(v, ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]);
        assert_eq!(a.days_until(b), 3);
    }
}
