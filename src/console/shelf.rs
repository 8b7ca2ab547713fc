//! What every session reads alike, read and decoded once until something is written: the
//! workspaces of a region with their counts. On the 10,000-workspace tenant, fifty consoles
//! loading the Workspaces page (or reloading it after a change) cost one read of the store
//! between writes instead of fifty, so one person's reload no longer holds up the others.

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::Workspace;

use super::Console;
use super::error::Result;
use super::workspaces::WsStats;

/// A region's workspaces, live or not, in the region index's (name) order, each with its counts.
pub(super) struct RegionWorkspaces {
    pub list: Vec<(Workspace, WsStats)>,
}

/// The shelf and the moment it was filled: the store's write count and what other processes
/// were heard to commit.
#[derive(Default)]
pub(super) struct Shelf {
    at: (u64, u64),
    regions: HashMap<String, Arc<RegionWorkspaces>>,
}

impl Console {
    fn shelf_moment(&self) -> (u64, u64) {
        (self.store.writes(), self.others.heard())
    }

    /// The region's workspaces as the store holds them now. Filled under the shelf's lock, so
    /// sessions asking at once wait for one read rather than each making its own; the moment is
    /// taken before reading, so a write landing meanwhile makes the next ask read again.
    pub(super) fn region_workspaces(&self, region: &str) -> Result<Arc<RegionWorkspaces>> {
        let at = self.shelf_moment();
        let mut shelf = self.shelf.lock().unwrap_or_else(|e| e.into_inner());
        if shelf.at != at {
            shelf.regions.clear();
            shelf.at = at;
        }
        if let Some(r) = shelf.regions.get(region) {
            return Ok(r.clone());
        }
        let list: Vec<(Workspace, WsStats)> = self
            .read_candidates(region, None, true)?
            .into_iter()
            .filter(|(w, _, _)| w.region == region)
            .map(|(w, st, _)| (w, st.unwrap_or_default()))
            .collect();
        let r = Arc::new(RegionWorkspaces { list });
        shelf.regions.insert(region.to_owned(), r.clone());
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use crate::console::{Console, SystemClock};
    use crate::domain::workspace::NewWorkspace;
    use crate::domain::{BuiltinRole, RoleRef, Scope};

    /// Whatever is written shows in the next list: the shelf never answers from before a write.
    #[test]
    fn the_shelf_follows_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let c = Console::create_demo(dir.path(), None, Box::new(SystemClock)).unwrap();
        let s = c
            .authenticate(None, None, Scope::Page, "cn-hangzhou")
            .unwrap();
        let names = |c: &Console| -> Vec<String> {
            c.list_workspaces(&s)
                .unwrap()
                .into_iter()
                .map(|r| r.workspace.name)
                .collect()
        };
        let before = names(&c);
        assert!(!before.contains(&"shelf_test".to_owned()));
        c.create_workspace(
            &s,
            NewWorkspace {
                name: "shelf_test".into(),
                display_name: "Shelf test".into(),
                description: String::new(),
                mode: None,
            },
        )
        .unwrap();
        assert_eq!(names(&c).len(), before.len() + 1);
        let count = |c: &Console| {
            c.list_workspaces(&s)
                .unwrap()
                .into_iter()
                .find(|r| r.workspace.name == "shelf_test")
                .map(|r| r.member_count)
        };
        let members = count(&c).unwrap();
        c.add_member(
            &s,
            "shelf_test",
            "alice",
            vec![RoleRef::Builtin(BuiltinRole::Development)],
        )
        .unwrap();
        assert_eq!(count(&c), Some(members + 1));
        assert!(
            c.list_recycle_bin(&s)
                .unwrap()
                .iter()
                .all(|w| w.name != "shelf_test")
        );
        c.delete_workspace(&s, "shelf_test").unwrap();
        assert_eq!(count(&c), None);
        assert!(
            c.list_recycle_bin(&s)
                .unwrap()
                .iter()
                .any(|w| w.name == "shelf_test")
        );
        // A write that failed changes nothing, and the list says so.
        assert!(c.add_member(&s, "shelf_test", "alice", vec![]).is_err());
        assert_eq!(names(&c), before);
    }
}
