//! Tenant-wide settings: the edition and the audit log.

use crate::authz::{Op, Target};
use crate::domain::Edition;
use crate::domain::audit::AuditEvent;
use crate::store::T;

use super::error::Result;
use super::{Console, Session, TENANT_KEY};

impl Console {
    pub fn edition(&self, s: &Session) -> Result<Edition> {
        self.require(s, Op::GetEdition, &Target::Tenant, "the edition")?;
        Ok(self.tenant().edition)
    }

    /// Upgrading or downgrading the edition is a purchase (bss).
    pub fn set_edition(&self, s: &Session, edition: Edition) -> Result<()> {
        self.require_purchase(
            s,
            (Op::ModifyEdition, &Target::Tenant),
            Op::ModifyInstance,
            "the edition",
        )?;
        let mut tenant = self.tenant();
        tenant.edition = edition;
        self.change(
            s,
            Op::ModifyInstance,
            &format!("edition {}", edition.title()),
            |tx| tx.put(T::Meta, TENANT_KEY, &tenant),
        )?;
        *self.tenant.write().unwrap_or_else(|e| e.into_inner()) = tenant;
        Ok(())
    }

    /// The newest `limit` audit events, newest first: for the account, Tenant and Security
    /// Administrators.
    pub fn audit_log(&self, s: &Session, limit: usize) -> Result<Vec<AuditEvent>> {
        self.require(s, Op::ListAuditEvents, &Target::Tenant, "the audit log")?;
        Ok(self.store.last(T::Audit, limit)?)
    }
}
