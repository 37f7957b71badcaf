//! The request counters: one per kind of request, lock-free, shared by a context's decorators.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

/// A kind of request, named like the service's API call it stands for. Each is one attribute of
/// the `METRICS#{date}` item, so the names are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    S3Get,
    /// `PutObject`, conditional or not.
    S3Put,
    S3List,
    S3Delete,
    DynamoGet,
    /// `Query`, on the table or on the status index.
    DynamoQuery,
    DynamoPut,
    DynamoUpdate,
    DynamoDelete,
    /// One `SendMessage`, or one `SendMessageBatch` of up to 10 messages.
    SqsSend,
    SqsReceive,
    /// `DeleteMessage` (an acknowledged message).
    SqsDelete,
    /// `ChangeMessageVisibility` and `GetQueueAttributes`.
    SqsOther,
}

impl Op {
    pub const ALL: [Op; 13] = [
        Op::S3Get,
        Op::S3Put,
        Op::S3List,
        Op::S3Delete,
        Op::DynamoGet,
        Op::DynamoQuery,
        Op::DynamoPut,
        Op::DynamoUpdate,
        Op::DynamoDelete,
        Op::SqsSend,
        Op::SqsReceive,
        Op::SqsDelete,
        Op::SqsOther,
    ];

    /// The attribute name in the metrics item and the key in JSON summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::S3Get => "s3_get",
            Op::S3Put => "s3_put",
            Op::S3List => "s3_list",
            Op::S3Delete => "s3_delete",
            Op::DynamoGet => "dynamodb_get",
            Op::DynamoQuery => "dynamodb_query",
            Op::DynamoPut => "dynamodb_put",
            Op::DynamoUpdate => "dynamodb_update",
            Op::DynamoDelete => "dynamodb_delete",
            Op::SqsSend => "sqs_send",
            Op::SqsReceive => "sqs_receive",
            Op::SqsDelete => "sqs_delete",
            Op::SqsOther => "sqs_other",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Live counters. Taken (and reset) once per invocation, so the same counters serve every
/// invocation of a warm Lambda instance.
#[derive(Debug, Default)]
pub struct RequestCounts {
    counts: [AtomicU64; Op::ALL.len()],
}

impl RequestCounts {
    pub fn record(&self, op: Op) {
        self.add(op, 1);
    }

    pub fn add(&self, op: Op, n: u64) {
        self.counts[op.index()].fetch_add(n, Ordering::Relaxed);
    }

    /// The counts so far, without resetting them.
    pub fn peek(&self) -> RequestTally {
        RequestTally { counts: std::array::from_fn(|i| self.counts[i].load(Ordering::Relaxed)) }
    }

    /// The counts so far, resetting them to zero (each request is taken exactly once, even
    /// while other tasks keep counting).
    pub fn take(&self) -> RequestTally {
        RequestTally { counts: std::array::from_fn(|i| self.counts[i].swap(0, Ordering::Relaxed)) }
    }

    /// Puts a tally back (its write failed): the requests are reported with the next one.
    pub fn restore(&self, tally: &RequestTally) {
        for op in Op::ALL {
            self.add(op, tally.get(op));
        }
    }
}

/// Counts of requests by kind: an invocation's, or a whole day's as read back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestTally {
    counts: [u64; Op::ALL.len()],
}

impl RequestTally {
    pub fn get(&self, op: Op) -> u64 {
        self.counts[op.index()]
    }

    pub fn with(mut self, op: Op, n: u64) -> Self {
        self.counts[op.index()] += n;
        self
    }

    pub fn is_empty(&self) -> bool {
        self.counts.iter().all(|&n| n == 0)
    }

    fn sum(&self, ops: &[Op]) -> u64 {
        ops.iter().map(|&op| self.get(op)).sum()
    }

    pub fn s3(&self) -> u64 {
        self.sum(&[Op::S3Get, Op::S3Put, Op::S3List, Op::S3Delete])
    }

    /// Reads: `GetItem` and `Query`.
    pub fn dynamo_reads(&self) -> u64 {
        self.sum(&[Op::DynamoGet, Op::DynamoQuery])
    }

    /// Writes: `PutItem`, `UpdateItem`, `DeleteItem`.
    pub fn dynamo_writes(&self) -> u64 {
        self.sum(&[Op::DynamoPut, Op::DynamoUpdate, Op::DynamoDelete])
    }

    pub fn sqs(&self) -> u64 {
        self.sum(&[Op::SqsSend, Op::SqsReceive, Op::SqsDelete, Op::SqsOther])
    }

    /// From the attributes of a metrics item (absent attributes are 0).
    pub fn from_attrs(attrs: &Map<String, Value>) -> Self {
        let mut t = Self::default();
        for op in Op::ALL {
            let n = attrs.get(op.as_str()).and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f.max(0.0) as u64)));
            t.counts[op.index()] = n.unwrap_or(0);
        }
        t
    }

    /// Every count by name, plus the per-service totals.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        for op in Op::ALL {
            m.insert(op.as_str().to_string(), self.get(op).into());
        }
        m.insert("s3_total".into(), self.s3().into());
        m.insert("dynamodb_reads".into(), self.dynamo_reads().into());
        m.insert("dynamodb_writes".into(), self.dynamo_writes().into());
        m.insert("sqs_total".into(), self.sqs().into());
        Value::Object(m)
    }

    /// One line for a human: `S3 12 (get 5, put 4, list 3, delete 0); DynamoDB ...`.
    pub fn describe(&self) -> String {
        format!(
            "S3 {} (get {}, put {}, list {}, delete {}); DynamoDB {} reads, {} writes; SQS {} ({} sends)",
            self.s3(),
            self.get(Op::S3Get),
            self.get(Op::S3Put),
            self.get(Op::S3List),
            self.get(Op::S3Delete),
            self.dynamo_reads(),
            self.dynamo_writes(),
            self.sqs(),
            self.get(Op::SqsSend),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_resets_and_restore_puts_back() {
        let c = RequestCounts::default();
        c.record(Op::S3Get);
        c.add(Op::DynamoUpdate, 3);
        let t = c.take();
        assert_eq!((t.get(Op::S3Get), t.get(Op::DynamoUpdate), t.dynamo_writes()), (1, 3, 3));
        assert!(c.peek().is_empty());
        c.record(Op::SqsSend);
        c.restore(&t);
        assert_eq!(c.take(), t.with(Op::SqsSend, 1));
    }

    #[test]
    fn attribute_names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = Op::ALL.iter().map(|o| o.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Op::ALL.len());
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(op.index(), i, "ALL is in declaration order");
        }
        let t = Op::ALL.iter().enumerate().fold(RequestTally::default(), |t, (i, &op)| t.with(op, i as u64 + 1));
        let back = RequestTally::from_attrs(t.to_json().as_object().unwrap());
        assert_eq!(back, t);
        assert_eq!(t.s3(), 1 + 2 + 3 + 4);
    }
}
