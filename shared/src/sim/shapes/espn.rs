//! ESPN site API `teams/{id}?enable=roster`: the team, its record, next game and athletes with
//! their injuries as of the clock's Eastern date.
//!
//! The real document is large; every key path of the real first athlete and team object is
//! reproduced (values are plausible fillers where the league has nothing to say), so a parser
//! that walks the real shape walks this one.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::iso_z;
use crate::game_date::GameDate;
use crate::sim::SimLeague;
use crate::sim::injuries::InjuryStatus;
use crate::sim::players::Player;
use crate::sim::teams::{TEAMS, Team};

/// The team document for `TEAMS[team]`; athletes only when `roster` was asked for.
pub fn team(league: &SimLeague, now: DateTime<Utc>, team: usize, roster: bool) -> Value {
    let t = &TEAMS[team];
    let today = GameDate::eastern_of(now);
    let abbr = t.espn_abbr.to_ascii_lowercase();
    let slug = t.espn_display().to_ascii_lowercase().replace(' ', "-");
    let (mut w, mut l, mut hw, mut hl, mut aw, mut al, mut pf, mut pa) =
        (0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32);
    let mut next = None;
    for (i, g) in league.schedule().iter().enumerate() {
        if g.home != team && g.away != team {
            continue;
        }
        if !league.is_final(i, now) {
            if next.is_none() && g.tip_off > now {
                next = Some(i);
            }
            continue;
        }
        let Some(s) = league.game(i) else { continue };
        let home = g.home == team;
        let (own, opp) = if home { (s.home_pts, s.away_pts) } else { (s.away_pts, s.home_pts) };
        pf += own;
        pa += opp;
        let won = own > opp;
        match (home, won) {
            (true, true) => (w, hw) = (w + 1, hw + 1),
            (true, false) => (l, hl) = (l + 1, hl + 1),
            (false, true) => (w, aw) = (w + 1, aw + 1),
            (false, false) => (l, al) = (l + 1, al + 1),
        }
    }
    let games = f64::from((w + l).max(1));
    let pct = |a: u32, b: u32| {
        if a + b == 0 { 0.0 } else { f64::from(a) / f64::from(a + b) }
    };
    let record = json!({"items": [
        {"description": "Overall Record", "type": "total", "summary": format!("{w}-{l}"), "stats": [
            {"name": "avgPointsAgainst", "value": f64::from(pa) / games},
            {"name": "avgPointsFor", "value": f64::from(pf) / games},
            {"name": "gamesPlayed", "value": f64::from(w + l)},
            {"name": "losses", "value": f64::from(l)},
            {"name": "pointDifferential", "value": f64::from(pf) - f64::from(pa)},
            {"name": "pointsAgainst", "value": f64::from(pa)},
            {"name": "pointsFor", "value": f64::from(pf)},
            {"name": "winPercent", "value": pct(w, l)},
            {"name": "wins", "value": f64::from(w)}]},
        {"description": "Home Record", "type": "home", "summary": format!("{hw}-{hl}"), "stats": [
            {"name": "wins", "value": f64::from(hw)}, {"name": "losses", "value": f64::from(hl)},
            {"name": "winPercent", "value": pct(hw, hl)}]},
        {"description": "Away Record", "type": "road", "summary": format!("{aw}-{al}"), "stats": [
            {"name": "wins", "value": f64::from(aw)}, {"name": "losses", "value": f64::from(al)},
            {"name": "winPercent", "value": pct(aw, al)}]},
    ]});
    let franchise = json!({
        "$ref": format!("http://sports.core.api.espn.pvt/v2/sports/basketball/leagues/nba/franchises/{}", t.espn_id),
        "id": t.espn_id.to_string(), "uid": format!("s:40~l:46~f:{}", t.espn_id), "slug": slug,
        "location": location(t), "name": t.nickname, "abbreviation": t.espn_abbr,
        "displayName": t.espn_display(), "shortDisplayName": t.nickname, "color": "1d428a", "isActive": true,
        "venue": {"$ref": format!("http://sports.core.api.espn.pvt/v2/sports/basketball/leagues/nba/venues/{}", 9000 + t.espn_id),
            "id": (9000 + t.espn_id).to_string(), "fullName": format!("{} Arena", t.city), "shortName": format!("{} Arena", t.city),
            "address": {"city": t.city, "state": ""}, "grass": false, "indoor": true,
            "images": [{"href": "https://a.espncdn.com/i/venues/nba/day/0.jpg", "width": 2000, "height": 1125, "alt": "", "rel": ["full", "day"]}]},
        "team": {"$ref": format!("http://sports.core.api.espn.pvt/v2/sports/basketball/leagues/nba/teams/{}", t.espn_id)},
    });
    let mut doc = json!({
        "id": t.espn_id.to_string(),
        "uid": format!("s:40~l:46~t:{}", t.espn_id),
        "slug": slug,
        "location": location(t),
        "name": t.nickname,
        "abbreviation": t.espn_abbr,
        "displayName": t.espn_display(),
        "shortDisplayName": t.nickname,
        "color": "1d428a",
        "alternateColor": "ffffff",
        "isActive": true,
        "logos": logos(&abbr),
        "record": record,
        "groups": {"id": if t.east { "1" } else { "3" }, "parent": {"id": if t.east { "5" } else { "6" }}, "isConference": false},
        "links": [link(&format!("https://www.espn.com/nba/team/_/name/{abbr}/{slug}"), "Clubhouse", &["clubhouse", "desktop", "team"])],
        "franchise": franchise,
        "nextEvent": next.map(|i| vec![next_event(league, i)]).unwrap_or_default(),
        "standingSummary": format!("{w}-{l}"),
    });
    if roster {
        let mut athletes: Vec<(String, String, Value)> = league
            .roster(team)
            .iter()
            .map(|pi| {
                let p = &league.players()[*pi];
                (p.name.last.clone(), p.name.first.clone(), athlete(league, *pi, p, today))
            })
            .collect();
        athletes.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        doc["athletes"] = Value::Array(athletes.into_iter().map(|a| a.2).collect());
    }
    json!({"team": doc})
}

fn location(t: &Team) -> &'static str {
    if t.tricode == "LAC" { "Los Angeles" } else { t.city }
}

fn link(href: &str, text: &str, rel: &[&str]) -> Value {
    json!({"language": "en-US", "rel": rel, "href": href, "text": text, "shortText": text, "isExternal": false, "isPremium": false})
}

fn logos(abbr: &str) -> Value {
    json!([{"href": format!("https://a.espncdn.com/i/teamlogos/nba/500/{abbr}.png"), "width": 500, "height": 500,
        "alt": "", "rel": ["full", "default"], "lastUpdated": "2024-06-25T21:17Z"}])
}

fn athlete(league: &SimLeague, index: usize, p: &Player, today: GameDate) -> Value {
    let full = p.name.full();
    let slug = crate::sim::names::fold_ascii(&full).to_ascii_lowercase().replace([' ', '.', '\''], "-");
    let (pos_id, pos_name, pos_abbr) = p.position.espn();
    let injuries: Vec<Value> = crate::sim::injuries::status_on(league.injuries(index), today)
        .map(|s| {
            let (type_id, type_name, type_desc, type_abbr, fantasy) = match s.status {
                InjuryStatus::Out => ("4", "INJURY_STATUS_OUT", "out", "O", ("OUT", "OUT")),
                InjuryStatus::DayToDay => ("5", "INJURY_STATUS_DAYTODAY", "day-to-day", "DTD", ("GTD", "GTD")),
            };
            let announced = s
                .first_day
                .naive()
                .and_hms_opt(15, 30, 0)
                .map(|n| n.and_utc())
                .unwrap_or_default();
            vec![json!({
                "id": format!("{}{}", p.espn_id % 100_000, s.first_day.compact()),
                "longComment": format!("{} ({}) is {} and expected back around {}.", full, s.body_part.to_lowercase(), s.status.label().to_lowercase(), s.return_date()),
                "shortComment": format!("{} is listed {} with a {} injury.", full, s.status.label(), s.body_part.to_lowercase()),
                "status": s.status.label(),
                "date": announced.format("%Y-%m-%dT%H:%MZ").to_string(),
                "athlete": {},
                "source": {"id": "1", "description": "basic/manual", "state": "basic"},
                "type": {"id": type_id, "name": type_name, "description": type_desc, "abbreviation": type_abbr},
                "details": {"fantasyStatus": {"description": fantasy.0, "abbreviation": fantasy.1},
                    "type": s.body_part, "location": s.location, "side": s.side,
                    "returnDate": s.return_date().to_string()},
            })]
        })
        .unwrap_or_default();
    let weight = 180 + (p.espn_id % 70);
    let height = 73 + (p.espn_id % 12);
    let age = today.naive().years_since(p.birth_date).unwrap_or(p.age);
    let links: Vec<Value> = [("", "Player Card"), ("stats/", "Stats"), ("gamelog/", "Game Log")]
        .iter()
        .map(|(path, text)| {
            link(
                &format!("https://www.espn.com/nba/player/{path}_/id/{}/{slug}", p.espn_id),
                text,
                &["playercard", "desktop", "athlete"],
            )
        })
        .collect();
    let contract = json!({"birdStatus": 0, "baseYearCompensation": {"active": false}, "poisonPillProvision": {"active": false},
            "incomingTradeValue": 0, "outgoingTradeValue": 0, "minimumSalaryException": false, "optionType": 0,
            "salary": 2_000_000 + 1_000_000 * (14 - p.slot.min(14)) as u64, "salaryRemaining": 0, "yearsRemaining": 1,
            "season": {}, "tradeKicker": {"active": false, "percentage": 0.0, "value": 0, "tradeValue": 0},
            "tradeRestriction": false, "unsignedForeignPick": false, "active": true});
    json!({
        "id": p.espn_id.to_string(),
        "uid": format!("s:40~l:46~a:{}", p.espn_id),
        "guid": format!("{:08x}-0000-4000-8000-{:012x}", p.espn_id, p.id),
        "type": "basketball",
        "alternateIds": {"sdr": p.espn_id.to_string()},
        "firstName": p.name.first,
        "lastName": p.name.last,
        "fullName": full,
        "displayName": full,
        "shortName": p.name.initial(),
        "weight": f64::from(weight),
        "displayWeight": format!("{weight} lbs"),
        "height": f64::from(height),
        "displayHeight": format!("{}' {}\"", height / 12, height % 12),
        "age": age,
        "dateOfBirth": format!("{}T07:00Z", p.birth_date),
        "debutYear": (p.birth_date.format("%Y").to_string().parse::<u32>().unwrap_or(2000) + 20).min(2024),
        "links": links,
        "birthPlace": {"city": "", "state": "", "country": "USA"},
        "citizenship": "USA",
        "college": {},
        "slug": slug,
        "headshot": {"href": format!("https://a.espncdn.com/i/headshots/nba/players/full/{}.png", p.espn_id), "alt": full},
        "jersey": p.jersey.to_string(),
        "position": {"id": pos_id, "name": pos_name, "displayName": pos_name, "abbreviation": pos_abbr, "leaf": true, "parent": {}},
        "injuries": injuries,
        "linked": true,
        "teams": [{}],
        "experience": {"years": p.age.saturating_sub(20)},
        "collegeAthlete": {},
        "active": true,
        "contract": contract,
        "eventLog": {},
        "draft": {"displayText": "Undrafted", "round": 0, "year": 0, "selection": 0, "pick": {}},
        "status": {"id": "1", "name": "Active", "type": "active", "abbreviation": "Active"},
    })
}

fn next_event(league: &SimLeague, i: usize) -> Value {
    let g = &league.schedule()[i];
    let (h, a) = (&TEAMS[g.home], &TEAMS[g.away]);
    let event_id = (401_700_000 + i).to_string();
    let when = g.tip_off.format("%Y-%m-%dT%H:%MZ").to_string();
    let competitor = |t: &Team, home: bool| {
        let abbr = t.espn_abbr.to_ascii_lowercase();
        json!({"id": t.espn_id.to_string(), "type": "team", "order": if home { 0 } else { 1 },
            "homeAway": if home { "home" } else { "away" }, "winner": false,
            "team": {"id": t.espn_id.to_string(), "location": location(t), "abbreviation": t.espn_abbr,
                "displayName": t.espn_display(), "shortDisplayName": t.nickname, "logos": logos(&abbr),
                "links": [{"rel": ["clubhouse", "desktop", "team"], "href": format!("https://www.espn.com/nba/team/_/name/{abbr}"), "text": "Clubhouse"}]},
            "score": {"value": 0.0, "displayValue": "0"},
            "record": [{"id": "0", "abbreviation": "Any", "displayName": "Record", "shortDisplayName": "REC",
                "description": "Overall Record", "type": "total", "displayValue": "0-0"}]})
    };
    let start_year = league.start_year();
    json!({
        "id": event_id, "date": when,
        "name": format!("{} at {}", a.espn_display(), h.espn_display()),
        "shortName": format!("{} @ {}", a.espn_abbr, h.espn_abbr),
        "season": {"year": start_year + 1, "displayName": league.season()},
        "seasonType": {"id": "2", "type": 2, "name": "Regular Season", "abbreviation": "reg"},
        "timeValid": true,
        "competitions": [{
            "id": event_id, "date": when, "attendance": 0,
            "type": {"id": "1", "text": "Standard", "abbreviation": "STD", "slug": "standard", "type": "standard"},
            "timeValid": true, "neutralSite": false, "boxscoreAvailable": false, "ticketsAvailable": true,
            "venue": {"fullName": format!("{} Arena", h.city), "address": {"city": h.city, "state": ""}},
            "competitors": [competitor(h, true), competitor(a, false)],
            "notes": [{"type": "event", "headline": "Regular Season"}],
            "broadcasts": [{"type": {"id": "1", "shortName": "TV"}, "market": {"id": "1", "type": "National"},
                "media": {"shortName": "NBA TV"}, "lang": "en", "region": "us"}],
            "status": {"clock": 0.0, "displayClock": "0.0", "period": 0,
                "type": {"id": "1", "name": "STATUS_SCHEDULED", "state": "pre", "completed": false,
                    "description": "Scheduled", "detail": iso_z(g.tip_off), "shortDetail": iso_z(g.tip_off)}},
        }],
        "links": [link(&format!("https://www.espn.com/nba/game/_/gameId/{event_id}"), "Gamecast", &["summary", "desktop", "event"])],
    })
}
