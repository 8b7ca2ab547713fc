//! RAM as Alibaba Cloud writes it: policies in the shape of the vendor's published examples
//! (kept in `tests/vendor_policies/`), each with the decision the vendor documents for it —
//! IP conditions, Sid, a numeric Version, MFA and transport keys, another service's keys, the
//! console-level action names and resource types.

mod common;

use common::{World, rg, ws};
use dwc::authz::{Basis, Op, Policy, Target};
use dwc::domain::Scope;

fn doc(name: &str) -> String {
    let path = format!(
        "{}/tests/vendor_policies/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn user_with(name: &str) -> World {
    World::user("ops").with_policy(name, &doc(name))
}

#[test]
fn ip_allow_lets_in_the_listed_addresses_and_blocks_and_only_them() {
    let w = user_with("ip_allow");
    let target = ws("new_ws", None);
    for (ip, allowed) in [
        ("192.0.2.5", true),
        ("192.0.2.255", true),
        ("203.0.113.2", true),
        ("203.0.113.3", false),
        ("198.51.100.1", false),
        ("127.0.0.1", false),
    ] {
        let d = w.at_ip(ip).decide(Op::CreateProject, &target);
        assert_eq!(d.allowed, allowed, "{ip}: {:?}", d.trace);
    }
}

#[test]
fn a_deny_outside_the_office_names_its_statement_by_sid() {
    let w = user_with("ip_deny_outside");
    let target = ws("new_ws", None);
    assert!(w.at_ip("203.0.113.2").allows(Op::CreateProject, &target));
    assert!(w.at_ip("2001:db8:1::7").allows(Op::CreateProject, &target));
    let d = w.at_ip("10.1.2.3").decide(Op::CreateProject, &target);
    assert!(!d.allowed);
    assert_eq!(d.basis, Basis::ExplicitDeny);
    assert_eq!(
        d.trace,
        ["explicit deny: policy ip_deny_outside, Statement[1] (Sid DenyOutsideOffice)"]
    );
    // "Version": 1 as a number reads as "1".
    assert!(Policy::parse(&doc("ip_deny_outside")).is_ok());
}

#[test]
fn the_openapi_block_works_as_published() {
    let w = user_with("deny_openapi").with_system("AliyunDataWorksFullAccess");
    assert!(
        !w.clone()
            .scope(Scope::OpenAPI)
            .allows(Op::CreateProject, &ws("x_ws", None))
    );
    assert!(
        w.scope(Scope::Page)
            .allows(Op::CreateProject, &ws("x_ws", None))
    );
}

#[test]
fn mfa_and_secure_transport_are_conditions_like_any_other() {
    let w = user_with("require_mfa_and_tls");
    let t = ws("new_ws", None);
    let d = w
        .clone()
        .from("192.0.2.1", true, false)
        .decide(Op::CreateProject, &t);
    assert_eq!(
        d.trace,
        ["explicit deny: policy require_mfa_and_tls, Statement[1] (Sid NoMfaNoChanges)"]
    );
    assert!(
        w.clone()
            .from("192.0.2.1", true, true)
            .allows(Op::CreateProject, &t)
    );
    // Reading needs no MFA, but never over an insecure transport.
    let groups = rg("rg_a");
    assert!(
        w.clone()
            .from("192.0.2.1", true, false)
            .allows(Op::ListResourceGroups, &groups)
    );
    let d = w
        .from("192.0.2.1", false, true)
        .decide(Op::ListResourceGroups, &groups);
    assert!(d.trace[0].contains("(Sid HttpsOnly)"), "{:?}", d.trace);
}

#[test]
fn another_services_key_is_accepted_and_its_statement_never_matches_and_says_so() {
    let w = user_with("oss_prefix");
    let d = w.decide(Op::ListResourceGroups, &rg("rg_a"));
    assert!(!d.allowed);
    let d = w.decide(Op::ListProjects, &ws("finance_etl", None));
    assert!(!d.allowed);
    assert!(
        d.trace
            .iter()
            .any(|l| l.contains("oss:Prefix is absent from DataWorks requests")),
        "{:?}",
        d.trace
    );
    // A negated operator on an absent key is false too: a Deny written so does not deny.
    let w = World::user("ops")
        .with_system("AliyunDataWorksFullAccess")
        .with_policy(
            "deny_unless_tagged",
            r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"dataworks:*","Resource":"*","Condition":{"StringNotEquals":{"acs:ResourceTag/env":"prod"}}}]}"#,
        );
    assert!(w.allows(Op::CreateProject, &ws("x_ws", None)));
    // A key of DataWorks itself that does not exist is still a mistake.
    let e = Policy::parse(r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"dataworks:Scopes":"Page"}}}]}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown key \"dataworks:Scopes\""), "{e}");
}

#[test]
fn console_action_names_and_resource_types_authorize_the_same_operations() {
    let w = user_with("console_workspace_actions");
    assert!(w.allows(Op::CreateProject, &ws("new_ws", None)));
    assert!(w.allows(Op::UpdateProject, &ws("finance_etl", None)));
    let d = w.decide(Op::DeleteProject, &ws("finance_etl", None));
    assert_eq!(d.basis, Basis::ExplicitDeny);
    let w = user_with("alarm_limits");
    assert!(w.allows(Op::UpdateAlertLimits, &Target::Tenant));
    assert!(w.allows(Op::CreateAlertContact, &Target::Tenant));
    assert!(!w.allows(Op::GrantTenantRole, &Target::Tenant));
    let w = user_with("exclusive_resource_group_modify");
    assert!(w.allows(Op::ListResourceGroups, &rg("rg_a")));
    assert!(w.allows(Op::GetResourceGroup, &rg("rg_a")));
    assert!(w.allows(Op::UpdateResourceGroup, &rg("rg_a")));
    assert!(!w.allows(Op::DeleteResourceGroup, &rg("rg_a")));
    // The vendor's names are questions `dwc can` understands.
    assert_eq!(
        Op::parse("dataworks:CreateWorkspace"),
        Some(Op::CreateProject)
    );
    assert_eq!(Op::parse("GetProjectMember"), Some(Op::ListProjectMembers));
    assert_eq!(
        Op::parse("dataworks:ListResourceGroupAssociateProjects"),
        Some(Op::GetResourceGroup)
    );
}

#[test]
fn actions_that_match_no_operation_are_named() {
    let p = Policy::parse(r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["dataworks:List*","dataworks:DoMagic","oss:GetObject"],"Resource":"*"},{"Effect":"Allow","Action":"dataworks:CreateWorkspace","Resource":"*"}]}"#).unwrap();
    assert_eq!(
        p.unmatched_actions(),
        ["Statement[0].Action: dataworks:DoMagic"]
    );
}
