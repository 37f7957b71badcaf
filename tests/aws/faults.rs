//! AWS-side faults (DESIGN §13): a small HTTP proxy in front of the emulator answers chosen
//! requests with DynamoDB throttling, S3 `SlowDown` or S3 500s. Throttling is retried with
//! backoff by the SDK's standard retry mode (3 attempts in all, no retry layer of our own on
//! top); what still fails fails cleanly with a transient error, and a partition write that
//! failed leaves the previous partition whole. A conditional-check failure is not retried.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chrono::{TimeZone, Utc};
use props_core::adapters::aws::{DynamoStateStore, S3BlobStore};
use props_core::ports::{BlobError, BlobStore, Condition, Item, StateError, StateStore};
use props_core::tables::Tables;
use props_core::{GameDate, ManualClock};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Service {
    S3,
    Dynamo,
}

#[derive(Clone, Copy, Debug)]
enum Fault {
    Throughput,
    SlowDown,
    S3InternalError,
}

impl Fault {
    fn response(self) -> String {
        let (status, ctype, body) = match self {
            Fault::Throughput => (
                "400 Bad Request",
                "application/x-amz-json-1.0",
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"Rate of requests exceeds the allowed throughput."}"#,
            ),
            Fault::SlowDown => (
                "503 Slow Down",
                "application/xml",
                "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
            ),
            Fault::S3InternalError => (
                "500 Internal Server Error",
                "application/xml",
                "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>",
            ),
        };
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    }
}

#[derive(Default)]
struct Rules {
    /// Faults to answer, per service, before forwarding again (`usize::MAX`: always).
    pending: BTreeMap<Service, (usize, Option<Fault>)>,
    /// Requests seen per service (faulted or forwarded).
    seen: BTreeMap<Service, usize>,
}

/// The proxy: one request per connection (answers close the connection).
#[derive(Clone)]
struct Proxy {
    url: String,
    rules: Arc<Mutex<Rules>>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let rules = Arc::new(Mutex::new(Rules::default()));
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_string();
        let r = rules.clone();
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(handle(conn, upstream.clone(), r.clone()));
            }
        });
        Proxy { url, rules }
    }

    fn fail(&self, service: Service, times: usize, fault: Fault) {
        self.rules.lock().unwrap().pending.insert(service, (times, Some(fault)));
    }

    fn clear(&self) {
        let mut r = self.rules.lock().unwrap();
        r.pending.clear();
        r.seen.clear();
    }

    fn seen(&self, service: Service) -> usize {
        self.rules.lock().unwrap().seen.get(&service).copied().unwrap_or(0)
    }
}

async fn handle(mut conn: TcpStream, upstream: String, rules: Arc<Mutex<Rules>>) {
    // Read the head, then the body by Content-Length.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        let Ok(n) = conn.read(&mut chunk).await else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while buf.len() < head_end + length {
        let Ok(n) = conn.read(&mut chunk).await else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let service =
        if header("x-amz-target").is_some_and(|t| t.starts_with("DynamoDB")) { Service::Dynamo } else { Service::S3 };
    let fault = {
        let mut r = rules.lock().unwrap();
        *r.seen.entry(service).or_default() += 1;
        match r.pending.get_mut(&service) {
            Some((n, Some(f))) if *n > 0 => {
                *n = n.saturating_sub(1);
                Some(*f)
            }
            _ => None,
        }
    };
    if let Some(f) = fault {
        let _ = conn.write_all(f.response().as_bytes()).await;
        return;
    }
    // Forward with `connection: close`, then relay the answer until the emulator closes.
    let Ok(mut up) = TcpStream::connect(&upstream).await else { return };
    let mut head_out: String = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:") && !l.is_empty())
        .fold(String::new(), |mut s, l| {
            s.push_str(l);
            s.push_str("\r\n");
            s
        });
    head_out.push_str("connection: close\r\n\r\n");
    if up.write_all(head_out.as_bytes()).await.is_err() || up.write_all(&buf[head_end..]).await.is_err() {
        return;
    }
    let mut answer = Vec::new();
    let _ = up.read_to_end(&mut answer).await;
    let _ = conn.write_all(&answer).await;
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Row {
    game_date: GameDate,
    team: String,
    points: i32,
    #[serde(with = "props_core::tables::ts")]
    processed_at: chrono::DateTime<Utc>,
    data_hash: String,
}
props_core::table_row!(Row, "team_boxscores", game_date);

fn row(d: GameDate, team: &str, points: i32) -> Row {
    Row {
        game_date: d,
        team: team.into(),
        points,
        processed_at: chrono::DateTime::<Utc>::MIN_UTC,
        data_hash: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_retried_by_the_sdk_and_what_still_fails_fails_cleanly() {
    let Some(sdk) = crate::emulator().await else { return };
    let emulator = std::env::var("AWS_ENDPOINT_URL").unwrap();
    let proxy = Proxy::start(emulator).await;
    // A config of the emulator's parts, pointed at the proxy; built afresh because a copied
    // config keeps the environment's service config, whose AWS_ENDPOINT_URL would win.
    let e = &sdk.0;
    let mut b = aws_config::SdkConfig::builder().endpoint_url(&proxy.url);
    b.set_region(e.region().cloned());
    b.set_credentials_provider(e.credentials_provider());
    b.set_behavior_version(e.behavior_version());
    b.set_sleep_impl(e.sleep_impl());
    b.set_time_source(e.time_source());
    b.set_http_client(e.http_client());
    b.set_retry_config(e.retry_config().cloned());
    b.set_timeout_config(e.timeout_config().cloned());
    let through = b.build();
    let (bucket, table) = (crate::unique("props-faults"), crate::unique("props-faults"));
    let blobs = S3BlobStore::new(&through, &bucket, true);
    blobs.ensure_bucket().await.unwrap();
    let state = DynamoStateStore::new(&through, &table);
    state.ensure_table().await.unwrap();

    // DynamoDB throttled twice: the third attempt of the SDK's standard retry mode goes through.
    proxy.clear();
    proxy.fail(Service::Dynamo, 2, Fault::Throughput);
    state.put(Item::new("COMPLETION#3#2025-01-15", "PROC#a").with("n", 1), None).await.unwrap();
    assert_eq!(proxy.seen(Service::Dynamo), 3, "2 throttled + 1 forwarded, no second retry layer");
    assert!(state.get("COMPLETION#3#2025-01-15", "PROC#a").await.unwrap().is_some());

    // Throttled on every attempt: a transient error after 3 attempts, nothing written.
    proxy.clear();
    proxy.fail(Service::Dynamo, usize::MAX, Fault::Throughput);
    let err = state.put(Item::new("COMPLETION#3#2025-01-15", "PROC#b"), None).await.unwrap_err();
    assert_eq!(proxy.seen(Service::Dynamo), 3);
    assert!(matches!(err, StateError::Transient { .. }), "{err}");
    assert!(err.to_string().contains("ProvisionedThroughputExceeded"), "{err}");
    proxy.clear();
    assert!(state.get("COMPLETION#3#2025-01-15", "PROC#b").await.unwrap().is_none());

    // A conditional-check failure is an answer, not a fault: one request, not retried.
    proxy.clear();
    let again = state.put(Item::new("COMPLETION#3#2025-01-15", "PROC#a"), Some(Condition::NotExists)).await;
    assert!(again.unwrap_err().is_condition_failed());
    assert_eq!(proxy.seen(Service::Dynamo), 1);

    // S3 SlowDown twice: retried by the SDK, stored once.
    proxy.clear();
    proxy.fail(Service::S3, 2, Fault::SlowDown);
    blobs.put("raw/x/1.json", Bytes::from_static(b"{}")).await.unwrap();
    assert_eq!(proxy.seen(Service::S3), 3);
    proxy.clear();
    assert_eq!(blobs.get("raw/x/1.json").await.unwrap().as_deref(), Some(&b"{}"[..]));

    // S3 500 on every attempt of a partition write: a transient error, and the partition still
    // reads as it was (one PUT per partition: never half a partition).
    let d: GameDate = "2025-01-15".parse().unwrap();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2025, 1, 16, 12, 0, 0).unwrap());
    let tables = Tables::new(Arc::new(S3BlobStore::new(&through, &bucket, true)), Arc::new(clock));
    tables.replace(d, vec![row(d, "NYK", 100), row(d, "PHI", 90)]).await.unwrap();
    proxy.clear();
    proxy.fail(Service::S3, usize::MAX, Fault::S3InternalError);
    let err = tables.replace(d, vec![row(d, "NYK", 120), row(d, "PHI", 95), row(d, "BOS", 99)]).await.unwrap_err();
    assert!(err.to_string().contains("InternalError"), "{err}");
    assert!(proxy.seen(Service::S3) <= 6, "at most 3 attempts per request: {}", proxy.seen(Service::S3));
    proxy.clear();
    let rows: Vec<Row> = tables.read_date(d).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.points).collect::<Vec<_>>(), [100, 90], "the old partition, whole");
    let objects = blobs.list("tables/raw/team_boxscores/").await.unwrap();
    assert_eq!(objects.len(), 1, "{objects:?}");
    // A blob error of this kind is reported as the store's failure, with the key.
    let e = {
        proxy.fail(Service::S3, usize::MAX, Fault::S3InternalError);
        let e = blobs.get("raw/x/1.json").await.unwrap_err();
        proxy.clear();
        e
    };
    assert!(matches!(e, BlobError::Backend { .. }) && e.to_string().contains("raw/x/1.json"), "{e}");
}
