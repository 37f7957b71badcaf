//! One Lambda for both triggers: SQS batches from `precompute-jobs` (the orchestrator's 3→4
//! `PhaseTrigger`) and the scheduler's JSON input.
#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_queue_or_schedule("precompute", props_precompute::Precompute::default()).await
}
