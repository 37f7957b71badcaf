//! `upcoming_player_game_context`: for every player expected in the date's games, what was
//! known before the game: rest, workload, scoring form, injury status, his line and the game's
//! lines, and the matchup's pace and defence.
//!
//! Who is expected: the latest roster snapshot of each team before tip-off; without one (a
//! backfill: ESPN keeps no history) the players who appeared in the team's last 10 games and
//! whose latest game was for this team. Anyone with a pre-game points line for the game is
//! added either way.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use props_core::pipeline::Phase;
use props_core::pipeline::dependencies::{DateRule, Dependency, DependencyReport};
use props_core::pipeline::runner::{Output, Processor, ProcessorError};
use props_core::tables::rows::analytics::{PlayerGameSummaryRow, UpcomingPlayerGameContextRow};
use props_core::tables::rows::raw::{PlayerPointsPropRow, ScheduleRow};
use props_core::{Context, GameDate};

use super::team_context::{LINES_FAIL, LINES_WARN, TeamInputs, team_dependencies};
use super::{PLAYER_HISTORY_DAYS, player_summary, read_err, write};
use crate::formulas::{mean, std_dev};
use crate::history;
use crate::lines::{self, BookPreference};

pub const NAME: &str = "upcoming_player_game_context";

pub struct PlayerContext {
    pub prefs: BookPreference,
}

#[async_trait]
impl Processor for PlayerContext {
    fn name(&self) -> &'static str {
        NAME
    }
    fn phase(&self) -> Phase {
        Phase::Analytics
    }
    fn dependencies(&self) -> Vec<Dependency> {
        let mut deps = team_dependencies();
        deps.push(Dependency::critical(player_summary::NAME, DateRule::DaysBefore(PLAYER_HISTORY_DAYS), 1));
        deps.push(Dependency::optional("player_points_props", DateRule::SameDay).ages(LINES_WARN, LINES_FAIL));
        deps
    }
    async fn run(&self, ctx: &Context, date: GameDate, deps: &DependencyReport) -> Result<Output, ProcessorError> {
        let team = TeamInputs::read(ctx, date, deps).await?;
        let (from, to) = DateRule::DaysBefore(PLAYER_HISTORY_DAYS).range(date);
        let players: Vec<PlayerGameSummaryRow> = ctx.tables.read(from, to).await.map_err(read_err)?;
        let props: Vec<PlayerPointsPropRow> = if deps.has("player_points_props") {
            ctx.tables.read_date(date).await.map_err(read_err)?
        } else {
            Vec::new()
        };
        let inputs = Inputs { team, players, props };
        write(ctx, date, build(&inputs, date, ctx.clock.now(), &self.prefs)).await
    }
}

pub(crate) struct Inputs {
    pub team: TeamInputs,
    pub players: Vec<PlayerGameSummaryRow>,
    pub props: Vec<PlayerPointsPropRow>,
}

/// Someone expected in a game, and why.
struct Expected {
    name: Option<String>,
    source: &'static str,
    injury: String,
}

/// Each player's rows before the game date, newest first: built once per run, so looking a
/// player up does not scan the whole history (a season holds tens of thousands of rows).
type ByPlayer<'a> = BTreeMap<&'a str, Vec<&'a PlayerGameSummaryRow>>;

impl Inputs {
    fn by_player(&self, date: GameDate) -> ByPlayer<'_> {
        let mut out: ByPlayer<'_> = BTreeMap::new();
        for r in self.players.iter().filter(|r| r.game_date < date) {
            out.entry(r.player_lookup.as_str()).or_default().push(r);
        }
        for h in out.values_mut() {
            h.sort_by(|a, b| b.game_date.cmp(&a.game_date).then(b.game_id.cmp(&a.game_id)));
        }
        out
    }

    fn expected(
        &self,
        game: &ScheduleRow,
        team: &str,
        date: GameDate,
        now: DateTime<Utc>,
        by_player: &ByPlayer<'_>,
    ) -> BTreeMap<String, Expected> {
        // The team a player last appeared for before `date`.
        let latest_team = |lookup: &str| by_player.get(lookup).and_then(|h| h.first()).map(|r| r.team.as_str());
        let mut out = BTreeMap::new();
        match self.team.roster(team, game, now) {
            Some(roster) => {
                for r in roster {
                    out.insert(
                        r.player_lookup.clone(),
                        Expected {
                            name: Some(r.player_name.clone()),
                            source: "roster",
                            injury: r.injury_status.clone().unwrap_or_else(|| "Active".into()),
                        },
                    );
                }
            }
            None => {
                let mut games: Vec<(GameDate, &str)> = self
                    .players
                    .iter()
                    .filter(|r| r.team == team && r.game_date < date)
                    .map(|r| (r.game_date, r.game_id.as_str()))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                games.reverse();
                games.truncate(10);
                for r in self.players.iter().filter(|r| {
                    !r.dnp && r.team == team && games.iter().any(|(d, g)| *d == r.game_date && *g == r.game_id)
                }) {
                    if latest_team(&r.player_lookup) == Some(team) {
                        out.entry(r.player_lookup.clone()).or_insert(Expected {
                            name: Some(r.player_name.clone()),
                            source: "history",
                            injury: "unknown".into(),
                        });
                    }
                }
            }
        }
        for p in self.props.iter().filter(|p| p.game_id == game.game_id && lines::usable(p, Some(now))) {
            if !out.contains_key(&p.player_lookup) && latest_team(&p.player_lookup) == Some(team) {
                out.insert(
                    p.player_lookup.clone(),
                    Expected { name: Some(p.player_name.clone()), source: "line", injury: "unknown".into() },
                );
            }
        }
        out
    }
}

pub(crate) fn build(
    inputs: &Inputs,
    date: GameDate,
    now: DateTime<Utc>,
    prefs: &BookPreference,
) -> Vec<UpcomingPlayerGameContextRow> {
    let mut out = Vec::new();
    let by_player = inputs.by_player(date);
    for game in inputs.team.schedule.iter().filter(|g| history::counts(g)) {
        for (team, opponent, home) in
            [(&game.home_team, &game.away_team, true), (&game.away_team, &game.home_team, false)]
        {
            let (spread, total) = inputs.team.lines(game, team, now);
            let team_pace = inputs.team.pace_last_10(team, date);
            let opp_pace = inputs.team.pace_last_10(opponent, date);
            let has_roster = inputs.team.roster(team, game, now).is_some();
            for (lookup, who) in inputs.expected(game, team, date, now, &by_player) {
                let hist: &[&PlayerGameSummaryRow] = by_player.get(lookup.as_str()).map_or(&[], Vec::as_slice);
                let played: Vec<&PlayerGameSummaryRow> = hist
                    .iter()
                    .copied()
                    .filter(|r| !r.dnp && r.minutes_played.is_some_and(|m| m > 0.0) && r.points.is_some())
                    .collect();
                let dates: Vec<GameDate> = played.iter().map(|r| r.game_date).collect();
                let rest = history::rest(&dates, date);
                let pts =
                    |n: usize| -> Vec<f64> { played.iter().take(n).filter_map(|r| r.points).map(f64::from).collect() };
                let season: Vec<f64> = played
                    .iter()
                    .filter(|r| r.game_date.season() == date.season())
                    .filter_map(|r| r.points)
                    .map(f64::from)
                    .collect();
                let minutes_since = |n: u64| -> f64 {
                    played.iter().filter(|r| r.game_date >= date.minus_days(n)).filter_map(|r| r.minutes_played).sum()
                };
                let snaps: Vec<&PlayerPointsPropRow> = inputs
                    .props
                    .iter()
                    .filter(|p| p.game_id == game.game_id && p.player_lookup == lookup && lines::usable(p, Some(now)))
                    .collect();
                let line = lines::choose_line(&snaps, prefs);
                let last10 = pts(10);
                out.push(UpcomingPlayerGameContextRow {
                    game_date: date,
                    player_lookup: lookup.clone(),
                    player_name: who.name.or_else(|| hist.first().map(|r| r.player_name.clone())),
                    game_id: game.game_id.clone(),
                    team: team.clone(),
                    opponent: opponent.clone(),
                    home,
                    player_source: who.source.to_string(),
                    days_rest: rest.days_rest,
                    back_to_back: rest.back_to_back,
                    games_last_7: rest.games_last_7,
                    games_last_14: rest.games_last_14,
                    minutes_last_7: minutes_since(7),
                    minutes_last_14: minutes_since(14),
                    back_to_backs_last_14: rest.back_to_backs_last_14,
                    points_avg_last_5: mean(&pts(5)),
                    points_avg_last_10: mean(&last10),
                    points_avg_season: mean(&season),
                    points_std_last_10: std_dev(&last10),
                    games_played_season: season.len() as i32,
                    sample_quality: history::sample_quality(last10.len()).to_string(),
                    injury_status: who.injury,
                    current_points_line: line.as_ref().map(|l| l.line),
                    current_line_source: line.as_ref().map(|l| l.source.clone()),
                    opening_points_line: line.as_ref().map(|l| l.opening),
                    line_movement: line.as_ref().map(|l| l.movement()),
                    prop_streak: lines::prop_streak(hist.iter().map(|r| r.over_under_result.as_deref())),
                    game_spread: spread.current,
                    opening_spread: spread.opening,
                    game_total: total.current,
                    opening_total: total.opening,
                    team_pace_last_10: team_pace,
                    opponent_pace_last_10: opp_pace,
                    pace_differential: team_pace.zip(opp_pace).map(|(t, o)| t - o),
                    opponent_def_rating_last_10: inputs.team.def_rating_last_10(opponent, date),
                    source_rosters: has_roster,
                    source_props: !snaps.is_empty(),
                    source_game_lines: spread.current.is_some() || total.current.is_some(),
                    processed_at: DateTime::<Utc>::MIN_UTC,
                    data_hash: String::new(),
                });
            }
        }
    }
    out
}
