//! Moving a whole store between backends (`dwc store copy`): every tree's records as they are
//! stored, into a store that holds nothing yet, then counted and checksummed on both sides.

use sha2::{Digest, Sha256};

use super::{COPYING_KEY, STORE_VERSION, Store, StoreError, T, VERSION_KEY, encode};

/// One tree as copied: how many records, and the checksum both stores agree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tree: &'static str,
    pub records: usize,
    pub checksum: String,
}

/// A value in a form both backends give back alike: the schema byte, then the JSON with its
/// keys sorted and no spacing (PostgreSQL returns a record's JSON in its own key order).
fn canonical(v: &[u8]) -> Vec<u8> {
    match v.split_first() {
        None => Vec::new(),
        Some((version, json)) => {
            let mut out = vec![*version];
            match serde_json::from_slice::<serde_json::Value>(json) {
                // serde_json's maps are sorted by key.
                Ok(value) => out.extend(serde_json::to_vec(&value).unwrap_or_default()),
                Err(_) => out.extend_from_slice(json),
            }
            out
        }
    }
}

/// The checksum of a tree's entries in key order: SHA-256 over each key and canonical value,
/// each prefixed with its length.
pub fn checksum(entries: &[(Vec<u8>, Vec<u8>)]) -> String {
    let mut h = Sha256::new();
    for (k, v) in entries {
        let v = canonical(v);
        h.update((k.len() as u64).to_be_bytes());
        h.update(k);
        h.update((v.len() as u64).to_be_bytes());
        h.update(&v);
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a fresh store holds on its own: its layout version.
fn only_the_version(t: T, k: &[u8]) -> bool {
    t == T::Meta && (k == VERSION_KEY || k == COPYING_KEY)
}

/// Copies every tree of `from` into `to`, which must hold nothing yet, calling `progress` with
/// each tree as it is done; then reads `to` back and compares counts and checksums. Refuses a
/// store of another layout version.
pub fn copy(
    from: &Store,
    to: &Store,
    mut progress: impl FnMut(&Copied),
) -> Result<Vec<Copied>, StoreError> {
    let mismatch = |message: String| StoreError::Io {
        dir: super::shown(to.dir()),
        message,
    };
    for t in T::ALL {
        if to.keys(t, b"")?.iter().any(|k| !only_the_version(t, k)) {
            return Err(mismatch(
                "it already holds a store; copy into an empty one".into(),
            ));
        }
    }
    let version: Option<u32> = from.get(T::Meta, VERSION_KEY)?;
    if version.unwrap_or(STORE_VERSION) != STORE_VERSION {
        return Err(StoreError::Io {
            dir: super::shown(from.dir()),
            message: format!(
                "store version {} is not this dwc's {STORE_VERSION}: open it with this dwc first",
                version.unwrap_or_default()
            ),
        });
    }
    // Until the copy is verified, the destination says it is unfinished (and will not open).
    to.bulk(T::Meta, [(COPYING_KEY.to_vec(), encode(&true))])?;
    to.flush()?;
    let mut report = Vec::new();
    for t in T::ALL {
        let entries: Vec<(Vec<u8>, Vec<u8>)> = from
            .raw_entries(t)?
            .into_iter()
            .filter(|(k, _)| !only_the_version(t, k))
            .collect();
        let done = Copied {
            tree: t.name(),
            records: entries.len(),
            checksum: checksum(&entries),
        };
        to.bulk(t, entries)?;
        progress(&done);
        report.push(done);
    }
    // Ids go on from where the source's were.
    to.raise_ids(from.generate_id()?)?;
    to.flush()?;
    // Read back: what arrived is what left.
    for (t, sent) in T::ALL.iter().zip(&report) {
        let got: Vec<(Vec<u8>, Vec<u8>)> = to
            .raw_entries(*t)?
            .into_iter()
            .filter(|(k, _)| !only_the_version(*t, k))
            .collect();
        if got.len() != sent.records || checksum(&got) != sent.checksum {
            return Err(mismatch(format!(
                "tree {} arrived with {} records (checksum {}), not {} ({})",
                t.name(),
                got.len(),
                checksum(&got),
                sent.records,
                sent.checksum
            )));
        }
    }
    to.transact::<_, ()>(|tx| tx.del(T::Meta, COPYING_KEY))
        .map_err(|e| match e {
            super::TxError::Store(e) => e,
            super::TxError::Abort(()) => mismatch("could not finish".into()),
        })?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_does_not_see_json_spacing_or_key_order() {
        let a = vec![(b"k".to_vec(), b"\x01{\"b\":1,\"a\":[1,2]}".to_vec())];
        let b = vec![(b"k".to_vec(), b"\x01{\"a\": [1, 2], \"b\": 1}".to_vec())];
        assert_eq!(checksum(&a), checksum(&b));
        let c = vec![(b"k".to_vec(), b"\x01{\"a\": [2, 1], \"b\": 1}".to_vec())];
        assert_ne!(checksum(&a), checksum(&c));
        assert_ne!(checksum(&a), checksum(&[]));
    }
}
