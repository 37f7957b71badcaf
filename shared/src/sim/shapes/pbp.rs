//! cdn.nba.com live play-by-play: `game.actions[]`, rendered from the drawn events.
//!
//! Running totals in the actions (a scorer's `pointsTotal`, a rebounder's `reboundTotal`) and
//! the score after each play are computed here from the same events the box score sums, so
//! the two sources agree exactly.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::court::{self, Spot};
use super::iso_z;
use crate::sim::SimLeague;
use crate::sim::boxscore::{Event, EventKind, GameSim, Rebound};
use crate::sim::players::Zone;
use crate::sim::rng::{SimRng, stream};
use crate::sim::schedule::ScheduledGame;
use crate::sim::teams::TEAMS;
use rand::Rng;

/// The play-by-play document of game `index` (final games only: callers check).
pub fn playbyplay(league: &SimLeague, index: usize) -> Option<Value> {
    let g = league.schedule().get(index)?;
    let sim = league.game(index)?;
    let mut r = Renderer {
        league,
        g,
        sim,
        rng: stream(league.seed(), "pbp", index as u64),
        actions: Vec::new(),
        score: (0, 0),
        pts: vec![0; sim.players.len()],
        ast: vec![0; sim.players.len()],
        reb: vec![(0, 0); sim.players.len()],
        pf: vec![0; sim.players.len()],
        tov: vec![0; sim.players.len()],
        blk: vec![0; sim.players.len()],
        stl: vec![0; sim.players.len()],
    };
    let mut events = sim.events.iter().peekable();
    for period in 1..=sim.periods {
        r.marker(period, 0, "period", "start", "Period Start");
        while let Some(e) = events.next_if(|e| e.period == period) {
            r.event(e);
        }
        r.marker(period, len_of(period), "period", "end", "Period End");
    }
    r.marker(sim.periods, len_of(sim.periods), "game", "end", "Game End");
    Some(json!({
        "meta": {"version": 1, "code": 200,
            "request": format!("http://nba.cloud/games/{}/playbyplay?Format=json", g.nba_game_id),
            "time": (g.tip_off + Duration::hours(3)).format("%Y-%m-%d %H:%M:%S%.6f").to_string()},
        "game": {"gameId": g.nba_game_id, "actions": r.actions},
    }))
}

fn len_of(period: u8) -> u16 {
    if period <= 4 { 720 } else { 300 }
}

struct Renderer<'a> {
    league: &'a SimLeague,
    g: &'a ScheduledGame,
    sim: &'a GameSim,
    rng: SimRng,
    actions: Vec<Value>,
    score: (u32, u32),
    pts: Vec<u32>,
    ast: Vec<u32>,
    reb: Vec<(u32, u32)>,
    pf: Vec<u32>,
    tov: Vec<u32>,
    blk: Vec<u32>,
    stl: Vec<u32>,
}

impl Renderer<'_> {
    fn person(&self, i: u16) -> (u32, String, String, u32, &'static str, bool) {
        let pg = &self.sim.players[i as usize];
        let p = &self.league.players()[pg.player];
        let team = if pg.home { self.g.home } else { self.g.away };
        (p.id, p.name.last.clone(), p.name.initial(), TEAMS[team].nba_id, TEAMS[team].tricode, pg.home)
    }

    /// Wall-clock time of a play: ten minutes of pre-game, about 2.2 s of real time per game
    /// second, and a half-time break.
    fn time_actual(&self, period: u8, clock: u16) -> DateTime<Utc> {
        let before: i64 = (1..period).map(|p| i64::from(len_of(p))).sum();
        let elapsed = before + i64::from(len_of(period) - clock);
        let half = if period >= 3 { 900 } else { 0 };
        self.g.tip_off + Duration::seconds(600 + elapsed * 22 / 10 + half)
    }

    fn base(
        &mut self,
        period: u8,
        clock: u16,
        action_type: &str,
        sub_type: &str,
        description: String,
    ) -> Map<String, Value> {
        let n = self.actions.len() as u64 + 1;
        let t = self.time_actual(period, clock);
        let tenths = self.rng.random_range(0..10);
        let mut m = Map::new();
        m.insert("actionNumber".into(), json!(n));
        m.insert("clock".into(), json!(format!("PT{:02}M{:02}.00S", clock / 60, clock % 60)));
        m.insert("timeActual".into(), json!(format!("{}.{tenths}Z", t.format("%Y-%m-%dT%H:%M:%S"))));
        m.insert("period".into(), json!(period));
        m.insert("periodType".into(), json!(if period <= 4 { "REGULAR" } else { "OVERTIME" }));
        m.insert("actionType".into(), json!(action_type));
        m.insert("subType".into(), json!(sub_type));
        m.insert("qualifiers".into(), json!([]));
        m.insert("personId".into(), json!(0));
        m.insert("x".into(), Value::Null);
        m.insert("y".into(), Value::Null);
        m.insert("possession".into(), json!(0));
        m.insert("edited".into(), json!(iso_z(t + Duration::seconds(self.rng.random_range(0..6)))));
        m.insert("orderNumber".into(), json!(n * 10_000));
        m.insert("isTargetScoreLastPeriod".into(), json!(false));
        m.insert("xLegacy".into(), Value::Null);
        m.insert("yLegacy".into(), Value::Null);
        m.insert("isFieldGoal".into(), json!(0));
        m.insert("side".into(), Value::Null);
        m.insert("description".into(), json!(description));
        m.insert("personIdsFilter".into(), json!([]));
        m
    }

    fn push(&mut self, mut m: Map<String, Value>) -> u64 {
        m.insert("scoreHome".into(), json!(self.score.0.to_string()));
        m.insert("scoreAway".into(), json!(self.score.1.to_string()));
        let n = self.actions.len() as u64 + 1;
        self.actions.push(Value::Object(m));
        n
    }

    fn marker(&mut self, period: u8, clock_elapsed: u16, kind: &str, sub: &str, text: &str) {
        let clock = len_of(period) - clock_elapsed.min(len_of(period));
        let m = self.base(period, clock, kind, sub, text.to_string());
        self.push(m);
    }

    /// A play by player `i`: the common fields plus who and which team.
    fn by(&mut self, e: &Event, i: u16, action_type: &str, sub_type: &str, description: String) -> Map<String, Value> {
        let (id, last, initial, team_id, tri, _) = self.person(i);
        let mut m = self.base(e.period, e.clock, action_type, sub_type, description);
        m.insert("teamId".into(), json!(team_id));
        m.insert("teamTricode".into(), json!(tri));
        m.insert("personId".into(), json!(id));
        m.insert("possession".into(), json!(team_id));
        m.insert("playerName".into(), json!(last));
        m.insert("playerNameI".into(), json!(initial));
        m.insert("personIdsFilter".into(), json!([id]));
        m
    }

    fn event(&mut self, e: &Event) {
        let a = e.actor;
        match &e.kind {
            EventKind::FieldGoal { zone, made, assist, block, rebound } => {
                let spot = self.spot(e, *zone);
                let (_, _, initial, _, _, home) = self.person(a);
                let three = *zone == Zone::Three;
                let sub = match (spot.area, self.rng.random::<f64>()) {
                    ("Restricted Area", x) if x < 0.35 => "DUNK",
                    ("Restricted Area", _) => "Layup",
                    ("In The Paint (Non-RA)", x) if x < 0.4 => "Layup",
                    _ => "Jump Shot",
                };
                let descriptor =
                    ["pullup", "driving", "cutting", "running", "step back", "turnaround"][self.rng.random_range(0..6)];
                let feet = spot.distance.floor() as u32;
                let kind = if three { "3PT " } else { "" };
                let mut desc = format!("{initial} {feet}' {kind}{descriptor} {sub}");
                if *made {
                    self.pts[a as usize] += zone.points();
                    if home {
                        self.score.0 += zone.points();
                    } else {
                        self.score.1 += zone.points();
                    }
                    desc = format!("{desc} ({} PTS)", self.pts[a as usize]);
                } else {
                    desc = format!("MISS {desc}");
                }
                let mut assister = None;
                if let (true, Some(x)) = (*made, assist) {
                    self.ast[*x as usize] += 1;
                    let (aid, _, ainit, ..) = self.person(*x);
                    desc = format!("{desc} ({ainit} {} AST)", self.ast[*x as usize]);
                    assister = Some((aid, ainit, self.ast[*x as usize]));
                }
                let mut m = self.by(e, a, if three { "3pt" } else { "2pt" }, sub, desc);
                m.insert("descriptor".into(), json!(descriptor));
                let fastbreak = self.rng.random::<f64>() < 0.12;
                let qualifiers: Vec<&str> =
                    [(*zone == Zone::Paint && *made).then_some("pointsinthepaint"), fastbreak.then_some("fastbreak")]
                        .into_iter()
                        .flatten()
                        .collect();
                m.insert("qualifiers".into(), json!(qualifiers));
                m.insert("x".into(), json!(spot.x));
                m.insert("y".into(), json!(spot.y));
                m.insert("xLegacy".into(), json!(spot.x_legacy));
                m.insert("yLegacy".into(), json!(spot.y_legacy));
                m.insert("area".into(), json!(spot.area));
                m.insert("areaDetail".into(), json!(spot.detail));
                m.insert("side".into(), json!(spot.side));
                m.insert("shotDistance".into(), json!(spot.distance));
                m.insert("isFieldGoal".into(), json!(1));
                m.insert("shotResult".into(), json!(if *made { "Made" } else { "Missed" }));
                if *made {
                    m.insert("pointsTotal".into(), json!(self.pts[a as usize]));
                }
                if let Some((aid, ainit, total)) = assister {
                    m.insert("assistPersonId".into(), json!(aid));
                    m.insert("assistPlayerNameInitial".into(), json!(ainit));
                    m.insert("assistTotal".into(), json!(total));
                    if let Some(Value::Array(f)) = m.get_mut("personIdsFilter") {
                        f.push(json!(aid));
                    }
                }
                let shot_no = self.push(m);
                if let Some(b) = block {
                    self.blk[*b as usize] += 1;
                    let (_, _, binit, ..) = self.person(*b);
                    let text = format!("{binit} BLOCK ({} BLK)", self.blk[*b as usize]);
                    let mut bm = self.by(e, *b, "block", "", text);
                    bm.insert("area".into(), json!(spot.area));
                    bm.insert("areaDetail".into(), json!(spot.detail));
                    self.push(bm);
                }
                self.rebound(e, *rebound, shot_no, Some(&spot));
            }
            EventKind::FreeThrows { fouler, made, rebound } => {
                self.pf[*fouler as usize] += 1;
                let (_, _, finit, ..) = self.person(*fouler);
                let (sid, slast, ..) = self.person(a);
                let text = format!("{finit} S.FOUL ({} PF)", self.pf[*fouler as usize]);
                let mut fm = self.by(e, *fouler, "foul", "personal", text);
                fm.insert("descriptor".into(), json!("shooting"));
                fm.insert("officialId".into(), json!(200_000 + u32::from(e.period)));
                fm.insert("foulPersonalTotal".into(), json!(self.pf[*fouler as usize]));
                fm.insert("foulTechnicalTotal".into(), json!(0));
                fm.insert("foulDrawnPlayerName".into(), json!(slast));
                fm.insert("foulDrawnPersonId".into(), json!(sid));
                if let Some(Value::Array(f)) = fm.get_mut("personIdsFilter") {
                    f.push(json!(sid));
                }
                self.push(fm);
                let n = made.len();
                let mut last_no = 0;
                for (k, hit) in made.iter().enumerate() {
                    let (_, _, initial, _, _, home) = self.person(a);
                    let sub = format!("{} of {n}", k + 1);
                    let desc = if *hit {
                        self.pts[a as usize] += 1;
                        if home {
                            self.score.0 += 1;
                        } else {
                            self.score.1 += 1;
                        }
                        format!("{initial} Free Throw {sub} ({} PTS)", self.pts[a as usize])
                    } else {
                        format!("MISS {initial} Free Throw {sub}")
                    };
                    let mut m = self.by(e, a, "freethrow", &sub, desc);
                    m.insert("shotResult".into(), json!(if *hit { "Made" } else { "Missed" }));
                    if *hit {
                        m.insert("pointsTotal".into(), json!(self.pts[a as usize]));
                    }
                    last_no = self.push(m);
                }
                self.rebound(e, *rebound, last_no, None);
            }
            EventKind::Turnover { steal } => {
                self.tov[a as usize] += 1;
                let (_, _, initial, ..) = self.person(a);
                let sub = if steal.is_some() { "bad pass" } else { "lost ball" };
                let text = format!("{initial} {sub} TURNOVER ({} TO)", self.tov[a as usize]);
                let mut m = self.by(e, a, "turnover", sub, text);
                m.insert("turnoverTotal".into(), json!(self.tov[a as usize]));
                m.insert("area".into(), json!("Mid-Range"));
                m.insert("areaDetail".into(), json!("16-24 Center"));
                if let Some(s) = steal {
                    let (sid, slast, ..) = self.person(*s);
                    m.insert("stealPlayerName".into(), json!(slast));
                    m.insert("stealPersonId".into(), json!(sid));
                    if let Some(Value::Array(f)) = m.get_mut("personIdsFilter") {
                        f.push(json!(sid));
                    }
                }
                self.push(m);
                if let Some(s) = steal {
                    self.stl[*s as usize] += 1;
                    let (_, _, sinit, ..) = self.person(*s);
                    let text = format!("{sinit} STEAL ({} STL)", self.stl[*s as usize]);
                    let mut sm = self.by(e, *s, "steal", "", text);
                    sm.insert("area".into(), json!("Mid-Range"));
                    sm.insert("areaDetail".into(), json!("16-24 Center"));
                    self.push(sm);
                }
            }
            EventKind::Foul { drawn } => {
                self.pf[a as usize] += 1;
                let (_, _, initial, ..) = self.person(a);
                let (did, dlast, ..) = self.person(*drawn);
                let text = format!("{initial} P.FOUL ({} PF)", self.pf[a as usize]);
                let mut m = self.by(e, a, "foul", "personal", text);
                m.insert("officialId".into(), json!(200_000 + u32::from(e.period)));
                m.insert("foulPersonalTotal".into(), json!(self.pf[a as usize]));
                m.insert("foulTechnicalTotal".into(), json!(0));
                m.insert("foulDrawnPlayerName".into(), json!(dlast));
                m.insert("foulDrawnPersonId".into(), json!(did));
                m.insert("area".into(), json!("Mid-Range"));
                m.insert("areaDetail".into(), json!("16-24 Center"));
                if let Some(Value::Array(f)) = m.get_mut("personIdsFilter") {
                    f.push(json!(did));
                }
                self.push(m);
            }
        }
    }

    fn rebound(&mut self, e: &Event, r: Option<Rebound>, shot_no: u64, spot: Option<&Spot>) {
        let Some(r) = r else { return };
        let i = r.by as usize;
        if r.offensive {
            self.reb[i].0 += 1;
        } else {
            self.reb[i].1 += 1;
        }
        let (off, def) = self.reb[i];
        let (_, _, initial, ..) = self.person(r.by);
        let text = format!("{initial} REBOUND (Off:{off} Def:{def})");
        let sub = if r.offensive { "offensive" } else { "defensive" };
        let mut m = self.by(e, r.by, "rebound", sub, text);
        m.insert("shotActionNumber".into(), json!(shot_no));
        m.insert("reboundTotal".into(), json!(off + def));
        m.insert("reboundDefensiveTotal".into(), json!(def));
        m.insert("reboundOffensiveTotal".into(), json!(off));
        if let Some(s) = spot {
            m.insert("area".into(), json!(s.area));
            m.insert("areaDetail".into(), json!(s.detail));
        }
        self.push(m);
    }

    /// The basket the shooter attacks this period: home goes right in the first half.
    fn spot(&mut self, e: &Event, zone: Zone) -> Spot {
        let home = self.sim.players[e.actor as usize].home;
        let first_half = e.period <= 2 || (e.period > 4 && e.period % 2 == 1);
        court::spot(&mut self.rng, zone, home == first_half)
    }
}
