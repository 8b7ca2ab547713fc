//! Values on disk: one schema-version byte, then JSON. JSON keeps a damaged store readable by a
//! person; the version byte lets a later dwc migrate old records and refuse newer ones.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;

pub const SCHEMA_VERSION: u8 = 1;

pub fn encode<V: Serialize>(v: &V) -> Vec<u8> {
    let mut out = vec![SCHEMA_VERSION];
    // Serializing our own types to JSON cannot fail: no maps with non-string keys, no I/O.
    serde_json::to_writer(&mut out, v).expect("records serialize to JSON");
    out
}

pub fn decode<V: DeserializeOwned>(
    tree: &'static str,
    key: &[u8],
    bytes: &[u8],
) -> Result<V, StoreError> {
    let corrupt = |message: String| StoreError::Corrupt {
        tree,
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        message,
    };
    match bytes.split_first() {
        Some((&SCHEMA_VERSION, rest)) => {
            serde_json::from_slice(rest).map_err(|e| corrupt(e.to_string()))
        }
        Some((&v, _)) if v > SCHEMA_VERSION => Err(corrupt(format!(
            "written with schema {v}, newer than this dwc's {SCHEMA_VERSION}"
        ))),
        Some((v, _)) => Err(corrupt(format!("unknown schema {v}"))),
        None => Err(corrupt("empty value".into())),
    }
}
