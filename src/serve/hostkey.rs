//! The server's ed25519 host key, made on first start in the store directory (mode 0600) and
//! reused after, so clients' known_hosts entries stay valid across restarts.

use std::io::Write;
use std::path::Path;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::{Ed25519Keypair, KeypairData};
use russh::keys::{HashAlg, PrivateKey};

use crate::console::ConsoleError;

pub const FILE: &str = "ssh_host_ed25519_key";

fn store_err(path: &Path, what: &str, e: impl std::fmt::Display) -> ConsoleError {
    ConsoleError::Store(format!("{what} {}: {e}", path.display()))
}

/// Loads the host key from `dir`, creating it first if there is none.
pub fn load_or_create(dir: &Path) -> Result<PrivateKey, ConsoleError> {
    let path = dir.join(FILE);
    if !path.exists() {
        let mut seed = [0u8; 32];
        OsRng.fill_bytes(&mut seed);
        let key = PrivateKey::new(
            KeypairData::Ed25519(Ed25519Keypair::from_seed(&seed)),
            "dwc host key",
        )
        .map_err(|e| store_err(&path, "making the host key", e))?;
        let text = key
            .to_openssh(LineEnding::LF)
            .map_err(|e| store_err(&path, "encoding the host key", e))?;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts
            .open(&path)
            .map_err(|e| store_err(&path, "creating", e))?;
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| store_err(&path, "writing", e))?;
    }
    let text = std::fs::read_to_string(&path).map_err(|e| store_err(&path, "reading", e))?;
    PrivateKey::from_openssh(text.as_bytes())
        .map_err(|e| store_err(&path, "the host key is damaged:", e))
}

/// `SHA256:…`, as `ssh-keygen -l` and the client's first-connection prompt show it.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create(dir.path()).unwrap();
        let b = load_or_create(dir.path()).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert!(fingerprint(&a).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
