//! One Lambda for `predict-jobs` (SQS batches) and direct invocations (`{"date": ...}`).
#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_queue_or_schedule("predict", props_predict::PredictHandler).await
}
