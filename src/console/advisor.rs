//! `dwc advise` and the Overview's advice: gathers what the session may see and asks the
//! domain's advisor about it. What the session may not see is left out, not guessed.

use crate::authz::{Op, ResourceKind, Target};
use crate::domain::advice::{Facts, Finding, WorkspaceFacts, advise};
use crate::domain::alert::Channel;

use super::error::Result;
use super::{Console, Session};

/// Findings, and how many of the session's workspaces they cover.
#[derive(Debug, Clone)]
pub struct Advice {
    pub findings: Vec<Finding>,
    pub checked: usize,
    pub total: usize,
}

impl Console {
    /// Findings about this region's workspaces, resource groups and alert limits, as far as the
    /// session may see them, most severe first.
    pub fn advise(&self, s: &Session) -> Result<Vec<Finding>> {
        Ok(self.advise_within(s, usize::MAX)?.findings)
    }

    /// The same for at most `limit` workspaces (the Overview's budget on a large tenant).
    pub fn advise_within(&self, s: &Session, limit: usize) -> Result<Advice> {
        // Asked first, so what the session may not see is skipped without a denial in the
        // audit log on every Overview.
        let all_groups = Target::named(ResourceKind::ResourceGroup, "*", &s.region);
        let groups = if self.can(s, Op::ListResourceGroups, &all_groups)?.allowed {
            self.list_resource_groups(s)?
        } else {
            Vec::new()
        };
        // Which workspaces each usable group serves, read once instead of once per workspace.
        let mut served: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for g in groups.iter().filter(|g| g.is_usable()) {
            for w in &g.attached {
                *served.entry(w.as_str()).or_default() += 1;
            }
        }
        let mut workspaces = Vec::new();
        let rows = self.list_workspaces(s)?;
        let total = rows.len();
        for row in rows.into_iter().take(limit) {
            let w = row.workspace;
            let may = |op| {
                self.can_workspace(s, op, &w.name)
                    .map(|v| v.allowed)
                    .unwrap_or(false)
            };
            let members = if may(Op::ListProjectMembers) {
                Some(
                    self.list_members(s, &w.name)?
                        .into_iter()
                        .filter(|m| !m.owner)
                        .map(|m| (m.user, m.roles))
                        .collect(),
                )
            } else {
                None
            };
            let usable_groups = if !groups.is_empty() {
                Some(served.get(w.name.as_str()).copied().unwrap_or(0))
            } else if may(Op::ListProjectResourceGroups) {
                Some(
                    self.workspace_resource_groups(s, &w.name)?
                        .iter()
                        .filter(|g| g.is_usable())
                        .count(),
                )
            } else {
                None
            };
            let compute = if may(Op::ListComputeResources) {
                Some(
                    self.list_compute(s, &w.name)?
                        .into_iter()
                        .map(|c| c.env)
                        .collect(),
                )
            } else {
                None
            };
            let data_sources = if may(Op::ListDataSources) {
                Some(
                    self.list_data_sources(s, &w.name)?
                        .into_iter()
                        .map(|d| d.env)
                        .collect(),
                )
            } else {
                None
            };
            // Only a workspace on the old Data Studio has clusters, and only those who may
            // list them are told.
            let unmapped_clusters = if w.legacy_data_studio && may(Op::ListClusters) {
                Some(self.unmapped_members(&w.name)?)
            } else {
                None
            };
            workspaces.push(WorkspaceFacts {
                unmapped_clusters,
                name: w.name,
                mode: Some(w.mode),
                is_default: w.is_default,
                members,
                usable_groups,
                compute,
                data_sources,
            });
        }
        let alerts = if self.can(s, Op::ListAlertContacts, &Target::Tenant)?.allowed {
            let (limits, usage) = self.alert_settings(s)?;
            Channel::ALL
                .iter()
                .map(|&ch| (ch, limits.get(ch), usage.get(ch).sent_today))
                .collect()
        } else {
            Vec::new()
        };
        let checked = workspaces.len();
        Ok(Advice {
            findings: advise(&Facts {
                now: self.now(),
                workspaces,
                groups,
                alerts,
            }),
            checked,
            total,
        })
    }
}
