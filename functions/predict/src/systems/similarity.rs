//! `similarity`: a weighted average of the player's past games most like tonight's — opponent
//! defence tier, rest bucket, venue and recent form — each read from THAT game's real opponent,
//! venue and dates (never assumed). PASS when fewer than [`MIN_SIMILAR`] games qualify.

use props_core::tables::rows::analytics::PlayerGameSummaryRow;

use super::{Estimate, Input, Verdict, averages, confidence};
use crate::features as f;
use crate::league::Tier;

pub const MIN_SIMILAR: usize = 5;
/// A past game counts as similar from this score (0–1) up.
pub const MIN_SCORE: f64 = 0.6;
const W_TIER: f64 = 0.35;
const W_REST: f64 = 0.20;
const W_VENUE: f64 = 0.20;
const W_FORM: f64 = 0.25;
/// Per game further back, a similar game's weight shrinks by this factor.
const RECENCY: f64 = 0.98;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rest {
    BackToBack,
    OneDay,
    Rested,
}

impl Rest {
    pub fn of_days(days_off: Option<i64>) -> Rest {
        match days_off {
            Some(0) => Rest::BackToBack,
            Some(1) => Rest::OneDay,
            _ => Rest::Rested,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Hot,
    Neutral,
    Cold,
}

impl Form {
    /// Last-5 average against the season's: ±10 % marks a streak.
    pub fn of(l5: Option<f64>, season: Option<f64>) -> Form {
        match (l5, season) {
            (Some(a), Some(s)) if s > 0.0 && a > 1.1 * s => Form::Hot,
            (Some(a), Some(s)) if s > 0.0 && a < 0.9 * s => Form::Cold,
            _ => Form::Neutral,
        }
    }
}

/// What makes one game like another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Situation {
    pub tier: Tier,
    pub rest: Rest,
    pub home: bool,
    pub form: Form,
}

impl Situation {
    pub fn score(&self, other: &Situation) -> f64 {
        let m = |same: bool, w: f64| if same { w } else { 0.0 };
        m(self.tier == other.tier, W_TIER)
            + m(self.rest == other.rest, W_REST)
            + m(self.home == other.home, W_VENUE)
            + m(self.form == other.form, W_FORM)
    }
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The situation of each played game, from the games before it: its own opponent's tier, the
/// days since his previous game, its venue, and his form going into it.
pub fn past_situations<'a>(x: &Input<'a>) -> Vec<(&'a PlayerGameSummaryRow, Situation)> {
    let played: Vec<&PlayerGameSummaryRow> = x.played().collect();
    let mut out = Vec::with_capacity(played.len());
    for (i, g) in played.iter().enumerate() {
        let before: Vec<f64> = played[..i].iter().filter_map(|p| p.points).map(f64::from).collect();
        let l5 = (before.len() >= 3).then(|| mean(&before[before.len().saturating_sub(5)..])).flatten();
        let rest = Rest::of_days(i.checked_sub(1).map(|j| played[j].game_date.days_until(g.game_date) - 1));
        let s = Situation { tier: x.league.tier(&g.opponent), rest, home: g.home, form: Form::of(l5, mean(&before)) };
        out.push((*g, s));
    }
    out
}

pub fn tonight(x: &Input<'_>) -> Situation {
    let v = x.features;
    let rest = if v.flag(f::BACK_TO_BACK) {
        Rest::BackToBack
    } else {
        Rest::of_days(v.data(f::DAYS_REST).map(|d| d.round() as i64))
    };
    let (l5, season) = averages(&v).map_or((None, None), |(l5, _, s)| (Some(l5), Some(s)));
    Situation { tier: x.league.tier(&v.0.opponent), rest, home: v.0.home, form: Form::of(l5, season) }
}

pub fn predict(x: &Input<'_>) -> Verdict {
    let now = tonight(x);
    let past = past_situations(x);
    let n = past.len();
    let similar: Vec<(f64, f64)> = past
        .iter()
        .enumerate()
        .filter_map(|(i, (g, s))| {
            let score = s.score(&now);
            let points = f64::from(g.points?);
            (score >= MIN_SCORE).then(|| (score * RECENCY.powi((n - 1 - i) as i32), points))
        })
        .collect();
    if similar.len() < MIN_SIMILAR {
        return Verdict::Abstain(format!("{} similar games (needs {MIN_SIMILAR})", similar.len()));
    }
    let w: f64 = similar.iter().map(|(w, _)| w).sum();
    let points = similar.iter().map(|(wi, p)| wi * p).sum::<f64>() / w;
    let var = similar.iter().map(|(wi, p)| wi * (p - points).powi(2)).sum::<f64>() / w;
    let conf = confidence(var.sqrt(), similar.len(), x.features.0.quality_score);
    Verdict::Predicted(Estimate { points, confidence: conf })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Features;
    use crate::league::League;
    use crate::league::tests::defence_row;
    use crate::systems::fixtures::{game, steady};

    fn league() -> League {
        League::from_rows(&[
            defence_row("2024-02-01", "BOS", 100.0, None),
            defence_row("2024-02-01", "MIA", 112.0, None),
            defence_row("2024-02-01", "WAS", 125.0, None),
        ])
    }

    #[test]
    fn similar_games_use_each_games_real_opponent_and_venue() {
        let league = league();
        // Tonight: at home vs BOS (strong), one day of rest, neutral form.
        let row = steady("2024-03-05", "p", Some(20.5));
        // Every other day: 6 home games vs BOS scoring 12, 6 away games vs WAS scoring 30.
        let mut hist = Vec::new();
        for i in 0..12 {
            let date = format!("2024-02-{:02}", 2 + 2 * i);
            hist.push(if i % 2 == 0 { game(&date, "p", "BOS", true, 12) } else { game(&date, "p", "WAS", false, 30) });
        }
        let refs: Vec<_> = hist.iter().collect();
        let x = Input { features: Features(&row), history: &refs, league: &league };
        let past = past_situations(&x);
        assert_eq!(past[0].1.tier, Tier::Strong);
        assert_eq!(past[1].1.tier, Tier::Weak);
        assert!(!past[1].1.home);
        assert_eq!(past[1].1.rest, Rest::OneDay);
        let e = predict(&x).estimate().unwrap();
        assert!((e.points - 12.0).abs() < 1e-9, "only the home games vs a strong defence count: {}", e.points);
    }

    #[test]
    fn fewer_than_five_similar_games_pass() {
        let league = league();
        let row = steady("2024-03-05", "p", Some(20.5));
        let hist: Vec<_> = (0..4).map(|i| game(&format!("2024-02-{:02}", 2 + 2 * i), "p", "BOS", true, 12)).collect();
        let refs: Vec<_> = hist.iter().collect();
        let v = predict(&Input { features: Features(&row), history: &refs, league: &league });
        assert_eq!(v, Verdict::Abstain("4 similar games (needs 5)".into()));
    }
}
