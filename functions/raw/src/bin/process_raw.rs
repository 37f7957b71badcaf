#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_sqs("process-raw", props_raw::ProcessRaw).await
}
