//! Spot checks of data accuracy (DESIGN §11 via the monitoring issue): for a sample of players
//! and teams of a date, recompute from the RAW tables — by this independent code path, reading
//! columns by name, sharing nothing with the analytics processors — the minutes, points, usage,
//! possessions, the points arithmetic (players sum to the team) and the last-5 average, and
//! compare with the stored derived rows.

use std::collections::{BTreeMap, HashMap};

use props_core::tables::TableError;
use props_core::{Context, GameDate};
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use serde_json::Value;

/// How far back the last-5 average is recomputed from.
const HISTORY_DAYS: u64 = 120;
const TOLERANCE: f64 = 0.01;

#[derive(Clone, Debug, PartialEq)]
pub struct Disagreement {
    pub what: String,
    pub stored: String,
    pub recomputed: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpotCheck {
    pub compared: usize,
    pub agreed: usize,
    pub disagreements: Vec<Disagreement>,
}

impl SpotCheck {
    pub fn share(&self) -> f64 {
        if self.compared == 0 { 1.0 } else { self.agreed as f64 / self.compared as f64 }
    }

    fn compare(&mut self, what: String, stored: Option<f64>, recomputed: Option<f64>) {
        self.compared += 1;
        let same = match (stored, recomputed) {
            (Some(a), Some(b)) => (a - b).abs() <= TOLERANCE,
            (None, None) => true,
            _ => false,
        };
        if same {
            self.agreed += 1;
        } else {
            let show = |v: Option<f64>| v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "null".into());
            self.disagreements.push(Disagreement { what, stored: show(stored), recomputed: show(recomputed) });
        }
    }
}

fn f(r: &Value, col: &str) -> Option<f64> {
    r.get(col).and_then(Value::as_f64)
}

fn s<'a>(r: &'a Value, col: &str) -> &'a str {
    r.get(col).and_then(Value::as_str).unwrap_or("")
}

/// Usage = 100·(FGA+0.44·FTA+TOV)·(team MIN/5) / (MIN·(team FGA+0.44·FTA+TOV)), capped at 100.
fn usage(p: &Value, t: &Value) -> Option<f64> {
    let min = f(p, "minutes").filter(|m| *m > 0.0)?;
    let plays = f(p, "fg_attempted")? + 0.44 * f(p, "ft_attempted")? + f(p, "turnovers")?;
    let team_plays = f(t, "fg_attempted")? + 0.44 * f(t, "ft_attempted")? + f(t, "turnovers")?;
    let team_min = f(t, "minutes")?;
    if team_plays <= 0.0 {
        return None;
    }
    Some((100.0 * plays * (team_min / 5.0) / (min * team_plays)).min(100.0))
}

pub async fn run(ctx: &Context, date: GameDate, samples: usize) -> Result<SpotCheck, TableError> {
    let t = &ctx.tables;
    let summaries = t.read_json("player_game_summary", date, date).await?;
    let offense = t.read_json("team_offense_game_summary", date, date).await?;
    let raw_players = t.read_json("player_boxscores", date, date).await?;
    let raw_teams = t.read_json("team_boxscores", date, date).await?;
    let contexts = t.read_json("upcoming_player_game_context", date, date).await?;
    let history = t.read_json("player_boxscores", date.minus_days(HISTORY_DAYS), date.prev()).await?;

    let raw_p: HashMap<(&str, &str), &Value> =
        raw_players.iter().map(|r| ((s(r, "game_id"), s(r, "player_lookup")), r)).collect();
    let raw_t: HashMap<(&str, &str), &Value> = raw_teams.iter().map(|r| ((s(r, "game_id"), s(r, "team")), r)).collect();
    // The same sample for the same date: a repeated check looks at the same rows.
    let seed = date.compact().parse::<u64>().unwrap_or(0);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut out = SpotCheck::default();

    for p in summaries.choose_multiple(&mut rng, samples) {
        let (game, who) = (s(p, "game_id"), s(p, "player_lookup"));
        let Some(raw) = raw_p.get(&(game, who)) else {
            out.compare(format!("{who} {game}: raw box score row"), Some(1.0), None);
            continue;
        };
        out.compare(format!("{who} minutes"), f(p, "minutes_played"), f(raw, "minutes"));
        out.compare(format!("{who} points"), f(p, "points"), f(raw, "points"));
        if let Some(team) = raw_t.get(&(game, s(raw, "team"))) {
            out.compare(format!("{who} usage"), f(p, "usage_rate"), usage(raw, team));
        }
    }

    let mut sums: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for r in &raw_players {
        *sums.entry((s(r, "game_id"), s(r, "team"))).or_default() += f(r, "points").unwrap_or(0.0);
    }
    for o in offense.choose_multiple(&mut rng, samples) {
        let (game, team) = (s(o, "game_id"), s(o, "team"));
        let Some(raw) = raw_t.get(&(game, team)) else {
            out.compare(format!("{team} {game}: raw team row"), Some(1.0), None);
            continue;
        };
        let poss = (|| {
            Some(
                f(raw, "fg_attempted")? + 0.44 * f(raw, "ft_attempted")? + f(raw, "turnovers")?
                    - f(raw, "off_rebounds")?,
            )
        })();
        out.compare(format!("{team} {game} possessions"), f(o, "possessions"), poss);
        out.compare(format!("{team} {game} points"), f(o, "points"), f(raw, "points"));
        out.compare(format!("{team} {game} players' points sum"), f(raw, "points"), sums.get(&(game, team)).copied());
    }

    for c in contexts.choose_multiple(&mut rng, samples) {
        let who = s(c, "player_lookup");
        let mut games: Vec<(&str, f64)> = history
            .iter()
            .filter(|r| s(r, "player_lookup") == who && f(r, "minutes").is_some_and(|m| m > 0.0))
            .filter_map(|r| Some((s(r, "game_date"), f(r, "points")?)))
            .collect();
        games.sort_by(|a, b| b.0.cmp(a.0));
        let last5: Vec<f64> = games.iter().take(5).map(|g| g.1).collect();
        let avg = (!last5.is_empty()).then(|| last5.iter().sum::<f64>() / last5.len() as f64);
        out.compare(format!("{who} last-5 points average"), f(c, "points_avg_last_5"), avg);
    }
    Ok(out)
}
