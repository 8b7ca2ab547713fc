//! What a page shows, prepared when the page is loaded: tables of text with a selection, tabs and
//! a filter. A list the console refused carries the refusal's explanation instead of rows.

use crate::console::{Console, ConsoleError, Session, WorkspaceRow};
use crate::domain::purchase::format_cents;
use crate::domain::resource_group::Payment;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: super::rows::Rows,
    /// The id of each row (its first column unless told).
    pub ids: Vec<String>,
    /// Why there are no rows: the console's refusal, line by line.
    pub error: Option<Vec<String>>,
    pub selected: usize,
    /// A selected cell within the selected row, for tables whose cells each mean something
    /// (the access matrix).
    pub selected_col: Option<usize>,
}

impl Table {
    pub(super) fn new(title: &str, columns: &[&'static str]) -> Table {
        Table {
            title: title.into(),
            columns: columns.to_vec(),
            ..Default::default()
        }
    }

    pub(super) fn push(&mut self, row: Vec<String>) {
        self.ids.push(row.first().cloned().unwrap_or_default());
        self.rows.push(row);
    }

    fn failed(mut self, e: ConsoleError) -> Table {
        let mut lines = vec![e.to_string()];
        lines.extend(e.explanation().iter().cloned());
        self.error = Some(lines);
        self
    }

    /// The rows that contain the filter text (case-insensitive). Without a filter nothing is
    /// scanned or allocated, so moving and drawing cost the same however long the list is.
    pub fn visible(&self, filter: &str) -> Visible {
        if filter.is_empty() {
            return Visible::All(self.rows.len());
        }
        let f = filter.to_lowercase();
        Visible::Only(
            (0..self.rows.len())
                .filter(|&i| self.rows.row(i).any(|c| c.to_lowercase().contains(&f)))
                .collect(),
        )
    }
}

/// Which rows a filter leaves, by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visible {
    All(usize),
    Only(Vec<usize>),
}

impl Visible {
    pub fn len(&self) -> usize {
        match self {
            Visible::All(n) => *n,
            Visible::Only(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The row index at a position of the filtered list.
    pub fn get(&self, pos: usize) -> Option<usize> {
        match self {
            Visible::All(n) => (pos < *n).then_some(pos),
            Visible::Only(v) => v.get(pos).copied(),
        }
    }

    /// Row indices of positions `from..from + n`.
    pub fn window(&self, from: usize, n: usize) -> Vec<usize> {
        (from..(from + n).min(self.len()))
            .filter_map(|p| self.get(p))
            .collect()
    }
}

/// One page or the details of one workspace: a table per tab.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    pub tabs: Vec<Table>,
    pub tab: usize,
    pub filter: String,
    /// Lines shown above the tables (the Overview's panels).
    pub overview: Option<Overview>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    pub quick_access: Vec<(String, String)>,
    /// Workspaces this user opened most, with how often.
    pub frequent: Vec<String>,
    /// When none was opened yet: some of the user's workspaces to start from.
    pub yours: Vec<String>,
    pub updates: Vec<(String, String)>,
    /// The advisor's findings: severity, subject and message, and the fix.
    pub advice: Vec<(crate::domain::advice::Severity, String, String)>,
    /// Set when only some of the workspaces were checked.
    pub advice_note: Option<String>,
    /// The readiness checklist of seed 000 for `checklist_for`.
    pub checklist_for: Option<String>,
    pub checklist: Vec<(String, bool)>,
    pub error: Option<Vec<String>>,
}

impl View {
    fn single(t: Table) -> View {
        View {
            tabs: vec![t],
            ..Default::default()
        }
    }

    pub fn table(&self) -> &Table {
        static EMPTY: std::sync::LazyLock<Table> = std::sync::LazyLock::new(Table::default);
        self.tabs.get(self.tab).unwrap_or(&EMPTY)
    }

    pub(super) fn table_mut(&mut self) -> Option<&mut Table> {
        self.tabs.get_mut(self.tab)
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.table().visible(&self.filter).len();
        if let Some(t) = self.table_mut() {
            t.selected =
                (t.selected as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize;
        }
    }

    pub fn move_to(&mut self, pos: usize) {
        let n = self.table().visible(&self.filter).len();
        if let Some(t) = self.table_mut() {
            t.selected = pos.min(n.saturating_sub(1));
        }
    }

    /// Keeps the selection inside the filtered rows.
    pub fn clamp(&mut self) {
        self.move_by(0);
    }

    pub fn cycle_tab(&mut self, d: isize) {
        if !self.tabs.is_empty() {
            self.tab = (self.tab as isize + d).rem_euclid(self.tabs.len() as isize) as usize;
            self.clamp();
        }
    }

    /// The id of the selected row, after filtering.
    pub fn selected_id(&self) -> Option<String> {
        let t = self.table();
        t.visible(&self.filter)
            .get(t.selected)
            .map(|i| t.ids[i].clone())
    }

    /// After a reload underneath the person (a job moved on): the same tab, filter and selected
    /// row (by id, else the same position) as `old`.
    pub fn keep_place(&mut self, old: &View) {
        self.tab = old.tab.min(self.tabs.len().saturating_sub(1));
        self.filter = old.filter.clone();
        for (new, was) in self.tabs.iter_mut().zip(&old.tabs) {
            let id = was
                .visible(&old.filter)
                .get(was.selected)
                .map(|i| was.ids[i].clone());
            let visible = new.visible(&old.filter);
            let found = id.and_then(|id| {
                (0..visible.len()).find(|&p| visible.get(p).is_some_and(|i| new.ids[i] == id))
            });
            new.selected = found.unwrap_or(was.selected.min(visible.len().saturating_sub(1)));
        }
    }
}

fn date(t: &crate::domain::Timestamp) -> String {
    t.format("%Y-%m-%d").to_string()
}

pub fn load_page(c: &Console, s: &Session, page: usize) -> View {
    let mut v = load_page_tables(c, s, page);
    // Held until the next reload, by every open session: no growth slack kept.
    for t in &mut v.tabs {
        t.rows.shrink_to_fit();
        t.ids.shrink_to_fit();
    }
    v
}

fn load_page_tables(c: &Console, s: &Session, page: usize) -> View {
    match page {
        0 => overview(c, s),
        1 => View {
            tabs: vec![workspaces(c, s), recycle_bin(c, s)],
            ..Default::default()
        },
        2 => View::single(resource_groups(c, s)),
        3 => View::single(models(c, s)),
        4 => View::single(images(c, s)),
        5 => View {
            tabs: vec![purchases(c, s), bills(c, s)],
            ..Default::default()
        },
        6 => View {
            tabs: vec![
                alerts(c, s),
                contacts(c, s),
                tenant_members(c, s),
                tenant_roles(c, s),
                extensions(c, s),
                outbox(c, s),
                sessions(c, s),
            ],
            ..Default::default()
        },
        _ => View::single(audit(c, s)),
    }
}

fn overview(c: &Console, s: &Session) -> View {
    let mut o = Overview {
        quick_access: vec![
            (
                "2".into(),
                "Workspaces: create and manage workspaces".into(),
            ),
            (
                "3".into(),
                "Resource Groups: buy and attach computing power".into(),
            ),
            ("5".into(), "Image Management: custom runtime images".into()),
            (
                "7".into(),
                "Management Center: alerts, tenant roles, extensions".into(),
            ),
        ],
        updates: crate::tui::app::updates(),
        ..Default::default()
    };
    // The Overview checks at most this many workspaces, to open fast on a large tenant.
    const ADVICE_WORKSPACES: usize = 20;
    if let Ok(a) = c.advise_within(s, ADVICE_WORKSPACES) {
        o.advice = a
            .findings
            .into_iter()
            .map(|f| (f.severity, format!("{}: {}", f.subject, f.message), f.fix))
            .collect();
        if a.checked < a.total {
            o.advice_note = Some(format!(
                "{} of {} workspaces checked here; dwc advise checks all",
                a.checked, a.total
            ));
        }
    }
    let line = |r: &WorkspaceRow| {
        let roles = if r.my_roles.is_empty() {
            String::new()
        } else {
            format!(", {}", r.my_roles.join(", "))
        };
        format!(
            "{}  ({}{roles})",
            r.workspace.name,
            r.workspace.mode.title()
        )
    };
    let loaded = c
        .list_workspaces(s)
        .and_then(|rows| Ok((c.frequent_workspaces(s, 6)?, rows)));
    match loaded {
        Ok((frequent, rows)) => {
            o.frequent = frequent
                .iter()
                .map(|(r, u)| format!("{}  opened {}×", line(r), u.opened))
                .collect();
            if frequent.is_empty() {
                o.yours = rows.iter().take(6).map(line).collect();
            }
            // The checklist follows the workspace last worked in, else the first non-default.
            let last_used = frequent.iter().max_by_key(|(_, u)| u.last).map(|(r, _)| r);
            if let Some(ws) = last_used.or_else(|| {
                rows.iter()
                    .find(|r| !r.workspace.is_default)
                    .or(rows.first())
            }) {
                o.checklist_for = Some(ws.workspace.name.clone());
                o.checklist = readiness(c, s, &ws.workspace.name, ws.member_count);
            }
        }
        Err(e) => {
            let mut lines = vec![e.to_string()];
            lines.extend(e.explanation().iter().cloned());
            o.error = Some(lines);
        }
    }
    View {
        overview: Some(o),
        ..Default::default()
    }
}

/// Seed 000's five steps for one workspace.
pub fn readiness(c: &Console, s: &Session, ws: &str, members: u32) -> Vec<(String, bool)> {
    let groups = c
        .workspace_resource_groups(s, ws)
        .map(|g| g.iter().any(|g| g.is_usable()))
        .unwrap_or(false);
    let compute = c
        .list_compute(s, ws)
        .map(|v| !v.is_empty())
        .unwrap_or(false);
    let sources = c
        .list_data_sources(s, ws)
        .map(|v| v.iter().any(|d| d.from_compute.is_none()))
        .unwrap_or(false);
    vec![
        ("1. Create a workspace".into(), true),
        ("2. Configure and attach a resource group".into(), groups),
        ("3. Add members to the workspace".into(), members > 1),
        ("4. Attach a compute resource".into(), compute),
        ("5. Add a data source".into(), sources),
    ]
}

fn workspaces(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(
        &format!("Workspaces in {}", s.region),
        &[
            "Name",
            "Display name",
            "Mode",
            "Status",
            "Administrators",
            "Members",
            "My roles",
        ],
    );
    match c.list_workspaces(s) {
        Ok(rows) => {
            for r in rows {
                let w = r.workspace;
                let name = if w.is_default {
                    format!("{} (default)", w.name)
                } else {
                    w.name.clone()
                };
                t.rows.push(vec![
                    name,
                    w.display_name,
                    w.mode.title().into(),
                    w.status.title().into(),
                    r.administrators.join(", "),
                    r.member_count.to_string(),
                    r.my_roles.join(", "),
                ]);
                t.ids.push(w.name);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn recycle_bin(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(
        "Recycle bin",
        &["Name", "Display name", "Deleted", "Purged after"],
    );
    match c.list_recycle_bin(s) {
        Ok(ws) => {
            for w in ws {
                let (deleted, purge) = w.recycled.map_or((String::new(), String::new()), |r| {
                    (date(&r.deleted_at), date(&r.purge_at()))
                });
                t.push(vec![w.name, w.display_name, deleted, purge]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn rg_cells(g: &crate::domain::resource_group::ResourceGroup, used_cu: u32) -> Vec<String> {
    let expiry = match g.payment {
        Payment::PrePaid {
            expires_at,
            auto_renew,
            ..
        } => format!(
            "{}{}",
            date(&expires_at),
            if auto_renew { " (auto)" } else { "" }
        ),
        Payment::PostPaid => "-".into(),
    };
    vec![
        g.name.clone(),
        g.status.title().into(),
        format!("{} CU", g.spec_cu),
        usage(used_cu, g.spec_cu),
        g.payment.title().into(),
        expiry,
        g.attached.iter().cloned().collect::<Vec<_>>().join(", "),
        g.reason.clone().unwrap_or_default(),
    ]
}

/// CU lent to model deployments out of the group's spec.
fn usage(used: u32, spec: u32) -> String {
    if used == 0 {
        return "idle".into();
    }
    format!("{used}/{spec} CU")
}

const RG_COLUMNS: &[&str] = &[
    "Name",
    "Status",
    "Spec",
    "Usage",
    "Payment",
    "Expires",
    "Attached to",
    "Reason",
];

fn resource_groups(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(&format!("Resource groups in {}", s.region), RG_COLUMNS);
    match c.list_resource_groups(s) {
        Ok(gs) => {
            let used = c.usage_of(s, &gs).unwrap_or_else(|_| vec![0; gs.len()]);
            gs.iter()
                .zip(used)
                .for_each(|(g, u)| t.push(rg_cells(g, u)));
            t
        }
        Err(e) => t.failed(e),
    }
}

fn models(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(
        &format!("Model deployments in {}", s.region),
        &[
            "Name",
            "Model",
            "Status",
            "Resource group",
            "Replicas",
            "Endpoint",
        ],
    );
    match c.list_models(s) {
        Ok(ms) => {
            for m in ms {
                t.push(vec![
                    m.name,
                    m.model,
                    m.status.title().into(),
                    m.resource_group,
                    m.replicas.to_string(),
                    m.endpoint.unwrap_or_default(),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn images(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(
        "Images",
        &["Name", "Type", "Status", "Task types", "Base", "Packages"],
    );
    match c.list_images(s) {
        Ok(is) => {
            for i in is {
                let kind = if i.kind == crate::domain::image::ImageKind::Official {
                    "Official"
                } else {
                    "Custom"
                };
                t.push(vec![
                    i.name,
                    kind.into(),
                    i.status.title().into(),
                    i.task_types
                        .iter()
                        .map(|t| t.title())
                        .collect::<Vec<_>>()
                        .join(", "),
                    i.base,
                    i.packages.join(" "),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn purchases(c: &Console, s: &Session) -> Table {
    use crate::domain::purchase::Billing;
    let mut t = Table::new(
        "Purchased items",
        &[
            "Order",
            "Item",
            "Billing",
            "Status",
            "Expires",
            "Unit price",
        ],
    );
    match c.list_purchases(s) {
        Ok(ps) => {
            for p in ps {
                let (billing, expires) = match p.billing {
                    Billing::Subscription { expires_at, .. } => ("Subscription", date(&expires_at)),
                    Billing::PayAsYouGo => ("Pay-as-you-go", "-".into()),
                };
                t.push(vec![
                    p.id.clone(),
                    p.kind.title(),
                    billing.into(),
                    format!("{:?}", p.status),
                    expires,
                    format_cents(p.unit_price_cents),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn bills(c: &Console, s: &Session) -> Table {
    let mut t = Table::new("Bills", &["Month", "Order", "Description", "Amount"]);
    match c.list_bills(s, None) {
        Ok(bs) => {
            for b in bs {
                t.push(vec![
                    b.month,
                    b.item_id,
                    b.description,
                    format_cents(b.amount_cents),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn alerts(c: &Console, s: &Session) -> Table {
    use crate::domain::alert::Channel;
    let mut t = Table::new(
        "Alert limits",
        &[
            "Channel",
            "Limit per day",
            "Sent today",
            "Refused today",
            "Sent this month",
        ],
    );
    match c.alert_settings(s) {
        Ok((limits, usage)) => {
            for ch in Channel::ALL {
                let u = usage.get(ch);
                t.push(vec![
                    ch.slug().into(),
                    limits.get(ch).map_or("unlimited".into(), |l| l.to_string()),
                    u.sent_today.to_string(),
                    u.refused_today.to_string(),
                    u.sent_month.to_string(),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn outbox(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(
        "Alert outbox",
        &["Time", "Channel", "Contact", "Address", "Delivery"],
    );
    match c.alert_outbox(s, 200) {
        Ok(entries) => {
            for e in entries {
                t.push(vec![
                    e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    e.channel.slug().into(),
                    e.contact,
                    e.address,
                    e.delivery.title(),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn contacts(c: &Console, s: &Session) -> Table {
    let mut t = Table::new("Alert contacts", &["Name", "Phone", "E-mail", "Webhook"]);
    match c.list_contacts(s) {
        Ok(cs) => {
            for k in cs {
                t.push(vec![
                    k.name,
                    k.phone.unwrap_or_default(),
                    k.email.unwrap_or_default(),
                    k.webhook.unwrap_or_default(),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn tenant_members(c: &Console, s: &Session) -> Table {
    let mut t = Table::new("Tenant members", &["User", "Tenant roles"]);
    match c.list_tenant_members(s) {
        Ok(ms) => {
            for m in ms {
                t.push(vec![m.user, m.roles.join(", ")]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

/// Who is on the served console; only the account and Tenant Administrators may look.
fn sessions(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(
        "Sessions",
        &["Id", "User", "Source", "Since", "Scope", "Kind", "Idle"],
    );
    // Asked first, so that merely opening the page audits no refusal.
    match c.can(
        s,
        crate::authz::Op::ListSessions,
        &crate::authz::Target::Tenant,
    ) {
        Ok(v) if !v.allowed => {
            t.error = Some(v.trace);
            return t;
        }
        Err(e) => return t.failed(e),
        Ok(_) => {}
    }
    match c.list_sessions(s) {
        Ok(vs) => {
            for v in vs {
                t.push(vec![
                    v.id.to_string(),
                    v.user,
                    v.source,
                    v.since.format("%Y-%m-%d %H:%M").to_string(),
                    v.scope.as_str().to_owned(),
                    v.kind,
                    format!("{} s", v.idle_seconds),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn tenant_roles(c: &Console, s: &Session) -> Table {
    let mut t = Table::new("Tenant roles", &["Role", "Type", "Permissions"]);
    match c.list_tenant_roles(s) {
        Ok(rs) => {
            for r in rs {
                let perms: Vec<String> = r
                    .levels
                    .iter()
                    .filter(|(_, l)| l != "none")
                    .map(|(m, l)| format!("{m}={l}"))
                    .collect();
                t.push(vec![
                    r.name,
                    if r.builtin { "Built-in" } else { "Custom" }.into(),
                    perms.join(" "),
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn extensions(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(
        "Extensions",
        &["Name", "Events", "Enabled in", "Description"],
    );
    match c.list_extensions(s) {
        Ok(es) => {
            for e in es {
                t.push(vec![
                    e.name,
                    e.events
                        .iter()
                        .map(|ev| ev.slug())
                        .collect::<Vec<_>>()
                        .join(", "),
                    e.enabled_in.into_iter().collect::<Vec<_>>().join(", "),
                    e.description,
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

fn audit(c: &Console, s: &Session) -> Table {
    let mut t = Table::new(
        "Audit log (newest first)",
        &[
            "Time",
            "Principal",
            "Scope",
            "Action",
            "Target",
            "Outcome",
            "Detail",
        ],
    );
    match c.audit_log(s, 500) {
        Ok(es) => {
            for e in es {
                t.push(vec![
                    e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                    e.principal,
                    e.scope.as_str().into(),
                    e.action,
                    e.target,
                    e.outcome.to_string(),
                    e.detail,
                ]);
            }
            t
        }
        Err(e) => t.failed(e),
    }
}

/// A workspace's details: Configuration, Data Sources, Computing Resources, Resource Groups,
/// Members and Roles.
pub fn load_details(c: &Console, s: &Session, ws: &str) -> View {
    let mut config = Table::new("Configuration", &["Setting", "Value"]);
    match c.get_workspace(s, ws) {
        Ok(r) => {
            let w = &r.workspace;
            for (k, v) in [
                ("Name", w.name.clone()),
                ("Display name", w.display_name.clone()),
                ("Mode", w.mode.title().to_owned()),
                ("Status", w.status.title().to_owned()),
                ("Region", w.region.clone()),
                (
                    "Default workspace",
                    if w.is_default {
                        "yes (not for production)".into()
                    } else {
                        "no".into()
                    },
                ),
                ("Description", w.description.clone()),
                (
                    "Allow result download",
                    w.settings.allow_download.to_string(),
                ),
                ("Administrators", r.administrators.join(", ")),
                (
                    "Created",
                    format!("{} by {}", date(&w.created_at), w.created_by),
                ),
            ] {
                config.push(vec![k.into(), v]);
            }
        }
        Err(e) => config = config.failed(e),
    }
    let mut sources = Table::new(
        "Data Sources",
        &["Name", "Type", "Env", "Connection", "Tests"],
    );
    match c.list_data_sources(s, ws) {
        Ok(ds) => {
            for d in ds {
                let conn = d
                    .display_fields()
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let tests = d
                    .tests
                    .values()
                    .map(|t| format!("{}: {}", t.resource_group, t.result.title()))
                    .collect::<Vec<_>>()
                    .join(", ");
                sources.push(vec![
                    d.name,
                    d.kind.title().into(),
                    d.env.slug().into(),
                    conn,
                    tests,
                ]);
            }
        }
        Err(e) => sources = sources.failed(e),
    }
    let mut compute = Table::new("Computing Resources", &["Name", "Type", "Instance", "Env"]);
    match c.list_compute(s, ws) {
        Ok(cs) => cs.into_iter().for_each(|x| {
            compute.push(vec![
                x.name,
                x.kind.title().into(),
                x.instance,
                x.env.slug().into(),
            ])
        }),
        Err(e) => compute = compute.failed(e),
    }
    let mut groups = Table::new("Resource Groups", RG_COLUMNS);
    match c.workspace_resource_groups(s, ws) {
        Ok(gs) => {
            let used = c.usage_of(s, &gs).unwrap_or_else(|_| vec![0; gs.len()]);
            gs.iter()
                .zip(used)
                .for_each(|(g, u)| groups.push(rg_cells(g, u)));
        }
        Err(e) => groups = groups.failed(e),
    }
    let mut members = Table::new(
        "Members and Roles",
        &[
            "Member or role",
            "Roles / permissions",
            "Compute role (dev)",
        ],
    );
    match (c.list_members(s, ws), c.list_roles(s, ws)) {
        (Ok(ms), Ok(rs)) => {
            // A member's compute-engine roles are those of the roles they hold (seed 004).
            for m in ms {
                let compute: Vec<String> = m
                    .roles
                    .iter()
                    .filter_map(|held| rs.iter().find(|r| &r.name == held))
                    .filter_map(|r| r.compute_role_dev.clone())
                    .collect();
                members.push(vec![m.user, m.roles.join(", "), compute.join(", ")]);
            }
            for r in rs {
                let perms: Vec<String> = r
                    .levels
                    .iter()
                    .filter(|(_, l)| l != "none")
                    .map(|(m, l)| format!("{m}={l}"))
                    .collect();
                let kind = if r.builtin { "role" } else { "custom role" };
                members.push(vec![
                    format!("[{kind}] {}", r.name),
                    perms.join(" "),
                    r.compute_role_dev.unwrap_or_default(),
                ]);
            }
        }
        (Err(e), _) | (_, Err(e)) => members = members.failed(e),
    }
    View {
        tabs: vec![config, sources, compute, groups, members],
        ..Default::default()
    }
}

/// A page of `rows` synthetic audit-like rows, for the render benchmark.
#[doc(hidden)]
pub fn load_page_for_bench(rows: usize) -> View {
    let mut t = Table::new(
        "Audit log (newest first)",
        &[
            "Time",
            "Principal",
            "Scope",
            "Action",
            "Target",
            "Outcome",
            "Detail",
        ],
    );
    for i in 0..rows {
        t.push(vec![
            format!("11-22 09:{:02}:{:02}", (i / 60) % 60, i % 60),
            format!("user{:03}", i % 500),
            "Page".into(),
            "dataworks:GetProject".into(),
            format!("workspace ws{i:05}"),
            "ok".into(),
            String::new(),
        ]);
    }
    View::single(t)
}
