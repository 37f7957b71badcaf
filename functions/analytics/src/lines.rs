//! Sportsbook lines: which pre-game points line counts, how a result is graded against it, and
//! the consensus spread and total of a game. Only snapshots taken before tip-off (and, for
//! contexts, before "now") are ever looked at: a line seen after tip-off knows the game.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use props_core::tables::rows::raw::{GameLineRow, PlayerPointsPropRow};

use crate::formulas::median;

/// The bookmakers whose line is preferred, in order; when none has a line, the median of all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookPreference(pub Vec<String>);

impl Default for BookPreference {
    fn default() -> Self {
        Self(vec!["draftkings".into(), "fanduel".into()])
    }
}

impl BookPreference {
    /// `draftkings,fanduel` style list; an empty or blank value keeps the default.
    pub fn parse(s: &str) -> Self {
        let books: Vec<String> =
            s.split(',').map(|b| b.trim().to_ascii_lowercase()).filter(|b| !b.is_empty()).collect();
        if books.is_empty() { Self::default() } else { Self(books) }
    }
}

/// The chosen line for one player and game.
#[derive(Clone, Debug, PartialEq)]
pub struct LineChoice {
    /// The latest pre-game line of the source.
    pub line: f64,
    /// The earliest pre-game line of the same source.
    pub opening: f64,
    /// A bookmaker key, or `median`.
    pub source: String,
    /// How many bookmakers had a line.
    pub bookmakers: usize,
}

impl LineChoice {
    pub fn movement(&self) -> f64 {
        self.line - self.opening
    }
}

/// Whether a snapshot may be used: before tip-off, and not after `cutoff` (the clock, for
/// contexts built before the game; a backfill's clock stands at that morning).
pub fn usable(p: &PlayerPointsPropRow, cutoff: Option<DateTime<Utc>>) -> bool {
    p.is_pregame(cutoff)
}

/// How far a row's prices are from an even market: books also post alternate lines (a ladder
/// of points at lopsided prices) in the same snapshot, and the main line is the balanced one.
fn imbalance(p: &PlayerPointsPropRow) -> f64 {
    match (
        p.over_price_decimal.or(p.over_price_american.map(decimal)),
        p.under_price_decimal.or(p.under_price_american.map(decimal)),
    ) {
        (Some(o), Some(u)) => (o - u).abs(),
        _ => f64::INFINITY,
    }
}

fn decimal(american: i32) -> f64 {
    let a = f64::from(american);
    if a > 0.0 {
        1.0 + a / 100.0
    } else if a < 0.0 {
        1.0 + 100.0 / -a
    } else {
        f64::NAN
    }
}

/// Picks the line from one player's snapshots for one game (already filtered with [`usable`]).
/// Per bookmaker and snapshot the main line counts (most balanced prices, then the lower line);
/// per bookmaker the latest snapshot is the line and the earliest the opening.
pub fn choose_line(snapshots: &[&PlayerPointsPropRow], prefs: &BookPreference) -> Option<LineChoice> {
    let mut main: BTreeMap<(&str, DateTime<Utc>), &PlayerPointsPropRow> = BTreeMap::new();
    for s in snapshots {
        let e = main.entry((s.bookmaker.as_str(), s.snapshot_at)).or_insert(s);
        let key = |p: &PlayerPointsPropRow| (imbalance(p), p.line);
        if key(s).partial_cmp(&key(e)).is_some_and(|o| o.is_lt()) {
            *e = s;
        }
    }
    // Keys are ordered by time within a book: the first is the earliest, the last the latest.
    let mut per_book: BTreeMap<&str, (&PlayerPointsPropRow, &PlayerPointsPropRow)> = BTreeMap::new();
    for ((book, _), row) in main {
        per_book.entry(book).and_modify(|e| e.1 = row).or_insert((row, row));
    }
    if per_book.is_empty() {
        return None;
    }
    let bookmakers = per_book.len();
    for book in &prefs.0 {
        if let Some((first, last)) = per_book.get(book.as_str()) {
            return Some(LineChoice { line: last.line, opening: first.line, source: book.clone(), bookmakers });
        }
    }
    let latest: Vec<f64> = per_book.values().map(|(_, l)| l.line).collect();
    let earliest: Vec<f64> = per_book.values().map(|(f, _)| f.line).collect();
    Some(LineChoice { line: median(&latest)?, opening: median(&earliest)?, source: "median".into(), bookmakers })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverUnder {
    Over,
    Under,
    Push,
}

impl OverUnder {
    pub fn as_str(self) -> &'static str {
        match self {
            OverUnder::Over => "OVER",
            OverUnder::Under => "UNDER",
            OverUnder::Push => "PUSH",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "OVER" => Some(OverUnder::Over),
            "UNDER" => Some(OverUnder::Under),
            "PUSH" => Some(OverUnder::Push),
            _ => None,
        }
    }
}

/// Points against the line: a push (equal) is neither over nor under.
pub fn over_under(points: f64, line: f64) -> OverUnder {
    if points > line {
        OverUnder::Over
    } else if points < line {
        OverUnder::Under
    } else {
        OverUnder::Push
    }
}

/// The current streak over (+n) or under (−n), newest result first. Pushes and games without
/// a line are skipped: they neither extend nor break a streak.
pub fn prop_streak<'a>(newest_first: impl IntoIterator<Item = Option<&'a str>>) -> i32 {
    let mut dir: Option<OverUnder> = None;
    let mut n = 0i32;
    for r in newest_first.into_iter().flatten().filter_map(OverUnder::parse) {
        match (r, dir) {
            (OverUnder::Push, _) => continue,
            (r, None) => {
                dir = Some(r);
                n = 1;
            }
            (r, Some(d)) if r == d => n += 1,
            _ => break,
        }
    }
    if dir == Some(OverUnder::Under) { -n } else { n }
}

/// Current (latest per book) and opening (earliest per book) medians of one market of a game,
/// from the home team's point of view for spreads.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Consensus {
    pub current: Option<f64>,
    pub opening: Option<f64>,
}

impl Consensus {
    pub fn movement(&self) -> Option<f64> {
        Some(self.current? - self.opening?)
    }
    /// The other side of a spread.
    pub fn negated(self) -> Self {
        Self { current: self.current.map(|v| -v), opening: self.opening.map(|v| -v) }
    }
}

/// `market` is `spreads` (the home spread) or `totals`.
pub fn consensus(rows: &[&GameLineRow], market: &str, cutoff: Option<DateTime<Utc>>) -> Consensus {
    let value = |r: &GameLineRow| if market == "spreads" { r.home_point } else { r.total };
    let mut per_book: BTreeMap<&str, Vec<(DateTime<Utc>, f64)>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.market == market && !r.after_tipoff && r.snapshot_at < r.tipoff_at) {
        if cutoff.is_some_and(|c| r.snapshot_at > c) {
            continue;
        }
        if let Some(v) = value(r) {
            per_book.entry(r.bookmaker.as_str()).or_default().push((r.snapshot_at, v));
        }
    }
    let pick = |latest: bool| -> Vec<f64> {
        per_book
            .values()
            .filter_map(|snaps| {
                let it = snaps.iter().copied();
                let chosen = if latest {
                    it.max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
                } else {
                    it.min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
                };
                chosen.map(|(_, v)| v)
            })
            .collect()
    };
    Consensus { current: median(&pick(true)), opening: median(&pick(false)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn snap(book: &str, line: f64, minutes_before: i64) -> PlayerPointsPropRow {
        let tip = Utc.with_ymd_and_hms(2024, 3, 6, 0, 0, 0).unwrap();
        PlayerPointsPropRow {
            game_date: "2024-03-05".parse().unwrap(),
            game_id: "20240305_GSW_BOS".into(),
            odds_event_id: "e".into(),
            snapshot_at: tip - Duration::minutes(minutes_before),
            tipoff_at: tip,
            bookmaker: book.into(),
            player_name: "Jayson Tatum".into(),
            player_lookup: "jaysontatum".into(),
            line,
            over_price_american: Some(-110),
            under_price_american: Some(-110),
            over_price_decimal: None,
            under_price_decimal: None,
            minutes_before_tipoff: minutes_before,
            after_tipoff: minutes_before < 0,
            processed_at: tip,
            data_hash: String::new(),
        }
    }

    #[test]
    fn preferred_book_then_median() {
        let rows = [snap("fanduel", 27.5, 300), snap("fanduel", 28.5, 60), snap("betmgm", 26.5, 60)];
        let refs: Vec<_> = rows.iter().collect();
        let c = choose_line(&refs, &BookPreference::default()).unwrap();
        assert_eq!((c.line, c.opening, c.source.as_str(), c.bookmakers), (28.5, 27.5, "fanduel", 2));
        assert_eq!(c.movement(), 1.0);
        let rows = [snap("betmgm", 26.5, 60), snap("bovada", 27.5, 60), snap("pointsbet", 29.5, 60)];
        let refs: Vec<_> = rows.iter().collect();
        let c = choose_line(&refs, &BookPreference::default()).unwrap();
        assert_eq!((c.line, c.source.as_str()), (27.5, "median"));
        let c = choose_line(&refs, &BookPreference::parse("bovada, betmgm")).unwrap();
        assert_eq!((c.line, c.source.as_str()), (27.5, "bovada"));
        assert_eq!(BookPreference::parse(" , "), BookPreference::default());
    }

    #[test]
    fn the_main_line_is_the_balanced_one_not_an_alternate() {
        let priced = |line: f64, over: i32, under: i32| PlayerPointsPropRow {
            over_price_american: Some(over),
            under_price_american: Some(under),
            ..snap("betrivers", line, 60)
        };
        let rows = [priced(24.5, -400, 300), priced(28.5, -112, -108), priced(32.5, 300, -400)];
        let refs: Vec<_> = rows.iter().collect();
        let c = choose_line(&refs, &BookPreference::default()).unwrap();
        assert_eq!((c.line, c.source.as_str(), c.bookmakers), (28.5, "median", 1));
    }

    #[test]
    fn snapshots_after_tipoff_or_after_the_cutoff_are_not_usable() {
        let late = snap("draftkings", 40.5, -5);
        assert!(!usable(&late, None));
        let early = snap("draftkings", 27.5, 120);
        assert!(usable(&early, None));
        assert!(!usable(&early, Some(early.snapshot_at - Duration::minutes(1))));
    }

    #[test]
    fn pushes_are_neither_over_nor_under() {
        assert_eq!(over_under(27.0, 27.0), OverUnder::Push);
        assert_eq!(over_under(28.0, 27.5), OverUnder::Over);
        assert_eq!(over_under(27.0, 27.5), OverUnder::Under);
        assert_eq!(prop_streak([Some("OVER"), Some("PUSH"), None, Some("OVER"), Some("UNDER")]), 2);
        assert_eq!(prop_streak([Some("UNDER"), Some("UNDER"), Some("OVER")]), -2);
        assert_eq!(prop_streak([Some("PUSH"), None]), 0);
    }

    proptest! {
        #[test]
        fn a_push_never_counts(results in proptest::collection::vec(0..4u8, 0..20)) {
            let names: Vec<Option<&str>> = results.iter().map(|r| match r {
                0 => Some("OVER"), 1 => Some("UNDER"), 2 => Some("PUSH"), _ => None }).collect();
            let without_pushes: Vec<Option<&str>> =
                names.iter().copied().filter(|n| *n != Some("PUSH") && n.is_some()).collect();
            prop_assert_eq!(prop_streak(names.iter().copied()), prop_streak(without_pushes.iter().copied()));
            let streak = prop_streak(names.iter().copied());
            let overs = names.iter().filter(|n| **n == Some("OVER")).count() as i32;
            let unders = names.iter().filter(|n| **n == Some("UNDER")).count() as i32;
            prop_assert!(streak <= overs && -streak <= unders);
        }

        #[test]
        fn over_under_agrees_with_the_sign(points in 0..80i32, half in 0..160i32) {
            let line = f64::from(half) / 2.0;
            let r = over_under(f64::from(points), line);
            prop_assert_eq!(r == OverUnder::Push, f64::from(points) == line);
        }
    }
}
