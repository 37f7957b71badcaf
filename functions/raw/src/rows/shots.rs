use std::collections::HashMap;

use props_core::GameDate;
use props_core::identity::players::player_lookup;
use props_core::sources::parse::PlayByPlayAction;
use props_core::tables::rows::raw::ShotRow;

use super::unstamped;

/// DESIGN §8: paint = within 8 ft or in the Restricted Area / the paint; other twos are
/// mid-range; threes are threes.
pub fn zone(is_three: bool, distance_ft: Option<f64>, area: Option<&str>) -> &'static str {
    if is_three {
        return "three";
    }
    let in_paint_area = area.is_some_and(|a| a.starts_with("Restricted Area") || a.starts_with("In The Paint"));
    if in_paint_area || distance_ft.is_some_and(|d| d <= 8.0) { "paint" } else { "mid" }
}

/// Field-goal attempts of one game. `game_ids` maps the NBA game id to the canonical one (from
/// the schedule); attempts of a game the schedule does not know are counted, not guessed.
pub fn from_actions(
    actions: &[PlayByPlayAction],
    date: GameDate,
    game_ids: &HashMap<String, String>,
    unresolved: &mut usize,
) -> Vec<ShotRow> {
    let mut rows = Vec::new();
    for a in actions.iter().filter(|a| a.is_field_goal) {
        let (Some(game_id), Some(team), Some(made)) = (game_ids.get(a.nba_game_id.as_str()), a.team, a.shot_made)
        else {
            *unresolved += 1;
            continue;
        };
        let is_three = a.action_type.eq_ignore_ascii_case("3pt");
        rows.push(ShotRow {
            game_date: date,
            game_id: game_id.clone(),
            action_number: a.action_number as i32,
            period: a.period as i32,
            player_id: a.person_id.unwrap_or(0) as i64,
            player_lookup: a.player_name.as_deref().map(player_lookup),
            team: team.to_string(),
            zone: zone(is_three, a.shot_distance, a.area.as_deref()).to_string(),
            is_three,
            distance_ft: a.shot_distance,
            made,
            assisted: made && a.assist_person_id.is_some(),
            processed_at: unstamped(),
            data_hash: String::new(),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_follow_the_design() {
        assert_eq!(zone(true, Some(24.0), Some("Above the Break 3")), "three");
        assert_eq!(zone(false, Some(2.0), None), "paint");
        assert_eq!(zone(false, Some(8.0), None), "paint");
        assert_eq!(zone(false, Some(9.0), Some("In The Paint (Non-RA)")), "paint");
        assert_eq!(zone(false, Some(3.0), Some("Restricted Area")), "paint");
        assert_eq!(zone(false, Some(15.0), Some("Mid-Range")), "mid");
        assert_eq!(zone(false, None, None), "mid");
    }
}
