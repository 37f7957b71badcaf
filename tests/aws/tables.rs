use std::sync::Arc;

use chrono::{DateTime, Utc};
use props_core::adapters::aws::S3BlobStore;
use props_core::tables::Tables;
use props_core::{GameDate, SystemClock};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct TeamRow {
    game_date: GameDate,
    team: String,
    points: i32,
    #[serde(with = "props_core::tables::ts")]
    processed_at: DateTime<Utc>,
    data_hash: String,
}
props_core::table_row!(TeamRow, "team_boxscores", game_date);

#[tokio::test]
async fn parquet_partitions_round_trip_through_s3() {
    let Some(sdk) = crate::emulator().await else { return };
    let store = S3BlobStore::new(&sdk.0, crate::unique("props-tables"), true);
    store.ensure_bucket().await.unwrap();
    let tables = Tables::new(Arc::new(store), Arc::new(SystemClock));
    let date: GameDate = "2025-01-15".parse().unwrap();
    let row = |t: &str, p| TeamRow {
        game_date: date,
        team: t.into(),
        points: p,
        processed_at: DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    };
    let w = tables.replace(date, vec![row("BOS", 112), row("NYK", 108)]).await.unwrap();
    assert!(w.written);
    assert!(
        !tables.replace(date, vec![row("NYK", 108), row("BOS", 112)]).await.unwrap().written,
        "unchanged partition skipped"
    );
    let back: Vec<TeamRow> = tables.read_date(date).await.unwrap();
    assert_eq!(back.iter().map(|r| r.points).sum::<i32>(), 220);
    assert!(tables.freshness("team_boxscores", date, date).await.unwrap().is_some());
}
