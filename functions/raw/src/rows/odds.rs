use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use props_core::GameDate;
use props_core::sources::parse::{EventOdds, LineMarket};
use props_core::tables::rows::raw::{GameLineRow, PlayerPointsPropRow};

use super::unstamped;

/// When the line was seen: the historical snapshot time, else the market's last update, else
/// the fetch time.
fn seen(snapshot: Option<DateTime<Utc>>, market: Option<DateTime<Utc>>, fetched: DateTime<Utc>) -> DateTime<Utc> {
    snapshot.or(market).unwrap_or(fetched)
}

pub fn props(odds: &EventOdds, fetched: DateTime<Utc>) -> BTreeMap<GameDate, Vec<PlayerPointsPropRow>> {
    let mut out: BTreeMap<GameDate, Vec<PlayerPointsPropRow>> = BTreeMap::new();
    let snap = odds.snapshot.as_ref().map(|s| s.timestamp);
    for p in &odds.props {
        let at = seen(snap.or(p.snapshot_at), p.market_last_update, fetched);
        let before = (p.commence_time - at).num_minutes();
        out.entry(p.game_date).or_default().push(PlayerPointsPropRow {
            game_date: p.game_date,
            game_id: p.game_id.to_string(),
            odds_event_id: p.odds_event_id.clone(),
            snapshot_at: at,
            tipoff_at: p.commence_time,
            bookmaker: p.bookmaker.clone(),
            player_name: p.player_name.clone(),
            player_lookup: p.player_lookup.clone(),
            line: p.line,
            over_price_american: p.over_price_american,
            under_price_american: p.under_price_american,
            over_price_decimal: p.over_price_decimal,
            under_price_decimal: p.under_price_decimal,
            minutes_before_tipoff: before,
            after_tipoff: at >= p.commence_time,
            processed_at: unstamped(),
            data_hash: String::new(),
        });
    }
    out
}

pub fn lines(odds: &EventOdds, fetched: DateTime<Utc>) -> BTreeMap<GameDate, Vec<GameLineRow>> {
    let mut out: BTreeMap<GameDate, Vec<GameLineRow>> = BTreeMap::new();
    let snap = odds.snapshot.as_ref().map(|s| s.timestamp);
    for l in odds.lines.iter().filter(|l| l.market != LineMarket::Moneyline) {
        let at = seen(snap.or(l.snapshot_at), l.market_last_update, fetched);
        out.entry(l.game_date).or_default().push(GameLineRow {
            game_date: l.game_date,
            game_id: l.game_id.to_string(),
            odds_event_id: l.odds_event_id.clone(),
            snapshot_at: at,
            tipoff_at: l.commence_time,
            bookmaker: l.bookmaker.clone(),
            market: if l.market == LineMarket::Spread { "spreads".into() } else { "totals".into() },
            home_point: l.home_point,
            away_point: l.away_point,
            total: l.total_point,
            home_price_american: l.home_price_american,
            away_price_american: l.away_price_american,
            over_price_american: l.over_price_american,
            under_price_american: l.under_price_american,
            minutes_before_tipoff: (l.commence_time - at).num_minutes(),
            after_tipoff: at >= l.commence_time,
            processed_at: unstamped(),
            data_hash: String::new(),
        });
    }
    out
}
