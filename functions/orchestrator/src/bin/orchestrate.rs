#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_sqs("orchestrate", props_orchestrator::Orchestrate).await
}
