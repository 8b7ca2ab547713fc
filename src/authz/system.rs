//! The three system policies every tenant has from the start (DESIGN §4, seed 003).

use std::sync::LazyLock;

use super::policy::Policy;

pub struct SystemPolicy {
    pub name: &'static str,
    pub description: &'static str,
    pub document: &'static str,
}

pub const FULL_ACCESS: &str = "AliyunDataWorksFullAccess";
pub const READ_ONLY_ACCESS: &str = "AliyunDataWorksReadOnlyAccess";
pub const BSS_ORDER_ACCESS: &str = "AliyunBSSOrderAccess";

pub const SYSTEM_POLICIES: &[SystemPolicy] = &[
    SystemPolicy {
        name: FULL_ACCESS,
        description: "Manage DataWorks services on behalf of the account (no purchases)",
        document: r#"{
  "Version": "1",
  "Statement": [
    { "Effect": "Allow", "Action": "dataworks:*", "Resource": "*" }
  ]
}"#,
    },
    SystemPolicy {
        name: READ_ONLY_ACCESS,
        description: "Read-only access to DataWorks",
        document: r#"{
  "Version": "1",
  "Statement": [
    { "Effect": "Allow", "Action": ["dataworks:Get*", "dataworks:List*"], "Resource": "*" }
  ]
}"#,
    },
    SystemPolicy {
        name: BSS_ORDER_ACCESS,
        description: "View, pay for and cancel orders in Billing Management",
        document: r#"{
  "Version": "1",
  "Statement": [
    { "Effect": "Allow", "Action": "bss:*", "Resource": "*" }
  ]
}"#,
    },
];

static COMPILED: LazyLock<Vec<Policy>> = LazyLock::new(|| {
    SYSTEM_POLICIES
        .iter()
        .map(|p| Policy::parse(p.document).expect("system policies are valid documents"))
        .collect()
});

pub fn is_system(name: &str) -> bool {
    SYSTEM_POLICIES.iter().any(|p| p.name == name)
}

pub fn system_policy(name: &str) -> Option<&'static Policy> {
    SYSTEM_POLICIES
        .iter()
        .position(|p| p.name == name)
        .map(|i| &COMPILED[i])
}

#[cfg(test)]
mod tests {
    #[test]
    fn all_parse() {
        for p in super::SYSTEM_POLICIES {
            assert!(super::system_policy(p.name).is_some());
        }
        assert!(super::system_policy("Other").is_none());
    }
}
