//! Regions. Workspaces, resource groups, images and model deployments live in one region and are
//! invisible from the others (seed 000, "Region isolation").

use super::error::{DomainError, DomainResult};

#[derive(Debug)]
pub struct Region {
    pub id: &'static str,
    pub title: &'static str,
}

pub const REGIONS: &[Region] = &[
    Region {
        id: "cn-hangzhou",
        title: "China (Hangzhou)",
    },
    Region {
        id: "cn-shanghai",
        title: "China (Shanghai)",
    },
    Region {
        id: "cn-beijing",
        title: "China (Beijing)",
    },
    Region {
        id: "cn-shenzhen",
        title: "China (Shenzhen)",
    },
    Region {
        id: "ap-southeast-1",
        title: "Singapore",
    },
    Region {
        id: "eu-central-1",
        title: "Germany (Frankfurt)",
    },
    Region {
        id: "us-west-1",
        title: "US (Silicon Valley)",
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
