#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let handler = props_alerts::FreshnessCheck::from_env()?;
    props_core::lambda::run_json("freshness-check", handler).await
}
