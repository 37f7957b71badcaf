//! Declared inputs of a processor, checked before it runs. Freshness is measured on the latest
//! game date of the dependency's range only (old partitions must not make fresh data look stale).

use std::collections::BTreeMap;

use chrono::Duration;

use crate::context::Context;
use crate::game_date::GameDate;
use crate::tables::TableError;

/// Which partitions of the dependency a run for date D reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateRule {
    SameDay,
    /// D−n … D−1: history before the game day (never the day itself: no leakage).
    DaysBefore(u64),
    /// D−n … D.
    Through(u64),
}

impl DateRule {
    pub fn range(self, d: GameDate) -> (GameDate, GameDate) {
        match self {
            DateRule::SameDay => (d, d),
            DateRule::DaysBefore(n) => (d.minus_days(n), d.prev()),
            DateRule::Through(n) => (d.minus_days(n), d),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub table: &'static str,
    pub rule: DateRule,
    pub min_rows: u64,
    /// Older than this on its latest date: warn.
    pub warn_age: Option<Duration>,
    /// Older than this on its latest date: treat as missing.
    pub fail_age: Option<Duration>,
    /// A missing critical dependency fails the run; a non-critical one warns.
    pub critical: bool,
}

impl Dependency {
    pub const fn critical(table: &'static str, rule: DateRule, min_rows: u64) -> Self {
        Self { table, rule, min_rows, warn_age: None, fail_age: None, critical: true }
    }
    pub const fn optional(table: &'static str, rule: DateRule) -> Self {
        Self { table, rule, min_rows: 1, warn_age: None, fail_age: None, critical: false }
    }
    pub const fn ages(mut self, warn: Duration, fail: Duration) -> Self {
        self.warn_age = Some(warn);
        self.fail_age = Some(fail);
        self
    }
}

/// What the check found: per table, present or not; warnings; and the first missing critical
/// dependency's reason, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DependencyReport {
    pub present: BTreeMap<String, bool>,
    pub warnings: Vec<String>,
    pub missing_critical: Option<String>,
}

impl DependencyReport {
    pub fn has(&self, table: &str) -> bool {
        self.present.get(table).copied().unwrap_or(false)
    }
}

pub async fn check(ctx: &Context, deps: &[Dependency], d: GameDate) -> Result<DependencyReport, TableError> {
    let mut report = DependencyReport::default();
    for dep in deps {
        let (from, to) = dep.rule.range(d);
        let rows = ctx.tables.row_count(dep.table, from, to).await?;
        let mut problem = (rows < dep.min_rows)
            .then(|| format!("{} has {rows} rows for {from}..{to} (needs {})", dep.table, dep.min_rows));
        if problem.is_none() {
            if let Some((latest, age)) = ctx.tables.freshness(dep.table, from, to).await? {
                if dep.fail_age.is_some_and(|f| age > f) {
                    problem =
                        Some(format!("{} is stale: latest partition {latest} is {} h old", dep.table, age.num_hours()));
                } else if dep.warn_age.is_some_and(|w| age > w) {
                    report.warnings.push(format!(
                        "{} latest partition {latest} is {} h old",
                        dep.table,
                        age.num_hours()
                    ));
                }
            }
        }
        report.present.insert(dep.table.to_string(), problem.is_none());
        if let Some(p) = problem {
            if dep.critical && report.missing_critical.is_none() {
                report.missing_critical = Some(p);
            } else if !dep.critical {
                report.warnings.push(p);
            }
        }
    }
    Ok(report)
}
