//! Scrape jobs: what each `source` means and which parameters it takes, parsed strictly (an
//! unknown or malformed parameter is a permanent failure naming it: a producer and this
//! consumer that disagree must fail loudly), and the constructors the planner and the fan-out
//! use, so that a job is only ever built one way.
//!
//! Parameters per source (all values are strings unless noted):
//!
//! | source | parameters |
//! |---|---|
//! | `nba/schedule` | `season` `YYYY-YY` (default: the season of the game date); `current: true` (bool) fetches the CDN's current-season file instead |
//! | `nba/gamelog` | `date` `YYYY-MM-DD` (required), `player_or_team` `P`/`T` (required), `season` (optional, must be the date's season), `season_type` `Regular Season`/`Playoffs`/`PlayIn` (default `Regular Season`) |
//! | `nba/playbyplay` | `game_id`: the 10-digit NBA game id |
//! | `espn/roster` | `team`: an NBA tricode (any known team spelling is accepted) |
//! | `odds/events` | live: `from`, `to` (RFC 3339 commence-time window); historical: `date` (RFC 3339 instant, the snapshot time), optional `pretip_minutes` (integer: also fan out a snapshot that many minutes before each tip-off) |
//! | `odds/event-odds` | `event_id`; historical when `date` (RFC 3339 instant) is given |
//!
//! `historical: true` may accompany `date` for readability; `historical: true` without `date`
//! is refused. Secrets are never parameters: the fetcher adds the Odds API key at send time.

use chrono::{DateTime, Utc};
use props_core::GameDate;
use props_core::config::SourceUrls;
use props_core::identity::{NbaGameId, Season, TeamCode};
use props_core::messages::ScrapeJob;
use props_core::sources::nba_stats::{PlayerOrTeam, SeasonType};
use props_core::sources::odds_api::EventId;
use props_core::sources::{Endpoint, SourceRequest, espn, nba_cdn, nba_stats, odds_api};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    UnknownSource(#[from] props_core::sources::request::UnknownEndpoint),
    #[error("{scraper} job: missing parameter `{param}`")]
    Missing { scraper: String, param: &'static str },
    #[error("{scraper} job: parameter `{param}`: {reason}")]
    Invalid { scraper: String, param: String, reason: String },
    #[error("{scraper} job: unknown parameter `{param}` (accepted: {accepted})")]
    Unknown { scraper: String, param: String, accepted: String },
}

/// Live or historical (backfill) Odds API events.
#[derive(Clone, Debug, PartialEq)]
pub enum EventsQuery {
    Live { from: DateTime<Utc>, to: DateTime<Utc> },
    Historical { at: DateTime<Utc>, pretip_minutes: Option<i64> },
}

/// A parsed, validated job.
#[derive(Clone, Debug, PartialEq)]
pub enum JobSpec {
    Schedule { season: Season, current: bool },
    Gamelog { date: GameDate, season_type: SeasonType, who: PlayerOrTeam },
    PlayByPlay { game: NbaGameId },
    Roster { team: TeamCode },
    Events(EventsQuery),
    EventOdds { event: EventId, at: Option<DateTime<Utc>> },
}

struct Params<'a> {
    source: String,
    map: &'a Map<String, Value>,
}

impl Params<'_> {
    fn invalid(&self, param: &str, reason: impl Into<String>) -> JobError {
        JobError::Invalid { scraper: self.source.clone(), param: param.to_string(), reason: reason.into() }
    }

    fn only(&self, accepted: &[&str]) -> Result<(), JobError> {
        match self.map.keys().find(|k| !accepted.contains(&k.as_str())) {
            Some(k) => Err(JobError::Unknown {
                scraper: self.source.clone(),
                param: k.chars().take(60).collect(),
                accepted: accepted.join(", "),
            }),
            None => Ok(()),
        }
    }

    fn str(&self, param: &'static str) -> Result<Option<&str>, JobError> {
        match self.map.get(param) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(self.invalid(param, format!("expected a string, found {other}"))),
        }
    }

    fn required(&self, param: &'static str) -> Result<&str, JobError> {
        self.str(param)?.ok_or_else(|| JobError::Missing { scraper: self.source.clone(), param })
    }

    fn bool(&self, param: &'static str) -> Result<bool, JobError> {
        match self.map.get(param) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(self.invalid(param, format!("expected true or false, found {other}"))),
        }
    }

    fn instant(&self, param: &'static str) -> Result<Option<DateTime<Utc>>, JobError> {
        self.str(param)?
            .map(|s| {
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| self.invalid(param, format!("`{s}` is not an RFC 3339 instant ({e})")))
            })
            .transpose()
    }

    fn date(&self, param: &'static str) -> Result<GameDate, JobError> {
        self.required(param)?
            .parse()
            .map_err(|e: props_core::game_date::GameDateError| self.invalid(param, e.to_string()))
    }
}

fn season_type(s: &str) -> Option<SeasonType> {
    match s.trim().to_ascii_lowercase().as_str() {
        "regular season" | "regular" => Some(SeasonType::RegularSeason),
        "playoffs" => Some(SeasonType::Playoffs),
        "playin" | "play_in" | "play-in" => Some(SeasonType::PlayIn),
        _ => None,
    }
}

impl JobSpec {
    /// Validates `job` for a message whose game date is `game_date`.
    pub fn parse(job: &ScrapeJob, game_date: GameDate) -> Result<Self, JobError> {
        let endpoint: Endpoint = job.source.parse()?;
        let p = Params { source: endpoint.to_string(), map: &job.params };
        Ok(match endpoint {
            Endpoint::Schedule => {
                p.only(&["season", "current"])?;
                let season = match p.str("season")? {
                    Some(s) => {
                        s.parse().map_err(|e: props_core::identity::SeasonError| p.invalid("season", e.to_string()))?
                    }
                    None => Season::containing(game_date),
                };
                JobSpec::Schedule { season, current: p.bool("current")? }
            }
            Endpoint::Gamelog => {
                p.only(&["date", "player_or_team", "season", "season_type"])?;
                let date = p.date("date")?;
                if let Some(s) = p.str("season")? {
                    let expected = Season::containing(date).to_string();
                    if s != expected {
                        return Err(p.invalid("season", format!("`{s}` is not the season of {date} ({expected})")));
                    }
                }
                let who = match p.required("player_or_team")? {
                    "P" | "p" => PlayerOrTeam::Player,
                    "T" | "t" => PlayerOrTeam::Team,
                    other => return Err(p.invalid("player_or_team", format!("`{other}`: expected P or T"))),
                };
                let season_type = match p.str("season_type")? {
                    None => SeasonType::RegularSeason,
                    Some(s) => season_type(s).ok_or_else(|| {
                        p.invalid("season_type", format!("`{s}`: expected Regular Season, Playoffs or PlayIn"))
                    })?,
                };
                JobSpec::Gamelog { date, season_type, who }
            }
            Endpoint::PlayByPlay => {
                p.only(&["game_id"])?;
                let id = p.required("game_id")?;
                JobSpec::PlayByPlay { game: NbaGameId::parse(id).map_err(|e| p.invalid("game_id", e.to_string()))? }
            }
            Endpoint::Roster => {
                p.only(&["team"])?;
                let t = p.required("team")?;
                JobSpec::Roster { team: TeamCode::resolve(t).map_err(|e| p.invalid("team", e.to_string()))? }
            }
            Endpoint::Events => {
                p.only(&["from", "to", "date", "historical", "pretip_minutes"])?;
                let historical = p.bool("historical")?;
                match (p.instant("date")?, p.instant("from")?, p.instant("to")?) {
                    (Some(at), None, None) => {
                        let pretip_minutes = match p.map.get("pretip_minutes") {
                            None | Some(Value::Null) => None,
                            Some(v) => Some(v.as_i64().filter(|m| (0..=24 * 60).contains(m)).ok_or_else(|| {
                                p.invalid("pretip_minutes", format!("expected whole minutes 0-1440, found {v}"))
                            })?),
                        };
                        JobSpec::Events(EventsQuery::Historical { at, pretip_minutes })
                    }
                    (None, _, _) if historical => return Err(JobError::Missing { scraper: p.source, param: "date" }),
                    (None, Some(from), Some(to)) => {
                        if to < from {
                            return Err(p.invalid("to", "the window ends before it starts"));
                        }
                        JobSpec::Events(EventsQuery::Live { from, to })
                    }
                    (Some(_), _, _) => {
                        return Err(p.invalid("date", "a historical job takes `date` without `from`/`to`"));
                    }
                    (None, None, _) => return Err(JobError::Missing { scraper: p.source, param: "from" }),
                    (None, Some(_), None) => return Err(JobError::Missing { scraper: p.source, param: "to" }),
                }
            }
            Endpoint::EventOdds => {
                p.only(&["event_id", "date", "historical"])?;
                let event =
                    EventId::parse(p.required("event_id")?).map_err(|e| p.invalid("event_id", e.to_string()))?;
                let at = p.instant("date")?;
                if at.is_none() && p.bool("historical")? {
                    return Err(JobError::Missing { scraper: p.source, param: "date" });
                }
                JobSpec::EventOdds { event, at }
            }
        })
    }

    pub fn endpoint(&self) -> Endpoint {
        match self {
            JobSpec::Schedule { .. } => Endpoint::Schedule,
            JobSpec::Gamelog { .. } => Endpoint::Gamelog,
            JobSpec::PlayByPlay { .. } => Endpoint::PlayByPlay,
            JobSpec::Roster { .. } => Endpoint::Roster,
            JobSpec::Events(_) => Endpoint::Events,
            JobSpec::EventOdds { .. } => Endpoint::EventOdds,
        }
    }

    /// The request to send (never carrying a secret).
    pub fn request(&self, urls: &SourceUrls) -> SourceRequest {
        match self {
            JobSpec::Schedule { current: true, .. } => nba_cdn::schedule_current(urls),
            JobSpec::Schedule { season, .. } => nba_stats::schedule(urls, *season),
            JobSpec::Gamelog { date, season_type, who } => nba_stats::gamelog(urls, *date, *season_type, *who),
            JobSpec::PlayByPlay { game } => nba_cdn::playbyplay(urls, game),
            JobSpec::Roster { team } => espn::roster(urls, *team),
            JobSpec::Events(EventsQuery::Live { from, to }) => odds_api::events(urls, *from, *to),
            JobSpec::Events(EventsQuery::Historical { at, .. }) => odds_api::historical_events(urls, *at),
            JobSpec::EventOdds { event, at: None } => odds_api::event_odds(urls, event),
            JobSpec::EventOdds { event, at: Some(at) } => odds_api::historical_event_odds(urls, event, *at),
        }
    }

    /// The game date the payload is filed under: the box-score date for game logs, else the
    /// message's game date.
    pub fn raw_date(&self, message_date: GameDate) -> GameDate {
        match self {
            JobSpec::Gamelog { date, .. } => *date,
            _ => message_date,
        }
    }

    /// 404 means "nothing published" for these (DESIGN §6: an unknown game is no data).
    pub fn not_found_is_no_data(&self) -> bool {
        matches!(self, JobSpec::PlayByPlay { .. } | JobSpec::EventOdds { .. })
    }
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn job(source: Endpoint, workflow: &str, params: Vec<(&str, Value)>) -> ScrapeJob {
    let params = params.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    ScrapeJob { source: source.to_string(), workflow: workflow.to_string(), params }
}

/// Job constructors: the only way the planner and the fan-out build jobs.
pub mod build {
    use super::*;

    pub fn schedule(workflow: &str, season: Season) -> ScrapeJob {
        job(Endpoint::Schedule, workflow, vec![("season", season.to_string().into())])
    }

    pub fn gamelog(workflow: &str, date: GameDate, season_type: SeasonType, who: PlayerOrTeam) -> ScrapeJob {
        job(
            Endpoint::Gamelog,
            workflow,
            vec![
                ("date", date.to_string().into()),
                ("season", date.season().into()),
                ("player_or_team", who.as_param().into()),
                ("season_type", season_type.as_param().into()),
            ],
        )
    }

    pub fn playbyplay(workflow: &str, game: &str) -> ScrapeJob {
        job(Endpoint::PlayByPlay, workflow, vec![("game_id", game.into())])
    }

    pub fn roster(workflow: &str, team: TeamCode) -> ScrapeJob {
        job(Endpoint::Roster, workflow, vec![("team", team.tricode().into())])
    }

    pub fn events_live(workflow: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> ScrapeJob {
        job(Endpoint::Events, workflow, vec![("from", iso(from).into()), ("to", iso(to).into())])
    }

    pub fn events_historical(workflow: &str, at: DateTime<Utc>, pretip_minutes: Option<i64>) -> ScrapeJob {
        let mut p = vec![("date", iso(at).into())];
        if let Some(m) = pretip_minutes {
            p.push(("pretip_minutes", m.into()));
        }
        job(Endpoint::Events, workflow, p)
    }

    pub fn event_odds(workflow: &str, event_id: &str, at: Option<DateTime<Utc>>) -> ScrapeJob {
        let mut p = vec![("event_id", event_id.into())];
        if let Some(at) = at {
            p.push(("date", iso(at).into()));
        }
        job(Endpoint::EventOdds, workflow, p)
    }
}

/// Maps the schedule table's `season_type` to the game log's; `None` for games the league game
/// log does not cover (preseason, All-Star, the Cup final).
pub fn gamelog_season_type(schedule_season_type: &str) -> Option<SeasonType> {
    match schedule_season_type {
        "regular" => Some(SeasonType::RegularSeason),
        "playoffs" => Some(SeasonType::Playoffs),
        "play_in" => Some(SeasonType::PlayIn),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(source: &str, params: Value) -> Result<JobSpec, JobError> {
        let job = ScrapeJob {
            source: source.into(),
            workflow: "t".into(),
            params: params.as_object().cloned().unwrap_or_default(),
        };
        JobSpec::parse(&job, "2025-01-15".parse().unwrap())
    }

    #[test]
    fn built_jobs_parse_back_and_build_the_documented_requests() {
        let urls = SourceUrls::all_at("http://h");
        let d: GameDate = "2025-01-15".parse().unwrap();
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 1, 15, 15, 0, 0).unwrap();
        let jobs = [
            build::schedule("w", Season::containing(d)),
            build::gamelog("w", d, SeasonType::Playoffs, PlayerOrTeam::Team),
            build::playbyplay("w", "0022400561"),
            build::roster("w", TeamCode::from_tricode("BOS").unwrap()),
            build::events_live("w", t, t),
            build::events_historical("w", t, Some(30)),
            build::event_odds("w", "abc123", None),
            build::event_odds("w", "abc123", Some(t)),
        ];
        let urls_seen: Vec<String> =
            jobs.iter().map(|j| JobSpec::parse(j, d).unwrap().request(&urls).display_url()).collect();
        assert_eq!(urls_seen[0], "http://h/stats/scheduleleaguev2int?LeagueID=00&Season=2024-25");
        assert!(urls_seen[1].contains("PlayerOrTeam=T") && urls_seen[1].contains("SeasonType=Playoffs"));
        assert!(urls_seen[2].ends_with("playbyplay_0022400561.json"));
        assert!(urls_seen[3].ends_with("/teams/2?enable=roster"));
        assert!(urls_seen[4].contains("/v4/sports/basketball_nba/events?commenceTimeFrom="));
        assert!(urls_seen[5].contains("/v4/historical/") && urls_seen[5].contains("date=2025-01-15T15"));
        assert!(urls_seen[6].contains("/v4/sports/basketball_nba/events/abc123/odds"));
        assert!(urls_seen[7].contains("/v4/historical/sports/basketball_nba/events/abc123/odds"));
        // self-heal's box-score jobs keep working
        let heal = parse("nba/gamelog", json!({"date": "2025-01-14", "season": "2024-25", "player_or_team": "P"}));
        assert!(matches!(heal, Ok(JobSpec::Gamelog { who: PlayerOrTeam::Player, .. })));
    }

    #[test]
    fn bad_params_are_named() {
        let cases = [
            ("nba/boxscore", json!({}), "unknown source `nba/boxscore`"),
            ("nba/gamelog", json!({"player_or_team": "P"}), "missing parameter `date`"),
            ("nba/gamelog", json!({"date": "2025-01-14", "player_or_team": "X"}), "`X`: expected P or T"),
            (
                "nba/gamelog",
                json!({"date": "2025-01-14", "player_or_team": "P", "season": "2023-24"}),
                "not the season",
            ),
            ("espn/roster", json!({"team": "XYZ"}), "parameter `team`"),
            ("espn/roster", json!({"team": "BOS", "apiKey": "x"}), "unknown parameter `apiKey`"),
            ("odds/events", json!({"from": "2025-01-15T00:00:00Z"}), "missing parameter `to`"),
            ("odds/events", json!({"historical": true}), "missing parameter `date`"),
            ("odds/event-odds", json!({"event_id": "../x"}), "parameter `event_id`"),
            ("odds/event-odds", json!({"event_id": "abc", "date": "yesterday"}), "not an RFC 3339 instant"),
        ];
        for (source, params, want) in cases {
            let e = parse(source, params).unwrap_err().to_string();
            assert!(e.contains(want), "{source}: {e}");
        }
    }
}
