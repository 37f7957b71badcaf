use chrono::{TimeZone, Utc};
use props_core::testkit::Harness;

use super::*;
use crate::model::loader;
use crate::systems::fixtures::{features, game};

/// 40 days × 30 players: points = 1.2 · L10 with a little deterministic noise; the line is off by 3.
async fn seed(h: &Harness, version: &str, noise: f64) {
    seed_slope(h, version, 1.2, noise).await
}

/// As [`seed`], with points = `slope` · L10.
async fn seed_slope(h: &Harness, version: &str, slope: f64, noise: f64) {
    for day in 0..40u64 {
        let date = d("2024-01-01").plus_days(day);
        let mut rows = Vec::new();
        let mut games = Vec::new();
        for p in 0..30 {
            let l10 = 8.0 + p as f64;
            let wobble = noise * (((day * 31 + p as u64 * 17) % 7) as f64 - 3.0);
            let points = (slope * l10 + wobble).round() as i32;
            let mut r = features(
                &date.to_string(),
                &format!("p{p}"),
                &[("points_avg_last_10", l10), ("home", (p % 2) as f64)],
                Some(1.2 * l10 + 3.0),
            );
            r.feature_version = version.into();
            rows.push(r);
            games.push(game(&date.to_string(), &format!("p{p}"), "BOS", true, points));
        }
        h.ctx.tables.replace(date, rows).await.unwrap();
        h.ctx.tables.replace(date, games).await.unwrap();
    }
}

#[tokio::test]
async fn the_champion_is_judged_on_the_new_models_validation_rows() {
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 2, 12, 12, 0, 0).unwrap());
    seed(&h, "v1", 0.3).await;
    let (from, to) = (d("2024-01-01"), d("2024-02-09"));
    let first = train(&h.ctx, from, to, &quick()).await.unwrap();
    assert!(first.promoted);

    // Scoring changes (0.8 · L10) and is noisier: the new model's MAE is above the champion's
    // stored one, yet on these rows the champion is far worse.
    h.clock.advance(chrono::Duration::days(7));
    seed_slope(&h, "v1", 0.8, 2.0).await;
    let next = train(&h.ctx, from, to, &quick()).await.unwrap();
    assert!(next.validation_mae > first.validation_mae, "{next:?} vs {first:?}");
    assert!(next.promoted, "the stale champion must not be kept on an easier window's MAE: {next:?}");
    assert_eq!(registry::champion(h.ctx.state.as_ref()).await.unwrap().unwrap().version, next.version);
}

fn d(s: &str) -> GameDate {
    s.parse().unwrap()
}

fn quick() -> Settings {
    Settings { min_examples: 100, iterations: 100, learning_rate: 0.1, ..Settings::default() }
}

#[tokio::test]
async fn trains_validates_on_later_dates_registers_and_promotes_only_a_better_model() {
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 2, 12, 12, 0, 0).unwrap());
    seed(&h, "v1", 0.3).await;
    let (from, to) = (d("2024-01-01"), d("2024-02-09"));
    let r = train(&h.ctx, from, to, &quick()).await.unwrap();
    assert_eq!((r.train_rows, r.validation_rows), (32 * 30, 8 * 30), "the last 20% of dates validate");
    assert_eq!(r.validation_from, Some(d("2024-02-02")));
    assert!(r.validation_mae < 1.5, "learns points ≈ 1.2·L10: {r:?}");
    assert!(r.validation_mae < r.line_mae.unwrap(), "beats a line that is 3 off");
    assert!(r.promoted);
    assert!(h.ctx.blobs.get(&format!("models/gbm/{}/model.json", r.version)).await.unwrap().is_some());
    assert!(h.ctx.blobs.get(&format!("models/gbm/{}/metadata.json", r.version)).await.unwrap().is_some());
    let champ = loader::champion(&h.ctx).await.unwrap().unwrap();
    assert_eq!(champ.version, r.version);

    // A noisier history trains a worse model: registered, not promoted.
    h.clock.advance(chrono::Duration::days(7));
    seed(&h, "v1", 4.0).await;
    let worse = train(&h.ctx, from, to, &quick()).await.unwrap();
    assert!(worse.validation_mae > r.validation_mae);
    assert_eq!((worse.promoted, worse.champion.as_str()), (false, r.version.as_str()));
    assert_eq!(registry::versions(h.ctx.state.as_ref()).await.unwrap().len(), 2);
    assert_eq!(registry::champion(h.ctx.state.as_ref()).await.unwrap().unwrap().version, r.version);
}

#[tokio::test]
async fn the_champion_predicts_and_refuses_another_feature_version() {
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 2, 12, 12, 0, 0).unwrap());
    seed(&h, "v1", 0.3).await;
    train(&h.ctx, d("2024-01-01"), d("2024-02-09"), &quick()).await.unwrap();
    let model = loader::champion(&h.ctx).await.unwrap().unwrap();
    let row = features("2024-02-10", "x", &[("points_avg_last_10", 20.0), ("home", 1.0)], Some(20.5));
    let league = crate::league::League::default();
    let x = crate::systems::Input { features: crate::features::Features(&row), history: &[], league: &league };
    let e = crate::systems::gbm::predict(&x, Some(&model)).estimate().unwrap();
    assert!((e.points - 24.0).abs() < 2.0, "≈ 1.2 × 20: {}", e.points);
    let mut other = row.clone();
    other.feature_version = "v2".into();
    let x = crate::systems::Input { features: crate::features::Features(&other), history: &[], league: &league };
    let v = crate::systems::gbm::predict(&x, Some(&model));
    assert!(matches!(&v, crate::systems::Verdict::Abstain(m) if m.contains("feature version")), "{v:?}");
}

#[tokio::test]
async fn too_little_history_trains_nothing() {
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 2, 12, 12, 0, 0).unwrap());
    seed(&h, "v1", 0.3).await;
    let e = train(&h.ctx, d("2024-01-01"), d("2024-01-03"), &quick()).await.unwrap_err();
    assert!(matches!(e, TrainError::TooFew(..)), "{e}");
    assert!(registry::champion(h.ctx.state.as_ref()).await.unwrap().is_none());
}
