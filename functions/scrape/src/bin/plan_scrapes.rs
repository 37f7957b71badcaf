#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_json("plan-scrapes", props_scrape::PlanScrapes).await
}
