#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_json("retry-failed", props_self_heal::RetryFailed).await
}
