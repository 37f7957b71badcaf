#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let handler = props_alerts::PerformanceAlert::from_env()?;
    props_core::lambda::run_json("performance-alert", handler).await
}
