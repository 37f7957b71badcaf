//! `StateStore` on one DynamoDB table (`pk`/`sk`, `ttl`, index `gsi1` on `gsi1pk`/`gsi1sk`).

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ReturnValue, ScalarAttributeType, TimeToLiveSpecification,
};
use serde_json::{Number, Value};

use super::{describe, is_transient};
use crate::ports::state::{Attrs, Condition, Item, KeyCondition, StateError, StateStore, Update, attr, validate_item};

pub const INDEX_NAME: &str = "gsi1";

#[derive(Clone, Debug)]
pub struct DynamoStateStore {
    client: Client,
    table: String,
}

fn err<E, R>(op: &'static str, key: String, e: SdkError<E, R>) -> StateError
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let message = describe(&e);
    if message.starts_with("ConditionalCheckFailedException") {
        let (pk, sk) =
            key.split_once(" / ").map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or((key, String::new()));
        return StateError::ConditionFailed { pk, sk };
    }
    if is_transient(&e) { StateError::Transient { op, key, message } } else { StateError::Backend { op, key, message } }
}

impl DynamoStateStore {
    pub fn new(sdk: &aws_config::SdkConfig, table: impl Into<String>) -> Self {
        Self { client: Client::new(sdk), table: table.into() }
    }

    /// Creates the table with its index and TTL if missing (emulators; in AWS the template owns it).
    pub async fn ensure_table(&self) -> Result<(), StateError> {
        if self.client.describe_table().table_name(&self.table).send().await.is_ok() {
            return Ok(());
        }
        let s = |n: &str| {
            AttributeDefinition::builder()
                .attribute_name(n)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|e| StateError::Backend { op: "create_table", key: n.to_string(), message: e.to_string() })
        };
        let k = |n: &str, t: KeyType| {
            KeySchemaElement::builder().attribute_name(n).key_type(t).build().map_err(|e| StateError::Backend {
                op: "create_table",
                key: n.to_string(),
                message: e.to_string(),
            })
        };
        let gsi = GlobalSecondaryIndex::builder()
            .index_name(INDEX_NAME)
            .key_schema(k(attr::GSI1PK, KeyType::Hash)?)
            .key_schema(k(attr::GSI1SK, KeyType::Range)?)
            .projection(Projection::builder().projection_type(ProjectionType::All).build())
            .build()
            .map_err(|e| StateError::Backend { op: "create_table", key: self.table.clone(), message: e.to_string() })?;
        self.client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(s("pk")?)
            .attribute_definitions(s("sk")?)
            .attribute_definitions(s(attr::GSI1PK)?)
            .attribute_definitions(s(attr::GSI1SK)?)
            .key_schema(k("pk", KeyType::Hash)?)
            .key_schema(k("sk", KeyType::Range)?)
            .global_secondary_indexes(gsi)
            .send()
            .await
            .map_err(|e| err("create_table", self.table.clone(), e))?;
        let ttl =
            TimeToLiveSpecification::builder().attribute_name(attr::TTL).enabled(true).build().map_err(|e| {
                StateError::Backend { op: "update_ttl", key: self.table.clone(), message: e.to_string() }
            })?;
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .map_err(|e| err("update_ttl", self.table.clone(), e))?;
        Ok(())
    }

    fn key(pk: &str, sk: &str) -> HashMap<String, AttributeValue> {
        HashMap::from([
            ("pk".to_string(), AttributeValue::S(pk.into())),
            ("sk".to_string(), AttributeValue::S(sk.into())),
        ])
    }
}

pub fn to_attr(v: &Value) -> AttributeValue {
    match v {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(a) => AttributeValue::L(a.iter().map(to_attr).collect()),
        Value::Object(m) => AttributeValue::M(m.iter().map(|(k, v)| (k.clone(), to_attr(v))).collect()),
    }
}

pub fn from_attr(a: &AttributeValue) -> Value {
    match a {
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::N(n) => n
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| n.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number))
            .unwrap_or(Value::Null),
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::L(l) => Value::Array(l.iter().map(from_attr).collect()),
        AttributeValue::M(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), from_attr(v))).collect()),
        AttributeValue::Ss(ss) => Value::Array(ss.iter().cloned().map(Value::String).collect()),
        _ => Value::Null,
    }
}

fn item_from(map: &HashMap<String, AttributeValue>) -> Option<Item> {
    let pk = map.get("pk")?.as_s().ok()?.clone();
    let sk = map.get("sk")?.as_s().ok()?.clone();
    let attrs: Attrs =
        map.iter().filter(|(k, _)| *k != "pk" && *k != "sk").map(|(k, v)| (k.clone(), from_attr(v))).collect();
    Some(Item { pk, sk, attrs })
}

/// Placeholders for an expression: `#n0` names and `:v0` values, with a prefix per clause so
/// that an update and its condition never collide.
#[derive(Default)]
struct Expr {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Expr {
    fn name(&mut self, prefix: &str, n: &str) -> String {
        let p = format!("#{prefix}{}", self.names.len());
        self.names.insert(p.clone(), n.to_string());
        p
    }
    fn value(&mut self, prefix: &str, v: &Value) -> String {
        let p = format!(":{prefix}{}", self.values.len());
        self.values.insert(p.clone(), to_attr(v));
        p
    }

    fn condition(&mut self, c: &Condition) -> String {
        match c {
            Condition::NotExists => "attribute_not_exists(pk)".into(),
            Condition::Exists => "attribute_exists(pk)".into(),
            Condition::AttrEquals(n, v) => {
                format!("{} = {}", self.name("c", n), self.value("c", v))
            }
            Condition::AttrNotEquals(n, v) => {
                let nm = self.name("c", n);
                format!("(attribute_not_exists({nm}) OR {nm} <> {})", self.value("c", v))
            }
            Condition::AttrLessThan(n, v) => {
                format!("{} < {}", self.name("c", n), self.value("c", v))
            }
            Condition::AttrLessOrEqual(n, v) => {
                format!("{} <= {}", self.name("c", n), self.value("c", v))
            }
            Condition::AttrMissing(n) => format!("attribute_not_exists({})", self.name("c", n)),
            Condition::And(cs) => {
                format!("({})", cs.iter().map(|c| self.condition(c)).collect::<Vec<_>>().join(" AND "))
            }
            Condition::Or(cs) => format!("({})", cs.iter().map(|c| self.condition(c)).collect::<Vec<_>>().join(" OR ")),
        }
    }

    fn update(&mut self, u: &Update) -> String {
        let mut parts = Vec::new();
        if !u.set.is_empty() {
            let sets: Vec<_> =
                u.set.iter().map(|(k, v)| format!("{} = {}", self.name("u", k), self.value("u", v))).collect();
            parts.push(format!("SET {}", sets.join(", ")));
        }
        if !u.add.is_empty() {
            let adds: Vec<_> = u
                .add
                .iter()
                .map(|(k, by)| format!("{} {}", self.name("u", k), self.value("u", &Value::from(*by))))
                .collect();
            parts.push(format!("ADD {}", adds.join(", ")));
        }
        if !u.remove.is_empty() {
            let rems: Vec<_> = u.remove.iter().map(|k| self.name("u", k)).collect();
            parts.push(format!("REMOVE {}", rems.join(", ")));
        }
        parts.join(" ")
    }

    fn key_condition(&mut self, key_attr: &str, c: &KeyCondition) -> Option<String> {
        // DynamoDB rejects placeholders the expression does not use: name the key only when needed.
        if *c == KeyCondition::All {
            return None;
        }
        let n = self.name("k", key_attr);
        Some(match c {
            KeyCondition::All => return None, // handled above
            KeyCondition::BeginsWith(p) => format!("begins_with({n}, {})", self.value("k", &Value::from(p.as_str()))),
            KeyCondition::LessOrEqual(b) => {
                format!("{n} <= {}", self.value("k", &Value::from(b.as_str())))
            }
            KeyCondition::Between(a, b) => {
                format!(
                    "{n} BETWEEN {} AND {}",
                    self.value("k", &Value::from(a.as_str())),
                    self.value("k", &Value::from(b.as_str()))
                )
            }
        })
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }
    fn values(&self) -> Option<HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

#[async_trait]
impl StateStore for DynamoStateStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StateError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| err("get", format!("{pk} / {sk}"), e))?;
        Ok(out.item().and_then(item_from))
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StateError> {
        validate_item(&item)?;
        let mut map: HashMap<String, AttributeValue> =
            item.attrs.iter().map(|(k, v)| (k.clone(), to_attr(v))).collect();
        map.extend(Self::key(&item.pk, &item.sk));
        let mut expr = Expr::default();
        let cond = condition.as_ref().map(|c| expr.condition(c));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(map))
            .set_condition_expression(cond)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .send()
            .await
            .map_err(|e| err("put", format!("{} / {}", item.pk, item.sk), e))?;
        Ok(())
    }

    async fn update(
        &self,
        pk: &str,
        sk: &str,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<Item, StateError> {
        let mut expr = Expr::default();
        let upd = expr.update(&update);
        let cond = condition.as_ref().map(|c| expr.condition(c));
        if upd.is_empty() {
            return self.get(pk, sk).await?.ok_or_else(|| StateError::InvalidItem {
                pk: pk.into(),
                sk: sk.into(),
                reason: "empty update of a missing item".into(),
            });
        }
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .update_expression(upd)
            .set_condition_expression(cond)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(|e| err("update", format!("{pk} / {sk}"), e))?;
        out.attributes().and_then(item_from).ok_or_else(|| StateError::Backend {
            op: "update",
            key: format!("{pk} / {sk}"),
            message: "no attributes returned".into(),
        })
    }

    async fn delete(&self, pk: &str, sk: &str, condition: Option<Condition>) -> Result<(), StateError> {
        let mut expr = Expr::default();
        let cond = condition.as_ref().map(|c| expr.condition(c));
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .set_condition_expression(cond)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .send()
            .await
            .map_err(|e| err("delete", format!("{pk} / {sk}"), e))?;
        Ok(())
    }

    async fn query(&self, pk: &str, sk: KeyCondition) -> Result<Vec<Item>, StateError> {
        self.run_query(None, "pk", pk, "sk", &sk).await
    }

    async fn query_index(&self, index_pk: &str, index_sk: KeyCondition) -> Result<Vec<Item>, StateError> {
        self.run_query(Some(INDEX_NAME), attr::GSI1PK, index_pk, attr::GSI1SK, &index_sk).await
    }
}

impl DynamoStateStore {
    async fn run_query(
        &self,
        index: Option<&str>,
        pk_attr: &str,
        pk: &str,
        sk_attr: &str,
        sk: &KeyCondition,
    ) -> Result<Vec<Item>, StateError> {
        let mut expr = Expr::default();
        let mut kc = format!("{} = {}", expr.name("k", pk_attr), expr.value("k", &Value::from(pk)));
        if let Some(skc) = expr.key_condition(sk_attr, sk) {
            kc = format!("{kc} AND {skc}");
        }
        let mut out = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .set_index_name(index.map(str::to_string))
                .key_condition_expression(&kc)
                .set_expression_attribute_names(expr.names())
                .set_expression_attribute_values(expr.values())
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| err("query", pk.to_string(), e))?;
            out.extend(page.items().iter().filter_map(item_from));
            match page.last_evaluated_key() {
                Some(k) if !k.is_empty() => start = Some(k.clone()),
                _ => break,
            }
        }
        if index.is_some() {
            // The index orders by gsi1sk only; ties are made deterministic like the embedded store.
            out.sort_by(|a, b| {
                let ka = (a.get_str(attr::GSI1SK).unwrap_or(""), a.pk.as_str(), a.sk.as_str());
                let kb = (b.get_str(attr::GSI1SK).unwrap_or(""), b.pk.as_str(), b.sk.as_str());
                ka.cmp(&kb)
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attribute_values_round_trip() {
        let v = json!({"s": "x", "n": 3, "f": 1.5, "b": true, "z": null, "l": [1, "a"], "m": {"k": -2}});
        let back = from_attr(&to_attr(&v));
        assert_eq!(back, v);
    }

    #[test]
    fn expressions_use_disjoint_placeholders() {
        let mut e = Expr::default();
        let u = e.update(&Update::new().set("status", "x").add("n", 1).remove("gsi1pk"));
        let c = e.condition(&Condition::Or(vec![Condition::NotExists, Condition::ne("status", "done")]));
        assert_eq!(u, "SET #u0 = :u0 ADD #u1 :u1 REMOVE #u2");
        assert_eq!(c, "(attribute_not_exists(pk) OR (attribute_not_exists(#c3) OR #c3 <> :c2))");
        assert_eq!(e.names.len(), 4);
    }
}
