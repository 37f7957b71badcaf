//! Scheduled 06:00 ET: grades yesterday (or `{"date": ...}`).
#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_json("grade", props_predict::GradeHandler).await
}
