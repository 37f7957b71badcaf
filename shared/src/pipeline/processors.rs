//! The phases and their processors, named once.

use serde::{Deserialize, Serialize};

use crate::ports::QueueName;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Phase {
    Scrape = 1,
    Raw = 2,
    Analytics = 3,
    Precompute = 4,
    Predict = 5,
    Publish = 6,
}

impl Phase {
    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Phase> {
        [Phase::Scrape, Phase::Raw, Phase::Analytics, Phase::Precompute, Phase::Predict, Phase::Publish]
            .into_iter()
            .find(|p| p.number() == n)
    }

    /// The queue whose consumer runs this phase's processors.
    pub fn queue(self) -> QueueName {
        match self {
            Phase::Scrape => QueueName::ScrapeJobs,
            Phase::Raw => QueueName::RawPayloads,
            Phase::Analytics => QueueName::AnalyticsJobs,
            Phase::Precompute => QueueName::PrecomputeJobs,
            Phase::Predict => QueueName::PredictJobs,
            Phase::Publish => QueueName::PublishJobs,
        }
    }
}

/// Phase 3 processors that summarise a played date.
pub const GAME_SUMMARIES: [&str; 3] = ["team_offense_game_summary", "team_defense_game_summary", "player_game_summary"];
/// Phase 3 processors that describe an upcoming date.
pub const UPCOMING_CONTEXTS: [&str; 2] = ["upcoming_player_game_context", "upcoming_team_game_context"];
/// Phase 4, in dependency order.
pub const PRECOMPUTE: [&str; 5] = [
    "player_shot_zone_analysis",
    "team_defense_zone_analysis",
    "player_daily_cache",
    "player_composite_factors",
    "ml_feature_store",
];
/// Phase 4 processors without which phase 5 cannot run at all.
pub const PRECOMPUTE_CRITICAL: [&str; 2] = ["player_daily_cache", "ml_feature_store"];

/// The phase a processor belongs to, by name.
pub fn phase_of(processor: &str) -> Option<Phase> {
    if GAME_SUMMARIES.contains(&processor) || UPCOMING_CONTEXTS.contains(&processor) {
        Some(Phase::Analytics)
    } else if PRECOMPUTE.contains(&processor) {
        Some(Phase::Precompute)
    } else {
        None
    }
}
