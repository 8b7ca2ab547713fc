//! The actions a page offers (n new, e edit, d delete, x disable/enable, u upgrade), which ones the
//! console allows this user here, and what they do. Hints and help show only allowed ones; trying
//! a refused one shows the decision's trace.

use crate::authz::{Op, Target, Verdict};
use crate::console::{Console, ConsoleError, DataSourceInput, NewCompute, Session};
use crate::domain::compute::ComputeType;
use crate::domain::datasource::{ConnectionInput, DataSourceType};
use crate::domain::resource_group::NewResourceGroup;
use crate::domain::workspace::{NewWorkspace, WorkspacePatch};
use crate::domain::{Env, RoleRef, WorkspaceMode, WorkspaceStatus};

use super::form::{Confirm, ConfirmAction, Field, Form, FormKind, checks};

/// Where the keys act: a page, or a tab of a workspace's details, with the selected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub page: usize,
    /// `Some((workspace, tab))` when details are open.
    pub details: Option<(String, usize)>,
    /// The tab of a page with tabs (Purchased Services, Management Center).
    pub tab: usize,
    pub selected: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub key: char,
    pub label: &'static str,
    pub op: Op,
    pub verdict: Verdict,
}

fn probe_ws(region: &str) -> Target<'_> {
    Target::named(crate::authz::ResourceKind::Workspace, "*", region)
}

fn verdict(r: Result<Verdict, ConsoleError>) -> Verdict {
    r.unwrap_or_else(|e| Verdict {
        allowed: false,
        basis: crate::authz::Basis::ImplicitDeny,
        trace: vec![e.to_string()],
    })
}

/// Every action of the context with the console's answer for this session.
pub fn offers(c: &Console, s: &Session, ctx: &Context) -> Vec<Offer> {
    let mut out = Vec::new();
    let mut add = |key, label, op, v: Verdict| {
        out.push(Offer {
            key,
            label,
            op,
            verdict: v,
        })
    };
    match (&ctx.details, ctx.page) {
        (Some((ws, tab)), _) => {
            let on_ws = |op| verdict(c.can_workspace(s, op, ws));
            match tab {
                0 => {
                    add('e', "edit", Op::UpdateProject, on_ws(Op::UpdateProject));
                    add(
                        'u',
                        "upgrade",
                        Op::UpgradeProjectMode,
                        on_ws(Op::UpgradeProjectMode),
                    );
                }
                1 => {
                    add(
                        'n',
                        "new data source",
                        Op::CreateDataSource,
                        on_ws(Op::CreateDataSource),
                    );
                    add(
                        'd',
                        "delete",
                        Op::DeleteDataSource,
                        on_ws(Op::DeleteDataSource),
                    );
                    add(
                        't',
                        "test connectivity",
                        Op::TestDataSourceConnectivity,
                        on_ws(Op::TestDataSourceConnectivity),
                    );
                }
                2 => {
                    add(
                        'n',
                        "attach compute",
                        Op::CreateComputeResource,
                        on_ws(Op::CreateComputeResource),
                    );
                    add(
                        'd',
                        "detach",
                        Op::DeleteComputeResource,
                        on_ws(Op::DeleteComputeResource),
                    );
                }
                3 => {
                    let rg = Target::ResourceGroup {
                        name: "*",
                        region: &s.region,
                    };
                    add(
                        'n',
                        "attach group",
                        Op::AssociateProjectToResourceGroup,
                        verdict(c.can(s, Op::AssociateProjectToResourceGroup, &rg)),
                    );
                    add(
                        'd',
                        "detach",
                        Op::DissociateProjectFromResourceGroup,
                        verdict(c.can(s, Op::DissociateProjectFromResourceGroup, &rg)),
                    );
                }
                _ => {
                    add(
                        'n',
                        "add member",
                        Op::CreateProjectMember,
                        on_ws(Op::CreateProjectMember),
                    );
                    add(
                        'd',
                        "remove member",
                        Op::DeleteProjectMember,
                        on_ws(Op::DeleteProjectMember),
                    );
                    if let Some(user) = &ctx.selected {
                        add(
                            'v',
                            "access of member",
                            Op::ListProjectMembers,
                            verdict(c.can_view_access(s, user, ws)),
                        );
                    }
                }
            }
        }
        (None, 1) if ctx.tab == 1 => {
            add(
                'r',
                "restore",
                Op::RestoreProject,
                verdict(c.can(s, Op::RestoreProject, &probe_ws(&s.region))),
            );
        }
        (None, 1) => {
            add(
                'n',
                "new workspace",
                Op::CreateProject,
                verdict(c.can(s, Op::CreateProject, &probe_ws(&s.region))),
            );
            if let Some(ws) = &ctx.selected {
                add(
                    'd',
                    "delete",
                    Op::DeleteProject,
                    verdict(c.can_workspace(s, Op::DeleteProject, ws)),
                );
                add(
                    'x',
                    "disable/enable",
                    Op::DisableProject,
                    verdict(c.can_workspace(s, Op::DisableProject, ws)),
                );
            }
        }
        (None, 6) if ctx.tab == 0 => {
            add(
                's',
                "send test alert",
                Op::SendTestAlert,
                verdict(c.can(s, Op::SendTestAlert, &Target::Tenant)),
            );
        }
        (None, 6) if ctx.tab == 2 => {
            add(
                'n',
                "new user",
                Op::CreateUser,
                verdict(c.can(s, Op::CreateUser, &Target::RamUser("*"))),
            );
            let user = ctx.selected.clone().unwrap_or_default();
            let on_user = |op| verdict(c.can(s, op, &Target::RamUser(&user)));
            add(
                'p',
                "public keys",
                Op::ListPublicKeys,
                on_user(Op::ListPublicKeys),
            );
            add(
                'a',
                "add key",
                Op::UploadPublicKey,
                on_user(Op::UploadPublicKey),
            );
            add(
                'x',
                "remove key",
                Op::DeletePublicKey,
                on_user(Op::DeletePublicKey),
            );
        }
        (None, 6) if ctx.tab == 6 => {
            add(
                'x',
                "end session",
                Op::EndSession,
                verdict(c.can(s, Op::EndSession, &Target::Tenant)),
            );
        }
        (None, 2) => {
            let rg = Target::ResourceGroup {
                name: "*",
                region: &s.region,
            };
            add(
                'n',
                "new group",
                Op::CreateResourceGroup,
                verdict(c.can(s, Op::CreateResourceGroup, &rg)),
            );
            add(
                'a',
                "attach",
                Op::AssociateProjectToResourceGroup,
                verdict(c.can(s, Op::AssociateProjectToResourceGroup, &rg)),
            );
            add(
                's',
                "scale",
                Op::UpdateResourceGroup,
                verdict(c.can(s, Op::UpdateResourceGroup, &rg)),
            );
            add(
                'r',
                "renew",
                Op::UpdateResourceGroup,
                verdict(c.can(s, Op::UpdateResourceGroup, &rg)),
            );
            add(
                'd',
                "delete",
                Op::DeleteResourceGroup,
                verdict(c.can(s, Op::DeleteResourceGroup, &rg)),
            );
        }
        _ => {}
    }
    out
}

/// The form or confirmation an allowed action opens.
pub enum Opened {
    Form(Form),
    Confirm(Confirm),
    /// Done at once (disable/enable, upgrade): a message.
    Done(String),
    /// Show this user's access.
    Access(String),
    /// Show a list: a title and its lines.
    Show(String, Vec<String>),
}

pub fn open(c: &Console, s: &Session, ctx: &Context, key: char) -> Result<Opened, ConsoleError> {
    let sel = ctx.selected.clone().unwrap_or_default();
    let need_sel = || {
        if sel.is_empty() {
            Err(ConsoleError::NotFound("nothing is selected".into()))
        } else {
            Ok(sel.clone())
        }
    };
    Ok(match (&ctx.details, ctx.page, key) {
        (None, 1, 'n') => Opened::Form(Form::new(
            FormKind::NewWorkspace,
            "New workspace",
            vec![
                Field::new("name", "Name")
                    .hint("letter first; letters, digits, _; 3–28")
                    .check(checks::workspace_name),
                Field::new("display_name", "Display name").check(checks::display_name),
                Field::new("mode", "Mode")
                    .value("standard")
                    .hint("standard (recommended) or basic")
                    .check(checks::mode),
                Field::new("description", "Description"),
            ],
        )),
        (None, 1, 'r') if ctx.tab == 1 => {
            let ws = need_sel()?;
            c.restore_workspace(s, &ws)?;
            Opened::Done(format!("restored {ws}"))
        }
        (None, 1, 'd') => {
            let ws = need_sel()?;
            Opened::Confirm(Confirm::new(
                ConfirmAction::DeleteWorkspace(ws.clone()),
                format!(
                    "Move workspace {ws} to the recycle bin (restorable for 14 days)? Type its name:"
                ),
                &ws,
            ))
        }
        (None, 1, 'x') => {
            let ws = need_sel()?;
            let row = c.get_workspace(s, &ws)?;
            if row.workspace.status == WorkspaceStatus::Disabled {
                c.enable_workspace(s, &ws)?;
                Opened::Done(format!("enabled {ws}"))
            } else {
                c.disable_workspace(s, &ws)?;
                Opened::Done(format!("disabled {ws}: scheduling paused, read-only"))
            }
        }
        (None, 6, 's') if ctx.tab == 0 => Opened::Form(Form::new(
            FormKind::TestAlert,
            "Send a test alert",
            vec![
                Field::new("channel", "Channel")
                    .value("sms")
                    .hint("sms, phone, email or webhook")
                    .check(checks::channel),
            ],
        )),
        (None, 6, 'n') if ctx.tab == 2 => Opened::Form(Form::new(
            FormKind::NewUser,
            "New RAM user",
            vec![
                Field::new("name", "User name")
                    .hint("letters, digits, . _ -")
                    .check(checks::user),
                Field::new("display_name", "Display name").check(checks::display_name),
                Field::new("password", "Password")
                    .secret()
                    .hint("at least 8 characters (not needed on a demo store)"),
            ],
        )),
        (None, 2, 'n') => Opened::Form(Form::new(
            FormKind::NewResourceGroup,
            "New Serverless resource group",
            vec![
                Field::new("name", "Name")
                    .hint("letter first; letters, digits, _")
                    .check(checks::group_name),
                Field::new("spec", "Spec (CU)")
                    .value("8")
                    .check(checks::spec),
                Field::new("payment", "Payment")
                    .value("postpaid")
                    .hint("prepaid or postpaid")
                    .check(checks::payment),
                Field::new("months", "Months").hint("prepaid only: 1–9, 12, 24, 36"),
            ],
        )),
        (None, 2, 'a') => {
            let g = need_sel()?;
            Opened::Form(Form::new(
                FormKind::AttachGroupTo { group: g.clone() },
                format!("Attach {g} to a workspace"),
                vec![
                    Field::new("workspace", "Workspace")
                        .hint("a workspace of this region")
                        .check(checks::workspace_name),
                ],
            ))
        }
        (None, 2, 's') => {
            let g = need_sel()?;
            let spec = c.get_resource_group(s, &g)?.spec_cu.to_string();
            Opened::Form(Form::new(
                FormKind::ScaleGroup(g.clone()),
                format!("Scale {g}"),
                vec![
                    Field::new("spec", "Spec (CU)")
                        .value(&spec)
                        .check(checks::spec),
                ],
            ))
        }
        (None, 2, 'r') => {
            let g = need_sel()?;
            Opened::Form(Form::new(
                FormKind::RenewGroup(g.clone()),
                format!("Renew {g}"),
                vec![
                    Field::new("months", "Months")
                        .value("1")
                        .hint("1–9, 12, 24, 36")
                        .check(checks::months),
                ],
            ))
        }
        (None, 2, 'd') => {
            let g = need_sel()?;
            Opened::Confirm(Confirm::new(
                ConfirmAction::DeleteResourceGroup(g.clone()),
                format!("Delete resource group {g}? Type its name:"),
                &g,
            ))
        }
        (Some((ws, 0)), _, 'e') => {
            let row = c.get_workspace(s, ws)?;
            Opened::Form(Form::new(
                FormKind::EditWorkspace(ws.clone()),
                format!("Edit {ws}"),
                vec![
                    Field::new("display_name", "Display name")
                        .value(&row.workspace.display_name)
                        .check(checks::display_name),
                    Field::new("description", "Description").value(&row.workspace.description),
                ],
            ))
        }
        (Some((ws, 0)), _, 'u') => {
            c.upgrade_workspace(s, ws)?;
            Opened::Done(format!("upgraded {ws} to Standard mode"))
        }
        (Some((ws, 1)), _, 'n') => Opened::Form(Form::new(
            FormKind::NewDataSource {
                workspace: ws.clone(),
            },
            format!("New data source in {ws}"),
            vec![
                Field::new("name", "Name")
                    .hint("letter first; letters, digits, _")
                    .check(checks::data_source_name),
                Field::new("type", "Type")
                    .value("mysql")
                    .hint("mysql, postgresql, oracle, sqlserver, …")
                    .check(checks::ds_type),
                Field::new("host", "Host").check(checks::host),
                Field::new("port", "Port").value("3306").check(checks::port),
                Field::new("database", "Database"),
                Field::new("username", "User name"),
                Field::new("password", "Password").secret(),
                Field::new("env", "Environment")
                    .value(default_env(c, s, ws))
                    .hint("dev or prod")
                    .check(checks::env),
            ],
        )),
        (Some((_, 4)), _, 'v') => Opened::Access(need_sel()?),
        (Some((ws, 1)), _, 't') => {
            let name = need_sel()?;
            // The first group that can run the test, as a start.
            let group = c
                .workspace_resource_groups(s, ws)?
                .into_iter()
                .find(|g| g.is_usable())
                .map(|g| g.name)
                .unwrap_or_default();
            Opened::Form(Form::new(
                FormKind::TestDataSource {
                    workspace: ws.clone(),
                    name: name.clone(),
                },
                format!("Test connectivity of {name}"),
                vec![
                    Field::new("group", "Resource group")
                        .value(&group)
                        .hint("a Normal group attached to this workspace")
                        .check(checks::group_name),
                ],
            ))
        }
        (Some((ws, 1)), _, 'd') => {
            let name = need_sel()?;
            Opened::Confirm(Confirm::new(
                ConfirmAction::DeleteDataSource {
                    workspace: ws.clone(),
                    name: name.clone(),
                },
                format!("Delete data source {name}? Type its name:"),
                &name,
            ))
        }
        (Some((ws, 2)), _, 'n') => Opened::Form(Form::new(
            FormKind::AttachCompute {
                workspace: ws.clone(),
            },
            format!("Attach a compute resource to {ws}"),
            vec![
                Field::new("name", "Name")
                    .hint("also the name of its data source")
                    .check(checks::compute_name),
                Field::new("type", "Type")
                    .value("maxcompute")
                    .hint("maxcompute, hologres, emr-serverless-spark, …")
                    .check(checks::compute_type),
                Field::new("instance", "Instance")
                    .hint("project or instance id")
                    .check(checks::instance),
                Field::new("env", "Environment")
                    .value(default_env(c, s, ws))
                    .hint("dev or prod")
                    .check(checks::env),
            ],
        )),
        (Some((ws, 2)), _, 'd') => {
            let name = need_sel()?;
            Opened::Confirm(Confirm::new(
                ConfirmAction::DetachCompute {
                    workspace: ws.clone(),
                    name: name.clone(),
                },
                format!("Detach {name} (its data source goes too)? Type its name:"),
                &name,
            ))
        }
        (Some((ws, 3)), _, 'd') => {
            let g = need_sel()?;
            Opened::Confirm(Confirm::new(
                ConfirmAction::DetachGroup {
                    workspace: ws.clone(),
                    group: g.clone(),
                },
                format!("Detach {g} from {ws}? Type the group's name:"),
                &g,
            ))
        }
        (Some((ws, 3)), _, 'n') => Opened::Form(Form::new(
            FormKind::AttachGroup {
                workspace: ws.clone(),
            },
            format!("Attach a resource group to {ws}"),
            vec![
                Field::new("group", "Resource group")
                    .hint("a Normal group of this region")
                    .check(checks::group_name),
            ],
        )),
        (Some((ws, _)), _, 'n') => Opened::Form(Form::new(
            FormKind::AddMember {
                workspace: ws.clone(),
            },
            format!("Add a member to {ws}"),
            vec![
                Field::new("user", "User").check(checks::user),
                Field::new("roles", "Roles")
                    .value("development")
                    .hint("comma-separated: development, om, visitor, …")
                    .check(checks::roles),
            ],
        )),
        (None, 6, 'p') if ctx.tab == 2 => {
            let user = need_sel()?;
            let keys = c.list_keys(s, &user)?;
            let mut lines: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{}  {}  {}  added {} by {}",
                        k.label,
                        k.fingerprint,
                        k.algorithm,
                        k.added_at.format("%Y-%m-%d %H:%M"),
                        k.added_by
                    )
                })
                .collect();
            if lines.is_empty() {
                lines.push(format!("{user} has no keys: a adds one"));
            }
            Opened::Show(format!("Public keys of {user}"), lines)
        }
        (None, 6, 'a') if ctx.tab == 2 => {
            let user = need_sel()?;
            Opened::Form(Form::new(
                FormKind::AddKey { user: user.clone() },
                &format!("Add a public key for {user}"),
                vec![
                    Field::new("key", "Public key")
                        .hint("paste the .pub line: ssh-ed25519 AAAA… name"),
                    Field::new("name", "Name").hint("default: the key's comment"),
                ],
            ))
        }
        (None, 6, 'x') if ctx.tab == 2 => {
            let user = need_sel()?;
            Opened::Form(Form::new(
                FormKind::RemoveKey { user: user.clone() },
                &format!("Remove a public key of {user}"),
                vec![
                    Field::new("key", "Key").hint("its name or SHA256 fingerprint (p lists them)"),
                ],
            ))
        }
        (None, 6, 'x') if ctx.tab == 6 => {
            let id = need_sel()?;
            let n: u64 = id
                .parse()
                .map_err(|_| ConsoleError::NotFound(format!("session {id}")))?;
            Opened::Confirm(Confirm::new(
                ConfirmAction::EndSession(n),
                format!("End session {n}? Its user is disconnected. Type its number:"),
                &id,
            ))
        }
        (Some((ws, _)), _, 'd') => {
            let user = need_sel()?;
            Opened::Confirm(Confirm::new(
                ConfirmAction::RemoveMember {
                    workspace: ws.clone(),
                    user: user.clone(),
                },
                format!("Remove {user} from {ws}? Type the user's name:"),
                &user,
            ))
        }
        _ => {
            return Err(ConsoleError::NotFound(format!(
                "no action on key {key} here"
            )));
        }
    })
}

fn default_env(c: &Console, s: &Session, ws: &str) -> &'static str {
    match c.get_workspace(s, ws).map(|r| r.workspace.mode) {
        Ok(WorkspaceMode::Basic) => "prod",
        _ => "dev",
    }
}

fn parsed<T>(field: &str, r: Result<T, crate::domain::DomainError>) -> Result<T, ConsoleError> {
    r.map_err(|e| match e {
        crate::domain::DomainError::Invalid { rule, .. } => ConsoleError::invalid(field, rule),
        e => e.into(),
    })
}

/// Submits a form to the console; the message is the toast on success.
pub fn submit(c: &Console, s: &Session, f: &Form) -> Result<String, ConsoleError> {
    let g = |n| f.get(n).trim().to_owned();
    match &f.kind {
        FormKind::NewWorkspace => {
            let mode = parsed("mode", WorkspaceMode::parse("mode", &g("mode")))?;
            let w = c.create_workspace(
                s,
                NewWorkspace {
                    name: g("name"),
                    display_name: g("display_name"),
                    description: g("description"),
                    mode: Some(mode),
                },
            )?;
            Ok(format!(
                "created workspace {} ({} mode)",
                w.name,
                w.mode.title()
            ))
        }
        FormKind::AddKey { user } => {
            let name = g("name");
            let k = c.add_key(
                s,
                user,
                f.get("key"),
                (!name.is_empty()).then_some(name.as_str()),
            )?;
            Ok(format!(
                "added key {} ({}) to {user}",
                k.label, k.fingerprint
            ))
        }
        FormKind::RemoveKey { user } => {
            let k = c.remove_key(s, user, &g("key"))?;
            Ok(format!("removed key {} of {user}", k.label))
        }
        FormKind::NewUser => {
            let pw = f.get("password");
            let pw = if pw.is_empty() && c.tenant().open {
                None
            } else {
                Some(pw)
            };
            c.create_user(s, &g("name"), &g("display_name"), pw)?;
            Ok(format!("created user {}", g("name")))
        }
        FormKind::EditWorkspace(ws) => {
            c.update_workspace(
                s,
                ws,
                WorkspacePatch {
                    display_name: Some(g("display_name")),
                    description: Some(g("description")),
                    ..Default::default()
                },
            )?;
            Ok(format!("updated {ws}"))
        }
        FormKind::NewResourceGroup => {
            let spec: u32 = g("spec")
                .parse()
                .map_err(|_| ConsoleError::invalid("spec", "must be a whole number of CU"))?;
            let prepaid_months = match g("payment").to_ascii_lowercase().as_str() {
                "prepaid" => Some(g("months").parse::<u32>().map_err(|_| {
                    ConsoleError::invalid("months", "a PrePaid group needs a number of months")
                })?),
                _ => None,
            };
            let rg = c.create_resource_group(
                s,
                NewResourceGroup {
                    name: g("name"),
                    spec_cu: spec,
                    prepaid_months,
                    ..Default::default()
                },
            )?;
            Ok(format!(
                "creating resource group {} ({} CU): {}, job started",
                rg.name, rg.spec_cu, rg.status
            ))
        }
        FormKind::AttachGroup { workspace } => {
            c.attach_resource_group(s, &g("group"), workspace)
                .map_err(|e| rename(e, "workspace", "group"))?;
            Ok(format!("attached {} to {workspace}", g("group")))
        }
        FormKind::AttachGroupTo { group } => {
            c.attach_resource_group(s, group, &g("workspace"))?;
            Ok(format!("attached {group} to {}", g("workspace")))
        }
        FormKind::ScaleGroup(group) => {
            let spec: u32 = g("spec")
                .parse()
                .map_err(|_| ConsoleError::invalid("spec", "must be a whole number of CU"))?;
            c.scale_resource_group(s, group, spec)?;
            Ok(format!("scaling {group} to {spec} CU: job started"))
        }
        FormKind::RenewGroup(group) => {
            let months: u32 = g("months")
                .parse()
                .map_err(|_| ConsoleError::invalid("months", "must be a number of months"))?;
            c.renew_resource_group(s, group, months)?;
            Ok(format!(
                "renewing {group} by {months} month(s): job started"
            ))
        }
        FormKind::AddMember { workspace } => {
            let roles = g("roles")
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| parsed("roles", RoleRef::parse(r)))
                .collect::<Result<Vec<_>, _>>()?;
            c.add_member(s, workspace, &g("user"), roles)
                .map_err(|e| rename(e, "role", "roles"))?;
            Ok(format!("added {} to {workspace}", g("user")))
        }
        FormKind::AttachCompute { workspace } => {
            let kind = parsed("type", ComputeType::parse("type", &g("type")))?;
            let env = parsed("env", Env::parse("env", &g("env")))?;
            c.attach_compute(
                s,
                workspace,
                NewCompute {
                    name: g("name"),
                    kind,
                    instance: g("instance"),
                    env,
                },
            )?;
            Ok(format!(
                "attached {} {}; created its data source",
                kind.title(),
                g("name")
            ))
        }
        // Runs beside the event loop (App::start_test), never inside a form's submit.
        FormKind::TestDataSource { .. } | FormKind::TestAlert => Err(ConsoleError::Internal(
            "a connectivity test is started by the app, not submitted".into(),
        )),
        FormKind::NewDataSource { workspace } => {
            let kind = parsed("type", DataSourceType::parse("type", &g("type")))?;
            let env = parsed("env", Env::parse("env", &g("env")))?;
            let mut conn = ConnectionInput::default();
            for field in kind.fields() {
                let value = if field.name == "password" {
                    f.get("password").to_owned()
                } else {
                    g(field.name)
                };
                if !value.is_empty() && f.fields.iter().any(|x| x.name == field.name) {
                    conn.set(kind, field.name, value)?;
                }
            }
            c.create_data_source(
                s,
                workspace,
                DataSourceInput {
                    name: g("name"),
                    kind,
                    env,
                    description: String::new(),
                    connection: conn,
                },
            )?;
            Ok(format!(
                "created {} data source {}",
                kind.title(),
                g("name")
            ))
        }
    }
}

/// Errors whose field the form calls by another name.
fn rename(e: ConsoleError, from: &str, to: &str) -> ConsoleError {
    match e {
        ConsoleError::Invalid { field, reason } if field == from => ConsoleError::Invalid {
            field: to.into(),
            reason,
        },
        e => e,
    }
}

pub fn confirm(c: &Console, s: &Session, a: &ConfirmAction) -> Result<String, ConsoleError> {
    Ok(match a {
        ConfirmAction::DeleteWorkspace(ws) => {
            c.delete_workspace(s, ws)?;
            format!("moved {ws} to the recycle bin")
        }
        ConfirmAction::DeleteResourceGroup(g) => {
            c.delete_resource_group(s, g)?;
            format!("deleting resource group {g}: job started")
        }
        ConfirmAction::EndSession(id) => {
            let v = c.end_session(s, *id)?;
            format!("ended session {id} of {} from {}", v.user, v.source)
        }
        ConfirmAction::RemoveMember { workspace, user } => {
            c.remove_member(s, workspace, user)?;
            format!("removed {user} from {workspace}")
        }
        ConfirmAction::DeleteDataSource { workspace, name } => {
            c.delete_data_source(s, workspace, name)?;
            format!("deleted data source {name}")
        }
        ConfirmAction::DetachGroup { workspace, group } => {
            c.detach_resource_group(s, group, workspace)?;
            format!("detached {group} from {workspace}")
        }
        ConfirmAction::DetachCompute { workspace, name } => {
            c.detach_compute(s, workspace, name)?;
            format!("detached {name} from {workspace}")
        }
    })
}
