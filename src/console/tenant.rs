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

    /// Upgrading or downgrading the edition is a purchase (bss). With an edition subscription
    /// active, it is that item's upgrade or downgrade, billed as such (`modify_purchase`).
    pub fn set_edition(&self, s: &Session, edition: Edition) -> Result<()> {
        if let Some(item) = self.active_edition_item()? {
            self.modify_purchase(s, &item, super::Modify::Edition(edition))?;
            return Ok(());
        }
        self.require_edition_change(s)?;
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

    /// Changing the edition is a DataWorks operation and a purchase (bss).
    pub(super) fn require_edition_change(&self, s: &Session) -> Result<()> {
        self.require_purchase(
            s,
            (Op::ModifyEdition, &Target::Tenant),
            Op::ModifyInstance,
            "the edition",
        )
    }

    /// The active edition subscription, if the tenant bought one.
    fn active_edition_item(&self) -> Result<Option<String>> {
        use crate::domain::purchase::{Billing, PurchaseKind, PurchaseStatus};
        let items: Vec<crate::domain::purchase::PurchasedItem> =
            self.store.scan(T::Purchases, b"")?;
        Ok(items
            .into_iter()
            .find(|p| {
                matches!(p.kind, PurchaseKind::Edition(_))
                    && p.status == PurchaseStatus::Active
                    && matches!(p.billing, Billing::Subscription { .. })
            })
            .map(|p| p.id))
    }

    /// The newest `limit` audit events, newest first: for the account, Tenant and Security
    /// Administrators.
    pub fn audit_log(&self, s: &Session, limit: usize) -> Result<Vec<AuditEvent>> {
        self.require(s, Op::ListAuditEvents, &Target::Tenant, "the audit log")?;
        Ok(self.store.last(T::Audit, limit)?)
    }
}
