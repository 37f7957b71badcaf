//! The fetch policy against a tiny scripted HTTP server on 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::config::SourceUrls;
use crate::secrets::{Redactor, Secret};
use crate::sources::fetch::{FailureClass, FailureKind, FetchSettings, Fetcher};
use crate::sources::{nba_stats, odds_api};

const KEY: &str = "sk-canary-0123456789";

#[derive(Clone)]
enum Reply {
    Raw(Vec<u8>),
    /// Close the connection with a TCP RST, no response.
    Reset,
    /// Answer after a delay.
    Slow(Duration, Vec<u8>),
}

fn http(status: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut s = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.push_str(body);
    Reply::Raw(s.into_bytes())
}

fn json(status: &str, body: &str) -> Reply {
    http(status, &[("Content-Type", "application/json")], body)
}

struct Server {
    urls: SourceUrls,
    hits: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
}

/// Serves `replies` in order (the last one repeats), one connection per request.
async fn serve(replies: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let (h, r) = (hits.clone(), requests.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let n = h.fetch_add(1, Ordering::SeqCst);
            let reply = replies[n.min(replies.len() - 1)].clone();
            let r = r.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => head.extend_from_slice(&buf[..k]),
                    }
                }
                let line = String::from_utf8_lossy(&head).lines().next().unwrap_or("").to_string();
                r.lock().unwrap().push(line);
                match reply {
                    Reply::Raw(bytes) => {
                        let _ = sock.write_all(&bytes).await;
                        let _ = sock.shutdown().await;
                    }
                    Reply::Slow(d, bytes) => {
                        tokio::time::sleep(d).await;
                        let _ = sock.write_all(&bytes).await;
                    }
                    Reply::Reset => {
                        #[allow(deprecated)]
                        let _ = sock.set_linger(Some(Duration::ZERO));
                        drop(sock);
                    }
                }
            });
        }
    });
    Server { urls: SourceUrls::all_at(&format!("http://{addr}")), hits, requests }
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchSettings::with_base_delay(Duration::from_millis(5)), Some(Secret::new(KEY)), Redactor::default())
        .unwrap()
}

fn stats_req(s: &Server) -> crate::sources::SourceRequest {
    nba_stats::schedule(&s.urls, "2024-25".parse().unwrap())
}

#[tokio::test]
async fn rate_limited_then_ok_honours_retry_after() {
    let s =
        serve(vec![json("429 Too Many Requests", "{}").with_header("Retry-After", "1"), json("200 OK", "{\"ok\":1}")])
            .await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    assert!(out.is_success(), "{:?}", out.failure());
    assert_eq!((out.attempts, out.status), (2, Some(200)));
    assert_eq!(out.attempt_log[0].failure, Some(FailureClass::RateLimited));
    assert!(out.duration >= Duration::from_secs(1), "waited {:?}", out.duration);
    assert_eq!(out.bytes, 8);
    assert_eq!(&out.result.unwrap()[..], b"{\"ok\":1}");
}

#[tokio::test]
async fn server_errors_fail_transiently_after_exactly_three_attempts() {
    let s = serve(vec![json("500 Internal Server Error", "{\"error\":\"boom\"}")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    let f = out.failure().unwrap();
    assert_eq!((f.kind, f.class), (FailureKind::Transient, FailureClass::ServerError));
    assert_eq!(out.attempts, 3);
    assert_eq!(s.hits.load(Ordering::SeqCst), 3);
    assert_eq!(out.attempt_log.len(), 3);
    assert!(f.message.contains("HTTP 500"), "{}", f.message);
}

#[tokio::test]
async fn not_found_is_permanent_after_one_attempt() {
    let s = serve(vec![json("404 Not Found", "{\"message\":\"no such game\"}")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    assert_eq!(out.failure().map(|f| f.kind), Some(FailureKind::Permanent));
    assert_eq!((out.attempts, s.hits.load(Ordering::SeqCst)), (1, 1));
    assert!(out.is_not_found());
}

#[tokio::test]
async fn html_page_is_transient() {
    let html = http("200 OK", &[("Content-Type", "text/html")], "<html><body>Are you a robot?</body></html>");
    let s = serve(vec![html, json("200 OK", "[]")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    assert!(out.is_success());
    assert_eq!(out.attempt_log[0].failure, Some(FailureClass::HtmlPage));
    let s = serve(vec![http("200 OK", &[("Content-Type", "text/html")], "<html></html>")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    assert_eq!(out.failure().map(|f| (f.kind, f.class)), Some((FailureKind::Transient, FailureClass::HtmlPage)));
    assert_eq!(out.attempts, 3);
}

#[tokio::test]
async fn truncated_and_invalid_json_are_transient() {
    let s = serve(vec![json("200 OK", "{\"resultSets\":[{\"rowSet\":[1,2")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    let f = out.failure().unwrap();
    assert_eq!((f.kind, f.class, out.attempts), (FailureKind::Transient, FailureClass::InvalidJson, 3));
    // A body shorter than its Content-Length: the connection ends mid-body.
    let short = Reply::Raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"a\":".to_vec());
    let s = serve(vec![short, json("200 OK", "{}")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    assert!(out.is_success());
    assert_eq!(out.attempt_log[0].failure, Some(FailureClass::Connection));
}

#[tokio::test]
async fn odds_api_message_is_permanent_and_the_key_never_leaks() {
    let body = format!("{{\"message\":\"Invalid key {KEY} for /v4/x?apiKey={KEY}\",\"error_code\":\"INVALID_KEY\"}}");
    let s = serve(vec![json("401 Unauthorized", &body)]).await;
    let req = odds_api::historical_events(&s.urls, chrono::Utc::now());
    let out = fetcher().fetch(&req).await;
    let f = out.failure().unwrap();
    assert_eq!((f.kind, f.class, out.attempts), (FailureKind::Permanent, FailureClass::ApiError, 1));
    assert!(!f.message.contains(KEY), "{}", f.message);
    assert!(!out.url.contains(KEY) && !format!("{out:?}").contains(KEY));
    assert!(f.message.contains("INVALID_KEY"), "{}", f.message);
    let sent = s.requests.lock().unwrap()[0].clone();
    assert!(sent.contains(&format!("apiKey={KEY}")), "the key is sent: {sent}");
    // A 200 carrying an error body is an error too.
    let s = serve(vec![json("200 OK", "{\"message\":\"quota reached\"}")]).await;
    let out = fetcher().fetch(&odds_api::historical_events(&s.urls, chrono::Utc::now())).await;
    assert_eq!(out.failure().map(|f| f.kind), Some(FailureKind::Permanent));
}

#[tokio::test]
async fn reset_connection_is_transient() {
    let s = serve(vec![Reply::Reset, json("200 OK", "{}")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    assert!(out.is_success(), "{:?}", out.failure());
    assert_eq!(out.attempt_log[0].failure, Some(FailureClass::Connection));
    assert_eq!(out.attempts, 2);
    let s = serve(vec![Reply::Reset]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    assert_eq!(out.failure().map(|f| f.kind), Some(FailureKind::Transient));
    assert_eq!(out.attempts, 3);
}

#[tokio::test]
async fn network_errors_on_keyed_requests_do_not_print_the_key() {
    let s = serve(vec![Reply::Reset]).await;
    let out = fetcher().fetch(&odds_api::historical_events(&s.urls, chrono::Utc::now())).await;
    let f = out.failure().unwrap();
    assert_eq!(f.class, FailureClass::Connection);
    assert!(!f.message.contains(KEY) && !f.message.to_ascii_lowercase().contains("apikey"), "{}", f.message);
    assert!(f.message.len() <= crate::sources::fetch::MAX_MESSAGE_CHARS);
}

#[tokio::test]
async fn long_error_bodies_are_clipped() {
    let s = serve(vec![json("400 Bad Request", &"x".repeat(5_000))]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    let f = out.failure().unwrap();
    assert_eq!(f.kind, FailureKind::Permanent);
    assert!(f.message.chars().count() <= 1_000);
    assert_eq!(out.bytes, 5_000);
}

#[tokio::test]
async fn timeouts_are_transient() {
    let s =
        serve(vec![Reply::Slow(Duration::from_secs(3), b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec())])
            .await;
    let settings = FetchSettings {
        total_timeout: Duration::from_millis(200),
        ..FetchSettings::with_base_delay(Duration::from_millis(5))
    };
    let f = Fetcher::new(settings, None, Redactor::default()).unwrap();
    let out = f.fetch(&stats_req(&s)).await;
    assert_eq!(out.failure().map(|f| (f.kind, f.class)), Some((FailureKind::Transient, FailureClass::Timeout)));
    assert_eq!(out.attempts, 3);
}

#[tokio::test]
async fn retry_after_beyond_the_policy_is_not_waited_on() {
    let s = serve(vec![json("503 Service Unavailable", "{}").with_header("Retry-After", "3600")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    let f = out.failure().unwrap();
    assert_eq!((f.kind, out.attempts), (FailureKind::Transient, 1));
    assert!(f.message.contains("Retry-After 3600s"), "{}", f.message);
}

#[tokio::test]
async fn missing_key_sends_nothing() {
    let s = serve(vec![json("200 OK", "[]")]).await;
    let f = Fetcher::new(FetchSettings::DEFAULT, None, Redactor::default()).unwrap();
    let out = f.fetch(&odds_api::historical_events(&s.urls, chrono::Utc::now())).await;
    let fail = out.failure().unwrap();
    assert_eq!((fail.class, out.attempts), (FailureClass::Misconfigured, 0));
    assert_eq!(s.hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn nba_requests_carry_browser_headers() {
    let s = serve(vec![json("200 OK", "{}")]).await;
    let out = fetcher().fetch(&stats_req(&s)).await;
    assert!(out.is_success());
    let line = s.requests.lock().unwrap()[0].clone();
    assert_eq!(line, "GET /stats/scheduleleaguev2int?LeagueID=00&Season=2024-25 HTTP/1.1");
}

#[tokio::test]
async fn breaker_opens_after_five_failed_fetches_and_then_sends_nothing() {
    use crate::adapters::local::SqliteStateStore;
    use crate::clock::ManualClock;
    use crate::sources::{BreakerConfig, CircuitBreaker};
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStateStore::open(dir.path().join("s.sqlite")).unwrap());
    let clock = ManualClock::new(chrono::Utc::now());
    let b = CircuitBreaker::new(store, Arc::new(clock.clone()), "source#nba_stats", BreakerConfig::default());
    let s = serve(vec![json("500 Internal Server Error", "{}")]).await;
    let f = fetcher();
    for _ in 0..5 {
        let out = b.fetch(&f, &stats_req(&s)).await.unwrap();
        assert_eq!(out.failure().map(|f| f.class), Some(FailureClass::ServerError));
    }
    assert_eq!(s.hits.load(Ordering::SeqCst), 15);
    let out = b.fetch(&f, &stats_req(&s)).await.unwrap();
    assert_eq!((out.failure().map(|f| f.class), out.attempts), (Some(FailureClass::CircuitOpen), 0));
    assert_eq!(s.hits.load(Ordering::SeqCst), 15, "nothing sent while open");
    clock.advance(chrono::Duration::minutes(5));
    let out = b.fetch(&f, &stats_req(&s)).await.unwrap();
    assert_eq!(out.attempts, 3, "one probe, itself retried by the policy");
}

trait WithHeader {
    fn with_header(self, k: &str, v: &str) -> Reply;
}

impl WithHeader for Reply {
    fn with_header(self, k: &str, v: &str) -> Reply {
        match self {
            Reply::Raw(b) => {
                let s = String::from_utf8(b).unwrap();
                Reply::Raw(s.replacen("\r\n", &format!("\r\n{k}: {v}\r\n"), 1).into_bytes())
            }
            other => other,
        }
    }
}
