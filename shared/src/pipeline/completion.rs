//! Completions: which processors finished for a date, recorded with ONE conditional write each.
//!
//! The write itself is the duplicate check (the previous system recorded first and checked
//! after, so every message looked like a duplicate): a redelivered completion, or an older one
//! arriving late, fails the condition and changes nothing.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::game_date::GameDate;
use crate::messages::RunStatus;
use crate::ports::state::{Condition, Item, KeyCondition, StateError, StateStore, Update};

pub fn pk(phase: u8, date: GameDate) -> String {
    format!("COMPLETION#{phase}#{date}")
}

pub const META: &str = "META";

fn seq_pk(processor: &str, date: GameDate) -> String {
    format!("OUTSEQ#{processor}#{date}")
}

#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub phase: u8,
    pub processor: String,
    pub game_date: GameDate,
    pub status: RunStatus,
    pub rows: u64,
    pub output_hash: String,
    pub completed_at: DateTime<Utc>,
    /// [`next_output_seq`] of the run; 0 from a producer that predates it (then the time orders).
    pub seq: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionRecord {
    /// First completion of this processor for the date.
    New,
    /// A newer run with a different output replaced the recorded one.
    Changed,
    /// The same completion again, or an older one: nothing changed.
    Duplicate,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The next output number of `processor` for `date` (1 for its first output): taken by the run
/// after its table write, so the numbers follow the order the outputs were written in.
pub async fn next_output_seq(state: &dyn StateStore, processor: &str, date: GameDate) -> Result<u64, StateError> {
    let item = state.update(&seq_pk(processor, date), "SEQ", Update::new().add("seq", 1), None).await?;
    Ok(item.get_i64("seq").unwrap_or(0).max(0) as u64)
}

/// The number of `processor`'s latest output for `date` (0: none yet).
pub async fn latest_output_seq(state: &dyn StateStore, processor: &str, date: GameDate) -> Result<u64, StateError> {
    let item = state.get(&seq_pk(processor, date), "SEQ").await?;
    Ok(item.and_then(|i| i.get_i64("seq")).unwrap_or(0).max(0) as u64)
}

/// Records a completion. Only a NEWER completion (a higher output number; for completions
/// without one, a later time) with a DIFFERENT output replaces the recorded one; the date's
/// META item keeps the first completion time (for tiered timeouts).
pub async fn record_completion(state: &dyn StateStore, c: &Completion) -> Result<CompletionRecord, StateError> {
    let pk = pk(c.phase, c.game_date);
    let sk = format!("PROC#{}", c.processor);
    let status = serde_json::to_value(c.status).unwrap_or(Value::Null);
    let item = Item::new(&pk, &sk)
        .with("status", status)
        .with("rows", c.rows)
        .with("output_hash", c.output_hash.as_str())
        .with("completed_at", ts(c.completed_at))
        .with("seq", c.seq);
    let newer = if c.seq > 0 {
        Condition::Or(vec![Condition::missing("seq"), Condition::eq("seq", 0), Condition::lt("seq", c.seq)])
    } else {
        Condition::And(vec![
            Condition::Or(vec![Condition::missing("seq"), Condition::eq("seq", 0)]),
            Condition::lt("completed_at", ts(c.completed_at)),
        ])
    };
    let newer_and_different = Condition::Or(vec![
        Condition::NotExists,
        Condition::And(vec![newer, Condition::ne("output_hash", c.output_hash.as_str())]),
    ]);
    let existed = match state.put(item, Some(newer_and_different)).await {
        Ok(()) => state.get(&pk, &format!("{sk}#seen")).await?.is_some(),
        Err(e) if e.is_condition_failed() => return Ok(CompletionRecord::Duplicate),
        Err(e) => return Err(e),
    };
    // A marker distinguishes New from Changed without a read before the decisive write.
    state.put(Item::new(&pk, format!("{sk}#seen")), None).await?;
    // First completion of the phase for this date: the clock for timeouts starts here, and the
    // date joins the open-dates index scanned by phase-timeout-check.
    let first = Update::new()
        .set("first_completion_at", ts(c.completed_at))
        .set("gsi1pk", format!("OPEN#{}", c.phase))
        .set("gsi1sk", format!("{}#{}", ts(c.completed_at), c.game_date))
        .set("game_date", c.game_date.to_string());
    match state.update(&pk, META, first, Some(Condition::missing("first_completion_at"))).await {
        Ok(_) => {}
        Err(e) if e.is_condition_failed() => {}
        Err(e) => return Err(e),
    }
    Ok(if existed { CompletionRecord::Changed } else { CompletionRecord::New })
}

/// The recorded completions of a phase and date, by processor.
pub async fn completions(state: &dyn StateStore, phase: u8, date: GameDate) -> Result<Vec<Completion>, StateError> {
    let items = state.query(&pk(phase, date), KeyCondition::BeginsWith("PROC#".into())).await?;
    Ok(items
        .into_iter()
        .filter(|i| !i.sk.ends_with("#seen"))
        .filter_map(|i| {
            Some(Completion {
                phase,
                processor: i.sk.strip_prefix("PROC#")?.to_string(),
                game_date: date,
                status: serde_json::from_value(i.attrs.get("status")?.clone()).ok()?,
                rows: i.get_i64("rows").unwrap_or(0).max(0) as u64,
                output_hash: i.get_str("output_hash").unwrap_or_default().to_string(),
                completed_at: i.get_str("completed_at").and_then(|s| crate::tables::ts::parse(s).ok())?,
                seq: i.get_i64("seq").unwrap_or(0).max(0) as u64,
            })
        })
        .collect())
}

/// When the first completion of the phase for the date was recorded.
pub async fn first_completion_at(
    state: &dyn StateStore,
    phase: u8,
    date: GameDate,
) -> Result<Option<DateTime<Utc>>, StateError> {
    Ok(state
        .get(&pk(phase, date), META)
        .await?
        .and_then(|i| i.get_str("first_completion_at").and_then(|s| crate::tables::ts::parse(s).ok())))
}

/// Takes the date off the open-dates index once its transition has fired cleanly.
pub async fn close_date(state: &dyn StateStore, phase: u8, date: GameDate) -> Result<(), StateError> {
    state
        .update(&pk(phase, date), META, Update::new().remove("gsi1pk").remove("gsi1sk"), Some(Condition::Exists))
        .await
        .map(|_| ())
}

/// Dates of a phase still waiting for their transition, oldest first.
pub async fn open_dates(state: &dyn StateStore, phase: u8) -> Result<Vec<GameDate>, StateError> {
    let items = state.query_index(&format!("OPEN#{phase}"), KeyCondition::All).await?;
    Ok(items.iter().filter_map(|i| i.get_str("game_date")?.parse().ok()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::SqliteStateStore;
    use chrono::{Duration, TimeZone};

    fn c(proc_: &str, hash: &str, minute: i64) -> Completion {
        Completion {
            phase: 4,
            processor: proc_.into(),
            game_date: "2025-01-15".parse().unwrap(),
            status: RunStatus::Success,
            rows: 10,
            output_hash: hash.into(),
            completed_at: Utc.with_ymd_and_hms(2025, 1, 15, 16, 0, 0).unwrap() + Duration::minutes(minute),
            seq: 0,
        }
    }

    #[tokio::test]
    async fn duplicates_and_late_arrivals_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        assert_eq!(record_completion(&s, &c("ml_feature_store", "h1", 0)).await.unwrap(), CompletionRecord::New);
        assert_eq!(record_completion(&s, &c("ml_feature_store", "h1", 0)).await.unwrap(), CompletionRecord::Duplicate);
        assert_eq!(
            record_completion(&s, &c("ml_feature_store", "h1", 5)).await.unwrap(),
            CompletionRecord::Duplicate,
            "same output later"
        );
        assert_eq!(record_completion(&s, &c("ml_feature_store", "h2", 10)).await.unwrap(), CompletionRecord::Changed);
        assert_eq!(
            record_completion(&s, &c("ml_feature_store", "h0", 3)).await.unwrap(),
            CompletionRecord::Duplicate,
            "older arrives late"
        );
        let all = completions(&s, 4, "2025-01-15".parse().unwrap()).await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].output_hash, "h2");
        let first = first_completion_at(&s, 4, "2025-01-15".parse().unwrap()).await.unwrap().unwrap();
        assert_eq!(first, c("x", "", 0).completed_at);
        assert_eq!(open_dates(&s, 4).await.unwrap().len(), 1);
        close_date(&s, 4, "2025-01-15".parse().unwrap()).await.unwrap();
        assert!(open_dates(&s, 4).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn output_numbers_order_completions_of_the_same_instant() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        let d: GameDate = "2025-01-15".parse().unwrap();
        let seqs = [
            next_output_seq(&s, "ml_feature_store", d).await.unwrap(),
            next_output_seq(&s, "ml_feature_store", d).await.unwrap(),
            next_output_seq(&s, "ml_feature_store", d).await.unwrap(),
        ];
        assert_eq!(seqs, [1, 2, 3]);
        assert_eq!(latest_output_seq(&s, "ml_feature_store", d).await.unwrap(), 3);
        assert_eq!(latest_output_seq(&s, "player_daily_cache", d).await.unwrap(), 0);
        assert_eq!(next_output_seq(&s, "ml_feature_store", d.next()).await.unwrap(), 1, "numbered per date");
        let at = |hash: &str, seq| Completion { seq, ..c("ml_feature_store", hash, 0) };
        // Three outputs within one millisecond, delivered newest first then the rest.
        assert_eq!(record_completion(&s, &at("h3", 3)).await.unwrap(), CompletionRecord::New);
        assert_eq!(record_completion(&s, &at("h1", 1)).await.unwrap(), CompletionRecord::Duplicate, "older");
        assert_eq!(record_completion(&s, &at("h2", 2)).await.unwrap(), CompletionRecord::Duplicate, "older");
        assert_eq!(
            record_completion(&s, &at("h4", 4)).await.unwrap(),
            CompletionRecord::Changed,
            "same instant, newer"
        );
        assert_eq!(record_completion(&s, &at("h4", 5)).await.unwrap(), CompletionRecord::Duplicate, "same output");
        let all = completions(&s, 4, d).await.unwrap();
        assert_eq!((all[0].output_hash.as_str(), all[0].seq), ("h4", 4));
        // A completion without a number (an older producer) cannot displace a numbered one.
        let legacy = Completion { seq: 0, ..c("ml_feature_store", "h9", 60) };
        assert_eq!(record_completion(&s, &legacy).await.unwrap(), CompletionRecord::Duplicate);
    }
}
