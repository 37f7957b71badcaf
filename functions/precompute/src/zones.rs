//! Field-goal attempts split by zone (`paint`, `mid`, `three`, as phase 2 classifies shots):
//! rates, percentages and the primary zone.

use props_core::stats::share;
use props_core::tables::rows::raw::ShotRow;

pub const ZONES: [&str; 3] = ["paint", "mid", "three"];

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ZoneSplit {
    pub attempts: [u32; 3],
    pub made: [u32; 3],
    pub assisted: u32,
}

impl ZoneSplit {
    pub fn of<'a>(shots: impl IntoIterator<Item = &'a ShotRow>) -> Self {
        let mut z = Self::default();
        for s in shots {
            z.add(s);
        }
        z
    }

    /// A shot in an unknown zone is left out rather than guessed.
    pub fn add(&mut self, s: &ShotRow) {
        let Some(i) = ZONES.iter().position(|z| *z == s.zone) else { return };
        self.attempts[i] += 1;
        if s.made {
            self.made[i] += 1;
            if s.assisted {
                self.assisted += 1;
            }
        }
    }

    pub fn total(&self) -> u32 {
        self.attempts.iter().sum()
    }

    /// Share of attempts in zone `i`; `None` without attempts.
    pub fn rate(&self, i: usize) -> Option<f64> {
        share(f64::from(self.attempts[i]), f64::from(self.total()))
    }

    /// Made / attempted in zone `i`; `None` without attempts there.
    pub fn pct(&self, i: usize) -> Option<f64> {
        share(f64::from(self.made[i]), f64::from(self.attempts[i]))
    }

    pub fn assisted_rate(&self) -> Option<f64> {
        share(f64::from(self.assisted), f64::from(self.made.iter().sum::<u32>()))
    }

    /// The zone of most attempts (ties: the earlier of paint, mid, three); `None` without any.
    pub fn primary(&self) -> Option<usize> {
        if self.total() == 0 {
            return None;
        }
        (0..3).rev().max_by_key(|i| self.attempts[*i])
    }
}

pub fn index(zone: &str) -> Option<usize> {
    ZONES.iter().position(|z| *z == zone)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn shot(zone: &str, made: bool, assisted: bool) -> ShotRow {
        ShotRow {
            game_date: "2025-01-10".parse().unwrap(),
            game_id: "20250110_NYK_PHI".into(),
            action_number: 1,
            period: 1,
            player_id: 1,
            player_lookup: Some("a".into()),
            team: "NYK".into(),
            zone: zone.into(),
            is_three: zone == "three",
            distance_ft: None,
            made,
            assisted,
            processed_at: DateTime::<Utc>::MIN_UTC,
            data_hash: String::new(),
        }
    }

    #[test]
    fn rates_percentages_and_primary_zone() {
        let shots = [
            shot("paint", true, true),
            shot("paint", false, false),
            shot("three", true, false),
            shot("three", false, false),
            shot("mid", true, true),
            shot("backcourt?", true, true),
        ];
        let z = ZoneSplit::of(&shots);
        assert_eq!(z.total(), 5, "an unknown zone is left out");
        assert_eq!(z.rate(0), Some(0.4));
        assert_eq!(z.pct(2), Some(0.5));
        assert_eq!(z.pct(1), Some(1.0));
        assert_eq!(z.assisted_rate(), Some(2.0 / 3.0));
        assert_eq!(z.primary(), Some(0), "paint and three tie: paint first");
        assert_eq!(ZoneSplit::default().primary(), None);
        assert_eq!(ZoneSplit::default().rate(0), None);
    }
}
