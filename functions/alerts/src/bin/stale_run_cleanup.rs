#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let handler = props_alerts::StaleRunCleanup::from_env()?;
    props_core::lambda::run_json("stale-run-cleanup", handler).await
}
