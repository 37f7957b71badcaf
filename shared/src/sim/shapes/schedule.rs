//! cdn.nba.com `scheduleLeagueV2` (and stats' `scheduleleaguev2int`): the season's games by
//! date, each final (status 3, scores, leaders) or scheduled (status 1) as of the clock.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::America::New_York;
use serde_json::{Value, json};

use super::{eastern_time_text, iso_z};
use crate::sim::SimLeague;
use crate::sim::boxscore::Participation;
use crate::sim::schedule::ScheduledGame;
use crate::sim::teams::TEAMS;

const BROADCAST_KEYS: [&str; 12] = [
    "nationalTvBroadcasters",
    "nationalRadioBroadcasters",
    "nationalOttBroadcasters",
    "homeTvBroadcasters",
    "homeRadioBroadcasters",
    "homeOttBroadcasters",
    "awayTvBroadcasters",
    "awayRadioBroadcasters",
    "awayOttBroadcasters",
    "intlRadioBroadcasters",
    "intlTvBroadcasters",
    "intlOttBroadcasters",
];

/// National TV partners: (id, display).
const NATIONAL_TV: [(u32, &str); 4] = [(1, "ABC"), (2, "ESPN"), (1001321, "TNT"), (3, "NBA TV")];

/// The full schedule document for `season` as of `now` (empty `gameDates` for another season).
pub fn schedule(league: &SimLeague, now: DateTime<Utc>, season: &str) -> Value {
    json!({"meta": meta(now, season), "leagueSchedule": league_schedule(league, now, season)})
}

/// The document's `meta`: the only part that changes with every request.
pub fn meta(now: DateTime<Utc>, season: &str) -> Value {
    json!({
        "version": 1,
        "request": format!("http://nba.cloud/league/00/{season}/scheduleleaguev2?Format=json"),
        "time": now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    })
}

/// How many games are final at `now`. Games are ordered by tip-off, so the finals are a prefix
/// and this count alone decides `leagueSchedule` (which is what makes it cacheable).
pub fn finals(league: &SimLeague, now: DateTime<Utc>) -> usize {
    league.schedule().partition_point(|g| g.tip_off + Duration::hours(3) <= now)
}

/// `leagueSchedule` for `season` as of `now`.
pub fn league_schedule(league: &SimLeague, now: DateTime<Utc>, season: &str) -> Value {
    if season != league.season() {
        return json!({"seasonYear": season, "leagueId": "00", "gameDates": [], "weeks": [], "broadcasterList": []});
    }
    let games = league.schedule();
    let opening = games.first().map(|g| g.date.naive()).unwrap_or_default();
    let monday0 = opening - Duration::days(i64::from(opening.weekday().num_days_from_monday()));
    let week_of = |g: &ScheduledGame| ((g.date.naive() - monday0).num_days() / 7 + 1) as u32;
    let mut record = vec![(0u32, 0u32); TEAMS.len()];
    let mut by_date: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut seq_on_date: BTreeMap<String, u32> = BTreeMap::new();
    for (i, g) in games.iter().enumerate() {
        let final_ = league.is_final(i, now);
        let sim = league.game(i);
        let (hs, as_) = match (final_, sim) {
            (true, Some(s)) => (s.home_pts, s.away_pts),
            _ => (0, 0),
        };
        if final_ {
            let (w, l) = if hs > as_ { (g.home, g.away) } else { (g.away, g.home) };
            record[w].0 += 1;
            record[l].1 += 1;
        }
        let label = g.date.naive().format("%m/%d/%Y 00:00:00").to_string();
        let seq = seq_on_date.entry(label.clone()).or_insert(0);
        *seq += 1;
        let team = |t: usize, score: u32| {
            let tm = &TEAMS[t];
            json!({"teamId": tm.nba_id, "teamName": tm.nickname, "teamCity": tm.city, "teamTricode": tm.tricode,
                "teamSlug": tm.slug, "wins": record[t].0, "losses": record[t].1, "score": score, "seed": 0})
        };
        let ot = sim.map(|s| s.periods.saturating_sub(4)).unwrap_or(0);
        let status_text = match (final_, ot) {
            (false, _) => eastern_time_text(g.tip_off),
            (true, 0) => "Final".to_string(),
            (true, 1) => "Final/OT".to_string(),
            (true, n) => format!("Final/OT{n}"),
        };
        let leaders: Vec<Value> = match (final_, sim) {
            (true, Some(s)) => {
                let top = s.players.iter().map(|p| p.stats.pts).max().unwrap_or(0);
                s.players
                    .iter()
                    .filter(|p| p.participation == Participation::Played && p.stats.pts == top)
                    .map(|p| {
                        let pl = &league.players()[p.player];
                        let tm = &TEAMS[pl.team];
                        json!({"personId": pl.id, "firstName": crate::sim::names::fold_ascii(&pl.name.first),
                            "lastName": crate::sim::names::fold_ascii(&pl.name.last), "teamId": tm.nba_id,
                            "teamCity": tm.city, "teamName": tm.nickname, "teamTricode": tm.tricode,
                            "points": f64::from(p.stats.pts)})
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let tip_et = g.tip_off.with_timezone(&New_York);
        let midnight_et = g
            .date
            .naive()
            .and_hms_opt(0, 0, 0)
            .and_then(|n| n.and_local_timezone(New_York).single())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(g.tip_off);
        let local = |t: usize| -> String {
            let behind = i64::from(TEAMS[t].hours_behind_eastern());
            (tip_et - Duration::hours(behind)).format("%Y-%m-%dT%H:%M:%SZ").to_string()
        };
        let week = week_of(g);
        let broadcasters = broadcasters(league, g);
        let game = json!({
            "gameId": g.nba_game_id,
            "gameCode": format!("{}/{}{}", g.date.compact(), TEAMS[g.away].tricode, TEAMS[g.home].tricode),
            "gameStatus": if final_ { 3 } else { 1 },
            "gameStatusText": status_text,
            "gameSequence": *seq,
            "gameDateEst": format!("{}T00:00:00Z", g.date),
            "gameTimeEst": format!("1900-01-01T{}Z", tip_et.format("%H:%M:%S")),
            "gameDateTimeEst": tip_et.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "gameDateUTC": iso_z(midnight_et),
            "gameTimeUTC": format!("1900-01-01T{}Z", g.tip_off.format("%H:%M:%S")),
            "gameDateTimeUTC": iso_z(g.tip_off),
            "awayTeamTime": local(g.away),
            "homeTeamTime": local(g.home),
            "day": g.date.naive().format("%a").to_string(),
            "monthNum": g.date.naive().month(),
            "weekNumber": week,
            "weekName": format!("Week {week}"),
            "ifNecessary": false,
            "seriesGameNumber": "",
            "gameLabel": "",
            "gameSubLabel": "",
            "seriesText": "",
            "arenaName": format!("{} Arena", TEAMS[g.home].city),
            "arenaState": "",
            "arenaCity": TEAMS[g.home].city,
            "postponedStatus": "N",
            "branchLink": "",
            "gameSubtype": "",
            "isNeutral": false,
            "broadcasters": broadcasters,
            "homeTeam": team(g.home, hs),
            "awayTeam": team(g.away, as_),
            "pointsLeaders": leaders,
        });
        by_date.entry(label).or_default().push(game);
    }
    let mut dates: Vec<(String, Vec<Value>)> = by_date.into_iter().collect();
    // "MM/DD/YYYY" does not sort across the new year: order by the games' own dates.
    dates.sort_by(|a, b| {
        let key = |v: &Vec<Value>| v.first().and_then(|g| g["gameDateEst"].as_str().map(str::to_string));
        key(&a.1).cmp(&key(&b.1))
    });
    let game_dates: Vec<Value> =
        dates.into_iter().map(|(label, games)| json!({"gameDate": label, "games": games})).collect();
    let last_week = games.last().map(week_of).unwrap_or(0);
    let weeks: Vec<Value> = (1..=last_week)
        .map(|n| {
            let start = if n == 1 { opening } else { monday0 + Duration::weeks(i64::from(n - 1)) };
            let end = monday0 + Duration::weeks(i64::from(n - 1)) + Duration::days(6);
            json!({"weekNumber": n, "weekName": format!("Week {n}"),
                "startDate": format!("{start}T00:00:00Z"), "endDate": format!("{end}T00:00:00Z")})
        })
        .collect();
    let broadcaster_list: Vec<Value> = NATIONAL_TV
        .iter()
        .map(|(id, name)| {
            json!({"broadcasterId": id, "broadcasterDisplay": name,
            "broadcasterAbbreviation": name, "broadcasterDescription": "", "regionId": 1})
        })
        .collect();
    json!({"seasonYear": season, "leagueId": "00", "gameDates": game_dates, "weeks": weeks,
        "broadcasterList": broadcaster_list})
}

/// One broadcaster entry as the feed prints it.
fn entry(scope: &str, media: &str, id: u32, name: &str, region: u32, team_id: i64) -> Value {
    json!({"broadcasterScope": scope, "broadcasterMedia": media, "broadcasterId": id, "broadcasterDisplay": name,
        "broadcasterAbbreviation": name, "broadcasterDescription": "", "tapeDelayComments": "",
        "broadcasterVideoLink": "", "regionId": region, "broadcasterTeamId": team_id, "broadcasterRanking": Value::Null})
}

/// Local TV and radio for both teams, League Pass abroad, and national TV (with national
/// radio and Canadian TV) for about one game in five.
fn broadcasters(league: &SimLeague, g: &ScheduledGame) -> Value {
    let mut b = serde_json::Map::new();
    for k in BROADCAST_KEYS {
        b.insert(k.to_string(), json!([]));
    }
    let (h, a) = (&TEAMS[g.home], &TEAMS[g.away]);
    let local = |t: &crate::sim::teams::Team, scope: &str, media: &str, base: u32| {
        let name = if media == "tv" { format!("{} TV", t.nickname) } else { format!("{} Radio", t.city) };
        json!([entry(scope, media, base + t.espn_id, &name, 1, i64::from(t.nba_id))])
    };
    b.insert("homeTvBroadcasters".into(), local(h, "home", "tv", 1000));
    b.insert("homeRadioBroadcasters".into(), local(h, "home", "radio", 2000));
    b.insert("awayTvBroadcasters".into(), local(a, "away", "tv", 1000));
    b.insert("awayRadioBroadcasters".into(), local(a, "away", "radio", 2000));
    b.insert("intlOttBroadcasters".into(), json!([entry("intl", "ott", 1605, "NBA League Pass", 14, -1)]));
    if let Some((id, name)) = national_tv(league, g) {
        let mut tv = entry("natl", "tv", id, name, 1, -1);
        tv["localizationRegion"] = json!("");
        b.insert("nationalTvBroadcasters".into(), json!([tv]));
        b.insert("nationalRadioBroadcasters".into(), json!([entry("natl", "radio", 3, "ESPN Radio", 1, -1)]));
        b.insert("intlTvBroadcasters".into(), json!([entry("can", "tv", 181, "NBA TV Canada", 2, 1610612761)]));
    }
    Value::Object(b)
}

/// About one game in five is on national TV, opening night always.
fn national_tv(league: &SimLeague, g: &ScheduledGame) -> Option<(u32, &'static str)> {
    let h = crate::sim::odds::event_id(league.seed(), &g.game_id);
    let b = u32::from_str_radix(&h[..4], 16).unwrap_or(0);
    let opening = g.index < 2;
    (opening || b % 5 == 0).then(|| NATIONAL_TV[(b as usize / 5) % NATIONAL_TV.len()])
}
