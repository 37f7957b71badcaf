use props_core::adapters::aws::DynamoStateStore;

#[tokio::test]
async fn dynamodb_state_store_passes_the_contract() {
    let Some(sdk) = crate::emulator().await else { return };
    let store = DynamoStateStore::new(&sdk.0, crate::unique("props-state"));
    store.ensure_table().await.unwrap();
    props_core::contract::state::run(&store, "contract").await;
}

#[tokio::test]
async fn two_dynamodb_clients_race_and_exactly_one_wins() {
    let Some(sdk) = crate::emulator().await else { return };
    let table = crate::unique("props-race");
    let a = DynamoStateStore::new(&sdk.0, &table);
    a.ensure_table().await.unwrap();
    // A second, independently built client: as separate Lambda instances would be.
    let sdk_b = props_core::adapters::aws::load_sdk_config().await;
    let b = DynamoStateStore::new(&sdk_b, &table);
    props_core::contract::state::race(&a, &b, "race").await;
}
