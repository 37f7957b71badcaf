//! Odds API event odds (live or historical): bookmakers → markets → outcomes. Points props
//! become one row per (bookmaker, player, line) with the Over and Under prices side by side;
//! spreads, totals and moneylines become one game-line row per bookmaker and market.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::game_date::GameDate;
use crate::identity::{GameId, TeamCode, player_lookup};
use crate::sources::parse::json::{Cursor, parse_root};
use crate::sources::parse::odds::{HistoricalSnapshot, OddsEvent, Price, event_header, price, unwrap_historical};
use crate::sources::parse::{NameKind, ParseError, Unresolved};

const PARSER: &str = "odds_event_odds";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlayerPropLine {
    pub odds_event_id: String,
    pub game_id: GameId,
    pub game_date: GameDate,
    pub commence_time: DateTime<Utc>,
    pub bookmaker: String,
    pub bookmaker_title: Option<String>,
    pub market_last_update: Option<DateTime<Utc>>,
    pub snapshot_at: Option<DateTime<Utc>>,
    pub player_name: String,
    pub player_lookup: String,
    pub line: f64,
    pub over_price_american: Option<i32>,
    pub over_price_decimal: Option<f64>,
    pub under_price_american: Option<i32>,
    pub under_price_decimal: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineMarket {
    Spread,
    Total,
    Moneyline,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GameLine {
    pub odds_event_id: String,
    pub game_id: GameId,
    pub game_date: GameDate,
    pub commence_time: DateTime<Utc>,
    pub bookmaker: String,
    pub market: LineMarket,
    pub market_last_update: Option<DateTime<Utc>>,
    pub snapshot_at: Option<DateTime<Utc>>,
    /// Spread: the home team's handicap (negative = favourite). Total: the points line.
    pub home_point: Option<f64>,
    pub away_point: Option<f64>,
    pub total_point: Option<f64>,
    pub home_price_american: Option<i32>,
    pub away_price_american: Option<i32>,
    pub over_price_american: Option<i32>,
    pub under_price_american: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventOdds {
    pub snapshot: Option<HistoricalSnapshot>,
    /// `None` when the event's teams could not be resolved (then there are no rows).
    pub event: Option<OddsEvent>,
    pub props: Vec<PlayerPropLine>,
    pub lines: Vec<GameLine>,
    pub unresolved: Unresolved,
}

struct Ctx<'e> {
    event: &'e OddsEvent,
    bookmaker: String,
    bookmaker_title: Option<String>,
    market_last_update: Option<DateTime<Utc>>,
}

pub fn parse_event_odds(raw: &[u8]) -> Result<EventOdds, ParseError> {
    let root = parse_root(PARSER, raw)?;
    let root = Cursor::root(PARSER, &root);
    let (snapshot, data) = unwrap_historical(&root)?;
    let mut out =
        EventOdds { snapshot, event: None, props: Vec::new(), lines: Vec::new(), unresolved: Unresolved::default() };
    let Some(event) = event_header(&data, snapshot.as_ref(), &mut out.unresolved)? else {
        return Ok(out);
    };
    let Some(books) = data.opt("bookmakers")? else {
        out.event = Some(event);
        return Ok(out);
    };
    for b in books.items()? {
        let book_last = b.opt_instant("last_update")?;
        for m in b.get("markets")?.items()? {
            let ctx = Ctx {
                event: &event,
                bookmaker: b.get("key")?.str()?.to_string(),
                bookmaker_title: b.opt_str("title")?.map(str::to_string),
                market_last_update: m.opt_instant("last_update")?.or(book_last),
            };
            let outcomes = m.get("outcomes")?.items()?;
            let key_c = m.get("key")?;
            match key_c.str()? {
                "player_points" => props(&ctx, &outcomes, &mut out)?,
                "spreads" => out.lines.extend(line(&ctx, LineMarket::Spread, &outcomes, &mut out.unresolved)?),
                "totals" => out.lines.extend(line(&ctx, LineMarket::Total, &outcomes, &mut out.unresolved)?),
                "h2h" => out.lines.extend(line(&ctx, LineMarket::Moneyline, &outcomes, &mut out.unresolved)?),
                // Other markets (rebounds, assists...) are not bought; ignore if present.
                _ => {}
            }
        }
    }
    out.event = Some(event);
    Ok(out)
}

fn props(ctx: &Ctx<'_>, outcomes: &[Cursor<'_>], out: &mut EventOdds) -> Result<(), ParseError> {
    for o in outcomes {
        let name_c = o.get("name")?;
        let over = match name_c.str()? {
            "Over" => true,
            "Under" => false,
            _ => return Err(name_c.invalid("expected \"Over\" or \"Under\"")),
        };
        let player_name = o.get("description")?.str()?.trim().to_string();
        let lookup = player_lookup(&player_name);
        if lookup.is_empty() {
            out.unresolved.record(NameKind::Player, &player_name, &o.path);
            continue;
        }
        let line = o.get("point")?.f64()?;
        let p = price(&o.get("price")?)?;
        let found =
            out.props.iter().position(|r| r.bookmaker == ctx.bookmaker && r.player_lookup == lookup && r.line == line);
        let idx = match found {
            Some(i) => i,
            None => {
                out.props.push(PlayerPropLine {
                    odds_event_id: ctx.event.odds_event_id.clone(),
                    game_id: ctx.event.game_id,
                    game_date: ctx.event.game_date,
                    commence_time: ctx.event.commence_time,
                    bookmaker: ctx.bookmaker.clone(),
                    bookmaker_title: ctx.bookmaker_title.clone(),
                    market_last_update: ctx.market_last_update,
                    snapshot_at: ctx.event.snapshot_at,
                    player_name,
                    player_lookup: lookup,
                    line,
                    over_price_american: None,
                    over_price_decimal: None,
                    under_price_american: None,
                    under_price_decimal: None,
                });
                out.props.len() - 1
            }
        };
        let row = &mut out.props[idx];
        let set = |a: &mut Option<i32>, d: &mut Option<f64>, p: Price| {
            if a.is_none() {
                *a = Some(p.american);
                *d = Some(p.decimal);
            }
        };
        if over {
            set(&mut row.over_price_american, &mut row.over_price_decimal, p);
        } else {
            set(&mut row.under_price_american, &mut row.under_price_decimal, p);
        }
    }
    Ok(())
}

fn line(
    ctx: &Ctx<'_>,
    market: LineMarket,
    outcomes: &[Cursor<'_>],
    unresolved: &mut Unresolved,
) -> Result<Option<GameLine>, ParseError> {
    let ev = ctx.event;
    let mut row = GameLine {
        odds_event_id: ev.odds_event_id.clone(),
        game_id: ev.game_id,
        game_date: ev.game_date,
        commence_time: ev.commence_time,
        bookmaker: ctx.bookmaker.clone(),
        market,
        market_last_update: ctx.market_last_update,
        snapshot_at: ev.snapshot_at,
        home_point: None,
        away_point: None,
        total_point: None,
        home_price_american: None,
        away_price_american: None,
        over_price_american: None,
        under_price_american: None,
    };
    for o in outcomes {
        let name_c = o.get("name")?;
        let name = name_c.str()?;
        let p = price(&o.get("price")?)?.american;
        let point = o.opt_f64("point")?;
        if market == LineMarket::Total {
            match name {
                "Over" => row.over_price_american = Some(p),
                "Under" => row.under_price_american = Some(p),
                _ => return Err(name_c.invalid("expected \"Over\" or \"Under\"")),
            }
            row.total_point = row.total_point.or(point);
            continue;
        }
        let Ok(team) = TeamCode::from_odds_name(name) else {
            unresolved.record(NameKind::Team, name, &o.path);
            continue;
        };
        if team == ev.home_team {
            row.home_price_american = Some(p);
            row.home_point = point;
        } else if team == ev.away_team {
            row.away_price_american = Some(p);
            row.away_point = point;
        } else {
            return Err(name_c.invalid(format!("a team not in this event ({})", ev.game_id)));
        }
    }
    let empty = row.home_price_american.is_none()
        && row.away_price_american.is_none()
        && row.over_price_american.is_none()
        && row.under_price_american.is_none();
    Ok((!empty).then_some(row))
}

#[cfg(test)]
mod tests;
