//! Shot geometry: where on the court a shot from a zone comes from, in the live feed's
//! coordinates (x, y as percentages of a 94 × 50 ft court; legacy tenths of feet from the rim),
//! so consumers that classify zones by distance or by area label agree with the box score.

use rand::Rng;

use crate::sim::players::Zone;
use crate::sim::rng::{SimRng, uniform};

/// Where a shot came from, for the fields that describe it.
pub struct Spot {
    pub area: &'static str,
    pub detail: String,
    pub distance: f64,
    pub x: f64,
    pub y: f64,
    pub x_legacy: i64,
    pub y_legacy: i64,
    pub side: &'static str,
}

/// A plausible spot for a shot from `zone`, at the right-hand basket or the left.
pub fn spot(rng: &mut SimRng, zone: Zone, right: bool) -> Spot {
    let (area, distance, angle) = match zone {
        Zone::Paint => {
            if rng.random::<f64>() < 0.7 {
                ("Restricted Area", uniform(rng, 0.0, 3.9), uniform(rng, -80.0, 80.0))
            } else {
                ("In The Paint (Non-RA)", uniform(rng, 4.0, 8.0), uniform(rng, -75.0, 75.0))
            }
        }
        Zone::Mid => ("Mid-Range", uniform(rng, 9.0, 21.0), uniform(rng, -75.0, 75.0)),
        Zone::Three => {
            if rng.random::<f64>() < 0.22 {
                let side = if rng.random::<bool>() { 1.0 } else { -1.0 };
                let label = if side > 0.0 { "Right Corner 3" } else { "Left Corner 3" };
                (label, uniform(rng, 22.0, 23.0), side * uniform(rng, 78.0, 88.0))
            } else {
                {
                    let d = uniform(rng, 23.8, 28.0);
                    // Keep the shot inside the sideline (25 ft from the rim's axis, less a foot).
                    let max_angle = (24.0 / d).min(1.0).asin().to_degrees().min(65.0);
                    ("Above the Break 3", d, uniform(rng, -max_angle, max_angle))
                }
            }
        }
    };
    let rad = angle.to_radians();
    let (dx, dy) = (distance * rad.cos(), distance * rad.sin());
    let x_ft = if right { 94.0 - 5.25 - dx } else { 5.25 + dx };
    let y_ft = 25.0 + dy;
    let band = match distance {
        d if d < 8.0 => "0-8",
        d if d < 16.0 => "8-16",
        d if d < 24.0 => "16-24",
        _ => "24+",
    };
    let dir = match angle {
        a if a < -20.0 => "Left Center",
        a if a > 20.0 => "Right Center",
        _ => "Center",
    };
    let round2 = |v: f64| (v * 100.0).round() / 100.0;
    Spot {
        area,
        detail: format!("{band} {dir}"),
        distance: round2(distance),
        x: x_ft / 94.0 * 100.0,
        y: y_ft / 50.0 * 100.0,
        x_legacy: (if right { dy } else { -dy } * 10.0).round() as i64,
        y_legacy: (dx * 10.0).round() as i64,
        side: if right { "right" } else { "left" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::stream;

    #[test]
    fn spots_are_on_the_court_and_in_their_zone() {
        let mut rng = stream(5, "court", 0);
        for _ in 0..2000 {
            for (zone, right) in [(Zone::Paint, true), (Zone::Mid, false), (Zone::Three, true)] {
                let s = spot(&mut rng, zone, right);
                assert!((0.0..=100.0).contains(&s.x) && (0.0..=100.0).contains(&s.y));
                match zone {
                    Zone::Paint => assert!(s.distance <= 8.0),
                    Zone::Mid => assert!(s.distance > 8.0 && s.distance < 22.0),
                    Zone::Three => assert!(s.distance >= 22.0),
                }
            }
        }
    }
}
