//! The model registry (DESIGN §4: `MODEL#{system}` / `{version}`). Each trained version is an
//! item; the `CHAMPION` item names the version predict loads. Promotion is ONE conditional
//! write: only when no champion exists or the new validation MAE is lower, so two trainers
//! racing can never install the worse model.

use props_core::ports::{Condition, Item, KeyCondition, StateError, StateStore};

pub const SYSTEM: &str = "gbm";
pub const CHAMPION_SK: &str = "CHAMPION";
/// The champion's validation MAE negated, so "the new model is better" is a `<` condition.
const NEG_MAE: &str = "neg_validation_mae";

pub fn pk() -> String {
    format!("MODEL#{SYSTEM}")
}

#[derive(Clone, Debug, PartialEq)]
pub struct Registered {
    pub version: String,
    pub validation_mae: f64,
    pub model_key: String,
    pub feature_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Promotion {
    Promoted,
    /// The champion's validation MAE is at or below the new model's.
    Kept {
        champion: String,
    },
}

/// Records a trained version (whether or not it becomes champion).
pub async fn register(state: &dyn StateStore, r: &Registered, trained_at: &str) -> Result<(), StateError> {
    let item = Item::new(pk(), r.version.clone())
        .with("validation_mae", r.validation_mae)
        .with("model_key", r.model_key.clone())
        .with("feature_version", r.feature_version.clone())
        .with("trained_at", trained_at)
        .with("enabled", true);
    state.put(item, None).await
}

/// Makes `r` the champion if it beats the current one on validation MAE.
///
/// `incumbent` is the champion's version and its MAE on `r`'s own validation rows, when it
/// could be scored there: MAEs of different windows are not comparable (a later, harder window
/// would keep a stale champion forever), so that one decides, and the write requires the
/// champion to still be that version. Without it the stored MAEs are compared.
pub async fn promote(
    state: &dyn StateStore,
    r: &Registered,
    incumbent: Option<(&str, f64)>,
) -> Result<Promotion, StateError> {
    let item = Item::new(pk(), CHAMPION_SK)
        .with("champion", true)
        .with("version", r.version.clone())
        .with("validation_mae", r.validation_mae)
        .with("model_key", r.model_key.clone())
        .with("feature_version", r.feature_version.clone())
        .with(NEG_MAE, -r.validation_mae);
    let beats = match incumbent {
        Some((version, mae)) if r.validation_mae >= mae => return Ok(Promotion::Kept { champion: version.into() }),
        Some((version, _)) => Condition::eq("version", version.to_string()),
        // current MAE > new MAE  ⟺  −current < −new: the store's conditions compare with "less than".
        None => Condition::Or(vec![Condition::NotExists, Condition::lt(NEG_MAE, -r.validation_mae)]),
    };
    match state.put(item, Some(beats)).await {
        Ok(()) => Ok(Promotion::Promoted),
        Err(e) if e.is_condition_failed() => {
            let champion = champion(state).await?.map(|c| c.version).unwrap_or_default();
            Ok(Promotion::Kept { champion })
        }
        Err(e) => Err(e),
    }
}

/// The current champion, if any.
pub async fn champion(state: &dyn StateStore) -> Result<Option<Registered>, StateError> {
    let Some(item) = state.get(&pk(), CHAMPION_SK).await? else {
        return Ok(None);
    };
    Ok(Some(Registered {
        version: item.get_str("version").unwrap_or_default().to_string(),
        validation_mae: item.get_f64("validation_mae").unwrap_or(f64::INFINITY),
        model_key: item.get_str("model_key").unwrap_or_default().to_string(),
        feature_version: item.get_str("feature_version").unwrap_or_default().to_string(),
    }))
}

/// Every registered version, oldest first.
pub async fn versions(state: &dyn StateStore) -> Result<Vec<Item>, StateError> {
    Ok(state.query(&pk(), KeyCondition::All).await?.into_iter().filter(|i| i.sk != CHAMPION_SK).collect())
}
