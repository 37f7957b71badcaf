//! A job's findings and the ONE message they become. Every job collects checks first and sends
//! once at the end: a burst of findings must not become a burst of Slack messages.

use props_core::GameDate;
use props_core::ports::{Alert, Severity};
use props_core::secrets::Redactor;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Error,
    Critical,
}

impl Status {
    /// The alert severity of a failing check (`None` when it passes).
    pub fn severity(self) -> Option<Severity> {
        match self {
            Status::Pass => None,
            Status::Warn => Some(Severity::Warning),
            Status::Error => Some(Severity::Error),
            Status::Critical => Some(Severity::Critical),
        }
    }

    /// A configured severity as a check status (info is treated as a warning: a check that
    /// fails always deserves a look).
    pub fn from_severity(s: Severity) -> Status {
        match s {
            Severity::Info | Severity::Warning => Status::Warn,
            Severity::Error => Status::Error,
            Severity::Critical => Status::Critical,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Warn => "WARNING",
            Status::Error => "ERROR",
            Status::Critical => "CRITICAL",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    pub name: String,
    pub status: Status,
    pub detail: String,
}

impl Check {
    pub fn new(name: impl Into<String>, status: Status, detail: impl Into<String>) -> Self {
        Self { name: name.into(), status, detail: detail.into() }
    }
    pub fn pass(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(name, Status::Pass, detail)
    }
    /// A check that could not be evaluated (a store or table error) fails; it never crashes
    /// the job, which must still report everything else.
    pub fn broken(name: impl Into<String>, error: &dyn std::fmt::Display) -> Self {
        Self::new(name, Status::Error, format!("could not be checked: {error}"))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub job: &'static str,
    pub game_date: GameDate,
    pub checks: Vec<Check>,
    pub fields: Vec<(String, String)>,
    /// Replaces "N of M checks failing" in the title when the job has a better word for it.
    /// The title is the quiet-period key, so it should name the cause.
    pub headline: Option<String>,
    /// Figures for the JSON summary beyond the checks (by key).
    pub data: serde_json::Map<String, Value>,
}

impl Report {
    pub fn new(job: &'static str, game_date: GameDate) -> Self {
        Self { job, game_date, checks: Vec::new(), fields: Vec::new(), headline: None, data: serde_json::Map::new() }
    }

    pub fn push(&mut self, c: Check) {
        self.checks.push(c);
    }

    pub fn worst(&self) -> Status {
        self.checks.iter().map(|c| c.status).max().unwrap_or(Status::Pass)
    }

    pub fn failing(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status != Status::Pass)
    }

    /// Passes every text through the redactor: details can quote stored errors, which can
    /// quote requests.
    pub fn redacted(mut self, r: &Redactor) -> Self {
        for c in &mut self.checks {
            c.detail = r.redact(&c.detail);
        }
        self
    }

    /// The one message: failing checks first (each named, worst first), then what passed.
    pub fn alert(&self) -> Alert {
        let mut failing: Vec<&Check> = self.failing().collect();
        failing.sort_by_key(|c| std::cmp::Reverse(c.status));
        let n = self.checks.len();
        let (severity, title) = match self.worst().severity() {
            None => (Severity::Info, format!("{} {}: all {n} checks pass", self.job, self.game_date)),
            Some(s) => match &self.headline {
                Some(h) => (s, format!("{} {}: {h}", self.job, self.game_date)),
                None => (s, format!("{} {}: {} of {n} checks failing", self.job, self.game_date, failing.len())),
            },
        };
        let mut alert = Alert::new(severity, self.job, title);
        for c in &failing {
            alert = alert.line(format!("• *{}* [{}] {}", c.name, c.status.label(), c.detail));
        }
        let passing: Vec<&Check> = self.checks.iter().filter(|c| c.status == Status::Pass).collect();
        if failing.is_empty() {
            for c in passing {
                alert = alert.line(format!("• {}: {}", c.name, c.detail));
            }
        } else if !passing.is_empty() {
            alert = alert
                .line(format!("Passing: {}", passing.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")));
        }
        alert = alert.field("game date", self.game_date.to_string());
        for (k, v) in &self.fields {
            alert = alert.field(k.clone(), v.clone());
        }
        alert
    }

    pub fn summary(&self) -> Value {
        let mut out = json!({
            "job": self.job,
            "game_date": self.game_date,
            "status": self.worst(),
            "failing": self.failing().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            "checks": self.checks,
        });
        for (k, v) in &self.data {
            out[k] = v.clone();
        }
        out
    }
}

/// `12/14 (86%)`
pub fn share(n: usize, of: usize) -> String {
    if of == 0 {
        return format!("{n}/0");
    }
    format!("{n}/{of} ({:.0}%)", n as f64 * 100.0 / of as f64)
}

/// At most `max` items, then `+N more`.
pub fn list<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut out: Vec<&str> = items.iter().take(max).map(AsRef::as_ref).collect();
    let more = items.len().saturating_sub(max);
    let more_text = format!("+{more} more");
    if more > 0 {
        out.push(&more_text);
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_message_names_every_failing_check_worst_first() {
        let mut r = Report::new("daily-health", "2025-01-15".parse().unwrap());
        r.push(Check::pass("dlq", "all empty"));
        r.push(Check::new("box scores", Status::Warn, "9/10"));
        r.push(Check::new("predictions", Status::Critical, "none"));
        let a = r.alert();
        assert_eq!(a.severity, Severity::Critical);
        assert_eq!(a.title, "daily-health 2025-01-15: 2 of 3 checks failing");
        assert!(a.lines[0].contains("predictions") && a.lines[1].contains("box scores"), "{:?}", a.lines);
        assert_eq!(a.lines[2], "Passing: dlq");
        assert_eq!(list(&["a", "b", "c"], 2), "a, b, +1 more");
        assert_eq!(share(1, 4), "1/4 (25%)");
    }
}
