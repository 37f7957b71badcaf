//! One Lambda for both triggers: SQS batches from `analytics-jobs` and the scheduler's JSON
//! input (see `props_analytics::entry` for how the two shapes are told apart).
#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_analytics::entry::run("analytics", props_analytics::Analytics::from_env()).await
}
