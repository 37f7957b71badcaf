#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    props_core::lambda::run_sqs("scrape", props_scrape::Scrape::production()).await
}
