#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_json("self-heal", props_self_heal::SelfHeal).await
}
