//! The table catalogue: every table's dataset, partition column and write mode, in one place.
//! Row types bind to an entry by name (`TableRow::TABLE`); a row type naming a table that is not
//! here fails the catalogue test.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dataset {
    Raw,
    Analytics,
    Precompute,
    Predictions,
    Orchestration,
}

impl Dataset {
    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Raw => "raw",
            Dataset::Analytics => "analytics",
            Dataset::Precompute => "precompute",
            Dataset::Predictions => "predictions",
            Dataset::Orchestration => "orchestration",
        }
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// One object per partition (`part-0.parquet`), replaced whole by a single PUT.
    Replace,
    /// One object per input payload, named from the payload's hash (snapshots, event log).
    Append,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableDef {
    pub name: &'static str,
    pub dataset: Dataset,
    pub mode: WriteMode,
    /// The Hive partition column; always the game date.
    pub partition: &'static str,
    /// The phase whose processors write it (1–6), for status and alerts.
    pub phase: u8,
}

impl TableDef {
    /// `tables/{dataset}/{table}/`
    pub fn prefix(&self) -> String {
        format!("tables/{}/{}/", self.dataset, self.name)
    }
}

const fn t(name: &'static str, dataset: Dataset, mode: WriteMode, phase: u8) -> TableDef {
    TableDef { name, dataset, mode, partition: "game_date", phase }
}

use Dataset::*;
use WriteMode::*;

pub const TABLES: &[TableDef] = &[
    // phase 2: raw
    t("schedule", Raw, Replace, 2),
    t("player_boxscores", Raw, Replace, 2),
    t("team_boxscores", Raw, Replace, 2),
    t("shots", Raw, Replace, 2),
    t("rosters", Raw, Append, 2),
    t("player_points_props", Raw, Append, 2),
    t("game_lines", Raw, Append, 2),
    // phase 3: analytics
    t("team_offense_game_summary", Analytics, Replace, 3),
    t("team_defense_game_summary", Analytics, Replace, 3),
    t("player_game_summary", Analytics, Replace, 3),
    t("upcoming_player_game_context", Analytics, Replace, 3),
    t("upcoming_team_game_context", Analytics, Replace, 3),
    // phase 4: precompute
    t("player_shot_zone_analysis", Precompute, Replace, 4),
    t("team_defense_zone_analysis", Precompute, Replace, 4),
    t("player_daily_cache", Precompute, Replace, 4),
    t("player_composite_factors", Precompute, Replace, 4),
    t("ml_feature_store", Precompute, Replace, 4),
    // phase 5: predictions and grading
    t("player_prop_predictions", Predictions, Replace, 5),
    t("prediction_history", Predictions, Append, 5),
    t("prediction_accuracy", Predictions, Replace, 5),
    t("system_daily_performance", Predictions, Replace, 5),
    // orchestration
    t("pipeline_event_log", Orchestration, Append, 0),
    t("scraper_executions", Orchestration, Append, 1),
    t("workflow_decisions", Orchestration, Append, 1),
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown table `{name}` (known tables: {known})")]
pub struct UnknownTable {
    pub name: String,
    pub known: String,
}

pub fn lookup(name: &str) -> Result<&'static TableDef, UnknownTable> {
    TABLES.iter().find(|t| t.name == name).ok_or_else(|| UnknownTable {
        name: name.chars().take(80).collect(),
        known: TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lookup_names_the_unknown() {
        let mut names: Vec<_> = TABLES.iter().map(|t| t.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), TABLES.len());
        assert_eq!(lookup("player_game_summary").unwrap().dataset, Dataset::Analytics);
        let e = lookup("player_gme_summary").unwrap_err().to_string();
        assert!(e.starts_with("unknown table `player_gme_summary`"), "{e}");
        assert!(!e.contains('\n'));
        assert_eq!(lookup("rosters").unwrap().prefix(), "tables/raw/rosters/");
    }
}
