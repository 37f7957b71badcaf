//! The prediction systems of DESIGN §10. Each reads one player's features (and, where it needs
//! them, his past games and the league's defences) and either predicts or abstains; the
//! ensemble then combines the others. Recommendation gates live with each system's id.

pub mod ensemble;
pub mod gbm;
pub mod moving_average;
pub mod similarity;
pub mod zone_matchup;

use props_core::tables::rows::analytics::PlayerGameSummaryRow;

use crate::features::{self as f, Features};
use crate::league::League;

pub const MOVING_AVERAGE: &str = "moving_average";
pub const ZONE_MATCHUP: &str = "zone_matchup";
pub const SIMILARITY: &str = "similarity";
pub const GBM: &str = "gbm";
pub const ENSEMBLE: &str = "ensemble";

/// Every system, the ensemble last (it combines the others).
pub const ALL: [&str; 5] = [MOVING_AVERAGE, ZONE_MATCHUP, SIMILARITY, GBM, ENSEMBLE];

/// The version recorded for the rule-based systems: bump it when a formula changes, so graded
/// history can be split by version.
pub const RULES_VERSION: &str = "rules-v1";

/// What one player brings to the systems for one game.
pub struct Input<'a> {
    pub features: Features<'a>,
    /// His games before the game date, oldest first (played or not).
    pub history: &'a [&'a PlayerGameSummaryRow],
    pub league: &'a League,
}

impl<'a> Input<'a> {
    /// Games he actually played (minutes and points recorded), oldest first.
    pub fn played(&self) -> impl DoubleEndedIterator<Item = &'a PlayerGameSummaryRow> + 'a {
        self.history
            .iter()
            .copied()
            .filter(|g| !g.dnp && g.minutes_played.is_some_and(|m| m > 0.0) && g.points.is_some())
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub points: f64,
    /// 0–100.
    pub confidence: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Predicted(Estimate),
    /// Not enough to go on: the row is written as a PASS with this reason.
    Abstain(String),
}

impl Verdict {
    pub fn estimate(&self) -> Option<Estimate> {
        match self {
            Verdict::Predicted(e) => Some(*e),
            Verdict::Abstain(_) => None,
        }
    }
}

/// The per-system recommendation gate: an OVER/UNDER needs at least this edge and confidence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gate {
    pub min_edge: f64,
    pub min_confidence: f64,
}

/// Each system's gate. The noisier the system, the larger the edge it must show.
pub fn gate(system: &str) -> Gate {
    match system {
        MOVING_AVERAGE => Gate { min_edge: 2.0, min_confidence: 55.0 },
        ZONE_MATCHUP => Gate { min_edge: 2.5, min_confidence: 55.0 },
        SIMILARITY => Gate { min_edge: 3.0, min_confidence: 50.0 },
        GBM => Gate { min_edge: 1.5, min_confidence: 55.0 },
        _ => Gate { min_edge: 1.5, min_confidence: 60.0 },
    }
}

/// Confidence 0–100 from volatility (the spread of his recent points), sample size (games
/// behind the averages, saturating at 10) and the feature row's quality.
pub fn confidence(std_points: f64, games: usize, quality: f64) -> f64 {
    let steadiness = 1.0 - std_points.max(0.0) / (std_points.max(0.0) + 8.0);
    let sample = games.min(10) as f64 / 10.0;
    let quality = quality.clamp(0.0, 1.0);
    (100.0 * (0.6 * steadiness + 0.4 * sample) * (0.5 + 0.5 * quality)).clamp(0.0, 100.0)
}

/// The adjustments every rule-based system applies for the player's situation tonight:
/// fatigue (100 = fresh: < 50 → −2.5, < 70 → −1.0), back-to-back −1.5, venue ±0.5.
pub fn situation(x: &Features<'_>) -> f64 {
    let fatigue = x.or(f::FATIGUE, 100.0);
    let tired = if fatigue < 50.0 {
        -2.5
    } else if fatigue < 70.0 {
        -1.0
    } else {
        0.0
    };
    let b2b = if x.flag(f::BACK_TO_BACK) { -1.5 } else { 0.0 };
    let venue = if x.0.home { 0.5 } else { -0.5 };
    tired + b2b + venue
}

/// The player's scoring averages, each falling back to the next longer window.
pub fn averages(x: &Features<'_>) -> Option<(f64, f64, f64)> {
    let season = x.data(f::POINTS_SEASON);
    let l10 = x.data(f::POINTS_L10).or(season);
    let l5 = x.data(f::POINTS_L5).or(l10);
    Some((l5?, l10?, season.or(l10)?))
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_rises_with_steadiness_sample_and_quality() {
        let base = confidence(6.0, 10, 1.0);
        assert!(confidence(3.0, 10, 1.0) > base);
        assert!(confidence(6.0, 3, 1.0) < base);
        assert!(confidence(6.0, 10, 0.5) < base);
        assert!((0.0..=100.0).contains(&confidence(0.0, 50, 2.0)));
        assert_eq!(confidence(0.0, 10, 1.0), 100.0);
    }
}
