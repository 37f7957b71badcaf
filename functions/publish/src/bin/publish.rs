//! One Lambda for `publish-jobs` (SQS batches of `PublishJob`) and direct invocations (`{"date": ...}`).
#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_queue_or_schedule("publish", props_publish::Publish).await
}
