#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_json("phase-timeout-check", props_orchestrator::PhaseTimeoutCheck).await
}
