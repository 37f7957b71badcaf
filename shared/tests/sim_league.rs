//! The simulated league's invariants: arithmetic, schedule shape, truth vs lines, determinism.
#![cfg(feature = "sim")]

use std::collections::HashMap;
use std::time::Instant;

use props_core::sim::SimLeague;
use props_core::sim::boxscore::Participation;

fn league() -> SimLeague {
    SimLeague::new(42, "2024-25").expect("league")
}

#[test]
fn generates_a_season_quickly() {
    let t = Instant::now();
    let l = league();
    let took = t.elapsed();
    println!("full season generated in {took:?} ({} games)", l.schedule().len());
    assert_eq!(l.schedule().len(), 1230);
}

#[test]
fn players_points_sum_to_team_points_and_minutes_to_240_plus_ot() {
    let l = league();
    let mut ot_games = 0;
    for i in 0..l.schedule().len() {
        let g = l.game(i).unwrap();
        let (h, a) = (g.team_stats(true), g.team_stats(false));
        assert_eq!(h.pts, g.home_pts);
        assert_eq!(a.pts, g.away_pts);
        assert_ne!(g.home_pts, g.away_pts, "no ties");
        let expect_min = 240 + 25 * u32::from(g.periods - 4);
        assert_eq!(h.min, expect_min);
        assert_eq!(a.min, expect_min);
        assert_eq!(h.pts, 2 * (h.fgm - h.fg3m) + 3 * h.fg3m + h.ftm);
        assert_eq!(h.plus_minus, 5 * (g.home_pts as i32 - g.away_pts as i32));
        if g.periods > 4 {
            ot_games += 1;
        }
        for p in &g.players {
            assert!(p.stats.pf <= 6);
            if p.participation != Participation::Played {
                assert_eq!(p.stats.min, 0);
                assert_eq!(p.stats.pts, 0);
            }
        }
    }
    assert!(ot_games > 10 && ot_games < 150, "overtime games: {ot_games}");
}

#[test]
fn every_team_plays_82_with_back_to_backs_inside_the_season() {
    let l = league();
    let mut games: HashMap<usize, Vec<_>> = HashMap::new();
    let mut per_day: HashMap<_, usize> = HashMap::new();
    for g in l.schedule() {
        games.entry(g.home).or_default().push(g.date);
        games.entry(g.away).or_default().push(g.date);
        *per_day.entry(g.date).or_default() += 1;
    }
    let first = l.schedule().first().unwrap().date.to_string();
    let last = l.schedule().last().unwrap().date.to_string();
    assert!(first.as_str() >= "2024-10-20" && first.as_str() <= "2024-10-26", "{first}");
    assert!(last.as_str() >= "2025-04-08" && last.as_str() <= "2025-04-20", "{last}");
    let mut b2b_total = 0;
    for (t, dates) in &games {
        assert_eq!(dates.len(), 82, "team {t}");
        let mut d = dates.clone();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), 82, "a team plays once a day");
        let b2b = d.windows(2).filter(|w| w[0].days_until(w[1]) == 1).count();
        let b2b3 = d.windows(3).filter(|w| w[0].days_until(w[2]) == 2).count();
        assert_eq!(b2b3, 0, "no three nights in a row");
        assert!(b2b >= 5, "team {t}: {b2b} back-to-backs");
        b2b_total += b2b;
    }
    let busiest = per_day.values().max().copied().unwrap_or(0);
    println!(
        "back-to-backs per team: {:.1}; busiest day {busiest} games; {} game days",
        b2b_total as f64 / 30.0,
        per_day.len()
    );
    assert!(busiest >= 10);
}

#[test]
fn lines_track_the_true_mean_and_truth_is_irreducible() {
    let l = league();
    let (mut line_err, mut n) = (0.0, 0usize);
    let (mut open_err, mut n_open) = (0.0, 0usize);
    let (mut truth_err, mut n_truth) = (0.0, 0usize);
    let (mut prices_110, mut prices) = (0, 0);
    for i in 0..l.schedule().len() {
        let g = l.game(i).unwrap();
        let o = l.odds(i).unwrap();
        let truth: HashMap<usize, f64> = g.players.iter().map(|p| (p.player, p.expected_points)).collect();
        let pre = o.snapshots.last().unwrap();
        for b in &pre.books {
            for p in &b.props {
                line_err += (p.line - truth[&p.player]).abs();
                n += 1;
                prices += 1;
                if p.over == -110 && p.under == -110 {
                    prices_110 += 1;
                }
            }
        }
        for b in &o.snapshots[0].books {
            for p in &b.props {
                if truth[&p.player] > 0.0 {
                    open_err += (p.line - truth[&p.player]).abs();
                    n_open += 1;
                }
            }
        }
        for p in g.players.iter().filter(|p| p.participation == Participation::Played && p.expected_minutes >= 14.0) {
            truth_err += (f64::from(p.stats.pts) - p.expected_points).abs();
            n_truth += 1;
        }
    }
    let (mae, mae_open, irreducible) = (line_err / n as f64, open_err / n_open as f64, truth_err / n_truth as f64);
    println!(
        "pre-tip line MAE vs truth {mae:.2} (open {mae_open:.2}) over {n} lines; irreducible MAE {irreducible:.2}; -110/-110 share {:.2}",
        prices_110 as f64 / prices as f64
    );
    assert!(mae < 1.6, "{mae}");
    assert!(mae_open > mae, "lines move toward the truth");
    assert!(irreducible > 3.0 && irreducible < 8.0, "{irreducible}");
}

#[test]
fn realistic_scoring_levels() {
    let l = league();
    let n = l.schedule().len() as f64;
    let pts: f64 =
        (0..l.schedule().len()).map(|i| f64::from(l.game(i).unwrap().home_pts + l.game(i).unwrap().away_pts)).sum();
    let avg = pts / (2.0 * n);
    let mut best: HashMap<usize, (u32, u32)> = HashMap::new();
    for i in 0..l.schedule().len() {
        for p in &l.game(i).unwrap().players {
            if p.participation == Participation::Played {
                let e = best.entry(p.player).or_default();
                e.0 += p.stats.pts;
                e.1 += 1;
            }
        }
    }
    let top = best.values().filter(|(_, g)| *g >= 40).map(|(p, g)| f64::from(*p) / f64::from(*g)).fold(0.0, f64::max);
    println!("team points per game {avg:.1}; top scorer {top:.1} ppg");
    assert!((100.0..125.0).contains(&avg), "{avg}");
    assert!((24.0..40.0).contains(&top), "{top}");
}

#[test]
fn injuries_make_dnps_and_truth_is_public() {
    let l = league();
    let mut inactive = 0;
    for i in 0..l.schedule().len() {
        inactive += l.game(i).unwrap().players.iter().filter(|p| p.participation == Participation::Inactive).count();
    }
    let per_team_game = inactive as f64 / (2.0 * l.schedule().len() as f64);
    println!("inactive players per team-game {per_team_game:.2}");
    assert!((0.5..3.0).contains(&per_team_game), "{per_team_game}");
    let g = &l.schedule()[100];
    let sim = l.game(100).unwrap();
    let starter = sim.players.iter().find(|p| p.participation == Participation::Played).unwrap();
    let pid = l.players()[starter.player].id;
    assert_eq!(l.expected_points(&g.game_id, pid), Some(starter.expected_points));
    assert_eq!(l.expected_points(&g.nba_game_id, pid), Some(starter.expected_points));
    let day = l.true_points(g.date);
    assert!(day.iter().any(|t| t.player_id == pid && t.game_id == g.game_id));
}

#[test]
fn same_seed_same_league_other_seed_other_league() {
    let a = league();
    let b = league();
    let c = SimLeague::new(43, "2024-25").unwrap();
    for i in [0, 500, 1229] {
        assert_eq!(a.game(i), b.game(i));
        assert_eq!(a.odds(i), b.odds(i));
    }
    assert_eq!(a.schedule(), b.schedule());
    assert_ne!(a.schedule(), c.schedule());
    assert!(SimLeague::new(1, "2024").is_err());
}

#[test]
fn context_moves_the_true_mean_a_little() {
    // Points per expected minute relative to the player's neutral rate, by context.
    let l = league();
    let mut last_played: HashMap<usize, props_core::GameDate> = HashMap::new();
    let (mut home, mut away, mut b2b, mut rested) = (vec![], vec![], vec![], vec![]);
    for (i, g) in l.schedule().iter().enumerate() {
        let sim = l.game(i).unwrap();
        for team in [g.home, g.away] {
            let rest = last_played.get(&team).map(|d| d.days_until(g.date));
            for pg in sim.players.iter().filter(|p| p.expected_minutes > 20.0) {
                let p = &l.players()[pg.player];
                if p.team != team {
                    continue;
                }
                let ratio = pg.expected_points / (pg.expected_minutes * p.scoring_rate());
                if pg.home {
                    home.push(ratio)
                } else {
                    away.push(ratio)
                }
                match rest {
                    Some(1) => b2b.push(ratio),
                    Some(d) if d >= 3 => rested.push(ratio),
                    _ => {}
                }
            }
            last_played.insert(team, g.date);
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (h, a, b, r) = (mean(&home), mean(&away), mean(&b2b), mean(&rested));
    println!("rate vs neutral: home {h:.3} away {a:.3} back-to-back {b:.3} rested {r:.3}");
    assert!(h > a + 0.01 && h - a < 0.1);
    assert!(r > b + 0.01 && r - b < 0.1);
}

#[test]
fn names_exercise_normalisation() {
    let l = league();
    let names: Vec<String> = l.players().iter().map(|p| p.name.full()).collect();
    assert!(names.iter().any(|n| !n.is_ascii()), "accents");
    assert!(names.iter().any(|n| n.ends_with(" Jr.") || n.ends_with(" III") || n.ends_with(" II")), "suffixes");
    for t in 0..30 {
        assert!((13..=15).contains(&l.roster(t).len()));
    }
}

#[test]
fn other_seasons_work() {
    let l = SimLeague::new(1, "2023-24").unwrap();
    assert_eq!(l.schedule().len(), 1230);
    assert_eq!(l.schedule()[0].date.to_string(), "2023-10-24");
    assert!(l.schedule().last().unwrap().date.to_string().as_str() <= "2024-04-20");
    // Tip-offs are evenings in Eastern time on both sides of the DST change.
    for g in l.schedule() {
        let et = g.tip_off.with_timezone(&chrono_tz::America::New_York);
        assert_eq!(props_core::GameDate::eastern_of(g.tip_off), g.date);
        assert!((13..=22).contains(&chrono::Timelike::hour(&et)), "{}", g.tip_off);
    }
}
