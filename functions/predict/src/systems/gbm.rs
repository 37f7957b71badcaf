//! `gbm`: the champion model's prediction. Without a champion, or for a row of another feature
//! version, the system abstains (a PASS row saying why) instead of failing the run.

use super::{Estimate, Input, Verdict, confidence};
use crate::features as f;
use crate::model::GbmModel;

pub fn predict(x: &Input<'_>, model: Option<&GbmModel>) -> Verdict {
    let Some(model) = model else {
        return Verdict::Abstain("no champion model".into());
    };
    let row = match model.vector(x.features.0) {
        Ok(r) => r,
        Err(e) => return Verdict::Abstain(e.to_string()),
    };
    let Some(points) = model.predict(&[row]).first().copied().filter(|p| p.is_finite()) else {
        return Verdict::Abstain(format!("model {} gave no finite prediction", model.version));
    };
    let std = x.features.data(f::POINTS_STD_L10).unwrap_or(6.0);
    Verdict::Predicted(Estimate { points, confidence: confidence(std, x.played().count(), x.features.0.quality_score) })
}
