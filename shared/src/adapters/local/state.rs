//! `StateStore` on SQLite: one file, one table, conditions evaluated inside an immediate
//! (write-locked) transaction so that two processes racing on the same key serialize.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::{Map, Value};

use crate::ports::state::{Attrs, Condition, Item, KeyCondition, StateError, StateStore, Update, attr, validate_item};

#[derive(Clone)]
pub struct SqliteStateStore {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteStateStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStateStore").field("path", &self.path).finish()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    attrs TEXT NOT NULL,
    gsi1pk TEXT,
    gsi1sk TEXT,
    ttl INTEGER,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk) WHERE gsi1pk IS NOT NULL;
";

fn backend(op: &'static str, key: &str, e: impl std::fmt::Display) -> StateError {
    let message = e.to_string();
    if message.contains("locked") || message.contains("busy") {
        StateError::Transient { op, key: key.to_string(), message }
    } else {
        StateError::Backend { op, key: key.to_string(), message }
    }
}

impl SqliteStateStore {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StateError> {
        let path = path.as_ref().to_path_buf();
        let key = path.display().to_string();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| backend("open", &key, e))?;
        }
        let conn = Connection::open(&path).map_err(|e| backend("open", &key, e))?;
        // WAL lets readers proceed during a write; busy_timeout makes racing processes wait
        // for the lock instead of failing.
        conn.busy_timeout(Duration::from_secs(10)).map_err(|e| backend("open", &key, e))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| backend("open", &key, e))?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| backend("open", &key, e))?;
        conn.execute_batch(SCHEMA).map_err(|e| backend("open", &key, e))?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)), path })
    }

    async fn with_conn<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StateError> + Send + 'static,
    ) -> Result<T, StateError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| StateError::Backend { op: "task", key: String::new(), message: e.to_string() })?
    }

    /// Deletes items whose `ttl` has passed (DynamoDB does this in the background).
    pub async fn purge_expired(&self, now_epoch: i64) -> Result<usize, StateError> {
        self.with_conn(move |c| {
            c.execute("DELETE FROM items WHERE ttl IS NOT NULL AND ttl < ?1", params![now_epoch])
                .map_err(|e| backend("purge", "items", e))
        })
        .await
    }
}

fn key_of(pk: &str, sk: &str) -> String {
    format!("{pk} / {sk}")
}

fn read_attrs(tx: &Connection, pk: &str, sk: &str) -> Result<Option<Attrs>, StateError> {
    let raw: Option<String> = tx
        .query_row("SELECT attrs FROM items WHERE pk = ?1 AND sk = ?2", params![pk, sk], |r| r.get(0))
        .optional()
        .map_err(|e| backend("get", &key_of(pk, sk), e))?;
    raw.map(|s| parse_attrs(&s, pk, sk)).transpose()
}

fn parse_attrs(s: &str, pk: &str, sk: &str) -> Result<Attrs, StateError> {
    match serde_json::from_str::<Value>(s) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) | Err(_) => Err(StateError::Backend {
            op: "decode",
            key: key_of(pk, sk),
            message: "stored attributes are not a JSON object".into(),
        }),
    }
}

fn write_attrs(tx: &Connection, pk: &str, sk: &str, attrs: &Attrs) -> Result<(), StateError> {
    let gsi1pk = attrs.get(attr::GSI1PK).and_then(Value::as_str);
    let gsi1sk = attrs.get(attr::GSI1SK).and_then(Value::as_str);
    let ttl = attrs.get(attr::TTL).and_then(Value::as_i64);
    let json = Value::Object(attrs.clone()).to_string();
    tx.execute(
        "INSERT INTO items (pk, sk, attrs, gsi1pk, gsi1sk, ttl) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (pk, sk) DO UPDATE SET attrs = excluded.attrs, gsi1pk = excluded.gsi1pk,
             gsi1sk = excluded.gsi1sk, ttl = excluded.ttl",
        params![pk, sk, json, gsi1pk, gsi1sk, ttl],
    )
    .map_err(|e| backend("put", &key_of(pk, sk), e))?;
    Ok(())
}

/// Runs `f` in an IMMEDIATE transaction (the write lock is taken before the condition is read).
fn in_write_tx<T>(
    c: &mut Connection,
    key: &str,
    f: impl FnOnce(&Connection) -> Result<T, StateError>,
) -> Result<T, StateError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| backend("begin", key, e))?;
    let out = f(&tx)?;
    tx.commit().map_err(|e| backend("commit", key, e))?;
    Ok(out)
}

fn check(cond: &Option<Condition>, current: Option<&Attrs>, pk: &str, sk: &str) -> Result<(), StateError> {
    match cond {
        Some(c) if !c.holds(current) => Err(StateError::ConditionFailed { pk: pk.to_string(), sk: sk.to_string() }),
        _ => Ok(()),
    }
}

fn sk_sql(cond: &KeyCondition, col: &str) -> (String, Vec<String>) {
    match cond {
        KeyCondition::All => (String::new(), vec![]),
        KeyCondition::BeginsWith(p) => (format!(" AND substr({col}, 1, length(?2)) = ?2"), vec![p.clone()]),
        KeyCondition::LessOrEqual(b) => (format!(" AND {col} <= ?2"), vec![b.clone()]),
        KeyCondition::Between(a, b) => (format!(" AND {col} >= ?2 AND {col} <= ?3"), vec![a.clone(), b.clone()]),
    }
}

#[async_trait]
impl StateStore for SqliteStateStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StateError> {
        let (pk, sk) = (pk.to_string(), sk.to_string());
        self.with_conn(move |c| {
            Ok(read_attrs(c, &pk, &sk)?.map(|attrs| Item { pk: pk.clone(), sk: sk.clone(), attrs }))
        })
        .await
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StateError> {
        validate_item(&item)?;
        self.with_conn(move |c| {
            in_write_tx(c, &key_of(&item.pk, &item.sk), |tx| {
                let current = read_attrs(tx, &item.pk, &item.sk)?;
                check(&condition, current.as_ref(), &item.pk, &item.sk)?;
                write_attrs(tx, &item.pk, &item.sk, &item.attrs)
            })
        })
        .await
    }

    async fn update(
        &self,
        pk: &str,
        sk: &str,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<Item, StateError> {
        let (pk, sk) = (pk.to_string(), sk.to_string());
        self.with_conn(move |c| {
            in_write_tx(c, &key_of(&pk, &sk), |tx| {
                let current = read_attrs(tx, &pk, &sk)?;
                check(&condition, current.as_ref(), &pk, &sk)?;
                let mut attrs = current.unwrap_or_default();
                update.apply(&mut attrs);
                let item = Item { pk: pk.clone(), sk: sk.clone(), attrs };
                validate_item(&item)?;
                write_attrs(tx, &pk, &sk, &item.attrs)?;
                Ok(item)
            })
        })
        .await
    }

    async fn delete(&self, pk: &str, sk: &str, condition: Option<Condition>) -> Result<(), StateError> {
        let (pk, sk) = (pk.to_string(), sk.to_string());
        self.with_conn(move |c| {
            in_write_tx(c, &key_of(&pk, &sk), |tx| {
                let current = read_attrs(tx, &pk, &sk)?;
                check(&condition, current.as_ref(), &pk, &sk)?;
                tx.execute("DELETE FROM items WHERE pk = ?1 AND sk = ?2", params![pk, sk])
                    .map_err(|e| backend("delete", &key_of(&pk, &sk), e))?;
                Ok(())
            })
        })
        .await
    }

    async fn query(&self, pk: &str, sk: KeyCondition) -> Result<Vec<Item>, StateError> {
        let pk = pk.to_string();
        self.with_conn(move |c| {
            let (clause, args) = sk_sql(&sk, "sk");
            let sql = format!("SELECT sk, attrs FROM items WHERE pk = ?1{clause} ORDER BY sk");
            let mut stmt = c.prepare(&sql).map_err(|e| backend("query", &pk, e))?;
            let mut bind: Vec<&dyn rusqlite::ToSql> = vec![&pk];
            bind.extend(args.iter().map(|a| a as &dyn rusqlite::ToSql));
            let rows = stmt
                .query_map(bind.as_slice(), |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .map_err(|e| backend("query", &pk, e))?;
            let mut out = Vec::new();
            for row in rows {
                let (sk, raw) = row.map_err(|e| backend("query", &pk, e))?;
                let attrs = parse_attrs(&raw, &pk, &sk)?;
                out.push(Item { pk: pk.clone(), sk, attrs });
            }
            Ok(out)
        })
        .await
    }

    async fn query_index(&self, index_pk: &str, index_sk: KeyCondition) -> Result<Vec<Item>, StateError> {
        let ipk = index_pk.to_string();
        self.with_conn(move |c| {
            let (clause, args) = sk_sql(&index_sk, "gsi1sk");
            let sql = format!("SELECT pk, sk, attrs FROM items WHERE gsi1pk = ?1{clause} ORDER BY gsi1sk, pk, sk");
            let mut stmt = c.prepare(&sql).map_err(|e| backend("query_index", &ipk, e))?;
            let mut bind: Vec<&dyn rusqlite::ToSql> = vec![&ipk];
            bind.extend(args.iter().map(|a| a as &dyn rusqlite::ToSql));
            let rows = stmt
                .query_map(bind.as_slice(), |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
                })
                .map_err(|e| backend("query_index", &ipk, e))?;
            let mut out = Vec::new();
            for row in rows {
                let (pk, sk, raw) = row.map_err(|e| backend("query_index", &ipk, e))?;
                let attrs: Map<String, Value> = parse_attrs(&raw, &pk, &sk)?;
                out.push(Item { pk, sk, attrs });
            }
            Ok(out)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn embedded_state_store_passes_the_contract() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStateStore::open(dir.path().join("state.db")).unwrap();
        crate::contract::state::run(&store, "contract").await;
    }

    #[tokio::test]
    async fn two_connections_race_and_exactly_one_wins() {
        // Separate connections to one file behave like separate processes.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let a = SqliteStateStore::open(&path).unwrap();
        let b = SqliteStateStore::open(&path).unwrap();
        crate::contract::state::race(&a, &b, "race").await;
    }

    #[tokio::test]
    async fn expired_items_are_purged() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStateStore::open(dir.path().join("s.db")).unwrap();
        s.put(Item::new("MSG#a", "MSG").with("ttl", 100), None).await.unwrap();
        s.put(Item::new("MSG#b", "MSG").with("ttl", 300), None).await.unwrap();
        assert_eq!(s.purge_expired(200).await.unwrap(), 1);
        assert!(s.get("MSG#a", "MSG").await.unwrap().is_none());
        assert!(s.get("MSG#b", "MSG").await.unwrap().is_some());
    }
}
