//! Built-in roles × operations, straight from seeds 002 and 004 and DESIGN §3–§5.

mod common;

use common::{World, ws};
use dwc::authz::operation::{Mode, OPERATIONS, ResourceKind};
use dwc::authz::{Basis, Op, WorkspaceTarget, authorize_role_grant};
use dwc::domain::module::ModuleLevels;
use dwc::domain::role::CustomRole;
use dwc::domain::{BuiltinRole, Edition, Level, RoleRef, WorkspaceRole, WorkspaceStatus};

use BuiltinRole as B;

fn member(role: BuiltinRole, op: Op) -> bool {
    let roles = [WorkspaceRole::Builtin(role)];
    World::user("alice").allows(op, &ws("finance_etl", Some(&roles)))
}

/// The roles the DataWorks API pages (2024-05-18) say may call each data-source operation
/// (CreateDataSource, UpdateDataSource, DeleteDataSource: Workspace Administrator, Project
/// Owner, O&M; GetDataSource and TestDataSourceConnectivity: those and Deployment and
/// Development); the account (Tenant Owner) may always.
#[test]
fn data_source_operations_follow_the_api_pages() {
    use Op::*;
    let writers = [B::ProjectOwner, B::WorkspaceManager, B::OM];
    let readers = [
        B::ProjectOwner,
        B::WorkspaceManager,
        B::OM,
        B::Deploy,
        B::Development,
    ];
    for (op, allowed) in [
        (CreateDataSource, &writers[..]),
        (UpdateDataSource, &writers[..]),
        (DeleteDataSource, &writers[..]),
        (GetDataSource, &readers[..]),
        (ListDataSources, &readers[..]),
        (TestDataSourceConnectivity, &readers[..]),
    ] {
        for role in BuiltinRole::ALL {
            assert_eq!(
                member(role, op),
                allowed.contains(&role),
                "{role} × {}",
                op.name()
            );
        }
    }
}

#[test]
fn role_operation_table() {
    use Op::*;
    let ops = [
        GetProject,
        ListFiles,
        CreateFile,
        SubmitFile,
        CreateDeployPackage,
        DeployFile,
        ListInstances,
        RerunInstance,
        CreateProjectMember,
        GrantMemberProjectRoles,
        DeleteProjectRole,
        UpdateProject,
        CreateDataSource,
        ListDataSources,
        ExecuteAdhocQuery,
        CreateSensitiveRule,
        CreateDataModel,
        PublishDataModel,
        CreateGovernancePlan,
        DeleteProject,
        DisableProject,
    ];
    // Columns in the order of `ops`. 1 = allowed, . = denied.
    let table: [(BuiltinRole, &str); 10] = [
        (B::ProjectOwner, "1111111111111111111.."),
        (B::WorkspaceManager, "1111111111111111111.."),
        (B::Development, "11111.1......1......."),
        // O&M writes data sources and a Visitor does not read them, as the API pages say
        // (data_source_operations_follow_the_api_pages).
        (B::OM, "11..1111....11......."),
        (B::Deploy, "11..111......1......."),
        (B::Visitor, "11..................."),
        (B::SecurityManager, "1..............1....."),
        (B::DataAnalyst, "1.............1......"),
        (B::ModelDesigner, "1...............1...."),
        (B::DataGovernanceAdmin, "1.................1.."),
    ];
    let mut wrong = Vec::new();
    for (role, row) in table {
        assert_eq!(row.len(), ops.len(), "row of {role}");
        for (op, want) in ops.iter().zip(row.chars()) {
            let got = member(role, *op);
            if got != (want == '1') {
                wrong.push(format!(
                    "{role} × {}: expected {}, got {got}",
                    op.name(),
                    want == '1'
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn development_develops_but_does_not_deploy() {
    assert!(member(B::Development, Op::CreateFile));
    assert!(
        member(B::Development, Op::CreateDeployPackage),
        "may build deploy packages"
    );
    let roles = [WorkspaceRole::Builtin(B::Development)];
    let d = World::user("alice").decide(Op::DeployFile, &ws("finance_etl", Some(&roles)));
    assert!(!d.allowed);
    assert_eq!(d.basis, Basis::ImplicitDeny);
    assert_eq!(
        d.trace,
        [
            "implicit deny: no role of alice in finance_etl grants Deployment ReadWrite (roles: Development; best Deployment: ReadOnly)"
        ]
    );
}

#[test]
fn om_deploys_but_does_not_develop_and_deploy_has_no_online_om() {
    assert!(member(B::OM, Op::DeployFile) && member(B::OM, Op::RerunInstance));
    assert!(!member(B::OM, Op::CreateFile) && !member(B::OM, Op::SubmitFile));
    assert!(member(B::Deploy, Op::DeployFile));
    assert!(!member(B::Deploy, Op::RerunInstance) && !member(B::Deploy, Op::StopInstance));
    assert!(member(B::Deploy, Op::ListInstances), "may watch production");
}

#[test]
fn visitor_only_reads() {
    let writes: Vec<Op> = OPERATIONS
        .iter()
        .filter(|s| s.resource == ResourceKind::Workspace && s.mode != Mode::Read)
        .map(|s| s.op)
        .collect();
    assert!(writes.len() > 20);
    for op in writes {
        assert!(!member(B::Visitor, op), "Visitor may not {}", op.name());
    }
    assert!(member(B::Visitor, Op::ListFiles) && member(B::Visitor, Op::GetFile));
}

#[test]
fn every_member_reads_basic_information() {
    for role in BuiltinRole::ALL {
        for op in [
            Op::GetProject,
            Op::ListProjects,
            Op::ListProjectMembers,
            Op::ListComputeResources,
        ] {
            assert!(member(role, op), "{role} {}", op.name());
        }
    }
}

#[test]
fn only_owner_and_manager_manage_members_and_delete_custom_roles() {
    let everything =
        CustomRole::new("all_modules", ModuleLevels::all(Level::ReadWrite), None).unwrap();
    let mut roles: Vec<WorkspaceRole> = BuiltinRole::ALL
        .into_iter()
        .map(WorkspaceRole::Builtin)
        .collect();
    roles.push(WorkspaceRole::Custom(everything));
    for role in roles {
        let admin = role.is_admin();
        let held = [role];
        let target = ws("finance_etl", Some(&held));
        for op in [
            Op::CreateProjectMember,
            Op::DeleteProjectMember,
            Op::GrantMemberProjectRoles,
            Op::RevokeMemberProjectRoles,
            Op::DeleteProjectRole,
            Op::CreateProjectRole,
        ] {
            assert_eq!(
                World::user("bob").allows(op, &target),
                admin,
                "{} × {}",
                held[0].name(),
                op.name()
            );
        }
    }
    // Not even AliyunDataWorksFullAccess manages members of a workspace one is not admin of.
    let roles = [WorkspaceRole::Builtin(B::Development)];
    let w = World::user("bob").with_system("AliyunDataWorksFullAccess");
    assert!(!w.allows(Op::CreateProjectMember, &ws("finance_etl", Some(&roles))));
}

fn grant_as(world: &World, granter: Option<BuiltinRole>, role: RoleRef) -> dwc::authz::Verdict {
    let roles: Vec<WorkspaceRole> = granter.into_iter().map(WorkspaceRole::Builtin).collect();
    let target = WorkspaceTarget {
        name: "finance_etl",
        region: common::REGION,
        status: WorkspaceStatus::Normal,
        roles: granter.map(|_| roles.as_slice()),
    };
    let attached: Vec<dwc::authz::AttachedPolicy> = Vec::new();
    let ctx = dwc::authz::Ctx {
        account: common::ACCOUNT,
        principal: &world.principal,
        scope: world.scope,
        region: &world.region,
        now: world.now,
        edition: world.edition,
        policies: &attached,
        tenant_roles: &world.tenant_roles,
        origin: world.origin,
    };
    authorize_role_grant(&ctx, Op::GrantMemberProjectRoles, target, &role).verdict()
}

#[test]
fn a_workspace_manager_cannot_hand_out_project_owner() {
    let manager = World::user("wm");
    let d = grant_as(
        &manager,
        Some(B::WorkspaceManager),
        RoleRef::Builtin(B::ProjectOwner),
    );
    assert!(!d.allowed);
    assert_eq!(d.basis, Basis::Assignment);
    assert!(d.trace[0].contains("cannot be handed out"), "{:?}", d.trace);
    for ok in [
        B::WorkspaceManager,
        B::Development,
        B::OM,
        B::Deploy,
        B::Visitor,
    ] {
        assert!(
            grant_as(&manager, Some(B::WorkspaceManager), RoleRef::Builtin(ok)).allowed,
            "{ok}"
        );
    }
    assert!(
        grant_as(
            &manager,
            Some(B::WorkspaceManager),
            RoleRef::Custom("etl_reviewer".into())
        )
        .allowed
    );
    for owners_only in [
        B::SecurityManager,
        B::DataAnalyst,
        B::ModelDesigner,
        B::DataGovernanceAdmin,
    ] {
        assert!(
            !grant_as(
                &manager,
                Some(B::WorkspaceManager),
                RoleRef::Builtin(owners_only)
            )
            .allowed
        );
        assert!(grant_as(&World::account(), None, RoleRef::Builtin(owners_only)).allowed);
    }
    // Nobody hands out Project Owner, the account included.
    assert!(!grant_as(&World::account(), None, RoleRef::Builtin(B::ProjectOwner)).allowed);
    // A Development member cannot grant at all.
    let d = grant_as(&manager, Some(B::Development), RoleRef::Builtin(B::Visitor));
    assert!(!d.allowed && d.basis == Basis::ImplicitDeny);
}

#[test]
fn custom_roles_need_enterprise() {
    for edition in [Edition::Basic, Edition::Standard, Edition::Professional] {
        let d = World::account()
            .edition(edition)
            .decide(Op::CreateProjectRole, &ws("finance_etl", None));
        assert!(!d.allowed, "{edition:?}");
        assert_eq!(d.basis, Basis::EditionGate);
        assert!(
            d.trace[0]
                .starts_with("edition gate: custom workspace roles needs the Enterprise edition"),
            "{:?}",
            d.trace
        );
    }
    assert!(World::account().allows(Op::CreateProjectRole, &ws("finance_etl", None)));
    let manager = [WorkspaceRole::Builtin(B::WorkspaceManager)];
    assert!(World::user("wm").allows(Op::CreateProjectRole, &ws("finance_etl", Some(&manager))));
    // Cleaning up after a downgrade stays possible.
    assert!(
        World::account()
            .edition(Edition::Basic)
            .allows(Op::DeleteProjectRole, &ws("finance_etl", None))
    );
}

#[test]
fn a_custom_role_grants_exactly_its_levels() {
    let levels =
        ModuleLevels::parse_perms(&["data-studio=write", "data-service=none", "deployment=read"])
            .unwrap();
    let role = [WorkspaceRole::Custom(
        CustomRole::new("no_dataservice", levels, None).unwrap(),
    )];
    let w = World::user("carol");
    let t = ws("finance_etl", Some(&role));
    assert!(w.allows(Op::CreateFile, &t));
    assert!(w.allows(Op::ListDeployments, &t));
    assert!(!w.allows(Op::DeployFile, &t));
    assert!(!w.allows(Op::ListDataServiceApis, &t));
    let d = w.decide(Op::CreateFile, &t);
    assert_eq!(
        d.trace,
        ["allowed by role no_dataservice in finance_etl (Data Studio: ReadWrite)"]
    );
}

#[test]
fn the_union_of_a_members_roles_counts() {
    let roles = [
        WorkspaceRole::Builtin(B::Development),
        WorkspaceRole::Builtin(B::OM),
    ];
    let w = World::user("dave");
    let t = ws("finance_etl", Some(&roles));
    assert!(w.allows(Op::CreateFile, &t) && w.allows(Op::DeployFile, &t));
    assert_eq!(
        w.decide(Op::DeployFile, &t).trace,
        ["allowed by role O&M in finance_etl (Deployment: ReadWrite)"]
    );
}

#[test]
fn workspace_lifecycle_is_a_console_operation_not_a_role_one() {
    let manager = [WorkspaceRole::Builtin(B::WorkspaceManager)];
    let t = ws("finance_etl", Some(&manager));
    for op in [
        Op::DisableProject,
        Op::EnableProject,
        Op::DeleteProject,
        Op::RestoreProject,
        Op::CreateProject,
    ] {
        assert!(!World::user("wm").allows(op, &t), "{}", op.name());
        assert!(
            World::user("ops")
                .with_system("AliyunDataWorksFullAccess")
                .allows(op, &ws("finance_etl", None)),
            "{}",
            op.name()
        );
        assert!(World::account().allows(op, &t));
    }
}

#[test]
fn a_disabled_workspace_is_read_only_except_enable_and_delete() {
    let roles = [WorkspaceRole::Builtin(B::WorkspaceManager)];
    let t = common::disabled_ws("finance_etl", Some(&roles));
    let acct = World::account();
    let d = acct.decide(Op::UpdateProject, &t);
    assert_eq!((d.allowed, d.basis), (false, Basis::WorkspaceDisabled));
    assert!(acct.allows(Op::EnableProject, &t) && acct.allows(Op::DeleteProject, &t));
    assert!(!acct.allows(Op::CreateDataSource, &t));
    assert!(
        World::user("wm").allows(Op::GetProject, &t)
            && World::user("wm").allows(Op::ListDataSources, &t)
    );
    assert!(!World::user("wm").allows(Op::CreateProjectMember, &t));
}

#[test]
fn non_members_do_not_see_workspaces_whatever_their_policies() {
    let w = World::user("eve")
        .with_system("AliyunDataWorksFullAccess")
        .with_system("AliyunDataWorksReadOnlyAccess");
    let d = w.decide(Op::GetProject, &ws("finance_etl", None));
    assert!(!d.allowed);
    assert_eq!(d.basis, Basis::NotMember);
    assert_eq!(
        d.trace,
        ["implicit deny: eve is not a member of finance_etl"]
    );
    assert!(!w.allows(Op::ListProjects, &ws("finance_etl", None)));
    assert!(!w.allows(Op::ListDataSources, &ws("finance_etl", None)));
}

#[test]
fn tenant_roles_govern_the_management_center_and_audit() {
    use dwc::authz::Target;
    use dwc::domain::{BuiltinTenantRole as T, TenantRole};
    let plain = World::user("u");
    assert!(
        plain.allows(Op::ListAlertContacts, &Target::Tenant),
        "every tenant member reads"
    );
    assert!(!plain.allows(Op::CreateAlertContact, &Target::Tenant));
    assert!(!plain.allows(Op::ListAuditEvents, &Target::Tenant));
    let admin = World::user("u").with_tenant_role(TenantRole::Builtin(T::TenantAdministrator));
    assert!(admin.allows(Op::CreateAlertContact, &Target::Tenant));
    assert!(admin.allows(Op::ListAuditEvents, &Target::Tenant));
    assert!(admin.allows(Op::ListResourceGroups, &common::rg("rg_a")));
    let sec = World::user("u").with_tenant_role(TenantRole::Builtin(T::SecurityAdministrator));
    assert!(sec.allows(Op::ListAuditEvents, &Target::Tenant));
    assert!(!sec.allows(Op::CreateAlertContact, &Target::Tenant));
    let gov =
        World::user("u").with_tenant_role(TenantRole::Builtin(T::DataGovernanceAdministrator));
    assert!(!gov.allows(Op::ListAuditEvents, &Target::Tenant));
    assert_eq!(
        sec.decide(Op::ListAuditEvents, &Target::Tenant).trace,
        ["allowed by tenant role Security Administrator (Security Center: ReadWrite)"]
    );
    // Full access to DataWorks does not open the audit log.
    assert!(
        !World::user("u")
            .with_system("AliyunDataWorksFullAccess")
            .allows(Op::ListAuditEvents, &Target::Tenant)
    );
    // Custom tenant roles need Enterprise.
    let d = World::account()
        .edition(Edition::Professional)
        .decide(Op::CreateTenantRole, &Target::Tenant);
    assert_eq!(d.basis, Basis::EditionGate);
}

#[test]
fn images_build_only_from_professional_and_everyone_sees_them() {
    use dwc::authz::Target;
    let img = Target::Image {
        name: "py_etl",
        region: common::REGION,
    };
    assert_eq!(
        World::account()
            .edition(Edition::Standard)
            .decide(Op::BuildImage, &img)
            .basis,
        Basis::EditionGate
    );
    assert!(
        World::account()
            .edition(Edition::Professional)
            .allows(Op::BuildImage, &img)
    );
    assert!(World::user("u").allows(Op::ListImages, &img));
    assert!(!World::user("u").allows(Op::CreateImage, &img));
}

#[test]
fn users_change_their_own_password_only() {
    use dwc::authz::Target;
    let w = World::user("alice");
    assert!(w.allows(Op::UpdateLoginProfile, &Target::RamUser("alice")));
    assert!(!w.allows(Op::UpdateLoginProfile, &Target::RamUser("bob")));
    assert!(!w.allows(Op::CreateUser, &Target::RamUser("mallory")));
}
