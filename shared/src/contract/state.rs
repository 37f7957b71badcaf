use serde_json::json;

use crate::ports::{Condition, Item, KeyCondition, StateStore, Update};

pub async fn run(s: &dyn StateStore, ns: &str) {
    let pk = |p: &str| format!("{ns}#{p}");

    // put / get, nested values round-trip
    let item = Item::new(pk("COMPLETION#3#2025-01-15"), "PROC#player_game_summary")
        .with("status", "success")
        .with("rows", 412)
        .with("ratio", 0.5)
        .with("ok", true)
        .with("tags", json!(["a", "b"]))
        .with("detail", json!({"hash": "abc", "n": 2}));
    s.put(item.clone(), Some(Condition::NotExists)).await.unwrap();
    let got = s.get(&item.pk, &item.sk).await.unwrap().unwrap();
    assert_eq!(got.get_str("status"), Some("success"));
    assert_eq!(got.get_i64("rows"), Some(412));
    assert_eq!(got.get_f64("ratio"), Some(0.5));
    assert_eq!(got.get_bool("ok"), Some(true));
    assert_eq!(got.attrs["tags"], json!(["a", "b"]));
    assert_eq!(got.attrs["detail"], json!({"hash": "abc", "n": 2}));
    assert!(s.get(&item.pk, "PROC#other").await.unwrap().is_none());

    // a second conditional create fails and changes nothing
    let dup = item.clone().with("status", "failed");
    let err = s.put(dup, Some(Condition::NotExists)).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err}");
    assert_eq!(s.get(&item.pk, &item.sk).await.unwrap().unwrap().get_str("status"), Some("success"));

    // conditional update on an attribute value
    let up = s
        .update(&item.pk, &item.sk, Update::new().set("status", "partial"), Some(Condition::eq("status", "success")))
        .await
        .unwrap();
    assert_eq!(up.get_str("status"), Some("partial"));
    assert_eq!(up.get_i64("rows"), Some(412), "update keeps other attributes");
    let err = s
        .update(&item.pk, &item.sk, Update::new().set("status", "x"), Some(Condition::eq("status", "success")))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed());

    // atomic counters, created at zero; remove
    let c1 = s.update(&pk("CIRCUIT#nba"), "CIRCUIT", Update::new().add("failures", 1), None).await.unwrap();
    let c2 = s
        .update(&pk("CIRCUIT#nba"), "CIRCUIT", Update::new().add("failures", 2).set("state", "closed"), None)
        .await
        .unwrap();
    assert_eq!((c1.get_i64("failures"), c2.get_i64("failures")), (Some(1), Some(3)));
    let c3 = s.update(&pk("CIRCUIT#nba"), "CIRCUIT", Update::new().remove("state"), None).await.unwrap();
    assert!(c3.attrs.get("state").is_none());

    // less-than conditions (lease expiry, due retries) and or/missing
    s.put(Item::new(pk("LOCK#planner"), "LOCK").with("lease_until", 100), None).await.unwrap();
    let take = |until: i64| Condition::Or(vec![Condition::NotExists, Condition::lt("lease_until", until)]);
    s.put(Item::new(pk("LOCK#planner"), "LOCK").with("lease_until", 200), Some(take(50))).await.unwrap_err();
    s.put(Item::new(pk("LOCK#planner"), "LOCK").with("lease_until", 200), Some(take(150))).await.unwrap();
    s.put(Item::new(pk("LOCK#fresh"), "LOCK").with("lease_until", 1), Some(take(0))).await.unwrap();
    s.update(&pk("LOCK#fresh"), "LOCK", Update::new().set("x", 1), Some(Condition::missing("x"))).await.unwrap();
    s.update(&pk("LOCK#fresh"), "LOCK", Update::new().set("x", 2), Some(Condition::missing("x"))).await.unwrap_err();
    s.update(&pk("LOCK#fresh"), "LOCK", Update::new().set("x", 3), Some(Condition::le("x", 1))).await.unwrap();
    s.update(&pk("LOCK#fresh"), "LOCK", Update::new().set("x", 4), Some(Condition::ne("x", 3))).await.unwrap_err();

    // TTL attribute is stored as a number
    let ttl = 1_900_000_000i64;
    s.put(Item::new(pk("MSG#k1"), "MSG").with("ttl", ttl), Some(Condition::NotExists)).await.unwrap();
    assert_eq!(s.get(&pk("MSG#k1"), "MSG").await.unwrap().unwrap().get_i64("ttl"), Some(ttl));
    let err = s.put(Item::new(pk("MSG#k2"), "MSG").with("ttl", "soon"), None).await.unwrap_err();
    assert!(err.to_string().contains("ttl"), "{err}");

    // prefix queries, in sort-key order
    for proc in ["b_proc", "a_proc", "c_proc"] {
        s.put(Item::new(pk("RUN#x#2025-01-15"), format!("2025-01-15T10:00:00Z#{proc}")).with("p", proc), None)
            .await
            .unwrap();
    }
    s.put(Item::new(pk("RUN#x#2025-01-15"), "META"), None).await.unwrap();
    let runs = s.query(&pk("RUN#x#2025-01-15"), KeyCondition::BeginsWith("2025-".into())).await.unwrap();
    let sks: Vec<_> = runs.iter().map(|i| i.get_str("p").unwrap_or_default().to_string()).collect();
    assert_eq!(sks, ["a_proc", "b_proc", "c_proc"]);
    assert_eq!(s.query(&pk("RUN#x#2025-01-15"), KeyCondition::All).await.unwrap().len(), 4);
    assert!(s.query(&pk("RUN#none"), KeyCondition::All).await.unwrap().is_empty());

    // status index: by gsi1pk, ordered and bounded by gsi1sk
    let status = pk("STATUS#running");
    for (i, at) in ["2025-01-15T09:00:00Z", "2025-01-15T05:00:00Z", "2025-01-15T11:00:00Z"].iter().enumerate() {
        s.put(
            Item::new(pk(&format!("RUN#p{i}#2025-01-15")), *at).with("gsi1pk", status.as_str()).with("gsi1sk", *at),
            None,
        )
        .await
        .unwrap();
    }
    let all = s.query_index(&status, KeyCondition::All).await.unwrap();
    let order: Vec<_> = all.iter().map(|i| i.sk.clone()).collect();
    assert_eq!(order, ["2025-01-15T05:00:00Z", "2025-01-15T09:00:00Z", "2025-01-15T11:00:00Z"]);
    let stale = s.query_index(&status, KeyCondition::LessOrEqual("2025-01-15T09:30:00Z".into())).await.unwrap();
    assert_eq!(stale.len(), 2);
    // moving an item off the index (status changed) removes it from the index
    let first = &all[0];
    s.update(&first.pk, &first.sk, Update::new().remove("gsi1pk").remove("gsi1sk").set("status", "failed"), None)
        .await
        .unwrap();
    assert_eq!(s.query_index(&status, KeyCondition::All).await.unwrap().len(), 2);

    // conditional delete
    s.delete(&pk("LOCK#planner"), "LOCK", Some(Condition::eq("lease_until", 999))).await.unwrap_err();
    s.delete(&pk("LOCK#planner"), "LOCK", Some(Condition::eq("lease_until", 200))).await.unwrap();
    assert!(s.get(&pk("LOCK#planner"), "LOCK").await.unwrap().is_none());
}

/// Two writers (separate connections, clients or processes) race to claim the same key many
/// times over; each time exactly one wins.
pub async fn race(a: &dyn StateStore, b: &dyn StateStore, ns: &str) {
    for round in 0..20 {
        let pk = format!("{ns}#TRIGGER#3to4#2025-01-15");
        let sk = format!("fingerprint-{round}");
        let ia = Item::new(&pk, &sk).with("by", "a");
        let ib = Item::new(&pk, &sk).with("by", "b");
        let (ra, rb) = tokio::join!(a.put(ia, Some(Condition::NotExists)), b.put(ib, Some(Condition::NotExists)));
        let wins = [ra.is_ok(), rb.is_ok()].iter().filter(|w| **w).count();
        assert_eq!(wins, 1, "round {round}: exactly one writer wins ({ra:?} / {rb:?})");
        let loser = if ra.is_ok() { rb } else { ra };
        assert!(loser.unwrap_err().is_condition_failed());
    }
    // counters under contention lose no increment
    let counter = format!("{ns}#COUNTER");
    let (mut fa, mut fb) = (Vec::new(), Vec::new());
    for _ in 0..25 {
        fa.push(a.update(&counter, "C", crate::ports::Update::new().add("n", 1), None));
        fb.push(b.update(&counter, "C", crate::ports::Update::new().add("n", 1), None));
    }
    let (ra, rb) = tokio::join!(futures::future::join_all(fa), futures::future::join_all(fb));
    assert!(ra.iter().chain(rb.iter()).all(|r| r.is_ok()));
    let n = a.get(&counter, "C").await.unwrap().unwrap().get_i64("n");
    assert_eq!(n, Some(50));
}
