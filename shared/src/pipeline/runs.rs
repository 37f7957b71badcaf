//! Run history: every processor run writes `running` at start and its final status at the end.
//! Running runs sit on the status index (`STATUS#running`) so stale-run cleanup finds them
//! without a scan.

use chrono::{DateTime, Duration, Utc};

use crate::game_date::GameDate;
use crate::ports::state::{Condition, Item, KeyCondition, StateError, StateStore, Update};

pub const RUNNING_INDEX: &str = "STATUS#running";

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A run in progress: finish it with [`RunHandle::finish`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunHandle {
    pub pk: String,
    pub sk: String,
}

pub async fn start_run(
    state: &dyn StateStore,
    processor: &str,
    date: GameDate,
    run_id: &str,
    now: DateTime<Utc>,
) -> Result<RunHandle, StateError> {
    let pk = format!("RUN#{processor}#{date}");
    let sk = format!("{}#{run_id}", ts(now));
    let item = Item::new(&pk, &sk)
        .with("status", "running")
        .with("processor", processor)
        .with("game_date", date.to_string())
        .with("started_at", ts(now))
        .with("gsi1pk", RUNNING_INDEX)
        .with("gsi1sk", ts(now));
    state.put(item, Some(Condition::NotExists)).await?;
    Ok(RunHandle { pk, sk })
}

impl RunHandle {
    /// Records the final status; leaves the running index. Only a run still `running` can be
    /// finished, so a run that cleanup already failed keeps that verdict.
    pub async fn finish(
        &self,
        state: &dyn StateStore,
        status: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let mut u = Update::new().set("status", status).set("finished_at", ts(now)).remove("gsi1pk").remove("gsi1sk");
        if let Some(r) = reason {
            u = u.set("reason", r.chars().take(1_000).collect::<String>());
        }
        match state.update(&self.pk, &self.sk, u, Some(Condition::eq("status", "running"))).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_condition_failed() => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Runs still `running` that started before `now - older_than`.
pub async fn stale_runs(
    state: &dyn StateStore,
    now: DateTime<Utc>,
    older_than: Duration,
) -> Result<Vec<Item>, StateError> {
    state.query_index(RUNNING_INDEX, KeyCondition::LessOrEqual(ts(now - older_than))).await
}

/// Marks a stale run failed (conditional: a run that just finished is left alone).
pub async fn fail_stale(
    state: &dyn StateStore,
    run: &Item,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, StateError> {
    RunHandle { pk: run.pk.clone(), sk: run.sk.clone() }.finish(state, "failed", Some(reason), now).await?;
    Ok(state.get(&run.pk, &run.sk).await?.and_then(|i| i.get_str("status").map(|s| s == "failed")).unwrap_or(false))
}

/// Recent runs of a processor for a date, newest last.
pub async fn runs_for(state: &dyn StateStore, processor: &str, date: GameDate) -> Result<Vec<Item>, StateError> {
    state.query(&format!("RUN#{processor}#{date}"), KeyCondition::All).await
}
