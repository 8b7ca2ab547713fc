//! DESIGN §11: an authorization decision in under 1 µs (median) for a RAM user with 5 roles in the
//! target workspace and 3 attached policies of 20 statements each; and how it grows to 1,000.

use std::hint::black_box;

use chrono::TimeZone;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dwc::authz::{AttachedPolicy, Ctx, Op, Policy, Target, WorkspaceTarget, authorize};
use dwc::domain::{BuiltinRole, Edition, Principal, Scope, WorkspaceRole, WorkspaceStatus};

/// `n` statements that look like a real tenant's: mostly Allows on other actions and workspaces,
/// some Denies that match the action but not the resource, some conditions. None allows the
/// benchmarked requests, so every statement is examined.
fn statements(n: usize, seed: usize) -> String {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let k = i + seed * 1000;
        let s = match i % 6 {
            0 => format!(
                r#"{{"Effect":"Allow","Action":["dataworks:Get*","dataworks:List*"],"Resource":"acs:dataworks:cn-shanghai:*:workspace/team_{k}"}}"#
            ),
            1 => format!(
                r#"{{"Effect":"Deny","Action":"dataworks:*","Resource":"acs:dataworks:*:*:workspace/prod_{k}_*"}}"#
            ),
            2 => format!(
                r#"{{"Effect":"Allow","Action":"dataworks:Update*","Resource":"acs:dataworks:*:*:dwresourcegroup/rg_{k}","Condition":{{"StringEquals":{{"dataworks:Scope":"OpenAPI"}}}}}}"#
            ),
            3 => format!(
                r#"{{"Effect":"Deny","Action":["dataworks:Delete*","dataworks:Purge*"],"Resource":"*","Condition":{{"DateGreaterThan":{{"acs:CurrentTime":"2030-01-{:02}"}}}}}}"#,
                k % 28 + 1
            ),
            4 => format!(
                r#"{{"Effect":"Allow","Action":"dataworks:CreateImage","Resource":"acs:dataworks:*:*:image/img_{k}?"}}"#
            ),
            // An office-only rule: the benchmarked requests come from inside it, so it is
            // examined and does not deny.
            _ => format!(
                r#"{{"Sid":"Office{k}","Effect":"Deny","Action":"dataworks:*","Resource":"*","Condition":{{"NotIpAddress":{{"acs:SourceIp":["10.0.0.0/8","192.0.2.0/24","2001:db8::/32"]}}}}}}"#
            ),
        };
        out.push(s);
    }
    format!(r#"{{"Version":"1","Statement":[{}]}}"#, out.join(","))
}

fn policies(count: usize, each: usize) -> Vec<Policy> {
    (0..count)
        .map(|i| Policy::parse(&statements(each, i)).expect("bench policy"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let principal = Principal::User("alice".into());
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    // Five roles; the one that grants Data Studio ReadWrite comes last.
    let roles = [
        WorkspaceRole::Builtin(BuiltinRole::Visitor),
        WorkspaceRole::Builtin(BuiltinRole::DataAnalyst),
        WorkspaceRole::Builtin(BuiltinRole::ModelDesigner),
        WorkspaceRole::Builtin(BuiltinRole::SecurityManager),
        WorkspaceRole::Builtin(BuiltinRole::Development),
    ];
    let target = Target::Workspace(WorkspaceTarget {
        name: "finance_etl",
        region: "cn-hangzhou",
        status: WorkspaceStatus::Normal,
        roles: Some(&roles),
    });
    let rg = Target::ResourceGroup {
        name: "rg_etl",
        region: "cn-hangzhou",
    };

    let mut group = c.benchmark_group("authorize");
    // 60 and 1,000 statements; a RAM policy document holds at most 6,144 characters, so the
    // large case is many policies of 20 statements each.
    for (count, each) in [(3, 20), (50, 20)] {
        let compiled = policies(count, each);
        let names: Vec<String> = (0..count).map(|i| format!("team-policy-{i}")).collect();
        let attached: Vec<AttachedPolicy> = compiled
            .iter()
            .zip(&names)
            .map(|(policy, name)| AttachedPolicy { name, policy })
            .collect();
        let ctx = Ctx {
            account: "acme",
            principal: &principal,
            scope: Scope::Page,
            region: "cn-hangzhou",
            now,
            edition: Edition::Enterprise,
            policies: &attached,
            tenant_roles: &[],
            origin: dwc::authz::Origin {
                source_ip: "192.0.2.7".parse().unwrap(),
                secure_transport: true,
                mfa: false,
            },
        };
        let statements = count * each;
        assert!(authorize(&ctx, Op::CreateFile, &target).allowed);
        assert!(!authorize(&ctx, Op::DeleteResourceGroup, &rg).allowed);
        group.bench_with_input(
            BenchmarkId::new("role-allow", statements),
            &statements,
            |b, _| {
                b.iter(|| {
                    authorize(
                        black_box(&ctx),
                        black_box(Op::CreateFile),
                        black_box(&target),
                    )
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("role-deny", statements),
            &statements,
            |b, _| {
                b.iter(|| {
                    authorize(
                        black_box(&ctx),
                        black_box(Op::DeployFile),
                        black_box(&target),
                    )
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("policy-deny", statements),
            &statements,
            |b, _| {
                b.iter(|| {
                    authorize(
                        black_box(&ctx),
                        black_box(Op::DeleteResourceGroup),
                        black_box(&rg),
                    )
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
