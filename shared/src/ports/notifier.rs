//! Telling a human: Slack when configured, the log otherwise.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    Info,
    Warning,
    Error,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
            Severity::Critical => "CRITICAL",
        }
    }
}

/// One message to a human. `lines` are real lines (never joined with a literal `\n`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub severity: Severity,
    pub title: String,
    pub lines: Vec<String>,
    /// Short label/value pairs shown side by side (game date, function, counts).
    pub fields: Vec<(String, String)>,
    /// What raised it (function or job name), for routing and deduplication.
    pub source: String,
}

impl Alert {
    pub fn new(severity: Severity, source: impl Into<String>, title: impl Into<String>) -> Self {
        Self { severity, title: title.into(), lines: Vec::new(), fields: Vec::new(), source: source.into() }
    }

    pub fn line(mut self, line: impl Into<String>) -> Self {
        self.lines.push(line.into());
        self
    }

    pub fn field(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((label.into(), value.into()));
        self
    }
}

/// What happened to an alert. Sending is never fatal: a failure is reported here and counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sent {
        attempts: u32,
    },
    Logged,
    Failed {
        attempts: u32,
        reason: String,
    },
    /// Not sent: the same alert went out within the quiet period.
    Suppressed,
}

#[async_trait]
pub trait Notifier: Send + Sync {
    async fn notify(&self, alert: &Alert) -> Delivery;
}
