//! `upcoming_team_game_context`: rest, recent form, lines and injuries of each team playing on
//! the date. History comes only from dates before the game date; lines and rosters of the game
//! date only from snapshots taken before tip-off and before the clock.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError};
use props_core::tables::rows::analytics::{
    TeamDefenseGameSummaryRow, TeamOffenseGameSummaryRow, UpcomingTeamGameContextRow,
};
use props_core::tables::rows::raw::{GameLineRow, RosterRow, ScheduleRow};
use props_core::{Context, GameDate};

use super::{ROSTER_DAYS, TEAM_HISTORY_DAYS, read_err, team_defense, team_offense, write};
use crate::formulas::mean;
use crate::history;
use crate::lines::{self, Consensus};

pub const NAME: &str = "upcoming_team_game_context";

pub struct TeamContext;

#[async_trait]
impl Processor for TeamContext {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Analytics
    }
    fn dependencies(&self) -> Vec<Dependency> {
        team_dependencies()
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let inputs = TeamInputs::read(ctx, date, deps).await?;
        write(ctx, date, build(&inputs, date, ctx.clock.now())).await
    }
}

/// Lines processed this long ago are worth a warning; much older, they are not today's lines.
pub(crate) const LINES_WARN: Duration = Duration::hours(12);
pub(crate) const LINES_FAIL: Duration = Duration::hours(72);

/// Shared with the player context: the schedule of the date and team history before it.
pub(crate) fn team_dependencies() -> Vec<Dependency> {
    vec![
        Dependency::critical("schedule", DateRule::SameDay, 1),
        Dependency::critical(team_offense::NAME, DateRule::DaysBefore(TEAM_HISTORY_DAYS), 1),
        Dependency::optional(team_defense::NAME, DateRule::DaysBefore(TEAM_HISTORY_DAYS)),
        Dependency::optional("game_lines", DateRule::SameDay).ages(LINES_WARN, LINES_FAIL),
        // Snapshots of the game day itself are pre-game information; each is filtered on its
        // snapshot time (before tip-off and before the clock), never on its date alone. An
        // injury list days old misleads more than none ("unknown").
        Dependency::optional("rosters", DateRule::Through(ROSTER_DAYS)).ages(Duration::hours(24), Duration::hours(72)),
    ]
}

/// Everything a team context reads.
pub(crate) struct TeamInputs {
    pub schedule: Vec<ScheduleRow>,
    pub offense: Vec<TeamOffenseGameSummaryRow>,
    pub defense: Vec<TeamDefenseGameSummaryRow>,
    pub game_lines: Vec<GameLineRow>,
    pub rosters: Vec<RosterRow>,
}

impl TeamInputs {
    pub(crate) async fn read(ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Self, ProcessorError> {
        let (from, to) = DateRule::DaysBefore(TEAM_HISTORY_DAYS).range(date);
        let (rfrom, rto) = DateRule::Through(ROSTER_DAYS).range(date);
        Ok(Self {
            schedule: ctx.tables.read_date(date).await.map_err(read_err)?,
            offense: ctx.tables.read(from, to).await.map_err(read_err)?,
            defense: if deps.has(team_defense::NAME) {
                ctx.tables.read(from, to).await.map_err(read_err)?
            } else {
                Vec::new()
            },
            game_lines: if deps.has("game_lines") {
                ctx.tables.read_date(date).await.map_err(read_err)?
            } else {
                Vec::new()
            },
            rosters: if deps.has("rosters") {
                ctx.tables.read(rfrom, rto).await.map_err(read_err)?
            } else {
                Vec::new()
            },
        })
    }

    /// The team's games before `date`, newest first.
    pub(crate) fn team_games(&self, team: &str, date: GameDate) -> Vec<&TeamOffenseGameSummaryRow> {
        let mut g: Vec<_> = self.offense.iter().filter(|r| r.team == team && r.game_date < date).collect();
        g.sort_by(|a, b| b.game_date.cmp(&a.game_date).then(b.game_id.cmp(&a.game_id)));
        g
    }

    pub(crate) fn pace_last_10(&self, team: &str, date: GameDate) -> Option<f64> {
        let v: Vec<f64> = self.team_games(team, date).iter().take(10).filter_map(|r| r.pace).collect();
        mean(&v)
    }

    pub(crate) fn def_rating_last_10(&self, team: &str, date: GameDate) -> Option<f64> {
        let mut g: Vec<_> = self.defense.iter().filter(|r| r.team == team && r.game_date < date).collect();
        g.sort_by(|a, b| b.game_date.cmp(&a.game_date).then(b.game_id.cmp(&a.game_id)));
        mean(&g.iter().take(10).filter_map(|r| r.defensive_rating).collect::<Vec<_>>())
    }

    /// Spread (from `team`'s side) and total of a game.
    pub(crate) fn lines(&self, game: &ScheduleRow, team: &str, now: DateTime<Utc>) -> (Consensus, Consensus) {
        let rows: Vec<&GameLineRow> = self.game_lines.iter().filter(|r| r.game_id == game.game_id).collect();
        let home_spread = lines::consensus(&rows, "spreads", Some(now));
        let spread = if team == game.home_team { home_spread } else { home_spread.negated() };
        (spread, lines::consensus(&rows, "totals", Some(now)))
    }

    /// The team's latest roster snapshot taken before tip-off and not after the clock — the
    /// rule lines and props follow (`PlayerPointsPropRow::is_pregame`). A snapshot taken at the
    /// clock's instant is known: a run at the time of the scrape that stored it must see it, or
    /// the player list depends on whether the run happened at that instant or a minute later.
    pub(crate) fn roster(&self, team: &str, game: &ScheduleRow, now: DateTime<Utc>) -> Option<Vec<&RosterRow>> {
        let known =
            |r: &&RosterRow| r.team == team && r.snapshot_at <= now && game.tipoff_at.is_none_or(|t| r.snapshot_at < t);
        let latest = self.rosters.iter().filter(known).map(|r| r.snapshot_at).max()?;
        Some(self.rosters.iter().filter(|r| r.team == team && r.snapshot_at == latest).collect())
    }
}

/// `Out` is out; day-to-day, questionable, doubtful and probable are in doubt.
pub(crate) fn injury_bucket(status: Option<&str>) -> Option<&'static str> {
    let s = status?.to_ascii_lowercase();
    if s == "out" || s.contains("injured reserve") || s == "suspension" {
        Some("out")
    } else if s.contains("day") || s.contains("question") || s.contains("doubt") || s.contains("probable") {
        Some("questionable")
    } else {
        None
    }
}

pub(crate) fn build(inputs: &TeamInputs, date: GameDate, now: DateTime<Utc>) -> Vec<UpcomingTeamGameContextRow> {
    let mut out = Vec::new();
    for game in inputs.schedule.iter().filter(|g| history::counts(g)) {
        for (team, opponent, home) in
            [(&game.home_team, &game.away_team, true), (&game.away_team, &game.home_team, false)]
        {
            let games = inputs.team_games(team, date);
            let dates: Vec<GameDate> = games.iter().map(|g| g.game_date).collect();
            let rest = history::rest(&dates, date);
            let (spread, total) = inputs.lines(game, team, now);
            let roster = inputs.roster(team, game, now);
            let count = |bucket: &str| {
                roster.as_ref().map(|r| {
                    r.iter().filter(|p| injury_bucket(p.injury_status.as_deref()) == Some(bucket)).count() as i32
                })
            };
            let mut streak = 0i32;
            for g in &games {
                match (g.win_flag, streak.signum()) {
                    (Some(true), 0 | 1) => streak += 1,
                    (Some(false), 0 | -1) => streak -= 1,
                    _ => break,
                }
            }
            let last10 = |get: fn(&TeamOffenseGameSummaryRow) -> Option<f64>| {
                mean(&games.iter().take(10).filter_map(|g| get(g)).collect::<Vec<_>>())
            };
            out.push(UpcomingTeamGameContextRow {
                game_date: date,
                team: team.clone(),
                game_id: game.game_id.clone(),
                opponent: opponent.clone(),
                home,
                days_rest: rest.days_rest,
                back_to_back: rest.back_to_back,
                games_last_7: rest.games_last_7,
                games_last_14: rest.games_last_14,
                game_spread: spread.current,
                opening_spread: spread.opening,
                spread_movement: spread.movement(),
                game_total: total.current,
                opening_total: total.opening,
                total_movement: total.movement(),
                players_out: count("out"),
                players_questionable: count("questionable"),
                win_streak: streak,
                last_game_margin: games.first().and_then(|g| g.margin),
                pace_last_10: last10(|g| g.pace),
                offensive_rating_last_10: last10(|g| g.offensive_rating),
                defensive_rating_last_10: inputs.def_rating_last_10(team, date),
                source_rosters: roster.is_some(),
                source_game_lines: spread.current.is_some() || total.current.is_some(),
                processed_at: DateTime::<Utc>::MIN_UTC,
                data_hash: String::new(),
            });
        }
    }
    out
}
