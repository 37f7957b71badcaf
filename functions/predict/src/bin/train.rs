//! Scheduled weekly: fits `gbm` and promotes it if it beats the champion.
#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_json("train", props_predict::TrainHandler::default()).await
}
