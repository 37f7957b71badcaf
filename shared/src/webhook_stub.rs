//! A local stand-in for a Slack webhook, for tests of any crate: answers each request with the
//! next scripted status (200 once the script is used up) and records what it received.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The canary secret of [`SlackStub::url`].
pub const CANARY: &str = "sk-canary-123";

#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub body: String,
}

/// A listener on 127.0.0.1 (a free port), served until the runtime ends.
pub struct SlackStub {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl SlackStub {
    pub async fn start(script: &[u16]) -> SlackStub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener.local_addr().unwrap_or_else(|e| panic!("local addr: {e}")).port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.iter().copied().rev().collect::<Vec<u16>>()));
        let (reqs, scr) = (requests.clone(), script.clone());
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let (reqs, scr) = (reqs.clone(), scr.clone());
                tokio::spawn(async move { serve(conn, reqs, scr).await });
            }
        });
        SlackStub { port, requests }
    }

    /// The webhook URL, with the canary secret in its path (tests assert it never leaks).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook/{CANARY}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

async fn serve(mut conn: TcpStream, reqs: Arc<Mutex<Vec<Request>>>, script: Arc<Mutex<Vec<u16>>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = conn.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let len: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
        .unwrap_or(0);
    while buf.len() < header_end + len {
        let n = conn.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
    let body = String::from_utf8_lossy(&buf[header_end..]).to_string();
    reqs.lock().unwrap_or_else(|p| p.into_inner()).push(Request { path, body });
    let status = script.lock().unwrap_or_else(|p| p.into_inner()).pop().unwrap_or(200);
    let resp = format!("HTTP/1.1 {status} Scripted\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    let _ = conn.write_all(resp.as_bytes()).await;
    let _ = conn.shutdown().await;
}
