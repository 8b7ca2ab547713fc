//! Virtual MFA devices (RFC 6238 TOTP, as RAM's): a user's device is created with a secret
//! (shown once, as an `otpauth://` URI and a QR code), bound by a first code, then asked for at
//! every log-on; a code is good once. Unbinding needs the account or a Tenant Administrator.

use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::authz::{Op, Target};
use crate::domain::Timestamp;
use crate::store::T;

use super::error::{ConsoleError, Result};
use super::records::UserRecord;
use super::{Console, Session, fail};

/// A user's device. The secret is sealed under the store's key, like data-source passwords.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaDevice {
    pub secret: Vec<u8>,
    /// Bound by a first code; until then log-on does not ask for one.
    pub bound: bool,
    pub created_at: Timestamp,
    /// The last 30-second step whose code was taken: no code is taken twice.
    #[serde(default)]
    pub last_step: u64,
}

/// What a new device's owner puts into an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrolment {
    pub user: String,
    /// Base32, for typing in by hand.
    pub secret: String,
    pub uri: String,
}

impl Enrolment {
    /// The URI as a QR code in text: two rows of modules per line, with its quiet zone.
    pub fn qr(&self) -> Vec<String> {
        match qrcode::QrCode::new(self.uri.as_bytes()) {
            Ok(code) => code
                .render::<qrcode::render::unicode::Dense1x2>()
                .quiet_zone(true)
                .build()
                .lines()
                .map(str::to_owned)
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

const STEP: u64 = 30;
const ISSUER: &str = "dwc";

fn totp(secret_b32: &str, user: &str) -> Result<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_owned())
        .to_bytes()
        .map_err(|e| ConsoleError::Internal(format!("MFA secret: {e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP,
        bytes,
        Some(ISSUER.to_owned()),
        user.to_owned(),
    )
    .map_err(|e| ConsoleError::Internal(format!("MFA secret: {e}")))
}

/// The step of a code `code` matches at `now`, one step either side allowed for clocks that
/// drift, and only after `last`.
fn matching_step(t: &TOTP, code: &str, now: Timestamp, last: u64) -> Option<u64> {
    let code = code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let step = now.timestamp().max(0) as u64 / STEP;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .filter(|s| *s > last)
        .find(|s| t.generate(s * STEP) == code)
}

/// The code of `secret_b32` at `at`, for tests and demos that stand in for the app.
pub fn code_at(secret_b32: &str, at: Timestamp) -> Result<String> {
    Ok(totp(secret_b32, "x")?.generate(at.timestamp().max(0) as u64))
}

impl Console {
    fn user_record(&self, name: &str) -> Result<UserRecord> {
        self.store
            .get::<UserRecord>(T::Users, name.as_bytes())?
            .ok_or_else(|| ConsoleError::NotFound(format!("user {name}")))
    }

    /// Creates `user`'s device (replacing one not bound yet) and gives its secret, once.
    pub fn mfa_enable(&self, s: &Session, user: &str) -> Result<Enrolment> {
        let label = format!("MFA device of {user}");
        self.require(
            s,
            Op::CreateVirtualMFADevice,
            &Target::RamUser(user),
            &label,
        )?;
        let rec = self.user_record(user)?;
        if rec.mfa.as_ref().is_some_and(|d| d.bound) {
            return Err(ConsoleError::Conflict(format!(
                "{user} has a bound MFA device already; unbind it first (dwc user mfa disable {user})"
            )));
        }
        let secret = Secret::generate_secret().to_encoded().to_string();
        let t = totp(&secret, user)?;
        let device = MfaDevice {
            secret: self.vault.seal(&secret),
            bound: false,
            created_at: self.now(),
            last_step: 0,
        };
        self.change(s, Op::CreateVirtualMFADevice, &label, |tx| {
            let Some(mut u) = tx.get::<UserRecord, _>(T::Users, user.as_bytes())? else {
                return fail(ConsoleError::NotFound(format!("user {user}")));
            };
            if u.mfa.as_ref().is_some_and(|d| d.bound) {
                return fail(ConsoleError::Conflict(format!(
                    "{user} has a bound MFA device already"
                )));
            }
            u.mfa = Some(device.clone());
            tx.put(T::Users, user.as_bytes(), &u)
        })?;
        Ok(Enrolment {
            user: user.to_owned(),
            secret,
            uri: t.get_url(),
        })
    }

    /// Binds `user`'s new device with a first code from the app.
    pub fn mfa_confirm(&self, s: &Session, user: &str, code: &str) -> Result<()> {
        let label = format!("MFA device of {user}");
        self.require(s, Op::BindMFADevice, &Target::RamUser(user), &label)?;
        let rec = self.user_record(user)?;
        let Some(device) = rec.mfa.filter(|d| !d.bound) else {
            return Err(ConsoleError::Conflict(format!(
                "{user} has no MFA device waiting to be bound (dwc user mfa enable {user} makes one)"
            )));
        };
        let t = totp(&self.vault.open(&device.secret)?, user)?;
        let step = self.checked(
            s,
            Op::BindMFADevice,
            &label,
            matching_step(&t, code, self.now(), device.last_step).ok_or_else(|| {
                ConsoleError::invalid("code", "is not the authenticator's current 6-digit code")
            }),
        )?;
        self.change(s, Op::BindMFADevice, &label, |tx| {
            let Some(mut u) = tx.get::<UserRecord, _>(T::Users, user.as_bytes())? else {
                return fail(ConsoleError::NotFound(format!("user {user}")));
            };
            match &mut u.mfa {
                Some(d) if d.secret == device.secret && !d.bound => {
                    d.bound = true;
                    d.last_step = step;
                }
                _ => {
                    return fail(ConsoleError::Conflict(format!(
                        "{label} changed meanwhile; try again"
                    )));
                }
            }
            tx.put(T::Users, user.as_bytes(), &u)
        })
    }

    /// Unbinds and deletes `user`'s device.
    pub fn mfa_disable(&self, s: &Session, user: &str) -> Result<()> {
        let label = format!("MFA device of {user}");
        self.require(s, Op::UnbindMFADevice, &Target::RamUser(user), &label)?;
        if self.user_record(user)?.mfa.is_none() {
            return Err(ConsoleError::NotFound(format!("{user} has no MFA device")));
        }
        self.change(s, Op::UnbindMFADevice, &label, |tx| {
            let Some(mut u) = tx.get::<UserRecord, _>(T::Users, user.as_bytes())? else {
                return fail(ConsoleError::NotFound(format!("user {user}")));
            };
            u.mfa = None;
            tx.put(T::Users, user.as_bytes(), &u)
        })
    }

    /// Whether `user` has a device, and whether it is bound (no secret leaves).
    pub fn mfa_state(&self, user: &str) -> Result<Option<bool>> {
        Ok(self.user_record(user)?.mfa.map(|d| d.bound))
    }

    /// At log-on, after the password or key: `Ok(false)` when the user has no bound device,
    /// `Ok(true)` when `code` is its current code (taken, so it is good once), else why not.
    pub(super) fn check_mfa(&self, name: &str, code: Option<&str>) -> Result<bool> {
        let Some(rec) = self.store.get::<UserRecord>(T::Users, name.as_bytes())? else {
            return Ok(false);
        };
        let Some(device) = rec.mfa.filter(|d| d.bound) else {
            return Ok(false);
        };
        let Some(code) = code else {
            return Err(ConsoleError::MfaRequired(name.to_owned()));
        };
        let t = totp(&self.vault.open(&device.secret)?, name)?;
        let Some(step) = matching_step(&t, code, self.now(), device.last_step) else {
            return Err(ConsoleError::Unauthenticated);
        };
        // Taken inside a transaction, so two log-ons racing with one code cannot both pass.
        self.store.transact::<_, ConsoleError>(|tx| {
            let Some(mut u) = tx.get::<UserRecord, _>(T::Users, name.as_bytes())? else {
                return fail(ConsoleError::Unauthenticated);
            };
            match &mut u.mfa {
                Some(d) if d.bound && d.last_step < step => d.last_step = step,
                _ => return fail(ConsoleError::Unauthenticated),
            }
            tx.put(T::Users, name.as_bytes(), &u)
        })?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_code_matches_its_step_once_and_one_step_either_side() {
        let secret = Secret::generate_secret().to_encoded().to_string();
        let t = totp(&secret, "alice").unwrap();
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 12, 1, 12, 0, 15)
            .unwrap();
        let step = now.timestamp() as u64 / STEP;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(matching_step(&t, &code, now, 0), Some(step));
        assert_eq!(matching_step(&t, &code, now, step), None, "used once");
        let later = now + chrono::Duration::seconds(30);
        assert_eq!(
            matching_step(&t, &code, later, 0),
            Some(step),
            "one step of drift"
        );
        let much_later = now + chrono::Duration::seconds(90);
        assert_eq!(matching_step(&t, &code, much_later, 0), None);
        assert_eq!(matching_step(&t, "12345", now, 0), None);
        assert_eq!(matching_step(&t, "abcdef", now, 0), None);
    }
}
