//! From a system's verdict to what the row says: the recommendation (NO_LINE, PASS, OVER,
//! UNDER), the sanity checks that deactivate a prediction, and whether it is actionable.

use props_core::tables::rows::predictions::Recommendation;

use crate::systems::{Gate, Verdict};

/// Predictions outside this range are not believable points totals.
pub const POINTS_RANGE: (f64, f64) = (0.0, 80.0);
/// An edge this large says the inputs are wrong, not that the book is.
pub const MAX_EDGE: f64 = 20.0;
/// Below this share of computed (not defaulted) features a pick is not published.
pub const MIN_QUALITY: f64 = 0.6;
/// A player who sat out this share of recent games is too likely not to play.
pub const MAX_DNP_RATE: f64 = 0.3;

#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub recommendation: Recommendation,
    pub line_margin: Option<f64>,
    pub is_active: bool,
    pub inactive_reason: Option<String>,
    pub is_actionable: bool,
    pub filter_reason: Option<String>,
}

/// What else is known about the player that can stop a pick from being published.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Context {
    pub quality: f64,
    pub dnp_rate: f64,
}

pub fn decide(verdict: &Verdict, line: Option<f64>, gate: Gate, cx: Context) -> Decision {
    let estimate = verdict.estimate();
    let margin = estimate.zip(line).map(|(e, l)| e.points - l);
    let inactive_reason = estimate.and_then(|e| {
        if !(POINTS_RANGE.0..=POINTS_RANGE.1).contains(&e.points) || !e.points.is_finite() {
            Some(format!("predicted {:.1} outside [{}, {}]", e.points, POINTS_RANGE.0, POINTS_RANGE.1))
        } else {
            margin.filter(|m| m.abs() > MAX_EDGE).map(|m| format!("edge {m:+.1} beyond ±{MAX_EDGE}"))
        }
    });
    let (recommendation, pass_reason) = match (line, estimate, verdict) {
        (None, _, _) => (Recommendation::NoLine, Some("no_line".to_string())),
        (Some(_), None, Verdict::Abstain(why)) => (Recommendation::Pass, Some(format!("abstained: {why}"))),
        (Some(_), None, Verdict::Predicted(_)) => (Recommendation::Pass, Some("abstained".to_string())),
        (Some(l), Some(e), _) => {
            let edge = e.points - l;
            if edge.abs() < gate.min_edge {
                (Recommendation::Pass, Some("low_edge".to_string()))
            } else if e.confidence < gate.min_confidence {
                (Recommendation::Pass, Some("low_confidence".to_string()))
            } else if edge > 0.0 {
                (Recommendation::Over, None)
            } else {
                (Recommendation::Under, None)
            }
        }
    };
    let filter_reason = if inactive_reason.is_some() {
        Some("inactive".to_string())
    } else if pass_reason.is_some() {
        pass_reason
    } else if cx.quality < MIN_QUALITY {
        Some("low_feature_quality".to_string())
    } else if cx.dnp_rate > MAX_DNP_RATE {
        Some("dnp_risk".to_string())
    } else {
        None
    };
    Decision {
        recommendation,
        line_margin: margin,
        is_active: inactive_reason.is_none(),
        inactive_reason,
        is_actionable: filter_reason.is_none(),
        filter_reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::Estimate;

    const GATE: Gate = Gate { min_edge: 2.0, min_confidence: 60.0 };
    const OK: Context = Context { quality: 1.0, dnp_rate: 0.0 };

    fn p(points: f64, confidence: f64) -> Verdict {
        Verdict::Predicted(Estimate { points, confidence })
    }

    #[test]
    fn recommendations_follow_line_edge_and_confidence() {
        let d = decide(&p(25.0, 70.0), Some(22.5), GATE, OK);
        assert_eq!((d.recommendation, d.is_actionable, d.line_margin), (Recommendation::Over, true, Some(2.5)));
        assert_eq!(decide(&p(20.0, 70.0), Some(22.5), GATE, OK).recommendation, Recommendation::Under);
        let d = decide(&p(23.0, 70.0), Some(22.5), GATE, OK);
        assert_eq!((d.recommendation, d.filter_reason.as_deref()), (Recommendation::Pass, Some("low_edge")));
        let d = decide(&p(30.0, 50.0), Some(22.5), GATE, OK);
        assert_eq!((d.recommendation, d.filter_reason.as_deref()), (Recommendation::Pass, Some("low_confidence")));
        let d = decide(&p(30.0, 90.0), None, GATE, OK);
        assert_eq!((d.recommendation, d.is_active, d.is_actionable), (Recommendation::NoLine, true, false));
        let d = decide(&Verdict::Abstain("3 similar games".into()), Some(20.5), GATE, OK);
        assert_eq!(d.recommendation, Recommendation::Pass);
        assert_eq!(d.filter_reason.as_deref(), Some("abstained: 3 similar games"));
    }

    #[test]
    fn sanity_checks_deactivate_and_filters_block_publication() {
        let d = decide(&p(85.0, 90.0), Some(30.5), GATE, OK);
        assert!(!d.is_active && !d.is_actionable);
        assert_eq!(d.inactive_reason.as_deref(), Some("predicted 85.0 outside [0, 80]"));
        let d = decide(&p(45.0, 90.0), Some(20.5), GATE, OK);
        assert_eq!(d.inactive_reason.as_deref(), Some("edge +24.5 beyond ±20"));
        assert_eq!(d.filter_reason.as_deref(), Some("inactive"));
        let d = decide(&p(-1.0, 90.0), None, GATE, OK);
        assert!(!d.is_active);
        let low_quality = Context { quality: 0.4, dnp_rate: 0.0 };
        let d = decide(&p(26.0, 90.0), Some(20.5), GATE, low_quality);
        assert_eq!((d.recommendation, d.filter_reason.as_deref()), (Recommendation::Over, Some("low_feature_quality")));
        let benched = Context { quality: 1.0, dnp_rate: 0.5 };
        assert_eq!(decide(&p(26.0, 90.0), Some(20.5), GATE, benched).filter_reason.as_deref(), Some("dnp_risk"));
    }
}
