//! SSH public keys a principal logs on to `dwc serve` with (DESIGN §12): one's own to manage,
//! anyone's for the account and Tenant Administrators. Stored by SHA256 fingerprint.

use russh::keys::PublicKey;
use serde::{Deserialize, Serialize};

use crate::authz::{Op, Target};
use crate::domain::Timestamp;
use crate::store::T;

use super::error::{ConsoleError, Result};
use super::logon::fingerprint;
use super::{Console, Session, fail};

/// The longest public-key line accepted (an RSA 16384-bit key fits with room to spare).
pub const MAX_KEY_TEXT: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRecord {
    pub user: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    pub label: String,
    pub algorithm: String,
    /// The key in OpenSSH's one-line form, without its comment.
    pub public_key: String,
    pub added_at: Timestamp,
    pub added_by: String,
}

impl KeyRecord {
    /// Whether `k` is this very key (not merely one with the same fingerprint text).
    pub fn key_data_matches(&self, k: &PublicKey) -> bool {
        PublicKey::from_openssh(&self.public_key).is_ok_and(|mine| mine.key_data() == k.key_data())
    }
}

/// Reads one public key in OpenSSH's form (`ssh-ed25519 AAAA… comment`): the key and its comment.
pub fn parse_public_key(field: &str, text: &str) -> Result<PublicKey> {
    if text.len() > MAX_KEY_TEXT {
        return Err(ConsoleError::invalid(
            field,
            format!(
                "is {} bytes; a public key is at most {MAX_KEY_TEXT}",
                text.len()
            ),
        ));
    }
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or_else(|| ConsoleError::invalid(field, "holds no public key"))?;
    if line.contains("PRIVATE KEY") {
        return Err(ConsoleError::invalid(
            field,
            "is a private key: give the .pub file, and keep the private key to yourself",
        ));
    }
    PublicKey::from_openssh(line).map_err(|e| {
        ConsoleError::invalid(
            field,
            format!("is not an OpenSSH public key (such as `ssh-ed25519 AAAA… name`): {e}"),
        )
    })
}

fn check_label(label: &str) -> Result<()> {
    if label.is_empty() || label.chars().count() > 64 {
        return Err(ConsoleError::invalid("name", "must be 1 to 64 characters"));
    }
    if label.chars().any(|c| c.is_control()) {
        return Err(ConsoleError::invalid(
            "name",
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// A principal's keys, one record per principal so that a change reads and writes them inside
/// its transaction (sled's transactions read by key, not by range).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRing {
    pub keys: Vec<KeyRecord>,
}

/// The most keys one principal may register.
pub const MAX_KEYS: usize = 32;

impl Console {
    /// The principal must exist: the account, or a RAM user.
    fn key_owner_exists(&self, user: &str) -> Result<()> {
        if user == self.tenant().account || self.store.has(T::Users, user.as_bytes())? {
            Ok(())
        } else {
            Err(ConsoleError::NotFound(format!("user {user}")))
        }
    }

    pub(super) fn key_ring(&self, user: &str) -> Result<KeyRing> {
        Ok(self
            .store
            .get(T::Keys, user.as_bytes())?
            .unwrap_or_default())
    }

    /// Registers a public key for `user`. `label` defaults to the key's comment, else its
    /// algorithm and the fingerprint's start.
    pub fn add_key(
        &self,
        s: &Session,
        user: &str,
        text: &str,
        label: Option<&str>,
    ) -> Result<KeyRecord> {
        let what = format!("key of {user}");
        self.require(s, Op::UploadPublicKey, &Target::RamUser(user), &what)?;
        let prepared = (|| {
            self.key_owner_exists(user)?;
            let k = parse_public_key("file", text)?;
            let fp = fingerprint(&k);
            let label = match label {
                Some(l) => l.trim().to_owned(),
                None if !k.comment().is_empty() => k.comment().to_string(),
                None => format!("{} {}", k.algorithm(), &fp[7..15.min(fp.len())]),
            };
            check_label(&label)?;
            let mut bare = k.clone();
            bare.set_comment("");
            Ok(KeyRecord {
                user: user.to_owned(),
                fingerprint: fp,
                label,
                algorithm: k.algorithm().to_string(),
                public_key: bare
                    .to_openssh()
                    .map_err(|e| ConsoleError::Internal(e.to_string()))?,
                added_at: self.now(),
                added_by: s.who().to_owned(),
            })
        })();
        let rec = self.checked(s, Op::UploadPublicKey, &what, prepared)?;
        let account = self.tenant().account;
        self.change(s, Op::UploadPublicKey, &what, |tx| {
            // The owner may have gone since the request was read.
            if user != account && !tx.has(T::Users, user.as_bytes())? {
                return fail(ConsoleError::NotFound(format!("user {user}")));
            }
            let mut ring: KeyRing = tx.get(T::Keys, user.as_bytes())?.unwrap_or_default();
            if let Some(k) = ring.keys.iter().find(|k| k.fingerprint == rec.fingerprint) {
                return fail(ConsoleError::Conflict(format!(
                    "{user} has this key already, named {} ({})",
                    k.label, rec.fingerprint
                )));
            }
            if ring.keys.iter().any(|k| k.label == rec.label) {
                return fail(ConsoleError::Conflict(format!(
                    "{user} has a key named {} already; give this one another --name",
                    rec.label
                )));
            }
            if ring.keys.len() >= MAX_KEYS {
                return fail(ConsoleError::Conflict(format!(
                    "{user} has {MAX_KEYS} keys, the most one user may have; remove one first"
                )));
            }
            ring.keys.push(rec.clone());
            tx.put(T::Keys, user.as_bytes(), &ring)
        })?;
        Ok(rec)
    }

    pub fn list_keys(&self, s: &Session, user: &str) -> Result<Vec<KeyRecord>> {
        self.require(
            s,
            Op::ListPublicKeys,
            &Target::RamUser(user),
            &format!("keys of {user}"),
        )?;
        self.key_owner_exists(user)?;
        Ok(self.key_ring(user)?.keys)
    }

    /// Removes one of `user`'s keys, named by its fingerprint or its label.
    pub fn remove_key(&self, s: &Session, user: &str, which: &str) -> Result<KeyRecord> {
        let what = format!("key {which} of {user}");
        self.require(s, Op::DeletePublicKey, &Target::RamUser(user), &what)?;
        self.change(s, Op::DeletePublicKey, &what, |tx| {
            let mut ring: KeyRing = tx.get(T::Keys, user.as_bytes())?.unwrap_or_default();
            let Some(i) = ring
                .keys
                .iter()
                .position(|r| r.fingerprint == which || r.label == which)
            else {
                return fail(ConsoleError::NotFound(format!(
                    "key {which} of {user} (give its SHA256 fingerprint or its name, as `dwc user key list {user}` shows)"
                )));
            };
            let rec = ring.keys.remove(i);
            if ring.keys.is_empty() {
                tx.del(T::Keys, user.as_bytes())?;
            } else {
                tx.put(T::Keys, user.as_bytes(), &ring)?;
            }
            Ok(rec)
        })
    }
}
