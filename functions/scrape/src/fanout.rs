//! An `odds/events` payload fans out one `odds/event-odds` job per event inside the job's
//! window: the live job's `[from, to]` commence-time window, or, for a historical job (whose
//! answer lists every later event, months ahead), the events of the message's game date.
//! A historical job with `pretip_minutes` also asks for a snapshot that long before each tip.

use chrono::Duration;
use props_core::GameDate;
use props_core::messages::ScrapeJob;
use props_core::sources::parse::OddsEvents;

use crate::jobs::{EventsQuery, build};

/// The event-odds jobs for `events`, with the game date each belongs to.
pub fn event_odds_jobs(
    query: &EventsQuery,
    workflow: &str,
    game_date: GameDate,
    events: &OddsEvents,
) -> Vec<(GameDate, ScrapeJob)> {
    let mut out = Vec::new();
    for e in &events.events.records {
        match query {
            EventsQuery::Live { from, to } => {
                if e.commence_time >= *from && e.commence_time <= *to {
                    out.push((e.game_date, build::event_odds(workflow, &e.odds_event_id, None)));
                }
            }
            EventsQuery::Historical { at, pretip_minutes } => {
                if e.game_date != game_date {
                    continue;
                }
                out.push((e.game_date, build::event_odds(workflow, &e.odds_event_id, Some(*at))));
                if let Some(m) = pretip_minutes {
                    let pretip = e.commence_time - Duration::minutes(*m);
                    if pretip > *at {
                        out.push((e.game_date, build::event_odds(workflow, &e.odds_event_id, Some(pretip))));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use props_core::sources::parse::parse_odds_events;

    const EVENTS: &str = r#"[
        {"id":"a1","commence_time":"2025-01-16T00:30:00Z","home_team":"Boston Celtics","away_team":"New York Knicks"},
        {"id":"b2","commence_time":"2025-01-16T03:00:00Z","home_team":"LA Clippers","away_team":"Utah Jazz"},
        {"id":"c3","commence_time":"2025-01-17T00:00:00Z","home_team":"Miami Heat","away_team":"Orlando Magic"}
    ]"#;

    #[test]
    fn live_window_and_historical_date_with_pretip() {
        let events = parse_odds_events(EVENTS.as_bytes()).unwrap();
        let d: GameDate = "2025-01-15".parse().unwrap();
        let from = Utc.with_ymd_and_hms(2025, 1, 15, 5, 0, 0).unwrap();
        let live = EventsQuery::Live { from, to: from + Duration::hours(24) };
        let jobs = event_odds_jobs(&live, "betting_lines", d, &events);
        let ids: Vec<_> = jobs.iter().map(|(_, j)| j.params["event_id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["a1", "b2"], "c3 is outside the window");

        let at = Utc.with_ymd_and_hms(2025, 1, 15, 15, 0, 0).unwrap();
        let hist = EventsQuery::Historical { at, pretip_minutes: Some(30) };
        let jobs = event_odds_jobs(&hist, "betting_lines", d, &events);
        let dates: Vec<_> = jobs.iter().map(|(_, j)| j.params["date"].as_str().unwrap().to_string()).collect();
        assert_eq!(
            dates,
            ["2025-01-15T15:00:00Z", "2025-01-16T00:00:00Z", "2025-01-15T15:00:00Z", "2025-01-16T02:30:00Z"]
        );
    }
}
