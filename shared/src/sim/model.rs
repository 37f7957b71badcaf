//! The scoring model: a player's rates and minutes in one game's context.
//!
//! Both the box-score draw and the published "true expected points" come from here, so the
//! expectation is exactly the mean the draw is taken around. The context effects are small on
//! purpose (a few percent each): real enough to give features signal, small enough that a
//! model cannot beat the books by much.

use super::players::{Player, TeamProfile, Zone};

/// What a team brings into one game.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamContext {
    pub home: bool,
    /// Days since the team's previous game (1 = back-to-back); `None` for its first game.
    pub rest_days: Option<i64>,
    /// Possessions per 48 for this game: the mean of both teams' paces.
    pub game_pace: f64,
    /// The opponent's multipliers on this team's shooting percentages.
    pub opp_zone_defence: [f64; 3],
    /// Extra shot volume for those who play when teammates are out.
    pub usage_boost: f64,
}

impl TeamContext {
    pub fn back_to_back(&self) -> bool {
        self.rest_days == Some(1)
    }
}

/// A player's per-minute rates in a given context.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    pub fga_per_min: f64,
    pub shares: [f64; 3],
    pub pct: [f64; 3],
    pub fta_per_min: f64,
    pub ft_pct: f64,
}

impl Rates {
    pub fn points_per_min(&self) -> f64 {
        let fg: f64 = Zone::ALL
            .iter()
            .map(|z| {
                let i = *z as usize;
                self.shares[i] * f64::from(z.points()) * self.pct[i]
            })
            .sum();
        self.fga_per_min * fg + self.fta_per_min * self.ft_pct
    }
}

pub fn rates(p: &Player, ctx: &TeamContext) -> Rates {
    let b2b = ctx.back_to_back();
    let rested = ctx.rest_days.is_none_or(|d| d >= 3);
    let mut volume = ctx.game_pace / 100.0 * ctx.usage_boost;
    volume *= if ctx.home { 1.015 } else { 0.985 };
    if b2b {
        volume *= if p.age >= 32 { 0.95 } else { 0.975 };
    } else if rested {
        volume *= 1.01;
    }
    let shooting = if b2b { 0.985 } else { 1.0 };
    let fga_per_min = p.fga_per_min * volume;
    Rates {
        fga_per_min,
        shares: p.shares,
        pct: [0, 1, 2].map(|z| (p.pct[z] * ctx.opp_zone_defence[z] * shooting).min(0.95)),
        fta_per_min: fga_per_min * p.ft_rate,
        ft_pct: p.ft_pct,
    }
}

/// Expected minutes of the players who dress, summing to 240: base minutes, trimmed on a
/// back-to-back (more for veterans) and for players back from a knock, capped at 40.
pub fn expected_minutes(players: &[&Player], limited: &[bool], ctx: &TeamContext) -> Vec<f64> {
    let b2b = ctx.back_to_back();
    let w: Vec<f64> = players
        .iter()
        .zip(limited)
        .map(|(p, lim)| {
            let mut m = p.base_minutes;
            if b2b {
                m *= if p.age >= 32 { 0.9 } else { 0.97 };
            }
            if *lim {
                m *= 0.85;
            }
            m
        })
        .collect();
    cap_and_fill(&w, 240.0, 40.0)
}

/// Scales `w` to sum to `total` with no entry above `cap`, redistributing the excess.
pub fn cap_and_fill(w: &[f64], total: f64, cap: f64) -> Vec<f64> {
    let mut out = vec![0.0; w.len()];
    let mut capped = vec![false; w.len()];
    for _ in 0..w.len().max(1) {
        let fixed: f64 = capped.iter().filter(|c| **c).count() as f64 * cap;
        let free: f64 = w.iter().zip(&capped).filter(|(_, c)| !**c).map(|(x, _)| *x).sum();
        if free <= 0.0 {
            break;
        }
        let scale = (total - fixed) / free;
        let mut changed = false;
        for i in 0..w.len() {
            if capped[i] {
                out[i] = cap;
            } else {
                out[i] = w[i] * scale;
                if out[i] > cap {
                    capped[i] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// How much more the available players shoot when teammates with big roles are out.
pub fn usage_boost(all: &[&Player], out: &[bool]) -> f64 {
    let mass = |p: &&Player| p.base_minutes * p.fga_per_min;
    let total: f64 = all.iter().map(mass).sum();
    let missing: f64 = all.iter().zip(out).filter(|(_, o)| **o).map(|(p, _)| mass(p)).sum();
    if total <= 0.0 {
        return 1.0;
    }
    (1.0 + 0.5 * missing / total).min(1.2)
}

/// The context of one team in one game.
pub fn context(
    home: bool,
    rest_days: Option<i64>,
    own: &TeamProfile,
    opp: &TeamProfile,
    usage_boost: f64,
) -> TeamContext {
    TeamContext {
        home,
        rest_days,
        game_pace: (own.pace + opp.pace) / 2.0,
        opp_zone_defence: opp.zone_defence,
        usage_boost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_and_fill_sums_and_caps() {
        let m = cap_and_fill(&[50.0, 40.0, 30.0, 20.0, 10.0, 5.0], 240.0, 40.0);
        assert!((m.iter().sum::<f64>() - 240.0).abs() < 1e-9);
        assert!(m.iter().all(|x| *x <= 40.0 + 1e-9));
    }
}
