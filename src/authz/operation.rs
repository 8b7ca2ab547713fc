//! The operation table: every console operation with its action name, the resource it acts on,
//! whether it changes things, the edition feature it needs and its grant paths (DESIGN §4).
//! Front ends never decide permissions; they ask about one of these operations.

use std::fmt;

use crate::domain::{Feature, GlobalModule, Level, Module};

/// What an operation acts on; decides its resource ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    Tenant,
    Workspace,
    ResourceGroup,
    Image,
    ModelDeployment,
    Billing,
    RamUser,
    RamPolicy,
    RamGroup,
}

/// How an operation treats a Disabled workspace, which is read-only except Enable and Delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Read,
    Write,
    /// A lifecycle move that works on a disabled (or recycled) workspace.
    Lifecycle,
    /// Makes the target: it does not exist yet, so nobody is its member.
    Create,
}

/// One way an operation can be allowed (DESIGN §4 step 3). Any one that holds is enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// An Allow statement in the principal's policies matching the action and resource.
    Policy,
    /// A workspace role of the principal in the target workspace granting the module level.
    Module(Module, Level),
    /// Project Owner or Workspace Manager of the target workspace.
    Admin,
    /// Any role in the target workspace (basic information is every member's to read).
    Member,
    /// A tenant role granting the global module level.
    Global(GlobalModule, Level),
    /// Every RAM user of the tenant.
    TenantMember,
    /// The principal acting on their own RAM user.
    Oneself,
    /// A built-in workspace role the operation's API page names, beside what its module levels
    /// grant (custom roles get there by levels).
    Roles(&'static [crate::domain::BuiltinRole]),
}

#[derive(Debug)]
pub struct OpSpec {
    pub op: Op,
    /// OpenAPI-style name, such as `CreateProject`.
    pub name: &'static str,
    /// Full action name, such as `dataworks:CreateProject`.
    pub action: &'static str,
    pub resource: ResourceKind,
    pub mode: Mode,
    pub feature: Option<Feature>,
    pub grants: &'static [Grant],
}

use crate::domain::BuiltinRole as B;
use GlobalModule as G;
use Grant::{Admin, Global, Member, Oneself, Policy, Roles, TenantMember};

/// DataWorks API pages (2024-05-18) that name the roles which may call them.
/// CreateDataSource, UpdateDataSource, DeleteDataSource: Workspace Administrator, Project
/// Owner and O&M.
const DS_WRITERS: &[B] = &[B::ProjectOwner, B::WorkspaceManager, B::OM];
/// GetDataSource (and listing them): those and Deployment and Development.
const DS_READERS: &[B] = &[
    B::ProjectOwner,
    B::WorkspaceManager,
    B::OM,
    B::Deploy,
    B::Development,
];
/// TestDataSourceConnectivity: the same as GetDataSource.
const DS_TESTERS: &[B] = DS_READERS;
use Level::{ReadOnly as R, ReadWrite as W};
use Module as M;

const fn md(m: Module, l: Level) -> Grant {
    Grant::Module(m, l)
}

macro_rules! operations {
    ($( $op:ident = $svc:literal, $res:ident, $mode:ident, $feat:expr, [$($g:expr),* $(,)?]; )*) => {
        /// Every console operation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Op { $($op),* }

        pub static OPERATIONS: &[OpSpec] = &[
            $(OpSpec {
                op: Op::$op,
                name: stringify!($op),
                action: concat!($svc, ":", stringify!($op)),
                resource: ResourceKind::$res,
                mode: Mode::$mode,
                feature: $feat,
                grants: &[$($g),*],
            }),*
        ];
    };
}

const NONE: Option<Feature> = None;
const CUSTOM_ROLES: Option<Feature> = Some(Feature::CustomWorkspaceRoles);
const CUSTOM_TENANT_ROLES: Option<Feature> = Some(Feature::CustomTenantRoles);
const IMAGE_BUILD: Option<Feature> = Some(Feature::ImageBuild);

operations! {
    // Workspaces: creating, disabling, enabling, deleting are product-level console operations
    // (the account or an Allow policy); reading is for members.
    ListProjects = "dataworks", Workspace, Read, NONE, [Member];
    GetProject = "dataworks", Workspace, Read, NONE, [Member];
    CreateProject = "dataworks", Workspace, Create, NONE, [Policy];
    UpdateProject = "dataworks", Workspace, Write, NONE, [Policy, md(M::Management, W)];
    UpgradeProjectMode = "dataworks", Workspace, Write, NONE, [Policy, md(M::Management, W)];
    DisableProject = "dataworks", Workspace, Write, NONE, [Policy];
    EnableProject = "dataworks", Workspace, Lifecycle, NONE, [Policy];
    DeleteProject = "dataworks", Workspace, Lifecycle, NONE, [Policy];
    RestoreProject = "dataworks", Workspace, Lifecycle, NONE, [Policy];
    PurgeProject = "dataworks", Workspace, Lifecycle, NONE, [Policy];

    // Members and workspace roles: only Project Owner and Workspace Manager manage them.
    ListProjectMembers = "dataworks", Workspace, Read, NONE, [Member];
    CreateProjectMember = "dataworks", Workspace, Write, NONE, [Admin];
    DeleteProjectMember = "dataworks", Workspace, Write, NONE, [Admin];
    GrantMemberProjectRoles = "dataworks", Workspace, Write, NONE, [Admin];
    RevokeMemberProjectRoles = "dataworks", Workspace, Write, NONE, [Admin];
    ListProjectRoles = "dataworks", Workspace, Read, NONE, [Member];
    GetProjectRole = "dataworks", Workspace, Read, NONE, [Member];
    CreateProjectRole = "dataworks", Workspace, Write, CUSTOM_ROLES, [Admin];
    UpdateProjectRole = "dataworks", Workspace, Write, CUSTOM_ROLES, [Admin];
    // Deleting stays possible after a downgrade, to clean up.
    DeleteProjectRole = "dataworks", Workspace, Write, NONE, [Admin];

    // Workspace resources: managed under Workspace Management.
    ListDataSources = "dataworks", Workspace, Read, NONE, [Roles(DS_READERS), md(M::Management, R), md(M::DataIntegration, R)];
    GetDataSource = "dataworks", Workspace, Read, NONE, [Roles(DS_READERS), md(M::Management, R), md(M::DataIntegration, R)];
    CreateDataSource = "dataworks", Workspace, Write, NONE, [Roles(DS_WRITERS), md(M::Management, W)];
    UpdateDataSource = "dataworks", Workspace, Write, NONE, [Roles(DS_WRITERS), md(M::Management, W)];
    DeleteDataSource = "dataworks", Workspace, Write, NONE, [Roles(DS_WRITERS), md(M::Management, W)];
    TestDataSourceConnectivity = "dataworks", Workspace, Write, NONE, [Roles(DS_TESTERS), md(M::Management, W), md(M::DataIntegration, W)];
    ListComputeResources = "dataworks", Workspace, Read, NONE, [Member];
    GetComputeResource = "dataworks", Workspace, Read, NONE, [Member];
    CreateComputeResource = "dataworks", Workspace, Write, NONE, [md(M::Management, W)];
    DeleteComputeResource = "dataworks", Workspace, Write, NONE, [md(M::Management, W)];
    ListClusters = "dataworks", Workspace, Read, NONE, [Member];
    CreateCluster = "dataworks", Workspace, Write, NONE, [md(M::Management, W)];
    UpdateCluster = "dataworks", Workspace, Write, NONE, [md(M::Management, W)];
    DeleteCluster = "dataworks", Workspace, Write, NONE, [md(M::Management, W)];
    ListProjectResourceGroups = "dataworks", Workspace, Read, NONE, [Member];

    // Work inside the modules, to tell the built-in roles apart (seed 002).
    ListFiles = "dataworks", Workspace, Read, NONE, [md(M::DataStudio, R)];
    GetFile = "dataworks", Workspace, Read, NONE, [md(M::DataStudio, R)];
    CreateFile = "dataworks", Workspace, Write, NONE, [md(M::DataStudio, W)];
    UpdateFile = "dataworks", Workspace, Write, NONE, [md(M::DataStudio, W)];
    DeleteFile = "dataworks", Workspace, Write, NONE, [md(M::DataStudio, W)];
    SubmitFile = "dataworks", Workspace, Write, NONE, [md(M::DataStudio, W)];
    CreateDeployPackage = "dataworks", Workspace, Write, NONE, [md(M::DataStudio, W), md(M::Deployment, W)];
    ListDeployments = "dataworks", Workspace, Read, NONE, [md(M::Deployment, R)];
    DeployFile = "dataworks", Workspace, Write, NONE, [md(M::Deployment, W)];
    ListInstances = "dataworks", Workspace, Read, NONE, [md(M::OperationCenter, R)];
    RerunInstance = "dataworks", Workspace, Write, NONE, [md(M::OperationCenter, W)];
    StopInstance = "dataworks", Workspace, Write, NONE, [md(M::OperationCenter, W)];
    ListDISyncTasks = "dataworks", Workspace, Read, NONE, [md(M::DataIntegration, R)];
    CreateDISyncTask = "dataworks", Workspace, Write, NONE, [md(M::DataIntegration, W)];
    ListDataServiceApis = "dataworks", Workspace, Read, NONE, [md(M::DataService, R)];
    CreateDataServiceApi = "dataworks", Workspace, Write, NONE, [md(M::DataService, W)];
    ListQualityRules = "dataworks", Workspace, Read, NONE, [md(M::DataQuality, R)];
    CreateQualityRule = "dataworks", Workspace, Write, NONE, [md(M::DataQuality, W)];
    ListDataModels = "dataworks", Workspace, Read, NONE, [md(M::DataModeling, R)];
    CreateDataModel = "dataworks", Workspace, Write, NONE, [md(M::DataModeling, W)];
    // Model designers model but do not publish (seed 002).
    PublishDataModel = "dataworks", Workspace, Write, NONE, [Admin];
    ListAdhocQueries = "dataworks", Workspace, Read, NONE, [md(M::DataAnalysis, R)];
    ExecuteAdhocQuery = "dataworks", Workspace, Write, NONE, [md(M::DataAnalysis, W)];
    ListGovernanceIssues = "dataworks", Workspace, Read, NONE, [md(M::DataGovernance, R)];
    CreateGovernancePlan = "dataworks", Workspace, Write, NONE, [md(M::DataGovernance, W)];
    ListSensitiveRules = "dataworks", Workspace, Read, NONE, [md(M::SecurityGuard, R)];
    CreateSensitiveRule = "dataworks", Workspace, Write, NONE, [md(M::SecurityGuard, W)];

    // Resource groups: product-level, by policy. Tenant Administrators may look.
    ListResourceGroups = "dataworks", ResourceGroup, Read, NONE, [Policy, Global(G::ManagementCenter, W)];
    GetResourceGroup = "dataworks", ResourceGroup, Read, NONE, [Policy, Global(G::ManagementCenter, W)];
    CreateResourceGroup = "dataworks", ResourceGroup, Write, NONE, [Policy];
    UpdateResourceGroup = "dataworks", ResourceGroup, Write, NONE, [Policy];
    DeleteResourceGroup = "dataworks", ResourceGroup, Write, NONE, [Policy];
    AssociateProjectToResourceGroup = "dataworks", ResourceGroup, Write, NONE, [Policy];
    DissociateProjectFromResourceGroup = "dataworks", ResourceGroup, Write, NONE, [Policy];

    // Images: everyone may use them; creating and building is product-level.
    ListImages = "dataworks", Image, Read, NONE, [TenantMember];
    GetImage = "dataworks", Image, Read, NONE, [TenantMember];
    CreateImage = "dataworks", Image, Write, NONE, [Policy];
    UpdateImage = "dataworks", Image, Write, NONE, [Policy];
    BuildImage = "dataworks", Image, Write, IMAGE_BUILD, [Policy];
    DeleteImage = "dataworks", Image, Write, NONE, [Policy];

    // Large model service.
    ListModelDeployments = "dataworks", ModelDeployment, Read, NONE, [TenantMember];
    GetModelDeployment = "dataworks", ModelDeployment, Read, NONE, [TenantMember];
    CreateModelDeployment = "dataworks", ModelDeployment, Write, NONE, [Policy];
    UpdateModelDeployment = "dataworks", ModelDeployment, Write, NONE, [Policy];
    DeleteModelDeployment = "dataworks", ModelDeployment, Write, NONE, [Policy];

    // Management Center: every tenant member reads; Tenant Administrators (or a policy) manage.
    GetEdition = "dataworks", Tenant, Read, NONE, [TenantMember];
    ListAlertContacts = "dataworks", Tenant, Read, NONE, [Global(G::ManagementCenter, R)];
    CreateAlertContact = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    UpdateAlertContact = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    DeleteAlertContact = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    UpdateAlertLimits = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    SendTestAlert = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    ListTenantMembers = "dataworks", Tenant, Read, NONE, [Global(G::ManagementCenter, R)];
    ListTenantRoles = "dataworks", Tenant, Read, NONE, [Global(G::ManagementCenter, R)];
    GrantTenantRole = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    RevokeTenantRole = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    CreateTenantRole = "dataworks", Tenant, Write, CUSTOM_TENANT_ROLES, [Policy, Global(G::ManagementCenter, W)];
    UpdateTenantRole = "dataworks", Tenant, Write, CUSTOM_TENANT_ROLES, [Policy, Global(G::ManagementCenter, W)];
    DeleteTenantRole = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    ListExtensions = "dataworks", Tenant, Read, NONE, [Global(G::ManagementCenter, R)];
    CreateExtension = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    UpdateExtension = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    DeleteExtension = "dataworks", Tenant, Write, NONE, [Policy, Global(G::ManagementCenter, W)];
    // The audit log is for the account, Tenant and Security Administrators: managing Security
    // Center, not merely reading it.
    ListAuditEvents = "dataworks", Tenant, Read, NONE, [Global(G::SecurityCenter, W)];

    // The DataWorks half of a purchase: a purchase needs it and the BSS half below.
    ModifyEdition = "dataworks", Tenant, Write, NONE, [Policy];
    UnsubscribeService = "dataworks", Tenant, Write, NONE, [Policy];

    // Purchases are billing operations (AliyunBSSOrderAccess), not DataWorks ones.
    QueryOrders = "bss", Billing, Read, NONE, [Policy];
    QueryBill = "bss", Billing, Read, NONE, [Policy];
    CreateOrder = "bss", Billing, Write, NONE, [Policy];
    RenewInstance = "bss", Billing, Write, NONE, [Policy];
    ModifyInstance = "bss", Billing, Write, NONE, [Policy];
    UnsubscribeInstance = "bss", Billing, Write, NONE, [Policy];

    // RAM: users and policies of the tenant.
    ListUsers = "ram", RamUser, Read, NONE, [Policy, Global(G::ManagementCenter, R)];
    GetUser = "ram", RamUser, Read, NONE, [Policy, Global(G::ManagementCenter, R), Oneself];
    CreateUser = "ram", RamUser, Write, NONE, [Policy];
    DeleteUser = "ram", RamUser, Write, NONE, [Policy];
    UpdateUser = "ram", RamUser, Write, NONE, [Policy];
    UpdateLoginProfile = "ram", RamUser, Write, NONE, [Policy, Oneself];
    ListPolicies = "ram", RamPolicy, Read, NONE, [Policy, Global(G::ManagementCenter, R)];
    GetPolicy = "ram", RamPolicy, Read, NONE, [Policy, Global(G::ManagementCenter, R)];
    CreatePolicy = "ram", RamPolicy, Write, NONE, [Policy];
    DeletePolicy = "ram", RamPolicy, Write, NONE, [Policy];
    CreatePolicyVersion = "ram", RamPolicy, Write, NONE, [Policy];
    ListPolicyVersions = "ram", RamPolicy, Read, NONE, [Policy, Global(G::ManagementCenter, R)];
    GetPolicyVersion = "ram", RamPolicy, Read, NONE, [Policy, Global(G::ManagementCenter, R)];
    SetDefaultPolicyVersion = "ram", RamPolicy, Write, NONE, [Policy];
    DeletePolicyVersion = "ram", RamPolicy, Write, NONE, [Policy];
    AttachPolicyToUser = "ram", RamPolicy, Write, NONE, [Policy];
    DetachPolicyFromUser = "ram", RamPolicy, Write, NONE, [Policy];
    // SSH public keys to log on to `dwc serve` with: one's own, or anyone's for those who
    // manage the tenant's members.
    ListPublicKeys = "ram", RamUser, Read, NONE, [Policy, Global(G::ManagementCenter, W), Oneself];
    UploadPublicKey = "ram", RamUser, Write, NONE, [Policy, Global(G::ManagementCenter, W), Oneself];
    DeletePublicKey = "ram", RamUser, Write, NONE, [Policy, Global(G::ManagementCenter, W), Oneself];
    ListGroups = "ram", RamGroup, Read, NONE, [Policy, Global(G::ManagementCenter, R)];
    GetGroup = "ram", RamGroup, Read, NONE, [Policy, Global(G::ManagementCenter, R)];
    CreateGroup = "ram", RamGroup, Write, NONE, [Policy];
    DeleteGroup = "ram", RamGroup, Write, NONE, [Policy];
    AddUserToGroup = "ram", RamGroup, Write, NONE, [Policy];
    RemoveUserFromGroup = "ram", RamGroup, Write, NONE, [Policy];
    AttachPolicyToGroup = "ram", RamPolicy, Write, NONE, [Policy];
    DetachPolicyFromGroup = "ram", RamPolicy, Write, NONE, [Policy];
    CreateVirtualMFADevice = "ram", RamUser, Write, NONE, [Policy, Global(G::ManagementCenter, W), Oneself];
    BindMFADevice = "ram", RamUser, Write, NONE, [Policy, Global(G::ManagementCenter, W), Oneself];
    UnbindMFADevice = "ram", RamUser, Write, NONE, [Policy, Global(G::ManagementCenter, W)];

    // The served console's open sessions (DESIGN §12): the account and Tenant Administrators.
    ListSessions = "dwc", Tenant, Read, NONE, [Global(G::ManagementCenter, W)];
    EndSession = "dwc", Tenant, Write, NONE, [Global(G::ManagementCenter, W)];
}

impl Op {
    pub fn spec(self) -> &'static OpSpec {
        &OPERATIONS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn action(self) -> &'static str {
        self.spec().action
    }

    /// Other names the vendor's published policies use for this operation: the console-level
    /// action names, and OpenAPI operations dwc folds into this one. A statement naming any of
    /// them authorizes (or denies) this operation as its own name would.
    pub fn other_names(self) -> &'static [&'static str] {
        use Op::*;
        match self {
            CreateProject => &["dataworks:CreateWorkspace"],
            UpdateProject | UpgradeProjectMode => &["dataworks:ModifyWorkspace"],
            DeleteProject => &["dataworks:DeleteWorkspace"],
            DisableProject => &["dataworks:DisableWorkspace"],
            EnableProject => &["dataworks:EnableWorkspace"],
            RestoreProject => &["dataworks:RestoreWorkspace"],
            ListProjects => &["dataworks:ListWorkspaces"],
            GetProject => &["dataworks:GetWorkspace"],
            ListProjectMembers => &["dataworks:GetProjectMember"],
            UpdateAlertLimits => &["dataworks:SetUpperLimits"],
            CreateAlertContact | UpdateAlertContact | DeleteAlertContact => {
                &["dataworks:ModifyContacts"]
            }
            ListAlertContacts => &["dataworks:ListContacts"],
            ListResourceGroups => &["dataworks:ListResourceGroup"],
            GetResourceGroup => &[
                "dataworks:ShowResourceGroupDetail",
                "dataworks:ListResourceGroupAssociateProjects",
            ],
            UpdateResourceGroup => &["dataworks:ModifyResourceGroup"],
            _ => &[],
        }
    }

    /// Every name of this operation: its own action first.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.action()).chain(self.other_names().iter().copied())
    }

    /// Resource types the vendor's policies name for this operation besides dwc's own ARN
    /// (`alarm_resource/*`, `contacts_ram_user/*`, `exclusive_resource_group/*`).
    pub fn other_resource_types(self) -> &'static [&'static str] {
        use Op::*;
        match self {
            UpdateAlertLimits | SendTestAlert => &["alarm_resource/"],
            ListAlertContacts | CreateAlertContact | UpdateAlertContact | DeleteAlertContact => {
                &["contacts_ram_user/", "alarm_resource/"]
            }
            ListResourceGroups
            | GetResourceGroup
            | CreateResourceGroup
            | UpdateResourceGroup
            | DeleteResourceGroup
            | AssociateProjectToResourceGroup
            | DissociateProjectFromResourceGroup => &["exclusive_resource_group/"],
            _ => &[],
        }
    }

    pub fn all() -> impl Iterator<Item = Op> {
        OPERATIONS.iter().map(|s| s.op)
    }

    /// Finds an operation by its action (`dataworks:CreateProject`) or bare name
    /// (`CreateProject`), case-insensitively.
    pub fn parse(text: &str) -> Option<Op> {
        OPERATIONS
            .iter()
            .find(|s| s.action.eq_ignore_ascii_case(text) || s.name.eq_ignore_ascii_case(text))
            .map(|s| s.op)
            .or_else(|| {
                // A vendor name: `dataworks:CreateWorkspace` or bare `CreateWorkspace`.
                Op::all().find(|op| {
                    op.other_names().iter().any(|n| {
                        n.eq_ignore_ascii_case(text)
                            || n.rsplit(':')
                                .next()
                                .is_some_and(|b| b.eq_ignore_ascii_case(text))
                    })
                })
            })
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.action())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_op_and_names_are_unique() {
        for (i, s) in OPERATIONS.iter().enumerate() {
            assert_eq!(s.op as usize, i);
            assert!(!s.grants.is_empty(), "{} has no grant path", s.name);
            assert_eq!(Op::parse(s.action), Some(s.op));
            assert_eq!(Op::parse(&s.name.to_lowercase()), Some(s.op));
        }
        assert_eq!(Op::CreateProject.action(), "dataworks:CreateProject");
        assert_eq!(Op::CreateOrder.action(), "bss:CreateOrder");
        assert_eq!(Op::parse("dataworks:nope"), None);
    }

    #[test]
    fn the_issue_names_are_in_the_table() {
        for name in [
            "CreateProject",
            "UpdateProject",
            "DeleteProject",
            "DisableProject",
            "EnableProject",
            "CreateProjectMember",
            "DeleteProjectMember",
            "GrantMemberProjectRoles",
            "RevokeMemberProjectRoles",
            "CreateProjectRole",
            "DeleteProjectRole",
            "CreateResourceGroup",
            "UpdateResourceGroup",
            "DeleteResourceGroup",
            "AssociateProjectToResourceGroup",
            "DissociateProjectFromResourceGroup",
            "CreateComputeResource",
            "DeleteComputeResource",
            "CreateDataSource",
            "UpdateDataSource",
            "DeleteDataSource",
            "TestDataSourceConnectivity",
            "CreateImage",
            "BuildImage",
            "DeleteImage",
            "ListProjects",
            "GetProject",
        ] {
            assert!(Op::parse(name).is_some(), "{name}");
        }
    }
}
