#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let handler = props_alerts::DailyHealth::from_env()?;
    props_core::lambda::run_json("daily-health", handler).await
}
