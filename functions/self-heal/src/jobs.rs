//! The messages healing sends: the same envelopes the pipeline sends itself, so every consumer
//! handles a heal exactly like a first run (and recognises a duplicate the same way).

use chrono::{DateTime, Utc};
use props_core::GameDate;
use props_core::messages::{Envelope, EnvelopeError, PhaseTrigger, ScrapeJob};
use props_core::pipeline::Phase;
use props_core::ports::QueueName;
use serde_json::{Map, Value};

/// Run these processors (all of the phase when empty) of `phase` for `date`.
pub fn rerun(
    phase: Phase,
    date: GameDate,
    processors: &[&str],
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(QueueName, Envelope), EnvelopeError> {
    let payload = PhaseTrigger {
        to_phase: phase.number(),
        fingerprint: reason.to_string(),
        degraded: false,
        processors: processors.iter().map(|p| p.to_string()).collect(),
    };
    Ok((phase.queue(), Envelope::new(&payload, date, phase.number(), "self-heal", reason, now, false)?))
}

/// Fetch the box scores (player and team game logs) of a played date again.
pub fn boxscore_scrapes(date: GameDate, now: DateTime<Utc>) -> Result<Vec<(QueueName, Envelope)>, EnvelopeError> {
    ["P", "T"]
        .into_iter()
        .map(|pt| {
            let mut params = Map::new();
            params.insert("date".into(), Value::from(date.to_string()));
            params.insert("season".into(), Value::from(date.season()));
            params.insert("player_or_team".into(), Value::from(pt));
            let job = ScrapeJob { source: "nba/gamelog".into(), workflow: "self_heal".into(), params };
            Ok((QueueName::ScrapeJobs, Envelope::new(&job, date, 1, "self-heal", "self_heal", now, false)?))
        })
        .collect()
}
