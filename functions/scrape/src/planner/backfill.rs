//! Backfill mode (DESIGN §6): a past date, with the same workflow names as the live planner so
//! the decisions read alike. The season's schedule (until the schedule table has the season),
//! box scores by date (play-by-play too: the CDN serves old games, and a 404 is no data), and
//! the historical Odds API at that morning plus a pre-tip snapshot. No rosters: ESPN has no
//! history. Nothing live-only (injury watch, hourly lines) runs.

use props_core::GameDate;
use props_core::identity::Season;
use props_core::tables::rows::raw::ScheduleRow;

use super::workflows::*;
use crate::jobs::build;

/// The historical odds snapshot is taken at this ET hour of the date.
pub const BACKFILL_MORNING_HOUR: u32 = 10;
/// The pre-tip snapshot, this many minutes before each tip-off.
pub const BACKFILL_PRETIP_MINUTES: i64 = 30;

/// Backfill of `date` (DESIGN §6): the season's schedule (until the schedule table has the
/// season), box scores by date, and historical odds at that morning plus a pre-tip snapshot.
/// No rosters: ESPN has no history.
pub fn backfill(date: GameDate, games: Option<&[ScheduleRow]>) -> Vec<Plan> {
    let season = Season::containing(date);
    let schedule = match games {
        Some(_) => Plan::skip(SCHEDULE_REFRESH, format!("the schedule table already has the {season} season")),
        None => Plan::run(
            SCHEDULE_REFRESH,
            format!("backfill: the {season} schedule is not in the schedule table yet"),
            vec![(date, build::schedule(SCHEDULE_REFRESH, season))],
        ),
    };
    let no_roster = "backfill: ESPN has no roster history (upcoming players come from recent box scores and lines)";
    let post = match games {
        None => Plan::skip(
            POST_GAME,
            format!(
                "no schedule for {season} yet: box scores need the game list and season type; plan {date} again once the schedule is processed"
            ),
        ),
        Some([]) => Plan::skip(POST_GAME, format!("no games on {date}")),
        Some(g) => {
            let refs: Vec<&ScheduleRow> = g.iter().collect();
            Plan::run(
                POST_GAME,
                format!("backfill: box scores of {} game(s) on {date}", g.len()),
                box_score_jobs(POST_GAME, date, &refs),
            )
        }
    };
    let betting = match games {
        Some([]) => Plan::skip(BETTING_LINES, format!("no games on {date}")),
        _ => {
            let at = et_at(date, BACKFILL_MORNING_HOUR);
            Plan::run(
                BETTING_LINES,
                format!(
                    "backfill: historical odds at {BACKFILL_MORNING_HOUR}:00 ET and {BACKFILL_PRETIP_MINUTES} min before each tip-off"
                ),
                vec![(date, build::events_historical(BETTING_LINES, at, Some(BACKFILL_PRETIP_MINUTES)))],
            )
        }
    };
    vec![schedule, Plan::skip(MORNING_OPERATIONS, no_roster), betting, Plan::skip(INJURY_WATCH, no_roster), post]
}
