//! Regions. Workspaces, resource groups, images and model deployments live in one region and are
//! invisible from the others (seed 000, "Region isolation").

use super::error::{DomainError, DomainResult};

#[derive(Debug)]
pub struct Region {
    pub id: &'static str,
    pub title: &'static str,
    /// Serverless CU the region can provision for this tenant, all groups together.
    pub stock_cu: u32,
}

pub const REGIONS: &[Region] = &[
    Region {
        id: "cn-hangzhou",
        title: "China (Hangzhou)",
        stock_cu: 10000,
    },
    Region {
        id: "cn-shanghai",
        title: "China (Shanghai)",
        stock_cu: 10000,
    },
    Region {
        id: "cn-beijing",
        title: "China (Beijing)",
        stock_cu: 10000,
    },
    Region {
        id: "cn-shenzhen",
        title: "China (Shenzhen)",
        stock_cu: 10000,
    },
    Region {
        id: "ap-southeast-1",
        title: "Singapore",
        stock_cu: 5000,
    },
    Region {
        id: "eu-central-1",
        title: "Germany (Frankfurt)",
        stock_cu: 2000,
    },
    Region {
        id: "us-west-1",
        title: "US (Silicon Valley)",
        stock_cu: 2000,
    },
];

pub const DEFAULT_REGION: &str = "cn-hangzhou";

pub fn region(field: &str, id: &str) -> DomainResult<&'static Region> {
    REGIONS.iter().find(|r| r.id == id).ok_or_else(|| {
        let ids: Vec<&str> = REGIONS.iter().map(|r| r.id).collect();
        DomainError::invalid(
            field,
            format!("unknown region {id:?} (one of {})", ids.join(", ")),
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_and_unknown() {
        assert_eq!(
            super::region("region", "cn-shanghai").unwrap().title,
            "China (Shanghai)"
        );
        let e = super::region("region", "mars-1").unwrap_err().to_string();
        assert!(
            e.starts_with("region: unknown region \"mars-1\" (one of cn-hangzhou"),
            "{e}"
        );
    }
}
