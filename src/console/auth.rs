//! Passwords (argon2id, never stored or shown in clear) and data-source secrets (ChaCha20-Poly1305
//! under a key file that `init` creates with mode 0600).

use std::fs;
use std::io::Write;
use std::path::Path;

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use super::error::{ConsoleError, Result};

pub const KEY_FILE: &str = "secret.key";
pub const MIN_PASSWORD: usize = 8;

pub fn check_password(field: &str, password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(ConsoleError::invalid(
            field,
            format!("must be at least {MIN_PASSWORD} characters"),
        ));
    }
    if password.len() > 256 {
        return Err(ConsoleError::invalid(
            field,
            "must be at most 256 characters",
        ));
    }
    Ok(())
}

/// OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane. dwc never hashes with less.
pub const MIN_MEMORY_KIB: u32 = 19_456;
pub const MIN_PASSES: u32 = 2;
pub const MIN_LANES: u32 = 1;

/// The argon2id cost new hashes are made with: `DWC_ARGON2="m=65536,t=3,p=1"` raises it; the
/// minimum is OWASP's.
pub fn params_from(text: Option<&str>) -> Result<argon2::Params> {
    let (mut m, mut t, mut p) = (MIN_MEMORY_KIB, MIN_PASSES, MIN_LANES);
    let rule = format!(
        "must be m=KIB,t=PASSES,p=LANES with m ≥ {MIN_MEMORY_KIB}, t ≥ {MIN_PASSES}, p ≥ {MIN_LANES} (OWASP's minimum)"
    );
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        for part in text.split(',') {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| ConsoleError::invalid("DWC_ARGON2", rule.clone()))?;
            let v: u32 = v
                .trim()
                .parse()
                .map_err(|_| ConsoleError::invalid("DWC_ARGON2", rule.clone()))?;
            match k.trim() {
                "m" => m = v,
                "t" => t = v,
                "p" => p = v,
                _ => return Err(ConsoleError::invalid("DWC_ARGON2", rule.clone())),
            }
        }
    }
    if m < MIN_MEMORY_KIB
        || t < MIN_PASSES
        || p < MIN_LANES
        || m > 4 * 1024 * 1024
        || t > 64
        || p > 64
    {
        return Err(ConsoleError::invalid("DWC_ARGON2", rule));
    }
    argon2::Params::new(m, t, p, None)
        .map_err(|e| ConsoleError::invalid("DWC_ARGON2", e.to_string()))
}

static PARAMS: std::sync::OnceLock<Result<argon2::Params>> = std::sync::OnceLock::new();

fn params() -> Result<argon2::Params> {
    PARAMS
        .get_or_init(|| params_from(std::env::var("DWC_ARGON2").ok().as_deref()))
        .clone()
}

/// Refuses a `DWC_ARGON2` below the minimum (or unreadable) as soon as a store opens, not at the
/// first password someone sets.
pub fn check_configured() -> Result<()> {
    params().map(|_| ())
}

fn hasher() -> Result<Argon2<'static>> {
    Ok(Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        params()?,
    ))
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ConsoleError::Internal(format!("hashing a password: {e}")))
}

/// Checks a password against its hash, with the parameters the hash was made with.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Whether a hash was made with less than today's cost (or not with argon2id), so that the next
/// successful log-on should hash the password again.
pub fn needs_rehash(hash: &str) -> bool {
    let Ok(current) = params() else {
        return false;
    };
    let Ok(h) = PasswordHash::new(hash) else {
        return false;
    };
    if h.algorithm != argon2::Algorithm::Argon2id.ident() {
        return true;
    }
    match argon2::Params::try_from(&h) {
        Ok(p) => {
            p.m_cost() < current.m_cost()
                || p.t_cost() < current.t_cost()
                || p.p_cost() < current.p_cost()
        }
        Err(_) => true,
    }
}

/// A password made for someone to change at first log-on: 20 letters and digits.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Where the secret key of the store at `location` lives.
pub fn key_path(location: &Path) -> std::path::PathBuf {
    crate::store::local_dir(location).join(KEY_FILE)
}

/// Writes `key` as the secret key of the store at `location`, 0600 in a 0700 directory;
/// `false` when there is one already, which is left as it is.
pub fn write_key(location: &Path, key: &[u8]) -> Result<bool> {
    let dir = crate::store::local_dir(location);
    let path = dir.join(KEY_FILE);
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(&dir)
        .map_err(|e| ConsoleError::Store(format!("creating {}: {e}", dir.display())))?;
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(&path) {
        Ok(mut f) => f
            .write_all(key)
            .and_then(|_| f.sync_all())
            .map(|_| true)
            .map_err(|e| ConsoleError::Store(format!("writing {}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(ConsoleError::Store(format!(
            "creating {}: {e}",
            path.display()
        ))),
    }
}

/// Encrypts and decrypts secrets with the store's key.
#[derive(Clone)]
pub struct Vault {
    cipher: ChaCha20Poly1305,
}

impl Vault {
    /// Creates the key file (mode 0600) if it does not exist, then loads it. `location` is the
    /// store's; the key lives in its local directory (`store::local_dir`).
    pub fn create_or_load(location: &Path) -> Result<Vault> {
        if !key_path(location).exists() {
            let mut key = [0u8; 32];
            OsRng.fill_bytes(&mut key);
            // Another process sharing the store may have made it first: that one is the key.
            write_key(location, &key)?;
        }
        Vault::load(location)
    }

    pub fn load(location: &Path) -> Result<Vault> {
        let path = key_path(location);
        let bytes = fs::read(&path).map_err(|e| {
            let hint = if crate::store::is_postgres(location) {
                " (a store in PostgreSQL keeps its secret key on each machine that opens it: copy it there from the first, or set DWC_STATE_DIR to where it is)"
            } else {
                ""
            };
            ConsoleError::Store(format!(
                "reading the secret key {}: {e}{hint}",
                path.display()
            ))
        })?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            ConsoleError::Store(format!(
                "the secret key {} is damaged (not 32 bytes)",
                path.display()
            ))
        })?;
        Ok(Vault {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        })
    }

    /// A random nonce, then the ciphertext.
    pub fn seal(&self, plain: &str) -> Vec<u8> {
        self.seal_bytes(plain.as_bytes())
    }

    /// `seal`, for what is not text (a keytab).
    pub fn seal_bytes(&self, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let mut out = nonce.to_vec();
        // Encryption with a valid key and a fresh nonce does not fail for inputs of this size.
        out.extend(
            self.cipher
                .encrypt(Nonce::from_slice(&nonce), plain)
                .expect("encrypt a secret"),
        );
        out
    }

    pub fn open(&self, sealed: &[u8]) -> Result<String> {
        if sealed.len() < 12 {
            return Err(ConsoleError::Internal("a stored secret is damaged".into()));
        }
        let (nonce, ct) = sealed.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| {
                ConsoleError::Internal(
                    "a stored secret does not decrypt with this store's key".into(),
                )
            })?;
        String::from_utf8(plain)
            .map_err(|_| ConsoleError::Internal("a stored secret is not text".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("correct horse"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(check_password("password", "short").is_err());
    }

    #[test]
    fn argon2_cost_is_at_least_owasps_and_old_hashes_are_found() {
        let p = params_from(None).unwrap();
        assert_eq!((p.m_cost(), p.t_cost(), p.p_cost()), (19_456, 2, 1));
        let p = params_from(Some("m=65536,t=3,p=2")).unwrap();
        assert_eq!((p.m_cost(), p.t_cost(), p.p_cost()), (65_536, 3, 2));
        for bad in ["m=1024", "t=1", "x=3", "m=lots", "p=0"] {
            let e = params_from(Some(bad)).unwrap_err().to_string();
            assert!(e.starts_with("DWC_ARGON2: must be"), "{bad}: {e}");
        }
        // A hash made with a lower cost is due for another, verified either way.
        let weak = Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(8_192, 1, 1, None).unwrap(),
        )
        .hash_password(b"old password", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        assert!(verify_password("old password", &weak));
        assert!(needs_rehash(&weak));
        assert!(!needs_rehash(&hash_password("new password").unwrap()));
    }

    #[test]
    fn secrets_round_trip_and_key_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::create_or_load(dir.path()).unwrap();
        let sealed = v.seal("s3cret-pass");
        assert!(!sealed.windows(6).any(|w| w == b"s3cret"));
        assert_ne!(sealed, v.seal("s3cret-pass"), "fresh nonce each time");
        assert_eq!(
            Vault::load(dir.path()).unwrap().open(&sealed).unwrap(),
            "s3cret-pass"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = tempfile::tempdir().unwrap();
        assert!(
            Vault::create_or_load(other.path())
                .unwrap()
                .open(&sealed)
                .is_err()
        );
    }
}
