//! The workflows of DESIGN §6 as pure functions of a [`Situation`] (what the schedule table
//! and the workflow items say at `now`): each returns RUN with its jobs, or SKIP, with a reason
//! a human can check against the clock. No I/O here, so a scripted day is a table test.
//!
//! Cadence checks compare whole ET hours (the planner fires on the hour, a few seconds late or
//! early), and "in the last 6 h" allows 5 minutes of slack for the same reason.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, DurationRound, TimeZone, Timelike, Utc};
use chrono_tz::America::New_York;
use props_core::GameDate;
use props_core::identity::{Season, TeamCode};
use props_core::messages::ScrapeJob;
use props_core::sources::nba_stats::PlayerOrTeam;
use props_core::tables::rows::raw::ScheduleRow;

use crate::jobs::{build, gamelog_season_type};

pub const SCHEDULE_REFRESH: &str = "schedule_refresh";
pub const MORNING_OPERATIONS: &str = "morning_operations";
pub const BETTING_LINES: &str = "betting_lines";
pub const INJURY_WATCH: &str = "injury_watch";
pub const POST_GAME: &str = "post_game";

/// Every workflow, in decision order (`schedule_refresh` first).
pub const ALL: [&str; 5] = [SCHEDULE_REFRESH, MORNING_OPERATIONS, BETTING_LINES, INJURY_WATCH, POST_GAME];

const SLACK: Duration = Duration::minutes(5);
/// A game is treated as over this long after tip-off even if the stored schedule still says
/// otherwise (the schedule is refreshed every 6 h; a game lasts about 2.5 h).
const GAME_LENGTH: Duration = Duration::hours(3);

/// A workflow's item (`WORKFLOW#{name}#{game_date}`), as the planner reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkflowState {
    pub last_run_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    /// Games that already had their pre-game odds snapshot (betting_lines).
    pub pregame_games: BTreeSet<String>,
}

/// Everything the live planner decides from.
#[derive(Clone, Debug)]
pub struct Situation {
    pub now: DateTime<Utc>,
    pub today: GameDate,
    /// Schedule rows of today and yesterday.
    pub schedule: BTreeMap<GameDate, Vec<ScheduleRow>>,
    /// Newest successful schedule scrape (any workflow).
    pub last_schedule_success: Option<DateTime<Utc>>,
    /// Today's workflow items.
    pub state: BTreeMap<&'static str, WorkflowState>,
    /// Game ids with box scores stored, for today and yesterday.
    pub collected: BTreeMap<GameDate, BTreeSet<String>>,
}

/// One decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub workflow: &'static str,
    pub run: bool,
    pub reason: String,
    /// Jobs with the game date of their message.
    pub jobs: Vec<(GameDate, ScrapeJob)>,
    /// Games whose pre-game snapshot this run takes (betting_lines).
    pub pregame: Vec<String>,
}

impl Plan {
    pub(crate) fn skip(workflow: &'static str, reason: impl Into<String>) -> Self {
        Self { workflow, run: false, reason: reason.into(), jobs: vec![], pregame: vec![] }
    }

    pub(crate) fn run(workflow: &'static str, reason: impl Into<String>, jobs: Vec<(GameDate, ScrapeJob)>) -> Self {
        Self { workflow, run: true, reason: reason.into(), jobs, pregame: vec![] }
    }
}

/// `14:05 ET`
pub fn et(t: DateTime<Utc>) -> String {
    t.with_timezone(&New_York).format("%H:%M ET").to_string()
}

fn ago(d: Duration) -> String {
    let m = d.num_minutes().max(0);
    if m >= 60 { format!("{}h{:02}m ago", m / 60, m % 60) } else { format!("{m}m ago") }
}

fn hour_of(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::hours(1)).unwrap_or(t)
}

/// Whole ET hours from `last` to `now` (ET offsets are whole hours, so UTC hours do).
fn hours_since(last: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (hour_of(now) - hour_of(last)).num_hours()
}

/// 00:00 ET of `date`, as an instant.
pub fn et_midnight(date: GameDate) -> DateTime<Utc> {
    et_at(date, 0)
}

/// `hour`:00 ET of `date`, as an instant.
pub fn et_at(date: GameDate, hour: u32) -> DateTime<Utc> {
    let naive = date.naive().and_hms_opt(hour, 0, 0).unwrap_or_default();
    New_York.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or_else(|| naive.and_utc())
}

fn teams_playing(games: &[ScheduleRow]) -> Vec<TeamCode> {
    let set: BTreeSet<TeamCode> = games
        .iter()
        .flat_map(|g| [&g.home_team, &g.away_team])
        .filter_map(|t| TeamCode::from_tricode(t).ok())
        .collect();
    set.into_iter().collect()
}

impl Situation {
    fn hour(&self) -> u32 {
        self.now.with_timezone(&New_York).hour()
    }

    fn state(&self, workflow: &str) -> WorkflowState {
        self.state.get(workflow).cloned().unwrap_or_default()
    }

    fn games(&self, date: GameDate) -> &[ScheduleRow] {
        self.schedule.get(&date).map(Vec::as_slice).unwrap_or(&[])
    }

    /// All decisions, in order.
    pub fn decide(&self) -> Vec<Plan> {
        let refresh = self.schedule_refresh();
        let morning = self.morning_operations(refresh.run);
        let betting = self.betting_lines();
        let injury = self.injury_watch(morning.run);
        let post = self.post_game();
        vec![refresh, morning, betting, injury, post]
    }

    fn schedule_refresh(&self) -> Plan {
        let job = vec![(self.today, build::schedule(SCHEDULE_REFRESH, Season::containing(self.today)))];
        match self.last_schedule_success {
            None => Plan::run(SCHEDULE_REFRESH, "no successful schedule scrape on record", job),
            Some(t) if self.now - t >= Duration::hours(6) - SLACK => Plan::run(
                SCHEDULE_REFRESH,
                format!("last successful schedule scrape at {} ({}), 6 h or more", et(t), ago(self.now - t)),
                job,
            ),
            Some(t) => Plan::skip(
                SCHEDULE_REFRESH,
                format!("schedule scraped successfully at {} ({}), less than 6 h", et(t), ago(self.now - t)),
            ),
        }
    }

    fn morning_operations(&self, schedule_refreshing: bool) -> Plan {
        let h = self.hour();
        if !(6..=10).contains(&h) {
            return Plan::skip(MORNING_OPERATIONS, format!("runs 06:00-10:59 ET; it is {}", et(self.now)));
        }
        if let Some(t) = self.state(MORNING_OPERATIONS).last_run_at {
            if GameDate::eastern_of(t) == self.today {
                return Plan::skip(MORNING_OPERATIONS, format!("already ran today at {}", et(t)));
            }
        }
        let mut jobs = Vec::new();
        let mut reason = "first run today: ".to_string();
        if schedule_refreshing {
            reason.push_str("30 rosters (schedule_refresh fetches the schedule this hour)");
        } else {
            jobs.push((self.today, build::schedule(MORNING_OPERATIONS, Season::containing(self.today))));
            reason.push_str("schedule and 30 rosters");
        }
        jobs.extend(TeamCode::all().map(|t| (self.today, build::roster(MORNING_OPERATIONS, t))));
        Plan::run(MORNING_OPERATIONS, reason, jobs)
    }

    fn betting_lines(&self) -> Plan {
        let games = self.games(self.today);
        let tips: Vec<(DateTime<Utc>, &str)> =
            games.iter().filter_map(|g| g.tipoff_at.map(|t| (t, g.game_id.as_str()))).collect();
        let (Some(first), Some(last)) = (tips.iter().map(|t| t.0).min(), tips.iter().map(|t| t.0).max()) else {
            return Plan::skip(BETTING_LINES, format!("no games on {} in the schedule table", self.today));
        };
        let opens = first - Duration::hours(12);
        if self.now < opens {
            return Plan::skip(
                BETTING_LINES,
                format!("opens at {} (12 h before the first tip-off at {})", et(opens), et(first)),
            );
        }
        if self.now > last {
            return Plan::skip(
                BETTING_LINES,
                format!("all {} games have tipped off (last at {})", tips.len(), et(last)),
            );
        }
        let st = self.state(BETTING_LINES);
        let regular = st.last_run_at.is_none_or(|t| hours_since(t, self.now) >= 2);
        let mut pregame: Vec<String> = tips
            .iter()
            .filter(|(t, id)| {
                *t > self.now && *t - self.now <= Duration::minutes(60) && !st.pregame_games.contains(*id)
            })
            .map(|(_, id)| id.to_string())
            .collect();
        pregame.sort();
        if !regular && pregame.is_empty() {
            let last_run = st.last_run_at.map(et).unwrap_or_default();
            return Plan::skip(
                BETTING_LINES,
                format!(
                    "last snapshot at {last_run} (every 2 h) and no game without a pre-game snapshot tips off within 60 min"
                ),
            );
        }
        let mut reasons = Vec::new();
        if regular {
            reasons.push(match st.last_run_at {
                None => "first snapshot today".to_string(),
                Some(t) => format!("2-hourly snapshot (last at {})", et(t)),
            });
        }
        if !pregame.is_empty() {
            reasons.push(format!("pre-game snapshot for {} (tip-off within 60 min)", pregame.join(", ")));
        }
        let window = build::events_live(BETTING_LINES, et_midnight(self.today), et_midnight(self.today.next()));
        let mut plan = Plan::run(
            BETTING_LINES,
            format!("{}: events, then each event's odds", reasons.join("; ")),
            vec![(self.today, window)],
        );
        plan.pregame = pregame;
        plan
    }

    fn injury_watch(&self, morning_running: bool) -> Plan {
        let games = self.games(self.today);
        if games.is_empty() {
            return Plan::skip(INJURY_WATCH, format!("no games on {} in the schedule table", self.today));
        }
        let h = self.hour();
        if !(9..=19).contains(&h) {
            return Plan::skip(INJURY_WATCH, format!("runs 09:00-19:59 ET on game days; it is {}", et(self.now)));
        }
        if morning_running {
            return Plan::skip(INJURY_WATCH, "morning_operations fetches every roster this hour");
        }
        if let Some(t) = self.state(INJURY_WATCH).last_run_at {
            if hours_since(t, self.now) < 2 {
                return Plan::skip(INJURY_WATCH, format!("ran at {} (every 2 h)", et(t)));
            }
        }
        let teams = teams_playing(games);
        let jobs = teams.iter().map(|t| (self.today, build::roster(INJURY_WATCH, *t))).collect();
        Plan::run(INJURY_WATCH, format!("rosters of the {} teams playing today", teams.len()), jobs)
    }

    fn post_game(&self) -> Plan {
        let h = self.hour();
        if ![22, 1, 4].contains(&h) {
            return Plan::skip(POST_GAME, format!("runs at 22:00, 01:00 and 04:00 ET; it is {}", et(self.now)));
        }
        let mut jobs = Vec::new();
        let mut reasons = Vec::new();
        for date in [self.today.prev(), self.today] {
            let collected = self.collected.get(&date).cloned().unwrap_or_default();
            let pending: Vec<&ScheduleRow> = self
                .games(date)
                .iter()
                .filter(|g| gamelog_season_type(&g.season_type).is_some())
                .filter(|g| g.game_status == 3 || g.tipoff_at.is_some_and(|t| t + GAME_LENGTH <= self.now))
                .filter(|g| !collected.contains(&g.game_id))
                .collect();
            if pending.is_empty() {
                continue;
            }
            jobs.extend(box_score_jobs(POST_GAME, date, &pending));
            let ids: Vec<&str> = pending.iter().map(|g| g.game_id.as_str()).collect();
            reasons.push(format!("{date}: {} final game(s) without box scores ({})", ids.len(), ids.join(", ")));
        }
        if jobs.is_empty() {
            return Plan::skip(POST_GAME, "every final game of yesterday and today has its box scores");
        }
        Plan::run(POST_GAME, format!("{}: game logs P and T, play-by-play per game", reasons.join("; ")), jobs)
    }
}

/// Game logs (P and T, per season type present) for `date`, and play-by-play of each game.
pub fn box_score_jobs(workflow: &str, date: GameDate, games: &[&ScheduleRow]) -> Vec<(GameDate, ScrapeJob)> {
    let mut jobs = Vec::new();
    let types: BTreeSet<&str> = games.iter().map(|g| g.season_type.as_str()).collect();
    for st in types.into_iter().filter_map(gamelog_season_type) {
        for who in [PlayerOrTeam::Player, PlayerOrTeam::Team] {
            jobs.push((date, build::gamelog(workflow, date, st, who)));
        }
    }
    for g in games {
        if let Some(id) = &g.nba_game_id {
            jobs.push((date, build::playbyplay(workflow, id)));
        }
    }
    jobs
}
