use chrono::{TimeZone, Utc};
use props_core::pipeline::runner::execute;
use props_core::tables::rows::predictions::{Outcome, Recommendation};
use props_core::testkit::Harness;

use super::outcome::{grade, win_profit};
use super::*;
use crate::systems::fixtures::{d, game};

fn pred(
    player: &str,
    system: &str,
    rec: Recommendation,
    predicted: Option<f64>,
    line: Option<f64>,
) -> PlayerPropPredictionRow {
    PlayerPropPredictionRow {
        game_date: d("2024-03-05"),
        prediction_id: format!("{system}:g:{player}"),
        system_id: system.into(),
        game_id: "20240305_BOS_NYK".into(),
        player_lookup: player.into(),
        team: "NYK".into(),
        opponent: "BOS".into(),
        home: true,
        predicted_points: predicted,
        confidence: 75.0,
        recommendation: rec,
        line,
        line_source: line.map(|_| "draftkings".into()),
        over_price: line.map(|_| 120),
        under_price: None,
        line_margin: predicted.zip(line).map(|(p, l)| p - l),
        is_active: true,
        inactive_reason: None,
        is_actionable: rec.is_pick(),
        filter_reason: None,
        feature_version: "v1".into(),
        feature_quality: 1.0,
        feature_snapshot: "{}".into(),
        model_version: "rules-v1".into(),
        processed_at: Utc.with_ymd_and_hms(2024, 3, 5, 15, 0, 0).unwrap(),
        data_hash: String::new(),
    }
}

fn played(player: &str, points: i32) -> PlayerGameSummaryRow {
    let mut g = game("2024-03-05", player, "BOS", true, points);
    g.game_id = "20240305_BOS_NYK".into();
    g
}

#[test]
fn each_prediction_gets_one_outcome_push_is_no_result_and_dnp_is_void() {
    use Recommendation::*;
    let mut dnp = played("dnp", 0);
    dnp.dnp = true;
    dnp.minutes_played = None;
    dnp.points = None;
    let actuals =
        [played("over", 25), played("under", 25), played("push", 20), dnp, played("nl", 12), played("pass", 3)];
    let cases = [
        (pred("over", "s", Over, Some(24.0), Some(20.5)), Outcome::Correct, Some(1.2)),
        (pred("under", "s", Under, Some(17.0), Some(20.5)), Outcome::Incorrect, Some(-1.0)),
        (pred("push", "s", Over, Some(23.0), Some(20.0)), Outcome::Push, Some(0.0)),
        (pred("dnp", "s", Over, Some(23.0), Some(20.5)), Outcome::Void, None),
        (pred("nl", "s", NoLine, Some(10.0), None), Outcome::NoLine, None),
        (pred("pass", "s", Pass, Some(21.0), Some(20.5)), Outcome::Pass, None),
        (pred("ghost", "s", Under, Some(10.0), Some(12.5)), Outcome::Void, None),
    ];
    for (p, want, profit) in &cases {
        let a = actuals.iter().find(|a| a.player_lookup == p.player_lookup);
        let g = grade(p, a);
        assert_eq!(g.outcome, *want, "{}", p.player_lookup);
        assert_eq!(g.profit_units, *profit, "{}", p.player_lookup);
    }
    let g = grade(&cases[3].0, actuals.iter().find(|a| a.player_lookup == "dnp"));
    assert_eq!(g.void_reason.as_deref(), Some("dnp"));
    assert_eq!((g.abs_error, g.actual_points), (None, None), "a void has no error");
    assert_eq!(grade(&cases[6].0, None).void_reason.as_deref(), Some("no box score"));
    let under = grade(&cases[1].0, Some(&actuals[1]));
    assert_eq!(under.price, Some(-110), "no recorded under price: -110");
    assert_eq!((under.abs_error, under.signed_error, under.within_5), (Some(8.0), Some(-8.0), Some(false)));
    assert!((win_profit(-110) - 0.909_090_909).abs() < 1e-6);
    assert_eq!(win_profit(150), 1.5);
}

#[test]
fn grading_totals_reconcile_per_system() {
    use Recommendation::*;
    let actuals: Vec<_> = (0..40).map(|i| played(&format!("p{i}"), 10 + i % 15)).collect();
    let mut preds = Vec::new();
    for (i, rec) in [Over, Under, Pass, NoLine].iter().cycle().take(44).enumerate() {
        let line = (*rec != NoLine).then_some(if i % 7 == 0 { f64::from(10 + (i as i32) % 15) } else { 17.5 });
        let mut p = pred(&format!("p{i}"), if (i / 4) % 2 == 0 { "a" } else { "b" }, *rec, Some(18.0), line);
        p.is_active = i % 11 != 5;
        p.confidence = if i % 3 == 0 { 80.0 } else { 60.0 };
        preds.push(p);
    }
    let graded = grade_all(&preds, &actuals);
    let active = preds.iter().filter(|p| p.is_active).count();
    assert_eq!(graded.len(), active, "every active prediction is graded, no inactive one");
    let perf = performance::summarise(d("2024-03-05"), &graded);
    assert_eq!(perf.len(), 2);
    for p in &perf {
        assert!(reconciles(p), "{p:?}");
        let outcomes: i64 = Outcome::ALL
            .iter()
            .map(|o| graded.iter().filter(|g| g.system_id == p.system_id && g.outcome == *o).count() as i64)
            .sum();
        assert_eq!(outcomes, p.predictions);
        let decided = p.correct + p.incorrect;
        assert_eq!(p.win_rate, (decided > 0).then(|| p.correct as f64 / decided as f64));
    }
    let total = |f: fn(&SystemDailyPerformanceRow) -> i64| perf.iter().map(f).sum::<i64>();
    assert!(total(|p| p.pushes) > 0 && total(|p| p.voids) > 0 && total(|p| p.no_line) > 0, "every outcome occurs");
    assert!(total(|p| p.passes) > 0 && total(|p| p.correct) > 0 && total(|p| p.incorrect) > 0);
    assert_eq!(perf.iter().map(|p| p.predictions).sum::<i64>(), active as i64);
}

#[test]
fn roi_and_splits() {
    use Recommendation::*;
    let actuals = vec![played("a", 25), played("b", 25), played("c", 10)];
    let mut preds = vec![
        pred("a", "s", Over, Some(24.0), Some(20.5)),  // wins at +120
        pred("b", "s", Under, Some(17.0), Some(20.5)), // loses
        pred("c", "s", Under, Some(8.0), Some(12.5)),  // wins at -110
    ];
    preds[2].confidence = 50.0;
    let perf = performance::summarise(d("2024-03-05"), &grade_all(&preds, &actuals));
    let p = &perf[0];
    assert_eq!((p.picks, p.correct, p.incorrect), (3, 2, 1));
    let roi = (1.2 - 1.0 + 100.0 / 110.0) / 3.0;
    assert!((p.roi.unwrap() - roi).abs() < 1e-9);
    assert_eq!((p.over_picks, p.over_correct, p.under_picks, p.under_correct), (1, 1, 2, 1));
    assert_eq!((p.high_conf_picks, p.high_conf_correct), (2, 1));
    assert_eq!(p.mae, Some((1.0 + 8.0 + 2.0) / 3.0));
    assert_eq!(p.bias, Some((-1.0 - 8.0 - 2.0) / 3.0));
}

#[tokio::test]
async fn the_processor_waits_for_box_scores_then_writes_both_tables() {
    let h = Harness::new(Utc.with_ymd_and_hms(2024, 3, 6, 11, 0, 0).unwrap());
    let date = d("2024-03-05");
    let preds = vec![
        pred("a", "s", Recommendation::Over, Some(24.0), Some(20.5)),
        pred("b", "s", Recommendation::NoLine, Some(9.0), None),
    ];
    h.ctx.tables.replace(date, preds).await.unwrap();
    let r = execute(&h.ctx, &Grade, date, false).await.unwrap();
    assert_eq!(r.status, RunStatus::Failed);
    assert!(r.error.unwrap().contains("player_game_summary has 0 rows"));
    h.ctx.tables.replace(date, vec![played("a", 30), played("b", 11)]).await.unwrap();
    let r = execute(&h.ctx, &Grade, date, false).await.unwrap();
    assert_eq!((r.status, r.rows), (RunStatus::Success, 2));
    let acc: Vec<PredictionAccuracyRow> = h.ctx.tables.read_date(date).await.unwrap();
    assert_eq!(acc.iter().map(|a| a.outcome).collect::<Vec<_>>(), [Outcome::Correct, Outcome::NoLine]);
    let perf: Vec<SystemDailyPerformanceRow> = h.ctx.tables.read_date(date).await.unwrap();
    assert_eq!((perf[0].predictions, perf[0].win_rate), (2, Some(1.0)));
    let again = execute(&h.ctx, &Grade, date, false).await.unwrap();
    assert_eq!(again.status, RunStatus::SkippedUnchanged);
}
