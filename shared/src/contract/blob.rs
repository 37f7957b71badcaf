use bytes::Bytes;

use crate::ports::BlobStore;

pub async fn run(store: &dyn BlobStore, ns: &str) {
    let k = |s: &str| format!("{ns}/{s}");

    assert_eq!(store.get(&k("missing.json")).await.unwrap(), None, "missing object is None");

    store.put(&k("raw/a/2025-01-15/x.json"), Bytes::from_static(b"{\"a\":1}")).await.unwrap();
    assert_eq!(store.get(&k("raw/a/2025-01-15/x.json")).await.unwrap().unwrap(), Bytes::from_static(b"{\"a\":1}"));

    // overwrite replaces the whole object
    store.put(&k("raw/a/2025-01-15/x.json"), Bytes::from_static(b"{}")).await.unwrap();
    assert_eq!(store.get(&k("raw/a/2025-01-15/x.json")).await.unwrap().unwrap(), Bytes::from_static(b"{}"));

    // conditional put: the first wins, the second writes nothing
    assert!(store.put_if_absent(&k("claims/one"), Bytes::from_static(b"first")).await.unwrap());
    assert!(!store.put_if_absent(&k("claims/one"), Bytes::from_static(b"second")).await.unwrap());
    assert_eq!(store.get(&k("claims/one")).await.unwrap().unwrap(), Bytes::from_static(b"first"));

    // list by prefix, sorted, with sizes; siblings sharing a name prefix are distinguished
    store.put(&k("raw/a/2025-01-16/y.json"), Bytes::from_static(b"12345")).await.unwrap();
    store.put(&k("raw/ab/2025-01-16/z.json"), Bytes::from_static(b"z")).await.unwrap();
    let listed = store.list(&k("raw/a/")).await.unwrap();
    let keys: Vec<_> = listed.iter().map(|m| m.key.clone()).collect();
    assert_eq!(keys, [k("raw/a/2025-01-15/x.json"), k("raw/a/2025-01-16/y.json")]);
    assert_eq!(listed[1].size, 5);
    let partial = store.list(&k("raw/a")).await.unwrap();
    assert_eq!(partial.len(), 3, "a non-directory prefix matches by string: {partial:?}");
    assert!(store.list(&k("nothing-here/")).await.unwrap().is_empty());

    // the listed version stays while the object does, and changes when it is rewritten
    let version = |listed: Vec<crate::ports::ObjectMeta>| listed.into_iter().next().unwrap().version;
    let v1 = version(store.list(&k("raw/ab/")).await.unwrap());
    assert!(!v1.is_empty());
    assert_eq!(version(store.list(&k("raw/ab/")).await.unwrap()), v1);
    store.put(&k("raw/ab/2025-01-16/z.json"), Bytes::from_static(b"zz")).await.unwrap();
    assert_ne!(version(store.list(&k("raw/ab/")).await.unwrap()), v1, "a rewrite is a new version");

    // delete, and deleting again is fine
    store.delete(&k("raw/a/2025-01-15/x.json")).await.unwrap();
    store.delete(&k("raw/a/2025-01-15/x.json")).await.unwrap();
    assert_eq!(store.get(&k("raw/a/2025-01-15/x.json")).await.unwrap(), None);

    // a 1 MiB binary object round-trips byte for byte
    let big: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    store.put(&k("big.bin"), Bytes::from(big.clone())).await.unwrap();
    assert_eq!(store.get(&k("big.bin")).await.unwrap().unwrap().as_ref(), big.as_slice());

    // invalid keys are refused by name
    let err = store.put(&format!("{ns}/../x"), Bytes::new()).await.unwrap_err();
    assert!(err.to_string().contains("../x"), "{err}");
}
