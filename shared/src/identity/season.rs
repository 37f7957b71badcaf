//! The NBA season label (`2024-25`), as the stats API wants it. A type rather than a string so
//! that a malformed label (`2024-2025`, `24-25`) is refused before it becomes a request.

use std::fmt;
use std::str::FromStr;

use chrono::Datelike;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::game_date::GameDate;

/// A season, identified by the calendar year it starts in (seasons turn over on Aug 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Season(i32);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid season `{input}`: expected YYYY-YY with consecutive years, e.g. 2024-25")]
pub struct SeasonError {
    pub input: String,
}

impl Season {
    pub fn starting(year: i32) -> Self {
        Self(year)
    }

    pub fn containing(date: GameDate) -> Self {
        let d = date.naive();
        Self(if d.month() >= 8 { d.year() } else { d.year() - 1 })
    }

    pub fn start_year(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Season {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

impl FromStr for Season {
    type Err = SeasonError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || SeasonError { input: s.chars().take(20).collect() };
        let (a, b) = s.trim().split_once('-').ok_or_else(err)?;
        if a.len() != 4 || b.len() != 2 {
            return Err(err());
        }
        let start: i32 = a.parse().map_err(|_| err())?;
        let end: i32 = b.parse().map_err(|_| err())?;
        if (start + 1).rem_euclid(100) != end {
            return Err(err());
        }
        Ok(Self(start))
    }
}

impl Serialize for Season {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Season {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_follow_the_date() {
        let s: Season = "2024-25".parse().unwrap();
        assert_eq!(s.to_string(), "2024-25");
        assert_eq!(Season::starting(1999).to_string(), "1999-00");
        assert_eq!("1999-00".parse::<Season>(), Ok(Season::starting(1999)));
        let d: GameDate = "2025-01-15".parse().unwrap();
        assert_eq!(Season::containing(d), s);
        assert_eq!(Season::containing(d).to_string(), d.season());
        for bad in ["2024-2025", "24-25", "2024-26", "2024", "abcd-ef"] {
            assert!(bad.parse::<Season>().is_err(), "{bad}");
        }
    }
}
