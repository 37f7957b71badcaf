use std::time::Duration;

use crate::ports::{Queue, QueueName};

/// Send, batch send, receive, ack. SQS and the embedded queue alike.
pub async fn run(q: &dyn Queue, name: QueueName) {
    q.send(name, "one").await.unwrap();
    q.send_batch(name, &["two".to_string(), "three".to_string()]).await.unwrap();
    let mut bodies = Vec::new();
    for _ in 0..10 {
        let got = q.receive(name, 10, Duration::from_secs(30)).await.unwrap();
        for m in got {
            assert_eq!(m.receive_count, 1, "first delivery");
            bodies.push(m.body.clone());
            q.ack(name, &m.receipt).await.unwrap();
        }
        if bodies.len() == 3 {
            break;
        }
    }
    bodies.sort();
    assert_eq!(bodies, ["one", "three", "two"]);
    assert!(q.receive(name, 10, Duration::from_secs(30)).await.unwrap().is_empty(), "acked messages are gone");

    let too_big = "x".repeat(crate::ports::queue::MAX_MESSAGE_BYTES + 1);
    let err = q.send(name, &too_big).await.unwrap_err();
    assert!(err.to_string().contains(name.as_str()), "{err}");
}

/// A message released (not acked) comes back with a higher receive count; after five
/// receives it lands in the dead-letter queue. The embedded queue runs this; on SQS the redrive
/// policy belongs to the deployed queue (template.yaml), not to the adapter.
pub async fn run_retry_and_dlq(q: &dyn Queue, name: QueueName) {
    q.send(name, "poison").await.unwrap();
    for expected in 1..=5u32 {
        let got = q.receive(name, 1, Duration::from_secs(30)).await.unwrap();
        assert_eq!(got.len(), 1, "delivery {expected}");
        assert_eq!(got[0].receive_count, expected);
        q.release(name, &got[0].receipt).await.unwrap();
    }
    assert!(q.receive(name, 1, Duration::from_secs(30)).await.unwrap().is_empty(), "sixth receive finds nothing");
    let depth = q.depth(name).await.unwrap();
    assert_eq!((depth.visible, depth.in_flight, depth.dead_letters), (0, 0, 1));
}
