//! `workflow_decisions`: every RUN/SKIP with its reason, logged and written as ONE object per
//! planner invocation.

use props_core::tables::TableError;
use props_core::tables::row::sha256_hex;
use props_core::tables::rows::orchestration::WorkflowDecision;
use props_core::{Context, GameDate};

use super::workflows::Plan;

/// A decision row for `plan`, with what enqueuing it did.
pub fn row(
    ctx: &Context,
    date: GameDate,
    plan: &Plan,
    sent: usize,
    duplicates: usize,
    backfill: bool,
) -> WorkflowDecision {
    let now = ctx.clock.now();
    let basis = format!("{}|{}|{}|{}", plan.workflow, date, now.to_rfc3339(), plan.reason);
    WorkflowDecision {
        game_date: date,
        decision_id: sha256_hex(basis.as_bytes())[..16].to_string(),
        decided_at: now,
        workflow: plan.workflow.to_string(),
        decision: if plan.run { "RUN" } else { "SKIP" }.to_string(),
        reason: plan.reason.clone(),
        jobs: sent as i32,
        duplicates: duplicates as i32,
        mode: if backfill { "backfill" } else { "live" }.to_string(),
        processed_at: now,
        data_hash: String::new(),
    }
}

/// Writes the invocation's decisions as one object.
pub async fn write(ctx: &Context, date: GameDate, rows: Vec<WorkflowDecision>) -> Result<(), TableError> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.decision_id.as_str()).collect();
    let snapshot =
        format!("plan-{}-{}", ctx.clock.now().format("%Y%m%dT%H%M%SZ"), &sha256_hex(ids.join("\n").as_bytes())[..12]);
    ctx.tables.append(date, &snapshot, rows).await.map(|_| ())
}
