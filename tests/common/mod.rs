//! A small world for permission tests: one caller, their policies and tenant roles.
#![allow(dead_code)]

use chrono::TimeZone;
use dwc::authz::{
    AttachedPolicy, Ctx, Op, Policy, Target, Verdict, WorkspaceTarget, authorize, system,
};
use dwc::domain::{
    Edition, Principal, Scope, TenantRole, Timestamp, WorkspaceRole, WorkspaceStatus,
};

pub const ACCOUNT: &str = "acme";
pub const REGION: &str = "cn-hangzhou";

pub fn now() -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
}

#[derive(Clone)]
pub struct World {
    pub principal: Principal,
    pub policies: Vec<(String, Policy)>,
    pub tenant_roles: Vec<TenantRole>,
    pub edition: Edition,
    pub scope: Scope,
    pub region: String,
    pub now: Timestamp,
    pub origin: dwc::authz::Origin,
}

impl World {
    pub fn account() -> World {
        World::new(Principal::Account(ACCOUNT.into()))
    }

    pub fn user(name: &str) -> World {
        World::new(Principal::User(name.into()))
    }

    fn new(principal: Principal) -> World {
        World {
            principal,
            policies: Vec::new(),
            tenant_roles: Vec::new(),
            edition: Edition::Enterprise,
            scope: Scope::Page,
            region: REGION.into(),
            now: now(),
            origin: dwc::authz::Origin::local(),
        }
    }

    pub fn with_system(mut self, name: &str) -> World {
        self.policies
            .push((name.into(), system::system_policy(name).unwrap().clone()));
        self
    }

    pub fn with_policy(mut self, name: &str, doc: &str) -> World {
        let p = Policy::parse(doc).unwrap_or_else(|e| panic!("test policy {name}: {e}"));
        self.policies.push((name.into(), p));
        self
    }

    pub fn with_tenant_role(mut self, r: TenantRole) -> World {
        self.tenant_roles.push(r);
        self
    }

    pub fn edition(mut self, e: Edition) -> World {
        self.edition = e;
        self
    }

    pub fn scope(mut self, s: Scope) -> World {
        self.scope = s;
        self
    }

    /// A request from `ip`, over an encrypted transport or not, with MFA or not.
    pub fn from(mut self, ip: &str, secure: bool, mfa: bool) -> World {
        self.origin = dwc::authz::Origin {
            source_ip: ip.parse().unwrap(),
            secure_transport: secure,
            mfa,
        };
        self
    }

    /// This world asked from `ip` (over SSH, without MFA).
    pub fn at_ip(&self, ip: &str) -> World {
        self.clone().from(ip, true, false)
    }

    pub fn at(mut self, t: Timestamp) -> World {
        self.now = t;
        self
    }

    pub fn decide(&self, op: Op, target: &Target) -> Verdict {
        let attached: Vec<AttachedPolicy> = self
            .policies
            .iter()
            .map(|(name, policy)| AttachedPolicy { name, policy })
            .collect();
        let ctx = Ctx {
            account: ACCOUNT,
            principal: &self.principal,
            scope: self.scope,
            region: &self.region,
            now: self.now,
            edition: self.edition,
            policies: &attached,
            tenant_roles: &self.tenant_roles,
            origin: self.origin,
        };
        authorize(&ctx, op, target).verdict()
    }

    pub fn allows(&self, op: Op, target: &Target) -> bool {
        self.decide(op, target).allowed
    }
}

pub fn ws<'a>(name: &'a str, roles: Option<&'a [WorkspaceRole]>) -> Target<'a> {
    Target::Workspace(WorkspaceTarget {
        name,
        region: REGION,
        status: WorkspaceStatus::Normal,
        roles,
    })
}

pub fn disabled_ws<'a>(name: &'a str, roles: Option<&'a [WorkspaceRole]>) -> Target<'a> {
    Target::Workspace(WorkspaceTarget {
        name,
        region: REGION,
        status: WorkspaceStatus::Disabled,
        roles,
    })
}

pub fn rg(name: &str) -> Target<'_> {
    Target::ResourceGroup {
        name,
        region: REGION,
    }
}
