use props_core::adapters::aws::S3BlobStore;

#[tokio::test]
async fn s3_blob_store_passes_the_contract() {
    let Some(sdk) = crate::emulator().await else { return };
    let store = S3BlobStore::new(&sdk.0, crate::unique("props-contract"), true);
    store.ensure_bucket().await.unwrap();
    props_core::contract::blob::run(&store, "contract").await;
}
